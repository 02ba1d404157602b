"""The shorter code compiled for templates (hooks/klartext/jinja_code.py) renders what Jinja's own code
renders: every template below, in every environment below (autoescape on, off and decided while
rendering; ``finalize`` of each kind; each kind of undefined; asynchronous and sandboxed environments,
which keep Jinja's code), with every kind of value, gives the same text or raises the same error; the
comparison catches generators that differ; the pages of a concept are the same; and an edit of the
generator's module compiles the cached templates afresh."""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
from collections import ChainMap
from pathlib import Path

import jinja2
import jinja2.sandbox
import material
import pytest
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from helpers import MINIMAL
from klartext import jinja_code, render
from klartext.jinja_code import CodeGenerator31, Globals, Template31
from klartext.labels import load_labels
from klartext.languages import Language
from klartext.pages import PageBuilder
from klartext.render import THEME_DIR, Renderer, TemplateCache
from klartext.validation import load_concept

pytestmark = pytest.mark.skipif(not jinja_code.SUPPORTED, reason="written for Jinja 3.1")

TEMPLATES = {
    "attributes.html": (
        "[{{ o.name }}|{{ o.missing }}|{{ o.method('<m>') }}|{{ o.item_only }}|{{ o.lost }}|{{ o.sentinel }}]"
        "[{{ d.key }}|{{ d.missing }}|{{ d.items is defined }}|{{ d.get('key') }}|{{ d.nested.deeper.deepest }}]"
        "[{{ l.0 }}|{{ l.count(l.0) }}|{{ s.upper() }}|{{ s.missing }}|{{ n.real }}|{{ n.missing }}|{{ none.missing }}]"
        "[{{ (o.child).child.name }}|{{ d['key'] }}|{{ l[1:] }}]"
        "[{{ plain.missing }}|{{ dd.anything }}|{{ klass.anything }}|{{ meta.anything }}|{{ odd.anything }}]"
        "{% for x in xs if x.ok %}<{{ x.name }}:{{ loop.index }}>{% endfor %}"
        "{% set ns = namespace(v=o.name) %}{% set ns.w = d.key %}{{ ns.v }}{{ ns.w }}"
        "{{ o.name ~ d.key }}{{ [o.name, d.key] | join(',') }}{{ o.name if o.flag else d.key }}"),
    "strict.html": "{{ o.missing }}",
    "strict_deep.html": "{{ o.missing.deeper }}",
    "undefined_object.html": "{{ nothing.attr }}",
    "raising.html": "{{ o.broken }}",
    "raising_getattr.html": "{{ weird.anything }}",
    "output.html": (
        "{{ s }}|{{ m }}|{{ h }}|{{ h_plain }}|{{ none }}|{{ n }}|{{ f }}|{{ b }}|{{ l }}|{{ sub }}|{{ msub }}|"
        "{{ '<const>' }}|{{ 3 }}|{{ s ~ m }}|{{ s | e }}|{{ m | safe }}|{{ s | upper }}|{{ empty }}|{{ d }}"),
    "escape_blocks.html": (
        "{% autoescape false %}{{ s }}{{ m }}{{ h }}{% endautoescape %}|{% autoescape true %}{{ s }}{{ h }}"
        "{{ none }}{% endautoescape %}|{% autoescape flag %}{{ s }}{{ m }}{{ h }}{{ n }}{{ s ~ m }}"
        "{% set cap %}<{{ s }}>{% endset %}{{ cap }}{% endautoescape %}|{{ s }}"),
    "captures.html": (
        "{% macro wrap(v) %}<i>{{ v }}</i>{% endmacro %}{% macro call_me() %}[{{ caller() }}]{% endmacro %}"
        "{% set cap %}<b>{{ s }}</b>{% endset %}{{ cap }}|{{ cap | e }}|{{ cap | length }}|{{ wrap(s) }}|"
        "{{ wrap(s) | e }}|{{ wrap(s) is string }}|{% call call_me() %}<{{ s }}>{% endcall %}|"
        "{% filter upper %}<{{ s }}>{% endfilter %}|{{ wrap(m) }}|{{ cap.__class__.__name__ }}|"
        "{{ wrap(s).__class__.__name__ }}"),
    "child.html": (
        "{% extends 'base.html' %}{% block body %}<child {{ s }}>{{ super() }}|{{ super() | e }}{% endblock %}"),
    "base.html": "<html>{% block body %}<base {{ s }} {{ o.name }}>{% endblock %}</html>",
    "includes.html": (
        "{% include 'base.html' %}|{% import 'macros.html' as mac %}{{ mac.shout(s) }}|{{ mac.shout(o.name) | e }}"
        "{% from 'macros.html' import shout with context %}{{ shout(d.key) }}|{{ mac.value }}"),
    "macros.html": "{% macro shout(v='<d>') %}!{{ v }}!{% endmacro %}{% set value %}<{{ 1 }}>{% endset %}",
    "globals.html": (
        "{% import 'macros.html' as mac %}{{ mac.value }}{% from 'macros.html' import shout %}{{ shout(glob) }}"
        "{{ glob }}{{ late is defined }}{{ range(2) | list }}{% include 'base.html' %}"),
    "defaults.html": "{% macro m(a=o.name, b=d.missing) %}{{ a }}/{{ b }}{% endmacro %}{{ m() }}{{ m(s) }}",
}


