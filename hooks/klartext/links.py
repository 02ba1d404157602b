"""Where generated pages live and how they link to each other (same layout in every language)."""

from __future__ import annotations

import posixpath

START = "index.md"
MEASURES = "massnahmen/index.md"
TIMELINE = "beteiligung.md"
ACTORS = "akteure.md"
GLOSSARY = "glossar.md"
CONTACT = "kontakt.md"
TRANSLATIONS = "uebersetzungen.md"
ACCESSIBILITY = "barrierefreiheit.md"
PRIVACY = "datenschutz.md"
IMPRESSUM = "impressum.md"
DASHBOARD = "fortschritt.md"
CHANGES = "aenderungen.md"
DATA = "daten.md"
"""The open-data page; its downloads lie in the folder ``daten/`` beside it."""
QUALITY = "datenqualitaet.md"
RECOMMENDATIONS = "empfehlungen/index.md"  # 16rec
"""Overview of the recommendations by field and by decision (only when the concept has any)."""


def field_page(field_id: str) -> str:
    """Source path of a field's page."""
    return f"handlungsfelder/{field_id}.md"


def measure_page(measure_id: str) -> str:
    """Source path of a measure's page."""
    return f"massnahmen/{measure_id}.md"


def report_page(name: str) -> str:
    """Source path of a status report's page (16rep)."""
    return f"berichte/{name}.md"


def recommendation_page(recommendation_id: str) -> str:  # 16rec
    """Source path of a recommendation's page."""
    return f"empfehlungen/{recommendation_id}.md"


def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL of a page relative to its language root, as MkDocs writes it."""
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        folder = stem[:-5]
        return folder if directory_urls else f"{folder}index.html"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def relative_url(from_src: str, to: str, directory_urls: bool = True) -> str:
    """Link from page ``from_src`` to ``to`` (a source path with an optional ``#fragment``)."""
    target, _, fragment = to.partition("#")
    here = page_url(from_src, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here)
    there = page_url(target, directory_urls) if target else here
    if target == from_src:
        link = "" if fragment else "./" if directory_urls else posixpath.basename(here)
    else:
        link = _relpath(there or ".", base or ".")
        if (there.endswith("/") or not there) and link != ".":
            link += "/"
        if link == ".":
            link = "./"
    return f"{link}#{fragment}" if fragment else link


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for the site's relative paths, without its two ``abspath`` calls (each
    asks the operating system for the working directory; links are made tens of thousands of times)."""
    if ".." in path or ".." in start or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    to = [part for part in path.split("/") if part and part != "."]
    here = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, here):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def file_url(from_src: str, path: str, directory_urls: bool = True) -> str:
    """Link from page ``from_src`` to a file (not a page) at ``path`` below the language root."""
    here = page_url(from_src, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here)
    return posixpath.relpath(path, base or ".")
