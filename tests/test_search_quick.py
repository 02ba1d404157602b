"""The search entries of generated pages come from ``klartext.search_markup.quick_sections``: a few passes
of regular expressions over the page, for the shape our templates give it. They must stay what the per-tag
splitter (``search_markup.sections``, itself compared with Material's parser in test_search_entries.py) makes
of the same page, for every generated page of the example and of a synthetic concept in all seven variants;
and in a build the per-tag splitter is not run for them any more."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT, example_project
from klartext import search_markup

VARIANTS = {"de", "en", "tr", "ar", "uk", "ru", "ls"}


def _indexed_pages(project: Path) -> tuple[list[tuple[str, str]], Counter]:
    """Build ``project`` in this process (variants one after the other, no PDF) and keep the content of
    every generated page the search index gets (not those left out of search), with its URL; count the
    calls of both ways."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from klartext.plugin import search as search_plugin
    from klartext.plugin.htmlpage import HtmlPage

    pages: list[tuple[str, str]] = []
    calls: Counter = Counter()
    install = search_plugin.index_generated_pages_cheaply
    splitter = search_markup.sections
    quick = getattr(search_markup, "quick_sections", None)

    def installing(config: Any) -> None:
        install(config)
        index = search_plugin._search_index(config)
        adding = index.add_entry_from_context
        if getattr(adding, "recording", False):
            return

        def recording(page: Any) -> Any:
            if isinstance(page, HtmlPage) and not (page.meta.get("search") or {}).get("exclude"):
                pages.append((page.url, page.content))
            return adding(page)

        recording.recording = True  # type: ignore[attr-defined]
        index.add_entry_from_context = recording

    def counted_splitter(page: str) -> Any:
        calls["splitter"] += 1
        return splitter(page)

    def counted_quick(page: str) -> Any:
        calls["quick"] += 1
        return quick(page)  # type: ignore[misc]

    from material.plugins.search import plugin as material_search

    strip = getattr(search_markup, "without_search_attributes", None)
    materials_event = material_search.SearchPlugin.on_page_context

    def counted_strip(content: str) -> str:
        calls["adapter's removal"] += 1
        return strip(content)  # type: ignore[misc]

    def counted_event(self: Any, *args: Any, **keywords: Any) -> Any:
        calls["material's event"] += 1
        return materials_event(self, *args, **keywords)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KLARTEXT_PDF", "0")
        patch.setenv("KLARTEXT_PARALLEL", "0")
        patch.chdir(project)
        patch.setattr(search_plugin, "index_generated_pages_cheaply", installing)
        patch.setattr(search_markup, "sections", counted_splitter)
        patch.setattr(search_markup, "quick_sections", counted_quick, raising=False)
        patch.setattr(search_markup, "without_search_attributes", counted_strip, raising=False)
        patch.setattr(material_search.SearchPlugin, "on_page_context", counted_event)
        config = load_config(str(project / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    calls.pages = [path.read_text(encoding="utf-8") for path in (project / "site").rglob("*.html")]
    return pages, calls


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple[str, str]], Counter]:
    return _indexed_pages(example_project(tmp_path_factory.mktemp("example")))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple[str, str]], Counter]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate

    return _indexed_pages(generate(tmp_path_factory.mktemp("synthetic") / "project", measures=12, fields=3))


def _variant(url: str) -> str:
    first = url.split("/", 1)[0]
    return first if first in VARIANTS else "de"


def _entries(found: list[Any]) -> list[tuple]:
    """What Material's ``create_entry_for_section`` reads of a section (an empty title becomes the page's)."""
    return [(section.id, "".join(section.title), bool(section.title), "".join(section.text),
             section.is_excluded()) for section in found]


@pytest.mark.parametrize("built", ["example", "synthetic"])
def test_quick_way_gives_the_splitters_sections_on_every_generated_page(
        built: str, request: pytest.FixtureRequest) -> None:
    pages, _ = request.getfixturevalue(built)
    assert {_variant(url) for url, _ in pages} == VARIANTS
    assert sum(url.startswith(("massnahmen/", "en/massnahmen/", "ar/massnahmen/")) for url, _ in pages) >= 9
    quick = search_markup.quick_sections
    left, wrong = [], []
    for url, content in pages:
        found = quick(content)
        if found is None:
            left.append(url)
        elif _entries(found) != _entries(search_markup.sections(content)):
            wrong.append(url)
    assert left == []  # no generated page needs the per-tag splitter
    assert wrong == []


@pytest.mark.parametrize("built", ["example", "synthetic"])
def test_build_runs_the_per_tag_splitter_on_no_generated_page(built: str,
                                                              request: pytest.FixtureRequest) -> None:
    pages, calls = request.getfixturevalue(built)
    assert len(pages) >= 7 * 10
    assert calls["splitter"] == 0
    assert calls["quick"] == len(pages)


def _same(page: str) -> None:
    found = search_markup.quick_sections(page)
    assert found is not None, page
    assert _entries(found) == _entries(search_markup.sections(page))


