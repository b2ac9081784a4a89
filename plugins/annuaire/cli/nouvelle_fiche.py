"""Scaffold a new entry: every field of the registry, commented in French, slug from the name."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from annuaire.domain.champs import DATE, REGISTRE, Champ
from annuaire.domain.formats import slugifier


def _q(texte: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(texte, ensure_ascii=False)


def _commentaire(champ: Champ) -> str:
    """The field's scaffold comment ("  # …"), "recommandé" first when it is; "" when none."""
    texte = "; ".join(filter(None, ["recommandé" if champ.recommande else "", champ.commentaire]))
    return f"  # {texte}" if texte else ""


def _choix(champ: Champ) -> list[str]:
    """A commented closed list: one `#   - value` line per allowed value."""
    titre = f"# {champ.nom}:   # gardez les valeurs utiles et enlevez leur #"
    if champ.recommande:
        titre += " (recommandé)"
    return [titre] + [f"#   - {valeur}" for valeur in champ.valeurs]


def _facultatif(champ: Champ) -> list[str]:
    """The commented lines of an optional field, from its registry row."""
    if champ.multiple and champ.standard and champ.ferme:
        return _choix(champ)
    if champ.multiple:
        if not champ.modele:
            return [f"# {champ.nom}: []{_commentaire(champ)}"]
        return [f"# {champ.nom}:{_commentaire(champ)}", f"#   - {champ.modele}"]
    return [f"# {champ.nom}: {champ.modele or _q('')}{_commentaire(champ)}"]


def _obligatoire(champ: Champ, valeurs: dict[str, str]) -> str:
    """The filled-in line of a field every entry has (a date unquoted: YAML reads it as a date)."""
    valeur = valeurs.get(champ.nom, "")
    return f"{champ.nom}: {valeur if champ.genre == DATE else _q(valeur)}{_commentaire(champ)}"


def _a_proposer(champ: Champ) -> bool:
    """False for fields a contributor never writes (the identifier is made from the file name)."""
    return bool(champ.modele or champ.commentaire or champ.valeurs)


def texte_fiche(
    nom: str, adresse: str = "", code_postal: str = "", commune: str = "", aujourd_hui: dt.date | None = None
) -> str:
    """The YAML text of a new entry, from the field registry: the fields every entry has first, then
    the standard's other fields and our extensions, commented, each in priority order."""
    jour = (aujourd_hui or dt.date.today()).isoformat()
    valeurs = {
        "nom": nom,
        "adresse": adresse,
        "code_postal": code_postal,
        "commune": commune,
        "date_maj": jour,
    }
    champs = REGISTRE.tries()
    obligatoires = [c for c in champs if c.requis or c.demande]
    autres = [c for c in champs if c not in obligatoires and _a_proposer(c)]
    lignes = [
        "# Fiche d'un lieu de médiation numérique (standard national v1.0).",
        "# Vérifiez-la avec : make validate",
        "",
        "# --- Obligatoire ---",
        *(_obligatoire(c, valeurs) for c in obligatoires),
        "",
        "# --- Facultatif : enlevez le # des champs que vous remplissez ---",
        *(ligne for c in autres if c.standard for ligne in _facultatif(c)),
        "",
        "# --- Extensions de l'annuaire (hors standard) ---",
        *(ligne for c in autres if not c.standard for ligne in _facultatif(c)),
    ]
    return "\n".join(lignes) + "\n"


def creer_fiche(dossier: Path, nom: str, **champs: str) -> Path:
    """Write content/lieux/SLUG.yaml for `nom`; raise FileExistsError if it exists."""
    slug = slugifier(nom)
    if not slug:
        raise ValueError(f"« {nom} » : le nom doit contenir au moins une lettre ou un chiffre")
    chemin = dossier / f"{slug}.yaml"
    if chemin.exists() or chemin.with_suffix(".md").exists():
        raise FileExistsError(f"{chemin} existe déjà : modifiez-le, ou choisissez un autre nom")
    dossier.mkdir(parents=True, exist_ok=True)
    chemin.write_text(texte_fiche(nom, **champs), encoding="utf-8")
    return chemin
