"""The map's "commune or postcode" lookup for every French commune, in small files.

Every commune of the referential (and the arrondissements of Paris, Lyon, Marseille) is written
once per file it may be looked up in: by the first two letters of its name (donnees/communes/sa.json,
what the map loads as someone types "Sa…") and by its postcodes' département
(donnees/communes/cp-42.json, for "42…"). A file holds a few hundred rows; the map fetches only
the files of what was typed, never the whole list.

The referential has no coordinates: a commune is placed at the centre of its own places; one
without places at the centre of the places sharing its postcode, else of its département's places
(the map then says so), else it has no position and the map says there is no place near it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from annuaire.domain.communes import Commune, Referentiel, departement
from annuaire.domain.model import Lieu
from annuaire.validation.regles import cle_commune_lieu

DECIMALES = 4  # about 10 m: the map only centres on a commune
CHAMPS = ["nom", "codes_postaux", "latitude", "longitude", "niveau"]
NIVEAUX = {"c": "lieux de la commune", "p": "lieux du même code postal", "d": "lieux du département"}


def normaliser(texte: str) -> str:
    """The map's comparison form (carte-communes.js `normaliser`): "Saint-Étienne" -> "saint etienne"."""
    sans = unicodedata.normalize("NFD", texte)
    sans = "".join(c for c in sans if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", sans).split())


def cle_fichier(nom: str) -> str:
    """The file a name is looked up in: its first two letters, spaces left out ("sa" for "Saint-…")."""
    return normaliser(nom).replace(" ", "")[:2] or "_"


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The mean point, rounded."""
    return (
        round(sum(p[0] for p in points) / len(points), DECIMALES),
        round(sum(p[1] for p in points) / len(points), DECIMALES),
    )


class Positions:
    """Where the directory's places are, by commune (INSEE code), postcode and département."""

    def __init__(self, lieux: Iterable[Lieu], ref: Referentiel):
        self.communes: dict[str, list] = defaultdict(list)
        self.postaux: dict[str, list] = defaultdict(list)
        self.departements: dict[str, list] = defaultdict(list)
        for lieu in lieux:
            if lieu.a_coordonnees and lieu.statut != "ferme_definitivement":
                point = (float(lieu.latitude), float(lieu.longitude))
                self.communes[cle_commune_lieu(lieu, ref)].append(point)
                self.communes[lieu.code_insee].append(point)  # an arrondissement's own code
                self.postaux[lieu.code_postal].append(point)
                self.departements[departement(lieu.code_insee) or lieu.code_postal[:2]].append(point)

    def de(self, commune: Commune) -> list:
        """[latitude, longitude, level] of a commune, or [] (see the module's docstring)."""
        if self.communes.get(commune.code):
            return [*_centre(self.communes[commune.code]), "c"]
        voisins = [p for cp in commune.codes_postaux for p in self.postaux.get(cp, ())]
        if voisins:
            return [*_centre(voisins), "p"]
        if self.departements.get(commune.departement):
            return [*_centre(self.departements[commune.departement]), "d"]
        return []


def _lignes(ref: Referentiel, positions: Positions) -> list[tuple[Commune, list]]:
    """(commune, row) for current communes and municipal arrondissements, the most populated
    first (the map's suggestions show "Nancy" before "Nançay")."""
    retenues = [c for c in ref.communes.values() if not c.commune or c.codes_postaux]
    retenues.sort(key=lambda c: (-c.population, normaliser(c.nom), c.code))
    return [(c, [c.nom, " ".join(c.codes_postaux), *positions.de(c)]) for c in retenues]


def _depuis_les_lieux(lieux: list[Lieu]) -> list[tuple[Commune, list]]:
    """Without the referential: the communes that have places, as the places spell them."""
    groupes: dict[tuple[str, str], list] = defaultdict(list)
    for lieu in lieux:
        if lieu.a_coordonnees and lieu.commune:
            groupes[(lieu.commune, lieu.code_postal)].append((float(lieu.latitude), float(lieu.longitude)))
    return [
        (Commune("", nom, cp[:2], (cp,)), [nom, cp, *_centre(points), "c"])
        for (nom, cp), points in sorted(groupes.items())
    ]


def fichiers_communes(lieux: list[Lieu], ref: Referentiel) -> dict[str, dict]:
    """{file name: {"champs", "communes": rows}}: by name ("sa.json") and by postcode ("cp-42.json")."""
    lignes = _lignes(ref, Positions(lieux, ref)) if ref else _depuis_les_lieux(lieux)
    fichiers: dict[str, list] = defaultdict(list)
    for commune, ligne in lignes:
        fichiers[f"{cle_fichier(commune.nom)}.json"].append(ligne)
        for prefixe in sorted({cp[:2] for cp in commune.codes_postaux}):
            fichiers[f"cp-{prefixe}.json"].append(ligne)
    # Every file the map may ask for exists (a missing one would be an error in the browser's
    # console): two letters, or a postcode's two digits.
    lettres = "abcdefghijklmnopqrstuvwxyz"
    for cle in [a + b for a in lettres for b in lettres] + [f"cp-{n:02d}" for n in range(100)]:
        fichiers.setdefault(f"{cle}.json", [])
    return {nom: {"champs": CHAMPS, "niveaux": NIVEAUX, "communes": rangs} for nom, rangs in fichiers.items()}
