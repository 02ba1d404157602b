"""Recommendations and the decisions on them (issue 16): loading, one broken fixture per error with its exact
German message, the pages in German and Arabic as a reader sees them, downloads, PDF, translations, and a
city without recommendations that sees none of it."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import FIXTURES, build, edit, make_project
from klartext.problems import DataError
from klartext.validation import load_concept

LANGUAGES = ["en", "ar", "ls"]
OVERLAY = FIXTURES / "recommendations"
BROKEN = FIXTURES / "broken_recommendations"


def recommendation_project(tmp_path: Path) -> Path:
    """The minimal concept plus the second city's recommendations (tests/fixtures/recommendations)."""
    project = make_project(tmp_path)
    shutil.copytree(OVERLAY / "data", project / "data", dirs_exist_ok=True)
    edit(project / "data" / "field.yml", "    state: geplant\n    responsible: lesehilfe",
         "    state: geplant\n    implements: [he-5]\n    responsible: lesehilfe")
    return project


# ---------------------------------------------------------------------------------------------
# loading and validation


def test_recommendations_load_with_decisions_fields_and_implementing_measures(tmp_path: Path) -> None:
    project = recommendation_project(tmp_path)
    data, warnings = load_concept(project / "data", LANGUAGES, project)
    assert warnings == []
    assert [(item.number, item.fields, item.decision.state) for item in data.recommendations] == [
        ("HE 5", ["bildung"], "angenommen"), ("HE 7", ["bildung", "sprache"], "geaendert"),
        ("SP 2", ["sprache"], "offen")]
    assert [item.id for item in data.recommendations_of("sprache")] == ["he-7", "sp-2"]
    assert [measure.id for measure in data.measures_implementing("he-5")] == ["lesepaten"]
    assert [measure.id for measure in data.measures_implementing("sp-2")] == []
    he7 = data.get("recommendations", "he-7")
    assert he7.decision.reason.get("ar") == "في خمس رياض أطفال أولًا، لأن المال لا يكفي إلا لذلك."
    assert [name.de for name in data.get("recommendations", "he-5").addressed_to] == ["lesehilfe", "Rat der Stadt"]


def test_a_number_typed_as_a_number_keeps_its_digits(tmp_path: Path) -> None:
    project = recommendation_project(tmp_path)
    edit(project / "data" / "recommendations.yml", "number: SP 2", "number: 2.10")
    data, _ = load_concept(project / "data", LANGUAGES, project)
    assert data.get("recommendations", "sp-2").number == "2.10"


