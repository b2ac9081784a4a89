"""What a build may reuse: the fingerprint of its inputs, and the old output's removal.

Plain Python (no Pelican). A build is a pure function of its inputs (deterministic: two builds of
the same input give identical files). So when the fingerprint of every input (the content folder,
the theme, this package's code, the settings, the libraries copied from node_modules, the installed
packages' versions, the build's date) equals the one recorded when the current output was
published, and that output folder is still the one published then, the build has nothing to do.
The record lives in the build's one cache root (`memo.racine_cache`: ANNUAIRE_CACHE, by default
.cache/annuaire/ beside the output folder, git-ignored), with the memoised results of the domain's
pure functions (build/memo.py).
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
import time
from pathlib import Path

from annuaire.build.memo import condenser_dossier, version_code
from annuaire.build.parallele import sans_ramasse_miettes
from annuaire.outputs.ecriture import ecrire_atomique, ecrire_pickle

VERSION_EMPREINTE = "1"  # change to invalidate every recorded fingerprint
# Settings that change how a build runs, never what it writes.
SANS_EFFET_SUR_LES_PAGES = (
    "OUTPUT_PATH",
    "ANNUAIRE_PUBLIE",
    "ANNUAIRE_PROCESSUS",
    "ANNUAIRE_REUTILISER",
    "ANNUAIRE_CACHE",
    "ANNUAIRE_ATTENTE_VERROU",
)


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


def dossier_node_modules(settings: dict) -> Path:
    """The npm packages the build copies or runs (the map libraries, Pagefind):
    `ANNUAIRE_NODE_MODULES`, else node_modules/ beside the theme (beside package.json)."""
    return Path(settings.get("ANNUAIRE_NODE_MODULES", Path(settings["THEME"]).parent / "node_modules"))


def empreinte_construction(settings: dict, chemin_settings: Path, cache: Path) -> str:
    """The fingerprint of everything a build reads (see the module's docstring); `cache`: the
    cache root, where the content files' hashes are kept (IndexContenu)."""
    empreinte = hashlib.sha256(f"v{VERSION_EMPREINTE}\0".encode())
    reglages = {k: v for k, v in settings.items() if k != "OUTPUT_PATH"}
    empreinte.update(json.dumps(reglages, sort_keys=True, default=_valeur_stable).encode())
    empreinte.update(chemin_settings.read_bytes() if chemin_settings.is_file() else b"")
    empreinte.update((settings.get("ANNUAIRE_DATE") or dt.date.today().isoformat()).encode())
    empreinte.update(version_code().encode())  # this package's code, the libraries, Python
    theme = Path(settings["THEME"])
    node_modules = dossier_node_modules(settings)
    index = IndexContenu(cache / "contenu.pickle")
    _ajouter_dossier(empreinte, Path(settings["PATH"]).resolve(), index)
    index.enregistrer()
    _ajouter_dossier(empreinte, theme)
    verrou = node_modules / ".package-lock.json"
    empreinte.update(verrou.read_bytes() if verrou.is_file() else b"")
    return empreinte.hexdigest()


def rafraichir_contenu(cache: Path) -> int:
    """`IndexContenu.rafraichir` for the build fingerprint's index in the cache root `cache`."""
    return IndexContenu(cache / "contenu.pickle").rafraichir()


def _etat_sortie(sortie: Path) -> dict:
    """What identifies a published output folder: its path, inode and modification time."""
    etat = sortie.stat()
    return {"sortie": str(sortie.resolve()), "inode": etat.st_ino, "modifie": etat.st_mtime_ns}


def _fichier_record(sortie: Path, cache: Path) -> Path:
    """Where the fingerprint of the build published in `sortie` is recorded (in `cache`)."""
    nom = hashlib.sha256(str(sortie.resolve()).encode()).hexdigest()[:16]
    return cache / f"construction-{nom}.json"


def version_rendu(settings: dict) -> str:
    """The fingerprint of what every page depends on besides its own data: settings (output folder
    aside), templates, Pelican's pages (the menu), this package's code, the packages' versions and
    the build's date. Pages rendered under the same version with the same data are the same."""
    empreinte = hashlib.sha256(f"v{VERSION_EMPREINTE}\0rendu\0".encode())
    reglages = {k: v for k, v in settings.items() if k not in SANS_EFFET_SUR_LES_PAGES}
    empreinte.update(json.dumps(reglages, sort_keys=True, default=_valeur_stable).encode())
    empreinte.update((settings.get("ANNUAIRE_DATE") or dt.date.today().isoformat()).encode())
    empreinte.update(version_code().encode())  # this package's code, the libraries, Python
    for dossier in (Path(settings["THEME"]) / "templates", Path(settings["PATH"]) / "pages"):
        condenser_dossier(empreinte, dossier)
    return empreinte.hexdigest()


def sortie_a_jour(sortie: Path, empreinte: str, cache: Path) -> bool:
    """True when `sortie` is the untouched output of a build with this fingerprint (recorded in
    the cache root `cache`)."""
    try:
        record = json.loads(_fichier_record(sortie, cache).read_text(encoding="utf-8"))
        return sortie.is_dir() and record == {**_etat_sortie(sortie), "empreinte": empreinte}
    except (OSError, ValueError):
        return False


def noter_construction(sortie: Path, empreinte: str, cache: Path) -> None:
    """Record the fingerprint of the build just published in `sortie` (in the cache root `cache`)."""
    record = {**_etat_sortie(sortie), "empreinte": empreinte}
    ecrire_atomique(_fichier_record(sortie, cache), json.dumps(record, indent=1))


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
