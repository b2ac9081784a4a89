"""On a phone: Lighthouse's mobile profile on a built site, served with gzip on 127.0.0.1.

Lighthouse (npm `lighthouse`, pinned in package.json) drives Debian's chromium with its default
mobile emulation (a mid-range phone, simulated 4G throttling and a 4× slower processor). For each
page (home, the heaviest sheet, a search with a query, the map) it gives the performance score,
LCP, TBT, CLS, the bytes transferred before the largest paint and in all: each the median of
`--essais` runs (3), since Lighthouse's simulated slow processor multiplies the main thread's
times as measured, and a shared machine's load swings them. The map's tiles come from
the site's tile server, off this machine: they are blocked (`--blocked-url-patterns`), as the
bench never reaches the network.

    .venv/bin/python bench/telephone.py output/ [--pages accueil,fiche,recherche,carte] [--essais 3]

bench/bench.py runs it on each size with `--telephone`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE / "bench"))

from commun import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LIGHTHOUSE = RACINE / "node_modules" / ".bin" / "lighthouse"
PAGES = {"accueil": "/", "fiche": None, "recherche": "/recherche/?q=smartphone", "carte": "/carte/"}
CIBLES = {"accueil": 95, "fiche": 95, "recherche": 90, "carte": 90}  # performance scores (issue 20)
BLOQUES = ("*tile.openstreetmap*", "*tile.osm*", "*basemaps*")
ESSAIS = 3  # runs per page: the median is kept
DUREE_MAX = 300  # seconds for one Lighthouse run on a busy machine


def fiche_la_plus_lourde(sortie: Path) -> str:
    """The URL path of the largest place sheet (the worst case)."""
    fiches = sorted((sortie / "lieux").glob("*/index.html"), key=lambda p: (-p.stat().st_size, p.name))
    return f"/lieux/{fiches[0].parent.name}/"


def lancer_lighthouse(url: str, rapport: Path) -> dict:
    """One Lighthouse run (performance only, mobile defaults); its JSON report."""
    commande = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={rapport}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        f"--blocked-url-patterns={','.join(BLOQUES)}",
        "--quiet",
    ]
    environnement = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(commande, check=True, env=environnement, timeout=DUREE_MAX, capture_output=True)
    return json.loads(rapport.read_text(encoding="utf-8"))


def octets_avant(rapport: dict, instant_ms: float) -> int:
    """Bytes transferred by the requests finished before `instant_ms` (from navigation start)."""
    requetes = rapport["audits"]["network-requests"]["details"]["items"]
    return sum(r.get("transferSize", 0) for r in requetes if r.get("networkEndTime", 0) <= instant_ms)


def chiffres(rapport: dict) -> dict:
    """Score, LCP, TBT, CLS and bytes of one report."""
    audits = rapport["audits"]
    observe = audits["metrics"]["details"]["items"][0]
    lcp_observe = observe.get("observedLargestContentfulPaint", 0)
    return {
        "score": round(100 * (rapport["categories"]["performance"]["score"] or 0)),
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "octets_avant": octets_avant(rapport, lcp_observe),
        "octets": audits["total-byte-weight"]["numericValue"],
    }


def mediane(essais: list[dict]) -> dict:
    """Each figure's median over several runs (a shared machine's load swings main-thread times)."""
    return {cle: statistics.median(e[cle] for e in essais) for cle in essais[0]}


def mesurer_site(sortie: Path, pages: list[str] | None = None, essais: int = ESSAIS) -> dict[str, dict]:
    """{page: median figures of `essais` runs} for a built site, served with gzip on 127.0.0.1."""
    import carte as banc_carte

    chemins = {**PAGES, "fiche": fiche_la_plus_lourde(sortie)}
    base, serveur = banc_carte.servir(sortie, True)
    resultats = {}
    try:
        with tempfile.TemporaryDirectory() as dossier:
            for nom in pages or list(PAGES):
                print(f"  Lighthouse {chemins[nom]} …", file=sys.stderr, flush=True)
                rapports = [
                    lancer_lighthouse(base + chemins[nom], Path(dossier) / f"{nom}.json")
                    for _ in range(essais)
                ]
                resultats[nom] = {"chemin": chemins[nom], **mediane([chiffres(r) for r in rapports])}
    finally:
        serveur.shutdown()
    return resultats


def lignes(taille: int | None, resultats: dict[str, dict]) -> list[str]:
    """Markdown rows: page, score (target), LCP, TBT, CLS, bytes before the largest paint, bytes."""
    sortie = []
    for nom, r in resultats.items():
        lcp, tbt = f"{r['lcp_ms'] / 1000:.1f}".replace(".", ",") + " s", f"{r['tbt_ms']:.0f} ms"
        cls = f"{r['cls']:.3f}".replace(".", ",")
        avant, tout = f"{r['octets_avant'] / 1024:.0f} Ko", f"{r['octets'] / 1024:.0f} Ko"
        debut = f"| {taille:,} ".replace(",", " ") if taille else "| "
        score = f"{r['score']} (≥ {CIBLES[nom]})"
        sortie.append(f"{debut}| {r['chemin']} | {score} | {lcp} | {tbt} | {cls} | {avant} | {tout} |")
    return sortie


ENTETE = [
    "| lieux | page | performance (cible) | LCP | TBT | CLS | octets avant LCP | octets en tout |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
]


def main() -> int:
    """Measure one built site; print the table rows."""
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument("sortie", type=Path, help="dossier du site construit (output/)")
    parametres.add_argument("--pages", default=",".join(PAGES), help="pages, séparées par des virgules")
    parametres.add_argument("--lieux", type=int, default=None, help="nombre de lieux (pour le tableau)")
    parametres.add_argument("--essais", type=int, default=ESSAIS, help="passages par page (médiane)")
    args = parametres.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} introuvable : lancez « npm ci »")
    resultats = mesurer_site(args.sortie, [p for p in args.pages.split(",") if p], args.essais)
    print("\n".join(ENTETE + lignes(args.lieux, resultats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
