"""Status reports as snapshots: ``klartext bericht NAME`` freezes the controlling-relevant state of the
data into ``data/reports/NAME.yml``; the site compares two snapshots (or the newest one with the current
data) per measure and indicator.

A report file is small, sorted by id and meant to be reviewed in git. It is tolerant of change: a
measure that disappeared since is shown as removed, one that appeared as new; an id it names that the
data no longer knows (a state, an organisation) is shown as it is.

What is frozen is listed once, in :data:`MEASURE_FIELDS` and :data:`INDICATOR_FIELDS`: the report
file's schema, the snapshot, the comparison and the site's wording all follow these two lists.
Pure Python: no MkDocs imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Callable

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from klartext.loading import Document, load_document
from klartext.model import Id, Number
from klartext.problems import Problem, relative
from klartext.text import Name, PartialDate, Text

FOLDER = "reports"
"""Folder inside the data folder with one ``<name>.yml`` per report."""

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""A report's name (its file name without ``.yml``): like every id."""


# ---------------------------------------------------------------------------------------------
# what is frozen (the one place to extend)


@dataclass(frozen=True)
class Tracked:
    """One frozen property of a record."""

    key: str
    """Key in the report file."""
    kind: str
    """How it is stored, checked, compared and shown: ``state`` (measure state id), ``date``,
    ``actor`` (actor id), ``funding`` (funding state id), ``money``, ``number``, ``percent`` (0 to 100),
    ``count``,
    ``dates`` (a list of dates, e.g. of progress updates: new ones are listed) or ``values``
    (date -> value, e.g. an indicator's measured values: each date is compared)."""
    read: Callable[[Any, Any], Any]
    """The value of a record (given the record and the whole concept), as written into the file (None:
    not given)."""


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _number(value: Any) -> Any:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _schedule(measure: Any, key: str) -> Any:
    return _text(getattr(measure.schedule, key, None)) if measure.schedule else None


def _progress(measure: Any, data: Any) -> Any:
    """The measure's progress in percent, its own or rolled up from its sub-measures (16ctx)."""
    progress_of = getattr(data, "progress_of", None)
    percent = progress_of(measure).percent if progress_of else getattr(measure, "progress", None)
    return None if percent is None else _number(round(float(percent), 1))


def _budget(measure: Any, key: str) -> Any:
    return getattr(measure.budget, key, None) if measure.budget else None


MEASURE_FIELDS: tuple[Tracked, ...] = (
    Tracked("state", "state", lambda m, data: m.state),
    Tracked("start", "date", lambda m, data: _schedule(m, "start")),
    Tracked("end", "date", lambda m, data: _schedule(m, "end")),
    Tracked("actual_start", "date", lambda m, data: _schedule(m, "actual_start")),
    Tracked("actual_end", "date", lambda m, data: _schedule(m, "actual_end")),
    Tracked("progress", "percent", lambda m, data: _progress(m, data)),
    Tracked("responsible", "actor", lambda m, data: m.responsible),
    Tracked("funding", "funding", lambda m, data: _budget(m, "funding")),
    Tracked("per_year", "money", lambda m, data: _number(_budget(m, "per_year"))),
    Tracked("milestones_done", "count",
            lambda m, data: sum(s.done for s in m.schedule.milestones) if m.schedule and m.schedule.milestones
            else None),
    Tracked("updates", "dates", lambda m, data: sorted((str(u.date) for u in m.updates), key=_date_key) or None),
)
"""What a report freezes of each measure, in the order the site lists changes. A new entry needs the label
``report.field.<key>`` in every language and a row in the staff guide's table ``MeasureSnapshot``
(tests/test_guide.py); a new kind also an annotation below and a case in ``comparison.html``'s ``shown``."""

INDICATOR_FIELDS: tuple[Tracked, ...] = (
    Tracked("target", "number", lambda i, data: _number(i.target.value) if i.target else None),
    Tracked("target_year", "count", lambda i, data: i.target.year if i.target else None),
    Tracked("values", "values",
            lambda i, data: {str(v.date): _number(v.value)
                             for v in sorted(i.values, key=lambda v: _date_key(str(v.date)))} or None),
)
"""What a report freezes of each indicator."""

COLLECTIONS = {"measures": MEASURE_FIELDS, "indicators": INDICATOR_FIELDS}


def _date_key(text: str) -> tuple:
    date = PartialDate._validate(text)
    return (date.first_day, date.last_day)


# ---------------------------------------------------------------------------------------------
# the report file's schema, built from the lists above


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


