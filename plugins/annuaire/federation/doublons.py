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

import dataclasses
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from annuaire.domain.calcul import Appliquer, appliquer_simple
from annuaire.domain.champs import CHAMPS_MULTIPLES, CHAMPS_STANDARD, EXTENSIONS, MULTIPLES, VIDES
from annuaire.domain.formats import slugifier
from annuaire.domain.model import Lieu, Provenance, avec
from annuaire.federation.decisions import Decisions

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
    nom, adresse = normaliser(lieu.nom), normaliser(lieu.adresse)
    return _Fiche(index, lieu, source, nom, adresse, pivot)


def identifiants(lieu: Lieu) -> frozenset[str]:
    """Every id a place answers to: its own, the records merged into it (`identifiants_sources`),
    its provenances' (`SOURCE_ID`)."""
    federes = (identifiant_federe(p.source, p.identifiant) for p in lieu.provenances)
    return frozenset((lieu.id, *lieu.identifiants_sources, *federes))


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


def _meme_identifiant(a: _Fiche, b: _Fiche) -> Paire | None:
    """The same record twice (same id): always one place."""
    if a.lieu.id != b.lieu.id:
        return None
    return Paire(a.lieu.id, b.lieu.id, a.lieu.nom, b.lieu.nom, 100.0, "identifiant", True)


def _meme_pivot(a: _Fiche, b: _Fiche) -> Paire | None:
    """The same SIRET/RNA at the same address or point: one place."""
    if not _pivot_commun(a, b):
        return None
    return Paire(a.lieu.id, b.lieu.id, a.lieu.nom, b.lieu.nom, score(a, b), "pivot", True)


def _par_score(a: _Fiche, b: _Fiche) -> Paire | None:
    """Names, addresses and points alike: one place above the threshold, a likely one above
    SEUIL_PROBABLE (left for a person to decide), else nothing."""
    valeur = score(a, b)
    seuil = SEUIL_MEME_SOURCE if a.source == b.source else SEUIL_ENTRE_SOURCES
    if valeur > seuil:
        return Paire(a.lieu.id, b.lieu.id, a.lieu.nom, b.lieu.nom, valeur, "score", True)
    if valeur >= SEUIL_PROBABLE:
        portee = "même source" if a.source == b.source else "sources différentes"
        raison = f"{portee} : seuil {seuil:.0f}"
        return Paire(a.lieu.id, b.lieu.id, a.lieu.nom, b.lieu.nom, valeur, "score", False, raison)
    return None


@dataclass(frozen=True)
class Regle:
    """One duplicate rule: its name (the pair's `motif`), its priority, and its judgement."""

    nom: str
    priorite: int
    juger: Callable[[_Fiche, _Fiche], Paire | None]


# The duplicate rules, by name with a priority (like Python-Markdown's registries): the first rule,
# highest priority first, that says something about a pair decides. A new rule is one row here.
REGLES: tuple[Regle, ...] = tuple(
    sorted(
        (
            Regle("identifiant", 100, _meme_identifiant),
            Regle("pivot", 50, _meme_pivot),
            Regle("score", 10, _par_score),
        ),
        key=lambda regle: -regle.priorite,
    )
)


def _juger(a: _Fiche, b: _Fiche) -> Paire | None:
    """Compare two candidates with REGLES: a duplicate, a likely one, or nothing (None)."""
    for regle in REGLES:
        paire = regle.juger(a, b)
        if paire is not None:
            return paire
    return None


# --- grouping ----------------------------------------------------------------------------------------


