"""The language variants after the first, built side by side in processes of their own.

mkdocs-static-i18n 1.3.1 builds the default language and then, from its ``on_post_build``, one nested
``build(config)`` per further language, one after the other in the same process (one core). Here the
default language's build forks one process per further variant as soon as the data is loaded and
checked and the site folder cleaned (the default variant's ``on_files``, before any of its pages is
rendered): the parent goes on building the default variant while the processes build the others. Each
process waits for its turn, runs the same nested build the i18n plugin would run (``building`` set,
``current_language`` switched, ``clean_directory`` disabled) and exits. Forked this early, every
process starts as a copy of a parent that holds the data but none of the default variant's pages.

Turns (:func:`may_start`): as many variants build at a time as there are cores (the parent building
the default variant counts as one), in build order; but once no more than ``2 × cores - 1`` variants
are left unfinished, all of them build at once. The variants take about the same time, so in whole
rounds of one per core the last round would leave cores idle (7 variants on 2 cores: the last one
built alone while the other core waited); the last ones sharing the cores end close together instead.
With PDFs, a process takes its turn only once its PDF is done: a process waiting for its PDF does not
hold a core that a variant whose PDF is done could use.

What the variants' builds shared in the sequential order is written per variant instead, so the output
is byte-identical to the sequential build:
- the search index: every build writes its own variant's index (:mod:`klartext.plugin.search`);
- the sitemap (the i18n plugin's template lists the variants built so far, the last build lists all):
  each process renders its variant's part, and the parent joins the parts in build order;
- the PDF: the worker pool lives in the parent; when a variant's PDF is done, the parent writes the
  result into a file and tells the variant's process through a pipe (:class:`Delivered`), which reads
  it where the build waits for its PDF (``on_files``).

The sequential build stays as it was: ``KLARTEXT_PARALLEL=0``, one core, no ``fork`` (not Linux/macOS)
or ``serve`` (the preview) keep the i18n plugin's own loop.
"""

from __future__ import annotations

import gc
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
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from klartext.plugin import html
from klartext.plugin.state import Run, log

SWITCH = "KLARTEXT_PARALLEL"
"""Environment variable: ``0`` builds the variants one after the other (the i18n plugin's loop), a number
``N`` builds them on N cores (also on a machine with fewer): N processes at a time, the default variant's
included, and the last ``2N - 1`` variants at once (:func:`may_start`); unset: as many as there are
cores."""


@dataclass
class Part:
    """What a variant's process hands back: its part of the sitemap and the sitemap's date, and the
    script hashes of its pages' policies (:func:`klartext.plugin.html.policy_hashes`)."""

    sitemap: str | None
    timestamp: int | None
    hashes: set[str] | None = None


@dataclass
class Group:
    """The further variants' processes of one build, started by :func:`start`."""

    others: list[str]
    folder: Path
    """Temporary folder: each process's :class:`Part`, each PDF result on its way to a process."""
    cores: int
    """How many variants build at a time before the last ones (:func:`may_start`)."""
    turns: Any
    """Condition (shared by the processes) guarding ``states``; notified whenever one changes."""
    states: Any
    """Shared array: the state of each variant, the default variant first, then ``others``
    (:data:`WAITING`, :data:`READY`, :data:`BUILDING`, :data:`DONE`)."""
    processes: dict[str, Any] = field(default_factory=dict)
    senders: list[Any] = field(default_factory=list)
    """The parent's ends of the PDF pipes."""


WAITING, READY, BUILDING, DONE = 0, 1, 2, 3
"""A variant's states: waiting for its PDF, ready to build, building, built (a failed one stays
BUILDING: it lets no further variant start)."""


def may_start(states: list[int], cores: int) -> int | None:
    """The variant (index into ``states``) that may start building now, or None.

    The first ready variant in build order, while fewer than ``cores`` build; once no more than
    ``2 × cores - 1`` variants are unfinished, every ready one (the last round shares the cores
    instead of leaving some idle)."""
    ready = next((index for index, state in enumerate(states) if state == READY), None)
    if ready is None:
        return None
    building = states.count(BUILDING)
    unfinished = len(states) - states.count(DONE)
    return ready if building < cores or unfinished <= 2 * cores - 1 else None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def processes() -> int:
    """On how many cores the variants build (1: the sequential build; see :data:`SWITCH`)."""
    switch = os.environ.get(SWITCH, "").strip().lower()
    if switch in ("0", "1", "no", "false"):
        return 1
    return int(switch) if switch.isdigit() else cores()


