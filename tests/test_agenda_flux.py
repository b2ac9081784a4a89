"""The agenda's feeds out: iCalendar (whole directory, each place, commune, network and workshop)
and the workshops in the JSON export.

Each feed is read back by two libraries: `icalendar` (which wrote it) and `ical` (another, strict
RFC 5545 reader, built on pydantic models); properties are checked by hand too: UID, DTSTAMP and
DTSTART on every VEVENT, CRLF line ends, lines folded at 75 octets, the Europe/Paris VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
from agenda_exemples import HOSTILE, JOUR, SMARTPHONE, agenda_exemple, avec_agenda, heure
from annuaire.domain.ateliers import FUSEAU, Occurrence
from annuaire.outputs.agenda_ical import calendrier
from conftest import RACINE, construire_site_test
from ical.calendar_stream import IcsCalendarStream

CONTENU = RACINE / "tests" / "site" / "content"
FLUX = [
    "agenda.ics",
    "lieux/espace-test/agenda.ics",
    "lieux/mediatheque-exemple/agenda.ics",
    "lieux/atelier-hostile/agenda.ics",
    "communes/saint-etienne-42/agenda.ics",
    "ateliers/smartphone-espace-test/agenda.ics",
    "ateliers/portes-ouvertes/agenda.ics",
]
# Feeds that would hold the same dates as a place's: not written, their links lead to the place's.
MEMES_DATES = {
    "communes/nancy-54/agenda.ics": "lieux/mediatheque-exemple/agenda.ics",
    "reseaux/reseau-test/agenda.ics": "lieux/espace-test/agenda.ics",
    "ateliers/impots-nancy/agenda.ics": "lieux/mediatheque-exemple/agenda.ics",
    "ateliers/piege/agenda.ics": "lieux/atelier-hostile/agenda.ics",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The test site with the example agenda."""
    sortie = tmp_path_factory.mktemp("flux") / "output"
    with pytest.MonkeyPatch.context() as patch:
        avec_agenda(patch)
        assert construire_site_test(CONTENU, sortie) == 0
    return sortie


def attendues(garder=lambda o: True) -> set[str]:
    """The UIDs a feed must hold: the example's occurrences from the build's day, of known places."""
    return {
        o.uid
        for o in agenda_exemple().occurrences
        if o.jour >= JOUR and o.atelier.lieu != "lieu-qui-n-existe-pas" and garder(o)
    }


def evenements(octets: bytes) -> list:
    """The VEVENTs of a feed, read by icalendar."""
    return list(icalendar.Calendar.from_ical(octets).walk("VEVENT"))


