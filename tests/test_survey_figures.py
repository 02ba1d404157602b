"""Survey figures as they appear in status reports: question, answer scale, n per category and per
series, multiple answers, representativeness; shares that cannot add up; figures in the downloads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import material
import pytest

from helpers import MINIMAL
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.opendata import tables
from klartext.pages import PageBuilder
from klartext.problems import DataError
from klartext.render import THEME_DIR, Renderer
from klartext.validation import load_concept

GERMAN = Language("de", "Deutsch", default=True)
ARABIC = Language("ar", "العربية")

SURVEY = """figures:
  - id: zufriedenheit
    kind: stacked-bar
    title: Zufriedenheit mit der Beratung
    unit: Prozent
    question: Wie zufrieden sind Sie mit der Beratung?
    scale: zufrieden, teils-teils, unzufrieden
    method: Befragung beim Runden Tisch
    representative: false
    categories:
      - Frauen
      - Männer
    category_n: [15, 14]
    series:
      - label: zufrieden
        values: [60, 50]
        n: 16
      - label: teils-teils
        values: [30, 40]
      - label: unzufrieden
        values: [10, 15]
    source: Befragung 2024
"""


def _project(tmp_path: Path, text: str) -> Path:
    shutil.copytree(MINIMAL / "data", tmp_path / "data")
    (tmp_path / "data" / "zz-abbildung.yml").write_text(text, encoding="utf-8")
    return tmp_path


def _problems(project: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", ["en", "ar", "ls"], project)
    return [str(problem) for problem in caught.value.problems]


def test_shares_of_a_category_may_not_add_up_to_more_than_100_percent(tmp_path: Path) -> None:
    # Männer: 50 + 40 + 15 = 105
    assert _problems(_project(tmp_path, SURVEY)) == [
        "data/zz-abbildung.yml:12: Die Anteile der Kategorie „Männer“ in der Abbildung „zufriedenheit“ ergeben "
        "zusammen 105 Prozent, mehr als 100. Bitte die Werte prüfen, oder „multiple_answers: true“ angeben, "
        "wenn mehrere Antworten möglich waren."]


def test_with_multiple_answers_the_shares_may_add_up_to_more(tmp_path: Path) -> None:
    text = SURVEY.replace("    representative: false\n", "    representative: false\n    multiple_answers: true\n")
    data, _ = load_concept(_project(tmp_path, text) / "data", ["en", "ar", "ls"], tmp_path)
    assert data.figures[0].multiple_answers


def test_one_respondent_count_per_category(tmp_path: Path) -> None:
    text = SURVEY.replace("values: [60, 50]", "values: [60, 45]").replace("category_n: [15, 14]", "category_n: [15, 14, 25]")
    assert _problems(_project(tmp_path, text)) == [
        "data/zz-abbildung.yml:13: Die Abbildung „zufriedenheit“ hat 3 Werte unter „category_n:“, aber 2 "
        "Kategorien. Bitte für jede Kategorie genau eine Anzahl angeben."]


def _valid(tmp_path: Path):
    text = SURVEY.replace("values: [60, 50]", "values: [60, 45]")
    data, _ = load_concept(_project(tmp_path, text) / "data", ["en", "ar", "ls"], tmp_path)
    return data


@pytest.mark.parametrize(("language", "words"), [
    (GERMAN, ["<dt>Frage</dt><dd>Wie zufrieden sind Sie mit der Beratung?</dd>", "<dt>Antwortmöglichkeiten</dt>",
              "zufrieden (n = 16)", '<th scope="col">Befragte</th>', '<td class="kt-num">14</td>',
              "<strong>Nicht repräsentativ.</strong>", "Methode: Befragung beim Runden Tisch"]),
    (ARABIC, ["<dt>السؤال</dt>", "<strong>غير تمثيلي.</strong>", '<th scope="col">المشاركون</th>']),
])
def test_the_figure_shows_its_survey_details(tmp_path: Path, language: Language, words: list[str]) -> None:
    data = _valid(tmp_path)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    builder = PageBuilder(data, language, load_labels(language.code, ["de"]), renderer)
    html = re.sub(r">\n<", "><", builder.figure("zufriedenheit", "arbeitsstand.md"))
    for word in words:
        assert word in html


def test_figures_and_value_counts_are_in_the_downloads(tmp_path: Path) -> None:
    data = _valid(tmp_path)
    found = {table.name: table for table in tables(data, GERMAN)}
    rows = found["abbildungen"].records()
    assert len(rows) == 6  # 2 categories x 3 series
    first = rows[0]
    assert (first["abbildung"], first["kategorie"], first["reihe"], first["wert"], first["n_kategorie"],
            first["n_reihe"], first["mehrfachantworten"]) == ("zufriedenheit", "Frauen", "zufrieden", 60, 15, 16, False)
    assert "n" in [column.name for column in found["indikator-werte"].columns]
