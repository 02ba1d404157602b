"""What keeps large concepts fast: shared compiled templates, and a search index without the staff report."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from klartext.render import TemplateCache

VARIANTS = ["", "en", "tr", "ar", "uk", "ru", "ls"]


def test_reports_and_overviews_stay_out_of_the_search_index(site: Path) -> None:
    for folder in VARIANTS:
        root = site / folder if folder else site
        index = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))
        locations = [doc["location"] for doc in index["docs"]]
        assert any(location.startswith("massnahmen/") for location in locations), folder
        for overview in ("uebersetzungen", "fortschritt", "aenderungen", "datenqualitaet"):
            assert not any(location.startswith(f"{overview}/") for location in locations), (folder, overview)
            assert (root / overview / "index.html").is_file(), (folder, overview)


def test_shared_bytecode_cache_compiles_once_and_sees_edited_templates(tmp_path: Path) -> None:
    template = tmp_path / "page.html"
    template.write_text("Hallo {{ name }}", encoding="utf-8")
    cache = TemplateCache()  # in memory only (no project folder)
    first = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
    assert first.get_template("page.html").render(name="Lehrte") == "Hallo Lehrte"
    assert len(cache._store) == 1
    compiled = []
    second = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
    second.compile = lambda *args, **kwargs: compiled.append(args) or jinja2.Environment.compile(second, *args, **kwargs)
    assert second.get_template("page.html").render(name="Sehnde") == "Hallo Sehnde"
    assert compiled == []  # the second environment (the next language build) reused the bytecode
    template.write_text("Guten Tag {{ name }}", encoding="utf-8")
    third = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
    assert third.get_template("page.html").render(name="Burgdorf") == "Guten Tag Burgdorf"
