"""The search index: Pagefind run over the built site, in French, before it is published.

Pagefind (npm `pagefind`, `binaire()` below) reads the place sheets: their `data-pagefind-body`
article is the indexed text, and the hidden block of partials/facettes_fiche.html gives the filters and the
metadata of the result cards. The index is written to `pagefind/` inside the site; the browser
downloads only the pieces a query needs (theme/static/js/recherche.js). Plain Python: no Pelican.

Pagefind writes its filter lists and its metadata file in an arbitrary order (a hash map's), so
two builds of the same site would differ. `stabiliser` rewrites those few files with their values
sorted, under names made from their content: the same entries give the same index, byte for byte.

It also renames the result fragments. Pagefind names each one by its content hash, and the
metadata file, which every visitor downloads before the first result, lists them all: at 30,000
sheets those random names were 144 of its 174 KB (gzip), incompressible. `numeroter_fragments`
names them instead by one key for the whole index (a digest of every original name, so a
changed sheet changes every name and no browser keeps a stale fragment) and their rank, which
compresses: the file falls to about 95 KB.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import cbor2

from annuaire.domain import routes
from annuaire.loading.referentiel import NODE_MODULES  # beside this package

DOSSIER_INDEX = routes.INDEX_RECHERCHE.rstrip("/")
INTERFACES_INUTILES = (
    "pagefind-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-component-ui.*",
    "pagefind-highlight.js",
)

# Parts of a sheet that repeat on every page (headings, labels, notes, opening hours, contacts, the
# small map): kept out of the word index so that it stays small and "horaires" or "adresse" does
# not match every page. `.fiche-details` is there because Pagefind glues its <dt>/<dd> texts into
# one word; its values are indexed from partials/facettes_fiche.html instead.
BOILERPLATE: tuple[str, ...] = (
    ".fiche h2",
    ".fiche .note",
    ".fiche .bandeau",
    ".fiche-horaires",
    ".fiche-contacts",
    ".fiche-details",
    ".fiche .mini-carte",
)

# The files Pagefind reads: the place sheets (lieu.html, the only template with data-pagefind-body,
# so the index is the same as over the whole site); skipping the list pages saves it about a
# fifth of its time on a national directory.
FICHES = routes.FICHES


# Pagefind from npm (pinned in package.json, installed by `make install`), not PyPI: the index
# it writes holds the search code every visitor runs, and 1.6 scores a query in a time that
# grows with its matches, where 1.5.2 (the last on PyPI) compared each match with every other: a
# word found on 27,000 of 30,000 sheets took 3 to 5 s to answer, 0.2 s with 1.6 (measured).
# The binary itself, not npm's wrapper: a wrapper killed (a build that fails) would leave the
# binary writing on. npm installs only this machine's package (@pagefind/linux-x64, darwin-arm64…).
def binaire(node_modules: Path = NODE_MODULES) -> Path:
    """The Pagefind executable npm installed for this machine in `node_modules` (a path that does
    not exist when `make install` has not run: launching it then says so)."""
    trouves = sorted((node_modules / "@pagefind").glob("*/bin/pagefind_extended*"))
    executables = [chemin for chemin in trouves if chemin.suffix in ("", ".exe")]
    return executables[0] if executables else node_modules / "@pagefind" / "bin" / "pagefind_extended"


SIGNATURE = b"pagefind_dcd"  # what starts every decompressed Pagefind data file

# Pagefind's allocator (jemalloc, configured by this variable) keeps freed memory for ten seconds
# by default; given back at once, its peak at 30,000 sheets falls from 2.80 to 2.64 GB (measured,
# same time). The index is the same: only when memory returns to the system changes.
MEMOIRE_PAGEFIND = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}


class IndexationImpossible(Exception):
    """Pagefind could not index the site; the message is French."""


@dataclass(frozen=True)
class Rapport:
    """What the indexing produced: pages indexed, index files and bytes, duration in seconds."""

    pages: int
    fichiers: int
    octets: int
    duree: float
    attente: float | None = None  # of `duree`, what the build waited for once it had done the rest

    def resume(self) -> str:
        """One French line for the build's output."""
        ligne = (
            f"Recherche : {self.pages} pages indexées, {self.fichiers} fichiers "
            f"({self.octets / 1024 / 1024:.1f} Mo) en {self.duree:.1f} s"
        )
        return ligne if self.attente is None else f"{ligne}, dont {self.attente:.1f} s d'attente"


