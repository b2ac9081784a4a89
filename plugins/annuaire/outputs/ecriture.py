"""Writing output files: only when their content changed, atomically (write then rename)."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path


def ecrire_si_change(chemin: Path, contenu: str | bytes) -> bool:
    """Write `contenu` to `chemin` unless it already holds exactly that; True when written.

    The new file replaces the old one by rename, so a reader never sees half a file and a hard
    link to the previous version (kept by an atomic publish) is left untouched. A file that does not
    exist yet (the build writes into a fresh folder, not served) is simply created: on a national
    directory, the temporary name and the rename of 65,000 files cost seconds.
    """
    donnees = contenu.encode("utf-8") if isinstance(contenu, str) else contenu
    try:
        if chemin.stat().st_size == len(donnees) and chemin.read_bytes() == donnees:
            return False
    except FileNotFoundError:
        return _creer(chemin, donnees)
    ecrire_atomique(chemin, donnees)
    return True


def ecrire_atomique(chemin: Path, contenu: str | bytes, fsync: bool = False) -> None:
    """Write `contenu` to `chemin` atomically: into a temporary file of the same folder (created
    when missing), then renamed over it, so a reader (or a build killed meanwhile) never sees half
    a file. With `fsync`, the bytes reach the disk before the rename. The one writer of the
    project's files: pages, data files, snapshots, caches."""
    donnees = contenu.encode("utf-8") if isinstance(contenu, str) else contenu
    chemin.parent.mkdir(parents=True, exist_ok=True)
    fd, temporaire = tempfile.mkstemp(dir=chemin.parent, prefix=f".{chemin.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fichier:
            fichier.write(donnees)
            if fsync:
                fichier.flush()
                os.fsync(fichier.fileno())
        os.chmod(temporaire, 0o644)
        os.replace(temporaire, chemin)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporaire)
        raise


def ecrire_pickle(chemin: Path, valeur) -> None:
    """Write a pickle file atomically (`ecrire_atomique`)."""
    ecrire_atomique(chemin, pickle.dumps(valeur, protocol=pickle.HIGHEST_PROTOCOL))


def _creer(chemin: Path, donnees: bytes) -> bool:
    """Create a new file (and its folder when needed); True."""
    try:
        fichier = chemin.open("xb")
    except FileNotFoundError:
        chemin.parent.mkdir(parents=True, exist_ok=True)
        fichier = chemin.open("xb")
    with fichier:
        fichier.write(donnees)
    return True
