"""Open Referral HSDS 3.0 (Human Services Data Specification): organizations, locations, services,
schedules, so that directories outside France can read ours.

One organization and one physical location per place of the national export, one service per value
of its `services`, and the place's opening hours as weekly schedules (iCalendar-like `byday`,
`opens_at`, `closes_at`, Paris wall-clock time) when they repeat every week; otherwise one schedule
holding the OpenStreetMap value in `description`. HSDS wants UUIDs: they are derived (UUID 5) from
the record's id, so they stay the same from one build to the next.

Plain data in, plain data out (no Pelican, no cache): each record's lines are worked out on their
own (`lignes_record`, `lignes_horaires`), so that a build can keep them for unchanged places.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from typing import NamedTuple

from annuaire.domain import horaires as horaires_osm
from annuaire.domain.formats import json_sur
from annuaire.domain.vocabulaire import LANGUES, SERVICES
from annuaire.outputs.ecriture import ecrire_atomique

DOSSIER = "hsds"
NOMS = ("organizations.json", "locations.json", "services.json", "schedules.json")
ESPACE = uuid.UUID("6f1c3f0e-5d8e-5b1a-9d63-5f0a4f0c2a10")  # our UUID 5 namespace (fixed once)
JOURS_ICAL = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Reference weeks without French public holidays, in winter, spring and autumn: hours that give the
# same open ranges on all three repeat every week (DST changes nothing to wall-clock ranges).
SEMAINES_REFERENCE = (dt.date(2024, 1, 8), dt.date(2024, 3, 4), dt.date(2024, 10, 7))
NOTE_HEURE = "Heures locales de Paris (Europe/Paris). Valeur OpenStreetMap d'origine : "


def identifiant(*parties: str) -> str:
    """A stable UUID 5 for one of our objects ("lieu-x", "service", "Aide…"): `uuid.uuid5(ESPACE,
    "/".join(parties))`, computed without building UUID objects (tens of thousands per build)."""
    octets = bytearray(hashlib.sha1(ESPACE.bytes + "/".join(parties).encode("utf-8")).digest()[:16])
    octets[6], octets[8] = (octets[6] & 0x0F) | 0x50, (octets[8] & 0x3F) | 0x80  # version 5, RFC 4122
    x = octets.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


class Ids(NamedTuple):
    """The UUIDs a place's objects point to, computed once per place."""

    organisation: str
    lieu: str


def ids_de(record: dict) -> Ids:
    """The organization and location UUIDs of a record."""
    return Ids(identifiant(record["id"], "organization"), identifiant(record["id"], "location"))


def _liste(valeur: object) -> list[str]:
    """A multi-valued field of a national JSON record ("a|b") as a list."""
    return [v for v in str(valeur or "").split("|") if v]


def _sans_vides(objet: dict) -> dict:
    """HSDS has no null: empty fields are left out."""
    return {k: v for k, v in objet.items() if v not in (None, "", [])}


def organisation(record: dict, lien: str | None, ids: Ids | None = None) -> dict:
    """The organization that runs a place (the place itself: the standard has no other)."""
    oid = (ids or ids_de(record)).organisation
    pivot = str(record.get("pivot", ""))
    identifiants = (
        []
        if set(pivot) <= {"0"}
        else [
            {
                "id": identifiant(record["id"], "siret"),
                "organization_id": oid,
                "identifier_scheme": "FR-SIRET" if len(pivot) == 14 else "FR-RNA",
                "identifier_type": "SIRET" if len(pivot) == 14 else "RNA",
                "identifier": pivot,
            }
        ]
    )
    return _sans_vides(
        {
            "id": oid,
            "name": record["nom"],
            "description": record.get("presentation_resume")
            or record.get("presentation_detail")
            or record["nom"],
            "email": (_liste(record.get("courriels")) or [None])[0],
            "website": (_liste(record.get("site_web")) or [None])[0],
            "uri": lien,
            "organization_identifiers": identifiants,
        }
    )


def _adresse(record: dict, lid: str) -> dict:
    """The place's postal address (département code as state_province, country FR)."""
    insee = str(record.get("code_insee") or record.get("code_postal") or "")
    departement = insee[:3] if insee.startswith("97") else insee[:2]
    return _sans_vides(
        {
            "id": identifiant(record["id"], "address"),
            "location_id": lid,
            "address_1": record["adresse"],
            "address_2": record.get("complement_adresse"),
            "city": record["commune"],
            "state_province": departement,
            "postal_code": record["code_postal"],
            "country": "FR",
            "address_type": "physical",
        }
    )


def lieu(record: dict, lien: str | None, ids: Ids | None = None) -> dict:
    """The physical location of a place, with its address, phone and languages."""
    ids = ids or ids_de(record)
    lid = ids.lieu
    telephones = (
        [{"id": identifiant(record["id"], "phone"), "location_id": lid, "number": record["telephone"]}]
        if record.get("telephone")
        else []
    )
    langues = [
        {
            "id": identifiant(record["id"], "language", code),
            "location_id": lid,
            "code": code,
            "name": LANGUES[code],
        }
        for code in (record.get("extensions") or {}).get("langues", [])
        if code in LANGUES
    ]
    return _sans_vides(
        {
            "id": lid,
            "location_type": "physical",
            "organization_id": ids.organisation,
            "name": record["nom"],
            "description": record.get("presentation_detail"),
            "latitude": record.get("latitude"),
            "longitude": record.get("longitude"),
            "url": record.get("fiche_acces_libre"),
            "external_identifier": record["id"],
            "external_identifier_type": "identifiant du standard des lieux de médiation numérique",
            "addresses": [_adresse(record, lid)],
            "phones": telephones,
            "languages": langues,
        }
    )


