"""Search: the Pagefind index of a built site, and the /recherche/ page in Debian's chromium.

The fixture site tests/recherche/content (six places in three communes) is built once with the real
build (Pelican, then Pagefind), at the root and under /sous-dossier, and served on 127.0.0.1.
Expected results are computed from the entries themselves, not written by hand.
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
from annuaire.directory import construire_annuaire
from annuaire.domain.model import Lieu
from annuaire.search.pagefind import IndexationImpossible, indexer
from conftest import RACINE, construire_site_test, en_service, servir

CONTENU = RACINE / "tests" / "recherche" / "content"
SOUS_DOSSIER = "/sous-dossier"
ATTENTE = 10_000  # ms, for anything the page does


def _construire(sortie: Path, **reglages) -> Path:
    """Build the fixture site into `sortie` with the real build, search index included."""
    if not (RACINE / "node_modules" / "leaflet").is_dir():
        pytest.fail("node_modules absent : lancez « npm ci » (make test le fait)")
    node_modules = str(RACINE / "node_modules")
    assert construire_site_test(CONTENU, sortie, ANNUAIRE_NODE_MODULES=node_modules, **reglages) == 0
    return sortie


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The fixture site built at the root of its server."""
    return _construire(tmp_path_factory.mktemp("recherche") / "output")


@pytest.fixture(scope="module")
def lieux() -> list[Lieu]:
    """The fixture's places, loaded by the project's own code."""
    annuaire = construire_annuaire(CONTENU, RACINE)
    assert annuaire.erreurs == []
    return annuaire.lieux


@pytest.fixture(scope="module")
def url_site(site):
    """The fixture site served on 127.0.0.1."""
    with en_service(site) as base:
        yield base


def _nouvelle_page(navigateur) -> tuple[object, list[str]]:
    """A page in a fresh context (empty cache) that reaches 127.0.0.1 only; (page, its errors)."""
    contexte = navigateur.new_context()
    contexte.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])"), lambda route: route.abort())
    page = contexte.new_page()
    erreurs: list[str] = []
    page.on("console", lambda m: m.type == "error" and erreurs.append(f"{m.text} {m.location}"))
    page.on("pageerror", lambda exc: erreurs.append(str(exc)))
    return page, erreurs


@pytest.fixture
def page(navigateur):
    """A fresh page; fails the test on any console error or uncaught exception."""
    page, erreurs = _nouvelle_page(navigateur)
    yield page
    page.context.close()
    assert erreurs == []


