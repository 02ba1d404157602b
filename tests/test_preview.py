"""The one-language preview: rebuilds after a data edit, shows data errors in the page and keeps
the last good pages reachable until they are fixed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import ROOT, edit, make_project
from klartext.staff import preview_config

PORT = 8170


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def _wait_for(url: str, text: str, process: subprocess.Popen, timeout: float = 90) -> str:
    """Poll ``url`` until its page contains ``text``; return the page."""
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        status, body = _get(url)
        if status == 200 and text in body:
            return body
        assert process.poll() is None, "Der Vorschau-Server ist beendet."
        time.sleep(0.2)
    raise AssertionError(f"{text!r} erschien nicht in {url} (zuletzt: {body[:300]!r})")


def test_preview_config_builds_one_language() -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = preview_config(text, "ls")
    assert "      build_only_locale: ls\n      docs_structure: suffix" in config
    assert config.count("build_only_locale") == 1


def test_preview_rebuilds_and_shows_errors_in_the_page(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    base = f"http://127.0.0.1:{PORT}"
    process = subprocess.Popen(
        [sys.executable, "-m", "klartext.staff", "--config", str(project / "mkdocs.yml"), "vorschau", "de",
         "--adresse", f"127.0.0.1:{PORT}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "NO_MKDOCS_2_WARNING": "1"})
    try:
        measure = f"{base}/massnahmen/lesepaten/"
        _wait_for(measure, "Lesepatenschaften", process)
        assert _get(f"{base}/en/")[0] == 404  # one language only
        field = project / "data" / "field.yml"

        edit(field, "title: Lesepatenschaften", "title: Lesepatenschaften an allen Grundschulen")
        _wait_for(measure, "Lesepatenschaften an allen Grundschulen", process)

        edit(field, "state: geplant", "state: geplannt")
        page = _wait_for(measure, "kt-problem-banner", process)
        assert "Lesepatenschaften an allen Grundschulen" in page  # the last good page stays
        assert 'href="../../fehler/"' in page
        problems = _wait_for(f"{base}/fehler/", "Die Daten enthalten Fehler", process)
        assert "data/field.yml:" in problems and "„geplannt“ ist keine bekannte Kennung" in problems
        start = _wait_for(f"{base}/", "kt-problem-banner", process)
        assert 'href="fehler/"' in start
        assert _get(f"{base}/massnahmen/")[0] == 200

        edit(field, "state: geplannt", "state: geplant")
        _wait_for(measure, "Lesepatenschaften", process)
        deadline = time.monotonic() + 60
        while "kt-problem-banner" in _get(measure)[1]:
            assert time.monotonic() < deadline, "Der Hinweis auf Fehler verschwindet nicht."
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert "„geplannt“ ist keine bekannte Kennung" in output


def _occupied_port() -> "socket.socket":
    import socket

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return listener


@pytest.mark.parametrize("command", ["vorschau", "serve"])
def test_port_in_use_gives_a_german_message_with_the_way_out(tmp_path: Path, command: str) -> None:
    project = make_project(tmp_path)
    with _occupied_port() as listener:
        port = listener.getsockname()[1]
        args = ["vorschau", "de"] if command == "vorschau" else ["serve"]
        result = subprocess.run(
            [sys.executable, "-m", "klartext.staff", "--config", str(project / "mkdocs.yml"), *args,
             "--adresse", f"127.0.0.1:{port}"], cwd=project, capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    way_out = "./klartext vorschau de --adresse" if command == "vorschau" else "./klartext serve --adresse"
    first, second = result.stderr.splitlines()
    assert first == (f"Die Adresse 127.0.0.1:{port} ist schon belegt: Dort läuft bereits ein Server, vielleicht "
                     "eine Vorschau in einem anderen Fenster. Bitte diese beenden (dort Strg+C) oder eine andere "
                     "Adresse wählen:")
    assert second.startswith(f"  {way_out} 127.0.0.1:")
    assert int(second.rsplit(":", 1)[1]) > port
    assert "Traceback" not in result.stdout + result.stderr
