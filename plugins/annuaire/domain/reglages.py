"""The directory settings (`ANNUAIRE` in pelicanconf.py): defaults in code, checked loudly.

Everything specific to a territory lives here as data: its name, map centre, repository for edit
links, tile server. A wrong setting stops the build with a French message naming the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from urllib.parse import urlsplit

from annuaire.domain.formats import courriel_valide

DEFAUTS: dict[str, object] = {
    "nom": "Annuaire de la médiation numérique",
    "territoire": "",
    "slogan": "Où trouver de l'aide pour utiliser le numérique, près de chez vous",
    # Empty: derived from where the site is built (Origine: GitHub Actions or the git remote).
    "url_publique": "",
    "depot_url": "",
    "depot_branche": "main",
    # Where the /proposer/ form sends a proposal by e-mail, for people without a GitHub account.
    "courriel_maintenance": "",
    "contact": "",
    "editeur": "",
    "carte_centre": (46.6, 2.5),
    "carte_zoom": 6,
    "tuiles_url": "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png",
    "tuiles_attribution": "© les contributeurs d'OpenStreetMap, fond OSM France",
    "par_page": 50,
    "logo": "",
    "exemple_recherche": "démarches, smartphone, atelier seniors",
    "exemple_commune": "code postal ou commune",
    # Three theme colours, each checked for AA contrast (4.5:1) with white text or background.
    "couleurs": {"principale": "#0b5394", "principale_fonce": "#073763", "accent": "#b8410f"},
    "communes": [],
    # Imports and sources: publish nominative e-mails and personal mobiles (domain/confidentialite.py)?
    "contacts_personnels": False,
    # Imports and sources: keep records that offer no digital-mediation service (domain/perimetre.py)?
    "hors_perimetre": False,
}
CONTRASTE_MIN = 4.5  # WCAG 2.1 AA for normal text
URL_LOCALE = "http://localhost:8000"  # `make serve`: the public URL when nothing else is known
# A GitHub repository in a remote URL: https://github.com/o/r(.git), git@github.com:o/r.git, ssh://…
DEPOT_GITHUB = re.compile(r"^(?:https://|ssh://git@|git@)github\.com[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")


@dataclass(frozen=True)
class Origine:
    """Where the site is built, for the settings left empty: the repository's page (edit links)
    and its GitHub Pages address (QR codes, "à jour en ligne"). Empty when unknown."""

    depot_url: str = ""
    url_publique: str = ""


def origine_github(proprietaire: str, depot: str) -> Origine:
    """The repository and Pages URLs of github.com/`proprietaire`/`depot` (a user or organisation
    site, named "owner.github.io", is served at the root)."""
    pages = f"https://{proprietaire.lower()}.github.io"
    if depot.lower() != f"{proprietaire.lower()}.github.io":
        pages += f"/{depot}"
    return Origine(f"https://github.com/{proprietaire}/{depot}", pages)


def origine_depot(github_repository: str = "", remote: str = "") -> Origine:
    """The Origine of a build: GITHUB_REPOSITORY ("owner/repo", set by GitHub Actions) first,
    else a github.com git remote URL; nothing for another host or no repository."""
    if re.fullmatch(r"[\w.-]+/[\w.-]+", github_repository or ""):
        return origine_github(*github_repository.split("/"))
    trouve = DEPOT_GITHUB.match((remote or "").strip())
    return origine_github(*trouve.groups()) if trouve else Origine()


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
    courriel_maintenance: str
    contact: str
    editeur: str
    carte_centre: tuple[float, float]
    carte_zoom: int
    tuiles_url: str
    tuiles_attribution: str
    par_page: int
    logo: str
    exemple_recherche: str
    exemple_commune: str
    couleurs: dict
    communes: list
    contacts_personnels: bool = False
    hors_perimetre: bool = False
    extra: dict = field(default_factory=dict)


def _est_url(texte: str) -> bool:
    """An http(s) URL with a host (localhost allowed: settings are not contributed entries)."""
    parties = urlsplit(texte)
    return parties.scheme in ("http", "https") and bool(parties.hostname)


def _luminance(couleur: str) -> float:
    """Relative luminance of "#rrggbb" (WCAG 2.1)."""
    canaux = [int(couleur[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lineaires = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in canaux]
    return 0.2126 * lineaires[0] + 0.7152 * lineaires[1] + 0.0722 * lineaires[2]


def contraste(a: str, b: str) -> float:
    """WCAG contrast ratio between two "#rrggbb" colours (1 to 21)."""
    clair, sombre = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (clair + 0.05) / (sombre + 0.05)


def _verifier_couleurs(couleurs: dict) -> dict:
    """Every theme colour is "#rrggbb" and reaches AA contrast with white; merged over defaults."""
    inconnues = sorted(set(couleurs) - set(DEFAUTS["couleurs"]))
    if inconnues:
        raise ReglageInvalide(f"ANNUAIRE['couleurs'] : clé(s) inconnue(s) {', '.join(inconnues)}")
    fusion = {**DEFAUTS["couleurs"], **couleurs}
    for nom, valeur in fusion.items():
        if not (isinstance(valeur, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", valeur)):
            message = f"« {valeur} » n'est pas une couleur #rrggbb"
            raise ReglageInvalide(f"ANNUAIRE['couleurs'][{nom!r}] : {message}")
        ratio = contraste(valeur, "#ffffff")
        if ratio < CONTRASTE_MIN:
            raise ReglageInvalide(
                f"ANNUAIRE['couleurs'][{nom!r}] : « {valeur} » n'a qu'un contraste de {ratio:.1f}:1 avec le "
                f"blanc ; il faut au moins {CONTRASTE_MIN}:1 (niveau AA) : choisissez une couleur plus foncée"
            )
    return fusion


def css_territoire(reglages: Reglages) -> str:
    """The stylesheet that gives the site the territory's colours (theme/css/territoire.css)."""
    c = reglages.couleurs
    return (
        ":root {\n"
        f"  --couleur-principale: {c['principale']};\n"
        f"  --couleur-principale-fonce: {c['principale_fonce']};\n"
        f"  --couleur-accent: {c['accent']};\n}}\n"
    )


