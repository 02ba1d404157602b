"""Every kind of data error: one small broken fixture each, exact German message with file and line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import FIXTURES, MINIMAL, ROOT
from klartext.loading import MAX_BYTES
from klartext.problems import DataError
from klartext.validation import load_concept

LANGUAGES = ["en", "ar", "ls"]
BROKEN = "data/zz-broken.yml"

CASES = {
    "syntax_error": [
        "5: YAML-Syntaxfehler: Bitte Einrückung, Doppelpunkte und Anführungszeichen in dieser Zeile "
        "und der Zeile davor prüfen. (Technische Meldung: did not find expected ',' or ']')"],
    "tab_indentation": [
        "3: Tabulatorzeichen sind in YAML nicht erlaubt. Bitte mit Leerzeichen einrücken (zwei "
        "Leerzeichen pro Ebene)."],
    "unknown_key": [
        "2: Die Angabe „title“ fehlt. Bitte ergänzen.",
        "5: Unbekannter Schlüssel „titel“. Meinten Sie „title“? Erlaubt sind hier: id, field, goals, "
        "title, summary, description, state, responsible, partners, budget, schedule, target_groups, "
        "formats, updates, added, provenance."],
    "duplicate_key": [
        "8: Der Schlüssel „state“ steht in diesem Abschnitt doppelt (zuerst in Zeile 7). Bitte einen "
        "der beiden Einträge löschen oder zusammenführen."],
    "duplicate_id": [
        "2: Die Kennung „lesepaten“ gibt es doppelt (Maßnahme, zuerst in data/field.yml:42). Jede "
        "Kennung darf nur einmal vorkommen: bitte eine umbenennen."],
    "unknown_reference": [
        "4: „lessen“ ist keine bekannte Kennung für Ziel (in „goals“ von „vorlesen“). Meinten Sie "
        "„lesen“?"],
    "unknown_state": [
        "7: „fertig“ ist keine bekannte Kennung für Umsetzungsstand (measure_states) (in „state“ von "
        "„vorlesen“). Vorhanden sind: idee, geplant."],
    "invalid_date": [
        "9: „15.03.2024“ ist kein gültiges Datum für „start“. Bitte als JJJJ-MM-TT (z. B. 2024-03-15), "
        "JJJJ-MM (2024-03) oder JJJJ (2024) schreiben."],
    "impossible_date": [
        "3: Das Datum „2024-02-30“ in „date“ gibt es nicht. Bitte Tag und Monat prüfen."],
    "end_before_start": [
        "10: Das Ende (2024-12) liegt vor dem Beginn (2025-03). Bitte beide Daten prüfen."],
    "wrong_type": [
        "9: „per_year“ muss eine Zahl sein, nicht „etwa tausend Euro“. Bitte ohne Einheit, ohne "
        "Tausenderpunkt und mit Punkt als Dezimalzeichen schreiben (z. B. 33000 oder 12.5)."],
    "missing_german_text": [
        "5: Der deutsche Text für „title“ ist leer. Bitte Text eintragen oder, wenn die Angabe "
        "freiwillig ist, die ganze Zeile löschen."],
    "missing_required": ["2: Die Angabe „summary“ fehlt. Bitte ergänzen."],
    "measure_without_goal": [
        "2: Die Maßnahme „vorlesen“ dient keinem Ziel. Jede Maßnahme muss unter „goals:“ mindestens "
        "ein Ziel nennen, dem sie dient (Kennungen aus „goals:“)."],
    "unknown_language": [
        "9: „xq“ ist kein bekannter Sprachcode. Bitte ISO-Kürzel wie de, en, ar, tr, uk, ru, fa "
        "verwenden."],
    "negative_amount": ["9: „one_off“ darf nicht kleiner als 0 sein (angegeben: -500)."],
    "alias": ["2: Anker und Verweise (& und *) werden nicht unterstützt. Bitte den Inhalt ausschreiben."],
    "billion_laughs": [  # refused before anything is expanded
        f"{line}: Anker und Verweise (& und *) werden nicht unterstützt. Bitte den Inhalt ausschreiben."
        for line in range(1, 9)],
    "empty": [" Die Datei ist leer. Bitte Inhalt ergänzen oder die Datei löschen."],
    "top_level_list": [
        "1: Die Datei muss aus Abschnitten wie „measures:“ oder „fields:“ bestehen (Schlüssel am "
        "Zeilenanfang)."],
    "unknown_section": [
        "1: Unbekannter Schlüssel „massnahmen“. Erlaubt sind hier: concept, projects, field_states, "
        "measure_states, funding_states, actor_kinds, event_kinds, fields, goals, indicators, measures, "
        "actors, events, glossary, facts, figures, documents, terminology."],
    "unknown_document": [
        "11: Das Dokument „bericht-3“ steht nicht in der Dokumentenliste („documents:“). Bitte die Kennung "
        "prüfen oder das Dokument dort anlegen. Meinten Sie „bericht-2“?"],
    "page_out_of_range": [
        "13: Seite 40 gibt es im Dokument „2. Sachstandsbericht“ nicht: es hat 12 Seiten. Bitte die "
        "Seitenzahl prüfen."],
    "quote_without_document": [
        "7: Die Quellenangabe mit „kind: zitiert“ nennt kein Dokument. Bitte unter „document:“ die Kennung "
        "des Dokuments aus „documents:“ angeben, oder „kind: annahme“ bzw. „kind: platzhalter“ mit einer "
        "Frage an die Stadt („question:“) verwenden."],
    "unknown_field": [
        "3: „bildungg“ ist keine bekannte Kennung für Handlungsfeld (in „field“ von „vorlesen“). Meinten "
        "Sie „bildung“?"],
    "unknown_actor": [
        "8: „stadtbibliotek“ ist keine bekannte Kennung für Akteur (Organisation) (in „responsible“ von "
        "„vorlesen“). Vorhanden sind: lesehilfe."],
    "javascript_url": [
        "5: „javascript:alert(document.cookie)“ ist keine gültige Webadresse für „web“. Bitte mit "
        "https:// beginnen."],
    "invalid_id": [
        "2: Die Kennung „Vorlesen am Abend“ in „id“ darf nur Kleinbuchstaben (a–z, ohne Umlaute), "
        "Ziffern und einzelne Bindestriche enthalten, z. B. „sprachkurse-kita“."],
    "list_instead_of_text": ["5: „title“ muss ein Text sein. Bitte Text hinter den Doppelpunkt schreiben."],
    "null_text": ["5: „title“ muss ein Text sein. Bitte Text hinter den Doppelpunkt schreiben."],
    "text_instead_of_list": [
        "4: „goals“ muss eine Liste sein: jeden Eintrag in eine eigene Zeile mit „- “ davor."],
    "string_for_mapping": [
        "8: „budget“ muss ein Abschnitt mit eingerückten Angaben sein (Schlüssel: Wert)."],
    "control_character": [
        "5: In dieser Zeile steht ein unsichtbares Steuerzeichen (U+0007), meist beim Kopieren aus einem "
        "anderen Programm entstanden. Bitte den Text der Zeile löschen und neu tippen."],
    "unclosed_quote": [
        "5: Hier beginnt ein Text in Anführungszeichen, der nicht geschlossen wird. Bitte das "
        "schließende Anführungszeichen am Ende des Textes ergänzen (oder beide weglassen)."],
    "bad_indentation": [
        "4: YAML-Syntaxfehler: Bitte Einrückung, Doppelpunkte und Anführungszeichen in dieser Zeile und "
        "der Zeile davor prüfen. (Technische Meldung: did not find expected '-' indicator)"],
    "year_out_of_range": [
        "9: „20245“ ist kein gültiges Datum für „start“. Bitte als JJJJ-MM-TT (z. B. 2024-03-15), "
        "JJJJ-MM (2024-03) oder JJJJ (2024) schreiben."],
    "latin1": [
        "5: Die Datei enthält Zeichen, die nicht UTF-8-kodiert sind (z. B. aus Word oder Excel kopiert). "
        "Bitte die Datei im Editor mit der Kodierung „UTF-8“ speichern."],
    "utf16": [" Die Datei ist in UTF-16 gespeichert. Bitte im Editor als „UTF-8“ speichern."],
    "translation_syntax_error": [
        "3: Hier beginnt ein Text in Anführungszeichen, der nicht geschlossen wird. Bitte das "
        "schließende Anführungszeichen am Ende des Textes ergänzen (oder beide weglassen)."],
    "translation_wrong_type": [
        "3: Hier wird ein übersetzter Text erwartet: eine Zeile Text, oder „text:“ mit optional "
        "„source:“ (Prüfsumme des deutschen Textes) und „machine: true“."],
}
"""Fixture name -> the exact report lines after ``file:``. A fixture named ``translation_*`` stands in
for data/translations/en.yml, every other one is an extra file data/zz-broken.yml."""


def _data_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    project = tmp_path / "project"
    shutil.copytree(MINIMAL / "data", project / "data")
    for name, content in files.items():
        (project / name).write_bytes(content)
    return project


def _problems(project: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", LANGUAGES, project)
    return [str(problem) for problem in caught.value.problems]


def test_minimal_fixture_is_valid() -> None:
    data, warnings = load_concept(MINIMAL / "data", LANGUAGES, MINIMAL)
    assert [measure.id for measure in data.measures] == ["lesepaten"]
    assert warnings == []


def _broken_project(tmp_path: Path, case: str) -> tuple[Path, str]:
    target = "data/translations/en.yml" if case.startswith("translation_") else BROKEN
    fixture = (FIXTURES / "broken" / f"{case}.yml").read_bytes()
    project = _data_with(tmp_path, {target: fixture})
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project, target


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_fixture_reports_file_line_and_german_message(tmp_path: Path, case: str) -> None:
    project, target = _broken_project(tmp_path, case)
    assert _problems(project) == [f"{target}:{expected}" for expected in CASES[case]]


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_fixture_stops_the_check_command_cleanly(tmp_path: Path, case: str) -> None:
    """What staff see from ``./klartext check``: the whole German report, exit code 1, no traceback,
    within a bounded time (a hang guard, not a speed target)."""
    project, target = _broken_project(tmp_path, case)
    result = subprocess.run([sys.executable, "-m", "klartext.check"], cwd=project, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")})
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Die Daten des Integrationskonzepts enthalten ")
    assert lines[1:-1] == [f"  - {target}:{expected}" for expected in CASES[case]]
    assert lines[-1] == "Bitte korrigieren Sie die genannten Stellen und starten Sie den Build erneut."


def test_every_broken_fixture_has_a_case() -> None:
    fixtures = {path.stem for path in (FIXTURES / "broken").glob("*.yml")}
    assert fixtures == set(CASES)
    assert len(fixtures) + 1 >= 30  # with the generated oversized file below


def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    filler = "# " + "x" * 98 + "\n"
    content = ("measures:\n" + filler * (MAX_BYTES // len(filler) + 10)).encode()
    project = _data_with(tmp_path, {BROKEN: content})
    assert _problems(project) == [
        f"{BROKEN}: Die Datei ist mit 10,0 MB zu groß (höchstens 10 MB). Ist versehentlich etwas "
        "anderes hineinkopiert worden? Sonst bitte auf mehrere Dateien aufteilen."]


def test_all_problems_of_all_files_are_reported_at_once(tmp_path: Path) -> None:
    project = _data_with(tmp_path, {
        "data/a.yml": (FIXTURES / "broken" / "unknown_reference.yml").read_bytes(),
        "data/b.yml": (FIXTURES / "broken" / "tab_indentation.yml").read_bytes(),
        "data/c.yml": (FIXTURES / "broken" / "end_before_start.yml").read_bytes().replace(
            b"vorlesen", b"vorlesen-2"),
    })
    problems = _problems(project)
    assert [problem.split(":")[0:2] for problem in problems] == [
        ["data/a.yml", "4"], ["data/b.yml", "3"], ["data/c.yml", "10"]]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    original = (MINIMAL / "data" / "lists.yml").read_bytes()
    project = _data_with(tmp_path, {"data/lists.yml": b"\xef\xbb\xbf" + original})
    data, _ = load_concept(project / "data", LANGUAGES, project)
    assert [state.id for state in data.measure_states] == ["idee", "geplant"]


def test_missing_concept_section(tmp_path: Path) -> None:
    project = _data_with(tmp_path, {})
    (project / "data" / "concept.yml").unlink()
    problems = _problems(project)
    assert "data: Der Abschnitt „concept:“ (Titel, Stadt, Stand, Kontakt) fehlt in allen Dateien. " \
           "Bitte in data/concept.yml ergänzen." in problems


def test_translations_attach_to_their_german_source() -> None:
    data, _ = load_concept(MINIMAL / "data", LANGUAGES, MINIMAL)
    measure = data.measures[0]
    assert measure.title.get("en") == "Reading mentors"
    assert measure.title.translations["en"].file == "data/translations/en.yml"
    assert measure.title.translations["en"].line == 16
    assert measure.description.get("en") is None
    assert measure.title.get("ar") is None


def test_translation_of_unknown_record_is_a_warning_with_line(tmp_path: Path) -> None:
    project = _data_with(tmp_path, {"data/translations/ar.yml": (
        "measures:\n  lesepaten:\n    title: قراءة\n  lesepatn:\n    title: خطأ\n").encode()})
    data, warnings = load_concept(project / "data", LANGUAGES, project)
    assert data.measures[0].title.get("ar") == "قراءة"
    assert [str(warning) for warning in warnings] == [
        "data/translations/ar.yml:4: Hinweis: Eine Maßnahme mit der Kennung „lesepatn“ gibt es nicht "
        "(Tippfehler, oder wurde der deutsche Eintrag gelöscht?). Diese Übersetzung wird nicht verwendet."]


def test_paragraphs_survive_loading() -> None:
    data, _ = load_concept(MINIMAL / "data", LANGUAGES, MINIMAL)
    assert data.fields[0].description.de.split("\n") == [
        "Erster Absatz.", "Zweiter Absatz mit <b>Markup</b>, das als Text erscheint."]
