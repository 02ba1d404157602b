"""The language variants built in parallel processes give the same bytes as the sequential build."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

from helpers import build_with_recorder, make_project, mkdocs

PARALLEL = "Prozessen gleichzeitig"
"""What the build logs when it forks the variants (klartext.plugin.variants)."""
PAGES = "Building markdown pages."
"""What MkDocs logs (--verbose) when a build starts writing its pages."""


def _files(site: Path) -> dict[str, Path]:
    return {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*")) if path.is_file()}


def test_parallel_build_gives_the_bytes_of_the_sequential_build_pdfs_included(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    env = {"KLARTEXT_PDF": "1", "KLARTEXT_PDF_CACHE": "0"}  # every PDF rendered in both builds
    sequential = mkdocs(project, "build", "--strict", "-d", str(tmp_path / "sequential"),
                        env={**env, "KLARTEXT_PARALLEL": "0"})
    assert sequential.returncode == 0, sequential.stderr
    assert PARALLEL not in sequential.stderr
    parallel = mkdocs(project, "build", "--strict", "--verbose", "-d", str(tmp_path / "parallel"),
                      env={**env, "KLARTEXT_PARALLEL": "2"})
    assert parallel.returncode == 0, parallel.stderr
    assert PARALLEL in parallel.stderr  # the variants really were built in processes of their own
    # ... forked before the default variant wrote a page: they build while it builds (before, the
    # default variant was built alone on one core, and the processes forked at its end)
    assert parallel.stderr.index(PARALLEL) < parallel.stderr.index(PAGES)
    assert parallel.stderr.count(PAGES) == 7
    one, other = _files(tmp_path / "sequential"), _files(tmp_path / "parallel")
    assert list(one) == list(other)
    assert len([name for name in one if name.endswith(".pdf")]) == 7
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "ar/search/search_index.json",
            "ls/404.html", "csp-header.txt"} <= set(one)
    different = [name for name in one if not filecmp.cmp(one[name], other[name], shallow=False)]
    assert different == []


def test_a_variant_that_fails_in_its_process_fails_the_build_with_its_message(tmp_path: Path) -> None:
    broken = {"docs/ueber.en.md": "# About\n\n[[abbildung: gibt-es-nicht]]\n"}  # only the en variant fails
    project = make_project(tmp_path, extra_files=broken)
    result = mkdocs(project, "build", env={"KLARTEXT_PDF": "0", "KLARTEXT_PARALLEL": "2"})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert PARALLEL in output
    assert "gibt-es-nicht" in output and "docs/ueber.en.md" in output
    assert "Sprachfassung(en) en konnte(n) nicht gebaut werden" in output
    assert "Traceback" not in output


def _processes_in(folder: Path) -> list[int]:
    """Processes whose working folder is ``folder`` (the build and the processes it forked)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if Path(os.readlink(entry / "cwd")) == folder:
                    found.append(int(entry.name))
            except OSError:  # ended meanwhile, or not ours
                continue
    return found


