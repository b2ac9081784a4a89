"""The map: its compact GeoJSON, the commune lookup, the libraries, and the pages in a browser.

Browser tests build the small site of tests/carte/ (ten places: eight on the map, one without
coordinates, one closed for good) and serve it, and a blank tile, on 127.0.0.1 only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import struct
import sys
import zlib
from pathlib import Path

import pytest
from annuaire.directory import construire_annuaire
from annuaire.domain.facettes import GENRES, genre_lieu, valeurs_facettes
from annuaire.domain.model import Lieu
from annuaire.outputs import carte_tuiles
from annuaire.outputs.carte import (
    BIBLIOTHEQUES,
    BibliothequesAbsentes,
    communes_carte,
    copier_bibliotheques,
    donnees_carte,
    en_json,
    fichiers_carte,
    sur_la_carte,
)
from conftest import RACINE, servir

FIXTURE = RACINE / "tests" / "carte"
NOMS_RESEAUX = {"reseau-carte": "Réseau de la carte"}
VUE_FRANCE = "vue=46.5,2.5,5"


def lieu(slug: str, **champs) -> Lieu:
    """A place on the map in Saint-Étienne; keyword arguments override fields."""
    base = dict(
        id=slug,
        slug=slug,
        nom=slug.title(),
        adresse="1 rue A",
        code_postal="42000",
        commune="Saint-Étienne",
        latitude=45.4397123,
        longitude=4.3872456,
        services=["Aide aux démarches administratives"],
        frais_a_charge=["Gratuit"],
    )
    base.update(champs)
    return Lieu(**base)


def annuaire_fixture():
    """The places and networks of tests/carte/."""
    return construire_annuaire(FIXTURE / "content", FIXTURE, dt.date(2024, 1, 15))


# --- donnees_carte -----------------------------------------------------------------------------


def test_seuls_les_lieux_places_et_ouverts_sont_sur_la_carte():
    lieux = [
        lieu("b"),
        lieu("a"),
        lieu("sans", latitude=None, longitude=None),
        lieu("ferme", statut="ferme_definitivement"),
        lieu("pause", statut="ferme_temporairement"),
    ]
    donnees = donnees_carte(lieux, {})
    assert [f["properties"]["u"] for f in donnees["features"]] == ["lieux/a/", "lieux/b/", "lieux/pause/"]
    assert donnees["features"][2]["properties"]["s"] == "ferme_temporairement"
    assert "s" not in donnees["features"][0]["properties"]


def test_feature_compacte_et_arrondie():
    feature = donnees_carte([lieu("a")], {})["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.38725, 45.43971]}
    assert set(feature["properties"]) == {"n", "a", "cp", "u", "g", "f"}
    assert feature["properties"]["n"] == "A" and feature["properties"]["cp"] == "42000"


def test_facettes_encodees_par_index_et_decodables():
    lieux = annuaire_fixture().lieux
    donnees = donnees_carte(lieux, NOMS_RESEAUX)
    valeurs = donnees["valeurs"]
    par_url = {f"lieux/{x.slug}/": x for x in lieux}
    for feature in donnees["features"]:
        original = par_url[feature["properties"]["u"]]
        decode: dict[str, list[str]] = {}
        for i in feature["properties"]["f"]:
            decode.setdefault(valeurs[i][0], []).append(valeurs[i][1])
        attendu = valeurs_facettes(original, NOMS_RESEAUX)
        assert {k: sorted(v) for k, v in decode.items()} == {k: sorted(v) for k, v in attendu.items()}
        assert donnees["genres"][feature["properties"]["g"]][0] == genre_lieu(original)


def test_dictionnaire_dans_l_ordre_des_facettes_et_des_valeurs():
    lieux = [
        lieu("a", frais_a_charge=["Payant"]),
        lieu("b", frais_a_charge=["Gratuit"]),
        lieu("c", frais_a_charge=["Gratuit sous condition"], commune="Andrézieux"),
    ]
    valeurs = donnees_carte(lieux, {})["valeurs"]
    assert [v for k, v in valeurs if k == "frais"] == ["Gratuit", "Gratuit sous condition", "Payant"]
    assert [v for k, v in valeurs if k == "commune"] == ["Andrézieux", "Saint-Étienne"]
    assert valeurs.index(["commune", "Andrézieux"]) < valeurs.index(["services", lieux[0].services[0]])


def test_genres_et_facettes_annonces_dans_le_fichier():
    donnees = donnees_carte([lieu("a", typologie=["EPN"])], {})
    assert [cle for cle, _ in donnees["genres"]] == list(GENRES)
    assert donnees["facettes"][0] == ["commune", "Commune"]
    assert donnees["type"] == "FeatureCollection" and "u" in donnees["proprietes"]


def test_deterministe_quel_que_soit_l_ordre():
    lieux = annuaire_fixture().lieux
    melanges = list(lieux)
    random.Random(4).shuffle(melanges)
    texte = en_json(donnees_carte(lieux, NOMS_RESEAUX))
    assert texte == en_json(donnees_carte(melanges, NOMS_RESEAUX))
    assert texte == json.dumps(json.loads(texte), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert "Médiathèque" in texte and texte.endswith("}\n")


def test_json_sans_balise_html():
    texte = en_json(donnees_carte([lieu("a", nom="<script>alert(1)</script> & co")], {}))
    assert "<" not in texte and ">" not in texte and "&" not in texte
    assert json.loads(texte)["features"][0]["properties"]["n"] == "<script>alert(1)</script> & co"


# --- communes_carte ---------------------------------------------------------------------------


def test_communes_par_nom_et_code_postal_au_centre_des_lieux():
    lieux = [
        lieu("a", latitude=45.0, longitude=4.0),
        lieu("b", latitude=46.0, longitude=5.0),
        lieu("c", commune="Saint-Etienne", latitude=45.5, longitude=4.5),
        lieu("d", code_postal="42100", latitude=45.42, longitude=4.40),
        lieu("e", commune="Nancy", code_postal="54000", latitude=None, longitude=None),
    ]
    communes = communes_carte(lieux)
    assert communes["champs"] == ["nom", "code_postal", "latitude", "longitude"]
    assert communes["communes"] == [
        ["Saint-Étienne", "42000", 45.5, 4.5],
        ["Saint-Étienne", "42100", 45.42, 4.4],
    ]


# --- copier_bibliotheques ---------------------------------------------------------------------


def faux_node_modules(dossier: Path) -> Path:
    """A node_modules holding every file the map needs (one byte each)."""
    for source, _ in BIBLIOTHEQUES:
        chemin = dossier / source
        if chemin.suffix:
            chemin.parent.mkdir(parents=True, exist_ok=True)
            chemin.write_bytes(b"x")
        else:
            chemin.mkdir(parents=True, exist_ok=True)
            (chemin / "layers.png").write_bytes(b"png")
    return dossier


def test_copie_des_bibliotheques(tmp_path):
    node_modules = faux_node_modules(tmp_path / "node_modules")
    sortie = tmp_path / "sortie"
    assert copier_bibliotheques(node_modules, sortie) == len(BIBLIOTHEQUES)
    vendor = sortie / "theme" / "vendor"
    assert (vendor / "leaflet" / "leaflet.js").read_bytes() == b"x"
    assert (vendor / "leaflet" / "images" / "layers.png").is_file()
    assert (vendor / "supercluster" / "supercluster.min.js").is_file()
    assert copier_bibliotheques(node_modules, sortie) == 0  # unchanged files are not rewritten


def test_bibliotheques_absentes_message_clair(tmp_path):
    with pytest.raises(BibliothequesAbsentes, match="npm ci"):
        copier_bibliotheques(tmp_path / "node_modules", tmp_path / "sortie")


# --- the built site, in a browser --------------------------------------------------------------


def png_blanc() -> bytes:
    """A 1×1 white PNG: the local tile of every test."""

    def bloc(genre: bytes, donnees: bytes) -> bytes:
        return (
            struct.pack(">I", len(donnees)) + genre + donnees + struct.pack(">I", zlib.crc32(genre + donnees))
        )

    entete = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + bloc(b"IHDR", entete)
        + bloc(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + bloc(b"IEND", b"")
    )


def construire(sortie: Path, tuiles: str, siteurl: str = "") -> None:
    """Build tests/carte/ with Pelican into `sortie` (tiles from `tuiles`)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    annuaire = {
        "nom": "Annuaire d'essai",
        "territoire": "Essai",
        "carte_centre": (45.44, 4.39),
        "carte_zoom": 13,
        "tuiles_url": tuiles,
        "tuiles_attribution": "Fond de test",
    }
    override = {
        "PATH": str(FIXTURE / "content"),
        "OUTPUT_PATH": str(sortie),
        "SITEURL": siteurl,
        "ANNUAIRE_DATE": "2024-01-15",
        "ANNUAIRE": annuaire,
        "ANNUAIRE_NODE_MODULES": str(RACINE / "node_modules"),
    }
    Pelican(read_settings(str(RACINE / "pelicanconf.py"), override=override)).run()


