"""Incremental builds: render only the pages whose data changed, publish only the files that did.

Plain Python (no Pelican). A page is a pure function of its template, its data and the build's
global inputs (templates, this package's code, settings, libraries, date). The fingerprint of its
data (`EmpreintesPages`) is recorded for every page at each publication, with the list of every
published file, in .cache/annuaire/publication.pickle (`Manifeste`). The next build renders a page
only when its fingerprint changed or the global inputs did; the pages it skips stay as published.

The build writes what it renders (and every other file: data, theme) into a fresh folder,
`output.nouveau/`, which then holds only what changed; `publier` moves those files into `output/`
and removes the files that are no longer produced. An invalid entry or a failing index stops the
build before anything is moved: the published site stays intact. The first build (no `output/`)
is published with a single rename, as before. Published files carry the id of their publication
in `output/.annuaire-publication`: a manifest is trusted only for the folder it describes.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import pickle
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from annuaire.build.cache import dossier_a_supprimer, supprimer_en_arriere_plan
from annuaire.build.memo import empreinte_lieu, empreinte_pickle
from annuaire.build.parallele import sans_ramasse_miettes
from annuaire.build.signatures import intacts, signer, tous_intacts
from annuaire.domain.ateliers import Atelier, Occurrence
from annuaire.domain.model import Lieu, Reseau
from annuaire.outputs.ecriture import ecrire_atomique, ecrire_pickle
from annuaire.site.agenda import VueAtelier
from annuaire.site.plan import Groupe, Index, Rendus
from annuaire.validation.qualite import RapportQualite

MARQUE = ".annuaire-publication"
INDEX_RECHERCHE = ("pagefind", "pagefind-delta")  # folders replaced whole, never merged file by file
VERSION_MANIFESTE = 2  # 2: with each published file's signature


class NonEmpreintable(Exception):
    """A page's data holds the whole directory (home page, search page, quality report): always
    rendered. The report's problems come from a cache or not, which changes their pickle."""


class _Empreinteur(pickle.Pickler):
    """Pickles page data with each place replaced by its own digest (memoised per process) and each
    group by its fields (not the summary it caches once drawn): a list page of 500 places costs 500
    lookups, not 500 pickles. Only these types reach Python code (`dispatch_table`); the rest is
    pickled in C."""

    def __init__(self, fichier, memo: dict, empreintes=None):
        super().__init__(fichier, protocol=5)
        # Without pickle's memo, an object shared by two parts of a page is written twice: the
        # bytes then depend on the values alone. With it, they depend on which objects are shared,
        # and that differs between a fresh computation and results read back from the cache (a
        # workshop's dates computed now point to that workshop; read from the cache, to a copy
        # of it): every page with workshops was rendered again, build after build. A cycle in
        # page data raises ValueError: the page is then always rendered.
        self.fast = True
        self.memo_lieux = memo
        self.empreintes = empreintes or empreinte_lieu
        self.dispatch_table = {
            Lieu: self._lieu,
            Reseau: self._reseau,
            Groupe: self._groupe,
            Rendus: self._rendus,
            Atelier: self._une_fois,
            Occurrence: self._une_fois,
            VueAtelier: self._une_fois,
            Index: self._toujours,
            RapportQualite: self._toujours,
        }

    def lieu(self, lieu: Lieu) -> bytes:
        """A place's digest, computed once per process."""
        cle = id(lieu)
        if cle not in self.memo_lieux:
            self.memo_lieux[cle] = self.empreintes(lieu)
        return self.memo_lieux[cle]

    def _lieu(self, lieu: Lieu):
        return bytes, (self.lieu(lieu),)

    def _reseau(self, reseau: Reseau):
        # A network is on every sheet of its places: digested once per process, not pickled each time.
        cle = ("reseau", id(reseau))
        if cle not in self.memo_lieux:
            self.memo_lieux[cle] = empreinte_pickle(reseau)
        return bytes, (self.memo_lieux[cle],)

    def _groupe(self, groupe: Groupe):
        # What a list page shows of its whole group: name, count and small map (digested once per
        # group); its own places come with the page's slice. So renaming one place re-renders its
        # pages of each list, not the 400 pages of a service every place offers.
        cle = ("groupe", id(groupe))
        if cle not in self.memo_lieux:
            resume = pickle.dumps(
                (groupe.slug, groupe.nom, groupe.url, len(groupe.lieux), groupe.extra, groupe.carte),
                protocol=5,
            )
            self.memo_lieux[cle] = hashlib.blake2b(resume, digest_size=16).digest()
        return bytes, (self.memo_lieux[cle],)

    def _rendus(self, rendus: Rendus):
        # The sheets' renderer: by what its views depend on besides their arguments (Rendus.etat).
        cle = ("rendus", id(rendus))
        if cle not in self.memo_lieux:
            self.memo_lieux[cle] = empreinte_pickle(rendus.etat())
        return bytes, (self.memo_lieux[cle],)

    def _une_fois(self, valeur):
        # A workshop, its view and each of its dates are on many pages (its sheet, its commune's,
        # its département's, the whole agenda, its own page, the feeds): digested once per process
        # from its fields (places and the other shared objects in them by their own digests).
        cle = ("objet", id(valeur))
        if cle not in self.memo_lieux:
            tampon = io.BytesIO()
            sous = _Empreinteur(tampon, self.memo_lieux, self.empreintes)
            sous.dump((type(valeur).__qualname__, [getattr(valeur, c.name) for c in fields(valeur)]))
            self.memo_lieux[cle] = hashlib.blake2b(tampon.getvalue(), digest_size=16).digest()
        return bytes, (self.memo_lieux[cle],)

    def _toujours(self, _donnees):
        raise NonEmpreintable


