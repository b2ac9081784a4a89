"""Reading and checking besoins.yaml (domain/besoins.py says what it is).

Every problem is `file:line: field: message` (a Probleme) and a vocabulary with errors is not used:
the build stops on them like on an entry's errors. The file is written by contributors: sizes are
bounded and every value is checked against the standard's lists.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from annuaire.domain import besoins as b
from annuaire.domain import vocabulaire as v
from annuaire.domain.model import Probleme
from annuaire.domain.texte import citer
from annuaire.loading.yamlpos import ErreurYaml, MappingAvecLignes, charger_yaml

CHEMIN = Path(b.__file__).with_name(b.FICHIER)
TAILLE_MAX = 200_000  # bytes: the reviewed file is about 5 KB
CLES = ("libelle", "icone", "services", "publics", "dispositifs", "mots")
LONGUEUR_MAX = 80  # characters of one word or label
MOTS_MAX = 2_000  # words in all: every sheet's hidden paragraph holds its needs' words


class _Lecture:
    """The problems found so far, all at one file's path."""

    def __init__(self, chemin: str):
        self.chemin, self.problemes = chemin, []

    def erreur(self, ligne: int, champ: str, message: str) -> None:
        """Record one error."""
        self.problemes.append(Probleme(self.chemin, ligne, champ, message))


def _textes(lecture: _Lecture, valeur, ligne: int, champ: str) -> tuple[str, ...]:
    """A list of short texts (one text alone is a list of one); an error for anything else."""
    valeurs = [valeur] if isinstance(valeur, str) else valeur
    if not isinstance(valeurs, list) or not all(isinstance(x, str) and x.strip() for x in valeurs):
        lecture.erreur(ligne, champ, "écrivez une liste de mots, par exemple [impôts, impots]")
        return ()
    for texte in valeurs:
        if len(texte) > LONGUEUR_MAX:
            lecture.erreur(
                ligne, champ, f"« {citer(texte[:40])}… » est trop long ({LONGUEUR_MAX} caractères au plus)"
            )
    return tuple(x.strip() for x in valeurs)


def _du_standard(
    lecture: _Lecture, valeurs: tuple[str, ...], permises: tuple[str, ...], ligne: int, champ: str
):
    """Values of one of the standard's lists, with "vouliez-vous dire" for a near miss."""
    for valeur in valeurs:
        if valeur not in permises:
            proche = difflib.get_close_matches(valeur, permises, n=1, cutoff=0.6)
            indice = (
                f" ; vouliez-vous dire « {proche[0]} » ?"
                if proche
                else f" ; valeurs possibles : {', '.join(permises)}"
            )
            lecture.erreur(ligne, champ, f"« {citer(valeur)} » n'est pas une valeur du standard{indice}")
    return valeurs


# The lists of a need that take the standard's values: (key, allowed values).
LISTES_DU_STANDARD = (("services", v.SERVICES), ("publics", v.PUBLICS), ("dispositifs", v.DISPOSITIFS))


def _verifier_cles(lecture: _Lecture, donnees: MappingAvecLignes, ligne: int) -> None:
    """Errors for unknown keys, a missing label and an unknown icon."""
    for cle in donnees:
        if cle not in CLES:
            lecture.erreur(
                donnees.lignes.get(cle, ligne),
                str(cle),
                f"champ inconnu ; champs possibles : {', '.join(CLES)}",
            )
    libelle, icone = donnees.get("libelle"), donnees.get("icone") or ""
    if not isinstance(libelle, str) or not libelle.strip():
        lecture.erreur(ligne, "libelle", "indiquez ce que lit le public, par exemple « Imprimer, scanner »")
    if icone and icone not in b.ICONES:
        message = f"« {citer(icone)} » inconnue ; icônes possibles : {', '.join(b.ICONES)}"
        lecture.erreur(donnees.lignes.get("icone", ligne), "icone", message)


def _besoin(lecture: _Lecture, donnees, ligne: int) -> b.Besoin | None:
    """One need from its mapping, or None (with errors) when it cannot be used."""
    if not isinstance(donnees, MappingAvecLignes):
        lecture.erreur(ligne, "besoins", "chaque besoin s'écrit « - libelle: … » suivi de ses champs")
        return None
    _verifier_cles(lecture, donnees, ligne)
    listes = {}
    for cle, permises in LISTES_DU_STANDARD:
        ligne_cle = donnees.lignes.get(cle, ligne)
        textes = _textes(lecture, donnees.get(cle, []), ligne_cle, cle)
        listes[cle] = _du_standard(lecture, textes, permises, ligne_cle, cle)
    mots = _textes(lecture, donnees.get("mots"), donnees.lignes.get("mots", ligne), "mots")
    if not any(listes.values()):
        lecture.erreur(
            ligne, "services", "indiquez au moins un service, un public ou un dispositif du standard"
        )
    if not mots:
        lecture.erreur(donnees.lignes.get("mots", ligne), "mots", "indiquez au moins un mot")
    libelle, icone = str(donnees.get("libelle") or "").strip(), str(donnees.get("icone") or "")
    return b.Besoin(libelle, icone, listes["services"], listes["publics"], mots, listes["dispositifs"])


def _vocabulaire(lecture: _Lecture, donnees) -> b.VocabulaireBesoins:
    """The vocabulary from the document's top mapping."""
    if not isinstance(donnees, MappingAvecLignes) or not isinstance(donnees.get("besoins"), list):
        lecture.erreur(1, "besoins", "le fichier commence par « besoins: » suivi de la liste des besoins")
        return b.VocabulaireBesoins()
    ligne = donnees.lignes.get("besoins", 1)
    besoins = [
        _besoin(lecture, x, getattr(x, "lignes", {}).get("libelle", ligne)) for x in donnees["besoins"]
    ]
    if sum(len(x.mots) for x in besoins if x is not None) > MOTS_MAX:
        lecture.erreur(ligne, "mots", f"trop de mots ({MOTS_MAX} au plus en tout)")
    vides = _textes(lecture, donnees.get("mots_vides", []), donnees.lignes.get("mots_vides", 1), "mots_vides")
    return b.VocabulaireBesoins(tuple(x for x in besoins if x is not None), vides)


def lire_besoins(texte: str, chemin: str) -> tuple[b.VocabulaireBesoins, list[Probleme]]:
    """The vocabulary in `texte` (shown as `chemin` in problems) and its problems; an empty
    vocabulary when there is any error."""
    lecture = _Lecture(chemin)
    if len(texte.encode("utf-8")) > TAILLE_MAX:
        lecture.erreur(1, "besoins", f"fichier trop gros ({TAILLE_MAX // 1000} Ko au plus)")
        return b.VocabulaireBesoins(), lecture.problemes
    try:
        vocabulaire = _vocabulaire(lecture, charger_yaml(texte))
    except ErreurYaml as exc:
        lecture.erreur(exc.ligne, exc.champ or "besoins", exc.message)
        return b.VocabulaireBesoins(), lecture.problemes
    return (b.VocabulaireBesoins() if lecture.problemes else vocabulaire), lecture.problemes


def charger_besoins(
    chemin: Path = CHEMIN, racine: Path | None = None
) -> tuple[b.VocabulaireBesoins, list[Probleme]]:
    """Read `chemin` (the package's besoins.yaml by default); problems name it relative to
    `racine` when it is inside."""
    nom = str(chemin.relative_to(racine)) if racine and chemin.is_relative_to(racine) else str(chemin)
    try:
        texte = chemin.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return b.VocabulaireBesoins(), [Probleme(nom, 1, "besoins", f"fichier illisible : {citer(exc)}")]
    return lire_besoins(texte, nom)
