"""Search at national scale: 30,000 places from real records, built, indexed and queried in chromium.

The places come from the national-standard files of ../shared/data (imported with the project's own
importer), repeated with new ids and slightly moved coordinates until there are 30,000 of them. The
site is built with `construire_site` (Pelican, then Pagefind), served on 127.0.0.1, and each query
runs in a fresh headless chromium page (empty cache): the clock starts at the keystroke (one input
event, like a paste) and stops when the first result card is on the page; the bytes are counted by
the server, for the page's search set-up and for the query.

    .venv/bin/python bench/recherche.py [--taille 30000] [--dossier /tmp/bench-recherche]

Prints a Markdown table and writes it to bench/resultats/recherche.md (git-ignored).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gzip
import http.server
import math
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE / "plugins"))
sys.path.insert(0, str(RACINE / "bench"))

from annuaire.build import construction as build  # noqa: E402
from annuaire.domain.model import Lieu  # noqa: E402
from annuaire.federation.importer import importer_fichier  # noqa: E402
from annuaire.search import pagefind as recherche  # noqa: E402
from commun import CHROMIUM, CHROMIUM_ARGS, DONNEES, FICHIERS, JOUR, ecrire_fiches  # noqa: E402

CIBLE_MS, CIBLE_OCTETS = 300, 300 * 1024

# In the page: the clock starts at the first input event and stops at the first result card (or at
# the count, for a query without results); the facet counts come later, in the background.
CHRONO_JS = """() => {
  window.__chrono = {};
  document.getElementById("q").addEventListener("input", () => {
    window.__chrono.debut ??= performance.now();
  }, { capture: true });
  const liste = document.getElementById("liste-resultats");
  const compte = document.getElementById("compte");
  const avant = compte.textContent;
  const fini = () => {
    if (!window.__chrono.fin && (liste.querySelector("li") || compte.textContent !== avant)) {
      window.__chrono.fin = performance.now();
    }
  };
  new MutationObserver(fini).observe(liste, { childList: true });
  new MutationObserver(fini).observe(compte, { childList: true, characterData: true, subtree: true });
  const racine = document.getElementById("recherche");
  new MutationObserver(() => {
    if (window.__chrono.fin && !window.__chrono.comptes && "comptes" in racine.dataset) {
      window.__chrono.comptes = performance.now();
    }
  }).observe(racine, { attributes: true, attributeFilter: ["data-comptes"] });
}"""


def lieux_reels(taille: int) -> list[Lieu]:
    """Places of the national-standard files (each id once), repeated (new ids, moved a little)."""
    par_id: dict[str, Lieu] = {}
    for nom in FICHIERS:
        lieux, rapport = importer_fichier(DONNEES / nom, aujourd_hui=JOUR)
        print(f"  {rapport.resume()}", file=sys.stderr)
        for lieu in lieux:
            par_id.setdefault(lieu.id, lieu)  # the same place in two vintages of a file: once
    originaux = list(par_id.values())
    print(f"  {len(originaux)} lieux distincts", file=sys.stderr)
    hasard = random.Random(42)
    lieux = list(originaux[:taille])
    while len(lieux) < taille:
        tour = len(lieux) // len(originaux)
        lieux += [copie(lieu, tour, hasard) for lieu in originaux[: taille - len(lieux)]]
    return lieux


def copie(lieu: Lieu, tour: int, hasard: random.Random) -> Lieu:
    """The same place under a new id (commun.ecrire_fiches: its own file), moved by up to ~1 km."""
    bouge = {}
    if lieu.a_coordonnees:
        bouge = {
            "latitude": round(lieu.latitude + hasard.uniform(-0.01, 0.01), 6),
            "longitude": round(lieu.longitude + hasard.uniform(-0.01, 0.01), 6),
        }
    return dataclasses.replace(lieu, id=f"{lieu.id}-{tour}", **bouge)


def construire(lieux: list[Lieu], dossier: Path) -> tuple[float, recherche.Rapport]:
    """Write the entries, build the site into dossier/output; (build seconds, indexing report)."""
    contenu = dossier / "content"
    ecrire_fiches(lieux, contenu / "lieux")
    (contenu / "reseaux").mkdir(exist_ok=True)
    rapports: list[recherche.Rapport] = []
    build.indexer = lambda site: rapports.append(recherche.indexer(site)) or rapports[-1]  # keep the report
    debut = time.monotonic()
    surcharges = {
        "PATH": str(contenu),
        "ANNUAIRE_DATE": JOUR.isoformat(),
        "ANNUAIRE_NODE_MODULES": str(RACINE / "node_modules"),
    }
    if build.construire_site(RACINE / "pelicanconf.py", dossier / "output", surcharges) != 0:
        raise SystemExit("la construction du site a échoué")
    return time.monotonic() - debut, rapports[0]


TEXTE = ("/", ".html", ".css", ".js", ".json")  # compressed by hosts such as GitHub Pages
COMPTEUR = ("/pagefind/filter/", "/pagefind/pagefind-worker.js")  # only the facet counts need these


def deja_construit(sortie: Path) -> recherche.Rapport:
    """The index of a site built earlier, with the theme's current scripts and styles copied in."""
    index = sortie / recherche.DOSSIER_INDEX
    if not index.is_dir():
        raise SystemExit(f"{index} introuvable : construisez d'abord le site (sans --deja-construit)")
    for dossier in ("js", "css"):
        shutil.copytree(RACINE / "theme" / "static" / dossier, sortie / "theme" / dossier, dirs_exist_ok=True)
    pages = sum(1 for _ in (index / "fragment").glob("*"))
    return recherche.Rapport(pages, *recherche.taille(index), float("nan"))


