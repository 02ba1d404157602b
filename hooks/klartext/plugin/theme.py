"""The engine's templates, styles, scripts and icons, served from the package (nothing to copy).

The package's ``theme/`` folder goes between the project's own ``custom_dir`` (which still overrides
anything) and Material's templates; MkDocs copies its static files (``assets/klartext/…``) into the
site like any theme file.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any

import jinja2

from klartext.render import BYTECODE_CACHE, THEME_DIR

ASSETS = "assets/klartext/"
STYLES = (ASSETS + "klartext.css", ASSETS + "klartext-controlling.css")
SCRIPTS = (ASSETS + "klartext.js",)
FAVICON = ASSETS + "favicon.svg"
_MATERIAL_FAVICON = "assets/images/favicon.png"


MATERIAL_OVERRIDES = {"9.8.1": THEME_DIR / "material-9.8.1"}
"""Templates that restate one Material version's partials more cheaply (same output), by that version:
the folder goes between ours and Material's only when that version is installed."""


def _material_version() -> str | None:
    try:
        from material import __version__
    except ImportError:
        return None
    return __version__


def install(config: Any) -> None:
    """Add the engine's template folder and assets to ``config`` (idempotent: runs per language)."""
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        theme_index = next((index for index, folder in enumerate(dirs)
                            if (Path(folder) / "mkdocs_theme.yml").is_file()), len(dirs))
        dirs.insert(theme_index, str(THEME_DIR))
        overrides = MATERIAL_OVERRIDES.get(_material_version() or "")
        if overrides is not None:
            dirs.insert(theme_index + 1, str(overrides))
    # the project's own styles come after ours, so they win
    config.extra_css[:0] = [style for style in STYLES if style not in config.extra_css]
    present = {str(script) for script in config.extra_javascript}
    config.extra_javascript[:0] = [script for script in SCRIPTS if script not in present]
    if config.theme.get("favicon") in (None, _MATERIAL_FAVICON):
        config.theme["favicon"] = FAVICON


def _theme_env(theme: Any) -> Any:
    """A new environment of MkDocs' theme that compiles into the shared bytecode cache."""
    env = type(theme).get_env(theme)
    env.bytecode_cache = BYTECODE_CACHE
    return env


def share_compiled_templates(config: Any) -> None:
    """Every environment ``config.theme.get_env()`` hands out (for the pages, and to other plugins:
    Material's search plugin renders its language partials in ``on_config``) loads compiled templates
    from :data:`klartext.render.BYTECODE_CACHE`, kept on disk between builds, instead of compiling them."""
    theme = config.theme
    if "get_env" not in vars(theme):  # share_theme_listing's environments come from _theme_env too
        theme.get_env = lambda: _theme_env(theme)


THEME_LISTING_MKDOCS = frozenset({"1.6.1"})
"""MkDocs versions whose ``Files.add_files_from_theme`` :func:`share_theme_listing` relies on: it lists the
theme's static files with ``env.list_templates(filter_func=...)`` on the environment of
``config.theme.get_env()``, once per build, with a filter that depends only on the configuration."""


def share_theme_listing(config: Any, listings: dict, first_variant: bool) -> None:
    """List the theme folders' files once per build run, not once per language variant.

    MkDocs makes a new theme environment for every build and ``Files.add_files_from_theme`` lists every
    file of the theme folders through it (Jinja's ``FileSystemLoader.list_templates`` walks Material's
    ``.icons``, some 10,000 SVG files, and the filter matches a dozen patterns against each name): about
    0.06 s CPU per variant, the same list each time. The environments handed out by ``config.theme.get_env``
    keep their listing in ``listings`` (the plugin's state of this run), keyed by the folders, the filter's
    code and the theme's static templates; ``first_variant`` (the first language of a build, or a rebuild
    of ``serve``) empties it, so a file added to a theme folder between two builds is found. Other MkDocs
    versions keep their own listing."""
    from mkdocs import __version__

    if __version__ not in THEME_LISTING_MKDOCS:
        return
    if first_variant:
        listings.clear()
    theme = config.theme
    if getattr(theme, "klartext_listing", None) is listings:
        return

    def get_env() -> Any:
        env = _theme_env(theme)
        list_templates = env.list_templates

        def cached(extensions: Any = None, filter_func: Any = None) -> list[str]:
            code = getattr(filter_func, "__code__", None)
            if code is None or extensions is not None:
                return list_templates(extensions, filter_func)
            # mkdocs-static-i18n 1.3.1 puts its sitemap folder in front of the theme's folders once more for
            # every variant: a folder listed twice lists the same names
            key = (tuple(dict.fromkeys(env.loader.searchpath)), code, frozenset(theme.static_templates))
            if key not in listings:
                if code is _mkdocs_theme_filter() and type(env.loader) is jinja2.FileSystemLoader:
                    listings[key] = [name for name in list_theme_files(env.loader) if filter_func(name)]
                else:
                    listings[key] = list_templates(extensions, filter_func)
            return list(listings[key])

        env.list_templates = cached
        return env

    theme.get_env = get_env
    theme.klartext_listing = listings


