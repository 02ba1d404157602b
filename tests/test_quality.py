"""Data-quality rules: each one fires on a small change to the minimal fixture and stays quiet on the
fixture itself; severities come from mkdocs.yml; the data-quality page is published or preview-only."""

from __future__ import annotations

import dataclasses

import datetime as dt
import shutil
from pathlib import Path

import pytest

from helpers import MINIMAL, edit, make_project, mkdocs, read_config, write_config
from klartext.controlling import RULES, dashboard, read_settings
from klartext.quality import check_quality
from klartext.validation import load_concept

FIELD = "data/field.yml"

CASES = {
    "measure_without_owner": (
        ("    responsible: lesehilfe\n", ""), {},
        "data/field.yml:42: Hinweis: Die Maßnahme „lesepaten“ hat keine Zuständigkeit. Bitte unter "
        "„responsible:“ die zuständige Organisation (Kennung aus actors.yml) eintragen. "
        "(Regel measure_without_owner)"),
    "measure_without_schedule": (
        ("    schedule:\n      start: 2024-09\n      end: 2025-07\n      milestones:\n        - date: 2024-09-01\n"
         "          title: Start\n          done: true\n", ""), {},
        "data/field.yml:42: Hinweis: Die Maßnahme „lesepaten“ hat keinen Zeitplan. Bitte unter „schedule:“ "
        "mindestens „start:“ oder „end:“ angeben. (Regel measure_without_schedule)"),
    "goal_without_indicator": (
        ("    title: Alle Kinder lesen gut.\n",
         "    title: Alle Kinder lesen gut.\n  - id: rechnen\n    field: bildung\n    kind: ziel\n"
         "    title: Alle Kinder rechnen gut.\n"), {},
        "data/field.yml:29: Hinweis: Das Ziel „rechnen“ hat keinen Indikator. Bitte unter „indicators:“ einen "
        "Indikator mit „goal: rechnen“ anlegen, damit das Ziel messbar wird. (Regel goal_without_indicator)"),
    "indicator_without_unit": (
        ("    unit: Prozent\n", ""), {},
        "data/field.yml:30: Hinweis: Der Indikator „lesequote“ hat keine Einheit. Bitte „unit:“ ergänzen "
        "(z. B. Prozent oder Teilnehmende). (Regel indicator_without_unit)"),
    "indicator_without_baseline": (
        ("    baseline: {value: 60, year: 2023}\n", ""), {},
        "data/field.yml:30: Hinweis: Der Indikator „lesequote“ hat keinen Ausgangswert. Bitte „baseline:“ mit "
        "„value:“ und „year:“ ergänzen. (Regel indicator_without_baseline)"),
    "indicator_without_target": (
        ("    target: {value: 80, year: 2026}\n", ""), {},
        "data/field.yml:30: Hinweis: Der Indikator „lesequote“ hat keinen Zielwert. Bitte „target:“ mit "
        "„value:“ und „year:“ ergänzen. (Regel indicator_without_target)"),
    "target_passed_without_value": (
        None, {"as_of": "2027-01-15"},
        "data/field.yml:30: Hinweis: Das Zieljahr 2026 des Indikators „lesequote“ ist vorbei, aber es gibt "
        "keinen Messwert ab 2026. Bitte unter „values:“ den erreichten Wert eintragen. "
        "(Regel target_passed_without_value)"),
    "record_without_source": (
        [("  - id: stadt\n", "  - id: stadt\n    provenance: [{document: bericht, chapter: '1'}]\n", "data/concept.yml"),
         *[(f"  - id: {name}\n", f"  - id: {name}\n    provenance: [{{document: bericht, page: 2}}]\n")
           for name in ("bildung", "sprache", "lesen", "lesequote", "lesepaten", "lesehilfe")],
         ("glossary:\n", "documents:\n  - id: bericht\n    title: Bericht\nglossary:\n")], {},
        "data/field.yml:80: Hinweis: Der Termin „auftakt“ hat keine Quelle. Bitte unter „provenance:“ das "
        "Dokument (Kennung aus „documents:“) mit Kapitel oder Seite angeben, oder „kind: annahme“ mit einer "
        "Frage an die Stadt („question:“). (Regel record_without_source)"),
    "placeholder": (
        ("    title: Lesepatenschaften\n", "    title: \"[Bitte ausfüllen: Name der Maßnahme]\"\n"), {},
        "data/field.yml:45: Hinweis: Platzhalter: „[Bitte ausfüllen: Name der Maßnahme]“. Bitte durch die Angabe "
        "der Stadt ersetzen. (Regel placeholder)"),
    # 16ctx: a state of the delayed/failed/stopped class (category verzoegert, gescheitert, gestoppt) needs a reason
    "state_without_reason": (
        [("    icon: material/calendar-check\n", "    icon: material/calendar-check\n  - id: verspaetet\n"
          "    label: Verzögert\n    category: verzoegert\n", "data/lists.yml"),
         ("    state: geplant\n    responsible: lesehilfe\n", "    state: verspaetet\n    responsible: lesehilfe\n")], {},
        "data/field.yml:42: Hinweis: Die Maßnahme „lesepaten“ steht auf „Verzögert“, aber es fehlt die Begründung. "
        "Bitte unter „state_reason:“ in ein bis zwei Sätzen schreiben, warum sie verzögert, gescheitert oder "
        "angehalten ist. (Regel state_without_reason)"),
}


