"""Needs in everyday words: the reviewed vocabulary of besoins.yaml, as records.

besoins.yaml (beside this module) maps the words people say ("impôts", "imprimer", "wifi") to the
standard's services and publics. It lives in the package, not in content/: it is a vocabulary of
the software, shared by every territory that runs a copy (a fork that replaces content/ with its
own places keeps it and gets its updates), and it is reviewed like the vocabulary it points to
(vocabulaire.py). loading/besoins.py reads and checks it; this module holds what the search, the
sheets and the home page derive from it. Plain Python: no Pelican, no file reading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from annuaire.domain import vocabulaire as v

FICHIER = "besoins.yaml"  # beside this module

# The home page's shortcut icons (inline SVG in theme/templates/partials/icones_besoins.html).
ICONES: tuple[str, ...] = (
    "demarches",
    "imprimer",
    "telephone",
    "ordinateur",
    "emploi",
    "securite",
    "materiel",
    "enfants",
)

_NON_MOT = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Besoin:
    """One need: its plain label, its home-page icon ("" for none), the standard's services and
    publics it maps to, and the everyday words that say it."""

    libelle: str
    icone: str
    services: tuple[str, ...]
    publics: tuple[str, ...]
    mots: tuple[str, ...]
    dispositifs: tuple[str, ...] = ()  # national programmes that offer it (France Services…)

    def requete(self) -> str:
        """The search page's query string of this need's filters ("services=…&publics=…",
        the search page's facet keys), without the "?"."""
        filtres = [("services", s) for s in self.services] + [("publics", p) for p in self.publics]
        return urlencode(filtres, quote_via=quote)


@dataclass(frozen=True)
class VocabulaireBesoins:
    """Every need, and the words search drops from a query ("je", "mes"…)."""

    besoins: tuple[Besoin, ...] = ()
    mots_vides: tuple[str, ...] = ()

    def raccourcis(self) -> tuple[Besoin, ...]:
        """The needs shown as shortcuts on the home page (those with an icon), in file order."""
        return tuple(b for b in self.besoins if b.icone)


def normaliser(texte: str) -> str:
    """Lower case, without accents, words separated by one space ("Déclaration d'impôts" ->
    "declaration d impots"): how the page compares what is typed with the vocabulary."""
    sans_accents = unicodedata.normalize("NFKD", texte.casefold())
    lettres = "".join(c for c in sans_accents if not unicodedata.combining(c))
    return _NON_MOT.sub(" ", lettres.replace("œ", "oe").replace("æ", "ae")).strip()


def mots_du_lieu(
    vocabulaire: VocabulaireBesoins, services: list[str], publics: list[str], dispositifs: list[str] = ()
) -> list[str]:
    """The everyday words of every need a place meets (one of its services, publics or national
    programmes), in file order without repeats: the sheet gives them to the word index."""
    offerts = set(services) | set(publics) | set(dispositifs)
    mots: dict[str, None] = {}
    for besoin in vocabulaire.besoins:
        if offerts.intersection(besoin.services + besoin.publics + besoin.dispositifs):
            mots.update(dict.fromkeys(besoin.mots))
    return list(mots)


def pour_l_index(textes: list[str]) -> list[str]:
    """The normalised words of `textes` without one-letter ones, in order: what a sheet's hidden
    paragraphs give the word index. A one-letter word ("à", the "d" of "d'impôts") in the small
    index of an incremental build is a prefix Pagefind falls back on for any query word that index
    does not extend, finding places a clean build does not (tests/test_recherche_incrementale.py)."""
    return [j for texte in textes for j in normaliser(texte).split() if len(j) > 1]


def texte_index(vocabulaire: VocabulaireBesoins, mots: list[str]) -> str:
    """The hidden text a sheet gives the word index for `mots` (pour_l_index), each word once and
    without the words search drops ("je", "mes"): "déclaration d'impôts" -> "declaration impots"."""
    vides = {normaliser(m) for m in vocabulaire.mots_vides}
    return " ".join(dict.fromkeys(j for j in pour_l_index(mots) if j not in vides))


def donnees_page(vocabulaire: VocabulaireBesoins) -> dict[str, object]:
    """What the search page's script needs (written into the page as JSON): each normalised word
    or phrase with the numbers of the services (in vocabulaire.SERVICES) and publics (in
    vocabulaire.PUBLICS) and national programmes (in vocabulaire.DISPOSITIFS) it means, and the
    normalised words to drop."""
    expressions: dict[str, tuple[set[int], set[int], set[int]]] = {}
    for besoin in vocabulaire.besoins:
        for mot in besoin.mots:
            services, publics, dispositifs = expressions.setdefault(normaliser(mot), (set(), set(), set()))
            services.update(v.SERVICES.index(s) for s in besoin.services)
            publics.update(v.PUBLICS.index(p) for p in besoin.publics)
            dispositifs.update(v.DISPOSITIFS.index(d) for d in besoin.dispositifs)
    return {
        "expressions": {m: [sorted(x) for x in sens] for m, sens in sorted(expressions.items()) if m},
        "vides": sorted({normaliser(m) for m in vocabulaire.mots_vides} - {""}),
    }


def nombre_de_mots(texte: str) -> int:
    """How many word positions the search index gives `texte`: Pagefind splits on white space and
    counts every piece, a lone dash too (measured: "esp@ceC2R – Maison…" puts "Maison" third).
    The length of a place's name in the index, so that the page can tell a match on the name
    from a match elsewhere."""
    return len(texte.split())
