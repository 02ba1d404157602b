"""The generated files of a language variant: concept pages, downloads, feed, and the navigation."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from klartext import feed, opendata
from klartext.languages import Language
from klartext.links import page_url
from klartext.pages import PageBuilder, PageSource
from klartext.plugin import htmlpage, pdfs
from klartext.plugin.html import PROBLEMS_PAGE
from klartext.plugin.state import LOCALE_SUFFIX, Run
from klartext.view import plain_title


def builder(config: Any, current: Language, run: Run) -> PageBuilder:
    page = run.settings.quality_page
    published = page == "published" or (page == "preview" and run.command == "serve")
    return PageBuilder(run.data, current, run.labels(config, current), run.renderer(config),
                       config.use_directory_urls, list(run.languages.values()), run.settings,
                       run.quality if published else None, _asset_sizes(config, run),
                       pdfs.pdf_settings(config, run)["filename"] if run.pdfs else None, run.texts())


def site_name(current: Language, run: Run) -> str:
    title = run.data.concept.title
    return plain_title(title.get(current.code) or title.de)


def handwritten(config: Any, run: Run) -> list[str]:
    """Hand-written pages in docs/ (language suffixes removed), for the navigation."""
    docs = Path(config.docs_dir)
    codes = set(run.languages)
    pages = set()
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs).as_posix()
        stem, _, _ = relative.rpartition(".")
        base, _, suffix = stem.rpartition(".")
        localized = suffix in codes or LOCALE_SUFFIX.match(suffix)  # the i18n plugin's own rule
        pages.add(f"{base}.md" if base and localized else relative)
    return sorted(page for page in pages if page != "index.md")


def add_pages(files: Files, config: Any, current: Language, run: Run, later: bool = False) -> list[PageSource]:
    """Add the generated pages of ``current``; a hand-written page may not take their place.

    ``later`` (a build): each page's HTML is rendered when MkDocs builds that page, and dropped once
    written (:class:`GeneratedPage`, :mod:`klartext.plugin.htmlpage`); otherwise (the preview, which
    compares the sources after an edit) every source is rendered now and kept."""
    sources = _sources(config, run)
    if not later:
        sources = [source.kept() for source in sources]
    taken = {file.src_uri for file in files if file.is_documentation_page()}
    for source in sources:
        if source.path in taken:
            raise PluginError(f"docs/{source.path} steht im Konflikt mit einer erzeugten Seite. "
                              "Bitte die handgeschriebene Seite umbenennen.")
        files.append(_generated_file(source, config, current, run))
    return sources


def open_data_files(config: Any, current: Language, run: Run) -> list[File]:
    """The downloads and the Atom feed of a language."""
    files = []
    for name, content in opendata.downloads(run.data, current, run.settings,
                                                 run.labels(config, current)).items():
        file = File.generated(config, f"{opendata.FOLDER}/{name}", content=content.encode("utf-8"))
        file.dest_uri = current.prefix + file.dest_uri
        files.append(file)
    site_url = (config.site_url or "").rstrip("/")
    base = f"{site_url}/{current.prefix}" if site_url else ""

    def link(src: str) -> str:
        return base + page_url(src, config.use_directory_urls) or "./"

    text = feed.atom_feed(run.data, current, run.builder.labels, link, run.settings.feed_id,
                          base + feed.FILENAME)
    file = File.generated(config, feed.FILENAME, content=text.encode("utf-8"))
    file.dest_uri = current.prefix + file.dest_uri
    files.append(file)
    return files


def skip_shared_theme_files(files: Files, config: Any, current: Language) -> int:
    """In a variant built after the default one (the i18n plugin's later builds, or their processes):
    the theme's files (Material's scripts, stylesheets and images, ours) are the same in every variant
    and go to the same place at the site's root, where the default variant's build copies them. Each
    further variant copied them all again over the same bytes (60 files a variant, 14fixed): now they
    stay where the default variant put them. Returns how many files are left to it."""
    if current.default:
        return 0
    dirs = tuple(os.path.join(os.path.abspath(folder), "") for folder in config.theme.dirs)
    left = 0
    for file in files:
        if (file.is_documentation_page() or file.generated_by or not file.abs_src_path
                or file.dest_uri.startswith(current.prefix)
                or not os.path.abspath(file.abs_src_path).startswith(dirs)):
            continue
        file.copy_file = _left_to_default_variant  # this File only (an attribute over the method)
        left += 1
    return left


def _left_to_default_variant(dirty: bool = False) -> None:
    """:meth:`File.copy_file` of a theme file the default variant's build has copied."""


