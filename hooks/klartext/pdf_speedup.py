"""Remove the quadratic step of WeasyPrint's PDF/UA tagging, for exactly the versions it was written for.

WeasyPrint 70.0 asks ``pdf.page_references[page_number]`` of pydyf 0.13.0 for every tagged box (and every
link), and that property builds the tuple of *all* page references anew on each call: about 20,000 calls of
a 155-element tuple for a 155-page PDF, quadratic in the page count. :func:`applied` replaces the property,
only while our own ``write_pdf`` runs, with one that keeps the tuple until a page is added. The tuple holds
the same values, so the PDF is byte-identical (``tests/test_pdf_speedup.py`` compares the bytes).

With any other version of either package :func:`applied` changes nothing: a newer pydyf or WeasyPrint may
have fixed this or changed what the property must return, and this module has only been checked against
the versions in :data:`VERSIONS`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from importlib import metadata

VERSIONS = {"weasyprint": "70.0", "pydyf": "0.13.0"}
"""The package versions this fix was written for and checked against."""

_lock = threading.Lock()
_active = 0
_original: object = None


def applicable() -> bool:
    """Whether the installed WeasyPrint and pydyf are exactly the versions of :data:`VERSIONS`."""
    try:
        return all(metadata.version(name) == version for name, version in VERSIONS.items())
    except metadata.PackageNotFoundError:
        return False


def _page_references(pdf) -> tuple[bytes, ...]:  # noqa: ANN001 (a pydyf.PDF)
    """pydyf 0.13.0's ``PDF.page_references``, built again only when the list of pages changed."""
    kids = pdf.pages["Kids"]
    key = (id(kids), len(kids))
    cached = pdf.__dict__.get("_klartext_page_references")
    if cached is None or cached[0] != key:
        # the same expression as pydyf 0.13.0
        references = tuple(f"{object_number} 0 R".encode("ascii") for object_number in kids[::3])
        cached = pdf.__dict__["_klartext_page_references"] = (key, references)
    return cached[1]


@contextlib.contextmanager
def applied() -> Iterator[bool]:
    """While the block runs, ``pydyf.PDF.page_references`` is cached (only for :data:`VERSIONS`).

    Yields whether the fix is in effect. Nested and concurrent uses (threads) share one replacement; the
    original property is back once the last block ends.
    """
    global _active, _original
    if not applicable():
        yield False
        return
    import pydyf

    with _lock:
        if _active == 0:
            _original = pydyf.PDF.__dict__["page_references"]
            pydyf.PDF.page_references = property(_page_references)
        _active += 1
    try:
        yield True
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                pydyf.PDF.page_references = _original
                _original = None
