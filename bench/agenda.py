"""The agenda at scale: 20,000 workshop dates a month on a bench-sized directory, built for real.

    .venv/bin/python bench/agenda.py [--lieux 30000] [--par-mois 20000] [--dossier DIR] [--sans-hugo]

1. Places: those of bench/bench.py (the national files of ../shared/data, copied up to --lieux),
   written to a content/ folder with the importer; a cold build of that directory alone.
2. Workshop files (`ecrire_ateliers`): weekly workshops at places drawn at random (seeded), one
   YAML file each in content/ateliers/, as a contributor writes them, enough for --par-mois dates
   a month (about three months of dates within the agenda's horizon: 60,000 for 20,000 a month);
   themes of the standard, a fifth paid, one in fifty with a cancelled date, a phone to register,
   a short Markdown description.
3. The agenda's own work, in this process: reading, checking and expanding the files, its views
   (AgendaSite) and every page's and feed's data (site/agenda.py, outputs/agenda_ical.py),
   without the templates.
4. The project's build command on the same directory with the workshops, as bench/bench.py
   measures it: a cold build (its own output and cache), a rebuild after one entry changed, after
   one workshop changed, with nothing changed, a full build with a warm cache (output/ moved
   aside, the cache kept); time and peak memory. Hugo builds the same number
   of plain pages in the same run (`--sans-hugo` skips it), for the ratio of bench/bench.py.

`make bench` runs it at 30,000 places after bench/bench.py. Prints a Markdown table (French) and
writes it to bench/resultats/agenda.md (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE / "plugins"))
sys.path.insert(0, str(RACINE / "bench"))

from annuaire.domain.ateliers import HORIZON_JOURS, Agenda  # noqa: E402
from annuaire.domain.vocabulaire import PUBLICS, SERVICES  # noqa: E402
from commun import DONNEES, FICHIERS, JOUR  # noqa: E402

import bench as banc  # noqa: E402

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
DESCRIPTION = "Atelier en petit groupe, **débutants bienvenus**. Apportez votre appareil."


def info(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


def slugs_des_lieux(contenu: Path) -> list[str]:
    """The places' slugs (their entry files' names), sorted."""
    return sorted(p.stem for p in (contenu / "lieux").iterdir() if p.suffix in (".yaml", ".md"))


def texte_atelier(hasard: random.Random, lieu: str, jour: dt.date) -> str:
    """One weekly workshop's YAML file, starting within a week of `jour` (values quoted as JSON,
    which YAML reads as written)."""
    premier = jour + dt.timedelta(days=hasard.randrange(7))
    heure = f"{9 + hasard.randrange(9):02d}:{30 * hasard.randrange(2):02d}"
    fin = f"{int(heure[:2]) + 2:02d}:{heure[3:]}"
    lignes = [
        f"titre: {json.dumps(hasard.choice(TITRES), ensure_ascii=False)}",
        f"lieu: {json.dumps(lieu)}",
        f'debut: "{premier.isoformat()} {heure}"',
        f'fin: "{fin}"',
        "recurrence: FREQ=WEEKLY",
        f"themes:\n  - {json.dumps(hasard.choice(SERVICES), ensure_ascii=False)}",
    ]
    if hasard.random() < 0.3:
        lignes.append(f"publics:\n  - {json.dumps(hasard.choice(PUBLICS), ensure_ascii=False)}")
    lignes.append('prix: "5 €"' if hasard.random() < 0.2 else "gratuit: oui")
    if hasard.random() < 0.02:
        lignes.append(f"exceptions:\n  - {(premier + dt.timedelta(weeks=3)).isoformat()}")
    lignes += [
        f"places_disponibles: {hasard.randrange(13)}",
        f"accessible_pmr: {'oui' if hasard.random() < 0.7 else 'non'}",
        'inscription:\n  telephone: "+33 4 77 12 34 56"',
        f"description: {json.dumps(DESCRIPTION, ensure_ascii=False)}",
    ]
    return "\n".join(lignes) + "\n"


def ecrire_ateliers(contenu: Path, par_mois: int, jour: dt.date = JOUR) -> int:
    """content/ateliers/: weekly workshops at places drawn at random (seeded), enough for
    `par_mois` dates a month; the number of files."""
    hasard, slugs = random.Random(42), slugs_des_lieux(contenu)
    nombre = max(1, round(par_mois * 7 / 30.44))  # weekly workshops for that many dates a month
    dossier = contenu / "ateliers"
    dossier.mkdir(parents=True, exist_ok=True)
    for numero in range(nombre):
        texte = texte_atelier(hasard, hasard.choice(slugs), jour)
        (dossier / f"banc-{numero:05d}.yaml").write_text(texte, encoding="utf-8")
    return nombre


def modifier_un_atelier(contenu: Path) -> Path:
    """Correct one workshop's title, as a contributor would (the first file)."""
    chemin = sorted((contenu / "ateliers").glob("*.yaml"))[0]
    texte = chemin.read_text(encoding="utf-8")
    chemin.write_text(re.sub(r'^titre: "(.*)"$', r'titre: "\1 (complet)"', texte, count=1, flags=re.M))
    return chemin


