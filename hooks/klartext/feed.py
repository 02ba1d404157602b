"""Atom feed (RFC 4287) of progress updates and state changes, one per language.

Ids are tag URIs built from the measure id and the update's date and position, so they stay the same
from build to build; ``updated`` comes from the data, never from the clock.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any, Callable

from klartext.concept import ConceptData
from klartext.controlling import Change, changes
from klartext.labels import Labels
from klartext.languages import Language
from klartext.links import report_page
from klartext.reports import latest_comparison
from klartext.text import PartialDate, Text

FILENAME = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"


def _stamp(date: PartialDate) -> str:
    return f"{date.first_day.isoformat()}T00:00:00Z"


def entry_id(base: str, change: Change) -> str:
    """A stable id: the same change keeps it in every build and every language."""
    suffix = "aufgenommen" if change.kind == "added" else f"meldung-{change.date}-{change.position + 1}"
    return f"{base}/massnahme/{change.measure.id}/{suffix}"


def atom_feed(data: ConceptData, language: Language, labels: Labels, link: Callable[[str], str],
              base: str, feed_url: str) -> str:
    """The feed of a language.

    Args:
        link: Turns a page source path into the URL written into the feed.
        base: Start of every id, a tag URI such as ``tag:lehrte.de,2021:integrationskonzept``.
        feed_url: URL of the feed itself (``rel="self"``).
    """
    def t(text: Text | None) -> str:
        return "" if text is None else text.get(language.code) or text.de

    labels = labels.bind(data)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language.tag})
    found = changes(data)
    reports = getattr(data, "reports", None) or []
    if reports:  # 16rep: what is new since the newest report, and the reports themselves
        found = new_since(found, latest_comparison(data))
    dates = [change.date for change in found] + [report.date for report in reports]
    newest = max(dates, key=lambda d: d.first_day, default=data.concept.date)
    _sub(feed, "id", f"{base}/feed/{language.code}")
    _sub(feed, "title", labels("feed.title", title=t(data.concept.title)))
    _sub(feed, "updated", _stamp(newest))
    author = _sub(feed, "author")
    _sub(author, "name", t(data.concept.office))
    _sub(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=link("index.md"), type="text/html")
    _sub(feed, "generator", "Klartext")
    entries = [(change.date, position, change) for position, change in enumerate(found)]
    entries += [(report.date, -1, report) for report in reports]
    for _, _, change in sorted(entries, key=lambda item: (-item[0].first_day.toordinal(), item[1])):
        if not isinstance(change, Change):
            _report_entry(feed, change, base, labels, link)
            continue
        measure = change.measure
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(base, change))
        if change.kind == "added":
            title = labels("feed.added", title=t(measure.title))
        elif change.kind == "state":
            state = data.get("measure_states", change.update.state)
            title = labels("feed.state", title=t(measure.title), state=t(state.label))
        else:
            title = labels("feed.update", title=t(measure.title))
        _sub(entry, "title", title)
        _sub(entry, "updated", _stamp(change.date))
        _sub(entry, "link", rel="alternate", href=link(f"massnahmen/{measure.id}.md"), type="text/html")
        body = t(change.update.text) if change.update else t(measure.summary)
        _sub(entry, "summary", body)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _report_entry(feed: ET.Element, report: Any, base: str, labels: Labels, link: Callable[[str], str]) -> None:
    """The entry announcing a status report's page (16rep)."""
    entry = _sub(feed, "entry")
    _sub(entry, "id", f"{base}/bericht/{report.name}")
    _sub(entry, "title", labels("feed.report", title=report.title))
    _sub(entry, "updated", _stamp(report.date))
    _sub(entry, "link", rel="alternate", href=link(report_page(report.name)), type="text/html")
    _sub(entry, "summary", labels("feed.report_summary"))


def new_since(found: list[Change], comparison: Any) -> list[Change]:
    """The changes the newest report does not contain yet: measures added since, and progress updates
    beyond those it froze (counted per measure and date; the latest of equal dates are the new ones)."""
    added = {change.id for change in comparison.collection("measures") if change.status == "added"}
    fresh: dict[str, Counter] = {change.id: Counter(change.new_updates) for change in comparison.collection("measures")}
    kept = []
    for change in sorted(found, key=lambda c: -c.position):  # the latest updates of one date first
        if change.kind == "added":
            if change.measure.id in added:
                kept.append(change)
        elif fresh.get(change.measure.id, Counter())[change.date] > 0:
            fresh[change.measure.id][change.date] -= 1
            kept.append(change)
    order = {id(change): position for position, change in enumerate(found)}
    return sorted(kept, key=lambda change: order[id(change)])


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element
