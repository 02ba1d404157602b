"""Charts computed at build time: bar geometry only. All text (labels, values, axis) is HTML in the
templates, because WeasyPrint renders Arabic inside SVG ``<text>`` wrongly; the SVG is decoration
(``aria-hidden``) next to a real table with the same numbers.

Coordinates are in a 0..100 box; for right-to-left pages the bars grow from the right.
"""

from __future__ import annotations

from dataclasses import dataclass

from klartext.model import Indicator
from klartext.progress import ICONS as PROGRESS_ICONS  # noqa: F401 (templates: charts.PROGRESS_ICONS)
from klartext.progress import classify as progress  # noqa: F401 (templates: charts.progress(indicator))
from klartext.text import PartialDate


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart."""

    kind: str
    """``baseline``, ``value`` or ``target`` (styled differently: pattern and text, not colour alone)."""
    value: float
    x: float
    """Left edge of the bar in the 0..100 box."""
    width: float
    date: PartialDate | None = None
    """Date of a measured value."""
    year: int | None = None
    """Year of a baseline or target."""
    note: object = None
    n: int | None = None
    """Number of cases behind a measured value."""


@dataclass(frozen=True)
class IndicatorChart:
    """Bars for baseline, measured values (by date) and target, plus the target line, on a scale that
    starts at zero and is drawn with its numbers (0, middle, end): bars of different indicators can be
    compared by eye, and a percentage always runs from 0 to 100."""

    bars: list[Bar]
    target_x: float | None
    """Position of the target marker in the 0..100 box, None without a target."""
    maximum: float
    """Value at the end of the scale."""
    percent: bool = False
    """True when the unit is a percentage (scale 0..100)."""
    measured: bool = True
    """False when there is no measured value yet (only baseline and/or target)."""

    @property
    def ticks(self) -> tuple[float, float, float]:
        """The numbers written under the scale: start, middle, end."""
        return (0.0, self.maximum / 2, self.maximum)


PERCENT_UNITS = frozenset({"%", "prozent", "in prozent", "anteil in prozent"})
"""German units that make an indicator a percentage (scale 0..100)."""


def is_percent_unit(unit: object) -> bool:
    """True for a unit (a Text or None) that is a percentage."""
    return unit is not None and unit.de.strip().lower() in PERCENT_UNITS  # type: ignore[attr-defined]


def is_percent(indicator: Indicator) -> bool:
    return is_percent_unit(indicator.unit)


def scale_maximum(values: list[float]) -> float:
    """The end of the scale: the largest value rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    top = max([abs(value) for value in values] + [0.0])
    if top == 0:
        return 1.0
    power = 10 ** (len(str(int(top))) - 1) if top >= 1 else 10 ** -1
    while power > top:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= top:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def indicator_chart(indicator: Indicator, rtl: bool = False) -> IndicatorChart | None:
    """The chart of an indicator, or None when it has no numbers at all."""
    rows: list[tuple[str, float, PartialDate | None, int | None, object, int | None]] = []
    if indicator.baseline:
        rows.append(("baseline", indicator.baseline.value, None, indicator.baseline.year, None, None))
    for value in sorted(indicator.values, key=lambda item: item.date.first_day):
        rows.append(("value", value.value, value.date, None, value.note, value.n))
    if indicator.target:
        rows.append(("target", indicator.target.value, None, indicator.target.year, None, None))
    if not rows:
        return None
    percent = is_percent(indicator)
    largest = scale_maximum([row[1] for row in rows])
    maximum = max(100.0, largest) if percent else largest
    bars = []
    for kind, value, date, year, note, n in rows:
        width = round(max(value, 0) / maximum * 100, 2)
        bars.append(Bar(kind, value, round(100 - width, 2) if rtl else 0.0, width, date, year, note, n))
    target_x = None
    if indicator.target:
        position = round(max(indicator.target.value, 0) / maximum * 100, 2)
        target_x = round(100 - position, 2) if rtl else position
    return IndicatorChart(bars, target_x, maximum, percent, bool(indicator.values))


@dataclass(frozen=True)
class Segment:
    """One segment of a bar in a figure."""

    series: int
    """Position of the series (styles ``kt-fig-seg--0``, ``--1``, ...)."""
    value: float
    x: float
    width: float


@dataclass(frozen=True)
class FigureRow:
    """One bar of a figure: its category, segments and total."""

    category: int
    segments: list[Segment]
    total: float


def figure_chart(figure: object, rtl: bool = False) -> list[FigureRow]:
    """Bars of a ``bar`` or ``stacked-bar`` figure on a common scale (the largest total)."""
    totals = [sum(series.values[position] for series in figure.series)  # type: ignore[attr-defined]
              for position in range(len(figure.categories))]  # type: ignore[attr-defined]
    maximum = scale_maximum(totals)
    rows = []
    for position, total in enumerate(totals):
        segments, start = [], 0.0
        for number, series in enumerate(figure.series):  # type: ignore[attr-defined]
            width = round(series.values[position] / maximum * 100, 2)
            x = round(100 - start - width, 2) if rtl else round(start, 2)
            segments.append(Segment(number, series.values[position], x, width))
            start += width
        rows.append(FigureRow(position, segments, total))
    return rows


