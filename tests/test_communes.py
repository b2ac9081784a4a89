"""Communes from the official referential and French case of capitals (issue 16, points 3-4).

Unit tests of domain/casse.py and domain/communes.py (the real referential from node_modules,
read once), the import step, validation's warnings, the map's lookup files, and real records of
../shared/data (a few hundred: skipped without ../shared, failing with REQUIRE_SHARED=1).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from annuaire.domain.casse import casse_francaise, en_capitales, remettre_en_forme
from annuaire.domain.communes import Referentiel, cle_nom, resoudre
from annuaire.domain.model import Lieu
from annuaire.federation.importer import importer_fichier, texte_fiche
from annuaire.loading.referentiel import charger_referentiel
from annuaire.outputs.carte_communes import fichiers_communes
from annuaire.validation.regles import Contexte, valider_lieu

JOUR = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def ref() -> Referentiel:
    referentiel = charger_referentiel()
    assert referentiel, "make install : @etalab/decoupage-administratif manque dans node_modules"
    return referentiel


# --- French case -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capitales", "attendu"),
    [
        ("LA POSTE SAINT ETIENNE MONTREYNAUD", "La Poste Saint-Étienne Montreynaud"),
        ("MAIRIE D'ANNONAY", "Mairie d'Annonay"),
        ("CCAS DE SAINT GENEST LERPT", "CCAS de Saint-Genest-Lerpt"),
        ("FRANCE SERVICES DU PAYS DE L'ARBRESLE", "France Services du Pays de l'Arbresle"),
        ("MJC ET EPN DES TILLEULS", "MJC et EPN des Tilleuls"),
        ("AIX-EN-PROVENCE", "Aix-en-Provence"),
        ("CENTRE SOCIAL - CAF", "Centre Social - CAF"),
    ],
)
def test_casse_des_noms(ref, capitales, attendu):
    assert casse_francaise(capitales, ref) == attendu


def test_casse_des_adresses_et_sans_referentiel():
    assert casse_francaise("12 RUE DE LA REPUBLIQUE", adresse=True) == "12 rue de la République"
    assert casse_francaise("3EME ETAGE", adresse=True) == "3e Étage"
    # without the referential the saint's hyphen and the frequent accents still come
    assert casse_francaise("EGLISE SAINT ETIENNE") == "Église Saint-Étienne"


def test_texte_en_casse_mixte_ou_trop_long_laisse_tel_quel():
    assert casse_francaise("Espace Sisley") == "Espace Sisley"
    assert casse_francaise("EPN") == "EPN"  # an acronym alone: capitals on purpose
    long = "ABC " * 200
    assert casse_francaise(long) == long
    assert en_capitales("SAINT-ETIENNE") and not en_capitales("Saint-ETIENNE") and not en_capitales("42")


# --- resolution against the referential ------------------------------------------------------


def test_cle_nom():
    assert cle_nom("ST-ETIENNE CEDEX 2") == cle_nom("Saint-Étienne") == "saint etienne"
    assert cle_nom("Lyon 3eme") == cle_nom("Lyon 3") == cle_nom("Lyon 3e Arrondissement") == "lyon"
    assert cle_nom("49350 GENNES-VAL-DE-LOIRE") == "gennes val de loire"


@pytest.mark.parametrize(
    ("nom", "code_postal", "code_insee", "officiel", "code"),
    [
        ("SAINT-ETIENNE", "42000", "", "Saint-Étienne", "42218"),
        ("Saint-étienne", "42100", "", "Saint-Étienne", "42218"),
        ("St Etienne", "42000", "42218", "Saint-Étienne", "42218"),
        ("Lyon 3", "69003", "", "Lyon", "69123"),
        ("Lyon 3eme", "69003", "69383", "Lyon", "69123"),
        ("Paris 15e", "75015", "", "Paris", "75056"),
        ("Marseille", "13001", "13201", "Marseille", "13055"),
        ("0NET LE CHATEAU", "12850", "", "Onet-le-Château", "12176"),
        ("62300", "62300", "", "Lens", "62498"),
        ("49350 GENNES-VAL-DE-LOIRE", "49350", "", "Gennes-Val-de-Loire", "49261"),
        ("Sarlat", "24200", "", "Sarlat-la-Canéda", "24520"),  # the start of the official name
        ("Rambervilelrs", "88700", "", "Rambervillers", "88367"),  # a typing slip
        ("Aunay-sur-Odon", "14260", "", "Les Monts d'Aunay", "14027"),  # a former commune
    ],
)
def test_resolution(ref, nom, code_postal, code_insee, officiel, code):
    resolution = resoudre(ref, nom, code_postal, code_insee)
    assert resolution.commune is not None
    assert (resolution.commune.nom, ref.actuelle(resolution.commune.code).code) == (officiel, code)


def test_incoherences_avec_la_correction_probable(ref):
    # INSEE code of Saint-Étienne, postcode and name of Firminy: the code is the mistake.
    firminy = resoudre(ref, "Firminy", "42700", "42218")
    assert (
        firminy.commune.nom == "Firminy" and firminy.champ == "code_insee" and "42095" in firminy.incoherence
    )
    # the INSEE code and the name agree, the postcode is a CEDEX one
    albi = resoudre(ref, "Albi", "81011", "81004")
    assert albi.champ == "code_postal" and "81000" in albi.incoherence
    assert resoudre(ref, "Trifouilly-les-Oies", "69000", "").commune is None


def test_remettre_en_forme_ne_modifie_pas_le_lieu(ref):
    lieu = Lieu(nom="MJC DE LYON 3EME", commune="LYON 3EME", code_postal="69003", adresse="3 RUE X")
    avant = dataclasses.replace(lieu)
    nouveau, originaux, _ = remettre_en_forme(lieu, ref)
    assert lieu == avant and nouveau is not lieu
    assert (nouveau.nom, nouveau.commune, nouveau.code_insee) == ("MJC de Lyon 3e", "Lyon", "69123")
    assert ("commune", "LYON 3EME") in originaux and ("nom", "MJC DE LYON 3EME") in originaux


def test_referentiel_vide_ne_change_rien():
    lieu = Lieu(nom="X", commune="SAINT ETIENNE", code_postal="42000")
    assert resoudre(Referentiel(), "SAINT ETIENNE", "42000", "").commune is None
    assert remettre_en_forme(lieu, Referentiel())[0].commune == "Saint-Étienne"  # case only


# --- validation --------------------------------------------------------------------------------


def test_avertissements_de_validation(ref):
    contexte = Contexte(aujourd_hui=JOUR, referentiel=ref)
    lieu = Lieu(
        id="x", nom="CCAS DE FIRMINY", commune="Firminy", code_postal="42700", code_insee="42218",
        adresse="1 rue X", chemin="content/lieux/x.yaml",
    )  # fmt: skip
    messages = {(p.champ, p.message) for p in valider_lieu(lieu, contexte) if not p.est_erreur}
    assert any(champ == "code_insee" and "« 42095 »" in m for champ, m in messages)
    assert any(champ == "nom" and "« CCAS de Firminy »" in m for champ, m in messages)
    autre = dataclasses.replace(lieu, nom="CCAS", commune="St Etienne", code_postal="42000", code_insee="")
    messages = [p.message for p in valider_lieu(autre, contexte)]
    assert "nom officiel de la commune : « Saint-Étienne »" in messages


# --- import --------------------------------------------------------------------------------------


def test_import_normalise_et_garde_l_original(tmp_path):
    fichier = tmp_path / "export.json"
    enregistrement = {
        "id": "1", "nom": "LA POSTE SAINT ETIENNE MONTREYNAUD", "commune": "SAINT-ETIENNE",
        "code_postal": "42000", "adresse": "97 BD ANTONIO VIVALDI", "date_maj": "2025-06-01",
        "services": "Aide aux démarches administratives", "latitude": 45.46, "longitude": 4.40,
    }  # fmt: skip
    fichier.write_text(json.dumps([enregistrement]), encoding="utf-8")
    lieux, rapport = importer_fichier(fichier, "essai", JOUR)
    (lieu,) = lieux
    assert (lieu.nom, lieu.commune, lieu.code_insee) == (
        "La Poste Saint-Étienne Montreynaud",
        "Saint-Étienne",
        "42218",
    )
    assert rapport.communes["normalisée"] == 1 and "1 noms normalisés" in rapport.resume()
    texte = texte_fiche(lieu, rapport.rejets[lieu.id])
    assert "# d'origine — nom : « LA POSTE SAINT ETIENNE MONTREYNAUD »" in texte


# --- the map's lookup files --------------------------------------------------------------------


def test_fichiers_de_la_carte_pour_toutes_les_communes(ref):
    lieu = Lieu(id="a", nom="A", commune="Saint-Étienne", code_postal="42000", code_insee="42218",
                latitude=45.44, longitude=4.39)  # fmt: skip
    fichiers = fichiers_communes([lieu], ref)
    lignes = {ligne[0]: ligne for ligne in fichiers["sa.json"]["communes"]}
    assert lignes["Saint-Étienne"][2:] == [45.44, 4.39, "c"]
    assert lignes["Saint-Genest-Lerpt"][-1] == "d"  # no place of its own: the département's
    assert len(lignes["Saint-Malo"]) == 2  # no place in Ille-et-Vilaine: no position
    firminy = [ligne for ligne in fichiers["cp-42.json"]["communes"] if ligne[0] == "Firminy"]
    assert firminy and firminy[0][1] == "42700"
    assert "zz.json" in fichiers and fichiers["zz.json"]["communes"] == []  # no 404 in the browser
    taille = max(len(json.dumps(d, ensure_ascii=False)) for d in fichiers.values())
    assert taille < 200_000  # the biggest file (names in "sa…") stays small


# --- real records ---------------------------------------------------------------------------------


def _extrait(dossier_shared, nom: str, nombre: int) -> list[dict]:
    """The Saint-Étienne area's records of a national file, then every n-th other one."""
    lignes = json.loads((dossier_shared / "data" / nom).read_text(encoding="utf-8"))
    locaux = [x for x in lignes if str(x.get("code_postal", "")).startswith("42")]
    return locaux + lignes[:: max(1, len(lignes) // nombre)]


@pytest.mark.parametrize("nom", ["cnfs.json", "data-inclusion.json"])
def test_enregistrements_reels(dossier_shared, tmp_path, nom):
    fichier = tmp_path / nom
    fichier.write_text(json.dumps(_extrait(dossier_shared, nom, 300)), encoding="utf-8")
    lieux, rapport = importer_fichier(fichier, "essai", JOUR)
    assert len(lieux) > 300
    communes = {lieu.commune for lieu in lieux}
    assert not [c for c in communes if en_capitales(c)], "commune en capitales"
    assert not [c for c in communes if any(ch.isdigit() for ch in c)], "code postal dans la commune"
    stephanois = {lieu.commune for lieu in lieux if lieu.code_insee == "42218"}
    assert stephanois == {"Saint-Étienne"}
    # names are already in French case: a second pass changes nothing ("A C I A H" stays)
    assert not [lieu.nom for lieu in lieux if casse_francaise(lieu.nom) != lieu.nom]
    assert rapport.communes["non trouvée"] <= len(lieux) // 50  # under 2 %