class EmpreintesPages:
    """The fingerprint of every page of one process: one pickler and one buffer for them all
    (making a pickler per page cost a tenth of a second per thousand pages); `memo` holds the
    digests of the places and groups seen so far, `empreintes` gives a place's digest
    (memo.EmpreintesLieux; default: its fields' values, memo.empreinte_lieu)."""

    def __init__(self, empreintes=None):
        self.memo: dict = {}
        self.empreintes = empreintes
        self._nouveau()

    def _nouveau(self) -> None:
        self.tampon = io.BytesIO()
        self.pickler = _Empreinteur(self.tampon, self.memo, self.empreintes)

    def __call__(self, gabarit: str, donnees: object) -> str | None:
        """The fingerprint of one page's template and data (or what its data is made from), or
        None when it must always be rendered."""
        self.tampon.seek(0)
        self.tampon.truncate()
        self.pickler.clear_memo()
        try:
            self.pickler.dump((gabarit, donnees))
        except (NonEmpreintable, pickle.PicklingError, TypeError, AttributeError, ValueError):
            self._nouveau()  # a dump cut short may leave the pickler's state half-written
            return None
        return hashlib.blake2b(self.tampon.getvalue(), digest_size=16).hexdigest()


class SuiviRendu:
    """Which pages a build renders and which it keeps, across its rendering processes.

    `precedentes`: {page path: fingerprint} of the published pages this build may keep. Each
    process calls `garder` or `noter` for its pages and `ecrire_part(rang)` at its end; the parent
    then `fusionner`s the parts: `pages` (every page's fingerprint) and `gardes` (pages kept).
    """

    def __init__(self, cache: Path, precedentes: dict[str, str], empreintes=None):
        self.cache, self.precedentes = cache, precedentes
        self.empreinte = EmpreintesPages(empreintes)  # each process gets its copy when forked
        self.pages: dict[str, str] = {}
        self.gardes: set[str] = set()

    def garder(self, chemin: str, empreinte: str | None) -> bool:
        """True (and noted) when the published page has this fingerprint: no need to render it."""
        if empreinte is None or self.precedentes.get(chemin) != empreinte:
            return False
        self.pages[chemin] = empreinte
        self.gardes.add(chemin)
        return True

    def noter(self, chemin: str, empreinte: str | None) -> None:
        """Note a page rendered by this build."""
        if empreinte is not None:
            self.pages[chemin] = empreinte

    def _part(self, rang: int) -> Path:
        return self.cache / f"rendu.part-{rang}"

    def ecrire_part(self, rang: int) -> None:
        """Write this process's notes (in each rendering process)."""
        ecrire_pickle(self._part(rang), (self.pages, self.gardes))

    def fusionner(self, processus: int) -> None:
        """Gather every process's notes (in the parent)."""
        for rang in range(processus):
            with self._part(rang).open("rb") as fichier, sans_ramasse_miettes():
                pages, gardes = pickle.load(fichier)
            self._part(rang).unlink()
            self.pages.update(pages)
            self.gardes |= gardes


@dataclass
class Manifeste:
    """The last publication: its id, its global inputs' version, each page's fingerprint, every file."""

    ident: str = ""
    version: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    fichiers: set[str] = field(default_factory=set)
    signatures: dict[str, tuple] = field(default_factory=dict)  # each file's, as published (signatures.py)

    @classmethod
    def lire(cls, cache: Path, final: Path) -> Manifeste:
        """The manifest of `final` when it describes that folder as it is, else an empty one."""
        try:
            with (cache / "publication.pickle").open("rb") as fichier, sans_ramasse_miettes():
                version, manifeste = pickle.load(fichier)
            marque = (final / MARQUE).read_text(encoding="utf-8").strip()
        except Exception:  # any unreadable manifest (a class renamed since…): publish it all
            return cls()
        valide = version == VERSION_MANIFESTE and isinstance(manifeste, cls) and manifeste.ident == marque
        return manifeste if valide else cls()

    def reutilisable(self, version: str, final: Path) -> dict[str, str]:
        """{page path: fingerprint} of pages a build of global inputs `version` may keep: those whose
        file in `final` is still the one published (a stat each: signatures.py)."""
        if not self.ident or self.version != version:
            return {}
        gardables = intacts(final, self.pages, self.signatures)
        return {chemin: self.pages[chemin] for chemin in gardables}

    def ecrire(self, cache: Path) -> None:
        """Save the manifest (after a successful publication)."""
        ecrire_pickle(cache / "publication.pickle", (VERSION_MANIFESTE, self))


