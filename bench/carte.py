"""The map at national scale: 30,000 places from real records, loaded in headless chromium.

The places come from the national-standard files of ../shared/data (imported with the project's
own importer); those with coordinates are repeated with new ids and coordinates moved by up to
about 2 km until there are 30,000. Only what the map page needs is written: the page itself
(theme/templates/carte.html rendered with the theme), the theme's static files, the libraries
from node_modules, donnees/carte.geojson, donnees/carte/ and donnees/communes.json
(plugins/annuaire/outputs/carte.py).

Each run opens the page in a fresh chromium context (empty cache) and stops the clock when the
page is interactive: carte.js sets the mark "carte-prete" once the places are loaded, indexed and
the markers and list drawn. Bytes are the browser's transferSize (headers included) of every
request. Scenarios: a plain server and a gzip server (like any static host), on this machine, then
with a slow 4G link and with a 4× slower CPU (an average phone) for information.

    .venv/bin/python bench/carte.py [--taille 30000] [--essais 5] [--dossier /tmp/bench-carte]

Prints a Markdown table and writes it to bench/resultats/carte.md (git-ignored).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gzip
import http.server
import random
import shutil
import statistics
import sys
import threading
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE / "plugins"))
sys.path.insert(0, str(RACINE / "bench"))

from annuaire.domain import routes  # noqa: E402
from annuaire.domain.facettes import FACETTES, GENRES  # noqa: E402
from annuaire.domain.formats import slugifier  # noqa: E402
from annuaire.domain.model import Lieu  # noqa: E402
from annuaire.domain.reglages import lire_reglages  # noqa: E402
from annuaire.domain.texte import date_fr, pluriel  # noqa: E402
from annuaire.domain.vocabulaire import STATUTS  # noqa: E402
from annuaire.federation.importer import importer_fichier  # noqa: E402
from annuaire.outputs.carte import communes_carte, copier_bibliotheques, en_json, fichiers_carte  # noqa: E402
from commun import CHROMIUM, CHROMIUM_ARGS, DONNEES, FICHIERS, JOUR  # noqa: E402
from jinja2 import Environment, FileSystemLoader  # noqa: E402

DECALAGE = 0.02  # degrees: copies move by up to about 2 km
CIBLE_MS = 1500
VUES = {
    "France entière (zoom 6)": "vue=46.6,2.5,6",
    "une ville (Saint-Étienne, zoom 13)": "vue=45.4397,4.3872,13",
}
RESEAU_4G = {
    "offline": False,
    "latency": 60,
    "downloadThroughput": 9_000_000 / 8,
    "uploadThroughput": 1_500_000 / 8,
}
COMPRESSIBLES = {".html", ".js", ".css", ".json", ".geojson"}
MESURE_JS = """() => {
  const prete = performance.getEntriesByName("carte-prete")[0];
  const parType = (type) => performance.getEntriesByType(type);
  const entrees = [...parType("navigation"), ...parType("resource")];
  const donnees = entrees.filter((e) => e.name.includes("/donnees/"));
  const somme = (liste) => liste.reduce((total, e) => total + e.transferSize, 0);
  return { ms: prete.startTime, octets: somme(entrees), donnees: somme(donnees) };
}"""
FILTRE_JS = """() => {
  const case_ = document.querySelector("fieldset[data-facette=frais] input");
  const debut = performance.now();
  case_.click();
  return performance.now() - debut;
}"""


def lieux_reels(taille: int) -> list[Lieu]:
    """Places with coordinates from the national-standard files, repeated (moved a little) up to `taille`."""
    originaux: list[Lieu] = []
    for nom in FICHIERS:
        lieux, rapport = importer_fichier(DONNEES / nom, aujourd_hui=JOUR)
        print(f"  {rapport.resume()}", file=sys.stderr)
        originaux += [lieu for lieu in lieux if lieu.a_coordonnees]
    hasard = random.Random(42)
    lieux = list(originaux[:taille])
    while len(lieux) < taille:
        original = originaux[len(lieux) % len(originaux)]
        tour = len(lieux) // len(originaux)
        lieux.append(
            dataclasses.replace(
                original,
                id=f"{original.id}-copie{tour}",
                slug=f"{original.slug}-copie{tour}",
                latitude=original.latitude + hasard.uniform(-DECALAGE, DECALAGE),
                longitude=original.longitude + hasard.uniform(-DECALAGE, DECALAGE),
            )
        )
    return lieux


def png_blanc() -> bytes:
    """A 1×1 white PNG (the local tile)."""
    import struct
    import zlib

    def bloc(genre: bytes, donnees: bytes) -> bytes:
        return (
            struct.pack(">I", len(donnees)) + genre + donnees + struct.pack(">I", zlib.crc32(genre + donnees))
        )

    entete = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + bloc(b"IHDR", entete)
        + bloc(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + bloc(b"IEND", b"")
    )


def page_carte(reglages) -> str:
    """carte.html rendered like Pelican does (same template folder, options and filters)."""
    env = Environment(
        loader=FileSystemLoader(str(RACINE / "theme" / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update({"date_fr": date_fr, "pluriel": pluriel, "slug": slugifier})
    contexte = {
        "SITEURL": "",
        "reglages": reglages,
        "facettes": FACETTES,
        "genres": GENRES,
        "index": None,
        "page_url": "carte/",
        "routes": routes,
        "statuts": STATUTS,
    }
    return env.get_template("carte.html").render(contexte)


def ecrire_site(lieux: list[Lieu], dossier: Path) -> dict[str, int]:
    """Write what the map page needs into `dossier`; the sizes of the two data files."""
    shutil.rmtree(dossier, ignore_errors=True)
    shutil.copytree(RACINE / "theme" / "static", dossier / "theme")
    copier_bibliotheques(RACINE / "node_modules", dossier)
    (dossier / "tuile.png").write_bytes(png_blanc())
    reglages = lire_reglages({"tuiles_url": "/tuile.png?{z}/{x}/{y}", "tuiles_attribution": "banc d'essai"})
    (dossier / "carte").mkdir()
    (dossier / "carte" / "index.html").write_text(page_carte(reglages), encoding="utf-8")
    fichiers = {**fichiers_carte(lieux, {}), routes.CARTE_COMMUNES: en_json(communes_carte(lieux))}
    for chemin, texte in fichiers.items():
        (dossier / chemin).parent.mkdir(parents=True, exist_ok=True)
        (dossier / chemin).write_text(texte, encoding="utf-8")
    nommes = (routes.CARTE_GEOJSON, routes.CARTE_COMMUNES)
    return {Path(nom).name: len(fichiers[nom].encode()) for nom in nommes}


class Serveur(http.server.SimpleHTTPRequestHandler):
    """A static server; with `compresser`, text files go out gzipped like on any static host."""

    compresser = False

    def log_message(self, *args):
        pass

    def send_head(self):
        chemin = Path(self.translate_path(self.path.split("?")[0]))
        if chemin.is_dir() and self.path.split("?")[0].endswith("/"):
            chemin = chemin / "index.html"  # a folder's page: compressed like any HTML file
        accepte = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compresser and accepte and chemin.suffix in COMPRESSIBLES and chemin.is_file()):
            return super().send_head()
        corps = _gzip(chemin)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(chemin)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(corps)))
        self.end_headers()
        return _Corps(corps)


@functools.cache
def _gzip(chemin: Path) -> bytes:
    """A file's gzip body, compressed once (static hosts keep or precompute them too)."""
    return gzip.compress(chemin.read_bytes(), 6)


