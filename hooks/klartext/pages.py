"""Concept -> page sources (Markdown with HTML blocks) for one language. Pure: data in, text out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from klartext import links
from klartext.concept import ConceptData
from klartext.labels import Labels
from klartext.languages import Language
from klartext.render import Renderer
from klartext.translations import status
from klartext.view import View, glossary_patterns, plain_title


@dataclass
class PageSource:
    """One generated page: where it goes, its title and its Markdown source."""

    path: str
    """Source path such as ``massnahmen/wiki.md``; the same in every language."""
    title: str
    """Plain title, safe to print unescaped."""
    markdown: str


@dataclass
class NavItem:
    """An entry of the navigation: a page, or a section with children."""

    title: str
    path: str | None = None
    children: list[NavItem] = field(default_factory=list)

    def to_mkdocs(self) -> Any:
        """The entry in MkDocs' ``nav`` format."""
        if self.children:
            return {self.title: [child.to_mkdocs() for child in self.children]}
        return {self.title: self.path} if self.title else self.path


class PageBuilder:
    """Builds every generated page of one language variant."""

    def __init__(self, data: ConceptData, language: Language, labels: Labels, renderer: Renderer,
                 directory_urls: bool = True, variants: list[Language] = ()) -> None:
        self.data = data
        self.variants = [variant for variant in variants if not variant.default]
        """The other language variants (for the translation status page)."""
        self.language = language
        self.labels = labels
        self.renderer = renderer
        self.directory_urls = directory_urls
        self._terms: list | None = None

    def pages(self) -> list[PageSource]:
        """All generated pages, start page first."""
        data = self.data
        pages = [
            self._page(links.START, "start.md", self._text(data.concept.title)),
            *(self._page(links.field_page(item.id), "field.md", self._field_title(item), field=item)
              for item in data.fields),
            self._page(links.MEASURES, "measures.md", self.labels("page.measures")),
            *(self._page(links.measure_page(item.id), "measure.md", self._text(item.title), measure=item)
              for item in data.measures),
            self._page(links.TIMELINE, "timeline.md", self.labels("page.timeline")),
            self._page(links.ACTORS, "actors.md", self.labels("page.actors")),
            self._page(links.GLOSSARY, "glossary.md", self.labels("page.glossary")),
            self._page(links.CONTACT, "contact.md", self.labels("page.contact")),
        ]
        if self.variants:
            report = status(data, [variant.code for variant in self.variants])
            # staff's report, not content: out of the search index, which every page loads and which
            # it would otherwise dominate (one row per open translation in every language)
            pages.append(self._page(links.TRANSLATIONS, "translations.md", self.labels("page.translations"),
                                    searchable=False, statuses=list(zip(self.variants, report))))
        return pages

    def navigation(self, extra_pages: list[str] = ()) -> list[NavItem]:
        """The site navigation; ``extra_pages`` are hand-written pages appended at the end."""
        label = self.labels
        fields = [NavItem(plain_title(self._field_title(item)), links.field_page(item.id))
                  for item in self.data.fields]
        return [
            NavItem(plain_title(label("nav.start")), links.START),
            NavItem(plain_title(label("nav.fields")), children=fields),
            NavItem(plain_title(label("page.measures")), links.MEASURES),
            NavItem(plain_title(label("page.timeline")), links.TIMELINE),
            NavItem(plain_title(label("page.actors")), links.ACTORS),
            NavItem(plain_title(label("page.glossary")), links.GLOSSARY),
            NavItem(plain_title(label("page.contact")), links.CONTACT),
            *([NavItem(plain_title(label("page.translations")), links.TRANSLATIONS)] if self.variants else []),
            *(NavItem("", path) for path in extra_pages),
        ]

    def _page(self, path: str, template: str, title: str, searchable: bool = True, **context: Any) -> PageSource:
        view = View(self.data, self.language, self.labels, path, self.renderer.icon, self.directory_urls)
        if self._terms is None:
            self._terms = glossary_patterns(view)
        view.terms = self._terms
        body = self.renderer.render(template, v=view, data=self.data, links=links, **context)
        safe_title = plain_title(title)
        search = "" if searchable else "search:\n  exclude: true\n"
        front_matter = f"---\ntitle: {json.dumps(safe_title, ensure_ascii=False)}\n{search}---\n\n"
        return PageSource(path, safe_title, front_matter + body)

    def _text(self, text: Any) -> str:
        return text.get(self.language.code) or text.de

    def _field_title(self, item: Any) -> str:
        return self.labels("field.numbered", number=item.number, title=self._text(item.title))
