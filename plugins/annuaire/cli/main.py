"""Command line: `python -m annuaire COMMANDE` (validate, build…). Messages are in French.

Every error a user can cause ends here as a message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

from annuaire.cli.federation import ajouter_commandes
from annuaire.directory import Calculs, construire_annuaire
from annuaire.validation.affichage import afficher_validation


def commande_valider(args: argparse.Namespace) -> int:
    """`validate`: check every entry and network; exit 1 on any error."""
    with _calculs(args) as calculs:
        annuaire = construire_annuaire(Path(args.contenu), Path(args.racine), calculs=calculs)
    montres = annuaire.problemes if args.avertissements else annuaire.erreurs
    afficher_validation(montres, args.details)
    print(annuaire.resume())
    return 1 if annuaire.erreurs else 0


def commande_construire(args: argparse.Namespace) -> int:
    """`build`: validate, render the site with Pelican, index it, publish atomically."""
    from annuaire.build.construction import construire_site  # Pelican is imported only for this command

    return construire_site(Path(args.settings), Path(args.sortie) if args.sortie else None)


def commande_nouveau(args: argparse.Namespace) -> int:
    """`nouveau`: scaffold content/lieux/SLUG.yaml with every field of the standard."""
    from annuaire.cli.nouvelle_fiche import creer_fiche

    try:
        chemin = creer_fiche(
            Path(args.dossier),
            args.nom,
            adresse=args.adresse,
            code_postal=args.code_postal,
            commune=args.commune,
        )
    except (FileExistsError, ValueError) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    print(f"Fiche créée : {chemin}. Complétez-la, puis lancez « make validate ».")
    return 0


def commande_rapport(args: argparse.Namespace) -> int:
    """`rapport`: completeness, freshness, suspicious values and duplicates of every entry."""
    import datetime as dt

    from annuaire.validation.qualite import doublons_de, rapport_qualite, texte_rapport

    with _calculs(args) as calculs:
        annuaire = construire_annuaire(Path(args.contenu), Path(args.racine), calculs=calculs)
    rapport = rapport_qualite(
        annuaire.lieux,
        annuaire.reseaux,
        annuaire.problemes,
        doublons_de(annuaire.fusion.probables),
        dt.date.today(),
    )
    print(texte_rapport(rapport))
    return 0


def _analyseur() -> argparse.ArgumentParser:
    analyseur = argparse.ArgumentParser(
        prog="python -m annuaire", description="Annuaire des lieux de médiation numérique"
    )
    sous = analyseur.add_subparsers(dest="commande", required=True, metavar="COMMANDE")
    valider = sous.add_parser("validate", help="vérifier toutes les fiches")
    valider.add_argument("--contenu", default="content", help="dossier du contenu")
    valider.add_argument("--racine", default=".", help="dossier du projet (pour les chemins)")
    valider.add_argument(
        "--sans-avertissements",
        dest="avertissements",
        action="store_false",
        help="n'afficher que les erreurs",
    )
    valider.add_argument(
        "--details", action="store_true", help="chaque avertissement sur sa ligne (sinon : groupés par genre)"
    )
    valider.set_defaults(fonction=commande_valider)
    construire = sous.add_parser("build", help="construire le site dans output/")
    construire.add_argument("--settings", default="pelicanconf.py", help="fichier de réglages")
    construire.add_argument("--sortie", default="", help="dossier de sortie (défaut : réglages)")
    construire.set_defaults(fonction=commande_construire)
    nouveau = sous.add_parser("nouveau", help="créer une fiche à compléter")
    nouveau.add_argument("nom", help="nom du lieu, ex. « Espace numérique du Soleil »")
    nouveau.add_argument("--adresse", default="")
    nouveau.add_argument("--code-postal", dest="code_postal", default="")
    nouveau.add_argument("--commune", default="")
    nouveau.add_argument("--dossier", default="content/lieux")
    nouveau.set_defaults(fonction=commande_nouveau)
    rapport = sous.add_parser("rapport", help="rapport de qualité des fiches")
    rapport.add_argument("--contenu", default="content", help="dossier du contenu")
    rapport.add_argument("--racine", default=".", help="dossier du projet (pour les chemins)")
    rapport.set_defaults(fonction=commande_rapport)
    ajouter_commandes(sous)
    return analyseur


def _calculs(args: argparse.Namespace):
    """A context giving the directory's Calculs for the project folder `args.racine`: through the
    caches of its .cache/annuaire/ when `python -m annuaire` provides them (main's `calculs`),
    else the plain loops."""
    fabrique = getattr(args, "calculs", None)
    if fabrique is None:
        return contextlib.nullcontext(Calculs())
    return fabrique(Path(args.racine) / ".cache" / "annuaire")


def main(argv: list[str] | None = None, calculs: Callable | None = None) -> int:
    """Entry point; returns the exit status. `calculs(cache folder)`: a context giving the
    directory's Calculs through caches (build/entrees.calculs_en_cache), when given."""
    args = _analyseur().parse_args(argv)
    args.calculs = calculs
    fonction: Callable[[argparse.Namespace], int] = args.fonction
    try:
        return fonction(args)
    except KeyboardInterrupt:
        print("interrompu", file=sys.stderr)
        return 130
