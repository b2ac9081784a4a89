"""Issue 16, points 5-8: privacy by default, scope, producer mistakes flagged, warnings grouped.

Unit tests of domain/confidentialite.py, domain/perimetre.py, domain/anomalies.py and
validation/affichage.py, the import's cleaning steps, and one test on real records of
../shared/data/cnfs.json (skipped without it, failing with REQUIRE_SHARED=1): no nominative e-mail
and no withheld mobile in any file of the built site, nor in the written entries.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from annuaire.domain import horaires
from annuaire.domain.anomalies import marquer_plages, pivot_factice, plages_douteuses
from annuaire.domain.confidentialite import courriel_nominatif, mobile_personnel, retenir
from annuaire.domain.model import AVERTISSEMENT, Probleme
from annuaire.domain.perimetre import AUCUN_SERVICE, HEBERGEMENT, hors_perimetre
from annuaire.federation.importer import (
    OPTIONS_PAR_DEFAUT,
    OptionsImport,
    convertir_enregistrement,
    importer_fichier,
    texte_fiche,
)
from annuaire.federation.rapprochement import ecrire, importer_dans
from annuaire.validation.affichage import afficher_validation, par_genre
from annuaire.validation.regles import Contexte, valider_lieu
from conftest import construire_site_test
from test_validation import lieu_valide

JOUR = dt.date(2024, 1, 15)
SERVICE = "Aide aux démarches administratives"


def enregistrement(**champs) -> dict:
    """A valid raw record in the standard, with `champs` over it."""
    base = {
        "id": "1",
        "nom": "Espace numérique",
        "adresse": "1 rue A",
        "code_postal": "42000",
        "commune": "Saint-Étienne",
        "date_maj": "2023-11-02",
        "services": SERVICE,
    }
    return {**base, **champs}


def convertir(brut: dict, options: OptionsImport = OPTIONS_PAR_DEFAUT):
    """One record through the importer's conversion."""
    return convertir_enregistrement(brut, "f.json", 1, 1, "test", Contexte(aujourd_hui=JOUR), options)


# --- 5. privacy -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "adresse",
    [
        "marie.dupont@orange.fr",
        "m.dupont@mairie-x.fr",
        "jean-pierre.martin@gmail.com",
        "sophie-durand@exemple.fr",
        "mf.guichou@asso.fr",
        "dupont.marie@free.fr",
        "julien@exemple.fr",
        "alainhays@wanadoo.fr",
        "Hélène.Lefèvre@Exemple.FR",
        "c.bertin42@exemple.fr",
    ],
)
def test_courriels_nominatifs(adresse):
    assert courriel_nominatif(adresse)


@pytest.mark.parametrize(
    "adresse",
    [
        "contact@zoomacom.org",
        "accueil@mairie.fr",
        "mediation.numerique@ville.fr",
        "epn@lebabet.fr",
        "mairie@commune.fr",
        "conseiller.numerique.damazan@exemple.fr",
        "france.services@exemple.fr",
        "epn.montreynaud@pimms.org",
        "mairie.saint-auban@exemple.fr",
        "cs.fontreyne@exemple.fr",
        "mdf.nord@exemple.fr",
        "paulhaguet@exemple.fr",
        "mpt.victor@exemple.fr",
        "aurore@exemple.fr",
    ],
)
def test_courriels_generiques(adresse):
    assert not courriel_nominatif(adresse)


@pytest.mark.parametrize(
    ("telephone", "mobile"),
    [
        ("+33612345678", True),
        ("+33756781234", True),
        ("+33477933226", False),
        ("+33967561840", False),
        ("+262692123456", True),  # La Réunion
        ("+262262123456", False),
        ("+590690123456", True),  # Guadeloupe
        ("+596696123456", True),  # Martinique
        ("+594694123456", True),  # Guyane
        ("pas un numéro", False),
    ],
)
def test_mobiles(telephone, mobile):
    assert mobile_personnel(telephone) is mobile


