"""Spreadsheet round trip: export, edit in a workbook, import back into the YAML files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import ROOT
from klartext.spreadsheet import MEASURES, VALUES, export_workbook, import_workbook
from klartext.validation import load_concept

LANGUAGES = ["en", "ar", "tr", "uk", "ru", "ls"]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def _snapshot(project: Path) -> dict[str, bytes]:
    return {path.relative_to(project).as_posix(): path.read_bytes() for path in (project / "data").rglob("*.yml")}


def _export(project: Path) -> Path:
    data, _ = load_concept(project / "data", LANGUAGES, project)
    path = project / "konzept.xlsx"
    export_workbook(data, path)
    return path


def _row(sheet, heading: str, value: str) -> int:
    column = [cell.value for cell in sheet[1]].index(heading)
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if row[column].value == value)


def _set(path: Path, sheet: str, key: str, heading: str, value: object) -> int:
    book = load_workbook(path)
    row = _row(book[sheet], "Kennung", key)
    column = [cell.value for cell in book[sheet][1]].index(heading) + 1
    book[sheet].cell(row=row, column=column, value=value)
    book.save(path)
    return row


def test_export_then_import_without_edits_changes_no_byte(project: Path) -> None:
    before = _snapshot(project)
    report = import_workbook(_export(project), project / "data", project, LANGUAGES)
    assert report.problems == [] and report.changed == []
    assert _snapshot(project) == before


def test_workbook_has_german_headings_and_drop_downs(project: Path) -> None:
    book = load_workbook(_export(project))
    assert book.sheetnames == [MEASURES, VALUES, "Listen"]
    headings = [cell.value for cell in book[MEASURES][1]]
    assert headings[:6] == ["Kennung", "Handlungsfeld", "Titel", "Kurzbeschreibung", "Stand", "Verantwortlich"]
    formulas = {str(validation.sqref).split(":")[0]: validation.formula1
                for validation in book[MEASURES].data_validations.dataValidation}
    assert formulas["E2"] == "Listen!$A$2:$A$7"  # Stand: the six measure states
    assert formulas["B2"].startswith("Listen!$C$2") and formulas["F2"].startswith("Listen!$E$2")
    states = [book["Listen"][f"A{row}"].value for row in range(2, 8)]
    assert states == ["idee", "geplant", "in-umsetzung", "umgesetzt", "pausiert", "verworfen"]


def test_an_edit_lands_in_the_right_file_and_line(project: Path) -> None:
    path = _export(project)
    _set(path, MEASURES, "videotutorials", "Stand", "in-umsetzung")
    before = _snapshot(project)
    report = import_workbook(path, project / "data", project, LANGUAGES)
    assert report.problems == []
    assert report.changed == ["data/fields/01-bildung-und-erziehung.yml: Maßnahme „videotutorials“, Stand: "
                              "„geplant“ → „in-umsetzung“"]
    after = _snapshot(project)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["data/fields/01-bildung-und-erziehung.yml"]
    old = before[changed[0]].decode().splitlines()
    new = after[changed[0]].decode().splitlines()
    assert len(old) == len(new)
    differing = [number for number, (a, b) in enumerate(zip(old, new), 1) if a != b]
    start = old.index("  - id: videotutorials")
    state_line = next(number for number in range(start, len(old)) if old[number].strip().startswith("state:")) + 1
    assert differing == [state_line]
    assert new[state_line - 1] == "    state: in-umsetzung"


def test_new_indicator_value_is_added(project: Path) -> None:
    path = _export(project)
    book = load_workbook(path)
    book[VALUES].append(["deutschkenntnisse-schuleingang", "2025", 18.5, "vorläufig"])
    book.save(path)
    report = import_workbook(path, project / "data", project, LANGUAGES)
    assert report.problems == []
    data, _ = load_concept(project / "data", LANGUAGES, project)
    values = data.get("indicators", "deutschkenntnisse-schuleingang").values
    assert [(str(value.date), value.value, value.note.de) for value in values][-1] == ("2025", 18.5, "vorläufig")


def test_bad_cell_is_reported_at_sheet_row_and_column_and_nothing_is_written(project: Path) -> None:
    path = _export(project)
    row = _set(path, MEASURES, "videotutorials", "Stand", "fertig")
    before = _snapshot(project)
    report = import_workbook(path, project / "data", project, LANGUAGES)
    assert report.changed == []
    assert report.problems == [
        f"Tabelle „Maßnahmen“, Zeile {row}, Spalte „Stand“: „fertig“ ist keine bekannte Kennung für "
        "Umsetzungsstand (measure_states) (in „state“ von „videotutorials“). Vorhanden sind: idee, geplant, "
        "in-umsetzung, umgesetzt, pausiert, verworfen."]
    assert _snapshot(project) == before


def test_unknown_measure_and_bad_date_are_reported(project: Path) -> None:
    path = _export(project)
    row = _set(path, MEASURES, "videotutorials", "Beginn", "2024-13")
    book = load_workbook(path)
    book[MEASURES].append(["gibt-es-nicht", "bildung", "Neu"])
    book.save(path)
    report = import_workbook(path, project / "data", project, LANGUAGES)
    assert any(line.startswith(f"Tabelle „Maßnahmen“, Zeile {book[MEASURES].max_row}, Spalte „Kennung“: Eine "
                               "Maßnahme „gibt-es-nicht“ gibt es nicht.") for line in report.problems), report.problems
    book = load_workbook(path)
    book[MEASURES].delete_rows(book[MEASURES].max_row)
    book.save(path)
    report = import_workbook(path, project / "data", project, LANGUAGES)
    assert f"Tabelle „Maßnahmen“, Zeile {row}, Spalte „Beginn“: Das Datum „2024-13“ in „start“ gibt es nicht. " \
           "Bitte Tag und Monat prüfen." in report.problems
