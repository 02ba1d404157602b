"""The engine's templates, styles, scripts and icons, served from the package (nothing to copy).

The package's ``theme/`` folder goes between the project's own ``custom_dir`` (which still overrides
anything) and Material's templates; MkDocs copies its static files (``assets/klartext/…``) into the
site like any theme file.
"""

from __future__ import annotations

import itertools
import os
import posixpath
import re
from pathlib import Path
from typing import Any

import jinja2

from klartext import jinja_code
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
    """A new environment of MkDocs' theme that compiles into the shared bytecode cache, with the
    shorter code of :mod:`klartext.jinja_code`, keeping its templates in a plain dictionary: a theme
    has a few hundred templates at most, and Jinja's least-recently-used cache reorders a queue on
    each of the tens of thousands of ``{% include %}`` of a build."""
    env = type(theme).get_env(theme)
    env.bytecode_cache = BYTECODE_CACHE
    jinja_code.install(env)
    if isinstance(env.cache, jinja2.utils.LRUCache) and not len(env.cache):
        env.cache = {}  # what Jinja itself keeps with cache_size=-1
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
                name = os.path.join(folder, filename)[len(searchpath):].strip(os.path.sep)
                name = name.replace(os.path.sep, "/")
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


URL_RULES_MKDOCS = frozenset({"1.6.1"})
"""MkDocs versions whose ``url`` filter :class:`_Recorder` reasons about (``normalize_url`` and
``get_relative_url``): a URL relative to a page depends on the page only through the parts of its
folder (the page's URL without a file name)."""


def _common(first: list[str], second: list[str]) -> int:
    common = 0
    for one, other in zip(first, second):
        if one != other:
            break
        common += 1
    return common


class _Made:
    """What the filters made in a part rendered for one page: ``calls`` (filter, value, result) and,
    where MkDocs' rules are known (:data:`URL_RULES_MKDOCS`), the parts of that page's folder and the
    ``reach`` of the values in it: on another page whose folder has as many parts and agrees with this
    one's in more than ``reach`` leading parts, every call gives the same result (see
    :meth:`_Recorder.same`)."""

    __slots__ = ("calls", "parts", "reach")

    def __init__(self, calls: list[tuple[str, Any, str]]) -> None:
        self.calls = calls
        self.parts: list[str] | None = None
        self.reach = 0


