"""The build: Pelican renders what changed into a fresh folder, the search index is brought up to
date, then the folder is published into the output folder (publication.py).

A build that fails (invalid entries, a template error, the index) leaves the previous output
untouched: nothing is moved before everything is ready.
"""

from __future__ import annotations

import contextlib
import pickle
import shutil
import sys
import time
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from annuaire.build.cache import (
    dossier_node_modules,
    empreinte_construction,
    noter_construction,
    rafraichir_contenu,
    sortie_a_jour,
)
from annuaire.build.entrees import rafraichir_entrees
from annuaire.build.index_incremental import indexer_site
from annuaire.build.memo import racine_cache
from annuaire.build.origine import avec_origine
from annuaire.build.parallele import sans_ramasse_miettes
from annuaire.build.pelican_glue import AnnuaireInvalide, fiches_ecrites, liberer_pelican
from annuaire.build.publication import publication_intacte, publier
from annuaire.build.verrou import (
    ERREURS_DISQUE,
    ConstructionEnCours,
    attente_reglee,
    disque_presque_plein,
    raison_disque,
    verrou_construction,
)
from annuaire.domain import routes
from annuaire.domain.reglages import ReglageInvalide, lire_reglages
from annuaire.outputs.ecriture import ecrire_atomique
from annuaire.search.pagefind import Indexation, IndexationImpossible, binaire
from annuaire.site.gabarits import entetes_http
from annuaire.validation.affichage import afficher_problemes


def _slugs_fiches(chemins) -> set[str]:
    """The place slugs of sheet files (see routes.slug_du_fichier) among page paths."""
    return {slug for c in chemins if (slug := routes.slug_du_fichier(c))}


class IndexAnticipe:
    """The full search index, started when the generator has written every sheet of a build that
    renders them all (signal `fiches_ecrites`), finished by `_indexer_et_publier`."""

    def __init__(self, nouveau: Path, executable: Path):
        self.nouveau, self.executable = nouveau, executable
        self.indexation: Indexation | None = None

    def __call__(self, generateur, sortie: Path) -> None:
        """The signal's receiver: start Pagefind over this build's folder (not another build's)."""
        if Path(sortie) == self.nouveau:
            self.indexation = Indexation(self.nouveau, anticipee=True, executable=self.executable).lancer()

    def abandonner(self) -> None:
        """Stop it if it runs (a failed build)."""
        if self.indexation is not None:
            self.indexation.abandonner()


def _indexer_et_publier(nouveau: Path, final: Path, settings: dict, anticipe: IndexAnticipe) -> None:
    """Index the build (delta or full, or finish the full index started early), then publish it
    and record the index's state."""
    cache = racine_cache(settings)
    try:
        with (cache / "rendu.pickle").open("rb") as fichier, sans_ramasse_miettes():
            pages, gardes, version, numeros = pickle.load(fichier)
    except Exception:  # no record, or an unreadable one: publish it all
        pages, gardes, version, numeros = {}, set(), "", []
    fiches = _slugs_fiches(pages)
    _rafraichir_signatures(settings, cache)  # while the index started early runs
    rendues = fiches - _slugs_fiches(gardes)
    _, etat = indexer_site(
        nouveau, final, cache, fiches, rendues, anticipe.indexation, numeros, anticipe.executable
    )
    _ecrire_entetes(nouveau, settings)
    publier(nouveau, final, pages, gardes, version, cache)
    etat.ecrire(cache)


def _rafraichir_signatures(settings: dict, cache: Path) -> None:
    """Give the files this build read while they were too recent to be known by their signature
    (written just before it: a clone, an import) one now, so that the next build does not read
    30,000 entries again (see `cache.signature`). A full build does it while Pagefind ends on one
    core; an incremental one has at most the few files just saved."""
    rafraichir_entrees(cache, Path(settings["PATH"]).parent)
    rafraichir_contenu(cache)


def _empreinte(settings: dict, chemin_settings: Path, surcharges: dict | None) -> str:
    """The fingerprint of the build's inputs when it may reuse an up-to-date output, else "".

    ANNUAIRE_REUTILISER turns the reuse on or off; by default it is on for the command line and
    off for callers that override settings (tests), which expect every build to run.
    """
    if not settings.get("ANNUAIRE_REUTILISER", surcharges is None):
        return ""
    try:
        return empreinte_construction(settings, chemin_settings, racine_cache(settings))
    except (OSError, TypeError, ValueError):  # an unreadable input or an odd setting: build
        return ""


def _ecrire_entetes(dossier: Path, settings: dict) -> None:
    """The `_headers` file (security headers for hosts that read one), beside index.html."""
    tuiles = lire_reglages(settings.get("ANNUAIRE")).tuiles_url
    ecrire_atomique(dossier / "_headers", entetes_http(tuiles))


