"""PDF benchmark: time for all PDFs of the example concept, and our overhead over plain WeasyPrint.

Run: ./klartext bench   (or .venv/bin/python benchmarks/pdf.py). Prints figures; asserts nothing.
All figures come from one run on one machine, so the ratios are what counts.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

import material  # noqa: E402  (theme templates: icons)
import weasyprint  # noqa: E402

from klartext import fonts  # noqa: E402
from klartext.configfile import read_config  # noqa: E402
from klartext.labels import load_labels  # noqa: E402
from klartext.languages import Language  # noqa: E402
from klartext.pdf import PdfJob, check_fonts, document_html, make_pdf  # noqa: E402
from klartext.render import THEME_DIR, Renderer  # noqa: E402
from klartext.validation import load_concept  # noqa: E402


def _languages() -> tuple[Language, ...]:
    config = read_config(ROOT / "mkdocs.yml")
    entries = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)["languages"]
    return tuple(Language(e["locale"], e["name"], (e.get("theme") or {}).get("language", ""),
                          e.get("default", False)) for e in entries)


def main() -> None:
    languages = _languages()
    template_dirs = (THEME_DIR, Path(material.__file__).parent / "templates")
    jobs = [PdfJob(ROOT / "data", ROOT, languages, lang.code, template_dirs, ((ROOT / "docs").resolve(),))
            for lang in languages]
    others = [lang.code for lang in languages if not lang.default]
    data, _ = load_concept(ROOT / "data", others, ROOT)

    started = time.perf_counter()
    fonts.covered()
    for language in languages:
        check_fonts(data, language, [])
    font_check = time.perf_counter() - started

    rows = []
    for job, language in zip(jobs, languages):
        started = time.perf_counter()
        result = make_pdf(job)  # ours: load data, build HTML, render with the restrictive fetcher
        ours = time.perf_counter() - started
        html = document_html(data, language, load_labels(language.code, [] if language.default else ["de"]),
                             Renderer(list(template_dirs)))
        started = time.perf_counter()
        weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")  # WeasyPrint alone, same HTML
        alone = time.perf_counter() - started
        rows.append((language.code, result.pages, len(result.content), ours, alone))

    workers = os.cpu_count() or 1
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(make_pdf, jobs))
    parallel = time.perf_counter() - started

    print(f"PDF benchmark: {platform.node()} ({platform.machine()}, {workers} cores), "
          f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}")
    print(f"{'language':<9}{'pages':>6}{'size KB':>9}{'ours s':>9}{'alone s':>9}{'ratio':>7}")
    for code, pages, size, ours, alone in rows:
        print(f"{code:<9}{pages:>6}{size / 1000:>9.0f}{ours:>9.2f}{alone:>9.2f}{ours / alone:>7.2f}")
    total_ours = sum(row[3] for row in rows)
    total_alone = sum(row[4] for row in rows)
    print(f"{'all':<9}{sum(r[1] for r in rows):>6}{sum(r[2] for r in rows) / 1000:>9.0f}"
          f"{total_ours:>9.2f}{total_alone:>9.2f}{total_ours / total_alone:>7.2f}")
    print(f"font coverage check (all languages): {font_check:.2f} s")
    print(f"all {len(jobs)} PDFs in parallel on {workers} cores (as the build does): {parallel:.2f} s "
          f"({parallel / total_ours:.2f} of sequential)")


if __name__ == "__main__":
    main()
