"""Staff commands: ``./klartext schema``, ``./klartext tabelle``, ``./klartext leichte-sprache``.

Messages are German; the exit code is non-zero when the data is broken or something was refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from klartext.cli import _languages
from klartext.configfile import data_dir as configured_data_dir
from klartext.configfile import read_config
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
    preview = commands.add_parser("vorschau", help="schnelle Vorschau einer Sprache (Standard: de)")
    preview.add_argument("language", nargs="?", default="de", help="Sprache, z. B. de, ls, en")
    preview.add_argument("--adresse", default="127.0.0.1:8000", help="Adresse des Vorschau-Servers")
    serve = commands.add_parser("serve", help="Vorschau aller Sprachen (mkdocs serve)")
    serve.add_argument("--adresse", "-a", "--dev-addr", dest="adresse", help="Adresse des Servers")
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "serve":
        parser.error(f"unbekannte Angaben: {' '.join(rest)}")

    config_path = Path(args.config).resolve()
    root = config_path.parent
    languages = _languages(config_path)
    data_dir = configured_data_dir(config_path)
    if args.command == "vorschau":
        return _preview(config_path, languages, args.language, args.adresse)
    if args.command == "serve":
        return _serve(config_path, args.adresse, rest)
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
            try:
                spreadsheet.export_workbook(data, Path(args.file))
            except OSError as error:
                from klartext.publish import explain

                print(f"{args.file} kann nicht geschrieben werden: {explain(error, 'einen anderen Ort angeben')}",
                      file=sys.stderr)
                return 1
            print(f"{args.file} geschrieben (Blätter „Maßnahmen“ und „Messwerte“).")
            return 0
        try:
            report = spreadsheet.import_workbook(Path(args.file), data_dir, root,
                                                 [code for code in languages if code != "de"])
        except OSError as error:
            from klartext.publish import explain

            print(f"Die Änderungen können nicht gespeichert werden: "
                  f"{explain(error, 'Schreibrechte für data/ geben')}", file=sys.stderr)
            return 1
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

    settings = _klartext_settings(config_path)  # the same settings and labels as the build
    labels_dir = settings.get("labels_dir")
    findings, texts = check_project(data, root, settings.get("leichte_sprache"),
                                    root / labels_dir if labels_dir else None)
    print(format_report(findings, texts))
    return 1 if args.streng and findings else 0


PREVIEW_CONFIG = ".klartext-vorschau.yml"
"""Generated next to mkdocs.yml: the same configuration, building one language only."""


def _preview(config_path: Path, languages: dict[str, str], language: str, address: str) -> int:
    """Serve one language (no PDFs): a rebuild after saving a data file takes about a second."""
    import os

    if language not in languages:
        print(f"Die Sprache „{language}“ ist nicht eingerichtet. Möglich: {', '.join(languages)}.",
              file=sys.stderr)
        return 2
    root = config_path.parent
    try:  # keep the editor's schemas current (new organisations, goals, states)
        from klartext.schema import write_schemas

        data, _ = load_concept(configured_data_dir(config_path), [code for code in languages if code != "de"],
                               root)
        write_schemas(data, configured_data_dir(config_path), root)
    except DataError:
        pass  # the preview shows the problems
    busy = address_problem(address, f"{_typed()} vorschau {language} --adresse")
    if busy:
        print(busy, file=sys.stderr)
        return 1
    preview = root / PREVIEW_CONFIG
    preview.write_text(preview_config(config_path.read_text(encoding="utf-8"), language), encoding="utf-8")
    print(f"Vorschau ({language}) unter http://{address}/ – beenden mit Strg+C.")
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(preview), "-a", address]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    sys.stdout.flush()
    os.chdir(root)
    os.execve(sys.executable, command, env)  # become the server: a stop signal reaches it directly


def _serve(config_path: Path, address: str | None, rest: list[str]) -> int:
    """``mkdocs serve`` of all languages, after checking that its address is free."""
    import os

    address = address or str(read_config(config_path).get("dev_addr") or "127.0.0.1:8000")
    busy = address_problem(address, f"{_typed()} serve --adresse")
    if busy:
        print(busy, file=sys.stderr)
        return 1
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_path), "-a", address, *rest]
    sys.stdout.flush()
    os.execve(sys.executable, command, {**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def _typed() -> str:
    """How staff called Klartext: the installed command ``klartext`` or the repository's ``./klartext``."""
    return "klartext" if Path(sys.argv[0]).name == "klartext" else "./klartext"


def address_problem(address: str, way_out: str) -> str | None:
    """Why a server cannot listen at ``address`` (``HOST:PORT``), in German with the command that
    works instead (``way_out`` followed by a free address), or None when it can."""
    import errno

    host, _, port_text = address.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return (f"„{address}“ ist keine gültige Adresse. Bitte als Rechner und Port angeben, z. B. "
                f"{way_out} 127.0.0.1:8001")
    port = int(port_text)
    error = _bind_error(host, port)
    if error is None:
        return None
    if error.errno == errno.EADDRINUSE:
        free = next((other for other in range(port + 1, min(port + 100, 65536)) if _bind_error(host, other) is None),
                    port + 1)
        return (f"Die Adresse {host}:{port} ist schon belegt: Dort läuft bereits ein Server, vielleicht eine "
                "Vorschau in einem anderen Fenster. Bitte diese beenden (dort Strg+C) oder eine andere Adresse "
                f"wählen:\n  {way_out} {host}:{free}")
    if error.errno == errno.EACCES:
        return (f"Der Port {port} ist Administratoren vorbehalten (Ports unter 1024). Bitte einen Port ab 1024 "
                f"wählen:\n  {way_out} {host}:8000")
    return (f"Unter der Adresse {host}:{port} kann kein Server starten ({error.strerror}). Bitte eine andere "
            f"Adresse wählen:\n  {way_out} 127.0.0.1:{port}")


def _bind_error(host: str, port: int) -> OSError | None:
    """The error a server would get listening at ``host:port`` (with SO_REUSEADDR, as MkDocs' server)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        return error
    family, kind, protocol, _, where = infos[0]
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(where)
        except OSError as error:
            return error
    return None


def preview_config(text: str, language: str) -> str:
    """``mkdocs.yml`` with ``build_only_locale`` set in the i18n plugin (its own one-language mode)
    and without the search plugin."""
    # no search index in the preview: it is a tenth of a rebuild and staff check content, not search;
    # no site_url: MkDocs would serve under its path, the preview lives at the server's root
    lines = [line for line in text.splitlines()
             if line.strip() != "- search" and not line.startswith("site_url:")]
    for index, line in enumerate(lines):
        if line.strip() in ("- i18n:", "i18n:"):
            following = next(other for other in lines[index + 1:] if other.strip())
            indent = following[: len(following) - len(following.lstrip())]
            lines.insert(index + 1, f"{indent}build_only_locale: {language}")
            return "# Erzeugt von ./klartext vorschau – nicht bearbeiten.\n" + "\n".join(lines) + "\n"
    raise SystemExit("mkdocs.yml: Das Plugin „i18n“ fehlt unter plugins.")


def _klartext_settings(config_path: Path) -> dict:
    return (read_config(config_path).get("extra") or {}).get("klartext") or {}


if __name__ == "__main__":
    sys.exit(main())
