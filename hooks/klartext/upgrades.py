"""What a project must change after an engine upgrade, told in German with file, line and the new way.

Two tables, read by the checks that meet the old form:

- :data:`RENAMED_KEYS`: data keys that a version renamed or removed; validation turns "unknown key"
  into "this key is called … since version …" (see :func:`klartext.validation._message`).
- :data:`CONFIG_CHANGES`: ``mkdocs.yml`` lines of an older project layout; ``klartext build``,
  ``serve``, ``vorschau`` and ``check`` report them before MkDocs would fail with an English message.

When a release renames a key, add a line here and a sentence to the README's section
„Neue Version von Klartext übernehmen“.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from klartext.problems import Problem, relative


@dataclass(frozen=True)
class Renamed:
    """A data key of ``model`` that ``version`` renamed to ``new`` (``new=None``: removed)."""

    model: str
    old: str
    new: str | None
    version: str
    advice: str = ""
    """What to do beyond renaming (for a removed key: where its content goes now)."""


RENAMED_KEYS: list[Renamed] = []
"""Data keys renamed or removed by a release, newest first. Empty: no release has renamed one yet
(tests/test_upgrades.py checks the mechanism with an entry of its own)."""


@dataclass(frozen=True)
class ConfigChange:
    """A line of an older ``mkdocs.yml`` layout and what replaces it."""

    pattern: re.Pattern[str]
    version: str
    message: str


CONFIG_CHANGES = [
    ConfigChange(re.compile(r"^\s*-\s*\S*klartext_mkdocs\.py\s*$"), "0.1.0",
                 "Klartext ist seit Version {version} ein MkDocs-Plugin: Bitte diese Zeile (und „hooks:“, wenn "
                 "dort nichts anderes steht) löschen und unter „plugins:“ die Zeile „- klartext“ eintragen."),
    ConfigChange(re.compile(r"^\s*custom_dir:\s*\S*/overrides\s*$"), "0.1.0",
                 "Die Vorlagen bringt Klartext seit Version {version} selbst mit: Bitte diese Zeile löschen, wenn "
                 "der Ordner eine Kopie der Klartext-Vorlagen ist (eigene Anpassungen der Stadt in einem eigenen "
                 "Ordner „overrides“ im Projekt bleiben erlaubt)."),
    ConfigChange(re.compile(r"^\s*-\s*assets/(klartext\.css|klartext-controlling\.css|klartext\.js)\s*$"), "0.1.0",
                 "Styles und Skripte bringt Klartext seit Version {version} selbst mit: Bitte diese Zeile löschen "
                 "und die kopierte Datei in docs/assets/ ebenfalls."),
]
"""Lines of the layout before the plugin (absolute paths to the engine, copied engine files)."""


def renamed(model: str, key: str) -> Renamed | None:
    return next((entry for entry in RENAMED_KEYS if entry.model == model and entry.old == key), None)


def renamed_message(entry: Renamed) -> str:
    if entry.new is None:
        return (f"Die Angabe „{entry.old}“ gibt es seit Klartext {entry.version} nicht mehr. "
                f"{entry.advice or 'Bitte die Zeile löschen.'}")
    return (f"Die Angabe „{entry.old}“ heißt seit Klartext {entry.version} „{entry.new}“. Bitte „{entry.old}:“ "
            f"in „{entry.new}:“ umbenennen.{' ' + entry.advice if entry.advice else ''}")


def config_problems(config_path: Path, root: Path | None = None) -> list[Problem]:
    """Every line of ``mkdocs.yml`` that belongs to an older layout, with what to write instead."""
    root = root or config_path.parent
    shown = relative(config_path, root)
    problems = []
    for number, line in enumerate(config_path.read_text(encoding="utf-8").splitlines(), start=1):
        for change in CONFIG_CHANGES:
            if change.pattern.match(line):
                problems.append(Problem(shown, number, change.message.format(version=change.version)))
    return problems
