"""Incremental builds: a rebuild after a change renders and indexes only what changed, and gives
the same site as a build from scratch (search included, in chromium)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from annuaire.build import index_incremental
from conftest import RACINE, construire_site_test, en_service

CONTENU = RACINE / "tests" / "recherche" / "content"
# Files that differ by design between an incremental build and a build from scratch: the search
# index (main + delta instead of one), what points into it, and the publication's id.
PROPRES_A_L_INDEX = (
    "pagefind/",
    "pagefind-delta/",
    "donnees/recherche.json",
    "donnees/ouvertures/pagefind.json",
    ".annuaire-publication",
)


def construire(contenu: Path, sortie: Path, capsys, **reglages) -> str:
    """Build `contenu` into `sortie`; the build's output (stdout and stderr)."""
    capsys.readouterr()
    modules = str(RACINE / "node_modules")
    assert construire_site_test(contenu, sortie, ANNUAIRE_NODE_MODULES=modules, **reglages) == 0
    sorties = capsys.readouterr()
    return sorties.out + sorties.err


def construire_temoin(contenu: Path, dossier: Path, capsys, **reglages) -> Path:
    """A clean build of `contenu` into dossier/temoin/output, with a cache folder of its own
    (dossier/temoin/cache): nothing a build before it kept can hide a stale result."""
    temoin = dossier / "temoin"
    assert not temoin.exists()
    construire(contenu, temoin / "output", capsys, ANNUAIRE_CACHE=str(temoin / "cache"), **reglages)
    return temoin / "output"


def fichiers(dossier: Path) -> dict[str, bytes]:
    """{relative path: bytes} of a site, without the files proper to its search index."""
    chemins = (p for p in sorted(dossier.rglob("*")) if p.is_file())
    return {
        p.relative_to(dossier).as_posix(): p.read_bytes()
        for p in chemins
        if not p.relative_to(dossier).as_posix().startswith(PROPRES_A_L_INDEX)
    }


def renommer(contenu: Path, nom_fichier: str, nouveau_nom: str) -> None:
    """Give an entry a new name."""
    fiche = contenu / "lieux" / nom_fichier
    lignes = [
        f"nom: {nouveau_nom}" if ligne.startswith("nom:") else ligne
        for ligne in fiche.read_text(encoding="utf-8").splitlines()
    ]
    fiche.write_text("\n".join(lignes) + "\n", encoding="utf-8")


@pytest.fixture
def contenu(tmp_path) -> Path:
    """A copy of the search fixture's content, to change."""
    shutil.copytree(CONTENU, tmp_path / "content")
    return tmp_path / "content"


def test_une_fiche_changee_seule_rendue_et_indexee(contenu, tmp_path, capsys):
    sortie = tmp_path / "output"
    construire(contenu, sortie, capsys)
    renommer(contenu, "epn-montreynaud.yaml", "Maison numérique de Montreynaud")
    journal = construire(contenu, sortie, capsys)
    assert "Recherche : 1 pages indexées" in journal  # the delta: one sheet
    assert " gardées" in journal and "0 gardées" not in journal
    etat = json.loads((sortie / "donnees" / "recherche.json").read_text(encoding="utf-8"))
    assert etat["delta"] is True and len(etat["retires"]) == 1
    assert fichiers(sortie) == fichiers(construire_temoin(contenu, tmp_path, capsys))


def test_fiche_retiree_puis_rien_de_change(contenu, tmp_path, capsys):
    sortie = tmp_path / "output"
    construire(contenu, sortie, capsys)
    (contenu / "lieux" / "point-caf-nancy.yaml").unlink()
    construire(contenu, sortie, capsys)
    assert not (sortie / "lieux" / "point-caf-nancy").exists()
    etat = json.loads((sortie / "donnees" / "recherche.json").read_text(encoding="utf-8"))
    assert len(etat["retires"]) == 1 and etat["delta"] is False  # hidden, nothing to add
    assert fichiers(sortie) == fichiers(construire_temoin(contenu, tmp_path, capsys))


