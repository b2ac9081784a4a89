"""Import of files in the national standard: real files of ../shared/data, old vocabularies, round trips."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import pytest
from annuaire.cli.federation import ajouter_commandes
from annuaire.federation.importer import ErreurImport, importer_fichier, lire_fichier
from annuaire.federation.rapprochement import Rapprochement, ecrire, importer_dans
from annuaire.loading.entrees import charger_lieux
from annuaire.outputs.exports import NOM_CSV
from annuaire.validation.regles import Contexte, valider_lieu
from conftest import exporte

AUJOURD_HUI = dt.date(2025, 1, 1)
HUB_16 = "20230516-hub-du-sud-lieux-de-mediation-numeriques-provence-alpes-cote-d-azur.json"
HUB_17 = "20230517-hub-du-sud-lieux-de-mediation-numeriques-provence-alpes-cote-d-azur.json"


def erreurs_frictionless(texte_csv: str, schema: Path, dossier: Path) -> list[str]:
    """Validate a CSV text against the standard's schema with frictionless; return the errors."""
    from frictionless import Resource, Schema

    (dossier / "export.csv").write_text(texte_csv, encoding="utf-8")
    descripteur = json.loads(schema.read_text(encoding="utf-8"))
    ressource = Resource(path="export.csv", basepath=str(dossier), schema=Schema.from_descriptor(descripteur))
    return [f"{e.type}: {e.message}" for tache in ressource.validate().tasks for e in tache.errors]


def importer(chemin: Path, **options):
    """Import with a fixed date (validation of dates is relative to today)."""
    return importer_fichier(chemin, aujourd_hui=AUJOURD_HUI, **options)


def importer_dans_dossier(lieux, dossier: Path, rapport) -> Rapprochement:
    """`make import`'s path (cli/federation.py): the records matched against the entries of
    `dossier` (content/lieux) and the other records, then written; the plan carried out."""
    plan = importer_dans(lieux, rapport, dossier, AUJOURD_HUI)
    ecrire(plan)
    return plan


def erreurs_apres_relecture(dossier: Path, racine: Path) -> list[str]:
    """Load the written entries back as the site does, and return every validation error."""
    lieux, problemes = charger_lieux(dossier, racine)
    contexte = Contexte(aujourd_hui=AUJOURD_HUI)
    erreurs = [p for p in problemes if p.est_erreur]
    erreurs += [p for x in lieux for p in valider_lieu(x, contexte) if p.est_erreur]
    return [str(p) for p in erreurs]


# --- real files -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reel(dossier_shared):
    """Import a file of ../shared/data once per module (for tests that only read the result)."""
    deja: dict[str, tuple] = {}

    def importer_reel(nom: str):
        if nom not in deja:
            deja[nom] = importer(dossier_shared / "data" / nom)
        return deja[nom]

    return importer_reel


@pytest.mark.parametrize(
    ("fichier", "lus", "importes"),
    [("source.json", 687, 686), (HUB_16, 792, 791), (HUB_17, 646, 645), ("cnfs.json", 4930, 4930)],
)
def test_fichiers_reels_comptes(reel, fichier, lus, importes):
    lieux, rapport = reel(fichier)
    assert (rapport.lus, rapport.importes, len(lieux)) == (lus, importes, importes)
    assert rapport.lus == rapport.importes + len(rapport.ecartes) + sum(rapport.hors_perimetre.values())
    assert all(p.chemin == fichier and p.ligne > 1 and p.message for p in rapport.ecartes)
    assert len({x.id for x in lieux}) == len(lieux)


def test_source_json_valeurs_non_reprises_comptees(reel):
    _lieux, rapport = reel("source.json")
    adhesion = "Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer"
    assert rapport.non_repris[("conditions_acces", adhesion)] == 160
    assert any("non repris (160) : conditions_acces" in ligne for ligne in rapport.details())
    assert "687 lus, 686 importés, 0 écartés" in rapport.resume()  # one housing: out of scope


