"""Language variants of the site: code, direction, the tags used in HTML and links."""

from __future__ import annotations

from dataclasses import dataclass

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "ckb", "dv", "sd", "ug"})
"""Primary language subtags written right to left."""


@dataclass(frozen=True)
class Language:
    """One language variant of the site, e.g. ``ar`` or the Leichte Sprache variant ``ls``."""

    code: str
    """The variant's code: the i18n locale and the key in translation files (``de``, ``ar``, ``ls``)."""
    name: str
    """Name of the variant in its own language, for the switcher."""
    html_lang: str = ""
    """BCP 47 tag for ``lang=""`` (``de`` for Leichte Sprache); defaults to ``code``."""
    default: bool = False
    """True for the source language at the site root."""

    @property
    def tag(self) -> str:
        """The language tag of the text on this variant's pages."""
        return self.html_lang or self.code

    @property
    def easy_read(self) -> bool:
        """True for an easy-to-read variant of another language (Leichte Sprache: code ``ls``, text ``de``):
        its own design (large type, one sentence per line, pictograms) and no staff pages in its menu."""
        return bool(self.html_lang) and self.html_lang != self.code

    @property
    def dir(self) -> str:
        """``rtl`` or ``ltr``."""
        return "rtl" if self.tag.split("-")[0] in RTL_LANGUAGES else "ltr"

    @property
    def hreflang(self) -> str:
        """A valid BCP 47 tag naming this variant (``de-x-ls`` for Leichte Sprache)."""
        return self.code if self.tag == self.code else f"{self.tag}-x-{self.code}"

    @property
    def prefix(self) -> str:
        """URL prefix of this variant's pages: empty at the root, else ``<code>/``."""
        return "" if self.default else f"{self.code}/"


SOURCE = Language("de", "Deutsch", default=True)
"""German: the language staff write the data in."""
