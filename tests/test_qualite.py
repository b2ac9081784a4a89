"""Quality report: planted stale, incomplete, suspicious and duplicate entries are flagged."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from annuaire.directory import construire_annuaire
from annuaire.validation.qualite import POIDS, completude, doublons_de, fraicheur, rapport_qualite

DOSSIER = Path(__file__).parent / "qualite"
JOUR = dt.date(2024, 1, 15)


@pytest.fixture(scope="module")
def rapport():
    annuaire = construire_annuaire(DOSSIER / "content", DOSSIER, JOUR)
    return rapport_qualite(
        annuaire.lieux, annuaire.reseaux, annuaire.problemes, doublons_de(annuaire.fusion.probables), JOUR
    )


def ligne(rapport, slug):
    return next(x for x in rapport.lignes if x.lieu.slug == slug)


def test_poids_documentes():
    assert sum(POIDS.values()) == 100


def test_fraicheur_courbe_data_inclusion():
    assert fraicheur(dt.date(2023, 8, 1), JOUR) == 1.0
    assert 0.4 < fraicheur(dt.date(2022, 10, 1), JOUR) < 0.6
    assert fraicheur(dt.date(2021, 1, 1), JOUR) == 0.0
    assert fraicheur(None, JOUR) == 0.0


def test_complet_et_frais_pas_a_revoir(rapport):
    complet = ligne(rapport, "frais-complet")
    assert complet.completude == 100 and complet.fraicheur == 1.0
    assert complet not in rapport.a_revoir


def test_vieux_incomplet_et_url_douteuse(rapport):
    vieux = ligne(rapport, "vieux")
    assert vieux.fraicheur == 0.0 and vieux.completude < 30
    assert vieux.urls_suspectes == ["http://example.com/epn"]
    assert rapport.a_revoir[0] is vieux


def test_doublons_signales(rapport):
    a = ligne(rapport, "doublon-a")
    assert [autre for autre, _ in a.doublons] == ["doublon-b"]


def test_commande_rapport():
    resultat = subprocess.run(
        [sys.executable, "-m", "annuaire", "rapport", "--contenu", "content"],
        cwd=DOSSIER,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "doublon probable de doublon-b" in resultat.stdout
    assert resultat.stdout.strip().splitlines()[-1].startswith("4 fiches")


def test_completude_pivot_zero():
    from annuaire.domain.model import Lieu

    assert completude(Lieu(pivot="00000000000000")) == completude(Lieu())


def test_comptes_par_motif(rapport):
    comptes = dict(rapport.comptes())
    assert comptes["adresse web douteuse"] == 1
    assert comptes["doublon probable"] == 2
    assert all(n <= len(rapport.a_revoir) for n in comptes.values())


def test_la_page_ne_liste_que_les_moins_bonnes(rapport, monkeypatch):
    """A national directory's page lists the worst entries only, in the same order."""
    import annuaire.validation.qualite as qualite

    monkeypatch.setattr(qualite, "LIGNES_SUR_LA_PAGE", 1)
    assert rapport.sur_la_page == rapport.a_revoir[:1] and len(rapport.a_revoir) > 1
