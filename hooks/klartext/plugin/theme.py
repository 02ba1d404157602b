"""The engine's templates, styles, scripts and icons, served from the package (nothing to copy).

The package's ``theme/`` folder goes between the project's own ``custom_dir`` (which still overrides
anything) and Material's templates; MkDocs copies its static files (``assets/klartext/…``) into the
site like any theme file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from klartext.render import THEME_DIR

ASSETS = "assets/klartext/"
STYLES = (ASSETS + "klartext.css", ASSETS + "klartext-controlling.css")
SCRIPTS = (ASSETS + "klartext.js",)
FAVICON = ASSETS + "favicon.svg"
_MATERIAL_FAVICON = "assets/images/favicon.png"


def install(config: Any) -> None:
    """Add the engine's template folder and assets to ``config`` (idempotent: runs per language)."""
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        theme_index = next((index for index, folder in enumerate(dirs)
                            if (Path(folder) / "mkdocs_theme.yml").is_file()), len(dirs))
        dirs.insert(theme_index, str(THEME_DIR))
    # the project's own styles come after ours, so they win
    config.extra_css[:0] = [style for style in STYLES if style not in config.extra_css]
    present = {str(script) for script in config.extra_javascript}
    config.extra_javascript[:0] = [script for script in SCRIPTS if script not in present]
    if config.theme.get("favicon") in (None, _MATERIAL_FAVICON):
        config.theme["favicon"] = FAVICON
