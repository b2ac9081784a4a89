"""A property test of the two-part search index: after random sequences of edits (an entry's
summary or name changed, an entry removed, a build killed at one of its crash points), each
followed by a build, the published search answers as a clean build of the same content made with
a cache folder of its own: the same indexed sheets, and in chromium the same results in the same
order with the same facet counts, for a fixed set of queries.

Every example starts from the same published build restored at the same paths (see
tests/test_incremental_proprietes.py: a copy elsewhere would render everything again).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental import CONTENU, construire, renommer
from test_incremental_proprietes import _SansCapture
from test_recherche_incrementale import ARRETS, indexees, modifier, reponses, tuer_pendant

FICHES = sorted(p.name for p in (CONTENU / "lieux").glob("*.yaml"))
TEXTES = ("Wifi gratuit", "Ateliers numériques pour tous", "Aide administrative en ligne")
NOMS = ("Espace wifi du quartier", "Maison de l'aide numérique")
REQUETES = (
    "q=wifi",
    "q=ateliers",
    "q=aide",
    "q=num%C3%A9rique",
    "services=Aide+aux+d%C3%A9marches+administratives",
)

EDITION = st.one_of(
    st.tuples(st.just("resume"), st.sampled_from(FICHES), st.sampled_from(TEXTES)),
    st.tuples(st.just("nom"), st.sampled_from(FICHES), st.sampled_from(NOMS)),
    st.tuples(st.just("supprimer"), st.sampled_from(FICHES), st.just("")),
    st.tuples(st.just("arret"), st.sampled_from(FICHES), st.sampled_from(sorted(ARRETS))),
)


def appliquer(edition: tuple, travail: Path) -> None:
    """Make one edit in the working copy and build it (killed at a crash point for "arret")."""
    genre, fiche, valeur = edition
    contenu, reglages = travail / "content", {"ANNUAIRE_CACHE": str(travail / "cache")}
    if not (contenu / "lieux" / fiche).exists():
        return
    if genre == "supprimer":
        (contenu / "lieux" / fiche).unlink()
    elif genre == "nom":
        renommer(contenu, fiche, valeur)
    else:
        modifier(contenu, fiche, TEXTES[0] if genre == "arret" else valeur)
    if genre == "arret":
        tuer_pendant(contenu, travail / "output", ARRETS[valeur], **reglages)
    else:
        construire(contenu, travail / "output", _SansCapture(), **reglages)


@pytest.fixture(scope="module")
def publie():
    """(working folder, pristine copy of it): the search fixture's content built and published."""
    dossier = Path(tempfile.mkdtemp(prefix="recherche-proprietes-"))
    travail = dossier / "travail"
    shutil.copytree(CONTENU, travail / "content")
    construire(travail / "content", travail / "output", _SansCapture(), ANNUAIRE_CACHE=str(travail / "cache"))
    shutil.copytree(travail, dossier / "intact")
    yield travail, dossier / "intact"
    shutil.rmtree(dossier, ignore_errors=True)


@pytest.mark.browser
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(editions=st.lists(EDITION, min_size=1, max_size=3))
def test_reponses_comme_une_construction_propre(publie, navigateur, editions):
    travail, intact = publie
    shutil.rmtree(travail)
    shutil.copytree(intact, travail)
    for edition in editions:
        appliquer(edition, travail)
    construire(travail / "content", travail / "output", _SansCapture(), ANNUAIRE_CACHE=str(travail / "cache"))
    temoin = travail.parent / "temoin"
    shutil.rmtree(temoin, ignore_errors=True)
    construire(travail / "content", temoin / "output", _SansCapture(), ANNUAIRE_CACHE=str(temoin / "cache"))
    assert indexees(travail / "output") == indexees(temoin / "output"), f"après {editions}"
    incrementale = reponses(navigateur, travail / "output", REQUETES)
    propre = reponses(navigateur, temoin / "output", REQUETES)
    assert incrementale == propre, f"après {editions}"
