"""Generated pages are HTML already: MkDocs gets them without a Markdown pass.

Python-Markdown re-parsed every HTML block of our pages (about 40 % of the build). A generated page is
turned into an :class:`HtmlPage` before MkDocs reads it; its ``render`` takes the HTML as it is and builds
the table of contents from our own headings (:mod:`klartext.headings`). In a build it is read and
rendered only when MkDocs builds it (:func:`render_pending`), so one page's HTML is in memory at a time.
"""

from __future__ import annotations

from typing import Any

from markdown.extensions.toc import slugify
from mkdocs.commands.build import _populate_page
from mkdocs.structure.pages import Page
from mkdocs.utils import meta
from mkdocs.structure.toc import get_toc

from klartext.headings import anchor_ids, page_html

MARK = "klartext_html"
"""Attribute set on the File of a generated page."""


class HtmlPage(Page):
    """A page whose source (after the front matter) is finished HTML."""

    pending = False
    """Read and rendered without its HTML so far: :func:`render_pending` completes it (14lazy)."""

    def read_source(self, config: Any) -> None:
        """When MkDocs reads every page before writing any (a build), a page whose source is rendered
        on demand (:class:`klartext.plugin.files.GeneratedPage`) gives only its front matter: its
        title and settings. Its HTML is rendered when the page is built (:func:`render_pending`)."""
        front_matter = getattr(self.file, "front_matter", None)
        if front_matter is None:
            return super().read_source(config)
        if not self.pending:
            self.markdown, self.meta = meta.get_data(front_matter)
            self.pending = True
            return None
        self.pending = False
        source = config.plugins.on_page_read_source(page=self, config=config) or self.file.content_string
        if not source.startswith(front_matter):  # a plugin gave another source
            self.markdown, self.meta = meta.get_data(source)
            return None
        # the page's meta was read from this front matter already: what MkDocs' meta.get_data leaves
        self.markdown = source[len(front_matter):].lstrip("\n")
        return None

    def render(self, config: Any, files: Any) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if self.pending:
            self.content = ""  # read_source read only the front matter
            return
        toc = (config["mdx_configs"] or {}).get("toc") or {}
        self.content, tokens = page_html(self.markdown, toc.get("slugify") or slugify, toc.get("separator", "-"))
        if getattr(self.file, "front_matter", None) is not None:
            self.markdown = ""  # not kept: the source is rendered again if read again (the title is in meta)
        self.toc = get_toc(tokens)
        self._title_from_render = tokens[0]["name"] if tokens and tokens[0]["level"] == 1 else None
        self.present_anchor_ids = anchor_ids(self.content)
        self.links_to_anchors = {}


def render_pending(page: Any, config: Any, files: Any) -> None:
    """Read and render a page that was read without its HTML (:attr:`HtmlPage.pending`), as MkDocs
    does before the build of the first page (its ``_populate_page``, with every plugin's events), now
    that this page is built: a build holds one page's HTML at a time, not the variant's."""
    if not getattr(page, "pending", False):
        return
    try:
        _populate_page(page, config, files)
    finally:
        config._current_page = page  # _populate_page clears it; the page's build goes on


def mark(file: Any) -> None:
    """Mark the File of a generated page (see :func:`adopt`)."""
    setattr(file, MARK, True)


def adopt(page: Any) -> None:
    """Turn the page of a marked File into an :class:`HtmlPage` (MkDocs made it as a Page)."""
    if getattr(page.file, MARK, False) and type(page) is Page:
        page.__class__ = HtmlPage
