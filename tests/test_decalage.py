"""No layout shift on a phone: the cumulative layout shift (CLS) of the map, search, home and sheet
pages stays ≤ 0.05 (issue 20), measured in chromium by a PerformanceObserver of "layout-shift"
entries from the page's start, on the fixture site of tests/site/: at 390 × 844, and as Lighthouse's
phone (412 × 823, a 4× slower processor, 4G latency), where what a page fills in late lands after
the first paint: on a fast desktop it comes before, and a shift cannot be seen."""

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


# Lighthouse 12's mobile profile (its "simulated" throttling applied for real through DevTools).
LIGHTHOUSE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True}
RESEAU_4G = {"offline": False, "latency": 150, "downloadThroughput": 204_800, "uploadThroughput": 96_000}
# (browser context, slowed down, largest CLS). On the slow phone nothing may move at all: every
# late part has its room kept, and a shift that is small on these few places grows with a
# national directory's longer lists (0.066 on the search page of 6,663 places, 0.006 here).
TELEPHONES = {
    "390x844": ({"viewport": {"width": 390, "height": 844}}, False, CLS_MAX),
    "lighthouse": (LIGHTHOUSE, True, 0.001),
}


def ralentir(onglet) -> None:
    """The tab's processor 4× slower and its network a 4G's, through DevTools."""
    devtools = onglet.contexte.new_cdp_session(onglet.page)
    devtools.send("Network.enable")
    devtools.send("Network.emulateNetworkConditions", RESEAU_4G)
    devtools.send("Emulation.setCPUThrottlingRate", {"rate": 4})


@pytest.mark.browser
@pytest.mark.parametrize("telephone", list(TELEPHONES))
@pytest.mark.parametrize("nom", list(PAGES))
def test_pas_de_decalage_sur_un_telephone(navigateur, url_site_test, nom, telephone):
    chemin, pret = PAGES[nom]
    options, lent, maximum = TELEPHONES[telephone]
    onglet = Onglet(navigateur, **options)
    try:
        onglet.contexte.add_init_script(ECOUTE_CLS)
        if lent:
            ralentir(onglet)
        onglet.page.goto(url_site_test + chemin)
        onglet.page.wait_for_selector(pret, state="attached", timeout=30_000)
        onglet.page.wait_for_timeout(800)  # late images, fonts, counts
        assert onglet.page.evaluate("window.__cls") <= maximum
    finally:
        onglet.fermer()
