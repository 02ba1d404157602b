"""Search-index benchmark: generated pages divided by our quick way (klartext.search_markup.quick_sections),
by our per-tag splitter (search_markup.sections) and by Material's html.parser pass, on the synthetic
concept (default 150 measures x 9 fields x all variants).

Run: .venv/bin/python benchmarks/search_index.py [--measures 150] [--rounds 2]

Builds the same project alternately all three ways (sequential build, KLARTEXT_PARALLEL=0, no PDFs, so one
process holds every variant and its timer sees all pages), in one run, after one warm-up build; prints
per build the wall and CPU time and the CPU seconds spent in the search plugin's ``add_entry_from_context`` for generated and hand-written pages,
the load average beside them, and whether the builds' search indexes are byte-identical.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import SEED, configured_languages, generate  # noqa: E402

RUNNER = """
import json, sys, time
import klartext.plugin.search as search
from klartext import search_markup
from klartext.plugin.htmlpage import HtmlPage

mode, report = sys.argv[1], sys.argv[2]
totals = {"generated": 0.0, "hand_written": 0.0, "generated_pages": 0}
cheap = search.index_generated_pages_cheaply

if mode == "splitter":  # every generated page through the per-tag splitter
    search_markup.quick_sections = lambda page: None

def install(config):
    if mode in ("ours", "splitter"):
        cheap(config)
    index = search._search_index(config)
    if index is None or getattr(index, "bench_timed", False):
        return
    inner = index.add_entry_from_context

    def timed(page):
        started = time.process_time()
        inner(page)
        kind = "generated" if isinstance(page, HtmlPage) else "hand_written"
        totals[kind] += time.process_time() - started
        totals["generated_pages"] += kind == "generated"

    index.add_entry_from_context = timed
    index.bench_timed = True

search.index_generated_pages_cheaply = install
from mkdocs.__main__ import cli
try:
    cli(["build"])
finally:
    with open(report, "w") as out:
        json.dump(totals, out)
"""


def build(project: Path, mode: str, work: Path) -> dict:
    shutil.rmtree(project / "site", ignore_errors=True)
    report = work / f"{mode}.json"
    env = {**os.environ, "KLARTEXT_PDF": "0", "KLARTEXT_PARALLEL": "0", "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "hooks"), os.environ.get("PYTHONPATH")]))}
    load = os.getloadavg()[0]
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", RUNNER, mode, str(report)], cwd=project, env=env,
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    if result.returncode:
        sys.exit(result.stdout[-3000:] + result.stderr[-3000:])
    figures = json.loads(report.read_text())
    kept = work / f"site-{mode}"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.move(project / "site", kept)
    return {**figures, "seconds": seconds, "cpu": cpu_seconds, "load": load, "site": kept}


def same_indexes(first: Path, second: Path) -> bool:
    indexes = sorted(path.relative_to(first) for path in first.rglob("search/search_index.json"))
    return bool(indexes) and all(filecmp.cmp(first / path, second / path, shallow=False) for path in indexes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=150)
    parser.add_argument("--fields", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="klartext-search-bench-") as folder:
        work = Path(folder)
        project = generate(work / "project", measures=args.measures, fields=args.fields, seed=SEED,
                           languages=configured_languages())
        build(project, "ours", work)  # warm-up: the caches (Leichte Sprache findings, templates) filled
        modes = ("material", "splitter", "ours")
        names = {"material": "Material parser", "splitter": "per-tag splitter", "ours": "quick way"}
        runs: dict[str, list[dict]] = {mode: [] for mode in modes}
        for _ in range(args.rounds):
            for mode in modes:
                runs[mode].append(build(project, mode, work))
        print(f"{args.measures} measures x {args.fields} fields x {len(configured_languages()) + 1} variants, "
              f"sequential build without PDFs, {args.rounds} alternating rounds\n")
        print("| build | generated pages | indexing generated pages (CPU s) | indexing hand-written (CPU s) "
              "| build CPU (s) | build wall (s) | load avg (1 min) at start |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for number in range(args.rounds):
            for mode in modes:
                run = runs[mode][number]
                print(f"| {names[mode]} (round {number + 1}) "
                      f"| {run['generated_pages']} | {run['generated']:.2f} | {run['hand_written']:.2f} "
                      f"| {run['cpu']:.1f} | {run['seconds']:.1f} | {run['load']:.1f} |")
        def median(mode: str, key: str) -> float:
            return statistics.median(run[key] for run in runs[mode])

        for base in ("material", "splitter"):
            print(f"\nmedians, quick way / {names[base]}: indexing generated pages "
                  f"{median('ours', 'generated') / median(base, 'generated'):.2f}, "
                  f"build CPU {median('ours', 'cpu') / median(base, 'cpu'):.2f}, "
                  f"build wall {median('ours', 'seconds') / median(base, 'seconds'):.2f}")
        same = all(same_indexes(work / "site-ours", work / f"site-{base}")
                   for base in ("material", "splitter"))
        print(f"search indexes byte-identical (all three ways): {same}")


if __name__ == "__main__":
    main()