def test_a_failing_default_variant_ends_the_variants_processes(tmp_path: Path) -> None:
    # the German page (the default variant; the others fall back to it) names a figure that does not
    # exist: the default variant fails while the further variants' processes build or wait
    project = make_project(tmp_path, extra_files={"docs/ueber.md": "# Über uns\n\n[[abbildung: gibt-es-nicht]]\n"})
    result = mkdocs(project, "build", env={"KLARTEXT_PDF": "0", "KLARTEXT_PARALLEL": "2"}, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert PARALLEL in output  # the processes had been forked
    assert "gibt-es-nicht" in output and "docs/ueber.md" in output
    assert "Traceback" not in output
    assert _processes_in(project.resolve()) == []  # none left behind


def test_a_variants_process_gets_its_pdf_its_error_or_a_message_never_waits_for_ever(tmp_path: Path) -> None:
    import multiprocessing
    from concurrent.futures import Future

    import pytest
    from mkdocs.exceptions import PluginError

    from klartext.pdf import PdfError
    from klartext.plugin import variants

    def handed_over(future: Future, path: Path) -> object:
        receiver, sender = multiprocessing.Pipe(duplex=False)
        variants._deliver(path, sender, future)  # in the parent, when the worker pool has the PDF
        return variants.Delivered(receiver, path).result()  # in the variant's process

    done: Future = Future()
    done.set_result({"pages": 3, "content": b"%PDF-1.7"})
    assert handed_over(done, tmp_path / "en.pdf") == {"pages": 3, "content": b"%PDF-1.7"}
    failed: Future = Future()
    failed.set_exception(PdfError("Die Schrift fehlt."))
    with pytest.raises(PdfError, match="Die Schrift fehlt"):
        handed_over(failed, tmp_path / "ar.pdf")
    with pytest.raises(PluginError, match="nicht übergeben werden"):  # e.g. the disk is full
        handed_over(done, tmp_path / "gone" / "uk.pdf")


RECORDER = '''\
"""Test hook: every build (the default variant's and each variant's process) appends when it starts
and ends to one file; O_APPEND writes of one line keep the processes' records in the order they
happened. The builds that start fifth or later end only once all seven have started (or after half a
minute): the last three are slow ones, so what the test sees does not depend on how fast the machine is."""
import os
import time

from mkdocs.plugins import event_priority

RECORD = os.environ["KLARTEXT_TEST_RECORD"]
slow = []


def _record(what, config):
    language = config.plugins["i18n"].current_language
    handle = os.open(RECORD, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(handle, f"{what} {language} {os.getpid()}\\n".encode())
    finally:
        os.close(handle)


def _started():
    with open(RECORD, encoding="utf-8") as handle:
        return sum(line.startswith("start ") for line in handle)


@event_priority(1000)  # first: as the variant's pages start
def on_pre_build(config):
    _record("start", config)
    if _started() >= 5:
        slow.append(config.plugins["i18n"].current_language)


@event_priority(1000)  # first: before the default variant waits for the others (klartext, -90)
def on_post_build(config):
    if config.plugins["i18n"].current_language in slow:
        for _ in range(300):
            if _started() == 7:
                break
            time.sleep(0.1)
    _record("end", config)
'''


def test_the_last_variants_build_together_so_no_core_waits_for_one_alone(tmp_path: Path) -> None:
    result, _, record = build_with_recorder(tmp_path, RECORDER)
    announced = next(line for line in result.stderr.splitlines() if PARALLEL in line)
    order = announced.split("Sprachfassungen ", 1)[1].split(":", 1)[0].split(", ")
    assert len(order) == 7
    events = [line.split() for line in record]
    starts = [language for what, language, _ in events if what == "start"]
    assert sorted(starts) == sorted(order) and len({pid for _, _, pid in events}) == 7  # one process each
    assert starts[0] == order[0]  # the default variant, in the build process (the turns' order: below)
    building, at_start = set(), {}
    for what, language, _ in events:
        if what == "start":
            building.add(language)
            at_start[language] = len(building)
        else:
            building.remove(language)
    # two at a time (KLARTEXT_PARALLEL=2: two cores) ...
    assert all(at_start[language] <= 2 for language in starts[:-2])
    # ... and the last three together (before, the last one built alone while one core waited; with the
    # last three slow here, the last could start only once the sixth had ended)
    assert at_start[starts[-1]] == 3


def test_a_variant_waiting_for_its_pdf_lets_one_whose_pdf_is_done_go_first() -> None:
    from klartext.plugin.variants import BUILDING, DONE, READY, WAITING, may_start

    # the default variant (first) builds; en waits for its PDF, ar's is done: ar takes the free core
    assert may_start([BUILDING, WAITING, READY, WAITING, READY, READY, READY], 2) == 2
    assert may_start([BUILDING, WAITING, BUILDING, WAITING, READY, READY, READY], 2) is None  # two build
    # the last three: every ready one may start, also with two building
    assert may_start([DONE, DONE, DONE, DONE, BUILDING, BUILDING, READY], 2) == 6
    assert may_start([DONE, DONE, DONE, BUILDING, BUILDING, READY, READY], 2) is None  # four left


def test_the_header_policy_from_the_hashes_each_process_read_is_the_one_from_all_pages(tmp_path: Path) -> None:
    from klartext import csp
    from klartext.plugin import html

    def page(folder: str, script: str) -> None:
        path = tmp_path / folder / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(csp.add_policy(f"<html><head><script>{script}</script></head><body></body></html>"),
                        encoding="utf-8")

    page("", "a()")
    page("massnahmen/x", "b()")
    page("en", "c()")
    page("en/massnahmen/x", "a()")
    page("ar", "d()")
    html.write_header_policy(tmp_path)  # every page read at the end (the sequential build)
    expected = (tmp_path / csp.HEADER_FILE).read_bytes()
    assert expected.count(b"sha256-") == 4
    # the default variant's pages (the processes' folders left out) and each process's folder
    own = html.policy_hashes(tmp_path, ["en", "ar"])
    assert len(own) == 2
    parts = [html.policy_hashes(tmp_path / "en"), html.policy_hashes(tmp_path / "ar")]
    html.write_header_policy(tmp_path, own.union(*parts))
    assert (tmp_path / csp.HEADER_FILE).read_bytes() == expected


FREEZE_RECORDER = '''\
"""Test hook: each variant's build notes how many objects its process keeps out of the cycle collector."""
import gc
import os


def on_pre_build(config):
    language = config.plugins["i18n"].current_language
    with open(os.environ["KLARTEXT_TEST_RECORD"], "a", encoding="utf-8") as record:
        record.write(f"{language} {gc.get_freeze_count()}\\n")
'''


def test_the_variants_processes_start_with_the_parents_objects_out_of_the_cycle_collector(tmp_path: Path) -> None:
    """Modules, data and compiled templates live as long as each process: its collector's full passes
    need not walk them (nor copy the pages the fork shares by touching them)."""
    _, _, record = build_with_recorder(tmp_path, FREEZE_RECORDER)
    frozen = dict(line.split() for line in record)
    assert len(frozen) == 7
    default = next(iter(frozen))  # the default variant starts before the fork
    assert all(int(count) > 0 for language, count in frozen.items() if language != default), frozen


COLLECTOR_RECORDER = '''\
"""Test hook: whether the cycle collector runs as each build starts and ends, and in the Leichte Sprache
check's process."""
import gc
import os

import klartext.easy_language
from mkdocs.plugins import event_priority

RECORD = os.environ["KLARTEXT_TEST_RECORD"]


def _record(what, language):
    handle = os.open(RECORD, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(handle, f"{what} {language} {os.getpid()} {gc.isenabled()} {gc.get_freeze_count()}\\n".encode())
    finally:
        os.close(handle)


_check_project = klartext.easy_language.check_project


def _checked(*args, **kwargs):
    _record("leichte-sprache", "-")
    return _check_project(*args, **kwargs)


klartext.easy_language.check_project = _checked


@event_priority(1000)
def on_pre_build(config):
    _record("start", config.plugins["i18n"].current_language)


@event_priority(1000)
def on_post_build(config):
    _record("end", config.plugins["i18n"].current_language)
'''


def test_the_start_before_the_fork_runs_without_the_cycle_collector_every_process_with_it(tmp_path: Path) -> None:
    """The serial start (data load, checks, file lists) allocates what lives as long as the build: the
    collector, which walked it again and again there, is off until the fork; the build process after
    the fork, each variant's process and the Leichte Sprache check run with it, as before."""
    _, _, record = build_with_recorder(tmp_path, COLLECTOR_RECORDER)
    events = [line.split() for line in record]
    builds = [(what, language, enabled) for what, language, _, enabled, _ in events if what != "leichte-sprache"]
    default = builds[0][1]
    assert builds[0] == ("start", default, "False")  # the default variant's start: before the fork
    assert len(builds) == 14 and all(enabled == "True" for _, _, enabled in builds[1:]), builds
    checks = [event for event in events if event[0] == "leichte-sprache"]
    assert len(checks) == 1 and checks[0][3] == "True", events
    assert int(checks[0][4]) > 0  # what the build's start allocated: not walked by the check's collections
    assert checks[0][2] not in {event[2] for event in events if event[0] != "leichte-sprache"}  # own process


def test_a_pdf_worker_started_while_the_collector_is_paused_runs_with_it() -> None:
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from klartext.plugin import pdfs, variants

    assert gc.isenabled()
    variants.pause_collector()
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                   initializer=pdfs._worker_started, initargs=(os.getpid(),))
        with pool:
            assert pool.submit(gc.isenabled).result(timeout=60) is True
            assert pool.submit(gc.get_freeze_count).result(timeout=60) > 0
        assert not gc.isenabled()  # the build's start: still paused
    finally:
        variants.resume_collector()
    assert gc.isenabled()


