"""Security against hostile input, and the Content-Security-Policy.

The corpus tests/securite/charges.txt holds hostile payloads (script tags, event handlers,
javascript:/data: links, SVG, iframes, styles, entity tricks, template injection, spreadsheet
formulas, control and look-alike characters; the test adds very long strings). Three checks:

1. Local entries: each payload in each text field of an entry. Payloads marked `refus` stop the
   build with `file:line: field: message`; payloads marked `texte` are accepted. Fields that take
   a link, an e-mail, a phone or opening hours refuse every payload.
2. A hostile site, built for real: local entries holding every accepted payload in every text
   field, every payload in their Markdown bodies, a network with a tag in its name, and a federated
   snapshot (content/sources/) with every payload in every text field. No output file (HTML, JSON,
   GeoJSON, CSV, Atom, sitemap, search index) holds anything that could run, and in a browser
   with the CSP switched off (to test the escaping on its own) nothing runs: no dialog, no
   console message, no inline script or event handler in the live page, even after the search
   and the map have drawn their results.
3. The Content-Security-Policy: the same in every page's meta tag and in _headers, no
   'unsafe-inline' for scripts, no inline script or handler in the templates, no third-party
   script, style or font, the map tiles' origin taken from the setting; and the pages work under
   it without a single violation.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from aide_navigateur import PNG_BLANC, Onglet, onglet_partage
from annuaire.domain.champs import CHAMPS_STANDARD
from annuaire.domain.formats import ressemble_formule
from annuaire.loading.entrees import charger_lieu
from annuaire.site.gabarits import entetes_http, origine_tuiles, politique_securite
from annuaire.validation.regles import CHAMPS_TEXTE_LIBRE, Contexte, valider_lieu
from conftest import RACINE, construire_site_test, servir

CORPUS = RACINE / "tests" / "securite" / "charges.txt"
JOUR = dt.date(2024, 1, 15)
# Fields where no payload is acceptable: they take a link, an e-mail, a phone or opening hours.
CHAMPS_STRICTS = ("site_web", "prise_rdv", "fiche_acces_libre", "courriels", "telephone", "horaires")
CHAMPS_LISTES = ("site_web", "courriels", "autres_formations_labels")
# Markup that only a Markdown body can hold: links and images with dangerous targets.
MARKDOWN_HOSTILE = """[clic](javascript:alert('XSS')) ![image](javascript:alert('XSS'))
[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4=) <javascript:alert('XSS')>
[clic](vbscript:msgbox('XSS') "titre") [clic]( JaVaScRiPt:alert('XSS') )
<a href="https://exemple.fr" onmouseover="alert('XSS')" style="color:red">lien</a>
"""
# Links, e-mails and phones that pass the checks yet hold quotes and brackets: shown escaped.
LIENS_VALIDES = {
    "site_web": ["https://exemple.fr/'onmouseover='alert(1)'", "https://exemple.fr/?a=1&b=2;c='d'"],
    "prise_rdv": "https://exemple.fr/rdv?a=1&amp;b=%3Cscript%3Ealert('XSS')%3C/script%3E",
    "fiche_acces_libre": "https://exemple.fr/#'-alert(1)-'",
    "courriels": ["x'onmouseover=alert`XSS`'@exemple.fr"],
    "telephone": "04 77 12 34 56",
}
BALISE = re.compile(r"<\s*[a-zA-Z!/?]")
SCHEMAS_DANGEREUX = re.compile(r"^(javascript|vbscript|data):")
ATTRIBUTS_URL = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background"}
)
BALISES_INTERDITES = frozenset({"object", "embed", "frame", "frameset", "applet", "style"})


def lire_corpus() -> list[tuple[str, str]]:
    """(verdict, payload) pairs of the corpus, plus two very long strings."""
    charges = []
    for ligne in CORPUS.read_text(encoding="utf-8").splitlines():
        if ligne.strip() and not ligne.startswith("#"):
            verdict, texte = ligne.split(" ", 1)
            charges.append((verdict, json.loads(texte)))
    return charges + [("texte", "A" * 12_000), ("texte", "é&<" * 2_000)]


CHARGES = lire_corpus()


def test_corpus_assez_riche():
    assert len(CHARGES) >= 50
    assert {verdict for verdict, _ in CHARGES} == {"refus", "texte"}


# --- 1. Local entries: refused with file, line and field, or accepted -------------------------


def yaml_entree(champs: dict) -> str:
    """An entry file: one `field: value` per line, values written as JSON (valid YAML)."""
    return "".join(f"{cle}: {json.dumps(valeur)}\n" for cle, valeur in champs.items())


def entree_avec(champ: str, charge: str) -> dict:
    """A valid entry whose field `champ` holds `charge` (on line 2)."""
    base = {
        "nom": "Lieu d'essai",
        "adresse": "1 rue A",
        "commune": "Saint-Étienne",
        "date_maj": "2024-01-01",
        "source": "essai",
    }
    valeur = [charge] if champ in CHAMPS_LISTES else charge
    return {"code_postal": "42000", champ: valeur} | {k: v for k, v in base.items() if k != champ}


def refus_attendu(verdict: str, champ: str, charge: str) -> bool:
    """True when an entry with `charge` in `champ` must stop the build."""
    trop_long = champ == "presentation_resume" and len(charge) > 280
    return verdict == "refus" or champ in CHAMPS_STRICTS or trop_long


@pytest.mark.parametrize("verdict, charge", CHARGES, ids=[f"{i:02d}" for i in range(len(CHARGES))])
def test_entree_locale_refusee_ou_acceptee(tmp_path, verdict, charge):
    dossier = tmp_path / "content" / "lieux"
    dossier.mkdir(parents=True)
    for champ in CHAMPS_TEXTE_LIBRE + CHAMPS_STRICTS:
        chemin = dossier / f"{champ}.yaml"
        chemin.write_text(yaml_entree(entree_avec(champ, charge)), encoding="utf-8")
        lieu, problemes = charger_lieu(chemin, tmp_path)
        erreurs = [p for p in problemes + valider_lieu(lieu, Contexte(JOUR)) if p.est_erreur]
        if refus_attendu(verdict, champ, charge):
            assert erreurs, f"{champ} : {charge[:60]!r} accepté"
            assert str(erreurs[0]).startswith(f"content/lieux/{champ}.yaml:2: {champ}: "), erreurs
        else:
            assert erreurs == [], f"{champ} : {charge[:60]!r} refusé"


def test_entree_de_base_valide(tmp_path):
    chemin = tmp_path / "lieu.yaml"
    chemin.write_text(yaml_entree(entree_avec("nom", "Lieu d'essai")), encoding="utf-8")
    lieu, problemes = charger_lieu(chemin, tmp_path)
    assert [p for p in problemes + valider_lieu(lieu, Contexte(JOUR)) if p.est_erreur] == []


def test_octet_nul_refuse(tmp_path):
    chemin = tmp_path / "content" / "lieux" / "binaire.md"
    chemin.parent.mkdir(parents=True)
    chemin.write_text(f"---\n{yaml_entree(entree_avec('nom', 'Lieu'))}---\nnul\x00octet\n", encoding="utf-8")
    lieu, problemes = charger_lieu(chemin, tmp_path)
    assert lieu is None and [str(p) for p in problemes] == [
        "content/lieux/binaire.md:1: fichier binaire : une fiche est un texte YAML"
    ]


def test_construction_refusee_avec_un_message_clair(tmp_path, capsys):
    contenu = tmp_path / "content"
    shutil.copytree(RACINE / "tests" / "site" / "content", contenu)
    entree = entree_avec("nom", "<img src=x onerror=alert('XSS')>")
    (contenu / "lieux" / "hostile.yaml").write_text(yaml_entree(entree), encoding="utf-8")
    assert construire_site_test(contenu, tmp_path / "output") == 1
    erreurs = capsys.readouterr().err
    assert "content/lieux/hostile.yaml:2: nom: texte simple attendu : pas de balise HTML" in erreurs
    assert not (tmp_path / "output").exists()


# --- 2. The hostile site -----------------------------------------------------------------------


def entree_hostile(numero: int, verdict: str, charge: str) -> tuple[dict, str]:
    """(fields, Markdown body) of local entry `numero`: the payload wherever it is accepted."""
    champs = {
        "nom": f"Lieu {numero}",
        "adresse": f"{numero} rue de l'Essai",
        "code_postal": "42000",
        "commune": "Saint-Étienne",
        "latitude": 45.43 + numero / 2000,
        "longitude": 4.38,
        "precision_coordonnees": "adresse",
        "date_maj": "2024-01-01",
        "source": "essai",
        "horaires": "Mo-Fr 09:00-12:00",
        "services": ["Aide aux démarches administratives"],
        "frais_a_charge": ["Gratuit"],
        "reseaux": ["reseau-hostile"],
        **LIENS_VALIDES,
    }
    if verdict == "texte":
        for champ in CHAMPS_TEXTE_LIBRE:
            if champ not in CHAMPS_STRICTS and not (champ == "presentation_resume" and len(charge) > 280):
                champs[champ] = [charge] if champ in CHAMPS_LISTES else charge
        del champs["presentation_detail"]  # the body holds the description
    corps = charge if "\x00" not in charge else "Sans octet nul."  # see test_octet_nul_refuse
    return champs, f"{corps}\n\n{MARKDOWN_HOSTILE}"


def ligne_federee(identifiant: str, charge: str, nom: str = "", adresse: str = "") -> dict:
    """A row of a federated snapshot with `charge` in every text field (or all but name/address)."""
    ligne = {champ: charge for champ in CHAMPS_TEXTE_LIBRE + CHAMPS_STRICTS if champ in CHAMPS_STANDARD}
    ligne |= {
        "id": identifiant,
        "code_postal": "42000",
        "date_maj": "2024-01-01",
        "latitude": 45.45,
        "longitude": 4.39,
        "services": "Aide aux démarches administratives",
    }
    if nom:
        ligne |= {"nom": nom, "adresse": adresse, "commune": "Saint-Étienne"}
    return ligne


def ecrire_contenu_hostile(contenu: Path) -> None:
    """content/ of the hostile site: entries, one network, one federated snapshot."""
    for dossier in ("lieux", "reseaux", "sources"):
        (contenu / dossier).mkdir(parents=True)
    for numero, (verdict, charge) in enumerate(CHARGES):
        champs, corps = entree_hostile(numero, verdict, charge)
        texte = f"---\n{yaml_entree(champs)}---\n{corps}"
        (contenu / "lieux" / f"charge-{numero:03d}.md").write_text(texte, encoding="utf-8")
    premieres = [c for _, c in CHARGES[:40]]
    reseau = {
        "nom": "<img src=x onerror=alert('XSS')> Réseau \"hostile\" & cie",
        "description": " ".join(premieres),
        "coordination": premieres,
        # The most hostile site the one URL check lets through (tests/test_liens.py: the rest is refused).
        "site_web": "https://exemple.fr/?a='onmouseover=alert(1)'&b=x",
    }
    (contenu / "reseaux" / "reseau-hostile.yaml").write_text(yaml_entree(reseau), encoding="utf-8")
    lignes = [ligne_federee(f"a{n}", c) for n, (_, c) in enumerate(CHARGES)]
    for n, (_, charge) in enumerate(CHARGES):
        lignes.append(ligne_federee(f"b{n}", charge, f"Source {n} {charge}", f"{n} avenue Fédérée"))
    (contenu / "sources" / "hostile.json").write_text(json.dumps(lignes), encoding="utf-8")


@pytest.fixture(scope="module")
def onglet(navigateur):
    """One browser tab shared by this module's tests."""
    yield from onglet_partage(navigateur)


