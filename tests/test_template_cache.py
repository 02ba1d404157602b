"""Compiled templates kept on disk between builds (hooks/klartext/render.py, ``TemplateCache``): a build
after the first compiles no template whose source, environment and versions are unchanged, and a cache
file that is damaged, foreign, unwritable or being written by another process never changes the output."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from klartext import render
from klartext.render import TemplateCache

from helpers import make_project, read_config, write_config

PAGE = "{% set title = 'Hallo' %}<h1>{{ title }} {{ name }}</h1>{{ '<b>' }}"


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from now on (in this process)."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def _process(folder: Path | None) -> TemplateCache:
    """The cache of a new build process: nothing in memory, ``folder`` on disk."""
    cache = TemplateCache()
    cache.keep_on_disk(folder)
    return cache


def _env(templates: list[Path], cache: TemplateCache, **options) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader([str(path) for path in templates]),
                              bytecode_cache=cache, **{"autoescape": True, **options})


def _render(templates: list[Path], cache: TemplateCache, name: str = "page.html", **options) -> str:
    return _env(templates, cache, **options).get_template(name).render(name="Lehrte")


def test_a_new_process_loads_the_compiled_templates_and_renders_the_same(tmp_path: Path, compiled) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "page.html").write_text(PAGE, encoding="utf-8")
    first = _render([theme], _process(tmp_path / "cache"))
    assert first == "<h1>Hallo Lehrte</h1>&lt;b&gt;"
    assert compiled == ["page.html"]
    cache = _process(tmp_path / "cache")
    assert _render([theme], cache) == first
    assert compiled == ["page.html"]  # the second process compiled nothing
    assert (cache.loaded, cache.compiled) == (1, 0)
    assert _render([theme], _process(None)) == first  # KLARTEXT_JINJA_CACHE=0 or no project: compiled
    assert compiled == ["page.html"] * 2


def test_the_switch_keeps_compiled_templates_in_memory_only(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KLARTEXT_JINJA_CACHE", "0")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    _render([tmp_path], _process(tmp_path / "cache"))
    assert not (tmp_path / "cache").exists()


def test_an_edited_or_overriding_template_is_compiled_and_used(tmp_path: Path, compiled) -> None:
    theme, overrides, folder = tmp_path / "theme", tmp_path / "overrides", tmp_path / "cache"
    theme.mkdir()
    overrides.mkdir()
    (theme / "page.html").write_text(PAGE, encoding="utf-8")
    assert _render([overrides, theme], _process(folder)) == "<h1>Hallo Lehrte</h1>&lt;b&gt;"
    (theme / "page.html").write_text(PAGE.replace("Hallo", "Guten Tag"), encoding="utf-8")
    assert _render([overrides, theme], _process(folder)) == "<h1>Guten Tag Lehrte</h1>&lt;b&gt;"
    # a city's overrides folder (or another project) puts its own file under the same name
    (overrides / "page.html").write_text("Moin {{ name }}", encoding="utf-8")
    assert _render([overrides, theme], _process(folder)) == "Moin Lehrte"
    (overrides / "page.html").write_text("Servus {{ name }}", encoding="utf-8")
    assert _render([overrides, theme], _process(folder)) == "Servus Lehrte"
    (overrides / "page.html").unlink()
    assert _render([overrides, theme], _process(folder)) == "<h1>Guten Tag Lehrte</h1>&lt;b&gt;"
    assert len(compiled) == 4  # the last one was stored


def loud(value: str) -> str:
    return value.upper()


def quiet(value: str) -> str:
    return value.lower()


def test_code_compiled_in_another_environment_is_never_used(tmp_path: Path, compiled) -> None:
    """Jinja folds constants while compiling: escaping, ``finalize``, filters on constant arguments."""
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "tone.html").write_text("{{ 'Hallo' | tone }} {% if name %}{{ name | tag }}{% endif %}",
                                        encoding="utf-8")
    folder = tmp_path / "cache"
    shared = _process(folder)  # one process: memory and disk
    assert _render([tmp_path], shared) == "<h1>Hallo Lehrte</h1>&lt;b&gt;"
    assert _render([tmp_path], shared, autoescape=False) == "<h1>Hallo Lehrte</h1><b>"
    assert _render([tmp_path], shared, variable_start_string="[[", variable_end_string="]]") \
        == "<h1>{{ title }} {{ name }}</h1>{{ '<b>' }}"
    assert _render([tmp_path], shared, finalize=lambda value: f"«{value}»") \
        == "<h1>«Hallo» «Lehrte»</h1>«&lt;b&gt;»"

    def env(tone, tag) -> jinja2.Environment:
        environment = _env([tmp_path], shared)
        environment.filters.update(tone=tone, tag=tag)
        return environment

    assert env(loud, str).get_template("tone.html").render(name="x") == "HALLO x"
    assert env(quiet, str).get_template("tone.html").render(name="x") == "hallo x"  # same name, other code
    marked = jinja2.pass_context(lambda context, value: f"[{value}]")  # passed the context: other code
    assert env(quiet, marked).get_template("tone.html").render(name="x") == "hallo [x]"
    assert len(compiled) == 7
    # a new process with the same environments loads every one of them
    again = _process(folder)
    assert _render([tmp_path], again, autoescape=False) == "<h1>Hallo Lehrte</h1><b>"
    environment = _env([tmp_path], again)
    environment.filters.update(tone=quiet, tag=marked)
    assert environment.get_template("tone.html").render(name="x") == "hallo [x]"
    assert len(compiled) == 7


def test_another_jinja_or_python_version_compiles_afresh(tmp_path: Path, compiled, monkeypatch) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    _render([tmp_path], _process(tmp_path / "cache"))
    monkeypatch.setattr(render, "_FINGERPRINTS", {})
    monkeypatch.setattr(render, "_versions", lambda: ("3.1.7", "3.0.2", "cpython-312", "cb0d0d0a"))
    assert _render([tmp_path], _process(tmp_path / "cache")) == "<h1>Hallo Lehrte</h1>&lt;b&gt;"
    assert len(compiled) == 2


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "changed text", "changed digest"])
def test_a_damaged_cache_file_is_compiled_again(tmp_path: Path, compiled, damage: str) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    folder = tmp_path / "cache"
    expected = _render([tmp_path], _process(folder))
    [stored] = folder.iterdir()
    content = stored.read_bytes()
    assert content.count(b"Hallo") == 1  # the folded constant, in marshal's data
    stored.write_bytes({
        "truncated": content[:len(content) // 2],
        "empty": b"",
        "garbage": os.urandom(len(content)),
        "changed text": content.replace(b"Hallo", b"Hallx"),  # marshal would load it: other code
        "changed digest": bytes([content[0] ^ 1]) + content[1:],
    }[damage])
    cache = _process(folder)
    assert _render([tmp_path], cache) == expected
    assert len(compiled) == 2 and cache.compiled == 1
    again = _process(folder)
    assert _render([tmp_path], again) == expected and again.loaded == 1


def test_an_unwritable_cache_folder_only_means_compiling(tmp_path: Path, compiled) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder", encoding="utf-8")  # mkdir and writes fail (also as root)
    for _ in range(2):
        assert _render([tmp_path], _process(blocked / "cache")) == "<h1>Hallo Lehrte</h1>&lt;b&gt;"
    assert len(compiled) == 2
    if os.geteuid() != 0:  # a read-only folder (root may write anyway)
        folder = tmp_path / "readonly"
        folder.mkdir(mode=0o555)
        assert _render([tmp_path], _process(folder)) == "<h1>Hallo Lehrte</h1>&lt;b&gt;"
        assert list(folder.iterdir()) == []


def _bucket(theme: Path, cache: TemplateCache, name: str) -> jinja2.bccache.Bucket:
    source = (theme / name).read_text(encoding="utf-8")
    return cache.get_bucket(_env([theme], cache), name, str(theme / name), source)


def _write_again_and_again(theme: Path, folder: Path, rounds: int) -> None:
    """A variant's process compiling both templates and writing them, ``rounds`` times."""
    compiler = _env([theme], None)
    code = {name: compiler.compile((theme / name).read_text(encoding="utf-8"), name, str(theme / name))
            for name in ("page.html", "other.html")}
    for _ in range(rounds):
        cache = _process(folder)
        for name in ("page.html", "other.html"):
            bucket = _bucket(theme, cache, name)
            bucket.code = code[name]
            cache.dump_bytecode(bucket)


