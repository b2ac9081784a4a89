"""Incremental builds cannot go stale: random sequences of edits (an entry's field, a network, a
Pelican page, a setting, a template of the theme), each followed by an incremental build, end with
the same files, byte for byte, as a clean build made with a cache folder of its own.

The "code" edits change a template of a copy of the theme (THEME points to it). A change to a
module of the package is tested apart, in a copy of the package run in another process
(tests/test_incremental_code.py): this process's modules cannot change under it.

Every example starts from the same published build, restored at the same paths (the rendering
version includes the content and theme folders' paths: a copy elsewhere would render everything
again and test nothing).
"""

from __future__ import annotations

import runpy
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import RACINE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental import CONTENU, construire, fichiers

FICHES = sorted(p.name for p in (CONTENU / "lieux").glob("*.yaml"))
VALEURS = {
    "nom": ["Espace numérique A", "Maison du numérique B", "Atelier C"],
    "horaires": ["Mo-Fr 09:00-12:00", "Tu,Th 14:00-18:00; PH off", "Mo-Su 10:00-20:00"],
    "telephone": ["04 77 00 00 00", "+33 4 77 12 34 56", ""],
    "presentation_resume": ["Aide aux démarches en ligne.", "Ateliers pour tous, gratuits."],
    "services": [["Aide aux démarches administratives"], ["Maîtrise des outils numériques du quotidien"]],
    "commune": ["Saint-Étienne", "Firminy"],
    "latitude": [45.45, 45.39],
    "reseaux": [["epn-saint-etienne"], []],
}
REGLAGES = {
    "SITENAME": ["Annuaire A", "Annuaire B"],
    "ANNUAIRE_DATE": ["2024-01-15", "2024-06-01"],
    "par_page": [2, 50],
}

EDITION = st.one_of(
    st.tuples(st.just("champ"), st.sampled_from(FICHES), st.sampled_from(sorted(VALEURS)), st.integers(0, 2)),
    st.tuples(st.just("reseau"), st.integers(0, 2)),
    st.tuples(st.just("page"), st.integers(0, 2)),
    st.tuples(st.just("reglage"), st.sampled_from(sorted(REGLAGES)), st.integers(0, 1)),
    st.tuples(st.just("gabarit"), st.integers(0, 2)),
)


def _choix(valeurs: list, rang: int):
    return valeurs[rang % len(valeurs)]


def _modifier_yaml(chemin: Path, champ: str, valeur) -> None:
    """Set one field of a YAML entry (or network) file."""
    donnees = yaml.safe_load(chemin.read_text(encoding="utf-8"))
    donnees[champ] = valeur
    chemin.write_text(yaml.safe_dump(donnees, allow_unicode=True, sort_keys=False), encoding="utf-8")


def appliquer(edition: tuple, travail: Path, reglages: dict) -> None:
    """Make one edit in the working copy (content, theme) or in the settings."""
    genre, *args = edition
    if genre == "champ":
        fiche, champ, rang = args
        _modifier_yaml(travail / "content" / "lieux" / fiche, champ, _choix(VALEURS[champ], rang))
    elif genre == "reseau":
        _modifier_yaml(travail / "content" / "reseaux" / "epn-saint-etienne.yaml", "nom", f"Réseau {args[0]}")
    elif genre == "page":
        page = travail / "content" / "pages" / "a-propos.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(
            f"Title: À propos {args[0]}\n\nUne page de l'annuaire ({args[0]}).\n", encoding="utf-8"
        )
    elif genre == "reglage":
        nom, rang = args
        if nom == "par_page":
            reglages["ANNUAIRE"] = {**reglages["ANNUAIRE"], "par_page": _choix(REGLAGES[nom], rang)}
        else:
            reglages[nom] = _choix(REGLAGES[nom], rang)
    else:
        base = travail / "theme" / "templates" / "base.html"
        base.write_text(base.read_text(encoding="utf-8") + f"<!-- gabarit {args[0]} -->\n", encoding="utf-8")


def reglages_de(travail: Path) -> dict:
    """The settings of a build of the working copy (paths fixed: see the module's docstring)."""
    return {
        "THEME": str(travail / "theme"),
        "ANNUAIRE_CACHE": str(travail / "cache"),
        "ANNUAIRE": dict(runpy.run_path(str(RACINE / "pelicanconf.py"))["ANNUAIRE"]),
    }


@pytest.fixture(scope="module")
def publie():
    """(working folder, pristine copy of it): the search fixture's content and a copy of the theme,
    built once and published, with its cache."""
    dossier = Path(tempfile.mkdtemp(prefix="incremental-proprietes-"))
    travail = dossier / "travail"
    shutil.copytree(CONTENU, travail / "content")
    shutil.copytree(RACINE / "theme", travail / "theme")
    capsys = _SansCapture()
    construire(travail / "content", travail / "output", capsys, **reglages_de(travail))
    shutil.copytree(travail, dossier / "intact", symlinks=True)
    yield travail, dossier / "intact"
    shutil.rmtree(dossier, ignore_errors=True)


class _SansCapture:
    """`construire` wants capsys; these builds' output is not checked."""

    def readouterr(self):
        return type("Sorties", (), {"out": "", "err": ""})()


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(editions=st.lists(EDITION, min_size=1, max_size=3))
def test_suite_d_editions_comme_une_construction_propre(publie, editions):
    travail, intact = publie
    shutil.rmtree(travail)
    shutil.copytree(intact, travail, symlinks=True)
    reglages = reglages_de(travail)
    capsys = _SansCapture()
    for edition in editions:
        appliquer(edition, travail, reglages)
        construire(travail / "content", travail / "output", capsys, **reglages)
    temoin = travail.parent / "temoin"
    shutil.rmtree(temoin, ignore_errors=True)
    propres = {**reglages, "ANNUAIRE_CACHE": str(temoin / "cache")}
    construire(travail / "content", temoin / "output", capsys, **propres)
    incremental, propre = fichiers(travail / "output"), fichiers(temoin / "output")
    differents = sorted(c for c in incremental.keys() | propre.keys() if incremental.get(c) != propre.get(c))
    assert differents == [], f"après {editions}"
