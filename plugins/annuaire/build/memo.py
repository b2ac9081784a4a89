"""Memoisation wrapped around pure domain functions, with keys derived, never listed by hand.

The domain applies its per-item pure functions through an `appliquer(fonction, elements, *fixes)`
parameter (domain/calcul.py: by default a plain loop). The build passes a `MemoCalculs` instead: each
`fonction(element, *fixes)` result is kept between builds in the cache root, under a key made of

- the code version (`version_code`: every module of this package, however deep, the libraries'
  versions, Python's), and the function's qualified name;
- the digest of the fixed arguments (`condensat`): the settings a function reads reach it as
  arguments (a date, the networks, a URL), so they are in its key by construction;
- the digest of the element itself.

A pure function reads nothing but its arguments and its code: a key made of those three cannot
forget an input. Digests are canonical (sets sorted, dataclasses by their fields), so they are the
same in every process whatever the hash seed. A place read from an entry is digested from its
file's key (`EmpreintesLieux`), not pickled: 30,000 places cost lookups, not pickles.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import os
import pickle
import struct
import sys
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

import yaml

from annuaire.build.parallele import en_deux, sans_ramasse_miettes
from annuaire.domain.model import CHAMPS_LIEU, Lieu
from annuaire.outputs.ecriture import ecrire_pickle

# The whole package, every subpackage included: a change to any module changes the code version.
PAQUET = Path(__file__).resolve().parents[1]
EN_PARALLELE_MIN = 2000  # items to compute: from this many, two processes share them


def condenser_dossier(empreinte, dossier: Path, motif: str = "*") -> None:
    """Feed every file of `dossier` matching `motif`, recursively (__pycache__ aside), into the
    hash `empreinte`: relative name and bytes, in a fixed order. The one derivation of every code
    and template version."""
    fichiers = sorted(
        chemin
        for chemin in dossier.rglob(motif)
        if chemin.is_file() and "__pycache__" not in chemin.relative_to(dossier).parts
    )
    for chemin in fichiers:
        nom = chemin.relative_to(dossier).as_posix()
        empreinte.update(f"\0{nom}\0{chemin.stat().st_size}\0".encode())
        empreinte.update(chemin.read_bytes())


def versions_installees() -> str:
    """Python's and every installed package's version (this project's own distribution aside: its
    code is hashed file by file, and it is listed or not depending on how Python was started)."""
    paquets = sorted(
        f"{d.metadata['Name']}=={d.version}"
        for d in metadata.distributions()
        if not (d.metadata["Name"] or "").startswith("annuaire")
    )
    return f"{sys.version}\nlibyaml={yaml.__with_libyaml__}\n" + "\n".join(paquets)


@functools.cache
def version_code() -> str:
    """The version of everything a memoised function may run: every module of this package
    (recursively), the installed libraries' versions and Python's. Worked out once per process."""
    empreinte = hashlib.sha256(b"code\0")
    condenser_dossier(empreinte, PAQUET, "*.py")
    empreinte.update(versions_installees().encode())
    return empreinte.hexdigest()


def partie(cle: str, parts: int) -> int:
    """Which of `parts` files of a cache holds `cle` (the same in every run)."""
    return hashlib.blake2b(cle.encode(), digest_size=1).digest()[0] % parts


class MemoFichier:
    """A pure function's results kept from one build to the next in a pickle file.

    Valid only for one `version` (say, the function's source and its library's version). When the
    build renders in several processes, each one writes what it computed and which keys it used
    with `ecrire_part(rang)`, and the parent merges the parts with `fusionner`. After a build that
    called the function for every page, the file holds the results it used only (a removed place's
    QR code goes); after an incremental build (most pages kept as published, so their keys unused),
    it keeps the earlier results too. The results are spread over PARTS files by key
    (`NAME-N.pickle`), and only the files whose keys or results changed are written again: on a
    national directory the QR codes take 72 MB and the export records 40 MB, and one entry changed
    rewrites a sixteenth of them.
    """

    PARTS = 16

    def __init__(self, chemin: Path, version: str, fonction: Callable[[str], str]):
        self.chemin, self.version, self.fonction = chemin, version, fonction
        self.parent = os.getpid()  # its rendering processes' parts carry it: two builds never mix
        self.connus: dict[str, str] = {}
        for rang in range(self.PARTS):
            self.connus.update(self._lire(self._fichier(rang)))
        self.utilises: dict[str, str] = {}
        self.nouveaux: dict[str, str] = {}

    def _fichier(self, rang: int) -> Path:
        return self.chemin.with_name(f"{self.chemin.stem}-{rang}{self.chemin.suffix}")

    def _rang(self, cle: str) -> int:
        return partie(cle, self.PARTS)

    def _lire(self, chemin: Path):
        """The stored results when the file is there and of this version, else none."""
        try:
            with chemin.open("rb") as fichier, sans_ramasse_miettes():
                version, resultats = pickle.load(fichier)
        except Exception:  # any unreadable cache (a class renamed since…): no cache
            return {}
        return resultats if version == self.version else {}

    def __call__(self, cle: str) -> str:
        """fonction(cle), from the file when it was computed by an earlier build."""
        if cle not in self.utilises:
            if cle in self.connus:
                self.utilises[cle] = self.connus[cle]
            else:
                self.utilises[cle] = self.nouveaux[cle] = self.fonction(cle)
        return self.utilises[cle]

    def _part(self, rang: int) -> Path:
        return self.chemin.with_name(f"{self.chemin.name}.part-{self.parent}-{rang}")

    def ecrire_part(self, rang: int) -> None:
        """Write what this process computed and the keys it used (in each rendering process)."""
        ecrire_pickle(self._part(rang), (self.version, (self.nouveaux, list(self.utilises))))

    def fusionner(self, processus: int, elaguer: bool = True) -> None:
        """Merge the parts of the `processus` processes into the file (in the parent); with
        `elaguer`, keep only the keys used by this build, else the earlier ones too."""
        nouveaux: dict[str, str] = {}
        cles: set[str] = set()
        for rang in range(processus):
            calcules, utilisees = self._lire(self._part(rang)) or ({}, [])
            nouveaux.update(calcules)
            cles.update(utilisees)
            self._part(rang).unlink(missing_ok=True)
        if not elaguer:
            cles.update(self.connus)
        par_fichier: list[list[str]] = [[] for _ in range(self.PARTS)]
        for cle in sorted(cles):
            par_fichier[self._rang(cle)].append(cle)
        anciennes: list[set[str]] = [set() for _ in range(self.PARTS)]
        for cle in self.connus:
            anciennes[self._rang(cle)].add(cle)
        for rang, garder in enumerate(par_fichier):
            if set(garder) != anciennes[rang] or any(cle in nouveaux for cle in garder):
                resultats = {cle: nouveaux[cle] if cle in nouveaux else self.connus[cle] for cle in garder}
                ecrire_pickle(self._fichier(rang), (self.version, resultats))


class EmpreintesLieux:
    """Each place's digest, standing for all its fields, its file and lines.

    A place read from an entry file is a pure function of the file's name and bytes under this
    code (what the entries' cache relies on), and records are frozen (the merge makes new ones):
    its digest is that of its file's key (noted while loading). Any other place (merged,
    federated, or built by a test) is digested from its fields' values in the model's order
    (`empreinte_lieu`), never from its class or its pickle: the same values give the same digest
    whichever way the record was made.
    """

    def __init__(self):
        self.fichiers: dict[int, tuple[object, bytes]] = {}  # id(place) -> (place, its file's key)

    def noter(self, lieu, cle: bytes) -> None:
        """`lieu` was read from the file of key `cle`."""
        self.fichiers[id(lieu)] = (lieu, cle)

    def __call__(self, lieu) -> bytes:
        """The place's digest (16 bytes)."""
        connu = self.fichiers.get(id(lieu))
        if connu is not None and connu[0] is lieu:
            return hashlib.blake2b(b"fichier\0" + connu[1], digest_size=16).digest()
        return empreinte_lieu(lieu)


