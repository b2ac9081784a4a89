"""What a build may reuse: the fingerprint of its inputs, and the old output's removal.

Plain Python (no Pelican). A build is a pure function of its inputs (deterministic: two builds of
the same input give identical files). So when the fingerprint of every input (the content folder,
the theme, this package's code, the settings, the libraries copied from node_modules, the installed
packages' versions, the build's date) equals the one recorded when the current output was
published, and that output folder is still the one published then, the build has nothing to do.
The record lives in .cache/annuaire/ beside the output folder (git-ignored), with `MemoFichier`
files: results of costly pure functions (the sheets' QR codes) kept from one build to the next.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from annuaire.build.parallele import en_deux, sans_ramasse_miettes

VERSION_EMPREINTE = "1"  # change to invalidate every recorded fingerprint
# Settings that change how a build runs, never what it writes.
SANS_EFFET_SUR_LES_PAGES = ("OUTPUT_PATH", "ANNUAIRE_PUBLIE", "ANNUAIRE_PROCESSUS", "ANNUAIRE_REUTILISER")

# The whole package, every subpackage included: a change to any module changes the versions.
PAQUET = Path(__file__).resolve().parents[1]


def dossier_cache(sortie: Path) -> Path:
    """The build cache of an output folder: .cache/annuaire/ beside it."""
    return sortie.resolve().parent / ".cache" / "annuaire"


# A file's stat signature is trusted only when it was last modified this long before it was taken:
# a change within the same clock tick as the stat would otherwise go unseen (git's "racy" files).
MARGE_SIGNATURE_NS = 2_000_000_000


def signature(chemin: Path | str) -> tuple[int, int, int, int] | None:
    """(size, modification time, change time, inode) of a file, or None when it changed too
    recently to tell a later change by these alone. The change time is there because programs can
    set the modification time back (`cp -p`, `rsync -a`, `touch -r`), never the change time."""
    etat = os.stat(chemin)
    if max(etat.st_mtime_ns, etat.st_ctime_ns) > time.time_ns() - MARGE_SIGNATURE_NS:
        return None
    return (etat.st_size, etat.st_mtime_ns, etat.st_ctime_ns, etat.st_ino)


def _fichiers(dossier: Path) -> list[str]:
    """Every file under `dossier` (__pycache__ folders aside) by its relative name, sorted folder by
    folder; none when it does not exist. Strings, not Path objects: 30,000 of them are hashed."""
    fichiers = []
    for racine, dossiers, noms in os.walk(dossier):
        dossiers[:] = [d for d in dossiers if d != "__pycache__"]
        relatif = os.path.relpath(racine, dossier)
        fichiers += [
            os.path.normpath(os.path.join(relatif, nom))
            for nom in noms
            if os.path.isfile(os.path.join(racine, nom))
        ]
    return sorted(fichiers, key=lambda nom: nom.split(os.sep))


class IndexContenu:
    """The content files' hashes, kept between builds like git's index: a file whose size,
    modification time and inode are those recorded is not read again (30,000 entries are not
    read to find that none changed); any other file, or one changed too recently for these to
    tell (see `signature`), is read and hashed. The hashes, never the signatures, go into a
    fingerprint: it is the same whichever way they were obtained."""

    def __init__(self, chemin: Path):
        self.chemin = chemin
        try:
            with chemin.open("rb") as fichier, sans_ramasse_miettes():
                self.anciens: dict = pickle.load(fichier)
        except Exception:  # any unreadable cache: none
            self.anciens = {}
        self.vus: dict[str, tuple] = {}  # absolute path -> (signature, hash)

    def empreinte(self, chemin: str) -> bytes:
        """The hash of a file's bytes."""
        vue = signature(chemin)
        connu = self.anciens.get(chemin)
        if vue is not None and connu is not None and connu[0] == vue:
            valeur = connu[1]
        else:
            valeur = _condensat(Path(chemin).read_bytes())
        self.vus[chemin] = (vue, valeur)
        return valeur

    def enregistrer(self) -> None:
        """Keep the hashes seen for the next build (when they changed; a read-only folder keeps none)."""
        if self.vus != self.anciens:
            with contextlib.suppress(OSError):
                ecrire_pickle(self.chemin, self.vus)

    def rafraichir(self) -> int:
        """Record the signature of the files hashed while too recent to trust one (`signature`)
        that are old enough now, once their bytes are checked to be those hashed, as git refreshes
        its racily clean files: a build right after files were written (a clone, an import) leaves
        none for the next one to read again. Returns how many; saves them."""
        frais = {}
        for chemin, (vue, valeur) in self.anciens.items():
            if vue is None and (nouvelle := signature_verifiee(chemin, valeur, _condensat)):
                frais[chemin] = (nouvelle, valeur)
        if frais:
            with contextlib.suppress(OSError):
                ecrire_pickle(self.chemin, {**self.anciens, **frais})
        return len(frais)


def _condensat(octets: bytes) -> bytes:
    """The hash IndexContenu keeps of a file's bytes."""
    return hashlib.blake2b(octets, digest_size=16).digest()


