"""Staff and translator commands: ``./klartext i18n status|export|import|stamp``.

Messages are German; the exit code is non-zero when something was refused or is broken.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from klartext.configfile import data_dir as configured_data_dir
from klartext.configfile import read_config
from klartext.problems import DataError
from klartext.translations import (export_po, format_status, import_po, read_po, stamp, status,
                                   unknown_contexts, write_texts)
from klartext.validation import load_concept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./klartext i18n", description="Übersetzungen verwalten")
    parser.add_argument("--config", default="mkdocs.yml", help="Pfad zur mkdocs.yml")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="Übersetzungsstand je Sprache anzeigen")
    export = commands.add_parser("export", help="je Sprache eine PO-Datei schreiben")
    export.add_argument("--out", help="Zielordner (Standard: translations-po im Projekt)")
    export.add_argument("languages", nargs="*", help="Sprachen (Standard: alle)")
    imported = commands.add_parser("import", help="übersetzte PO-Dateien in data/ übernehmen")
    imported.add_argument("files", nargs="+", help="PO-Dateien, benannt nach Sprache (z. B. tr.po)")
    stamped = commands.add_parser(
        "stamp", help="Übersetzungen als geprüft markieren: alle ungeprüften und veralteten einer Sprache, "
                      "oder nur die mit --nur genannten")
    stamped.add_argument("languages", nargs="+")
    stamped.add_argument("--nur", dest="only", action="append", default=[], metavar="KONTEXT",
                         help="nur diesen Text (z. B. measures/elterncafe/title, wie in „i18n status“); "
                              "mehrfach möglich")
    args = parser.parse_args(argv)

    config_path = Path(args.config).resolve()
    root = config_path.parent
    languages = _languages(config_path)
    data_dir = configured_data_dir(config_path)
    try:
        data, _ = load_concept(data_dir, [code for code in languages if code != "de"], root)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    others = [code for code in languages if code != "de"]
    if args.command == "status":
        print(format_status(status(data, others)))
        return 0
    if args.command == "export":
        out = Path(args.out) if args.out else root / "translations-po"
        title = data.concept.title.de
        try:
            out.mkdir(parents=True, exist_ok=True)
            for code in args.languages or others:
                path = out / f"{code}.po"
                export_po(data, code, languages[code], title).save(str(path))
                print(f"{path} geschrieben")
        except OSError as error:
            from klartext.publish import explain

            print(f"Die PO-Dateien können nicht geschrieben werden: {explain(error, 'mit --out einen anderen Ordner angeben')}",
                  file=sys.stderr)
            return 1
        return 0
    if args.command == "import":
        return _import(args.files, data, others, data_dir, root)
    return _stamp(data, data_dir, args.languages, others, args.only)


def _stamp(data: object, data_dir: Path, codes: list[str], others: list[str], only: list[str]) -> int:
    wrong = [code for code in codes if code not in others]
    unknown = unknown_contexts(data, only)
    for code in wrong:
        print(f"Sprache „{code}“ ist nicht eingerichtet (eingerichtet: {', '.join(others)}).", file=sys.stderr)
    for context in unknown:
        print(f"--nur {context}: Diesen Text gibt es nicht. Die Kennungen stehen in „./klartext i18n status“ "
              "(z. B. measures/elterncafe/title).", file=sys.stderr)
    if wrong or unknown:
        return 1
    words = {"unchecked": "war ungeprüft", "outdated": "war veraltet"}
    for code in codes:
        stamped = stamp(data, code, data_dir, only)
        for item in stamped:
            print(f"{code}: {item.where}: {item.context} ({words[item.state]}) als aktuell markiert")
        print(f"{code}: {len(stamped)} Übersetzungen als aktuell markiert")
    return 0


def _import(files: list[str], data: object, others: list[str], data_dir: Path, root: Path) -> int:
    """Import PO files: all or nothing (a refused entry in any file writes no file at all)."""
    refused, texts, reports = False, {}, []
    for name in files:
        code = Path(name).stem
        if code not in others:
            print(f"{name}: Sprache „{code}“ ist nicht eingerichtet (Dateiname = Sprachkürzel).",
                  file=sys.stderr)
            refused = True
            continue
        po, problems = read_po(Path(name), name)
        for line in problems:
            print(line, file=sys.stderr)
        if po is None:
            refused = True
            continue
        report = import_po(data, po, code, data_dir, root, others, write=False)
        for line in report.refused:
            print(f"{code}: abgelehnt: {line}", file=sys.stderr)
        refused = refused or bool(report.refused)
        texts.update(report.texts)
        reports.append((code, report))
    if refused:
        print("Nichts übernommen: bitte die genannten Stellen korrigieren und erneut importieren.",
              file=sys.stderr)
        return 1
    try:
        write_texts(texts)
    except OSError as error:
        from klartext.publish import explain

        print(f"Die Übersetzungen können nicht gespeichert werden: {explain(error, 'Schreibrechte für data/ geben')}",
              file=sys.stderr)
        return 1
    for code, report in reports:
        for line in report.changed:
            print(f"{code}: geändert: {line}")
        print(f"{code}: {len(report.changed)} geändert, {report.skipped} übersprungen (leer oder „fuzzy“)")
    return 0


def _languages(config_path: Path) -> dict[str, str]:
    """Configured variants -> language tag (``ls`` -> ``de``), from the i18n plugin's settings."""
    config = read_config(config_path)
    plugins = config.get("plugins") or []
    i18n = next(entry["i18n"] for entry in plugins if isinstance(entry, dict) and "i18n" in entry)
    return {entry["locale"]: (entry.get("theme") or {}).get("language", entry["locale"])
            for entry in i18n["languages"] if entry.get("build", True) or entry.get("default")}


if __name__ == "__main__":
    sys.exit(main())
