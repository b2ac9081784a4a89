"""Facets shared by search and map: which ones exist, their French labels, each place's values.

Facets made of one field's values are declared by that field's row in the registry (champs.py);
the others (networks, kind of place, opening days) here. One definition serves the search index
(Pagefind filters), the map's filters and the URL state (`?services=…`), so that a search and a map
with the same URL show the same places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from annuaire.domain import horaires
from annuaire.domain.champs import REGISTRE, Champ
from annuaire.domain.model import Lieu

# Kinds of place, derived from `typologie`; the map draws each with its own marker shape.
GENRES: dict[str, str] = {
    "epn": "Espace public numérique",
    "association": "Association",
    "tiers-lieu": "Tiers-lieu, fablab",
    "mediatheque": "Médiathèque",
    "social": "Centre social, maison de quartier",
    "france-services": "France Services, service public",
    "autre": "Autre lieu",
}
_GENRE_PAR_TYPOLOGIE: dict[str, str] = {
    "EPN": "epn",
    "ASSO": "association",
    "TIERS_LIEUX": "tiers-lieu",
    "FABLAB": "tiers-lieu",
    "BIB": "mediatheque",
    "CS": "social",
    "MQ": "social",
    "MJC": "social",
    "CCAS": "social",
    "CIAS": "social",
    "RFS": "france-services",
    "MUNI": "france-services",
    "PIMMS": "france-services",
    "LA_POSTE": "france-services",
    "CAF": "france-services",
    "MDS": "social",
}


def genre_lieu(lieu: Lieu) -> str:
    """The kind of place (key of GENRES) from its first known typology, or from its networks."""
    for typologie in lieu.typologie:
        if typologie in _GENRE_PAR_TYPOLOGIE:
            return _GENRE_PAR_TYPOLOGIE[typologie]
    return "epn" if any(r.startswith("epn") for r in lieu.reseaux) else "autre"


class ContexteFacettes:
    """What facet values need besides the place: network names, and opening days memoised by
    hours text (working out a week is costly and many places share the same hours)."""

    def __init__(self, noms_reseaux: dict[str, str], semaine: Callable[[str], object] | None = None):
        self.noms_reseaux = noms_reseaux
        self._semaine = semaine or horaires.semaine  # texte -> Semaine (the build's, when it has them)
        self._jours: dict[str, list[str]] = {}

    def get(self, slug: str, defaut: str) -> str:
        """A network's name (so that the context reads like the {slug: name} dict it wraps)."""
        return self.noms_reseaux.get(slug, defaut)

    def jours(self, texte: str) -> list[str]:
        """The weekdays a place usually opens ("Lundi"…), from its hours; [] when unknown."""
        if texte not in self._jours:
            semaine = self._semaine(texte) if texte else None
            ouverts = [] if semaine is None or semaine.a_verifier else semaine.jours
            self._jours[texte] = [j.nom for j in ouverts if j.texte != "Fermé"]
        return self._jours[texte]


@dataclass(frozen=True)
class Facette:
    """A filter: its key (URL parameter and index filter name), French label, values per place."""

    cle: str
    libelle: str
    valeurs: Callable[[Lieu, ContexteFacettes], list[str]]
    ordre: tuple[str, ...] = ()  # values shown first, in this order (e.g. free before paying)
    priorite: int = 0  # order among facets, highest first (as the registry's rows)


def _valeurs_du_champ(champ: Champ) -> Callable[[Lieu, ContexteFacettes], list[str]]:
    """A field's facet values: its values (their French labels when they differ), [] when empty."""
    lire = attrgetter(champ.nom)
    libelles = {v: x for v, x in champ.valeurs.items() if v != x}
    if not champ.multiple:
        return lambda x, r: [libelles.get(lire(x), lire(x))] if lire(x) else []
    if libelles:
        return lambda x, r: [libelles.get(v, v) for v in lire(x)]
    return lambda x, r: list(lire(x))


def facette_du_champ(champ: Champ) -> Facette:
    """The facet a registry row declares (`facette`, `libelle_facette`, `priorite_facette`)."""
    ordre = tuple(champ.valeurs.values()) if champ.facette_ordonnee else ()
    libelle = champ.libelle_facette or champ.libelle
    return Facette(champ.facette, libelle, _valeurs_du_champ(champ), ordre, champ.priorite_facette)


# Facets that are not one field's values: network names, the kind of place, the opening days.
_CALCULEES: tuple[Facette, ...] = (
    Facette("reseau", "Réseau", lambda x, r: [r.get(s, s) for s in x.reseaux], (), 40),
    Facette("type", "Type de lieu", lambda x, r: [GENRES[genre_lieu(x)]], (), 30),
    Facette("jours", "Jours d'ouverture", lambda x, r: r.jours(x.horaires), horaires.JOURS, 10),
)

# Every facet, by priority: the registry's rows with a `facette`, and the computed ones.
FACETTES: tuple[Facette, ...] = tuple(
    sorted(
        [facette_du_champ(c) for c in REGISTRE if c.facette] + list(_CALCULEES),
        key=lambda f: -f.priorite,
    )
)


def valeurs_facettes(lieu: Lieu, contexte: ContexteFacettes | dict[str, str]) -> dict[str, list[str]]:
    """{facet key: the place's values} for every facet with at least one value.

    `contexte` is a ContexteFacettes (reuse one per build), or a {network slug: name} dict.
    """
    if not isinstance(contexte, ContexteFacettes):
        contexte = ContexteFacettes(contexte)
    valeurs = {f.cle: f.valeurs(lieu, contexte) for f in FACETTES}
    return {cle: v for cle, v in valeurs.items() if v}
