"""Controlling: settings, the progress dashboard and "what changed since the last status report".

Pure functions of the data and the settings. "Today" is never the wall clock: it is
``extra.klartext.controlling.as_of`` or the last day of the concept's date, so two builds of the same
data give the same pages.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from klartext.concept import ConceptData
from klartext.model import Measure
from klartext.progress import Progress, classify
from klartext.text import PartialDate

SEVERITIES = ("error", "warning", "off")
RULES = {
    "measure_without_owner": "warning",
    "measure_without_schedule": "warning",
    "goal_without_indicator": "warning",
    "indicator_without_unit": "warning",
    "indicator_without_baseline": "warning",
    "indicator_without_target": "warning",
    "target_passed_without_value": "warning",
    "record_without_source": "warning",
    "placeholder": "warning",
    "state_without_reason": "warning",  # 16ctx
}
"""Data-quality rules and their default severity (``error`` stops the build)."""

QUALITY_PAGE = ("published", "preview", "off")
LICENCES = {
    "dl-de/by-2-0": ("Datenlizenz Deutschland – Namensnennung – Version 2.0", "https://www.govdata.de/dl-de/by-2-0"),
    "dl-de/zero-2-0": ("Datenlizenz Deutschland – Zero – Version 2.0", "https://www.govdata.de/dl-de/zero-2-0"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
}
"""Licences the open-data package may carry: name and address."""


class SettingsError(ValueError):
    """A wrong value in ``extra.klartext.controlling`` (German message for staff)."""


@dataclass(frozen=True)
class Settings:
    """``extra.klartext.controlling`` in mkdocs.yml, checked."""

    as_of: dt.date
    """The day the dashboard counts from ("today")."""
    stale_after_months: int = 6
    """A measure whose latest update is older than this is listed as "no recent update"."""
    done_states: tuple[str, ...] = ("umgesetzt", "verworfen")
    """States in which a measure is finished (never overdue, never stale)."""
    changes_since: dt.date | None = None
    """Date of the last status report: the changes page lists what moved after it."""
    licence: str = "dl-de/by-2-0"
    """Licence of the downloads (a key of :data:`LICENCES`)."""
    quality_page: str = "preview"
    """``published``: data-quality page on the site; ``preview``: only in ``serve``; ``off``."""
    rules: dict[str, str] = field(default_factory=lambda: dict(RULES))
    """Severity of each data-quality rule."""
    feed_id: str = "tag:klartext.invalid,2021:integrationskonzept"
    """Start of the Atom feed's ids: a tag URI (RFC 4151) with the city's domain; never change it."""
    dates_confirmed: bool = True
    """False while ``as_of`` and ``changes_since`` are the team's assumption: the dashboard and the
    changes page then mark them as such until the city confirms them."""
    notice_after_months: int = 12
    """Readers see a notice on a page whose content is older than this (by their own clock)."""

    @property
    def stale_before(self) -> dt.date:
        """Updates on or before this day count as old."""
        month = self.as_of.month - self.stale_after_months
        year = self.as_of.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        day = min(self.as_of.day, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)


def read_settings(raw: dict[str, Any] | None, data: ConceptData) -> Settings:
    """Check ``extra.klartext.controlling``; unknown keys and wrong values are German errors."""
    raw = dict(raw or {})
    where = "mkdocs.yml, extra.klartext.controlling"
    known = {"as_of", "stale_after_months", "done_states", "changes_since", "licence", "quality_page", "rules",
             "feed_id", "dates_confirmed", "notice_after_months"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(f"{where}: Unbekannte Angabe „{unknown[0]}“. Erlaubt sind: {', '.join(sorted(known))}.")
    as_of = _date(raw.get("as_of"), f"{where}.as_of") or data.concept.date.last_day
    changes = _date(raw.get("changes_since"), f"{where}.changes_since")
    months = raw.get("stale_after_months", 6)
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise SettingsError(f"{where}.stale_after_months: Bitte eine ganze Zahl von Monaten ab 1 angeben "
                            f"(angegeben: {months}).")
    known_states = [state.id for state in data.measure_states]
    states = raw.get("done_states", [state for state in Settings.done_states if state in known_states])
    states = states if isinstance(states, list) else [states]
    for state in states:
        if state not in known_states:
            raise SettingsError(f"{where}.done_states: „{state}“ ist kein Umsetzungsstand. Vorhanden sind: "
                                f"{', '.join(known_states)}.")
    licence = raw.get("licence", "dl-de/by-2-0")
    if licence not in LICENCES:
        raise SettingsError(f"{where}.licence: „{licence}“ ist keine unterstützte Lizenz. Möglich sind: "
                            f"{', '.join(LICENCES)}.")
    page = raw.get("quality_page", "preview")
    if page not in QUALITY_PAGE:
        raise SettingsError(f"{where}.quality_page: „{page}“ ist nicht erlaubt. Möglich sind: "
                            f"{', '.join(QUALITY_PAGE)}.")
    rules = dict(RULES)
    if not isinstance(raw.get("rules") or {}, dict):
        raise SettingsError(f"{where}.rules: Bitte je Regel eine Zeile „name: error|warning|off“ angeben.")
    for name, severity in (raw.get("rules") or {}).items():
        if name not in RULES:
            raise SettingsError(f"{where}.rules: Die Regel „{name}“ gibt es nicht. Vorhanden sind: "
                                f"{', '.join(RULES)}.")
        if severity not in SEVERITIES:
            raise SettingsError(f"{where}.rules.{name}: „{severity}“ ist nicht erlaubt. Möglich sind: "
                                "error (Build bricht ab), warning (Hinweis) oder off (aus).")
        rules[name] = severity
    notice = raw.get("notice_after_months", 12)
    if not isinstance(notice, int) or isinstance(notice, bool) or notice < 1:
        raise SettingsError(f"{where}.notice_after_months: Bitte eine ganze Zahl von Monaten ab 1 angeben "
                            f"(angegeben: {notice}).")
    feed_id = str(raw.get("feed_id", Settings.feed_id))
    if not feed_id.startswith("tag:") or " " in feed_id:
        raise SettingsError(f"{where}.feed_id: Bitte eine tag-URI angeben, z. B. "
                            f"„tag:lehrte.de,2021:integrationskonzept“ (angegeben: {feed_id}).")
    confirmed = raw.get("dates_confirmed", True)
    if not isinstance(confirmed, bool):
        raise SettingsError(f"{where}.dates_confirmed: Bitte „true“ (die Stadt hat die Daten bestätigt) oder "
                            f"„false“ (die Daten sind eine Annahme) angeben (angegeben: {confirmed}).")
    return Settings(as_of, months, tuple(states), changes,
                    licence, page, rules, feed_id, confirmed, notice)


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return PartialDate._validate(value).last_day
    except Exception:  # noqa: BLE001 - pydantic's custom error: any failure means a wrong date
        raise SettingsError(f"{where}: „{value}“ ist kein gültiges Datum. Bitte als JJJJ-MM-TT "
                            "schreiben, z. B. 2023-11-30.") from None


# ---------------------------------------------------------------------------------------------
# dashboard


@dataclass
class BudgetCell:
    """Planned money of one field in one year, with the measures behind it."""

    total: float = 0.0
    approximate: bool = False
    items: list[tuple[Measure, float]] = field(default_factory=list)


@dataclass
class FieldRow:
    """One field on the dashboard: its measures grouped by state."""

    field: Any
    by_state: dict[str, list[Measure]]
    budget: dict[int, BudgetCell]

    @property
    def total(self) -> int:
        return sum(len(measures) for measures in self.by_state.values())


@dataclass
class Dashboard:
    """Everything the dashboard page shows, computed once per build."""

    settings: Settings
    rows: list[FieldRow]
    states: list[Any]
    overdue: list[Measure]
    stale: list[tuple[Measure, PartialDate | None]]
    """Measures without a recent update, with their latest update date (None: never updated)."""
    goals_without_target: list[Any]
    years: list[int]
    """Years of the budget table."""
    progress: list[tuple[Any, Progress]] = field(default_factory=list)
    """Every indicator with its progress class, in the order of the data."""
    palette: tuple[str, ...] = ("#283593", "#1976d2", "#b26a00", "#2e7d32", "#6d4c41", "#c62828")
    """Colours of the states' bar segments, by position: each at least 3:1 against white (WCAG 1.4.11);
    segments are separated by white gaps, and a legend and the table's numbers say the same in text."""

    def state_total(self, state_id: str) -> int:
        return sum(len(row.by_state[state_id]) for row in self.rows)

    def year_total(self, year: int) -> BudgetCell:
        cell = BudgetCell()
        for row in self.rows:
            if year in row.budget:
                cell.total += row.budget[year].total
                cell.approximate |= row.budget[year].approximate
        return cell

    @property
    def largest(self) -> int:
        """Largest count of one field (scale of the bars)."""
        return max((row.total for row in self.rows), default=0) or 1


