"""The public URL and the repository default from where the site is built (issue 19, point 5):
a fork on GitHub gets correct QR codes and edit links with no configuration."""

from __future__ import annotations

import subprocess

import pytest
from annuaire.build.origine import avec_origine, reglages_du_site
from annuaire.domain.reglages import Origine, lire_reglages, origine_depot
from annuaire.loading.depot import origine_du_depot


@pytest.mark.parametrize(
    "depot, remote, attendu",
    [
        ("asso/annuaire", "", Origine("https://github.com/asso/annuaire", "https://asso.github.io/annuaire")),
        (
            "",
            "https://github.com/Ville-X/annuaire.git",
            Origine("https://github.com/Ville-X/annuaire", "https://ville-x.github.io/annuaire"),
        ),
        (
            "",
            "git@github.com:asso/annuaire.git",
            Origine("https://github.com/asso/annuaire", "https://asso.github.io/annuaire"),
        ),
        (
            "",
            "ssh://git@github.com/asso/annuaire",
            Origine("https://github.com/asso/annuaire", "https://asso.github.io/annuaire"),
        ),
        (
            "asso/asso.github.io",
            "",
            Origine("https://github.com/asso/asso.github.io", "https://asso.github.io"),
        ),
        ("", "https://gitlab.com/asso/annuaire.git", Origine()),
        ("", "/work/main", Origine()),
        ("", "", Origine()),
    ],
)
def test_origine_du_depot(depot, remote, attendu):
    assert origine_depot(depot, remote) == attendu


def test_les_reglages_vides_prennent_l_origine():
    origine = Origine("https://github.com/asso/annuaire", "https://asso.github.io/annuaire")
    reglages = lire_reglages({}, origine)
    assert (reglages.url_publique, reglages.depot_url) == (
        "https://asso.github.io/annuaire",
        "https://github.com/asso/annuaire",
    )
    donnes = lire_reglages(
        {"url_publique": "https://annuaire.exemple.fr/", "depot_url": "https://forge.exemple.fr/a"}, origine
    )
    assert (donnes.url_publique, donnes.depot_url) == (
        "https://annuaire.exemple.fr",
        "https://forge.exemple.fr/a",
    )
    assert (lire_reglages({}).url_publique, lire_reglages({}).depot_url) == ("http://localhost:8000", "")


def test_github_actions_avant_le_remote(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "remote", "add", "origin", "git@github.com:moi/fourche.git"], check=True
    )
    assert origine_du_depot(tmp_path, {}).url_publique == "https://moi.github.io/fourche"
    assert (
        origine_du_depot(tmp_path, {"GITHUB_REPOSITORY": "org/annuaire"}).depot_url
        == "https://github.com/org/annuaire"
    )
    assert origine_du_depot(tmp_path / "absent", {}) == Origine()  # no checkout: nothing, no error


def test_les_reglages_du_site_portent_l_origine(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "remote", "add", "origin", "https://github.com/moi/fourche"], check=True
    )
    settings = avec_origine({"PATH": str(tmp_path), "ANNUAIRE": {}})
    assert (
        settings["ANNUAIRE_ORIGINE"]["url_publique"] == "https://moi.github.io/fourche"
    )  # in the fingerprints
    assert reglages_du_site(settings).depot_url == "https://github.com/moi/fourche"
    coupe = avec_origine({"PATH": str(tmp_path), "ANNUAIRE": {}, "ANNUAIRE_ADRESSES_AUTO": False})
    assert reglages_du_site(coupe).url_publique == "http://localhost:8000"
