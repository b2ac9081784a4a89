"""Loading: entry files (YAML, or Markdown with YAML front matter) into records with positions.

Nothing here raises on bad input: every problem becomes a `Probleme` with file, line and field, and
loading goes on with the next file, so that a contributor sees all problems at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path

from annuaire.domain.champs import CHAMPS_CONNUS, DATES, MULTIPLES, NOMBRES
from annuaire.domain.formats import slugifier
from annuaire.domain.model import AVERTISSEMENT, Lieu, Probleme, Reseau
from annuaire.domain.texte import citer
from annuaire.loading.liens import LIEN_REFUSE, hors_du_depot
from annuaire.loading.yamlpos import ErreurYaml, MappingAvecLignes, charger_yaml

TAILLE_MAX = 256 * 1024  # an entry is a few KB; anything this large is a mistake
SUFFIXES = (".yaml", ".yml", ".md")
# Values YAML may type (numbers, dates); every other top-level value is read as written ("01000").
_TYPEES = NOMBRES | DATES


class EntreeIlisible(Exception):
    """An entry file that cannot be read at all; carries the problem to report."""

    def __init__(self, probleme: Probleme):
        super().__init__(str(probleme))
        self.probleme = probleme


def _texte(chemin: Path, nom: str, octets: bytes | None = None) -> str:
    """Read a file (or its `octets`, already read) as UTF-8 text, refusing binaries, huge files and
    other encodings."""
    donnees = chemin.read_bytes() if octets is None else octets
    if len(donnees) > TAILLE_MAX:
        taille = f"{len(donnees) // 1024} Ko"
        raise EntreeIlisible(Probleme(nom, 1, "", f"fichier trop gros ({taille}, maximum 256 Ko)"))
    return decoder(donnees, nom, "une fiche")


def decoder(octets: bytes, nom: str, quoi: str) -> str:
    """A file's bytes as UTF-8 text (a leading BOM dropped); a binary or another encoding raises
    EntreeIlisible, with the line of the bad byte. `quoi` names what the file is ("une fiche")."""
    if b"\x00" in octets:
        raise EntreeIlisible(Probleme(nom, 1, "", f"fichier binaire : {quoi} est un texte YAML"))
    try:
        return octets.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ligne = octets[: exc.start].count(b"\n") + 1
        message = "encodage invalide : enregistrez le fichier en UTF-8"
        raise EntreeIlisible(Probleme(nom, ligne, "", message)) from None


def _separer_front_matter(texte: str, nom: str) -> tuple[str, str, int]:
    """Split "---\\nYAML\\n---\\nbody" into (yaml, body, line offset of the YAML)."""
    lignes = texte.splitlines(keepends=True)
    if not lignes or lignes[0].strip() != "---":
        message = "une fiche Markdown commence par une ligne « --- » suivie des champs YAML"
        raise EntreeIlisible(Probleme(nom, 1, "", message))
    for i, ligne in enumerate(lignes[1:], start=1):
        if ligne.strip() in ("---", "..."):
            return "".join(lignes[1:i]), "".join(lignes[i + 1 :]), 1
    raise EntreeIlisible(Probleme(nom, 1, "", "la ligne « --- » qui ferme les champs YAML manque"))


def lire_mapping(chemin: Path, nom: str, octets: bytes | None = None) -> tuple[MappingAvecLignes, str]:
    """Read an entry file (or its `octets`) into (mapping with key lines, Markdown body). Raise
    EntreeIlisible."""
    texte = _texte(chemin, nom, octets)
    decalage, corps = 0, ""
    if chemin.suffix == ".md":
        texte, corps, decalage = _separer_front_matter(texte, nom)
    if not texte.strip():
        raise EntreeIlisible(Probleme(nom, 1, "", "fichier vide : une fiche contient au moins « nom »"))
    try:
        donnees = charger_yaml(texte, _TYPEES)
    except ErreurYaml as exc:
        raise EntreeIlisible(Probleme(nom, exc.ligne + decalage, exc.champ, exc.message)) from None
    if not isinstance(donnees, MappingAvecLignes):
        genre = "une liste" if isinstance(donnees, list) else "une valeur seule"
        message = f"le fichier contient {genre} ; une fiche est une suite de « champ: valeur »"
        raise EntreeIlisible(Probleme(nom, 1, "", message))
    donnees.lignes = {k: v + decalage for k, v in donnees.lignes.items()}
    return donnees, corps


def _suggestion(champ: str) -> str:
    """A "did you mean" hint for an unknown field name."""
    proches = difflib.get_close_matches(champ, sorted(CHAMPS_CONNUS), n=1, cutoff=0.6)
    return f" ; vouliez-vous dire « {proches[0]} » ?" if proches else ""


def _en_texte(valeur) -> str | None:
    """A scalar as stripped text, or None for a list or mapping."""
    if isinstance(valeur, (list, dict)):
        return None
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    return "" if valeur is None else str(valeur).strip()


def _convertir_liste(valeur) -> list[str] | None:
    """A YAML list (or a lone string, split on "|") as a list of texts; None when not possible."""
    if valeur is None:
        return []
    if not isinstance(valeur, list):
        texte = _en_texte(valeur)
        return None if texte is None else [t.strip() for t in texte.split("|") if t.strip()]
    textes = [_en_texte(v) for v in valeur]
    return None if any(t is None for t in textes) else [t for t in textes if t]


def _convertir_nombre(valeur) -> float | None:
    """A number, or a text holding one (with a comma or a dot); raise ValueError otherwise (a
    number too large for a float, or written with hundreds of digits, is not a coordinate)."""
    if isinstance(valeur, bool) or len(texte := str(valeur).strip()) > 40:
        raise ValueError
    try:
        return float(valeur) if isinstance(valeur, (int, float)) else float(texte.replace(",", "."))
    except OverflowError:
        raise ValueError from None


def _convertir_date(valeur) -> dt.date:
    """A YAML date, or an ISO text "AAAA-MM-JJ"."""
    if isinstance(valeur, dt.datetime):
        return valeur.date()
    if isinstance(valeur, dt.date):
        return valeur
    return dt.date.fromisoformat(str(valeur).strip())


def _convertir(champ: str, valeur):
    """Convert one raw value to the model's type; raise ValueError with a French reason."""
    if champ in MULTIPLES:
        liste = _convertir_liste(valeur)
        if liste is None:
            raise ValueError("attendu : une liste de textes (une valeur par ligne « - … »)")
        return liste
    if valeur is None or valeur == "":
        return None
    if champ in NOMBRES:
        try:
            return _convertir_nombre(valeur)
        except ValueError:
            raise ValueError(f"« {citer(valeur)} » n'est pas un nombre décimal (ex. 45.4397)") from None
    if champ in DATES:
        try:
            return _convertir_date(valeur)
        except ValueError:
            raise ValueError(f"« {citer(valeur)} » n'est pas une date AAAA-MM-JJ") from None
    texte = _en_texte(valeur)
    if texte is None:
        raise ValueError("attendu : une seule valeur texte, pas une liste")
    return texte


