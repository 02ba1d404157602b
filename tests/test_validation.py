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

CONTROL = ("Der Text enthält ein Steuerzeichen (U+{}), zum Beispiel aus einer Schreibweise wie „\\0“ oder "
           "„\\e“ in Anführungszeichen. Es macht Feed und Tabellen ungültig. Bitte das Zeichen löschen; "
           "erlaubt sind nur Zeilenumbrüche und Tabulatoren.")

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
        "formats, updates, added, further_fields, depends_on, related, replaces, state_reason, progress, parent, "
        "weight, implements, provenance."],
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
        "actors, events, glossary, facts, figures, documents, terminology, decision_states, recommendations."],
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
    # issue 18: input classes that crashed the build or were accepted silently
    "deep_nesting": [
        "8: Hier sind Listen oder Abschnitte mehr als 24-fach ineinander verschachtelt (zum Beispiel viele "
        "„[“ hintereinander). So tief geht keine Angabe im Konzept. Bitte die Klammern und Einrückung prüfen."],
    "huge_amount": [
        "9: „per_year“ ist mit 1000000000000000000000000000000 zu groß. Zahlen müssen kleiner als eine "
        "Billiarde (10^15) sein. Bitte die Zahl prüfen (ohne Tausenderpunkte, mit Punkt als Dezimalzeichen)."],
    "infinite_amount": [
        "9: „.inf“ ist keine Zahl, mit der gerechnet werden kann („one_off“). Bitte eine Zahl eintragen oder "
        "die Angabe löschen, wenn sie nicht bekannt ist."],
    "nan_indicator_value": [
        "7: „.nan“ ist keine Zahl, mit der gerechnet werden kann („value“). Bitte eine Zahl eintragen oder "
        "die Angabe löschen, wenn sie nicht bekannt ist."],
    "infinite_target": [
        "6: „-.inf“ ist keine Zahl, mit der gerechnet werden kann („value“). Bitte eine Zahl eintragen oder "
        "die Angabe löschen, wenn sie nicht bekannt ist."],
    "long_id": [
        "2: Die Kennung „vorlesen-vorlesen-vorlesen-vorlesen-vorl…“ in „id“ ist mit 275 Zeichen zu lang "
        "(höchstens 80): sie wird Teil von Datei- und Seitennamen. Bitte kürzer fassen."],
    "escaped_control_character": [
        "6: " + CONTROL.format("001B")],
    "null_character": ["5: " + CONTROL.format("0000")],
    "bidi_override": [
        "5: Der Text enthält ein unsichtbares Steuerzeichen für die Schreibrichtung (U+202E). Es kann die "
        "Reihenfolge der angezeigten Zeichen verfälschen. Bitte den Text neu tippen (die Schreibrichtung von "
        "Arabisch stellt die Website selbst richtig ein)."],
    "zero_width_space": [
        "6: Der Text enthält ein unsichtbares Zeichen ohne Breite (U+200B), meist beim Kopieren entstanden. "
        "Es stört die Suche und das Vorlesen. Bitte den Text neu tippen."],
    "translation_zero_width_space": [
        "3: Der Text enthält ein unsichtbares Zeichen ohne Breite (U+200B), meist beim Kopieren entstanden. "
        "Es stört die Suche und das Vorlesen. Bitte den Text neu tippen."],
    "merge_key": [
        "9: Der Zusammenführungs-Schlüssel „<<:“ wird nicht unterstützt: er übernimmt Angaben still aus "
        "einem anderen Abschnitt und kann getippte Angaben überdecken. Bitte die Angaben hier ausschreiben."],
    "reserved_id": [
        "2: Die Kennung „index“ ist vergeben: unter massnahmen/index.html steht die Übersicht aller "
        "Maßnahmen, die Seite dieser Maßnahme würde sie ersetzen. Bitte eine andere Kennung wählen."],
    "umlaut_line": [  # libyaml counts bytes: the line must still be right after many umlauts
        "9: In dieser Zeile steht ein unsichtbares Steuerzeichen (U+0007), meist beim Kopieren aus einem "
        "anderen Programm entstanden. Bitte den Text der Zeile löschen und neu tippen."],
    "too_long_text": [
        "6: Der Text für „summary“ ist mit 33.999 Zeichen zu lang: höchstens 32.767 Zeichen passen in eine "
        "Zelle der Tabellen-Ausgabe. Bitte kürzen oder auf mehrere Angaben verteilen."],
    "translation_too_long_text": [
        "3: Die Übersetzung ist mit 40.000 Zeichen zu lang: höchstens 32.767 Zeichen passen in eine Zelle der "
        "Tabellen-Ausgabe. Bitte kürzen."],
    # 16val: wrong values as staff type them (issue 16)
    "decimal_comma_in_braces": [
        "6: In „baseline“ steht „5“ als Angabe ohne Namen, meist der Rest einer Zahl mit Dezimalkomma: zwischen "
        "geschweiften Klammern {…} trennt das Komma die Angaben. Bitte Dezimalzahlen mit Punkt schreiben (z. B. "
        "14.5)."],
    "value_not_allowed": ["4: „hauptziel“ ist für „kind“ nicht erlaubt. Erlaubt sind: „leitziel“, „ziel“."],
}
# 16fig: figure kinds grouped-bar, likert, cross-table
CASES |= {
    "figure_likert_without_sides": [
        "7: Die Likert-Abbildung „zufriedenheit“ braucht eine geordnete Antwortskala: bei jeder Zahlenreihe "
        "„side:“ (negativ, neutral, positiv oder keine-angabe), von der negativsten zur positivsten Antwort "
        "geordnet. Ohne „side:“: „unzufrieden“, „zufrieden“."],
    "figure_likert_unordered": [
        "7: Die Antwortskala der Likert-Abbildung „zufriedenheit“ ist nicht geordnet: zuerst die negativen "
        "Antworten (side: negativ), dann höchstens eine neutrale Mitte (side: neutral), dann die positiven "
        "(side: positiv); mindestens je eine negative und eine positive. Angegeben: „zufrieden“ (positiv), "
        "„unzufrieden“ (negativ), „keine Angabe“ (keine-angabe)."],
    "figure_likert_counts": [
        "5: Die Likert-Abbildung „zufriedenheit“ zeigt Anteile: bitte „unit: Prozent“ angeben und die Werte "
        "in Prozent eintragen."],
    "figure_likert_shares_over_100": [
        "6: Die Anteile der Kategorie „Männer“ in der Abbildung „zufriedenheit“ ergeben zusammen 105 Prozent, "
        "mehr als 100. Bitte die Werte prüfen: auf einer Antwortskala gibt jede Person genau eine Antwort."],
    "figure_side_outside_likert": [
        "10: „side:“ gibt es nur in Likert-Abbildungen (kind: likert); die Abbildung „angebote“ ist ein "
        "gruppiertes Balkendiagramm. Bitte „side:“ entfernen oder „kind: likert“ angeben."],
    "figure_grouped_one_series": [
        "6: Die Abbildung „angebote“ ist ein gruppiertes Balkendiagramm (kind: grouped-bar) und braucht "
        "mindestens zwei Zahlenreihen unter „series:“ (angegeben: 1). Für eine Reihe „kind: bar“ verwenden."],
    "figure_share_over_100": [
        "11: Die Zahlenreihe „2024“ der Abbildung „angebote“ enthält den Anteil 180 Prozent; ein Anteil ist "
        "höchstens 100 Prozent. Bitte den Wert prüfen (oder die Einheit, wenn es keine Anteile sind)."],
    "figure_cross_table_wrong_count": [
        "12: Die Zahlenreihe „Arabisch“ der Abbildung „sprachen“ hat 2 Werte, aber es gibt 3 Kategorien. "
        "Bitte für jede Kategorie unter „categories:“ genau einen Wert angeben."],
}
CASES.update({  # 16ctx: measures in context
    "relation_unknown": [
        "8: „lesepate“ ist keine bekannte Kennung für Maßnahme (in „depends_on“ von „vorlesen“). Meinten Sie "
        "„lesepaten“?"],
    "relation_self": [
        "10: Die Maßnahme „vorlesen“ ist mit sich selbst verwandt (in „related“). Bitte hier eine andere "
        "Maßnahme nennen oder den Eintrag löschen."],
    "depends_on_cycle": [
        "8: Die Abhängigkeiten bilden einen Kreis: „buecherkiste“ → „vorlesen“ → „buecherkiste“ (jede hängt von "
        "der nächsten ab). So kann keine dieser Maßnahmen beginnen. Bitte bei einer von ihnen den Eintrag unter "
        "„depends_on:“ löschen (für Maßnahmen, die nur zusammengehören, gibt es „related:“)."],
    "parent_cycle": [
        "8: Die Teilmaßnahmen bilden einen Kreis: „buecherkiste“ → „vorlesen“ → „buecherkiste“. Eine Maßnahme "
        "kann nicht über sich selbst stehen. Bitte bei einer dieser Maßnahmen „parent:“ ändern oder löschen."],
    "progress_out_of_range": ["8: „progress“ darf nicht größer als 100 sein (angegeben: 120)."],
    "progress_with_sub_measures": [
        "8: Die Maßnahme „vorlesen“ hat Teilmaßnahmen: ihr Fortschritt wird aus deren Fortschritt berechnet. "
        "Bitte „progress:“ hier löschen und den Fortschritt bei den Teilmaßnahmen eintragen."],
    "weight_without_parent": [
        "9: Die Maßnahme „vorlesen“ hat ein Gewicht („weight:“), ist aber keine Teilmaßnahme. Das Gewicht zählt "
        "nur beim Zusammenrechnen des Fortschritts der übergeordneten Maßnahme: bitte „parent:“ ergänzen oder "
        "„weight:“ löschen."],
    "actual_end_before_start": [
        "11: Das tatsächliche Ende (2024-03) liegt vor dem tatsächlichen Beginn (2024-06). Bitte beide Daten "
        "prüfen."],
    "further_field_is_primary": [
        "8: „bildung“ ist schon das eigene Handlungsfeld der Maßnahme „vorlesen“ (unter „field:“). Unter "
        "„further_fields:“ stehen nur weitere Handlungsfelder: bitte den Eintrag löschen."],
    "indicator_unknown_measure": [
        "6: „vorlese“ ist keine bekannte Kennung für Maßnahme (in „measures“ von „vorlesequote“). Vorhanden "
        "sind: lesepaten."],
    "weight_not_positive": ["9: „weight“ muss größer als 0 sein (angegeben: 0)."],
    "unknown_state_category": [
        "4: „verspaetet“ ist für „category“ nicht erlaubt. Erlaubt sind: „nicht-begonnen“, „laufend“, "
        "„verzoegert“, „abgeschlossen“, „gescheitert“, „gestoppt“."],
})
ISSUE_18 = {"deep_nesting", "huge_amount", "infinite_amount", "nan_indicator_value", "infinite_target", "long_id",
            "escaped_control_character", "null_character", "bidi_override", "zero_width_space",
            "translation_zero_width_space", "merge_key", "reserved_id", "umlaut_line", "too_long_text",
            "translation_too_long_text"}
