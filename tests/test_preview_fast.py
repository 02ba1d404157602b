"""The fast preview (hooks/klartext/plugin/preview.py): after a data edit, ``klartext vorschau``
renders again only the pages the edit changes, and the folder it serves equals a full build's.

The preview runs without its HTTP server (tests/preview_driver.py, the same builds as ``mkdocs serve``
with the preview configuration); each test edits data, asks for one rebuild and looks at the files on
disk: their bytes and modification times. No wall-clock limits: speed lives in benchmarks/preview.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, SECOND_MEASURE, edit, make_project

DRIVER = Path(__file__).resolve().parent / "preview_driver.py"


def _env(language: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "hooks"), str(ROOT / "tests")]),
            "NO_MKDOCS_2_WARNING": "1", "KLARTEXT_TEST_LANGUAGE": language, **extra}


class Preview:
    """A running preview: ``rebuild()`` after each edit."""

    def __init__(self, project: Path, site: Path, language: str = "de", **env: str) -> None:
        self.site = site
        self.process = subprocess.Popen([sys.executable, str(DRIVER), str(project), str(site)], cwd=project,
                                        env=_env(language, **env), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        assert self._line() == "ready"

    def _line(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError("preview stopped:\n" + self.close()[-4000:])
        return line.strip()

    def rebuild(self) -> dict:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return json.loads(self._line())

    def close(self) -> str:
        return self.process.communicate(timeout=120)[1]  # closes the input: the driver ends


def _files(site: Path) -> dict[str, tuple[bytes, int]]:
    return {path.relative_to(site).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(site.rglob("*")) if path.is_file()}


def _full_build(project: Path, site: Path, language: str = "de") -> dict[str, bytes]:
    """What the preview's full build makes of the project as it is now (a fresh process)."""
    result = subprocess.run([sys.executable, str(DRIVER), str(project), str(site), "--once"], cwd=project,
                            env=_env(language), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    return {name: content for name, (content, _) in _files(site).items()}


def _assert_same_as_full_build(project: Path, served: Path, tmp_path: Path, language: str = "de") -> None:
    full = _full_build(project, tmp_path / f"full-{len(list(tmp_path.iterdir()))}", language)
    now = {name: content for name, (content, _) in _files(served).items()}
    assert sorted(now) == sorted(full)
    different = [name for name in full if now[name] != full[name]]
    assert not different, f"served files differ from a full build: {different}"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    edit(project / "data" / "field.yml", "actors:\n", SECOND_MEASURE + "actors:\n")
    return project


def test_a_measure_edit_renders_its_page_and_the_overviews_and_nothing_else(project: Path, tmp_path: Path) -> None:
    served = tmp_path / "served"
    preview = Preview(project, served)
    try:
        before = _files(served)
        edit(project / "data" / "field.yml", "title: Lesepatenschaften", "title: Lesepatenschaften an Grundschulen")
        result = preview.rebuild()
        after = _files(served)
    finally:
        preview.close()
    assert result["kind"] == "fast", result
    assert sorted(before) == sorted(after)
    changed = {name for name in after if after[name][0] != before[name][0]}
    touched = {name for name in after if after[name][1] != before[name][1]}
    assert touched == changed == set(result["written"])  # written only when the bytes change
    assert "Lesepatenschaften an Grundschulen" in after["massnahmen/lesepaten/index.html"][0].decode()
    assert {"massnahmen/lesepaten/index.html", "massnahmen/index.html",  # the measure, the overviews
            "handlungsfelder/bildung/index.html", "fortschritt/index.html"} <= changed
    for name in ("massnahmen/sprachcafe/index.html", "ueber/index.html", "glossar/index.html", "404.html"):
        assert after[name] == before[name], f"{name} was written again"  # same bytes, same mtime
    _assert_same_as_full_build(project, served, tmp_path)


def test_errors_show_as_before_and_the_fast_path_returns_after_the_fix(project: Path, tmp_path: Path) -> None:
    served = tmp_path / "served"
    preview = Preview(project, served)
    field = project / "data" / "field.yml"
    try:
        edit(field, "state: geplant\n    responsible", "state: geplannt\n    responsible")
        broken = preview.rebuild()
        page = (served / "massnahmen" / "lesepaten" / "index.html").read_text(encoding="utf-8")
        problems = (served / "fehler" / "index.html").read_text(encoding="utf-8")
        edit(field, "state: geplannt", "state: geplant")
        fixed = preview.rebuild()
        assert "kt-problem-banner" not in (served / "massnahmen" / "lesepaten" / "index.html").read_text("utf-8")
        edit(field, "Ehrenamtliche lesen mit Kindern.", "Ehrenamtliche lesen jede Woche mit Kindern.")
        again = preview.rebuild()
    finally:
        log = preview.close()
    assert broken["kind"] == "full" and broken["why"] == "errors in the data"
    assert "kt-problem-banner" in page and "Lesepatenschaften" in page  # the last good page stays
    assert "data/field.yml:" in problems and "„geplannt“ ist keine bekannte Kennung" in problems
    assert "„geplannt“ ist keine bekannte Kennung" in log and "Traceback" not in log
    assert fixed["kind"] == "full"  # the pages with the banner all change
    assert again["kind"] == "fast"
    _assert_same_as_full_build(project, served, tmp_path)


@pytest.mark.parametrize("old, new, why", [
    ("name: Verein Lesehilfe", "name: Verein Lesehilfe Musterstadt", "records other than measures changed"),
    (SECOND_MEASURE, "", "records other than measures changed"),  # a measure removed: no map for it
])
def test_edits_it_cannot_map_rebuild_everything(project: Path, tmp_path: Path, old: str, new: str, why: str) -> None:
    served = tmp_path / "served"
    preview = Preview(project, served)
    try:
        edit(project / "data" / "field.yml", old, new)
        result = preview.rebuild()
    finally:
        preview.close()
    assert result["kind"] == "full" and result["why"] == why
    _assert_same_as_full_build(project, served, tmp_path)


def test_a_new_newest_date_dates_the_sitemap(project: Path, tmp_path: Path) -> None:
    """Staff add an update with today's date: the sitemap dates every page with it, as a full build."""
    served = tmp_path / "served"
    preview = Preview(project, served)
    try:
        before = (served / "sitemap.xml").read_text(encoding="utf-8")
        edit(project / "data" / "field.yml", "- date: 2024-10-01\n", "- date: 2025-10-01\n")
        result = preview.rebuild()
    finally:
        preview.close()
    assert result["kind"] == "fast", result
    assert "<lastmod>2024-10-01</lastmod>" in before
    assert "<lastmod>2025-10-01</lastmod>" in (served / "sitemap.xml").read_text(encoding="utf-8")
    _assert_same_as_full_build(project, served, tmp_path)


def test_an_edit_outside_the_data_rebuilds_everything(project: Path, tmp_path: Path) -> None:
    served = tmp_path / "served"
    preview = Preview(project, served)
    try:
        edit(project / "docs" / "ueber.md", "\n", "\nNeuer Absatz über die Seite.\n\n")
        result = preview.rebuild()
    finally:
        preview.close()
    assert result == {"kind": "full", "why": "files outside the data folder changed", "seconds": result["seconds"]}
    assert "Neuer Absatz über die Seite." in (served / "ueber" / "index.html").read_text(encoding="utf-8")


def test_a_translation_edit_in_the_english_preview(project: Path, tmp_path: Path) -> None:
    served = tmp_path / "served"
    preview = Preview(project, served, "en")
    try:
        before = _files(served)
        edit(project / "data" / "translations" / "en.yml", "text: Reading mentors", "text: Reading mentors at schools")
        result = preview.rebuild()
        after = _files(served)
    finally:
        preview.close()
    assert result["kind"] == "fast", result
    assert "Reading mentors at schools" in after["massnahmen/lesepaten/index.html"][0].decode()
    assert after["massnahmen/sprachcafe/index.html"] == before["massnahmen/sprachcafe/index.html"]
    _assert_same_as_full_build(project, served, tmp_path, "en")


def test_the_browser_shows_the_edit_by_itself(project: Path, tmp_path: Path, browser) -> None:
    """What staff see: the open page reloads by itself after a save and shows the new title."""
    import signal
    import time
    import urllib.request

    port = 8178
    server = subprocess.Popen(
        [sys.executable, "-m", "klartext.staff", "--config", str(project / "mkdocs.yml"), "vorschau", "de",
         "--adresse", f"127.0.0.1:{port}"], cwd=project, env=_env("de"), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}/massnahmen/lesepaten/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the preview did not start"
                time.sleep(0.2)
        # the session's Chromium: a second Playwright in one thread is refused
        page = browser.new_page(viewport={"width": 390, "height": 844})
        try:
            page.goto(url)
            assert page.inner_text("h1") == "Lesepatenschaften"
            page.evaluate("window.kt_before_edit = true")  # gone once the page has reloaded
            edit(project / "data" / "field.yml", "title: Lesepatenschaften", "title: Lesepatenschaften an Grundschulen")
            page.wait_for_function("document.querySelector('h1') && "
                                   "document.querySelector('h1').textContent.includes('an Grundschulen')",
                                   timeout=60_000)
            assert page.evaluate("window.kt_before_edit === undefined")
            page.screenshot(path=str(tmp_path / "preview-390.png"), full_page=False)
        finally:
            page.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        log = server.communicate(timeout=30)[0]
    assert "Vorschau aktualisiert:" in log  # the fast path did it
    assert "Traceback" not in log


LEICHTE_SPRACHE = """\
measures:
  lesepaten:
    title: Lese-Paten
    summary: |-
      Frei-Willige lesen mit Kindern.
      Das ist gut für die Kinder.
  sprachcafe:
    title: Deutsch sprechen im Rathaus
"""


def test_a_leichte_sprache_edit_renders_exactly_the_pages_that_show_the_text(project: Path, tmp_path: Path) -> None:
    """Staff write Leichte Sprache in data/translations/ls.yml and look at it in `vorschau ls`: the pages
    that show the edited text are written again, no other page; the Leichte Sprache check names file
    and line of a new finding; the folder equals a full build of the ls variant."""
    translations = project / "data" / "translations" / "ls.yml"
    translations.write_text(LEICHTE_SPRACHE, encoding="utf-8")
    served = tmp_path / "served"
    preview = Preview(project, served, "ls")
    try:
        pages = {}
        for old, new in [("Das ist gut für die Kinder.", "Die Kinder lernen so besser lesen."),  # its own page
                         ("title: Lese-Paten", "title: Lese-Paten in der Bibliothek")]:  # overviews too
            before = _files(served)
            edit(translations, old, new)
            result = preview.rebuild()
            after = _files(served)
            assert result["kind"] == "fast", result
            assert sorted(before) == sorted(after)
            changed = {name for name in after if after[name][0] != before[name][0]}
            touched = {name for name in after if after[name][1] != before[name][1]}
            assert touched == changed == set(result["written"])  # written only when the bytes change
            shown = new.removeprefix("title: ")
            pages[new] = {name for name in changed if name.endswith(".html")}
            showing = {name for name, (content, _) in after.items()
                       if name.endswith(".html") and shown in content.decode("utf-8")}
            assert pages[new] == showing  # exactly the pages that show the new text
        edit(translations, "Die Kinder lernen so besser lesen.",
             "Die Kinder lernen so besser lesen, weil die Frei-Willigen jede Woche in die Bibliothek kommen "
             "und dort mit den Kindern viele Bücher lesen, die die Kinder selbst aussuchen.")
        long = preview.rebuild()
    finally:
        log = preview.close()
    assert pages["Die Kinder lernen so besser lesen."] == {"massnahmen/lesepaten/index.html"}
    title = pages["title: Lese-Paten in der Bibliothek"]
    assert {"massnahmen/lesepaten/index.html", "massnahmen/index.html", "handlungsfelder/bildung/index.html"} <= title
    assert "massnahmen/sprachcafe/index.html" not in title
    assert long["kind"] == "fast", long
    line = LEICHTE_SPRACHE.splitlines().index("      Das ist gut für die Kinder.") + 1
    assert f"data/translations/ls.yml:{line}: Hinweis: Leichte Sprache" in log  # the staff's message
    assert "Traceback" not in log
    _assert_same_as_full_build(project, served, tmp_path, "ls")
