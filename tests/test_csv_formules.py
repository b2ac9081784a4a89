"""No cell of the national CSV starts like a spreadsheet formula (issue 17, class 5), through the
function the build ships (`ecrire_exports`), while the values the standard needs stay as they are."""

from __future__ import annotations

import csv
import io

import pytest
from annuaire.domain.formats import courriel_valide
from annuaire.outputs.exports import NOM_CSV, ecrire_exports
from annuaire.validation.regles import Contexte, valider_lieu
from test_exports import lieu

DEBUTS = ("=", "+", "-", "@", "\t", "\r")


def _cellules(tmp_path, *lieux) -> list[dict[str, str]]:
    ecrire_exports(list(lieux), tmp_path, "https://exemple.org")
    texte = (tmp_path / NOM_CSV).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(texte, newline="")))


def test_aucune_cellule_ne_commence_comme_une_formule(tmp_path):
    hostile = lieu(
        id='=HYPERLINK("http://x")',
        nom="+1 bonne adresse",
        adresse="-2 rue du Calcul",
        presentation_resume="@SUM(1+1)",
        presentation_detail="\t=1+1",
        structure_parente="-5",
        telephone="+33477933226",
        latitude=-21.1151,
        longitude=55.5364,
        code_postal="97400",
        commune="Saint-Denis",
    )
    (ligne,) = _cellules(tmp_path, hostile)
    for champ, valeur in ligne.items():
        if champ in ("latitude", "longitude", "telephone"):
            continue
        assert not valeur.startswith(DEBUTS), (champ, valeur)
    assert ligne["id"] == '\'=HYPERLINK("http://x")' and ligne["nom"] == "'+1 bonne adresse"
    assert ligne["structure_parente"] == "'-5"


def test_valeurs_du_standard_gardees(tmp_path):
    """A negative coordinate and a phone "+33…" are numbers the standard needs: unchanged."""
    (ligne,) = _cellules(tmp_path, lieu(telephone="+33477933226", latitude=-21.1151, longitude=55.5364))
    assert (ligne["telephone"], ligne["latitude"], ligne["longitude"]) == (
        "+33477933226",
        "-21.1151",
        "55.5364",
    )


@pytest.mark.parametrize(
    "adresse", ["=cmd|' /C calc'!A0@exemple.fr", "+1@exemple.fr", "-x@exemple.fr", "@x@exemple.fr"]
)
def test_courriel_qui_commence_comme_une_formule_refuse(adresse):
    assert not courriel_valide(adresse)


def test_identifiant_formule_refuse_a_la_validation():
    problemes = valider_lieu(lieu(id="=1+2"), Contexte())
    assert any(p.champ == "id" and "formule" in p.message for p in problemes)
