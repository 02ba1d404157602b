"""Material's page shell per language variant: what stays the same for every variant is worked out once
per build run (klartext.plugin.theme), with the same result as MkDocs' own way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from mkdocs.structure.files import Files
from mkdocs.theme import Theme

from helpers import ROOT
from klartext.plugin import theme as plugin_theme

sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import generate  # noqa: E402


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
    walk = plugin_theme.list_theme_files
    monkeypatch.setattr(plugin_theme, "list_theme_files", lambda loader: walks.append(1) or walk(loader))
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


def test_the_theme_listing_skips_folders_mkdocs_drops_with_the_same_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every name below a folder whose name starts with a dot (Material's .icons: some 14,000 SVG files)
    is dropped by MkDocs' filter: the walk does not go there, and lists what MkDocs lists."""
    custom = tmp_path / "overrides"
    for name in ("assets/eins.css", "assets/.versteckt/zwei.css", ".oben/drei.css", "assets/.vier.css",
                 "assets/bilder/.svg/fuenf.svg", "assets/bilder/sechs.svg", "ziel/sieben.js"):
        (custom / name).parent.mkdir(parents=True, exist_ok=True)
        (custom / name).write_text("x", encoding="utf-8")
    (custom / "assets" / "verweis").symlink_to(custom / "ziel")  # not followed, as Jinja's walk
    expected = _theme_files(_config(tmp_path, custom))  # MkDocs alone
    assert ("assets/eins.css", str(custom / "assets" / "eins.css")) in expected
    assert not any("/." in uri or uri.startswith(".") for uri, _ in expected)

    folders = []
    walk = os.walk
    monkeypatch.setattr(os, "walk", lambda top, *args, **kwargs: (
        folders.append(entry[0]) or entry for entry in walk(top, *args, **kwargs)))
    config = _config(tmp_path, custom)
    plugin_theme.share_theme_listing(config, {}, first_variant=True)
    assert _theme_files(config) == expected
    assert any(folder.endswith(os.sep + "assets") for folder in folders)
    skipped = [os.sep + name for name in (".icons", ".versteckt", ".oben", ".svg")]
    assert not [folder for folder in folders if any(name in folder for name in skipped)]


_TEXTS = ("language", "direction", "search.placeholder", "select.language", "action.skip", "kein.text")


def _interface_texts(env: jinja2.Environment, language: str) -> str:
    """Material's interface texts as base.html reads them (``lang.t``), on two pages of one variant."""
    page = env.from_string('{% import "partials/language.html" as lang with context %}'
                           + "|".join(f"{{{{ lang.t('{key}') }}}}" for key in _TEXTS))
    config = {"theme": {"language": language}}
    return page.render(config=config) + "\n" + page.render(config=config)


@pytest.mark.parametrize("language", ["de", "en", "tr", "ar", "uk", "ru"])
def test_interface_texts_are_looked_up_once_per_variant_with_materials_answers(
        tmp_path: Path, language: str) -> None:
    material = Theme(name="material")  # Material alone
    expected = _interface_texts(material.get_env(), language)
    assert "|" + ("rtl" if language == "ar" else "ltr") + "|" in expected and "kein.text" in expected

    config = _config(tmp_path, tmp_path)
    assert str(plugin_theme.MATERIAL_OVERRIDES["9.8.1"]) in config.theme.dirs
    env = config.theme.get_env()
    plugin_theme.remember_interface_texts(env)
    asked = []
    text_once = env.globals["klartext_text_once"]

    def spy(code: str, macro: object) -> object:
        return text_once(code, lambda key: asked.append(key) or macro(key))  # type: ignore[operator]

    env.globals["klartext_text_once"] = spy
    assert _interface_texts(env, language) == expected
    assert sorted(asked) == sorted(_TEXTS)  # Material's macro once per text, though two pages asked


def test_other_material_versions_keep_their_own_language_partial(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugin_theme, "_material_version", lambda: "9.9.0")
    dirs = _config(tmp_path, tmp_path).theme.dirs
    assert not any("material-" in Path(folder).name for folder in dirs)
    assert str(plugin_theme.THEME_DIR) in dirs


