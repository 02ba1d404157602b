"""Leichte Sprache findings remembered across builds, by text fingerprint.

Checking a text (tagger, word frequencies, readability) is the slow part of the Leichte Sprache check, and
most texts do not change between two builds. :class:`CachedChecker` wraps a checker: a text whose
fingerprint is in the cache file gets its findings from there, every other text is checked and stored.

The fingerprint covers the text and its kind and the checker itself: the source of the module that
defines its rules, the versions of the language libraries, and every setting the checker was made with
(thresholds, glossary terms, allowed words). Changing a rule, a setting or the glossary therefore checks
every text again. The cache file may be deleted at any time; the next build only takes longer.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_FILE = Path(".cache") / "klartext" / "leichte-sprache.json"
"""Below the project root."""

FORMAT = 1
LIBRARIES = ("HanTa", "wordfreq", "textstat")
"""Libraries whose data or version changes what the checks find."""

Result = list[tuple[int, str, str]]


def checker_fingerprint(checker: Any) -> str:
    """What, besides the text, decides the findings: rules (module source), libraries, settings."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    module = sys.modules[type(checker).__module__]
    digest.update(Path(module.__file__).read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"\n{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\n{name}: none".encode())
    for name, value in sorted(vars(checker).items()):
        digest.update(f"\n{name}={_stable(value)}".encode())
    return digest.hexdigest()


def _stable(value: Any) -> str:
    """``repr`` that is the same in every process (sets are ordered by string hash, which varies)."""
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable(item) for item in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{_stable(key)}: {_stable(item)}" for key, item in value.items())) + "}"
    return repr(value)


class CachedChecker:
    """A checker whose per-text results come from ``path`` when the text and the checker are unchanged."""

    def __init__(self, checker: Any, path: Path) -> None:
        self.checker = checker
        self.path = path
        self.fingerprint = checker_fingerprint(checker)
        self.stored = self._load()
        self.used: dict[str, Result] = {}
        self.hits = self.misses = 0

    def __getattr__(self, name: str) -> Any:  # everything else as the checker has it
        return getattr(self.checker, name)

    def check(self, text: str, kind: str = "text") -> Result:
        """The findings of ``text``, as ``checker.check`` gives them."""
        key = hashlib.sha256(f"{self.fingerprint}\n{kind}\n{text}".encode()).hexdigest()
        if key in self.used:
            return self.used[key]
        try:
            result = [(int(offset), str(rule), str(message)) for offset, rule, message in self.stored[key]]
            self.hits += 1
        except (KeyError, TypeError, ValueError):  # not stored (or a damaged entry)
            result = self.checker.check(text, kind)
            self.misses += 1
        self.used[key] = result
        return result

    def save(self) -> None:
        """Write the results of this run (only these: texts no longer checked drop out) if anything changed."""
        if not self.misses and len(self.used) == len(self.stored):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"format": FORMAT, "results": self.used}, ensure_ascii=False),
                                 encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only project still builds; it only checks every time

    def _load(self) -> dict[str, list]:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            if stored.get("format") == FORMAT and isinstance(stored.get("results"), dict):
                return stored["results"]
        except (OSError, ValueError, AttributeError):
            pass  # not there or unreadable: check every text
        return {}
