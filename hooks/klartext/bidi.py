"""Passages in another script than their page: marked with ``lang`` and isolated for bidi.

On a page in a non-Latin script (Arabic, Russian, Ukrainian, ...), every run of Latin-script text is a
German name of an organisation or programme, an address, an e-mail address, a URL or an acronym the
translation keeps ("Stabsstelle Gleichstellungsbeauftragte", "Rathausplatz 1, 31275 Lehrte",
"MuT@lehrte.de"). Each run is wrapped in ``<bdi lang="de">``: screen readers switch voice (WCAG 3.1.2) and
the browser lays the run out on its own (left to right inside right-to-left text), so brackets,
commas and numbers around it stay where the sentence puts them. Runs inside an element that already
carries another ``lang`` (German fallback passages, the language switcher) are left alone.

Works on finished HTML (web pages and the PDF's HTML); no MkDocs imports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

NON_LATIN = frozenset({"ar", "fa", "ur", "ps", "ckb", "he", "yi", "ru", "uk", "be", "bg", "mk", "kk", "ky", "tg",
                       "mn", "el", "ka", "hy", "am", "ti", "hi", "mr", "ne", "bn", "pa", "gu", "ta", "te", "kn",
                       "ml", "si", "th", "lo", "my", "km", "zh", "ja", "ko"})
"""Primary language subtags written in a script other than Latin."""

_ATTRIBUTES = r"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""
_SCAN = re.compile(
    rf"([^<]*+)(<!--.*?-->|<(/?)([a-zA-Z][\w:-]*+)({_ATTRIBUTES})>|<{_ATTRIBUTES}>|<|\Z)", re.S)
"""One step through the HTML: the text up to the next ``<``, then a comment, a tag (``/`` if closing,
its name and attributes), another token in angle brackets (a doctype), a ``<`` that starts no token
(it belongs to the text), or the end. The quantifiers are possessive: a tag ends at its first ``>``
outside quotes whatever comes after, so backtracking could find nothing else (and on an unclosed
quote it would only take long)."""
_LANG = re.compile(r"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr", "path", "circle", "rect", "line", "polyline", "polygon", "use", "stop"})
_SKIP = frozenset({"head", "script", "style", "svg", "math", "code", "pre", "kbd", "samp", "textarea", "title",
                   "bdi", "template", "noscript", "option"})

_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_ENTITY = r"&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);"
_RUN = re.compile(
    rf"[{_LATIN}0-9]*[{_LATIN}](?:[{_LATIN}0-9.@'’/_+#%=?:~*-]|{_ENTITY}|[ ,–—](?=[ ]?(?:[{_LATIN}0-9]|{_ENTITY})))*")
_ABBREVIATION = re.compile(rf"(?:^|[\s.])[{_LATIN}]\.$")
"""A run ending in an abbreviation ("e. V.", "Dr.") keeps its full stop."""


def latin_runs(text: str) -> list[tuple[int, int]]:
    """Start and end of each run of Latin-script text in ``text`` (trailing punctuation excluded)."""
    runs = []
    for match in _RUN.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in ".,:;!?'’-–—/" and not (
                text[end - 1] == "." and _ABBREVIATION.search(text[start:end])):
            end -= 1
        if end > start:
            runs.append((start, end))
    return runs


SHORT_RUN = 32
"""Runs up to this length are kept on one line in the PDF (class ``kt-run``): WeasyPrint does not
implement bidi isolation across line breaks (``unicode-bidi`` is unsupported, and a line that starts
inside a Latin run is laid out left to right)."""


def mark_foreign_runs(html: str, page_tag: str, source_tag: str, for_print: bool = False) -> str:
    """``html`` with every Latin run of a non-Latin page wrapped in ``<bdi lang="source_tag">``.

    ``for_print`` (the PDF's HTML for WeasyPrint, which ignores ``<bdi>``): the run is also enclosed in
    the Unicode isolate characters FSI/PDI, and short runs get the class ``kt-run`` (kept on one line)."""
    if page_tag.split("-")[0].lower() not in NON_LATIN:
        return html
    return _each_text(html, page_tag, lambda text: _mark_runs(text, source_tag, for_print), _ANY_LATIN.search,
                      _LATIN)


_PARENTHESIS = re.compile(r"\(([^()<>]{2,100})\)")
_OPENING = re.compile(r"\(")


def mark_source_names(html: str, page_tag: str, source_tag: str, names: frozenset[str]) -> str:
    """On a page in another Latin-script language than the source (en, tr), a name the translation
    keeps in the source language in brackets after its own ("Equality Office (Stabsstelle
    Gleichstellungsbeauftragte)") gets ``<span lang="source_tag">``, if it is a text of the data."""
    primary = page_tag.split("-")[0].lower()
    if not names or primary in NON_LATIN or primary == source_tag.split("-")[0].lower():
        return html
    if not any(_plain(inside) in names for inside in _PARENTHESIS.findall(html)):
        # A bracket holds no "<" or ">", so each bracket of a piece of text is one of the page's.
        return html

    def mark(text: str) -> str:
        return _PARENTHESIS.sub(lambda match: f'(<span lang="{source_tag}">{match.group(1)}</span>)'
                                if _plain(match.group(1)) in names else match.group(), text)
    return _each_text(html, page_tag, mark, _OPENING.search, r"(")


def source_names(texts: list[str]) -> frozenset[str]:
    """Short one-line source texts (names of organisations, offices, programmes), as they appear in
    the HTML (escaped)."""
    from html import escape

    return frozenset(escape(" ".join(text.split()), quote=False) for text in texts
                     if text and "\n" not in text.strip() and len(text) <= 100)


def _plain(text: str) -> str:
    return " ".join(text.split())


_MARK, _OTHER, _SKIPPED = 0, 1, 2
"""State of the text inside an element: in the page's language (marked), in another language, or inside
an element whose text is never marked (``_SKIP``)."""
_ANY_LATIN = re.compile(f"[{_LATIN}]")


def _each_text(html: str, page_tag: str, change: Callable[[str], str], wanted: Callable[[str], Any],
               wanted_characters: str | None = None) -> str:
    """``html`` with ``change`` applied to each piece of text in the page's own language outside
    scripts, styles, code and the head. A piece for which ``wanted`` is false is left as it is:
    ``change`` would not change it. ``wanted_characters`` (the inside of a character class): ``wanted``
    is true exactly for a text holding one of them; then the pieces are first looked for by
    :func:`_quick_pieces`."""
    page = page_tag.split("-")[0].lower()
    found = _quick_pieces(html, page, wanted_characters) if wanted_characters is not None else _UNSURE
    if found is _UNSURE:
        found = _pieces(_SCAN.finditer(html), page, wanted)
    if found is None:  # a "<" that starts no token: the piece of text goes on after it (rare)
        found = _pieces(_joined_over_lone_brackets(html), page, wanted)
    if not found:
        return html
    out: list[str] = []
    copied = 0  # html[:copied] is in out
    for start, text in found:
        out += (html[copied:start], change(text))
        copied = start + len(text)
    out.append(html[copied:])
    return "".join(out)


def _pieces(steps: Iterable[Any], page: str, wanted: Callable[[str], Any]) -> list[tuple[int, str]] | None:
    """Start and text of each piece of text in the page's language (primary subtag ``page``) that is
    ``wanted``, of the ``steps`` (matches of ``_SCAN``); None if a step is a ``<`` of no token.

    The open elements are a stack of names with the state of the text inside each; a closing tag
    closes the innermost open element of its name and those inside it, and is ignored without one."""
    found = []
    names: list[str] = []
    states: list[int] = []
    state = _MARK  # of the text inside the innermost open element (outside every element: the page's)
    for step in steps:
        text, token, closing, name, attributes = step.groups()
        if text and state == _MARK and wanted(text):
            found.append((step.start(), text))
        if not name:  # comment, doctype, the end, or a "<" of no token
            if token == "<":
                return None
            continue
        name = name.lower()
        if closing:
            if names and names[-1] == name:
                names.pop()
                states.pop()
            else:
                for index in range(len(names) - 2, -1, -1):
                    if names[index] == name:
                        del names[index:], states[index:]
                        break
                else:
                    continue
            state = states[-1] if states else _MARK
        elif name not in _VOID and not attributes.rstrip().endswith("/"):
            if state != _SKIPPED:
                if name in _SKIP:
                    state = _SKIPPED
                elif "lang" in attributes:  # (cheaper than the search)
                    lang = _LANG.search(attributes)
                    if lang:
                        tag = next((group for group in lang.groups() if group is not None), "")
                        state = _MARK if tag.split("-")[0].lower() == page else _OTHER
            names.append(name)
            states.append(state)
    return found


_UNSURE: Any = object()
"""What :func:`_quick_pieces` answers for a page it leaves to :func:`_pieces`."""
_SKIP_NAMES = "|".join(sorted(_SKIP))
_ATTRIBUTES_QUOTED = r"""[^<>"']*+(?:(?:"[^"<>]*+"|'[^'<>]*+')[^<>"']*+)*+"""
"""The rest of a tag after its name up to its ``>`` when its quotes are closed and hold no ``<`` or ``>``:
``_SCAN`` reads such a tag to that ``>`` too."""
_QUOTED_TAG_REST = _ATTRIBUTES_QUOTED + ">"
_SKIPPED_ELEMENT = (rf"<({'|'.join(sorted(_SKIP))})(?![\w:-]){_ATTRIBUTES_QUOTED}(?<![/\s])>"
                    rf"(?:[^<]*+<[a-zA-Z][\w:-]*+{_ATTRIBUTES_QUOTED}(?<=/)>)*+[^<]*+</\1>")
"""An element of ``_SKIP`` (written in lower case) that holds only text and self-closing tags (an icon):
nothing in it is marked, and its end tag closes it."""
_PLAIN_STRETCHES: dict[str, re.Pattern] = {}


def _plain_stretch(wanted_characters: str) -> re.Pattern:
    """Steps of ``_SCAN`` that cannot matter outside the elements that change the state: text without a
    wanted character, each followed by a comment, an end tag, a start tag not of ``_SKIP`` (all three only
    in the shape ``_SCAN`` reads the same way) or a whole :data:`_SKIPPED_ELEMENT`; the caller ends a
    stretch before a tag with ``lang`` in it."""
    found = _PLAIN_STRETCHES.get(wanted_characters)
    if found is None:
        found = _PLAIN_STRETCHES[wanted_characters] = re.compile(
            rf"(?:[^<{wanted_characters}]*+(?:<!--.*?-->|</[a-zA-Z][\w:-]*+{_QUOTED_TAG_REST}"
            rf"|<(?!(?i:{_SKIP_NAMES})(?![\w:-]))[a-zA-Z][\w:-]*+{_QUOTED_TAG_REST}|{_SKIPPED_ELEMENT}))*+",
            re.S)
    return found


def _quick_pieces(html: str, page: str, wanted_characters: str) -> list[tuple[int, str]] | Any:
    """What :func:`_pieces` finds (a ``wanted`` text being one with a character of ``wanted_characters``),
    without a step per tag for most of the page; ``_UNSURE`` for a page it leaves to :func:`_pieces`.

    The state of a text depends only on the open elements that change it: one of ``_SKIP`` (skipped) or
    one with a ``lang`` of another language (another language); an element with the page's own ``lang``
    outside both changes nothing. Outside them the text is marked, and the other tags only open and close
    elements that change nothing: stretches of them are passed over with one regular expression
    (:func:`_plain_stretch`). Each element that changes the state is followed step by step to its end
    tag, and only if the tags inside it are closed in order (then that end tag, and no other, closes it,
    whatever is open around it); a tag closed out of order, an element not closed, a ``lang`` of the
    page's language inside another language's element or a ``<`` of no token: ``_UNSURE``."""
    stretch = _plain_stretch(wanted_characters).match
    wanted = _wanted_search(wanted_characters)
    step_at = _SCAN.match
    found = []
    position = 0
    length = len(html)
    next_lang = -1  # where the next "lang" starts
    limit = -1  # the stretch of plain steps ends here at the latest: where the tag holding that "lang" starts
    while True:
        if limit < position:
            next_lang = html.find("lang", position)
            if next_lang < 0:
                next_lang = limit = length
            else:  # a plain tag holds no "<": the tag holding "lang" starts at the "<" before it (or here)
                limit = max(html.rfind("<", position, next_lang), position)
        position = stretch(html, position, limit).end()  # type: ignore[union-attr]  # (matches "")
        step = step_at(html, position)
        text, token, closing, name, attributes = step.groups()  # type: ignore[union-attr]
        if text and wanted(text):
            found.append((position, text))
        position = step.end()  # type: ignore[union-attr]
        if not name:
            if token == "<":
                return _UNSURE
            if not token:  # the end of the page
                return found
            continue
        if closing or name.lower() in _VOID or attributes.rstrip().endswith("/"):
            continue
        name = name.lower()
        if name in _SKIP:
            state = _SKIPPED
        elif "lang" in attributes and (lang := _LANG.search(attributes)):
            tag = next((group for group in lang.groups() if group is not None), "")
            if tag.split("-")[0].lower() == page:
                continue
            state = _OTHER
        else:
            continue
        position = _element_end(html, position, name, state, page)
        if position < 0:
            return _UNSURE


_WANTED_SEARCHES: dict[str, Callable[[str], Any]] = {}


def _wanted_search(wanted_characters: str) -> Callable[[str], Any]:
    search = _WANTED_SEARCHES.get(wanted_characters)
    if search is None:
        search = _WANTED_SEARCHES[wanted_characters] = re.compile(f"[{wanted_characters}]").search
    return search


def _element_end(html: str, position: int, name: str, state: int, page: str) -> int:
    """Where the element ``name`` that starts before ``position`` ends (after its end tag), if the tags
    inside it are closed in order; -1 if not, or if an element in the page's language is inside an element
    in another (``state``)."""
    following = html.find("<", position)
    if html.startswith("</", following) and html.startswith(name, following + 2) \
            and html.startswith(">", following + 2 + len(name)):  # only text inside (the usual case)
        return following + 3 + len(name)
    inside: list[str] = []
    for step in _SCAN.finditer(html, position):
        _, token, closing, tag, attributes = step.groups()
        if not tag:
            if token == "<" or not token:  # a "<" of no token, or the end of the page
                return -1
            continue
        tag = tag.lower()
        if closing:
            if inside and inside[-1] == tag:
                inside.pop()
            elif not inside and tag == name:
                return step.end()
            else:
                return -1
        elif tag not in _VOID and not attributes.rstrip().endswith("/"):
            if state == _OTHER and "lang" in attributes and (lang := _LANG.search(attributes)):
                if next((group for group in lang.groups() if group is not None), "").split("-")[0].lower() \
                        == page:
                    return -1
            inside.append(tag)
    return -1


class _Joined:
    """A step of ``_SCAN`` whose text begins at ``begin``: a ``<`` of no token before it joins the
    text before that ``<`` to its own, as one piece of text."""

    def __init__(self, html: str, begin: int, step: re.Match) -> None:
        self._groups = (html[begin:step.start(2)], *step.groups()[1:])
        self._begin = begin

    def groups(self) -> tuple[str, ...]:
        return self._groups

    def start(self) -> int:
        return self._begin


def _joined_over_lone_brackets(html: str) -> Iterator[re.Match | _Joined]:
    """The steps of ``_SCAN`` through ``html``, each ``<`` of no token joined to the text around it."""
    begin = -1  # of the text that goes on over a "<" of no token
    for step in _SCAN.finditer(html):
        if step.group(2) == "<":
            begin = step.start() if begin < 0 else begin
        elif begin >= 0:
            yield _Joined(html, begin, step)
            begin = -1
        else:
            yield step


def _mark_runs(text: str, source_tag: str, for_print: bool) -> str:
    pieces, position = [], 0
    for start, end in latin_runs(text):
        run = text[start:end]
        if for_print:
            short = ' class="kt-run"' if len(run) <= SHORT_RUN else ""
            pieces += [text[position:start], f'<bdi lang="{source_tag}"{short}>\u2068', run, "\u2069</bdi>"]
        else:
            pieces += [text[position:start], f'<bdi lang="{source_tag}" dir="ltr">', run, "</bdi>"]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
