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
import errno
import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

NEW = ".new-"
OLD = ".old-"
DIRECTORY_MODE, FILE_MODE = 0o755, 0o644
"""Modes of the published site: readable by the web server's user, whatever the umask or the
temporary folder's 0700 (copied with ``cp -a``/``rsync -a``, a 0700 folder answers 403)."""


def build(site_dir: Path, command: list[str]) -> int:
    """Run ``command`` with ``--site-dir <fresh folder>`` and put the result in place of ``site_dir``.

    Returns:
        The exit code: 0 when ``site_dir`` now holds the new site, else non-zero (old site kept).
    """
    site_dir = site_dir.resolve()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with _only_build(site_dir) as alone:
            if not alone:
                print(f"Es läuft schon ein Build für {_shown(site_dir)} Bitte warten, bis er fertig ist, und "
                      "dann erneut starten.", file=sys.stderr)
                return 1
            return _build(site_dir, command)
    except OSError as error:  # the folder beside site/ cannot be written (read-only, full, no rights)
        print(f"Die Website wurde NICHT erneuert: {explain(error)}", file=sys.stderr)
        return 1


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
    reason = why_not_replaceable(site_dir)
    if reason:  # said before the build, not after minutes of work that could not be used
        print(f"Die Website kann NICHT erneuert werden: {reason} {_shown(site_dir)} bleibt unverändert.",
              file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}{NEW}", dir=site_dir.parent))
    try:
        code = _run(command + ["--site-dir", str(work)])
        if code == 0 and not (work / "index.html").is_file():
            print("Der Build hat keine Startseite (index.html) erzeugt.", file=sys.stderr)
            code = 1
        if code == 0:
            try:
                _publishable(work)
                _swap(work, site_dir)
            except OSError as error:
                print(f"Die neue Website kann nicht an die Stelle der alten treten: {explain(error)}",
                      file=sys.stderr)
                code = 1
        if code != 0:
            print(f"Die Website wurde NICHT erneuert: {_shown(site_dir)} ist unverändert geblieben.",
                  file=sys.stderr)
            return code
        print(f"Die Website liegt in {_shown(site_dir)}.")
        return 0
    finally:
        _remove(work)