def wanted(run: Run, others: list[str]) -> bool:
    """Whether the further variants are built in parallel processes."""
    return run.command == "build" and bool(others) and may_fork()


_PAUSED = False
"""Whether :func:`pause_collector` turned the cycle collector off (and :func:`resume_collector` turns it on)."""


def may_fork() -> bool:
    """Whether a build may fork the variants' processes (the data decides the rest: :func:`wanted`)."""
    return processes() >= 2 and "fork" in multiprocessing.get_all_start_methods()


def pause_collector() -> None:
    """The serial start of a parallel build (data load, checks, file lists, templates) without the cycle
    collector: Python's recipe for a fork without exec (``gc.disable()`` early in the parent,
    ``gc.freeze()`` before the fork, the collector on again in every process; see the ``gc`` module's
    documentation). The start allocates some 70,000 objects that live as long as the build; the
    collector walked them again and again (about 250 collections, 0.06-0.1 s CPU, before the fork where
    each second of CPU is a second of wall time) and found some 200 objects of garbage. A no-op if the
    collector is off already (someone else's choice, left as it is)."""
    global _PAUSED
    if gc.isenabled():
        gc.disable()
        _PAUSED = True


def resume_collector(forked: bool = False) -> None:
    """The cycle collector on again if :func:`pause_collector` turned it off (idempotent): in the
    parent after the fork (or when no fork follows: a failed build, a sequential one), and first thing
    in every process forked while it was off (the variants', the Leichte Sprache check, the PDF workers),
    so that each runs with it as before. ``forked``: in a process forked before :func:`start` froze the
    parent's objects (the Leichte Sprache check, the PDF workers): they are frozen here, else this
    process's first collection would walk all of them (and copy the memory pages the fork shares)."""
    global _PAUSED
    if _PAUSED:
        _PAUSED = False
        if forked:
            gc.freeze()
        gc.enable()


def start(config: Any, plugin: Any, run: Run, others: list[str]) -> Group:
    """Fork one process per variant of ``others`` (called while the default variant builds).

    Each process waits for its turn (:func:`may_start`, :func:`_take_turn`); a process ends its turn
    when its build succeeded, the parent when the default variant is built (:func:`finish`)."""
    from klartext.publish import die_with_parent  # noqa: F401 - every process needs it (_child): imported once

    context = multiprocessing.get_context("fork")
    _compile_page_templates(config, run)
    _compile_theme_templates(config, run)
    busy = min(processes(), len(others) + 1)
    together = min(2 * busy - 1, len(others) + 1)
    log.info(f"Sprachfassungen {plugin.current_language}, {', '.join(others)}: in {busy} Prozessen gleichzeitig"
             + (f", die letzten {together} zusammen" if together > busy else ""))
    states = context.Array("b", [BUILDING] + [WAITING if code in run.pdfs else READY for code in others],
                           lock=False)  # guarded by the condition's lock
    group = Group(list(others), Path(tempfile.mkdtemp(prefix="klartext-variants-")), busy,
                  context.Condition(), states)
    pipes = {code: context.Pipe(duplex=False) for code in others if code in run.pdfs}
    group.senders = [sender for _, sender in pipes.values()]
    # What the parent holds now (modules, data, compiled templates) lives as long as every process: kept
    # out of the cycle collector's passes, which walked all of it again in each process (and copied the
    # memory pages the fork shares by touching them): about 5 % of the build's wall time (BENCHMARKS.md).
    # No collection first (14start): the start ran without the collector (pause_collector), and a full
    # collection here (0.04 s of the serial start) found a few hundred objects of garbage, kept until
    # finish() unfreezes them.
    gc.freeze()
    try:
        for code in others:
            receiver = pipes[code][0] if code in pipes else None
            process = context.Process(
                target=_child, name=f"klartext-{code}", daemon=True,  # daemon: ended if the parent exits
                args=(config, plugin, run, code, group, receiver, os.getpid()))
            process.start()
            group.processes[code] = process
    except BaseException:
        stop(group)
        raise
    finally:
        resume_collector()
    for receiver, _ in pipes.values():
        receiver.close()
    for code, (_, sender) in pipes.items():  # from the pool's thread (or here, if already done)
        run.pdfs[code].add_done_callback(partial(_deliver, group.folder / f"{code}.pdf", sender))
    return group


