"""The week table of a value, in plain French, with notes for what a week cannot show."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import opening_hours

from annuaire.domain.horaires.analyse import (
    _COMMENTAIRE,
    A_VERIFIER,
    FERME,
    JOURS,
    PARIS,
    PAYS,
    Jour,
    Semaine,
    _analyser,
    _decouper,
    _sans_erreur,
)
from annuaire.domain.horaires.francais import _note, _plage_fr, _regle_simple

# --- The week table ------------------------------------------------------------------------------


class _Segment(NamedTuple):
    """A stretch of one day in local minutes, with its state and comment."""

    debut: int
    fin: int
    etat: str  # "open", "closed" or "unknown", as the parser says
    commentaire: str


def _aujourdhui() -> date:
    """Today in Paris."""
    return datetime.now(PARIS).date()


def _minuit(jour: date) -> datetime:
    """Midnight at the start of `jour`, Paris time."""
    return datetime.combine(jour, time(0), PARIS)


def _intervalles(oh: opening_hours.OpeningHours, debut: date, nb_jours: int) -> list | None:
    """The parser's intervals from midnight of `debut`, over `nb_jours` days; None on failure."""
    borne_debut, borne_fin = _minuit(debut), _minuit(debut + timedelta(days=nb_jours))
    return _sans_erreur(lambda: list(oh.intervals(borne_debut, borne_fin)), None)


def _segments_par_jour(intervalles: list) -> dict[date, list[_Segment]]:
    """Cut the parser's intervals at local midnights."""
    jours: dict[date, list[_Segment]] = {}
    for debut, fin, etat, commentaire in intervalles:
        debut, fin = debut.astimezone(PARIS), fin.astimezone(PARIS)
        while debut < fin:
            minuit = _minuit(debut.date() + timedelta(days=1))
            bout = min(fin, minuit)
            fin_minutes = 24 * 60 if bout == minuit else bout.hour * 60 + bout.minute
            segment = _Segment(debut.hour * 60 + debut.minute, fin_minutes, str(etat), commentaire)
            jours.setdefault(debut.date(), []).append(segment)
            debut = bout
    return jours


def _texte_journee(segments: list[_Segment]) -> str:
    """One day in French: "9 h – 12 h, 14 h – 18 h (sur rendez-vous)", "Fermé"."""
    utiles = [segment for segment in segments if segment.etat != "closed"]
    remarques = sorted({s.commentaire for s in segments if s.etat == "closed" and s.commentaire})
    if not utiles:
        return f"{FERME} ({', '.join(remarques)})" if remarques else FERME
    morceaux: list[str] = []
    groupes: list[list[_Segment]] = []
    for segment in utiles:
        if groupes and (groupes[-1][-1].etat, groupes[-1][-1].commentaire) == segment[2:]:
            groupes[-1].append(segment)
        else:
            groupes.append([segment])
    for groupe in groupes:
        morceaux.append(_texte_groupe(groupe))
    return ", ".join(morceaux)


def _texte_groupe(groupe: list[_Segment]) -> str:
    """Segments sharing a state and a comment, in French."""
    premier = groupe[0]
    if len(groupe) == 1 and (premier.debut, premier.fin) == (0, 24 * 60):
        heures = "24 h sur 24" if premier.etat == "open" else "horaires non précisés"
    else:
        heures = ", ".join(_plage_fr(segment.debut, segment.fin) for segment in groupe)
        heures += " (à confirmer)" if premier.etat == "unknown" else ""
    return f"{heures} ({premier.commentaire})" if premier.commentaire else heures


def _jours_feries(debut: date, nb_jours: int) -> set[date]:
    """French public holidays between `debut` and `nb_jours` later."""
    feries = _sans_erreur(lambda: opening_hours.OpeningHours("PH", timezone=PARIS, country=PAYS), None)
    intervalles = _intervalles(feries, debut, nb_jours) if feries else None
    par_jour = _segments_par_jour(intervalles or [])
    return {jour for jour, segments in par_jour.items() if any(s.etat == "open" for s in segments)}


def _texte_usuel(textes: list[str]) -> str:
    """The most frequent text of a weekday; an open one wins a tie; a varying day says so."""
    if not textes:
        return A_VERIFIER
    comptes = Counter(textes)
    choisi = max(comptes, key=lambda texte: (comptes[texte], texte != FERME))
    return choisi if len(comptes) == 1 else f"{choisi} (selon les semaines, voir les précisions)"


def _jours_usuels(oh: opening_hours.OpeningHours, lundi: date, nb_jours: int) -> tuple[Jour, ...] | None:
    """The usual hours of each weekday over `nb_jours` days from a Monday, holidays aside."""
    intervalles = _intervalles(oh, lundi, nb_jours)
    if intervalles is None:
        return None
    par_jour, feries = _segments_par_jour(intervalles), _jours_feries(lundi, nb_jours)
    textes: list[list[str]] = [[] for _ in range(7)]
    for jour, segments in sorted(par_jour.items()):
        if jour not in feries:
            textes[jour.weekday()].append(_texte_journee(segments))
    return tuple(Jour(JOURS[i], _texte_usuel(textes[i])) for i in range(7))


def _notes(texte: str, jours: tuple[Jour, ...]) -> tuple[str, ...]:
    """Notes for the rules a week can't show (every rule without a table), then any comment
    shown nowhere else."""
    notes = [note for morceau in _decouper(texte) if (note := _note(morceau, not jours))]
    visible = " ".join([*notes, *(jour.texte for jour in jours)])
    for commentaire in _COMMENTAIRE.findall(texte):
        if commentaire.strip() and commentaire.strip() not in visible:
            notes.append(f"Précision : {commentaire.strip()}")
    return tuple(dict.fromkeys(notes))


def semaine(texte: str, debut: date | None = None) -> Semaine:
    """The week table and notes of an `horaires` value, in French; never raises.

    Weekdays are evaluated from the Monday of `debut`'s week (default: today in Paris): three weeks
    for plain weekday rules, a whole year when some rule depends on the week, month or date.
    Sun times and fallback rules (`||`) get notes only, no table: the parser can't evaluate them
    reliably here (no coordinates; `intervals` and `state` disagree on fallback rules).
    """
    oh = _analyser(texte)
    if oh is None:
        return _semaine_a_verifier(texte)
    if _SANS_TABLEAU.search(_COMMENTAIRE.sub("", texte)):
        return Semaine((), _notes(texte, ()))
    lundi = (debut or _aujourdhui()) - timedelta(days=(debut or _aujourdhui()).weekday())
    complexe = not all(_regle_simple(morceau) for morceau in _decouper(texte))
    jours = _jours_usuels(oh, lundi, 7 * (53 if complexe else 3))
    if jours is None:
        return _semaine_a_verifier(texte)
    return Semaine(jours, _notes(texte, jours))


_SANS_TABLEAU = re.compile(r"sunrise|sunset|dawn|dusk|\|\|", re.IGNORECASE)


def _semaine_a_verifier(texte: object) -> Semaine:
    """The week of a value that can't be evaluated: no table, a note quoting it."""
    brut = str(texte).strip() if isinstance(texte, str) else ""
    note = f"{A_VERIFIER} : « {brut} » n'a pas pu être lu." if brut else f"{A_VERIFIER}."
    return Semaine((), (note,), a_verifier=True)
