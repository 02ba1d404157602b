"""The MkDocs plugin ``klartext``: the only code that knows MkDocs events and the i18n plugin.

Per language variant (mkdocs-static-i18n runs one build per language), it
- loads and validates ``data/`` once per build run (German messages, file and line),
- sets the site name and the navigation of that language,
- adds the generated concept pages after the i18n plugin has sorted the hand-written ones,
- marks hand-written pages that fall back to German with ``lang``/``dir`` and a notice.

One module per job: ``data`` (load and check), ``files`` (generated pages, downloads, navigation),
``pdfs``, ``html`` (finishing every page, 404 pages), ``search``, ``offline``, ``theme``.
Events without a priority of their own run at -1, i.e. after every plugin at the default
priority, wherever ``klartext`` stands in ``plugins:``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files

from klartext import feed, figures
from klartext.bidi import source_names
from klartext.fallbacks import fallback_texts
from klartext.languages import SOURCE, Language
from klartext.links import page_url
from klartext.plugin import (data, files, html, htmlpage, offline, pdfs, preview, search, sitemap, theme,
                             variants)
from klartext.plugin.state import Run, i18n, project_root, settings
from klartext.problems import DataError, Problem
from klartext.render import BYTECODE_CACHE, CACHE_FOLDER as TEMPLATE_CACHE
from klartext.sentences import keep_line_breaks


class KlartextPlugin(BasePlugin):
    """Generates the concept's pages, downloads, feed and PDFs in every language variant."""

    def __init__(self) -> None:
        self.run = Run()
        self.preview = preview.Preview(self.run)
        """The warm state of ``klartext vorschau`` (used only there)."""
        self.files: Files | None = None
        """The files of the variant being built (for the pages rendered as they are built)."""
        self.config_of_build: Any = None
        """The configuration of the variant being built (set in ``on_env``)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.run.command = command
        if command == "build" and variants.may_fork():
            variants.pause_collector()  # until the fork (variants.start), or until no fork follows

    def on_shutdown(self) -> None:
        variants.resume_collector()

    @event_priority(200)  # before other plugins' on_config (Material's search plugin renders templates there)
    def _keep_compiled_templates(self, config: Any) -> Any:
        """Compiled templates come from the project's cache folder; this build adds those it compiles."""
        BYTECODE_CACHE.keep_on_disk(project_root(config) / TEMPLATE_CACHE)
        theme.share_compiled_templates(config)
        return config

    @event_priority(-150)  # after mkdocs-static-i18n (-100) has set up the current language
    def _configure(self, config: Any) -> Any:
        run = self.run
        theme.install(config)
        plugin = i18n(config)
        language = plugin.current_language or plugin.default_language
        theme.share_theme_listing(config, run.theme_listings, first_variant=not plugin.building)
        if not plugin.building:  # first (default language) pass of this build: load the data once
            data.load(config, plugin, run)
        else:
            files.release_written_pages(plugin)
        current = run.languages[language]
        # mkdocs-static-i18n 1.3.1 saves theme.language as "original" only after setting it for the first
        # variant with a theme override, so every variant listed after it inherits that value: set it here.
        config.theme["language"] = current.tag
        config.extra["klartext"] = {
            **(config.extra.get("klartext") or {}),
            "lang": current.tag,
            "dir": current.dir,
            "easy_read": current.easy_read,  # main.html adds the Leichte Sprache stylesheet
            "languages": {code: {"tag": lang.tag, "dir": lang.dir, "hreflang": lang.hreflang}
                          for code, lang in run.languages.items()},
            "pdf_link": None,  # set in on_files once this language's PDF exists
            "feed_link": None,  # set below when the data loaded
        }
        if offline.enabled(config):
            offline.use_local_shim(config)
        run.builder = files.builder(config, current, run) if run.data is not None else None
        run.fallbacks = (fallback_texts(run.data, current.code, run.texts())
                         if run.data is not None and current.tag != SOURCE.tag else frozenset())
        if run.data is None:
            run.source_names = frozenset()
        elif run.source_names_of is not run.data:  # the same German names for every variant: once per data
            run.source_names = source_names([entry.text.de for entry in run.texts()])
            run.source_names_of = run.data
        if run.builder is not None:
            config.extra["klartext"]["feed_link"] = {
                "url": current.prefix + feed.FILENAME, "text": run.builder.labels("feed.link")}
            config.site_name = files.site_name(current, run)
            about = settings(config).get("about_pages", ["ueber.md"])
            config.nav = [item.to_mkdocs() for item in run.builder.navigation(files.handwritten(config, run),
                                                                             about)]
            config.extra["klartext"].update(self._shared_texts(config, current))
        return config

    on_config = CombinedEvent(_keep_compiled_templates, _configure)

    @event_priority(100)  # the site folder is clean, no page of the default variant rendered yet
    def _start_variants(self, files_: Files, *, config: Any) -> Files:
        """With the default variant: fork the further variants' processes, which build while this
        process builds the default variant (:mod:`klartext.plugin.variants`)."""
        run = self.run
        plugin = i18n(config)
        if plugin.building or run.forked is not None or run.data is None:
            variants.resume_collector()
            return files_
        current = run.current(config)
        others = [code for code in plugin.build_languages if code != current.code and code in run.languages]
        run.parallel = variants.wanted(run, others)
        if run.parallel:
            run.forked = variants.start(config, plugin, run, others)
        variants.resume_collector()  # no fork (e.g. one language): the collector on again
        return files_

    @event_priority(-200)  # after mkdocs-static-i18n (-100) rebuilt the file list
    def _add_files(self, files_: Files, *, config: Any) -> Files:
        run = self.run
        plugin = i18n(config)
        current = run.languages[plugin.current_language]
        sources = files.add_pages(files_, config, current, run, later=run.command == "build")
        if current.code in run.pdfs:
            files_.append(pdfs.pdf_file(config, current, run))
        if offline.enabled(config) and current.default:
            files_.append(offline.iframe_worker_file(config))
        if run.builder is not None:
            for file in files.open_data_files(config, current, run):
                files_.append(file)
        if plugin.building:  # a variant after the default one, in the same build run
            files.skip_shared_theme_files(files_, config, current)
        if preview.wanted(config, run):
            self.preview.remember_sources(sources)
        generated = {source.path for source in sources}
        plugin.i18n_files_per_language.setdefault(current.code, []).extend(
            file for file in files_ if file.src_uri in generated)
        return files_

    on_files = CombinedEvent(_start_variants, _add_files)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build (the default variant's, or one the variants' processes failed) ends the
        variants' processes still building or waiting: none is left behind."""
        variants.resume_collector()
        data.cancel_easy_language(self.run)
        if self.config_of_build is not None:
            sitemap.give_back(self.config_of_build)
        if self.run.forked is not None:
            variants.stop(self.run.forked)
            self.run.forked = None
            self.run.parallel = False

    @event_priority(-200)  # the navigation as every plugin left it
    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        self.preview.nav = nav
        return nav

    @event_priority(-1)
    def _share_templates(self, env: Any, *, config: Any, files: Files) -> Any:
        """Share compiled theme templates between the language builds and builds (see TemplateCache)."""
        env.bytecode_cache = BYTECODE_CACHE
        self.files = files
        self.config_of_build = config
        theme.share_page_shell(env)  # Material's interface texts and navigation: rendered once per variant
        search.index_generated_pages_cheaply(config)  # generated pages: no html.parser pass
        if preview.wanted(config, self.run):
            self.preview.remember_build(config, files, self.preview.nav, env)
        from mkdocs.utils import get_build_timestamp

        self.run.sitemap_timestamp = get_build_timestamp(
            pages=[file.page for file in files.documentation_pages() if file.page is not None])
        if self.run.variant_process or self.run.forked is not None:  # the parent joins the variants' parts
            self._take_sitemap_part(env, config)
        return env

    def _take_sitemap_part(self, env: Any, config: Any) -> None:
        """This variant's part of the sitemap, put together here; MkDocs neither renders nor writes it
        (the parent writes the joined sitemap, :func:`variants.join_sitemaps`)."""
        plugin = i18n(config)
        alternates = plugin.i18n_files_per_language
        if self.run.variant_process and plugin.current_language in alternates:  # as variants.own_alternates
            alternates = {plugin.current_language: alternates[plugin.current_language]}
        text = sitemap.take_part(env, config, alternates)
        if text is not None:
            self.run.sitemap_text = text

    on_env = CombinedEvent(_share_templates)

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        """The one-language preview renders again only what a data edit changed (plugin/preview.py)."""
        if preview.wanted(config, self.run):
            return self.preview.attach(server, config, builder)
        return server

    @event_priority(100)  # before every plugin that reads the page's HTML or table of contents (search: 0)
    def _render_pending(self, context: dict, *, page: Any, config: Any, nav: Any) -> dict:
        """A generated page read without its HTML gets it now, as its build starts (htmlpage.render_pending)."""
        htmlpage.render_pending(page, config, self.files)
        return context

    @event_priority(-50)  # after mkdocs-static-i18n (50) set the switcher links
    def _point_switcher(self, context: dict, *, page: Any, config: Any, nav: Any) -> dict:
        """Point every switcher entry at the same page in that language, relative to this page."""
        alternates = getattr(page.file, "alternates", {})
        # the i18n plugin assigns the attribute (config.extra.alternate), which templates read first
        entries = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
        for entry in entries:
            target = alternates.get(entry["lang"])
            if target is not None:
                entry["link"] = target.url or "./"
        return context

    on_page_context = CombinedEvent(_render_pending, _point_switcher)

    def on_pre_page(self, page: Any, *, config: Any, files: Files) -> Any:
        htmlpage.adopt(page)  # generated pages are HTML: no Markdown pass
        return page

    @event_priority(-1)
    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        """Put figures from the data into hand-written pages (marker ``[[abbildung: ID]]``)."""
        run = self.run
        current = run.current(config)
        if current.easy_read and not page.file.generated_by and getattr(page.file, "locale", None) == current.code:
            markdown = keep_line_breaks(markdown)  # one sentence per line, as written
        if run.builder is None or page.file.generated_by or "[[abbildung" not in markdown:
            return markdown
        raw = page.file.content_string
        offset = raw[:max(raw.find(markdown.lstrip()[:80]), 0)].count("\n")
        known = [figure.id for figure in run.data.figures]
        expanded, problems = figures.expand(markdown, f"docs/{page.file.src_uri}", known,
                                            lambda figure_id: run.builder.figure(figure_id, page.file.src_uri))
        if problems:
            problems = [Problem(p.file, p.line + offset, p.message) for p in problems]
            raise PluginError(str(DataError(problems)))
        return expanded

    @event_priority(-1)
    def on_page_content(self, html_: str, *, page: Any, config: Any, files: Files) -> str:
        return html.mark_fallback(html_, page, self.run.current(config), self.run, config)

    @event_priority(-1)
    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        run = self.run
        current = run.current(config)
        if run.command == "build":
            files.release_page(page)  # in the output now: memory holds one page's HTML, not the variant's
        output = html.finish(output, current, run, config)
        if run.problems:  # the preview's data has errors: a banner on every page links to the list
            output = html.with_problem_banner(output, page, config, current, run)
        return output

    @event_priority(-1)
    def on_template_context(self, context: dict, *, template_name: str, config: Any) -> dict:
        if template_name == "404.html":
            html.point_switcher_at_starts(config, self.run)
        if template_name == "sitemap.xml" and self.run.variant_process:
            variants.own_alternates(context, i18n(config).current_language)
        return context

    @event_priority(-1)
    def on_post_template(self, output: str, *, template_name: str, config: Any) -> str:
        if template_name == "sitemap.xml":
            self.run.sitemap_text = output
        if template_name != "404.html" or not output.strip():
            return output
        return html.write_not_found_page(output, config, self.run.current(config), self.run)

    @event_priority(-90)  # before mkdocs-static-i18n (-100) keeps the search entries and builds the others
    def _variant_built(self, *, config: Any) -> None:
        """Write this variant's search index; after the default variant, wait for the others' processes
        where they were forked (:mod:`klartext.plugin.variants`)."""
        run = self.run
        plugin = i18n(config)
        current = run.current(config)
        sitemap.give_back(config)
        text = search.variant_index(config, current)
        if text is not None and current.default:
            run.default_index = text  # written at the end: the i18n plugin's merged index goes there first
        elif text is not None:
            search.write_index(Path(config.site_dir), current, text, offline.enabled(config))
        if plugin.building:
            return
        data.report_easy_language(run)  # checked in its own process meanwhile
        if run.forked is None:
            run.parallel = False
            return  # the i18n plugin builds the others one after the other
        first = run.sitemap_text
        # the default variant's pages: read now, while the processes build (their folders left out)
        own = html.policy_hashes(Path(config.site_dir), variants.folders(run.forked, run))
        parts = variants.finish(run.forked)
        run.forked = None
        run.policy_hashes = variants.join_hashes(own, parts)
        if first is not None:
            variants.join_sitemaps(Path(config.site_dir), first, parts)
        plugin.building = True  # the i18n plugin's on_post_build: nothing left to build

    @event_priority(-150)  # after mkdocs-static-i18n built the other languages and the sitemap
    def _all_built(self, *, config: Any) -> None:
        plugin = i18n(config)
        if plugin.building and not self.run.parallel:
            return  # a nested language build; the last step below runs once, at the very end
        if self.run.parallel:
            plugin.building = False
            self.run.parallel = False
        site = Path(config.site_dir)
        default = next((lang for lang in self.run.languages.values() if lang.default), None)
        if self.run.default_index is not None and default is not None:
            search.write_index(site, default, self.run.default_index, offline.enabled(config))
            self.run.default_index = None
        sitemap = site / "sitemap.xml"
        if sitemap.is_file():
            sitemap.write_text(html.fix_hreflang(sitemap.read_text(encoding="utf-8"), self.run.languages),
                               encoding="utf-8")
        if self.run.command != "serve":
            html.write_header_policy(site, self.run.policy_hashes)  # collected by the processes (or None)
        self.run.policy_hashes = None
        if preview.wanted(config, self.run):
            self.preview.finished()

    on_post_build = CombinedEvent(_variant_built, _all_built)

    def _shared_texts(self, config: Any, current: Language) -> dict:
        """What Material's templates (footer, 404 page) show: links with site-relative URLs, labels."""
        run = self.run
        labels = run.builder.labels
        return {
            "footer": {"label": labels("footer.label"), "links": [
                {"url": current.prefix + page_url(path, config.use_directory_urls), "text": text}
                for path, text in run.builder.footer()]},
            "not_found": {
                "title": labels("notfound.title"), "text": labels("notfound.text"),
                "start": labels("notfound.start"), "others": labels("notfound.languages"),
                "start_url": current.prefix,
                "languages": [{"url": lang.prefix, "name": lang.name, "tag": lang.tag, "dir": lang.dir,
                               "hreflang": lang.hreflang} for lang in run.languages.values() if lang != current],
            },
        }
