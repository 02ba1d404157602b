"""CPU of the finishing pass on every page (``klartext.plugin.html.finish`` and its parts) inside a build.

    PYTHONPATH=hooks .venv/bin/python benchmarks/finish_cpu.py PROJECT

Builds PROJECT (a folder with ``mkdocs.yml``, e.g. one of ``benchmarks/synthetic.py``) in this process,
one language variant after the other and without PDFs, and prints the CPU seconds spent in ``finish``
and in each of its parts, the search entries' sections, the removal of Material's ``data-search``
attributes and the generated pages' ids, beside
the CPU of the whole build and the load average. Point PYTHONPATH at
another checkout's ``hooks`` to measure its code on the same project.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    project = Path(sys.argv[1]).resolve()
    os.environ.update(KLARTEXT_PDF="0", KLARTEXT_PARALLEL="0", NO_MKDOCS_2_WARNING="1")
    os.chdir(project)
    logging.disable(logging.WARNING)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from klartext.plugin import html

    spent: dict[str, float] = {}

    def timed(module: Any, name: str) -> None:
        original = getattr(module, name)

        def wrapper(*args: Any, **keywords: Any) -> Any:
            start = time.process_time()
            try:
                return original(*args, **keywords)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - start
        setattr(module, name, wrapper)

    for name in ("finish", "mark_foreign_runs", "mark_source_names", "mark_titles", "fix_hreflang",
                 "_without_alternates"):
        if hasattr(html, name):
            timed(html, name)
    timed(html.csp, "add_policy")
    timed(html.search, "point_at_own_index")
    from klartext.plugin import htmlpage

    timed(htmlpage, "anchor_ids")  # a generated page's ids, when MkDocs renders it
    from klartext import search_markup

    timed(search_markup, "quick_sections")  # the sections of a generated page for its search entries
    if hasattr(search_markup, "without_search_attributes"):  # Material's data-search attributes removed
        timed(search_markup, "without_search_attributes")
    import re

    from material.plugins.search import plugin as material_search

    class TimedSub:
        """Material's search plugin's ``re``: its ``re.sub`` of the data-search attributes timed."""

        def __getattr__(self, name: str) -> Any:
            return getattr(re, name)

        def sub(self, *args: Any, **keywords: Any) -> Any:
            start = time.process_time()
            try:
                return re.sub(*args, **keywords)
            finally:
                spent["Material's re.sub"] = spent.get("Material's re.sub", 0.0) + time.process_time() - start
    material_search.re = TimedSub()  # type: ignore[assignment]
    start = time.process_time()
    build(load_config(str(project / "mkdocs.yml")))
    total = time.process_time() - start
    print(", ".join(f"{name} {seconds:.3f}" for name, seconds in spent.items())
          + f"; build CPU {total:.2f} s; load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
