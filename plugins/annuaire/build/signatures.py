"""What a publication left in the output folder, by a cheap signature per file.

Plain Python (no Pelican). An incremental build keeps the pages whose data did not change, and a
build with nothing to do keeps everything: both trust that the output folder still holds what was
published. A file deleted by hand, overwritten by a sync tool or left half-updated by an older
build must not be trusted. So each publication records, for every file it leaves, its size,
modification time, change time and inode (one `lstat`, as the content files' signatures of
build/cache.py); a build keeps a page only when its file still has that signature, else renders it
again. A change that keeps all four (same size, same inode, within the same clock tick as the
publication, without touching the change time) cannot be seen this way; none of the cases above
does that.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

Signature = tuple[int, int, int, int]


def signature_publiee(dossier: Path | str, chemin: str) -> Signature | None:
    """(size, mtime, ctime, inode) of `dossier/chemin` (the link itself, never its target), or
    None when it is missing or is not a plain file."""
    return _signature(os.path.join(dossier, ""), chemin)


def _signature(racine: str, chemin: str) -> Signature | None:
    """`signature_publiee` with the folder as a string ending in a separator (30,000 calls)."""
    try:
        etat = os.lstat(racine + chemin)
    except OSError:
        return None
    if not stat.S_ISREG(etat.st_mode):  # a link, a folder…: not what was published
        return None
    return (etat.st_size, etat.st_mtime_ns, etat.st_ctime_ns, etat.st_ino)


def signer(dossier: Path, chemins: Iterable[str], connues: dict[str, Signature]) -> dict[str, Signature]:
    """The signature of every published file of `chemins`: from `connues` (pages kept from the last
    publication, checked before they were kept) or read now (files just moved in)."""
    racine, signatures = os.path.join(dossier, ""), {}
    for chemin in chemins:
        vue = connues.get(chemin) or _signature(racine, chemin)
        if vue is not None:
            signatures[chemin] = vue
    return signatures


def intacts(dossier: Path, chemins: Iterable[str], signatures: dict[str, Signature]) -> set[str]:
    """Those of `chemins` whose file in `dossier` still has its recorded signature."""
    racine = os.path.join(dossier, "")
    return {c for c in chemins if (s := signatures.get(c)) is not None and _signature(racine, c) == s}


def tous_intacts(dossier: Path, signatures: dict[str, Signature]) -> bool:
    """Whether every recorded file of `dossier` is as published (False when none is recorded)."""
    racine = os.path.join(dossier, "")
    return bool(signatures) and all(_signature(racine, c) == s for c, s in signatures.items())
