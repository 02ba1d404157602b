"""Parsed data files remembered on disk (hooks/klartext/loading.py, ``remember_on_disk``): the next
build or preview reads the parsed file back instead of parsing it, and gets the very same values,
numbers typed as text included; a changed, damaged or broken file is parsed (and reported) again."""

from __future__ import annotations

from pathlib import Path

import pytest

from klartext import loading
from klartext.loading import LiteralFloat, LiteralInt, load_document

from helpers import build, make_project

YAML = """\
measures:
  lesepaten:
    title: Lesepatenschaften
    number: 007
    share: 3.10
    done: true
    empty:
    list: [a, 2, -1.50]
"""


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The names of the files parsed from now on (each load starts with an empty in-process cache)."""
    parsed: list[str] = []
    original = loading.parse_document

    def counting(raw: bytes, shown_as: str):
        parsed.append(shown_as)
        return original(raw, shown_as)

    monkeypatch.setattr(loading, "parse_document", counting)
    yield parsed
    loading.remember_on_disk(None)
    loading.forget_parsed()


def _load(path: Path):
    loading.forget_parsed()  # as a new process
    return load_document(path, "data/x.yml")


def _same(first, second) -> None:
    assert type(first) is type(second), (first, second)
    if isinstance(first, dict):
        assert list(first) == list(second)
        for key in first:
            _same(first[key], second[key])
    elif isinstance(first, list):
        assert len(first) == len(second)
        for one, other in zip(first, second):
            _same(one, other)
    else:
        assert first == second and getattr(first, "literal", None) == getattr(second, "literal", None)


def test_a_file_parsed_once_is_read_back_with_the_same_values(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "x.yml"
    path.write_text(YAML, encoding="utf-8")
    loading.remember_on_disk(tmp_path / "cache")
    parsed, problems = _load(path)
    again, _ = _load(path)
    assert parses == ["data/x.yml"]  # the second load read the stored parse
    assert not problems and again is not parsed
    _same(parsed.data, again.data)
    assert again.lines == parsed.lines and again.file == "data/x.yml"
    number, share = again.data["measures"]["lesepaten"]["number"], again.data["measures"]["lesepaten"]["share"]
    assert isinstance(number, LiteralInt) and number.literal == "007"  # as typed: „007“, „3.10“
    assert isinstance(share, LiteralFloat) and share.literal == "3.10"
    assert again.line(("measures", "lesepaten", "share")) == 5


def test_a_changed_or_damaged_file_is_parsed_again(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "x.yml"
    path.write_text(YAML, encoding="utf-8")
    loading.remember_on_disk(tmp_path / "cache")
    _load(path)
    path.write_text(YAML.replace("Lesepatenschaften", "Lesepaten"), encoding="utf-8")
    changed, _ = _load(path)
    assert changed.data["measures"]["lesepaten"]["title"] == "Lesepaten"
    [stored] = (tmp_path / "cache").iterdir()  # one file per data file, replaced
    stored.write_bytes(stored.read_bytes()[:40])
    damaged, _ = _load(path)
    assert damaged.data["measures"]["lesepaten"]["title"] == "Lesepaten"
    assert parses == ["data/x.yml"] * 3


def test_a_file_with_errors_is_reported_every_time(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "x.yml"
    path.write_text(YAML.replace("done: true", "done: true\n    done: false"), encoding="utf-8")
    loading.remember_on_disk(tmp_path / "cache")
    for _ in range(2):
        document, problems = _load(path)
        assert document is None
        assert [(problem.file, problem.line) for problem in problems] == [("data/x.yml", 7)]
        assert "doppelt" in problems[0].message
    assert parses == ["data/x.yml"] * 2


def test_the_second_build_reads_the_parsed_files_and_builds_the_same_site(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    first = {path.relative_to(project / "site").as_posix(): path.read_bytes()
             for path in sorted(build(project).rglob("*")) if path.is_file()}
    cache = project / ".cache" / "klartext" / "yaml"
    stored = {path.name: path.stat().st_mtime_ns for path in cache.iterdir()}
    # every data and translation file (and the Leichte Sprache labels the check reads)
    assert len(stored) >= len(list((project / "data").rglob("*.yml"))) == 4
    second = {path.relative_to(project / "site").as_posix(): path.read_bytes()
              for path in sorted(build(project).rglob("*")) if path.is_file()}
    assert {path.name: path.stat().st_mtime_ns for path in cache.iterdir()} == stored  # read, not parsed again
    assert second == first
