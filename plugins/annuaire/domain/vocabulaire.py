"""The national standard's vocabularies, and those of our documented extensions.

Source: « schéma de données des lieux de médiation numérique » v1.0.2 (LaMednum/standard-mediation-num).
The strings below are the standard's exact values: entries are checked against them and the CSV export
writes them unchanged. The fields themselves (which one takes which list, patterns, labels) are
declared in champs.py. This module imports nothing of ours but typologies_reference.py (bottom of
the dependency graph).
"""

from __future__ import annotations

import re

from annuaire.domain.typologies_reference import MOTIF_PIVOT_REFERENCE, TYPOLOGIES_REFERENCE

SCHEMA_VERSION = "1.0.2"

SERVICES: tuple[str, ...] = (
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique",
    "Utilisation sécurisée du numérique",
    "Parentalité et éducation avec le numérique",
    "Loisirs et créations numériques",
    "Compréhension du monde numérique",
    "Accès internet et matériel informatique",
    "Acquisition de matériel informatique à prix solidaire",
)

PUBLICS: tuple[str, ...] = ("Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes")

PRISES_EN_CHARGE: tuple[str, ...] = (
    "Surdité",
    "Handicaps moteurs",
    "Handicaps mentaux",
    "Illettrisme",
    "Langues étrangères (anglais)",
    "Langues étrangères (autres)",
    "Déficience visuelle",
)

FRAIS: tuple[str, ...] = ("Gratuit", "Gratuit sous condition", "Payant")

DISPOSITIFS: tuple[str, ...] = (
    "Aidants Connect",
    "Bibliothèques numérique de référence",
    "Certification PIX",
    "Conseillers numériques",
    "Emmaüs Connect",
    "France Services",
    "Grande école du numérique",
    "La Croix Rouge",
    "Point d'accès numérique CAF",
    "Promeneurs du net",
    "Relais numérique (Emmaüs Connect)",
)

# v1.0.2's pattern spells "Étapes numériques(La Poste)" without a space, while its description and
# the reference library write "Étapes numériques (La Poste)". Entries may use either; the CSV export
# writes the pattern's spelling so that `frictionless validate` passes (see exports).
FORMATIONS_LABELS: tuple[str, ...] = (
    "Formé à « Mon Espace Santé »",
    "Formé à « DUPLEX » (illettrisme)",
    "Arnia/MedNum BFC (Bourgogne-Franche-Comté)",
    "Collectif ressources et acteurs réemploi (Normandie)",
    "Étapes numériques (La Poste)",
    "Fabriques de Territoire",
    "Les Éclaireurs du numérique (Drôme)",
    "Mes Papiers (Métropole de Lyon)",
    "ORDI 3.0",
    "SUD LABS (PACA)",
)
ETAPES_SCHEMA = "Étapes numériques(La Poste)"
ETAPES_USUEL = "Étapes numériques (La Poste)"

MODALITES_ACCES: tuple[str, ...] = (
    "Se présenter",
    "Téléphoner",
    "Contacter par mail",
    "Prendre un RDV en ligne",
    "Ce lieu n'accueille pas de public",
    "Envoyer un mail avec une fiche de prescription",
)

MODALITES_ACCOMPAGNEMENT: tuple[str, ...] = (
    "En autonomie",
    "Accompagnement individuel",
    "Dans un atelier collectif",
    "À distance",
)

ITINERANCE: tuple[str, ...] = ("Itinérant", "Fixe")

