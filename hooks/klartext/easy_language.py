"""Leichte Sprache checks: the rules a program can check, with German findings and their place.

Every Leichte Sprache text of a project is checked: the ``ls`` translations in
``data/translations/ls.yml``, the ``ls`` interface labels and the hand-written ``docs/*.ls.md``.
Rules (thresholds in :class:`Settings`, configurable in ``mkdocs.yml`` under
``extra.klartext.leichte_sprache``): sentence length, one statement per sentence, passive,
subjunctive, genitive, negation, abbreviations, numbers written as words, special characters,
long compound words (with a suggested split), hard words (neither common nor in the glossary) and
the Flesch-Amstad score of each text. Libraries: HanTa (part of speech, compound parts), wordfreq
(how common a word is), textstat (Flesch-Amstad), all offline.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable

from klartext.concept import ConceptData
from klartext.labels import LABELS_DIR
from klartext.loading import load_document
from klartext.problems import Problem
from klartext.sentences import split_sentences
from klartext.translations import entries

LANG = "ls"

RULES = {
    "satzlaenge": "Satzlänge",
    "aussagen": "eine Aussage pro Satz",
    "nebensatz": "Nebensatz",
    "zeilen": "ein Satz pro Zeile",
    "passiv": "Passiv",
    "konjunktiv": "Konjunktiv",
    "genitiv": "Genitiv",
    "verneinung": "Verneinung",
    "abkuerzung": "Abkürzung",
    "zahlwort": "Zahl als Wort",
    "sonderzeichen": "Sonderzeichen",
    "langes-wort": "langes zusammengesetztes Wort",
    "schweres-wort": "schweres Wort",
    "lesbarkeit": "Lesbarkeit (Flesch-Amstad)",
}
"""Rule id -> German name, in report order."""


@dataclass
class Settings:
    """Thresholds of the checks (``extra.klartext.leichte_sprache`` in ``mkdocs.yml``)."""

    max_words: int = 12
    """Most words in one sentence (a colon starts a new sentence)."""
    max_statements: int = 1
    """Most finite verbs (statements) in one sentence."""
    max_negations: int = 1
    """Most negations (nicht, kein, nie …) in one text; more are reported."""
    min_compound_length: int = 11
    """Compound words of at least this many letters must be split with the separator."""
    separator: str = "·"
    """Separator for compound words: middle dot ``·`` (Bildungs·angebot) or hyphen ``-`` (Bildungs-Angebot)."""
    min_zipf: float = 3.0
    """Words rarer than this (wordfreq Zipf scale; 3 = once per million words) must be in the glossary."""
    min_flesch: float = 60.0
    """Lowest Flesch-Amstad score of a text (0-100; 80+ is easy)."""
    min_flesch_words: int = 30
    """Texts shorter than this are not scored (the formula needs some text)."""
    special_characters: str = "%§&;/()[]{}*#…–—+=<>|~_\""
    """Characters that must not appear in a text."""
    allowed_words: list[str] = field(default_factory=list)
    """Words accepted as they are (names, words the audience knows)."""
    hard_words: list[str] = field(default_factory=lambda: list(HARD_WORDS))
    """Words that are hard although they are common in newspapers (short forms such as „Kita“, office
    words such as „Stabsstelle“): they must be explained in the glossary or in the same text."""
    allowed_abbreviations: list[str] = field(default_factory=lambda: ["PDF"])
    """Abbreviations accepted anyway (readers know "PDF" better than its long form)."""
    disabled: list[str] = field(default_factory=list)
    """Rule ids to skip (see :data:`RULES`)."""

    @classmethod
    def from_config(cls, values: dict | None) -> Settings:
        """Settings from the ``leichte_sprache`` mapping; unknown keys raise ValueError."""
        values = dict(values or {})
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"Unbekannte Einstellung(en) in extra.klartext.leichte_sprache: "
                             f"{', '.join(unknown)}. Möglich: {', '.join(sorted(known))}.")
        settings = cls(**values)
        if settings.separator not in ("·", "-"):
            raise ValueError("extra.klartext.leichte_sprache.separator muss „·“ oder „-“ sein.")
        return settings


@dataclass(frozen=True)
class Finding:
    """One place where a text breaks a rule."""

    file: str
    line: int
    rule: str
    message: str

    def problem(self) -> Problem:
        """As a build warning."""
        return Problem(self.file, self.line, f"Leichte Sprache ({RULES[self.rule]}): {self.message}", "warning")


@dataclass(frozen=True)
class Source:
    """One Leichte Sprache text and where it is written."""

    file: str
    line: int
    text: str
    kind: str = "text"
    """``text``, ``label`` (interface label) or ``name`` (a proper name: only compounds are checked)."""


# ---------------------------------------------------------------------------------------------
# word lists (closed classes: a list is exact where a tagger guesses)

_SUBJUNCTIVE = {
    "würde", "würdest", "würden", "würdet", "wäre", "wärst", "wären", "wärt", "hätte", "hättest",
    "hätten", "hättet", "könnte", "könntest", "könnten", "müsste", "müssten", "dürfte", "dürften",
    "sollte", "solltest", "sollten", "käme", "kämen", "gäbe", "gäben", "ginge", "bliebe", "sei", "seien",
}
"""Konjunktiv I and II forms. ``möchte`` is not listed: it is the ordinary polite form."""
_GENITIVE = {"des", "eines", "dessen", "deren", "wessen", "meines", "deines", "seines", "unseres",
             "eures", "wegen", "trotz", "statt", "anstatt", "innerhalb", "außerhalb", "bezüglich"}
"""Genitive articles, pronouns and prepositions that take the genitive."""
_NEGATION = {"nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals",
             "niemand", "niemanden", "nichts", "weder", "nirgends"}
_NUMBER_WORDS = {
    "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
    "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn", "zwanzig",
    "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig", "hundert", "tausend",
    "million", "millionen", "milliarde", "milliarden", "zweiten", "dritten", "vierten", "fünften",
}
_NUMBER_VALUES = {"eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
                  "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "hundert": 100,
                  "tausend": 1000}
_ABBREVIATIONS = re.compile(
    r"\b(?:z\.\s?B\.|d\.\s?h\.|u\.\s?a\.|u\.\s?ä\.|o\.\s?ä\.|s\.\s?o\.|s\.\s?u\.|usw\.|bzw\.|ca\.|etc\.|evtl\.|"
    r"ggf\.|inkl\.|zzgl\.|vgl\.|sog\.|Nr\.|Tel\.|Str\.|Dr\.|Hr\.|Fr\.|Mio\.|Mrd\.|Abs\.|bspw\.|max\.|min\.)"
    r"|\b[A-ZÄÖÜ]{2,}[a-z]?\b")
_DOTTED = re.compile(r"\b(?:[A-Za-zÄÖÜäöü]|z\.\s?B|d\.\s?h|u\.\s?a|usw|bzw|ca|etc|evtl|ggf|inkl|vgl|sog|Nr|Tel|Str|Dr|Hr|Fr|Abs|bspw)\.$")
"""Dotted abbreviations: a full stop after them does not end the sentence."""
HARD_WORDS = (
    "Kita", "Krippe", "Hort", "Azubi", "Abi", "Reha", "Uni", "Bafög", "Kfz", "Pkw", "Lkw", "Stabsstelle",
    "Fachbereich", "Dezernat", "Referat", "Gremium", "Gremien", "Ausschuss", "Träger", "Pädiatrie", "Kommune",
    "kommunal", "Kooperation", "Ressource", "Evaluation", "Evaluierung", "Monitoring", "Konzeption",
    "Sensibilisierung", "Partizipation", "Akquise", "Implementierung", "Multiplikator", "Koordination",
)
"""Words readers of Leichte Sprache often do not know although newspapers use them often (wordfreq
counts newspapers): short forms and office words. Parts of compounds count too („Kita·platz“)."""
_SUBORDINATORS = {"wenn", "weil", "dass", "daß", "ob", "obwohl", "obgleich", "falls", "sodass", "nachdem",
                  "bevor", "indem", "sobald", "solange", "damit", "seitdem", "während", "als", "wie",
                  "wo", "wohin", "woher", "warum", "wieso", "weshalb"}
"""Words that start a subordinate clause after a comma (or at the start, see :data:`_OPENING`)."""
_OPENING = {"wenn", "weil", "dass", "daß", "ob", "obwohl", "falls", "nachdem", "bevor", "sobald", "solange"}
"""Conjunctions that start a subordinate clause at the start of a sentence („Wenn Sie …, dann …“)."""
_RELATIVE = {"der", "die", "das", "dem", "den", "denen", "deren", "dessen", "welcher", "welche",
             "welches", "welchem", "welchen"}
_FINITE = {"VV(FIN)", "VA(FIN)", "VM(FIN)", "VV(IMP)", "VA(IMP)"}
_PARTICIPLE = "VV(PP)"
_CONTENT = ("NN", "NE", "ADJ")
"""HanTa morpheme tags of the parts of a compound noun (verbs with prefixes are no compounds)."""
_COORDINATION = {"und", "oder", "aber", "sondern"}
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")

_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[^\s])")
_TOKEN = re.compile(r"[A-Za-zÄÖÜäöüß](?:[A-Za-zÄÖÜäöüß·\-]*[A-Za-zÄÖÜäöüß])?|\d+(?:[.,]\d+)*|[,;]")
_STREET = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß·\-]*(?:straße|strasse|platz|weg|allee|ring|gasse|damm|ufer|markt|"
                     r"chaussee|steg|pfad|hof|berg|garten|tor))\s+\d+[a-z]?\b")
"""A street and house number („Rathausplatz 1“): a name, never split or explained."""
_DEFINITION = re.compile(r"(?:^|[.!?:]\s+)(?:Ein|Eine|Der|Die|Das)\s+([A-ZÄÖÜ][\wÄÖÜäöüß·\-]*)\s+"
                         r"(?:ist|sind|heißt|bedeutet|nennt man)\b"
                         r"|\b([A-ZÄÖÜ][\wÄÖÜäöüß·\-]*)\s+(?:heißt|bedeutet):")
"""A sentence that explains a word in the text itself: „Eine Stabs·stelle ist …“, „Teilhabe heißt: …“."""
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß](?:[A-Za-zÄÖÜäöüß·\-]*[A-Za-zÄÖÜäöüß])?|\d+(?:[.,]\d+)*")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_SEPARATORS = "·-"


# ---------------------------------------------------------------------------------------------
# language tools (loaded once, lazily: HanTa's model takes a moment)


@functools.lru_cache(maxsize=1)
def _tagger() -> Any:
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


@functools.lru_cache(maxsize=20000)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "de")


@functools.lru_cache(maxsize=20000)
def _morphemes(word: str) -> tuple[tuple[str, str], ...]:
    return tuple(_tagger().analyze(word, taglevel=3)[1])


@functools.lru_cache(maxsize=20000)
def _lemma(word: str) -> str:
    return str(_tagger().analyze(word, taglevel=1)[0])


def flesch_amstad(text: str) -> float:
    """Flesch reading ease for German (Amstad): 180 - words/sentence - 58.5 x syllables/word."""
    import textstat

    textstat.set_lang("de")
    return float(textstat.flesch_reading_ease(text.replace("·", " ")))


# ---------------------------------------------------------------------------------------------
# checking

_RESULTS: dict[tuple, list[tuple[int, str, str]]] = {}
"""Findings per (settings and glossary, text, kind), kept for the life of the process."""


class Checker:
    """Checks texts against the rules with one set of settings and one glossary."""

    def __init__(self, settings: Settings, glossary_terms: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        self.settings = settings
        self.explained = {_key(term) for term in glossary_terms if term}
        self.explained |= {_key(word) for term in glossary_terms for word in _WORD.findall(term or "")
                           if len(word) >= 4 and word[0].isupper()}
        self.allowed = {_key(word) for word in settings.allowed_words if word and not word.isupper()}
        self.names = {_key(word) for word in names if word and not word.isupper()}
        """Words of proper names (organisations, the city): never split, but explained if hard."""
        self.hard_words = {_key(word) for word in settings.hard_words if word}
        self.allowed_abbreviations = set(settings.allowed_abbreviations)
        self._key = (repr(settings), frozenset(self.explained), frozenset(self.allowed), frozenset(self.names))

    def check(self, text: str, kind: str = "text") -> list[tuple[int, str, str]]:
        """Every finding in one text as (offset in the text, rule id, German message).

        Results are remembered per process, so that a preview rebuild only checks changed texts.
        """
        key = (self._key, text, kind)
        if key not in _RESULTS:
            _RESULTS[key] = self._check(text, kind)
        return _RESULTS[key]

    def _check(self, text: str, kind: str) -> list[tuple[int, str, str]]:
        text = _PLACEHOLDER.sub(lambda match: " " * len(match.group()), text)
        defined = self._defined(text)
        if kind == "name":  # a name is what it is: never split; its hard words still need an explanation
            streets = {match.start(1) for match in _STREET.finditer(text)}
            found = [(match.start(), rule, message) for match in _WORD.finditer(text) if match.start() not in streets
                     for rule, message in self._word(match.group(), text, defined, name=True)]
            return sorted(item for item in found if item[1] not in self.settings.disabled)
        found: list[tuple[int, str, str]] = []
        found += self._negations(text)
        found += self._lines(text)
        text = _BOLD.sub(lambda match: f"  {match.group(1) or match.group(2)}  ", text)
        for offset, sentence in _sentences(text):
            found += [(offset + where, rule, message)
                      for where, rule, message in self._sentence(sentence, defined)]
        found += self._text(text)
        return sorted(item for item in found if item[1] not in self.settings.disabled)

    def _defined(self, text: str) -> set[str]:
        """Words the text explains itself („Eine Stabs·stelle ist eine Abteilung …“)."""
        return {_key(match.group(1) or match.group(2)) for match in _DEFINITION.finditer(text)}

    def _lines(self, text: str) -> list[tuple[int, str, str]]:
        """Lines that hold the end of one sentence and the start of the next: Leichte Sprache
        shows every sentence on a line of its own, and the site and the PDF keep the lines as
        written. A folded YAML block (``>``) joins the lines staff wrote, so it shows up here."""
        found, offset = [], 0
        for line in text.split("\n"):
            sentences = split_sentences(line)
            if len(sentences) > 1:
                found.append((offset + line.find(sentences[1]), "zeilen", (
                    f"Mehrere Sätze in einer Zeile: „{_excerpt(line, 90)}“. In Leichter Sprache steht jeder "
                    "Satz in einer eigenen Zeile. Bitte nach jedem Satz eine neue Zeile beginnen; in YAML den "
                    "Text mit „|“ beginnen (nicht mit „>“, das fügt die Zeilen zusammen).")))
            offset += len(line) + 1
        return found

    # rules on one sentence -------------------------------------------------------------------

    def _sentence(self, sentence: str, defined: set[str] = frozenset()) -> list[tuple[int, str, str]]:
        words = [(match.start(), match.group()) for match in _WORD.finditer(sentence)]
        if not words:
            return []
        streets = {match.start(1) for match in _STREET.finditer(sentence)}
        found: list[tuple[int, str, str]] = []
        shown = _excerpt(sentence)
        settings = self.settings
        if len(words) > settings.max_words:
            found.append((0, "satzlaenge", f"Der Satz hat {len(words)} Wörter (höchstens {settings.max_words}): "
                                           f"„{shown}“. Bitte in kürzere Sätze teilen."))
        tokens = [(match.start(), match.group()) for match in _TOKEN.finditer(sentence)]
        token_tags = self._tags([token for _, token in tokens])
        tags = [tag for (_, token), tag in zip(tokens, token_tags) if token not in ",;"]
        finite = self._finite_verbs([token for _, token in tokens], token_tags)
        if len(finite) > settings.max_statements:
            found.append((0, "aussagen", f"Der Satz enthält {len(finite)} Aussagen (Verben: "
                                         f"{', '.join(finite)}): „{shown}“. Bitte für jede Aussage einen "
                                         "eigenen Satz schreiben."))
        clause = self._subordinate([token for _, token in tokens], token_tags)
        if clause is not None:
            where, word, kind = clause
            found.append((tokens[where][0], "nebensatz", (
                f"Nebensatz mit „{word}“ in „{shown}“. Bitte zwei Hauptsätze schreiben "
                + ("(z. B. „Alle arbeiten für die Gesundheit. Sie sprechen miteinander.“)."
                   if kind == "relativ" else "(z. B. „Sie wollen mitmachen? Dann …“ oder „… Deshalb …“)."))))
        werden = [word for (_, word), tag in zip(words, tags)
                  if tag.startswith("VA") and word.lower().startswith(("wird", "wurd", "werd", "würd"))]
        participles = [word for (_, word), tag in zip(words, tags) if tag == _PARTICIPLE]
        if werden and participles:
            found.append((0, "passiv", f"Passiv („{werden[0]} … {participles[-1]}“) in „{shown}“. Bitte aktiv "
                                       "schreiben: Wer tut etwas? (z. B. „Die Stadt plant …“)."))
        for start, word in words:
            lower = word.lower()
            if lower in _SUBJUNCTIVE:
                found.append((start, "konjunktiv", f"„{word}“ ist Konjunktiv (Möglichkeitsform). Bitte "
                                                   "wirklich sagen, was ist oder was geplant ist."))
            if lower in _GENITIVE:
                found.append((start, "genitiv", f"„{word}“ zeigt einen Genitiv. Bitte mit „von“ schreiben "
                                                "(z. B. „das Haus von der Stadt“)."))
            if lower in _NUMBER_WORDS or (lower.endswith(("zig", "ßig")) and lower[:-3] in _NUMBER_WORDS):
                value = _NUMBER_VALUES.get(lower)
                digits = f" (z. B. {value} statt {word})" if value else ""
                found.append((start, "zahlwort", f"Zahl als Wort „{word}“. Bitte als Ziffer schreiben{digits}."))
            if start not in streets:
                found += [(start, rule, message) for rule, message in self._word(word, sentence, defined)]
        for match in _ABBREVIATIONS.finditer(sentence):
            if match.group().strip() not in self.allowed_abbreviations and _key(match.group()) not in self.explained:
                found.append((match.start(), "abkuerzung", f"Abkürzung „{match.group()}“. Bitte das Wort "
                                                           "ausschreiben."))
        for position, char in enumerate(sentence):
            if char in settings.special_characters:
                found.append((position, "sonderzeichen", f"Sonderzeichen „{char}“ in „{shown}“. Bitte in Worten "
                                                         "sagen oder weglassen."))
        return found

    def _finite_verbs(self, tokens: list[str], tags: list[str]) -> list[str]:
        """Finite verbs that start a statement of their own (``tokens`` include commas).

        Not counted: a verb right after "und"/"oder" that shares the subject ("organisiert und
        leitet"), and an infinitive the tagger takes for a finite verb after a modal verb in the
        same clause, at the clause's end ("soll mehr Angebote geben", "soll mitmachen können").
        A comma ends the clause: later verbs count again ("…, wenn sie wollen").
        """
        found, modal = [], False
        for index, (word, tag) in enumerate(zip(tokens, tags)):
            if word in ",;":
                modal = False
                continue
            if tag not in _FINITE or _key(word) in self.allowed or _key(word) in self.names:
                continue
            following = tokens[index + 1] if index + 1 < len(tokens) else ","
            at_end = following in ",;" or tags[index + 1].startswith("V")
            if modal and word.lower().endswith("en") and at_end:
                continue
            if index and tokens[index - 1].lower() in _COORDINATION and found:
                continue
            modal = modal or tag.startswith("VM")
            found.append(word)
        return found

    def _subordinate(self, tokens: list[str], tags: list[str]) -> tuple[int, str, str] | None:
        """The first subordinate clause as (token index, its first word, ``relativ`` or ``konjunktion``):
        a relative clause („Alle, die … arbeiten, …“) or one opened by wenn, weil, dass, ob, damit …"""
        for index, (word, tag) in enumerate(zip(tokens, tags)):
            lower = word.lower()
            after_comma = index > 0 and tokens[index - 1] in ",;"
            after_comma_preposition = index > 1 and tokens[index - 2] in ",;" and tags[index - 1] == "APPR"
            clause = tokens[index + 1:]
            clause = clause[:clause.index(",")] if "," in clause else clause
            clause_tags = tags[index + 1:index + 1 + len(clause)]
            has_verb = any(tag.startswith("V") for tag in clause_tags)
            if tag in ("PRELS", "PRELAT") or ((after_comma or after_comma_preposition)
                                              and lower in _RELATIVE and has_verb
                                              and clause_tags[-1:] and clause_tags[-1].startswith("V")):
                return index, word, "relativ"
            if tag == "KOUS" or (after_comma and lower in _SUBORDINATORS and has_verb) or (
                    index == 0 and lower in _OPENING):
                return index, word, "konjunktion"
        return None

    def _tags(self, words: list[str]) -> list[str]:
        if not words:
            return []
        tagged = _tagger().tag_sent([word.replace("·", "") for word in words], taglevel=1)
        return [tag for _, _, tag in tagged]

    # rules on one word ------------------------------------------------------------------------

    def _word(self, word: str, sentence: str, defined: set[str] = frozenset(),
              name: bool = False) -> list[tuple[str, str]]:
        if not word[0].isalpha() or _key(word) in self.allowed:
            return []
        found = []
        parts = [part for part in re.split(r"[·\-]", word) if part]
        name = name or _key(word) in self.names
        for part in parts if not name else ():
            if len(part) >= self.settings.min_compound_length:
                split = self.split(part)
                if split:
                    suggestion = word.replace(part, split) if part != word else split
                    found.append(("langes-wort", f"Langes Wort „{word}“. Bitte trennen: „{suggestion}“."))
        # in a name only words split by the writer (common nouns: „Sozial·pädiatrie“) and listed
        # hard words need an explanation; „Becking“ or „Lehrter“ are names, not words to explain
        if name:  # an acronym in a name is the name itself („KAUSA-Landes·stelle“)
            parts = [part for part in parts if not part.isupper()] or parts
        checked = not name or len(parts) > 1 or self._listed_hard(word)
        if checked and _key(word) not in defined and self._hard(word, parts):
            found.append(("schweres-wort", f"Schweres Wort „{word}“: selten und nicht im Glossar erklärt. "
                                           "Bitte ein einfacheres Wort wählen oder im Glossar erklären."))
        return found

    def split(self, word: str) -> str | None:
        """``word`` split into its parts with the separator, or None if it is not a compound."""
        if not word[:1].isupper():
            return None
        morphemes = _morphemes(word)
        if "".join(part for part, _ in morphemes) != word.lower():
            return None
        cuts, position, seen_content = [], 0, False
        for part, tag in morphemes:
            content = tag.startswith(_CONTENT)
            if content and seen_content and position:
                cuts.append(position)
            seen_content = seen_content or content
            position += len(part)
        if not cuts:
            return None
        pieces = [word[start:end] for start, end in zip([0, *cuts], [*cuts, len(word)])]
        if self.settings.separator == "-":
            return "-".join(piece if index == 0 else piece[:1].upper() + piece[1:]
                            for index, piece in enumerate(pieces))
        return "·".join(pieces)

    def _hard(self, word: str, parts: list[str]) -> bool:
        whole = word.replace("·", "").replace("-", "")
        if len(whole) < 4 or self._is_explained(whole):
            return False
        if self._listed_hard(whole) or any(self._listed_hard(part) for part in parts):
            return True
        if max(_zipf(whole), _zipf(_lemma(whole))) >= self.settings.min_zipf:
            return False
        if len(parts) > 1:  # a split compound is easy when each part is a common word
            return not all(self._common_part(part) for part in parts)
        return True

    def _listed_hard(self, word: str) -> bool:
        """In :attr:`Settings.hard_words`, as written, inflected („Kitas“) or as a compound's end
        („Kinder·tages·stätte“ stays easy, „Kita·platz“ and „Stabs·stelle“ are hard)."""
        key = _key(word)
        return any(key == hard or (key.startswith(hard) and len(key) - len(hard) <= 2)
                   or (key.endswith(hard) and len(hard) >= 5) for hard in self.hard_words)

    def _common_part(self, part: str) -> bool:
        """A part of a compound is common as a word, without its linking "s", or as a verb stem
        ("Förder·geld")."""
        forms = {part, part.removesuffix("s"), part + "n", part + "en", _lemma(part)}
        return _key(part) in self.allowed or _key(part) in self.names or any(
            _zipf(form) >= self.settings.min_zipf for form in forms)

    def _is_explained(self, word: str) -> bool:
        key = _key(word)
        # the term itself, an inflected or compound form of it, or the head of an explained compound
        # ("Lotsen" after "Gesundheits·lotsen")
        return any(term in key or key.startswith(term[:-1]) or (len(key) >= 5 and term.endswith(key))
                   for term in self.explained if len(term) >= 4)

    # rules on a whole text --------------------------------------------------------------------

    def _negations(self, text: str) -> list[tuple[int, str, str]]:
        """Too many negations in a text. A negation in bold (Markdown) is fine: that is how Leichte
        Sprache marks a negation that cannot be avoided."""
        plain = _BOLD.sub(lambda match: " " * len(match.group()), text)
        negations = [(match.start(), match.group()) for match in _WORD.finditer(plain)
                     if match.group().lower() in _NEGATION]
        if len(negations) <= self.settings.max_negations:
            return []
        where, word = negations[self.settings.max_negations]
        return [(where, "verneinung", f"Der Text hat {len(negations)} Verneinungen (höchstens "
                                      f"{self.settings.max_negations}), z. B. „{word}“. Bitte positiv sagen, was "
                                      "ist, oder die Verneinung fett schreiben.")]

    def _text(self, text: str) -> list[tuple[int, str, str]]:
        found = []
        if len(_WORD.findall(text)) >= self.settings.min_flesch_words:
            score = flesch_amstad(text)
            if score < self.settings.min_flesch:
                found.append((0, "lesbarkeit", f"Der Text ist schwer zu lesen: Flesch-Amstad-Wert "
                                               f"{score:.0f} (mindestens {self.settings.min_flesch:.0f}). "
                                               "Bitte kürzere Sätze und kürzere Wörter verwenden."))
        return found


# ---------------------------------------------------------------------------------------------
# the texts of a project


def project_sources(data: ConceptData, root: Path, labels_dir: Path | None = None,
                    docs_dir: Path | None = None) -> list[Source]:
    """Every Leichte Sprache text of the project with its file and first line."""
    sources = []
    for entry in entries(data):
        translation = entry.text.translations.get(LANG)
        if translation is not None:
            kind = "name" if _is_name(entry.path) else "text"
            sources.append(Source(translation.file, translation.line, translation.text, kind))
    for folder, shown in ((LABELS_DIR, "hooks/klartext/labels"), (labels_dir, None)):
        if folder is None or not (folder / f"{LANG}.yml").is_file():
            continue
        path = folder / f"{LANG}.yml"
        display = f"{shown}/{LANG}.yml" if shown else _relative(path, root)
        document, _ = load_document(path, display)
        if document is None or not isinstance(document.data, dict):
            continue
        for key, value in document.data.items():
            if isinstance(value, str):
                sources.append(Source(display, document.line((key,)), value, "label"))
    docs_dir = docs_dir or root / "docs"
    for path in sorted(docs_dir.rglob(f"*.{LANG}.md")):
        sources += markdown_sources(path.read_text(encoding="utf-8"), _relative(path, root))
    return sources


def _is_name(path: tuple) -> bool:
    """Names of organisations and people, titles of documents: proper names, kept as they are."""
    return (path[-1] in ("name", "address") or "documents" in path or path[:2] == ("concept", "city")
            or path[:3] == ("concept", "privacy", "controller"))


def markdown_sources(markdown: str, shown: str) -> list[Source]:
    """Paragraphs, headings and list items of a Markdown page, as plain texts with their line."""
    sources: list[Source] = []
    paragraph: list[str] = []
    start, fenced = 0, False

    def flush() -> None:
        if paragraph:
            # the build keeps the lines of a Leichte Sprache page (klartext.sentences.keep_line_breaks)
            sources.append(Source(shown, start, "\n".join(paragraph)))
            paragraph.clear()

    for number, line in enumerate(markdown.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            flush()
            continue
        if fenced or not stripped or stripped.startswith(("<", "{#", "{%", "[[")):  # [[abbildung: ID]]
            flush()
            continue
        item = re.match(r"^(#{1,6}\s+|[-*+]\s+|\d+\.\s+)", stripped)
        if item:
            flush()
            start = number
            text = _markdown_text(stripped[item.end():])
            if stripped.startswith("#"):
                sources.append(Source(shown, number, text, "label"))
            else:
                paragraph.append(text)
            continue
        if not paragraph:
            start = number
        paragraph.append(_markdown_text(stripped))
    flush()
    return sources


def _markdown_text(line: str) -> str:
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links and images: their text
    line = re.sub(r"\{[:#.][^}]*\}", "", line)  # attribute lists
    return line.replace("`", "")  # bold stays: the checker reads bold negations


def check_project(data: ConceptData, root: Path, config: dict | None = None,
                  labels_dir: Path | None = None, docs_dir: Path | None = None) -> tuple[list[Finding], int]:
    """Findings in every Leichte Sprache text of the project, and the number of texts checked."""
    settings = Settings.from_config(config)
    terms = []
    for term in data.glossary:
        terms += [term.term.de, term.term.get(LANG) or ""]
    names = [data.concept.city.de]
    for actor in data.actors:  # words of names are no hard words (but abbreviations elsewhere are)
        names += _WORD.findall(f"{actor.name.de} {actor.name.get(LANG) or ''}")
    from klartext.easy_language_cache import CACHE_FILE, CachedChecker

    checker = CachedChecker(Checker(settings, terms, names), root / CACHE_FILE)  # unchanged texts: from disk
    sources = project_sources(data, root, labels_dir, docs_dir)
    locator = _Locator(root)
    findings = [Finding(source.file, locator.line(source, offset), rule, message)
                for source in sources for offset, rule, message in checker.check(source.text, source.kind)]
    checker.save()
    return sorted(set(findings), key=lambda item: (item.file, item.line, item.rule)), len(sources)


class _Locator:
    """Finds the line of a place in a text inside its file (texts of folded YAML span lines)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, tuple[str, list[int]]] = {}

    def line(self, source: Source, offset: int) -> int:
        flat, lines = self._file(source.file)
        if not flat:
            return source.line
        # first character on the text's line (``lines`` ascends; a scan was quadratic: 13 s for the
        # findings of a 150-measure translation file, on every build and preview)
        start = bisect.bisect_left(lines, source.line)
        start = 0 if start == len(lines) else start
        snippet = " ".join(source.text[offset:].split())[:40]
        while snippet:
            found = flat.find(snippet, start)
            if found >= 0:
                return lines[found]
            snippet = snippet[: len(snippet) // 2] if len(snippet) > 8 else ""
        return source.line

    def _file(self, shown: str) -> tuple[str, list[int]]:
        if shown not in self.files:
            path = self.root / shown
            if not path.is_file():
                path = LABELS_DIR.parent.parent.parent / shown  # the built-in labels
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            flat, lines = [], []
            for number, line in enumerate(text.splitlines(), 1):
                words = " ".join(line.split()) + " "
                flat.append(words)
                lines += [number] * len(words)
            self.files[shown] = ("".join(flat), lines)
        return self.files[shown]


def format_report(findings: list[Finding], texts: int) -> str:
    """The report for staff, in German."""
    lines = [f"Leichte Sprache: {texts} Texte geprüft, {len(findings)} Befunde."]
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    lines += [f"  {RULES[rule]}: {counts[rule]}" for rule in RULES if rule in counts]
    if findings:
        lines.append("")
    lines += [f"{finding.file}:{finding.line}: {RULES[finding.rule]}: {finding.message}" for finding in findings]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# helpers


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their offset. A colon ends a sentence too; "2." (an ordinal) does not."""
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()]
        if re.search(r"(?:^|\s)\d{1,2}\.$", before) or _DOTTED.search(before):
            continue
        found.append((start, before))
        start = match.end()
    if text[start:].strip():
        found.append((start, text[start:]))
    return found


def _key(word: str) -> str:
    return word.replace("·", "").replace("-", "").replace("\u00ad", "").strip(" .,:;!?„“\"").casefold()


def _excerpt(sentence: str, width: int = 70) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= width else sentence[: width - 1].rsplit(" ", 1)[0] + " …"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
