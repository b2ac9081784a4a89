"""A place's own calendar: `sync` fetches its iCalendar feed (served on 127.0.0.1 by the test) into
a normalised snapshot, and the build expands the snapshot offline into exactly the expected
occurrences. Hostile feeds (huge, endless recurrence, slow, not a calendar) never block either."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from pathlib import Path

import pytest
from annuaire.domain.ateliers import FUSEAU
from annuaire.domain.model import Lieu
from annuaire.federation.agendas import agenda_du_contenu, synchroniser_agendas
from annuaire.federation.sources import OptionsSync
from test_sync import lancer
from test_sync_hostile import Hostile

AUJOURD_HUI = dt.date(2026, 10, 15)
MAINTENANT = dt.datetime(2026, 10, 15, 6, 0, tzinfo=dt.UTC)


def calendrier(*evenements: str) -> bytes:
    """A VCALENDAR of these VEVENT bodies (CRLF line ends, as RFC 5545 wants)."""
    corps = "".join(f"BEGIN:VEVENT\n{e.strip()}\nDTSTAMP:20261001T000000Z\nEND:VEVENT\n" for e in evenements)
    texte = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//EPN//Agenda//FR\n{corps}END:VCALENDAR\n"
    return texte.replace("\n", "\r\n").encode("utf-8")


HEBDO = """UID:smartphone@epn
SUMMARY:Atelier smartphone
DTSTART;TZID=Europe/Paris:20261006T140000
DTEND;TZID=Europe/Paris:20261006T160000
RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20261110T235959Z
EXDATE;TZID=Europe/Paris:20261020T140000
DESCRIPTION:<p>Apportez <b>votre</b> téléphone</p><script>alert(1)</script>"""
DECALEE = """UID:smartphone@epn
RECURRENCE-ID;TZID=Europe/Paris:20261103T140000
SUMMARY:Atelier smartphone (décalé)
DTSTART;TZID=Europe/Paris:20261103T150000
DTEND;TZID=Europe/Paris:20261103T170000"""
INSTANCE_ANNULEE = """UID:smartphone@epn
RECURRENCE-ID;TZID=Europe/Paris:20261027T140000
SUMMARY:Atelier smartphone
STATUS:CANCELLED
DTSTART;TZID=Europe/Paris:20261027T140000
DTEND;TZID=Europe/Paris:20261027T160000"""
ANNULE = """UID:annule@epn
SUMMARY:Démarches en ligne
STATUS:CANCELLED
DTSTART;TZID=Europe/Paris:20261201T100000
DTEND;TZID=Europe/Paris:20261201T120000"""
PASSE = """UID:passe@epn
SUMMARY:Atelier de septembre
DTSTART;TZID=Europe/Paris:20260901T100000
DTEND;TZID=Europe/Paris:20260901T120000"""
JOURNEE = """UID:journee@epn
SUMMARY:Journée portes ouvertes
DTSTART;VALUE=DATE:20261212
DTEND;VALUE=DATE:20261213"""
SERIE_ANNULEE = """UID:serie-annulee@epn
SUMMARY:Atelier supprimé
STATUS:CANCELLED
DTSTART;TZID=Europe/Paris:20261007T100000
DTEND;TZID=Europe/Paris:20261007T110000
RRULE:FREQ=WEEKLY"""
UTC = """UID:utc@epn
SUMMARY:Atelier courriel
DTSTART:20261115T130000Z
DTEND:20261115T150000Z"""
EN_PLUS = """UID:en-plus@epn
SUMMARY:Stage tablette
DTSTART;TZID=Europe/Paris:20261001T100000
DTEND;TZID=Europe/Paris:20261001T120000
RDATE;TZID=Europe/Paris:20261022T100000,20261105T100000"""
SANS_FIN = """UID:secondes@epn
SUMMARY:Toutes les secondes
DTSTART;TZID=Europe/Paris:20261016T100000
RRULE:FREQ=SECONDLY"""
IMPOSSIBLE = """UID:impossible@epn
SUMMARY:Le 30 février
DTSTART;TZID=Europe/Paris:20261016T100000
RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"""

FLUX = calendrier(HEBDO, DECALEE, INSTANCE_ANNULEE, ANNULE, PASSE, JOURNEE, SERIE_ANNULEE, UTC, EN_PLUS)
ATTENDUES = [  # (start, end, title, cancelled)
    # A one-off workshop begun before today, kept for its extra dates (RDATE), one before the change
    # of time and one after it.
    ("2026-10-22T10:00:00+02:00", "2026-10-22T12:00:00+02:00", "Stage tablette", False),
    ("2026-10-27T14:00:00+01:00", "2026-10-27T16:00:00+01:00", "Atelier smartphone", True),  # after 25 Oct
    ("2026-11-03T15:00:00+01:00", "2026-11-03T17:00:00+01:00", "Atelier smartphone (décalé)", False),
    ("2026-11-05T10:00:00+01:00", "2026-11-05T12:00:00+01:00", "Stage tablette", False),
    ("2026-11-10T14:00:00+01:00", "2026-11-10T16:00:00+01:00", "Atelier smartphone", False),
    ("2026-11-15T14:00:00+01:00", "2026-11-15T16:00:00+01:00", "Atelier courriel", False),
    ("2026-12-01T10:00:00+01:00", "2026-12-01T12:00:00+01:00", "Démarches en ligne", True),
    ("2026-12-12T00:00:00+01:00", "2026-12-13T00:00:00+01:00", "Journée portes ouvertes", False),
]


class Agendas(Hostile):
    """Routes: the good feed (with an ETag), hostile ones, and a slow one (the hostile sources'
    server's way of answering)."""

    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.journal.append((self.path, dict(self.headers)))
        if self.path == "/agenda.ics":
            if self.headers.get("If-None-Match") == '"v1"':
                return self._repondre(304)
            return self._repondre(200, FLUX, ETag='"v1"', Content_Type="text/calendar")
        if self.path == "/lent.ics":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(200):  # one byte every 0.2 s: never a socket timeout, the total deadline
                if self.server.arret.wait(0.2):
                    return
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
        reponses = {
            "/enorme.ics": calendrier(HEBDO) + b" " * 300_000,
            "/sans-fin.ics": calendrier(SANS_FIN, IMPOSSIBLE, JOURNEE),
            "/pas-un-agenda.ics": b"<html><body>Maintenance</body></html>",
        }
        if self.path in reponses:
            return self._repondre(200, reponses[self.path])
        return self._repondre(404, b"absent")


@pytest.fixture
def serveur():
    """The feeds' server on 127.0.0.1 (random port), stopped and closed after the test."""
    serveur = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Agendas)
    serveur.journal, serveur.arret, serveur.daemon_threads = [], threading.Event(), True
    fil = threading.Thread(target=serveur.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    fil.start()
    yield f"http://127.0.0.1:{serveur.server_address[1]}", serveur
    serveur.arret.set()
    serveur.shutdown()
    serveur.server_close()


def lieu(url: str, slug: str = "epn-montreynaud") -> Lieu:
    """A place whose `agenda` is `url`."""
    return Lieu(slug=slug, nom="EPN", code_postal="42000", agenda=url, chemin=f"content/lieux/{slug}.md")


def options(racine: Path, **autres) -> OptionsSync:
    """Sync options for tests: small limits, a fixed clock."""
    valeurs = {
        "dossier": racine / "content" / "sources",
        "delai": 0.5,
        "taille_max": 200_000,
        "aujourd_hui": AUJOURD_HUI,
        "maintenant": MAINTENANT,
    }
    return OptionsSync(**{**valeurs, **autres})


def instantane(racine: Path, slug: str = "epn-montreynaud") -> Path:
    return racine / "content" / "sources" / "agendas" / f"{slug}.ics"


def test_sync_puis_agenda_exact(serveur, tmp_path):
    base, _ = serveur
    places = [lieu(f"{base}/agenda.ics")]
    (resultat,) = synchroniser_agendas(places, options(tmp_path))
    assert resultat.etat == "mis à jour", resultat.message
    agenda, problemes = agenda_du_contenu(tmp_path / "content", tmp_path, places, AUJOURD_HUI)
    assert problemes == []
    obtenues = [
        (o.debut.isoformat(), o.fin.isoformat(), o.atelier.titre, o.annulee) for o in agenda.occurrences
    ]
    assert obtenues == ATTENDUES
    assert all(o.debut.tzinfo == FUSEAU for o in agenda.occurrences)
    journee = agenda.occurrences[-1]
    assert journee.atelier.journee_entiere and journee.jour == dt.date(2026, 12, 12)
    (smartphone,) = [a for a in agenda.ateliers if a.titre == "Atelier smartphone"]
    assert "<b>votre</b>" in smartphone.description and "script" not in smartphone.description
    assert smartphone.identifiant.startswith("epn-montreynaud-") and smartphone.lieu == "epn-montreynaud"
    assert len(agenda.du_lieu("epn-montreynaud")) == len(ATTENDUES)
    # The last day shown is the horizon's: nothing after it.
    assert agenda.debut == AUJOURD_HUI and agenda.fin == AUJOURD_HUI + dt.timedelta(days=92)


def test_instantane_normalise_et_requete_conditionnelle(serveur, tmp_path):
    base, http_serveur = serveur
    places = [lieu(f"{base}/agenda.ics")]
    synchroniser_agendas(places, options(tmp_path))
    texte = instantane(tmp_path).read_text(encoding="utf-8")
    assert "DTSTAMP" not in texte and "script" not in texte and "passe@epn" not in texte
    assert "serie-annulee@epn" not in texte and "BEGIN:VTIMEZONE" in texte
    (resultat,) = synchroniser_agendas(places, options(tmp_path))
    assert resultat.etat == "inchangé" and "304" in resultat.message
    assert http_serveur.journal[-1][1].get("If-None-Match") == '"v1"'
    assert instantane(tmp_path).read_text(encoding="utf-8") == texte


def test_passe_absent_au_jour_suivant(serveur, tmp_path):
    base, _ = serveur
    places = [lieu(f"{base}/agenda.ics")]
    synchroniser_agendas(places, options(tmp_path))
    agenda, _ = agenda_du_contenu(tmp_path / "content", tmp_path, places, dt.date(2026, 11, 11))
    assert [o.debut.date().isoformat() for o in agenda.occurrences] == [
        "2026-11-15",
        "2026-12-01",
        "2026-12-12",
    ]


def test_un_lieu_sans_agenda_n_est_pas_lu(serveur, tmp_path):
    base, _ = serveur
    synchroniser_agendas([lieu(f"{base}/agenda.ics")], options(tmp_path))
    agenda, _ = agenda_du_contenu(tmp_path / "content", tmp_path, [lieu("")], AUJOURD_HUI)
    assert agenda.occurrences == ()


@pytest.mark.parametrize(
    ("chemin", "motif"),
    [
        ("/enorme.ics", "réponse trop grosse"),
        ("/lent.ics", "délai"),  # the watchdog's words or the read loop's, whichever sees the deadline
        ("/pas-un-agenda.ics", "agenda illisible"),
        ("/absent.ics", "HTTP 404"),
    ],
)
def test_flux_hostiles_gardent_le_dernier_instantane(serveur, tmp_path, chemin, motif):
    base, _ = serveur
    synchroniser_agendas([lieu(f"{base}/agenda.ics")], options(tmp_path))
    avant = instantane(tmp_path).read_bytes()
    debut = time.monotonic()
    (resultat,) = synchroniser_agendas([lieu(f"{base}{chemin}")], options(tmp_path, delai=0.3))
    assert time.monotonic() - debut < 6
    assert resultat.etat == "échec" and motif in resultat.message, resultat.message
    assert "l'instantané précédent est conservé" in resultat.message
    assert instantane(tmp_path).read_bytes() == avant


def test_recurrence_sans_fin_ecartee(serveur, tmp_path):
    base, _ = serveur
    places = [lieu(f"{base}/sans-fin.ics")]
    debut = time.monotonic()
    (resultat,) = synchroniser_agendas(places, options(tmp_path))
    assert resultat.etat == "mis à jour" and "1 ateliers retenus sur 3" in resultat.message
    assert any("FREQ vaut DAILY" in p.message for p in resultat.ecartes)
    assert any("aucun de ces jours" in p.message for p in resultat.ecartes)
    agenda, _ = agenda_du_contenu(tmp_path / "content", tmp_path, places, AUJOURD_HUI)
    assert [o.atelier.titre for o in agenda.occurrences] == ["Journée portes ouvertes"]
    assert time.monotonic() - debut < 3


def test_instantane_modifie_a_la_main_reste_borne(tmp_path):
    """A snapshot is reviewed in pull requests, so hostile too: the build checks it again."""
    chemin = instantane(tmp_path)
    chemin.parent.mkdir(parents=True)
    dates = ",".join(f"202611{j:02d}T130000Z" for j in range(1, 31))
    rdate = UTC.replace("utc@epn", "rdate@epn") + "\nRDATE:20261116T130000Z,20261117T130000Z"
    trop = UTC.replace("utc@epn", "trop@epn") + "".join(f"\nRDATE:{dates}" for _ in range(4))  # 120
    chemin.write_bytes(calendrier(SANS_FIN, JOURNEE, rdate, trop))
    debut = time.monotonic()
    agenda, problemes = agenda_du_contenu(
        tmp_path / "content", tmp_path, [lieu("https://x.fr/a.ics")], AUJOURD_HUI
    )
    assert [o.debut.date().isoformat() for o in agenda.occurrences] == [
        "2026-11-15",  # the "rdate" event's own start, then its two extra dates
        "2026-11-16",
        "2026-11-17",
        "2026-12-12",
    ]
    assert time.monotonic() - debut < 2
    chemin.write_bytes(b"\x00\x01 pas un agenda")
    agenda, problemes = agenda_du_contenu(
        tmp_path / "content", tmp_path, [lieu("https://x.fr/a.ics")], AUJOURD_HUI
    )
    assert agenda.occurrences == () and "instantané illisible" in str(problemes[0])


def test_duree_totale_des_agendas(serveur, tmp_path):
    base, _ = serveur
    places = [lieu(f"{base}/lent.ics", f"lieu-{i}") for i in range(3)]
    debut = time.monotonic()
    resultats = synchroniser_agendas(places, options(tmp_path, delai=0.2), duree_max=0.5)
    assert time.monotonic() - debut < 5
    assert "durée totale de la synchronisation dépassée" in resultats[-1].message


def test_commande_sync_releve_les_agendas(serveur, tmp_path, capsys):
    base, _ = serveur
    (tmp_path / "content" / "lieux").mkdir(parents=True)
    fiche = tmp_path / "content" / "lieux" / "epn-montreynaud.yaml"
    fiche.write_text(f"nom: EPN\nagenda: {base}/agenda.ics\n", encoding="utf-8")
    (tmp_path / "content" / "lieux" / "lent.yaml").write_text(f"nom: L\nagenda: {base}/pas-un-agenda.ics\n")
    reglages = tmp_path / "pelicanconf.py"
    reglages.write_text("ANNUAIRE_SOURCES = []\n", encoding="utf-8")
    statut = lancer("sync", "--settings", str(reglages), "--dossier", str(tmp_path / "content" / "sources"))
    sortie = capsys.readouterr()
    assert statut == 0 and "Traceback" not in sortie.err
    assert "agenda epn-montreynaud : mis à jour : " in sortie.out  # the day is today: fewer kept
    assert "agenda lent : échec : agenda illisible" in sortie.err
    assert "agendas : 2 agendas de lieux, 1 en échec" in sortie.out
    assert instantane(tmp_path).is_file()


def test_avec_les_caches_du_build_un_instantane_n_est_jamais_perime(tmp_path, monkeypatch):
    """The build keeps what each snapshot gave (its workshops and occurrences) between builds: an
    unchanged snapshot is not parsed again, a changed one, a removed one or another day are never
    served from the cache."""
    from annuaire.build.entrees import EntreesEnCache
    from annuaire.build.memo import EmpreintesLieux, MemoCalculs
    from annuaire.directory import Calculs, construire_annuaire
    from annuaire.federation import agendas
    from annuaire.federation.agendas import normaliser

    fiche = tmp_path / "content" / "lieux" / "epn-montreynaud.yaml"
    fiche.parent.mkdir(parents=True)
    fiche.write_text(
        "nom: EPN\nadresse: 1 rue de la Paix\ncode_postal: '42000'\ncommune: Saint-Étienne\n"
        "date_maj: 2026-10-01\nagenda: https://epn.fr/agenda.ics\n",
        encoding="utf-8",
    )
    chemin = instantane(tmp_path)
    chemin.parent.mkdir(parents=True)
    chemin.write_text(normaliser(FLUX, AUJOURD_HUI)[0], encoding="utf-8")
    lus = []

    def compter(octets: bytes, taille_max: int):
        lus.append(octets)
        return lire_calendrier(octets, taille_max)

    lire_calendrier = agendas.lire_calendrier
    monkeypatch.setattr(agendas, "lire_calendrier", compter)

    def titres(jour=AUJOURD_HUI) -> list[tuple[str, str]]:
        empreintes = EmpreintesLieux()
        memo = MemoCalculs(tmp_path / "cache", empreintes)
        calculs = Calculs(EntreesEnCache(tmp_path / "cache", empreintes), memo)
        annuaire = construire_annuaire(tmp_path / "content", tmp_path, jour, calculs)
        memo.enregistrer()
        return [(o.debut.date().isoformat(), o.atelier.titre) for o in annuaire.agenda.occurrences]

    attendus = [(debut[:10], titre) for debut, _, titre, _ in ATTENDUES]
    assert titres() == attendus and len(lus) == 1
    assert titres() == attendus and len(lus) == 1  # from the cache: not parsed again
    chemin.write_text(chemin.read_text(encoding="utf-8").replace("Atelier courriel", "Courriel"))
    assert ("2026-11-15", "Courriel") in titres() and len(lus) == 2
    assert titres(dt.date(2026, 11, 11)) == [  # another day: the horizon moves, the past goes
        ("2026-11-15", "Courriel"),
        ("2026-12-01", "Démarches en ligne"),
        ("2026-12-12", "Journée portes ouvertes"),
    ]
    chemin.write_bytes(b"pas un agenda")
    assert titres() == [] and len(lus) == 4
    chemin.unlink()
    assert titres() == []