@pytest.mark.parametrize("chemin", FLUX)
def test_flux_valides(site, chemin):
    octets = (site / chemin).read_bytes()
    calendrier_lu = icalendar.Calendar.from_ical(octets)
    assert calendrier_lu["VERSION"] == "2.0" and calendrier_lu["PRODID"].startswith("-//")
    zones = list(calendrier_lu.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/Paris"]
    assert {c.name for c in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    for event in calendrier_lu.walk("VEVENT"):
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL", "STATUS"} <= set(event)
        assert event.decoded("DTSTAMP") == dt.datetime(2024, 1, 15, tzinfo=dt.UTC)  # the build's day
    strict = IcsCalendarStream.calendar_from_ics(octets.decode("utf-8"))  # raises on invalid RFC 5545
    assert len(strict.events) == len(list(calendrier_lu.walk("VEVENT"))) > 0
    lignes = octets.split(b"\r\n")
    assert lignes[-1] == b"" and all(b"\n" not in ligne for ligne in lignes)  # CRLF only
    assert max(len(ligne) for ligne in lignes) <= 75  # folded at 75 octets


def test_flux_de_l_annuaire(site):
    lus = evenements((site / "agenda.ics").read_bytes())
    assert {str(e["UID"]) for e in lus} == attendues(lambda o: o.jour < JOUR + dt.timedelta(days=31))
    assert len(lus) == len(attendues()) - 1  # 17 February is beyond its month
    par_uid = {str(e["UID"]): e for e in lus}
    annule = par_uid["smartphone-espace-test-20240203T1400@annuaire-mediation-numerique"]
    assert annule["STATUS"] == "CANCELLED"
    samedi = par_uid["smartphone-espace-test-20240120T1400@annuaire-mediation-numerique"]
    assert samedi["STATUS"] == "CONFIRMED" and str(samedi["SUMMARY"]) == SMARTPHONE.titre
    assert samedi.decoded("DTSTART") == heure("2024-01-20", "14:00")
    assert samedi["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(samedi["URL"]) == "http://localhost:8000/ateliers/smartphone-espace-test/"
    assert str(samedi["LOCATION"]).startswith("Espace numérique d'essai, ")
    description = str(samedi["DESCRIPTION"])
    assert (
        "<" not in description and "Apprendre à téléphoner" in description and "04 77 12 34 56" in description
    )
    journee = par_uid["portes-ouvertes-20240124T0000@annuaire-mediation-numerique"]
    assert journee.decoded("DTSTART") == dt.date(2024, 1, 24) and journee.decoded("DTEND") == dt.date(
        2024, 1, 25
    )
    assert str(par_uid["piege-20240117T1800@annuaire-mediation-numerique"]["SUMMARY"]) == HOSTILE


@pytest.mark.parametrize(
    ("chemin", "garder"),
    [
        ("lieux/espace-test/agenda.ics", lambda o: o.atelier.lieu == "espace-test"),
        ("lieux/mediatheque-exemple/agenda.ics", lambda o: o.atelier.lieu == "mediatheque-exemple"),
        ("communes/saint-etienne-42/agenda.ics", lambda o: o.atelier.lieu != "mediatheque-exemple"),
        ("ateliers/portes-ouvertes/agenda.ics", lambda o: o.atelier.identifiant == "portes-ouvertes"),
    ],
)
def test_flux_par_lieu_commune_reseau(site, chemin, garder):
    assert {str(e["UID"]) for e in evenements((site / chemin).read_bytes())} == attendues(garder)


def test_memes_dates_un_seul_fichier(site):
    for chemin, lieu in MEMES_DATES.items():
        assert not (site / chemin).exists() and (site / lieu).is_file()
    commune = (site / "agenda/nancy-54/index.html").read_text(encoding="utf-8")
    assert 'href="/lieux/mediatheque-exemple/agenda.ics"' in commune
    atelier = (site / "ateliers/piege/index.html").read_text(encoding="utf-8")
    assert 'href="/lieux/atelier-hostile/agenda.ics"' in atelier
    reseau = (site / "reseaux/reseau-test/index.html").read_text(encoding="utf-8")
    assert 'href="/lieux/espace-test/agenda.ics"' in reseau


def test_uid_stables_et_octets_identiques():
    occurrences = tuple((o, "Lieu") for o in agenda_exemple().occurrences[:3])
    premier = calendrier(occurrences, "Essai", "https://exemple.org", JOUR)
    assert premier == calendrier(occurrences, "Essai", "https://exemple.org", JOUR)  # deterministic
    assert "DTSTAMP:20240115T000000Z" in premier


def test_changement_d_heure_et_texte_hostile():
    # An occurrence after the switch to summer time (31 March 2024) keeps its local hour, and a
    # title with line breaks cannot open a second event.
    piege = "Titre\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:pirate"
    atelier = type(SMARTPHONE)(**{**SMARTPHONE.__dict__, "titre": piege})
    ete = Occurrence(heure("2024-04-06", "14:00"), heure("2024-04-06", "16:00"), atelier)
    texte = calendrier(((ete, "Lieu"),), "Essai", "https://exemple.org", JOUR)
    lus = evenements(texte.encode())
    assert len(lus) == 1 and str(lus[0]["SUMMARY"]) == piege.replace("\r\n", "\n")
    debut = lus[0].decoded("DTSTART")
    assert debut.utcoffset() == dt.timedelta(hours=2) and debut.astimezone(FUSEAU).hour == 14
    assert len(IcsCalendarStream.calendar_from_ics(texte).events) == 1


def test_ateliers_dans_l_export_json(site):
    donnees = json.loads((site / "donnees/ateliers.json").read_text(encoding="utf-8"))
    assert donnees["version"] == 1
    par_id = {a["identifiant"]: a for a in donnees["ateliers"]}
    assert set(par_id) == {"smartphone-espace-test", "impots-nancy", "portes-ouvertes", "piege"}
    smartphone = par_id["smartphone-espace-test"]
    assert smartphone["lieu"] == "espace-test" and smartphone["url"].endswith(
        "/ateliers/smartphone-espace-test/"
    )
    assert smartphone["themes"] == ["Maîtrise des outils numériques du quotidien"]  # the standard's values
    assert [d["debut"] for d in smartphone["dates"]][:2] == [
        "2024-01-20T14:00:00+01:00",
        "2024-01-27T14:00:00+01:00",
    ]
    assert [d["annulee"] for d in smartphone["dates"]].count(True) == 1
    assert par_id["impots-nancy"]["gratuit"] is False and par_id["impots-nancy"]["prix"] == "5 €"


@pytest.mark.parametrize("texte", ["é" * 100, "a" + "€" * 60, "x" * 200, "ab" * 37 + "é", "court"])
def test_lignes_pliees_a_75_octets(texte):
    from annuaire.outputs.agenda_ical import plier

    ligne = f"SUMMARY:{texte}"
    pliee = plier(ligne)
    assert all(len(morceau.encode("utf-8")) <= 75 for morceau in pliee.split("\r\n"))
    assert pliee.replace("\r\n ", "") == ligne  # unfolding gives the line back


def test_texte_echappe():
    from annuaire.outputs.agenda_ical import texte_ical

    assert texte_ical("a,b;c\\d\ne\r\nf\x00g\x1b") == "a\\,b\\;c\\\\d\\ne\\nfg"