def _sans_accents(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode().lower()


def _noms(lieux: list[Lieu], garder) -> set[str]:
    return {lieu.nom for lieu in lieux if garder(lieu)}


def _ouvrir(page, url: str) -> None:
    """Open a search page and wait until its script is ready."""
    page.goto(url)
    page.wait_for_selector("#recherche[data-pret]", timeout=ATTENTE)


def _resultats(page, attendu_dans_compte: str) -> set[str]:
    """The names of the result cards, once the count mentions `attendu_dans_compte`."""
    from playwright.sync_api import expect

    expect(page.locator("#compte")).to_contain_text(attendu_dans_compte, timeout=ATTENTE)
    return set(page.locator(".resultat h3").all_inner_texts())


def _taper(page, texte: str) -> None:
    """Type like a person (one key at a time) in the page's search field."""
    page.locator("#q").press_sequentially(texte, delay=20)


# --- The index -----------------------------------------------------------------------------------


def test_index_construit_avec_le_site(site, lieux):
    fragments = list((site / "pagefind" / "fragment").glob("*"))
    assert len(fragments) == len(lieux)  # only the place sheets (data-pagefind-body)
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not list((site / "pagefind").glob("pagefind-ui.*"))  # unused UI bundles removed


def test_fiche_porte_ses_filtres(site, lieux):
    lieu = next(x for x in lieux if x.slug == "epn-montreynaud")
    html = (site / "lieux" / lieu.slug / "index.html").read_text(encoding="utf-8")
    for service in lieu.services:
        assert f'<span data-pagefind-filter="services">{service}</span>' in html
    assert f'<span data-pagefind-filter="commune">{lieu.commune}</span>' in html
    assert f'<span data-pagefind-meta="nom">{lieu.nom}</span>' in html


def _copie_des_fiches(site: Path, dossier: Path) -> Path:
    """The built sheets of `site`, copied into `dossier` (to index them again)."""
    for fichier in (site / "lieux").rglob("index.html"):
        cible = dossier / fichier.relative_to(site)
        cible.parent.mkdir(parents=True, exist_ok=True)
        cible.write_bytes(fichier.read_bytes())
    return dossier


def test_reindexer_donne_un_rapport(tmp_path, site):
    rapport = indexer(_copie_des_fiches(site, tmp_path / "copie"))
    assert rapport.pages == 6 and rapport.fichiers > 0 and rapport.octets > 0
    assert "6 pages indexées" in rapport.resume()


def _contenu(dossier: Path) -> dict[Path, bytes]:
    return {p.relative_to(dossier): p.read_bytes() for p in dossier.rglob("*") if p.is_file()}


def test_meme_site_meme_index(tmp_path, site):
    # Pagefind writes its filter lists in a hash map's order; `stabiliser` makes them stable.
    premier, second = _copie_des_fiches(site, tmp_path / "a"), _copie_des_fiches(site, tmp_path / "b")
    indexer(premier)
    indexer(second)
    assert _contenu(premier / "pagefind") == _contenu(second / "pagefind")


def test_donnees_pagefind_relues_a_l_identique(site):
    # What cbor2 reads from Pagefind's files it writes back byte for byte (shortest heads,
    # definite lengths), so that rewriting a file in a stable order changes only the order.
    import gzip

    import cbor2
    from annuaire.search.pagefind import SIGNATURE, lire_donnees

    for fichier in [*(site / "pagefind").glob("*.pf_meta"), *(site / "pagefind" / "filter").glob("*")]:
        brut = gzip.decompress(fichier.read_bytes())
        assert SIGNATURE + cbor2.dumps(lire_donnees(fichier)) == brut


def test_fragments_numerotes(tmp_path, site):
    # The metadata file lists every fragment: named by the index's key and their rank (compressible),
    # not by random content hashes. A changed sheet changes the key, hence every name.
    from annuaire.search.pagefind import lire_donnees

    (meta,) = (site / "pagefind").glob("*.pf_meta")
    noms = [page[0] for page in lire_donnees(meta)[1]]
    assert {p.stem for p in (site / "pagefind" / "fragment").iterdir()} == set(noms)
    cle = noms[0].split("-")[0]
    assert re.fullmatch(r"fr_[0-9a-f]{12}", cle)
    assert noms == [f"{cle}-{rang:04x}" for rang in range(len(noms))]
    copie = _copie_des_fiches(site, tmp_path / "copie")
    fiche = next((copie / "lieux").glob("*/index.html"))
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("</h1>", " modifié</h1>"), encoding="utf-8")
    indexer(copie)
    (autre,) = (copie / "pagefind").glob("*.pf_meta")
    assert not set(noms) & {page[0] for page in lire_donnees(autre)[1]}


def test_dossier_absent_message_clair(tmp_path):
    with pytest.raises(IndexationImpossible, match="introuvable"):
        indexer(tmp_path / "absent")


def _pagefind_en_echec(monkeypatch) -> None:
    """Make the Pagefind command fail the way it does: a message, a non-zero exit."""
    from annuaire.search import pagefind as recherche

    echec = [sys.executable, "-c", "import sys; print('Error: site illisible'); sys.exit(3)"]
    monkeypatch.setattr(recherche, "commande", lambda *_: echec)


def test_echec_de_pagefind_message_clair(tmp_path, monkeypatch, site):
    _pagefind_en_echec(monkeypatch)
    with pytest.raises(IndexationImpossible, match="n'a pas pu être construit : Error: site illisible"):
        indexer(_copie_des_fiches(site, tmp_path / "copie"))


def test_echec_de_l_index_ne_publie_rien(tmp_path, monkeypatch, capsys):
    """A changed entry needs the index; when Pagefind fails, nothing of the new build is published."""
    contenu = tmp_path / "content"
    shutil.copytree(CONTENU, contenu)
    node_modules = str(RACINE / "node_modules")
    sortie = tmp_path / "output"
    assert construire_site_test(contenu, sortie, ANNUAIRE_NODE_MODULES=node_modules) == 0
    avant = _contenu(sortie)
    fiche = sorted((contenu / "lieux").glob("*.yaml"))[0]
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("nom: ", "nom: Nouveau ", 1), encoding="utf-8")
    _pagefind_en_echec(monkeypatch)
    assert construire_site_test(contenu, sortie, ANNUAIRE_NODE_MODULES=node_modules) == 2
    assert "site non publié" in capsys.readouterr().err
    assert _contenu(sortie) == avant and not (tmp_path / "output.nouveau").exists()


# --- The search page, in chromium ------------------------------------------------------------------


