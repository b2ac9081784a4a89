"""What makes large builds fast: rendering in several processes, the small maps' summaries, the
QR codes kept between builds, reusing an up-to-date output. Each must give the same files."""

from __future__ import annotations

import os

import pytest
from annuaire.build import parallele
from annuaire.build.cache import empreinte_construction, noter_construction, sortie_a_jour
from annuaire.build.memo import MemoFichier
from annuaire.domain.model import Lieu
from annuaire.site.mini_carte import resume_carte
from conftest import RACINE, construire_site_test


def _fichiers(dossier):
    return {p.relative_to(dossier): p.read_bytes() for p in dossier.rglob("*") if p.is_file()}


def test_repartir_somme_et_fin_dans_chaque_processus(tmp_path):
    def fin(rang):
        (tmp_path / f"fin-{rang}-{os.getpid()}").touch()

    assert parallele.repartir(lambda i: i, 1000, 2, fin) == sum(range(1000))
    assert sorted(p.name.split("-")[1] for p in tmp_path.iterdir()) == ["0", "1"]


def test_repartir_remonte_l_erreur_d_un_enfant():
    def travail(i):
        if i == parallele.BLOC + 7:  # the second block: the child's
            raise ValueError("page cassée")
        return 1

    with pytest.raises(parallele.RenduEnfantImpossible, match="page cassée"):
        parallele.repartir(travail, 4 * parallele.BLOC, 2)


@pytest.mark.parametrize("processus", [1, 3])
def test_jalon_quand_chaque_processus_a_fini_ses_premiers_elements(tmp_path, processus):
    # Each item writes its file; the action, in this process, sees every item below k done, and
    # runs before this process goes on (the search index starts on the sheets, the lists follow).
    limite, nombre, vus = 5 * parallele.BLOC + 3, 12 * parallele.BLOC, []

    def travail(i):
        (tmp_path / str(i)).touch()
        return 1

    def action():
        faits = {int(p.name) for p in tmp_path.iterdir()}
        vus.append((set(range(limite)) <= faits, os.getpid()))

    assert parallele.repartir(travail, nombre, processus, jalon=(limite, action)) == nombre
    assert vus == [(True, os.getpid())]


def test_jalon_sans_action_quand_un_enfant_echoue():
    # The child's report (a long traceback: more than a pipe holds) does not wait for the parent,
    # which is waiting for the milestone: the child closes its end of the milestone's pipe first.
    actions = []

    def travail(i):
        if i == parallele.BLOC:  # the child's first item, below the milestone
            raise ValueError("fiche cassée " + "x" * 200_000)
        return 1

    with pytest.raises(parallele.RenduEnfantImpossible, match="fiche cassée"):
        jalon = (4 * parallele.BLOC, lambda: actions.append(1))
        parallele.repartir(travail, 8 * parallele.BLOC, 2, jalon=jalon)
    assert actions == []


def test_enfant_arrete_sans_repondre():
    # A child that dies without a word (killed, os._exit) is an error here, not a wait forever.
    def travail(i):
        if i == parallele.BLOC:
            os._exit(3)
        return 1

    with pytest.raises(parallele.RenduEnfantImpossible, match="sans répondre"):
        parallele.repartir(travail, 4 * parallele.BLOC, 2, jalon=(2 * parallele.BLOC, lambda: None))


def test_tache_de_fond_valeur_et_erreur():
    assert parallele.lancer(lambda: os.getpid(), True).resultat() != os.getpid()
    assert parallele.lancer(lambda: os.getpid(), False).resultat() == os.getpid()
    with pytest.raises(parallele.RenduEnfantImpossible, match="ZeroDivisionError"):
        parallele.lancer(lambda: 1 / 0, True).resultat()
    with pytest.raises(parallele.RenduEnfantImpossible, match="pickle"):  # a value that cannot go back
        parallele.lancer(lambda: lambda: None, True).resultat()


def test_nombre_de_processus():
    assert parallele.nombre_processus(4, 100) == 1  # too few pages to fork
    assert parallele.nombre_processus(2, 10_000) == 2


def test_rendu_parallele_identique(tmp_path, monkeypatch, site_test):
    monkeypatch.setattr(parallele, "PAGES_PAR_PROCESSUS_MIN", 1)
    sortie = tmp_path / "output"
    assert construire_site_test(RACINE / "tests" / "site" / "content", sortie, ANNUAIRE_PROCESSUS=2) == 0
    assert _fichiers(sortie) == _fichiers(site_test)


def test_resume_carte():
    lieux = [
        Lieu(nom="A", commune="Lyon", latitude=45.0, longitude=4.0),
        Lieu(nom="B", commune="Lyon", latitude=46.0, longitude=5.0),
        Lieu(nom="C", commune="Bron", latitude=47.0, longitude=6.0, statut="ferme_definitivement"),
        Lieu(nom="D", commune="Bron"),
    ]
    resume = resume_carte(lieux)
    assert (resume.nombre, resume.centre, resume.limites) == (
        2,
        "45.50000,4.50000",
        "45.00000,4.00000,46.00000,5.00000",
    )
    assert resume.points == "45.00000,4.00000;46.00000,5.00000"
    assert resume.communes == ("Lyon", "Bron")
    assert resume_carte(lieux[2:]) is None