def test_processes_writing_at_the_same_time_leave_whole_entries(tmp_path: Path) -> None:
    """The language variants' processes write the same entries at once: a reader finds the old file or
    the new one, never a part (temporary file, then renamed), and no temporary file is left."""
    theme, folder = tmp_path / "theme", tmp_path / "cache"
    theme.mkdir()
    (theme / "page.html").write_text(PAGE, encoding="utf-8")
    (theme / "other.html").write_text(PAGE * 400, encoding="utf-8")  # a larger file: longer writes
    for name in ("page.html", "other.html"):
        _render([theme], _process(folder), name)
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_write_again_and_again, args=(theme, folder, 300)) for _ in range(2)]
    for writer in writers:
        writer.start()
    reads = misses = 0
    while any(writer.is_alive() for writer in writers):
        for name in ("page.html", "other.html"):
            reads += 1
            misses += _bucket(theme, _process(folder), name).code is None
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert reads > 20 and misses == 0
    assert sorted(path.suffix for path in folder.iterdir()) == [".jinja", ".jinja"]
    cache = _process(folder)
    assert _render([theme], cache) == "<h1>Hallo Lehrte</h1>&lt;b&gt;" and cache.compiled == 0


WRAPPER = """\
import os, sys
import jinja2

log = sys.argv.pop(1)
compile_, parse = jinja2.Environment.compile, jinja2.Environment._parse


def note(kind, name):
    with open(log, "a", encoding="utf-8") as out:  # every process of the build: forked ones too
        out.write(f"{os.getpid()} {kind} {name}\\n")


def compiling(self, source, name=None, filename=None, *args, **kwargs):
    note("compile", name)
    return compile_(self, source, name, filename, *args, **kwargs)


def parsing(self, source, name, filename):
    note("parse", name)
    return parse(self, source, name, filename)


jinja2.Environment.compile, jinja2.Environment._parse = compiling, parsing
from mkdocs.__main__ import cli

cli(sys.argv[1:])
"""


