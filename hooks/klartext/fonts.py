"""Which characters the PDF fonts can draw: every text is checked before a PDF is made."""

from __future__ import annotations

import functools
import subprocess
import unicodedata

PDF_FONTS = ("Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans Symbols", "Noto Sans Symbols2")
"""Font families of the print stylesheet, in fallback order (Debian: fonts-noto-core)."""


@functools.cache
def font_files(families: tuple[str, ...] = PDF_FONTS) -> tuple[str, ...]:
    """Files of the installed fonts of ``families`` (found with fontconfig)."""
    files: list[str] = []
    for family in families:
        listing = subprocess.run(
            ["fc-list", f":family={family}", "file"], capture_output=True, text=True, check=False,
        ).stdout
        files += sorted(line.rstrip(": ").strip() for line in listing.splitlines() if line.strip())
    return tuple(files)


@functools.cache
def covered(families: tuple[str, ...] = PDF_FONTS) -> frozenset[int]:
    """Code points that at least one of the fonts has a glyph for."""
    from fontTools.ttLib import TTCollection, TTFont  # part of WeasyPrint's dependencies

    points: set[int] = set()
    for path in font_files(families):
        fonts = TTCollection(path, lazy=True).fonts if path.endswith(".ttc") else [TTFont(path, lazy=True)]
        for font in fonts:
            points.update(font.getBestCmap() or {})
    return frozenset(points)


def missing_characters(text: str, available: frozenset[int]) -> list[str]:
    """Characters of ``text`` that no font can draw (spaces and invisible format marks excepted)."""
    missing = []
    for char in dict.fromkeys(text):
        if ord(char) in available or char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        missing.append(char)
    return missing
