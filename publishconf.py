"""Production settings: those of pelicanconf.py, plus the public URL from the environment.

SITEURL may hold a sub-path (GitHub Pages project sites: https://org.github.io/annuaire).
"""

import os
import runpy

globals().update(
    {
        k: v
        for k, v in runpy.run_path(os.path.join(os.path.dirname(__file__), "pelicanconf.py")).items()
        if k.isupper()
    }
)
SITEURL = os.environ.get("SITEURL", "")
# URL_PUBLIQUE: the Pages address given by the workflow; empty: derived from GITHUB_REPOSITORY.
ANNUAIRE = {**ANNUAIRE, "url_publique": os.environ.get("URL_PUBLIQUE", "")}  # noqa: F821
