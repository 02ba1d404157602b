"""Status reports as snapshots (``klartext bericht``): the file, its checks, the comparison and the pages.

One small project is built once: a first report is taken, a measure's state changed, an update added and
an indicator value changed, a second report taken, then one more value added. The second report's page
must show exactly the first set of changes, the changes page exactly the last one, in German and Arabic.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import MINIMAL, ROOT, build, edit, make_project, read_config
import material

from klartext import command
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.pages import PageBuilder
from klartext.render import THEME_DIR, Renderer
from klartext.problems import DataError
from klartext.reports import compare, freeze, latest_comparison, render
from klartext.text import PartialDate
from klartext.validation import load_concept

LANGUAGES = ["en", "ar", "tr", "uk", "ru", "ls"]


def _bericht(project: Path, *args: str) -> int:
    return command.main(["--projekt", str(project), "bericht", *args])


def _change_a(project: Path) -> None:
    """State geplant -> idee, one new update, the 2024 value 65 -> 66."""
    field = project / "data" / "field.yml"
    edit(field, "    state: geplant\n", "    state: idee\n")
    edit(field, "        text: Zehn Patinnen haben begonnen.\n",
         "        text: Zehn Patinnen haben begonnen.\n      - date: 2025-02-03\n"
         "        text: Zwanzig Kinder lesen jetzt jede Woche.\n")
    edit(field, "      - date: 2024\n        value: 65\n", "      - date: 2024\n        value: 66\n")


def _change_b(project: Path) -> None:
    """A new value for 2025."""
    edit(project / "data" / "field.yml", "      - date: 2024\n        value: 66\n",
         "      - date: 2024\n        value: 66\n      - date: 2025\n        value: 70\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("reports"))
    assert _bericht(project, "erster", "--datum", "2024-06-30", "--titel", "1. Sachstandsbericht") == 0
    _change_a(project)
    assert _bericht(project, "zweiter", "--datum", "2025-03-01", "--titel", "2. Sachstandsbericht") == 0
    _change_b(project)
    return build(project)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip()


def _changes(html: str) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """Every change listed on a page: (status, title link, title text, [(dt, dd) as classes+text])."""
    found = []
    items = re.findall(r'<li class="kt-delta kt-delta--(\w+)"><p class="kt-delta__title">(.*?)</p>\n'
                       r'(.*?(?:</dl>|</p>))\n</li>', html, re.S)
    for status, title, details in items:
        link = re.search(r'href="([^"]*)"', title)
        pairs = [(_text(dt), (_text(dd) + " " + " ".join(re.findall(r"kt-state--([\w-]+)", dd))).strip())
                 for dt, dd in re.findall(r"<dt>(.*?)</dt>\n<dd>(.*?)</dd>", details, re.S)]
        found.append((status, link.group(1) if link else "", _text(title), pairs))
    return found


def _page(site: Path, prefix: str, path: str) -> str:
    return (site / prefix / path / "index.html").read_text(encoding="utf-8")


def test_report_page_shows_exactly_the_changes_since_the_report_before_it(site: Path) -> None:
    german = _changes(_page(site, "", "berichte/zweiter"))
    assert german == [
        ("changed", "../../massnahmen/lesepaten/", "Lesepatenschaften", [
            ("Stand", "Geplant →geändert zu Idee geplant idee"),
            ("1 neue Fortschrittsmeldung", "3. Februar 2025: Zwanzig Kinder lesen jetzt jede Woche."),
        ]),
        ("changed", "../../handlungsfelder/bildung/#indikator-lesequote", "Anteil guter Leserinnen und Leser", [
            ("Wert 2024", "65 →geändert zu 66"),
        ]),
    ]
    arabic = _changes(_page(site, "ar", "berichte/zweiter"))
    assert arabic == [
        ("changed", "../../massnahmen/lesepaten/", "Lesepatenschaften (بالألمانية)", [
            ("الحالة", "Geplant (بالألمانية) ←تغيّر إلى Idee (بالألمانية) geplant idee"),
            ("تقرير تقدّم جديد واحد", "3 فبراير 2025: Zwanzig Kinder lesen jetzt jede Woche. (بالألمانية)"),
        ]),
        ("changed", "../../handlungsfelder/bildung/#indikator-lesequote",
         "Anteil guter Leserinnen und Leser (بالألمانية)", [("القيمة 2024", "65 ←تغيّر إلى 66")]),
    ]
    html = _page(site, "ar", "berichte/zweiter")
    assert '<html lang="ar" dir="rtl"' in html or 'lang="ar"' in html.split(">", 2)[1]
    assert '<span lang="de" dir="ltr">2. Sachstandsbericht</span>' in html  # the report's own title


def test_changes_page_compares_with_the_newest_report(site: Path) -> None:
    for prefix, label in (("", "Wert 2025"), ("ar", "القيمة 2025")):
        html = _page(site, prefix, "aenderungen")
        assert _changes(html) == [
            ("changed", "../handlungsfelder/bildung/#indikator-lesequote",
             _changes(html)[0][2], [(label, f"{'nicht angegeben' if not prefix else 'غير محدَّد'} "
                                             f"{'→geändert zu' if not prefix else '←تغيّر إلى'} 70")]),
        ]
        assert 'href="../berichte/zweiter/"' in html
        assert "kt-source" not in html  # not the list of dated updates since a configured day


def test_field_page_says_what_changed_since_the_report_and_the_measure_page_stays_quiet(site: Path) -> None:
    field = _page(site, "", "handlungsfelder/bildung")
    block = field[field.index('<div class="kt-since">'):]
    block = block[:block.index('<p class="kt-since__more">')]
    assert "Seit dem Bericht vom 1. März 2025" in _text(block)
    assert "Wert 2025" in _text(block) and "70" in _text(block)
    assert field.count('<div class="kt-since">') == 1
    # the measure did not change since the second report: no block
    assert 'class="kt-since"' not in _page(site, "", "massnahmen/lesepaten")


def test_every_language_has_both_report_pages_in_the_navigation(site: Path) -> None:
    for prefix in ("", *LANGUAGES):
        for name in ("erster", "zweiter"):
            html = _page(site, prefix, f"berichte/{name}")
            assert 'class="kt-stand"' in html
        changes = _page(site, prefix, "aenderungen")  # the navigation beside the changes page
        assert 'href="../berichte/zweiter/"' in changes and 'href="../berichte/erster/"' in changes, prefix
    first = _page(site, "", "berichte/erster")
    assert "Das ist der erste Bericht" in first and 'href="../zweiter/"' in first
    assert "Bericht vom 30. Juni 2024" in first


def test_feed_lists_the_reports_and_only_what_is_new_since_the_newest(site: Path) -> None:
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    ids = [entry.split(":integrationskonzept/")[1] for entry in re.findall(r"<id>([^<]+)</id>", feed)[1:]]
    # the measure's update of 2025-02-03 is in the newest report already; a value is no feed entry
    assert ids == ["bericht/zweiter", "bericht/erster"]


def test_snapshot_round_trip_and_comparison_without_building(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert _bericht(project, "stand", "--datum", "2024-06") == 0
    data, _ = load_concept(project / "data", LANGUAGES, project)
    assert [report.name for report in data.reports] == ["stand"]
    assert data.reports[0].title == "1. Sachstandsbericht"  # the concept's stage by default
    assert latest_comparison(data).changes == []
    _change_a(project)
    edit(project / "data" / "field.yml", "    state: idee\n", "    state: idee\n    progress: 40\n")
    data, _ = load_concept(project / "data", LANGUAGES, project)
    changes = latest_comparison(data).changes
    assert [(c.collection, c.id, [(f.key, f.before, f.after) for f in c.fields], [str(d) for d in c.new_updates],
             [(str(v.date), v.before, v.after) for v in c.values]) for c in changes] == [
        ("measures", "lesepaten", [("state", "geplant", "idee"), ("progress", None, 40)], ["2025-02-03"], []),
        ("indicators", "lesequote", [], [], [("2024", 65, 66)]),
    ]
    # a report is stable text: the same data gives the same file
    assert render("T", PartialDate(2024), freeze(data)) == render("T", PartialDate(2024), freeze(data))


def test_records_that_appeared_or_disappeared_are_listed_as_such(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    data, _ = load_concept(project / "data", LANGUAGES, project)
    snapshot = freeze(data)
    snapshot["measures"]["alt"] = {"title": "Alte Maßnahme", "state": "gibt-es-nicht"}
    del snapshot["indicators"]["lesequote"]
    (project / "data" / "reports").mkdir()
    (project / "data" / "reports" / "alt.yml").write_text(render("Alt", PartialDate(2024), snapshot), "utf-8")
    data, _ = load_concept(project / "data", LANGUAGES, project)
    changes = compare(data.reports[0], None, data).changes
    assert [(c.collection, c.id, c.status, c.title) for c in changes] == [
        ("measures", "alt", "removed", "Alte Maßnahme"),
        ("indicators", "lesequote", "added", "Anteil guter Leserinnen und Leser")]
    # on the Arabic changes page: the gone measure by its German title, marked as German; the state id
    # the data no longer knows is shown as it is, in the report's table
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    builder = PageBuilder(data, Language("ar", "العربية"), load_labels("ar", ["de"]), renderer)
    pages = {page.path: page.markdown for page in builder.pages()}
    found = _changes(pages["aenderungen.md"])
    assert [(status, link, title) for status, link, title, _ in found] == [
        ("removed", "", "Alte Maßnahme (بالألمانية)"),
        ("added", "../handlungsfelder/bildung/#indikator-lesequote", "Anteil guter Leserinnen und Leser (بالألمانية)")]
    assert '<span lang="de" dir="ltr">Alte Maßnahme</span>' in pages["aenderungen.md"]
    assert '<span lang="de" dir="ltr">gibt-es-nicht</span>' in pages["berichte/alt.md"]


def test_the_command_never_overwrites_a_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = make_project(tmp_path)
    assert _bericht(project, "stand", "--datum", "2024-06-30") == 0
    path = project / "data" / "reports" / "stand.yml"
    before = path.read_bytes()
    _change_a(project)
    capsys.readouterr()
    assert _bericht(project, "stand", "--datum", "2025-01-01") == 1
    assert capsys.readouterr().err == (
        "Den Bericht „stand“ gibt es schon (data/reports/stand.yml). Ein Bericht wird nie überschrieben: bitte "
        "einen anderen Namen wählen. (Soll der alte Bericht wirklich ersetzt werden, die Datei zuerst selbst "
        "löschen.)\n")
    assert path.read_bytes() == before


def test_the_command_refuses_broken_data_and_wrong_names(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = make_project(tmp_path)
    edit(project / "data" / "field.yml", "    state: geplant\n", "    state: gibt-es-nicht\n")
    assert _bericht(project, "stand") == 1
    err = capsys.readouterr().err
    assert "data/field.yml:" in err and "Kein Bericht geschrieben" in err
    assert not (project / "data" / "reports").exists()
    assert _bericht(project, "Stand 2024") == 2
    assert "„Stand 2024“ ist als Name eines Berichts nicht möglich" in capsys.readouterr().err
    assert _bericht(project) == 2
    assert capsys.readouterr().err == "Bitte den Namen des Berichts angeben, z. B.: klartext bericht 3-sachstandsbericht\n"
    assert _bericht(project, "stand", "--datum", "30.06.2024") == 2
    assert capsys.readouterr().err == ("--datum: „30.06.2024“ ist kein gültiges Datum. Bitte als JJJJ-MM-TT "
                                       "schreiben, z. B. 2024-11-30.\n")


def test_a_broken_report_file_gets_german_messages_with_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert _bericht(project, "stand", "--datum", "2024-06-30") == 0
    path = project / "data" / "reports" / "stand.yml"
    edit(path, "    state: geplant\n", "    state: Geplant!\n    farbe: blau\n")
    edit(path, "      '2024': 65\n", "      '2024': 65\n      '2024-13': 3\n")
    lines = path.read_text(encoding="utf-8").splitlines()
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", LANGUAGES, project)
    assert [str(problem) for problem in caught.value.problems] == [
        f"data/reports/stand.yml:{lines.index('    state: Geplant!') + 1}: „Geplant!“ ist keine gültige Kennung "
        "(bei „state“): nur Kleinbuchstaben, Ziffern und einzelne Bindestriche.",
        f"data/reports/stand.yml:{lines.index('    farbe: blau') + 1}: Unbekannter Schlüssel „farbe“. Erlaubt sind "
        "hier: title, state, start, end, actual_start, actual_end, progress, responsible, funding, per_year, "
        "milestones_done, updates.",
        f"data/reports/stand.yml:{lines.index(chr(32) * 6 + repr('2024-13') + ': 3') + 1}: „2024-13“ ist kein "
        "gültiges Datum (bei „values“). Bitte als JJJJ, JJJJ-MM oder JJJJ-MM-TT schreiben, z. B. 2024-11-30.",
    ]


def test_a_report_file_that_is_no_yaml_names_its_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    folder = project / "data" / "reports"
    folder.mkdir()
    (folder / "kaputt.yml").write_text("report:\n  title: x\n  date: 2024\n measures: [\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_concept(project / "data", LANGUAGES, project)
    assert [(p.file, p.line) for p in caught.value.problems] == [("data/reports/kaputt.yml", 4)]
    assert caught.value.problems[0].message.startswith("YAML-Syntaxfehler")


def test_without_reports_nothing_changes() -> None:
    data, _ = load_concept(MINIMAL / "data", LANGUAGES, MINIMAL)
    assert data.reports == [] and latest_comparison(data) is None


def test_report_pages_in_a_browser_pass_axe_and_read_in_the_script_direction(site: Path, browser) -> None:
    """axe-core (WCAG 2.1 A/AA) on the report page, the changes page and a field page in de, ar and ls;
    in Arabic the old value stands right of the new one, in German left of it."""
    from urllib.parse import urlsplit

    import axe_playwright_python
    from browsing import serve

    axe = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    violations, order = [], {}
    with serve(site) as base:  # the session's Chromium: a second Playwright in one thread is refused
        tab = browser.new_page(viewport={"width": 390, "height": 900})
        tab.add_init_script(axe)
        mount = base + urlsplit(read_config(ROOT / "mkdocs.yml")["site_url"]).path  # the site's sub-path
        for prefix in ("", "ar/", "ls/"):
            for path in ("berichte/zweiter/", "aenderungen/", "handlungsfelder/bildung/"):
                tab.goto(f"{mount.rstrip('/')}/{prefix}{path}")
                result = tab.evaluate("() => axe.run(document, {runOnly: {type: 'tag', values: "
                                      "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})")
                violations += [f"{prefix}{path} {v['id']}: {n['target']}" for v in result["violations"]
                               for n in v["nodes"]]
            tab.goto(f"{mount.rstrip('/')}/{prefix}berichte/zweiter/")
            before = tab.locator(".kt-delta__before").first.bounding_box()
            after = tab.locator(".kt-delta__after").first.bounding_box()
            order[prefix] = (before["x"] < after["x"], before["y"] < after["y"] - 5)
        tab.close()
    assert violations == []
    assert order[""][0] and not order["ar/"][0]  # read left to right / right to left
    assert order["ls/"][1]  # Leichte Sprache: "Jetzt: …" on a line of its own


@pytest.mark.parametrize(("code", "shown"), [("de", "55 %"), ("tr", "%55"), ("ls", "55 Prozent")])
def test_a_frozen_percentage_is_written_as_the_language_writes_it(code: str, shown: str) -> None:
    """The kind ``percent`` (for a progress in percent, should the list of frozen fields take one)."""
    from klartext import links

    data, _ = load_concept(MINIMAL / "data", LANGUAGES, MINIMAL)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    language = Language(code, code, "de" if code == "ls" else "")
    view = PageBuilder(data, language, load_labels(code, ["de"]), renderer)._view(links.CHANGES)
    template = renderer.env.from_string('{% import "klartext/comparison.html" as cmp with context %}'
                                        '{{ cmp.shown(v, "percent", 55) }}|{{ cmp.shown(v, "percent", none) }}')
    assert template.render(v=view, links=links) == shown + "|" + (
        '<span class="kt-delta__empty">' + load_labels(code, ["de"])("report.empty") + "</span>")


def test_report_pages_are_valid_html(site: Path) -> None:
    from test_html_valid import _ignored, validate

    pages = [site / prefix / path / "index.html" for prefix in ("", "ar", "ls")
             for path in ("berichte/erster", "berichte/zweiter", "aenderungen", "handlungsfelder/bildung")]
    messages = [message for message in validate(pages)
                if message["type"] in ("error", "non-document-error") and not _ignored(message)]
    assert [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages] == []
