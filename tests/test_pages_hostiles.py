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


def _site_avec_page(tmp_path, pages: dict[str, str], **reglages) -> tuple[int, str]:
    """Build the test site plus `pages` (name: text); the exit code and what the build printed."""
    import contextlib
    import io

    shutil.copytree(RACINE / "tests" / "site" / "content", tmp_path / "content")
    for nom, texte in pages.items():
        (tmp_path / "content" / "pages" / nom).write_text(texte, encoding="utf-8")
    sortie = io.StringIO()
    with contextlib.redirect_stderr(sortie), contextlib.redirect_stdout(sortie):
        code = construire_site_test(tmp_path / "content", tmp_path / "output", **reglages)
    return code, sortie.getvalue()


def test_une_page_ne_prend_pas_l_adresse_d_une_fiche(tmp_path):
    fiche = sorted((RACINE / "tests" / "site" / "content" / "lieux").iterdir())[0].stem
    code, texte = _site_avec_page(
        tmp_path, {"voleuse.md": f"Title: Voleuse\nSlug: lieux/{fiche}\n\nTexte.\n"}
    )
    assert code == 1 and "content/pages/voleuse.md:2: slug: l'adresse" in texte and "appartient" in texte
    assert not (tmp_path / "output").exists()


def test_deux_pages_a_la_meme_adresse(tmp_path):
    pages = {"a.md": "Title: A\nSlug: pareil\n\nA.\n", "b.md": "Title: B\nSlug: pareil\n\nB.\n"}
    code, texte = _site_avec_page(tmp_path, pages)
    assert code == 1 and "content/pages/b.md:2: slug: l'adresse « pareil/ » est déjà celle de" in texte


def test_lien_sortant_dans_le_theme_refuse(tmp_path):
    theme = tmp_path / "depot" / "theme"  # the secret is outside the theme's repository
    shutil.copytree(RACINE / "theme", theme)
    (tmp_path / "secret.txt").write_text("JETON-SECRET", encoding="utf-8")
    (theme / "static" / "vole.txt").symlink_to(tmp_path / "secret.txt")
    modules = str(RACINE / "node_modules")
    code, texte = _site_avec_page(tmp_path, {}, THEME=str(theme), ANNUAIRE_NODE_MODULES=modules)
    assert code == 1 and "theme/static/vole.txt:1: lien symbolique" in texte and "JETON" not in texte
    assert not (tmp_path / "output").exists()