# --- Running Pagefind ------------------------------------------------------------------------------


def commande(dossier: Path, sous_dossier: str = DOSSIER_INDEX, executable: Path | None = None) -> list[str]:
    """Pagefind's command line (`executable`, else npm's `pagefind` beside this package):
    French stemming for every page, boilerplate left out, the index in dossier/pagefind/ (or
    `sous_dossier`).

    The command rather than an API: the Python one stops its service right after asking it to
    write the index, and on a busy machine some files were cut short; the command exits only once
    everything is written.
    """
    return [
        str(executable or binaire()),
        "--site",
        str(dossier),
        "--output-subdir",
        sous_dossier,
        "--glob",
        FICHES,
        "--force-language",
        "fr",
        "--exclude-selectors",
        ", ".join(BOILERPLATE),
        "--quiet",
    ]


class Indexation:
    """Pagefind over the sheets of a built site, in the background: `lancer()` starts it, the
    build goes on (`anticipee`: a full build renders its other pages meanwhile), `terminer()` waits
    for it and finishes the index; `abandonner()` stops it when the build fails."""

    def __init__(
        self,
        dossier_site: Path,
        sous_dossier: str = DOSSIER_INDEX,
        anticipee: bool = False,
        executable: Path | None = None,
    ):
        self.dossier_site, self.sous_dossier, self.anticipee = dossier_site, sous_dossier, anticipee
        self.executable = executable or binaire()
        self.index = dossier_site / sous_dossier
        self.processus: subprocess.Popen | None = None
        self.journal = None  # Pagefind's messages: a file (a pipe nobody reads could fill up)
        self.debut = 0.0

    def lancer(self) -> Indexation:
        """Start Pagefind; raise IndexationImpossible when there is nothing to index or no Pagefind."""
        self.debut = time.monotonic()
        if not self.dossier_site.is_dir():
            raise IndexationImpossible(f"{self.dossier_site} introuvable : rien à indexer")
        print(f"Recherche : indexation de {self.dossier_site}/ …", file=sys.stderr)
        shutil.rmtree(self.index, ignore_errors=True)  # no stale chunks from an earlier index
        self.journal = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _attendre or abandonner)
        try:
            self.processus = subprocess.Popen(
                commande(self.dossier_site, self.sous_dossier, self.executable),
                stdout=self.journal,
                stderr=subprocess.STDOUT,
                env={**MEMOIRE_PAGEFIND, **os.environ},  # a setting of the caller's wins
            )
        except OSError as exc:
            self.journal.close()
            conseil = "" if self.executable.exists() else " (lancez « make install »)"
            raise IndexationImpossible(f"Pagefind n'a pas pu être lancé{conseil} : {exc}") from exc
        return self

    def _attendre(self) -> None:
        """Wait for Pagefind; its messages go to stderr; IndexationImpossible when it failed."""
        code = self.processus.wait()
        self.journal.seek(0)
        sortie = self.journal.read().decode("utf-8", "replace").strip()
        self.journal.close()
        if code != 0:
            detail = sortie.splitlines()[-1] if sortie else f"code {code}"
            raise IndexationImpossible(f"l'index de recherche n'a pas pu être construit : {detail}")
        if sortie:
            print(sortie, file=sys.stderr)

    def terminer(self) -> Rapport:
        """Wait for Pagefind, make its index stable and lean; the report."""
        attente = time.monotonic()
        self._attendre()
        try:
            stabiliser(self.index)
        except (OSError, ValueError, KeyError, IndexError) as exc:
            message = f"index de recherche illisible ({exc}) : version de Pagefind ?"
            raise IndexationImpossible(message) from exc
        retirer_interfaces(self.index)
        pages = sum(1 for _ in (self.index / "fragment").glob("*"))
        fin = time.monotonic()
        attendu = fin - attente if self.anticipee else None
        rapport = Rapport(pages, *taille(self.index), fin - self.debut, attendu)
        print(rapport.resume(), file=sys.stderr)
        return rapport

    def abandonner(self) -> None:
        """Stop Pagefind (a build that failed meanwhile)."""
        if self.processus is not None and self.processus.poll() is None:
            self.processus.kill()
            self.processus.wait()
        if self.journal is not None:
            self.journal.close()


def retirer_interfaces(dossier_index: Path) -> None:
    """Remove Pagefind's ready-made UI bundles: the search page uses only the JavaScript API."""
    for motif in INTERFACES_INUTILES:
        for chemin in dossier_index.glob(motif):
            chemin.unlink()


