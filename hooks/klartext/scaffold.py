"""``klartext neu ORDNER``: a new city's project that builds at once.

The files come from the package folder ``new_project/`` (package data): ``mkdocs.yml`` naming the plugin
``klartext`` and the chosen languages, ``data/`` with one field, goal, measure, organisation and event
in the city's name, ``docs/``, a ``.gitignore``, ``requirements.txt`` pinning this engine's version and a
short German README for the team. What only the city can say is a placeholder
(:data:`klartext.quality.PLACEHOLDER`), reported by ``klartext check`` until it is filled in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

SCAFFOLD = Path(__file__).resolve().parent / "new_project"
LABELS = Path(__file__).resolve().parent / "labels"
KINDS = ("Landeshauptstadt", "Hansestadt", "Universitätsstadt", "Kreisstadt", "Stadt", "Gemeinde", "Markt")
"""A leading word of ``--name`` that says what kind of place it is (``Stadt Hannover``)."""
LANGUAGE_NAMES = {
    "de": "Deutsch", "en": "English", "ar": "العربية", "tr": "Türkçe", "uk": "Українська", "ru": "Русский",
    "ls": "Leichte Sprache",
}
"""Menu names of the languages Klartext has labels for (other codes need labels: README „Adding a language“)."""
_GERMAN = {"de": "Deutsch", "en": "Englisch", "ar": "Arabisch", "tr": "Türkisch", "uk": "Ukrainisch",
           "ru": "Russisch", "ls": "Leichte Sprache"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="klartext neu", description="Ein neues Projekt für das Integrationskonzept einer Stadt anlegen.")
    parser.add_argument("folder", metavar="ORDNER", help="neuer (oder leerer) Ordner für das Projekt")
    parser.add_argument("--name", help="Name der Stadt, z. B. „Stadt Hannover“ (Standard: aus dem Ordnernamen)")
    parser.add_argument("--sprachen", default="de,en,ls",
                        help="Sprachen, durch Komma getrennt (Standard: de,en,ls; möglich: "
                             f"{','.join(available_languages())})")
    parser.add_argument("--url", help="Adresse der Website, z. B. https://www.hannover.de/integration/ "
                                      "(Standard: ein Platzhalter)")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    try:
        languages = _languages(args.sprachen)
        if args.url is not None and not re.match(r"^https?://[^\s/]+\.[^\s/]+(/\S*)?$", args.url):
            raise ValueError(f"„{args.url}“ ist keine Webadresse. Bitte mit https:// angeben, z. B. "
                             "https://www.example.de/integrationskonzept/.")
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise ValueError(f"Der Ordner {folder} ist nicht leer. Klartext legt ein neues Projekt nur in einem "
                             "neuen oder leeren Ordner an (nichts wird überschrieben).")
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    name = (args.name or _name_from_folder(folder)).strip()
    create(folder, name, languages, args.url)
    shown = folder if folder.is_absolute() else f"./{folder}"
    print(f"Das Projekt „{title_of(name)}“ liegt in {shown} (Sprachen: {', '.join(languages)}).\n"
          f"Nächste Schritte:\n"
          f"  cd {folder}\n"
          f"  klartext check      # nennt jeden Platzhalter, der noch auszufüllen ist\n"
          f"  klartext vorschau   # Vorschau unter http://127.0.0.1:8000\n"
          f"  klartext build      # Website nach site/\n"
          f"Mehr in {folder / 'README.md'}.")
    return 0


def available_languages() -> list[str]:
    return ["de", *sorted(path.stem for path in LABELS.glob("*.yml") if path.stem != "de")]


def _languages(text: str) -> list[str]:
    codes = [code.strip().lower() for code in text.split(",") if code.strip()]
    unknown = [code for code in codes if code not in available_languages()]
    if unknown:
        raise ValueError(f"Für {', '.join(f'„{code}“' for code in unknown)} hat Klartext keine Beschriftungen. "
                         f"Möglich sind: {', '.join(available_languages())}. Weitere Sprachen: README von "
                         "Klartext, „Adding a language“.")
    if len(set(codes)) != len(codes):
        raise ValueError("Jede Sprache bitte nur einmal angeben.")
    return ["de", *[code for code in codes if code != "de"]]  # German is the source and the default


def _name_from_folder(folder: Path) -> str:
    words = re.split(r"[-_ ]+", folder.resolve().name)
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or "Musterstadt"


def split_name(name: str) -> tuple[str, str]:
    """``Stadt Hannover`` -> (``Stadt``, ``Hannover``); ``Hannover`` -> (``""``, ``Hannover``)."""
    first, _, rest = name.partition(" ")
    return (first, rest.strip()) if first in KINDS and rest.strip() else ("", name)


def title_of(name: str) -> str:
    kind, _ = split_name(name)
    article = "der " if kind and kind != "Markt" else "des " if kind == "Markt" else ""
    return f"Integrationskonzept {article}{name}"


def slug(name: str) -> str:
    text = split_name(name)[1].lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "stadt"


def create(folder: Path, name: str, languages: list[str], url: str | None = None,
           today: dt.date | None = None) -> None:
    """Write the project into ``folder`` (new or empty)."""
    from klartext.command import _version

    today = today or dt.date.today()
    kind, city = split_name(name)
    full = name if kind else f"Stadt {name}"
    version = _version()
    values = {
        "__TITEL__": title_of(name), "__STADT__": city, "__STADT_TEXT__": city, "__STADT_VOLL__": full,
        "__STADT_GENITIV__": (f"der {full}" if kind != "Markt" else f"des {full}"),
        "__KENNUNG__": slug(name), "__JAHR__": str(today.year), "__MONAT__": f"{today:%Y-%m}",
        "__SPRACHEN__": _i18n_languages(languages),
        "__SPRACHLISTE__": ", ".join(_GERMAN[code] for code in languages),
        "__VERSION__": version if version[:1].isdigit() else "0.1.0",
    }
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(SCAFFOLD.rglob("*")):
        relative = source.relative_to(SCAFFOLD)
        if source.is_dir() or "__pycache__" in relative.parts:
            continue
        if relative.parts[:2] == ("data", "translations") and source.stem not in languages:
            continue
        target = folder / (".gitignore" if relative.as_posix() == "gitignore" else relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        for token, value in values.items():
            # in YAML every token stands inside a double-quoted scalar: escape as there (JSON's escapes are YAML's)
            quoted = source.suffix == ".yml" and token in _NAMED
            text = text.replace(token, _yaml(value)[1:-1] if quoted else value)
        if url and relative.as_posix() == "mkdocs.yml":
            text = re.sub(r"^site_url: .*$", lambda _: f"site_url: {_yaml(url)}", text, count=1, flags=re.M)
        target.write_text(text, encoding="utf-8")
    _write_schemas(folder, languages)


_NAMED = ("__TITEL__", "__STADT__", "__STADT_TEXT__", "__STADT_VOLL__", "__STADT_GENITIV__")
"""Tokens filled with the city's name as typed: in YAML files each stands inside double quotes."""


def _yaml(value: str) -> str:
    """A YAML scalar that stays text whatever the city is called (quotes, colons, #)."""
    return json.dumps(value, ensure_ascii=False)


def _i18n_languages(languages: list[str]) -> str:
    lines = []
    for code in languages:
        lines += [f"        - locale: {code}", f"          name: {LANGUAGE_NAMES[code]}"]
        if code == "de":
            lines.append("          default: true")
        lines.append("          build: true")
        if code == "ls":
            lines += ["          theme:", "            language: de   # Leichte Sprache ist Deutsch (lang=\"de\")"]
    return "\n".join(lines)


def _write_schemas(folder: Path, languages: list[str]) -> None:
    """The editor schemas with the project's own ids (``klartext schema`` renews them later)."""
    from klartext.problems import DataError
    from klartext.schema import write_schemas
    from klartext.validation import load_concept

    try:
        data, _ = load_concept(folder / "data", [code for code in languages if code != "de"], folder)
    except DataError as error:  # a scaffold that does not load is a bug of the engine
        raise SystemExit(f"Interner Fehler: Das neue Projekt lädt nicht.\n{error}") from error
    write_schemas(data, folder / "data", folder)

