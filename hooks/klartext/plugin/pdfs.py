"""The PDF of every language, rendered in worker processes while the site builds."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from klartext.languages import Language
from klartext.problems import DataError
from klartext.plugin.state import Run, log, settings

# The PDF code (klartext.pdf, fonts, the worker pool) is imported when a build makes PDFs (14start): a
# build without them does not import it in its serial start.

ENGINES = ("weasyprint", "pdfkit")
"""The PDF engines (the keys of :data:`klartext.pdf.ENGINES`), in the order the message names them."""


def pdf_settings(config: Any, run: Run) -> dict:
    result = {"enabled": True, "engine": "weasyprint", "filename": "integrationskonzept.pdf",
              **(settings(config).get("pdf") or {})}
    switch = os.environ.get("KLARTEXT_PDF")
    if switch is not None:
        result["enabled"] = switch not in ("0", "no", "false")
    elif run.command == "serve":
        result["enabled"] = False  # the preview skips PDFs unless KLARTEXT_PDF=1
    if result["engine"] not in ENGINES:
        raise PluginError(f"Unbekannte PDF-Engine „{result['engine']}“ in extra.klartext.pdf.engine "
                          f"(möglich: {', '.join(ENGINES)}).")
    return result


def start(config: Any, data_dir: Path, root: Path, run: Run) -> None:
    """Check fonts, then render every language's PDF in worker processes (one per core)."""
    run.pdfs = {}
    chosen = pdf_settings(config, run)
    if not chosen["enabled"]:
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from klartext.pdf import PdfError, PdfJob, check_engine, check_fonts, make_pdf, render_order

    languages = tuple(run.languages.values())
    try:
        check_engine(chosen["engine"], list(languages))
    except PdfError as error:
        raise PluginError(str(error)) from None
    problems = [problem for language in languages
                for problem in check_fonts(run.data, language, run.labels(config, language).own_texts())]
    if problems:
        raise PluginError(str(DataError(problems)))
    workers = max(1, min(len(languages), os.cpu_count() or 1))
    # each worker dies with the build (kill -9 of the build leaves no worker writing on for seconds)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_started, initargs=(os.getpid(),))
    template_dirs = tuple(Path(path) for path in config.theme.dirs)
    labels_dir = settings(config).get("labels_dir")
    for language in render_order(languages):  # the longest first: the cores finish close together
        job = PdfJob(data_dir, root, languages, language.code, template_dirs,
                     (Path(config.docs_dir).resolve(),), chosen["engine"],
                     root / labels_dir if labels_dir else None, as_of=run.settings.as_of)
        run.pdfs[language.code] = pool.submit(make_pdf, job)
    pool.shutdown(wait=False)
    log.info(f"PDF: {len(languages)} Sprachfassungen werden auf {workers} Kernen erzeugt …")


def _worker_started(parent: int) -> None:
    """In a PDF worker: forked during the build's start, which runs without the cycle collector: on
    again, as in the build; dies with the build."""
    from klartext.plugin.variants import resume_collector
    from klartext.publish import die_with_parent

    resume_collector(forked=True)
    die_with_parent(parent)


def pdf_file(config: Any, current: Language, run: Run) -> File:
    """Wait for this language's PDF, report it, and add it to the site with a link on every page."""
    from klartext.pdf import PdfError

    chosen = pdf_settings(config, run)
    try:
        result = run.pdfs[current.code].result()
    except PdfError as error:
        raise PluginError(str(error)) from None
    labels = run.builder.labels
    size = labels("pdf.size", size=_megabytes(len(result.content), current))
    unchanged = " (unverändert: aus .cache/klartext/pdf)" if result.cached else ""
    log.info(f"PDF {current.code}: {result.pages} Seiten, {result.seconds:.1f} s, {size}{unchanged}")
    for url in result.refused:
        log.warning(f"PDF ({current.code}): „{url}“ wurde nicht geladen. Das PDF lädt nur Dateien aus "
                    "docs/ und data:-Adressen; bitte die Datei nach docs/ legen und relativ angeben.")
    file = File.generated(config, chosen["filename"], content=result.content)
    file.dest_uri = current.prefix + file.dest_uri
    config.extra["klartext"]["pdf_link"] = {
        "url": file.dest_uri, "text": labels("pdf.download", size=size)}
    return file


def _megabytes(size: int, language: Language) -> str:
    from babel.numbers import format_decimal

    return format_decimal(round(size / 1_000_000, 1), format="0.0", locale=language.tag.replace("-", "_"))