@pytest.mark.browser
def test_recherche_par_nom(page, url_site):
    _ouvrir(page, f"{url_site}/recherche/")
    _taper(page, "Beaubrun")
    assert _resultats(page, "« Beaubrun »") == {"Centre social Beaubrun"}
    lien = page.locator(".resultat h3 a").first
    assert lien.get_attribute("href") == "/lieux/centre-social-beaubrun/"


@pytest.mark.browser
def test_sans_accent_trouve_le_texte_accentue(page, url_site, lieux):
    _ouvrir(page, f"{url_site}/recherche/")
    _taper(page, "demarches")

    def parle_de_demarches(lieu: Lieu) -> bool:
        texte = " ".join([lieu.nom, lieu.presentation_resume, *lieu.services])
        return "demarche" in _sans_accents(texte)

    attendus = _noms(lieux, parle_de_demarches)
    assert len(attendus) >= 3
    assert _resultats(page, "« demarches »") == attendus
    assert page.locator(".resultat mark").first.inner_text() == "démarches"


@pytest.mark.browser
def test_valeurs_de_la_liste_accueil_indexees(page, url_site, lieux):
    # "Seniors" is only in the sheet's "Accueil" list, whose <dt>/<dd> Pagefind would glue together.
    _ouvrir(page, f"{url_site}/recherche/?q=seniors")
    attendus = _noms(lieux, lambda x: "Seniors" in x.publics_specifiquement_adresses)
    assert _resultats(page, "« seniors »") == attendus


@pytest.mark.browser
def test_deux_facettes_restreignent(page, url_site, lieux):
    _ouvrir(page, f"{url_site}/recherche/")
    page.locator("fieldset[data-facette=commune] input[value='Saint-Étienne']").check()
    une = _noms(lieux, lambda x: x.commune == "Saint-Étienne")
    assert _resultats(page, f"{len(une)} lieux trouvés avec 1 filtre") == une
    page.locator("fieldset[data-facette=frais] input[value='Gratuit']").check()
    deux = _noms(lieux, lambda x: x.commune == "Saint-Étienne" and "Gratuit" in x.frais_a_charge)
    assert 0 < len(deux) < len(une)
    assert _resultats(page, "avec 2 filtres") == deux
    assert "commune=Saint-%C3%89tienne" in page.url and "frais=Gratuit" in page.url


@pytest.mark.browser
def test_deux_valeurs_d_une_facette_s_ajoutent(page, url_site, lieux):
    _ouvrir(page, f"{url_site}/recherche/?commune=Rennes&commune=Nancy")
    attendus = _noms(lieux, lambda x: x.commune in ("Rennes", "Nancy"))
    assert len(attendus) == 2
    assert _resultats(page, "avec 2 filtres") == attendus


@pytest.mark.browser
def test_clavier_garde_le_focus_sur_la_case(page, url_site):
    _ouvrir(page, f"{url_site}/recherche/?q=demarches")
    case = page.locator("fieldset[data-facette=commune] input[value='Nancy']")
    case.focus()
    page.keyboard.press("Space")
    _resultats(page, "avec 1 filtre")
    page.wait_for_selector("#recherche[data-comptes]", timeout=ATTENTE)
    focalise = page.evaluate("() => [document.activeElement.name, document.activeElement.value]")
    assert focalise == ["commune", "Nancy"]
    assert page.locator("fieldset[data-facette=commune] input[value='Nancy']").is_checked()


@pytest.mark.browser
def test_compteurs_par_valeur(page, url_site, lieux):
    _ouvrir(page, f"{url_site}/recherche/?q=demarches")
    _resultats(page, "« demarches »")
    page.wait_for_selector("#recherche[data-comptes]", timeout=ATTENTE)  # counted in the background
    frais = page.locator("fieldset[data-facette=frais] li")
    assert frais.first.inner_text().startswith("Gratuit (")  # free first
    communes = page.locator("fieldset[data-facette=commune] label").all_inner_texts()
    assert "Saint-Étienne (2)" in communes and "Nancy (1)" in communes


@pytest.mark.browser
def test_url_partagee_restaure_l_etat(page, navigateur, url_site):
    _ouvrir(page, f"{url_site}/recherche/")
    _taper(page, "demarches")
    _resultats(page, "« demarches »")
    page.locator("fieldset[data-facette=commune] input[value='Saint-Étienne']").check()
    avant = _resultats(page, "avec 1 filtre")
    partagee = page.url
    assert re.search(r"\?q=demarches&commune=Saint-%C3%89tienne$", partagee)

    autre, erreurs = _nouvelle_page(navigateur)
    _ouvrir(autre, partagee)
    assert autre.locator("#q").input_value() == "demarches"
    assert autre.locator("fieldset[data-facette=commune] input[value='Saint-Étienne']").is_checked()
    assert _resultats(autre, "avec 1 filtre") == avant
    autre.context.close()
    assert erreurs == []


