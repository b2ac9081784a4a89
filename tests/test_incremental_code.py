"""A change to any module of the package, however deep, invalidates what depended on it.

The package is copied into a temporary folder and the builds run in another process from that copy
(`python -m annuaire build`, the command people run). A module deep in the domain is changed in the
copy (a string its output shows); the incremental build that follows must give, byte for byte, what
a clean build of the changed code gives (a cache folder of its own), and show the change. Nothing
in the build names these modules: the code version covers every module (build/memo.version_code).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RACINE
from test_incremental import fichiers

CONTENU = RACINE / "tests" / "site" / "content"
# (text found in exactly one module of the package, what it becomes): a phone number's display
# (domain/formats.py) and the closed days of the week table (domain/horaires…, whatever its layout).
CHANGEMENTS = [
    (
        "phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.NATIONAL)",
        'phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.NATIONAL) + " (format modifié)"',
        "(format modifié)",
    ),
    ('FERME = "Fermé"', 'FERME = "Fermé ce jour-là"', "Fermé ce jour-là"),
]


def reglages(dossier: Path, paquet: Path, cache: Path) -> Path:
    """A settings file: the project's, with the test site's content, the copied package, `cache`."""
    chemin = dossier / f"reglages-{cache.parent.name}.py"
    texte = (RACINE / "pelicanconf.py").read_text(encoding="utf-8")
    texte += (
        f"\nPATH = {str(CONTENU)!r}\nTHEME = {str(RACINE / 'theme')!r}\nPLUGIN_PATHS = [{str(paquet)!r}]\n"
        f"ANNUAIRE_DATE = '2024-01-15'\nANNUAIRE_NODE_MODULES = {str(RACINE / 'node_modules')!r}\n"
        f"ANNUAIRE_CACHE = {str(cache)!r}\n"
    )
    chemin.write_text(texte, encoding="utf-8")
    return chemin


def construire(paquet: Path, settings: Path, sortie: Path) -> None:
    """`python -m annuaire build` run from the copied package."""
    env = {**os.environ, "PYTHONPATH": str(paquet)}
    commande = [
        sys.executable,
        "-m",
        "annuaire",
        "build",
        "--settings",
        str(settings),
        "--sortie",
        str(sortie),
    ]
    fini = subprocess.run(commande, cwd=paquet.parent, env=env, capture_output=True, text=True, timeout=600)
    assert fini.returncode == 0, fini.stdout + fini.stderr


def module_contenant(paquet: Path, texte: str) -> Path:
    """The one module of the copied package that holds `texte`."""
    trouves = [p for p in (paquet / "annuaire").rglob("*.py") if texte in p.read_text(encoding="utf-8")]
    assert len(trouves) == 1, trouves
    return trouves[0]


@pytest.mark.parametrize(("avant", "apres", "visible"), CHANGEMENTS)
def test_un_module_profond_change_invalide_ce_qui_en_depend(tmp_path, avant, apres, visible):
    paquet = tmp_path / "plugins"
    shutil.copytree(
        RACINE / "plugins" / "annuaire", paquet / "annuaire", ignore=shutil.ignore_patterns("__pycache__")
    )
    settings = reglages(tmp_path, paquet, tmp_path / "site" / "cache")
    sortie = tmp_path / "site" / "output"
    construire(paquet, settings, sortie)
    assert not any(visible.encode() in octets for octets in fichiers(sortie).values())
    module = module_contenant(paquet, avant)
    module.write_text(module.read_text(encoding="utf-8").replace(avant, apres), encoding="utf-8")
    construire(paquet, settings, sortie)  # incremental: same output folder, same cache
    temoin = tmp_path / "temoin" / "output"
    construire(paquet, reglages(tmp_path, paquet, tmp_path / "temoin" / "cache"), temoin)
    incremental, propre = fichiers(sortie), fichiers(temoin)
    assert sorted(c for c in incremental.keys() | propre.keys() if incremental.get(c) != propre.get(c)) == []
    assert any(visible.encode() in octets for octets in incremental.values())
