"""The workshops out: iCalendar feeds (RFC 5545, with the `icalendar` library) and the JSON export.

Plain Python. A feed is a pure function of its occurrences, its name, the site's public address
and the build's day: DTSTAMP is that day (midnight UTC), never "now", so that the same agenda
gives the same bytes. UIDs are the occurrences' own (`Occurrence.uid`: same workshop, same start,
same UID), so calendars that subscribed update an event instead of adding a copy.
"""

from __future__ import annotations

import datetime as dt
import json

import icalendar

from annuaire.domain import routes
from annuaire.domain.ateliers import FUSEAU, Atelier, Occurrence
from annuaire.domain.texte import texte_brut

PRODID = "-//Annuaire de la médiation numérique//Ateliers//FR"
DESCRIPTION_MAX = 2000  # characters of plain text in a feed's DESCRIPTION
VERSION_JSON = 1


def calendrier(elements: tuple[tuple[Occurrence, str], ...], nom: str, base: str, jour: dt.date) -> str:
    """A VCALENDAR of `elements` ((occurrence, its LOCATION text), in order), in Europe/Paris with
    its VTIMEZONE: CRLF lines folded at 75 octets, as the library writes them. `base`: the site's
    public address, for each URL."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", nom)
    cal.add("x-wr-timezone", str(FUSEAU))
    tampon = dt.datetime.combine(jour, dt.time(0, 0), dt.UTC)
    # The zone's rules from the build's year to the year after the last date, always given first (even
    # to a feed of whole days only: its X-WR-TIMEZONE names it).
    dernier = max((occurrence.fin.date() for occurrence, _ in elements), default=jour)
    premier, fin = dt.date(jour.year, 1, 1), dt.date(dernier.year + 1, 12, 31)
    cal.add_component(icalendar.Timezone.from_tzid(str(FUSEAU), first_date=premier, last_date=fin))
    for occurrence, lieu in elements:
        cal.add_component(evenement(occurrence, lieu, base, tampon))
    return cal.to_ical().decode("utf-8")


def evenement(occurrence: Occurrence, lieu: str, base: str, tampon: dt.datetime) -> icalendar.Event:
    """One occurrence as a VEVENT (`lieu`: its LOCATION, the place's name and address)."""
    atelier = occurrence.atelier
    event = icalendar.Event()
    event.add("uid", occurrence.uid)
    event.add("dtstamp", tampon)
    if atelier.journee_entiere:
        event.add("dtstart", occurrence.debut.astimezone(FUSEAU).date())
        event.add(
            "dtend", max(occurrence.fin.astimezone(FUSEAU).date(), occurrence.jour + dt.timedelta(days=1))
        )
    else:
        event.add("dtstart", occurrence.debut.astimezone(FUSEAU))
        event.add("dtend", occurrence.fin.astimezone(FUSEAU))
    event.add("summary", atelier.titre)
    event.add("status", "CANCELLED" if occurrence.annulee else "CONFIRMED")
    event.add("url", f"{base}/{routes.atelier(atelier.identifiant)}")
    event.add("location", lieu)
    description = description_texte(atelier)
    if description:
        event.add("description", description)
    return event


def description_texte(atelier: Atelier) -> str:
    """DESCRIPTION: the description's plain text (it is HTML), the price and how to register."""
    parties = [texte_brut(atelier.description)[:DESCRIPTION_MAX]] if atelier.description else []
    parties.append("Gratuit" if atelier.gratuit else f"Tarif : {atelier.prix or 'payant'}")
    inscription = atelier.inscription
    contacts = [c for c in (inscription.telephone, inscription.courriel, inscription.url) if c]
    if contacts:
        parties.append("Inscription : " + ", ".join(contacts))
    return "\n".join(parties)


def en_json(ateliers: tuple[Atelier, ...], occurrences: tuple[Occurrence, ...], base: str) -> str:
    """donnees/ateliers.json: every workshop with its fields and its upcoming dates (README,
    « Ateliers : l'agenda »). Times are ISO 8601 with their offset."""
    dates: dict[str, list[dict]] = {}
    for occurrence in occurrences:
        dates.setdefault(occurrence.atelier.identifiant, []).append(
            {
                "debut": occurrence.debut.isoformat(),
                "fin": occurrence.fin.isoformat(),
                "annulee": occurrence.annulee,
            }
        )
    lignes = [_atelier_json(a, base, dates.get(a.identifiant, [])) for a in ateliers]
    return json.dumps({"version": VERSION_JSON, "ateliers": lignes}, ensure_ascii=False, indent=1) + "\n"


def _atelier_json(atelier: Atelier, base: str, dates: list[dict]) -> dict:
    """One workshop of the JSON export."""
    inscription = atelier.inscription
    return {
        "identifiant": atelier.identifiant,
        "titre": atelier.titre,
        "lieu": atelier.lieu,
        "url_lieu": f"{base}/{routes.fiche_de_slug(atelier.lieu)}",
        "url": f"{base}/{routes.atelier(atelier.identifiant)}",
        "journee_entiere": atelier.journee_entiere,
        "themes": list(atelier.themes),
        "publics": list(atelier.publics),
        "gratuit": atelier.gratuit,
        "prix": atelier.prix,
        "inscription": {
            "telephone": inscription.telephone,
            "courriel": inscription.courriel,
            "url": inscription.url,
        },
        "places_disponibles": atelier.places_disponibles,
        "accessible_pmr": atelier.accessible_pmr,
        "langues": list(atelier.langues),
        "description": atelier.description,
        "dates": dates,
    }
