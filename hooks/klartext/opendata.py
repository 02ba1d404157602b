"""Open data: the concept's tables per language as CSV and JSON, described by a Frictionless
``datapackage.json``. Texts are in the download's language, German where a translation is missing.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
get a leading apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any, Callable

from klartext.concept import ConceptData
from klartext.controlling import LICENCES, Settings, last_update
from klartext.languages import Language
from klartext.progress import classify
from klartext.terms import terms_of
from klartext.text import Text

FOLDER = "daten"
"""Folder of the downloads inside each language's site."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a table: name, Frictionless type, description, and how to read it."""

    name: str
    type: str
    description: str
    get: Callable[[Any], Any]


@dataclass(frozen=True)
class Table:
    """A table of the download: its name and title, columns and rows."""

    name: str
    title: str
    columns: list[Column]
    rows: list[Any]

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain values (text, numbers, booleans, None)."""
        return [{column.name: column.get(row) for column in self.columns} for row in self.rows]


def tables(data: ConceptData, language: Language, labels: Any = None) -> list[Table]:
    """The tables of the download in ``language``."""
    def t(text: Text | None) -> str | None:
        if text is None:
            return None
        return text.get(language.code) or text.de

    def date(value: Any) -> str | None:
        return str(value) if value is not None else None

    def sched(measure: Any, part: str) -> str | None:
        return date(getattr(measure.schedule, part)) if measure.schedule else None

    def budget(measure: Any, part: str) -> Any:
        return getattr(measure.budget, part) if measure.budget else None

    def place(source: Any) -> str:
        # "chapter 4.1", "page 12" in the download's language (German without labels)
        chapter = labels("provenance.chapter", number=source.chapter) if labels else f"Kapitel {source.chapter}"
        page = labels("provenance.page", number=source.page) if labels else f"Seite {source.page}"
        parts = [chapter if source.chapter else None, t(source.section), page if source.page else None]
        return (labels("list.separator") if labels else ", ").join(part for part in parts if part)

    def joined(record: Any, cell: Any) -> str | None:
        cells = [cell(source) or "" for source in record.provenance]
        return " | ".join(cells) if any(cells) else None

    provenance = [
        Column("quelle_dokument", "string", "Kennungen der Quelldokumente (documents), durch „ | “ getrennt",
               lambda r: joined(r, lambda source: source.document)),
        Column("quelle_stelle", "string", "Kapitel, Abschnitt oder Seite im Quelldokument, durch „ | “ getrennt",
               lambda r: joined(r, place)),
        Column("quelle_art", "string", "zitiert, abgeleitet, annahme oder platzhalter, durch „ | “ getrennt",
               lambda r: joined(r, lambda source: source.kind)),
        Column("offene_frage", "string", "Frage an die Stadt bei Annahmen und Platzhaltern",
               lambda r: joined(r, lambda source: t(source.question))),
    ]

    terms = terms_of(data)
    own = terms.forms.get("de", {}).get("measure") if terms is not None else None  # the city's word
    many = own["plural"] if own else "Maßnahmen"  # descriptions name the city's word, never a fixed one
    recommendations = [  # 16rec: only when the concept has recommendations (no empty download)
        Table("empfehlungen", "Empfehlungen und Entscheidungen", [
            Column("id", "string", "Kennung der Empfehlung", lambda r: r.id),
            Column("nummer", "string", "Nummer wie in der Quelle, z. B. „HE 5“", lambda r: r.number),
            Column("titel", "string", "Titel", lambda r: t(r.title)),
            Column("text", "string", "Was empfohlen wird", lambda r: t(r.text)),
            Column("handlungsfelder", "string", "Kennungen der Handlungsfelder, durch Leerzeichen getrennt",
                   lambda r: " ".join(r.fields)),
            Column("gerichtet_an", "string", "Kennungen von Organisationen oder Namen, durch „ | “ getrennt",
                   lambda r: " | ".join(t(name) for name in r.addressed_to) or None),
            Column("entscheidung", "string", "Kennung des Entscheidungsstands", lambda r: r.decision.state),
            Column("entscheidung_bezeichnung", "string", "Stand der Entscheidung",
                   lambda r: t(data.get("decision_states", r.decision.state).label)),
            Column("entscheidung_art", "string", "angenommen, geaendert, abgelehnt oder offen",
                   lambda r: data.get("decision_states", r.decision.state).category),
            Column("entscheidung_datum", "string", "Datum der Entscheidung (JJJJ, JJJJ-MM oder JJJJ-MM-TT)",
                   lambda r: date(r.decision.date)),
            Column("entscheidung_gremium", "string", "Wer entschieden hat", lambda r: t(r.decision.body)),
            Column("entscheidung_begruendung", "string", "Begründung der Entscheidung", lambda r: t(r.decision.reason)),
            Column("entscheidung_dokument", "string", "Kennung des Beschlussdokuments (documents)",
                   lambda r: r.decision.document),
            Column("massnahmen", "string", f"Kennungen ({many}), die sie umsetzen, durch Leerzeichen getrennt",
                   lambda r: " ".join(m.id for m in data.measures_implementing(r.id))),
            *provenance], data.recommendations),
    ] if data.recommendations else []
    values = [(indicator, value) for indicator in data.indicators
              for value in sorted(indicator.values, key=lambda item: item.date.first_day)]
    return [
        Table("massnahmen", own["plural"] if own else "Maßnahmen", [
            Column("id", "string", f"Kennung ({own['singular']})" if own else "Kennung der Maßnahme",
                   lambda m: m.id),
            Column("handlungsfeld", "string", "Kennung des Handlungsfelds", lambda m: m.field),
            Column("ziele", "string", "Kennungen der Ziele, durch Leerzeichen getrennt", lambda m: " ".join(m.goals)),
            Column("titel", "string", "Titel", lambda m: t(m.title)),
            Column("zusammenfassung", "string", "Kurzbeschreibung", lambda m: t(m.summary)),
            Column("stand", "string", "Kennung des Umsetzungsstands", lambda m: m.state),
            Column("stand_bezeichnung", "string", "Umsetzungsstand",
                   lambda m: t(data.get("measure_states", m.state).label)),
            Column("zustaendig", "string", "Kennung der zuständigen Organisation", lambda m: m.responsible),
            Column("partner", "string", "Kennungen der Partner, durch Leerzeichen getrennt",
                   lambda m: " ".join(m.partners)),
            Column("beginn", "string", "Beginn (JJJJ, JJJJ-MM oder JJJJ-MM-TT)", lambda m: sched(m, "start")),
            Column("ende", "string", "Ende (JJJJ, JJJJ-MM oder JJJJ-MM-TT)", lambda m: sched(m, "end")),
            Column("kosten_pro_jahr", "number", "Laufende Kosten pro Jahr in Euro", lambda m: budget(m, "per_year")),
            Column("kosten_einmalig", "number", "Einmalige Kosten in Euro", lambda m: budget(m, "one_off")),
            Column("kosten_geschaetzt", "boolean", "Beträge sind Schätzungen",
                   lambda m: budget(m, "approximate") if m.budget else None),
            Column("finanzierung", "string", "Kennung des Finanzierungsstands", lambda m: budget(m, "funding")),
            Column("letzte_aktualisierung", "string", "Datum der letzten Fortschrittsmeldung",
                   lambda m: date(last_update(m))),
            Column("aufgenommen", "string", "Datum der Aufnahme ins Konzept", lambda m: date(m.added)),
            # 16ctx: the measure in context
            Column("weitere_handlungsfelder", "string", "Kennungen weiterer Handlungsfelder, durch Leerzeichen "
                   "getrennt", lambda m: " ".join(m.further_fields) or None),
            Column("haengt_ab_von", "string", f"Hängt ab von: Kennungen ({many}), durch Leerzeichen getrennt",
                   lambda m: " ".join(m.depends_on) or None),
            Column("verwandt_mit", "string", f"Verwandt mit: Kennungen ({many}), durch Leerzeichen getrennt",
                   lambda m: " ".join(m.related) or None),
            Column("ersetzt", "string", f"Ersetzt: Kennungen ({many}), durch Leerzeichen getrennt",
                   lambda m: " ".join(m.replaces) or None),
            Column("beginn_tatsaechlich", "string", "Tatsächlicher Beginn (JJJJ, JJJJ-MM oder JJJJ-MM-TT)",
                   lambda m: sched(m, "actual_start")),
            Column("ende_tatsaechlich", "string", "Tatsächliches Ende (JJJJ, JJJJ-MM oder JJJJ-MM-TT)",
                   lambda m: sched(m, "actual_end")),
            Column("begruendung_stand", "string",
                   "Begründung, wenn der Umsetzungsstand verzögert, gescheitert oder gestoppt ist",
                   lambda m: t(m.state_reason)),
            Column("fortschritt_prozent", "number",
                   "Fortschritt in Prozent (mit untergeordneten Einträgen: deren Mittelwert)",
                   lambda m: data.progress_of(m).percent),
            Column("fortschritt_berechnet", "boolean", "Fortschritt aus den untergeordneten Einträgen berechnet",
                   lambda m: data.progress_of(m).computed),
            Column("uebergeordnet", "string", "Kennung des übergeordneten Eintrags",
                   lambda m: m.parent),
            Column("gewicht", "number", "Gewicht beim Mittelwert des übergeordneten Eintrags", lambda m: m.weight),
            *([Column("empfehlungen", "string", "Kennungen der Empfehlungen, die sie umsetzt, durch Leerzeichen "
                      "getrennt", lambda m: " ".join(m.implements))] if data.recommendations else []),  # 16rec
        *provenance], data.measures),
        Table("ziele", "Ziele", [
            Column("id", "string", "Kennung des Ziels", lambda g: g.id),
            Column("handlungsfeld", "string", "Kennung des Handlungsfelds", lambda g: g.field),
            Column("art", "string", "leitziel oder ziel", lambda g: g.kind),
            Column("titel", "string", "Ziel", lambda g: t(g.title)),
        *provenance], data.goals),
        Table("indikatoren", "Indikatoren", [
            Column("id", "string", "Kennung des Indikators", lambda i: i.id),
            Column("ziel", "string", "Kennung des gemessenen Ziels", lambda i: i.goal),
            Column("titel", "string", "Was gemessen wird", lambda i: t(i.title)),
            Column("einheit", "string", "Einheit der Werte", lambda i: t(i.unit)),
            Column("ausgangswert", "number", "Ausgangswert", lambda i: i.baseline.value if i.baseline else None),
            Column("ausgangsjahr", "integer", "Jahr des Ausgangswerts", lambda i: i.baseline.year if i.baseline else None),
            Column("zielwert", "number", "Zielwert", lambda i: i.target.value if i.target else None),
            Column("zieljahr", "integer", "Jahr, bis zu dem der Zielwert erreicht sein soll",
                   lambda i: i.target.year if i.target else None),
            Column("quelle", "string", "Quelle der Zahlen", lambda i: t(i.source)),
            Column("verantwortlich", "string", "Kennung der verantwortlichen Organisation", lambda i: i.owner),
            Column("richtung", "string", "hoeher-ist-besser oder niedriger-ist-besser", lambda i: i.direction),
            Column("massnahmen", "string",  # 16ctx
                   f"Kennungen ({many}), deren Fortschritt der Indikator zeigt, durch Leerzeichen getrennt",
                   lambda i: " ".join(i.measures) or None),
            Column("fortschritt", "string", "Fortschritt nach dem Verfahren von Open SDG: achieved, on_track, "
                   "some_progress, no_progress oder no_data", lambda i: classify(i).status),
            *provenance], data.indicators),
        Table("indikator-werte", "Messwerte der Indikatoren", [
            Column("indikator", "string", "Kennung des Indikators", lambda row: row[0].id),
            Column("datum", "string", "Datum der Messung (JJJJ, JJJJ-MM oder JJJJ-MM-TT)", lambda row: str(row[1].date)),
            Column("wert", "number", "Gemessener Wert in der Einheit des Indikators", lambda row: row[1].value),
            Column("anmerkung", "string", "Anmerkung", lambda row: t(row[1].note)),
            Column("n", "integer", "Anzahl der Fälle oder Befragten hinter dem Wert", lambda row: row[1].n),
        ], values),
        Table("akteure", "Akteure", [
            Column("id", "string", "Kennung der Organisation", lambda a: a.id),
            Column("name", "string", "Name", lambda a: t(a.name)),
            Column("art", "string", "Kennung der Art", lambda a: a.kind),
            Column("web", "string", "Webadresse", lambda a: a.web),
        *provenance], data.actors),
        Table("termine", "Termine der Beteiligung", [
            Column("id", "string", "Kennung des Termins", lambda e: e.id),
            Column("datum", "string", "Datum (JJJJ, JJJJ-MM oder JJJJ-MM-TT)", lambda e: str(e.date)),
            Column("ende", "string", "Ende bei mehrtägigen Terminen", lambda e: date(e.end)),
            Column("art", "string", "Kennung der Art", lambda e: e.kind),
            Column("titel", "string", "Titel", lambda e: t(e.title)),
            Column("handlungsfelder", "string", "Kennungen der Handlungsfelder, durch Leerzeichen getrennt",
                   lambda e: " ".join(e.fields)),
        *provenance], data.events),
        Table("abbildungen", "Zahlen der Abbildungen (eine Zeile je Kategorie und Zahlenreihe)", [
            Column("abbildung", "string", "Kennung der Abbildung", lambda row: row[0].id),
            Column("titel", "string", "Titel der Abbildung", lambda row: t(row[0].title)),
            Column("art", "string", "Art der Abbildung: bar, stacked-bar, grouped-bar, likert oder cross-table",
                   lambda row: row[0].kind),
            Column("kategorie", "string", "Kategorie (Balken; in einer Kreuztabelle die Spalte)",
                   lambda row: t(row[0].categories[row[1]])),
            Column("reihe", "string", "Zahlenreihe (Segment, Antwort; in einer Kreuztabelle die Zeile)",
                   lambda row: t(row[2].label)),
            Column("seite", "string", "Likert: Seite der Antwort (negativ, neutral, positiv, keine-angabe)",
                   lambda row: row[2].side),
            Column("wert", "number", "Wert in der Einheit der Abbildung", lambda row: row[2].values[row[1]]),
            Column("einheit", "string", "Einheit", lambda row: t(row[0].unit)),
            Column("n_kategorie", "integer", "Anzahl der Befragten dieser Kategorie",
                   lambda row: row[0].category_n[row[1]] if row[0].category_n else None),
            Column("n_reihe", "integer", "Anzahl hinter dieser Zahlenreihe", lambda row: row[2].n),
            Column("n", "integer", "Anzahl der Befragten oder Fälle der ganzen Abbildung", lambda row: row[0].n),
            Column("mehrfachantworten", "boolean", "true, wenn mehrere Antworten möglich waren",
                   lambda row: row[0].multiple_answers),
            Column("quelle", "string", "Quelle der Zahlen", lambda row: t(row[0].source)),
        ], [(figure, position, series) for figure in data.figures
            for position in range(len(figure.categories)) for series in figure.series]),
        *recommendations,
    ]


def csv_cell(value: Any) -> str:
    """A value as CSV text, defused against spreadsheet formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text


