"""Workshops (ateliers): what a place runs, and the dated occurrences the agenda shows.

Plain data, shared by the two ways in (a workshop file of content/ateliers, a place's own
iCalendar feed snapshotted by `sync`) and by every output (agenda pages, a sheet's next
workshops, iCalendar feeds, the JSON export, the printed handout). Times are aware datetimes
in Europe/Paris; an all-day workshop has `journee_entiere` set and midnight times.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

FUSEAU = ZoneInfo("Europe/Paris")
HORIZON_JOURS = 92  # how far ahead the agenda looks (about three months)


@dataclass(frozen=True)
class Inscription:
    """How to register for a workshop (every part optional)."""

    telephone: str = ""
    courriel: str = ""
    url: str = ""

    @property
    def vide(self) -> bool:
        """True when the workshop needs no registration, or says nothing of it."""
        return not (self.telephone or self.courriel or self.url)


@dataclass(frozen=True)
class Atelier:
    """One workshop as written: a file of content/ateliers, or one event of a place's feed.

    `identifiant` is stable across builds and syncs (the file's stem, or the feed's UID prefixed by
    the place's slug); it is the base of every occurrence's UID and URL.
    """

    identifiant: str
    titre: str
    lieu: str  # the slug of the entry that hosts it
    debut: dt.datetime  # first occurrence, Europe/Paris
    fin: dt.datetime
    journee_entiere: bool = False
    regle: str = ""  # an RFC 5545 RRULE, without the "RRULE:" prefix
    exceptions: tuple[dt.datetime, ...] = ()  # EXDATE: occurrences that do not happen
    themes: tuple[str, ...] = ()  # services of the national standard
    publics: tuple[str, ...] = ()  # publics_specifiquement_adresses of the standard
    gratuit: bool = True
    prix: str = ""  # free text, when not free
    inscription: Inscription = field(default_factory=Inscription)
    places_disponibles: int | None = None
    accessible_pmr: bool | None = None
    langues: tuple[str, ...] = ()
    description: str = ""  # sanitised HTML (nh3), never raw
    url: str = ""  # the workshop's own page, when it has one
    chemin: str = ""  # the file (or snapshot) it was read from
    lignes: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def ligne(self, champ: str) -> int:
        """The line a field was read from, or the first line of the file."""
        return self.lignes.get(champ, 1)


@dataclass(frozen=True, order=True)
class Occurrence:
    """One dated session of a workshop, inside the agenda's horizon."""

    debut: dt.datetime
    fin: dt.datetime
    atelier: Atelier = field(compare=False)
    annulee: bool = field(default=False, compare=False)  # STATUS:CANCELLED, shown struck out

    @property
    def uid(self) -> str:
        """A stable RFC 5545 UID for this occurrence (same workshop, same start: same UID)."""
        return f"{self.atelier.identifiant}-{self.debut:%Y%m%dT%H%M}@annuaire-mediation-numerique"

    @property
    def jour(self) -> dt.date:
        """The day the occurrence falls on, in Europe/Paris (asked some 400,000 times by a national
        agenda's pages: no conversion when the time is already Paris time, as it nearly always is)."""
        debut = self.debut
        return debut.date() if debut.tzinfo is FUSEAU else debut.astimezone(FUSEAU).date()


@dataclass(frozen=True)
class Agenda:
    """Every occurrence of the horizon, sorted by start, with the workshops they come from."""

    ateliers: tuple[Atelier, ...] = ()
    occurrences: tuple[Occurrence, ...] = ()
    debut: dt.date | None = None  # the first day shown (the build's day)
    fin: dt.date | None = None  # the last day shown
    # The occurrences of each place, in order: built once (a sheet must not scan 20,000 occurrences).
    par_lieu: dict[str, tuple[Occurrence, ...]] = field(default_factory=dict, compare=False, hash=False)

    def du_lieu(self, slug: str) -> tuple[Occurrence, ...]:
        """The occurrences hosted by one place, in order."""
        return self.par_lieu.get(slug, ())


def faire_agenda(
    ateliers: tuple[Atelier, ...], occurrences: list[Occurrence], debut: dt.date, fin: dt.date
) -> Agenda:
    """The agenda of a horizon: occurrences sorted by start, indexed by place."""
    triees = tuple(sorted(occurrences, key=lambda o: (o.debut, o.atelier.identifiant)))
    par_lieu: dict[str, list[Occurrence]] = {}
    for occurrence in triees:
        par_lieu.setdefault(occurrence.atelier.lieu, []).append(occurrence)
    index = {slug: tuple(liste) for slug, liste in par_lieu.items()}
    return Agenda(ateliers, triees, debut, fin, index)
