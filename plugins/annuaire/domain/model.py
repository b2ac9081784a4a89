"""The record model: a place (Lieu), a network (Reseau), and a problem found in an entry.

Plain data, no behaviour beyond small derived properties. A place's fields are generated from the
field registry (champs.py). Imports nothing of ours but the registry, so every other module can
depend on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, make_dataclass

from annuaire.domain.champs import DATE, NOMBRE, REGISTRE, Champ

ERREUR = "erreur"
AVERTISSEMENT = "avertissement"
MESSAGE_MAX = 400  # characters of a problem's message


@dataclass(frozen=True, order=True)
class Probleme:
    """One problem in one entry: where it is, which field, what is wrong, how serious."""

    chemin: str
    ligne: int
    champ: str
    message: str
    gravite: str = ERREUR

    def __post_init__(self) -> None:
        # A message quotes values from hostile entries: bound it (a terminal or a PR annotation
        # must never receive megabytes from one line).
        if len(self.message) > MESSAGE_MAX:
            object.__setattr__(self, "message", self.message[: MESSAGE_MAX - 1] + "…")

    def ordre(self) -> tuple[str, int, str, str, str]:
        """The sort key, the same order as the dataclass's (a key sorts 30,000 problems in a
        tenth of the time the generated comparisons take)."""
        return (self.chemin, self.ligne, self.champ, self.message, self.gravite)

    def __str__(self) -> str:
        champ = f" {self.champ}:" if self.champ else ""
        prefixe = "" if self.gravite == ERREUR else " avertissement:"
        return f"{self.chemin}:{self.ligne}:{prefixe}{champ} {self.message}"

    @property
    def est_erreur(self) -> bool:
        """True when this problem stops the build."""
        return self.gravite == ERREUR


@dataclass(frozen=True)
class Provenance:
    """Where a record (or a merged part of it) came from."""

    source: str
    identifiant: str
    date_maj: dt.date | None = None
    url: str = ""


class _Lieu:
    """What a place does besides holding its fields (the generated `Lieu` dataclass inherits it)."""

    __slots__ = ()

    def ligne(self, champ: str) -> int:
        """The line a field was read from, or the first line of the entry."""
        return self.lignes.get(champ, 1)

    @property
    def a_coordonnees(self) -> bool:
        """True when the place can be put on a map."""
        return self.latitude is not None and self.longitude is not None

    @property
    def est_local(self) -> bool:
        """True for an entry of content/lieux (not from a federated source)."""
        return self.chemin.startswith("content/lieux") or not self.provenances


def avec(lieu: Lieu, **valeurs: object) -> Lieu:
    """`lieu` with these field values: `lieu` itself when it has them all already, else a new
    record, equal to `dataclasses.replace(lieu, **valeurs)` (records are frozen: this is how
    code changes one). Made by copying the record's fields rather than running its 44-field
    `__init__` again (a fifth of the time: the importer makes several per record)."""
    if not valeurs.keys() <= _NOMS:
        raise TypeError(f"champs inconnus : {sorted(valeurs.keys() - _NOMS)}")
    changees = {nom: valeur for nom, valeur in valeurs.items() if getattr(lieu, nom) != valeur}
    if not changees:
        return lieu
    copie = object.__new__(type(lieu))
    copie.__dict__.update(lieu.__dict__, **changees)  # a new record, not yet seen by anyone
    return copie


_TYPES = {NOMBRE: float | None, DATE: dt.date | None}


def _champ_du_modele(champ: Champ) -> tuple[str, object, object]:
    """(name, type, dataclass field) of one registry row: lists get a fresh list per record."""
    if champ.multiple:
        return champ.nom, list[str], field(default_factory=list)
    return champ.nom, _TYPES.get(champ.genre, str), field(default=champ.vide)


# Where a record came from: not fields of an entry, so not in the registry.
_ORIGINE = (
    ("slug", str, field(default="")),
    ("chemin", str, field(default="")),
    ("lignes", dict[str, int], field(default_factory=dict)),
    ("corps_markdown", str, field(default="")),
    ("provenances", list[Provenance], field(default_factory=list)),
)

# A place: every field of the registry (champs.py) in its order (the standard's, then our
# extensions), then where it came from. Multi-valued fields are lists. `lignes` maps a field name to
# the line it was read from, so that every problem can name its line. Frozen: a record is never
# changed once made (a cache may hold it, a digest may stand for it); code that needs another value
# makes a new record with `dataclasses.replace`. Its lists and `lignes` are not to be changed either.
Lieu = make_dataclass(
    "Lieu",
    [_champ_du_modele(champ) for champ in REGISTRE] + list(_ORIGINE),
    bases=(_Lieu,),
    namespace={"__doc__": "A place: the registry's fields (champs.py), then where it came from."},
    frozen=True,
)
Lieu.__module__ = __name__  # pickled records name this module (make_dataclass would say "types")
# Every field of a place in the model's order (the registry's, then where it came from): what a
# place's digest is made of (its values, never its class).
CHAMPS_LIEU: tuple[str, ...] = tuple(f.name for f in fields(Lieu))
_NOMS = frozenset(CHAMPS_LIEU)


@dataclass(frozen=True)
class Reseau:
    """A network or organisation that places belong to (content/reseaux/). Frozen like a place:
    a change makes a new record (`dataclasses.replace`); its lists and `lignes` are not changed."""

    slug: str
    nom: str
    description: str = ""
    coordination: list[str] = field(default_factory=list)
    site_web: str = ""
    chemin: str = ""
    lignes: dict[str, int] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
