"""Showing problems to a person: `path:line: field: message`, or GitHub Actions annotations.

Used by the command line (validate) and by the build (a site that does not validate), which
therefore do not import each other.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from annuaire.domain.model import Probleme


def _donnee(texte: str) -> str:
    """A workflow command's message, escaped as GitHub documents (a line break would end the
    command and let the rest forge another one)."""
    return texte.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _propriete(texte: str) -> str:
    """A workflow command's property value (file=…): also ":" and ",", which would end it."""
    return _donnee(texte).replace(":", "%3A").replace(",", "%2C")


def annotation_github(probleme: Probleme) -> str:
    """The GitHub Actions form of a problem, shown on the pull request's changed line. A file name
    comes from the pull request: it is escaped like the message, so it cannot forge annotations."""
    niveau = "error" if probleme.est_erreur else "warning"
    message = f"{probleme.champ}: {probleme.message}" if probleme.champ else probleme.message
    return f"::{niveau} file={_propriete(probleme.chemin)},line={probleme.ligne}::{_donnee(message)}"


def afficher_problemes(problemes: list[Probleme], flux: TextIO | None = None) -> None:
    """Print problems as `path:line: field: message` (GitHub annotations in Actions) on `flux`
    (the standard output by default, looked up at the call: tests capture it)."""
    flux = flux or sys.stdout
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    for probleme in problemes:
        print(annotation_github(probleme) if github else str(probleme), file=flux)