def signature_verifiee(chemin: Path | str, attendu: bytes, condenser) -> tuple | None:
    """The file's signature when it can be trusted now and its bytes still hash (`condenser`) to
    `attendu`; None otherwise (too recent still, changed since, or gone). The signature is taken
    before the bytes are read: a change after it shows in the next build's signature."""
    try:
        vue = signature(chemin)
        if vue is None:
            return None
        octets = Path(chemin).read_bytes()
    except OSError:
        return None
    return vue if condenser(octets) == attendu else None


def _ajouter_dossier(empreinte, dossier: Path, index: IndexContenu | None = None) -> None:
    """Feed every file of `dossier` (relative name and bytes) into the hash; through `index` (an
    IndexContenu) when given."""
    empreinte.update(f"\0dossier {dossier.resolve()}\0".encode())
    for nom in _fichiers(dossier):
        chemin = os.path.join(dossier, nom)
        empreinte.update(f"{nom.replace(os.sep, '/')}\0{os.stat(chemin).st_size}\0".encode())
        empreinte.update(index.empreinte(chemin) if index else Path(chemin).read_bytes())


def _valeur_stable(valeur) -> str:
    """A setting that JSON cannot hold, by its type and repr when that repr is stable."""
    texte = repr(valeur)
    return f"{type(valeur).__qualname__}:{texte if ' at 0x' not in texte else ''}"


def _versions() -> str:
    """Python's and every installed package's version."""
    # Not this project's own distribution: its code is hashed file by file, and it is listed or
    # not depending on how Python was started (its egg-info sits in plugins/).
    paquets = sorted(
        f"{d.metadata['Name']}=={d.version}"
        for d in metadata.distributions()
        if not (d.metadata["Name"] or "").startswith("annuaire")
    )
    return sys.version + "\n" + "\n".join(paquets)


def empreinte_construction(settings: dict, chemin_settings: Path) -> str:
    """The fingerprint of everything a build reads (see the module's docstring)."""
    empreinte = hashlib.sha256(f"v{VERSION_EMPREINTE}\0".encode())
    reglages = {k: v for k, v in settings.items() if k != "OUTPUT_PATH"}
    empreinte.update(json.dumps(reglages, sort_keys=True, default=_valeur_stable).encode())
    empreinte.update(chemin_settings.read_bytes() if chemin_settings.is_file() else b"")
    empreinte.update((settings.get("ANNUAIRE_DATE") or dt.date.today().isoformat()).encode())
    empreinte.update(_versions().encode())
    theme = Path(settings["THEME"])
    node_modules = Path(settings.get("ANNUAIRE_NODE_MODULES", theme.parent / "node_modules"))
    sortie = settings.get("OUTPUT_PATH")
    index = IndexContenu(dossier_cache(Path(sortie)) / "contenu.pickle") if sortie else None
    _ajouter_dossier(empreinte, Path(settings["PATH"]).resolve(), index)
    if index:
        index.enregistrer()
    for dossier in (theme, PAQUET):
        _ajouter_dossier(empreinte, dossier)
    verrou = node_modules / ".package-lock.json"
    empreinte.update(verrou.read_bytes() if verrou.is_file() else b"")
    return empreinte.hexdigest()


def rafraichir_contenu(sortie: Path) -> int:
    """`IndexContenu.rafraichir` for the build fingerprint's index of the output `sortie`."""
    return IndexContenu(dossier_cache(sortie) / "contenu.pickle").rafraichir()


def _etat_sortie(sortie: Path) -> dict:
    """What identifies a published output folder: its path, inode and modification time."""
    etat = sortie.stat()
    return {"sortie": str(sortie.resolve()), "inode": etat.st_ino, "modifie": etat.st_mtime_ns}


def _fichier_record(sortie: Path) -> Path:
    """Where the fingerprint of the build published in `sortie` is recorded."""
    nom = hashlib.sha256(str(sortie.resolve()).encode()).hexdigest()[:16]
    return dossier_cache(sortie) / f"construction-{nom}.json"


def version_rendu(settings: dict) -> str:
    """The fingerprint of what every page depends on besides its own data: settings (output folder
    aside), templates, Pelican's pages (the menu), this package's code, the packages' versions and
    the build's date. Pages rendered under the same version with the same data are the same."""
    empreinte = hashlib.sha256(f"v{VERSION_EMPREINTE}\0rendu\0".encode())
    reglages = {k: v for k, v in settings.items() if k not in SANS_EFFET_SUR_LES_PAGES}
    empreinte.update(json.dumps(reglages, sort_keys=True, default=_valeur_stable).encode())
    empreinte.update((settings.get("ANNUAIRE_DATE") or dt.date.today().isoformat()).encode())
    empreinte.update(_versions().encode())
    theme = Path(settings["THEME"])
    for dossier in (theme / "templates", Path(settings["PATH"]) / "pages", PAQUET):
        _ajouter_dossier(empreinte, dossier)
    return empreinte.hexdigest()


