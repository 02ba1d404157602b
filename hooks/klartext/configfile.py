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
_Dumper.add_representer(Tagged, lambda dumper, value: dumper.represent_sequence("!ENV", value, flow_style=True))


def read_config(path: Path) -> dict[str, Any]:
    """The configuration as data; ``!ENV`` values stay :class:`Tagged` so that writing keeps them."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}


def write_config(path: Path, config: dict[str, Any]) -> None:
    path.write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
