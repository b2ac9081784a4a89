"""Where the directory is built from: the GitHub repository of the checkout holding the content.

Read locally only (the environment, `git config`), never over the network: in GitHub Actions the
repository is GITHUB_REPOSITORY; elsewhere it is the `origin` remote of the checkout.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from annuaire.domain.reglages import Origine, origine_depot


def remote_git(dossier: Path) -> str:
    """The URL of the `origin` remote of the checkout holding `dossier` ("" without git or remote)."""
    try:
        sortie = subprocess.run(
            ["git", "-C", str(dossier), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return sortie.stdout.strip() if sortie.returncode == 0 else ""


def origine_du_depot(dossier: Path, environ: Mapping[str, str] = os.environ) -> Origine:
    """The Origine of a directory whose content is in `dossier` (GITHUB_REPOSITORY first)."""
    depot = environ.get("GITHUB_REPOSITORY", "")
    return origine_depot(depot, "" if depot else remote_git(dossier))