def sortie_a_jour(sortie: Path, empreinte: str) -> bool:
    """True when `sortie` is the untouched output of a build with this fingerprint."""
    try:
        record = json.loads(_fichier_record(sortie).read_text(encoding="utf-8"))
        return sortie.is_dir() and record == {**_etat_sortie(sortie), "empreinte": empreinte}
    except (OSError, ValueError):
        return False


def noter_construction(sortie: Path, empreinte: str) -> None:
    """Record the fingerprint of the build just published in `sortie`."""
    chemin = _fichier_record(sortie)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    record = {**_etat_sortie(sortie), "empreinte": empreinte}
    chemin.write_text(json.dumps(record, indent=1), encoding="utf-8")


def supprimer_en_arriere_plan(dossier: Path) -> None:
    """Remove a folder without waiting: `rm -rf` in a session of its own (a large site's old
    output has tens of thousands of files; removing it takes longer than building a page)."""
    if not dossier.exists():
        return
    try:  # a shell that starts `rm` in the background and ends at once: nothing left to wait for
        subprocess.run(
            ["sh", "-c", 'rm -rf -- "$1" &', "sh", str(dossier)],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    except OSError:
        shutil.rmtree(dossier, ignore_errors=True)


def dossier_a_supprimer(final: Path) -> Path:
    """A fresh name beside `final` for its old version, removed in the background."""
    return final.with_name(f"{final.name}.ancien-{os.getpid()}-{dt.datetime.now():%H%M%S%f}")


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
    code (what `loading.CacheEntrees` relies on), and the merge changes only its slug and id: its
    digest is that of its file's key (noted while loading) with those two. Any other place (merged,
    federated, or built by a test) is digested from its pickle, about 40 µs: 1.2 s a process for
    30,000 places. Nothing may change a loaded place's other fields; the merge builds new ones.
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
            donnees = connu[1] + f"\0{lieu.slug}\0{lieu.id}".encode()
        else:
            donnees = pickle.dumps(lieu, protocol=5)
        return hashlib.blake2b(donnees, digest_size=16).digest()


def empreinte_pickle(lieu) -> bytes:
    """A place's digest from its pickle alone."""
    return hashlib.blake2b(pickle.dumps(lieu, protocol=5), digest_size=16).digest()


class MemoLieux:
    """`fonction(lieu)` kept from one build to the next, keyed by the place's digest (`empreinte`:
    see EmpreintesLieux; default: its pickle). For per-place work whose result depends on nothing
    else (its problems, its cleaned record for the exports), under one `version` of the code."""

    def __init__(self, chemin: Path, version: str, fonction: Callable, empreinte: Callable | None = None):
        self.fonction, self.en_cours = fonction, {}
        self.empreinte = empreinte or empreinte_pickle
        self.memo = MemoFichier(chemin, version, lambda cle: fonction(self.en_cours[cle]))

    def preparer(self, lieux: list, minimum: int) -> None:
        """Compute now, in two processes from `minimum` of them, the places unknown to earlier
        builds (a first build checks 30,000 entries: 4 s in one process)."""
        manquants: dict[str, object] = {}
        for lieu in lieux:
            cle = self.empreinte(lieu).hex()
            if cle not in self.memo.connus and cle not in self.memo.utilises:
                manquants.setdefault(cle, lieu)
        resultats = en_deux(self.fonction, list(manquants.values()), minimum)
        for (cle, lieu), resultat in zip(manquants.items(), resultats, strict=True):
            self.en_cours[cle] = lieu
            self.memo.utilises[cle] = self.memo.nouveaux[cle] = resultat

    def __call__(self, lieu):
        """fonction(lieu), from an earlier build when the place is unchanged."""
        cle = self.empreinte(lieu).hex()
        self.en_cours[cle] = lieu
        return self.memo(cle)

    def enregistrer(self) -> None:
        """Keep this build's results (those used) for the next one; a read-only folder keeps none."""
        with contextlib.suppress(OSError):
            self.memo.ecrire_part(0)
            self.memo.fusionner(1)


def version_paquet() -> str:
    """A version key of this package's code (every module) and of the libraries it checks with."""
    modules = sorted(PAQUET.rglob("*.py"))
    return version_de(*modules, paquets=("opening-hours-py", "phonenumbers"))


def ecrire_pickle(chemin: Path, valeur) -> None:
    """Write a pickle file atomically (write, then rename)."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    temporaire = chemin.with_name(f".{chemin.name}.{os.getpid()}.tmp")
    with temporaire.open("wb") as fichier:
        pickle.dump(valeur, fichier, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporaire, chemin)


def version_de(*sources: Path, paquets: tuple[str, ...] = ()) -> str:
    """A version key made of source files' contents and packages' versions."""
    empreinte = hashlib.sha256()
    for source in sources:
        empreinte.update(source.read_bytes())
    for paquet in paquets:
        empreinte.update(f"{paquet}=={metadata.version(paquet)}".encode())
    return empreinte.hexdigest()
