"""Measures in context: further fields, relations between measures, sub-measures and their progress.

Pure functions of the records. ``check_measures`` runs during validation (German messages with file
and line); the others are what the pages show: both directions of each relation, the sub-measures
of a measure and its progress, rolled up from the sub-measures (mean, or weighted by ``weight``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from klartext.problems import Problem

RELATIONS = ("depends_on", "related", "replaces")
"""The keys of a measure that name other measures, in the order the page shows them."""

REVERSE = {"depends_on": "required_by", "related": "related", "replaces": "replaced_by"}
"""What a relation is called seen from the other measure ("Voraussetzung für", "ersetzt durch")."""

_WHAT = {"depends_on": "hängt von sich selbst ab", "related": "ist mit sich selbst verwandt",
         "replaces": "ersetzt sich selbst"}


@dataclass(frozen=True)
class Link:
    """One relation as a page shows it: the kind seen from this measure, and the other measure."""

    kind: str
    """``depends_on``, ``required_by``, ``related``, ``replaces`` or ``replaced_by``."""
    measure: Any


@dataclass(frozen=True)
class Rollup:
    """The progress of a measure: its own, or computed from its sub-measures."""

    percent: float | None
    """0 to 100, or None when nothing is known."""
    computed: bool = False
    """True when computed from sub-measures."""
    counted: int = 0
    """Sub-measures with a known progress (those the value was computed from)."""
    children: int = 0
    """All sub-measures."""
    weighted: bool = False
    """True when at least one sub-measure carries a ``weight``."""


class Context:
    """The relations of all measures, indexed once (pages ask for them once per measure and language)."""

    def __init__(self, measures: list[Any]) -> None:
        self.source = measures
        """The list indexed (the index is made again when the concept gets another list)."""
        self.measures = list(measures)
        self.by_id = {measure.id: measure for measure in self.measures}
        self.children: dict[str, list[Any]] = {}
        self.reverse: dict[str, list[Link]] = {}
        for measure in self.measures:
            if measure.parent is not None:
                self.children.setdefault(measure.parent, []).append(measure)
            for kind in RELATIONS:
                for other_id in getattr(measure, kind):
                    if other_id != measure.id:
                        self.reverse.setdefault(other_id, []).append(Link(REVERSE[kind], measure))
        self._rollups: dict[str, Rollup] = {}
        self.with_progress: set[str] | None = None
        """Ids of the measures with a known progress (filled on first use)."""

    def links(self, measure: Any) -> list[Link]:
        """Every relation of ``measure``: those it names and those other measures name it in."""
        found: list[Link] = []
        seen: set[tuple[str, str]] = set()
        named = [Link(kind, self.by_id[other_id]) for kind in RELATIONS for other_id in getattr(measure, kind)
                 if other_id in self.by_id and other_id != measure.id]
        for link in named + self.reverse.get(measure.id, []):
            if (link.kind, link.measure.id) not in seen:
                seen.add((link.kind, link.measure.id))
                found.append(link)
        return sorted(found, key=lambda link: _ORDER.index(link.kind))

    def rollup(self, measure: Any, _seen: frozenset[str] = frozenset()) -> Rollup:
        """The progress of ``measure``: the (weighted) mean of its sub-measures' progress when it has
        sub-measures (those without a known progress are left out and counted), else its own."""
        if measure.id in self._rollups:
            return self._rollups[measure.id]
        subs = self.children.get(measure.id, [])
        if not subs or measure.id in _seen:
            result = Rollup(float(measure.progress) if measure.progress is not None else None)
        else:
            known = [(sub, self.rollup(sub, _seen | {measure.id}).percent) for sub in subs]
            known = [(sub, percent) for sub, percent in known if percent is not None]
            total = sum(_weight(sub) for sub, _ in known)
            percent = sum(_weight(sub) * value for sub, value in known) / total if known else None
            result = Rollup(percent, True, len(known), len(subs), any(sub.weight is not None for sub in subs))
        self._rollups[measure.id] = result
        return result


_ORDER = ["depends_on", "required_by", "replaces", "replaced_by", "related"]


def _weight(measure: Any) -> float:
    return float(measure.weight) if measure.weight is not None else 1.0


def check_measures(merged: dict, problems: list[Problem]) -> None:
    """Relations to itself, depends-on and parent cycles, a primary field named again, progress given
    for a measure with sub-measures, a weight without a parent, an actual end before the actual start."""
    entries = merged["measures"]
    by_id = {measure.id: (measure, document, path) for measure, document, path in entries}
    for measure, document, path in entries:
        for kind in (*RELATIONS, "parent"):
            values = [measure.parent] if kind == "parent" else getattr(measure, kind)
            for position, other in enumerate(values):
                if other == measure.id:
                    where = (*path, kind) if kind == "parent" else (*path, kind, position)
                    what = _WHAT.get(kind, "ist ihre eigene Teilmaßnahme")
                    problems.append(Problem(document.file, document.line(where), (
                        f"Die Maßnahme „{measure.id}“ {what} (in „{kind}“). Bitte hier eine andere Maßnahme "
                        "nennen oder den Eintrag löschen.")))
        if measure.field in measure.further_fields:
            position = measure.further_fields.index(measure.field)
            problems.append(Problem(document.file, document.line((*path, "further_fields", position)), (
                f"„{measure.field}“ ist schon das eigene Handlungsfeld der Maßnahme „{measure.id}“ (unter "
                "„field:“). Unter „further_fields:“ stehen nur weitere Handlungsfelder: bitte den Eintrag löschen.")))
        if measure.weight is not None and measure.parent is None:
            problems.append(Problem(document.file, document.line((*path, "weight")), (
                f"Die Maßnahme „{measure.id}“ hat ein Gewicht („weight:“), ist aber keine Teilmaßnahme. Das "
                "Gewicht zählt nur beim Zusammenrechnen des Fortschritts der übergeordneten Maßnahme: bitte "
                "„parent:“ ergänzen oder „weight:“ löschen.")))
        if measure.progress is not None and any(other.parent == measure.id for other, _, _ in entries):
            problems.append(Problem(document.file, document.line((*path, "progress")), (
                f"Die Maßnahme „{measure.id}“ hat Teilmaßnahmen: ihr Fortschritt wird aus deren Fortschritt "
                "berechnet. Bitte „progress:“ hier löschen und den Fortschritt bei den Teilmaßnahmen eintragen.")))
        schedule = measure.schedule
        if schedule and schedule.actual_start and schedule.actual_end \
                and schedule.actual_end.last_day < schedule.actual_start.first_day:
            problems.append(Problem(document.file, document.line((*path, "schedule", "actual_end")), (
                f"Das tatsächliche Ende ({schedule.actual_end}) liegt vor dem tatsächlichen Beginn "
                f"({schedule.actual_start}). Bitte beide Daten prüfen.")))
    _check_cycles(by_id, "depends_on", problems)
    _check_cycles(by_id, "parent", problems)


def _check_cycles(by_id: dict, kind: str, problems: list[Problem]) -> None:
    """One message per cycle of ``depends_on`` (or ``parent``), at the measure that closes it."""
    reported: set[frozenset[str]] = set()
    for start in by_id:
        chain = _cycle_from(by_id, kind, start)
        if chain is None or frozenset(chain) in reported:
            continue
        reported.add(frozenset(chain))
        measure, document, path = by_id[chain[-1]]
        shown = " → ".join(f"„{item}“" for item in [*chain, chain[0]])
        if kind == "parent":
            problems.append(Problem(document.file, document.line((*path, "parent")), (
                f"Die Teilmaßnahmen bilden einen Kreis: {shown}. Eine Maßnahme kann nicht über sich selbst "
                "stehen. Bitte bei einer dieser Maßnahmen „parent:“ ändern oder löschen.")))
        else:
            position = measure.depends_on.index(chain[0])
            problems.append(Problem(document.file, document.line((*path, "depends_on", position)), (
                f"Die Abhängigkeiten bilden einen Kreis: {shown} (jede hängt von der nächsten ab). So kann "
                "keine dieser Maßnahmen beginnen. Bitte bei einer von ihnen den Eintrag unter „depends_on:“ "
                "löschen (für Maßnahmen, die nur zusammengehören, gibt es „related:“).")))


def _cycle_from(by_id: dict, kind: str, start: str) -> list[str] | None:
    """The cycle that the chain from ``start`` runs into (starting at its smallest id), or None.

    Every measure names at most one parent, so a parent chain is walked straight; ``depends_on``
    is searched depth first with each measure visited once (linear in the number of relations)."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()
    work: list[tuple[str, int]] = [(start, 0)]
    while work:
        current, index = work.pop()
        if index == 0:
            path.append(current)
            on_path.add(current)
        entry = by_id.get(current)
        targets = ([entry[0].parent] if kind == "parent" else entry[0].depends_on) if entry else []
        if index < len(targets):
            work.append((current, index + 1))
            target = targets[index]
            if target is None or target == current or target in done or target not in by_id:
                continue  # a relation to itself has its own message
            if target in on_path:
                chain = path[path.index(target):]
                smallest = chain.index(min(chain))
                return chain[smallest:] + chain[:smallest]
            work.append((target, 0))
        else:
            path.pop()
            on_path.discard(current)
            done.add(current)
    return None
