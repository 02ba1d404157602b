"""Interface labels: every language has every label, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import ROOT, read_config
from klartext.labels import LABELS_DIR, read_labels

PLURAL = re.compile(r"\.(zero|one|two|few|many|other)$")
_I18N = next(p["i18n"] for p in read_config(ROOT / "mkdocs.yml")["plugins"] if isinstance(p, dict) and "i18n" in p)
CONFIGURED = [entry["locale"] for entry in _I18N["languages"]]


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


@pytest.mark.parametrize("code", [code for code in CONFIGURED if code != "de"])
def test_every_label_exists_with_the_same_placeholders(code: str) -> None:
    german = {key: value for key, value in read_labels("de").items() if not key.startswith("term.")}
    labels = {key: value for key, value in read_labels(code).items() if not key.startswith("term.")}
    assert labels, f"{LABELS_DIR}/{code}.yml is missing"
    singular_keys = {key for key in german if not PLURAL.search(key)}
    assert sorted(singular_keys - set(labels)) == []
    assert sorted(key for key in labels if not PLURAL.search(key) and key not in german) == []
    for key in singular_keys:
        assert _placeholders(labels[key]) == _placeholders(german[key]), key
    for stem in {PLURAL.sub("", key) for key in german if PLURAL.search(key)}:
        assert f"{stem}.other" in labels, stem
        forms = [key for key in labels if PLURAL.sub("", key) == stem]
        assert all(_placeholders(labels[key]) <= {"n"} for key in forms), stem


@pytest.mark.parametrize("code", CONFIGURED)
def test_every_term_form_a_label_uses_has_a_default(code: str) -> None:
    """Term forms (``{term:measure.plural}``) differ by language; each language defines the ones it uses."""
    from klartext.labels import load_labels
    from klartext.terms import TERMS, default_forms, used_forms

    table = read_labels(code)
    defaults = default_forms(table)
    for term, forms in used_forms(table).items():
        assert term in TERMS, term
        assert forms <= set(defaults.get(term, {})), (term, forms - set(defaults.get(term, {})))
    labels = load_labels(code, [] if code == "de" else ["de"])
    assert not [text for text in labels.own_texts() if "{term:" in text]


def test_a_build_after_the_first_reads_each_labels_table_from_the_cache_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The serial start of a build checks every language's labels (0.02 s of parsing the seven files):
    a later build finds each table, by the file's text, next to the parsed data files."""
    import yaml

    from klartext import labels, loading

    folder = tmp_path / "labels"
    folder.mkdir()
    (folder / "xx.yml").write_text("a:\n  b: Eins\nc: 2\n", encoding="utf-8")
    monkeypatch.setattr(loading, "_DISK", loading._DISK)  # restored after the test
    loading.remember_on_disk(tmp_path / "cache")
    parsed = []
    load = yaml.load
    monkeypatch.setattr(yaml, "load", lambda *args, **kwargs: parsed.append(1) or load(*args, **kwargs))
    labels._read.cache_clear()
    first = labels.read_labels("xx", folder)
    labels._read.cache_clear()  # the next build: a new process
    assert labels.read_labels("xx", folder) == first == {"a.b": "Eins", "c": "2"}
    assert len(parsed) == 1
    (folder / "xx.yml").write_text("a:\n  b: Zwei\n", encoding="utf-8")  # edited: parsed again
    labels._read.cache_clear()
    assert labels.read_labels("xx", folder) == {"a.b": "Zwei"}
    assert len(parsed) == 2
    loading.remember_on_disk(None)
    labels._read.cache_clear()
    assert labels.read_labels("xx", folder) == {"a.b": "Zwei"} and len(parsed) == 3  # no cache folder: parsed
    labels._read.cache_clear()
