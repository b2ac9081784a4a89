"""data·inclusion schema v1 (structures and services), both ways.

Export: one structure per place of the national export, one service per value of its `services`.
Import: data·inclusion structures and services back into records in the national standard, which the
importer (importer.py) then checks like any other record.

The vocabularies follow data·inclusion's own mapping of the standard's records (its pipeline,
gip-inclusion/data-inclusion, pipeline/dbt/models/intermediate/v1/001_mappings/mediation_numerique/):
thematiques, publics, frais, modes de mobilisation, type of service, réseaux porteurs, modes d'accueil.
Two choices of ours differ from that pipeline, because we also read the files back: we write one
service per standard service (the pipeline writes one "Service d'accompagnement au numérique" per
place) so that the service's name keeps the standard's value, and the `*_precisions` texts keep the
standard's values that a data·inclusion vocabulary merges (see MAPPING and the README).

Plain data in, plain data out: no Pelican, no cache, no file but the ones `ecrire` is given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from annuaire.domain.formats import json_sur, slugifier
from annuaire.domain.vocabulaire import (
    FRAIS,
    MODALITES_ACCES,
    MODALITES_ACCOMPAGNEMENT,
    PRESENTATION_RESUME_MAX,
    PRISES_EN_CHARGE,
    PUBLICS,
    SERVICES,
)
from annuaire.outputs.ecriture import ecrire_atomique

DOSSIER = "data-inclusion"
NOM_STRUCTURES = "structures.json"
NOM_SERVICES = "services.json"
SOURCE_DEFAUT = "annuaire-mediation-numerique"
NOM_MIN, NOM_MAX, DESCRIPTION_MIN, DESCRIPTION_MAX = 3, 150, 5, 10000

# standard service -> thematiques (data·inclusion's _map_mediation_numerique__thematiques).
THEMATIQUES: dict[str, tuple[str, ...]] = {
    "Accès internet et matériel informatique": (
        "numerique--acceder-a-une-connexion-internet",
        "numerique--acquerir-un-equipement",
    ),
    "Acquisition de matériel informatique à prix solidaire": ("numerique--acquerir-un-equipement",),
    "Aide aux démarches administratives": (
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "numerique--acceder-a-des-services-en-ligne",
    ),
    "Compréhension du monde numérique": ("numerique--maitriser-les-fondamentaux-du-numerique",),
    "Insertion professionnelle via le numérique": (
        "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ),
    "Loisirs et créations numériques": (
        "remobilisation--activites-sportives-et-culturelles",
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ),
    "Maîtrise des outils numériques du quotidien": (
        "numerique--maitriser-les-fondamentaux-du-numerique",
        "numerique--acceder-a-des-services-en-ligne",
    ),
    "Parentalité et éducation avec le numérique": (
        "famille--soutien-a-la-parentalite-et-a-leducation",
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ),
    "Utilisation sécurisée du numérique": ("numerique--maitriser-les-fondamentaux-du-numerique",),
}

# Reading back a service whose name is not a standard service: its most specific thematique first
# (a non-numerique thematique only counts beside a numerique--* one: a CAF's "famille--…" service is
# not digital mediation).
SERVICE_DE_THEMATIQUE: tuple[tuple[str, str], ...] = (
    ("numerique--acceder-a-une-connexion-internet", "Accès internet et matériel informatique"),
    ("numerique--acquerir-un-equipement", "Accès internet et matériel informatique"),
    (
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "Aide aux démarches administratives",
    ),
    (
        "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
        "Insertion professionnelle via le numérique",
    ),
    ("remobilisation--activites-sportives-et-culturelles", "Loisirs et créations numériques"),
    ("famille--soutien-a-la-parentalite-et-a-leducation", "Parentalité et éducation avec le numérique"),
    ("numerique--acceder-a-des-services-en-ligne", "Aide aux démarches administratives"),
    ("numerique--maitriser-les-fondamentaux-du-numerique", "Maîtrise des outils numériques du quotidien"),
)

PUBLICS_DI: dict[str, str] = {
    "Étudiants": "etudiants",
    "Familles et/ou enfants": "familles",
    "Femmes": "femmes",
    "Jeunes": "jeunes",
    "Seniors": "seniors",
}
PRISES_EN_CHARGE_DI: dict[str, str] = {
    "Déficience visuelle": "personnes-en-situation-de-handicap",
    "Handicaps mentaux": "personnes-en-situation-de-handicap",
    "Handicaps moteurs": "personnes-en-situation-de-handicap",
    "Surdité": "personnes-en-situation-de-handicap",
    "Langues étrangères (anglais)": "personnes-exilees",
    "Langues étrangères (autres)": "personnes-exilees",
}
MODES_MOBILISATION: dict[str, str] = {
    "Contacter par mail": "envoyer-un-courriel",
    "Envoyer un mail avec une fiche de prescription": "envoyer-un-courriel",
    "Prendre un RDV en ligne": "utiliser-lien-mobilisation",
    "Se présenter": "se-presenter",
    "Téléphoner": "telephoner",
}
MODALITE_DE_MODE: dict[str, str] = {
    "envoyer-un-courriel": "Contacter par mail",
    "utiliser-lien-mobilisation": "Prendre un RDV en ligne",
    "se-presenter": "Se présenter",
    "telephoner": "Téléphoner",
}
# modalites_accompagnement -> type, in data·inclusion's order of priority (one type per service).
TYPES: tuple[tuple[str, str], ...] = (
    ("En autonomie", "aide-materielle"),
    ("Dans un atelier collectif", "atelier"),
    ("Accompagnement individuel", "accompagnement"),
)
RESEAUX_PORTEURS: dict[str, str] = {
    "Aidants Connect": "aidants-connect",
    "Conseillers numériques": "conseillers-numeriques",
    "France Services": "france-service",
    "Grande école du numérique": "grandes-ecoles-du-numerique",
    "La Croix Rouge": "croix-rouge",
}
PREFIXE_ACCES = "Modalités d'accès : "
PREFIXE_ACCOMPAGNEMENT = "Accompagnement : "
NON_PRECISEES = "non précisées"


# --- export: our records -> data·inclusion -----------------------------------------------------


def _liste(valeur: object) -> list[str]:
    """A multi-valued field of a national JSON record ("a|b") as a list."""
    if isinstance(valeur, list):
        return [str(v) for v in valeur]
    return [v for v in str(valeur or "").split("|") if v]


def _texte_borne(texte: str, minimum: int, maximum: int) -> str | None:
    """Text within a schema's lengths (cut on a word when too long), None when too short."""
    texte = (texte or "").strip()
    if len(texte) < minimum:
        return None
    if len(texte) <= maximum:
        return texte
    return texte[: maximum - 1].rsplit(" ", 1)[0] + "…"