def mesurer_plan(contenu: Path) -> tuple[Agenda, dict]:
    """The agenda's own work without the templates: reading, checking and expanding the workshop
    files, its views, then every page's and feed's data."""
    from annuaire.directory import construire_annuaire
    from annuaire.domain.reglages import lire_reglages
    from annuaire.federation.agendas import agenda_du_contenu
    from annuaire.site.agenda import AgendaSite, pages_agenda
    from annuaire.site.plan import Index, cle_commune, noms_agenda

    annuaire = construire_annuaire(contenu, aujourd_hui=JOUR)
    index = Index.construire(annuaire)
    debut = time.perf_counter()
    agenda, _problemes = agenda_du_contenu(contenu, contenu.parent, annuaire.lieux, JOUR)
    lecture = time.perf_counter() - debut
    site = AgendaSite(agenda, annuaire.lieux, JOUR, cle_commune)
    vues = time.perf_counter() - debut - lecture
    pages = list(pages_agenda(site, noms_agenda(index), "https://exemple.org", lire_reglages({}).nom))
    debut = time.perf_counter()
    flux = octets_flux = 0
    for page in pages:
        donnees = page.contexte() if callable(page.contexte) else page.contexte
        if "texte" in donnees:
            flux += 1
            octets_flux += len(donnees["texte"].encode("utf-8"))
    plan = {"lecture": lecture, "vues": vues, "donnees": time.perf_counter() - debut}
    return agenda, plan | {"pages": len(pages) - flux, "flux": flux, "octets_flux": octets_flux}


def construire(reglages: Path, sortie: Path) -> dict:
    """The project's build command (bench/bench.py's run): seconds, peak memory, files, bytes."""
    execution = banc.construire(reglages, sortie)
    fichiers, octets = banc.taille_sortie(sortie)
    return {"duree": execution.duree, "memoire": execution.memoire, "fichiers": fichiers, "octets": octets}


def mesurer(args, dossier: Path) -> dict:
    """Places, a cold build without the agenda, the workshops, then the builds with them."""
    info(f"Lieux : import de {DONNEES} …")
    lieux = banc.lieux_bench(banc.originaux(FICHIERS), args.lieux)
    reglages = banc.ecrire_contenu(lieux, dossier / "annuaire")
    contenu = dossier / "annuaire" / "content"
    info("Construction à froid sans agenda …")
    resultats = {"sans": construire(reglages, dossier / "sans" / "output")}
    resultats["ateliers"] = ecrire_ateliers(contenu, args.par_mois)
    info(f"{resultats['ateliers']} fichiers d'ateliers ; travail propre de l'agenda …")
    resultats["agenda"], resultats["plan"] = mesurer_plan(contenu)
    sortie = dossier / "avec" / "output"
    info("Construction à froid avec l'agenda …")
    resultats["avec"] = construire(reglages, sortie)
    info("Une fiche modifiée …")
    banc.modifier_une_fiche(contenu)
    resultats["une_fiche"] = construire(reglages, sortie)
    info("Un atelier modifié …")
    modifier_un_atelier(contenu)
    resultats["un_atelier"] = construire(reglages, sortie)
    info("Rien de changé …")
    resultats["rien"] = construire(reglages, sortie)
    info("Construction complète, cache chaud (output/ mis de côté) …")
    banc.mettre_de_cote(sortie, dossier)
    resultats["chaude"] = construire(reglages, sortie)
    if not args.sans_hugo:
        resultats |= banc.comparer(lieux, dossier / "simple")
    return resultats


def _s(secondes: float) -> str:
    return f"{secondes:.1f} s".replace(".", ",")


def _go(octets: float) -> str:
    return f"{octets / 1024**3:.2f} Go".replace(".", ",")


