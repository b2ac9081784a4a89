"""Pelican pages go through the sanitiser of entry bodies (issue 17, class 4)."""

from __future__ import annotations

import shutil

import markdown
import pytest
from annuaire.domain.texte import BALISES_PAGES, nettoyer_html
from conftest import RACINE, construire_site_test

PAGE = """Title: Page piégée
Slug: piegee

## Titre gardé

<meta http-equiv="refresh" content="0; url=https://attaquant.example/">
<base href="https://attaquant.example/">
<script>alert(1)</script>
<img src=x onerror="alert(2)">
<a href="javascript:alert(3)">lien</a> <a href="https://exemple.fr/" onclick="alert(4)">bon lien</a>
<iframe src="https://attaquant.example/"></iframe>
<style>body{display:none}</style>

| a | b |
"""


@pytest.fixture(scope="module")
def site_pieges(tmp_path_factory):
    racine = tmp_path_factory.mktemp("pages")
    shutil.copytree(RACINE / "tests" / "site" / "content", racine / "content")
    (racine / "content" / "pages" / "piegee.md").write_text(PAGE, encoding="utf-8")
    assert construire_site_test(racine / "content", racine / "output") == 0
    return racine / "output"


def test_page_assainie(site_pieges):
    html = (site_pieges / "piegee" / "index.html").read_text(encoding="utf-8")
    corps = html.split("<main", 1)[1]
    for interdit in (
        "attaquant.example",
        "<script>alert",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<base",
    ):
        assert interdit not in corps, interdit
    assert 'http-equiv="refresh"' not in html
    assert "<h2>Titre gardé</h2>" in corps and 'href="https://exemple.fr/"' in corps


@pytest.mark.parametrize("page", sorted((RACINE / "content" / "pages").glob("*.md")), ids=lambda p: p.name)
def test_pages_du_projet_inchangees(page):
    """The shipped pages use only allow-listed HTML: sanitising changes nothing but links' rel."""
    html = markdown.markdown(page.read_text(encoding="utf-8").split("\n\n", 1)[1])
    assert nettoyer_html(html, BALISES_PAGES, rel="noopener").replace(' rel="noopener"', "") == html
