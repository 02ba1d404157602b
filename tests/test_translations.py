"""Translation workflow: freshness, status report, PO round trip, a language added by configuration."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
import yaml

from helpers import MINIMAL, ROOT, build, edit, make_project, read_config, write_config
from klartext.text import fingerprint
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
    assert '<th scope="row" lang="en" dir="ltr">English</th><td>4</td><td>1</td><td>0</td><td>1</td>' in page


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
