"""`python -m annuaire`: the command line (see cli.py)."""

import os
import sys

from annuaire.cli.main import main

code = main()
# Every file is written and closed by now: leave without tearing down the interpreter, which frees
# a large build's objects one by one (about a second for a 30,000-place directory).
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
