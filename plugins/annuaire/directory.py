"""The directory: load + validate (+ merge federated sources), the one place the list is built.

The Pelican glue and the command line both call `construire_annuaire`; nothing else assembles places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annuaire.domain.calcul import Appliquer, appliquer_simple
from annuaire.domain.model import Lieu, Probleme, Reseau
from annuaire.federation.doublons import RapportFusion, fusionner
from annuaire.federation.sources import lire_snapshots
from annuaire.loading.entrees import charger_lieux, charger_reseaux
from annuaire.loading.liens import liens_sortants
from annuaire.validation.regles import Contexte, valider_annuaire


@dataclass
class Annuaire:
    """Every place and network of a site, and every problem found while building it."""

    lieux: list[Lieu]
    reseaux: list[Reseau]
    problemes: list[Probleme] = field(default_factory=list)
    fusion: RapportFusion = field(default_factory=RapportFusion)

    @property
    def erreurs(self) -> list[Probleme]:
        """Problems that stop the build."""
        return [p for p in self.problemes if p.est_erreur]

    @property
    def avertissements(self) -> list[Probleme]:
        """Problems that are reported but do not stop the build."""
        return [p for p in self.problemes if not p.est_erreur]

    def resume(self) -> str:
        """One French line: how many places, networks, errors and warnings."""
        return (
            f"{len(self.lieux)} lieux, {len(self.reseaux)} réseaux : "
            f"{len(self.erreurs)} erreur(s), {len(self.avertissements)} avertissement(s)"
        )


@dataclass(frozen=True)
class Calculs:
    """How the directory's per-entry work is done: `charger_lieux(dossier, racine)` loads the
    entries, `appliquer` applies validation's, the merge's and the exports' pure functions (see
    domain/calcul.py). Plain loops by default; the build passes ones that keep results between
    builds, which this module does not need to know."""

    charger_lieux: Callable[[Path, Path], tuple[list[Lieu], list[Probleme]]] = charger_lieux
    appliquer: Appliquer = appliquer_simple


def construire_annuaire(
    contenu: Path,
    racine: Path | None = None,
    aujourd_hui: dt.date | None = None,
    calculs: Calculs = Calculs(),
) -> Annuaire:
    """Load and validate content/lieux and content/reseaux, then merge the federated snapshots.

    Local entries are validated before the merge (federated rows were checked when loaded: their
    problems are warnings), and win over federated records. Paths in problems are relative to
    `racine` (the project folder; default: contenu's parent).
    """
    racine = racine or contenu.parent
    jour = aujourd_hui or dt.date.today()
    liens = liens_sortants(contenu, racine)  # pages and snapshots included: Pelican reads them too
    lieux, problemes = calculs.charger_lieux(contenu / "lieux", racine)
    reseaux, problemes_reseaux = charger_reseaux(contenu / "reseaux", racine)
    contexte = Contexte(aujourd_hui=jour)
    problemes += liens + problemes_reseaux + valider_annuaire(lieux, reseaux, contexte, calculs.appliquer)
    federes, problemes_sources = lire_snapshots(contenu / "sources", racine, jour)
    lieux, fusion = fusionner(lieux, federes, calculs.appliquer)
    lieux.sort(key=lambda lieu: lieu.slug)
    reseaux.sort(key=lambda reseau: reseau.slug)
    problemes = sorted(set(problemes + problemes_sources), key=Probleme.ordre)
    return Annuaire(lieux, reseaux, problemes, fusion)
