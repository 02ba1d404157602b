"""JSON Schemas of the data files, for editors with YAML support (e.g. VS Code's YAML extension).

The structure comes from the pydantic model (:mod:`klartext.model`); the German titles, hover texts
and examples come from the field tables of the staff guide (``ANLEITUNG.md``), so that the editor
and the guide say the same thing; the allowed values of every reference (states, fields, goals,
organisations, kinds) come from the data, with their German names as descriptions. Every data file
names its schema in a first-line comment that YAML loaders ignore::

    # yaml-language-server: $schema=../schema/daten.json
"""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from klartext.concept import ConceptData
from klartext.model import DataFile
from klartext.text import Text

SCHEMA_DIR = "schema"
"""Folder (next to mkdocs.yml) with the generated schemas."""
DATA_SCHEMA, TRANSLATION_SCHEMA = "daten.json", "uebersetzung.json"
GUIDE = Path(__file__).resolve().parents[2] / "ANLEITUNG.md"
"""The staff guide; its field tables are the German documentation of every field."""
FIELD_DOCS = Path(__file__).resolve().parent / "felder.json"
"""The guide's field tables as package data, for an installed engine (the guide is not installed);
``klartext schema`` renews it in the repository, tests/test_schema.py checks that it is current."""
MODELINE = "# yaml-language-server: $schema="

_REFERENCES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "FieldOfAction": [(("project",), "projects"), (("state",), "field_states")],
    "WorkingGroup": [(("members", "*"), "actors")],
    "Goal": [(("field",), "fields")],
    "Indicator": [(("goal",), "goals"), (("owner",), "actors")],
    "Measure": [(("field",), "fields"), (("goals", "*"), "goals"), (("state",), "measure_states"),
                (("responsible",), "actors"), (("partners", "*"), "actors")],
    "Budget": [(("funding",), "funding_states")],
    "Actor": [(("kind",), "actor_kinds")],
    "Event": [(("kind",), "event_kinds"), (("fields", "*"), "fields")],
    "Fact": [(("field",), "fields")],
    "Provenance": [(("document",), "documents")],
}
"""Per model: where references sit and which collection's ids they may take (see validation)."""

_TABLE_MARK = re.compile(r"<!--\s*modell:\s*(\S+)\s*-->")
_CELL_CODE = re.compile(r"^`([^`]*)`$")


# ---------------------------------------------------------------------------------------------
# field documentation from the staff guide


def field_docs(guide: Path = GUIDE) -> dict[str, dict[str, dict[str, str]]]:
    """Per model name, per field: ``required``, ``meaning`` and ``example`` from the guide's tables.

    A table belongs to the model named in the ``<!-- modell: Name -->`` comment above it.
    """
    docs: dict[str, dict[str, dict[str, str]]] = {}
    model = None
    for line in guide.read_text(encoding="utf-8").splitlines():
        mark = _TABLE_MARK.search(line)
        if mark:
            model = mark.group(1)
            docs[model] = {}
            continue
        if model is None or not line.startswith("|"):
            if line.strip() and model is not None and not line.startswith("|"):
                model = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        name = _CELL_CODE.match(cells[0])
        if len(cells) >= 4 and name:
            docs[model][name.group(1)] = {"required": cells[1], "meaning": cells[2],
                                          "example": _CELL_CODE.sub(r"\1", cells[3])}
    return docs


# ---------------------------------------------------------------------------------------------
# schemas


def documentation() -> dict[str, dict[str, dict[str, str]]]:
    """The field documentation: from the guide in a checkout of the repository, else the packaged copy."""
    if GUIDE.is_file():
        return field_docs(GUIDE)
    return json.loads(FIELD_DOCS.read_text(encoding="utf-8"))


def build_schemas(data: ConceptData, guide: Path | None = None) -> dict[str, dict]:
    """File name -> schema, for the data files and the translation files."""
    docs = field_docs(guide) if guide is not None else documentation()
    return {DATA_SCHEMA: _data_schema(data, docs), TRANSLATION_SCHEMA: _translation_schema(data, docs)}


def _data_schema(data: ConceptData, docs: dict) -> dict:
    schema = DataFile.model_json_schema()
    defs = schema["$defs"]
    for name, references in _REFERENCES.items():
        for path, collection in references:
            _set_enum(defs[name], path, defs, _choices(data, collection))
    _describe(schema, "DataFile", docs)
    for name, definition in defs.items():
        _describe(definition, name, docs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Datendatei des Integrationskonzepts",
        "description": "Abschnitte wie measures:, fields:, actors:. Erklärung aller Felder: ANLEITUNG.md.",
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }


