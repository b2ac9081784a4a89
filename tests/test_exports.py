"""Exports: the national CSV (valid for the standard's schema), JSON, GeoJSON and Atom feed."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import io
import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from annuaire.cli.federation import ajouter_commandes
from annuaire.directory import construire_annuaire
from annuaire.domain.champs import CHAMPS_STANDARD
from annuaire.domain.formats import json_sur
from annuaire.domain.model import Lieu, Provenance
from annuaire.domain.vocabulaire import ETAPES_SCHEMA
from annuaire.outputs.exports import (
    NOM_ATOM,
    NOM_CSV,
    NOM_GEOJSON,
    NOM_JSON,
    PAS_DE_PUBLIC,
    PIVOT_DEFAUT,
    ecrire_exports,
    flux_atom,
    geojson,
    nom_fichier_national,
)
from conftest import exporte

FIXTURE = Path(__file__).parent / "exports" / "contenu"
ATOM = "{http://www.w3.org/2005/Atom}"


def erreurs_frictionless(texte_csv: str, schema: Path, dossier: Path) -> list[str]:
    """Validate a CSV text against the standard's schema with frictionless; return the errors."""
    from frictionless import Resource, Schema

    (dossier / "export.csv").write_text(texte_csv, encoding="utf-8")
    descripteur = json.loads(schema.read_text(encoding="utf-8"))
    ressource = Resource(path="export.csv", basepath=str(dossier), schema=Schema.from_descriptor(descripteur))
    rapport = ressource.validate()
    return [f"{e.type}: {e.message}" for tache in rapport.tasks for e in tache.errors]


def lignes_csv(texte: str) -> list[dict[str, str]]:
    """The rows of an exported CSV as dicts."""
    return list(csv.DictReader(io.StringIO(texte, newline="")))


def lieu(**champs) -> Lieu:
    """A minimal valid place, overridden by `champs`."""
    valeurs = {
        "id": "x",
        "nom": "Lieu",
        "commune": "Saint-Étienne",
        "code_postal": "42000",
        "adresse": "1 rue A",
        "date_maj": dt.date(2024, 1, 2),
        "chemin": "content/lieux/x.yaml",
        "services": ["Aide aux démarches administratives"],
    }
    valeurs.update(champs)
    return Lieu(**valeurs)


@pytest.fixture(scope="module")
def annuaire_fixture():
    """The fixture directory, loaded by the same function as the site."""
    return construire_annuaire(FIXTURE)


def test_fixture_sans_erreur(annuaire_fixture):
    assert annuaire_fixture.erreurs == []
    assert len(annuaire_fixture.lieux) == 4


def test_csv_de_la_fixture_valide_pour_le_schema(annuaire_fixture, dossier_shared, tmp_path):
    texte, rapport = exporte(annuaire_fixture.lieux, NOM_CSV)
    schema = dossier_shared / "reference" / "schema-mednum" / "schema.json"
    assert erreurs_frictionless(texte, schema, tmp_path) == []
    assert rapport.exportes == 3
    assert [p.champ for p in rapport.ecartes] == ["adresse"]
    assert "lieu-sans-adresse" in rapport.ecartes[0].chemin


def test_csv_de_l_annuaire_embarque_valide(racine, dossier_shared, tmp_path):
    annuaire = construire_annuaire(racine / "content")
    texte, rapport = exporte(annuaire.lieux, NOM_CSV)
    schema = dossier_shared / "reference" / "schema-mednum" / "schema.json"
    assert erreurs_frictionless(texte, schema, tmp_path) == []
    assert rapport.exportes + len(rapport.ecartes) == len(annuaire.lieux)


def test_colonnes_ordre_et_valeurs(annuaire_fixture):
    texte, _ = exporte(annuaire_fixture.lieux, NOM_CSV)
    assert texte.splitlines()[0] == ",".join(CHAMPS_STANDARD)
    ligne = {r["id"]: r for r in lignes_csv(texte)}["espace-complet"]
    assert ligne["telephone"] == "+33477487748"
    assert ligne["typologie"] == "EPN|MUNI"
    assert ligne["courriels"] == "contact@exemple.fr|accueil@exemple.fr"
    assert ligne["formations_labels"] == f"{ETAPES_SCHEMA}|Formé à « Mon Espace Santé »"
    detail = 'Deux lignes de présentation,\navec une virgule et des "guillemets".'
    assert ligne["presentation_detail"] == detail
    assert ligne["latitude"] == "45.43986123456"
    assert ligne["date_maj"] == "2024-03-15"


def test_pivot_par_defaut_et_regle_sans_service(annuaire_fixture):
    lignes = {r["nom"]: r for r in lignes_csv(exporte(annuaire_fixture.lieux, NOM_CSV)[0])}
    bureau = lignes["Bureau de coordination"]
    assert bureau["pivot"] == PIVOT_DEFAUT
    assert bureau["modalites_acces"] == PAS_DE_PUBLIC
    assert bureau["horaires"] == bureau["prise_rdv"] == bureau["frais_a_charge"] == ""
    assert bureau["adresse"] == "2 rue de la Coordination"


