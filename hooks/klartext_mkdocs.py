"""MkDocs adapter of Klartext: the only module that knows MkDocs events and the i18n plugin.

Per language variant (mkdocs-static-i18n runs one build per language), it
- loads and validates ``data/`` once per build run (German messages, file and line),
- sets the site name and the navigation of that language,
- adds the generated concept pages after the i18n plugin has sorted the hand-written ones,
- marks hand-written pages that fall back to German with ``lang``/``dir`` and a notice.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from html import escape as html_escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from klartext import feed, figures, opendata, search
from klartext.bidi import mark_foreign_runs
from klartext.concept import ConceptData
from klartext.controlling import Settings, SettingsError, read_settings
from klartext.fallbacks import fallback_texts, mark_titles
from klartext.labels import load_labels
from klartext.languages import SOURCE, Language
from klartext.links import page_url
from klartext.pages import PageBuilder, PageSource
from klartext.pdf import ENGINES, PdfError, PdfJob, check_engine, check_fonts, make_pdf
from klartext.problems import DataError, Problem
from klartext.quality import check_quality
from klartext.render import BYTECODE_CACHE, Renderer
from klartext.validation import load_concept
from klartext.view import plain_title

log = get_plugin_logger("klartext")
_LOCALE_SUFFIX = re.compile(r"^[a-z]{2}(-[A-Za-z]{4})?(-[A-Z]{2})?$|^[a-z]{2}_[A-Z]{2}$")


@dataclass
class _Run:
    """What one ``mkdocs build`` (or one rebuild of ``serve``) has learnt so far."""

    command: str = "build"
    data: ConceptData | None = None
    problems: list[Problem] = field(default_factory=list)
    languages: dict[str, Language] = field(default_factory=dict)
    builder: PageBuilder | None = None
    """Page builder of the language being built (set in on_config, used in on_files)."""
    fallbacks: frozenset[str] = frozenset()
    """German texts shown in the language being built for want of a translation."""
    pdfs: dict[str, Future] = field(default_factory=dict)
    """PDF of each language, rendering in worker processes."""
    good: ConceptData | None = None
    """The last data without errors (``serve`` keeps showing it while the data has errors)."""
    source_date_epoch_set_by_us: bool = False
    """Whether SOURCE_DATE_EPOCH comes from the data (and follows it on every rebuild of serve)."""
    settings: Settings | None = None
    """Controlling settings (extra.klartext.controlling)."""
    quality: list[Problem] = field(default_factory=list)
    """Data-quality findings (warnings and errors of the configurable rules)."""
    renderers: dict[tuple[str, ...], Renderer] = field(default_factory=dict)
    """One page renderer per set of template folders: templates compile once, not once per language."""


_run = _Run()


def on_startup(command: str, dirty: bool) -> None:
    _run.command = command


@event_priority(-150)  # after mkdocs-static-i18n (-100) has set up the current language
def on_config(config: Any) -> Any:
    i18n = _i18n(config)
    language = i18n.current_language or i18n.default_language
    if not i18n.building:  # first (default language) pass of this build: load the data once
        _load(config, i18n)
    else:
        _release_written_pages(i18n)
    current = _run.languages[language]
    # mkdocs-static-i18n 1.3.1 saves theme.language as "original" only after setting it for the first
    # variant with a theme override, so every variant listed after it inherits that value: set it here.
    config.theme["language"] = current.tag
    config.extra["klartext"] = {
        **(config.extra.get("klartext") or {}),
        "lang": current.tag,
        "dir": current.dir,
        "languages": {code: {"tag": lang.tag, "dir": lang.dir, "hreflang": lang.hreflang}
                      for code, lang in _run.languages.items()},
        "pdf_link": None,  # set in on_files once this language's PDF exists
        "feed_link": None,  # set below when the data loaded
    }
    if _offline(config):
        config.extra["polyfills"] = [*(script for script in config.extra.get("polyfills", [])
                                       if "iframe-worker" not in str(script)), _IFRAME_WORKER]
    _run.builder = _builder(config, current) if _run.data is not None else None
    _run.fallbacks = (fallback_texts(_run.data, current.code)
                      if _run.data is not None and current.tag != SOURCE.tag else frozenset())
    if _run.builder is not None:
        config.extra["klartext"]["feed_link"] = {
            "url": current.prefix + feed.FILENAME, "text": _run.builder.labels("feed.link")}
        config.site_name = _site_name(current)
        config.nav = [item.to_mkdocs() for item in _run.builder.navigation(_handwritten(config))]
        config.extra["klartext"].update(_shared_texts(config, current))
    return config


def _shared_texts(config: Any, current: Language) -> dict:
    """What Material's templates (footer, 404 page) show: links with site-relative URLs, labels."""
    labels = _run.builder.labels
    return {
        "footer": {"label": labels("footer.label"), "links": [
            {"url": current.prefix + page_url(path, config.use_directory_urls), "text": text}
            for path, text in _run.builder.footer()]},
        "not_found": {
            "title": labels("notfound.title"), "text": labels("notfound.text"),
            "start": labels("notfound.start"), "others": labels("notfound.languages"),
            "start_url": current.prefix,
            "languages": [{"url": lang.prefix, "name": lang.name, "tag": lang.tag, "dir": lang.dir,
                           "hreflang": lang.hreflang} for lang in _run.languages.values() if lang != current],
        },
    }


