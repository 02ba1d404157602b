"""What the two importers (PO translations, XLSX spreadsheet) share.

Both write staff's edits back into ``data/`` with ruamel.yaml, which keeps comments, order and
formatting of everything they do not change; both are all-or-nothing (the changed files are checked
with the build's own validation in a temporary copy before anything is written), refuse files too
large to be meant before reading them, and refuse control characters nobody can type.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from klartext.loading import MAX_BYTES
from klartext.problems import DataError, Problem


def round_trip_yaml() -> Any:
    """A ruamel.yaml instance for editing data files, with folding that takes linear time."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.Representer = _representer()
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def folded(text: str, width: int = 88) -> Any:
    """A folded block scalar wrapped at ``width`` (ruamel folds at the given space positions)."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    result = FoldedScalarString(text)
    positions, line_start, last_space = [], 0, None
    for index, char in enumerate(text):
        if char == "\n":
            line_start, last_space = index + 1, None
        elif char == " ":
            if index - line_start > width and last_space is not None:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = index
    if last_space is not None and len(text) - line_start > width and (
            not positions or positions[-1] != last_space):
        positions.append(last_space)
    result.fold_pos = positions
    return result


_REPRESENTER: Any = None


def _representer() -> Any:
    """ruamel's round-trip representer with a linear ``represent_folded_scalarstring``.

    ruamel.yaml (0.19) marks each fold position by copying the whole text (``data[:pos] + "\\a" +
    data[pos:]``), once per position: quadratic, minutes for a 12 MB text. This one joins the pieces
    once; the result is the same string.
    """
    global _REPRESENTER
    if _REPRESENTER is None:
        from ruamel.yaml.representer import RoundTripRepresenter
        from ruamel.yaml.scalarstring import FoldedScalarString

        class LinearFolding(RoundTripRepresenter):
            def represent_folded_scalarstring(self, data: Any) -> Any:
                anchor = data.yaml_anchor(any=True)
                pieces, start = [], 0
                for position in sorted(set(getattr(data, "fold_pos", []))):
                    if (0 < position < len(data) - 1 and data[position] == " "
                            and not data[position - 1].isspace() and not data[position + 1].isspace()):
                        pieces.append(data[start:position])
                        pieces.append("\a")
                        start = position
                pieces.append(data[start:])
                return self.represent_scalar("tag:yaml.org,2002:str", "".join(pieces), style=">",
                                             anchor=anchor)

        LinearFolding.add_representer(FoldedScalarString, LinearFolding.represent_folded_scalarstring)
        _REPRESENTER = LinearFolding
    return _REPRESENTER


def too_large(path: Path, shown: str, limit: int = MAX_BYTES) -> str | None:
    """German refusal when the file at ``path`` is larger than ``limit`` (checked before reading)."""
    size = path.stat().st_size
    if size <= limit:
        return None
    return (f"{shown}: Die Datei ist mit {_megabytes(size)} MB zu groß (höchstens {_megabytes(limit)} MB). "
            "Ist versehentlich etwas anderes hineinkopiert worden? Nichts übernommen.")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",").removesuffix(",0")


ALLOWED_CONTROLS = {"\n", "\t"}


def control_character(text: str) -> str | None:
    """The first control character in ``text`` that nobody types on purpose (tab and newline are
    allowed), as ``U+XXXX``, or None."""
    for char in text:
        if char not in ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs"):
            return f"U+{ord(char):04X}"
    return None


def check_changed(texts: dict[Path, str], data_dir: Path, root: Path, languages: list[str]) -> list[Problem]:
    """Errors the build would report on the data with ``texts`` as the new content of those files
    (checked in a temporary copy of ``data_dir``; nothing in the project is touched)."""
    with tempfile.TemporaryDirectory() as folder:
        copy_root = Path(folder)
        relative_data = data_dir.resolve().relative_to(root.resolve())
        copy = copy_root / relative_data
        shutil.copytree(data_dir, copy)
        for path, text in texts.items():
            target = copy_root / path.resolve().relative_to(root.resolve())
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        from klartext.validation import load_concept

        try:
            load_concept(copy, languages, copy_root)
        except DataError as error:
            return [problem for problem in error.problems if problem.severity == "error"]
    return []


def write_texts(texts: dict[Path, str]) -> None:
    """Write checked files, each to a temporary file first that then replaces it: never a half-written
    data file (a full disk, an interruption); the file keeps its mode."""
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.part")
        try:
            partial.write_text(text, encoding="utf-8")
            if path.exists():
                shutil.copymode(path, partial)
            os.replace(partial, path)
        except BaseException as error:
            with contextlib.suppress(OSError):
                partial.unlink()
            if isinstance(error, OSError) and error.errno is not None:
                raise OSError(error.errno, error.strerror, str(path)) from error  # the file, not the copy
            raise
