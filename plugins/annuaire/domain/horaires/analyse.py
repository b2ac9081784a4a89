"""The `opening_hours` values themselves: constants, result types, safe access to the parser
(nothing raises on odd input) and the splitting of a value into its rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import opening_hours

PARIS = ZoneInfo("Europe/Paris")
PAYS = "FR"  # the parser's calendar of public holidays (metropolitan France)
JOURS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
JOURS_OSM = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MOIS_OSM = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
JOURS_BADGE = 60  # window of the precomputed badge data, in days
JOURS_BADGE_MAX = 400
A_VERIFIER = "Horaires à vérifier"
FERME = "Fermé"
INCONNU = ("inconnu", A_VERIFIER)
EXEMPLE = "Mo-Fr 09:00-12:00,14:00-18:00"

_T = TypeVar("_T")


# --- Results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """Result of checking one `horaires` value.

    `message` says what is wrong, in French; `suggestion` is a corrected value that validates, or "".
    """

    valide: bool
    message: str = ""
    suggestion: str = ""


class Jour(NamedTuple):
    """One row of the week table: the French day name and its hours ("9 h – 12 h" or "Fermé")."""

    nom: str
    texte: str


@dataclass(frozen=True)
class Semaine:
    """The week table of an `horaires` value, in plain French.

    - `jours`: seven `Jour` rows, Monday first, giving the usual hours of each weekday (the most
      frequent over the weeks evaluated, public holidays aside); empty when the value can't be read;
    - `notes`: French sentences for all a week table can't show (public holidays, rules by month, by
      week number or "1er mardi du mois", fallback rules, comments); no rule is ever dropped silently:
      one the notes can't put in words is quoted as it is;
    - `a_verifier`: True when the value can't be evaluated at all ("Horaires à vérifier").
    """

    jours: tuple[Jour, ...] = ()
    notes: tuple[str, ...] = ()
    a_verifier: bool = False


# --- Safe access to the parser -------------------------------------------------------------------


def _sans_erreur(appel: Callable[[], _T], defaut: _T) -> _T:
    """Run a parser call; any failure, even a panic of the Rust code, gives `defaut`."""
    try:
        return appel()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - pyo3 panics derive from BaseException, not Exception
        return defaut


def _valide(texte: object) -> bool:
    """True when `texte` is a non-empty string the parser accepts."""
    if not isinstance(texte, str) or not texte.strip():
        return False
    return _sans_erreur(lambda: bool(opening_hours.validate(texte)), False)


def _analyser(texte: object) -> opening_hours.OpeningHours | None:
    """Parsed hours in Paris time with French public holidays, or None when unreadable."""
    if not _valide(texte):
        return None
    evaluable = _texte_evaluable(str(texte))
    return _sans_erreur(lambda: opening_hours.OpeningHours(evaluable, timezone=PARIS, country=PAYS), None)


def _erreur_analyse(texte: str) -> str:
    """The parser's own error text for `texte` ("" when none)."""
    try:
        opening_hours.OpeningHours(texte)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as erreur:  # noqa: BLE001 - see _sans_erreur
        return str(erreur)
    return ""


# --- Rules of an OSM value -----------------------------------------------------------------------


class _Morceau(NamedTuple):
    """One rule of an OSM value and the separator before it ("", ";", "||" or ",")."""

    separateur: str
    regle: str


_COUPURE = re.compile(r'"[^"]*"|\|\||;|,')
_COMMENTAIRE = re.compile(r'"([^"]*)"')
_MODIFICATEUR = re.compile(r"\b(open|closed|off|unknown)\b", re.IGNORECASE)
_HORAIRE_OSM = re.compile(r"\d{1,2}:\d{2}|sunrise|sunset|dawn|dusk|24/7", re.IGNORECASE)


def _virgule_de_regle(texte: str, position: int) -> bool:
    """A `,` that starts a new rule: after hours, a state or a comment, before a selector."""
    avant, apres = texte[:position].rstrip(), texte[position + 1 :].lstrip()
    fin_de_regle = re.search(r'(\d|\+|"|\b(?:off|closed|open|unknown))$', avant, re.IGNORECASE)
    return bool(fin_de_regle) and bool(re.match(r"[A-Za-z]", apres))


def _decouper(texte: str) -> list[_Morceau]:
    """Split an OSM value into its rules, keeping quoted comments whole."""
    morceaux, separateur, debut = [], "", 0
    for trouve in _COUPURE.finditer(texte):
        jeton = trouve.group()
        if jeton.startswith('"') or (jeton == "," and not _virgule_de_regle(texte, trouve.start())):
            continue
        morceaux.append(_Morceau(separateur, texte[debut : trouve.start()].strip()))
        separateur, debut = jeton, trouve.end()
    morceaux.append(_Morceau(separateur, texte[debut:].strip()))
    return [morceau for morceau in morceaux if morceau.regle]


def _commentaire_seul(regle: str) -> bool:
    """A rule with a comment but neither hours nor state, like `Sa "sur rendez-vous"`."""
    reste = _COMMENTAIRE.sub("", regle)
    return bool(_COMMENTAIRE.search(regle)) and not (
        _MODIFICATEUR.search(reste) or _HORAIRE_OSM.search(reste)
    )


def _texte_evaluable(texte: str) -> str:
    """The value as evaluated: a comment-only rule means "unknown" (as opening_hours.js says),
    where the parser would read "open all day"."""
    morceaux = _decouper(texte)
    if not any(_commentaire_seul(morceau.regle) for morceau in morceaux):
        return texte
    regles = []
    for separateur, regle in morceaux:
        if _commentaire_seul(regle):
            guillemet = regle.index('"')
            regle = f"{regle[:guillemet].rstrip()} unknown {regle[guillemet:]}".strip()
        regles.append(f"{separateur} {regle}".strip())
    candidat = " ".join(regles)
    return candidat if _valide(candidat) else texte
