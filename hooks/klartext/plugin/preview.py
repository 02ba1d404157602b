"""The fast preview (``klartext vorschau``): after a data edit, render only the pages it changes.

``mkdocs serve`` rebuilds the whole language variant on every save. In the one-language preview
(the i18n plugin's ``build_only_locale``) the plugin takes over the server's builder and keeps the
last build warm: its files, navigation, Jinja environment and the source of every generated page.
After a save it

1. looks at what changed on disk: anything outside ``data/`` (mkdocs.yml, hand-written pages,
   templates) -> the full rebuild of MkDocs, as before;
2. loads the data; errors in it -> the full rebuild, which lists them as before (German message
   with file and line, the last good pages stay);
3. asks :mod:`klartext.preview_scope` which measure pages the edit may change (None for an edit of
   another record kind -> full rebuild); a change to what every page shows (navigation, site name,
   marked names and fallbacks, the data's date) -> full rebuild;
4. renders the pages of those measures, the pages of the fields that show them
   (:func:`klartext.preview_scope.fields_to_render`) and every other generated page, and
   hands MkDocs only those whose source differs from the last build (plus hand-written pages with
   figures from the data); a page's file is written only when its bytes change. Downloads and the
   feed are written again when their bytes change.

Anything unexpected on this path falls back to the full rebuild. ``KLARTEXT_VORSCHAU_VOLL=1``
switches the fast path off (for comparisons).
"""

from __future__ import annotations

import gc
import html
import os
import time
from pathlib import Path
from typing import Any, Callable

from mkdocs import utils
from mkdocs.commands.build import _build_theme_template, _populate_page, get_context
from mkdocs.structure.files import Files, InclusionLevel

from klartext import links
from klartext.bidi import NON_LATIN, source_names
from klartext.fallbacks import fallback_texts
from klartext.languages import SOURCE
from klartext.pages import PageSource
from klartext.plugin import data as data_module
from klartext.plugin import files as files_module
from klartext.plugin import html as html_module
from klartext.plugin.state import Run, i18n, log, project_root, settings
from klartext.preview_scope import Snapshot, fields_to_render, measures_to_render, snapshot
from klartext.problems import DataError
from klartext.validation import load_concept

FULL = "KLARTEXT_VORSCHAU_VOLL"
"""Environment variable: set to 1 for a full rebuild on every save (as ``mkdocs serve`` does)."""

POLL_SECONDS = 0.1
"""How often the server looks at the files it watches for changes (MkDocs: 0.5 s)."""


def wanted(config: Any, run: Run) -> bool:
    """Whether this is the one-language preview (not ``build``, not ``serve`` of every language)."""
    return run.command == "serve" and bool(getattr(i18n(config).config, "build_only_locale", None))


