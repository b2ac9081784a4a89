"""Communes and French case on the real files: python bench/communes.py [FILE…] (default: cnfs.json
and data-inclusion.json of ../shared/data). Prints one Markdown row per file for the README.
Times are the process's CPU time (the shared machine's load makes wall-clock times meaningless)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE / "plugins"))

from annuaire.domain.communes import Referentiel  # noqa: E402
from annuaire.federation import importer  # noqa: E402
from annuaire.federation.importer import importer_fichier  # noqa: E402
from annuaire.loading.referentiel import charger_referentiel  # noqa: E402

DEFAUT = [RACINE.parent / "shared" / "data" / nom for nom in ("cnfs.json", "data-inclusion.json")]


def mesurer(chemin: Path) -> str:
    """Import the file; one Markdown row: counts of the commune step and times."""
    debut = time.process_time()
    lieux, rapport = importer_fichier(chemin)
    duree = time.process_time() - debut
    importer.charger_referentiel = Referentiel  # the same import without the commune step
    debut = time.process_time()
    importer_fichier(chemin)
    etape = duree - (time.process_time() - debut)
    importer.charger_referentiel = charger_referentiel
    c = rapport.communes
    return (
        f"| {chemin.name} | {rapport.lus} | {c['normalisée']} | {c['code INSEE complété']} | "
        f"{c['non trouvée']} | {c['incohérente']} | {len(rapport.loin_de_la_commune)} | "
        f"{duree:.1f} s | {etape:.1f} s |"
    )


def main() -> None:
    """The table's header and one row per file."""
    debut = time.process_time()
    charger_referentiel()
    charge = os.getloadavg()[0]
    print(f"référentiel lu en {time.process_time() - debut:.2f} s ; charge de la machine : {charge:.1f}")
    print(
        "| fichier | lus | noms de commune corrigés | codes INSEE complétés | non trouvées | "
        "code postal/INSEE incohérents | coordonnées loin de la commune | import | dont communes et casse |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for chemin in [Path(a) for a in sys.argv[1:]] or DEFAUT:
        print(mesurer(chemin), flush=True)


if __name__ == "__main__":
    main()
