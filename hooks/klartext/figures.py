"""Figures in hand-written pages: the marker ``[[abbildung: ID]]`` on a line of its own is replaced by
the figure ``ID`` from ``data/figures.yml`` (or any data file with a ``figures:`` section)."""

from __future__ import annotations

import re
from typing import Callable

from klartext.problems import Problem

MARKER = re.compile(r"^[ \t]*\[\[abbildung:[ \t]*([^\]\s]*)[ \t]*\]\][ \t]*$", re.MULTILINE)
"""``[[abbildung: ID]]`` alone on a line."""


def expand(markdown: str, file: str, known: list[str], render: Callable[[str], str],
           ) -> tuple[str, list[Problem]]:
    """Replace every marker by its rendered figure; unknown ids are German problems with the line."""
    problems = []

    def replace(match: re.Match) -> str:
        figure_id = match.group(1)
        if figure_id in known:
            return "\n" + render(figure_id).strip() + "\n"
        line = markdown.count("\n", 0, match.start()) + 1
        listed = ", ".join(known) or "keine"
        problems.append(Problem(file, line, f"Die Abbildung „{figure_id}“ gibt es nicht. Vorhandene "
                                f"Abbildungen (figures: in data/): {listed}."))
        return match.group(0)

    return MARKER.sub(replace, markdown), problems