def test_valeurs_invalides_laissees_de_cote_et_signalees():
    services = ["Aide aux démarches administratives", "Service inventé"]
    x = lieu(
        telephone="12",
        courriels=["pas-un-courriel", "a@b.fr"],
        code_insee="MISSING",
        services=services,
        horaires="lundi 9h",
    )
    texte, rapport = exporte([x], NOM_CSV)
    ligne = lignes_csv(texte)[0]
    assert [ligne[c] for c in ("telephone", "courriels", "code_insee", "horaires")] == ["", "a@b.fr", "", ""]
    assert ligne["services"] == "Aide aux démarches administratives"
    champs = sorted(p.champ for p in rapport.corrections)
    assert champs == ["code_insee", "courriels", "horaires", "services", "telephone"]
    assert all(p.chemin == "content/lieux/x.yaml" and not p.est_erreur for p in rapport.corrections)


def test_formule_neutralisee_et_resume_coupe():
    x = lieu(nom='=HYPERLINK("http://x")', presentation_resume="mot " * 100)
    ligne = lignes_csv(exporte([x], NOM_CSV)[0])[0]
    assert ligne["nom"].startswith("'=")
    assert len(ligne["presentation_resume"]) <= 280


def test_ecartes_ferme_et_id_double():
    lieux = [lieu(), lieu(chemin="content/lieux/autre.yaml"), lieu(id="y", statut="ferme_definitivement")]
    texte, rapport = exporte(lieux, NOM_CSV)
    assert [r["id"] for r in lignes_csv(texte)] == ["x"]
    assert sorted(p.champ for p in rapport.ecartes) == ["id", "statut"]


def test_sorties_deterministes(annuaire_fixture):
    melanges = list(annuaire_fixture.lieux)
    random.Random(4).shuffle(melanges)
    for fonction in (
        lambda x: exporte(x, NOM_CSV)[0],
        lambda x: exporte(x, NOM_JSON)[0],
        geojson,
        lambda x: flux_atom(x, "https://exemple.org"),
    ):
        assert fonction(melanges) == fonction(annuaire_fixture.lieux)


def test_json_cles_du_standard_et_extensions(annuaire_fixture):
    objets = json.loads(exporte(annuaire_fixture.lieux, NOM_JSON)[0])
    complet = next(o for o in objets if o["id"] == "espace-complet")
    assert list(complet)[:3] == ["id", "pivot", "nom"]
    assert set(complet) - {"extensions"} <= set(CHAMPS_STANDARD)
    services = "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien"
    assert complet["services"] == services
    assert complet["latitude"] == pytest.approx(45.43986123456)
    assert complet["extensions"]["reseaux"] == ["reseau-test"]
    assert complet["extensions"]["langues"] == ["fr", "en"]
    assert "reseaux" not in complet and "langues" not in complet


def test_json_provenances():
    x = lieu(provenances=[Provenance("hinaura", "466", dt.date(2021, 11, 16), "https://s.example/x.json")])
    objet = json.loads(exporte([x], NOM_JSON)[0])[0]
    assert objet["extensions"]["provenances"] == [
        {
            "source": "hinaura",
            "identifiant": "466",
            "date_maj": "2021-11-16",
            "url": "https://s.example/x.json",
        }
    ]


def test_geojson_compact(annuaire_fixture):
    texte = geojson(annuaire_fixture.lieux)
    collection = json.loads(texte)
    compact = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    assert texte == json_sur(compact) + "\n"  # <, > and & escaped as \\u003c… (inert in HTML)
    assert collection["type"] == "FeatureCollection"
    ids = [f["properties"]["id"] for f in collection["features"]]
    assert ids == sorted(ids) and len(ids) == 3  # the place without coordinates is not on the map
    complet = next(f for f in collection["features"] if f["properties"]["id"] == "espace-complet")
    assert complet["geometry"]["coordinates"] == [4.38723, 45.439861]
    assert complet["properties"]["url"] == "lieux/espace-complet/"
    assert complet["properties"]["extensions"]["statut"] == "ouvert"


def test_atom_texte_echappe_et_ordre(annuaire_fixture):
    texte = flux_atom(annuaire_fixture.lieux, "https://exemple.org/")
    assert "3 &lt; 4" in texte and "(3 &gt; 2)" in texte
    racine = ET.fromstring(texte.split("\n", 1)[1])
    entrees = racine.findall(f"{ATOM}entry")
    titres = [e.find(f"{ATOM}title").text for e in entrees]
    assert titres[0] == "Atelier « numérique » & co (3 > 2) (Saint-Étienne)"
    dates = [e.find(f"{ATOM}updated").text for e in entrees]
    assert dates == sorted(dates, reverse=True)
    lien = entrees[0].find(f"{ATOM}link").get("href")
    assert lien == "https://exemple.org/lieux/atelier-balises/"
    assert "3 < 4." in entrees[0].find(f"{ATOM}summary").text  # parsed text; "&lt;" in the file


