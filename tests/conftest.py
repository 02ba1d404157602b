"""Shared fixtures. The Klartext package lives in hooks/ (see pyproject.toml: pythonpath)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import ROOT, build, make_project


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Lehrte project, built strictly (HTML and PDFs)."""
    project = tmp_path_factory.mktemp("lehrte") / "project"
    for name in ("data", "docs"):
        shutil.copytree(ROOT / name, project / name)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("hooks/klartext_mkdocs.py", str(ROOT / "hooks" / "klartext_mkdocs.py"))
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    return build(project)


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal fixture concept (with missing translations), built strictly."""
    return build(make_project(tmp_path_factory.mktemp("minimal")))
