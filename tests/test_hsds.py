"""Open Referral HSDS 3.0: every exported object is valid for the official JSON Schemas (v3.0,
committed under tests/hsds-3.0/ with their licence: no PyPI or npm package ships them), checked with
`jsonschema` the way the specification checks its own examples: additionalProperties false
everywhere (validate_examples_json_schema.sh), formats checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from annuaire.outputs import hsds
from conftest import LIEUX_CNFS
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).resolve().parent / "hsds-3.0"
TABLES = {
    "organizations.json": "organization.json",
    "locations.json": "location.json",
    "services.json": "service.json",
    "schedules.json": "schedule.json",
}


def strict(schema: object) -> object:
    """The schema with additionalProperties false on every object (the specification's own check)."""
    if isinstance(schema, dict):
        schema = {cle: strict(valeur) for cle, valeur in schema.items()}
        if schema.get("type") == "object" and "properties" in schema:
            schema["additionalProperties"] = False
        return schema
    return [strict(v) for v in schema] if isinstance(schema, list) else schema


def validateurs() -> dict[str, Draft202012Validator]:
    """One validator per table, the schemas' relative $ref ("phone.json") resolved locally."""
    schemas = {f.name: strict(json.loads(f.read_text(encoding="utf-8"))) for f in SCHEMAS.glob("*.json")}
    registre = Registry().with_resources(
        (nom, Resource.from_contents(s, default_specification=DRAFT202012)) for nom, s in schemas.items()
    )
    return {
        table: Draft202012Validator(schemas[nom], registry=registre, format_checker=FormatChecker())
        for table, nom in TABLES.items()
    }


def erreurs(dossier: Path) -> dict[str, list[str]]:
    """Schema errors of every object of every table."""
    resultat = {}
    for table, validateur in validateurs().items():
        objets = json.loads((dossier / hsds.DOSSIER / table).read_text(encoding="utf-8"))
        resultat[table] = [
            f"{o.get('id')}: {'/'.join(map(str, e.path))}: {e.message}"
            for o in objets
            for e in validateur.iter_errors(o)
        ][:20]
    return resultat


def tables(dossier: Path) -> dict[str, list[dict]]:
    return {t: json.loads((dossier / hsds.DOSSIER / t).read_text(encoding="utf-8")) for t in TABLES}


def test_schemas_avec_leur_licence():
    assert "Creative Commons Attribution Share-Alike 4.0" in (SCHEMAS / "LICENSE").read_text()


def test_export_embarque_valide(donnees_embarquees):
    assert erreurs(donnees_embarquees) == dict.fromkeys(TABLES, [])
    contenu = tables(donnees_embarquees)
    assert len(contenu["organizations.json"]) == len(contenu["locations.json"]) == 23


def test_export_d_un_annuaire_importe_valide(donnees_cnfs):
    assert erreurs(donnees_cnfs) == dict.fromkeys(TABLES, [])
    assert len(tables(donnees_cnfs)["locations.json"]) == LIEUX_CNFS


def test_liens_entre_tables(donnees_embarquees):
    contenu = tables(donnees_embarquees)
    organisations = {o["id"] for o in contenu["organizations.json"]}
    lieux = {lieu["id"] for lieu in contenu["locations.json"]}
    assert all(lieu["organization_id"] in organisations for lieu in contenu["locations.json"])
    assert all(s["organization_id"] in organisations for s in contenu["services.json"])
    assert all(
        sal["location_id"] in lieux for s in contenu["services.json"] for sal in s["service_at_locations"]
    )
    assert all(h["location_id"] in lieux for h in contenu["schedules.json"])


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        (
            "Mo-Fr 09:00-12:00,14:00-17:00",
            [("MO,TU,WE,TH,FR", "09:00", "12:00"), ("MO,TU,WE,TH,FR", "14:00", "17:00")],
        ),
        ("Tu 14:00-17:00; PH off", [("TU", "14:00", "17:00")]),
        ("Mo-Th 09:00-12:00; We off", [("MO,TU,TH", "09:00", "12:00")]),
        ("Mo 09:00-12:00; week 2-52/2 Tu 10:00-11:00", None),  # not every week: description only
        ("Fr 20:00-02:00", None),  # crosses midnight: HSDS has no overnight schedule
    ],
)
def test_horaires_hebdomadaires(texte, attendu):
    horaires = hsds.horaires_de("x", texte, hsds.plages_hebdomadaires(texte))
    if attendu is None:
        assert [(h.get("freq"), h["description"]) for h in horaires] == [(None, texte)]
    else:
        assert [(h["byday"], h["opens_at"], h["closes_at"]) for h in horaires] == attendu
        assert all(h["description"] == texte and h["freq"] == "WEEKLY" for h in horaires)


def test_le_controle_refuse_un_objet_faux(donnees_embarquees):
    """The check is not vacuous: an unknown field, a missing one, a bad UUID are refused."""
    validateur = validateurs()["locations.json"]
    lieu = tables(donnees_embarquees)["locations.json"][0]
    assert not list(validateur.iter_errors(lieu))
    for faux in (
        {**lieu, "inconnu": 1},
        {k: v for k, v in lieu.items() if k != "location_type"},
        {**lieu, "id": "pas-un-uuid"},
        {**lieu, "addresses": [{"id": lieu["id"]}]},
    ):
        assert list(validateur.iter_errors(faux)), faux


def test_identifiants_uuid5_stables():
    import uuid

    parties = ("conseiller-numerique_1", "service", "Aide aux démarches administratives")
    assert hsds.identifiant(*parties) == str(uuid.uuid5(hsds.ESPACE, "/".join(parties)))
