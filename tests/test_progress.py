"""Indicator charts that cannot mislead, and the progress class of each indicator (Open SDG's method).

Reference values are worked out by hand in each test (compound annual growth rates)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import material
import pytest

from helpers import MINIMAL
from klartext.charts import indicator_chart
from klartext.controlling import dashboard, read_settings, state_category
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.model import Event, Indicator, Measure, MeasureState
from klartext.progress import classify
from klartext.render import THEME_DIR, Renderer
from klartext.validation import load_concept
from klartext.view import View

GERMAN = Language("de", "Deutsch", default=True)
ARABIC = Language("ar", "العربية")


def indicator(**fields: object) -> Indicator:
    return Indicator.model_validate({"id": "i", "goal": "g", "title": "Anteil", **fields})


# --- charts ---------------------------------------------------------------------------------------


def test_percentages_share_one_scale_so_a_smaller_share_gets_the_shorter_bar() -> None:
    small = indicator_chart(indicator(unit="Prozent", baseline={"value": 20, "year": 2023},
                                      values=[{"date": 2024, "value": 14.5}]))
    large = indicator_chart(indicator(unit="%", values=[{"date": 2024, "value": 67}]))
    assert small.maximum == large.maximum == 100
    assert small.bars[-1].width == 14.5 and large.bars[-1].width == 67
    assert small.bars[-1].width < large.bars[-1].width
    assert small.ticks == (0, 50, 100)


def test_absolute_numbers_start_at_zero_and_show_their_scale() -> None:
    chart = indicator_chart(indicator(unit="Betriebe", values=[{"date": 2023, "value": 4}],
                                      target={"value": 10, "year": 2026}))
    assert (chart.maximum, chart.ticks) == (10, (0, 5, 10))
    assert [(bar.kind, bar.x, bar.width) for bar in chart.bars] == [("value", 0, 40), ("target", 0, 100)]
    assert chart.measured


def test_a_decreasing_indicator_is_drawn_on_the_same_zero_based_scale() -> None:
    chart = indicator_chart(indicator(unit="Prozent", direction="niedriger-ist-besser",
                                      baseline={"value": 20, "year": 2020}, target={"value": 10, "year": 2030},
                                      values=[{"date": 2024, "value": 17}]))
    assert [bar.width for bar in chart.bars] == [20, 17, 10]


def _minimal():
    data, _ = load_concept(MINIMAL / "data", ["en", "ar", "ls"], MINIMAL)
    return data


def _rendered(item: Indicator, language: Language = GERMAN) -> str:
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    data = _minimal()
    view = View(data, language, load_labels(language.code, ["de"]), "index.md", renderer.icon)
    template = renderer.env.from_string('{% import "klartext/charts.md" as c with context %}'
                                        "{{ c.indicator(v, item, link_owner=False) }}")
    import klartext.charts as charts
    return template.render(v=view, item=item, charts=charts, data=data)


def test_a_chart_without_measured_values_says_so_and_writes_its_scale() -> None:
    html = _rendered(indicator(unit="Prozent", baseline={"value": 20, "year": 2023},
                               target={"value": 10, "year": 2030}, direction="niedriger-ist-besser"))
    assert "Noch nicht gemessen" in html
    assert "Ein niedrigerer Wert ist besser." in html
    assert "Noch keine Aussage möglich" in html
    scale = html[html.index('<span class="kt-chart__scale">'):]
    assert scale.startswith('<span class="kt-chart__scale"><span>0 %</span><span>50 %</span><span>100 %</span>')


def test_the_progress_class_is_written_in_arabic_too() -> None:
    html = _rendered(indicator(unit="%", baseline={"value": 10, "year": 2020}, target={"value": 20, "year": 2030},
                               values=[{"date": 2024, "value": 14}]), ARABIC)
    assert "على المسار الصحيح" in html and "القيمة الأعلى أفضل." in html
    assert "٪" in html


# --- progress classes (Open SDG) -----------------------------------------------------------------
# needed growth from 10 (2020) to 20 (2030): 2 ** (1/10) - 1 = 0.07177 a year


@pytest.mark.parametrize(("value", "status", "ratio"), [
    (21, "achieved", None),          # at or above the target
    (14, "on_track", 1.2227),        # 1.4 ** (1/4) - 1 = 0.08776; 0.08776 / 0.07177
    (13, "some_progress", 0.9445),   # 1.3 ** (1/4) - 1 = 0.06779: just below 95 %
    (11, "some_progress", 0.3360),   # 1.1 ** (1/4) - 1 = 0.02411
    (10, "no_progress", 0.0),        # standing still
    (9, "no_progress", -0.3622),     # 0.9 ** (1/4) - 1 = -0.02600: moving away
])
def test_progress_towards_a_higher_target(value: float, status: str, ratio: float | None) -> None:
    result = classify(indicator(baseline={"value": 10, "year": 2020}, target={"value": 20, "year": 2030},
                                values=[{"date": "2024-06", "value": value}]))
    assert result.status == status
    assert result.ratio == (None if ratio is None else pytest.approx(ratio, abs=1e-4))


# needed: 20 -> 10 from 2020 to 2030: 0.5 ** (1/10) - 1 = -0.06697 a year
@pytest.mark.parametrize(("value", "status"), [
    (9, "achieved"),
    (15, "on_track"),        # 0.75 ** (1/4) - 1 = -0.06940: 1.036 of the needed pace
    (17, "some_progress"),   # 0.85 ** (1/4) - 1 = -0.03981: 0.594
    (22, "no_progress"),     # rising although lower is better
])
def test_progress_when_lower_is_better(value: float, status: str) -> None:
    result = classify(indicator(direction="niedriger-ist-besser", baseline={"value": 20, "year": 2020},
                                target={"value": 10, "year": 2030}, values=[{"date": 2024, "value": value}]))
    assert result.status == status


def test_no_data_without_a_measured_value_or_a_year_between() -> None:
    assert classify(indicator(baseline={"value": 20, "year": 2023}, target={"value": 10, "year": 2030})).status \
        == "no_data"
    assert classify(indicator(baseline={"value": 20, "year": 2024}, target={"value": 30, "year": 2030},
                              values=[{"date": 2024, "value": 22}])).status == "no_data"
    assert classify(indicator()).status == "no_data"


def test_without_a_target_only_the_direction_counts() -> None:
    rising = indicator(values=[{"date": 2021, "value": 10}, {"date": 2023, "value": 12}])
    falling = indicator(values=[{"date": 2021, "value": 10}, {"date": 2023, "value": 8}])
    assert classify(rising).status == "some_progress"
    assert classify(falling).status == "no_progress"
    assert classify(falling.model_copy(update={"direction": "niedriger-ist-besser"})).status == "some_progress"


# --- state categories: only running measures can be overdue or without report ------------------------


def test_state_categories_default_by_id_and_can_be_set_in_the_data() -> None:
    states = [MeasureState(id=i, label=i) for i in ("idee", "geplant", "in-umsetzung", "umgesetzt", "pausiert")]
    states.append(MeasureState(id="offen", label="Offen", category="nicht-begonnen"))
    states.append(MeasureState(id="eigener", label="Eigener Stand"))
    data = dataclasses.replace(_minimal(), measure_states=states, measures=[])
    settings = read_settings({"as_of": "2024-12-31"}, data)
    assert {state.id: state_category(data, settings, state.id) for state in states} == {
        "idee": "nicht-begonnen", "geplant": "nicht-begonnen", "in-umsetzung": "laufend",
        "umgesetzt": "abgeschlossen", "pausiert": "gestoppt", "offen": "nicht-begonnen", "eigener": "laufend"}


def test_the_timeline_puts_a_year_after_the_dated_events_of_that_year() -> None:
    data = _minimal()
    template = data.events[0].model_dump(exclude_none=True)
    events = [Event.model_validate({**template, "id": f"e{number}", "date": date})
              for number, date in enumerate(["2023", "2023-05-05", "2023-11"])]
    ordered = dataclasses.replace(data, events=events).events
    assert [str(event.date) for event in ordered] == ["2023-05-05", "2023-11", "2023"]


# --- a measure's path, its latest report, and the "Stand" of every page ------------------------------


def _page(path: str, language: Language = GERMAN, data=None) -> str:
    from klartext.pages import PageBuilder

    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    builder = PageBuilder(data or _minimal(), language, load_labels(language.code, ["de"]), renderer)
    return next(page.markdown for page in builder.pages() if page.path == path)


def test_a_measure_shows_its_path_through_the_states_and_its_latest_report() -> None:
    html = _page("massnahmen/lesepaten.md")  # state "geplant" of the fixture's idee -> geplant list
    steps = re.findall(r'<li class="kt-path__step kt-path__step--(\w+)"( aria-current="step")?>.*?</span> (.*?)</li>',
                       html)
    assert [(kind, bool(current)) for kind, current, _ in steps] == [("done", False), ("current", True)]
    assert "Idee" in steps[0][2] and "<strong>Geplant</strong>" in steps[1][2] and "(jetzt)" in steps[1][2]
    assert '<a href="#meldungen">Letzte Meldung: 1. Oktober 2024</a>' in html
    assert "{ #meldungen }" in html


def test_every_page_names_the_newest_date_of_its_data() -> None:
    data = _minimal()
    assert str(data.concept.date) == "2024-05"
    measure = _page("massnahmen/lesepaten.md", data=data)  # its newest update: 2024-10-01
    assert 'data-kt-stand="2024-10-01"' in measure and "Stand: 1. Oktober 2024" in measure
    field = _page("handlungsfelder/bildung.md", data=data)
    assert 'data-kt-stand="2024-10-01"' in field
    other = _page("handlungsfelder/sprache.md", data=data)  # no measure of its own: the report's month
    assert 'data-kt-stand="2024-05-31"' in other and "Stand: Mai 2024" in other
    arabic = _page("massnahmen/lesepaten.md", ARABIC, data)
    assert "آخر تحديث:" in arabic


def test_only_running_measures_count_as_overdue_or_without_report() -> None:
    data = _minimal()
    template = data.measures[0].model_dump(exclude_none=True, exclude={"updates", "budget"})
    measures = [Measure.model_validate({**template, "id": f"m-{state}", "state": state,
                                        "schedule": {"start": "2022-01", "end": "2023-01"}})
                for state in ("idee", "geplant", "laeuft")]
    states = [*data.measure_states, MeasureState(id="laeuft", label="Läuft", category="laufend")]
    data = dataclasses.replace(data, measures=measures, measure_states=states)
    board = dashboard(data, read_settings({"as_of": "2024-12-31"}, data))
    assert [measure.id for measure in board.overdue] == ["m-laeuft"]
    assert [measure.id for measure, _ in board.stale] == ["m-laeuft"]


def test_the_old_data_notice_follows_the_readers_clock(minimal_site: Path, browser) -> None:
    from browsing import _site_path, serve

    with serve(minimal_site) as url:
        for today, visible in (("2025-03-01", False), ("2026-11-30", True)):
            context = browser.new_context()
            page = context.new_page()
            page.clock.set_fixed_time(today + "T12:00:00")
            page.goto(f"{url}{_site_path()}massnahmen/lesepaten/")
            assert page.locator(".kt-stand__date").inner_text() == "Stand: 1. Oktober 2024"
            assert page.locator(".kt-stand__old").is_visible() is visible, today
            context.close()
