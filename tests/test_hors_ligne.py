"""Offline use, installation and favourites (issue 23), mostly in headless chromium.

The site is served on 127.0.0.1 (a secure context: service workers run there). After visiting the
home page, a sheet and a search online, the browser is put offline (`context.set_offline`): the
sheet and the search (for the query already made) still work, a page never visited shows the
offline page with links to what is kept; on a network too slow to answer, the kept copy shows
after 4 s. Favourites ("Garder cette fiche", "Mes lieux") survive a reload and a new build; after
a new build, an online visit shows the updated sheet and the last build's caches are gone.
Installability is checked as Lighthouse did before version 12 dropped its PWA category:
`Page.getInstallabilityErrors` (CDP) returns nothing, and the manifest parses
(`Page.getAppManifest`). Chromium refuses to install from an incognito-like context, so that
check runs in a persistent profile. Everything also works under a sub-path (SITEURL="/annuaire").
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import shutil
import struct
import threading
import time
import zlib
from pathlib import Path

import pytest
from aide_navigateur import Onglet, attendre_page, violations_axe
from annuaire.build.hors_ligne import MARQUE_VERSION, icone_png, identifiant_construction, manifeste
from annuaire.domain.reglages import ReglageInvalide, lire_reglages
from annuaire.site.gabarits import politique_securite
from conftest import CHROMIUM, CHROMIUM_ARGS, RACINE, construire_site_test, en_service

CONTENU = RACINE / "tests" / "site" / "content"
FICHE = "/lieux/espace-test/"
NOM_FICHE = "Espace numérique d'essai"
VERSION = re.compile(r'^const VERSION = "([0-9a-f]{16})";$', re.M)
PRET = "() => navigator.serviceWorker.controller !== null"  # a function: the pages' CSP forbids eval
# True when the page and every same-origin file it loaded are in the worker's caches (the worker
# keeps them in the background: going offline before that would lose some).
TOUT_GARDE = """async () => {
  const cle = (u) => { const a = new URL(u); return a.origin + a.pathname; };
  const urls = [location.href, ...performance.getEntriesByType("resource").map((r) => r.name)]
    .filter((u) => u.startsWith(location.origin) && !u.endsWith("/sw.js"));
  for (const u of urls) if (!(await caches.match(cle(u)))) return false;
  return true;
}"""
NOMS_CACHES = "async () => (await caches.keys()).sort()"


def lire_png(donnees: bytes) -> tuple[int, int, bytes]:
    """(width, height, raw rows) of an 8-bit RGB PNG in one IDAT chunk, as icone_png writes it."""
    assert donnees[:8] == b"\x89PNG\r\n\x1a\n"
    largeur, hauteur, profondeur, genre = struct.unpack(">IIBB", donnees[16:26])
    assert (profondeur, genre) == (8, 2)
    longueur = struct.unpack(">I", donnees[33:37])[0]
    assert donnees[37:41] == b"IDAT"
    return largeur, hauteur, zlib.decompress(donnees[41 : 41 + longueur])


def pixel(brut: bytes, largeur: int, x: int, y: int) -> tuple[int, int, int]:
    """The RGB value of one pixel of `lire_png`'s rows (each starts with its filter byte)."""
    debut = y * (1 + 3 * largeur) + 1 + 3 * x
    return tuple(brut[debut : debut + 3])


def version_de(sortie: Path) -> str:
    """The build id written into sortie/sw.js."""
    return VERSION.search((sortie / "sw.js").read_text(encoding="utf-8")).group(1)


def visiter(page, url: str) -> None:
    """Open `url`, wait for its scripts, the worker's control and for everything to be kept."""
    page.goto(url)
    attendre_page(page, _chemin(url))
    page.wait_for_function(PRET)
    page.wait_for_function(TOUT_GARDE)


def _chemin(url: str) -> str:
    """The path and query of a test URL, with the sub-path removed (for `attendre_page`)."""
    chemin = "/" + url.split("/", 3)[3]
    return chemin.removeprefix("/annuaire")


def garder_la_fiche(page) -> None:
    """Press "Garder cette fiche" on the open sheet and check what it says."""
    bouton = page.get_by_role("button", name="Garder cette fiche")
    bouton.click()
    page.get_by_role("button", name="Retirer de mes lieux").wait_for()
    assert "Fiche gardée" in page.locator(".fiche-garder [role=status]").inner_text()


@pytest.fixture
def onglet(navigateur):
    """A fresh context (its own service workers and storage) at a phone's size, recording errors."""
    o = Onglet(navigateur, viewport={"width": 390, "height": 844})
    yield o
    o.fermer()


