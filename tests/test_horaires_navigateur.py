"""The "ouvert maintenant" badge in Debian's chromium, clock pinned, in Paris and New York time.

A fixture page made with the real `horaires` macro and theme/static/js/horaires.js is served from a
temporary folder; the badge must say what Python says (annuaire.domain.horaires.etat_badge) at each instant.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from annuaire.domain import horaires
from conftest import RACINE, servir
from jinja2 import Environment, FileSystemLoader

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
DEBUT = date(2025, 7, 1)
JOURS = 200  # covers every pinned instant, July to Christmas 2025
FUSEAUX = ["Europe/Paris", "America/New_York"]
HORAIRES = {
    "standard": "Mo-Fr 09:00-12:00,14:00-18:00; PH off",
    "babet": "Mo-Th 09:00-12:00,14:00-18:00; Tu 14:00-18:00; Fr 09:00-12:00",
    "rdv": 'Mo-Fr 09:00-12:00; Sa "sur rendez-vous"',
    "nuit": "Mo-Fr 22:00-02:00",
    "illisible": "9h-12h",
}
# (instant in Paris, place, state, label)
INSTANTS = [
    (datetime(2025, 7, 7, 10, 0), "standard", "ouvert", "Ouvert · ferme à 12 h"),  # weekday morning
    (datetime(2025, 7, 7, 12, 30), "standard", "ferme", "Fermé · ouvre à 14 h"),  # lunch break
    (datetime(2025, 7, 6, 15, 0), "standard", "ferme", "Fermé · ouvre demain à 9 h"),  # a Sunday
    (datetime(2025, 7, 14, 10, 0), "standard", "ferme", "Fermé · ouvre demain à 9 h"),  # 14 July
    (datetime(2025, 12, 25, 10, 0), "standard", "ferme", "Fermé · ouvre demain à 9 h"),  # Christmas
    (datetime(2025, 7, 7, 17, 59), "standard", "ouvert", "Ouvert · ferme à 18 h"),  # before closing
    (datetime(2025, 7, 11, 18, 30), "standard", "ferme", "Fermé · ouvre mardi à 9 h"),  # PH Monday
    (datetime(2025, 7, 8, 10, 0), "babet", "ferme", "Fermé · ouvre à 14 h"),  # last rule wins
    (datetime(2025, 7, 12, 10, 0), "rdv", "inconnu", "Horaires à vérifier"),
    (datetime(2025, 7, 7, 23, 0), "nuit", "ouvert", "Ouvert · ferme demain à 2 h"),
    (datetime(2025, 7, 7, 10, 0), "illisible", "inconnu", "Horaires à vérifier"),
    (datetime(2026, 3, 1, 10, 0), "standard", "inconnu", "Horaires à vérifier"),  # window run out
]


def _page_de_test() -> str:
    """An HTML page with one hours section per place, made with the theme's macro."""
    environnement = Environment(loader=FileSystemLoader(RACINE / "theme" / "templates"), autoescape=True)
    modele = environnement.from_string(
        '{% from "partials/horaires.html" import horaires %}<!doctype html><html lang="fr">'
        '<head><meta charset="utf-8"><title>Horaires</title></head><body>'
        '{% for nom, vue in vues.items() %}<div id="{{ nom }}">{{ horaires(vue) }}</div>{% endfor %}'
        '<script type="module" src="horaires.js"></script></body></html>'
    )
    vues = {
        nom: replace(horaires.vue_horaires(texte, DEBUT), badge=horaires.donnees_badge(texte, DEBUT, JOURS))
        for nom, texte in HORAIRES.items()
    }
    return modele.render(vues=vues)


@pytest.fixture(scope="module")
def adresse(tmp_path_factory):
    """Base URL of the served fixture page."""
    dossier = tmp_path_factory.mktemp("horaires")
    shutil.copy(RACINE / "theme" / "static" / "js" / "horaires.js", dossier / "horaires.js")
    (dossier / "index.html").write_text(_page_de_test(), encoding="utf-8")
    base, serveur = servir(dossier)
    yield base
    serveur.shutdown()
    serveur.server_close()


def _badges(navigateur, adresse: str, instant: datetime, fuseau: str) -> dict[str, tuple[str, str]]:
    """{place: (data-etat, text)} of the page loaded at `instant` (Paris) in time zone `fuseau`."""
    contexte = navigateur.new_context(timezone_id=fuseau, locale="fr-FR")
    try:
        page = contexte.new_page()
        page.clock.set_fixed_time(instant.replace(tzinfo=PARIS))
        page.goto(f"{adresse}/index.html")
        page.wait_for_selector("[data-horaires]:not([hidden])", state="attached")
        return page.eval_on_selector_all(
            "[data-horaires]",
            "(els) => Object.fromEntries(els.map((e) =>"
            " [e.closest('[id]').id, [e.dataset.etat, e.textContent]]))",
        )
    finally:
        contexte.close()


@pytest.fixture(scope="module")
def donnees() -> dict[str, dict]:
    """Badge data of each place, as embedded in the page."""
    return {nom: horaires.donnees_badge(texte, DEBUT, JOURS) for nom, texte in HORAIRES.items()}


@pytest.mark.parametrize("fuseau", FUSEAUX)
@pytest.mark.parametrize(("instant", "lieu", "etat", "libelle"), INSTANTS)
def test_badge_aux_instants_epingles(navigateur, adresse, donnees, fuseau, instant, lieu, etat, libelle):
    badges = _badges(navigateur, adresse, instant, fuseau)
    assert badges[lieu] == [etat, libelle]
    for nom, donnees_lieu in donnees.items():  # every other badge says what Python says
        assert badges[nom] == list(horaires.etat_badge(donnees_lieu, instant.replace(tzinfo=PARIS))), nom


@pytest.mark.parametrize("fuseau", FUSEAUX)
def test_calculer_etat_d_accord_avec_python(navigateur, adresse, donnees, fuseau):
    """Every 53 minutes from 20 October to 10 November 2025 (change to winter time included)."""
    contexte = navigateur.new_context(timezone_id=fuseau)
    page = contexte.new_page()
    page.goto(f"{adresse}/index.html")
    depart = datetime(2025, 10, 20, tzinfo=PARIS)
    instants = [depart + timedelta(minutes=53 * i) for i in range(int(21 * 24 * 60 / 53))]
    for nom, donnees_lieu in donnees.items():
        resultats = page.evaluate(
            """async ([donnees, instants]) => {
                 const module = await import("./horaires.js");
                 return instants.map((t) => {
                   const { etat, libelle } = module.calculerEtat(donnees, new Date(t));
                   return [etat, libelle];
                 });
               }""",
            [donnees_lieu, [instant.timestamp() * 1000 for instant in instants]],
        )
        attendus = [list(horaires.etat_badge(donnees_lieu, instant)) for instant in instants]
        assert resultats == attendus, nom
    contexte.close()


def test_sans_javascript_le_tableau_seul(navigateur, adresse):
    contexte = navigateur.new_context(java_script_enabled=False)
    page = contexte.new_page()
    page.goto(f"{adresse}/index.html")
    assert not page.locator("#standard .badge-horaires").is_visible()
    assert page.locator("#standard caption").inner_text() == "Horaires d'ouverture"
    assert page.locator("#babet tr").nth(1).inner_text() == "Mardi\t14 h – 18 h"
    contexte.close()
