"""The agenda's pages: /agenda/ by day, each commune's agenda, each workshop's page with its
schema.org Events, the "Prochains ateliers" of sheets, commune and network pages; hostile values
escaped; a sheet's fingerprint follows its workshops.

The fixture site of tests/site/ is built with a hand-made agenda (tests/agenda_exemples.py) put on
its directory through the seam `avec_agenda`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from agenda_exemples import HOSTILE, JOUR, SMARTPHONE, agenda_exemple, avec_agenda, faire_agenda, seances
from conftest import RACINE, construire_site_test

CONTENU = RACINE / "tests" / "site" / "content"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The test site with the example agenda."""
    sortie = tmp_path_factory.mktemp("agenda") / "output"
    with pytest.MonkeyPatch.context() as patch:
        avec_agenda(patch)
        assert construire_site_test(CONTENU, sortie) == 0
    return sortie


def lire(site: Path, chemin: str) -> str:
    """A built file's text."""
    return (site / chemin).read_text(encoding="utf-8")


def principal(html: str) -> str:
    """The page's <main>."""
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def jours(html: str) -> list[str]:
    """The days' headings of an agenda page, in order."""
    return re.findall(r'<h2 id="jour-[0-9-]+">([^<]+)</h2>', html)


def titres(html: str) -> list[str]:
    """The workshops' titles of a page's items, in order (struck out or not)."""
    return [
        re.sub(r"</?s>", "", t) for t in re.findall(r'class="agenda-titre"><a href="[^"]+">(.*?)</a>', html)
    ]


def test_agenda_par_jour(site):
    html = principal(lire(site, "agenda/index.html"))
    # The past Saturday (13 January, before the build's day) and the unknown place's are gone.
    assert jours(html) == [
        "Mardi 16 janvier",
        "Mercredi 17 janvier",
        "Samedi 20 janvier",
        "Mercredi 24 janvier",
        "Samedi 27 janvier",
        "Samedi 3 février",
        "Samedi 10 février",
        "Samedi 17 février",
    ]
    assert "Jeudi 18 janvier" not in html and "13 janvier" not in html
    assert titres(html).count("Prendre en main son smartphone") == 5
    assert "8 ateliers à venir" in html


def test_une_ligne_d_agenda(site):
    html = principal(lire(site, "agenda/index.html"))
    ligne = html[html.index('id="jour-2024-01-20"') : html.index('id="jour-2024-01-24"')]
    assert '<time datetime="2024-01-20T14:00:00+01:00">14 h – 16 h</time>' in ligne
    assert 'href="/lieux/espace-test/">Espace numérique d&#39;essai</a>, Saint-Étienne' in ligne
    assert "Gratuit" in ligne and "Bien utiliser son ordinateur, son téléphone" in ligne  # everyday words
    assert "8 places disponibles" in ligne and "Accessible en fauteuil roulant" in ligne
    assert 'href="tel:+33477123456"' in ligne and 'href="mailto:ateliers@exemple.fr"' in ligne
    nancy = html[html.index('id="jour-2024-01-16"') : html.index('id="jour-2024-01-17"')]
    assert "5 €" in nancy and 'href="https://exemple.fr/inscription"' in nancy
    assert "9 h 30 – 11 h 30" in nancy and "Pas accessible en fauteuil roulant" in nancy


def test_annule_barre(site):
    html = principal(lire(site, "agenda/index.html"))
    annule = html[html.index('id="jour-2024-02-03"') : html.index('id="jour-2024-02-10"')]
    assert "<s>Prendre en main son smartphone</s>" in annule and "Annulé" in annule
    assert "tel:" not in annule  # no registration for a cancelled date


def test_journee_entiere(site):
    html = principal(lire(site, "agenda/index.html"))
    assert "Toute la journée" in html[html.index('id="jour-2024-01-24"') :]


