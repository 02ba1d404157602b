"""Headings of a generated page: ids and the table of contents, taken from our own HTML.

Generated pages are HTML from HTML templates; they skip Python-Markdown. What the Markdown pass gave
them besides the HTML, ids on headings and the table of contents, comes from here, with the same
rules as Python-Markdown's ``toc`` extension (its ``slugify``, ``unique`` and ``nest_toc_tokens``), so
the anchors stay what they were.
"""

from __future__ import annotations

import html
import re
from typing import Any, Callable

from markdown.extensions.toc import nest_toc_tokens, slugify, strip_tags, unique

HEADING = re.compile(r"<h([1-6])(\s[^>]*)?>(.*?)</h\1\s*>", re.DOTALL)
_ID = re.compile(r'\sid="([^"]*)"')
_CLASS = re.compile(r'\sclass="')


_BLANK_LINES = re.compile(r"\n\s*\n")


def page_html(source: str, slug: Callable[[str, str], str] = slugify, separator: str = "-",
              ) -> tuple[str, list[dict[str, Any]]]:
    """The HTML MkDocs gets for a generated page (``source`` without front matter), and its table of
    contents: the blank lines that keep the templates readable dropped, every heading anchored."""
    return anchor_headings(_BLANK_LINES.sub("\n", source.strip("\n")), slug, separator)


def anchor_headings(page: str, slug: Callable[[str, str], str] = slugify, separator: str = "-",
                    ) -> tuple[str, list[dict[str, Any]]]:
    """``page`` with an id on every heading, and its table of contents as nested tokens.

    A heading keeps an id the template gave it; any other gets the slug of its text, made unique on the
    page (``_1``, ``_2`` …), as Python-Markdown's ``toc`` extension does. The tokens are what
    ``mkdocs.structure.toc.get_toc`` reads: level, id, name (the heading's HTML without tags) and html.
    A heading with a ``class`` belongs to a component (e.g. an event of the timeline): it is left as it
    is, outside the table of contents.
    """
    headings = [match for match in HEADING.finditer(page) if not _CLASS.search(match.group(2) or "")]
    used = {found.group(1) for match in headings if (found := _ID.search(match.group(2) or ""))}
    counters: dict[str, int] = {}
    tokens: list[dict[str, Any]] = []
    pieces: list[str] = []
    position = 0
    for match in headings:
        level, attributes, inner = int(match.group(1)), match.group(2) or "", match.group(3).strip()
        name = strip_tags(inner)
        found = _ID.search(attributes)
        if found:
            anchor = html.unescape(found.group(1))
        else:
            anchor = unique(slug(html.unescape(name), separator), used, counters)
            attributes = f' id="{html.escape(anchor)}"{attributes}'
        pieces += [page[position:match.start()], f"<h{level}{attributes}>{inner}</h{level}>"]
        position = match.end()
        tokens.append({"level": level, "id": anchor, "name": name, "html": inner, "data-toc-label": ""})
    pieces.append(page[position:])
    return "".join(pieces), nest_toc_tokens(tokens)


def anchor_ids(page: str) -> set[str]:
    """Every id on the page (for MkDocs' check of links to ``page#anchor``): what ``_ID.findall`` finds,
    with each ``id="`` found by ``str.find`` (a pattern starting with ``\\s`` is tried at every character)."""
    found = set()
    position = page.find('id="')
    while position >= 0:
        if position and page[position - 1].isspace():  # (as \s; the previous id's value ends with ")
            end = page.find('"', position + 4)
            if end < 0:  # no closing quote: no later id="…" has one either
                break
            found.add(html.unescape(page[position + 4:end]))
            position = page.find('id="', end + 1)
        else:
            position = page.find('id="', position + 1)
    return found