_ANNOTATIONS: dict[str, Any] = {
    "state": Id, "actor": Id, "funding": Id, "date": PartialDate,
    "money": Annotated[float, Field(ge=0, lt=1e15)], "number": Number,
    "percent": Annotated[float, Field(ge=0, le=100)],
    "count": Annotated[int, Field(ge=0, lt=100_000)], "dates": list[PartialDate],
    "values": dict[Annotated[str, BeforeValidator(lambda key: str(PartialDate._validate(key)))], Number],
}


def _snapshot_model(name: str, tracked: tuple[Tracked, ...]) -> type[BaseModel]:
    fields: dict[str, Any] = {"title": (str, ...)}
    fields.update({item.key: (_ANNOTATIONS[item.kind] | None, None) for item in tracked})
    return create_model(name, __base__=_Record, **fields)


class ReportInfo(_Record):
    """The ``report:`` section: what the report is."""

    title: str = Field(min_length=1)
    """The report's own name, e.g. "2. Sachstandsbericht" (shown as it is, in German)."""
    date: PartialDate
    """The day the data was frozen (``--datum``)."""
    note: str | None = None
    """Optional remark (e.g. „vom Rat beschlossen am …“)."""


MeasureSnapshot = _snapshot_model("MeasureSnapshot", MEASURE_FIELDS)
IndicatorSnapshot = _snapshot_model("IndicatorSnapshot", INDICATOR_FIELDS)


class ReportFile(_Record):
    """A file in ``data/reports/``."""

    report: ReportInfo
    measures: dict[Id, MeasureSnapshot] = {}  # type: ignore[valid-type]
    indicators: dict[Id, IndicatorSnapshot] = {}  # type: ignore[valid-type]


@dataclass
class Report:
    """A loaded report: its name, title, date and the frozen records as plain values."""

    name: str
    title: str
    date: PartialDate
    records: dict[str, dict[str, dict[str, Any]]]
    """collection -> id -> {key: value as in the file, plus ``title``}."""
    note: str | None = None
    file: str = ""

    @property
    def title_text(self) -> Name:
        """The title as a name: shown as it is (German, marked as such) in every language."""
        return Name(self.title)

    def ordered(self, collection: str, data: Any) -> list[tuple[str, dict[str, Any]]]:
        """The frozen records of ``collection`` in the data's order; records gone since come last."""
        order = {record.id: position for position, record in enumerate(getattr(data, collection))}
        records = self.records.get(collection, {})
        return sorted(records.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))

    @staticmethod
    def german(title: str) -> Text:
        """A frozen German title as a text (for records no longer in the data)."""
        return Text(title)

    @staticmethod
    def date_of(text: str | None) -> PartialDate | None:
        return None if text is None else PartialDate._validate(text)

    @staticmethod
    def latest_value(values: dict[str, Any]) -> tuple[PartialDate, Any] | None:
        """The newest frozen value of an indicator: (date, value)."""
        found = values.get("values") or {}
        if not found:
            return None
        date = max(found, key=_date_key)
        return PartialDate._validate(date), found[date]


# ---------------------------------------------------------------------------------------------
# freezing


