"""Accessibility (RGAA 4 / WCAG 2.1 AA) of every kind of page, in headless chromium.

The fixture site of tests/site/ (built once per session) is served on 127.0.0.1; map tiles get a
blank image. axe-core checks each kind of page (no violation of impact serious or critical, colour
contrast included); keyboard walkthroughs check the skip link, visible focus, search with facets,
the map's markers and popups and the contribution form, and that focus never gets stuck; text at
200 % and a 320-pixel-wide screen must not make the page scroll sideways.
"""

from __future__ import annotations

import pytest
from aide_navigateur import onglet_partage, violations_axe

PAGES = {
    "accueil": "/",
    "fiche": "/lieux/espace-test/",
    "réseau": "/reseaux/reseau-test/",
    "commune": "/communes/saint-etienne-42/",
    "service": "/services/aide-aux-demarches-administratives/",
    "A à Z": "/lieux/",
    "lettre": "/lieux/lettre/e/",
    "communes": "/communes/",
    "recherche avec résultats": "/recherche/?q=espace",
    "carte": "/carte/",
    "proposer un lieu": "/proposer/",
    "données ouvertes": "/donnees/",
    "page introuvable": "/404.html",
    "page de texte": "/a-propos/",
    "plan du site": "/plan-du-site/",
    "mes lieux": "/mes-lieux/",
    "hors connexion": "/hors-ligne/",
}
# Outline or shadow of the element that has the keyboard focus (":focus-visible" in annuaire.css).
STYLE_FOCUS = """() => { const s = getComputedStyle(document.activeElement);
  return { outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
           ombre: s.boxShadow !== "none" }; }"""
DEBORDEMENTS = """() => {
  const largeur = document.documentElement.clientWidth;
  const hors = [...document.querySelectorAll("a, button, input, select, textarea, h1, h2, p, li, td")]
    .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().right > largeur + 1)
    .map((e) => e.outerHTML.slice(0, 80));
  return { defilement: document.documentElement.scrollWidth - largeur, hors };
}"""


@pytest.fixture(scope="module")
def onglet(navigateur):
    """One browser tab shared by this module's tests."""
    yield from onglet_partage(navigateur)


@pytest.fixture(scope="module")
def url_site(url_site_test):
    """The fixture site served on 127.0.0.1 (shared with other modules)."""
    return url_site_test


def actif(page, selecteur: str) -> bool:
    """True when the element with the keyboard focus matches `selecteur`."""
    return page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selecteur)


def tabuler_jusqu_a(page, selecteur: str, maximum: int = 80, touche: str = "Tab") -> int:
    """Press Tab (or `touche`) until the focus is on `selecteur`; the number of presses."""
    for appuis in range(1, maximum + 1):
        page.keyboard.press(touche)
        if actif(page, selecteur):
            return appuis
    pytest.fail(f"« {selecteur} » jamais atteint au clavier en {maximum} appuis sur Tab")


def focus_visible(page) -> bool:
    """True when the focused element shows an outline of 2 px or more, or a shadow."""
    style = page.evaluate(STYLE_FOCUS)
    return style["outline"] or style["ombre"]


# --- axe-core -----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("chemin", PAGES.values(), ids=PAGES.keys())
def test_axe_aucune_violation_grave(onglet, url_site, chemin):
    page = onglet.ouvrir(url_site, chemin)
    assert violations_axe(page) == []
    assert onglet.erreurs == []


