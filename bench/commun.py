"""What the benchmarks share: where the real records are, which files, the pinned day, the browser."""

from __future__ import annotations

import datetime as dt
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