def arreter(serveur) -> None:
    """Stop a test server and close its socket."""
    serveur.shutdown()
    serveur.server_close()


@pytest.fixture(scope="module")
def tuiles(tmp_path_factory):
    """A blank tile served on 127.0.0.1; the tile URL template."""
    dossier = tmp_path_factory.mktemp("tuiles")
    (dossier / "tuile.png").write_bytes(png_blanc())
    base, serveur = servir(dossier)
    yield f"{base}/tuile.png?{{z}}/{{x}}/{{y}}"
    arreter(serveur)


def site_servi(tmp_path_factory, tuiles: str, siteurl: str):
    """Build the fixture site under `siteurl` and serve it; yields the site's base URL."""
    if not (RACINE / "node_modules" / "leaflet").is_dir():
        pytest.fail("node_modules absent : lancez « npm ci » (make test le fait)")
    racine = tmp_path_factory.mktemp("site")
    construire(racine / siteurl.strip("/"), tuiles, siteurl)
    base, serveur = servir(racine)
    return f"{base}{siteurl}", serveur


@pytest.fixture(scope="module")
def site(navigateur, tmp_path_factory, tuiles):
    """The fixture site at the root of its server."""
    base, serveur = site_servi(tmp_path_factory, tuiles, "")
    yield base
    arreter(serveur)


