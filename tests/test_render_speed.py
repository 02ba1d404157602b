"""The shortcuts that make the page templates cheaper (issue 14) give what Jinja and the standard
library give: the template context's calls, relative links, the glossary's one search for all terms,
and a View shared by the pages of a variant."""

from __future__ import annotations

import gc
import itertools
import posixpath
import random
import re
import weakref
from pathlib import Path
from typing import Any

import jinja2
import material
from markupsafe import Markup

from helpers import MINIMAL
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.links import _relpath
from klartext.pages import PageBuilder
from klartext.render import THEME_DIR, Renderer
from klartext.validation import load_concept
from klartext.view import _TERM_END, _TERM_START, _any_of

CALLS = """\
{%- macro plain(a, b) %}[{{ a }}|{{ b }}]{% endmacro -%}
{%- macro defaults(a, b="<b>") %}[{{ a }}|{{ b }}]{% endmacro -%}
{%- macro rest(a) %}[{{ a }}|{{ varargs | join(",") }}|{{ kwargs | dictsort | join(",") }}]{% endmacro -%}
{%- macro wrap(a) %}<{{ a }}:{{ caller(a) }}>{% endmacro -%}
{%- macro inner(a) %}<i>{{ a }}</i>{% endmacro -%}
{%- macro outer(a) %}{{ inner(a) }}{{ inner("<x>") }}{% endmacro -%}
{{ plain("<a>", 1) }} {{ defaults("<a>") }} {{ defaults("<a>", b="&") }} {{ rest(1, 2, 3, k="<k>") }}
{{ outer("<o>") }} {% call(x) wrap("<w>") %}called {{ x }}{% endcall %}
{{ f("<f>") }} {{ ctx("<c>") }} {{ evalctx("<e>") }} {{ env("<n>") }} {{ obj.method("<m>") }} {{ d.get("k") }}
{{ callable_ctx("<cc>") }} {{ stop() is undefined }} {{ markup() }} {{ "%s-%s" | format(1, 2) }}
{% for item in items %}{% set local = item ~ "!" %}{{ plain(item, loop.index) }}{{ ctx(item) }}{{ f(item) }}{% endfor %}
{% set ns = namespace(n=0) %}{% for item in items %}{% set ns.n = ns.n + 1 %}{{ defaults(item) }}{% endfor %}{{ ns.n }}
"""


class _Obj:
    def method(self, value: str) -> str:
        return f"method {value}"


class _CallableWithContext:
    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, value: str) -> str:
        return f"callable {value} {context.get('marker')}"


def _raise_stop() -> None:
    raise StopIteration


def _variables() -> dict:
    return {
        "f": lambda value: f"f {value}",
        "ctx": jinja2.pass_context(lambda context, value: f"ctx {value} {context.get('local', '-')} {context['marker']}"),
        "evalctx": jinja2.pass_eval_context(lambda eval_ctx, value: f"evalctx {value} {eval_ctx.autoescape}"),
        "env": jinja2.pass_environment(lambda environment, value: f"env {value} {environment.autoescape}"),
        "obj": _Obj(), "d": {"k": "<dict>"}, "callable_ctx": _CallableWithContext(), "stop": _raise_stop,
        "markup": lambda: Markup("<b>kept</b>"), "items": ["<1>", "2"], "marker": "<marker>",
    }


def test_template_calls_give_what_jinja_gives() -> None:
    """Every kind of call a template can make (functions, methods, builtins, pass_context & co.,
    callable objects, macros with defaults, keywords, varargs, caller, calls in loops): the same
    output with the renderer's context as with Jinja's own."""
    renderer = Renderer([THEME_DIR])
    ours = renderer.env.from_string(CALLS)
    plain = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                               undefined=jinja2.StrictUndefined).from_string(CALLS)
    expected = plain.render(**_variables())
    assert "&lt;a&gt;" in expected and "ctx &lt;1&gt; &lt;1&gt;! &lt;marker&gt;" in expected  # the cases are exercised
    assert ours.render(**_variables()) == expected


