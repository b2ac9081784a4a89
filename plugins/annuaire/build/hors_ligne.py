"""Offline use and installation: the web app manifest and its icons, the service worker, and the
two pages of the offline mode ("Mes lieux", the offline page).

Plain Python (no Pelican). The glue adds `pages_hors_ligne()` to the site plan and calls
`ecrire_hors_ligne` once its pages and data are written (Pelican copies the theme's static files
after: their sources are read instead). The service worker (theme/hors-ligne/sw.js) is written at
the root of the site (so that its scope is the whole site, SITEURL's sub-path included) with the
build's id in it: a new build is a new worker, whose caches replace the last build's.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from annuaire.build.publication import fichiers_sous
from annuaire.domain import routes
from annuaire.domain.reglages import ReglageInvalide, Reglages, lire_reglages
from annuaire.site.plan import PageARendre

MANIFESTE = routes.MANIFESTE
TRAVAILLEUR = routes.TRAVAILLEUR
SOURCE_TRAVAILLEUR = Path("hors-ligne") / "sw.js"  # in the theme, outside static/: not copied as is
MARQUE_VERSION = "__VERSION_CONSTRUCTION__"
TAILLES_ICONES = (192, 512)
NOM_COURT = "Aide numérique"  # default short name; ANNUAIRE["extra"]["nom_court"] overrides it
# Folders left out of the build's id (walking 65,000 files took seconds): the search index (made
# from the sheets, and maybe being written: a full build starts Pagefind as soon as the sheets are
# written) and the folders of the place and group pages, which all count by their fingerprints.
DOSSIERS_NON_LUS = ("pagefind", "pagefind-delta", "lieux", "communes", "services", "reseaux")
# The icon: a white ring and dot (a place on a map) inside the maskable safe zone (radius 40 %).
RAYONS_ICONE = (0.31, 0.2, 0.095)


def chemin_base(siteurl: str) -> str:
    """The site's path with a final slash: "/" for "", "/annuaire/" for "/annuaire" or for
    "https://org.github.io/annuaire" (the manifest and the worker's scope are paths)."""
    return urlsplit(siteurl or "").path.rstrip("/") + "/"


def chemin_icone(taille: int) -> str:
    """Where the icon of `taille` pixels is written, relative to the site."""
    return f"theme/images/icone-{taille}.png"


def nom_court(reglages: Reglages) -> str:
    """The name under the icon: ANNUAIRE["extra"]["nom_court"], or NOM_COURT."""
    extra = reglages.extra if isinstance(reglages.extra, dict) else {}
    nom = extra.get("nom_court", NOM_COURT)
    if not (isinstance(nom, str) and nom.strip()):
        raise ReglageInvalide(f"ANNUAIRE['extra']['nom_court'] : attendu un texte non vide, reçu {nom!r}")
    return nom.strip()


def manifeste(reglages: Reglages, siteurl: str) -> dict:
    """The web app manifest: French names, the territory's colour, start and scope at the site's
    path; each icon is both "any" and "maskable" (its drawing stays inside the safe zone)."""
    base = chemin_base(siteurl)
    nom = f"{reglages.nom} – {reglages.territoire}" if reglages.territoire else reglages.nom
    icones = [{"src": base + chemin_icone(t), "sizes": f"{t}x{t}", "type": "image/png", "purpose": but}
              for but in ("any", "maskable") for t in TAILLES_ICONES]  # fmt: skip
    raccourcis = [{"name": "Mes lieux", "short_name": "Mes lieux", "url": f"{base}{routes.MES_LIEUX}"},
                  {"name": "Rechercher un lieu", "short_name": "Rechercher",
                   "url": f"{base}recherche/"}]  # fmt: skip
    return {
        "lang": "fr", "dir": "ltr", "name": nom,
        "short_name": nom_court(reglages),
        "description": reglages.slogan, "id": base, "start_url": base, "scope": base,
        "display": "standalone", "background_color": "#ffffff",
        "theme_color": reglages.couleurs["principale"], "icons": icones, "shortcuts": raccourcis,
    }  # fmt: skip


def _couleur(texte: str) -> tuple[int, int, int]:
    """(r, g, b) of "#rrggbb" (checked by reglages)."""
    return int(texte[1:3], 16), int(texte[3:5], 16), int(texte[5:7], 16)


def _couverture(distance: float, taille: int) -> float:
    """How much of a pixel at `distance` from the centre the white drawing covers (0 to 1), with a
    one-pixel soft edge: the ring between the first two radii, plus the dot."""
    bord = lambda r: min(1.0, max(0.0, r * taille - distance + 0.5))  # noqa: E731
    exterieur, interieur, point = RAYONS_ICONE
    return bord(exterieur) - bord(interieur) + bord(point)


def _abscisse(rayon: float, y: float) -> float:
    """Where a circle of `rayon` around the centre crosses the row `y` from it (0 if it does not)."""
    return math.sqrt(max(0.0, rayon * rayon - y * y))


def _ligne(y: float, taille: int, fond: tuple[int, int, int], pixels: dict) -> bytes:
    """The row whose centre is `y` pixels from the icon's centre. Its right half: whole white
    spans (the dot, the ring), then the pixels within one pixel of a circle, worked out one by
    one (a few thousand for the whole icon instead of 65,000); the left half mirrors it."""
    moitie = taille // 2
    exterieur, interieur, point = (r * taille for r in RAYONS_ICONE)
    alphas = [0.0] * moitie
    for debut, fin in ((0.0, point), (interieur, exterieur)):
        de, a = int(_abscisse(debut, y)) if debut else 0, min(moitie, int(_abscisse(fin, y)))
        alphas[de:a] = [1.0] * max(0, a - de)
    for rayon in (exterieur, interieur, point):
        if rayon + 1 >= abs(y):
            de = max(0, int(_abscisse(rayon - 1, y) - 0.5))
            a = min(moitie, math.ceil(_abscisse(rayon + 1, y)) + 1)
            alphas[de:a] = [_couverture(math.hypot(x + 0.5, y), taille) for x in range(de, a)]
    for alpha in set(alphas) - pixels.keys():
        pixels[alpha] = bytes(round(c + (255 - c) * alpha) for c in fond)
    return b"".join(pixels[alpha] for alpha in (*reversed(alphas), *alphas))


def _lignes_icone(taille: int, fond: tuple[int, int, int]) -> list[bytes]:
    """The RGB rows of the icon. The drawing is symmetric: the top half's rows are computed (from
    their right half), then mirrored."""
    pixels: dict[float, bytes] = {}  # RGB of each coverage value
    haut = []
    for y in range(taille // 2):
        haut.append(_ligne(taille // 2 - y - 0.5, taille, fond, pixels))
    return haut + haut[::-1]


def _bloc_png(genre: bytes, donnees: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(donnees)) + genre + donnees + struct.pack(">I", zlib.crc32(genre + donnees))


def icone_png(taille: int, couleur: str) -> bytes:
    """A square PNG icon of `taille` pixels: the territory's colour, a white ring and dot."""
    lignes = _lignes_icone(taille, _couleur(couleur))
    brut = b"".join(b"\x00" + ligne for ligne in lignes)  # filter 0 on each row
    entete = struct.pack(">IIBBBBB", taille, taille, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + _bloc_png(b"IHDR", entete)
            + _bloc_png(b"IDAT", zlib.compress(brut, 6)) + _bloc_png(b"IEND", b""))  # fmt: skip


def _fichiers_comptes(dossier: Path, pages: dict[str, str]) -> list[str]:
    """The files whose bytes go into the build's id, sorted: not the pages with a fingerprint
    (it counts for them), nor anything under DOSSIERS_NON_LUS."""
    trouves = []
    for racine, dossiers, noms in os.walk(dossier):
        relatif = Path(racine).relative_to(dossier).as_posix()
        if relatif == ".":
            dossiers[:] = [d for d in dossiers if d not in DOSSIERS_NON_LUS]
        trouves += [c for nom in noms if (c := nom if relatif == "." else f"{relatif}/{nom}") not in pages]
    return sorted(trouves)


def identifiant_construction(dossier: Path, pages: dict[str, str], version: str, source: str,
                             statiques: Path | None = None) -> str:  # fmt: skip
    """The build's id: a digest of what the site serves. Pages count by their fingerprints (the
    pages kept from the last publication are not in `dossier`), every other file of `dossier` by
    its bytes, with the global inputs' `version`, the worker's `source` and the theme's static
    files (`statiques`, copied after). The same build gives the same id; any change to what a
    visitor may have kept gives a new one."""
    empreinte = hashlib.blake2b(digest_size=8)
    empreinte.update(json.dumps([version, sorted(pages.items())]).encode())
    empreinte.update(source.encode())
    fichiers = [(c, dossier / c) for c in _fichiers_comptes(dossier, pages)]
    if statiques is not None:
        fichiers += [(f"theme/{c}", statiques / c) for c in sorted(fichiers_sous(statiques))]
    for chemin, fichier in fichiers:
        # CRC-32 tells a changed file (three times faster than blake2b: the open data of a national
        # directory is ~80 MB); the id is not a security check.
        octets = fichier.read_bytes()
        empreinte.update(f"{chemin}\0{len(octets)}\0{zlib.crc32(octets)}\0".encode())
    return empreinte.hexdigest()


def texte_travailleur(source: str, ident: str) -> str:
    """The service worker's source with the build's id in place of its marker."""
    if source.count(MARQUE_VERSION) != 1:
        raise ValueError(f"{SOURCE_TRAVAILLEUR} doit contenir une fois {MARQUE_VERSION}")
    return source.replace(MARQUE_VERSION, ident)


def ecrire_hors_ligne(dossier: Path, settings: dict, pages: dict[str, str], version: str) -> str:
    """Write the manifest, the icons and the service worker (last: its id covers the rest) into
    the build's folder `dossier`; the build's id. `pages`: every page's fingerprint."""
    reglages = lire_reglages(settings.get("ANNUAIRE"))
    texte = json.dumps(manifeste(reglages, settings.get("SITEURL", "")), ensure_ascii=False, indent=1)
    (dossier / MANIFESTE).write_text(texte + "\n", encoding="utf-8")
    for taille in TAILLES_ICONES:
        chemin = dossier / chemin_icone(taille)
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_bytes(icone_png(taille, reglages.couleurs["principale"]))
    theme = Path(settings["THEME"])
    source = (theme / SOURCE_TRAVAILLEUR).read_text(encoding="utf-8")
    ident = identifiant_construction(dossier, pages, version, source, theme / "static")
    (dossier / TRAVAILLEUR).write_text(texte_travailleur(source, ident), encoding="utf-8")
    return ident


def pages_hors_ligne() -> list[PageARendre]:
    """The offline mode's pages: "Mes lieux" (the places kept in this browser) and the page the
    worker shows for a page never visited. Neither is in the sitemap (no URL): nothing to index."""
    return [
        PageARendre(routes.fichier(routes.MES_LIEUX), "mes_lieux.html", {}),
        PageARendre(routes.fichier(routes.HORS_LIGNE), "hors_ligne.html", {}),
    ]
