"""Which generated pages a data edit changes: the dependency map of the fast preview.

Pure (no MkDocs): two loaded concepts in, the measures whose pages must be rendered again out. The
preview renders those measure pages and every page that is not a measure page (start page, fields,
overviews, dashboard, ...: they summarise many records), compares the result with the last build and
hands only the pages whose source changed to MkDocs.

The map knows one record kind: measures. An edit of anything else (a field, a goal, an actor, the
concept, a record kind this module has never heard of) gives ``None``: rebuild everything. A measure
page may show other measures (relations): a measure counts as changed for its neighbours too when
either of them names the other's id anywhere in its data.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from pydantic import BaseModel

from klartext.concept import ConceptData
from klartext.text import Text

PER_MEASURE = "measures"
"""The collection whose records each have a page of their own."""

IGNORED = frozenset({"where", "placeholders"})
"""Attributes of ConceptData that hold only where records were written: only the staff's overview
pages (data quality, translations) show them, and those are always rendered again."""


@dataclasses.dataclass
class Snapshot:
    """A comparable image of a loaded concept: everything but the places records were written."""

    others: dict[str, Any]
    """Every collection (and the concept) except the measures, by attribute name."""
    measures: dict[str, Any]
    """Each measure's image by id, in the order of the data."""
    mentions: dict[str, frozenset[str]]
    """The ids of other measures each measure names anywhere in its data."""
    parents: dict[str, str | None] = dataclasses.field(default_factory=dict)
    """Each measure's ``parent`` (16ctx): a sub-measure's progress counts on every page up its chain."""
    named: frozenset[str] = frozenset()
    """The ids of measures that records other than measures and indicators name anywhere in their data
    (e.g. a fact or an event that mentions one): such a measure may show on any field's page."""


def snapshot(data: ConceptData) -> Snapshot:
    measures = {record.id: canonical(record) for record in getattr(data, PER_MEASURE)}
    ids = frozenset(measures)
    others = {item.name: canonical(getattr(data, item.name)) for item in dataclasses.fields(data)
              if item.name not in IGNORED and item.name != PER_MEASURE}
    mentions = {record_id: frozenset(_strings(image) & ids) - {record_id} for record_id, image in measures.items()}
    parents = {record.id: getattr(record, "parent", None) for record in getattr(data, PER_MEASURE)}
    named = frozenset(_strings(tuple(image for name, image in others.items() if name != "indicators"))) & ids
    return Snapshot(others, measures, mentions, parents, named)


def measures_to_render(old: Snapshot, new: Snapshot) -> set[str] | None:
    """Ids of the measures whose pages may have changed from ``old`` to ``new``; None when something
    other than measures changed (or measures were added, removed or reordered): rebuild everything."""
    if old.others != new.others or list(old.measures) != list(new.measures):
        return None
    changed = {record_id for record_id, image in new.measures.items() if old.measures[record_id] != image}
    wanted = set(changed)
    for record_id in new.measures:
        if (old.mentions[record_id] | new.mentions[record_id]) & changed:
            wanted.add(record_id)  # it shows a changed measure (e.g. as related measure)
    for record_id in changed:
        wanted |= old.mentions[record_id] | new.mentions[record_id]  # shown on the changed one's page
        for parents in (old.parents, new.parents):  # its progress rolls up to every measure above it
            above, seen = parents.get(record_id), set()
            while above is not None and above not in seen:
                seen.add(above)
                wanted.add(above)
                above = parents.get(above)
    return wanted


def fields_to_render(old: ConceptData, new: ConceptData, measures: set[str], image: Snapshot) -> set[str] | None:
    """Ids of the fields whose pages may show one of ``measures`` (the result of
    :func:`measures_to_render`, an edit that changed measures only), before or after the edit; None:
    every field's page. A field's page lists the measures of the field and those that name it under
    ``further_fields``, the measures serving its goals, its goals' indicators with the measures they
    name, and its recommendations with the measures implementing them."""
    if measures & image.named:
        return None  # named by a record whose pages this map does not know
    wanted: set[str] = set()
    for data in (old, new):
        goals = {goal.id: goal.field for goal in data.goals}
        recommendations = {item.id: item.fields for item in getattr(data, "recommendations", [])}
        for record in data.measures:
            if record.id in measures:
                wanted.add(record.field)
                wanted.update(record.further_fields)
                wanted.update(goals.get(goal, record.field) for goal in record.goals)
                for recommendation in getattr(record, "implements", []):
                    wanted.update(recommendations.get(recommendation, ()))
        for indicator in data.indicators:
            if measures.intersection(indicator.measures):
                wanted.add(goals.get(indicator.goal, ""))
    return wanted


def canonical(value: Any) -> Any:
    """A hashable image of ``value`` that compares by content. Texts compare by their words and
    translations (with source fingerprint and machine flag), not by the file and line they come
    from. A type not known here compares as Python compares it (at worst: always changed)."""
    if isinstance(value, Text):
        return (type(value).__name__, value.de, tuple(sorted(
            (code, item.text, item.source, item.machine) for code, item in value.translations.items())))
    if isinstance(value, BaseModel):
        return (type(value).__name__,
                tuple((name, canonical(getattr(value, name, None))) for name in type(value).model_fields),
                canonical(value.__pydantic_extra__ or {}))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(canonical(item) for item in value))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(canonical(item) for item in value))
    if isinstance(value, dict):
        return ("dict", tuple((canonical(key), canonical(item)) for key, item in value.items()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                tuple((item.name, canonical(getattr(value, item.name))) for item in dataclasses.fields(value)))
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    try:
        hash(value)
    except TypeError:
        return ("object", next(_UNEQUAL))  # unknown and unhashable: never equal to another load's
    return value


_UNEQUAL = itertools.count()


def _strings(image: Any) -> set[str]:
    """Every text leaf of a canonical image."""
    found: set[str] = set()
    stack = [image]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, (tuple, frozenset)):
            stack.extend(item)
    return found
