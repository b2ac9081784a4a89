"""`sync` against hostile servers on 127.0.0.1: drip, lie, redirect (issue 17, class 8).

Every server here is started by the test on 127.0.0.1; redirects to other networks are refused
before any connection is made, so no traffic ever leaves the loopback.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path

import pytest
from annuaire.federation.sources import OptionsSync, Source, synchroniser
from annuaire.federation.telechargement import ErreurTelechargement, genre_adresse, obtenir

AUTRES = "Aide aux démarches administratives"


def _lieux(nombre: int) -> bytes:
    """`nombre` valid records of the national standard."""
    lieux = [
        {
            "id": str(i),
            "nom": f"Espace {i}",
            "commune": "Saint-Étienne",
            "code_postal": "42000",
            "adresse": f"{i} rue de la Paix",
            "date_maj": "2024-06-01",
            "pivot": "00000000000000",
            "services": AUTRES,
        }
        for i in range(1, nombre + 1)
    ]
    return json.dumps(lieux).encode()


class Hostile(http.server.BaseHTTPRequestHandler):
    """Routes: drip (headers one byte at a time), slow body, redirects of every kind, shrinking data."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _repondre(self, code: int, corps: bytes = b"", **entetes: str) -> None:
        try:
            self.send_response(code)
            for cle, valeur in entetes.items():
                self.send_header(cle.replace("_", "-"), valeur)
            self.send_header("Content-Length", str(len(corps)))
            self.end_headers()
            self.wfile.write(corps)
        except OSError:
            pass  # the client gave up (size cap, deadline): expected

    def _goutte_a_goutte(self, octets: bytes) -> None:
        try:
            for octet in octets:
                self.wfile.write(bytes([octet]))
                self.wfile.flush()
                if self.server.arret.wait(0.2):
                    return
        except OSError:
            pass  # the client hung up at its deadline: expected

    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.journal.append(self.path)
        port = self.server.server_address[1]
        if self.path == "/goutte-entetes":
            return self._goutte_a_goutte(b"HTTP/1.1 200 OK\r\n" + b"X-Lent: " + b"a" * 400 + b"\r\n\r\n[]")
        if self.path == "/goutte-corps":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            return self._goutte_a_goutte(b"[" + b" " * 5000)
        redirections = {
            "/vers-fichier": "file:///etc/passwd",
            "/vers-lien-local": "http://169.254.169.254/latest/meta-data/",
            "/vers-prive": "http://10.11.12.13/lieux.json",
            "/vers-ftp": "ftp://127.0.0.1/lieux.json",
            "/boucle": "/boucle",
            "/vers-local": f"http://127.0.0.1:{port}/beaucoup",
            "/relative": "/beaucoup",
        }
        if self.path in redirections:
            return self._repondre(302, Location=redirections[self.path])
        if self.path == "/beaucoup":
            return self._repondre(200, _lieux(self.server.nombre), Content_Type="application/json")
        return self._repondre(404, b"absent")


