"""`make import` into the directory: one entry per real place, no value lost, reviewed decisions."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from annuaire.directory import construire_annuaire
from annuaire.federation.decisions import lire_decisions
from annuaire.federation.doublons import Conflit
from annuaire.federation.importer import importer_fichier
from annuaire.federation.rapprochement import _sans_repetition, ecrire, importer_dans
from annuaire.loading.entrees import charger_lieux

JOUR = dt.date(2025, 1, 1)
FICHE_MANUELLE = """---
# Champs du standard (commentaire gardé)
id: maison-des-possibles
nom: Maison des possibles
adresse: 3 rue de la Paix
code_postal: "42000"
commune: Saint-Étienne
code_insee: "42218"
latitude: 45.4400
longitude: 4.3900
telephone: "+33477000001"
date_maj: 2022-01-01
services:
  - Aide aux démarches administratives
---
Le texte de la fiche, écrit à la main.
"""


def enregistrement(identifiant: str, **valeurs) -> dict:
    """A record in the standard, at the hand-written place by default."""
    base = {
        "id": identifiant,
        "nom": "Maison des possibles",
        "adresse": "3 rue de la Paix",
        "code_postal": "42000",
        "commune": "Saint-Étienne",
        "code_insee": "42218",
        "latitude": 45.4400,
        "longitude": 4.3900,
        "date_maj": "2023-05-01",
        "services": "Aide aux démarches administratives",
    }
    return {**base, **valeurs}


def projet(tmp_path: Path, manuelle: bool = True) -> Path:
    """A project folder with content/lieux (one hand-written entry unless told)."""
    lieux = tmp_path / "content" / "lieux"
    lieux.mkdir(parents=True)
    if manuelle:
        (lieux / "maison-des-possibles.md").write_text(FICHE_MANUELLE, encoding="utf-8")
    return lieux


def importer(fichier: Path, lieux: Path, *enregistrements: dict):
    """Write `enregistrements` to `fichier` (JSON), import it into `lieux`; the plan, written."""
    fichier.write_text(json.dumps(list(enregistrements), ensure_ascii=False), encoding="utf-8")
    entrants, rapport = importer_fichier(fichier, aujourd_hui=JOUR)
    plan = importer_dans(entrants, rapport, lieux, JOUR)
    ecrire(plan)
    return plan


def empreinte(dossier: Path) -> dict[str, str]:
    """Every file of a folder and the hash of its bytes."""
    return {
        str(p.relative_to(dossier)): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in dossier.rglob("*")
        if p.is_file()
    }


def entrees(lieux: Path) -> list:
    """The entries as the site loads them."""
    charges, _problemes = charger_lieux(lieux, lieux.parent)
    return charges


def test_un_enregistrement_du_lieu_complete_la_fiche_manuelle(tmp_path):
    lieux = projet(tmp_path)
    plan = importer(
        tmp_path / "a.json",
        lieux,
        enregistrement("1", source="hub", telephone="0477000002", frais_a_charge="Gratuit"),
    )
    assert sorted(p.name for p in lieux.iterdir()) == ["maison-des-possibles.md"]
    texte = (lieux / "maison-des-possibles.md").read_text(encoding="utf-8")
    assert "# Champs du standard (commentaire gardé)" in texte and "écrit à la main" in texte
    (lieu,) = entrees(lieux)
    assert lieu.telephone == "+33477000001"  # a hand-written value wins
    assert lieu.frais_a_charge == ["Gratuit"] and lieu.identifiants_sources == ["hub_1"]
    (conflit,) = plan.conflits
    assert (conflit.champ, conflit.gardee, conflit.autre, conflit.origine_autre) == (
        "telephone",
        "+33477000001",
        "+33477000002",
        "hub_1",
    )


def test_les_doublons_d_un_meme_fichier_font_une_fiche(tmp_path):
    lieux = projet(tmp_path, manuelle=False)
    plan = importer(
        tmp_path / "a.json",
        lieux,
        enregistrement("1", source="hub", site_web="https://a.fr"),
        enregistrement("2", source="hub", nom="Maison des Possibles", site_web="https://b.fr"),
    )
    (lieu,) = entrees(lieux)
    assert plan.fusionnes == 1 and lieu.identifiants_sources == ["hub_1", "hub_2"]
    assert lieu.site_web == ["https://a.fr", "https://b.fr"]


def test_rien_n_est_perdu_et_la_date_la_plus_recente_l_emporte(tmp_path):
    lieux = projet(tmp_path, manuelle=False)
    ancien = enregistrement("1", source="cnfs", date_maj="2022-01-01", telephone="0477000001")
    importer(tmp_path / "cnfs.json", lieux, {**ancien, "conditions_access": "Gratuit"})
    recent = enregistrement("9", source="dora", date_maj="2023-01-01", telephone="0477000002")
    plan = importer(tmp_path / "di.json", lieux, recent)
    (lieu,) = entrees(lieux)
    assert lieu.frais_a_charge == ["Gratuit"]  # the first file's value survives the second
    assert lieu.telephone == "+33477000002" and lieu.date_maj == dt.date(2023, 1, 1)
    assert [(c.champ, c.autre) for c in plan.conflits] == [("telephone", "+33477000001")]
    texte = next(lieux.iterdir()).read_text(encoding="utf-8")
    assert "# autre valeur — telephone : « +33477000001 »" in texte


def test_reimporter_ne_change_rien(tmp_path):
    lieux = projet(tmp_path)
    premiers = (
        enregistrement("1", source="hub", site_web="https://a.fr"),
        enregistrement("2", nom="Autre", latitude=45.5),
    )
    importer(tmp_path / "a.json", lieux, *premiers)
    importer(tmp_path / "b.json", lieux, enregistrement("7", source="dora", telephone="0477000003"))
    avant = empreinte(tmp_path / "content")
    importer(tmp_path / "a.json", lieux, *premiers)
    importer(tmp_path / "b.json", lieux, enregistrement("7", source="dora", telephone="0477000003"))
    assert empreinte(tmp_path / "content") == avant


def lancer(racine: Path, *arguments: str) -> subprocess.CompletedProcess:
    """`python -m annuaire import …` in `racine` (what `make import FILE=…` runs)."""
    return subprocess.run(
        [sys.executable, "-m", "annuaire", "import", *arguments],
        capture_output=True,
        text=True,
        cwd=racine,
        timeout=60,
        check=False,
    )


def test_un_fichier_casse_ne_change_rien(tmp_path):
    projet(tmp_path)
    avant = empreinte(tmp_path / "content")
    (tmp_path / "casse.json").write_text('[{"nom": "A"}, {"nom": ', encoding="utf-8")
    sortie = lancer(tmp_path, str(tmp_path / "casse.json"))
    assert sortie.returncode == 1 and "casse.json:1:" in sortie.stderr and "Traceback" not in sortie.stderr
    assert empreinte(tmp_path / "content") == avant


def test_un_fichier_de_decisions_casse_ne_change_rien(tmp_path):
    lieux = projet(tmp_path)
    (tmp_path / "content" / "doublons.yaml").write_text(
        "- lieux: [a, b]\n  decision: peut-être\n- lieux: [a]\n  decision: même lieu\n", encoding="utf-8"
    )
    avant = empreinte(tmp_path / "content")
    (tmp_path / "a.json").write_text(json.dumps([enregistrement("1", source="hub")]), encoding="utf-8")
    sortie = lancer(tmp_path, str(tmp_path / "a.json"), "--dossier", str(lieux))
    assert sortie.returncode == 1 and "Traceback" not in sortie.stderr
    assert "content/doublons.yaml:2: decision: « peut-être » : attendu « même lieu »" in sortie.stderr
    assert "content/doublons.yaml:3: lieux: attendu : au moins deux identifiants" in sortie.stderr
    assert empreinte(tmp_path / "content") == avant


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("{}", "content/doublons.yaml:1: le fichier est une liste"),
        (
            "- lieux: [a, b]\n  decision: même lieu\n  avis: x\n",
            "content/doublons.yaml:3: avis: champ inconnu",
        ),
        (
            "- lieux: [a, b]\n  lieux: [c, d]\n",
            "content/doublons.yaml:2: lieux: la clé « lieux » apparaît deux fois",
        ),
        ("- [a, b]\n", "content/doublons.yaml:1: attendu « - lieux: [...] »"),
    ],
)
def test_decisions_mal_ecrites(texte, attendu):
    _decisions, problemes = lire_decisions(texte, "content/doublons.yaml")
    assert any(str(p).startswith(attendu) for p in problemes), [str(p) for p in problemes]


def test_lieux_differents_defait_une_fusion_au_prochain_import(tmp_path):
    lieux = projet(tmp_path)
    importer(tmp_path / "a.json", lieux, enregistrement("1", source="hub", site_web="https://a.fr"))
    decisions = "- lieux: [maison-des-possibles, hub_1]\n  decision: lieux différents\n"
    (tmp_path / "content" / "doublons.yaml").write_text(decisions, encoding="utf-8")
    plan = importer(tmp_path / "a.json", lieux, enregistrement("1", source="hub", site_web="https://a.fr"))
    assert len(entrees(lieux)) == 2 and any("hub_1 en est retiré" in ligne for ligne in plan.separes)
    manuelle = next(lieu for lieu in entrees(lieux) if lieu.id == "maison-des-possibles")
    assert manuelle.identifiants_sources == [] and not manuelle.references


def test_meme_lieu_joint_sous_le_seuil_et_les_identifiants_inconnus_sont_signales(tmp_path):
    lieux = projet(tmp_path)
    decisions = "- lieux: [maison-des-possibles, hub_5, fantome_1]\n  decision: même lieu\n"
    (tmp_path / "content" / "doublons.yaml").write_text(decisions, encoding="utf-8")
    loin = enregistrement("5", source="hub", nom="MDP antenne", adresse="12 avenue Foch", latitude=45.45)
    plan = importer(tmp_path / "a.json", lieux, loin)
    assert [lieu.id for lieu in entrees(lieux)] == ["maison-des-possibles"]
    assert [str(p) for p in plan.problemes] == [
        "content/doublons.yaml:1: avertissement: lieux: identifiant inconnu « fantome_1 »"
    ]


def test_la_construction_suit_les_decisions(tmp_path):
    lieux = projet(tmp_path)
    (lieux / "copie.yaml").write_text(FICHE_MANUELLE.split("---")[1].replace("maison-des-possibles", "copie"))
    assert len(construire_annuaire(tmp_path / "content", aujourd_hui=JOUR).lieux) == 2  # two local entries
    decisions = "- lieux: [maison-des-possibles, copie]\n  decision: même lieu\n  raison: même adresse\n"
    (tmp_path / "content" / "doublons.yaml").write_text(decisions, encoding="utf-8")
    annuaire = construire_annuaire(tmp_path / "content", aujourd_hui=JOUR)
    assert [lieu.id for lieu in annuaire.lieux] == ["copie"]
    (tmp_path / "content" / "doublons.yaml").write_text("- lieux: [copie, x]\n  decision: même\n")
    annuaire = construire_annuaire(tmp_path / "content", aujourd_hui=JOUR)
    assert [str(p) for p in annuaire.erreurs] == [
        "content/doublons.yaml:2: decision: « même » : attendu « même lieu » ou « lieux différents »"
    ]


# --- real records: the Saint-Étienne places of cnfs.json, data-inclusion.json and source.json ------

FICHIERS_REELS = ("cnfs.json", "data-inclusion.json", "source.json")
# A dozen real places, checked by hand: each is one entry of the shipped directory, and each of the
# three files holds at least one record of most of them (under other names, in capitals…).
LIEUX_REELS = {
    "zoomacom": "zoomacom",
    "face-loire": "face loire",
    "arlequin": "arlequin",
    "espace-pratiques-numeriques-ospa": "ospa",
    "centre-social-vivaraize": "vivaraize",
    "espace-alfred-sisley": "sisley",
    "centre-social-le-colibri": "colibri",
    "centre-social-solaure-la-jomayere": "solaure",
    "le-babet": "babet",
    "mediatheque-tarentaize-atelier-numerique": "tarentaize",
    "espace-c2r-maison-du-cret-de-roch": "cret de roch",
    "au-fil-de-la-riviere": "fil de la riviere",
    "epn-montreynaud": "epn de montreynaud",
}


def extraire_saint_etienne(dossier_shared: Path, sortie: Path) -> list[Path]:
    """The records of postcodes 42000 and 42100 of the three files, in small files of the same names."""
    fichiers = []
    for nom in FICHIERS_REELS:
        enregistrements = json.loads((dossier_shared / "data" / nom).read_text(encoding="utf-8"))
        gardes = [e for e in enregistrements if str(e.get("code_postal", "")).strip() in ("42000", "42100")]
        (sortie / nom).write_text(json.dumps(gardes, ensure_ascii=False, indent=1), encoding="utf-8")
        fichiers.append(sortie / nom)
    return fichiers


def importer_tout(fichiers: list[Path], lieux: Path) -> list:
    """Import each file in turn into `lieux`; every plan."""
    plans = []
    for fichier in fichiers:
        entrants, rapport = importer_fichier(fichier, aujourd_hui=JOUR)
        plans.append(importer_dans(entrants, rapport, lieux, JOUR))
        ecrire(plans[-1])
    return plans


def valeurs(lieu) -> dict[str, object]:
    """A place's fields that an import fills."""
    from annuaire.domain.champs import CHAMPS_STANDARD

    return {c: getattr(lieu, c) for c in CHAMPS_STANDARD if c not in ("id", "source", "date_maj")}


