"""Opening hours checker measured on real strings: how many are valid, fixable, rejected.

Usage: python bench/horaires.py [derived_horaires_osm_values.tsv]
(default: ../shared/data/derived_horaires_osm_values.tsv next to the project).

Each distinct string is checked with `annuaire.domain.horaires.verifier`: "valide", "corrigeable" (invalid
but with a suggestion that validates), or "rejeté". Every string also goes through the week table,
the badge data and the state, to prove that nothing crashes. Also prints the size of the badge data
a place sheet embeds. Exits 0 when nothing crashed, 1 otherwise, 2 when the file can't be read.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE / "plugins"))

from annuaire.domain import horaires  # noqa: E402

FICHIER = RACINE.parent / "shared" / "data" / "derived_horaires_osm_values.tsv"
DEBUT = date(2025, 7, 7)
INSTANT = datetime(2025, 7, 7, 10, 0, tzinfo=horaires.PARIS)


@dataclass
class Mesure:
    """Figures over the file: per category, distinct strings and occurrences."""

    distinctes: Counter[str] = field(default_factory=Counter)
    occurrences: Counter[str] = field(default_factory=Counter)
    plantages: list[str] = field(default_factory=list)
    tailles_gzip: list[int] = field(default_factory=list)


def lire(chemin: Path) -> list[tuple[int, str]]:
    """(count, string) rows of the TSV file (tab-separated, quoted, with a header)."""
    with chemin.open(encoding="utf-8", newline="") as flux:
        lignes = csv.DictReader(flux, delimiter="\t")
        return [(int(ligne["count"]), ligne["horaires"]) for ligne in lignes]


def classer(texte: str) -> str:
    """valide, corrigeable or rejeté; also runs the rendering and the badge (may raise: a bug)."""
    verdict = horaires.verifier(texte)
    horaires.semaine(texte, DEBUT)
    horaires.etat(texte, INSTANT)
    if verdict.valide:
        return "valide"
    if verdict.suggestion and horaires.verifier(verdict.suggestion).valide:
        return "corrigeable"
    return "rejeté"


def mesurer(lignes: list[tuple[int, str]]) -> Mesure:
    """Classify every string, catching (and listing) any crash."""
    mesure = Mesure()
    for nombre, texte in lignes:
        try:
            categorie = classer(texte)
        except Exception as erreur:  # noqa: BLE001 - a crash is what we count here
            mesure.plantages.append(f"{texte!r}: {erreur!r}")
            continue
        mesure.distinctes[categorie] += 1
        mesure.occurrences[categorie] += nombre
        if categorie == "valide":
            donnees = json.dumps(horaires.donnees_badge(texte, DEBUT), separators=(",", ":"))
            mesure.tailles_gzip.append(len(gzip.compress(donnees.encode())))
    return mesure


def afficher(mesure: Mesure, duree: float) -> None:
    """Print the figures, then a one-line summary."""
    total, total_occ = sum(mesure.distinctes.values()), sum(mesure.occurrences.values())
    for categorie in ("valide", "corrigeable", "rejeté"):
        print(
            f"{categorie:12} {mesure.distinctes[categorie]:5} chaînes distinctes, "
            f"{mesure.occurrences[categorie]:6} occurrences"
        )
    tailles = sorted(mesure.tailles_gzip) or [0]
    print(f"badge (gzip) : médiane {tailles[len(tailles) // 2]} o, max {tailles[-1]} o")
    for plantage in mesure.plantages:
        print(f"PLANTAGE {plantage}")
    print(
        f"Résumé : {total} chaînes ({total_occ} occurrences) : "
        f"{mesure.distinctes['valide']} valides, {mesure.distinctes['corrigeable']} corrigeables, "
        f"{mesure.distinctes['rejeté']} rejetées, {len(mesure.plantages)} plantage(s), "
        f"{duree:.1f} s"
    )


def main(arguments: list[str]) -> int:
    """Entry point; returns the exit status."""
    chemin = Path(arguments[0]) if arguments else FICHIER
    try:
        lignes = lire(chemin)
    except (OSError, KeyError, ValueError) as erreur:
        print(f"Impossible de lire {chemin} : {erreur}", file=sys.stderr)
        return 2
    depart = time.perf_counter()
    mesure = mesurer(lignes)
    afficher(mesure, time.perf_counter() - depart)
    return 1 if mesure.plantages else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