def test_retenir_rend_un_nouveau_lieu():
    lieu = lieu_valide(courriels=["contact@a.fr", "marie.dupont@a.fr"], telephone="+33612345678")
    propre, retenue = retenir(lieu)
    assert propre is not lieu and (propre.courriels, propre.telephone) == (["contact@a.fr"], "")
    assert lieu.courriels == ["contact@a.fr", "marie.dupont@a.fr"] and lieu.telephone == "+33612345678"
    assert (retenue.courriels, retenue.telephone, retenue.champs) == (1, 1, ("courriels", "telephone"))


def test_import_retient_contacts_personnels_sans_les_recopier():
    brut = enregistrement(courriel="marie.dupont@orange.fr;contact@lieu.fr", telephone="06 12 34 56 78")
    conversion = convertir(brut)
    lieu = conversion.lieu
    assert (lieu.courriels, lieu.telephone) == (["contact@lieu.fr"], "")
    assert sorted(conversion.retenus) == ["courriels", "telephone"]
    texte = texte_fiche(lieu, conversion.rejets)
    assert "dupont" not in texte and "12 34" not in texte and "612345678" not in texte
    assert "vie privée" in texte  # the reviewer is told which field lost a value
    garde = convertir(brut, OptionsImport(contacts_personnels=True)).lieu
    assert (garde.courriels, garde.telephone) == (
        ["marie.dupont@orange.fr", "contact@lieu.fr"],
        "+33612345678",
    )


def test_rapport_compte_les_retenus(tmp_path):
    fichier = tmp_path / "lieux.json"
    lignes = [enregistrement(id=str(i), courriel=f"marie.dupont{i}@orange.fr") for i in range(3)]
    fichier.write_text(json.dumps(lignes), encoding="utf-8")
    _lieux, rapport = importer_fichier(fichier, aujourd_hui=JOUR)
    assert rapport.retenus["courriels"] == 3
    assert "3 contacts personnels non publiés" in rapport.resume()
    assert any("vie privée (3) : courriels" in ligne for ligne in rapport.details())


def test_fiche_locale_avertie_sans_citer_la_valeur():
    lieu = lieu_valide(courriels=["contact@a.fr", "marie.dupont@a.fr"], telephone="+33612345678")
    trouves = [
        p for p in valider_lieu(lieu, Contexte(aujourd_hui=JOUR)) if p.champ in ("courriels", "telephone")
    ]
    assert [(p.champ, p.gravite) for p in trouves] == [
        ("courriels", AVERTISSEMENT),
        ("telephone", AVERTISSEMENT),
    ]
    assert "n° 2" in trouves[0].message
    assert all("dupont" not in p.message and "612" not in p.message for p in trouves)  # /rapport/ shows them


# --- 6. scope -------------------------------------------------------------------------------------


def test_hors_perimetre():
    assert hors_perimetre(lieu_valide(services=[])) == AUCUN_SERVICE
    hebergement = lieu_valide(typologie=["CHRS"], services=["Accès internet et matériel informatique"])
    assert hors_perimetre(hebergement) == HEBERGEMENT
    for nom in (
        "[ADOMA] |GHL| RS KOENIGS",
        "ALYNEA CHRS CARTERET",
        "AFTAM PENSION DE FAMILLE",
        "49 FJT AHJDA",
    ):
        assert hors_perimetre(lieu_valide(nom=nom, typologie=[], services=[SERVICE])) == HEBERGEMENT, nom
    cnfs = lieu_valide(
        nom="CHRS Saint Louis", services=[SERVICE], dispositif_programmes_nationaux=["Conseillers numériques"]
    )
    assert hors_perimetre(cnfs) == ""  # a conseiller numérique works there
    for nom in ("Foyer laïque d'éducation permanente", "Foyer rural", "Médiathèque"):
        assert hors_perimetre(lieu_valide(nom=nom, typologie=[], services=[SERVICE])) == "", nom
    assert hors_perimetre(lieu_valide(services=[SERVICE])) == ""


