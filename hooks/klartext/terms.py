"""Terms a city names in its own way: the kind of concept, its measures, its steering body.

Labels refer to a term's grammatical form with ``{term:measure.plural}``. Each language's label file
holds the default forms (``term.measure.plural: Maßnahmen``), which are Lehrte's words; a city sets its
own words once, in ``concept.terms`` of its data (German) and in ``concept.terms`` of each translation
file (the forms that language's labels use). Every label of every page, feed, download and PDF then
says the city's word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

TERMS = ("concept", "measure", "steering_body")
"""The terms a city may name: the kind of concept, the name of its measures, its steering body."""

TERM_NAMES = {"concept": "Art des Konzepts", "measure": "Name der Maßnahmen",
              "steering_body": "Name der steuernden Gruppe"}

TOKEN = re.compile(r"\{term:([a-z_]+)\.([a-z_]+)\}")
"""A term form inside a label: ``{term:measure.plural}``."""

_PREFIX = "term."
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")
_CONTRACTIONS = {("an", "dem"): "am", ("zu", "dem"): "zum", ("zu", "der"): "zur", ("in", "dem"): "im",
                 ("von", "dem"): "vom", ("bei", "dem"): "beim"}
_GERMAN_CONTRACTION = re.compile(r"\b(an|zu|in|von|bei|An|Zu|In|Von|Bei) $")


@dataclass
class CityTerms:
    """The words a city set in its data: German forms, and forms per translated language."""

    forms: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    """language -> term -> form -> text (``de`` holds the German forms)."""
    places: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    """(language, term) -> file and line where the forms were written (for messages)."""
    body_named: bool = False
    """True when the data names a steering body (a ``steering_body`` term or a project group)."""

    def renamed(self) -> list[str]:
        """Terms whose German forms the city set."""
        return [term for term in TERMS if term in self.forms.get("de", {})]


def default_forms(table: dict[str, str]) -> dict[str, dict[str, str]]:
    """The default forms in one language's label table: term -> form -> text."""
    forms: dict[str, dict[str, str]] = {}
    for key, value in table.items():
        if key.startswith(_PREFIX) and key.count(".") == 2:
            _, term, form = key.split(".")
            forms.setdefault(term, {})[form] = value
    return forms


def forms_for(lang: str, table: dict[str, str], terms: CityTerms | None) -> dict[str, dict[str, str]]:
    """The forms for labels of ``lang``: the city's where it set a term, else the defaults of ``table``.

    A term the city renamed in German but not in ``lang`` uses the German forms for Leichte Sprache
    and the city's German singular for every form elsewhere (validation reports it as an error).
    """
    forms = default_forms(table)
    if terms is None:
        return forms
    own = terms.forms.get(lang, {})
    german = terms.forms.get("de", {})
    for term in terms.renamed():
        if term in own:
            forms[term] = {**forms.get(term, {}), **own[term]}
        elif lang in ("de", "ls"):
            forms[term] = {**forms.get(term, {}), **german[term]}
        else:
            word = german[term].get("singular", "")
            forms[term] = {form: word for form in forms.get(term, {})}
    return forms


def resolve(label: str, forms: dict[str, dict[str, str]], german: bool = False) -> str:
    """``label`` with every ``{term:…}`` replaced by its form (capitalised at a sentence start;
    German ``an dem`` → ``am``, ``zu der`` → ``zur`` where a form begins with an article)."""
    if "{term:" not in label:
        return label
    out, position = [], 0
    for match in TOKEN.finditer(label):
        before = label[position:match.start()]
        word = forms.get(match.group(1), {}).get(match.group(2), match.group(0))
        if german:
            before, word = _contract(before, word)
        done = "".join(out) + before
        if word and _SENTENCE_START.search(done):
            word = word[0].upper() + word[1:]
        out += [before, word]
        position = match.end()
    out.append(label[position:])
    return "".join(out)


def resolve_table(table: dict[str, str], forms: dict[str, dict[str, str]], german: bool) -> dict[str, str]:
    """Every label of ``table`` resolved (see :func:`resolve`)."""
    return {key: resolve(value, forms, german) for key, value in table.items()}


def used_forms(table: dict[str, str]) -> dict[str, set[str]]:
    """term -> forms the labels of ``table`` use."""
    used: dict[str, set[str]] = {}
    for key, value in table.items():
        if not key.startswith(_PREFIX):
            for term, form in TOKEN.findall(value):
                used.setdefault(term, set()).add(form)
    return used


def _contract(before: str, word: str) -> tuple[str, str]:
    match = _GERMAN_CONTRACTION.search(before)
    article, _, rest = word.partition(" ")
    if not match or not rest:
        return before, word
    short = _CONTRACTIONS.get((match.group(1).lower(), article))
    if short is None:
        return before, word
    if match.group(1)[0].isupper():
        short = short.capitalize()
    return before[:match.start()], f"{short} {rest}"


def describe(forms: dict[str, str]) -> str:
    """``singular: Maßnahme, plural: Maßnahmen`` (for messages)."""
    return ", ".join(f"{form}: {text}" for form, text in forms.items())


def terms_of(data: Any) -> CityTerms | None:
    """The city's terms of loaded concept data (None for data without a concept)."""
    concept = getattr(data, "concept", None)
    return getattr(concept, "city_terms", None) if concept is not None else None
