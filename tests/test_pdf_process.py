"""Each PDF is rendered in a forked process without Python's cycle collector (klartext.pdf.in_own_process):
the same bytes, nothing of WeasyPrint's document left behind in the caller, errors arrive as they were.

``in_own_process`` forks only in a process with one thread (as the PDF workers are); the test session has
more (the browser's, a preview server's), where it renders in place. So the tests of the fork run in a fresh
interpreter of their own (:func:`_alone`), and a process that dies there can never take pytest with it."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
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


def _alone(function, *arguments):
    """``function(*arguments)`` in a fresh interpreter with one thread (its result or its exception)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *arguments).result()


def _layout_process(folder: Path) -> tuple[int, int, str, int, bool]:
    import weasyprint.document

    record = folder / "layout.txt"
    original = weasyprint.document.layout_document

    def layout_document(*arguments, **keywords):
        record.write_text(f"{os.getpid()} {gc.isenabled()}")
        return original(*arguments, **keywords)

    weasyprint.document.layout_document = layout_document
    result = render_weasyprint(DOCUMENT, SOURCE, [folder])
    pid, collecting = record.read_text().split()
    return os.getpid(), int(pid), collecting, result.pages, gc.isenabled()


def test_weasyprint_lays_out_in_a_process_of_its_own_without_the_cycle_collector(tmp_path: Path) -> None:
    """While WeasyPrint lays out, the collector's full passes walk every page's boxes and styles again and
    again while the layout grows (a fifth of a PDF's time); the process ends without collecting."""
    caller, layout, collecting, pages, caller_collects = _alone(_layout_process, tmp_path)
    assert layout != caller and collecting == "False"
    assert pages == PAGES and caller_collects


def test_same_bytes_in_a_process_of_its_own_and_here(tmp_path: Path) -> None:
    here = _render_weasyprint(DOCUMENT, SOURCE, [tmp_path])  # collector on, this process
    apart = _alone(render_weasyprint, DOCUMENT, SOURCE, [tmp_path])
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


def _pid_and_collector() -> tuple[int, bool]:
    return os.getpid(), gc.isenabled()


def _own_process() -> tuple[int, tuple[int, bool], bool]:
    return os.getpid(), in_own_process(_pid_and_collector), gc.isenabled()


def test_own_process_has_no_cycle_collector_and_returns_the_result() -> None:
    caller, (pid, collecting), caller_collects = _alone(_own_process)
    assert pid != caller and collecting is False
    assert caller_collects  # the caller's collector is untouched


def _fail() -> None:
    raise PdfError("Das Logo fehlt.")


def test_an_error_in_the_process_is_raised_in_the_caller() -> None:
    with pytest.raises(PdfError, match="^Das Logo fehlt.$"):
        _alone(in_own_process, _fail)


def test_a_process_that_dies_is_reported_in_german() -> None:
    with pytest.raises(PdfError, match=r"abgebrochen \(Code 3"):
        _alone(in_own_process, os._exit, 3)


def _cannot_travel() -> None:
    class Local(Exception):  # a local class cannot be pickled
        pass

    def fail() -> None:
        raise Local("kaputt")

    in_own_process(fail)


def test_an_exception_that_cannot_travel_arrives_as_its_text() -> None:
    with pytest.raises(PdfError, match="Local: kaputt"):
        _alone(_cannot_travel)


def _hyphenation_loads(folder: Path) -> tuple[int, list[str]]:
    import pyphen

    record = folder / "loaded.txt"
    original = pyphen.HyphDict.__init__

    def load(self, filename):
        with record.open("a") as stream:
            stream.write(f"{os.getpid()} {Path(filename).name}\n")
        original(self, filename)

    pyphen.HyphDict.__init__ = load
    pyphen.hdcache = {}
    long_words = DOCUMENT.replace("<title>", "<style>body { hyphens: auto }</style><title>").replace(
        "Ein Absatz", "Donaudampfschifffahrtsgesellschaftskapitänsmütze " * 20)
    for _ in range(2):
        render_weasyprint(long_words, SOURCE, [folder])
    return os.getpid(), record.read_text().splitlines()


def test_hyphenation_dictionaries_are_loaded_once_for_all_pdfs_of_a_process(tmp_path: Path) -> None:
    """The German dictionary takes 0.5 s to load and most languages' PDFs need it (German passages): the
    worker loads it before forking, so the process of each PDF finds it loaded."""
    caller, loads = _alone(_hyphenation_loads, tmp_path)
    assert loads == [f"{caller} hyph_de_AT.dic"], loads