def test_filtres_et_pages_par_commune(site):
    html = principal(lire(site, "agenda/index.html"))
    assert 'href="/agenda/nancy-54/">Nancy</a> (1)' in html
    assert 'href="/agenda/saint-etienne-42/">Saint-Étienne</a> (7)' in html
    # The GET form, shown by agenda.js; its values are the URL's.
    assert '<details class="agenda-choix" data-agenda-choix hidden>' in html
    assert '<form class="agenda-filtres" method="get" action="/agenda/" data-agenda-filtres>' in html
    assert '<option value="maitrise-des-outils-numeriques-du-quotidien">Bien utiliser' in html
    assert '<option value="seniors">Personnes âgées</option>' in html and 'name="gratuit" value="oui"' in html
    nancy = principal(lire(site, "agenda/nancy-54/index.html"))
    assert titres(nancy) == ["Déclarer ses impôts en ligne"] and "<h1>Ateliers à Nancy</h1>" in nancy
    assert 'href="/lieux/mediatheque-exemple/agenda.ics"' in nancy  # its one place's: the same dates
    assert 'href="/agenda/imprimer/commune/nancy-54/">Imprimer l\'agenda du mois' in nancy
    assert "Déclarer" not in principal(lire(site, "agenda/saint-etienne-42/index.html"))


@pytest.fixture(scope="module")
def site_national(tmp_path_factory) -> Path:
    """The test site with the example agenda, grouped as a national one (by département)."""
    from annuaire.site import agenda

    sortie = tmp_path_factory.mktemp("agenda-national") / "output"
    with pytest.MonkeyPatch.context() as patch:
        avec_agenda(patch)
        patch.setattr(agenda, "GROUPER_AU_DELA", 1)
        patch.setattr(agenda, "SUR_L_AGENDA", 6)
        assert construire_site_test(CONTENU, sortie) == 0
    return sortie


def test_a_l_echelle_nationale_par_departement(site_national):
    # /agenda/ leads to the départements, each département's page to its communes; a page that
    # shows only the first dates offers no commune filter (it would filter only those).
    html = principal(lire(site_national, "agenda/index.html"))
    assert "Les 6 premiers sont affichés : choisissez votre département" in html
    assert 'href="/agenda/departement/42/">Loire (42)</a> (7 ateliers, 1 commune)' in html
    assert 'href="/agenda/departement/54/">Meurthe-et-Moselle (54)</a> (1 atelier, 1 commune)' in html
    assert 'id="par-commune"' not in html and 'name="commune"' not in html
    loire = principal(lire(site_national, "agenda/departement/42/index.html"))
    assert "<h1>Ateliers : Loire (42)</h1>" in loire
    assert 'href="/agenda/saint-etienne-42/">Saint-Étienne</a> (7)' in loire
    assert "Déclarer" not in loire and 'action="/agenda/departement/42/"' in loire
    assert 'id="ajouter"' not in loire  # no feed of its own: a commune's or the whole one
    nancy = principal(lire(site_national, "agenda/nancy-54/index.html"))
    assert 'href="/agenda/departement/54/">Meurthe-et-Moselle (54)</a>' in nancy  # the breadcrumb
    assert "Les autres communes : Meurthe-et-Moselle (54)" in nancy
    assert 'name="commune"' not in nancy and titres(nancy) == ["Déclarer ses impôts en ligne"]


def test_page_d_une_commune_ne_suit_que_ses_ateliers():
    # A commune's agenda page holds its own dates and filters only: a workshop added elsewhere
    # does not render it again (3,000 communes at national scale).
    base = agenda_exemple()
    ailleurs = dataclasses.replace(SMARTPHONE, identifiant="ailleurs", lieu="mediatheque-exemple")
    plus = faire_agenda(
        (*base.ateliers, ailleurs),
        [*base.occurrences, *seances(ailleurs, ["2024-01-25"])],
        base.debut,
        base.fin,
    )
    avant, apres = _empreintes(base), _empreintes(plus)
    assert avant["agenda/saint-etienne-42/index.html"] == apres["agenda/saint-etienne-42/index.html"]
    assert avant["agenda/nancy-54/index.html"] != apres["agenda/nancy-54/index.html"]