def test_navigation_is_rendered_once_for_pages_outside_it_with_the_same_urls() -> None:
    """klartext_nav_once hands a page outside the navigation the HTML rendered for an earlier page of the
    same folder only where every URL in it comes out the same; pages in the navigation render anew."""
    from mkdocs.utils.templates import url_filter

    env = jinja2.Environment()
    env.filters["url"] = url_filter
    plugin_theme.share_navigation(env)
    renders = []
    env.globals["rendered"] = lambda: renders.append(1) or len(renders)
    shell = env.from_string('{% call klartext_nav_once(page, nav, base_url) %}'
                            '{{ rendered() }} {{ "massnahmen/a/" | url }} {{ "felder/" | url }}{% endcall %}')

    def page(url: str, parent: object = None) -> SimpleNamespace:
        return SimpleNamespace(url=url, parent=parent)

    start = page("")
    nav = SimpleNamespace(pages=[start])

    def render(shown: SimpleNamespace) -> str:
        return shell.render(page=shown, nav=nav, base_url="../..")

    assert render(page("massnahmen/b/")) == "1 ../a/ ../../felder/"
    assert render(page("massnahmen/c/")) == "1 ../a/ ../../felder/"  # the same HTML, not rendered again
    assert render(page("massnahmen/e/", parent=object())) == "2 ../a/ ../../felder/"  # below an entry
    assert render(page("massnahmen/a/")) == "3 ./ ../../felder/"  # a URL comes out otherwise here
    assert render(page("ziele/d/")) == "4 ../../massnahmen/a/ ../../felder/"  # another folder
    assert render(start) == "5 massnahmen/a/ felder/"  # in the navigation: always rendered
    assert render(start) == "6 massnahmen/a/ felder/"
    assert len(renders) == 6


def test_page_independent_parts_are_rendered_once_per_variant() -> None:
    renders = []
    for _ in range(2):  # two language variants' environments
        env = jinja2.Environment()
        plugin_theme.keep_page_independent_parts(env)
        env.globals["rendered"] = lambda: renders.append(1) or len(renders)
        search = env.from_string('{% call klartext_shell_once("search") %}<div>{{ rendered() }}</div>{% endcall %}')
        assert [search.render(), search.render()] == [f"<div>{len(renders)}</div>"] * 2
    assert len(renders) == 2


_COUNTED_BUILD = """\
import json, sys
import jinja2
import klartext.plugin as adapter
import klartext.plugin.theme as theme
counts = {"walks": 0, "navigation_reused": 0, "source_names": 0, "shell_rendered": 0, "parts_reused": 0,
          "parts_rendered": 0, "links_reused": 0}
if sys.argv[1] == "off":  # MkDocs' and Material's own way: Material's partials, no shared listing
    theme.MATERIAL_OVERRIDES = {}
    theme.share_theme_listing = lambda *args, **kwargs: None
    adapter.Run.source_names_of = property(lambda run: None, lambda run, value: None)
walk = jinja2.FileSystemLoader.list_templates
def counted_walk(self):
    counts["walks"] += 1
    return walk(self)
jinja2.FileSystemLoader.list_templates = counted_walk
list_theme_files = theme.list_theme_files  # the shared listing's own walk (without the dot folders)
def counted_listing(loader):
    counts["walks"] += 1
    return list_theme_files(loader)
theme.list_theme_files = counted_listing
share_navigation = theme.share_navigation
def share(env):
    share_navigation(env)
    once = env.globals["klartext_nav_once"]
    def counted(page, nav, base_url, *, caller):
        rendered = []
        html = once(page, nav, base_url, caller=lambda: rendered.append(1) or caller())
        counts["navigation_reused"] += not rendered
        return html
    env.globals["klartext_nav_once"] = counted
theme.share_navigation = share
keep = theme.keep_page_independent_parts
def counted_keep(env):
    keep(env)
    once = env.globals["klartext_shell_once"]
    def counted(name, *, caller):
        return once(name, caller=lambda: counts.__setitem__("shell_rendered", counts["shell_rendered"] + 1) or caller())
    env.globals["klartext_shell_once"] = counted
theme.keep_page_independent_parts = counted_keep
keep_parts = theme.keep_shell_parts
def counted_parts(env):
    keep_parts(env)
    part = env.globals["klartext_part"]
    @jinja2.pass_context
    def counted(context, name, key=None, *, caller):
        rendered = []
        html = part(context, name, key, caller=lambda: rendered.append(1) or caller())
        counts["parts_rendered" if rendered else "parts_reused"] += 1
        return html
    env.globals["klartext_part"] = counted
    links_part = env.globals["klartext_links_part"]
    @jinja2.pass_context
    def counted_links(context, name, key, entries, *, caller):
        rendered = []
        html = links_part(context, name, key, entries, caller=lambda: rendered.append(1) or caller())
        counts["links_reused"] += not rendered
        return html
    env.globals["klartext_links_part"] = counted_links
theme.keep_shell_parts = counted_parts
names = adapter.source_names
def counted_names(texts):
    counts["source_names"] += 1
    return names(texts)
adapter.source_names = counted_names
import hashlib
counts["raw"] = []  # each page as the theme renders it, before the plugins' finishing pass
render = jinja2.Template.render
def hashed(self, *args, **kwargs):
    output = render(self, *args, **kwargs)
    if self.name in ("main.html", "404.html"):
        counts["raw"].append(hashlib.sha1(output.encode()).hexdigest())
    return output
jinja2.Template.render = hashed
from mkdocs.__main__ import cli
cli(["build", "--site-dir", sys.argv[2]], standalone_mode=False)
print("COUNTS" + json.dumps(counts))
"""