def test_relative_paths_are_those_of_posixpath() -> None:
    parts = ["a", "b", "massnahmen", "x.html", "", ".", "index.html", ".."]
    for length in range(1, 4):
        for path_parts in itertools.product(parts, repeat=length):
            for start_parts in itertools.product(parts, repeat=min(length, 3)):
                path, start = "/".join(path_parts), "/".join(start_parts)
                for candidate in (path, path + "/", "/" + path):
                    if candidate and start:
                        assert _relpath(candidate, start) == posixpath.relpath(candidate, start), (candidate, start)


def test_one_search_for_all_glossary_terms_finds_what_the_terms_find() -> None:
    """The shortcut may only skip paragraphs no term occurs in: tried with characters whose case
    rules are special (ß/ẞ, long s, Kelvin sign, Turkish dotted and dotless i) and with characters
    a regular expression must escape."""
    rng = random.Random(14)
    alphabet = "aAbBsSßẞſkKKİiıI -.()+*?\\|éÉ"
    for _ in range(2000):
        surfaces = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 5))]
        patterns = [re.compile(f"{_TERM_START}{re.escape(surface)}{_TERM_END}", re.IGNORECASE) for surface in surfaces]
        shortcut = _any_of(patterns)
        for _ in range(20):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            assert (shortcut.search(text) is not None) == any(p.search(text) for p in patterns), (surfaces, text)
    assert _any_of([]).search("anything") is None


def test_pages_of_a_variant_are_the_same_rendered_one_by_one_or_together() -> None:
    """The pages of a variant share one View's caches (texts shown, dates, labels): a page rendered
    by a fresh builder is the same as that page rendered after all others, and each page explains
    the first mention of a glossary term itself."""
    data, _ = load_concept(MINIMAL / "data", ["en", "ar", "ls"], MINIMAL)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    for language in (Language("de", "Deutsch", default=True), Language("ls", "Leichte Sprache", html_lang="de")):
        labels = load_labels(language.code, [] if language.code == "de" else ["de"])
        builder = PageBuilder(data, language, labels, renderer)
        together = {page.path: page.markdown for page in builder.pages()}
        if language.code == "de":  # a term is explained (the minimal project's terms are German only)
            assert any('class="kt-term"' in markdown for markdown in together.values())
        assert {page.path: page.markdown for page in builder.pages()} == together  # mentions are per page
        for path in ("massnahmen/lesepaten.md", "handlungsfelder/bildung.md", "index.md"):
            fresh = PageBuilder(data, language, labels, renderer)
            fresh._view("glossar.md")  # any page first, as in a build
            alone = {page.path: page.markdown for page in fresh.pages()}[path]
            assert alone == together[path], (language.code, path)


def test_nothing_is_kept_per_function_a_template_calls() -> None:
    """A long preview renders with new functions each build (per-page lambdas): none is kept alive."""
    template = Renderer([THEME_DIR]).env.from_string("{{ f('x') }}")
    function = lambda value: value * 2  # noqa: E731
    alive = weakref.ref(function)
    assert template.render(f=function) == "xx"
    del function
    gc.collect()
    assert alive() is None


def _example_and_synthetic(tmp_path: Path) -> list:
    """The example's data and a small synthetic concept's (benchmarks/synthetic.py), loaded."""
    import sys

    from helpers import ROOT

    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate

    synthetic = generate(tmp_path / "synthetic", measures=12, fields=3, project=False)
    return [load_concept(ROOT / "data", ["en"], ROOT)[0],
            load_concept(synthetic / "data", ["en"], synthetic)[0]]