"""The classes of issue 18, also run through the whole ``./klartext build``."""
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


@pytest.fixture(scope="module")
def build_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with a last good site (any content: a failed build must leave it byte-identical)."""
    from helpers import make_project

    project = make_project(tmp_path_factory.mktemp("build"))
    (project / "site" / "massnahmen").mkdir(parents=True)
    (project / "site" / "index.html").write_text("<p>letzter guter Stand</p>", encoding="utf-8")
    (project / "site" / "massnahmen" / "index.html").write_text("<p>Übersicht</p>", encoding="utf-8")
    return project


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


@pytest.mark.parametrize("case", sorted(ISSUE_18))
def test_issue_18_fixture_stops_the_build_cleanly(build_project: Path, case: str) -> None:
    """``./klartext build`` (klartext.publish): the German report with file and line, exit code 1, no
    traceback, the last good site byte-identical and no leftover folders."""
    target = "data/translations/en.yml" if case.startswith("translation_") else BROKEN
    original = (build_project / target).read_bytes() if (build_project / target).exists() else None
    before = _tree(build_project / "site")
    (build_project / target).write_bytes((FIXTURES / "broken" / f"{case}.yml").read_bytes())
    try:
        result = subprocess.run([sys.executable, "-m", "klartext.publish"], cwd=build_project, capture_output=True,
                                text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT / "hooks"),
                                                             "NO_MKDOCS_2_WARNING": "1"})
    finally:
        if original is None:
            (build_project / target).unlink()
        else:
            (build_project / target).write_bytes(original)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    for expected in CASES[case]:
        assert f"{target}:{expected}" in output
    assert _tree(build_project / "site") == before
    assert sorted(path.name for path in build_project.iterdir() if path.name.startswith(".site")) == [".site.lock"]


NUMBERS_AS_TEXT = """measures:
  - id: version
    field: bildung
    goals: [lesen]
    title: 3.10
    summary: 007
    state: idee
    target_groups: [1_000, 2.50, 1e3]