def _take_turn(group: Group, index: int, receiver: Any) -> None:
    """In a variant's process: wait for its PDF (if any), then for its turn; mark it building."""
    if receiver is not None:
        receiver.poll(None)  # the PDF (or the news that it will not come) is there; read in on_files
        with group.turns:
            group.states[index] = READY
            group.turns.notify_all()
    with group.turns:
        group.turns.wait_for(lambda: may_start(list(group.states), group.cores) == index)
        group.states[index] = BUILDING
        group.turns.notify_all()  # the next ready one may start too (the last round)


def _end_turn(group: Group, index: int) -> None:
    """A variant is built: the next may start. (Not waiting for ever: a process killed from outside
    while it held the lock would stop the parent too; the parent notices the dead process instead.)"""
    if not group.turns.acquire(timeout=10):
        return
    try:
        group.states[index] = DONE
        group.turns.notify_all()
    finally:
        group.turns.release()


def _compile_page_templates(config: Any, run: Run) -> None:
    """Compile the page templates (``klartext/…``) once, before the fork: the default variant's build
    would compile them here anyway, and every process would otherwise compile them again (forked at
    the end of the default variant's build, as before, the processes found them compiled). A build
    after the first loads them from the project's cache folder (:class:`klartext.render.TemplateCache`)."""
    import jinja2

    env = run.renderer(config).env
    names = set()
    for folder in config.theme.dirs:
        root = Path(folder)
        names.update(path.relative_to(root).as_posix() for path in (root / "klartext").rglob("*.html"))
    for name in sorted(names):
        try:
            env.get_template(name)
        except jinja2.TemplateError:  # reported where the build uses it
            continue


def _compile_theme_templates(config: Any, run: Run) -> list[str]:
    """Compile the theme's templates a page build loads (``main.html``, what it extends, includes and
    imports, the language partials) into the bytecode cache once, before the fork; every process
    would otherwise compile them again. A build after the first loads them from the project's cache
    folder, and finds what they load in their compiled code, without parsing them (:func:`_loaded_by_name`).

    The environment here is MkDocs' theme environment with the extension mkdocs-static-i18n adds in
    ``on_env``. The cache keys each template by the environment's fingerprint
    (:func:`klartext.render.fingerprint`): a build whose environment differs (another plugin's extension
    or filter) compiles its own. Returns the names of the templates loaded."""
    import jinja2

    from klartext.render import BYTECODE_CACHE

    env = config.theme.get_env()
    env.add_extension("jinja2.ext.loopcontrols")  # as mkdocs-static-i18n's on_env
    env.bytecode_cache = BYTECODE_CACHE
    languages = {str(language.tag).split("-")[0] for language in run.languages.values()} | set(run.languages)
    pending = ["main.html", *config.theme.static_templates, "partials/languages/en.html",
               *(f"partials/languages/{code}.html" for code in sorted(languages))]
    seen, loaded = set(), []
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        try:
            template = env.get_template(name)
        except jinja2.TemplateError:  # not there, syntax of an extension or a filter added later
            continue
        loaded.append(name)
        pending.extend(_loaded_by_name(template))
    return loaded


def _loaded_by_name(template: Any) -> list[str]:
    """The templates a compiled template loads by a constant name (``{% extends "base.html" %}``,
    ``{% include %}``, ``{% import %}``): the string constants of its code that name an HTML, XML or SVG
    file (a few more, such as the names of files it links to, which the loader then does not find)."""
    import re
    from types import CodeType

    codes = [template.root_render_func.__code__, *(block.__code__ for block in template.blocks.values())]
    names = []
    while codes:
        for constant in codes.pop().co_consts:
            if isinstance(constant, CodeType):
                codes.append(constant)
            for text in constant if isinstance(constant, tuple) else (constant,):
                if isinstance(text, str) and text.endswith((".html", ".xml", ".svg")) and re.fullmatch(
                        r"[\w.+-]+(?:/[\w.+-]+)*", text):  # path segments without spaces or markup
                    names.append(text)
    return names