def test_atom_au_plus_50_et_caracteres_interdits():
    lieux = [
        lieu(id=f"l{i:03}", nom=f"Lieu\x0b{i}", date_maj=dt.date(2020, 1, 1) + dt.timedelta(days=i))
        for i in range(80)
    ]
    racine = ET.fromstring(flux_atom(lieux, "https://exemple.org").split("\n", 1)[1])
    entrees = racine.findall(f"{ATOM}entry")
    assert len(entrees) == 50
    assert entrees[0].find(f"{ATOM}title").text == "Lieu79 (Saint-Étienne)"


def test_nom_de_fichier_recommande():
    nom = nom_fichier_national(dt.date(2024, 4, 2), "123 456 789 00012", "Saint-Étienne")
    assert nom == "20240402_12345678900012_lieux-de-mediation-numerique_SaintEtienne.csv"
    assert nom_fichier_national(dt.date(2024, 4, 2)) == "20240402_lieux-de-mediation-numerique.csv"


def test_ecrire_exports(annuaire_fixture, tmp_path):
    rapport = ecrire_exports(
        annuaire_fixture.lieux, tmp_path, "https://exemple.org", "12345678900012", "Saint-Étienne"
    )
    date = "20240520"  # the newest date_maj of the fixture
    nom_date = f"{date}_12345678900012_lieux-de-mediation-numerique_SaintEtienne.csv"
    assert rapport.fichiers[:5] == [nom_date, NOM_CSV, NOM_JSON, NOM_GEOJSON, NOM_ATOM]  # + other standards
    assert (tmp_path / nom_date).read_bytes() == (tmp_path / NOM_CSV).read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))
    assert "3 lieux exportés" in rapport.resume()


def lancer(*argv: str) -> int:
    """Run a federation command as cli.py would."""
    analyseur = argparse.ArgumentParser()
    ajouter_commandes(analyseur.add_subparsers(dest="commande", required=True))
    args = analyseur.parse_args(argv)
    return args.fonction(args)


def test_commande_export(tmp_path, capsys):
    reglages = tmp_path / "pelicanconf.py"
    reglages.write_text(
        'ANNUAIRE = {"territoire": "Saint-Étienne", "url_publique": "https://annuaire.example"}\n'
        'ANNUAIRE_PRODUCTEUR = "12345678900012"\n',
        encoding="utf-8",
    )
    sortie = tmp_path / "donnees"
    assert (
        lancer("export", "--sortie", str(sortie), "--contenu", str(FIXTURE), "--settings", str(reglages)) == 0
    )
    assert "3 lieux exportés, 1 écartés" in capsys.readouterr().out
    assert (sortie / "20240520_12345678900012_lieux-de-mediation-numerique_SaintEtienne.csv").exists()
    assert "https://annuaire.example/lieux/" in (sortie / NOM_ATOM).read_text(encoding="utf-8")


def test_commande_export_refuse_un_annuaire_en_erreur(tmp_path, capsys):
    (tmp_path / "lieux").mkdir()
    (tmp_path / "lieux" / "faux.yaml").write_text("nom: Sans rien\ncode_postal: 4200\n", encoding="utf-8")
    assert lancer("export", "--sortie", str(tmp_path / "out"), "--contenu", str(tmp_path)) == 1
    erreur = capsys.readouterr().err
    assert "export impossible" in erreur and "Traceback" not in erreur
    assert not (tmp_path / "out").exists()


def test_une_fiche_changee_refait_ses_seuls_enregistrements(annuaire_fixture, tmp_path):
    """Through the build's memo (build/memo.py), a rebuild after one place changed works out that
    place's records only, in every standard (national files, data·inclusion, HSDS), and writes the
    same files as a run without memo."""
    from annuaire.build.memo import MemoCalculs

    lieux = list(annuaire_fixture.lieux)
    memo = MemoCalculs(tmp_path / "cache", en_parallele=False)
    ecrire_exports(lieux, tmp_path / "avant", "https://exemple.org", "", "Saint-Étienne", memo)
    memo.enregistrer()
    rang = next(i for i, x in enumerate(lieux) if x.services and x.statut != "ferme_definitivement")
    lieux[rang] = dataclasses.replace(lieux[rang], nom="Un autre nom", horaires="Mo 10:00-11:15")
    memo = MemoCalculs(tmp_path / "cache", en_parallele=False)
    ecrire_exports(lieux, tmp_path / "memo", "https://exemple.org", "", "Saint-Étienne", memo)
    refaits = {m.chemin.stem.rsplit(".", 1)[-1]: len(m.nouveaux) for m in memo.memos.values()}
    assert refaits == dict.fromkeys(
        ("textes_lieu", "lignes_record", "plages_hebdomadaires", "lignes_horaires"), 1
    )
    ecrire_exports(lieux, tmp_path / "propre", "https://exemple.org", "", "Saint-Étienne")
    propre = {p.relative_to(tmp_path / "propre"): p.read_bytes() for p in (tmp_path / "propre").rglob("*.*")}
    assert len(propre) == 11
    assert propre == {
        p.relative_to(tmp_path / "memo"): p.read_bytes() for p in (tmp_path / "memo").rglob("*.*")
    }