class _Recorder:
    """What the page-dependent filters (``url``, ``script_tag``: their results depend on the page's URL
    and ``base_url``) made, and which templates were asked for, while a shared part of the page shell
    renders (:func:`share_navigation`, :func:`keep_shell_parts`). One per environment."""

    FILTERS = ("url", "script_tag")

    def __init__(self, env: Any) -> None:
        self.frames: list[tuple[list[tuple[str, Any, str]], set[str]]] = []
        self.marks: list[dict[str, str]] = []
        """What the ``url`` filter answers for the links of a part being rendered with holes."""
        self.originals: dict[str, Any] = {}
        frames = self.frames
        self.complete = True
        """Whether every page-dependent filter is recorded (else no part may be shared)."""
        for name in self.FILTERS:
            original = env.filters.get(name)
            if original is None:  # not there: no template calls it
                continue
            if jinja2.utils._PassArg.from_obj(original) is not jinja2.utils._PassArg.context:
                self.complete = False  # it does not take the page from the context: nothing is shared
                continue
            self.originals[name] = original
            env.filters[name] = self._recording(name, original)
        get_template = env.get_template

        def recording_get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
            for _, names in frames:
                names.add(name if isinstance(name, str) else getattr(name, "name", None) or "")
            return get_template(name, parent, globals)

        select_template = env.select_template

        def recording_select_template(names: Any, parent: Any = None, globals: Any = None) -> Any:
            for _, found in frames:  # every name of the list: any of them may be the one loaded
                found.update(name if isinstance(name, str) else getattr(name, "name", None) or ""
                             for name in names)
            return select_template(names, parent, globals)

        env.get_template = recording_get_template
        env.select_template = recording_select_template
        self.get_template = get_template
        self.origins: dict[str, bool] = {}
        self.rules = self._mkdocs_rules()
        self._folder: tuple[str, list[str]] = ("\0", [])

    def _mkdocs_rules(self) -> bool:
        """Whether the filters are MkDocs' own of a version :meth:`same` reasons about."""
        from mkdocs import __version__
        from mkdocs.utils.templates import script_tag_filter, url_filter

        return (__version__ in URL_RULES_MKDOCS and self.originals.get("url") is url_filter
                and self.originals.get("script_tag", script_tag_filter) is script_tag_filter)

    def folder(self, url: str) -> list[str]:
        """The parts of a page's folder as MkDocs' ``get_relative_url`` takes them from ``url``."""
        if self._folder[0] != url:
            from mkdocs.utils import _norm_parts

            folder, _, name = url.rpartition("/")
            self._folder = (url, _norm_parts(folder if "." in name else url))
        return self._folder[1]

    def same_folder(self, made: _Made, page: Any) -> bool:
        """Whether every call in ``made`` gives the same result on ``page`` by MkDocs' rules, without
        making them (:meth:`same`); False where that cannot be told so."""
        if made.parts is None or page is None:
            return False
        folder = self.folder(page.url)
        return len(folder) == len(made.parts) and _common(folder, made.parts) > made.reach

    def ours(self, name: str) -> bool:
        """Whether the template ``name`` is the engine's or Material's (:func:`_engine_or_material`)."""
        found = self.origins.get(name)
        if found is None:
            try:
                found = _engine_or_material(self.get_template(name).filename)
            except jinja2.TemplateError:
                found = False
            self.origins[name] = found
        return found

    def _recording(self, name: str, original: Any) -> Any:
        frames = self.frames

        marks = self.marks

        @jinja2.pass_context
        def recording(context: Any, value: Any) -> Any:
            if marks and name == "url" and type(value) is str and value in marks[-1]:
                return marks[-1][value]  # a hole of klartext_links_part, filled per page
            made = original(context, value)
            for urls, _ in frames:
                urls.append((name, value, made))
            return made

        return recording

    def render(self, caller: Any, page: Any) -> tuple[_Made, set[str], str]:
        """``caller()`` with what the filters made in it (on ``page``) and the names of the templates
        it asked for."""
        frame: tuple[list[tuple[str, Any, str]], set[str]] = ([], set())
        self.frames.append(frame)
        try:
            html = caller()
        finally:
            self.frames.pop()
        made = _Made(frame[0])
        if self.rules and page is not None:
            from mkdocs.utils import _get_norm_url, _norm_parts

            made.parts = parts = list(self.folder(page.url))
            reach = -1
            for _, value, _ in made.calls:
                path, level = _get_norm_url(str(value))
                if level == -1:  # a full URL, or one from the site's root: the same on every page
                    continue
                target = _norm_parts(path)
                common = _common(parts, target)
                # the result depends on the page only through len(parts) and the common leading parts
                reach = max(reach, common if common < len(target) else common - 1)
            made.reach = reach
        return made, frame[1], html

    def same(self, made: _Made, page: Any, base_url: Any) -> bool:
        """Whether every filter call in ``made`` gives the same result on ``page`` (with ``base_url``).

        With MkDocs' rules (:data:`URL_RULES_MKDOCS`) a URL relative to a page is ``../`` once for each
        part of the page's folder after those it has in common with the target, then the target's other
        parts. On a page whose folder has as many parts as the first page's and agrees with it in more
        leading parts than any target agreed with the first page's (a target agreeing in all its parts
        counts one less: it agrees with the other folder as far), every target has the same parts in
        common with both folders: the same results, without computing them. Otherwise (and without
        those rules) each call is made again and compared."""
        if self.same_folder(made, page):
            return True
        context = {"page": page, "base_url": base_url}
        originals = self.originals
        return all(originals[name](context, value) == result for name, value, result in made.calls)

    def reuse(self, kept: dict, key: Any, caller: Any, page: Any, base_url: Any) -> str:
        """The part ``caller`` renders, from ``kept`` under ``key`` where it was rendered for an earlier page
        and :meth:`same` holds on ``page``; else rendered and kept anew, or marked (None) to render on every
        page when it asked for a template of the project's own (neither the engine's nor Material's)."""
        known = kept.get(key, False)
        if known is None:
            return caller()
        if known and self.same(known[0], page, base_url):
            return known[1]
        made, names, html = self.render(caller, page)
        kept[key] = (made, html) if all(self.ours(name) for name in names) else None
        return html


