"""``python -m klartext``: the same as the console command ``klartext``."""

import sys

from klartext.command import main

sys.exit(main())
