"""Every PDF of the example through the ``pdfua`` checker (PyPI, pikepdf, no JVM).

pdfua checks the machine-checkable subset of PDF/UA-1 (16 of 106 rules in 0.1.3). No error may be
found; the only warning allowed is the one the README lists with its reason (UA-15-003)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ALLOWED_WARNINGS = {"UA-15-003"}
"""Header cells without /Scope: WeasyPrint ties each data cell to its headers with /Headers and /IDs
(PDF/UA-1 7.5 allows either), pdfua 0.1.3 looks only at the header cells (a heuristic rule)."""


def _findings(pdf: Path) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(pdf)],
                            capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(result.stdout)
    assert report["summary"]["rules_run"] >= 11, report["summary"]  # the checker really ran
    return report["findings"]


def test_every_pdf_of_the_example_passes_pdfua(site: Path) -> None:
    pdfs = sorted(site.glob("**/*.pdf"))
    assert len(pdfs) == 7
    for pdf in pdfs:
        findings = _findings(pdf)
        errors = [(f["rule_id"], f["location"], f["message"]) for f in findings if f["severity"] == "error"]
        assert errors == [], (pdf.relative_to(site), errors[:5], len(errors))
        warnings = {f["rule_id"] for f in findings if f["severity"] != "error"}
        assert warnings <= ALLOWED_WARNINGS, (pdf.relative_to(site), warnings)


def test_decorative_images_are_artifacts_not_figures() -> None:
    """Icons beside a state's name and bars beside their value become backgrounds (artifacts)."""
    from klartext.pdf import decorative_svgs_as_backgrounds

    html = ('<p><span class="kt-icon" aria-hidden="true"><svg viewBox="0 0 24 24"><path d="M0 0h24"/></svg></span>'
            ' Geplant</p><span class="kt-chart__track"><svg viewBox="0 0 100 10"><rect class="kt-fig-seg kt-fig-seg--0" '
            'width="40" height="7" fill="#283593"/></svg></span><figure><svg><title>Karte</title></svg></figure>')
    result = decorative_svgs_as_backgrounds(html)
    assert result.count("<svg") == 1 and "<title>Karte</title>" in result  # a real figure stays
    assert result.count("background-image: url('data:image/svg+xml;base64,") == 2
    assert "Geplant" in result


def test_progress_meter_bar_is_an_artifact_not_a_figure() -> None:
    """The bar of a measure's progress (its percentage stands beside it) was an untitled Figure: an error
    per measure with progress in PDF/UA (UA-13-004)."""
    from klartext.pdf import decorative_svgs_as_backgrounds

    html = ('<dd><span class="kt-meter"><span class="kt-meter__text">66 %</span><svg class="kt-meter__bar" '
            'viewBox="0 0 100 8" preserveAspectRatio="none" width="100" height="10" aria-hidden="true" '
            'focusable="false"><rect class="kt-meter__track" width="100" height="8" fill="#e8eaf6"/><rect '
            'class="kt-meter__fill" x="0" width="66" height="8" fill="#283593"/></svg> <span '
            'class="kt-meter__note">(3 von 3)</span></span></dd>')
    result = decorative_svgs_as_backgrounds(html)
    assert "<svg" not in result
    assert result.count('<span class="kt-meter__bar" aria-hidden="true" style="background-image: url(') == 1
    assert "66 %</span><span class=\"kt-meter__bar\"" in result and "(3 von 3)" in result
