"""Looking at a built site the way a reader's browser does: a local HTTP server, Debian's Chromium
driven by Playwright, and the site's pages sorted by language variant and page kind.

Used by the browser tests (tests/test_browser.py) and the page-weight report (benchmarks/page_weight.py).
Never ``playwright install``: Playwright drives the Chromium from Debian's ``chromium`` package.
"""

from __future__ import annotations

import functools
import gzip
import posixpath
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from html_tools import parse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
"""Flags that keep Chromium itself from calling any host (see the developers' guide)."""
FIRST_PORT = 8160
"""Local servers take the first free port from here on (ports 8160-8169 belong to these checks)."""


@dataclass(frozen=True)
class SitePage:
    """One HTML page of a built site."""

    path: str
    """Path of the file inside the site, e.g. ``ar/massnahmen/index.html``."""
    variant: str
    """Folder of the language variant (``""`` for the default language at the root)."""
    kind: str
    """Page kind, e.g. ``start``, ``massnahmen``, ``massnahmen/*`` (one page per measure), ``404``."""

    @property
    def url(self) -> str:
        """Path the page is served at, e.g. ``/ar/massnahmen/``."""
        return "/" + (self.path[: -len("index.html")] if self.path.endswith("index.html") else self.path)


def variants(site: Path) -> dict[str, tuple[str, str]]:
    """The site's language variants as folder -> (lang, dir), read from the start page's switcher."""
    found = {}
    for link in parse(site / "index.html").all("a", **{"class": "md-select__link"}):
        folder = posixpath.normpath(link.attrs["href"]).strip("/")
        found["" if folder == "." else folder] = (link.attrs["lang"], link.attrs["dir"])
    return found


def site_pages(site: Path) -> list[SitePage]:
    """Every HTML page of ``site`` with its variant and kind, so new page kinds are covered
    without a list to maintain."""
    folders = {folder for folder in variants(site) if folder}
    pages = []
    for file in sorted(site.rglob("*.html")):
        path = file.relative_to(site).as_posix()
        first, _, rest = path.partition("/")
        variant, inner = (first, rest) if first in folders and rest else ("", path)
        pages.append(SitePage(path, variant, _kind(inner)))
    return pages


def _kind(inner: str) -> str:
    if inner == "index.html":
        return "start"
    parts = inner.split("/")
    if parts[-1] != "index.html":
        return parts[-1].removesuffix(".html")  # 404.html and other single files
    return parts[0] if len(parts) == 2 else f"{parts[0]}/*"


def one_per_kind(pages: list[SitePage]) -> list[SitePage]:
    """The first page of each (variant, kind)."""
    seen: dict[tuple[str, str], SitePage] = {}
    for page in pages:
        seen.setdefault((page.variant, page.kind), page)
    return list(seen.values())


def _site_path() -> str:
    """The path of ``site_url`` (e.g. ``/integrationskonzept/``): 404 pages link absolutely below it."""
    from urllib.parse import urlsplit

    from klartext.configfile import read_config

    site_url = read_config(Path(__file__).resolve().parent.parent / "mkdocs.yml").get("site_url") or "/"
    return urlsplit(site_url).path.rstrip("/") + "/"


class _QuietHandler(SimpleHTTPRequestHandler):
    mount = _site_path()
    """Also serve the site below the path of ``site_url``, as the city's server does."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass

    def translate_path(self, path: str) -> str:
        if self.mount != "/" and path.startswith(self.mount):
            path = path[len(self.mount) - 1:]
        return super().translate_path(path)

    def end_headers(self) -> None:
        # Tells linkchecker that this server may be checked at full speed (otherwise ~10 requests/s).
        self.send_header("LinkChecker", "local test server")
        super().end_headers()


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 in a thread; yields the base URL (``http://127.0.0.1:8160``)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    for port in range(FIRST_PORT, FIRST_PORT + 10):
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), handler)
            break
        except OSError:
            continue
    else:
        raise RuntimeError(f"no free port in {FIRST_PORT}-{FIRST_PORT + 9}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, without any background traffic of its own."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class Visit:
    """What the browser did while loading one page."""

    page: SitePage
    requests: list[tuple[str, str]] = field(default_factory=list)
    """(resource type, URL) of every request, in order."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(URL, reason) of requests to the local server that failed or answered with an error status."""
    sizes: dict[str, int] = field(default_factory=dict)
    """Bytes of response bodies per resource group (see :data:`GROUPS`)."""
    gzip_sizes: dict[str, int] = field(default_factory=dict)
    """The same, gzip-compressed as a web server would send them."""
    storage: dict[str, dict[str, str]] = field(default_factory=dict)
    """``localStorage``/``sessionStorage`` contents and ``document.cookie`` after loading."""


GROUPS = {"document": "html", "stylesheet": "css", "script": "js", "font": "fonts", "image": "images",
          "media": "media", "xhr": "data", "fetch": "data"}
"""Playwright resource types -> page-weight groups; anything else counts as ``other``."""


class Recorder:
    """Loads pages in one browser page and records requests, sizes and storage of each."""

    def __init__(self, context: Any, base: str, site: Path) -> None:
        self.base, self.site = base, site
        self._current: list[Any] = []
        self._gzip: dict[str, int] = {}
        self.all_requests: list[tuple[str, str]] = []
        """(resource type, URL) of every request of the context, also those after a visit ended."""
        context.on("request", self._record)
        # Nothing may leave the machine: requests to any other host are recorded, then refused.
        context.route(lambda url: not url.startswith(base + "/"), lambda route: route.abort())

    def _record(self, request: Any) -> None:
        self._current.append(request)
        self.all_requests.append((request.resource_type, request.url))

    def visit(self, browser_page: Any, page: SitePage, settle: float = 0.1,
              meanwhile: Callable[[], Any] | None = None) -> Visit:
        """Load ``page`` and wait until its requests have settled (search worker, stemmers);
        ``meanwhile`` runs right after loading (e.g. axe-core, which takes longer than the settling)."""
        self._current.clear()
        browser_page.goto(self.base + page.url, wait_until="load")
        if meanwhile is not None:
            meanwhile()
        seen = -1
        while len(self._current) != seen:  # late requests: search worker, index, stemmers
            seen = len(self._current)
            browser_page.wait_for_timeout(settle * 1000)
        visit = Visit(page, [(request.resource_type, request.url) for request in self._current])
        for request in list(self._current):
            self._measure(request, visit)
        visit.storage = browser_page.evaluate(
            "() => ({local: {...localStorage}, session: {...sessionStorage}, cookie: {value: document.cookie}})")
        return visit

    def _measure(self, request: Any, visit: Visit) -> None:
        if not request.url.startswith(self.base + "/"):
            return
        response = request.response() if request.failure is None else None
        if response is None or response.status >= 400:
            visit.failed.append((request.url, request.failure or f"HTTP {response.status if response else '?'}"))
            return
        group = GROUPS.get(request.resource_type, "other")
        size = request.sizes()["responseBodySize"]
        visit.sizes[group] = visit.sizes.get(group, 0) + size
        visit.gzip_sizes[group] = visit.gzip_sizes.get(group, 0) + self._gzipped(request.url, size)

    def _gzipped(self, url: str, size: int) -> int:
        path = url[len(self.base):].split("?")[0].split("#")[0]
        if path not in self._gzip:
            file = self.site / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            self._gzip[path] = len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else size
        return self._gzip[path]

