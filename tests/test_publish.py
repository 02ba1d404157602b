"""A failed or interrupted build never touches the last good site (``./klartext build``)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
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


# ---------------------------------------------------------------------------------------------
# faults: a site that cannot be replaced, a full disk, modes, kill -9

FAKE_GENERATOR = [sys.executable, "-c", (
    "import pathlib, sys; site = pathlib.Path(sys.argv[-1]); (site / 'en').mkdir(); "
    "(site / 'index.html').write_text('neu'); (site / 'en' / 'index.html').write_text('new')")]
"""Stands in for MkDocs in the in-process tests: writes a two-page site into ``--site-dir``."""


def _good_site(folder: Path) -> dict[str, str]:
    (folder / "site" / "assets").mkdir(parents=True)
    (folder / "site" / "index.html").write_text("gut", encoding="utf-8")
    (folder / "site" / "assets" / "klartext.css").write_text("body{}", encoding="utf-8")
    return _snapshot(folder / "site")


def _modes(folder: Path) -> set[tuple[str, str]]:
    return {("dir" if path.is_dir() else "file", oct(path.stat().st_mode & 0o777))
            for path in [folder, *folder.rglob("*")]}


def test_published_site_is_world_readable(published: Path) -> None:
    assert _modes(published / "site") == {("dir", "0o755"), ("file", "0o644")}


def test_site_modes_do_not_depend_on_the_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    previous = os.umask(0o077)
    try:
        assert publish.build(tmp_path / "site", FAKE_GENERATOR) == 0
    finally:
        os.umask(previous)
    assert _modes(tmp_path / "site") == {("dir", "0o755"), ("file", "0o644")}


@pytest.mark.parametrize("error", [errno.EROFS, errno.ENOSPC, errno.EPERM])
@pytest.mark.parametrize("step", ["old site aside", "new site in place"])
def test_site_that_cannot_be_replaced_is_kept_with_a_german_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
        error: int, step: str) -> None:
    monkeypatch.chdir(tmp_path)
    before = _good_site(tmp_path)
    rename = Path.rename

    def failing(self: Path, target: Path) -> Path:
        failing_name = "site" if step == "old site aside" else ".site.new-"
        if self.name.startswith(failing_name):
            raise OSError(error, os.strerror(error), str(self))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    assert publish.build(tmp_path / "site", FAKE_GENERATOR) == 1
    err = capsys.readouterr().err
    reason = {errno.EROFS: "Das Laufwerk ist schreibgeschützt", errno.ENOSPC: "Auf dem Datenträger ist kein "
              "Platz mehr frei", errno.EPERM: "Der Vorgang ist nicht erlaubt"}[error]
    assert f"Die neue Website kann nicht an die Stelle der alten treten: {reason}" in err
    assert "Die Website wurde NICHT erneuert: site/ ist unverändert geblieben." in err
    assert _snapshot(tmp_path / "site") == before
    assert _leftovers(tmp_path) == []


def _chattr(flag: str, path: Path) -> bool:
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0 if \
        shutil.which("chattr") else False


@pytest.mark.parametrize("locked", ["site", "site/index.html"])
def test_immutable_site_is_refused_before_the_build(published: Path, locked: str) -> None:
    before = _snapshot(published / "site")
    if not _chattr("+i", published / locked):
        pytest.skip("chattr +i is not possible here (not root, or a file system without attributes)")
    try:
        code, log = _finish(_publish(published))
    finally:
        _chattr("-i", published / locked)
    assert code == 1
    assert log.strip() == (
        f"Die Website kann NICHT erneuert werden: {locked}{'/' if locked == 'site' else ''} ist unveränderlich "
        f"gesperrt (chattr +i). Bitte die Sperre aufheben (chattr -R -i {locked}) und erneut bauen. site/ "
        "bleibt unverändert.")
    assert _snapshot(published / "site") == before
    assert _leftovers(published) == []


@pytest.fixture()
def small_disk(tmp_path: Path) -> Path:
    """A 1 MB file system (tmpfs), full after a few pages."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_gives_a_german_reason_and_keeps_the_site(published: Path, small_disk: Path) -> None:
    before = _good_site(small_disk)
    code, log = _finish(_publish(published, "--site-dir", str(small_disk / "site")))
    assert code == 1
    assert "Traceback" not in log
    assert "Die Website kann nicht geschrieben werden: Auf dem Datenträger ist kein Platz mehr frei (" in log
    assert "Bitte Platz schaffen (z. B. alte Dateien löschen) und erneut bauen." in log
    assert f"Die Website wurde NICHT erneuert: {small_disk / 'site'}/ ist unverändert geblieben." in log
    assert _snapshot(small_disk / "site") == before
    assert _leftovers(small_disk) == []


