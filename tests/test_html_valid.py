"""The W3C Nu HTML checker (npm ``vnu-jar``, pinned in tests/tools/package.json, run with Debian's Java)
reports no error on any page of the example site, in any language."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT

VNU = ROOT / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
IGNORED = {
    r"Attribute “autocomplete” is only allowed when the input type is .*":
        '<input class="md-toggle" ',
}
"""Narrow exclusions: message (regular expression) -> the markup it must be reported on.

- ``autocomplete="off"`` on Material's hidden toggle checkboxes (drawer, search) is theme markup
  (base.html, not in an overridable block). Material sets it on purpose: it keeps Firefox from
  restoring an open drawer or search overlay when the reader comes back to a page.
"""


def validate(files: list[Path]) -> list[dict]:
    """Messages of the Nu checker for ``files`` (one Java start for all of them)."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail("The Nu HTML checker is not installed: run ./klartext setup (npm vnu-jar, Java).")
    result = subprocess.run(
        [java, "-Xss1m", "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always",
         *map(str, files)], capture_output=True, text=True, timeout=600, check=False)
    return json.loads(result.stdout)["messages"]


def test_every_page_is_valid_html(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    messages = validate(pages)
    errors = [message for message in messages if message["type"] in ("error", "non-document-error")
              and not _ignored(message)]
    readable = sorted({f"{message.get('url', '').split(str(site.resolve()) + '/', 1)[-1]}:"
                       f"{message.get('lastLine', '?')}: {message['message']}" for message in errors})
    assert readable == [], f"{len(readable)} errors:\n" + "\n".join(readable[:60])
    assert len(pages) > 150


def _ignored(message: dict) -> bool:
    return any(re.fullmatch(pattern, message["message"]) and markup in message.get("extract", "")
               for pattern, markup in IGNORED.items())


def test_the_checker_finds_errors(tmp_path: Path) -> None:
    """The checker really runs: a broken page gives the expected error."""
    page = tmp_path / "broken.html"
    page.write_text('<!doctype html><html lang="de"><title>x</title><p><div>x</p></html>', encoding="utf-8")
    messages = validate([page])
    assert any(message["type"] == "error" and "No “p” element in scope" in message["message"]
               for message in messages), messages
