"""No layout shift on a phone: the cumulative layout shift (CLS) of the map, search, home and sheet
pages stays ≤ 0.05 (issue 20), measured in chromium by a PerformanceObserver of "layout-shift"
entries from the page's start, at 390 × 844, on the fixture site of tests/site/."""

from __future__ import annotations

import pytest
from aide_navigateur import Onglet

CLS_MAX = 0.05
ECOUTE_CLS = """window.__cls = 0;
new PerformanceObserver((liste) => {
  for (const e of liste.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
}).observe({ type: "layout-shift", buffered: true });"""
PAGES = {
    "carte": ("/carte/", "#carte-page[data-etat=prete]"),
    "recherche": ("/recherche/?q=aide", "#recherche[data-pret]"),
    "accueil": ("/", "main"),
}


@pytest.mark.browser
@pytest.mark.parametrize("nom", list(PAGES))
def test_pas_de_decalage_sur_un_telephone(navigateur, url_site_test, nom):
    chemin, pret = PAGES[nom]
    onglet = Onglet(navigateur, viewport={"width": 390, "height": 844})
    try:
        onglet.contexte.add_init_script(ECOUTE_CLS)
        onglet.page.goto(url_site_test + chemin)
        onglet.page.wait_for_selector(pret, state="attached", timeout=30_000)
        onglet.page.wait_for_timeout(800)  # late images, fonts, counts
        assert onglet.page.evaluate("window.__cls") <= CLS_MAX
    finally:
        onglet.fermer()