@pytest.fixture(scope="module")
def site_sous_dossier(navigateur, tmp_path_factory, tuiles):
    """The fixture site under /sous-dossier."""
    base, serveur = site_servi(tmp_path_factory, tuiles, "/sous-dossier")
    yield base
    arreter(serveur)


class Onglet:
    """A browser page that records console errors, page errors and requests off 127.0.0.1."""

    def __init__(self, navigateur, **options):
        self.contexte = navigateur.new_context(**options)
        self.page = self.contexte.new_page()
        self.erreurs: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.erreurs.append(str(e)))
        self.page.on("requestfailed", self._echec)
        self.page.on("request", self._local_seulement)

    def _console(self, message):
        adresse = message.location.get("url", "")
        if message.type == "error" and not adresse.endswith("/favicon.ico"):  # the theme has no icon yet
            self.erreurs.append(f"{message.text} ({adresse})")

    def _echec(self, requete):
        if requete.failure != "net::ERR_ABORTED":  # leaving a page cancels its pending tiles
            self.erreurs.append(f"échec : {requete.url} ({requete.failure})")

    def _local_seulement(self, requete):
        if not requete.url.startswith(("http://127.0.0.1:", "data:")):
            self.erreurs.append(f"requête externe : {requete.url}")

    def carte(self, url: str):
        """Open a map page and wait until it is ready."""
        self.page.goto(url)
        self.page.wait_for_selector("#carte-page[data-etat=prete]")
        return self.page


@pytest.fixture
def onglet(navigateur):
    """A fresh browser context per test."""
    ouverts: list[Onglet] = []

    def ouvrir(**options) -> Onglet:
        ouverts.append(Onglet(navigateur, **options))
        return ouverts[-1]

    yield ouvrir
    for o in ouverts:
        o.contexte.close()


