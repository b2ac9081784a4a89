"""Read the commune referential from the npm package `@etalab/decoupage-administratif`.

`make install` puts the package in node_modules/ (pinned in package.json, lock file committed, like
Leaflet); the build already needs node_modules, so a newcomer's `make html` finds it there. Only
communes.json and departements.json are read: about 0.2 s, once per command. A missing package
gives an empty referential (nothing is normalised) and the commands say how to install it.
"""

from __future__ import annotations

import json
from pathlib import Path

from annuaire.domain.communes import Commune, Referentiel

PAQUET = "@etalab/decoupage-administratif"
# plugins/annuaire/loading/referentiel.py -> the project's folder, where package.json lives
NODE_MODULES = Path(__file__).resolve().parents[3] / "node_modules"
ABSENT = (
    f"référentiel des communes ({PAQUET}) absent de node_modules : communes non vérifiées. "
    "Lancez « make install » (ou « npm ci ») à la racine du projet."
)


def _communes(lignes: list[dict]) -> dict[str, Commune]:
    """Current communes and arrondissements by code, then former codes pointing to their commune."""
    communes: dict[str, Commune] = {}
    # the most populated first: a postcode's main commune leads its list (Referentiel.par_code_postal)
    lignes = sorted(lignes, key=lambda ligne: -(ligne.get("population") or 0))
    for ligne in lignes:
        if ligne.get("type") in ("commune-actuelle", "arrondissement-municipal"):
            communes[ligne["code"]] = Commune(
                ligne["code"],
                ligne["nom"],
                ligne["departement"],
                tuple(ligne.get("codesPostaux", ())),
                ligne.get("commune", ""),
                ligne.get("population") or 0,
            )
    for ligne in lignes:
        actuelle = ligne.get("chefLieu") if ligne.get("type") != "commune-actuelle" else ligne["code"]
        anciens = [*ligne.get("anciensCodes", ()), ligne["code"]]
        for ancien in anciens:
            if actuelle not in communes:
                continue
            if ancien not in communes:
                communes[ancien] = Commune(ancien, ligne["nom"], ligne["departement"], (), actuelle)
            elif ligne["type"] != "commune-actuelle":
                # a former commune whose code is now the new commune's ("Aunay-sur-Odon", in Les
                # Monts d'Aunay): kept under a key no INSEE code has, to be found by its name
                cle = f"{ancien}/{ligne['nom']}"
                communes[cle] = Commune(cle, ligne["nom"], ligne["departement"], (), actuelle)
    return communes


def charger_referentiel(node_modules: Path = NODE_MODULES) -> Referentiel:
    """The referential from node_modules (an empty one when the package is not installed)."""
    dossier = node_modules / PAQUET / "data"
    try:
        lignes = json.loads((dossier / "communes.json").read_text(encoding="utf-8"))
        departements = json.loads((dossier / "departements.json").read_text(encoding="utf-8"))
        version = json.loads((dossier.parent / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return Referentiel()
    noms = {d["code"]: d["nom"] for d in departements}
    return Referentiel(f"{PAQUET}@{version}", _communes(lignes), noms)
