"""Older vocabularies of the standard (schema 0.1.x, `;`-separated) mapped to v1.0.

The mapping follows the standard's history (see DESIGN.md, "Old vocabularies"). Each function
returns the new values and the old values it could not map, so that the importer can report them
instead of dropping them silently.
"""

from __future__ import annotations

from annuaire.domain.vocabulaire import MODALITES_ACCOMPAGNEMENT, SERVICES

SERVICES_V0: dict[str, str] = {
    "Réaliser des démarches administratives avec un accompagnement": "Aide aux démarches administratives",
    "Devenir autonome dans les démarches administratives": "Aide aux démarches administratives",
    "Accompagner les démarches de santé": "Aide aux démarches administratives",
    "Prendre en main un smartphone ou une tablette": "Maîtrise des outils numériques du quotidien",
    "Prendre en main un ordinateur": "Maîtrise des outils numériques du quotidien",
    "Utiliser le numérique au quotidien": "Maîtrise des outils numériques du quotidien",
    "Favoriser mon insertion professionnelle": "Insertion professionnelle via le numérique",
    "Créer et développer mon entreprise": "Insertion professionnelle via le numérique",
    "Soutenir la parentalité et l'éducation avec le numérique": "Parentalité et éducation avec le numérique",
    "Créer avec le numérique": "Loisirs et créations numériques",
    "Approfondir ma culture numérique": "Compréhension du monde numérique",
    "Promouvoir la citoyenneté numérique": "Compréhension du monde numérique",
    "Accéder à une connexion internet": "Accès internet et matériel informatique",
    "Accéder à du matériel": "Accès internet et matériel informatique",
    "S'équiper en matériel informatique": "Acquisition de matériel informatique à prix solidaire",
}

# publics_accueillis was split in two fields in v1.0.
PUBLICS_V0: dict[str, tuple[str, str]] = {
    "Jeunes (16-26 ans)": ("publics_specifiquement_adresses", "Jeunes"),
    "Étudiants": ("publics_specifiquement_adresses", "Étudiants"),
    "Familles/enfants": ("publics_specifiquement_adresses", "Familles et/ou enfants"),
    "Seniors (+ 65 ans)": ("publics_specifiquement_adresses", "Seniors"),
    "Femmes": ("publics_specifiquement_adresses", "Femmes"),
    "Personnes en situation d'illettrisme": ("prise_en_charge_specifique", "Illettrisme"),
    "Surdité": ("prise_en_charge_specifique", "Surdité"),
    "Déficience visuelle": ("prise_en_charge_specifique", "Déficience visuelle"),
    "Handicaps moteurs": ("prise_en_charge_specifique", "Handicaps moteurs"),
    # 0.1.x wrote "Handicaps mentaux : déficiences limitant les activités d'une personne".
    "Handicaps mentaux": ("prise_en_charge_specifique", "Handicaps mentaux"),
    "Public langues étrangères": ("prise_en_charge_specifique", "Langues étrangères (autres)"),
}
# Values that mean "everyone": they map to nothing, and are not worth a report.
PUBLICS_GENERAUX = frozenset({"Adultes", "Tout public"})

# conditions_acces became frais_a_charge; only the fee part has a v1.0 equivalent.
FRAIS_V0: dict[str, str] = {
    "Gratuit": "Gratuit",
    "Gratuit sous condition": "Gratuit sous condition",
    "Payant": "Payant",
}

MODALITES_ACCOMPAGNEMENT_V0: dict[str, str] = {
    "Seul": "En autonomie",
    "Avec de l'aide": "Accompagnement individuel",
    "Dans un atelier": "Dans un atelier collectif",
    "A ma place": "Accompagnement individuel",
    "À distance": "À distance",
}

