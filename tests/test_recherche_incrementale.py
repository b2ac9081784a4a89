"""The two-part search index (main + delta, build/index_incremental.py) answers as a clean build.

- A build killed at any step between its index and its search state (in another process, which
  exits on the spot as a kill would) leaves a state that the next build repairs: the changed
  sheet is in the published index, its old version is not.
- In chromium, through the real search page, an incremental build gives the same results, in the
  same order, with the same facet counts as a clean build of the same content made with a cache
  folder of its own (theme/static/js/recherche-pagefind.js merges the two parts).
- A property test: after random sequences of edits, the same answers again.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from annuaire.search.pagefind import SIGNATURE
from conftest import RACINE, en_service
from test_incremental import construire, construire_temoin, contenu  # noqa: F401 (fixture)

MOT_NOUVEAU = "Wifi gratuit et ateliers"  # words two other sheets have: "wifi", "ateliers", "gratuit"

# Where a build may be killed, by the function it dies in (monkeypatched to exit at once):
# before anything is published, once the files are published but not their record, once the
# record is written but not the search state.
ARRETS = {
    "avant-publication": "annuaire.build.construction.publier",
    "fichiers-publies": "annuaire.build.publication.Manifeste.ecrire",
    "publication-ecrite": "annuaire.build.index_incremental.EtatIndex.ecrire",
}

SCRIPT = """
import importlib, os, sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from conftest import construire_site_test
module, _, nom = {cible!r}.rpartition(".")
try:
    objet = importlib.import_module(module)
except ModuleNotFoundError:  # a method: module.Class.method
    module, _, classe = module.rpartition(".")
    objet = getattr(importlib.import_module(module), classe)
