"""The synthetic concept generator of the benchmarks: valid, deterministic, realistic translation states."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import ROOT
from klartext.text import CURRENT, MACHINE, MISSING, OUTDATED
from klartext.translations import status
from klartext.validation import load_concept

sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import configured_languages, generate  # noqa: E402

LANGUAGES = configured_languages()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("synthetic") / "project", measures=23, fields=4, seed=7)


def test_generated_concept_validates_without_problems(small: Path) -> None:
    data, warnings = load_concept(small / "data", LANGUAGES, small)
    assert warnings == []
    assert len(data.fields) == 4
    assert len(data.measures) == 23
    assert sorted(len([m for m in data.measures if m.field == f.id]) for f in data.fields) == [5, 6, 6, 6]
    assert all(measure.goals for measure in data.measures)
    assert data.goals and data.indicators and data.events and data.actors and data.glossary
    assert sum(len(measure.updates) for measure in data.measures) > 0
    # 16rec: recommendations with decisions of every category, one spanning two fields, some implemented
    assert {data.get("decision_states", item.decision.state).category for item in data.recommendations} == {
        "angenommen", "geaendert", "abgelehnt"}
    assert max(len(item.fields) for item in data.recommendations) == 2
    assert any(measure.implements for measure in data.measures)
    assert {path.stem for path in (small / "data" / "translations").glob("*.yml")} == set(LANGUAGES)


def test_texts_have_realistic_lengths(small: Path) -> None:
    data, _ = load_concept(small / "data", LANGUAGES, small)
    summaries = [len(measure.summary.de.split()) for measure in data.measures]
    titles = [len(measure.title.de.split()) for measure in data.measures]
    assert 3 <= min(titles) and max(titles) <= 12
    assert 8 <= min(summaries) and max(summaries) <= 60
    assert sum(summaries) / len(summaries) >= 15


def test_every_language_has_current_outdated_machine_and_missing_texts(small: Path) -> None:
    data, _ = load_concept(small / "data", LANGUAGES, small)
    for language in status(data, LANGUAGES):
        counts = language.counts
        total = sum(counts.values())
        assert counts[CURRENT] > total / 2, language.language
        assert counts[OUTDATED] > 0 and counts[MACHINE] > 0 and counts[MISSING] > 0, language.language


def test_translations_are_in_the_languages_script(small: Path) -> None:
    data, _ = load_concept(small / "data", LANGUAGES, small)
    title = next(m.title for m in data.measures if "ar" in m.title.translations and "ru" in m.title.translations)
    assert any("\u0600" <= char <= "\u06ff" for char in title.get("ar"))
    assert any("\u0400" <= char <= "\u04ff" for char in title.get("ru"))


def test_same_seed_same_bytes_other_seed_other_bytes(small: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", measures=23, fields=4, seed=7)
    other = generate(tmp_path / "other", measures=23, fields=4, seed=8)
    assert _files(again) == _files(small)
    assert _files(other / "data") != _files(small / "data")


def test_data_only(tmp_path: Path) -> None:
    target = generate(tmp_path / "only", measures=3, fields=1, project=False)
    assert sorted(path.name for path in target.iterdir()) == ["data"]
    data, _ = load_concept(target / "data", LANGUAGES, target)
    assert len(data.measures) == 3
