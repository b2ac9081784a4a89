"""The entries read by earlier builds: an entry file whose name and bytes are unchanged gives the
same place and problems (loading.entrees.charger_lieu is a pure function of them under this code).

Build layer: the domain's `charger_lieux(dossier, racine)` is replaced by `EntreesEnCache`'s
(directory.Calculs), which notes each place's file key in the build's EmpreintesLieux.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from annuaire.build.cache import signature, signature_verifiee
from annuaire.build.memo import EmpreintesLieux, MemoCalculs, partie, version_code
from annuaire.build.parallele import en_deux, sans_ramasse_miettes
from annuaire.directory import Calculs
from annuaire.domain.model import Lieu, Probleme
from annuaire.loading.entrees import charger_lieu, fichiers_entrees, rassembler
from annuaire.outputs.ecriture import ecrire_pickle

LIRE_EN_PARALLELE_MIN = 2000  # entries to parse: from this many, two processes share them


class CacheEntrees:
    """Entries already read by an earlier run, keyed by each file's name and bytes.

    Reading a national directory's YAML files is the longest part of loading it (about 0.3 ms a
    file); a file whose name and content are unchanged gives the same record and problems, so the
    result is kept in entrees-N.pickle in the build's cache root (build/memo.racine_cache). A
    file whose signature (size, times, inode) is the one seen last time is not even read again
    (see `signature`). Files are spread over PARTS cache files by their name: changing one entry
    rewrites one sixteenth of the cache (2 MB at 30,000 places, not 32). The cache is valid for
    this package's code, YAML parser and Python only (`memo.version_code`); it is optional: any error
    reading or writing it means reading the files.
    """

    PARTS = 16

    def __init__(self, dossier: Path):
        self.dossier = dossier
        self.version = version_code()
        self.anciennes = [self._lire(rang) for rang in range(self.PARTS)]  # (entries, signatures)
        self.anciens = {cle: v for entrees, _ in self.anciennes for cle, v in entrees.items()}
        self.signatures = {nom: v for _, signatures in self.anciennes for nom, v in signatures.items()}
        self.nouvelles: list[tuple[dict, dict]] = [({}, {}) for _ in range(self.PARTS)]
        self.identites: dict[Path, tuple[str, tuple | None, bytes]] = {}
        self.octets: dict[Path, bytes] = {}  # bytes read for a key, until parsed
        self.recents: set[str] = set()  # files read while too recent for a signature

    def _chemin(self, rang: int) -> Path:
        return _partie_entrees(self.dossier, rang)

    def _lire(self, rang: int) -> tuple[dict, dict]:
        try:
            with self._chemin(rang).open("rb") as fichier, sans_ramasse_miettes():
                version, entrees, signatures = pickle.load(fichier)
        except Exception:  # any unreadable cache (a class renamed since…): no cache
            return {}, {}
        return (entrees, signatures) if version == self.version else ({}, {})

    def _cle(self, chemin: Path, nom: str, vue: tuple | None) -> bytes:
        """The file's key: the hash of its name and bytes, or the one seen with the same signature.
        The bytes read are kept (`octets`): the entry is parsed from the very bytes of its key,
        even if the file is saved again meanwhile."""
        connue = self.signatures.get(nom)
        if vue is not None and connue is not None and connue[0] == vue:
            return connue[1]
        self.octets[chemin] = octets = chemin.read_bytes()
        return _cle_fichier(nom, octets)

    def _identifier(self, chemin: Path, racine: Path) -> tuple[str, tuple | None, bytes]:
        """(name, signature, key) of an entry file, worked out once; raises OSError."""
        if chemin not in self.identites:
            nom = chemin.relative_to(racine).as_posix()
            vue = signature(chemin)
            self.identites[chemin] = (nom, vue, self._cle(chemin, nom, vue))
        return self.identites[chemin]

    def _charger(self, chemin: Path, racine: Path) -> tuple[Lieu | None, list[Probleme]]:
        """`charger_lieu` from the bytes the key was made of (read again only if its signature was
        trusted: then the file has not changed since)."""
        return charger_lieu(chemin, racine, self.octets.pop(chemin, None))

    def lire_nouveaux(self, chemins: list[Path], racine: Path) -> None:
        """Parse the files the cache does not know: in two processes when there are many (a first
        build of a national directory parses 30,000 files: 8 s in one process)."""
        a_lire = []
        for chemin in chemins:
            with contextlib.suppress(OSError):  # `charger` reports it
                cle = self._identifier(chemin, racine)[2]
                if cle not in self.anciens:
                    a_lire.append((chemin, cle))
        chemins_a_lire = [chemin for chemin, _ in a_lire]
        lus = en_deux(lambda chemin: self._charger(chemin, racine), chemins_a_lire, LIRE_EN_PARALLELE_MIN)
        self.anciens.update((cle, lu) for (_, cle), lu in zip(a_lire, lus, strict=True))
        self.octets.clear()

    def charger(self, chemin: Path, racine: Path, empreintes=None) -> tuple[Lieu | None, list[Probleme]]:
        """`charger_lieu`, from the cache when this file was read before with the same bytes; the
        place and its file's key are noted in `empreintes` (an EmpreintesLieux) when given."""
        try:
            nom, vue, cle = self._identifier(chemin, racine)
        except OSError:
            return charger_lieu(chemin, racine)
        entrees, signatures = self.nouvelles[partie(nom, self.PARTS)]
        if cle not in entrees:
            entrees[cle] = self.anciens.get(cle) or self._charger(chemin, racine)
        signatures[nom] = (vue, cle)
        if vue is None:
            self.recents.add(nom)
        lieu, problemes = entrees[cle]
        if empreintes is not None and lieu is not None:
            empreintes.noter(lieu, cle + self.version.encode())  # the same bytes parsed by this code
        return lieu, problemes

    def ecrire(self) -> None:
        """Keep the entries of this run (only those) for the next one: the parts that changed, and
        the list of files too recent for a signature (`rafraichir_entrees` at the build's end)."""
        for rang, (nouvelle, ancienne) in enumerate(zip(self.nouvelles, self.anciennes, strict=True)):
            if nouvelle[0].keys() == ancienne[0].keys() and nouvelle[1] == ancienne[1]:
                continue
            with contextlib.suppress(OSError):  # a read-only project folder: no cache, same result
                ecrire_pickle(self._chemin(rang), (self.version, *nouvelle))
        with contextlib.suppress(OSError):
            if self.recents:
                ecrire_pickle(self.dossier / RECENTES, (self.version, sorted(self.recents)))
            else:
                (self.dossier / RECENTES).unlink(missing_ok=True)


