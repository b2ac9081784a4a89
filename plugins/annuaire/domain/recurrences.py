"""Recurrences: the dated occurrences of a workshop inside the agenda's horizon, always bounded.

A workshop's rule is an RFC 5545 RRULE; dateutil expands it. Its times are Europe/Paris wall-clock
times: the rule is expanded on naive local times and each occurrence is then put in Europe/Paris,
so a workshop at 14:00 stays at 14:00 across the change of time (25 October 2026, 28 March 2027).

Rules come from contributors and from strangers' calendars, and dateutil searches for the next
occurrence until the year 9999 when a rule can no longer produce one (FREQ=DAILY;BYMONTH=2;
BYMONTHDAY=30 takes nine seconds to find nothing). So only a subset is accepted (`regle_refusee`):
daily to yearly frequencies, no time parts (a workshop starts at its own time), and none of the
combinations that can never produce a date. Then every expansion stops at the horizon's end and
after `OCCURRENCES_MAX` occurrences.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import itertools
import re

from dateutil.rrule import rrulestr

from annuaire.domain.ateliers import FUSEAU, Atelier, Occurrence

OCCURRENCES_MAX = 120  # per workshop within the horizon (a daily one has 93)
OCCURRENCES_TOTAL_MAX = 100_000  # per agenda: 30,000 places at 20,000 occurrences a month fit
DEBUT_MIN = dt.datetime(2000, 1, 1)  # a rule started before this is not a workshop's
FREQUENCES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
PARTIES = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}
)
_JOUR = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_ENTIER = re.compile(r"^[+-]?\d{1,3}$")


def parties_regle(regle: str) -> dict[str, list[str]]:
    """{NAME: [values]} of an RRULE text ("FREQ=WEEKLY;BYDAY=MO,TH"); raise ValueError when it
    is not one."""
    parties: dict[str, list[str]] = {}
    for morceau in regle.strip().removeprefix("RRULE:").split(";"):
        nom, egal, valeur = morceau.partition("=")
        if not egal or not nom.strip() or not valeur.strip():
            raise ValueError(f"« {morceau[:40]} » n'est pas de la forme NOM=valeur")
        parties[nom.strip().upper()] = [v.strip().upper() for v in valeur.split(",")]
    return parties


def _entiers(valeurs: list[str], minimum: int, maximum: int) -> list[int]:
    """Integers within ±[minimum, maximum]; raise ValueError otherwise."""
    if not all(_ENTIER.match(v) for v in valeurs):
        raise ValueError("nombre attendu")
    nombres = [int(v) for v in valeurs]
    if not all(minimum <= abs(n) <= maximum for n in nombres):
        raise ValueError(f"nombre entre {minimum} et {maximum} attendu")
    return nombres


def _forme_refusee(parties: dict[str, list[str]]) -> str:
    """Why the parts themselves are refused: unknown or unsupported ones, a frequency below a day."""
    inconnues = sorted(set(parties) - PARTIES)
    if inconnues:
        return f"« {inconnues[0][:20]} » non accepté (parties possibles : {', '.join(sorted(PARTIES))})"
    if parties.get("FREQ", [""])[0] not in FREQUENCES:
        return (
            "FREQ vaut DAILY, WEEKLY, MONTHLY ou YEARLY (un atelier ne revient pas plusieurs fois par jour)"
        )
    if any(len(v) > 1 for k, v in parties.items() if k in ("FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST")):
        return "FREQ, INTERVAL, COUNT, UNTIL et WKST prennent une seule valeur"
    return ""


def _jours_refuses(parties: dict[str, list[str]]) -> str:
    """Why BYDAY is refused ("" when fine): weekday codes, ordinals only by month or year."""
    jours = [_JOUR.match(v) for v in parties.get("BYDAY", [])]
    if not all(jours):
        return "BYDAY attend des jours MO, TU, WE, TH, FR, SA, SU (ex. BYDAY=TU ou BYDAY=1MO)"
    rangs = [int(j.group(1)) for j in jours if j and j.group(1)]
    if rangs and (parties["FREQ"][0] not in ("MONTHLY", "YEARLY") or "BYMONTHDAY" in parties):
        return "un rang de jour (1MO, -1FR) va avec FREQ=MONTHLY ou YEARLY, sans BYMONTHDAY"
    if not all(1 <= abs(r) <= 5 for r in rangs):
        return "le rang d'un jour va de 1 à 5 (ou -1 à -5)"
    return ""


def _jours_du_mois_impossibles(parties: dict[str, list[str]]) -> bool:
    """True when no listed day of the month exists in any listed month (30 February)."""
    mois = _entiers(parties.get("BYMONTH", []), 1, 12) or list(range(1, 13))
    jours = _entiers(parties.get("BYMONTHDAY", []), 1, 31)
    longueurs = [calendar.monthrange(2024, m)[1] for m in mois]  # 2024: February has 29 days
    return bool(jours) and not any(abs(j) <= n for j in jours for n in longueurs)


def _combinaison_refusee(parties: dict[str, list[str]]) -> str:
    """Why a combination that could never produce a date is refused ("" when none)."""
    frequence, intervalle = parties["FREQ"][0], _entiers(parties.get("INTERVAL", ["1"]), 1, 99)[0]
    if _jours_du_mois_impossibles(parties):
        return "aucun de ces jours n'existe dans ces mois (BYMONTHDAY et BYMONTH)"
    filtres = {"BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"} & set(parties)
    genants = filtres if frequence == "DAILY" else filtres - {"BYDAY"}
    if intervalle > 1 and frequence != "YEARLY" and genants:
        return "INTERVAL supérieur à 1 ne se combine qu'avec BYDAY (et pas avec FREQ=DAILY)"
    if "BYSETPOS" in parties and (frequence in ("DAILY", "WEEKLY") or "BYMONTHDAY" in parties):
        return "BYSETPOS va avec FREQ=MONTHLY ou YEARLY et BYDAY, sans BYMONTHDAY"
    _entiers(parties.get("BYSETPOS", []), 1, 4)  # a month has at least four of each weekday
    _entiers(parties.get("COUNT", []), 1, 9999)
    return ""


_FIN_UTC = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)
_FIN_JOUR = re.compile(r"UNTIL=(\d{8})(?=;|$)", re.IGNORECASE)


def regle_locale(regle: str) -> str:
    """The rule as dateutil expands it on local times: without "RRULE:", its UTC end (UNTIL=…Z,
    what calendars write) as a Europe/Paris time, a last day alone (UNTIL=20270630, what people
    write) as that day's end."""

    def local(trouve: re.Match) -> str:
        moment = dt.datetime.strptime(trouve.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
        return f"UNTIL={_local(moment):%Y%m%dT%H%M%S}"

    texte = _FIN_UTC.sub(local, regle.strip().removeprefix("RRULE:"))
    return _FIN_JOUR.sub(lambda trouve: f"UNTIL={trouve.group(1)}T235959", texte)


@functools.lru_cache(maxsize=4096)  # a pure function of the text; feeds repeat the same few rules
def regle_refusee(regle: str) -> str:
    """Why an RRULE text is not accepted, in French ("" when it is): its syntax, the subset this
    directory expands (see the module's docstring), and what dateutil itself refuses."""
    try:
        parties = parties_regle(regle)
        raison = _forme_refusee(parties) or _jours_refuses(parties) or _combinaison_refusee(parties)
        if not raison:
            rrulestr(regle_locale(regle), dtstart=dt.datetime(2026, 1, 1))
    except (ValueError, TypeError, OverflowError) as exc:
        return f"règle de récurrence invalide ({str(exc)[:80]})"
    return raison


def _limites(debut: dt.date, fin: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The horizon as naive local times: from the first day's midnight to the last day's end."""
    return dt.datetime.combine(debut, dt.time()), dt.datetime.combine(fin + dt.timedelta(days=1), dt.time())


def _local(moment: dt.datetime) -> dt.datetime:
    """A time as Europe/Paris wall-clock time, without its zone (what the rule is expanded on)."""
    return moment.astimezone(FUSEAU).replace(tzinfo=None) if moment.tzinfo else moment


def debuts_locaux(atelier: Atelier, debut: dt.date, fin: dt.date, maximum: int) -> list[dt.datetime]:
    """The naive local start times of a workshop within [debut, fin], at most `maximum`, in
    order; none when its rule is refused (validation reports it)."""
    premier, (bas, haut) = _local(atelier.debut), _limites(debut, fin)
    if not atelier.regle:
        return [premier] if bas <= premier < haut else []
    if premier < DEBUT_MIN or regle_refusee(atelier.regle):
        return []
    ensemble = rrulestr(regle_locale(atelier.regle), dtstart=premier, forceset=True)
    for exception in atelier.exceptions:
        ensemble.exdate(_local(exception))
    suivants = ensemble.xafter(bas, inc=True)
    return list(itertools.islice(itertools.takewhile(lambda d: d < haut, suivants), maximum))


def occurrences_atelier(
    atelier: Atelier, debut: dt.date, fin: dt.date, maximum: int = OCCURRENCES_MAX
) -> list[Occurrence]:
    """The occurrences of a workshop whose day is within [debut, fin] (past ones are not
    there), at most `maximum`; each keeps the workshop's duration, in Europe/Paris."""
    duree = atelier.fin - atelier.debut
    occurrences = []
    for local in debuts_locaux(atelier, debut, fin, maximum):
        depart = local.replace(tzinfo=FUSEAU)
        arrivee = (local + duree).replace(tzinfo=FUSEAU)  # wall-clock duration, across a change of time
        occurrences.append(Occurrence(depart, arrivee, atelier))
    return occurrences


def occurrences_ateliers(
    ateliers: tuple[Atelier, ...], debut: dt.date, fin: dt.date, total: int = OCCURRENCES_TOTAL_MAX
) -> list[Occurrence]:
    """Every occurrence of these workshops within [debut, fin], at most `total` in all."""
    occurrences: list[Occurrence] = []
    for atelier in ateliers:
        reste = min(OCCURRENCES_MAX, total - len(occurrences))
        if reste <= 0:
            break
        occurrences += occurrences_atelier(atelier, debut, fin, reste)
    return occurrences
