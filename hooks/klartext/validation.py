"""Data folder -> validated :class:`ConceptData`, or every problem at once.

Staff read these messages: they are German, name file and line and say what to do.
"""

from __future__ import annotations

import difflib
import os
import re
import typing
from pathlib import Path
from typing import Any, Iterator

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ValidationError

from klartext import relations, upgrades
from klartext.charts import is_percent_unit
from klartext.concept import ConceptData, Where
from klartext.loading import MAX_BYTES, Document, load_document
from klartext.model import COLLECTIONS, LIMIT, MAX_ID, DataFile, Provenance
from klartext.problems import DataError, Problem, relative
from klartext.terms import TERM_NAMES, TERMS, CityTerms, describe, used_forms
from klartext.text import MAX_TEXT, Name, Text, Translation, scalar_text

TRANSLATIONS = "translations"
"""Folder inside the data folder with one ``<lang>.yml`` per language."""
REPORTS = "reports"
"""Folder inside the data folder with the status reports (snapshots, :mod:`klartext.reports`)."""

_NAMES = {
    "projects": "Projekt", "field_states": "Arbeitsstand (field_states)",
    "measure_states": "Umsetzungsstand (measure_states)", "funding_states": "Finanzierungsstand (funding_states)",
    "actor_kinds": "Art von Akteur (actor_kinds)", "event_kinds": "Art von Termin (event_kinds)",
    "fields": "Handlungsfeld", "goals": "Ziel", "indicators": "Indikator", "measures": "Maßnahme",
    "actors": "Akteur (Organisation)", "events": "Termin", "glossary": "Glossar-Begriff", "facts": "Fakt",
    "figures": "Abbildung", "documents": "Dokument (documents)",
    "terminology": "Eintrag der Begriffsliste (terminology)",
    "decision_states": "Entscheidungsstand (decision_states)", "recommendations": "Empfehlung",  # 16rec
}

_REFERENCES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "fields": [(("project",), "projects"), (("state",), "field_states"),
               (("working_group", "members", "*"), "actors")],
    "goals": [(("field",), "fields")],
    "indicators": [(("goal",), "goals"), (("owner",), "actors"), (("measures", "*"), "measures")],
    "measures": [(("field",), "fields"), (("goals", "*"), "goals"), (("state",), "measure_states"),
                 (("responsible",), "actors"), (("partners", "*"), "actors"),
                 (("budget", "funding"), "funding_states"), (("updates", "*", "state"), "measure_states"),
                 # 16ctx
                 (("further_fields", "*"), "fields"), (("depends_on", "*"), "measures"),
                 (("related", "*"), "measures"), (("replaces", "*"), "measures"), (("parent",), "measures")],
    "actors": [(("kind",), "actor_kinds")],
    "events": [(("kind",), "event_kinds"), (("fields", "*"), "fields")],
    "facts": [(("field",), "fields")],
}
"""For each collection: where its references sit and which collection they point into."""
_REFERENCES["recommendations"] = [(("fields", "*"), "fields"), (("decision", "state"), "decision_states"),
                                  (("decision", "document"), "documents")]  # 16rec
_REFERENCES["measures"] = [*_REFERENCES["measures"], (("implements", "*"), "recommendations")]  # 16rec


def load_concept(data_dir: Path, languages: list[str], root: Path | None = None,
                 docs_dir: Path | None = None) -> tuple[ConceptData, list[Problem]]:
    """Load and check the whole data folder.

    Every independent problem is found in one pass: a wrong value sets aside only the record it is in
    (see :func:`_validate_file`), the rest of its file loads; the checks across records, the
    translations and the term checks run on the records that passed; a reference to a record that
    failed is not reported again as unknown. The :class:`DataError` carries those records as
    ``partial`` (with ``broken`` set) so that callers run the data-quality rules on them too
    (:func:`rule_errors`).

    A new collection takes part without extra work: its items are records (set aside one by one), and
    its references, listed in :data:`_REFERENCES`, are checked with the records that failed in mind.

    Args:
        data_dir: The folder with the concept's YAML files.
        languages: Configured language variants besides German (e.g. ``["en", "ar", "ls"]``).
        root: Folder that file names in messages are relative to.
        docs_dir: The site's docs/ folder; when given, files the data names (logo, sign language
            video) must exist there.

    Returns:
        The concept and the warnings found.

    Raises:
        DataError: With every error found, when there is at least one.
    """
    root = root or data_dir.parent
    problems: list[Problem] = []
    unreadable: list[str] = []  # the text of each data file that cannot be parsed
    documents = _load_folder(data_dir, root, problems, unreadable)
    merged: dict[str, list[tuple[Any, Document, tuple]]] = {name: [] for name in COLLECTIONS}
    broken: dict[str, list[tuple[Any, Document, tuple]]] = {name: [] for name in COLLECTIONS}
    concepts: list[tuple[Any, Document]] = []
    # a „concept:“ section that failed (or sits in a file that cannot be parsed) is not missing
    concept_failed = any(_CONCEPT_LINE.search(text) for text in unreadable)
    for document in documents:
        parsed, positions = _validate_file(document, problems, broken)
        written = isinstance(document.data, dict) and document.data.get("concept") is not None
        concept_failed = concept_failed or written and (parsed is None or parsed.concept is None)
        if parsed is None:
            continue
        if parsed.concept is not None:
            concepts.append((parsed.concept, document))
        for name in COLLECTIONS:
            for position, record in zip(positions.get(name, ()), getattr(parsed, name)):
                merged[name].append((record, document, (name, position)))
    if not concepts and not concept_failed:
        problems.append(Problem(relative(data_dir, root), 0,
                                "Der Abschnitt „concept:“ (Titel, Stadt, Stand, Kontakt) fehlt in allen "
                                "Dateien. Bitte in data/concept.yml ergänzen."))
    for _, document in concepts[1:]:
        problems.append(Problem(document.file, document.line(("concept",)),
                                f"Der Abschnitt „concept:“ steht mehrfach (zuerst in {concepts[0][1].file}). "
                                "Bitte nur einmal angeben."))
    # ids written in a file that cannot be parsed may belong to any collection
    written_ids = {found for text in unreadable for found in _ID_LINE.findall(text)}
    broken_ids = {name: {entry[0] for entry in entries} | written_ids for name, entries in broken.items()}
    _check_unique(merged, broken, documents, problems)
    _check_reserved(merged, problems)
    _check_references(merged, broken_ids, problems)
    _check_rules(merged, problems)
    problems += _recommendation_problems(merged, broken_ids)  # 16rec
    _check_provenance(merged, concepts[:1], broken_ids, problems)
    _check_languages(merged, problems)
    if docs_dir is not None and concepts:
        _check_assets(*concepts[0], docs_dir, problems)
    if docs_dir is not None:
        _check_pictograms(merged, docs_dir, problems)
    from klartext.reports import load_reports  # 16rep: status reports, checked in the same pass

    reports = load_reports(data_dir, root, problems)
    failed = any(problem.severity == "error" for problem in problems)
    if not concepts:  # nothing later checks can run on
        raise DataError(problems)
    # the records that passed validation: the later checks run on them even when others failed
    where = {id(record): Where(document.file, document.line(path))
             for records in merged.values() for record, document, path in records}
    _locate_texts(concepts[0], merged)
    data = ConceptData(
        concept=concepts[0][0], where=where,
        **{name: [record for record, _, _ in records] for name, records in merged.items()},
    )
    data.reports = reports
    data.broken = {name: ids for name, ids in broken_ids.items() if ids}
    data.referred_by_broken = _referred_by(broken) | ({("*", "*")} if unreadable else set())
    data.placeholders = [(Where(document.file, document.line(path)), value)
                         for document in documents for path, value in _placeholders(document.data, ())]
    data.concept._city_terms = _city_terms(*concepts[0])
    translation_problems = _attach_translations(data, data_dir / TRANSLATIONS, languages, root)
    translation_problems += _check_terms(data.concept.city_terms, languages, relative(data_dir, root))
    translation_problems += _check_terminology(data, languages, root, docs_dir)
    if failed or any(problem.severity == "error" for problem in translation_problems):
        raise DataError(problems + translation_problems, partial=data)
    warnings = [problem for problem in problems if problem.severity != "error"]
    return data, warnings + translation_problems


