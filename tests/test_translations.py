"""Translation workflow: freshness, status report, PO round trip, a language added by configuration."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
import yaml

from helpers import MINIMAL, ROOT, build, edit, make_project, read_config, write_config
from klartext.text import MAX_TEXT, fingerprint
from klartext.translations import entries, export_po, format_status, import_po, status
from klartext.validation import load_concept

LANGUAGES = ["en", "ar", "ls"]
ALL = ["en", "tr", "ar", "uk", "ru", "ls"]
TAGS = {"en": "en", "tr": "tr", "ar": "ar", "uk": "uk", "ru": "ru", "ls": "de"}


def _copy(tmp_path: Path, source: Path = MINIMAL) -> Path:
    project = tmp_path / "project"
    shutil.copytree(source / "data", project / "data")
    return project


def _digests(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*.yml"))}


def test_changing_german_text_turns_its_translations_outdated(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    title = data.get("measures", "lesepaten").title
    assert title.state("en") == "current"
    field = project / "data" / "field.yml"
    edit(field, "title: Lesepatenschaften", "title: Lesepatenschaften in der Bibliothek")
    data, _ = load_concept(project / "data", LANGUAGES, project)
    title = data.get("measures", "lesepaten").title
    assert title.state("en") == "outdated"
    assert title.state("ar") == "missing"
    report = format_status(status(data, ["en"]))
    assert "en: veraltet (deutscher Text geändert): data/translations/en.yml:16: measures/lesepaten/title" in report


def test_status_counts_every_state() -> None:
    data, _ = load_concept(MINIMAL / "data", LANGUAGES, MINIMAL)
    english = status(data, ["en"])[0]
    assert english.counts["machine"] == 1   # measure_states/geplant/label
    assert english.counts["outdated"] == 1  # fields/bildung/summary (made from an older German text)
    assert english.counts["current"] == 4
    assert english.counts["missing"] == sum(english.counts.values()) - 6
    assert [entry.context for entry in english.entries["machine"]] == ["measure_states/geplant/label"]


def test_example_concept_is_completely_and_currently_translated() -> None:
    data, _ = load_concept(ROOT / "data", ALL, ROOT)
    for language in status(data, ALL):
        assert language.counts["current"] == sum(language.counts.values()), language.language


def test_po_export_has_context_reference_comment_and_fuzzy_flags() -> None:
    data, _ = load_concept(MINIMAL / "data", LANGUAGES, MINIMAL)
    po = export_po(data, "en", "en", "Test")
    by_context = {entry.msgctxt: entry for entry in po}
    title = by_context["measures/lesepaten/title"]
    assert (title.msgid, title.msgstr, title.flags) == ("Lesepatenschaften", "Reading mentors", [])
    assert title.occurrences == [("data/field.yml", "45")]
    assert "Maßnahme „Lesepatenschaften“, Feld „title“." in title.comment
    assert by_context["fields/bildung/summary"].flags == ["fuzzy"]
    assert by_context["measure_states/geplant/label"].flags == ["fuzzy"]
    assert by_context["measures/lesepaten/description"].msgstr == ""
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    arabic = export_po(data, "ar", "ar")
    assert arabic.metadata["Plural-Forms"].startswith("nplurals=6;")


def test_po_export_tells_translators_that_a_provenance_question_is_an_open_question() -> None:
    data, _ = load_concept(ROOT / "data", ALL, ROOT)
    by_context = {entry.msgctxt: entry for entry in export_po(data, "ar", "ar")}
    question = by_context["goals/ziele-sprache-offen/provenance/0/question"]
    assert "Offene Frage an die Stadt" in question.comment
    assert "Offene Frage" not in by_context["goals/ziele-sprache-offen/title"].comment


@pytest.mark.parametrize("code", ALL)
def test_exported_po_files_are_valid_for_gettext_tools(tmp_path: Path, code: str) -> None:
    data, _ = load_concept(ROOT / "data", ALL, ROOT)
    path = tmp_path / f"{code}.po"
    export_po(data, code, TAGS[code], "Integrationskonzept").save(str(path))
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # every text is translated and current: no fuzzy and no untranslated messages
    names = sum(1 for entry in entries(data) if entry.text.state(code) == "name")  # need no translation
    assert result.stderr.splitlines()[-1] == f"{len(entries(data)) - names} translated messages."


def test_export_then_import_without_edits_changes_no_byte(tmp_path: Path) -> None:
    project = _copy(tmp_path, ROOT)
    before = _digests(project / "data")
    data, _ = load_concept(project / "data", ALL, project)
    for code in ALL:
        path = tmp_path / f"{code}.po"
        export_po(data, code, TAGS[code]).save(str(path))
        report = import_po(data, polib.pofile(str(path)), code, project / "data")
        assert (report.changed, report.refused) == ([], [])
    assert _digests(project / "data") == before


def test_edited_translation_lands_in_the_right_field_and_keeps_the_rest(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    po = export_po(data, "en", "en")
    for entry in po:
        if entry.msgctxt == "measures/lesepaten/description":
            entry.msgstr = "Once a week in the library."
        if entry.msgctxt == "measures/lesepaten/title":
            entry.msgstr = "Reading mentorships"
    before = (project / "data" / "translations" / "en.yml").read_text(encoding="utf-8")
    report = import_po(data, po, "en", project / "data")
    assert report.refused == []
    assert report.changed == [
        "measures/lesepaten/title: „Reading mentors“ → „Reading mentorships“",
        "measures/lesepaten/description: (fehlte) → „Once a week in the library.“"]
    after = (project / "data" / "translations" / "en.yml").read_text(encoding="utf-8")
    assert "# made from an older German summary" in after  # comments survive
    assert after.replace("Reading mentorships", "Reading mentors").startswith(before[:before.index("measures:")])
    data, _ = load_concept(project / "data", LANGUAGES, project)
    measure = data.get("measures", "lesepaten")
    assert measure.title.get("en") == "Reading mentorships"
    assert measure.description.get("en") == "Once a week in the library."
    assert measure.description.state("en") == "current"
    assert data.get("fields", "bildung").summary.state("en") == "outdated"  # untouched


def test_entry_from_an_older_german_text_is_refused(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    po = export_po(data, "en", "en")
    for entry in po:
        if entry.msgctxt == "measures/lesepaten/summary":
            entry.msgstr = "Volunteers read to children."
    field = project / "data" / "field.yml"
    edit(field, "summary: Ehrenamtliche lesen mit Kindern.", "summary: Ehrenamtliche lesen mit Kindern vor.")
    before = _digests(project / "data")
    data, _ = load_concept(project / "data", LANGUAGES, project)
    report = import_po(data, po, "en", project / "data")
    assert report.changed == []
    assert report.refused == [
        "measures/lesepaten/summary: Der deutsche Text hat sich geändert (data/field.yml:46). Bitte eine "
        "neue PO-Datei exportieren und neu übersetzen."]
    assert _digests(project / "data") == before


def test_command_line_reports_and_fails_on_refused_entries(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    po = export_po(data, "en", "en")
    po.append(polib.POEntry(msgctxt="measures/gibt-es-nicht/title", msgid="X", msgstr="Y"))
    po.save(str(tmp_path / "en.po"))
    command = [sys.executable, "-m", "klartext.cli", "--config", str(project / "mkdocs.yml")]
    env = {"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([*command, "import", str(tmp_path / "en.po")], capture_output=True,
                            text=True, env=env)
    assert result.returncode == 1
    assert "en: abgelehnt: measures/gibt-es-nicht/title: Diesen Eintrag gibt es in den Daten nicht (mehr)." \
        in result.stderr
    status_output = subprocess.run([*command, "status"], capture_output=True, text=True, env=env).stdout
    assert "en: veraltet (deutscher Text geändert): data/translations/en.yml:11: fields/bildung/summary" \
        in status_output


def test_stamping_marks_plain_translations_current(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    (project / "data" / "translations" / "ar.yml").write_text(
        "# Arabisch\nmeasures:\n  lesepaten:\n    title: قراءة\n", encoding="utf-8")
    from klartext.translations import stamp
    data, _ = load_concept(project / "data", LANGUAGES, project)
    assert data.get("measures", "lesepaten").title.state("ar") == "unchecked"
    stamped = stamp(data, "ar", project / "data")
    assert [(item.context, item.where, item.state) for item in stamped] == [
        ("measures/lesepaten/title", "data/translations/ar.yml:4", "unchecked")]
    text = (project / "data" / "translations" / "ar.yml").read_text(encoding="utf-8")
    assert text == ("# Arabisch\nmeasures:\n  lesepaten:\n    title:\n      text: قراءة\n"
                    f"      source: {fingerprint('Lesepatenschaften')}\n")


def test_never_checked_is_not_reported_as_outdated(tmp_path: Path) -> None:
    """A new translation without a stamp: the German never changed, so it is „ungeprüft“, not „veraltet“."""
    project = _copy(tmp_path)
    translations = project / "data" / "translations" / "en.yml"
    translations.write_text(translations.read_text(encoding="utf-8")
                            + "goals:\n  lesen:\n    title: Every child can read\n", encoding="utf-8")
    data, _ = load_concept(project / "data", LANGUAGES, project)
    goal = data.get("goals", "lesen").title
    assert goal.state("en") == "unchecked"
    assert data.get("fields", "bildung").summary.state("en") == "outdated"
    report = format_status(status(data, ["en"]))
    assert "en: ungeprüft (ohne Prüfsumme „source:“): data/translations/en.yml:30: goals/lesen/title" in report
    assert "goals/lesen/title" not in "\n".join(line for line in report.splitlines() if "veraltet" in line)
    assert "Noch nie geprüft" in next(entry for entry in export_po(data, "en", "en")
                                     if entry.msgctxt == "goals/lesen/title").comment


def test_stamp_after_fixing_german_text_and_translation(tmp_path: Path) -> None:
    """The translator's steps as README/ANLEITUNG describe them: fix German and English, then stamp."""
    project = make_project(tmp_path)
    field = project / "data" / "field.yml"
    edit(field, "title: Lesepatenschaften", "title: Lesepatenschaften in der Bibliothek")
    edit(project / "data" / "translations" / "en.yml", "text: Reading mentors", "text: Reading mentors in the library")
    command = [sys.executable, "-m", "klartext.cli", "--config", str(project / "mkdocs.yml")]
    env = {"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([*command, "stamp", "en"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert ("en: data/translations/en.yml:16: measures/lesepaten/title (war veraltet) als aktuell markiert"
            in result.stdout)
    assert "en: 2 Übersetzungen als aktuell markiert" in result.stdout  # plus the fixture's outdated summary
    data, _ = load_concept(project / "data", LANGUAGES, project)
    assert data.get("measures", "lesepaten").title.state("en") == "current"
    assert data.get("measure_states", "geplant").label.state("en") == "machine"  # stamped is not reviewed


