"""Places' feed snapshots and the build's memo: the time of construire_annuaire's first and second
run (memo warm) with N places, each with a 20-workshop iCalendar snapshot (README, « L'agenda publié »).

    .venv/bin/python bench/agenda_instantanes.py [N]   (default 300)
"""

import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from annuaire.build.entrees import EntreesEnCache
from annuaire.build.memo import EmpreintesLieux, MemoCalculs
from annuaire.directory import Calculs, construire_annuaire
from annuaire.federation.agendas import normaliser

N = int(sys.argv[1]) if __name__ == "__main__" and len(sys.argv) > 1 else 300
JOUR = dt.date(2026, 12, 6)
RACINE = Path.cwd()


def flux(i: int) -> bytes:
    corps = "".join(
        f"BEGIN:VEVENT\nUID:atelier-{k}@lieu-{i}\nSUMMARY:Atelier {k} du lieu {i}\n"
        f"DTSTART;TZID=Europe/Paris:202612{1 + k % 5:02d}T{9 + k % 8:02d}0000\n"
        f"DTEND;TZID=Europe/Paris:202612{1 + k % 5:02d}T{10 + k % 8:02d}0000\n"
        f"RRULE:FREQ=WEEKLY;BYDAY={['MO', 'TU', 'WE', 'TH', 'FR'][k % 5]}\n"
        f"DESCRIPTION:<p>Apportez votre <b>ordinateur</b>, atelier {k}.</p>\nURL:https://lieu-{i}.fr/a/{k}\n"
        "DTSTAMP:20261001T000000Z\nEND:VEVENT\n"
        for k in range(20)
    )
    texte = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//b//b//FR\n{corps}END:VCALENDAR\n"
    return texte.replace("\n", "\r\n").encode()


def main():
    tmp = Path(tempfile.mkdtemp())
    contenu = tmp / "content"
    for dossier in ("lieux", "reseaux", "ateliers"):
        shutil.copytree(RACINE / "content" / dossier, contenu / dossier)
    modele = (RACINE / "content" / "lieux" / "arlequin.yaml").read_text(encoding="utf-8")
    agendas = contenu / "sources" / "agendas"
    agendas.mkdir(parents=True)
    for i in range(N):
        slug = f"lieu-bench-{i}"
        texte = modele.replace("id: arlequin", f"id: {slug}").replace("nom: Arlequin", f"nom: Lieu banc {i}")
        texte = texte.replace('pivot: "77639960200023"\n', "") + f"agenda: https://lieu-{i}.fr/agenda.ics\n"
        (contenu / "lieux" / f"{slug}.yaml").write_text(texte, encoding="utf-8")
        if not os.environ.get("SANS_INSTANTANES"):
            (agendas / f"{slug}.ics").write_text(normaliser(flux(i), JOUR)[0], encoding="utf-8")

    def construire():
        empreintes = EmpreintesLieux()
        memo = MemoCalculs(tmp / "cache", empreintes)
        debut = time.perf_counter()
        annuaire = construire_annuaire(
            contenu, tmp, JOUR, Calculs(EntreesEnCache(tmp / "cache", empreintes), memo)
        )
        duree = time.perf_counter() - debut
        memo.enregistrer()
        return annuaire, duree

    premier, d1 = construire()
    second, d2 = construire()
    assert premier.agenda == second.agenda
    print(
        f"{N} places with snapshots: {len(second.agenda.ateliers)} workshops, "
        f"{len(second.agenda.occurrences)} occurrences; first build {d1:.2f} s, "
        f"second build (memo warm) {d2:.2f} s"
    )
    taille = sum(f.stat().st_size for f in (tmp / "cache" / "memo").glob("*agenda_instantane*"))
    print(f"agenda_instantane memo: {taille / 1e6:.1f} MB")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
