"""The search index kept up to date without indexing 30,000 sheets again for one changed entry.

Plain Python (no Pelican). Pagefind has no incremental mode: indexing a national directory takes
about 30 s whatever changed. So the published index has two parts:

- `pagefind/`, the main index of every sheet, made by a full indexing;
- `pagefind-delta/`, a small index of the sheets changed (or added) since the main index was made,
  merged in the browser with Pagefind's `mergeIndex`.

The old versions of the changed sheets, and the sheets removed since, are still in the main index:
`donnees/recherche.json` lists their result ids with their filter values, and the search page
drops those results and takes them out of the facet counts (theme/static/js/recherche.js). Once the
delta outgrows `SEUIL_DELTA_MIN` sheets or `PART_DELTA_MAX` of them, or when every page was
rendered again (new templates, new code, a new day), the next build makes a full index and no
delta. The state (the main index's ids and filters by sheet, the delta's sheets) is kept in
.cache/annuaire/recherche.pickle and trusted only with the published index it describes: the
fingerprints of both parts' entry files must be those of `output/` (a build killed after publishing
its index but before saving the state leaves a state that describes the index before it, which the
next build must not extend: it makes a full index instead).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from annuaire.build.parallele import sans_ramasse_miettes
from annuaire.domain import routes
from annuaire.outputs.carte import en_json
from annuaire.outputs.ecriture import ecrire_atomique, ecrire_pickle
from annuaire.outputs.ouvertures import correspondance_pagefind
from annuaire.search.pagefind import DOSSIER_INDEX, SIGNATURE, Indexation, Rapport, indexer

DOSSIER_DELTA = routes.INDEX_DELTA.rstrip("/")
FICHIER_NAVIGATEUR = routes.ETAT_RECHERCHE
SEUIL_DELTA_MIN = 300  # sheets: a delta this small is indexed in about a second
PART_DELTA_MAX = 0.05  # of every sheet: beyond it, a full index is not much slower than the delta
VERSION_ETAT = 3


@dataclass
class EtatIndex:
    """The published index: the main index's {slug: (result id, filters)}, the delta's slugs and
    the fingerprints of the main index's and the delta's entry files."""

    # {slug: (result id, its filters as JSON text)}: text, read back only for the sheets retired
    # (30,000 dicts made the state four times slower to read and write).
    principal: dict[str, tuple[str, str]] = field(default_factory=dict)
    delta: set[str] = field(default_factory=set)
    entree: str = ""
    entree_delta: str = ""

    def ecrire(self, cache: Path) -> None:
        """Save the state (once the index is published)."""
        ecrire_pickle(cache / "recherche.pickle", (VERSION_ETAT, self))


def empreinte_entree(dossier_index: Path) -> str:
    """The fingerprint of an index's pagefind-entry.json ("" when there is none)."""
    try:
        return hashlib.sha256((dossier_index / "pagefind-entry.json").read_bytes()).hexdigest()
    except OSError:
        return ""


def lire_etat(cache: Path, final: Path) -> EtatIndex | None:
    """The state of the index published in `final`, or None when unknown or not that index."""
    try:
        with sans_ramasse_miettes():
            version, etat = pickle.loads((cache / "recherche.pickle").read_bytes())
    except Exception:  # any unreadable state (a class renamed since…): a full index
        return None
    if version != VERSION_ETAT or not isinstance(etat, EtatIndex) or not etat.entree:
        return None
    publie = (empreinte_entree(final / DOSSIER_INDEX), empreinte_entree(final / DOSSIER_DELTA))
    return etat if (etat.entree, etat.entree_delta) == publie else None


def fragments(dossier_index: Path) -> dict[str, tuple[str, str]]:
    """{sheet slug: (result id, filters as JSON text)} read from an index's fragment files."""
    trouves = {}
    for chemin in (dossier_index / "fragment").glob("*.pf_fragment"):
        brut = gzip.decompress(chemin.read_bytes())
        donnees = json.loads(brut[len(SIGNATURE) :]) if brut.startswith(SIGNATURE) else {}
        slug = routes.slug_de_l_url(donnees.get("url", ""))
        if slug:
            filtres = json.dumps(donnees.get("filters", {}), ensure_ascii=False, sort_keys=True)
            trouves[slug] = (chemin.name.removesuffix(".pf_fragment"), filtres)
    return trouves


