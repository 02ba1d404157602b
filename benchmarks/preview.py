"""Preview benchmark: seconds from saving a data file until the preview serves the changed page.

Run: .venv/bin/python benchmarks/preview.py [--project DIR] [--languages de,ls] [--edits 5] [--full] [--serve]
Without --project it uses a copy of this repository's example (data/, docs/, mkdocs.yml); with it, a
copy of DIR (e.g. a synthetic concept: benchmarks/synthetic.py TARGET --measures 150). Each edit appends
a word to a measure's title (German data, or the language's translation file) and waits until the
preview serves the page with it. --full also measures the preview with its fast path switched off
(KLARTEXT_VORSCHAU_VOLL=1: every save rebuilds the whole variant, as before issue 14), --serve plain
`mkdocs serve` (every language). Prints figures with the load average (the machine may be shared);
asserts nothing. Targets (issue 14): <= 1 s on the example, <= 2 s on 150 measures. Uses ports 8171 and up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from klartext.validation import load_concept  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", type=Path, default=None)
    parser.add_argument("--languages", default="de,ls")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--full", action="store_true", help="also time the preview without its fast path")
    parser.add_argument("--serve", action="store_true", help="also time `mkdocs serve` (all languages)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = _copy(args.project, Path(folder) / "project")
        data, _ = load_concept(project / "data", ["en", "ar", "tr", "uk", "ru", "ls"], project)
        measure = data.measures[0]
        where = data.where[id(measure)]
        print(f"Projekt: {args.project or 'Beispiel (Lehrte)'}: {len(data.measures)} Maßnahmen, "
              f"{len(data.fields)} Handlungsfelder; {os.cpu_count()} Kerne; Last {_load()}")
        runs = []
        for code in args.languages.split(","):
            runs.append((f"vorschau {code}", code, {}))
            if args.full:
                runs.append((f"vorschau {code}, alles neu", code, {"KLARTEXT_VORSCHAU_VOLL": "1"}))
        if args.serve:
            runs.append(("serve (alle Sprachen, ohne PDF)", None, {}))
        for port, (name, code, env) in enumerate(runs, 8171):
            first, times = _measure(project, code, port, measure.id, project / where.file, args.edits, env)
            median = statistics.median(times)
            print(f"{name:34} erster Build {first:5.1f} s; Speichern -> Seite: Median {median:.2f} s, "
                  f"min {min(times):.2f} s, max {max(times):.2f} s ({len(times)} Änderungen; "
                  f"{', '.join(f'{value:.2f}' for value in times)}); Last {_load()}", flush=True)


def _load() -> str:
    """The load average over 1, 5 and 15 minutes (other processes on a shared machine)."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def _copy(source: Path | None, target: Path) -> Path:
    base = source or ROOT
    shutil.copytree(base / "data", target / "data")
    shutil.copytree(base / "docs" if (base / "docs").is_dir() else ROOT / "docs", target / "docs")
    text = (base / "mkdocs.yml" if (base / "mkdocs.yml").is_file() else ROOT / "mkdocs.yml").read_text("utf-8")
    (target / "mkdocs.yml").write_text(text, encoding="utf-8")
    return target


def _measure(project: Path, language: str | None, port: int, measure_id: str, file: Path,
             edits: int, extra: dict[str, str]) -> tuple[float, list[float]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "NO_MKDOCS_2_WARNING": "1", **extra}
    if language is None:
        command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    else:
        command = [sys.executable, "-m", "klartext.staff", "--config", str(project / "mkdocs.yml"), "vorschau",
                   language, "--adresse", f"127.0.0.1:{port}"]
    url = f"http://127.0.0.1:{port}/massnahmen/{measure_id}/"  # German, or the preview's only language
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait(url, "<h1", 300)
        first = time.monotonic() - started
        times = []
        for number in range(edits):
            marker = f"Messpunkt{number}x{port}"
            _append_to_title(file if language in (None, "de") else
                             project / "data" / "translations" / f"{language}.yml", measure_id, marker)
            saved = time.monotonic()
            _wait(url, marker, 120)
            times.append(time.monotonic() - saved)
            time.sleep(1.0)  # let the watcher settle before the next edit
        return first, times
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _append_to_title(file: Path, measure_id: str, marker: str) -> None:
    """Append ``marker`` to the title of the measure: in a data file (``id: x``) or in a translation
    file (``x:`` under ``measures:``, title as text or as ``text:``)."""
    text = file.read_text(encoding="utf-8")
    head, found, after = text.partition(f"id: {measure_id}\n")
    if not found:
        head, found, after = text.partition(f"\n  {measure_id}:\n")
    lines = after.splitlines(keepends=True)
    index = next(index for index, line in enumerate(lines) if line.strip().startswith("title:"))
    while lines[index].rstrip().endswith(("title:", ">-", ">", "|")):
        index += 1
    lines[index] = lines[index].rstrip("\n") + f" {marker}\n"
    file.write_text(head + found + "".join(lines), encoding="utf-8")


def _wait(url: str, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"Zeitüberschreitung: {text!r} nicht in {url}")


if __name__ == "__main__":
    main()