_TIP = ('<span class="kt-term-wrap"><a class="kt-term" href="g/">Wort</a><span class="kt-term__tip" '
        'role="tooltip" id="tip-wort" data-search-exclude>{}</span></span>')


@pytest.mark.parametrize("page", [
    '<h1 id="t">Titel &amp; mehr</h1>\n<p class="x">Text  &lt;b&gt; x\n y</p>\n \n<p>b &gt; a</p>',
    # white space: runs of blank text tokens between tags are one space in the text, every one in a title
    '<h1 id="t"> A <span>\n</span> <b>B</b>\n</h1>\n<div>\n<span> </span>\n</div><p> x </p><div> \n </div>',
    '<h1 id="t">T</h1><p>&nbsp;</p><p><span>&#32;</span>x</p><div>&nbsp;<i>&#10;</i></div>',
    # tooltips: left out up to the first </span> (an inner span's end tag ends the exclusion)
    '<h1 id="t">T</h1><p>Ein ' + _TIP.format("Erklärung &amp; mehr") + ' im Satz.</p>',
    '<h1 id="t">T</h1><p>Ein ' + _TIP.format('<span lang="de" dir="ltr">Deutsch</span>') + ' im Satz.</p>',
    '<h1 id="t">T</h1><p>Ein ' + _TIP.format('<span lang="de">Deutsch</span> danach') + ' im Satz.</p>',
    # headings of the section's own tag without id (a timeline's): their text joins the section's title
    '<h1 id="t">T</h1><h2 id="z">Zeit</h2><ol><li><h2 class="e" title="a>b">Ereignis <em>eins</em></h2>'
    '<p>x</p></li>'
    '<li><h3 class="e">Drei</h3></li></ol><h2 id="n">Nach</h2><p>y</p>',
    # a heading in an element: the element's end tag and what follows go back to the section before
    '<h1 id="t">T</h1><h2 id="a">A</h2><p>a</p><section class="s"><h2 id="b">B</h2><p>b</p>'
    '<svg><linearGradient id="g"><stop offset="0"/></linearGradient></svg></section>\n'
    '<p>zurück</p><h2 id="c">C</h2><p>c</p>',
    '<h1 id="t">T</h1><h2 id="a">A</h2><p>a</p><li>x<h3 id="b">B</h3><p>b</p></li>\nnach<p> </p>',
    # empty kept elements: dropped when first of their tag in the section, kept as <p></p> after another
    '<h1 id="t">T</h1><ul class="kt-list">\n</ul><p class="p"><img src="a.svg" alt="x"></p><p>t</p><p> </p>',
    '<h1 id="t">T</h1><ul><li><p></p></li></ul><h2 id="b">B</h2><p>x</p><p></p><sub> </sub><sup>2</sup>',
    '<h1 id="t"><code></code>Titel<code>c</code></h1><p>x<br>y<img src="a" alt="b">z</p>',
    # markup of charts: self-closing elements, quoted values holding > and <
    '<h1 id="t">T</h1><figure><svg viewBox="0 0 1 1"><rect width="1"/><text x="0">12 %</text></svg>'
    '<figcaption title="a > b &lt; c">Bild</figcaption></figure><table><tr><th>a</th><td>1</td></tr></table>',
])
def test_quick_way_gives_the_splitters_sections(page: str) -> None:
    _same(page)


@pytest.mark.parametrize("page", [
    '<p>no heading first</p><h1 id="t">T</h1>',
    '<h1>T without id</h1><p>x</p>',
    '<h1 id="t">T</h1><pre>  a\n  b</pre>',
    '<h1 id="t">T</h1><!-- a comment --><p>x</p>',
    '<h1 id="t">T</h1><script>if (a < b) {}</script>',
    '<h1 id="t">T</h1><P>upper case</P>',
    '<h1 id="t">T</h1><p>a < b</p>',
    '<h1 id="t">T</h1><div data-search-exclude><p>weg</p></div>',
    '<h1 id="t">T <a class="headerlink" href="#t">¶</a></h1>',
    '<h1 id="t">T</h1><div><p>unclosed</div>',
    '<h1 id="t">T</h1><div><div><h2 id="d">deep</h2></div></div>',
    '<h1 id="t">T</h1><h2 id="a">A</h2><ul><li>x</li><li><h3 id="b">B</h3><p>b</p></li></ul>',
    '<h1 id="t">T</h1><p>x<br/>y</p>',  # a void tag written self-closing: counted twice, left alone
    '<h1 id="t">T</h1><p class="x"/>',
    '<h1 id="t">T</h1><h2 id="a">A</h2><p>x</p><h2',
    '<h1 id="t">T</h1><p>' + _TIP.format('<span lang="de"') + '</p>',
])
def test_other_shapes_are_left_to_the_splitter(page: str) -> None:
    assert search_markup.quick_sections(page) is None


# random pages in the shape of ours (nested elements, kept and other tags, icons, tooltips, white space,
# character references, headings in an element, headings of the section's tag without id)

_TEXTS = ["a", " ", "\n", "  \n ", "Wort &amp; mehr", "&nbsp;", "x\ny", " b ", "&#32;", "1 &gt; 0", "é",
          "&lt;b&gt;"]
