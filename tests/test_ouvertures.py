""" "Ouvert maintenant" in search and on the map: the day files agree with the badges, and the
pages show exactly the places open at pinned instants (clock fixed in chromium).

The browser tests build tests/carte/ (places with varied hours, one temporarily closed, one without
coordinates) with the search index, and serve it and a blank tile on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from zoneinfo import ZoneInfo

import pytest
from annuaire.directory import construire_annuaire
from annuaire.domain import horaires
from annuaire.domain.model import Lieu
from annuaire.outputs.carte_tuiles import cle_carte
from annuaire.outputs.ouvertures import ecrire_ouvertures, fichiers_jours, lieux_numerotes
from conftest import construire_site_test, servir
from test_carte import FIXTURE, Onglet, arreter, attendre, png_blanc

PARIS = ZoneInfo("Europe/Paris")
DEBUT = dt.date(2025, 3, 20)  # the window holds the change to summer time, Easter Monday, 1 and 8 May
HORAIRES = [
    "Mo-Fr 09:00-12:00,14:00-18:00; PH off",
    "Mo-Th 09:00-12:00,14:00-18:00; Tu 14:00-18:00; Fr 09:00-12:00",
    'Mo-Fr 09:00-12:00; Sa "sur rendez-vous"',
    "Mo-Fr 22:00-02:00",
    "24/7",
    "Tu[1] 14:00-17:00",
    "week 1-53/2 Mo 10:00-12:00",
    "9h-12h",
    'Sa 10:00-12:00 || "sur rendez-vous"',
]


def lieu(numero: int, horaires_: str, **champs) -> Lieu:
    """A place with these hours."""
    return Lieu(
        id=f"l{numero}",
        slug=f"lieu-{numero:02d}",
        nom=f"Lieu {numero}",
        horaires=horaires_,
        latitude=45.44,
        longitude=4.39,
        **champs,
    )


def ouverts_selon_les_fichiers(fichiers: dict[str, dict], instant: dt.datetime) -> set[int]:
    """Place numbers open at `instant` according to the day files (as ouvertures.js reads them)."""
    fichier = fichiers.get(instant.astimezone(PARIS).date().isoformat())
    if not fichier:
        return set()
    minute = (instant.timestamp() - fichier["debut"]) / 60
    return {
        n
        for plages, numeros in fichier["groupes"]
        if any(a <= minute < b for a, b in zip(plages[::2], plages[1::2], strict=True))
        for n in numeros
    }


def test_fichiers_du_jour_d_accord_avec_les_badges():
    """Every 37 minutes over the window: open in the day file ⇔ the badge says "ouvert"."""
    lieux = [lieu(i, h) for i, h in enumerate(HORAIRES)]
    fichiers = fichiers_jours(lieux, DEBUT, 60)
    badges = [horaires.donnees_badge(h, DEBUT) for h in HORAIRES]
    depart = dt.datetime.combine(DEBUT, dt.time(0), PARIS)
    for k in range(60 * 24 * 60 // 37):
        instant = depart + dt.timedelta(minutes=37 * k)
        attendus = {i for i, b in enumerate(badges) if horaires.etat_badge(b, instant)[0] == "ouvert"}
        assert ouverts_selon_les_fichiers(fichiers, instant) == attendus, instant


@pytest.mark.parametrize(
    ("instant", "ouverts"),
    [
        (dt.datetime(2025, 3, 24, 10, 0), {0, 1, 2, 4, 6}),  # Monday morning of odd week 13
        (dt.datetime(2025, 3, 24, 12, 30), {4}),  # lunch break
        (dt.datetime(2025, 3, 24, 23, 0), {3, 4}),  # late evening
        (dt.datetime(2025, 3, 30, 1, 30), {4}),  # Sunday, before the change to summer time
        (dt.datetime(2025, 3, 31, 1, 30), {4}),  # Monday night: Sunday has no 22:00-02:00
        (dt.datetime(2025, 4, 21, 10, 0), {1, 2, 4, 6}),  # Easter Monday: PH off for the first one
        (dt.datetime(2025, 4, 1, 15, 0), {0, 1, 4, 5}),  # first Tuesday of the month
        (dt.datetime(2025, 3, 29, 11, 0), {4}),  # Saturday: "sur rendez-vous" is not "open"
        (dt.datetime(2025, 3, 31, 10, 0), {0, 1, 2, 4}),  # Monday of even week 14
    ],
)
def test_instants_epingles(instant, ouverts):
    fichiers = fichiers_jours([lieu(i, h) for i, h in enumerate(HORAIRES)], DEBUT, 60)
    assert ouverts_selon_les_fichiers(fichiers, instant.replace(tzinfo=PARIS)) == ouverts


def test_un_lieu_ferme_n_est_jamais_ouvert():
    lieux = [
        lieu(0, "24/7", statut="ferme_temporairement"),
        lieu(1, "24/7", statut="ferme_definitivement"),
        lieu(2, "24/7"),
    ]
    fichiers = fichiers_jours(lieux, DEBUT, 3)
    assert all(numeros == [2] for f in fichiers.values() for _, numeros in f["groupes"])


def test_les_lieux_aux_memes_horaires_partagent_un_groupe():
    fichiers = fichiers_jours([lieu(i, HORAIRES[0]) for i in range(50)], DEBUT, 7)
    lundi = fichiers["2025-03-24"]
    assert lundi["groupes"] == [[[540, 720, 840, 1080], list(range(50))]]
    assert fichiers["2025-03-23"]["groupes"] == []  # a Sunday
    assert lundi["debut"] == int(dt.datetime(2025, 3, 24, tzinfo=PARIS).timestamp())


def test_numeros_dans_l_ordre_de_la_carte_puis_hors_carte():
    lieux = lieux_numerotes(construire_annuaire(FIXTURE / "content", FIXTURE, dt.date(2024, 1, 15)).lieux)
    sur_carte = [x for x in lieux if x.a_coordonnees and x.statut != "ferme_definitivement"]
    assert lieux[: len(sur_carte)] == sorted(sur_carte, key=cle_carte)  # the map's order (by area)
    assert "sans-coordonnees" in [x.slug for x in lieux][len(sur_carte) :]


def test_ecriture_retire_les_jours_passes(tmp_path):
    lieux = [lieu(0, HORAIRES[0])]
    ecrire_ouvertures(lieux, tmp_path, DEBUT)
    ecrire_ouvertures(lieux, tmp_path, DEBUT + dt.timedelta(days=2))
    dossier = tmp_path / "donnees" / "ouvertures"
    jours = json.loads((dossier / "jours.json").read_text(encoding="utf-8"))["jours"]
    assert jours[0] == "2025-03-22" and len(jours) == horaires.JOURS_BADGE
    assert sorted(p.stem for p in dossier.glob("????-??-??.json")) == jours


# --- the built site ------------------------------------------------------------------------------

DATE_SITE = dt.date(2024, 1, 15)  # a Monday; the fixture's window runs to 14 March 2024
# Instants (Paris) and the places open then, by slug (statuses and hours of tests/carte/).
INSTANTS = [
    (dt.datetime(2024, 1, 15, 10, 30), {"epn-centre", "sans-coordonnees", "tiers-lieu-mixeur"}),
    (dt.datetime(2024, 1, 15, 12, 30), {"sans-coordonnees"}),
    (dt.datetime(2024, 1, 20, 10, 30), {"epn-centre-bis", "mediatheque-tarentaize"}),  # Saturday
    (dt.datetime(2024, 1, 19, 23, 30), {"association-beaubrun"}),  # Friday night
    (dt.datetime(2024, 1, 21, 15, 0), set()),  # Sunday
]


@pytest.fixture(scope="module")
def site(navigateur, tmp_path_factory):
    """tests/carte/ built with its search index, served with a blank tile; its base URL."""
    dossier = tmp_path_factory.mktemp("ouvertures")
    (dossier / "tuile.png").write_bytes(png_blanc())
    base, serveur = servir(dossier)
    annuaire = {
        "nom": "Annuaire d'essai",
        "territoire": "Essai",
        "carte_centre": (45.44, 4.39),
        "carte_zoom": 5,
        "tuiles_url": f"{base}/tuile.png?{{z}}/{{x}}/{{y}}",
        "tuiles_attribution": "Fond de test",
    }
    assert (
        construire_site_test(
            FIXTURE / "content",
            dossier / "site",
            ANNUAIRE=annuaire,
            ANNUAIRE_DATE=DATE_SITE.isoformat(),
            SITEURL="/site",
        )
        == 0
    )
    yield f"{base}/site", dossier / "site"
    arreter(serveur)


def ouverts_selon_python(instant: dt.datetime) -> set[str]:
    """Slugs of the fixture's places whose badge says "ouvert" at `instant` (Paris)."""
    lieux = construire_annuaire(FIXTURE / "content", FIXTURE, DATE_SITE).lieux
    badge = lambda x: horaires.donnees_badge(x.horaires, DATE_SITE)  # noqa: E731
    return {
        x.slug
        for x in lieux
        if x.statut == "ouvert" and x.horaires and horaires.etat_badge(badge(x), instant)[0] == "ouvert"
    }


