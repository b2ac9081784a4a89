"""Validation rules: one test per rule, checking field, line, severity and message."""

from __future__ import annotations

import datetime as dt

import pytest
from annuaire.domain.model import AVERTISSEMENT, ERREUR, Lieu, Reseau
from annuaire.validation.regles import Contexte, valider_annuaire, valider_lieu

AUJOURD_HUI = dt.date(2024, 1, 15)


def lieu_valide(**champs) -> Lieu:
    """A complete, valid place; keyword arguments override fields."""
    base = dict(
        id="a",
        slug="a",
        nom="Lieu",
        adresse="1 rue A",
        code_postal="42000",
        commune="Saint-Étienne",
        code_insee="42218",
        pivot="12345678900015",
        latitude=45.43,
        longitude=4.39,
        precision_coordonnees="adresse",
        date_maj=dt.date(2023, 12, 1),
        horaires="Mo 09:00-12:00",
        services=["Aide aux démarches administratives"],
        presentation_resume="Court.",
        frais_a_charge=["Gratuit"],
        modalites_acces=["Se présenter"],
        chemin="content/lieux/a.yaml",
        lignes={"telephone": 7, "services": 9, "date_maj": 4, "latitude": 5},
    )
    base.update(champs)
    return Lieu(**base)


def problemes(lieu: Lieu, gravite: str | None = None, **contexte):
    """Problems of one place, optionally filtered by severity."""
    trouves = valider_lieu(lieu, Contexte(aujourd_hui=AUJOURD_HUI, **contexte))
    return [p for p in trouves if gravite is None or p.gravite == gravite]


def messages(lieu: Lieu, gravite: str = ERREUR) -> dict[str, str]:
    """{field: message} of a place's problems of one severity."""
    return {p.champ: p.message for p in problemes(lieu, gravite)}


def test_lieu_valide_sans_probleme():
    assert problemes(lieu_valide()) == []


def test_requis():
    manquants = messages(lieu_valide(nom="", commune="", date_maj=None))
    assert set(manquants) == {"nom", "commune", "date_maj"}


def test_adresse_inconnue_signalee_devient_avertissement():
    lieu = lieu_valide(adresse="", a_verifier=["adresse"])
    assert "adresse" not in messages(lieu)
    assert "export national" in messages(lieu, AVERTISSEMENT)["adresse"]


def test_enumerations_avec_suggestion():
    lieu = lieu_valide(services=["aide aux demarches administratives", "Cuisine"])
    erreurs = [p for p in problemes(lieu, ERREUR) if p.champ == "services"]
    assert len(erreurs) == 2 and erreurs[0].ligne == 9
    assert "vouliez-vous dire « Aide aux démarches administratives »" in erreurs[0].message
    assert "vouliez-vous dire" not in erreurs[1].message


def test_etapes_numeriques_deux_orthographes():
    for valeur in ("Étapes numériques (La Poste)", "Étapes numériques(La Poste)"):
        assert "formations_labels" not in messages(lieu_valide(formations_labels=[valeur]))


def test_typologie_inconnue_est_un_avertissement():
    lieu = lieu_valide(typologie=["ASOS"])
    assert "ASSO" in messages(lieu, AVERTISSEMENT)["typologie"]
    assert "typologie" not in messages(lieu)


@pytest.mark.parametrize(
    ("champ", "valeur"),
    [("code_postal", "4200"), ("code_insee", "2C001"), ("pivot", "12-34")],
)
def test_motifs(champ, valeur):
    assert "format attendu" in messages(lieu_valide(**{champ: valeur}))[champ]


def test_telephone_incomplet():
    message = messages(lieu_valide(telephone="04 77 12"))["telephone"]
    assert message == "« 04 77 12 » n'est pas un numéro complet"
    assert problemes(lieu_valide(telephone="04 77 12"))[0].ligne == 7


def test_telephone_francais_reecrit():
    message = messages(lieu_valide(telephone="04 77 93 32 26"), AVERTISSEMENT)["telephone"]
    assert "« +33477933226 »" in message


def test_telephone_etranger_refuse():
    assert "français" in messages(lieu_valide(telephone="+44 20 7946 0958"))["telephone"]


def test_contacts():
    lieu = lieu_valide(courriels=["pas-un-mail"], site_web=["javascript:alert(1)"], prise_rdv="ftp://x.fr")
    erreurs = messages(lieu)
    assert set(erreurs) == {"courriels", "site_web", "prise_rdv"}


def test_date_future_et_ancienne():
    assert "futur" in messages(lieu_valide(date_maj=dt.date(2024, 2, 1)))["date_maj"]
    # Tomorrow is someone's today (a form filled in Paris just after midnight, the build in UTC).
    demain = AUJOURD_HUI + dt.timedelta(days=1)
    assert "date_maj" not in messages(lieu_valide(date_maj=demain))
    assert "futur" in messages(lieu_valide(date_maj=demain + dt.timedelta(days=1)))["date_maj"]
    vieux = messages(lieu_valide(date_maj=dt.date(2022, 1, 1)), AVERTISSEMENT)["date_maj"]
    assert "24 mois" in vieux


