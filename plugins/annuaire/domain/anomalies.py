"""Producer mistakes that must not be published as facts: hours slots of no length or inverted,
placeholder pivots, epoch dates.

Pure functions. The importer (federation/importer.py) flags what they find in the import report and
in the record's `a_verifier`; validation warns on local entries.
"""

from __future__ import annotations

import datetime as dt
import re

DATES_FACTICES = frozenset({dt.date(1970, 1, 1), dt.date(1969, 12, 31)})
A_VERIFIER = '"à vérifier"'  # an opening_hours comment: the sheet shows it beside the day
_PLAGE = re.compile(r"\b([01]\d|2[0-4]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)\b")
_SUITES = ("0123456789", "1234567890", "9876543210")
SIREN_LA_POSTE = "356000000"  # La Poste's establishments: digit sum multiple of 5, not Luhn


def _minutes(heures: str, minutes: str) -> int:
    """Minutes since midnight."""
    return int(heures) * 60 + int(minutes)


def plage_douteuse(plage: re.Match) -> bool:
    """A slot that ends when it starts (`18:00-18:00`) or before (`18:00-09:00`); a slot that
    ends at midnight (`20:00-00:00`, `20:00-24:00`) is not."""
    debut, fin = _minutes(plage[1], plage[2]), _minutes(plage[3], plage[4])
    if fin == 0 and debut != 0:
        return False
    return fin <= debut


def plages_douteuses(horaires: str) -> list[str]:
    """The slots of no length or inverted in an opening_hours text, as written."""
    return [m[0] for m in _PLAGE.finditer(horaires) if plage_douteuse(m)]


def _regle_marquee(regle: str) -> str:
    """One rule (between two `;`) without its doubtful slots, flagged "à vérifier": the remaining
    slots with a comment, or `unknown` when none remains."""
    marque = _PLAGE.sub(lambda m: "\x00" if plage_douteuse(m) else m[0], regle)
    marque = re.sub(r"\s*,\s*\x00|\x00\s*,\s*", "", marque)
    if "\x00" in marque:
        return marque.replace("\x00", f"unknown {A_VERIFIER}")
    return marque.rstrip() if '"' in marque else f"{marque.rstrip()} {A_VERIFIER}"


def marquer_plages(horaires: str) -> str:
    """The opening hours with every doubtful slot left out and its rule marked "à vérifier"
    (`Tu 18:00-18:00; We 10:00-18:00` -> `Tu unknown "à vérifier"; We 10:00-18:00`)."""
    regles = horaires.split(";")
    return ";".join(_regle_marquee(r) if plages_douteuses(r) else r for r in regles)


def _luhn(chiffres: str) -> bool:
    """The Luhn checksum that SIREN and SIRET numbers carry."""
    total = 0
    for rang, chiffre in enumerate(reversed(chiffres)):
        valeur = int(chiffre) * (2 if rang % 2 else 1)
        total += valeur - 9 if valeur > 9 else valeur
    return total % 10 == 0


def pivot_factice(pivot: str) -> str:
    """Why a pivot is a placeholder or a typo (French), or "": one digit repeated
    (00000000000000), a run of digits (12345678901234), a SIRET whose checksum fails."""
    texte = re.sub(r"\s", "", pivot)
    if not texte.isdigit():
        return ""
    if len(set(texte)) == 1:
        return "numéro de remplissage (un seul chiffre répété)"
    if any(texte in suite * 2 for suite in _SUITES):
        return "numéro de remplissage (suite de chiffres)"
    if len(texte) == 14 and not texte.startswith(SIREN_LA_POSTE) and not _luhn(texte):
        return "SIRET impossible (clé de contrôle fausse)"
    return ""


def date_factice(date: dt.date | None) -> bool:
    """True for the epoch placeholders (1970-01-01) some exports write for an unknown date."""
    return date in DATES_FACTICES