def attendre(page, condition: str, secondes: float = 10) -> None:
    """Wait until a JavaScript condition holds (polled from here: the page's CSP forbids the eval
    of wait_for_function's polling)."""
    for _ in range(int(secondes / 0.05)):
        if page.evaluate(condition):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"toujours faux : {condition}")


def lieux_atteignables(page) -> int:
    """Places reachable from the markers drawn: each group's count plus single places."""
    groupes = page.eval_on_selector_all(".carte-groupe", "els => els.map(e => Number(e.dataset.nombre))")
    return sum(groupes) + page.locator(".carte-repere").count()


def sur_la_carte_fixture() -> list[Lieu]:
    """The fixture's places that the map must show."""
    return [x for x in annuaire_fixture().lieux if sur_la_carte(x)]


@pytest.mark.browser
def test_page_carte_sans_erreur_et_tous_les_lieux_atteignables(site, onglet):
    o = onglet()
    page = o.carte(f"{site}/carte/?{VUE_FRANCE}")
    attendus = len(sur_la_carte_fixture())
    assert attendus == 8
    assert lieux_atteignables(page) == attendus
    assert page.locator("#carte-compte").get_attribute("data-nombre") == str(attendus)
    assert page.locator("#carte-liste > li").count() == attendus
    assert page.locator(".leaflet-tile-loaded").count() > 0
    assert "Fond de test" in page.locator(".leaflet-control-attribution").inner_text()
    assert o.erreurs == []


@pytest.mark.browser
def test_donnees_publiees_a_une_adresse_stable(site, onglet):
    page = onglet().page
    reponse = page.goto(f"{site}/donnees/carte.geojson")
    assert reponse.ok and len(json.loads(reponse.text())["features"]) == 8
    assert page.goto(f"{site}/donnees/communes.json").ok
    assert page.goto(f"{site}/theme/vendor/leaflet/leaflet.css").ok


@pytest.mark.browser
def test_filtre_change_marqueurs_liste_et_url(site, onglet):
    o = onglet()
    page = o.carte(f"{site}/carte/?{VUE_FRANCE}")
    page.locator(".carte-filtres summary").click()
    payant = page.locator("fieldset[data-facette=frais] input[value=Payant]")
    assert "(1)" in payant.locator("xpath=..").inner_text()
    payant.check()
    attendre(page, "document.querySelector('#carte-compte').dataset.nombre === '1'")
    assert lieux_atteignables(page) == 1
    assert page.locator("#carte-liste a").inner_text() == "Association de Beaubrun"
    assert "frais=Payant" in page.url
    assert "1 filtre actif" in page.locator("#carte-filtres-actifs").inner_text()
    assert o.erreurs == []


@pytest.mark.browser
def test_filtres_lus_dans_l_url(site, onglet):
    o = onglet()
    page = o.carte(f"{site}/carte/?services=Aide+aux+d%C3%A9marches+administratives&{VUE_FRANCE}")
    assert lieux_atteignables(page) == 4
    assert page.locator("#carte-compte").get_attribute("data-nombre") == "4"
    page.locator(".carte-filtres summary").click()  # the checkboxes are built on first opening
    aide = "fieldset[data-facette=services] input[value='Aide aux démarches administratives']"
    assert page.locator(aide).is_checked()
    # Within a facet choices add up; a second facet narrows.
    page.locator("fieldset[data-facette=services] input[value='Loisirs et créations numériques']").check()
    attendre(page, "document.querySelector('#carte-compte').dataset.nombre === '5'")
    page.locator("fieldset[data-facette=commune] input[value=Nancy]").check()
    attendre(page, "document.querySelector('#carte-compte').dataset.nombre === '1'")
    assert lieux_atteignables(page) == 1
    assert o.erreurs == []


@pytest.mark.browser
def test_popup_au_clavier_mene_a_la_bonne_fiche(site, onglet):
    o = onglet()
    page = o.carte(f"{site}/carte/?vue=45.44312,4.37451,17")
    repere = page.locator(".carte-repere[data-lieu='lieux/association-beaubrun/']")
    assert repere.get_attribute("tabindex") == "0" and repere.get_attribute("role") == "button"
    repere.focus()
    page.keyboard.press("Enter")
    lien = page.locator(".leaflet-popup-content a")
    lien.wait_for()
    assert lien.get_attribute("href") == "/lieux/association-beaubrun/"
    assert "Compréhension du monde numérique" in page.locator(".leaflet-popup-content").inner_text()
    assert lien.evaluate("a => a === document.activeElement")
    lien.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Association de Beaubrun"
    assert o.erreurs == []