def lire_settings(chemin: Path, sortie: Path | None = None, surcharges: dict | None = None) -> dict:
    """Pelican settings from `chemin` (pelicanconf.py), with an optional output folder and overrides."""
    if not chemin.is_file():
        raise ReglageInvalide(f"{chemin} : fichier de réglages introuvable")
    override = {"OUTPUT_PATH": str(sortie)} if sortie else {}
    settings = read_settings(str(chemin), override={**override, **(surcharges or {})})
    if settings.get("ANNUAIRE_CACHE"):  # relative to the settings file, as Pelican's PATH is
        settings["ANNUAIRE_CACHE"] = str((chemin.parent / settings["ANNUAIRE_CACHE"]).resolve())
    return avec_origine(settings)


def construire_site(chemin_settings: Path, sortie: Path | None = None, surcharges: dict | None = None) -> int:
    """Build the site; print problems and return 1 when the directory is invalid.

    `surcharges` overrides settings (tests pin ANNUAIRE_DATE, PATH, SITEURL…).
    """
    debut = time.monotonic()
    try:
        settings = lire_settings(chemin_settings, sortie, surcharges)
        attente = attente_reglee(settings.get("ANNUAIRE_ATTENTE_VERROU"))
    except (ReglageInvalide, ValueError) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 2
    final = Path(settings["OUTPUT_PATH"])
    try:  # one build at a time per output folder, from the "nothing changed" check to the end
        with verrou_construction(final, attente):
            return _construire_verrouille(chemin_settings, settings, surcharges, final, debut)
    except ConstructionEnCours as exc:
        print(f"erreur : {exc} ; {final}/ est inchangé", file=sys.stderr)
        return 2
    except OSError as exc:  # a full or read-only disk: in plain words, and nothing left behind
        if exc.errno not in ERREURS_DISQUE:
            raise
        return _echec_disque(exc, final, settings)


def _echec_disque(exc: OSError, final: Path, settings: dict) -> int:
    """A build the disk stopped: its French message, its fresh folder and leftovers removed."""
    with contextlib.suppress(OSError):  # the rendering processes' notes
        for reste in racine_cache(settings).glob("rendu.part-*"):
            reste.unlink(missing_ok=True)
    raison = raison_disque(exc, final)
    message = f"erreur : impossible d'écrire le site : {raison} ; site non publié, {final}/ est inchangé"
    return _echec(message, final.with_name(final.name + ".nouveau"), 2)


def _construire_verrouille(
    chemin_settings: Path, settings: dict, surcharges: dict | None, final: Path, debut: float
) -> int:
    """`construire_site`'s work, under the output folder's lock."""
    empreinte = _empreinte(settings, chemin_settings, surcharges)
    cache = racine_cache(settings)  # before OUTPUT_PATH moves to the build's fresh folder
    settings["ANNUAIRE_CACHE"] = str(cache)
    if empreinte and sortie_a_jour(final, empreinte, cache) and publication_intacte(final, cache):
        print(f"Rien n'a changé depuis la dernière construction : {final}/ est à jour")
        return 0
    nouveau = final.with_name(final.name + ".nouveau")
    shutil.rmtree(nouveau, ignore_errors=True)
    settings["OUTPUT_PATH"], settings["ANNUAIRE_PUBLIE"] = str(nouveau), str(final)
    anticipe = IndexAnticipe(nouveau, binaire(dossier_node_modules(settings)))
    fiches_ecrites.connect(anticipe, weak=False)
    try:
        return _construire_et_publier(settings, nouveau, final, empreinte, debut, anticipe)
    finally:
        fiches_ecrites.disconnect(anticipe)
        anticipe.abandonner()  # when the build failed before publishing: nothing left running


def _echec(message: str, nouveau: Path, code: int) -> int:
    """A failed build: its message on stderr, its folder removed (nothing published); the code."""
    print(message, file=sys.stderr)
    shutil.rmtree(nouveau, ignore_errors=True)
    return code


def _construire_et_publier(
    settings: dict, nouveau: Path, final: Path, empreinte: str, debut: float, anticipe: IndexAnticipe
) -> int:
    """Pelican into `nouveau`, the index, the publication into `final`; the command's exit code."""
    try:
        Pelican(settings).run()
        if anticipe.indexation is not None:  # the full index runs: the directory not kept beside it
            liberer_pelican()  # (a collection, ~1 s at 30,000 places, while the build waits anyway)
        _indexer_et_publier(nouveau, final, settings, anticipe)
    except AnnuaireInvalide as exc:
        afficher_problemes(exc.problemes, sys.stderr)
        return _echec(f"{len(exc.problemes)} erreur(s) : site non publié, {final}/ est inchangé", nouveau, 1)
    except ReglageInvalide as exc:
        return _echec(f"erreur : {exc}", nouveau, 2)
    except IndexationImpossible as exc:  # during the rendering (index started early) or after it
        plein = " (le disque est plein)" if disque_presque_plein(nouveau) else ""  # Pagefind's own words
        return _echec(f"erreur : {exc}{plein} ; site non publié, {final}/ est inchangé", nouveau, 2)
    if empreinte:
        noter_construction(final, empreinte, racine_cache(settings))
    print(f"Site construit dans {final}/ en {time.monotonic() - debut:.1f} s")
    return 0
