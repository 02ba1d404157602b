"""Atom feed (RFC 4287) of progress updates and state changes, one per language.

Ids are tag URIs built from the measure id and the update's date and position, so they stay the same
from build to build; ``updated`` comes from the data, never from the clock.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Callable

from klartext.concept import ConceptData
from klartext.controlling import Change, changes
from klartext.labels import Labels
from klartext.languages import Language
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
    newest = max((change.date for change in found), key=lambda d: d.first_day, default=data.concept.date)
    _sub(feed, "id", f"{base}/feed/{language.code}")
    _sub(feed, "title", labels("feed.title", title=t(data.concept.title)))
    _sub(feed, "updated", _stamp(newest))
    author = _sub(feed, "author")
    _sub(author, "name", t(data.concept.office))
    _sub(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=link("index.md"), type="text/html")
    _sub(feed, "generator", "Klartext")
    for change in found:
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


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element
