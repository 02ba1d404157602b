"""Loading and checking ``data/`` once per build run, with the findings MkDocs should report."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from klartext.concept import ConceptData
from klartext.controlling import SettingsError, read_settings
from klartext.languages import SOURCE, Language
from klartext.plugin import pdfs
from klartext.plugin.state import Run, log, project_root, settings
from klartext.problems import DataError, Problem
from klartext.quality import check_quality
from klartext.render import Renderer
from klartext.loading import CACHE_FOLDER, forget_parsed, remember_on_disk
from klartext.validation import load_concept, rule_errors


def load(config: Any, i18n: Any, run: Run) -> None:
    """Read the languages, load and validate the data, start the PDFs; report every problem."""
    run.languages = {
        lang.locale: Language(lang.locale, lang.name, (lang.theme or {}).get("language", ""), lang.default)
        for lang in i18n.config.languages if lang.build or lang.default
    }
    root = project_root(config)
    data_dir = root / settings(config).get("data_dir", "data")
    # every configured language, also those a one-language preview does not build
    others = [lang.locale for lang in i18n.config.languages if lang.locale != SOURCE.code]
    remember_on_disk(root / CACHE_FOLDER)  # 14ls: the next build parses only the data files that changed
    try:
        run.data, warnings = load_concept(data_dir, others, root, Path(config.docs_dir))
        run.problems = []
        if run.command == "build":
            forget_parsed()  # 14mem: only the preview reads the parsed files again
    except DataError as error:
        # the data-quality rules run on the records that loaded: their errors join the report
        error = DataError(error.problems + rule_errors(error, lambda data: _rules(config, data)))
        if run.command != "serve":
            raise PluginError(str(error)) from None
        # the preview keeps the last good pages and lists the problems on a page of their own
        run.data, run.problems, warnings = run.good, error.problems, []
        for problem in error.problems:
            log.error(str(problem))
    if not run.problems:
        # data-quality rules set to "error" reject the data like a validation error
        run.problems = _check_controlling(config, run.data, run)
        if run.problems:
            run.data = run.good
    if run.data is not None and not run.problems:
        run.good = run.data  # what the preview keeps showing while later edits have errors
        _date_the_build(run.data, run)
        warnings += _unknown_icons(run.data, run.renderer(config))
        warnings += _missing_labels(config, run)
        if run.command == "build" and "fork" in multiprocessing.get_all_start_methods():
            run.easy_language = _start_easy_language(config, root, run)  # reported with the default variant
        else:
            warnings += _easy_language(config, root, run)
        pdfs.start(config, data_dir, root, run)
    for warning in warnings:
        log.warning(str(warning))
    if str(data_dir) not in config.watch:
        config.watch.append(str(data_dir))


def _easy_language_arguments(config: Any, root: Path, run: Run) -> tuple | None:
    from klartext.easy_language import LANG

    if LANG not in run.languages:
        return None
    labels_dir = settings(config).get("labels_dir")
    return (run.data, root, settings(config).get("leichte_sprache"),
            root / labels_dir if labels_dir else None, Path(config.docs_dir))


def _easy_language(config: Any, root: Path, run: Run) -> list[Problem]:
    """Leichte Sprache findings as warnings (when Leichte Sprache is built), checked here."""
    from klartext.easy_language import check_project

    arguments = _easy_language_arguments(config, root, run)
    if arguments is None:
        return []
    try:
        findings, _ = check_project(*arguments)
    except ValueError as error:
        raise PluginError(str(error)) from None
    return [finding.problem() for finding in findings]


def _start_easy_language(config: Any, root: Path, run: Run) -> EasyLanguageCheck | None:
    """The Leichte Sprache check of a build, started in a forked process of its own (14mem): texts
    missing from the cache load HanTa's model (about 130 MB), which the build and every language
    variant's process would otherwise carry to their end. The process writes the cache file and hands
    back the findings; the build goes on meanwhile (14sched: on the other core, instead of waiting
    for it before the language variants start) and reports them when the default variant is built
    (:func:`report_easy_language`)."""
    from klartext.easy_language import Settings

    arguments = _easy_language_arguments(config, root, run)
    if arguments is None:
        return None
    try:
        Settings.from_config(arguments[2])  # a wrong setting stops the build now, not after its pages
    except (TypeError, ValueError) as error:
        raise PluginError(str(error)) from None
    context = multiprocessing.get_context("fork")
    handle, name = tempfile.mkstemp(prefix="klartext-leichte-sprache-", suffix=".pickle")
    os.close(handle)
    process = context.Process(target=_check_and_write, args=(arguments, Path(name), os.getpid()),
                              name="klartext-leichte-sprache")
    try:
        process.start()
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return EasyLanguageCheck(process, Path(name))


class EasyLanguageCheck:
    """The Leichte Sprache check running in its own process (:func:`_start_easy_language`). The process
    writes the findings into a file and ends (not waiting until the build reads them: with HanTa's
    model loaded it holds ~200 MB)."""

    def __init__(self, process: Any, path: Path) -> None:
        self.process, self.path = process, path

    def result(self) -> list[Problem]:
        self.process.join()
        try:
            kind, value = pickle.loads(self.path.read_bytes()) if self.process.exitcode == 0 else ("crash", None)
        except (OSError, EOFError, pickle.UnpicklingError):
            kind, value = "crash", None
        finally:
            self.path.unlink(missing_ok=True)
        if kind == "error":
            raise PluginError(value) from None
        if kind != "ok":
            raise PluginError(f"Die Prüfung der Leichten Sprache ist abgebrochen (Code {self.process.exitcode}; "
                              "Grund siehe Meldungen darüber). Bitte den Bau noch einmal starten.")
        return value

    def cancel(self) -> None:
        """The build failed: end the check (it leaves no process and no file behind)."""
        if self.process.exitcode is None:
            self.process.terminate()
        self.process.join()
        self.path.unlink(missing_ok=True)


def report_easy_language(run: Run) -> None:
    """Log the findings of the Leichte Sprache check started with the data (build only)."""
    check, run.easy_language = run.easy_language, None
    if check is not None:
        for warning in check.result():
            log.warning(str(warning))


def cancel_easy_language(run: Run) -> None:
    check, run.easy_language = run.easy_language, None
    if check is not None:
        check.cancel()


def _check_and_write(arguments: tuple, path: Path, parent: int) -> None:
    from klartext.easy_language import check_project
    from klartext.plugin.variants import resume_collector
    from klartext.publish import die_with_parent

    resume_collector(forked=True)  # forked during the build's start, which runs without the cycle collector
    die_with_parent(parent)  # a build stopped with Ctrl+C takes the check with it
    code = 1
    try:
        try:
            findings, _ = check_project(*arguments)
            payload = ("ok", [finding.problem() for finding in findings])
        except ValueError as error:
            payload = ("error", str(error))
        path.write_bytes(pickle.dumps(payload))
        code = 0
    except BaseException:  # noqa: BLE001 - the parent reports a crash
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)  # no atexit handlers: they belong to the build (e.g. the PDF worker pool)


def _date_the_build(data: ConceptData, run: Run) -> None:
    """Repeatable output: MkDocs dates every page (sitemap ``lastmod``, gzip header) with the build
    day unless SOURCE_DATE_EPOCH is set; date it with the data's newest date instead."""
    if "SOURCE_DATE_EPOCH" not in os.environ or run.source_date_epoch_set_by_us:
        moment = dt.datetime.combine(data.last_change(), dt.time(), dt.timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
        run.source_date_epoch_set_by_us = True


def _check_controlling(config: Any, data: ConceptData, run: Run) -> list[Problem]:
    """Read the controlling settings and run the data-quality rules. Returns the rule errors (the
    preview shows them); ``build`` stops on them. Settings and findings are kept only for good data,
    so the preview's last good pages keep their own."""
    try:
        chosen = read_settings(settings(config).get("controlling"), data)
    except SettingsError as error:
        raise PluginError(str(error)) from None
    quality = check_quality(data, chosen)
    if any(problem.severity == "error" for problem in quality):
        if run.command != "serve":
            raise PluginError(str(DataError(quality)))
        problems = DataError(quality).problems
        for problem in problems:
            log.error(str(problem))
        return problems
    run.settings, run.quality = chosen, quality
    # Findings of rules set to "warning" are shown, but at INFO level: they describe gaps in the
    # concept (published on the data-quality page), not broken data, so `mkdocs build --strict` passes.
    if quality:
        log.info(f"Datenqualität: {len(quality)} Hinweise (Regeln in extra.klartext.controlling.rules):")
    for problem in quality:
        log.info(f"  {problem}")
    return []


def _rules(config: Any, data: ConceptData) -> list[Problem]:
    """The findings of the data-quality rules (for a concept that failed validation in part)."""
    return check_quality(data, read_settings(settings(config).get("controlling"), data))


def _missing_labels(config: Any, run: Run) -> list[Problem]:
    """Languages whose interface labels are incomplete (the missing ones appear in German)."""
    problems = []
    german = run.labels(config, SOURCE)
    for language in run.languages.values():
        if language.default:
            continue
        missing = german.missing_in(run.labels(config, language))
        if missing:
            problems.append(Problem(
                f"labels/{language.code}.yml", 0,
                f"Für „{language.code}“ fehlen {len(missing)} Beschriftungen (z. B. {', '.join(missing[:3])}); "
                "sie erscheinen auf Deutsch. Bitte ergänzen (Vorlage: hooks/klartext/labels/de.yml).",
                "warning"))
    return problems


def _unknown_icons(data: ConceptData, renderer: Renderer) -> list[Problem]:
    problems = []
    for name in ("field_states", "measure_states", "funding_states", "actor_kinds", "event_kinds"):
        for choice in getattr(data, name):
            if not renderer.icon(choice.icon):
                where = data.where[id(choice)]
                problems.append(Problem(
                    where.file, where.line,
                    f"Das Symbol „{choice.icon}“ gibt es nicht. Bitte einen Namen aus dem Material-"
                    "Iconset wählen, z. B. „material/check-circle“. Die Bezeichnung wird ohne Symbol "
                    "angezeigt.", "warning"))
    return problems
