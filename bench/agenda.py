"""The agenda at scale: 20,000 workshop dates a month over the places of a bench-sized directory.

    .venv/bin/python bench/agenda.py [--lieux 10000] [--par-mois 20000] [--dossier DIR] [--sans-construction]

1. Places: those of bench/bench.py (the national files of ../shared/data, copied up to --lieux),
   written to a content/ folder with the importer.
2. A synthetic agenda (`agenda_synthetique`): weekly workshops at places drawn at random (seeded),
   enough for --par-mois dates a month, over the agenda's horizon from the bench's day (about
   three months: 60,000 dates for 20,000 a month); themes of the standard, a fifth paid, one date
   in fifty cancelled, a phone to register, a short HTML description.
3. The agenda's own work, in this process: its views (AgendaSite) and every page's and feed's data
   (site/agenda.py, outputs/agenda_ical.py), without the templates.
4. Two cold builds of the whole site (`--sans-construction` skips them), each in a child process
   with its own output and cache: without the agenda, then with it (put on the directory by the
   same seam as the tests, tests/agenda_exemples.avec_agenda). Wall time, CPU time, files and bytes:
   the difference is what the agenda adds.

Prints a Markdown table (French) and writes it to bench/resultats/agenda.md (git-ignored).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE / "plugins"))
sys.path.insert(0, str(RACINE / "bench"))

from annuaire.domain.ateliers import (  # noqa: E402
    FUSEAU,
    HORIZON_JOURS,
    Agenda,
    Atelier,
    Inscription,
    Occurrence,
    faire_agenda,
)
from annuaire.domain.vocabulaire import PUBLICS, SERVICES  # noqa: E402
from commun import DONNEES, FICHIERS, JOUR  # noqa: E402

TITRES = (
    "Prendre en main son smartphone",
    "Envoyer un e-mail",
    "Faire ses démarches CAF en ligne",
    "Déclarer ses impôts",
    "Ranger ses photos",
    "Payer en ligne sans risque",
    "Découvrir la tablette",
    "Créer son CV",
)
DESCRIPTION = "<p>Atelier en petit groupe, <strong>débutants bienvenus</strong>. Apportez votre appareil.</p>"


def info(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


def slugs_des_lieux(contenu: Path) -> list[str]:
    """The places' slugs (their entry files' names), sorted."""
    return sorted(p.stem for p in (contenu / "lieux").iterdir() if p.suffix in (".yaml", ".md"))


def agenda_synthetique(slugs: list[str], par_mois: int, jour: dt.date = JOUR) -> Agenda:
    """Weekly workshops at random places (seeded): `par_mois` dates a month over the horizon."""
    hasard = random.Random(42)
    nombre = max(1, round(par_mois * 7 / 30.44))  # weekly workshops for that many dates a month
    ateliers, occurrences = [], []
    fin = jour + dt.timedelta(days=HORIZON_JOURS)
    for numero in range(nombre):
        premier = jour + dt.timedelta(days=hasard.randrange(7))
        debut = dt.datetime.combine(
            premier, dt.time(9 + hasard.randrange(9), 30 * hasard.randrange(2)), FUSEAU
        )
        payant = hasard.random() < 0.2
        atelier = Atelier(
            identifiant=f"bench-{numero}",
            titre=hasard.choice(TITRES),
            lieu=hasard.choice(slugs),
            debut=debut,
            fin=debut + dt.timedelta(hours=2),
            regle="FREQ=WEEKLY",
            themes=(hasard.choice(SERVICES),),
            publics=(hasard.choice(PUBLICS),) if hasard.random() < 0.3 else (),
            gratuit=not payant,
            prix="5 €" if payant else "",
            inscription=Inscription(telephone="04 77 12 34 56"),
            places_disponibles=hasard.randrange(13),
            accessible_pmr=hasard.random() < 0.7,
            description=DESCRIPTION,
        )
        ateliers.append(atelier)
        semaine = 0
        while (quand := debut + dt.timedelta(weeks=semaine)).date() < fin:
            occurrences.append(
                Occurrence(quand, quand + dt.timedelta(hours=2), atelier, hasard.random() < 0.02)
            )
            semaine += 1
    return faire_agenda(tuple(ateliers), occurrences, jour, fin)


def mesurer_plan(contenu: Path, agenda: Agenda) -> dict:
    """The agenda's own work without the templates: its views, then every page's and feed's data."""
    from annuaire.directory import construire_annuaire
    from annuaire.domain.reglages import lire_reglages
    from annuaire.site.agenda import AgendaSite, pages_agenda
    from annuaire.site.plan import Index, cle_commune

    annuaire = construire_annuaire(contenu, aujourd_hui=JOUR)
    index = Index.construire(annuaire)
    debut = time.perf_counter()
    site = AgendaSite(agenda, annuaire.lieux, JOUR, cle_commune)
    vues = time.perf_counter() - debut
    noms = {g.slug: g.nom for g in index.communes}
    pages = list(pages_agenda(site, noms, index.noms_reseaux, "https://exemple.org", lire_reglages({}).nom))
    debut = time.perf_counter()
    flux = octets_flux = 0
    for page in pages:
        donnees = page.contexte() if callable(page.contexte) else page.contexte
        if "texte" in donnees:
            flux += 1
            octets_flux += len(donnees["texte"].encode("utf-8"))
    donnees_pages = time.perf_counter() - debut
    return {
        "vues": vues,
        "donnees": donnees_pages,
        "pages": len(pages) - flux,
        "flux": flux,
        "octets_flux": octets_flux,
    }


