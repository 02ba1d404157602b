"""Page weight: the bytes each page kind makes a first-time reader's browser load, by resource type.

Run: ./klartext weight [SITE] [--out FILE]   (or .venv/bin/python benchmarks/page_weight.py site/)
Serves the built site on 127.0.0.1 (port 8160 and up), loads the first page of each kind in each
language variant in Debian's Chromium, each in a fresh browser profile (empty cache), and sums the
response bodies per resource type: HTML, CSS, JS, fonts, images, data (search index), other.
"gzip" is the same total compressed as a web server would send it. Prints a Markdown table and
writes it (plus every measured page as JSON) to FILE (default: page-weight.md and page-weight.json).
Asserts nothing: growth shows up in the numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "hooks")]

from browsing import Recorder, launch, one_per_kind, serve, site_pages, variants  # noqa: E402

COLUMNS = ["html", "css", "js", "fonts", "images", "media", "data", "other"]


def measure(site: Path, only: list[str] | None = None) -> list[dict]:
    """One row per measured page: variant, kind, url and bytes per column (plus totals)."""
    from playwright.sync_api import sync_playwright

    pages = [page for page in one_per_kind(site_pages(site)) if only is None or page.variant in only]
    rows = []
    with sync_playwright() as playwright, serve(site) as base:
        browser = launch(playwright)
        for page in pages:
            context = browser.new_context()  # empty cache: what a first visit loads
            visit = Recorder(context, base, site).visit(context.new_page(), page)
            context.close()
            sizes = {column: visit.sizes.get(column, 0) for column in COLUMNS}
            rows.append({"variant": page.variant or "(root)", "kind": page.kind, "url": page.url, **sizes,
                         "total": sum(visit.sizes.values()), "gzip": sum(visit.gzip_sizes.values()),
                         "requests": len(visit.requests), "failed": len(visit.failed)})
        browser.close()
    return rows


def table(rows: list[dict]) -> str:
    """Per page kind: the mean over the language variants measured, in kB (1 kB = 1,000 bytes)."""
    kinds: dict[str, list[dict]] = {}
    for row in rows:
        kinds.setdefault(row["kind"], []).append(row)
    header = ["page kind", "variants", *COLUMNS, "total", "gzip", "requests"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for kind, measured in sorted(kinds.items()):
        cells = [kind, str(len(measured))]
        cells += [f"{mean(row[column] for row in measured) / 1000:.1f}" for column in [*COLUMNS, "total", "gzip"]]
        cells.append(f"{mean(row['requests'] for row in measured):.0f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"), help="built site (default: site/)")
    parser.add_argument("--out", default="page-weight.md", help="Markdown report; JSON goes next to it")
    parser.add_argument("--variant", action="append", help="only this language folder ('' = root); repeatable")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        sys.exit(f"Keine gebaute Website in {site}/ – bitte zuerst ./klartext build ausführen.")
    rows = measure(site, args.variant)
    report = (f"# Page weight of {site.name}/ ({len(variants(site))} language variants)\n\n"
              "Mean kB per page kind over the variants measured; first visit, empty cache.\n\n"
              + table(rows) + "\n")
    out = Path(args.out)
    out.write_text(report, encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(report)
    print(f"written: {out}, {out.with_suffix('.json')}")


if __name__ == "__main__":
    main()
