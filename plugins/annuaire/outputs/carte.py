"""The map's data: a compact GeoJSON of the places, the commune lookup, the front-end libraries.

Plain Python (no Pelican). `donnees_carte` keeps only what the /carte/ page needs: position,
name, address, sheet path, kind of place and facet values. Facet values are written once, in
`valeurs` ([facet key, value] pairs), and each place refers to them by index: 30,000 places stay
small and compress well. The file stays valid GeoJSON (extra top-level members are allowed).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from annuaire.domain import routes
from annuaire.domain.facettes import FACETTES, GENRES, ContexteFacettes, Facette, genre_lieu, valeurs_facettes
from annuaire.domain.formats import json_sur, slugifier
from annuaire.domain.model import Lieu
from annuaire.domain.reglages import ReglageInvalide
from annuaire.outputs.carte_tuiles import cle_carte, fichiers_tuiles
from annuaire.outputs.ecriture import ecrire_si_change

DECIMALES = 5  # about 1 m: enough for a map, shorter than the source's 6+ digits
DOSSIER_BIBLIOTHEQUES = "theme/vendor"
# (file or folder in node_modules, where it goes under theme/vendor/)
BIBLIOTHEQUES: tuple[tuple[str, str], ...] = (
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet/dist/images", "leaflet/images"),
    ("leaflet/LICENSE", "leaflet/LICENSE"),
    ("supercluster/dist/supercluster.min.js", "supercluster/supercluster.min.js"),
    ("supercluster/LICENSE", "supercluster/LICENSE"),
    ("kdbush/LICENSE", "supercluster/LICENSE-kdbush"),  # kdbush is bundled in supercluster.min.js
)
PROPRIETES = {
    "n": "nom",
    "a": "adresse",
    "cp": "code_postal",
    "u": "chemin de la fiche sur le site",
    "g": "genre (index dans genres)",
    "f": "valeurs des facettes (index dans valeurs)",
    "s": "statut, quand le lieu n'est pas ouvert",
}


class BibliothequesAbsentes(ReglageInvalide):
    """node_modules lacks a map library: the build stops and says to run `npm ci`."""


def sur_la_carte(lieu: Lieu) -> bool:
    """True for a place the map shows: it has coordinates and has not closed for good."""
    return lieu.a_coordonnees and lieu.statut != "ferme_definitivement"


def _rang(facette: Facette, valeur: str) -> tuple[int, str, str]:
    """Sort key of a facet value: the facet's preferred order first, then alphabetical."""
    rang = facette.ordre.index(valeur) if valeur in facette.ordre else len(facette.ordre)
    return rang, slugifier(valeur), valeur


def _dictionnaire(valeurs: list[dict[str, list[str]]]) -> list[tuple[str, str]]:
    """Every (facet key, value) pair that some place has, by facet then value order."""
    paires: list[tuple[str, str]] = []
    for facette in FACETTES:
        vues = {v for valeurs_lieu in valeurs for v in valeurs_lieu.get(facette.cle, [])}
        paires += [(facette.cle, v) for v in sorted(vues, key=lambda v: _rang(facette, v))]
    return paires


def _feature(lieu: Lieu, valeurs: dict[str, list[str]], index: dict[tuple[str, str], int]) -> dict:
    """One Point feature with short property keys (see PROPRIETES)."""
    point = [round(float(lieu.longitude), DECIMALES), round(float(lieu.latitude), DECIMALES)]  # type: ignore[arg-type]
    proprietes = {
        "n": lieu.nom,
        "a": lieu.adresse,
        "cp": lieu.code_postal,
        "u": routes.fiche(lieu),
        "g": list(GENRES).index(genre_lieu(lieu)),
        "f": sorted(index[(cle, v)] for cle, vs in valeurs.items() for v in vs),
    }
    if lieu.statut != "ouvert":
        proprietes["s"] = lieu.statut
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": point}, "properties": proprietes}


def _retenus(lieux: list[Lieu], noms_reseaux: dict[str, str], semaine) -> tuple[list[Lieu], list[dict]]:
    """The places on the map in their numbers' order (carte_tuiles.cle_carte), with their facet values."""
    retenus = sorted((lieu for lieu in lieux if sur_la_carte(lieu)), key=cle_carte)
    contexte = ContexteFacettes(noms_reseaux, semaine)
    return retenus, [valeurs_facettes(lieu, contexte) for lieu in retenus]