def lieu_depuis_mapping(
    donnees: dict, lignes: dict[str, int], nom: str, corps: str = "", slug: str = ""
) -> tuple[Lieu, list[Probleme]]:
    """Build a Lieu from a raw mapping; unknown fields and wrong types become problems. With a
    `slug`, the place has it, and it is its id when the mapping gives none."""
    valeurs, problemes = _valeurs_du_mapping(donnees, lignes, nom)
    if slug:
        valeurs.update(slug=slug, id=valeurs.get("id") or slug)
    return Lieu(chemin=nom, lignes=dict(lignes), corps_markdown=corps.strip(), **valeurs), problemes


def _valeurs_du_mapping(donnees: dict, lignes: dict[str, int], nom: str) -> tuple[dict, list[Probleme]]:
    """The known fields of a raw mapping converted to the model's types, and the problems."""
    valeurs: dict[str, object] = {}
    problemes: list[Probleme] = []
    for champ, valeur in donnees.items():
        ligne = lignes.get(champ, 1)
        if champ not in CHAMPS_CONNUS:
            message = f"champ inconnu{_suggestion(champ)}"
            problemes.append(Probleme(nom, ligne, champ, message))
            continue
        try:
            converti = _convertir(champ, valeur)
        except ValueError as exc:
            problemes.append(Probleme(nom, ligne, champ, str(exc)))
            continue
        if converti is not None:
            valeurs[champ] = converti
    return valeurs, problemes


def _slug_du_fichier(chemin: Path) -> str:
    return slugifier(chemin.stem) or "lieu"


