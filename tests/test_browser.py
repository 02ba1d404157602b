"""The built site in a real browser (Debian's Chromium via Playwright), every page of every language:
axe-core finds no WCAG 2.1 A/AA violation, no request goes to another host, no cookie is set,
Arabic is right to left, and German fallback passages carry their own ``lang``/``dir``."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from browsing import Recorder, SitePage, Visit, one_per_kind, serve, site_pages, variants
from helpers import MINIMAL

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
"""Rules re-run in every further colour scheme the theme offers (e.g. Material's dark "slate")."""
EXCLUDED: dict[tuple[str, str], str] = {}
"""Narrow exclusions (axe rule, CSS selector of the node) -> why the finding cannot be fixed here."""
MATERIAL_STORAGE = re.compile(r"^(/.*)?(__palette|__consent|__search|__tabs|__announce|__expand|__gclid)$")
"""Keys Material for MkDocs may keep in local/session storage (palette and consent choices, search)."""


def _axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    directions: dict[str, list[str]] = field(default_factory=dict)
    cookies: list[dict] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    schemes: set[str] = field(default_factory=set)
    seconds: float = 0.0


def _crawl(browser: Any, base: str, site: Path, pages: list[SitePage], axe: bool = True) -> Crawl:
    started = time.monotonic()
    crawl = Crawl()
    context = browser.new_context()
    context.add_init_script(_axe_script())
    recorder = Recorder(context, base, site)
    tab = context.new_page()
    for page in pages:
        def checks(page: SitePage = page) -> None:
            crawl.directions[page.path] = tab.evaluate(
                "() => [document.documentElement.getAttribute('dir'), getComputedStyle(document.body).direction,"
                " getComputedStyle(document.querySelector('.md-content') || document.body).direction]")
            if axe:
                crawl.violations.extend(_axe(tab, page, crawl.schemes))
        crawl.visits.append(recorder.visit(tab, page, meanwhile=checks))
    tab.wait_for_timeout(500)  # late requests of the last page
    crawl.cookies = context.cookies()
    context.close()
    crawl.requests = recorder.all_requests
    crawl.seconds = time.monotonic() - started
    return crawl


def _axe(tab: Any, page: SitePage, schemes_seen: set[str]) -> list[str]:
    found = _run_axe(tab, {"runOnly": {"type": "tag", "values": AXE_TAGS}})
    schemes = tab.evaluate("() => [...new Set([...document.querySelectorAll('[data-md-color-scheme]')]"
                           ".map(e => e.getAttribute('data-md-color-scheme')))]")
    schemes_seen.update(schemes)
    current = tab.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    for scheme in schemes:
        if scheme != current:
            tab.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
            found += [(f"{scheme}: {rule}", nodes) for rule, nodes in
                      _run_axe(tab, {"runOnly": {"type": "rule", "values": COLOUR_RULES}})]
    return [f"{page.url} {rule}: {node}" for rule, nodes in found for node in nodes]


def _run_axe(tab: Any, options: dict) -> list[tuple[str, list[str]]]:
    results = tab.evaluate("options => axe.run(document, options)", {**options, "resultTypes": ["violations"]})
    found = []
    for violation in results["violations"]:
        nodes = [f"{' '.join(map(str, node['target']))} – {node['failureSummary'].splitlines()[-1].strip()}"
                 f" ({violation['help']})" for node in violation["nodes"]
                 if (violation["id"], " ".join(map(str, node["target"]))) not in EXCLUDED]
        if nodes:
            found.append((violation["id"], nodes))
    return found


def pages_to_check(site: Path) -> list[SitePage]:
    """Every page of the default language (each measure and field has its own content) and the first
    page of each kind in every other variant (same templates, translated text); every page of every
    variant with KLARTEXT_CHECK_ALL_PAGES=1 (about 3 times as long)."""
    pages = site_pages(site)
    if os.environ.get("KLARTEXT_CHECK_ALL_PAGES") == "1":
        return pages
    return [page for page in pages if page.variant == ""] + [
        page for page in one_per_kind(pages) if page.variant != ""]


@pytest.fixture(scope="module")
def crawl(browser: Any, site: Path, site_url: str) -> Crawl:
    """The pages of the example site, each loaded once, with axe-core run on it."""
    result = _crawl(browser, site_url, site, pages_to_check(site))
    print(f"\nbrowser checks: {len(result.visits)} pages in {result.seconds:.1f} s")
    return result


def test_every_page_kind_of_every_language_is_checked(crawl: Crawl, site: Path) -> None:
    checked = {(visit.page.variant, visit.page.kind) for visit in crawl.visits}
    expected = {"start", "handlungsfelder/*", "massnahmen", "massnahmen/*", "beteiligung", "akteure",
                "glossar", "kontakt", "uebersetzungen", "ueber"}
    for variant in variants(site):
        assert expected <= {kind for folder, kind in checked if folder == variant}, variant
    assert len(variants(site)) == 7
    assert checked == {(page.variant, page.kind) for page in site_pages(site)}
    german = [visit.page.path for visit in crawl.visits if visit.page.variant == ""]
    assert len(german) == len([page for page in site_pages(site) if page.variant == ""]) > 40


def test_axe_finds_no_wcag_2_1_aa_violation(crawl: Crawl) -> None:
    assert crawl.violations == [], "\n".join(crawl.violations)


def test_no_request_goes_to_another_host(crawl: Crawl, site_url: str) -> None:
    foreign = sorted({f"{kind} {url}" for kind, url in crawl.requests if not url.startswith(site_url + "/")})
    assert foreign == [], "\n".join(foreign)
    kinds = {kind for kind, _ in crawl.requests}
    assert {"document", "stylesheet", "script", "image", "xhr"} <= kinds  # the recording itself works


def test_every_local_request_succeeds(crawl: Crawl) -> None:
    failed = sorted({f"{visit.page.url}: {url} ({reason})" for visit in crawl.visits
                     for url, reason in visit.failed})
    assert failed == [], "\n".join(failed[:40])


def test_no_cookies_and_only_material_storage(crawl: Crawl) -> None:
    assert crawl.cookies == []
    assert {visit.storage["cookie"]["value"] for visit in crawl.visits} == {""}
    keys = {key for visit in crawl.visits for area in ("local", "session") for key in visit.storage[area]}
    assert [key for key in keys if not MATERIAL_STORAGE.match(key)] == []


def test_arabic_is_right_to_left_in_the_browser(crawl: Crawl, site: Path) -> None:
    languages = variants(site)
    for visit in crawl.visits:
        _, direction = languages[visit.page.variant]
        attribute, *computed = crawl.directions[visit.page.path]
        assert computed == [direction] * 2, visit.page.path
        assert attribute == direction or (attribute is None and direction == "ltr"), visit.page.path
    assert {lang for lang, direction in languages.values() if direction == "rtl"} == {"ar"}


# ---------------------------------------------------------------------------------------------
# fallback passages: a project with missing translations


_FIND_FALLBACKS = """texts => {
  const wanted = new Set(texts), found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (!wanted.has(text) || node.parentElement.closest("script, style, template")) continue;
    const element = node.parentElement;
    const labelled = element.closest("[lang]");
    found.push({text, lang: labelled && labelled.getAttribute("lang"),
                direction: getComputedStyle(element).direction,
                where: element.tagName.toLowerCase() + (element.className ? "." + element.className : "")});
  }
  return found;
}"""


def _missing_texts(project: Path, code: str) -> set[str]:
    """Paragraphs of German texts without a translation into ``code`` (shown as fallback)."""
    from klartext.translations import entries
    from klartext.validation import load_concept

    data, _ = load_concept(project / "data", [code], project)
    return {" ".join(line.split()) for entry in entries(data) if entry.text.state(code) == "missing"
            for line in entry.text.de.split("\n") if line.strip()}


def test_fallback_passages_carry_their_own_lang_and_dir(browser: Any, minimal_site: Path) -> None:
    languages = variants(minimal_site)
    context = browser.new_context()
    context.add_init_script(_axe_script())
    tab = context.new_page()
    problems, checked, violations = [], {}, []
    with serve(minimal_site) as base:
        recorder = Recorder(context, base, minimal_site)
        for page in site_pages(minimal_site):
            lang, direction = languages[page.variant]
            if lang == "de" or page.kind == "404":
                continue  # German and Leichte Sprache pages: German is their language
            missing = _missing_texts(MINIMAL, page.variant)
            recorder.visit(tab, page)
            for passage in tab.evaluate(_FIND_FALLBACKS, sorted(missing)):
                checked.setdefault(page.variant, set()).add(passage["text"])
                if passage["lang"] != "de" or passage["direction"] != "ltr":
                    problems.append(f"{page.url} {passage['where']}: {passage['text']!r} "
                                    f"lang={passage['lang']} direction={passage['direction']}")
            if page.variant in ("ar", "en"):  # the fallback boxes' colours, right to left and left to right
                violations += _axe(tab, page, set())
    context.close()
    assert problems == [], "\n".join(problems)
    assert violations == [], "\n".join(violations)
    for variant, (lang, _) in languages.items():
        if lang != "de":  # nearly every missing text is shown (and was checked) in the variant; some,
            missing = _missing_texts(MINIMAL, variant)  # such as the city's name, never stand alone
            assert len(checked.get(variant, ())) >= 0.8 * len(missing), (variant, missing - checked[variant])
    assert {"Integrationskonzept Musterstadt", "Lesepatenschaften", "Verein"} <= checked["ar"]


def test_the_checks_can_fail(browser: Any, tmp_path: Path) -> None:
    """A page with a low-contrast text, a foreign image and a cookie is caught by the same code."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="de"><title>t</title><body><main><p style="color:#bbb">blass</p>'
        '<img src="http://example.org/bild.png" alt="Bild"></main>'
        '<script>document.cookie = "id=1"</script></body></html>', encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(_axe_script())
    tab = context.new_page()
    with serve(tmp_path) as base:
        recorder = Recorder(context, base, tmp_path)
        visit = recorder.visit(tab, SitePage("index.html", "", "start"))
        violations = _axe(tab, visit.page, set())
    context.close()
    assert ("image", "http://example.org/bild.png") in recorder.all_requests
    assert visit.storage["cookie"]["value"] == "id=1"
    assert any("color-contrast" in violation for violation in violations), violations
