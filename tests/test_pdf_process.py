"""Each PDF is rendered in a forked process without Python's cycle collector (klartext.pdf.in_own_process):
the same bytes, nothing of WeasyPrint's document left behind in the caller, errors arrive as they were."""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path

import pytest

from klartext.languages import SOURCE
from klartext.pdf import PdfError, _render_weasyprint, in_own_process, render_weasyprint

PAGES = 4
DOCUMENT = "<html lang='de'><head><title>Probe</title></head><body><h1>Probe</h1>" + "".join(
    f"<h2 id='s{i}'>Abschnitt {i}</h2><p>Ein Absatz mit <a href='#s{(i + 1) % PAGES}'>Verweis</a> und "
    "Silbentrennungsgelegenheiten.</p><ul><li>eins</li><li>zwei</li></ul>"
    "<table><tr><th scope='row'>Kopf</th><td>Zelle</td></tr></table><img src='missing.png' alt='Bild'>"
    "<div style='break-after: page'></div>" for i in range(PAGES)) + "</body></html>"


def test_weasyprint_lays_out_in_a_process_of_its_own_without_the_cycle_collector(tmp_path: Path,
                                                                                 monkeypatch) -> None:
    """While WeasyPrint lays out, the collector's full passes walk every page's boxes and styles again and
    again while the layout grows (a fifth of a PDF's time); the process ends without collecting."""
    import weasyprint.document

    record = tmp_path / "layout.txt"
    original = weasyprint.document.layout_document

    def layout_document(*arguments, **keywords):
        record.write_text(f"{os.getpid()} {gc.isenabled()}")
        return original(*arguments, **keywords)

    monkeypatch.setattr(weasyprint.document, "layout_document", layout_document)
    result = render_weasyprint(DOCUMENT, SOURCE, [tmp_path])
    pid, collecting = record.read_text().split()
    assert int(pid) != os.getpid() and collecting == "False"
    assert result.pages == PAGES and gc.isenabled()


def test_same_bytes_in_a_process_of_its_own_and_here(tmp_path: Path) -> None:
    here = _render_weasyprint(DOCUMENT, SOURCE, [tmp_path])  # collector on, this process
    apart = render_weasyprint(DOCUMENT, SOURCE, [tmp_path])
    assert apart.content == here.content
    assert (apart.pages, apart.refused, apart.loaded) == (here.pages, here.refused, here.loaded)


def test_with_a_thread_running_it_renders_here_with_the_collector_paused(tmp_path: Path) -> None:
    """Forking a process with threads is unsafe: then the PDF is rendered in this process, with the
    collector off while WeasyPrint works and on again afterwards; the bytes are the same."""
    seen = []

    def probe() -> tuple[int, bool]:
        seen.append(gc.isenabled())
        return os.getpid(), gc.isenabled()

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert in_own_process(probe) == (os.getpid(), False)
        paused = render_weasyprint(DOCUMENT, SOURCE, [tmp_path])
    finally:
        stop.set()
        thread.join()
    assert gc.isenabled()
    assert paused.content == _render_weasyprint(DOCUMENT, SOURCE, [tmp_path]).content


def test_own_process_has_no_cycle_collector_and_returns_the_result() -> None:
    pid, collecting = in_own_process(lambda: (os.getpid(), gc.isenabled()))
    assert pid != os.getpid() and collecting is False
    assert gc.isenabled()  # the caller's collector is untouched


def _fail() -> None:
    raise PdfError("Das Logo fehlt.")


def test_an_error_in_the_process_is_raised_in_the_caller() -> None:
    with pytest.raises(PdfError, match="^Das Logo fehlt.$"):
        in_own_process(_fail)


def test_a_process_that_dies_is_reported_in_german() -> None:
    with pytest.raises(PdfError, match=r"abgebrochen \(Code 3"):
        in_own_process(os._exit, 3)


def test_an_exception_that_cannot_travel_arrives_as_its_text() -> None:
    class Local(Exception):  # a local class cannot be pickled
        pass

    def fail() -> None:
        raise Local("kaputt")

    with pytest.raises(PdfError, match="Local: kaputt"):
        in_own_process(fail)


def test_hyphenation_dictionaries_are_loaded_once_for_all_pdfs_of_a_process(tmp_path: Path,
                                                                            monkeypatch) -> None:
    """The German dictionary takes 0.5 s to load and most languages' PDFs need it (German passages): the
    worker loads it before forking, so the process of each PDF finds it loaded."""
    import pyphen

    record = tmp_path / "loaded.txt"
    original = pyphen.HyphDict.__init__

    def load(self, filename):
        with record.open("a") as stream:
            stream.write(f"{os.getpid()} {Path(filename).name}\n")
        original(self, filename)

    monkeypatch.setattr(pyphen.HyphDict, "__init__", load)
    monkeypatch.setattr(pyphen, "hdcache", {})
    long_words = DOCUMENT.replace("<title>", "<style>body { hyphens: auto }</style><title>").replace(
        "Ein Absatz", "Donaudampfschifffahrtsgesellschaftskapitänsmütze " * 20)
    for _ in range(2):
        render_weasyprint(long_words, SOURCE, [tmp_path])
    loads = record.read_text().splitlines()
    assert loads == [f"{os.getpid()} hyph_de_AT.dic"], loads