def test_a_measure_path_has_the_states_the_template_filtered() -> None:
    """``data.path_states()`` / ``running_path_states()`` (once per concept, not per measure page) give
    what measure.html's filters gave, also for delayed and failed states and after a state is added."""
    import tempfile

    old = Renderer([THEME_DIR]).env.from_string(
        '{% set steps = data.measure_states | rejectattr("kind", "equalto", "gestoppt")'
        ' | rejectattr("category_given", "equalto", "verzoegert") | list %}'
        '{{ steps | map(attribute="id") | join(",") }};'
        '{{ steps | selectattr("kind", "equalto", "laufend") | map(attribute="id") | join(",") }}')
    with tempfile.TemporaryDirectory() as folder:
        concepts = _example_and_synthetic(Path(folder))
    for data in concepts:
        first = data.path_states()
        assert data.path_states() is first  # kept
        assert data.running_path_states() is data.running_path_states()
        template = data.measure_states[0]
        extra = [template.model_copy(update={"id": "verzoegert", "category": None}),
                 template.model_copy(update={"id": "x-gescheitert", "category": "gescheitert"}),
                 template.model_copy(update={"id": "x-laeuft", "category": "laufend"})]
        for added in [[], *([state] for state in extra), extra]:
            data.measure_states.extend(added)
            new = (",".join(state.id for state in data.path_states()) + ";"
                   + ",".join(state.id for state in data.running_path_states()))
            assert new == old.render(data=data), added
            for state in added:
                data.measure_states.remove(state)
        assert data.path_states() == first
    # neither the delayed nor the failed state is a step
    assert new == "idee,geplant,in-umsetzung,umgesetzt,x-laeuft;in-umsetzung,x-laeuft"


def _sources(data: Any) -> list[str]:
    """Every page source of the concept's site, and pages above, beside and below them."""
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    builder = PageBuilder(data, Language("de", "Deutsch", default=True), load_labels("de", []), renderer)
    pages = {page.path for page in builder.pages()} | {"index.md", "ueber.md", "massnahmen/index.md"}
    below = {f"{page[:-3]}/{name}" for page in sorted(pages)[::5]
             for name in ("index.md", "unter.md", "a/b.md")}
    return sorted(pages | below | {"x/index.md", "x/y/index.md", "x/y/z.md"})


def test_links_made_once_per_place_are_those_of_each_page(tmp_path: Path) -> None:
    """``View.url`` keeps a link for pages of the same folder and depth: every page of the example and
    of a synthetic concept, visited in a random order, gets what ``relative_url`` makes for it (links
    to itself, to its fragments, to pages below it, to the start page), with and without directory URLs."""
    from klartext.links import relative_url
    from klartext.view import View

    rng = random.Random(14)
    for data in _example_and_synthetic(tmp_path):
        sources = _sources(data)
        targets = [*sources, *(f"{source}#a" for source in sources[::3]), "", "#oben"]
        for directory_urls in (True, False):
            prototype = View(data, Language("de", "Deutsch", default=True), load_labels("de", []), "",
                             lambda name: "", directory_urls)
            for page in rng.sample(sources, len(sources)):
                view = prototype.at(page)
                for target in rng.sample(targets, len(targets)):
                    assert view.url(target) == relative_url(page, target, directory_urls), (page, target)
            assert len(prototype._links) > len(sources)  # links were kept and looked up again


def test_a_link_is_made_once_for_the_pages_of_a_folder(monkeypatch: Any) -> None:
    """Two measure pages linking to the same field page, actors list and each other: made once each."""
    from klartext import view as view_module

    relative, made = view_module.relative_url, []
    monkeypatch.setattr(view_module, "relative_url", lambda *args: made.append(args) or relative(*args))
    data, _ = load_concept(MINIMAL / "data", [], MINIMAL)
    prototype = view_module.View(data, Language("de", "Deutsch", default=True), load_labels("de", []), "",
                                 lambda name: "")
    links = [(page, target) for page in ("massnahmen/a.md", "massnahmen/b.md", "massnahmen/c.md")
             for target in ("handlungsfelder/bildung.md", "akteure.md#akteur-x", "massnahmen/b.md")]
    field, actor = "../../handlungsfelder/bildung/", "../../akteure/#akteur-x"
    assert [prototype.at(page).url(target) for page, target in links] == [
        field, actor, "../b/", field, actor, "./", field, actor, "../b/"]
    assert len(made) == 4  # 3 links from massnahmen/a, the link of massnahmen/b to itself