def _recorder(env: Any) -> _Recorder:
    recorder = getattr(env, "klartext_recorder", None)
    if recorder is None:
        recorder = env.klartext_recorder = _Recorder(env)
    return recorder


def share_navigation(env: Any) -> None:
    """Give the overridden ``partials/nav.html`` (:data:`MATERIAL_OVERRIDES`) its memory,
    ``klartext_nav_once(page, nav, base_url)``, used as a ``{% call %}`` around Material's navigation.

    A page that is not in the navigation (no entry is active, none is the page, so nothing in Material's
    ``nav.html`` and ``nav-item.html`` depends on the page but the URLs the ``url`` filter makes relative
    to it) gets the HTML rendered for an earlier such page in the same folder if the ``url`` filter
    gives the same result for every URL that HTML holds; otherwise, for pages in the navigation, and
    where the navigation includes a template of the project's own (``overrides/partials/logo.html``),
    Material's template renders as usual. One memory per environment, i.e. per language variant."""
    recorder = _recorder(env)
    in_navigation: dict[int, set[int]] = {}  # id(nav) -> ids of its pages
    rendered: dict[tuple[int, str], tuple[_Made, str] | None] = {}

    def nav_once(page: Any, nav: Any, base_url: str, *, caller: Any) -> str:
        if page is None or nav is None or getattr(page, "parent", None) is not None or not recorder.complete:
            return caller()
        pages = in_navigation.get(id(nav))
        if pages is None:
            pages = in_navigation[id(nav)] = {id(item) for item in nav.pages}
        if id(page) in pages:
            return caller()
        # a navigation that includes a project's own template (its logo, say) renders on every page
        folder = posixpath.dirname(page.url.rstrip("/"))
        return recorder.reuse(rendered, (id(nav), folder), caller, page, base_url)

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
        keep_shell_parts(env)


def keep_page_independent_parts(env: Any) -> None:
    """``klartext_shell_once(name)``, used as a ``{% call %}`` around a partial of
    :data:`MATERIAL_OVERRIDES` in which nothing depends on the page (the search dialog): the HTML of
    its first rendering in ``env``, i.e. once per language variant's build; rendered every time when
    it includes a template of the project's own (an icon of its ``overrides``)."""
    recorder = _recorder(env)
    kept: dict[str, str | None] = {}

    def shell_once(name: str, *, caller: Any) -> str:
        html = kept.get(name, False)
        if html is None:
            return caller()
        if html is False:
            _, names, html = recorder.render(caller, None)
            kept[name] = html if all(recorder.ours(template) for template in names) else None
        return html

    env.globals["klartext_shell_once"] = shell_once


def _engine_or_material(filename: str | None) -> bool:
    """Whether a template file is the engine's (:data:`THEME_DIR`, with the Material overrides) or
    Material's own, not a project's ``overrides`` or another theme folder's."""
    if not filename:
        return False
    import material

    path = Path(filename).resolve()
    return any(path.is_relative_to(folder) for folder in (
        THEME_DIR.resolve(), (Path(material.__file__).parent / "templates").resolve()))


