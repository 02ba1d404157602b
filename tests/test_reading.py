"""What a reader meets in every language variant, in a real browser (Debian's Chromium via Playwright):
the search finds words of the variant's own script, only in that variant, with and without the Leichte
Sprache middle dot, and shows page text (not tooltip text) in its result list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from browsing import variants

SCRIPTS = {"ar": r"[\u0600-\u06ff]+", "ru": r"[\u0400-\u04ff]+", "uk": r"[\u0400-\u04ff’']+"}
"""Letters of a variant's own script; Latin for the others."""
LATIN = r"[A-Za-zÄÖÜäöüßÇĞİÖŞÜçğıöşü]+"
FIELD = "handlungsfelder/sprache/"
"""A page every variant has; its heading is a word of the variant's own script."""


def _url(site_url: str, variant: str, path: str = "") -> str:
    return f"{site_url}/{variant + '/' if variant else ''}{path}"


def search(tab: Any, query: str) -> list[dict[str, str]]:
    """Type ``query`` into the search field as a reader's keyboard does (characters outside the US
    layout arrive as text input, without key events) and return the result list."""
    tab.locator("input[data-md-component=search-query]").click()
    tab.keyboard.press("Control+A")
    tab.keyboard.press("Backspace")
    try:  # the results of an earlier query go first
        tab.wait_for_function(
            "() => document.querySelector('.md-search-result__list').children.length === 0", timeout=5000)
    except Exception:  # noqa: BLE001
        pass
    tab.keyboard.type(query)
    try:
        tab.wait_for_function(
            "() => document.querySelector('.md-search-result__list').children.length > 0", timeout=20000)
    except Exception:  # noqa: BLE001 (no result: the list stays empty; the search index of a big
        pass           # variant may take seconds to set up on a busy machine, hence the long wait)
    # The list first shows the results of the first letters typed: wait until it has settled on the
    # whole query (the same list twice, a second apart), or the test reads a partial query's results.
    read = """() => [...document.querySelectorAll('.md-search-result__item')].map(item => ({
        href: item.querySelector('a').href, text: item.innerText.replace(/\\s+/g, ' ')}))"""
    found = tab.evaluate(read)
    for _ in range(20):
        tab.wait_for_timeout(1000)
        again = tab.evaluate(read)
        if again == found:
            break
        found = again
    return found


def _open(tab: Any, url: str) -> None:
    tab.goto(url, wait_until="load")
    tab.wait_for_function("() => document.querySelector('[data-md-component=search-query]') !== null")


def own_word(tab: Any, variant: str) -> str:
    """The longest word of the variant's own script in the field page's heading."""
    heading = tab.inner_text("article h1")
    words = re.findall(SCRIPTS.get(variant, LATIN), heading)
    assert words, (variant, heading)
    return max(words, key=len)


