"""Jinja environment for page sources (HTML templates): HTML escaping by default."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import sys
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape

from klartext import charts, jinja_code, links

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


CACHE_FOLDER = Path(".cache") / "klartext" / "jinja"
"""Below the project root: the compiled templates of earlier builds (see :class:`TemplateCache`)."""

SWITCH = "KLARTEXT_JINJA_CACHE"
"""Environment variable: ``0`` keeps compiled templates in memory only (every build compiles them)."""

_MOST_FILES = 2000
"""More cache files than this (left by many environments or template versions): the folder is emptied."""


class _CheckedBucket(jinja2.bccache.Bucket):
    """Jinja's bucket with a digest of its bytes in front: a damaged or truncated cache file (a
    changed byte that marshal would still load as other code) is compiled afresh, never run."""

    def load_bytecode(self, f: Any) -> None:
        content = f.read()
        digest, payload = content[:16], content[16:]
        if hashlib.blake2b(payload, digest_size=16).digest() != digest:
            self.reset()
            return
        try:
            super().load_bytecode(io.BytesIO(payload))  # Jinja's checks: format, Python, source checksum
        except Exception:  # noqa: BLE001 - anything unreadable is a miss
            self.reset()

    def write_bytecode(self, f: Any) -> None:
        payload = io.BytesIO()
        super().write_bytecode(payload)
        payload_bytes = payload.getvalue()
        f.write(hashlib.blake2b(payload_bytes, digest_size=16).digest() + payload_bytes)


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates shared by the Jinja environments of one process, and kept on disk between
    builds (:meth:`keep_on_disk`).

    The i18n plugin runs one build per language and MkDocs makes a new theme environment for each:
    in memory, Material's templates are compiled once per process instead of once per language. On
    disk (Jinja's ``FileSystemBytecodeCache``: one file per template, written to a temporary file and
    renamed), the next build loads them instead of compiling them.

    An entry is found by the template's name and file (another project's or city's ``overrides``
    template is another entry) and by the :func:`fingerprint` of the environment that compiled it
    (its extensions, filters, tests, syntax, autoescape; Jinja, MarkupSafe and Python versions); Jinja
    checks the template source's checksum, so an edited template is compiled afresh. Anything wrong
    with the folder (missing, damaged files, read-only, another process writing) only means compiling.
    """

    def __init__(self) -> None:  # not Jinja's: it would choose a folder in /tmp
        self.directory: str | None = None  # type: ignore[assignment]  # in memory only until keep_on_disk
        self.pattern = "%s.jinja"
        self._store: dict[str, bytes] = {}
        self._codes: dict[str, tuple[str, Any]] = {}
        """The code objects of ``_store`` with their source checksums: each further environment of the
        process (one per language variant) takes them as they are instead of unmarshalling the bytes."""
        self.loaded = 0
        """Templates this process loaded from disk."""
        self.compiled = 0
        """Templates this process compiled (not found in memory or on disk)."""

    def keep_on_disk(self, folder: Path | None) -> None:
        """Keep compiled templates in ``folder`` (None, or ``KLARTEXT_JINJA_CACHE=0``: memory only)."""
        if os.environ.get(SWITCH, "1").strip().lower() in ("0", "no", "false"):
            folder = None
        self.directory = str(folder) if folder is not None else None
        if folder is None:
            return
        try:
            if len(os.listdir(folder)) > _MOST_FILES:
                self.clear()
        except OSError:
            pass  # not there yet, or unreadable: found out when loading

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        """Jinja's ``get_bucket``, with the environment's fingerprint in the key."""
        key = f"{self.get_cache_key(name, filename)}-{fingerprint(environment)}"
        bucket = _CheckedBucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        known = self._codes.get(bucket.key)
        if known is not None and known[0] == bucket.checksum:  # Jinja's check: the same template source
            bucket.code = known[1]
            return
        stored = self._store.get(bucket.key)
        if stored is not None:
            bucket.bytecode_from_string(stored)
            if bucket.code is not None:
                self._codes[bucket.key] = (bucket.checksum, bucket.code)
                return
        if self.directory is None:
            return
        try:
            with open(self._get_cache_filename(bucket), "rb") as file:
                stored = file.read()
        except OSError:  # not there (yet), or the folder is unreadable
            return
        bucket.bytecode_from_string(stored)
        if bucket.code is not None:
            self.loaded += 1
            self._store[bucket.key] = stored
            self._codes[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled += 1
        self._store[bucket.key] = bucket.bytecode_to_string()
        self._codes[bucket.key] = (bucket.checksum, bucket.code)
        if self.directory is None:
            return
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)  # temporary file in the folder, then renamed over the entry
        except OSError:
            pass  # e.g. a read-only checkout: compiled again next time

    def clear(self) -> None:
        """Forget every compiled template, in memory and on disk."""
        self._store.clear()
        self._codes.clear()
        if self.directory is not None:
            try:
                super().clear()
            except OSError:
                pass


