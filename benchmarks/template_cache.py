"""Templates compiled by one build, and what the compile steps before the variants' fork cost.

Run inside a project folder (the engine's code on PYTHONPATH, e.g. the synthetic concept of
benchmarks/synthetic.py); builds it once in this process (``mkdocs build -q``) and prints one JSON line:
``compiled`` (``Environment.compile`` calls in every process of the build, the variants' forked processes
included), ``steps_s`` (wall time of ``_compile_page_templates`` + ``_compile_theme_templates``),
``cpu_to_fork_s`` (this process's CPU from start to the fork), ``wall_s`` and ``cpu_s`` (the whole build, the
children included). Empty ``.cache/klartext/jinja`` first for a cold build::

    cd /tmp/k150 && KLARTEXT_PDF=0 PYTHONPATH=<checkout>/hooks <checkout>/.venv/bin/python \\
        <checkout>/benchmarks/template_cache.py
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time

START = time.perf_counter()

import jinja2  # noqa: E402

from klartext.plugin import variants  # noqa: E402

LOG = tempfile.NamedTemporaryFile(prefix="klartext-compiles-", delete=False).name
_compile = jinja2.Environment.compile


def _counted(self, *args, **kwargs):
    with open(LOG, "a", encoding="utf-8") as log:  # appended by every process of the build
        log.write("x\n")
    return _compile(self, *args, **kwargs)


jinja2.Environment.compile = _counted
marks: dict[str, float] = {}


def _timed(function):
    def run(*args, **kwargs):
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            marks["steps_s"] = marks.get("steps_s", 0.0) + time.perf_counter() - began
            marks["cpu_to_fork_s"] = time.process_time()
    return run


variants._compile_page_templates = _timed(variants._compile_page_templates)
variants._compile_theme_templates = _timed(variants._compile_theme_templates)


def main() -> None:
    from mkdocs.__main__ import cli

    try:
        cli(["build", "-q"])
    except SystemExit as stop:
        if stop.code:
            raise
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(LOG, encoding="utf-8") as log:
        compiled = len(log.readlines())
    os.unlink(LOG)
    print(json.dumps({"compiled": compiled, **{key: round(value, 3) for key, value in marks.items()},
                      "wall_s": round(time.perf_counter() - START, 2),
                      "cpu_s": round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime, 2),
                      "load": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    sys.exit(main())