@dataclass(frozen=True)
class GroupedBar:
    """One bar of a group: one series' value in one category."""

    series: int
    value: float
    x: float
    width: float


@dataclass(frozen=True)
class GroupedChart:
    """A ``grouped-bar`` figure: per category one bar of each series, on one scale that starts at zero
    (a percentage always runs from 0 to 100)."""

    groups: list[list[GroupedBar]]
    """One list of bars per category, in the order of ``categories``."""
    maximum: float
    percent: bool

    @property
    def ticks(self) -> tuple[float, float, float]:
        return (0.0, self.maximum / 2, self.maximum)


def grouped_chart(figure: object, rtl: bool = False) -> GroupedChart:
    """Bars of a ``grouped-bar`` figure; on right-to-left pages they grow from the right."""
    values = [value for series in figure.series for value in series.values]  # type: ignore[attr-defined]
    percent = is_percent_unit(figure.unit)  # type: ignore[attr-defined]
    maximum = max(100.0, scale_maximum(values)) if percent else scale_maximum(values)
    groups = []
    for position in range(len(figure.categories)):  # type: ignore[attr-defined]
        bars = []
        for number, series in enumerate(figure.series):  # type: ignore[attr-defined]
            value = series.values[position]
            width = round(max(value, 0) / maximum * 100, 2)
            bars.append(GroupedBar(number, value, round(100 - width, 2) if rtl else 0.0, width))
        groups.append(bars)
    return GroupedChart(groups, maximum, percent)


@dataclass(frozen=True)
class LikertSegment:
    """One answer's part of a diverging bar."""

    series: int
    side: str
    """``negativ``, ``neutral`` (split in half across the centre line) or ``positiv``."""
    value: float
    x: float
    width: float
    shade: int
    """0 next to the centre line, growing outwards (stronger colour for the answers further out)."""


@dataclass(frozen=True)
class LikertRow:
    """One diverging bar: its category, its segments, the sums of each side and „keine Angabe“ apart."""

    category: int
    segments: list[LikertSegment]
    negative: float
    neutral: float | None
    positive: float
    no_answer: list[tuple[int, float]]
    """(series, value) of the answers counted to neither side."""


@dataclass(frozen=True)
class LikertChart:
    """A ``likert`` figure: bars diverging from a centre line at 50 in the 0..100 box; negative answers
    extend towards the start of the line (left, or right on right-to-left pages), positive ones towards its
    end. The scale runs from ``maximum`` through 0 (the centre) to ``maximum``."""

    rows: list[LikertRow]
    maximum: float
    negative_left: bool

    @property
    def ticks(self) -> tuple[float, float, float]:
        return (self.maximum, 0.0, self.maximum)


def likert_chart(figure: object, rtl: bool = False) -> LikertChart:
    """Diverging bars of a ``likert`` figure (its series ordered from the most negative answer to the most
    positive, each with its ``side``). A neutral middle is split in half across the centre line."""
    series_list = list(figure.series)  # type: ignore[attr-defined]

    def parts(position: int, side: str) -> list[tuple[int, float]]:
        return [(number, series.values[position]) for number, series in enumerate(series_list)
                if series.side == side]

    extents = []
    for position in range(len(figure.categories)):  # type: ignore[attr-defined]
        neutral = sum(value for _, value in parts(position, "neutral")) / 2
        extents.append(sum(value for _, value in parts(position, "negativ")) + neutral)
        extents.append(sum(value for _, value in parts(position, "positiv")) + neutral)
    maximum = min(scale_maximum(extents), 100.0)
    half = 50 / maximum  # box units per percentage point on each side of the centre

    def place(start: float, length: float, towards_start: bool) -> float:
        """Left edge in the box of a piece ``start``..``start+length`` away from the centre."""
        return round(50 - (start + length) * half, 2) if towards_start else round(50 + start * half, 2)

    negative_left = not rtl
    rows = []
    for position in range(len(figure.categories)):  # type: ignore[attr-defined]
        negative, positive = parts(position, "negativ"), parts(position, "positiv")
        neutral = parts(position, "neutral")
        segments = []
        offset = 0.0
        if neutral:
            number, value = neutral[0]
            segments.append(LikertSegment(number, "neutral", value, place(0, value / 2, True),
                                          round(value * half, 2), 0))
            offset = value / 2
        start = offset
        for shade, (number, value) in enumerate(reversed(negative)):  # from the centre outwards
            segments.append(LikertSegment(number, "negativ", value, place(start, value, negative_left),
                                          round(value * half, 2), shade))
            start += value
        start = offset
        for shade, (number, value) in enumerate(positive):
            segments.append(LikertSegment(number, "positiv", value, place(start, value, not negative_left),
                                          round(value * half, 2), shade))
            start += value
        rows.append(LikertRow(position, sorted(segments, key=lambda segment: segment.series),
                              sum(value for _, value in negative), neutral[0][1] if neutral else None,
                              sum(value for _, value in positive), parts(position, "keine-angabe")))
    return LikertChart(rows, maximum, negative_left)
