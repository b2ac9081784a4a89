"""Needs in everyday words (domain/besoins.yaml) and the order of search results.

The vocabulary file is checked like an entry (`file:line: field: message`); every value of the
standard's lists has plain words. Then a suite of everyday queries (needs, misspellings, place
names, quartiers of Saint-Étienne) runs on the real search page of the shipped directory
(content/, 25 places) in chromium, each with the places it must return first; the score is
printed (`-s`) and the README's "Chercher avec ses mots" gives it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from annuaire.directory import construire_annuaire
from annuaire.domain import besoins as b
from annuaire.domain import champs
from annuaire.domain import vocabulaire as v
from annuaire.loading.besoins import charger_besoins, lire_besoins
from conftest import RACINE, construire_site_test, en_service

DEMARCHES, ACCES, QUOTIDIEN, EMPLOI, SECURITE = (v.SERVICES[i] for i in (0, 7, 1, 2, 3))


def _lignes(texte: str) -> list[str]:
    """The problems of a vocabulary text as `file:line: field: message` lines."""
    return [f"{p.chemin}:{p.ligne}: {p.champ}: {p.message}" for p in lire_besoins(texte, "besoins.yaml")[1]]


def test_vocabulaire_livre_sans_probleme():
    vocabulaire, problemes = charger_besoins(racine=RACINE)
    assert problemes == []
    assert len(vocabulaire.besoins) >= 10 and len(vocabulaire.raccourcis()) >= 6
    tous = {b.normaliser(m) for x in vocabulaire.besoins for m in x.mots}
    for mot in (
        "impots",
        "caf",
        "ameli",
        "carte grise",
        "france travail",
        "pole emploi",
        "retraite",
        "imprimer",
        "scanner",
        "wifi",
        "faire un cv",
        "envoyer un mail",
        "visio",
        "doctolib",
        "apprendre l ordinateur",
        "smartphone",
        "telephone portable",
    ):
        assert mot in tous, mot


def test_erreurs_du_vocabulaire_avec_ligne_et_champ():
    texte = (
        "besoins:\n"
        "  - libelle: Imprimer\n"
        "    icone: fusee\n"
        "    services: [Acces internet et materiel informatique]\n"
        "    mots: [imprimer]\n"
        "  - libelle: Sans mots\n"
        "    publics: [Seniors]\n"
        "    couleur: rouge\n"
    )
    assert _lignes(texte) == [
        "besoins.yaml:3: icone: « fusee » inconnue ; icônes possibles : " + ", ".join(b.ICONES),
        "besoins.yaml:4: services: « Acces internet et materiel informatique » n'est pas une valeur du "
        "standard ; vouliez-vous dire « Accès internet et matériel informatique » ?",
        "besoins.yaml:8: couleur: champ inconnu ; champs possibles : "
        "libelle, icone, services, publics, dispositifs, mots",
        "besoins.yaml:6: mots: écrivez une liste de mots, par exemple [impôts, impots]",
        "besoins.yaml:6: mots: indiquez au moins un mot",
    ]


def test_yaml_casse_ou_hostile_sans_trace():
    assert _lignes("besoins: [\n") and _lignes("a: &x [1]\nb: *x\n")
    assert _lignes("x" * 300_000)[0].startswith("besoins.yaml:1: besoins: fichier trop gros")
    assert lire_besoins("besoins:\n  - libelle: x\n    mots: [x]\n", "b")[0].besoins == ()  # no service
    mots = ", ".join(["m"] * 2001)
    beaucoup = f"besoins:\n  - libelle: x\n    publics: [Seniors]\n    mots: [{mots}]\n"
    assert _lignes(beaucoup) == ["besoins.yaml:1: mots: trop de mots (2000 au plus en tout)"]


def test_libelles_simples_pour_chaque_valeur():
    for nom in (
        "services",
        "publics_specifiquement_adresses",
        "prise_en_charge_specifique",
        "frais_a_charge",
        "modalites_acces",
        "modalites_accompagnement",
    ):
        assert set(champs.LIBELLES_SIMPLES[nom]) == set(champs.VOCABULAIRES[nom]), nom
    assert champs.libelle_valeur("services", DEMARCHES).startswith("Faire ses démarches")
    assert champs.ENUMERATIONS["services"] == v.SERVICES  # the data keeps the standard's values


def test_mots_d_un_lieu_et_donnees_de_la_page():
    vocabulaire, _ = charger_besoins()
    mots = b.mots_du_lieu(vocabulaire, [ACCES], [])
    assert "imprimer" in mots and "wifi" in mots and "impôts" not in mots
    page = b.donnees_page(vocabulaire)
    dispositifs = {v.DISPOSITIFS.index(d) for d in ("Aidants Connect", "France Services")}
    assert page["expressions"]["impots"][:2] == [[0], []]
    assert dispositifs <= set(page["expressions"]["impots"][2])
    assert page["expressions"]["seniors"] == [[], [v.PUBLICS.index("Seniors")], []]
    assert "impôts" in b.mots_du_lieu(vocabulaire, [], [], ["France Services"])
    assert "je" in page["vides"]
    assert b.nombre_de_mots("esp@ceC2R – Maison du Crêt de Roch") == 7
    # What a sheet gives the index: normalised, once, no dropped nor one-letter word.
    assert b.texte_index(vocabulaire, ["déclaration d'impôts", "impôts", "faire un CV", "wi-fi"]) == (
        "declaration impots cv wi fi"
    )
    for libelles in champs.LIBELLES_SIMPLES.values():
        for libelle in libelles.values():
            assert all(len(j) > 1 for j in b.normaliser(libelle).split()), libelle


# --- The query suite, on the shipped directory ------------------------------------------------


def _offre(service: str, code_postal: str = ""):
    """Places that offer `service` and are not "à vérifier" nor closed (slugs), in `code_postal`."""
    return lambda lieux: {
        x.slug
        for x in lieux
        if service in x.services and x.statut == "ouvert" and x.code_postal.startswith(code_postal)
    }


def _lieu(*slugs: str):
    return lambda lieux: set(slugs)


# (typed words, the places acceptable in first position)
SUITE = (
    ("impôts", _offre(DEMARCHES)),
    ("impots", _offre(DEMARCHES)),
    ("impot", _offre(DEMARCHES)),
    ("déclaration d'impôts", _offre(DEMARCHES)),
    ("je veux faire mes impôts", _offre(DEMARCHES)),
    ("CAF", _offre(DEMARCHES)),
    ("ameli", _offre(DEMARCHES)),
    ("carte grise", _offre(DEMARCHES)),
    ("retraite", _offre(DEMARCHES)),
    ("Doctolib", _offre(DEMARCHES)),
    ("aide administrative", _offre(DEMARCHES)),
    ("demarches", _offre(DEMARCHES)),
    ("France Travail", _offre(DEMARCHES)),
    ("pole emploi", _offre(DEMARCHES)),
    ("imprimer", _offre(ACCES)),
    ("scanner", _offre(ACCES)),
    ("scaner", _offre(ACCES)),
    ("wifi", _offre(ACCES)),
    ("wi-fi", _offre(ACCES)),
    ("envoyer un mail", _offre(QUOTIDIEN)),
    ("visio", _offre(QUOTIDIEN)),
    ("apprendre l'ordinateur", _offre(QUOTIDIEN)),
    ("smartphone", _offre(QUOTIDIEN)),
    ("téléphone portable", _offre(QUOTIDIEN)),
    ("faire un CV", lambda lieux: {x.slug for x in lieux if EMPLOI in x.services}),
    ("arnaques", lambda lieux: {x.slug for x in lieux if SECURITE in x.services}),
    ("Zoomacom", _lieu("zoomacom")),
    ("Le Babet", _lieu("le-babet")),
    ("le mixeur", _lieu("le-mixeur")),
    ("GULL Alolise", _lieu("gull-alolise")),
    ("Cyber Base Emploi", _lieu("cyber-base-emploi")),
    ("Espace Info Jeunes", _lieu("espace-info-jeunes")),
    ("OSPA", _lieu("espace-pratiques-numeriques-ospa")),
    ("Montreynaud", _lieu("epn-montreynaud")),
    ("Crêt de Roch", _lieu("espace-c2r-maison-du-cret-de-roch")),
    ("cret de roch", _lieu("espace-c2r-maison-du-cret-de-roch")),
    ("Tarentaize", _lieu("mediatheque-tarentaize-atelier-numerique")),
    ("Solaure", _lieu("centre-social-solaure-la-jomayere")),
    ("Jomayère", _lieu("centre-social-solaure-la-jomayere")),
    ("Vivaraize", _lieu("centre-social-vivaraize")),
    ("Sisley", _lieu("espace-alfred-sisley", "epn-quartiers-sud-est-espace-sisley")),
    ("Soleil", _lieu("maison-de-quartier-du-soleil")),
    ("Colibri", _lieu("centre-social-le-colibri")),
    ("Rennes", _lieu("atelier-numerique-google-rennes")),
    # two needs: the places meeting both first, those meeting one found too
    ("scanner mes papiers", lambda lieux: _offre(ACCES)(lieux) & _offre(DEMARCHES)(lieux)),
    ("imprimer un CV", lambda lieux: _offre(ACCES)(lieux) | _offre(EMPLOI)(lieux)),
    # a need and a commune or postcode: the nearest places offering it
    ("impôts 42100", _offre(DEMARCHES, "42100")),
    ("wifi Saint-Étienne", _offre(ACCES)),
)
SEUIL_PREMIER = 0.9  # share of queries whose first result must be acceptable


@pytest.fixture(scope="module")
def livre(tmp_path_factory) -> tuple[Path, list]:
    """The shipped directory built with the real build (search index included), and its places."""
    sortie = tmp_path_factory.mktemp("livre") / "output"
    node_modules = str(RACINE / "node_modules")
    assert construire_site_test(RACINE / "content", sortie, ANNUAIRE_NODE_MODULES=node_modules) == 0
    return sortie, construire_annuaire(RACINE / "content", RACINE).lieux


def _premiers(page, q: str) -> list[str]:
    """The slugs of the first three results of `q` on the real search page (already open: the
    query goes through the history, as back/forward do, without loading the index again)."""
    page.evaluate(
        """(q) => { history.pushState(null, "", `?q=${encodeURIComponent(q)}`);
                    dispatchEvent(new PopStateEvent("popstate")); }""",
        q,
    )
    page.wait_for_function(
        """(q) => !document.getElementById("recherche").hasAttribute("aria-busy")
                  && document.getElementById("compte").textContent.includes(`« ${q} »`)""",
        arg=q,
        timeout=10_000,
    )
    liens = page.eval_on_selector_all("#liste-resultats h3 a", "els => els.map(e => e.pathname)")
    return [lien.rstrip("/").rsplit("/", 1)[-1] for lien in liens[:3]]


@pytest.mark.browser
def test_suite_de_requetes_du_quotidien(livre, navigateur):
    sortie, lieux = livre
    page = navigateur.new_page(viewport={"width": 390, "height": 844})
    erreurs: list[str] = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    premiers, trois, rates = 0, 0, []
    try:
        with en_service(sortie) as base:
            page.goto(f"{base}/recherche/")
            page.wait_for_selector("#recherche[data-pret]", state="attached", timeout=10_000)
            for q, attendus in SUITE:
                acceptes, obtenus = attendus(lieux), _premiers(page, q.strip())
                assert acceptes, q
                premiers += bool(obtenus) and obtenus[0] in acceptes
                trois += bool(acceptes.intersection(obtenus))
                if not obtenus or obtenus[0] not in acceptes:
                    rates.append((q, obtenus))
    finally:
        page.close()
    total = len(SUITE)
    print(f"\nChercher avec ses mots : {premiers}/{total} en tête, {trois}/{total} dans les 3 premiers")
    assert erreurs == []
    assert trois == len(SUITE), rates
    assert premiers >= SEUIL_PREMIER * len(SUITE), rates


@pytest.mark.browser
def test_regle_d_ordre_position_et_nom(livre, navigateur):
    # The pure rule of recherche-ordre.js: the whole name typed first, then the places offering a
    # need typed, then the nearest, then the best sheets; a commune typed among other words is
    # the position and leaves the words sent to Pagefind.
    page = navigateur.new_page()
    try:
        with en_service(livre[0]) as base:
            page.goto(f"{base}/recherche/")
            ordre, sens = page.evaluate(
                """async () => {
                  const o = await import("/theme/js/recherche-ordre.js");
                  const p = (numero, nom, services, qualite, age) =>
                    ({ numero, nom, services, publics: 0, dispositifs: 0, qualite, age });
                  const profils = new Map([
                    ["loin", p(0, 2, 1, 3, 1)], ["pres", p(1, 2, 1, 0, 900)],
                    ["sans", p(2, 2, 0, 3, 1)], ["nom", p(3, 1, 0, 0, 999)],
                  ]);
                  const ici = { lat: 45.44, lon: 4.39 };
                  const points = [{ lat: 48, lon: 2 }, ici, ici, null];
                  const mots = { expressions: { impots: [[0], [], []] }, vides: ["je"] };
                  const communes = o.indexCommunes({ champs: ["nom", "code_postal", "latitude", "longitude"],
                    communes: [["Saint-Étienne", "42000", 45.44, 4.39]] });
                  const sens = o.analyserRequete("je impôts Saint-Étienne", mots, communes);
                  const expressions = { ...mots.expressions, carte: [[1], [], []] };
                  const deux = o.analyserRequete("impots carte", { ...mots, expressions }).groupes;
                  const resultats = ["sans", "loin", "pres", "nom"]
                    .map((id) => ({ id, words: id === "nom" ? [0] : [5] }));
                  const contexte = { profils, sens, positions: (n) => points[n] };
                  return [o.ranger(resultats, new Map(), contexte).map((r) => r.id), { ...sens, deux }];
                }"""
            )
    finally:
        page.close()
    assert sens["texte"] == "impots" and sens["lieu"] == {"lat": 45.44, "lon": 4.39}
    assert sens["deux"] == ["impots", "carte"]  # one search per need
    assert ordre == ["nom", "pres", "loin", "sans"]