def test_import_laisse_hors_perimetre_sauf_option(tmp_path):
    fichier = tmp_path / "lieux.json"
    lignes = [enregistrement(id="1"), enregistrement(id="2", services=""), enregistrement(id="3", nom="")]
    fichier.write_text(json.dumps(lignes), encoding="utf-8")
    lieux, rapport = importer_fichier(fichier, aujourd_hui=JOUR)
    assert [lieu.id.rsplit("_", 1)[1] for lieu in lieux] == ["1"]
    assert rapport.hors_perimetre == {AUCUN_SERVICE: 1} and len(rapport.ecartes) == 1  # no name: écarté
    assert "1 hors périmètre" in rapport.resume()
    lieux, rapport = importer_fichier(fichier, aujourd_hui=JOUR, options=OptionsImport(hors_perimetre=True))
    assert len(lieux) == 2 and not rapport.hors_perimetre


# --- 7. producer mistakes -------------------------------------------------------------------------


def test_plages_douteuses_et_marquees():
    assert plages_douteuses("Tu 18:00-18:00; We 10:00-18:00; Th 18:00-09:00; Fr 20:00-00:00") == [
        "18:00-18:00",
        "18:00-09:00",
    ]
    for texte, attendu in [
        ("Tu 18:00-18:00", 'Tu unknown "à vérifier"'),
        ("Mo-Fr 09:00-12:00,14:00-14:00", 'Mo-Fr 09:00-12:00 "à vérifier"'),
        ("Tu 18:00-18:00; We 10:00-18:00", 'Tu unknown "à vérifier"; We 10:00-18:00'),
    ]:
        assert marquer_plages(texte) == attendu and horaires.verifier(attendu).valide


def test_mardi_18_18_n_est_pas_18_24():
    conversion = convertir(enregistrement(horaires="Tu 18:00-18:00; We 10:00-18:00"))
    lieu = conversion.lieu
    mardi = next(j for j in horaires.semaine(lieu.horaires).jours if j.nom == "Mardi")
    assert "24 h" not in mardi.texte and "à vérifier" in mardi.texte
    assert "horaires" in lieu.a_verifier
    assert conversion.erreurs_producteur == ["horaires : plage de durée nulle ou inversée"]
    assert "Tu 18:00-18:00" in texte_fiche(lieu, conversion.rejets)  # the original, for the reviewer


@pytest.mark.parametrize(
    ("pivot", "factice"),
    [
        ("00000000000000", True),
        ("11111111111111", True),
        ("12345678901234", True),
        ("77556026100016", True),  # checksum
        ("77556026100015", False),
        ("35600000000048", False),  # La Poste: no Luhn key
        ("W123456789", False),
    ],
)
def test_pivots_factices(pivot, factice):
    assert bool(pivot_factice(pivot)) is factice


def test_import_signale_pivot_et_date():
    conversion = convertir(enregistrement(pivot="11111111111111", date_maj="1970-01-01"))
    lieu = conversion.lieu
    assert lieu.pivot == "" and {"pivot", "date_maj"} <= set(lieu.a_verifier)
    assert len(conversion.erreurs_producteur) == 2
    zeros = convertir(enregistrement(pivot="00000000000000")).lieu
    assert zeros.pivot == "" and "pivot" not in zeros.a_verifier  # the standard's own "unknown"


# --- 8. warnings grouped by kind ------------------------------------------------------------------


def _avertissement(chemin: str, champ: str, message: str) -> Probleme:
    return Probleme(chemin, 3, champ, message, AVERTISSEMENT)