_FINGERPRINTS: dict[tuple, str] = {}
"""Fingerprints by the environment's settings and functions as objects (cheap to compare)."""

_MODULE_DIGESTS: dict[str, str] = {}


def fingerprint(env: jinja2.Environment) -> str:
    """What the code Jinja compiles from a template depends on besides its source, as a short digest:
    the environment's class, extensions, syntax and options, its filters and tests (what they are
    called, what they are passed, their module's source: a filter applied to a constant runs while
    compiling, as does autoescaping and ``finalize``), its policies, and the versions of Jinja,
    MarkupSafe and Python (marshal's format, bytecode)."""
    raw = (type(env), env.code_generator_class, tuple(env.extensions.items()), tuple(env.filters.items()),
           tuple(env.tests.items()), repr(env.policies), *_syntax(env), env.finalize, env.autoescape)
    try:
        return _FINGERPRINTS[raw]
    except KeyError:
        if len(_FINGERPRINTS) > 64:  # e.g. a long preview whose environments get new functions
            _FINGERPRINTS.clear()
        _FINGERPRINTS[raw] = _describe(env)
        return _FINGERPRINTS[raw]
    except TypeError:  # something unhashable among them: described every time
        return _describe(env)


def _syntax(env: jinja2.Environment) -> tuple:
    return (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
            env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
            env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
            env.keep_trailing_newline, env.optimized, env.is_async)


def _describe(env: jinja2.Environment) -> str:
    description = (
        _versions(), _identity(type(env)), _identity(env.code_generator_class),
        sorted((name, _identity(type(extension))) for name, extension in env.extensions.items()),
        sorted((name, _folded(function)) for name, function in env.filters.items()),
        sorted((name, _folded(function)) for name, function in env.tests.items()),
        sorted((key, _identity(value) if callable(value) else repr(value))
               for key, value in env.policies.items()),
        _syntax(env), _identity(env.finalize),
        _identity(env.autoescape) if callable(env.autoescape) else bool(env.autoescape))
    return hashlib.blake2b(repr(description).encode("utf-8"), digest_size=12).hexdigest()


@functools.cache
def _versions() -> tuple:
    import importlib.metadata
    import importlib.util

    return (jinja2.__version__, importlib.metadata.version("markupsafe"), sys.implementation.cache_tag,
            importlib.util.MAGIC_NUMBER.hex())


def _folded(function: Any) -> tuple | None:
    """A filter or test as far as the compiled code depends on it: Jinja runs one that is not passed
    the context on constant arguments while compiling (``{{ "a" | upper }}`` becomes ``A``), so its
    implementation counts; one passed the context is only looked up when rendering (e.g. MkDocs'
    ``url`` filter, which the adapter wraps per build), so only that does."""
    if jinja2.utils._PassArg.from_obj(function) is jinja2.utils._PassArg.context:
        return ("context",)
    return _identity(function)


def _identity(obj: Any) -> tuple | None:
    """A function (or class) as the same text in every process: module, name, what Jinja passes it,
    a digest of its module's source."""
    if obj is None:
        return None
    function = obj.func if isinstance(obj, functools.partial) else obj
    if not hasattr(function, "__qualname__"):
        function = type(function)
    module = getattr(function, "__module__", None) or ""
    pass_arg = jinja2.utils._PassArg.from_obj(obj)
    return (module, function.__qualname__, pass_arg.name if pass_arg else None, _module_digest(module))


def _module_digest(module: str) -> str:
    if module not in _MODULE_DIGESTS:
        path = getattr(sys.modules.get(module), "__file__", None)
        try:
            digest = hashlib.blake2b(Path(path).read_bytes(), digest_size=12).hexdigest() if path else ""
        except OSError:
            digest = ""
        _MODULE_DIGESTS[module] = digest
    return _MODULE_DIGESTS[module]


_new_str = str.__new__

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
                if not __self.eval_ctx.autoescape:
                    return output
                # the macro's joined text (a str): what Markup(output) makes, without Markup.__new__'s frame
                return _new_str(Markup, output) if type(output) is str else Markup(output)
            return __obj(__self.eval_ctx, *args, **kwargs)
        return super().call(__obj, *args, **kwargs)


THEME_DIR = Path(__file__).resolve().parent / "theme"
"""The engine's theme folder: Material overrides, page templates (``klartext/*``) and assets."""

BYTECODE_CACHE = TemplateCache()
"""The cache of this process (page templates and, through the adapter, the theme's templates); on disk
once the adapter names the project's folder (``BYTECODE_CACHE.keep_on_disk(root / CACHE_FOLDER)``)."""


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
            cache_size=-1,  # a plain dictionary: no reordering of Jinja's LRU queue on every lookup
        )
        self.env.context_class = _Context
        jinja_code.install(self.env)
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
