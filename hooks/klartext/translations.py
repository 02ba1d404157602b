"""Translation workflow: state of every translated text, gettext PO round trip, stamping.

Translators work in their tools (Poedit, Weblate) on one PO file per language. Each entry's
context names record and field (``measures/wiki-sprachfoerderung/title``); its source reference
names the German text's file and line. Importing writes back into ``data/translations/<lang>.yml``
with ruamel.yaml, which keeps comments, order and formatting of everything it does not change.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from klartext.concept import ConceptData
from klartext.imports import (check_changed, control_character, folded, round_trip_yaml, too_large,
                              write_texts)
from klartext.loading import MAX_BYTES
from klartext.model import COLLECTIONS
from klartext.text import CURRENT, MACHINE, MISSING, NAME, OUTDATED, UNCHECKED, Text, fingerprint
from klartext.validation import TRANSLATIONS, iter_texts

if TYPE_CHECKING:
    import polib  # the PO round trip imports it (and Babel's plural rules) itself: a build does not need them

STATES = (CURRENT, OUTDATED, UNCHECKED, MACHINE, MISSING)

_NAMES = {
    "concept": "Konzept", "projects": "Projekt", "field_states": "Arbeitsstand",
    "measure_states": "Umsetzungsstand", "funding_states": "Finanzierungsstand",
    "actor_kinds": "Art von Akteur", "event_kinds": "Art von Termin", "fields": "Handlungsfeld",
    "goals": "Ziel", "indicators": "Indikator", "measures": "Maßnahme", "actors": "Akteur",
    "events": "Termin", "glossary": "Glossar-Begriff", "facts": "Fakt",
    "documents": "Dokument", "figures": "Abbildung",
    "decision_states": "Entscheidungsstand", "recommendations": "Empfehlung",  # 16rec
}


@dataclass(frozen=True)
class Entry:
    """One translatable text: where it sits in the data and what it is."""

    context: str
    """Record and field, e.g. ``measures/wiki-sprachfoerderung/title``."""
    path: tuple
    """The same as a path into the translation file."""
    text: Text
    record_title: str
    """German title of the record the text belongs to (for translators)."""


@dataclass
class LanguageStatus:
    """Translation state of one language."""

    language: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    entries: dict[str, list[Entry]] = field(default_factory=lambda: {state: [] for state in STATES})


@dataclass
class ImportReport:
    """What an import changed, refused and skipped."""

    changed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    skipped: int = 0
    texts: dict[Path, str] = field(default_factory=dict)
    """New content of each translation file (empty when anything was refused)."""


def entries(data: ConceptData) -> list[Entry]:
    """Every translatable text in a stable order (concept first, then each collection)."""
    found = [Entry(_context(("concept", *path)), ("concept", *path), text, data.concept.title.de)
             for path, text in iter_texts(data.concept)]
    for name in COLLECTIONS:
        for record in getattr(data, name):
            title = _record_title(record)
            found += [Entry(_context((name, record.id, *path)), (name, record.id, *path), text, title)
                      for path, text in iter_texts(record)]
    return found


def status(data: ConceptData, languages: list[str], found: list[Entry] | None = None) -> list[LanguageStatus]:
    """Counts and entries per state, for each language. ``found``: ``entries(data)``, if known."""
    report = []
    all_entries = entries(data) if found is None else found
    for lang in languages:
        language = LanguageStatus(lang)
        for entry in all_entries:
            state = entry.text.state(lang)
            if state == NAME:  # a name needs no translation
                continue
            language.counts[state] += 1
            language.entries[state].append(entry)
        report.append(language)
    return report


def format_status(report: list[LanguageStatus]) -> str:
    """The status report for staff, in German."""
    lines = ["Übersetzungsstand", ""]
    lines.append(f"{'Sprache':<9}{'aktuell':>9}{'veraltet':>10}{'ungeprüft':>11}{'maschinell':>12}{'fehlt':>8}")
    for language in report:
        counts = language.counts
        lines.append(f"{language.language:<9}{counts[CURRENT]:>9}{counts[OUTDATED]:>10}{counts[UNCHECKED]:>11}"
                     f"{counts[MACHINE]:>12}{counts[MISSING]:>8}")
    for language in report:
        for state, title in ((OUTDATED, "veraltet (deutscher Text geändert)"),
                             (UNCHECKED, "ungeprüft (ohne Prüfsumme „source:“)"), (MISSING, "fehlt")):
            for entry in language.entries[state]:
                translation = entry.text.translations.get(language.language)
                where = (f"{translation.file}:{translation.line}" if translation
                         else f"{entry.text.file}:{entry.text.line}")
                lines.append(f"{language.language}: {title}: {where}: {entry.context}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# PO export


def export_po(data: ConceptData, lang: str, tag: str, project: str = "Klartext") -> polib.POFile:
    """The PO file of one language: every text, its context, source reference and state."""
    import polib
    from babel import Locale
    from babel.messages.plurals import get_plural

    po = polib.POFile(wrapwidth=0)
    plural = get_plural(Locale.parse(tag.replace("-", "_")))
    po.metadata = {
        "Project-Id-Version": project,
        "Language": tag.replace("-", "_"),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": f"nplurals={plural.num_plurals}; plural={plural.plural_expr};",
        "X-Klartext-Variant": lang,
    }
    for entry in entries(data):
        translation = entry.text.translations.get(lang)
        state = entry.text.state(lang)
        if state == NAME:  # a name needs no translation: not offered as an untranslated message
            continue
        po.append(polib.POEntry(
            msgctxt=entry.context,
            msgid=entry.text.de,
            msgstr=translation.text if translation else "",
            occurrences=[(entry.text.file, str(entry.text.line))],
            comment=_comment(entry, lang, state),
            flags=["fuzzy"] if state in (OUTDATED, UNCHECKED, MACHINE) else [],
        ))
    return po


_ROLE_HINTS = {
    "provenance.question": ("Offene Frage an die Stadt: Sie steht auf der Seite neben einer Annahme oder "
                            "einem Platzhalter. Bitte als Frage übersetzen."),
    "figures.question": "Die Frage, wie sie in der Umfrage gestellt wurde: bitte wörtlich übersetzen.",
}
"""Translator hints for texts whose role the field name alone does not make clear."""


def _roles(path: tuple) -> list[str]:
    """The roles of a translatable text, e.g. ``provenance.question`` for a source's open question."""
    names = [part for part in path if isinstance(part, str)]
    roles = []
    if len(names) >= 2 and names[-1] == "question" and "provenance" in names:
        roles.append("provenance.question")
    elif names and names[0] == "figures" and names[-1] == "question":
        roles.append("figures.question")
    return roles


