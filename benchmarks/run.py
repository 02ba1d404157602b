"""Klartext benchmarks: builds everything it compares in one run and prints the figures as Markdown tables.

    ./klartext bench                 # all figures (150, 300, 600, 1,200 measures; ~10 minutes on 2 cores)
    ./klartext bench --quick         # 150 and 300 measures, one round each
    .venv/bin/python benchmarks/run.py --smoke    # tiny sizes: checks that the script works

Figures (these machines are shared and noisy: the ratios measured in the same run are what counts):
  build      site build of the large synthetic concept (9 fields x 150 measures x all language variants)
             against plain mkdocs-material building as many hand-written Markdown pages with the same theme
             settings (no hooks, no i18n), and against plain mkdocs-material building pages that hold the
             same words (the visible text of each of our built pages as a Markdown page at the same
             address); the first build with empty caches and the build with PDFs separately.
  memory     peak RSS of the build process (VmHWM) and, separately, of the PDF worker processes.
  scaling    build time, pages and peak RSS at 150, 300, 600 and 1,200 measures; ms per page and a linear fit;
             all PDFs (time, largest worker's RSS) at the first size and at 600 measures (--pdf-at N: also N).
  preview    seconds from saving a data edit to the rebuilt page being served by the one-language preview.
  pdf        all PDFs of the large concept in worker processes (one per core), as the build makes them.
  weight     all bytes a browser loads for one measure page (headless Chromium via Playwright if installed,
             otherwise the page's HTML and the files it references).
Nothing here asserts a target; BENCHMARKS.md records the latest figures.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import SEED, configured_languages, generate  # noqa: E402
from klartext.configfile import read_config  # noqa: E402

PORT = 8180
"""First local port of this script (preview server; the page-weight server uses the next one)."""

TARGETS = {"ratio": 1.0, "ratio_aim": 0.8, "rss_mb": 300, "preview_s": 2.0, "pdf_s": 60.0}

PDF_SCALING_SIZES = (150, 600)
"""Sizes (measures) of the scaling table that also get all PDFs rendered (time and worker memory)."""


# ---------------------------------------------------------------------------------------------
# running a process and measuring it


@dataclass
class Measured:
    """Wall time and memory of one command."""

    seconds: float
    main_mb: float
    """Peak RSS (VmHWM) of the process itself."""
    children_mb: float
    """Largest peak RSS of any process below it (language variants, PDF workers and their render
    processes), 0 without any."""
    output: str


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    """Every process below ``pid`` (children, and their children: a PDF worker renders each PDF in a
    process of its own)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    parents.setdefault(int(stat.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    found, pending = [], [pid]
    while pending:
        below = parents.get(pending.pop(), [])
        found += below
        pending += below
    return found


def measure(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measured:
    """Run ``argv`` to its end; sample the peak RSS of the process and of its children every 50 ms."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    log = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    peaks: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peaks[process.pid] = max(peaks.get(process.pid, 0), _hwm_kb(process.pid))
            for child in _children(process.pid):
                peaks[child] = max(peaks.get(child, 0), _hwm_kb(child))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    log.seek(0)
    output = log.read().decode("utf-8", "replace")
    log.close()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed in {cwd}:\n{output[-3000:]}")
    main = peaks.pop(process.pid, 0)
    children = max(peaks.values(), default=0)
    # ru_maxrss of wait4 covers the process and its waited-for children: exact where sampling missed the end
    if not children or usage.ru_maxrss > children:
        main = max(main, usage.ru_maxrss)
    return Measured(seconds, main / 1024, children / 1024, output)


def mkdocs_build(project: Path, pdf: bool) -> Measured:
    # not --strict: the synthetic Leichte Sprache texts are random words, so the checker warns (and
    # its cost is part of the build); errors still fail the build
    shutil.rmtree(project / "site", ignore_errors=True)
    return measure([sys.executable, "-m", "mkdocs", "build"], project,
                   {"KLARTEXT_PDF": "1" if pdf else "0"})


def count_pages(site: Path) -> int:
    """HTML pages of a built site (without the 404 page)."""
    return sum(1 for path in site.rglob("*.html") if path.name != "404.html")


# ---------------------------------------------------------------------------------------------
# projects


def klartext_project(work: Path, measures: int, fields: int, languages: list[str]) -> Path:
    target = work / f"klartext-{measures}"
    if not target.exists():
        generate(target, measures=measures, fields=fields, seed=SEED, languages=languages)
    return target


def baseline_project(work: Path, klartext: Path, languages: list[str]) -> Path:
    """Plain mkdocs-material: the same pages as hand-written Markdown, the same theme settings.

    Per language one folder (German at the root) with a start page, one page per field, a measures
    overview, one page per measure (not in the navigation, as in Klartext), the four list pages, the
    translation report and the hand-written page: the page count of the Klartext build. The texts are
    the concept's German texts. No hooks, no i18n plugin, no overrides.
    """
    import yaml

    target = work / f"baseline-{klartext.name.split('-')[-1]}"
    if target.exists():
        return target
    docs = target / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    concept = {}
    for path in sorted((klartext / "data").rglob("*.yml")):
        if "translations" not in path.parts:
            for key, value in (yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}).items():
                concept.setdefault(key, []).extend(value if isinstance(value, list) else [value])
    nav = []
    for code in ["de", *languages]:
        prefix = "" if code == "de" else f"{code}/"
        section = [f"{prefix}index.md"]
        _page(docs / prefix / "index.md", concept["concept"][0]["title"], concept["concept"][0]["intro"])
        for item in concept["fields"]:
            path = f"{prefix}handlungsfelder/{item['id']}.md"
            measures = [m for m in concept["measures"] if m["field"] == item["id"]]
            rows = "\n".join(f"| [{m['title']}](../massnahmen/{m['id']}.md) | {m['state']} |" for m in measures)
            _page(docs / path, item["title"], item["summary"], item["description"],
                  "\n".join(f"- {text}" for text in item["challenges"]), f"| Maßnahme | Stand |\n|---|---|\n{rows}")
            section.append({item["title"]: path})
        for measure in concept["measures"]:
            updates = "\n".join(f"- **{u['date']}**: {u['text']}" for u in measure.get("updates", []))
            _page(docs / prefix / "massnahmen" / f"{measure['id']}.md", measure["title"], measure["summary"],
                  measure.get("description", ""), f"| Stand | Zuständig |\n|---|---|\n| {measure['state']} | "
                  f"{measure.get('responsible', '')} |", updates)
        overview = "\n".join(f"- [{m['title']}]({m['id']}.md)" for m in concept["measures"])
        _page(docs / prefix / "massnahmen" / "index.md", "Maßnahmen", overview)
        section.append({"Maßnahmen": f"{prefix}massnahmen/index.md"})
        if concept.get("recommendations"):  # one page per recommendation and their overview
            for item in concept["recommendations"]:
                decision = item.get("decision") or {}
                _page(docs / prefix / "empfehlungen" / f"{item['id']}.md", f"{item['number']} {item['title']}",
                      item["text"], f"| Entscheidung | Datum |\n|---|---|\n| {decision.get('state', '')} | "
                      f"{decision.get('date', '')} |", decision.get("reason", ""))
            overview = "\n".join(f"- [{r['number']} {r['title']}]({r['id']}.md)" for r in concept["recommendations"])
            _page(docs / prefix / "empfehlungen" / "index.md", "Empfehlungen", overview)
            section.append({"Empfehlungen": f"{prefix}empfehlungen/index.md"})
        lists = {"beteiligung": [e["title"] for e in concept["events"]],
                 "akteure": [a["name"] for a in concept["actors"]],
                 "glossar": [f"**{g['term']}**: {g['definition']}" for g in concept["glossary"]],
                 "kontakt": [concept["concept"][0]["office"]], "ueber": ["Über dieses Konzept"],
                 # the other generated pages: statements, dashboard, changes, downloads, figure page
                 "barrierefreiheit": ["Erklärung zur Barrierefreiheit"], "datenschutz": ["Datenschutz"],
                 "impressum": ["Impressum"],
                 "fortschritt": [f"{m['id']}: {m['state']}" for m in concept["measures"]],
                 "aenderungen": [m["title"] for m in concept["measures"]],
                 "daten": ["massnahmen.csv", "massnahmen.json"], "datenqualitaet": ["Datenqualität"],
                 "arbeitsstand": ["Arbeitsstand"]}
        if code != "de":
            lists["uebersetzungen"] = [f"{m['id']}" for m in concept["measures"]]
        for name, entries in lists.items():
            _page(docs / prefix / f"{name}.md", name.capitalize(), "\n".join(f"- {entry}" for entry in entries))
            section.append({name.capitalize(): f"{prefix}{name}.md"})
        nav.append({code: section})
    _plain_config(target, "Baseline", nav)
    return target


def _plain_config(target: Path, name: str, nav: list) -> None:
    """mkdocs.yml of a plain Material site with our theme settings, styles and scripts (copied into docs/),
    the search plugin and nothing else."""
    import yaml

    from klartext.plugin.theme import SCRIPTS, STYLES
    from klartext.render import THEME_DIR

    shutil.copytree(THEME_DIR / "assets", target / "docs" / "assets", dirs_exist_ok=True)
    config = read_config(ROOT / "mkdocs.yml")
    theme = {key: value for key, value in config["theme"].items() if key != "custom_dir"}
    settings = {
        "site_name": name, "docs_dir": "docs", "site_dir": "site", "use_directory_urls": True,
        "not_in_nav": "massnahmen/*.md\n*/massnahmen/*.md\nempfehlungen/*.md\n*/empfehlungen/*.md",
        "theme": theme, "extra": {"generator": False},
        "extra_css": [*STYLES, *config.get("extra_css", [])],
        "extra_javascript": [*SCRIPTS, *config.get("extra_javascript", [])],
        "markdown_extensions": config["markdown_extensions"], "plugins": ["search"], "nav": nav,
    }
    (target / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")


def same_words_project(work: Path, site: Path) -> Path:
    """Plain mkdocs-material with pages holding the same words as ours: for every page of our built
    ``site``, its visible text (headings as Markdown headings, every other block a paragraph) as a
    Markdown page at the same address. Same theme settings and navigation shape as the baseline (pages
    of measures outside the navigation)."""
    target = work / f"same-words-{site.parent.name.split('-')[-1]}"
    shutil.rmtree(target, ignore_errors=True)
    docs = target / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    sections: dict[str, list] = {}
    for page in sorted(site.rglob("index.html")):
        relative = page.parent.relative_to(site).as_posix()
        if relative.startswith(("assets", "search")):
            continue
        source = f"{relative}.md" if relative != "." else "index.md"
        parts = relative.split("/")
        (docs / source).parent.mkdir(parents=True, exist_ok=True)
        (docs / source).write_text(visible_text(page.read_text(encoding="utf-8")), encoding="utf-8")
        if "/massnahmen/" not in f"/{relative}/" or relative.endswith("massnahmen"):
            language = parts[0] if len(parts[0]) == 2 and parts[0] != "." else "de"
            sections.setdefault(language, []).append(source)
    _plain_config(target, "Same words", [{code: pages} for code, pages in sections.items()])
    return target


def visible_text(page: str) -> str:
    """The text a reader sees in the content of a built page, as Markdown: headings and paragraphs."""
    from html.parser import HTMLParser

    blocks = {"p", "li", "dt", "dd", "td", "th", "caption", "figcaption", "div", "tr", "summary", "h1", "h2",
              "h3", "h4", "h5", "h6"}
    hidden = {"svg", "script", "style", "template"}

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.lines: list[str] = []
            self.words: list[str] = []
            self.depth = self.skip = 0
            self.heading = 0

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag == "article":
                self.depth += 1
            if tag in hidden:
                self.skip += 1
            if tag in blocks:
                self.flush()
                self.heading = int(tag[1]) if tag[0] == "h" and tag[1:].isdigit() else 0

        def handle_endtag(self, tag: str) -> None:
            if tag in hidden:
                self.skip = max(0, self.skip - 1)
            if tag in blocks:
                self.flush()
            if tag == "article":
                self.depth -= 1

        def handle_data(self, data: str) -> None:
            if self.depth and not self.skip:
                self.words += data.split()

        def flush(self) -> None:
            if self.words:
                text = " ".join(self.words).replace("<", "&lt;")
                self.lines.append(f"{'#' * self.heading} {text}" if self.heading else text)
                self.words = []

    parser = Text()
    parser.feed(page)
    parser.flush()
    return "\n\n".join(parser.lines) + "\n"


def _page(path: Path, title: str, *blocks: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(block for block in blocks if block)
    path.write_text(f"# {title}\n\n{body}\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# figures


@dataclass
class Build:
    measures: int
    pages: int
    ours: Measured
    plain: Measured
    pages_plain: int
    words: Measured | None = None
    """Plain Material building pages with the same words as ours (see :func:`same_words_project`)."""
    pages_words: int = 0
    cold: Measured | None = None
    """Our first build, with empty caches (Leichte Sprache findings)."""
    load: str = ""
    """Load average (1 minute) before and after the builds of this comparison (the machine is shared)."""

    @property
    def ratio(self) -> float:
        return self.ours.seconds / self.plain.seconds


def compare_builds(work: Path, measures: int, fields: int, languages: list[str], rounds: int,
                   same_words: bool = False) -> Build:
    """Klartext and the baseline(s), alternating; the median of ``rounds`` each, after a first build of
    ours with empty caches (reported on its own when ``same_words`` is set): every size of the scaling
    table is measured with warm caches, as the main figure is."""
    load = f"{os.getloadavg()[0]:.1f}"
    ours_project = klartext_project(work, measures, fields, languages)
    plain_project = baseline_project(work, ours_project, languages)
    shutil.rmtree(ours_project / ".cache", ignore_errors=True)
    cold = mkdocs_build(ours_project, pdf=False)
    words_project = same_words_project(work, ours_project / "site") if same_words else None
    ours, plain, words = [], [], []
    for _ in range(rounds):
        ours.append(mkdocs_build(ours_project, pdf=False))
        plain.append(mkdocs_build(plain_project, pdf=False))
        if words_project:
            words.append(mkdocs_build(words_project, pdf=False))
    return Build(measures, count_pages(ours_project / "site"), _median(ours),
                 _median(plain), count_pages(plain_project / "site"),
                 _median(words) if words else None,
                 count_pages(words_project / "site") if words_project else 0, cold,
                 f"{load} to {os.getloadavg()[0]:.1f}")


def _median(runs: list[Measured]) -> Measured:
    ordered = sorted(runs, key=lambda run: run.seconds)
    middle = ordered[len(ordered) // 2]
    return Measured(middle.seconds, max(r.main_mb for r in runs), max(r.children_mb for r in runs), middle.output)


@dataclass
class Pdfs:
    seconds: float
    pages: int
    megabytes: float
    workers: int
    worker_mb: float
    per_language: dict[str, float] = field(default_factory=dict)
    cached_seconds: float = 0.0
    """All PDFs again, unchanged: taken from the PDF cache."""
    identical: bool = False
    """The cached PDFs are byte-identical to the rendered ones."""


def pdf_figures(project: Path) -> Pdfs:
    """All PDFs of ``project`` in a fresh process (so RUSAGE_CHILDREN covers only its workers)."""
    result = measure([sys.executable, str(Path(__file__).resolve()), "--pdf-worker", str(project)], project)
    data = json.loads(result.output.strip().splitlines()[-1])
    return Pdfs(**data)


def _pdf_worker(project: Path) -> None:
    """Render every language's PDF of ``project`` the way the build does; print JSON figures."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import material

    from klartext.languages import Language
    from klartext.pdf import PdfJob, make_pdf, render_order

    config = read_config(project / "mkdocs.yml")
    entries = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)["languages"]
    languages = tuple(Language(e["locale"], e["name"], (e.get("theme") or {}).get("language", ""),
                               e.get("default", False)) for e in entries)
    from klartext.render import THEME_DIR

    template_dirs = (THEME_DIR, Path(material.__file__).parent / "templates")
    jobs = [PdfJob(project / "data", project, languages, language.code, template_dirs,
                   ((project / "docs").resolve(),)) for language in render_order(languages)]  # as the build
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    shutil.rmtree(project / ".cache" / "klartext" / "pdf", ignore_errors=True)  # render every PDF
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        results = list(pool.map(make_pdf, jobs))
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = list(pool.map(make_pdf, jobs))  # nothing changed: from the cache
        cached_seconds = time.perf_counter() - started
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "pages": sum(r.pages for r in results),
                      "megabytes": sum(len(r.content) for r in results) / 1e6, "workers": workers,
                      "worker_mb": worker_mb, "per_language": {r.language: r.seconds for r in results},
                      "cached_seconds": cached_seconds,
                      "identical": all(a.cached and a.content == r.content for a, r in zip(again, results))}))


