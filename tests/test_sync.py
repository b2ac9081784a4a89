"""Sync of federated sources through a real HTTP server on 127.0.0.1, and offline snapshot reading."""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import json
import threading
from pathlib import Path

import pytest
from annuaire.cli.federation import ajouter_commandes
from annuaire.federation.doublons import fusionner
from annuaire.federation.sources import (
    ErreurSource,
    OptionsSync,
    Source,
    lire_snapshots,
    lire_sources,
    synchroniser,
)
from conftest import servir

AUJOURD_HUI = dt.date(2025, 1, 1)
MAINTENANT = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)
TAILLE_MAX = 50_000


def enregistrement(id_: str, nom: str, code_postal: str = "42000", **champs) -> dict:
    """One record in the national standard (JSON form)."""
    services = "Aide aux démarches administratives|Accès internet et matériel informatique"
    valeurs = {
        "id": id_,
        "nom": nom,
        "commune": "Saint-Étienne",
        "code_postal": code_postal,
        "adresse": f"{id_} rue de la Paix",
        "date_maj": "2023-03-01",
        "pivot": "00000000000000",
        "services": services,
    }
    valeurs.update(champs)
    return valeurs


BON = [
    enregistrement("1", "Espace Un", latitude=45.44, longitude=4.39, telephone="04 77 00 00 01"),
    enregistrement("2", "Espace <b>Deux</b>", "42100", conditions_acces="Gratuit : accès libre"),
    enregistrement("3", "Espace Trois", "42100", horaires="lundi matin"),
    enregistrement("4", "Espace lyonnais", "69001", commune="Lyon"),
    enregistrement("5", "Sans adresse", adresse=""),
]
CORPS_BON = json.dumps(BON, ensure_ascii=False).encode("utf-8")
INVALIDES = json.dumps([{"nom": "A"}, {"nom": "B", "commune": "X"}]).encode("utf-8")


class Gestionnaire(http.server.BaseHTTPRequestHandler):
    """Routes of the test server; every request's path and headers go to the server's journal."""

    def log_message(self, *args):  # keep test output clean
        pass

    def _envoyer(self, code: int, corps: bytes, longueur: bool = True, **entetes: str) -> None:
        try:
            self.send_response(code)
            for cle, valeur in entetes.items():
                self.send_header(cle.replace("_", "-"), valeur)
            if longueur:
                self.send_header("Content-Length", str(len(corps)))
            self.end_headers()
            self.wfile.write(corps)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout, size cap): expected

    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.journal.append((self.path, dict(self.headers)))
        if self.path == "/bon.json":
            if self.headers.get("If-None-Match") == '"v1"':
                return self._envoyer(304, b"")
            return self._envoyer(200, CORPS_BON, ETag='"v1"', Content_Type="application/json")
        if self.path == "/lent.json":
            self.server.liberer.wait(10)
            return self._envoyer(200, CORPS_BON)
        reponses = {
            "/erreur.json": (500, b"Internal Server Error", True),
            "/bidon.json": (200, b"<html><body>Maintenance</body></html>", True),
            "/gros.json": (200, b"[" + b" " * (TAILLE_MAX * 2) + b"]", True),
            "/gros-sans-longueur.json": (200, b"[" + b" " * (TAILLE_MAX * 2) + b"]", False),
            "/invalides.json": (200, INVALIDES, True),
            "/vide.json": (200, b"[]", True),
        }
        code, corps, longueur = reponses.get(self.path, (404, b"absent", True))
        return self._envoyer(code, corps, longueur)