def test_ancien_vocabulaire_converti(reel):
    lieux, _ = reel("source.json")
    sisley = next(x for x in lieux if x.id == "hinaura_466")
    assert sisley.services == [
        "Accès internet et matériel informatique",
        "Maîtrise des outils numériques du quotidien",
        "Compréhension du monde numérique",
        "Aide aux démarches administratives",
    ]
    assert sisley.frais_a_charge == ["Gratuit", "Payant"]
    assert sisley.publics_specifiquement_adresses == ["Familles et/ou enfants", "Jeunes", "Seniors"]
    assert sisley.prise_en_charge_specifique == ["Illettrisme", "Langues étrangères (autres)"]
    assert sisley.modalites_accompagnement == [
        "Dans un atelier collectif",
        "Accompagnement individuel",
        "En autonomie",
    ]
    assert sisley.courriels == ["epn.sud.est@gmail.com"]


def test_hub_du_sud_dates_factices_et_labels(reel):
    lieux, rapport = reel(HUB_16)
    assert rapport.dates_factices == 144
    factices = [x for x in lieux if x.date_maj == dt.date(1970, 1, 1)]
    assert factices and all("date_maj" in x.a_verifier for x in factices)
    ecarte = rapport.ecartes[0]
    assert ecarte.champ == "nom" and "formule" in ecarte.message


def test_cnfs_labels_et_champs_inconnus(reel):
    lieux, rapport = reel("cnfs.json")
    assert all("Conseillers numériques" in x.dispositif_programmes_nationaux for x in lieux)
    assert rapport.champs_inconnus["structureId"] == 4930
    assert rapport.valeurs_rejetees["telephone"] == 7


def test_code_insee_missing_vide(dossier_shared):
    lieux, rapport = importer(dossier_shared / "data" / "lieux-de-mediation-numerique.back.json")
    assert rapport.corrections["code_insee « MISSING » vidé"] == 398
    # emptied, then completed from the commune referential where the commune is known
    assert not any(x.code_insee == "MISSING" for x in lieux)
    assert rapport.communes["code INSEE complété"] > 300
    assert len({x.id for x in lieux}) == len(lieux)  # SIRETs used as ids repeat: numbered


def test_aller_retour_source_json(dossier_shared, tmp_path):
    dossier = tmp_path / "content" / "lieux"
    lieux, rapport = importer(dossier_shared / "data" / "source.json")
    plan = importer_dans_dossier(lieux, dossier, rapport)
    assert len(lieux) == 686  # a home for disabled adults is out of scope
    assert plan.fusionnes == 9 and plan.comptes()["nouveau"] == 677  # duplicates: one entry each
    assert erreurs_apres_relecture(dossier, tmp_path) == []
    relus, _ = charger_lieux(dossier, tmp_path)
    texte, export = exporte(relus, NOM_CSV)
    schema = dossier_shared / "reference" / "schema-mednum" / "schema.json"
    assert erreurs_frictionless(texte, schema, tmp_path) == []
    assert export.exportes == 677
    (tmp_path / "export.csv").write_text(texte, encoding="utf-8")  # our CSV reads back as a source
    _reimportes, rapport = importer(tmp_path / "export.csv")
    assert rapport.importes == 677 and not rapport.non_repris


def test_aller_retour_hub_du_sud_deux_millesimes(dossier_shared, tmp_path):
    dossier = tmp_path / "content" / "lieux"
    for fichier in (HUB_16, HUB_17):
        lieux, rapport = importer(dossier_shared / "data" / fichier)
        comptes = importer_dans_dossier(lieux, dossier, rapport).comptes()
    assert comptes["nouveau"] == 0  # same places, new vintage: same ids, same files
    # 645 records of the second vintage into 644 entries (two of them are one place); the first's
    # 791 records are 721 places (70 duplicates merged, as `make import` does)
    assert comptes["mis à jour"] + comptes["inchangé"] == 644
    assert len(list(dossier.glob("*.yaml"))) == 721
    assert erreurs_apres_relecture(dossier, tmp_path) == []
    relus, _ = charger_lieux(dossier, tmp_path)
    schema = dossier_shared / "reference" / "schema-mednum" / "schema.json"
    assert erreurs_frictionless(exporte(relus, NOM_CSV)[0], schema, tmp_path) == []