CASES = {
    "unknown_field": "6: „bildungg“ ist keine bekannte Kennung für Handlungsfeld (in „fields“ von „he-9“). Meinten "
                     "Sie „bildung“?",
    "unknown_decision_state": "8: „beschlossen“ ist keine bekannte Kennung für Entscheidungsstand (decision_states) "
                              "(in „decision“ von „he-9“). Vorhanden sind: angenommen, geaendert, abgelehnt, offen.",
    "unknown_recommendation": "8: „he-55“ ist keine bekannte Kennung für Empfehlung (in „implements“ von "
                              "„bibliothek“). Meinten Sie „he-5“?",
    "unknown_decision_document": "10: „ratsbeschlus“ ist keine bekannte Kennung für Dokument (documents) (in "
                                 "„decision“ von „he-9“). Meinten Sie „ratsbeschluss“?",
    "unknown_addressee": "9: „lesehilfee“ in „addressed_to“ von „he-9“ sieht aus wie eine Kennung, ist aber keine "
                         "bekannte Kennung für Akteur (Organisation). Meinten Sie „lesehilfe“? Einen Namen bitte so "
                         "schreiben, wie er lautet (z. B. „Rat der Stadt“).",
    "rejected_without_reason": "8: Die Entscheidung über die Empfehlung „he-9“ lautet „Abgelehnt“, aber die "
                               "Begründung fehlt. Bitte unter „decision:“ bei „reason:“ angeben, warum sie geändert "
                               "oder abgelehnt wurde.",
    "decided_without_date": "8: Die Entscheidung über die Empfehlung „he-9“ lautet „Angenommen“, nennt aber kein "
                            "Datum. Bitte unter „decision:“ das Datum der Entscheidung („date:“) angeben.",
    "missing_decision": "2: Die Angabe „decision“ fehlt. Bitte ergänzen.",
    "missing_number": "2: Die Angabe „number“ fehlt. Bitte ergänzen.",
    "no_field": "6: Die Empfehlung „he-9“ nennt kein Handlungsfeld. Bitte unter „fields:“ mindestens eine Kennung "
                "aus „fields:“ angeben.",
    "duplicate_number": "3: Die Nummer „HE 5“ hat schon die Empfehlung „he-5“. Bitte die Nummer prüfen.",
    "markup_in_number": "3: Die Nummer „<b>HE 9</b>“ darf keine Zeichen < > { } und keinen Zeilenumbruch "
                        "enthalten. Bitte so schreiben wie in der Quelle, z. B. „HE 5“.",
    "state_without_category": "2: Die Angabe „category“ fehlt. Bitte ergänzen.",
    "wrong_category": "4: „verschoben“ ist für „category“ nicht erlaubt. Erlaubt sind: „angenommen“, „geaendert“, "
                      "„abgelehnt“, „offen“.",
    "field_twice": "9: „bildung“ steht zweimal in „fields“ von „he-9“. Bitte einen der beiden Einträge löschen.",
    "implements_twice": "8: „he-5“ steht zweimal in „implements“ von „bibliothek“. Bitte einen der beiden Einträge "
                        "löschen.",
    "reserved_id": "2: Die Kennung „index“ ist vergeben: unter empfehlungen/index.html steht die Übersicht der "
                   "Empfehlungen, die Seite dieser Empfehlung würde sie ersetzen. Bitte eine andere Kennung wählen.",
}
"""Broken fixture (an extra file data/zz-broken.yml beside the recommendations) -> the exact report line."""


def test_every_broken_recommendation_fixture_has_a_case() -> None:
    assert {path.stem for path in BROKEN.glob("*.yml")} == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_recommendation_reports_file_line_and_german_message(tmp_path: Path, case: str) -> None:
    project = recommendation_project(tmp_path)
    shutil.copy(BROKEN / f"{case}.yml", project / "data" / "zz-broken.yml")
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", LANGUAGES, project)
    assert [str(problem) for problem in caught.value.problems] == [f"data/zz-broken.yml:{CASES[case]}"]


def test_check_command_reports_every_broken_recommendation_at_once(tmp_path: Path) -> None:
    """What staff read from ``./klartext check``: independent problems of two files, German, exit 1."""
    import os
    import subprocess
    import sys

    from helpers import ROOT

    project = recommendation_project(tmp_path)
    shutil.copy(BROKEN / "rejected_without_reason.yml", project / "data" / "zz-a.yml")
    shutil.copy(BROKEN / "unknown_recommendation.yml", project / "data" / "zz-b.yml")
    result = subprocess.run([sys.executable, "-m", "klartext.check"], cwd=project, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")})
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines()[1:3] == [
        f"  - data/zz-a.yml:{CASES['rejected_without_reason']}", f"  - data/zz-b.yml:{CASES['unknown_recommendation']}"]


# ---------------------------------------------------------------------------------------------
# the built site


@pytest.fixture(scope="module")
def rec_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(recommendation_project(tmp_path_factory.mktemp("recommendations")))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_downloads_carry_recommendations_decisions_and_implementing_measures(rec_site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_text(rec_site / "daten" / "empfehlungen.csv"))))
    assert [(row["nummer"], row["handlungsfelder"], row["entscheidung_art"], row["massnahmen"]) for row in rows] == [
        ("HE 5", "bildung", "angenommen", "lesepaten"), ("HE 7", "bildung sprache", "geaendert", "kita-sprache"),
        ("SP 2", "sprache", "offen", "")]
    assert rows[1]["entscheidung_begruendung"] == "Zuerst in fünf Kitas, weil das Geld nur dafür reicht."
    assert rows[0]["gerichtet_an"] == "lesehilfe | Rat der Stadt"
    arabic = json.loads(_text(rec_site / "ar" / "daten" / "empfehlungen.json"))
    assert arabic[0]["titel"] == "توسيع برنامج رعاة القراءة"
    package = json.loads(_text(rec_site / "daten" / "datapackage.json"))
    assert {"empfehlungen-csv", "empfehlungen-json"} <= {resource["name"] for resource in package["resources"]}
    measures = {row["id"]: row["empfehlungen"] for row in csv.DictReader(io.StringIO(_text(rec_site / "daten" / "massnahmen.csv")))}
    assert measures == {"lesepaten": "he-5", "kita-sprache": "he-7"}