MODULES_RECORDER = '''\
"""Test hook: which modules of the PDF code and of the PO round trip each build's process has imported by
its end."""
import os
import sys

RECORD = os.environ["KLARTEXT_TEST_RECORD"]
NOT_NEEDED = ("klartext.pdf", "klartext.fonts", "klartext.pdf_speedup", "concurrent.futures.process",
              "polib", "babel.messages.catalog")


def on_post_build(config):
    imported = [name for name in NOT_NEEDED if name in sys.modules] or ["-"]
    with open(RECORD, "a", encoding="utf-8") as record:
        record.write(f"{config.plugins['i18n'].current_language} {os.getpid()} {','.join(imported)}\\n")
'''


def test_a_build_without_pdfs_imports_neither_the_pdf_code_nor_the_po_round_trip(tmp_path: Path) -> None:
    """Imported in the serial start before the fork, the PDF code (WeasyPrint's side, the fonts check,
    the worker pool) and the translators' PO files (polib, Babel's catalogues) cost every build without
    PDFs their import time."""
    _, _, record = build_with_recorder(tmp_path, MODULES_RECORDER)  # KLARTEXT_PDF=0
    imported = dict((language, modules) for language, _, modules in (line.split() for line in record))
    assert len(imported) == 7 and set(imported.values()) == {"-"}, imported
