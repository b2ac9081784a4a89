"""domain/routes.py owns every URL: the plan, the outputs, the templates and the scripts read it."""

from __future__ import annotations

from pathlib import Path

from annuaire.domain import routes
from annuaire.domain.model import Lieu

RACINE = Path(__file__).resolve().parents[1]


def test_fiche_et_retour():
    lieu = Lieu(id="x", nom="X", slug="espace-x")
    url = routes.fiche(lieu)
    assert url == "lieux/espace-x/"
    assert routes.slug_de_l_url(url) == routes.slug_de_l_url("/" + url) == "espace-x"
    assert routes.slug_du_fichier(routes.fichier(url)) == "espace-x"
    assert routes.slug_du_fichier(routes.fichier(routes.LIEUX)) is None
    assert routes.slug_du_fichier(routes.fichier(routes.lettre("a"))) is None
    assert routes.fiche(Lieu(id="Sans Slug", nom="Y")) == "lieux/sans-slug/"


def test_listes_et_pages():
    assert routes.page_de_liste(routes.commune("saint-etienne-42"), 1) == "communes/saint-etienne-42/"
    assert routes.page_de_liste(routes.service("Démarches en ligne"), 2).endswith("/page/2/")
    assert routes.fichier(routes.ACCUEIL) == "index.html"
    assert routes.fichier(routes.PAGE_404) == "404.html"


def test_schema_pour_les_scripts():
    schema = routes.pour_js()
    assert schema["fiche"].format(slug="abc") == routes.fiche_de_slug("abc")
    schema["fiche"] = "ailleurs/"  # a copy: the module's scheme stays as it is
    assert routes.pour_js()["fiche"] == "lieux/{slug}/"


def test_aucune_url_de_fiche_ecrite_a_la_main():
    # The sheet URL scheme is spelled in routes.py only (templates call routes.fiche, scripts read
    # the scheme from a data attribute).
    sources = [*(RACINE / "plugins" / "annuaire").rglob("*.py"), *(RACINE / "theme").rglob("*.html")]
    sources += list((RACINE / "theme" / "static" / "js").glob("*.js"))
    motifs = ("lieux/{", '"lieux/', "'lieux/", "'/lieux/'", '"/lieux/"')
    textes = {p: p.read_text(encoding="utf-8") for p in sources if p.name != "routes.py"}
    coupables = [str(p.relative_to(RACINE)) for p, texte in textes.items() if any(m in texte for m in motifs)]
    assert coupables == []
