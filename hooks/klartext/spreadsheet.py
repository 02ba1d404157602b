"""Spreadsheet round trip: measures and indicator values as an XLSX workbook for Excel/LibreOffice.

Export writes one sheet per kind ("Maßnahmen", "Messwerte") with German headings and drop-down
lists (state, field, responsible organisation, indicator) fed from a sheet "Listen". Import reads
the sheets back, applies only the cells that differ from the data to the YAML files with
ruamel.yaml (comments, order and everything else stay byte for byte), validates the result with
the build's own checks and reports problems at sheet, row and column. Nothing is written unless
everything is valid; without edits, nothing is written at all.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klartext.concept import ConceptData
from klartext.imports import check_changed, folded, round_trip_yaml, write_texts
from klartext.loading import parse_document
from klartext.problems import Problem
from klartext.validation import load_concept

MEASURES, VALUES, LISTS = "Maßnahmen", "Messwerte", "Listen"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: German heading, key path in the record, how values are written."""

    heading: str
    path: tuple[str, ...]
    kind: str = "text"
    """``text``, ``id``, ``ids`` (comma-separated list), ``date``, ``number`` or ``info`` (read only)."""
    choices: str | None = None
    """Collection whose ids the drop-down offers."""
    width: int = 18


MEASURE_COLUMNS = [
    Column("Kennung", ("id",), "id", width=28),
    Column("Handlungsfeld", ("field",), "id", "fields"),
    Column("Titel", ("title",), width=50),
    Column("Kurzbeschreibung", ("summary",), width=70),
    Column("Stand", ("state",), "id", "measure_states", width=16),
    Column("Verantwortlich", ("responsible",), "id", "actors", width=28),
    Column("Partner", ("partners",), "ids", width=36),
    Column("Ziele", ("goals",), "ids", width=36),
    Column("Beginn", ("schedule", "start"), "date", width=12),
    Column("Ende", ("schedule", "end"), "date", width=12),
    # 16ctx: the measure in context
    Column("Tatsächlicher Beginn", ("schedule", "actual_start"), "date", width=12),
    Column("Tatsächliches Ende", ("schedule", "actual_end"), "date", width=12),
    Column("Begründung zum Stand", ("state_reason",), width=50),
    Column("Fortschritt (%)", ("progress",), "number", width=10),
    Column("Teil von", ("parent",), "id", width=28),
    Column("Gewicht", ("weight",), "number", width=10),
    Column("Weitere Handlungsfelder", ("further_fields",), "ids", width=28),
    Column("Hängt ab von", ("depends_on",), "ids", width=36),
    Column("Verwandt mit", ("related",), "ids", width=36),
    Column("Ersetzt", ("replaces",), "ids", width=28),
    Column("Setzt Empfehlungen um", ("implements",), "ids", width=28),  # 16rec
    Column("Datei", (), "info", width=40),
]
VALUE_COLUMNS = [
    Column("Indikator", ("indicator",), "id", "indicators", width=34),
    Column("Datum", ("date",), "date", width=12),
    Column("Wert", ("value",), "number", width=10),
    Column("Anmerkung", ("note",), width=40),
    Column("Indikator (Titel)", (), "info", width=60),
]
_LIST_KINDS = [("measure_states", "Stand"), ("fields", "Handlungsfeld"), ("actors", "Organisation"),
               ("indicators", "Indikator")]


@dataclass
class ImportReport:
    """What an import changed, or the problems that stopped it."""

    changed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# export


