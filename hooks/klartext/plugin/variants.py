"""The language variants after the first, built side by side in processes of their own.

mkdocs-static-i18n 1.3.1 builds the default language and then, from its ``on_post_build``, one nested
``build(config)`` per further language, one after the other in the same process (one core). Here the
default language's build forks one process per further variant (at most one per core at a time); each
process runs the same nested build the i18n plugin would run (``building`` set, ``current_language``
switched, ``clean_directory`` disabled) and exits. What the variants' builds shared in the sequential
order is written per variant instead, so the output is byte-identical to the sequential build:
- the search index: every build writes its own variant's index (:mod:`klartext.plugin.search`);
- the sitemap (the i18n plugin's template lists the variants built so far, the last build lists all):
  each process renders its variant's part, and the parent joins the parts in build order;
- the PDF: the parent waits for the variant's PDF before forking, the process gets the finished result.

The sequential build stays as it was: ``KLARTEXT_PARALLEL=0``, one core, no ``fork`` (not Linux/macOS)
or ``serve`` (the preview) keep the i18n plugin's own loop.
"""

from __future__ import annotations

import gzip
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import shutil
import sys
import tempfile
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from klartext.plugin.state import Run, log

SWITCH = "KLARTEXT_PARALLEL"
"""Environment variable: ``0`` builds the variants one after the other (the i18n plugin's loop), a number
``N`` in at most N processes at a time (also on one core); unset: one process per core."""


@dataclass
class Part:
    """What a variant's process hands back: its part of the sitemap and the sitemap's date."""

    sitemap: str | None
    timestamp: int | None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def processes() -> int:
    """How many variants build at the same time (1: the sequential build)."""
    switch = os.environ.get(SWITCH, "").strip().lower()
    if switch in ("0", "1", "no", "false"):
        return 1
    return int(switch) if switch.isdigit() else cores()


def wanted(run: Run, others: list[str]) -> bool:
    """Whether the further variants are built in parallel processes."""
    if run.command != "build" or not others or processes() < 2:
        return False
    return "fork" in multiprocessing.get_all_start_methods()


def build(config: Any, plugin: Any, run: Run, others: list[str]) -> list[Part]:
    """Build the variants ``others`` (in this order), at most one process per core at a time.

    Returns each variant's :class:`Part` in the order of ``others``; raises PluginError naming the
    variants whose build failed (their messages are printed by the processes themselves)."""
    context = multiprocessing.get_context("fork")
    workers = min(processes(), len(others))
    log.info(f"Sprachfassungen {', '.join(others)}: in {workers} Prozessen gleichzeitig")
    folder = Path(tempfile.mkdtemp(prefix="klartext-variants-"))
    pending, running, parts, failed = list(others), {}, {}, []
    try:
        while pending or running:
            while pending and len(running) < workers and not failed:
                code = pending.pop(0)
                _settle_pdf(run, code)
                process = context.Process(target=_child, name=f"klartext-{code}",
                                          args=(config, plugin, run, code, folder / code, os.getpid()))
                process.start()
                running[process.sentinel] = (code, process)
            if not running:
                break
            for sentinel in multiprocessing.connection.wait(list(running)):
                code, process = running.pop(sentinel)
                process.join()
                if process.exitcode == 0 and (folder / code).is_file():
                    parts[code] = pickle.loads((folder / code).read_bytes())
                else:
                    failed.append(code)
    finally:
        for _, process in running.values():  # a failed variant stops the build: end the others
            process.terminate()
            process.join()
        shutil.rmtree(folder, ignore_errors=True)
    if failed:
        raise PluginError(f"Die Sprachfassung(en) {', '.join(sorted(failed))} konnte(n) nicht gebaut werden "
                          "(Meldungen siehe oben).")
    return [parts[code] for code in others]


def _settle_pdf(run: Run, code: str) -> None:
    """Wait for the variant's PDF; the forked process gets a finished Future of its own (the worker
    pool's threads do not exist there, so its Futures would never finish)."""
    future = run.pdfs.get(code)
    if future is None:
        return
    done: Future = Future()
    try:
        done.set_result(future.result())
    except BaseException as error:  # the process reports it, like the sequential build
        done.set_exception(error)
    run.pdfs[code] = done


def _child(config: Any, plugin: Any, run: Run, code: str, result: Path, parent: int) -> None:
    """In the forked process: build the variant ``code`` as the i18n plugin's loop would."""
    from klartext.publish import die_with_parent

    die_with_parent(parent)
    from mkdocs import utils
    from mkdocs.commands.build import build as mkdocs_build

    utils.clean_directory = lambda folder: folder  # as the i18n plugin does between its builds
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(lambda record: not str(record.msg).startswith(
        ("Documentation built in", "Building documentation to directory")))
    plugin.building = True
    plugin.current_language = code
    run.variant_process = True
    run.parallel = False  # the parent joins the variants' results
    code_ = 1
    try:
        mkdocs_build(config, dirty="--dirty" in sys.argv or "--dirtyreload" in sys.argv)  # as the i18n plugin
        result.write_bytes(pickle.dumps(Part(run.sitemap_text, run.sitemap_timestamp)))
        code_ = 0
    except BaseException as error:  # noqa: BLE001 - reported here, the parent names the variant
        _report(code, error)
    finally:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code_)  # no atexit handlers: they belong to the parent (e.g. the PDF worker pool)


def _report(code: str, error: BaseException) -> None:
    """Say in the variant's process why its build failed (MkDocs has logged a PluginError already)."""
    from mkdocs.exceptions import Abort

    if isinstance(error, Abort):
        message = getattr(error, "message", None) or str(error)
        if "BuildError" not in message:  # e.g. warnings in strict mode
            log.error(f"{code}: {message}")
    elif isinstance(error, OSError):  # as klartext.runner says it for the build process
        from klartext.publish import explain

        log.error(f"{code}: Die Website kann nicht geschrieben werden: {explain(error)}")
    elif not isinstance(error, (SystemExit, KeyboardInterrupt)):
        import traceback

        traceback.print_exception(error)


def own_alternates(context: dict, code: str) -> None:
    """A variant's process renders only its own part of the sitemap."""
    alternates = context.get("i18n_alternates")
    if isinstance(alternates, dict) and code in alternates:
        context["i18n_alternates"] = {code: alternates[code]}


def join_sitemaps(site: Path, first: str, parts: list[Part]) -> None:
    """Write ``sitemap.xml`` (and its gzip copy, as MkDocs does) from the default variant's sitemap and
    the parts of the others, in build order: what the last sequential build writes."""
    start = first.index(">", first.index("<urlset")) + 1
    end = first.rindex("</urlset>")
    end = first.rindex("\n", 0, end) if first[:end].endswith("\n") else end

    def body(text: str) -> str:
        head = text.index(">", text.index("<urlset")) + 1
        tail = text.rindex("</urlset>")
        tail = text.rindex("\n", 0, tail) if text[:tail].endswith("\n") else tail
        return text[head:tail]

    bodies = [body(first)] + [body(part.sitemap) for part in parts if part.sitemap]
    text = first[:start] + "".join(bodies) + first[end:]
    path = site / "sitemap.xml"
    path.write_bytes(text.encode("utf-8"))
    timestamp = next((part.timestamp for part in reversed(parts) if part.timestamp is not None), None)
    if timestamp is None:
        return
    gz_filename = f"{path}.gz"
    with open(gz_filename, "wb") as handle, gzip.GzipFile(fileobj=handle, filename=gz_filename, mode="wb",
                                                           mtime=timestamp) as zipped:
        zipped.write(text.encode("utf-8"))