def keep_shell_parts(env: Any) -> None:
    """The memory of the parts of the overridden ``base.html`` and ``partials/header.html``
    (:data:`MATERIAL_OVERRIDES`) in which nothing depends on the page but ``base_url`` and what the
    ``url`` and ``script_tag`` filters make (and, for the footer, :func:`footer_key`):
    ``klartext_part(name, key)``, used as a ``{% call %}`` around such a part.

    A part's HTML is kept by its name, ``base_url`` and key together with every result of those
    filters in it and the names of the templates it included; a page with the same name, ``base_url``
    and key gets that HTML when each of the filters gives the same result on it (compared, not
    assumed), else the part renders and is kept anew. A part that included a template that is neither
    the engine's nor Material's (a project's ``overrides``) is rendered on every page, and so is every
    part when ``partials/language.html`` (the interface texts the parts show) is not the engine's.
    ``klartext_language()``: the module of ``partials/language.html`` (imported with the page's
    context in Material) made once per environment when it is the engine's (it reads only the
    variant's language and the interface texts' memory), else None. One memory per environment, i.e.
    per language variant's build."""
    recorder = _recorder(env)
    get_template, ours = recorder.get_template, recorder.ours

    kept: dict[tuple, tuple[_Made, str] | None] = {}

    @jinja2.pass_context
    def part(context: Any, name: str, key: Any = None, *, caller: Any) -> str:
        if key is EACH_PAGE or not recorder.complete or not ours("partials/language.html"):
            return caller()
        base_url = context.get("base_url")
        return recorder.reuse(kept, (name, base_url, key), caller, context.get("page"), base_url)

    module: list[Any] = []

    @jinja2.pass_context
    def language(context: Any) -> Any:
        if not module:
            name = "partials/language.html"
            module.append(get_template(name).make_module(context.get_all(), True, {}) if ours(name) else None)
        return module[0]

    holes: dict[tuple, tuple[_Made, list[str], list[int]] | None] = {}
    hole = re.compile("\x00kt-link-([0-9]+)\x00")

    @jinja2.pass_context
    def links_part(context: Any, name: str, key: Any, entries: Any, *, caller: Any) -> str:
        links = [context.environment.getattr(entry, "link") for entry in entries or ()]
        if (key is EACH_PAGE or not recorder.complete or not recorder.rules or len(set(links)) != len(links)
                or any(type(link) is not str for link in links)):
            return caller()
        page, base_url = context.get("page"), context.get("base_url")
        index = (name, key, len(links))
        known = holes.get(index, False)
        if known is None:
            return caller()
        if known is False or not recorder.same(known[0], page, base_url):
            recorder.marks.append({link: f"\x00kt-link-{number}\x00" for number, link in enumerate(links)})
            try:
                made, names, html = recorder.render(caller, page)
            finally:
                recorder.marks.pop()
            pieces = hole.split(html)
            if "\x00" in "".join(pieces[::2]) or not all(ours(template) for template in names):
                holes[index] = None  # a link's URL changed in the part, or a project's own template
                return caller()
            known = holes[index] = (made, pieces[::2], [int(number) for number in pieces[1::2]])
        _, texts, numbers = known
        url = recorder.originals["url"]
        here = {"page": page, "base_url": base_url}
        filled = [texts[0]]
        for number, text in zip(numbers, texts[1:]):
            filled.append(url(here, links[number]))
            filled.append(text)
        return "".join(filled)

    env.globals["klartext_part"] = part
    env.globals["klartext_links_part"] = links_part
    env.globals["klartext_languages_key"] = languages_key
    env.globals["klartext_language"] = language
    env.globals["klartext_footer_key"] = footer_key
    env.globals["klartext_content_key"] = content_key


EACH_PAGE = object()
"""The key of a part that depends on the page in ways not compared (rendered on every page)."""


