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
from collections.abc import Iterable

_SCRIPT = re.compile(r"<script\b([^>]*)>((?:[^<]++|<(?!/script\s*>))*+)</script\s*>", re.IGNORECASE)
"""An inline script: its attributes and its body, up to the first ``</script>`` (the body as ``.*?``
would find it, without trying the end at every character)."""
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
        source = _hash(body)
        if source not in found:
            found.append(source)
    return found


def policy(hashes: list[str] | tuple[str, ...] = ()) -> str:
    """The policy text, with ``hashes`` allowed as inline scripts."""
    directives = dict(BASE)
    if hashes:
        directives["script-src"] = " ".join([BASE["script-src"], *hashes])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_policy(html: str, worker_shim: str | None = None) -> str:
    """``html`` with its policy as the first element of ``<head>`` (after ``<meta charset>``), so
    that it covers every script after it. A page that already has one is returned unchanged.

    ``worker_shim`` is the iframe-worker shim of the offline copy: the inline script it writes into
    its frame (which inherits this policy) is allowed by its hash as well."""
    if MARKER in html:
        return html
    match = _HEAD.search(html)
    if match is None:
        return html
    hashes = script_hashes(html)
    search = _SEARCH_WORKER.search(html) if worker_shim else None
    if search:
        bootstrap = worker_bootstrap(worker_shim, search.group(1))
        if bootstrap is not None:
            hashes.append(_hash(bootstrap))
    meta = f'\n    <meta {MARKER} content="{policy(hashes)}">'
    return html[:match.end()] + meta + html[match.end():]


_SEARCH_WORKER = re.compile(r'"search": "([^"]+)"')
"""The search worker's address in Material's ``__config`` (relative to the page)."""
_BOOTSTRAP = re.compile(r"`<html><body><script>(.*?)<\\/script>", re.DOTALL)


def worker_bootstrap(shim: str, url: str) -> str | None:
    """The inline script the iframe-worker shim writes for the worker at ``url``, or None when the
    shim is not built the way this reads it (then the offline search reports the violation).

    The shim (npm iframe-worker, pinned by its hash) writes ``postMessage=${fn};importScripts=${fn};…``
    with its own two functions' source and the worker's address filled in."""
    match = _BOOTSTRAP.search(shim)
    if match is None:
        return None
    missing = []

    def fill(placeholder: re.Match) -> str:
        name = placeholder.group(1)
        start = shim.find(f"function {name}(")
        if start < 0:
            return url  # the constructor's parameter: the worker's address
        depth = 0
        for end in range(shim.index("{", start), len(shim)):
            depth += {"{": 1, "}": -1}.get(shim[end], 0)
            if depth == 0:
                return shim[start:end + 1]
        missing.append(name)
        return ""

    script = re.sub(r"\$\{(\w+)\}", fill, match.group(1))
    return None if missing else script


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


HEADER_FILE = "csp-header.txt"
"""File beside the site's pages with the policy as one HTTP header value (README, "Hosting")."""
_META_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def header_policy(pages: Iterable[str]) -> str:
    """One policy for a server header that allows every page's inline scripts (the union of the
    pages' hashes) and adds ``frame-ancestors``, which a ``<meta>`` cannot carry.

    Args:
        pages: The beginning of each page (its ``<head>``)."""
    return hashes_policy(allowed_hashes(pages))


def allowed_hashes(pages: Iterable[str]) -> set[str]:
    """The hashes of inline scripts the pages' policies allow (``pages``: the beginning of each)."""
    hashes: set[str] = set()
    for head in pages:
        match = _META_POLICY.search(head)
        if match is None:
            continue
        for part in match.group(1).split("; "):
            name, *sources = part.split()
            if name == "script-src":
                hashes.update(source for source in sources if source.startswith("'sha256-"))
    return hashes


def hashes_policy(hashes: Iterable[str]) -> str:
    """The header policy (:func:`header_policy`) for the union ``hashes`` of the pages' hashes."""
    return policy(sorted(set(hashes))) + "; frame-ancestors 'self'"
