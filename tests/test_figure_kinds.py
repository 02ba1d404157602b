"""The figure kinds grouped-bar, likert and cross-table as a reader meets them: bar lengths compared with
each other, the side of the centre line each answer lies on, right-to-left pages mirrored, the numbers as
a real table, in the downloads and as text in the PDF, no sideways overflow of the page on a phone.

The data are the test fixture tests/fixtures/survey (invented numbers, not a city's content: the Lehrte
report contains no survey results of these kinds)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import material
import pytest

from helpers import FIXTURES, MINIMAL, build, make_project
from html_tools import parse
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.opendata import tables
from klartext.pages import PageBuilder
from klartext.render import THEME_DIR, Renderer
from klartext.validation import load_concept

SURVEY = FIXTURES / "survey"
LANGUAGES = {"de": Language("de", "Deutsch", default=True), "ar": Language("ar", "العربية"),
             "ls": Language("ls", "Leichte Sprache", html_lang="de")}
RECT = re.compile(r'<rect class="(kt-[a-z-]+)[^"]*" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"')


def _survey_files() -> dict[str, str]:
    return {path.relative_to(SURVEY).as_posix(): path.read_text(encoding="utf-8")
            for path in SURVEY.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory):
    project = tmp_path_factory.mktemp("survey")
    shutil.copytree(MINIMAL / "data", project / "data")
    for name, text in _survey_files().items():
        if name.startswith("data/"):
            (project / name).write_text(text, encoding="utf-8")
    concept, _ = load_concept(project / "data", ["en", "ar", "ls"], project)
    return concept


def _figure(data, code: str, figure_id: str) -> str:
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    builder = PageBuilder(data, LANGUAGES[code], load_labels(code, ["de"]), renderer)
    return builder.figure(figure_id, "umfrage.md")


def _bars(html: str) -> list[tuple[str, float, float]]:
    """(class, x, width) of every bar drawn in the figure's chart, in document order."""
    return [(kind, float(x), float(width)) for kind, x, width in RECT.findall(html)]


@pytest.mark.parametrize("code", ["de", "ar"])
def test_grouped_bars_are_as_long_as_their_numbers_on_a_scale_from_zero(data, code: str) -> None:
    chart = _figure(data, code, "angebote-nach-jahr").split("kt-fig-legend")[0]  # the bars, not the legend keys
    bars = [bar for bar in _bars(chart) if bar[0] == "kt-fig-bar"]
    widths = [width for _, _, width in bars]
    # Sprachkurs 34 | 52, Beratung 20 | 18, Sportverein 12 | 27 per cent, on a scale 0..100 %
    assert widths == [34, 52, 20, 18, 12, 27]
    assert widths[1] / widths[0] == pytest.approx(52 / 34)
    if code == "ar":  # right to left: every bar starts at the right edge
        assert all(x + width == pytest.approx(100) for _, x, width in bars)
    else:
        assert all(x == 0 for _, x, _ in bars)


def test_grouped_bars_name_their_series_beside_every_bar_not_by_colour_alone(data) -> None:
    html = _figure(data, "de", "angebote-nach-jahr")
    rows = re.findall(r'<div class="kt-chart__row kt-fig-group__row kt-fig-group__row--\d">'
                      r'<span class="kt-chart__label">([^<]*)</span>.*?<span class="kt-chart__value">([^<]*)</span>',
                      html)
    assert rows[:2] == [("2022", "34 %"), ("2024", "52 %")]
    assert 'class="kt-fig-bar__stripes"' in html  # the second series is striped, not only another colour
    scale = re.search(r'<span class="kt-chart__scale">(.*?)</span></div>', html).group(1)
    assert re.findall(r"<span>([^<]*)</span>", scale) == ["0", "50", "100 %"]


