"""CPU time of the generated pages' templates (``PageBuilder.pages()``) for every language variant of a
project, without MkDocs (issue 14, helper 14tpl). Compare two checkouts by pointing ``KLARTEXT_HOOKS``
at the other one's ``hooks`` folder, in alternating runs:

    .venv/bin/python benchmarks/page_templates.py PROJECT [--rounds 3] [--dump DIR] [--per-template]

PROJECT is a Klartext project (e.g. the synthetic concept of benchmarks/synthetic.py). ``--dump`` writes
every page source (front matter + HTML) to DIR/<language>/<path> for ``diff -r`` between checkouts.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("KLARTEXT_HOOKS", str(Path(__file__).resolve().parent.parent / "hooks")))

import material  # noqa: E402
import yaml  # noqa: E402

from klartext.controlling import read_settings  # noqa: E402
from klartext.labels import load_labels  # noqa: E402
from klartext.languages import Language  # noqa: E402
from klartext.pages import PageBuilder  # noqa: E402
from klartext.quality import check_quality  # noqa: E402
from klartext.render import THEME_DIR, Renderer  # noqa: E402
from klartext.validation import load_concept  # noqa: E402


def builders(project: Path) -> dict[str, PageBuilder]:
    """One PageBuilder per language variant of ``project``, set up as the build sets them up."""
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda *_: None)  # !ENV and Python tags of mkdocs.yml
    loader.add_multi_constructor("tag:", lambda *_: None)
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    i18n = next(plugin["i18n"] for plugin in config["plugins"] if isinstance(plugin, dict) and "i18n" in plugin)
    languages = [Language(lang["locale"], lang["name"], (lang.get("theme") or {}).get("language", ""),
                          lang.get("default", False)) for lang in i18n["languages"]]
    settings_ = config["extra"]["klartext"]
    data, _ = load_concept(project / settings_.get("data_dir", "data"),
                           [lang.code for lang in languages if lang.code != "de"], project, project / "docs")
    settings = read_settings(settings_.get("controlling"), data)
    quality = check_quality(data, settings)
    renderer = Renderer([THEME_DIR, Path(material.__file__).parent / "templates"])
    return {lang.code: PageBuilder(data, lang, load_labels(lang.code, [] if lang.code == "de" else ["de"]),
                                   renderer, True, languages, settings, quality, {}, "integrationskonzept.pdf")
            for lang in languages}


def render_all(builder: PageBuilder) -> list[str]:
    """Every page's source, as a build renders them: ``pages()`` only lists the pages, each renders when
    its source is asked for (generated pages render lazily)."""
    return [page.markdown for page in builder.pages()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--per-template", action="store_true", help="CPU time per template")
    args = parser.parse_args()
    variants = builders(args.project)
    for builder in variants.values():
        render_all(builder)  # templates compiled, as in a build's first variant
    if args.dump:
        for code, builder in variants.items():
            for page in builder.pages():
                target = args.dump / code / page.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(page.markdown, encoding="utf-8")
    if args.per_template:
        render, spent = Renderer.render, {}

        def timed(self: Renderer, template: str, **context: object) -> str:
            started = time.process_time()
            try:
                return render(self, template, **context)
            finally:
                name = str(context.get("page_template", template))
                count, seconds = spent.get(name, (0, 0.0))
                spent[name] = (count + 1, seconds + time.process_time() - started)

        Renderer.render = timed
        for builder in variants.values():
            render_all(builder)
        Renderer.render = render
        for name, (count, seconds) in sorted(spent.items(), key=lambda item: -item[1][1]):
            print(f"{name:28} {count:6} renders {seconds:7.3f} s CPU {1000 * seconds / count:7.2f} ms each")
    totals = []
    for number in range(args.rounds):
        row = {}
        for code, builder in variants.items():
            started = time.process_time()
            render_all(builder)
            row[code] = time.process_time() - started
        totals.append(sum(row.values()))
        print(f"round {number + 1}: pages() of {len(row)} variants {totals[-1]:.3f} s CPU "
              f"({', '.join(f'{code} {seconds:.3f}' for code, seconds in row.items())})")
    print(f"least: {min(totals):.3f} s CPU; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
