"""The workshops out: iCalendar feeds (RFC 5545; the time zone written by the `icalendar` library)
and the JSON export.

Plain Python. A feed is a pure function of its occurrences, its name, the site's public address
and the build's day: DTSTAMP is that day (midnight UTC), never "now", so that the same agenda
gives the same bytes. UIDs are the occurrences' own (`Occurrence.uid`: same workshop, same start,
same UID), so calendars that subscribed update an event instead of adding a copy.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re

import icalendar

from annuaire.domain import routes
from annuaire.domain.ateliers import FUSEAU, Atelier, Occurrence
from annuaire.domain.texte import texte_brut

PRODID = "-//Annuaire de la médiation numérique//Ateliers//FR"
DESCRIPTION_MAX = 2000  # characters of plain text in a feed's DESCRIPTION
VERSION_JSON = 1


def calendrier(elements: tuple[tuple[Occurrence, str], ...], nom: str, base: str, jour: dt.date) -> str:
    """A VCALENDAR of `elements` ((occurrence, its LOCATION text), in order), in Europe/Paris with
    its VTIMEZONE first; CRLF lines folded at 75 octets. `base`: the site's public address."""
    tampon = f"{jour:%Y%m%d}T000000Z"
    entete = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{texte_ical(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{texte_ical(nom)}",
        f"X-WR-TIMEZONE:{FUSEAU}",
    ]
    lignes = [plier(ligne) for ligne in entete]
    lignes.append(fuseau_ical(jour.year))
    lignes += [evenement(occurrence, lieu, base, tampon) for occurrence, lieu in elements]
    lignes.append("END:VCALENDAR\r\n")
    return "\r\n".join(lignes[:-1]) + "\r\n" + lignes[-1]


@functools.lru_cache(maxsize=4)
def fuseau_ical(annee: int) -> str:
    """The Europe/Paris VTIMEZONE (written by `icalendar` from the zone database) from the build's
    year to the end of the next one (the agenda's horizon is three months), without its last CRLF."""
    zone = icalendar.Timezone.from_tzid(
        str(FUSEAU), first_date=dt.date(annee, 1, 1), last_date=dt.date(annee + 1, 12, 31)
    )
    return zone.to_ical().decode("utf-8").removesuffix("\r\n")


def evenement(occurrence: Occurrence, lieu: str, base: str, tampon: str) -> str:
    """One occurrence as a VEVENT's folded lines, without the last CRLF (`lieu`: its LOCATION).

    Written here rather than with icalendar.Event: the library took 1 to 2 ms an event (its
    property machinery and line folding), a national agenda puts 60,000 dates in five feeds each;
    this takes a few microseconds. Both icalendar and ical read every feed back in the tests."""
    atelier = occurrence.atelier
    if atelier.journee_entiere:
        debut = occurrence.debut.astimezone(FUSEAU).date()
        fin = max(occurrence.fin.astimezone(FUSEAU).date(), debut + dt.timedelta(days=1))
        dates = [f"DTSTART;VALUE=DATE:{debut:%Y%m%d}", f"DTEND;VALUE=DATE:{fin:%Y%m%d}"]
    else:
        debut, fin = occurrence.debut.astimezone(FUSEAU), occurrence.fin.astimezone(FUSEAU)
        dates = [f"DTSTART;TZID={FUSEAU}:{debut:%Y%m%dT%H%M%S}", f"DTEND;TZID={FUSEAU}:{fin:%Y%m%dT%H%M%S}"]
    lignes = [
        "BEGIN:VEVENT",
        f"UID:{texte_ical(occurrence.uid)}",
        f"DTSTAMP:{tampon}",
        *dates,
        f"SUMMARY:{texte_ical(atelier.titre)}",
        f"STATUS:{'CANCELLED' if occurrence.annulee else 'CONFIRMED'}",
        f"URL:{base}/{_url(atelier.identifiant)}",
        f"LOCATION:{texte_ical(lieu)}",
        f"DESCRIPTION:{_description(atelier)}",
        "END:VEVENT",
    ]
    return "\r\n".join(plier(ligne) for ligne in lignes)


# A workshop's dates share its description and URL (up to 13 dates, in five feeds each): each is
# made once per process. Pure functions of their argument's value, so memoised by it.
@functools.lru_cache(maxsize=1 << 16)
def _description(atelier: Atelier) -> str:
    return texte_ical(description_texte(atelier))


@functools.lru_cache(maxsize=1 << 16)
def _url(identifiant: str) -> str:
    return routes.atelier(identifiant)


_CONTROLES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def texte_ical(texte: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and line breaks escaped, other control
    characters dropped (a hostile title cannot end its line and start a property)."""
    propre = texte.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROLES.search(propre):
        propre = _CONTROLES.sub("", propre)
    # Chained replace() calls: str.translate with a mapping is many times slower.
    return propre.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def plier(ligne: str) -> str:
    """An RFC 5545 content line folded at 75 octets (CRLF and a space), never inside a UTF-8
    character. Most lines are short: they are returned as they are."""
    if len(ligne) <= 75 and ligne.isascii():
        return ligne
    octets = ligne.encode("utf-8")
    if len(octets) <= 75:
        return ligne
    morceaux, debut, largeur = [], 0, 75  # continuation lines start with a space: 74 octets
    while len(octets) - debut > largeur:
        fin = debut + largeur
        while octets[fin] & 0xC0 == 0x80:  # never cut inside a character
            fin -= 1
        morceaux.append(octets[debut:fin].decode("utf-8"))
        debut, largeur = fin, 74
    morceaux.append(octets[debut:].decode("utf-8"))
    return "\r\n ".join(morceaux)


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
