"""Concept -> page sources (front matter + HTML, from the HTML templates) for one language. Pure: data in,
text out. MkDocs gets them without a Markdown pass (see headings.py and plugin/htmlpage.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Collection

from klartext import charts, freshness, links
from klartext.concept import ConceptData
from klartext.controlling import LICENCES, Settings, changes, dashboard, read_settings
from klartext.feed import FILENAME as FEED
from klartext.opendata import FOLDER as DATA_FOLDER, tables
from klartext.problems import Problem
from klartext.labels import Labels
from klartext.languages import Language
from klartext.render import Renderer
from klartext.reports import latest_comparison, report_comparisons
from klartext.translations import Entry, status
from klartext.view import View, glossary_patterns, plain_title


@dataclass
class PageSource:
    """One generated page: where it goes, its title and its source.

    The source is either ``text`` or rendered by ``render`` each time :attr:`markdown` is read (the pages
    of :meth:`PageBuilder.pages`): a build reads each page's source once, when MkDocs gets to that page,
    so a variant holds one page's HTML at a time instead of all of them (14lazy)."""

    path: str
    """Source path such as ``massnahmen/wiki.md``; the same in every language."""
    title: str
    """Plain title, safe to print unescaped."""
    text: str | None = None
    """The source, when it is kept (see :attr:`markdown`)."""
    render: Callable[[], str] | None = field(default=None, repr=False, compare=False)
    """Renders the source anew on each call, when ``text`` is None."""
    front_matter: str | None = None
    """The source's front matter, known without rendering the page (its start: ``markdown`` begins with it)."""

    @property
    def markdown(self) -> str:
        """Front matter, then the page's HTML (the name is MkDocs': what ``Page.markdown`` holds)."""
        if self.text is not None:
            return self.text
        assert self.render is not None
        return self.render()

    def kept(self) -> PageSource:
        """This page with its source rendered once and kept (for who reads it more than once)."""
        return self if self.text is not None else PageSource(self.path, self.title, self.render())


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
                 directory_urls: bool = True, variants: list[Language] = (),
                 settings: Settings | None = None, quality: list[Problem] | None = None,
                 asset_sizes: dict[str, int] | None = None, pdf: str | None = None,
                 texts: list[Entry] | None = None) -> None:
        self.data = data
        self.texts = texts
        """``entries(data)``, if known (the plugin takes them once for every variant); None: taken here."""
        self.settings = settings or read_settings({}, data)
        """Controlling settings (``extra.klartext.controlling``)."""
        self.quality = quality
        """Data-quality findings for the data-quality page; None: the page is not published."""
        self.asset_sizes = asset_sizes or {}
        """Size in bytes of files under docs/ the pages offer for download (e.g. the DGS video)."""
        self.easy_read = next((variant for variant in variants
                               if variant.tag == language.tag and variant.code != language.code), None)
        """The Leichte Sprache variant (same language tag as German), linked from the start page."""
        self.variants = [variant for variant in variants if not variant.default]
        """The other language variants (for the translation status page)."""
        self.pdf = pdf
        """File name of this variant's PDF (beside its start page), None without PDFs."""
        self.language = language
        self.labels = labels.bind(data)
        self.renderer = renderer
        self.directory_urls = directory_urls
        self._prototype: View | None = None
        self._concept_stand: Any = None
        self.since = latest_comparison(data)
        """The newest status report against the current data (16rep), None without reports."""

    def pages(self, measures: Collection[str] | None = None,
              fields: Collection[str] | None = None) -> list[PageSource]:
        """All generated pages, start page first; with ``measures`` (``fields``), the pages of only those
        measures (fields): the preview renders again what an edit changed, see :mod:`klartext.preview_scope`."""
        data = self.data
        pages = [
            self._later(links.START, "start.html", self._text(data.concept.title),
                       easy_read=self.easy_read, sizes=self.asset_sizes,
                       pdf=links.file_url(links.START, self.pdf, self.directory_urls) if self.pdf else None,
                       latest=[change for change in changes(data) if change.kind == "update"][:3]),
            *(self._later(links.field_page(item.id), "field.html", self._field_title(item), field=item,
                         since=self.since)
              for item in data.fields if fields is None or item.id in fields),
            self._later(links.MEASURES, "measures.html", self.labels("page.measures")),
            *(self._later(links.measure_page(item.id), "measure.html", self._text(item.title), measure=item,
                         as_of=self.settings.as_of, since=self.since)
              for item in data.measures if measures is None or item.id in measures),
            *self._recommendation_pages(),  # 16rec: not measure pages, so the fast preview renders them always
            self._later(links.TIMELINE, "timeline.html", self.labels("page.timeline")),
            self._later(links.ACTORS, "actors.html", self.labels("page.actors")),
            self._later(links.GLOSSARY, "glossary.html", self.labels("page.glossary")),
            self._later(links.CONTACT, "contact.html", self.labels("page.contact")),
            self._later(links.ACCESSIBILITY, "accessibility.html", self.labels("page.accessibility")),
            self._later(links.PRIVACY, "privacy.html", self.labels("page.privacy")),
            self._later(links.IMPRESSUM, "impressum.html", self.labels("page.impressum")),
        ]
        settings = self.settings
        licence_name, licence_url = LICENCES[settings.licence]
        # Overviews of content that is searchable on its own pages (measures, updates, data gaps) stay
        # out of the search index, which every page downloads: with them it grew from 0.6 to 2.2 MB
        # per language at 150 measures.
        pages += [
            self._later(links.DASHBOARD, "dashboard.html", self.labels("page.dashboard"), searchable=False,
                       wide=True, dashboard=dashboard(data, settings)),
            self._later(links.CHANGES, "changes.html", self.labels("page.changes"), searchable=False,
                       settings=settings, comparison=self.since,
                       changes=changes(data, settings.changes_since),
                       feed_url=links.file_url(links.CHANGES, FEED, self.directory_urls)),
            self._later(links.DATA, "data.html", self.labels("page.data"), settings=settings,
                       tables=tables(data, self.language, self.labels), licence_name=licence_name, licence_url=licence_url,
                       feed_url=links.file_url(links.DATA, FEED, self.directory_urls),
                       download=lambda name: links.file_url(links.DATA, f"{DATA_FOLDER}/{name}",
                                                            self.directory_urls)),
        ]
        pages += self._report_pages()
        if self.quality is not None:
            pages.append(self._later(links.QUALITY, "quality.html", self.labels("page.quality"),
                                    searchable=False, problems=self.quality))
        if self.variants:
            report = status(data, [variant.code for variant in self.variants], self.texts)
            # staff's report, not content: out of the search index, which every page loads and which
            # it would otherwise dominate (one row per open translation in every language)
            pages.append(self._later(links.TRANSLATIONS, "translations.html", self.labels("page.translations"),
                                    searchable=False, statuses=list(zip(self.variants, report))))
        return pages

    def figure(self, figure_id: str, page: str) -> str:
        """The figure ``figure_id`` as HTML for the hand-written page ``page`` (its marker)."""
        view = self._view(page)
        return self.renderer.render("figure.html", v=view, data=self.data, links=links, charts=charts,
                                    figure=self.data.get("figures", figure_id))

    def navigation(self, extra_pages: list[str] = (), about_pages: list[str] = ()) -> list[NavItem]:
        """The site navigation: the concept for citizens first, then one section „Über dieses Angebot“
        with the pages about the site itself. ``extra_pages`` are hand-written pages; those also in
        ``about_pages`` go into that section."""
        label = self.labels
        staff = not self.language.easy_read  # staff's reports (translation state, data quality) stay out
        fields = [NavItem(plain_title(self._field_title(item)), links.field_page(item.id))
                  for item in self.data.fields]
        return [
            NavItem(plain_title(label("nav.start")), links.START),
            NavItem(plain_title(label("nav.fields")), children=fields),
            NavItem(plain_title(label("page.measures")), links.MEASURES),
            *([NavItem(plain_title(label("page.recommendations")), links.RECOMMENDATIONS)]
              if self.data.recommendations else []),  # 16rec
            NavItem(plain_title(label("nav.controlling")), children=[
                NavItem(plain_title(label("page.dashboard")), links.DASHBOARD),
                NavItem(plain_title(label("page.changes")), links.CHANGES),
                *self._report_nav(),
                NavItem(plain_title(label("page.data")), links.DATA),
            ]),
            NavItem(plain_title(label("page.timeline")), links.TIMELINE),
            NavItem(plain_title(label("page.actors")), links.ACTORS),
            NavItem(plain_title(label("page.glossary")), links.GLOSSARY),
            NavItem(plain_title(label("page.contact")), links.CONTACT),
            *(NavItem("", path) for path in extra_pages if path not in about_pages),
            NavItem(plain_title(label("nav.about")), children=[
                *(NavItem("", path) for path in extra_pages if path in about_pages),
                *([NavItem(plain_title(label("page.quality")), links.QUALITY)]
                  if staff and self.quality is not None else []),
                *([NavItem(plain_title(label("page.translations")), links.TRANSLATIONS)] if staff and self.variants
                  else []),
                NavItem(plain_title(label("page.accessibility")), links.ACCESSIBILITY),
                NavItem(plain_title(label("page.privacy")), links.PRIVACY),
                NavItem(plain_title(label("page.impressum")), links.IMPRESSUM),
            ]),
        ]

    def _recommendation_pages(self) -> list[PageSource]:  # 16rec
        """The overview of the recommendations and one page each; none without recommendations."""
        if not self.data.recommendations:
            return []
        return [
            self._later(links.RECOMMENDATIONS, "recommendations.html", self.labels("page.recommendations")),
            *(self._later(links.recommendation_page(item.id), "recommendation.html",
                         self.labels("recommendation.numbered", number=item.number, title=self._text(item.title)),
                         recommendation=item)
              for item in self.data.recommendations),
        ]

    def footer(self) -> list[tuple[str, str]]:
        """Links on every page's footer: (source path, text)."""
        return [(links.ACCESSIBILITY, self.labels("page.accessibility")),
                (links.PRIVACY, self.labels("page.privacy")),
                (links.IMPRESSUM, self.labels("page.impressum")),
                (links.CONTACT, self.labels("page.contact"))]

    def _report_pages(self) -> list[PageSource]:
        """One page per status report (16rep), with what changed since the report before it."""
        pairs = report_comparisons(self.data)  # newest first
        pages = []
        for position, (report, comparison) in enumerate(pairs):
            following = pairs[position - 1][0] if position else None
            previous = pairs[position + 1][0] if position + 1 < len(pairs) else None
            path = links.report_page(report.name)
            pages.append(self._later(path, "report.html", self._report_title(report, path), searchable=False,
                                    report=report, comparison=comparison, previous=previous,
                                    following=following))
        return pages

    def _report_nav(self) -> list[NavItem]:
        return [NavItem(plain_title(self._report_title(report, links.report_page(report.name))),
                        links.report_page(report.name))
                for report, _ in report_comparisons(self.data)]

    def _report_title(self, report: Any, path: str) -> str:
        return self.labels("report.page", date=self._view(path).date(report.date))

    def _view(self, path: str) -> View:
        if self._prototype is None:  # one View per variant; each page gets a copy (View.at)
            self._prototype = View(self.data, self.language, self.labels, "", self.renderer.icon,
                                   self.directory_urls)
            self._prototype.terms = glossary_patterns(self._prototype)
        return self._prototype.at(path)

    def _page(self, path: str, template: str, title: str, searchable: bool = True, wide: bool = False,
              **context: Any) -> PageSource:
        view = self._view(path)
        body = self.renderer.render("page.html", page_template=template, v=view, data=self.data, links=links,
                                    charts=charts, stand=self._stand(context),
                                    notice_months=None if "report" in context else self.settings.notice_after_months,
                                    **context)
        safe_title = plain_title(title)
        front_matter = _front_matter(safe_title, searchable, wide)
        return PageSource(path, safe_title, front_matter + body)

    def _later(self, path: str, template: str, title: str, searchable: bool = True, wide: bool = False,
               **context: Any) -> PageSource:
        """The page of :meth:`_page`, rendered each time its source is read (see :class:`PageSource`)."""
        safe_title = plain_title(title)
        return PageSource(path, safe_title, render=lambda: self._page(path, template, title, searchable, wide,
                                                                      **context).markdown,
                          front_matter=_front_matter(safe_title, searchable, wide))

    def _stand(self, context: dict[str, Any]) -> Any:
        """The newest date of the data a page shows."""
        if "report" in context:
            return context["report"].date
        if "measure" in context:
            return freshness.of_measure(self.data, context["measure"])
        if "recommendation" in context:  # 16rec
            return freshness.of_recommendation(self.data, context["recommendation"])
        if "field" in context:
            return freshness.of_field(self.data, context["field"].id)
        if self._concept_stand is None:  # the same on every page that shows the whole concept
            self._concept_stand = freshness.of_concept(self.data)
        return self._concept_stand

    def _text(self, text: Any) -> str:
        return text.get(self.language.code) or text.de

    def _field_title(self, item: Any) -> str:
        return self.labels("field.numbered", number=item.number, title=self._text(item.title))


def _front_matter(title: str, searchable: bool, wide: bool) -> str:
    search = "" if searchable else "search:\n  exclude: true\n"
    hide = "hide:\n  - toc\n" if wide else ""  # wide tables get the width of the table of contents
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n{search}{hide}---\n\n"
