"""Workshops in: the expansion of a workshop's recurrence within the agenda's horizon (bounded,
Europe/Paris wall-clock times across the change of time), workshop files and their checks."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from annuaire.domain.ateliers import FUSEAU, Atelier
from annuaire.domain.recurrences import (
    OCCURRENCES_MAX,
    occurrences_atelier,
    occurrences_ateliers,
    regle_refusee,
)

PARIS = FUSEAU


def heure(annee: int, mois: int, jour: int, h: int = 14, minute: int = 0) -> dt.datetime:
    """A Europe/Paris time."""
    return dt.datetime(annee, mois, jour, h, minute, tzinfo=PARIS)


def atelier(regle: str = "", debut: dt.datetime | None = None, **autres) -> Atelier:
    """A two-hour workshop (Tuesday 6 October 2026, 14:00, by default)."""
    debut = debut or heure(2026, 10, 6)
    fin = autres.pop("fin", debut + dt.timedelta(hours=2))
    return Atelier("smartphone", "Atelier smartphone", "epn-montreynaud", debut, fin, regle=regle, **autres)


def debuts(occurrences) -> list[str]:
    """The starts as ISO texts with their offset."""
    return [o.debut.isoformat() for o in occurrences]


def test_hebdomadaire_avec_exception_et_changement_d_heure():
    exception = heure(2026, 10, 20)
    trouvees = occurrences_atelier(
        atelier("FREQ=WEEKLY;BYDAY=TU", exceptions=(exception,)), dt.date(2026, 10, 10), dt.date(2026, 11, 5)
    )
    assert debuts(trouvees) == [
        "2026-10-13T14:00:00+02:00",
        "2026-10-27T14:00:00+01:00",  # after the change of time of 25 October: still 14:00
        "2026-11-03T14:00:00+01:00",
    ]
    assert all(o.fin - o.debut == dt.timedelta(hours=2) for o in trouvees)


def test_passage_a_l_heure_d_ete_garde_14_h():
    trouvees = occurrences_atelier(
        atelier("FREQ=WEEKLY;BYDAY=SA", heure(2027, 3, 20)), dt.date(2027, 3, 20), dt.date(2027, 4, 3)
    )
    assert debuts(trouvees) == [
        "2027-03-20T14:00:00+01:00",
        "2027-03-27T14:00:00+01:00",
        "2027-04-03T14:00:00+02:00",  # after 28 March 2027
    ]


def test_passees_absentes_et_seule_fois_dans_l_horizon():
    unique = atelier(debut=heure(2026, 12, 12))
    assert occurrences_atelier(unique, dt.date(2026, 12, 13), dt.date(2027, 3, 1)) == []
    assert debuts(occurrences_atelier(unique, dt.date(2026, 12, 12), dt.date(2026, 12, 12))) == [
        "2026-12-12T14:00:00+01:00"
    ]


def test_journee_entiere():
    debut = dt.datetime(2026, 12, 5, tzinfo=PARIS)
    journee = atelier("FREQ=MONTHLY;BYDAY=1SA", debut, fin=debut + dt.timedelta(days=1), journee_entiere=True)
    trouvees = occurrences_atelier(journee, dt.date(2026, 12, 6), dt.date(2027, 2, 28))
    assert [o.jour.isoformat() for o in trouvees] == ["2027-01-02", "2027-02-06"]
    assert all(o.debut.hour == 0 and o.fin - o.debut == dt.timedelta(days=1) for o in trouvees)


def test_fin_utc_de_la_regle():
    trouvees = occurrences_atelier(
        atelier("FREQ=WEEKLY;UNTIL=20261027T130000Z"), dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    )
    assert len(trouvees) == 4 and trouvees[-1].debut == heure(2026, 10, 27)


def test_bornes_par_atelier_et_au_total():
    quotidien = atelier("FREQ=DAILY", heure(2026, 1, 1))
    assert len(occurrences_atelier(quotidien, dt.date(2026, 1, 1), dt.date(2026, 12, 31))) == OCCURRENCES_MAX
    assert len(occurrences_atelier(quotidien, dt.date(2026, 1, 1), dt.date(2026, 12, 31), 5)) == 5
    assert len(occurrences_ateliers((quotidien,) * 10, dt.date(2026, 1, 1), dt.date(2026, 3, 1), 25)) == 25


@pytest.mark.parametrize(
    "regle",
    [
        "FREQ=SECONDLY",
        "FREQ=MINUTELY;COUNT=5",
        "FREQ=HOURLY",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # dateutil would search until the year 9999
        "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
        "FREQ=MONTHLY;INTERVAL=12;BYMONTH=3",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=9",
        "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=15",
        "FREQ=WEEKLY;BYHOUR=10",
        "FREQ=WEEKLY;BYDAY=XX",
        "pas une règle",
        "FREQ=WEEKLY;COUNT=abc",
    ],
)
def test_regles_refusees_et_jamais_developpees(regle):
    assert regle_refusee(regle)
    debut = time.monotonic()
    assert occurrences_atelier(atelier(regle), dt.date(2026, 10, 1), dt.date(2026, 12, 31)) == []
    assert time.monotonic() - debut < 1


@pytest.mark.parametrize(
    "regle",
    [
        "FREQ=WEEKLY;BYDAY=TU,TH",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=WEEKLY;INTERVAL=2",
        "RRULE:FREQ=DAILY;COUNT=3",
    ],
)
def test_regles_acceptees(regle):
    assert regle_refusee(regle) == ""
