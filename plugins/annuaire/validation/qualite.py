"""Quality report: completeness, freshness, suspicious values and likely duplicates, per entry and network.

Completeness is a weighted share of filled fields (weights in POIDS, documented in the README).
Freshness follows data.inclusion's quality score: 1.0 under 6 months, falling linearly to 0 at 2 years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from annuaire.domain.model import Lieu, Probleme, Reseau

# What makes an entry useful to someone looking for help; the weights add up to 100.
POIDS: dict[str, int] = {
    "adresse": 10,
    "latitude": 10,
    "horaires": 15,
    "services": 15,
    "telephone": 10,
    "courriels": 5,
    "site_web": 5,
    "presentation_resume": 10,
    "frais_a_charge": 5,
    "modalites_acces": 5,
    "modalites_accompagnement": 5,
    "pivot": 5,
}
JOURS_FRAIS = 183  # under 6 months: fully fresh
JOURS_PERIME = 730  # at 2 years: freshness 0
DOMAINES_SUSPECTS = ("example.com", "example.org", "exemple.fr", "localhost", "test.fr")
# The web page lists the worst entries only: at a national scale all of them made a 21 MB page
# (and 3 s of every build); `make rapport` prints the whole list.
LIGNES_SUR_LA_PAGE = 300


def _rempli(lieu: Lieu, champ: str) -> bool:
    """True when the field holds a value (a pivot of all zeros is no value)."""
    valeur = getattr(lieu, champ)
    return bool(valeur.strip("0")) if champ == "pivot" else valeur not in (None, "", [])


def completude(lieu: Lieu) -> int:
    """Weighted share (0–100) of the useful fields that are filled."""
    valeurs = vars(lieu)  # one lookup per field: this runs for every entry of every build
    total = sum(poids for champ, poids in POIDS.items() if champ != "pivot" and valeurs[champ] not in _VIDES)
    return total + (POIDS["pivot"] if _rempli(lieu, "pivot") else 0)


_VIDES = (None, "", [])


def fraicheur(date_maj: dt.date | None, aujourd_hui: dt.date) -> float:
    """data.inclusion's freshness: 1.0 under 6 months, linear down to 0.0 at 2 years."""
    if date_maj is None:
        return 0.0
    age = (aujourd_hui - date_maj).days
    if age <= JOURS_FRAIS:
        return 1.0
    return max(0.0, round(1 - (age - JOURS_FRAIS) / (JOURS_PERIME - JOURS_FRAIS), 3))


def urls_suspectes(lieu: Lieu) -> list[str]:
    """URLs that look dead by their syntax alone (placeholder domains, no dot, http on a bare IP)."""
    suspectes = []
    for url in [*lieu.site_web, lieu.prise_rdv, lieu.fiche_acces_libre]:
        hote = (urlsplit(url).hostname or "") if url else ""
        if url and (
            not hote or "." not in hote or hote.endswith(DOMAINES_SUSPECTS) or hote.replace(".", "").isdigit()
        ):
            suspectes.append(url)
    return suspectes