@pytest.mark.shared
def test_saint_etienne_reel_une_fiche_par_lieu(dossier_shared, racine, tmp_path):
    import shutil

    from annuaire.federation.doublons import normaliser

    contenu = tmp_path / "content"
    shutil.copytree(racine / "content" / "lieux", contenu / "lieux")
    shutil.copytree(racine / "content" / "reseaux", contenu / "reseaux")
    shutil.copy(racine / "content" / "doublons.yaml", contenu / "doublons.yaml")
    fichiers = extraire_saint_etienne(dossier_shared, tmp_path)
    premier = importer_tout(fichiers[:1], contenu / "lieux")
    apres_cnfs = {lieu.id: lieu for lieu in entrees(contenu / "lieux")}
    plans = premier + importer_tout(fichiers[1:], contenu / "lieux")
    assert sum(p.fusionnes for p in plans) > 50  # the same places, in three files

    annuaire = construire_annuaire(contenu, aujourd_hui=JOUR)
    assert not annuaire.erreurs
    for ident, mot in LIEUX_REELS.items():
        memes = [lieu.id for lieu in annuaire.lieux if mot in normaliser(lieu.nom)]
        assert memes == [ident], (mot, memes)

    # Nothing of the first import is lost: its lists are kept, its single values kept or reported.
    finales = {i: lieu for lieu in entrees(contenu / "lieux") for i in (lieu.id, *lieu.identifiants_sources)}
    autres = {(c.champ, normaliser(c.autre)) for p in plans for c in p.conflits}
    for ident, lieu in apres_cnfs.items():
        finale = finales[ident]
        for champ, valeur in valeurs(lieu).items():
            if isinstance(valeur, list):
                assert set(valeur) <= set(getattr(finale, champ)), (ident, champ)
            elif valeur not in ("", None) and valeur != getattr(finale, champ):
                assert (champ, normaliser(str(valeur))) in autres or isinstance(valeur, float), (ident, champ)
    assert any("Gratuit" in lieu.frais_a_charge for lieu in apres_cnfs.values())

    avant = empreinte(contenu)
    importer_tout(fichiers, contenu / "lieux")
    assert empreinte(contenu) == avant  # importing the same files again changes nothing


