"""Loading entry files: every broken input gives a problem with a line, never a traceback."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from annuaire.loading.entrees import charger_lieu, charger_lieux, charger_reseaux


def ecrire(dossier, nom: str, contenu: str | bytes):
    """Write one entry file under dossier/content/lieux and return its path."""
    chemin = dossier / "content" / "lieux" / nom
    chemin.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(contenu, bytes):
        chemin.write_bytes(contenu)
    else:
        chemin.write_text(contenu, encoding="utf-8")
    return chemin


def un_probleme(tmp_path, nom, contenu):
    """Load a file expected to be unreadable; return its single problem."""
    lieu, problemes = charger_lieu(ecrire(tmp_path, nom, contenu), tmp_path)
    assert lieu is None
    assert len(problemes) == 1
    return problemes[0]


def test_yaml_complet_avec_lignes(tmp_path):
    chemin = ecrire(
        tmp_path,
        "Espace Sisley.yaml",
        "nom: Espace\ncode_postal: '42100'\n"
        "latitude: 45.42\nservices:\n  - Aide aux démarches administratives\n"
        "date_maj: 2022-05-17\n",
    )
    lieu, problemes = charger_lieu(chemin, tmp_path)
    assert problemes == []
    assert lieu.slug == "espace-sisley" and lieu.id == "espace-sisley"
    assert lieu.chemin == "content/lieux/Espace Sisley.yaml"
    assert lieu.latitude == 45.42 and lieu.date_maj == dt.date(2022, 5, 17)
    assert lieu.services == ["Aide aux démarches administratives"]
    assert lieu.ligne("services") == 4 and lieu.ligne("date_maj") == 6


def test_markdown_front_matter_et_corps(tmp_path):
    chemin = ecrire(tmp_path, "lieu.md", "---\nnom: Lieu\ncommune: Nancy\n---\nTexte **long**.\n")
    lieu, problemes = charger_lieu(chemin, tmp_path)
    assert problemes == []
    assert lieu.corps_markdown == "Texte **long**."
    assert lieu.ligne("commune") == 3  # the line in the file, past the opening ---


@pytest.mark.parametrize(
    ("contenu", "attendu"),
    [
        ("", "fichier vide"),
        ("   \n\n", "fichier vide"),
        ("- nom: a\n- nom: b\n", "une liste"),
        ("juste du texte\n", "une valeur seule"),
        ("nom: a\n\tcommune: b\n", "tabulation"),
        ("nom: a\nnom: b\n", "apparaît deux fois"),
        ("nom: [a\n", "YAML invalide"),
        (b"nom: caf\xe9\n", "UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binaire"),
        ("date_maj: 2023-02-30\n", "n'est pas une date qui existe"),
        ("? [a, b]\n: c\n", "clé invalide"),
    ],
)
def test_entrees_cassees(tmp_path, contenu, attendu):
    probleme = un_probleme(tmp_path, "casse.yaml", contenu)
    assert attendu in probleme.message
    assert probleme.chemin == "content/lieux/casse.yaml"
    assert probleme.ligne >= 1


def test_ligne_du_doublon(tmp_path):
    probleme = un_probleme(tmp_path, "d.yaml", "nom: a\ncommune: b\nnom: c\n")
    assert probleme.ligne == 3


def test_fichier_enorme(tmp_path):
    probleme = un_probleme(tmp_path, "gros.yaml", "nom: " + "x" * (10 * 1024 * 1024) + "\n")
    assert "trop gros" in probleme.message


def test_markdown_sans_front_matter(tmp_path):
    assert "---" in un_probleme(tmp_path, "a.md", "Juste du texte\n").message
    assert "ferme" in un_probleme(tmp_path, "b.md", "---\nnom: a\n").message


def test_champ_inconnu_avec_suggestion(tmp_path):
    chemin = ecrire(tmp_path, "a.yaml", "nom: a\ntelefone: '0477'\ncourriel: a@b.fr\nzzz: 1\n")
    _, problemes = charger_lieu(chemin, tmp_path)
    messages = {p.champ: p.message for p in problemes}
    assert "telephone" in messages["telefone"]
    assert "courriels" in messages["courriel"]
    assert messages["zzz"] == "champ inconnu"
    assert [p.ligne for p in problemes] == [2, 3, 4]


@pytest.mark.parametrize(
    ("ligne", "champ", "attendu"),
    [
        ("latitude: nord", "latitude", "nombre"),
        ("date_maj: hier", "date_maj", "AAAA-MM-JJ"),
        ("services: {a: b}", "services", "liste"),
        ("services: [[a]]", "services", "liste"),
        ("nom: [a, b]", "nom", "une seule valeur"),
    ],
)
def test_types(tmp_path, ligne, champ, attendu):
    _, problemes = charger_lieu(ecrire(tmp_path, "t.yaml", f"commune: x\n{ligne}\n"), tmp_path)
    assert [(p.champ, p.ligne) for p in problemes] == [(champ, 2)]
    assert attendu in problemes[0].message


def test_conversions_souples(tmp_path):
    contenu = "code_postal: 42000\nlatitude: '45,43'\nservices: Aide aux démarches administratives\n"
    lieu, problemes = charger_lieu(ecrire(tmp_path, "s.yaml", contenu), tmp_path)
    assert problemes == []
    assert lieu.code_postal == "42000" and lieu.latitude == 45.43
    assert lieu.services == ["Aide aux démarches administratives"]


def test_dossier_complet_continue_apres_erreur(tmp_path):
    ecrire(tmp_path, "a.yaml", "nom: A\n")
    ecrire(tmp_path, "b.yaml", "- x\n")
    ecrire(tmp_path, ".cache.yaml", "- ignoré\n")
    ecrire(tmp_path, "notes.txt", "ignoré")
    lieux, problemes = charger_lieux(tmp_path / "content" / "lieux", tmp_path)
    assert [lieu.nom for lieu in lieux] == ["A"]
    assert [p.chemin for p in problemes] == ["content/lieux/b.yaml"]


def test_reseaux(tmp_path):
    dossier = tmp_path / "content" / "reseaux"
    dossier.mkdir(parents=True)
    (dossier / "epn.yaml").write_text("nom: EPN\ncoordination: [Ville]\nsiteweb: x\n")
    reseaux, problemes = charger_reseaux(dossier, tmp_path)
    assert reseaux[0].slug == "epn" and reseaux[0].coordination == ["Ville"]
    assert "site_web" in problemes[0].message and problemes[0].ligne == 3


def _vieillir(chemin, secondes=60):
    """Set a file's modification time in the past (beyond the racy-file margin)."""
    import os

    instant = chemin.stat().st_mtime - secondes
    os.utime(chemin, (instant, instant))


