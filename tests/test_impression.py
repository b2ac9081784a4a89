"""Print: a place sheet is a one-page "fiche d'orientation", a commune or network list a handout.

Chromium renders the pages with print media (page.emulate_media) and prints them to PDF (A4).
A small site is built here with one sheet as full as the standard allows (every service, public
and label, two e-mails and web sites, a 280-character summary, hours with notes, a long
description), so that "one page" is checked on the worst case, not on a short sheet.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import zxingcpp
from aide_navigateur import onglet_partage
from annuaire.domain.vocabulaire import MODALITES_ACCES, MODALITES_ACCOMPAGNEMENT, PUBLICS, SERVICES
from annuaire.site.gabarits import qr_svg, resume_horaires
from conftest import construire_site_test, servir

COMPLETE = {
    "nom": "Espace numérique municipal de la médiathèque Louise Michel et de son annexe",
    "adresse": "12 boulevard des Cerisiers, bâtiment B, rez-de-chaussée",
    "complement_adresse": "Entrée par la cour",
    "code_postal": "42100",
    "commune": "Saint-Étienne",
    "latitude": 45.43,
    "longitude": 4.39,
    "precision_coordonnees": "adresse",
    "telephone": "04 77 12 34 56",
    "courriels": ["accueil@mediatheque-exemple.fr", "ateliers@mediatheque-exemple.fr"],
    "site_web": ["https://www.mediatheque-exemple.fr/espace-numerique", "https://agenda.exemple.fr/ateliers"],
    "prise_rdv": "https://rdv.exemple.fr/mediatheque",
    "fiche_acces_libre": "https://acceslibre.beta.gouv.fr/x/",
    "horaires": "Mo-Fr 09:00-12:00,13:30-18:00; Sa 09:00-12:00; Su off; PH off; Dec 24-26 off",
    "presentation_resume": (
        "Ordinateurs en accès libre, ateliers collectifs pour débutants, aide "
        "individuelle pour les démarches en ligne, prêt de tablettes, "
        "impressions et numérisation de documents, accueil des personnes "
        "sourdes sur rendez-vous et permanences d'une conseillère numérique."
    ),
    "source": "Ville de Saint-Étienne",
    "date_maj": "2023-11-02",
    "structure_parente": "Ville de Saint-Étienne",
    "services": list(SERVICES),
    "publics_specifiquement_adresses": list(PUBLICS),
    "modalites_acces": list(MODALITES_ACCES),
    "modalites_accompagnement": list(MODALITES_ACCOMPAGNEMENT),
    "frais_a_charge": ["Gratuit sous condition"],
    "langues": ["fr", "en", "ar", "es"],
    "dispositif_programmes_nationaux": ["Conseillers numériques", "France Services"],
    "reseaux": ["reseau-impression"],
}
DESCRIPTION = "\n\n".join(["Un long paragraphe de présentation, avec des détails pratiques. " * 8] * 6)
CACHES = [
    ".entete",
    ".pied",
    ".fil",
    ".lien-evitement",
    ".recherche-entete",
    ".mini-carte",
    ".leaflet-control-container",
    "nav",
    "form",
    "button",
    ".fiche-actions",
    ".fiche-source",
]


def yaml_entree(champs: dict) -> str:
    """Fields as YAML lines (JSON values are valid YAML)."""
    return "".join(f"{cle}: {json.dumps(valeur)}\n" for cle, valeur in champs.items())


@pytest.fixture(scope="module")
def onglet(navigateur):
    """One browser tab shared by this module's tests."""
    yield from onglet_partage(navigateur)


@pytest.fixture(scope="module")
def url_site(tmp_path_factory):
    """A site with the complete sheet and twelve more places in the same commune, served."""
    racine = tmp_path_factory.mktemp("impression")
    (racine / "content" / "lieux").mkdir(parents=True)
    (racine / "content" / "reseaux").mkdir()
    (racine / "content" / "reseaux" / "reseau-impression.yaml").write_text("nom: Réseau d'essai\n")
    (racine / "content" / "lieux" / "complete.md").write_text(
        f"---\n{yaml_entree(COMPLETE)}---\n{DESCRIPTION}\n", encoding="utf-8"
    )
    for n in range(12):
        champs = {
            "nom": f"Lieu numéro {n}",
            "adresse": f"{n} rue de la Liste",
            "code_postal": "42100",
            "commune": "Saint-Étienne",
            "telephone": "04 77 00 00 0" + str(n % 10),
            "source": "essai",
            "horaires": "Mo,We 14:00-17:00",
            "date_maj": "2023-11-02",
            "reseaux": ["reseau-impression"],
            "services": ["Aide aux démarches administratives"],
        }
        (racine / "content" / "lieux" / f"lieu-{n}.yaml").write_text(yaml_entree(champs), encoding="utf-8")
    assert construire_site_test(racine / "content", racine / "output") == 0
    base, serveur = servir(racine / "output")
    yield base
    serveur.shutdown()
    serveur.server_close()


