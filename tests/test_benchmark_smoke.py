"""The benchmark script runs end to end at the smallest size and prints the tables it promises.

No timing limits: the figures depend on the machine; only their presence and sign are checked.
"""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import ROOT


def _table(text: str, header: str) -> list[list[str]]:
    lines = text[text.index(header):].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| "))
    rows = []
    for line in lines[start:]:
        if not line.startswith("| "):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _number(cell: str) -> float:
    return float(re.match(r"[\d.]+", cell)[0])


def test_smoke_run_prints_every_figure() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--no-pdf",
                             "--no-preview"], capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "- machine: " in out and "- Python 3." in out and "mkdocs-material 9." in out

    figures = _table(out, "## Figures")
    assert figures[0] == ["figure", "Klartext", "plain mkdocs-material", "ratio", "target", "result"]
    rows = {row[0].split(" (")[0]: row for row in figures[2:]}
    build = rows["site build, no PDF"]
    ours, plain, ratio = _number(build[1]), _number(build[2]), _number(build[3])
    assert ours > 0 and plain > 0 and abs(ratio - ours / plain) < 0.01 * ratio + 0.01  # printed values are rounded
    assert build[5] in ("met", "missed")
    pages = re.search(r"\((\d+) / (\d+) pages\)", figures[2][0])
    assert int(pages[1]) > 150 and abs(int(pages[1]) - int(pages[2])) <= 7  # same page count, +-1 per language
    words = rows["site build, no PDF, against plain Material with the same words"]
    ours, same, ratio = _number(words[1]), _number(words[2]), _number(words[3])
    assert ours > 0 and same > 0 and abs(ratio - ours / same) < 0.01 * ratio + 0.01
    pages = re.search(r"\((\d+) / (\d+) pages\)", words[0])
    assert int(pages[1]) == int(pages[2]) > 150  # one page with our words for each of our pages
    assert _number(rows["site build, no PDF, first build"][1]) > 0
    assert _number(rows["peak RSS, build process / largest language-variant process, no PDF"][1]) > 20
    largest = rows["peak RSS of any build process"]
    assert "18 measures" in largest[0] and _number(largest[1]) > 20
    weight = rows["page weight, measure page"]
    assert _number(weight[1]) > 10  # kB: HTML, CSS, JS at least

    scaling = _table(out, "## Scaling")
    assert scaling[0][:3] == ["measures", "pages", "Klartext s"]
    assert [row[0] for row in scaling[2:]] == ["9", "18"]
    assert scaling[0][8:] == ["all PDFs s (pages)", "PDF worker RSS MB"]
    assert all(_number(cell) > 0 for row in scaling[2:] for cell in row[:8])
    assert all(cell == "-" for row in scaling[2:] for cell in row[8:])  # --no-pdf
    assert int(scaling[3][1]) > int(scaling[2][1])  # more measures, more pages
    assert "Linear fit of Klartext build time over pages" in out


def test_folding_benchmark_prints_both_columns() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "folding.py"), "--smoke"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    rows = _table(result.stdout, "| text")
    assert rows[0] == ["text (MB, with spaces)", "ruamel's folding (s)", "growth", "Klartext's folding (s)", "growth"]
    assert len(rows) == 5
    assert all(_number(row[1]) > 0 and _number(row[3]) > 0 for row in rows[2:])


def test_memory_of_a_process_below_a_child_is_not_the_builds(tmp_path) -> None:
    """A PDF worker renders each PDF in a process of its own: that process's memory is a worker's figure,
    not the build process's (the bench read 551 MB as the build's peak)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run
    finally:
        sys.path.pop(0)
    grandchild = "b = bytearray(200 << 20); import time; time.sleep(1.5)"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}], check=True)"
    build = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    measured = run.measure([sys.executable, "-c", build], tmp_path)
    assert measured.children_mb >= 200
    assert measured.main_mb < 100
