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
        "mémoire de pointe",
    ):
        assert ligne in texte, ligne
    assert "Rien n'a changé" in fini.stderr  # the unchanged rebuild reused the published output
