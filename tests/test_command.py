"""The console command ``klartext``: every command on the project in the current folder or --projekt;
nothing written into the engine's folder; upgrade messages in German with file, line and the new way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import MINIMAL, ROOT, make_project
from klartext import upgrades
from klartext.problems import DataError
from klartext.validation import load_concept


def klartext(*args: str, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "hooks")}
    return subprocess.run([sys.executable, "-m", "klartext", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def test_help_is_german_and_lists_every_command(tmp_path: Path) -> None:
    result = klartext("--hilfe", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("neu", "build", "offline", "serve", "vorschau", "check", "i18n", "schema", "tabelle",
                    "leichte-sprache"):
        assert f"\n  {command} " in result.stdout
    wrong = klartext("bauen", cwd=tmp_path)
    assert wrong.returncode == 2 and "Den Befehl „bauen“ gibt es nicht." in wrong.stderr


def test_outside_a_project_says_so_in_german(tmp_path: Path) -> None:
    result = klartext("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "Es gibt keine mkdocs.yml im aktuellen Ordner: Das ist kein Klartext-Projekt." in result.stderr
    assert "Traceback" not in result.stderr


def test_build_in_the_project_folder_writes_the_site_there(tmp_path: Path) -> None:
    """Before, ./klartext build wrote another city's site into the engine's own site/ folder."""
    project = make_project(tmp_path)
    engine_site = ROOT / "site"
    before = engine_site.stat().st_mtime_ns if engine_site.exists() else None
    result = klartext("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "en" / "index.html").is_file()
    assert (engine_site.stat().st_mtime_ns if engine_site.exists() else None) == before


def test_every_command_takes_projekt_from_another_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check = klartext("--projekt", str(project), "check", cwd=elsewhere)
    assert check.returncode == 0 and "Die Daten sind in Ordnung" in check.stdout, check.stderr
    schema = klartext("schema", "--projekt", str(project), cwd=elsewhere)  # also after the command
    assert schema.returncode == 0, schema.stderr
    assert (project / "schema" / "daten.json").is_file() and not (elsewhere / "schema").exists()
    status = klartext("--projekt", str(project), "i18n", "status", cwd=elsewhere)
    assert status.returncode == 0 and "en" in status.stdout, status.stderr
    export = klartext("--projekt", str(project), "i18n", "export", cwd=elsewhere)
    assert export.returncode == 0 and (project / "translations-po" / "en.po").is_file(), export.stderr
    table = klartext("--projekt", str(project), "tabelle", "export", "konzept.xlsx", cwd=elsewhere)
    assert table.returncode == 0 and (elsewhere / "konzept.xlsx").is_file(), table.stderr  # as typed
    easy = klartext("--projekt", str(project), "leichte-sprache", cwd=elsewhere)
    assert easy.returncode == 0, easy.stderr
    wrong = klartext("--projekt", str(tmp_path / "fehlt"), "vorschau", cwd=elsewhere)
    assert wrong.returncode == 2 and "Es gibt keine mkdocs.yml im Ordner" in wrong.stderr


def test_new_project_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "stadt").mkdir()
    (tmp_path / "stadt" / "notizen.txt").write_text("wichtig", encoding="utf-8")
    result = klartext("neu", "stadt", cwd=tmp_path)
    assert result.returncode == 2 and "ist nicht leer" in result.stderr
    assert (tmp_path / "stadt" / "notizen.txt").read_text(encoding="utf-8") == "wichtig"
    unknown = klartext("neu", "andere", "--sprachen", "de,fa", cwd=tmp_path)
    assert unknown.returncode == 2 and "Für „fa“ hat Klartext keine Beschriftungen." in unknown.stderr
    assert not (tmp_path / "andere").exists()


def test_new_project_keeps_any_city_name_as_text(tmp_path: Path) -> None:
    result = klartext("neu", "x", "--name", 'Gemeinde "Süd": #1', "--sprachen", "de,ar", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data, _ = load_concept(tmp_path / "x" / "data", ["ar"], tmp_path / "x")
    assert data.concept.city.de == '"Süd": #1'
    assert data.concept.title.de == 'Integrationskonzept der Gemeinde "Süd": #1'


def test_renamed_data_key_is_reported_with_line_and_new_name(tmp_path: Path, monkeypatch) -> None:
    """The mechanism, with an entry of the test's own (no release has renamed a data key yet)."""
    monkeypatch.setattr(upgrades, "RENAMED_KEYS", [
        upgrades.Renamed("Measure", "verantwortlich", "responsible", "0.2.0"),
        upgrades.Renamed("Concept", "stage_label", None, "0.2.0", "Der Text steht jetzt in „stage“."),
    ])
    project = make_project(tmp_path)
    field = project / "data" / "field.yml"
    field.write_text(field.read_text(encoding="utf-8").replace("    responsible: lesehilfe\n",
                                                               "    verantwortlich: lesehilfe\n"), encoding="utf-8")
    concept = project / "data" / "concept.yml"
    concept.write_text(concept.read_text(encoding="utf-8").replace("  stage: 1. Sachstandsbericht\n",
                                                                   "  stage: 1. Sachstandsbericht\n  stage_label: x\n"),
                       encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load_concept(project / "data", ["en", "ar", "ls"], project)
    messages = [str(problem) for problem in raised.value.problems]
    assert ("data/field.yml:49: Die Angabe „verantwortlich“ heißt seit Klartext 0.2.0 „responsible“. Bitte "
            "„verantwortlich:“ in „responsible:“ umbenennen.") in messages
    assert ("data/concept.yml:5: Die Angabe „stage_label“ gibt es seit Klartext 0.2.0 nicht mehr. Der Text steht "
            "jetzt in „stage“.") in messages


def test_project_of_the_old_layout_is_told_what_to_change(tmp_path: Path) -> None:
    """A project made before the plugin (hooks: and custom_dir with absolute paths, copied styles)."""
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("- klartext\n", "")
    text = text.replace("theme:\n", "theme:\n  custom_dir: /opt/klartext/overrides\n", 1)
    text += "hooks:\n  - /opt/klartext/hooks/klartext_mkdocs.py\nextra_css:\n  - assets/klartext.css\n"
    config.write_text(text, encoding="utf-8")
    result = klartext("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = text.splitlines()
    hooks_line = lines.index("  - /opt/klartext/hooks/klartext_mkdocs.py") + 1
    assert (f"mkdocs.yml:{hooks_line}: Klartext ist seit Version 0.1.0 ein MkDocs-Plugin: Bitte diese Zeile "
            "(und „hooks:“, wenn dort nichts anderes steht) löschen und unter „plugins:“ die Zeile „- klartext“ "
            "eintragen.") in result.stderr
    assert f"mkdocs.yml:{lines.index('  custom_dir: /opt/klartext/overrides') + 1}: Die Vorlagen" in result.stderr
    assert f"mkdocs.yml:{lines.index('  - assets/klartext.css') + 1}: Styles und Skripte" in result.stderr
    assert "Die Einstellungen (mkdocs.yml) enthalten 3 Probleme" in result.stderr
    assert not (project / "site").exists()


def test_minimal_fixture_has_no_old_layout() -> None:
    assert upgrades.config_problems(ROOT / "mkdocs.yml") == []
    assert MINIMAL.is_dir()