# labels_nationaux became dispositif_programmes_nationaux (and formations_labels).
LABELS_V0: dict[str, tuple[str, str]] = {
    "CNFS": ("dispositif_programmes_nationaux", "Conseillers numériques"),
    "Conseillers numériques": ("dispositif_programmes_nationaux", "Conseillers numériques"),
    "France Services": ("dispositif_programmes_nationaux", "France Services"),
    "Aidants Connect": ("dispositif_programmes_nationaux", "Aidants Connect"),
    "PIX": ("dispositif_programmes_nationaux", "Certification PIX"),
    "Grande école du numérique": ("dispositif_programmes_nationaux", "Grande école du numérique"),
    "Point d'accès numérique CAF": ("dispositif_programmes_nationaux", "Point d'accès numérique CAF"),
    "Promeneurs du net": ("dispositif_programmes_nationaux", "Promeneurs du net"),
    "Fabriques de Territoire": ("formations_labels", "Fabriques de Territoire"),
}


def _tete(valeur: str) -> str:
    """Old values read "Gratuit : Je peux accéder…": the label is what stands before " : "."""
    return valeur.split(" : ", 1)[0].strip()


def _service(valeur: str) -> str | None:
    """One old or current service as its v1.0 value, or None."""
    return valeur if valeur in SERVICES else SERVICES_V0.get(valeur)


def _services_separes(valeur: str) -> list[str]:
    """Some 2022 files joined old services with ", "; split only when every part is a service."""
    parties = [p.strip() for p in valeur.split(",") if p.strip()]
    return parties if len(parties) > 1 and all(_service(p) for p in parties) else [valeur]


def convertir_services(valeurs: list[str]) -> tuple[list[str], list[str]]:
    """Old or current services -> (v1.0 services without repeats, unmapped old values)."""
    nouveaux: list[str] = []
    inconnus: list[str] = []
    for valeur in (p for v in valeurs for p in _services_separes(v)):
        cible = _service(valeur)
        if cible is None:
            inconnus.append(valeur)
        elif cible not in nouveaux:
            nouveaux.append(cible)
    return nouveaux, inconnus


def convertir_modalites_accompagnement(valeurs: list[str]) -> tuple[list[str], list[str]]:
    """Current or old ("Seul : j'ai accès…") modalities -> (v1.0 values, unmapped)."""
    table = dict(MODALITES_ACCOMPAGNEMENT_V0, **{v: v for v in MODALITES_ACCOMPAGNEMENT})
    return convertir_par_tete(valeurs, table)


def convertir_publics(valeurs: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """publics_accueillis -> ({field: values}, unmapped)."""
    champs: dict[str, list[str]] = {}
    inconnus: list[str] = []
    for valeur in valeurs:
        if valeur in PUBLICS_GENERAUX:
            continue
        champ_cible = PUBLICS_V0.get(valeur) or PUBLICS_V0.get(_tete(valeur))
        if champ_cible is None:
            inconnus.append(valeur)
            continue
        champ, cible = champ_cible
        if cible not in champs.setdefault(champ, []):
            champs[champ].append(cible)
    return champs, inconnus


def convertir_par_tete(valeurs: list[str], table: dict[str, str]) -> tuple[list[str], list[str]]:
    """Map values through `table` by their head ("Label : explanation"); report the rest."""
    nouveaux: list[str] = []
    inconnus: list[str] = []
    for valeur in valeurs:
        cible = table.get(valeur) or table.get(_tete(valeur))
        if cible is None:
            inconnus.append(valeur)
        elif cible not in nouveaux:
            nouveaux.append(cible)
    return nouveaux, inconnus


def convertir_labels(valeurs: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """labels_nationaux ("CNFS, France Services") -> ({field: values}, unmapped)."""
    champs: dict[str, list[str]] = {}
    inconnus: list[str] = []
    for groupe in valeurs:
        for valeur in (v.strip() for v in groupe.split(",") if v.strip()):
            champ_cible = LABELS_V0.get(valeur)
            if champ_cible is None:
                inconnus.append(valeur)
                continue
            champ, cible = champ_cible
            if cible not in champs.setdefault(champ, []):
                champs[champ].append(cible)
    return champs, inconnus