def fichiers_sous(dossier: Path) -> set[str]:
    """Relative paths of every file under `dossier` (none when it does not exist)."""
    trouves = set()
    for racine, _, noms in os.walk(dossier):
        relatif = Path(racine).relative_to(dossier).as_posix()
        trouves.update(nom if relatif == "." else f"{relatif}/{nom}" for nom in noms)
    return trouves


def _deplacer(nouveau: Path, final: Path, chemins: Iterable[str]) -> None:
    """Move files from `nouveau` to the same place in `final` (each move is atomic)."""
    for chemin in sorted(chemins):
        cible = final / chemin
        cible.parent.mkdir(parents=True, exist_ok=True)
        os.replace(nouveau / chemin, cible)


def _retirer(final: Path, chemins: Iterable[str]) -> None:
    """Remove published files no longer produced, and the folders they leave empty."""
    for chemin in sorted(chemins, reverse=True):
        (final / chemin).unlink(missing_ok=True)
        parent = (final / chemin).parent
        while parent != final and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def _remplacer_dossier(nouveau: Path, final: Path, nom: str) -> None:
    """Put `nouveau/nom` in place of `final/nom` (renames); drop `final/nom` if there is none.

    The old folder is moved beside `final`, not left in it while it is removed in the background:
    removing it there changed `final`'s modification time after the build had recorded it (the
    next build then did not see that nothing had changed), and a deployment copying `final` at
    that moment would have published half of it."""
    ancien = final / nom
    if ancien.exists():
        garde = dossier_a_supprimer(final.with_name(f"{final.name}.{nom}"))
        try:
            ancien.rename(garde)
        except OSError as exc:  # `final` is a mount point of its own: keep it in there
            if exc.errno != errno.EXDEV:
                raise
            garde = dossier_a_supprimer(ancien)
            ancien.rename(garde)
        supprimer_en_arriere_plan(garde)
    if (nouveau / nom).exists():
        (nouveau / nom).rename(ancien)


def publier(
    nouveau: Path, final: Path, pages: dict[str, str], gardes: set[str], version: str, cache: Path
) -> Manifeste:
    """Publish the build in `nouveau` into `final` and record it.

    `pages`: every page's fingerprint; `gardes`: the pages kept from the last publication (not in
    `nouveau`); the search index folders are replaced whole when `nouveau` has them, removed when
    it has `pagefind` but no `pagefind-delta`. Returns the new manifest.
    """
    ancien = Manifeste.lire(cache, final)
    produits = {c for c in fichiers_sous(nouveau) if c.split("/", 1)[0] not in INDEX_RECHERCHE}
    fichiers = produits | gardes | {MARQUE}
    # The id is the manifest's own digest: the same build gives the same files, marker included.
    ident = hashlib.blake2b(
        pickle.dumps((version, sorted(pages.items()), sorted(fichiers))), digest_size=8
    ).hexdigest()
    manifeste = Manifeste(ident, version, pages, fichiers)
    ecrire_atomique(nouveau / MARQUE, ident + "\n")
    produits.add(MARQUE)
    if not final.exists() or not ancien.ident or not gardes:
        _publier_entier(nouveau, final)
    else:
        _deplacer(nouveau, final, produits)
        _retirer(final, ancien.fichiers - manifeste.fichiers)
        if (nouveau / "pagefind").exists():
            _remplacer_dossier(nouveau, final, "pagefind-delta")
        for nom in INDEX_RECHERCHE:
            if (nouveau / nom).exists():
                _remplacer_dossier(nouveau, final, nom)
            restes = [*final.glob(f"{nom}.ancien*"), *final.parent.glob(f"{final.name}.{nom}.ancien*")]
            for reste in restes:  # left by an interrupted build (or an older one, inside `final`)
                supprimer_en_arriere_plan(reste)
        shutil.rmtree(nouveau, ignore_errors=True)
    # Kept pages keep the signature checked when they were kept, except those the search index
    # linked into `nouveau` (index_incremental._lier) and moved back: a link made or removed
    # changes the file's change time, so theirs is read now, once `nouveau` is gone.
    connues = {c: ancien.signatures[c] for c in gardes - produits if c in ancien.signatures}
    manifeste.signatures = signer(final, sorted(manifeste.fichiers), connues)
    manifeste.ecrire(cache)
    return manifeste


def publication_intacte(final: Path, cache: Path) -> bool:
    """Whether every file of the last publication in `final` is still as published (a build with
    nothing to do may then keep them all)."""
    return tous_intacts(final, Manifeste.lire(cache, final).signatures)


def _publier_entier(nouveau: Path, final: Path) -> None:
    """Swap `nouveau` in place of `final` with renames; the old output is removed in the background
    (on a large site, removing tens of thousands of files takes longer than the swap), with what an
    interrupted build may have left of an older one."""
    if final.exists():
        garde = dossier_a_supprimer(final)
        final.rename(garde)
    nouveau.rename(final)
    for reste in final.parent.glob(f"{final.name}.ancien*"):
        supprimer_en_arriere_plan(reste)
