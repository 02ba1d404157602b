"""Build the site without ever destroying the last good one: ``./klartext build``.

The site generator writes into a fresh folder next to ``site/``. Only when it finished without error
does that folder replace ``site/`` (two renames on the same file system); on an error or an
interruption the new folder is removed and ``site/`` stays exactly as it was. Leftovers of a build
that was killed outright (``kill -9``, power loss) are removed by the next build.

The generator is run as a command (``python -m mkdocs build``), so this module knows nothing of MkDocs
beyond its command line.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

NEW = ".new-"
OLD = ".old-"


def build(site_dir: Path, command: list[str]) -> int:
    """Run ``command`` with ``--site-dir <fresh folder>`` and put the result in place of ``site_dir``.

    Returns:
        The exit code: 0 when ``site_dir`` now holds the new site, else non-zero (old site kept).
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with _only_build(site_dir) as alone:
        if not alone:
            print(f"Es läuft schon ein Build für {_shown(site_dir)} Bitte warten, bis er fertig ist, und "
                  "dann erneut starten.", file=sys.stderr)
            return 1
        return _build(site_dir, command)


@contextlib.contextmanager
def _only_build(site_dir: Path) -> Iterator[bool]:
    """Hold a lock beside ``site_dir`` for the whole build: a second build at the same time (a
    colleague, a timer) would otherwise take the first one's folders for leftovers."""
    with open(site_dir.parent / f".{site_dir.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


def _build(site_dir: Path, command: list[str]) -> int:
    _remove_leftovers(site_dir)
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}{NEW}", dir=site_dir.parent))
    try:
        code = _run(command + ["--site-dir", str(work)])
        if code == 0 and not (work / "index.html").is_file():
            print("Der Build hat keine Startseite (index.html) erzeugt.", file=sys.stderr)
            code = 1
        if code != 0:
            print(f"Die Website wurde NICHT erneuert: {_shown(site_dir)} ist unverändert geblieben.",
                  file=sys.stderr)
            return code
        _swap(work, site_dir)
        print(f"Die Website liegt in {_shown(site_dir)}.")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(command: list[str]) -> int:
    """Run the build; on Ctrl+C or SIGTERM stop it and report an interruption."""
    # its own process group, so that its worker processes (PDFs) stop with it
    process = subprocess.Popen(command, start_new_session=True)
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        return process.wait()
    except KeyboardInterrupt:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):  # also a second Ctrl+C
            pass
        finally:
            _signal_group(process, signal.SIGKILL)  # workers that outlived the build
            process.wait()
        print("Der Build wurde abgebrochen.", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _swap(work: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``work``; ``site_dir`` is missing only between two renames."""
    old = site_dir.parent / f".{site_dir.name}{OLD}{os.getpid()}"
    if site_dir.exists():
        site_dir.rename(old)
    work.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(site_dir: Path) -> None:
    """Remove folders of earlier builds that were killed before they could clean up."""
    olds = sorted(site_dir.parent.glob(f".{site_dir.name}{OLD}*"))
    if olds and not site_dir.exists():  # killed between the two renames of _swap: bring it back
        olds.pop().rename(site_dir)
    for folder in [*olds, *site_dir.parent.glob(f".{site_dir.name}{NEW}*")]:
        shutil.rmtree(folder, ignore_errors=True)


_TYPED_IN: Path | None = None
"""The folder the command was typed in (the build itself runs in the project's folder)."""


def _shown(path: Path) -> str:
    try:
        return f"{path.relative_to(_TYPED_IN or Path.cwd())}/"
    except ValueError:
        return f"{path}/"


IFRAME_WORKER = ("https://registry.npmjs.org/iframe-worker/-/iframe-worker-1.0.4.tgz",
                 "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q==")
"""npm package (MIT) that lets the search run in a page opened from the file system; pinned."""


def iframe_worker(cache: Path) -> Path:
    """The iframe-worker shim, downloaded once from the npm registry and checked against its hash."""
    url, integrity = IFRAME_WORKER
    target = cache / Path(url).name.replace(".tgz", "") / "shim.js"
    if target.is_file():
        return target
    import base64
    import hashlib
    import io
    import tarfile
    import urllib.request

    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - fixed https URL
        archive = response.read()
    algorithm, _, expected = integrity.partition("-")
    if base64.b64encode(hashlib.new(algorithm, archive).digest()).decode() != expected:
        raise SystemExit(f"{url}: Prüfsumme stimmt nicht; Download abgebrochen.")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        shim = tar.extractfile("package/shim/index.js").read()
        license_text = tar.extractfile("package/LICENSE").read()
    target.parent.mkdir(parents=True, exist_ok=True)
    (target.parent / "LICENSE").write_bytes(license_text)
    partial = target.with_suffix(".part")
    partial.write_bytes(shim)
    os.replace(partial, target)  # never a half-written shim that counts as present
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="./klartext build",
        description="Website bauen; die bisherige Fassung bleibt erhalten, bis die neue fertig ist.")
    parser.add_argument("--config", default="mkdocs.yml", help="Pfad zur mkdocs.yml des Projekts")
    parser.add_argument("--site-dir", help="Zielordner (Standard: site, offline: site-offline, im Projekt)")
    parser.add_argument("--offline", action="store_true",
                        help="Fassung zum Öffnen vom Dateisystem (ohne Server, mit Suche)")
    args, rest = parser.parse_known_args(argv)
    config = Path(args.config).resolve()
    root = config.parent  # the project: defaults are inside it, never in the engine's folder
    if args.offline:
        os.environ["KLARTEXT_OFFLINE"] = "true"
        os.environ["KLARTEXT_IFRAME_WORKER"] = str(iframe_worker(root / ".cache"))
    if args.site_dir:
        site_dir = Path(args.site_dir).resolve()  # as typed: relative to the current folder
    else:
        site_dir = root / ("site-offline" if args.offline else _configured_site_dir(config))
    global _TYPED_IN
    _TYPED_IN = Path.cwd()
    os.chdir(root)  # the build runs in the project's folder, wherever the command was typed
    return build(site_dir, [sys.executable, "-m", "mkdocs", "build", "-f", str(config), *rest])


def _configured_site_dir(config: Path) -> str:
    from klartext.configfile import read_config

    return str(read_config(config).get("site_dir") or "site") if config.is_file() else "site"


if __name__ == "__main__":
    sys.exit(main())