def _verifier(cle: str, valeur: object) -> None:
    """Raise ReglageInvalide when `valeur` does not fit `cle`."""
    attendu = type(DEFAUTS[cle])
    if attendu is tuple:
        ok = isinstance(valeur, (tuple, list)) and len(valeur) == 2
        ok = ok and all(isinstance(v, (int, float)) for v in valeur)
    elif attendu is bool:
        ok = isinstance(valeur, bool)
    else:
        ok = isinstance(valeur, attendu) and not isinstance(valeur, bool)
    if not ok:
        raise ReglageInvalide(f"ANNUAIRE[{cle!r}] : attendu {attendu.__name__}, reçu {valeur!r}")
    if cle in ("url_publique", "depot_url") and valeur and not _est_url(str(valeur)):
        raise ReglageInvalide(f"ANNUAIRE[{cle!r}] : « {valeur} » n'est pas une adresse http(s)")
    if cle == "courriel_maintenance" and valeur and not courriel_valide(str(valeur)):
        raise ReglageInvalide(f"ANNUAIRE[{cle!r}] : « {valeur} » n'est pas une adresse e-mail")


def lire_reglages(brut: dict | None, origine: Origine = Origine()) -> Reglages:
    """Merge the user's ANNUAIRE dict over the defaults; unknown keys and wrong types fail. An empty
    `url_publique` or `depot_url` takes the value of `origine` (where the site is built)."""
    brut = dict(brut or {})
    inconnues = sorted(set(brut) - set(DEFAUTS) - {"extra"})
    if inconnues:
        raise ReglageInvalide(f"ANNUAIRE : clé(s) inconnue(s) {', '.join(inconnues)}")
    valeurs = {**DEFAUTS, **brut}
    for cle in DEFAUTS:
        _verifier(cle, valeurs[cle])
    valeurs["carte_centre"] = tuple(valeurs["carte_centre"])
    valeurs["couleurs"] = _verifier_couleurs(valeurs["couleurs"])
    valeurs["url_publique"] = str(valeurs["url_publique"] or origine.url_publique or URL_LOCALE).rstrip("/")
    valeurs["depot_url"] = str(valeurs["depot_url"] or origine.depot_url).rstrip("/")
    noms = {f.name for f in fields(Reglages)}
    return Reglages(**{k: v for k, v in valeurs.items() if k in noms})