@pytest.mark.browser
def test_tab_passe_d_un_marqueur_a_l_autre(site, onglet):
    page = onglet().carte(f"{site}/carte/?vue=45.44,4.39,14")
    premier = page.locator(".leaflet-marker-pane [tabindex='0']").first
    premier.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.leaflet-marker-pane') !== null")
    etiquettes = page.eval_on_selector_all(
        ".leaflet-marker-pane [role=button]", "els => els.map(e => e.ariaLabel)"
    )
    assert all(etiquettes) and any("Tiers-lieu du Mixeur" in e for e in etiquettes)


@pytest.mark.browser
def test_lieux_a_la_meme_adresse_listes_dans_un_popup(site, onglet):
    o = onglet()
    page = o.carte(f"{site}/carte/?vue=45.439712,4.387213,19")
    groupe = page.locator(".carte-groupe[data-nombre='2']")
    groupe.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content li").first.wait_for()
    hrefs = page.eval_on_selector_all(
        ".leaflet-popup-content a", "els => els.map(a => a.getAttribute('href'))"
    )
    assert sorted(hrefs) == ["/lieux/epn-centre-bis/", "/lieux/epn-centre/"]
    assert o.erreurs == []


@pytest.mark.browser
def test_autour_de_moi_trie_par_distance(site, onglet):
    o = onglet(geolocation={"latitude": 45.4584, "longitude": 4.4026}, permissions=["geolocation"])
    page = o.carte(f"{site}/carte/")
    page.get_by_role("button", name="Autour de moi").click()
    page.wait_for_selector(".carte-lieu-distance")
    premier = page.locator("#carte-liste > li").first
    assert "Centre social de Montreynaud" in premier.inner_text()
    assert "à " in premier.locator(".carte-lieu-distance").inner_text()
    assert "votre position" in page.locator("#carte-message").inner_text()
    assert o.erreurs == []


@pytest.mark.browser
def test_commune_ou_code_postal_centre_la_carte(site, onglet):
    from playwright.sync_api import expect

    o = onglet()
    page = o.carte(f"{site}/carte/")
    page.locator("#carte-saisie").press_sequentially("nan")
    page.wait_for_selector("#carte-suggestions option[value='Nancy (54000)']", state="attached")
    page.fill("#carte-saisie", "3 avenue des Livres, 54000 NANCY")
    page.keyboard.press("Enter")
    # Python-side polling (expect, locators): a polled string predicate would be eval'd in the
    # page, which its CSP refuses once the lookup's files take a moment to arrive.
    expect(page).to_have_url(re.compile(r"vue=48\.69"))
    assert "Nancy" in page.locator("#carte-message").inner_text()
    assert "France Services de Nancy" in page.locator("#carte-liste").inner_text()
    page.fill("#carte-saisie", "saint etienne")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"vue=45\.4"))
    page.fill("#carte-saisie", "Trifouilly")
    page.keyboard.press("Enter")
    page.locator("#carte-message", has_text="Aucune commune").wait_for()
    # every French commune is known (the referential), with or without places of its own
    page.fill("#carte-saisie", "Firminy")
    page.keyboard.press("Enter")
    page.locator("#carte-message", has_text="à Firminy :").wait_for()
    assert "département" in page.locator("#carte-message").inner_text()
    page.fill("#carte-saisie", "29200")  # Brest: no place in Finistère
    page.keyboard.press("Enter")
    page.locator("#carte-message", has_text="ni dans son département").wait_for()
    assert o.erreurs == []