@pytest.mark.parametrize(("code", "negative_left"), [("de", True), ("ar", False), ("ls", True)])
def test_likert_negative_answers_lie_on_one_side_of_the_centre_line(data, code: str, negative_left: bool) -> None:
    html = _figure(data, code, "zufriedenheit")
    rows = html.split('<span class="kt-chart__track" data-likert="">')[1:]
    assert len(rows) == 3
    for row in rows:
        svg = row.split("</svg>")[0]
        segments = _bars(svg)
        assert len(segments) == 5  # „keine Angabe“ is not drawn on either side
    third = rows[2].split("</svg>")[0]  # Wohnungssuche: 30 + 35 negative, 15 neutral, 10 + 4 positive
    found = re.findall(r'kt-likert__seg--(\w+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', third)
    sides = {side: [(float(x), float(width)) for s, x, width in found if s == side] for side in ("negativ", "neutral", "positiv")}
    for x, width in sides["negativ"]:
        assert (x + width <= 50) if negative_left else (x >= 50)
    for x, width in sides["positiv"]:
        assert (x >= 50) if negative_left else (x + width <= 50)
    (neutral_x, neutral_width), = sides["neutral"]
    assert neutral_x + neutral_width / 2 == pytest.approx(50)  # half on each side
    # lengths compared: all negative answers (65 %) against all positive ones (14 %)
    negative = sum(width for _, width in sides["negativ"])
    positive = sum(width for _, width in sides["positiv"])
    assert negative / positive == pytest.approx(65 / 14)
    assert re.search(r'kt-likert__centre" x1="50" x2="50"', third)


def test_likert_writes_out_every_percentage_and_keeps_no_answer_apart(data) -> None:
    html = _figure(data, "de", "zufriedenheit")
    assert '<span class="kt-likert__apart">keine Angabe: 6 %</span>' in html
    assert "sehr unzufrieden: 30 %" in html and "sehr zufrieden: 4 %" in html
    parts = re.findall(r'<p class="kt-fig-parts kt-likert__parts">(.*?)</p>', html)
    assert len(parts) == 3 and all("keine Angabe" not in part for part in parts)
    table = parse_table(html)
    assert table[0] == ["Kategorie", "sehr unzufrieden", "eher unzufrieden", "teils-teils", "eher zufrieden",
                        "sehr zufrieden", "keine Angabe", "Befragte"]
    assert table[3] == ["Wohnungssuche", "30 %", "35 %", "15 %", "10 %", "4 %", "6 %", "45"]


