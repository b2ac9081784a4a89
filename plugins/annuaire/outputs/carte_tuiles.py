"""The map's data by area: what each view of /carte/ needs, precomputed at build time.

Plain Python (no Pelican). The map used to download every place (donnees/carte.geojson, still
written for reuse) before drawing. Now places are numbered along a Z-order curve of Web Mercator
tiles (`code`): every square of the tile grid, at any zoom, holds a contiguous run of numbers.
Three kinds of small files follow from it, under donnees/carte/ (`DOSSIER`):

- `index.json`: the facets' keys and labels, the kinds of place, the services' labels, the
  leaves: squares of the grid holding at most `FEUILLE_MAX` places (split further otherwise),
  each [zoom, x, y, first number, count], and for each map zoom the group files that exist
  (their squares' Z-order codes, as differences);
- `feuilles/Z-X-Y.json`: one leaf's places in number order (what the list and popups show);
- `z/Z/X-Y.json`: for a map zoom Z below `ZOOM_DETAIL`, the groups of places of the squares of
  zoom Z + 1 (128 pixels on screen) inside the square X, Y of zoom Z - 2 (1,024 pixels): centre,
  count, square, and the group's offset in its leaf (when it lies in one leaf). The browser
  derives each group's run of numbers from the leaves, so a new place rewrites only its own
  leaf's files and the index, not every group whose number shifted;
- `facettes/CLE.json`: a facet's values and, for each, the numbers of its places, as runs
  [gap, length, gap, length…] or, when smaller, as a bitmap in base 64 ("b" + text).

A filter is then a bitmap of numbers; a group's filtered count is the bitmap's population over
its run. The first view needs the index and one to four group files: a few tens of KB whatever
the size of the directory. The browser module theme/static/js/carte-tuiles.js reads them.
"""

from __future__ import annotations

import base64
import bisect
import itertools
import math
from collections.abc import Iterator

from annuaire.domain import routes
from annuaire.domain.facettes import FACETTES, GENRES
from annuaire.domain.model import Lieu

DOSSIER = routes.CARTE_TUILES.rstrip("/")
NIVEAU = 16  # finest square of the ordering: about 400 m; places closer than that keep slug order
FEUILLE_MAX = 200  # places per leaf: a leaf file stays under about 40 KB
ZOOM_MIN = 2  # the map's minZoom (carte.js)
ZOOM_DETAIL = 12  # from this map zoom, the browser loads leaves and groups the places itself
ECART_GROUPE = 1  # a group is a square of zoom Z + 1: 128 pixels at zoom Z (discs seldom overlap)
ECART_FICHIER = 2  # a group file covers a square of zoom Z - 2: 1,024 pixels at zoom Z
LAT_MAX = 85.0511  # Web Mercator's limit
DECIMALES = 5
UNITE = 10**7  # 1e-7 degree, about 1 cm
_GENRE_PAR_LIBELLE = {libelle: i for i, libelle in enumerate(GENRES.values())}  # the "type" facet's values
_SERVICES = next(f for f in FACETTES if f.cle == "services")


def tuile(latitude: float, longitude: float, zoom: int) -> tuple[int, int]:
    """The Web Mercator tile (x, y) holding a point at `zoom` (the tiles Leaflet draws)."""
    lat = math.radians(max(-LAT_MAX, min(LAT_MAX, latitude)))
    cote = 1 << zoom
    x = int((longitude + 180.0) / 360.0 * cote)
    y = int((1.0 - math.log(math.tan(lat) + 1.0 / math.cos(lat)) / math.pi) / 2.0 * cote)
    return min(max(x, 0), cote - 1), min(max(y, 0), cote - 1)


def morton(x: int, y: int, zoom: int) -> int:
    """Z-order code of a square: its bits interleaved, y above x (as carte-tuiles.js does)."""
    code = 0
    for bit in range(zoom - 1, -1, -1):
        code = code * 4 + ((y >> bit) & 1) * 2 + ((x >> bit) & 1)
    return code


def code(lieu: Lieu) -> int:
    """A place's Z-order code at `NIVEAU`."""
    x, y = tuile(float(lieu.latitude), float(lieu.longitude), NIVEAU)  # type: ignore[arg-type]
    return morton(x, y, NIVEAU)


