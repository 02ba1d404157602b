"""The whole concept as one PDF per language variant: concept -> HTML -> tagged PDF/UA-1.

Pure Python apart from the engines; the MkDocs adapter decides when and where PDFs are written.
WeasyPrint is the default engine; pdfkit (wkhtmltopdf) is optional and refuses right-to-left text.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from klartext import charts, fonts, pdf_speedup
from klartext.concept import ConceptData
from klartext.labels import Labels
from klartext.bidi import mark_foreign_runs, mark_source_names, source_names
from klartext.languages import SOURCE, Language
from klartext.problems import Problem
from klartext.render import Renderer
from klartext.translations import entries
from klartext.view import View


class PdfError(Exception):
    """The PDF cannot be made; the message says why, in German, for staff."""


@dataclass
class PdfResult:
    """A rendered PDF and what the build reports about it."""

    language: str
    content: bytes
    pages: int
    seconds: float
    refused: list[str] = field(default_factory=list)
    """Addresses the URL fetcher did not load."""
    loaded: list[str] = field(default_factory=list)
    """Files the URL fetcher loaded (paths), for the cache to notice when one changes."""
    cached: bool = False
    """Taken from the PDF cache: the print HTML, its files and the engine are as when it was made."""


def document_html(data: ConceptData, language: Language, labels: Labels, renderer: Renderer,
                  logo: str | None = None, as_of: Any = None) -> str:
    """The print HTML of the whole concept in one language."""
    view = View(data, language, labels, "index.md", renderer.icon)
    html = renderer.render("pdf/document.html", v=view, data=data, language=language, logo=logo, charts=charts,
                           as_of=as_of)
    html = mark_foreign_runs(html, language.tag, SOURCE.tag, for_print=True)
    names = source_names([entry.text.de for entry in entries(data)])
    html = mark_source_names(html, language.tag, SOURCE.tag, names)
    return facts_as_tables(decorative_svgs_as_backgrounds(html))


_DECORATIVE = re.compile(
    r'(<span class="(?:kt-icon|kt-chart__track)"[^>]*?)>\s*(<svg\b.*?</svg>)\s*</span>', re.DOTALL)
_METER = re.compile(r'<svg class="kt-meter__bar"[^>]*?\saria-hidden="true"[^>]*>.*?</svg>', re.DOTALL)
"""A progress meter's bar (``klartext/macros.html``: ``progress``); its percentage stands beside it as text."""
_PRINT_ONLY_PAINT = {'class="kt-fig-seg ': 'stroke="#fff" stroke-width="0.3" class="kt-fig-seg '}
"""What the print stylesheet adds to the bars' shapes, which an image cannot take from it."""


def decorative_svgs_as_backgrounds(html: str) -> str:
    """Draw decorative images (a state's icon beside its name, a chart's bar beside its value, a progress
    meter's bar beside its percentage) as backgrounds of their box.

    WeasyPrint tags every inline ``<svg>`` as a PDF ``Figure``, which PDF/UA requires to carry
    alternative text, and a screen reader would then read the name or value twice; a background is
    written as an artifact, which assistive technology skips, as ``aria-hidden`` does on the web."""
    def background(svg: str) -> str:
        if "xmlns=" not in svg[:200]:
            svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
        for old, new in _PRINT_ONLY_PAINT.items():
            svg = svg.replace(old, new)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return (f"background-image: url('data:image/svg+xml;base64,{data}'); background-repeat: no-repeat; "
                "background-size: 100% 100%")

    def replace(match: re.Match) -> str:
        opening, svg = match.groups()
        return f'{opening} style="{background(svg)}"></span>'

    def meter(match: re.Match) -> str:  # its size comes from the print stylesheet (.kt-meter__bar)
        return f'<span class="kt-meter__bar" aria-hidden="true" style="{background(match.group(0))}"></span>'

    return _METER.sub(meter, _DECORATIVE.sub(replace, html))