@event_priority(-200)  # after mkdocs-static-i18n (-100) rebuilt the file list
def on_files(files: Files, config: Any) -> Files:
    i18n = _i18n(config)
    current = _run.languages[i18n.current_language]
    sources = _sources(config)
    taken = {file.src_uri for file in files if file.is_documentation_page()}
    for source in sources:
        if source.path in taken:
            raise PluginError(f"docs/{source.path} steht im Konflikt mit einer erzeugten Seite. "
                              "Bitte die handgeschriebene Seite umbenennen.")
        files.append(_generated_file(source, config, current))
    if current.code in _run.pdfs:
        files.append(_pdf_file(config, current))
    if _offline(config) and current.default:
        files.append(_iframe_worker_file(config))
    if _run.builder is not None:
        for file in _open_data_files(config, current):
            files.append(file)
    generated = {source.path for source in sources}
    i18n.i18n_files_per_language.setdefault(current.code, []).extend(
        file for file in files if file.src_uri in generated)
    return files


def on_env(env: Any, config: Any, files: Files) -> Any:
    """Share compiled theme templates between the language builds (see MemoryBytecodeCache)."""
    env.bytecode_cache = BYTECODE_CACHE
    return env


@event_priority(-50)  # after mkdocs-static-i18n (50) set the switcher links
def on_page_context(context: dict, page: Any, config: Any, nav: Any) -> dict:
    """Point every switcher entry at the same page in that language, relative to this page."""
    alternates = getattr(page.file, "alternates", {})
    # the i18n plugin assigns the attribute (config.extra.alternate), which templates read first
    entries = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
    for entry in entries:
        target = alternates.get(entry["lang"])
        if target is not None:
            entry["link"] = target.url or "./"
    return context


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Put figures from the data into hand-written pages (marker ``[[abbildung: ID]]``)."""
    if _run.builder is None or page.file.generated_by or "[[abbildung" not in markdown:
        return markdown
    raw = page.file.content_string
    offset = raw[:max(raw.find(markdown.lstrip()[:80]), 0)].count("\n")
    known = [figure.id for figure in _run.data.figures]
    expanded, problems = figures.expand(markdown, f"docs/{page.file.src_uri}", known,
                                        lambda figure_id: _run.builder.figure(figure_id, page.file.src_uri))
    if problems:
        problems = [Problem(p.file, p.line + offset, p.message) for p in problems]
        raise PluginError(str(DataError(problems)))
    return expanded


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    """Mark a hand-written page shown in German because its translation is missing."""
    i18n = _i18n(config)
    current = _run.languages[i18n.current_language]
    locale = getattr(page.file, "locale", current.code)
    if locale == current.code or page.file.generated_by:
        return html
    notice = html_escape(_labels(config, current)("fallback.block"))
    source = _run.languages.get(locale, SOURCE)
    return (f'<div class="kt-fallback"><p class="kt-fallback__note">{notice}</p>'
            f'<div lang="{source.tag}" dir="{source.dir}">{html}</div></div>')


def on_post_page(output: str, page: Any, config: Any) -> str:
    current = _run.languages[_i18n(config).current_language]
    output = _finish_html(output, current)
    if _run.problems:  # the preview's data has errors: a banner on every page links to the list
        output = _with_problem_banner(output, page, config, current)
    return output


def on_template_context(context: dict, template_name: str, config: Any) -> dict:
    """The 404 page has no page of its own: its language switcher leads to each language's start."""
    if template_name == "404.html":
        root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
        for entry in getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []:
            language = _run.languages.get(entry["lang"])
            if language is not None:
                entry["link"] = root + language.prefix
    return context


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """Each language variant gets its own 404 page in its folder (the i18n plugin would let every
    variant overwrite the one at the root)."""
    if template_name != "404.html" or not output.strip():
        return output
    current = _run.languages[_i18n(config).current_language]
    output = _finish_html(output, current)
    if current.default:
        return output
    target = Path(config.site_dir) / current.prefix / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return ""  # nothing more at the root


