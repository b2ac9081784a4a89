"""The small map of a list page (a commune, a network), summed up once per group.

Plain Python (no Pelican). theme/templates/partials/mini_carte.html used to go through the whole
group on every page of its paginated list (pages × places); `Groupe.carte` now calls
`resume_carte` once per group, and the partial prints the same text from the summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from annuaire.domain.model import Lieu


@dataclass(frozen=True)
class ResumeCarte:
    """What a small map shows: how many places, their centre and bounds, their points, and the
    names of their communes (each spelling once, in order, for the link to the map page)."""

    nombre: int
    centre: str
    limites: str
    points: str
    communes: tuple[str, ...]


def sur_la_carte(lieu: Lieu) -> bool:
    """A place the small maps show: located and not closed for good."""
    return lieu.a_coordonnees and lieu.statut != "ferme_definitivement"


def resume_carte(lieux: list[Lieu]) -> ResumeCarte | None:
    """The summary of a group's small map; None when no place of it can be shown."""
    points = [lieu for lieu in lieux if sur_la_carte(lieu)]
    if not points:
        return None
    lats, lons = [p.latitude for p in points], [p.longitude for p in points]
    return ResumeCarte(
        nombre=len(points),
        centre="%.5f,%.5f" % (sum(lats) / len(lats), sum(lons) / len(lons)),  # noqa: UP031 - as Jinja's format
        limites="%.5f,%.5f,%.5f,%.5f" % (min(lats), min(lons), max(lats), max(lons)),  # noqa: UP031
        points=";".join("%.5f,%.5f" % (p.latitude, p.longitude) for p in points),  # noqa: UP031
        communes=tuple(dict.fromkeys(lieu.commune for lieu in lieux)),
    )
