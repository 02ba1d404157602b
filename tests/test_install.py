"""A second city installs Klartext from a built wheel and publishes its own concept.

The engine is built into a wheel and installed (not editable) into a fresh virtual environment; its
dependencies come from the test environment (a ``.pth`` line makes them visible: installing numpy,
WeasyPrint and Material again would test pip, not Klartext). Then, as a city's staff member would:
``klartext neu`` for Hannover with de, en, tr and Leichte Sprache, fill in a few records, ``klartext
check``, ``klartext build`` in that folder, and look at what came out.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from pypdf import PdfReader

from browsing import site_pages
from helpers import ROOT, edit

LANGUAGES = ["de", "en", "tr", "ls"]
KINDS = {"start", "handlungsfelder/*", "massnahmen", "massnahmen/*", "akteure", "beteiligung", "glossar",
         "kontakt", "fortschritt", "aenderungen", "daten", "uebersetzungen", "barrierefreiheit", "datenschutz",
         "impressum", "ueber", "404"}
"""Every page kind a city's site has (the data-quality page is preview-only in a new project)."""
ENGINE_FILES = ("klartext.css", "klartext-controlling.css", "klartext.js", "main.html", "start.md",
                "klartext_mkdocs.py", "plugin.py")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the Klartext wheel; returns its ``bin`` folder."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"  # a clean copy: no stale build/ folder can end up in the wheel
    shutil.copytree(ROOT / "hooks" / "klartext", source / "hooks" / "klartext",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    wheels = work / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)], work)
    wheel = next(wheels.glob("klartext-*.whl"))
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], work)
    python = venv / "bin" / "python"
    site_packages = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                              work).stdout.strip())
    # the pinned dependencies of the test environment, after the new environment's own packages
    (site_packages / "zz-klartext-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], work)
    return venv / "bin"


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def _run(command: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=900)
    if check:
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def city(installed: Path) -> Path:
    """Hannover's project, created with ``klartext neu``, filled in a little and built."""
    work = installed.parent.parent
    klartext = str(installed / "klartext")
    created = _run([klartext, "neu", "hannover", "--name", "Stadt Hannover", "--sprachen", "de,en,tr,ls"], work)
    assert "Integrationskonzept der Stadt Hannover" in created.stdout
    project = work / "hannover"
    edit(project / "data" / "handlungsfelder.yml", '"[Bitte ausfüllen: Name der Maßnahme]"',
         "Sprachcafés in den Stadtteilen")
    edit(project / "data" / "handlungsfelder.yml", '"[Bitte ausfüllen: Leitziel des Handlungsfelds]"',
         "Alle Menschen in Hannover können gut Deutsch lernen.")
    edit(project / "data" / "akteure.yml", '"[Bitte ausfüllen: Name der zuständigen Stelle von Hannover]"',
         "Fachbereich Soziales")
    with (project / "data" / "handlungsfelder.yml").open("a", encoding="utf-8") as data:
        data.write("  - id: sprachcafe-buecherei\n    field: bildung\n    goals: [bildung-fuer-alle]\n"
                   "    title: Sprachcafé in der Bücherei\n    summary: Einmal in der Woche Deutsch sprechen.\n"
                   "    state: geplant\n    schedule:\n      start: 2027-01\n")
    with (project / "data" / "translations" / "en.yml").open("a", encoding="utf-8") as data:
        data.write("measures:\n  sprachcafe-buecherei:\n    title: Language café in the library\n")
    _run([klartext, "build"], project)
    return project


def test_the_package_is_installed_from_the_wheel(installed: Path) -> None:
    found = _run([str(installed / "python"), "-c", "import klartext, importlib.metadata as m; "
                  "print(klartext.__file__); print(m.distribution('klartext').read_text('direct_url.json'))"],
                 installed).stdout
    assert found.startswith(str(installed.parent)), found  # the venv's copy, not this checkout
    assert '"editable": true' not in found


def test_new_project_has_no_engine_file(city: Path) -> None:
    # the build's output, its lock and its caches (PDFs, Leichte Sprache findings) are ignored by the
    # project's .gitignore: they are not part of the project
    files = sorted(path.relative_to(city).as_posix() for path in city.rglob("*")
                   if path.is_file() and path.relative_to(city).parts[0] not in ("site", ".cache")
                   and path.name != ".site.lock")
    ignored = (city / ".gitignore").read_text(encoding="utf-8").split()
    assert ".site.*" in ignored and ".cache/" in ignored
    assert files == [".gitignore", "README.md", "data/akteure.yml", "data/handlungsfelder.yml",
                     "data/konzept.yml", "data/listen.yml", "data/termine.yml", "data/translations/en.yml",
                     "data/translations/ls.yml", "data/translations/tr.yml", "docs/ueber.md", "mkdocs.yml",
                     "requirements.txt", "schema/daten.json", "schema/uebersetzung.json"]
    config = (city / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks:" not in config and "custom_dir" not in config and str(ROOT) not in config
    assert re.search(r"^  - klartext\b", config, re.M)
    assert re.search(r"^klartext==\d", (city / "requirements.txt").read_text(encoding="utf-8"), re.M)


def test_site_has_every_page_kind_in_every_language_and_one_pdf_each(city: Path) -> None:
    site = city / "site"
    kinds: dict[str, set[str]] = {}
    for page in site_pages(site):
        kinds.setdefault(page.variant, set()).add(page.kind)
    assert sorted(kinds) == ["", "en", "ls", "tr"]
    for variant, found in kinds.items():
        assert found == KINDS, (variant, sorted(found ^ KINDS))
    for code in LANGUAGES:
        folder = site if code == "de" else site / code
        pdfs = sorted(path.relative_to(site).as_posix() for path in folder.glob("*.pdf"))
        assert pdfs == [f"{'' if code == 'de' else code + '/'}integrationskonzept.pdf"]
        text = "".join(page.extract_text() for page in PdfReader(folder / "integrationskonzept.pdf").pages)
        assert "Hannover" in text and "Lehrte" not in text, code
    assert len(list(site.rglob("*.pdf"))) == len(LANGUAGES)


def test_site_is_world_readable(city: Path) -> None:
    """Copied with permissions kept (cp -a, rsync -a), the site must still be served."""
    folders = [city / "site", *[path for path in (city / "site").rglob("*") if path.is_dir()]]
    wrong = [f"{stat.S_IMODE(path.stat().st_mode):o} {path}" for path in folders
             if stat.S_IMODE(path.stat().st_mode) != 0o755]
    assert not wrong, wrong[:5]


def test_city_name_where_lehrte_appeared(city: Path) -> None:
    site = city / "site"
    start = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Integrationskonzept der Stadt Hannover" in start
    assert re.search(r"<h1[^>]*>Integrationskonzept der Stadt Hannover</h1>", start)
    assert "Stadt Hannover" in (site / "datenschutz" / "index.html").read_text(encoding="utf-8")
    assert "Stadtverwaltung Hannover" in (site / "akteure" / "index.html").read_text(encoding="utf-8")
    assert "Sprachcafés in den Stadtteilen" in (site / "massnahmen" / "index.html").read_text(encoding="utf-8")
    assert "Language café in the library" in (site / "en" / "massnahmen" / "index.html").read_text(encoding="utf-8")
    assert "Integrationskonzept der Stadt Hannover" in (site / "feed.xml").read_text(encoding="utf-8")
    leaks = [path.relative_to(site).as_posix() for path in site.rglob("*")
             if path.suffix in (".html", ".xml", ".json", ".csv", ".js") and "Lehrte" in path.read_text("utf-8")]
    assert not leaks


def test_check_names_each_placeholder_until_filled(installed: Path, city: Path) -> None:
    """From another folder with --projekt: every placeholder left, with file and line; filled ones are gone."""
    result = _run([str(installed / "klartext"), "--projekt", str(city), "check"], city.parent)
    assert ("data/konzept.yml:13: Hinweis: Platzhalter: „integration@hannover.example“ (eine Adresse mit "
            "„.example“ gibt es nicht). Bitte durch die Angabe der Stadt ersetzen. (Regel placeholder)"
            ) in result.stdout
    assert "data/handlungsfelder.yml:23: Hinweis: Platzhalter: „[Bitte ausfüllen: Was geschieht" in result.stdout
    assert "Name der Maßnahme" not in result.stdout and "Leitziel des Handlungsfelds" not in result.stdout
    assert result.stdout.count("(Regel placeholder)") == 21  # incl. the Impressum: address, e-mail, responsible
