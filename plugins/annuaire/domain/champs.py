"""The field registry: every field of an entry, declared once, with everything the code needs to know.

Each `Champ` row says what a field is (kind, single or multiple, closed list or pattern), how it is
shown (French label, place on the sheet, facet), how it is exported (a column of the national
standard, or an extension under "extensions" in JSON and out of the CSV) and how it is entered (the
scaffold comment of `make nouveau`, the widget of the /proposer/ form). The record model, the
loader, the value checks, the exports, the importer, the scaffold, the form and the sheet's generic
list derive from it: adding a field is one row here (plus, if it needs one, a template line).

Like Python-Markdown's registries, rows are found by name and carry a priority: `REGISTRE.tries()`
gives them by priority (highest first), the order in which the sheet, the form and the scaffold
show them. Iterating the registry gives the declaration order: the standard's 32 columns in the
schema's order (the CSV keeps it), then our extensions.

Everything derived (tuples, frozensets, dicts) is computed once at import: hot loops over 30,000
places read them, never the rows. This module imports nothing of ours but the vocabularies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from annuaire.domain import vocabulaire as v

# Kinds of value (`Champ.genre`): how a raw value is converted, checked and typed in the model.
TEXTE = "texte"
NOMBRE = "nombre"
DATE = "date"
URL = "url"
COURRIEL = "courriel"
TELEPHONE = "telephone"

ERREUR = "erreur"
AVERTISSEMENT = "avertissement"

# Message of a value outside a field's closed list: {valeur}, {indice} (" ; vouliez-vous dire « … » ?"
# or "") and {possibles} (the allowed values, comma-separated) are filled in by the validation.
HORS_STANDARD = "« {valeur} » n'est pas une valeur du standard{indice}"

# Widgets of the /proposer/ form (`Champ.formulaire`).
SAISIE = "saisie"  # one text input (the template writes it, with its autocomplete hints)
SAISIE_LISTE = "saisie_liste"  # one text input whose value is a list of one
CASES = "cases"  # one checkbox (a radio button for a single field) per allowed value, generated


@dataclass(frozen=True)
class Champ:
    """One field of an entry. Only `nom` and `libelle` are required; the rest says what applies."""

    nom: str
    libelle: str  # plain French words for the public (sheet, form, facet by default)
    genre: str = TEXTE
    multiple: bool = False  # a YAML list in entries, "|" between values in the CSV
    valeurs: Mapping[str, str] | tuple[str, ...] = ()  # closed list: (values) or {value: label}
    aussi: tuple[str, ...] = ()  # other accepted spellings, never proposed
    # Plain words the public reads for a value (sheet, facets, cards); data and exports keep the value.
    libelles_simples: Mapping[str, str] | tuple = ()
    inconnu: str = ""  # message for a value outside `valeurs` (see HORS_STANDARD)
    inconnu_gravite: str = ERREUR  # AVERTISSEMENT: an open list (the schema has no pattern)
    suggerer: bool = True  # add "vouliez-vous dire" to `inconnu`
    motif: re.Pattern[str] | None = None  # the standard's pattern
    format_attendu: str = ""  # French words for the pattern, when the generic check applies it
    longueur_max: int = 0
    texte_libre: bool = False  # free text: no formula, tag or invisible character
    standard: bool = True  # a column of the national schema
    exporte: bool = True  # an extension written under "extensions" in the JSON export
    requis: bool = False  # required by the standard
    demande: bool = False  # asked of every contributor although the standard does not require it
    recommande: int = 0  # rank in the "recommended fields missing" warning (0: not recommended)
    defaut: object = None  # model default when not "" / [] / None; left out of written entries
    priorite: int = 0  # display order on the sheet, the form and the scaffold (highest first)
    fiche: bool = False  # listed by the sheet's generic "Accueil" list
    libelle_fiche: str = ""  # label on the sheet when not `libelle`; rows sharing one are merged
    facette: str = ""  # key of the facet (search, map, URL) made of this field's values
    libelle_facette: str = ""
    priorite_facette: int = 0  # order among facets (highest first), see facettes.py
    facette_ordonnee: bool = False  # the facet shows values in the list's order (else by count)
    modele: str = ""  # example value of the scaffold (`make nouveau`)
    commentaire: str = ""  # French comment of the scaffold
    formulaire: str = ""  # widget of the /proposer/ form (SAISIE, SAISIE_LISTE, CASES) or ""
    manque: str = ""  # what the form asks for when missing ("le nom" -> "Indiquez le nom.")
    verifications: tuple[str, ...] = ()  # specialised checks (names in validation.regles)
    anciens_noms: tuple[str, ...] = ()  # names other sources or versions give it (the importer renames)

    def __post_init__(self) -> None:
        # A closed list may be written as a tuple of values (their own labels, as the standard's
        # lists) or a {value: label} dict; either is kept read-only.
        valeurs = self.valeurs
        if not isinstance(valeurs, Mapping):
            valeurs = {valeur: valeur for valeur in valeurs}
        object.__setattr__(self, "valeurs", MappingProxyType(dict(valeurs)))
        object.__setattr__(self, "libelles_simples", MappingProxyType(dict(self.libelles_simples)))

    @property
    def ferme(self) -> bool:
        """True for a closed list whose other values are errors (the standard's patterns)."""
        return bool(self.valeurs) and self.inconnu_gravite == ERREUR

    @property
    def acceptees(self) -> tuple[str, ...]:
        """Every accepted value of a closed list (its values, then other spellings), in order."""
        return tuple(self.valeurs) + self.aussi

    @property
    def vide(self) -> object:
        """The model's value of a field never filled in."""
        if self.defaut is not None:
            return self.defaut
        return [] if self.multiple else (None if self.genre in (NOMBRE, DATE) else "")


class Registre:
    """Fields by name, each with a priority (the pattern of Python-Markdown's `util.Registry`)."""

    def __init__(self, champs: tuple[Champ, ...]):
        noms = [c.nom for c in champs]
        doubles = sorted({n for n in noms if noms.count(n) > 1})
        if doubles:
            raise ValueError(f"fields declared twice in the registry: {doubles}")
        self._champs = MappingProxyType({c.nom: c for c in champs})

    def __iter__(self) -> Iterator[Champ]:
        return iter(self._champs.values())

    def __len__(self) -> int:
        return len(self._champs)

    def __contains__(self, nom: object) -> bool:
        return nom in self._champs

    def __getitem__(self, nom: str) -> Champ:
        return self._champs[nom]

    def tries(self) -> tuple[Champ, ...]:
        """The fields by priority, highest first (declaration order among equal priorities)."""
        return tuple(sorted(self, key=lambda c: -c.priorite))

    def noms(self, **critere: object) -> tuple[str, ...]:
        """Names of the fields whose attributes equal `critere`, in declaration order."""
        return tuple(c.nom for c in self if all(getattr(c, k) == x for k, x in critere.items()))


# --- the standard's 32 columns, in the schema's order (../shared/reference/schema-mednum) ----------

_STANDARD: tuple[Champ, ...] = (
    Champ("id", "Identifiant", priorite=30),
    Champ(
        "pivot",
        "SIRET ou RNA de la structure",
        motif=re.compile(r"^[a-zA-Z0-9]{9,14}$"),
        format_attendu="un SIRET de 14 chiffres ou un RNA",
        priorite=240,
        modele='"12345678900012"',
        commentaire="SIRET (14 chiffres) ou RNA de la structure",
        verifications=("pivot_absent",),
    ),
    Champ(
        "nom",
        "Nom du lieu",
        texte_libre=True,
        requis=True,
        priorite=300,
        formulaire=SAISIE,
        manque="le nom",
    ),
    Champ(
        "commune",
        "Commune",
        texte_libre=True,
        requis=True,
        priorite=270,
        facette="commune",
        priorite_facette=110,
        formulaire=SAISIE,
        manque="la commune",
    ),
    Champ(
        "code_postal",
        "Code postal",
        motif=re.compile(r"^\d{5}$"),
        format_attendu="5 chiffres",
        requis=True,
        priorite=280,
        commentaire="5 chiffres, entre guillemets",
        formulaire=SAISIE,
        manque="le code postal",
    ),
    Champ(
        "code_insee",
        "Code INSEE de la commune",
        motif=re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$"),
        format_attendu="5 caractères, ex. 42218",
        recommande=3,
        priorite=230,
        modele='"42218"',
    ),
    Champ(
        "adresse",
        "Adresse",
        texte_libre=True,
        requis=True,
        priorite=290,
        commentaire="numéro et rue",
        formulaire=SAISIE,
        manque="l'adresse",
    ),
    Champ("complement_adresse", "Complément d'adresse", texte_libre=True, priorite=58, modele='""'),
    Champ(
        "latitude",
        "Latitude",
        genre=NOMBRE,
        recommande=1,
        priorite=220,
        modele="45.4397",
        commentaire="copiez-la depuis adresse.data.gouv.fr",
        verifications=("coordonnees",),
    ),
    Champ("longitude", "Longitude", genre=NOMBRE, recommande=2, priorite=215, modele="4.3872"),
    Champ(
        "typologie",
        "Type de structure",
        multiple=True,
        valeurs=v.TYPOLOGIES,
        inconnu="« {valeur} » n'est pas une typologie connue{indice}",
        inconnu_gravite=AVERTISSEMENT,
        priorite=70,
        modele="ASSO",
        commentaire="codes de data.inclusion : ASSO, EPN, BIB, CCAS, MUNI, TIERS_LIEUX…",
    ),
    Champ(
        "telephone",
        "Téléphone",
        genre=TELEPHONE,
        motif=re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$"),
        priorite=200,
        modele="04 77 00 00 00",
        formulaire=SAISIE,
        verifications=("telephone",),
    ),
    Champ(
        "courriels",
        "E-mail",
        genre=COURRIEL,
        multiple=True,
        anciens_noms=("courriel",),
        priorite=195,
        modele="contact@exemple.fr",
        formulaire=SAISIE_LISTE,
    ),
    Champ(
        "site_web",
        "Site web",
        genre=URL,
        multiple=True,
        priorite=190,
        modele="https://exemple.fr",
        formulaire=SAISIE_LISTE,
    ),
    Champ(
        "horaires",
        "Horaires",
        texte_libre=True,
        recommande=5,
        priorite=180,
        modele="Mo-Fr 09:00-12:00,14:00-17:00; PH off",
        commentaire="syntaxe OpenStreetMap",
        formulaire=SAISIE,
        verifications=("horaires",),
    ),
    Champ(
        "presentation_resume",
        "Présentation courte",
        texte_libre=True,
        longueur_max=v.PRESENTATION_RESUME_MAX,
        recommande=6,
        priorite=170,
        modele='"En une ou deux phrases (280 caractères au plus)."',
        formulaire=SAISIE,
    ),
    Champ(
        "presentation_detail",
        "Présentation",
        texte_libre=True,
        priorite=165,
        modele='"Une présentation plus longue (ou renommez le fichier en .md)."',
    ),
    Champ(
        "source",
        "Source des informations",
        texte_libre=True,
        demande=True,
        priorite=168,
        commentaire="qui a fourni ces informations (le lieu, un réseau, une collectivité)",
        formulaire=SAISIE,
        manque="la source des informations",
    ),
    Champ(
        "itinerance",
        "Lieu fixe ou itinérant",
        multiple=True,
        valeurs=v.ITINERANCE,
        inconnu=HORS_STANDARD,
        priorite=60,
    ),
    Champ("structure_parente", "Structure parente", texte_libre=True, priorite=50, modele='""'),
    Champ(
        "date_maj",
        "Date de mise à jour",
        genre=DATE,
        requis=True,
        priorite=260,
        commentaire="date de la dernière vérification (AAAA-MM-JJ)",
        verifications=("date",),
    ),
    Champ(
        "services",
        "Ce que l'on peut y faire",
        multiple=True,
        valeurs=v.SERVICES,
        libelles_simples=v.LIBELLES_SERVICES,
        inconnu=HORS_STANDARD,
        recommande=4,
        priorite=160,
        facette="services",
        libelle_facette="Services",
        priorite_facette=100,
        formulaire=CASES,
    ),
    Champ(
        "publics_specifiquement_adresses",
        "Publics accueillis en particulier",
        multiple=True,
        valeurs=v.PUBLICS,
        libelles_simples=v.LIBELLES_PUBLICS,
        inconnu=HORS_STANDARD,
        priorite=120,
        fiche=True,
        facette="publics",
        libelle_facette="Publics",
        priorite_facette=90,
        formulaire=CASES,
    ),
    Champ(
        "prise_en_charge_specifique",
        "Accompagnement adapté",
        multiple=True,
        valeurs=v.PRISES_EN_CHARGE,
        libelles_simples=v.LIBELLES_PRISES_EN_CHARGE,
        inconnu=HORS_STANDARD,
        priorite=110,
        fiche=True,
        facette="prise_en_charge",
        priorite_facette=80,
        formulaire=CASES,
    ),
    Champ(
        "frais_a_charge",
        "Tarif",
        multiple=True,
        valeurs=v.FRAIS,
        libelles_simples=v.LIBELLES_FRAIS,
        inconnu=HORS_STANDARD,
        recommande=7,
        priorite=150,
        fiche=True,
        facette="frais",
        priorite_facette=70,
        facette_ordonnee=True,
        formulaire=CASES,
    ),
    Champ(
        "dispositif_programmes_nationaux",
        "Dispositifs nationaux",
        multiple=True,
        valeurs=v.DISPOSITIFS,
        inconnu=HORS_STANDARD,
        priorite=90,
        fiche=True,
        libelle_fiche="Labels et dispositifs",
    ),
    Champ(
        "formations_labels",
        "Formations et labels",
        multiple=True,
        valeurs=v.FORMATIONS_LABELS,
        aussi=(v.ETAPES_SCHEMA,),
        inconnu=HORS_STANDARD,
        priorite=85,
        fiche=True,
        libelle_fiche="Labels et dispositifs",
    ),
    Champ(
        "autres_formations_labels",
        "Autres formations et labels",
        multiple=True,
        texte_libre=True,
        priorite=80,
        anciens_noms=("labels_autres", "autres_formations_et_labels"),
        fiche=True,
        libelle_fiche="Labels et dispositifs",
        commentaire="formations et labels hors de la liste du standard",
    ),
    Champ(
        "modalites_acces",
        "Comment venir",
        multiple=True,
        valeurs=v.MODALITES_ACCES,
        libelles_simples=v.LIBELLES_MODALITES_ACCES,
        inconnu=HORS_STANDARD,
        recommande=8,
        priorite=140,
        fiche=True,
        facette="acces",
        priorite_facette=50,
        formulaire=CASES,
    ),
    Champ(
        "modalites_accompagnement",
        "Façon d'être aidé",
        multiple=True,
        valeurs=v.MODALITES_ACCOMPAGNEMENT,
        libelles_simples=v.LIBELLES_MODALITES_ACCOMPAGNEMENT,
        inconnu=HORS_STANDARD,
        priorite=130,
        fiche=True,
        libelle_fiche="Accompagnement",
        facette="accompagnement",
        priorite_facette=60,
        formulaire=CASES,
    ),
    Champ(
        "fiche_acces_libre",
        "Fiche Acceslibre (accessibilité)",
        genre=URL,
        anciens_noms=("accessibilite",),
        priorite=40,
        modele="https://acceslibre.beta.gouv.fr/…",
    ),
    Champ("prise_rdv", "Prise de rendez-vous en ligne", genre=URL, priorite=35, modele="https://…"),
)

# --- our extensions: not in the standard, out of the CSV, under "extensions" in JSON ---------------

_EXTENSIONS: tuple[Champ, ...] = (
    Champ(
        "reseaux",
        "Réseaux",
        multiple=True,
        standard=False,
        priorite=20,
        modele="slug-du-reseau",
        commentaire="fichiers de content/reseaux/",
        verifications=("reseaux_connus",),
    ),
    Champ(
        "langues",
        "Langues parlées",
        multiple=True,
        standard=False,
        valeurs=v.LANGUES,
        inconnu="« {valeur} » n'est pas un code de langue ISO 639-1 connu",
        suggerer=False,
        priorite=100,
        fiche=True,
        facette="langues",
        priorite_facette=20,
        modele="fr",
        commentaire="codes ISO 639-1",
    ),
    Champ(
        "statut",
        "Statut",
        standard=False,
        valeurs=v.STATUTS,
        inconnu="« {valeur} » inconnu ; valeurs possibles : {possibles}",
        suggerer=False,
        defaut="ouvert",
        priorite=15,
        modele="ouvert",
        commentaire="ouvert, ferme_temporairement, ferme_definitivement, a_verifier",
    ),
    Champ(
        "precision_coordonnees",
        "Précision de la position",
        standard=False,
        valeurs=v.PRECISIONS,
        inconnu="« {valeur} » inconnu ; adresse, rue ou commune",
        suggerer=False,
        priorite=210,
        modele="adresse",
        commentaire="adresse, rue ou commune",
    ),
    Champ(
        "maintenu_par",
        "Fiche tenue à jour par",
        texte_libre=True,
        standard=False,
        priorite=12,
        modele='""',
        commentaire="qui tient la fiche à jour (organisation ou personne)",
    ),
    Champ(
        "references",
        "Références",
        multiple=True,
        standard=False,
        exporte=False,
        priorite=10,
        modele='"d\'où viennent ces informations"',
        commentaire="liens, jeux de données, articles",
    ),
    Champ(
        "identifiants_sources",
        "Identifiants des fiches d'origine",
        multiple=True,
        standard=False,
        exporte=False,
        priorite=4,
        commentaire="écrit par l'import : un identifiant SOURCE_ID par enregistrement fusionné ici",
    ),
    Champ(
        "agenda",
        "Agenda des ateliers (iCalendar)",
        genre=URL,
        standard=False,
        priorite=25,
        modele="https://exemple.fr/agenda.ics",
        commentaire="adresse de l'agenda iCalendar (.ics) du lieu : ses ateliers, relevés par make sync",
    ),
    Champ(
        "a_verifier",
        "Informations à confirmer",
        multiple=True,
        standard=False,
        priorite=5,
        modele="horaires",
        commentaire="les champs dont la valeur n'est pas confirmée",
        verifications=("noms_de_champs",),
    ),
)

REGISTRE = Registre(_STANDARD + _EXTENSIONS)

# --- derived once, for the hot loops --------------------------------------------------------------

CHAMPS_STANDARD: tuple[str, ...] = REGISTRE.noms(standard=True)
EXTENSIONS: tuple[str, ...] = REGISTRE.noms(standard=False)
EXTENSIONS_EXPORTEES: tuple[str, ...] = REGISTRE.noms(standard=False, exporte=True)
CHAMPS_CONNUS: frozenset[str] = frozenset(c.nom for c in REGISTRE)
CHAMPS_MULTIPLES: tuple[str, ...] = REGISTRE.noms(standard=True, multiple=True)
MULTIPLES: frozenset[str] = frozenset(REGISTRE.noms(multiple=True))  # extensions included
NOMBRES: frozenset[str] = frozenset(REGISTRE.noms(genre=NOMBRE))
DATES: frozenset[str] = frozenset(REGISTRE.noms(genre=DATE))
CHAMPS_REQUIS: tuple[str, ...] = REGISTRE.noms(requis=True)
CHAMPS_RECOMMANDES: tuple[str, ...] = tuple(
    c.nom for c in sorted((c for c in REGISTRE if c.recommande), key=lambda c: c.recommande)
)
CHAMPS_URL: tuple[str, ...] = REGISTRE.noms(genre=URL)
CHAMPS_COURRIEL: tuple[str, ...] = REGISTRE.noms(genre=COURRIEL)
CHAMPS_TEXTE_LIBRE: tuple[str, ...] = REGISTRE.noms(texte_libre=True)
# The standard's closed lists (a value outside is an error, left out of the exports), with their
# accepted values.
ENUMERATIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {c.nom: c.acceptees for c in REGISTRE if c.standard and c.ferme}
)
# Every field with a vocabulary (closed or open): {field: {value: French label}}.
VOCABULAIRES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {c.nom: c.valeurs for c in REGISTRE if c.valeurs}
)
MOTIFS: Mapping[str, re.Pattern[str]] = MappingProxyType({c.nom: c.motif for c in REGISTRE if c.motif})
RENOMMAGES: Mapping[str, str] = MappingProxyType({a: c.nom for c in REGISTRE for a in c.anciens_noms})
VIDES: Mapping[str, object] = MappingProxyType({c.nom: c.vide for c in REGISTRE})


