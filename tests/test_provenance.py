"""Provenance: records name their source document and place, or are marked as the team's assumption;
pages show it in every language, downloads carry it, the rule finds what has no source."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from helpers import edit, make_project, mkdocs, read_config, write_config
from klartext.text import fingerprint

FIELD = "data/field.yml"
QUESTION = "Wer bezahlt die Bücher?"
QUESTION_AR = "من يدفع ثمن الكتب؟"
TITLE_AR = "تقرير الحالة الثاني"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("provenance"))
    edit(project / FIELD, "    responsible: lesehilfe\n",
         "    responsible: lesehilfe\n"
         "    provenance:\n"
         "      - document: bericht-2\n"
         "        chapter: \"4.1\"\n"
         "        page: 3\n"
         "      - kind: annahme\n"
         f"        question: {QUESTION}\n")
    edit(project / FIELD, "    title: Alle Kinder lesen gut.\n",
         "    title: Alle Kinder lesen gut.\n"
         "    provenance: [{document: bericht-2, chapter: \"4\", kind: abgeleitet}]\n")
    edit(project / FIELD, "glossary:\n",
         "documents:\n  - id: bericht-2\n    title: 2. Sachstandsbericht\n    pages: 12\nglossary:\n")
    (project / "data" / "translations" / "ar.yml").write_text(
        "documents:\n  bericht-2:\n    title:\n"
        f"      text: {TITLE_AR}\n      source: '{fingerprint('2. Sachstandsbericht')}'\n"
        "measures:\n  lesepaten:\n    provenance:\n    - {}\n    - question:\n"
        f"        text: {QUESTION_AR}\n        source: '{fingerprint(QUESTION)}'\n",
        encoding="utf-8")
    config = read_config(project / "mkdocs.yml")
    config["extra"]["klartext"]["controlling"].update(as_of="2025-03-31", dates_confirmed=False)
    write_config(project / "mkdocs.yml", config)
    result = mkdocs(project, "build", "--strict", env={"KLARTEXT_PDF": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def _text(path: Path) -> str:
    """What a reader sees: the page without tags, whitespace collapsed."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",").replace(" :", ":")


def _assumption(path: Path) -> str:
    """The HTML of the first marked assumption on a page (icon, words, question)."""
    html = path.read_text(encoding="utf-8")
    match = re.search(r'<p class="kt-provenance__item kt-provenance--annahme">(.*?)</p>', html, flags=re.S)
    assert match, f"no marked assumption on {path}"
    return match.group(1)


def test_measure_page_names_document_chapter_and_page_in_german(project: Path) -> None:
    page = project / "site" / "massnahmen" / "lesepaten" / "index.html"
    text = _text(page)
    assert "Quelle: 2. Sachstandsbericht, Kapitel 4.1, Seite 3" in text
    marked = _assumption(page)
    assert "<svg" in marked  # icon, not colour alone
    assert "Annahme des Teams, von der Stadt noch nicht bestätigt." in marked
    assert f"Offene Frage an die Stadt: {QUESTION}" in marked


def test_measure_page_names_the_source_in_arabic(project: Path) -> None:
    page = project / "site" / "ar" / "massnahmen" / "lesepaten" / "index.html"
    text = _text(page)
    assert f"المصدر: {TITLE_AR}، الفصل 4.1، الصفحة 3" in text
    marked = _assumption(page)
    assert "<svg" in marked
    assert "افتراض من فريق العمل، لم تؤكده المدينة بعد." in marked
    assert f"سؤال مفتوح موجَّه إلى المدينة: {QUESTION_AR}" in marked


def test_goal_shows_a_derived_source(project: Path) -> None:
    assert "Abgeleitet aus: 2. Sachstandsbericht, Kapitel 4" in _text(project / "site" / "handlungsfelder" / "bildung" / "index.html")


def test_downloads_carry_source_columns(project: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(
        (project / "site" / "daten" / "massnahmen.csv").read_text(encoding="utf-8"))))
    row = next(row for row in rows if row["id"] == "lesepaten")
    assert row["quelle_dokument"] == "bericht-2 | "
    assert row["quelle_stelle"] == "Kapitel 4.1, Seite 3 | "
    assert row["quelle_art"] == "zitiert | annahme"
    assert row["offene_frage"] == f" | {QUESTION}"
    goals = list(csv.DictReader(io.StringIO((project / "site" / "daten" / "ziele.csv").read_text(encoding="utf-8"))))
    assert [(g["id"], g["quelle_art"]) for g in goals] == [("lesen", "abgeleitet")]
    arabic = list(csv.DictReader(io.StringIO(
        (project / "site" / "ar" / "daten" / "massnahmen.csv").read_text(encoding="utf-8"))))
    assert next(row for row in arabic if row["id"] == "lesepaten")["quelle_stelle"] == "الفصل 4.1، الصفحة 3 | "


def test_assumed_reference_dates_are_marked_on_dashboard_and_changes_page(project: Path) -> None:
    dashboard = _assumption(project / "site" / "fortschritt" / "index.html")
    assert "Annahme des Teams" in dashboard and "31. März 2025" in dashboard
    changes = _assumption(project / "site" / "ar" / "aenderungen" / "index.html")
    assert "افتراض من فريق العمل" in changes


@pytest.mark.parametrize("prefix", ["", "ar/"], ids=["de", "ar"])
@pytest.mark.parametrize("width", [390, 1280])
def test_assumption_is_visible_with_icon_and_words_on_a_phone_and_a_desktop(
        browser: object, project: Path, prefix: str, width: int) -> None:
    """What the reader's browser shows: the marked assumption lies inside the page column, its icon
    has a size, its words are not clipped, and on the Arabic page the mark sits on the right."""
    from browsing import serve

    with serve(project / "site") as url:
        tab = browser.new_page(viewport={"width": width, "height": 900})
        tab.goto(f"{url}/{prefix}massnahmen/lesepaten/")
        mark = tab.locator(".kt-provenance--annahme").first
        box = mark.bounding_box()
        icon = mark.locator(".kt-icon svg").bounding_box()
        words = mark.locator("strong").inner_text()
        border = mark.evaluate("e => [getComputedStyle(e).borderLeftWidth, getComputedStyle(e).borderRightWidth]")
        source = tab.locator(".kt-provenance .kt-source").first.inner_text()
        tab.close()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= width
    assert icon and icon["width"] > 8 and icon["height"] > 8
    assert words == ("افتراض من فريق العمل، لم تؤكده المدينة بعد." if prefix else
                     "Annahme des Teams, von der Stadt noch nicht bestätigt.")
    assert source.startswith("المصدر:" if prefix else "Quelle:")
    # the bar marking the box is on the reading start side: left in German, right in Arabic
    assert (border[1] if prefix else border[0]) != "0px" and (border[0] if prefix else border[1]) == "0px"