def rule_errors(error: DataError, rules: typing.Callable[[ConceptData], list[Problem]]) -> list[Problem]:
    """The errors of later checks (the data-quality rules), run on the records of a concept that failed
    validation in part, so that one run reports every independent problem. Their hints wait for data
    that loads; settings that cannot be read with the records at hand are checked then too."""
    from klartext.controlling import SettingsError

    if error.partial is None:
        return []
    try:
        found = rules(error.partial)
    except SettingsError:  # e.g. a done state whose entry failed validation
        return []
    return [problem for problem in found if problem.severity == "error"]


PLACEHOLDER = re.compile(r"\[Bitte ausfüllen[^\]]*\]?|(?:@|://|tag:)(?:[\w-]+\.)*[\w-]+\.example(?![\w.-])")
"""What ``klartext neu`` writes where only the city can give the answer: a bracketed request
(„[Bitte ausfüllen: Anschrift]“) or an address in the reserved top-level domain ``.example`` (RFC 2606)."""


def _placeholders(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        found = PLACEHOLDER.search(value)
        if found:
            yield path, found.group(0) if found.group(0).startswith("[") else value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, (*path, key))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _placeholders(item, (*path, position))


def _check_assets(concept: Any, document: Document, docs_dir: Path, problems: list[Problem]) -> None:
    """Files named in the data (logo, DGS video, its subtitles and poster) must be in docs/."""
    video = concept.sign_language_video
    named = [(("concept", "logo"), concept.logo)]
    if video is not None:
        named += [(("concept", "sign_language_video", key), getattr(video, key))
                  for key in ("file", "captions", "poster")]
    docs = docs_dir.resolve()
    for path, name in named:
        inside = name and ":" not in name and (docs / name).resolve().is_relative_to(docs)
        if name and not (inside and (docs / name).is_file()):
            problems.append(Problem(
                document.file, document.line(path),
                f"Die Datei „{name}“ (in „{path[-1]}“) gibt es nicht im Ordner docs/. Bitte die Datei "
                "dort ablegen oder den Namen prüfen (Groß- und Kleinschreibung zählt)."))


def _check_pictograms(merged: dict, docs_dir: Path, problems: list[Problem]) -> None:
    """A field's pictogram must be a built-in one or an image file in docs/."""
    from klartext import pictograms

    for record, document, path in merged.get("fields", []):
        if record.pictogram:
            message = pictograms.problem(record.pictogram, docs_dir)
            if message:
                problems.append(Problem(document.file, document.line((*path, "pictogram")), message))


def _locate_texts(concept: tuple[Any, Document], merged: dict) -> None:
    """Remember file and line of every German text (for reports and translators)."""
    located = [(concept[0], concept[1], ("concept",))]
    located += [entry for records in merged.values() for entry in records]
    for record, document, path in located:
        for text_path, text in iter_texts(record):
            text.file, text.line = document.file, document.line((*path, *text_path))


# ---------------------------------------------------------------------------------------------
# load and validate single files


def _load_folder(data_dir: Path, root: Path, problems: list[Problem],
                 unreadable: list[str]) -> list[Document]:
    """The data files that parse; for the others, their problems and in ``unreadable`` their text (the
    ids written there are then not reported as unknown where other files name them)."""
    if not data_dir.is_dir():
        raise DataError([Problem(relative(data_dir, root), 0, "Der Datenordner fehlt.")])
    documents = []
    for path in _entries(data_dir, root, problems):
        if path.relative_to(data_dir).parts[:1] in ((TRANSLATIONS,), (REPORTS,)):
            continue  # translations and status reports (16rep) are read on their own
        if path.suffix == ".yaml":
            problems.append(Problem(relative(path, root), 0,
                                    "Datendateien müssen auf „.yml“ enden. Bitte umbenennen."))
        if path.suffix != ".yml":
            continue
        document, found = load_document(path, relative(path, root))
        problems += found
        if document is not None:
            documents.append(document)
        elif found:
            unreadable.append(_text(path))
    return documents


_ID_LINE = re.compile(r"""^[ \t-]*id:[ \t]*["']?([^\s"'#,}]+)""", re.MULTILINE)
"""An ``id: …`` line, read in a file that cannot be parsed."""
_CONCEPT_LINE = re.compile(r"^concept:", re.MULTILINE)


def _text(path: Path) -> str:
    """The text of a file that cannot be parsed, as far as it can be read."""
    try:
        return path.read_bytes().decode("utf-8", "replace") if path.stat().st_size <= MAX_BYTES else ""
    except OSError:
        return ""


