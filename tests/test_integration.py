"""Embedding: the builder page makes a snippet, and the embedded views load with their filters."""

from __future__ import annotations

from urllib.parse import quote

import pytest


@pytest.fixture(scope="module")
def serveur(url_site_test):
    """The fixture site's base URL on 127.0.0.1."""
    return url_site_test


def test_vues_integrees_sans_entete(site_test):
    for vue in ("liste", "carte"):
        html = (site_test / "integrer" / vue / "index.html").read_text(encoding="utf-8")
        assert '<base target="_blank">' in html
        assert 'class="entete"' not in html and 'class="pied"' not in html


def test_liste_integree_filtree(navigateur, serveur):
    page = navigateur.new_page()
    erreurs = []
    page.on("pageerror", lambda e: erreurs.append(str(e)))
    page.goto(f"{serveur}/integrer/liste/?commune={quote('Nancy')}")
    page.wait_for_selector("#liste-resultats > li", timeout=10_000)
    textes = page.locator("#liste-resultats > li").all_inner_texts()
    assert len(textes) == 1 and "Médiathèque d'exemple" in textes[0]
    assert erreurs == []
    page.close()


def test_carte_integree_filtree(navigateur, serveur):
    page = navigateur.new_page()
    page.route("**/*.png", lambda route: route.fulfill(status=204))
    page.goto(f"{serveur}/integrer/carte/?commune={quote('Saint-Étienne')}")
    page.wait_for_selector("#carte-liste > li", timeout=10_000)
    textes = " ".join(page.locator("#carte-liste > li").all_inner_texts())
    assert "Espace numérique d'essai" in textes and "Médiathèque d'exemple" not in textes
    page.close()


def test_constructeur_d_integration(navigateur, serveur):
    page = navigateur.new_page()
    page.goto(f"{serveur}/integrer/")
    page.select_option("#i-commune", "Nancy")
    page.check("#i-vue-carte")
    code = page.input_value("#integrer-code")
    assert code.startswith('<iframe src="http://localhost:8000/integrer/carte/?commune=Nancy"')
    assert 'title="Annuaire de la médiation numérique"' in code
    assert "/integrer/carte/?commune=Nancy" in page.get_attribute("#integrer-apercu", "src")
    page.close()


def test_liste_integree_montre_les_lieux_avant_toute_saisie(navigateur, serveur):
    """A visitor of the host site sees places at once, not an empty box."""
    page = navigateur.new_page()
    page.goto(f"{serveur}/integrer/liste/")
    page.wait_for_selector("#liste-resultats > li", timeout=10_000)
    assert page.locator("#liste-resultats > li").count() == 3
    page.close()


def test_constructeur_tient_sur_un_telephone(navigateur, serveur):
    """A network's long name in a list does not widen the page past a 390 px screen."""
    page = navigateur.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{serveur}/integrer/")
    page.evaluate("""() => document.getElementById("i-reseau").add(new Option(
        "Réseau des espaces publics numériques de la métropole et des communes associées (très long)"))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()
