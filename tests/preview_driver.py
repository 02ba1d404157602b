"""The one-language preview of a project without its HTTP server, for tests: the same builds as
``klartext vorschau`` (``mkdocs serve`` with the preview configuration), one rebuild per input line.

    python tests/preview_driver.py PROJECT SITE_DIR          # then one line per rebuild
    python tests/preview_driver.py PROJECT SITE_DIR --once   # one full build, as the preview's first

Prints ``ready``, then after each rebuild what it did (JSON: ``kind`` fast/full, ``written``).
"""

from __future__ import annotations

import json
import os
import sys
import types
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from klartext.staff import PREVIEW_CONFIG, preview_config

SERVE_URL = "http://127.0.0.1:8000/"


def main() -> None:
    project, site_dir = Path(sys.argv[1]).resolve(), sys.argv[2]
    language = os.environ.get("KLARTEXT_TEST_LANGUAGE", "de")
    config_file = project / PREVIEW_CONFIG
    config_file.write_text(preview_config((project / "mkdocs.yml").read_text(encoding="utf-8"), language),
                           encoding="utf-8")
    os.chdir(project)

    def get_config():  # as mkdocs.commands.serve does
        config = load_config(config_file=str(config_file), site_dir=site_dir)
        config.site_url = SERVE_URL
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)

    def builder(config=None) -> None:
        build(config or get_config(), serve_url=SERVE_URL)

    builder(config)
    if "--once" in sys.argv:
        return
    server = config.plugins.on_serve(types.SimpleNamespace(builder=builder), config=config, builder=builder)
    plugin = config.plugins["klartext"]
    print("ready", flush=True)
    for _ in sys.stdin:
        server.builder()
        print(json.dumps(plugin.preview.last), flush=True)


if __name__ == "__main__":
    main()