def test_donnees_des_filtres(site):
    html = lire(site, "agenda/index.html")
    item = re.search(
        r'<li class="agenda-item" data-agenda-item[^>]*data-lieu="espace-test"[^>]*>', html
    ).group(0)
    assert 'data-commune="saint-etienne-42"' in item and 'data-reseaux="reseau-test"' in item
    assert 'data-themes="maitrise-des-outils-numeriques-du-quotidien"' in item
    assert 'data-publics="seniors"' in item and 'data-gratuit="oui"' in item


def _json_ld(html: str) -> list[dict]:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_page_d_atelier_et_json_ld(site):
    html = lire(site, "ateliers/smartphone-espace-test/index.html")
    assert "<h1>Prendre en main son smartphone</h1>" in html
    assert (
        "samedi 20 janvier, 14 h – 16 h" in html and "<strong>téléphoner</strong>" in html
    )  # sanitised HTML
    assert (
        'href="/ateliers/smartphone-espace-test/agenda.ics"' in html and "Appeler le 04 77 12 34 56" in html
    )
    evenements = _json_ld(html)
    assert [e["startDate"] for e in evenements] == [
        "2024-01-20T14:00:00+01:00",
        "2024-01-27T14:00:00+01:00",
        "2024-02-03T14:00:00+01:00",
        "2024-02-10T14:00:00+01:00",
        "2024-02-17T14:00:00+01:00",
    ]
    premier = evenements[0]
    assert premier["@type"] == "Event" and premier["endDate"] == "2024-01-20T16:00:00+01:00"
    assert premier["eventStatus"] == "https://schema.org/EventScheduled"
    assert evenements[2]["eventStatus"] == "https://schema.org/EventCancelled"
    assert premier["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert (
        premier["location"]["@type"] == "Place" and premier["location"]["address"]["@type"] == "PostalAddress"
    )
    assert premier["location"]["address"]["addressLocality"] == "Saint-Étienne"
    assert premier["isAccessibleForFree"] is True and "offers" not in premier
    assert premier["organizer"]["name"] == premier["location"]["name"]
    payant = _json_ld(lire(site, "ateliers/impots-nancy/index.html"))[0]
    assert payant["isAccessibleForFree"] is False and payant["offers"]["price"] == "5"
    journee = _json_ld(lire(site, "ateliers/portes-ouvertes/index.html"))[0]
    assert journee["startDate"] == "2024-01-24"


def test_valeurs_hostiles_echappees(site):
    for chemin in (site / "agenda").rglob("*.html"):
        assert HOSTILE not in lire(site, str(chemin.relative_to(site))), chemin
    html = lire(site, "ateliers/piege/index.html")
    assert HOSTILE not in html and "<script>alert" not in html
    bloc = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</" not in bloc and "<!--" not in bloc and "<" not in bloc
    assert _json_ld(html)[0]["name"] == HOSTILE  # still the same text for a reader of the data
    assert "javascript:" not in html and "mailto:x@y" not in html and "tel:abc" not in html
    assert "<p>Texte <em>assaini</em> &lt;script&gt;</p>" in html  # the sanitised description, as is


def test_prochains_ateliers_des_fiches(site):
    fiche = lire(site, "lieux/espace-test/index.html")
    bloc = fiche[fiche.index('class="prochains-ateliers"') :]
    assert bloc.index("samedi 20 janvier, 14 h – 16 h") < bloc.index("mercredi 24 janvier")
    smartphone, portes = "Prendre en main son smartphone", "Journée portes ouvertes"
    assert titres(bloc) == [smartphone, portes, smartphone, smartphone, smartphone]  # the next 5
    assert (
        "Voir les 6 ateliers à venir" in bloc and 'href="/agenda/saint-etienne-42/?lieu=espace-test"' in bloc
    )
    assert 'href="/lieux/espace-test/agenda.ics">Ajouter à mon agenda' in bloc
    # Inside the indexed article: "atelier smartphone samedi" finds the sheet.
    article = fiche[fiche.index("data-pagefind-body") : fiche.index("</article>")]
    assert "Prochains ateliers" in article and "samedi 20 janvier" in article
    assert "Voir dans l'agenda" in lire(site, "lieux/mediatheque-exemple/index.html")


