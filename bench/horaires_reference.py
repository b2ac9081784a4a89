"""Our opening hours against the reference implementation of the syntax (opening_hours, npm).

Usage: python bench/horaires_reference.py [--limite N] [derived_horaires_osm_values.tsv]

For every distinct real value (../shared/data/derived_horaires_osm_values.tsv) and a generated set
(public holidays, week numbers, month ranges, midnight crossing, nth weekdays…): the same verdict
(accepted or refused) from our checker (`annuaire.horaires.verifier`, opening-hours-py) and from the
reference; for values both accept, the same state (open, closed, unknown) at a few hundred instants
of 2026 in Paris time, ours from the badge data the site shows (`donnees_badge`). The reference runs
in one node process for the whole batch (tests/horaires_reference.cjs).

Prints the figures and every difference, grouped; exits 0 (figures are the point), 2 when the
file or node can't be used. tests/test_horaires_reference.py runs the same comparison on a subset.
"""

from __future__ import annotations

import bisect
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE / "plugins"))

from annuaire.domain import horaires  # noqa: E402

FICHIER = RACINE.parent / "shared" / "data" / "derived_horaires_osm_values.tsv"
SCRIPT = RACINE / "tests" / "horaires_reference.cjs"
DEBUT = date(2025, 12, 29)  # a Monday; the window covers 2026 and early 2027
JOURS = 400
# Days worth testing in 2026: every French public holiday and the day after it, plain weekdays of
# several months (month ranges), both week parities (week numbers), weekends, DST changes.
JOURS_TESTES = (
    date(2026, 1, 1),
    date(2026, 1, 2),
    date(2026, 1, 5),
    date(2026, 1, 13),
    date(2026, 2, 7),
    date(2026, 2, 16),
    date(2026, 3, 10),
    date(2026, 3, 29),
    date(2026, 3, 30),
    date(2026, 4, 3),
    date(2026, 4, 5),
    date(2026, 4, 6),
    date(2026, 4, 7),
    date(2026, 5, 1),
    date(2026, 5, 8),
    date(2026, 5, 14),
    date(2026, 5, 15),
    date(2026, 5, 25),
    date(2026, 6, 3),
    date(2026, 6, 10),
    date(2026, 7, 4),
    date(2026, 7, 13),
    date(2026, 7, 14),
    date(2026, 8, 14),
    date(2026, 8, 15),
    date(2026, 8, 17),
    date(2026, 9, 1),
    date(2026, 9, 26),
    date(2026, 10, 25),
    date(2026, 10, 26),
    date(2026, 11, 1),
    date(2026, 11, 2),
    date(2026, 11, 11),
    date(2026, 12, 5),
    date(2026, 12, 24),
    date(2026, 12, 25),
    date(2026, 12, 26),
    date(2026, 12, 31),
    date(2027, 1, 4),
)
HEURES = (
    (0, 30),
    (2, 0),
    (7, 59),
    (8, 0),
    (9, 0),
    (10, 15),
    (12, 0),
    (12, 30),
    (13, 45),
    (14, 0),
    (16, 59),
    (17, 30),
    (18, 0),
    (19, 0),
    (21, 30),
    (23, 59),
)


def instants() -> list[datetime]:
    """The instants compared: 16 times on each day of JOURS_TESTES (Paris time): 624 instants."""
    return [
        datetime(j.year, j.month, j.day, h, m, tzinfo=horaires.PARIS) for j in JOURS_TESTES for h, m in HEURES
    ]


def valeurs_generees() -> list[str]:
    """Values built to exercise what real ones rarely do: holidays, weeks, months, overnight…"""
    jours = ("Mo-Fr", "Mo,We,Fr", "Sa", "Tu-Sa", "Mo-Su")
    plages = ("09:00-12:00,14:00-18:00", "08:30-17:30", "22:00-02:00", "00:00-24:00", "10:00-12:00")
    modificateurs = (
        "",
        "; PH off",
        "; PH 10:00-12:00",
        "; Dec 24-Jan 01 off",
        "; Aug off",
        "; We off",
        "; week 2-53/2 Sa 09:00-12:00",
        "; Jan-Mar Sa off",
        "; Mo[1] off",
        "; easter off",
        '; Sa "sur rendez-vous"',
        "; SH off",
        "; Jul 14 off",
        "; 2026 May 08 10:00-11:00",
    )
    valeurs = [f"{j} {p}{m}" for j in jours for p in plages for m in modificateurs]
    valeurs += [
        "24/7",
        "24/7; PH off",
        "Mo-Fr 09:00-12:00 || Sa 10:00-12:00",
        "Mo-Fr sunrise-sunset",
        "Tu[2,4] 14:00-17:00",
        "Th[-1] 09:00-12:00",
        "week 01-26 Mo 09:00-12:00",
        "Apr-Sep Mo-Fr 08:00-19:00; Oct-Mar Mo-Fr 09:00-17:00",
        "Mo-Fr 09:00+",
        "off",
        'Mo-Fr 09:00-12:00 open "accueil"; PH unknown',
        "Mo 10:00-12:00; Mo 14:00-16:00",
        "Mo-Fr 09:00-12:00, 14:00-17:00",
        "Mo-Fr 9:00-12:00",
        "Mo-Fr 09:00-12:00;",
        "Fr 18:00-26:00",
        "Mo-Fr 09:00-12:00; PH,Su off",
        "Mo-Sa 09:00-19:00; Sa 09:00-12:00",
    ]
    return list(dict.fromkeys(valeurs))


