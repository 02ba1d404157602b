"""Status-report benchmark: what a frozen report costs at the size of a large concept.

Run: .venv/bin/python benchmarks/reports.py [--measures 1200] [--reports 1]
Generates the synthetic concept (benchmarks/synthetic.py), freezes it with klartext.reports, and prints
the report file's size, the time to freeze and write it, the time to load the data folder with and
without the reports (each in a fresh process, so no parse cache helps), and the time to compare the
newest report with the data. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from klartext import reports  # noqa: E402
from klartext.text import PartialDate  # noqa: E402
from klartext.validation import load_concept  # noqa: E402
from synthetic import generate  # noqa: E402

LOAD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {hooks!r})
from klartext.reports import latest_comparison
from klartext.validation import load_concept
started = time.perf_counter()
data, _ = load_concept(Path({data!r}), [], Path({root!r}))
loaded = time.perf_counter()
latest_comparison(data)
print(loaded - started, time.perf_counter() - loaded)
"""


def _load(project: Path) -> tuple[float, float]:
    code = LOAD.format(hooks=str(ROOT / "hooks"), data=str(project / "data"), root=str(project))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    load, compare = map(float, out.split())
    return load, compare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=1200)
    parser.add_argument("--reports", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = generate(Path(folder) / "project", measures=args.measures, fields=9, languages=[])
        data, _ = load_concept(project / "data", [], project)
        without = _load(project)
        started = time.perf_counter()
        for number in range(args.reports):
            path = reports.write_report(project / "data", f"bericht-{number + 1}", "Bericht",
                                        PartialDate(2025, number % 12 + 1), data)
        written = (time.perf_counter() - started) / args.reports
        size, lines = path.stat().st_size, path.read_text(encoding="utf-8").count("\n")
        with_reports = _load(project)
    print(f"measures: {len(data.measures)}, indicators: {len(data.indicators)}, reports: {args.reports}")
    print(f"report file: {size / 1000:.0f} kB, {lines} lines")
    print(f"freeze and write one report: {written:.2f} s")
    print(f"load data without reports: {without[0]:.2f} s; with: {with_reports[0]:.2f} s "
          f"(ratio {with_reports[0] / without[0]:.2f})")
    print(f"compare the newest report with the data: {with_reports[1]:.3f} s")


if __name__ == "__main__":
    main()