class _Html:
    def __init__(self, text: str) -> None:
        self.text = text

    def __html__(self) -> str:
        return f"<html-{self.text}>"

    def __str__(self) -> str:
        return f"<str-{self.text}>"


class _HtmlPlain:
    """``__html__`` gives a plain object: ``Markup`` turns it into text with ``str``."""

    def __html__(self) -> object:
        return _Html("inner")

    def __str__(self) -> str:
        return "<plain>"


class _Item:
    def __getitem__(self, key: str) -> str:
        if key in ("item_only", "name"):
            return f"<item {key}>"  # an attribute comes first: the name's item is never seen
        raise KeyError(key)


class _Object(_Item):
    name = "<Name & Co>"
    flag = False

    def __init__(self, depth: int = 2) -> None:
        self.child = _Object(depth - 1) if depth else None

    def method(self, value: str) -> str:
        return f"method {value}"

    @property
    def lost(self) -> str:
        raise AttributeError("lost")  # Jinja then tries the item, then gives the undefined

    @property
    def broken(self) -> str:
        raise ValueError("<broken>")

    @property
    def sentinel(self) -> object:
        return jinja2.utils.missing  # Jinja's own sentinel is a value like any other here


class _Plain:
    """No ``__getitem__``: ``obj[...]`` raises ``TypeError``."""

    def __str__(self) -> str:
        return "<plain object>"


class _Meta(type):
    def __getitem__(cls, key: str) -> str:
        return f"<meta {key}>"


class _WithMeta(metaclass=_Meta):
    pass


class _OddItem:
    def __getitem__(self, key: str) -> str:
        raise AttributeError(key)  # Jinja catches it too: the undefined


class _Weird:
    def __getattr__(self, name: str) -> str:
        raise KeyError(name)  # not an AttributeError: Jinja lets it through


class _Sub(str):
    pass


class _MarkupSub(Markup):
    def __html__(self) -> str:
        return "<markup-sub>"


def _values() -> dict:
    return {
        "o": _Object(), "d": {"key": "<&'\">", "nested": {"deeper": {}}}, "l": ["<0>", "<1>"], "s": "<s & 's' \"s\">",
        "m": Markup("<b>kept</b>"), "h": _Html("h"), "h_plain": _HtmlPlain(), "none": None, "n": 42, "f": 1.5,
        "b": True, "sub": _Sub("<sub>"), "msub": _MarkupSub("<msub>"), "empty": "", "flag": True,
        "xs": [{"ok": True, "name": "<a>"}, {"ok": False, "name": "b"}, type("X", (), {"ok": 1, "name": "<c>"})()],
        "weird": _Weird(), "plain": _Plain(), "dd": collections.defaultdict(lambda: "<default>"), "klass": list,
        "meta": _WithMeta, "odd": _OddItem(),
    }


def _finalize(value):
    return "∅" if value is None else value