def taille(dossier: Path) -> tuple[int, int]:
    """(number of files, total bytes) under `dossier`."""
    fichiers = [p for p in dossier.rglob("*") if p.is_file()]
    return len(fichiers), sum(p.stat().st_size for p in fichiers)


def indexer(dossier_site: Path, sous_dossier: str = DOSSIER_INDEX, executable: Path | None = None) -> Rapport:
    """Build the search index of the sheets in `dossier_site` (into its `sous_dossier`) with
    Pagefind's `executable` (default: `binaire()`) and wait for it; raise IndexationImpossible on
    failure."""
    return Indexation(dossier_site, sous_dossier, executable=executable).lancer().terminer()


# --- Same entries, same index: Pagefind's data files in a stable order -----------------------------
# The files are gzip + "pagefind_dcd" + CBOR (RFC 8949, read and written by cbor2) holding integers,
# text and arrays only.


def lire_donnees(chemin: Path) -> object:
    """The content of a Pagefind data file (.pf_meta, .pf_filter)."""
    brut = gzip.decompress(chemin.read_bytes())
    if not brut.startswith(SIGNATURE):
        raise ValueError(f"{chemin.name} : ce n'est pas un fichier de données Pagefind")
    return cbor2.loads(brut[len(SIGNATURE) :])


def ecrire_donnees(dossier: Path, modele: str, langue: str, longueur: int, valeur: object) -> str:
    """Write a Pagefind data file named from its content (`modele`: "{}.pf_filter"…); returns the
    name's key, as the index refers to it ("fr_1a2b3c4")."""
    brut = SIGNATURE + cbor2.dumps(valeur)
    cle = f"{langue}_{hashlib.sha256(brut).hexdigest()[:longueur]}"
    (dossier / modele.format(cle)).write_bytes(gzip.compress(brut, 9, mtime=0))
    return cle


def _filtre_stable(dossier: Path, langue: str, ancien: str) -> str:
    """Rewrite one filter list with its values sorted; returns its new hash."""
    chemin = dossier / "filter" / f"{ancien}.pf_filter"
    nom_filtre, valeurs = lire_donnees(chemin)
    chemin.unlink()
    return ecrire_donnees(dossier / "filter", "{}.pf_filter", langue, 7, [nom_filtre, sorted(valeurs)])


def numeroter_fragments(dossier_index: Path, langue: str, pages: list) -> list:
    """Rename the result fragments of `pages` (the metadata's [[name, word count, …], …], whose
    rank the word index and the filters refer to) "fr_<key>-<rank in hex>"; returns the new list
    (each page's other values kept: Pagefind 1.6 added one).
    The key: a digest of the old names and of the index's folder (the main index and its delta
    never share a name)."""
    anciens = "\n".join([dossier_index.name, *(page[0] for page in pages)])
    cle = hashlib.sha256(anciens.encode()).hexdigest()[:12]  # 48 bits: repeated, gzip makes it free
    fragments, nouvelles = dossier_index / "fragment", []
    for rang, (ancien, *autres) in enumerate(pages):
        nom = f"{langue}_{cle}-{rang:04x}"
        os.replace(fragments / f"{ancien}.pf_fragment", fragments / f"{nom}.pf_fragment")
        nouvelles.append([nom, *autres])
    return nouvelles


def stabiliser(dossier_index: Path) -> None:
    """Rewrite the filter lists and the metadata file in a stable order, with the fragments
    numbered, and point the entry file (pagefind-entry.json) to the new metadata file."""
    chemin_entree = dossier_index / "pagefind-entry.json"
    entree = json.loads(chemin_entree.read_text(encoding="utf-8"))
    for langue, infos in entree["languages"].items():
        ancien_meta = dossier_index / f"pagefind.{infos['hash']}.pf_meta"
        meta = lire_donnees(ancien_meta)  # [version, pages, word chunks, filters, sorts, metadata keys]
        meta[1] = numeroter_fragments(dossier_index, langue, meta[1])
        meta[3] = sorted([nom, _filtre_stable(dossier_index, langue, h)] for nom, h in meta[3])
        ancien_meta.unlink()
        infos["hash"] = ecrire_donnees(dossier_index, "pagefind.{}.pf_meta", langue, 10, meta)
    chemin_entree.write_text(json.dumps(entree, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
