"""Jinja environment for page sources: HTML escaping by default, plus a Markdown escape."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def markdown_text(value: object) -> Markup:
    """Escape text for a Markdown context (headings): HTML first, then Markdown syntax."""
    return Markup(_MARKDOWN_SPECIAL.sub(r"\\\1", str(escape(value))))


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
        self.env.filters["md"] = markdown_text
        self._icons: dict[str, str] = {}

    def render(self, template: str, **context: object) -> str:
        """Render ``klartext/<template>`` with ``context``."""
        return self.env.get_template(f"klartext/{template}").render(**context)

    def icon(self, name: str) -> Markup:
        """Inline SVG of a Material icon such as ``material/check-circle`` (empty if unknown)."""
        if name not in self._icons:
            try:
                source, _, _ = self.env.loader.get_source(self.env, f".icons/{name}.svg")  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                source = ""
            self._icons[name] = source.strip()
        return Markup(self._icons[name])