@pytest.mark.browser
def test_lien_construit_a_la_main(page, url_site, lieux):
    service = "Aide aux démarches administratives"
    _ouvrir(page, f"{url_site}/recherche/?services={quote(service)}&commune=Nancy")
    assert page.locator(f"fieldset[data-facette=services] input[value='{service}']").is_checked()
    attendus = _noms(lieux, lambda x: service in x.services and x.commune == "Nancy")
    assert _resultats(page, "avec 2 filtres") == attendus


@pytest.mark.browser
def test_precedent_suivant(page, url_site):
    _ouvrir(page, f"{url_site}/recherche/")
    _taper(page, "smartphone")
    sans_filtre = _resultats(page, "« smartphone »")
    assert len(sans_filtre) == 2
    page.locator("fieldset[data-facette=commune] input[value='Rennes']").check()
    assert _resultats(page, "avec 1 filtre") == {"Atelier numérique de Rennes"}
    page.go_back()
    assert _resultats(page, "2 lieux trouvés pour « smartphone »") == sans_filtre
    assert not page.locator("fieldset[data-facette=commune] input[value='Rennes']").is_checked()
    page.go_back()
    assert page.locator("#q").input_value() == ""
    page.go_forward()
    page.go_forward()
    assert _resultats(page, "avec 1 filtre") == {"Atelier numérique de Rennes"}
    assert page.locator("fieldset[data-facette=commune] input[value='Rennes']").is_checked()
    assert page.locator("#q").input_value() == "smartphone"


@pytest.mark.browser
def test_compte_annonce(page, url_site):
    _ouvrir(page, f"{url_site}/recherche/?q=mediatheque")
    compte = page.locator("#compte")
    assert compte.get_attribute("aria-live") == "polite"
    assert _resultats(page, "1 lieu trouvé pour « mediatheque »") == {"Médiathèque Carnot"}
    assert page.locator("label[for=q]").inner_text() == "Mots à chercher"


@pytest.mark.browser
def test_recherche_depuis_l_entete(page, url_site):
    page.goto(f"{url_site}/")
    page.locator("#q-entete").fill("Mixeur")
    page.locator("#q-entete").press("Enter")
    page.wait_for_selector("#recherche[data-pret]", timeout=ATTENTE)
    assert page.locator("#q").input_value() == "Mixeur"
    assert _resultats(page, "« Mixeur »") == {"Le Mixeur"}


@pytest.mark.browser
def test_entete_sur_la_page_de_recherche(page, url_site):
    _ouvrir(page, f"{url_site}/recherche/?q=demarches")
    _resultats(page, "« demarches »")
    page.locator("#q-entete").fill("Carnot")
    page.locator("#q-entete").press("Enter")
    assert _resultats(page, "« Carnot »") == {"Médiathèque Carnot"}
    assert page.locator("#q").input_value() == "Carnot" and page.url.endswith("/recherche/?q=Carnot")


@pytest.mark.browser
def test_sans_javascript_les_listes(navigateur, url_site):
    contexte = navigateur.new_context(java_script_enabled=False)
    page = contexte.new_page()
    page.goto(f"{url_site}/recherche/?q=demarches")
    assert page.locator(".sans-js a[href='/lieux/']").is_visible()
    assert page.locator(".sans-js a[href='/communes/']").is_visible()
    assert not page.locator("#filtres").is_visible()
    contexte.close()


# --- From a sub-path (GitHub Pages project sites) -----------------------------------------------------


@pytest.mark.browser
def test_depuis_un_sous_dossier(page, tmp_path_factory):
    racine = tmp_path_factory.mktemp("www")
    _construire(racine / SOUS_DOSSIER.strip("/"), SITEURL=SOUS_DOSSIER)
    base, serveur = servir(racine)
    try:
        _ouvrir(page, f"{base}{SOUS_DOSSIER}/recherche/?q=carnot")
        assert _resultats(page, "« carnot »") == {"Médiathèque Carnot"}
        lien = page.locator(".resultat h3 a").first
        assert lien.get_attribute("href") == f"{SOUS_DOSSIER}/lieux/mediatheque-carnot/"
        assert page.request.get(f"{base}{lien.get_attribute('href')}").ok
        page.wait_for_selector("#recherche[data-comptes]", timeout=ATTENTE)  # background work done
    finally:
        serveur.shutdown()
        serveur.server_close()