class _Groupes:
    """Union-find over places, refusing to join two groups that each hold a local entry (unless a
    person decided so) or that hold two places a person decided are different (doublons.yaml)."""

    def __init__(self, fiches: list[_Fiche], ids: list[frozenset[str]], differents: frozenset = frozenset()):
        self.parent = list(range(len(fiches)))
        self.local = [f.source == SOURCE_LOCALE for f in fiches]
        # Each group's ids, kept only when a decision keeps places apart (the usual build has none).
        self.ids = [set(x) for x in ids] if differents else []
        self.opposes: dict[str, set[str]] = defaultdict(set)
        for paire in differents:
            a, b = sorted(paire)
            self.opposes[a].add(b)
            self.opposes[b].add(a)

    def racine(self, i: int) -> int:
        """The representative of i's group."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def separes(self, i: int, j: int) -> bool:
        """True when a decision keeps a place of i's group apart from one of j's."""
        if not self.opposes:
            return False
        a, b = self.ids[self.racine(i)], self.ids[self.racine(j)]
        petit, grand = (a, b) if len(a) <= len(b) else (b, a)
        return any(self.opposes[x] & grand for x in petit if x in self.opposes)

    def unir(self, i: int, j: int, force: bool = False) -> bool:
        """Join the groups of i and j; False when both hold a local entry (never merged together
        unless `force`) or when a decision keeps them apart."""
        a, b = sorted((self.racine(i), self.racine(j)))
        if a == b:
            return True
        if (self.local[a] and self.local[b] and not force) or self.separes(a, b):
            return False
        self.parent[b] = a
        self.local[a] = self.local[a] or self.local[b]
        if self.ids:
            self.ids[a] |= self.ids[b]
        return True


def _decider(jugements: list[tuple[_Fiche, _Fiche, Paire]], groupes: _Groupes) -> list[Paire]:
    """Join the groups of the merged pairs, in order; two local entries are never merged, and a
    pair a person decided on (doublons.yaml) is not listed as a likely duplicate any more."""
    resultats = []
    for a, b, paire in jugements:
        if groupes.separes(a.index, b.index) and groupes.racine(a.index) != groupes.racine(b.index):
            continue
        if paire.fusionnee and not groupes.unir(a.index, b.index):
            paire = dataclasses.replace(paire, fusionnee=False, raison="deux fiches locales")
        if not paire.fusionnee and groupes.racine(a.index) == groupes.racine(b.index):
            continue  # joined through a decision or other pairs: nothing left to check
        resultats.append(paire)
    return resultats


def _unions_decidees(
    fiches: list[_Fiche], ids: list[frozenset[str]], groupes: _Groupes, decisions: Decisions | None
) -> list[Paire]:
    """Records sharing an id are one place (a file imported again, a snapshot of an imported
    record); then the "même lieu" decisions (the pairs returned)."""
    par_id: dict[str, list[_Fiche]] = defaultdict(list)
    for fiche, siens in zip(fiches, ids, strict=True):
        for identifiant in siens:
            par_id[identifiant].append(fiche)
    for identifiant in sorted(par_id):
        premier, *autres = par_id[identifiant]
        for autre in autres:
            groupes.unir(premier.index, autre.index)
    paires = []
    for decision in decisions.memes if decisions else []:
        membres = [par_id[i][0] for i in decision.lieux if par_id.get(i)]
        for autre in membres[1:]:
            if groupes.unir(membres[0].index, autre.index, force=True):
                paires.append(_paire_decidee(membres[0], autre, "décision"))
    return paires


def _paire_decidee(a: _Fiche, b: _Fiche, motif: str) -> Paire:
    """A pair joined without a score: same id, or a person's decision."""
    return Paire(a.lieu.id, b.lieu.id, a.lieu.nom, b.lieu.nom, 100.0, motif, True)


def regrouper(
    membres: list[tuple[Lieu, str]],
    decisions: Decisions | None = None,
    appliquer: Appliquer = appliquer_simple,
) -> tuple[list[list[int]], list[Paire]]:
    """Group places that are one real place: (groups of positions in `membres`, in order; pairs).

    `membres`: (place, source name; SOURCE_LOCALE for an entry file) in priority order. Shared ids
    and "même lieu" decisions join first, then the scored pairs; "lieux différents" keeps apart.
    The one grouping used by the build's merge and by `import`."""
    fiches = [_fiche(i, lieu, source) for i, (lieu, source) in enumerate(membres)]
    return _regrouper(fiches, decisions, appliquer)


def _regrouper(
    fiches: list[_Fiche], decisions: Decisions | None, appliquer: Appliquer
) -> tuple[list[list[int]], list[Paire]]:
    """`regrouper` on places already prepared for comparing."""
    ids = [identifiants(f.lieu) for f in fiches]
    groupes = _Groupes(fiches, ids, decisions.differents() if decisions else frozenset())
    paires = _unions_decidees(fiches, ids, groupes, decisions)
    # Best pairs first: when a place could join two groups that may not meet (two local entries,
    # a decision), it joins the one it resembles most; without such limits the order is immaterial.
    jugements = sorted(_jugements(fiches, appliquer), key=lambda j: -j[2].score)
    paires += _decider(jugements, groupes)
    par_racine: dict[int, list[int]] = defaultdict(list)
    for fiche in fiches:
        par_racine[groupes.racine(fiche.index)].append(fiche.index)
    return list(par_racine.values()), paires


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
    """One field of the merged place: first non-empty value; lists unioned, in the winners' order
    (the rule of `make import` too: a merge loses no value)."""
    valeurs = [getattr(f.lieu, champ) for f in ordonnees]
    if champ in CHAMPS_MULTIPLES:
        return _union(valeurs)
    if champ == "pivot":
        valeurs = [v for v in valeurs if not PIVOT_NUL.match(re.sub(r"\s", "", v))]
    return next((v for v in valeurs if v not in ("", None)), getattr(ordonnees[0].lieu, champ))


