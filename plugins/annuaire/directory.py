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
from annuaire.federation.decisions import Decisions, charger_decisions
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
    snapshots (the settings' `contacts_personnels` and `hors_perimetre`). The agenda starts on
    `aujourd_hui` (the build's day). The steps run in the order below, each one reading and adding
    to the directory under construction (`Chantier`).
    """
    chantier = Chantier(contenu, racine or contenu.parent, aujourd_hui or dt.date.today(), calculs, options)
    charger_entrees(chantier)
    charger_le_referentiel(chantier)
    valider_les_entrees(chantier)
    charger_les_besoins(chantier)
    lire_les_snapshots(chantier)
    mettre_en_forme(chantier)
    fusionner_les_doublons(chantier, verifier_les_decisions(chantier))
    faire_l_agenda(chantier)
    return assembler(chantier)


@dataclass
class Chantier:
    """The directory under construction: what `construire_annuaire`'s steps read and add to.
    The steps replace its lists with new ones; the records themselves are never changed."""

    contenu: Path
    racine: Path
    jour: dt.date
    calculs: Calculs
    options: OptionsImport
    lieux: list[Lieu] = field(default_factory=list)
    reseaux: list[Reseau] = field(default_factory=list)
    federes: dict[str, list[Lieu]] = field(default_factory=dict)  # the snapshots' places, by source
    problemes: list[Probleme] = field(default_factory=list)
    referentiel: Referentiel = field(default_factory=Referentiel)
    besoins: VocabulaireBesoins = field(default_factory=VocabulaireBesoins)
    fusion: RapportFusion = field(default_factory=RapportFusion)
    agenda: Agenda = field(default_factory=Agenda)


def charger_entrees(chantier: Chantier) -> None:
    """The entries of content/lieux and content/reseaux, and the outbound links of the whole
    content folder (pages and snapshots included: Pelican reads them too)."""
    contenu, racine = chantier.contenu, chantier.racine
    chantier.problemes += liens_sortants(contenu, racine)
    chantier.lieux, problemes = chantier.calculs.charger_lieux(contenu / "lieux", racine)
    chantier.reseaux, problemes_reseaux = charger_reseaux(contenu / "reseaux", racine)
    chantier.problemes += problemes + problemes_reseaux


def charger_le_referentiel(chantier: Chantier) -> None:
    """The communes' referential; its absence said once, not per entry (communes are then
    published as written)."""
    chantier.referentiel = charger_referentiel()
    if not chantier.referentiel:
        chantier.problemes.append(Probleme("package.json", 1, "", ABSENT, AVERTISSEMENT))


def valider_les_entrees(chantier: Chantier) -> None:
    """Every local entry and network checked, before the merge."""
    contexte = Contexte(aujourd_hui=chantier.jour, referentiel=chantier.referentiel)
    appliquer = chantier.calculs.appliquer
    chantier.problemes += valider_annuaire(chantier.lieux, chantier.reseaux, contexte, appliquer)


def charger_les_besoins(chantier: Chantier) -> None:
    """The everyday words of the needs (domain/besoins.yaml)."""
    chantier.besoins, problemes = charger_besoins(racine=chantier.racine)
    chantier.problemes += problemes


def lire_les_snapshots(chantier: Chantier) -> None:
    """The federated places of content/sources (their problems are warnings)."""
    sources = chantier.contenu / "sources"
    chantier.federes, problemes = lire_snapshots(sources, chantier.racine, chantier.jour, chantier.options)
    chantier.problemes += problemes


def mettre_en_forme(chantier: Chantier) -> None:
    """Every place in French case with its official commune, as published; the files keep what
    their authors wrote (validation's warnings propose the fix), so duplicates are found on the
    official communes."""
    appliquer, ref = chantier.calculs.appliquer, chantier.referentiel
    chantier.lieux = appliquer(lieu_en_forme, chantier.lieux, ref)
    chantier.federes = {nom: appliquer(lieu_en_forme, rangs, ref) for nom, rangs in chantier.federes.items()}


def verifier_les_decisions(chantier: Chantier) -> Decisions:
    """The reviewed decisions of content/doublons.yaml, with the ids they name that no place has
    and the entries they separate that are still one file."""
    decisions, problemes = charger_decisions(chantier.contenu, chantier.racine)
    chantier.problemes += problemes + decisions.inconnus(
        identifiants_connus(chantier.lieux, chantier.federes)
    )
    chantier.problemes += decisions.encore_reunis(
        (lieu.chemin, identifiants(lieu)) for lieu in chantier.lieux
    )
    return decisions


def fusionner_les_doublons(chantier: Chantier, decisions: Decisions) -> None:
    """Local entries and federated places merged into one record per place (local ones win)."""
    chantier.lieux, chantier.fusion = fusionner(
        chantier.lieux, chantier.federes, chantier.calculs.appliquer, decisions
    )


def faire_l_agenda(chantier: Chantier) -> None:
    """The workshops of content/ateliers and of the places' feed snapshots, from the build's day
    (after the merge: a workshop names a published place)."""
    contenu, racine, appliquer = chantier.contenu, chantier.racine, chantier.calculs.appliquer
    chantier.agenda, problemes = agenda_du_contenu(contenu, racine, chantier.lieux, chantier.jour, appliquer)
    chantier.problemes += problemes


def assembler(chantier: Chantier) -> Annuaire:
    """The directory: places and networks by slug, each problem once, in order."""
    lieux = sorted(chantier.lieux, key=lambda lieu: lieu.slug)
    reseaux = sorted(chantier.reseaux, key=lambda reseau: reseau.slug)
    problemes = sorted(set(chantier.problemes), key=Probleme.ordre)
    return Annuaire(
        lieux,
        reseaux,
        problemes,
        chantier.fusion,
        besoins=chantier.besoins,
        referentiel=chantier.referentiel,
        agenda=chantier.agenda,
    )
