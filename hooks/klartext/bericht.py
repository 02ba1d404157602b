"""``klartext bericht NAME``: freeze the current data as a dated status report (``data/reports/NAME.yml``).

The data is checked first (a report of broken data is refused); an existing report is never replaced.
Messages are German.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from klartext.cli import _languages
from klartext.configfile import data_dir as configured_data_dir
from klartext.problems import DataError, relative
from klartext.reports import FOLDER, NAME, write_report
from klartext.text import PartialDate
from klartext.validation import load_concept


class _Parser(argparse.ArgumentParser):
    """Staff read the mistakes of a call in German too."""

    def error(self, message: str) -> None:  # type: ignore[override]
        if "required" in message:
            message = "Bitte den Namen des Berichts angeben, z. B.: klartext bericht 3-sachstandsbericht"
        elif "unrecognized arguments" in message:
            message = f"Unbekannte Angaben: {message.split(':', 1)[1].strip()} (Hilfe: klartext bericht --hilfe)"
        self.exit(2, f"{message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(
        prog="klartext bericht",
        description="Den aktuellen Stand der Daten als Bericht einfrieren (data/reports/NAME.yml). Die Website "
                    "zeigt dann je Bericht eine Seite und was sich seitdem geändert hat.")
    parser.add_argument("--config", default="mkdocs.yml", help="Pfad zur mkdocs.yml")
    parser.add_argument("name", help="Name des Berichts und der Datei, z. B. 3-sachstandsbericht")
    parser.add_argument("--titel", help="Titel, wie er auf der Website steht (Standard: der Stand aus "
                                        "data/concept.yml, z. B. „2. Sachstandsbericht“)")
    parser.add_argument("--datum", help="Datum des Berichts als JJJJ-MM-TT (Standard: heute)")
    parser.add_argument("--notiz", help="Bemerkung zum Bericht, z. B. „im Ausschuss vorgestellt“")
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --hilfe or a wrong call: its exit code, to the caller
        return int(stop.code or 0)

    config_path = Path(args.config).resolve()
    root = config_path.parent
    if not NAME.match(args.name):
        print(f"„{args.name}“ ist als Name eines Berichts nicht möglich: bitte nur Kleinbuchstaben, Ziffern und "
              "einzelne Bindestriche verwenden, z. B. „3-sachstandsbericht“.", file=sys.stderr)
        return 2
    try:
        date = PartialDate._validate(args.datum) if args.datum else None
    except Exception:  # noqa: BLE001 - pydantic's custom error: any failure means a wrong date
        print(f"--datum: „{args.datum}“ ist kein gültiges Datum. Bitte als JJJJ-MM-TT schreiben, z. B. "
              "2024-11-30.", file=sys.stderr)
        return 2
    data_dir = configured_data_dir(config_path)
    target = data_dir / FOLDER / f"{args.name}.yml"
    if target.exists():
        print(f"Den Bericht „{args.name}“ gibt es schon ({relative(target, root)}). Ein Bericht wird nie "
              "überschrieben: bitte einen anderen Namen wählen. (Soll der alte Bericht wirklich ersetzt "
              "werden, die Datei zuerst selbst löschen.)", file=sys.stderr)
        return 1
    languages = [code for code in _languages(config_path) if code != "de"]
    try:
        data, _ = load_concept(data_dir, languages, root)
    except DataError as error:
        print(error, file=sys.stderr)
        print("Kein Bericht geschrieben: Ein Bericht friert nur geprüfte Daten ein.", file=sys.stderr)
        return 1
    if date is None:
        from klartext.reports import today

        date = PartialDate._validate(today())
    title = (args.titel or "").strip() or data.concept.stage.de
    try:
        path = write_report(data_dir, args.name, title, date, data, (args.notiz or "").strip() or None)
    except FileExistsError:
        print(f"Den Bericht „{args.name}“ gibt es schon ({relative(target, root)}). Ein Bericht wird nie "
              "überschrieben: bitte einen anderen Namen wählen.", file=sys.stderr)
        return 1
    except OSError as error:
        from klartext.publish import explain

        print(f"Der Bericht kann nicht gespeichert werden: {explain(error, 'Schreibrechte für data/ geben')}",
              file=sys.stderr)
        return 1
    print(f"{relative(path, root)} geschrieben: „{title}“ vom {date} (eingefroren: Maßnahmen {len(data.measures)}, "
          f"Indikatoren {len(data.indicators)}).")
    print("Bitte die Datei prüfen und zusammen mit den Daten speichern (z. B. git add und git commit). Die "
          "Website zeigt ab dem nächsten Bauen eine Seite zu diesem Bericht und was sich seitdem ändert.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
