"""Interface labels: every language has every label, with the same placeholders."""

from __future__ import annotations

import re

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
