"""The page-weight report (benchmarks/page_weight.py) covers every page kind; sizes are not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from browsing import site_pages
from helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from page_weight import COLUMNS  # noqa: E402


def test_page_weight_report_covers_every_page_kind(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "weight.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "page_weight.py"), str(site), "--out", str(out),
         "--variant", "", "--variant", "ar"],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    kinds = {page.kind for page in site_pages(site)}
    assert {(row["variant"], row["kind"]) for row in rows} == {
        (page.variant or "(root)", page.kind) for page in site_pages(site) if page.variant in ("", "ar")}
    for row in rows:
        assert row["html"] > 0 and row["css"] > 0 and row["js"] > 0, row
        assert row["total"] == sum(row[column] for column in COLUMNS)
        assert 0 < row["gzip"] < row["total"] and row["failed"] == 0, row
    report = out.read_text(encoding="utf-8")
    assert report.startswith("# Page weight") and "| page kind | variants | html | css | js |" in report
    assert all(f"| {kind} |" in report for kind in kinds)
    assert report in result.stdout