def _counted_build(project: Path, mode: str) -> tuple[Path, dict]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "KLARTEXT_PDF": "0",
           "KLARTEXT_PARALLEL": "0", "SOURCE_DATE_EPOCH": "1700000000"}
    site = project / f"site-{mode}"
    result = subprocess.run([sys.executable, "-c", _COUNTED_BUILD, mode, str(site)], cwd=project, env=env,
                            capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return site, json.loads(result.stdout.rsplit("COUNTS", 1)[1])


def _tree(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_a_build_with_the_shared_shell_is_byte_identical_and_shares(tmp_path: Path) -> None:
    """The whole site (pages, 404 pages, search indexes, sitemap) with the listing shared across the
    variants and the memories of the page shell is byte for byte the site MkDocs and Material make
    without them, and so is each page as the theme renders it; and the sharing happens: one walk of the
    theme folders, navigation reused, the German source names taken once, the parts of base.html,
    header.html and content.html and the language switcher reused on most pages."""
    project = generate(tmp_path / "project", measures=8, fields=2, seed=7, languages=["en", "ar"])
    shared, counts = _counted_build(project, "on")
    plain, plain_counts = _counted_build(project, "off")
    variants = len([path for path in plain.glob("*/search/search_index.json")]) + 1
    assert variants >= 3
    assert plain_counts["walks"] >= variants and plain_counts["source_names"] == variants
    assert counts["walks"] == plain_counts["walks"] - variants + 1  # one walk for the theme, not one a variant
    assert counts["source_names"] == 1
    assert counts["navigation_reused"] >= 2 * variants
    assert counts["shell_rendered"] == variants  # the search dialog once per variant
    pages = len(list(plain.rglob("*.html")))
    assert counts["parts_reused"] > 8 * pages  # most of the 13 parts of base.html, header.html, content.html
    assert plain_counts["parts_reused"] == plain_counts["parts_rendered"] == 0
    assert counts["links_reused"] >= 2 * (pages - 2 * variants)  # the language switcher's two renders a page
    got, expected = _tree(shared), _tree(plain)
    assert got.keys() == expected.keys()
    assert [name for name in expected if got[name] != expected[name]] == []
    # and so is each page as the theme renders it (the finishing pass drops Material's hreflang links)
    assert len(counts["raw"]) == pages and counts["raw"] == plain_counts["raw"]


_LANGUAGES = {"de": {"tag": "de", "dir": "ltr", "hreflang": "de"}, "en": {"tag": "en", "dir": "ltr", "hreflang": "en"},
              "ar": {"tag": "ar", "dir": "rtl", "hreflang": "ar"}, "ls": {"tag": "de", "dir": "ltr", "hreflang": "de-x-ls"},
              "xx": {"dir": "ltr"}, "yy": {"hreflang": 'a"b'}}
_NAMES = {"de": "Deutsch", "en": "English", "ar": "العربية", "ls": "Leichte Sprache", "xx": "X", "yy": "Y & Z",
          "zz": "<Z>"}


@pytest.mark.parametrize("current", ["de", "ls", "en", "ar", "xx", "yy", "zz", None])
def test_language_switcher_shows_what_its_plain_jinja_version_showed(tmp_path: Path, current: str | None) -> None:
    """The switcher with klartext_switcher (entries worked out once per variant) renders byte for byte
    what the switcher computing everything in Jinja rendered (tests/fixtures/switcher-plain-jinja.html),
    for German and Leichte Sprache (siblings of each other), other languages, a language without tag
    or dir, an entry of a language the project does not know, and for two pages with other links."""
    config = _config(tmp_path, tmp_path)
    env = config.theme.get_env()
    plugin_theme.share_page_shell(env)
    plain = config.theme.get_env()
    plain.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"partials/alternate.html": (
        Path(__file__).parent / "fixtures" / "switcher-plain-jinja.html").read_text(encoding="utf-8")}), plain.loader])
    source = ('{% import "partials/language.html" as lang with context %}{% include "partials/alternate.html" %}'
              '{% with kt_easy_bar = true %}{% include "partials/alternate.html" %}{% endwith %}')
    for folder in ("massnahmen/a/", "ziele/"):
        alternates = [{"lang": code, "name": name, "link": f"{code}/{folder}"} for code, name in _NAMES.items()]
        context = {"config": SimpleNamespace(
            extra=SimpleNamespace(alternate=alternates, klartext={"languages": _LANGUAGES}),
            theme={"icon": {}, "language": "de"}), "page": SimpleNamespace(url=folder), "base_url": "..",
            "i18n_page_locale": current}
        expected = plain.from_string(source).render(**context)
        assert env.from_string(source).render(**context) == expected
        assert expected.count("md-select__link") == len(_NAMES)
        assert ('aria-current="true"' in expected) == (current in _NAMES)