def freeze(data: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """The snapshot of the current data: collection -> id -> frozen values (None left out)."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for collection, tracked in COLLECTIONS.items():
        records = {}
        for record in getattr(data, collection):
            values: dict[str, Any] = {"title": record.title.de}
            for item in tracked:
                value = item.read(record, data)
                if value is not None:
                    values[item.key] = value
            records[record.id] = values
        found[collection] = dict(sorted(records.items()))
    return found


HEADER = ("# Bericht: der eingefrorene Stand der Daten, geschrieben von „klartext bericht“.\n"
          "# Bitte nicht von Hand ändern: die Website vergleicht die Daten mit diesem Stand.\n")


def render(title: str, date: PartialDate, snapshot: dict[str, dict[str, dict[str, Any]]],
           note: str | None = None) -> str:
    """The text of a report file: stable, keys in a fixed order, records sorted by id."""
    info: dict[str, Any] = {"title": title, "date": str(date)}
    if note:
        info["note"] = note
    body = {"report": info, **{name: records for name, records in snapshot.items() if records}}
    return HEADER + yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


class _Dumper(yaml.SafeDumper):
    """Sections one key a line; lists (dates of updates) on one line, as staff would write them."""


_Dumper.add_representer(list, lambda dumper, value: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", value, flow_style=True))


def write_report(data_dir: Path, name: str, title: str, date: PartialDate, data: Any,
                 note: str | None = None) -> Path:
    """Write ``reports/<name>.yml``; raises FileExistsError if it exists (a report is never replaced)."""
    folder = data_dir / FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yml"
    with path.open("x", encoding="utf-8") as file:  # "x": refuse to overwrite, also in a race
        file.write(render(title, date, freeze(data), note))
    return path


# ---------------------------------------------------------------------------------------------
# loading


def load_reports(data_dir: Path, root: Path, problems: list[Problem]) -> list[Report]:
    """Every report in ``data_dir/reports``, oldest first; problems are added to ``problems``."""
    folder = data_dir / FOLDER
    if not folder.is_dir():
        return []
    reports = []
    for path in sorted(folder.iterdir()):
        shown = relative(path, root)
        if path.is_dir() or path.suffix not in (".yml", ".yaml"):
            continue
        if path.suffix == ".yaml" or not NAME.match(path.stem):
            problems.append(Problem(shown, 0, "Der Name einer Berichtsdatei besteht aus Kleinbuchstaben, Ziffern "
                                    "und einzelnen Bindestrichen und endet auf „.yml“ (z. B. "
                                    "2-sachstandsbericht.yml). Bitte umbenennen."))
            continue
        document, found = load_document(path, shown)
        problems += found
        if document is not None:
            report = _read_report(document, path.stem, problems)
            if report is not None:
                reports.append(report)
    return sorted(reports, key=lambda report: (report.date.first_day, report.date.last_day, report.name))


def _read_report(document: Document, name: str, problems: list[Problem]) -> Report | None:
    if not isinstance(document.data, dict):
        problems.append(Problem(document.file, 1, "Die Berichtsdatei muss mit dem Abschnitt „report:“ "
                                "beginnen (Titel und Datum). Bitte mit „klartext bericht NAME“ neu erzeugen."))
        return None
    try:
        parsed = ReportFile.model_validate(document.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            problems.append(Problem(document.file, document.line(loc), _message(error, loc)))
        return None
    records = {collection: {record_id: record.model_dump(exclude_none=True, mode="json")
                            for record_id, record in getattr(parsed, collection).items()}
               for collection in COLLECTIONS}
    info = parsed.report
    return Report(name, info.title, info.date, records, info.note, document.file)


def _message(error: dict, loc: tuple) -> str:
    """A German message for one problem in a report file."""
    kind = error["type"]
    if loc[-1:] == ("[key]",):  # a date of a measured value: name the section it stands in
        loc = loc[:-2]
    key = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    value = error.get("input")
    if kind == "missing":
        return f"Die Angabe „{key}“ fehlt. Bitte ergänzen (oder den Bericht mit „klartext bericht“ neu erzeugen)."
    if kind == "extra_forbidden":
        allowed = _allowed(loc[:-1])
        return f"Unbekannter Schlüssel „{key}“. Erlaubt sind hier: {', '.join(allowed)}."
    if kind.startswith("kt_date"):
        return (f"„{value}“ ist kein gültiges Datum (bei „{key}“). Bitte als JJJJ, JJJJ-MM oder JJJJ-MM-TT "
                "schreiben, z. B. 2024-11-30.")
    if kind == "string_pattern_mismatch":
        return (f"„{value}“ ist keine gültige Kennung (bei „{key}“): nur Kleinbuchstaben, Ziffern und "
                "einzelne Bindestriche.")
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number"):
        return f"Bei „{key}“ muss eine Zahl stehen (angegeben: {value})."
    if kind in ("dict_type", "model_type"):
        return f"„{key}“ muss ein Abschnitt mit Einträgen „name: wert“ sein."
    if kind == "list_type":
        return f"„{key}“ muss eine Liste sein, z. B. [2024-03, 2024-09]."
    if kind in ("string_type", "string_too_short"):
        return f"„{key}“ muss ein Text sein."
    if kind.startswith(("greater_than", "less_than")):
        return f"Der Wert bei „{key}“ liegt außerhalb des erlaubten Bereichs (angegeben: {value})."
    return f"Die Angabe „{key}“ ist ungültig ({error.get('msg', kind)})."


def _allowed(loc: tuple) -> list[str]:
    if not loc:
        return list(ReportFile.model_fields)
    if loc == ("report",):
        return list(ReportInfo.model_fields)
    model = MeasureSnapshot if loc[0] == "measures" else IndicatorSnapshot
    return list(model.model_fields)


# ---------------------------------------------------------------------------------------------
# comparing


@dataclass
class FieldChange:
    """A frozen property whose value differs between two states."""

    key: str
    kind: str
    before: Any
    after: Any


@dataclass
class ValueChange:
    """A measured value that was added, changed or removed between two states."""

    date: PartialDate
    before: Any
    after: Any


@dataclass
class RecordChange:
    """What changed about one measure or indicator."""

    collection: str
    id: str
    status: str
    """``changed``, ``added`` (not in the earlier state) or ``removed`` (not in the later one)."""
    title: str
    """German title from the frozen state (used when the record is no longer in the data)."""
    fields: list[FieldChange] = field(default_factory=list)
    new_updates: list[PartialDate] = field(default_factory=list)
    """Dates of progress updates that are new in the later state."""
    values: list[ValueChange] = field(default_factory=list)

    @property
    def title_text(self) -> Text:
        """The frozen German title as a text (shown with its language, marked as German elsewhere)."""
        return Text(self.title)


@dataclass
class Comparison:
    """Two states of the data side by side: an earlier report and a later report or the current data."""

    before: Report
    after: Report | None
    """None: the current data."""
    changes: list[RecordChange]

    def __post_init__(self) -> None:
        self._index = {(change.collection, change.id): change for change in self.changes}

    def of(self, collection: str, record_id: str) -> RecordChange | None:
        """The change of one record, or None when it did not change (a lookup: every page asks)."""
        return self._index.get((collection, record_id))

    def collection(self, name: str) -> list[RecordChange]:
        return [change for change in self.changes if change.collection == name]

    def updates(self, change: RecordChange, data: Any) -> list[tuple[PartialDate, Any]]:
        """The new progress updates of ``change``, newest first, each with its record in the current
        data (None when it is gone)."""
        return new_update_records(change, data.get("measures", change.id))


def compare(before: Report, after: Report | None, data: Any) -> Comparison:
    """What changed from ``before`` to ``after`` (None: the current data), in the data's order."""
    later = after.records if after is not None else freeze(data)
    changes = []
    for collection, tracked in COLLECTIONS.items():
        old, new = before.records.get(collection, {}), later.get(collection, {})
        order = {record.id: position for position, record in enumerate(getattr(data, collection))}
        ids = sorted(set(old) | set(new), key=lambda record_id: (order.get(record_id, len(order)), record_id))
        for record_id in ids:
            change = _compare_record(collection, tracked, record_id, old.get(record_id), new.get(record_id))
            if change is not None:
                changes.append(change)
    return Comparison(before, after, changes)


def _compare_record(collection: str, tracked: tuple[Tracked, ...], record_id: str,
                    old: dict | None, new: dict | None) -> RecordChange | None:
    if old is None or new is None:
        status = "added" if old is None else "removed"
        return RecordChange(collection, record_id, status, (new or old or {}).get("title", record_id))
    change = RecordChange(collection, record_id, "changed", new.get("title", record_id))
    for item in tracked:
        a, b = old.get(item.key), new.get(item.key)
        if item.kind == "dates":
            added = Counter(b or []) - Counter(a or [])
            change.new_updates = sorted((PartialDate._validate(date) for date in added.elements()),
                                        key=lambda date: (date.first_day, date.last_day))
        elif item.kind == "values":
            a, b = a or {}, b or {}
            for date in sorted(set(a) | set(b), key=_date_key):
                if a.get(date) != b.get(date):
                    change.values.append(ValueChange(PartialDate._validate(date), a.get(date), b.get(date)))
        elif a != b:
            change.fields.append(FieldChange(item.key, item.kind, _typed(item.kind, a), _typed(item.kind, b)))
    return change if change.fields or change.new_updates or change.values else None


def _typed(kind: str, value: Any) -> Any:
    return PartialDate._validate(value) if kind == "date" and value is not None else value


def latest_comparison(data: Any) -> Comparison | None:
    """The newest report against the current data, or None without reports."""
    reports = getattr(data, "reports", None) or []
    return compare(reports[-1], None, data) if reports else None


def report_comparisons(data: Any) -> list[tuple[Report, Comparison | None]]:
    """Every report with what changed since the report before it (None for the first), newest first."""
    reports = getattr(data, "reports", None) or []
    pairs = [(report, compare(reports[position - 1], report, data) if position else None)
             for position, report in enumerate(reports)]
    return pairs[::-1]


def updates_on(measure: Any, date: PartialDate, occurrence: int) -> Any:
    """The ``occurrence``-th (0-based, from the latest) progress update of ``measure`` on ``date``."""
    same = [update for update in measure.updates if update.date == date] if measure is not None else []
    return same[-1 - occurrence] if occurrence < len(same) else None


def new_update_records(change: RecordChange, measure: Any) -> list[tuple[PartialDate, Any]]:
    """The new updates of a change with their records from the current data (None if gone), newest first."""
    seen: Counter = Counter()
    found = []
    for date in reversed(change.new_updates):
        found.append((date, updates_on(measure, date, seen[date])))
        seen[date] += 1
    return found


def today() -> dt.date:
    """The day a report is taken without ``--datum`` (the command's clock, never the build's)."""
    return dt.date.today()
