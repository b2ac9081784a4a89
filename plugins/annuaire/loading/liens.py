"""Symbolic links in the content: a pull request can add a link to a file outside the repository (a
CI runner's home, its tokens); reading it would publish it or echo it in validation messages and
pull-request annotations. Links that stay inside the repository are fine; others are refused
before anything reads them, and the message names the link, never its target."""

from __future__ import annotations

import os
from pathlib import Path

from annuaire.domain.model import Probleme

LIEN_REFUSE = "lien symbolique vers l'extérieur du dépôt : refusé (mettez le fichier lui-même)"


def hors_du_depot(chemin: Path | str, racine: Path) -> bool:
    """True when `chemin` is (or goes through) a link whose target is outside `racine`."""
    try:
        cible = Path(os.path.realpath(chemin))
    except (OSError, ValueError):
        return True
    return not cible.is_relative_to(Path(os.path.realpath(racine)))


def liens_sortants(dossier: Path, racine: Path) -> list[Probleme]:
    """Every link under `dossier` (file or folder, not followed) whose target leaves `racine`, as
    one error each, named relative to `racine`."""
    problemes = []
    for parent, dossiers, noms in os.walk(dossier):
        for nom in sorted(dossiers + noms):
            chemin = os.path.join(parent, nom)
            if os.path.islink(chemin) and hors_du_depot(chemin, racine):
                affiche = Path(os.path.relpath(chemin, racine)).as_posix()
                problemes.append(Probleme(affiche, 1, "", LIEN_REFUSE))
    return problemes
