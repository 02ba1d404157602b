"""Interface labels of the generated pages, one YAML file per language in ``labels/``."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import yaml

from klartext.loading import remember, remembered
from klartext.terms import CityTerms, forms_for, resolve_table, terms_of

LABELS_DIR = Path(__file__).parent / "labels"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the same result, several times faster


class Labels:
    """Labels of one language, falling back along a chain (e.g. ``ls`` -> ``de``)."""

    def __init__(self, chain: list[dict[str, str]], codes: list[str] | None = None,
                 terms: CityTerms | None = None) -> None:
        self._raw = chain
        self._codes = codes or ["de"] * len(chain)
        self._terms = terms
        self._chain = [resolve_table(table, forms_for(code, table, terms), code in ("de", "ls"))
                       for code, table in zip(self._codes, chain)]

    def bind(self, data: Any) -> Labels:
        """These labels with the terms the concept ``data`` names (its measures, its kind, ...)."""
        terms = terms_of(data)
        if terms is self._terms:
            return self
        return Labels(self._raw, self._codes, terms)

    def __call__(self, key: str, **values: Any) -> str:
        """The label ``key``, with ``{placeholders}`` filled from ``values``."""
        for table in self._chain:
            if key in table:
                return table[key].format(**values) if values else table[key]
        raise KeyError(f"label {key!r} is missing in every language file")

    def plural(self, key: str, category: str, n: int) -> str:
        """The plural form ``key.<category>`` of the language itself, else ``key.other``."""
        own = self._chain[0]
        chosen = f"{key}.{category}" if f"{key}.{category}" in own else f"{key}.other"
        if chosen not in own and f"{key}.{category}" in self._chain[-1]:
            chosen = f"{key}.{category}"
        return self(chosen, n=n)

    def missing_in(self, other: Labels) -> list[str]:
        """Keys of this language's own table that ``other``'s own table lacks (plural forms aside)."""
        own = other._chain[0]
        plural = ("zero", "one", "two", "few", "many", "other")
        return sorted(key for key in self._chain[0]  # term forms differ by language's grammar
                      if key not in own and key.rsplit(".", 1)[-1] not in plural and not key.startswith("term."))

    def own(self) -> dict[str, str]:
        """The language's own labels (terms filled in), without fallbacks."""
        return dict(self._chain[0])

    def own_texts(self) -> list[str]:
        """Every label text of the language itself (e.g. to check that a font can print it)."""
        return list(self._chain[0].values())


def load_labels(code: str, fallbacks: list[str], project_folder: Path | None = None) -> Labels:
    """Labels for ``code``, falling back to each of ``fallbacks`` in turn.

    A project may bring label files of its own (``extra.klartext.labels_dir``); they add languages
    and override single labels of the built-in files.
    """
    chain = []
    for lang in (code, *fallbacks):
        table = read_labels(lang)
        if project_folder is not None:
            table = {**table, **read_labels(lang, project_folder)}
        chain.append(table)
    return Labels(chain, [code, *fallbacks])


def read_labels(code: str, folder: Path = LABELS_DIR) -> dict[str, str]:
    """The flat ``{key: label}`` table of one language file (empty when there is none)."""
    path = folder / f"{code}.yml"
    if not path.is_file():
        return {}
    stat = path.stat()
    return dict(_read(path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int, size: int) -> dict[str, str]:
    """Parsed once per file version: a build asks for each language's labels several times. A build
    after the first reads each file's table from the project's cache folder (next to the parsed data
    files, :func:`klartext.loading.remember_on_disk`) instead of parsing it (14start: the seven files
    took about 0.02 s of the serial start before the language variants fork)."""
    text = path.read_text(encoding="utf-8")
    name = f"labels {path}"
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16, key=_fingerprint()).digest()
    table = remembered(name, digest)
    if table is None:
        table = _flatten(yaml.load(text, Loader=_LOADER) or {})
        remember(name, digest, table)
    return table


@functools.lru_cache(maxsize=1)
def _fingerprint() -> bytes:
    """What, besides a file's text, decides its table: this module's source (``_flatten``), PyYAML with
    or without libyaml."""
    digest = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16)
    digest.update(f"{yaml.__version__} {_LOADER.__name__}".encode())
    return digest.digest()


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat
