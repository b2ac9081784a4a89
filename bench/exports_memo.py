"""The open-data step alone (every export, data·inclusion and HSDS included), through the build's memo:
cold, with nothing changed, then with one place renamed; CPU time (less sensitive to a loaded
machine than wall time) and wall time.

    .venv/bin/python bench/exports_memo.py CONTENT_DIR WORK_DIR

CONTENT_DIR is a directory's content folder (say the one `bench/bench.py --dossier D` leaves in
D/10000/annuaire/content); WORK_DIR is emptied first. The places are digested from their fields
here (the build digests entries from their files' keys), the same before and after a change.
"""

from __future__ import annotations

import dataclasses
import inspect
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from annuaire.build.memo import MemoCalculs  # noqa: E402
from annuaire.directory import construire_annuaire  # noqa: E402
from annuaire.outputs.exports import ecrire_exports  # noqa: E402


def mesurer(lieux: list, travail: Path, sortie: str) -> str:
    """One run of the open-data step with the memo kept in `travail`/cache."""
    cache = travail / "cache"
    parametres = inspect.signature(ecrire_exports).parameters  # older code kept an hours file
    extra = {"memo_horaires": cache / "hsds-horaires.json"} if "memo_horaires" in parametres else {}
    memo = MemoCalculs(cache, en_parallele=False)
    cpu, mur = time.process_time(), time.perf_counter()
    ecrire_exports(lieux, travail / sortie, "https://x.org", "", "Saint-Étienne", memo, **extra)
    memo.enregistrer()
    return f"{time.process_time() - cpu:.2f} s de CPU, {time.perf_counter() - mur:.2f} s"


def main() -> int:
    """Measure and print the three runs."""
    contenu, travail = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(travail, ignore_errors=True)
    lieux = list(construire_annuaire(contenu).lieux)
    print(f"{len(lieux)} lieux")
    print("à froid :", mesurer(lieux, travail, "a"))
    print("rien de changé :", mesurer(lieux, travail, "b"))
    lieux[5] = dataclasses.replace(lieux[5], nom="Autre nom")
    print("une fiche changée :", mesurer(lieux, travail, "c"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