def cle_carte(lieu: Lieu) -> tuple[int, str, str]:
    """The map's order of places (their numbers): Z-order, then slug and id for a stable order."""
    return code(lieu), lieu.slug, lieu.id


def _plage(x: int, y: int, zoom: int) -> tuple[int, int]:
    """The codes [first, end) of the `NIVEAU` squares inside a square."""
    taille = 4 ** (NIVEAU - zoom)
    debut = morton(x, y, zoom) * taille
    return debut, debut + taille


def feuilles(codes: list[int], zoom=0, x=0, y=0, debut=0, fin=None) -> Iterator[tuple[int, ...]]:
    """Leaves (zoom, x, y, first number, count) of the sorted codes, in number order: a square
    is split in four while it holds more than FEUILLE_MAX places (bounded by `NIVEAU`)."""
    fin = len(codes) if fin is None else fin
    if fin - debut <= FEUILLE_MAX or zoom == NIVEAU:
        if fin > debut:
            yield zoom, x, y, debut, fin - debut
        return
    for dy in (0, 1):
        for dx in (0, 1):
            cx, cy = 2 * x + dx, 2 * y + dy
            a, b = _plage(cx, cy, zoom + 1)
            i, j = bisect.bisect_left(codes, a, debut, fin), bisect.bisect_left(codes, b, debut, fin)
            yield from feuilles(codes, zoom + 1, cx, cy, i, j)


def _fichier_groupes(zoom: int) -> int:
    """The zoom of the squares that group files cover, for a map zoom."""
    return max(zoom - ECART_FICHIER, 0)


def groupes(
    codes: list[int], tuiles: list[tuple[int, int]], sommes: tuple[list, list], feuilles_: list, zoom: int
) -> dict:
    """{(X, Y): [[lat, lon, count, x, y, offset in leaf or -1], …]} for a map zoom: the squares of
    zoom + ECART_GROUPE that hold places, by file square (see the module's docstring). `tuiles`:
    the places' squares at NIVEAU; `sommes`: prefix sums of their latitudes and longitudes."""
    niveau, fichier = zoom + ECART_GROUPE, _fichier_groupes(zoom)
    decalage, haut = 2 * (NIVEAU - niveau), NIVEAU - niveau
    debuts = [debut for *_, debut, _n in feuilles_]
    resultat: dict[tuple[int, int], list] = {}
    i = 0
    while i < len(codes):
        j = bisect.bisect_left(codes, ((codes[i] >> decalage) + 1) << decalage, i)
        x, y = tuiles[i][0] >> haut, tuiles[i][1] >> haut
        feuille = feuilles_[bisect.bisect_right(debuts, i) - 1]
        lat, lon = ((somme[j] - somme[i]) / (j - i) / UNITE for somme in sommes)
        groupe = [
            round(lat, DECIMALES),
            round(lon, DECIMALES),
            j - i,
            x,
            y,
            i - feuille[3] if feuille[0] <= niveau else -1,
        ]
        resultat.setdefault((x >> (niveau - fichier), y >> (niveau - fichier)), []).append(groupe)
        i = j
    return resultat


def _entier(degres) -> int:
    """Degrees in units of UNITE: integer sums are exact, so a group's centre does not depend on
    the places before it (a new place elsewhere rewrites no other group)."""
    return round(float(degres) * UNITE)


def _ecarts(nombres: list[int]) -> list[int]:
    """Sorted numbers as their differences (the first from 0): short in JSON."""
    return [b - a for a, b in zip([0, *nombres], nombres, strict=False)]