@jinja2.pass_context
def content_key(context: Any, page: Any) -> Any:
    """What Material 9.8.1's partials around the page's content (``tags.html``, ``actions.html``,
    ``source-file.html``, ``feedback.html``; ``comments.html`` shows nothing) show of the page: when
    none of what they show is there (tags, an edit URL, a revision or creation date, git information,
    analytics) only white space, which depends on whether the page has front matter (``page.meta``),
    whether it hides something (``page.meta.hide``) and whether that is the feedback: those three are
    the key. Otherwise :data:`EACH_PAGE`."""
    environment = context.environment
    if page is None:
        return EACH_PAGE
    meta = environment.getattr(page, "meta")
    dates = ("git_revision_date_localized", "revision_date", "git_creation_date_localized")
    if meta and any(environment.getattr(meta, name) for name in dates):
        return EACH_PAGE
    if environment.getattr(page, "edit_url"):
        return EACH_PAGE
    if any(context.get(name) for name in ("tags", "git_info", "committers")):
        return EACH_PAGE
    if environment.getattr(environment.getattr(context.get("config"), "extra"), "analytics"):
        return EACH_PAGE
    hide = meta and environment.getattr(meta, "hide")
    return (bool(meta), bool(hide), bool(hide) and "feedback" in hide)


@jinja2.pass_context
def languages_key(context: Any, entries: Any) -> Any:
    """The key of Material's ``<link rel="alternate">`` lines (base.html): each entry's ``lang`` (its
    ``link`` is a hole of :func:`keep_shell_parts`' ``klartext_links_part``); :data:`EACH_PAGE` when
    one is not a plain string."""
    languages = tuple(context.environment.getattr(entry, "lang") for entry in entries or ())
    return languages if all(type(code) is str for code in languages) else EACH_PAGE


@jinja2.pass_context
def footer_key(context: Any, page: Any, features: Any) -> Any:
    """What Material 9.8.1's ``partials/footer.html`` and the engine's ``partials/copyright.html`` show
    that depends on the page: with Material's ``navigation.footer`` the links to the previous and next
    page (then the page itself is the key: nothing shared), and the current page marked among the
    footer's links (``aria-current``) when it is one of them."""
    if page is None:
        return None
    if "navigation.footer" in features:
        return ("page", page.url)
    environment = context.environment
    klartext = environment.getattr(environment.getattr(context.get("config"), "extra"), "klartext") or {}
    footer = klartext.get("footer") if isinstance(klartext, dict) else None
    links = environment.getattr(footer, "links") if footer else None
    if not links or isinstance(links, jinja2.Undefined):
        return None
    return page.url if any(page.url == environment.getattr(item, "url") for item in links) else None


class Switcher:
    """What ``partials/alternate.html`` shows of one page's language entries (``alternates``, the
    i18n plugin's ``config.extra.alternate`` of that page): the current language's name, its siblings
    (the other variants with the current language's tag, e.g. Leichte Sprache on German pages) and the
    ``hreflang``/``lang``/``dir`` attributes of the siblings and of every entry, escaped."""

    __slots__ = ("name", "siblings", "sibling_attrs", "attrs", "space", "key")

    def __init__(self, name: str, siblings: list, sibling_attrs: list[str], attrs: list[str],
                 space: str, key: int) -> None:
        self.name, self.siblings, self.sibling_attrs, self.attrs = name, siblings, sibling_attrs, attrs
        self.space = space
        self.key = key
        """The same number for the pages whose entries are the same but for their links."""


def switcher_memory() -> Any:
    """``klartext_switcher(alternates, current, languages)`` for ``partials/alternate.html``: the
    :class:`Switcher` of a page, worked out once per language variant (the entries' codes and names
    are the same on every page, only their links differ) the way the template's Jinja did it before,
    with Jinja's rules for a missing key (``info.tag | d(alt.lang)``, Undefined == Undefined)."""
    from markupsafe import escape

    missing = object()
    serial = itertools.count()
    known: dict[tuple, tuple[Any, str, list[int], list[str], list[str], str, int]] = {}

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
                                  "".join(space), next(serial))
        _, name, siblings, sibling_attrs, attrs, space, number = found
        return Switcher(name, [alternates[index] for index in siblings], sibling_attrs, attrs, space, number)

    return switcher
