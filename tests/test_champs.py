"""The field registry (domain/champs.py): it matches the national schema, the code derives from it, and a
field added by one row of it reaches the sheet, the facets, the form and the exports."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from annuaire.domain import champs
from annuaire.domain.facettes import FACETTES
from annuaire.domain.model import Lieu
from annuaire.domain.vocabulaire import ETAPES_USUEL
from annuaire.validation.regles import VERIFICATIONS
from conftest import RACINE

_LISTE_DU_MOTIF = re.compile(r"^\(\?:\(\?:\^\|\\\|\)\((.*)\)\)\+\$$")


@pytest.fixture
def schema(dossier_shared) -> list[dict]:
    """The columns of the national schema v1.0.2 (copy in ../shared/reference)."""
    chemin = dossier_shared / "reference" / "schema-mednum" / "schema.json"
    return json.loads(chemin.read_text(encoding="utf-8"))["fields"]


def test_colonnes_du_schema_national_dans_son_ordre(schema):
    assert tuple(f["name"] for f in schema) == champs.CHAMPS_STANDARD


def test_motifs_et_listes_du_schema_national(schema):
    for colonne in schema:
        champ = champs.REGISTRE[colonne["name"]]
        motif = colonne.get("constraints", {}).get("pattern", "")
        liste = _LISTE_DU_MOTIF.match(motif)
        if liste:  # a closed list: "(?:(?:^|\|)(A|B|C))+$"
            valeurs = {re.sub(r"\\(.)", r"\1", v) for v in liste.group(1).split("|")}
            # the standard's spellings, plus the usual one of « Étapes numériques (La Poste) »
            assert valeurs <= set(champ.acceptees) <= valeurs | {ETAPES_USUEL}, champ.nom
            assert champ.ferme and champ.multiple, champ.nom
        elif motif:
            assert champ.motif is not None and champ.motif.pattern == motif, champ.nom
        requis = colonne.get("constraints", {}).get("required", False)
        assert champ.requis == (requis and champ.nom not in ("id", "pivot")), champ.nom


def test_modele_fait_des_champs_du_registre():
    noms = [f.name for f in dataclasses.fields(Lieu)]
    assert noms[: len(champs.REGISTRE)] == [c.nom for c in champs.REGISTRE]
    lieu = Lieu()
    for champ in champs.REGISTRE:
        assert getattr(lieu, champ.nom) == champ.vide, champ.nom
    assert Lieu().services is not Lieu().services  # one list per record


def test_verifications_nommees_existent():
    for champ in champs.REGISTRE:
        for nom in champ.verifications:
            assert nom in VERIFICATIONS, (champ.nom, nom)


def test_facettes_des_lignes_du_registre():
    cles = [f.cle for f in FACETTES]
    declarees = [c.facette for c in champs.REGISTRE if c.facette]
    assert set(declarees) <= set(cles) and len(cles) == len(set(cles))
    assert cles == [
        "commune",
        "services",
        "publics",
        "prise_en_charge",
        "frais",
        "accompagnement",
        "acces",
        "reseau",
        "type",
        "langues",
        "jours",
    ]


def test_registre_refuse_un_champ_en_double():
    with pytest.raises(ValueError, match="twice"):
        champs.Registre((champs.Champ("nom", "Nom"), champs.Champ("nom", "Nom")))


# --- a field added through the registry alone -------------------------------------------------------


def _ligne_du_readme() -> str:
    """The registry row of the README's worked example ("Ajouter un champ"), as written there."""
    texte = (RACINE / "README.md").read_text(encoding="utf-8")
    section = texte.split("### Ajouter un champ", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def _copie_avec_la_ligne(racine: Path) -> None:
    """A copy of the project's code, settings and theme, with the README's row added to the registry."""
    shutil.copytree(RACINE / "plugins", racine / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(RACINE / "theme", racine / "theme")
    shutil.copy(RACINE / "pelicanconf.py", racine / "pelicanconf.py")
    (racine / "node_modules").symlink_to(RACINE / "node_modules")
    registre = racine / "plugins" / "annuaire" / "domain" / "champs.py"
    texte = registre.read_text(encoding="utf-8")
    fin = "\n)\n\nREGISTRE = Registre("
    assert texte.count(fin) == 1
    ligne = textwrap.indent(_ligne_du_readme().strip(), "    ") + ","
    registre.write_text(texte.replace(fin, "\n" + ligne + fin), encoding="utf-8")


_SCRIPT = """
import json, sys
from pathlib import Path
from annuaire.build.construction import construire_site
from annuaire.domain.model import Lieu
from annuaire.domain.vocabulaire import ETAPES_USUEL
from annuaire.validation.regles import Contexte, valider_lieu
reglages = {"PATH": sys.argv[1], "ANNUAIRE_DATE": "2024-01-15"}
code = construire_site(Path("pelicanconf.py"), Path(sys.argv[2]), reglages)
problemes = valider_lieu(Lieu(chemin="x.yaml", accessibilite_pmr="peut-être"), Contexte())
print(json.dumps({"code": code, "messages": [str(p) for p in problemes if p.champ == "accessibilite_pmr"]}))
"""


@pytest.fixture(scope="module")
def site_avec_champ(tmp_path_factory) -> tuple[Path, dict]:
    """The fixture site built by a copy of the code whose registry has one more row (accessibilite_pmr),
    the fixture place saying "partiel"; and what the copy's validation says of a wrong value."""
    racine = tmp_path_factory.mktemp("registre")
    _copie_avec_la_ligne(racine)
    contenu = racine / "content"
    shutil.copytree(RACINE / "tests" / "site" / "content", contenu)
    fiche = contenu / "lieux" / "espace-test.yaml"
    fiche.write_text(fiche.read_text(encoding="utf-8") + "accessibilite_pmr: partiel\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(racine / "plugins")}
    fini = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(contenu), str(racine / "output")],
        cwd=racine,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert fini.returncode == 0, fini.stderr[-3000:]
    resultat = json.loads(fini.stdout.strip().splitlines()[-1])
    assert resultat["code"] == 0, fini.stdout[-3000:] + fini.stderr[-3000:]
    return racine / "output", resultat


def _lire(site: Path, chemin: str) -> str:
    return (site / chemin).read_text(encoding="utf-8")


def test_un_champ_ajoute_par_le_registre_seul(site_avec_champ):
    site, resultat = site_avec_champ
    fiche = _lire(site, "lieux/espace-test/index.html")
    assert "<dt>Accessible en fauteuil roulant</dt><dd>En partie</dd>" in fiche
    assert '<span data-pagefind-filter="accessibilite">En partie</span>' in fiche
    for page in ("recherche/index.html", "carte/index.html"):
        assert 'data-facette="accessibilite"' in _lire(site, page), page
    carte = json.loads(_lire(site, "donnees/carte.geojson"))
    assert "En partie" in json.dumps(carte, ensure_ascii=False)
    assert resultat["messages"] == [
        "x.yaml:1: accessibilite_pmr: « peut-être » inconnu ; oui, non ou partiel"
    ]


def test_champ_ajoute_dans_le_formulaire_et_les_exports(site_avec_champ):
    site, _ = site_avec_champ
    formulaire = _lire(site, "proposer/index.html")
    assert 'type="radio" id="f-accessibilite_pmr-2" name="accessibilite_pmr" value="partiel"' in formulaire
    donnees = json.loads(re.search(r"data-champs='([^']*)'", formulaire).group(1))
    assert "accessibilite_pmr" in donnees["textes"]
    national = json.loads(_lire(site, "donnees/lieux-de-mediation-numerique.json"))
    (lieu,) = [x for x in national if x["id"] == "espace-test"]
    assert lieu["extensions"]["accessibilite_pmr"] == "partiel" and "accessibilite_pmr" not in lieu
    entete = next(csv.reader(io.StringIO(_lire(site, "donnees/lieux-de-mediation-numerique.csv"))))
    assert entete == list(champs.CHAMPS_STANDARD)


def test_champ_ajoute_dans_la_fiche_a_completer(tmp_path):
    """`make nouveau` lists the new row with its scaffold comment (same copy of the code)."""
    _copie_avec_la_ligne(tmp_path)
    script = "from annuaire.cli.nouvelle_fiche import texte_fiche; print(texte_fiche('X'))"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "plugins")}
    sortie = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert "# accessibilite_pmr: oui  # oui, non ou partiel : accessible en fauteuil roulant" in sortie.stdout
