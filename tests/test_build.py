"""Integration: build real projects with MkDocs (--strict) and assert on the HTML."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


from helpers import FIXTURES, ROOT, edit, make_project, mkdocs
from html_tools import LOADING_ATTRIBUTES, html_pages, parse, resolve

VARIANTS = {"": ("de", "ltr"), "en": ("en", "ltr"), "tr": ("tr", "ltr"), "ar": ("ar", "rtl"),
            "uk": ("uk", "ltr"), "ru": ("ru", "ltr"), "ls": ("de", "ltr")}
BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?(-x(-[a-z0-9]{1,8})+)?$")


def _variant(site: Path, page: Path) -> str:
    first = page.relative_to(site).parts[0]
    return first if first in VARIANTS else ""


def test_every_concept_page_exists_in_every_language(site: Path) -> None:
    from klartext.validation import load_concept

    data, _ = load_concept(ROOT / "data", [folder for folder in VARIANTS if folder], ROOT)
    pages = ["index.html", "massnahmen/index.html", "beteiligung/index.html", "akteure/index.html",
             "glossar/index.html", "kontakt/index.html", "uebersetzungen/index.html", "ueber/index.html",
             "impressum/index.html", "barrierefreiheit/index.html", "datenschutz/index.html",
             "fortschritt/index.html", "aenderungen/index.html", "daten/index.html"]
    pages += [f"handlungsfelder/{field.id}/index.html" for field in data.fields]
    pages += [f"massnahmen/{measure.id}/index.html" for measure in data.measures]
    assert len(pages) == 14 + 9 + 27  # the example: 9 fields, 27 measures
    for prefix in VARIANTS:
        base = site / prefix if prefix else site
        assert [page for page in pages if not (base / page).is_file()] == [], prefix


def test_lang_and_dir_on_every_page(site: Path) -> None:
    pages = html_pages(site)
    assert len(pages) > 150
    for page in pages:
        html = parse(page).first("html")
        expected_lang, expected_dir = VARIANTS[_variant(site, page)]
        assert (html.attrs.get("lang"), html.attrs.get("dir")) == (expected_lang, expected_dir), page


def test_switcher_leads_to_the_same_page_in_each_language(site: Path) -> None:
    for page in html_pages(site):
        links = parse(page).all("a", **{"class": "md-select__link"})
        assert len(links) == len(VARIANTS), page
        own = page.relative_to(site / _variant(site, page)) if _variant(site, page) else page.relative_to(site)
        for link in links:
            target, _ = resolve(site, page, link.attrs["href"])
            assert target.is_file(), (page, link.attrs["href"])
            variant = _variant(site, target)
            assert target.relative_to(site / variant if variant else site) == own, (page, link.attrs)
            expected_lang, expected_dir = VARIANTS[variant]
            assert (link.attrs["lang"], link.attrs["dir"]) == (expected_lang, expected_dir)


def test_hreflang_values_are_valid_language_tags(site: Path) -> None:
    values = set()
    for page in html_pages(site)[:40] + [site / "sitemap.xml"]:
        values |= set(re.findall(r'hreflang="([^"]*)"', page.read_text(encoding="utf-8")))
    assert values == {"de", "en", "tr", "ar", "uk", "ru", "de-x-ls"}
    assert all(BCP47.match(value) for value in values)


def test_no_output_file_loads_anything_from_another_host(site: Path) -> None:
    external = []
    for page in html_pages(site) + [site / "404.html"]:
        for tag in parse(page).tags:
            attribute = LOADING_ATTRIBUTES.get(tag.name)
            urls = [tag.attrs.get(attribute, "")] if attribute else []
            if tag.name == "link" and tag.attrs.get("rel", "") not in ("alternate", "canonical"):  # hints
                urls.append(tag.attrs.get("href", ""))
            urls += [part.split()[0] for part in tag.attrs.get("srcset", "").split(",") if part.strip()]
            urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", tag.attrs.get("style", ""))
            external += [(page, url) for url in urls if re.match(r"^(https?:)?//", url.strip())]
    for style in site.rglob("*.css"):
        text = style.read_text(encoding="utf-8")
        external += [(style, url) for url in re.findall(r"(?:url\(|@import)\s*['\"]?((?:https?:)?//[^'\")]+)", text)]
    assert external == []
    start = (site / "index.html").read_text(encoding="utf-8")
    for host in ("fonts.googleapis.com", "fonts.gstatic.com", "squidfunk.github.io", "cdn.jsdelivr"):
        assert host not in start


def test_arabic_pages_are_right_to_left_and_mark_german_names(site: Path) -> None:
    page = parse(site / "ar" / "handlungsfelder" / "bildung" / "index.html")
    assert page.first("body").attrs["dir"] == "rtl"
    for tag in page.tags:
        if tag.attrs.get("lang") == "de":
            assert tag.attrs.get("dir") == "ltr"


def test_escaped_markdown_in_headings_shows_no_backslashes(site: Path) -> None:
    text = (site / "massnahmen" / "wiki-sprachfoerderung" / "index.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1)
    assert "\\" not in heading
    assert "„WiKi – Willkommen Kinder“" in heading


def test_fallback_notice_where_a_translation_is_missing(minimal_site: Path) -> None:
    english = (minimal_site / "en" / "massnahmen" / "lesepaten" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in english and "Reading mentors" in english
    assert '<div lang="de" dir="ltr">\n<p>Einmal pro Woche in der Bibliothek.</p>' in english
    assert 'class="kt-fallback__note"' in english
    arabic = (minimal_site / "ar" / "massnahmen" / "lesepaten" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="de" dir="ltr">Lesepatenschaften</span>' in arabic


def test_handwritten_page_without_translation_is_marked_german(minimal_site: Path) -> None:
    page = (minimal_site / "ar" / "ueber" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="kt-fallback__note">[^<]+</p><div lang="de" dir="ltr"><h1', page)
    german = (minimal_site / "ueber" / "index.html").read_text(encoding="utf-8")
    assert "kt-fallback" not in german


def test_broken_data_stops_the_build_with_german_messages(tmp_path: Path) -> None:
    broken = (FIXTURES / "broken" / "unknown_reference.yml").read_text(encoding="utf-8")
    project = make_project(tmp_path, extra_files={
        "data/zz-broken.yml": broken,
        "data/zz-other.yml": (FIXTURES / "broken" / "duplicate_key.yml").read_text(encoding="utf-8")
                             .replace("vorlesen", "vorlesen-2"),
    })
    result = mkdocs(project, "build", "--strict")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert "Die Daten des Integrationskonzepts enthalten 2 Probleme:" in output
    assert "data/zz-broken.yml:4: „lessen“ ist keine bekannte Kennung für Ziel" in output
    assert "data/zz-other.yml:8: Der Schlüssel „state“ steht in diesem Abschnitt doppelt" in output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_reports_data_errors_and_keeps_serving(tmp_path: Path) -> None:
    project = make_project(tmp_path, extra_files={
        "data/zz-broken.yml": (FIXTURES / "broken" / "end_before_start.yml").read_text(encoding="utf-8")})
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    try:
        body = ""
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode("utf-8")
                break
            except OSError:
                assert process.poll() is None, process.stdout.read()
                time.sleep(0.5)
        assert "Die Daten enthalten Fehler" in body
        assert "data/zz-broken.yml:10" in body
        assert "Das Ende (2024-12) liegt vor dem Beginn (2025-03)." in body
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert "data/zz-broken.yml:10: Das Ende (2024-12) liegt vor dem Beginn (2025-03)." in output


def test_unknown_icon_is_reported_with_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    lists = project / "data" / "lists.yml"
    edit(lists, "material/lightbulb-outline", "material/gluehbirne")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode != 0  # --strict turns the warning into a failure
    assert "data/lists.yml:6: Hinweis: Das Symbol „material/gluehbirne“ gibt es nicht." in result.stderr
    assert mkdocs(project, "build").returncode == 0  # without --strict the site is still built


def test_search_index_per_language(site: Path) -> None:
    import json

    indexes = {folder: json.loads(((site / folder) if folder else site).joinpath(
        "search", "search_index.json").read_text(encoding="utf-8")) for folder in VARIANTS}
    prefixes = tuple(f"{folder}/" for folder in VARIANTS if folder)
    for folder, index in indexes.items():
        assert index["docs"], folder
        assert not any(doc["location"].startswith(prefixes) for doc in index["docs"]), folder
    titles = {folder: " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
              for folder, index in indexes.items()}
    assert "Programme for language support" in titles["en"]
    assert "Programm zur Sprachförderung" not in titles["en"]
    assert "Programm zur Sprachförderung" in titles[""]
    assert "Programme for language support" not in titles[""]
    assert "концепції інтеграції" in titles["uk"] and "концепции интеграции" not in titles["uk"]
    languages = {folder: index["config"]["lang"] for folder, index in indexes.items()}
    assert languages == {"": ["de"], "en": ["en"], "tr": ["tr"], "ar": ["ar"], "uk": ["en"],
                         "ru": ["ru"], "ls": ["de"]}


def test_pages_of_a_variant_search_their_own_index(site: Path) -> None:
    page = (site / "en" / "massnahmen" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script id="__config" type="application/json">\{[^<]*"base": "\.\./\.\./en/"', page)
    german = (site / "massnahmen" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script id="__config" type="application/json">\{[^<]*"base": "\.\."', german)
