"""What page templates see: texts in the reader's language, links, dates and amounts."""

from __future__ import annotations

import copy
import html
import posixpath
import re
from dataclasses import dataclass
from typing import Any, Callable

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup

from klartext.concept import ConceptData
from klartext.labels import Labels
from klartext.terms import terms_of
from klartext.languages import SOURCE, Language
from klartext.links import GLOSSARY, page_url, relative_url
from klartext.sentences import split_sentences
from klartext.text import NAME, PartialDate, Text


@dataclass(frozen=True)
class Shown:
    """A text as shown on a page: the translation, or the German source marked as fallback."""

    text: str
    fallback: bool
    """True when the reader's language has no translation and German is shown instead."""
    lang: str
    """Language tag of ``text``."""
    dir: str
    """Direction of ``text``."""
    state: str = "current"
    """Translation state: ``current``, ``outdated``, ``unchecked``, ``machine``, ``missing`` (German
    shown with a notice) or ``name`` (a name shown as it is, in its own language)."""

    @property
    def paragraphs(self) -> list[str]:
        """The text split into paragraphs (every line break in the data starts one)."""
        return [part.strip() for part in self.text.split("\n") if part.strip()]


def _as_lines(text: str) -> Any:
    lines = [sentence for line in str(text).split("\n") for sentence in split_sentences(line)]
    if len(lines) < 2:
        return text
    return Markup("<br>\n").join(lines)  # each line escaped by Markup.join