def _comment(entry: Entry, lang: str, state: str) -> str:
    kind = _NAMES.get(entry.path[0], entry.path[0])
    field_name = ".".join(str(part) for part in entry.path[2 if entry.path[0] != "concept" else 1:])
    lines = [f"{kind} „{entry.record_title}“, Feld „{field_name}“."]
    lines.extend(_ROLE_HINTS.get(role, "") for role in _roles(entry.path) if role in _ROLE_HINTS)
    if state == OUTDATED:
        lines.append("Der deutsche Text wurde geändert, seit diese Übersetzung entstand: bitte prüfen.")
    if state == UNCHECKED:
        lines.append("Noch nie geprüft: bitte mit dem deutschen Text vergleichen und „fuzzy“ entfernen.")
    if state == MACHINE:
        lines.append("Maschinell übersetzt: bitte prüfen und die Markierung „fuzzy“ entfernen.")
    if lang == "ls":
        lines.append("Leichte Sprache: kurze Sätze, keine Fremdwörter, schwierige Wörter erklären.")
    lines.append("Ein Zeilenumbruch beginnt einen neuen Absatz.")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# PO import


PO_LIMIT = MAX_BYTES
"""Largest PO file read (10 MB, as a data file): a whole concept's texts in one language are a tiny
fraction of it; a larger file is something else pasted in by mistake."""