def _mkdocs_theme_filter() -> Any:
    """The code of the filter ``Files.add_files_from_theme`` (MkDocs 1.6.1) lists the theme's files with:
    it drops every name that starts with a dot or has a part that does (``.*``, ``*/.*``), and more."""
    from types import CodeType

    from mkdocs.structure.files import Files

    return next((constant for constant in Files.add_files_from_theme.__code__.co_consts
                 if isinstance(constant, CodeType) and constant.co_name == "filter"), None)


def list_theme_files(loader: jinja2.FileSystemLoader) -> list[str]:
    """What ``loader.list_templates()`` lists (Jinja 3.1), less the names below folders whose name starts
    with a dot, which MkDocs' filter drops anyway (14start): the walk skips Material's ``.icons``, some
    14,000 SVG files, which the filter matched name by name (about 0.05 s CPU of the serial start)."""
    found = set()
    for searchpath in loader.searchpath:
        for folder, subfolders, filenames in os.walk(searchpath, followlinks=loader.followlinks):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for filename in filenames:
                name = os.path.join(folder, filename)[len(searchpath):].strip(os.path.sep).replace(os.path.sep, "/")
                found.add(name[2:] if name[:2] == "./" else name)
    return sorted(found)


def remember_interface_texts(env: Any) -> None:
    """Give the overridden ``partials/language.html`` (:data:`MATERIAL_OVERRIDES`) a memory for the
    interface texts of Material's language tables: ``klartext_text_once(language, macro)`` is a lookup
    that asks Material's macro once per text and language and then answers from a dictionary. One
    memory per environment, i.e. per language variant's build (a rebuild of the preview starts empty)."""
    texts: dict[tuple[str, str], Any] = {}

    def text_once(language: str, macro: Any) -> Any:
        def t(key: str) -> Any:
            found = texts.get((language, key))
            if found is None:
                found = texts[(language, key)] = macro(key)
            return found
        return t

    env.globals["klartext_text_once"] = text_once


def share_navigation(env: Any) -> None:
    """Give the overridden ``partials/nav.html`` (:data:`MATERIAL_OVERRIDES`) its memory,
    ``klartext_nav_once(page, nav, base_url)``, used as a ``{% call %}`` around Material's navigation.

    A page that is not in the navigation (no entry is active, none is the page, so nothing in Material's
    ``nav.html`` and ``nav-item.html`` depends on the page but the URLs the ``url`` filter makes relative
    to it) gets the HTML rendered for an earlier such page in the same folder if the ``url`` filter
    gives the same result for every URL that HTML holds; otherwise, and for pages in the navigation,
    Material's template renders as usual. One memory per environment, i.e. per language variant."""
    original_url = env.filters["url"]
    recording: list[list[tuple[Any, str]]] = []  # the url calls of the navigation being rendered

    @jinja2.pass_context
    def url(context: Any, value: Any) -> str:
        made = original_url(context, value)
        if recording:
            recording[-1].append((value, made))
        return made

    env.filters["url"] = url
    in_navigation: dict[int, set[int]] = {}  # id(nav) -> ids of its pages
    rendered: dict[tuple[int, str], tuple[list[tuple[Any, str]], str]] = {}

    def render(caller: Any) -> tuple[list[tuple[Any, str]], str]:
        recording.append([])
        try:
            html = caller()
        finally:
            made = recording.pop()
        return made, html

    def nav_once(page: Any, nav: Any, base_url: str, *, caller: Any) -> str:
        if page is None or nav is None or getattr(page, "parent", None) is not None:
            return caller()
        pages = in_navigation.get(id(nav))
        if pages is None:
            pages = in_navigation[id(nav)] = {id(item) for item in nav.pages}
        if id(page) in pages:
            return caller()
        key = (id(nav), posixpath.dirname(page.url.rstrip("/")))
        known = rendered.get(key)
        if known is not None:
            context = {"page": page, "base_url": base_url}
            if all(original_url(context, value) == made for value, made in known[0]):
                return known[1]
        made, html = render(caller)
        rendered[key] = (made, html)
        return html

    env.globals["klartext_nav_once"] = nav_once


