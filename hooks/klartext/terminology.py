"""One term, one translation: a translation whose German source uses a listed term must use the
term's approved rendering in its language.

The term list is a data collection (``terminology:`` in ``data/terminology.yml``): for each term the
German forms that count as the term and the approved renderings per language. Patterns are words;
``*`` stands for any letters (an ending, or an Arabic prefix such as ``ال`` or ``ل``). Checked are
every translated text of the data and every interface label; findings are warnings with file and
line, shown by ``klartext check`` and the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from klartext.labels import LABELS_DIR, load_labels
from klartext.problems import Problem


@dataclass(frozen=True)
class Rule:
    """A listed term, compiled: German patterns and approved patterns per language."""

    id: str
    term: str
    german: re.Pattern
    approved: dict[str, tuple[re.Pattern, tuple[str, ...]]]


@lru_cache(maxsize=512)
def pattern(words: tuple[str, ...], ignore_case: bool = True) -> re.Pattern:
    """One regular expression for alternative patterns such as ``Handlungsfeld*`` or ``*مجال* العمل``
    (German patterns match case-sensitively: „Angebote“ is the noun, „angeboten“ the verb)."""
    alternatives = []
    for item in words:
        parts = [re.escape(word).replace(r"\*", r"[\w\-]*") for word in item.split()]
        alternatives.append(r"\s+".join(parts))
    return re.compile(r"(?<![\w\-])(?:" + "|".join(alternatives) + r")(?![\w\-])",
                      re.IGNORECASE if ignore_case else 0)


def rules(data: Any) -> list[Rule]:
    """The term list of the concept, compiled."""
    found = []
    for entry in getattr(data, "terminology", []):
        approved = {lang: (pattern(tuple(forms)), tuple(forms)) for lang, forms in entry.approved.items() if forms}
        found.append(Rule(entry.id, entry.de[0].replace("*", ""), pattern(tuple(entry.de), False), approved))
    return found


def _plain(text: str) -> str:
    return text.replace("·", "").replace("\u00ad", "")


def mismatch(rule: Rule, lang: str, german: str, translation: str) -> bool:
    """True when ``german`` uses the term and ``translation`` does not use its approved rendering."""
    approved = rule.approved.get(lang)
    if approved is None or not rule.german.search(_plain(german)):
        return False
    return not approved[0].search(_plain(translation))


def check_texts(data: Any, languages: Iterable[str]) -> list[Problem]:
    """Findings for the translated texts of the data."""
    from klartext.translations import entries

    all_rules = rules(data)
    if not all_rules:
        return []
    problems = []
    languages = list(languages)
    for entry in entries(data):
        german = _plain(entry.text.de)
        used = [rule for rule in all_rules if rule.german.search(german)]
        if not used or not entry.text.translations:
            continue
        for lang in languages:
            translation = entry.text.translations.get(lang)
            if translation is None:
                continue
            text = _plain(translation.text)
            for rule in used:
                approved = rule.approved.get(lang)
                if approved is not None and not approved[0].search(text):
                    problems.append(_finding(translation.file, translation.line, rule, lang, entry.context))
    return problems


def check_labels(data: Any, languages: Iterable[str], project_labels: Path | None = None,
                 root: Path | None = None) -> list[Problem]:
    """Findings for the interface labels (with the concept's terms filled in)."""
    all_rules = rules(data)
    if not all_rules:
        return []
    german = load_labels("de", [], project_labels).bind(data).own()
    problems = []
    for lang in languages:
        labels = load_labels(lang, [], project_labels).bind(data).own()
        lines = _label_lines(lang, project_labels)
        for key, translated in labels.items():
            source = german.get(key) or german.get(re.sub(r"\.(zero|one|two|few|many)$", ".other", key))
            if key.startswith("term.") or source is None:
                continue
            for rule in all_rules:
                if mismatch(rule, lang, source, translated):
                    file, line = lines.get(key, (f"labels/{lang}.yml", 0))
                    shown = str(Path(file).relative_to(root)) if root and Path(file).is_relative_to(root) else file
                    problems.append(_finding(shown, line, rule, lang, f"Beschriftung {key}"))
    return problems


def _label_lines(lang: str, project_labels: Path | None) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for folder in (LABELS_DIR, project_labels):
        path = folder / f"{lang}.yml" if folder else None
        if path is None or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.match(r"^([\w.\-]+):", line)
            if match:
                found[match.group(1)] = (str(path), number)
    return found


def _finding(file: str, line: int, rule: Rule, lang: str, where: str) -> Problem:
    forms = " / ".join(f"„{form}“" for form in rule.approved[lang][1])
    return Problem(file, line, (
        f"{lang}: Der deutsche Text verwendet „{rule.term}“, die Übersetzung aber nicht die vereinbarte "
        f"Übersetzung {forms} ({where}). Bitte angleichen, damit ein Begriff überall gleich heißt, oder "
        f"die Begriffsliste (terminology, Eintrag „{rule.id}“) ergänzen. * steht für eine beliebige Endung."),
        "warning")


def check_pages(data: Any, languages: Iterable[str], docs_dir: Path, root: Path | None = None) -> list[Problem]:
    """Findings for hand-written pages: ``docs/x.md`` against ``docs/x.<lang>.md``, paragraph by
    paragraph when both have as many paragraphs, else page against page."""
    all_rules = rules(data)
    if not all_rules or not docs_dir.is_dir():
        return []
    problems = []
    for german_page in sorted(docs_dir.glob("*.md")):
        if german_page.stem.count("."):
            continue
        german = _paragraphs(german_page.read_text(encoding="utf-8"))
        for lang in languages:
            page = german_page.with_name(f"{german_page.stem}.{lang}.md")
            if not page.is_file():
                continue
            translated = _paragraphs(page.read_text(encoding="utf-8"))
            pairs = list(zip(german, translated)) if len(german) == len(translated) else [
                ((1, " ".join(text for _, text in german)), (1, " ".join(text for _, text in translated)))]
            shown = str(page.relative_to(root)) if root and page.is_relative_to(root) else str(page)
            for (_, source), (line, text) in pairs:
                for rule in all_rules:
                    if mismatch(rule, lang, source, text):
                        problems.append(_finding(shown, line, rule, lang, "Seite"))
    return problems


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each paragraph of a Markdown page."""
    found, start, lines = [], None, []
    for number, line in enumerate([*text.splitlines(), ""], 1):
        if line.strip():
            start = start or number
            lines.append(line)
        elif lines:
            found.append((start, " ".join(lines)))
            start, lines = None, []
    return found
