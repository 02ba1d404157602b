"""Translatable text and partial dates: the two value types the concept is made of."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema


CURRENT, OUTDATED, MACHINE, MISSING = "current", "outdated", "machine", "missing"
"""States of a translation: up to date, German changed since, machine-translated, not translated."""
UNCHECKED = "unchecked"
"""A translation without a stamp: nobody has recorded which German text it was made from."""
NAME = "name"
"""A name (organisation, address, person, document title) without a translation: shown as it is,
in its own language, and not a missing translation."""


@functools.lru_cache(maxsize=1 << 16)
def fingerprint(source: str) -> str:
    """Short fingerprint of a German source text, stored with each translation made from it (worked
    out once per text: a build compares each text's translations with it on several pages)."""
    return hashlib.sha256(source.strip().encode("utf-8")).hexdigest()[:10]


@dataclass
class Translation:
    """One translation of a text, with the place it was written and the source it was made from."""

    text: str
    file: str
    line: int
    source: str | None = None
    """Fingerprint of the German text this translation was made from (None: unknown)."""
    machine: bool = False
    """True when the text was machine-translated and not yet reviewed."""


@dataclass(eq=False)
class Text:
    """A text a citizen reads: the German source plus its translations by language code."""

    de: str
    translations: dict[str, Translation] = field(default_factory=dict)
    file: str = ""
    """Data file of the German text (set after loading)."""
    line: int = 0
    """Line of the German text (set after loading)."""

    is_name = False
    """True for texts that are names (see :class:`Name`)."""

    @property
    def fingerprint(self) -> str:
        """Fingerprint of the current German text."""
        return fingerprint(self.de)

    def state(self, lang: str) -> str:
        """``current``, ``outdated``, ``unchecked``, ``machine`` or ``missing`` for language ``lang``."""
        translation = self.translations.get(lang)
        if translation is None:
            return NAME if self.is_name else MISSING
        if translation.source is None:
            return MACHINE if translation.machine else UNCHECKED
        if translation.source != self.fingerprint:
            return OUTDATED
        return MACHINE if translation.machine else CURRENT

    def get(self, lang: str) -> str | None:
        """The text in ``lang``, or None when it has not been translated."""
        if lang == "de":
            return self.de
        translation = self.translations.get(lang)
        return translation.text if translation else None

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda text: text.de),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return {"type": "string", "minLength": 1}

    @classmethod
    def _validate(cls, value: Any) -> Text:
        if isinstance(value, Text):
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise PydanticCustomError("kt_text", "text expected")
        value = scalar_text(value).strip()
        if not value:
            raise PydanticCustomError("kt_text_empty", "empty text")
        if len(value) > MAX_TEXT:
            raise PydanticCustomError("kt_text_too_long", "text too long", {"length": len(value)})
        return cls(value)


MAX_TEXT = 32_767
"""Longest text (characters): what one spreadsheet cell holds (Excel, LibreOffice, openpyxl), so that
every text survives the spreadsheet export and import unchanged."""


def scalar_text(value: Any) -> str:
    """A YAML scalar as text, as staff typed it: a number typed where text belongs keeps its digits
    (``3.10`` stays „3.10“; the loader remembers the literal), anything else is ``str()``."""
    return getattr(value, "literal", None) or str(value)


@dataclass(eq=False)
class Name(Text):
    """A text that is a name: an organisation, an address, a person, a document title.

    It is shown as it is in every language (marked with the language it is written in) and needs
    no translation; a translation file may still give one (e.g. an explanation of the name)."""

    is_name = True


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day (e.g. ``2024``, ``2024-12``, ``2023-01-31``)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first_day(self) -> dt.date:
        """The earliest day this date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The latest day this date can mean."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return {"type": ["string", "integer"], "pattern": _DATE.pattern}

    @classmethod
    def _validate(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        match = _DATE.match(str(value).strip()) if isinstance(value, (str, int)) else None
        if not match or isinstance(value, bool):
            raise PydanticCustomError("kt_date_format", "date format")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            dt.date(year, month or 1, day or 1)  # type: ignore[arg-type]
        except ValueError:
            raise PydanticCustomError("kt_date_impossible", "impossible date") from None
        return cls(year, month, day)