class Compteur(http.server.SimpleHTTPRequestHandler):
    """Serves the site and records every file it sends: (path, bytes, bytes once gzipped)."""

    journal: list[tuple[str, int, int]]  # set per server by servir()

    def log_message(self, *args):
        """Quiet."""

    def copyfile(self, source, destination):
        """Send the file and record its size (and its gzip size for text files)."""
        contenu = source.read()
        source.seek(0)
        super().copyfile(source, destination)
        chemin = self.path.split("?")[0]
        compresse = len(gzip.compress(contenu)) if chemin.endswith(TEXTE) else len(contenu)
        self.journal.append((chemin, len(contenu), compresse))


def servir(dossier: Path) -> tuple[str, http.server.ThreadingHTTPServer, list]:
    """Serve `dossier` on 127.0.0.1; (base URL, server, the journal of files sent)."""
    journal: list[tuple[str, int, int]] = []
    gestionnaire = functools.partial(
        type("CompteurSite", (Compteur,), {"journal": journal}), directory=str(dossier)
    )
    serveur = http.server.ThreadingHTTPServer(("127.0.0.1", 0), gestionnaire)
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{serveur.server_address[1]}", serveur, journal


def bilan(entrees: list[tuple[str, int, int]], comptes: bool) -> tuple[int, int, int]:
    """(files, bytes, gzip bytes) of the journal entries needed by the counts (or by the results)."""
    choisies = [e for e in entrees if e[0].startswith(COMPTEUR) == comptes]
    return len(choisies), sum(e[1] for e in choisies), sum(e[2] for e in choisies)


def mesurer(navigateur, base: str, journal: list, requete: str) -> dict:
    """One cold visit: load /recherche/, type the query; ms and bytes to the first card and to the counts.

    The results need pagefind.js, its wasm, the index's page list, index chunks and fragments; the
    facet counts (Pagefind's worker and filter lists) load in the background and are counted apart.
    """
    contexte = navigateur.new_context()
    page = contexte.new_page()
    erreurs: list[str] = []
    page.on("pageerror", lambda e: erreurs.append(str(e)))
    journal.clear()
    page.goto(f"{base}/recherche/")
    page.wait_for_selector("#recherche[data-pret]", timeout=60000)
    page.evaluate(CHRONO_JS)
    page.wait_for_timeout(500)  # the visitor reads, then types
    avant = len(journal)
    page.fill("#q", requete)
    page.wait_for_function("() => window.__chrono.fin", timeout=60000)
    apres = len(journal)
    page.wait_for_function("() => window.__chrono.comptes", timeout=120000)
    chrono = page.evaluate("() => window.__chrono")
    resultat = {
        "requete": requete,
        "compte": page.inner_text("#compte"),
        "erreurs": erreurs,
        "ms": chrono["fin"] - chrono["debut"],
        "ms_comptes": chrono["comptes"] - chrono["debut"],
        "frappe": bilan(journal[avant:apres], False),
        "visite": bilan(journal[:apres], False),
        "comptes": bilan(journal, True),
    }
    contexte.close()
    return resultat


