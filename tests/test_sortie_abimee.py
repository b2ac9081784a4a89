"""A published output damaged by hand (issue 17, class 2): pages kept by an incremental build, or
a build with nothing to do, are checked against what was published (build/signatures.py).

A sheet deleted, another overwritten (same size, other bytes), a third replaced by a link: the next
build renders them again, and the site equals a clean build's, in both ways a build may keep pages.
"""

from __future__ import annotations

import os
from pathlib import Path

from aide_construction import construire, copier_contenu, differences, fichiers, reglages, temoin
from conftest import construire_site_test

SUPPRIMEE = "lieux/espace-test/index.html"
ECRASEE = "lieux/mediatheque-exemple/index.html"
LIEN = "lieux/atelier-hostile/index.html"


def abimer(sortie: Path, ailleurs: Path) -> None:
    """What a hand, a sync tool or an older build may do to a published output."""
    (sortie / SUPPRIMEE).unlink()
    ecrasee = sortie / ECRASEE
    taille = ecrasee.stat().st_size
    ecrasee.write_bytes(b"<p>abime</p>".ljust(taille, b" "))  # same size, same inode: other bytes
    ailleurs.write_text("<p>ailleurs</p>", encoding="utf-8")
    (sortie / LIEN).unlink()
    os.symlink(ailleurs, sortie / LIEN)


def test_une_reconstruction_incrementale_refait_les_pages_abimees(tmp_path):
    contenu = copier_contenu(tmp_path)
    sortie = tmp_path / "site" / "output"
    assert construire_site_test(contenu, sortie) == 0
    abimer(sortie, tmp_path / "ailleurs.html")
    assert construire_site_test(contenu, sortie) == 0  # every other page is kept
    assert not (sortie / LIEN).is_symlink()
    propre = tmp_path / "temoin"  # built the same way, with a cache of its own
    assert construire_site_test(contenu, propre / "output", ANNUAIRE_CACHE=str(propre / "cache")) == 0
    assert differences(fichiers(sortie), fichiers(propre / "output")) == []


def test_une_construction_sans_changement_refait_les_pages_abimees(tmp_path):
    contenu = copier_contenu(tmp_path)
    sortie = tmp_path / "site" / "output"
    settings = reglages(tmp_path, contenu)
    assert construire(settings, sortie).returncode == 0
    assert "Rien n'a changé" in construire(settings, sortie).stdout
    abimer(sortie, tmp_path / "ailleurs.html")
    fini = construire(settings, sortie)
    assert fini.returncode == 0, fini.stdout + fini.stderr
    assert "Rien n'a changé" not in fini.stdout
    assert " gardées" in fini.stderr and " 0 gardées" not in fini.stderr  # the others are kept
    assert differences(fichiers(sortie), temoin(tmp_path, contenu)) == []
    assert "Rien n'a changé" in construire(settings, sortie).stdout  # and it is trusted again