def lignes_constructions(r: dict) -> list[str]:
    """The builds' rows: without, with, what the agenda adds, rebuilds, Hugo."""
    sans, avec = r["sans"], r["avec"]
    ajout = avec["duree"] - sans["duree"]
    lignes = [
        f"| construction à froid sans agenda | {_s(sans['duree'])}, {_go(sans['memoire'])} |",
        f"| construction à froid avec l'agenda | {_s(avec['duree'])}, {_go(avec['memoire'])} |",
        f"| ajouté par l'agenda | {ajout:+.0f} s ({100 * ajout / sans['duree']:+.0f} %), "
        f"{avec['fichiers'] - sans['fichiers']:+d} fichiers, "
        f"{(avec['octets'] - sans['octets']) / 1e6:+.0f} Mo |",
    ]
    for cle, titre in (("une_fiche", "une fiche modifiée"), ("un_atelier", "un atelier modifié")):
        lignes.append(f"| reconstruction, {titre} (avec l'agenda) | {_s(r[cle]['duree'])} |")
    lignes.append(f"| reconstruction sans changement (avec l'agenda) | {_s(r['rien']['duree'])} |")
    lignes.append(f"| construction complète, cache chaud (avec l'agenda) | {_s(r['chaude']['duree'])} |")
    if "hugo" in r:
        lignes.append(f"| Hugo, mêmes pages en Markdown (témoin) | {_s(r['hugo'])} |")
        lignes.append(
            f"| à froid avec l'agenda ÷ Hugo | × {avec['duree'] / r['hugo']:.1f} |".replace(".", ",")
        )
    return lignes


def lignes_cibles(r: dict) -> list[str]:
    """The bench's targets (bench/bench.py) that hold whatever the machine: memory and rebuilds."""
    cibles, memoire = banc.CIBLES, r["avec"]["memoire"]
    durees = (
        ("une fiche modifiée ≤ 10 s", "une_fiche", "une_fiche"),
        ("un atelier modifié ≤ 10 s", "un_atelier", "une_fiche"),
        ("rien de changé ≤ 5 s", "rien", "rien"),
        ("construction complète ≤ 60 s (cache chaud)", "chaude", "complete"),
    )
    lignes = [("mémoire ≤ 3 Go", _go(memoire), memoire <= cibles["memoire"])]
    lignes += [(titre, _s(r[cle]["duree"]), r[cle]["duree"] <= cibles[cible]) for titre, cle, cible in durees]
    return ["", "| cible (avec l'agenda) | mesuré | |", "| --- | ---: | --- |"] + [
        f"| {cible} | {mesure} | {'✅' if ok else '❌'} |" for cible, mesure, ok in lignes
    ]


def tableau(args, r: dict) -> str:
    """The results as a French Markdown table."""
    agenda, plan = r["agenda"], r["plan"]
    lignes = [
        f"# Agenda à l'échelle : {args.lieux} lieux, {args.par_mois} dates par mois",
        "",
        f"{r['ateliers']} fichiers d'ateliers hebdomadaires ({len(agenda.ateliers)} lus), "
        f"{len(agenda.occurrences)} dates sur {HORIZON_JOURS} jours.",
        "",
        "| mesure | valeur |",
        "| --- | --- |",
        f"| lecture, vérification et dates des fichiers d'ateliers | {_s(plan['lecture'])} |",
        f"| vues de l'agenda (AgendaSite) | {_s(plan['vues'])} |",
        f"| données des pages et des flux (sans gabarits) | {_s(plan['donnees'])} |",
        f"| pages de l'agenda | {plan['pages']} |",
        f"| flux iCalendar et export JSON | {plan['flux']} fichiers, {plan['octets_flux'] / 1e6:.1f} Mo |",
        *lignes_constructions(r),
        *lignes_cibles(r),
    ]
    return "\n".join([*lignes, "", f"Commande : `python bench/agenda.py {' '.join(sys.argv[1:])}`", ""])


def main() -> int:
    """Generate, measure, print and save the table."""
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument("--lieux", type=int, default=30_000, help="nombre de lieux")
    parametres.add_argument("--par-mois", type=int, default=20_000, help="dates d'ateliers par mois")
    parametres.add_argument("--dossier", type=Path, default=None, help="dossier de travail (gardé)")
    parametres.add_argument("--sans-hugo", action="store_true", help="sans la construction témoin de Hugo")
    parametres.add_argument("--tableau", type=Path, default=RACINE / "bench" / "resultats" / "agenda.md")
    args = parametres.parse_args()
    if not DONNEES.is_dir():
        raise SystemExit(f"{DONNEES} introuvable : les données réelles sont nécessaires")
    dossier = args.dossier or Path(tempfile.mkdtemp(prefix="bench-agenda-"))
    texte = tableau(args, mesurer(args, dossier))
    print(texte)
    args.tableau.parent.mkdir(parents=True, exist_ok=True)
    args.tableau.write_text(texte, encoding="utf-8")
    info(f"Agenda à l'échelle : mesuré, tableau dans {args.tableau}")
    if args.dossier is None:
        shutil.rmtree(dossier, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
