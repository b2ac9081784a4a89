"""Issue 19, points 3 to 5, in headless chromium at 390 × 844 (a common phone): a sheet answers in
the first screen, the first search result shows without scrolling, filters sit in a panel with a
"Voir N lieux" button (search and map), and the print names the directory and uses the public URL
without the QR code running over the freshness box.

A small site is built here, dated today (so that the open-now badge has data for now): a complete
place, one "à vérifier", one with information older than a year, and a few more for the lists.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from aide_navigateur import onglet_partage
from conftest import construire_site_test, servir
from test_impression import yaml_entree

TELEPHONE = {"width": 390, "height": 844}
URL_PUBLIQUE = "https://annuaire.exemple.fr"
AUJOURD_HUI = dt.date.today()
COMMUN = {
    "code_postal": "42100",
    "commune": "Saint-Étienne",
    "source": "essai",
    "services": ["Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"],
}
LIEUX = {
    "complet": {
        "nom": "Espace numérique de la place du Peuple",
        "adresse": "3 place du Peuple",
        "latitude": 45.4341,
        "longitude": 4.3892,
        "telephone": "04 77 12 34 56",
        "horaires": "Mo-Su 00:00-24:00",
        "presentation_resume": "Ordinateurs en accès libre et aide aux démarches en ligne.",
        "date_maj": (AUJOURD_HUI - dt.timedelta(days=10)).isoformat(),
        "frais_a_charge": ["Gratuit"],
    },
    "douteux": {
        "nom": "Permanence numérique à confirmer",
        "adresse": "8 rue des Essais",
        "telephone": "04 77 00 00 01",
        "horaires": "Mo-Fr 09:00-12:00",
        "statut": "a_verifier",
        "a_verifier": ["horaires", "reseaux", "latitude", "longitude"],
        "reseaux": ["reseau-essai"],
        "date_maj": (AUJOURD_HUI - dt.timedelta(days=20)).isoformat(),
    },
    "reseau-a-confirmer": {
        "nom": "Espace dont seul le réseau est à confirmer",
        "adresse": "9 rue des Réseaux",
        "telephone": "04 77 00 00 03",
        "horaires": "Mo-Su 00:00-24:00",
        "a_verifier": ["reseaux"],
        "reseaux": ["reseau-essai"],
        "date_maj": AUJOURD_HUI.isoformat(),
    },
    "ancien": {
        "nom": "Atelier numérique ancien",
        "adresse": "5 rue Ancienne",
        "telephone": "04 77 00 00 02",
        "date_maj": "2022-03-12",
    },
    **{
        f"lieu-{n}": {
            "nom": f"Lieu numéro {n}",
            "adresse": f"{n} rue de la Liste",
            "latitude": 45.43 + n / 1000,
            "longitude": 4.39,
            "date_maj": AUJOURD_HUI.isoformat(),
        }
        for n in range(6)
    },
}


@pytest.fixture(scope="module")
def onglet(navigateur):
    """One browser tab shared by this module's tests."""
    yield from onglet_partage(navigateur)


@pytest.fixture(scope="module")
def url_site(tmp_path_factory):
    """The small site of this module, built with a public URL and served."""
    racine = tmp_path_factory.mktemp("telephone")
    (racine / "content" / "lieux").mkdir(parents=True)
    (racine / "content" / "reseaux").mkdir()
    (racine / "content" / "reseaux" / "reseau-essai.yaml").write_text(
        "nom: Réseau d'essai\n", encoding="utf-8"
    )
    for slug, champs in LIEUX.items():
        (racine / "content" / "lieux" / f"{slug}.yaml").write_text(
            yaml_entree({**COMMUN, **champs}), encoding="utf-8"
        )
    annuaire = {"nom": "Annuaire d'essai", "territoire": "Loire", "url_publique": URL_PUBLIQUE}
    code = construire_site_test(
        racine / "content", racine / "output", ANNUAIRE=annuaire, ANNUAIRE_DATE=AUJOURD_HUI.isoformat()
    )
    assert code == 0
    base, serveur = servir(racine / "output")
    yield base
    serveur.shutdown()
    serveur.server_close()


def dans_le_premier_ecran(page, selecteur: str) -> bool:
    """True when the first element matching `selecteur` is visible and ends above the screen's bottom."""
    element = page.locator(selecteur).first
    boite = element.bounding_box()
    return element.is_visible() and boite is not None and boite["y"] + boite["height"] <= TELEPHONE["height"]


