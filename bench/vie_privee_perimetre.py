"""Issue 16, points 5-7, measured on the real files: withheld personal contacts, out-of-scope rows,
producer mistakes flagged, and the time of each import (nothing is written).

Usage: python bench/vie_privee_perimetre.py [DOSSIER]  (default: ../shared/data next to the project)
Prints a Markdown table (the one in the README, section « Données réelles : vie privée, périmètre,
erreurs des producteurs »). Exits 2 when the folder is missing.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from annuaire.federation.importer import RapportImport, importer_fichier

DOSSIER = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FICHIERS = (
    "cnfs.json",
    "data-inclusion.json",
    "source.json",
    "lieux-de-mediation-numerique.cnfs.json",
    "20230516-hub-du-sud-lieux-de-mediation-numeriques-provence-alpes-cote-d-azur.json",
    "20230517-hub-du-sud-lieux-de-mediation-numeriques-provence-alpes-cote-d-azur.json",
    "lieux-de-mediation-numerique.back.json",
    "20230711-charente-lieux-de-mediation-numeriques-nouvelle-aquitaine.json",
    "20231003-bus-france-services-en-charente-lieux-de-mediation-numeriques-nouvelle-aquitaine.json",
)
COLONNES = (
    "lus",
    "publiés",
    "hors périmètre",
    "e-mails",
    "mobiles",
    "horaires",
    "pivots",
    "dont 0…0",
    "dates 1970",
)


def _erreurs(rapport: RapportImport, debut: str, contient: str = "") -> int:
    """How many producer mistakes of a kind (its report label starts with `debut`)."""
    return sum(n for k, n in rapport.erreurs_producteur.items() if k.startswith(debut) and contient in k)


def mesures(rapport: RapportImport) -> dict[str, int]:
    """The figures of one import, by column."""
    valeurs = (
        rapport.lus,
        rapport.importes,
        sum(rapport.hors_perimetre.values()),
        rapport.retenus["courriels"],
        rapport.retenus["telephone"],
        _erreurs(rapport, "horaires"),
        _erreurs(rapport, "pivot"),
        _erreurs(rapport, "pivot", "répété"),
        _erreurs(rapport, "date_maj"),
    )
    return dict(zip(COLONNES, valeurs, strict=True))


def ligne(nom: str, chiffres: dict[str, int], duree: float) -> str:
    """One Markdown row."""
    court = nom if len(nom) < 40 else nom[:30] + "…"
    return f"| {court} | " + " | ".join(str(chiffres[c]) for c in COLONNES) + f" | {duree:.2f} s |"


def main(dossier: Path) -> int:
    """Import every file (without writing) and print the table."""
    if not dossier.is_dir():
        print(f"{dossier} : dossier absent", file=sys.stderr)
        return 2
    print("| fichier | " + " | ".join(COLONNES) + " | temps |")
    print("| --- |" + " ---: |" * (len(COLONNES) + 1))
    total, duree_totale = Counter(), 0.0
    for nom in FICHIERS:
        debut = time.perf_counter()
        _lieux, rapport = importer_fichier(dossier / nom)
        duree = time.perf_counter() - debut
        chiffres = mesures(rapport)
        total.update(chiffres)
        duree_totale += duree
        print(ligne(nom, chiffres, duree))
    print(ligne("**total**", total, duree_totale))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOSSIER))
