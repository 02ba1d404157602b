"""Validation across stages (issue 16): a wrong value sets aside only its record, references to a record
that exists but failed are not reported again as unknown, and the checks that can run on the valid records
(rules across records, shares, data-quality rules, translations) run in the same pass: one run names every
independent problem."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import FIXTURES, MINIMAL, ROOT, edit, make_project, read_config, write_config
from klartext.concept import Where
from klartext.problems import DataError
from klartext.validation import load_concept

LANGUAGES = ["en", "ar", "ls"]
STAGES = FIXTURES / "stages"
"""Files laid over the minimal concept: data/zz-stages.yml and a broken data/translations/en.yml."""

NOT_A_NUMBER = ("„{key}“ muss eine Zahl sein, nicht „14,5“. Bitte ohne Einheit, ohne Tausenderpunkt und mit "
                "Punkt als Dezimalzeichen schreiben (z. B. 33000 oder 12.5).")

VORLESEN = """measures:
  - id: vorlesen
    field: bildung
    goals: [lesen]
    title: Vorlesen
    summary: Kinder hören zu.
    state: idee
    responsible: lesehilfe
"""
"""A measure in a file of its own that refers to the field, goal and actor of data/field.yml."""


def _data(tmp_path: Path, files: dict[str, str]) -> Path:
    project = tmp_path / "project"
    shutil.copytree(MINIMAL / "data", project / "data")
    for name, content in files.items():
        (project / name).write_text(content, encoding="utf-8")
    return project


def _failure(project: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", LANGUAGES, project)
    return caught.value


def test_wrong_value_sets_aside_only_its_record(tmp_path: Path) -> None:
    """`14,5` in one measure: one message; the other records of its file load, and the measure in another
    file that refers to them gets no follow-on „… ist keine bekannte Kennung“."""
    project = _data(tmp_path, {"data/zz-more.yml": VORLESEN})
    field = project / "data" / "field.yml"
    edit(field, "per_year: 1500", "per_year: 14,5")
    edit(field, "actors:\n", VORLESEN.replace("measures:\n", "").replace("vorlesen", "schreibpaten") + "actors:\n")
    error = _failure(project)
    assert [str(problem) for problem in error.problems] == [
        "data/field.yml:51: " + NOT_A_NUMBER.format(key="per_year")]
    loaded = error.partial
    assert [measure.id for measure in loaded.measures] == ["schreibpaten", "vorlesen"]
    assert loaded.where[id(loaded.measures[0])] == Where("data/field.yml", 68)
    assert loaded.broken == {"measures": {"lesepaten"}}
    assert [item.id for item in loaded.fields] == ["bildung", "sprache"]
    assert [goal.id for goal in loaded.goals] == ["lesen"]
    assert [indicator.id for indicator in loaded.indicators] == ["lesequote"]
    assert [actor.id for actor in loaded.actors] == ["lesehilfe"]
    assert [event.id for event in loaded.events] == ["auftakt"]
    assert loaded.where[id(loaded.goals[0])] == Where("data/field.yml", 25)
    assert loaded.measures[0].title.de == "Vorlesen"


def test_reference_to_a_record_that_failed_is_not_unknown(tmp_path: Path) -> None:
    """A goal with a wrong value in one file, a measure that serves it in another."""
    project = _data(tmp_path, {"data/zz-goals.yml": (
        "goals:\n  - id: schreiben\n    field: bildung\n    kind: hauptziel\n    title: Alle Kinder schreiben.\n")})
    edit(project / "data" / "field.yml", "goals: [lesen]", "goals: [lesen, schreiben]")
    error = _failure(project)
    assert [str(problem) for problem in error.problems] == [
        "data/zz-goals.yml:4: „hauptziel“ ist für „kind“ nicht erlaubt. Erlaubt sind: „leitziel“, „ziel“."]
    assert [measure.id for measure in error.partial.measures] == ["lesepaten"]


def test_a_source_whose_document_entry_failed_is_not_unknown(tmp_path: Path) -> None:
    """`pages: zwölf` in the document list: the event that cites the document gets no follow-on message."""
    project = _data(tmp_path, {
        "data/zz-documents.yml": "documents:\n  - id: bericht-2\n    title: 2. Sachstandsbericht\n    pages: zwölf\n",
        "data/zz-events.yml": ("events:\n  - id: treffen\n    date: 2024-03-01\n    kind: workshop\n"
                               "    title: Treffen\n    provenance:\n      - document: bericht-2\n        page: 4\n")})
    error = _failure(project)
    assert [str(problem) for problem in error.problems] == [
        "data/zz-documents.yml:4: „pages“ muss eine ganze Zahl sein, nicht „zwölf“."]
    assert [event.id for event in error.partial.events] == ["auftakt", "treffen"]


def test_references_into_a_file_that_cannot_be_read_are_not_unknown(tmp_path: Path) -> None:
    """A tab makes a file unreadable as a whole; the goals written in it are not reported as unknown
    where other files name them (only after the fix can their own content be checked)."""
    project = _data(tmp_path, {"data/zz-goals.yml": (
        "goals:\n  - id: schreiben\n    field: bildung\n\tkind: ziel\n    title: Alle Kinder schreiben.\n")})
    edit(project / "data" / "field.yml", "goals: [lesen]", "goals: [lesen, schreiben]")
    error = _failure(project)
    assert [str(problem) for problem in error.problems] == [
        "data/zz-goals.yml:4: Tabulatorzeichen sind in YAML nicht erlaubt. Bitte mit Leerzeichen einrücken "
        "(zwei Leerzeichen pro Ebene)."]
    assert [measure.id for measure in error.partial.measures] == ["lesepaten"]


@pytest.mark.parametrize(("typed", "message"), [
    ("  date: 2024-13\n", "data/concept.yml:5: Das Datum „2024-13“ in „date“ gibt es nicht. Bitte Tag und Monat "
     "prüfen."),
    ("  date: '2024-05\n", "data/concept.yml:5: Hier beginnt ein Text in Anführungszeichen, der nicht geschlossen "
     "wird. Bitte das schließende Anführungszeichen am Ende des Textes ergänzen (oder beide weglassen)."),
])
def test_a_concept_section_that_failed_is_not_missing(tmp_path: Path, typed: str, message: str) -> None:
    """No follow-on „Der Abschnitt „concept:“ … fehlt in allen Dateien“."""
    project = _data(tmp_path, {})
    edit(project / "data" / "concept.yml", "  date: 2024-05\n", typed)
    assert [str(problem) for problem in _failure(project).problems] == [message]


def test_a_wrong_section_leaves_the_rest_of_its_file(tmp_path: Path) -> None:
    """An unknown section name sets aside that section, not the goal beside it."""
    project = _data(tmp_path, {"data/zz-goals.yml": (
        "massnahmen:\n  - id: malen\ngoals:\n  - id: schreiben\n    field: bildung\n    kind: ziel\n"
        "    title: Alle Kinder schreiben.\n")})
    edit(project / "data" / "field.yml", "goals: [lesen]", "goals: [lesen, schreiben]")
    error = _failure(project)
    assert [str(problem) for problem in error.problems] == [
        "data/zz-goals.yml:1: Unbekannter Schlüssel „massnahmen“. Erlaubt sind hier: concept, projects, "
        "field_states, measure_states, funding_states, actor_kinds, event_kinds, fields, goals, indicators, "
        "measures, actors, events, glossary, facts, figures, documents, terminology, decision_states, recommendations."]
    assert [goal.id for goal in error.partial.goals] == ["lesen", "schreiben"]


def test_a_second_record_with_the_id_of_a_broken_one_is_reported_at_once(tmp_path: Path) -> None:
    project = _data(tmp_path, {"data/zz-more.yml": VORLESEN.replace("vorlesen", "lesepaten").replace(
        "    responsible: lesehilfe\n", "    responsible: lesehilfe\n    budget:\n      one_off: 14,5\n")})
    problems = [str(problem) for problem in _failure(project).problems]
    assert problems == [
        "data/zz-more.yml:2: Die Kennung „lesepaten“ gibt es doppelt (Maßnahme, zuerst in data/field.yml:42). "
        "Jede Kennung darf nur einmal vorkommen: bitte eine umbenennen.",
        "data/zz-more.yml:10: " + NOT_A_NUMBER.format(key="one_off")]


def _stages_project(tmp_path: Path, build: bool = False) -> Path:
    """The minimal concept with the stages fixture laid over it, the measure of data/field.yml serving
    the goal that fails validation, and the rule goal_without_indicator set to error."""
    project = make_project(tmp_path) if build else _data(tmp_path, {})
    shutil.copytree(STAGES / "data", project / "data", dirs_exist_ok=True)
    edit(project / "data" / "field.yml", "goals: [lesen]", "goals: [lesen, zuhoeren]")
    config = read_config(ROOT / "mkdocs.yml")
    config["extra"]["klartext"]["controlling"]["rules"] = {"goal_without_indicator": "error"}
    write_config(project / "mkdocs.yml", config)
    return project


EVERY_STAGE = [
    "data/translations/en.yml:7: Hier beginnt ein Text in Anführungszeichen, der nicht geschlossen wird. Bitte "
    "das schließende Anführungszeichen am Ende des Textes ergänzen (oder beide weglassen).",
    "data/zz-stages.yml:9: Das Ziel „rechnen“ hat keinen Indikator. Bitte unter „indicators:“ einen Indikator "
    "mit „goal: rechnen“ anlegen, damit das Ziel messbar wird. (Regel goal_without_indicator)",
    "data/zz-stages.yml:15: „hauptziel“ ist für „kind“ nicht erlaubt. Erlaubt sind: „leitziel“, „ziel“.",
    "data/zz-stages.yml:24: " + NOT_A_NUMBER.format(key="value"),
    "data/zz-stages.yml:33: " + NOT_A_NUMBER.format(key="per_year"),
    "data/zz-stages.yml:34: Die Maßnahme „schreibwerkstatt“ dient keinem Ziel. Jede Maßnahme muss unter "
    "„goals:“ mindestens ein Ziel nennen, dem sie dient (Kennungen aus „goals:“).",
    "data/zz-stages.yml:45: Die Anteile der Kategorie „Eltern“ in der Abbildung „zufriedenheit“ ergeben "
    "zusammen 105 Prozent, mehr als 100. Bitte die Werte prüfen, oder „multiple_answers: true“ angeben, wenn "
    "mehrere Antworten möglich waren.",
    "data/zz-stages.yml:50: Die Zahlenreihe „unzufrieden“ der Abbildung „zufriedenheit“ hat 3 Werte, aber es "
    "gibt 2 Kategorien. Bitte für jede Kategorie unter „categories:“ genau einen Wert angeben.",
]
"""What staff read: every independent problem of every stage, and nothing that follows from another one
(no unknown goal „zuhoeren“ in data/field.yml, no goal „schreiben“ without indicator: its indicator is the
one with `14,5`)."""


def test_check_reports_every_independent_problem_of_every_stage_at_once(tmp_path: Path) -> None:
    project = _stages_project(tmp_path)
    result = subprocess.run([sys.executable, "-m", "klartext.check"], cwd=project, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")})
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "Die Daten des Integrationskonzepts enthalten 8 Probleme:"
    assert lines[1:-1] == [f"  - {line}" for line in EVERY_STAGE]
    assert lines[-1] == "Bitte korrigieren Sie die genannten Stellen und starten Sie den Build erneut."


def test_build_reports_every_stage_at_once_and_keeps_the_last_good_site(tmp_path: Path) -> None:
    """``./klartext build`` (klartext.publish, through the MkDocs plugin): the same report, exit code 1,
    no traceback, the last good site untouched."""
    project = _stages_project(tmp_path, build=True)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("<p>letzter guter Stand</p>", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "klartext.publish"], cwd=project, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT / "hooks"),
                                                         "NO_MKDOCS_2_WARNING": "1"})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert "Die Daten des Integrationskonzepts enthalten 8 Probleme:" in output
    for line in EVERY_STAGE:
        assert f"  - {line}" in output
    assert "zuhoeren“ ist keine bekannte Kennung" not in output
    assert [path.name for path in (project / "site").iterdir()] == ["index.html"]
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "<p>letzter guter Stand</p>"
