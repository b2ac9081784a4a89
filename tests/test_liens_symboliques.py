"""Symbolic links that leave the repository are refused, named, never read (issue 17, class 3)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from annuaire.directory import construire_annuaire
from conftest import RACINE

SECRET = "nom: JETON-SECRET-123\nadresse: ghp_abcdefSECRET\n"
ENTREE = "nom: Lieu\nadresse: 1 rue A\ncode_postal: '42000'\ncommune: Saint-Étienne\n"


@pytest.fixture
def depot(tmp_path):
    """A repository (tmp_path/depot) and a secret file beside it, outside."""
    (tmp_path / "secret.yaml").write_text(SECRET, encoding="utf-8")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "jeton.md").write_text("Title: x\n\nJETON-SECRET-123\n", encoding="utf-8")
    depot = tmp_path / "depot"
    for dossier in ("lieux", "reseaux", "pages", "sources"):
        (depot / "content" / dossier).mkdir(parents=True)
    (depot / "content" / "lieux" / "vrai.yaml").write_text(ENTREE, encoding="utf-8")
    return depot


@pytest.mark.parametrize(
    ("lien", "cible"),
    [
        ("lieux/vole.yaml", "secret.yaml"),
        ("reseaux/vole.yaml", "secret.yaml"),
        ("pages/volees", "secrets"),
        ("sources/vole.json", "secret.yaml"),
    ],
)
def test_lien_sortant_refuse_et_nomme(depot, lien, cible):
    (depot / "content" / lien).symlink_to(depot.parent / cible)
    annuaire = construire_annuaire(depot / "content", depot)
    refus = [p for p in annuaire.erreurs if "lien symbolique" in p.message]
    assert [p.chemin for p in refus] == [f"content/{lien}"]
    textes = " ".join(str(p) for p in annuaire.problemes)
    assert "SECRET" not in textes and str(depot.parent) not in textes
    assert all("SECRET" not in lieu.nom + lieu.adresse for lieu in annuaire.lieux)


def test_lien_interne_accepte(depot):
    (depot / "content" / "lieux" / "alias.yaml").symlink_to(depot / "content" / "lieux" / "vrai.yaml")
    annuaire = construire_annuaire(depot / "content", depot)
    assert not [p for p in annuaire.erreurs if "lien symbolique" in p.message]


def test_validate_ne_montre_rien_du_secret(depot):
    (depot / "content" / "lieux" / "vole.yaml").symlink_to(depot.parent / "secret.yaml")
    sortie = subprocess.run(
        [sys.executable, "-m", "annuaire", "validate", "--contenu", "content", "--racine", "."],
        cwd=depot,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(RACINE / "plugins"), "PATH": "/usr/bin:/bin"},
    )
    assert sortie.returncode == 1
    assert "content/lieux/vole.yaml:1: lien symbolique" in sortie.stdout + sortie.stderr
    assert "SECRET" not in sortie.stdout + sortie.stderr
