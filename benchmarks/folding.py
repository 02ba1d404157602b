"""Writing a long text into a data file (PO and spreadsheet import): time against text length.

    .venv/bin/python benchmarks/folding.py            # up to 12 MB (ruamel's own folding up to 1.5 MB)
    .venv/bin/python benchmarks/folding.py --smoke    # tiny sizes: checks that the script works

Both importers write long texts as folded block scalars (``>``), wrapped at 88 characters. ruamel.yaml
0.19 marks each wrap position by copying the whole text once per position (quadratic: a 12 MB text
with spaces took minutes); Klartext's representer (klartext.imports) joins the pieces once. Printed:
seconds per size for both, and the growth factor per doubling of the size (2 = linear, 4 = quadratic).
Nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from klartext.imports import folded, round_trip_yaml  # noqa: E402


def write(text: str, linear: bool) -> float:
    """Seconds to dump a translation file holding ``text`` (the import's write step)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.representer import RoundTripRepresenter

    yaml = round_trip_yaml()
    if not linear:
        yaml.Representer = RoundTripRepresenter  # ruamel's own folding
    document = CommentedMap(measures=CommentedMap(x=CommentedMap(title=CommentedMap(
        text=folded(text), source="0123456789"))))
    start = time.perf_counter()
    yaml.dump(document, io.StringIO())
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes only")
    args = parser.parse_args()
    sizes = [12_000, 24_000, 48_000] if args.smoke else [
        187_500, 375_000, 750_000, 1_500_000, 3_000_000, 6_000_000, 12_000_000]
    old_limit = sizes[2] if args.smoke else 1_500_000
    print("| text (MB, with spaces) | ruamel's folding (s) | growth | Klartext's folding (s) | growth |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    previous: dict[bool, float] = {}
    for size in sizes:
        text = ("Integration " * (size // 12 + 1))[:size].strip()
        cells = []
        for linear in (False, True):
            if not linear and size > old_limit:
                cells += ["(not run: minutes)", "-"]
                continue
            seconds = write(text, linear)
            growth = f"{seconds / previous[linear]:.1f}x" if linear in previous else "-"
            previous[linear] = seconds
            cells += [f"{seconds:.2f}", growth]
        print(f"| {size / 1_000_000:.3f} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