def test_measure_lists_from_helpers_are_those_the_filters_gave(tmp_path: Path) -> None:
    """``data.any_with_progress`` (a measure table's progress column), ``data.measures_in`` (a state) and
    ``data.recommendations_implemented_by`` give what the templates' filter chains gave, for every
    field's measures, every measure's sub-measures and every single measure of the example and a synthetic
    concept."""
    env = Renderer([THEME_DIR]).env
    progress = env.from_string(
        '{{ measures | selectattr("id", "in", data.measures_with_progress()) | list | length > 0 }}')
    implemented = env.from_string(
        '{{ data.recommendations | selectattr("id", "in", measure.implements)'
        ' | map(attribute="id") | join(",") }}')
    seen = set()
    for data in _example_and_synthetic(tmp_path):
        lists = [data.measures, [], *([m] for m in data.measures),
                 *(data.measures_listed_in(f.id) for f in data.fields),
                 *(data.sub_measures(m.id) for m in data.measures)]
        for measures in lists:
            with_progress = data.any_with_progress(measures)
            assert str(with_progress) == progress.render(data=data, measures=measures)
            seen.add(with_progress)
        in_state = env.from_string(
            '{{ data.measures | selectattr("state", "equalto", state) | map(attribute="id") | join(",") }}')
        for state in [*data.measure_states, *data.field_states]:
            ids = ",".join(measure.id for measure in data.measures_in(state.id))
            assert ids == in_state.render(data=data, state=state.id)
            seen.add(bool(ids))
        for measure in data.measures:
            ids = ",".join(item.id for item in data.recommendations_implemented_by(measure))
            assert ids == implemented.render(data=data, measure=measure)
            seen.add(bool(ids))
    assert seen == {True, False}  # both answers occur


def test_a_leichte_sprache_label_with_values_is_split_into_lines_once(monkeypatch: Any) -> None:
    """The same label with the same values on many pages (amounts, dates): its sentences found once."""
    from klartext import view as view_module

    split = view_module._as_lines
    calls = []
    monkeypatch.setattr(view_module, "_as_lines", lambda text: calls.append(text) or split(text))
    data, _ = load_concept(MINIMAL / "data", ["ls"], MINIMAL)
    prototype = view_module.View(data, Language("ls", "Leichte Sprache", html_lang="de"),
                                 load_labels("ls", ["de"]), "", lambda name: "")
    shown = [prototype.at(page).label("money.amount", amount="5.000") for page in ("a.md", "b.md", "a.md")]
    assert shown[0] == shown[1] == shown[2] and "5.000" in shown[0]
    assert len(calls) == 1


def test_glossary_terms_tried_where_a_term_starts_are_found_as_searched() -> None:
    """``View.glossed`` tries each term only where some term starts: the same pieces as a search per term,
    with characters whose case rules are special and terms that overlap or start inside each other."""
    from klartext.view import View

    rng = random.Random(15)
    alphabet = "aAbBsSßẞſkKKİiıI -.()+*?\\|éÉ"
    data, _ = load_concept(MINIMAL / "data", [], MINIMAL)
    view = View(data, Language("de", "Deutsch", default=True), load_labels("de", []), "a.md", lambda name: "")
    tried = 0
    cases = [(["Sprach", "Kurs", "Sprach-Kurs"], ["Ein Sprach-Kurs.", "Sprachkurs", "kurs-Sprach"]),
             (["b", "a b"], ["a b", "x a bb b"])]  # a term inside another's match: tried there too
    for _ in range(600):
        cases.append(({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
                       for _ in range(rng.randint(1, 5))},
                      ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))) for _ in range(10)]))
    for surfaces, texts in cases:
        view.terms = [(re.compile(f"{_TERM_START}{re.escape(surface)}{_TERM_END}", re.IGNORECASE),
                       type("Term", (), {"id": surface})) for surface in surfaces]
        for text in texts:
            searched = _glossed_by_search(view, text)
            pieces = [(piece, term and term.id) for piece, term in view.at("a.md").glossed(text)]
            assert pieces == searched, (surfaces, text)
            tried += any(term for _, term in searched)
    assert tried > 100  # terms were found


def _glossed_by_search(view: Any, paragraph: str) -> list:
    """``View.glossed`` as it was: one search per term."""
    found = []
    for pattern, term in view.terms:
        match = pattern.search(paragraph)
        if match and not any(match.start() < end and start < match.end() for start, end, _ in found):
            found.append((match.start(), match.end(), term))
    pieces, position = [], 0
    for start, end, term in sorted(found, key=lambda item: item[0]):
        pieces += [(paragraph[position:start], None), (paragraph[start:end], term.id)]
        position = end
    return [*pieces, (paragraph[position:], None)]