def _choices(data: ConceptData, collection: str) -> list[tuple[str, str]]:
    """The ids a reference may take, each with its German name."""
    found = []
    for record in getattr(data, collection):
        for attribute in ("label", "title", "name", "term"):
            value = getattr(record, attribute, None)
            if isinstance(value, Text):
                found.append((record.id, value.de))
                break
    return found


def _set_enum(definition: dict, path: tuple[str, ...], defs: dict, choices: list[tuple[str, str]]) -> None:
    node = definition
    for part in path:
        node = _resolve(node, defs)
        node = node["items"] if part == "*" else node["properties"][part]
    target = node
    if "anyOf" in node:  # optional: [{string}, {null}]
        target = next(option for option in node["anyOf"] if option.get("type") == "string")
    target.pop("pattern", None)
    target["enum"] = [choice_id for choice_id, _ in choices]
    target["markdownEnumDescriptions"] = [label for _, label in choices]  # shown by VS Code
    target["enumDescriptions"] = [label for _, label in choices]


def _resolve(node: dict, defs: dict) -> dict:
    if "$ref" in node:
        return defs[node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        inner = next(option for option in node["anyOf"] if option.get("type") != "null")
        return _resolve(inner, defs)
    return node


def _describe(definition: dict, model: str, docs: dict) -> None:
    """German title and hover text of a model's properties, from the staff guide."""
    fields = docs.get(model, {})
    for name, prop in definition.get("properties", {}).items():
        doc = fields.get(name)
        if doc is None:
            continue
        prop["title"] = name
        required = "Pflichtangabe. " if doc["required"].startswith("ja") else ""
        prop["description"] = f"{required}{doc['meaning']}"
        prop["markdownDescription"] = f"{required}{doc['meaning']}\n\nBeispiel: `{doc['example']}`"
    if "title" in definition and model != "DataFile":
        definition["description"] = _GERMAN_TITLES.get(model, definition.get("description", ""))


_GERMAN_TITLES = {
    "Actor": "Organisation (Akteur)", "Budget": "Kosten und Finanzierung", "Choice": "Eintrag einer Auswahlliste",
    "Concept": "Das Konzept als Ganzes", "Contact": "Kontakt", "Document": "Dokument", "Event": "Termin",
    "Fact": "Fakt mit Quelle", "FieldOfAction": "Handlungsfeld", "Formats": "Formate des Angebots",
    "Goal": "Leitziel oder Ziel", "Indicator": "Indikator (Kennzahl)", "Measure": "Maßnahme",
    "Measurement": "Messwert", "Milestone": "Meilenstein", "Person": "Person der Projektgruppe",
    "Project": "Projekt", "Schedule": "Zeitplan", "Target": "Wert mit Jahr", "Term": "Glossar-Begriff",
    "Update": "Fortschrittsbericht", "WorkingGroup": "Arbeitsgruppe", "YearAmount": "Betrag für ein Jahr",
}


def _translation_schema(data: ConceptData, docs: dict) -> dict:
    """Translation files mirror the German data by section, record id and field."""
    doc = docs.get("Übersetzung", {})
    entry = {
        "description": "Übersetzter Text: eine Zeile Text oder text/source/machine.",
        "anyOf": [
            {"type": ["string", "number"]},
            {"type": "object", "additionalProperties": False, "required": ["text"],
             "properties": {key: {"description": value["meaning"],
                                  "type": "boolean" if key == "machine" else "string"}
                            for key, value in doc.items()}},
        ],
    }
    defs: dict[str, Any] = {"Eintrag": entry}
    properties: dict[str, Any] = {
        "concept": {"$ref": f"#/$defs/{_translatable(_inner_model(DataFile.model_fields['concept'].annotation), defs)}"},
    }
    forms = {"type": "object", "description": "Formen des Begriffs in dieser Sprache, z. B. singular, plural",
             "additionalProperties": {"type": "string", "minLength": 1}}
    defs["Concept"]["properties"]["terms"] = {
        "type": "object", "additionalProperties": False,
        "description": docs.get("Concept", {}).get("terms", {}).get("meaning", "terms"),
        "properties": {term: forms for term in ("concept", "measure", "steering_body")}}
    for name, field in DataFile.model_fields.items():
        if name == "concept":
            continue
        record = _inner_model(field.annotation)
        ids = sorted(record_.id for record_ in getattr(data, name))
        properties[name] = {
            "type": "object",
            "description": docs.get("DataFile", {}).get(name, {}).get("meaning", name),
            "propertyNames": {"enum": ids},
            "additionalProperties": {"$ref": f"#/$defs/{_translatable(record, defs)}"},
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Übersetzungsdatei des Integrationskonzepts",
        "description": "Übersetzungen nach Bereich, Kennung und Feld, wie in den deutschen Daten.",
        "type": "object", "additionalProperties": False, "properties": properties, "$defs": defs,
    }


def _translatable(model: type[BaseModel], defs: dict) -> str:
    """Definition of the translatable part of ``model`` (its texts only); returns its name."""
    name = model.__name__
    if name in defs:
        return name
    defs[name] = {}
    properties = {}
    for field_name, field in model.model_fields.items():
        value = _translatable_value(field.annotation, defs)
        if value is not None:
            properties[field_name] = value
    defs[name] = {"type": "object", "additionalProperties": False, "properties": properties,
                  "description": _GERMAN_TITLES.get(name, name)}
    return name


def _translatable_value(annotation: Any, defs: dict) -> dict | None:
    if isinstance(annotation, type) and issubclass(annotation, Text):
        return {"$ref": "#/$defs/Eintrag"}
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list:
        inner = _translatable_value(args[0], defs)
        return {"type": "array", "items": inner} if inner else None
    if args:  # Optional / Union / Annotated
        for arg in args:
            inner = _translatable_value(arg, defs)
            if inner is not None:
                return inner
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not _has_text(annotation, set()):
            return None
        return {"$ref": f"#/$defs/{_translatable(annotation, defs)}"}
    return None


def _has_text(model: type[BaseModel], seen: set) -> bool:
    if model in seen:
        return False
    seen.add(model)
    return any(_annotation_has_text(field.annotation, seen) for field in model.model_fields.values())


def _annotation_has_text(annotation: Any, seen: set) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, Text):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _has_text(annotation, seen)
    return any(_annotation_has_text(arg, seen) for arg in typing.get_args(annotation))


