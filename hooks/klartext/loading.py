"""YAML files -> plain Python values, remembering the line of every value.

PyYAML silently keeps the last of two equal keys and expands aliases without limit; this
loader reports duplicate keys, refuses aliases, keeps dates as text (the schema parses them,
so an impossible date becomes a message instead of a crash) and knows the line of each value.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
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


class LiteralInt(int):
    """An integer that remembers how it was typed (``007``, ``1_000``), for fields that take text."""

    literal: str


class LiteralFloat(float):
    """A number that remembers how it was typed: ``3.10`` stays „3.10“ where text belongs."""

    literal: str


def _literal_number(kind: type, base: Any) -> Any:
    def construct(loader: Any, node: yaml.ScalarNode) -> Any:
        value = base(loader, node)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        number = kind(value)
        number.literal = node.value
        return number
    return construct


_Loader.add_constructor("tag:yaml.org,2002:int", _literal_number(LiteralInt, yaml.SafeLoader.construct_yaml_int))
_Loader.add_constructor("tag:yaml.org,2002:float",
                        _literal_number(LiteralFloat, yaml.SafeLoader.construct_yaml_float))


def literal_text(value: Any) -> str:
    """The text of a scalar as staff typed it (a number keeps its digits: ``3.10``, not ``3.1``)."""
    return getattr(value, "literal", None) or str(value)


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
        document = _from_disk(key)
        _PARSED[key] = (document, []) if document is not None else _parsed_and_stored(raw, key)
    return _PARSED[key]


_PARSED: dict[tuple, tuple[Document | None, list[Problem]]] = {}
"""Parsed files by name and content."""


# ---------------------------------------------------------------------------------------------
# parsed files remembered across processes

_DISK: Path | None = None
"""Folder of the parsed files remembered on disk (None: parse every file in every process)."""

CACHE_FOLDER = Path(".cache") / "klartext" / "yaml"
"""Below the project root."""


def remember_on_disk(folder: Path | None) -> None:
    """Keep each parsed data file in ``folder`` (one file per data file, by name; replaced when its
    content changes), so that the next build or preview parses only files that changed. Parsing with
    line numbers is most of the data load (the translation files: about 0.5 s at 150 measures); reading
    a parsed file back takes a tenth of that. ``KLARTEXT_YAML_CACHE=0`` turns it off."""
    global _DISK
    _DISK = folder if os.environ.get("KLARTEXT_YAML_CACHE", "1") not in ("0", "no", "false") else None


def _loader_fingerprint() -> bytes:
    """What, besides a file's bytes, decides its parse: this module's source (loader rules, line map,
    character checks), PyYAML with or without libyaml, Python (marshal's format)."""
    digest = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16)
    digest.update(f"{yaml.__version__} {_BaseLoader.__name__} {sys.version_info[:2]}".encode())
    return digest.digest()


_FINGERPRINT: bytes | None = None


def _cache_file(key: tuple) -> Path | None:
    if _DISK is None:
        return None
    return _DISK / (hashlib.blake2b(key[0].encode("utf-8"), digest_size=12).hexdigest() + ".marshal")


def _from_disk(key: tuple) -> Document | None:
    """The document stored for ``key`` (name and content digest), or None."""
    global _FINGERPRINT
    file = _cache_file(key)
    if file is None:
        return None
    try:
        stored = marshal.loads(file.read_bytes())
        if _FINGERPRINT is None:
            _FINGERPRINT = _loader_fingerprint()
        fingerprint, name, digest, data, lines, literals = stored
        if (fingerprint, name, digest) != (_FINGERPRINT, *key):
            return None
        for path, kind, literal in literals:  # numbers that remember how they were typed
            data = _put(data, path, _LITERALS[kind], literal)
        return Document(name, data, lines)
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
        return None  # not there, another file's or damaged: parse


_LITERALS = {0: LiteralInt, 1: LiteralFloat}


def _put(data: Any, path: tuple, kind: type, literal: str) -> Any:
    """``data`` with the plain number at ``path`` replaced by a number of ``kind`` typed as ``literal``."""
    if not path:
        number = kind(data)
        number.literal = literal
        return number
    container = data
    for step in path[:-1]:
        container = container[step]
    number = kind(container[path[-1]])
    number.literal = literal
    container[path[-1]] = number
    return data


class _Uncacheable(Exception):
    pass


def _plain(value: Any, path: tuple, literals: list) -> Any:
    """``value`` with only the types marshal keeps (numbers typed as text become plain numbers, listed
    in ``literals``); raises :class:`_Uncacheable` for anything else (e.g. a number as mapping key)."""
    kind = type(value)
    if kind is dict:
        plain = {}
        for key, item in value.items():
            if type(key) not in (str, int, float, bool) and key is not None:
                raise _Uncacheable
            plain[key] = _plain(item, (*path, key), literals)
        return plain
    if kind is list:
        return [_plain(item, (*path, position), literals) for position, item in enumerate(value)]
    if kind in (str, int, float, bool) or value is None:
        return value
    if kind in (LiteralInt, LiteralFloat):
        literals.append((path, 0 if kind is LiteralInt else 1, value.literal))
        return (int if kind is LiteralInt else float)(value)
    raise _Uncacheable


def _parsed_and_stored(raw: bytes, key: tuple) -> tuple[Document | None, list[Problem]]:
    """Parse; keep a document without problems on disk (see :func:`remember_on_disk`)."""
    global _FINGERPRINT
    document, problems = parse_document(raw, key[0])
    file = _cache_file(key)
    if file is None or document is None or problems:
        return document, problems
    try:
        literals: list = []
        data = _plain(document.data, (), literals)
        if _FINGERPRINT is None:
            _FINGERPRINT = _loader_fingerprint()
        content = marshal.dumps((_FINGERPRINT, *key, data, document.lines, literals))
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, file)
    except (_Uncacheable, OSError, ValueError, RecursionError):
        pass  # parsed again next time
    return document, problems


