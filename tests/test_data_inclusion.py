"""data·inclusion v1: every exported record is valid for data·inclusion's own JSON Schemas
(../shared/data/structure.json and service.json, checked with `jsonschema`), and an export -> import
round trip keeps every mapped value (the README's mapping table)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from annuaire.directory import construire_annuaire
from annuaire.domain.champs import CHAMPS_MULTIPLES
from annuaire.federation.importer import OptionsImport, importer_fichier, lire_octets
from annuaire.federation.sources import Source, lire_source
from annuaire.outputs import data_inclusion
from annuaire.outputs.exports import enregistrement_standard
from annuaire.validation.regles import Contexte
from conftest import LIEUX_CNFS

# Fields read back exactly (ours <- theirs); the README says what the others become.
CHAMPS_EXACTS = (
    "nom",
    "pivot",
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "commune",
    "latitude",
    "longitude",
    "telephone",
    "horaires",
    "date_maj",
    "fiche_acces_libre",
    "prise_rdv",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "modalites_acces",
    "modalites_accompagnement",
    "presentation_resume",
)

TOUT_GARDER = OptionsImport(contacts_personnels=True, hors_perimetre=True)  # round trips lose nothing


def validateurs(dossier_shared: Path):
    """Validators of data·inclusion's structure and service schemas, formats checked."""
    from jsonschema import Draft202012Validator, FormatChecker

    schemas = [
        json.loads((dossier_shared / "data" / f"{n}.json").read_text()) for n in ("structure", "service")
    ]
    return [Draft202012Validator(s, format_checker=FormatChecker()) for s in schemas]


def erreurs(validateur, objets: list[dict]) -> list[str]:
    """Every schema error of every object, as "id: path: message"."""
    return [
        f"{o.get('id')}: {'/'.join(map(str, e.path))}: {e.message}"
        for o in objets
        for e in validateur.iter_errors(o)
    ]


def lire(dossier: Path) -> tuple[list[dict], list[dict]]:
    """The exported structures and services."""
    base = dossier / data_inclusion.DOSSIER
    return [
        json.loads((base / n).read_text(encoding="utf-8"))
        for n in (data_inclusion.NOM_STRUCTURES, data_inclusion.NOM_SERVICES)
    ]


def records(dossier: Path) -> dict[str, dict]:
    """Our national JSON records by id."""
    return {r["id"]: r for r in json.loads((dossier / "lieux-de-mediation-numerique.json").read_text())}


def _national(valeur: object) -> object:
    """A value of a national record as compared: lists sorted, "a|b" split, absent as ""."""
    if isinstance(valeur, list):
        return sorted(valeur)
    return "" if valeur is None else valeur


def pertes(dossier: Path) -> list[tuple[str, str, object, object]]:
    """Round trip: import data-inclusion/structures.json (+ services.json beside it), clean the
    places for the national export again, and compare each mapped field with the national record
    it came from: (id, field, before, after)."""
    avant = records(dossier)
    # Our own export read back: nothing withheld (vivaraize publishes a mobile, le-mixeur no service)
    chemin = dossier / data_inclusion.DOSSIER / data_inclusion.NOM_STRUCTURES
    lieux, rapport = importer_fichier(chemin, options=TOUT_GARDER)
    courts = sum(len(r["nom"]) < data_inclusion.NOM_MIN for r in avant.values())
    assert rapport.importes == len(avant) - courts, rapport.ecartes[:3]
    differences = []
    for lieu in lieux:
        apres, _problemes = enregistrement_standard(lieu)
        identifiant = lieu.id.split("_", 1)[1]
        record = avant[identifiant]
        for champ in CHAMPS_EXACTS:
            brut = record.get(champ)
            attendu = sorted(str(brut or "").split("|")) if brut and champ in CHAMPS_MULTIPLES else brut
            attendu = [] if champ in CHAMPS_MULTIPLES and not brut else attendu
            if _national(attendu) != _national(apres[champ]):
                differences.append((identifiant, champ, attendu, apres[champ]))
    return differences


