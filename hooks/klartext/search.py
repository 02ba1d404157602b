"""Search index of one language variant: which lunr.js setup it gets.

Material for MkDocs searches in the reader's browser with lunr.js. This module decides, per variant,
- which lunr language support it loads (stemmer and stop words; :data:`LUNR_LANGUAGES`),
- the pipeline: the stemmer where lunr has one for the language, so inflected forms find each other
  (Material's default pipeline drops it), never lunr's trimmer (it strips every non-Latin letter),
- the word separator: white space, hyphens and punctuation of every script we publish in, so that
  "(Lehrte)", «мова», „Sprache“ and "اللغة،" are indexed as the bare word (not the Leichte Sprache
  middle dot: "Stadt·verwaltung" stays one word, which the theme's search worker
  assets/javascripts/workers/klartext-search.js normalises to "stadtverwaltung" in the index and in
  the query alike; the same worker stems the query words, which Material leaves unstemmed).

No MkDocs imports: the adapter passes the index Material wrote and writes the result.
"""

from __future__ import annotations

from typing import Any

LUNR_LANGUAGES = frozenset({"ar", "da", "de", "du", "el", "en", "es", "fi", "fr", "he", "hi", "hu", "hy", "it",
                            "ja", "jp", "kn", "ko", "nl", "no", "pt", "ro", "ru", "sa", "sv", "ta", "te", "th",
                            "tr", "vi", "zh"})
"""Languages Material ships a lunr.js stemmer and stop word list for."""

SEPARATOR = (r"[\s\-‐‑–—,;:!?¡¿()\[\]{}\"“”„‟«»‹›‘‚‛/\\|•…،؛؟٪]+"
             r"|\.(?!\d)|&(?:amp|lt|gt|quot|#39);")
"""What separates words, for the index and for the query (Material splits both with it).
A full stop before a digit stays inside the word (dates and figures such as 31.12.2023, 2.5); so does an
apostrophe (Ukrainian з’явитися, Turkish Lehrte'de), which the search worker normalises."""


def lunr_language(tag: str) -> str:
    """The lunr.js language of a variant with the language tag ``tag``; ``en`` is lunr's neutral
    setup, used for languages lunr has no support for (e.g. ``uk``)."""
    primary = tag.split("-")[0].lower()
    return primary if primary in LUNR_LANGUAGES else "en"


def index_config(config: dict[str, Any], tag: str) -> dict[str, Any]:
    """Material's index ``config`` adapted to a variant with the language tag ``tag``."""
    lunr = lunr_language(tag)
    has_stemmer = lunr == tag.split("-")[0].lower()  # "en" stands in for languages lunr lacks
    pipeline = ["stemmer", "stopWordFilter"] if has_stemmer else ["stopWordFilter"]
    return {**config, "lang": [lunr], "separator": SEPARATOR, "pipeline": pipeline}