"""


def test_numbers_typed_as_text_keep_their_digits(tmp_path: Path) -> None:
    project = _data_with(tmp_path, {"data/zz-numbers.yml": NUMBERS_AS_TEXT.encode(),
                                    "data/translations/en.yml": b"measures:\n  version:\n    title: 3.20\n"})
    data, _ = load_concept(project / "data", LANGUAGES, project)
    measure = data.get("measures", "version")
    assert (measure.title.de, measure.summary.de) == ("3.10", "007")
    assert [text.de for text in measure.target_groups] == ["1_000", "2.50", "1e3"]
    assert measure.title.get("en") == "3.20"


def test_joiners_and_direction_marks_stay_allowed(tmp_path: Path) -> None:
    """ZWNJ/ZWJ write Persian and Kurdish names; RLM/LRM sit inside Arabic text: not refused."""
    text = "measures:\n  - id: name\n    field: bildung\n    goals: [lesen]\n    title: \"می\u200cخواهم \u200f(1)\"\n" \
           "    summary: \"Familie \U0001F468\u200d\U0001F469\u00ad\"\n    state: idee\n"
    project = _data_with(tmp_path, {"data/zz-names.yml": text.encode()})
    data, _ = load_concept(project / "data", LANGUAGES, project)
    assert "\u200c" in data.get("measures", "name").title.de


ENTRY = ("Im Datenordner sind nur gewöhnliche .yml-Dateien erlaubt, die dort selbst liegen: bitte den Inhalt "
         "als Datei hineinkopieren oder den Eintrag entfernen.")


def test_entries_that_are_not_regular_files_inside_the_project(tmp_path: Path) -> None:
    project = _data_with(tmp_path, {})
    outside = tmp_path / "outside.yml"
    outside.write_text("glossary:\n  - id: geheim\n    term: Geheim\n    definition: Nicht öffentlich.\n",
                       encoding="utf-8")
    (project / "data" / "geheim.yml").symlink_to(outside)
    (project / "data" / "mehr").symlink_to(tmp_path)
    (project / "data" / "translations" / "tr.yml").symlink_to(outside)
    (project / "data" / "field.yml").rename(project / "data" / "field-alt.yml")
    (project / "data" / "field.yml").mkdir()  # a folder where the file was: its sections must not vanish
    assert [line for line in _problems(project) if "Eintrag" in line] == [
        f"data/field.yml: Dieser Eintrag ist ein Ordner, keine Datei. {ENTRY}",
        f"data/geheim.yml: Dieser Eintrag ist eine Verknüpfung (symbolischer Link), keine eigene Datei. {ENTRY}",
        f"data/mehr: Dieser Eintrag ist eine Verknüpfung (symbolischer Link) auf einen anderen Ordner. {ENTRY}",
        f"data/translations/tr.yml: Dieser Eintrag ist eine Verknüpfung (symbolischer Link), keine eigene "
        f"Datei. {ENTRY}"]
