"""Shared fixtures. The Klartext package lives in hooks/ (see pyproject.toml: pythonpath)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import ROOT, build, example_project, make_project

# MkDocs runs in subprocesses: they load the plugin ``klartext`` from this checkout's hooks/, not from
# wherever the package is installed in the virtual environment (the entry point only names the module).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "hooks"), os.environ.get("PYTHONPATH")]))


@pytest.fixture(autouse=True)
def _build_date_stays_in_its_test():
    """A build run inside the test process dates its output by setting SOURCE_DATE_EPOCH in the process
    environment; left there, it would date the builds of every later test's subprocesses (their sitemaps
    then differ from a fresh build's)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    yield
    if before is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = before


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Lehrte project, built strictly (HTML and PDFs)."""
    return build(example_project(tmp_path_factory.mktemp("lehrte")))


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal fixture concept (with missing translations), built strictly."""
    return build(make_project(tmp_path_factory.mktemp("minimal")))


@pytest.fixture(scope="session")
def site_url(site: Path):
    """The built example site, served over HTTP on 127.0.0.1 (port 8160 and up)."""
    from browsing import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's, via Playwright) for all browser tests."""
    from playwright.sync_api import sync_playwright

    from browsing import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
