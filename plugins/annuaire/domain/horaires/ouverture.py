""" "Ouvert maintenant": the badge data precomputed at build time and the state at an instant,
in Europe/Paris time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from annuaire.domain.horaires.analyse import (
    _COMMENTAIRE,
    FERME,
    INCONNU,
    JOURS,
    JOURS_BADGE,
    JOURS_BADGE_MAX,
    PARIS,
    _analyser,
)
from annuaire.domain.horaires.francais import _date_fr, heure_fr
from annuaire.domain.horaires.semaine import _intervalles, _minuit

# --- Open now: badge data and state --------------------------------------------------------------


_NON_CALCULABLE = re.compile(r"\bSH\b|sunrise|sunset|dawn|dusk|\|\|", re.IGNORECASE)


def _calculable(texte: str) -> bool:
    """False for rules the parser can't evaluate here: school holidays (no calendar by zone), sun
    times (no coordinates) and fallback rules (`||`, where the parser's `intervals` and `state`
    disagree); the badge then says "Horaires à vérifier" rather than guess."""
    return not _NON_CALCULABLE.search(_COMMENTAIRE.sub("", texte))


def _plages_minutes(intervalles: list, origine: datetime, etat: str) -> list[tuple[int, int]]:
    """Intervals in a given state as (start, end) minutes from `origine`, touching ones merged."""
    plages: list[tuple[int, int]] = []
    for debut, fin, etat_intervalle, _ in intervalles:
        if str(etat_intervalle) != etat:
            continue
        a = round((debut.timestamp() - origine.timestamp()) / 60)
        b = round((fin.timestamp() - origine.timestamp()) / 60)
        if plages and plages[-1][1] == a:
            plages[-1] = (plages[-1][0], b)
        elif b > a:
            plages.append((a, b))
    return plages


def _ecarts(plages: list[tuple[int, int]]) -> list[int]:
    """Ranges as a flat list [gap, length, gap, length...], gaps from the previous end: small,
    repetitive numbers that gzip well."""
    ecarts, fin = [], 0
    for debut, nouvelle_fin in plages:
        ecarts += [debut - fin, nouvelle_fin - debut]
        fin = nouvelle_fin
    return ecarts


def _plages_de(ecarts: Iterable[Any]) -> list[tuple[int, int]]:
    """Inverse of `_ecarts`; anything malformed gives no range."""
    valeurs = list(ecarts) if isinstance(ecarts, list) else []
    if len(valeurs) % 2 or not all(isinstance(v, int) for v in valeurs):
        return []
    plages, fin = [], 0
    for ecart, longueur in zip(valeurs[::2], valeurs[1::2], strict=True):
        plages.append((fin + ecart, fin + ecart + longueur))
        fin += ecart + longueur
    return plages


def donnees_badge(texte: str, debut: date, jours: int = JOURS_BADGE) -> dict[str, Any]:
    """Precomputed "open now" data for the browser badge (theme/static/js/horaires.js).

    Either `{"etat": "inconnu"}` when the value can't be evaluated, or
    `{"debut": E, "minutes": N, "ouvert": [...], "inconnu": [...]}`: E is the UTC epoch second of
    midnight (Paris) starting `debut`, N the length of the window in minutes (`jours` days, DST
    included), and each list holds ranges from E as [gap, length, gap, length...] in minutes (see
    `_ecarts`). Absolute instants let the browser compare with its clock in any time zone.
    """
    oh = _analyser(texte)
    if oh is None or not _calculable(str(texte)) or not isinstance(jours, int) or jours < 1:
        return {"etat": "inconnu"}
    jours = min(jours, JOURS_BADGE_MAX)
    intervalles = _intervalles(oh, debut, jours)
    if intervalles is None:
        return {"etat": "inconnu"}
    origine, fin = _minuit(debut), _minuit(debut + timedelta(days=jours))
    return {
        "debut": int(origine.timestamp()),
        "minutes": round((fin.timestamp() - origine.timestamp()) / 60),
        "ouvert": _ecarts(_plages_minutes(intervalles, origine, "open")),
        "inconnu": _ecarts(_plages_minutes(intervalles, origine, "unknown")),
    }


def _moins(plages: list[tuple[int, int]], retraits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`plages` with every range of `retraits` cut out (both sorted, in minutes)."""
    for r_debut, r_fin in retraits:
        coupees = []
        for a, b in plages:
            coupees += [(a, min(b, r_debut))] if a < r_debut else []
            coupees += [(max(a, r_fin), b)] if b > r_fin else []
        plages = [(a, b) for a, b in coupees if b > a]
    return plages


