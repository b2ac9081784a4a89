"""The directory: load + validate (+ merge federated sources), the one place the list is built.

The Pelican glue and the command line both call `construire_annuaire`; nothing else assembles places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annuaire.domain.ateliers import Agenda
from annuaire.domain.besoins import VocabulaireBesoins
from annuaire.domain.calcul import Appliquer, appliquer_simple
from annuaire.domain.casse import remettre_en_forme
from annuaire.domain.communes import Referentiel
from annuaire.domain.model import AVERTISSEMENT, Lieu, Probleme, Reseau
from annuaire.federation.agendas import agenda_du_contenu
from annuaire.federation.decisions import charger_decisions
from annuaire.federation.doublons import RapportFusion, fusionner, identifiants, identifiants_connus
from annuaire.federation.importer import OPTIONS_PAR_DEFAUT, OptionsImport
from annuaire.federation.sources import lire_snapshots
from annuaire.loading.besoins import charger_besoins
from annuaire.loading.entrees import charger_lieux, charger_reseaux
from annuaire.loading.liens import liens_sortants
from annuaire.loading.referentiel import ABSENT, charger_referentiel
from annuaire.validation.regles import Contexte, valider_annuaire


@dataclass
class Annuaire:
    """Every place and network of a site, and every problem found while building it."""

    lieux: list[Lieu]
    reseaux: list[Reseau]
    problemes: list[Probleme] = field(default_factory=list)
    fusion: RapportFusion = field(default_factory=RapportFusion)
    besoins: VocabulaireBesoins = field(default_factory=VocabulaireBesoins)  # everyday words
    referentiel: Referentiel = field(default_factory=Referentiel)
    agenda: Agenda = field(default_factory=Agenda)  # workshops of the horizon (federation/agendas.py)

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


def lieu_en_forme(lieu: Lieu, ref: Referentiel) -> Lieu:
    """A place as published: names in French case, the referential's commune (a new record)."""
    return remettre_en_forme(lieu, ref)[0]


def construire_annuaire(
    contenu: Path,
    racine: Path | None = None,
    aujourd_hui: dt.date | None = None,
    calculs: Calculs = Calculs(),
    options: OptionsImport = OPTIONS_PAR_DEFAUT,
) -> Annuaire:
    """Load and validate content/lieux and content/reseaux, then merge the federated snapshots,
    honouring the reviewed decisions of content/doublons.yaml.

    Local entries are validated before the merge (federated rows were checked when loaded: their
    problems are warnings), and win over federated records. Paths in problems are relative to
    `racine` (the project folder; default: contenu's parent). `options`: privacy and scope of the
    snapshots (the settings' `contacts_personnels` and `hors_perimetre`).. The agenda starts on
    `aujourd_hui` (the build's day, ANNUAIRE_DATE in tests).
    """
    racine = racine or contenu.parent
    jour = aujourd_hui or dt.date.today()
    liens = liens_sortants(contenu, racine)  # pages and snapshots included: Pelican reads them too
    lieux, problemes = calculs.charger_lieux(contenu / "lieux", racine)
    reseaux, problemes_reseaux = charger_reseaux(contenu / "reseaux", racine)
    ref = charger_referentiel()
    if not ref:  # said once, not per entry: communes are then published as written
        problemes.append(Probleme("package.json", 1, "", ABSENT, AVERTISSEMENT))
    contexte = Contexte(aujourd_hui=jour, referentiel=ref)
    problemes += liens + problemes_reseaux + valider_annuaire(lieux, reseaux, contexte, calculs.appliquer)
    besoins, problemes_besoins = charger_besoins(racine=racine)
    problemes += problemes_besoins
    federes, problemes_sources = lire_snapshots(contenu / "sources", racine, jour, options)
    # Published in French case with official communes; the files keep what their authors wrote
    # (validation's warnings propose the fix), so duplicates are found on the official communes.
    lieux = calculs.appliquer(lieu_en_forme, lieux, ref)
    federes = {nom: calculs.appliquer(lieu_en_forme, rangs, ref) for nom, rangs in federes.items()}
    decisions, problemes_decisions = charger_decisions(contenu, racine)
    problemes += problemes_decisions + decisions.inconnus(identifiants_connus(lieux, federes))
    problemes += decisions.encore_reunis((lieu.chemin, identifiants(lieu)) for lieu in lieux)
    lieux, fusion = fusionner(lieux, federes, calculs.appliquer, decisions)
    lieux.sort(key=lambda lieu: lieu.slug)
    reseaux.sort(key=lambda reseau: reseau.slug)
    agenda, problemes_agenda = agenda_du_contenu(contenu, racine, lieux, jour, calculs.appliquer)
    problemes = sorted(set(problemes + problemes_sources + problemes_agenda), key=Probleme.ordre)
    return Annuaire(lieux, reseaux, problemes, fusion, besoins=besoins, referentiel=ref, agenda=agenda)