def tagging_fix_figures(project: Path) -> dict:
    """Writing the tagged German PDF of ``project`` with WeasyPrint alone and with klartext.pdf_speedup."""
    result = measure([sys.executable, str(Path(__file__).resolve()), "--tagging-worker", str(project)], project)
    return json.loads(result.output.strip().splitlines()[-1])


def _tagging_worker(project: Path) -> None:
    import material
    import weasyprint

    from klartext import pdf_speedup
    from klartext.labels import load_labels
    from klartext.languages import SOURCE
    from klartext.pdf import document_html
    from klartext.render import THEME_DIR, Renderer
    from klartext.validation import load_concept

    data, _ = load_concept(project / "data", [], project)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    html = document_html(data, SOURCE, load_labels(SOURCE.code, []), renderer)
    document = weasyprint.HTML(string=html, base_url=(project / "docs").as_uri() + "/").render()
    times = {}
    for name, context in (("plain", contextlib.nullcontext), ("fixed", pdf_speedup.applied)):
        started = time.perf_counter()
        with context():
            times[name] = (document.write_pdf(pdf_variant="pdf/ua-1"), time.perf_counter() - started)
    print(json.dumps({"pages": len(document.pages), "plain": times["plain"][1], "fixed": times["fixed"][1],
                      "identical": times["plain"][0] == times["fixed"][0], "versions": pdf_speedup.VERSIONS}))