def _siret(pivot: str) -> str | None:
    """data·inclusion keeps a SIRET (14 digits, not all zeros); an RNA has no field there."""
    return pivot if re.fullmatch(r"\d{14}", pivot or "") and set(pivot) != {"0"} else None


def _zone(code_insee: str) -> list[str] | None:
    """The département of a place (its service's eligibility zone), as data·inclusion writes it."""
    if not code_insee:
        return None
    return [code_insee[:3] if code_insee.startswith("97") else code_insee[:2]]


def _adresse(record: dict) -> dict[str, object]:
    """The address fields, shared by a structure and its services."""
    return {
        "adresse": record.get("adresse") or None,
        "complement_adresse": record.get("complement_adresse") or None,
        "code_postal": record.get("code_postal") or None,
        "code_insee": record.get("code_insee") or None,
        "commune": record.get("commune") or None,
        "latitude": record.get("latitude"),
        "longitude": record.get("longitude"),
    }


def _premier(record: dict, champ: str) -> str | None:
    """The first value of a multi-valued field (data·inclusion keeps one e-mail, one web site)."""
    valeurs = _liste(record.get(champ))
    return valeurs[0] if valeurs else None


def structure(record: dict, source: str, lien: str | None) -> dict[str, object] | None:
    """One data·inclusion structure from a record of our national JSON; None when its name does
    not fit the schema (under 3 characters)."""
    nom = _texte_borne(str(record.get("nom", "")), NOM_MIN, NOM_MAX)
    if nom is None:
        return None
    description = record.get("presentation_detail") or record.get("presentation_resume") or ""
    reseaux = sorted(
        {
            RESEAUX_PORTEURS[d]
            for d in _liste(record.get("dispositif_programmes_nationaux"))
            if d in RESEAUX_PORTEURS
        }
    )
    return {
        "source": source,
        "id": f"{source}--{record['id']}",
        "nom": nom,
        "date_maj": record["date_maj"],
        "siret": _siret(str(record.get("pivot", ""))),
        **_adresse(record),
        "telephone": record.get("telephone") or None,
        "courriel": _premier(record, "courriels"),
        "site_web": _premier(record, "site_web"),
        "lien_source": lien,
        "description": _texte_borne(str(description), DESCRIPTION_MIN, DESCRIPTION_MAX),
        "horaires_accueil": record.get("horaires") or None,
        "accessibilite_lieu": record.get("fiche_acces_libre") or None,
        "reseaux_porteurs": reseaux or None,
    }