def plages_ouvertes(badge: dict) -> list[tuple[int, int]]:
    """The ranges of a badge's data where it says "Ouvert", as epoch minutes."""
    if not isinstance(badge.get("debut"), int):
        return []
    origine = badge["debut"] // 60
    ouvert = _plages_de(badge.get("ouvert"))
    inconnu = _plages_de(badge.get("inconnu"))
    return [(origine + a, origine + b) for a, b in _moins(ouvert, inconnu)]


def plages_inconnues(badge: dict) -> list[tuple[int, int]]:
    """The ranges of a badge's data where it says "Horaires à vérifier", as epoch minutes."""
    if not isinstance(badge.get("debut"), int):
        return []
    origine = badge["debut"] // 60
    return [(origine + a, origine + b) for a, b in _plages_de(badge.get("inconnu"))]


def _en_paris(instant: datetime) -> datetime:
    """`instant` in Paris time; a naive datetime is taken as Paris wall-clock time."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=PARIS)
    return instant.astimezone(PARIS)


def _quand(cible: float, maintenant: datetime, fermeture: bool) -> str:
    """When an epoch second happens, seen from `maintenant`: "à 18 h", "demain à 9 h", "mardi à
    9 h", "le 2 septembre à 9 h"; closing at midnight is "à minuit" the same evening."""
    moment = datetime.fromtimestamp(cible, PARIS)
    heure = heure_fr(moment.hour * 60 + moment.minute)
    if fermeture and (moment.hour, moment.minute) == (0, 0):
        moment, heure = moment - timedelta(minutes=1), "minuit"
    ecart = (moment.date() - maintenant.date()).days
    if ecart <= 0:
        return f"à {heure}"
    if ecart == 1:
        return f"demain à {heure}"
    if ecart < 7:
        return f"{JOURS[moment.weekday()].lower()} à {heure}"
    return f"le {_date_fr(moment.date())} à {heure}"


def etat_badge(donnees: Mapping[str, Any], instant: datetime) -> tuple[str, str]:
    """State ("ouvert", "ferme" or "inconnu") and French label at `instant` from `donnees_badge`
    data; the same algorithm, step for step, as `calculerEtat` in horaires.js."""
    if not isinstance(donnees, Mapping) or not isinstance(donnees.get("debut"), int):
        return INCONNU
    maintenant = _en_paris(instant)
    minute = (maintenant.timestamp() - donnees["debut"]) / 60
    if not 0 <= minute < donnees.get("minutes", 0):
        return INCONNU
    ouverts, inconnus = _plages_de(donnees.get("ouvert")), _plages_de(donnees.get("inconnu"))
    if any(a <= minute < b for a, b in inconnus):
        return INCONNU
    instant_de = lambda m: donnees["debut"] + m * 60  # noqa: E731
    for a, b in ouverts:
        if a <= minute < b:
            if b >= donnees["minutes"] or any(a2 == b for a2, _ in inconnus):
                return ("ouvert", "Ouvert")
            return ("ouvert", f"Ouvert · ferme {_quand(instant_de(b), maintenant, True)}")
    prochain = min((a for a, _ in ouverts if a > minute), default=None)
    bloque = min((a for a, _ in inconnus if a > minute), default=None)
    if prochain is None or (bloque is not None and bloque < prochain):
        return ("ferme", FERME)
    return ("ferme", f"{FERME} · ouvre {_quand(instant_de(prochain), maintenant, False)}")


def etat(texte: str, instant: datetime) -> tuple[str, str]:
    """Whether a place is open at `instant` (aware; naive means Paris time), with its French label:
    ("ouvert", "Ouvert · ferme à 18 h"), ("ferme", "Fermé · ouvre mardi à 9 h") or
    ("inconnu", "Horaires à vérifier"). Paris time, French public holidays; never raises."""
    if not isinstance(instant, datetime):
        return INCONNU
    jour = _en_paris(instant).date() - timedelta(days=1)
    return etat_badge(donnees_badge(texte, jour, JOURS_BADGE + 1), instant)
