"""Every URL of the site, in one place: the pages, the lists, the data files.

URLs are relative to the site's root, without a leading slash ("lieux/SLUG/"): templates put
`{{ SITEURL }}/` in front, outputs (map data, open-data files, sitemap) write them as they are or
after the public address. The build layer gives this module to the templates as the Jinja global
`routes`, and `pour_js()` writes the scheme the browser needs into a data attribute, so that no
template or script spells a URL of its own.

Plain Python: it imports only the domain (a leaf that outputs, the site plan, search and the build
all read).
"""

from __future__ import annotations

import re
from types import MappingProxyType

from annuaire.domain.formats import slugifier
from annuaire.domain.model import Lieu

ACCUEIL = ""
LIEUX = "lieux/"  # the A–Z list; the sheets are below it
COMMUNES = "communes/"
SERVICES = "services/"
RESEAUX = "reseaux/"
LETTRES = "lieux/lettre/"
RECHERCHE = "recherche/"
CARTE = "carte/"
PROPOSER = "proposer/"
DONNEES = "donnees/"
RAPPORT = "rapport/"
PLAN = "plan-du-site/"
INTEGRER = "integrer/"
INTEGRER_LISTE = "integrer/liste/"
INTEGRER_CARTE = "integrer/carte/"
PAGE_404 = "404.html"
SITEMAP = "sitemap.xml"
OUVERTURES = "donnees/ouvertures/"
ETAT_RECHERCHE = "donnees/recherche.json"
CARTE_GEOJSON = "donnees/carte.geojson"
CARTE_COMMUNES = "donnees/communes.json"
CARTE_TUILES = "donnees/carte/"  # the map's data by area (outputs/carte_tuiles.py)
# Every French commune for the map's lookup, in small files ("sa.json", "cp-42.json"): see
# outputs/carte_communes.py
COMMUNES_RECHERCHE = "donnees/communes/"
INDEX_RECHERCHE = "pagefind/"  # Pagefind's index of the sheets
INDEX_DELTA = "pagefind-delta/"  # the sheets changed since that index was made
FICHES = "lieux/*/index.html"  # every sheet's file, as a glob (the search index reads them)
MES_LIEUX = "mes-lieux/"  # the places kept in this browser (offline mode)
HORS_LIGNE = "hors-ligne/"  # what the service worker shows for a page never visited
MANIFESTE = "manifest.webmanifest"
TRAVAILLEUR = "sw.js"
ROBOTS = "robots.txt"
ENTETES = "_headers"
THEME = "theme/"
AGENDA = "agenda/"  # the upcoming workshops, by day; agenda/<commune>/ for one commune
ATELIERS = "ateliers/"  # one page per workshop below it
AGENDA_ICS = "agenda.ics"  # the whole directory's iCalendar feed
FLUX_AGENDA = "agenda.ics"  # the name of a place's, network's or commune's feed, beside its page
ATELIERS_JSON = "donnees/ateliers.json"  # the workshops in the JSON export
# The first segment of every path the directory writes: a Pelican page (content/pages/) may not
# take one of them, or its Slug would replace a sheet, a list or a data file.
RESERVES = frozenset(
    chemin.split("/")[0] or "index.html"
    for chemin in (ACCUEIL, LIEUX, COMMUNES, SERVICES, RESEAUX, RECHERCHE, CARTE, PROPOSER, DONNEES)
    + (RAPPORT, PLAN, INTEGRER, PAGE_404, SITEMAP, INDEX_RECHERCHE, INDEX_DELTA, MES_LIEUX, HORS_LIGNE)
    + (MANIFESTE, TRAVAILLEUR, ROBOTS, ENTETES, THEME, AGENDA, ATELIERS, AGENDA_ICS)
)
_FICHIER_FICHE = re.compile(r"^lieux/([^/]+)/index\.html$")
_URL_FICHE = re.compile(r"^/?lieux/([^/]+)/$")


def reserve(chemin: str) -> bool:
    """True when an output path ("lieux/x/index.html") is in a part of the site the directory owns."""
    return chemin.lstrip("/").split("/")[0] in RESERVES


