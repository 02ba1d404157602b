"""German fallback text in the theme's own markup (header, navigation, table of contents).

Our templates mark every fallback passage with ``lang``/``dir`` (see theme/klartext/macros.html), but the
theme prints page and heading titles as plain text: a German title shown on an Arabic page would be
read out with Arabic rules. :func:`mark_titles` wraps such titles in the finished page.
"""

from __future__ import annotations

import html
import re

from klartext import literal
from klartext.concept import ConceptData
from klartext.languages import Language
from klartext.text import MISSING, NAME
from klartext.translations import Entry, entries

_ELLIPSIS = r'(<span class="md-ellipsis">\s*)([^<]+?)(\s*</span>)'  # header topic, navigation and TOC entries
_DRAWER = r'(<label class="md-nav__title" for="__drawer">.*?</a>\s*)([^<]+?)(\s*</label>)'  # drawer title
_TITLES = re.compile(f"{_ELLIPSIS}|{_DRAWER}", re.S)
_EACH_TITLE = ((re.compile(_ELLIPSIS), '<span class="md-ellipsis">'),
               (re.compile(_DRAWER, re.S), '<label class="md-nav__title" for="__drawer">'))
"""The two kinds of title searched one by one: each regular expression starts with a literal
string, which the regular expression engine finds far faster than the two as alternatives."""


def fallback_texts(data: ConceptData, code: str, found: list[Entry] | None = None) -> frozenset[str]:
    """German texts (whitespace collapsed) shown on pages of language ``code`` for want of a translation,
    and untranslated names (shown as they are, in German). ``found``: ``entries(data)``, if known."""
    return frozenset(" ".join(entry.text.de.split()) for entry in (entries(data) if found is None else found)
                     if entry.text.state(code) in (MISSING, NAME))


def mark_titles(page: str, texts: frozenset[str], source: Language) -> str:
    """Give every theme-printed title that is one of ``texts`` the source language's ``lang``/``dir``."""
    if not texts:
        return page

    def wrap(match: re.Match) -> str:
        before, text, after = (match.group(1), match.group(2), match.group(3)) if match.group(2) else (
            match.group(4), match.group(5), match.group(6))
        if " ".join(html.unescape(text).split()) not in texts:
            return match.group(0)
        return f'{before}<span lang="{source.tag}" dir="{source.dir}">{text}</span>{after}'

    found = sorted((match for pattern, start in _EACH_TITLE for match in literal.matches(pattern, start, page)),
                   key=_start)
    if any(later.start() < earlier.end() for earlier, later in zip(found, found[1:])):
        return _TITLES.sub(wrap, page)  # titles of the two kinds overlap: the alternatives decide
    # Found one kind at a time, titles that do not overlap are those the alternatives find.
    pieces, copied = [], 0
    for match in found:
        before, text, after = match.groups()
        if " ".join(html.unescape(text).split()) in texts:
            pieces += (page[copied:match.start()], before, f'<span lang="{source.tag}" dir="{source.dir}">', text,
                       "</span>", after)
            copied = match.end()
    if not pieces:
        return page
    pieces.append(page[copied:])
    return "".join(pieces)


def _start(match: re.Match) -> int:
    return match.start()
