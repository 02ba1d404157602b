"""The whole concept after loading: all records, looked up by id, in a stable order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from klartext.model import (
    Actor, Choice, Concept, DecisionState, Event, Fact, FieldOfAction, Figure, Goal, Indicator, Measure,
    MeasureState, Project, Recommendation, SourceDocument, Term, TermRule,
)


@dataclass
class Where:
    """The place a record was written."""

    file: str
    line: int


@dataclass
class ConceptData:
    """Every record of the concept, merged from all data files."""

    concept: Concept
    projects: list[Project] = field(default_factory=list)
    field_states: list[Choice] = field(default_factory=list)
    measure_states: list[MeasureState] = field(default_factory=list)
    funding_states: list[Choice] = field(default_factory=list)
    actor_kinds: list[Choice] = field(default_factory=list)
    event_kinds: list[Choice] = field(default_factory=list)
    fields: list[FieldOfAction] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    glossary: list[Term] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    documents: list[SourceDocument] = field(default_factory=list)
    terminology: list[TermRule] = field(default_factory=list)
    decision_states: list[DecisionState] = field(default_factory=list)  # 16rec
    recommendations: list[Recommendation] = field(default_factory=list)  # 16rec
    where: dict[int, Where] = field(default_factory=dict, repr=False)
    """Where each record was written, keyed by ``id(record)``."""
    placeholders: list[tuple[Where, str]] = field(default_factory=list, repr=False)
    """Placeholders still in the German data (``[Bitte ausfüllen: …]``, ``…@stadt.example``), with where
    they are: the data-quality rule ``placeholder`` reports each (see :mod:`klartext.quality`)."""
    reports: list[Any] = field(default_factory=list, repr=False)
    """Status reports (snapshots) in ``data/reports/``, oldest first (see :mod:`klartext.reports`)."""
    broken: dict[str, set[str]] = field(default_factory=dict, repr=False)
    """Ids of the records that failed validation, by collection: set only in the partial concept a
    :class:`~klartext.problems.DataError` carries (the records here are the ones that passed)."""
    referred_by_broken: set[tuple[str, str]] = field(default_factory=set, repr=False)
    """``(collection, id)`` of the records a broken record refers to: a rule that counts referrers (a goal
    without indicator) must not fire for them, since the missing referrer may be the broken record.
    ``("*", "*")`` when a data file cannot be read at all (its references are unknown)."""

    def __post_init__(self) -> None:
        self.fields.sort(key=lambda item: item.number)
        self.events.sort(key=lambda item: item.date.last_day)  # "2023" after every dated event of 2023
        self.glossary.sort(key=lambda item: item.term.de.casefold())
        self.actors.sort(key=lambda item: item.name.de.casefold())
        self._index = {
            name: {record.id: record for record in getattr(self, name)}
            for name in ("projects", "field_states", "measure_states", "funding_states",
                         "actor_kinds", "event_kinds", "fields", "goals", "indicators",
                         "measures", "actors", "events", "glossary", "facts", "figures", "documents",
                         "terminology", "decision_states", "recommendations")
        }

    def get(self, collection: str, record_id: str | None) -> Any:
        """The record with ``record_id`` in ``collection``, or None."""
        return self._index[collection].get(record_id) if record_id else None

    def goals_of(self, field_id: str) -> list[Goal]:
        """Goals of a field, guiding goals first."""
        goals = [goal for goal in self.goals if goal.field == field_id]
        return sorted(goals, key=lambda goal: goal.kind != "leitziel")

    def measures_of(self, field_id: str) -> list[Measure]:
        """Measures of a field, in the order staff wrote them."""
        return [measure for measure in self.measures if measure.field == field_id]

    def measures_in(self, state_id: str) -> list[Measure]:
        """Measures in the state ``state_id``, in the order written."""
        return [measure for measure in self.measures if measure.state == state_id]

    def measures_for_goal(self, goal_id: str) -> list[Measure]:
        """Measures that serve a goal."""
        return [measure for measure in self.measures if goal_id in measure.goals]

    def indicators_of(self, goal_id: str) -> list[Indicator]:
        """Indicators that measure a goal."""
        return [indicator for indicator in self.indicators if indicator.goal == goal_id]

    def fields_of_actor(self, actor_id: str) -> list[FieldOfAction]:
        """Fields whose working group has this actor as a member."""
        return [
            item for item in self.fields
            if item.working_group and actor_id in item.working_group.members
        ]

    def measures_of_actor(self, actor_id: str) -> list[Measure]:
        """Measures this actor is responsible for or a partner of."""
        return [
            measure for measure in self.measures
            if measure.responsible == actor_id or actor_id in measure.partners
        ]

    def events_of(self, field_id: str) -> list[Event]:
        """Events of the participation process that dealt with a field."""
        return [event for event in self.events if field_id in event.fields]

    def cross_cutting(self) -> list[FieldOfAction]:
        """The cross-cutting fields (worked on inside every other field)."""
        return [item for item in self.fields if item.kind == "uebergreifend"]

    def measures_from_other_fields(self, field_id: str) -> list[Measure]:
        """Measures of other fields that serve a goal of this field (typical for cross-cutting fields)."""
        goal_ids = {goal.id for goal in self.goals_of(field_id)}
        return [
            measure for measure in self.measures
            if measure.field != field_id and field_id not in measure.further_fields
            and goal_ids.intersection(measure.goals)
        ]

    # 16ctx: measures in context (the logic lives in klartext.relations)
    def measures_listed_in(self, field_id: str) -> list[Measure]:
        """Measures of a field and, after them, those that name it under ``further_fields``."""
        return self.measures_of(field_id) + [m for m in self.measures if field_id in m.further_fields]

    @property
    def context(self) -> Any:
        """Relations, sub-measures and progress of the measures (:class:`klartext.relations.Context`)."""
        from klartext.relations import Context

        cached = getattr(self, "_context", None)
        if cached is None or cached.source is not self.measures or len(cached.measures) != len(self.measures):
            self._context = Context(self.measures)
        return self._context

    def path_states(self) -> list[MeasureState]:
        """The steps of a measure's path through the configured states, in their order: no stopped or
        failed state (kind ``gestoppt``) and no delayed one (a delayed measure stands at the first
        running step). The same on every measure page: worked out once (the list is shared, not a copy)."""
        return self._path()[0]

    def running_path_states(self) -> list[MeasureState]:
        """The steps of :meth:`path_states` of kind ``laufend`` (running), in their order."""
        return self._path()[1]

    def _path(self) -> tuple[list[MeasureState], list[MeasureState]]:
        states = tuple(self.measure_states)  # worked out again when the list of states changes
        cached = getattr(self, "_path_cache", None)
        if cached is None or cached[0] != states:  # the same states: equal at once (compared by identity first)
            steps = [state for state in self.measure_states
                     if state.kind != "gestoppt" and state.category_given != "verzoegert"]
            running = [state for state in steps if state.kind == "laufend"]
            cached = self._path_cache = (states, steps, running)
        return cached[1], cached[2]

    def links_of(self, measure: Measure) -> list[Any]:
        """Relations of a measure in both directions (:class:`klartext.relations.Link`)."""
        return self.context.links(measure)

    def sub_measures(self, measure_id: str) -> list[Measure]:
        """Sub-measures of a measure (those naming it as ``parent``)."""
        return self.context.children.get(measure_id, [])

    def progress_of(self, measure: Measure) -> Any:
        """Progress of a measure, its own or rolled up (:class:`klartext.relations.Rollup`)."""
        return self.context.rollup(measure)

    def measures_with_progress(self) -> set[str]:
        """Ids of the measures with a known progress (own or rolled up)."""
        context = self.context
        if getattr(context, "with_progress", None) is None:
            context.with_progress = {m.id for m in self.measures if context.rollup(m).percent is not None}
        return context.with_progress

    def any_with_progress(self, measures: list[Measure]) -> bool:
        """True when a measure of ``measures`` has a known progress (their table gets a progress column)."""
        with_progress = self.measures_with_progress()
        return any(measure.id in with_progress for measure in measures)

    def indicators_tracking(self, measure_id: str) -> list[Indicator]:
        """Indicators that show the progress of a measure (they name it under ``measures``)."""
        return [indicator for indicator in self.indicators if measure_id in indicator.measures]

    # 16rec
    def recommendations_of(self, field_id: str) -> list[Recommendation]:
        """Recommendations that belong to a field (also those of several fields), in the order written."""
        return [item for item in self.recommendations if field_id in item.fields]

    def recommendations_in(self, state_id: str) -> list[Recommendation]:
        """Recommendations whose decision is in the state ``state_id``."""
        return [item for item in self.recommendations if item.decision.state == state_id]

    def recommendations_implemented_by(self, measure: Measure) -> list[Recommendation]:
        """Recommendations a measure implements (``implements``), in the order of the recommendations."""
        return [item for item in self.recommendations if item.id in measure.implements]

    def measures_implementing(self, recommendation_id: str) -> list[Measure]:
        """Measures that implement a recommendation."""
        return [measure for measure in self.measures if recommendation_id in measure.implements]

    def last_change(self) -> dt.date:
        """The newest date of something that happened: the report, a progress update, the last
        review of the accessibility statement, a status report. Dates the site with its data, not with the build."""
        dates = [self.concept.date, self.concept.accessibility.reviewed]
        dates += [update.date for measure in self.measures for update in measure.updates]
        dates += [report.date for report in self.reports]  # 16rep: a status report's page
        return max(date.first_day for date in dates)