@jinja2.pass_context
def _finalize_context(context, value):
    return f"{value}@{context.get('n')}"


@jinja2.pass_eval_context
def _finalize_eval(eval_ctx, value):
    return Markup(f"<e:{value}>") if eval_ctx.autoescape else f"<e:{value}>"


@jinja2.pass_environment
def _finalize_environment(environment, value):
    return f"{value}#{environment.autoescape}"


ENVIRONMENTS = {
    f"{cls.__name__}-{undefined.__name__}-autoescape={autoescape}-finalize={getattr(finalize, '__name__', None)}":
        (cls, dict(undefined=undefined, autoescape=autoescape, finalize=finalize))
    for cls, undefined, autoescape, finalize in itertools.chain(
        itertools.product([jinja2.Environment],
                          [jinja2.Undefined, jinja2.StrictUndefined, jinja2.ChainableUndefined, jinja2.DebugUndefined],
                          [True, False], [None]),
        itertools.product([jinja2.Environment], [jinja2.Undefined, jinja2.StrictUndefined], [True, False],
                          [_finalize, _finalize_context, _finalize_eval, _finalize_environment]),
        [(jinja2.sandbox.SandboxedEnvironment, jinja2.Undefined, True, None)])
}


def _environment(cls, options: dict, generator: type | None, **extra) -> jinja2.Environment:
    environment = cls(loader=jinja2.DictLoader(TEMPLATES), trim_blocks=True, **options, **extra)
    environment.globals["glob"] = "<glob>"
    if generator is not None:
        environment.code_generator_class = generator
        environment.template_class = jinja_code.Template31
    return environment


def _outcome(environment: jinja2.Environment, name: str) -> tuple:
    """What rendering ``name`` gives: its text, or the error's class and message."""
    try:
        template = environment.get_template(name)
        if environment.is_async:
            import asyncio

            return ("text", asyncio.run(template.render_async(**_values())))
        return ("text", template.render(**_values()), "".join(template.generate(**_values())))
    except Exception as error:  # noqa: BLE001 - the error itself is compared
        return ("error", type(error), str(error))


def _differences(generator: type, environments: dict = ENVIRONMENTS, **extra) -> list:
    differences = []
    for label, (cls, options) in environments.items():
        jinjas, ours = _environment(cls, options, None, **extra), _environment(cls, options, generator, **extra)
        for name in TEMPLATES:
            expected, got = _outcome(jinjas, name), _outcome(ours, name)
            if got != expected:
                differences.append((label, name, expected, got))
    return differences


def test_every_template_renders_what_jinjas_code_renders() -> None:
    assert _differences(CodeGenerator31) == []


def test_the_cases_are_exercised() -> None:
    """The comparison is not empty: texts, errors and undefined values of each kind come out, and
    the shorter code is the one compiled (Jinja's own code for sandboxed environments)."""
    strict = _environment(jinja2.Environment, dict(undefined=jinja2.StrictUndefined, autoescape=True), CodeGenerator31)
    assert _outcome(strict, "strict.html")[:2] == ("error", jinja2.UndefinedError)
    assert _outcome(strict, "strict_deep.html")[:2] == ("error", jinja2.UndefinedError)
    assert _outcome(strict, "undefined_object.html")[:2] == ("error", jinja2.UndefinedError)
    assert _outcome(strict, "raising.html")[:2] == ("error", ValueError)
    assert _outcome(strict, "raising_getattr.html")[:2] == ("error", KeyError)
    loose = _environment(jinja2.Environment, dict(autoescape=True), CodeGenerator31)
    text = _outcome(loose, "attributes.html")[1]
    assert "[&lt;Name &amp; Co&gt;||method &lt;m&gt;|&lt;item item_only&gt;||missing]" in text  # attribute, item
    assert "<&lt;a&gt;:1><&lt;c&gt;:2>" in text
    assert "[|&lt;default&gt;|list[&#39;anything&#39;]|&lt;meta anything&gt;|]" in text
    output = _outcome(loose, "output.html")[1]
    assert output.startswith("&lt;s &amp; &#39;s&#39; &#34;s&#34;&gt;|<b>kept</b>|<html-h>|<html-inner>|None|42|1.5|")
    assert "|&lt;sub&gt;|<markup-sub>|&lt;const&gt;|" in output
    volatile = _outcome(_environment(jinja2.Environment, dict(autoescape=False), CodeGenerator31), "escape_blocks.html")
    assert volatile[1].startswith("<s & 's' \"s\"><b>kept</b><str-h>|&lt;s &amp; &#39;s&#39; &#34;s&#34;&gt;<html-h>")
    captures = _outcome(loose, "captures.html")[1]
    assert "<b>&lt;s" in captures and "|Markup|Markup" in captures and "<i>&lt;s" in captures
    assert "_kt_item" in loose.compile(TEMPLATES["attributes.html"], raw=True)
    assert "_kt_inner" in loose.compile(TEMPLATES["output.html"], raw=True)
    sandboxed = _environment(jinja2.sandbox.SandboxedEnvironment, {}, CodeGenerator31)
    assert "_kt_" not in sandboxed.compile(TEMPLATES["attributes.html"], raw=True)


