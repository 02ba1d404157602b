"""Pictograms beside the fields of action on Leichte Sprache pages.

The engine ships simple SVG pictograms (``theme/assets/klartext/piktogramme``); a city names one of
them or its own file below docs/ in a field's ``pictogram``. Each picture gets a text alternative.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from klartext.render import THEME_DIR

FOLDER = "assets/klartext/piktogramme"
"""Where the built-in pictograms are in the site (and below the package's theme folder)."""
BUILT_IN = tuple(sorted(path.stem for path in (THEME_DIR / FOLDER).glob("*.svg")))
"""Names of the built-in pictograms (bildung, gesundheit, arbeit, …, thema)."""
DEFAULT = "thema"


def is_built_in(name: str) -> bool:
    """True when ``name`` names a built-in pictogram rather than a file."""
    return "/" not in name and "." not in name


def site_path(field: Any) -> str:
    """The picture of ``field`` as a path in the site (relative to its root)."""
    name = field.pictogram or (field.id if field.id in BUILT_IN else DEFAULT)
    return f"{FOLDER}/{name}.svg" if is_built_in(name) else name


def print_source(field: Any) -> str:
    """The picture of ``field`` for the PDF: a built-in one inline (``data:``), the city's file by its
    path below docs/ (the PDF's base)."""
    path = site_path(field)
    if not path.startswith(FOLDER + "/"):
        return path
    svg = (THEME_DIR / path).read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def problem(name: str, docs_dir: Path) -> str | None:
    """Why ``name`` cannot be shown (German, for staff), or None."""
    if is_built_in(name):
        if name in BUILT_IN:
            return None
        return (f"Das Piktogramm „{name}“ gibt es nicht. Eingebaut sind: {', '.join(BUILT_IN)}. "
                "Oder den Namen einer eigenen Bild·datei im Ordner docs/ angeben (z. B. bilder/kita.svg).")
    docs = docs_dir.resolve()
    inside = ":" not in name and (docs / name).resolve().is_relative_to(docs)
    if not (inside and (docs / name).is_file()):
        return (f"Die Bilddatei „{name}“ (in „pictogram“) gibt es nicht im Ordner docs/. Bitte die Datei "
                "dort ablegen oder den Namen prüfen (Groß- und Kleinschreibung zählt).")
    if Path(name).suffix.lower() not in (".svg", ".png", ".webp", ".jpg", ".jpeg"):
        return f"Die Datei „{name}“ (in „pictogram“) ist kein Bild. Bitte eine SVG- oder PNG-Datei angeben."
    return None