def parse_table(html: str) -> list[list[str]]:
    body = html.split("<table", 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


@pytest.mark.parametrize("code", ["de", "ar"])
def test_cross_table_is_only_a_table_with_headers_and_n_per_column(data, code: str) -> None:
    html = _figure(data, code, "sprachen-nach-gruppe")
    assert "<svg" not in html
    assert html.count('<th scope="col">') == 7 and html.count('<th scope="row">') == 4
    header = parse_table(html)[0]
    assert header[1].endswith("(n = 15)") and header[7].endswith("(n = 17)")
    assert '<div class="kt-scroll"><table class="kt-table kt-chart__table kt-cross">' in html
    assert '<p class="kt-scroll-hint">' in html


def test_every_kind_is_in_the_downloads_with_its_kind_and_likert_side(data) -> None:
    rows = {table.name: table for table in tables(data, LANGUAGES["de"])}["abbildungen"].records()
    kinds = {(row["abbildung"], row["art"]) for row in rows}
    assert kinds == {("angebote-nach-jahr", "grouped-bar"), ("zufriedenheit", "likert"),
                     ("sprachen-nach-gruppe", "cross-table")}
    likert = [row for row in rows if row["abbildung"] == "zufriedenheit" and row["kategorie"] == "Wohnungssuche"]
    assert [(row["reihe"], row["seite"], row["wert"]) for row in likert] == [
        ("sehr unzufrieden", "negativ", 30), ("eher unzufrieden", "negativ", 35), ("teils-teils", "neutral", 15),
        ("eher zufrieden", "positiv", 10), ("sehr zufrieden", "positiv", 4), ("keine Angabe", "keine-angabe", 6)]
    cross = [row for row in rows if row["abbildung"] == "sprachen-nach-gruppe" and row["reihe"] == "Arabisch"]
    assert [(row["kategorie"], row["wert"], row["n_kategorie"]) for row in cross][-1] == (
        "Geflüchtete in Gemeinschaftsunterkünften", 41, 17)


# --- the built site in a browser and the PDF --------------------------------------------------------------

@pytest.fixture(scope="module")
def survey_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(make_project(tmp_path_factory.mktemp("survey-site"), MINIMAL, _survey_files()))


PROBE = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.right, r.width]; };
  const grouped = document.querySelector('#abbildung-angebote-nach-jahr');
  const bars = [...grouped.querySelectorAll('.kt-fig-group__row .kt-chart__track')].map((track) =>
      [box(track), box(track.querySelector('rect'))]);
  const likert = [...document.querySelectorAll('#abbildung-zufriedenheit .kt-likert .kt-chart__track')].map((track) => ({
      centre: box(track.querySelector('.kt-likert__centre')),
      negative: [...track.querySelectorAll('.kt-likert__seg--negativ')].map(box),
      positive: [...track.querySelectorAll('.kt-likert__seg--positiv')].map(box)}));
  const cross = document.querySelector('#abbildung-sprachen-nach-gruppe .kt-scroll');
  const hint = document.querySelector('#abbildung-sprachen-nach-gruppe .kt-scroll-hint');
  return {page: document.documentElement.scrollWidth, view: window.innerWidth, bars, likert,
          crossScrolls: cross.scrollWidth > cross.clientWidth, crossInside: box(cross)[1] <= window.innerWidth + 0.5,
          hint: getComputedStyle(hint).display !== 'none', dir: getComputedStyle(grouped).direction};
}"""


def _axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("variant", ["", "ar/", "ls/"])
def test_what_the_reader_sees(browser, survey_site: Path, variant: str, width: int) -> None:
    from browsing import serve

    with serve(survey_site) as url:
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.add_init_script(_axe_script())
        page = context.new_page()
        page.goto(f"{url}/{variant}umfrage/")
        page.wait_for_timeout(100)
        seen = page.evaluate(PROBE)
        if width == 390:  # axe-core on the figures (WCAG 2.1 A/AA), once per language
            results = page.evaluate("() => axe.run('.kt-figure', {runOnly: {type: 'tag', values: "
                                    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})")
            assert [(item["id"], [node["target"] for node in item["nodes"]]) for item in results["violations"]] == []
        context.close()
    rtl = variant == "ar/"
    assert seen["dir"] == ("rtl" if rtl else "ltr")
    assert seen["page"] <= seen["view"]  # nothing pushes the page sideways
    # grouped bars: lengths in the ratio of their numbers, growing from the side where reading starts
    (track, first), (_, second) = seen["bars"][:2]  # Sprachkurs 2022: 34 %, 2024: 52 %
    assert second[2] / first[2] == pytest.approx(52 / 34, rel=0.03)
    assert first[2] / track[2] == pytest.approx(0.34, rel=0.03)
    if rtl:
        assert first[1] == pytest.approx(track[1], abs=1)
    else:
        assert first[0] == pytest.approx(track[0], abs=1)
    # Likert: negative answers on the start side of the centre line, positive ones on the other
    for row in seen["likert"]:
        centre = (row["centre"][0] + row["centre"][1]) / 2
        for left, right, _ in row["negative"]:
            assert (left >= centre - 1) if rtl else (right <= centre + 1)
        for left, right, _ in row["positive"]:
            assert (right <= centre + 1) if rtl else (left >= centre - 1)
    # cross table: the wide table scrolls inside its own box, the hint says so exactly then
    assert seen["crossInside"]
    assert seen["hint"] == seen["crossScrolls"]
    if width == 390:
        assert seen["crossScrolls"]


def test_the_pdf_has_the_numbers_as_text(survey_site: Path) -> None:
    for path, words in [("integrationskonzept.pdf", ["sehr unzufrieden: 30 %", "keine Angabe: 6 %", "2024 (n = 140)",
                                                     "(n = 17)", "Negative Antworten"]),
                        ("ar/integrationskonzept.pdf", ["34٪", "52٪", "41٪", "17 = n"])]:
        text = subprocess.run(["pdftotext", "-layout", str(survey_site / path), "-"], capture_output=True,
                              text=True, check=True).stdout
        text = re.sub(r"[ \t]+", " ", re.sub("[\u202a-\u202e]", "", text))  # without pdftotext's bidi marks
        for word in words:
            assert word in text, (path, word)


@pytest.mark.parametrize("variant", ["", "ar/", "ls/"])
def test_the_pdf_passes_pdfua_with_the_new_figures(survey_site: Path, variant: str) -> None:
    """Bars and legend keys are artifacts (decoration beside their words), not untagged figures."""
    import json
    import sys

    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json",
                             str(survey_site / variant / "integrationskonzept.pdf")],
                            capture_output=True, text=True, timeout=300, check=False)
    findings = json.loads(result.stdout)["findings"]
    assert [(item["rule_id"], item["message"][:60]) for item in findings if item["severity"] == "error"] == []


@pytest.mark.parametrize("variant", ["", "ar/", "ls/"])
def test_no_word_of_the_pdf_runs_off_the_page(survey_site: Path, variant: str) -> None:
    """Wide figure tables (eight columns, a cross table of seven groups) stay inside the page margins."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(survey_site / variant / "integrationskonzept.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    # the pages of the figures: their source line, or (Arabic: words come out in presentation forms) numbers
    # of the grouped bars and of the cross table
    markers = {"": ["Testbefragung"], "ar/": ["52٪", "41٪"], "ls/": ["Testen."]}[variant]
    pages = [page for page in boxes.split("<page ")[1:] if any(f">{marker}</word>" in page for marker in markers)]
    assert len(pages) >= 2
    outside = [(word, float(right)) for page in pages
               for right, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', page)
               if float(right) > width - 28]  # 1 cm of the margin may be used, not the paper's edge
    assert outside == []