class _Corps:
    """The file-like body send_head returns for a gzipped answer."""

    def __init__(self, corps: bytes):
        self.corps = corps

    def read(self, *args) -> bytes:
        corps, self.corps = self.corps, b""
        return corps

    def close(self) -> None:
        pass


def servir(dossier: Path, compresser: bool):
    """Serve `dossier` on 127.0.0.1 in a thread; (base URL, server)."""
    classe = type("ServeurBanc", (Serveur,), {"compresser": compresser})
    gestionnaire = functools.partial(classe, directory=str(dossier))
    serveur = http.server.ThreadingHTTPServer(("127.0.0.1", 0), gestionnaire)
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{serveur.server_address[1]}", serveur


def un_essai(navigateur, url: str, reseau: dict | None, cpu: float) -> dict:
    """Open the map once in a fresh context: time to interactive, bytes, filter time."""
    contexte = navigateur.new_context(viewport={"width": 1280, "height": 900})
    page = contexte.new_page()
    cdp = contexte.new_cdp_session(page)
    if reseau:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", reseau)
    if cpu > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    page.goto(url)
    page.wait_for_selector("#carte-page[data-etat=prete]", timeout=60_000)
    mesure = page.evaluate(MESURE_JS)
    page.locator(".carte-filtres summary").click()
    page.locator("fieldset[data-facette=frais] input").first.wait_for()
    mesure["filtre"] = page.evaluate(FILTRE_JS)
    contexte.close()
    return mesure