def test_export_embarque_valide(donnees_embarquees, dossier_shared):
    structures, services = lire(donnees_embarquees)
    schema_structure, schema_service = validateurs(dossier_shared)
    assert len(structures) == len(records(donnees_embarquees)) == 23
    assert len(services) == sum(
        len(r.get("services", "").split("|"))
        for r in records(donnees_embarquees).values()
        if r.get("services")
    )
    assert erreurs(schema_structure, structures) == []
    assert erreurs(schema_service, services) == []


def test_export_d_un_annuaire_importe_valide(donnees_cnfs, dossier_shared):
    structures, services = lire(donnees_cnfs)
    schema_structure, schema_service = validateurs(dossier_shared)
    courts = [r for r in records(donnees_cnfs).values() if len(r["nom"]) < data_inclusion.NOM_MIN]
    assert [r["nom"] for r in courts] == ["1"]  # a producer's mistake: data·inclusion wants 3 characters
    assert len(structures) == LIEUX_CNFS - len(courts)
    assert erreurs(schema_structure, structures) == []
    assert erreurs(schema_service, services) == []


def test_aller_retour_sans_perte_embarque(donnees_embarquees):
    assert pertes(donnees_embarquees) == []


def test_aller_retour_sans_perte_annuaire_importe(donnees_cnfs):
    assert pertes(donnees_cnfs) == []


def test_correspondances_de_data_inclusion(donnees_embarquees):
    structures, services = lire(donnees_embarquees)
    zoomacom = next(s for s in services if s["structure_id"].endswith("--zoomacom"))
    assert zoomacom["nom"] == "Maîtrise des outils numériques du quotidien"
    assert zoomacom["thematiques"] == [
        "numerique--maitriser-les-fondamentaux-du-numerique",
        "numerique--acceder-a-des-services-en-ligne",
    ]
    assert zoomacom["mobilisable_par"] == ["usagers", "professionnels"]
    assert zoomacom["frais"] == "gratuit" and zoomacom["frais_precisions"] == "Gratuit sous condition"
    assert all(s["source"] == "annuaire-mediation-numerique-saint-etienne" for s in structures)


def test_lecture_d_un_service_d_un_autre_producteur():
    """A data·inclusion service written by someone else: its thematiques give the standard service,
    its codes the standard's values; a non-digital service is not a mediation service."""
    brut = [
        {
            "source": "dora",
            "id": "dora--1",
            "nom": "Centre social",
            "date_maj": "2025-01-02",
            "adresse": "1 rue A",
            "code_postal": "42000",
            "commune": "Saint-Étienne",
            "siret": "12345678901234",
        },
        {
            "source": "dora",
            "id": "dora--s1",
            "structure_id": "dora--1",
            "nom": "Atelier smartphone",
            "description": "Apprendre à se servir de son téléphone",
            "date_maj": "2025-01-02",
            "thematiques": ["numerique--maitriser-les-fondamentaux-du-numerique"],
            "frais": "payant",
            "publics": ["seniors"],
            "type": "atelier",
            "modes_mobilisation": ["telephoner"],
        },
        {
            "source": "dora",
            "id": "dora--s2",
            "structure_id": "dora--1",
            "nom": "Aide alimentaire",
            "description": "Colis",
            "date_maj": "2025-01-02",
            "thematiques": ["equipement-et-alimentation--alimentation"],
        },
    ]
    donnees = json.dumps(brut).encode()
    ((_ligne, record),) = lire_octets(donnees, "structures.json")[0]
    assert record["services"] == ["Maîtrise des outils numériques du quotidien"]
    assert record["frais_a_charge"] == ["Payant"] and record["publics_specifiquement_adresses"] == ["Seniors"]
    assert record["modalites_accompagnement"] == ["Dans un atelier collectif"]
    assert record["modalites_acces"] == ["Téléphoner"] and record["pivot"] == "12345678901234"
    assert record["id"] == "1" and record["source"] == "dora"


def test_source_federee_au_format_data_inclusion(donnees_embarquees):
    """A territory reads the hub back: a source in data·inclusion's format (structures + services)."""
    base = donnees_embarquees / data_inclusion.DOSSIER
    donnees = data_inclusion.joindre(
        (base / "structures.json").read_bytes(), (base / "services.json").read_bytes()
    )
    source = Source("hub", format="data-inclusion", services="services.json")
    lecture = lire_source(donnees, source, "hub.json", Contexte(), TOUT_GARDER)
    assert lecture.lus == len(lecture.lieux) == 23
    assert sum(bool(lieu.services) for lieu in lecture.lieux) == sum(
        bool(r.get("services")) for r in records(donnees_embarquees).values()
    )


