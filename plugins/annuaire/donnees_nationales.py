"""The open-data files in other standards than the national one, written beside it.

`ecrire` is the one hook exports.py calls: it reads back the national JSON it has just written (the
cleaned records, so every standard says the same thing) and writes data·inclusion v1
(data_inclusion.py) and Open Referral HSDS 3.0 (hsds.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from . import data_inclusion, hsds


def records_nationaux(texte_json: str) -> list[dict]:
    """The records of our national JSON text (a JSON array of objects)."""
    return [r for r in json.loads(texte_json) if isinstance(r, dict) and r.get("id")]


def ecrire(dossier: Path, texte_json: str, liens: dict[str, str], territoire: str = "") -> list[str]:
    """Write the data·inclusion and HSDS files under `dossier`; their paths relative to it.

    `liens`: each exported id -> the absolute URL of its page on the site."""
    records = records_nationaux(texte_json)
    source = data_inclusion.nom_source(territoire)
    return data_inclusion.ecrire(dossier, records, source, liens) + hsds.ecrire(dossier, records, liens)
