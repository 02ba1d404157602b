"""One search index per language variant, so results come only from the reader's language.

Each variant's build writes its own index as it ends (:func:`write_variant_index`) and hands Material
and the i18n plugin nothing to merge: memory stays with one variant's entries, and a variant built in
a process of its own (:mod:`klartext.plugin.variants`) writes its index like any other.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from klartext import literal, search_markup
from klartext.languages import Language
from klartext.search import index_config

SEARCH_BASE = re.compile(
    r'(<script id="__config" type="application/json">\{(?:[^<"]++|"(?!base": "))*+"base": ")([^"]*)"')
"""Material's ``__config``, up to the first ``"base": "`` before a ``<`` (as ``[^<]*?`` would find it, without
trying the rest at every character), and the base address."""
_CONFIG_KEYS = ("lang", "separator", "pipeline", "fields")
"""What Material's search plugin writes as the index's ``config`` (SearchIndex.generate_search_index)."""


def point_at_own_index(output: str, current: Language) -> str:
    """Make the search of a language variant's page load that variant's own index."""
    if current.default:
        return output
    match = next(literal.matches(SEARCH_BASE, '<script id="__config" ', output), None)
    if match is None:
        return output
    base = f'{match.group(1)}{match.group(2).rstrip("/")}/{current.code}/"'
    return output[:match.start()] + base + output[match.end():]


def _search_index(config: Any) -> Any:
    for name in ("search", "material/search"):
        plugin = config.plugins.get(name)
        if plugin is not None and getattr(plugin, "search_index", None) is not None:
            return plugin.search_index
    return None


def _known_material() -> bool:
    """The splitter restates the section rules of this Material version's search parser; another
    version keeps Material's own parser until someone has compared the two again."""
    try:
        from material import __version__
    except ImportError:
        return False
    return __version__ in search_markup.MATERIAL_VERSIONS


def index_generated_pages_cheaply(config: Any) -> None:
    """Let Material's search index divide our generated pages with :mod:`klartext.search_markup`.

    Material's ``SearchIndex.add_entry_from_context`` feeds every page to its ``Parser`` (an
    ``html.parser.HTMLParser``). A generated page (:class:`klartext.plugin.htmlpage.HtmlPage`) is divided
    into the same sections by :func:`klartext.search_markup.quick_sections` (a few passes of regular
    expressions over the page, for the shape our templates give it) or, for any other shape, by
    :func:`klartext.search_markup.sections` (a step per tag) instead; Material's own
    ``create_entry_for_section`` makes the entries (location with anchor, title, text). Hand-written
    pages, and generated pages with markup the splitter does not know, keep Material's parser."""
    index = _search_index(config)
    if index is None or getattr(index, "klartext_cheap", False) or not _known_material():
        return
    from klartext.plugin.htmlpage import HtmlPage

    original = index.add_entry_from_context

    def add_entry_from_context(page: Any) -> None:
        if not isinstance(page, HtmlPage):
            return original(page)
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return None
        found = search_markup.quick_sections(page.content)  # None: not the shape our templates make
        if found is None:
            try:
                found = search_markup.sections(page.content)
            except search_markup.Unknown:
                return original(page)
        for section in found:
            if not section.is_excluded():
                index.create_entry_for_section(section, page.toc, page.url, page)
        return None

    index.add_entry_from_context = add_entry_from_context
    index.klartext_cheap = True
    _strip_attributes_cheaply(config)


def _strip_attributes_cheaply(config: Any) -> None:
    """After indexing a page, Material's ``on_page_context`` removes the ``data-search-…`` attributes from
    its content with ``re.sub(r"\\s?data-search-…", …)``, a pattern the regular expression engine tries at
    every character of the page. Its event is replaced by the same steps with
    :func:`klartext.search_markup.without_search_attributes` (same result, the literal found with
    ``str.find``); other versions than :data:`klartext.search_markup.MATERIAL_VERSIONS` never get here."""
    from material.plugins.search.plugin import SearchPlugin

    plugins = config.plugins
    events = getattr(plugins, "events", {}).get("page_context", [])
    for position, method in enumerate(events):
        plugin = getattr(method, "__self__", None)
        if getattr(method, "__func__", None) is not SearchPlugin.on_page_context or plugin is None:
            continue

        def on_page_context(context: Any, *, page: Any, config: Any, nav: Any, plugin: Any = plugin) -> None:
            if not plugin.config.enabled:
                return
            plugin.search_index.add_entry_from_context(page)  # index it (our entries, see above)
            page.content = search_markup.without_search_attributes(page.content)

        events[position] = on_page_context
        origins = getattr(plugins, "_event_origins", None)
        if isinstance(origins, dict) and method in origins:  # the plugin's name in MkDocs' messages
            origins[on_page_context] = origins[method]


def variant_index(config: Any, current: Language) -> str | None:
    """The search index (JSON) of the variant just built, taken out of Material's search plugin.

    Material's entries are emptied: the i18n plugin would otherwise keep every variant's entries to
    the end and merge them into one index (which :func:`write_index` splits up again).
    Language support, pipeline and word separator: see :mod:`klartext.search`."""
    index = _search_index(config)
    if index is None:
        return None
    entries = index.entries
    docs = [{**doc, "location": doc["location"][len(current.prefix):]}
            if current.prefix and doc["location"].startswith(current.prefix) else doc for doc in entries]
    settings = index_config({key: index.config[key] for key in _CONFIG_KEYS}, current.tag)
    text = json.dumps({"config": settings, "docs": docs}, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    entries.clear()
    return text


def write_index(site: Path, current: Language, text: str, offline: bool) -> None:
    """Write a variant's index into its folder (and the offline plugin's script copy)."""
    target = site / current.prefix / "search" / "search_index.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    if offline:  # the offline plugin's copy that pages opened from the file system load
        target.with_suffix(".js").write_text(f"var __index = {text}", encoding="utf-8")
