"""The concept's types, as staff write them in ``data/*.yml``.

Every class forbids unknown keys, so a typo in a key becomes a message instead of lost data.
Texts a citizen reads are :class:`Text` (German source; translations are attached later from
``data/translations/<lang>.yml``). Cross-references are plain ids, checked in ``validation``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from klartext.text import Name, PartialDate, Text

MAX_ID = 80
"""Longest id: ids become file and folder names (``massnahmen/<id>/index.html``), which most file
systems limit to 255 bytes; 80 characters also keep addresses readable."""

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=MAX_ID)]
"""Identifier of a record: lower-case letters, digits and single hyphens."""

Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$")]
"""Web address starting with http:// or https://."""

Email = Annotated[str, StringConstraints(pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[a-zA-Z]{2,}$")]
"""E-mail address."""

LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
"""ISO 639 language code such as ``de``, ``ar`` or ``uk``."""

LIMIT = 1e15
"""Numbers stay below a billiard (10^15): beyond, formats lose digits and no figure of a city's
concept is that large."""

Amount = Annotated[float, Field(ge=0, lt=LIMIT)]
"""An amount of money in euro; never negative."""

Number = Annotated[float, Field(gt=-LIMIT, lt=LIMIT)]
"""A measured or target value: finite and below :data:`LIMIT` in size."""


class Record(BaseModel):
    """Base of every data record: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=False, allow_inf_nan=False)


class Provenance(Record):
    """Where a record's statements come from: a passage of a listed document, or the team's
    assumption or placeholder that the city still has to confirm or fill in."""

    document: Id | None = None
    """The source document (id from ``documents``); required for ``zitiert`` and ``abgeleitet``."""
    chapter: Annotated[str, StringConstraints(pattern=r"^[0-9]+(?:\.[0-9]+)*$")] | None = None
    """Chapter or section number in the document, e.g. ``4.1``."""
    page: Annotated[int, Field(ge=1, lt=LIMIT)] | None = None
    """Page in the document (checked against the document's ``pages`` when known)."""
    section: Text | None = None
    """Other place in the document when there is no number, e.g. "Abbildung 4"."""
    kind: Literal["zitiert", "abgeleitet", "annahme", "platzhalter"] = "zitiert"
    """``zitiert``: the document says so (in our words); ``abgeleitet``: the team concluded it from the
    document; ``annahme``: the team's assumption, to be confirmed by the city; ``platzhalter``:
    the information is missing and stands in for the city's answer."""
    question: Text | None = None
    """For ``annahme`` and ``platzhalter``: the question the city must answer (shown to readers)."""


Sources = list[Provenance]
"""The ``provenance`` of a record: one or more places its statements come from."""


class Choice(Record):
    """One entry of a configurable list (a state, a kind of actor, ...)."""

    id: Id
    """Identifier used in the data, e.g. ``in-umsetzung``."""
    label: Text
    """Name shown to readers."""
    icon: str = "material/circle-outline"
    """Icon from Material's icon set, shown beside the label (never alone)."""
    description: Text | None = None
    """Optional explanation shown in legends."""


STATE_CATEGORIES = ("nicht-begonnen", "laufend", "verzoegert", "abgeschlossen", "gescheitert", "gestoppt")
"""What a measure's state means for controlling: only running measures can be overdue or without report.
``verzoegert`` (delayed) counts as running, ``gescheitert`` (failed) as stopped; a measure in a delayed,
failed or stopped state needs a ``state_reason`` (data-quality rule ``state_without_reason``)."""
REASON_CATEGORIES = ("verzoegert", "gescheitert", "gestoppt")
"""Categories whose measures must say why (``state_reason``)."""
DEFAULT_CATEGORIES = {"idee": "nicht-begonnen", "geplant": "nicht-begonnen", "in-umsetzung": "laufend",
                      "umgesetzt": "abgeschlossen", "pausiert": "gestoppt", "verworfen": "gestoppt",
                      "verzoegert": "verzoegert", "gescheitert": "gescheitert"}
"""Category of the example's state ids when the data names none (any other state counts as running)."""


class MeasureState(Choice):
    """A state of measures, with what it means for controlling."""

    category: Literal["nicht-begonnen", "laufend", "verzoegert", "abgeschlossen", "gescheitert",
                      "gestoppt"] | None = None
    """``nicht-begonnen``, ``laufend``, ``verzoegert`` (delayed, still running), ``abgeschlossen``,
    ``gescheitert`` (failed) or ``gestoppt``; without it the usual category of the id (idee/geplant: nicht
    begonnen, umgesetzt: abgeschlossen, pausiert/verworfen: gestoppt, verzoegert, gescheitert), else laufend."""

    @property
    def kind(self) -> str:
        """The category for controlling: ``verzoegert`` counts as ``laufend``, ``gescheitert`` as ``gestoppt``."""
        return {"verzoegert": "laufend", "gescheitert": "gestoppt"}.get(self.category_given, self.category_given)

    @property
    def category_given(self) -> str:
        """The category as written or derived from the id, including ``verzoegert`` and ``gescheitert``."""
        return self.category or DEFAULT_CATEGORIES.get(self.id, "laufend")

    @property
    def needs_reason(self) -> bool:
        """True for delayed, failed and stopped states: measures in them must say why."""
        return self.category_given in REASON_CATEGORIES


class Contact(Record):
    """How citizens reach the team."""

    email: Email
    """Team mailbox."""
    web: Url | None = None
    """Web page of the team or the concept."""
    phone: str | None = None
    """Phone number as it should be shown."""
    address: Name | None = None
    """Postal address or office location (a name: shown as it is in every language)."""
    hours: Text | None = None
    """When the team can be reached or visited, e.g. "Dienstag 9–12 Uhr und nach Vereinbarung"."""


class Impressum(Record):
    """Who publishes the site (Impressum, § 5 DDG and § 18 MStV), required for German public bodies:
    either a link to the city's own Impressum page, or the details themselves."""

    link: Url | None = None
    """The city's own Impressum page, if the site should link there instead of listing the details."""
    provider: Name | None = None
    """Who offers the site, e.g. "Stadt Musterstadt" (a name)."""
    represented_by: Name | None = None
    """Who represents the provider, e.g. "Bürgermeisterin Erika Muster"."""
    address: Name | None = None
    """Postal address of the provider (shown as it is in every language)."""
    email: Email | None = None
    """E-mail address of the provider."""
    phone: str | None = None
    """Phone number as it should be shown."""
    responsible: Name | None = None
    """Responsible for the content (§ 18 Abs. 2 MStV): name and address (a name)."""
    vat_id: str | None = None
    """VAT identification number, if the provider has one."""

    @model_validator(mode="after")
    def _link_or_details(self) -> Impressum:
        missing = [key for key in ("provider", "address", "email", "responsible") if getattr(self, key) is None]
        if self.link is None and missing:
            raise PydanticCustomError(
                "kt_message", "Im Impressum fehlen {missing}. Bitte ergänzen oder mit „link:“ auf das "
                "Impressum der Stadt verweisen.", {"missing": ", ".join(f"„{key}“" for key in missing)})
        return self


class Person(Record):
    """A member of the project group."""

    name: Name
    """Full name (a name: shown as it is, with its own language, in every language)."""
    role: Text
    """Role in the process."""


class Authority(Record):
    """A public body citizens can turn to (arbitration, data protection supervision)."""

    name: Name
    """Name of the body (shown as it is in every language unless translated)."""
    description: Text | None = None
    """What it does for the reader and when to turn to it."""
    address: Name | None = None
    """Postal address (shown as it is in every language)."""
    email: Email | None = None
    """E-mail address."""
    phone: str | None = None
    """Phone number as it should be shown."""
    web: Url | None = None
    """Web page."""
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class Barrier(Record):
    """A part of the site that is not (yet) accessible."""

    content: Text
    """What is not accessible, e.g. "Es gibt noch kein Video in Gebärdensprache"."""
    reason: Text
    """Why (e.g. disproportionate burden, not yet done)."""
    alternative: Text | None = None
    """How readers get the information anyway."""


class AccessibilityStatement(Record):
    """Erklärung zur Barrierefreiheit (BITV 2.0 / EU directive 2016/2102), linked from every page."""

    scope: Text
    """Which website this statement covers and who is responsible for it."""
    status: Literal["voll", "teilweise", "nicht"]
    """Conformance with WCAG 2.1 AA / BITV 2.0: ``voll``, ``teilweise`` or ``nicht`` (vereinbar)."""
    barriers: list[Barrier] = []
    """Known barriers with reasons and alternatives."""
    method: Text
    """How the statement was made (self-assessment, tests used, external audit)."""
    created: PartialDate
    """When the statement was made."""
    reviewed: PartialDate
    """When it was last reviewed."""
    feedback: Contact
    """Where readers report barriers or ask for content in an accessible form."""
    enforcement: Authority
    """Arbitration / enforcement body (Schlichtungsstelle, Durchsetzungsverfahren)."""
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class PrivacyStatement(Record):
    """Datenschutzerklärung: the city's part. What the site itself does (no cookies, no tracking,
    no third-party requests) is stated by Klartext, because Klartext guarantees it."""

    controller: Name
    """The responsible body (Verantwortliche Stelle) with its address (a name)."""
    contact: Contact
    """How to reach the responsible body about data protection."""
    officer: Text | None = None
    """The data protection officer and how to reach them."""
    hosting: Text
    """What the city's web server records when a page is opened, why, and for how long."""
    authority: Authority
    """The data protection supervisory authority."""
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class SignLanguageVideo(Record):
    """A self-hosted video in German Sign Language (DGS) for the start page."""

    file: str
    """Video file inside docs/, e.g. ``assets/dgs/start.mp4`` (shown and offered for download)."""
    duration: Annotated[str, StringConstraints(pattern=r"^\d{1,2}:\d{2}$")]
    """Length as minutes:seconds, e.g. ``3:20``."""
    title: Text
    """What the video explains."""
    captions: str | None = None
    """Optional subtitles (WebVTT file inside docs/)."""
    poster: str | None = None
    """Optional still image inside docs/ shown before the video starts."""


TermForms = dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")],
                  Annotated[str, StringConstraints(min_length=1, pattern=r"^[^{}<>]+$")]]
"""The grammatical forms of a term, e.g. ``{singular: Empfehlung, plural: Empfehlungen}``."""


class Terms(Record):
    """The city's own words instead of the defaults „Integrationskonzept“, „Maßnahme“, „Projektgruppe“.

    Each is given as the forms the labels need (see the staff guide); translations give the forms
    of each language in ``concept.terms`` of ``data/translations/<lang>.yml``."""

    concept: TermForms | None = None
    """Kind of concept, e.g. ``singular: Lokaler Integrationsplan`` (default: Integrationskonzept)."""
    measure: TermForms | None = None
    """Name of the measures, e.g. ``singular: Empfehlung``, ``plural: Empfehlungen`` (default: Maßnahme)."""
    steering_body: TermForms | None = None
    """Group that organises the process, e.g. ``singular: Projektgruppe`` (default: Projektgruppe,
    named only when ``project_group`` lists people or this is set)."""


class Concept(Record):
    """The concept as a whole: title, stage, who is responsible."""

    title: Text
    """Title, e.g. "Integrationskonzept der Stadt Lehrte"."""
    city: Name
    """Name of the municipality (a name: shown as it is unless translated)."""
    stage: Text
    """Reporting stage, e.g. "2. Sachstandsbericht"."""
    date: PartialDate
    """Date of this stage."""
    office: Name
    """Responsible office."""
    intro: Text
    """What the concept is: the start page's opening text."""
    contact: Contact
    """Contact for questions."""
    logo: str | None = None
    """Logo for the PDF cover: a file inside docs/ such as ``assets/logo.svg``."""
    project_group: list[Person] = []
    """People who organise the process."""
    reported_to: list[Name] = []
    """Bodies that receive the reports (committees, steering groups)."""
    easy_read: str
    """Short explanation of the site in Leichte Sprache for the German start page: what the concept
    is, how to find your way, where to report barriers. Written directly in Leichte Sprache."""
    sign_language_video: SignLanguageVideo | None = None
    """Optional video in German Sign Language on the start page."""
    accessibility: AccessibilityStatement
    """The accessibility statement."""
    privacy: PrivacyStatement
    """The privacy statement."""
    impressum: Impressum
    """Who publishes the site (Impressum page, linked from every footer)."""
    terms: Terms | None = None
    """The city's own words for the concept's kind, its measures and its steering body."""

    _city_terms: object = PrivateAttr(default=None)

    @property
    def city_terms(self) -> object:
        """The terms with their translations (a :class:`klartext.terms.CityTerms`, set when loading)."""
        return self._city_terms


class Project(Record):
    """One of the concept's projects, e.g. "Stadtgesellschaft"."""

    id: Id
    title: Text
    description: Text | None = None
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class WorkingGroup(Record):
    """The working group of a field."""

    name: Name | None = None
    """Name, if the group has one of its own."""
    coordinator: Name
    """Who coordinates and moderates (a name of a person or organisation)."""
    members: list[Id] = []
    """Member organisations (actor ids)."""
    note: Text | None = None
    """Anything else readers should know about the group."""


class FieldOfAction(Record):
    """A Handlungsfeld."""

    id: Id
    number: Annotated[int, Field(ge=1, le=999)]
    title: Text
    kind: Literal["thematisch", "uebergreifend"]
    """``thematisch`` for a field of its own, ``uebergreifend`` for a cross-cutting one."""
    project: Id
    state: Id
    """State of work (id from ``field_states``)."""
    summary: Text
    """One or two sentences for the card on the start page."""
    description: Text | None = None
    focus_topics: list[Text] = []
    """Themenschwerpunkte."""
    working_group: WorkingGroup | None = None
    challenges: list[Text] = []
    """Challenges named by the working group."""
    pictogram: str | None = None
    """Picture beside the field on Leichte Sprache pages: a built-in pictogram (see
    :data:`klartext.pictograms.BUILT_IN`) or an SVG/PNG file below docs/ (``bilder/kita.svg``).
    Default: the built-in pictogram named like the field's id, else ``thema``."""
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class Goal(Record):
    """A Leitziel (guiding goal) or Ziel (goal) of a field."""

    id: Id
    field: Id
    kind: Literal["leitziel", "ziel"]
    title: Text
    description: Text | None = None
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class Measurement(Record):
    """A value of an indicator at a point in time."""

    date: PartialDate
    """When the value was measured (year, month or day)."""
    value: Number
    """The measured value, in the indicator's unit."""
    note: Text | None = None
    """Optional remark on this value (e.g. a change in how it was counted)."""
    n: Annotated[int, Field(ge=0)] | None = None
    """Number of cases or respondents behind this value."""


class Target(Record):
    """A value with the year it refers to."""

    value: Number
    year: Annotated[int, Field(ge=1900, le=2100)]


class Indicator(Record):
    """How progress towards a goal is measured."""

    id: Id
    goal: Id
    """The goal it measures (goal id)."""
    title: Text
    unit: Text | None = None
    """Unit of every value, e.g. "Prozent" or "Teilnehmende" (data-quality rule when missing)."""
    baseline: Target | None = None
    """Starting value and the year it refers to."""
    target: Target | None = None
    """Target value and the year by which it should be reached."""
    values: list[Measurement] = []
    """Measured values over time, in any order (shown sorted by date)."""
    source: Text | None = None
    """Where the numbers come from."""
    owner: Id | None = None
    """Organisation responsible for the numbers (actor id)."""
    direction: Literal["hoeher-ist-besser", "niedriger-ist-besser"] = "hoeher-ist-besser"
    """Whether a higher or a lower value means progress (wording, chart, progress classification)."""
    measures: list[Id] = []
    """Measures whose progress this indicator shows (measure ids; shown on both pages)."""
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class YearAmount(Record):
    """An amount planned for one year."""

    year: Annotated[int, Field(ge=1900, le=2100)]
    amount: Amount


class Budget(Record):
    """What a measure costs and how it is funded."""

    per_year: Amount | None = None
    """Running cost per year in euro."""
    one_off: Amount | None = None
    """One-off cost in euro."""
    years: list[YearAmount] = []
    """Amounts for particular years (e.g. a cheaper start year)."""
    approximate: bool = False
    """True when the amounts are estimates ("ca.")."""
    funding: Id | None = None
    """Funding state (id from ``funding_states``)."""
    note: Text | None = None


class Milestone(Record):
    """A dated step of a measure's schedule."""

    date: PartialDate
    title: Text
    done: bool = False
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class Schedule(Record):
    """When a measure runs: as planned (``start``, ``end``) and as it actually went."""

    start: PartialDate | None = None
    """Planned start."""
    end: PartialDate | None = None
    """Planned end."""
    actual_start: PartialDate | None = None
    """When the measure actually started (shown beside the planned start)."""
    actual_end: PartialDate | None = None
    """When the measure actually ended (shown beside the planned end)."""
    milestones: list[Milestone] = []


class Formats(Record):
    """In which forms an offer is made."""

    languages: list[LangCode] = []
    """Languages the offer is made in."""
    plain_language: bool = False
    """Offered in Leichte Sprache / plain language."""
    barrier_free: bool = False
    """Offered barrier-free."""


class Update(Record):
    """A dated progress report on a measure."""

    date: PartialDate
    text: Text
    state: Id | None = None
    """The state the measure moved to with this update (id from ``measure_states``), if it changed."""
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class Measure(Record):
    """A Maßnahme: what will be done, by whom, with what, until when."""

    id: Id
    field: Id
    goals: list[Id] = []
    """Goals this measure serves (at least one)."""
    title: Text
    summary: Text
    """Short summary; its Leichte Sprache version is the ``ls`` translation."""
    description: Text | None = None
    state: Id
    responsible: Id | None = None
    """Responsible organisation (actor id)."""
    partners: list[Id] = []
    budget: Budget | None = None
    schedule: Schedule | None = None
    target_groups: list[Text] = []
    formats: Formats | None = None
    updates: list[Update] = []
    added: PartialDate | None = None
    """When the measure was added to the concept (for "changes since the last status report")."""
    # 16ctx: the measure in context
    further_fields: list[Id] = []
    """Further fields the measure belongs to besides its own (``field``); it is listed there too."""
    depends_on: list[Id] = []
    """Measures that must be done (or far enough) before this one can go on (measure ids)."""
    related: list[Id] = []
    """Measures that belong together with this one (measure ids; shown on both pages)."""
    replaces: list[Id] = []
    """Measures this one replaces (measure ids; they show "ersetzt durch" this one)."""
    state_reason: Text | None = None
    """Why the measure is delayed, failed or stopped (required for such states by a data-quality rule)."""
    progress: Annotated[int, Field(ge=0, le=100)] | None = None
    """How far the measure is, in percent (0 to 100); for a measure with sub-measures it is computed."""
    parent: Id | None = None
    """The measure this one is a sub-measure of (measure id); its progress counts towards the parent's."""
    weight: Annotated[float, Field(gt=0, lt=LIMIT)] | None = None
    """Weight of this sub-measure when the parent's progress is computed (default 1)."""
    implements: list[Id] = []  # 16rec
    """Recommendations this measure implements (ids from ``recommendations``)."""
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class Actor(Record):
    """An organisation taking part in the concept."""

    id: Id
    name: Name
    """Name of the organisation (shown as it is in every language unless translated)."""
    kind: Id
    """Kind of organisation (id from ``actor_kinds``)."""
    web: Url | None = None
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class Document(Record):
    """A document belonging to an event."""

    title: Name
    """Title of the document (a name: shown as it is unless translated)."""
    url: Url | None = None


class SourceDocument(Record):
    """A document the concept's records cite: a status report, a council paper, a study."""

    id: Id
    title: Text
    """Short title shown after "Quelle:", e.g. "2. Sachstandsbericht"."""
    url: Url | None = None
    """Where readers can open it."""
    pages: Annotated[int, Field(ge=1, lt=LIMIT)] | None = None
    """Number of pages; when given, every cited page is checked against it."""
    date: PartialDate | None = None
    """Date of the document, when it carries one."""
    note: Text | None = None
    """Anything readers should know about the document (e.g. "trägt kein Datum")."""


class Event(Record):
    """A step of the participation process."""

    id: Id
    date: PartialDate
    end: PartialDate | None = None
    kind: Id
    """Kind of event (id from ``event_kinds``)."""
    title: Text
    text: Text | None = None
    fields: list[Id] = []
    """Fields of action the event dealt with."""
    documents: list[Document] = []
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class Term(Record):
    """A glossary entry."""

    id: Id
    term: Text
    definition: Text


class Fact(Record):
    """A fact with its source."""

    id: Id
    text: Text
    source: Text
    field: Id | None = None
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class FigureSeries(Record):
    """One row of numbers of a figure: a bar (``bar``), one segment of each bar (``stacked-bar``), one bar
    of each group (``grouped-bar``), one answer of the scale (``likert``) or one row (``cross-table``)."""

    label: Text
    """Name of the series, e.g. an answer such as "sehr zufrieden"; shown in legend and table."""
    values: list[Annotated[float, Field(ge=0, lt=LIMIT)]]
    """One value per category, in the order of ``categories``."""
    n: Annotated[int, Field(ge=0)] | None = None
    """Number of answers or cases behind this series, if it has its own."""
    side: Literal["negativ", "neutral", "positiv", "keine-angabe"] | None = None
    """``likert`` only: where this answer lies on the scale (series ordered from the most negative to the
    most positive answer; „keine Angabe“ is kept apart and counted to neither side)."""


class Figure(Record):
    """A figure from a status report (survey result, count), placed into a hand-written page with
    the marker ``[[abbildung: ID]]`` and printed in the PDF."""

    id: Id
    kind: Literal["bar", "stacked-bar", "grouped-bar", "likert", "cross-table"]
    """``bar``: one bar per category; ``stacked-bar``: bars made of one segment per series;
    ``grouped-bar``: per category one bar of each series side by side; ``likert``: per category one bar
    diverging from a centre line (negative answers to one side, positive to the other); ``cross-table``:
    only a table (series are its rows, categories its columns)."""
    title: Text
    """Caption of the figure."""
    categories: list[Text]
    """The bars, e.g. the questions or groups."""
    series: list[FigureSeries]
    """The numbers; ``bar`` takes exactly one series."""
    unit: Text | None = None
    """Unit of the values, e.g. "Personen" or "Prozent"."""
    n: Annotated[int, Field(ge=0, lt=LIMIT)] | None = None
    """Number of respondents or cases the figure is based on."""
    category_n: list[Annotated[int, Field(ge=0)]] = []
    """Number of respondents per category (one per category, in their order), where each has its own."""
    question: Text | None = None
    """The question as it was asked in the survey."""
    scale: Text | None = None
    """The answer scale, e.g. "1 = sehr zufrieden bis 5 = gar nicht zufrieden, keine Angabe"."""
    method: Text | None = None
    """How the numbers were collected (e.g. online survey of the working group's members)."""
    representative: bool | None = None
    """False when the numbers are not representative: the figure then says so."""
    multiple_answers: bool = False
    """True when respondents could give several answers (shares may add up to more than 100 %)."""
    source: Text
    """Where the numbers come from."""
    date: PartialDate | None = None
    """When the numbers were collected."""
    note: Text | None = None
    """Anything readers need to read the figure right."""
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class TermRule(Record):
    """A term of the term list: one term, one translation (checked in every translated text)."""

    id: Id
    de: list[str]
    """German forms that count as the term; ``*`` stands for any ending, e.g. ``Handlungsfeld*``."""
    approved: dict[LangCode, list[str]] = {}
    """Approved rendering per language (any of the listed patterns), e.g. ``en: [field* of action]``."""
    note: str | None = None
    """Why this rendering (for translators)."""


# --- 16rec: recommendations and the decisions on them -------------------------------------------

DECISION_CATEGORIES = ("angenommen", "geaendert", "abgelehnt", "offen")
"""What a decision state means: adopted, adopted with changes, rejected, not yet decided."""


class DecisionState(Choice):
    """A state of the decision on a recommendation, with what it means."""

    category: Literal["angenommen", "geaendert", "abgelehnt", "offen"]
    """``angenommen`` (adopted), ``geaendert`` (adopted with changes), ``abgelehnt`` (rejected) or
    ``offen`` (not yet decided). Changed and rejected decisions need a reason, every decided one a date."""


def _number_text(value: object) -> object:
    """A number typed as ``5`` or ``3.10`` keeps its digits as text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return getattr(value, "literal", None) or str(value)
    return value


RecommendationNumber = Annotated[str, BeforeValidator(_number_text),
                                 StringConstraints(strip_whitespace=True, min_length=1, max_length=40,
                                                   pattern=r"^[^<>{}\n]+$")]
"""The number of a recommendation as its source writes it, e.g. „HE 5“ (shown as written)."""


class Decision(Record):
    """What the responsible body decided on a recommendation."""

    state: Id
    """State of the decision (id from ``decision_states``)."""
    date: PartialDate | None = None
    """When it was decided (required unless the state is in the category ``offen``)."""
    body: Name | None = None
    """Who decided, e.g. "Rat der Stadt" or "Ausschuss für Integration" (a name)."""
    reason: Text | None = None
    """Why: required when the recommendation was changed or rejected."""
    document: Id | None = None
    """The decision's document, e.g. the council paper (id from ``documents``; its ``url`` is linked)."""
    provenance: Sources = []
    """Where this comes from (document and chapter/page, or assumption/placeholder)."""


class Recommendation(Record):
    """A recommendation of the concept (e.g. of an evaluation) and the decision on it."""

    id: Id
    number: RecommendationNumber
    """Number as written in the source, e.g. „HE 5“."""
    title: Text
    """Short title."""
    text: Text
    """What is recommended (in our own words or as the source words it)."""
    fields: list[Id]
    """Fields of action the recommendation belongs to (one or more field ids)."""
    addressed_to: list[Name] = []
    """Who it is addressed to: actor ids (linked to the actor) and/or names as written, e.g. "Rat der Stadt"."""
    decision: Decision
    """The decision on it (``state: offen`` while none has been taken)."""
    provenance: Sources = []
    """Where this comes from: the chapter or page of the source (document and chapter/page)."""


class DataFile(Record):
    """What one file in ``data/`` may contain: any of the collections below."""

    concept: Concept | None = None
    projects: list[Project] = []
    field_states: list[Choice] = []
    measure_states: list[MeasureState] = []
    funding_states: list[Choice] = []
    actor_kinds: list[Choice] = []
    event_kinds: list[Choice] = []
    fields: list[FieldOfAction] = []
    goals: list[Goal] = []
    indicators: list[Indicator] = []
    measures: list[Measure] = []
    actors: list[Actor] = []
    events: list[Event] = []
    glossary: list[Term] = []
    facts: list[Fact] = []
    figures: list[Figure] = []
    documents: list[SourceDocument] = []
    terminology: list[TermRule] = []
    decision_states: list[DecisionState] = []  # 16rec
    recommendations: list[Recommendation] = []  # 16rec


COLLECTIONS = [name for name in DataFile.model_fields if name != "concept"]
"""Names of the list-valued collections, in the order they are merged."""
