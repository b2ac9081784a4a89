"""The open-data files in other standards than the national one, written beside it.

`ecrire` is the one hook exports.py calls: from the records of the national JSON it has just made
(the cleaned records, so every standard says the same thing), it writes data·inclusion v1
(data_inclusion.py) and Open Referral HSDS 3.0 (hsds.py). Each record's lines are worked out on
their own through `appliquer` (domain/calcul.py), like the national CSV's rows: the build keeps them
between builds, so a rebuild after one entry changed works out that entry's lines only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from annuaire.domain.calcul import Appliquer, appliquer_simple
from annuaire.outputs import data_inclusion, hsds


class LignesRecord(NamedTuple):
    """One national record's lines: data·inclusion (structure or "", services) and HSDS."""

    data_inclusion: tuple[str, tuple[str, ...]]
    hsds: hsds.Lignes


def lignes_record(element: tuple[str, str | None], source: str) -> LignesRecord:
    """The lines of one record, from (its national JSON text, its page's absolute URL)."""
    texte, lien = element
    record = json.loads(texte)
    return LignesRecord(data_inclusion.lignes_record(record, source, lien), hsds.lignes_record(record, lien))


def tables_hsds(lignes: list[hsds.Lignes], horaires: list[tuple[str, ...]]) -> dict[str, list[str]]:
    """The four HSDS tables' lines, record after record."""
    return {
        "organizations.json": [x.organisation for x in lignes],
        "locations.json": [x.lieu for x in lignes],
        "services.json": [s for x in lignes for s in x.services],
        "schedules.json": [h for siens in horaires for h in siens],
    }


def ecrire(
    dossier: Path,
    records: list[tuple[str, str | None]],
    territoire: str = "",
    appliquer: Appliquer = appliquer_simple,
) -> list[str]:
    """Write the data·inclusion and HSDS files under `dossier`; their paths relative to it.

    `records`: each exported record as (its national JSON text, the absolute URL of its page). The
    weekly ranges of an hours text are worked out once per text (the slow part: 0.4 ms each)."""
    par_record = appliquer(lignes_record, records, data_inclusion.nom_source(territoire))
    lignes = [x.hsds for x in par_record]
    textes = sorted({x.horaires for x in lignes} - {""})
    plages = dict(zip(textes, appliquer(hsds.plages_hebdomadaires, textes), strict=True))
    horaires = appliquer(hsds.lignes_horaires, [(x.id, x.horaires, plages.get(x.horaires)) for x in lignes])
    structures = [x.data_inclusion[0] for x in par_record if x.data_inclusion[0]]
    services = [s for x in par_record for s in x.data_inclusion[1]]
    return data_inclusion.ecrire(dossier, structures, services) + hsds.ecrire(
        dossier, tables_hsds(lignes, horaires)
    )
