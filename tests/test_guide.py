"""The staff guide documents every field of the data model (a test fails when one is missing)."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from helpers import ROOT
from klartext.model import DataFile
from klartext.reports import ReportFile
from klartext.schema import field_docs

GUIDE = ROOT / "ANLEITUNG.md"


def _models(model: type[BaseModel], found: dict[str, type[BaseModel]]) -> dict[str, type[BaseModel]]:
    """``model`` and every model reachable from its fields."""
    if model.__name__ in found:
        return found
    found[model.__name__] = model
    for field in model.model_fields.values():
        for inner in _nested(field.annotation):
            _models(inner, found)
    return found


def _nested(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _nested(arg)]


def test_every_field_of_the_data_model_is_documented() -> None:
    docs = field_docs(GUIDE)
    models = _models(DataFile, {})
    assert "MeasureSnapshot" in _models(ReportFile, models)  # 16rep: the status report files too
    assert len(models) > 20
    missing = [f"{name}.{field}" for name, model in models.items() for field in model.model_fields
               if field not in docs.get(name, {})]
    assert not missing, f"In ANLEITUNG.md fehlen diese Felder: {missing}"
    for name, fields in docs.items():
        for field, doc in fields.items():
            assert doc["meaning"] and doc["example"], f"{name}.{field}: Bedeutung und Beispiel angeben"


def test_guide_marks_required_fields_as_the_model_does() -> None:
    docs = field_docs(GUIDE)
    for name, model in _models(ReportFile, _models(DataFile, {})).items():
        for field_name, field in model.model_fields.items():
            said = docs[name][field_name]["required"]
            if field.is_required():
                assert said.startswith("ja"), f"{name}.{field_name} ist Pflicht"
            elif (name, field_name) not in {("DataFile", "concept"), ("Measure", "goals")}:
                # concept (once in some file) and goals (at least one) are checked by validation
                assert said == "nein", f"{name}.{field_name} ist freiwillig"


def test_guide_documents_no_field_the_model_lacks() -> None:
    models = _models(ReportFile, _models(DataFile, {}))
    for name, fields in field_docs(GUIDE).items():
        if name == "Übersetzung":
            assert set(fields) == {"text", "source", "machine"}
            continue
        assert set(fields) <= set(models[name].model_fields), name


def test_readme_links_the_guide() -> None:
    assert "](ANLEITUNG.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
