"""Command line of the federation: `import`, `sync` and `export` (added to cli.py's subcommands).

Each command takes the parsed arguments and returns an exit status; every mistake a user can make
(missing file, wrong settings, unreadable source) ends as a French message and status 1.
"""

from __future__ import annotations

import argparse
import runpy
import sys
from pathlib import Path

from annuaire.directory import construire_annuaire
from annuaire.domain.model import Probleme
from annuaire.domain.reglages import ReglageInvalide
from annuaire.domain.reglages import lire_reglages as reglages_annuaire
from annuaire.federation.importer import ErreurImport, ecrire_fiches, importer_fichier
from annuaire.federation.sources import ErreurSource, OptionsSync, lire_sources, synchroniser
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


def commande_import(args: argparse.Namespace) -> int:
    """`import FICHIER`: one entry file per place of a file in the national standard."""
    try:
        lieux, rapport = importer_fichier(Path(args.fichier), args.source, progression=sys.stderr)
    except ErreurImport as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    if not args.simulation:
        ecrire_fiches(lieux, Path(args.dossier), rapport)
    _afficher(rapport.ecartes)
    for ligne in rapport.details():
        print(ligne)
    print(rapport.resume())
    return 0


def _sources_des_reglages(chemin: Path) -> list:
    """The federated sources of the settings (ANNUAIRE_SOURCES, empty when absent)."""
    reglages = lire_reglages(chemin)
    return lire_sources(reglages.get("ANNUAIRE_SOURCES", []), f"{chemin.name}, ANNUAIRE_SOURCES")


def commande_sync(args: argparse.Namespace) -> int:
    """`sync`: refresh content/sources/ from the sources of the settings; 1 if a required one failed."""
    chemin = Path(args.settings)
    try:
        sources = _sources_des_reglages(chemin)
    except (ErreurReglages, ErreurSource) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    if not sources:
        print(f"aucune source dans {chemin.name} (réglage ANNUAIRE_SOURCES) : rien à faire")
        return 0
    options = OptionsSync(
        dossier=Path(args.dossier),
        racine=chemin.resolve().parent,
        delai=args.delai,
        accepter_baisse=args.accepter_baisse,
    )
    rapport = synchroniser(sources, options)
    for resultat in rapport.resultats:
        print(resultat, file=sys.stderr if resultat.etat == "échec" else sys.stdout)
        _afficher(resultat.ecartes[:20])
    print(rapport.resume())
    return 1 if rapport.echecs_requis else 0


def _reglages_export(chemin: Path) -> tuple[str, str, str]:
    """(public URL, producer's SIRET, territory) from the settings; defaults without a file."""
    reglages = lire_reglages(chemin) if chemin.is_file() else {}
    annuaire = reglages_annuaire(reglages.get("ANNUAIRE"))
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
