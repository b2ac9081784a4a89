"""One check for every URL field of every content type (issue 17, class 6): http(s) only, no bidi,
zero-width or control character, no host mixing alphabets; a network's site goes through it too."""

from __future__ import annotations

import pytest
from annuaire.directory import construire_annuaire
from annuaire.domain.formats import url_erreur, url_valide
from test_validation import lieu_valide, messages

REFUSEES = {
    "javascript:alert(1)": "http",
    "data:text/html,<b>x</b>": "interdit",
    "https://exemple.fr/\u202egpj.exe": "U+202E",
    "https://exe\u200bmple.fr/": "U+200B",
    "https://exemple.fr/\ufeff": "U+FEFF",
    "https://p\u0430ypal.com/": "alphabets",  # Cyrillic "а" among Latin letters
    "https://\u0440\u0430ypal.com/": "alphabets",
    "https://ex emple.fr/": "interdit",
    "ftp://exemple.fr/": "http",
    "https://" + "a" * 2100 + ".fr": "trop longue",
}
ACCEPTEES = [
    "https://www.saint-etienne.fr/",
    "http://zoomacom.org/ateliers?jour=mardi#agenda",
    "https://www.aéroport-lyon.fr/",  # accented Latin only
    "https://пример.рф/",  # Cyrillic only: a real Russian domain, one alphabet per label
]


@pytest.mark.parametrize(("url", "motif"), REFUSEES.items())
def test_url_refusee(url, motif):
    assert not url_valide(url) and motif in url_erreur(url)


@pytest.mark.parametrize("url", ACCEPTEES)
def test_url_acceptee(url):
    assert url_valide(url), url_erreur(url)


def test_champ_url_d_une_fiche():
    message = messages(lieu_valide(site_web=["https://exemple.fr/\u202egpj.exe"]))["site_web"]
    assert "U+202E" in message


@pytest.mark.parametrize("site", ["javascript:alert(document.domain)", "https://p\u0430ypal.com/"])
def test_site_d_un_reseau_verifie(tmp_path, site):
    (tmp_path / "lieux").mkdir()
    (tmp_path / "reseaux").mkdir()
    (tmp_path / "reseaux" / "r.yaml").write_text(f"nom: Réseau\nsite_web: '{site}'\n", encoding="utf-8")
    annuaire = construire_annuaire(tmp_path, tmp_path)
    (erreur,) = [p for p in annuaire.erreurs if p.champ == "site_web"]
    assert erreur.chemin.endswith("reseaux/r.yaml") and erreur.ligne == 2
