"""Leichte Sprache as its own design, checked as a reader sees it (Debian's Chromium via Playwright) and
as staff meet it (German messages): body text of at least 18 px, one sentence per rendered line (web
and PDF), a pictogram with a text alternative beside every field, no staff pages in the menu."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from browsing import SitePage, site_pages
from helpers import MINIMAL
from klartext.problems import DataError
from klartext.sentences import split_sentences
from klartext.validation import load_concept

WIDTHS = (390, 1280)
LS = "ls"

_SENTENCE_LINES = r"""() => {
  // Every body-text element of the article: its text (tooltips of glossary terms left out) is cut
  // into sentences; two sentences may not share a rendered line box.
  const ends = /[.!?…]+[“”"»«)’']*(?=\s+[„“"»«(]?[A-ZÄÖÜ0-9])/g;
  const noEnd = /(?:^|[\s(])(?:\d{1,2}|[A-Za-zÄÖÜäöü]|z\.\s?B|d\.\s?h|u\.\s?a|usw|bzw|ca|etc|evtl|ggf|inkl|vgl|sog|Nr|Tel|Str|Dr|Hr|Fr|Abs|bspw|St|Prof)\.$/;
  const problems = [];
  let sentences = 0;
  const blocks = document.querySelectorAll(
    "article p, article li, article dd, article dt, article td, article th, article figcaption");
  for (const block of blocks) {
    if (block.closest(".kt-term__tip, script, style, nav, .md-source-file")) continue;
    if (block.querySelector("p, li, dd, td")) continue;  // only the innermost blocks
    const nodes = [], starts = [];
    let text = "";
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".kt-term__tip")) continue;
      nodes.push(node); starts.push(text.length); text += node.textContent;
    }
    const locate = offset => {
      let index = 0;
      while (index + 1 < nodes.length && starts[index + 1] <= offset) index++;
      return [nodes[index], Math.min(offset - starts[index], nodes[index].textContent.length)];
    };
    const cuts = [];
    let from = 0;
    for (const match of text.matchAll(ends)) {
      const end = match.index + match[0].length;
      if (noEnd.test(text.slice(from, end))) continue;
      cuts.push(end); from = end;
    }
    const bounds = [];
    let start = 0;
    for (const cut of [...cuts, text.length]) {
      const piece = text.slice(start, cut);
      const lead = piece.length - piece.trimStart().length, trail = piece.length - piece.trimEnd().length;
      if (piece.trim()) bounds.push([start + lead, cut - trail]);
      start = cut;
    }
    sentences += bounds.length;
    const rects = bounds.map(([from, to]) => {
      const range = document.createRange();
      range.setStart(...locate(from)); range.setEnd(...locate(to));
      return [...range.getClientRects()].filter(rect => rect.width > 0 && rect.height > 0);
    });
    for (let index = 0; index + 1 < rects.length; index++) {
      const last = rects[index][rects[index].length - 1], first = rects[index + 1][0];
      if (!last || !first) continue;
      const overlap = Math.min(last.bottom, first.bottom) - Math.max(last.top, first.top);
      if (overlap > Math.min(last.height, first.height) / 2) {
        problems.push(text.slice(bounds[index][0], bounds[index + 1][1]).replace(/\s+/g, " ").slice(0, 120));
      }
    }
  }
  return {sentences, problems};
}"""

_FONT_SIZES = """() => {
  const small = [];
  let checked = 0;
  for (const element of document.querySelectorAll("article p, article li, article dd, article dt, article td, article th, article caption, article figcaption, article small")) {
    if (element.closest(".kt-term__tip") || !element.textContent.trim() || !element.getClientRects().length) continue;
    checked++;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 18) small.push(`${element.tagName.toLowerCase()}.${element.className}: ${size}px „${element.textContent.trim().slice(0, 40)}“`);
  }
  return {checked, body: parseFloat(getComputedStyle(document.querySelector("article p")).fontSize),
          line: parseFloat(getComputedStyle(document.querySelector("article p")).lineHeight), small};
}"""

_PICTOGRAMS = """() => [...document.querySelectorAll("article img.kt-picto")].map(image => {
  const box = image.getBoundingClientRect();
  const title = image.closest(".kt-card") ? image.closest(".kt-card").querySelector(".kt-card__title a")
                                          : document.querySelector("article h1");
  const near = title.getBoundingClientRect();
  return {alt: image.getAttribute("alt"), loaded: image.complete && image.naturalWidth > 0,
          width: box.width, gap: Math.max(near.top - box.bottom, box.top - near.bottom),
          title: title.textContent.trim()};
})"""


def _ls_pages(site: Path) -> list[SitePage]:
    """The Leichte Sprache pages a reader meets: start, every field, every measure, the overview, the
    glossary, contact and the hand-written pages."""
    wanted = ("start", "handlungsfelder/*", "massnahmen/*", "massnahmen", "glossar", "kontakt", "ueber",
              "arbeitsstand", "beteiligung", "akteure", "barrierefreiheit", "datenschutz")
    return [page for page in site_pages(site) if page.variant == LS and page.kind in wanted]


@pytest.fixture(scope="module")
def tab(browser: Any) -> Any:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_easy_read_body_text_is_at_least_18_px(tab: Any, site: Path, site_url: str) -> None:
    problems, checked = [], 0
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        for page in _ls_pages(site)[:: 1 if width == 390 else 3]:
            tab.goto(site_url + page.url)
            result = tab.evaluate(_FONT_SIZES)
            checked += result["checked"]
            problems += [f"{width}px {page.url}: {item}" for item in result["small"]]
            if result["line"] < 1.5 * result["body"]:
                problems.append(f"{width}px {page.url}: line height {result['line']} for {result['body']} px")
    assert checked > 500
    assert problems == [], "\n".join(problems[:40])


def test_easy_read_shows_one_sentence_per_line(tab: Any, site: Path, site_url: str) -> None:
    problems, sentences = [], 0
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        for page in _ls_pages(site):
            tab.goto(site_url + page.url)
            result = tab.evaluate(_SENTENCE_LINES)
            sentences += result["sentences"]
            problems += [f"{width}px {page.url}: {text}" for text in result["problems"]]
    assert sentences > 2000
    assert problems == [], "\n".join(problems[:40])


def test_every_field_has_a_pictogram_with_a_text_alternative(tab: Any, site: Path, site_url: str) -> None:
    fields = [page for page in site_pages(site) if page.variant == LS and page.kind == "handlungsfelder/*"]
    assert len(fields) == 9
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto(site_url + "/ls/")
        cards = tab.evaluate("() => document.querySelectorAll('article .kt-card').length")
        pictures = tab.evaluate(_PICTOGRAMS)
        assert cards == len(fields) and len(pictures) == cards, pictures
        for page in fields:
            tab.goto(site_url + page.url)
            pictures += tab.evaluate(_PICTOGRAMS)
        assert len(pictures) == 2 * len(fields)
        for picture in pictures:
            assert picture["loaded"] and picture["width"] >= 40, picture
            assert picture["alt"].startswith("Bild zum Thema ") and len(picture["alt"]) > 16, picture
            assert picture["gap"] < 60, picture  # beside or right above the field's title


def test_easy_read_menu_has_no_staff_pages(tab: Any, site_url: str) -> None:
    def menu(url: str) -> list[str]:
        tab.goto(site_url + url)
        return tab.evaluate("() => [...document.querySelectorAll('.md-sidebar--primary .md-nav__link')]"
                            ".map(link => (link.getAttribute('href') || '') + ' ' + link.textContent.trim())")

    # a section is open on its own pages (Material prunes closed sections): staff pages sit in the
    # section about the site, beside the accessibility statement
    german = menu("/uebersetzungen/") + menu("/datenqualitaet/")  # each links the other
    easy = menu("/ls/barrierefreiheit/") + menu("/ls/fortschritt/") + menu("/ls/")
    staff = ("uebersetzungen/", "datenqualitaet/")
    assert all(any(page in entry for entry in german) for page in staff), german  # the test sees them
    assert [entry for entry in easy if any(page in entry for page in staff)] == []
    assert any("daten/" in entry for entry in easy)  # the section itself is there
    titles = [entry.split(" ", 1)[1] for entry in easy if " " in entry]
    assert "Wie weit sind wir?" not in titles and "Wie weit ist die Arbeit?" in titles  # no look-alikes


def test_easy_read_pdf_shows_one_sentence_per_line(site: Path, tmp_path: Path) -> None:
    """The Leichte Sprache PDF: no line of running text holds the end of one sentence and the start
    of the next (pdftotext keeps the rendered lines); its body type is 14 pt (18.7 px)."""
    pdf = site / LS / "integrationskonzept.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip() and "   " not in line.strip()]
    assert len(lines) > 1000
    joined = [line for line in lines if len(split_sentences(line)) > 1 and not re.match(r"^\d+\.", line)
              and "...." not in line]  # table of contents: leader dots before the page number
    assert joined == [], "\n".join(joined[:30])
    image = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "5", "-l", "5", str(pdf), str(image)], check=True)
    assert list(tmp_path.glob("page*.png"))


def test_a_missing_pictogram_is_a_german_message_with_file_and_line(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(MINIMAL / "data", project / "data")
    (project / "docs" / "bilder").mkdir(parents=True)
    field_file = project / "data" / "field.yml"
    original = field_file.read_text(encoding="utf-8")
    field_file.write_text(original.replace("    state: in-arbeit\n", "    state: in-arbeit\n"
                                           "    pictogram: bilder/fehlt.svg\n", 1), encoding="utf-8")
    line = next(number for number, text in enumerate(field_file.read_text(encoding="utf-8").splitlines(), 1)
                if "pictogram:" in text)
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", ["en", "ls"], project, project / "docs")
    assert [str(problem) for problem in caught.value.problems] == [
        f"data/field.yml:{line}: Die Bilddatei „bilder/fehlt.svg“ (in „pictogram“) gibt es nicht im Ordner "
        "docs/. Bitte die Datei dort ablegen oder den Namen prüfen (Groß- und Kleinschreibung zählt)."]
    field_file.write_text(original.replace("    state: in-arbeit\n", "    state: in-arbeit\n"
                                           "    pictogram: rakete\n", 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", ["en", "ls"], project, project / "docs")
    assert "Das Piktogramm „rakete“ gibt es nicht. Eingebaut sind: arbeit, bildung" in str(caught.value.problems[0])
    (project / "docs" / "bilder" / "kita.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    field_file.write_text(original.replace("    state: in-arbeit\n", "    state: in-arbeit\n"
                                           "    pictogram: bilder/kita.svg\n", 1), encoding="utf-8")
    data, _ = load_concept(project / "data", ["en", "ls"], project, project / "docs")
    assert data.fields[0].pictogram == "bilder/kita.svg"
