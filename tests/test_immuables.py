"""Records are immutable by construction: a loaded, imported or merged place cannot be changed, a
change makes a new record (`model.avec`, equal to `dataclasses.replace`), and a place's digest comes
from its fields' values, never from its class."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from annuaire.build.memo import EmpreintesLieux, empreinte_lieu
from annuaire.domain.model import CHAMPS_LIEU, Lieu, Provenance, avec
from annuaire.federation.doublons import fusionner
from annuaire.federation.importer import importer_fichier
from annuaire.loading.entrees import charger_lieu

FICHE = "nom: Espace numérique\ncommune: Saint-Étienne\ncode_postal: '42100'\nadresse: 1 rue A\n"
SOURCE = {
    "id": "466",
    "nom": "Espace numérique",
    "commune": "Saint-Étienne",
    "code_postal": "42100",
    "adresse": "1 rue A",
    "date_maj": "2022-01-01",
    "telephone": "04 77 00 00 00",
    "courriels": "pas-un-courriel",
    "services": "Aide aux démarches administratives",
    "source": "hinaura",
}


def changer(lieu: Lieu) -> None:
    """Every way of changing a record's field must fail."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        lieu.nom = "Autre nom"
    with pytest.raises(dataclasses.FrozenInstanceError):
        lieu.services = []
    with pytest.raises(dataclasses.FrozenInstanceError):
        del lieu.slug


def test_fiche_chargee_immuable(tmp_path):
    (tmp_path / "content" / "lieux").mkdir(parents=True)
    chemin = tmp_path / "content" / "lieux" / "epn.yaml"
    chemin.write_text(FICHE, encoding="utf-8")
    lieu, problemes = charger_lieu(chemin, tmp_path)
    assert (lieu.slug, lieu.id, lieu.nom) == ("epn", "epn", "Espace numérique")
    changer(lieu)


def test_lieu_importe_immuable(tmp_path):
    fichier = tmp_path / "source.json"
    fichier.write_text(json.dumps([SOURCE]), encoding="utf-8")
    (lieu,), rapport = importer_fichier(fichier, aujourd_hui=dt.date(2025, 1, 1))
    assert lieu.id == "hinaura_466" and lieu.telephone == "+33477000000"
    assert lieu.courriels == [] and lieu.a_verifier == ["courriels"]  # rejected, flagged on the record
    assert lieu.provenances == [Provenance("hinaura", "466", dt.date(2022, 1, 1))]
    changer(lieu)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lieu.provenances[0].source = "autre"


def test_lieu_fusionne_immuable():
    commun = {"commune": "Saint-Étienne", "code_postal": "42100", "adresse": "1 rue A"}
    local = Lieu(id="epn", slug="epn", nom="Espace numérique", chemin="content/lieux/epn.yaml", **commun)
    federe = Lieu(id="466", nom="Espace numérique", telephone="+33477000000", **commun)
    avant = dataclasses.replace(local), dataclasses.replace(federe)
    (lieu,), rapport = fusionner([local], {"hinaura": [federe]})
    assert rapport.groupes == [["epn", "hinaura_466"]]
    assert (lieu.id, lieu.telephone) == ("epn", "+33477000000")
    assert (local, federe) == avant  # the merged records are new ones
    changer(lieu)


def test_avec_comme_replace():
    lieu = Lieu(nom="A", services=["Aide aux démarches administratives"])
    assert avec(lieu, nom="A") is lieu  # nothing changes: the same record
    nouveau = avec(lieu, nom="B", latitude=45.0)
    assert nouveau == dataclasses.replace(lieu, nom="B", latitude=45.0) and lieu.nom == "A"
    with pytest.raises(TypeError, match="inconnus"):
        avec(lieu, inconnu=1)


def test_empreinte_des_valeurs_pas_de_la_classe():
    """Two records with the same values have the same digest, whatever their class or the way
    they were made; any field changes it."""
    lieu = Lieu(id="x", nom="A", lignes={"nom": 2, "id": 1}, provenances=[Provenance("s", "x")])
    autre_classe = dataclasses.make_dataclass(
        "LieuFige", [(f.name, f.type, f) for f in dataclasses.fields(Lieu)]
    )
    jumeau = autre_classe(**{nom: getattr(lieu, nom) for nom in CHAMPS_LIEU})
    assert empreinte_lieu(jumeau) == empreinte_lieu(lieu) == empreinte_lieu(dataclasses.replace(lieu))
    assert empreinte_lieu(
        Lieu(id="x", nom="A", lignes={"id": 1, "nom": 2}, provenances=[Provenance("s", "x")])
    ) == (empreinte_lieu(lieu))
    assert EmpreintesLieux()(lieu) == empreinte_lieu(lieu)
    for nom in CHAMPS_LIEU:
        valeur = getattr(lieu, nom)
        change = {str: "z", list: ["z"], dict: {"z": 3}}.get(
            type(valeur), 1.5 if nom != "date_maj" else dt.date(2020, 1, 1)
        )
        assert empreinte_lieu(dataclasses.replace(lieu, **{nom: change})) != empreinte_lieu(lieu), nom


def test_etapes_du_nettoyage_rendent_un_lieu():
    """Each importer cleaning step is `(lieu, conversion) -> Lieu` (the convention other steps follow)."""
    import inspect

    from annuaire.federation import importer

    source = inspect.getsource(importer._nettoyer)
    etapes = [nom for nom in dir(importer) if nom.startswith("_nettoyer_") and nom in source]
    assert len(etapes) >= 6
    for nom in etapes:
        assert inspect.signature(getattr(importer, nom)).return_annotation == "Lieu", nom


def test_aucune_affectation_de_champ_dans_le_paquet():
    """No module of the package assigns a field of a record (they are frozen: it would fail at run
    time, on a path a test may not take)."""
    import re

    paquet = Path(__file__).resolve().parents[1] / "plugins" / "annuaire"
    motif = re.compile(r"\b(lieu|copie|gagnant|fiche\.lieu|conversion\.lieu)\.[a-z_]+ (=|\+=) ")
    fautes = [
        f"{chemin.relative_to(paquet)}:{numero}"
        for chemin in paquet.rglob("*.py")
        for numero, ligne in enumerate(chemin.read_text(encoding="utf-8").splitlines(), start=1)
        if motif.search(ligne) or re.search(r"\blieu\.[a-z_]+\.(append|extend|insert|remove)\(", ligne)
    ]
    assert fautes == []


def test_reseau_charge_immuable(tmp_path):
    from annuaire.loading.entrees import charger_reseaux

    dossier = tmp_path / "content" / "reseaux"
    dossier.mkdir(parents=True)
    (dossier / "hinaura.md").write_text("---\nnom: Hinaura\n---\nLe réseau régional.\n", encoding="utf-8")
    (reseau,), problemes = charger_reseaux(dossier, tmp_path)
    assert (reseau.slug, reseau.nom, reseau.description, problemes) == (
        "hinaura",
        "Hinaura",
        "Le réseau régional.",
        [],
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        reseau.nom = "Autre"
    assert dataclasses.replace(reseau, nom="Autre").nom == "Autre" and reseau.nom == "Hinaura"
