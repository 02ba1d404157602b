"""Latin runs on non-Latin pages (klartext.bidi), the search setup per language (klartext.search) and the
reading helpers of the renderer: small, fast checks beside the browser tests in test_reading.py."""

from __future__ import annotations

from klartext.bidi import latin_runs, mark_foreign_runs
from klartext.render import THEME_DIR, Renderer
from klartext.search import SEPARATOR, index_config


def test_latin_runs_in_arabic_text_are_marked_and_isolated() -> None:
    html = ('<p>مكتب (Stabsstelle Gleichstellungsbeauftragte, Migration und Teilhabe)، و FIPS e. V. – جمعية '
            'AWO (Hotel &amp; Restaurant Alte Post) <a href="mailto:MuT@lehrte.de">MuT@lehrte.de</a>.</p>')
    marked = mark_foreign_runs(html, "ar", "de")
    assert ('(<bdi lang="de" dir="ltr">Stabsstelle Gleichstellungsbeauftragte, Migration und Teilhabe</bdi>)،'
            in marked)
    assert '<bdi lang="de" dir="ltr">FIPS e. V.</bdi> –' in marked  # the abbreviation keeps its full stop
    assert '(<bdi lang="de" dir="ltr">Hotel &amp; Restaurant Alte Post</bdi>)' in marked  # entity intact
    assert '<a href="mailto:MuT@lehrte.de"><bdi lang="de" dir="ltr">MuT@lehrte.de</bdi></a>.' in marked


def test_only_text_of_the_pages_own_language_is_marked() -> None:
    html = ('<html lang="ru"><head><title>Lehrte</title><script>var a = "Lehrte";</script></head><body>'
            '<p title="Lehrte > Hannover">Город Лерте (Lehrte)</p><p lang="de" dir="ltr">Deutscher Text</p>'
            '<svg><text>Lehrte</text></svg><code>print("x")</code><!-- Lehrte --></body></html>')
    marked = mark_foreign_runs(html, "ru", "de")
    assert marked.count("<bdi") == 1
    assert '<p title="Lehrte > Hannover">Город Лерте (<bdi lang="de" dir="ltr">Lehrte</bdi>)</p>' in marked
    assert mark_foreign_runs(html.replace('"ru"', '"en"'), "en", "de") == html.replace('"ru"', '"en"')


def test_print_runs_carry_isolate_characters() -> None:
    marked = mark_foreign_runs("<p>مدينة (Lehrte)</p>", "ar", "de", for_print=True)
    assert marked == '<p>مدينة (<bdi lang="de" class="kt-run">\u2068Lehrte\u2069</bdi>)</p>'


def test_latin_runs_exclude_trailing_punctuation() -> None:
    text = "راجع https://www.lehrte.de/x. ثم Rathausplatz 1, 31275 Lehrte."
    assert [text[start:end] for start, end in latin_runs(text)] == [
        "https://www.lehrte.de/x", "Rathausplatz 1, 31275 Lehrte"]


def test_search_setup_per_language() -> None:
    base = {"lang": ["de"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"], "fields": {}}
    assert index_config(base, "de")["pipeline"] == ["stemmer", "stopWordFilter"]
    assert index_config(base, "ar")["lang"] == ["ar"]
    uk = index_config(base, "uk")
    assert uk["lang"] == ["en"] and uk["pipeline"] == ["stopWordFilter"]  # no English stemmer on Ukrainian
    import re

    words = [word for word in re.split(SEPARATOR, "«мова», „Sprache“ (Lehrte) اللغة، 31.12.2023 з’явитися·x") if word]
    assert words == ["мова", "Sprache", "Lehrte", "اللغة", "31.12.2023", "з’явитися·x"]


def test_renderer_mirrors_directional_icons_only() -> None:
    from pathlib import Path

    import material

    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    assert 'class="kt-flip"' in renderer.icon("material/arrow-right-circle")
    assert 'class="kt-flip"' not in renderer.icon("material/check-circle")
    assert renderer.icon("material/check-circle").startswith("<svg")


def test_source_names_quoted_by_a_translation_get_lang() -> None:
    from klartext.bidi import mark_source_names, source_names

    names = source_names(["Stabsstelle Gleichstellungsbeauftragte, Migration und Teilhabe", "Hotel & Restaurant",
                          "A long text\nwith two lines"])
    html = ('<p>Equality office (Stabsstelle Gleichstellungsbeauftragte, Migration und Teilhabe), '
            'hotel (Hotel &amp; Restaurant) and (not a name)</p>')
    marked = mark_source_names(html, "en", "de", names)
    assert '(<span lang="de">Stabsstelle Gleichstellungsbeauftragte, Migration und Teilhabe</span>)' in marked
    assert '(<span lang="de">Hotel &amp; Restaurant</span>)' in marked
    assert "(not a name)" in marked
    assert mark_source_names(html, "de", "de", names) == html


def test_quotation_marks_are_the_languages_own() -> None:
    """German „…“ only in German texts: labels and the example's translations use their language's
    marks (CLDR: “…” en and tr, «…» ar, ru and uk)."""
    from helpers import ROOT

    from klartext.render import THEME_DIR as theme

    labels = theme.parent / "labels"
    wrong = []
    for code in ("en", "tr", "ar", "ru", "uk"):
        for path in (labels / f"{code}.yml", ROOT / "data" / "translations" / f"{code}.yml"):
            if path.is_file():
                wrong += [f"{path.name}:{number}" for number, line in
                          enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "„" in line]
    assert wrong == []
