"""Generated pages (the HTML MkDocs gets, and its table of contents) against small golden files, plus
escaping and fallback marking.

Regenerate the golden files after an intended change with ``KLARTEXT_UPDATE_GOLDEN=1 pytest
tests/test_pages.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import material
import pytest

from helpers import MINIMAL, ROOT
from klartext.headings import page_html
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.pages import PageBuilder
from klartext.render import THEME_DIR, Renderer
from klartext.validation import load_concept

GOLDEN = Path(__file__).parent / "golden"
GERMAN = Language("de", "Deutsch", default=True)
ENGLISH = Language("en", "English")
ARABIC = Language("ar", "العربية")
EASY = Language("ls", "Leichte Sprache", html_lang="de")


def _pages(language: Language, data_dir: Path = MINIMAL / "data") -> dict[str, str]:
    data, _ = load_concept(data_dir, ["en", "ar", "ls"], data_dir.parent)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    fallbacks = [] if language.code == "de" else ["de"]
    builder = PageBuilder(data, language, load_labels(language.code, fallbacks), renderer)
    return {page.path: page.markdown for page in builder.pages()}


def _toc(tokens: list, depth: int = 0) -> str:
    return "".join(f"{'  ' * depth}{token['name']} #{token['id']}\n{_toc(token['children'], depth + 1)}"
                   for token in tokens)


@pytest.mark.parametrize("language", [GERMAN, ENGLISH], ids=lambda lang: lang.code)
@pytest.mark.parametrize("path", ["handlungsfelder/bildung.md", "massnahmen/lesepaten.md"])
def test_page_html_and_table_of_contents_match_golden_files(language: Language, path: str) -> None:
    """What MkDocs gets for a generated page: front matter, then HTML (no Markdown pass), and the
    table of contents built from its headings."""
    source = _pages(language)[path]
    front_matter, separator, body = source.partition("\n---\n")
    assert front_matter.startswith("---\n") and separator
    html, tokens = page_html(body)
    stem = GOLDEN / f"{language.code}-{path.replace('/', '-').removesuffix('.md')}"
    actual = {stem.with_suffix(".html"): f"{front_matter}{separator}{html}\n", stem.with_suffix(".toc"): _toc(tokens)}
    for golden, text in actual.items():
        if os.environ.get("KLARTEXT_UPDATE_GOLDEN"):
            golden.write_text(text, encoding="utf-8")
        assert text == golden.read_text(encoding="utf-8"), golden.name


def test_every_concept_page_is_generated() -> None:
    assert sorted(_pages(GERMAN)) == [
        "aenderungen.md", "akteure.md", "barrierefreiheit.md", "beteiligung.md", "daten.md",
        "datenschutz.md", "fortschritt.md", "glossar.md", "handlungsfelder/bildung.md",
        "handlungsfelder/sprache.md", "impressum.md", "index.md", "kontakt.md", "massnahmen/index.md",
        "massnahmen/lesepaten.md"]


def test_markup_in_data_is_escaped() -> None:
    field = _pages(GERMAN)["handlungsfelder/bildung.md"]
    assert "<b>Markup</b>" not in field
    assert "Zweiter Absatz mit &lt;b&gt;Markup&lt;/b&gt;, das als Text erscheint." in field


def test_markdown_and_template_syntax_in_titles_is_shown_as_text(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    for source in (MINIMAL / "data").rglob("*.yml"):
        target = data_dir / source.relative_to(MINIMAL / "data")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8").replace(
            "title: Lesepatenschaften", "title: '[Klick](javascript:alert(1)) *fett* {{ x }}'"),
            encoding="utf-8")
    page = _pages(GERMAN, data_dir)["massnahmen/lesepaten.md"]
    assert "<h1>[Klick](javascript:alert(1)) *fett* {{ x }}</h1>" in page  # no Markdown pass makes it a link


def test_missing_translation_falls_back_to_marked_german() -> None:
    measure = _pages(ENGLISH)["massnahmen/lesepaten.md"]
    assert "Reading mentors" in measure
    assert ('<div lang="de" dir="ltr">\n<p>Einmal pro Woche in der Bibliothek.</p>' in measure)
    assert "kt-fallback__note" in measure


def test_arabic_fallback_is_left_to_right_german() -> None:
    measure = _pages(ARABIC)["massnahmen/lesepaten.md"]
    assert '<span lang="de" dir="ltr">Lesepatenschaften</span>' in measure


def test_easy_language_variant_uses_german_labels_and_marks_missing_texts() -> None:
    measure = _pages(EASY)["massnahmen/lesepaten.md"]
    assert '<div lang="de" dir="ltr">\n<p>Ehrenamtliche lesen mit Kindern.</p>' in measure


def test_dates_and_amounts_follow_the_reader_language() -> None:
    german = _pages(GERMAN)["massnahmen/lesepaten.md"]
    english = _pages(ENGLISH)["massnahmen/lesepaten.md"]
    assert "September 2024 bis Juli 2025" in german
    assert "ca. 1.500 €" in german
    assert "1. Oktober 2024" in german
    assert "October 1, 2024" in english


def test_first_mention_of_a_glossary_term_is_explained_on_hover_and_focus() -> None:
    start = _pages(GERMAN)["index.md"]
    marked = ('<span class="kt-term-wrap"><a class="kt-term" href="glossar/#begriff-leitziel" '
              'aria-describedby="tip-leitziel">Leitziel</a><span class="kt-term__tip" role="tooltip" '
              'id="tip-leitziel" data-search-exclude>Ein übergeordnetes Ziel.</span></span>')
    assert start.count(marked) == 1
    assert "zählt, jedes Leitziel hat" in start  # only the first mention on a page
    assert "kt-term" not in _pages(GERMAN)["glossar.md"]


def test_untranslated_term_is_not_searched_in_translated_text() -> None:
    assert "kt-term" not in _pages(ENGLISH)["index.md"]


def test_markdown_emphasis_in_data_texts_is_shown_and_nothing_else_acts(tmp_path: Path) -> None:
    """Leichte Sprache stresses a word with **bold**; links, images and markup stay text."""
    data_dir = tmp_path / "data"
    for source in (MINIMAL / "data").rglob("*.yml"):
        target = data_dir / source.relative_to(MINIMAL / "data")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8").replace(
            "Einmal pro Woche in der Bibliothek.",
            "Einmal pro Woche **nicht** in der Bibliothek, *sondern* [hier](javascript:alert(1)) <b>x</b> ![b](y.png)"),
            encoding="utf-8")
    page = _pages(GERMAN, data_dir)["massnahmen/lesepaten.md"]
    assert ("<p>Einmal pro Woche <strong>nicht</strong> in der Bibliothek, <em>sondern</em> "
            "[hier](javascript:alert(1)) &lt;b&gt;x&lt;/b&gt; ![b](y.png)</p>") in page


def test_names_keep_their_own_language_and_need_no_notice() -> None:
    """People, addresses and organisations on an Arabic contact page: lang="de", no fallback notice."""
    contact = _pages(ARABIC, ROOT / "data")["kontakt.md"]
    assert '<li><span lang="de" dir="ltr">Dr. Freya Markowis</span> – ' in contact
    assert "kt-fallback" not in contact
    german = _pages(GERMAN, ROOT / "data")["kontakt.md"]
    assert "Die Projektgruppe freut sich über Ihre Nachricht." in german  # Lehrte names a project group
