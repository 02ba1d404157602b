"""YAML files -> plain Python values, remembering the line of every value.

PyYAML silently keeps the last of two equal keys and expands aliases without limit; this
loader reports duplicate keys, refuses aliases, keeps dates as text (the schema parses them,
so an impossible date becomes a message instead of a crash) and knows the line of each value.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from klartext.problems import Problem

Path_ = tuple[str | int, ...]
"""Where a value sits inside a document: mapping keys and list positions."""

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader without implicit dates and with YAML 1.2 booleans only."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        [_first],
    )


@dataclass
class Document:
    """One loaded YAML file."""

    file: str
    """Path shown to staff (relative to the project)."""
    data: Any
    """The plain Python value of the document."""
    lines: dict[Path_, int] = field(default_factory=dict)
    """1-based line of each value (for mapping entries: the line of the key)."""

    def line(self, path: Path_) -> int:
        """Line of the value at ``path``, or of its closest known ancestor."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


MAX_BYTES = 10_000_000
"""Largest data file read (10 MB): far above any real concept (the 1,200-measure benchmark concept
stays below), small enough that a pasted binary or a runaway export cannot stall the build."""


def load_document(path: Path, shown_as: str) -> tuple[Document | None, list[Problem]]:
    """Load one YAML file; return the document or the problems that prevented it.

    A file whose content was parsed before in this process is not parsed again (a preview rebuild
    after one edit then parses only the edited file). Callers must not change the returned document.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(shown_as, 0, (
                f"Die Datei ist mit {size / 1_000_000:.1f} MB zu groß (höchstens "
                f"{MAX_BYTES // 1_000_000} MB). Ist versehentlich etwas anderes hineinkopiert worden? "
                "Sonst bitte auf mehrere Dateien aufteilen.").replace(".", ",", 1))]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown_as, 0, f"Die Datei kann nicht gelesen werden ({exc.strerror}).")]
    key = (shown_as, hashlib.blake2b(raw, digest_size=16).digest())
    if key not in _PARSED:
        if len(_PARSED) > 2000:
            _PARSED.clear()
        _PARSED[key] = parse_document(raw, shown_as)
    return _PARSED[key]


_PARSED: dict[tuple, tuple[Document | None, list[Problem]]] = {}
"""Parsed files by name and content."""


def parse_document(raw: bytes, shown_as: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML bytes; return the document or the problems that prevented it."""
    text, problem = _decode(raw, shown_as)
    if problem:
        return None, [problem]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(shown_as, 0, "Die Datei ist leer. Bitte Inhalt ergänzen oder die Datei löschen.")]
        document = Document(shown_as, None)
        problems = _index(node, (), document, set())
        if problems:
            return None, problems
        document.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, shown_as, text)]
    except yaml.reader.ReaderError as exc:  # a control character, e.g. pasted from a word processor
        line = text.count("\n", 0, exc.position) + 1
        return None, [Problem(shown_as, line, (
            f"In dieser Zeile steht ein unsichtbares Steuerzeichen (U+{exc.character:04X}), meist beim "
            "Kopieren aus einem anderen Programm entstanden. Bitte den Text der Zeile löschen und neu "
            "tippen."))]
    except yaml.YAMLError as exc:
        return None, [Problem(shown_as, 0, f"Die Datei ist kein gültiges YAML ({exc}).")]
    finally:
        loader.dispose()
    return document, []


def _decode(raw: bytes, shown_as: str) -> tuple[str, Problem | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", Problem(
            shown_as, 0,
            "Die Datei ist in UTF-16 gespeichert. Bitte im Editor als „UTF-8“ speichern.",
        )
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return "", Problem(
            shown_as, line,
            "Die Datei enthält Zeichen, die nicht UTF-8-kodiert sind (z. B. aus Word oder Excel "
            "kopiert). Bitte die Datei im Editor mit der Kodierung „UTF-8“ speichern.",
        )


def _syntax_problem(exc: yaml.MarkedYAMLError, shown_as: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    problem = exc.problem or ""
    lines = text.splitlines()
    if "quoted scalar" in (exc.context or "") and exc.context_mark is not None:
        message = (  # the file ends inside quotes: name the line where they were opened
            "Hier beginnt ein Text in Anführungszeichen, der nicht geschlossen wird. Bitte das "
            "schließende Anführungszeichen am Ende des Textes ergänzen (oder beide weglassen).")
        return Problem(shown_as, exc.context_mark.line + 1, message)
    if 0 < line <= len(lines) and "\t" in lines[line - 1]:
        message = (
            "Tabulatorzeichen sind in YAML nicht erlaubt. Bitte mit Leerzeichen einrücken "
            "(zwei Leerzeichen pro Ebene)."
        )
    else:
        message = (
            "YAML-Syntaxfehler: Bitte Einrückung, Doppelpunkte und Anführungszeichen in dieser "
            f"Zeile und der Zeile davor prüfen. (Technische Meldung: {problem})"
        )
    return Problem(shown_as, line, message)


def _index(node: yaml.Node, path: Path_, document: Document, seen: set[int]) -> list[Problem]:
    """Record lines, report duplicate keys and aliases, walking the node tree."""
    if id(node) in seen:
        return [Problem(
            document.file, node.start_mark.line + 1,
            "Anker und Verweise (& und *) werden nicht unterstützt. Bitte den Inhalt ausschreiben.",
        )]
    seen.add(id(node))
    document.lines.setdefault(path, node.start_mark.line + 1)
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            line = key_node.start_mark.line + 1
            if key in first_line:
                problems.append(Problem(
                    document.file, line,
                    f"Der Schlüssel „{key}“ steht in diesem Abschnitt doppelt (zuerst in Zeile "
                    f"{first_line[key]}). Bitte einen der beiden Einträge löschen oder zusammenführen.",
                ))
                continue
            first_line[key] = line
            document.lines[(*path, key)] = line
            problems += _index(value_node, (*path, key), document, seen)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            problems += _index(item, (*path, position), document, seen)
    return problems