# Every field with plain-language labels: {field: {value: plain words}}.
LIBELLES_SIMPLES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {c.nom: c.libelles_simples for c in REGISTRE if c.libelles_simples}
)


def libelle_valeur(champ: str, valeur: str) -> str:
    """The French words the public reads for one value of a field: its plain label, else its
    vocabulary's label, else the value itself."""
    simple = LIBELLES_SIMPLES.get(champ, {}).get(valeur)
    return simple or VOCABULAIRES.get(champ, {}).get(valeur, valeur)


def libelles_facettes() -> dict[str, dict[str, str]]:
    """{facet key: {value: plain words}} of the fields whose facet has plain labels: what the
    search page shows for each filter value (written into it as JSON; the URL keeps the value)."""
    return {c.facette: dict(c.libelles_simples) for c in REGISTRE if c.facette and c.libelles_simples}


def champs_fiche() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The sheet's generic list: (French label, fields) in priority order, rows sharing a label
    merged into one line."""
    groupes: dict[str, list[str]] = {}
    for champ in REGISTRE.tries():
        if champ.fiche:
            groupes.setdefault(champ.libelle_fiche or champ.libelle, []).append(champ.nom)
    return tuple((libelle, tuple(noms)) for libelle, noms in groupes.items())


FICHE: tuple[tuple[str, tuple[str, ...]], ...] = champs_fiche()


def donnees_formulaire() -> dict[str, object]:
    """What the /proposer/ form's script needs (written into the page as JSON): its fields in
    priority order, single texts and lists apart, and what to ask for when a required one is empty."""
    champs = [c for c in REGISTRE.tries() if c.formulaire]
    return {
        "textes": [
            c.nom for c in champs if c.formulaire == SAISIE or (c.formulaire == CASES and not c.multiple)
        ],
        "listes": [
            c.nom for c in champs if c.formulaire == SAISIE_LISTE or (c.formulaire == CASES and c.multiple)
        ],
        "obligatoires": {c.nom: c.manque for c in champs if c.manque},
    }


def choix_formulaire() -> tuple[tuple[str, str, tuple[tuple[str, str], ...], str], ...]:
    """The form's groups of choices, in priority order: (field, French legend, (value, French label)
    pairs, input type: checkbox for a multiple field, radio for a single one)."""
    return tuple(
        (c.nom, c.libelle, tuple(c.valeurs.items()), "checkbox" if c.multiple else "radio")
        for c in REGISTRE.tries()
        if c.formulaire == CASES
    )
