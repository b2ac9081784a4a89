"""Where a build's peak memory is: one build run and its process tree sampled every 0.1 s.

    .venv/bin/python bench/memoire.py DOSSIER [--sortie DOSSIER/output]

DOSSIER holds a pelicanconf.py and content/ (bench/bench.py's work folder, e.g. kept with
`--dossier`: D/30000/annuaire). Prints the peak of the sum of the processes' resident memory (the
bench's figure: a forked child counts the pages it shares with its parent), the peak of the sum of
their proportional memory (PSS: shared pages split between their processes), each process at the
peak and the build's last message then (its stage), and the sum over time. Delete DOSSIER/output
and DOSSIER/.cache first for a cold build.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import PAGE, _enfants, info

GO = 1024**3


def _arbre(pid: int) -> list[int]:
    """A process and all its descendants."""
    enfants, pile, tous = _enfants(), [pid], []
    while pile:
        courant = pile.pop()
        tous.append(courant)
        pile += enfants.get(courant, [])
    return tous


def _processus(pid: int, pss: bool) -> dict | None:
    """One process's resident bytes, PSS bytes (when asked: reading it costs more) and command."""
    try:
        mesure = {"rss": int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE}
        if pss:
            for ligne in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if ligne.startswith("Pss:"):
                    mesure["pss"] = int(ligne.split()[1]) * 1024
        mesure["commande"] = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()[-40:]
        return mesure
    except (OSError, IndexError):  # a process that just ended
        return None


def mesurer(commande: list[str]) -> dict:
    """Run `commande`; its peaks, the processes at the RSS peak and the samples (s, processes, bytes)."""
    debut, messages = time.monotonic(), []
    processus = subprocess.Popen(commande, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    threading.Thread(target=lambda: messages.extend(processus.stdout), daemon=True).start()
    pic, pic_pss, au_pic, courbe, tour = 0, 0, ({}, ""), [], 0
    while processus.poll() is None:
        tour += 1
        mesures = {p: m for p in _arbre(processus.pid) if (m := _processus(p, tour % 5 == 0))}
        total = sum(m["rss"] for m in mesures.values())
        pic_pss = max(pic_pss, sum(m.get("pss", 0) for m in mesures.values()))
        courbe.append((time.monotonic() - debut, len(mesures), total))
        if total > pic:
            pic, au_pic = total, (mesures, messages[-1].strip() if messages else "")
        time.sleep(0.1)
    return {"pic": pic, "pic_pss": pic_pss, "au_pic": au_pic, "courbe": courbe, "code": processus.returncode}


def main() -> int:
    """Build DOSSIER once, print where its memory peaked."""
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument("dossier", type=Path)
    parametres.add_argument("--sortie", type=Path, default=None)
    args = parametres.parse_args()
    sortie = args.sortie or args.dossier / "output"
    reglages = args.dossier / "pelicanconf.py"
    commande = [
        sys.executable,
        "-m",
        "annuaire",
        "build",
        "--settings",
        str(reglages),
        "--sortie",
        str(sortie),
    ]
    resultat = mesurer(commande)
    mesures, message = resultat["au_pic"]
    pics = f"{resultat['pic'] / GO:.2f} Go (RSS), {resultat['pic_pss'] / GO:.2f} Go (PSS)"
    print(f"pic : {pics}, code {resultat['code']}")
    print(f"au pic, après « {message} » :")
    for pid, mesure in sorted(mesures.items()):
        print(f"  {pid} {mesure['commande']} : {mesure['rss'] / 2**20:.0f} Mo")
    dernier = -5.0
    for secondes, nombre, total in resultat["courbe"]:
        if secondes - dernier >= 5:
            info(f"  {secondes:6.1f} s  {nombre} processus  {total / 2**20:.0f} Mo")
            dernier = secondes
    return 0 if resultat["code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