def dashboard(data: ConceptData, settings: Settings) -> Dashboard:
    """Count the measures by field and state, find overdue and stale ones, sum the budgets."""
    rows = []
    for item in data.fields:
        measures = data.measures_of(item.id)
        by_state = {state.id: [m for m in measures if m.state == state.id] for state in data.measure_states}
        rows.append(FieldRow(item, by_state, _budget(measures)))
    running = [m for m in data.measures if state_category(data, settings, m.state) == "laufend"]
    overdue = [m for m in running if m.schedule and m.schedule.end and m.schedule.end.last_day < settings.as_of]
    stale = []
    for measure in running:
        latest = last_update(measure)
        if latest is None or latest.last_day <= settings.stale_before:
            stale.append((measure, latest))
    goals = [goal for goal in data.goals
             if not any(indicator.target for indicator in data.indicators_of(goal.id))]
    years = sorted({year for row in rows for year in row.budget})
    progress = [(indicator, classify(indicator)) for indicator in data.indicators]
    return Dashboard(settings, rows, list(data.measure_states), overdue, stale, goals, years, progress)


def state_category(data: ConceptData, settings: Settings, state_id: str) -> str:
    """``nicht-begonnen``, ``laufend``, ``abgeschlossen`` or ``gestoppt`` of a measure state (a state of the
    setting ``done_states`` that would count as running by default counts as finished)."""
    state = next((state for state in data.measure_states if state.id == state_id), None)
    if state is None:
        return "laufend"
    if state.kind == "laufend" and state.category is None and state_id in settings.done_states:
        return "abgeschlossen"
    return state.kind


