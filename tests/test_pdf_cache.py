"""A PDF is rendered again only when its print HTML, a file it loads, the fonts or the engine changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from klartext import pdf
from klartext.languages import SOURCE

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>Logo</title>'
        '<rect width="10" height="10" fill="{colour}"/></svg>')


def _html(text: str) -> str:
    return (f"<html lang='de'><head><title>Probe</title></head><body><h1>{text}</h1>"
            "<img src='logo.svg' alt='Logo'><p>Absatz.</p></body></html>")


@pytest.fixture
def project(tmp_path: Path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "logo.svg").write_text(LOGO.format(colour="red"), encoding="utf-8")
    renders = []
    engine = pdf.ENGINES["weasyprint"]

    def counting(html, language, allowed):
        renders.append(html)
        return engine(html, language, allowed)

    monkeypatch.setitem(pdf.ENGINES, "weasyprint", counting)
    return docs, tmp_path / ".cache" / "pdf", renders


def _render(docs: Path, cache: Path, text: str = "Probe") -> pdf.PdfResult:
    return pdf.render_cached("weasyprint", _html(text), SOURCE, [docs], cache)


def test_unchanged_print_html_is_not_rendered_again_and_gives_the_same_bytes(project) -> None:
    docs, cache, renders = project
    first = _render(docs, cache)
    second = _render(docs, cache)
    assert len(renders) == 1
    assert (first.cached, second.cached) == (False, True)
    assert second.content == first.content and second.pages == first.pages == 1
    assert first.content.startswith(b"%PDF-") and str(docs / "logo.svg") in second.loaded


def test_changed_html_renders_again(project) -> None:
    docs, cache, renders = project
    first = _render(docs, cache)
    changed = _render(docs, cache, "Geändert")
    assert len(renders) == 2 and not changed.cached and changed.content != first.content
    assert _render(docs, cache).cached and _render(docs, cache, "Geändert").cached  # both kept
    assert len(renders) == 2


def test_changed_file_that_the_pdf_loads_renders_again(project) -> None:
    docs, cache, renders = project
    first = _render(docs, cache)
    (docs / "logo.svg").write_text(LOGO.format(colour="blue"), encoding="utf-8")
    second = _render(docs, cache)
    assert len(renders) == 2 and not second.cached and second.content != first.content


def test_other_engine_version_renders_again(project, monkeypatch) -> None:
    docs, cache, renders = project
    _render(docs, cache)
    monkeypatch.setattr(pdf, "_pango_version", lambda: 99999)
    assert not _render(docs, cache).cached
    assert len(renders) == 2


def test_lost_or_broken_cache_only_costs_time(project) -> None:
    docs, cache, renders = project
    first = _render(docs, cache)
    for path in cache.glob("*.pdf"):
        path.write_bytes(path.read_bytes()[:100])  # e.g. a disk that filled up
    again = _render(docs, cache)
    assert not again.cached and again.content == first.content
    shutil.rmtree(cache)
    assert _render(docs, cache).content == first.content
    assert len(renders) == 3


def test_switch_turns_the_cache_off(tmp_path: Path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(pdf, "render_cached", lambda *args: calls.append(args))
    monkeypatch.setitem(pdf.ENGINES, "weasyprint", lambda html, language, allowed: "rendered")
    monkeypatch.setattr(pdf, "document_html", lambda *args: "<html></html>")
    monkeypatch.setattr("klartext.validation.load_concept", lambda *args: (_Data(), []))
    monkeypatch.setattr("klartext.labels.load_labels", lambda *args: None)
    job = pdf.PdfJob(tmp_path, tmp_path, (SOURCE,), SOURCE.code, (), (tmp_path,))
    monkeypatch.setenv("KLARTEXT_PDF_CACHE", "0")
    assert pdf.make_pdf(job) == "rendered" and not calls
    monkeypatch.delenv("KLARTEXT_PDF_CACHE")
    pdf.make_pdf(job)
    assert calls and calls[0][4] == tmp_path / ".cache" / "klartext" / "pdf"


class _Data:
    class concept:  # noqa: N801 (stands in for ConceptData.concept)
        logo = None


def test_second_build_takes_unchanged_pdfs_from_the_cache_and_renders_a_changed_one(tmp_path: Path) -> None:
    from helpers import edit, make_project, mkdocs

    project = make_project(tmp_path)
    env = {"KLARTEXT_PDF": "1"}
    first = mkdocs(project, "build", env=env)
    assert first.returncode == 0, first.stderr
    pdfs = {path: path.read_bytes() for path in (project / "site").rglob("integrationskonzept.pdf")}
    assert len(pdfs) == 7 and "unverändert" not in first.stderr
    edit(project / "data" / "translations" / "en.yml", "Reading mentors", "Reading partners")
    second = mkdocs(project, "build", env=env)
    assert second.returncode == 0, second.stderr
    unchanged = sorted(line.split("PDF ")[1][:2] for line in second.stderr.splitlines() if "unverändert" in line)
    assert unchanged == ["ar", "de", "ls", "ru", "tr", "uk"]  # English changed: rendered again
    for path, content in pdfs.items():
        assert (path.read_bytes() == content) == (path.parent.name != "en"), path
