"""Pelican's own pages (content/pages/) through the sanitiser of entry bodies.

Pelican keeps the raw HTML of a Markdown page: a pull request could add `<meta http-equiv="refresh">`
(which the CSP does not stop), `<script>`, `<base>`, event handlers or `javascript:` links. Every
page object is cleaned as soon as Pelican has made it (signal `content_object_init`).
"""

from __future__ import annotations

from pelican.contents import Page

from annuaire.domain.texte import BALISES_PAGES, nettoyer_html


def assainir_page(contenu) -> None:
    """Signal handler: a Pelican page's HTML keeps only the allow-listed tags and URL schemes."""
    if isinstance(contenu, Page) and contenu._content:
        # The project's own pages link to the site's pages: no "nofollow" there.
        contenu._content = nettoyer_html(contenu._content, BALISES_PAGES, rel="noopener")
