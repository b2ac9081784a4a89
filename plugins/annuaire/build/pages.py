"""Pelican's own pages (content/pages/): through the sanitiser of entry bodies, and at their own URL.

Pelican keeps the raw HTML of a Markdown page: a pull request could add `<meta http-equiv="refresh">`
(which the CSP does not stop), `<script>`, `<base>`, event handlers or `javascript:` links. Every
page object is cleaned as soon as Pelican has made it (signal `content_object_init`). A page's
`Slug:` could also take the URL of a place sheet and replace it: `adresses_en_conflit` refuses that.
"""

from __future__ import annotations

import re
from pathlib import Path

from pelican.contents import Page

from annuaire.domain import routes
from annuaire.domain.model import Probleme
from annuaire.domain.texte import BALISES_PAGES, citer, nettoyer_html

_META_ADRESSE = re.compile(r"^\s*(slug|save_as|url)\s*:", re.IGNORECASE)


def assainir_page(contenu) -> None:
    """Signal handler: a Pelican page's HTML keeps only the allow-listed tags and URL schemes."""
    if isinstance(contenu, Page) and contenu._content:
        # The project's own pages link to the site's pages: no "nofollow" there.
        contenu._content = nettoyer_html(contenu._content, BALISES_PAGES, rel="noopener")


def _ligne_du_slug(source: Path) -> int:
    """The line of a page's `Slug:` (or `Save_as:`) metadata, 1 when it has none."""
    try:
        lignes = source.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    return next((n for n, ligne in enumerate(lignes, 1) if _META_ADRESSE.match(ligne)), 1)


def adresses_en_conflit(pages, racine: Path) -> list[Probleme]:
    """Pages of content/pages/ whose output path belongs to the directory (a sheet, a list, a data
    file: routes.RESERVES) or to another page: one error each, on the line of their `Slug:`."""
    problemes, vues = [], {}
    for page in sorted(pages, key=lambda p: p.source_path):
        source = Path(page.source_path)
        nom = source.relative_to(racine).as_posix() if source.is_relative_to(racine) else source.name
        chemin = page.save_as.lstrip("/")
        if routes.reserve(chemin):
            message = f"l'adresse « {citer(page.url)} » appartient à l'annuaire : choisissez un autre Slug"
        elif chemin in vues:
            message = (
                f"l'adresse « {citer(page.url)} » est déjà celle de {vues[chemin]} : choisissez un autre Slug"
            )
        else:
            vues[chemin] = nom
            continue
        problemes.append(Probleme(nom, _ligne_du_slug(source), "slug", message))
    return problemes
