"""No internal link or anchor of the example site is broken, in any language.

Links (pages, stylesheets, scripts, images, PDFs, also ``url()`` in CSS) are checked over HTTP by
linkchecker (PyPI, pinned). Its AnchorCheck plugin downloads and parses a page once per distinct
``#fragment`` (~1,400 requests here, 2.5 minutes instead of 15 s), so fragments are checked by
:func:`test_every_anchor_exists`, which parses each page once.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

from browsing import serve, site_pages
from html_tools import parse, resolve

LINKCHECKER_CONFIG = """[checking]
threads=4
# the local test server sends a "LinkChecker" header, which lifts linkchecker's 10 requests/s limit
maxrequestspersecond=1000
"""


def linkcheck(base: str, tmp_path: Path) -> list[dict]:
    """Every URL linkchecker saw when crawling ``base``, as its CSV rows."""
    config = tmp_path / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG, encoding="utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "linkchecker"), "--config", str(config), "--no-status",
         "--verbose", "--ignore-url=^data:", "-o", "csv", base + "/"],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode in (0, 1), result.stderr  # 1: broken links found, 2: linkchecker failed
    lines = [line for line in result.stdout.splitlines(keepends=True) if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("".join(lines)), delimiter=";"))


def test_linkchecker_finds_no_broken_link(site: Path, site_url: str, tmp_path: Path) -> None:
    rows = linkcheck(site_url, tmp_path)
    broken = sorted({f"{row['parentname'].removeprefix(site_url)} -> {row['urlname']}: {row['result']}"
                     for row in rows if row["valid"] != "True"})
    assert broken == [], "\n".join(broken)
    reached = {row["url"].removeprefix(site_url) for row in rows}
    unreached = [page.url for page in site_pages(site) if page.kind != "404" and page.url not in reached]
    assert unreached == []  # linkchecker crawled every page (none is unlinked)


def test_linkchecker_reports_a_broken_link(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<!doctype html><a href="fehlt/">x</a><a href="da.html">y</a>',
                                     encoding="utf-8")
    (site / "da.html").write_text("<!doctype html><p>da</p>", encoding="utf-8")
    with serve(site) as base:
        rows = linkcheck(base, tmp_path)
    assert {(row["urlname"], row["valid"]) for row in rows} >= {("fehlt/", "False"), ("da.html", "True")}


def test_every_anchor_exists(site: Path) -> None:
    """Every ``href="…#fragment"`` (on ``a`` and ``area``) names an id of its target page."""
    broken, ids, count = [], {}, 0
    for page in sorted(site.rglob("*.html")):
        for tag in parse(page).tags:
            href = tag.attrs.get("href", "") if tag.name in ("a", "area") else ""
            resolved = resolve(site, page, href) if "#" in href else None
            if resolved is None or not resolved[1]:
                continue
            target, fragment = resolved[0], unquote(resolved[1])
            if target.is_file():  # a missing page is reported by linkchecker
                count += 1
                if target not in ids:
                    ids[target] = parse(target).ids
                if fragment not in ids[target]:
                    broken.append(f"{page.relative_to(site)}: {href}")
    assert broken == [], "\n".join(broken)
    assert count > 500  # the glossary, actor and timeline links are all among them