_HEAD_HREFLANG = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def _finish_html(output: str, current: Language) -> str:
    """Put ``dir`` on ``<html>`` (Material sets it on ``<body>`` only), make ``hreflang`` valid and
    point the search of a language variant at that variant's own index.

    The relative ``hreflang`` links Material writes into ``<head>`` are removed: search engines want
    absolute ones, which the sitemap carries, and Material's script fetched ``sitemap.xml`` below
    each of them on every page view (seven requests answered with 404)."""
    output = _HEAD_HREFLANG.sub("", output)
    output = output.replace("<html ", f'<html dir="{current.dir}" ', 1)
    if not current.default:
        output = _SEARCH_BASE.sub(
            lambda match: f'{match.group(1)}{match.group(2).rstrip("/")}/{current.code}/"', output, 1)
    output = mark_titles(output, _run.fallbacks, SOURCE)
    output = mark_foreign_runs(output, current.tag, SOURCE.tag)
    if 'id="__toc"' not in output:
        # A page outside the navigation (a measure) has no "__toc" toggle, but Material's table of
        # contents title still names it: a label for nothing (invalid HTML, does nothing when clicked).
        output = output.replace('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">')
    return _fix_hreflang(output)


@event_priority(-150)  # after mkdocs-static-i18n built the other languages and the sitemap
def on_post_build(config: Any) -> None:
    if _i18n(config).building:
        return  # a nested language build; the last step below runs once, at the very end
    sitemap = Path(config.site_dir) / "sitemap.xml"
    if sitemap.is_file():
        text = _fix_hreflang(sitemap.read_text(encoding="utf-8"))
        sitemap.write_text(text, encoding="utf-8")
    _split_search_index(Path(config.site_dir))


_SEARCH_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)"')


_IFRAME_WORKER = "assets/javascripts/iframe-worker.js"


def _offline(config: Any) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


def _iframe_worker_file(config: Any) -> File:
    """The locally served iframe-worker shim (Material's offline plugin would load it from a CDN)."""
    shim = os.environ.get("KLARTEXT_IFRAME_WORKER", "")
    if not Path(shim).is_file():
        raise PluginError("Für die Offline-Fassung fehlt das Skript iframe-worker. Bitte mit "
                          "„./klartext offline“ bauen (lädt es einmal aus dem npm-Verzeichnis).")
    return File.generated(config, _IFRAME_WORKER, abs_src_path=shim)


def _split_search_index(site: Path) -> None:
    """One search index per language variant, so results come only from the reader's language.

    Language support, pipeline and word separator of each index: see :mod:`klartext.search`.
    """
    path = site / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    offline = path.with_suffix(".js").is_file()
    prefixes = {f"{code}/": language for code, language in _run.languages.items() if not language.default}
    buckets: dict[str, list] = {code: [] for code in _run.languages}
    default = next((code for code, language in _run.languages.items() if language.default), SOURCE.code)
    for doc in index["docs"]:
        prefix = next((prefix for prefix in prefixes if doc["location"].startswith(prefix)), None)
        code = prefixes[prefix].code if prefix else default  # a one-language preview: any language
        buckets[code].append({**doc, "location": doc["location"][len(prefix):] if prefix else doc["location"]})
    for code, docs in buckets.items():
        language = _run.languages[code]
        config = search.index_config(index["config"], language.tag)
        target = site / language.prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
        target.write_text(text, encoding="utf-8")
        if offline:  # the offline plugin's copy that pages opened from the file system load
            target.with_suffix(".js").write_text(f"var __index = {text}", encoding="utf-8")


def _fix_hreflang(text: str) -> str:
    for code, language in _run.languages.items():
        if language.hreflang != code:
            text = text.replace(f'hreflang="{code}"', f'hreflang="{language.hreflang}"')
    return text