_CITY_OVERRIDES = {
    # in parts of the shell that are otherwise shared: the footer (copyright) and the header (logo)
    "partials/copyright.html": '<div class="city-footer">Fußzeile von {{ page.url if page else "-" }}</div>\n',
    "partials/logo.html": '<span class="city-logo">{{ page.title if page else "-" }}</span>\n',
    # the city's own page layout: a block of base.html that is otherwise shared, with the page in it
    "main.html": '{% extends "base.html" %}{% block scripts %}{{ super() }}'
                 '<script>var seite = "{{ page.url if page else "-" }}";</script>{% endblock %}\n',
}


def test_a_citys_own_templates_show_on_every_page_and_the_site_is_byte_identical(tmp_path: Path) -> None:
    """A city's overrides/ (a partial inside a shared part of the shell, its own main.html overriding
    a block) still win: every page shows what the city's template makes of that page, and the site is
    byte for byte the one Material's own page shell makes."""
    from helpers import read_config, write_config

    project = generate(tmp_path / "project", measures=4, fields=2, seed=7, languages=["en"])
    for name, text in _CITY_OVERRIDES.items():
        (project / "overrides" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "overrides" / name).write_text(text, encoding="utf-8")
    config = read_config(project / "mkdocs.yml")
    config["theme"]["custom_dir"] = "overrides"
    write_config(project / "mkdocs.yml", config)
    shared, counts = _counted_build(project, "on")
    plain, _ = _counted_build(project, "off")
    measures = sorted(shared.glob("massnahmen/*/index.html")) + sorted(shared.glob("en/massnahmen/*/index.html"))
    assert len(measures) == 8
    for path in measures:
        url = path.parent.relative_to(shared).as_posix() + "/"
        html = path.read_text(encoding="utf-8")
        assert f"Fußzeile von {url}" in html
        assert f'var seite = "{url}";' in html
        title = html.split("<title>", 1)[1].split(" - ", 1)[0]
        assert f'<span class="city-logo">{title}</span>' in html
    assert counts["parts_reused"] > 0  # the other parts are still shared
    got, expected = _tree(shared), _tree(plain)
    assert got.keys() == expected.keys()
    assert [name for name in expected if got[name] != expected[name]] == []


def test_urls_told_the_same_by_the_folders_are_the_same() -> None:
    """The shortcut of klartext_part and klartext_nav_once (a part's URLs are the same on another page
    whose folder agrees with the first page's far enough) never says "the same" where MkDocs' url filter
    gives another result, over pages and targets of every depth, files, parent links and full URLs;
    and it does say so for sibling pages (the measures) with the usual targets."""
    import itertools
    import random

    from mkdocs.utils.templates import url_filter

    env = jinja2.Environment()
    env.filters["url"] = url_filter
    recorder = plugin_theme._recorder(env)
    assert recorder.rules
    names = ["a", "b", "c"]
    folders = [""] + ["/".join(parts) for size in (1, 2, 3) for parts in itertools.product(names, repeat=size)]
    pages = [folder + "/" if folder else "" for folder in folders] + [folder + "/x.html" for folder in folders[:13]]
    targets = pages + ["a", "a/b", "../a/", "../../b/c/", "https://example.org/a/", "/a/b/", "#oben", "a/x.css"]
    random.seed(14)
    told = 0
    for first in pages:
        for chosen in [random.sample(targets, 3) for _ in range(12)]:
            template = env.from_string("|".join("{{ %r | url }}" % target for target in chosen))
            made, _, html = recorder.render(
                lambda: template.render(page=SimpleNamespace(url=first), base_url="."), SimpleNamespace(url=first))
            for second in pages:
                page = SimpleNamespace(url=second)
                if recorder.same_folder(made, page):
                    told += 1
                    assert template.render(page=page, base_url=".") == html, (first, second, chosen)
    assert told > 1000
    sibling = ["assets/stylesheets/main.css", "massnahmen/", "", "handlungsfelder/arbeit/", "https://x.de/"]
    template = env.from_string("".join("{{ %r | url }}" % target for target in sibling))
    first = SimpleNamespace(url="massnahmen/m-001/")
    made, _, _ = recorder.render(lambda: template.render(page=first, base_url="../.."), first)
    assert recorder.same_folder(made, SimpleNamespace(url="massnahmen/m-002/"))
    assert not recorder.same_folder(made, SimpleNamespace(url="handlungsfelder/m-002/"))  # "massnahmen/" differs