def empreinte_lieu(lieu) -> bytes:
    """A place's digest (16 bytes) from its fields' values, in the model's order (CHAMPS_LIEU).

    The values are the model's types (texts, numbers, dates, None, lists of texts, provenances,
    the `lignes` mapping, sorted here): their `repr` is exact and unambiguous, and made in C, a
    tenth of the time of `encoder`."""
    valeurs = [getattr(lieu, nom) for nom in CHAMPS_LIEU]
    valeurs = [sorted(v.items()) if isinstance(v, dict) else v for v in valeurs]
    return hashlib.blake2b(repr(valeurs).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def empreinte_pickle(valeur) -> bytes:
    """A value's digest from its pickle alone."""
    return hashlib.blake2b(pickle.dumps(valeur, protocol=5), digest_size=16).digest()


class Condenseur:
    """Canonical digests of values: the same value gives the same bytes in every process.

    Places go by `empreintes` (an EmpreintesLieux); sets and dicts are sorted by their items'
    encodings; dataclasses by their class and fields; anything else by its pickle."""

    def __init__(self, empreintes: Callable[[Lieu], bytes] | None = None):
        self.empreintes = empreintes or EmpreintesLieux()

    def __call__(self, valeur) -> bytes:
        """The 16-byte digest of `valeur`."""
        return hashlib.blake2b(self.encoder(valeur), digest_size=16).digest()

    def encoder(self, valeur) -> bytes:
        """`valeur`'s canonical encoding."""
        return encoder(valeur, self.empreintes)


def encoder(valeur, empreintes: Callable[[Lieu], bytes]) -> bytes:
    """`valeur`'s canonical encoding, places by `empreintes`."""
    if isinstance(valeur, Lieu):
        return b"L" + empreintes(valeur)
    if isinstance(valeur, str):
        octets = valeur.encode("utf-8", "surrogatepass")
        return b"s" + struct.pack("<Q", len(octets)) + octets
    if isinstance(valeur, (list, tuple)):
        return _suite(b"t", [encoder(x, empreintes) for x in valeur])
    if isinstance(valeur, (set, frozenset)):
        return _suite(b"e", sorted(encoder(x, empreintes) for x in valeur))
    if isinstance(valeur, dict):
        return _suite(
            b"d", sorted(encoder(k, empreintes) + encoder(v, empreintes) for k, v in valeur.items())
        )
    if dataclasses.is_dataclass(valeur) and not isinstance(valeur, type):
        champs = [(c.name, getattr(valeur, c.name)) for c in dataclasses.fields(valeur)]
        return _suite(f"c{type(valeur).__qualname__}".encode(), [encoder(champs, empreintes)])
    if isinstance(valeur, (int, float, bool, type(None), dt.date, Path)):
        return encoder(f"{type(valeur).__name__}:{valeur!r}", empreintes)
    return b"p" + pickle.dumps(valeur, protocol=5)


def _suite(genre: bytes, parties: list[bytes]) -> bytes:
    return genre + struct.pack("<Q", len(parties)) + b"".join(parties)


def nom_fonction(fonction: Callable) -> str:
    """A function's qualified name (module and name), the same in every process."""
    return f"{fonction.__module__}.{fonction.__qualname__}"


def version_fonction(fonction: Callable, *fixes, condenser: Condenseur | None = None) -> str:
    """The version of `fonction(element, *fixes)`'s results: the code version, its name, and the
    digest of its fixed arguments."""
    fixes_digest = (condenser or Condenseur())(list(fixes)).hex()
    return f"{version_code()[:32]}-{nom_fonction(fonction)}-{fixes_digest}"


class MemoCalculs:
    """The build's `appliquer`: `fonction(element, *fixes)` for every element, the results kept
    between builds in `racine` (one cache file set per function, see cache.MemoFichier), keyed by
    the code version, the fixed arguments' digest and the element's (see the module's docstring).

    With `en_parallele`, elements unknown to earlier builds are computed in two processes from
    EN_PARALLELE_MIN of them (a first build checks 30,000 entries). `enregistrer` keeps what this
    build used."""

    def __init__(self, racine: Path, empreintes: EmpreintesLieux | None = None, en_parallele: bool = True):
        self.racine, self.en_parallele = racine, en_parallele
        self.condenser = Condenseur(empreintes)
        self.memos: dict[str, object] = {}

    def _memo(self, fonction: Callable, fixes: tuple):
        """The file memo of `fonction` under these fixed arguments."""
        version = version_fonction(fonction, *fixes, condenser=self.condenser)
        if version not in self.memos:
            chemin = self.racine / "memo" / f"{nom_fonction(fonction)}.pickle"
            self.memos[version] = MemoFichier(chemin, version, None)
        return self.memos[version]

    def __call__(self, fonction: Callable, elements: Iterable, *fixes) -> list:
        """[fonction(e, *fixes) for e in elements], from earlier builds for elements known there."""
        elements = list(elements)
        memo = self._memo(fonction, fixes)
        cles = [self.condenser(e).hex() for e in elements]
        manquants: dict[str, object] = {}
        for cle, element in zip(cles, elements, strict=True):
            if cle not in memo.connus and cle not in memo.utilises:
                manquants.setdefault(cle, element)
        minimum = EN_PARALLELE_MIN if self.en_parallele else len(manquants) + 1
        calcul = functools.partial(_appeler, fonction, fixes)
        for cle, resultat in zip(manquants, en_deux(calcul, list(manquants.values()), minimum), strict=True):
            memo.nouveaux[cle] = resultat
        resultats = []
        for cle, element in zip(cles, elements, strict=True):
            if cle not in memo.utilises:
                memo.utilises[cle] = memo.nouveaux[cle] if cle in memo.nouveaux else memo.connus[cle]
            resultats.append(_le_meme(memo.utilises[cle], element))
        return resultats

    def enregistrer(self) -> None:
        """Keep this build's results (those used) for the next one; a read-only folder keeps none."""
        for memo in self.memos.values():
            with contextlib.suppress(OSError):
                memo.ecrire_part(0)
                memo.fusionner(1)


def _le_meme(resultat, element):
    """`element` itself when the kept result equals it (a function that returns its place unchanged):
    a result read back from the cache or from a process is a copy, and a copy of a place read from
    its file would lose that file's digest (EmpreintesLieux): its pages' fingerprints, and the
    build's id, would then differ between an incremental build and a clean one."""
    return element if type(resultat) is type(element) and resultat == element else resultat


def _appeler(fonction: Callable, fixes: tuple, element):
    """fonction(element, *fixes)."""
    return fonction(element, *fixes)


def racine_cache(settings: dict) -> Path:
    """The build's one cache root: ANNUAIRE_CACHE when set (relative to the working folder), else
    .cache/annuaire/ beside the published output folder."""
    choisi = settings.get("ANNUAIRE_CACHE")
    if choisi:
        return Path(choisi).resolve()
    sortie = Path(settings.get("ANNUAIRE_PUBLIE") or settings["OUTPUT_PATH"])
    return sortie.resolve().parent / ".cache" / "annuaire"