# data.inclusion's "typologies de structure", which the standard points to. The schema has no
# pattern for this field, so an unknown value is a warning, not an error.
TYPOLOGIES: dict[str, str] = {
    "ACI": "Atelier chantier d'insertion",
    "AFPA": "Agence nationale pour la formation professionnelle des adultes",
    "AI": "Association intermédiaire",
    "ASE": "Aide sociale à l'enfance",
    "ASSO": "Association",
    "BIB": "Bibliothèque / médiathèque",
    "CADA": "Centre d'accueil de demandeurs d'asile",
    "CAF": "Caisse d'allocations familiales",
    "CAP_EMPLOI": "Cap Emploi",
    "CC": "Communauté de communes",
    "CCAS": "Centre communal d'action sociale",
    "CCONS": "Chambre consulaire",
    "CD": "Conseil départemental",
    "CHRS": "Centre d'hébergement et de réinsertion sociale",
    "CHU": "Centre d'hébergement d'urgence",
    "CIAS": "Centre intercommunal d'action sociale",
    "CIDFF": "Centre d'information sur les droits des femmes et des familles",
    "CS": "Centre social",
    "DEETS": "Direction de l'économie, de l'emploi, du travail et des solidarités",
    "E2C": "École de la deuxième chance",
    "EA": "Entreprise adaptée",
    "EI": "Entreprise d'insertion",
    "EITI": "Entreprise d'insertion par le travail indépendant",
    "EPCI": "Intercommunalité",
    "EPN": "Espace public numérique",
    "ESAT": "Établissement et service d'aide par le travail",
    "ETTI": "Entreprise de travail temporaire d'insertion",
    "FABLAB": "Fablab",
    "FT": "France Travail",
    "GEIQ": "Groupement d'employeurs pour l'insertion et la qualification",
    "LA_POSTE": "La Poste",
    "MDE": "Maison de l'emploi",
    "MDPH": "Maison départementale des personnes handicapées",
    "MDS": "Maison départementale des solidarités",
    "MJC": "Maison des jeunes et de la culture",
    "ML": "Mission locale",
    "MQ": "Maison de quartier",
    "MSA": "Mutualité sociale agricole",
    "MUNI": "Mairie / service municipal",
    "OF": "Organisme de formation",
    "OPCS": "Organisme pour la cohésion sociale",
    "PE": "Pôle emploi",
    "PIJ_BIJ": "Point ou bureau information jeunesse",
    "PIMMS": "Point information médiation multi services",
    "PLIE": "Plan local pour l'insertion et l'emploi",
    "PREF": "Préfecture",
    "RFS": "France Services",
    "RS_FJT": "Résidence sociale / foyer de jeunes travailleurs",
    "SPIP": "Service pénitentiaire d'insertion et de probation",
    "TIERS_LIEUX": "Tiers-lieu",
    "UDAF": "Union départementale des associations familiales",
    "Autre": "Autre",
}
# Hook (issue 21): the typologies the reference library added (ESAT, MDH, FABRIQUE, RELAIS_LECTURE…).
TYPOLOGIES = {**TYPOLOGIES, **TYPOLOGIES_REFERENCE}

PRESENTATION_RESUME_MAX = 280
# The pivots the reference library reads (SIRET or RNA; RIDET and SIREN no longer): see exports.
PIVOT_REFERENCE = re.compile(MOTIF_PIVOT_REFERENCE)

# --- Our extensions (not in the standard; left out of the CSV, under "extensions" in JSON) ---

STATUTS: dict[str, str] = {
    "ouvert": "Ouvert",
    "ferme_temporairement": "Fermé temporairement",
    "ferme_definitivement": "Fermé définitivement",
    "a_verifier": "Informations à vérifier",
}

PRECISIONS: dict[str, str] = {
    "adresse": "à l'adresse",
    "rue": "à la rue près",
    "commune": "au centre de la commune (position approximative)",
}

# ISO 639-1 codes accepted for `langues`, with their French names.
LANGUES: dict[str, str] = {
    "fr": "français",
    "en": "anglais",
    "es": "espagnol",
    "it": "italien",
    "de": "allemand",
    "pt": "portugais",
    "ar": "arabe",
    "tr": "turc",
    "ru": "russe",
    "uk": "ukrainien",
    "ro": "roumain",
    "pl": "polonais",
    "zh": "chinois",
    "vi": "vietnamien",
    "fa": "persan",
    "ps": "pachto",
    "ku": "kurde",
    "hy": "arménien",
    "ka": "géorgien",
    "sq": "albanais",
    "so": "somali",
    "ti": "tigrigna",
    "am": "amharique",
    "wo": "wolof",
    "bm": "bambara",
    "ln": "lingala",
    "sw": "swahili",
    "ta": "tamoul",
    "bn": "bengali",
    "ur": "ourdou",
    "hi": "hindi",
    "ber": "berbère",
    "nl": "néerlandais",
    "el": "grec",
    "sr": "serbe",
    "hr": "croate",
    "bg": "bulgare",
    "he": "hébreu",
    "lsf": "langue des signes française",
}