@dataclass
class LigneRapport:
    """The quality of one entry."""

    lieu: Lieu
    completude: int
    fraicheur: float
    problemes: list[Probleme] = field(default_factory=list)
    urls_suspectes: list[str] = field(default_factory=list)
    doublons: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class RapportQualite:
    """Every entry's quality, and each network's share of fresh entries."""

    lignes: list[LigneRapport]
    reseaux: list[tuple[Reseau, int, int]]  # (network, fresh entries, entries)

    @cached_property
    def a_revoir(self) -> list[LigneRapport]:
        """Entries that are stale, incomplete, suspicious or likely duplicated, worst first."""
        return sorted(
            (
                x
                for x in self.lignes
                if x.fraicheur < 1 or x.completude < 60 or x.problemes or x.urls_suspectes or x.doublons
            ),
            key=lambda x: (x.fraicheur + x.completude / 100, x.lieu.slug),
        )

    @property
    def sur_la_page(self) -> list[LigneRapport]:
        """The worst entries, those the web page lists (LIGNES_SUR_LA_PAGE)."""
        return self.a_revoir[:LIGNES_SUR_LA_PAGE]

    def comptes(self) -> list[tuple[str, int]]:
        """How many entries have each kind of issue, in French: [(kind, entries)]."""
        lignes = self.a_revoir
        return [
            ("plus de 6 mois sans mise à jour", sum(1 for x in lignes if x.fraicheur < 1)),
            ("complétude sous 60 %", sum(1 for x in lignes if x.completude < 60)),
            ("problème signalé par la validation", sum(1 for x in lignes if x.problemes)),
            ("adresse web douteuse", sum(1 for x in lignes if x.urls_suspectes)),
            ("doublon probable", sum(1 for x in lignes if x.doublons)),
        ]

    def resume(self) -> str:
        """One French line for the end of the command."""
        frais = sum(1 for x in self.lignes if x.fraicheur >= 1)
        moyenne = sum(x.completude for x in self.lignes) / max(1, len(self.lignes))
        return (
            f"{len(self.lignes)} fiches : {frais} fraîches (moins de 6 mois), complétude moyenne "
            f"{moyenne:.0f} %, {len(self.a_revoir)} à revoir"
        )


Doublons = dict[str, list[tuple[str, float]]]  # entry id -> [(other id, score)]


def doublons_de(paires) -> Doublons:
    """Index the merge report's pairs (federation.Paire) by each side's id."""
    index: Doublons = {}
    for paire in paires:
        index.setdefault(paire.id_a, []).append((paire.id_b, paire.score))
        index.setdefault(paire.id_b, []).append((paire.id_a, paire.score))
    return index


def rapport_qualite(
    lieux: list[Lieu],
    reseaux: list[Reseau],
    problemes: list[Probleme],
    doublons: Doublons,
    aujourd_hui: dt.date,
) -> RapportQualite:
    """Build the report; `doublons` maps an entry id to its likely duplicates (id, score)."""
    par_chemin: dict[str, list[Probleme]] = {}
    for probleme in problemes:
        par_chemin.setdefault(probleme.chemin, []).append(probleme)
    lignes = [
        LigneRapport(
            lieu,
            completude(lieu),
            fraicheur(lieu.date_maj, aujourd_hui),
            par_chemin.get(lieu.chemin, []),
            urls_suspectes(lieu),
            doublons.get(lieu.id, []),
        )
        for lieu in lieux
    ]
    par_reseau = []
    for reseau in reseaux:
        membres = [x for x in lignes if reseau.slug in x.lieu.reseaux]
        par_reseau.append((reseau, sum(1 for x in membres if x.fraicheur >= 1), len(membres)))
    return RapportQualite(lignes, par_reseau)


def texte_rapport(rapport: RapportQualite) -> str:
    """The report as French text for the terminal."""
    lignes = ["Fiches à revoir (complétude, fraîcheur) :"]
    for ligne in rapport.a_revoir:
        lignes.append(
            f"  {ligne.lieu.chemin or ligne.lieu.id} : {ligne.completude} %, fraîcheur {ligne.fraicheur:.2f}"
        )
        lignes += [f"    - {p.champ or 'fiche'} : {p.message}" for p in ligne.problemes]
        lignes += [f"    - adresse web douteuse : {url}" for url in ligne.urls_suspectes]
        lignes += [
            f"    - doublon probable de {autre} (score {score:.0f})" for autre, score in ligne.doublons
        ]
    lignes.append("Réseaux (fiches de moins de 6 mois) :")
    for reseau, frais, total in rapport.reseaux:
        part = f"{100 * frais / total:.0f} %" if total else "aucune fiche"
        lignes.append(f"  {reseau.nom} : {frais}/{total} ({part})")
    lignes.append(rapport.resume())
    return "\n".join(lignes)