def finish(group: Group) -> list[Part]:
    """After the default variant: free its slot, wait for every process.

    Returns each variant's :class:`Part` in the order of ``others``; raises PluginError naming the
    variants whose build failed (their messages are printed by the processes themselves), after
    ending the processes still building or waiting."""
    running = {process.sentinel: code for code, process in group.processes.items()}
    parts, failed = {}, []

    def collect(sentinel: Any) -> None:
        code = running.pop(sentinel)
        process = group.processes[code]
        process.join()
        result = group.folder / code
        if process.exitcode == 0 and result.is_file():
            parts[code] = pickle.loads(result.read_bytes())
        else:
            failed.append(code)

    try:
        for sentinel in multiprocessing.connection.wait(list(running), timeout=0):
            collect(sentinel)  # failed while the default variant was built: start no further one
        if not failed:
            _end_turn(group, 0)
        while running and not failed:
            for sentinel in multiprocessing.connection.wait(list(running)):
                collect(sentinel)
    finally:
        stop(group)  # a failed variant stops the build: end the others
    if failed:
        raise PluginError(f"Die Sprachfassung(en) {', '.join(sorted(failed))} konnte(n) nicht gebaut werden "
                          "(Meldungen siehe oben).")
    return [parts[code] for code in group.others]


def stop(group: Group) -> None:
    """End the processes still building or waiting, remove the temporary files (idempotent)."""
    gc.unfreeze()
    for process in group.processes.values():
        if process.exitcode is None:
            process.terminate()
    for process in group.processes.values():
        process.join()
    group.processes.clear()
    for sender in group.senders:
        sender.close()
    group.senders.clear()
    shutil.rmtree(group.folder, ignore_errors=True)


def _deliver(path: Path, sender: Any, future: Future) -> None:
    """In the parent, when a variant's PDF is done: hand the result to the variant's process (a file,
    then one byte through the pipe: nothing here waits for the process to read)."""
    try:
        payload = (True, future.result())
    except BaseException as error:  # noqa: BLE001 - the process reports it, like the sequential build
        payload = (False, error)
    signal = b"0"  # the process stops with a message instead of waiting for ever
    try:
        part = path.with_suffix(".part")
        part.write_bytes(pickle.dumps(payload))
        part.replace(path)
        signal = b"1"
    except Exception:  # noqa: BLE001 - e.g. the disk is full, or the build has ended meanwhile
        pass
    try:
        sender.send_bytes(signal)
    except (OSError, ValueError):  # the build has ended meanwhile (pipe closed)
        pass


class Delivered:
    """In a variant's process: its PDF as the parent hands it over (see :func:`_deliver`). Stands in
    for the Future of the parent's worker pool, whose threads do not exist in the forked process."""

    def __init__(self, receiver: Any, path: Path) -> None:
        self.receiver, self.path, self.payload = receiver, path, None

    def result(self) -> Any:
        if self.payload is None:
            try:
                signal = self.receiver.recv_bytes()
            except EOFError:
                signal = b""
            if signal != b"1":
                raise PluginError("Das PDF konnte dem Prozess dieser Sprachfassung nicht übergeben werden "
                                  "(z. B. ist der Datenträger voll). Bitte den Bau noch einmal starten.")
            self.payload = pickle.loads(self.path.read_bytes())
        done, value = self.payload
        if not done:
            raise value
        return value


def _child(config: Any, plugin: Any, run: Run, code: str, group: Group, receiver: Any, parent: int) -> None:
    """In the forked process: wait for its turn, then build the variant ``code`` as the i18n plugin's loop
    would."""
    from klartext.publish import die_with_parent

    resume_collector()
    die_with_parent(parent)
    for sender in group.senders:  # the parent's ends
        sender.close()
    code_ = 1
    index = group.others.index(code) + 1
    try:
        _take_turn(group, index, receiver)
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
        run.forked = None
        run.easy_language = None  # the parent's (it reports the findings)
        if receiver is not None:
            run.pdfs[code] = Delivered(receiver, group.folder / f"{code}.pdf")
        mkdocs_build(config, dirty="--dirty" in sys.argv or "--dirtyreload" in sys.argv)  # as the i18n plugin
        folder = run.languages[code].prefix.strip("/")
        hashes = html.policy_hashes(Path(config.site_dir) / folder) if folder else None
        (group.folder / code).write_bytes(pickle.dumps(Part(run.sitemap_text, run.sitemap_timestamp, hashes)))
        code_ = 0
        _end_turn(group, index)  # only after success: a failed variant lets no further one start
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


def folders(group: Group, run: Run) -> list[str]:
    """The site's subfolders the variants' processes write (the default variant's pages: the rest)."""
    return [run.languages[code].prefix.strip("/") for code in group.others]


def join_hashes(own: set[str], parts: list[Part]) -> set[str] | None:
    """The script hashes of every page: the default variant's and each process's (None: unknown)."""
    if any(part.hashes is None for part in parts):
        return None
    return own.union(*(part.hashes for part in parts))


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