@pytest.mark.parametrize("variant", ["", "ls/"])
def test_no_word_on_any_page_runs_off_where_texts_are_not_yet_translated(survey_site: Path, variant: str) -> None:
    """The fixture has no Leichte Sprache texts: each state carries the note „Diesen Text gibt es noch nicht in
    Leichter Sprache.“, which must wrap inside its cell instead of pushing the table past the page."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(survey_site / variant / "integrationskonzept.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    outside = [(number, word) for number, page in enumerate(boxes.split("<page ")[1:], start=1)
               for right, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', page)
               if float(right) > width - 28]
    assert outside == []


def test_the_page_has_every_figure(survey_site: Path) -> None:
    page = parse(survey_site / "umfrage" / "index.html")
    kinds = [figure.attrs["class"] for figure in page.all("figure")]
    assert kinds == ["kt-chart kt-figure kt-figure--grouped-bar", "kt-chart kt-figure kt-figure--likert",
                     "kt-chart kt-figure kt-figure--cross-table"]


def test_likert_without_neutral_middle_starts_both_sides_at_the_centre_line() -> None:
    from types import SimpleNamespace as Record

    from klartext.charts import likert_chart

    answer = lambda side, values: Record(side=side, values=values)  # noqa: E731
    figure = Record(categories=["A"], series=[answer("negativ", [10]), answer("negativ", [30]),
                                              answer("positiv", [40]), answer("keine-angabe", [20])])
    # extents: 40 negative, 40 positive -> scale 0..50 each side, 1 % = 1 unit of the 0..100 box
    chart = likert_chart(figure)
    assert chart.maximum == 50 and chart.ticks == (50, 0, 50)
    (row,) = chart.rows
    geometry = [(segment.side, segment.x, segment.width) for segment in row.segments]
    # the stronger negative answer (10 %) lies outside the weaker one (30 %), next to the centre line
    assert geometry == [("negativ", 10, 10), ("negativ", 20, 30), ("positiv", 50, 40)]
    assert row.neutral is None and row.no_answer == [(3, 20)]
    mirrored = likert_chart(figure, rtl=True)
    assert [(s.x, s.width) for s in mirrored.rows[0].segments] == [(80, 10), (50, 30), (10, 40)]