def test_coordonnees():
    assert "inversées" in messages(lieu_valide(latitude=4.39, longitude=45.43))["latitude"]
    assert "longitude" in messages(lieu_valide(longitude=None))
    assert "latitude" not in messages(lieu_valide(latitude=-21.1, longitude=55.5))  # La Réunion


def test_textes():
    assert "280" in messages(lieu_valide(presentation_resume="x" * 281))["presentation_resume"]
    assert "formule" in messages(lieu_valide(nom="=HYPERLINK(1)"))["nom"]
    assert "nom" not in messages(lieu_valide(nom="-5 % sur les ordinateurs"))


def test_balises_refusees_dans_le_texte_simple():
    erreurs = messages(
        lieu_valide(
            nom="Atelier <script>alert(1)</script>",
            presentation_resume='<img src=x onerror="alert(1)">',
            source="javascript:alert(1)",
        )
    )
    assert {"nom", "presentation_resume", "source"} <= set(erreurs)
    assert "balise HTML" in erreurs["nom"]
    assert "nom" not in messages(lieu_valide(nom="Espace 3<4 & « Cie »"))


def test_horaires_invalides():
    assert "horaires" in messages(lieu_valide(horaires="9h-12h"))


def test_extensions():
    lieu = lieu_valide(
        statut="ouvertt",
        langues=["xx"],
        precision_coordonnees="gps",
        reseaux=["epn-saint-etiene"],
        a_verifier=["adrese"],
    )
    erreurs = messages(lieu)
    assert set(erreurs) == {"statut", "langues", "precision_coordonnees", "reseaux", "a_verifier"}
    erreurs = {p.champ: p.message for p in problemes(lieu, ERREUR, reseaux=frozenset({"epn-saint-etienne"}))}
    assert "epn-saint-etienne" in erreurs["reseaux"]


def test_recommandes_manquants():
    lieu = lieu_valide(horaires="", services=[], pivot="")
    avertissements = [p.message for p in problemes(lieu, AVERTISSEMENT)]
    assert any("services" in m and "horaires" in m for m in avertissements)
    assert any("00000000000000" in m for m in avertissements)


def test_annuaire_doublons_et_reseaux():
    lieux = [
        lieu_valide(),
        lieu_valide(chemin="content/lieux/b.yaml", slug="b"),
        lieu_valide(id="c", slug="c", reseaux=["inconnu"]),
    ]
    trouves = valider_annuaire(lieux, [Reseau(slug="r", nom="R")], Contexte(aujourd_hui=AUJOURD_HUI))
    erreurs = [str(p) for p in trouves if p.est_erreur]
    assert erreurs == [
        "content/lieux/a.yaml:1: reseaux: réseau « inconnu » inconnu",
        "content/lieux/b.yaml:1: id: identifiant « a » déjà utilisé par content/lieux/a.yaml",
    ]


def test_lieu_loin_de_sa_commune():
    proches = [lieu_valide(id=str(i), slug=str(i), latitude=45.43 + i / 1000) for i in range(3)]
    loin = lieu_valide(id="loin", slug="loin", latitude=46.5)
    trouves = valider_annuaire(proches + [loin], [], Contexte(aujourd_hui=AUJOURD_HUI))
    assert [p.champ for p in trouves if "km" in p.message] == ["latitude"]


def test_validation_en_deux_processus(tmp_path, monkeypatch):
    """Many unknown entries are checked in two processes: the same problems as in one."""
    import datetime as dt

    from annuaire.build import memo
    from annuaire.domain.model import Lieu
    from annuaire.validation.regles import Contexte, valider_lieux

    lieux = [
        Lieu(
            id=f"l{i}",
            slug=f"l{i}",
            nom=f"Lieu {i}",
            chemin=f"content/lieux/l{i}.yaml",
            code_postal="42" if i % 2 else "42000",
        )
        for i in range(6)
    ]
    contexte = Contexte(aujourd_hui=dt.date(2024, 1, 15))
    attendu = valider_lieux(lieux, contexte)
    monkeypatch.setattr(memo, "EN_PARALLELE_MIN", 2)
    monkeypatch.setattr("annuaire.build.parallele.processus_disponibles", lambda: 2)
    calculs = memo.MemoCalculs(tmp_path)
    assert valider_lieux(lieux, contexte, calculs) == attendu
    calculs.enregistrer()
    calculs = memo.MemoCalculs(tmp_path)
    assert valider_lieux(lieux, contexte, calculs) == attendu  # from the cache
    assert all(not m.nouveaux for m in calculs.memos.values())
