"""A bounded HTTP GET for `sync`: one hard deadline for the whole exchange, a size cap, few redirects.

`urllib`'s timeout applies to each socket operation, so a server that sends one byte every second
keeps a download alive for ever, headers included. Here a watchdog shuts the socket down when the
deadline passes, whatever the connection is doing. Redirects are followed by hand: only to http(s),
at most `REDIRECTIONS_MAX` times, and never to a loopback, link-local, private or reserved address
unless the source itself is in that same kind of network (tests serve sources on 127.0.0.1). The
address checked is the address connected to (no second DNS look-up between the two).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

REDIRECTIONS_MAX = 5
BLOC = 64 * 1024


class ErreurTelechargement(Exception):
    """A download that failed; the message says why, in French."""


@dataclass(frozen=True)
class _Limites:
    """The bounds of one download: per operation, in all (seconds, and the monotonic deadline), size."""

    delai: float
    total: float
    echeance: float
    taille_max: int


@dataclass(frozen=True)
class Reponse:
    """A finished GET: status, headers (lower-case names) and body (empty for a 304)."""

    statut: int
    entetes: dict[str, str]
    corps: bytes


def genre_adresse(adresse: str) -> str:
    """The kind of network an IP address is in: public, loopback, link-local or private."""
    ip = ipaddress.ip_address(adresse)
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_private or ip.is_reserved or ip.is_multicast or ip.is_unspecified:
        return "privé"
    return "public"


def _resoudre(hote: str, port: int) -> str:
    """The first address of `hote` (raises ErreurTelechargement when it has none)."""
    try:
        infos = socket.getaddrinfo(hote, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ErreurTelechargement(f"adresse introuvable ({hote} : {exc})") from None
    return str(infos[0][4][0])


class _Connexion(http.client.HTTPSConnection):
    """An HTTP(S) connection to an address already checked; TLS verifies the host's name."""

    def __init__(self, hote: str, port: int, adresse: str, chiffre: bool, delai: float):
        super().__init__(hote, port, timeout=delai, context=ssl.create_default_context())
        self.adresse, self.chiffre = adresse, chiffre

    def connect(self) -> None:
        """Connect to the checked address, then wrap in TLS for https."""
        self.sock = socket.create_connection((self.adresse, self.port), self.timeout)
        if self.chiffre:
            self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)


class _Chien:
    """A watchdog: at the deadline, shut the connection's socket down so any blocked read returns."""

    def __init__(self, connexion: _Connexion, echeance: float):
        self.connexion, self.declenche = connexion, False
        self.minuteur = threading.Timer(max(0.0, echeance - time.monotonic()), self._couper)
        self.minuteur.daemon = True

    def _couper(self) -> None:
        self.declenche = True
        sock = self.connexion.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Chien:
        self.minuteur.start()
        return self

    def __exit__(self, *exc) -> None:
        self.minuteur.cancel()
        self.connexion.close()


def _cible(url: str, genre_source: str | None) -> tuple[str, int, str, bool, str]:
    """Check one URL of the chain: (host, port, address, https?, path with query)."""
    morceaux = urlsplit(url)
    if morceaux.scheme not in ("http", "https") or not morceaux.hostname:
        raise ErreurTelechargement(f"adresse refusée ({url[:200]}) : seules http:// et https:// sont suivies")
    chiffre = morceaux.scheme == "https"
    try:
        port = morceaux.port or (443 if chiffre else 80)
    except ValueError:
        raise ErreurTelechargement(f"adresse refusée ({url[:200]}) : port invalide") from None
    adresse = _resoudre(morceaux.hostname, port)
    genre = genre_adresse(adresse)
    if genre != "public" and genre != (genre_source or genre):
        raise ErreurTelechargement(
            f"redirection refusée vers une adresse {genre} ({morceaux.hostname[:100]}) : "
            "la source n'est pas dans ce réseau"
        )
    chemin = (morceaux.path or "/") + (f"?{morceaux.query}" if morceaux.query else "")
    return morceaux.hostname, port, adresse, chiffre, chemin


def _lire_corps(reponse: http.client.HTTPResponse, taille_max: int, echeance: float) -> bytes:
    """The body, stopping at the size cap and at the deadline."""
    annoncee = reponse.getheader("Content-Length", "")
    if annoncee.isdigit() and int(annoncee) > taille_max:
        raise ErreurTelechargement(
            f"réponse trop grosse ({int(annoncee) // 1024} Ko annoncés, maximum {taille_max // 1024} Ko)"
        )
    morceaux, total = [], 0
    while morceau := reponse.read1(BLOC):
        total += len(morceau)
        if total > taille_max:
            raise ErreurTelechargement(f"réponse trop grosse (plus de {taille_max // 1024} Ko)")
        if time.monotonic() > echeance:
            raise ErreurTelechargement("délai dépassé pendant le téléchargement")
        morceaux.append(morceau)
    return b"".join(morceaux)


def _echange(url: str, entetes: dict, limites: _Limites, genre_source: str | None):
    """One request/response (no redirect followed): a Reponse, with the Location header kept."""
    hote, port, adresse, chiffre, chemin = _cible(url, genre_source)
    connexion = _Connexion(hote, port, adresse, chiffre, limites.delai)
    with _Chien(connexion, limites.echeance) as chien:
        try:
            connexion.request("GET", chemin, headers=entetes)
            reponse = connexion.getresponse()
            corps = b"" if reponse.status in (301, 302, 303, 307, 308, 304) else None
            if corps is None:
                corps = _lire_corps(reponse, limites.taille_max, limites.echeance)
        except (OSError, http.client.HTTPException) as exc:
            raise ErreurTelechargement(_message_echec(exc, limites, chien)) from None
        if chien.declenche:  # the watchdog cut the body short: what was read is not the whole answer
            raise ErreurTelechargement(_message_echec(TimeoutError(), limites, chien))
        return Reponse(reponse.status, {k.lower(): v for k, v in reponse.getheaders()}, corps), adresse


def _message_echec(exc: BaseException, limites: _Limites, chien: _Chien) -> str:
    """A French message for a failed exchange: the total deadline, or the network's own failure."""
    if chien.declenche:
        return f"délai total dépassé ({limites.total:g} s pour tout le téléchargement)"
    return _message_reseau(exc, limites.delai)


def _message_reseau(exc: BaseException, delai: float) -> str:
    """A French message for a network failure."""
    if isinstance(exc, TimeoutError):
        return f"délai dépassé ({delai:g} s sans réponse)"
    if isinstance(exc, http.client.HTTPException):
        return f"connexion interrompue ({exc.__class__.__name__})"
    return f"connexion impossible ({exc.strerror or exc.__class__.__name__})"


def obtenir(url: str, entetes: dict, delai: float, total: float, taille_max: int) -> Reponse:
    """GET `url` within `total` seconds in all (each operation within `delai`), following at most
    REDIRECTIONS_MAX safe redirects; raise ErreurTelechargement with a French reason."""
    limites, genre_source = _Limites(delai, total, time.monotonic() + total, taille_max), None
    for _ in range(REDIRECTIONS_MAX + 1):
        reponse, adresse = _echange(url, entetes, limites, genre_source)
        genre_source = genre_source or genre_adresse(adresse)
        if reponse.statut not in (301, 302, 303, 307, 308):
            return reponse
        if not reponse.entetes.get("location"):
            raise ErreurTelechargement(f"redirection HTTP {reponse.statut} sans adresse")
        url = urljoin(url, reponse.entetes["location"])
    raise ErreurTelechargement(f"trop de redirections (plus de {REDIRECTIONS_MAX})")
