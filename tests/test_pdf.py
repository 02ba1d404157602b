"""The PDF of the whole concept, per language: tagged PDF/UA-1, language, title, outline, content."""

from __future__ import annotations

import http.server
import re
import subprocess
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import ROOT, edit, make_project, mkdocs
from klartext.languages import SOURCE
from klartext.pdf import render_weasyprint
from klartext.validation import load_concept

VARIANTS = {"": ("de", "de"), "en": ("en", "en"), "tr": ("tr", "tr"), "ar": ("ar", "ar"),
            "uk": ("uk", "uk"), "ru": ("ru", "ru"), "ls": ("ls", "de")}
"""Folder in site/ -> (variant code, expected /Lang)."""
FILENAME = "integrationskonzept.pdf"


@pytest.fixture(scope="module")
def concept():
    data, _ = load_concept(ROOT / "data", ["en", "ar", "ls", "tr", "uk", "ru"], ROOT)
    return data


def _text(path: Path) -> str:
    """Text of a PDF as poppler extracts it, in reading order, whitespace collapsed."""
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(raw.split())


def _logical_text(path: Path) -> str:
    """Text in logical order as pypdf reads it from the text layer (poppler swaps lam-alef ligatures)."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


ARABIC_RUN = re.compile(r"[\u0600-\u06FF]+(?:\s+[\u0600-\u06FF]+)+")


def _outline_titles(outline: list) -> list[str]:
    titles = []
    for entry in outline:
        titles += _outline_titles(entry) if isinstance(entry, list) else [entry.title]
    return titles


def _shown(text, code: str) -> str:
    return text.get(code) or text.de


@pytest.mark.parametrize("folder", list(VARIANTS), ids=lambda folder: folder or "de")
def test_pdf_is_tagged_with_language_title_outline_and_content(site: Path, concept, folder: str) -> None:
    code, lang = VARIANTS[folder]
    path = (site / folder if folder else site) / FILENAME
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == lang
    assert reader.metadata.title == _shown(concept.concept.title, code)
    assert "pdfuaid" in reader.xmp_metadata.rdf_root.toxml()
    outline = _outline_titles(reader.outline)
    for field in concept.fields:
        assert f"{field.number}. {_shown(field.title, code)}" in outline
    if code == "ar":  # Latin names inside Arabic lines come out in visual order: check Arabic runs
        text = _logical_text(path)
        for measure in concept.measures:
            for run in ARABIC_RUN.findall(_shown(measure.title, code)):
                assert " ".join(run.split()) in text, (measure.id, run)
    else:
        text = _text(path)
        for measure in concept.measures:
            assert " ".join(_shown(measure.title, code).split()) in text, measure.id
    assert len(concept.fields) + 5 < len(reader.pages) < 150


def test_arabic_text_is_extracted_in_logical_order(site: Path, concept) -> None:
    text = _logical_text(site / "ar" / FILENAME)
    summary = concept.get("measures", "wiki-sprachfoerderung").summary.get("ar")
    first_sentence = ARABIC_RUN.findall(summary)[0]
    assert " ".join(first_sentence.split()) in text
    assert concept.fields[0].title.get("ar") in text
    assert "الاندماج" in text  # lam-alef ligature in logical order


def test_german_is_hyphenated_and_easy_language_is_not(site: Path) -> None:
    split_word = re.compile("[a-zäöüß][-\u2010\u00ad]\n[a-zäöüß]")
    german = subprocess.run(["pdftotext", str(site / FILENAME), "-"], capture_output=True, text=True).stdout
    easy = subprocess.run(["pdftotext", str(site / "ls" / FILENAME), "-"], capture_output=True, text=True).stdout
    assert len(split_word.findall(german)) >= 5
    assert split_word.findall(easy) == []


def test_every_page_links_the_pdf_of_its_language_with_its_size(site: Path) -> None:
    for folder, (code, _) in VARIANTS.items():
        page = (site / folder / "kontakt" / "index.html") if folder else site / "kontakt" / "index.html"
        html = page.read_text(encoding="utf-8")
        match = re.search(r'<p class="kt-pdf-link"><a href="([^"]+)"[^>]*>(.*?)</a>', html)
        assert match, page
        assert match.group(1) == f"../{FILENAME}"
        text = re.sub(r"<[^>]+>", "", match.group(2))  # "PDF" sits in its own <bdi> on Arabic pages
        assert re.search(r"\d[.,]\d", text), text


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (name given by http.server)
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.end_headers()
        self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("logo", ["remote", "outside", "file-url"])
def test_url_fetcher_loads_nothing_outside_the_build(tmp_path: Path, logo: str) -> None:
    """Second line of defence: even HTML that names other sources (validation refuses such a logo,
    see the next test) makes the PDF engine load nothing outside docs/."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    docs = tmp_path / "project" / "docs"
    docs.mkdir(parents=True)
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    url = {"remote": f"http://127.0.0.1:{server.server_port}/logo.svg",
           "outside": (docs / ".." / ".." / "secret.svg").as_uri(), "file-url": secret.as_uri()}[logo]
    html = f'<html lang="de"><body><p>Logo</p><img src="{url}" alt="Logo"></body></html>'
    try:
        result = render_weasyprint(html, SOURCE, [docs])
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.requests == []
    assert result.refused == [url]
    assert b"/Subtype /Image" not in result.content