def _entries(data_dir: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """The regular files below ``data_dir``; every other entry that looks like data is a problem.

    A symbolic link (it may point outside the project, and its target would be published), a folder
    named like a data file (its section would silently vanish) and special files (a pipe would hang
    the build) are refused. Links are never followed into other folders.
    """
    found = []
    for folder, subfolders, files in os.walk(data_dir):
        here = Path(folder)
        for name in sorted(subfolders):
            path = here / name
            if path.is_symlink():
                problems.append(_entry_problem(path, root, "ist eine Verknüpfung (symbolischer Link) auf "
                                               "einen anderen Ordner"))
            elif name.endswith((".yml", ".yaml")):
                problems.append(_entry_problem(path, root, "ist ein Ordner, keine Datei"))
        subfolders[:] = sorted(name for name in subfolders if not (here / name).is_symlink())
        for name in sorted(files):
            path = here / name
            if not name.endswith((".yml", ".yaml")):
                continue
            if path.is_symlink():
                problems.append(_entry_problem(path, root, "ist eine Verknüpfung (symbolischer Link), "
                                               "keine eigene Datei"))
            elif not path.is_file():
                problems.append(_entry_problem(path, root, "ist keine gewöhnliche Datei"))
            else:
                found.append(path)
    return sorted(found)


def _entry_problem(path: Path, root: Path, what: str) -> Problem:
    absolute, base = path.absolute(), root.absolute()  # not resolved: name the link, not its target
    shown = (absolute.relative_to(base) if absolute.is_relative_to(base) else absolute).as_posix()
    return Problem(shown, 0,
                   f"Dieser Eintrag {what}. Im Datenordner sind nur gewöhnliche .yml-Dateien erlaubt, die dort "
                   "selbst liegen: bitte den Inhalt als Datei hineinkopieren oder den Eintrag entfernen.")


def _validate_file(document: Document, problems: list[Problem],
                   broken: dict[str, list[tuple[Any, Document, tuple]]]) -> tuple[DataFile | None, dict]:
    """Validate one file record by record: a wrong value sets aside only the record it is in (an item
    of a collection, or the ``concept:`` section), and a section that is not a list of records only that
    section; the rest of the file loads. Returns the file's valid part and, per collection, the position
    in the file of each of its records (for lines); the records set aside go to ``broken`` as
    ``(id or None, document, (collection, position))``."""
    if not isinstance(document.data, dict):
        problems.append(Problem(document.file, 1, "Die Datei muss aus Abschnitten wie „measures:“ "
                                "oder „fields:“ bestehen (Schlüssel am Zeilenanfang)."))
        return None, {}
    data = dict(document.data)  # the document is shared (parsed once per content): never changed here
    positions = {name: list(range(len(items))) for name, items in data.items() if isinstance(items, list)}
    reported: set[Problem] = set()
    for _ in range(3):  # setting records aside cannot cause new errors; the bound is a safeguard
        try:
            return DataFile.model_validate(data), positions
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        records: dict[str, set[int]] = {}  # section -> positions in the file of the records set aside
        sections: set[str] = set()  # sections set aside as a whole
        for error in errors:
            loc = list(error["loc"])
            if not loc:  # a rule about the file as a whole
                sections |= set(data)
            elif len(loc) > 1 and isinstance(loc[1], int) and loc[0] in positions:
                loc[1] = positions[loc[0]][loc[1]]  # back to the position in the file
                records.setdefault(loc[0], set()).add(loc[1])
            else:
                sections.add(loc[0])
            loc = tuple(loc)
            problem = Problem(document.file, document.line(loc), _message(error, loc))
            if problem not in reported:
                reported.add(problem)
                problems.append(problem)
        for name in sections:
            original = data.pop(name, None)
            records[name] = set(positions.get(name, ())) if isinstance(original, list) else set()
        for name, aside in records.items():
            original = document.data[name]
            if name in broken:  # known by id: references to them are not reported as unknown
                broken[name] += [(_raw_id(original[position]), document, (name, position))
                                 for position in sorted(aside)]
            if name in data:
                positions[name] = [position for position in positions[name] if position not in aside]
                data[name] = [original[position] for position in positions[name]]
    return None, {}


def _raw_id(item: Any) -> str | None:
    """The id a record that failed validation was given (its references are then not unknown)."""
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) and value else None


def _referred_by(broken: dict[str, list[tuple[Any, Document, tuple]]]) -> set[tuple[str, str]]:
    """``(collection, id)`` of every record that a record which failed validation refers to."""
    found = set()
    for name, entries in broken.items():
        for _, document, path in entries:
            raw = document.data[path[0]][path[1]]
            for ref_path, target in _REFERENCES.get(name, []):
                found |= {(target, value) for value in _raw_values(raw, ref_path) if isinstance(value, str)}
    return found


def _raw_values(obj: Any, ref_path: tuple[str, ...]) -> Iterator[Any]:
    if not ref_path:
        yield obj
    elif ref_path[0] == "*":
        for item in obj if isinstance(obj, list) else [obj]:
            yield from _raw_values(item, ref_path[1:])
    elif isinstance(obj, dict) and ref_path[0] in obj:
        yield from _raw_values(obj[ref_path[0]], ref_path[1:])


