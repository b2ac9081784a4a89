"""Showing problems to a person: `path:line: field: message`, or GitHub Actions annotations; for
`validate`, warnings grouped by kind with counts (20,000 after an import bury the real problems).

Used by the command line (validate) and by the build (a site that does not validate), which
therefore do not import each other.
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from typing import TextIO

from annuaire.domain.model import Probleme
from annuaire.domain.texte import MOIS


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


# --- warnings grouped by kind ---------------------------------------------------------------------

_CITATION = re.compile(r"«[^»]*»")
_DATE = re.compile(r"\b\d{1,2}(?:er)? (?:" + "|".join(MOIS) + r") \d{4}\b")
_NOMBRE = re.compile(r"\b(?!0{14}\b)\d+(?:[.,]\d+)?")  # the standard's placeholder pivot stays
_LISTE_DE_CHAMPS = re.compile(r" : [a-z_]+(?:, [a-z_]+)*$")
_COMMUNE = re.compile(r"(?<=des autres lieux de ).+?(?= : )")  # a commune named without quotes
EXEMPLES = 3  # entries named for each kind of warning


def genre(probleme: Probleme) -> tuple[str, str]:
    """The kind of a problem: its field and its message with the values taken out (quoted values,
    dates, numbers, a trailing list of field names), so that 20,000 warnings make a few kinds."""
    message = _CITATION.sub("« … »", probleme.message)
    message = _NOMBRE.sub("N", _DATE.sub("…", _COMMUNE.sub("…", message)))
    return probleme.champ, _LISTE_DE_CHAMPS.sub(" : …", message)


def par_genre(problemes: list[Probleme]) -> list[tuple[tuple[str, str], list[Probleme]]]:
    """Problems grouped by kind, the biggest group first (then by field and message)."""
    groupes: dict[tuple[str, str], list[Probleme]] = defaultdict(list)
    for probleme in problemes:
        groupes[genre(probleme)].append(probleme)
    return sorted(groupes.items(), key=lambda element: (-len(element[1]), element[0]))


def ligne_de_genre(cle: tuple[str, str], problemes: list[Probleme]) -> str:
    """Two French lines for a kind: count, field and message, then where to look first."""
    champ, message = cle
    exemples = ", ".join(f"{p.chemin}:{p.ligne}" for p in problemes[:EXEMPLES])
    suite = " …" if len(problemes) > EXEMPLES else ""
    return f"{len(problemes):>7} × {champ + ': ' if champ else ''}{message}\n          ex. {exemples}{suite}"


def afficher_validation(problemes: list[Probleme], details: bool = False, flux: TextIO | None = None) -> None:
    """What `validate` prints: every error in full, then the warnings grouped by kind with counts
    (all of them one by one with `details`, and always in GitHub Actions, where each one becomes
    an annotation on its line)."""
    flux = flux or sys.stdout
    erreurs = [p for p in problemes if p.est_erreur]
    avertissements = [p for p in problemes if not p.est_erreur]
    if details or os.environ.get("GITHUB_ACTIONS") == "true":
        afficher_problemes(erreurs + avertissements, flux)
        return
    afficher_problemes(erreurs, flux)
    if avertissements:
        groupes = par_genre(avertissements)
        print(f"Avertissements, {len(groupes)} genres (chacun : make validate DETAILS=1) :", file=flux)
        for cle, groupe in groupes:
            print(ligne_de_genre(cle, groupe), file=flux)