@pytest.mark.parametrize("logo", ["https://example.org/logo.svg", "../geheim.svg", "file:///etc/passwd"])
def test_logo_must_be_a_file_inside_docs(tmp_path: Path, logo: str) -> None:
    project = make_project(tmp_path)
    (project / "geheim.svg").write_text("<svg/>", encoding="utf-8")
    concept = project / "data" / "concept.yml"
    edit(concept, "\n  contact:", f"\n  logo: {logo}\n  contact:")
    result = mkdocs(project, "build")
    assert result.returncode == 1
    assert (f"data/concept.yml:8: Die Datei „{logo}“ (in „logo“) gibt es nicht im Ordner docs/. Bitte "
            "die Datei dort ablegen") in result.stderr


def test_logo_inside_the_build_is_embedded(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    concept = project / "data" / "concept.yml"
    edit(concept, "\n  contact:", "\n  logo: assets/favicon.svg\n  contact:")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "nicht geladen" not in result.stderr


def test_character_without_font_stops_the_build(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    translations = project / "data" / "translations" / "en.yml"
    edit(translations, "text: Reading mentors", "text: Reading mentors \U00013000")
    result = mkdocs(project, "build")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert ("data/translations/en.yml:16: PDF (en): Für das Zeichen „\U00013000“ (U+13000) im Text "
            "„Reading mentors \U00013000“ ist keine Schrift installiert.") in result.stderr


def test_pdfkit_engine_refuses_right_to_left(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    edit(config, "    data_dir: data", "    data_dir: data\n    pdf:\n      engine: pdfkit")
    result = mkdocs(project, "build")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert ("Die PDF-Erzeugung mit pdfkit (wkhtmltopdf) ist für „ar“ abgeschaltet: bei Schrift von rechts "
            "nach links ging in Messungen etwa ein Drittel des Textes verloren.") in result.stderr


def test_preview_can_skip_pdfs(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = mkdocs(project, "build", env={"KLARTEXT_PDF": "0"})
    assert result.returncode == 0
    assert not (project / "site" / FILENAME).exists()
    assert "kt-pdf-link" not in (project / "site" / "index.html").read_text(encoding="utf-8")


def test_print_html_does_not_gloss_terms() -> None:
    """Tooltips and links to the web glossary make no sense on paper (the PDF has its own glossary)."""
    import material

    from helpers import MINIMAL
    from klartext.labels import load_labels
    from klartext.languages import SOURCE
    from klartext.pdf import document_html
    from klartext.render import THEME_DIR, Renderer

    data, _ = load_concept(MINIMAL / "data", ["en", "ar", "ls"], MINIMAL)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    html = document_html(data, SOURCE, load_labels("de", []), renderer)
    assert "Jedes Leitziel zählt" in html
    assert "kt-term" not in html


@pytest.mark.parametrize("folder", ["", "ar/", "ls/"])
def test_no_page_holds_only_the_last_rows_of_something(site: Path, folder: str) -> None:
    """A nearly empty page is only allowed where a chapter ends (chapters start on a new page)."""
    reader = PdfReader(site / folder / "integrationskonzept.pdf")
    starts = {reader.get_destination_page_number(entry) for entry in reader.outline if not isinstance(entry, list)}
    short = []
    for number, page in enumerate(reader.pages):
        lines = [line for line in (page.extract_text() or "").split("\n") if line.strip()]
        ends_chapter = number + 1 in starts or number + 1 == len(reader.pages)
        if number and len(lines) < 8 and not ends_chapter:
            short.append((number + 1, lines))
    assert short == []


def test_facts_become_tables_with_row_headers_and_the_same_text() -> None:
    """Label and value side by side, laid out once (a grid lays out its items twice)."""
    from klartext.pdf import facts_as_tables

    html = ('<dl class="kt-facts">\n<dt>Stand</dt>\n<dd><span class="kt-state">Geplant</span></dd>\n'
            '<dt>Web</dt><dd class="kt-url">https://example.org</dd>\n</dl>'
            '<dl class="kt-glossary"><dt>Wort</dt><dd>Erklärung</dd></dl>')
    result = facts_as_tables(html)
    assert result.startswith('<table class="kt-facts"><tbody>')
    assert ('<tr><th scope="row">Stand</th><td><span class="kt-state">Geplant</span></td></tr>\n'
            '<tr><th scope="row">Web</th><td class="kt-url">https://example.org</td></tr>') in result
    assert result.endswith('<dl class="kt-glossary"><dt>Wort</dt><dd>Erklärung</dd></dl>')  # not facts


@pytest.mark.parametrize("html", [
    '<dl class="kt-facts"><dt>A</dt><dd>1</dd><p>dazwischen</p><dt>B</dt><dd>2</dd></dl>',
    '<dl class="kt-facts"><dt>A</dt><dd><dl class="kt-facts"><dt>B</dt><dd>2</dd></dl></dd></dl>',
    '<dl class="kt-facts"><dt>A</dt><dt>B</dt><dd>2</dd></dl>',
    '<dl class="kt-facts"></dl>',
])
def test_facts_that_are_not_label_value_pairs_stay_a_list(html: str) -> None:
    from klartext.pdf import facts_as_tables

    assert "<table" not in facts_as_tables(html)


def test_print_html_of_the_example_has_its_facts_as_tables(concept) -> None:
    import material

    from klartext.labels import load_labels
    from klartext.pdf import document_html
    from klartext.render import THEME_DIR, Renderer

    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    html = document_html(concept, SOURCE, load_labels("de", []), renderer)
    assert html.count('<table class="kt-facts">') >= len(concept.measures)
    assert '<dl class="kt-facts' not in html  # every list of facts in the print template converts


def test_longest_pdfs_start_first() -> None:
    from klartext.languages import Language
    from klartext.pdf import render_order

    languages = [Language("de", "Deutsch", default=True), Language("en", "English"), Language("ar", "عربي"),
                 Language("ls", "Leichte Sprache", "de")]
    assert [language.code for language in render_order(languages)] == ["ls", "en", "ar", "de"]


def test_worker_loads_the_data_once_and_again_when_a_file_changes(tmp_path: Path) -> None:
    from klartext.pdf import _concept

    project = make_project(tmp_path)
    first = _concept(project / "data", ["en", "ar", "ls"], project)
    assert _concept(project / "data", ["en", "ar", "ls"], project) is first
    concept_file = project / "data" / "concept.yml"
    text = concept_file.read_text(encoding="utf-8")
    title = first.concept.title.de
    changed = title[:-1] + ("X" if title[-1] != "X" else "Y")  # same length: the size does not tell
    concept_file.write_text(text.replace(title, changed, 1), encoding="utf-8")
    again = _concept(project / "data", ["en", "ar", "ls"], project)
    assert again is not first and again.concept.title.de == changed


def test_goals_of_a_measure_stand_one_per_line_in_the_print_html(concept) -> None:
    """Goal titles are sentences: joined by the list separator they read "… Voraussetzungen mit., Alle …"
    (and "…اللازمة.، يحصل" in Arabic); in the PDF each stands on its own line, set apart from the next."""
    import re

    import material

    from klartext.labels import load_labels
    from klartext.languages import Language
    from klartext.pdf import document_html
    from klartext.render import THEME_DIR, Renderer

    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    several = [measure for measure in concept.measures if len(measure.goals) > 1]
    assert several  # the example has measures serving two goals
    for language, labels in [(SOURCE, load_labels("de", [])), (Language("ar", "عربي"), load_labels("ar", []))]:
        html = document_html(concept, language, labels, renderer)
        joined = re.findall(r'<a href="#ziel-[^"]+">[^<]*</a>(.{0,12})<a href="#ziel-', html)
        # each goal an item of one list (a gap between them; a screen reader announces the list)
        assert joined and all(between == "</li><li>" for between in joined), (language.code, joined[:3])