def donnees_carte(lieux: list[Lieu], noms_reseaux: dict[str, str], semaine=None) -> dict:
    """The map's FeatureCollection: places on the map, in the map's order, facets as indexes.
    `semaine`: texte -> Semaine, the build's weeks when it has them (see ContexteFacettes)."""
    return _collection(*_retenus(lieux, noms_reseaux, semaine))


def fichiers_carte(lieux: list[Lieu], noms_reseaux: dict[str, str], semaine=None) -> dict[str, str]:
    """{path under the site: text} of the map's data: the whole FeatureCollection (for reuse)
    and the files by area that the map page reads (carte_tuiles), facet values computed once."""
    retenus, valeurs = _retenus(lieux, noms_reseaux, semaine)
    fichiers = {routes.CARTE_GEOJSON: en_json(_collection(retenus, valeurs))}
    fichiers.update({c: en_json(d) for c, d in fichiers_tuiles(retenus, valeurs, _rang).items()})
    return fichiers


def _collection(retenus: list[Lieu], valeurs: list[dict]) -> dict:
    """The FeatureCollection of places (sorted) with their facet values."""
    paires = _dictionnaire(valeurs)
    index = {paire: i for i, paire in enumerate(paires)}
    return {
        "type": "FeatureCollection",
        "proprietes": PROPRIETES,
        "facettes": [[f.cle, f.libelle] for f in FACETTES],
        "genres": [[cle, libelle] for cle, libelle in GENRES.items()],
        "valeurs": [list(paire) for paire in paires],
        "features": [_feature(lieu, v, index) for lieu, v in zip(retenus, valeurs, strict=True)],
    }


def _commune(lieux: list[Lieu]) -> list:
    """[name, postcode, latitude, longitude]: the most frequent spelling and the places' centroid."""
    nom = Counter(lieu.commune for lieu in lieux).most_common(1)[0][0]
    latitude = sum(float(lieu.latitude) for lieu in lieux) / len(lieux)  # type: ignore[arg-type]
    longitude = sum(float(lieu.longitude) for lieu in lieux) / len(lieux)  # type: ignore[arg-type]
    return [nom, lieux[0].code_postal, round(latitude, DECIMALES), round(longitude, DECIMALES)]


def communes_carte(lieux: list[Lieu]) -> dict:
    """The offline lookup of the map's "commune or postcode" field, built from the places."""
    groupes: dict[tuple[str, str], list[Lieu]] = defaultdict(list)
    for lieu in sorted(lieux, key=lambda x: (x.slug, x.id)):
        if sur_la_carte(lieu) and lieu.commune:
            groupes[(slugifier(lieu.commune), lieu.code_postal)].append(lieu)
    communes = [_commune(groupes[cle]) for cle in sorted(groupes)]
    return {"champs": ["nom", "code_postal", "latitude", "longitude"], "communes": communes}


def en_json(donnees: dict) -> str:
    """Compact, deterministic JSON text ending with a newline; UTF-8 kept, but <, > and & escaped.

    The escapes keep the same JSON values and make the file harmless if ever shown as HTML.
    """
    return json_sur(json.dumps(donnees, ensure_ascii=False, separators=(",", ":"))) + "\n"


def _fichiers(source: Path) -> list[tuple[Path, str]]:
    """(file, path relative to `source`) for a file ("") or every file of a folder, sorted."""
    if source.is_file():
        return [(source, "")]
    return [(f, f.relative_to(source).as_posix()) for f in sorted(source.rglob("*")) if f.is_file()]


def copier_bibliotheques(node_modules: Path, sortie: Path) -> int:
    """Copy Leaflet and supercluster from node_modules into sortie/theme/vendor/; files written."""
    manquants = [source for source, _ in BIBLIOTHEQUES if not (node_modules / source).exists()]
    if manquants:
        raise BibliothequesAbsentes(
            f"{node_modules / manquants[0]} introuvable : les bibliothèques de la carte ne sont pas "
            "installées. Lancez « npm ci » à la racine du projet (ou « make html »)."
        )
    ecrits = 0
    for source, cible in BIBLIOTHEQUES:
        for fichier, relatif in _fichiers(node_modules / source):
            ecrits += ecrire_si_change(sortie / DOSSIER_BIBLIOTHEQUES / cible / relatif, fichier.read_bytes())
    return ecrits
