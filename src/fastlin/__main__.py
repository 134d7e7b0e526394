"""``python -m fastlin``: the fastlin command line."""

import sys

from .cli import main

sys.exit(main())