def _publics(record: dict) -> tuple[list[str], str | None]:
    """(publics, publics_precisions): data·inclusion's publics, and the standard's values in words."""
    publics = _liste(record.get("publics_specifiquement_adresses"))
    prises = _liste(record.get("prise_en_charge_specifique"))
    codes = {PUBLICS_DI[p] for p in publics if p in PUBLICS_DI}
    codes |= {PRISES_EN_CHARGE_DI[p] for p in prises if p in PRISES_EN_CHARGE_DI}
    return sorted(codes) or ["tous-publics"], ", ".join(publics + prises) or None


def _frais(record: dict) -> tuple[str | None, str | None]:
    """(frais, frais_precisions): "gratuit" wins as in data·inclusion's mapping; the words keep
    "Gratuit sous condition", which data·inclusion merges into "gratuit"."""
    valeurs = _liste(record.get("frais_a_charge"))
    if not valeurs:
        return None, None
    frais = "gratuit" if any(v.startswith("Gratuit") for v in valeurs) else "payant"
    return frais, ", ".join(valeurs)


def _mobilisation(record: dict) -> tuple[list[str] | None, str | None]:
    """(modes_mobilisation, mobilisation_precisions): the access modes, and in words the standard's
    access and support modes that data·inclusion's vocabularies merge or leave out."""
    acces = _liste(record.get("modalites_acces"))
    modes = {MODES_MOBILISATION[m] for m in acces if m in MODES_MOBILISATION}
    if not modes:  # data·inclusion's fallback: the ways to reach the place
        modes = {
            m
            for m, present in (
                ("telephoner", record.get("telephone")),
                ("envoyer-un-courriel", record.get("courriels")),
                ("utiliser-lien-mobilisation", record.get("prise_rdv")),
            )
            if present
        }
    accompagnement = _liste(record.get("modalites_accompagnement"))
    # Always one sentence on access: reading back, it tells our own words from the modes that
    # data·inclusion's fallback deduced from the contacts.
    phrases = [
        PREFIXE_ACCES + (", ".join(acces) or NON_PRECISEES),
        PREFIXE_ACCOMPAGNEMENT + ", ".join(accompagnement) if accompagnement else "",
    ]
    return sorted(modes) or None, ". ".join(p for p in phrases if p)


def _type(record: dict) -> str | None:
    """The service's type from its support modes (data·inclusion's priority)."""
    modalites = _liste(record.get("modalites_accompagnement"))
    return next((t for modalite, t in TYPES if modalite in modalites), None)


