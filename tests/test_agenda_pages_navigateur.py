"""The agenda in Debian's chromium: the month's printed agenda on one A4 page, the filters (state in
the URL, back and forward), a phone's first screen, accessibility (axe-core), and the search
("atelier smartphone samedi" finds the sheet of the place that runs it).

The test site of tests/site/ is built once with a busy month (tests/agenda_exemples.py).
"""

from __future__ import annotations

import re

import pytest
from agenda_exemples import agenda_du_mois, avec_agenda
from aide_navigateur import onglet_partage, violations_axe
from conftest import RACINE, construire_site_test, en_service

CONTENU = RACINE / "tests" / "site" / "content"
TELEPHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def url_site(tmp_path_factory):
    """The test site with a busy month, served on 127.0.0.1."""
    sortie = tmp_path_factory.mktemp("agenda-navigateur") / "output"
    with pytest.MonkeyPatch.context() as patch:
        avec_agenda(patch, agenda_du_mois())
        assert construire_site_test(CONTENU, sortie, ANNUAIRE_NODE_MODULES=str(RACINE / "node_modules")) == 0
    with en_service(sortie) as base:
        yield base


@pytest.fixture(scope="module")
def onglet(navigateur):
    """One browser tab shared by this module's tests."""
    yield from onglet_partage(navigateur)


def pages_pdf(page) -> int:
    """The number of pages of the page printed to an A4 PDF."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", page.pdf(format="A4")))


@pytest.mark.parametrize(
    "chemin", ["/agenda/imprimer/commune/saint-etienne-42/", "/agenda/imprimer/reseau/reseau-test/"]
)
def test_mois_imprime_sur_une_page(onglet, url_site, chemin):
    page = onglet.ouvrir(url_site, chemin)
    page.emulate_media(media="print")
    assert page.locator(".agenda-mois tbody tr").count() >= 30  # a busy month
    assert pages_pdf(page) == 1
    for cache in (".entete", ".pied", ".fil", ".ecran-seul", "nav"):
        assert not any(e.is_visible() for e in page.locator(cache).all()), cache
    assert page.locator(".agenda-annule s").first.is_visible()  # a cancelled date stays, struck out
    assert onglet.erreurs == []


def _visibles(page) -> list[str]:
    """The titles of the agenda's items left visible."""
    return [t.strip() for t in page.locator("[data-agenda-item]:visible .agenda-titre").all_inner_texts()]


def test_filtres_dans_l_adresse(onglet, url_site):
    page = onglet.ouvrir(url_site, "/agenda/")
    tous = len(_visibles(page))
    assert tous == page.locator("[data-agenda-item]").count() > 30
    page.locator("summary").filter(has_text="Choisir").click()
    page.select_option("#f-theme", "aide-aux-demarches-administratives")
    page.wait_for_url(re.compile(r"\?theme=aide-aux-demarches-administratives$"))
    demarches = _visibles(page)
    assert 0 < len(demarches) < tous and "Prendre en main son smartphone" not in demarches
    page.check("#f-gratuit")
    page.wait_for_url(re.compile(r"\?theme=aide-aux-demarches-administratives&gratuit=oui$"))
    gratuits = _visibles(page)
    assert "Déclarer ses impôts en ligne" not in gratuits and len(gratuits) < len(demarches)
    # Days left without an item are hidden.
    assert all(
        j.locator("[data-agenda-item]:visible").count()
        for j in page.locator("[data-agenda-jour]:visible").all()
    )
    page.go_back()
    page.wait_for_url(re.compile(r"\?theme=aide-aux-demarches-administratives$"))
    assert _visibles(page) == demarches and not page.is_checked("#f-gratuit")
    page.go_back()
    assert len(_visibles(page)) == tous and page.input_value("#f-theme") == ""
    page.go_forward()
    assert _visibles(page) == demarches
    assert onglet.erreurs == []


def test_lien_d_une_fiche_filtre_par_lieu(onglet, url_site):
    page = onglet.ouvrir(url_site, "/agenda/saint-etienne-42/?lieu=atelier-hostile")
    assert page.locator("details.agenda-choix").get_attribute("open") is not None
    assert page.locator("[data-agenda-item]:visible").count() == 1
    page = onglet.ouvrir(url_site, "/agenda/?commune=nancy-54")
    assert _visibles(page) == ["Déclarer ses impôts en ligne"]


def test_sans_javascript_tout_est_la(navigateur, url_site):
    contexte = navigateur.new_context(java_script_enabled=False)
    page = contexte.new_page()
    page.goto(url_site + "/agenda/?theme=x")
    assert page.locator("[data-agenda-item]:visible").count() > 30  # nothing hidden
    assert not page.locator("details.agenda-choix").is_visible()  # the form needs the script
    assert page.locator("#par-commune a").filter(has_text="Nancy").is_visible()  # the pages per commune
    contexte.close()


@pytest.mark.parametrize(
    "chemin", ["/agenda/", "/ateliers/smartphone-espace-test/", "/agenda/saint-etienne-42/"]
)
def test_premier_ecran_du_telephone(onglet, url_site, chemin):
    page = onglet.ouvrir(url_site, chemin, TELEPHONE)
    largeur = page.evaluate("document.documentElement.scrollWidth")
    assert largeur <= TELEPHONE["width"]  # nothing wider than the screen
    appeler = page.locator("a[href^='tel:']").first
    boite = appeler.bounding_box()
    assert (
        boite and boite["y"] + boite["height"] <= TELEPHONE["height"]
    )  # the call button on the first screen
    assert boite["height"] >= 40  # a big enough target
    assert onglet.erreurs == []


@pytest.mark.parametrize(
    "chemin",
    [
        "/agenda/",
        "/agenda/nancy-54/",
        "/ateliers/smartphone-espace-test/",
        "/ateliers/piege/",
        "/lieux/espace-test/",
    ]
    + ["/agenda/imprimer/commune/saint-etienne-42/"],
)
def test_accessibilite(onglet, url_site, chemin):
    page = onglet.ouvrir(url_site, chemin)
    assert violations_axe(page) == []
    assert onglet.erreurs == [] and onglet.dialogues == []  # the hostile title runs nothing


def test_recherche_atelier_smartphone_samedi(onglet, url_site):
    page = onglet.ouvrir(url_site, "/recherche/")
    urls = page.evaluate(
        """async () => {
          const pagefind = await import("/pagefind/pagefind.js");
          const reponse = await pagefind.search("atelier smartphone samedi");
          return Promise.all(reponse.results.map(async (r) => (await r.data()).url));
        }"""
    )
    assert urls == ["/lieux/espace-test/"]
