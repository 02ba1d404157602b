"""The console command ``klartext``: one entry point for every staff command of a project.

Every command works on the project in the current folder (the folder with ``mkdocs.yml``) or on the
one named with ``--projekt DIR``; ``./klartext`` at the root of the repository calls this module for
the bundled example. Messages are German.

    klartext neu ORDNER [--name "Stadt X"] [--sprachen de,en,tr,ls]
    klartext [--projekt DIR] build | offline | serve | vorschau | check | i18n | schema | tabelle
             | leichte-sprache | bericht  [weitere Angaben des Befehls]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

COMMANDS = {
    "neu": "neues Projekt für eine Stadt anlegen (klartext neu ORDNER --name \"Stadt X\")",
    "build": "Website bauen (nach site/; die bisherige Fassung bleibt, bis die neue fertig ist)",
    "offline": "Fassung zum Öffnen vom Dateisystem bauen (nach site-offline/)",
    "serve": "Vorschau aller Sprachen, baut bei jedem Speichern neu",
    "vorschau": "schnelle Vorschau einer Sprache (Standard: de)",
    "check": "nur die Daten prüfen (Meldungen mit Datei und Zeile), ohne zu bauen",
    "i18n": "Übersetzungen: status | export | import DATEI.po … | stamp SPRACHE …",
    "schema": "Schemas für den Editor erzeugen (schema/*.json)",
    "tabelle": "Maßnahmen und Messwerte als Excel-Tabelle: export|import DATEI.xlsx",
    "bericht": "den aktuellen Stand als Bericht einfrieren: bericht NAME [--titel T] [--datum JJJJ-MM-TT]",
    "leichte-sprache": "Texte in Leichter Sprache prüfen",
}
CONFIG = "mkdocs.yml"


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["Aufruf: klartext [--projekt ORDNER] BEFEHL [Angaben]", "",
             "Ohne --projekt arbeitet klartext mit dem Projekt im aktuellen Ordner (dem Ordner mit "
             "mkdocs.yml).",
             "", "Befehle:"]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()]
    lines += ["", "Hilfe zu einem Befehl: klartext BEFEHL --hilfe", f"Klartext {_version()}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit code (0: done, 1: problems in the data, 2: wrong call)."""
    args = list(sys.argv[1:] if argv is None else argv)
    args = ["--help" if arg == "--hilfe" else arg for arg in args]
    try:
        project, args = _take_project(args)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if not args or args[0] in ("-h", "--help", "hilfe"):
        print(usage())
        return 0
    if args[0] in ("--version", "version"):
        print(f"Klartext {_version()}")
        return 0
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"Den Befehl „{command}“ gibt es nicht.\n\n{usage()}", file=sys.stderr)
        return 2
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material 9.8's end-of-life banner on every build
    if command == "neu":
        from klartext.scaffold import main as new_project

        return new_project(rest)
    config = _config(project)
    if config is None:
        where = f"im Ordner {project}" if project else "im aktuellen Ordner"
        print(f"Es gibt keine {CONFIG} {where}: Das ist kein Klartext-Projekt. Bitte in den Ordner des "
              "Projekts wechseln, ihn mit --projekt ORDNER angeben oder mit „klartext neu ORDNER“ ein "
              "Projekt anlegen.", file=sys.stderr)
        return 2
    if command in ("build", "offline", "serve", "vorschau", "check"):
        from klartext.problems import format_problems
        from klartext.upgrades import config_problems

        outdated = config_problems(config)
        if outdated:  # MkDocs would stop with an English message about a missing file
            report = format_problems(outdated).replace("Die Daten des Integrationskonzepts enthalten",
                                                       "Die Einstellungen (mkdocs.yml) enthalten")
            print(report, file=sys.stderr)
            return 1
    flag = ["--config", str(config)]
    if command in ("build", "offline"):
        from klartext import publish

        return publish.main([*flag, *(["--offline"] if command == "offline" else []), *rest])
    if command == "serve":
        return _serve(config, rest)
    if command == "check":
        from klartext import check

        return check.main([*flag, *rest])
    if command == "bericht":
        from klartext import bericht

        return bericht.main([*flag, *rest])
    if command == "i18n":
        from klartext import cli

        return cli.main([*flag, *rest])
    from klartext import staff

    return staff.main([*flag, command, *rest])


def _take_project(args: list[str]) -> tuple[Path | None, list[str]]:
    """Remove ``--projekt DIR`` (or ``--projekt=DIR``, ``-p DIR``) wherever it stands before ``--``."""
    project, rest, position = None, [], 0
    while position < len(args):
        arg = args[position]
        if arg == "--":
            rest += args[position:]
            break
        if arg in ("--projekt", "-p"):
            if position + 1 >= len(args):
                raise ValueError("Hinter --projekt fehlt der Ordner des Projekts.")
            project = Path(args[position + 1])
            position += 2
            continue
        if arg.startswith("--projekt="):
            project = Path(arg.partition("=")[2])
        else:
            rest.append(arg)
        position += 1
    return project, rest


def _config(project: Path | None) -> Path | None:
    folder = (project or Path.cwd()).resolve()
    if folder.is_file() and folder.suffix in (".yml", ".yaml"):  # --projekt path/to/mkdocs.yml
        return folder
    config = folder / CONFIG
    return config if config.is_file() else None


def _serve(config: Path, rest: list[str]) -> int:
    """``mkdocs serve`` of the project, run in its folder; becomes the server process (Ctrl+C stops it).
    An address in use is reported in German first (klartext.staff)."""
    from klartext import staff

    os.chdir(config.parent)
    return staff.main(["--config", str(config), "serve", *rest])


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("klartext")
    except PackageNotFoundError:
        return "(aus dem Quellordner)"


if __name__ == "__main__":
    sys.exit(main())