@pytest.mark.parametrize("width", [390, 1280])
def test_search_finds_a_word_of_the_variants_own_script(browser: Any, site: Path, site_url: str,
                                                        width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    problems = []
    for variant in variants(site):
        page = _url(site_url, variant, FIELD)
        _open(tab, page)
        word = own_word(tab, variant)
        if width == 390:
            tab.locator("label.md-header__button[for=__search]").click()
        results = search(tab, word)
        found = [result["href"].split("?")[0].split("#")[0] for result in results]
        if page not in found:
            problems.append(f"{variant}: {word!r} does not find {page} ({len(found)} results)")
        others = [href for href in found if not href.startswith(_url(site_url, variant))
                  or any(href.startswith(_url(site_url, other)) for other in variants(site)
                         if other and other != variant)]
        if others:
            problems.append(f"{variant}: {word!r} finds pages of other variants: {others[:3]}")
    context.close()
    assert problems == [], "\n".join(problems)


def test_search_finds_inflected_forms(browser: Any, site_url: str) -> None:
    """Where lunr.js has a stemmer, another form of a word finds the page (the heading's word in the
    singular, typed in the plural or another case)."""
    tab = browser.new_page()
    problems = []
    for variant, typed in {"": "Sprachen", "en": "languages", "ru": "языками", "tr": "dilleri"}.items():
        page = _url(site_url, variant, FIELD)
        _open(tab, page)
        found = [result["href"].split("?")[0].split("#")[0] for result in search(tab, typed)]
        if page not in found:
            problems.append(f"{variant or 'de'}: {typed!r} does not find {page}")
    tab.close()
    assert problems == [], "\n".join(problems)


def test_search_ignores_the_leichte_sprache_middle_dot(browser: Any, site: Path, site_url: str) -> None:
    tab = browser.new_page()
    _open(tab, _url(site_url, "ls", "handlungsfelder/verwaltung/"))
    text = tab.inner_text("article")
    words = [word for word in re.findall(r"\w+(?:·\w+)+", text) if word.replace("·", "") not in text]
    assert words, "no word with a middle dot that the page shows only with the dot"
    dotted = max(words, key=words.count)
    results = {typed: search(tab, typed) for typed in (dotted, dotted.replace("·", ""))}
    tab.close()
    with_dot, without_dot = results.values()
    assert with_dot, (dotted, "finds nothing")
    # the same pages either way, and they show the word as written on the page (with the dot)
    assert [result["href"] for result in without_dot] == [result["href"] for result in with_dot], results
    assert dotted in with_dot[0]["text"], with_dot[0]


def test_search_results_show_page_text_not_tooltip_text(browser: Any, site_url: str) -> None:
    """A glossary term in running text has its definition in a tooltip: searching the term shows the
    sentence around it, never the definition (except on the glossary page, where it is page text)."""
    tab = browser.new_page()
    glossary = _url(site_url, "", "glossar/")
    _open(tab, glossary)
    terms = tab.evaluate("""() => [...document.querySelectorAll('dt[id^=begriff-]')].map(dt => {
        let dd = dt.nextElementSibling; while (dd && dd.tagName !== 'DD') dd = dd.nextElementSibling;
        return {term: dt.innerText.trim(), definition: dd ? dd.innerText.trim() : ''};
    })""")
    assert terms, "no term in the glossary"
    elsewhere = 0
    for entry in terms:
        if " " in entry["term"]:
            continue
        for result in search(tab, entry["term"]):
            if result["href"].startswith(glossary):
                continue
            elsewhere += 1
            # the tooltip follows the term in the page's markup; the actors page, e.g., names the
            # office in full as page text, which is fine
            tooltip = re.escape(entry["term"]) + r"\s*" + re.escape(entry["definition"][:25])
            assert not re.search(tooltip, result["text"]), (entry, result)
    assert elsewhere >= 3, "too few results outside the glossary to tell"
    tab.close()


# ---------------------------------------------------------------------------------------------
# words are never broken inside


BROKEN_WORDS = """() => {
  const broken = [], root = document.querySelector('article') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (element.closest('script, style, svg, .kt-term__tip, .md-search, [hidden]')) continue;
    if (!element.getClientRects().length) continue;
    const link = element.closest('a[href]');
    if (link && /^(https?:|mailto:)/.test(link.getAttribute('href')) && /[@\\/.]/.test(node.data)) continue;
    for (const match of node.data.matchAll(/[\\p{L}\\p{M}\\p{N}]+/gu)) {
      if (match[0].length < 2) continue;
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top / 4)));
      if (tops.size > 1) broken.push(match[0] + ' in <' + element.tagName.toLowerCase() + '>');
    }
  }
  return broken;
}"""
"""Words (letters, marks and digits between spaces and punctuation) whose letters lie on more than one
line: broken inside (URLs and e-mail addresses in links may break)."""
WORD_PAGES = ["", "dashboard/", "massnahmen/", "handlungsfelder/bildung/", "akteure/", "kontakt/", "fortschritt/"]


@pytest.mark.parametrize("width", [390, 1280])
def test_no_word_is_broken_inside(browser: Any, site: Path, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    problems, checked = [], 0
    for variant in ("", "ar"):
        for path in WORD_PAGES:
            if not (site / variant / path / "index.html").is_file():
                continue
            tab.goto(_url(site_url, variant, path), wait_until="load")
            broken = tab.evaluate(BROKEN_WORDS)
            checked += 1
            problems += [f"{variant or 'de'}/{path} at {width} px: {word}" for word in broken[:5]]
    context.close()
    assert checked >= 8
    assert problems == [], "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# passages in another language: lang and bidi isolation


UNMARKED_LATIN = """page => {
  const found = [], latin = /[A-Za-z\\u00c0-\\u024f]+(?:[^\\S\\n]*[A-Za-z\\u00c0-\\u024f0-9@.\\-]+)*/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (element.closest('script, style, svg, template, noscript')) continue;
    for (const match of node.data.matchAll(latin)) {
      const labelled = element.closest('[lang]');
      const lang = labelled ? labelled.getAttribute('lang').split('-')[0] : '';
      const isolated = element.closest('bdi, body [dir]');
      if (lang === page || (page === 'ar' && !isolated))
        found.push(match[0] + ' in <' + element.tagName.toLowerCase() + '> lang=' + lang
                   + (isolated ? '' : ', not isolated'));
    }
  }
  return found;
}"""
"""Latin-script text on a page in another script whose nearest ``lang`` is the page's own, or (on
right-to-left pages) that no ``<bdi>`` or element with ``dir`` isolates."""
MARK_PAGES = ["", "handlungsfelder/bildung/", "massnahmen/", "massnahmen/foerdermittel-sprachkurse/", "akteure/",
              "kontakt/", "fortschritt/", "glossar/", "beteiligung/"]


def test_latin_passages_on_non_latin_pages_carry_lang_and_are_isolated(browser: Any, site: Path,
                                                                        site_url: str) -> None:
    tab = browser.new_page()
    problems, checked = [], 0
    for variant, (lang, _) in variants(site).items():
        if lang not in ("ar", "ru", "uk"):
            continue
        for path in MARK_PAGES:
            if not (site / variant / path / "index.html").is_file():
                continue
            tab.goto(_url(site_url, variant, path), wait_until="load")
            checked += 1
            problems += [f"{variant}/{path}: {text}" for text in tab.evaluate(UNMARKED_LATIN, lang)[:5]]
    tab.close()
    assert checked >= 20
    assert problems == [], "\n".join(problems[:60])


# ---------------------------------------------------------------------------------------------
# language access


@pytest.mark.parametrize("width", [390, 1280])
def test_header_names_the_language_and_the_whole_list_is_visible(browser: Any, site: Path, site_url: str,
                                                                  width: int) -> None:
    """The header shows the current language's name; opened, the menu shows every language inside
    the screen without scrolling; German pages link Leichte Sprache visibly in or right under the
    header."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    tab = context.new_page()
    languages = variants(site)
    names = {}
    for variant in languages:
        tab.goto(_url(site_url, variant, FIELD), wait_until="load")
        button = tab.locator(".md-header .md-select button")
        names[variant] = button.inner_text().strip()
        assert button.is_visible()
        button.focus()
        tab.wait_for_timeout(400)  # Material's opening transition
        links = tab.evaluate("""() => [...document.querySelectorAll('.md-header .md-select__link')].map(a => {
            const box = a.getBoundingClientRect(), list = a.closest('.md-select__list');
            const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return {text: a.innerText.trim(), left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                    on_top: !!hit && a.contains(hit), scrolls: list.scrollHeight > list.clientHeight + 1};
        })""")
        assert len(links) == len(languages)
        for link in links:
            assert link["left"] >= 0 and link["right"] <= width and link["bottom"] <= 844, (variant, link)
            assert link["on_top"] and not link["scrolls"], (variant, link)
        current = tab.locator(".md-header .md-select__link[aria-current]").inner_text().strip()
        assert current and current in names[variant], (variant, names[variant], current)
        if languages[variant][0] == "de" and variant == "":
            easy = tab.locator(".kt-easy-link:visible")
            assert easy.count() == 1, "no visible Leichte Sprache link"
            box = easy.bounding_box()
            assert box["y"] + box["height"] <= 110, box  # in the header (48 px) or right under it
            assert easy.get_attribute("href").rstrip("/").endswith("ls/" + FIELD.rstrip("/"))
    context.close()
    assert len(set(names.values())) == len(languages), names


QUOTED_NAMES = """names => {
  const wanted = new Set(names), found = [];
  const walker = document.createTreeWalker(document.querySelector('article') || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data.replace(/\\s+/g, ' ');
    const labelled = node.parentElement.closest('[lang]');
    const lang = labelled ? labelled.getAttribute('lang') : '';
    if (wanted.has(text.trim())) {  // a text of its own: is it quoted in brackets?
      const around = node.parentElement.closest('p, li, td, dd, dt, h1, h2, h3, figcaption') || node.parentElement;
      if (around.textContent.replace(/\\s+/g, ' ').includes('(' + text.trim() + ')'))
        found.push({text: text.trim(), lang});
      continue;
    }
    for (const name of names)  // quoted inside a longer text: not marked
      if (text.includes('(' + name + ')')) found.push({text: name, lang});
  }
  return found;
}"""


def test_german_names_in_latin_script_translations_carry_lang(browser: Any, site: Path, site_url: str) -> None:
    """English and Turkish texts keep German names of organisations in brackets after their own:
    those carry lang="de" (where the name stands alone it is the name, not a passage in German)."""
    from helpers import ROOT
    from klartext.translations import entries
    from klartext.validation import load_concept

    data, _ = load_concept(ROOT / "data", ["en"], ROOT)
    names = sorted({" ".join(entry.text.de.split()) for entry in entries(data)
                    if entry.text.de and "\\n" not in entry.text.de.strip() and len(entry.text.de) <= 100})
    tab = browser.new_page()
    problems, checked = [], 0
    for variant in ("en", "tr"):
        for path in MARK_PAGES:
            tab.goto(_url(site_url, variant, path), wait_until="load")
            for passage in tab.evaluate(QUOTED_NAMES, names):
                checked += 1
                if passage["lang"] != "de":
                    problems.append(f"{variant}/{path}: {passage['text']!r} lang={passage['lang']}")
    tab.close()
    assert checked >= 5, "too few German names found to tell"
    assert problems == [], "\n".join(problems[:40])


# ---------------------------------------------------------------------------------------------
# the Arabic PDF


def test_arabic_pdf_chart_reads_right_to_left(minimal_site: Path) -> None:
    """In each line of the Arabic PDF that names a baseline ("القيمة الأساسية 2023"), in the chart and in
    its table, the label stands at the right and the number at the left (WeasyPrint laid the chart's
    grid out left to right before). The minimal project's indicator has a baseline."""
    site = minimal_site
    import html as html_module
    import subprocess

    bbox = subprocess.run(["pdftotext", "-bbox", str(site / "ar" / "integrationskonzept.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines: dict[tuple[int, int], list[tuple[float, str]]] = {}
    page = 0
    for line in bbox.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', line)
        if match:  # words of one line: same middle (Arabic and digits differ in height)
            middle = (float(match.group(2)) + float(match.group(3))) / 2
            words = lines.setdefault((page, round(middle / 5)), [])
            words.append((float(match.group(1)), html_module.unescape(match.group(4))))
    # pdftotext writes Arabic words in visual order (letters reversed)
    labelled = [sorted(words) for words in lines.values()
                if any(word in ("الأساسية", "ةيساسلأا") for _, word in words)]
    assert len(labelled) >= 2
    for words in labelled:
        assert re.search(r"[\u0600-\u06ff]", words[-1][1]), [word for _, word in words]


def test_directional_icons_point_the_other_way_in_arabic(browser: Any, site_url: str) -> None:
    """The "next step" arrow (a state icon of the data) points along the reading direction."""
    tab = browser.new_page()
    found = {}
    for variant in ("", "ar"):
        tab.goto(_url(site_url, variant), wait_until="load")
        found[variant] = tab.evaluate("""() => [...document.querySelectorAll('.kt-state svg')]
            .filter(svg => svg.classList.contains('kt-flip')).map(svg => getComputedStyle(svg).transform)""")
    tab.close()
    assert found[""] and found["ar"], "no directional icon on the start pages"
    assert set(found[""]) == {"none"}
    assert set(found["ar"]) == {"matrix(-1, 0, 0, 1, 0, 0)"}