def resultats(page) -> set[str]:
    """Slugs of the search results shown."""
    return slugs(page.eval_on_selector_all("#liste-resultats h3 a", "els => els.map(e => e.href)"))


def slugs(liens: list[str]) -> set[str]:
    """Place slugs of sheet links."""
    return {lien.rstrip("/").rsplit("/", 1)[-1] for lien in liens}


def numeros_des_fiches(dossier_site):
    """{slug: number} read back from the built site (carte.geojson and ouvertures/numeros.json)."""
    carte = json.loads((dossier_site / "donnees" / "carte.geojson").read_text(encoding="utf-8"))
    index = json.loads((dossier_site / "donnees" / "ouvertures" / "numeros.json").read_text(encoding="utf-8"))
    slugs = [f["properties"]["u"].split("/")[1] for f in carte["features"]]
    return {slug: numero for numero, slug in enumerate(slugs + index["hors_carte"])}


def test_correspondance_pagefind_vers_les_fiches(site):
    _, dossier = site
    chemin = dossier / "donnees" / "ouvertures" / "pagefind.json"
    ids = json.loads(chemin.read_text(encoding="utf-8"))["ids"]
    numeros = numeros_des_fiches(dossier)
    assert len(ids) == len(numeros) and all(ids)
    for slug, numero in numeros.items():
        fragment = dossier / "pagefind" / "fragment" / f"{ids[numero]}.pf_fragment"
        assert f"/lieux/{slug}/".encode() in gzip.decompress(fragment.read_bytes())


