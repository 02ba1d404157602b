"""Read and write ``mkdocs.yml`` as plain data, keeping MkDocs' tags such as ``!ENV [NAME, default]``.

Used by the commands (languages, settings) and by tests and benchmarks that copy the configuration.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class Tagged(list):
    """A value written with a YAML tag (``!ENV [KLARTEXT_OFFLINE, false]``), kept as it is."""

    tag = "!ENV"


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_constructor("!ENV", lambda loader, node: Tagged(loader.construct_sequence(node)))
# other MkDocs tags (!relative, !!python/name:…) are not needed by our commands: read them as None
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Dumper.add_representer(Tagged, lambda dumper, value: dumper.represent_sequence("!ENV", value, flow_style=True))


def read_config(path: Path) -> dict[str, Any]:
    """The configuration as data; ``!ENV`` values stay :class:`Tagged` so that writing keeps them."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}


def write_config(path: Path, config: dict[str, Any]) -> None:
    path.write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


def data_dir(config_path: Path) -> Path:
    """The concept's data folder: ``extra.klartext.data_dir`` (default ``data``) beside mkdocs.yml."""
    settings = (read_config(config_path).get("extra") or {}).get("klartext") or {}
    return config_path.parent / settings.get("data_dir", "data")