def membres(numeros: list[int], total: int) -> list[int] | str:
    """The numbers of a value's places (sorted), as runs [gap, length…] or "b" + a base 64 bitmap
    (least significant bit first), whichever is shorter."""
    runs: list[int] = []
    fin = 0
    for n in numeros:
        if runs and n == fin:
            runs[-1] += 1
        else:
            runs += [n - fin, 1]
        fin = n + 1
    if 3 * len(runs) < total // 6:
        return runs
    octets = bytearray((total + 7) // 8)
    for n in numeros:
        octets[n >> 3] |= 1 << (n & 7)
    return "b" + base64.b64encode(bytes(octets)).decode("ascii")


def _fichiers_facettes(valeurs: list[dict[str, list[str]]], rang) -> dict[str, dict]:
    """Each facet's file: its values (preferred order) and each value's places (one pass)."""
    numeros: dict[str, dict[str, list[int]]] = {f.cle: {} for f in FACETTES}
    for numero, valeurs_lieu in enumerate(valeurs):
        for cle, valeurs_facette in valeurs_lieu.items():
            for valeur in valeurs_facette:
                numeros.setdefault(cle, {}).setdefault(valeur, []).append(numero)
    fichiers = {}
    for facette in FACETTES:
        ordre = sorted(numeros[facette.cle], key=lambda v: rang(facette, v))  # noqa: B023
        membres_ = [membres(numeros[facette.cle][v], len(valeurs)) for v in ordre]
        fichiers[f"{DOSSIER}/facettes/{facette.cle}.json"] = {"valeurs": ordre, "membres": membres_}
    return fichiers


def _lieu(lieu: Lieu, valeurs: dict[str, list[str]], services: dict[str, int]) -> list:
    """A place of a leaf: [lat, lon, name, address, postcode, commune, sheet, kind, services, status]."""
    return [
        round(float(lieu.latitude), DECIMALES),  # type: ignore[arg-type]
        round(float(lieu.longitude), DECIMALES),  # type: ignore[arg-type]
        lieu.nom,
        lieu.adresse,
        lieu.code_postal,
        lieu.commune,
        routes.fiche(lieu),
        _GENRE_PAR_LIBELLE.get((valeurs.get("type") or [""])[0], len(GENRES) - 1),
        sorted(services[s] for s in valeurs.get("services", []) if s in services),
        "" if lieu.statut == "ouvert" else lieu.statut,
    ]


def fichiers_tuiles(retenus: list[Lieu], valeurs: list[dict[str, list[str]]], rang) -> dict[str, dict]:
    """{path under the site: JSON data} of the map's files by area. `retenus`: the places on the
    map sorted by `cle_carte`; `valeurs`: their facet values; `rang`: a facet value's sort key."""
    tuiles = [tuile(float(x.latitude), float(x.longitude), NIVEAU) for x in retenus]  # type: ignore[arg-type]
    codes = [morton(x, y, NIVEAU) for x, y in tuiles]
    sommes = (
        [0, *itertools.accumulate(_entier(x.latitude) for x in retenus)],
        [0, *itertools.accumulate(_entier(x.longitude) for x in retenus)],
    )
    liste = list(feuilles(codes))
    services = sorted({s for v in valeurs for s in v.get("services", [])}, key=lambda s: rang(_SERVICES, s))
    index_services = {s: i for i, s in enumerate(services)}
    fichiers: dict[str, dict] = {
        f"{DOSSIER}/index.json": {
            "nombre": len(retenus),
            "niveau": NIVEAU,
            "zooms": [ZOOM_MIN, ZOOM_DETAIL, ECART_GROUPE, ECART_FICHIER],
            "facettes": [[f.cle, f.libelle] for f in FACETTES],
            "genres": [[cle, libelle] for cle, libelle in GENRES.items()],
            "services": services,
            "feuilles": [list(f) for f in liste],
        }
    }
    for z, x, y, debut, n in liste:
        lieux = [_lieu(retenus[k], valeurs[k], index_services) for k in range(debut, debut + n)]
        fichiers[f"{DOSSIER}/feuilles/{z}-{x}-{y}.json"] = {"lieux": lieux}
    presents = fichiers[f"{DOSSIER}/index.json"]["fichiers"] = []
    for zoom in range(ZOOM_MIN, ZOOM_DETAIL):
        par_fichier = groupes(codes, tuiles, sommes, liste, zoom)
        presents.append(_ecarts(sorted(morton(x, y, _fichier_groupes(zoom)) for x, y in par_fichier)))
        for (x, y), contenu in par_fichier.items():
            fichiers[f"{DOSSIER}/z/{zoom}/{x}-{y}.json"] = {"groupes": contenu}
    fichiers.update(_fichiers_facettes(valeurs, rang))
    return fichiers
