"""Builds run as people run them, in another process (`python -m annuaire build`), for the tests of
bad days: builds at once, killed builds, damaged outputs, full or read-only disks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import RACINE
from test_incremental import PROPRES_A_L_INDEX

CONTENU = RACINE / "tests" / "site" / "content"


def copier_contenu(dossier: Path) -> Path:
    """A copy of the test site's content in `dossier`, to change."""
    shutil.copytree(CONTENU, dossier / "content")
    return dossier / "content"


def reglages(dossier: Path, contenu: Path, **autres) -> Path:
    """A settings file in `dossier`: the project's, with `contenu`, a pinned date and `autres`
    (the cache stays at its default place, beside the output folder, unless ANNUAIRE_CACHE is given)."""
    chemin = dossier / f"reglages-{len(list(dossier.glob('reglages-*.py')))}.py"
    valeurs = {
        "PATH": str(contenu),
        "THEME": str(RACINE / "theme"),
        "PLUGIN_PATHS": [str(RACINE / "plugins")],
        "ANNUAIRE_DATE": "2024-01-15",
        "ANNUAIRE_NODE_MODULES": str(RACINE / "node_modules"),
        **autres,
    }
    texte = (RACINE / "pelicanconf.py").read_text(encoding="utf-8")
    texte += "".join(f"\n{cle} = {valeur!r}" for cle, valeur in valeurs.items()) + "\n"
    chemin.write_text(texte, encoding="utf-8")
    return chemin


def commande(settings: Path, sortie: Path) -> list[str]:
    """The build command for `settings` into `sortie`."""
    return [sys.executable, "-m", "annuaire", "build", "--settings", str(settings), "--sortie", str(sortie)]


def lancer(settings: Path, sortie: Path) -> subprocess.Popen:
    """Start a build (in a session of its own: a kill reaches its children too)."""
    return subprocess.Popen(
        commande(settings, sortie),
        cwd=RACINE,
        env={**os.environ, "PYTHONPATH": str(RACINE / "plugins")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def construire(settings: Path, sortie: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a build to its end; its exit code and output."""
    processus = lancer(settings, sortie)
    sortie_std, erreurs = processus.communicate(timeout=timeout)
    return subprocess.CompletedProcess(processus.args, processus.returncode, sortie_std, erreurs)


def fichiers(dossier: Path, tout: bool = False) -> dict[str, bytes]:
    """{relative path: bytes} of the files of a site; without those that differ by design between an
    incremental build and a clean one (its search index in two parts: test_incremental) unless `tout`."""
    chemins = (p.relative_to(dossier).as_posix() for p in sorted(dossier.rglob("*")) if p.is_file())
    return {c: (dossier / c).read_bytes() for c in chemins if tout or not c.startswith(PROPRES_A_L_INDEX)}


def temoin(dossier: Path, contenu: Path, tout: bool = False) -> dict[str, bytes]:
    """The files of a clean build of `contenu` (in dossier/temoin, with a cache of its own)."""
    racine = dossier / "temoin"
    racine.mkdir()
    fini = construire(reglages(racine, contenu), racine / "output")
    assert fini.returncode == 0, fini.stdout + fini.stderr
    return fichiers(racine / "output", tout)


def differences(site: dict[str, bytes], attendu: dict[str, bytes]) -> list[str]:
    """The paths that differ between two sites' files (missing, extra or other bytes)."""
    return sorted(c for c in site.keys() | attendu.keys() if site.get(c) != attendu.get(c))
