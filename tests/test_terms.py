"""A city's own words: „Lokaler Integrationsplan“ and „Empfehlung“ instead of Lehrte's
„Integrationskonzept“ and „Maßnahme“, set once in the data, reach every label, page, feed and PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import MINIMAL, build, edit, make_project, read_config, write_config
from klartext.labels import load_labels
from klartext.problems import DataError
from klartext.validation import load_concept

GERMAN_TERMS = """\
  terms:
    concept:
      singular: Lokaler Integrationsplan
      nominative: der Lokale Integrationsplan
      genitive: des Lokalen Integrationsplans
      dative: dem Lokalen Integrationsplan
    measure:
      singular: Empfehlung
      plural: Empfehlungen
      dative_plural: Empfehlungen
      genitive: der Empfehlung
      nominative: die Empfehlung
      this: diese Empfehlung
      this_accusative: diese Empfehlung
      this_dative: dieser Empfehlung
      every: jede Empfehlung
      every_dative: jeder Empfehlung
      new: neue Empfehlung
      a_new: eine neue Empfehlung
"""

ENGLISH_TERMS = """\
concept:
  terms:
    concept:
      singular: Local Integration Plan
    measure:
      singular: recommendation
      plural: recommendations
"""


def _city(tmp_path: Path) -> Path:
    """The minimal project as a second city: de, en and Leichte Sprache, its own words, no project group."""
    project = make_project(tmp_path)
    concept = project / "data" / "concept.yml"
    edit(concept, "  title: Integrationskonzept Musterstadt", "  title: Lokaler Integrationsplan Musterstadt")
    edit(concept, "jedes Leitziel hat Maßnahmen.", "jedes Leitziel hat Empfehlungen.")
    edit(concept, "  office: Team Integration\n", "  office: Team Integration\n" + GERMAN_TERMS)
    english = project / "data" / "translations" / "en.yml"
    edit(english, "concept:\n", ENGLISH_TERMS)
    edit(english, "Integration concept of Musterstadt", "Local Integration Plan of Musterstadt")
    config = project / "mkdocs.yml"
    settings = read_config(config)
    i18n = next(p["i18n"] for p in settings["plugins"] if isinstance(p, dict) and "i18n" in p)
    i18n["languages"] = [entry for entry in i18n["languages"] if entry["locale"] in ("de", "en", "ls")]
    write_config(config, settings)
    return project


def _visible(html: str) -> str:
    """The text a reader sees (tags, scripts, URLs and data keys such as ``measures/x/title`` left out)."""
    html = re.sub(r"<(script|style|code)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_labels_say_the_citys_words(tmp_path: Path) -> None:
    project = _city(tmp_path)
    data, _ = load_concept(project / "data", ["en", "ls"], project)
    german = load_labels("de", []).bind(data)
    assert german("page.measures") == "Alle Empfehlungen"
    assert german("count.measures.one", n=1) == "1 Empfehlung"
    assert german("feed.added", title="X") == "Neue Empfehlung: X"
    assert german("glossary.intro") == "Wichtige Begriffe aus dem Lokalen Integrationsplan, einfach erklärt."
    assert german("contact.intro") == "Haben Sie Fragen oder Hinweise zum Lokalen Integrationsplan?"
    assert german("timeline.intro").startswith("So ist der Lokale Integrationsplan bisher entstanden")
    english = load_labels("en", ["de"]).bind(data)
    assert english("page.measures") == "All recommendations"
    assert english("contact.web.link") == "The Local Integration Plan on the city's website"
    easy = load_labels("ls", ["de"]).bind(data)  # no ls forms given: the German ones
    assert easy("budget.none") == "Bei dieser Empfehlung stehen keine Kosten."
    # Lehrte's words stay where the data sets nothing
    assert load_labels("de", [])("page.measures") == "Alle Maßnahmen"


def test_a_renamed_term_needs_its_forms_in_every_language(tmp_path: Path) -> None:
    project = _city(tmp_path)
    english = project / "data" / "translations" / "en.yml"
    edit(english, "      plural: recommendations\n", "")
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", ["en", "tr", "ls"], project)
    messages = [f"{problem.file}:{problem.line}: {problem.message}" for problem in caught.value.problems]
    assert any(message.startswith("data/translations/en.yml:5: Für den Begriff „measure“")
               and "plural" in message and "measures" in message for message in messages), messages
    assert any(message.startswith("data/translations/tr.yml:0: Die Daten nennen einen eigenen Begriff")
               and "önlemler" in message for message in messages), messages


def test_second_city_site_feed_and_pdf_use_its_words(tmp_path: Path) -> None:
    project = _city(tmp_path)
    edit(project / "data" / "field.yml", "    title: Lesepatenschaften\n",
         "    title: Lesepatenschaften\n    added: 2024-06\n")
    site = build(project)
    pages = {path: _visible(path.read_text(encoding="utf-8")) for path in site.rglob("*.html")}
    german = {path: text for path, text in pages.items() if not path.relative_to(site).parts[0] in ("en", "ls")}
    english = {path: text for path, text in pages.items() if path.relative_to(site).parts[0] == "en"}
    assert len(german) > 10 and len(english) > 10
    for path, text in german.items():
        assert "Maßnahme" not in text and "Integrationskonzept" not in text, path
        assert "Projektgruppe" not in text, path
    for path, text in english.items():
        assert not re.search(r"\b[Mm]easures?\b", text) and "integration concept" not in text, path
    assert "Alle Empfehlungen" in pages[site / "massnahmen" / "index.html"]
    assert "All recommendations" in pages[site / "en" / "massnahmen" / "index.html"]
    contact = pages[site / "kontakt" / "index.html"]
    assert "Haben Sie Fragen oder Hinweise zum Lokalen Integrationsplan?" in contact
    assert "freut sich" not in contact
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "Neue Empfehlung: Lesepatenschaften" in feed and "Maßnahme" not in feed
    assert "New recommendation" in (site / "en" / "feed.xml").read_text(encoding="utf-8")
    download = (site / "daten" / "datapackage.json").read_text(encoding="utf-8")
    assert '"title": "Empfehlungen"' in download and "Maßnahme" not in download
    pdf = " ".join(page.extract_text() for page in PdfReader(site / "integrationskonzept.pdf").pages)
    pdf = " ".join(pdf.split())
    assert "Empfehlungen" in pdf and "des Lokalen Integrationsplans" in pdf
    assert "Maßnahme" not in pdf and "Integrationskonzept" not in pdf


def test_term_check_fires_on_two_renderings_and_is_quiet_on_the_example(tmp_path: Path) -> None:
    """One term, one translation: „Handlungsfeld“ rendered as „field of action“ and „area of activity“."""
    from helpers import ROOT

    project = tmp_path / "project"
    shutil.copytree(MINIMAL / "data", project / "data")
    (project / "data" / "begriffe.yml").write_text(
        "terminology:\n"
        "  - id: handlungsfeld\n"
        "    de: [Handlungsfeld*]\n"
        "    approved:\n"
        "      en: [field* of action]\n"
        "glossary:\n"
        "  - id: handlungsfeld\n"
        "    term: Handlungsfeld\n"
        "    definition: Ein Themenbereich. Jedes Handlungsfeld hat eigene Ziele.\n", encoding="utf-8")
    english = project / "data" / "translations" / "en.yml"
    english.write_text(english.read_text(encoding="utf-8") + (
        "glossary:\n"
        "  handlungsfeld:\n"
        "    term: Field of action\n"
        "    definition: A subject area. Each area of activity has goals of its own.\n"), encoding="utf-8")
    _, warnings = load_concept(project / "data", ["en"], project)
    found = [f"{problem.file}:{problem.line}: {problem.message}" for problem in warnings
             if "vereinbarte Übersetzung" in problem.message]
    assert len(found) == 1, found
    assert found[0].startswith("data/translations/en.yml:31: en: Der deutsche Text verwendet „Handlungsfeld“, "
                               "die Übersetzung aber nicht die vereinbarte Übersetzung „field* of action“ "
                               "(glossary/handlungsfeld/definition)."), found
    _, warnings = load_concept(ROOT / "data", ["en", "tr", "ar", "uk", "ru", "ls"], ROOT, ROOT / "docs")
    assert [problem for problem in warnings if "vereinbarte Übersetzung" in problem.message] == []


def test_term_check_reads_hand_written_pages(tmp_path: Path) -> None:
    from klartext.terminology import check_pages

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "seite.md").write_text("# Stand\n\nNeun Handlungsfelder gehören dazu.\n\nEnde.\n", encoding="utf-8")
    (docs / "seite.ru.md").write_text("# Статус\n\nВ неё входят девять сфер деятельности.\n\nКонец.\n",
                                      encoding="utf-8")
    data, _ = load_concept(Path(__file__).parent.parent / "data", ["ru"])
    found = check_pages(data, ["ru"], docs, tmp_path)
    assert [(problem.file, problem.line) for problem in found] == [("docs/seite.ru.md", 3)]
    assert "„направлени* деятельности“" in found[0].message