@pytest.fixture
def profil(navigateur, tmp_path):
    """A persistent (not incognito-like) chromium profile: the only kind Chromium installs from."""
    contexte = navigateur.browser_type.launch_persistent_context(
        str(tmp_path / "profil"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )
    yield contexte
    contexte.close()


def erreurs_d_installation(contexte, url: str) -> tuple[list, list, dict]:
    """(installability errors, manifest errors, parsed manifest) of `url` in `contexte`."""
    page = contexte.pages[0] if contexte.pages else contexte.new_page()
    page.goto(url)
    page.wait_for_function(PRET)
    cdp = contexte.new_cdp_session(page)
    installation = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    manifeste = cdp.send("Page.getAppManifest")
    return installation, manifeste["errors"], json.loads(manifeste["data"])


# --- what the build writes --------------------------------------------------------------------


def test_manifeste(site_test):
    manifeste = json.loads((site_test / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifeste["lang"] == "fr" and manifeste["display"] == "standalone"
    assert manifeste["name"] == "Annuaire de la médiation numérique – Saint-Étienne"
    assert manifeste["short_name"] == "Aide numérique"
    assert manifeste["start_url"] == manifeste["scope"] == manifeste["id"] == "/"
    assert manifeste["theme_color"] == "#0b5394"  # ANNUAIRE["couleurs"]["principale"]
    tailles = {(i["sizes"], i["purpose"]) for i in manifeste["icons"]}
    assert tailles == {(f"{t}x{t}", p) for t in (192, 512) for p in ("any", "maskable")}
    for icone in manifeste["icons"]:
        largeur, hauteur, brut = lire_png((site_test / icone["src"].lstrip("/")).read_bytes())
        assert f"{largeur}x{hauteur}" == icone["sizes"]
        assert pixel(brut, largeur, 0, 0) == (0x0B, 0x53, 0x94)  # full bleed: maskable
        assert pixel(brut, largeur, largeur // 2, largeur // 2) == (255, 255, 255)
        # The drawing stays inside the safe zone (a circle of 40 % of the size): nothing white beyond.
        assert pixel(brut, largeur, largeur // 2, int(largeur * 0.09)) == (0x0B, 0x53, 0x94)


def test_nom_court_reglable():
    reglages = lire_reglages({"territoire": "Nancy", "extra": {"nom_court": "Aide Nancy"}})
    assert manifeste(reglages, "https://org.github.io/annuaire")["short_name"] == "Aide Nancy"
    assert manifeste(reglages, "https://org.github.io/annuaire")["start_url"] == "/annuaire/"
    with pytest.raises(ReglageInvalide, match="nom_court"):
        manifeste(lire_reglages({"extra": {"nom_court": 3}}), "")


def test_icone_de_la_couleur_du_territoire():
    largeur, _, brut = lire_png(icone_png(192, "#7a1f5c"))
    assert largeur == 192 and len(brut) == 192 * (1 + 3 * 192)
    assert pixel(brut, 192, 5, 190) == (0x7A, 0x1F, 0x5C)


def test_travailleur_a_la_racine_avec_l_identifiant(site_test):
    source = (site_test / "sw.js").read_text(encoding="utf-8")
    assert MARQUE_VERSION not in source and VERSION.search(source)
    # Everything it fetches at installation exists in the site.
    for liste in ("PAGES_D_AVANCE", "FICHIERS_D_AVANCE"):
        bloc = re.search(rf"const {liste} = \[(.*?)\];", source, re.S).group(1)
        for chemin in re.findall(r'"([^"]*)"', bloc):
            assert (site_test / chemin / "index.html").is_file() or (site_test / chemin).is_file(), chemin


def test_identifiant_suit_ce_que_le_site_sert(tmp_path):
    (tmp_path / "pagefind" / "fragment").mkdir(parents=True)
    (tmp_path / "theme.css").write_text("a{}")
    (tmp_path / "pagefind" / "pagefind-entry.json").write_text("{}")
    (tmp_path / "pagefind" / "fragment" / "x.pf_fragment").write_text("1")
    pages = {"lieux/x/index.html": "aaa"}
    ident = lambda: identifiant_construction(tmp_path, pages, "v1", "source")  # noqa: E731
    premier = ident()
    assert ident() == premier  # the same build, the same id
    (tmp_path / "pagefind" / "fragment" / "x.pf_fragment").write_text("2")
    (tmp_path / "pagefind" / "pagefind-entry.json").write_text('{"v": 2}')
    assert ident() == premier  # the index is made from the pages (and may be being written)
    avant = ident()
    pages["lieux/x/index.html"] = "bbb"  # a page re-rendered with other data (or kept: not in the folder)
    assert ident() != avant
    avant = ident()
    (tmp_path / "theme.css").write_text("b{}")
    assert ident() != avant


def test_pages_et_liens(site_test):
    fiche = (site_test / "lieux" / "espace-test" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="/manifest.webmanifest">' in fiche
    assert '<meta name="theme-color" content="#0b5394">' in fiche
    assert 'src="/theme/js/hors-ligne.js"' in fiche and 'src="/theme/js/favoris.js"' in fiche
    assert re.search(r'<div class="fiche-garder" data-favori hidden', fiche)  # shown by the script only
    for chemin in ("mes-lieux/index.html", "hors-ligne/index.html"):
        html = (site_test / chemin).read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in html
        assert "/" + chemin.removesuffix("index.html") not in (site_test / "sitemap.xml").read_text()
    for vue in ("integrer/liste/index.html", "integrer/carte/index.html"):  # embedded: none of it
        html = (site_test / vue).read_text(encoding="utf-8")
        assert "manifest" not in html and "hors-ligne.js" not in html and "data-favori" not in html


def test_politique_permet_travailleur_et_manifeste_du_site_seulement():
    directives = dict(d.strip().split(" ", 1) for d in politique_securite("").split(";"))
    # No worker-src / manifest-src: both fall back to our own origin (script-src, default-src).
    assert "worker-src" not in directives and "manifest-src" not in directives
    assert directives["default-src"] == "'self'" and directives["script-src"].startswith("'self'")


def test_sous_chemin(tmp_path):
    sortie = tmp_path / "racine" / "annuaire"
    assert construire_site_test(CONTENU, sortie, SITEURL="/annuaire") == 0
    manifeste = json.loads((sortie / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifeste["start_url"] == manifeste["scope"] == "/annuaire/"
    assert all(i["src"].startswith("/annuaire/theme/images/") for i in manifeste["icons"])
    assert {r["url"] for r in manifeste["shortcuts"]} == {"/annuaire/mes-lieux/", "/annuaire/recherche/"}
    html = (sortie / "mes-lieux" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'(href|src|action)="/(?!annuaire)', html)


# --- in the browser ---------------------------------------------------------------------------


@pytest.mark.browser
def test_hors_ligne_apres_une_visite(onglet, url_site_test):
    page, base = onglet.page, url_site_test
    for chemin in ("/", FICHE, "/recherche/?q=espace"):
        visiter(page, base + chemin)
    assert not page.locator(".recherche-hors-ligne").is_visible()
    assert onglet.erreurs == []  # registering the worker broke no policy and no script
    onglet.contexte.set_offline(True)

    page.goto(base + FICHE)
    assert page.locator("h1").inner_text() == NOM_FICHE
    assert page.get_by_role("button", name="Garder cette fiche").is_visible()
    page.goto(base + "/recherche/?q=espace")
    page.wait_for_selector("#liste-resultats li", state="attached")
    assert NOM_FICHE in page.locator("#liste-resultats").inner_text()
    assert "ne trouve que les mots déjà cherchés" in page.locator(".recherche-hors-ligne").inner_text()

    page.goto(base + "/communes/")  # never visited
    page.wait_for_selector("#pages-hors-ligne[data-pret]", state="attached")
    assert page.locator("h1").inner_text() == "Pas de connexion"
    liens = {a.inner_text(): a.get_attribute("href") for a in page.locator("#pages-hors-ligne a").all()}
    assert liens[f"{NOM_FICHE} (Saint-Étienne)"] == base + FICHE
    assert liens["Accueil"] == base + "/" and liens["Rechercher un lieu"] == base + "/recherche/"
    assert f"{base}/communes/" not in liens.values()
    page.get_by_role("link", name="Mes lieux").first.click()
    page.wait_for_selector("#mes-lieux[data-pret]", state="attached")  # kept from the first visit
    assert "aucune fiche" in page.locator("#mes-lieux-vide").inner_text()


@pytest.mark.browser
def test_favoris(onglet, url_site_test):
    page, base = onglet.page, url_site_test
    visiter(page, base + FICHE)
    garder_la_fiche(page)
    page.reload()
    assert page.get_by_role("button", name="Retirer de mes lieux").is_visible()
    assert page.locator("nav [data-mes-lieux]").is_visible()

    onglet.contexte.set_offline(True)
    page.goto(base + FICHE)  # the first page visited, before the worker was there: kept too
    assert page.locator("h1").inner_text() == NOM_FICHE
    page.goto(base + "/mes-lieux/")
    page.wait_for_selector("#mes-lieux[data-pret]", state="attached")
    carte = page.locator("#mes-lieux-liste article")
    assert carte.count() == 1
    assert carte.get_by_role("link", name=NOM_FICHE).get_attribute("href") == base + FICHE
    assert "1 place de l'Hôtel de Ville, 42000 Saint-Étienne" in carte.inner_text()
    assert carte.get_by_role("link", name="04 77 12 34 56").get_attribute("href") == "tel:+33477123456"
    assert "Horaires : lun.–ven. 9 h – 12 h, 14 h – 18 h" in carte.inner_text()
    assert violations_axe(page) == []

    page.emulate_media(media="print")  # a handout: the cards and their web address, no buttons
    assert not page.get_by_role("button", name="Imprimer la liste").is_visible()
    assert not carte.get_by_role("button").is_visible()
    assert carte.locator(".mes-lieux-adresse").inner_text() == f"Fiche en ligne : {base}{FICHE}"
    assert not page.locator(".entete").is_visible()
    page.emulate_media(media="screen")

    page.get_by_role("button", name=f"Retirer {NOM_FICHE} de mes lieux").click()
    assert carte.count() == 0
    assert "a été retiré" in page.locator("#mes-lieux-compte").inner_text()
    assert page.locator("#mes-lieux-vide").is_visible()


@pytest.mark.browser
def test_favoris_stockes_hostiles(onglet, url_site_test):
    """What the storage holds is checked: bad entries are dropped, text stays text."""
    page, base = onglet.page, url_site_test
    page.goto(base + "/mes-lieux/")
    hostiles = [
        {
            "nom": '<img src=x onerror="window.pirate=1">',
            "url": "lieux/espace-test/",
            "tel": "javascript:alert(1)",
            "telephone": "<b>0</b>",
        },
        {"nom": "Lien piégé", "url": "javascript:alert(1)//"},
        {"nom": "Ailleurs", "url": "https://exemple.org/lieux/x/"},
        {"nom": "Remontée", "url": "lieux/../../"},
        "pas un objet",
        None,
        {"nom": ["liste"], "url": "lieux/y/"},
    ]
    page.evaluate("(v) => localStorage.setItem('annuaire-favoris:/', JSON.stringify(v))", hostiles)
    page.reload()
    page.wait_for_selector("#mes-lieux[data-pret]", state="attached")
    cartes = page.locator("#mes-lieux-liste article")
    assert cartes.count() == 1
    assert cartes.get_by_role("link").first.inner_text() == '<img src=x onerror="window.pirate=1">'
    assert "Téléphone : <b>0</b>" in cartes.inner_text()
    assert cartes.locator("a[href^=javascript]").count() == 0
    assert page.evaluate("window.pirate === undefined") and page.locator("#mes-lieux-liste img").count() == 0
    page.evaluate("localStorage.setItem('annuaire-favoris:/', '{pas du json')")
    page.reload()
    page.wait_for_selector("#mes-lieux[data-pret]", state="attached")
    assert page.locator("#mes-lieux-vide").is_visible()


@pytest.mark.browser
def test_nouvelle_construction(onglet, tmp_path):
    contenu, sortie = tmp_path / "content", tmp_path / "output"
    shutil.copytree(CONTENU, contenu)
    assert construire_site_test(contenu, sortie) == 0
    ancienne = version_de(sortie)
    page = onglet.page
    with en_service(sortie) as base:
        visiter(page, base + "/")
        visiter(page, base + FICHE)
        garder_la_fiche(page)
        assert any(ancienne in nom for nom in page.evaluate(NOMS_CACHES))

        fiche = contenu / "lieux" / "espace-test.yaml"
        fiche.write_text(
            fiche.read_text(encoding="utf-8").replace(
                "Un espace pour apprendre", "Texte de la nouvelle construction pour apprendre"
            ),
            encoding="utf-8",
        )
        assert construire_site_test(contenu, sortie) == 0
        nouvelle = version_de(sortie)
        assert nouvelle != ancienne

        page.goto(base + FICHE)  # online: the new build's sheet, not the kept one
        assert "Texte de la nouvelle construction" in page.locator(".fiche-resume").inner_text()
        assert page.get_by_role("button", name="Retirer de mes lieux").is_visible()  # still kept
        # The navigation made the browser fetch the new worker: it takes over and drops the old caches.
        page.wait_for_function("async (v) => (await caches.keys()).every((n) => n.includes(v))", arg=nouvelle)
        page.wait_for_function(TOUT_GARDE)
        assert len(page.evaluate(NOMS_CACHES)) == 2

        onglet.contexte.set_offline(True)
        page.goto(base + FICHE)
        assert "Texte de la nouvelle construction" in page.locator(".fiche-resume").inner_text()
        page.goto(base + "/mes-lieux/")
        page.wait_for_selector("#mes-lieux[data-pret]", state="attached")
        assert page.locator("#mes-lieux-liste article").count() == 1


@pytest.mark.browser
def test_installable(profil, url_site_test):
    installation, erreurs, manifeste = erreurs_d_installation(profil, url_site_test + "/")
    assert installation == [] and erreurs == []
    assert manifeste["short_name"] == "Aide numérique"


@pytest.mark.browser
def test_sous_chemin_hors_ligne_et_installable(profil, tmp_path):
    racine = tmp_path / "racine"
    assert construire_site_test(CONTENU, racine / "annuaire", SITEURL="/annuaire") == 0
    with en_service(racine) as serveur:
        base = serveur + "/annuaire"
        installation, erreurs, _ = erreurs_d_installation(profil, base + "/")
        assert installation == [] and erreurs == []
        page = profil.pages[0]
        assert page.evaluate("() => navigator.serviceWorker.ready.then((r) => r.scope)") == base + "/"
        visiter(page, base + FICHE)
        garder_la_fiche(page)
        assert page.evaluate("Object.keys(localStorage)") == ["annuaire-favoris:/annuaire/"]
        profil.set_offline(True)
        page.goto(base + FICHE)
        assert page.locator("h1").inner_text() == NOM_FICHE
        page.goto(base + "/services/")
        page.wait_for_selector("#pages-hors-ligne[data-pret]", state="attached")
        assert page.locator("h1").inner_text() == "Pas de connexion"
        assert base + FICHE in [a.get_attribute("href") for a in page.locator("#pages-hors-ligne a").all()]
        page.goto(base + "/mes-lieux/")
        page.wait_for_selector("#mes-lieux[data-pret]", state="attached")
        assert page.locator("#mes-lieux-liste article").count() == 1


@pytest.mark.browser
def test_vues_integrees_sous_le_travailleur(onglet, url_site_test):
    page, base = onglet.page, url_site_test
    visiter(page, base + "/")
    page.goto(base + "/integrer/liste/?q=espace")
    page.wait_for_selector("#liste-resultats li", state="attached")
    assert page.evaluate(PRET) and page.locator("[data-favori]").count() == 0
    page.goto(base + "/integrer/carte/")
    page.wait_for_selector("#carte-page[data-etat=prete]", state="attached")
    page.goto(base + "/integrer/")  # the builder and its preview frame
    cadre = page.frame_locator("#integrer-apercu")
    cadre.locator("#recherche[data-pret]").wait_for(state="attached")
    assert onglet.erreurs == []


@pytest.mark.browser
def test_sans_javascript(navigateur, url_site_test):
    contexte = navigateur.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = contexte.new_page()
    try:
        page.goto(url_site_test + FICHE)
        assert page.locator("h1").inner_text() == NOM_FICHE
        assert not page.locator(".fiche-garder").is_visible()
        assert not page.locator("nav [data-mes-lieux]").is_visible()
        page.goto(url_site_test + "/mes-lieux/")
        assert "a besoin de JavaScript" in page.locator("[data-sans-js]").inner_text()
        assert not page.locator("#mes-lieux-liste").is_visible()
    finally:
        contexte.close()


@contextlib.contextmanager
def servi_lentement(dossier: Path, lent: threading.Event, chemin: str):
    """Serve `dossier` on 127.0.0.1; while `lent` is set, `chemin` answers after 8 s (a basement's
    network: connected, but next to nothing gets through)."""

    class Lent(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 (http.server's name)
            if lent.is_set() and self.path.startswith(chemin):
                time.sleep(8)
            super().do_GET()

    gestionnaire = functools.partial(Lent, directory=str(dossier))
    serveur = http.server.ThreadingHTTPServer(("127.0.0.1", 0), gestionnaire)
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{serveur.server_address[1]}"
    finally:
        serveur.shutdown()
        serveur.server_close()


@pytest.mark.browser
def test_reseau_trop_lent_la_copie_gardee(onglet, site_test):
    lent = threading.Event()
    with servi_lentement(site_test, lent, FICHE) as base:
        page = onglet.page
        visiter(page, base + "/")
        visiter(page, base + FICHE)
        lent.set()
        debut = time.monotonic()
        page.goto(base + FICHE)
        assert page.locator("h1").inner_text() == NOM_FICHE
        assert 3.5 < time.monotonic() - debut < 7.8  # the kept copy after DELAI_RESEAU_MS (4 s), not 8 s
        lent.clear()
