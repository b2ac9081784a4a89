"""One build at a time per output folder, and the French words for a disk that says no.

Two builds into the same folder (a contributor's `make serve` while the editor saves, a cron beside a
manual build) used to interleave their publications and leave a few hundred files. A build now
takes an exclusive lock (`flock`, released by the kernel even when the process is killed) on a file
beside the output; a second build waits for it, saying so, up to a limit, then gives up clearly.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ATTENTE_MAX = 900.0  # seconds a build waits for another one before giving up
PAUSE = 0.2


class ConstructionEnCours(Exception):
    """Another build holds the output folder's lock for longer than the wait allowed."""


def fichier_verrou(sortie: Path) -> Path:
    """The lock file of an output folder: beside it, like its `.nouveau` twin."""
    return sortie.with_name(f".{sortie.name}.verrou")


def _prendre(descripteur: int) -> bool:
    """Try to take the lock without waiting."""
    try:
        fcntl.flock(descripteur, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _qui(chemin: Path) -> str:
    """The process id written in the lock file by its holder, for the message."""
    with contextlib.suppress(OSError, ValueError):
        return f" (processus {int(chemin.read_text().strip())})"
    return ""


@contextlib.contextmanager
def verrou_construction(sortie: Path, attente_max: float = ATTENTE_MAX) -> Iterator[None]:
    """Hold the output folder's build lock for the block; wait for another build, up to
    `attente_max` seconds (raise ConstructionEnCours after that)."""
    chemin = fichier_verrou(sortie)
    descripteur, inscriptible = _ouvrir(chemin)
    try:
        _attendre(descripteur, chemin, attente_max)
        if inscriptible:  # the holder's id, for the message of a build that waits
            with contextlib.suppress(OSError):  # a full disk: the lock holds without it
                os.ftruncate(descripteur, 0)
                os.write(descripteur, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(descripteur)  # closing releases the lock


def _ouvrir(chemin: Path) -> tuple[int, bool]:
    """The lock file's descriptor, and whether it is writable. A lock file left on a folder that is
    read-only now is opened for reading: `flock` works on it all the same (the build then fails
    clearly when it writes, see `raison_disque`)."""
    try:
        chemin.parent.mkdir(parents=True, exist_ok=True)
        return os.open(chemin, os.O_RDWR | os.O_CREAT, 0o644), True
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC):
            raise
        try:
            return os.open(chemin, os.O_RDONLY), False
        except FileNotFoundError:
            raise exc from None


def _attendre(descripteur: int, chemin: Path, attente_max: float) -> None:
    """Take the lock, waiting (and saying so once) while another build holds it."""
    if _prendre(descripteur):
        return
    print(
        f"Une autre construction est en cours dans ce dossier{_qui(chemin)} : "
        f"attente de sa fin (au plus {attente_max:g} s)…",
        file=sys.stderr,
        flush=True,
    )
    limite = time.monotonic() + attente_max
    while not _prendre(descripteur):
        if time.monotonic() > limite:
            raise ConstructionEnCours(
                f"une autre construction occupe ce dossier depuis plus de {attente_max:g} s{_qui(chemin)} ; "
                "réessayez quand elle sera finie (durée d'attente : réglage ANNUAIRE_ATTENTE_VERROU)"
            )
        time.sleep(PAUSE)


# What the system says when the disk cannot take the build, in plain French.
_RAISONS_DISQUE = {
    errno.ENOSPC: "le disque est plein",
    errno.EDQUOT: "le quota de disque est atteint",
    errno.EROFS: "le dossier de sortie est en lecture seule",
    errno.EACCES: "pas le droit d'écrire dans le dossier de sortie",
    errno.EPERM: "pas le droit d'écrire dans le dossier de sortie",
    errno.EIO: "erreur d'entrée-sortie du disque",
    # The output folder is a mount point of its own (a volume): files cannot be moved into it.
    errno.EXDEV: "le dossier de sortie est sur un autre disque que son dossier parent (point de montage)",
    errno.EBUSY: "le dossier de sortie est occupé (point de montage ?)",
}
ERREURS_DISQUE = frozenset(_RAISONS_DISQUE)


def attente_reglee(valeur) -> float:
    """The wait limit from the setting ANNUAIRE_ATTENTE_VERROU (seconds; default ATTENTE_MAX);
    ValueError with a French message when it is not a number of seconds."""
    if valeur is None:
        return ATTENTE_MAX
    if isinstance(valeur, bool) or not isinstance(valeur, (int, float, str)):
        raise ValueError("ANNUAIRE_ATTENTE_VERROU doit être un nombre de secondes")
    try:
        secondes = float(valeur)
    except ValueError:
        raise ValueError("ANNUAIRE_ATTENTE_VERROU doit être un nombre de secondes") from None
    if not 0 <= secondes < 10**7:
        raise ValueError("ANNUAIRE_ATTENTE_VERROU doit être un nombre de secondes positif")
    return secondes


def raison_disque(exc: OSError, sortie: Path | None = None) -> str:
    """A French reason for a failed write (disk full, read-only, no right…); a read-only `sortie`
    says so whatever the system answered first (moving into a read-only mount gives EXDEV)."""
    raison = _RAISONS_DISQUE.get(exc.errno or 0, exc.strerror or exc.__class__.__name__)
    if sortie is not None and _lecture_seule(sortie):
        raison = _RAISONS_DISQUE[errno.EROFS]
    fichier = f" ({Path(os.fsdecode(exc.filename)).name})" if isinstance(exc.filename, (str, bytes)) else ""
    return f"{raison}{fichier}"


def _lecture_seule(dossier: Path) -> bool:
    """Whether `dossier` (or the nearest folder above it that exists) is on a read-only mount."""
    for candidat in (dossier, *dossier.parents):
        with contextlib.suppress(OSError):
            return bool(os.statvfs(candidat).f_flag & os.ST_RDONLY)
    return False


def disque_presque_plein(dossier: Path, marge: int = 1 << 20) -> bool:
    """Whether the disk of `dossier` (or of the nearest folder above it) has less than `marge`
    bytes free: a tool that failed there (the search index) most likely ran out of space."""
    for candidat in (dossier, *dossier.parents):
        with contextlib.suppress(OSError):
            etat = os.statvfs(candidat)
            return etat.f_bavail * etat.f_frsize < marge
    return False
