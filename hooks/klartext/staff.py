"""Staff commands: ``./klartext schema``, ``./klartext tabelle``, ``./klartext leichte-sprache``.

Messages are German; the exit code is non-zero when the data is broken or something was refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from klartext.cli import _languages
from klartext.problems import DataError
from klartext.validation import load_concept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./klartext", description="Werkzeuge für das Integrationsteam")
    parser.add_argument("--config", default="mkdocs.yml", help="Pfad zur mkdocs.yml")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("schema", help="Schemas für den Editor erzeugen (schema/*.json)")
    table = commands.add_parser("tabelle", help="Maßnahmen und Messwerte als Excel-Tabelle")
    table.add_argument("action", choices=["export", "import"])
    table.add_argument("file", help="XLSX-Datei, z. B. konzept.xlsx")
    easy = commands.add_parser("leichte-sprache", help="Texte in Leichter Sprache prüfen")
    easy.add_argument("--streng", action="store_true", help="Exit-Code 1, wenn es Befunde gibt")
    args = parser.parse_args(argv)

    config_path = Path(args.config).resolve()
    root = config_path.parent
    languages = _languages(config_path)
    data_dir = root / "data"
    try:
        data, _ = load_concept(data_dir, [code for code in languages if code != "de"], root)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    if args.command == "schema":
        from klartext.schema import write_schemas

        written = write_schemas(data, data_dir, root)
        for name in written:
            print(f"{name} geschrieben")
        print("Schemas sind aktuell." if not written else f"{len(written)} Dateien geschrieben.")
        return 0
    if args.command == "tabelle":
        from klartext import spreadsheet

        if args.action == "export":
            spreadsheet.export_workbook(data, Path(args.file))
            print(f"{args.file} geschrieben (Blätter „Maßnahmen“ und „Messwerte“).")
            return 0
        report = spreadsheet.import_workbook(Path(args.file), data_dir, root,
                                             [code for code in languages if code != "de"])
        for line in report.problems:
            print(line, file=sys.stderr)
        for line in report.changed:
            print(f"geändert: {line}")
        if report.problems:
            print("Nichts geschrieben: bitte die genannten Zellen korrigieren und erneut importieren.",
                  file=sys.stderr)
            return 1
        print(f"{len(report.changed)} Änderungen übernommen." if report.changed else "Keine Änderungen.")
        return 0
    from klartext.easy_language import check_project, format_report

    findings, texts = check_project(data, root, _easy_settings(config_path))
    print(format_report(findings, texts))
    return 1 if args.streng and findings else 0


def _easy_settings(config_path: Path) -> dict:
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python/name
    config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    return ((config.get("extra") or {}).get("klartext") or {}).get("leichte_sprache") or {}


if __name__ == "__main__":
    sys.exit(main())