def mediane(visites: list[dict]) -> dict:
    """The visit with the median time to the first card, with the range of all visits' times."""
    rangees = sorted(visites, key=lambda m: m["ms"])
    return {
        **rangees[len(rangees) // 2],
        "ms_min": rangees[0]["ms"],
        "ms_max": rangees[-1]["ms"],
        "erreurs": [e for m in visites for e in m["erreurs"]],
    }


def commune_frequente(lieux: list[Lieu]) -> str:
    """The commune with the most places."""
    return Counter(lieu.commune for lieu in lieux if lieu.commune).most_common(1)[0][0]


def nombre(n: float) -> str:
    """A number with French thousands separators."""
    return f"{n:,.0f}".replace(",", "\u202f")


def ko(octets: float) -> str:
    """Bytes as French kilobytes."""
    return f"{nombre(octets / 1024)} Ko"


def ligne_mesure(m: dict) -> str:
    """One table row of a query."""
    (fichiers, brut, _), (_, visite, visite_gz) = m["frappe"], m["visite"]
    return (
        f"| « {m['requete']} » | {m['compte']} | **{m['ms']:.0f} ms** "
        f"({m['ms_min']:.0f}–{m['ms_max']:.0f}) | {ko(brut)} ({fichiers} fichiers) | "
        f"**{ko(visite)}** (≈ {ko(visite_gz)} compressé) | "
        f"{m['ms_comptes'] / 1000:.1f} s, {ko(m['comptes'][1])} |"
    )


def tableau(taille: int, duree: float | None, rapport: recherche.Rapport, mesures: list[dict]) -> str:
    """The Markdown report."""
    construction = f"{duree:.0f} s" if duree is not None else "(déjà construit)"
    indexation = "—" if math.isnan(rapport.duree) else f"{rapport.duree:.0f} s"
    lignes = [
        f"## Recherche à l'échelle nationale : {nombre(taille)} lieux",
        "",
        "| mesure | valeur |",
        "| --- | --- |",
        f"| construction du site (Pelican + index) | {construction} |",
        f"| indexation Pagefind | {indexation} ({nombre(rapport.pages)} fiches) |",
        f"| index sur disque | {nombre(rapport.fichiers)} fichiers, {rapport.octets / 1024 / 1024:.1f} Mo |",
        "",
        f"Première visite de /recherche/ dans chromium, cache vide (cible : {CIBLE_MS} ms et "
        f"{ko(CIBLE_OCTETS)} pour la première requête) :",
        "",
        "| requête | résultat | 1er résultat après la frappe (médiane, extrêmes) | "
        "téléchargé par la frappe | téléchargé en tout jusqu'au 1er résultat (page comprise) | "
        "comptes des filtres (arrière-plan) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lignes += [ligne_mesure(m) for m in mesures]
    lignes += [
        "",
        "« téléchargé en tout » : la page, ses styles et scripts, pagefind.js, son wasm, la liste "
        "des pages de l'index (chargés avant la frappe), puis les morceaux d'index et les fiches des "
        "premiers résultats. « compressé » : ce qu'envoie un hébergeur qui compresse HTML, CSS et JS "
        "(GitHub Pages) ; les fichiers de l'index le sont déjà. Les comptes des filtres (worker de "
        "Pagefind et listes des filtres) se chargent à part, sans retarder les résultats.",
    ]
    return "\n".join(lignes) + "\n"


def main() -> int:
    """Generate, build, index, query; print and save the table."""
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument("--taille", type=int, default=30_000)
    parametres.add_argument("--dossier", type=Path, default=None, help="dossier de travail (gardé)")
    parametres.add_argument("--repetitions", type=int, default=3, help="visites par requête (médiane)")
    parametres.add_argument(
        "--deja-construit",
        action="store_true",
        help="mesurer le site déjà construit dans --dossier (scripts du thème recopiés)",
    )
    args = parametres.parse_args()
    if not DONNEES.is_dir():
        raise SystemExit(f"{DONNEES} introuvable : les données réelles sont nécessaires")
    dossier = args.dossier or Path(tempfile.mkdtemp(prefix="bench-recherche-"))
    print(f"Lieux : import de {DONNEES} …", file=sys.stderr)
    lieux = lieux_reels(args.taille)
    if args.deja_construit:
        duree, rapport = None, deja_construit(dossier / "output")
    else:
        duree, rapport = construire(lieux, dossier)
    requetes = ["démarches", "smartphone", commune_frequente(lieux), "Saint-Étienne"]
    from playwright.sync_api import sync_playwright

    base, serveur, journal = servir(dossier / "output")
    with sync_playwright() as pw:
        navigateur = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        mesures = [
            mediane([mesurer(navigateur, base, journal, q) for _ in range(args.repetitions)])
            for q in requetes
        ]
        navigateur.close()
    serveur.shutdown()
    texte = tableau(len(lieux), duree, rapport, mesures)
    print(texte)
    (RACINE / "bench" / "resultats").mkdir(parents=True, exist_ok=True)
    (RACINE / "bench" / "resultats" / "recherche.md").write_text(texte, encoding="utf-8")
    return 1 if any(m["erreurs"] for m in mesures) else 0


if __name__ == "__main__":
    sys.exit(main())