def preview_command(project: Path, port: int) -> tuple[list[str], dict[str, str], str]:
    """The one-language preview staff use (``./klartext vorschau de``): command, environment and a
    description for the table. To measure another preview, pass --preview 'CMD {port}'."""
    return ([sys.executable, "-m", "klartext.staff", "--config", str(project / "mkdocs.yml"), "vorschau", "de",
             "--adresse", f"127.0.0.1:{port}"], {"PYTHONPATH": str(ROOT / "hooks")}, "./klartext vorschau de")


def preview_figures(work: Path, source: Path, rounds: int, command: str | None) -> tuple[float, list[float], str]:
    """Seconds from saving a measure's title in data/ to the preview serving the page with the new title."""
    project = work / f"preview-{source.name}"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(source, project, ignore=shutil.ignore_patterns("site"))
    if command:
        argv, env, description = command.format(port=PORT).split(), {}, command
    else:
        argv, env, description = preview_command(project, PORT)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **env}
    log = tempfile.TemporaryFile()
    # own process group: the preview command starts `mkdocs serve` as a child, which must stop too
    server = subprocess.Popen(argv, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    data_file = project / "data" / "fields" / "01-feld.yml"
    measure_id = re.search(r"^- id: (feld-01-massnahme-\d+)", data_file.read_text(encoding="utf-8"), re.M)[1]
    url = f"http://127.0.0.1:{PORT}/massnahmen/{measure_id}/"
    times = []
    try:
        _wait_for(url, lambda body: True, 300, server, log)
        for round_ in range(rounds):
            time.sleep(1.0)  # let the watcher settle
            marker = f"Vorschau-Messung {round_ + 1}"
            text = data_file.read_text(encoding="utf-8")
            pattern = re.compile(rf"(- id: {measure_id}\n(?:  .*\n)*?  title: )(.*)\n")
            started = time.perf_counter()
            data_file.write_text(pattern.sub(lambda m: f"{m[1]}{marker}\n", text, 1), encoding="utf-8")
            _wait_for(url, lambda body: marker in body, 120, server, log)
            times.append(time.perf_counter() - started)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return statistics.median(times), times, description


def _wait_for(url: str, ready, timeout: float, server: subprocess.Popen, log) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError("preview stopped:\n" + log.read().decode("utf-8", "replace")[-3000:])
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode("utf-8", "replace")):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} not ready after {timeout} s")


