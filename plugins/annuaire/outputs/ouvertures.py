""" "Ouvert maintenant" for the search page and the map: which places are open, day by day.

Each sheet's badge carries its own 60 days of precomputed ranges (horaires.donnees_badge). A facet
needs the reverse, the places open at one instant, without downloading every sheet's data. So the
build writes one small file per Paris day of the same window, donnees/ouvertures/AAAA-MM-JJ.json:

    {"jour": "2026-11-23", "debut": E, "groupes": [[[a, b, ...], [n, n, ...]], ...]}

E is the UTC epoch second of that day's midnight in Paris; each group is a list of open ranges
[a, b) in minutes from E (clipped to the day, "unknown" periods removed) and the numbers of the
places open exactly then. Places that share their hours share a group, so a day of 30,000 places
is a few hundred groups. The browser (theme/static/js/ouvertures.js) loads today's file only.

Numbers: a place's index in donnees/carte.geojson's features for the places on the map (the
map's order, carte_tuiles.cle_carte), then
`len(features) + k` for the k-th entry of `hors_carte` in donnees/ouvertures/numeros.json (places
without coordinates). donnees/ouvertures/jours.json lists the days with a file, so that the browser
asks only for a file that exists. The search page maps Pagefind's result ids to these numbers with
donnees/ouvertures/pagefind.json, written after indexing (`correspondance_pagefind`).

Same data, same code as the badges: a place is "open now" here exactly when its badge says
"Ouvert" (tests/test_ouvertures.py checks it). Plain Python: no Pelican.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from annuaire.domain import horaires as horaires_osm
from annuaire.domain import routes
from annuaire.domain.model import Lieu
from annuaire.outputs.carte import en_json, sur_la_carte
from annuaire.outputs.carte_tuiles import cle_carte
from annuaire.outputs.ecriture import ecrire_si_change

DOSSIER = routes.OUVERTURES.rstrip("/")


def lieux_numerotes(lieux: Iterable[Lieu]) -> list[Lieu]:
    """Places in number order: those on the map in carte.geojson's order, then the others."""
    tous = sorted(lieux, key=lambda lieu: (lieu.slug, lieu.id))
    sur_carte = sorted((x for x in tous if sur_la_carte(x)), key=cle_carte)
    return sur_carte + [x for x in tous if not sur_la_carte(x)]


def minuit_paris(jour: dt.date) -> int:
    """UTC epoch second of midnight in Paris starting `jour`."""
    return int(dt.datetime.combine(jour, dt.time(0), horaires_osm.PARIS).timestamp())


Bornes = list[tuple[dt.date, int, int]]  # (day, its first minute, the next day's)


def bornes_jours(jours: list[dt.date]) -> Bornes:
    """(day, its first minute, the next day's first minute), in UTC epoch minutes."""
    minuit = {j: minuit_paris(j) // 60 for d in jours for j in (d, d + dt.timedelta(days=1))}
    return [(jour, minuit[jour], minuit[jour + dt.timedelta(days=1)]) for jour in jours]


def par_jour(plages: list[tuple[int, int]], bornes: Bornes) -> dict[dt.date, tuple[int, ...]]:
    """Ranges cut into Paris days (`bornes_jours`): {day: (a, b, a, b...) in minutes from that
    day's midnight}."""
    resultat = {}
    for jour, debut, fin in bornes:
        morceaux = [(max(a, debut) - debut, min(b, fin) - debut) for a, b in plages if a < fin and b > debut]
        if morceaux:
            resultat[jour] = tuple(m for plage in morceaux for m in plage)
    return resultat


def fichiers_jours(
    lieux: list[Lieu], debut: dt.date, jours: int = horaires_osm.JOURS_BADGE, badge=None
) -> dict[str, dict]:
    """{"AAAA-MM-JJ": day file} for the `jours` days from `debut`, for places numbered as in
    `lieux` (see `lieux_numerotes`); only places whose status is "ouvert" can be open. `badge`
    gives an hours text's badge data for `debut` and `jours` (default: horaires.donnees_badge)."""
    badge = badge or (lambda texte: horaires_osm.donnees_badge(texte, debut, jours))
    dates = [debut + dt.timedelta(days=i) for i in range(jours)]
    bornes = bornes_jours(dates)  # computed once: a timezone conversion costs more than the cut
    groupes: dict[dt.date, dict[tuple[int, ...], list[int]]] = {d: defaultdict(list) for d in dates}
    vus: dict[str, dict[dt.date, tuple[int, ...]]] = {}
    for numero, lieu in enumerate(lieux):
        texte = lieu.horaires or ""
        if not texte.strip() or lieu.statut != "ouvert":
            continue
        if texte not in vus:
            vus[texte] = par_jour(horaires_osm.plages_ouvertes(badge(texte)), bornes)
        for jour, plages in vus[texte].items():
            groupes[jour][plages].append(numero)
    return {d.isoformat(): _fichier_jour(d, groupes[d]) for d in dates}


def _fichier_jour(jour: dt.date, groupes: dict[tuple[int, ...], list[int]]) -> dict:
    """One day's file: its groups sorted by their ranges, for a deterministic output."""
    return {
        "jour": jour.isoformat(),
        "debut": minuit_paris(jour),
        "groupes": [[list(plages), numeros] for plages, numeros in sorted(groupes.items())],
    }


def ecrire_ouvertures(lieux: Iterable[Lieu], sortie: Path, debut: dt.date, badge=None) -> int:
    """Write donnees/ouvertures/ (jours.json, numeros.json, one file per day); returns the files
    written. `badge`: as for `fichiers_jours` (the sheets' own badge data, from their cache)."""
    numerotes = lieux_numerotes(lieux)
    dossier = sortie / DOSSIER
    fichiers = fichiers_jours(numerotes, debut, badge=badge)
    for ancien in dossier.glob("????-??-??.json") if dossier.is_dir() else []:
        if ancien.stem not in fichiers:
            ancien.unlink()  # days that left the window
    ecrits = sum(ecrire_si_change(dossier / f"{jour}.json", en_json(f)) for jour, f in fichiers.items())
    numeros = {
        "sur_la_carte": sum(sur_la_carte(x) for x in numerotes),
        "hors_carte": [x.slug for x in numerotes if not sur_la_carte(x)],
    }
    ecrits += ecrire_si_change(dossier / "numeros.json", en_json(numeros))
    return ecrits + ecrire_si_change(dossier / "jours.json", en_json({"jours": sorted(fichiers)}))


def correspondance_pagefind(dossier_site: Path, ids: dict[str, str], numerotes: list[str]) -> int:
    """Write donnees/ouvertures/pagefind.json: the Pagefind result id of each numbered place ("" for
    none), from `ids` ({sheet slug: result id}) and `numerotes` (the places' slugs in number order,
    see `lieux_numerotes`), so that the search page can tell which results are open. Returns the
    places matched."""
    if not (dossier_site / DOSSIER / "numeros.json").is_file():
        return 0
    liste = [ids.get(slug, "") for slug in numerotes]
    ecrire_si_change(dossier_site / DOSSIER / "pagefind.json", en_json({"ids": liste}))
    return sum(1 for i in liste if i)
