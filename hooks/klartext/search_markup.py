"""A cheap splitter for the HTML of our generated pages, for their search entries.

Material's search plugin divides every page into sections with its ``Parser``, a subclass of the
standard library's ``html.parser.HTMLParser``; tokenising with ``HTMLParser`` is most of its cost.
Our generated pages come from our own templates: well-formed tags with quoted attributes, text escaped
by Jinja, no raw ``<`` in text. :func:`_scan` splits such markup with one regular expression (one
``findall``) into the tokens ``HTMLParser`` would report as events (start tag with attributes, end tag,
text, a self-closing tag as start and end); :func:`sections` divides them into the sections Material's
``Parser`` makes (same ids, titles and text, kept tags and escaping included), resolving character
references only in text it keeps; the adapter turns the sections into entries with Material's own
``create_entry_for_section``.

Markup outside what we know (a ``<`` that starts no tag, ``<!`` other than a comment, ``<?``, CDATA,
an unclosed tag or comment) raises :class:`Unknown`: the caller then gives the page to Material's parser.

No MkDocs imports.
"""

from __future__ import annotations

import html
import re

_SCAN = re.compile(
    r"([^<]+)"  # text
    r"|<!--.*?-->"  # comment
    r"|<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)"  # tag, "/" for an end tag
    r"((?:\s+[^\s/>\"'=][^\s/>\"'=]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)"  # attributes
    r"\s*(/?)>"  # "/" for a self-closing tag
    r"|(<)",  # anything else: markup the splitter does not know
    re.DOTALL)
