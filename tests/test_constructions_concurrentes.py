"""Two builds at once, and a build killed in the middle (issue 17, class 1), with real processes.

A build holds its output folder's lock (`build/verrou.py`, `flock`) from its "nothing changed" check
to its end: a second build waits, saying so, then runs; past ANNUAIRE_ATTENTE_VERROU it gives up
with a French message and leaves the output untouched. The kernel releases the lock of a killed
build, and the next build repairs what it left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from aide_construction import (
    construire,
    copier_contenu,
    differences,
    fichiers,
    lancer,
    reglages,
    temoin,
)
from annuaire.build.verrou import verrou_construction
from test_incremental import renommer


def etat(dossier: Path) -> dict[str, tuple]:
    """Every file of a folder with its bytes, inode and modification time: what "untouched" means."""
    return {
        p.relative_to(dossier).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(dossier.rglob("*"))
        if p.is_file()
    }


def test_une_construction_qui_attend_trop_abandonne_clairement(tmp_path):
    contenu = copier_contenu(tmp_path)
    sortie = tmp_path / "site" / "output"
    assert construire(reglages(tmp_path, contenu), sortie).returncode == 0
    avant = etat(sortie)
    renommer(contenu, "espace-test.yaml", "Espace renommé pendant une autre construction")
    with verrou_construction(sortie):  # this test is "the other build"
        debut = time.monotonic()
        fini = construire(reglages(tmp_path, contenu, ANNUAIRE_ATTENTE_VERROU=1.5), sortie)
        duree = time.monotonic() - debut
    assert fini.returncode != 0
    assert "Une autre construction est en cours" in fini.stderr
    assert f"(processus {os.getpid()})" in fini.stderr  # who holds it
    assert "une autre construction occupe ce dossier depuis plus de 1.5 s" in fini.stderr
    assert "Traceback" not in fini.stderr + fini.stdout
    assert 1.5 <= duree < 60
    assert etat(sortie) == avant
    assert not sortie.with_name("output.nouveau").exists()


def test_une_construction_attend_la_fin_de_l_autre_puis_construit(tmp_path):
    contenu = copier_contenu(tmp_path)
    sortie = tmp_path / "site" / "output"
    assert construire(reglages(tmp_path, contenu), sortie).returncode == 0
    renommer(contenu, "espace-test.yaml", "Espace renommé pendant une autre construction")
    with verrou_construction(sortie):
        processus = lancer(reglages(tmp_path, contenu, ANNUAIRE_ATTENTE_VERROU=120), sortie)
        time.sleep(2)
        assert processus.poll() is None  # still waiting
    sortie_std, erreurs = processus.communicate(timeout=300)
    assert processus.returncode == 0, sortie_std + erreurs
    assert "attente de sa fin" in erreurs
    assert differences(fichiers(sortie), temoin(tmp_path, contenu)) == []


def test_deux_constructions_au_meme_moment_donnent_le_site_entier(tmp_path):
    contenu = copier_contenu(tmp_path)
    sortie = tmp_path / "site" / "output"
    for tour in range(2):  # from nothing, then over a published site after a change
        if tour:
            renommer(contenu, "espace-test.yaml", "Espace renommé")
        (tmp_path / f"tour-{tour}").mkdir()
        tout = tour == 0  # a first publication is whole: its search index too
        attendu = temoin(tmp_path / f"tour-{tour}", contenu, tout)
        settings = reglages(tmp_path, contenu)
        processus = [lancer(settings, sortie), lancer(settings, sortie)]
        resultats = [p.communicate(timeout=300) for p in processus]
        for p, (sortie_std, erreurs) in zip(processus, resultats, strict=True):
            assert p.returncode == 0, sortie_std + erreurs
            assert "Traceback" not in sortie_std + erreurs
        assert differences(fichiers(sortie, tout), attendu) == []
        assert not sortie.with_name("output.nouveau").exists()


def attendre_fichier(chemin: Path, processus, delai: float = 120) -> bool:
    """Wait until `chemin` exists (True) or the process ends (False)."""
    limite = time.monotonic() + delai
    while time.monotonic() < limite and processus.poll() is None:
        if chemin.exists():
            return True
        time.sleep(0.005)
    return False


def test_une_construction_tuee_ne_garde_pas_le_verrou_et_la_suivante_repare(tmp_path):
    contenu = copier_contenu(tmp_path)
    sortie = tmp_path / "site" / "output"
    assert construire(reglages(tmp_path, contenu), sortie).returncode == 0
    # Killed while rendering, then while indexing (the fresh folder holds the search index).
    tuees = 0
    for numero, temoin_du_moment in enumerate(("output.nouveau", "output.nouveau/pagefind")):
        renommer(contenu, "espace-test.yaml", f"Espace renommé {numero}")
        processus = lancer(reglages(tmp_path, contenu), sortie)
        if attendre_fichier(sortie.parent / temoin_du_moment, processus):
            with contextlib.suppress(ProcessLookupError):  # it may have ended just now
                os.killpg(processus.pid, signal.SIGKILL)
        processus.communicate(timeout=60)
        tuees += processus.returncode == -signal.SIGKILL
    assert tuees >= 1  # at least one build was killed in the middle
    debut = time.monotonic()
    fini = construire(reglages(tmp_path, contenu, ANNUAIRE_ATTENTE_VERROU=0), sortie)
    assert fini.returncode == 0, fini.stdout + fini.stderr  # the lock was free: no wait at all
    assert "attente" not in fini.stderr
    assert time.monotonic() - debut < 120
    (tmp_path / "apres").mkdir()
    assert differences(fichiers(sortie), temoin(tmp_path / "apres", contenu)) == []
