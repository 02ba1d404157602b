"""Problems found in the data, reported to staff in German with file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a data file: where it is and what to do about it."""

    file: str
    """Path of the data file, relative to the project."""
    line: int
    """1-based line number, 0 when the problem concerns the whole file."""
    message: str
    """German message for staff: what is wrong and what to do."""
    severity: str = "error"
    """``error`` stops the build; ``warning`` is reported and the build goes on."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "" if self.severity == "error" else "Hinweis: "
        return f"{where}: {prefix}{self.message}"


class DataError(Exception):
    """Raised when the data has problems; carries all of them at once."""

    def __init__(self, problems: list[Problem], partial: Any = None) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.severity != "error", p.file, p.line))
        self.partial = partial
        """The concept made of the records that passed validation (a ``ConceptData`` with ``broken``
        set), when its ``concept:`` section loaded: later checks (the data-quality rules) run on it in
        the same pass, so one run reports every independent problem. None otherwise."""
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    """Render problems as the German report shown by the build."""
    count = sum(problem.severity == "error" for problem in problems)
    head = "1 Problem" if count == 1 else f"{count} Probleme"
    lines = [f"Die Daten des Integrationskonzepts enthalten {head}:"]
    lines += [f"  - {problem}" for problem in problems]
    lines.append("Bitte korrigieren Sie die genannten Stellen und starten Sie den Build erneut.")
    return "\n".join(lines)


def relative(path: Path, root: Path) -> str:
    """Show a path relative to the project root where possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
