"""Building the fixture site of tests/site/: pages, links, escaping, atomic publish, golden output.

Golden files live in tests/build/; regenerate them after a deliberate template change with
`UPDATE_GOLDEN=1 make test` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import RACINE, construire_site_test

DOSSIER_ATTENDU = Path(__file__).parent / "build"


def lire(site: Path, chemin: str) -> str:
    """A built file's text."""
    return (site / chemin).read_text(encoding="utf-8")


def principal(html: str) -> str:
    """The <main> element of a page, whose content the golden files pin."""
    return re.search(r"<main.*?</main>", html, re.S).group(0)


@pytest.mark.parametrize(
    "chemin",
    [
        "index.html",
        "404.html",
        "sitemap.xml",
        "lieux/index.html",
        "lieux/espace-test/index.html",
        "lieux/atelier-hostile/index.html",
        "lieux/mediatheque-exemple/index.html",
        "communes/index.html",
        "communes/saint-etienne-42/index.html",
        "communes/nancy-54/index.html",
        "services/index.html",
        "services/aide-aux-demarches-administratives/index.html",
        "reseaux/index.html",
        "reseaux/reseau-test/index.html",
        "lieux/lettre/e/index.html",
        "recherche/index.html",
        "carte/index.html",
        "a-propos/index.html",
        "plan-du-site/index.html",
        "theme/css/annuaire.css",
    ],
)
def test_pages_produites(site_test, chemin):
    assert (site_test / chemin).is_file()


def test_fiche_liens_verifies(site_test):
    html = lire(site_test, "lieux/espace-test/index.html")
    assert '<a href="tel:+33477123456">04 77 12 34 56</a>' in html
    assert 'href="mailto:contact@exemple.fr"' in html
    assert '<html lang="fr">' in html
    assert 'href="/reseaux/reseau-test/"' in html and 'href="/communes/saint-etienne-42/"' in html
    assert "Un espace pour apprendre à utiliser un ordinateur &amp; un téléphone." in html
    assert "arabe" in html  # languages spoken, in French


def test_bandeaux(site_test):
    assert "Fermé temporairement" in lire(site_test, "lieux/atelier-hostile/index.html")
    perime = "Informations du 10 janvier 2021 : vérifiez avant de vous déplacer."
    assert perime in lire(site_test, "lieux/mediatheque-exemple/index.html")
    assert perime not in lire(site_test, "lieux/espace-test/index.html")


def test_rien_d_hostile_dans_la_sortie(site_test):
    for chemin in site_test.rglob("*"):
        if chemin.suffix not in (".html", ".xml", ".json", ".geojson", ".csv"):
            continue
        texte = chemin.read_text(encoding="utf-8")
        motifs = ("<script>alert", "onerror=", '<iframe src="https://evil', 'href="javascript:', "alert(2)")
        for motif in motifs:
            assert motif not in texte, f"{motif} dans {chemin}"
    fiche = lire(site_test, "lieux/atelier-hostile/index.html")
    assert "Atelier « Créa » &amp; Cie" in fiche
    assert "<strong>créatif</strong>" in fiche


def test_listes_et_reseau(site_test):
    reseau = lire(site_test, "reseaux/reseau-test/index.html")
    assert "Espace numérique d&#39;essai" in reseau and "Ville d&#39;essai" in reseau
    assert "Médiathèque" not in reseau
    assert "3 lieux" in lire(site_test, "index.html")


def test_sitemap(site_test):
    plan = lire(site_test, "sitemap.xml")
    assert "<loc>http://localhost:8000/lieux/espace-test/</loc>" in plan
    assert "<loc>http://localhost:8000/a-propos/</loc>" in plan


def test_golden_fiche(site_test):
    attendu = DOSSIER_ATTENDU / "espace-test.html"
    obtenu = principal(lire(site_test, "lieux/espace-test/index.html")) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        attendu.parent.mkdir(exist_ok=True)
        attendu.write_text(obtenu, encoding="utf-8")
    assert obtenu == attendu.read_text(encoding="utf-8")


def test_sous_chemin(tmp_path):
    sortie = tmp_path / "output"
    construire_site_test(RACINE / "tests" / "site" / "content", sortie, SITEURL="/annuaire")
    html = lire(sortie, "lieux/espace-test/index.html")
    assert 'href="/annuaire/theme/css/annuaire.css"' in html
    assert 'href="/annuaire/reseaux/reseau-test/"' in html
    assert not re.search(r'(href|src|action)="/(?!annuaire)', html)


def test_construction_invalide_laisse_la_sortie_intacte(tmp_path, capsys):
    contenu = tmp_path / "content"
    shutil.copytree(RACINE / "tests" / "site" / "content", contenu)
    sortie = tmp_path / "output"
    assert construire_site_test(contenu, sortie) == 0
    avant = {p: p.read_bytes() for p in sortie.rglob("*") if p.is_file()}
    (contenu / "lieux" / "casse.yaml").write_text("nom: Casse\ncode_postal: 420\n")
    assert construire_site_test(contenu, sortie) == 1
    erreurs = capsys.readouterr().err
    assert "content/lieux/casse.yaml:2: code_postal:" in erreurs
    assert "inchangé" in erreurs
    assert {p: p.read_bytes() for p in sortie.rglob("*") if p.is_file()} == avant
    assert not sortie.with_name("output.nouveau").exists()


def test_deux_constructions_identiques(tmp_path, site_test):
    sortie = tmp_path / "output"
    construire_site_test(RACINE / "tests" / "site" / "content", sortie)
    fichiers = sorted(p.relative_to(sortie) for p in sortie.rglob("*") if p.is_file())
    assert fichiers == sorted(p.relative_to(site_test) for p in site_test.rglob("*") if p.is_file())
    for relatif in fichiers:
        assert (sortie / relatif).read_bytes() == (site_test / relatif).read_bytes(), relatif


def test_carte_d_un_lieu_dessinee_une_fois_par_processus():
    from annuaire.site.gabarits import OutilsGabarits

    appels = []

    class Macro:
        name = "carte_lieu"

        def __call__(self, lieu, siteurl, niveau):
            appels.append((lieu.slug, niveau))
            return f"<article>{lieu.slug} {niveau}</article>"

    outils, lieu = OutilsGabarits(""), type("Lieu", (), {"slug": "epn"})()
    assert [outils.carte(Macro(), lieu, "", 2) for _ in range(3)] == ["<article>epn 2</article>"] * 3
    assert outils.carte(Macro(), lieu, "", 3) == "<article>epn 3</article>"
    assert appels == [("epn", 2), ("epn", 3)]


def test_carte_d_un_lieu_la_meme_dans_chaque_liste(site_test):
    # Drawn once, reused: its commune's list and its services' lists show the same card.
    carte = re.compile(
        r'<article class="carte-lieu[^"]*">\s*<h2 class="carte-lieu-nom"><a href="[^"]*/lieux/'
        r'espace-test/">.*?</article>',
        re.S,
    )
    listes = [p for p in site_test.rglob("index.html") if p.parts[-3] in ("communes", "services")]
    cartes = {m.group(0) for p in listes for m in carte.finditer(p.read_text(encoding="utf-8"))}
    assert len(cartes) == 1 and "Téléphone" in next(iter(cartes))