def se_chevauchent(a: dict, b: dict) -> bool:
    """True when two bounding boxes overlap."""
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.browser
def test_une_fiche_repond_dans_le_premier_ecran(onglet, url_site):
    page = onglet.ouvrir(url_site, "/lieux/complet/", TELEPHONE)
    page.wait_for_selector(".badge-horaires[data-etat=ouvert]")
    assert page.locator(".badge-horaires").inner_text() == "Ouvert"
    for selecteur in (
        "h1",
        ".badge-horaires",
        ".fiche-boutons a[href^='tel:']",
        ".fiche-boutons a[href^='geo:']",
        ".fiche-osm a",
        ".fiche-adresse-courte",
        ".fiche-aides",
    ):
        assert dans_le_premier_ecran(page, selecteur), selecteur
    appeler = page.locator(".fiche-boutons a", has_text="Appeler")
    assert appeler.get_attribute("href") == "tel:+33477123456"
    assert appeler.bounding_box()["height"] >= 44  # a thumb's target
    assert (
        page.locator(".fiche-boutons a", has_text="Itinéraire")
        .get_attribute("href")
        .startswith("geo:45.43410,4.38920?q=")
    )
    assert (
        page.locator(".fiche-osm a")
        .get_attribute("href")
        .startswith("https://www.openstreetmap.org/directions?")
    )
    jour = page.evaluate("async () => (await import('/theme/js/horaires.js')).jourDeLaSemaine(new Date())")
    assert page.locator(".horaires-semaine tbody tr").nth(jour).get_attribute("aria-current") == "date"
    assert "(aujourd'hui)" in page.locator(".horaires-semaine tr[aria-current]").inner_text()
    assert page.locator(".horaires-semaine tr[aria-current]").count() == 1
    assert "format OpenStreetMap" not in page.content()
    assert onglet.erreurs == []


@pytest.mark.browser
def test_une_fiche_a_verifier_le_dit_en_mots_et_sans_badge_sur(onglet, url_site):
    page = onglet.ouvrir(url_site, "/lieux/douteux/", TELEPHONE)
    assert page.locator("[data-horaires]").count() == 0  # no "Ouvert" / "Fermé" computed
    assert page.locator(".badge-horaires").inner_text() == "Horaires à confirmer"
    bandeau = page.locator(".bandeau").first.inner_text()
    assert bandeau.startswith("À vérifier.") and "reseaux" not in bandeau
    assert "Informations pas encore confirmées : horaires, réseaux, position sur la carte." in bandeau
    assert page.locator("#titre-horaires").inner_text() == "Horaires (à confirmer)"
    assert page.locator("#titre-reseaux").inner_text() == "Réseaux (à confirmer)"
    assert dans_le_premier_ecran(page, ".fiche-boutons a[href^='tel:']")
    page = onglet.ouvrir(url_site, "/communes/saint-etienne-42/", TELEPHONE)
    carte = page.locator(".carte-lieu", has_text="Permanence numérique à confirmer")
    assert carte.locator(".etiquette--verifier").inner_text() == "À vérifier"
    assert page.locator(".etiquette--verifier").count() == 1


@pytest.mark.browser
def test_une_valeur_secondaire_a_confirmer_est_marquee_sans_retirer_le_badge(onglet, url_site):
    """Only the values needed to go there (address, hours, phone, position) make a place "à vérifier"."""
    page = onglet.ouvrir(url_site, "/lieux/reseau-a-confirmer/", TELEPHONE)
    page.wait_for_selector(".badge-horaires[data-etat=ouvert]")
    assert page.locator(".bandeau").count() == 0
    assert page.locator(".fiche-a-confirmer").inner_text() == "Informations pas encore confirmées : réseaux."
    assert page.locator("#titre-reseaux").inner_text() == "Réseaux (à confirmer)"


@pytest.mark.browser
def test_fraicheur_avec_la_date(onglet, url_site):
    page = onglet.ouvrir(url_site, "/lieux/ancien/", TELEPHONE)
    assert (
        page.locator(".bandeau--perime").inner_text()
        == "Informations du 12 mars 2022 : vérifiez avant de vous déplacer."
    )
    assert page.locator(".fiche-details").count() == 0  # no empty "Accès et accueil" heading


@pytest.mark.browser
def test_partager(onglet, url_site):
    page = onglet.ouvrir(url_site, "/lieux/complet/", TELEPHONE)
    page.locator(".partage summary").click()
    adresse = f"{URL_PUBLIQUE}/lieux/complet/"
    sms = page.locator(".partage a[href^='sms:']").get_attribute("href")
    assert sms.startswith("sms:?&body=") and "https%3A//annuaire.exemple.fr/lieux/complet/" in sms
    assert page.locator(".partage a[href^='mailto:']").is_visible()
    assert page.locator("[data-copier]").get_attribute("data-copier") == adresse
    assert not page.locator("#code-qr").is_visible()
    page.locator("[data-qr]").click()
    assert page.locator("#code-qr svg").is_visible() and adresse in page.locator("#code-qr").inner_text()


@pytest.mark.browser
def test_une_seule_boite_et_le_premier_resultat_dans_le_premier_ecran(onglet, url_site):
    page = onglet.ouvrir(url_site, "/recherche/?q=lieu", TELEPHONE)
    visibles = [e for e in page.locator("input[type=search]").all() if e.is_visible()]
    assert len(visibles) == 1 and visibles[0].input_value() == "lieu"
    assert dans_le_premier_ecran(page, "#liste-resultats li .carte-lieu-nom")