def test_make_import_lit_structures_et_services(donnees_embarquees, tmp_path, racine):
    """`python -m annuaire import …/structures.json` (what `make import FILE=…` runs)."""
    fichier = donnees_embarquees / data_inclusion.DOSSIER / data_inclusion.NOM_STRUCTURES
    sortie = subprocess.run(
        [sys.executable, "-m", "annuaire", "import", str(fichier), "--dossier", str(tmp_path / "lieux")]
        + ["--contacts-personnels", "--hors-perimetre"],
        capture_output=True,
        text=True,
        cwd=racine,
        timeout=120,
        check=False,
    )
    assert sortie.returncode == 0, sortie.stderr
    assert "23 lus, 23 importés, 0 écartés" in sortie.stdout
    annuaire = construire_annuaire(tmp_path)
    assert not annuaire.erreurs and len(annuaire.lieux) == 23
    assert any(lieu.services for lieu in annuaire.lieux)


@pytest.mark.parametrize("texte", ["[]", "[\n]\n"])
def test_joindre_sans_services(texte):
    structures = b'[{"id": "a--1"}]'
    assert data_inclusion.joindre(structures, texte.encode()) == structures


def test_sync_d_une_source_data_inclusion(donnees_embarquees, tmp_path):
    """`sync` reads a data·inclusion source: its structures and the services file beside them."""
    from annuaire.federation.sources import OptionsSync, lire_sources, synchroniser

    reglage = [
        {
            "nom": "hub",
            "chemin": "data-inclusion/structures.json",
            "services": "data-inclusion/services.json",
            "format": "data-inclusion",
            "licence": "Licence Ouverte 2.0",
        }
    ]
    options = OptionsSync(dossier=tmp_path / "sources", racine=donnees_embarquees, importation=TOUT_GARDER)
    rapport = synchroniser(lire_sources(reglage), options)
    assert [r.etat for r in rapport.resultats] == ["mis à jour"], rapport.resultats[0].message
    instantane = json.loads((tmp_path / "sources" / "hub.json").read_text(encoding="utf-8"))
    assert len(instantane) == 23
    assert sum("services" in r for r in instantane) == sum(
        "services" in r for r in records(donnees_embarquees).values()
    )


def test_fichier_data_inclusion_hostile_sans_trace(tmp_path):
    """Records of odd shapes (wrong types, missing ids, markup) give French problems, never a crash."""
    brut = [
        {"source": "x", "nom": "Sans identifiant", "date_maj": "2025-01-02", "lien_source": "https://a.fr"},
        {
            "source": "x",
            "id": 12,
            "nom": ["liste"],
            "date_maj": None,
            "siret": {"a": 1},
            "reseaux_porteurs": "aidants",
        },
        {
            "source": "x",
            "id": "x--1",
            "nom": "<script>alert(1)</script>Lieu",
            "date_maj": "2025-01-02",
            "adresse": "1 rue A",
            "code_postal": "42000",
            "commune": "Saint-Étienne",
            "horaires_accueil": 5,
        },
        {
            "structure_id": "x--1",
            "id": "x--s",
            "nom": 3,
            "thematiques": "numerique--acquerir-un-equipement",
            "publics": {"a": 1},
            "type": ["atelier"],
            "modes_accueil": 7,
            "frais": ["gratuit"],
            "description": None,
        },
        {
            "structure_id": ["x--1"],
            "id": "x--t",
            "thematiques": [1, None, "numerique--acquerir-un-equipement"],
        },
    ]
    fichier = tmp_path / "structures.json"
    fichier.write_text(json.dumps(brut), encoding="utf-8")
    lieux, rapport = importer_fichier(fichier, options=TOUT_GARDER)
    assert rapport.lus == 3
    assert [lieu.nom for lieu in lieux] == ["Lieu"]  # markup removed, the others left out with a reason
    assert len(rapport.ecartes) == 2 and all(p.message for p in rapport.ecartes)