def lire_reelles(chemin: Path = FICHIER) -> list[tuple[int, str]]:
    """(count, value) rows of the real values file (tab-separated, quoted, with a header)."""
    with chemin.open(encoding="utf-8", newline="") as flux:
        return [(int(ligne["count"]), ligne["horaires"]) for ligne in csv.DictReader(flux, delimiter="\t")]


def _minute(instant: datetime) -> int:
    return int(instant.timestamp()) // 60


def _dans(plages: list[tuple[int, int]], debuts: list[int], minute: int) -> bool:
    i = bisect.bisect_right(debuts, minute) - 1
    return i >= 0 and plages[i][0] <= minute < plages[i][1]


def etats_python(texte: str, moments: list[datetime]) -> str | None:
    """Our state at each instant ("o", "c", "u"), from the badge data the site embeds; None when
    our badge does not evaluate the value (school holidays, sun times, fallback rules)."""
    badge = horaires.donnees_badge(texte, DEBUT, JOURS)
    if "debut" not in badge:
        return None
    ouvertes, inconnues = horaires.plages_ouvertes(badge), horaires.plages_inconnues(badge)
    d_ouvertes, d_inconnues = [a for a, _ in ouvertes], [a for a, _ in inconnues]
    etats = []
    for instant in moments:
        minute = _minute(instant)
        etats.append(
            "u"
            if _dans(inconnues, d_inconnues, minute)
            else "o"
            if _dans(ouvertes, d_ouvertes, minute)
            else "c"
        )
    return "".join(etats)


# The differences left, each with its reason (the README lists them): (key, French reason).
RAISONS = {
    "fin_ouverte": "fin ouverte (« 09:00+ ») : ouvert pour nous, « inconnu » pour la référence",
    "heure_repetee": "heure répétée au passage à l'heure d'hiver : une plage qui finit à 2 h finit pour nous "
    "au second 2 h, pour la référence au premier",
    "heure_fantome": "la référence ouvre une heure fantôme le lundi 0 h–1 h après le passage à l'heure d'été "
    "quand une règle porte sur les numéros de semaine (défaut de la référence)",
}


def raison_connue(texte: str, moment: datetime, nous: str, eux: str) -> str:
    """The key of RAISONS explaining a difference of state, "" for an unexplained one."""
    if (nous, eux) == ("o", "u") and re.search(r"\d\+", texte):
        return "fin_ouverte"
    if moment.replace(fold=1).utcoffset() != moment.utcoffset():  # the hour that happens twice
        return "heure_repetee"
    dimanche = moment.date() - timedelta(days=1)
    if (nous, eux) == ("c", "o") and "week" in texte and moment.hour == 0 and _passage_ete(dimanche):
        return "heure_fantome"
    return ""


def _passage_ete(jour: date) -> bool:
    """True for the day clocks go forward in Paris."""
    avant = datetime(jour.year, jour.month, jour.day, tzinfo=horaires.PARIS)
    return (avant + timedelta(days=1)).utcoffset() != avant.utcoffset() and avant.month == 3


class ReferenceIndisponible(Exception):
    """node or the opening_hours package is missing (French message)."""


def etats_reference(valeurs: list[str], moments: list[datetime]) -> list[dict]:
    """The reference's verdict and states for every value, in one node process."""
    node = shutil.which("node")
    if node is None or not (RACINE / "node_modules" / "opening_hours").is_dir():
        raise ReferenceIndisponible("node ou opening_hours (npm) absent : lancez « make install »")
    debut = datetime(DEBUT.year, DEBUT.month, DEBUT.day, tzinfo=horaires.PARIS)
    entree = {
        "valeurs": valeurs,
        "instants": [int(m.timestamp() * 1000) for m in moments],
        "debut": int(debut.timestamp() * 1000),
        "fin": int((debut + timedelta(days=JOURS)).timestamp() * 1000),
    }
    sortie = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(entree),
        capture_output=True,
        text=True,
        cwd=RACINE,
        env={**os.environ, "TZ": "Europe/Paris"},
        timeout=600,
        check=False,
    )
    if sortie.returncode != 0:
        raise ReferenceIndisponible(f"opening_hours a échoué : {sortie.stderr[-500:]}")
    return json.loads(sortie.stdout)