def read_po(path: Path, shown: str | None = None) -> tuple[polib.POFile | None, list[str]]:
    """Read a translator's PO file, or say in German (with line and entry) why it cannot be read.

    Checked before polib parses it, because polib silently accepts broken files (an unclosed quote
    loses the text's last character): the size before reading, the encoding, the syntax of each line.
    """
    shown = shown or path.name
    try:
        refusal = too_large(path, shown, PO_LIMIT)
        if refusal:
            return None, [refusal]
        raw = path.read_bytes()
    except OSError as error:
        return None, [f"{shown}: Die Datei kann nicht gelesen werden ({error.strerror})."]
    text, problem = _decode_po(raw, shown)
    if problem:
        return None, [problem]
    problems = _syntax_problems(text, shown)
    if problems:
        return None, problems
    import polib

    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as error:  # polib: "Syntax error in po file (line 12)"
        line = re.search(r"line (\d+)", str(error))
        where = ""
        if line:
            before = "\n".join(text.split("\n")[: int(line.group(1))])
            where = f", Zeile {line.group(1)}{_entry_at(before)}"
        return None, [f"{shown}{where}: Die Datei ist keine gültige PO-Datei: Hier steht ein msgctxt, msgid "
                      "oder msgstr an falscher Stelle oder doppelt (technisch: "
                      f"{error}). Bitte die Stelle korrigieren oder die Datei in Poedit öffnen und speichern."]
    if not any(not entry.obsolete for entry in po):
        return None, [f"{shown}: Die Datei enthält keine Einträge. Bitte die PO-Datei aus „./klartext i18n "
                      "export“ verwenden."]
    return po, []


