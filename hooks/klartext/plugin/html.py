"""Finishing touches on every HTML page MkDocs writes: ``dir``, ``hreflang``, German fallbacks,
the preview's problem banner, and one 404 page per language."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from html import escape as html_escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.utils import get_relative_url

from klartext import csp, literal
from klartext.bidi import mark_foreign_runs, mark_source_names
from klartext.fallbacks import mark_titles
from klartext.languages import SOURCE, Language
from klartext.links import page_url
from klartext.plugin import offline, search
from klartext.plugin.state import Run

PROBLEMS_PAGE = "fehler.md"
"""The preview's list of data problems, beside the last good pages."""

_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def finish(output: str, current: Language, run: Run, config: Any = None) -> str:
    """Put ``dir`` on ``<html>`` (Material sets it on ``<body>`` only), make ``hreflang`` valid and
    point the search of a language variant at that variant's own index.

    The relative ``hreflang`` links Material writes into ``<head>`` are removed: search engines want
    absolute ones, which the sitemap carries, and Material's script fetched ``sitemap.xml`` below
    each of them on every page view (seven requests answered with 404)."""
    output = _without_alternates(output)
    output = output.replace("<html ", f'<html dir="{current.dir}" ', 1)
    output = search.point_at_own_index(output, current)
    output = mark_titles(output, run.fallbacks, SOURCE)
    output = mark_foreign_runs(output, current.tag, SOURCE.tag)
    output = mark_source_names(output, current.tag, SOURCE.tag, run.source_names)
    if 'id="__toc"' not in output:
        # A page outside the navigation (a measure) has no "__toc" toggle, but Material's table of
        # contents title still names it: a label for nothing (invalid HTML, does nothing when clicked).
        output = output.replace('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">')
    output = fix_hreflang(output, run.languages)
    if run.command == "serve":  # MkDocs injects its live-reload script (new each time) into served pages
        return output
    shim = offline.shim_text() if config is not None and offline.enabled(config) else None
    return csp.add_policy(output, shim)  # last: hashes the finished scripts


def _without_alternates(output: str) -> str:
    """``output`` without Material's ``hreflang`` links and the white space before each (what
    ``re.sub(r'\\s*<link rel="alternate" …>', "", output)`` does, without trying the white space at
    every position of the page)."""
    pieces, copied = [], 0
    for match in literal.matches(_ALTERNATE, '<link rel="alternate" href="', output):
        pieces.append(output[copied:match.start()].rstrip())  # str.isspace() is what \s matches
        copied = match.end()
    if not pieces:
        return output
    pieces.append(output[copied:])
    return "".join(pieces)


def fix_hreflang(text: str, languages: dict[str, Language]) -> str:
    for code, language in languages.items():
        if language.hreflang != code:
            text = text.replace(f'hreflang="{code}"', f'hreflang="{language.hreflang}"')
    return text


def mark_fallback(html: str, page: Any, current: Language, run: Run, config: Any) -> str:
    """Mark a hand-written page shown in German because its translation is missing."""
    locale = getattr(page.file, "locale", current.code)
    if locale == current.code or page.file.generated_by:
        return html
    notice = html_escape(run.labels(config, current)("fallback.block"))
    source = run.languages.get(locale, SOURCE)
    return (f'<div class="kt-fallback"><p class="kt-fallback__note">{notice}</p>'
            f'<div lang="{source.tag}" dir="{source.dir}">{html}</div></div>')


def with_problem_banner(output: str, page: Any, config: Any, current: Language, run: Run) -> str:
    """Insert the banner (template ``problems-banner.html``) at the start of the page's content."""
    link = get_relative_url(current.prefix + page_url(PROBLEMS_PAGE, config.use_directory_urls), page.url)
    banner = run.renderer(config).render("problems-banner.html", count=len(run.problems), link=link)
    marker = '<div class="md-content" data-md-component="content">'
    return output.replace(marker, marker + banner, 1) if marker in output else output


def point_switcher_at_starts(config: Any, run: Run) -> None:
    """The 404 page has no page of its own: its language switcher leads to each language's start."""
    root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
    for entry in getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []:
        language = run.languages.get(entry["lang"])
        if language is not None:
            entry["link"] = root + language.prefix


def write_not_found_page(output: str, config: Any, current: Language, run: Run) -> str:
    """Each language variant gets its own 404 page in its folder (the i18n plugin would let every
    variant overwrite the one at the root). Returns what MkDocs writes at the root."""
    output = finish(output, current, run, config)
    if current.default:
        return output
    target = Path(config.site_dir) / current.prefix / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return ""  # nothing more at the root


def write_header_policy(site: Path, hashes: set[str] | None = None) -> None:
    """The pages' policy as one server header (``csp-header.txt``, see README "Hosting"). ``hashes``:
    the pages' script hashes, where the build collected them already (:func:`policy_hashes`);
    otherwise every page is read here."""
    if hashes is None:
        hashes = policy_hashes(site)
    (site / csp.HEADER_FILE).write_text(csp.hashes_policy(hashes) + "\n", encoding="utf-8")


def policy_hashes(folder: Path, skip: Iterable[str] = ()) -> set[str]:
    """The script hashes the policies of the HTML files in ``folder`` allow, the subfolders ``skip``
    left out (14sched: each language variant's process reads its own folder as its build ends, the
    build the default variant's while the others build, instead of all pages after the last one)."""
    skipped = set(skip)

    def heads() -> Iterator[str]:
        for top, folders, names in os.walk(folder):
            if top == str(folder):
                folders[:] = [name for name in folders if name not in skipped]
            for name in names:
                if name.endswith(".html"):
                    with open(os.path.join(top, name), encoding="utf-8", errors="replace") as handle:
                        yield handle.read(4096)

    return csp.allowed_hashes(heads())
