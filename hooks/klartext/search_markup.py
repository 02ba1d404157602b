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

:func:`quick_sections` makes the same sections without a step per tag, for the shape our templates give a
page (headings at the top level, tags closed in order, tooltips the only text left out of search): a few
passes of regular expressions and string methods over the whole page. It checks that shape as it goes and
returns ``None`` for any other page, which then goes to :func:`sections` (tests/test_search_quick.py
compares both on every generated page of the example and of a synthetic concept, in all variants).

No MkDocs imports.
"""

from __future__ import annotations

import html
import re

from klartext import literal

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

MATERIAL_ATTRIBUTES = r"\s?data-search-\w+=\"[^\"]+\""
"""What Material 9.8's ``SearchPlugin.on_page_context`` removes from every page's content after indexing it
(``re.sub(MATERIAL_ATTRIBUTES, "", page.content)``)."""
_SEARCH_ATTRIBUTE = re.compile(r'data-search-\w+="[^"]+"')


def without_search_attributes(content: str) -> str:
    """``re.sub(MATERIAL_ATTRIBUTES, "", content)``, without trying the optional white space at every
    character of the page: each ``data-search-`` is found with ``str.find`` and takes the white space
    character before it along (``\\s`` is what ``str.isspace`` says; the character before cannot belong to
    the previous match, which ends with ``"``)."""
    pieces, copied = [], 0
    for match in literal.matches(_SEARCH_ATTRIBUTE, "data-search-", content):
        start = match.start()
        if start > copied and content[start - 1].isspace():
            start -= 1
        pieces.append(content[copied:start])
        copied = match.end()
    if not pieces:
        return content
    pieces.append(content[copied:])
    return "".join(pieces)


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


# --- the quick way for the pages our templates make ---------------------------------------------------------

_KEEP_ORDER = ("p", "li", "ul", "ol", "code", "sub", "sup")
_ATTRIBUTES = (r"""(?:\s+[^\s/>"'=\x00-\x04][^\s/>"'=\x00-\x04]*"""
               r"""(?:\s*=\s*(?:"[^"\x00-\x04]*"|'[^'\x00-\x04]*'|[^\s"'=<>`\x00-\x04]+))?)*\s*""")
"""A start tag's attributes as :data:`_SCAN` reads them (quoted values may hold ``<`` and ``>``), never across
the marks the quick way puts where it dropped a tag."""
_INSIDE = r"""(?:[^<>"']++|"[^"]*+"|'[^']*+')*+"""
"""A tag's inside up to its ``>``, quickly: what :data:`_ATTRIBUTES` reads and more (the tags of our templates
are written well, tests/test_html_valid.py)."""
_INSIDE_UNMARKED = r"""(?:[^<>"'\x00-\x04]++|"[^"\x00-\x04]*+"|'[^'\x00-\x04]*+')*+"""
"""The same, not across the marks of dropped tags (for :data:`_KEPT`, which reads the text after them)."""
_QUICK_STOP_WORDS = ("\x00", "\x01", "\x02", "\x03", "\x04", "headerlink", "linenodiv")
"""Left to :func:`sections` as well: the marks the quick way uses, permalinks, Material's line numbers."""
_EXCLUDED = " data-search-exclude>"
_HEADING_START = re.compile(r"<(h[1-6])(" + _ATTRIBUTES + r")(/?)>")
_DROP = re.compile(r"<(?!/?(?:p|code|li|ol|ul|sub|sup|pre|script|style|object|textarea|title)[\s/>])"
                   r"/?[a-z]" + _INSIDE + ">")
"""A tag, but not a kept one (:data:`_KEPT`) nor one that changes how text is read (``<pre>``, raw text
elements): what is left of those, like a ``<`` that starts no tag with a lower-case name (comments,
declarations, upper-case tags), stays a ``<`` and sends the page to :func:`sections`."""
_KEPT = re.compile(r"<(?:(p|code|li|ol|ul|sub|sup)(?:\s" + _INSIDE_UNMARKED + r")?(?<!/)"
                   r"|/(p|code|li|ol|ul|sub|sup)\s*)>")
_KEPT_MARKS = {name: f"\x01{name}\x02\x00" for tag in _KEEP_ORDER for name in (tag, "/" + tag)}
_WHITE_TOKEN = re.compile(r"\x00\s+(?=[\x00\x01\x04]|\Z)")
_WHITE_RUN = re.compile("\x03+")
_EMPTY_KEPT = re.compile(r"<(p|code|li|ol|ul|sub|sup)>\x03*</\1>")
_ITEM = re.compile(r"</?(?:p|code|li|ol|ul|sub|sup)>|\x03|[^<\x03]+")
_VOID_START = re.compile(r"<(?:area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)[\s/>]")
_SPAN_START = re.compile("<span" + _ATTRIBUTES + ">")
_TAG_TOKEN = re.compile(r"<(/?)([a-z][^\t\n\r\f />\x00-\x04]*)(" + _ATTRIBUTES + "/?)>")
_PIECE = "\x04\x00"


def _balanced(page: str, start: int, end: int) -> bool:
    """Whether ``page[start:end]`` opens as many elements as it closes (void and self-closing tags open
    none; a void tag written self-closing is counted twice and makes the piece look unbalanced)."""
    if page.find("<", start, end) < 0:
        return True
    ends = page.count("</", start, end)
    opened = (page.count("<", start, end) - ends - page.count("/>", start, end)
              - len(_VOID_START.findall(page, start, end)))
    return opened == ends


def _open_elements(page: str, start: int, end: int) -> list[str] | None:
    """The elements ``page[start:end]`` leaves open (outermost first); ``None`` for a misnested end tag."""
    stack: list[str] = []
    for end_mark, tag, inside in _TAG_TOKEN.findall(page, start, end):
        if end_mark:
            if not stack or stack.pop() != tag:
                return None
        elif tag not in _VOID and not inside.endswith("/"):
            stack.append(tag)
    return stack


def _end_of_open(page: str, start: int, end: int, tag: str) -> tuple[int, int] | None:
    """Where the end tag of the element ``tag`` open before ``start`` begins and ends (``None`` if it is
    not found by ``end``)."""
    depth = 1
    for match in _TAG_TOKEN.finditer(page, start, end):
        end_mark, name, inside = match.groups()
        if end_mark:
            depth -= 1
            if depth == 0:
                return match.span() if name == tag else None
        elif name not in _VOID and not inside.endswith("/"):
            depth += 1
    return None


def _kept_mark(match: re.Match) -> str:
    start = match.group(1)
    return _KEPT_MARKS[start] if start else _KEPT_MARKS["/" + match.group(2)]


def _without_tooltips(page: str) -> str | None:
    """``page`` without the text Material leaves out of the index: a ``<span … data-search-exclude>`` up
    to the first ``</span>`` (Material compares elements by tag: an inner span's end tag ends the
    exclusion). ``None`` for any other exclusion."""
    pieces = []
    position = 0
    while True:
        found = page.find(_EXCLUDED, position)
        if found < 0:
            break
        start = page.rfind("<", position, found)
        inner = found + len(_EXCLUDED)
        following = page.find("<", inner)
        if start < 0 or not page.startswith("<span ", start) or following < 0 \
                or _SPAN_START.fullmatch(page, start, inner) is None:
            return None
        if page.startswith("</span>", following):  # text only: the span goes, a tag's boundary stays
            pieces += [page[position:start], "<b/>"]
            position = following + 7
            continue
        inner_end = page.find(">", following)  # an inner span: its end tag ends the exclusion
        closing = page.find("<", inner_end)
        if inner_end < 0 or _SPAN_START.fullmatch(page, following, inner_end + 1) is None \
                or not page.startswith("</span>", closing):
            return None
        pieces += [page[position:start], "<span>"]  # the outer span stays open, as in Material
        position = closing + 7
    pieces.append(page[position:])
    page = "".join(pieces)
    return None if "data-search-exclude" in page else page


def _settle(stream: str, title: bool) -> str | None:
    """A section's title or text item by item, as Material's ``Parser`` lists it: an empty kept element
    (``<ul></ul>``, ``<p><img></p>``) is dropped when it is the first of its tag in the list."""
    found: list[str] = []
    for item in _ITEM.findall(stream):
        if item == "\x03":
            if title or not found or found[-1] != " ":
                found.append(" ")
        elif item[0] != "<":
            found.append(item)
        elif item[1] == "/":
            opening = "<" + item[2:]
            try:
                index = found.index(opening)
            except ValueError:
                return None
            if all(piece == " " for piece in found[index + 1:]):
                del found[index:]
            else:
                found.append(item)
        else:
            found.append(item)
    return "".join(found)


def quick_sections(page: str) -> list[Section] | None:
    """The sections of :func:`sections` for a page as our templates make it, in a few passes of regular
    expressions and string methods over the whole page instead of a step per tag; ``None`` for a page
    outside that shape (the caller then uses :func:`sections`).

    The shape: the page starts with its ``<h1>`` and every heading with an id stands at the top level or
    in one element at the top level (checked by counting tags in each piece: a missing start or end tag
    sends the page to :func:`sections`), tags are closed in order (not checked here: a misnested end
    tag, which Material's parser ignores, would change the text; tests/test_html_valid.py holds every
    page to the W3C checker, which reports one), names in lower case, no ``<pre>``, ``<script>``,
    ``<style>``, comment or permalink, excluded from search only by ``<span … data-search-exclude>``
    around text (a tooltip, maybe with one ``<span>`` in it).

    How: every tag becomes a boundary mark (kept tags ``<p>``, ``<li>`` … a mark with their name), the
    text tokens between two marks that are only white space become one mark each (runs of them one
    space in a section's text, as Material collapses them), character references are resolved and the
    text escaped as Material does; the page is cut at its headings into each section's title and text.
    An empty kept element, which Material drops only when it is the first of its tag in the section,
    sends that section's title or text through :func:`_settle`, item by item."""
    if not page.startswith("<h1"):
        return None
    for word in _QUICK_STOP_WORDS:
        if word in page:
            return None
    if "data-search-exclude" in page:
        page = _without_tooltips(page)
        if page is None:
            return None
    headings = []
    for match in _HEADING_START.finditer(page):
        if match.group(3):  # a self-closing heading
            return None
        attrs = dict(attributes(match.group(2))) if match.group(2) else {}
        if "id" in attrs:
            headings.append((match, attrs))
    if not headings or headings[0][0].start() != 0:
        return None

    pieces: list[str] = []
    owners: list[tuple[int, bool]] = []  # per piece: section number, title (True) or text

    def body(start: int, end: int, number: int, tag: str) -> bool:
        """Add ``page[start:end]`` to section ``number``'s text, the inside of headings of the section's
        own tag (without id: e.g. a timeline's) to its title, as Material does."""
        opening, closing = f"<{tag}", f"</{tag}>"
        while True:
            found = page.find(opening, start, end)
            if found < 0:
                break
            heading = _HEADING_START.match(page, found, end)
            if heading is None or heading.group(3):
                return False
            inner = heading.end()
            inner_end = page.find(closing, inner, end)
            if inner_end < 0 or page.find("<h", inner, inner_end) >= 0 \
                    or not _balanced(page, inner, inner_end):
                return False
            pieces.extend((page[start:inner], page[inner:inner_end]))
            owners.extend(((number, False), (number, True)))
            start = inner_end
        pieces.append(page[start:end])
        owners.append((number, False))
        return True

    depths = []
    container = None  # the element a nested heading stands in: (its tag, the section before it)
    for number, (match, attrs) in enumerate(headings):
        tag = match.group(1)
        close = f"</{tag}>"
        end = page.find(close, match.end())
        stop = headings[number + 1][0].start() if number + 1 < len(headings) else len(page)
        after = end + len(close)
        if end < 0 or after > stop or page.find("<h", match.end(), end) >= 0 \
                or not _balanced(page, match.end(), end):
            return None
        pieces.append(page[match.end():end])
        owners.append((number, True))
        if container is not None:  # a heading in an element: its section ends where that element does
            outer_tag, outer = container
            depths.append(2)
            span = _end_of_open(page, after, stop, outer_tag)
            if span is None or not _balanced(page, after, span[0]) or not _balanced(page, span[1], stop):
                return None
            element_end = span[0]  # its end tag belongs to the section before (Material goes back first)
            if not body(after, element_end, number, tag) or \
                    not body(element_end, stop, outer, headings[outer][0].group(1)):
                return None
            container = None
            continue
        depths.append(1)
        if not _balanced(page, after, stop):
            if number + 1 == len(headings):
                return None
            left_open = _open_elements(page, after, stop)
            if left_open is None or len(left_open) != 1:
                return None
            container = (left_open[0], number)
        if not body(after, stop, number, tag):
            return None

    text = _DROP.sub("\x00", "\x00" + _PIECE.join(pieces))
    text = _KEPT.sub(_kept_mark, text)
    if "<" in text:
        return None
    if "&" in text:
        text = html.unescape(text)
    text = (_WHITE_TOKEN.sub("\x00\x03", text).replace("\x00", "").replace("\n", " ").replace("&", "&amp;")
            .replace("<", "&lt;").replace(">", "&gt;").replace("\x01", "<").replace("\x02", ">"))
    parts = text.split("\x04")
    if len(parts) != len(owners):  # a tag that did not end in its piece took a piece's mark with it
        return None
    titles: list[list[str]] = [[] for _ in headings]
    texts: list[list[str]] = [[] for _ in headings]
    for (number, title), part in zip(owners, parts):
        (titles if title else texts)[number].append(part)

    data = []
    for number, (match, attrs) in enumerate(headings):
        title = "".join(titles[number])
        if "<" in title and _EMPTY_KEPT.search(title):
            title = _settle(title, True)
        else:
            title = title.replace("\x03", " ")
        text = "".join(texts[number])
        if "<" in text and _EMPTY_KEPT.search(text):  # pieces joined: an element around a heading
            text = _settle(text, False)
        elif "\x03\x03" in text:
            text = _WHITE_RUN.sub(" ", text)
        else:
            text = text.replace("\x03", " ")
        if title is None or text is None:
            return None
        section = Section(match.group(1), attrs, depths[number])
        if data:
            section.id = attrs["id"]
        section.title = [title] if title else []
        section.text = [text] if text else []
        data.append(section)
    return data
