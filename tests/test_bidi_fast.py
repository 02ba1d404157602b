"""The finishing pass on every page's HTML (klartext.bidi, klartext.fallbacks, klartext.plugin.html.finish)
gives the same bytes as its first, straightforward implementation, kept here as the oracle: on every page
of the example and of a small synthetic concept in all their variants, on the print HTML, and on
hand-made snippets that probe the tokenizer's corners."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path
from typing import Any

import pytest

from klartext import bidi, csp, fallbacks
from klartext.bidi import NON_LATIN, SHORT_RUN, latin_runs
from klartext.languages import SOURCE, Language

# ---------------------------------------------------------------------------------------------
# the oracle: the implementation before issue 14 (main 6c6f8af), unchanged but for names

_TOKEN = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_LANG = re.compile(r"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr", "path", "circle", "rect", "line", "polyline", "polygon", "use", "stop"})
_SKIP = frozenset({"head", "script", "style", "svg", "math", "code", "pre", "kbd", "samp", "textarea", "title",
                   "bdi", "template", "noscript", "option"})
_PARENTHESIS = re.compile(r"\(([^()<>]{2,100})\)")


def oracle_mark_foreign_runs(html: str, page_tag: str, source_tag: str, for_print: bool = False) -> str:
    if page_tag.split("-")[0].lower() not in NON_LATIN:
        return html
    return _oracle_each_text(html, page_tag, lambda text: _oracle_mark_runs(text, source_tag, for_print))


def oracle_mark_source_names(html: str, page_tag: str, source_tag: str, names: frozenset[str]) -> str:
    primary = page_tag.split("-")[0].lower()
    if not names or primary in NON_LATIN or primary == source_tag.split("-")[0].lower():
        return html

    def mark(text: str) -> str:
        return _PARENTHESIS.sub(lambda match: f'(<span lang="{source_tag}">{match.group(1)}</span>)'
                                if " ".join(match.group(1).split()) in names else match.group(), text)
    return _oracle_each_text(html, page_tag, mark)


def _oracle_each_text(html: str, page_tag: str, change: Any) -> str:
    out: list[str] = []
    stack: list[tuple[str, str | None]] = []
    position = 0
    for token in _TOKEN.finditer(html):
        out.append(_oracle_mark_text(html[position:token.start()], stack, page_tag, change))
        out.append(token.group())
        position = token.end()
        tag = _TAG.fullmatch(token.group())
        if not tag:
            continue
        closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing:
            for index in range(len(stack) - 1, -1, -1):
                if stack[index][0] == name:
                    del stack[index:]
                    break
        elif name not in _VOID and not attributes.rstrip().endswith("/"):
            lang = _LANG.search(attributes)
            stack.append((name, next((group for group in lang.groups() if group is not None), "")
                          if lang else None))
    out.append(_oracle_mark_text(html[position:], stack, page_tag, change))
    return "".join(out)


def _oracle_mark_text(text: str, stack: list[tuple[str, str | None]], page_tag: str, change: Any) -> str:
    if not text.strip() or any(name in _SKIP for name, _ in stack):
        return text
    lang = next((lang for _, lang in reversed(stack) if lang is not None), page_tag)
    if lang.split("-")[0].lower() != page_tag.split("-")[0].lower():
        return text
    return change(text)


def _oracle_mark_runs(text: str, source_tag: str, for_print: bool) -> str:
    pieces, position = [], 0
    for start, end in latin_runs(text):
        run = text[start:end]
        if for_print:
            short = ' class="kt-run"' if len(run) <= SHORT_RUN else ""
            pieces += [text[position:start], f'<bdi lang="{source_tag}"{short}>\u2068', run, "\u2069</bdi>"]
        else:
            pieces += [text[position:start], f'<bdi lang="{source_tag}" dir="ltr">', run, "</bdi>"]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


_TITLES = re.compile(
    r'(<span class="md-ellipsis">\s*)([^<]+?)(\s*</span>)'
    r'|(<label class="md-nav__title" for="__drawer">.*?</a>\s*)([^<]+?)(\s*</label>)',
    re.S)


def oracle_mark_titles(page: str, texts: frozenset[str], source: Language) -> str:
    if not texts:
        return page

    def wrap(match: re.Match) -> str:
        before, text, after = (match.group(1), match.group(2), match.group(3)) if match.group(2) else (
            match.group(4), match.group(5), match.group(6))
        if " ".join(html_module.unescape(text).split()) not in texts:
            return match.group(0)
        return f'{before}<span lang="{source.tag}" dir="{source.dir}">{text}</span>{after}'

    return _TITLES.sub(wrap, page)


_HEAD_HREFLANG = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
_SEARCH_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)"')


def oracle_finish(output: str, current: Language, run: Any, shim: str | None = None) -> str:
    """``klartext.plugin.html.finish`` as it was (``shim``: the offline copy's worker shim or None)."""
    output = _HEAD_HREFLANG.sub("", output)
    output = output.replace("<html ", f'<html dir="{current.dir}" ', 1)
    if not current.default:
        output = _SEARCH_BASE.sub(
            lambda match: f'{match.group(1)}{match.group(2).rstrip("/")}/{current.code}/"', output, 1)
    output = oracle_mark_titles(output, run.fallbacks, SOURCE)
    output = oracle_mark_foreign_runs(output, current.tag, SOURCE.tag)
    output = oracle_mark_source_names(output, current.tag, SOURCE.tag, run.source_names)
    if 'id="__toc"' not in output:
        output = output.replace('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">')
    for code, language in run.languages.items():
        if language.hreflang != code:
            output = output.replace(f'hreflang="{code}"', f'hreflang="{language.hreflang}"')
    if run.command == "serve":
        return output
    return csp.add_policy(output, shim)