def _message(error: dict, loc: tuple) -> str:
    """A German message for one pydantic error."""
    kind = error["type"]
    key = next((part for part in reversed(loc) if isinstance(part, str)), "")
    value = error.get("input")
    shown = scalar_text(value) if isinstance(value, (str, int, float)) else ""
    ctx = error.get("ctx") or {}
    if kind == "kt_message":  # a German message written in the model itself
        return error["msg"]
    if kind == "missing":
        return f"Die Angabe „{key}“ fehlt. Bitte ergänzen."
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        entry = upgrades.renamed(model.__name__, key) if model is not None else None
        if entry is not None:  # a key an engine upgrade renamed or removed
            return upgrades.renamed_message(entry)
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f" Meinten Sie „{close[0]}“?" if close else ""
        return (f"Unbekannter Schlüssel „{key}“.{hint} Erlaubt sind hier: {', '.join(allowed)}.")
    if kind == "kt_text":
        return f"„{key}“ muss ein Text sein. Bitte Text hinter den Doppelpunkt schreiben."
    if kind == "kt_text_empty":
        return (f"Der deutsche Text für „{key}“ ist leer. Bitte Text eintragen oder, wenn die "
                "Angabe freiwillig ist, die ganze Zeile löschen.")
    if kind == "kt_text_too_long":
        return (f"Der Text für „{key}“ ist mit {ctx.get('length', 0):,} Zeichen zu lang: höchstens "
                f"{MAX_TEXT:,} Zeichen passen in eine Zelle der Tabellen-Ausgabe. Bitte kürzen oder auf "
                "mehrere Angaben verteilen.").replace(",", ".")
    if kind == "string_too_long" and key == "number":  # 16rec: a recommendation's number
        return (f"Die Nummer „{shown[:40]}…“ ist mit {len(shown)} Zeichen zu lang (höchstens "
                f"{ctx.get('max_length')}). Bitte nur die Nummer wie in der Quelle angeben, z. B. „HE 5“.")
    if kind == "string_too_long":
        return (f"Die Kennung „{shown[:40]}…“ in „{key}“ ist mit {len(shown)} Zeichen zu lang "
                f"(höchstens {MAX_ID}): sie wird Teil von Datei- und Seitennamen. Bitte kürzer fassen.")
    if kind == "finite_number":
        return (f"„{shown}“ ist keine Zahl, mit der gerechnet werden kann („{key}“). Bitte eine Zahl "
                "eintragen oder die Angabe löschen, wenn sie nicht bekannt ist.")
    if kind in ("less_than", "greater_than") and abs(ctx.get("lt", ctx.get("gt", 0))) == LIMIT:
        return (f"„{key}“ ist mit {shown} zu groß. Zahlen müssen kleiner als eine Billiarde (10^15) "
                "sein. Bitte die Zahl prüfen (ohne Tausenderpunkte, mit Punkt als Dezimalzeichen).")
    if kind == "kt_date_format":
        return (f"„{shown}“ ist kein gültiges Datum für „{key}“. Bitte als JJJJ-MM-TT (z. B. "
                "2024-03-15), JJJJ-MM (2024-03) oder JJJJ (2024) schreiben.")
    if kind == "kt_date_impossible":
        return f"Das Datum „{shown}“ in „{key}“ gibt es nicht. Bitte Tag und Monat prüfen."
    if kind == "string_pattern_mismatch":
        return _pattern_message(key, shown, ctx.get("pattern", ""))
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"„{key}“ muss eine ganze Zahl sein, nicht „{shown}“."
    if kind in ("float_type", "float_parsing"):
        return (f"„{key}“ muss eine Zahl sein, nicht „{shown}“. Bitte ohne Einheit, ohne "
                "Tausenderpunkt und mit Punkt als Dezimalzeichen schreiben (z. B. 33000 oder 12.5).")
    if kind in ("bool_type", "bool_parsing"):
        return f"„{key}“ muss true (ja) oder false (nein) sein, nicht „{shown}“."
    if kind == "list_type":
        return f"„{key}“ muss eine Liste sein: jeden Eintrag in eine eigene Zeile mit „- “ davor."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"„{key}“ muss ein Abschnitt mit eingerückten Angaben sein (Schlüssel: Wert)."
    if kind in ("string_type",):
        return f"„{key}“ muss ein Text sein, nicht „{shown}“."
    if kind == "literal_error":  # pydantic lists the choices as "'a', 'b' or 'c'"
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        allowed = ", ".join(f"„{choice}“" for choice in choices)
        return f"„{shown}“ ist für „{key}“ nicht erlaubt. Erlaubt sind: {allowed}."
    if kind == "invalid_key":  # {value: 14,5} is {value: 14, 5: null}: the comma separates entries
        return (f"In „{key}“ steht „{shown}“ als Angabe ohne Namen, meist der Rest einer Zahl mit "
                "Dezimalkomma: zwischen geschweiften Klammern {…} trennt das Komma die Angaben. Bitte "
                "Dezimalzahlen mit Punkt schreiben (z. B. 14.5).")
    if kind == "greater_than":
        return f"„{key}“ muss größer als {ctx.get('gt'):g} sein (angegeben: {shown})."
    if kind == "greater_than_equal":
        return f"„{key}“ darf nicht kleiner als {ctx.get('ge', ctx.get('gt')):g} sein (angegeben: {shown})."
    if kind in ("less_than_equal", "less_than"):
        return f"„{key}“ darf nicht größer als {ctx.get('le', ctx.get('lt')):g} sein (angegeben: {shown})."
    return f"Ungültiger Wert für „{key}“ ({error.get('msg')}). Bitte prüfen."


def _pattern_message(key: str, shown: Any, pattern: str) -> str:
    if pattern.startswith("^https?"):
        return f"„{shown}“ ist keine gültige Webadresse für „{key}“. Bitte mit https:// beginnen."
    if "@" in pattern:
        return f"„{shown}“ ist keine gültige E-Mail-Adresse."
    if pattern.startswith("^[^<>{}"):  # 16rec: a recommendation's number
        return (f"Die Nummer „{shown}“ darf keine Zeichen < > {{ }} und keinen Zeilenumbruch enthalten. "
                "Bitte so schreiben wie in der Quelle, z. B. „HE 5“.")
    if pattern == "^[a-z]{2,3}$":
        return f"„{shown}“ ist kein Sprachcode. Bitte Kürzel wie de, en, ar, tr, uk oder ru verwenden."
    return (f"Die Kennung „{shown}“ in „{key}“ darf nur Kleinbuchstaben (a–z, ohne Umlaute), "
            "Ziffern und einzelne Bindestriche enthalten, z. B. „sprachkurse-kita“.")


def _allowed_keys(loc: tuple) -> list[str]:
    """Keys allowed at ``loc`` by the schema, for typo hints."""
    model = _model_at(loc)
    return list(model.model_fields) if model is not None else []


def _model_at(loc: tuple) -> Any:
    """The model whose keys stand at ``loc`` (None when there is none)."""
    model: Any = DataFile
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if _is_model(model) else None
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model if _is_model(model) else None


def _inner_model(annotation: Any) -> Any:
    for arg in (annotation, *_args(annotation)):
        if _is_model(arg):
            return arg
    return None


def _args(annotation: Any) -> Iterator[Any]:
    for arg in typing.get_args(annotation):
        yield arg
        yield from _args(arg)


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


# ---------------------------------------------------------------------------------------------
# checks across records


_RESERVED = {"measures": ("index", "massnahmen/index.html", "die Übersicht aller Maßnahmen"),
             "fields": ("index", "handlungsfelder/index.html", "die Übersicht der Handlungsfelder"),
             "recommendations": ("index", "empfehlungen/index.html", "die Übersicht der Empfehlungen")}  # 16rec
"""Ids that would give a record's page the name of a generated page: (id, page, what the page is)."""


def _check_reserved(merged: dict, problems: list[Problem]) -> None:
    for name, (reserved, page, what) in _RESERVED.items():
        for record, document, path in merged[name]:
            if record.id == reserved:
                problems.append(Problem(
                    document.file, document.line((*path, "id")),
                    f"Die Kennung „{record.id}“ ist vergeben: unter {page} steht {what}, die Seite dieser "
                    f"{_NAMES[name]} würde sie ersetzen. Bitte eine andere Kennung wählen."))


def _check_unique(merged: dict, broken: dict, documents: list[Document], problems: list[Problem]) -> None:
    order = {id(document): number for number, document in enumerate(documents)}
    for name, records in merged.items():
        # records that failed validation take part with the id they were given: a second record
        # with that id is a problem of its own, reported now rather than after the first is fixed
        entries = [(record.id, document, path) for record, document, path in records]
        entries += [entry for entry in broken.get(name, []) if entry[0] is not None]
        entries.sort(key=lambda entry: (order[id(entry[1])], entry[2][1]))
        first: dict[str, tuple[Document, tuple]] = {}
        for record_id, document, path in entries:
            if record_id in first:
                other_doc, other_path = first[record_id]
                problems.append(Problem(
                    document.file, document.line((*path, "id")),
                    f"Die Kennung „{record_id}“ gibt es doppelt ({_NAMES[name]}, zuerst in "
                    f"{other_doc.file}:{other_doc.line((*other_path, 'id'))}). Jede Kennung darf "
                    "nur einmal vorkommen: bitte eine umbenennen.",
                ))
            else:
                first[record_id] = (document, path)
    numbers: dict[int, str] = {}
    for record, document, path in merged["fields"]:
        if record.number in numbers:
            problems.append(Problem(document.file, document.line((*path, "number")),
                                    f"Die Nummer {record.number} hat schon das Handlungsfeld "
                                    f"„{numbers[record.number]}“. Bitte eine freie Nummer wählen."))
        numbers.setdefault(record.number, record.id)


