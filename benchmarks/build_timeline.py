"""Timeline of one parallel build: when each process starts and ends its language variant, and the
steps before the fork, with each process's CPU seconds (14sched).

Run inside a project (site folder removed first, as the bench does):
    rm -rf site && KLARTEXT_PDF=0 PYTHONPATH=<checkout>/hooks <checkout>/.venv/bin/python \\
        <checkout>/benchmarks/build_timeline.py [mkdocs build options]

Prints one line per event (seconds since start, process, event, language, CPU seconds of that process),
then how long after the fork one process or several built, and the load average before and after.
A wall figure means something only on an idle machine: under load no core is idle anyway.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import tempfile
import time

START = time.time()
RECORD = tempfile.NamedTemporaryFile(prefix="klartext-timeline-", suffix=".jsonl", delete=False).name


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 3)


def _record(event: str, language: str | None = None) -> None:
    line = json.dumps({"t": round(time.time() - START, 3), "pid": os.getpid(), "event": event,
                       "language": language, "cpu": _cpu()})
    with open(RECORD, "a", encoding="utf-8") as handle:  # one short append per event: in order
        handle.write(line + "\n")


def _stamp(module: str, name: str, label: str) -> None:
    """Record before and after every call of ``module.name``."""
    owner = importlib.import_module(module)
    function = getattr(owner, name)

    def stamped(*args, **kwargs):
        language = None
        if args and hasattr(args[0], "plugins"):
            language = args[0].plugins.get("i18n").current_language
        _record(label + " >", language)
        try:
            return function(*args, **kwargs)
        finally:
            _record(label + " <", language)

    setattr(owner, name, stamped)


def _summary(events: list[dict]) -> str:
    fork = next((e["t"] for e in events if e["event"] == "fork <"), None)
    if fork is None:
        return "no fork (sequential build)"
    marks = [(e["t"], +1 if e["event"] == "build >" else -1) for e in events
             if e["event"] in ("build >", "build <") and e["language"]]
    marks += [(fork, +1)] + [(e["t"], -1) for e in events if e["event"] == "finish >"]
    building, last, alone, together = 0, fork, 0.0, 0.0
    for moment, change in sorted(marks):
        if building == 1:
            alone += moment - last
        elif building > 1:
            together += moment - last
        last, building = max(last, moment), building + change
    end = max(e["t"] for e in events)
    return (f"wall {end:.2f} s; fork at {fork:.2f} s; after it one process building {alone:.2f} s, "
            f"two or more {together:.2f} s")


def main() -> None:
    load = os.getloadavg()[0]
    _stamp("mkdocs.commands.build", "build", "build")
    _stamp("klartext.plugin.data", "load", "data load")
    _stamp("klartext.plugin.variants", "start", "fork")
    _stamp("klartext.plugin.variants", "finish", "finish")
    _stamp("klartext.plugin.variants", "_compile_page_templates", "compile page templates")
    _stamp("klartext.plugin.variants", "_compile_theme_templates", "compile theme templates")
    _record("imported")
    from mkdocs.__main__ import cli

    try:
        cli(["build", "-q", *sys.argv[1:]], standalone_mode=False)
    finally:
        with open(RECORD, encoding="utf-8") as handle:
            events = [json.loads(line) for line in handle]
        os.unlink(RECORD)
        for e in events:
            print(f"{e['t']:8.3f} {e['pid']:7} {e['event']:26} {e['language'] or '':4} cpu {e['cpu']:.3f}")
        print(_summary(events))
        print(f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
