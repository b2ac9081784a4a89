"""What the search page orders results by, beside Pagefind: one profile per place.

theme/static/js/recherche-ordre.js orders results by what a sheet holds, never by Pagefind's
scores (the main index's and the delta's cannot be compared). It needs, for every place, a few
numbers, written here in the places' numbering of "Ouvert maintenant" (outputs/ouvertures.py:
the same order as donnees/ouvertures/pagefind.json's result ids):

- donnees/ouvertures/profils.json: {"nom": the name's word count in the index, "services",
  "publics", "dispositifs": bit masks (bit n: vocabulaire.SERVICES[n], PUBLICS[n], DISPOSITIFS[n]),
  "qualite": 0 to 3 (open, complete, checked within two years), "age": days since `date_maj` on
  the build day};
- donnees/ouvertures/positions.json: {"lat", "lon"} in 1/10,000 of a degree (null without
  coordinates), downloaded only once a visitor gives a position.

Derived from the places and the build day only, so the same entries give the same files whether
the index was built in full or with a delta. Plain Python: no Pelican.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from annuaire.domain import routes
from annuaire.domain import vocabulaire as v
from annuaire.domain.besoins import nombre_de_mots
from annuaire.domain.model import Lieu
from annuaire.outputs.carte import en_json
from annuaire.outputs.ecriture import ecrire_si_change
from annuaire.outputs.ouvertures import lieux_numerotes

DOSSIER = routes.OUVERTURES.rstrip("/")
AGE_INCONNU = 99_999  # days: a sheet without a date comes after every dated one
FRAIS_JOURS = 730  # a sheet checked within two years counts as fresh (data·inclusion's score ends there)


def masque(valeurs: list[str], liste: tuple[str, ...]) -> int:
    """The bit mask of `valeurs` in the standard's `liste` (bit n for liste[n]; unknown values ignored)."""
    return sum(1 << liste.index(x) for x in set(valeurs) if x in liste)


def age(lieu: Lieu, jour: dt.date) -> int:
    """Days from the place's `date_maj` to `jour` (0 for a future date; AGE_INCONNU without one)."""
    return max(0, (jour - lieu.date_maj).days) if lieu.date_maj else AGE_INCONNU


def qualite(lieu: Lieu, jour: dt.date) -> int:
    """0 to 3: one point each for an open place (not "à vérifier" nor closed), a complete sheet
    (address, hours, a phone or an e-mail, services) and a check within two years."""
    complet = bool(lieu.adresse and lieu.horaires and (lieu.telephone or lieu.courriels) and lieu.services)
    return (lieu.statut == "ouvert") + complet + (age(lieu, jour) <= FRAIS_JOURS)


def profils(lieux: list[Lieu], jour: dt.date) -> dict[str, list[int]]:
    """profils.json's columns for `lieux` (in number order)."""
    return {
        "nom": [nombre_de_mots(x.nom) for x in lieux],
        "services": [masque(x.services, v.SERVICES) for x in lieux],
        "publics": [masque(x.publics_specifiquement_adresses, v.PUBLICS) for x in lieux],
        "dispositifs": [masque(x.dispositif_programmes_nationaux, v.DISPOSITIFS) for x in lieux],
        "qualite": [qualite(x, jour) for x in lieux],
        "age": [age(x, jour) for x in lieux],
    }


def positions(lieux: list[Lieu]) -> dict[str, list[int | None]]:
    """positions.json's columns for `lieux` (in number order)."""

    def en_entier(valeur: float | None, present: bool) -> int | None:
        return round(valeur * 10_000) if present and valeur is not None else None

    return {
        "lat": [en_entier(x.latitude, x.a_coordonnees) for x in lieux],
        "lon": [en_entier(x.longitude, x.a_coordonnees) for x in lieux],
    }


def ecrire_profils(lieux: list[Lieu], sortie: Path, jour: dt.date) -> int:
    """Write profils.json and positions.json into the site's `sortie`; returns the files changed."""
    numerotes = lieux_numerotes(lieux)
    dossier = sortie / DOSSIER
    ecrits = ecrire_si_change(dossier / "profils.json", en_json(profils(numerotes, jour)))
    return ecrits + ecrire_si_change(dossier / "positions.json", en_json(positions(numerotes)))