@pytest.mark.browser
def test_sur_un_telephone_les_listes_de_filtres_attendent_l_ouverture(navigateur, url_site):
    """Folded filters (a phone): the facet lists (every value of every facet) are downloaded only
    when the visitor opens them; the results come without them."""
    contexte = navigateur.new_context(viewport={"width": 375, "height": 700})
    try:
        page = contexte.new_page()
        filtres: list[str] = []
        page.on("request", lambda r: filtres.append(r.url) if "/pagefind/filter/" in r.url else None)
        _ouvrir(page, f"{url_site}/recherche/?q=epn")
        page.wait_for_selector("#liste-resultats li", timeout=ATTENTE)
        assert not page.locator("#repli-filtres").get_attribute("open") and filtres == []
        page.click("#repli-filtres summary")
        page.wait_for_selector("#recherche[data-comptes]", timeout=ATTENTE)
        assert filtres and page.locator("fieldset[data-facette] li").count() > 0
    finally:
        contexte.close()


@pytest.mark.browser
def test_resultats_et_comptes_chacun_dans_son_worker(navigateur, url_site):
    """The results and the facet counts run in two Pagefind workers: in one, the filter lists the
    counts load reached the results instance (two visits in three), which then counted every
    facet over every result (9 to 19 s for a word on 27,000 of 30,000 sheets). Each of ten
    visits: the page has two workers, and the results' search comes back without counts."""
    for _ in range(10):
        contexte = navigateur.new_context()
        try:
            page = contexte.new_page()
            _ouvrir(page, f"{url_site}/recherche/")
            page.wait_for_selector("#recherche[data-comptes]", state="attached", timeout=ATTENTE)
            assert len(page.workers) == 2, [w.url for w in page.workers]
            # A new instance in the results' worker, where the counts' lists would have leaked.
            reponse = page.evaluate(
                """async () => {
                     const pf = await import("/pagefind/pagefind.js");
                     const instance = pf.createInstance({ basePath: "/pagefind/", baseUrl: "/" });
                     const r = await instance.search("epn");
                     return { n: r.results.length, filtres: Object.keys(r.filters || {}).length };
                   }"""
            )
            assert reponse["n"] > 0 and reponse["filtres"] == 0, reponse
        finally:
            contexte.close()


def test_modules_de_donnees_de_la_recherche(page, url_site):
    # The pure modules of the search page, alone: the URL state round-trips, facet values are
    # ranked (fixed order, then count, then name), outdated results leave the counts.
    page.goto(f"{url_site}/recherche/")
    resultat = page.evaluate(
        """async () => {
             const etat = await import("/theme/js/recherche-etat.js");
             const comptes = await import("/theme/js/recherche-comptes.js");
             const cles = ["services", "commune"];
             const url = "?q=%20cafe%20&commune=B&commune=A&commune=B&ouvert=maintenant";
             const lu = etat.etatDepuisUrl(url, cles);
             const retires = new Map([["r1", { commune: ["A"] }]]);
             return {
               lu,
               requete: etat.requeteDepuisEtat(lu, cles),
               pagefind: etat.filtresPagefind({ commune: ["B", "A"], services: ["x"] }, "services"),
               phrase: etat.phraseCompte(1, lu),
               ordre: comptes.ordreValeurs({ b: 3, a: 3, Gratuit: 1, c: 9 }, ["Gratuit", "absent"]),
               visibles: comptes.valeursVisibles(["a", "b", "c"], { a: 2, c: 1 }, ["z"], 2),
               sans: comptes.sansRetires({ commune: { A: 2, B: 1 } }, retires, [{ id: "r1" }, { id: "r2" }]),
               actuels: comptes.actuels([{ id: "r1" }, { id: "r2" }], retires).map((r) => r.id),
             };
           }"""
    )
    assert resultat["lu"] == {"q": "cafe", "filtres": {"commune": ["B", "A"]}, "ouvert": True}
    assert resultat["requete"] == "?q=cafe&ouvert=maintenant&commune=B&commune=A"
    assert resultat["pagefind"] == {"commune": {"any": ["B", "A"]}}
    assert resultat["phrase"] == "1 lieu trouvé pour « cafe » avec 3 filtres"
    assert resultat["ordre"] == ["Gratuit", "c", "a", "b"]
    assert resultat["visibles"] == {"visibles": ["z", "a"], "total": 3}
    assert resultat["sans"] == {"commune": {"A": 1, "B": 1}}
    assert resultat["actuels"] == ["r2"]