def test_deux_imports_ne_doublent_rien(dossier_shared, tmp_path):
    dossier = tmp_path / "content" / "lieux"
    for _ in range(2):
        lieux, rapport = importer(dossier_shared / "data" / "source.json")
        comptes = importer_dans_dossier(lieux, dossier, rapport).comptes()
    assert comptes["inchangé"] == 677 and comptes["nouveau"] == 0  # 686 records, 9 merged
    assert len(list(dossier.iterdir())) == 677


# --- synthetic files: every quirk on a few lines ------------------------------------------------------


CSV_POINT_VIRGULE = """id;nom;commune;code_postal;code_insee;adresse;latitude;longitude;telephone;courriel;services;conditions_acces;labels_nationaux;publics_accueillis;horaires;date_maj;colonne_inconnue
a1;Espace Un;Saint-Étienne;42000;MISSING;1 rue A;45,43;4,39;04 77 00 00 00;a@b.fr;Prendre en main un ordinateur|Créer avec le numérique;Gratuit : accès libre;CNFS, APTIC;Seniors (+ 65 ans)|Handicaps psychiques : troubles;Mo-Fr 09:00-12:00;2023-05-02;x
a2;Espace Deux;Saint-Étienne;4200;;2 rue B;;;12;pas-un-courriel;Utiliser le numérique au quotidien;;;;lundi 9h-12h;1970-01-01;
a3;Sans adresse;Saint-Étienne;42000;;;;;;;;;;;;2023-05-02;
a4;=SOMME(A1);Saint-Étienne;42000;;4 rue D;;;;;;;;;;2023-05-02;
"""  # noqa: E501

CSV_VIRGULE = """id,nom,commune,code_postal,adresse,services,frais_a_charge,date_maj,presentation_resume
b1,"Atelier <b>gras</b> & co",Lyon,69001,"1 place, bis",Aide aux démarches administratives;\
Accès internet et matériel informatique,Gratuit;Payant,2024-01-01,"Texte avec ""guillemets""
et saut de ligne"
"""


def test_csv_point_virgule_et_anciens_champs(tmp_path):
    chemin = tmp_path / "lieux.csv"
    chemin.write_text(CSV_POINT_VIRGULE, encoding="utf-8")
    lieux, rapport = importer(chemin, source="Test")
    a1, a2 = lieux
    # "MISSING" emptied, then the code of Saint-Étienne from the commune referential
    assert (a1.id, a1.latitude, a1.telephone, a1.code_insee) == ("test_a1", 45.43, "+33477000000", "42218")
    assert a1.services == ["Maîtrise des outils numériques du quotidien", "Loisirs et créations numériques"]
    assert a1.frais_a_charge == ["Gratuit"]
    assert a1.dispositif_programmes_nationaux == ["Conseillers numériques"]
    assert a1.publics_specifiquement_adresses == ["Seniors"] and a1.courriels == ["a@b.fr"]
    assert (a2.code_postal, a2.telephone, a2.courriels, a2.horaires) == ("04200", "", [], "")
    assert set(a2.a_verifier) == {"telephone", "courriels", "horaires", "date_maj"}
    assert rapport.non_repris[("labels_nationaux", "APTIC")] == 1
    assert rapport.non_repris[("publics_accueillis", "Handicaps psychiques : troubles")] == 1
    assert rapport.champs_inconnus["colonne_inconnue"] == 3 + 1  # every row has the column
    assert [(p.ligne, p.champ) for p in rapport.ecartes] == [(4, "adresse"), (5, "nom")]
    assert rapport.dates_factices == 1


def test_fiche_ecrite_garde_les_valeurs_rejetees_en_commentaire(tmp_path):
    chemin = tmp_path / "lieux.csv"
    chemin.write_text(CSV_POINT_VIRGULE, encoding="utf-8")
    lieux, rapport = importer(chemin, source="Test")
    importer_dans_dossier(lieux, tmp_path / "content" / "lieux", rapport)
    texte = (tmp_path / "content" / "lieux" / "test-a2.yaml").read_text(encoding="utf-8")
    assert "# non repris — telephone : « 12 »" in texte
    assert "# non repris — horaires : « lundi 9h-12h » (pas au format OpenStreetMap" in texte
    assert erreurs_apres_relecture(tmp_path / "content" / "lieux", tmp_path) == []