_FACTS = re.compile(r'<dl class="(kt-facts(?: [^"<>]*)?)">(.*?)</dl>', re.DOTALL)
_FACT = re.compile(r'\s*<dt>((?:(?!<d[ltd][\s>]|</d[ltd]>).)*)</dt>\s*<dd((?:\s[^<>]*)?)>((?:(?!<d[ltd][\s>]|</d[ltd]>).)*)</dd>',
                   re.DOTALL)


def facts_as_tables(html: str) -> str:
    """Lay out each list of facts (``<dl class="kt-facts">``: label, value, label, value ...) as a table of
    two columns with the labels as row headers.

    Label beside value is what the web page shows with a CSS grid; WeasyPrint lays out every grid item
    twice (once to measure the row, once to place it), a table with fixed column widths once: the facts
    are about half of a concept's pages and the PDF takes about a tenth less time this way. The text stays
    the same; the tag tree says more (``TH`` of a row instead of list items that alternate label and
    value). A list with anything else between or inside its items is left as it is (the print stylesheet
    lays that out as before)."""
    def replace(match: re.Match) -> str:
        classes, body = match.groups()
        rows, end = [], 0
        for fact in _FACT.finditer(body):
            if fact.start() != end:
                return match.group(0)
            label, attributes, value = fact.groups()
            rows.append(f'<tr><th scope="row">{label}</th><td{attributes}>{value}</td></tr>')
            end = fact.end()
        if not rows or body[end:].strip():
            return match.group(0)
        return f'<table class="{classes}"><tbody>\n' + "\n".join(rows) + "\n</tbody></table>"
    return _FACTS.sub(replace, html)


def check_fonts(data: ConceptData, language: Language, labels_text: list[str]) -> list[Problem]:
    """Every character a PDF in ``language`` will print must have a font."""
    from klartext.translations import entries

    available = fonts.covered()
    problems = []
    for entry in entries(data):
        translation = entry.text.translations.get(language.code)
        file, line, text = ((translation.file, translation.line, translation.text) if translation
                            else (entry.text.file, entry.text.line, entry.text.de))
        for char in fonts.missing_characters(text, available):
            problems.append(Problem(file, line, _missing(char, text, language)))
    for text in labels_text:
        for char in fonts.missing_characters(text, available):
            problems.append(Problem(f"labels/{language.code}.yml", 0, _missing(char, text, language)))
    return problems


def render_weasyprint(html: str, language: Language, allowed: list[Path]) -> PdfResult:
    """Render ``html`` with WeasyPrint as tagged PDF/UA-1; only files under ``allowed`` are loaded.

    In a process of its own where it can (see :func:`in_own_process`), else with the cycle collector
    paused (see :func:`cycle_collector_paused`): the same bytes either way."""
    _load_shared(html)
    return in_own_process(_render_weasyprint, html, language, allowed)


_LANG = re.compile(r"""\slang=["']([^"'<>]+)["']""")


def _load_shared(html: str) -> None:
    """Load here what WeasyPrint keeps for every document of a process, so that the processes forked for
    one PDF each find it loaded: the package itself (0.3 s) and the hyphenation dictionaries of the
    languages in ``html`` (German 0.5 s, needed by most languages' PDFs for their German passages)."""
    import pyphen
    import weasyprint  # noqa: F401

    for tag in sorted(set(_LANG.findall(html))):
        dictionary = pyphen.language_fallback(tag)
        if dictionary:
            pyphen.Pyphen(lang=dictionary)  # kept in pyphen's cache of dictionaries (by file)


def _render_weasyprint(html: str, language: Language, allowed: list[Path]) -> PdfResult:
    import weasyprint  # heavy: imported when a PDF is made

    fetcher = _fetcher(weasyprint, allowed)
    started = time.perf_counter()
    document = weasyprint.HTML(string=html, base_url=allowed[0].as_uri() + "/", url_fetcher=fetcher).render()
    with pdf_speedup.applied():  # same bytes, without WeasyPrint 70's quadratic tagging step
        content = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    return PdfResult(language.code, content, len(document.pages), time.perf_counter() - started,
                     fetcher.refused, sorted(set(fetcher.loaded)))


