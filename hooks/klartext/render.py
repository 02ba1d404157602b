"""Jinja environment for page sources (HTML templates): HTML escaping by default."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape

from klartext import charts, links

_MARKDOWN_HINT = re.compile(r"[*_`]")
_BLOCK_PROCESSORS_KEPT = {"empty", "paragraph"}
_INLINE_PATTERNS_KEPT = {"backtick", "escape", "entity", "em_strong", "em_strong2", "not_strong"}
_CELL_GAP = re.compile(r"(</(?:dt|dd|td|th)>)(?=<(?:dt|dd|td|th)[\s>])")
"""Adjacent cells of tables and description lists: a line break between them changes nothing on the page,
but text extractors (the search index, copy and paste of plain text) no longer glue the last word of
one cell to the first of the next ("KoordinationEine Fachkraft")."""

_DIRECTIONAL = re.compile(r"arrow-(?:right|left)|chevron-(?:right|left)|(?:^|-)(?:send|share|exit|login|logout|"
                          r"redo|undo|reply|forward|import|export)(?:-|$)|format-(?:indent|text-direction)|"
                          r"(?:^|-)next|(?:^|-)previous|skip-(?:next|previous)|step-(?:forward|backward)")
"""Icons that point along the line of text: mirrored on right-to-left pages (the CSS class kt-flip)."""

_TABLE = re.compile(r'<table(?<!<div class="kt-scroll"><table) class="kt-table[^"]*".*?</table>', re.S)
"""A table in its own horizontally scrolling box: on a phone a table with long words is wider than the
screen (words are never broken inside), and then only the table scrolls, not the page. A template may
write the box itself (the long tables of the translation status page do): such a table is left alone."""


def _wrap_tables(html: str) -> str:
    return _TABLE.sub(lambda match: f'<div class="kt-scroll">{match.group()}</div>', html)


@functools.cache
def _markdown() -> object:
    """Python-Markdown reduced to emphasis and code inside one paragraph: no links, images, raw HTML,
    headings or lists (data is text; it may only be stressed, never turned into markup that acts)."""
    import markdown

    md = markdown.Markdown()
    for name in [item.name for item in md.parser.blockprocessors._priority]:
        if name not in _BLOCK_PROCESSORS_KEPT:
            md.parser.blockprocessors.deregister(name)
    for name in [item.name for item in md.inlinePatterns._priority]:
        if name not in _INLINE_PATTERNS_KEPT:
            md.inlinePatterns.deregister(name)
    return md


@functools.lru_cache(maxsize=8192)
def _inline_markdown(text: str) -> str:
    escaped = str(escape(text))
    if not _MARKDOWN_HINT.search(text):
        return escaped
    md = _markdown()
    html = md.reset().convert(escaped)  # type: ignore[attr-defined]
    if html.startswith("<p>") and html.endswith("</p>") and "\n" not in html:
        return html[3:-4]
    return escaped


def inline_markdown(value: object) -> Markup:
    """A text from the data, escaped, with its Markdown emphasis (``**nicht**``, ``*so*``) and code
    rendered; rendered once per distinct text and process."""
    return Markup(_inline_markdown(str(value)))


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, shared by the Jinja environments of one process.

    The i18n plugin runs one build per language and MkDocs makes a new theme environment for each,
    so without it Material's templates are parsed and compiled once per language. A template whose
    source changed gets a different checksum and is compiled afresh.
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    def forget(self, key: str) -> None:
        self._store.pop(key, None)


_MACRO_SHORTCUT = jinja2.__version__.startswith("3.1.")
"""Call a macro's function directly (Jinja 3.1's ``Macro`` attributes; other versions go Jinja's way)."""


class _Context(jinja2.runtime.Context):
    """Jinja's template context with a shorter way for the calls the page templates make most.

    Every call in a template (``v.label("…")``, ``m.inline(v, …)``) goes through ``Context.call``,
    which asks the callee three times whether it wants the context, the eval context or the
    environment (a measure page makes several hundred calls). A method or function is asked once,
    a macro given every argument by position runs its function as ``Macro.__call__`` would, other
    macro calls get the eval context they always take; anything else goes Jinja's own way
    (tests/test_render_speed.py compares the outputs with Jinja's own context)."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        kind = type(__obj)
        if kind is MethodType or kind is FunctionType:
            # what jinja2.utils._PassArg.from_obj asks (a method's attributes are its function's), read
            # each time: nothing kept per function (a long preview renders new lambdas each build)
            plain = (__obj.__func__ if kind is MethodType else __obj).__dict__.get("jinja_pass_arg") is None
        else:
            plain = kind is BuiltinFunctionType  # e.g. dict.get: carries no Jinja marks
        if plain:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        if kind is jinja2.runtime.Macro:  # Macro.__call__ takes the eval context (pass_eval_context)
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            if (_MACRO_SHORTCUT and not kwargs and len(args) == __obj._argument_count and not __obj.caller
                    and not __obj.catch_kwargs and not __obj.catch_varargs):
                # every argument given by position: what Macro.__call__ and Macro._invoke then do
                output = __obj._func(*args)
                return Markup(output) if __self.eval_ctx.autoescape else output
            return __obj(__self.eval_ctx, *args, **kwargs)
        return super().call(__obj, *args, **kwargs)


THEME_DIR = Path(__file__).resolve().parent / "theme"
"""The engine's theme folder: Material overrides, page templates (``klartext/*``) and assets."""

BYTECODE_CACHE = MemoryBytecodeCache()
"""The cache of this process (page templates and, through the adapter, the theme's templates)."""


class Renderer:
    """Renders the page templates in ``theme/klartext`` (markup lives there, not in Python)."""

    def __init__(self, template_dirs: list[Path]) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(path) for path in template_dirs]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=BYTECODE_CACHE,
        )
        self.env.context_class = _Context
        self.env.filters["emphasis"] = inline_markdown
        # The modules the macros use are globals, so that ``{% import %}`` without context works: Jinja
        # then keeps each imported macro file's module instead of running it again on every render.
        self.env.globals.update(links=links, charts=charts)
        self._icons: dict[str, str] = {}

    def render(self, template: str, **context: object) -> str:
        """Render ``klartext/<template>`` with ``context``."""
        return _wrap_tables(_CELL_GAP.sub("\\1\n", self.env.get_template(f"klartext/{template}").render(**context)))

    def icon(self, name: str) -> Markup:
        """Inline SVG of a Material icon such as ``material/check-circle`` (empty if unknown)."""
        if name not in self._icons:
            try:
                source, _, _ = self.env.loader.get_source(self.env, f".icons/{name}.svg")  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                source = ""
            source = source.strip()
            if _DIRECTIONAL.search(name.rsplit("/", 1)[-1]):
                source = source.replace("<svg ", '<svg class="kt-flip" ', 1)
            self._icons[name] = source
        return Markup(self._icons[name])
