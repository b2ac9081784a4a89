"""The directory settings (`ANNUAIRE` in pelicanconf.py): defaults in code, checked loudly.

Everything specific to a territory lives here as data: its name, map centre, repository for edit
links, tile server. A wrong setting stops the build with a French message naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from urllib.parse import urlsplit

DEFAUTS: dict[str, object] = {
    "nom": "Annuaire de la médiation numérique",
    "territoire": "",
    "slogan": "Où trouver de l'aide pour utiliser le numérique, près de chez vous",
    "url_publique": "http://localhost:8000",
    "depot_url": "",
    "depot_branche": "main",
    "contact": "",
    "editeur": "",
    "carte_centre": (46.6, 2.5),
    "carte_zoom": 6,
    "tuiles_url": "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png",
    "tuiles_attribution": "© les contributeurs d'OpenStreetMap, fond OSM France",
    "par_page": 50,
}


class ReglageInvalide(Exception):
    """A setting with a wrong type or value; the message names the key."""


@dataclass(frozen=True)
class Reglages:
    """Typed view of the ANNUAIRE settings."""

    nom: str
    territoire: str
    slogan: str
    url_publique: str
    depot_url: str
    depot_branche: str
    contact: str
    editeur: str
    carte_centre: tuple[float, float]
    carte_zoom: int
    tuiles_url: str
    tuiles_attribution: str
    par_page: int
    extra: dict = field(default_factory=dict)


def _est_url(texte: str) -> bool:
    """An http(s) URL with a host (localhost allowed: settings are not contributed entries)."""
    parties = urlsplit(texte)
    return parties.scheme in ("http", "https") and bool(parties.hostname)


def _verifier(cle: str, valeur: object) -> None:
    """Raise ReglageInvalide when `valeur` does not fit `cle`."""
    attendu = type(DEFAUTS[cle])
    if attendu is tuple:
        ok = isinstance(valeur, (tuple, list)) and len(valeur) == 2
        ok = ok and all(isinstance(v, (int, float)) for v in valeur)
    else:
        ok = isinstance(valeur, attendu) and not isinstance(valeur, bool)
    if not ok:
        raise ReglageInvalide(f"ANNUAIRE[{cle!r}] : attendu {attendu.__name__}, reçu {valeur!r}")
    if cle in ("url_publique", "depot_url") and valeur and not _est_url(str(valeur)):
        raise ReglageInvalide(f"ANNUAIRE[{cle!r}] : « {valeur} » n'est pas une adresse http(s)")


def lire_reglages(brut: dict | None) -> Reglages:
    """Merge the user's ANNUAIRE dict over the defaults; unknown keys and wrong types fail."""
    brut = dict(brut or {})
    inconnues = sorted(set(brut) - set(DEFAUTS) - {"extra"})
    if inconnues:
        raise ReglageInvalide(f"ANNUAIRE : clé(s) inconnue(s) {', '.join(inconnues)}")
    valeurs = {**DEFAUTS, **brut}
    for cle in DEFAUTS:
        _verifier(cle, valeurs[cle])
    valeurs["carte_centre"] = tuple(valeurs["carte_centre"])
    valeurs["url_publique"] = str(valeurs["url_publique"]).rstrip("/")
    noms = {f.name for f in fields(Reglages)}
    return Reglages(**{k: v for k, v in valeurs.items() if k in noms})