def service(record: dict, nom_service: str, source: str, lien: str | None) -> dict[str, object]:
    """One data·inclusion service: a standard service offered by a place."""
    publics, publics_precisions = _publics(record)
    frais, frais_precisions = _frais(record)
    modes, mobilisation_precisions = _mobilisation(record)
    accueil = (
        ["a-distance", "en-presentiel"]
        if "À distance" in _liste(record.get("modalites_accompagnement"))
        else ["en-presentiel"]
    )
    description = _texte_borne(str(record.get("presentation_resume", "")), DESCRIPTION_MIN, DESCRIPTION_MAX)
    return {
        "source": source,
        "id": f"{source}--{record['id']}--{slugifier(nom_service)}",
        "structure_id": f"{source}--{record['id']}",
        "nom": nom_service,
        "description": description or nom_service,
        "date_maj": record["date_maj"],
        "type": _type(record),
        "thematiques": list(THEMATIQUES[nom_service]),
        "frais": frais,
        "frais_precisions": frais_precisions,
        "publics": publics,
        "publics_precisions": publics_precisions,
        "modes_accueil": accueil,
        "modes_mobilisation": modes,
        "mobilisation_precisions": mobilisation_precisions,
        "mobilisable_par": ["usagers", "professionnels"],
        "lien_mobilisation": record.get("prise_rdv") or None,
        "zone_eligibilite": _zone(str(record.get("code_insee", ""))),
        **_adresse(record),
        "telephone": record.get("telephone") or None,
        "courriel": _premier(record, "courriels"),
        "horaires_accueil": record.get("horaires") or None,
        "lien_source": lien,
    }


def nom_source(territoire: str) -> str:
    """data·inclusion's `source` for our records: the territory's slug, or a generic name."""
    return f"{SOURCE_DEFAUT}-{slugifier(territoire)}" if slugifier(territoire) else SOURCE_DEFAUT


def objets_record(record: dict, source: str, lien: str | None) -> tuple[dict | None, list[dict]]:
    """(structure, services) of one record of our national JSON; (None, []) when its name does
    not fit the schema."""
    objet = structure(record, source, lien)
    if objet is None:
        return None, []
    return objet, [service(record, s, source, lien) for s in _liste(record.get("services")) if s in SERVICES]


def ligne_json(objet: dict) -> str:
    """One object as a line of our files: compact, nulls left out (the schema's default), safe in
    HTML."""
    return json_sur(
        json.dumps(
            {k: v for k, v in objet.items() if v is not None}, ensure_ascii=False, separators=(",", ":")
        )
    )


def lignes_record(record: dict, source: str, lien: str | None) -> tuple[str, tuple[str, ...]]:
    """(structure line or "", service lines) of one record: what a build keeps per place."""
    objet, services = objets_record(record, source, lien)
    return ("", ()) if objet is None else (ligne_json(objet), tuple(map(ligne_json, services)))


def texte_tableau(lignes: Iterable[str]) -> str:
    """A JSON array of object lines, one per line."""
    return "[\n" + ",\n".join(lignes) + "\n]\n"


def ecrire(dossier: Path, structures: list[str], services: list[str]) -> list[str]:
    """Write data-inclusion/structures.json and services.json (their object lines, see
    `lignes_record`) into `dossier`; their names."""
    noms = []
    for nom, lignes in ((NOM_STRUCTURES, structures), (NOM_SERVICES, services)):
        ecrire_atomique(dossier / DOSSIER / nom, texte_tableau(lignes))
        noms.append(f"{DOSSIER}/{nom}")
    return noms


# --- import: data·inclusion -> records in the national standard -----------------------------------


# Keys only data·inclusion v1 writes (the standard has none of them) and keys only the standard has.
CLES_DATA_INCLUSION = frozenset(
    {
        "structure_id",
        "horaires_accueil",
        "reseaux_porteurs",
        "accessibilite_lieu",
        "lien_source",
        "siret",
        "description",
    }
)
CLES_STANDARD_SEULES = frozenset(
    {"pivot", "services", "horaires", "typologie", "courriels", "frais_a_charge"}
)


def est_data_inclusion(enregistrements: list[tuple[int, object]]) -> bool:
    """True for data·inclusion v1 records (structures, maybe followed by services): some keys only
    data·inclusion writes, none that only the standard has."""
    echantillon = [r for _l, r in enregistrements[:200] if isinstance(r, dict)]
    cles = {str(c) for r in echantillon for c in r}
    return bool(cles & CLES_DATA_INCLUSION) and not cles & CLES_STANDARD_SEULES


