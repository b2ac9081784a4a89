"""Opening hours both parsers accept but read differently: refused by our checker, with a correction.

Measured against the reference implementation of the syntax (opening_hours, npm; the national map's
parser) on the real values of ../shared/data (bench/horaires_reference.py): opening-hours-py and the
reference agree on 99.9 % of instants, and each difference left came from one of these writings.
Where they disagree a place is "open" on one site and "closed" on the other, so we refuse them and
say what to write instead (the form both parsers read as the producer meant):

- "Mo, Tu 09:00-12:00": with a space after the comma, opening-hours-py reads "Mo" alone as a rule
  of its own ("open all day on Monday"); the reference reads a list of days. Written "Mo,Tu".
- "Mo-Fr 09:00-12:00; 14:00-17:00": a rule with no day applies every day and replaces the rules
  before it (opening-hours-py); the reference keeps the morning. Written "Mo-Fr 09:00-12:00,14:00-17:00".
- "We 09:00-09:00": a range of no length, empty for opening-hours-py, 24 hours for the reference.
  Left out ("off" when it was the day's only range).

Pure text functions (no parser here: horaires.py checks that the correction validates). Comments
between double quotes are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_JOUR = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)(?:\[[^\]]*\])?"
_JOURS_ESPACES = re.compile(rf"\b({_JOUR})(?:\s+,\s*|\s*,\s+)(?={_JOUR}\b)")
_REGLE_SANS_JOUR = re.compile(
    r"(\d{2}:\d{2}-\d{2}:\d{2})\s*;\s*(?=\d{2}:\d{2}-\d{2}:\d{2}(?:\s*,|\s*;|\s*$))"
)
_PLAGE = r"\d{2}:\d{2}-\d{2}:\d{2}"
_LISTE_PLAGES = re.compile(rf"{_PLAGE}(?:\s*,\s*{_PLAGE})*")
_COMMENTAIRE = re.compile(r'"[^"]*"')


def _hors_commentaires(texte: str, corriger: Callable[[str], str]) -> str:
    """Apply `corriger` to the parts of `texte` outside double-quoted comments."""
    morceaux, debut = [], 0
    for trouve in _COMMENTAIRE.finditer(texte):
        morceaux += [corriger(texte[debut : trouve.start()]), trouve.group()]
        debut = trouve.end()
    return "".join(morceaux + [corriger(texte[debut:])])


def _sans_plages_nulles(liste: re.Match[str]) -> str:
    """A list of time ranges without its zero-length ones ("off" when none is left)."""
    plages = [p.strip() for p in liste.group().split(",")]
    gardees = [p for p in plages if p[:5] != p[6:]]
    if len(gardees) == len(plages):
        return liste.group()  # nothing to remove: the writing is left as it is
    return ",".join(gardees) if gardees else "off"


def _jours_colles(texte: str) -> str:
    return _JOURS_ESPACES.sub(r"\1,", texte)


def _regles_sans_jour(texte: str) -> str:
    return _REGLE_SANS_JOUR.sub(r"\1,", texte)


def _plages_nulles(texte: str) -> str:
    return _LISTE_PLAGES.sub(_sans_plages_nulles, texte)


# (what is wrong, in French; its correction), in the order they are checked.
AMBIGUITES: tuple[tuple[str, Callable[[str], str]], ...] = (
    (
        "un espace après la virgule entre deux jours (« Mo, Tu ») : le premier jour peut alors être lu "
        "« ouvert toute la journée » ; écrivez les jours sans espace (« Mo,Tu »)",
        _jours_colles,
    ),
    (
        "un « ; » devant une plage horaire sans jour : elle peut être lue pour tous les jours, à la place "
        "des règles d'avant ; pour une seconde plage le même jour, mettez une virgule",
        _regles_sans_jour,
    ),
    (
        "une plage horaire de durée nulle (comme « 09:00-09:00 ») : lue vide ici, 24 heures sur la "
        "cartographie nationale ; retirez-la, ou écrivez « off » pour un jour fermé",
        _plages_nulles,
    ),
)


def ambiguite(texte: str) -> tuple[str, str] | None:
    """(French message, corrected value) for the first ambiguous writing found, else None.

    The corrected value fixes every ambiguity of the list at once."""
    trouvees = [message for message, corriger in AMBIGUITES if _hors_commentaires(texte, corriger) != texte]
    if not trouvees:
        return None
    corrige = texte
    for _message, corriger in AMBIGUITES:
        corrige = _hors_commentaires(corrige, corriger)
    return trouvees[0], corrige
