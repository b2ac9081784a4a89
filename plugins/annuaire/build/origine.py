"""The defaults of the empty `url_publique` and `depot_url` settings, for a build.

A fork gets correct QR codes and edit links with no configuration (loading/depot.py finds the
GitHub repository of the checkout). The derived addresses go into the settings, so that the
build's and the pages' fingerprints, which hash the settings, follow them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from annuaire.domain.reglages import Origine, Reglages, lire_reglages
from annuaire.loading.depot import origine_du_depot

# Pelican setting: False turns the derivation off (tests pin the local defaults with it).
REGLAGE_AUTO = "ANNUAIRE_ADRESSES_AUTO"
ORIGINE = "ANNUAIRE_ORIGINE"  # the derived addresses, added to the settings by avec_origine


def avec_origine(settings: dict) -> dict:
    """`settings` with ANNUAIRE_ORIGINE, the derived addresses as a plain dict (none when turned off)."""
    if settings.get(REGLAGE_AUTO, True) is False or ORIGINE in settings:
        return settings
    origine = origine_du_depot(Path(settings.get("PATH", ".")))
    return {**settings, ORIGINE: {"depot_url": origine.depot_url, "url_publique": origine.url_publique}}


def reglages_du_site(settings: Mapping) -> Reglages:
    """The ANNUAIRE settings of a build, the empty addresses taken from ANNUAIRE_ORIGINE."""
    return lire_reglages(settings.get("ANNUAIRE"), Origine(**(settings.get(ORIGINE) or {})))
