"""`python -m annuaire`: the command line (see cli.py)."""

import os
import sys

from annuaire.build.entrees import calculs_en_cache
from annuaire.cli.main import main

# The composition root: the commands that build the directory without a site reuse the build's
# caches (the command line itself does not import the build).
code = main(calculs=calculs_en_cache)
# Every file is written and closed by now: leave without tearing down the interpreter, which frees
# a large build's objects one by one (about a second for a 30,000-place directory).
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