def last_update(measure: Measure) -> PartialDate | None:
    """Date of the measure's latest update."""
    return max((update.date for update in measure.updates), key=lambda d: d.last_day, default=None)


def yearly_amounts(measure: Measure) -> dict[int, float]:
    """Money planned for a measure per year.

    Explicit ``budget.years`` entries win; ``per_year`` applies to every year from the schedule's start
    to its end (only the start year when no end is known); ``one_off`` is added to the start year.
    """
    budget = measure.budget
    if budget is None:
        return {}
    amounts = {entry.year: entry.amount for entry in budget.years}
    schedule = measure.schedule
    start = schedule.start.year if schedule and schedule.start else min(amounts, default=None)
    if start is None:
        return amounts
    end = schedule.end.year if schedule and schedule.end else start
    if budget.per_year:
        for year in range(start, end + 1):
            amounts.setdefault(year, budget.per_year)
    if budget.one_off:
        amounts[start] = amounts.get(start, 0) + budget.one_off
    return amounts


def _budget(measures: list[Measure]) -> dict[int, BudgetCell]:
    cells: dict[int, BudgetCell] = {}
    for measure in measures:
        for year, amount in sorted(yearly_amounts(measure).items()):
            cell = cells.setdefault(year, BudgetCell())
            cell.total += amount
            cell.approximate |= measure.budget.approximate
            cell.items.append((measure, amount))
    return cells


# ---------------------------------------------------------------------------------------------
# changes


@dataclass(frozen=True)
class Change:
    """Something that moved: a new measure, a state change or a progress update."""

    kind: str
    """``added``, ``state`` or ``update``."""
    date: PartialDate
    measure: Measure
    update: Any = None
    """The update (for ``state`` and ``update``)."""
    position: int = 0
    """Position of the update in the measure's list (stable id for the feed)."""


def changes(data: ConceptData, since: dt.date | None = None) -> list[Change]:
    """Every change after ``since`` (all when None), newest first (by the earliest day a date can
    mean, so "2023" sorts before "2023-05"); ties in data order. A date counts as after ``since``
    when its last possible day is."""
    found = []
    for measure in data.measures:
        if measure.added:
            found.append(Change("added", measure.added, measure))
        for position, update in enumerate(measure.updates):
            found.append(Change("state" if update.state else "update", update.date, measure, update, position))
    if since is not None:
        found = [change for change in found if change.date.last_day > since]
    order = {id(measure): position for position, measure in enumerate(data.measures)}
    return sorted(found, key=lambda c: (-c.date.first_day.toordinal(), order[id(c.measure)], c.position))
