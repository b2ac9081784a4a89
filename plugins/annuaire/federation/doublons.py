"""Federation: namespaced ids, duplicate detection and merging of local and federated places.

The rules are the national aggregator's (see DESIGN.md, "Federation rules worth borrowing"):
- ids are `SOURCE_ID` (the source's name, then the place's id in that source);
- duplicate candidates share a commune (same `code_insee`, or the same `code_postal` when one side
  has no INSEE code) and have compatible typologies (equal, one side empty, France Services ↔ PIMMS);
- their score is the mean of a fuzzy ratio of the names, one of the addresses, and a distance score
  (100 within 0.0004°, about 45 m, falling fast beyond); components that cannot be measured
  (no address, no coordinates) are left out of the mean rather than counted as 0 or 100;
- a pair is a duplicate above 83 across sources, above 90 inside one source; a shared non-zero
  pivot (SIRET/RNA) is a duplicate too when the addresses or the points also agree (a city's SIRET
  is shared by all its public digital spaces, so the pivot alone would merge them all);
- pairs group transitively; local entries win; every source's provenance is kept.

Pairs scoring at least SEUIL_PROBABLE but under their threshold are reported as likely duplicates
for a person to check, never merged. Candidates are compared only inside a commune (blocking), so
the work grows with the size of the largest commune, not with the square of the directory.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from annuaire.domain.calcul import Appliquer, appliquer_simple
from annuaire.domain.champs import CHAMPS_MULTIPLES, CHAMPS_STANDARD
from annuaire.domain.formats import slugifier
from annuaire.domain.model import Lieu, Provenance

SEUIL_ENTRE_SOURCES = 83.0
SEUIL_MEME_SOURCE = 90.0
SEUIL_PROBABLE = 75.0
SEUIL_ADRESSE_PIVOT = 80.0
DISTANCE_MEME_LIEU = 0.0004  # degrees (about 45 m): same building
TYPOLOGIES_EQUIVALENTES = frozenset({frozenset({"RFS", "PIMMS"})})
SOURCE_LOCALE = "local"
PIVOT_NUL = re.compile(r"^0*$")
_NON_ALPHANUMERIQUE = re.compile(r"[^a-z0-9]+")


def identifiant_federe(source: str, identifiant: str) -> str:
    """The national aggregator's id of a place: `SOURCE_ID` (e.g. "hinaura_466")."""
    return f"{source}_{identifiant}"


@dataclass(frozen=True)
class Paire:
    """Two places compared: their ids, names, score, and what was decided."""

    id_a: str
    id_b: str
    nom_a: str
    nom_b: str
    score: float
    motif: str  # "identifiant", "pivot", "score"
    fusionnee: bool
    raison: str = ""

    def __str__(self) -> str:
        etat = "fusionnés" if self.fusionnee else f"doublon probable, non fusionné ({self.raison})"
        return (
            f"{etat} — score {self.score:.0f} ({self.motif}) : {self.id_a} « {self.nom_a} » "
            f"↔ {self.id_b} « {self.nom_b} »"
        )


@dataclass
class RapportFusion:
    """Every pair found (merged or only likely), and the merged groups."""

    paires: list[Paire] = field(default_factory=list)
    groupes: list[list[str]] = field(default_factory=list)
    entrees: int = 0
    sorties: int = 0

    @property
    def fusionnees(self) -> list[Paire]:
        """Pairs that were merged."""
        return [p for p in self.paires if p.fusionnee]

    @property
    def probables(self) -> list[Paire]:
        """Likely duplicates left for a person to check."""
        return [p for p in self.paires if not p.fusionnee]

    def resume(self) -> str:
        """One French line."""
        return (
            f"fusion : {self.entrees} lieux en entrée, {self.sorties} en sortie, "
            f"{len(self.fusionnees)} paires fusionnées en {len(self.groupes)} groupes, "
            f"{len(self.probables)} doublons probables à vérifier"
        )

    def lignes(self) -> list[str]:
        """Every pair, one French line each (merged first, then likely), sorted."""
        return [str(p) for p in sorted(self.paires, key=lambda p: (not p.fusionnee, -p.score, p.id_a))]