def export_workbook(data: ConceptData, path: Path) -> None:
    """Write measures and indicator values to ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    measures = book.active
    measures.title = MEASURES
    values = book.create_sheet(VALUES)
    lists = book.create_sheet(LISTS)
    ranges = _write_lists(lists, data)
    for sheet, columns in ((measures, MEASURE_COLUMNS), (values, VALUE_COLUMNS)):
        sheet.append([column.heading for column in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
        for index, column in enumerate(columns, 1):
            sheet.column_dimensions[_letter(index)].width = column.width
    for measure in data.measures:
        measures.append([_cell_value(measure, column, data) for column in MEASURE_COLUMNS])
    for indicator in data.indicators:
        for value in indicator.values:
            values.append([indicator.id, str(value.date), _number(value.value),
                           value.note.de if value.note else None, indicator.title.de])
    for sheet in (measures, values, lists):
        _text_stays_text(sheet)
    for sheet, columns, rows in ((measures, MEASURE_COLUMNS, len(data.measures)),
                                 (values, VALUE_COLUMNS, 1000)):
        for index, column in enumerate(columns, 1):
            letter = _letter(index)
            if column.kind == "date":
                for row in range(2, max(rows, 1) + 2):
                    sheet[f"{letter}{row}"].number_format = "@"  # keep 2024-03 as text
            if column.choices:
                validation = DataValidation(
                    type="list", formula1=ranges[column.choices], allow_blank=True, showErrorMessage=True,
                    errorTitle="Unbekannte Kennung",
                    error=f"Bitte eine Kennung aus der Liste wählen (Blatt „{LISTS}“).")
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{max(rows, 1) + 500}")
    book.save(path)


def _write_lists(sheet: Any, data: ConceptData) -> dict[str, str]:
    """Ids and German names of the lists, two columns per list; returns their ranges."""
    ranges = {}
    for position, (collection, heading) in enumerate(_LIST_KINDS):
        id_column, name_column = _letter(2 * position + 1), _letter(2 * position + 2)
        sheet[f"{id_column}1"] = heading
        sheet[f"{name_column}1"] = "Bezeichnung"
        records = getattr(data, collection)
        for row, record in enumerate(records, 2):
            sheet[f"{id_column}{row}"] = record.id
            sheet[f"{name_column}{row}"] = _name(record)
        sheet.column_dimensions[id_column].width = 30
        sheet.column_dimensions[name_column].width = 50
        ranges[collection] = f"{LISTS}!${id_column}$2:${id_column}${max(len(records), 1) + 1}"
    return ranges


def _name(record: Any) -> str:
    for attribute in ("label", "title", "name"):
        value = getattr(record, attribute, None)
        if value is not None:
            return value.de
    return ""


def _text_stays_text(sheet: Any) -> None:
    """openpyxl stores a string starting with ``=`` as a formula: a title such as
    ``=HYPERLINK("https://…")`` would become live in the staff's spreadsheet. Store it as text."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def _cell_value(record: Any, column: Column, data: ConceptData) -> Any:
    value = _plain_value(record, column, data)
    if isinstance(value, str) and len(value) > CELL_LIMIT:
        return too_long_marker(value, data.where[id(record)].file)
    return value


def _plain_value(record: Any, column: Column, data: ConceptData) -> Any:
    if column.kind == "info":
        return data.where[id(record)].file
    value = _get(record, column.path)
    if column.kind == "ids":
        return ", ".join(value) or None
    if value is None:
        return None
    if column.kind == "date":
        return str(value)
    return value.de if hasattr(value, "de") else value


CELL_LIMIT = 32_767
"""Most characters a spreadsheet cell holds (Excel, LibreOffice): a longer text would be cut on saving."""