# ---------------------------------------------------------------------------------------------
# Python's cycle collector and WeasyPrint: laying out a document, WeasyPrint holds every page's boxes and
# styles (hundreds of thousands of objects, alive until the PDF is written) and makes about a million
# objects in reference cycles that are soon garbage (copies of boxes and styles from layout attempts).
# The collector's full passes walk all live objects, again and again while the layout grows: a fifth of
# a PDF's CPU time (the Leichte Sprache PDF of the 150-measure concept 19.4 s with the collector, 14.7 s
# without). Without the collector the cyclic garbage stays until one collection at the end (1.0 s for the
# German PDF) or the end of the process, which costs nothing: peak memory 3-4 % higher.

def in_own_process(function: Any, *arguments: Any) -> Any:
    """``function(*arguments)`` in a forked process without the cycle collector, which hands back the
    result and ends without freeing its memory; the caller's process keeps only the result.

    Only where forking is safe (a platform with ``fork``, a process with one thread: the PDF workers, a
    benchmark, a test without a server thread); elsewhere in this process with the collector paused.
    An exception of ``function`` is raised here as it was raised there."""
    import multiprocessing
    import threading

    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        with cycle_collector_paused():
            return function(*arguments)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_run_and_send, args=(function, arguments, sender, os.getpid()),
                              name="klartext-pdf")
    process.start()
    sender.close()
    try:
        kind, value = receiver.recv()
    except EOFError:
        kind, value = "crash", None
    finally:
        receiver.close()
        process.join()
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    raise PdfError(f"Die PDF-Erzeugung ist abgebrochen (Code {process.exitcode}; Grund siehe Meldungen "
                   "darüber). Bitte den Bau noch einmal starten." + (f"\n{value}" if value else ""))


def _run_and_send(function: Any, arguments: tuple, sender: Any, parent: int) -> None:
    import pickle
    import sys
    import traceback

    from klartext.publish import die_with_parent

    die_with_parent(parent)  # a stopped build takes the PDF with it
    gc.disable()  # for good: this process ends after one PDF, its memory goes back at once
    try:
        try:
            outcome = ("ok", function(*arguments))
        except Exception as error:  # noqa: BLE001 - raised again in the parent
            outcome = ("raise", error)
            try:
                pickle.dumps(error)
            except Exception:  # noqa: BLE001 - an exception that cannot travel: its text does
                outcome = ("crash", "".join(traceback.format_exception(error)))
        sender.send(outcome)
        sender.close()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