def test_translators_get_the_recommendation_texts(tmp_path: Path) -> None:
    from klartext.translations import export_po

    project = recommendation_project(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    po = export_po(data, "en", "en")
    contexts = {entry.msgctxt for entry in po}
    assert {"recommendations/he-7/title", "recommendations/he-7/text", "recommendations/he-7/decision/reason",
            "decision_states/geaendert/label"} <= contexts


def test_a_translated_po_file_brings_the_decision_reason_into_the_translation_file(tmp_path: Path) -> None:
    from klartext.translations import export_po, import_po

    project = recommendation_project(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    po = export_po(data, "en", "en")
    for entry in po:
        if entry.msgctxt == "recommendations/he-7/decision/reason":
            entry.msgstr = "Five day-care centres first: the money covers no more."
    report = import_po(data, po, "en", project / "data")
    assert report.refused == []
    assert report.changed == ["recommendations/he-7/decision/reason: (fehlte) → „Five day-care centres first: the "
                              "money covers no more.“"]
    data, _ = load_concept(project / "data", LANGUAGES, project)
    reason = data.get("recommendations", "he-7").decision.reason
    assert (reason.get("en"), reason.state("en")) == ("Five day-care centres first: the money covers no more.", "current")


def test_the_recommendations_a_measure_implements_make_the_spreadsheet_round_trip(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from klartext.spreadsheet import MEASURES, export_workbook, import_workbook

    project = recommendation_project(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    path = tmp_path / "massnahmen.xlsx"
    export_workbook(data, path)
    book = load_workbook(path)
    sheet = book[MEASURES]
    headings = [cell.value for cell in sheet[1]]
    column = headings.index("Setzt Empfehlungen um") + 1
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    assert sheet.cell(rows["kita-sprache"], column).value == "he-7"
    sheet.cell(rows["kita-sprache"], column).value = "he-7, sp-2"
    book.save(path)
    report = import_workbook(path, project / "data", project, LANGUAGES)
    assert report.problems == []
    data, _ = load_concept(project / "data", LANGUAGES, project)
    assert data.get("measures", "kita-sprache").implements == ["he-7", "sp-2"]
    assert [measure.id for measure in data.measures_implementing("sp-2")] == ["kita-sprache"]
    export_workbook(data, path)
    again = import_workbook(path, project / "data", project, LANGUAGES)
    assert again.problems == [] and again.changed == []


def test_pdf_has_a_chapter_with_every_recommendation(tmp_path: Path) -> None:
    import material

    from klartext.labels import load_labels
    from klartext.languages import SOURCE
    from klartext.pdf import document_html
    from klartext.render import THEME_DIR, Renderer

    project = recommendation_project(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    html = document_html(data, SOURCE, load_labels("de", []), renderer)
    chapter = html[html.index('<section class="kt-chapter" id="empfehlungen">'):]
    chapter = chapter[:chapter.index("</section>")]
    assert [re.sub(r"<[^>]+>", "", heading) for heading in re.findall(r"<h2>(.*?)</h2>", chapter)] == [
        "HE 5 Lesepatenschaften ausbauen", "HE 7 Sprachförderung in allen Kitas", "SP 2 Dolmetschpool gründen"]
    assert "Zuerst in fünf Kitas, weil das Geld nur dafür reicht." in chapter
    assert '<a href="#massnahme-kita-sprache">Sprachförderung in fünf Kitas</a>' in chapter
    assert '<li><a href="#empfehlungen">Empfehlungen</a></li>' in html


def test_a_city_without_recommendations_sees_none_of_it(minimal_site: Path) -> None:
    for variant in ("", "ar/", "ls/"):
        root = minimal_site / variant
        assert not (root / "empfehlungen").exists()
        assert not (root / "daten" / "empfehlungen.csv").exists()
        for page in ("index.html", "fortschritt/index.html", "massnahmen/lesepaten/index.html",
                     "handlungsfelder/bildung/index.html", "daten/index.html"):
            assert "empfehlungen" not in _text(root / page), (variant, page)
    package = json.loads(_text(minimal_site / "daten" / "datapackage.json"))
    assert not [resource for resource in package["resources"] if resource["name"].startswith("empfehlungen")]
    assert "empfehlungen" not in _text(minimal_site / "daten" / "massnahmen.csv").splitlines()[0]


# ---------------------------------------------------------------------------------------------
# what the reader sees (Chromium at phone and desktop width)


@pytest.fixture(scope="module")
def rec_url(rec_site: Path):
    from browsing import serve

    with serve(rec_site) as url:
        yield url


def _words(locator) -> list[str]:
    return [" ".join(text.split()) for text in locator.all_inner_texts()]


def _visible(browser, url: str, width: int) -> tuple[str, object]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url)
    return " ".join(page.locator("article").inner_text().split()), page  # words as read, line boxes aside


@pytest.mark.parametrize("width", [390, 1280])
def test_german_recommendation_page_as_the_reader_sees_it(browser, rec_url: str, width: int) -> None:
    text, page = _visible(browser, f"{rec_url}/empfehlungen/he-7/", width)
    assert page.locator("h1").inner_text() == "HE 7: Sprachförderung in allen Kitas"
    assert "Entscheidung: Geändert angenommen · Handlungsfelder: 1. Bildung, 2. Sprache" in text
    facts = dict(zip(page.locator("dl.kt-facts dt").all_inner_texts(),
                     [" ".join(text.split()) for text in page.locator("dl.kt-facts dd").all_inner_texts()]))
    assert facts == {"Nummer": "HE 7", "Gerichtet an": "Fachbereich Jugend",
                     "Stand der Entscheidung": "Geändert angenommen", "Entschieden am": "12. März 2025",
                     "Entschieden von": "Rat der Stadt",
                     "Begründung": "Zuerst in fünf Kitas, weil das Geld nur dafür reicht.",
                     "Beschluss": "Beschluss des Rates vom 12. März 2025"}
    # the decision is never colour alone: an icon beside the words
    assert page.locator("dd .kt-state--geaendert .kt-icon svg").count() == 1
    assert page.locator("#massnahmen ~ * a", has_text="Sprachförderung in fünf Kitas").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_arabic_recommendation_page_as_the_reader_sees_it(browser, rec_url: str, width: int) -> None:
    text, page = _visible(browser, f"{rec_url}/ar/empfehlungen/he-7/", width)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("h1").inner_text() == "HE 7: دعم اللغة في جميع رياض الأطفال"
    number = page.locator("h1 .kt-rec-number")
    assert (number.get_attribute("lang"), number.get_attribute("dir")) == ("de", "ltr")
    assert "القرار: مقبولة مع تعديلات" in text
    assert "في خمس رياض أطفال أولًا، لأن المال لا يكفي إلا لذلك." in text
    # the number box sits at the right edge of the heading (start of an RTL line)
    heading, box = page.locator("h1").bounding_box(), number.bounding_box()
    assert heading["x"] + heading["width"] - (box["x"] + box["width"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


def test_overview_groups_by_field_and_by_decision(browser, rec_url: str) -> None:
    _, page = _visible(browser, f"{rec_url}/empfehlungen/", 1280)
    assert page.locator("h3").all_inner_texts() == [
        "1. Bildung (2)", "2. Sprache (2)", "Angenommen (1)", "Geändert angenommen (1)", "Abgelehnt (0)",
        "Noch nicht entschieden (1)"]
    # HE 7 spans both fields: listed under each
    assert _words(page.locator("#feld-bildung + ul li")) == [
        "HE 5 Lesepatenschaften ausbauen · Angenommen", "HE 7 Sprachförderung in allen Kitas · Geändert angenommen"]
    assert _words(page.locator("#feld-sprache + ul li")) == [
        "HE 7 Sprachförderung in allen Kitas · Geändert angenommen", "SP 2 Dolmetschpool gründen · Noch nicht entschieden"]
    page.close()


@pytest.mark.parametrize("variant", ["", "ar/"])
def test_dashboard_counts_recommendations_by_decision_and_each_number_leads_to_its_list(
        browser, rec_url: str, variant: str) -> None:
    _, page = _visible(browser, f"{rec_url}/{variant}fortschritt/", 390)
    table = page.locator("table.kt-dashboard--recommendations")
    counts = table.locator("tbody td").all_inner_texts()
    assert counts == ["1", "1", "0", "1"]
    assert table.locator("tfoot td").inner_text() == "3"
    table.locator("tbody a").nth(1).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{variant}empfehlungen/#entscheidung-geaendert")
    target = page.locator("#entscheidung-geaendert + p + ul li")
    assert target.count() == 1 and ("HE 7" in target.inner_text())
    page.close()


def test_measure_and_field_pages_link_their_recommendations(rec_site: Path) -> None:
    measure = _text(rec_site / "massnahmen" / "kita-sprache" / "index.html")
    assert re.search(r'<h2 id="empfehlungen">Empfehlungen, die diese Maßnahme umsetzt</h2>\s*<ul class="kt-list '
                     r'kt-rec-list">\s*<li><bdi class="kt-rec-number" dir="ltr">HE 7</bdi> <a href="../../empfehlungen/'
                     r'he-7/">Sprachförderung in allen Kitas</a>', measure)
    field = _text(rec_site / "handlungsfelder" / "sprache" / "index.html")
    assert re.findall(r'<a href="../../empfehlungen/([a-z0-9-]+)/">', field) == ["he-7", "sp-2"]
    # an addressee written as an actor's id links to the actor, a name is shown as written
    assert ('<dt>Gerichtet an</dt>\n<dd><a href="../../akteure/#akteur-lesehilfe">Verein Lesehilfe</a>, Rat der Stadt'
            '</dd>') in _text(rec_site / "empfehlungen" / "he-5" / "index.html")
    nav = _text(rec_site / "index.html")
    assert '<li><a href="empfehlungen/">Empfehlungen</a>: was empfohlen wurde und wie darüber entschieden wurde</li>' in nav
    assert re.search(r'href="empfehlungen/"[^>]*>\s*<span class="md-ellipsis">\s*Empfehlungen', nav)


def test_recommendation_pages_have_no_wcag_violation(browser, rec_url: str) -> None:
    """axe-core (WCAG 2.1 A/AA, every colour scheme) on the new pages in German, Arabic and Leichte Sprache."""
    from browsing import SitePage
    from test_browser import _axe, _axe_script

    context = browser.new_context()
    context.add_init_script(_axe_script())
    tab = context.new_page()
    violations = []
    for variant in ("", "ar/", "ls/"):
        for path in ("empfehlungen/index.html", "empfehlungen/he-7/index.html", "fortschritt/index.html",
                     "massnahmen/kita-sprache/index.html", "handlungsfelder/sprache/index.html"):
            page = SitePage(variant + path, variant.strip("/"), path.rsplit("/", 2)[0])
            tab.goto(rec_url + page.url)
            tab.wait_for_load_state()
            violations += _axe(tab, page, set())
    context.close()
    assert violations == [], "\n".join(violations)


def test_recommendation_pages_are_valid_html(rec_site: Path) -> None:
    from test_html_valid import _ignored, validate

    pages = [rec_site / variant / path for variant in ("", "ar", "ls")
             for path in ("empfehlungen/index.html", "empfehlungen/he-5/index.html", "empfehlungen/he-7/index.html",
                          "empfehlungen/sp-2/index.html", "fortschritt/index.html", "daten/index.html",
                          "massnahmen/kita-sprache/index.html", "handlungsfelder/bildung/index.html")]
    errors = [f"{message.get('url', '').rsplit('/site/', 1)[-1]}:{message.get('lastLine')}: {message['message']}"
              for message in validate(pages)
              if message["type"] in ("error", "non-document-error") and not _ignored(message)]
    assert errors == []


def test_texts_of_a_recommendation_are_escaped_everywhere(tmp_path: Path) -> None:
    """Number, title, addressee, body and reason are text, never markup: in text and in attributes."""
    import material

    from klartext.labels import load_labels
    from klartext.languages import SOURCE
    from klartext.pages import PageBuilder
    from klartext.render import THEME_DIR, Renderer

    project = recommendation_project(tmp_path)
    recommendations = project / "data" / "recommendations.yml"
    edit(recommendations, "title: Dolmetschpool gründen", 'title: "Pool <img src=x onerror=alert(1)> & \\"Co\\""')
    edit(recommendations, "number: SP 2", "number: SP 2 & \"3\"")
    edit(recommendations, "addressed_to: [Verwaltungsvorstand]", "addressed_to: ['<script>alert(2)</script>']")
    data, _ = load_concept(project / "data", LANGUAGES, project)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    builder = PageBuilder(data, SOURCE, load_labels("de", []), renderer)
    pages = {page.path: page for page in builder.pages()}
    page = pages["empfehlungen/sp-2.md"]
    assert "<img" not in page.markdown and "<script" not in page.markdown
    assert "Pool &lt;img src=x onerror=alert(1)&gt; &amp; &#34;Co&#34;" in page.markdown
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page.markdown
    assert '<bdi class="kt-rec-number" dir="ltr">SP 2 &amp; &#34;3&#34;</bdi>' in page.markdown
    assert page.title == "SP 2 &amp; &quot;3&quot;: Pool ‹img src=x onerror=alert(1)› &amp; &quot;Co&quot;"
    assert "<img" not in pages["empfehlungen/index.md"].markdown


def test_a_broken_record_causes_no_follow_on_message_about_recommendations(tmp_path: Path) -> None:
    """A wrong value sets aside only its record: an actor, a recommendation or a decision state with its own
    error is not reported again where a recommendation or measure names it."""
    project = recommendation_project(tmp_path)
    (project / "data" / "zz-broken.yml").write_text(
        "actors:\n"
        "  - id: stadtbibliothek\n"
        "    name: Stadtbibliothek\n"
        "    kind: verein\n"
        "    web: javascript:alert(1)\n"
        "decision_states:\n"
        "  - id: vertagt\n"
        "    label: Vertagt\n"
        "recommendations:\n"
        "  - id: he-9\n"
        "    number: HE 9\n"
        "    text: Jeder Stadtteil bekommt eine Bibliothek.\n"
        "    fields: [bildung]\n"
        "    decision:\n"
        "      state: offen\n"
        "  - id: he-10\n"
        "    number: HE 10\n"
        "    title: Bibliothek am Abend\n"
        "    text: Die Bibliothek hat abends offen.\n"
        "    fields: [bildung]\n"
        "    addressed_to: [stadtbibliothek]\n"
        "    decision:\n"
        "      state: vertagt\n"
        "measures:\n"
        "  - id: bibliothek\n"
        "    field: bildung\n"
        "    goals: [lesen]\n"
        "    title: Stadtteilbibliothek\n"
        "    summary: Eine Bibliothek im Stadtteil.\n"
        "    state: idee\n"
        "    implements: [he-9]\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", LANGUAGES, project)
    assert [str(problem) for problem in caught.value.problems if problem.severity == "error"] == [
        "data/zz-broken.yml:5: „javascript:alert(1)“ ist keine gültige Webadresse für „web“. Bitte mit https:// "
        "beginnen.",
        "data/zz-broken.yml:7: Die Angabe „category“ fehlt. Bitte ergänzen.",
        "data/zz-broken.yml:10: Die Angabe „title“ fehlt. Bitte ergänzen."]
