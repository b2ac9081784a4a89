"""French words for times, dates and OpenStreetMap rules ("du lundi au vendredi, de 9 h à 12 h")."""

from __future__ import annotations

import re
from datetime import date
from types import MappingProxyType

from annuaire.domain.horaires.analyse import JOURS, JOURS_OSM, MOIS_OSM, _Morceau
from annuaire.domain.texte import MOIS

# --- French words for times and dates ------------------------------------------------------------


def heure_fr(minutes: int) -> str:
    """Minutes since midnight in French: 540 → "9 h", 750 → "12 h 30", 1440 → "24 h"."""
    heures, reste = divmod(minutes, 60)
    return f"{heures} h {reste:02d}" if reste else f"{heures} h"


def _plage_fr(debut: int, fin: int) -> str:
    """A time range in French: "9 h – 12 h 30"."""
    return f"{heure_fr(debut)} – {heure_fr(fin)}"


def _date_fr(jour: date) -> str:
    """A day of the year in French: "1er septembre", "14 juillet"."""
    numero = "1er" if jour.day == 1 else str(jour.day)
    return f"{numero} {MOIS[jour.month - 1]}"


def _ordinal_fr(nombre: int) -> str:
    """1 → "1er", 2 → "2e", -1 → "dernier", -2 → "avant-dernier"."""
    if nombre < 0:
        return {-1: "dernier", -2: "avant-dernier"}.get(nombre, f"{-nombre}e avant la fin")
    return "1er" if nombre == 1 else f"{nombre}e"


def _enumerer(elements: list[str]) -> str:
    """["a", "b", "c"] → "a, b et c"."""
    if len(elements) < 2:
        return "".join(elements)
    return f"{', '.join(elements[:-1])} et {elements[-1]}"


def _majuscule(texte: str) -> str:
    """First letter in upper case, the rest untouched."""
    return texte[:1].upper() + texte[1:]


# --- Describing rules in French ------------------------------------------------------------------


