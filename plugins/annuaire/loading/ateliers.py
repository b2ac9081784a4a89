"""Loading: workshop files (content/ateliers/*.yaml) into mappings that know their lines.

The same reader as entries (loading/entrees.py: size cap, no binary, UTF-8 only, and the YAML
traps closed by loading/yamlpos.py: aliases, duplicate keys, explicit tags), so a workshop file is
as safe to read as an entry. Top-level values are kept as written ("2026-12-12 14:00" stays a
text, never a UTC timestamp); validation/ateliers.py converts and checks them. Files are read as
texts first: what is made of a text may be kept between builds (domain/calcul.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from annuaire.domain.model import Probleme
from annuaire.loading.entrees import TAILLE_MAX, EntreeIlisible, decoder, fichiers_entrees, lire_mapping
from annuaire.loading.liens import LIEN_REFUSE, hors_du_depot
from annuaire.loading.yamlpos import MappingAvecLignes

SUFFIXES_ATELIERS = (".yaml", ".yml")
VIDE = "fichier vide : un atelier a au moins titre, lieu et debut"
ENCODAGE = "encodage invalide : enregistrez le fichier en UTF-8"
FICHIERS_MAX = 50_000  # workshop files read per build (a folder of a million files is a mistake)


def fichiers_ateliers(dossier: Path) -> list[Path]:
    """The workshop files of a folder and its subfolders, sorted (hidden and "_" files skipped)."""
    return [chemin for chemin in fichiers_entrees(dossier) if chemin.suffix in SUFFIXES_ATELIERS]


def _texte(chemin: Path, nom: str) -> str:
    """The file's text: refused when huge (before reading it), empty, binary or not UTF-8 (raise
    EntreeIlisible, with the line of a bad byte)."""
    if chemin.stat().st_size > TAILLE_MAX:
        message = f"fichier trop gros ({chemin.stat().st_size // 1024} Ko, maximum {TAILLE_MAX // 1024} Ko)"
        raise EntreeIlisible(Probleme(nom, 1, "", message))
    octets = chemin.read_bytes()
    if not octets.strip():
        raise EntreeIlisible(
            Probleme(nom, 1, "", "fichier vide : un atelier a au moins titre, lieu et debut")
        )
    return decoder(octets, nom, "un atelier")


def lire_atelier(chemin: Path, racine: Path) -> tuple[str | None, list[Probleme]]:
    """One workshop file's text; (None, [problem]) when it cannot be read (never raises)."""
    nom = chemin.relative_to(racine).as_posix()
    if os.path.islink(chemin) and hors_du_depot(chemin, racine):
        return None, [Probleme(nom, 1, "", LIEN_REFUSE)]
    try:
        return _texte(chemin, nom), []
    except EntreeIlisible as exc:
        return None, [exc.probleme]
    except OSError as exc:
        return None, [Probleme(nom, 1, "", f"lecture impossible : {exc.strerror}")]


def mapping_atelier(nom: str, texte: str) -> MappingAvecLignes:
    """A workshop file's text as a mapping with its keys' lines, read as entries are (aliases,
    duplicate keys and tags refused); raise EntreeIlisible."""
    donnees, _corps = lire_mapping(Path(nom), nom, texte.encode("utf-8"))
    return donnees


def lire_ateliers(dossier: Path, racine: Path) -> tuple[list[tuple[str, str]], list[Probleme]]:
    """(file name relative to `racine`, text) of every readable workshop file of `dossier`, in
    order, at most FICHIERS_MAX, and the problems of the unreadable ones."""
    lus, problemes = [], []
    fichiers = fichiers_ateliers(dossier)
    for chemin in fichiers[:FICHIERS_MAX]:
        texte, trouves = lire_atelier(chemin, racine)
        problemes += trouves
        if texte is not None:
            lus.append((chemin.relative_to(racine).as_posix(), texte))
    if len(fichiers) > FICHIERS_MAX:
        nom = dossier.relative_to(racine).as_posix()
        message = f"{len(fichiers)} fichiers : seuls les {FICHIERS_MAX} premiers sont lus"
        problemes.append(Probleme(nom, 1, "", message))
    return lus, problemes