def share_page_shell(env: Any) -> None:
    """The memories of the language switcher (our ``partials/alternate.html``) and of the overridden
    Material partials (interface texts, navigation, search dialog) for ``env``, the theme environment of
    one language variant's build; the latter only where :data:`MATERIAL_OVERRIDES` applies."""
    env.globals["klartext_switcher"] = switcher_memory()
    if _material_version() in MATERIAL_OVERRIDES:
        remember_interface_texts(env)
        share_navigation(env)
        keep_page_independent_parts(env)


def keep_page_independent_parts(env: Any) -> None:
    """``klartext_shell_once(name)``, used as a ``{% call %}`` around a partial of
    :data:`MATERIAL_OVERRIDES` in which nothing depends on the page (the search dialog): the HTML of
    its first rendering in ``env``, i.e. once per language variant's build."""
    kept: dict[str, str] = {}

    def shell_once(name: str, *, caller: Any) -> str:
        html = kept.get(name)
        if html is None:
            html = kept[name] = caller()
        return html

    env.globals["klartext_shell_once"] = shell_once


class Switcher:
    """What ``partials/alternate.html`` shows of one page's language entries (``alternates``, the
    i18n plugin's ``config.extra.alternate`` of that page): the current language's name, its siblings
    (the other variants with the current language's tag, e.g. Leichte Sprache on German pages) and the
    ``hreflang``/``lang``/``dir`` attributes of the siblings and of every entry, escaped."""

    __slots__ = ("name", "siblings", "sibling_attrs", "attrs", "space")

    def __init__(self, name: str, siblings: list, sibling_attrs: list[str], attrs: list[str],
                 space: str) -> None:
        self.name, self.siblings, self.sibling_attrs, self.attrs = name, siblings, sibling_attrs, attrs
        self.space = space


def switcher_memory() -> Any:
    """``klartext_switcher(alternates, current, languages)`` for ``partials/alternate.html``: the
    :class:`Switcher` of a page, worked out once per language variant (the entries' codes and names
    are the same on every page, only their links differ) the way the template's Jinja did it before,
    with Jinja's rules for a missing key (``info.tag | d(alt.lang)``, Undefined == Undefined)."""
    from markupsafe import escape

    missing = object()
    known: dict[tuple, tuple[Any, str, list[int], list[str], list[str], str]] = {}

    def attrs_of(info: dict, code: Any) -> str:
        code = "" if code is missing else code  # an Undefined prints as nothing
        return (f'hreflang="{escape(info.get("hreflang", code))}" lang="{escape(info.get("tag", code))}"'
                f' dir="{escape(info.get("dir", "ltr"))}"')

    def switcher(alternates: Any, current: Any, languages: dict) -> Switcher:
        alternates = list(alternates or [])
        key = (current, tuple((alt.get("lang", missing), alt.get("name")) for alt in alternates))
        found = known.get(key)
        if found is None or found[0] is not languages:
            here = languages.get(current, {})
            name, siblings, space = "", [], []
            for index, alt in enumerate(alternates):
                code = alt.get("lang", missing)
                info = languages.get(code, {})
                tag, here_tag = info.get("tag", missing), here.get("tag", missing)
                space.append("\n  \n  ")
                if code == current:
                    name = alt.get("name", "")
                    space.append("\n    \n  ")
                elif here and (tag is missing and here_tag is missing
                               or tag is not missing and here_tag is not missing and tag == here_tag):
                    siblings.append(index)
                    space.append("\n    \n  ")
                space.append("\n")
            attrs = [attrs_of(languages.get(alt.get("lang", missing), {}), alt.get("lang", missing))
                     for alt in alternates]
            found = known[key] = (languages, name, siblings, [attrs[index] for index in siblings], attrs,
                                  "".join(space))
        _, name, siblings, sibling_attrs, attrs, space = found
        return Switcher(name, [alternates[index] for index in siblings], sibling_attrs, attrs, space)

    return switcher
