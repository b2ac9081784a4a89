"""Facets shared by search and map: which ones exist, their French labels, each place's values.

One definition serves the search index (Pagefind filters), the map's filters and the URL state
(`?services=…`), so that a search and a map with the same URL show the same places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from annuaire.domain import horaires
from annuaire.domain.model import Lieu
from annuaire.domain.vocabulaire import FRAIS, LANGUES

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


FACETTES: tuple[Facette, ...] = (
    Facette("commune", "Commune", lambda x, r: [x.commune] if x.commune else []),
    Facette("services", "Services", lambda x, r: list(x.services)),
    Facette("publics", "Publics", lambda x, r: list(x.publics_specifiquement_adresses)),
    Facette("prise_en_charge", "Accompagnement adapté", lambda x, r: list(x.prise_en_charge_specifique)),
    Facette("frais", "Tarif", lambda x, r: list(x.frais_a_charge), FRAIS),
    Facette("accompagnement", "Façon d'être aidé", lambda x, r: list(x.modalites_accompagnement)),
    Facette("acces", "Comment venir", lambda x, r: list(x.modalites_acces)),
    Facette("reseau", "Réseau", lambda x, r: [r.get(s, s) for s in x.reseaux]),
    Facette("type", "Type de lieu", lambda x, r: [GENRES[genre_lieu(x)]]),
    Facette("langues", "Langues parlées", lambda x, r: [LANGUES.get(c, c) for c in x.langues]),
    Facette("jours", "Jours d'ouverture", lambda x, r: r.jours(x.horaires), horaires.JOURS),
)


def valeurs_facettes(lieu: Lieu, contexte: ContexteFacettes | dict[str, str]) -> dict[str, list[str]]:
    """{facet key: the place's values} for every facet with at least one value.

    `contexte` is a ContexteFacettes (reuse one per build), or a {network slug: name} dict.
    """
    if not isinstance(contexte, ContexteFacettes):
        contexte = ContexteFacettes(contexte)
    valeurs = {f.cle: f.valeurs(lieu, contexte) for f in FACETTES}
    return {cle: v for cle, v in valeurs.items() if v}
