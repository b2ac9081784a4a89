"""Opening hours in the OpenStreetMap `opening_hours` syntax: check, suggest, render, evaluate.

The syntax is parsed by `opening-hours-py` (a maintained parser); this module only adds French
messages and rendering on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import opening_hours


@dataclass(frozen=True)
class Verdict:
    """Result of checking one `horaires` value."""

    valide: bool
    message: str = ""
    suggestion: str = ""


def verifier(texte: str) -> Verdict:
    """Check an `horaires` value; never raises, whatever the input."""
    try:
        if opening_hours.validate(texte):
            return Verdict(True)
    except Exception:  # noqa: BLE001 - a parser failure on odd input is just "invalid"
        pass
    return Verdict(False, f"« {texte} » n'est pas au format OpenStreetMap (ex. Mo-Fr 09:00-12:00)")
