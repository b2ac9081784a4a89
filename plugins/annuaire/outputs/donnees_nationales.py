"""The open-data files in other standards than the national one, written beside it.

`ecrire` is the one hook exports.py calls: it reads back the national JSON it has just written (the
cleaned records, so every standard says the same thing) and writes data·inclusion v1
(data_inclusion.py) and Open Referral HSDS 3.0 (hsds.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from annuaire.outputs import data_inclusion, hsds


def records_nationaux(texte_json: str) -> list[dict]:
    """The records of our national JSON text (a JSON array of objects)."""
    return [r for r in json.loads(texte_json) if isinstance(r, dict) and r.get("id")]


def lire_memo(chemin: Path | None) -> dict:
    """The weekly hours kept by the last build ({} when absent, unreadable or of another version)."""
    try:
        donnees = json.loads(chemin.read_text(encoding="utf-8")) if chemin else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(donnees, dict) or donnees.get("version") != hsds.VERSION_PLAGES:
        return {}
    return hsds.memo_depuis_json(donnees.get("plages"))


def ecrire_memo(chemin: Path | None, memo: dict) -> None:
    """Keep the weekly hours of each text for the next build (evaluating them is the slow part)."""
    if chemin is None:
        return
    texte = json.dumps(
        {"version": hsds.VERSION_PLAGES, "plages": hsds.memo_en_json(memo)}, ensure_ascii=False
    )
    temporaire = chemin.with_name(f".{chemin.name}.tmp")
    temporaire.parent.mkdir(parents=True, exist_ok=True)
    temporaire.write_text(texte, encoding="utf-8")
    temporaire.replace(chemin)


def ecrire(
    dossier: Path, texte_json: str, liens: dict[str, str], territoire: str = "", memo: Path | None = None
) -> list[str]:
    """Write the data·inclusion and HSDS files under `dossier`; their paths relative to it.

    `liens`: each exported id -> the absolute URL of its page on the site; `memo`: a file where the
    weekly hours of each `horaires` text are kept from one build to the next."""
    records = records_nationaux(texte_json)
    source = data_inclusion.nom_source(territoire)
    plages = lire_memo(memo)
    noms = data_inclusion.ecrire(dossier, records, source, liens) + hsds.ecrire(
        dossier, records, liens, plages
    )
    presents = {r.get("horaires") for r in records}
    ecrire_memo(memo, {texte: g for texte, g in plages.items() if texte in presents})  # texts still in use
    return noms