def _lier(final: Path, nouveau: Path, slugs: set[str]) -> None:
    """Put the published sheets of `slugs` beside the new ones (hard links: no copy), for Pagefind."""
    for slug in sorted(slugs):
        source, cible = final / "lieux" / slug / "index.html", nouveau / "lieux" / slug / "index.html"
        if cible.exists() or not source.exists():
            continue
        cible.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, cible)
        except OSError:
            shutil.copy2(source, cible)


def _ecrire_navigateur(nouveau: Path, delta: bool, retires: dict[str, dict]) -> None:
    """donnees/recherche.json: whether there is a delta, and the main index's outdated results."""
    donnees = {"delta": delta, "retires": retires}
    (nouveau / FICHIER_NAVIGATEUR).parent.mkdir(parents=True, exist_ok=True)
    ecrire_atomique(nouveau / FICHIER_NAVIGATEUR, en_json(donnees))


def indexer_site(
    nouveau: Path,
    final: Path,
    cache: Path,
    fiches: set[str],
    rendues: set[str],
    anticipee: Indexation | None = None,
    numerotes: list[str] | None = None,
    executable: Path | None = None,
) -> tuple[Rapport, EtatIndex]:
    """Index the build in `nouveau` (to be published into `final`): a delta when the published index
    allows it, else a full index. `fiches`: every sheet's slug; `rendues`: the sheets this build
    rendered (the others are published already); `anticipee`: the full index, started once every
    sheet was written (a build that rendered them all); `numerotes`: the places' slugs in the
    numbering of "open now" (ouvertures.lieux_numerotes); `executable`: Pagefind's (default:
    search.pagefind.binaire()). Returns the report and the state to save once published."""
    if anticipee is not None and rendues != fiches:  # it would miss the sheets kept as published
        anticipee.abandonner()
        anticipee = None
    etat = lire_etat(cache, final) if rendues != fiches else None
    if etat is not None:
        delta = (etat.delta | rendues) & fiches
        if len(delta) <= max(SEUIL_DELTA_MIN, PART_DELTA_MAX * len(fiches)):
            return _indexer_delta(nouveau, final, etat, delta, fiches, numerotes or [], executable)
    return _indexer_complet(nouveau, final, fiches, rendues, anticipee, numerotes or [], executable)


def _indexer_complet(
    nouveau: Path,
    final: Path,
    fiches: set[str],
    rendues: set[str],
    anticipee: Indexation | None,
    numerotes: list[str],
    executable: Path | None = None,
) -> tuple[Rapport, EtatIndex]:
    """Every sheet in the main index, no delta (from `anticipee`, which reads them all, if any)."""
    if anticipee is not None:
        rapport = anticipee.terminer()
    else:
        _lier(final, nouveau, fiches - rendues)
        rapport = indexer(nouveau, executable=executable)
    principal = fragments(nouveau / DOSSIER_INDEX)
    _ecrire_navigateur(nouveau, False, {})
    correspondance_pagefind(nouveau, {slug: ident for slug, (ident, _) in principal.items()}, numerotes)
    return rapport, EtatIndex(principal, set(), empreinte_entree(nouveau / DOSSIER_INDEX))


def _indexer_delta(
    nouveau: Path,
    final: Path,
    etat: EtatIndex,
    delta: set[str],
    fiches: set[str],
    numerotes: list[str],
    executable: Path | None = None,
) -> tuple[Rapport, EtatIndex]:
    """The sheets changed since the main index in pagefind-delta/; the main index stays published."""
    _lier(final, nouveau, delta)
    if delta:
        rapport = indexer(nouveau, DOSSIER_DELTA, executable)
    else:
        rapport = Rapport(0, 0, 0, 0.0)
        (nouveau / DOSSIER_DELTA).mkdir(parents=True, exist_ok=True)  # replaces the published delta
    nouveaux = fragments(nouveau / DOSSIER_DELTA) if delta else {}
    retires = {
        ident: json.loads(filtres)
        for slug, (ident, filtres) in sorted(etat.principal.items())
        if slug in delta or slug not in fiches
    }
    _ecrire_navigateur(nouveau, bool(nouveaux), retires)
    ids = {slug: ident for slug, (ident, _) in etat.principal.items() if slug in fiches}
    ids.update({slug: ident for slug, (ident, _) in nouveaux.items()})
    correspondance_pagefind(nouveau, ids, numerotes)
    empreinte_delta = empreinte_entree(nouveau / DOSSIER_DELTA) if delta else ""
    return rapport, EtatIndex(etat.principal, set(nouveaux), etat.entree, empreinte_delta)