@dataclass
class Comparaison:
    """Verdicts and states of both sides over a set of values."""

    valeurs: int = 0
    memes_verdicts: int = 0
    acceptees_ici_refusees_la: list[str] = field(default_factory=list)
    refusees_ici_acceptees_la: list[str] = field(default_factory=list)
    non_evaluees_ici: list[str] = field(default_factory=list)
    instants: int = 0
    instants_accord: int = 0
    desaccords: dict[str, list[tuple[datetime, str, str]]] = field(
        default_factory=dict
    )  # (instant, ours, theirs)

    @property
    def taux(self) -> float:
        """Share of compared instants where both sides give the same state."""
        return self.instants_accord / self.instants if self.instants else 1.0


def _comparer_etats(
    comparaison: Comparaison, texte: str, nous: str, eux: str, moments: list[datetime]
) -> None:
    comparaison.instants += len(nous)
    accords = sum(a == b for a, b in zip(nous, eux, strict=True))
    comparaison.instants_accord += accords
    if accords < len(nous):
        comparaison.desaccords[texte] = [
            (m, a, b) for m, a, b in zip(moments, nous, eux, strict=True) if a != b
        ]


def comparer(valeurs: list[str], moments: list[datetime] | None = None) -> Comparaison:
    """Compare both sides on `valeurs` at `moments` (default: `instants()`)."""
    moments = moments or instants()
    comparaison = Comparaison(valeurs=len(valeurs))
    for texte, eux in zip(valeurs, etats_reference(valeurs, moments), strict=True):
        accepte = horaires.verifier(texte).valide
        comparaison.memes_verdicts += accepte == eux["accepte"]
        if accepte and not eux["accepte"]:
            comparaison.acceptees_ici_refusees_la.append(texte)
        elif eux["accepte"] and not accepte:
            comparaison.refusees_ici_acceptees_la.append(texte)
        if not (accepte and eux["accepte"]):
            continue
        nous = etats_python(texte, moments)
        if nous is None:
            comparaison.non_evaluees_ici.append(texte)
        else:
            _comparer_etats(comparaison, texte, nous, eux["etats"], moments)
    return comparaison


def _afficher(titre: str, comparaison: Comparaison) -> None:
    print(f"## {titre}")
    print(f"valeurs : {comparaison.valeurs}, même verdict : {comparaison.memes_verdicts}")
    print(f"acceptées ici, refusées par la référence : {len(comparaison.acceptees_ici_refusees_la)}")
    for texte in comparaison.acceptees_ici_refusees_la:
        print(f"  {texte!r}")
    print(f"refusées ici, acceptées par la référence : {len(comparaison.refusees_ici_acceptees_la)}")
    corrigees = Counter(bool(horaires.verifier(t).suggestion) for t in comparaison.refusees_ici_acceptees_la)
    print(f"  dont avec une correction proposée : {corrigees[True]}")
    for texte in comparaison.refusees_ici_acceptees_la:
        print(f"  {texte!r} -> {horaires.verifier(texte).suggestion!r}")
    print(f"acceptées des deux côtés mais sans badge ici : {len(comparaison.non_evaluees_ici)}")
    print(
        f"instants comparés : {comparaison.instants}, accord : {comparaison.instants_accord} "
        f"({100 * comparaison.taux:.2f} %), valeurs en désaccord : {len(comparaison.desaccords)}"
    )
    raisons = Counter(
        raison_connue(texte, m, a, b) for texte, d in comparaison.desaccords.items() for m, a, b in d
    )
    for cle, nombre in sorted(raisons.items()):
        print(f"  {nombre} instants : {RAISONS.get(cle, 'INEXPLIQUÉ')}")
    for texte, details in comparaison.desaccords.items():
        exemples = [f"{m:%Y-%m-%d %H:%M} {a}/{b}" for m, a, b in details[:3]]
        print(f"  {texte!r} : {len(details)} instants, ex. {exemples}")


def main(arguments: list[str]) -> int:
    """Entry point; returns the exit status."""
    limite = int(arguments[arguments.index("--limite") + 1]) if "--limite" in arguments else None
    fichiers = [a for a in arguments if not a.startswith("--") and not a.isdigit()]
    try:
        reelles = [texte for _n, texte in lire_reelles(Path(fichiers[0]) if fichiers else FICHIER)][:limite]
        depart = time.perf_counter()
        resultats = [
            ("valeurs réelles", comparer(reelles)),
            ("valeurs générées", comparer(valeurs_generees())),
        ]
    except (OSError, KeyError, ValueError, ReferenceIndisponible) as erreur:
        print(f"Comparaison impossible : {erreur}", file=sys.stderr)
        return 2
    for titre, comparaison in resultats:
        _afficher(titre, comparaison)
    print(f"{len(instants())} instants par valeur, {time.perf_counter() - depart:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