def test_avertissements_groupes_par_genre(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    problemes = [
        _avertissement(
            f"content/lieux/l{i}.yaml",
            "date_maj",
            f"informations du {i + 1} mars 2022 (il y a {40 + i} mois) : à vérifier",
        )
        for i in range(5)
    ] + [
        _avertissement("content/lieux/a.yaml", "", "champs recommandés absents : horaires, modalites_acces"),
        _avertissement("content/lieux/b.yaml", "", "champs recommandés absents : modalites_acces"),
        _avertissement("content/lieux/c.yaml", "telephone", "« 04 77 » sera écrit « +3377 » dans l'export"),
        Probleme("content/lieux/d.yaml", 9, "nom", "une erreur"),
    ]
    groupes = par_genre([p for p in problemes if not p.est_erreur])
    assert [len(g) for _cle, g in groupes] == [5, 2, 1]
    flux = io.StringIO()
    afficher_validation(problemes, flux=flux)
    texte = flux.getvalue()
    assert "content/lieux/d.yaml:9: nom: une erreur" in texte  # errors always in full
    assert "      5 × date_maj: informations du … (il y a N mois) : à vérifier" in texte
    assert "l0.yaml:3" in texte and "l4.yaml" not in texte  # three examples, not all
    flux = io.StringIO()
    afficher_validation(problemes, details=True, flux=flux)
    assert flux.getvalue().count("avertissement:") == 8


def test_fraicheur_une_fois_avec_sa_date():
    lieu = lieu_valide(date_maj=dt.date(2021, 3, 4))
    dates = [p for p in valider_lieu(lieu, Contexte(aujourd_hui=JOUR)) if p.champ == "date_maj"]
    assert len(dates) == 1 and "informations du 4 mars 2021" in dates[0].message


# --- real records: nothing personal in the built site ---------------------------------------------

ECHANTILLON = 200  # records of cnfs.json: those with e-mails or phones first, enough to be real


def _echantillon(cnfs: Path) -> list[dict]:
    """A few hundred real records: every one with a nominative e-mail or a mobile, then others."""
    tous = json.loads(cnfs.read_text(encoding="utf-8"))

    def personnel(r: dict) -> bool:
        courriels = re.split(r"[;|,\s]+", str(r.get("courriel") or ""))
        return any(c and courriel_nominatif(c) for c in courriels) or bool(
            re.match(r"^(\+33 ?|0)[67]", str(r.get("telephone") or "").strip())
        )

    choisis = [r for r in tous if personnel(r)][: ECHANTILLON // 2]
    return choisis + [r for r in tous if not personnel(r)][: ECHANTILLON - len(choisis)]


def _personnels(enregistrements: list[dict]) -> tuple[set[str], set[str]]:
    """The nominative e-mails and the mobiles' last eight digits of the raw records."""
    courriels, mobiles = set(), set()
    for r in enregistrements:
        courriels |= {
            c.lower() for c in re.split(r"[;|,\s]+", str(r.get("courriel") or "")) if courriel_nominatif(c)
        }
        chiffres = re.sub(r"\D", "", str(r.get("telephone") or ""))
        if re.match(r"^(33|0)[67]\d{8}$", chiffres):
            mobiles.add(chiffres[-8:])
    return courriels, mobiles


@pytest.mark.shared
def test_aucun_contact_personnel_publie(dossier_shared, tmp_path):
    brut = _echantillon(dossier_shared / "data" / "cnfs.json")
    courriels, mobiles = _personnels(brut)
    assert len(courriels) > 20 and len(mobiles) > 20, "the sample must hold real personal contacts"
    fichier = tmp_path / "cnfs.json"
    fichier.write_text(json.dumps(brut, ensure_ascii=False), encoding="utf-8")
    contenu = tmp_path / "content"
    lieux, rapport = importer_fichier(fichier, aujourd_hui=JOUR)
    ecrire(importer_dans(lieux, rapport, contenu / "lieux", JOUR))  # as `make import` writes them
    assert rapport.retenus["courriels"] >= len(courriels) and rapport.retenus["telephone"] >= len(mobiles)
    sortie = tmp_path / "output"
    assert construire_site_test(contenu, sortie) == 0
    fichiers = [c for c in [*sortie.rglob("*"), *contenu.rglob("*")] if c.is_file()]
    assert len(fichiers) > ECHANTILLON
    trouves = []
    for chemin in fichiers:
        texte = chemin.read_bytes().decode("utf-8", errors="replace").lower()
        chiffres = re.sub(r"[\s.\-]", "", texte)
        trouves += [(chemin.name, c) for c in courriels if c in texte]
        trouves += [(chemin.name, m) for m in mobiles if f"6{m}" in chiffres or f"7{m}" in chiffres]
    assert trouves == []


# --- the same rules on source snapshots, and the settings -----------------------------------------


def test_instantanes_nettoyes_a_l_assemblage(tmp_path):
    """A snapshot written before the rules (or by another tool) is cleaned where the directory is
    assembled: the build publishes neither its personal contacts nor its out-of-scope rows."""
    from annuaire.directory import construire_annuaire

    sources = tmp_path / "content" / "sources"
    sources.mkdir(parents=True)
    lignes = [
        enregistrement(id="1", courriel="marie.dupont@orange.fr|contact@lieu.fr", telephone="+33612345678"),
        enregistrement(id="2", nom="ALYNEA CHRS CARTERET"),
    ]
    (sources / "hub.json").write_text(json.dumps(lignes), encoding="utf-8")
    annuaire = construire_annuaire(tmp_path / "content", aujourd_hui=JOUR)
    (lieu,) = annuaire.lieux
    assert (lieu.courriels, lieu.telephone) == (["contact@lieu.fr"], "")
    tout = construire_annuaire(tmp_path / "content", aujourd_hui=JOUR, options=OptionsImport(True, True))
    assert len(tout.lieux) == 2 and "+33612345678" in {x.telephone for x in tout.lieux}


def test_reglages_contacts_et_perimetre():
    from annuaire.domain.reglages import ReglageInvalide, lire_reglages
    from annuaire.federation.importer import options_import

    assert options_import(lire_reglages({})) == OptionsImport(False, False)
    reglages = lire_reglages({"contacts_personnels": True, "hors_perimetre": True})
    assert options_import(reglages) == OptionsImport(True, True)
    with pytest.raises(ReglageInvalide, match="contacts_personnels"):
        lire_reglages({"contacts_personnels": "oui"})


def test_commande_import_drapeaux(tmp_path, capsys):
    import argparse

    from annuaire.cli.federation import ajouter_commandes

    fichier = tmp_path / "lieux.json"
    fichier.write_text(json.dumps([enregistrement(telephone="0612345678")]), encoding="utf-8")
    analyseur = argparse.ArgumentParser()
    ajouter_commandes(analyseur.add_subparsers(dest="commande", required=True))
    for drapeaux, attendu in (
        ([], "1 contacts personnels non publiés"),
        (["--contacts-personnels"], "0 contacts"),
    ):
        argv = [
            "import",
            str(fichier),
            "--dossier",
            str(tmp_path / "lieux"),
            "--settings",
            str(tmp_path / "x.py"),
        ]
        args = analyseur.parse_args(argv + drapeaux)
        assert args.fonction(args) == 0
        assert attendu in capsys.readouterr().out


def test_data_inclusion_sans_service_numerique_hors_perimetre(tmp_path):
    """A data·inclusion v1 structure whose services are all outside digital mediation (family,
    mobility) has no standard service: out of scope, with its reason."""
    brut = [
        {
            "id": "x--1",
            "source": "x",
            "nom": "Épicerie solidaire",
            "adresse": "1 rue A",
            "code_postal": "42000",
            "commune": "Saint-Étienne",
            "date_maj": "2023-11-02",
        },
        {"id": "x--s", "structure_id": "x--1", "nom": "Colis", "thematiques": ["famille", "mobilite"]},
    ]
    fichier = tmp_path / "structures.json"
    fichier.write_text(json.dumps(brut), encoding="utf-8")
    lieux, rapport = importer_fichier(fichier, aujourd_hui=JOUR)
    assert lieux == [] and rapport.hors_perimetre == {AUCUN_SERVICE: 1}
