"""Typologies the national map's reference library (@gouvfr-anct/lieux-de-mediation-numerique 2.3.0)
knows and the standard's schema file does not list yet, with their French labels.

The library added ESAT and MDH in December 2024, FABRIQUE and RELAIS_LECTURE in January 2025; the
other labels are data·inclusion's (its "typologies de structures", Licence Ouverte 2.0), in plainer
words. vocabulaire.py adds them to TYPOLOGIES. Like vocabulaire.py, this imports nothing of ours.
"""

from __future__ import annotations

TYPOLOGIES_REFERENCE: dict[str, str] = {
    "ACIPHC": "Atelier chantier d'insertion premières heures en chantier",
    "ASSO_CHOMEUR": "Association de chômeurs",
    "AVIP": "Crèche à vocation d'insertion professionnelle",
    "CAARUD": "Centre d'accueil et de réduction des risques pour usagers de drogues",
    "CAVA": "Centre d'adaptation à la vie active",
    "CDAS": "Centre départemental d'action sociale",
    "CFP": "Centre des finances publiques",
    "CITMET": "Cité des métiers",
    "CMP": "Centre médico-psychologique",
    "CMS": "Centre médico-social",
    "CPAM": "Caisse primaire d'assurance maladie",
    "CPH": "Centre provisoire d'hébergement",
    "CSAPA": "Centre de soins et de prévention en addictologie",
    "CSC": "Centre socio-culturel",
    "DEPT": "Services sociaux du département",
    "DIPLP": "Délégation interministérielle à la lutte contre la pauvreté",
    "EATT": "Entreprise adaptée de travail temporaire",
    "ENM": "Espace numérique mobile",
    "EPI": "Espace public internet",
    "EPIDE": "Établissement pour l'insertion dans l'emploi",
    "ES": "Épicerie solidaire",
    "ESAT": "Établissement et service d'aide par le travail",
    "ESS": "Entreprise de l'économie sociale et solidaire",
    "EVS": "Espace de vie sociale",
    "FABRIQUE": "Fabrique de territoire",
    "FAIS": "Fédération d'acteurs de l'insertion et de la solidarité",
    "HUDA": "Hébergement d'urgence pour demandeurs d'asile",
    "MDEF": "Maison de l'emploi et de la formation",
    "MDH": "Maison des habitants",
    "MSAP": "Maison de services au public",
    "OACAS": "Organisme d'accueil communautaire et d'activités solidaires",
    "ODC": "Organisation délégataire du département",
    "OIL": "Opérateur d'intermédiation locative",
    "PAD": "Point d'accès au droit",
    "PENSION": "Pension de famille, résidence accueil",
    "PI": "Point information",
    "PJJ": "Protection judiciaire de la jeunesse",
    "PREVENTION": "Service ou club de prévention",
    "REG": "Région",
    "RELAIS_LECTURE": "Relais lecture",
    "RESSOURCERIE": "Ressourcerie",
    "SCP": "Service ou club de prévention (SCP)",
}

# Old codes the library no longer reads, and the code it reads instead (as data·inclusion maps them).
TYPOLOGIES_REMPLACEES: dict[str, str] = {"PE": "FT"}

# SIRET (14 characters) or RNA ("W" + 9): the only pivots the library reads since it dropped RIDET
# (September 2025). The schema's pattern still allows any 9 to 14 letters and digits.
MOTIF_PIVOT_REFERENCE = r"^([a-zA-Z0-9]{14}|W[a-zA-Z0-9]{9})$"
