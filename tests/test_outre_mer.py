"""Overseas France is France (issue 17, class 9): local numbers get their own country codes from the
place's postcode, and Saint-Martin and Saint-Barthélemy are in France."""

from __future__ import annotations

import dataclasses

import pytest
from annuaire.domain.formats import region_telephone, telephone_affiche, telephone_normalise
from annuaire.domain.model import AVERTISSEMENT, ERREUR
from annuaire.federation.importer import telephone_source
from annuaire.validation.regles import zone_france
from test_validation import lieu_valide, messages

# (postcode, local number as people write it, the standard's form)
NUMEROS = [
    ("97400", "0262 90 12 34", "+262262901234"),  # La Réunion, landline
    ("97400", "0692 12 34 56", "+262692123456"),  # La Réunion, mobile
    ("97600", "0269 61 12 34", "+262269611234"),  # Mayotte
    ("97100", "0590 82 12 34", "+590590821234"),  # Guadeloupe
    ("97200", "0596 71 12 34", "+596596711234"),  # Martinique (valid in metropolitan France as +33 too)
    ("97300", "0594 29 12 34", "+594594291234"),  # Guyane
    ("97133", "0590 27 12 34", "+590590271234"),  # Saint-Barthélemy
    ("97150", "0590 87 12 34", "+590590871234"),  # Saint-Martin
    ("42000", "04 77 93 32 26", "+33477933226"),  # Saint-Étienne, unchanged
]


@pytest.mark.parametrize(("code_postal", "local", "attendu"), NUMEROS)
def test_numero_local_d_outre_mer(code_postal, local, attendu):
    """The postcode gives the region; the standard's pattern accepts every one of these forms."""
    assert telephone_normalise(local, code_postal) == (attendu, "")
    assert telephone_source(local, code_postal) == (attendu, "")


def test_numero_martiniquais_lu_en_metropole_sans_code_postal():
    """Without a postcode a metropolitan reading stays (the old behaviour, for networks' phones)."""
    assert telephone_normalise("0596 71 12 34") == ("+33596711234", "")


def test_regions():
    assert region_telephone("97400") == "RE" and region_telephone("97133") == "BL"
    assert region_telephone("97150") == "MF" and region_telephone("97110") == "GP"
    assert region_telephone("42000") == "FR" and region_telephone("") == "FR"


def test_affichage_national_de_la_region():
    """People read the number as they would dial it on the island."""
    assert telephone_affiche("+262262901234") == "0262 90 12 34"


def test_validation_d_une_fiche_reunionnaise():
    lieu = lieu_valide(
        telephone="0262 90 12 34", code_postal="97400", commune="Saint-Denis", code_insee="97411"
    )
    lieu = dataclasses.replace(lieu, latitude=-20.88, longitude=55.45)
    assert "telephone" not in messages(lieu, ERREUR)
    assert "« +262262901234 »" in messages(lieu, AVERTISSEMENT)["telephone"]


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [(18.07, -63.08, "Saint-Martin"), (17.90, -62.85, "Saint-Barthélemy"), (16.24, -61.53, "Guadeloupe")],
)
def test_saint_martin_et_saint_barthelemy_sont_en_france(latitude, longitude, zone):
    assert zone_france(latitude, longitude) == zone
    lieu = lieu_valide(code_postal="97150", commune="Saint-Martin", code_insee="97801")
    lieu = dataclasses.replace(lieu, latitude=latitude, longitude=longitude)
    assert "latitude" not in messages(lieu, ERREUR)
