"""Run a Python module as a command, with an operating-system error as a German message.

``python -m klartext.runner mkdocs build …`` runs ``python -m mkdocs build …``; when the generator
dies of a full disk, a read-only folder or missing rights (``OSError``), staff read what happened and
what to do instead of a traceback. Everything else (its output, its exit code) is the module's own.
"""

from __future__ import annotations

import runpy
import sys


def main(argv: list[str]) -> int:
    if not argv:
        print("Aufruf: python -m klartext.runner MODUL [ARGUMENTE …]", file=sys.stderr)
        return 2
    sys.argv = argv
    try:
        runpy.run_module(argv[0], run_name="__main__", alter_sys=True)
    except SystemExit as done:
        if isinstance(done.code, int) or done.code is None:
            return done.code or 0
        print(done.code, file=sys.stderr)
        return 1
    except OSError as error:
        from klartext.publish import explain

        print(f"Die Website kann nicht geschrieben werden: {explain(error)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
