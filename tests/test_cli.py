"""The command line: `python -m annuaire validate` output, exit status, GitHub annotations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import RACINE


def valider(dossier: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `python -m annuaire validate` in `dossier`."""
    return subprocess.run(
        [sys.executable, "-m", "annuaire", "validate", *args],
        cwd=dossier,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def projet(tmp_path: Path, fichiers: dict[str, str | bytes]) -> Path:
    """A project folder with the given content files."""
    for nom, contenu in fichiers.items():
        chemin = tmp_path / "content" / nom
        chemin.parent.mkdir(parents=True, exist_ok=True)
        (chemin.write_bytes if isinstance(contenu, bytes) else chemin.write_text)(contenu)
    return tmp_path


def test_annuaire_embarque_valide():
    resultat = valider(RACINE, "--sans-avertissements")
    assert resultat.returncode == 0, resultat.stdout
    assert "0 erreur(s)" in resultat.stdout


def test_toutes_les_erreurs_puis_le_compte(tmp_path):
    dossier = projet(
        tmp_path,
        {
            "lieux/zoomacom.yaml": "nom: Zoomacom\nadresse: 41 rue\ncode_postal: '42000'\n"
            "commune: Saint-Étienne\ndate_maj: 2022-04-25\ntelephone: 04 77 12\n",
            "lieux/vide.yaml": "",
            "lieux/binaire.yaml": b"\x00\x01\x02",
            "lieux/liste.yaml": "- a\n",
            "lieux/tab.yaml": "nom: a\n\tx: b\n",
        },
    )
    resultat = valider(dossier, "--sans-avertissements")
    assert resultat.returncode == 1
    lignes = resultat.stdout.splitlines()
    assert "content/lieux/zoomacom.yaml:6: telephone: « 04 77 12 » n'est pas un numéro complet" in lignes
    assert any(ligne.startswith("content/lieux/vide.yaml:1:") for ligne in lignes)
    assert any(ligne.startswith("content/lieux/binaire.yaml:1:") for ligne in lignes)
    assert any(ligne.startswith("content/lieux/tab.yaml:2:") for ligne in lignes)
    assert lignes[-1].startswith("1 lieux, 0 réseaux : 5 erreur(s)")
    assert "Traceback" not in resultat.stderr


def test_annotations_github(tmp_path):
    dossier = projet(tmp_path, {"lieux/a.yaml": "nom: A\ncode_postal: '4200'\n"})
    resultat = valider(dossier, GITHUB_ACTIONS="true")
    assert "::error file=content/lieux/a.yaml,line=2::code_postal: « 4200 »" in resultat.stdout
    assert "::warning file=content/lieux/a.yaml" in resultat.stdout


def test_dossier_absent_ne_plante_pas(tmp_path):
    resultat = valider(tmp_path)
    assert resultat.returncode == 0
    assert "0 lieux" in resultat.stdout
