"""Open-data downloads (validated against their own datapackage.json with frictionless), CSV
injection defused, and the Atom feed (parsed, ids stable, linked from every page)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from frictionless import validate

from helpers import MINIMAL, ROOT, edit, make_project, mkdocs, read_config
from html_tools import html_pages, parse, resolve
from klartext.opendata import csv_cell

ATOM = "{http://www.w3.org/2005/Atom}"
LANGUAGES = ["", "en/", "ar/", "tr/", "uk/", "ru/", "ls/"]


@pytest.mark.parametrize("prefix", LANGUAGES, ids=lambda prefix: prefix.strip("/") or "de")
def test_downloads_validate_against_their_datapackage(site: Path, prefix: str) -> None:
    descriptor = site / prefix / "daten" / "datapackage.json"
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    names = {resource["name"] for resource in package["resources"]}
    assert names == {f"{table}-{fmt}" for table in ("massnahmen", "ziele", "indikatoren", "indikator-werte",
                                                     "akteure", "termine", "abbildungen") for fmt in ("csv", "json")}
    rows = {task.name: task.stats.get("rows") for task in report.tasks}
    assert rows["massnahmen-csv"] == rows["massnahmen-json"] == len(
        [m for path in (ROOT / "data" / "fields").glob("*.yml")
         for m in yaml.safe_load(path.read_text(encoding="utf-8")).get("measures", [])])
    assert package["licenses"][0]["name"] == "dl-de/by-2-0"


def test_validation_catches_a_broken_download(site: Path, tmp_path: Path) -> None:
    """The check above can fail: a wrong type in the JSON download is reported."""
    copy = tmp_path / "daten"
    copy.mkdir()
    for path in (site / "daten").iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    rows = json.loads((copy / "indikatoren.json").read_text(encoding="utf-8"))
    rows[0]["ausgangswert"] = "zwanzig"
    (copy / "indikatoren.json").write_text(json.dumps(rows), encoding="utf-8")
    assert not validate(str(copy / "datapackage.json")).valid


def test_downloads_are_in_the_page_language_and_the_data_page_links_them(site: Path) -> None:
    arabic = json.loads((site / "ar" / "daten" / "ziele.json").read_text(encoding="utf-8"))
    german = json.loads((site / "daten" / "ziele.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in arabic] == [row["id"] for row in german]
    assert any(a["titel"] != g["titel"] for a, g in zip(arabic, german))
    page = site / "ar" / "daten" / "index.html"
    targets = {resolve(site, page, tag.attrs["href"])[0].name for tag in parse(page).all("a") if "download" in tag.attrs}
    assert {"massnahmen.csv", "massnahmen.json", "datapackage.json", "termine.csv"} <= targets


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+49 5132", "'+49 5132"), ("-1+2", "'-1+2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("Sprachkurs", "Sprachkurs"), (33000.0, "33000"),
    (12.5, "12.5"), (True, "true"), (None, ""),
])
def test_csv_cells_are_defused(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_formula_in_the_data_is_defused_in_csv_and_escaped_in_the_feed(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    edit(project / "data" / "field.yml", "    title: Lesepatenschaften\n",
         "    title: \"=cmd|' /C calc'!A0 <b>&\"\n")
    result = mkdocs(project, "build", "--strict", env={"KLARTEXT_PDF": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    rows = list(csv.DictReader(io.StringIO((project / "site" / "daten" / "massnahmen.csv").read_text(encoding="utf-8"))))
    assert rows[0]["titel"] == "'=cmd|' /C calc'!A0 <b>&"
    feed = ET.parse(project / "site" / "feed.xml").getroot()
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == "=cmd|' /C calc'!A0 <b>&: Fortschrittsmeldung"


def _feed(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    return root


SITE_URL = read_config(ROOT / "mkdocs.yml")["site_url"]


@pytest.mark.parametrize("prefix", LANGUAGES, ids=lambda prefix: prefix.strip("/") or "de")
def test_atom_feed_is_valid(site: Path, prefix: str) -> None:
    root = _feed(site / prefix / "feed.xml")
    for name in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert root.find(ATOM + name) is not None and root.find(ATOM + name).text, name
    entries = root.findall(f"{ATOM}entry")
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(ids) == len(set(ids)) > 0
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    for entry in entries:
        assert entry.find(f"{ATOM}title").text
        assert stamp.match(entry.find(f"{ATOM}updated").text)
        link = entry.find(f"{ATOM}link").attrib
        # absolute (feed readers need the address), from site_url
        assert link["href"].startswith(SITE_URL + prefix), link
        target = site / link["href"].removeprefix(SITE_URL) / "index.html"
        assert target.is_file(), link
    newest = max(entry.find(f"{ATOM}updated").text for entry in entries)
    assert root.find(f"{ATOM}updated").text == newest
    assert all(identifier.startswith("tag:lehrte.de,2021:integrationskonzept/") for identifier in ids)


def test_feed_ids_are_the_same_in_every_language_and_come_from_the_data(site: Path) -> None:
    german = [e.find(f"{ATOM}id").text for e in _feed(site / "feed.xml").findall(f"{ATOM}entry")]
    arabic = [e.find(f"{ATOM}id").text for e in _feed(site / "ar" / "feed.xml").findall(f"{ATOM}entry")]
    assert german == arabic
    assert "tag:lehrte.de,2021:integrationskonzept/massnahme/weitere-unternehmen/meldung-2023-1" in german


def test_every_page_links_the_feed_of_its_language(site: Path) -> None:
    for page in html_pages(site):
        # no <link rel="alternate"> at all: Material would download sitemap.xml beside each one
        assert [tag for tag in parse(page).all("link") if tag.attrs.get("rel") == "alternate"] == [], page
        visible = [tag for tag in parse(page).all("a") if tag.attrs.get("type") == "application/atom+xml"]
        assert visible, page  # under the content (the changes and data pages link it once more)
        prefix = page.relative_to(site).parts[0]
        expected = site / prefix / "feed.xml" if prefix + "/" in LANGUAGES else site / "feed.xml"
        for link in visible:
            assert resolve(site, page, link.attrs["href"])[0] == expected, page


def test_minimal_build_feeds_and_downloads_are_byte_identical_across_builds(tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        project = make_project(tmp_path / run, MINIMAL)
        result = mkdocs(project, "build", "--strict", env={"KLARTEXT_PDF": "0"})
        assert result.returncode == 0, result.stdout + result.stderr
        site = project / "site"
        outputs.append({path.relative_to(site).as_posix(): path.read_bytes()
                        for path in [*site.rglob("feed.xml"), *site.rglob("daten/*"), *site.rglob("fortschritt/*")]
                        if path.is_file()})
    assert outputs[0] == outputs[1] and len(outputs[0]) > 10