@pytest.mark.browser
def test_mini_carte_centree_sur_le_lieu(site, onglet):
    o = onglet()
    page = o.page
    page.goto(f"{site}/lieux/tiers-lieu-mixeur/")
    point = page.locator(".mini-carte-zone .mini-carte-point")
    point.wait_for()
    zone = page.locator(".mini-carte-zone").bounding_box()
    repere = point.bounding_box()
    assert abs((zone["x"] + zone["width"] / 2) - (repere["x"] + repere["width"] / 2)) <= 2
    assert abs((zone["y"] + zone["height"] / 2) - (repere["y"] + repere["height"] / 2)) <= 2
    lien = page.get_by_role("link", name="Voir sur la carte")
    assert lien.get_attribute("href") == "/carte/?vue=45.43051,4.39882,17"
    assert o.erreurs == []


@pytest.mark.browser
def test_mini_carte_des_communes_et_reseaux_seulement(site, onglet):
    o = onglet()
    page = o.page
    page.goto(f"{site}/reseaux/reseau-carte/")
    page.locator(".mini-carte-zone .mini-carte-point").first.wait_for()
    assert page.locator(".mini-carte-point").count() == 2
    lien = page.get_by_role("link", name="Voir sur la carte (2 lieux)")
    assert lien.get_attribute("href") == "/carte/?reseau=R%C3%A9seau%20de%20la%20carte"
    lien.click()
    page.wait_for_selector("#carte-page[data-etat=prete]")
    assert lieux_atteignables(page) == 2
    page.goto(f"{site}/communes/nancy-54/")
    assert page.locator(".mini-carte-zone").count() == 1
    page.goto(f"{site}/services/")
    assert page.locator(".mini-carte").count() == 0
    assert o.erreurs == []


@pytest.mark.browser
def test_sans_javascript_des_liens_et_pas_de_boite_vide(site, onglet):
    page = onglet(java_script_enabled=False).page
    page.goto(f"{site}/carte/")
    assert not page.locator("#carte-page").is_visible()
    assert page.get_by_role("link", name="les lieux par commune").is_visible()
    page.goto(f"{site}/lieux/epn-centre/")
    assert not page.locator(".mini-carte-zone").is_visible()
    assert page.get_by_role("link", name="Voir sur la carte").is_visible()


@pytest.mark.browser
def test_carte_depuis_un_sous_dossier(site_sous_dossier, onglet):
    o = onglet()
    page = o.carte(f"{site_sous_dossier}/carte/?{VUE_FRANCE}")
    assert lieux_atteignables(page) == 8
    assert page.locator("#carte-liste a").first.get_attribute("href").startswith("/sous-dossier/lieux/")
    page.goto(f"{site_sous_dossier}/lieux/epn-centre/")
    page.locator(".mini-carte-point").wait_for()
    assert o.erreurs == []


# --- Map data by area (carte_tuiles) on a generated directory ------------------------------------

VILLES = ((48.8566, 2.3522), (45.764, 4.8357), (43.2965, 5.3698), (45.4397, 4.3872), (50.6292, 3.0573))
SERVICES = (
    "Aide aux démarches administratives",
    "Loisirs et créations numériques",
    "Accès internet et matériel informatique",
)
GRAND = 3_000


def lieux_generes(nombre: int = GRAND, graine: int = 7) -> list[Lieu]:
    """A deterministic directory over mainland France: two thirds around five cities, one in five paying."""
    hasard = random.Random(graine)
    lieux = []
    for k in range(nombre):
        if k % 3:
            lat, lon = VILLES[k % len(VILLES)]
            lat, lon = lat + hasard.gauss(0, 0.08), lon + hasard.gauss(0, 0.08)
        else:
            lat, lon = hasard.uniform(43.0, 50.5), hasard.uniform(-1.5, 7.5)
        frais = ["Payant"] if k % 5 == 0 else ["Gratuit"]
        lieux.append(
            lieu(
                f"lieu-{k:05d}",
                latitude=lat,
                longitude=lon,
                commune=f"Commune {k % 300}",
                code_postal=f"{10000 + k % 300:05d}",
                services=[SERVICES[k % 3]],
                frais_a_charge=frais,
            )
        )
    return lieux