def charger_en_cache(racine, empreintes=None):
    """`charger_lieux` of racine/content/lieux through the build's entries cache (racine/.cache)."""
    from annuaire.build.entrees import EntreesEnCache
    from annuaire.build.memo import EmpreintesLieux

    cache = EntreesEnCache(racine / ".cache" / "annuaire", empreintes or EmpreintesLieux())
    return cache(racine / "content" / "lieux", racine)


def test_cache_entrees_par_signature(tmp_path, monkeypatch):
    """A file seen before with the same size, time and inode is not read again; a changed one is,
    even with the same size; a file changed moments ago is always read (its time can't tell)."""
    import annuaire.build.entrees as loading

    a, b = ecrire(tmp_path, "a.yaml", "nom: A\n"), ecrire(tmp_path, "b.yaml", "nom: B\n")
    _vieillir(a), _vieillir(b)
    assert [x.nom for x in charger_en_cache(tmp_path)[0]] == ["A", "B"]
    lus = []

    def compter(chemin, racine, octets=None):
        lus.append(chemin.name)
        return None, []

    monkeypatch.setattr(loading, "charger_lieu", compter)
    charger_en_cache(tmp_path)
    assert lus == []  # same signatures: neither read nor parsed
    b.write_text("nom: C\n", encoding="utf-8")  # same size, new time
    charger_en_cache(tmp_path)
    assert lus == ["b.yaml"]
    lus.clear()
    charger_en_cache(tmp_path)  # b, changed moments ago, is hashed
    assert lus == []  # again, but those bytes were parsed already