def test_csv_virgule_texte_reste_texte(tmp_path):
    chemin = tmp_path / "lieux.csv"
    chemin.write_text(CSV_VIRGULE, encoding="utf-8")
    lieux, rapport = importer(chemin)
    (b1,) = lieux
    assert b1.nom == "Atelier gras & co" and b1.adresse == "1 place, bis"  # markup dropped, text kept
    assert b1.frais_a_charge == ["Gratuit", "Payant"]
    assert b1.presentation_resume == 'Texte avec "guillemets"\net saut de ligne'
    importer_dans_dossier(lieux, tmp_path / "content" / "lieux", rapport)
    relus, _ = charger_lieux(tmp_path / "content" / "lieux", tmp_path)
    assert relus[0].nom == b1.nom and relus[0].presentation_resume == b1.presentation_resume


def test_json_nombres_en_texte_et_lignes(tmp_path):
    enregistrements = [
        {
            "id": 7,
            "nom": "Lieu",
            "commune": "Nice",
            "code_postal": 6000,
            "adresse": "1 quai",
            "latitude": "43.7",
            "longitude": "7.26",
            "date_maj": "2023-02-01T10:00:00",
            "source": "Hub",
            "services": "Aide aux démarches administratives",
        },
        {"id": 8, "nom": "Sans date", "commune": "Nice", "code_postal": "06000", "adresse": "2 quai"},
        "pas un objet",
    ]
    chemin = tmp_path / "x.json"
    chemin.write_text(json.dumps(enregistrements, indent=2), encoding="utf-8")
    lieux, rapport = importer(chemin)
    assert [(x.id, x.code_postal, x.latitude, x.date_maj) for x in lieux] == [
        ("hub_7", "06000", 43.7, dt.date(2023, 2, 1))
    ]
    assert [(p.ligne, p.champ) for p in rapport.ecartes] == [(14, "date_maj"), (21, "")]


@pytest.mark.parametrize(
    ("contenu", "attendu"),
    [
        (b'[{"nom": "a"},\n{"nom": }]', "x.json:2: JSON invalide"),
        (b'{"nom": "a"}', "attendu un tableau JSON"),
        (b"\x00\x01binaire", "fichier binaire"),
        (b'[{"name": "a"}]', "pas au standard"),
    ],
)
def test_fichiers_illisibles(tmp_path, contenu, attendu):
    chemin = tmp_path / "x.json"
    chemin.write_bytes(contenu)
    with pytest.raises(ErreurImport, match=attendu):
        lire_fichier(chemin)


def lancer(*argv: str) -> int:
    """Run the import command as cli.py would."""
    analyseur = argparse.ArgumentParser()
    ajouter_commandes(analyseur.add_subparsers(dest="commande", required=True))
    args = analyseur.parse_args(argv)
    return args.fonction(args)


def test_commande_import(tmp_path, capsys):
    chemin = tmp_path / "lieux.csv"
    chemin.write_text(CSV_POINT_VIRGULE, encoding="utf-8")
    assert lancer("import", str(chemin), "--dossier", str(tmp_path / "lieux"), "--source", "test") == 0
    sortie = capsys.readouterr().out
    assert "lieux.csv:4: avertissement: adresse: écarté" in sortie
    assert "4 lus, 2 importés, 2 écartés" in sortie and "2 nouvelles" in sortie
    assert sorted(p.name for p in (tmp_path / "lieux").iterdir()) == ["test-a1.yaml", "test-a2.yaml"]


def test_commande_import_erreur_sans_trace(tmp_path, capsys):
    assert lancer("import", str(tmp_path / "absent.json")) == 1
    erreur = capsys.readouterr().err
    assert "lecture impossible" in erreur and "Traceback" not in erreur
