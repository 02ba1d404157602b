"""Atom feed (RFC 4287) of progress updates and state changes, one per language.

Ids are tag URIs built from the measure id and the update's date and position, so they stay the same
from build to build; ``updated`` comes from the data, never from the clock.
"""

from __future__ import annotations

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
    found = changes(data)
    reports = getattr(data, "reports", None) or []
    if reports:  # 16rep: what is new since the newest report, and the reports themselves
        found = new_since(found, latest_comparison(data))
    dates = [change.date for change in found] + [report.date for report in reports]
    newest = max(dates, key=lambda d: d.first_day, default=data.concept.date)
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<feed xmlns="{ATOM}" xml:lang="{_attribute(language.tag)}">']
    _sub(out, 1, "id", f"{base}/feed/{language.code}")
    _sub(out, 1, "title", labels("feed.title", title=t(data.concept.title)))
    _sub(out, 1, "updated", _stamp(newest))
    out.append("  <author>")
    _sub(out, 2, "name", t(data.concept.office))
    out.append("  </author>")
    _sub(out, 1, "link", rel="self", href=feed_url, type="application/atom+xml")
    _sub(out, 1, "link", rel="alternate", href=link("index.md"), type="text/html")
    _sub(out, 1, "generator", "Klartext")
    entries = [(change.date, position, change) for position, change in enumerate(found)]
    entries += [(report.date, -1, report) for report in reports]
    for _, _, change in sorted(entries, key=lambda item: (-item[0].first_day.toordinal(), item[1])):
        if not isinstance(change, Change):
            _report_entry(out, change, base, labels, link)
            continue
        measure = change.measure
        out.append("  <entry>")
        _sub(out, 2, "id", entry_id(base, change))
        if change.kind == "added":
            title = labels("feed.added", title=t(measure.title))
        elif change.kind == "state":
            state = data.get("measure_states", change.update.state)
            title = labels("feed.state", title=t(measure.title), state=t(state.label))
        else:
            title = labels("feed.update", title=t(measure.title))
        _sub(out, 2, "title", title)
        _sub(out, 2, "updated", _stamp(change.date))
        _sub(out, 2, "link", rel="alternate", href=link(f"massnahmen/{measure.id}.md"), type="text/html")
        body = t(change.update.text) if change.update else t(measure.summary)
        _sub(out, 2, "summary", body)
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _report_entry(out: list[str], report: Any, base: str, labels: Labels, link: Callable[[str], str]) -> None:
    """The entry announcing a status report's page (16rep)."""
    out.append("  <entry>")
    _sub(out, 2, "id", f"{base}/bericht/{report.name}")
    _sub(out, 2, "title", labels("feed.report", title=report.title))
    _sub(out, 2, "updated", _stamp(report.date))
    _sub(out, 2, "link", rel="alternate", href=link(report_page(report.name)), type="text/html")
    _sub(out, 2, "summary", labels("feed.report_summary"))
    out.append("  </entry>")


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


def _sub(out: list[str], level: int, name: str, text: str | None = None, **attributes: str) -> None:
    """One line of the feed: an element at indentation ``level`` with ``text`` (an empty one without).

    The feed is written line by line, as ElementTree wrote the tree this module built before
    (``ET.indent``, then ``ET.tostring``: the same escaping, ``<name />`` for an element without
    text), in a third of the time (14fixed)."""
    pairs = "".join(f' {key}="{_attribute(value)}"' for key, value in attributes.items())
    if text:
        out.append(f"{'  ' * level}<{name}{pairs}>{_text(text)}</{name}>")
    else:
        out.append(f"{'  ' * level}<{name}{pairs} />")


def _text(text: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    return (_text(text).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))