_MOIS_RE = "|".join(MOIS_OSM)
_JOUR_RE = "|".join(JOURS_OSM)
_SOLEIL = MappingProxyType(
    {"sunrise": "lever du soleil", "sunset": "coucher du soleil", "dawn": "aube", "dusk": "crépuscule"}
)
_INSTANT = r"(?:\d{1,2}:\d{2}|sunrise|sunset|dawn|dusk)"
_LEXEME_OSM = re.compile(
    rf"""
      (?P<commentaire>"[^"]*")
    | (?P<semaine>\bweek\s*\d{{1,2}}(?:-\d{{1,2}})?(?:/\d{{1,2}})?(?![\d:]))
    | (?P<plage>{_INSTANT}(?:-{_INSTANT})?\+?)
    | (?P<h24>24/7)
    | (?P<annee>\b\d{{4}}(?:-\d{{4}})?(?![\d:]))
    | (?P<jour>\b(?:{_JOUR_RE})(?:\[-?\d(?:,-?\d)*\])?(?:-(?:{_JOUR_RE}))?(?![A-Za-z]))
    | (?P<ferie>\b(?:PH|SH)\b)
    | (?P<mois>\b(?:{_MOIS_RE})(?:\s?\d{{1,2}}(?![\d:]))?
        (?:-(?:(?:{_MOIS_RE})\s?)?\d{{1,2}}(?![\d:])|-(?:{_MOIS_RE})\b)?(?![A-Za-z]))
    | (?P<etat>\b(?:open|closed|off|unknown)\b)
    | (?P<blanc>[\s,]+)
    | (?P<autre>.)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_SIMPLES = frozenset(("commentaire", "plage", "h24", "jour", "etat", "blanc"))


def _lexemes_osm(regle: str) -> list[tuple[str, str]]:
    """(kind, text) pieces of one OSM rule, blanks left out."""
    return [
        (trouve.lastgroup or "autre", trouve.group())
        for trouve in _LEXEME_OSM.finditer(regle)
        if trouve.lastgroup != "blanc"
    ]


def _regle_simple(morceau: _Morceau) -> bool:
    """True when the week table shows the rule fully: plain weekdays and clock hours only."""
    if morceau.separateur == "||":
        return False
    for genre, texte in _lexemes_osm(morceau.regle):
        if genre not in _SIMPLES or "[" in texte or "+" in texte:
            return False
        if genre == "plage" and re.search("[a-z]", texte, re.IGNORECASE):
            return False
    return True


def _jour_osm(texte: str) -> int:
    """Index of an OSM day: "Tu" → 1."""
    return [nom.lower() for nom in JOURS_OSM].index(texte.lower())


def _decrire_jour(texte: str) -> str | None:
    """French for a weekday selector: "Mo-Fr" → "du lundi au vendredi", "Tu[1]" → "le 1er mardi
    du mois"."""
    trouve = re.fullmatch(rf"({_JOUR_RE})(?:\[([-\d,]+)\])?(?:-({_JOUR_RE}))?", texte, re.I)
    if not trouve:
        return None
    premier, rangs, dernier = trouve.groups()
    nom = JOURS[_jour_osm(premier)].lower()
    if rangs and not dernier:
        numeros = [int(rang) for rang in rangs.split(",")]
        pluriel = "les" if len(numeros) > 1 else "le"
        nom_pluriel = f"{nom}s" if len(numeros) > 1 else nom
        return f"{pluriel} {_enumerer([_ordinal_fr(n) for n in numeros])} {nom_pluriel} du mois"
    if dernier and not rangs:
        return f"du {nom} au {JOURS[_jour_osm(dernier)].lower()}"
    return None if rangs else nom


def _decrire_semaine(texte: str) -> str:
    """French for a week selector: "week 1-53/2" → "une semaine sur deux (semaines impaires)"."""
    debut, fin, pas = re.fullmatch(r"week\s*(\d+)(?:-(\d+))?(?:/(\d+))?", texte, re.I).groups()  # type: ignore[union-attr]
    if pas == "2":
        parite = "impaires" if int(debut) % 2 else "paires"
        return f"une semaine sur deux (semaines {parite})"
    if pas:
        return f"une semaine sur {pas}, à partir de la semaine {int(debut)}"
    return f"semaines {int(debut)} à {int(fin)}" if fin else f"semaine {int(debut)}"


def _decrire_mois(texte: str) -> str:
    """French for a month or date selector: "Jul-Aug", "Dec 24", "Dec 24-26"."""
    morceaux = re.findall(rf"({_MOIS_RE})|(\d+)", texte, re.I)
    mois = [MOIS[[m.lower() for m in MOIS_OSM].index(m.lower())] for m, _ in morceaux if m]
    jours = [int(j) for _, j in morceaux if j]
    if not jours:
        return f"de {mois[0]} à {mois[-1]}" if len(mois) > 1 else f"en {mois[0]}"
    debut = f"{_ordinal_fr(jours[0]) if jours[0] == 1 else jours[0]} {mois[0]}"
    if len(jours) == 1:
        return f"le {debut}" if len(mois) == 1 else f"du {debut} à fin {mois[-1]}"
    if len(mois) == 1:
        return f"du {jours[0]} au {jours[-1]} {mois[0]}"
    return f"du {debut} au {jours[-1]} {mois[-1]}"


def _decrire_plage(texte: str) -> str:
    """French for a time range: "09:00-12:30" → "9 h – 12 h 30", "09:00+" → "à partir de 9 h"."""
    ouvert = texte.endswith("+")
    bornes = [_decrire_instant(borne) for borne in texte.rstrip("+").split("-")]
    if len(bornes) == 1:
        return f"à partir de {bornes[0]}" if ouvert else bornes[0]
    suite = " (fin non précisée)" if ouvert else ""
    return f"{bornes[0]} – {bornes[1]}{suite}"


def _decrire_instant(texte: str) -> str:
    """French for "09:00" (9 h), "26:00" (2 h le lendemain) or "sunset"."""
    if texte.lower() in _SOLEIL:
        return _SOLEIL[texte.lower()]
    heures, minutes = (int(n) for n in texte.split(":"))
    total = heures * 60 + minutes
    return heure_fr(total) if total <= 24 * 60 else f"{heure_fr(total - 24 * 60)} le lendemain"


def _decrire_selection(genre: str, texte: str) -> str | None:
    """French for one selector of a rule, None when not understood."""
    if genre == "jour":
        return _decrire_jour(texte)
    if genre == "ferie":
        return "jours fériés" if texte.upper() == "PH" else "vacances scolaires"
    if genre == "semaine":
        return _decrire_semaine(texte)
    if genre == "mois":
        return _decrire_mois(texte)
    if genre == "annee":
        return f"en {texte}" if "-" not in texte else "de {} à {}".format(*texte.split("-"))
    return None


def _decrire_effet(plages: list[str], etat: str, commentaire: str) -> str:
    """French for what a rule says happens: hours, "fermé", "horaires non précisés"..."""
    if etat in ("off", "closed"):
        effet = "fermé"
    elif etat == "unknown" or (commentaire and not plages and not etat):
        effet = "horaires non précisés"
    elif plages:
        effet = ", ".join(plages)
    else:
        effet = "ouvert toute la journée"
    return f"{effet} ({commentaire})" if commentaire else effet


def decrire_regle(regle: str) -> str | None:
    """One OSM rule in a French sentence ("Jours fériés : fermé"), or None when not understood."""
    periodes: list[str] = []
    jours: list[str] = []
    plages: list[str] = []
    etat = commentaire = ""
    for genre, texte in _lexemes_osm(regle):
        if genre == "autre":
            return None
        if genre == "commentaire":
            commentaire = texte.strip('"').strip()
        elif genre == "etat":
            etat = texte.lower()
        elif genre in ("plage", "h24"):
            plages.append(_decrire_plage(texte) if genre == "plage" else "24 h sur 24")
        elif (selection := _decrire_selection(genre, texte)) is None:
            return None
        else:
            (jours if genre in ("jour", "ferie") else periodes).append(selection)
    selections = [*periodes, _enumerer(jours)] if jours else periodes
    quand = _majuscule(", ".join(selections)) if selections else "Tous les jours"
    return f"{quand} : {_decrire_effet(plages, etat, commentaire)}"


def _note(morceau: _Morceau, toutes: bool = False) -> str | None:
    """Note for a rule the week table can't show fully (for any rule when `toutes`)."""
    if _regle_simple(morceau) and not toutes:
        return None
    phrase = decrire_regle(morceau.regle) or f"règle non traduite : « {morceau.regle} »"
    if morceau.separateur == "||":
        return f"Sinon, {phrase[:1].lower()}{phrase[1:]}"
    return _majuscule(phrase)