def fusionner_groupe(fiches: list[_Fiche]) -> Lieu:
    """One place from a group of duplicates: the winner's record, completed by the others (a new
    record: the group's are never changed)."""
    ordonnees = sorted(fiches, key=_ordre)
    gagnant = ordonnees[0]
    valeurs: dict[str, object] = {champ: _champ_fusionne(champ, ordonnees) for champ in CHAMPS_STANDARD}
    if gagnant.source != SOURCE_LOCALE:
        valeurs["id"] = "__".join(sorted(f.lieu.id for f in fiches))
        valeurs["slug"] = slugifier(gagnant.lieu.id)
    valeurs["provenances"] = [p for f in ordonnees for p in _provenances(f)]
    return dataclasses.replace(gagnant.lieu, lignes=dict(gagnant.lieu.lignes), **valeurs)


# --- the whole directory ------------------------------------------------------------------------------


def federe(lieu: Lieu, source: str) -> Lieu:
    """A copy of a source's place with its namespaced id, slug, path and provenance."""
    identifiant = identifiant_federe(source, lieu.id)
    return avec(
        lieu,
        id=identifiant,
        slug=slugifier(identifiant) or "lieu",
        chemin=lieu.chemin or f"content/sources/{source}.json",
        provenances=list(lieu.provenances) or [Provenance(source, lieu.id, lieu.date_maj)],
    )


def identifiants_connus(locaux: list[Lieu], sources: dict[str, list[Lieu]]) -> set[str]:
    """Every id a decision may name: entries' ids and records merged into them, sources' SOURCE_ID."""
    connus = {i for lieu in locaux for i in identifiants(lieu)}
    return connus | {identifiant_federe(nom, lieu.id) for nom, lieux in sources.items() for lieu in lieux}


def _fiches(locaux: list[Lieu], sources: dict[str, list[Lieu]]) -> list[_Fiche]:
    """Every place to compare: local entries, then each source's (namespaced), sources by name."""
    tous = [(lieu, SOURCE_LOCALE) for lieu in locaux]
    tous += [(federe(lieu, nom), nom) for nom in sorted(sources) for lieu in sources[nom]]
    return [_fiche(i, lieu, source) for i, (lieu, source) in enumerate(tous)]


def _slugs_uniques(lieux: list[Lieu]) -> list[Lieu]:
    """The places with unique page slugs (a federated slug may meet a local file's name): "-2",
    "-3"…; a place whose slug changes is a new record."""
    pris: set[str] = set()
    nouveaux: dict[int, Lieu] = {}
    for lieu in sorted(lieux, key=lambda x: (not x.est_local, x.id)):
        base = lieu.slug or slugifier(lieu.id) or "lieu"
        slug, rang = base, 1
        while slug in pris:
            rang += 1
            slug = f"{base}-{rang}"
        pris.add(slug)
        nouveaux[id(lieu)] = lieu if slug == lieu.slug else avec(lieu, slug=slug)
    return [nouveaux[id(lieu)] for lieu in lieux]


def fusionner(
    locaux: list[Lieu],
    sources: dict[str, list[Lieu]],
    appliquer: Appliquer = appliquer_simple,
    decisions: Decisions | None = None,
) -> tuple[list[Lieu], RapportFusion]:
    """Merge local entries and federated sources' places into one list (sorted by id) and a report.

    `sources` maps a source's name to its places, with the ids they have in that source; they come
    out as `SOURCE_ID`. Duplicates are merged (local entries win), likely ones only reported;
    `decisions` (content/doublons.yaml) join or keep apart what a person reviewed.
    `appliquer`: how each block is judged (see `jugements_du_bloc`).
    """
    fiches = _fiches(locaux, sources)
    groupes, paires = _regrouper(fiches, decisions, appliquer)
    rapport = RapportFusion(paires=paires, entrees=len(fiches))
    lieux = []
    for groupe in groupes:
        membres = [fiches[i] for i in groupe]
        lieux.append(membres[0].lieu if len(membres) == 1 else fusionner_groupe(membres))
        if len(membres) > 1:
            rapport.groupes.append(sorted(f.lieu.id for f in membres))
    lieux = _slugs_uniques(lieux)
    rapport.sorties = len(lieux)
    rapport.groupes.sort()
    return sorted(lieux, key=lambda x: x.id), rapport