def to_csv(table: Table, records: list[dict[str, Any]] | None = None) -> str:
    """The table as CSV (RFC 4180: comma, double quotes, CRLF), with a header row. ``records``: the
    table's :meth:`~Table.records`, if known."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [column.name for column in table.columns]
    writer.writerow(names)
    writer.writerows([csv_cell(record[name]) for name in names]
                     for record in (table.records() if records is None else records))
    return out.getvalue()


def to_json(table: Table, records: list[dict[str, Any]] | None = None) -> str:
    """The table as a JSON array of objects (one per row). ``records``: the table's
    :meth:`~Table.records`, if known."""
    return json.dumps(table.records() if records is None else records, ensure_ascii=False, indent=1) + "\n"


def datapackage(data: ConceptData, language: Language, settings: Settings, table_list: list[Table]) -> str:
    """The Frictionless descriptor of the downloads: every table as CSV and as JSON."""
    licence_name, licence_url = LICENCES[settings.licence]
    title = data.concept.title
    resources = []
    for table in table_list:
        schema = {
            "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in table.columns],
        }
        if table.columns[0].name == "id":
            schema["primaryKey"] = ["id"]
        for fmt, media in (("csv", "text/csv"), ("json", "application/json")):
            resources.append({
                "name": f"{table.name}-{fmt}", "title": table.title, "profile": "tabular-data-resource",
                "path": f"{table.name}.{fmt}", "format": fmt, "mediatype": media, "encoding": "utf-8", "schema": schema,
            })
    package = {
        "name": f"integrationskonzept-{language.code}",
        "title": title.get(language.code) or title.de,
        "description": f"{data.concept.stage.de}, Sprachfassung {language.code}",
        "version": str(data.concept.date),
        "licenses": [{"name": settings.licence, "title": licence_name, "path": licence_url}],
        "resources": resources,
    }
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"


def downloads(data: ConceptData, language: Language, settings: Settings, labels: Any = None) -> dict[str, str]:
    """Every download file of a language: path inside :data:`FOLDER` -> content."""
    table_list = tables(data, language, labels)
    files = {"datapackage.json": datapackage(data, language, settings, table_list)}
    for table in table_list:
        records = table.records()  # once for both formats
        files[f"{table.name}.csv"] = to_csv(table, records)
        files[f"{table.name}.json"] = to_json(table, records)
    return files
