"""Generated pages are HTML already: MkDocs gets them without a Markdown pass.

Python-Markdown re-parsed every HTML block of our pages (about 40 % of the build). A generated page is
turned into an :class:`HtmlPage` before MkDocs reads it; its ``render`` takes the HTML as it is and builds
the table of contents from our own headings (:mod:`klartext.headings`).
"""

from __future__ import annotations

from typing import Any

from markdown.extensions.toc import slugify
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from klartext.headings import anchor_ids, page_html

MARK = "klartext_html"
"""Attribute set on the File of a generated page."""


class HtmlPage(Page):
    """A page whose source (after the front matter) is finished HTML."""

    def render(self, config: Any, files: Any) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        toc = (config["mdx_configs"] or {}).get("toc") or {}
        self.content, tokens = page_html(self.markdown, toc.get("slugify") or slugify, toc.get("separator", "-"))
        self.toc = get_toc(tokens)
        self._title_from_render = tokens[0]["name"] if tokens and tokens[0]["level"] == 1 else None
        self.present_anchor_ids = anchor_ids(self.content)
        self.links_to_anchors = {}


def mark(file: Any) -> None:
    """Mark the File of a generated page (see :func:`adopt`)."""
    setattr(file, MARK, True)


def adopt(page: Any) -> None:
    """Turn the page of a marked File into an :class:`HtmlPage` (MkDocs made it as a Page)."""
    if getattr(page.file, MARK, False) and type(page) is Page:
        page.__class__ = HtmlPage
