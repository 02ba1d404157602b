"""The preview's dependency map (hooks/klartext/preview_scope.py): which measure pages a data edit
changes, and a full rebuild for every edit it cannot map."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pydantic import BaseModel

from helpers import SECOND_MEASURE, edit, make_project
from klartext.preview_scope import measures_to_render, snapshot
from klartext.validation import load_concept


def _load(project: Path):
    data, _ = load_concept(project / "data", ["en"], project)
    return snapshot(data)


def _project(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    edit(project / "data" / "field.yml", "actors:\n", SECOND_MEASURE + "actors:\n")
    return project


def test_a_measure_edit_maps_to_that_measure_only(tmp_path: Path) -> None:
    project = _project(tmp_path)
    before = _load(project)
    assert measures_to_render(before, _load(project)) == set()  # loading again changes nothing
    edit(project / "data" / "field.yml", "title: Lesepatenschaften", "title: Lesepatenschaften an Grundschulen")
    assert measures_to_render(before, _load(project)) == {"lesepaten"}


def test_a_translation_edit_maps_to_its_measure(tmp_path: Path) -> None:
    project = _project(tmp_path)
    before = _load(project)
    edit(project / "data" / "translations" / "en.yml", "text: Reading mentors", "text: Reading mentors at schools")
    assert measures_to_render(before, _load(project)) == {"lesepaten"}


def test_moved_lines_are_no_change(tmp_path: Path) -> None:
    """Lines inserted above a measure move it, but its page shows no line numbers."""
    project = _project(tmp_path)
    before = _load(project)
    edit(project / "data" / "field.yml", "  - id: sprachcafe\n", "\n\n  - id: sprachcafe\n")
    assert measures_to_render(before, _load(project)) == set()


def test_edits_of_other_records_need_a_full_rebuild(tmp_path: Path) -> None:
    project = _project(tmp_path)
    before = _load(project)
    edit(project / "data" / "field.yml", "name: Verein Lesehilfe", "name: Verein Lesehilfe e. V.")
    assert measures_to_render(before, _load(project)) is None


def test_added_or_reordered_measures_need_a_full_rebuild(tmp_path: Path) -> None:
    project = _project(tmp_path)
    before = _load(project)
    edit(project / "data" / "field.yml", SECOND_MEASURE, SECOND_MEASURE.replace("sprachcafe", "sprachcafe2"))
    assert measures_to_render(before, _load(project)) is None


class _Measure(BaseModel):
    id: str
    title: str
    related: list[str] = []
    parent: str | None = None
    progress: int | None = None


@dataclasses.dataclass
class _Concept:
    """A concept with a record kind the map has never heard of (``recommendations``)."""

    measures: list[_Measure]
    recommendations: list[dict]


def test_a_record_kind_it_does_not_know_needs_a_full_rebuild() -> None:
    measures = [_Measure(id="a", title="A")]
    before = snapshot(_Concept(measures, [{"id": "r1", "text": "Mehr Kitaplätze"}]))
    assert measures_to_render(before, snapshot(_Concept(measures, [{"id": "r1", "text": "Mehr Kitaplätze"}]))) == set()
    assert measures_to_render(before, snapshot(_Concept(measures, [{"id": "r1", "text": "Mehr Hortplätze"}]))) is None


def test_measures_that_show_each_other_are_rendered_together() -> None:
    def concept(title_a: str, related_b: list[str]) -> _Concept:
        return _Concept([_Measure(id="a", title=title_a), _Measure(id="b", title="B", related=related_b),
                         _Measure(id="c", title="C")], [])

    before = snapshot(concept("A", ["a"]))
    assert measures_to_render(before, snapshot(concept("A neu", ["a"]))) == {"a", "b"}  # b shows a's title
    assert measures_to_render(before, snapshot(concept("A", []))) == {"a", "b"}  # a may list b as pointing at it


def test_a_sub_measure_edit_renders_every_measure_above_it() -> None:
    """16ctx: a sub-measure's progress rolls up to its parent and further up (the grandparent's page
    shows its parts' rolled-up progress, though the grandchild never names the grandparent)."""
    def concept(progress: int) -> _Concept:
        return _Concept([_Measure(id="top", title="T"), _Measure(id="mid", title="M", parent="top"),
                         _Measure(id="leaf", title="L", parent="mid", progress=progress),
                         _Measure(id="other", title="O")], [])

    assert measures_to_render(snapshot(concept(10)), snapshot(concept(90))) == {"leaf", "mid", "top"}