def test_asynchronous_environments_keep_jinjas_code() -> None:
    options = {"async": (jinja2.Environment, dict(autoescape=True, undefined=jinja2.StrictUndefined))}
    # Jinja renders an asynchronous environment's template with asyncio.run, which refuses to start inside a
    # running event loop, and the suite's browser session (Playwright's sync API) keeps one running in this
    # thread: compared in a thread of its own, as a program without such a loop would render them.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(_differences, CodeGenerator31, options, enable_async=True).result() == []
    environment = _environment(jinja2.Environment, {}, CodeGenerator31, enable_async=True)
    assert "_kt_" not in environment.compile(TEMPLATES["attributes.html"], raw=True)


class _ItemFirst(CodeGenerator31):
    """Wrong: the item before the attribute."""

    def visit_Getattr(self, node, frame) -> None:
        self.write("environment.getitem(")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r})")


class _NoItem(CodeGenerator31):
    """Wrong: no item when there is no attribute."""

    def visit_Getattr(self, node, frame) -> None:
        self.write("getattr(")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}, environment.undefined(name={node.attr!r}))")


class _AnyDictByGet(CodeGenerator31):
    """Wrong: every mapping of class ``dict`` or a subclass asked with ``get`` (``__missing__`` lost)."""

    def visit_Getattr(self, node, frame) -> None:
        self.write("(_kt_r if (_kt_r := getattr((_kt_o := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, _kt_none)) is not _kt_none else (_kt_o.get({node.attr!r}, "
                   f"environment.undefined(name={node.attr!r})) if isinstance(_kt_o, dict) "
                   f"else _kt_item(environment, _kt_o, {node.attr!r})))")


class _EscapeStrOnly(CodeGenerator31):
    """Wrong: only strings escaped (objects with ``__html__``, numbers as ``str``)."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("(_kt_inner(_kt_v) if type(_kt_v := ")
            if finalize.src is not None:
                self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(")" if finalize.src is not None else "")
            self.write(") is str else str(_kt_v))")
            return
        super()._output_child_post(node, frame, finalize)


class _VolatileAlwaysEscaped(CodeGenerator31):
    """Wrong: ``{% autoescape flag %}`` taken as on."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.volatile:
            self.write("_kt_esc(")
            if finalize.src is not None:
                self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)


class _NoFinalize(CodeGenerator31):
    """Wrong: ``finalize`` left out of the escaped output."""

    def _make_finalize(self):
        info = super()._make_finalize()
        return self._FinalizeInfo(info.const, None) if self.environment.autoescape else info


@pytest.mark.parametrize("wrong", [_ItemFirst, _NoItem, _AnyDictByGet, _EscapeStrOnly, _VolatileAlwaysEscaped, _NoFinalize])
def test_the_comparison_catches_a_generator_that_differs(wrong: type) -> None:
    assert _differences(wrong) != []


