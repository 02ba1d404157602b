"""Content-Security-Policy for every page: defence in depth behind the escaping.

Each page gets a ``<meta http-equiv="Content-Security-Policy">`` as the first element of its
``<head>``: scripts and styles only from the site itself, and the page's own inline scripts (Material's
scope/palette bootstrap and the ``__config`` data) allowed by their SHA-256 hashes, computed from the
finished page. An inline script an escaping mistake might let through has no hash and does not run;
no ``'unsafe-inline'`` for scripts or styles, no ``eval``.

The same policy can be sent as an HTTP header (README, "Hosting"): a header also allows
``frame-ancestors``, which a ``<meta>`` cannot carry.
"""

from __future__ import annotations

import base64
import hashlib
import re

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_DATA_TYPE = re.compile(r"""\stype\s*=\s*["']?application/json""", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta charset=[^>]*>)?", re.IGNORECASE)

BASE = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # Material's icons are data: SVGs in its stylesheet
    "font-src": "'self'",
    "connect-src": "'self'",  # the search index
    "media-src": "'self'",  # the sign-language video
    "worker-src": "'self'",  # the search worker
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
"""The policy without the hashes of a page's inline scripts."""

MARKER = 'http-equiv="Content-Security-Policy"'


def script_hashes(html: str) -> list[str]:
    """``'sha256-…'`` sources for every inline script of ``html`` that a browser would run."""
    found = []
    for match in _SCRIPT.finditer(html):
        attributes, body = match.groups()
        if _SRC.search(attributes) or _DATA_TYPE.search(attributes):
            continue  # a file of the site ('self'), or data the browser never runs
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in found:
            found.append(source)
    return found


def policy(hashes: list[str] | tuple[str, ...] = ()) -> str:
    """The policy text, with ``hashes`` allowed as inline scripts."""
    directives = dict(BASE)
    if hashes:
        directives["script-src"] = " ".join([BASE["script-src"], *hashes])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_policy(html: str) -> str:
    """``html`` with its policy as the first element of ``<head>`` (after ``<meta charset>``), so
    that it covers every script after it. A page that already has one is returned unchanged."""
    if MARKER in html:
        return html
    match = _HEAD.search(html)
    if match is None:
        return html
    meta = f'\n    <meta {MARKER} content="{policy(script_hashes(html))}">'
    return html[:match.end()] + meta + html[match.end():]