@pytest.mark.browser
@pytest.mark.parametrize(("instant", "attendus"), INSTANTS)
def test_recherche_ouvert_maintenant(navigateur, site, instant, attendus):
    base, _ = site
    instant = instant.replace(tzinfo=PARIS)
    assert ouverts_selon_python(instant) == attendus
    onglet = Onglet(navigateur, timezone_id="America/New_York")
    try:
        page = onglet.page
        page.clock.set_fixed_time(instant)
        page.goto(f"{base}/recherche/?ouvert=maintenant")
        page.wait_for_selector("#recherche[data-comptes]")
        assert resultats(page) == attendus
        assert page.locator("#f-ouvert").is_checked()
        assert page.locator("fieldset[data-ouverture] .facette-compte").inner_text() == f"({len(attendus)})"
        heure = f"{instant.hour} h {instant.minute:02d}" if instant.minute else f"{instant.hour} h"
        assert f"À {heure}" in page.locator("fieldset[data-ouverture]").inner_text()
        badges = page.eval_on_selector_all(".resultat .badge-horaires", "els => els.map(e => e.dataset.etat)")
        assert badges == ["ouvert"] * len(attendus)  # the cards' badges agree
        assert onglet.erreurs == []
    finally:
        onglet.contexte.close()


@pytest.mark.browser
def test_recherche_ouvert_combine_aux_mots_et_se_decoche(navigateur, site):
    base, _ = site
    onglet = Onglet(navigateur)
    try:
        page = onglet.page
        page.clock.set_fixed_time(INSTANTS[0][0].replace(tzinfo=PARIS))
        page.goto(f"{base}/recherche/?q=Saint-%C3%89tienne")
        page.wait_for_selector("#recherche[data-comptes]")
        tous = resultats(page)
        assert page.locator("fieldset[data-ouverture] .facette-compte").inner_text() == ""  # not loaded yet
        page.check("#f-ouvert")
        page.wait_for_url("**ouvert=maintenant**")
        page.wait_for_selector("#recherche[data-comptes]")
        ouverts = resultats(page)
        assert ouverts == tous & INSTANTS[0][1] and ouverts < tous
        assert page.locator("fieldset[data-ouverture] .facette-compte").inner_text() == f"({len(ouverts)})"
        assert "avec 1 filtre" in page.locator("#compte").inner_text()
        page.go_back()
        page.wait_for_selector("#recherche[data-comptes]")
        assert not page.locator("#f-ouvert").is_checked()
        assert resultats(page) == tous
        compte = page.locator("fieldset[data-ouverture] .facette-compte")
        assert compte.inner_text() == f"({len(ouverts)})"  # loaded once ticked: counted from then on
        assert onglet.erreurs == []
    finally:
        onglet.contexte.close()


@pytest.mark.browser
@pytest.mark.parametrize(("instant", "attendus"), INSTANTS)
def test_carte_ouvert_maintenant(navigateur, site, instant, attendus):
    base, _ = site
    onglet = Onglet(navigateur)
    try:
        page = onglet.page
        page.clock.set_fixed_time(instant.replace(tzinfo=PARIS))
        page.goto(f"{base}/carte/?ouvert=maintenant&vue=46.5,2.5,5")
        page.wait_for_selector("#carte-page[data-etat=prete]")
        sur_la_carte = attendus - {"sans-coordonnees"}
        liens = page.eval_on_selector_all("#carte-liste a", "els => els.map(e => e.href)")
        assert slugs(liens) == sur_la_carte
        assert page.locator("#carte-compte").get_attribute("data-nombre") == str(len(sur_la_carte))
        assert "1 filtre actif" in page.locator("#carte-filtres-actifs").inner_text()
        page.click(".carte-filtres summary")
        assert page.locator("fieldset[data-ouverture] input").is_checked()
        page.uncheck("fieldset[data-ouverture] input")  # the view's files may load first: wait
        attendre(page, "!location.search.includes('ouvert=')")
        attendre(page, "document.querySelector('#carte-compte').dataset.nombre === '8'")
        assert onglet.erreurs == []
    finally:
        onglet.contexte.close()