@dataclass
class Weight:
    method: str
    total: int
    gzip: int
    by_kind: dict[str, int]
    foreign: list[str]


def page_weight(site: Path, page: str) -> Weight:
    """All bytes a browser loads for ``page`` of ``site`` (served locally)."""
    handler = partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT + 1), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{PORT + 1}/"
    try:
        try:
            return _weight_in_browser(base + page)
        except ImportError:
            return _weight_from_html(site, page)
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _weight_in_browser(url: str) -> Weight:
    from playwright.sync_api import sync_playwright

    loaded: list[tuple[str, str, bytes]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        page = browser.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(500)
        for response in responses:
            try:
                body = response.body()
            except Exception:  # noqa: BLE001  (redirects and aborted requests have no body)
                body = b""
            loaded.append((response.url, response.request.resource_type, body))
        browser.close()
    return _weight("Chromium (Playwright), all responses", loaded, url)


def _weight_from_html(site: Path, page: str) -> Weight:
    html_path = site / page / "index.html"
    html = html_path.read_bytes()
    loaded = [(page, "document", html)]
    kinds = {"stylesheet": "stylesheet", "icon": "image"}
    for tag, attr in re.findall(rb"<(link|script|img)\b([^>]*)>", html):
        src = re.search(rb'(?:href|src)="([^"]+)"', attr)
        if not src or src[1].startswith((b"http", b"#", b"data:")):
            continue
        if tag == b"link":
            rel = re.search(rb'rel="([^"]+)"', attr)
            kind = kinds.get(rel[1].decode() if rel else "")
            if kind is None:
                continue
        else:
            kind = "script" if tag == b"script" else "image"
        target = (html_path.parent / src[1].decode().split("?")[0]).resolve()
        if target.is_file():
            loaded.append((str(target), kind, target.read_bytes()))
    return _weight("HTML and the files it references (Playwright not installed)", loaded, "")


def _weight(method: str, loaded: list[tuple[str, str, bytes]], page_url: str) -> Weight:
    by_kind: dict[str, int] = {}
    for _, kind, body in loaded:
        by_kind[kind] = by_kind.get(kind, 0) + len(body)
    host = re.match(r"https?://[^/]+", page_url)
    foreign = sorted({url for url, _, _ in loaded if host and not url.startswith(host[0])})
    return Weight(method, sum(by_kind.values()), sum(len(gzip.compress(body, 6)) for _, _, body in loaded),
                  by_kind, foreign)


# ---------------------------------------------------------------------------------------------
# report


def machine() -> list[str]:
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    packages = ", ".join(f"{name} {version(name)}" for name in
                         ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "weasyprint", "Jinja2", "pydantic"))
    return [f"- machine: {os.cpu_count()} cores ({cpu}), {memory / 1024 ** 2:.1f} GB RAM, "
            f"{platform.system()} {platform.release()}",
            f"- Python {platform.python_version()}; {packages}",
            f"- load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
            "(other developers share this machine)"]


