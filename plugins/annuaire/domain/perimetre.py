"""Scope: is a record a digital-mediation place, one the directory should publish?

National files hold more than digital-mediation places. data·inclusion lists every social service
(emergency housing, family support, mobility, sport…): its services whose thematiques are not
`numerique--…` become no standard service at all (outputs/data_inclusion.py), so its structures
without a digital service come out with an empty `services`. Housing (CHRS, CHU, CADA, HUDA, CPH,
social residences, young workers' homes, "pensions de famille": the SIAO rows of data-inclusion.json)
lends a computer or helps its own residents: not a place a person can walk into for help. It is
told by its typologie, or by its name when the typologie is missing (most SIAO rows), with words
that only housing uses ("Foyer" alone is not one: foyers laïques and foyers ruraux are community
centres). Housing that hosts a national programme (a conseiller numérique, France Services, Aidants
Connect: `dispositif_programmes_nationaux`) is kept: someone there is paid to help, and says so.

Pure: no settings here (the importer decides whether to keep such records, see
`OptionsImport.hors_perimetre`). Local entries are never filtered: their authors chose them.
"""

from __future__ import annotations

import re

AUCUN_SERVICE = "aucun service de médiation numérique"
HEBERGEMENT = "hébergement (CHRS, CHU, CADA…) sans dispositif national : aide réservée aux résidents"
TYPOLOGIES_HEBERGEMENT = frozenset({"CHRS", "CHU", "CADA", "HUDA", "CPH", "RS_FJT"})
_NOM_HEBERGEMENT = re.compile(
    r"\b(?:CHRS|CHU|CADA|HUDA|ADOMA|FJT|RHVS|résidences? sociales?|residences? sociales?|"
    r"pensions? de famille|maisons? relais|h[ée]bergement|foyer de jeunes travailleurs|"
    r"foyer d'h[ée]bergement|stabilisation)\b",
    re.IGNORECASE,
)


def est_hebergement(lieu) -> bool:
    """True for housing: by its typologie, else by words of its name that only housing uses."""
    if TYPOLOGIES_HEBERGEMENT.intersection(lieu.typologie):
        return True
    return not lieu.typologie and bool(_NOM_HEBERGEMENT.search(lieu.nom))


def hors_perimetre(lieu) -> str:
    """Why a record is not a digital-mediation place (French, for the import report), or ""."""
    if not lieu.services:
        return AUCUN_SERVICE
    if est_hebergement(lieu) and not lieu.dispositif_programmes_nationaux:
        return HEBERGEMENT
    return ""
