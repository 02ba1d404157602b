"""Memory of the build (14mem): heavy objects live only as long as the build needs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config

from helpers import make_project
from klartext import easy_language, loading
from klartext.easy_language import check_project
from klartext.easy_language_cache import CACHE_FILE
from klartext.plugin import data as plugin_data
from klartext.plugin.state import Run, i18n

PAGE = "# Über uns\n\nDas Geld wird von der Stadt bezahlt.\n\nDie Stadt hilft allen Menschen.\n"


@pytest.fixture
def root(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("KLARTEXT_PDF", "0")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return make_project(tmp_path, extra_files={"docs/ueber.ls.md": PAGE})


def _load(root: Path, command: str) -> Run:
    """What the plugin does first in a build (``serve``: in the preview); a build's Leichte Sprache
    check runs in its own process meanwhile and is reported when the default variant is built."""
    config = load_config(str(root / "mkdocs.yml"))
    run = Run(command=command)
    plugin_data.load(config, i18n(config), run)
    plugin_data.report_easy_language(run)
    return run


def test_build_checks_leichte_sprache_without_loading_the_tagger_into_the_build(root: Path, caplog) -> None:
    assert "ls" in _load(root, "serve").languages
    (root / CACHE_FILE).unlink()
    easy_language._tagger.cache_clear()
    easy_language._RESULTS.clear()
    caplog.clear()
    run = _load(root, "build")
    # the texts were checked (cache written, findings reported) in a process of its own
    assert (root / CACHE_FILE).is_file()
    assert easy_language._tagger.cache_info().currsize == 0
    reported = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    (root / CACHE_FILE).unlink()
    expected, _ = check_project(run.data, root, None, None, root / "docs")
    assert easy_language._tagger.cache_info().currsize == 1  # checked here: the model is loaded
    assert expected and all(any(message.endswith(str(finding.problem())) for message in reported)
                           for finding in expected)
    assert any("docs/ueber.ls.md:3" in message for message in reported)


def test_build_drops_the_parsed_files_the_preview_keeps(root: Path) -> None:
    loading.forget_parsed()
    _load(root, "serve")
    assert loading._PARSED
    _load(root, "build")
    assert not loading._PARSED


def test_a_crashed_check_stops_the_build_with_a_german_message(root: Path, monkeypatch) -> None:
    import os

    from mkdocs.exceptions import PluginError

    monkeypatch.setattr(easy_language, "check_project", lambda *arguments: os._exit(3))
    with pytest.raises(PluginError, match="Leichten Sprache ist abgebrochen \\(Code 3"):
        _load(root, "build")


def test_a_build_goes_on_while_its_leichte_sprache_check_runs(root: Path, monkeypatch) -> None:
    """The check's process works on the other core while the build loads the rest and forks the
    language variants (14sched; before, the build waited for it with the variants not yet started)."""
    import time

    went_on, saw = root / "went-on", root / "check-saw"
    check = easy_language.check_project

    def waiting_check(*arguments):  # in the check's process
        for _ in range(300):  # at most 30 s: before, the build waited for this process, never went on
            if went_on.exists():
                break
            time.sleep(0.1)
        saw.write_text("went on" if went_on.exists() else "waited", encoding="utf-8")
        return check(*arguments)

    monkeypatch.setattr(easy_language, "check_project", waiting_check)
    config = load_config(str(root / "mkdocs.yml"))
    run = Run(command="build")
    plugin_data.load(config, i18n(config), run)
    went_on.touch()  # the build goes on (here: to the next step)
    plugin_data.report_easy_language(run)
    assert saw.read_text(encoding="utf-8") == "went on"


# A build of a project in its own process that reports, whenever MkDocs writes a generated page, how many
# generated pages of that language variant hold their source or HTML, and how often each page was rendered.
PROBE = r"""
import json
from collections import Counter
from mkdocs import utils
from klartext import pages
from klartext.plugin import files as plugin_files

rendered, held, variant = Counter(), [], []
render, add_pages, write_file = pages.PageBuilder._page, plugin_files.add_pages, utils.write_file

def _page(self, path, *arguments, **context):
    rendered[(self.language.code, path)] += 1
    return render(self, path, *arguments, **context)

def add(files, *arguments, **options):
    sources = add_pages(files, *arguments, **options)
    variant[:] = [files.get_file_from_path(source.path) for source in sources]
    return sources

def holds(file):
    page = file.page
    return bool(file.__dict__.get("_content")) or page is not None and bool(page.content or page.markdown)

def write(content, path):
    if any(path == file.abs_dest_path for file in variant):
        held.append(sum(holds(file) for file in variant))
    return write_file(content, path)

pages.PageBuilder._page, plugin_files.add_pages, utils.write_file = _page, add, write
from mkdocs.__main__ import cli
try:
    cli(["build"])
except SystemExit as exit:
    assert not exit.code, exit.code
print(json.dumps({"held": held, "rendered": sorted(rendered.values()), "pages": len(rendered)}))
"""


def test_a_build_holds_one_generated_page_at_a_time(root: Path) -> None:
    """MkDocs reads every page before it writes the first; a generated page's HTML is rendered only when
    that page is built, and dropped once written (14lazy): at 1,200 measures a variant's sources and HTML
    held at once took over 100 MB."""
    import json
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", PROBE], cwd=root, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "KLARTEXT_PARALLEL": "0", "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["pages"] > 50  # every generated page of every language variant was written
    assert len(report["held"]) == report["pages"]
    assert max(report["held"]) <= 1  # at most the page being written
    assert set(report["rendered"]) == {1}  # and each rendered once, as before
