"""Property-based tests (Hypothesis): whatever a contributor or a federated source writes, the
loader, the validator, the source reader and the opening-hours checker answer with problems,
verdicts or the project's own errors, and never crash.

Example counts stay modest (a few hundred each) so that the suite stays fast; Hypothesis keeps
the failing examples it finds in its database and shrinks them to the smallest one.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import yaml
from annuaire.domain import horaires
from annuaire.domain.champs import CHAMPS_CONNUS
from annuaire.domain.model import Lieu, Probleme
from annuaire.federation.importer import ErreurImport
from annuaire.federation.sources import Source, lire_source
from annuaire.loading.entrees import charger_lieu
from annuaire.validation.regles import Contexte, valider_lieu
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REGLAGES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JOUR = dt.date(2024, 1, 15)
SCALAIRES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=80) | st.dates()
VALEURS_YAML = st.recursive(
    SCALAIRES,
    lambda enfants: st.lists(enfants, max_size=4) | st.dictionaries(st.text(max_size=9), enfants, max_size=4),
    max_leaves=12,
)
CHAMPS = st.sampled_from(sorted(CHAMPS_CONNUS)) | st.text(max_size=20)
# Pieces of the OpenStreetMap syntax, to reach deeper into the parser than random text does.
MORCEAUX_OSM = st.sampled_from(
    [
        "Mo",
        "Tu",
        "We",
        "Th",
        "Fr",
        "Sa",
        "Su",
        "PH",
        "SH",
        "-",
        ",",
        ";",
        ":",
        " ",
        "09:00",
        "12:30",
        "24:00",
        "25:61",
        "off",
        "closed",
        "open",
        "unknown",
        "||",
        '"',
        "week",
        "01-53/2",
        "Jan",
        "Dec 25",
        "[1]",
        "[-1]",
        "sunrise",
        "sunset",
        "+",
        "(",
        ")",
        "2024",
        "easter",
        "lundi",
        "9h",
        "h",
    ]
)
TEXTES_HORAIRES = st.text(max_size=60) | st.lists(MORCEAUX_OSM, max_size=14).map("".join)


def est_resultat_de_chargement(resultat) -> bool:
    """(Lieu or None, list of Probleme): what charger_lieu promises."""
    lieu, problemes = resultat
    return (lieu is None or isinstance(lieu, Lieu)) and all(isinstance(p, Probleme) for p in problemes)


def charger_et_valider(dossier, nom: str, donnees: bytes):
    """Write `donnees` as an entry file, load it, validate what loaded; never raises."""
    chemin = dossier / nom
    chemin.write_bytes(donnees)
    resultat = charger_lieu(chemin, dossier)
    assert est_resultat_de_chargement(resultat)
    if resultat[0] is not None:
        assert all(isinstance(p, Probleme) for p in valider_lieu(resultat[0], Contexte(JOUR)))


@REGLAGES
@given(donnees=st.binary(max_size=600), suffixe=st.sampled_from([".yaml", ".md"]))
def test_fichier_quelconque(tmp_path_factory, donnees, suffixe):
    charger_et_valider(tmp_path_factory.getbasetemp(), f"octets{suffixe}", donnees)


@REGLAGES
@given(texte=st.text(max_size=400), suffixe=st.sampled_from([".yaml", ".md"]))
def test_texte_quelconque(tmp_path_factory, texte, suffixe):
    charger_et_valider(tmp_path_factory.getbasetemp(), f"texte{suffixe}", texte.encode("utf-8"))


@REGLAGES
@given(champs=st.dictionaries(CHAMPS, VALEURS_YAML, max_size=12), corps=st.text(max_size=200))
def test_yaml_quelconque(tmp_path_factory, champs, corps):
    """Well-formed YAML with known and unknown fields holding values of any type."""
    texte = yaml.safe_dump(champs, allow_unicode=True)
    dossier = tmp_path_factory.getbasetemp()
    charger_et_valider(dossier, "champs.yaml", texte.encode("utf-8"))
    charger_et_valider(dossier, "champs.md", f"---\n{texte}---\n{corps}".encode())


TEXTES_LIEU = st.text(max_size=60)
LISTES_LIEU = st.lists(st.text(max_size=30), max_size=4)


@st.composite
def lieux(draw) -> Lieu:
    """A record with arbitrary values in every field (of the model's types)."""
    valeurs: dict[str, object] = {}
    for nom, valeur in vars(Lieu()).items():
        if isinstance(valeur, str):
            valeurs[nom] = draw(TEXTES_LIEU)
        elif isinstance(valeur, list):
            valeurs[nom] = draw(LISTES_LIEU)
    valeurs.update(chemin="content/lieux/x.yaml", lignes={})
    valeurs["latitude"], valeurs["longitude"] = draw(st.none() | st.floats()), draw(st.none() | st.floats())
    return Lieu(**valeurs, date_maj=draw(st.none() | st.dates()))


@REGLAGES
@given(lieu=lieux(), jour=st.dates(min_value=dt.date(1900, 1, 1)))
def test_validation_de_valeurs_quelconques(lieu, jour):
    problemes = valider_lieu(lieu, Contexte(aujourd_hui=jour, reseaux=frozenset({"reseau"})))
    assert all(isinstance(p, Probleme) and p.chemin == lieu.chemin for p in problemes)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda enfants: st.lists(enfants, max_size=4) | st.dictionaries(CHAMPS, enfants, max_size=8),
    max_leaves=20,
)


@REGLAGES
@given(donnees=JSON.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=300))
def test_instantane_de_source_quelconque(donnees):
    """A federated snapshot: read (rows kept or skipped) or refused with ErreurImport."""
    try:
        lecture = lire_source(donnees, Source("essai"), "content/sources/essai.json", Contexte(JOUR))
    except ErreurImport:
        return
    assert lecture.lus >= len(lecture.lieux) + len(lecture.ecartes)


@REGLAGES
@given(texte=TEXTES_HORAIRES)
def test_verifier_des_horaires_quelconques(texte):
    verdict = horaires.verifier(texte)
    assert isinstance(verdict, horaires.Verdict)
    if verdict.suggestion:
        assert horaires.verifier(verdict.suggestion).valide  # a suggestion always validates


@settings(REGLAGES, max_examples=100)
@given(texte=TEXTES_HORAIRES)
def test_semaine_des_horaires_quelconques(texte):
    semaine = horaires.semaine(texte, JOUR)
    assert len(semaine.jours) in (0, 7) and all(isinstance(n, str) for n in semaine.notes)


@settings(REGLAGES, max_examples=100)
@given(texte=TEXTES_HORAIRES, instant=st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2099, 1, 1)))
def test_etat_des_horaires_quelconques(texte, instant):
    etat, libelle = horaires.etat(texte, instant)
    assert etat in ("ouvert", "ferme", "inconnu") and isinstance(libelle, str)


def test_nombres_speciaux_en_coordonnees():
    """Not a number and infinity are refused politely, not compared into a crash."""
    for valeur in (math.nan, math.inf, -math.inf):
        lieu = Lieu(chemin="x.yaml", nom="x", latitude=valeur, longitude=valeur)
        assert any(p.champ == "latitude" for p in valider_lieu(lieu, Contexte(JOUR)))
