"""Progress of an indicator towards its target, classified at build time.

The method is Open SDG's progress measure (sdg-build, after Statistics Canada): the compound annual
growth from the base to the latest value, compared with the growth needed to reach the target in its
year (with a target), or on its own (without one). Direction decides what counts as progress.

Classes (``Progress.status``):
- ``achieved``: the latest value meets the target (higher/lower is better);
- ``on_track``: observed growth is at least 95 % of the growth needed;
- ``some_progress``: it moves the right way, but slower (without a target: any growth the right way);
- ``no_progress``: no change, or it moves away from the target;
- ``no_data``: nothing measured after the base, or the numbers cannot be compared (different signs).
"""

from __future__ import annotations

from dataclasses import dataclass

from klartext.model import Indicator

STATUSES = ("achieved", "on_track", "some_progress", "no_progress", "no_data")
ICONS = {"achieved": "material/flag-checkered", "on_track": "material/check-circle-outline",
         "some_progress": "material/progress-clock", "no_progress": "material/alert-circle-outline",
         "no_data": "material/help-circle-outline"}
"""Icon of each class (the class is always written beside it, never shown by the icon alone)."""
ON_TRACK = 0.95
"""Share of the needed growth from which an indicator is on track (Open SDG's "substantial progress")."""
_ZERO = 0.001
"""Open SDG replaces a base or target of zero by this, so that growth rates exist."""


@dataclass(frozen=True)
class Progress:
    """The classification of one indicator and the numbers it was computed from."""

    status: str
    base: tuple[int, float] | None = None
    """(year, value) the growth is measured from: the baseline, else the first measured value."""
    latest: tuple[int, float] | None = None
    """(year, value) of the latest measured value."""
    ratio: float | None = None
    """Observed growth / needed growth (with a target) or observed growth (without), in the good direction."""


def lower_is_better(indicator: Indicator) -> bool:
    return indicator.direction == "niedriger-ist-besser"


def classify(indicator: Indicator) -> Progress:
    """Classify ``indicator`` (see the module's docstring)."""
    measured = sorted(indicator.values, key=lambda item: item.date.first_day)
    if not measured:
        return Progress("no_data")
    latest = (measured[-1].date.year, float(measured[-1].value))
    if indicator.baseline is not None:
        base = (indicator.baseline.year, float(indicator.baseline.value))
    else:
        base = (measured[0].date.year, float(measured[0].value))
    sign = -1.0 if lower_is_better(indicator) else 1.0
    target = indicator.target
    if target is not None and sign * (latest[1] - float(target.value)) >= 0:
        return Progress("achieved", base, latest)
    observed = _growth(latest[1], base[1], latest[0] - base[0])
    if observed is None:
        return Progress("no_data", base, latest)
    negative_base = -1.0 if base[1] < 0 else 1.0
    if target is None:
        ratio = negative_base * sign * observed
        return Progress("some_progress" if ratio > 0 else "no_progress", base, latest, ratio)
    needed = _growth(float(target.value), base[1], target.year - base[0])
    if not needed:
        return Progress("no_data", base, latest)
    ratio = negative_base * sign * observed / abs(needed)
    if ratio >= ON_TRACK:
        status = "on_track"
    elif ratio > 0:
        status = "some_progress"
    else:
        status = "no_progress"
    return Progress(status, base, latest, ratio)


def _growth(value: float, base: float, years: int) -> float | None:
    """Compound annual growth rate from ``base`` to ``value`` over ``years``; None when undefined."""
    if years < 1:
        return None
    value, base = value or _ZERO, base or _ZERO
    if (value < 0) != (base < 0):
        return None
    return (value / base) ** (1 / years) - 1