def scenario(navigateur, base: str, vue: str, essais: int, reseau=None, cpu: float = 1) -> dict:
    """Median and worst of `essais` runs (after one warm-up run of chromium itself)."""
    un_essai(navigateur, f"{base}/carte/?{vue}", reseau, cpu)
    mesures = [un_essai(navigateur, f"{base}/carte/?{vue}", reseau, cpu) for _ in range(essais)]
    temps = [m["ms"] for m in mesures]
    return {
        "mediane": statistics.median(temps),
        "pire": max(temps),
        "octets": mesures[-1]["octets"],
        "donnees": mesures[-1]["donnees"],
        "filtre": statistics.median(m["filtre"] for m in mesures),
    }


def ko(octets: float) -> str:
    """ "1 234 Ko"."""
    return f"{octets / 1024:,.0f} Ko".replace(",", " ")


def tableau(taille: int, tailles: dict[str, int], lignes: list[tuple[str, str, dict]]) -> str:
    """The Markdown report."""
    geojson, communes = ko(tailles["carte.geojson"]), ko(tailles["communes.json"])
    sortie = [
        f"# Carte : {taille:,} lieux".replace(",", " "),
        "",
        f"Fichiers : carte.geojson {geojson}, communes.json {communes} (non compressés).",
        "",
        "| conditions | vue | interactive (médiane) | pire | octets transférés | dont données "
        "| filtre appliqué |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for conditions, vue, m in lignes:
        ok = "✅" if m["mediane"] <= CIBLE_MS else "❌"
        sortie.append(
            f"| {conditions} | {vue} | {m['mediane']:.0f} ms {ok} | {m['pire']:.0f} ms | "
            f"{ko(m['octets'])} | {ko(m['donnees'])} | {m['filtre']:.0f} ms |"
        )
    sortie += [
        "",
        f"Cible : page interactive en moins de {CIBLE_MS} ms dans chromium headless sur cette machine.",
    ]
    return "\n".join(sortie) + "\n"


def mesurer(dossier: Path, essais: int) -> list[tuple[str, str, dict]]:
    """Every scenario, on a plain server then a gzip one."""
    from playwright.sync_api import sync_playwright

    lignes = []
    with sync_playwright() as pw:
        navigateur = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for compresser, nom in ((False, "local, sans compression"), (True, "local, gzip")):
            base, serveur = servir(dossier, compresser)
            lignes += [(nom, vue, scenario(navigateur, base, q, essais)) for vue, q in VUES.items()]
            if compresser:
                vue, q = next(iter(VUES.items()))
                lignes.append(
                    (
                        "gzip, 4G lente (9 Mbit/s, 60 ms)",
                        vue,
                        scenario(navigateur, base, q, essais, RESEAU_4G),
                    )
                )
                lignes.append(
                    ("gzip, processeur ×4 plus lent", vue, scenario(navigateur, base, q, essais, cpu=4))
                )
            serveur.shutdown()
            serveur.server_close()
        navigateur.close()
    return lignes


def principal() -> int:
    """Generate, write, measure, report."""
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--taille", type=int, default=30_000)
    arguments.add_argument("--essais", type=int, default=5)
    arguments.add_argument("--dossier", type=Path, default=Path("/tmp/bench-carte"))
    options = arguments.parse_args()
    lieux = lieux_reels(options.taille)
    tailles = ecrire_site(lieux, options.dossier)
    rapport = tableau(len(lieux), tailles, mesurer(options.dossier, options.essais))
    print(rapport)
    resultats = RACINE / "bench" / "resultats"
    resultats.mkdir(exist_ok=True)
    (resultats / "carte.md").write_text(rapport, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(principal())