def test_au_dela_du_seuil_un_index_complet(contenu, tmp_path, capsys, monkeypatch):
    sortie = tmp_path / "output"
    construire(contenu, sortie, capsys)
    monkeypatch.setattr(index_incremental, "SEUIL_DELTA_MIN", 0)
    monkeypatch.setattr(index_incremental, "PART_DELTA_MAX", 0)
    renommer(contenu, "epn-montreynaud.yaml", "Maison numérique de Montreynaud")
    journal = construire(contenu, sortie, capsys)
    assert "Recherche : 6 pages indexées" in journal
    assert not (sortie / "pagefind-delta").exists()
    assert json.loads((sortie / "donnees" / "recherche.json").read_text(encoding="utf-8"))["retires"] == {}


# As the command line builds: an unchanged rebuild may keep the whole published output.
REUTILISER = {"ANNUAIRE_REUTILISER": True}


def test_index_complet_les_fiches_gardees_restent_intactes(contenu, tmp_path, capsys, monkeypatch):
    # A full index made by an incremental build links the sheets it keeps into the fresh folder for
    # Pagefind (index_incremental._lier), which changes their change time: their signature is read
    # again at publication, else the next build found them "not as published" and rendered them
    # again, and no build ever said "Rien n'a changé".
    sortie = tmp_path / "output"
    construire(contenu, sortie, capsys, **REUTILISER)
    monkeypatch.setattr(index_incremental, "SEUIL_DELTA_MIN", 0)
    monkeypatch.setattr(index_incremental, "PART_DELTA_MAX", 0)
    renommer(contenu, "epn-montreynaud.yaml", "Maison numérique de Montreynaud")
    assert "Recherche : 6 pages indexées" in construire(contenu, sortie, capsys, **REUTILISER)
    assert "Rien n'a changé" in construire(contenu, sortie, capsys, **REUTILISER)
    gardee = sortie / "lieux" / "mediatheque-carnot" / "index.html"
    avant = gardee.stat().st_ino
    renommer(contenu, "point-caf-nancy.yaml", "Point CAF de Nancy")
    assert "0 gardées" not in construire(contenu, sortie, capsys, **REUTILISER)
    assert gardee.stat().st_ino == avant  # kept, not rendered again


ATELIER = """titre: {titre}
lieu: {lieu}
debut: 2024-01-20 10:00
fin: "12:00"
recurrence: FREQ=WEEKLY;COUNT=6
themes:
  - Maîtrise des outils numériques du quotidien
places_disponibles: {places}
"""


def ecrire_atelier(contenu: Path, nom: str, lieu: str, places: int = 8) -> None:
    """A weekly workshop file at `lieu`."""
    (contenu / "ateliers").mkdir(exist_ok=True)
    texte = ATELIER.format(titre=f"Atelier {nom}", lieu=lieu, places=places)
    (contenu / "ateliers" / f"{nom}.yaml").write_text(texte, encoding="utf-8")


def test_ateliers_lus_du_cache_les_pages_restent_gardees(contenu, tmp_path, capsys):
    # The second build reads the workshops and their dates back from the cache: copies of what the
    # first one computed. A page's fingerprint must depend on the values alone, not on which
    # objects they share (pickle's memo): every page with workshops was rendered again.
    sortie = tmp_path / "output"
    ecrire_atelier(contenu, "tablette", "epn-montreynaud")
    ecrire_atelier(contenu, "courriel", "mediatheque-carnot")
    construire(contenu, sortie, capsys, **REUTILISER)
    autres = [sortie / "lieux/mediatheque-carnot/index.html", sortie / "ateliers/courriel/index.html"]
    avant = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in autres]
    ecrire_atelier(contenu, "tablette", "epn-montreynaud", places=3)
    construire(contenu, sortie, capsys, **REUTILISER)
    assert "3 places" in (sortie / "ateliers/tablette/index.html").read_text(encoding="utf-8")
    assert [(p.stat().st_ino, p.stat().st_mtime_ns) for p in autres] == avant
    assert "Rien n'a changé" in construire(contenu, sortie, capsys, **REUTILISER)
    assert fichiers(sortie) == fichiers(construire_temoin(contenu, tmp_path, capsys))


def test_sortie_modifiee_a_la_main_tout_est_rendu(contenu, tmp_path, capsys):
    sortie = tmp_path / "output"
    construire(contenu, sortie, capsys)
    (sortie / ".annuaire-publication").unlink()  # not the folder the manifest describes any more
    journal = construire(contenu, sortie, capsys)
    assert "0 gardées" in journal and "Recherche : 6 pages indexées" in journal


