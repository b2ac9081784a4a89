"""Our opening hours agree with the reference implementation of the syntax (opening_hours, npm),
on a representative subset of the real values and of the generated ones (the whole comparison is
bench/horaires_reference.py, its figures in the README): same verdict, or a correction of ours that
the reference reads too; for values both accept, the same state at every instant tested, except the
differences the README explains (bench.horaires_reference.RAISONS)."""

from __future__ import annotations

import re
import sys

import pytest
from annuaire.domain import horaires
from conftest import RACINE

sys.path.insert(0, str(RACINE / "bench"))
import horaires_reference as differentiel  # noqa: E402

PAS_REELLES = 12  # one real value in 12, plus the 40 most frequent: about 310 values
PAS_GENEREES = 3
FICHIER = "derived_horaires_osm_values.tsv"


@pytest.fixture(scope="module")
def valeurs(dossier_shared) -> list[str]:
    reelles = [texte for _n, texte in differentiel.lire_reelles(dossier_shared / "data" / FICHIER)]
    choisies = reelles[:40] + reelles[40::PAS_REELLES] + differentiel.valeurs_generees()[::PAS_GENEREES]
    # the corrections we suggest go through the reference too
    suggestions = [horaires.verifier(t).suggestion for t in choisies if not horaires.verifier(t).valide]
    return list(dict.fromkeys(choisies + [s for s in suggestions if s]))


@pytest.fixture(scope="module")
def comparaison(valeurs):
    try:
        return differentiel.comparer(valeurs)
    except differentiel.ReferenceIndisponible as erreur:
        pytest.fail(str(erreur))


def test_rien_d_accepte_ici_que_la_reference_refuse(comparaison):
    assert comparaison.acceptees_ici_refusees_la == []


def test_ce_que_la_reference_tolere_recoit_une_correction_qu_elle_lit(comparaison, valeurs):
    verdicts = dict(
        zip(valeurs, differentiel.etats_reference(valeurs, differentiel.instants()[:1]), strict=True)
    )
    for texte in comparaison.refusees_ici_acceptees_la:
        suggestion = horaires.verifier(texte).suggestion
        assert suggestion and horaires.verifier(suggestion).valide, texte
        assert verdicts[suggestion]["accepte"], suggestion


def test_memes_etats_sauf_differences_expliquees(comparaison):
    inexpliquees = [
        (texte, f"{m:%Y-%m-%d %H:%M}", a, b)
        for texte, details in comparaison.desaccords.items()
        for m, a, b in details
        if not differentiel.raison_connue(texte, m, a, b)
    ]
    assert inexpliquees == []
    assert comparaison.instants > 100_000 and comparaison.taux > 0.998


def test_valeurs_sans_badge_ici(comparaison):
    """Both accept them; our badge says "horaires à vérifier" (school holidays, sun times, fallback
    rules), as the README says."""
    assert comparaison.non_evaluees_ici
    assert all(re.search(r"\bSH\b|sunrise|sunset|\|\|", t) for t in comparaison.non_evaluees_ici)


@pytest.mark.parametrize(
    ("texte", "suggestion"),
    [
        ("Mo, Tu 09:00-12:00", "Mo,Tu 09:00-12:00"),
        ("Mo-Fr 09:00-12:00; 14:00-17:00", "Mo-Fr 09:00-12:00,14:00-17:00"),
        ("Mo 09:00-12:00,14:00-14:00", "Mo 09:00-12:00"),
        ("Mo 14:00-14:00; Tu 10:00-12:00", "Mo off; Tu 10:00-12:00"),
    ],
)
def test_ecritures_lues_de_deux_facons_refusees(texte, suggestion):
    verdict = horaires.verifier(texte)
    assert not verdict.valide and "lu de deux façons" in verdict.message
    assert verdict.suggestion == suggestion


@pytest.mark.parametrize("texte", ["Mo-Fr 09:00-12:00, 14:00-17:00", 'Mo 09:00-12:00 "Mo, Tu 10:00-10:00"'])
def test_ecritures_sans_ambiguite_acceptees(texte):
    assert horaires.verifier(texte).valide