class View:
    """Helpers for rendering one page in one language."""

    def __init__(self, data: ConceptData, language: Language, labels: Labels, page: str,
                 icon: Callable[[str], str], directory_urls: bool = True) -> None:
        self.data = data
        self.language = language
        self.easy_read = language.easy_read
        """Leichte Sprache: every sentence on a line of its own (see :meth:`lines`)."""
        self._labels = labels.bind(data)
        self._label_texts: dict[str, Any] = {}
        self.page = page
        self.icon = icon
        self._directory_urls = directory_urls
        self._locale = Locale.parse(language.tag.replace("-", "_"))
        self._glossed: set[str] = set()
        self.terms: list[tuple[re.Pattern, Any]] = []
        """Glossary terms to explain, as (pattern, term); see :func:`glossary_patterns`."""
        # What a text, date or number looks like in this language is the same on every page: worked
        # out once and shared by the views :meth:`at` makes (a variant renders thousands of them).
        self._shown: dict[Text, Shown] = {}
        self._formatted: dict[tuple, str] = {}
        self._links: dict[tuple[str, str], str] = {}
        self._place = _place(page, directory_urls)

    def label(self, key: str, **values: Any) -> Any:
        """The interface label ``key`` with ``{placeholders}`` filled from ``values``; on a Leichte
        Sprache page a label of several sentences shows one sentence per line (escaped either way)."""
        if values:
            # Leichte Sprache: the lines of a text worked out once (the same amounts and dates on many pages)
            return self.line_breaks(self._labels(key, **values))
        shown = self._label_texts.get(key)  # a label without values: the same on every page
        if shown is None:
            text = self._labels(key)
            shown = self._label_texts[key] = _as_lines(text) if self.easy_read else text
        return shown

    def at(self, page: str) -> View:
        """A view of ``page`` in the same language, sharing this view's labels, glossary terms and
        what it has already worked out (texts shown, dates, numbers); its own glossary mentions."""
        view = copy.copy(self)
        view.page = page
        view._place = _place(page, self._directory_urls)
        view._glossed = set()
        return view

    def t(self, text: Text | None) -> Shown | None:
        """``text`` in the reader's language, falling back to German."""
        if text is None:
            return None
        try:
            shown = self._shown.get(text)  # a Text is hashed by identity: one entry per text of the data
        except TypeError:  # not hashable: not kept
            return self._show(text)
        if shown is None:
            shown = self._shown[text] = self._show(text)
        return shown

    def _show(self, text: Text) -> Shown:
        code = self.language.code
        if code == SOURCE.code:
            return Shown(text.de, False, SOURCE.tag, SOURCE.dir)
        translated = text.get(code)
        if translated is not None:
            return Shown(translated, False, self.language.tag, self.language.dir, text.state(code))
        if text.is_name:  # shown as it is, in its own language, without a notice
            return Shown(text.de, False, SOURCE.tag, SOURCE.dir, NAME)
        return Shown(text.de, True, SOURCE.tag, SOURCE.dir, "missing")

    @property
    def body_named(self) -> bool:
        """True when the data names a steering body (texts about it are shown only then)."""
        terms = terms_of(self.data)
        return terms.body_named if terms is not None else bool(self.data.concept.project_group)

    def lines(self, text: str) -> list[list[str]]:
        """Leichte Sprache: paragraphs (parted by an empty line) of lines, one sentence each. A line
        of the data stays a line; a line that holds two sentences is split after the first."""
        key = ("lines", type(text), text)
        if key not in self._formatted:
            self._formatted[key] = [lines for block in re.split(r"\n\s*\n", text)
                                    if (lines := [sentence for line in block.split("\n")
                                                  for sentence in split_sentences(line)])]
        return self._formatted[key]

    def line_breaks(self, text: str) -> str:
        """``text`` for inside a line (list item, table cell): in Leichte Sprache each sentence
        ends with a line break; escaped either way."""
        if not self.easy_read:
            return text
        key = ("line_breaks", type(text), text)
        if key not in self._formatted:
            self._formatted[key] = _as_lines(text)
        return self._formatted[key]

    def glossed(self, paragraph: str) -> list[tuple[str, Any]]:
        """A paragraph split into (text, glossary term or None) pieces: the first mention on this
        page of each term is paired with the term, for the ``paragraph`` macro to explain it."""
        if self.page == GLOSSARY or not self._may_mention_a_term(paragraph):
            return [(paragraph, None)]
        starts = self._term_starts(paragraph)
        found: list[tuple[int, int, Any]] = []
        for pattern, term in self.terms:
            if term.id in self._glossed:
                continue
            if starts is None:
                match = pattern.search(paragraph)
            else:  # a term's first match starts where some term starts: tried there only
                match = next((at for start in starts if (at := pattern.match(paragraph, start))), None)
            if match and not any(match.start() < end and start < match.end() for start, end, _ in found):
                found.append((match.start(), match.end(), term))
        pieces, position = [], 0
        for start, end, term in sorted(found, key=lambda item: item[0]):
            self._glossed.add(term.id)
            pieces += [(paragraph[position:start], None), (paragraph[start:end], term)]
            position = end
        return [*pieces, (paragraph[position:], None)]

    def _may_mention_a_term(self, paragraph: str) -> bool:
        """False when no glossary term occurs in ``paragraph``: one search for all terms, where
        :meth:`glossed` searches once per term (most paragraphs mention none)."""
        key = ("terms", id(self.terms))
        entry = self._formatted.get(key)
        if entry is None or entry[0] is not self.terms:
            entry = self._formatted[key] = (self.terms, _any_of([pattern for pattern, _ in self.terms]))
        return entry[1] is None or entry[1].search(paragraph) is not None

    def _term_starts(self, paragraph: str) -> list[int] | None:
        """Where in ``paragraph`` any glossary term starts, overlapping ones too (None: not known)."""
        key = ("term starts", id(self.terms))
        entry = self._formatted.get(key)
        if entry is None or entry[0] is not self.terms:
            combined = _any_of([pattern for pattern, _ in self.terms])
            lookahead = re.compile(f"(?={combined.pattern})", combined.flags) if combined is not None else None
            entry = self._formatted[key] = (self.terms, lookahead)
        return None if entry[1] is None else [match.start() for match in entry[1].finditer(paragraph)]

    def url(self, target: str) -> str:
        """Relative link from this page to ``target`` (a page source path, optional ``#fragment``).

        A link is the same from every page of the same folder and depth (``massnahmen/a/`` and
        ``massnahmen/b/``), unless it leads to the page itself or below it: such links are worked
        out once per variant and place (a measure page links to the same fields, actors and lists)."""
        parent, own = self._place
        page = target.partition("#")[0]
        if not page or page == self.page or page_url(page, self._directory_urls).startswith(own):
            return relative_url(self.page, target, self._directory_urls)
        key = (parent, target)
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = relative_url(self.page, target, self._directory_urls)
        return link

    def url_in(self, language: Language, target: str) -> str:
        """Relative link from this page to page ``target`` of another language variant."""
        return relative_url(self.language.prefix + self.page, language.prefix + target, self._directory_urls)

    def asset(self, path: str) -> str:
        """Relative link from this page to a file below docs/ (e.g. ``assets/dgs/video.mp4``)."""
        here = page_url(self.language.prefix + self.page, self._directory_urls)
        base = here if here.endswith("/") or not here else posixpath.dirname(here)
        return posixpath.relpath(path, base or ".")

    def pictogram(self, field: Any) -> str:
        """Relative link from this page to the pictogram of ``field`` (built in or the city's)."""
        from klartext.pictograms import site_path

        return self.asset(site_path(field))

    def pictogram_print(self, field: Any) -> str:
        """The pictogram of ``field`` as the PDF loads it."""
        from klartext.pictograms import print_source

        return print_source(field)

    def choice(self, collection: str, choice_id: str | None) -> Any:
        """An entry of a configurable list (state, kind) by id."""
        return self.data.get(collection, choice_id)

    def date(self, value: PartialDate | None) -> str:
        """A date in the reader's language, as precise as it was written."""
        if value is None:
            return ""
        key = ("date", value)
        if key not in self._formatted:
            if value.precision == "year":
                self._formatted[key] = str(value.year)
            elif value.precision == "month":
                self._formatted[key] = format_skeleton("yMMMM", value.first_day, locale=self._locale)
            else:
                self._formatted[key] = format_date(value.first_day, format="long", locale=self._locale)
        return self._formatted[key]

    def day(self, value: Any) -> str:
        """A ``datetime.date`` (e.g. the dashboard's reference day) in the reader's language."""
        key = ("day", value)
        if key not in self._formatted:
            self._formatted[key] = format_date(value, format="long", locale=self._locale)
        return self._formatted[key]

    def period(self, start: PartialDate | None, end: PartialDate | None) -> str:
        """``start – end``, or whichever of the two is known."""
        if start and end:
            return self.label("period.range", start=self.date(start), end=self.date(end))
        if start:
            return self.label("period.from", start=self.date(start))
        if end:
            return self.label("period.until", end=self.date(end))
        return ""

    def count(self, key: str, n: int) -> str:
        """A counted noun in the right plural form, e.g. ``count.measures`` -> "3 Maßnahmen"."""
        return self._labels.plural(key, self._locale.plural_form(n), n)

    def number(self, value: float) -> str:
        """A number in the reader's locale."""
        key = ("number", type(value), value)  # the type too: 1 and 1.0 are equal keys, "1" and "1,0" not
        if key not in self._formatted:
            self._formatted[key] = format_decimal(value, locale=self._locale)
        return self._formatted[key]

    def money(self, amount: float, approximate: bool = False) -> str:
        """An amount in euro, e.g. ``ca. 33.000 €``."""
        key = ("money", type(amount), amount)
        if key not in self._formatted:
            self._formatted[key] = format_decimal(amount, format="#,##0", locale=self._locale)
        shown = self.label("money.amount", amount=self._formatted[key])
        return self.label("money.approximate", amount=shown) if approximate else shown

    def megabytes(self, size: int) -> str:
        """A file size in megabytes with one decimal, e.g. ``0,2``."""
        return format_decimal(round(size / 1_000_000, 1), format="0.0", locale=self._locale)

    def language_name(self, code: str) -> str:
        """Name of a language in the reader's language (``ar`` -> "Arabisch")."""
        key = ("language", code)
        if key not in self._formatted:
            name = Locale.parse(code).get_display_name(self._locale) or code
            self._formatted[key] = name[:1].upper() + name[1:]
        return self._formatted[key]


