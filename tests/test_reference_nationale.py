"""The national map's reference library (@gouvfr-anct/lieux-de-mediation-numerique, npm) reads our
national CSV and JSON: every record accepted, and toSchema(fromSchema(record)) equal to the record,
field by field. One node process per test reads all its files (tests/reference_mednum.cjs)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from annuaire.domain.model import Lieu
from annuaire.domain.typologies_reference import TYPOLOGIES_REFERENCE
from annuaire.domain.vocabulaire import TYPOLOGIES
from annuaire.outputs.exports import NOM_CSV, NOM_JSON, enregistrement_standard
from annuaire.validation.regles import Contexte, valider_lieu
from conftest import LIEUX_CNFS

RACINE = Path(__file__).resolve().parents[1]
SCRIPT = RACINE / "tests" / "reference_mednum.cjs"
BIBLIOTHEQUE = RACINE / "node_modules" / "@gouvfr-anct" / "lieux-de-mediation-numerique"


def node(*arguments: str) -> str:
    """Run node on the project's files; fail clearly when node or the library is missing."""
    executable = shutil.which("node")
    if executable is None or not BIBLIOTHEQUE.is_dir():
        pytest.fail("node ou @gouvfr-anct/lieux-de-mediation-numerique absent : lancez « make install »")
    sortie = subprocess.run(
        [executable, *arguments], capture_output=True, text=True, cwd=RACINE, timeout=300, check=False
    )
    assert sortie.returncode == 0, sortie.stderr[-2000:]
    return sortie.stdout


def verdicts(dossier: Path) -> list[dict]:
    """The library's report on the CSV and the JSON of a /donnees/ folder."""
    return json.loads(node(str(SCRIPT), str(dossier / NOM_CSV), str(dossier / NOM_JSON)))


def test_annuaire_embarque_lu_sans_perte(donnees_embarquees):
    for rapport in verdicts(donnees_embarquees):
        assert rapport["lus"] == rapport["acceptes"] == 23, rapport["refus"]
        assert rapport["differences"] == []


def test_annuaire_importe_lu_sans_perte(donnees_cnfs):
    for rapport in verdicts(donnees_cnfs):
        assert rapport["lus"] == rapport["acceptes"] == LIEUX_CNFS, rapport["refus"][:5]
        assert rapport["differences"] == [], rapport["differences"][:5]


def test_nos_typologies_sont_celles_de_la_bibliotheque():
    """Every typology we accept is one the library reads (PE is only read, and exported as FT)."""
    code = (
        "const {Typologie} = require('@gouvfr-anct/lieux-de-mediation-numerique');"
        "process.stdout.write(JSON.stringify(Object.values(Typologie)))"
    )
    bibliotheque = set(json.loads(node("-e", code)))
    assert set(TYPOLOGIES) - {"PE"} == bibliotheque
    assert {"ESAT", "MDH", "FABRIQUE", "RELAIS_LECTURE"} <= set(TYPOLOGIES_REFERENCE)
    assert TYPOLOGIES["MDH"] == "Maison des habitants" and TYPOLOGIES["RELAIS_LECTURE"] == "Relais lecture"


def _lieu(**champs) -> Lieu:
    valeurs = {
        "id": "x",
        "nom": "Lieu",
        "commune": "Saint-Étienne",
        "code_postal": "42000",
        "adresse": "1 rue A",
        "chemin": "content/lieux/x.yaml",
        "services": ["Aide aux démarches administratives"],
    }
    valeurs.update(date_maj=dt.date(2025, 1, 2), **champs)
    return Lieu(**valeurs)


@pytest.mark.parametrize("pivot", ["1234567001", "123456789"])
def test_ridet_et_siren_ne_sont_plus_des_pivots(pivot):
    lieu = _lieu(pivot=pivot)
    valeurs, _problemes = enregistrement_standard(lieu)
    assert valeurs["pivot"] == "00000000000000"
    messages = [p.message for p in valider_lieu(lieu, Contexte()) if p.champ == "pivot"]
    assert any("ne lit plus les RIDET" in m for m in messages), messages


def test_typologies_exportees():
    valeurs, problemes = enregistrement_standard(_lieu(typologie=["PE", "MDH", "INCONNUE"]))
    assert valeurs["typologie"] == ["FT", "MDH"]
    assert [p.champ for p in problemes] == ["typologie"]
