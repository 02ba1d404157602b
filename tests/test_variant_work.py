"""What each language variant does besides its pages, done once where it gives the same result
(14fixed): the data's translatable texts, the theme's files, the sitemap's part; the downloads and the
feed written faster with the same bytes as before."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import pytest

from helpers import ROOT, build_with_recorder
from klartext import feed, opendata
from klartext.controlling import read_settings
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.plugin import sitemap
from klartext.validation import load_concept

CODES = ["en", "ar", "tr", "uk", "ru", "ls"]
LANGUAGES = [Language("de", "Deutsch", default=True), Language("en", "English"), Language("ar", "العربية"),
             Language("tr", "Türkçe"), Language("uk", "Українська"), Language("ru", "Русский"),
             Language("ls", "Leichte Sprache", html_lang="de")]


@pytest.fixture(scope="module")
def example() -> Any:
    data, problems = load_concept(ROOT / "data", CODES, ROOT)
    assert data is not None, problems
    return data


def _labels(language: Language) -> Any:
    return load_labels(language.code, [] if language.default else ["de"])


# --- one parallel build, recorded ---------------------------------------------------------------

RECORDER = '''\
"""Test hook: records, from every process of the build, which variant's build ran, each file MkDocs
copies, each time the data's translatable texts are taken, each sitemap template MkDocs renders."""
import os
import sys

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

RECORD = os.environ["KLARTEXT_TEST_RECORD"]