def test_memo_fichier_entre_deux_constructions(tmp_path):
    appels = []

    def carre(cle):
        appels.append(cle)
        return cle * 2

    premier = MemoFichier(tmp_path / "memo.pickle", "v1", carre)
    assert premier("a") == "aa" and premier("a") == "aa"
    premier.ecrire_part(0)
    premier.fusionner(1)
    second = MemoFichier(tmp_path / "memo.pickle", "v1", carre)
    assert second("a") == "aa" and appels == ["a"]
    assert MemoFichier(tmp_path / "memo.pickle", "v2", carre).connus == {}


def test_sortie_a_jour_seulement_si_rien_n_a_change(tmp_path):
    contenu, theme, sortie = tmp_path / "content", tmp_path / "theme", tmp_path / "output"
    for dossier in (contenu, theme, sortie):
        dossier.mkdir()
    (contenu / "a.yaml").write_text("nom: A\n")
    reglages = {"PATH": str(contenu), "THEME": str(theme), "ANNUAIRE_DATE": "2024-01-15"}
    empreinte = empreinte_construction(reglages, tmp_path / "pelicanconf.py", tmp_path / "cache")
    noter_construction(sortie, empreinte, tmp_path / "cache")
    assert sortie_a_jour(sortie, empreinte, tmp_path / "cache")
    (contenu / "a.yaml").write_text("nom: B\n")
    assert empreinte_construction(reglages, tmp_path / "pelicanconf.py", tmp_path / "cache") != empreinte
    (sortie / "ajout.html").write_text("")
    assert not sortie_a_jour(sortie, empreinte, tmp_path / "cache")  # the output was touched since


def test_empreinte_la_meme_quand_un_fichier_vieillit(tmp_path):
    """A file changed moments ago is read and hashed, an older one known by its signature: the
    fingerprint is the same either way (else a build right after an edit is never "unchanged")."""
    import os

    contenu, theme = tmp_path / "content", tmp_path / "theme"
    contenu.mkdir(), theme.mkdir()
    fichier = contenu / "a.yaml"
    fichier.write_text("nom: A\n")
    reglages = {
        "PATH": str(contenu),
        "THEME": str(theme),
        "ANNUAIRE_DATE": "2024-01-15",
        "OUTPUT_PATH": str(tmp_path / "output"),
    }
    recente = empreinte_construction(reglages, tmp_path / "pelicanconf.py", tmp_path / "cache")
    instant = fichier.stat().st_mtime - 60
    os.utime(fichier, (instant, instant))  # now old enough for its signature to be trusted
    assert (
        empreinte_construction(reglages, tmp_path / "pelicanconf.py", tmp_path / "cache") == recente
    )  # hashed, recorded
    assert (
        empreinte_construction(reglages, tmp_path / "pelicanconf.py", tmp_path / "cache") == recente
    )  # by its signature
    fichier.write_text("nom: B\n")  # same size, new time
    assert empreinte_construction(reglages, tmp_path / "pelicanconf.py", tmp_path / "cache") != recente


def test_index_du_contenu_rafraichi(tmp_path, monkeypatch):
    """The build fingerprint's index: files hashed while too recent get their signature at the
    end of the build when their bytes are unchanged (`IndexContenu.rafraichir`)."""
    import annuaire.build.cache as cache

    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("nom: A\n"), b.write_text("nom: B\n")
    index = cache.IndexContenu(tmp_path / "contenu.pickle")
    monkeypatch.setattr(cache, "MARGE_SIGNATURE_NS", 10**18)
    index.empreinte(str(a)), index.empreinte(str(b))
    index.enregistrer()
    b.write_text("nom: C\n")
    monkeypatch.setattr(cache, "MARGE_SIGNATURE_NS", 0)
    assert cache.IndexContenu(tmp_path / "contenu.pickle").rafraichir() == 1
    relu = cache.IndexContenu(tmp_path / "contenu.pickle").anciens
    assert relu[str(a)][0] == cache.signature(a) and relu[str(b)][0] is None


def test_cache_illisible_ignore(tmp_path):
    """A cache file that no longer unpickles (a class moved since it was written) means no cache,
    never a failed build."""
    import pickle
    import types

    classe = type("Disparue", (), {"__module__": "module_parti"})
    module = types.ModuleType("module_parti")
    module.Disparue = classe
    import sys

    sys.modules["module_parti"] = module
    try:
        (tmp_path / "memo-0.pickle").write_bytes(pickle.dumps(("v1", {"a": classe()})))
    finally:
        del sys.modules["module_parti"]
    assert MemoFichier(tmp_path / "memo.pickle", "v1", str.upper).connus == {}


def test_un_enfant_peut_avoir_ses_enfants():
    # A background task may split its own work (as os.fork allowed): children are not daemonic.
    assert (
        parallele.lancer(lambda: parallele.lancer(os.getpid, True).resultat(), True).resultat() != os.getpid()
    )