def fiche_de_slug(slug: str) -> str:
    """A place sheet's URL from its slug."""
    return f"{LIEUX}{slug}/"


def fiche(lieu: Lieu) -> str:
    """A place sheet's URL ("lieux/SLUG/"); a record without a slug (an export of records not
    loaded from files) gets one from its id."""
    return fiche_de_slug(lieu.slug or slugifier(lieu.id) or "lieu")


def slug_du_fichier(chemin: str) -> str | None:
    """The slug of a sheet's file path ("lieux/SLUG/index.html"), None for any other page."""
    trouve = _FICHIER_FICHE.match(chemin)
    return trouve.group(1) if trouve else None


def slug_de_l_url(url: str) -> str | None:
    """The slug of a sheet's URL ("lieux/SLUG/" or "/lieux/SLUG/"), None for any other page."""
    trouve = _URL_FICHE.match(url)
    return trouve.group(1) if trouve else None


def commune(cle: str) -> str:
    """A commune's page ("communes/saint-etienne-42/")."""
    return f"{COMMUNES}{cle}/"


def service(nom: str) -> str:
    """A service's page, from the service's name or slug."""
    return f"{SERVICES}{slugifier(nom)}/"


def reseau(slug: str) -> str:
    """A network's page."""
    return f"{RESEAUX}{slug}/"


def lettre(initiale: str) -> str:
    """An A–Z letter's page ("lieux/lettre/a/")."""
    return f"{LETTRES}{initiale}/"


def page_de_liste(base: str, numero: int) -> str:
    """Page `numero` of a paginated list whose first page is `base`."""
    return base if numero == 1 else f"{base}page/{numero}/"


def fichier(url: str) -> str:
    """The file a page's URL is written to ("lieux/x/" → "lieux/x/index.html")."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


def donnees(nom: str) -> str:
    """An open-data file's URL ("donnees/lieux-de-mediation-numerique.csv")."""
    return f"{DONNEES}{nom}"


def atelier(identifiant: str) -> str:
    """A workshop's page ("ateliers/IDENTIFIANT/"); the identifier (a file's stem, a feed's UID
    prefixed by its place) is made URL-safe."""
    return f"{ATELIERS}{slugifier(identifiant) or 'atelier'}/"


def agenda_commune(cle: str) -> str:
    """The agenda of one commune ("agenda/saint-etienne-42/"), from its key (as its page's)."""
    return f"{AGENDA}{cle}/"


def agenda_departement(code: str) -> str:
    """The agenda of one département ("agenda/departement/42/"); no commune key can take that
    URL: a commune's ends with its département ("saint-etienne-42")."""
    return f"{AGENDA}departement/{code.lower()}/"


def departement_de_commune(cle: str) -> str:
    """A commune key's département code ("saint-etienne-42" → "42", "ajaccio-2a" → "2A")."""
    return cle.rsplit("-", 1)[-1].upper()


def agenda_imprimer(genre: str, cle: str) -> str:
    """The month's printed agenda of a commune or a network ("agenda/imprimer/commune/x/")."""
    return f"{AGENDA}imprimer/{genre}/{cle}/"


def flux(page: str) -> str:
    """The iCalendar feed beside a place's, network's or commune's page ("reseaux/x/agenda.ics")."""
    return f"{page}{FLUX_AGENDA}"


def pour_js() -> dict[str, str]:
    """What the browser's scripts need of the scheme (written as JSON in a data attribute):
    relative URLs, and the sheet's pattern with "{slug}"."""
    return dict(_POUR_JS)


_POUR_JS = MappingProxyType(
    {
        "fiche": fiche_de_slug("{slug}"),
        "ouvertures": OUVERTURES,
        "etatRecherche": ETAT_RECHERCHE,
        "index": INDEX_RECHERCHE,
        "indexDelta": INDEX_DELTA,
        "integrerListe": INTEGRER_LISTE,
        "integrerCarte": INTEGRER_CARTE,
        "recherche": RECHERCHE,
        "carte": CARTE,
        "agenda": AGENDA,
    }
)