def too_long_marker(text: str, file: str) -> str:
    """What the export writes instead of a text longer than a cell; the import leaves that text alone."""
    return (f"[Dieser Text ist mit {_count(len(text))} Zeichen zu lang für eine Tabellenzelle (höchstens "
            f"{_count(CELL_LIMIT)}) und bleibt unverändert. Bitte in {file} bearbeiten.]")


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _get(record: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        record = getattr(record, part, None) if record is not None else None
    return record


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# ---------------------------------------------------------------------------------------------
# import


@dataclass
class _Change:
    """One cell that differs from the data, and where it goes in which file."""

    file: str
    path: tuple
    value: Any
    sheet: str
    row: int
    column: str
    shown: str


def import_workbook(path: Path, data_dir: Path, root: Path, languages: list[str]) -> ImportReport:
    """Apply the edits in the workbook at ``path`` to the YAML files in ``data_dir``."""
    from openpyxl import load_workbook

    report = ImportReport()
    refusal = _unreadable(path)
    if refusal:
        report.problems.append(refusal)
        return report
    data, _ = load_concept(data_dir, languages, root)
    try:
        book = load_workbook(path)  # formulas as formulas: refused below, never read as empty
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        report.problems.append(f"{path.name}: Die Datei ist keine lesbare Excel-Tabelle (XLSX) "
                               f"({type(error).__name__}: {error}). Bitte in Excel oder LibreOffice öffnen und "
                               "als „Excel 2007-365 (.xlsx)“ speichern.")
        return report
    for sheet in (MEASURES, VALUES):
        if sheet not in book.sheetnames:
            report.problems.append(f"Das Blatt „{sheet}“ fehlt in {path.name}. Bitte eine neue Tabelle "
                                   "exportieren.")
    if report.problems:
        return report
    positions = _positions(data_dir, root)
    changes = _measure_changes(book[MEASURES], data, positions, report)
    changes += _value_changes(book[VALUES], data, positions, report)
    if report.problems or not changes:
        return report
    texts, lines = _apply(changes, root)
    problems = check_changed({root / file: text for file, text in texts.items()}, data_dir, root, languages)
    if problems:
        report.problems = [_at_cell(problem, lines) for problem in problems]
        return report
    write_texts({root / file: text for file, text in texts.items()})
    report.changed = [change.shown for change in changes]
    return report


def _positions(data_dir: Path, root: Path) -> dict[tuple[str, str], tuple[str, int]]:
    """(collection, id) -> (file, position in that file's list)."""
    found = {}
    for file in sorted(data_dir.rglob("*.yml")):
        if "translations" in file.relative_to(data_dir).parts[:1]:
            continue
        shown = file.relative_to(root).as_posix()
        document, _ = parse_document(file.read_bytes(), shown)
        if document is None or not isinstance(document.data, dict):
            continue
        for collection in ("measures", "indicators", "fields"):
            for position, record in enumerate(document.data.get(collection) or []):
                if isinstance(record, dict) and "id" in record:
                    found[(collection, str(record["id"]))] = (shown, position)
    return found


def _rows(sheet: Any, columns: list[Column], report: ImportReport) -> list[tuple[int, dict[str, Any]]]:
    headings = [cell.value for cell in sheet[1]]
    missing = [column.heading for column in columns if column.heading not in headings]
    if missing:
        report.problems.append(f"Tabelle „{sheet.title}“: Die Spalte(n) {', '.join(missing)} fehlen. Bitte "
                               "Spaltenüberschriften nicht ändern.")
        return []
    index = {heading: position for position, heading in enumerate(headings)}
    rows = []
    for number, row in enumerate(sheet.iter_rows(min_row=2), 2):
        cells = {column.heading: row[index[column.heading]] if index[column.heading] < len(row) else None
                 for column in columns}
        formulas = [(heading, cell) for heading, cell in cells.items()
                    if cell is not None and _is_formula(cell) and heading in _EDITABLE[sheet.title]]
        for heading, cell in formulas:
            report.problems.append(
                f"Tabelle „{sheet.title}“, Zeile {number}, Spalte „{heading}“: In der Zelle steht eine Formel "
                f"(„{str(cell.value)[:60]}“). Formeln werden nicht übernommen (ihr Ergebnis fehlt oft in der "
                "Datei und würde den Wert löschen). Bitte den Wert selbst eintragen"
                + (", ein Datum als Text, z. B. 2024-03." if heading in _DATES else "."))
        values = {heading: _clean(cell.value if cell is not None else None) for heading, cell in cells.items()}
        if any(values[column.heading] is not None for column in columns if column.kind != "info") and not formulas:
            rows.append((number, values))
    return rows


_EDITABLE = {MEASURES: {column.heading for column in MEASURE_COLUMNS if column.kind != "info"},
             VALUES: {column.heading for column in VALUE_COLUMNS if column.kind != "info"}}
_DATES = {column.heading for column in MEASURE_COLUMNS + VALUE_COLUMNS if column.kind == "date"}


def _is_formula(cell: Any) -> bool:
    return cell.data_type == "f" or type(cell.value).__name__ in ("ArrayFormula", "DataTableFormula")


XLSX_LIMIT = 20_000_000
"""Largest workbook read (20 MB): a whole concept's measures and values are well below 1 MB."""
UNPACKED_LIMIT = 200_000_000
"""Most bytes the parts of a workbook may unpack to, declared in the zip directory (checked before
anything is unpacked; Python's zipfile never unpacks more than an entry declares)."""
RATIO_LIMIT = 200
"""Highest compression ratio of a part larger than 1 MB (spreadsheet XML packs 5-30 times; a zip
bomb thousands of times)."""


def _unreadable(path: Path) -> str | None:
    """Why the file at ``path`` is not opened at all: missing, too large, not a zip, a zip bomb."""
    import zipfile

    name = path.name
    what = ("Bitte die Datei aus „./klartext tabelle export“ verwenden und in Excel oder LibreOffice als "
            "„Excel 2007-365 (.xlsx)“ speichern.")
    try:
        size = path.stat().st_size
        if size > XLSX_LIMIT:
            return (f"{name}: Die Datei ist mit {size / 1_000_000:.1f} MB zu groß (höchstens "
                    f"{XLSX_LIMIT // 1_000_000} MB). {what}").replace(".", ",", 1)
        if not zipfile.is_zipfile(path):
            return f"{name}: Die Datei ist keine Excel-Tabelle im Format XLSX. {what}"
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (OSError, zipfile.BadZipFile) as error:
        return f"{name}: Die Datei kann nicht gelesen werden ({getattr(error, 'strerror', None) or error}). {what}"
    unpacked = sum(part.file_size for part in parts)
    if unpacked > UNPACKED_LIMIT or len(parts) > 10_000:
        return (f"{name}: Die Datei würde entpackt {unpacked / 1_000_000:.0f} MB groß (höchstens "
                f"{UNPACKED_LIMIT // 1_000_000} MB). Sie wurde nicht entpackt. {what}")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 1_000_000 and ratio > RATIO_LIMIT:
            return (f"{name}: Der Teil „{part.filename}“ ist {ratio:.0f}-fach gepackt (höchstens "
                    f"{RATIO_LIMIT}-fach): so packt keine Tabelle, so packt eine Zip-Bombe. Sie wurde nicht "
                    f"entpackt. {what}")
    return None


def _clean(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _measure_changes(sheet: Any, data: ConceptData, positions: dict, report: ImportReport) -> list[_Change]:
    changes, seen = [], {}
    for row, values in _rows(sheet, MEASURE_COLUMNS, report):
        measure_id = values["Kennung"]
        if measure_id in seen:
            report.problems.append(
                f"Tabelle „{MEASURES}“, Zeile {row}, Spalte „Kennung“: Die Maßnahme „{measure_id}“ steht doppelt "
                f"in der Tabelle (zuerst in Zeile {seen[measure_id]}). Bitte eine der beiden Zeilen löschen.")
            continue
        seen[measure_id] = row
        measure = data.get("measures", str(measure_id)) if measure_id else None
        if measure is None:
            report.problems.append(
                f"Tabelle „{MEASURES}“, Zeile {row}, Spalte „Kennung“: Eine Maßnahme „{measure_id or ''}“ gibt "
                "es nicht. Neue Maßnahmen bitte in der YAML-Datei anlegen (siehe ANLEITUNG.md); die Kennung "
                "vorhandener Maßnahmen bitte nicht ändern.")
            continue
        file, position = positions[("measures", measure.id)]
        for column in MEASURE_COLUMNS:
            if column.kind == "info" or column.heading == "Kennung":
                continue
            old, new = _cell_value(measure, column, data), values[column.heading]
            if _same(old, new, column):
                continue
            full = _plain_value(measure, column, data)
            if isinstance(full, str) and len(full) > CELL_LIMIT:
                report.problems.append(
                    f"Tabelle „{MEASURES}“, Zeile {row}, Spalte „{column.heading}“: Dieser Text ist mit "
                    f"{_count(len(full))} Zeichen zu lang für eine Tabellenzelle (höchstens {_count(CELL_LIMIT)}); "
                    f"in der Tabelle stand nur ein Hinweis. Bitte den Text in {file} bearbeiten und den Hinweis "
                    "in der Zelle unverändert lassen.")
                continue
            changes.append(_Change(file, ("measures", position, *column.path), _yaml_value(new, column),
                                   MEASURES, row, column.heading,
                                   f"{file}: Maßnahme „{measure.id}“, {column.heading}: „{old or ''}“ → „{new or ''}“"))
    return changes


def _value_changes(sheet: Any, data: ConceptData, positions: dict, report: ImportReport) -> list[_Change]:
    by_indicator: dict[str, list[tuple[int, dict]]] = {}
    for row, values in _rows(sheet, VALUE_COLUMNS, report):
        indicator_id = values["Indikator"]
        if data.get("indicators", str(indicator_id)) is None:
            report.problems.append(f"Tabelle „{VALUES}“, Zeile {row}, Spalte „Indikator“: Einen Indikator "
                                   f"„{indicator_id or ''}“ gibt es nicht. Bitte aus der Liste wählen.")
            continue
        by_indicator.setdefault(str(indicator_id), []).append((row, values))
    changes = []
    for indicator in data.indicators:
        rows = by_indicator.get(indicator.id, [])
        file, position = positions[("indicators", indicator.id)]
        base = ("indicators", position, "values")
        for index, (row, values) in enumerate(rows):
            old = indicator.values[index] if index < len(indicator.values) else None
            for column in VALUE_COLUMNS[1:4]:
                before = _cell_value(old, column, data) if old is not None else None
                new = values[column.heading]
                if old is not None and _same(before, new, column):
                    continue
                changes.append(_Change(file, (*base, index, *column.path), _yaml_value(new, column), VALUES, row,
                                       column.heading, f"{file}: Indikator „{indicator.id}“, Messwert {index + 1}, "
                                       f"{column.heading}: „{before if before is not None else ''}“ → „{new if new is not None else ''}“"))
        for index in range(len(indicator.values) - 1, len(rows) - 1, -1):
            changes.append(_Change(file, (*base, index), _DELETE, VALUES, 0, "", f"{file}: Indikator "
                                   f"„{indicator.id}“: Messwert {index + 1} ({indicator.values[index].date}) gelöscht"))
    return changes


_DELETE = object()


def _same(old: Any, new: Any, column: Column) -> bool:
    if column.kind == "ids":
        return _split(old) == _split(new)
    if column.kind == "number" and isinstance(new, (int, float)) and isinstance(old, (int, float)):
        return float(old) == float(new)
    return (None if old in (None, "") else str(old)) == (None if new in (None, "") else str(new))


def _split(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").replace(";", ",").split(",") if part.strip()]


def _yaml_value(value: Any, column: Column) -> Any:
    if value is None:
        return None
    if column.kind == "ids":
        return _split(value)
    if column.kind == "number":
        return _number(value) if isinstance(value, (int, float)) else value
    if column.kind == "date" and isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    if column.kind == "date" and isinstance(value, str) and value.isdigit():
        return int(value)
    return str(value) if not isinstance(value, str) else value


def _apply(changes: list[_Change], root: Path) -> tuple[dict[str, str], dict[tuple[str, int], _Change]]:
    """New text of each changed file, and which cell each changed line came from."""
    from ruamel.yaml.util import load_yaml_guess_indent

    by_file: dict[str, list[_Change]] = {}
    for change in changes:
        by_file.setdefault(change.file, []).append(change)
    texts, lines = {}, {}
    for file, file_changes in by_file.items():
        original = (root / file).read_text(encoding="utf-8")
        _, indent, offset = load_yaml_guess_indent(original)
        yaml = round_trip_yaml()
        yaml.indent(mapping=2, sequence=indent or 2, offset=offset or 0)  # the file's own list style
        document = yaml.load(original)
        deletions = sorted((change for change in file_changes if change.value is _DELETE),
                           key=lambda change: change.path[-1], reverse=True)
        for change in [change for change in file_changes if change.value is not _DELETE] + deletions:
            _set(document, change.path, change.value)
        buffer = io.StringIO()
        yaml.dump(document, buffer)
        texts[file] = buffer.getvalue()
        parsed, _ = parse_document(texts[file].encode("utf-8"), file)
        for change in file_changes:
            if parsed is not None and change.value is not _DELETE:
                lines[(file, parsed.line(change.path))] = change
    return texts, lines


def _set(document: Any, path: tuple, value: Any) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString

    node = document
    for key, following in zip(path[:-1], path[1:]):
        child = node[key] if isinstance(key, int) and key < len(node) else (
            node.get(key) if isinstance(node, dict) else None)
        if child is None:
            child = CommentedSeq() if isinstance(following, int) else CommentedMap()
            if isinstance(key, int):
                node.append(child)
            else:
                node[key] = child
        node = child
    last = path[-1]
    if isinstance(node, CommentedMap) and last not in node and value is not None and value is not _DELETE:
        _insert_in_model_order(node, path, last)
    if value is _DELETE:
        del node[last]
        return
    if isinstance(last, int):
        while len(node) <= last:
            node.append(CommentedMap())
        node[last] = value
        return
    if value is None:
        node.pop(last, None)
        return
    current = node.get(last)
    if isinstance(value, list):
        seq = CommentedSeq(value)
        if not isinstance(current, CommentedSeq) or current.fa.flow_style():
            seq.fa.set_flow_style()
        value = seq
    elif isinstance(value, str) and (isinstance(current, FoldedScalarString) or len(value) > 90):
        value = folded(value)
    node[last] = value


def _insert_in_model_order(node: Any, path: tuple, key: str) -> None:
    """Add an empty ``key`` where the data model lists it (before the next key that is present),
    so that a new entry does not end up behind the blank line that separates two records."""
    from klartext.validation import _allowed_keys

    order = _allowed_keys(path[:-1])
    if key not in order:
        return
    later = set(order[order.index(key) + 1:])
    position = next((index for index, present in enumerate(node) if present in later), None)
    if position is not None:
        node.insert(position, key, None)


def _at_cell(problem: Problem, lines: dict[tuple[str, int], _Change]) -> str:
    """A problem located at the cell it came from (else at file and line)."""
    change = lines.get((problem.file, problem.line))
    if change is None:
        return str(problem)
    return f"Tabelle „{change.sheet}“, Zeile {change.row}, Spalte „{change.column}“: {problem.message}"