def _plage_groupe(feuilles: list, groupe: list, niveau: int) -> range:
    """A group's run of numbers, derived from the leaves as carte-donnees.js does."""
    _lat, _lon, n, x, y, decalage = groupe
    c0, c1 = carte_tuiles._plage(x, y, niveau)
    dedans = [
        f
        for f in feuilles
        if carte_tuiles._plage(f[1], f[2], f[0])[1] > c0 and carte_tuiles._plage(f[1], f[2], f[0])[0] < c1
    ]
    debut = dedans[0][3] + decalage if decalage >= 0 else dedans[0][3]
    return range(debut, debut + n)


def test_tuiles_couvrent_chaque_lieu_une_fois_a_chaque_zoom():
    lieux = lieux_generes()
    fichiers = {chemin: json.loads(texte) for chemin, texte in fichiers_carte(lieux, {}).items()}
    index = fichiers["donnees/carte/index.json"]
    feuilles = index["feuilles"]
    assert [f[3] for f in feuilles] == [sum(f[4] for f in feuilles[:i]) for i in range(len(feuilles))]
    assert sum(f[4] for f in feuilles) == GRAND and max(f[4] for f in feuilles) <= carte_tuiles.FEUILLE_MAX
    ordre = [lieu_ for lieu_ in sorted(lieux, key=carte_tuiles.cle_carte)]
    for z, x, y, debut, n in feuilles:  # each leaf holds its own square's places, in number order
        c0, c1 = carte_tuiles._plage(x, y, z)
        assert all(c0 <= carte_tuiles.code(p) < c1 for p in ordre[debut : debut + n])
        enregistres = fichiers[f"donnees/carte/feuilles/{z}-{x}-{y}.json"]["lieux"]
        assert [(p[2], p[7]) for p in enregistres] == [
            (p.nom, list(GENRES).index(genre_lieu(p))) for p in ordre[debut : debut + n]
        ]
    for zoom in range(carte_tuiles.ZOOM_MIN, carte_tuiles.ZOOM_DETAIL):
        prefixe = f"donnees/carte/z/{zoom}/"
        plages = [
            _plage_groupe(feuilles, g, zoom + carte_tuiles.ECART_GROUPE)
            for chemin, contenu in fichiers.items()
            if chemin.startswith(prefixe)
            for g in contenu["groupes"]
        ]
        for chemin, contenu in fichiers.items():  # a group's centre is its places' centre
            if chemin.startswith(prefixe):
                for g in contenu["groupes"]:
                    dedans = ordre[_plage_groupe(feuilles, g, zoom + carte_tuiles.ECART_GROUPE).start :][
                        : g[2]
                    ]
                    assert abs(g[0] - sum(p.latitude for p in dedans) / g[2]) < 1e-4
        numeros = sorted(n for p in plages for n in p)
        assert numeros == list(range(GRAND)), zoom  # every place once at every zoom


def test_facettes_par_plages_ou_bitmap():
    assert carte_tuiles.membres([3, 4, 5, 9], 10_000) == [3, 3, 3, 1]
    bitmap = carte_tuiles.membres(list(range(0, 600, 2)), 600)
    assert bitmap.startswith("b") and len(bitmap) < 120
    lieux = lieux_generes(600)
    frais = json.loads(fichiers_carte(lieux, {})["donnees/carte/facettes/frais.json"])
    assert frais["valeurs"] == ["Gratuit", "Payant"]


def test_une_fiche_changee_ne_reecrit_que_ses_tuiles():
    lieux = lieux_generes()
    avant = fichiers_carte(lieux, {})
    lieux[1] = dataclasses.replace(lieux[1], nom="Nom changé")
    apres = fichiers_carte(lieux, {})
    changes = sorted(c for c in apres if apres[c] != avant.get(c))
    assert changes == ["donnees/carte.geojson", next(c for c in changes if "/feuilles/" in c)]
    ajout = fichiers_carte([*lieux, lieu("nouveau", latitude=45.44, longitude=4.39)], {})
    reecrits = [c for c in ajout if ajout[c] != apres.get(c)]
    assert len(reecrits) < 0.2 * len(ajout)  # not every group whose numbers shifted