def test_stamp_only_the_named_texts(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    edit(project / "data" / "field.yml", "title: Lesepatenschaften", "title: Lesepatenschaften in der Bibliothek")
    command = [sys.executable, "-m", "klartext.cli", "--config", str(project / "mkdocs.yml")]
    env = {"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([*command, "stamp", "en", "--nur", "measures/lesepaten/title"],
                            capture_output=True, text=True, env=env)
    assert "en: 1 Übersetzungen als aktuell markiert" in result.stdout, result.stderr
    data, _ = load_concept(project / "data", LANGUAGES, project)
    assert data.get("measures", "lesepaten").title.state("en") == "current"
    assert data.get("fields", "bildung").summary.state("en") == "outdated"
    wrong = subprocess.run([*command, "stamp", "en", "--nur", "measures/tippfehler/title"],
                           capture_output=True, text=True, env=env)
    assert wrong.returncode == 1 and "--nur measures/tippfehler/title: Diesen Text gibt es nicht" in wrong.stderr


def test_outdated_and_machine_translations_carry_a_notice(minimal_site: Path) -> None:
    field = (minimal_site / "en" / "handlungsfelder" / "bildung" / "index.html").read_text(encoding="utf-8")
    assert ('<p class="kt-translation-note">The German text has changed since this translation was made. '
            "The translation may no longer be up to date.</p>") in field
    measure = (minimal_site / "en" / "massnahmen" / "lesepaten" / "index.html").read_text(encoding="utf-8")
    assert 'Planned<small class="kt-translation-mark"> (machine-translated)</small>' in measure


def test_status_page_in_every_language(minimal_site: Path) -> None:
    page = (minimal_site / "ar" / "uebersetzungen" / "index.html").read_text(encoding="utf-8")
    assert "حالة الترجمة" in page
    assert "<code>data/translations/en.yml:11</code>" in page
    assert '<th scope="row" lang="en" dir="ltr">English</th><td>4</td><td>1</td><td>0</td><td>1</td>' in \
        re.sub(r">\s+<", "><", page)


def test_one_more_language_purely_through_configuration(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    settings = read_config(config)
    i18n = next(p["i18n"] for p in settings["plugins"] if isinstance(p, dict) and "i18n" in p)
    i18n["languages"].append({"locale": "fr", "name": "Français", "build": True})
    settings["extra"]["klartext"]["labels_dir"] = "labels"
    write_config(config, settings)
    labels = yaml.load((ROOT / "hooks/klartext/labels/en.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    labels.update({"page.measures": "Toutes les mesures", "fallback.inline": "(en allemand)"})
    (project / "labels").mkdir()
    (project / "labels" / "fr.yml").write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")
    (project / "data" / "translations" / "fr.yml").write_text(
        f"measures:\n  lesepaten:\n    title:\n      text: Parrainage de lecture\n"
        f"      source: {fingerprint('Lesepatenschaften')}\n", encoding="utf-8")
    site = build(project)
    page = (site / "fr" / "massnahmen" / "lesepaten" / "index.html").read_text(encoding="utf-8")
    assert '<html dir="ltr" lang="fr"' in page
    assert "Parrainage de lecture" in page
    assert "Toutes les mesures" in (site / "fr" / "massnahmen" / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="fr"' in page
    assert (site / "fr" / "integrationskonzept.pdf").is_file()


def test_names_are_shown_as_they_are_and_not_counted_missing(minimal_site: Path) -> None:
    """An organisation's name needs no translation: own lang, no notice, not a missing translation."""
    data, _ = load_concept(MINIMAL / "data", ALL, MINIMAL)
    name = data.get("actors", "lesehilfe").name
    assert name.state("en") == "name"
    for language in status(data, ALL):
        missing = [entry.context for entry in language.entries["missing"]]
        assert "actors/lesehilfe/name" not in missing and "concept/city" not in missing, language.language
        assert "measures/lesepaten/title" in missing or language.language == "en"
    po = {entry.msgctxt: entry for entry in export_po(data, "ar", "ar")}
    assert "actors/lesehilfe/name" not in po and "measures/lesepaten/title" in po  # not an open task
    for code, notice in (("en", "(in German)"), ("ar", "(بالألمانية)"),
                         ("ls", "Diesen Text gibt es noch nicht in Leichter Sprache")):
        page = (minimal_site / code / "massnahmen" / "lesepaten" / "index.html").read_text(encoding="utf-8")
        shown = '<a href="../../akteure/#akteur-lesehilfe">'
        cell = page[page.index(shown):page.index("</a>", page.index(shown))]
        assert cell == shown + '<span lang="de" dir="ltr">Verein Lesehilfe</span>', cell
        assert notice not in page[page.index(shown):page.index(shown) + 200]


# ---------------------------------------------------------------------------------------------
# hostile and broken PO files: German message with line and entry, exit code 1, nothing written


def _import_command(project: Path, *files: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "klartext.cli", "--config", str(project / "mkdocs.yml"), "import",
               *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, cwd=project,
                          env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"})


@pytest.fixture()
def po_project(tmp_path: Path) -> tuple[Path, str]:
    """A project and the text of its English PO file (as exported)."""
    project = make_project(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    return project, export_po(data, "en", "en").__unicode__()


def _line_of(text: str, fragment: str) -> int:
    return text[:text.index(fragment)].count("\n") + 1


def _refused(project: Path, po_text: str | bytes, expected: str) -> None:
    """Import ``po_text`` as en.po: exit code 1, exactly ``expected`` and the closing line on stderr,
    no traceback, no byte of data/ changed."""
    before = _digests(project / "data")
    path = project / "en.po"
    path.write_bytes(po_text if isinstance(po_text, bytes) else po_text.encode("utf-8"))
    result = _import_command(project, path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr == (f"{expected}\nNichts übernommen: bitte die genannten Stellen korrigieren und "
                             "erneut importieren.\n")
    assert result.stdout == ""
    assert _digests(project / "data") == before


TITLE = 'msgstr "Reading mentors"'


def test_po_with_an_unclosed_quote_is_refused_at_its_line(po_project: tuple[Path, str]) -> None:
    project, text = po_project
    broken = text.replace(TITLE, 'msgstr "Reading mentorships')  # polib would drop the last letter
    _refused(project, broken, f"{project / 'en.po'}, Zeile {_line_of(text, TITLE)} (Eintrag "
             "„measures/lesepaten/title“): Der Text in Anführungszeichen ist nicht richtig geschlossen (ein "
             "Anführungszeichen fehlt oder ein Anführungszeichen im Text ist nicht als \\\" geschrieben). Bitte "
             "die Zeile korrigieren oder die Datei in Poedit öffnen und speichern; nichts übernommen.")


def test_po_with_a_stray_line_is_refused_at_its_line(po_project: tuple[Path, str]) -> None:
    project, text = po_project
    broken = text.replace(TITLE, TITLE + "\nReading mentorships")
    _refused(project, broken, f"{project / 'en.po'}, Zeile {_line_of(text, TITLE) + 1} (Eintrag "
             "„measures/lesepaten/title“): Diese Zeile ist kein gültiger PO-Eintrag (erwartet: msgctxt, msgid, "
             "msgstr oder ein Text in Anführungszeichen). Bitte die Zeile korrigieren oder die Datei in Poedit "
             "öffnen und speichern; nichts übernommen.")


def test_po_in_another_encoding_is_refused_at_its_line(po_project: tuple[Path, str]) -> None:
    project, text = po_project
    before, after = text.split(TITLE)
    raw = before.encode("utf-8") + 'msgstr "Lesepaten für Kinder"'.encode("cp1252") + after.encode("utf-8")
    _refused(project, raw, f"{project / 'en.po'}, Zeile {_line_of(text, TITLE)} (Eintrag "
             "„measures/lesepaten/title“): Hier steht ein Zeichen, das nicht UTF-8-kodiert ist (die Datei wurde "
             "in einer anderen Kodierung gespeichert, z. B. Windows-1252). Bitte als UTF-8 speichern (Poedit: "
             "Katalog → Eigenschaften → Zeichensatz UTF-8).")


def test_po_declared_in_another_encoding_is_refused(po_project: tuple[Path, str]) -> None:
    project, text = po_project
    broken = text.replace("charset=UTF-8", "charset=ISO-8859-1")
    _refused(project, broken.encode("latin-1", "replace"),
             f"{project / 'en.po'}: Die Datei ist als „ISO-8859-1“ gespeichert, nicht als UTF-8. Bitte als "
             "UTF-8 speichern (Poedit: Katalog → Eigenschaften → Zeichensatz UTF-8) und erneut importieren.")


def test_po_too_large_is_refused_before_reading(po_project: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    project, text = po_project
    big = text.replace(TITLE, 'msgstr "' + "Reading mentors " * 750_000 + '"')  # 12 MB
    _refused(project, big, f"{project / 'en.po'}: Die Datei ist mit 12 MB zu groß (höchstens 10 MB). Ist "
             "versehentlich etwas anderes hineinkopiert worden? Nichts übernommen.")
    # the limit is checked before reading: the file is never opened
    from klartext import translations

    def no_reading(self: Path) -> bytes:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    po, problems = translations.read_po(project / "en.po")
    assert po is None and problems[0].startswith("en.po: Die Datei ist mit 12 MB zu groß")


def test_duplicate_entries_are_refused_not_last_wins(po_project: tuple[Path, str]) -> None:
    project, text = po_project
    line = _line_of(text, TITLE)
    first = text.rindex("\n\n", 0, text.index(TITLE)) + 2
    duplicate = '\n\nmsgctxt "measures/lesepaten/title"\nmsgid "Lesepatenschaften"\nmsgstr "Reading partners"'
    broken = text.replace(TITLE, 'msgstr "Reading mentorships"' + duplicate)
    assert text[:first].count("\n") + 1 < line
    _refused(project, broken, "en: abgelehnt: measures/lesepaten/title: Der Eintrag steht doppelt in der "
             f"PO-Datei (Zeile {line + 2}, zuerst in Zeile {text[:first].count(chr(10)) + 1}). Bitte einen der "
             "beiden löschen; es wird keiner übernommen.")


@pytest.mark.parametrize(("typed", "shown"), [("\x1b", "U+001B"), ("\x00", "U+0000"), ("\x85", "U+0085")])
def test_control_characters_are_refused(po_project: tuple[Path, str], typed: str, shown: str) -> None:
    project, text = po_project
    broken = text.replace(TITLE, f'msgstr "Reading{typed} mentors"')
    _refused(project, broken, f"{project / 'en.po'}, Zeile {_line_of(text, TITLE)} (Eintrag "
             f"„measures/lesepaten/title“): In dieser Zeile steht ein unsichtbares Steuerzeichen ({shown}), "
             "meist beim Kopieren aus einem anderen Programm entstanden. Bitte den Text der Zeile neu tippen; "
             "nichts übernommen.")


@pytest.mark.parametrize("escape", ["\\r", "\\a", "\\x1b", "\\033"])
def test_escaped_control_characters_are_refused(po_project: tuple[Path, str], escape: str) -> None:
    project, text = po_project
    broken = text.replace(TITLE, f'msgstr "Reading{escape} mentors"')
    _refused(project, broken, f"{project / 'en.po'}, Zeile {_line_of(text, TITLE)} (Eintrag "
             f"„measures/lesepaten/title“): Die Escape-Folge „{escape[:2]}“ steht für ein Steuerzeichen, das in "
             "Texten nicht erlaubt ist (erlaubt sind \\n, \\t, \\\" und \\\\). Bitte die Zeile korrigieren oder "
             "die Datei in Poedit öffnen und speichern; nichts übernommen.")


def test_one_refused_entry_writes_nothing_at_all(po_project: tuple[Path, str]) -> None:
    """All or nothing: the valid edit beside a refused entry is not written either."""
    project, text = po_project
    edited = text.replace(TITLE, 'msgstr "Reading mentorships"').replace(
        'msgctxt "measures/lesepaten/summary"', 'msgctxt "measures/gibt-es-nicht/summary"')
    _refused(project, edited, "en: abgelehnt: measures/gibt-es-nicht/summary: Diesen Eintrag gibt es in den "
             "Daten nicht (mehr).")


def test_one_broken_file_of_two_writes_neither(po_project: tuple[Path, str]) -> None:
    project, text = po_project
    data, _ = load_concept(project / "data", LANGUAGES, project)
    arabic = export_po(data, "ar", "ar")
    next(entry for entry in arabic if entry.msgctxt == "measures/lesepaten/title").msgstr = "قراءة"
    arabic.save(str(project / "ar.po"))
    (project / "en.po").write_text(text.replace(TITLE, 'msgstr "Reading mentorships'), encoding="utf-8")
    before = _digests(project / "data")
    result = _import_command(project, project / "ar.po", project / "en.po")
    assert result.returncode == 1
    assert "Zeile" in result.stderr and "Traceback" not in result.stderr
    assert _digests(project / "data") == before


def test_long_text_is_written_folded_and_read_back_unchanged(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    po = export_po(data, "en", "en")
    # 30 kB, about 350 folded lines: as long as a text may be (one spreadsheet cell, MAX_TEXT)
    long_text = " ".join(f"Wort{number}" for number in range(3_500))
    assert MAX_TEXT - 3_000 < len(long_text) <= MAX_TEXT
    next(entry for entry in po if entry.msgctxt == "measures/lesepaten/title").msgstr = long_text
    report = import_po(data, po, "en", project / "data")
    assert report.refused == []
    data, _ = load_concept(project / "data", LANGUAGES, project)
    assert data.get("measures", "lesepaten").title.get("en") == long_text
    lines = (project / "data" / "translations" / "en.yml").read_text(encoding="utf-8").splitlines()
    assert max(map(len, lines)) < 110


def test_po_with_a_keyword_out_of_place_is_refused_at_its_line(po_project: tuple[Path, str]) -> None:
    project, text = po_project
    msgid = 'msgid "Lesepatenschaften"'
    broken = text.replace(msgid, msgid + '\nmsgid "Noch einmal"')
    _refused(project, broken, f"{project / 'en.po'}, Zeile {_line_of(text, msgid) + 1} (Eintrag "
             "„measures/lesepaten/title“): Die Datei ist keine gültige PO-Datei: Hier steht ein msgctxt, msgid "
             f"oder msgstr an falscher Stelle oder doppelt (technisch: Syntax error in po file (line "
             f"{_line_of(text, msgid) + 1})). Bitte die Stelle korrigieren oder die Datei in Poedit öffnen und "
             "speichern.")


def test_empty_po_file_is_refused(po_project: tuple[Path, str]) -> None:
    project, _ = po_project
    _refused(project, "", f"{project / 'en.po'}: Die Datei enthält keine Einträge. Bitte die PO-Datei aus "
             "„./klartext i18n export“ verwenden.")


def test_import_into_a_read_only_data_folder_says_so_in_german(po_project: tuple[Path, str]) -> None:
    project, text = po_project
    data = project / "data"
    copy = project / "data-copy"
    shutil.copytree(data, copy)
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(data)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        shutil.copytree(copy, data, dirs_exist_ok=True)
        subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
        before = _digests(data)
        (project / "en.po").write_text(text.replace(TITLE, 'msgstr "Reading mentorships"'), encoding="utf-8")
        result = _import_command(project, project / "en.po")
        assert result.returncode == 1
        assert result.stderr == (
            "Die Übersetzungen können nicht gespeichert werden: Das Laufwerk ist schreibgeschützt (nur lesbar "
            "eingehängt) (data/translations/en.yml). Bitte beschreibbar einhängen oder "
            "Schreibrechte für data/ geben.\n")
        assert _digests(data) == before
    finally:
        subprocess.run(["umount", "-l", str(data)], check=False)