def _place(page: str, directory_urls: bool) -> tuple[str, str]:
    """Where ``page`` links from (:meth:`View.url`): the folder holding the page's link base, and the
    base itself with a final ``/`` (links to URLs below it differ between pages of one folder)."""
    here = page_url(page, directory_urls)
    base = (here if here.endswith("/") or not here else posixpath.dirname(here)).rstrip("/")
    return (f"{posixpath.dirname(base)}/{base.count('/')}", f"{base}/" if base else "")


_TERM_START, _TERM_END = r"(?<!\w)", r"\w*"
"""How each of :func:`glossary_patterns`' patterns begins and ends (a term at a word start, any ending)."""


def _any_of(patterns: list[re.Pattern]) -> re.Pattern | None:
    """A pattern that finds something wherever one of ``patterns`` does (at a word start, one of the
    terms; with the word start checked once, not once per term); None: no such shortcut."""
    if not patterns:
        return re.compile(r"(?!)")  # never matches, as no term does
    if any(not pattern.pattern.startswith(_TERM_START) or not pattern.pattern.endswith(_TERM_END)
           or pattern.flags != patterns[0].flags for pattern in patterns):
        return None
    by_first: dict[str, list[str]] = {}  # grouped by first character: one comparison for each group
    for pattern in patterns:
        term = pattern.pattern[len(_TERM_START):-len(_TERM_END)]
        first = term[:2] if term.startswith("\\") else term[:1]  # re.escape writes "\\" + one character
        by_first.setdefault(first, []).append(term[len(first):])
    inner = "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in by_first.items())
    return re.compile(f"{_TERM_START}(?:{inner})", patterns[0].flags)


def glossary_patterns(view: View) -> list[tuple[re.Pattern, Any]]:
    """Patterns finding each glossary term (in the view's language) at a word start, any ending."""
    patterns = []
    for term in view.data.glossary:
        shown = view.t(term.term)
        if shown.fallback:
            continue  # an untranslated (German) term does not occur in translated text
        surface = shown.text.split(" (")[0].strip()
        if len(surface) >= 3:
            patterns.append((re.compile(f"{_TERM_START}{re.escape(surface)}{_TERM_END}", re.IGNORECASE), term))
    return patterns


def plain_title(text: str) -> Markup:
    """A title safe for MkDocs and Material, which print titles unescaped, in text and in attributes.

    Material prints the site name and page titles unescaped, also inside attributes
    (``aria-label="{{ config.site_name }}"``): quotes are escaped as well. Angle brackets become
    look-alike quotes because ``striptags`` would turn ``&lt;`` back into ``<``. The result is
    :class:`~markupsafe.Markup`, so a template's ``| e`` (``title="{{ config.site_name | e }}"``)
    does not escape it twice.
    """
    return Markup(html.escape(text.replace("<", "‹").replace(">", "›"), quote=True))
