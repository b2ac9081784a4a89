"""A second territory (Nancy) builds from the same code with its own settings and content only."""

from __future__ import annotations

import re
import runpy

import pytest
from annuaire.domain.reglages import ReglageInvalide, contraste, lire_reglages
from conftest import RACINE, construire_site_test

NANCY = RACINE / "tests" / "territoires" / "nancy"
TRACES_SAINT_ETIENNE = (
    "Saint-Étienne",
    "Saint-Etienne",
    "saint-etienne",
    "Zoomacom",
    "Montreynaud",
    "42000",
    "42218",
    "Stéphanois",
)


SUFFIXES_TEXTE = (".html", ".xml", ".json", ".geojson", ".csv", ".atom", ".css", ".js")


@pytest.fixture(scope="module")
def site_nancy(tmp_path_factory):
    """The Nancy fixture built with its own settings."""
    sortie = tmp_path_factory.mktemp("nancy") / "output"
    reglages = runpy.run_path(str(NANCY / "reglages.py"))["ANNUAIRE"]
    assert construire_site_test(NANCY / "content", sortie, ANNUAIRE=reglages, SITENAME="Annuaire Nancy") == 0
    return sortie


def test_rien_de_saint_etienne(site_nancy):
    # donnees/communes/ is the national referential (every French commune, for the map's lookup)
    communes = site_nancy / "donnees" / "communes"
    for chemin in site_nancy.rglob("*"):
        if chemin.is_file() and chemin.suffix in SUFFIXES_TEXTE and communes not in chemin.parents:
            texte = chemin.read_text(encoding="utf-8")
            for trace in TRACES_SAINT_ETIENNE:  # a postcode, not digits inside a longer number
                motif = rf"(?<!\d){trace}(?!\d)" if trace.isdigit() else re.escape(trace)
                assert not re.search(motif, texte), f"{trace} dans {chemin.relative_to(site_nancy)}"


def test_reglages_du_territoire(site_nancy):
    accueil = (site_nancy / "index.html").read_text(encoding="utf-8")
    assert "Métropole du Grand Nancy" in accueil and "3 lieux" in accueil
    assert "ex. démarches, smartphone, Vandœuvre" in accueil
    assert "--couleur-principale: #6a1b4d" in (site_nancy / "theme" / "css" / "territoire.css").read_text()
    carte = (site_nancy / "carte" / "index.html").read_text(encoding="utf-8")
    assert 'data-centre="48.6921,6.1844"' in carte
    fiche = (site_nancy / "lieux" / "mediatheque-stanislas" / "index.html").read_text(encoding="utf-8")
    assert "https://github.com/exemple/annuaire-nancy/edit/main/" in fiche
    assert "allemand" in fiche  # languages spoken


def test_langues_en_facette(site_nancy):
    fiche = (site_nancy / "lieux" / "atelier-saint-dizier" / "index.html").read_text(encoding="utf-8")
    assert "anglais" in fiche and "arabe" in fiche
    assert "langues" in (site_nancy / "donnees" / "carte.geojson").read_text(encoding="utf-8")


def test_couleur_sans_contraste_refusee():
    with pytest.raises(ReglageInvalide, match="contraste de 1.1:1"):
        lire_reglages({"couleurs": {"principale": "#f5f5f5"}})
    with pytest.raises(ReglageInvalide, match="#rrggbb"):
        lire_reglages({"couleurs": {"accent": "rouge"}})
    assert contraste("#000000", "#ffffff") == pytest.approx(21.0)


def test_reglage_inconnu_refuse():
    with pytest.raises(ReglageInvalide, match="inconnue"):
        lire_reglages({"centre_carte": (1, 2)})


def test_construction_refuse_une_couleur_illisible(tmp_path, capsys):
    code = construire_site_test(
        NANCY / "content", tmp_path / "output", ANNUAIRE={"couleurs": {"accent": "#ffdd00"}}
    )
    assert code == 2
    assert "ANNUAIRE['couleurs']['accent']" in capsys.readouterr().err


def test_courriel_de_maintenance_verifie():
    assert (
        lire_reglages({"courriel_maintenance": "annuaire@exemple.fr"}).courriel_maintenance
        == "annuaire@exemple.fr"
    )
    assert lire_reglages({}).courriel_maintenance == ""  # none: the form says what to do instead
    with pytest.raises(ReglageInvalide, match="courriel_maintenance"):
        lire_reglages({"courriel_maintenance": "annuaire@exemple"})