# ---------------------------------------------------------------------------------------------
# load


def _load(config: Any, i18n: Any) -> None:
    _run.languages = {
        lang.locale: Language(
            lang.locale, lang.name, (lang.theme or {}).get("language", ""), lang.default,
        )
        for lang in i18n.config.languages if lang.build or lang.default
    }
    root = Path(config.config_file_path).parent
    data_dir = root / (config.extra.get("klartext") or {}).get("data_dir", "data")
    # every configured language, also those a one-language preview does not build
    others = [lang.locale for lang in i18n.config.languages if lang.locale != SOURCE.code]
    try:
        _run.data, warnings = load_concept(data_dir, others, root, Path(config.docs_dir))
        _run.problems = []
    except DataError as error:
        if _run.command != "serve":
            raise PluginError(str(error)) from None
        # the preview keeps the last good pages and lists the problems on a page of their own
        _run.data, _run.problems, warnings = _run.good, error.problems, []
        for problem in error.problems:
            log.error(str(problem))
    if not _run.problems:
        # data-quality rules set to "error" reject the data like a validation error
        _run.problems = _check_controlling(config, _run.data)
        if _run.problems:
            _run.data = _run.good
    if _run.data is not None and not _run.problems:
        _run.good = _run.data  # what the preview keeps showing while later edits have errors
        _date_the_build(_run.data)
        warnings += _unknown_icons(_run.data, _renderer(config))
        warnings += _missing_labels(config)
        warnings += _easy_language(config, root)
        _start_pdfs(config, data_dir, root)
    for warning in warnings:
        log.warning(str(warning))
    if str(data_dir) not in config.watch:
        config.watch.append(str(data_dir))


def _easy_language(config: Any, root: Path) -> list[Problem]:
    """Leichte Sprache findings as warnings (when Leichte Sprache is built)."""
    from klartext.easy_language import LANG, check_project

    if LANG not in _run.languages:
        return []
    settings = config.extra.get("klartext") or {}
    labels_dir = settings.get("labels_dir")
    try:
        findings, _ = check_project(_run.data, root, settings.get("leichte_sprache"),
                                    root / labels_dir if labels_dir else None, Path(config.docs_dir))
    except ValueError as error:
        raise PluginError(str(error)) from None
    return [finding.problem() for finding in findings]


