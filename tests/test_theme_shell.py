"""Material's page shell per language variant: what stays the same for every variant is worked out once
per build run (klartext.plugin.theme), with the same result as MkDocs' own way."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from mkdocs.structure.files import Files
from mkdocs.theme import Theme

from klartext.plugin import theme as plugin_theme


def _config(tmp_path: Path, custom: Path) -> SimpleNamespace:
    config = SimpleNamespace(theme=Theme(name="material", custom_dir=str(custom)), extra_css=[],
                             extra_javascript=[], site_dir=str(tmp_path / "site"), use_directory_urls=True)
    plugin_theme.install(config)  # the engine's theme folder between the project's and Material's
    return config


def _theme_files(config: SimpleNamespace) -> list[tuple[str, str]]:
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return [(file.src_uri, file.abs_src_path) for file in files]


def test_theme_files_are_listed_once_per_build_and_as_mkdocs_lists_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    custom = tmp_path / "overrides"
    (custom / "assets").mkdir(parents=True)
    (custom / "assets" / "eins.css").write_text("a{}", encoding="utf-8")
    expected = _theme_files(_config(tmp_path, custom))  # MkDocs alone
    assert ("assets/eins.css", str(custom / "assets" / "eins.css")) in expected
    assert len(expected) > 20

    walks = []
    walk = jinja2.FileSystemLoader.list_templates
    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates",
                        lambda self: walks.append(1) or walk(self))
    config = _config(tmp_path, custom)
    listings: dict = {}
    plugin_theme.share_theme_listing(config, listings, first_variant=True)
    variants = []
    for _ in range(3):  # three language variants of one build
        variants.append(_theme_files(config))
        plugin_theme.share_theme_listing(config, listings, first_variant=False)
    assert variants == [expected] * 3
    assert len(walks) == 1

    # the next build (a rebuild of the preview) finds a file added to a theme folder
    (custom / "assets" / "zwei.css").write_text("b{}", encoding="utf-8")
    plugin_theme.share_theme_listing(config, listings, first_variant=True)
    assert ("assets/zwei.css", str(custom / "assets" / "zwei.css")) in _theme_files(config)
    assert len(walks) == 2