def remembered(name: str, digest: bytes) -> Any:
    """A plain value (what marshal keeps) stored with :func:`remember` under ``name`` for the content
    ``digest``, or None (not there, another content's, damaged, or no cache folder set)."""
    file = _cache_file((name,))
    if file is None:
        return None
    try:
        stored_name, stored_digest, value = marshal.loads(file.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if (stored_name, stored_digest) == (name, digest) else None


def remember(name: str, digest: bytes, value: Any) -> None:
    """Keep a plain value for ``name`` and content ``digest`` in the cache folder of
    :func:`remember_on_disk` (if set): e.g. the interface labels' tables (:mod:`klartext.labels`)."""
    file = _cache_file((name,))
    if file is None:
        return
    try:
        content = marshal.dumps((name, digest, value))
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, file)
    except (OSError, ValueError):
        pass  # parsed again next time


def forget_parsed() -> None:
    """Drop the parsed files with their line maps (14mem): ``build`` reads every file once, only the
    preview gains from keeping them (about 60 MB of Python objects at 1,200 measures)."""
    _PARSED.clear()


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
        # libyaml reports a byte offset: find the character itself (umlauts before it take two bytes)
        where = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, where if where >= 0 else exc.position) + 1
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


MAX_DEPTH = 24
"""Deepest nesting of lists and sections: the model needs 6 levels; far deeper is a mistake (or an
attack) and would exhaust Python's recursion limit while the values are built."""

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"  # control characters
    "|[\u202a-\u202e\u2066-\u2069]"  # bidi embeddings, overrides and isolates
    "|[\u200b\u2060\u180e\ufeff]"  # zero-width space, word joiner, Mongolian vowel separator, BOM
)
"""Characters refused in every text and key. Tab and line break stay allowed; so do the joiners
ZWNJ/ZWJ (U+200C/U+200D, needed to write Persian, Kurdish and Indic names and many emoji), the
direction marks LRM/RLM/ALM (U+200E/U+200F/U+061C, used inside Arabic text) and the soft hyphen."""


def character_problem(text: str) -> str | None:
    """German message for the first character of ``text`` that no text may contain, else None."""
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
    char = match.group()
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return (f"Der Text enthält ein unsichtbares Steuerzeichen für die Schreibrichtung ({code}). Es "
                "kann die Reihenfolge der angezeigten Zeichen verfälschen. Bitte den Text neu tippen (die "
                "Schreibrichtung von Arabisch stellt die Website selbst richtig ein).")
    if char in "\u200b\u2060\u180e\ufeff":
        return (f"Der Text enthält ein unsichtbares Zeichen ohne Breite ({code}), meist beim Kopieren "
                "entstanden. Es stört die Suche und das Vorlesen. Bitte den Text neu tippen.")
    return (f"Der Text enthält ein Steuerzeichen ({code}), zum Beispiel aus einer Schreibweise wie "
            "„\\0“ oder „\\e“ in Anführungszeichen. Es macht Feed und Tabellen ungültig. Bitte das "
            "Zeichen löschen; erlaubt sind nur Zeilenumbrüche und Tabulatoren.")


def _index(node: yaml.Node, path: Path_, document: Document, seen: set[int], depth: int = 0) -> list[Problem]:
    """Record lines, report duplicate keys, aliases, merge keys, nesting beyond :data:`MAX_DEPTH`
    and characters no text may contain, walking the node tree."""
    if id(node) in seen:
        return [Problem(
            document.file, node.start_mark.line + 1,
            "Anker und Verweise (& und *) werden nicht unterstützt. Bitte den Inhalt ausschreiben.",
        )]
    if depth > MAX_DEPTH:
        return [Problem(
            document.file, node.start_mark.line + 1,
            f"Hier sind Listen oder Abschnitte mehr als {MAX_DEPTH}-fach ineinander verschachtelt "
            "(zum Beispiel viele „[“ hintereinander). So tief geht keine Angabe im Konzept. Bitte die "
            "Klammern und Einrückung prüfen.",
        )]
    seen.add(id(node))
    document.lines.setdefault(path, node.start_mark.line + 1)
    problems: list[Problem] = []
    if isinstance(node, yaml.ScalarNode):
        message = character_problem(node.value)
        if message:
            problems.append(Problem(document.file, node.start_mark.line + 1, message))
    elif isinstance(node, yaml.MappingNode):
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(
                    document.file, line,
                    "Der Zusammenführungs-Schlüssel „<<:“ wird nicht unterstützt: er übernimmt Angaben "
                    "still aus einem anderen Abschnitt und kann getippte Angaben überdecken. Bitte die "
                    "Angaben hier ausschreiben.",
                ))
                continue
            if isinstance(key_node, yaml.ScalarNode) and character_problem(key_node.value):
                problems.append(Problem(document.file, line, character_problem(key_node.value)))
                continue
            if key in first_line:
                problems.append(Problem(
                    document.file, line,
                    f"Der Schlüssel „{key}“ steht in diesem Abschnitt doppelt (zuerst in Zeile "
                    f"{first_line[key]}). Bitte einen der beiden Einträge löschen oder zusammenführen.",
                ))
                continue
            first_line[key] = line
            document.lines[(*path, key)] = line
            problems += _index(value_node, (*path, key), document, seen, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            problems += _index(item, (*path, position), document, seen, depth + 1)
    return problems