def test_the_templates_a_compiled_template_loads_by_name() -> None:
    """What the theme templates compiled before the fork load, read from their code (not parsed again)."""
    from klartext.plugin.variants import _loaded_by_name

    env = jinja2.Environment(loader=jinja2.DictLoader({"base.html": "{% block main %}{% endblock %}"}))
    template = env.from_string(
        '{% extends "base.html" %}{% import "macros.html" as m %}{% block main %}'
        '{% include "partials/x.html" %}{% include ["a.html", "b.html"] %}{% from "feed.xml" import entry %}'
        '{% macro icon(name) %}{% include ".icons/material/" ~ name ~ ".svg" %}{% endmacro %}'
        '{% include ".icons/material/menu.svg" %}<a href="other page.html">{{ "y.html" }}</a>{% endblock %}')
    assert set(_loaded_by_name(template)) - {"y.html", ".svg"} == {  # (a few more names: harmless)
        "base.html", "macros.html", "partials/x.html", "a.html", "b.html", "feed.xml",
        ".icons/material/menu.svg"}


def _build(project: Path, log: Path) -> tuple[dict[str, bytes], list[str]]:
    wrapper = project.parent / "counting_mkdocs.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    log.unlink(missing_ok=True)
    log.touch()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "KLARTEXT_PDF": "0"}
    result = subprocess.run([sys.executable, str(wrapper), str(log), "build", "--strict"], cwd=project,
                            env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    files = {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
             if path.is_file()}
    notes = [line.split(" ", 2)[1:] for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(name for kind, name in notes if kind == "parse") \
        == sorted(name for kind, name in notes if kind == "compile")  # nothing parses but compiling
    return files, [name for kind, name in notes if kind == "compile"]


def test_a_second_build_compiles_no_template_and_builds_the_same_site(tmp_path: Path) -> None:
    project = make_project(tmp_path, extra_files={
        "overrides/partials/copyright.html": '<div class="city-note">Stand: Mai</div>\n'})
    config = read_config(project / "mkdocs.yml")
    config["theme"]["custom_dir"] = "overrides"
    write_config(project / "mkdocs.yml", config)
    log = tmp_path / "compiled.txt"
    first, compiled = _build(project, log)
    assert {"main.html", "klartext/measure.html", "partials/copyright.html"} <= set(compiled)
    assert len(list((project / ".cache" / "klartext" / "jinja").iterdir())) >= len(set(compiled))
    second, compiled = _build(project, log)
    assert compiled == []  # in every process of the build, and nothing parsed (_build)
    assert second == first
    # the city edits its override: the next build compiles that template (once per environment) and uses it
    (project / "overrides" / "partials" / "copyright.html").write_text(
        '<div class="city-note">Stand: Juni</div>\n', encoding="utf-8")
    third, compiled = _build(project, log)
    assert set(compiled) == {"partials/copyright.html"}
    assert b"Stand: Juni" in third["index.html"] and b"Stand: Juni" in third["en/index.html"]


def test_a_folder_grown_past_its_limit_is_emptied(tmp_path: Path, monkeypatch) -> None:
    """A new version of a template replaces its entry, but entries of environments (or template files)
    no longer used stay: the folder is bounded."""
    monkeypatch.setattr(render, "_MOST_FILES", 5)
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    folder = tmp_path / "cache"
    for version in "abc":
        (tmp_path / "page.html").write_text(PAGE.replace("Hallo", version), encoding="utf-8")
        _render([tmp_path], _process(folder))
    assert len(list(folder.iterdir())) == 1
    for delimiter in "<[(!=":  # five more environments
        _render([tmp_path], _process(folder), block_start_string=f"{delimiter}%")
    assert len(list(folder.iterdir())) == 6
    (folder / "notes.txt").write_text("not ours", encoding="utf-8")
    _process(folder)
    assert [path.name for path in folder.iterdir()] == ["notes.txt"]


def test_a_further_environment_takes_the_compiled_code_as_it_is(tmp_path: Path, compiled) -> None:
    """The environments of one process (one per language variant) share the code objects themselves,
    not only their bytes; an edited template still gets its own."""
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    cache = _process(tmp_path / "cache")

    def code() -> object:
        return _env([tmp_path], cache).get_template("page.html").root_render_func.__code__

    first = code()
    assert code() is first and compiled == ["page.html"]
    again = _process(tmp_path / "cache")  # a new process: loaded from disk once, then shared
    loaded = _env([tmp_path], again).get_template("page.html").root_render_func.__code__
    assert loaded is not first
    assert _env([tmp_path], again).get_template("page.html").root_render_func.__code__ is loaded
    (tmp_path / "page.html").write_text(PAGE + "!", encoding="utf-8")
    assert _render([tmp_path], cache) == "<h1>Hallo Lehrte</h1>&lt;b&gt;!"
    assert code() is not first and compiled == ["page.html", "page.html"]
