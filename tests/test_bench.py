"""The benchmark's smoke run (bench/bench.py --rapide): 1,000 real places built cold, after one
change and unchanged, the same pages with plain Pelican and Hugo, and the Markdown table."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import RACINE


@pytest.mark.shared
def test_banc_rapide_produit_le_tableau(dossier_shared, tmp_path):
    tableau = tmp_path / "bench.md"
    fini = subprocess.run(
        [
            sys.executable,
            str(RACINE / "bench" / "bench.py"),
            "--rapide",
            "--dossier",
            str(tmp_path / "banc"),
            "--tableau",
            str(tableau),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert fini.returncode == 0, fini.stderr[-3000:]
    texte = tableau.read_text(encoding="utf-8")
    assert texte == fini.stdout.rstrip("\n") + "\n"
    for ligne in (
        "| 1\u202f000 lieux |",
        "construction complète",
        "reconstruction après une fiche modifiée",
        "reconstruction sans changement",
        "Pelican seul",
        "Hugo",
        "÷ Hugo",
        "Hugo + Pagefind, mêmes pages",
        "à froid ≤ 2 × (Hugo + Pagefind)",
        "une fiche modifiée ≤ 0,2 × (Hugo + Pagefind)",
        "mémoire de pointe",
    ):
        assert ligne in texte, ligne
    assert "Rien n'a changé" in fini.stderr  # the unchanged rebuild reused the published output


def test_chiffres_d_un_rapport_lighthouse():
    sys.path.insert(0, str(RACINE / "bench"))
    import telephone

    rapport = {
        "categories": {"performance": {"score": 0.93}},
        "audits": {
            "metrics": {"details": {"items": [{"observedLargestContentfulPaint": 900}]}},
            "largest-contentful-paint": {"numericValue": 1800.4},
            "total-blocking-time": {"numericValue": 120},
            "cumulative-layout-shift": {"numericValue": 0.01},
            "total-byte-weight": {"numericValue": 60_000},
            "network-requests": {
                "details": {
                    "items": [
                        {"networkEndTime": 500, "transferSize": 20_000},
                        {"networkEndTime": 1500, "transferSize": 40_000},
                    ]
                }
            },
        },
    }
    chiffres = telephone.chiffres(rapport)
    assert chiffres == {
        "score": 93,
        "lcp_ms": 1800.4,
        "tbt_ms": 120,
        "cls": 0.01,
        "octets_avant": 20_000,
        "octets": 60_000,
    }
    ligne = telephone.lignes(1000, {"carte": {"chemin": "/carte/", **chiffres}})[0]
    assert ligne == "| 1 000 | /carte/ | 93 (≥ 90) | 1,8 s | 120 ms | 0,010 | 20 Ko | 59 Ko |"


def test_ateliers_du_banc_sont_valides(tmp_path):
    # bench/agenda.py writes workshop files as a contributor would: they pass the same checks, and
    # give the dates asked for (weekly workshops over the agenda's three months).
    import datetime as dt

    sys.path.insert(0, str(RACINE / "bench"))
    sys.path.insert(0, str(RACINE / "plugins"))
    import agenda
    from annuaire.directory import construire_annuaire

    contenu = tmp_path / "content"
    (contenu / "lieux").mkdir(parents=True)
    for fiche in ("epn-montreynaud.yaml", "point-caf-nancy.yaml"):
        source = RACINE / "tests" / "recherche" / "content" / "lieux" / fiche
        (contenu / "lieux" / fiche).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    jour = dt.date(2024, 1, 15)
    assert agenda.ecrire_ateliers(contenu, par_mois=40, jour=jour) == 9
    annuaire = construire_annuaire(contenu, aujourd_hui=jour)
    assert [p for p in annuaire.problemes if "ateliers/" in p.chemin] == []
    assert len(annuaire.agenda.ateliers) == 9 and len(annuaire.agenda.occurrences) >= 9 * 12
