"""The whole concept as one PDF per language variant: concept -> HTML -> tagged PDF/UA-1.

Pure Python apart from the engines; the MkDocs adapter decides when and where PDFs are written.
WeasyPrint is the default engine; pdfkit (wkhtmltopdf) is optional and refuses right-to-left text.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from klartext import charts, fonts
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


def document_html(data: ConceptData, language: Language, labels: Labels, renderer: Renderer,
                  logo: str | None = None) -> str:
    """The print HTML of the whole concept in one language."""
    view = View(data, language, labels, "index.md", renderer.icon)
    html = renderer.render("pdf/document.html", v=view, data=data, language=language, logo=logo, charts=charts)
    html = mark_foreign_runs(html, language.tag, SOURCE.tag, for_print=True)
    names = source_names([entry.text.de for entry in entries(data)])
    return mark_source_names(html, language.tag, SOURCE.tag, names)


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
    """Render ``html`` with WeasyPrint as tagged PDF/UA-1; only files under ``allowed`` are loaded."""
    import weasyprint  # heavy: imported when a PDF is made

    fetcher = _fetcher(weasyprint, allowed)
    started = time.perf_counter()
    document = weasyprint.HTML(string=html, base_url=allowed[0].as_uri() + "/", url_fetcher=fetcher).render()
    content = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    return PdfResult(language.code, content, len(document.pages), time.perf_counter() - started,
                     fetcher.refused)


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

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
            self.refused = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
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


def make_pdf(job: PdfJob) -> PdfResult:
    """Load the concept and render the PDF of one language (runs in a worker process)."""
    from klartext.labels import load_labels
    from klartext.validation import load_concept

    others = [language.code for language in job.languages if not language.default]
    data, _ = load_concept(job.data_dir, others, job.root)
    language = next(language for language in job.languages if language.code == job.code)
    labels = load_labels(language.code, [] if language.default else ["de"], job.labels_dir)
    html = document_html(data, language, labels, Renderer(list(job.template_dirs)), data.concept.logo)
    return ENGINES[job.engine](html, language, list(job.allowed))
