"""What the benchmarks share: where the real records are, which files, the pinned day, the browser."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
DONNEES = RACINE.parent / "shared" / "data"
# The national-standard files of ../shared/data, most places first.
FICHIERS = (
    "cnfs.json",
    "data-inclusion.json",
    "lieux-de-mediation-numerique.cnfs.json",
    "20230517-hub-du-sud-lieux-de-mediation-numeriques-provence-alpes-cote-d-azur.json",
    "source.json",
    "lieux-de-mediation-numerique.back.json",
    "20230711-charente-lieux-de-mediation-numeriques-nouvelle-aquitaine.json",
    "20231003-bus-france-services-en-charente-lieux-de-mediation-numeriques-nouvelle-aquitaine.json",
)
JOUR = dt.date(2024, 1, 15)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def ecrire_fiches(lieux: list, dossier: Path) -> None:
    """One YAML entry per place in `dossier`, written as the importer writes a new entry
    (importer.texte_fiche), without matching them: a bench needs a directory of a known size, and
    its copies of a place (new ids, moved by up to 1 km) are duplicates that `make import`
    (rapprochement.importer_dans) would merge. A slug taken by another id gets a short hash."""
    from annuaire.federation.importer import texte_fiche  # the caller puts plugins/ on the path

    dossier.mkdir(parents=True, exist_ok=True)
    pris: dict[str, str] = {}
    for lieu in lieux:
        slug = lieu.slug
        if pris.get(slug, lieu.id) != lieu.id:
            slug = f"{slug[:70]}-{hashlib.sha1(lieu.id.encode()).hexdigest()[:8]}"
        pris[slug] = lieu.id
        (dossier / f"{slug}.yaml").write_text(texte_fiche(lieu, []), encoding="utf-8")
