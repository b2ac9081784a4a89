"""A full disk, a read-only output (issue 17, class 11), on a small tmpfs the test mounts itself.

The build's folder (output, its fresh twin, its cache beside it) lives on the tmpfs. A build that
the disk stops ends with a French message and a non-zero exit, no traceback; the published output
is untouched (same files, bytes, inodes and dates) and nothing is left behind (no output.nouveau/,
no temporary file); once there is room again, the next build equals a clean one. Mounting needs
root (CAP_SYS_ADMIN): elsewhere the tests are skipped, saying why. `chmod` is not tried: root
writes through it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from aide_construction import construire, copier_contenu, differences, fichiers, reglages, temoin
from test_incremental import renommer

TAILLE = "16m"
RESTES = [300, 50, 5]  # kilobytes left free when the build starts: out of room at different points


def monter(*arguments: str) -> subprocess.CompletedProcess:
    """`mount` with these arguments (its exit code and messages)."""
    return subprocess.run(["mount", *arguments], capture_output=True, text=True, check=False)


@pytest.fixture
def disque(tmp_path):
    """A tmpfs of TAILLE mounted at tmp_path/disque for the test, unmounted afterwards."""
    point = tmp_path / "disque"
    point.mkdir()
    fini = monter("-t", "tmpfs", "-o", f"size={TAILLE}", "tmpfs", str(point))
    if fini.returncode != 0:
        pytest.skip(f"impossible de monter un tmpfs (il faut être root) : {fini.stderr.strip()}")
    try:
        yield point
    finally:
        for montage in (point / "site" / "output", point):  # the bind mount first, if any
            if os.path.ismount(montage):
                subprocess.run(["umount", "-l", str(montage)], check=False)


def tout(dossier: Path) -> dict[str, tuple]:
    """Every file and folder under `dossier`, files with their bytes, inode and modification time."""
    return {
        p.relative_to(dossier).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        if p.is_file()
        else "dossier"
        for p in sorted(dossier.rglob("*"))
    }


def remplir(disque: Path, reste_ko: int) -> Path:
    """Fill the disk but `reste_ko` kilobytes."""
    remplissage = disque / "remplissage"
    etat = os.statvfs(disque)
    libre = etat.f_bavail * etat.f_frsize
    with remplissage.open("wb") as fichier:
        os.posix_fallocate(fichier.fileno(), 0, max(0, libre - reste_ko * 1024))
    return remplissage


def echec_propre(fini, sortie: Path, avant_sortie: dict, avant_site: set, raison: str) -> None:
    """The build failed as it should: French reason, no traceback, output and folder as before."""
    texte = fini.stdout + fini.stderr
    assert fini.returncode != 0, texte
    assert "Traceback" not in texte
    assert f"erreur : impossible d'écrire le site : {raison}" in fini.stderr, texte
    assert f"{sortie}/ est inchangé" in fini.stderr
    assert tout(sortie) == avant_sortie
    nouveaux = set(tout(sortie.parent)) - avant_site  # cache entries written whole may be kept
    assert [c for c in nouveaux if not c.startswith(".cache/") or c.endswith(".tmp") or ".part-" in c] == []
    assert not sortie.with_name("output.nouveau").exists()


def test_disque_plein(disque, tmp_path):
    contenu = copier_contenu(tmp_path)
    sortie = disque / "site" / "output"
    settings = reglages(tmp_path, contenu)  # the cache at its default place: on the tmpfs too
    assert construire(settings, sortie).returncode == 0
    avant_sortie = tout(sortie)
    for reste in RESTES:
        renommer(contenu, "espace-test.yaml", f"Espace sans place {reste}")
        remplissage = remplir(disque, reste)
        avant_site = set(tout(sortie.parent))
        fini = construire(settings, sortie)
        remplissage.unlink()
        echec_propre(fini, sortie, avant_sortie, avant_site, "le disque est plein")
    fini = construire(settings, sortie)  # room again: the build goes through
    assert fini.returncode == 0, fini.stdout + fini.stderr
    assert differences(fichiers(sortie), temoin(tmp_path, contenu)) == []


def test_sortie_en_lecture_seule(disque, tmp_path):
    contenu = copier_contenu(tmp_path)
    sortie = disque / "site" / "output"
    settings = reglages(tmp_path, contenu)
    assert construire(settings, sortie).returncode == 0
    avant_sortie, avant_site = tout(sortie), set(tout(sortie.parent))
    renommer(contenu, "espace-test.yaml", "Espace sur un disque en lecture seule")
    # The whole disk read-only (output, its twin's place, the cache), then the output folder alone
    # (a read-only bind mount: moving files into it is refused).
    assert monter("-o", "remount,ro", str(disque)).returncode == 0
    fini = construire(settings, sortie)
    assert monter("-o", "remount,rw", str(disque)).returncode == 0
    echec_propre(fini, sortie, avant_sortie, avant_site, "le dossier de sortie est en lecture seule")
    assert monter("--bind", str(sortie), str(sortie)).returncode == 0
    assert monter("-o", "remount,bind,ro", str(sortie)).returncode == 0
    fini = construire(settings, sortie)
    echec_propre(fini, sortie, avant_sortie, avant_site, "le dossier de sortie est en lecture seule")
    subprocess.run(["umount", str(sortie)], check=True)
    fini = construire(settings, sortie)
    assert fini.returncode == 0, fini.stdout + fini.stderr
    assert differences(fichiers(sortie), temoin(tmp_path, contenu)) == []