def test_la_construction_signale_une_fiche_qui_reunit_deux_lieux_differents(tmp_path):
    lieux = projet(tmp_path, manuelle=False)
    importer(tmp_path / "a.json", lieux, enregistrement("1", source="hub"), enregistrement("2", source="hub"))
    decisions = "- lieux: [hub_1, hub_2]\n  decision: lieux différents\n"
    (tmp_path / "content" / "doublons.yaml").write_text(decisions, encoding="utf-8")
    annuaire = construire_annuaire(tmp_path / "content", aujourd_hui=JOUR)
    assert any("hub_1 et hub_2 sont encore réunis dans" in str(p) for p in annuaire.avertissements)
    importer(tmp_path / "a.json", lieux, enregistrement("1", source="hub"), enregistrement("2", source="hub"))
    annuaire = construire_annuaire(tmp_path / "content", aujourd_hui=JOUR)
    assert len(annuaire.lieux) == 2 and not [p for p in annuaire.problemes if "doublons" in p.chemin]
    assert sorted((lieu.id, tuple(lieu.identifiants_sources)) for lieu in entrees(lieux)) == [
        ("hub_1", ("hub_1",)),
        ("hub_2", ("hub_2",)),
    ]
    assert all(len(lieu.references) == 1 for lieu in entrees(lieux))


