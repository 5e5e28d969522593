"""``python -m grader``: the kit's command line."""

import sys

from grader.cli import main

sys.exit(main())