def _write(line):
    handle = os.open(RECORD, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(handle, (line + "\\n").encode())
    finally:
        os.close(handle)


_copy = File.copy_file


def copy_file(self, dirty=False):
    _write(f"copy {os.getpid()} {self.dest_uri} {self.abs_src_path}")
    return _copy(self, dirty)


File.copy_file = copy_file


@event_priority(1000)
def on_config(config):
    from klartext import translations

    original = translations.entries
    if getattr(original, "recorded", False):
        return config

    def entries(data):
        _write(f"entries {os.getpid()}")
        return original(data)

    entries.recorded = True
    for name, module in list(sys.modules.items()):  # every module that took the function by name
        if name.startswith("klartext") and getattr(module, "entries", None) is original:
            module.entries = entries
    return config


@event_priority(1000)
def on_pre_build(config):
    _write(f"build {os.getpid()} {config.plugins['i18n'].current_language}")


def on_pre_template(template, template_name, config):
    _write(f"template {os.getpid()} {template_name}")
    return template
'''


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[str]]]:
    """The minimal project built in parallel as on two cores, with the recording hook."""
    result, project, record = build_with_recorder(tmp_path_factory.mktemp("recorded"), RECORDER)
    assert "Prozessen gleichzeitig" in result.stderr  # the variants were built in processes of their own
    return project, [line.split(" ", 3) for line in record]


def test_the_data_texts_are_taken_once_not_again_in_each_variant(recorded: tuple[Path, list]) -> None:
    """Fallback texts and the translation status page of each variant took every translatable text of
    the data again (about half of a variant's page list): now the default variant's, before the fork."""
    _, lines = recorded
    variants = {pid: language for what, pid, *rest in lines if what == "build" for language in rest}
    assert len(variants) == 7  # the default variant's process and one per further variant
    taken = Counter(pid for what, pid, *_ in lines if what == "entries")
    default = next(pid for pid, language in variants.items() if language == "de")
    assert {pid: taken[pid] for pid in variants} == {pid: (1 if pid == default else 0) for pid in variants}


def test_the_theme_files_are_copied_once_by_the_default_variant(recorded: tuple[Path, list]) -> None:
    """Material's scripts and stylesheets (and ours) were copied by every variant over the same bytes."""
    project, lines = recorded
    docs = str(project / "docs")
    copies = Counter((dest, source) for what, _, dest, source in (line for line in lines if line[0] == "copy"))
    theme = {key: count for key, count in copies.items() if key[1] != "None" and not key[1].startswith(docs)}
    assert any(dest.startswith("assets/javascripts/bundle.") for dest, _ in theme)
    assert len(theme) > 30 and set(theme.values()) == {1}, theme
    built = project / "site"
    assert all((built / dest).read_bytes() == Path(source).read_bytes() for dest, source in theme)
    # what differs between the variants stays in each: its downloads and feed (and the PDF)
    assert copies[("ar/feed.xml", "None")] == 1 and copies[("ar/daten/massnahmen.csv", "None")] == 1


def test_no_variant_renders_the_sitemap_template_each_hands_its_part(recorded: tuple[Path, list]) -> None:
    """Each variant rendered the i18n plugin's template over its pages and wrote the result (and its gzip
    copy) where the parent then wrote the joined sitemap."""
    project, lines = recorded
    templates = [rest[0] for what, _, *rest in lines if what == "template"]
    assert templates.count("404.html") == 7
    assert "sitemap.xml" not in templates
    text = (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert text.count("<url>") == len(list((project / "site").glob("**/index.html")))  # every page
    assert 'hreflang="de-x-ls"' in text


# --- the sitemap's part: the template's text ---------------------------------------------------

def _page(**attributes: Any) -> Any:
    return SimpleNamespace(**{"is_link": False, "canonical_url": None, "abs_url": None,
                              "update_date": "2024-05-01", **attributes})


def _jinja_sitemap(alternates: dict, site_url: Any) -> str:
    folder = Path(jinja2.__file__).parent.parent / "mkdocs_static_i18n" / "custom_i18n_sitemap"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), auto_reload=False,
                             extensions=["jinja2.ext.loopcontrols"])
    assert sitemap.known_template(env)
    return env.get_template("sitemap.xml").render(i18n_alternates=alternates, config={"site_url": site_url})


def test_the_part_is_what_the_i18n_template_writes() -> None:
    site = "https://example.org/k/"
    alternate = SimpleNamespace(url="en/a/", page=None)
    home = SimpleNamespace(url="./", page=None)
    with_page = SimpleNamespace(url="ar/a/", page=_page(canonical_url="https://example.org/k/ar/a/?x=1&y='2'"))
    without_site = SimpleNamespace(url="ar/b/", page=_page(abs_url="/k/ar/b/<b>"))
    files = [
        SimpleNamespace(url="a/", page=_page(canonical_url="https://example.org/k/a/&"),
                        alternates={"de": None, "en": alternate, "ar": with_page}),
        SimpleNamespace(url="b/", page=_page(abs_url="/k/b/", update_date=None),
                        alternates={"en": home, "ar": without_site}),
        SimpleNamespace(url="c/", page=_page(), alternates={}),  # neither address: the site's + the file's
        SimpleNamespace(url="d/", page=None, alternates={}),  # a file without a page: left out
        SimpleNamespace(url="e/", page=_page(is_link=True), alternates={}),  # a link: left out
    ]
    files[0].alternates["de"] = files[0]
    for alternates in ({"de": files}, {"de": files[:2], "en": files[2:]}, {"de": []}, {}):
        for url in (site, None):
            assert sitemap.render(alternates, url) == _jinja_sitemap(alternates, url)


def test_another_sitemap_template_is_left_to_mkdocs(tmp_path: Path) -> None:
    folder = tmp_path / "custom_i18n_sitemap"
    folder.mkdir()
    original = Path(jinja2.__file__).parent.parent / "mkdocs_static_i18n" / "custom_i18n_sitemap" / "sitemap.xml"
    (folder / "sitemap.xml").write_text(original.read_text(encoding="utf-8").replace("daily", "weekly"),
                                        encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)))
    assert not sitemap.known_template(env)
    (folder / "sitemap.xml").write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    assert sitemap.known_template(env)
    assert not sitemap.known_template(jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)),
                                                         autoescape=True))


# --- downloads and feed: the same bytes, less work ---------------------------------------------

def test_each_download_table_is_read_once_for_both_formats(example: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = Counter()
    records = opendata.Table.records

    def counted(table: opendata.Table) -> list:
        calls[table.name] += 1
        return records(table)

    monkeypatch.setattr(opendata.Table, "records", counted)
    settings = read_settings({}, example)
    for language in LANGUAGES:
        calls.clear()
        files = opendata.downloads(example, language, settings, _labels(language).bind(example))
        tables = opendata.tables(example, language, _labels(language).bind(example))
        assert set(calls.values()) == {1} and len(calls) == len(tables)  # before: twice (CSV, JSON)
        for table in tables:  # the text the json and csv modules write
            rows = records(table)
            assert files[f"{table.name}.json"] == json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow([column.name for column in table.columns])
            for row in rows:
                writer.writerow([opendata.csv_cell(row[column.name]) for column in table.columns])
            assert files[f"{table.name}.csv"] == out.getvalue()


def _tree_feed(text: str) -> str:
    """The feed as the ElementTree writer of the feed module wrote it: built as a tree, indented,
    serialized (the tree read back from ``text``, which escapes nothing the parser would change)."""
    ET.register_namespace("", feed.ATOM)
    root = ET.fromstring(text)
    for element in root.iter():  # as built: no text but the elements' own, no tails
        element.tail = None
        if len(element):
            element.text = None
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_the_feed_is_the_element_tree_text(example: Any, language: Language) -> None:
    settings = read_settings({}, example)
    text = feed.atom_feed(example, language, _labels(language), lambda src: f"https://x.org/?a=1&b=<{src}>",
                          settings.feed_id, 'https://x.org/"feed".xml')
    assert text.count("<entry>") >= 3
    assert text == _tree_feed(text)


def test_the_feed_escapes_as_element_tree(example: Any) -> None:
    from klartext.controlling import changes

    hostile = 'A & B <b>"x"</b>\ttab'
    change = changes(example)[0]
    texts = [change.measure.title, example.concept.office] + [change.update.text if change.update else
                                                              change.measure.summary]
    before = [text.de for text in texts]
    texts[0].de, texts[1].de, texts[2].de = hostile, hostile, ""
    try:
        text = feed.atom_feed(example, LANGUAGES[0], _labels(LANGUAGES[0]), lambda src: f"https://x.org/{src}\t\n",
                              "tag:x&y", "https://x.org/feed.xml")
    finally:
        for item, value in zip(texts, before):
            item.de = value
    assert "A &amp; B &lt;b&gt;\"x\"&lt;/b&gt;\ttab" in text and "<summary />" in text
    assert 'href="https://x.org/index.md&#09;&#10;"' in text
    assert text == _tree_feed(text)