def _run(command: list[str]) -> int:
    """Run the build; on Ctrl+C or SIGTERM stop it (and its workers) and report an interruption.

    The build stays in this command's process group, so ``kill -9`` of the group (a CI timeout, a
    process manager) stops it with its PDF workers at once; it ignores Ctrl+C from the terminal (this
    process stops it in order) and dies with this process if only this one is killed.
    """
    parent = os.getpid()
    process = subprocess.Popen(command, preexec_fn=lambda: _build_process_setup(parent))
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        return process.wait()
    except KeyboardInterrupt:
        _stop(process)
        print("Der Build wurde abgebrochen.", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build_process_setup(parent: int) -> None:
    """In the build process, before it starts: no Ctrl+C of its own, and death with its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the PDF workers
    die_with_parent(parent)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel send SIGKILL to this process when its parent dies (Linux; elsewhere nothing).

    ``parent``: the process id the parent had when it started this one; if the parent is already gone
    (this process was adopted), exit at once.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = parent or os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request: follow it now
        os._exit(1)


def _stop(process: subprocess.Popen) -> None:
    """Stop the build and everything it started: SIGTERM, then SIGKILL for what is left."""
    family = [process.pid, *_descendants(process.pid)]
    _signal(family, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        try:
            time.sleep(0.05)
        except KeyboardInterrupt:  # a second Ctrl+C: stop waiting
            break
    _signal([*family, *_descendants(process.pid)], signal.SIGKILL)  # workers that outlived the build
    process.wait()


def _descendants(pid: int) -> list[int]:
    """Process ids of the children, grandchildren, ... of ``pid`` (from /proc; empty elsewhere)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _signal(pids: list[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _publishable(folder: Path) -> None:
    """Give the new site the modes of a published site (directories 0755, files 0644)."""
    os.chmod(folder, DIRECTORY_MODE)
    for parent, directories, files in os.walk(folder):
        for name in directories:
            os.chmod(os.path.join(parent, name), DIRECTORY_MODE)
        for name in files:
            path = os.path.join(parent, name)
            if not os.path.islink(path):
                os.chmod(path, FILE_MODE)


def _swap(work: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``work``; ``site_dir`` is missing only between two renames.

    Raises:
        OSError: when ``site_dir`` could not be replaced; it is then as it was.
    """
    old = site_dir.parent / f".{site_dir.name}{OLD}{os.getpid()}"
    moved = False
    if site_dir.exists():
        site_dir.rename(old)
        moved = True
    try:
        work.rename(site_dir)
    except OSError:
        if moved:
            old.rename(site_dir)
        raise
    if moved:
        _remove(old)


def _remove(folder: Path) -> None:
    """Delete a folder of ours (a new build, an old copy); say so if that is impossible."""
    if not os.path.lexists(folder):
        return
    failures: list[OSError] = []

    def retry_writable(function, path, info):  # our own copy with read-only folders (chmod a-w)
        error = info[1] if isinstance(info, tuple) else info
        parent = os.path.dirname(path)
        try:
            os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
            function(path)
        except OSError:
            failures.append(error)

    shutil.rmtree(folder, onerror=retry_writable)
    if failures and os.path.lexists(folder):
        print(f"Hinweis: Der Ordner {_shown(folder)} (Rest eines Builds) kann nicht gelöscht werden: "
              f"{explain(failures[0])} Bitte von Hand löschen.", file=sys.stderr)


def _remove_leftovers(site_dir: Path) -> None:
    """Remove folders of earlier builds that were killed before they could clean up."""
    olds = sorted(site_dir.parent.glob(f".{site_dir.name}{OLD}*"))
    if olds and not site_dir.exists():  # killed between the two renames of _swap: bring it back
        olds.pop().rename(site_dir)
    for folder in [*olds, *site_dir.parent.glob(f".{site_dir.name}{NEW}*")]:
        _remove(folder)


def why_not_replaceable(site_dir: Path) -> str | None:
    """Why ``site_dir`` cannot be replaced by a new build (German, with what to do), or None.

    Replacing needs a writable folder beside it and, to delete the old site afterwards, every folder
    in it writable and no file in it unchangeable (``chattr +i``); as root, the access check also
    sees immutable files and read-only file systems.
    """
    parent = site_dir.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        return _not_writable(parent)
    if not site_dir.is_dir() or site_dir.is_symlink():
        return None
    for folder, directories, files in os.walk(site_dir):
        if not os.access(folder, os.W_OK | os.X_OK):
            return _not_writable(Path(folder))
        for name in files:  # a file blocks its deletion only when unchangeable (chattr +i)
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            euid = os.geteuid()
            owner_may_write = euid == 0 or (info.st_uid == euid and info.st_mode & stat.S_IWUSR)
            if stat.S_ISREG(info.st_mode) and owner_may_write and not os.access(path, os.W_OK):
                return _not_writable(Path(path))
    return None


def _not_writable(path: Path) -> str:
    shown = _shown(path) if path.is_dir() else _shown(path).rstrip("/")
    if _read_only_mount(path):
        return (f"{shown} liegt auf einem schreibgeschützten Laufwerk (nur lesbar eingehängt). Bitte das "
                "Laufwerk beschreibbar einhängen oder mit --site-dir einen anderen Zielordner wählen.")
    if _immutable(path):
        return (f"{shown} ist unveränderlich gesperrt (chattr +i). Bitte die Sperre aufheben "
                f"(chattr -R -i {_shown(path).rstrip('/')}) und erneut bauen.")
    return (f"{shown} ist schreibgeschützt (keine Schreibrechte). Bitte Schreibrechte geben "
            f"(chmod -R u+w {_shown(path).rstrip('/')}) oder mit --site-dir einen anderen Zielordner wählen.")


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _immutable(path: Path) -> bool:
    """Whether ``path`` carries the immutable or append-only attribute (Linux, FS_IOC_GETFLAGS)."""
    if not sys.platform.startswith("linux"):
        return False
    import array

    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        flags = array.array("l", [0])
        fcntl.ioctl(descriptor, 0x80086601, flags, True)  # FS_IOC_GETFLAGS
        return bool(flags[0] & (0x10 | 0x20))  # FS_IMMUTABLE_FL, FS_APPEND_FL
    except OSError:
        return False
    finally:
        os.close(descriptor)


_REASONS = {
    errno.ENOSPC: "Auf dem Datenträger ist kein Platz mehr frei. Bitte Platz schaffen (z. B. alte Dateien "
                  "löschen) und erneut bauen.",
    errno.EDQUOT: "Das Speicherkontingent (Quota) ist erschöpft. Bitte Platz schaffen und erneut bauen.",
    errno.EROFS: "Das Laufwerk ist schreibgeschützt (nur lesbar eingehängt). Bitte beschreibbar einhängen "
                 "oder {elsewhere}.",
    errno.EACCES: "Keine Schreibrechte. Bitte Schreibrechte geben (chmod -R u+w) oder {elsewhere}.",
    errno.EPERM: "Der Vorgang ist nicht erlaubt; meist ist die Datei oder der Ordner unveränderlich gesperrt "
                 "(chattr +i). Bitte die Sperre aufheben (chattr -R -i) und erneut bauen.",
    errno.ENOENT: "Diesen Ordner gibt es nicht. Bitte einen vorhandenen Ordner angeben.",
    errno.EBUSY: "Der Ordner wird gerade benutzt (z. B. als Einhängepunkt oder von einem anderen Programm). "
                 "Bitte das andere Programm beenden oder {elsewhere}.",
}


def explain(error: OSError, elsewhere: str = "mit --site-dir einen anderen Zielordner wählen") -> str:
    """A German sentence for an operating-system error while writing: what happened, where, what to do
    (``elsewhere``: how to write somewhere else instead)."""
    where = f" ({_shown(Path(error.filename)).rstrip('/')})" if error.filename else ""
    reason = _REASONS.get(error.errno, "").format(elsewhere=elsewhere) or None
    if reason is None:
        return (f"Fehler des Betriebssystems{where}: {error.strerror or error} "
                f"({errno.errorcode.get(error.errno, error.errno)}).")
    first, _, rest = reason.partition(". ")
    return f"{first}{where}. {rest}"


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
    return build(site_dir, [sys.executable, "-m", "klartext.runner", "mkdocs", "build", "-f", str(config), *rest])


def _configured_site_dir(config: Path) -> str:
    from klartext.configfile import read_config

    return str(read_config(config).get("site_dir") or "site") if config.is_file() else "site"


if __name__ == "__main__":
    sys.exit(main())