def _descendants(pid: int) -> list[int]:
    """Children, grandchildren, ... of ``pid`` (from /proc, independent of the code under test)."""
    parents = {}
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, IndexError):
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        queue += children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has stopped; only its parent's wait is missing


def _wait_for_pdf_workers(runner: subprocess.Popen) -> list[int]:
    """The processes under ``runner`` once the PDF workers run (grandchildren of the build)."""
    deadline = time.monotonic() + 180
    while True:
        family = _descendants(runner.pid)
        generator = [pid for pid in family if "mkdocs" in _command_line(pid)]
        if generator and _descendants(generator[0]):
            return family
        assert runner.poll() is None, "the build ended before its PDF workers started"
        assert time.monotonic() < deadline, "no PDF workers started"
        time.sleep(0.05)


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def _gone_after_kill(family: list[int]) -> list[int]:
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in family if _alive(pid)]


def test_kill_9_of_the_command_group_stops_build_and_pdf_workers(published: Path) -> None:
    """What ./klartext looks like to a process manager: a shell running the publish module."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "hooks")}
    command = f"'{sys.executable}' -m klartext.publish; echo fertig"
    shell = subprocess.Popen(["bash", "-c", command], cwd=published, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        family = _wait_for_pdf_workers(shell)
        assert {os.getpgid(pid) for pid in family if _alive(pid)} == {shell.pid}
        os.killpg(shell.pid, signal.SIGKILL)
        assert _gone_after_kill(family) == []
    finally:
        for pid in _descendants(shell.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shell.wait()


def test_kill_9_of_the_build_command_alone_stops_build_and_pdf_workers(published: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "hooks")}
    process = subprocess.Popen([sys.executable, "-m", "klartext.publish"], cwd=published, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        family = _wait_for_pdf_workers(process)
        process.kill()  # only the command: what stays behind must die with it
        process.wait()
        assert _gone_after_kill(family) == []
    finally:
        for pid in _descendants(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()


def test_read_only_site_of_a_normal_user_is_refused_and_leaves_no_copy() -> None:
    """`chmod -R a-w site` as a normal user (root ignores modes): the old site could be moved aside but
    never deleted, so every build left a full `.site.old-*` copy behind while reporting success."""
    import tempfile

    python = shutil.which("python3", path="/usr/bin:/bin")
    if os.geteuid() != 0 or not shutil.which("setpriv") or not python:
        pytest.skip("needs root, setpriv and a system python3 to run as the user nobody")
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        folder.chmod(0o755)
        project = folder / "project"
        (project / "site" / "assets").mkdir(parents=True)
        (project / "site" / "index.html").write_text("gut", encoding="utf-8")
        (project / "site" / "assets" / "klartext.css").write_text("body{}", encoding="utf-8")
        before = _snapshot(project / "site")
        subprocess.run(["chown", "-R", "65534:65534", str(project)], check=True)
        subprocess.run(["chmod", "-R", "a-w", str(project / "site")], check=True)
        hooks = folder / "hooks"  # the code under test, readable for nobody
        shutil.copytree(ROOT / "hooks" / "klartext", hooks / "klartext",
                        ignore=shutil.ignore_patterns("__pycache__"))
        subprocess.run(["chmod", "-R", "a+rX", str(hooks)], check=True)
        script = ("import sys; from pathlib import Path; from klartext import publish; "
                  f"sys.exit(publish.build(Path('site'), {[python, *FAKE_GENERATOR[1:]]!r}))")
        result = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c", script],
            cwd=project, capture_output=True, text=True, timeout=60,
            env={"PYTHONPATH": str(hooks), "PATH": "/usr/bin:/bin"})
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stderr == (
            "Die Website kann NICHT erneuert werden: site/ ist schreibgeschützt (keine Schreibrechte). Bitte "
            "Schreibrechte geben (chmod -R u+w site) oder mit --site-dir einen anderen Zielordner wählen. site/ "
            "bleibt unverändert.\n")
        assert _snapshot(project / "site") == before
        assert _leftovers(project) == []
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)