def _inner_model(annotation: Any) -> type[BaseModel]:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        found = [a for a in typing.get_args(arg) if isinstance(a, type) and issubclass(a, BaseModel)]
        if found:
            return found[0]
    raise TypeError(annotation)


# ---------------------------------------------------------------------------------------------
# files


def render(schema: dict) -> str:
    """Stable text of a schema (sorted keys would scramble the field order editors show)."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schema_for(data_file: Path, data_dir: Path, root: Path) -> str:
    """The modeline a data file should start with (relative path to its schema)."""
    relative_data = data_file.resolve().relative_to(data_dir.resolve())
    name = TRANSLATION_SCHEMA if relative_data.parts[0] == "translations" else DATA_SCHEMA
    depth = len(data_file.resolve().relative_to(root.resolve()).parts) - 1
    return f"{MODELINE}{'../' * depth}{SCHEMA_DIR}/{name}"


def write_schemas(data: ConceptData, data_dir: Path, root: Path) -> list[str]:
    """Write changed schemas and add missing modelines; return what was written (nothing if current)."""
    written = []
    if GUIDE.is_file():  # a checkout of the engine: keep the packaged field documentation current
        packaged = render(field_docs(GUIDE))
        if not FIELD_DOCS.is_file() or FIELD_DOCS.read_text(encoding="utf-8") != packaged:
            FIELD_DOCS.write_text(packaged, encoding="utf-8")
            written.append(f"{FIELD_DOCS.parent.name}/{FIELD_DOCS.name}")
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    for name, schema in build_schemas(data).items():
        path = folder / name
        text = render(schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(f"{SCHEMA_DIR}/{name}")
    for path in sorted(data_dir.rglob("*.yml")):
        if path.relative_to(data_dir).parts[0] == "reports":
            continue  # status reports (16rep) are written by „klartext bericht“, not edited
        wanted = schema_for(path, data_dir, root)
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        first, _, rest = text.partition("\n")
        if first.startswith(MODELINE):
            if first == wanted:
                continue
            text = rest
        path.write_text(f"{wanted}\n{text}", encoding="utf-8")
        written.append(path.relative_to(root).as_posix())
    return written
