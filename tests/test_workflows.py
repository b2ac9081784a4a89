"""The GitHub workflows (issue 17, class 13): zizmor finds nothing at its default level, every action
is pinned to a full commit, only the deploy job may write Pages, checkouts keep no credentials."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import RACINE

WORKFLOWS = sorted((RACINE / ".github" / "workflows").glob("*.yml"))
_EPINGLE = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


# zizmor comes with the test extra, beside this Python.
ZIZMOR = str(Path(sys.executable).with_name("zizmor"))


def test_zizmor_sans_constat():
    sortie = subprocess.run(
        [ZIZMOR, "--offline", "--no-progress", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert sortie.returncode == 0, sortie.stdout + sortie.stderr
    assert "No findings" in sortie.stdout + sortie.stderr


def _etapes(workflow: dict):
    for job in workflow["jobs"].values():
        yield from ((job, etape) for etape in job.get("steps", []))


def test_actions_epinglees_a_un_commit_avec_leur_version():
    for chemin in WORKFLOWS:
        texte = chemin.read_text(encoding="utf-8")
        for ligne in texte.splitlines():
            if "uses:" in ligne:
                action = ligne.split("uses:")[1].split("#")[0].strip()
                assert _EPINGLE.match(action), f"{chemin.name} : {ligne.strip()}"
                assert re.search(r"# v\d+\.\d+\.\d+$", ligne), f"{chemin.name} : version en commentaire"


def test_droits_d_ecriture_au_seul_deploiement():
    for chemin in WORKFLOWS:
        workflow = yaml.safe_load(chemin.read_text(encoding="utf-8"))
        assert workflow["permissions"] == {"contents": "read"}, chemin.name
        for nom, job in workflow["jobs"].items():
            droits = job.get("permissions", {})
            ecrit = {cle for cle, valeur in droits.items() if valeur == "write"}
            assert not ecrit or (nom == "deployer" and ecrit == {"pages", "id-token"}), (chemin.name, nom)
        for _job, etape in _etapes(workflow):
            if etape.get("uses", "").startswith("actions/checkout@"):
                assert etape.get("with", {}).get("persist-credentials") is False, chemin.name
