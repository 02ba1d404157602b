"""Measures in context (issue 16): further fields, relations in both directions, planned against actual
dates, progress rolled up from sub-measures, the measures an indicator tracks. The fixture is a second
city's measures (tests/fixtures/context/kontext.yml) on top of the minimal project."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import lxml.html
import material
import pytest

from helpers import FIXTURES, MINIMAL
from klartext import links
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.pages import PageBuilder
from klartext.relations import Context
from klartext.render import THEME_DIR, Renderer
from klartext.validation import load_concept

CONTEXT = FIXTURES / "context"
GERMAN = Language("de", "Deutsch", default=True)
ARABIC = Language("ar", "العربية")
EASY = Language("ls", "Leichte Sprache", html_lang="de")


def _measure(measure_id: str, parent: str | None = None, progress: int | None = None,
             weight: float | None = None) -> SimpleNamespace:
    return SimpleNamespace(id=measure_id, parent=parent, progress=progress, weight=weight,
                           depends_on=[], related=[], replaces=[])


def test_progress_rolls_up_as_mean_and_weighted_mean() -> None:
    # unweighted: (80 + 20) / 2 = 50; "c" has no progress and is left out (2 of 3 counted)
    plain = [_measure("p"), _measure("a", "p", 80), _measure("b", "p", 20), _measure("c", "p")]
    result = Context(plain).rollup(plain[0])
    assert (result.percent, result.counted, result.children, result.weighted) == (50.0, 2, 3, False)
    # weighted: (80 * 3 + 20 * 1) / (3 + 1) = 260 / 4 = 65 (a sub-measure without weight counts 1)
    weighted = [_measure("p"), _measure("a", "p", 80, 3), _measure("b", "p", 20)]
    result = Context(weighted).rollup(weighted[0])
    assert (result.percent, result.weighted) == (65.0, True)
    # two levels: "b" = (10 + 40) / 2 = 25; "p" = (100 * 1 + 25 * 2) / 3 = 150 / 3 = 50
    nested = [_measure("p"), _measure("a", "p", 100), _measure("b", "p", None, 2),
              _measure("b1", "b", 10), _measure("b2", "b", 40)]
    context = Context(nested)
    assert context.rollup(nested[2]).percent == 25.0
    assert context.rollup(nested[0]).percent == 50.0
    # no sub-measure knows its progress: nothing is made up
    unknown = [_measure("p"), _measure("a", "p")]
    assert Context(unknown).rollup(unknown[0]).percent is None


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("context") / "project"
    shutil.copytree(MINIMAL / "data", root / "data")
    shutil.copy(CONTEXT / "kontext.yml", root / "data" / "zz-kontext.yml")
    shutil.copy(CONTEXT / "ar.yml", root / "data" / "translations" / "ar.yml")
    return root


def _pages(project: Path, language: Language) -> dict[str, lxml.html.HtmlElement]:
    data, _ = load_concept(project / "data", ["en", "ar", "ls"], project)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    labels = load_labels(language.code, [] if language.code == "de" else ["de"])
    builder = PageBuilder(data, language, labels, renderer)
    return {page.path: lxml.html.fromstring(page.markdown.partition("\n---\n")[2])
            for page in builder.pages()}


def _text(element: lxml.html.HtmlElement) -> str:
    """The text a reader sees (a state's icon stands where "( " shows a space after the bracket)."""
    return " ".join(element.text_content().split()).replace("( ", "(")


def _facts(page: lxml.html.HtmlElement, heading_id: str | None = None) -> dict[str, str]:
    """The dt/dd pairs of the first description list (after the heading with ``heading_id``)."""
    lists = page.xpath(f'//h2[@id="{heading_id}"]/following::dl[1]' if heading_id else "//dl[@class='kt-facts']")
    terms = lists[0].xpath("./dt")
    return {_text(term): _text(term.getnext()) for term in terms}


def test_measure_page_in_german_shows_context(project: Path) -> None:
    pages = _pages(project, GERMAN)
    page = pages["massnahmen/lesefest.md"]
    lead = _text(page.xpath("//p[@class='kt-badges']")[0])
    assert lead == "Verzögert · Handlungsfeld: 1. Bildung · Gehört auch zu: 2. Sprache"
    facts = _facts(page)
    assert facts["Begründung"] == "Der Saal der Bibliothek war erst ab November frei."
    assert facts["Erledigt"] == "65 % (gewichteter Mittelwert der Teile: 2 von 3 mit Angabe)"
    bar = page.xpath("//dd/span[@class='kt-meter']//rect[@class='kt-meter__fill']")[0]
    assert (bar.get("x"), bar.get("width")) == ("0", "65")
    rows = [[_text(cell) for cell in row.xpath("./th|./td")] for row in page.xpath("//table[@class='kt-table kt-schedule']//tr")]
    assert rows == [["", "Geplant", "Tatsächlich"], ["Beginn", "September 2024", "November 2024"],
                    ["Ende", "Juni 2025", "noch offen"]]
    table = page.xpath("//h2[@id='teilmassnahmen']/following::table[1]")[0]
    assert [_text(cell) for cell in table.xpath(".//thead//th")] == ["Maßnahme", "Stand", "Erledigt", "Gewicht",
                                                                       "Verantwortlich"]
    subs = [[_text(cell) for cell in row.xpath("./td")][:4] for row in table.xpath(".//tbody/tr")]
    assert subs == [["Bücher für das Lesefest", "In Umsetzung", "80 %", "3"],
                    ["Raum für das Lesefest", "In Umsetzung", "20 %", "1"],
                    ["Werbung für das Lesefest", "Idee", "keine Angabe", "1"]]
    # the delayed measure stands at the running step of its path, marked as delayed
    assert _text(page.xpath("//li[@aria-current='step']")[0]) == "In Umsetzung (jetzt, Verzögert)"
    assert _text(page.xpath("//h2[@id='teilmassnahmen']")[0]) == "Teile der Maßnahme"
    assert _facts(page, "zusammenhang") == {"Hängt ab von": "Lesepatenschaften (Geplant)",
                                            "Verwandt mit": "Lesecafé (In Umsetzung)"}
    indicators = [_text(item) for item in page.xpath("//h2[@id='indikatoren']/following::ul[1]/li")]
    assert indicators == ["Gäste beim Lesefest – Auf Kurs"]
    # the reverse directions, worded from the other measure's side
    assert _facts(pages["massnahmen/lesepaten.md"], "zusammenhang") == {
        "Voraussetzung für": "Lesefest im Stadtteil (Verzögert)"}
    assert _facts(pages["massnahmen/lesekreis.md"], "zusammenhang") == {"Ersetzt durch": "Lesecafé (In Umsetzung)"}
    assert _facts(pages["massnahmen/lesecafe.md"], "zusammenhang") == {
        "Ersetzt": "Lesekreis (Verworfen)", "Verwandt mit": "Lesefest im Stadtteil (Verzögert)"}
    sub = pages["massnahmen/lesefest-raum.md"]
    assert _text(sub.xpath("//p[@class='kt-badges']")[0]).endswith("· Teil von: Lesefest im Stadtteil")


def test_field_pages_list_a_measure_of_several_fields_and_the_dashboard_counts_it_once(project: Path) -> None:
    pages = _pages(project, GERMAN)
    sprache = pages["handlungsfelder/sprache.md"]
    rows = [[_text(cell) for cell in row.xpath("./td")] for row in sprache.xpath("//table//tbody/tr")]
    assert rows[0][:3] == ["Lesecafé", "In Umsetzung", "45 %"]
    assert rows[1][:3] == ["Lesefest im Stadtteil Gehört vor allem zu: 1. Bildung", "Verzögert", "65 %"]
    bildung = pages["handlungsfelder/bildung.md"]
    titles = [_text(cell) for cell in bildung.xpath("//h2[text()='Maßnahmen']/following::table[1]//tbody/tr/td[1]")]
    assert "Lesefest im Stadtteil" in titles and not any("Gehört vor allem zu" in title for title in titles)
    # on the field page the indicator names the measure whose progress it shows
    tracked = bildung.xpath("//figure[@id='indikator-lesefest-gaeste']//p[contains(@class, 'kt-indicator__measures')]")
    assert _text(tracked[0]) == "Zeigt den Fortschritt von: Lesefest im Stadtteil"
    dashboard = pages[links.DASHBOARD]
    table = dashboard.xpath("//table[.//tfoot]")[0]
    states = [_text(cell) for cell in table.xpath("./thead/tr/th")][1:-2]
    rows = {_text(row.xpath("./th")[0]): [_text(cell) for cell in row.xpath("./td")][:len(states) + 1]
            for row in table.xpath("./tbody/tr")}
    # 1 + 6 measures; "lesefest" (field 1, also field 2) and "lesecafe" (field 2) are each counted once
    assert [_text(cell) for cell in table.xpath("./tfoot/tr/td")][len(states)] == "7"
    assert rows["2. Sprache"][states.index("Verzögert")] == "0"
    assert rows["2. Sprache"][len(states)] == "1"


def test_measure_page_in_arabic_reads_right_to_left(project: Path) -> None:
    pages = _pages(project, ARABIC)
    page = pages["massnahmen/lesefest.md"]
    facts = _facts(page)
    assert facts["السبب"] == "لم تكن قاعة المكتبة متاحة إلا ابتداءً من نوفمبر."
    assert facts["نسبة الإنجاز"].startswith("65")
    bar = page.xpath("//dd/span[@class='kt-meter']//rect[@class='kt-meter__fill']")[0]
    assert (bar.get("x"), bar.get("width")) == ("35", "65")  # filled from the right edge
    assert _facts(page, "zusammenhang") == {"يعتمد على": "رعاة القراءة (مخطَّط)", "مرتبط بـ": "مقهى القراءة (قيد التنفيذ)"}
    assert _facts(pages["massnahmen/lesekreis.md"], "zusammenhang") == {"حلّ محلّه": "مقهى القراءة (قيد التنفيذ)"}
    headers = [_text(cell) for cell in page.xpath("//table[@class='kt-table kt-schedule']//thead//th")]
    assert headers == ["المخطَّط", "الفعلي"]


def test_easy_language_lists_planned_and_actual_and_names_the_parts(project: Path) -> None:
    page = _pages(project, EASY)["massnahmen/lesefest.md"]
    facts = _facts(page)
    assert "So war es geplant: von September 2024 bis Juni 2025" in facts["Wann?"]
    assert "So war es wirklich: ab November 2024" in facts["Wann?"]
    assert _text(page.xpath("//h2[@id='teilmassnahmen']")[0]) == "Die Teile von dieser Maßnahme"


def test_downloads_carry_the_new_columns(project: Path) -> None:
    from klartext.opendata import tables, to_csv

    data, _ = load_concept(project / "data", ["en", "ar", "ls"], project)
    found = {table.name: table for table in tables(data, GERMAN)}
    measures = {record["id"]: record for record in found["massnahmen"].records()}
    assert {key: measures["lesefest"][key] for key in (
        "weitere_handlungsfelder", "haengt_ab_von", "verwandt_mit", "beginn", "beginn_tatsaechlich",
        "ende_tatsaechlich", "begruendung_stand", "fortschritt_prozent", "fortschritt_berechnet")} == {
        "weitere_handlungsfelder": "sprache", "haengt_ab_von": "lesepaten", "verwandt_mit": "lesecafe",
        "beginn": "2024-09", "beginn_tatsaechlich": "2024-11", "ende_tatsaechlich": None,
        "begruendung_stand": "Der Saal der Bibliothek war erst ab November frei.", "fortschritt_prozent": 65.0,
        "fortschritt_berechnet": True}
    assert (measures["lesefest-buecher"]["uebergeordnet"], measures["lesefest-buecher"]["gewicht"]) == ("lesefest", 3.0)
    assert measures["lesecafe"]["ersetzt"] == "lesekreis"
    indicators = {record["id"]: record for record in found["indikatoren"].records()}
    assert indicators["lesefest-gaeste"]["massnahmen"] == "lesefest"
    header = to_csv(found["massnahmen"]).splitlines()[0]
    assert "fortschritt_prozent" in header and "beginn_tatsaechlich" in header
