"""The "Proposer un lieu" form on a 390 × 844 phone: messages on the fields, styled inputs, big
boxes, and a way to send the entry with or without a GitHub account (mailto:, pull request, or
clear words when the settings give neither)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from aide_navigateur import onglet_partage, violations_axe
from annuaire.directory import construire_annuaire
from conftest import RACINE, construire_site_test, en_service

pytestmark = pytest.mark.browser
TELEPHONE = {"width": 390, "height": 844}
MAUVAIS = {
    "f-telephone": ("04.77.12.34.5", "« 04.77.12.34.5 » n'est pas un numéro attribué"),
    "f-courriel": ("marie.dupont@gmail", "« marie.dupont@gmail » n'est pas une adresse e-mail valide"),
    "f-site": ("exemple.fr", "« exemple.fr » : n'est pas une adresse web http:// ou https://"),
    "f-horaires": ("lundi 9h-12h", "proposition : « Mo 09:00-12:00 »"),
}
BONS = {
    "f-nom": "Espace « Test » & Cie",
    "f-adresse": "3 rue du Formulaire",
    "f-code_postal": "42000",
    "f-commune": "Saint-Étienne",
    "f-source": "Le lieu lui-même",
}


@pytest.fixture(scope="module")
def onglet(navigateur):
    """One browser tab shared by this module's tests."""
    yield from onglet_partage(navigateur)


@pytest.fixture(scope="module")
def url_envoi(tmp_path_factory):
    """The fixture site built with a maintainers' address and a repository, served."""
    sortie = tmp_path_factory.mktemp("envoi") / "output"
    reglages = {
        "depot_url": "https://github.com/exemple/annuaire",
        "courriel_maintenance": "annuaire@exemple.fr",
    }
    assert construire_site_test(RACINE / "tests" / "site" / "content", sortie, ANNUAIRE=reglages) == 0
    with en_service(sortie) as base:
        yield base


def remplir(page, valeurs: dict[str, str]) -> None:
    for champ, valeur in valeurs.items():
        page.fill(f"#{champ}", valeur)


def test_messages_sur_les_champs_au_telephone(onglet, url_site_test, tmp_path):
    page = onglet.ouvrir(url_site_test, "/proposer/", TELEPHONE)
    remplir(page, {**BONS, **{champ: valeur for champ, (valeur, _) in MAUVAIS.items()}})
    page.click("#proposer button[type=submit]")
    for champ, (_, message) in MAUVAIS.items():
        boite = page.locator(f"#{champ}")
        assert boite.get_attribute("aria-invalid") == "true", champ
        zone = page.locator(f"#erreur-{champ.removeprefix('f-')}")
        assert zone.get_attribute("id") in boite.get_attribute("aria-describedby").split()
        assert message in zone.inner_text(), champ
    assert "4 champs sont à corriger" in page.locator("#proposer-erreurs").inner_text()
    page.locator("#f-telephone").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "proposer-erreurs.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations_axe(page) == []
    page.click("#erreur-horaires button")  # the suggestion, in one tap
    assert page.input_value("#f-horaires") == "Mo 09:00-12:00"
    assert page.locator("#f-horaires").get_attribute("aria-invalid") is None
    assert onglet.erreurs == []


def test_champs_de_contact_styles_et_grandes_cases(onglet, url_site_test):
    page = onglet.ouvrir(url_site_test, "/proposer/", TELEPHONE)
    style = (
        "e => { const s = getComputedStyle(e); return [s.borderTopWidth, s.paddingTop, s.width, s.fontSize] }"
    )
    reference = page.locator("#f-nom").evaluate(style)
    for champ in ("#f-telephone", "#f-courriel", "#f-site"):
        assert page.locator(champ).evaluate(style) == reference, champ
    for case in page.locator("#proposer input[type=checkbox], #proposer input[type=radio]").all():
        boite = case.bounding_box()
        assert boite["width"] >= 24 and boite["height"] >= 24


def test_sans_depot_ni_adresse_le_formulaire_dit_quoi_faire(onglet, url_site_test):
    page = onglet.ouvrir(url_site_test, "/proposer/", TELEPHONE)
    remplir(page, BONS)
    page.click("#proposer button[type=submit]")
    page.wait_for_selector("#proposer-resultat:not([hidden])")
    envoi = page.locator("#proposer-envoi").inner_text()
    assert "copiez le texte" in envoi and "médiateur numérique" in envoi
    assert page.locator("#proposer-envoi a").count() == 0


def test_envoi_par_courriel_sans_compte_et_par_le_depot(navigateur, url_envoi, tmp_path):
    o = next(onglet_partage(navigateur))
    page = o.ouvrir(url_envoi, "/proposer/", TELEPHONE)
    remplir(page, {**BONS, "f-telephone": "04 77 12 34 56", "f-horaires": "Mo-Fr 09:00-12:00"})
    page.check("#f-services-1")
    page.click("#proposer button[type=submit]")
    page.wait_for_selector("#proposer-resultat:not([hidden])")
    page.locator("#proposer-envoi").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "proposer-envoi.png"))
    liens = [a.get_attribute("href") for a in page.locator("#proposer-envoi a").all()]
    o.fermer()
    courriel, depot = liens
    assert courriel.startswith("mailto:annuaire@exemple.fr?")
    assert depot.startswith(
        "https://github.com/exemple/annuaire/new/main/content/lieux?filename=espace-test-cie.yaml"
    )
    corps = parse_qs(urlsplit(courriel).query)["body"][0]
    fiche = corps[corps.index("# Fiche proposée") :]
    chemin = tmp_path / "content" / "lieux" / "espace-test-cie.yaml"
    chemin.parent.mkdir(parents=True)
    chemin.write_text(fiche, encoding="utf-8")
    annuaire = construire_annuaire(tmp_path / "content", tmp_path)
    assert [str(p) for p in annuaire.erreurs] == []
    (lieu,) = annuaire.lieux
    assert lieu.telephone == "+33477123456" and lieu.horaires == "Mo-Fr 09:00-12:00"