def _findings(tmp_path: Path, change: tuple[str, str] | list | None, raw: dict) -> list[str]:
    project = tmp_path / "project"
    shutil.copytree(MINIMAL / "data", project / "data")
    for old, new, *file in ([change] if isinstance(change, tuple) else change or []):
        edit(project / (file[0] if file else FIELD), old, new)
    data, _ = load_concept(project / "data", ["en", "ar", "ls"], project)
    return [str(problem) for problem in check_quality(data, read_settings(raw, data))]


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULES)


def test_minimal_fixture_is_quiet(tmp_path: Path) -> None:
    assert _findings(tmp_path, None, {"as_of": "2026-12-31"}) == []


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires_with_file_line_and_german_message(tmp_path: Path, rule: str) -> None:
    change, raw, message = CASES[rule]
    assert _findings(tmp_path, change, raw) == [message]


def test_state_reason_silences_the_rule_and_old_ids_need_one(tmp_path: Path) -> None:
    """16ctx: with ``state_reason`` the rule is quiet; ``pausiert`` (category gestoppt by its id) needs one
    too, and a running state does not."""
    change = CASES["state_without_reason"][0]
    given = [*change, ("    target_groups: [Kinder]\n", "    state_reason: Die Räume fehlen noch.\n    target_groups: [Kinder]\n")]
    assert _findings(tmp_path / "a", given, {}) == []
    paused = [("    icon: material/calendar-check\n", "    icon: material/calendar-check\n  - id: pausiert\n"
               "    label: Pausiert\n", "data/lists.yml"), ("    state: geplant\n    responsible", "    state: pausiert\n    responsible")]
    assert [line.split(": Hinweis: ")[1][:45] for line in _findings(tmp_path / "b", paused, {})] == [
        "Die Maßnahme „lesepaten“ steht auf „Pausiert“"]


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_switched_off_stays_quiet(tmp_path: Path, rule: str) -> None:
    change, raw, _ = CASES[rule]
    assert _findings(tmp_path, change, {**raw, "rules": {rule: "off"}}) == []


def test_rule_as_error(tmp_path: Path) -> None:
    change, raw, message = CASES["measure_without_owner"]
    found = _findings(tmp_path, change, {"rules": {"measure_without_owner": "error"}})
    assert found == [message.replace("Hinweis: ", "")]


def test_target_passed_is_quiet_once_a_value_for_the_target_year_exists(tmp_path: Path) -> None:
    change = ("      - date: 2024\n        value: 65\n", "      - date: 2024\n        value: 65\n"
              "      - date: 2026-11\n        value: 79\n")
    assert _findings(tmp_path, change, {"as_of": "2027-01-15"}) == []


def test_overdue_and_stale_in_the_minimal_fixture() -> None:
    data, _ = load_concept(MINIMAL / "data", ["en", "ar", "ls"], MINIMAL)
    # the fixture's measure is planned (not started: never overdue); counted once its state runs
    assert dashboard(data, read_settings({"as_of": "2025-08-01"}, data)).overdue == []
    states = [state.model_copy(update={"category": "laufend"}) if state.id == "geplant" else state
              for state in data.measure_states]
    data = dataclasses.replace(data, measure_states=states)
    before_end = dashboard(data, read_settings({"as_of": "2025-03-31"}, data))
    assert before_end.overdue == [] and before_end.stale == []  # latest update 2024-10-01: under 6 months
    after_end = dashboard(data, read_settings({"as_of": "2025-08-01"}, data))
    assert [m.id for m in after_end.overdue] == ["lesepaten"]
    assert [(m.id, str(date)) for m, date in after_end.stale] == [("lesepaten", "2024-10-01")]
    assert read_settings({"as_of": "2025-08-01"}, data).stale_before == dt.date(2025, 2, 1)


def _configure(project: Path, **controlling: object) -> None:
    config_path = project / "mkdocs.yml"
    config = read_config(config_path)
    config["extra"]["klartext"]["controlling"] = controlling
    write_config(config_path, config)


def test_rule_error_stops_the_build_with_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    edit(project / FIELD, "    responsible: lesehilfe\n", "")
    _configure(project, rules={"measure_without_owner": "error"})
    result = mkdocs(project, "build", "--strict", env={"KLARTEXT_PDF": "0"})
    assert result.returncode != 0
    assert "data/field.yml:42: Die Maßnahme „lesepaten“ hat keine Zuständigkeit." in result.stdout + result.stderr
    assert not (project / "site" / "index.html").exists()


@pytest.mark.parametrize(("setting", "published"), [("published", True), ("preview", False), ("off", False)])
def test_quality_page_is_published_only_when_configured(tmp_path: Path, setting: str, published: bool) -> None:
    project = make_project(tmp_path)
    edit(project / FIELD, "    responsible: lesehilfe\n", "")
    _configure(project, quality_page=setting)
    result = mkdocs(project, "build", "--strict", env={"KLARTEXT_PDF": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "data/field.yml:42: Hinweis: Die Maßnahme „lesepaten“ hat keine Zuständigkeit." in result.stderr
    page = project / "site" / "datenqualitaet" / "index.html"
    assert page.exists() == published
    if published:
        html = page.read_text(encoding="utf-8")
        assert "<code>data/field.yml:42</code>" in html
        assert (project / "site" / "ar" / "datenqualitaet" / "index.html").exists()
