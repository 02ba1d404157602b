"""Data-quality rules: is every measure owned and scheduled, every goal measurable?

Each rule is configured in ``extra.klartext.controlling.rules`` as ``error`` (the build stops),
``warning`` (reported, the build goes on) or ``off``. Messages are German and name file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from klartext.concept import ConceptData, Where
from klartext.controlling import Settings
from klartext.problems import Problem

_SOURCED = [("projects", "Das Projekt"), ("fields", "Das Handlungsfeld"), ("goals", "Das Ziel"),
            ("indicators", "Der Indikator"), ("measures", "Die Maßnahme"), ("actors", "Der Akteur"),
            ("events", "Der Termin"), ("facts", "Der Fakt"), ("figures", "Die Abbildung")]
"""Collections whose records state something about the city and so need a source (rule
``record_without_source``, active once the concept lists its documents under ``documents:``, so a new
city is not flooded before it has any). Glossary entries explain words and are the team's own text."""
_SOURCED.append(("recommendations", "Die Empfehlung"))  # 16rec


_COUNTS_REFERRERS = {"goal_without_indicator": "goals"}
"""Rules that fire when no other record refers to a record (collection of that record): on a concept
with broken records they stay silent for a record a broken one refers to (it may be the missing one)."""


def check_quality(data: ConceptData, settings: Settings) -> list[Problem]:
    """Every finding of every rule that is not switched off."""
    problems = []
    for rule, record, message in _findings(data, settings):
        severity = settings.rules[rule]
        if severity == "off":
            continue
        if rule in _COUNTS_REFERRERS and ({(_COUNTS_REFERRERS[rule], record.id), ("*", "*")}
                                          & data.referred_by_broken):
            continue
        where = record if isinstance(record, Where) else data.where[id(record)]
        problems.append(Problem(where.file, where.line, f"{message} (Regel {rule})", severity))
    return sorted(problems, key=lambda p: (p.file, p.line, p.message))


def _findings(data: ConceptData, settings: Settings) -> Iterator[tuple[str, Any, str]]:
    for where, text in data.placeholders:
        what = (f"„{text}“" if text.startswith("[") else
                f"„{text}“ (eine Adresse mit „.example“ gibt es nicht)")
        yield ("placeholder", where,
               f"Platzhalter: {what}. Bitte durch die Angabe der Stadt ersetzen.")
    for measure in data.measures:
        if not measure.responsible:
            yield ("measure_without_owner", measure,
                   f"Die Maßnahme „{measure.id}“ hat keine Zuständigkeit. Bitte unter „responsible:“ die "
                   "zuständige Organisation (Kennung aus actors.yml) eintragen.")
        state = data.get("measure_states", measure.state)
        if state is not None and state.needs_reason and measure.state_reason is None:  # 16ctx
            yield ("state_without_reason", measure,
                   f"Die Maßnahme „{measure.id}“ steht auf „{state.label.de}“, aber es fehlt die Begründung. "
                   "Bitte unter „state_reason:“ in ein bis zwei Sätzen schreiben, warum sie verzögert, "
                   "gescheitert oder angehalten ist.")
        schedule = measure.schedule
        if not schedule or not (schedule.start or schedule.end):
            yield ("measure_without_schedule", measure,
                   f"Die Maßnahme „{measure.id}“ hat keinen Zeitplan. Bitte unter „schedule:“ mindestens "
                   "„start:“ oder „end:“ angeben.")
    for collection, what in (_SOURCED if data.documents else []):
        for record in getattr(data, collection):
            if not record.provenance:
                yield ("record_without_source", record,
                       f"{what} „{record.id}“ hat keine Quelle. Bitte unter „provenance:“ das Dokument "
                       "(Kennung aus „documents:“) mit Kapitel oder Seite angeben, oder „kind: annahme“ "
                       "mit einer Frage an die Stadt („question:“).")
    for goal in data.goals:
        if not data.indicators_of(goal.id):
            yield ("goal_without_indicator", goal,
                   f"Das Ziel „{goal.id}“ hat keinen Indikator. Bitte unter „indicators:“ einen Indikator "
                   f"mit „goal: {goal.id}“ anlegen, damit das Ziel messbar wird.")
    for indicator in data.indicators:
        if indicator.unit is None:
            yield ("indicator_without_unit", indicator,
                   f"Der Indikator „{indicator.id}“ hat keine Einheit. Bitte „unit:“ ergänzen "
                   "(z. B. Prozent oder Teilnehmende).")
        if indicator.baseline is None:
            yield ("indicator_without_baseline", indicator,
                   f"Der Indikator „{indicator.id}“ hat keinen Ausgangswert. Bitte „baseline:“ mit "
                   "„value:“ und „year:“ ergänzen.")
        if indicator.target is None:
            yield ("indicator_without_target", indicator,
                   f"Der Indikator „{indicator.id}“ hat keinen Zielwert. Bitte „target:“ mit „value:“ "
                   "und „year:“ ergänzen.")
        elif indicator.target.year < settings.as_of.year and not any(
                value.date.year >= indicator.target.year for value in indicator.values):
            yield ("target_passed_without_value", indicator,
                   f"Das Zieljahr {indicator.target.year} des Indikators „{indicator.id}“ ist vorbei, "
                   f"aber es gibt keinen Messwert ab {indicator.target.year}. Bitte unter „values:“ den "
                   "erreichten Wert eintragen.")


def file_placeholders(root: Path, paths: list[Path], settings: Settings) -> list[Problem]:
    """Placeholders in files other than the data (``mkdocs.yml``, hand-written pages), line by line."""
    from klartext.validation import PLACEHOLDER

    severity = settings.rules["placeholder"]
    if severity == "off":
        return []
    problems = []
    for path in paths:
        shown = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            found = PLACEHOLDER.search(line)
            if found:
                text = found.group(0)
                address = text.removeprefix("tag:").lstrip("@:/")
                what = f"„{text}“" if text.startswith("[") else f"„{address}“ (eine Adresse mit „.example“)"
                problems.append(Problem(shown, number, f"Platzhalter: {what}. Bitte durch die Angabe der "
                                        "Stadt ersetzen. (Regel placeholder)", severity))
    return problems
