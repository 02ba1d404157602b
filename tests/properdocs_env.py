"""The second runtime: a virtual environment with ProperDocs instead of MkDocs (``.venv-properdocs``).

ProperDocs 1.6.x (PyPI ``properdocs``) is a maintained fork of MkDocs 1.6 that redirects every
``mkdocs.*`` import to ``properdocs.*`` and reads plugins registered under ``mkdocs.plugins``. Material
and the i18n plugin declare ``mkdocs`` as a dependency, so they are installed with ``--no-deps`` (their
other dependencies from their metadata); everything else comes from pyproject.toml, pinned by
constraints.txt. The Klartext package is installed with ``--no-deps`` for its plugin entry point; the
build runs with ``PYTHONPATH=hooks`` so that the code of the working tree is the code tested.

    python tests/properdocs_env.py [.venv-properdocs]   # create or refresh (``./klartext setup`` does)
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-properdocs"
PROPERDOCS = "properdocs==1.6.7"
RUNTIME_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n")
"""Packages that depend on MkDocs itself: never resolved by pip in this environment."""


def python(venv: Path = VENV) -> Path:
    return venv / "bin" / "python"


def ensure(venv: Path = VENV) -> Path:
    """Create or refresh the environment when pyproject.toml, constraints.txt or this file changed."""
    stamp = venv / f".klartext-{_fingerprint()}"
    if stamp.is_file():
        return venv
    if not python(venv).is_file():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = {_name(requirement): requirement for requirement in dependencies}
    others = [requirement for name, requirement in pins.items() if name not in RUNTIME_PACKAGES]
    _pip(venv, PROPERDOCS, *others)
    runtime = [pins[name] for name in RUNTIME_PACKAGES if name in pins and name != "mkdocs"]
    _pip(venv, "--no-deps", *runtime)
    _pip(venv, *_dependencies_of(venv, [name for name in RUNTIME_PACKAGES if name != "mkdocs"]))
    _pip(venv, "--no-deps", str(ROOT))  # the plugin's entry point (klartext = klartext.plugin…)
    check = subprocess.run([str(python(venv)), "-c", "import importlib.util, sys; "
                            "sys.exit(importlib.util.find_spec('mkdocs') is not None)"], capture_output=True)
    if check.returncode != 0:
        raise SystemExit(f"{venv}: MkDocs itself is installed there; remove the folder and run again.")
    for old in venv.glob(".klartext-*"):
        old.unlink()
    stamp.touch()
    return venv


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt", "tests/properdocs_env.py"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[=<>!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _dependencies_of(venv: Path, packages: list[str]) -> list[str]:
    """What ``packages`` require, without MkDocs and without extras."""
    code = ("import json, sys; from importlib.metadata import requires; "
            "print(json.dumps([r for p in sys.argv[1:] for r in (requires(p) or []) if 'extra ==' not in r]))")
    import json

    found = json.loads(subprocess.run([str(python(venv)), "-c", code, *packages], check=True,
                                      capture_output=True, text=True).stdout)
    return sorted({requirement for requirement in found if _name(requirement) not in RUNTIME_PACKAGES})


def _pip(venv: Path, *args: str) -> None:
    subprocess.run([str(python(venv)), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "-c", str(ROOT / "constraints.txt"), *args], check=True)


if __name__ == "__main__":
    print(ensure(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else VENV))