def _date_the_build(data: ConceptData) -> None:
    """Repeatable output: MkDocs dates every page (sitemap ``lastmod``, gzip header) with the build
    day unless SOURCE_DATE_EPOCH is set; date it with the data's newest date instead."""
    if "SOURCE_DATE_EPOCH" not in os.environ or _run.source_date_epoch_set_by_us:
        moment = dt.datetime.combine(data.last_change(), dt.time(), dt.timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
        _run.source_date_epoch_set_by_us = True


def _check_controlling(config: Any, data: ConceptData) -> list[Problem]:
    """Read the controlling settings and run the data-quality rules. Returns the rule errors (the
    preview shows them); ``build`` stops on them. Settings and findings are kept only for good data,
    so the preview's last good pages keep their own."""
    settings_data = (config.extra.get("klartext") or {}).get("controlling")
    try:
        settings = read_settings(settings_data, data)
    except SettingsError as error:
        raise PluginError(str(error)) from None
    quality = check_quality(data, settings)
    if any(problem.severity == "error" for problem in quality):
        if _run.command != "serve":
            raise PluginError(str(DataError(quality)))
        problems = DataError(quality).problems
        for problem in problems:
            log.error(str(problem))
        return problems
    _run.settings, _run.quality = settings, quality
    # Findings of rules set to "warning" are shown, but at INFO level: they describe gaps in the
    # concept (published on the data-quality page), not broken data, so `mkdocs build --strict` passes.
    if quality:
        log.info(f"Datenqualität: {len(quality)} Hinweise (Regeln in extra.klartext.controlling.rules):")
    for problem in quality:
        log.info(f"  {problem}")
    return []


def _open_data_files(config: Any, current: Language) -> list[File]:
    """The downloads and the Atom feed of a language."""
    files = []
    for name, content in opendata.downloads(_run.data, current, _run.settings).items():
        file = File.generated(config, f"{opendata.FOLDER}/{name}", content=content.encode("utf-8"))
        file.dest_uri = current.prefix + file.dest_uri
        files.append(file)
    site_url = (config.site_url or "").rstrip("/")
    base = f"{site_url}/{current.prefix}" if site_url else ""

    def link(src: str) -> str:
        return base + page_url(src, config.use_directory_urls) or "./"

    text = feed.atom_feed(_run.data, current, _run.builder.labels, link, _run.settings.feed_id,
                          base + feed.FILENAME)
    file = File.generated(config, feed.FILENAME, content=text.encode("utf-8"))
    file.dest_uri = current.prefix + file.dest_uri
    files.append(file)
    return files


def _release_written_pages(i18n: Any) -> None:
    """Drop the Markdown and HTML of the language variants already written.

    The i18n plugin keeps every variant's files (and through them their pages) until the end of the
    build, for the language switcher and the sitemap, which need only their addresses. Without this,
    memory grows with pages x languages (at 1,200 measures x 7 variants by hundreds of MB).
    """
    for code, files in i18n.i18n_files_per_language.items():
        if code == i18n.current_language:
            continue
        for file in files:
            page = getattr(file, "page", None)
            if page is not None:
                page.content = page.markdown = None
            if file.generated_by:
                file.content_string = ""


def _missing_labels(config: Any) -> list[Problem]:
    """Languages whose interface labels are incomplete (the missing ones appear in German)."""
    problems = []
    german = _labels(config, SOURCE)
    for language in _run.languages.values():
        if language.default:
            continue
        missing = german.missing_in(_labels(config, language))
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


# ---------------------------------------------------------------------------------------------
# PDF


def _pdf_settings(config: Any) -> dict:
    settings = {"enabled": True, "engine": "weasyprint", "filename": "integrationskonzept.pdf",
                **((config.extra.get("klartext") or {}).get("pdf") or {})}
    switch = os.environ.get("KLARTEXT_PDF")
    if switch is not None:
        settings["enabled"] = switch not in ("0", "no", "false")
    elif _run.command == "serve":
        settings["enabled"] = False  # the preview skips PDFs unless KLARTEXT_PDF=1
    if settings["engine"] not in ENGINES:
        raise PluginError(f"Unbekannte PDF-Engine „{settings['engine']}“ in extra.klartext.pdf.engine "
                          f"(möglich: {', '.join(ENGINES)}).")
    return settings


def _start_pdfs(config: Any, data_dir: Path, root: Path) -> None:
    """Check fonts, then render every language's PDF in worker processes (one per core)."""
    _run.pdfs = {}
    settings = _pdf_settings(config)
    if not settings["enabled"]:
        return
    languages = tuple(_run.languages.values())
    try:
        check_engine(settings["engine"], list(languages))
    except PdfError as error:
        raise PluginError(str(error)) from None
    problems = [problem for language in languages
                for problem in check_fonts(_run.data, language, _labels(config, language).own_texts())]
    if problems:
        raise PluginError(str(DataError(problems)))
    workers = max(1, min(len(languages), os.cpu_count() or 1))
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    template_dirs = tuple(Path(path) for path in config.theme.dirs)
    labels_dir = (config.extra.get("klartext") or {}).get("labels_dir")
    for language in languages:
        job = PdfJob(data_dir, root, languages, language.code, template_dirs,
                     (Path(config.docs_dir).resolve(),), settings["engine"],
                     root / labels_dir if labels_dir else None)
        _run.pdfs[language.code] = pool.submit(make_pdf, job)
    pool.shutdown(wait=False)
    log.info(f"PDF: {len(languages)} Sprachfassungen werden auf {workers} Kernen erzeugt …")


def _pdf_file(config: Any, current: Language) -> File:
    """Wait for this language's PDF, report it, and add it to the site with a link on every page."""
    settings = _pdf_settings(config)
    try:
        result = _run.pdfs[current.code].result()
    except PdfError as error:
        raise PluginError(str(error)) from None
    labels = _run.builder.labels
    size = labels("pdf.size", size=_megabytes(len(result.content), current))
    log.info(f"PDF {current.code}: {result.pages} Seiten, {result.seconds:.1f} s, {size}")
    for url in result.refused:
        log.warning(f"PDF ({current.code}): „{url}“ wurde nicht geladen. Das PDF lädt nur Dateien aus "
                    "docs/ und data:-Adressen; bitte die Datei nach docs/ legen und relativ angeben.")
    file = File.generated(config, settings["filename"], content=result.content)
    file.dest_uri = current.prefix + file.dest_uri
    config.extra["klartext"]["pdf_link"] = {
        "url": file.dest_uri, "text": labels("pdf.download", size=size)}
    return file


def _megabytes(size: int, language: Language) -> str:
    from babel.numbers import format_decimal

    return format_decimal(round(size / 1_000_000, 1), format="0.0", locale=language.tag.replace("-", "_"))


# ---------------------------------------------------------------------------------------------
# generate


PROBLEMS_PAGE = "fehler.md"
"""The preview's list of data problems, beside the last good pages."""


def _sources(config: Any) -> list[PageSource]:
    problems = []
    if _run.problems:
        markdown = _renderer(config).render("problems.md", problems=_run.problems, kept=_run.builder is not None)
        problems = [PageSource(PROBLEMS_PAGE, "Fehler in den Daten", markdown)]
    if _run.builder is None:
        return [PageSource("index.md", problems[0].title, problems[0].markdown)] + problems
    return _run.builder.pages() + problems


def _with_problem_banner(output: str, page: Any, config: Any, current: Language) -> str:
    """Insert the banner (template ``problems-banner.html``) at the start of the page's content."""
    from mkdocs.utils import get_relative_url

    link = get_relative_url(current.prefix + page_url(PROBLEMS_PAGE, config.use_directory_urls), page.url)
    banner = _renderer(config).render("problems-banner.html", count=len(_run.problems), link=link)
    marker = '<div class="md-content" data-md-component="content">'
    return output.replace(marker, marker + banner, 1) if marker in output else output


def _builder(config: Any, current: Language) -> PageBuilder:
    labels = _labels(config, current)
    page = _run.settings.quality_page
    published = page == "published" or (page == "preview" and _run.command == "serve")
    return PageBuilder(_run.data, current, labels, _renderer(config), config.use_directory_urls,
                       list(_run.languages.values()), _run.settings, _run.quality if published else None,
                       _asset_sizes(config))


def _asset_sizes(config: Any) -> dict[str, int]:
    video = _run.data.concept.sign_language_video
    docs = Path(config.docs_dir)
    return {video.file: (docs / video.file).stat().st_size} if video else {}


def _labels(config: Any, current: Language) -> Any:
    folder = (config.extra.get("klartext") or {}).get("labels_dir")
    project = Path(config.config_file_path).parent / folder if folder else None
    return load_labels(current.code, [] if current.code == SOURCE.code else [SOURCE.code], project)


def _renderer(config: Any) -> Renderer:
    dirs = tuple(str(path) for path in config.theme.dirs)
    if dirs not in _run.renderers:
        _run.renderers[dirs] = Renderer([Path(path) for path in dirs])
    return _run.renderers[dirs]


def _site_name(current: Language) -> str:
    title = _run.data.concept.title
    return plain_title(title.get(current.code) or title.de)


def _handwritten(config: Any) -> list[str]:
    """Hand-written pages in docs/ (language suffixes removed), for the navigation."""
    docs = Path(config.docs_dir)
    codes = set(_run.languages)
    pages = set()
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs).as_posix()
        stem, _, _ = relative.rpartition(".")
        base, _, suffix = stem.rpartition(".")
        localized = suffix in codes or _LOCALE_SUFFIX.match(suffix)  # the i18n plugin's own rule
        pages.add(f"{base}.md" if base and localized else relative)
    return sorted(page for page in pages if page != "index.md")


def _generated_file(source: PageSource, config: Any, current: Language) -> File:
    """A generated page registered the way mkdocs-static-i18n registers its own files."""
    file = File.generated(config, source.path, content=source.markdown)
    file.dest_uri = current.prefix + file.dest_uri
    file.locale = current.code
    file.locale_alternate_of = current.code
    file.localization = None if current.default else current.code
    file.norm_src_uri = source.path
    file.alternates = {
        code: _Alternate(lang.prefix + page_url(source.path, config.use_directory_urls))
        for code, lang in _run.languages.items()
    }
    file.alternates[current.code] = file
    return file


@dataclass
class _Alternate:
    """The same page in another language, as the i18n plugin's switcher and sitemap read it."""

    url: str
    page: Any = None


def _i18n(config: Any) -> Any:
    plugin = config.plugins.get("i18n")
    if plugin is None:
        raise PluginError("Klartext braucht das Plugin mkdocs-static-i18n (plugins: - i18n) in mkdocs.yml.")
    return plugin
