"""Charts, the progress dashboard and the changes page.

Dashboard numbers are checked against the example data read straight from the YAML files and
counted here, independently of klartext.controlling.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import material
import pytest
import yaml

from helpers import MINIMAL, ROOT, read_config
from html_tools import resolve
from klartext.charts import indicator_chart, scale_maximum
from klartext.controlling import SettingsError, read_settings
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.model import Indicator
from klartext.pages import PageBuilder
from klartext.render import THEME_DIR, Renderer
from klartext.validation import load_concept

GERMAN = Language("de", "Deutsch", default=True)
ARABIC = Language("ar", "العربية")
CONFIG = read_config(ROOT / "mkdocs.yml")
CONTROLLING = CONFIG["extra"]["klartext"]["controlling"]


def _series() -> Indicator:
    return Indicator.model_validate({
        "id": "quote", "goal": "lesen", "title": "Quote", "unit": "Prozent",
        "baseline": {"value": 30, "year": 2022}, "target": {"value": 80, "year": 2026},
        "values": [{"date": "2024-06", "value": 55, "note": "Zwischenstand"}, {"date": 2023, "value": 40}],
    })


def test_chart_of_a_known_series_scales_to_a_round_maximum_and_marks_the_target() -> None:
    chart = indicator_chart(_series())
    assert chart.maximum == 100
    assert [(bar.kind, bar.value, bar.x, bar.width) for bar in chart.bars] == [
        ("baseline", 30, 0, 30), ("value", 40, 0, 40), ("value", 55, 0, 55), ("target", 80, 0, 80)]
    assert chart.target_x == 80


def test_chart_grows_from_the_right_in_right_to_left_pages() -> None:
    chart = indicator_chart(_series(), rtl=True)
    assert [(bar.x, bar.width) for bar in chart.bars] == [(70, 30), (60, 40), (45, 55), (20, 80)]
    assert chart.target_x == 20


@pytest.mark.parametrize(("values", "maximum"), [([0], 1), ([3], 5), ([7], 10), ([20, 12], 20),
                                                  ([0.4], 0.5), ([33000], 50000), ([101], 200)])
def test_scale_maximum(values: list[float], maximum: float) -> None:
    assert scale_maximum(values) == pytest.approx(maximum)


def _field_page(language: Language) -> str:
    data, _ = load_concept(MINIMAL / "data", ["en", "ar", "ls"], MINIMAL)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    builder = PageBuilder(data, language, load_labels(language.code, ["de"]), renderer)
    return next(page.markdown for page in builder.pages() if page.path == "handlungsfelder/bildung.md")


def test_chart_html_has_figure_caption_hidden_bars_target_marker_and_a_table() -> None:
    page = _field_page(GERMAN)
    # (a line break between table cells keeps text extractors from gluing words: compare without it)
    figure = re.sub(r">\n<", "><", page[page.index('<figure class="kt-chart'):page.index("</figure>")])
    assert '<div class="kt-chart__bars" aria-hidden="true">' in figure
    assert "<text" not in figure  # chart text is HTML, never SVG text
    assert figure.count('<line class="kt-chart__target" x1="80.0" x2="80.0"') == 3  # one per bar
    assert "Senkrechte gestrichelte Linie: Zielwert 80 (bis 2026)" in figure
    rows = re.findall(r'<tr class="kt-chart__data--(\w+)"><th scope="row">([^<]*)</th><td>([^<]*)</td>', figure)
    assert rows == [("baseline", "Ausgangswert 2023", "60"), ("value", "2024", "65"), ("target", "Ziel 2026", "80")]
    assert "\n\n" not in figure  # one HTML block for Markdown


def test_chart_in_arabic_is_mirrored_and_labelled_in_arabic() -> None:
    page = _field_page(ARABIC)
    assert '<rect class="kt-chart__bar" x="40.0" y="1.5" width="60.0"' in page
    assert 'x1="20.0" x2="20.0"' in page
    assert "القيمة الأساسية 2023" in page and "الهدف 2026" in page


# ---------------------------------------------------------------------------------------------
# dashboard against the example data, counted here from the raw YAML


def _raw() -> dict[str, list]:
    merged: dict[str, list] = {}
    for path in sorted((ROOT / "data").rglob("*.yml")):
        if "translations" in path.parts:
            continue
        for key, value in (yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader) or {}).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    return merged


def _last_day(value: object) -> dt.date:
    text = str(value)
    if len(text) == 4:
        return dt.date(int(text), 12, 31)
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:])
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date.fromisoformat(text)


def _cells(html: str, section_id: str) -> dict[tuple[str, int], str]:
    """(row header text, column) -> cell HTML of the table after the heading ``section_id``."""
    start = html.index(f'id="{section_id}"')
    table = html[html.index("<table", start):html.index("</table>", start)]
    cells = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        header = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if header is None:
            continue
        name = re.sub(r"<[^>]+>", "", header.group(1)).strip()
        for column, cell in enumerate(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)):
            cells[(name, column)] = cell
    return cells


def _linked_measures(site: Path, page: Path, cell: str) -> set[str]:
    """The measures listed where the number in ``cell`` links to."""
    href = re.search(r'href="([^"]+)"', cell).group(1)
    target, fragment = resolve(site, page, href)
    html = target.read_text(encoding="utf-8")
    start = html.index(f'id="{fragment}"') if fragment else 0
    block = html[start:html.index("</ul>", start)]
    return set(re.findall(r'massnahmen/([a-z0-9-]+)/"', block))


def test_dashboard_counts_measures_by_field_and_state_and_links_to_them(site: Path) -> None:
    raw = _raw()
    page = site / "fortschritt" / "index.html"
    cells = _cells(page.read_text(encoding="utf-8"), "nach-stand")
    states = [state["id"] for state in raw["measure_states"]]
    for item in raw["fields"]:
        name = f"{item['number']}. {item['title']}"
        mine = [m for m in raw["measures"] if m["field"] == item["id"]]
        for column, state in enumerate(states):
            expected = {m["id"] for m in mine if m["state"] == state}
            cell = cells[(name, column)]
            assert re.sub(r"<[^>]+>", "", cell) == str(len(expected)), (name, state)
            if expected:
                assert _linked_measures(site, page, cell) == expected, (name, state)
        assert re.sub(r"<[^>]+>", "", cells[(name, len(states))]) == str(len(mine))
    for column, state in enumerate(states):
        total = sum(m["state"] == state for m in raw["measures"])
        assert re.sub(r"<[^>]+>", "", cells[("Gesamt", column)]) == str(total)


def test_dashboard_lists_overdue_stale_and_unmeasurable_as_counted_from_the_data(site: Path) -> None:
    raw = _raw()
    html = (site / "fortschritt" / "index.html").read_text(encoding="utf-8")
    as_of = CONTROLLING["as_of"]
    # only running measures can be late or lack a report: ideas, planned, paused, finished ones cannot
    running = {"in-umsetzung"}
    overdue = {m["id"] for m in raw["measures"] if m["state"] in running
               and (m.get("schedule") or {}).get("end") and _last_day(m["schedule"]["end"]) < as_of}
    assert (as_of, CONTROLLING["stale_after_months"]) == (dt.date(2023, 12, 31), 6)
    stale_before = dt.date(2023, 6, 30)  # six months before
    stale = {m["id"] for m in raw["measures"] if m["state"] in running and not any(
        _last_day(update["date"]) > stale_before for update in m.get("updates", []))}
    with_target = {i["goal"] for i in raw["indicators"] if i.get("target")}
    unmeasurable = {g["id"] for g in raw["goals"] if g["id"] not in with_target}

    def section(anchor: str) -> tuple[int, set[str]]:
        start = html.index(f'id="{anchor}"')
        heading = html[html.rindex("<h2", 0, start):html.index("</h2>", start)]
        count = int(re.search(r"\((\d+)\)", heading).group(1))
        end = html.index("<h2", start)
        return count, set(re.findall(r'(?:massnahmen/([a-z0-9-]+)/"|#ziel-([a-z0-9-]+)")', html[start:end]))

    count, found = section("ueberfaellig")
    assert count == len(overdue) and {a for a, _ in found} - {""} == overdue
    count, found = section("ohne-meldung")
    assert count == len(stale) and {a for a, _ in found} == stale
    count, found = section("ohne-zielwert")
    assert count == len(unmeasurable) and {b for _, b in found} == unmeasurable


def test_dashboard_budget_totals_per_field_and_year(site: Path) -> None:
    raw = _raw()
    page = site / "fortschritt" / "index.html"
    cells = _cells(page.read_text(encoding="utf-8"), "haushalt")
    # the one budget of the example: 33,000 a year from 2024 (no end), 21,000 in the start year 2024
    budgets = [m for m in raw["measures"] if m.get("budget")]
    assert [(m["id"], m["budget"]["years"]) for m in budgets] == [
        ("wiki-sprachfoerderung", [{"year": 2024, "amount": 21000}])]
    assert re.sub(r"<[^>]+>", "", cells[("1. Bildung und Erziehung", 0)]) == "ca. 21.000 €"
    assert _linked_measures(site, page, cells[("1. Bildung und Erziehung", 0)]) == {"wiki-sprachfoerderung"}
    assert re.sub(r"<[^>]+>", "", cells[("Gesamt", 0)]) == "ca. 21.000 €"


def test_yearly_amounts_fill_the_schedule(tmp_path: Path) -> None:
    from klartext.controlling import yearly_amounts
    from klartext.model import Measure

    measure = Measure.model_validate({
        "id": "x", "field": "f", "goals": ["g"], "title": "X", "summary": "S", "state": "idee",
        "budget": {"per_year": 100, "one_off": 50, "years": [{"year": 2025, "amount": 70}]},
        "schedule": {"start": "2024-03", "end": 2026},
    })
    assert yearly_amounts(measure) == {2024: 150, 2025: 70, 2026: 100}


def test_changes_page_lists_what_moved_after_the_configured_date(site: Path) -> None:
    raw = _raw()
    since = CONTROLLING["changes_since"]
    expected = 0
    for measure in raw["measures"]:
        expected += bool(measure.get("added")) and _last_day(measure["added"]) > since
        expected += sum(_last_day(update["date"]) > since for update in measure.get("updates", []))
    html = (site / "aenderungen" / "index.html").read_text(encoding="utf-8")
    items = re.findall(r"<li><span class=\"kt-source\">", html)
    assert len(items) == expected > 0
    assert "neu in das Konzept aufgenommen" in html
    # the report carries no date: the start day of the list is marked as the team's assumption
    assert 'class="kt-provenance__item kt-provenance--annahme"' in html and "31. Dezember 2022" in html


@pytest.mark.parametrize(("raw", "message"), [
    ({"as_of": "31.12.2023"}, "mkdocs.yml, extra.klartext.controlling.as_of: „31.12.2023“ ist kein gültiges "
                              "Datum. Bitte als JJJJ-MM-TT schreiben, z. B. 2023-11-30."),
    ({"rules": {"measure_without_owner": "fatal"}},
     "mkdocs.yml, extra.klartext.controlling.rules.measure_without_owner: „fatal“ ist nicht erlaubt. Möglich "
     "sind: error (Build bricht ab), warning (Hinweis) oder off (aus)."),
    ({"rules": {"no_such_rule": "off"}}, "mkdocs.yml, extra.klartext.controlling.rules: Die Regel "
     "„no_such_rule“ gibt es nicht. Vorhanden sind: measure_without_owner, measure_without_schedule, "
     "goal_without_indicator, indicator_without_unit, indicator_without_baseline, indicator_without_target, "
     "target_passed_without_value, record_without_source, placeholder, state_without_reason."),
    ({"licence": "MIT"}, "mkdocs.yml, extra.klartext.controlling.licence: „MIT“ ist keine unterstützte Lizenz. "
                         "Möglich sind: dl-de/by-2-0, dl-de/zero-2-0, CC-BY-4.0, CC0-1.0."),
    ({"done_states": ["fertig"]}, "mkdocs.yml, extra.klartext.controlling.done_states: „fertig“ ist kein "
                                  "Umsetzungsstand. Vorhanden sind: idee, geplant."),
    ({"stale_after_months": 0}, "mkdocs.yml, extra.klartext.controlling.stale_after_months: Bitte eine ganze "
                                "Zahl von Monaten ab 1 angeben (angegeben: 0)."),
])
def test_wrong_settings_get_german_messages(raw: dict, message: str) -> None:
    data, _ = load_concept(MINIMAL / "data", ["en", "ar", "ls"], MINIMAL)
    with pytest.raises(SettingsError) as caught:
        read_settings(raw, data)
    assert str(caught.value) == message


def test_as_of_defaults_to_the_concept_date_not_the_clock() -> None:
    data, _ = load_concept(MINIMAL / "data", ["en", "ar", "ls"], MINIMAL)
    assert read_settings({}, data).as_of == dt.date(2024, 5, 31)


# ---------------------------------------------------------------------------------------------
# figures from the data in hand-written pages

FIGURE = """figures:
  - id: umfrage
    kind: {kind}
    title: Zufriedenheit mit den Kursen
    unit: Personen
    categories: [Sprachkurs, Elterncafé]
    series:
      - label: zufrieden
        values: [12, 6]
{more}    n: 25
    source: Umfrage 2024