def _check_references(merged: dict, broken: dict[str, set[str]], problems: list[Problem]) -> None:
    """Every reference names a record of its collection. A reference to a record that exists but
    failed validation is not reported again: its own message says what to fix."""
    known = {name: [record.id for record, _, _ in records] for name, records in merged.items()}
    for name, references in _REFERENCES.items():
        for record, document, path in merged[name]:
            for ref_path, target in references:
                for value, where in _values_at(record, ref_path, ()):
                    if value is None or value in known[target] or value in broken.get(target, ()):
                        continue
                    close = difflib.get_close_matches(value, known[target], n=1)
                    hint = (f" Meinten Sie „{close[0]}“?" if close else
                            f" Vorhanden sind: {', '.join(known[target][:12]) or 'keine'}.")
                    problems.append(Problem(
                        document.file, document.line((*path, *where)),
                        f"„{value}“ ist keine bekannte Kennung für {_NAMES[target]} "
                        f"(in „{ref_path[0]}“ von „{record.id}“).{hint}",
                    ))


def _values_at(obj: Any, ref_path: tuple[str, ...], where: tuple) -> Iterator[tuple[Any, tuple]]:
    if not ref_path:
        yield obj, where
        return
    head, rest = ref_path[0], ref_path[1:]
    if head == "*":
        for position, item in enumerate(obj or []):
            yield from _values_at(item, rest, (*where, position))
    elif obj is not None:
        yield from _values_at(getattr(obj, head), rest, (*where, head))


def _check_rules(merged: dict, problems: list[Problem]) -> None:
    for measure, document, path in merged["measures"]:
        if not measure.goals:
            problems.append(Problem(
                document.file, document.line(path),
                f"Die Maßnahme „{measure.id}“ dient keinem Ziel. Jede Maßnahme muss unter „goals:“ "
                "mindestens ein Ziel nennen, dem sie dient (Kennungen aus „goals:“).",
            ))
        schedule = measure.schedule
        if schedule and schedule.start and schedule.end and schedule.end.last_day < schedule.start.first_day:
            problems.append(_end_before_start(document, (*path, "schedule", "end"), schedule.start, schedule.end))
    relations.check_measures(merged, problems)  # 16ctx
    for figure, document, path in merged["figures"]:
        problems += _figure_problems(figure, document, path)
    for event, document, path in merged["events"]:
        if event.end and event.end.last_day < event.date.first_day:
            problems.append(_end_before_start(document, (*path, "end"), event.date, event.end))


def _check_provenance(merged: dict, concepts: list[tuple[Any, Document]], broken: dict[str, set[str]],
                      problems: list[Problem]) -> None:
    """Every ``provenance`` names a listed document, a page inside it and, for a quotation or
    derivation, a document at all."""
    documents = {record.id: record for record, _, _ in merged["documents"]}
    places = [(record, document, path) for records in merged.values() for record, document, path in records]
    places += [(concept, document, ("concept",)) for concept, document in concepts]
    for record, document, path in places:
        for source, where in _provenances(record, path):
            line = document.line(where)
            if source.document is None:
                if source.kind in ("zitiert", "abgeleitet"):
                    problems.append(Problem(
                        document.file, line,
                        f"Die Quellenangabe mit „kind: {source.kind}“ nennt kein Dokument. Bitte unter "
                        "„document:“ die Kennung des Dokuments aus „documents:“ angeben, oder „kind: annahme“ "
                        "bzw. „kind: platzhalter“ mit einer Frage an die Stadt („question:“) verwenden."))
                continue
            cited = documents.get(source.document)
            if cited is None and source.document in broken.get("documents", ()):
                continue  # the document's entry failed validation: its own message says what to fix
            if cited is None:
                close = difflib.get_close_matches(source.document, list(documents), n=1)
                hint = (f" Meinten Sie „{close[0]}“?" if close else
                        f" Vorhanden sind: {', '.join(list(documents)[:12]) or 'keine'}.")
                problems.append(Problem(
                    document.file, document.line((*where, "document")),
                    f"Das Dokument „{source.document}“ steht nicht in der Dokumentenliste („documents:“). "
                    f"Bitte die Kennung prüfen oder das Dokument dort anlegen.{hint}"))
            elif source.page is not None and cited.pages is not None and source.page > cited.pages:
                problems.append(Problem(
                    document.file, document.line((*where, "page")),
                    f"Seite {source.page} gibt es im Dokument „{cited.title.de}“ nicht: es hat "
                    f"{cited.pages} Seiten. Bitte die Seitenzahl prüfen."))


def _provenances(obj: Any, path: tuple) -> Iterator[tuple[Provenance, tuple]]:
    """Every provenance entry inside a record (also in updates, milestones, statements)."""
    if isinstance(obj, Provenance):
        yield obj, path
    elif isinstance(obj, list):
        for position, item in enumerate(obj):
            yield from _provenances(item, (*path, position))
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _provenances(getattr(obj, name), (*path, name))


def _figure_problems(figure: Any, document: Document, path: tuple) -> list[Problem]:
    found = []
    if figure.kind == "bar" and len(figure.series) != 1:
        found.append(Problem(document.file, document.line((*path, "series")),
                             f"Die Abbildung „{figure.id}“ ist ein Balkendiagramm (kind: bar) und braucht genau "
                             f"eine Zahlenreihe unter „series:“ (angegeben: {len(figure.series)}). Für mehrere "
                             "Reihen „kind: stacked-bar“ verwenden."))
    for position, series in enumerate(figure.series):
        if len(series.values) != len(figure.categories):
            found.append(Problem(document.file, document.line((*path, "series", position, "values")),
                                 f"Die Zahlenreihe „{series.label.de}“ der Abbildung „{figure.id}“ hat "
                                 f"{len(series.values)} Werte, aber es gibt {len(figure.categories)} Kategorien. "
                                 "Bitte für jede Kategorie unter „categories:“ genau einen Wert angeben."))
    if figure.category_n and len(figure.category_n) != len(figure.categories):
        found.append(Problem(document.file, document.line((*path, "category_n")),
                             f"Die Abbildung „{figure.id}“ hat {len(figure.category_n)} Werte unter „category_n:“, "
                             f"aber {len(figure.categories)} Kategorien. Bitte für jede Kategorie genau eine "
                             "Anzahl angeben."))
    found += _figure_kind_problems(figure, document, path)
    likert = figure.kind == "likert"  # one answer per person on a scale: never more than 100 in all
    if is_percent_unit(figure.unit) and figure.kind in ("stacked-bar", "likert", "cross-table") \
            and (likert or not figure.multiple_answers):
        for position, category in enumerate(figure.categories):
            total = sum(series.values[position] for series in figure.series if position < len(series.values))
            if total > 100.5:  # shares rounded to whole numbers may add up to 101
                advice = ("Bitte die Werte prüfen: auf einer Antwortskala gibt jede Person genau eine Antwort."
                          if likert else "Bitte die Werte prüfen, oder „multiple_answers: true“ angeben, wenn "
                          "mehrere Antworten möglich waren.")
                found.append(Problem(
                    document.file, document.line((*path, "categories", position)),
                    f"Die Anteile der Kategorie „{category.de}“ in der Abbildung „{figure.id}“ ergeben "
                    f"zusammen {total:g} Prozent, mehr als 100. {advice}"))
    return found