def construire_ici(reglages: Path, sortie: Path, par_mois: int) -> int:
    """A build in this process (`--construire`): the agenda put on the directory, when asked."""
    from annuaire.build import pelican_glue
    from annuaire.build.construction import construire_site

    if par_mois:
        contenu = reglages.parent / "content"
        agenda = agenda_synthetique(slugs_des_lieux(contenu), par_mois)
        construire = pelican_glue.construire_annuaire
        pelican_glue.construire_annuaire = lambda *a, **k: dataclasses.replace(
            construire(*a, **k), agenda=agenda
        )
    return construire_site(reglages, sortie)


def construction(reglages: Path, sortie: Path, par_mois: int) -> dict:
    """A cold build in a child process: wall and CPU seconds, files and bytes of the output."""
    avant = resource.getrusage(resource.RUSAGE_CHILDREN)
    debut = time.monotonic()
    commande = [sys.executable, __file__, "--construire", str(reglages), str(sortie), str(par_mois)]
    fini = subprocess.run(commande, cwd=RACINE, capture_output=True, text=True)
    duree = time.monotonic() - debut
    if fini.returncode != 0:
        raise SystemExit(f"la construction a échoué :\n{fini.stderr[-3000:]}")
    apres = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (apres.ru_utime - avant.ru_utime) + (apres.ru_stime - avant.ru_stime)
    fichiers = [p for p in sortie.rglob("*") if p.is_file()]
    return {
        "duree": duree,
        "cpu": cpu,
        "fichiers": len(fichiers),
        "octets": sum(p.stat().st_size for p in fichiers),
    }


def preparer(lieux: int, dossier: Path) -> Path:
    """content/ with `lieux` places (bench/bench.py's), and its settings; returns the settings."""
    import bench as banc

    info(f"Lieux : import de {DONNEES} …")
    sources = banc.originaux(FICHIERS)
    return banc.ecrire_contenu(banc.lieux_bench(sources, lieux), dossier)


def tableau(args, agenda: Agenda, plan: dict, sans: dict | None, avec: dict | None) -> str:
    """The results as a French Markdown table."""
    lignes = [
        f"# Agenda à l'échelle : {args.lieux} lieux, {args.par_mois} dates par mois",
        "",
        f"Agenda synthétique : {len(agenda.ateliers)} ateliers hebdomadaires, "
        f"{len(agenda.occurrences)} dates sur {HORIZON_JOURS} jours.",
        "",
        "| mesure | valeur |",
        "| --- | --- |",
        f"| vues de l'agenda (AgendaSite) | {plan['vues']:.1f} s |",
        f"| données des pages et des flux (sans gabarits) | {plan['donnees']:.1f} s |",
        f"| pages de l'agenda | {plan['pages']} |",
        f"| flux iCalendar et export JSON | {plan['flux']} fichiers, {plan['octets_flux'] / 1e6:.1f} Mo |",
    ]
    if sans and avec:
        duree, cpu = avec["duree"] - sans["duree"], avec["cpu"] - sans["cpu"]
        fichiers, octets = avec["fichiers"] - sans["fichiers"], (avec["octets"] - sans["octets"]) / 1e6
        lignes += [
            f"| construction à froid sans agenda | {sans['duree']:.0f} s ({sans['cpu']:.0f} s CPU) |",
            f"| construction à froid avec l'agenda | {avec['duree']:.0f} s ({avec['cpu']:.0f} s CPU) |",
            f"| ajouté par l'agenda | {duree:+.0f} s ({cpu:+.0f} s CPU), {fichiers:+d} fichiers, "
            f"{octets:+.0f} Mo |",
        ]
    lignes += ["", f"Commande : `python bench/agenda.py {' '.join(sys.argv[1:])}`", ""]
    return "\n".join(lignes)


def main() -> int:
    """Generate, measure, print and save the table."""
    if len(sys.argv) == 5 and sys.argv[1] == "--construire":
        return construire_ici(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument("--lieux", type=int, default=10_000, help="nombre de lieux")
    parametres.add_argument("--par-mois", type=int, default=20_000, help="dates d'ateliers par mois")
    parametres.add_argument("--dossier", type=Path, default=None, help="dossier de travail (gardé)")
    parametres.add_argument("--sans-construction", action="store_true", help="sans les deux constructions")
    parametres.add_argument("--tableau", type=Path, default=RACINE / "bench" / "resultats" / "agenda.md")
    args = parametres.parse_args()
    if not DONNEES.is_dir():
        raise SystemExit(f"{DONNEES} introuvable : les données réelles sont nécessaires")
    dossier = args.dossier or Path(tempfile.mkdtemp(prefix="bench-agenda-"))
    reglages = preparer(args.lieux, dossier / "annuaire")
    contenu = dossier / "annuaire" / "content"
    agenda = agenda_synthetique(slugs_des_lieux(contenu), args.par_mois)
    info(f"Agenda : {len(agenda.ateliers)} ateliers, {len(agenda.occurrences)} dates ; données de l'agenda …")
    plan = mesurer_plan(contenu, agenda)
    info(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in plan.items()}))
    sans = avec = None
    if not args.sans_construction:
        info("Construction à froid sans agenda …")
        sans = construction(reglages, dossier / "sans" / "output", 0)
        info(f"  {sans}")
        info("Construction à froid avec l'agenda …")
        avec = construction(reglages, dossier / "avec" / "output", args.par_mois)
        info(f"  {avec}")
    texte = tableau(args, agenda, plan, sans, avec)
    print(texte)
    args.tableau.parent.mkdir(parents=True, exist_ok=True)
    args.tableau.write_text(texte, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