@pytest.mark.browser
def test_axe_signale_bien_une_violation(onglet, url_site):
    """The check is not vacuous: an image without text alternative is reported."""
    page = onglet.ouvrir(url_site, "/a-propos/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert any(v.startswith("image-alt") for v in violations_axe(page))


def test_langue_francaise_declaree(site_test):
    for chemin in site_test.rglob("*.html"):
        assert '<html lang="fr">' in chemin.read_text(encoding="utf-8"), chemin


# --- keyboard -----------------------------------------------------------------------------------


@pytest.mark.browser
def test_lien_d_evitement_premier_et_visible(onglet, url_site):
    page = onglet.ouvrir(url_site, "/lieux/espace-test/")
    page.keyboard.press("Tab")
    assert actif(page, "a.lien-evitement")
    boite = page.locator("a.lien-evitement").bounding_box()
    assert boite["y"] >= 0 and boite["height"] > 10 and focus_visible(page)
    page.keyboard.press("Enter")
    assert actif(page, "main#contenu")
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('contenu').contains(document.activeElement)")


PARCOURS = ["/", "/lieux/espace-test/", "/recherche/?q=espace", "/carte/", "/proposer/"]


@pytest.mark.browser
@pytest.mark.parametrize("chemin", PARCOURS)
def test_pas_de_piege_et_focus_toujours_visible(onglet, url_site, chemin):
    """Tab goes from the top of the page to the footer's last link, each stop visibly focused."""
    page = onglet.ouvrir(url_site, chemin)
    vus = []
    for _ in range(250):
        page.keyboard.press("Tab")
        vus.append(page.evaluate("document.activeElement.outerHTML.slice(0, 60)"))
        assert focus_visible(page), f"focus invisible sur {vus[-1]}"
        if actif(page, ".pied a[href$='/plan-du-site/']"):
            break
    else:
        pytest.fail(f"le pied de page n'est jamais atteint ; derniers éléments : {vus[-5:]}")
    assert len(vus) > 5


@pytest.mark.browser
def test_recherche_au_clavier(onglet, url_site):
    page = onglet.ouvrir(url_site, "/recherche/")
    tabuler_jusqu_a(page, "#q")
    page.keyboard.type("espace")
    page.wait_for_selector("#liste-resultats li")
    tabuler_jusqu_a(page, "#filtres input[type=checkbox]")
    assert focus_visible(page)
    case = page.evaluate("document.activeElement.id")
    page.keyboard.press("Space")
    assert page.locator(f"#{case}").is_checked()
    page.wait_for_function("location.search.includes('&') || location.search.split('=').length > 2")
    assert actif(page, f"#{case}")  # the focus stays on the box the person toggled
    page.keyboard.press("Space")
    assert not page.locator(f"#{case}").is_checked()
    assert onglet.erreurs == []


@pytest.mark.browser
def test_carte_au_clavier(onglet, url_site):
    page = onglet.ouvrir(url_site, "/carte/?vue=45.4397,4.3872,15")
    tabuler_jusqu_a(page, ".leaflet-marker-pane [role=button]")
    assert focus_visible(page)
    page.keyboard.press("Enter")
    lien = page.locator(".leaflet-popup-content a").first
    lien.wait_for()
    assert lien.evaluate("a => a === document.activeElement")
    assert "Espace numérique d'essai" in page.locator(".leaflet-popup-content").inner_text()
    tabuler_jusqu_a(page, "#carte-liste a")  # the focus leaves the map for the list that follows it
    assert onglet.erreurs == []


@pytest.mark.browser
def test_formulaire_au_clavier(onglet, url_site):
    page = onglet.ouvrir(url_site, "/proposer/")
    tabuler_jusqu_a(page, "#proposer button[type=submit]", 120)
    page.keyboard.press("Enter")
    assert "Indiquez le nom." in page.locator("#proposer-erreurs").inner_text()
    tabuler_jusqu_a(page, "#f-nom", 120, touche="Shift+Tab")  # back up to the first field
    for valeur in ("Espace du test", "2 rue du Clavier", "42000", "Saint-Étienne"):
        page.keyboard.type(valeur)
        page.keyboard.press("Tab")
    tabuler_jusqu_a(page, "#proposer input[name=services]")
    page.keyboard.press("Space")
    tabuler_jusqu_a(page, "#f-source", 120)
    page.keyboard.type("Je suis le lieu")
    page.keyboard.press("Enter")
    page.wait_for_selector("#proposer-resultat:not([hidden])")
    assert actif(page, "#titre-resultat")
    fiche = page.locator("#proposer-yaml").input_value()
    assert 'nom: "Espace du test"' in fiche and "services:" in fiche
    assert onglet.erreurs == []


# --- text size and reflow -----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("chemin", ["/", "/lieux/espace-test/", "/communes/saint-etienne-42/", "/proposer/"])
def test_texte_a_200_pourcent_sans_perte(onglet, url_site, chemin):
    page = onglet.ouvrir(url_site, chemin)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    mesure = page.evaluate(DEBORDEMENTS)
    assert mesure == {"defilement": 0, "hors": []}


@pytest.mark.browser
@pytest.mark.parametrize("chemin", ["/", "/lieux/espace-test/", "/recherche/?q=espace", "/carte/"])
def test_ecran_etroit_sans_defilement_horizontal(onglet, url_site, chemin):
    """WCAG 1.4.10: at 320 CSS pixels (a 400 % zoom of a 1280-pixel screen) nothing scrolls sideways."""
    page = onglet.ouvrir(url_site, chemin, viewport={"width": 320, "height": 640})
    assert page.evaluate(DEBORDEMENTS) == {"defilement": 0, "hors": []}
