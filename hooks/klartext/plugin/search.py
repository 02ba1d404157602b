"""One search index per language variant, so results come only from the reader's language."""

from __future__ import annotations

import json
import re
from pathlib import Path

from klartext.languages import SOURCE, Language
from klartext.search import index_config

SEARCH_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)"')


def point_at_own_index(output: str, current: Language) -> str:
    """Make the search of a language variant's page load that variant's own index."""
    if current.default:
        return output
    return SEARCH_BASE.sub(
        lambda match: f'{match.group(1)}{match.group(2).rstrip("/")}/{current.code}/"', output, 1)


def split_index(site: Path, languages: dict[str, Language]) -> None:
    """Split Material's one index into one per language variant.

    Language support, pipeline and word separator of each index: see :mod:`klartext.search`.
    """
    path = site / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    offline = path.with_suffix(".js").is_file()
    prefixes = {f"{code}/": language for code, language in languages.items() if not language.default}
    buckets: dict[str, list] = {code: [] for code in languages}
    default = next((code for code, language in languages.items() if language.default), SOURCE.code)
    for doc in index["docs"]:
        prefix = next((prefix for prefix in prefixes if doc["location"].startswith(prefix)), None)
        code = prefixes[prefix].code if prefix else default  # a one-language preview: any language
        buckets[code].append({**doc, "location": doc["location"][len(prefix):] if prefix else doc["location"]})
    for code, docs in buckets.items():
        language = languages[code]
        config = index_config(index["config"], language.tag)
        target = site / language.prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
        target.write_text(text, encoding="utf-8")
        if offline:  # the offline plugin's copy that pages opened from the file system load
            target.with_suffix(".js").write_text(f"var __index = {text}", encoding="utf-8")
