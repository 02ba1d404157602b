"""Sentences of a line of text: where Leichte Sprache starts a new line.

Pure text, no language tools: used when rendering Leichte Sprache (one sentence per line on the
site and in the PDF) and by the Leichte Sprache checker (a line in the data that holds more
than one sentence).
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?…]+[“”\"»«)’']*(?=\s+[„“\"»«(]?[A-ZÄÖÜ0-9])")
"""The end of a sentence: full stop, question or exclamation mark (and closing quotes), followed by
a space and a word that starts with a capital letter or a digit."""
_NO_END = re.compile(r"(?:^|[\s(])(?:\d{1,2}|[A-Za-zÄÖÜäöü]|z\.\s?B|d\.\s?h|u\.\s?a|usw|bzw|ca|etc|evtl|ggf|inkl|"
                     r"vgl|sog|Nr|Tel|Str|Dr|Hr|Fr|Abs|bspw|St|Prof)\.$")
"""A dot that does not end a sentence: an ordinal („am 2. Oktober“) or an abbreviation („z. B.“)."""


def split_sentences(line: str) -> list[str]:
    """``line`` split into its sentences, each stripped; an empty line gives an empty list."""
    sentences, start = [], 0
    for match in _END.finditer(line):
        if _NO_END.search(line[start:match.end()]):
            continue
        sentences.append(line[start:match.end()].strip())
        start = match.end()
    rest = line[start:].strip()
    if rest:
        sentences.append(rest)
    return [sentence for sentence in sentences if sentence]


_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|<|\||```|~~~|\[\[|\{[:#.%]|!!!|\?\?\?|---|===)")
"""A line that starts a Markdown block of its own (heading, list item, quote, HTML, table, fence …)."""


def keep_line_breaks(markdown: str) -> str:
    """Markdown whose line breaks inside paragraphs and list items stay line breaks.

    Markdown joins the lines of a paragraph into one; Leichte Sprache writes one sentence per line,
    so every line that the next line continues ends with a hard line break (two spaces). Fenced
    code, HTML blocks, headings and the line before a new block stay as they are.
    """
    lines = markdown.split("\n")
    fenced = False
    for index, line in enumerate(lines[:-1]):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        following = lines[index + 1]
        if (fenced or not stripped or not following.strip() or stripped.startswith(("#", "<", "|", "[[", "{"))
                or _BLOCK_START.match(following) or line.endswith("  ")):
            continue
        lines[index] = line.rstrip() + "  "
    return "\n".join(lines)
