"""A failed or interrupted build never touches the last good site (``./klartext build``)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import ROOT, make_project
from klartext import publish


def _publish(project: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "hooks")}
    return subprocess.Popen([sys.executable, "-m", "klartext.publish", *args], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out + err


def _snapshot(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _leftovers(project: Path) -> list[str]:
    return sorted(path.name for path in project.iterdir()
                  if path.name.startswith(".site.") and path.name != ".site.lock")  # the lock stays


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("publish"))
    code, log = _finish(_publish(project, "--strict"))
    assert code == 0, log
    assert "Die Website liegt in site/." in log
    return project


def test_failed_build_keeps_the_last_good_site(published: Path) -> None:
    before = _snapshot(published / "site")
    assert "index.html" in before and "en/index.html" in before
    # a broken link fails the strict build at its very end, after every page was written
    broken = published / "docs" / "kaputt.md"
    broken.write_text("# Kaputt\n\n[weg](gibt-es-nicht.md)\n", encoding="utf-8")
    try:
        code, log = _finish(_publish(published, "--strict"))
    finally:
        broken.unlink()
    assert code != 0
    assert "Die Website wurde NICHT erneuert: site/ ist unverändert geblieben." in log
    assert _snapshot(published / "site") == before
    assert _leftovers(published) == []


def test_interrupted_build_keeps_the_last_good_site(published: Path) -> None:
    before = _snapshot(published / "site")
    process = _publish(published)
    deadline = time.monotonic() + 120
    while not any((folder / "index.html").exists() for folder in published.glob(".site.new-*")):
        assert process.poll() is None, _finish(process)[1]
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)  # what a stop from the terminal or a CI timeout sends
    code, log = _finish(process)
    assert code != 0
    assert "Der Build wurde abgebrochen." in log
    assert _snapshot(published / "site") == before
    assert _leftovers(published) == []


def test_successful_build_replaces_the_site(published: Path) -> None:
    (published / "site" / "stale.html").write_text("old", encoding="utf-8")
    code, log = _finish(_publish(published, "--strict"))
    assert code == 0, log
    assert not (published / "site" / "stale.html").exists()
    assert (published / "site" / "index.html").is_file()
    assert _leftovers(published) == []


def test_site_of_a_build_killed_between_the_renames_comes_back(tmp_path: Path) -> None:
    old = tmp_path / ".site.old-4711"
    old.mkdir()
    (old / "index.html").write_text("good", encoding="utf-8")
    (tmp_path / ".site.new-abc").mkdir()
    publish._remove_leftovers(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "good"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_second_build_at_the_same_time_is_refused(published: Path) -> None:
    import fcntl

    before = _snapshot(published / "site")
    with open(published / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a build that is still running
        code, log = _finish(_publish(published))
    assert code == 1
    assert "Es läuft schon ein Build für site/ Bitte warten" in log
    assert _snapshot(published / "site") == before