def release_written_pages(i18n: Any) -> None:
    """Drop the Markdown and HTML of the language variants already written.

    The i18n plugin keeps every variant's files (and through them their pages) until the end of the
    build, for the language switcher and the sitemap, which need only their addresses. Without this,
    memory grows with pages x languages (at 1,200 measures x 7 variants by hundreds of MB).
    """
    for code, files in i18n.i18n_files_per_language.items():
        if code == i18n.current_language:
            continue
        for file in files:
            page = getattr(file, "page", None)
            if page is not None:
                page.content = page.markdown = None
            if file.generated_by:
                file.content_string = ""


def release_page(page: Any) -> None:
    """Drop a page's HTML and source once MkDocs has its output (``on_post_page``; 14par).

    Nothing reads them afterwards in a build (search entries, table of contents and anchors are taken
    before); without this a variant's build holds every page's HTML and source until its end."""
    page.content = None
    if page.file.generated_by:
        page.markdown = None
        page.file.content_string = ""


def _sources(config: Any, run: Run) -> list[PageSource]:
    problems = []
    if run.problems:
        markdown = run.renderer(config).render("problems.html", problems=run.problems, kept=run.builder is not None)
        problems = [PageSource(PROBLEMS_PAGE, "Fehler in den Daten", markdown)]
    if run.builder is None:
        return [PageSource("index.md", problems[0].title, problems[0].markdown)] + problems
    return run.builder.pages() + problems


def _asset_sizes(config: Any, run: Run) -> dict[str, int]:
    video = run.data.concept.sign_language_video
    docs = Path(config.docs_dir)
    return {video.file: (docs / video.file).stat().st_size} if video else {}


def _generated_file(source: PageSource, config: Any, current: Language, run: Run) -> File:
    """A generated page registered the way mkdocs-static-i18n registers its own files."""
    if source.text is None and source.front_matter is not None:
        file = GeneratedPage.generated(config, source.path, content="")
        file.source, file._content = source, None
    else:
        file = File.generated(config, source.path, content=source.markdown)
    htmlpage.mark(file)
    file.dest_uri = current.prefix + file.dest_uri
    file.locale = current.code
    file.locale_alternate_of = current.code
    file.localization = None if current.default else current.code
    file.norm_src_uri = source.path
    url = page_url(source.path, config.use_directory_urls)  # the same in every language, below its prefix
    file.alternates = {code: _Alternate(lang.prefix + url) for code, lang in run.languages.items()}
    file.alternates[current.code] = file
    return file


class GeneratedPage(File):
    """The File of a generated page whose source is rendered each time it is read, and never kept.

    MkDocs reads the source of every page before it writes the first one; a generated page's
    :class:`~klartext.plugin.htmlpage.HtmlPage` reads only the front matter then (title and settings,
    which the navigation needs), and the whole source when the page is built (``on_page_context``).
    Setting ``content_string`` (the preview, :func:`release_page`) keeps that text instead."""

    source: PageSource | None = None

    @property
    def content_string(self) -> str:
        if self._content is None and self.source is not None:
            return self.source.markdown
        return File.content_string.fget(self)

    @content_string.setter
    def content_string(self, value: str) -> None:
        File.content_string.fset(self, value)
        self.source = None

    @property
    def content_bytes(self) -> bytes:
        if self._content is None and self.source is not None:
            return self.source.markdown.encode()
        return File.content_bytes.fget(self)

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        File.content_bytes.fset(self, value)
        self.source = None

    @property
    def front_matter(self) -> str | None:
        """The front matter of a source not yet read (None: read the whole source)."""
        return self.source.front_matter if self._content is None and self.source is not None else None

    def is_modified(self) -> bool:
        return True


@dataclass
class _Alternate:
    """The same page in another language, as the i18n plugin's switcher and sitemap read it."""

    url: str
    page: Any = None