def _decode_po(raw: bytes, shown: str) -> tuple[str, str | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", (f"{shown}: Die Datei ist in UTF-16 gespeichert. Bitte als UTF-8 speichern (Poedit: "
                    "Katalog → Eigenschaften → Zeichensatz UTF-8).")
    declared = re.search(rb"charset=([A-Za-z0-9_.:-]+)", raw[:4000])
    charset = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if charset.replace("-", "").replace("_", "") not in ("utf8", "charset"):
        return "", (f"{shown}: Die Datei ist als „{declared.group(1).decode('ascii')}“ gespeichert, nicht als "
                    "UTF-8. Bitte als UTF-8 speichern (Poedit: Katalog → Eigenschaften → Zeichensatz "
                    "UTF-8) und erneut importieren.")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        entry = _entry_at(raw[: error.start].decode("utf-8", "replace"))
        return "", (f"{shown}, Zeile {line}{entry}: Hier steht ein Zeichen, das nicht UTF-8-kodiert ist (die "
                    "Datei wurde in einer anderen Kodierung gespeichert, z. B. Windows-1252). Bitte als "
                    "UTF-8 speichern (Poedit: Katalog → Eigenschaften → Zeichensatz UTF-8).")


_KEYWORD_LINE = re.compile(r'(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+(.*)')
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"[ \t]*')
_ESCAPE = re.compile(r'\\(.)')
"""Escapes other than newline, tab, quote and backslash: control characters (``\\r``, ``\\a``, ``\\x1b``,
``\\0``) that polib would also keep as two literal characters."""


def _syntax_problems(text: str, shown: str) -> list[str]:
    """Every line that is neither a comment, a keyword with a quoted text, nor a quoted continuation."""
    problems, context = [], None
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        invisible = control_character(line) or next(
            (f"U+{ord(char):04X}" for char in line if char in "\u2028\u2029"), None)
        if invisible:
            entry = f" (Eintrag „{context}“)" if context else ""
            problems.append(f"{shown}, Zeile {number}{entry}: In dieser Zeile steht ein unsichtbares Steuerzeichen "
                            f"({invisible}), meist beim Kopieren aus einem anderen Programm entstanden. Bitte den "
                            "Text der Zeile neu tippen; nichts übernommen.")
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        keyword = _KEYWORD_LINE.fullmatch(stripped)
        if keyword and stripped.startswith("msgctxt") and _QUOTED.fullmatch(keyword.group(1)):
            context = keyword.group(1).strip()[1:-1]
        quoted = keyword.group(1) if keyword else stripped
        escape = next((found for found in _ESCAPE.finditer(quoted) if found.group(1) not in 'nt"\\'),
                      None) if _QUOTED.fullmatch(quoted) else None
        if _QUOTED.fullmatch(quoted) and not escape:
            continue
        entry = f" (Eintrag „{context}“)" if context else ""
        if escape:
            message = (f"Die Escape-Folge „{escape.group(0)}“ steht für ein Steuerzeichen, das in Texten nicht "
                       "erlaubt ist (erlaubt sind \\n, \\t, \\\" und \\\\).")
        elif quoted.startswith('"'):
            message = ("Der Text in Anführungszeichen ist nicht richtig geschlossen (ein Anführungszeichen "
                       "fehlt oder ein Anführungszeichen im Text ist nicht als \\\" geschrieben).")
        else:
            message = ("Diese Zeile ist kein gültiger PO-Eintrag (erwartet: msgctxt, msgid, msgstr oder "
                       "ein Text in Anführungszeichen).")
        problems.append(f"{shown}, Zeile {number}{entry}: {message} Bitte die Zeile korrigieren oder die "
                        "Datei in Poedit öffnen und speichern; nichts übernommen.")
        if len(problems) >= 20:
            problems.append(f"{shown}: … weitere fehlerhafte Zeilen nicht aufgeführt.")
            break
    return problems


def _entry_at(text_before: str) -> str:
    contexts = re.findall(r'^msgctxt\s+"((?:[^"\\]|\\.)*)"', text_before, re.MULTILINE)
    return f" (Eintrag „{contexts[-1]}“)" if contexts else ""


def import_po(data: ConceptData, po: polib.POFile, lang: str, data_dir: Path, root: Path | None = None,
              languages: list[str] | None = None, write: bool = True) -> ImportReport:
    """Write the finished entries of ``po`` into ``data/translations/<lang>.yml``: all or nothing.

    Fuzzy and empty entries are skipped. An entry whose German text no longer matches the data is
    refused: it was translated from an older German text. So are entries that appear twice, texts
    with control characters, and a result the build would refuse. When anything is refused, nothing
    is written; nothing is written either when nothing changed, or when ``write`` is false (then
    ``report.texts`` holds the new file for the caller to write with others).
    """
    by_context = {entry.context: entry for entry in entries(data)}
    report = ImportReport()
    updates: list[tuple[tuple, str, str]] = []
    seen: dict[str, int] = {}
    for item in po:
        if item.obsolete:
            report.skipped += 1
            continue
        context = item.msgctxt or ""
        if context in seen:
            report.refused.append(
                f"{context}: Der Eintrag steht doppelt in der PO-Datei (Zeile {item.linenum}, zuerst in Zeile "
                f"{seen[context]}). Bitte einen der beiden löschen; es wird keiner übernommen.")
            continue
        seen[context] = item.linenum
        if not item.msgstr.strip() or "fuzzy" in item.flags:
            report.skipped += 1
            continue
        entry = by_context.get(context)
        if entry is None:
            name = item.msgctxt if item.msgctxt is not None else (
                f"(ohne msgctxt, msgid „{item.msgid[:40]}“)")
            report.refused.append(f"{name}: Diesen Eintrag gibt es in den Daten nicht (mehr).")
            continue
        if item.msgid != entry.text.de:
            report.refused.append(
                f"{item.msgctxt}: Der deutsche Text hat sich geändert ({entry.text.file}:"
                f"{entry.text.line}). Bitte eine neue PO-Datei exportieren und neu übersetzen.")
            continue
        control = control_character(item.msgstr)
        if control:
            report.refused.append(
                f"{item.msgctxt} (Zeile {item.linenum}): Die Übersetzung enthält ein unsichtbares Steuerzeichen "
                f"({control}), meist beim Kopieren aus einem anderen Programm entstanden. Bitte den Text "
                "neu tippen.")
            continue
        translation = entry.text.translations.get(lang)
        new_text, new_source = item.msgstr.strip(), fingerprint(item.msgid)
        if translation and (translation.text, translation.source, translation.machine) == \
                (new_text, new_source, False):
            continue
        updates.append((entry.path, new_text, new_source))
        old = f"„{translation.text}“" if translation else "(fehlte)"
        report.changed.append(f"{item.msgctxt}: {old} → „{new_text}“")
    if report.refused or not updates:
        return report
    path = data_dir / TRANSLATIONS / f"{lang}.yml"
    report.texts = {path: translations_text(path, updates)}
    root = root or data_dir.parent
    problems = check_changed(report.texts, data_dir, root, languages or [lang])
    if problems:
        report.refused += [f"Die übersetzte Datei würde der Build ablehnen: {problem}" for problem in problems]
        report.texts = {}
        return report
    if write:
        write_texts(report.texts)
    return report


@dataclass(frozen=True)
class Stamped:
    """A translation that :func:`stamp` marked as made from the current German text."""

    context: str
    where: str
    """File and line of the translation, e.g. ``data/translations/en.yml:16``."""
    state: str
    """Its state before stamping: ``unchecked`` or ``outdated``."""


def stamp(data: ConceptData, lang: str, data_dir: Path, only: list[str] | None = None) -> list[Stamped]:
    """Mark translations of ``lang`` as made from the current German text, and say which.

    Stamped are the translations that are unchecked (no ``source:``) or outdated (the German text
    changed since their stamp), or, with ``only``, just those of the named contexts. Machine
    translations keep their ``machine: true``: a stamp records the source, not a review.
    """
    wanted = set(only or [])
    updates, stamped = [], []
    for entry in entries(data):
        translation = entry.text.translations.get(lang)
        if translation is None or (wanted and entry.context not in wanted):
            continue
        if translation.source == entry.text.fingerprint:
            continue
        state = OUTDATED if translation.source is not None else UNCHECKED
        updates.append((entry.path, translation.text, entry.text.fingerprint))
        stamped.append(Stamped(entry.context, f"{translation.file}:{translation.line}", state))
    if updates:
        write_translations(data_dir / TRANSLATIONS / f"{lang}.yml", updates, keep_machine=True)
    return stamped


def unknown_contexts(data: ConceptData, contexts: list[str]) -> list[str]:
    """The contexts in ``contexts`` that name no translatable text."""
    known = {entry.context for entry in entries(data)}
    return [context for context in contexts if context not in known]


def write_translations(path: Path, updates: list[tuple[tuple, str, str]], keep_machine: bool = False) -> None:
    """Set ``{text, source}`` at each path of a translation file, keeping everything else as it is."""
    write_texts({path: translations_text(path, updates, keep_machine)})


def translations_text(path: Path, updates: list[tuple[tuple, str, str]], keep_machine: bool = False) -> str:
    """The new content of a translation file with ``{text, source}`` set at each path."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = round_trip_yaml()
    document = yaml.load(path.read_text(encoding="utf-8")) if path.is_file() else None
    document = document if document is not None else CommentedMap()
    for target, text, source in updates:
        node = document
        for key, following in zip(target[:-1], target[1:]):
            node = _child(node, key, CommentedSeq() if isinstance(following, int) else CommentedMap())
        last = target[-1]
        current = _get(node, last)
        machine = keep_machine and isinstance(current, dict) and current.get("machine") is True
        value = CommentedMap()
        value["text"] = folded(text) if "\n" in text or len(text) > 90 else text
        value["source"] = source
        if machine:
            value["machine"] = True
        _put(node, last, value)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def _child(node: Any, key: Any, empty: Any) -> Any:
    current = _get(node, key)
    if current is None:
        _put(node, key, empty)
        return empty
    return current


def _get(node: Any, key: Any) -> Any:
    if isinstance(key, int):
        return node[key] if key < len(node) else None
    return node.get(key)


def _put(node: Any, key: Any, value: Any) -> None:
    if isinstance(key, int):
        while len(node) <= key:
            node.append(None)
    node[key] = value


def _context(path: tuple) -> str:
    return "/".join(str(part) for part in path)


def _record_title(record: Any) -> str:
    for name in ("title", "name", "term", "label", "text"):
        value = getattr(record, name, None)
        if isinstance(value, Text):
            return value.de if len(value.de) <= 60 else value.de[:57] + "…"
    return getattr(record, "id", "")

