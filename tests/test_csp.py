"""Content-Security-Policy on every page: the site works under it, injected script does not run."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from browsing import one_per_kind, serve, site_pages
from html_tools import html_pages

_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)


def _policy(page: Path) -> dict[str, list[str]]:
    found = _META.findall(page.read_text(encoding="utf-8"))
    assert len(found) == 1, page
    return {part.split()[0]: part.split()[1:] for part in found[0].split("; ")}


def test_every_page_has_a_strict_policy_that_allows_its_own_inline_scripts(minimal_site: Path) -> None:
    pages = html_pages(minimal_site) + sorted(minimal_site.glob("**/404.html"))
    assert len(pages) > 50 and len([page for page in pages if page.name == "404.html"]) == 7
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policy = _policy(page)
        assert html.index("Content-Security-Policy") < html.index("<script"), page  # covers every script
        assert policy["default-src"] == ["'self'"] and policy["style-src"] == ["'self'"], page
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], page
        script_src = policy["script-src"]
        assert script_src[0] == "'self'" and not [s for s in script_src if "unsafe" in s], page
        inline = [body for attributes, body in _SCRIPT.findall(html)
                  if "src=" not in attributes and "application/json" not in attributes]
        assert inline, page  # Material's bootstrap scripts are inline
        hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
                  for body in inline}
        assert set(script_src[1:]) == hashes, page


@pytest.fixture(scope="module")
def served(minimal_site: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """The minimal site plus one page with script injected the way an escaping mistake would."""
    site = tmp_path_factory.mktemp("csp") / "site"
    shutil.copytree(minimal_site, site)
    start = (site / "index.html").read_text(encoding="utf-8")
    marker = '<div class="md-content" data-md-component="content">'
    assert marker in start
    injected = ('<script>window.__injected = 1</script><img src="x" onerror="window.__injected = 2" alt="">'
                '<a id="kt-probe" href="#" onclick="window.__injected = 3">x</a>')
    (site / "probe").mkdir()
    moved = start.replace('href="', 'href="../').replace('src="', 'src="../')  # one folder deeper
    (site / "probe" / "index.html").write_text(moved.replace(marker, marker + injected, 1), encoding="utf-8")
    with serve(site) as base:
        yield site, base


def _tab(browser, base: str):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route(lambda url: not url.startswith(base + "/"), lambda route: route.abort())
    tab = context.new_page()
    refused: list[str] = []
    tab.on("console", lambda message: refused.append(message.text)
           if "Content Security Policy" in message.text else None)
    return context, tab, refused


def test_every_page_kind_runs_without_a_violation(served, browser) -> None:  # noqa: ANN001
    site, base = served
    pages = [page for page in one_per_kind(site_pages(site)) if page.variant in ("", "ar", "uk")
             and page.kind != "probe"]
    assert len(pages) > 20
    context, tab, refused = _tab(browser, base)
    for page in pages:
        tab.goto(base + page.url, wait_until="load")
        tab.wait_for_timeout(150)
        # Material's bundle ran (it replaces the no-js class): scripts from the site itself are allowed
        assert "no-js" not in tab.evaluate("document.documentElement.className"), page.path
    context.close()
    assert refused == []


def test_search_language_menu_and_tooltips_work_under_the_policy(served, browser) -> None:  # noqa: ANN001
    site, base = served
    context, tab, refused = _tab(browser, base)
    tab.goto(base + "/massnahmen/lesepaten/", wait_until="load")
    tab.locator("input.md-search__input").click()
    tab.keyboard.type("Lesepaten", delay=20)
    tab.wait_for_selector(".md-search-result__item", timeout=20_000)  # the search worker answered
    assert tab.locator(".md-search-result__item").count() >= 1
    tab.keyboard.press("Escape")
    tip = tab.locator(".kt-term__tip").first
    if tip.count():  # glossary tooltip: shown on hover (CSS) and dismissed with Escape (klartext.js)
        tab.locator(".kt-term").first.hover()
        assert tip.is_visible()
        tab.keyboard.press("Escape")
        assert not tip.is_visible()
    tab.locator(".md-header .md-select button").hover()
    tab.locator('.md-select__link[hreflang="en"]').click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith("/en/massnahmen/lesepaten/")
    assert tab.locator("html").get_attribute("lang") == "en"
    context.close()
    assert refused == []


def test_injected_inline_script_and_handlers_are_blocked(served, browser) -> None:  # noqa: ANN001
    site, base = served
    context, tab, refused = _tab(browser, base)
    tab.goto(base + "/probe/", wait_until="load")
    tab.locator("#kt-probe").click()
    for _ in range(50):  # the console reports arrive asynchronously
        if len(refused) >= 3:
            break
        tab.wait_for_timeout(100)
    assert tab.evaluate("window.__injected") is None
    assert "no-js" not in tab.evaluate("document.documentElement.className")  # the page's own scripts ran
    context.close()
    assert len(refused) >= 3 and all("violates" in text for text in refused), refused


def test_header_policy_for_the_server_allows_every_page(minimal_site: Path) -> None:
    """csp-header.txt (README "Hosting"): the union of the pages' hashes plus frame-ancestors."""
    header = (minimal_site / "csp-header.txt").read_text(encoding="utf-8").strip()
    directives = {part.split()[0]: part.split()[1:] for part in header.split("; ")}
    assert directives["frame-ancestors"] == ["'self'"]
    pages = html_pages(minimal_site) + sorted(minimal_site.glob("**/404.html"))
    used = {source for page in pages for source in _policy(page)["script-src"]}
    assert set(directives["script-src"]) == used
    assert {name: value for name, value in directives.items() if name not in ("script-src", "frame-ancestors")} \
        == {name: value for name, value in _policy(pages[0]).items() if name != "script-src"}