@contextlib.contextmanager
def cycle_collector_paused() -> Any:
    """The cycle collector off while the block runs, then one collection of what the block allocated
    (everything allocated while it was off is still in the youngest generation)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)


def check_engine(engine: str, languages: list[Language]) -> None:
    """Refuse what an engine cannot do, before any PDF is started."""
    if engine == "pdfkit":
        for language in languages:
            _refuse_right_to_left(language)


def _refuse_right_to_left(language: Language) -> None:
    if language.dir == "rtl":
        raise PdfError(
            f"Die PDF-Erzeugung mit pdfkit (wkhtmltopdf) ist für „{language.code}“ abgeschaltet: bei "
            "Schrift von rechts nach links ging in Messungen etwa ein Drittel des Textes verloren. Bitte "
            "in mkdocs.yml „extra.klartext.pdf.engine: weasyprint“ einstellen.")


def render_pdfkit(html: str, language: Language, allowed: list[Path]) -> PdfResult:
    """Render with pdfkit/wkhtmltopdf: untagged, no outline, no page numbers; never right-to-left."""
    _refuse_right_to_left(language)
    try:
        import pdfkit
    except ImportError:
        raise PdfError("Die PDF-Engine pdfkit ist nicht installiert: „.venv/bin/pip install pdfkit==1.0.0“ "
                       "und „apt-get install wkhtmltopdf“ ausführen, oder engine: weasyprint verwenden.") from None
    started = time.perf_counter()
    options = {"encoding": "UTF-8", "disable-local-file-access": None, "quiet": None}
    content = pdfkit.from_string(html, False, options=options)
    return PdfResult(language.code, content, content.count(b"/Type /Page\n"), time.perf_counter() - started)


ENGINES = {"weasyprint": render_weasyprint, "pdfkit": render_pdfkit}


def _missing(char: str, text: str, language: Language) -> str:
    excerpt = text if len(text) <= 60 else text[:57] + "…"
    return (f"PDF ({language.code}): Für das Zeichen „{char}“ (U+{ord(char):04X}) im Text „{excerpt}“ "
            "ist keine Schrift installiert. Bitte das Zeichen ersetzen oder eine Schrift installieren, "
            "die es enthält (z. B. aus fonts-noto).")


def _fetcher(weasyprint: Any, allowed: list[Path]) -> Any:
    roots = [path.resolve() for path in allowed]

    class BuildOnlyFetcher(weasyprint.URLFetcher):
        """Loads ``data:`` URIs and files inside the build; refuses everything else."""

        refused: list[str] = []
        loaded: list[str] = []

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
            self.refused = []
            self.loaded = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    self.loaded.append(str(path))
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"not part of the build: {url}")

    return BuildOnlyFetcher()


@dataclass(frozen=True)
class PdfJob:
    """Everything a worker process needs to make one PDF (picklable; the worker reloads the data)."""

    data_dir: Path
    root: Path
    languages: tuple[Language, ...]
    code: str
    template_dirs: tuple[Path, ...]
    allowed: tuple[Path, ...]
    engine: str = "weasyprint"
    labels_dir: Path | None = None
    cache: bool = True
    """Reuse the PDF of an earlier build when nothing it is made from changed (see :func:`render_cached`)."""
    as_of: Any = None
    """The controlling reference day (``datetime.date``): open milestones before it are late."""


def render_order(languages: list[Language] | tuple[Language, ...]) -> list[Language]:
    """The languages in the order their PDFs are started: the longest first, so that on few cores the
    last PDF to finish is a short one. Easy-to-read text in large type has the most pages, the default
    language the fewest (no notes on untranslated text); the others keep their order."""
    return sorted(languages, key=lambda language: (not language.easy_read, language.default))


_loaded: dict[tuple, tuple[tuple, ConceptData]] = {}
"""The concept a worker process loaded last, with the fingerprint of its data folder (see :func:`_concept`)."""


def _concept(data_dir: Path, others: list[str], root: Path) -> ConceptData:
    """The concept of ``data_dir``, loaded once per worker process while its files stay unchanged: a
    worker makes several languages' PDFs of the same data one after the other."""
    from klartext.validation import load_concept

    key = (str(data_dir), tuple(others), str(root))
    fingerprint = tuple((str(path), _digest(path.read_bytes()))
                        for path in sorted(data_dir.rglob("*")) if path.is_file())
    cached = _loaded.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    data, _ = load_concept(data_dir, others, root)
    _loaded.clear()
    _loaded[key] = (fingerprint, data)
    return data


def make_pdf(job: PdfJob) -> PdfResult:
    """Load the concept and render the PDF of one language (runs in a worker process)."""
    from klartext.labels import load_labels

    others = [language.code for language in job.languages if not language.default]
    data = _concept(job.data_dir, others, job.root)
    language = next(language for language in job.languages if language.code == job.code)
    labels = load_labels(language.code, [] if language.default else ["de"], job.labels_dir)
    html = document_html(data, language, labels, Renderer(list(job.template_dirs)), data.concept.logo,
                         job.as_of)
    if not job.cache or os.environ.get("KLARTEXT_PDF_CACHE", "1") in ("0", "no", "false"):
        return ENGINES[job.engine](html, language, list(job.allowed))
    return render_cached(job.engine, html, language, list(job.allowed), job.root / CACHE_FOLDER)


# ---------------------------------------------------------------------------------------------
# cache: a PDF is made again only when its print HTML, a file it loads, the fonts or the engine changed