@pytest.mark.browser
@pytest.mark.parametrize(
    "chemin, panneau",
    [("/recherche/?q=lieu", "#repli-filtres"), ("/carte/", ".carte-filtres")],
)
def test_filtres_dans_un_panneau_voir_n_lieux(onglet, url_site, chemin, panneau):
    page = onglet.ouvrir(url_site, chemin, TELEPHONE)
    assert page.locator(panneau).get_attribute("open") is None  # folded on a phone
    assert dans_le_premier_ecran(page, f"{panneau} summary")
    page.locator(f"{panneau} summary").click()
    bouton = page.locator(f"{panneau} [data-voir]")
    compte = page.locator("#compte" if "recherche" in chemin else "#carte-compte")
    page.wait_for_function("(b) => /^Voir \\d/.test(b.textContent)", arg=bouton.element_handle())
    n = int(re.sub(r"\D", "", compte.inner_text().split("lieu")[0]))
    assert n > 1 and bouton.inner_text() == f"Voir {n} lieux"
    assert dans_le_premier_ecran(page, f"{panneau} [data-voir]")  # sticky at the bottom of the screen
    bouton.click()
    assert page.locator(panneau).get_attribute("open") is None
    assert onglet.erreurs == []


@pytest.mark.browser
@pytest.mark.parametrize("chemin", ["/lieux/ancien/", "/lieux/douteux/"])
def test_l_impression_nomme_l_annuaire_et_le_qr_ne_chevauche_rien(onglet, url_site, chemin):
    page = onglet.ouvrir(url_site, chemin)
    page.emulate_media(media="print")
    texte = page.locator("main").inner_text()
    assert f"Annuaire d'essai – Loire : {URL_PUBLIQUE}/" in texte
    qr = page.locator(".fiche-qr")
    assert qr.is_visible() and f"{URL_PUBLIQUE}{chemin}" in qr.inner_text().replace("\n", "")
    boite = qr.bounding_box()
    for element in page.locator(".fiche-entete > :not(.fiche-qr), .bandeau").all():
        if element.is_visible():
            assert not se_chevauchent(boite, element.bounding_box()), element.inner_text()[:60]
    assert "localhost" not in texte


@pytest.mark.browser
def test_une_liste_imprimee_nomme_l_annuaire(onglet, url_site):
    page = onglet.ouvrir(url_site, "/communes/saint-etienne-42/")
    page.emulate_media(media="print")
    texte = page.locator("main").inner_text()
    assert f"Annuaire d'essai – Loire : {URL_PUBLIQUE}/" in texte
    assert f"Liste à jour en ligne : {URL_PUBLIQUE}/communes/saint-etienne-42/" in texte


@pytest.mark.browser
def test_fiche_d_orientation_remplie_et_imprimee(onglet, url_site):
    page = onglet.ouvrir(url_site, "/lieux/complet/", TELEPHONE)
    page.wait_for_load_state("networkidle")
    requetes = []  # what the page asks for while the box is filled and printed (the icon aside: late)
    page.on("request", lambda r: None if r.url.endswith("/favicon.svg") else requetes.append(r.url))
    page.locator(".orientation summary").click()
    page.fill("#orientation-personne", "Mme Martin")
    page.fill("#orientation-rdv", "mardi 12 mars à 14 h")
    page.fill("#orientation-par", "M. Durand, CCAS, 04 77 00 00 00")
    page.emulate_media(media="print")
    boite = page.locator(".orientation")
    assert boite.is_visible() and page.locator(".orientation-titre").inner_text() == "Fiche d'orientation"
    assert page.locator("#orientation-personne").input_value() == "Mme Martin"
    assert page.locator("#orientation-personne").is_visible()
    assert requetes == []  # nothing sent anywhere
    page.emulate_media(media="screen")


@pytest.mark.browser
def test_modules_purs_du_panneau_et_du_jour(onglet, url_site):
    page = onglet.ouvrir(url_site, "/lieux/complet/")
    resultat = page.evaluate(
        """async () => {
             const p = await import("/theme/js/panneau-donnees.js");
             const h = await import("/theme/js/horaires.js");
             return {
               nombres: ["22 lieux trouvés pour « atelier »", "1\u202f234 lieux dans cette zone de la carte",
                         "Aucun lieu trouvé", ""].map(p.nombreDans),
               textes: [0, 1, 2, 1234].map(p.texteVoir),
               boutons: ["Aucun lieu trouvé. Essayez un autre mot.",
                         "Tapez un mot ou cochez un filtre pour voir les lieux.",
                         "3 lieux trouvés avec 2 filtres", ""].map(p.texteBouton),
               // Sunday 23:30 UTC is already Monday in Paris (UTC+1 in winter): row 0.
               jours: ["2024-01-14T23:30:00Z", "2024-01-14T12:00:00Z"]
                 .map((t) => h.jourDeLaSemaine(new Date(t))),
             };
           }"""
    )
    assert resultat["nombres"] == [22, 1234, 0, 0]
    assert resultat["textes"] == [
        "Aucun lieu : changez les filtres",
        "Voir 1 lieu",
        "Voir 2 lieux",
        "Voir 1\u202f234 lieux",
    ]
    assert resultat["jours"] == [0, 6]
    assert resultat["boutons"] == [
        "Aucun lieu : changez les filtres",
        "Voir les lieux",
        "Voir 3 lieux",
        "Voir les lieux",
    ]