def _statut(record: dict) -> str:
    """HSDS status from our `statut` extension."""
    statut = (record.get("extensions") or {}).get("statut", "ouvert")
    return {"ferme_temporairement": "temporarily closed", "ferme_definitivement": "defunct"}.get(
        statut, "active"
    )


def service(record: dict, nom: str, ids: Ids | None = None) -> dict:
    """One standard service offered at a place."""
    ids = ids or ids_de(record)
    sid = identifiant(record["id"], "service", nom)
    publics = _liste(record.get("publics_specifiquement_adresses")) + _liste(
        record.get("prise_en_charge_specifique")
    )
    return _sans_vides(
        {
            "id": sid,
            "organization_id": ids.organisation,
            "name": nom,
            "description": record.get("presentation_resume") or nom,
            "status": _statut(record),
            "email": (_liste(record.get("courriels")) or [None])[0],
            "url": record.get("prise_rdv"),
            "fees_description": ", ".join(_liste(record.get("frais_a_charge"))),
            "eligibility_description": ", ".join(publics),
            "application_process": ", ".join(_liste(record.get("modalites_acces"))),
            "last_modified": f"{record['date_maj']}T00:00:00Z",
            "service_at_locations": [
                {
                    "id": identifiant(record["id"], "service_at_location", nom),
                    "service_id": sid,
                    "location_id": ids.lieu,
                }
            ],
        }
    )


def _heure(minutes: int) -> str:
    """Minutes since midnight as HH:MM (24:00 for the end of the day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def plages_hebdomadaires(texte: str) -> dict[tuple[int, int], list[int]] | None:
    """{(opens, closes) in minutes: [weekdays]} when the hours repeat every week, else None.

    Evaluated by our own parser (horaires.py) on three reference weeks without public holidays."""
    semaines = []
    for lundi in SEMAINES_REFERENCE:
        badge = horaires_osm.donnees_badge(texte, lundi, 7)
        if "debut" not in badge or badge.get("inconnu"):
            return None
        semaines.append(
            [
                (a - badge["debut"] // 60, b - badge["debut"] // 60)
                for a, b in horaires_osm.plages_ouvertes(badge)
            ]
        )
    if any(s != semaines[0] for s in semaines[1:]):
        return None
    return _par_plage(semaines[0])


def _par_plage(plages: list[tuple[int, int]]) -> dict[tuple[int, int], list[int]] | None:
    """Group a week's open ranges (minutes from Monday 00:00) by time of day; None when a range
    crosses midnight (HSDS has no overnight schedule)."""
    groupes: dict[tuple[int, int], list[int]] = {}
    for debut, fin in plages:
        jour, ouverture = divmod(debut, 1440)
        fermeture = fin - jour * 1440
        if fermeture > 1440:
            return None
        groupes.setdefault((ouverture, fermeture), []).append(jour)
    return groupes


def horaires_de(rid: str, texte: str, groupes: dict[tuple[int, int], list[int]] | None) -> list[dict]:
    """The schedules of the location of the record `rid` whose hours `texte` have the weekly
    ranges `groupes` (`plages_hebdomadaires`: worked out once per text, many places share one)."""
    lid = identifiant(rid, "location")
    if groupes is None:
        return [
            {
                "id": identifiant(rid, "schedule"),
                "location_id": lid,
                "description": texte,
                "notes": NOTE_HEURE + texte,
            }
        ]
    return [
        {
            "id": identifiant(rid, "schedule", _heure(a), _heure(b)),
            "location_id": lid,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": ",".join(JOURS_ICAL[j] for j in jours),
            "opens_at": _heure(a),
            "closes_at": _heure(b),
            "description": texte,
            "notes": NOTE_HEURE + texte,
        }
        for (a, b), jours in sorted(groupes.items())
    ]


def ligne_json(objet: dict) -> str:
    """One object as a line of our files: compact, safe in HTML."""
    return json_sur(json.dumps(objet, ensure_ascii=False, separators=(",", ":")))


class Lignes(NamedTuple):
    """A record's lines in the tables but the schedules, and what its schedules are made from."""

    organisation: str
    lieu: str
    services: tuple[str, ...]
    id: str
    horaires: str


def lignes_record(record: dict, lien: str | None) -> Lignes:
    """One record of our national JSON as lines of the HSDS tables (its schedules aside: they need
    the weekly ranges of its hours, see `lignes_horaires`)."""
    ids = ids_de(record)
    services = [service(record, s, ids) for s in _liste(record.get("services")) if s in SERVICES]
    return Lignes(
        ligne_json(organisation(record, lien, ids)),
        ligne_json(lieu(record, lien, ids)),
        tuple(map(ligne_json, services)),
        str(record["id"]),
        str(record.get("horaires") or ""),
    )


def lignes_horaires(element: tuple[str, str, dict | None]) -> tuple[str, ...]:
    """The schedule lines of a place from (its id, its hours text, their weekly ranges)."""
    rid, texte, groupes = element
    return tuple(map(ligne_json, horaires_de(rid, texte, groupes))) if texte else ()


def ecrire(dossier: Path, tables: dict[str, list[str]]) -> list[str]:
    """Write hsds/organizations.json, locations.json, services.json and schedules.json from their
    object lines (`NOMS` order); their names."""
    noms = []
    for nom in NOMS:
        ecrire_atomique(dossier / DOSSIER / nom, "[\n" + ",\n".join(tables[nom]) + "\n]\n")
        noms.append(f"{DOSSIER}/{nom}")
    return noms
