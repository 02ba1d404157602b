"""The preview's dependency map (hooks/klartext/preview_scope.py): which measure pages a data edit
changes, and a full rebuild for every edit it cannot map."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pydantic import BaseModel

from helpers import edit, make_project
from klartext.preview_scope import measures_to_render, snapshot
from klartext.validation import load_concept

SECOND_MEASURE = """\
  - id: sprachcafe
    field: bildung
    goals: [lesen]
    title: Sprachcafé im Rathaus
    summary: Einmal im Monat Deutsch sprechen bei Kaffee und Kuchen.
    state: geplant
"""


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
