"""Hostile text in data fields stays text: on every page, in the PDF and in every download."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from helpers import build, make_project, read_config, write_config
from html_tools import html_pages

PAYLOAD = ('<script>alert("xss")</script> <img src=x onerror=alert(2)> [klick](javascript:alert(3)) '
           '<!-- versteckt --> {{ 7*191 }} {% if true %}wahr{% endif %} "><svg onload=alert(4)> '
           '<a href="javascript:alert(5)">link</a> <iframe src="https://evil.example/"></iframe>')
"""Script tags, event attributes, javascript: links in HTML and Markdown, an HTML comment, Jinja
expressions and statements, an attribute break-out and a frame."""
QUOTES = """" onmouseover="alert(document.domain)" x=" ' onfocus='alert(6)' autofocus x='"""
"""An attribute break-out with double and with single quotes (no angle brackets): harmless in text,
script on every page when printed unescaped inside an attribute (Material's ``aria-label``)."""
FORMULA = '=HYPERLINK("https://evil.example/","Klick")'
"""A spreadsheet formula (CSV injection)."""


def _hostile(text: str) -> str:
    return f"{text} {PAYLOAD}"


def _edit_yaml(path: Path, change) -> None:  # noqa: ANN001
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _quoted(text: str) -> str:
    return f"{text} {QUOTES}"


def _poison_field_file(data: dict) -> None:
    field, goal, indicator, measure = data["fields"][0], data["goals"][0], data["indicators"][0], data["measures"][0]
    field["title"] = _quoted(field["title"])  # navigation, page title, breadcrumbs
    field["summary"] = _hostile(field["summary"])
    field["description"] = _hostile(field["description"])
    goal["title"] = _hostile(goal["title"])
    indicator["title"] = _hostile(indicator["title"])
    indicator["source"] = _hostile(indicator["source"])
    measure["title"] = FORMULA
    measure["summary"] = _hostile(measure["summary"])
    measure["description"] = _hostile(measure["description"])
    measure["target_groups"] = [_hostile("Kinder")]
    measure["updates"][0]["text"] = _hostile(measure["updates"][0]["text"])
    measure["schedule"]["milestones"][0]["title"] = _hostile("Start")
    data["actors"][0]["name"] = _hostile(data["actors"][0]["name"])
    data["events"][0]["title"] = _hostile(data["events"][0]["title"])
    data["glossary"][0]["term"] = _quoted(data["glossary"][0]["term"])
    data["glossary"][0]["definition"] = _hostile(data["glossary"][0]["definition"])


def _poison_concept(data: dict) -> None:
    concept = data["concept"]
    concept["title"] = _quoted(concept["title"])  # the site name on every page
    concept["intro"] = _hostile(concept["intro"])
    concept["easy_read"] = _hostile(concept["easy_read"])
    concept["accessibility"]["barriers"][0]["content"] = _hostile("Barriere")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile"))
    _edit_yaml(project / "data" / "field.yml", _poison_field_file)
    _edit_yaml(project / "data" / "concept.yml", _poison_concept)
    def _poison_english(data: dict) -> None:
        data["measures"]["lesepaten"]["summary"].update(text=_hostile("Volunteers"))
        data["concept"]["title"].update(text=_quoted("Integration concept"))

    _edit_yaml(project / "data" / "translations" / "en.yml", _poison_english)
    # the city's own labels reach Material's footer and the 404 page
    (project / "labels").mkdir()
    (project / "labels" / "de.yml").write_text(yaml.safe_dump(
        {key: _quoted(key) for key in ("footer.label", "notfound.title", "notfound.start", "feed.link")},
        allow_unicode=True), encoding="utf-8")
    config = read_config(project / "mkdocs.yml")
    config["extra"]["klartext"]["labels_dir"] = "labels"
    write_config(project / "mkdocs.yml", config)
    return build(project)


class _Inspector(HTMLParser):
    """Everything in a page that could run or hide: scripts, event attributes, URLs, comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.comments: list[str] = []
        self.frames = 0
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._in_script = tag == "script"
        self.frames += tag in ("iframe", "frame", "object", "embed")
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}={value}")
            if name in ("href", "src", "action", "formaction", "data", "poster"):
                self.urls.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _inspect(page: Path) -> _Inspector:
    inspector = _Inspector()
    inspector.feed(page.read_text(encoding="utf-8"))
    return inspector


def _compact(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_no_page_runs_or_hides_anything_from_the_data(hostile_site: Path) -> None:
    pages = html_pages(hostile_site) + sorted(hostile_site.glob("**/404.html"))
    assert len(pages) > 50
    for page in pages:
        inspector = _inspect(page)
        where = page.relative_to(hostile_site)
        assert not any("alert(" in script or "evil.example" in script for script in inspector.scripts), where
        assert inspector.handlers == [], where
        assert not [url for url in inspector.urls if url.strip().lower().startswith(("javascript:", "data:text"))
                    or "evil.example" in url], where
        assert not any("versteckt" in comment for comment in inspector.comments), where
        assert inspector.frames == 0, where
        assert "1337" not in page.read_text(encoding="utf-8"), where  # {{ 7*191 }} was not evaluated


def test_hostile_text_is_shown_as_text(hostile_site: Path) -> None:
    shown = {
        "massnahmen/lesepaten/index.html": 3,  # summary, description, update (at least)
        "handlungsfelder/bildung/index.html": 2,  # summary, description, goal title, indicator
        "index.html": 1,  # introduction (and the Leichte Sprache box)
        "barrierefreiheit/index.html": 1,
        "akteure/index.html": 1,
        "beteiligung/index.html": 1,
        "glossar/index.html": 1,
        "en/massnahmen/lesepaten/index.html": 1,  # the hostile English translation
    }
    for page, at_least in shown.items():
        text = _compact("".join(_inspect(hostile_site / page).text))
        assert text.count(PAYLOAD) >= at_least, (page, text.count(PAYLOAD))
    title = _inspect(hostile_site / "massnahmen" / "lesepaten" / "index.html")
    assert FORMULA in "".join(title.text)


def _logo_labels(page: Path) -> list[tuple[str | None, str | None]]:
    """(aria-label, title) of the logo links in the header and the navigation drawer."""
    found = []

    class _Logo(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            values = dict(attrs)
            if tag == "a" and "md-logo" in (values.get("class") or ""):
                found.append((values.get("aria-label"), values.get("title")))

    _Logo(convert_charrefs=True).feed(page.read_text(encoding="utf-8"))
    return found


def test_quotes_in_titles_stay_inside_their_attributes(hostile_site: Path) -> None:
    pages = {"de": hostile_site / "massnahmen" / "lesepaten" / "index.html",
             "en": hostile_site / "en" / "massnahmen" / "lesepaten" / "index.html",
             "404": hostile_site / "404.html"}
    titles = {"de": "Integrationskonzept Musterstadt", "en": "Integration concept", "404": "Integrationskonzept Musterstadt"}
    for kind, page in pages.items():
        expected = _quoted(titles[kind])
        assert _logo_labels(page) == [(expected, expected)] * 2, kind  # read back exactly, not escaped twice
        assert "<title>" in page.read_text(encoding="utf-8")
    text = _compact("".join(_inspect(hostile_site / "handlungsfelder" / "bildung" / "index.html").text))
    assert QUOTES in text  # the field title in the navigation and the heading
    footer = _compact("".join(_inspect(hostile_site / "404.html").text))
    assert _quoted("notfound.title") in footer and _quoted("notfound.start") in footer


def test_pdf_prints_hostile_text_literally(hostile_site: Path) -> None:
    pdf = next(hostile_site.glob("*.pdf"))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(pdf).pages))
    for part in ('<script>alert("xss")</script>', "onerror=alert(2)", "{{7*191}}", "{%iftrue%}wahr{%endif%}",
                 "<!--versteckt-->", 'href="javascript:alert(5)"'):
        assert part in text, part
    assert "1337" not in text


def test_downloads_keep_hostile_text_as_data(hostile_site: Path) -> None:
    folders = sorted({path.parent for path in hostile_site.glob("**/daten/datapackage.json")})
    assert len(folders) == 7
    for folder in folders:
        found_payload = found_formula = False
        for path in sorted(folder.glob("*.json")):
            text = path.read_text(encoding="utf-8")
            json.loads(text)  # still valid JSON
            found_payload |= PAYLOAD in text.replace('\\"', '"')
        for path in sorted(folder.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.reader(handle):
                    for cell in row:
                        assert not cell.startswith(("=", "+", "-", "@")) or cell.lstrip("-").replace(".", "").isdigit(), \
                            (path.name, cell)
                        found_formula |= cell == "'" + FORMULA
        assert found_payload, folder
        # the formula is the German title (English shows its translation)
        assert found_formula == (folder.parent.name != "en"), folder


def test_atom_feeds_are_well_formed_and_carry_the_text(hostile_site: Path) -> None:
    feeds = sorted(hostile_site.glob("**/feed.xml"))
    assert len(feeds) == 7
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    for path in feeds:
        root = ET.parse(path).getroot()  # a stray "<" would make this fail
        texts = " ".join(element.text or "" for element in root.iter())
        assert "1337" not in texts
        for link in root.iterfind(".//atom:link", namespace):
            assert not link.get("href", "").lower().startswith("javascript:"), path
    german = ET.parse(hostile_site / "feed.xml").getroot()
    assert PAYLOAD in " ".join(element.text or "" for element in german.iter())


def test_spreadsheet_export_keeps_formulas_and_markup_as_text(hostile_site: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from klartext.spreadsheet import MEASURES, export_workbook, import_workbook
    from klartext.validation import load_concept

    project = hostile_site.parent
    languages = ["en", "ar", "ls"]
    data, _ = load_concept(project / "data", languages, project)
    path = tmp_path / "konzept.xlsx"
    export_workbook(data, path)
    book = load_workbook(path)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []  # no live formula
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert FORMULA in texts and any(PAYLOAD in text for text in texts)
    before = {path.name: path.read_bytes() for path in (project / "data").rglob("*.yml")}
    report = import_workbook(path, project / "data", project, languages)
    assert report.problems == [] and report.changed == []  # read back as the same text
    assert {path.name: path.read_bytes() for path in (project / "data").rglob("*.yml")} == before
    assert book[MEASURES]["C2"].value == FORMULA


_HANDLERS = """() => [...document.querySelectorAll('*')].flatMap(element =>
    [...element.attributes].filter(a => a.name.startsWith('on')).map(a => element.tagName + ' ' + a.name))"""


def test_browser_runs_nothing_from_the_data(hostile_site: Path, browser) -> None:  # noqa: ANN001
    """Every page kind of every language in Chromium: hovering and focusing the site name shows no
    dialog, and no element carries an event attribute."""
    from browsing import one_per_kind, serve, site_pages

    pages = one_per_kind(site_pages(hostile_site))
    assert len(pages) > 40 and {page.kind for page in pages} >= {"start", "404", "massnahmen/*", "handlungsfelder/*"}
    dialogs: list[str] = []
    with serve(hostile_site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.route(lambda url: not url.startswith(base + "/"), lambda route: route.abort())
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(f"{tab.url}: {dialog.message}"), dialog.dismiss()))
        for page in pages:
            tab.goto(base + page.url, wait_until="load")
            tab.locator(".md-header .md-logo").hover()
            tab.keyboard.press("Tab")
            assert tab.evaluate(_HANDLERS) == [], page.path
            assert tab.locator(".md-header .md-logo").get_attribute("aria-label").endswith(QUOTES), page.path
        for variant in ("", "/en"):  # the search result list shows titles and texts from the data
            tab.goto(f"{base}{variant}/", wait_until="load")
            tab.locator("input.md-search__input").click()
            tab.keyboard.type("onmouseover", delay=20)
            tab.wait_for_selector(".md-search-result__item", timeout=20_000)
            tab.locator(".md-search-result__item").first.hover()
            assert tab.evaluate(_HANDLERS) == [], variant
        tab.wait_for_timeout(200)
        context.close()
    assert dialogs == []


def test_search_entries_of_generated_pages_keep_hostile_text_as_text(hostile_site: Path) -> None:
    """The generated pages' search entries come from our splitter (klartext.search_markup): on pages full
    of hostile text it divides every page body into exactly the sections Material's parser makes, and
    the index holds the payload escaped, never as markup."""
    from material.plugins.search.plugin import Parser

    from klartext import search_markup

    article = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.DOTALL)
    compared = 0
    for page in html_pages(hostile_site):
        found = article.search(page.read_text(encoding="utf-8"))
        folder = page.relative_to(hostile_site).parts[-3:-2]
        if found is None or folder not in (("massnahmen",), ("handlungsfelder",)):
            continue
        parser = Parser()
        parser.feed(found.group(1))
        parser.close()
        ours = search_markup.sections(found.group(1))
        assert [(s.id, s.title, s.text) for s in ours] == [(s.id, s.title, s.text) for s in parser.data], page
        compared += 1
    assert compared >= 4
    index = (hostile_site / "search" / "search_index.json").read_text(encoding="utf-8")
    texts = " ".join(doc["title"] + " " + doc["text"] for doc in json.loads(index)["docs"])
    assert "&lt;script&gt;alert(&quot;xss&quot;)" in texts or '&lt;script&gt;alert("xss")' in texts
    assert "<script" not in texts and "<img" not in texts and "<svg" not in texts
