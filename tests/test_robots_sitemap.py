"""robots.txt and the sitemap's lastmod (issue 17, class 13), on the session's test site."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from annuaire.site.plan import robots_txt

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_robots_nomme_le_sitemap_et_ecarte_le_rapport(site_test):
    texte = (site_test / "robots.txt").read_text(encoding="utf-8")
    assert texte.startswith("User-agent: *\n")
    assert "Disallow: /rapport/" in texte and "Disallow: /integrer/liste/" in texte
    assert texte.rstrip().endswith("/sitemap.xml")


def test_robots_sous_un_sous_chemin():
    texte = robots_txt("https://org.github.io/annuaire")
    assert "Disallow: /annuaire/rapport/" in texte
    assert "Sitemap: https://org.github.io/annuaire/sitemap.xml" in texte


def test_lastmod_de_chaque_page(site_test):
    racine = ET.parse(site_test / "sitemap.xml").getroot()
    entrees = {u.find("s:loc", NS).text: u.find("s:lastmod", NS).text for u in racine.findall("s:url", NS)}
    assert entrees and all(len(date) == 10 for date in entrees.values())
    fiches = {loc: date for loc, date in entrees.items() if "/lieux/" in loc and loc.count("/") > 4}
    assert fiches and any(date != "2024-01-15" for date in fiches.values())  # a sheet: its date_maj
    assert entrees[next(loc for loc in entrees if loc.endswith("/recherche/"))] == "2024-01-15"  # the build's
