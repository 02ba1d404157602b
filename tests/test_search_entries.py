"""The search entries of generated pages come from our own splitter (klartext.search_markup), not from
Material's html.parser pass: what a reader finds must stay what Material's parser made of the same page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import example_project, make_project
from klartext import search_markup

_MATERIAL_ONLY = """\
import sys
import klartext.plugin.search as search
search.index_generated_pages_cheaply = lambda config: None  # every page through Material's Parser.feed
from mkdocs.__main__ import cli
sys.exit(cli(["build", "--strict"]))
"""


def _build(project: Path, material_only: bool) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "KLARTEXT_PDF": "0"}
    command = ["-c", _MATERIAL_ONLY] if material_only else ["-m", "mkdocs", "build", "--strict"]
    result = subprocess.run([sys.executable, *command], cwd=project, env=env, capture_output=True, text=True,
                            timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _entries(site: Path) -> dict[str, dict[tuple[str, str], str]]:
    """Per variant index: (location, title) -> text with white space normalised."""
    found = {}
    for index in sorted(site.rglob("search/search_index.json")):
        docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
        entries: dict[tuple[str, str], str] = {}
        for doc in docs:
            key = (doc["location"], doc["title"])
            assert key not in entries, f"{index}: entry {key} twice"
            entries[key] = " ".join(doc["text"].split())
        found[str(index.relative_to(site))] = entries
    return found


@pytest.fixture(scope="module", params=["lehrte", "minimal"])
def both_sites(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example (Lehrte) and the minimal fixture concept (another city, missing translations), each
    built with our splitter and with Material's parser for every page."""
    sites = []
    for material_only in (False, True):
        folder = tmp_path_factory.mktemp(f"{request.param}-{'material' if material_only else 'ours'}")
        if request.param == "minimal":
            project = make_project(folder)
        else:
            project = example_project(folder)
        sites.append(_build(project, material_only))
    return sites[0], sites[1]


def test_generated_pages_have_the_entries_materials_parser_makes(both_sites: tuple[Path, Path]) -> None:
    ours, material = (_entries(site) for site in both_sites)
    assert len(material) == 7, sorted(material)  # one index per language variant
    assert ours.keys() == material.keys()
    for index, expected in material.items():
        got = ours[index]
        assert sum(location.startswith("massnahmen/") for location, _ in expected) >= 3  # generated pages
        assert got.keys() == expected.keys(), (index, sorted(set(got) ^ set(expected))[:10])
        for key, text in expected.items():
            assert got[key] == text, (index, key)


def test_entries_hold_text_never_markup_from_the_data(both_sites: tuple[Path, Path]) -> None:
    """Material's entries keep only <p>, <li>, <code> … tags; text from the data stays escaped."""
    kept = re.compile(r"</?(?:p|code|pre|li|ol|ul|sub|sup)>")
    for index, entries in _entries(both_sites[0]).items():
        for (location, title), text in entries.items():
            assert "<" not in kept.sub("", title + text), (index, location)


def _sections(page: str, cheap: bool) -> list[tuple]:
    from material.plugins.search.plugin import Parser

    if cheap:
        found = search_markup.sections(page)
    else:
        parser = Parser()
        parser.feed(page)
        parser.close()
        found = parser.data
    return [(section.id, section.title, section.text, section.is_excluded()) for section in found]


@pytest.mark.parametrize("page", [
    '<h1 id="t">Titel &amp; mehr</h1>\n<p>Text <a class="headerlink" href="#t">¶</a> &lt;b&gt;x</p>',
    '<div data-search-exclude><h2 id="a">Aus</h2><p>weg</p></div><h2 id="b">Da</h2><p>hier<br/>da</p>',
    '<p>eins</p><!-- <h2 id="c">kein</h2> --><script>if (a < b) {}</script><style>p>a{}</style>'
    '<svg viewBox="0 0 1 1"><rect width="1"/></svg><ul>\n<li>  zwei </li>\n</ul>',
    "<section><h2 id='x' class=\"k\">Q</h2><pre>  a\n  b</pre></section>\n\nnach",
    # Material compares elements by tag: an inner <div> ends the outer one's exclusion
    '<div data-search-exclude=""><div>innen</div>noch <p>da</p></div><div>nach</div><p>ende</p>',
    '<div><h2 id="a">A <a class="headerlink" href="#a">¶</a></h2><p>x</p></div><p>y</p><h3 id="b">B</h3>',
    '<table class="linenodiv"><tr><td>1</td></tr></table><p></p><p> </p><ul><li><p>a</p></li></ul><p>b</p>',
    '<h2 id="e" data-search-exclude>Weg</h2><p>auch weg</p><h2 id="f">Da</h2><p>x &amp; y &#8211; z</p>',
    '<P CLASS=x>Gross</P><sup>2</sup><sub> </sub>',
])
def test_splitter_gives_materials_sections(page: str) -> None:
    assert _sections(page, cheap=True) == _sections(page, cheap=False)


@pytest.mark.parametrize("page", ["<p>a < b</p>", "<p>x<!-- offen</p>", "<![CDATA[x]]>", "<?xml ?>"])
def test_unknown_markup_goes_to_materials_parser(page: str) -> None:
    with pytest.raises(search_markup.Unknown):
        search_markup.sections(page)


def test_splitter_reads_every_generated_page_itself(both_sites: tuple[Path, Path]) -> None:
    """No generated page of the example falls back to Material's parser (else the comparison above would
    compare Material with itself): the body of every measure and field page, in every variant, is
    divided by our splitter, into Material's sections."""
    article = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.DOTALL)
    pages = [path for folder in ("massnahmen", "handlungsfelder")
             for path in both_sites[0].rglob(f"{folder}/*/index.html")]
    assert len(pages) >= 7 * 3
    for path in pages:
        body = article.search(path.read_text(encoding="utf-8")).group(1)
        assert _sections(body, cheap=True) == _sections(body, cheap=False), path