@pytest.mark.browser
def test_recherche_avec_delta_comme_sans(contenu, tmp_path, capsys, navigateur):
    sortie = tmp_path / "output"
    construire(contenu, sortie, capsys)
    renommer(contenu, "epn-montreynaud.yaml", "Maison numérique de Montreynaud")
    construire(contenu, sortie, capsys)
    temoin = construire_temoin(contenu, tmp_path, capsys)
    vus = {}
    for nom, dossier in (("incremental", sortie), ("temoin", temoin)):
        page = navigateur.new_page()
        erreurs = []
        page.on("console", lambda m, e=erreurs: e.append(m.text) if m.type == "error" else None)
        try:
            with en_service(dossier) as base:
                mots = ("montreynaud", "epn", "espace")
                vus[nom] = {q: _resultats(page, f"{base}/recherche/?q={q}") for q in mots}
                services = f"{base}/recherche/?services=Aide+aux+d%C3%A9marches+administratives"
                vus[nom]["services"] = _resultats(page, services)
        finally:
            page.close()
        assert erreurs == []
    assert vus["incremental"] == vus["temoin"]
    assert vus["incremental"]["montreynaud"][1] == ["Maison numérique de Montreynaud"]


def _resultats(page, url: str) -> tuple[str, list[str], str]:
    """(count sentence, result names, every facet's text with its counts) of a search."""
    page.goto(url)
    page.wait_for_selector("#recherche[data-comptes]")
    noms = page.eval_on_selector_all("#liste-resultats h3", "els => els.map(e => e.textContent)")
    return page.inner_text("#compte"), sorted(noms), page.inner_text("#filtres")


@pytest.mark.parametrize("processus", [1, 2])
def test_index_complet_lance_apres_les_fiches(contenu, tmp_path, capsys, monkeypatch, processus):
    # A build that renders every sheet starts Pagefind on them before rendering the lists (in
    # each process); a rebuild that keeps sheets indexes them after rendering, as a delta.
    from annuaire.build import parallele
    from annuaire.build.pelican_glue import fiches_ecrites

    monkeypatch.setattr(parallele, "PAGES_PAR_PROCESSUS_MIN", 1)
    vus = []

    def temoin(generateur, sortie):
        sortie = Path(sortie)
        slugs = {lieu.slug for lieu in generateur.annuaire.lieux}
        vus.append(all((sortie / "lieux" / slug / "index.html").is_file() for slug in slugs))

    fiches_ecrites.connect(temoin)
    try:
        sortie = tmp_path / "output"
        assert (
            construire_site_test(
                contenu,
                sortie,
                ANNUAIRE_NODE_MODULES=str(RACINE / "node_modules"),
                ANNUAIRE_PROCESSUS=processus,
            )
            == 0
        )
        assert vus == [True]
        assert "Recherche : 6 pages indexées" in capsys.readouterr().err
        renommer(contenu, "epn-montreynaud.yaml", "Maison numérique de Montreynaud")
        construire(contenu, sortie, capsys)
        assert vus == [True]  # kept sheets: no early index
    finally:
        fiches_ecrites.disconnect(temoin)
    assert fichiers(sortie) == fichiers(construire_temoin(contenu, tmp_path, capsys))


def test_une_seule_racine_de_cache(contenu, tmp_path, capsys):
    # Every cache of a build (entries, memoised results, pages, publication, index, templates) is
    # under ANNUAIRE_CACHE; none beside the output or the content.
    ailleurs = tmp_path / "ailleurs"
    construire(contenu, tmp_path / "output", capsys, ANNUAIRE_CACHE=str(ailleurs))
    assert not (tmp_path / ".cache").exists() and not (contenu / ".cache").exists()
    noms = {p.name for p in ailleurs.iterdir()}
    assert {"memo", "jinja", "publication.pickle", "recherche.pickle", "rendu.pickle"} <= noms
    assert any(nom.startswith("entrees-") for nom in noms)
    memos = {p.name.rsplit("-", 1)[0] for p in (ailleurs / "memo").iterdir()}
    assert {
        "annuaire.validation.regles.valider_lieu",
        "annuaire.outputs.exports.textes_lieu",
        "annuaire.federation.doublons.jugements_du_bloc",
    } <= memos