@pytest.fixture(scope="module")
def site_hostile(tmp_path_factory) -> Path:
    """The hostile site, built with the real build (search index included)."""
    racine = tmp_path_factory.mktemp("hostile")
    ecrire_contenu_hostile(racine / "content")
    tuiles = {"tuiles_url": "/tuile.png?{z}/{x}/{y}"}  # served beside the pages: no tile is routed
    assert construire_site_test(racine / "content", racine / "output", ANNUAIRE=tuiles) == 0
    (racine / "output" / "tuile.png").write_bytes(PNG_BLANC)
    return racine / "output"


def fichiers_texte(site: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The site's files with these suffixes, the copied libraries and the search engine aside."""
    ignores = ("theme/vendor/", "pagefind/")
    return [
        p
        for p in sorted(site.rglob("*"))
        if p.suffix in suffixes and p.is_file() and not p.relative_to(site).as_posix().startswith(ignores)
    ]


class Inspecteur(HTMLParser):
    """Lists what could run in an HTML page, and keeps the text of its first <h1>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problemes: list[str] = []
        self.titre: list[str] = []
        self._etat = ""

    def handle_starttag(self, balise, attributs):
        valeurs = dict(attributs)
        self._balise(balise, valeurs)
        for nom, valeur in attributs:
            self._attribut(balise, nom, valeur or "")
        if balise == "script":
            inerte = valeurs.get("type") == "application/json" or valeurs.get("src")
            self._etat = "script-ok" if inerte else "script"
        elif balise == "h1" and not self.titre:
            self._etat = "h1"

    handle_startendtag = handle_starttag

    def handle_endtag(self, balise):
        if balise in ("script", "h1"):
            self._etat = "fini" if self._etat == "h1" else ""

    def handle_data(self, donnees):
        if self._etat == "script" and donnees.strip():
            self.problemes.append(f"script en ligne : {donnees[:60]!r}")
        elif self._etat == "h1":
            self.titre.append(donnees)

    def _balise(self, balise: str, valeurs: dict) -> None:
        source = valeurs.get("src") or valeurs.get("href") or ""
        if balise in BALISES_INTERDITES or (balise == "iframe" and not source.startswith("/")):
            self.problemes.append(f"<{balise}> {source[:60]}")
        elif balise == "meta" and (valeurs.get("http-equiv") or "").lower() == "refresh":
            self.problemes.append("<meta http-equiv=refresh>")
        elif balise == "base" and "href" in valeurs:  # <base target="_blank"> of embedded views is fine
            self.problemes.append(f"<base href={valeurs['href']!r}>")
        elif self._venu_d_ailleurs(balise, valeurs, source):
            self.problemes.append(f"<{balise}> venu d'ailleurs : {source[:60]}")

    @staticmethod
    def _venu_d_ailleurs(balise: str, valeurs: dict, source: str) -> bool:
        """A script or style sheet that is not the site's own (a path from its root)."""
        charge = balise == "script" or (balise == "link" and "stylesheet" in (valeurs.get("rel") or ""))
        return charge and bool(source) and not re.match(r"^/(?!/)", source)

    def _attribut(self, balise: str, nom: str, valeur: str) -> None:
        propre = re.sub(r"[\s\x00-\x1f]", "", valeur).lower()
        if nom.startswith("on") or nom in ("style", "srcdoc"):
            self.problemes.append(f"<{balise} {nom}=…>")
        elif nom in ATTRIBUTS_URL and SCHEMAS_DANGEREUX.match(propre):
            self.problemes.append(f"<{balise} {nom}={valeur[:40]!r}>")


def inspecter(chemin: Path) -> Inspecteur:
    """Parse one HTML file."""
    inspecteur = Inspecteur()
    inspecteur.feed(chemin.read_text(encoding="utf-8"))
    inspecteur.close()
    return inspecteur


def test_site_hostile_complet(site_hostile):
    """Not vacuous: every local entry has its sheet; federated rows were kept and others skipped."""
    fiches = [p.parent.name for p in (site_hostile / "lieux").glob("*/index.html")]
    assert sum(nom.startswith("charge-") for nom in fiches) == len(CHARGES)
    federees = sum(nom.startswith("hostile-") for nom in fiches)
    assert 0 < federees < 2 * len(CHARGES)


def test_rien_d_executable_dans_le_html(site_hostile):
    problemes = {}
    for chemin in fichiers_texte(site_hostile, (".html",)):
        trouves = inspecter(chemin).problemes
        if trouves:
            problemes[chemin.relative_to(site_hostile).as_posix()] = trouves[:3]
    assert problemes == {}


def test_textes_affiches_tels_quels(site_hostile):
    """An accepted payload is the sheet's title, character for character: nothing was interpreted
    ({{ 7*7 }} stays {{ 7*7 }}, &lt; stays &lt;)."""
    for numero, (verdict, charge) in enumerate(CHARGES):
        if verdict == "texte":
            titre = "".join(inspecter(site_hostile / f"lieux/charge-{numero:03d}/index.html").titre)
            assert " ".join(titre.split()) == " ".join(charge.split()), numero


def test_aucune_charge_brute_dans_les_fichiers(site_hostile):
    balisees = [charge for _, charge in CHARGES if BALISE.search(charge)]
    suffixes = (".html", ".json", ".geojson", ".csv", ".atom", ".xml", ".txt")
    for chemin in fichiers_texte(site_hostile, suffixes) + [site_hostile / "_headers"]:
        texte = chemin.read_text(encoding="utf-8")
        for charge in balisees:
            assert charge not in texte, f"{charge[:50]!r} dans {chemin.relative_to(site_hostile)}"


def test_json_et_geojson_inertes(site_hostile):
    """JSON files parse, and hold no raw <, > or & (escaped as \\u003c…: harmless inside HTML)."""
    for chemin in fichiers_texte(site_hostile, (".json", ".geojson")):
        texte = chemin.read_text(encoding="utf-8")
        json.loads(texte)
        assert not set("<>&") & set(texte), chemin


def test_csv_sans_formule_et_valeurs_du_standard(site_hostile):
    chemin = site_hostile / "donnees" / "lieux-de-mediation-numerique.csv"
    lignes = list(csv.DictReader(io.StringIO(chemin.read_text(encoding="utf-8"))))
    assert lignes
    for ligne in lignes:
        for colonne, valeur in ligne.items():
            assert not BALISE.search(valeur), (colonne, valeur[:60])
            if colonne != "telephone":
                assert not ressemble_formule(valeur), (colonne, valeur[:60])
        assert ligne["telephone"] in ("", "+33477123456")  # the standard's form, unaltered


def test_atom_bien_forme(site_hostile):
    ET.parse(site_hostile / "donnees" / "lieux-de-mediation-numerique.atom")


def test_index_de_recherche_lisible(site_hostile):
    """Pagefind's fragments are JSON text data (the search page shows them as text, see below)."""
    fragments = list((site_hostile / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) > len(CHARGES)
    for chemin in fragments:
        donnees = gzip.decompress(chemin.read_bytes())
        assert donnees.startswith(b"pagefind_dcd")
        fragment = json.loads(donnees[len(b"pagefind_dcd") :])
        assert fragment["url"].startswith("/lieux/")


@pytest.fixture(scope="module")
def navigateur_sans_csp(navigateur):
    """A tab with the CSP switched off: escaping alone must keep every payload inert."""
    o = Onglet(navigateur, bypass_csp=True)  # alert, confirm and prompt: recorded as dialogs
    yield o
    o.fermer()


DOM_ACTIF = """() => [...document.querySelectorAll('*')].flatMap((e) =>
  [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.localName} ${a.name}`)
).concat([...document.querySelectorAll('script:not([src]):not([type="application/json"])')]
  .map((s) => `script ${s.textContent.slice(0, 40)}`))"""


def ce_qui_a_tourne(onglet_: Onglet) -> list[str]:
    """What ran or could run in the tab's page: dialogs, errors, event handlers, inline scripts."""
    return onglet_.dialogues + onglet_.erreurs + onglet_.page.evaluate(DOM_ACTIF)


def lire_html(onglet_: Onglet, html: str) -> list[str]:
    """Have chromium parse `html` (no subresource loads: what could run is inline); what ran."""
    onglet_.dialogues.clear()
    onglet_.page.set_content(html, wait_until="load")
    return onglet_.dialogues + onglet_.page.evaluate(DOM_ACTIF)


@pytest.mark.browser
def test_le_controle_voit_ce_qui_s_execute(navigateur_sans_csp):
    assert lire_html(navigateur_sans_csp, "<p>Sans danger</p>") == []
    trouves = lire_html(navigateur_sans_csp, "<img src=x onerror=alert('XSS')><script>alert(1)</script>")
    assert {"alert : XSS", "alert : 1", "img onerror", "script alert(1)"} == set(trouves)


@pytest.mark.browser
def test_rien_ne_s_execute_a_la_lecture_des_pages(site_hostile, navigateur_sans_csp):
    """Every page of the hostile site, parsed by chromium itself."""
    problemes = {}
    for chemin in fichiers_texte(site_hostile, (".html",)):
        if trouves := lire_html(navigateur_sans_csp, chemin.read_text(encoding="utf-8")):
            problemes[chemin.relative_to(site_hostile).as_posix()] = trouves
    assert problemes == {}


@pytest.mark.browser
def test_rien_ne_s_execute_quand_les_scripts_affichent_les_donnees(site_hostile, navigateur_sans_csp):
    """The scripts that write names and addresses into the page (search results and facets, map
    markers, list and popup, opening badge, embedded views) keep them as text."""
    o = navigateur_sans_csp
    chemins = [
        "/",
        "/recherche/?q=alert",
        "/recherche/?q=Source",
        "/reseaux/reseau-hostile/",
        "/integrer/liste/",
        "/integrer/carte/",
        "/lieux/charge-031/",
        "/lieux/charge-056/",
        "/lieux/hostile-b31/",
        "/carte/?vue=45.45,4.38,13",
    ]
    base, serveur = servir(site_hostile)
    problemes = {}
    try:
        for chemin in chemins:
            o.ouvrir(base, chemin)
            problemes[chemin] = ce_qui_a_tourne(o)
        assert int(o.page.locator("#carte-compte").get_attribute("data-nombre")) > len(CHARGES)
        assert o.page.locator("#carte-liste li").count() >= 50  # the list that follows the map
        o.ouvrir(base, "/carte/?vue=45.43,4.38,18")
        o.page.locator(".leaflet-marker-pane [role=button]").first.press("Enter")
        o.page.locator(".leaflet-popup-content a").first.wait_for()
        problemes["popup"] = ce_qui_a_tourne(o)
    finally:
        serveur.shutdown()
        serveur.server_close()
    assert {c: p for c, p in problemes.items() if p} == {}


# --- 3. Content-Security-Policy -------------------------------------------------------------------


@pytest.mark.parametrize(
    "modele, origine",
    [
        ("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.fr"),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("http://127.0.0.1:8123/tuiles/{z}/{x}/{y}.png", "http://127.0.0.1:8123"),
        ("https://tuiles-{s}.exemple.fr/{z}/{x}/{y}.png", "https:"),  # a wildcard only fits a whole label
        ("/tuiles/{z}/{x}/{y}.png", ""),  # served by the site itself: 'self' is enough
        ("javascript:alert(1)//{z}", ""),
    ],
)
def test_origine_des_tuiles(modele, origine):
    assert origine_tuiles(modele) == origine


def test_politique_stricte():
    politique = politique_securite("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png")
    directives = dict(d.strip().split(" ", 1) for d in politique.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"  # WebAssembly: Pagefind
    assert "unsafe-inline" not in politique and "'unsafe-eval'" not in politique
    assert directives["img-src"] == "'self' data: https://*.tile.openstreetmap.fr"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert all(d in ("'self'", "'none'") for c, d in directives.items() if c not in ("script-src", "img-src"))


def test_meta_et_headers_identiques(site_test):
    entetes = (site_test / "_headers").read_text(encoding="utf-8")
    assert entetes == entetes_http("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png")
    politique = re.search(r"Content-Security-Policy: (.*)", entetes).group(1)
    for chemin in site_test.rglob("*.html"):
        html = chemin.read_text(encoding="utf-8")
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
        assert meta and meta.group(1).replace("&#39;", "'") == politique, chemin
        assert html.index("Content-Security-Policy") < html.index("<link"), chemin  # before any resource


def test_aucun_script_en_ligne_dans_les_gabarits():
    for chemin in (RACINE / "theme" / "templates").rglob("*.html"):
        texte = chemin.read_text(encoding="utf-8")
        for balise in re.findall(r"<script\b[^>]*>", texte):
            # A data block (JSON, or schema.org's JSON-LD on a workshop's page) is never run.
            donnees = 'type="application/json"' in balise or 'type="application/ld+json"' in balise
            assert "src=" in balise or donnees, (chemin.name, balise)
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", texte), chemin.name
        assert not re.search(r"<[a-z][^>]*\sstyle\s*=", texte), chemin.name
        assert "javascript:" not in texte, chemin.name


def test_aucune_ressource_tierce(site_test):
    """Scripts, styles and fonts all come from the site; no CSS file loads anything from elsewhere."""
    for chemin in site_test.rglob("*.html"):
        inspecteur = inspecter(chemin)
        assert inspecteur.problemes == [], (chemin, inspecteur.problemes)
    for chemin in (RACINE / "theme" / "static").rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import|@font-face", chemin.read_text()), chemin


@pytest.mark.browser
@pytest.mark.parametrize(
    "chemin",
    [
        "/",
        "/lieux/espace-test/",
        "/recherche/?q=espace",
        "/carte/",
        "/proposer/",
        "/donnees/",
        "/reseaux/reseau-test/",
        "/integrer/",
        "/a-propos/",
    ],
)
def test_pages_sans_violation_de_la_politique(onglet, url_site_test, chemin):
    """The pages work under the policy: the search and the map have drawn (attendre_page), and
    chromium reported no violation (each one is a console error, see aide_navigateur)."""
    onglet.ouvrir(url_site_test, chemin)
    assert onglet.erreurs == []


@pytest.mark.browser
def test_la_politique_bloque_un_script_en_ligne(onglet, url_site_test):
    page = onglet.ouvrir(url_site_test, "/")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.injecte = true'; document.body.append(s); }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.injecte === undefined")
    assert any("script-src" in e for e in onglet.erreurs)
