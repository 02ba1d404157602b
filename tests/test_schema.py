"""Editor support: the committed JSON Schemas match the model and the data, and catch mistakes."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from helpers import ROOT
from klartext.loading import load_document, parse_document
from klartext.schema import (
    DATA_SCHEMA, MODELINE, SCHEMA_DIR, TRANSLATION_SCHEMA, build_schemas, render, schema_for,
)
from klartext.validation import load_concept

DATA = ROOT / "data"
LANGUAGES = ["en", "ar", "tr", "uk", "ru", "ls"]


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    data, _ = load_concept(DATA, LANGUAGES, ROOT)
    return build_schemas(data)


def _validator(schemas: dict, path: Path) -> jsonschema.Validator:
    name = TRANSLATION_SCHEMA if path.parent.name == "translations" else DATA_SCHEMA
    return jsonschema.Draft202012Validator(schemas[name])


def _messages(validator: jsonschema.Validator, instance: object) -> list[str]:
    """Every error message, including those inside anyOf branches."""
    found = []
    stack = list(validator.iter_errors(instance))
    while stack:
        error = stack.pop()
        found.append(error.message)
        stack += error.context or []
    return found


def test_committed_schemas_are_current(schemas: dict) -> None:
    for name, schema in schemas.items():
        committed = (ROOT / SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert committed == render(schema), f"{SCHEMA_DIR}/{name} ist veraltet: bitte ./klartext schema ausführen"


def test_every_data_file_names_its_schema() -> None:
    files = sorted(DATA.rglob("*.yml"))
    assert len(files) > 10
    for path in files:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == schema_for(path, DATA, ROOT), path
        target = (path.parent / first.removeprefix(MODELINE)).resolve()
        assert target.is_file(), target


def test_example_data_is_valid(schemas: dict) -> None:
    for path in sorted(DATA.rglob("*.yml")):
        document, problems = load_document(path, path.name)
        assert not problems
        errors = list(_validator(schemas, path).iter_errors(document.data))
        assert not errors, f"{path}: {[error.message for error in errors]}"


def test_schema_rejects_mistakes_staff_make(schemas: dict) -> None:
    path = DATA / "fields" / "01-bildung-und-erziehung.yml"
    text = path.read_text(encoding="utf-8")
    validator = _validator(schemas, path)
    for old, new, expected in [
        ("state: geplant", "state: fertig", "'fertig' is not one of"),
        ("responsible: stabsstelle-mut", "responsible: stabstelle-mut", "'stabstelle-mut' is not one of"),
        ("goals: [schuleingang, schulabschluss]", "goals: [schuleingang, schulabschlus]",
         "'schulabschlus' is not one of"),
        ("    summary: >-\n      Ein Programm", "    sumary: >-\n      Ein Programm", "'sumary' was unexpected"),
        ("per_year: 33000", "per_year: 33.000,00", "is not of type 'number'"),
    ]:
        assert old in text
        document, _ = parse_document(text.replace(old, new, 1).encode(), path.name)
        messages = _messages(validator, document.data)
        assert any(expected in message for message in messages), (new, messages)


def test_translation_schema_knows_record_ids(schemas: dict) -> None:
    path = DATA / "translations" / "en.yml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("  wiki-sprachfoerderung:", "  wiki-sprachfoerdrung:", 1)
    assert broken != text
    document, _ = parse_document(broken.encode(), path.name)
    messages = [error.message for error in _validator(schemas, path).iter_errors(document.data)]
    assert any("wiki-sprachfoerdrung" in message for message in messages), messages


def test_schema_hover_texts_are_german(schemas: dict) -> None:
    state = schemas[DATA_SCHEMA]["$defs"]["Measure"]["properties"]["state"]
    assert state["description"] == "Pflichtangabe. Umsetzungsstand (Kennung aus `measure_states`)"
    assert state["enum"][:2] == ["idee", "geplant"]
    assert state["markdownEnumDescriptions"][:2] == ["Idee", "Geplant"]


def test_modeline_does_not_shift_line_numbers() -> None:
    path = DATA / "fields" / "01-bildung-und-erziehung.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    document, _ = load_document(path, path.name)
    line = document.line(("measures", 0, "state"))
    assert lines[line - 1].strip() == f"state: {document.data['measures'][0]['state']}"


LEHRTE_DETAILS = ("Lehrte", "lehrte.de", "Rathausplatz", "31275", "05132", "stabsstelle-mut", "MuT@",
                  "Markowis", "Heinrich", "Prinzenstraße", "niedersachsen", "Niedersachsen", "Region Hannover",
                  "wiki-sprachfoerderung", "Informationsvorlage 159/2022")


def test_hover_texts_and_examples_name_no_city(schemas: dict) -> None:
    """Every city's editor shows these texts: the examples are neutral („Stadt Musterstadt“), not Lehrte's."""
    import json

    def texts(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "description", "markdownDescription"):
                    yield value
                elif key not in ("enum", "markdownEnumDescriptions", "enumDescriptions", "propertyNames"):
                    yield from texts(value)
        elif isinstance(node, list):
            for item in node:
                yield from texts(item)

    shown = [text for schema in schemas.values() for text in texts(schema) if isinstance(text, str)]
    leaks = sorted({text for text in shown for detail in LEHRTE_DETAILS if detail in text})
    assert not leaks, "\n".join(leaks)
    assert any("Musterstadt" in text for text in shown)
    committed = json.loads((ROOT / SCHEMA_DIR / DATA_SCHEMA).read_text(encoding="utf-8"))
    assert not [text for text in texts(committed) if isinstance(text, str) and "Lehrte" in text]


def test_packaged_field_documentation_is_current() -> None:
    """An installed engine has no ANLEITUNG.md: its schemas take the field tables from felder.json."""
    import json

    from klartext.schema import FIELD_DOCS, GUIDE, field_docs

    assert json.loads(FIELD_DOCS.read_text(encoding="utf-8")) == field_docs(GUIDE), \
        "hooks/klartext/felder.json ist veraltet: bitte ./klartext schema ausführen"