class Preview:
    """The warm state of the last full build and the builder that uses it."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.config: Any = None
        self.files: Files | None = None
        self.nav: Any = None
        self.env: Any = None
        self.sources: dict[str, str] = {}
        """Source of each generated page of the last build, by path."""
        self.image: Snapshot | None = None
        """The data of the pages on disk, comparable (None: not usable for a fast rebuild)."""
        self.stamps: dict[str, tuple[int, int, int]] = {}
        self.roots: list[Path] = []
        self.full: Callable[[], None] | None = None
        self.last: dict[str, Any] = {}
        self.why = ""
        """What the last rebuild did (kind, pages written, seconds): for tests and benchmarks."""

    # what the full build leaves behind -------------------------------------------------------------

    def remember_sources(self, sources: list[PageSource]) -> None:
        self.sources = {source.path: source.markdown for source in sources}

    def remember_build(self, config: Any, files: Files, nav: Any, env: Any) -> None:
        self.config, self.files, self.nav, self.env = config, files, nav, env
        self.image = None  # usable once the build has finished

    def finished(self) -> None:
        """The full build wrote every page: its state may serve the next fast rebuild."""
        run = self.run
        self.image = snapshot(run.data) if run.data is not None and not run.problems else None
        # The warm build (files, pages, navigation, Jinja, data) stays in memory for the fast rebuilds:
        # take it out of the cyclic garbage collector's view, which otherwise walks all of it on every
        # full collection during a rebuild (0.1-0.3 s of a 0.7 s rebuild at 150 measures). A full
        # rebuild gives it back first (see rebuild), so the old build's cycles are collected then.
        gc.freeze()

    # the server ----------------------------------------------------------------------------------

    def attach(self, server: Any, config: Any, builder: Callable[[], None]) -> Any:
        """Put the fast rebuild in front of the server's full one."""
        self.full = builder
        data_dir = self._data_dir(config)
        self.roots = [Path(config.docs_dir), Path(config.config_file_path), data_dir,
                      *(Path(item) for item in config.watch)]
        self.stamps = _stamps(self.roots)
        server.builder = self.rebuild
        observer = getattr(server, "observer", None)
        if hasattr(observer, "_timeout"):  # watchdog's polling observer: data/ is scheduled after this
            observer._timeout = POLL_SECONDS
        return server

    def rebuild(self) -> None:
        """What the server runs after a save."""
        started = time.monotonic()
        stamps = _stamps(self.roots)
        changed = {path for path in stamps.keys() | self.stamps.keys() if stamps.get(path) != self.stamps.get(path)}
        data_dir = self._data_dir(self.config) if self.config is not None else None
        only_data = data_dir is not None and all(_inside(Path(path), data_dir) for path in changed)
        fast = os.environ.get(FULL, "") in ("", "0")
        written, self.why = None, ("files outside the data folder changed" if fast else f"{FULL} is set")
        if only_data and fast:
            try:
                written = self.refresh()
            except Exception:  # never worse than before: the full rebuild
                log.debug("fast preview failed, full rebuild", exc_info=True)
                written, self.why = None, "an error on the fast path"
        self.stamps = stamps
        if written is not None:
            seconds = time.monotonic() - started
            self.last = {"kind": "fast", "written": written, "seconds": seconds}
            log.info(f"Vorschau aktualisiert: {len(written)} Dateien neu geschrieben ({seconds:.2f} s)")
            return
        self.last = {"kind": "full", "why": self.why}
        log.debug(f"full rebuild: {self.why}")
        assert self.full is not None
        self.image = None  # usable again when this build finishes (a failed build leaves no state to trust)
        gc.unfreeze()
        self.full()
        self.last["seconds"] = time.monotonic() - started

    # the fast rebuild ----------------------------------------------------------------------------

    def refresh(self) -> list[str] | None:
        """Render what a data edit changed; the site paths written, or None: rebuild everything."""
        run, config = self.run, self.config
        if (config is None or self.files is None or self.image is None or run.problems or run.builder is None
                or run.data is None or run.pdfs):
            return self._full("the last build is not usable (errors in the data, PDFs)")
        language = run.current(config)
        root = project_root(config)
        others = [lang.locale for lang in i18n(config).config.languages if lang.locale != SOURCE.code]
        try:
            new, warnings = load_concept(self._data_dir(config), others, root, Path(config.docs_dir))
        except DataError:
            return self._full("errors in the data")  # the full rebuild lists them, as before
        image = snapshot(new)
        measures = measures_to_render(self.image, image)
        if measures is None:
            return self._full("records other than measures changed")
        dated = new.last_change() != run.data.last_change()  # e.g. a new update with today's date
        old_data, old_builder, old_settings = run.data, run.builder, run.settings
        if data_module._check_controlling(config, new, run):
            return self._full("data-quality errors")  # the full rebuild shows them
        if run.settings != old_settings:
            return self._full("the controlling settings changed")  # e.g. the reference day every page uses
        run.data = new
        builder = files_module.builder(config, language, run)
        about = settings(config).get("about_pages", ["ueber.md"])
        handwritten = files_module.handwritten(config, run)
        found = run.texts()  # of the new data
        fallbacks = fallback_texts(new, language.code, found) if language.tag != SOURCE.tag else frozenset()
        names = source_names([entry.text.de for entry in found])
        if (builder.navigation(handwritten, about) != old_builder.navigation(handwritten, about)
                or files_module.site_name(language, run) != config.site_name):
            run.data = old_data
            return self._full("the navigation or the site name changed")  # every page shows them
        fields = fields_to_render(old_data, new, measures, image)
        sources = [source.kept() for source in builder.pages(measures, fields)]  # compared, then kept
        expected = {source.path for source in sources} | {
            links.measure_page(record.id) for record in new.measures if record.id not in measures} | {
            links.field_page(item.id) for item in new.fields if fields is not None and item.id not in fields}
        if expected != set(self.sources):
            run.data = old_data
            return self._full("a page comes or goes")
        changed = [source for source in sources if self.sources[source.path] != source.markdown]
        pages = [self.files.get_file_from_path(source.path).page for source in changed]
        pages += [file.page for file in self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
                  if not file.generated_by and "[[abbildung" in file.content_string]  # figures from the data
        # Texts the plugin marks on every page it finishes (German titles shown for want of a
        # translation; German names quoted in a translation): a page not rendered again must not show
        # one that came or went.
        marked = set(fallbacks ^ run.fallbacks)
        primary = language.tag.split("-")[0].lower()
        if primary not in NON_LATIN and primary != SOURCE.tag.split("-")[0].lower():
            marked |= names ^ run.source_names
        if marked and self._shown_elsewhere(marked, {page.file.src_uri for page in pages}):
            run.data = old_data
            return self._full("a text marked on other pages changed")
        run.builder, run.good, run.fallbacks, run.source_names = builder, new, fallbacks, names
        if dated:  # MkDocs dates every page with the data's newest date (the sitemap's lastmod)
            data_module._date_the_build(new, run)
            today = utils.get_build_date()
            for file in self.files.documentation_pages():
                if file.page is not None:
                    file.page.update_date = today
        for warning in warnings + data_module._easy_language(config, root, run):
            log.warning(str(warning))
        for source in changed:
            self.files.get_file_from_path(source.path).content_string = source.markdown
            self.sources[source.path] = source.markdown
        written = [page.file.dest_uri for page in pages if self._render(page)]
        if dated:
            written += self._sitemap()
        for file in files_module.open_data_files(config, language, run):
            if _write_if_changed(file.content_bytes, Path(file.abs_dest_path)):
                written.append(file.dest_uri)
        self.image = image
        return written

    def _shown_elsewhere(self, texts: set[str], rendered: set[str]) -> bool:
        """Whether a served page that is not rendered again contains one of ``texts``."""
        needles = texts | {html.escape(text, quote=False) for text in texts}
        for file in self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
            if file.src_uri in rendered:
                continue
            try:
                served = Path(file.abs_dest_path).read_text(encoding="utf-8")
            except OSError:
                return True
            if any(needle in served for needle in needles):
                return True
        return False

    def _sitemap(self) -> list[str]:
        """The sitemap (and its gzip) as the full build writes it, with the plugin's hreflang fix."""
        config = self.config
        _build_theme_template("sitemap.xml", self.env, self.files, config, self.nav)
        sitemap = Path(config.site_dir) / "sitemap.xml"
        if not sitemap.is_file():
            return []
        sitemap.write_text(html_module.fix_hreflang(sitemap.read_text(encoding="utf-8"), self.run.languages),
                           encoding="utf-8")
        return ["sitemap.xml", "sitemap.xml.gz"]

    def _full(self, why: str) -> None:
        self.why = why
        return None

    def _render(self, page: Any) -> bool:
        """Render one page as MkDocs' build does (``_populate_page`` and ``_build_page``); write its
        file only when the bytes changed. Returns whether it was written."""
        config, files, nav, env = self.config, self.files, self.nav, self.env
        _populate_page(page, config, files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        config._current_page = page
        try:
            page.active = True
            context = get_context(nav, doc_files, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            if page.file.inclusion.is_excluded():
                page.content = ('<div class="mkdocs-draft-marker" title="This page will not be included into '
                                'the built site.">DRAFT</div>' + (page.content or ""))
            output = template.render(context)
            output = config.plugins.on_post_page(output, page=page, config=config)
        finally:
            page.active = False
            config._current_page = None
        page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if not output.strip():
            return False
        return _write_if_changed(output.encode("utf-8", errors="xmlcharrefreplace"), Path(page.file.abs_dest_path))

    @staticmethod
    def _data_dir(config: Any) -> Path:
        return (project_root(config) / settings(config).get("data_dir", "data")).resolve()


def _write_if_changed(content: bytes, target: Path) -> bool:
    try:
        if target.read_bytes() == content:
            return False
    except OSError:
        pass
    utils.write_file(content, str(target))
    return True


def _stamps(roots: list[Path]) -> dict[str, tuple[int, int, int]]:
    """Modification time, size and inode of every file under ``roots``."""
    found = {}
    for root in roots:
        paths = [root] if root.is_file() else root.rglob("*") if root.is_dir() else []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[str(path.resolve())] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return found


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents

