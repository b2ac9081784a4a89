"""All a place sheet needs from its hours (see theme/templates/partials/horaires.html)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from annuaire.domain.horaires.analyse import Semaine
from annuaire.domain.horaires.ouverture import donnees_badge
from annuaire.domain.horaires.semaine import semaine


@dataclass(frozen=True)
class VueHoraires:
    """What the `horaires` macro of the theme renders for one place.

    `texte` is the raw OpenStreetMap value, `semaine` its `Semaine`, and `badge` the JSON-ready
    `donnees_badge` dict the browser turns into "Ouvert · ferme à 18 h".
    """

    texte: str
    semaine: Semaine
    badge: dict[str, Any] = field(compare=False)


# --- For the theme -------------------------------------------------------------------------------


def vue_horaires(texte: str, debut: date) -> VueHoraires | None:
    """All the `horaires` macro of the theme needs for one place, or None without hours.

    `debut` is the first day of the badge window: the build date (or the day before, to allow for
    visitors whose clock is behind).
    """
    if not isinstance(texte, str) or not texte.strip():
        return None
    texte = texte.strip()
    return VueHoraires(texte, semaine(texte, debut), donnees_badge(texte, debut))
