"""What one build run of the plugin has learnt so far, and small lookups shared by its modules."""

from __future__ import annotations

import re
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from klartext.concept import ConceptData
from klartext.controlling import Settings
from klartext.labels import load_labels
from klartext.languages import SOURCE, Language
from klartext.pages import PageBuilder
from klartext.problems import Problem
from klartext.render import Renderer
from klartext.translations import entries

log = get_plugin_logger("klartext")
LOCALE_SUFFIX = re.compile(r"^[a-z]{2}(-[A-Za-z]{4})?(-[A-Z]{2})?$|^[a-z]{2}_[A-Z]{2}$")
"""The i18n plugin's rule for a language suffix of a hand-written page (``page.en.md``)."""


@dataclass
class Run:
    """What one ``mkdocs build`` (or one rebuild of ``serve``) has learnt so far."""

    command: str = "build"
    data: ConceptData | None = None
    problems: list[Problem] = field(default_factory=list)
    languages: dict[str, Language] = field(default_factory=dict)
    builder: PageBuilder | None = None
    """Page builder of the language being built (set in on_config, used in on_files)."""
    fallbacks: frozenset[str] = frozenset()
    """German texts shown in the language being built for want of a translation."""
    source_names: frozenset[str] = frozenset()
    """Short German texts of the data (names), marked with lang where a translation quotes them."""
    source_names_of: ConceptData | None = None
    """The data ``source_names`` was taken from (the same for every variant of a build)."""
    texts_of: ConceptData | None = None
    """The data :meth:`texts` was taken from."""
    texts_found: list = field(default_factory=list)
    """Every translatable text of ``texts_of`` (:meth:`texts`)."""
    pdfs: dict[str, Future] = field(default_factory=dict)
    """PDF of each language, rendering in worker processes."""
    good: ConceptData | None = None
    """The last data without errors (``serve`` keeps showing it while the data has errors)."""
    source_date_epoch_set_by_us: bool = False
    """Whether SOURCE_DATE_EPOCH comes from the data (and follows it on every rebuild of serve)."""
    settings: Settings | None = None
    """Controlling settings (extra.klartext.controlling)."""
    quality: list[Problem] = field(default_factory=list)
    """Data-quality findings (warnings and errors of the configurable rules)."""
    renderers: dict[tuple[str, ...], Renderer] = field(default_factory=dict)
    """One page renderer per set of template folders: templates compile once, not once per language."""
    # 14par: the language variants in processes of their own (klartext.plugin.variants)
    default_index: str | None = None
    """Search index of the default variant, written when every variant is built."""
    sitemap_text: str | None = None
    """The sitemap this build rendered (the variants' processes hand back their part)."""
    sitemap_timestamp: int | None = None
    """Date of the newest page of this build (MkDocs dates the sitemap's gzip copy with it)."""
    variant_process: bool = False
    """True in a process that builds one further variant."""
    parallel: bool = False
    """True while the further variants are built in processes of their own."""
    theme_listings: dict = field(default_factory=dict)
    """The theme folders' file list of this build run, shared by its variants (theme.share_theme_listing)."""
    policy_hashes: set[str] | None = None
    """The script hashes of every page's policy, collected by the variants' processes and the default
    variant's build (None: read from the pages at the end, :func:`klartext.plugin.html.write_header_policy`)."""
    easy_language: Any = None
    """The Leichte Sprache check of a build, running in its own process until the default variant is
    built (:class:`klartext.plugin.data.EasyLanguageCheck`)."""
    forked: Any = None
    """The further variants' processes (:class:`klartext.plugin.variants.Group`), forked while the
    default variant builds; None before and after, and in the variants' processes."""

    def texts(self) -> list:
        """Every translatable text of the data (:func:`klartext.translations.entries`), worked out once
        per data: the same in every variant (taken before the fork, for ``source_names``), where each
        variant took them again for its fallback texts and its translation status page (14fixed)."""
        if self.texts_of is not self.data:
            self.texts_found = entries(self.data) if self.data is not None else []
            self.texts_of = self.data
        return self.texts_found

    def current(self, config: Any) -> Language:
        """The language variant being built."""
        return self.languages[i18n(config).current_language]

    def labels(self, config: Any, language: Language) -> Any:
        """Interface labels of ``language`` (the project's own ``labels_dir`` first, if set)."""
        folder = settings(config).get("labels_dir")
        project = project_root(config) / folder if folder else None
        return load_labels(language.code, [] if language.code == SOURCE.code else [SOURCE.code], project)

    def renderer(self, config: Any) -> Renderer:
        dirs = tuple(str(path) for path in config.theme.dirs)
        if dirs not in self.renderers:
            self.renderers[dirs] = Renderer([Path(path) for path in dirs])
        return self.renderers[dirs]


def i18n(config: Any) -> Any:
    """The mkdocs-static-i18n plugin of this configuration."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        raise PluginError("Klartext braucht das Plugin mkdocs-static-i18n (plugins: - i18n) in mkdocs.yml.")
    return plugin


def settings(config: Any) -> dict:
    """Klartext's settings in ``extra.klartext`` of mkdocs.yml."""
    return config.extra.get("klartext") or {}


def project_root(config: Any) -> Path:
    """The folder of the project's mkdocs.yml."""
    return Path(config.config_file_path).parent
