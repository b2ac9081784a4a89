"""Command line of the federation: `import`, `sync` and `export` (added to cli.py's subcommands).

Each command takes the parsed arguments and returns an exit status; every mistake a user can make
(missing file, wrong settings, unreadable source) ends as a French message and status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import runpy
import sys
from pathlib import Path

from annuaire.directory import Calculs, construire_annuaire
from annuaire.domain.model import Probleme
from annuaire.domain.reglages import ReglageInvalide
from annuaire.domain.reglages import lire_reglages as reglages_annuaire
from annuaire.federation.agendas import synchroniser_agendas
from annuaire.federation.importer import ErreurImport, OptionsImport, importer_fichier, options_import
from annuaire.federation.rapprochement import Rapprochement, ecrire, importer_dans
from annuaire.federation.sources import ErreurSource, OptionsSync, RapportSync, lire_sources, synchroniser
from annuaire.loading.depot import origine_du_depot
from annuaire.loading.entrees import charger_lieux
from annuaire.outputs.exports import ecrire_exports

REGLAGES = "pelicanconf.py"
DETAILS_MAX = 200  # problems printed one by one; beyond, only counted


class ErreurReglages(Exception):
    """Settings that cannot be read (French message)."""


def lire_reglages(chemin: Path) -> dict:
    """Run the settings file (plain Python holding settings) and return its upper-case names."""
    if not chemin.is_file():
        raise ErreurReglages(f"{chemin} : fichier de réglages introuvable")
    try:
        espace = runpy.run_path(str(chemin))
    except SyntaxError as exc:
        raise ErreurReglages(f"{chemin}:{exc.lineno}: réglages illisibles : {exc.msg}") from None
    except Exception as exc:  # noqa: BLE001 - any failure of a user's settings file is reported
        raise ErreurReglages(f"{chemin} : réglages illisibles ({exc.__class__.__name__} : {exc})") from None
    return {cle: valeur for cle, valeur in espace.items() if cle.isupper()}


def _afficher(problemes: list[Probleme], flux=None) -> None:
    """Print problems one per line, at most DETAILS_MAX of them (on stdout by default)."""
    flux = flux or sys.stdout
    for probleme in problemes[:DETAILS_MAX]:
        print(probleme, file=flux)
    if len(problemes) > DETAILS_MAX:
        print(f"… et {len(problemes) - DETAILS_MAX} autres", file=flux)


def _options_import(args: argparse.Namespace) -> OptionsImport:
    """Privacy and scope of an import: the settings (when the file exists), widened by the flags."""
    chemin = Path(args.settings)
    reglages = reglages_annuaire(lire_reglages(chemin).get("ANNUAIRE") if chemin.is_file() else None)
    options = options_import(reglages)
    return OptionsImport(
        options.contacts_personnels or args.contacts_personnels,
        options.hors_perimetre or args.hors_perimetre,
    )


def commande_import(args: argparse.Namespace) -> int:
    """`import FICHIER`: every place of a file in the national standard merged into the directory
    (one entry per real place); nothing written when the file or content/doublons.yaml is broken."""
    try:
        options = _options_import(args)
        lieux, rapport = importer_fichier(Path(args.fichier), args.source, None, sys.stderr, options)
    except (ErreurImport, ErreurReglages, ReglageInvalide) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    with _calculs(args) as calculs:
        plan = importer_dans(lieux, rapport, Path(args.dossier), charger=calculs.charger_lieux)
    erreurs = [p for p in plan.problemes if p.est_erreur]
    _afficher(plan.problemes, sys.stderr)
    if erreurs:
        print("import annulé : corrigez d'abord content/doublons.yaml (rien n'a été écrit)", file=sys.stderr)
        return 1
    if not args.simulation:
        ecrire(plan)
    rapport.fiches.update(plan.comptes())
    _afficher(rapport.ecartes)
    for ligne in rapport.details():
        print(ligne)
    sections = sections_rapprochement(plan)
    _afficher_sections(sections)
    if args.rapport:
        lignes = [ligne for titre, contenu in sections for ligne in (f"{titre} : {len(contenu)}", *contenu)]
        Path(args.rapport).write_text("\n".join(lignes) + "\n", encoding="utf-8")
    print(rapport.resume())
    print(resume_rapprochement(plan))
    return 0


def _calculs(args: argparse.Namespace):
    """The entries' loader of the build's cache (.cache/annuaire/ of the working folder) when
    `python -m annuaire` provides it: importing into 30,000 entries reads only the changed ones."""
    fabrique = getattr(args, "calculs", None)
    return contextlib.nullcontext(Calculs()) if fabrique is None else fabrique(Path(".cache") / "annuaire")


def sections_rapprochement(plan: Rapprochement) -> list[tuple[str, list[str]]]:
    """The report's sections on merging, each (French title, lines): what a person has to decide
    first, then what a decision changed, then the conflicts of values."""
    probables = [
        f"doublon probable à vérifier — score {p.score:.0f} : {p.id_a} « {p.nom_a} » ↔ {p.id_b} « {p.nom_b} »"
        for p in sorted(plan.probables, key=lambda p: (-p.score, p.id_a, p.id_b))
    ]
    return [
        ("Doublons probables (décidez dans content/doublons.yaml)", probables),
        ("Décisions appliquées", plan.separes),
        (
            "Conflits de valeurs (la valeur écartée reste en commentaire dans la fiche importée)",
            [str(c) for c in plan.conflits],
        ),
    ]


def _afficher_sections(sections: list[tuple[str, list[str]]]) -> None:
    """Each non-empty section with its count, at most DETAILS_MAX lines each."""
    for titre, lignes in sections:
        if lignes:
            print(f"{titre} : {len(lignes)}")
            for ligne in lignes[:DETAILS_MAX]:
                print(f"  {ligne}")
            if len(lignes) > DETAILS_MAX:
                print(f"  … et {len(lignes) - DETAILS_MAX} autres (liste complète : --rapport FICHIER)")


def resume_rapprochement(plan: Rapprochement) -> str:
    """One French line: merged records, conflicts, likely duplicates, and where to decide."""
    ligne = (
        f"rapprochement : {plan.fusionnes} enregistrements fusionnés dans une fiche existante ou entre "
        f"eux, {len(plan.conflits)} conflits de valeurs, {len(plan.probables)} doublons probables à vérifier"
    )
    if plan.probables:
        ligne += " (décidez dans content/doublons.yaml : voir CONTRIBUTING.md)"
    return ligne


def _sources_des_reglages(chemin: Path) -> list:
    """The federated sources of the settings (ANNUAIRE_SOURCES, empty when absent)."""
    reglages = lire_reglages(chemin)
    return lire_sources(reglages.get("ANNUAIRE_SOURCES", []), f"{chemin.name}, ANNUAIRE_SOURCES")


def commande_sync(args: argparse.Namespace) -> int:
    """`sync`: refresh content/sources/ from the sources of the settings, then the places' own
    agendas (content/sources/agendas/); 1 if a required source failed (an agenda never is)."""
    chemin = Path(args.settings)
    try:
        sources = _sources_des_reglages(chemin)
        importation = options_import(reglages_annuaire(lire_reglages(chemin).get("ANNUAIRE")))
    except (ErreurReglages, ErreurSource, ReglageInvalide) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    options = OptionsSync(
        importation=importation,
        dossier=Path(args.dossier),
        racine=chemin.resolve().parent,
        delai=args.delai,
        accepter_baisse=args.accepter_baisse,
    )
    rapport = synchroniser(sources, options) if sources else RapportSync()
    if not sources:
        print(f"aucune source dans {chemin.name} (réglage ANNUAIRE_SOURCES)")
    _afficher_resultats(rapport.resultats)
    if sources:
        print(rapport.resume())
    _sync_agendas(options)
    return 1 if rapport.echecs_requis else 0


def _afficher_resultats(resultats: list) -> None:
    """Each sync result on its own line (failures on stderr), with its first set-aside records."""
    for resultat in resultats:
        print(resultat, file=sys.stderr if resultat.etat == "échec" else sys.stdout)
        _afficher(resultat.ecartes[:20])


def _sync_agendas(options: OptionsSync) -> None:
    """The feeds of the entries of content/lieux/ (beside the snapshots' folder) with an `agenda`."""
    contenu = options.dossier.resolve().parent
    lieux, _problemes = charger_lieux(contenu / "lieux", contenu.parent)
    resultats = synchroniser_agendas(lieux, options)
    _afficher_resultats(resultats)
    if resultats:
        echecs = sum(r.etat == "échec" for r in resultats)
        print(f"agendas : {len(resultats)} agendas de lieux, {echecs} en échec")


def _reglages_export(chemin: Path) -> tuple[str, str, str]:
    """(public URL, producer's SIRET, territory) from the settings; defaults without a file."""
    reglages = lire_reglages(chemin) if chemin.is_file() else {}
    annuaire = reglages_annuaire(reglages.get("ANNUAIRE"), origine_du_depot(chemin.resolve().parent))
    return annuaire.url_publique, str(reglages.get("ANNUAIRE_PRODUCTEUR", "")), annuaire.territoire


def commande_export(args: argparse.Namespace) -> int:
    """`export`: write the open-data files (national CSV and JSON, GeoJSON, Atom) of the directory."""
    try:
        url, producteur, territoire = _reglages_export(Path(args.settings))
    except (ErreurReglages, ReglageInvalide) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    annuaire = construire_annuaire(Path(args.contenu))
    if annuaire.erreurs:
        _afficher(annuaire.erreurs, sys.stderr)
        print(f"export impossible : {annuaire.resume()}", file=sys.stderr)
        return 1
    rapport = ecrire_exports(annuaire.lieux, Path(args.sortie), url, producteur, territoire)
    _afficher(rapport.ecartes)
    print(rapport.resume())
    return 0


def ajouter_commandes(sous) -> None:
    """Add `import`, `sync` and `export` to the subcommands of cli.py's parser."""
    importer = sous.add_parser("import", help="importer un fichier au standard national (CSV ou JSON)")
    importer.add_argument("fichier", help="CSV ou JSON au standard, ou structures.json de data·inclusion")
    importer.add_argument("--dossier", default="content/lieux", help="où écrire les fiches")
    importer.add_argument("--source", default="", help="nom de la source dans les identifiants")
    importer.add_argument("--simulation", action="store_true", help="tout vérifier sans rien écrire")
    importer.add_argument("--settings", default=REGLAGES, help="réglages (ANNUAIRE : contacts, périmètre)")
    importer.add_argument(
        "--contacts-personnels",
        action="store_true",
        help="publier aussi les e-mails nominatifs et les mobiles (vie privée : avec l'accord des personnes)",
    )
    importer.add_argument(
        "--hors-perimetre",
        action="store_true",
        help="importer aussi les lieux qui ne proposent aucun service de médiation numérique",
    )
    importer.add_argument(
        "--rapport", default="", help="écrire ici la liste complète des conflits et doublons"
    )
    importer.set_defaults(fonction=commande_import)
    sync = sous.add_parser("sync", help="rafraîchir les instantanés des sources fédérées")
    sync.add_argument("--settings", default=REGLAGES, help="fichier de réglages (ANNUAIRE_SOURCES)")
    sync.add_argument("--dossier", default="content/sources", help="dossier des instantanés")
    sync.add_argument("--delai", type=float, default=30.0, help="délai d'attente réseau, en secondes")
    sync.add_argument(
        "--accepter-baisse",
        action="store_true",
        help="remplacer un instantané même si la source a perdu plus de la moitié de ses lieux",
    )
    sync.set_defaults(fonction=commande_sync)
    export = sous.add_parser("export", help="écrire les données ouvertes (CSV, JSON, GeoJSON, Atom)")
    export.add_argument("--sortie", default="output/donnees", help="dossier des fichiers")
    export.add_argument("--contenu", default="content", help="dossier du contenu")
    export.add_argument("--settings", default=REGLAGES, help="réglages (ANNUAIRE, ANNUAIRE_PRODUCTEUR)")
    export.set_defaults(fonction=commande_export)