# --- merging records into one entry file (import) ---------------------------------------------------

# Fields whose different values are no conflict: the id (kept), the date (the newest), the source.
SANS_CONFLIT = frozenset({"id", "date_maj", "source", "statut"})
ECART_COORDONNEES = DISTANCE_MEME_LIEU


@dataclass(frozen=True)
class Membre:
    """A record to merge into an entry: the place, who it came from (file or id), and whether it
    is a hand-written entry (its single values win whatever the dates)."""

    lieu: Lieu
    origine: str
    manuel: bool = False


@dataclass(frozen=True)
class Conflit:
    """Two different non-empty values for one single-valued field: the one kept and the other."""

    fiche: str
    champ: str
    gardee: str
    origine_gardee: str
    autre: str
    origine_autre: str

    def __str__(self) -> str:
        return (
            f"{self.fiche}: {self.champ}: conflit : « {self.gardee} » ({self.origine_gardee}) gardé, "
            f"« {self.autre} » ({self.origine_autre}) écarté"
        )


def _ordre_membre(membre: Membre) -> tuple:
    """Who gives single values: a hand-written entry, then the newest date_maj, then the id."""
    date = membre.lieu.date_maj.toordinal() if membre.lieu.date_maj else 0
    return (not membre.manuel, -date)


def _vide(champ: str, valeur: object) -> bool:
    """No value: empty, the field's default, or a pivot of zeros."""
    if valeur in ("", None, []) or valeur == VIDES[champ]:
        return True
    return champ == "pivot" and bool(PIVOT_NUL.match(re.sub(r"\s", "", str(valeur))))


def _differentes(champ: str, a: object, b: object) -> bool:
    """Two values that say different things (case, accents and spacing aside; points 45 m apart)."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) > ECART_COORDONNEES
    return forme_comparable(str(a)) != forme_comparable(str(b))


def forme_comparable(texte: str) -> str:
    """The form two single values are compared in: case, accents, ligatures and punctuation aside."""
    return normaliser(_sans_ligatures(texte))


def _sans_ligatures(texte: str) -> str:
    """ "Sœurs" and "soeurs" are one word (NFKD keeps the ligatures œ and æ whole)."""
    return texte.translate(_LIGATURES)


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def _valeur_simple(champ: str, membres: list[Membre], fiche: str) -> tuple[object, list[Conflit]]:
    """A single-valued field: the first non-empty value in order; the other values are conflicts."""
    remplis = [(m, getattr(m.lieu, champ)) for m in membres if not _vide(champ, getattr(m.lieu, champ))]
    if not remplis:
        return getattr(membres[0].lieu, champ), []
    gagnant, valeur = remplis[0]
    if champ in SANS_CONFLIT:
        return valeur, []
    conflits, vues = [], [valeur]
    for membre, autre in remplis[1:]:
        if all(_differentes(champ, autre, v) for v in vues):
            vues.append(autre)
            conflits.append(Conflit(fiche, champ, str(valeur), gagnant.origine, str(autre), membre.origine))
    return valeur, conflits


def fusionner_fiches(membres: list[Membre], fiche: str) -> tuple[Lieu, list[Conflit]]:
    """One entry from records of one real place, losing no value: lists unioned, single values from
    the hand-written entry or else the newest `date_maj`, every other value listed as a conflict.

    `membres[0]` is the existing entry when there is one: it keeps its id and slug; `fiche` names
    the entry file in conflicts. The provenance of every record is kept in `identifiants_sources`."""
    ordonnes = sorted(membres, key=_ordre_membre)  # stable: the existing entry first among equals
    valeurs: dict[str, object] = {}
    conflits: list[Conflit] = []
    for champ in CHAMPS_STANDARD + EXTENSIONS:
        if champ in MULTIPLES:
            valeurs[champ] = _union([list(getattr(m.lieu, champ)) for m in ordonnes])
        else:
            valeurs[champ], trouves = _valeur_simple(champ, ordonnes, fiche)
            conflits += trouves
    premier = membres[0].lieu
    valeurs["id"] = premier.id
    propres = [m.lieu.id for m in membres if not m.manuel]
    valeurs["identifiants_sources"] = _union([valeurs["identifiants_sources"], propres])
    return dataclasses.replace(premier, **valeurs), conflits