def _codes(objet: dict, champ: str) -> list[str]:
    """A list of codes of a data·inclusion record; anything but a list of texts gives none (the
    file comes from elsewhere: never trust its shape)."""
    valeur = objet.get(champ)
    return [v for v in valeur if isinstance(v, str)] if isinstance(valeur, list) else []


def _precisions(texte: object, possibles: tuple[str, ...]) -> list[str]:
    """The standard's values written in a `*_precisions` text (", " between them)."""
    return [v for v in str(texte or "").split(", ") if v in possibles]


def _phrase(texte: object, prefixe: str, possibles: tuple[str, ...]) -> list[str]:
    """The values after `prefixe` in a mobilisation_precisions text."""
    for phrase in str(texte or "").split(". "):
        if phrase.startswith(prefixe):
            return _precisions(phrase[len(prefixe) :], possibles)
    return []


def _service_standard(objet: dict) -> str | None:
    """The standard service a data·inclusion service stands for, or None (not digital mediation)."""
    if objet.get("nom") in SERVICES:
        return str(objet["nom"])
    thematiques = _codes(objet, "thematiques")
    if not any(t.startswith("numerique--") for t in thematiques):
        return None
    return (
        next(s for t, s in SERVICE_DE_THEMATIQUE if t in thematiques)
        if any(t in thematiques for t, _s in SERVICE_DE_THEMATIQUE)
        else None
    )


def _ajouter(valeurs: dict[str, list[str]], champ: str, nouvelles: Iterable[str]) -> None:
    """Union of values, first seen first."""
    liste = valeurs.setdefault(champ, [])
    liste.extend(v for v in nouvelles if v not in liste)


def _publics_lus(objet: dict, valeurs: dict[str, list[str]]) -> None:
    """publics and prises en charge: the words when present, else the codes that have one meaning."""
    precises = _precisions(objet.get("publics_precisions"), PUBLICS)
    inverses = {code: public for public, code in PUBLICS_DI.items()}
    codes = [inverses[c] for c in _codes(objet, "publics") if c in inverses]
    _ajouter(valeurs, "publics_specifiquement_adresses", precises or codes)
    _ajouter(
        valeurs, "prise_en_charge_specifique", _precisions(objet.get("publics_precisions"), PRISES_EN_CHARGE)
    )


def _acces_lus(objet: dict, valeurs: dict[str, list[str]]) -> None:
    """Fees, access and support modes of one service."""
    frais = _precisions(objet.get("frais_precisions"), FRAIS)
    _ajouter(
        valeurs,
        "frais_a_charge",
        frais or {"gratuit": ["Gratuit"], "payant": ["Payant"]}.get(str(objet.get("frais")), []),
    )
    precisions = str(objet.get("mobilisation_precisions") or "")
    acces = _phrase(precisions, PREFIXE_ACCES, MODALITES_ACCES)
    if PREFIXE_ACCES not in precisions:  # not written by us: the codes, where they have one meaning
        acces = [MODALITE_DE_MODE[m] for m in _codes(objet, "modes_mobilisation") if m in MODALITE_DE_MODE]
    _ajouter(valeurs, "modalites_acces", acces)
    accompagnement = _phrase(precisions, PREFIXE_ACCOMPAGNEMENT, MODALITES_ACCOMPAGNEMENT)
    types = {t: m for m, t in TYPES}
    if PREFIXE_ACCES not in precisions:
        accompagnement = [types[str(objet["type"])]] if str(objet.get("type")) in types else []
        accompagnement += ["À distance"] if "a-distance" in _codes(objet, "modes_accueil") else []
    _ajouter(valeurs, "modalites_accompagnement", accompagnement)