@pytest.fixture
def serveur():
    """A test HTTP server on 127.0.0.1 (random port), stopped and closed after the test."""
    serveur = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gestionnaire)
    serveur.journal, serveur.liberer = [], threading.Event()
    fil = threading.Thread(target=serveur.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    fil.start()
    yield f"http://127.0.0.1:{serveur.server_address[1]}", serveur
    serveur.liberer.set()
    serveur.shutdown()
    serveur.server_close()
    fil.join(5)


def options(dossier: Path, **autres) -> OptionsSync:
    """Sync options for tests: small limits, a fixed clock."""
    valeurs = {
        "dossier": dossier,
        "delai": 0.5,
        "taille_max": TAILLE_MAX,
        "aujourd_hui": AUJOURD_HUI,
        "maintenant": MAINTENANT,
    }
    valeurs.update(autres)
    return OptionsSync(**valeurs)


def test_sync_normale_puis_304(serveur, tmp_path):
    base, http_serveur = serveur
    source = Source("bon", url=f"{base}/bon.json", licence="Licence Ouverte 2.0")
    (resultat,) = synchroniser([source], options(tmp_path)).resultats
    assert resultat.etat == "mis à jour" and resultat.lieux == 4
    assert "4 lieux retenus sur 5 lus, 1 écartés" in resultat.message
    assert resultat.ecartes[0].champ == "adresse"
    instantane = (tmp_path / "bon.json").read_bytes()
    meta = json.loads((tmp_path / "bon.meta.json").read_text(encoding="utf-8"))
    assert (meta["etag"], meta["lus"], meta["valides"], meta["ecartes"]) == ('"v1"', 5, 4, 1)
    assert meta["recupere_le"] == "2025-01-01T12:00:00+00:00" and meta["licence"] == "Licence Ouverte 2.0"
    (resultat,) = synchroniser([source], options(tmp_path)).resultats
    assert resultat.etat == "inchangé" and "304" in resultat.message
    assert http_serveur.journal[-1][1].get("If-None-Match") == '"v1"'
    assert (tmp_path / "bon.json").read_bytes() == instantane


def test_instantane_normalise(serveur, tmp_path):
    base, _ = serveur
    synchroniser([Source("bon", url=f"{base}/bon.json")], options(tmp_path))
    enregistrements = json.loads((tmp_path / "bon.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in enregistrements] == ["1", "2", "3", "4"]
    un, deux, trois, _ = enregistrements
    assert un["telephone"] == "+33477000001" and "horaires" not in trois
    assert deux["nom"] == "Espace Deux" and deux["frais_a_charge"] == "Gratuit"  # markup dropped
    assert list(un)[:3] == ["id", "nom", "commune"]  # a pivot of zeros is no pivot


def test_sync_last_modified_avec_un_serveur_de_fichiers(tmp_path):
    publie = tmp_path / "publie"
    publie.mkdir()
    (publie / "lieux.json").write_bytes(CORPS_BON)
    base, http_serveur = servir(publie)
    try:
        source = Source("fichiers", url=f"{base}/lieux.json")
        assert synchroniser([source], options(tmp_path / "sources")).resultats[0].etat == "mis à jour"
        meta = json.loads((tmp_path / "sources" / "fichiers.meta.json").read_text(encoding="utf-8"))
        assert meta["last_modified"]
        (resultat,) = synchroniser([source], options(tmp_path / "sources")).resultats
        assert resultat.etat == "inchangé" and "304" in resultat.message
    finally:
        http_serveur.shutdown()
        http_serveur.server_close()


@pytest.mark.parametrize(
    ("chemin", "attendu"),
    [
        ("/lent.json", "délai dépassé (0.5 s sans réponse)"),
        ("/erreur.json", "le serveur a répondu HTTP 500"),
        ("/bidon.json", "réponse illisible"),
        ("/gros.json", "réponse trop grosse (97 Ko annoncés"),
        ("/gros-sans-longueur.json", "réponse trop grosse (plus de 48 Ko)"),
        ("/invalides.json", "aucun des 2 enregistrements n'est valide"),
        ("/vide.json", "la réponse ne contient aucun enregistrement"),
        ("/absent.json", "HTTP 404"),
    ],
)
def test_echec_garde_le_dernier_bon_instantane(serveur, tmp_path, chemin, attendu):
    base, _ = serveur
    synchroniser([Source("hub", url=f"{base}/bon.json")], options(tmp_path))
    avant = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    (resultat,) = synchroniser(
        [Source("hub", url=f"{base}{chemin}", requis=True)], options(tmp_path)
    ).resultats
    assert resultat.etat == "échec" and resultat.requis
    assert attendu in resultat.message
    assert (
        "l'instantané précédent est conservé (4 lieux, récupéré le 2025-01-01T12:00:00+00:00)"
        in resultat.message
    )
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == avant
    lieux, _rapport = fusionner([], lire_snapshots(tmp_path)[0])  # the build still has the good data
    assert sorted(x.id for x in lieux) == ["hub_1", "hub_2", "hub_3", "hub_4"]


def test_echec_sans_instantane_precedent(serveur, tmp_path):
    base, _ = serveur
    rapport = synchroniser([Source("neuf", url=f"{base}/erreur.json")], options(tmp_path))
    assert "aucun instantané précédent" in rapport.resultats[0].message
    assert not (tmp_path / "neuf.json").exists() and rapport.echecs_requis == []
    assert rapport.resume() == "sync : 1 sources, 0 mises à jour, 0 inchangées, 1 en échec"


def test_filtres(serveur, tmp_path):
    base, _ = serveur
    sources = [
        Source("saint-etienne", url=f"{base}/bon.json", codes_postaux=("42",)),
        Source("zone", url=f"{base}/bon.json", zone=(45.4, 4.3, 45.5, 4.4)),
    ]
    resultats = synchroniser(sources, options(tmp_path)).resultats
    assert [r.lieux for r in resultats] == [3, 1]
    assert "1 hors filtre" in resultats[0].message
    assert [x.nom for x in lire_snapshots(tmp_path)[0]["zone"]] == ["Espace Un"]


def test_source_fichier_local(tmp_path):
    (tmp_path / "donnees").mkdir()
    (tmp_path / "donnees" / "lieux.csv").write_text(
        "id,nom,commune,code_postal,adresse,date_maj,services\n"
        "7,Lieu CSV,Nice,06000,1 quai,2024-02-02,Aide aux démarches administratives\n",
        encoding="utf-8",
    )
    source = Source("local-csv", chemin="donnees/lieux.csv")
    (resultat,) = synchroniser([source], options(tmp_path / "sources", racine=tmp_path)).resultats
    assert resultat.etat == "mis à jour" and resultat.lieux == 1
    absent = Source("absent", chemin="donnees/absent.csv")
    (resultat,) = synchroniser([absent], options(tmp_path / "sources", racine=tmp_path)).resultats
    assert resultat.etat == "échec" and "lecture de donnees/absent.csv impossible" in resultat.message


def test_lecture_hors_ligne_robuste(tmp_path):
    dossier = tmp_path / "content" / "sources"
    dossier.mkdir(parents=True)
    lignes = [
        enregistrement("1", "<script>alert(1)</script>Espace Un"),
        enregistrement("2", "Sans adresse", adresse=""),
    ]
    (dossier / "hub.json").write_text(json.dumps(lignes), encoding="utf-8")
    (dossier / "hub.meta.json").write_text(
        json.dumps({"url": "https://hub.example/lieux.json"}), encoding="utf-8"
    )
    (dossier / "casse.json").write_text("[{ pas du JSON", encoding="utf-8")
    sources, problemes = lire_snapshots(dossier, tmp_path, AUJOURD_HUI)
    assert sorted(sources) == ["casse", "hub"] and sources["casse"] == []
    (lieu,) = sources["hub"]
    assert lieu.nom == "Espace Un"  # the script and its content are dropped, the text is kept
    assert lieu.provenances[0].url == "https://hub.example/lieux.json"
    assert lieu.chemin == "content/sources/hub.json"
    messages = sorted(str(p) for p in problemes)
    assert messages[0].startswith("content/sources/casse.json:1: avertissement: instantané illisible")
    assert messages[1].startswith("content/sources/hub.json:1: avertissement: adresse: écarté")
    assert not any(p.est_erreur for p in problemes)


@pytest.mark.parametrize(
    ("reglage", "attendu"),
    [
        ([{"url": "https://x.fr/a.json"}], "« nom » manquant"),
        ([{"nom": "x", "url": "https://x.fr/a.json", "chemin": "a.json"}], "soit « url », soit « chemin »"),
        ([{"nom": "x", "url": "ftp://x.fr/a.json"}], "http:// ou https://"),
        ([{"nom": "x", "url": "https://x.fr/a", "format": "xml"}], "csv ou json"),
        ([{"nom": "x", "url": "https://x.fr/a", "zone": [1, 2]}], "[sud, ouest, nord, est]"),
        ([{"nom": "x", "url": "https://x.fr/a", "codes_postaux": "42"}], "liste de débuts de codes"),
        ([{"nom": "x", "url": "https://x.fr/a", "licence_": "LO"}], "clé inconnue « licence_ »"),
        ([{"nom": "x", "url": "https://x.fr/a"}, {"nom": "x", "chemin": "b.csv"}], "utilisé deux fois"),
        ({"nom": "x"}, "attendu une liste"),
    ],
)
def test_reglages_invalides(reglage, attendu):
    with pytest.raises(ErreurSource, match=attendu.replace("[", r"\[").replace("]", r"\]")):
        lire_sources(reglage)


def lancer(*argv: str) -> int:
    """Run a federation command as cli.py would."""
    analyseur = argparse.ArgumentParser()
    ajouter_commandes(analyseur.add_subparsers(dest="commande", required=True))
    args = analyseur.parse_args(argv)
    return args.fonction(args)


def test_commande_sync(serveur, tmp_path, capsys):
    base, _ = serveur
    reglages = tmp_path / "pelicanconf.py"
    for requis, statut in ((False, 0), (True, 1)):
        reglages.write_text(
            f'ANNUAIRE_SOURCES = [{{"nom": "bon", "url": "{base}/bon.json"}},\n'
            f'                    {{"nom": "panne", "url": "{base}/erreur.json", "requis": {requis}}}]\n',
            encoding="utf-8",
        )
        assert lancer("sync", "--settings", str(reglages), "--dossier", str(tmp_path / "sources")) == statut
        sortie = capsys.readouterr()
        assert "panne : échec : le serveur a répondu HTTP 500" in sortie.err
        assert "sync : 2 sources" in sortie.out
    assert (tmp_path / "sources" / "bon.json").exists()


def test_commande_sync_reglages_illisibles(tmp_path, capsys):
    reglages = tmp_path / "pelicanconf.py"
    reglages.write_text("ANNUAIRE_SOURCES = [\n", encoding="utf-8")
    assert lancer("sync", "--settings", str(reglages)) == 1
    erreur = capsys.readouterr().err
    assert "réglages illisibles" in erreur and "Traceback" not in erreur
    reglages.write_text('ANNUAIRE_SOURCES = [{"nom": "X"}]\n', encoding="utf-8")
    assert lancer("sync", "--settings", str(reglages)) == 1
    assert "ANNUAIRE_SOURCES[0] : « nom » manquant ou invalide" in capsys.readouterr().err