def test_the_map_covers_what_the_page_templates_show() -> None:
    """The map's assumption, checked against the real templates on the example: after an edit of one
    measure, every measure page whose source changed is among those the map renders again. A template
    that starts showing other measures without naming their ids (e.g. "more measures of this field")
    makes this test fail: then the map must learn that dependency."""
    import material

    from helpers import ROOT
    from klartext.labels import load_labels
    from klartext.languages import Language
    from klartext.links import measure_page
    from klartext.pages import PageBuilder
    from klartext.render import THEME_DIR, Renderer

    languages = ["en", "ar", "tr", "uk", "ru", "ls"]
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    variants = [Language("de", "Deutsch", default=True), Language("en", "English")]

    def measure_pages(data) -> dict[str, str]:
        pages = {}
        for language in variants:
            labels = load_labels(language.code, [] if language.default else ["de"])
            for page in PageBuilder(data, language, labels, renderer, variants=variants).pages():
                if page.path.startswith("massnahmen/") and page.path != "massnahmen/index.md":
                    pages[f"{language.code}/{page.path}"] = page.markdown
        return pages

    before, _ = load_concept(ROOT / "data", languages, ROOT)
    pages_before, image_before = measure_pages(before), snapshot(before)
    states = [state.id for state in before.measure_states]
    for position in range(0, len(before.measures), max(1, len(before.measures) // 5)):
        after, _ = load_concept(ROOT / "data", languages, ROOT)
        measure = after.measures[position]
        measure.title.de += " (geändert)"
        if "en" in measure.title.translations:
            measure.title.translations["en"].text += " (changed)"
        measure.state = next(state for state in states if state != measure.state)
        wanted = measures_to_render(image_before, snapshot(after))
        assert wanted is not None and measure.id in wanted
        pages_after = measure_pages(after)
        changed = {path.split("/", 1)[1] for path in pages_after if pages_after[path] != pages_before[path]}
        assert measure_page(measure.id) in changed  # the edit shows
        assert changed <= {measure_page(record_id) for record_id in wanted}, measure.id


def test_the_field_map_covers_what_the_field_pages_show() -> None:
    """The preview renders only the field pages that may show an edited measure
    (``fields_to_render``). Checked against the real templates on the example, in German, English and
    Leichte Sprache: after an edit of one measure (title in every language, state, its first goal
    moved to another field's goal), every field page whose source changed is among those the map names.
    A template that starts showing measures on other fields' pages makes this test fail."""
    import material

    from helpers import ROOT
    from klartext.labels import load_labels
    from klartext.languages import Language
    from klartext.links import field_page
    from klartext.pages import PageBuilder
    from klartext.preview_scope import fields_to_render
    from klartext.render import THEME_DIR, Renderer

    languages = ["en", "ar", "tr", "uk", "ru", "ls"]
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    variants = [Language("de", "Deutsch", default=True), Language("en", "English"),
                Language("ls", "Leichte Sprache", "de")]

    def field_pages(data) -> dict[str, str]:
        pages = {}
        for language in variants:
            labels = load_labels(language.code, [] if language.default else ["de"])
            for page in PageBuilder(data, language, labels, renderer, variants=variants).pages(measures=()):
                if page.path.startswith("handlungsfelder/") and page.path != "handlungsfelder/index.md":
                    pages[f"{language.code}/{page.path}"] = page.markdown
        return pages

    def load():
        data, _ = load_concept(ROOT / "data", languages, ROOT)
        # an indicator of another field's goal that names the first measure (shown on that field's page)
        indicator = next(item for item in data.indicators
                         if data.get("goals", item.goal).field != data.measures[0].field)
        indicator.measures = [data.measures[0].id]
        return data

    before = load()
    pages_before, image_before = field_pages(before), snapshot(before)
    states = [state.id for state in before.measure_states]
    step = max(1, len(before.measures) // 6)
    checked = 0
    for number, position in enumerate(range(0, len(before.measures), step)):
        after = load()
        measure = after.measures[position]
        measure.title.de += " (geändert)"
        for translation in measure.title.translations.values():
            translation.text += " (neu)"
        measure.state = next(state for state in states if state != measure.state)
        if number % 2 and measure.goals:  # now serving a goal of another field
            measure.goals[0] = next(goal.id for goal in after.goals if goal.field != measure.field)
        image = snapshot(after)
        wanted = measures_to_render(image_before, image)
        assert wanted is not None and measure.id in wanted
        fields = fields_to_render(before, after, wanted, image)
        assert fields is not None and measure.field in fields
        pages_after = field_pages(after)
        changed = {path.split("/", 1)[1] for path in pages_after if pages_after[path] != pages_before[path]}
        assert field_page(measure.field) in changed  # the edit shows on its field's page
        assert changed <= {field_page(field_id) for field_id in fields}, measure.id
        assert len(fields) < len(after.fields)  # the map saves work: not every field's page
        checked += 1
    assert checked >= 5


def test_a_measure_named_by_another_record_renders_every_field_page(tmp_path: Path) -> None:
    from klartext.preview_scope import fields_to_render

    project = _project(tmp_path)
    data, _ = load_concept(project / "data", ["en"], project)
    assert fields_to_render(data, data, {"lesepaten"}, snapshot(data)) == {"bildung"}
    # a value that is a measure's id, in a record other than measures and indicators (the way the map
    # finds references, as measures_to_render does): that record's pages are not known to the map
    edit(project / "data" / "field.yml", "    title: Auftakt\n", "    title: Auftakt\n    text: lesepaten\n")
    data, _ = load_concept(project / "data", ["en"], project)
    assert fields_to_render(data, data, {"lesepaten"}, snapshot(data)) is None
    assert fields_to_render(data, data, {"sprachcafe"}, snapshot(data)) == {"bildung"}