def _services_lus(services: list[dict]) -> dict[str, object]:
    """The standard's fields a place gets from its data·inclusion services."""
    valeurs: dict[str, list[str]] = {}
    resumes = []
    for objet in services:
        nom = _service_standard(objet)
        if nom is None:
            continue
        _ajouter(valeurs, "services", [nom])
        _publics_lus(objet, valeurs)
        _acces_lus(objet, valeurs)
        if objet.get("description") and objet["description"] != objet.get("nom"):
            resumes.append(str(objet["description"]))
    champs: dict[str, object] = {k: v for k, v in valeurs.items() if v}
    liens = [s["lien_mobilisation"] for s in services if s.get("lien_mobilisation")]
    champs.update({"presentation_resume": resumes[0]} if resumes else {})
    champs.update({"prise_rdv": liens[0]} if liens else {})
    return champs


def _structure_standard(objet: dict) -> dict[str, object]:
    """The standard's fields of a data·inclusion structure."""
    source, _sep, identifiant = str(objet.get("id", "")).partition("--")
    dispositifs = {code: d for d, code in RESEAUX_PORTEURS.items()}
    champs = {
        "id": identifiant or source,
        "source": objet.get("source") or source,
        "pivot": objet.get("siret"),
        "nom": objet.get("nom"),
        "adresse": objet.get("adresse"),
        "complement_adresse": objet.get("complement_adresse"),
        "code_postal": objet.get("code_postal"),
        "code_insee": objet.get("code_insee"),
        "commune": objet.get("commune"),
        "latitude": objet.get("latitude"),
        "longitude": objet.get("longitude"),
        "telephone": objet.get("telephone"),
        "courriels": [objet["courriel"]] if objet.get("courriel") else [],
        "site_web": [objet["site_web"]] if objet.get("site_web") else [],
        "horaires": objet.get("horaires_accueil"),
        "presentation_detail": objet.get("description"),
        "date_maj": objet.get("date_maj"),
        "fiche_acces_libre": objet.get("accessibilite_lieu"),
        "dispositif_programmes_nationaux": [
            dispositifs[r] for r in _codes(objet, "reseaux_porteurs") if r in dispositifs
        ],
    }
    return {k: v for k, v in champs.items() if v not in (None, "", [])}


def vers_standard(enregistrements: list[tuple[int, object]]) -> list[tuple[int, object]]:
    """data·inclusion structures (and their services, in the same list) as records in the national
    standard, each with the line of its structure; services are joined by `structure_id`."""
    services: dict[str, list[dict]] = {}
    for _ligne, objet in enregistrements:
        if isinstance(objet, dict) and "structure_id" in objet:
            services.setdefault(str(objet["structure_id"]), []).append(objet)
    resultat: list[tuple[int, object]] = []
    for ligne, objet in enregistrements:
        if not isinstance(objet, dict) or "structure_id" in objet:
            continue
        champs = _structure_standard(objet)
        champs.update(_services_lus(services.get(str(objet.get("id")), [])))
        _presentations(champs)
        resultat.append((ligne, champs))
    return resultat


def _presentations(champs: dict[str, object]) -> None:
    """One description for the structure: the standard's detail, or its summary when it is the
    same text as the services' one or, without services, short enough to be one (280 characters)."""
    detail = champs.get("presentation_detail")
    if detail is None:
        return
    if detail == champs.get("presentation_resume"):
        del champs["presentation_detail"]
    elif "presentation_resume" not in champs and len(str(detail)) <= PRESENTATION_RESUME_MAX:
        champs["presentation_resume"] = champs.pop("presentation_detail")


def fichier_services(chemin: Path) -> Path | None:
    """The services file beside a structures file (…structures….json -> …services….json), if any."""
    if "structures" not in chemin.name:
        return None
    voisin = chemin.with_name(chemin.name.replace("structures", "services"))
    return voisin if voisin.is_file() else None


def joindre(structures: bytes, services: bytes) -> bytes:
    """One JSON array holding both files' records; the structures keep their line numbers."""
    debut, fin = structures.rstrip(), services.lstrip()
    if not (debut.endswith(b"]") and fin.startswith(b"[")):
        return structures
    reste = fin[1:].lstrip()
    if reste.startswith(b"]"):
        return structures
    corps = debut[:-1].rstrip()
    separateur = b"" if corps.endswith(b"[") else b","
    return corps + separateur + b"\n" + reste