def _stage(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _verdict(value: float, target: float) -> str:
    return "met" if value <= target else "missed"


def main() -> None:
    parser = argparse.ArgumentParser(description="Klartext benchmarks (prints Markdown tables).")
    parser.add_argument("--quick", action="store_true", help="150 and 300 measures, one round each")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round: checks the script works")
    parser.add_argument("--sizes", help="measure counts for the scaling figure, e.g. 150,300,600,1200")
    parser.add_argument("--rounds", type=int, help="rounds of the main comparison (median)")
    parser.add_argument("--fields", type=int, default=9)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF figures")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview figure")
    parser.add_argument("--pdf-at", type=int, help="also render all PDFs at this size (memory of the workers)")
    parser.add_argument("--preview", help="preview command instead of mkdocs serve, with {port}")
    parser.add_argument("--work", type=Path, help="keep generated projects and sites in this folder")
    parser.add_argument("--pdf-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tagging-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pdf_worker:
        _pdf_worker(args.pdf_worker)
        return
    if args.tagging_worker:
        _tagging_worker(args.tagging_worker)
        return
    sizes = ([int(size) for size in args.sizes.split(",")] if args.sizes else
             [9, 18] if args.smoke else [150, 300] if args.quick else [150, 300, 600, 1200])
    rounds = args.rounds or (1 if args.smoke or args.quick else 3)
    languages = configured_languages()
    work = args.work or Path(tempfile.mkdtemp(prefix="klartext-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        report(args, sizes, rounds, languages, work)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def report(args: argparse.Namespace, sizes: list[int], rounds: int, languages: list[str], work: Path) -> None:
    variants = len(languages) + 1
    print(f"# Klartext benchmarks, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print("\n".join(machine()))
    print(f"- command: {' '.join(['benchmarks/run.py', *sys.argv[1:]])}; seed {SEED}; "
          f"{args.fields} fields; {variants} language variants; main comparison: median of {rounds}\n",
          flush=True)

    large = sizes[0]
    _stage(f"site builds at {large} measures ({rounds} rounds)")
    main_build = compare_builds(work, large, args.fields, languages, rounds, same_words=True)
    project = work / f"klartext-{large}"
    _stage("site build with PDFs")
    with_pdf = None if args.no_pdf else mkdocs_build(project, pdf=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    mkdocs_build(project, pdf=False)  # leave the site without PDFs for the page weight
    _stage(f"scaling: {sizes[1:]}")
    scaling = [main_build] + [compare_builds(work, size, args.fields, languages, 1) for size in sizes[1:]]
    _stage("PDFs")
    pdfs = None if args.no_pdf else pdf_figures(project)
    tagging = None if args.no_pdf else tagging_fix_figures(project)
    # all PDFs at the first size and at 600 measures (the two rows; 1,200 takes many minutes:
    # --pdf-at 1200), each size rendered once
    scaling_pdfs = {} if args.no_pdf else {
        build.measures: pdfs if build.measures == large else pdf_figures(work / f"klartext-{build.measures}")
        for build in scaling if build.measures == large or build.measures in PDF_SCALING_SIZES}
    pdfs_at = None
    if args.pdf_at:
        pdfs_at = scaling_pdfs.get(args.pdf_at) or pdf_figures(
            klartext_project(work, args.pdf_at, args.fields, languages))
        scaling_pdfs[args.pdf_at] = pdfs_at
    _stage("preview")
    preview = None if args.no_preview else preview_figures(work, project, 1 if args.smoke else 3, args.preview)
    _stage("page weight")
    measure_id = sorted(path.name for path in (project / "site" / "massnahmen").iterdir() if path.is_dir())[0]
    weight = page_weight(project / "site", f"massnahmen/{measure_id}/")
    largest = scaling[-1]

    print(f"## Figures ({args.fields} fields x {large} measures x {variants} variants unless stated)\n")
    print(_row("figure", "Klartext", "plain mkdocs-material", "ratio", "target", "result"))
    print(_row("---", "---:", "---:", "---:", "---", "---"))
    print(_row(f"site build, no PDF ({main_build.pages} / {main_build.pages_plain} pages), load average "
               f"{main_build.load}",
               f"{main_build.ours.seconds:.2f} s", f"{main_build.plain.seconds:.2f} s", f"{main_build.ratio:.2f}",
               f"≤ {TARGETS['ratio']:.1f} (aim {TARGETS['ratio_aim']})", _verdict(main_build.ratio, TARGETS["ratio"])))
    if main_build.words:
        ratio = main_build.ours.seconds / main_build.words.seconds
        print(_row(f"site build, no PDF, against plain Material with the same words ({main_build.pages} / "
                   f"{main_build.pages_words} pages)", f"{main_build.ours.seconds:.2f} s",
                   f"{main_build.words.seconds:.2f} s", f"{ratio:.2f}", "≤ 0.5", _verdict(ratio, 0.5)))
    if main_build.cold:
        ratio = main_build.cold.seconds / main_build.plain.seconds
        print(_row("site build, no PDF, first build (empty caches)", f"{main_build.cold.seconds:.2f} s",
                   f"{main_build.plain.seconds:.2f} s", f"{ratio:.2f}", "(no target)", "-"))
    if with_pdf:
        ratio = with_pdf.seconds / main_build.plain.seconds
        print(_row("site build with all PDFs", f"{with_pdf.seconds:.2f} s", f"{main_build.plain.seconds:.2f} s",
                   f"{ratio:.2f}", "(no target)", "-"))
    print(_row("peak RSS, build process / largest language-variant process, no PDF",
               f"{main_build.ours.main_mb:.0f} / {main_build.ours.children_mb:.0f} MB",
               f"{main_build.plain.main_mb:.0f} MB", f"{_peak(main_build.ours) / main_build.plain.main_mb:.2f}",
               "-", "-"))
    if with_pdf:
        print(_row("peak RSS with PDFs: build process / largest PDF worker",
                   f"{with_pdf.main_mb:.0f} / {with_pdf.children_mb:.0f} MB", "-", "-", "-", "-"))
    print(_row(f"peak RSS of any build process (build / largest language-variant process), {largest.measures} "
               f"measures, no PDF", f"{largest.ours.main_mb:.0f} / {largest.ours.children_mb:.0f} MB",
               f"{largest.plain.main_mb:.0f} MB", f"{_peak(largest.ours) / largest.plain.main_mb:.2f}",
               f"≤ {TARGETS['rss_mb']} MB", _verdict(_peak(largest.ours), TARGETS["rss_mb"])))
    if pdfs:
        print(_row(f"all {variants} PDFs ({pdfs.pages} pages, {pdfs.megabytes:.1f} MB) on {pdfs.workers} workers",
                   f"{pdfs.seconds:.1f} s", "-", "-", f"≤ {TARGETS['pdf_s']:.0f} s",
                   _verdict(pdfs.seconds, TARGETS["pdf_s"])))
        print(_row("peak RSS, largest PDF worker", f"{pdfs.worker_mb:.0f} MB", "-", "-", "-", "-"))
        print(_row(f"all {variants} PDFs again, data unchanged (PDF cache; "
                   f"{'byte-identical' if pdfs.identical else 'NOT identical'})", f"{pdfs.cached_seconds:.1f} s",
                   "-", "-", "-", "-"))
    if tagging:
        print(_row(f"write the tagged German PDF ({tagging['pages']} pages): with the tagging fix / "
                   f"WeasyPrint alone ({'identical bytes' if tagging['identical'] else 'BYTES DIFFER'})",
                   f"{tagging['fixed']:.1f} s", f"{tagging['plain']:.1f} s (WeasyPrint alone)",
                   f"{tagging['fixed'] / tagging['plain']:.2f}", "-", "-"))
    if pdfs_at:
        print(_row(f"all PDFs at {args.pdf_at} measures ({pdfs_at.pages} pages) / largest worker RSS",
                   f"{pdfs_at.seconds:.1f} s / {pdfs_at.worker_mb:.0f} MB", "-", "-", "-", "-"))
    if preview:
        median, times, description = preview
        print(_row(f"preview: data edit saved -> page served ({description}; "
                   f"{', '.join(f'{t:.2f}' for t in times)} s)", f"{median:.2f} s", "-", "-",
                   f"≤ {TARGETS['preview_s']:.0f} s", _verdict(median, TARGETS["preview_s"])))
    print(_row(f"page weight, measure page ({weight.method})",
               f"{weight.total / 1000:.0f} kB ({weight.gzip / 1000:.0f} kB gzip)", "-", "-", "-", "-"))
    print()
    print("Page weight by kind: " + ", ".join(f"{kind} {size / 1000:.1f} kB"
                                              for kind, size in sorted(weight.by_kind.items())) +
          f"; requests to other hosts: {len(weight.foreign)}\n")

    print("## Scaling (site builds without PDF, one round per size after a first build with empty caches; "
          "the PDFs rendered on their own)\n")
    print(_row("measures", "pages", "Klartext s", "plain s", "ratio", "ms/page", "peak RSS MB (build / variant "
               "process)", "plain RSS MB", "all PDFs s (pages)", "PDF worker RSS MB"))
    print(_row("---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"))
    built = {build.measures: build for build in scaling}
    for measures in sorted(set(built) | set(scaling_pdfs)):
        build, made = built.get(measures), scaling_pdfs.get(measures)
        pdf_cells = (f"{made.seconds:.1f} ({made.pages})" if made else "-", f"{made.worker_mb:.0f}" if made else "-")
        if build is None:  # --pdf-at a size without a site build
            print(_row(measures, *["-"] * 7, *pdf_cells))
            continue
        print(_row(build.measures, build.pages, f"{build.ours.seconds:.2f}", f"{build.plain.seconds:.2f}",
                   f"{build.ratio:.2f}", f"{1000 * build.ours.seconds / build.pages:.2f}",
                   f"{build.ours.main_mb:.0f} / {build.ours.children_mb:.0f}", f"{build.plain.main_mb:.0f}",
                   *pdf_cells))
    print("\nLoad average (1 minute) before and after each size's builds: " +
          "; ".join(f"{build.measures}: {build.load}" for build in scaling))
    if len(scaling) >= 2:
        slope, intercept, r2 = _fit([b.pages for b in scaling], [b.ours.seconds for b in scaling])
        print(f"\nLinear fit of Klartext build time over pages: {1000 * slope:.2f} ms per page + "
              f"{intercept:.2f} s fixed, R² = {r2:.3f}; time per page at the largest size / smallest: "
              f"{(largest.ours.seconds / largest.pages) / (scaling[0].ours.seconds / scaling[0].pages):.2f}")
    print(f"\nload average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _peak(measured: Measured) -> float:
    """The largest process of a build: the build itself or one of its language-variant processes (each
    holds one variant; at most one per core builds at a time)."""
    return max(measured.main_mb, measured.children_mb)


def _fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    n, mean_x, mean_y = len(xs), statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sxx
    intercept = mean_y - slope * mean_x
    total = sum((y - mean_y) ** 2 for y in ys) or 1e-12
    residual = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys))
    return slope, intercept, 1 - residual / total if n > 2 else 1.0


if __name__ == "__main__":
    main()
