"""How fresh a page's content is: the newest date of the data behind it ("Stand").

Dates come from the data, never from the build's clock, so two builds of the same data stay
byte-identical; the reader's browser compares the date with its own clock (klartext.js) and shows a
notice when the content is older than ``controlling.notice_after_months``.
"""

from __future__ import annotations

from typing import Any

from klartext.concept import ConceptData
from klartext.model import Measure
from klartext.text import PartialDate


def of_measure(data: ConceptData, measure: Measure) -> PartialDate:
    """The report's date, or the newest progress update of the measure if that is later."""
    return _newest([data.concept.date, *(update.date for update in measure.updates)])


def of_field(data: ConceptData, field_id: str) -> PartialDate:
    """The newest date of the field's measures (the report's date at least)."""
    return _newest([data.concept.date, *(of_measure(data, measure) for measure in data.measures_of(field_id)),
                    *(item.decision.date for item in data.recommendations_of(field_id) if item.decision.date)])  # 16rec


def of_concept(data: ConceptData) -> PartialDate:
    """The newest date of the whole concept (pages that show all of it)."""
    return _newest([data.concept.date, *(of_measure(data, measure) for measure in data.measures),
                    *(item.decision.date for item in data.recommendations if item.decision.date)])  # 16rec


def of_recommendation(data: ConceptData, item: Any) -> PartialDate:  # 16rec
    """The report's date, the decision's date or the newest date of a measure implementing it."""
    return _newest([data.concept.date, *([item.decision.date] if item.decision.date else []),
                    *(of_measure(data, measure) for measure in data.measures_implementing(item.id))])


def _newest(dates: list[Any]) -> PartialDate:
    return max(dates, key=lambda date: date.last_day)
