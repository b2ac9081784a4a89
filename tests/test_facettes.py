"""Facets shared by search and map: values per place, kinds of place, opening days."""

from __future__ import annotations

from annuaire.domain.facettes import FACETTES, GENRES, ContexteFacettes, genre_lieu, valeurs_facettes
from annuaire.domain.model import Lieu


def test_valeurs_d_un_lieu():
    lieu = Lieu(
        commune="Nancy",
        services=["Aide aux démarches administratives"],
        frais_a_charge=["Gratuit"],
        reseaux=["epn"],
        langues=["ar", "lsf"],
        typologie=["BIB"],
        horaires="Mo-Th 09:00-12:00,14:00-18:00; Tu 14:00-18:00; Sa 10:00-12:00",
    )
    valeurs = valeurs_facettes(lieu, {"epn": "Réseau EPN"})
    assert valeurs["commune"] == ["Nancy"] and valeurs["reseau"] == ["Réseau EPN"]
    assert valeurs["langues"] == ["arabe", "langue des signes française"]
    assert valeurs["type"] == [GENRES["mediatheque"]]
    assert valeurs["jours"] == ["Lundi", "Mardi", "Mercredi", "Jeudi", "Samedi"]
    assert "publics" not in valeurs  # facets without values are left out


def test_jours_inconnus_et_memoises():
    contexte = ContexteFacettes({})
    assert contexte.jours("n'importe quoi") == [] and contexte.jours("") == []
    assert contexte.jours("Mo-Fr 09:00-17:00") is contexte.jours("Mo-Fr 09:00-17:00")


def test_genre_par_reseau_et_par_defaut():
    assert genre_lieu(Lieu(reseaux=["epn-saint-etienne"])) == "epn"
    assert genre_lieu(Lieu(typologie=["XYZ"])) == "autre"


def test_cles_uniques():
    cles = [f.cle for f in FACETTES]
    assert len(cles) == len(set(cles))
    assert next(f for f in FACETTES if f.cle == "frais").ordre[0] == "Gratuit"
