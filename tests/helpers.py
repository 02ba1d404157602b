"""Shared helpers of the tests: small real projects in temporary folders, built with MkDocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from klartext.configfile import read_config, write_config  # noqa: F401 (used by tests)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "minimal"


# a second measure for the minimal project's field file (inserted before its "actors:" section)
SECOND_MEASURE = """\
  - id: sprachcafe
    field: bildung
    goals: [lesen]
    title: Sprachcafé im Rathaus
    summary: Einmal im Monat Deutsch sprechen bei Kaffee und Kuchen.
    state: geplant
"""


def make_project(tmp_path: Path, source: Path = MINIMAL, extra_files: dict[str, str] | None = None) -> Path:
    """Copy a fixture project (data/, docs/) next to an mkdocs.yml that uses this repository's code."""
    project = tmp_path / "project"
    shutil.copytree(source / "data", project / "data")
    shutil.copytree(source / "docs", project / "docs")
    if not (project / "docs" / "assets").exists():  # the product's stylesheet and logo
        shutil.copytree(ROOT / "docs" / "assets", project / "docs" / "assets")
    config = read_config(ROOT / "mkdocs.yml")
    write_config(project / "mkdocs.yml", config)
    for name, content in (extra_files or {}).items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return project


def example_project(folder: Path) -> Path:
    """A copy of the bundled Lehrte project (data/, docs/, mkdocs.yml as it is) in ``folder``/project."""
    project = folder / "project"
    for name in ("data", "docs"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def mkdocs(project: Path, *args: str, timeout: int = 300, env: dict[str, str] | None = None,
           ) -> subprocess.CompletedProcess:
    """Run ``mkdocs`` in ``project`` in its own process (hooks and plugins keep state per process)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args], cwd=project, env=env, capture_output=True,
        text=True, timeout=timeout, check=False,
    )


def build_with_recorder(tmp_path: Path, hook: str) -> tuple[subprocess.CompletedProcess, Path, list[str]]:
    """Build the minimal project in ``tmp_path`` in parallel as on two cores, with ``hook`` (a MkDocs hook
    that appends lines to the file ``KLARTEXT_TEST_RECORD`` names); returns the build's result, the
    project folder and the recorded lines."""
    project = make_project(tmp_path, extra_files={"record.py": hook})
    config = read_config(project / "mkdocs.yml")
    write_config(project / "mkdocs.yml", {**config, "hooks": ["record.py"]})
    record = tmp_path / "record.txt"
    result = mkdocs(project, "build", env={"KLARTEXT_PDF": "0", "KLARTEXT_PARALLEL": "2",
                                           "KLARTEXT_TEST_RECORD": str(record)})
    assert result.returncode == 0, result.stderr
    return result, project, record.read_text(encoding="utf-8").splitlines()


def build(project: Path, *args: str) -> Path:
    """Build ``project`` strictly into ``project/site`` and return that folder; fail with the log."""
    result = mkdocs(project, "build", "--strict", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in a fixture file; fail if ``old`` is not there (a silent no-op
    would let the test pass without testing anything)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
