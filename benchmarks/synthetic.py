"""Synthetic concepts for benchmarks and previews: N fields x M measures x languages, from a fixed seed.

    from benchmarks.synthetic import generate
    project = generate(tmp / "big", measures=150, fields=9, seed=8)   # data/, docs/, mkdocs.yml

or ``python benchmarks/synthetic.py TARGET --measures 150``. The same seed and sizes give the same
bytes. Texts are German-like (real German words, sentences of 8-24 words, summaries and descriptions
of the lengths the Lehrte data has); every text also gets a translation in each configured language,
of which some are missing, some outdated (stamped with the fingerprint of an older German text) and
some machine-translated, through the same ``{text, source, machine}`` entries and fingerprints that
``./klartext i18n stamp`` writes. The output validates with ``klartext.validation.load_concept``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from klartext.configfile import read_config, write_config  # noqa: E402
from klartext.text import fingerprint  # noqa: E402  (the stamp mechanism of ./klartext i18n)

SEED = 20261121
"""Default seed of every benchmark run."""

SHARES = {"current": 0.65, "outdated": 0.10, "machine": 0.05, "missing": 0.20}
"""How the translations of one language are spread over the four states."""


@dataclass(frozen=True)
class T:
    """Marks a translatable text while the records are assembled."""

    de: str


# ---------------------------------------------------------------------------------------------
# words


_NOUNS = (
    "Sprachförderung Elternarbeit Beratungsstelle Arbeitsgruppe Stadtverwaltung Integrationskurs "
    "Kindertagesstätte Grundschule Ausbildungsplatz Anerkennung Berufsabschluss Gesundheitsversorgung "
    "Hebamme Sportverein Nachbarschaft Begegnung Ehrenamt Beteiligung Wohnungsmarkt Mietvertrag "
    "Familienzentrum Stadtbibliothek Jugendzentrum Schulsozialarbeit Dolmetscherdienst Willkommenskultur "
    "Diskriminierung Antidiskriminierungsstelle Fachkräftegewinnung Arbeitsvermittlung Jobcenter "
    "Migrationsberatung Frauengruppe Seniorenarbeit Stadtteilfest Informationsabend Sprechstunde "
    "Mehrsprachigkeit Fortbildung Lenkungsgruppe Öffentlichkeitsarbeit Wegweiser Netzwerk Förderprogramm "
    "Haushaltsplan Zuständigkeit Kooperation Qualifizierung Hausaufgabenhilfe Ferienangebot Verwaltung"
).split()
_ADJECTIVES = (
    "mehrsprachige gemeinsame regelmäßige niedrigschwellige kostenlose erste neue städtische offene "
    "interkulturelle wohnortnahe digitale verlässliche zusätzliche kurze"
).split()
_VERBS = (
    "unterstützt verbessert bündelt begleitet erweitert stärkt plant organisiert informiert vernetzt "
    "überprüft entwickelt"
).split()
_PLACES = (
    "in Lehrte|in den Ortsteilen|in der Kernstadt|im Familienzentrum|in den Schulen|in der Stadtbibliothek|"
    "im Rathaus|in den Kitas|vor Ort|in der Region"
).split("|")
_CONNECTORS = ("und", "sowie", "damit", "weil", "wenn", "außerdem")
_TERMS = (
    "Integrationskonzept|Handlungsfeld|Leitziel|Teilhabe|Migrationsgeschichte|Aufenthaltstitel|Sprachmittlung|"
    "Anerkennungsverfahren|Querschnittsthema|Sachstandsbericht|Willkommenslotsen|Kulturmittler|"
    "Bildungsbegleitung|Quartiersmanagement|Fachkräfteeinwanderung|Leichte Sprache|Mehrgenerationenhaus|"
    "Frühe Hilfen|Runder Tisch|Lenkungskreis"
).split("|")
"""Glossary terms: rarer than the common words (about one sentence in ten names one), as in real texts."""

_WORDS = {
    "en": ("language support parents advice centre working group city council course school training "
           "health care neighbourhood volunteers participation housing families library youth centre "
           "interpreters welcome discrimination employment network funding programme meeting together "
           "regular free new open local digital reliable improves supports connects plans informs").split(),
    "tr": ("dil desteği ebeveynler danışma merkezi çalışma grubu belediye kurs okul eğitim sağlık "
           "mahalle gönüllüler katılım konut aileler kütüphane gençlik tercümanlar hoş geldiniz ayrımcılık "
           "istihdam ağ destek programı toplantı birlikte düzenli ücretsiz yeni açık yerel dijital güvenilir "
           "geliştirir destekler bağlar planlar").split(),
    "ar": ("دعم اللغة الوالدين مركز الاستشارة مجموعة العمل البلدية دورة مدرسة تدريب صحة حي متطوعون "
           "مشاركة سكن عائلات مكتبة شباب مترجمون ترحيب تمييز عمل شبكة تمويل برنامج لقاء معا منتظم مجاني "
           "جديد مفتوح محلي رقمي يدعم يحسن يربط يخطط").split(),
    "uk": ("мовна підтримка батьки консультаційний центр робоча група міська адміністрація курс школа "
           "навчання здоров'я сусідство волонтери участь житло родини бібліотека молодь перекладачі "
           "дискримінація робота мережа фінансування програма зустріч разом регулярно безкоштовно нове "
           "відкрите місцеве цифрове підтримує покращує поєднує планує").split(),
    "ru": ("языковая поддержка родители консультационный центр рабочая группа городская администрация "
           "курс школа обучение здоровье соседство волонтёры участие жильё семьи библиотека молодёжь "
           "переводчики дискриминация работа сеть финансирование программа встреча вместе регулярно "
           "бесплатно новое открытое местное цифровое поддерживает улучшает связывает планирует").split(),
}
_PLAIN = (  # Leichte Sprache: short main clauses, one statement each
    "Die Stadt hilft.|Es gibt einen Kurs.|Der Kurs kostet nichts.|Eltern können mitmachen.|"
    "Sie können Fragen stellen.|Es gibt Hilfe in vielen Sprachen.|Das Angebot ist in der Nähe.|"
    "Die Stadt plant das Angebot.|Viele Menschen arbeiten zusammen.|Alle sind willkommen.|"
    "Das Angebot ist für Kinder.|Das Angebot ist für Familien.|Es gibt ein Treffen.|"
    "Sie können sich anmelden.|Die Beratung ist kostenlos."
).split("|")


class Writer:
    """German-like texts and their translations, all drawn from one seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self, words: int | None = None) -> str:
        rng = self.rng
        target = words or rng.randint(8, 24)
        parts = [rng.choice(("Die", "Eine", "Jede")), rng.choice(_ADJECTIVES),
                 rng.choice(_NOUNS), rng.choice(_VERBS), "die", rng.choice(_NOUNS), rng.choice(_PLACES)]
        while len(" ".join(parts).split()) < target:
            parts += [rng.choice(_CONNECTORS), "die", rng.choice(_ADJECTIVES), rng.choice(_NOUNS)]
        if rng.random() < 0.1:
            parts += ["im Sinne der", rng.choice(_TERMS)]
        return " ".join(parts) + "."

    def title(self) -> str:
        rng = self.rng
        words = [rng.choice(_ADJECTIVES).capitalize(), rng.choice(_NOUNS), "für", rng.choice(_NOUNS)]
        if rng.random() < 0.5:
            words += [rng.choice(_PLACES)]
        return " ".join(words)

    def paragraph(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def translation(self, lang: str, german: str) -> str:
        """A stand-in translation of about the German text's length, in the language's script."""
        rng = self.rng
        count = max(2, len(german.split()))
        if lang == "ls":
            return " ".join(rng.choice(_PLAIN) for _ in range(max(1, count // 6)))
        words = _WORDS.get(lang, _WORDS["en"])
        text = " ".join(rng.choice(words) for _ in range(count))
        return text[0].upper() + text[1:] + ("." if german.endswith(".") else "")


# ---------------------------------------------------------------------------------------------
# records


def _concept(w: Writer) -> dict:
    return {
        "concept": {
            "title": T("Integrationskonzept der Beispielstadt"), "city": T("Beispielstadt"),
            "stage": T("2. Sachstandsbericht"), "date": 2025,
            "office": T("Stabsstelle Migration und Teilhabe"), "intro": T(w.paragraph(4, 6)),
            "contact": {"email": "teilhabe@beispielstadt.example", "web": "https://beispielstadt.example/konzept",
                        "address": T("Stadt Beispielstadt, Stabsstelle Migration und Teilhabe, Markt 1")},
            "project_group": [{"name": f"Person {n}", "role": T(w.title())} for n in range(1, 5)],
            "reported_to": [T(w.title()) for _ in range(2)],
            "easy_read": "Hier steht der Plan von der Beispiel·stadt.\nDer Plan hat Ziele und Aufgaben.",
            "accessibility": {
                "scope": T(w.paragraph(1, 2)), "status": "teilweise",
                "barriers": [{"content": T(w.sentence()), "reason": T(w.sentence()),
                              "alternative": T(w.sentence())} for _ in range(2)],
                "method": T(w.paragraph(2, 3)), "created": 2025, "reviewed": 2025,
                "feedback": {"email": "barrierefrei@beispielstadt.example"},
                "enforcement": {"name": T("Schlichtungsstelle des Landes"), "description": T(w.paragraph(1, 2))},
            },
            "privacy": {
                "controller": T("Stadt Beispielstadt, Markt 1"), "contact": {"email": "datenschutz@beispielstadt.example"},
                "hosting": T(w.paragraph(2, 3)), "authority": {"name": T("Landesbeauftragte für den Datenschutz")},
            },
            "impressum": {"provider": T("Stadt Beispielstadt"), "address": T("Markt 1, 12345 Beispielstadt"),
                          "email": "info@beispielstadt.example", "responsible": T("Erika Beispiel, Markt 1")},
        },
        "projects": [{"id": "stadtgesellschaft", "title": T("Stadtgesellschaft"), "description": T(w.paragraph(2, 3))},
                     {"id": "verwaltung", "title": T("Interkulturelle Öffnung"), "description": T(w.paragraph(2, 3))}],
    }


def _lists() -> dict:
    """The real selection lists (states, kinds, icons), with their texts made translatable."""
    lists = yaml.safe_load((ROOT / "data" / "lists.yml").read_text(encoding="utf-8"))
    return {name: [{key: T(value) if key in ("label", "description") else value for key, value in choice.items()}
                   for choice in choices] for name, choices in lists.items()}


def _field(w: Writer, number: int, measures: int, lists: dict, actors: list[str]) -> dict:
    rng = w.rng
    fid = f"feld-{number:02d}"
    goals = [{"id": f"{fid}-leitziel", "field": fid, "kind": "leitziel", "title": T(w.sentence(12))}]
    goals += [{"id": f"{fid}-ziel-{n}", "field": fid, "kind": "ziel", "title": T(w.sentence(10)),
               **({"description": T(w.sentence())} if rng.random() < 0.5 else {})}
              for n in range(1, rng.randint(3, 5))]
    indicators = []
    for goal in goals[1:]:
        for n in range(rng.randint(0, 2)):
            values = [{"date": f"{year}", "value": round(rng.uniform(5, 80), 1),
                       **({"note": T(w.sentence(10))} if rng.random() < 0.2 else {})}
                      for year in range(2021, 2021 + rng.randint(0, 4))]
            indicators.append({
                "id": f"{goal['id']}-indikator-{n + 1}", "goal": goal["id"], "title": T(w.sentence(10)),
                "unit": T(rng.choice(("Prozent", "Personen", "Angebote", "Teilnahmen"))),
                "baseline": {"value": round(rng.uniform(5, 50), 1), "year": 2021},
                "target": {"value": round(rng.uniform(50, 90), 1), "year": 2028},
                "values": values, "source": T(w.title()), "owner": rng.choice(actors)})
    states = [choice["id"] for choice in lists["measure_states"]]
    funding = [choice["id"] for choice in lists["funding_states"]]
    items = [_measure(w, f"{fid}-massnahme-{n:04d}", fid, goals, states, funding, actors)
             for n in range(1, measures + 1)]
    _in_context(w, items, indicators, number, lists)
    field = {
        "id": fid, "number": number, "title": T(w.title()),
        "kind": "uebergreifend" if number % 5 == 0 else "thematisch",
        "project": "verwaltung" if number % 7 == 0 else "stadtgesellschaft",
        "state": rng.choice([choice["id"] for choice in lists["field_states"]]),
        "summary": T(w.sentence(16)), "description": T(w.paragraph(3, 5)),
        "focus_topics": [T(w.title()) for _ in range(rng.randint(2, 5))],
        "working_group": {"coordinator": T(w.title()), "members": rng.sample(actors, 5),
                          "note": T(w.sentence())},
        "challenges": [T(w.sentence()) for _ in range(rng.randint(1, 4))],
    }
    return {"fields": [field], "goals": goals, "indicators": indicators, "measures": items}


def _measure(w: Writer, mid: str, fid: str, goals: list[dict], states: list[str], funding: list[str],
             actors: list[str]) -> dict:
    rng = w.rng
    measure: dict[str, Any] = {
        "id": mid, "field": fid, "goals": [goal["id"] for goal in rng.sample(goals, rng.randint(1, 2))],
        "title": T(w.title()), "summary": T(w.paragraph(1, 2)),
    }
    if rng.random() < 0.6:
        measure["description"] = T(w.paragraph(3, 6))
    measure["state"] = rng.choice(states)
    measure["responsible"] = rng.choice(actors)
    measure["partners"] = rng.sample(actors, rng.randint(0, 4))
    if rng.random() < 0.5:
        per_year = rng.randrange(1000, 90000, 500)
        measure["budget"] = {"per_year": per_year, "approximate": rng.random() < 0.5, "funding": rng.choice(funding),
                             "years": [{"year": 2026, "amount": per_year // 2}] if rng.random() < 0.3 else [],
                             **({"note": T(w.sentence())} if rng.random() < 0.4 else {})}
    if rng.random() < 0.5:
        start = rng.randint(2023, 2026)
        measure["schedule"] = {
            "start": f"{start}-{rng.randint(1, 12):02d}", "end": f"{start + rng.randint(1, 3)}",
            "milestones": [{"date": f"{start + n}-{rng.randint(1, 12):02d}", "title": T(w.title()),
                            "done": n == 0} for n in range(rng.randint(0, 3))]}
    measure["target_groups"] = [T(rng.choice(_NOUNS)) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.4:
        measure["formats"] = {"languages": rng.sample(["de", "en", "tr", "ar", "uk", "ru", "fa"], 3),
                              "plain_language": rng.random() < 0.5, "barrier_free": rng.random() < 0.5}
    measure["updates"] = [{"date": f"{2023 + n}-{rng.randint(1, 12):02d}", "text": T(w.paragraph(1, 2))}
                          for n in range(rng.randint(0, 4))]
    return measure


def _in_context(w: Writer, items: list[dict], indicators: list[dict], number: int, lists: dict) -> None:
    """Issue 16 (measures in context), with its own random stream so that the rest stays as it was:
    sub-measures with progress and weights, relations to earlier measures (never a cycle), a further
    field, actual dates, a reason for stopped states, indicators naming the measures they track."""
    stopped = {choice["id"] for choice in lists["measure_states"]
               if choice.get("category", choice["id"]) in ("pausiert", "verworfen", "gestoppt", "gescheitert",
                                                           "verzoegert")}
    for position, measure in enumerate(items):
        rng = random.Random(f"context-{measure['id']}")
        if position % 10 == 0 and position + 2 < len(items):  # a parent with two or three parts
            for part in items[position + 1: position + 1 + rng.randint(2, 3)]:
                part["parent"] = measure["id"]
                if rng.random() < 0.5:
                    part["weight"] = rng.randint(1, 4)
        elif "parent" not in measure and rng.random() < 0.3:
            measure["progress"] = rng.randrange(0, 101, 5)
        if "parent" in measure and rng.random() < 0.8:
            measure["progress"] = rng.randrange(0, 101, 5)
        earlier = [item["id"] for item in items[:position]]
        if earlier and rng.random() < 0.15:
            measure["depends_on"] = [rng.choice(earlier)]
        if earlier and rng.random() < 0.1:
            measure["related"] = [rng.choice(earlier)]
        if earlier and rng.random() < 0.05:
            measure["replaces"] = [rng.choice(earlier)]
        if number > 1 and rng.random() < 0.15:
            measure["further_fields"] = [f"feld-{rng.randint(1, number - 1):02d}"]
        schedule = measure.get("schedule")
        if schedule and rng.random() < 0.5:
            schedule["actual_start"] = f"{int(schedule['start'][:4]) + rng.randint(0, 1)}-{rng.randint(1, 12):02d}"
        if measure["state"] in stopped:
            measure["state_reason"] = T(Writer(rng).sentence(12))
    for indicator in indicators:
        rng = random.Random(f"context-{indicator['id']}")
        if items and rng.random() < 0.5:
            indicator["measures"] = [item["id"] for item in rng.sample(items, min(len(items), rng.randint(1, 2)))]


def _actors(w: Writer, count: int, kinds: list[str]) -> list[dict]:
    return [{"id": f"akteur-{n:03d}", "name": T(f"{w.rng.choice(_NOUNS)} {w.rng.choice(_PLACES)} {n}"),
             "kind": w.rng.choice(kinds), **({"web": f"https://akteur-{n}.example"} if n % 3 == 0 else {})}
            for n in range(1, count + 1)]


def _events(w: Writer, count: int, kinds: list[str], fields: int) -> list[dict]:
    rng = w.rng
    events = []
    for n in range(1, count + 1):
        year, month = 2021 + n * 5 // max(count, 1), rng.randint(1, 12)
        events.append({"id": f"termin-{n:03d}", "date": f"{year}-{month:02d}", "kind": rng.choice(kinds),
                       "title": T(w.title()), "text": T(w.paragraph(1, 3)),
                       "fields": [f"feld-{f:02d}" for f in sorted(rng.sample(range(1, fields + 1),
                                                                              min(fields, rng.randint(0, 3))))],
                       "documents": [{"title": T(w.title()), "url": f"https://beispielstadt.example/d/{n}.pdf"}]
                       if rng.random() < 0.3 else []})
    return events


# 16rec: recommendations of an evaluation and the decisions on them
_DECISION_STATES = [
    {"id": "angenommen", "label": T("Angenommen"), "icon": "material/check-circle", "category": "angenommen"},
    {"id": "geaendert", "label": T("Geändert angenommen"), "icon": "material/pencil-circle", "category": "geaendert"},
    {"id": "abgelehnt", "label": T("Abgelehnt"), "icon": "material/close-circle", "category": "abgelehnt"},
    {"id": "offen", "label": T("Noch nicht entschieden"), "icon": "material/help-circle-outline", "category": "offen"},
]


def _recommendations(w: Writer, fields: int, measures: list[dict], actors: list[str]) -> dict:
    """One recommendation per ten measures (at least three), every third spanning two fields; about every
    fourth measure implements one of its field's recommendations."""
    rng = w.rng
    items = []
    for n in range(1, max(3, len(measures) // 10) + 1):
        first = (n - 1) % fields + 1
        spans = [f"feld-{first:02d}"] + ([f"feld-{first % fields + 1:02d}"] if n % 3 == 0 and fields > 1 else [])
        state = _DECISION_STATES[(n - 1) % 4]
        decision: dict[str, Any] = {"state": state["id"]}
        if state["category"] != "offen":
            decision.update(date=f"2025-{rng.randint(1, 12):02d}", body=T("Rat der Stadt"))
        if state["category"] in ("geaendert", "abgelehnt"):
            decision["reason"] = T(w.sentence())
        items.append({"id": f"empfehlung-{n:03d}", "number": f"E {n}", "title": T(w.title()),
                      "text": T(w.paragraph(1, 3)), "fields": spans,
                      "addressed_to": [rng.choice(actors), T("Rat der Stadt")], "decision": decision})
    for measure in measures:
        own = [item["id"] for item in items if measure["field"] in item["fields"]]
        if own and rng.random() < 0.25:
            measure["implements"] = [rng.choice(own)]
    return {"decision_states": _DECISION_STATES, "recommendations": items}


def _glossary(w: Writer) -> list[dict]:
    terms = sorted(set(_TERMS))
    return [{"id": f"begriff-{n:02d}", "term": T(term), "definition": T(w.paragraph(1, 2))}
            for n, term in enumerate(terms, 1)]


def _facts(w: Writer, fields: int) -> list[dict]:
    return [{"id": f"fakt-{n:02d}", "field": f"feld-{(n % fields) + 1:02d}", "text": T(w.sentence()),
             "source": T(w.title()), "year": 2020 + n % 5} for n in range(2 * fields)]


def _figures(w: Writer) -> list[dict]:
    """Survey figures of the kinds grouped-bar, likert and cross-table (16fig): whole per cent that add up
    to 100 per category where the kind requires it."""
    def shares(parts: int) -> list[int]:
        cuts = sorted(w.rng.sample(range(1, 100), parts - 1))
        return [high - low for low, high in zip([0, *cuts], [*cuts, 100])]

    def columns(rows: list[list[int]]) -> list[list[int]]:
        return [list(values) for values in zip(*rows)]

    groups = [T(w.title()) for _ in range(4)]
    sides = ["negativ", "negativ", "neutral", "positiv", "positiv", "keine-angabe"]
    answers = ["sehr unzufrieden", "eher unzufrieden", "teils-teils", "eher zufrieden", "sehr zufrieden",
               "keine Angabe"]
    likert = columns([shares(len(sides)) for _ in groups])
    languages = ["Deutsch", "Arabisch", "Türkisch", "Ukrainisch", "andere Sprache"]
    cross = columns([shares(len(languages)) for _ in groups])
    source = T("Synthetische Befragung (benchmarks/synthetic.py)")
    return [
        {"id": "umfrage-angebote", "kind": "grouped-bar", "title": T(w.title()), "unit": T("Prozent"),
         "multiple_answers": True, "categories": groups,
         "series": [{"label": T(str(year)), "values": [w.rng.randint(0, 100) for _ in groups],
                     "n": w.rng.randint(40, 400)} for year in (2022, 2024)], "source": source},
        {"id": "umfrage-zufriedenheit", "kind": "likert", "title": T(w.title()), "unit": T("Prozent"),
         "question": T(w.sentence()), "categories": groups, "category_n": [w.rng.randint(10, 90) for _ in groups],
         "series": [{"label": T(label), "side": side, "values": values}
                    for label, side, values in zip(answers, sides, likert)], "source": source},
        {"id": "umfrage-sprachen", "kind": "cross-table", "title": T(w.title()), "unit": T("Prozent"),
         "categories": groups, "category_n": [w.rng.randint(10, 90) for _ in groups],
         "series": [{"label": T(label), "values": values} for label, values in zip(languages, cross)],
         "source": source},
    ]


# ---------------------------------------------------------------------------------------------
# writing


def _german(value: Any) -> Any:
    if isinstance(value, T):
        return value.de
    if isinstance(value, dict):
        return {key: _german(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_german(item) for item in value]
    return value


def _translated(value: Any, lang: str, w: Writer) -> Any:
    """The translation tree of ``value`` for ``lang`` (None where nothing is translated)."""
    if isinstance(value, T):
        roll = w.rng.random()
        if roll < SHARES["missing"]:
            return None
        entry: dict[str, Any] = {"text": w.translation(lang, value.de)}
        if roll < SHARES["missing"] + SHARES["outdated"]:
            entry["source"] = fingerprint(value.de + " (frühere Fassung)")  # German changed since
        else:
            entry["source"] = fingerprint(value.de)
            if roll < SHARES["missing"] + SHARES["outdated"] + SHARES["machine"]:
                entry["machine"] = True
        return entry
    if isinstance(value, dict):
        tree = {key: _translated(item, lang, w) for key, item in value.items()}
        return {key: item for key, item in tree.items() if item not in (None, {}, [])} or None
    if isinstance(value, list):
        items = [_translated(item, lang, w) for item in value]
        while items and items[-1] in (None, {}, []):
            items.pop()
        return items or None
    return None


def _dump(path: Path, content: dict, comment: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"# {comment}\n{text}", encoding="utf-8")


def configured_languages(config: Path = ROOT / "mkdocs.yml") -> list[str]:
    """Codes of the language variants besides German, as mkdocs.yml lists them."""
    settings = read_config(config)
    entries = next(p["i18n"] for p in settings["plugins"] if isinstance(p, dict) and "i18n" in p)["languages"]
    return [entry["locale"] for entry in entries if not entry.get("default")]


def generate(target_dir: Path, measures: int = 150, fields: int = 9, seed: int = SEED,
             languages: list[str] | None = None, project: bool = True) -> Path:
    """Write a synthetic concept into ``target_dir`` and return ``target_dir``.

    Args:
        target_dir: Folder to create (must not exist yet, or be empty).
        measures: Number of measures, spread evenly over the fields.
        fields: Number of fields of action.
        seed: Seed of the random generator: the same seed and sizes give the same bytes.
        languages: Language variants besides German (default: those in this repository's mkdocs.yml).
        project: Also write ``docs/`` (this repository's hand-written pages) and an ``mkdocs.yml`` that
            uses this repository's hooks and overrides, so that ``mkdocs build`` runs in ``target_dir``.
            Without it only ``data/`` is written.
    """
    target_dir = Path(target_dir)
    languages = configured_languages() if languages is None else languages
    rng = random.Random(f"klartext-synthetic-{seed}-{fields}-{measures}")
    w = Writer(rng)
    lists = _lists()
    actors = _actors(w, max(30, measures // 5), [choice["id"] for choice in lists["actor_kinds"]])
    actor_ids = [actor["id"] for actor in actors]
    files: dict[str, tuple[dict, str]] = {
        "concept.yml": (_concept(w), "Synthetisches Konzept (benchmarks/synthetic.py): Titel, Stand, Kontakt."),
        "lists.yml": (lists, "Auswahllisten (aus data/lists.yml übernommen)."),
        "actors.yml": ({"actors": actors}, "Akteure."),
        "events.yml": ({"events": _events(w, 20 + measures // 10, [c["id"] for c in lists["event_kinds"]], fields)},
                       "Termine."),
        "glossary.yml": ({"glossary": _glossary(w)}, "Glossar."),
        "facts.yml": ({"facts": _facts(w, fields)}, "Fakten mit Quelle."),
        "umfragen.yml": ({"figures": _figures(w)}, "Umfrage-Abbildungen (gruppiert, Likert, Kreuztabelle)."),
    }
    for number in range(1, fields + 1):
        share = measures // fields + (1 if number <= measures % fields else 0)
        files[f"fields/{number:02d}-feld.yml"] = (_field(w, number, share, lists, actor_ids),
                                                   f"Handlungsfeld {number}.")
    every_measure = [measure for name, (content, _) in files.items() if name.startswith("fields/")
                     for measure in content["measures"]]
    files["recommendations.yml"] = (_recommendations(w, fields, every_measure, actor_ids),  # 16rec
                                    "Empfehlungen einer Evaluation und die Entscheidungen darüber.")
    data = target_dir / "data"
    for name, (content, comment) in files.items():
        _dump(data / name, _german(content), comment)
    for lang in languages:
        tree: dict[str, Any] = {}
        for content, _ in files.values():
            for section, value in content.items():
                if section == "concept":
                    tree["concept"] = _translated(value, lang, w) or {}
                else:
                    records = {record["id"]: _translated({k: v for k, v in record.items() if k != "id"}, lang, w)
                               for record in value}
                    tree.setdefault(section, {}).update({key: item for key, item in records.items() if item})
        _dump(data / "translations" / f"{lang}.yml", {key: value for key, value in tree.items() if value},
              f"Übersetzungen ({lang}), synthetisch: einige fehlen, einige sind veraltet.")
    if project:
        _write_project(target_dir, languages)
    return target_dir


def _write_project(target_dir: Path, languages: list[str]) -> None:
    """docs/ and mkdocs.yml next to data/, using the klartext plugin."""
    shutil.copytree(ROOT / "docs", target_dir / "docs", dirs_exist_ok=True)
    # the hand-written pages place the example's figures ([[abbildung: …]]): bring them along
    shutil.copy(ROOT / "data" / "figures.yml", target_dir / "data" / "figures.yml")
    if (ROOT / "data" / "documents.yml").is_file():  # the sources the figures name (provenance)
        shutil.copy(ROOT / "data" / "documents.yml", target_dir / "data" / "documents.yml")
    config = read_config(ROOT / "mkdocs.yml")
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    i18n["languages"] = [entry for entry in i18n["languages"]
                         if entry.get("default") or entry["locale"] in languages]
    write_config(target_dir / "mkdocs.yml", config)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--measures", type=int, default=150)
    parser.add_argument("--fields", type=int, default=9)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--data-only", action="store_true", help="write only data/, no docs/ or mkdocs.yml")
    args = parser.parse_args()
    generate(args.target, args.measures, args.fields, args.seed, project=not args.data_only)
    print(args.target)


if __name__ == "__main__":
    main()