CACHE_FOLDER = Path(".cache") / "klartext" / "pdf"
"""Below the project: PDFs of earlier builds. Losing it costs time, nothing else."""

CACHE_FORMAT = "1"
"""Bump when what is stored or how the key is made changes."""

ENGINE_PACKAGES = {"weasyprint": ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "fonttools",
                                  "pyphen", "pillow")}
"""Packages whose version changes a PDF; an engine not listed here is never cached."""

KEEP_PER_LANGUAGE = 2
"""PDFs kept per language (e.g. the site build and the offline copy, if their print HTML differs)."""


def engine_stamp(engine: str) -> list[str]:
    """What, besides the HTML, decides the bytes of a PDF: package versions, Pango, the font files."""
    from importlib import metadata

    stamp = [CACHE_FORMAT, engine]
    for name in ENGINE_PACKAGES[engine]:
        try:
            stamp.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            stamp.append(f"{name}: none")
    if engine == "weasyprint":
        stamp.append(f"pango {_pango_version()}")
    for path in fonts.font_files():
        try:
            info = os.stat(path)
            stamp.append(f"{path} {info.st_size} {info.st_mtime_ns}")
        except OSError:
            stamp.append(f"{path}: missing")
    return stamp


def _pango_version() -> int:
    """The version of the Pango library WeasyPrint draws text with (without importing WeasyPrint)."""
    import ctypes

    for name in ("libpango-1.0.so.0", "libpango-1.0-0.dll", "libpango-1.0.dylib"):
        try:
            return int(ctypes.CDLL(name).pango_version())
        except OSError:
            continue
    from weasyprint.text.ffi import pango  # other platforms: as WeasyPrint finds it

    return int(pango.pango_version())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digests(paths: list[str]) -> dict[str, str | None]:
    digests: dict[str, str | None] = {}
    for path in paths:
        try:
            digests[path] = _digest(Path(path).read_bytes())
        except OSError:
            digests[path] = None
    return digests


def render_cached(engine: str, html: str, language: Language, allowed: list[Path], folder: Path) -> PdfResult:
    """The PDF of ``html``: from ``folder`` if an earlier build made it from the same HTML, files, fonts and
    engine, else rendered (and stored). The bytes are the same either way; a broken or lost cache only
    costs the time of rendering."""
    if engine not in ENGINE_PACKAGES:
        return ENGINES[engine](html, language, allowed)
    started = time.perf_counter()
    key = _digest("\n".join([*engine_stamp(engine), *map(str, allowed), html]).encode("utf-8"))
    stem = folder / f"{language.code}-{key}"
    try:
        entry = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        content = stem.with_suffix(".pdf").read_bytes()
        if (entry["key"] == key and entry["sha256"] == _digest(content)
                and _file_digests(list(entry["files"])) == entry["files"]):
            os.utime(stem.with_suffix(".json"))  # most recently used
            return PdfResult(language.code, content, entry["pages"], time.perf_counter() - started,
                             entry["refused"], list(entry["files"]), cached=True)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not there, or unreadable: render
    result = ENGINES[engine](html, language, allowed)
    try:
        _store(folder, stem, key, result)
    except OSError:
        pass  # a read-only project still builds; it only renders every time
    return result


def _store(folder: Path, stem: Path, key: str, result: PdfResult) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    entry = {"key": key, "sha256": _digest(result.content), "pages": result.pages, "refused": result.refused,
             "files": _file_digests(result.loaded)}
    for suffix, content in ((".pdf", result.content), (".json", json.dumps(entry).encode("utf-8"))):
        temporary = stem.with_suffix(f"{suffix}.{os.getpid()}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, stem.with_suffix(suffix))
    entries = sorted(folder.glob(f"{result.language}-*.json"), key=lambda path: path.stat().st_mtime_ns,
                     reverse=True)
    for old in entries[KEEP_PER_LANGUAGE:]:
        for suffix in (".json", ".pdf"):
            old.with_suffix(suffix).unlink(missing_ok=True)
