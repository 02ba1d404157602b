"""Generated pages skip Python-Markdown: ids and table of contents come from our own headings."""

from __future__ import annotations


import re

import markdown
import pytest

from klartext.headings import page_html

PAGE = """
<h1>Maßnahmen &amp; Ziele</h1>

<p class="kt-lead">Text *ohne* Markdown</p>
<h2>Beschreibung</h2>
<h2 id="ziel-x">Leitziel: <span lang="de" dir="ltr">Lesen</span></h2>

<h3>Beschreibung</h3>
<ol><li><h2 class="kt-event__title">Auftakt</h2></li></ol>
<h2>إمكانية الوصول</h2>
<h2>بيان</h2>
"""


def test_headings_get_the_ids_python_markdown_gave_them_and_nest_into_a_toc() -> None:
    html, toc = page_html(PAGE)
    assert html.startswith('<h1 id="manahmen-ziele">Maßnahmen &amp; Ziele</h1>\n<p class="kt-lead">')
    assert "\n\n" not in html
    assert '<p class="kt-lead">Text *ohne* Markdown</p>' in html  # no Markdown pass
    assert '<h2 id="beschreibung">' in html and '<h3 id="beschreibung_1">' in html  # unique, as the toc extension
    assert '<h2 id="ziel-x">Leitziel' in html  # the template's own id stays
    assert '<h2 class="kt-event__title">Auftakt</h2>' in html  # a component's heading: left alone
    assert '<h2 id="_1">إمكانية الوصول</h2>' in html and '<h2 id="_2">بيان</h2>' in html

    def outline(tokens):
        return [(token["level"], token["id"], token["name"], outline(token["children"])) for token in tokens]

    assert outline(toc) == [(1, "manahmen-ziele", "Maßnahmen &amp; Ziele", [
        (2, "beschreibung", "Beschreibung", []),
        (2, "ziel-x", "Leitziel: Lesen", [(3, "beschreibung_1", "Beschreibung", [])]),
        (2, "_1", "إمكانية الوصول", []),
        (2, "_2", "بيان", []),
    ])]
    # the same ids as Python-Markdown's toc extension gives the same headings written in Markdown
    converted = markdown.Markdown(extensions=["toc", "attr_list"])
    converted.convert("# Maßnahmen & Ziele\n\n## Beschreibung\n\n## Leitziel: Lesen { #ziel-x }\n\n### Beschreibung\n\n"
                      "## إمكانية الوصول\n\n## بيان\n")
    assert outline(converted.toc_tokens) == [(level, anchor, name, children)
                                             for level, anchor, name, children in outline(toc)]


def test_generated_page_is_rendered_without_python_markdown(monkeypatch) -> None:
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    from klartext.plugin import htmlpage

    def refuse(*args, **kwargs):
        raise AssertionError("Python-Markdown was called for a generated page")

    monkeypatch.setattr(markdown, "Markdown", refuse)
    file = File("massnahmen/x.md", src_dir=None, dest_dir="/tmp/site", use_directory_urls=True)
    htmlpage.mark(file)
    page = Page(None, file, {"nav": None})
    htmlpage.adopt(page)
    page.markdown = PAGE
    page.render({"mdx_configs": {}}, None)
    assert page.content.startswith('<h1 id="manahmen-ziele">')
    assert [item.title for item in page.toc] == ["Maßnahmen &amp; Ziele"]
    assert [child.id for child in page.toc.items[0].children] == ["beschreibung", "ziel-x", "_1", "_2"]
    assert {"ziel-x", "beschreibung_1"} <= page.present_anchor_ids
    other = Page(None, File("docs.md", src_dir=None, dest_dir="/tmp/site", use_directory_urls=True), {"nav": None})
    htmlpage.adopt(other)  # a hand-written page keeps its Markdown pass
    with pytest.raises(AssertionError, match="Python-Markdown"):
        other.markdown = "# Titel"
        other.render({"markdown_extensions": [], "mdx_configs": {}}, None)


def test_page_templates_are_html_without_markdown() -> None:
    """A heading written in Markdown (``## …``) or a Markdown escape (``|md``) would reach the reader as
    text: generated pages get no Markdown pass."""
    from klartext.render import THEME_DIR

    templates = sorted((THEME_DIR / "klartext").rglob("*.*"))
    assert [path.name for path in templates if path.suffix == ".md"] == []
    for path in templates:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not line.startswith("#") and not re.search(r"\|\s*md\b", line), f"{path.name}:{number}: {line}"


def test_anchor_ids_are_the_ids_the_pattern_found() -> None:
    """``anchor_ids`` finds each ``id="`` with ``str.find``: the same ids as ``\\sid="([^"]*)"`` found
    (random pieces: ids in other attributes' names and values, white space of any kind, no closing quote)."""
    import html
    import random

    from klartext.headings import anchor_ids

    pattern = re.compile(r'\sid="([^"]*)"')
    pieces = [' id="', 'id="', '"', "x", " ", "\n", "&amp;", 'data-id="', "\u2003", "i", "d", "=", "\t",
              "<h2"]
    rng = random.Random(14)
    found = 0
    for _ in range(20000):
        page = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        expected = {html.unescape(value) for value in pattern.findall(page)}
        assert anchor_ids(page) == expected, page
        found += bool(expected)
    assert found > 5000
