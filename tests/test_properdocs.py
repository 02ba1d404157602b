"""Runtime exit path: the example builds with ProperDocs (the maintained fork of MkDocs 1.6) exactly as
with MkDocs, every file byte for byte except the generator tag, PDFs included.

MkDocs 1.x gets no more releases; the day it breaks, switching is one line (``properdocs build``).
The second environment is ``.venv-properdocs`` (tests/properdocs_env.py; ``./klartext test`` sets it
up, this test creates it when missing). Skipped only when switched off: ``KLARTEXT_PROPERDOCS=0``.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
from pathlib import Path

import pytest

import properdocs_env
from helpers import ROOT

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')

pytestmark = pytest.mark.skipif(os.environ.get("KLARTEXT_PROPERDOCS") == "0",
                                reason="KLARTEXT_PROPERDOCS=0: ProperDocs comparison switched off")


def _comparable(path: Path) -> bytes:
    content = path.read_bytes()
    if path.suffix == ".gz":
        content = gzip.decompress(content)  # the gzip header carries a time stamp of its own
    return GENERATOR.sub(b"", content) if path.suffix == ".html" else content


def test_example_builds_identically_with_properdocs(site: Path) -> None:
    venv = properdocs_env.ensure()
    project = site.parent
    other = project.parent / "site-properdocs"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "NO_MKDOCS_2_WARNING": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([str(properdocs_env.python(venv)), "-m", "properdocs", "build", "--strict",
                             "--site-dir", str(other)], cwd=project, env=env, capture_output=True, text=True,
                            timeout=1800, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    generator = re.search(r'<meta name="generator" content="([^"]*)">', (other / "index.html").read_text("utf-8"))
    assert generator and "ProperDocs" in generator.group(1)  # really the other runtime
    ours = {path.relative_to(site) for path in site.rglob("*") if path.is_file()}
    theirs = {path.relative_to(other) for path in other.rglob("*") if path.is_file()}
    assert sorted(map(str, ours ^ theirs)) == []
    assert len([path for path in ours if path.suffix == ".pdf"]) >= 7
    differing = [str(path) for path in sorted(ours) if _comparable(site / path) != _comparable(other / path)]
    assert differing == []