def test_cache_entrees_meme_signature_fichier_recent(tmp_path):
    """Changed within the racy margin, with the same size and time restored: still seen."""
    import os

    a = ecrire(tmp_path, "a.yaml", "nom: A\n")
    assert charger_en_cache(tmp_path)[0][0].nom == "A"
    etat = a.stat()
    a.write_text("nom: Z\n", encoding="utf-8")
    os.utime(a, ns=(etat.st_atime_ns, etat.st_mtime_ns))
    assert charger_en_cache(tmp_path)[0][0].nom == "Z"


def test_fichiers_recents_rafraichis_en_fin_de_construction(tmp_path, monkeypatch):
    """Entries read while too recent for a signature (written just before a build: a clone, an
    import) get one at the end of the build, once their bytes are checked to be those read: the
    next build does not read them again. One changed since keeps none."""
    import annuaire.build.cache as cache
    from annuaire.build.entrees import CacheEntrees, rafraichir_entrees

    a, b = ecrire(tmp_path, "a.yaml", "nom: A\n"), ecrire(tmp_path, "b.yaml", "nom: B\n")
    monkeypatch.setattr(cache, "MARGE_SIGNATURE_NS", 10**18)  # every file is "too recent"
    charger_en_cache(tmp_path)
    b.write_text("nom: C\n", encoding="utf-8")  # saved again after the build read it
    monkeypatch.setattr(cache, "MARGE_SIGNATURE_NS", 0)  # the build ends: old enough now
    assert rafraichir_entrees(tmp_path / ".cache" / "annuaire", tmp_path) == 1
    signatures = CacheEntrees(tmp_path / ".cache" / "annuaire").signatures
    assert signatures["content/lieux/a.yaml"][0] == cache.signature(a)
    assert signatures["content/lieux/b.yaml"][0] is None
    assert rafraichir_entrees(tmp_path / ".cache" / "annuaire", tmp_path) == 0  # done once
    assert [x.nom for x in charger_en_cache(tmp_path)[0]] == ["A", "C"]


def test_empreintes_des_lieux_lus(tmp_path):
    """A loaded place's digest stands for its file's bytes; others use their fields' values."""
    from annuaire.build.memo import EmpreintesLieux, empreinte_lieu
    from annuaire.domain.model import Lieu

    a = ecrire(tmp_path, "a.yaml", "nom: A\n")

    def digest():
        empreintes = EmpreintesLieux()
        lieu = charger_en_cache(tmp_path, empreintes)[0][0]
        return empreintes, lieu, empreintes(lieu)

    _, _, premier = digest()
    empreintes, lieu, second = digest()
    assert premier == second
    assert empreintes(dataclasses.replace(lieu, slug="a-2")) != second  # what the merge may make
    a.write_text("nom: B\n", encoding="utf-8")
    assert digest()[2] != premier
    autre = Lieu(nom="B")
    assert empreintes(autre) == empreinte_lieu(autre) == empreinte_lieu(Lieu(nom="B"))


def test_lecture_en_deux_processus(tmp_path, monkeypatch):
    """Many new files are parsed in two processes: same places, same problems, same order."""
    import annuaire.build.entrees as loading

    for i in range(6):
        ecrire(tmp_path, f"l{i}.yaml", f"nom: Lieu {i}\n" + ("codepostal: 42000\n" if i % 2 else ""))
    attendu = charger_en_cache(tmp_path)
    import shutil

    shutil.rmtree(tmp_path / ".cache")
    monkeypatch.setattr(loading, "LIRE_EN_PARALLELE_MIN", 2)
    monkeypatch.setattr("annuaire.build.parallele.processus_disponibles", lambda: 2)
    obtenu = charger_en_cache(tmp_path)
    assert obtenu == attendu and len(obtenu[0]) == 6 and len(obtenu[1]) == 3


def test_fiche_lue_dans_les_octets_de_sa_cle(tmp_path):
    """Saved again between its hashing and its parsing, an entry is parsed from the hashed bytes:
    the cache never files a record under another content's key."""
    from annuaire.build.entrees import CacheEntrees

    chemin = ecrire(tmp_path, "a.yaml", "nom: Ancien\n")
    cache = CacheEntrees(tmp_path / ".cache" / "annuaire")
    cle = cache._identifier(chemin, tmp_path)[2]
    chemin.write_text("nom: Nouveau\n", encoding="utf-8")  # the editor saves meanwhile
    cache.lire_nouveaux([chemin], tmp_path)
    assert cache.anciens[cle][0].nom == "Ancien"