_SIDE_ORDER = {"negativ": 0, "neutral": 1, "positiv": 2}
"""Order of the answers of a Likert scale; „keine-angabe“ may stand anywhere (it is kept apart)."""

_KIND_NAMES = {"bar": "ein Balkendiagramm", "stacked-bar": "ein gestapeltes Balkendiagramm",
               "grouped-bar": "ein gruppiertes Balkendiagramm", "likert": "eine Likert-Abbildung",
               "cross-table": "eine Kreuztabelle"}


def _figure_kind_problems(figure: Any, document: Document, path: tuple) -> list[Problem]:
    """Rules of the kinds grouped-bar, likert and cross-table, and shares of at most 100 % each."""
    found = []
    where = (*path, "series")
    if figure.kind == "grouped-bar" and len(figure.series) < 2:
        found.append(Problem(document.file, document.line(where),
                             f"Die Abbildung „{figure.id}“ ist ein gruppiertes Balkendiagramm (kind: grouped-bar) "
                             f"und braucht mindestens zwei Zahlenreihen unter „series:“ (angegeben: "
                             f"{len(figure.series)}). Für eine Reihe „kind: bar“ verwenden."))
    if figure.kind == "likert":
        found += _likert_problems(figure, document, path)
    else:
        for position, series in enumerate(figure.series):
            if series.side is not None:
                found.append(Problem(document.file, document.line((*where, position, "side")),
                                     f"„side:“ gibt es nur in Likert-Abbildungen (kind: likert); die Abbildung "
                                     f"„{figure.id}“ ist {_KIND_NAMES[figure.kind]}. Bitte „side:“ entfernen "
                                     "oder „kind: likert“ angeben."))
    if is_percent_unit(figure.unit):
        for position, series in enumerate(figure.series):
            too_large = [value for value in series.values if value > 100]
            if too_large:
                found.append(Problem(document.file, document.line((*where, position, "values")),
                                     f"Die Zahlenreihe „{series.label.de}“ der Abbildung „{figure.id}“ enthält "
                                     f"den Anteil {too_large[0]:g} Prozent; ein Anteil ist höchstens 100 Prozent. "
                                     "Bitte den Wert prüfen (oder die Einheit, wenn es keine Anteile sind)."))
    return found


def _likert_problems(figure: Any, document: Document, path: tuple) -> list[Problem]:
    where = (*path, "series")
    missing = [series.label.de for series in figure.series if series.side is None]
    if missing:
        return [Problem(document.file, document.line(where),
                        f"Die Likert-Abbildung „{figure.id}“ braucht eine geordnete Antwortskala: bei jeder "
                        f"Zahlenreihe „side:“ (negativ, neutral, positiv oder keine-angabe), von der negativsten "
                        f"zur positivsten Antwort geordnet. Ohne „side:“: {', '.join(f'„{label}“' for label in missing)}.")]
    found = []
    if not is_percent_unit(figure.unit):
        found.append(Problem(document.file, document.line((*path, "unit") if figure.unit else path),
                             f"Die Likert-Abbildung „{figure.id}“ zeigt Anteile: bitte „unit: Prozent“ angeben "
                             "und die Werte in Prozent eintragen."))
    sides = [series.side for series in figure.series if series.side != "keine-angabe"]
    ordered = [_SIDE_ORDER[side] for side in sides]
    if "negativ" not in sides or "positiv" not in sides or sides.count("neutral") > 1 or ordered != sorted(ordered):
        listed = ", ".join(f"„{series.label.de}“ ({series.side})" for series in figure.series)
        found.append(Problem(document.file, document.line(where),
                             f"Die Antwortskala der Likert-Abbildung „{figure.id}“ ist nicht geordnet: zuerst die "
                             "negativen Antworten (side: negativ), dann höchstens eine neutrale Mitte (side: "
                             "neutral), dann die positiven (side: positiv); mindestens je eine negative und eine "
                             f"positive. Angegeben: {listed}."))
    return found


# 16rec
def _recommendation_problems(merged: dict, broken: dict[str, set[str]]) -> list[Problem]:
    """A recommendation names at least one field; a decided one has a date, a changed or rejected one a
    reason; an id in ``addressed_to`` is a known actor (or one set aside for its own error); numbers are
    unique; no list names an entry twice."""
    found = []
    actors = [record.id for record, _, _ in merged["actors"]]
    set_aside = broken.get("actors", set())
    states = {record.id: record for record, _, _ in merged["decision_states"]}
    numbers: dict[str, str] = {}
    lists = [(item, document, path, "fields") for item, document, path in merged["recommendations"]]
    lists += [(item, document, path, "implements") for item, document, path in merged["measures"]]
    for item, document, path, key in lists:
        for position, value in enumerate(getattr(item, key)):
            if value in getattr(item, key)[:position]:
                found.append(Problem(document.file, document.line((*path, key, position)),
                                     f"„{value}“ steht zweimal in „{key}“ von „{item.id}“. Bitte einen der "
                                     "beiden Einträge löschen."))
    for item, document, path in merged["recommendations"]:
        if not item.fields:
            found.append(Problem(document.file, document.line((*path, "fields")),
                                 f"Die Empfehlung „{item.id}“ nennt kein Handlungsfeld. Bitte unter „fields:“ "
                                 "mindestens eine Kennung aus „fields:“ angeben."))
        if item.number in numbers:
            found.append(Problem(document.file, document.line((*path, "number")),
                                 f"Die Nummer „{item.number}“ hat schon die Empfehlung „{numbers[item.number]}“. "
                                 "Bitte die Nummer prüfen."))
        numbers.setdefault(item.number, item.id)
        for position, name in enumerate(item.addressed_to):
            if _ID_LIKE.match(name.de) and name.de not in actors and name.de not in set_aside:
                close = difflib.get_close_matches(name.de, actors, n=1)
                hint = f" Meinten Sie „{close[0]}“?" if close else ""
                found.append(Problem(
                    document.file, document.line((*path, "addressed_to", position)),
                    f"„{name.de}“ in „addressed_to“ von „{item.id}“ sieht aus wie eine Kennung, ist aber keine "
                    f"bekannte Kennung für {_NAMES['actors']}.{hint} Einen Namen bitte so schreiben, wie er "
                    "lautet (z. B. „Rat der Stadt“)."))
        state = states.get(item.decision.state)
        if state is None:
            continue  # reported as an unknown reference
        where = (*path, "decision")
        if state.category != "offen" and item.decision.date is None:
            found.append(Problem(document.file, document.line((*where, "state")),
                                 f"Die Entscheidung über die Empfehlung „{item.id}“ lautet „{state.label.de}“, "
                                 "nennt aber kein Datum. Bitte unter „decision:“ das Datum der Entscheidung "
                                 "(„date:“) angeben."))
        if state.category in ("geaendert", "abgelehnt") and item.decision.reason is None:
            found.append(Problem(document.file, document.line((*where, "state")),
                                 f"Die Entscheidung über die Empfehlung „{item.id}“ lautet „{state.label.de}“, aber "
                                 "die Begründung fehlt. Bitte unter „decision:“ bei „reason:“ angeben, warum sie geändert "
                                 "oder abgelehnt wurde."))
    return found