def test_meme_lieu_reunit_deux_fiches_importees_autrefois_separement(tmp_path):
    from annuaire.federation.importer import texte_fiche

    lieux = projet(tmp_path, manuelle=False)
    (tmp_path / "ancien.json").write_text(
        json.dumps([enregistrement("1", source="hub"), enregistrement("2", source="autre", latitude=45.47)]),
        encoding="utf-8",
    )
    anciens, rapport = importer_fichier(tmp_path / "ancien.json", aujourd_hui=JOUR)
    for ancien in anciens:  # a former import, which matched nothing: one file per record
        (lieux / f"{ancien.slug}.yaml").write_text(texte_fiche(ancien, []), encoding="utf-8")
    assert len(entrees(lieux)) == 2
    decisions = "- lieux: [hub_1, autre_2]\n  decision: même lieu\n"
    (tmp_path / "content" / "doublons.yaml").write_text(decisions, encoding="utf-8")
    plan = importer(
        tmp_path / "a.json", lieux, enregistrement("9", source="x", nom="Ailleurs", code_postal="42100")
    )
    fiches = {lieu.id: lieu for lieu in entrees(lieux)}
    assert sorted(fiches) == ["autre_2", "x_9"]  # kept: the first file by name (autre-2.yaml)
    reunie = fiches["autre_2"]
    assert sorted(reunie.identifiants_sources) == ["autre_2", "hub_1"]
    assert any("fusionnée dans" in ligne for ligne in plan.separes)