@pytest.fixture
def hostile():
    """A hostile HTTP server on 127.0.0.1 (random port)."""
    serveur = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    serveur.journal, serveur.arret, serveur.nombre = [], threading.Event(), 100
    serveur.daemon_threads = True
    fil = threading.Thread(target=serveur.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    fil.start()
    yield f"http://127.0.0.1:{serveur.server_address[1]}", serveur
    serveur.arret.set()
    serveur.shutdown()
    serveur.server_close()


def _options(dossier: Path, **autres) -> OptionsSync:
    valeurs = {"dossier": dossier, "delai": 0.5, "taille_max": 200_000}
    valeurs.update(autres)
    return OptionsSync(**valeurs)


@pytest.mark.parametrize("chemin", ["/goutte-entetes", "/goutte-corps"])
def test_une_source_qui_goutte_ne_depasse_pas_le_delai_total(hostile, chemin):
    """One byte every 0.2 s never trips a 0.5 s per-operation timeout; the total deadline does."""
    base, _ = hostile
    debut = time.monotonic()
    with pytest.raises(ErreurTelechargement, match="délai"):
        obtenir(base + chemin, {}, delai=0.5, total=1.5, taille_max=200_000)
    assert time.monotonic() - debut < 4


def test_sync_goutte_a_goutte_echoue_dans_les_temps(hostile, tmp_path):
    """Through `synchroniser`: the whole download is bounded by ten times the per-operation delay."""
    base, _ = hostile
    debut = time.monotonic()
    rapport = synchroniser([Source("goutte", url=base + "/goutte-entetes")], _options(tmp_path, delai=0.2))
    assert rapport.resultats[0].etat == "échec" and "délai" in rapport.resultats[0].message
    assert time.monotonic() - debut < 5


@pytest.mark.parametrize(
    ("chemin", "motif"),
    [
        ("/vers-fichier", "seules http:// et https://"),
        ("/vers-ftp", "seules http:// et https://"),
        ("/vers-lien-local", "adresse link-local"),
        ("/vers-prive", "adresse privé"),
        ("/boucle", "trop de redirections"),
    ],
)
def test_redirections_refusees(hostile, chemin, motif):
    """Redirects to other schemes, to link-local or private networks, or in a loop are refused."""
    base, serveur = hostile
    with pytest.raises(ErreurTelechargement, match=motif):
        obtenir(base + chemin, {}, delai=0.5, total=5, taille_max=200_000)
    assert serveur.journal.count("/boucle") <= 6


@pytest.mark.parametrize("chemin", ["/vers-local", "/relative"])
def test_redirection_dans_le_reseau_de_la_source(hostile, chemin):
    """A source on the loopback may redirect on the loopback (the case of these tests)."""
    base, _ = hostile
    reponse = obtenir(base + chemin, {}, delai=0.5, total=5, taille_max=200_000)
    assert reponse.statut == 200 and len(json.loads(reponse.corps)) == 100


def test_genres_d_adresses():
    """What counts as public, loopback, link-local or private."""
    assert genre_adresse("127.0.0.1") == "loopback" and genre_adresse("::1") == "loopback"
    assert genre_adresse("169.254.169.254") == "link-local" and genre_adresse("fe80::1") == "link-local"
    assert {genre_adresse(a) for a in ("10.0.0.1", "192.168.1.1", "172.16.0.1", "0.0.0.0")} == {"privé"}
    assert genre_adresse("::ffff:10.0.0.1") == "privé"
    assert genre_adresse("8.8.8.8") == "public"


def test_une_reponse_degradee_ne_remplace_pas_un_bon_instantane(hostile, tmp_path):
    """100 places, then 1: the good snapshot stays unless --accepter-baisse says so."""
    base, serveur = hostile
    source = Source("grande", url=base + "/beaucoup")
    assert synchroniser([source], _options(tmp_path)).resultats[0].lieux == 100
    bon = (tmp_path / "grande.json").read_bytes()
    serveur.nombre = 1
    resultat = synchroniser([source], _options(tmp_path)).resultats[0]
    assert resultat.etat == "échec" and "seulement 1 lieux valides contre 100" in resultat.message
    assert "--accepter-baisse" in resultat.message and "conservé" in resultat.message
    assert (tmp_path / "grande.json").read_bytes() == bon
    resultat = synchroniser([source], _options(tmp_path, accepter_baisse=True)).resultats[0]
    assert resultat.etat == "mis à jour" and len(json.loads((tmp_path / "grande.json").read_bytes())) == 1


def test_une_petite_source_peut_baisser(hostile, tmp_path):
    """Below 20 places in the last snapshot, a drop is normal life, not a degraded answer."""
    base, serveur = hostile
    serveur.nombre = 10
    source = Source("petite", url=base + "/beaucoup")
    synchroniser([source], _options(tmp_path))
    serveur.nombre = 2
    assert synchroniser([source], _options(tmp_path)).resultats[0].etat == "mis à jour"
