"""German fallback text in the theme's own markup (header, navigation, table of contents).

Our templates mark every fallback passage with ``lang``/``dir`` (see theme/klartext/macros.html), but the
theme prints page and heading titles as plain text: a German title shown on an Arabic page would be
read out with Arabic rules. :func:`mark_titles` wraps such titles in the finished page.
"""

from __future__ import annotations

import html
import re

from klartext.concept import ConceptData
from klartext.languages import Language
from klartext.text import MISSING, NAME
from klartext.translations import entries

_TITLES = re.compile(
    r'(<span class="md-ellipsis">\s*)([^<]+?)(\s*</span>)'  # header topic, navigation and TOC entries
    r'|(<label class="md-nav__title" for="__drawer">.*?</a>\s*)([^<]+?)(\s*</label>)',  # drawer title
    re.S)


def fallback_texts(data: ConceptData, code: str) -> frozenset[str]:
    """German texts (whitespace collapsed) shown on pages of language ``code`` for want of a translation,
    and untranslated names (shown as they are, in German)."""
    return frozenset(" ".join(entry.text.de.split()) for entry in entries(data)
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

    return _TITLES.sub(wrap, page)
