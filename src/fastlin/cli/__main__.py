"""``python -m fastlin.cli``: the fastlin command line."""

import sys

from . import main

sys.exit(main())