def test_la_page_rapport_liste_les_doublons_probables_avec_leur_score(tmp_path):
    from annuaire.domain.reglages import lire_reglages
    from annuaire.site.plan import plan_du_site

    projet(tmp_path)
    proche = dict(nom="Maison possibles Solaure", adresse="13 rue de la Paix", latitude=45.4406)
    (tmp_path / "content" / "sources").mkdir()
    (tmp_path / "content" / "sources" / "hub.json").write_text(
        json.dumps([enregistrement("3", **proche)]), encoding="utf-8"
    )
    annuaire = construire_annuaire(tmp_path / "content", aujourd_hui=JOUR)
    assert len(annuaire.fusion.probables) == 1, annuaire.fusion.lignes()
    rapport = next(p for p in plan_du_site(annuaire, lire_reglages({}), JOUR) if p.gabarit == "rapport.html")
    (paire,) = rapport.donnees()["probables"]
    assert {paire.id_a, paire.id_b} == {"maison-des-possibles", "hub_3"} and 75 <= paire.score <= 83


def test_une_autre_valeur_deja_gardee_autrement_ecrite_n_est_pas_ajoutee():
    # Seen on the nine national files: a second import added "« rue des jardins »" under the kept
    # "« Rue des Jardins »", and an address without its comma; the third changed nothing.
    deja = [
        "# autre valeur — adresse : « Rue des Jardins » (a_1)",
        "# autre valeur — adresse : « 9 traverse des pénitents noirs, Square Verdun » (a_2)",
    ]
    conflits = [
        Conflit("f.yaml", "adresse", "1 place X", "b_1", "rue des jardins", "b_2"),
        Conflit("f.yaml", "adresse", "1 place X", "b_1", "9 traverse des pénitents noirs Square Verdun", "c"),
        Conflit("f.yaml", "nom", "X", "b_1", "Rue des Jardins", "c"),
    ]
    lignes = _sans_repetition(deja, conflits)
    assert lignes == [*deja, "# autre valeur — nom : « Rue des Jardins » (c)"]