# --- comparing two places ------------------------------------------------------------------------


def normaliser(texte: str) -> str:
    """Lower case, no accents, punctuation as spaces: the comparable form of a name or address."""
    ascii_ = unicodedata.normalize("NFKD", texte.lower()).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NON_ALPHANUMERIQUE.sub(" ", ascii_).split())


@dataclass
class _Fiche:
    """What comparing needs of a place, computed once."""

    index: int
    lieu: Lieu
    source: str
    nom: str
    adresse: str
    pivot: str


def score_distance(a: Lieu, b: Lieu) -> float | None:
    """100 within DISTANCE_MEME_LIEU degrees, then falling as its inverse; None without coordinates."""
    if not (a.a_coordonnees and b.a_coordonnees):
        return None
    dlon = (a.longitude - b.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    ecart = math.hypot(a.latitude - b.latitude, dlon)
    return 100.0 if ecart <= DISTANCE_MEME_LIEU else 100.0 * DISTANCE_MEME_LIEU / ecart


def composantes(a: _Fiche, b: _Fiche) -> tuple[float, float | None, float | None]:
    """(name ratio, address ratio or None, distance score or None)."""
    adresse = fuzz.ratio(a.adresse, b.adresse) if a.adresse and b.adresse else None
    return fuzz.ratio(a.nom, b.nom), adresse, score_distance(a.lieu, b.lieu)


def score(a: _Fiche, b: _Fiche) -> float:
    """The mean of the components that could be measured."""
    mesurees = [c for c in composantes(a, b) if c is not None]
    return sum(mesurees) / len(mesurees)


def typologies_compatibles(a: Lieu, b: Lieu) -> bool:
    """Equal (sharing one), one side empty, or declared equivalent (France Services ↔ PIMMS)."""
    if not a.typologie or not b.typologie or set(a.typologie) & set(b.typologie):
        return True
    return any(frozenset({x, y}) in TYPOLOGIES_EQUIVALENTES for x in a.typologie for y in b.typologie)


def meme_commune(a: Lieu, b: Lieu) -> bool:
    """Same INSEE code; or, when one side has none, the same postcode."""
    if a.code_insee and b.code_insee:
        return a.code_insee == b.code_insee
    return bool(a.code_postal) and a.code_postal == b.code_postal


def _pivot_commun(a: _Fiche, b: _Fiche) -> bool:
    """Same non-zero pivot, and the same place on the ground (address or point)."""
    if not a.pivot or a.pivot != b.pivot:
        return False
    nom, adresse, distance = composantes(a, b)
    return (adresse or 0) >= SEUIL_ADRESSE_PIVOT or distance == 100.0


# --- finding pairs ---------------------------------------------------------------------------------


def _fiche(index: int, lieu: Lieu, source: str) -> _Fiche:
    """Precompute the comparable forms of a place."""
    pivot = re.sub(r"\s", "", lieu.pivot)
    pivot = "" if PIVOT_NUL.match(pivot) else pivot
    return _Fiche(index, lieu, source, normaliser(lieu.nom), normaliser(lieu.adresse), pivot)


def _blocs(fiches: list[_Fiche], champ: str) -> list[list[_Fiche]]:
    """Groups of places sharing a non-empty value of `champ` (code_postal or code_insee)."""
    blocs: dict[str, list[_Fiche]] = defaultdict(list)
    for fiche in fiches:
        valeur = getattr(fiche.lieu, champ)
        if valeur:
            blocs[valeur].append(fiche)
    return [blocs[cle] for cle in sorted(blocs) if len(blocs[cle]) > 1]


# Beyond this many degrees apart the distance score is at most 4, so even identical names and
# addresses stay under SEUIL_PROBABLE: such pairs need not be compared (unless they share a pivot).
ECART_MAX = 0.01


def _ordonnee(a: _Fiche, b: _Fiche) -> tuple[_Fiche, _Fiche]:
    return (a, b) if a.index < b.index else (b, a)


def _proches(avec: list[_Fiche]):
    """Pairs of located places less than ECART_MAX apart (sweep over latitude)."""
    avec = sorted(avec, key=lambda f: f.lieu.latitude)
    for i, a in enumerate(avec):
        for b in avec[i + 1 :]:
            if b.lieu.latitude - a.lieu.latitude > ECART_MAX:
                break
            if abs(b.lieu.longitude - a.lieu.longitude) <= 2 * ECART_MAX:
                yield _ordonnee(a, b)


def _paires(bloc: list[_Fiche]):
    """The pairs of a block worth comparing, each once: near each other, unlocated, or same pivot."""
    avec = [f for f in bloc if f.lieu.a_coordonnees]
    sans = [f for f in bloc if not f.lieu.a_coordonnees]
    vues = set()
    par_pivot: dict[str, list[_Fiche]] = defaultdict(list)
    for fiche in bloc:
        if fiche.pivot:
            par_pivot[fiche.pivot].append(fiche)
    meme_pivot = ((a, b) for g in par_pivot.values() for i, a in enumerate(g) for b in g[i + 1 :])
    sources = [_proches(avec), ((a, b) for i, a in enumerate(sans) for b in sans[i + 1 :] + avec), meme_pivot]
    for a, b in (_ordonnee(x, y) for paires in sources for x, y in paires):
        if (a.index, b.index) not in vues:
            vues.add((a.index, b.index))
            yield a, b


def _blocs_a_comparer(fiches: list[_Fiche]) -> list[tuple[str, list[_Fiche]]]:
    """The blocks pairs are looked for in: each postcode (same commune, or one side without INSEE
    code), then each INSEE code across postcodes (a big city has several): never the whole list."""
    return [(champ, bloc) for champ in ("code_postal", "code_insee") for bloc in _blocs(fiches, champ)]


def _candidats_du_bloc(champ: str, bloc: list[_Fiche]) -> list[tuple[_Fiche, _Fiche]]:
    """A block's pairs worth judging (same commune, compatible typologies), each pair once."""
    if champ == "code_postal":
        paires = [(a, b) for a, b in _paires(bloc) if meme_commune(a.lieu, b.lieu)]
    else:
        paires = [(a, b) for a, b in _paires(bloc) if a.lieu.code_postal != b.lieu.code_postal]
    return [(a, b) for a, b in paires if typologies_compatibles(a.lieu, b.lieu)]


def jugements_du_bloc(bloc: tuple[str, list[tuple[Lieu, str]]]) -> list[tuple[int, int, Paire]]:
    """A block's duplicates and likely ones: (position of a, position of b, pair) in the block.

    `bloc`: (champ, its places with their sources, in the directory's order). It holds all the
    comparison reads (a position stands for the index: only the order within a block counts), so
    a build may keep the judgements of a block whose places are unchanged (domain/calcul.py): on
    a national directory, changing one entry re-judges its postcode and INSEE code only."""
    champ, membres = bloc
    fiches = [_fiche(rang, lieu, source) for rang, (lieu, source) in enumerate(membres)]
    jugees = ((a, b, _juger(a, b)) for a, b in _candidats_du_bloc(champ, fiches))
    return [(a.index, b.index, paire) for a, b, paire in jugees if paire is not None]


def _jugements(
    fiches: list[_Fiche], appliquer: Appliquer = appliquer_simple
) -> list[tuple[_Fiche, _Fiche, Paire]]:
    """Every judged pair (duplicate or likely one) in the order of the places' indexes; each
    block's by `appliquer` (see `jugements_du_bloc`)."""
    blocs = _blocs_a_comparer(fiches)
    membres = [(champ, [(f.lieu, f.source) for f in bloc]) for champ, bloc in blocs]
    resultats = [
        (bloc[i], bloc[j], paire)
        for (_champ, bloc), jugements in zip(blocs, appliquer(jugements_du_bloc, membres), strict=True)
        for i, j, paire in jugements
    ]
    return sorted(resultats, key=lambda r: (r[0].index, r[1].index))


def _juger(a: _Fiche, b: _Fiche) -> Paire | None:
    """Compare two candidates: a duplicate, a likely one, or nothing (None)."""
    nom_a, nom_b = a.lieu.nom, b.lieu.nom
    if a.lieu.id == b.lieu.id:
        return Paire(a.lieu.id, b.lieu.id, nom_a, nom_b, 100.0, "identifiant", True)
    valeur = score(a, b)
    if _pivot_commun(a, b):
        return Paire(a.lieu.id, b.lieu.id, nom_a, nom_b, valeur, "pivot", True)
    seuil = SEUIL_MEME_SOURCE if a.source == b.source else SEUIL_ENTRE_SOURCES
    if valeur > seuil:
        return Paire(a.lieu.id, b.lieu.id, nom_a, nom_b, valeur, "score", True)
    if valeur >= SEUIL_PROBABLE:
        portee = "même source" if a.source == b.source else "sources différentes"
        raison = f"{portee} : seuil {seuil:.0f}"
        return Paire(a.lieu.id, b.lieu.id, nom_a, nom_b, valeur, "score", False, raison)
    return None


# --- grouping ----------------------------------------------------------------------------------------


class _Groupes:
    """Union-find over places, refusing to join two groups that each hold a local entry."""

    def __init__(self, fiches: list[_Fiche]):
        self.parent = list(range(len(fiches)))
        self.local = [f.source == SOURCE_LOCALE for f in fiches]

    def racine(self, i: int) -> int:
        """The representative of i's group."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def unir(self, i: int, j: int) -> bool:
        """Join the groups of i and j; False when both hold a local entry (never merged together)."""
        a, b = sorted((self.racine(i), self.racine(j)))
        if a == b:
            return True
        if self.local[a] and self.local[b]:
            return False
        self.parent[b] = a
        self.local[a] = self.local[a] or self.local[b]
        return True


def _decider(jugements: list[tuple[_Fiche, _Fiche, Paire]], groupes: _Groupes) -> list[Paire]:
    """Join the groups of the merged pairs, in order; two local entries are never merged."""
    resultats = []
    for a, b, paire in jugements:
        if paire.fusionnee and not groupes.unir(a.index, b.index):
            paire = dataclasses.replace(paire, fusionnee=False, raison="deux fiches locales")
        resultats.append(paire)
    return resultats


# --- merging a group -------------------------------------------------------------------------------


def _ordre(fiche: _Fiche) -> tuple:
    """Who wins: local entries first, then the newest date_maj, then the id."""
    date = fiche.lieu.date_maj.toordinal() if fiche.lieu.date_maj else 0
    return (fiche.source != SOURCE_LOCALE, -date, fiche.lieu.id)


def _provenances(fiche: _Fiche) -> list[Provenance]:
    """A place's provenances; a local entry is named by its file."""
    if fiche.lieu.provenances:
        return list(fiche.lieu.provenances)
    return [Provenance(fiche.source, fiche.lieu.id, fiche.lieu.date_maj, fiche.lieu.chemin)]


def _union(listes: list[list[str]]) -> list[str]:
    """Values of several lists, in order, without repeats."""
    valeurs: list[str] = []
    for liste in listes:
        valeurs.extend(v for v in liste if v not in valeurs)
    return valeurs


def _champ_fusionne(champ: str, ordonnees: list[_Fiche]) -> object:
    """One field of the merged place: first non-empty value; lists unioned (local lists win)."""
    valeurs = [getattr(f.lieu, champ) for f in ordonnees]
    if champ in CHAMPS_MULTIPLES:
        locales = [v for f, v in zip(ordonnees, valeurs, strict=True) if f.source == SOURCE_LOCALE and v]
        return list(locales[0]) if locales else _union(valeurs)
    if champ == "pivot":
        valeurs = [v for v in valeurs if not PIVOT_NUL.match(re.sub(r"\s", "", v))]
    return next((v for v in valeurs if v not in ("", None)), getattr(ordonnees[0].lieu, champ))


def fusionner_groupe(fiches: list[_Fiche]) -> Lieu:
    """One place from a group of duplicates: the winner's record, completed by the others."""
    ordonnees = sorted(fiches, key=_ordre)
    gagnant = ordonnees[0]
    lieu = dataclasses.replace(gagnant.lieu, lignes=dict(gagnant.lieu.lignes))
    for champ in CHAMPS_STANDARD:
        setattr(lieu, champ, _champ_fusionne(champ, ordonnees))
    if gagnant.source != SOURCE_LOCALE:
        lieu.id = "__".join(sorted(f.lieu.id for f in fiches))
        lieu.slug = slugifier(gagnant.lieu.id)
    lieu.provenances = [p for f in ordonnees for p in _provenances(f)]
    return lieu


# --- the whole directory ------------------------------------------------------------------------------


def _federe(lieu: Lieu, source: str) -> Lieu:
    """A copy of a source's place with its namespaced id, slug, path and provenance."""
    copie = copy.copy(lieu)
    copie.id = identifiant_federe(source, lieu.id)
    copie.slug = slugifier(copie.id) or "lieu"
    copie.chemin = lieu.chemin or f"content/sources/{source}.json"
    copie.provenances = list(lieu.provenances) or [Provenance(source, lieu.id, lieu.date_maj)]
    return copie


def _fiches(locaux: list[Lieu], sources: dict[str, list[Lieu]]) -> list[_Fiche]:
    """Every place to compare: local entries, then each source's (namespaced), sources by name."""
    tous = [(lieu, SOURCE_LOCALE) for lieu in locaux]
    tous += [(_federe(lieu, nom), nom) for nom in sorted(sources) for lieu in sources[nom]]
    return [_fiche(i, lieu, source) for i, (lieu, source) in enumerate(tous)]


def _slugs_uniques(lieux: list[Lieu]) -> None:
    """Make page slugs unique (a federated slug may meet a local file's name): "-2", "-3"…"""
    pris: set[str] = set()
    for lieu in sorted(lieux, key=lambda x: (not x.est_local, x.id)):
        base, rang = lieu.slug or slugifier(lieu.id) or "lieu", 1
        lieu.slug = base
        while lieu.slug in pris:
            rang += 1
            lieu.slug = f"{base}-{rang}"
        pris.add(lieu.slug)


def fusionner(
    locaux: list[Lieu], sources: dict[str, list[Lieu]], appliquer: Appliquer = appliquer_simple
) -> tuple[list[Lieu], RapportFusion]:
    """Merge local entries and federated sources' places into one list (sorted by id) and a report.

    `sources` maps a source's name to its places, with the ids they have in that source; they come
    out as `SOURCE_ID`. Duplicates are merged (local entries win), likely ones only reported.
    `appliquer`: how each block is judged (see `jugements_du_bloc`).
    """
    fiches = _fiches(locaux, sources)
    groupes = _Groupes(fiches)
    rapport = RapportFusion(paires=_decider(_jugements(fiches, appliquer), groupes), entrees=len(fiches))
    membres: dict[int, list[_Fiche]] = defaultdict(list)
    for fiche in fiches:
        membres[groupes.racine(fiche.index)].append(fiche)
    lieux = []
    for groupe in membres.values():
        lieux.append(groupe[0].lieu if len(groupe) == 1 else fusionner_groupe(groupe))
        if len(groupe) > 1:
            rapport.groupes.append(sorted(f.lieu.id for f in groupe))
    _slugs_uniques(lieux)
    rapport.sorties = len(lieux)
    rapport.groupes.sort()
    return sorted(lieux, key=lambda x: x.id), rapport