_TAGS = ["div", "span", "p", "li", "ul", "ol", "a", "em", "strong", "section", "td", "code", "sub", "sup",
         "dt"]
_VOIDS = ['<br>', '<img src="x" alt="y">', '<svg viewBox="0 0 1 1"><path d="M0"/></svg>', '<rect width="1"/>']
_TIPS = ["Tipp", '<span lang="de">Tipp</span>', '<span lang="de">T</span> x']


def _node(rng: Any, depth: int, in_heading: bool = False) -> str:
    roll = rng.random()
    if depth > 4 or roll < 0.35:
        return rng.choice(_TEXTS)
    if roll < 0.45:
        return rng.choice(_VOIDS)
    if roll < 0.5:
        return _TIP.format(rng.choice(_TIPS))
    if roll < 0.55 and not in_heading:
        tag = rng.choice(["h2", "h3"])
        inside = "".join(_node(rng, depth + 1, True) for _ in range(rng.randint(0, 2)))
        return f'<{tag} class="e">{inside}</{tag}>'
    tag = rng.choice(_TAGS)
    attributes = rng.choice(["", ' class="k"', ' title="a &gt; b > c"', " data-x='1'"])
    inside = "".join(_node(rng, depth + 1, in_heading) for _ in range(rng.randint(0, 3)))
    return f"<{tag}{attributes}>{inside}</{tag}>"


def _random_page(rng: Any) -> str:
    parts = [f'<h1 id="t">{"".join(_node(rng, 3, True) for _ in range(rng.randint(0, 2)))}</h1>']
    for number in range(rng.randint(0, 4)):
        parts += [_node(rng, 0) for _ in range(rng.randint(0, 4))]
        tag = rng.choice(["h2", "h3"])
        title = "".join(_node(rng, 3, True) for _ in range(rng.randint(0, 2)))
        heading = f'<{tag} id="s{number}">{title}</{tag}>'
        if rng.random() < 0.15:
            container = rng.choice(["section", "div", "li"])
            inside = "".join(_node(rng, 1) for _ in range(rng.randint(0, 3)))
            parts.append(f"<{container}>{heading}{inside}</{container}>")
        else:
            parts.append(heading)
    parts += [_node(rng, 0) for _ in range(rng.randint(0, 4))]
    return rng.choice(["", "\n"]).join(parts)


def test_quick_way_gives_the_splitters_sections_on_random_pages() -> None:
    import random

    rng = random.Random(14)
    compared = 0
    for _ in range(3000):
        page = _random_page(rng)
        found = search_markup.quick_sections(page)
        if found is not None:
            compared += 1
            assert _entries(found) == _entries(search_markup.sections(page)), page
    assert compared > 2700  # the quick way takes nearly all of them (a heading two levels deep it leaves)


# Material's on_page_context removes the data-search attributes from every page after indexing it; the
# adapter does the same with klartext.search_markup.without_search_attributes

_ATTRIBUTE_PIECES = ["data-search-exclude", 'data-search-exclude="1"', ' data-search-x="a b"',
                     "\tdata-search-",
                     '="', '"', "=", " ", "\n", "\u2003", "x", "data-search-é=\"1\"", "<span ", ">", "data-",
                     "search-", 'data-search-a=""', "data-search-data-search-b=\"2\""]


def test_search_attributes_are_removed_as_materials_pattern_does() -> None:
    import random
    import re

    rng = random.Random(14)
    pages = ["", "data-search-a=\"b\"", ' data-search-a="b"', '  data-search-a="b"data-search-c="d"']
    pages += ["".join(rng.choice(_ATTRIBUTE_PIECES) for _ in range(rng.randint(1, 20))) for _ in range(3000)]
    changed = 0
    for page in pages:
        expected = re.sub(search_markup.MATERIAL_ATTRIBUTES, "", page)
        assert search_markup.without_search_attributes(page) == expected, page
        changed += expected != page
    assert changed > 1000


@pytest.mark.parametrize("built", ["example", "synthetic"])
def test_search_attributes_are_removed_from_generated_pages_as_before(built: str,
                                                                      request: pytest.FixtureRequest) -> None:
    import re

    pages, _ = request.getfixturevalue(built)
    for _, content in pages:
        expected = re.sub(search_markup.MATERIAL_ATTRIBUTES, "", content)
        assert search_markup.without_search_attributes(content) == expected
    # tooltips carry "data-search-exclude" (without a value, so Material's pattern leaves it)
    assert any("data-search-" in content for _, content in pages)


@pytest.mark.parametrize("built", ["example", "synthetic"])
def test_materials_event_is_the_adapters_in_a_build(built: str, request: pytest.FixtureRequest) -> None:
    """Every page of a build goes through the adapter's event, not Material's pattern (the written pages
    are compared with main's by diff -r; here: the attributes are gone from them)."""
    import re

    pages, calls = request.getfixturevalue(built)
    assert calls["material's event"] == 0
    assert calls["adapter's removal"] >= len(pages)
    assert not any(re.search(r'data-search-\w+="', page) for page in calls.pages)