@pytest.fixture(scope="module")
def site_genere(navigateur, tmp_path_factory):
    """The map page alone (bench/carte.py's writer) for the generated directory, served."""
    sys.path.insert(0, str(RACINE / "bench"))
    import carte as banc_carte

    dossier = tmp_path_factory.mktemp("carte-grande")
    banc_carte.ecrire_site(lieux_generes(), dossier)
    base, serveur = servir(dossier)
    yield base
    arreter(serveur)


def erreurs_carte(o) -> list[str]:
    """The tab's errors, less the files that bench/carte.py's map-only site lacks (the territory's
    style, the service worker, the days' open places); any error about the map's data stays."""
    return [e for e in o.erreurs if "/donnees/carte" in e or not ("404" in e or "bad HTTP response" in e)]


DONNEES_JS = """() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/donnees/'))
  .reduce((total, e) => total + e.decodedBodySize, 0)"""
CLS_JS = """window.__cls = 0;
new PerformanceObserver((liste) => {
  for (const e of liste.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
}).observe({ type: "layout-shift", buffered: true });"""


@pytest.mark.browser
@pytest.mark.parametrize("vue", ["", "?vue=46.6,2.5,6", "?vue=48.8566,2.3522,13", "?vue=45.764,4.8357,9"])
def test_premiere_vue_legere_sur_un_grand_annuaire(site_genere, onglet, vue):
    o = onglet(viewport={"width": 390, "height": 844})
    page = o.carte(f"{site_genere}/carte/{vue}")
    assert page.evaluate(DONNEES_JS) <= 100_000  # bytes of data, uncompressed
    assert 0 < page.locator("#carte-liste > li").count() <= 50
    assert lieux_atteignables(page) > 0 and erreurs_carte(o) == []


@pytest.mark.browser
def test_filtre_et_liste_sur_un_grand_annuaire(site_genere, onglet):
    o = onglet(viewport={"width": 1280, "height": 900})
    page = o.carte(f"{site_genere}/carte/?vue=46.8,3,5")
    assert lieux_atteignables(page) == GRAND
    page.locator(".carte-filtres summary").click()
    payant = page.locator("fieldset[data-facette=frais] input[value=Payant]")
    assert f"({GRAND // 5})" in payant.locator("xpath=..").inner_text()
    payant.check()
    attendre(page, f"document.querySelector('#carte-compte').dataset.nombre === '{GRAND // 5}'")
    assert lieux_atteignables(page) == GRAND // 5
    page.goto(f"{site_genere}/carte/?frais=Payant&vue=48.8566,2.3522,13")  # Paris, detail zoom
    page.wait_for_selector("#carte-page[data-etat=prete]")
    liste = page.eval_on_selector_all("#carte-liste a", "els => els.map((a) => a.getAttribute('href'))")
    payants = {f"/lieux/{x.slug}/" for x in lieux_generes() if x.frais_a_charge == ["Payant"]}
    assert liste and set(liste) <= payants
    assert lieux_atteignables(page) == int(page.locator("#carte-compte").get_attribute("data-nombre"))
    assert erreurs_carte(o) == []


@pytest.mark.browser
def test_autour_de_moi_sur_un_grand_annuaire(site_genere, onglet):
    o = onglet(geolocation={"latitude": 43.2965, "longitude": 5.3698}, permissions=["geolocation"])
    page = o.carte(f"{site_genere}/carte/?vue=46.6,2.5,6")
    page.get_by_role("button", name="Autour de moi").click()
    page.wait_for_selector(".carte-lieu-distance")
    distances = page.eval_on_selector_all(".carte-lieu-distance", "els => els.map((e) => e.textContent)")
    metres = [float(d.split()[1].replace(",", ".")) * (1000 if d.endswith("km") else 1) for d in distances]
    assert metres and metres == sorted(metres)
    assert erreurs_carte(o) == []


@pytest.mark.browser
def test_carte_sans_decalage_de_mise_en_page(site_genere, onglet):
    o = onglet(viewport={"width": 390, "height": 844})
    o.contexte.add_init_script(CLS_JS)
    page = o.carte(f"{site_genere}/carte/")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__cls") <= 0.05
