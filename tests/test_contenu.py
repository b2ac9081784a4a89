"""The embedded Saint-Étienne directory: every place the project is about, sourced and valid."""

from __future__ import annotations

import pytest
from annuaire.directory import construire_annuaire
from conftest import RACINE


@pytest.fixture(scope="module")
def annuaire():
    """The directory of content/, as the build sees it."""
    return construire_annuaire(RACINE / "content", RACINE)


def test_aucune_erreur(annuaire):
    assert [str(p) for p in annuaire.erreurs] == []


@pytest.mark.parametrize(
    "nom",
    [
        "Zoomacom",
        "Alolise",
        "Mixeur",
        "OpenFactory",
        "Google de Saint-Étienne",
        "Google de Rennes",
        "Google de Montpellier",
        "Google de Nancy",
        "Montreynaud",
        "Sisley",
        "Babet",
    ],
)
def test_lieux_presents(annuaire, nom):
    assert any(nom in lieu.nom for lieu in annuaire.lieux), nom


def test_reseaux(annuaire):
    membres = {r.slug: [x for x in annuaire.lieux if r.slug in x.reseaux] for r in annuaire.reseaux}
    assert len(membres["ateliers-numeriques-google"]) == 4
    assert len(membres["epn-saint-etienne"]) >= 10


def test_chaque_fiche_est_sourcee(annuaire):
    for lieu in annuaire.lieux:
        assert lieu.date_maj and lieu.source and lieu.references, lieu.chemin


def test_coordonnees_approximatives_le_disent(annuaire):
    for lieu in annuaire.lieux:
        if lieu.a_coordonnees:
            assert lieu.precision_coordonnees, lieu.chemin
        if lieu.precision_coordonnees in ("rue", "commune"):
            assert {"latitude", "longitude"} <= set(lieu.a_verifier) or lieu.statut == "a_verifier"