def _pages(generator: type | None) -> dict:
    data, _ = load_concept(MINIMAL / "data", ["en", "ar", "ls"], MINIMAL)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    if generator is None:
        renderer.env.code_generator_class = CodeGenerator
    assert renderer.env.code_generator_class is (generator or CodeGenerator)
    pages = {}
    for language in (Language("de", "Deutsch", default=True), Language("ar", "العربية"),
                     Language("ls", "Leichte Sprache", html_lang="de")):
        labels = load_labels(language.code, [] if language.code == "de" else ["de"])
        for page in PageBuilder(data, language, labels, renderer).pages():
            pages[language.code, page.path] = page.markdown
    return pages


def test_the_page_templates_render_the_same_pages() -> None:
    """The minimal concept's pages (German, Arabic, Leichte Sprache) with the shorter code and with Jinja's."""
    ours = _pages(CodeGenerator31)
    assert len(ours) > 20
    assert ours == _pages(None)


def test_the_renderer_and_the_theme_compile_with_the_shorter_code() -> None:
    assert Renderer([THEME_DIR]).env.code_generator_class is CodeGenerator31
    from klartext.plugin import theme

    class _Theme:
        def get_env(self):
            return jinja2.Environment()

    environment = theme._theme_env(_Theme())
    assert environment.code_generator_class is CodeGenerator31
    assert type(environment.cache) is dict and type(Renderer([THEME_DIR]).env.cache) is dict  # no LRU queue


def test_an_edited_generator_compiles_the_cached_templates_afresh(tmp_path: Path, monkeypatch) -> None:
    """The compiled templates' cache key holds the generator's class and its module's source: a
    template compiled by Jinja's generator, or by an earlier version of ours, is never used."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    folder = tmp_path / "cache"

    def rendered(generator: type) -> str:
        cache = TemplateCache()  # a new process: nothing in memory
        cache.keep_on_disk(folder)
        environment = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True, bytecode_cache=cache)
        environment.code_generator_class = generator
        return environment.get_template("output.html").render(**_values())

    monkeypatch.setattr(render, "_FINGERPRINTS", {})
    text = rendered(CodeGenerator31)
    assert rendered(CodeGenerator31) == text and len(compiled) == 1  # loaded
    assert rendered(CodeGenerator) == text and len(compiled) == 2  # Jinja's: compiled
    assert rendered(CodeGenerator31) == text and len(compiled) == 2
    monkeypatch.setattr(render, "_FINGERPRINTS", {})
    monkeypatch.setitem(render._MODULE_DIGESTS, jinja_code.__name__, "an edited module")
    assert rendered(CodeGenerator31) == text and len(compiled) == 3  # the edited generator: compiled
    assert rendered(CodeGenerator31) == text and len(compiled) == 3


def test_other_jinja_versions_compile_with_jinjas_generator(monkeypatch) -> None:
    monkeypatch.setattr(jinja_code, "SUPPORTED", False)
    assert Renderer([THEME_DIR]).env.code_generator_class is CodeGenerator


def test_template_globals_are_the_same_live_view() -> None:
    """A template's globals list and hold what Jinja's ChainMap does, and see globals added later."""
    own, shared = {"a": 1, "z": 2}, {"z": 0, "b": 3, "range": range}
    for maps in ([own, shared], [{}, shared], [own, {}], [own, shared, {"c": 4}]):
        assert list(Globals(*maps)) == list(ChainMap(*maps)) and dict(Globals(*maps)) == dict(ChainMap(*maps))
        assert [key in Globals(*maps) for key in "abcz"] == [key in ChainMap(*maps) for key in "abcz"]
    environment = _environment(jinja2.Environment, dict(autoescape=True), CodeGenerator31)
    template = environment.get_template("globals.html")
    assert type(template) is Template31 and type(template.globals) is Globals
    before = template.render(**_values())
    assert before.startswith("<1>!&lt;glob&gt;!&lt;glob&gt;False[0, 1]<html>")
    environment.globals["late"] = "<late>"
    assert "&lt;glob&gt;True[0, 1]" in template.render(**_values())
    own_class = type("Own", (jinja2.Template,), {})
    environment = jinja2.Environment()
    environment.template_class = own_class
    jinja_code.install(environment)
    assert environment.template_class is own_class  # an environment's own template class is kept
