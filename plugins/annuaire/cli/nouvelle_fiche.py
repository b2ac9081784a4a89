"""Scaffold a new entry: every field of the standard, commented in French, slug from the name."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from annuaire.domain.formats import slugifier
from annuaire.domain.vocabulaire import (
    DISPOSITIFS,
    FORMATIONS_LABELS,
    FRAIS,
    MODALITES_ACCES,
    MODALITES_ACCOMPAGNEMENT,
    PRISES_EN_CHARGE,
    PUBLICS,
    SERVICES,
)


def _q(texte: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(texte, ensure_ascii=False)


def _choix(titre: str, valeurs: tuple[str, ...]) -> list[str]:
    """A commented list field: one `#   - value` line per allowed value."""
    return [f"# {titre}:   # gardez les valeurs utiles et enlevez leur #"] + [f"#   - {v}" for v in valeurs]


def texte_fiche(
    nom: str, adresse: str = "", code_postal: str = "", commune: str = "", aujourd_hui: dt.date | None = None
) -> str:
    """The YAML text of a new entry; required fields first, the rest commented."""
    jour = (aujourd_hui or dt.date.today()).isoformat()
    lignes = [
        "# Fiche d'un lieu de médiation numérique (standard national v1.0).",
        "# Vérifiez-la avec : make validate",
        "",
        "# --- Obligatoire ---",
        f"nom: {_q(nom)}",
        f"adresse: {_q(adresse)}          # numéro et rue",
        f"code_postal: {_q(code_postal)}  # 5 chiffres, entre guillemets",
        f"commune: {_q(commune)}",
        f"date_maj: {jour}     # date de la dernière vérification (AAAA-MM-JJ)",
        'source: ""        # qui a fourni ces informations (le lieu, un réseau, une collectivité)',
        "",
        "# --- Recommandé ---",
        '# pivot: "12345678900012"      # SIRET (14 chiffres) ou RNA de la structure',
        '# code_insee: "42218"',
        "# latitude: 45.4397            # copiez-la depuis adresse.data.gouv.fr",
        "# longitude: 4.3872",
        "# precision_coordonnees: adresse   # adresse, rue ou commune",
        "# telephone: 04 77 00 00 00",
        "# courriels:",
        "#   - contact@exemple.fr",
        "# site_web:",
        "#   - https://exemple.fr",
        "# horaires: Mo-Fr 09:00-12:00,14:00-17:00; PH off   # syntaxe OpenStreetMap",
        '# presentation_resume: "En une ou deux phrases (280 caractères au plus)."',
        '# presentation_detail: "Une présentation plus longue (ou renommez le fichier en .md)."',
        *_choix("services", SERVICES),
        *_choix("frais_a_charge", FRAIS),
        *_choix("modalites_acces", MODALITES_ACCES),
        *_choix("modalites_accompagnement", MODALITES_ACCOMPAGNEMENT),
        *_choix("publics_specifiquement_adresses", PUBLICS),
        *_choix("prise_en_charge_specifique", PRISES_EN_CHARGE),
        *_choix("dispositif_programmes_nationaux", DISPOSITIFS),
        *_choix("formations_labels", FORMATIONS_LABELS),
        "# typologie: [ASSO]             # voir vocabulaire.TYPOLOGIES",
        '# complement_adresse: ""',
        "# itinerance: [Fixe]            # Fixe ou Itinérant",
        '# structure_parente: ""',
        "# autres_formations_labels: []",
        "# fiche_acces_libre: https://acceslibre.beta.gouv.fr/…",
        "# prise_rdv: https://…",
        "",
        "# --- Extensions de l'annuaire (hors standard) ---",
        "# reseaux: [slug-du-reseau]    # fichiers de content/reseaux/",
        "# langues: [fr]                 # codes ISO 639-1",
        "# statut: ouvert                # ouvert, ferme_temporairement, ferme_definitivement, a_verifier",
        '# maintenu_par: ""',
        "# references:",
        '#   - "d\'où viennent ces informations"',
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