def test_prochains_ateliers_des_communes_et_reseaux(site):
    commune = lire(site, "communes/saint-etienne-42/index.html")
    assert "Prochains ateliers" in commune and 'href="/communes/saint-etienne-42/agenda.ics"' in commune
    assert 'href="/agenda/imprimer/commune/saint-etienne-42/"' in commune
    reseau = lire(site, "reseaux/reseau-test/index.html")
    assert "Prochains ateliers" in reseau and titres(reseau)[0] == "Prendre en main son smartphone"
    assert 'href="/agenda/?reseau=reseau-test"' in reseau and 'href="/lieux/espace-test/agenda.ics"' in reseau
    assert "Voir l'agenda des ateliers" in lire(site, "index.html")
    assert 'href="/agenda/">Agenda des ateliers' in lire(site, "plan-du-site/index.html")


def test_sans_ateliers_rien_ne_change(site_test):
    # The shipped test site has no agenda: no block, no page, no feed (the golden sheets hold).
    assert not (site_test / "agenda").exists() and not (site_test / "agenda.ics").exists()
    assert "Prochains ateliers" not in lire(site_test, "lieux/espace-test/index.html")
    assert "agenda.css" not in lire(site_test, "communes/saint-etienne-42/index.html")


def test_plan_du_site_dans_le_sitemap(site):
    sitemap = lire(site, "sitemap.xml")
    assert "/agenda/</loc>" in sitemap and "/ateliers/impots-nancy/</loc>" in sitemap
    assert "agenda.ics" not in sitemap


# --- Fingerprints: a sheet's follows its workshops -------------------------------------------------


def _empreintes(agenda) -> dict[str, str]:
    """{page path: fingerprint} of the test site's plan with `agenda` on its directory."""
    from annuaire.build.publication import EmpreintesPages
    from annuaire.directory import construire_annuaire
    from annuaire.domain.reglages import lire_reglages
    from annuaire.site.plan import plan_du_site

    annuaire = dataclasses.replace(construire_annuaire(CONTENU, aujourd_hui=JOUR), agenda=agenda)
    empreinte = EmpreintesPages()
    pages = plan_du_site(annuaire, lire_reglages({}), JOUR)
    return {p.chemin: empreinte(p.gabarit, p.cle_empreinte()) for p in pages}


def test_empreinte_de_la_fiche_suit_ses_ateliers():
    from annuaire.domain.ateliers import Agenda

    base = agenda_exemple()
    renomme = dataclasses.replace(SMARTPHONE, titre="Mon smartphone, pas à pas")
    autre = faire_agenda(
        (renomme,), seances(renomme, ["2024-01-20"]), dt.date(2024, 1, 15), dt.date(2024, 4, 15)
    )
    sans, avec, encore, change = (_empreintes(a) for a in (Agenda(), base, agenda_exemple(), autre))
    fiche, autre_fiche = "lieux/espace-test/index.html", "lieux/mediatheque-exemple/index.html"
    assert sans[fiche] != avec[fiche] != change[fiche]
    assert avec[fiche] == encore[fiche]  # same agenda, same fingerprint: the page is kept
    assert avec[autre_fiche] == encore[autre_fiche] and change[autre_fiche] == sans[autre_fiche]
    commune, reseau = "communes/saint-etienne-42/index.html", "reseaux/reseau-test/index.html"
    assert avec[commune] != change[commune] and avec[reseau] != change[reseau]
    assert avec["lieux/espace-test/agenda.ics"] != change["lieux/espace-test/agenda.ics"]