"""


def _figure_project(tmp_path: Path, kind: str = "stacked-bar", more: str = "      - label: unzufrieden\n"
                    "        values: [3, 4]\n", page: str = "Text davor.\n\n[[abbildung: umfrage]]\n") -> Path:
    from helpers import make_project

    return make_project(tmp_path, extra_files={
        "data/figures.yml": FIGURE.format(kind=kind, more=more),
        "docs/umfrage.md": "# Umfrage\n\n" + page,
    })


def test_figure_marker_renders_bars_parts_and_a_table_in_every_language(tmp_path: Path) -> None:
    from helpers import mkdocs

    project = _figure_project(tmp_path)
    result = mkdocs(project, "build", "--strict", env={"KLARTEXT_PDF": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    for prefix in ("", "ar/", "ls/"):
        html = (project / "site" / prefix / "umfrage" / "index.html").read_text(encoding="utf-8")
        assert "[[abbildung" not in html
        figure = re.sub(r">\s+<", "><", html[html.index('<figure class="kt-chart kt-figure kt-figure--stacked-bar" id="abbildung-umfrage"'):
                                               html.index("</figure>")])
        assert '<div class="kt-chart__bars" aria-hidden="true">' in figure
        rows = re.findall(r'<tr><th scope="row">(?:<span[^>]*>)?([^<]*)(?:</span>)?(?:<small[^<]*</small>)?</th>'
                          r'<td class="kt-num">(\d+)</td><td class="kt-num">(\d+)</td><td class="kt-num">(\d+)</td>', figure)
        assert rows == [("Sprachkurs", "12", "3", "15"), ("Elterncafé", "6", "4", "10")], prefix
        # the parts as text too, not by colour alone
        parts = re.search(r'<p class="kt-fig-parts">(.*?)</p>', figure).group(1)
        parts = re.sub(r"<[^>]+>", "", re.sub(r"<small.*?</small>", "", parts)).strip()
        assert re.findall(r"(\w+): (\d+)", parts) == [("zufrieden", "12"), ("unzufrieden", "3")], parts
        assert "Umfrage 2024" in figure and "25" in figure
    arabic = (project / "site" / "ar" / "umfrage" / "index.html").read_text(encoding="utf-8")
    # scale 0..20; 12 then 3 stacked from the right edge
    assert 'x="40.0" y="1.5" width="60.0"' in arabic and 'x="25.0" y="1.5" width="15.0"' in arabic


def test_unknown_figure_in_a_page_stops_the_build_with_file_and_line(tmp_path: Path) -> None:
    from helpers import mkdocs

    project = _figure_project(tmp_path, page="Text.\n\n[[abbildung: umfrag]]\n")
    result = mkdocs(project, "build", "--strict", env={"KLARTEXT_PDF": "0"})
    assert result.returncode != 0
    assert ("docs/umfrage.md:5: Die Abbildung „umfrag“ gibt es nicht. Vorhandene Abbildungen (figures: in "
            "data/): umfrage.") in result.stdout + result.stderr


@pytest.mark.parametrize(("kind", "more", "message"), [
    ("bar", "      - label: unzufrieden\n        values: [3, 4]\n",
     "data/figures.yml:7: Die Abbildung „umfrage“ ist ein Balkendiagramm (kind: bar) und braucht genau eine "
     "Zahlenreihe unter „series:“ (angegeben: 2). Für mehrere Reihen „kind: stacked-bar“ verwenden."),
    ("stacked-bar", "      - label: unzufrieden\n        values: [3]\n",
     "data/figures.yml:11: Die Zahlenreihe „unzufrieden“ der Abbildung „umfrage“ hat 1 Werte, aber es gibt 2 "
     "Kategorien. Bitte für jede Kategorie unter „categories:“ genau einen Wert angeben."),
])
def test_figure_data_is_checked(tmp_path: Path, kind: str, more: str, message: str) -> None:
    from klartext.problems import DataError

    project = _figure_project(tmp_path, kind, more)
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", ["en", "ar", "ls"], project)
    assert [str(problem) for problem in caught.value.problems] == [message]


def test_example_figure_matches_the_fields_it_counts() -> None:
    """The example figure restates the fields' states: keep the two in step."""
    raw = _raw()
    figure = next(item for item in raw["figures"] if item["id"] == "handlungsfelder-stand")
    by_label = {"In Arbeit": "in-arbeit", "Als Nächstes": "als-naechstes", "Geplant": "geplant"}
    projects = ["stadtgesellschaft", "verwaltung"]
    for series in figure["series"]:
        state = by_label[series["label"]]
        counted = [sum(f["state"] == state and f["project"] == project for f in raw["fields"]) for project in projects]
        assert series["values"] == counted, series["label"]
    assert figure["n"] == len(raw["fields"])


def test_pdf_prints_indicator_charts_and_figures_with_their_text(site: Path) -> None:
    from pypdf import PdfReader

    german = "\n".join(page.extract_text() for page in PdfReader(site / "integrationskonzept.pdf").pages)
    # the example's indicators have no target (the report names none): the chart says so in words
    assert "Zielwert: noch nicht festgelegt" in german and "Betriebe" in german
    assert "Zahlen und Abbildungen" in german and "Handlungsfelder nach Projekt und Arbeitsstand" in german
    arabic = "\n".join(page.extract_text() for page in PdfReader(site / "ar" / "integrationskonzept.pdf").pages)
    assert "أرقام ورسوم بيانية" in arabic  # pypdf: visual order
