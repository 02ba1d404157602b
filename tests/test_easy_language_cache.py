"""Leichte Sprache findings come from the cache file when text and checker are unchanged, else are checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import edit, make_project
from klartext import easy_language
from klartext.easy_language import check_project
from klartext.easy_language_cache import CACHE_FILE, checker_fingerprint
from klartext.validation import load_concept

PAGE = "# Über uns\n\nDas Geld wird von der Stadt bezahlt.\n\nDie Stadt hilft allen Menschen.\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch):
    """A small project with a Leichte Sprache page; counts the texts the real checker checks."""
    root = make_project(tmp_path, extra_files={"docs/ueber.ls.md": PAGE})
    checked: list[str] = []
    original = easy_language.Checker.check

    def counting(self, text, kind="text"):
        checked.append(text)
        return original(self, text, kind)

    monkeypatch.setattr(easy_language.Checker, "check", counting)
    return root, checked


def _check(root: Path, config: dict | None = None):
    easy_language._RESULTS.clear()  # as in a new build process
    data, _ = load_concept(root / "data", ["en", "ls"], root)
    return check_project(data, root, config)


def test_second_build_takes_every_finding_from_the_cache_until_a_setting_changes(project) -> None:
    root, checked = project
    first, texts = _check(root)
    assert texts >= len(checked) > 50 and (root / CACHE_FILE).is_file()  # a repeated text is checked once
    assert any(finding.rule == "passiv" and finding.line == 3 for finding in first)
    distinct = len(checked)
    checked.clear()
    second, _ = _check(root)
    assert checked == [] and second == first
    findings, _ = _check(root, {"max_words": 3})
    assert len(checked) == distinct
    assert any(finding.rule == "satzlaenge" and finding.file == "docs/ueber.ls.md" for finding in findings)


def test_changed_text_alone_is_checked_again(project) -> None:
    root, checked = project
    _check(root)
    checked.clear()
    edit(root / "docs" / "ueber.ls.md", "Das Geld wird von der Stadt bezahlt.", "Die Stadt bezahlt das Geld.")
    findings, _ = _check(root)
    assert checked == ["Die Stadt bezahlt das Geld."]
    assert not any(finding.file == "docs/ueber.ls.md" for finding in findings)


def test_changed_rules_give_another_fingerprint(tmp_path: Path, monkeypatch) -> None:
    checker = easy_language.Checker(easy_language.Settings(), ["Handlungs·feld"], ["Lehrte"])
    before = checker_fingerprint(checker)
    assert checker_fingerprint(easy_language.Checker(easy_language.Settings(), ["Handlungs·feld"], ["Lehrte"])) == before
    changed = tmp_path / "easy_language.py"
    source = Path(easy_language.__file__).read_text(encoding="utf-8")
    changed.write_text(source.replace('"wäre",', '"wäre", "wär",'), encoding="utf-8")  # a rule edited
    monkeypatch.setattr(easy_language, "__file__", str(changed))
    assert checker_fingerprint(checker) != before
    other_glossary = easy_language.Checker(easy_language.Settings(), ["Handlungs·feld", "Lotse"], ["Lehrte"])
    monkeypatch.undo()
    assert checker_fingerprint(other_glossary) != before


def test_lost_or_damaged_cache_only_costs_time(project) -> None:
    root, checked = project
    first, _ = _check(root)
    distinct = len(checked)
    (root / CACHE_FILE).write_text('{"format": 1, "results": {"x": 1', encoding="utf-8")
    checked.clear()
    assert _check(root)[0] == first and len(checked) == distinct
    shutil.rmtree(root / ".cache")
    checked.clear()
    assert _check(root)[0] == first and len(checked) == distinct


def test_fingerprint_is_the_same_in_every_process() -> None:
    """Sets are ordered by string hash, which differs from process to process (PYTHONHASHSEED)."""
    import os
    import subprocess
    import sys

    code = ("from klartext.easy_language import Checker, Settings\n"
            "from klartext.easy_language_cache import checker_fingerprint\n"
            "print(checker_fingerprint(Checker(Settings(), ['Handlungs·feld', 'Lotse', 'Amt'], ['Lehrte', 'Hannover'])))")
    hooks = str(Path(easy_language.__file__).parent.parent)
    prints = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONPATH": hooks, "PYTHONHASHSEED": seed}).stdout
              for seed in ("1", "2", "3")}
    assert len(prints) == 1 and len(prints.pop().strip()) == 64
