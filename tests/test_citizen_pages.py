"""Pages for citizens: Impressum and contact from data, „Fragen oder mitmachen?“, the menu section
„Über dieses Angebot“."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import material
import pytest

from helpers import MINIMAL, edit
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.pages import PageBuilder
from klartext.problems import DataError
from klartext.render import THEME_DIR, Renderer
from klartext.validation import load_concept

GERMAN = Language("de", "Deutsch", default=True)
ARABIC = Language("ar", "العربية")


def _project(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL / "data", tmp_path / "data")
    return tmp_path


def _problems(project: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", ["en", "ar", "ls"], project)
    return [str(problem) for problem in caught.value.problems]


def test_an_impressum_without_its_required_details_is_a_german_error_with_file_and_line(tmp_path: Path) -> None:
    project = _project(tmp_path)
    concept = project / "data" / "concept.yml"
    edit(concept, "    address: Marktplatz 1, 12345 Musterstadt\n    email: info@example.org\n"
                  "    responsible: Erika Muster, Marktplatz 1, 12345 Musterstadt\n", "    email: info@example.org\n")
    line = concept.read_text(encoding="utf-8").split("\n").index("  impressum:") + 1
    # (the follow-on messages of a broken concept section belong to issue 16's cross-stage validation)
    assert (f"data/concept.yml:{line}: Im Impressum fehlen „address“, „responsible“. Bitte ergänzen oder mit "
            "„link:“ auf das Impressum der Stadt verweisen.") in _problems(project)


def test_a_missing_impressum_is_named(tmp_path: Path) -> None:
    project = _project(tmp_path)
    concept = project / "data" / "concept.yml"
    text = concept.read_text(encoding="utf-8")
    start = text.index("  impressum:")
    end = text.index("\n", text.index("    responsible:", start)) + 1
    concept.write_text(text[:start] + text[end:], encoding="utf-8")
    assert any(problem.endswith(": Die Angabe „impressum“ fehlt. Bitte ergänzen.")
               and problem.startswith("data/concept.yml:") for problem in _problems(project))


def test_a_link_to_the_citys_own_impressum_is_enough(tmp_path: Path) -> None:
    project = _project(tmp_path)
    concept = project / "data" / "concept.yml"
    edit(concept, "  impressum:\n    provider: Stadt Musterstadt\n", "  impressum:\n    link: https://example.org/impressum\n"
                  "    provider: Stadt Musterstadt\n")
    edit(concept, "    address: Marktplatz 1, 12345 Musterstadt\n    email: info@example.org\n"
                  "    responsible: Erika Muster, Marktplatz 1, 12345 Musterstadt\n", "")
    data, _ = load_concept(project / "data", ["en", "ar", "ls"], project)
    assert data.concept.impressum.link == "https://example.org/impressum"


def _pages(language: Language) -> dict[str, str]:
    data, _ = load_concept(MINIMAL / "data", ["en", "ar", "ls"], MINIMAL)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    builder = PageBuilder(data, language, load_labels(language.code, ["de"]), renderer)
    return {page.path: page.markdown for page in builder.pages()}, builder


def test_impressum_page_and_footer_link_in_every_language() -> None:
    pages, builder = _pages(GERMAN)
    assert "<dt>Anbieter</dt>\n<dd>Stadt Musterstadt</dd>" in pages["impressum.md"]
    assert "<dt>Verantwortlich für den Inhalt (§ 18 Abs. 2 MStV)</dt>" in pages["impressum.md"]
    assert ("impressum.md", "Impressum") in builder.footer()
    pages, builder = _pages(ARABIC)
    assert "مقدّم الموقع" in pages["impressum.md"]
    assert ("impressum.md", "بيانات الناشر (Impressum)") in builder.footer()


def test_field_and_measure_pages_say_whom_to_ask() -> None:
    pages, _ = _pages(GERMAN)
    for path in ("handlungsfelder/bildung.md", "massnahmen/lesepaten.md"):
        box = pages[path][pages[path].index('<aside class="kt-ask">'):]
        assert box.startswith('<aside class="kt-ask">\n<p class="kt-ask__title">Fragen oder mitmachen?</p>')
        assert 'href="mailto:' in box and 'href="../../kontakt/"' in box
    assert "Verantwortlich: <a" in pages["massnahmen/lesepaten.md"]


def test_pages_about_the_site_sit_in_one_menu_section() -> None:
    _, builder = _pages(GERMAN)
    nav = [item.to_mkdocs() for item in builder.navigation(["ueber.md", "eigene-seite.md"], ["ueber.md"])]
    about = nav[-1]["Über dieses Angebot"]
    assert about == ["ueber.md", {"Erklärung zur Barrierefreiheit": "barrierefreiheit.md"},
                     {"Datenschutz": "datenschutz.md"}, {"Impressum": "impressum.md"}]
    assert "eigene-seite.md" in nav and "ueber.md" not in nav


# --- phone and desktop, in German and Arabic: nothing sticks out -----------------------------------

_OVERFLOW = """() => {
  const viewport = document.documentElement.clientWidth;
  const cells = [];
  for (const cell of document.querySelectorAll('.md-content td, .md-content th')) {
    if (cell.closest('.kt-table-scroll') === null && cell.scrollWidth > cell.clientWidth + 1)
      cells.push(cell.textContent.trim().slice(0, 40));
  }
  return {page: document.documentElement.scrollWidth, viewport, cells};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways_and_no_cell_overflows(site: Path, site_url: str, browser, width: int) -> None:
    from browsing import _site_path, one_per_kind, site_pages

    pages = [page for page in one_per_kind(site_pages(site)) if page.variant in ("", "ar")]
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    found = []
    for page in pages:
        tab.goto(site_url + _site_path().rstrip("/") + page.url)
        result = tab.evaluate(_OVERFLOW)
        if result["page"] > result["viewport"] or result["cells"]:
            found.append((page.path, result))
    context.close()
    assert found == []


@pytest.mark.parametrize("variant", ["", "ar/"])
def test_the_dashboards_row_labels_stay_in_view_when_its_table_scrolls(site_url: str, browser,
                                                                       variant: str) -> None:
    from browsing import _site_path

    context = browser.new_context(viewport={"width": 390, "height": 900})
    tab = context.new_page()
    tab.goto(f"{site_url}{_site_path()}{variant}fortschritt/")
    scroller = tab.locator(".kt-table-scroll").first
    header = tab.locator(".kt-dashboard tbody th").first
    before = header.bounding_box()
    scroller.evaluate("(box) => { box.scrollLeft = (getComputedStyle(box).direction === 'rtl' ? -1 : 1) * 400; }")
    after = header.bounding_box()
    box = scroller.bounding_box()
    context.close()
    assert abs(after["x"] - before["x"]) < 1  # sticky: the field names do not move
    assert box["x"] - 1 <= after["x"] and after["x"] + after["width"] <= box["x"] + box["width"] + 1


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_dashboard_bar_colours_stand_out_against_white_and_have_a_legend() -> None:
    from klartext.controlling import Dashboard

    for colour in Dashboard.palette:
        assert 1.05 / (_luminance(colour) + 0.05) >= 3, colour
    pages, _ = _pages(GERMAN)
    page = pages["fortschritt.md"]
    legend = page[page.index('<ul class="kt-legend">'):page.index("</ul>", page.index('<ul class="kt-legend">'))]
    assert legend.count("<li>") == 2 and "Idee" in legend and "Geplant" in legend  # the fixture's states


def test_a_tap_on_a_glossary_term_opens_its_explanation_inside_the_screen(site: Path, site_url: str,
                                                                          browser) -> None:
    from browsing import _site_path

    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    tab = context.new_page()
    tapped = 0
    for variant in ("", "ar/"):
        start = f"{site_url}{_site_path()}{variant}"
        tab.goto(start)
        terms = tab.locator("a.kt-term")
        for index in range(min(terms.count(), 6)):
            term = terms.nth(index)
            term.scroll_into_view_if_needed()
            term.tap()
            tip = tab.locator(".kt-term-wrap--open .kt-term__tip")
            assert tab.url == start and tip.is_visible()
            box = tip.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
            tip.tap()  # a tap on the explanation closes it
            assert not tip.is_visible()
            tapped += 1
    assert tapped >= 4
    tab.locator("a.kt-term").last.tap()
    tab.locator("a.kt-term").last.tap()  # its explanation is open: the second tap follows the link
    tab.wait_for_url("**/glossar/**")
    context.close()


def test_an_open_milestone_past_the_reference_day_is_marked_late_in_words(tmp_path: Path) -> None:
    project = _project(tmp_path)
    edit(project / "data" / "field.yml", "        - date: 2024-09-01\n          title: Start\n          done: true\n",
         "        - date: 2024-04\n          title: Elternabend\n        - date: 2024-09-01\n          title: Start\n"
         "          done: true\n        - date: 2024-12\n          title: Abschlussfest\n")
    data, _ = load_concept(project / "data", ["en", "ar", "ls"], project)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    shown = {}
    for language in (GERMAN, ARABIC):
        builder = PageBuilder(data, language, load_labels(language.code, ["de"]), renderer)
        page = next(page.markdown for page in builder.pages() if page.path == "massnahmen/lesepaten.md")
        shown[language.code] = [re.sub(r"<[^>]+>|\s+", " ", item).split() for item in
                                re.findall(r'<li class="kt-milestone[^"]*">(.*?)</li>', page, flags=re.S)]
    # the concept's reference day is the end of May 2024: April is late, December is still open
    assert [" ".join(item) for item in shown["de"]] == [
        "April 2024 Elternabend offen, Termin überschritten", "1. September 2024 Start erledigt",
        "Dezember 2024 Abschlussfest offen"]
    assert " ".join(shown["ar"][0]).endswith("لم يتم بعد، وقد فات موعده")
    assert " ".join(shown["ar"][2]).endswith("لم يتم بعد")
