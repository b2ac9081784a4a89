"""The record model: a place (Lieu), a network (Reseau), and a problem found in an entry.

Plain data, no behaviour beyond small derived properties. Imports nothing of ours but the
vocabularies, so every other module can depend on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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


@dataclass
class Provenance:
    """Where a record (or a merged part of it) came from."""

    source: str
    identifiant: str
    date_maj: dt.date | None = None
    url: str = ""


@dataclass
class Lieu:
    """A place, with the standard's fields (French names) and our extensions.

    Multi-valued fields are lists. `lignes` maps a field name to the line it was read from, so that
    every problem can name its line.
    """

    id: str = ""
    pivot: str = ""
    nom: str = ""
    commune: str = ""
    code_postal: str = ""
    code_insee: str = ""
    adresse: str = ""
    complement_adresse: str = ""
    latitude: float | None = None
    longitude: float | None = None
    typologie: list[str] = field(default_factory=list)
    telephone: str = ""
    courriels: list[str] = field(default_factory=list)
    site_web: list[str] = field(default_factory=list)
    horaires: str = ""
    presentation_resume: str = ""
    presentation_detail: str = ""
    source: str = ""
    itinerance: list[str] = field(default_factory=list)
    structure_parente: str = ""
    date_maj: dt.date | None = None
    services: list[str] = field(default_factory=list)
    publics_specifiquement_adresses: list[str] = field(default_factory=list)
    prise_en_charge_specifique: list[str] = field(default_factory=list)
    frais_a_charge: list[str] = field(default_factory=list)
    dispositif_programmes_nationaux: list[str] = field(default_factory=list)
    formations_labels: list[str] = field(default_factory=list)
    autres_formations_labels: list[str] = field(default_factory=list)
    modalites_acces: list[str] = field(default_factory=list)
    modalites_accompagnement: list[str] = field(default_factory=list)
    fiche_acces_libre: str = ""
    prise_rdv: str = ""
    # --- extensions ---
    reseaux: list[str] = field(default_factory=list)
    langues: list[str] = field(default_factory=list)
    statut: str = "ouvert"
    precision_coordonnees: str = ""
    maintenu_par: str = ""
    references: list[str] = field(default_factory=list)
    a_verifier: list[str] = field(default_factory=list)
    # --- where it came from ---
    slug: str = ""
    chemin: str = ""
    lignes: dict[str, int] = field(default_factory=dict)
    corps_markdown: str = ""
    provenances: list[Provenance] = field(default_factory=list)

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


@dataclass
class Reseau:
    """A network or organisation that places belong to (content/reseaux/)."""

    slug: str
    nom: str
    description: str = ""
    coordination: list[str] = field(default_factory=list)
    site_web: str = ""
    chemin: str = ""
    lignes: dict[str, int] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