RECENTES = "entrees-recentes.pickle"


def _partie_entrees(dossier: Path, rang: int) -> Path:
    """One of the PARTS files of the entries' cache."""
    return dossier / f"entrees-{rang}.pickle"


def _cle_fichier(nom: str, octets: bytes) -> bytes:
    """An entry file's key in the cache: the hash of its name and bytes."""
    return hashlib.sha256(nom.encode() + b"\0" + octets).digest()


def rafraichir_entrees(dossier: Path, racine: Path) -> int:
    """At the end of a build: record the signature of the entries read while too recent for one
    (files written just before the build: a clone, an import) that are old enough now, once their
    bytes are checked to be those of their key (`cache.signature_verifiee`). Without it, the next
    build reads and hashes them all again. Only the cache files holding them are rewritten.
    `dossier`: the cache root; `racine`: the project folder. Returns how many entries were refreshed."""
    try:
        with (dossier / RECENTES).open("rb") as fichier:
            version, noms = pickle.load(fichier)
        (dossier / RECENTES).unlink()
    except Exception:  # none, or unreadable: nothing to refresh
        return 0
    if version != version_code():
        return 0
    par_partie: dict[int, list[str]] = {}
    for nom in noms:
        par_partie.setdefault(partie(nom, CacheEntrees.PARTS), []).append(nom)
    return sum(
        _rafraichir_partie(racine, _partie_entrees(dossier, rang), version, liste)
        for rang, liste in sorted(par_partie.items())
    )


def _rafraichir_partie(racine: Path, chemin: Path, version: str, noms: list[str]) -> int:
    """`rafraichir_entrees` for one cache file; the entries refreshed."""
    try:
        with chemin.open("rb") as fichier, sans_ramasse_miettes():
            trouvee, entrees, signatures = pickle.load(fichier)
    except Exception:
        return 0
    recents = [nom for nom in noms if trouvee == version and nom in signatures and signatures[nom][0] is None]
    frais = 0
    for nom in recents:
        cle = signatures[nom][1]
        if nouvelle := signature_verifiee(racine / nom, cle, partial(_cle_fichier, nom)):
            signatures[nom] = (nouvelle, cle)
            frais += 1
    if frais:
        with contextlib.suppress(OSError):
            ecrire_pickle(chemin, (version, entrees, signatures))
    return frais


class EntreesEnCache:
    """`loading.entrees.charger_lieux` through the entries' cache in `dossier` (the cache root);
    each place is noted in `empreintes` with its file's key."""

    def __init__(self, dossier: Path, empreintes: EmpreintesLieux):
        self.dossier, self.empreintes = dossier, empreintes

    def __call__(self, dossier: Path, racine: Path) -> tuple[list[Lieu], list[Probleme]]:
        """Every entry of `dossier` (content/lieux/), from the cache when read before."""
        cache = CacheEntrees(self.dossier)
        chemins = fichiers_entrees(dossier)
        cache.lire_nouveaux(chemins, racine)
        lus = [cache.charger(chemin, racine, self.empreintes) for chemin in chemins]
        cache.ecrire()
        return rassembler(lus)


@contextlib.contextmanager
def calculs_en_cache(dossier: Path) -> Iterator[Calculs]:
    """The directory's `Calculs` through the caches of `dossier` (entries read, memoised results),
    saved when the block ends: for the commands that build the directory without a site
    (`validate`, `rapport`), wired in by `python -m annuaire` (__main__.py)."""
    empreintes = EmpreintesLieux()
    memo = MemoCalculs(dossier, empreintes)
    yield Calculs(EntreesEnCache(dossier, empreintes), memo)
    memo.enregistrer()