def test_filtres_donnees_pures_dans_node():
    # agenda-filtres.js (no DOM), run by node: the state's round trip through the URL, and the rule.
    import shutil
    import subprocess

    if not shutil.which("node"):
        pytest.skip("node absent")
    module = (RACINE / "theme" / "static" / "js" / "agenda-filtres.js").as_uri()
    script = f"""
      import {{ correspond, etatDepuisUrl, itemDepuisDonnees, requeteDepuisEtat }} from "{module}";
      const etat = etatDepuisUrl("?theme=t1&gratuit=oui&inconnu=x&commune=");
      const item = itemDepuisDonnees({{ commune: "c", lieu: "l", reseaux: "r1 r2", themes: "t0 t1",
                                         publics: "", gratuit: "oui" }});
      console.log(JSON.stringify([requeteDepuisEtat(etat), requeteDepuisEtat(etatDepuisUrl("")),
        correspond(item, etat), correspond({{ ...item, gratuit: false }}, etat),
        correspond(item, etatDepuisUrl("?reseau=r2&lieu=l")), correspond(item, etatDepuisUrl("?public=p"))]));
    """
    fini = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=30
    )
    assert fini.returncode == 0, fini.stderr
    assert json.loads(fini.stdout) == ["?theme=t1&gratuit=oui", "", True, False, True, False]


def test_reconstruction_suit_les_ateliers(tmp_path):
    # Built, then built again into the same folder: same agenda, nothing rendered again; a workshop
    # renamed: its sheet, its page and its feeds change, a sheet without it stays as it was.
    sortie = tmp_path / "output"
    renomme = dataclasses.replace(SMARTPHONE, titre="Mon smartphone, pas à pas")
    base = agenda_exemple()
    change = faire_agenda(
        tuple(renomme if a is SMARTPHONE else a for a in base.ateliers),
        [dataclasses.replace(o, atelier=renomme) if o.atelier is SMARTPHONE else o for o in base.occurrences],
        base.debut,
        base.fin,
    )
    fiche, autre = sortie / "lieux/espace-test/index.html", sortie / "lieux/mediatheque-exemple/index.html"
    with pytest.MonkeyPatch.context() as patch:
        avec_agenda(patch, base)
        assert construire_site_test(CONTENU, sortie) == 0
        avant = (fiche.read_text(encoding="utf-8"), autre.stat().st_mtime_ns, autre.stat().st_ino)
        assert construire_site_test(CONTENU, sortie) == 0
        assert fiche.read_text(encoding="utf-8") == avant[0]
    with pytest.MonkeyPatch.context() as patch:
        avec_agenda(patch, change)
        assert construire_site_test(CONTENU, sortie) == 0
    html = fiche.read_text(encoding="utf-8")
    assert "Mon smartphone, pas à pas" in html and "Prendre en main son smartphone" not in html
    assert (autre.stat().st_mtime_ns, autre.stat().st_ino) == avant[1:]  # kept as published
    assert "Mon smartphone" in (sortie / "lieux/espace-test/agenda.ics").read_text(encoding="utf-8")
    assert "Mon smartphone" in (sortie / "agenda/index.html").read_text(encoding="utf-8")


def test_pages_de_l_agenda_sans_erreur_html(site):
    # The Nu Html Checker (tests/test_html_valide.py checks the other page types) on each agenda page
    # type, hostile workshop included.
    from test_html_valide import erreurs_vnu

    pages = [
        "agenda/index.html",
        "agenda/saint-etienne-42/index.html",
        "agenda/imprimer/commune/saint-etienne-42/index.html",
        "ateliers/smartphone-espace-test/index.html",
        "ateliers/piege/index.html",
        "lieux/espace-test/index.html",
        "communes/saint-etienne-42/index.html",
    ]
    assert erreurs_vnu([site / p for p in pages]) == []