def imprimer(onglet_, url: str, chemin: str):
    """Open `chemin` with print media; the page."""
    page = onglet_.ouvrir(url, chemin)
    page.emulate_media(media="print")
    return page


def pages_pdf(page) -> int:
    """The number of pages of the page printed to an A4 PDF."""
    pdf = page.pdf(format="A4")
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def visibles(page, selecteurs: list[str]) -> list[str]:
    """The selectors among `selecteurs` that match at least one visible element."""
    return [s for s in selecteurs if any(e.is_visible() for e in page.locator(s).all())]


@pytest.mark.browser
def test_fiche_d_orientation_sur_une_page(onglet, url_site):
    page = imprimer(onglet, url_site, "/lieux/complete/")
    assert visibles(page, CACHES) == []
    for selecteur in (
        "h1",
        ".fiche-adresse",
        ".fiche-contacts",
        ".horaires-semaine",
        ".fiche-services",
        ".fiche-qr svg",
        ".fiche-date",
    ):
        assert page.locator(selecteur).first.is_visible(), selecteur
    assert page.locator(".fiche-date").inner_text() == "Informations du 2 novembre 2023."
    assert "http://localhost:8000/lieux/complete/" in page.locator(".fiche-qr").inner_text()
    boite = page.locator(".fiche-qr svg").bounding_box()
    assert boite["width"] > 90 and abs(boite["width"] - boite["height"]) < 1  # about 3 cm, square
    assert pages_pdf(page) == 1
    page.emulate_media(media="screen")
    assert not page.locator(".fiche-qr").is_visible()  # on screen, the QR code is not shown


@pytest.mark.browser
@pytest.mark.parametrize("chemin", ["/communes/saint-etienne-42/", "/reseaux/reseau-impression/"])
def test_liste_a_distribuer(onglet, url_site, chemin):
    page = imprimer(onglet, url_site, chemin)
    assert visibles(page, CACHES + [".carte-lieu-services"]) == []
    cartes = page.locator(".carte-lieu")
    assert cartes.count() == 13
    pratique = page.locator(".carte-lieu-pratique").all_inner_texts()
    assert "Téléphone : 04 77 00 00 03\nHoraires : lun. 14 h – 17 h ; mer. 14 h – 17 h" in pratique
    assert f"Liste à jour en ligne : http://localhost:8000{chemin}" in page.locator("main").inner_text()
    assert pages_pdf(page) <= 2  # thirteen places, compact


@pytest.mark.browser
@pytest.mark.parametrize("chemin", ["/carte/", "/recherche/?q=lieu", "/"])
def test_sans_commandes_ni_recherche(onglet, url_site, chemin):
    page = imprimer(onglet, url_site, chemin)
    assert visibles(page, CACHES + [".carte-page", ".recherche-corps", "input", "#carte"]) == []
    assert page.locator("h1").is_visible()


@pytest.mark.parametrize(
    "texte, resume",
    [
        ("Mo-Fr 09:00-12:00,14:00-18:00; PH off", "lun.–ven. 9 h – 12 h, 14 h – 18 h"),
        ("Mo,We 14:00-17:00; Sa 09:00-12:00", "lun. 14 h – 17 h ; mer. 14 h – 17 h ; sam. 9 h – 12 h"),
        ("Mo-Su off", "fermé"),
        ("le mardi matin", "Horaires à vérifier"),
        ("", ""),
    ],
)
def test_horaires_en_une_ligne(texte, resume):
    assert resume_horaires(texte, dt.date(2024, 1, 15)) == resume


def test_code_qr_dessine_les_modules_du_code():
    """The SVG path draws exactly the dark modules of the QR code, which decodes to the URL."""
    url = "https://annuaire.exemple.fr/lieux/espace-public-numerique/"
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    assert zxingcpp.read_barcode(code.to_image(scale=4)).text == url
    image = code.to_image(scale=1, add_quiet_zones=False)
    cote = image.shape[0]
    attendus = {(i % cote + 2, i // cote + 2) for i, v in enumerate(bytes(memoryview(image))) if v == 0}
    svg = qr_svg(url)
    assert f'viewBox="0 0 {cote + 4} {cote + 4}"' in svg
    dessines, x, y = set(), 0, 0
    for commande, dx, dy, longueur in re.findall(r"([Mm])(\d+|-\d+) (\d+)(?:\.5)?h(\d+)", svg):
        x, y = (int(dx), int(dy)) if commande == "M" else (x + int(dx), y + int(dy))
        dessines |= {(x + k, y) for k in range(int(longueur))}
        x += int(longueur)
    assert dessines == attendus


def test_code_qr_sans_taille_ni_texte():
    svg = qr_svg("https://annuaire.exemple.fr/lieux/espace/")
    assert svg.startswith('<svg aria-hidden="true" focusable="false" viewBox="0 0 ')
    assert "width=" not in svg and "<title" not in svg and "annuaire.exemple" not in svg
