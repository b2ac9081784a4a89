"""The Nu Html Checker (npm vnu-jar, the W3C's validator) finds no error on any page type.

One page of each type of the fixture site, all checked by ONE java run (the JVM start costs more
than the pages). Warnings are not failures; errors are, with the checker's own words.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import RACINE, absent

VNU = RACINE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# One built page per page type (tests/site/ holds them all).
PAGES = {
    "accueil": "index.html",
    "fiche": "lieux/espace-test/index.html",
    "fiche au contenu hostile": "lieux/atelier-hostile/index.html",
    "commune": "communes/saint-etienne-42/index.html",
    "communes": "communes/index.html",
    "réseau": "reseaux/reseau-test/index.html",
    "réseaux": "reseaux/index.html",
    "service": "services/acces-internet-et-materiel-informatique/index.html",
    "services": "services/index.html",
    "A à Z": "lieux/index.html",
    "lettre": "lieux/lettre/e/index.html",
    "recherche": "recherche/index.html",
    "carte": "carte/index.html",
    "rapport": "rapport/index.html",
    "proposer": "proposer/index.html",
    "intégrer": "integrer/index.html",
    "liste intégrée": "integrer/liste/index.html",
    "carte intégrée": "integrer/carte/index.html",
    "mes lieux": "mes-lieux/index.html",
    "hors ligne": "hors-ligne/index.html",
    "404": "404.html",
    "page de contenu": "a-propos/index.html",
    "données": "donnees/index.html",
    "plan du site": "plan-du-site/index.html",
}


def erreurs_vnu(fichiers: list) -> list[str]:
    """The checker's errors on `fichiers` (one java run), as `page:line: message`."""
    java = shutil.which("java")
    if not java or not VNU.exists():
        absent("java ou node_modules/vnu-jar absent (make install)", "REQUIRE_BROWSER")
    sortie = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]
        + [str(f) for f in fichiers],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(sortie.stderr or sortie.stdout)["messages"]
    return [
        f"{m.get('url', '').split('/output/')[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


def test_aucune_erreur_html_sur_chaque_sorte_de_page(site_test):
    fichiers = {nom: site_test / chemin for nom, chemin in PAGES.items()}
    manquantes = [nom for nom, f in fichiers.items() if not f.exists()]
    assert not manquantes, f"pages absentes du site d'essai : {manquantes}"
    erreurs = erreurs_vnu(list(fichiers.values()))
    assert not erreurs, "\n".join(erreurs)


@pytest.mark.parametrize("code", ['<a title="a>b" href="javascript:x">x</a>', "<a>y</a>"])
def test_un_lien_sans_adresse_ne_garde_que_son_texte(code):
    from annuaire.domain.texte import nettoyer_html

    assert "<a" not in nettoyer_html(code)
