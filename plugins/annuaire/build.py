"""The full build: Pelican into a fresh folder, then an atomic swap into the output folder.

A build that fails (invalid entries, a template error) leaves the previous output untouched.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from .cli import afficher_problemes
from .gabarits import entetes_http
from .pelican_glue import AnnuaireInvalide
from .recherche import IndexationImpossible, indexer
from .reglages import ReglageInvalide, lire_reglages


def _publier(nouveau: Path, final: Path) -> None:
    """Swap `nouveau` in place of `final` with renames; the old output is removed afterwards."""
    ancien = final.with_name(final.name + ".ancien")
    shutil.rmtree(ancien, ignore_errors=True)
    if final.exists():
        final.rename(ancien)
    nouveau.rename(final)
    shutil.rmtree(ancien, ignore_errors=True)


def _ecrire_entetes(dossier: Path, settings: dict) -> None:
    """The `_headers` file (security headers for hosts that read one), beside index.html."""
    tuiles = lire_reglages(settings.get("ANNUAIRE")).tuiles_url
    (dossier / "_headers").write_text(entetes_http(tuiles), encoding="utf-8")


def lire_settings(chemin: Path, sortie: Path | None = None, surcharges: dict | None = None) -> dict:
    """Pelican settings from `chemin` (pelicanconf.py), with an optional output folder and overrides."""
    if not chemin.is_file():
        raise ReglageInvalide(f"{chemin} : fichier de réglages introuvable")
    override = {"OUTPUT_PATH": str(sortie)} if sortie else {}
    return read_settings(str(chemin), override={**override, **(surcharges or {})})


def construire_site(
    chemin_settings: Path, sortie: Path | None = None, surcharges: dict | None = None
) -> int:
    """Build the site; print problems and return 1 when the directory is invalid.

    `surcharges` overrides settings (tests pin ANNUAIRE_DATE, PATH, SITEURL…).
    """
    debut = time.monotonic()
    try:
        settings = lire_settings(chemin_settings, sortie, surcharges)
    except ReglageInvalide as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 2
    final = Path(settings["OUTPUT_PATH"])
    nouveau = final.with_name(final.name + ".nouveau")
    shutil.rmtree(nouveau, ignore_errors=True)
    settings["OUTPUT_PATH"] = str(nouveau)
    try:
        Pelican(settings).run()
    except AnnuaireInvalide as exc:
        afficher_problemes(exc.problemes, sys.stderr)
        print(f"{len(exc.problemes)} erreur(s) : site non publié, {final}/ est inchangé",
              file=sys.stderr)  # fmt: skip
        shutil.rmtree(nouveau, ignore_errors=True)
        return 1
    except ReglageInvalide as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        shutil.rmtree(nouveau, ignore_errors=True)
        return 2
    try:
        indexer(nouveau)
    except IndexationImpossible as exc:
        print(f"erreur : {exc} ; site non publié, {final}/ est inchangé", file=sys.stderr)
        shutil.rmtree(nouveau, ignore_errors=True)
        return 2
    _ecrire_entetes(nouveau, settings)
    _publier(nouveau, final)
    print(f"Site construit dans {final}/ en {time.monotonic() - debut:.1f} s")
    return 0
