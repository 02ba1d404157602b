"""``./klartext check``: check the data folder without building the site.

Prints every problem in German with file and line (warnings too) and exits with 1 when there is an
error, so staff and CI learn about all mistakes at once, in about a second.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from klartext.cli import _languages
from klartext.configfile import data_dir, read_config
from klartext.controlling import SettingsError, read_settings
from klartext.problems import DataError, Problem
from klartext.quality import check_quality, file_placeholders
from klartext.validation import load_concept, rule_errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./klartext check", description="Daten prüfen, ohne zu bauen")
    parser.add_argument("--config", default="mkdocs.yml", help="Pfad zur mkdocs.yml")
    args = parser.parse_args(argv)
    config_path = Path(args.config).resolve()
    root = config_path.parent
    others = [code for code in _languages(config_path) if code != "de"]
    config = read_config(config_path)
    docs = root / str(config.get("docs_dir") or "docs")

    def rules(data: Any) -> list[Problem]:  # the configurable data-quality rules
        settings = read_settings(((config.get("extra") or {}).get("klartext") or {}).get("controlling"), data)
        return (check_quality(data, settings)
                + file_placeholders(root, [config_path, *sorted(docs.rglob("*.md"))], settings))

    try:
        try:
            data, warnings = load_concept(data_dir(config_path), others, root, docs)
        except DataError as error:
            raise DataError(error.problems + rule_errors(error, rules)) from None
        findings = rules(data)
        if any(finding.severity == "error" for finding in findings):
            raise DataError(findings + warnings)
        warnings += findings
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 1
    for warning in warnings:
        print(warning)
    print("Die Daten sind in Ordnung." if not warnings else
          f"Die Daten sind in Ordnung ({len(warnings)} Hinweise, siehe oben).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
