"""French collation of every list people read (domain/texte.cle_tri) and the A–Z letters."""

import functools
import itertools
import re

import pyuca
from annuaire.domain.texte import cle_tri, initiale
from hypothesis import given, settings
from hypothesis import strategies as st


def test_accents_et_casse_ne_departagent_que_les_egalites():
    noms = ["Zoé", "élan", "Eglise", "Écoles", "ecole", "ÉCOLE", "Cyber", "« Cyber »"]
    assert sorted(noms, key=cle_tri) == [
        "Cyber",
        "« Cyber »",
        "ecole",
        "ÉCOLE",
        "Écoles",
        "Eglise",
        "élan",
        "Zoé",
    ]


def test_l_apostrophe_est_classe_sous_l_avant_la():
    noms = ["lieu", "La Poste", "L'Atelier", "Le Mixeur"]
    assert sorted(noms, key=cle_tri) == ["L'Atelier", "La Poste", "Le Mixeur", "lieu"]


def test_ligatures_et_ordre_total():
    assert sorted(["Œuvre", "oeuvre", "Ode"], key=cle_tri) == ["Ode", "oeuvre", "Œuvre"]
    assert cle_tri("École") != cle_tri("Ecole")  # two spellings never compare equal


def test_initiales():
    assert [initiale(n) for n in ("Écoles", "Œuvre", "« Cyber »", "10 rue", "Москва", "")] == [
        "e",
        "o",
        "c",
        "0-9",
        "0-9",
        "0-9",
    ]


def test_listes_du_site_dans_l_ordre_francais():
    """The A–Z letters, the communes and each group's places follow `cle_tri`, not file names."""
    from annuaire.directory import Annuaire
    from annuaire.domain.model import Lieu
    from annuaire.site.plan import Index

    def lieu(slug, nom, commune):
        return Lieu(slug=slug, nom=nom, commune=commune, code_postal="42000", services=["Accès internet"])

    lieux = [
        lieu("a-zebre", "Zèbre", "Étrat"),
        lieu("b-ecole", "École", "Saint-Étienne"),
        lieu("c-eglise", "Eglise", "Saint-Étienne"),
        lieu("d-atelier", "L'Atelier", "Estivareilles"),
        lieu("e-poste", "La Poste", "Saint-Étienne"),
        lieu("f-oeuvre", "Œuvre", "Saint-Étienne"),
    ]
    index = Index.construire(Annuaire(lieux, []))
    par_lettre = {g.slug: [x.nom for x in g.lieux] for g in index.lettres}
    assert par_lettre == {
        "e": ["École", "Eglise"],
        "l": ["L'Atelier", "La Poste"],
        "o": ["Œuvre"],
        "z": ["Zèbre"],
    }
    assert [g.nom for g in index.communes] == ["Estivareilles", "Étrat", "Saint-Étienne"]
    assert [x.nom for x in index.services[0].lieux] == [
        "École",
        "Eglise",
        "L'Atelier",
        "La Poste",
        "Œuvre",
        "Zèbre",
    ]


_LETTRES = st.sampled_from(list("aeEéÉèêcçCLlo' -0") + ["œ", "Œ", "æ", "«", "’"])


def _premier_niveau(collateur, nom: str) -> tuple[int, ...]:
    """pyuca's first level (letters, no accent or case) of a name whose punctuation and spaces
    are one word break, as cle_tri reads them ("Saint-Étienne" files as "Saint Étienne")."""
    propre = re.sub(r"[\W_]+", " ", nom).strip()
    cle = collateur.sort_key(propre)
    return cle[: cle.index(0)] if 0 in cle else cle


@functools.cache
def _pyuca() -> pyuca.Collator:
    """pyuca's collator, loaded once (its table takes a second to read)."""
    return pyuca.Collator()


def _accord_avec_pyuca(noms: list[str]) -> list[tuple[str, str]]:
    """The neighbours cle_tri orders on its first level against pyuca's first level."""
    collateur = _pyuca()
    ordre = sorted(noms, key=cle_tri)
    return [
        (a, b)
        for a, b in itertools.pairwise(ordre)
        if cle_tri(a)[0] < cle_tri(b)[0] and _premier_niveau(collateur, a) > _premier_niveau(collateur, b)
    ]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(_LETTRES, min_size=1, max_size=8).map("".join), min_size=2, max_size=40))
def test_meme_ordre_que_l_algorithme_unicode(noms):
    assert _accord_avec_pyuca([n for n in noms if n.strip()]) == []


def test_meme_ordre_que_l_algorithme_unicode_sur_les_noms_livres(racine):
    from annuaire.directory import construire_annuaire

    annuaire = construire_annuaire(racine / "content")
    noms = [lieu.nom for lieu in annuaire.lieux] + [lieu.commune for lieu in annuaire.lieux]
    assert _accord_avec_pyuca(noms) == []