# --- Plain-language labels (what the public reads; the data and the exports keep the values) ---
# Reviewed words for readers with few digital skills: short, concrete, no category jargon. Every
# value of the lists below has one (tests/test_recherche_mots.py checks it). No one-letter word
# ("à", "d'", "e-mail"): the sheets give these labels to the search index, and a one-letter word
# in the small index of an incremental build is a prefix Pagefind falls back on for any query word
# it does not extend (tests/test_recherche_incrementale.py's xfail).

LIBELLES_SERVICES: dict[str, str] = {
    "Aide aux démarches administratives": "Faire ses démarches en ligne (impôts, CAF, santé…)",
    "Maîtrise des outils numériques du quotidien": "Bien utiliser son ordinateur, son téléphone",
    "Insertion professionnelle via le numérique": "Chercher un emploi, faire un CV",
    "Utilisation sécurisée du numérique": "Se protéger sur internet (arnaques, mots de passe)",
    "Parentalité et éducation avec le numérique": "Accompagner ses enfants sur les écrans",
    "Loisirs et créations numériques": "Loisirs et création (photo, vidéo, jeux)",
    "Compréhension du monde numérique": "Comprendre le numérique et ses enjeux",
    "Accès internet et matériel informatique": "Utiliser un ordinateur, internet, une imprimante sur place",
    "Acquisition de matériel informatique à prix solidaire": (
        "Acheter un ordinateur ou un téléphone pas cher"
    ),
}

LIBELLES_PUBLICS: dict[str, str] = {
    "Jeunes": "Jeunes",
    "Étudiants": "Étudiants",
    "Familles et/ou enfants": "Familles, enfants",
    "Seniors": "Personnes âgées",
    "Femmes": "Femmes",
}

LIBELLES_PRISES_EN_CHARGE: dict[str, str] = {
    "Surdité": "Personnes sourdes ou malentendantes",
    "Handicaps moteurs": "Personnes en fauteuil, handicap moteur",
    "Handicaps mentaux": "Handicap mental ou psychique",
    "Illettrisme": "Difficultés pour lire ou écrire",
    "Langues étrangères (anglais)": "Aide en anglais",
    "Langues étrangères (autres)": "Aide dans une autre langue",
    "Déficience visuelle": "Personnes aveugles ou malvoyantes",
}

LIBELLES_FRAIS: dict[str, str] = {
    "Gratuit": "Gratuit",
    "Gratuit sous condition": "Gratuit sous conditions",
    "Payant": "Payant",
}

LIBELLES_MODALITES_ACCES: dict[str, str] = {
    "Se présenter": "Venir sans rendez-vous",
    "Téléphoner": "Appeler avant de venir",
    "Contacter par mail": "Écrire un courriel avant de venir",
    "Prendre un RDV en ligne": "Prendre rendez-vous sur internet",
    "Ce lieu n'accueille pas de public": "Pas ouvert au public",
    "Envoyer un mail avec une fiche de prescription": (
        "Sur orientation par un travailleur social (fiche par courriel)"
    ),
}

LIBELLES_MODALITES_ACCOMPAGNEMENT: dict[str, str] = {
    "En autonomie": "Seul, avec le matériel du lieu",
    "Accompagnement individuel": "Aide personnelle, une personne pour vous",
    "Dans un atelier collectif": "En atelier, en groupe",
    "À distance": "De chez vous (téléphone, visio)",
}