def charger_lieu(
    chemin: Path, racine: Path, octets: bytes | None = None
) -> tuple[Lieu | None, list[Probleme]]:
    """Load one entry file (from its `octets` when already read); (None, [problem]) when it cannot
    be read at all."""
    nom = chemin.relative_to(racine).as_posix()
    if os.path.islink(chemin) and hors_du_depot(chemin, racine):  # one lstat per entry on the hot path
        return None, [Probleme(nom, 1, "", LIEN_REFUSE)]
    try:
        donnees, corps = lire_mapping(chemin, nom, octets)
    except EntreeIlisible as exc:
        return None, [exc.probleme]
    except OSError as exc:
        return None, [Probleme(nom, 1, "", f"lecture impossible : {exc.strerror}")]
    lieu, problemes = lieu_depuis_mapping(donnees, donnees.lignes, nom, corps, _slug_du_fichier(chemin))
    if corps.strip() and lieu.presentation_detail:
        message = "décrit deux fois : gardez le texte sous les « --- » ou ce champ, pas les deux"
        ligne = lieu.ligne("presentation_detail")
        problemes.append(Probleme(nom, ligne, "presentation_detail", message, AVERTISSEMENT))
    return lieu, problemes


def fichiers_entrees(dossier: Path) -> list[Path]:
    """Entry files of a folder and its subfolders, sorted for a deterministic build (hidden files
    skipped). os.walk rather than Path.rglob: a third of the time on 30,000 files."""
    if not dossier.is_dir():
        return []
    fichiers: list[str] = []
    for racine, _dossiers, noms in os.walk(dossier):
        visibles = (
            os.path.join(racine, nom)
            for nom in noms
            if nom.endswith(SUFFIXES) and not nom.startswith((".", "_"))
        )
        fichiers += [chemin for chemin in visibles if os.path.isfile(chemin)]
    # Sorted as paths (folder by folder), but on strings: comparing 30,000 Path objects took 0.3 s.
    return [Path(chemin) for chemin in sorted(fichiers, key=lambda chemin: chemin.split(os.sep))]


def rassembler(lus) -> tuple[list[Lieu], list[Probleme]]:
    """(places, problems) of the (place or None, problems) of each entry, in the entries' order."""
    lieux: list[Lieu] = []
    problemes: list[Probleme] = []
    for lieu, trouves in lus:
        problemes.extend(trouves)
        if lieu is not None:
            lieux.append(lieu)
    return lieux, problemes


def charger_lieux(dossier: Path, racine: Path) -> tuple[list[Lieu], list[Probleme]]:
    """Load every entry of content/lieux/ (the build reuses the entries read by earlier builds:
    build/entrees.py)."""
    return rassembler(charger_lieu(chemin, racine) for chemin in fichiers_entrees(dossier))


_CHAMPS_RESEAU = {"nom", "description", "coordination", "site_web", "references"}


def _reseau(donnees: MappingAvecLignes, nom: str, slug: str, corps: str) -> tuple[Reseau, list[Probleme]]:
    """Build a Reseau from its mapping (its description, when it has none, is the file's Markdown
    body), reporting unknown fields and wrong types. The record is frozen: made once, at the end."""
    valeurs: dict[str, object] = {"nom": ""}
    problemes = []
    for champ, valeur in donnees.items():
        ligne = donnees.lignes.get(champ, 1)
        if champ not in _CHAMPS_RESEAU:
            proches = difflib.get_close_matches(champ, sorted(_CHAMPS_RESEAU), n=1)
            indice = f" ; vouliez-vous dire « {proches[0]} » ?" if proches else ""
            problemes.append(Probleme(nom, ligne, champ, f"champ inconnu{indice}"))
            continue
        converti = _convertir_liste(valeur) if champ in ("coordination", "references") else _en_texte(valeur)
        if converti is None:
            problemes.append(Probleme(nom, ligne, champ, "type de valeur inattendu"))
            continue
        valeurs[champ] = converti
    valeurs["description"] = valeurs.get("description") or corps.strip()
    return Reseau(slug=slug, chemin=nom, lignes=dict(donnees.lignes), **valeurs), problemes


def charger_reseaux(dossier: Path, racine: Path) -> tuple[list[Reseau], list[Probleme]]:
    """Load every network of content/reseaux/."""
    reseaux, problemes = [], []
    for chemin in fichiers_entrees(dossier):
        nom = chemin.relative_to(racine).as_posix()
        if os.path.islink(chemin) and hors_du_depot(chemin, racine):  # one lstat per entry on the hot path
            problemes.append(Probleme(nom, 1, "", LIEN_REFUSE))
            continue
        try:
            donnees, corps = lire_mapping(chemin, nom)
        except EntreeIlisible as exc:
            problemes.append(exc.probleme)
            continue
        reseau, trouves = _reseau(donnees, nom, _slug_du_fichier(chemin), corps)
        reseaux.append(reseau)
        problemes.extend(trouves)
    return reseaux, problemes
