"""Leichte Sprache checks: each rule finds a known bad sentence and leaves a known good one alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ROOT, build, edit, make_project, mkdocs
from klartext.easy_language import Checker, Settings, check_project, markdown_sources
from klartext.validation import load_concept


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(Settings(), glossary_terms=["Handlungs·feld", "Integrations·konzept"], names=["Lehrte"])


def _rules(checker: Checker, text: str) -> set[str]:
    return {rule for _, rule, _ in checker.check(text)}


@pytest.mark.parametrize(("rule", "bad", "good"), [
    ("satzlaenge", "Die Stadt Lehrte hat im Jahr 2021 mit der Arbeit an einem großen Plan für alle Menschen "
                   "in der Stadt begonnen.",
     "Die Stadt hat 2021 mit dem Plan begonnen."),
    ("aussagen", "Der Bericht zeigt, wie weit die Arbeit ist.", "Der Bericht zeigt: So weit ist die Arbeit."),
    ("passiv", "Das Geld wird von der Stadt bezahlt.", "Die Stadt bezahlt das Geld."),
    ("konjunktiv", "Die Stadt würde gern helfen.", "Die Stadt hilft gern."),
    ("genitiv", "Das ist der Plan des Rates.", "Das ist der Plan vom Rat."),
    ("verneinung", "Das ist nicht teuer.\nUnd es ist nicht schwer.", "Das ist billig.\nUnd es ist leicht."),
    ("abkuerzung", "Es gibt z. B. Kurse.", "Es gibt zum Beispiel Kurse."),
    ("abkuerzung", "Die AWO hilft.", "Die Beratung hilft."),
    ("zahlwort", "Es gibt drei Gruppen.", "Es gibt 3 Gruppen."),
    ("sonderzeichen", "Es gibt Kurse (am Abend).", "Es gibt Kurse am Abend."),
    ("sonderzeichen", "Das kostet 20 %.", "Das kostet 20 Prozent."),
    ("langes-wort", "Die Stadtverwaltung hilft.", "Die Stadt·verwaltung hilft."),
    ("schweres-wort", "Das gilt wegen der Subsidiarität.", "Das gilt für die Stadt."),
    ("schweres-wort", "Das fördert die Ambiguitäts·toleranz.", "Das fördert die Geduld."),
])
def test_rule_finds_bad_and_passes_good(checker: Checker, rule: str, bad: str, good: str) -> None:
    assert rule in _rules(checker, bad), checker.check(bad)
    assert not _rules(checker, good), checker.check(good)


def test_glossary_explains_hard_words(checker: Checker) -> None:
    assert "schweres-wort" not in _rules(checker, "Jedes Handlungs·feld hat Ziele.")
    assert "schweres-wort" in _rules(Checker(Settings()), "Jedes Handlungsfeld hat Ziele.")


def test_compound_split_suggestion_uses_the_configured_separator() -> None:
    assert Checker(Settings()).split("Schuleingangsuntersuchung") == "Schul·eingangs·untersuchung"
    assert Checker(Settings(separator="-")).split("Kinderbetreuung") == "Kinder-Betreuung"
    assert Checker(Settings()).split("Veranstaltung") is None  # not a compound
    messages = [message for _, rule, message in Checker(Settings()).check("Die Kinderbetreuung hilft.")
                if rule == "langes-wort"]
    assert messages == ["Langes Wort „Kinderbetreuung“. Bitte trennen: „Kinder·betreuung“."]


def test_flesch_amstad_per_text() -> None:
    hard = ("Die interkulturelle Öffnung der Verwaltung erfordert umfangreiche organisatorische "
            "Veränderungsprozesse, welche die Mitarbeiterinnen und Mitarbeiter kontinuierlich begleiten "
            "und gemeinsam mit externen Kooperationspartnerinnen evaluieren.")
    easy = ("Die Stadt hat einen Plan. Alle sollen gut mitmachen. Viele Gruppen helfen. Sie treffen sich oft. "
            "Sie reden über Ideen. Dann machen sie einen Plan. Der Plan ist gut. Alle lesen den Plan.")
    checker = Checker(Settings(min_flesch_words=10, disabled=["satzlaenge", "aussagen", "nebensatz", "zeilen", "schweres-wort",
                                                                  "langes-wort", "genitiv"]))
    assert _rules(checker, hard) == {"lesbarkeit"}
    assert not _rules(checker, easy)


def test_thresholds_are_configurable() -> None:
    sentence = "Die Stadt hat 2021 mit dem Plan für alle begonnen."
    assert "satzlaenge" not in _rules(Checker(Settings()), sentence)
    assert "satzlaenge" in _rules(Checker(Settings.from_config({"max_words": 5})), sentence)
    with pytest.raises(ValueError, match="max_wörter"):
        Settings.from_config({"max_wörter": 5})
    with pytest.raises(ValueError, match="separator"):
        Settings.from_config({"separator": "/"})


def test_markdown_bold_negation_is_allowed_and_lines_are_kept() -> None:
    sources = markdown_sources("# Titel\n\nDas ist **nicht** schwer.\nDas ist **kein** Problem.\n\n- eins\n", "x.ls.md")
    assert [(source.line, source.kind) for source in sources] == [(1, "label"), (3, "text"), (6, "text")]
    assert "verneinung" not in _rules(Checker(Settings()), sources[1].text)


def test_example_passes_and_findings_name_file_and_line(tmp_path: Path) -> None:
    data, _ = load_concept(ROOT / "data", ["en", "ar", "tr", "uk", "ru", "ls"], ROOT)
    findings, texts = check_project(data, ROOT)
    assert texts > 400
    assert findings == []
    ls = ROOT / "data" / "translations" / "ls.yml"
    project = tmp_path / "p"
    (project / "data" / "translations").mkdir(parents=True)
    for path in (ROOT / "data").rglob("*.yml"):
        target = project / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (project / "docs").mkdir()
    broken = project / "data" / "translations" / "ls.yml"
    edit(broken, "Alle Menschen in Lehrte sollen gut mitmachen können.",
         "Alle Menschen in Lehrte sollten gut mitmachen können.")
    data, _ = load_concept(project / "data", ["en", "ar", "tr", "uk", "ru", "ls"], project)
    findings, _ = check_project(data, project)
    line = next(number for number, text in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1)
                if "sollten gut mitmachen" in text)
    assert [(finding.file, finding.line, finding.rule) for finding in findings] == [
        ("data/translations/ls.yml", line, "konjunktiv")]
    assert ls.read_text(encoding="utf-8") != broken.read_text(encoding="utf-8")


def test_findings_are_build_warnings(tmp_path: Path) -> None:
    project = make_project(tmp_path, extra_files={
        "docs/ueber.ls.md": "# Über uns\n\nDas Geld wird von der Stadt bezahlt.\n"})
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    assert ("docs/ueber.ls.md:3: Hinweis: Leichte Sprache (Passiv): Passiv („wird … bezahlt“)"
            in result.stderr), result.stderr
    assert mkdocs(project, "build", "--strict").returncode != 0
    edit(project / "docs" / "ueber.ls.md", "Das Geld wird von der Stadt bezahlt.", "Die Stadt bezahlt das Geld.")
    build(project)


# ---------------------------------------------------------------------------------------------
# issue 12: subordinate clauses, hard words, names, one sentence per line


@pytest.mark.parametrize(("bad", "good"), [
    # the example sentences of the issue
    ("Alle, die in Lehrte für die Gesundheit arbeiten, sprechen regelmäßig miteinander.",
     "Alle Fach·leute für Gesundheit in Lehrte sprechen regelmäßig miteinander."),
    ("Alle Firmen können dabei mitmachen, wenn sie wollen.",
     "Alle Firmen können dabei mitmachen."),
    # each kind of subordinate clause
    ("Die Stadt hilft Menschen, die wenig Deutsch können.", "Die Stadt hilft Menschen mit wenig Deutsch."),
    ("Die Stadt macht Kurse, weil viele Menschen Deutsch lernen.", "Viele Menschen lernen Deutsch."),
    ("Die Stadt weiß, dass viele Menschen Deutsch lernen.", "Viele Menschen lernen Deutsch."),
    ("Der Staat prüft, ob sie in Deutschland bleiben dürfen.", "Dürfen sie in Deutschland bleiben?"),
    ("Die Stadt macht Kurse, damit alle Deutsch lernen.", "Die Stadt hilft damit."),
    ("Wenn Sie Fragen haben, schreiben Sie uns.", "Haben Sie Fragen?"),
])
def test_subordinate_clauses_are_found(checker: Checker, bad: str, good: str) -> None:
    assert "nebensatz" in _rules(checker, bad), checker.check(bad)
    assert not _rules(checker, good), checker.check(good)


def test_a_modal_verb_no_longer_hides_the_verbs_after_it(checker: Checker) -> None:
    assert "aussagen" in _rules(checker, "Alle Firmen können dabei mitmachen, wenn sie wollen.")
    assert "aussagen" not in _rules(checker, "Alle Menschen in Lehrte sollen gut mitmachen können.")
    assert "aussagen" not in _rules(checker, "Es soll mehr Angebote geben.")


@pytest.mark.parametrize(("sentence", "word"), [
    ("Kinder lernen auch in der Kita.", "Kita"),
    ("Die Kitas in Lehrte helfen.", "Kitas"),
    ("Die Stabs·stelle hilft.", "Stabs·stelle"),
    ("Das Team Sozial·pädiatrie hilft.", "Sozial·pädiatrie"),
])
def test_hard_words_need_an_explanation(checker: Checker, sentence: str, word: str) -> None:
    found = [message for _, rule, message in checker.check(sentence) if rule == "schweres-wort"]
    assert found and f"„{word}“" in found[0], checker.check(sentence)
    explained = Checker(Settings(), glossary_terms=["Kita", "Stabsstelle", "Sozialpädiatrie"])
    assert "schweres-wort" not in _rules(explained, sentence)


def test_a_word_explained_in_the_same_text_is_not_hard(checker: Checker) -> None:
    text = "Eine Stabs·stelle ist ein Teil von der Stadt·verwaltung.\nDie Stabs·stelle hilft."
    assert "schweres-wort" not in _rules(checker, text)


def test_hard_words_of_organisation_names_are_found_too() -> None:
    checker = Checker(Settings(), names=["Team", "Sozial·pädiatrie", "Becking"])
    assert "schweres-wort" in _rules(checker, "Das Team Sozial·pädiatrie hilft.")
    assert {rule for _, rule, _ in checker.check("Team Sozial·pädiatrie", "name")} == {"schweres-wort"}
    assert checker.check("Firma Becking", "name") == []  # a family name is no word to explain


@pytest.mark.parametrize("kind", ["text", "name"])
def test_addresses_and_names_are_never_split(checker: Checker, kind: str) -> None:
    for text in ("Stadt Lehrte, Der Bürger·meister, Rathausplatz 1, 31275 Lehrte",
                 "Schreiben Sie an: Rathausplatz 1, 31275 Lehrte."):
        assert not _rules(checker, text) if kind == "text" else not checker.check(text, kind), checker.check(text, kind)
    named = Checker(Settings(), names=["Kinderbetreuung"])  # e.g. an organisation „Kinderbetreuung Lehrte“
    assert "langes-wort" not in _rules(named, "Die Kinderbetreuung Lehrte hilft.")
    assert "langes-wort" in _rules(Checker(Settings()), "Die Kinderbetreuung Lehrte hilft.")


def test_one_sentence_per_line(checker: Checker) -> None:
    import yaml

    folded = yaml.safe_load("text: >-\n  Das ist gut.\n  Das ist schön.\n")["text"]
    literal = yaml.safe_load("text: |-\n  Das ist gut.\n  Das ist schön.\n")["text"]
    assert _rules(checker, folded) == {"zeilen"}
    message = next(message for _, rule, message in checker.check(folded) if rule == "zeilen")
    assert "„|“" in message
    assert not _rules(checker, literal)
    assert not _rules(checker, "Am 2. Oktober gibt es ein Fest.")  # an ordinal ends no sentence


def test_hand_written_pages_keep_their_lines() -> None:
    import markdown as python_markdown

    from klartext.sentences import keep_line_breaks

    page = "# Titel\n\nDas ist gut.\nDas ist schön.\n\n- Ein Punkt.\n  Noch ein Satz.\n- Zwei\n"
    html = python_markdown.markdown(keep_line_breaks(page))
    assert "Das ist gut.<br />\nDas ist schön." in html
    assert "Ein Punkt.<br />\n  Noch ein Satz." in html
    assert "<h1>Titel</h1>" in html and "<li>Zwei</li>" in html
    sources = markdown_sources(page, "x.ls.md")
    assert sources[1].text == "Das ist gut.\nDas ist schön."
    assert not _rules(Checker(Settings()), sources[1].text)