_RAW_TEXT_START = re.compile(r"<(?:script|style)", re.IGNORECASE)
_ATTR = re.compile(r"([^\s/>\"'=][^\s/>\"'=]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
_RAW_TEXT = frozenset({"script", "style"})
"""Elements whose content HTMLParser reads as text up to their end tag (CDATA content)."""

class Unknown(ValueError):
    """Markup the splitter does not know: let Material's parser read the page."""


def attributes(text: str) -> list[tuple[str, str | None]]:
    """The attributes in a start tag's ``text`` as ``HTMLParser`` reports them (names in lower case,
    values with character references resolved, ``None`` for an attribute without value)."""
    found = []
    for match in _ATTR.finditer(text):
        name, double, single, bare = match.groups()
        value = double if double is not None else single if single is not None else bare
        found.append((name.lower(), None if value is None else html.unescape(value)))
    return found


def _scan(page: str) -> list[tuple[str, str, str, str, str, str]]:
    """The tokens of ``page`` as ``(text, end, tag, attribute_text, close, other)``: ``text`` for the
    text between tags (character references still in it), ``tag`` with ``end`` ``"/"`` for an end tag,
    ``close`` ``"/"`` for a self-closing tag; a comment is a token with all fields empty, ``other`` a
    ``<`` that starts nothing :func:`sections` knows.

    Without ``<script>`` or ``<style>`` this is one ``findall`` (C speed); their content, which
    ``HTMLParser`` reads as text up to the end tag (CDATA content), needs the walk of :func:`_walk`."""
    if _RAW_TEXT_START.search(page) is None:
        return _SCAN.findall(page)
    return _walk(page)


def _walk(page: str) -> list[tuple[str, str, str, str, str, str]]:
    """:func:`_scan` token by token, reading a script's or style's content as one text token."""
    found = []
    position = 0
    length = len(page)
    while position < length:
        match = _SCAN.match(page, position)
        token = match.groups()  # type: ignore[union-attr]  # the last branch matches any character
        found.append(token)
        position = match.end()  # type: ignore[union-attr]
        text, end, tag, _, close, _ = token
        if tag and not end and not close and tag.lower() in _RAW_TEXT:
            closing = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(page, position)
            if closing is None:
                raise Unknown(match.group(0))  # type: ignore[union-attr]
            if closing.start() > position:
                found.append((page[position:closing.start()], "", "", "", "", ""))
            found.append(("", "/", tag, "", "", ""))
            position = closing.end()
    return found


MATERIAL_VERSIONS = frozenset({"9.8.1"})
"""Versions of mkdocs-material whose search ``Parser`` :func:`sections` restates (compared by
tests/test_search_entries.py); with any other version the adapter leaves every page to Material."""

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_ALWAYS_SKIPPED = frozenset({"script", "style", "object"})


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # html.escape(quote=False)


class Section:
    """A heading and the text up to the next one, as Material's ``Section`` (``id``, ``title`` and
    ``text`` as lists of strings, ``depth``, :meth:`is_excluded`)."""

    __slots__ = ("tag", "attrs", "depth", "title", "text", "id")

    def __init__(self, tag: str, attrs: dict | None = None, depth: float = 0) -> None:
        self.tag, self.attrs, self.depth = tag, attrs or {}, depth
        self.title: list[str] = []
        self.text: list[str] = []
        self.id: str | None = None

    def is_excluded(self) -> bool:
        return "data-search-exclude" in self.attrs


def sections(page: str) -> list[Section]:
    """The sections Material's search ``Parser`` divides ``page`` into, with the same titles and text
    (kept tags ``<p>``, ``<li>`` … and text escaped as Material does), from :func:`_scan`'s tokens.

    This restates Material 9.8's ``Parser`` (material/plugins/search/plugin.py) with its semantics kept
    exactly, including that it compares elements by tag name only: an excluded element's tag is skipped
    while any element of that tag is open, and the first closing element of that tag ends the exclusion;
    the heading's title is collected while any element of the heading's tag is open. It is faster because
    it keeps tag names and counts instead of element objects. Raises :class:`Unknown` where Material's
    parser would fail (a kept tag closed in another section), so the caller can let Material report it."""
    context: list[str] = []
    headerlinks: list[bool] = []  # per open element: an <a class="headerlink"> (permalink)
    open_count: dict[str, int] = {}
    skip = set(_ALWAYS_SKIPPED)
    data: list[Section] = []
    section: Section | None = None
    permalinks = 0
    skipped = 0  # open elements whose tag is in ``skip``

    unescape = html.unescape
    for text, end, tag, raw, close, other in _scan(page):
        if text:
            if skipped:
                continue
            if "&" in text:
                text = unescape(text)
            pre = open_count.get("pre")
            if not pre:
                text = text.replace("\n", " ") if not text.isspace() else " "
            if section is None:
                section = Section("hx")
                data.append(section)
            if open_count.get(section.tag):
                if not permalinks:
                    section.title.append(_escape(text))
            elif text.isspace():
                if not section.text or not section.text[-1].isspace():
                    section.text.append(text)
                elif pre:
                    section.text.append(text)
            else:
                section.text.append(_escape(text))
            continue
        if not tag:
            if other:
                raise Unknown("a '<' that starts no tag or comment")
            continue  # a comment
        tag = tag.lower()
        if end:
            if raw or close:
                raise Unknown(f"<{end}{tag}{raw}{close}>")
        else:
            if tag in _VOID:
                continue
            # Material reads only id, data-search-exclude and class (headerlink, linenodiv): other tags'
            # attributes cannot change the entries and stay unread
            attrs = dict(attributes(raw)) if raw and (
                tag in _HEADINGS or tag == "a" or "&" in raw or "linenodiv" in raw
                or "exclude" in raw.lower()) else {}
            context.append(tag)
            open_count[tag] = open_count.get(tag, 0) + 1
            if tag in skip:
                skipped += 1
            link = tag == "a" and attrs.get("class") == "headerlink"
            headerlinks.append(link)
            permalinks += link
            if tag in _HEADINGS and "id" in attrs:
                depth = len(context)
                if tag != "h1" and not data:
                    section = Section("hx", None, depth)
                    data.append(section)
                section = Section(tag, attrs, depth)
                if data:
                    section.id = attrs["id"]
                data.append(section)
            if section is None:
                section = Section("hx")
                data.append(section)
            excluded = False
            for key, attribute in attrs.items():
                if key == "data-search-exclude" or (key == "class" and attribute == "linenodiv"):
                    if tag not in skip:
                        skip.add(tag)
                        skipped += open_count[tag]
                    excluded = True
                    break
            if not excluded and tag in _KEEP and not skipped:
                target = section.title if open_count.get(section.tag) else section.text
                target.append(f"<{tag}>")
            if not close:
                continue
        # an end tag, or the end of a self-closing start tag
        if not context or context[-1] != tag:
            continue
        assert section is not None  # an element is open: a start tag made a section
        if section.depth > len(context):
            for candidate in reversed(data):
                if candidate.depth <= len(context):
                    section.depth = float("inf")
                    section = candidate
                    break
        context.pop()
        open_count[tag] -= 1
        permalinks -= headerlinks.pop()
        if tag in skip:
            skipped -= 1
            if tag not in _ALWAYS_SKIPPED:
                skip.discard(tag)
                skipped -= open_count[tag]
            continue
        if tag in _KEEP and not skipped:
            target = section.title if open_count.get(section.tag) else section.text
            opening = f"<{tag}>"
            try:
                index = target.index(opening)
            except ValueError:
                raise Unknown(f"</{tag}> without <{tag}> in its section") from None
            for item in target[index + 1:]:
                if not item.isspace():
                    index = len(target)
                    break
            if len(target) > index:
                del target[index:]
            else:
                target.append(f"</{tag}>")
    return data