_ID_LIKE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""An entry of ``addressed_to`` written like an id: it must name a known actor."""


def _end_before_start(document: Document, path: tuple, start: Any, end: Any) -> Problem:
    return Problem(document.file, document.line(path),
                   f"Das Ende ({end}) liegt vor dem Beginn ({start}). Bitte beide Daten prüfen.")


def _check_languages(merged: dict, problems: list[Problem]) -> None:
    for measure, document, path in merged["measures"]:
        languages = measure.formats.languages if measure.formats else []
        for position, code in enumerate(languages):
            try:
                Locale.parse(code)
            except (UnknownLocaleError, ValueError):
                problems.append(Problem(
                    document.file, document.line((*path, "formats", "languages", position)),
                    f"„{code}“ ist kein bekannter Sprachcode. Bitte ISO-Kürzel wie de, en, ar, tr, "
                    "uk, ru, fa verwenden.",
                ))


# ---------------------------------------------------------------------------------------------
# translations


def _attach_translations(data: ConceptData, folder: Path, languages: list[str], root: Path) -> list[Problem]:
    """Read ``translations/<lang>.yml`` and attach each text to its German source."""
    problems: list[Problem] = []
    if not folder.is_dir():
        return problems
    for path in _entries(folder, root, problems):
        if path.parent != folder or path.suffix != ".yml":
            continue
        lang = path.stem
        shown = relative(path, root)
        if lang not in languages:
            problems.append(Problem(shown, 0,
                                    f"Für „{lang}“ ist keine Sprache in mkdocs.yml eingerichtet "
                                    f"(eingerichtet: {', '.join(languages)}). Bitte Datei umbenennen "
                                    "oder die Sprache einrichten.", "warning"))
            continue
        document, found = load_document(path, shown)
        problems += found
        if document is None:
            continue
        if not isinstance(document.data, dict):
            problems.append(Problem(shown, 1, "Die Übersetzungsdatei muss aus Abschnitten wie "
                                    "„measures:“ bestehen."))
            continue
        _translate_file(data, document, lang, problems)
    return problems


def _translate_file(data: ConceptData, document: Document, lang: str, problems: list[Problem]) -> None:
    for section, tree in document.data.items():
        path = (section,)
        if section == "concept":
            if isinstance(tree, dict) and "terms" in tree:
                _translate_terms(data.concept.city_terms, tree["terms"], document, lang, problems)
                tree = {key: value for key, value in tree.items() if key != "terms"}
            _translate(data.concept, tree, path, document, lang, problems)
        elif section in COLLECTIONS and isinstance(tree, dict):
            for record_id, subtree in tree.items():
                record = data.get(section, str(record_id))
                if record is None and str(record_id) in data.broken.get(section, ()):
                    continue  # the German record failed validation: its translation is checked once it loads
                if record is None:
                    problems.append(_orphan(document, (*path, record_id),
                                            f"Eine {_NAMES[section]} mit der Kennung „{record_id}“ gibt es nicht"))
                else:
                    _translate(record, subtree, (*path, record_id), document, lang, problems)
        else:
            problems.append(_orphan(document, path, f"Einen Abschnitt „{section}“ gibt es nicht"))


def _translate(source: Any, tree: Any, path: tuple, document: Document, lang: str,
               problems: list[Problem]) -> None:
    """Walk the German record and the translation tree side by side."""
    if tree is None or tree == "":
        return
    if isinstance(source, Text):
        translation = _translation(tree, path, document, problems)
        if translation is not None:
            source.translations[lang] = translation
        return
    if isinstance(source, list):
        if not isinstance(tree, list):
            problems.append(Problem(document.file, document.line(path),
                                    "Hier wird eine Liste erwartet (Einträge mit „- “ davor), in derselben "
                                    "Reihenfolge wie im deutschen Text."))
            return
        for position, subtree in enumerate(tree):
            if position < len(source):
                _translate(source[position], subtree, (*path, position), document, lang, problems)
            else:
                problems.append(_orphan(document, (*path, position),
                                        "Dieser Listeneintrag hat im deutschen Text kein Gegenstück"))
        return
    if isinstance(source, BaseModel) and isinstance(tree, dict):
        fields = _field_names(type(source))
        for key, subtree in tree.items():
            value = getattr(source, key, None) if key in fields else None
            if type(value) is Text or type(value) is Name:  # the common case, as _has_text decides it
                if subtree is not None and subtree != "":
                    translation = _translation(subtree, (*path, key), document, problems)
                    if translation is not None:
                        value.translations[lang] = translation
                continue
            if not _has_text(value):
                problems.append(_orphan(document, (*path, key),
                                        f"Zu „{key}“ gibt es keinen deutschen Text, der übersetzt werden kann"))
                continue
            _translate(value, subtree, (*path, key), document, lang, problems)
        return
    problems.append(Problem(document.file, document.line(path),
                            "Hier wird ein Abschnitt mit eingerückten Übersetzungen erwartet."))


_FIELDS: dict[type, frozenset[str]] = {}


def _field_names(model: type) -> frozenset[str]:
    """The field names of a model class (pydantic's ``model_fields`` is a property that warns and
    copies: looked up once per class, not once per translated record)."""
    names = _FIELDS.get(model)
    if names is None:
        names = _FIELDS[model] = frozenset(model.model_fields)
    return names


_TRANSLATION_KEYS = {"text", "source", "machine"}


def _translation(tree: Any, path: tuple, document: Document, problems: list[Problem]) -> Translation | None:
    """A translation written as plain text, or as ``{text, source, machine}``."""
    line = document.lines.get(path) or document.line(path)
    text = None
    if type(tree) is str:  # the common cases first: a line of text, or {text, source}
        text = tree.strip()
    elif type(tree) is dict:
        written = tree.get("text")
        if type(written) is str and written and not set(tree) - _TRANSLATION_KEYS:
            text, line = written.strip(), document.line((*path, "text"))
    if text is None:  # numbers typed as text, or something else
        if isinstance(tree, (str, int, float)) and not isinstance(tree, bool):
            text = scalar_text(tree).strip()
        elif isinstance(tree, dict) and not set(tree) - _TRANSLATION_KEYS and tree.get("text") not in (None, ""):
            text, line = scalar_text(tree["text"]).strip(), document.line((*path, "text"))
    if text is not None and len(text) > MAX_TEXT:
        problems.append(Problem(document.file, line, (
            f"Die Übersetzung ist mit {len(text):,} Zeichen zu lang: höchstens {MAX_TEXT:,} Zeichen "
            "passen in eine Zelle der Tabellen-Ausgabe. Bitte kürzen.").replace(",", ".")))
        return None
    if isinstance(tree, dict) and text is not None:
        source = tree.get("source")
        return Translation(text, document.file, document.lines.get(path) or document.line(path),
                           str(source) if source is not None else None, tree.get("machine") is True)
    if text is not None:
        return Translation(text, document.file, line)
    problems.append(Problem(document.file, line,
                            "Hier wird ein übersetzter Text erwartet: eine Zeile Text, oder „text:“ mit "
                            "optional „source:“ (Prüfsumme des deutschen Textes) und „machine: true“."))
    return None


_NO_TEXT = frozenset({str, int, float, bool, type(None)})


def _has_text(value: Any) -> bool:
    if type(value) in _NO_TEXT:  # most fields: decided without the (slow) check against BaseModel
        return False
    if isinstance(value, Text):
        return True
    if isinstance(value, list):
        for item in value:
            if _has_text(item):
                return True
        return False
    if isinstance(value, BaseModel):
        for name in _field_names(type(value)):
            if _has_text(getattr(value, name)):
                return True
        return False
    return False


def _orphan(document: Document, path: tuple, what: str) -> Problem:
    return Problem(document.file, document.line(path),
                   f"{what} (Tippfehler, oder wurde der deutsche Eintrag gelöscht?). Diese Übersetzung "
                   "wird nicht verwendet.", "warning")


def iter_texts(obj: Any, path: tuple = ()) -> Iterator[tuple[tuple, Text]]:
    """Every text inside a record, with its path (used for reports and exports)."""
    if isinstance(obj, Text):
        yield path, obj
    elif isinstance(obj, list):
        for position, item in enumerate(obj):
            yield from iter_texts(item, (*path, position))
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from iter_texts(getattr(obj, name), (*path, name))



# ---------------------------------------------------------------------------------------------
# terms (the city's words for concept, measure, steering body)


def _city_terms(concept: Any, document: Document) -> CityTerms:
    terms = CityTerms(body_named=bool(concept.project_group))
    given = concept.terms
    for term in TERMS:
        forms = getattr(given, term, None) if given is not None else None
        if forms:
            terms.forms.setdefault("de", {})[term] = dict(forms)
            terms.places[("de", term)] = (document.file, document.line(("concept", "terms", term)))
    terms.body_named = terms.body_named or "steering_body" in terms.forms.get("de", {})
    return terms


def _translate_terms(terms: CityTerms, tree: Any, document: Document, lang: str, problems: list[Problem]) -> None:
    path = ("concept", "terms")
    if not isinstance(tree, dict):
        problems.append(Problem(document.file, document.line(path),
                                f"Unter „terms:“ stehen die Begriffe ({', '.join(TERMS)}) mit ihren Formen."))
        return
    for term, forms in tree.items():
        where = (*path, term)
        if term not in TERMS:
            problems.append(Problem(document.file, document.line(where),
                                    f"„{term}“ ist kein Begriff, den Klartext kennt. Möglich: {', '.join(TERMS)}."))
            continue
        if not isinstance(forms, dict) or not all(
                isinstance(text, str) and text.strip() and not set(text) & set("{}<>") for text in forms.values()):
            problems.append(Problem(document.file, document.line(where),
                                    "Hier werden die Formen des Begriffs erwartet, je Zeile eine, z. B. "
                                    "„singular: recommendation“ und „plural: recommendations“ (Text ohne { } < >)."))
            continue
        terms.forms.setdefault(lang, {})[term] = {str(form): text.strip() for form, text in forms.items()}
        terms.places[(lang, term)] = (document.file, document.line(where))


def _check_terms(terms: CityTerms, languages: list[str], data_folder: str) -> list[Problem]:
    """Every renamed term has every form that the labels of every language use."""
    from klartext.labels import read_labels

    problems = []
    for term in terms.renamed():
        for lang in ["de", *languages]:
            needed = used_forms(read_labels(lang)).get(term, set())
            own = terms.forms.get(lang, {}).get(term)
            if own is None and lang == "ls":
                own, lang_shown = terms.forms["de"][term], "de"
            else:
                lang_shown = lang
            defaults = {key.split(".")[2]: value for key, value in read_labels(lang).items()
                        if key.startswith(f"term.{term}.")}
            missing = sorted(needed - set(own or {}))
            if not missing:
                continue
            example = describe({form: defaults[form] for form in missing if form in defaults})
            if own is None:
                file = f"{data_folder}/{TRANSLATIONS}/{lang}.yml"
                problems.append(Problem(file, 0, (
                    f"Die Daten nennen einen eigenen Begriff für „{TERM_NAMES[term]}“ (concept.terms.{term}: "
                    f"„{terms.forms['de'][term].get('singular', '')}“), aber nicht auf „{lang}“. Bitte in dieser "
                    f"Datei unter „concept:“ → „terms:“ → „{term}:“ die Formen angeben, die die Beschriftungen "
                    f"brauchen: {', '.join(missing)} (Klartexts Vorgabe: {example}).")))
            else:
                file, line = terms.places[(lang_shown, term)]
                problems.append(Problem(file, line, (
                    f"Für den Begriff „{term}“ ({TERM_NAMES[term]}) fehlen Formen, die die Beschriftungen auf "
                    f"„{lang}“ brauchen: {', '.join(missing)}. Bitte ergänzen (Klartexts Vorgabe: {example}).")))
    return problems


def _check_terminology(data: ConceptData, languages: list[str], root: Path, docs_dir: Path | None) -> list[Problem]:
    """One term, one translation: texts, labels and pages that do not use a term's approved rendering."""
    from klartext.terminology import check_labels, check_pages, check_texts

    found = check_texts(data, languages) + check_labels(data, languages, root=root)
    return found + (check_pages(data, languages, docs_dir, root) if docs_dir is not None else [])
