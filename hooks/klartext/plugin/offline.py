"""The offline copy (Material's offline plugin) with a locally served iframe-worker shim."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

IFRAME_WORKER = "assets/javascripts/iframe-worker.js"


def enabled(config: Any) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


def use_local_shim(config: Any) -> None:
    """Point Material at our copy of the shim instead of its CDN address."""
    config.extra["polyfills"] = [*(script for script in config.extra.get("polyfills", [])
                                   if "iframe-worker" not in str(script)), IFRAME_WORKER]


def iframe_worker_file(config: Any) -> File:
    """The locally served iframe-worker shim (Material's offline plugin would load it from a CDN)."""
    shim = os.environ.get("KLARTEXT_IFRAME_WORKER", "")
    if not Path(shim).is_file():
        raise PluginError("Für die Offline-Fassung fehlt das Skript iframe-worker. Bitte mit "
                          "„./klartext offline“ bauen (lädt es einmal aus dem npm-Verzeichnis).")
    return File.generated(config, IFRAME_WORKER, abs_src_path=shim)