setattr(objet, nom, lambda *a, **k: os._exit(97))
construire_site_test(Path({contenu!r}), Path({sortie!r}), ANNUAIRE_NODE_MODULES={modules!r}, **{reglages!r})
"""


def modifier(dossier: Path, fichier: str, texte: str) -> None:
    """Put `texte` at the start of the summary of an entry of `dossier`."""
    fiche = dossier / "lieux" / fichier
    ancien = fiche.read_text(encoding="utf-8")
    fiche.write_text(
        ancien.replace("presentation_resume: ", f"presentation_resume: {texte}. ", 1), encoding="utf-8"
    )


def tuer_pendant(dossier: Path, sortie: Path, cible: str, **reglages) -> None:
    """A build of `dossier` into `sortie` (settings `reglages`), in another process, that dies in
    `cible`."""
    code = SCRIPT.format(
        tests=str(RACINE / "tests"),
        cible=cible,
        contenu=str(dossier),
        sortie=str(sortie),
        modules=str(RACINE / "node_modules"),
        reglages=reglages,
    )
    fini = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, timeout=300)
    assert fini.returncode == 97, fini.stderr.decode()[-2000:]


def _fragments(dossier: Path) -> dict[str, dict]:
    """{result id: fragment data} of an index folder (none when it does not exist)."""
    trouves = {}
    for chemin in sorted((dossier / "fragment").glob("*.pf_fragment")):
        brut = gzip.decompress(chemin.read_bytes())
        trouves[chemin.name.removesuffix(".pf_fragment")] = json.loads(brut[len(SIGNATURE) :])
    return trouves


def indexees(sortie: Path) -> dict[str, tuple[str, str]]:
    """{sheet URL: (indexed text, filters)} of what a published site's search finds: the main
    index without the results recherche.json retires, and the delta when it says there is one."""
    etat = json.loads((sortie / "donnees" / "recherche.json").read_text(encoding="utf-8"))
    actifs = {i: f for i, f in _fragments(sortie / "pagefind").items() if i not in etat["retires"]}
    if etat["delta"]:
        actifs.update(_fragments(sortie / "pagefind-delta"))
    resultat = {}
    for fragment in actifs.values():
        assert fragment["url"] not in resultat, f"{fragment['url']} trouvée deux fois"
        resultat[fragment["url"]] = (fragment["content"], json.dumps(fragment["filters"], sort_keys=True))
    return resultat


@pytest.mark.parametrize("arret", sorted(ARRETS))
@pytest.mark.parametrize("deja_un_delta", [False, True])
def test_arret_puis_reparation(contenu, tmp_path, capsys, arret, deja_un_delta):  # noqa: F811
    sortie = tmp_path / "output"
    construire(contenu, sortie, capsys)
    if deja_un_delta:  # a delta published before (its state saved)
        modifier(contenu, "mediatheque-carnot.yaml", "Imprimante 3D")
        construire(contenu, sortie, capsys)
    modifier(contenu, "epn-montreynaud.yaml", MOT_NOUVEAU)
    tuer_pendant(contenu, sortie, ARRETS[arret])
    construire(contenu, sortie, capsys)  # the next build, after the crash
    vues = indexees(sortie)
    assert MOT_NOUVEAU in vues["/lieux/epn-montreynaud/"][0]
    assert vues == indexees(construire_temoin(contenu, tmp_path, capsys))
    construire(contenu, sortie, capsys)  # and the one after it still agrees
    assert indexees(sortie) == vues
    assert not any(p.name.endswith(".nouveau") for p in tmp_path.iterdir())


# Words of the changed sheet only, of unchanged sheets only, of both, a prefix, two words, a facet
# alone and a facet with words.
REQUETES = (
    "q=wifi",
    "q=ateliers",
    "q=montreynaud",
    "q=aide",
    "q=num%C3%A9rique",
    "q=espace",
    "q=carnot",
    "q=rennes",
    "q=mont",
    "q=wifi+gratuit",
    "services=Aide+aux+d%C3%A9marches+administratives",
    "q=aide&frais=Gratuit",
)


def reponses(navigateur, sortie: Path, requetes=REQUETES) -> dict[str, tuple[list[str], str, str]]:
    """{query: (result URLs in order, count sentence, every facet's text with its counts)} of the
    real search page of the site in `sortie`, in chromium."""
    page = navigateur.new_page(viewport={"width": 1280, "height": 800})
    erreurs = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    vues = {}
    try:
        with en_service(sortie) as base:
            for requete in requetes:
                page.goto(f"{base}/recherche/?{requete}")
                page.wait_for_selector("#recherche[data-comptes]", state="attached")
                liens = page.eval_on_selector_all(
                    "#liste-resultats h3 a", "els => els.map(e => new URL(e.href).pathname)"
                )
                vues[requete] = (liens, page.inner_text("#compte"), page.inner_text("#filtres"))
    finally:
        page.close()
    assert erreurs == []
    return vues


@pytest.mark.browser
def test_memes_reponses_qu_une_construction_propre(contenu, tmp_path, capsys, navigateur):  # noqa: F811
    sortie = tmp_path / "output"
    construire(contenu, sortie, capsys)
    modifier(contenu, "epn-montreynaud.yaml", MOT_NOUVEAU)
    construire(contenu, sortie, capsys)
    assert json.loads((sortie / "donnees" / "recherche.json").read_text(encoding="utf-8"))["delta"]
    incrementale = reponses(navigateur, sortie)
    propre = reponses(navigateur, construire_temoin(contenu, tmp_path, capsys))
    for requete in REQUETES:
        assert incrementale[requete] == propre[requete], requete
    assert "/lieux/epn-montreynaud/" in incrementale["q=wifi"][0]


def dans_la_page(navigateur, site, script: str):
    """What `script` (an async JS function) returns, evaluated in the search page of `site`."""
    page = navigateur.new_page()
    try:
        with en_service(site) as base:
            page.goto(f"{base}/recherche/")
            return page.evaluate(script)
    finally:
        page.close()


@pytest.mark.browser
def test_regle_d_ordre(navigateur, site_test):
    # The pure rule of recherche-ordre.js: most words found first, then the places' order, then
    # the id (a result the list does not know comes after those it knows).
    ordre = dans_la_page(
        navigateur,
        site_test,
        """async () => {
                  const { rangsDepuis, ranger } = await import("/theme/js/recherche-ordre.js");
                  const rangs = rangsDepuis(["b", "", "c", "a"]);
                  const mots = (n) => Array.from({ length: n }, (_, i) => i);
                  const resultats = [
                    { id: "a", words: mots(1) }, { id: "z", words: mots(1) }, { id: "c", words: mots(4) },
                    { id: "y", words: mots(2) }, { id: "b", words: mots(2) }, { id: "x", words: [] },
                  ];
                  return ranger(resultats, rangs).map((r) => r.id);
                }""",
    )
    assert ordre == ["c", "b", "y", "a", "z", "x"]


@pytest.mark.browser
def test_mot_sans_prolongement_comme_une_construction_propre(contenu, tmp_path, capsys, navigateur):  # noqa: F811
    sortie = tmp_path / "output"
    construire(contenu, sortie, capsys)
    modifier(contenu, "epn-montreynaud.yaml", MOT_NOUVEAU)
    construire(contenu, sortie, capsys)
    propre = construire_temoin(contenu, tmp_path, capsys)
    # No word starts with "enfantillage": the main index falls back to "enfant", the delta to "en"
    # (recherche-replis.js keeps the longest, as a clean build's single index does); alone, with
    # a word both hold, with a facet the changed sheet has too. The delta holds nothing for
    # "prendre", so its own search leaves the word out and finds the sheet for "rendez" alone.
    requetes = ("q=enfantillage", "q=ateliers+enfantillage", "q=enfantillage&commune=Saint-%C3%89tienne")
    requetes += ("q=prendre+rendez",)
    assert reponses(navigateur, sortie, requetes) == reponses(navigateur, propre, requetes)


@pytest.mark.browser
def test_regle_des_replis(navigateur, site_test):
    # The pure rules of recherche-racines.js (Pagefind's French stems, Snowball's algorithm as
    # Pagefind 1.5 ships it) and recherche-replis.js (which part of the index answers a word).
    vu = dans_la_page(
        navigateur,
        site_test,
        """async () => {
                  const { motsPagefind, racine } = await import("/theme/js/recherche-racines.js");
                  const r = await import("/theme/js/recherche-replis.js");
                  const mots = ["enfantillage", "enfants", "ateliers", "numériques", "démarches",
                    "mauvais", "jamais", "niais", "arnoux", "française", "rapidement", "wifi"];
                  const lu = (texte, locations) => r.lireCorrespondance(texte, locations, "enfantillag");
                  const toutes = { results: [{ id: "m" }, { id: "d" }], filters: { f: { a: 2, b: 1 } } };
                  const duDelta = { results: [{ id: "d" }], filters: { f: { a: 1 } } };
                  const garde = (g) => {
                    const x = r.garderIndex(toutes, duDelta, g);
                    return [x.results.map((y) => y.id), x.filters];
                  };
                  return {
                    mots: motsPagefind("L'Aide  « numérique », rendez-vous"),
                    racines: mots.map((m) => racine(motsPagefind(m)[0])),
                    lus: [lu("Des enfants et des parents", [1]), lu("Aide en ligne", [1]),
                      lu("Les enfantillages", [1]), lu("rendez-vous", [0]), lu("wifi", [0])],
                    gardes: [
                      r.gardesDuMot({ prolonge: false, repli: 6 }, { prolonge: false, repli: 2 }),
                      r.gardesDuMot({ prolonge: false, repli: 2 }, { prolonge: true }),
                      r.gardesDuMot({ prolonge: true }, { prolonge: true }),
                      r.gardesDuMot({ prolonge: false, repli: 2 }, { prolonge: false, repli: 2 }),
                      r.gardesDuMot(null, { prolonge: false, repli: 2 }),
                      r.gardesDuMot(r.ABSENT, { prolonge: true }),
                      r.gardesDuMot(r.TROUVE, r.ABSENT),
                      r.gardesDuMot(r.ABSENT, r.ABSENT),
                      r.reunirGardes([{ principal: true, delta: false }, { principal: false, delta: true }]),
                    ],
                    garde: [garde({ principal: true, delta: false }),
                      garde({ principal: false, delta: true }), garde({ principal: false, delta: false })],
                  };
                }""",
    )
    assert vu["mots"] == ["laide", "numerique", "rendezvous"]
    racines = ["enfantillag", "enfant", "ateli", "numer", "demarch", "mauvais", "jam", "niais", "arnou"]
    assert vu["racines"] == [*racines, "franc", "rapid", "wif"]
    assert vu["lus"] == [
        {"prolonge": False, "repli": 6},
        {"prolonge": False, "repli": 2},
        {"prolonge": True},
        None,
        None,
    ]
    gardes = [(True, False), (False, True), (True, True), (True, True), (True, True)]
    gardes += [(False, True), (True, False), (True, True), (False, False)]
    assert vu["gardes"] == [{"principal": p, "delta": d} for p, d in gardes]
    assert vu["garde"] == [
        [["m"], {"f": {"a": 1, "b": 1}}],
        [["d"], {"f": {"a": 1, "b": 0}}],
        [[], {"f": {"a": 0, "b": 0}}],
    ]
