"""Loading: workshop files (content/ateliers/*.yaml) into mappings that know their lines.

The same reader as entries (loading/entrees.py: size cap, no binary, UTF-8 only, and the YAML
traps closed by loading/yamlpos.py: aliases, duplicate keys, explicit tags), so a workshop file is
as safe to read as an entry. Top-level values are kept as written ("2026-12-12 14:00" stays a
text, never a UTC timestamp); validation/ateliers.py converts and checks them.
"""

from __future__ import annotations

import os
from pathlib import Path

from annuaire.domain.model import Probleme
from annuaire.loading.entrees import TAILLE_MAX, EntreeIlisible, fichiers_entrees, lire_mapping
from annuaire.loading.liens import LIEN_REFUSE, hors_du_depot
from annuaire.loading.yamlpos import MappingAvecLignes

SUFFIXES_ATELIERS = (".yaml", ".yml")
FICHIERS_MAX = 5000  # workshop files read per build (a folder of a million files is a mistake)


def fichiers_ateliers(dossier: Path) -> list[Path]:
    """The workshop files of a folder and its subfolders, sorted (hidden and "_" files skipped)."""
    return [chemin for chemin in fichiers_entrees(dossier) if chemin.suffix in SUFFIXES_ATELIERS]


def _octets(chemin: Path, nom: str) -> bytes:
    """The file's bytes, refusing a huge one before reading it (raise EntreeIlisible)."""
    if chemin.stat().st_size > TAILLE_MAX:
        message = f"fichier trop gros ({chemin.stat().st_size // 1024} Ko, maximum {TAILLE_MAX // 1024} Ko)"
        raise EntreeIlisible(Probleme(nom, 1, "", message))
    octets = chemin.read_bytes()
    if not octets.strip():
        raise EntreeIlisible(
            Probleme(nom, 1, "", "fichier vide : un atelier a au moins titre, lieu et debut")
        )
    return octets


def lire_atelier(chemin: Path, racine: Path) -> tuple[MappingAvecLignes | None, list[Probleme]]:
    """One workshop file as a mapping with its keys' lines; (None, [problem]) when it cannot be
    read at all (never raises)."""
    nom = chemin.relative_to(racine).as_posix()
    if os.path.islink(chemin) and hors_du_depot(chemin, racine):
        return None, [Probleme(nom, 1, "", LIEN_REFUSE)]
    try:
        donnees, _corps = lire_mapping(chemin, nom, _octets(chemin, nom))
    except EntreeIlisible as exc:
        return None, [exc.probleme]
    except OSError as exc:
        return None, [Probleme(nom, 1, "", f"lecture impossible : {exc.strerror}")]
    return donnees, []


def lire_ateliers(dossier: Path, racine: Path) -> tuple[list[tuple[str, MappingAvecLignes]], list[Probleme]]:
    """(file name relative to `racine`, mapping) of every readable workshop file of `dossier`, in
    order, at most FICHIERS_MAX, and the problems of the unreadable ones."""
    lus, problemes = [], []
    fichiers = fichiers_ateliers(dossier)
    for chemin in fichiers[:FICHIERS_MAX]:
        donnees, trouves = lire_atelier(chemin, racine)
        problemes += trouves
        if donnees is not None:
            lus.append((chemin.relative_to(racine).as_posix(), donnees))
    if len(fichiers) > FICHIERS_MAX:
        nom = dossier.relative_to(racine).as_posix()
        message = f"{len(fichiers)} fichiers : seuls les {FICHIERS_MAX} premiers sont lus"
        problemes.append(Probleme(nom, 1, "", message))
    return lus, problemes
