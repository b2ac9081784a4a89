"""Import: a file in the national standard (CSV or JSON array) into records, and entry files.

Reads the files that real producers publish, including the standard's older versions (schema 0.1.x:
`;` between values, `conditions_acces`, `labels_nationaux`, `publics_accueillis`, `courriel`…), maps
old vocabularies to v1.0 where the standard's history gives the mapping (anciens_vocabulaires.py),
and reports, with counts, what it could not map. It never raises on a bad record: the record is
left out with its reason, or the bad value is left out (and written as a comment in the entry file).

The sync of federated sources (sources.py) uses the same reading and conversion.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import phonenumbers
import yaml

from annuaire.domain import anciens_vocabulaires as anciens
from annuaire.domain import anomalies, confidentialite
from annuaire.domain import horaires as horaires_osm
from annuaire.domain.casse import remettre_en_forme
from annuaire.domain.champs import (
    CHAMPS_CONNUS,
    CHAMPS_MULTIPLES,
    CHAMPS_STANDARD,
    ENUMERATIONS,
    EXTENSIONS,
    MOTIFS,
    RENOMMAGES,
    VIDES,
)
from annuaire.domain.communes import Referentiel
from annuaire.domain.formats import (
    contient_balise,
    courriel_valide,
    slugifier,
    telephone_normalise,
    url_valide,
)
from annuaire.domain.horaires.ambigus import ambiguite
from annuaire.domain.model import AVERTISSEMENT, Lieu, Probleme, Provenance, avec
from annuaire.domain.perimetre import hors_perimetre
from annuaire.domain.reglages import Reglages
from annuaire.domain.texte import texte_brut
from annuaire.federation.doublons import identifiant_federe
from annuaire.loading.entrees import lieu_depuis_mapping
from annuaire.loading.referentiel import charger_referentiel
from annuaire.outputs import data_inclusion
from annuaire.validation.regles import (
    CHAMPS_TEXTE_LIBRE,
    Contexte,
    eloignes,
    valider_lieu,
    zone_france,
)

TAILLE_MAX_FICHIER = 200 * 1024 * 1024
DATES_FACTICES = anomalies.DATES_FACTICES
ANCIENS_FRAIS = ("conditions_acces", "conditions_access", "modalites_access")
ANCIENS_CHAMPS = frozenset(ANCIENS_FRAIS) | {"publics_accueillis", "labels_nationaux"}
_MULTIPLES_SOURCE = frozenset(CHAMPS_MULTIPLES) | ANCIENS_CHAMPS
_REGIONS_OUTRE_MER = ("RE", "GP", "MQ", "GF", "YT", "PM", "NC", "PF", "WF")
_ESPACES = re.compile(r"\s*")
_PUCE = re.compile(r"^-\s+")
PROGRESSION_PAS = 1000
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when available (faster)


class ErreurImport(Exception):
    """A file that cannot be read at all; the message is French and names the file and line."""


@dataclass(frozen=True)
class Rejet:
    """A source value that was not kept: field, value, French reason."""

    champ: str
    valeur: str
    raison: str
    invalide: bool = True  # False: a valid old value without v1.0 equivalent


@dataclass(frozen=True)
class OptionsImport:
    """What an import keeps beyond the defaults (settings `ANNUAIRE["contacts_personnels"]` and
    `ANNUAIRE["hors_perimetre"]`, or the command's flags): by default, no nominative e-mail or
    personal mobile (domain/confidentialite.py) and no record outside digital mediation
    (domain/perimetre.py)."""

    contacts_personnels: bool = False
    hors_perimetre: bool = False


OPTIONS_PAR_DEFAUT = OptionsImport()  # frozen: a shared default, not mutable state


def options_import(reglages: Reglages) -> OptionsImport:
    """The import options of the directory's settings (ANNUAIRE in pelicanconf.py)."""
    return OptionsImport(reglages.contacts_personnels, reglages.hors_perimetre)


@dataclass
class Conversion:
    """One source record converted: the place (None when left out) and what happened."""

    lieu: Lieu | None = None
    ecart: Probleme | None = None
    rejets: list[Rejet] = field(default_factory=list)
    non_repris: list[tuple[str, str]] = field(default_factory=list)
    champs_inconnus: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    avertissements: int = 0
    date_factice: bool = False
    a_verifier: list[str] = field(default_factory=list)  # fields to flag, set on the record at the end
    options: OptionsImport = OPTIONS_PAR_DEFAUT
    retenus: list[str] = field(default_factory=list)  # fields whose personal values were withheld
    hors_perimetre: str = ""  # why the record is not a digital-mediation place
    erreurs_producteur: list[str] = field(default_factory=list)  # kinds of mistakes flagged
    referentiel: Referentiel = field(default_factory=Referentiel)
    communes: list[str] = field(default_factory=list)  # what the commune step did (see RapportImport)


@dataclass
class RapportImport:
    """Counts and details of one import, for the command line and the README figures."""

    fichier: str
    lus: int = 0
    importes: int = 0
    ecartes: list[Probleme] = field(default_factory=list)
    non_repris: Counter = field(default_factory=Counter)
    champs_inconnus: Counter = field(default_factory=Counter)
    corrections: Counter = field(default_factory=Counter)
    valeurs_rejetees: Counter = field(default_factory=Counter)
    dates_factices: int = 0
    avertissements: int = 0
    fiches: Counter = field(default_factory=Counter)
    rejets: dict[str, list[Rejet]] = field(default_factory=dict)
    retenus: Counter = field(default_factory=Counter)
    hors_perimetre: Counter = field(default_factory=Counter)
    erreurs_producteur: Counter = field(default_factory=Counter)
    communes: Counter = field(default_factory=Counter)  # normalisées, non trouvées, incohérentes…
    loin_de_la_commune: list[Probleme] = field(default_factory=list)

    def ajouter(self, conversion: Conversion) -> None:
        """Count one converted record."""
        self.lus += 1
        self.non_repris.update(conversion.non_repris)
        self.champs_inconnus.update(conversion.champs_inconnus)
        self.corrections.update(conversion.corrections)
        self.valeurs_rejetees.update(r.champ for r in conversion.rejets if r.invalide)
        self.dates_factices += conversion.date_factice
        self.avertissements += conversion.avertissements
        self.retenus.update(conversion.retenus)
        self.hors_perimetre.update([conversion.hors_perimetre] if conversion.hors_perimetre else [])
        self.erreurs_producteur.update(conversion.erreurs_producteur)
        self.communes.update(conversion.communes)
        if conversion.ecart is not None:
            self.ecartes.append(conversion.ecart)

    def resume(self) -> str:
        """One French line: read, imported, left out, unmapped values, files written."""
        ligne = (
            f"{self.fichier} : {self.lus} lus, {self.importes} importés, "
            f"{len(self.ecartes)} écartés, {sum(self.non_repris.values())} valeurs non reprises "
            f"({len(self.non_repris)} distinctes), {sum(self.valeurs_rejetees.values())} valeurs "
            f"invalides, {self.dates_factices} dates factices, {sum(self.hors_perimetre.values())} hors "
            f"périmètre, {sum(self.retenus.values())} contacts personnels non publiés, "
            f"{sum(self.erreurs_producteur.values())} erreurs du producteur à vérifier"
        )
        if self.fiches:
            ligne += (
                f" ; fiches : {self.fiches['nouveau']} nouvelles, {self.fiches['mis à jour']} "
                f"mises à jour, {self.fiches['inchangé']} inchangées"
            )
        if self.communes or self.loin_de_la_commune:
            ligne += (
                f" ; communes : {self.communes['normalisée']} noms normalisés, "
                f"{self.communes['code INSEE complété']} codes INSEE complétés, "
                f"{self.communes['non trouvée']} non trouvées, "
                f"{self.communes['incohérente']} code postal/INSEE incohérents ; "
                f"{len(self.loin_de_la_commune)} coordonnées loin de leur commune"
            )
        return ligne

    def details(self) -> list[str]:
        """French lines: every unmapped value with its count, unknown fields, invalid values."""
        lignes = [
            f"  non repris ({n}) : {champ} « {valeur} »"
            for (champ, valeur), n in sorted(self.non_repris.items(), key=_par_nombre)
        ]
        lignes += [
            f"  champ inconnu ignoré ({n}) : {champ}" for champ, n in sorted(self.champs_inconnus.items())
        ]
        lignes += [
            f"  valeurs invalides non reprises ({n}) : {champ}"
            for champ, n in sorted(self.valeurs_rejetees.items())
        ]
        lignes += [f"  corrigé ({n}) : {quoi}" for quoi, n in sorted(self.corrections.items())]
        lignes += [
            f"  non publié, vie privée ({n}) : {champ} (valeurs personnelles, non recopiées)"
            for champ, n in sorted(self.retenus.items())
        ]
        lignes += [
            f"  hors périmètre, non importé ({n}) : {pourquoi}" for pourquoi, n in self.hors_perimetre.items()
        ]
        lignes += [
            f"  erreur du producteur, marquée « à vérifier » ({n}) : {quoi}"
            for quoi, n in sorted(self.erreurs_producteur.items(), key=_par_nombre)
        ]
        lignes += [f"  coordonnées à vérifier : {p.chemin} : {p.message}" for p in self.loin_de_la_commune]
        return lignes


def _par_nombre(element: tuple) -> tuple:
    """Sort key: biggest count first, then by value."""
    cle, nombre = element
    return (-nombre, cle)


# --- reading a file ------------------------------------------------------------------------------


def _decoder(donnees: bytes, nom: str) -> tuple[str, str]:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252 (reported)."""
    if b"\x00" in donnees[:4096]:
        raise ErreurImport(f"{nom}:1: fichier binaire : attendu un CSV ou un JSON en texte")
    try:
        return donnees.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return donnees.decode("cp1252", errors="replace"), "encodage Windows-1252 converti en UTF-8"


_MESSAGES_JSON = {
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "« , » attendu",
    "Expecting ':' delimiter": "« : » attendu",
    "Expecting property name enclosed in double quotes": "nom de champ entre guillemets attendu",
    "Unterminated string starting at": "texte sans guillemet fermant",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Invalid \\escape": "séquence d'échappement invalide",
}


def _erreur_json(nom: str, exc: json.JSONDecodeError) -> ErreurImport:
    """A French message for a JSON syntax error."""
    message = _MESSAGES_JSON.get(exc.msg, exc.msg)
    return ErreurImport(f"{nom}:{exc.lineno}: JSON invalide (colonne {exc.colno}) : {message}")


def _lire_json(texte: str, nom: str) -> list[tuple[int, object]]:
    """A JSON array of records, each with the line where it starts."""
    decodeur, pos = json.JSONDecoder(), _ESPACES.match(texte).end()
    if not texte.startswith("[", pos):
        raise ErreurImport(f"{nom}:1: attendu un tableau JSON d'enregistrements « [ {{…}}, … ] »")
    enregistrements: list[tuple[int, object]] = []
    ligne, vu, pos = 1, 0, _ESPACES.match(texte, pos + 1).end()
    while not texte.startswith("]", pos):
        ligne, vu = ligne + texte.count("\n", vu, pos), pos
        try:
            objet, pos = decodeur.raw_decode(texte, pos)
        except json.JSONDecodeError as exc:
            raise _erreur_json(nom, exc) from None
        enregistrements.append((ligne, objet))
        pos = _apres_element(texte, pos, nom)
    if texte[pos + 1 :].strip():
        raise ErreurImport(f"{nom}: texte en trop après la fin du tableau JSON")
    return enregistrements


def _apres_element(texte: str, pos: int, nom: str) -> int:
    """Skip the comma after an array element; stop before the closing bracket."""
    pos = _ESPACES.match(texte, pos).end()
    if texte.startswith(",", pos):
        return _ESPACES.match(texte, pos + 1).end()
    if texte.startswith("]", pos):
        return pos
    ligne = texte.count("\n", 0, pos) + 1
    raise ErreurImport(f"{nom}:{ligne}: JSON invalide : « , » ou « ] » attendu entre deux enregistrements")


def _verifier_entete(colonnes: list[str] | None, nom: str) -> None:
    """A CSV in the standard has a header line holding at least the column `nom`."""
    if not colonnes:
        raise ErreurImport(f"{nom}:1: fichier CSV vide ou sans ligne d'en-tête")
    colonnes = [c.strip() for c in colonnes]
    if "nom" not in colonnes:
        raise ErreurImport(
            f"{nom}:1: pas au standard des lieux de médiation numérique : pas de colonne "
            f"« nom » (en-tête : {', '.join(colonnes[:8])[:200]})"
        )


def _lire_csv(texte: str, nom: str) -> list[tuple[int, object]]:
    """CSV rows as mappings (header = field names), each with its first line; delimiter detected."""
    entete = texte.split("\n", 1)[0]
    separateur = max(",;\t", key=entete.count)
    lecteur = csv.DictReader(io.StringIO(texte, newline=""), delimiter=separateur)
    lignes: list[tuple[int, object]] = []
    debut = 2
    try:
        _verifier_entete(lecteur.fieldnames, nom)
        for ligne in lecteur:
            lignes.append((debut, ligne))
            debut = lecteur.line_num + 1
    except csv.Error as exc:
        raise ErreurImport(f"{nom}:{lecteur.line_num}: CSV illisible : {exc}") from None
    return lignes


def lire_octets(donnees: bytes, nom: str, format_: str = "") -> tuple[list[tuple[int, object]], list[str]]:
    """Parse a CSV or JSON file's bytes into (line, raw record) pairs, plus notes on the reading.

    `format_` is "csv" or "json"; empty means: guess from the content. Raise ErreurImport.
    """
    texte, note = _decoder(donnees, nom)
    format_ = format_ or ("json" if texte.lstrip()[:1] in ("[", "{") else "csv")
    if format_ not in ("csv", "json", "data-inclusion"):
        raise ErreurImport(f"{nom}: format « {format_} » inconnu : csv, json ou data-inclusion")
    enregistrements = _lire_csv(texte, nom) if format_ == "csv" else _lire_json(texte, nom)
    # Hook: data·inclusion v1 structures (+ services) become records in the standard.
    if format_ != "csv" and data_inclusion.est_data_inclusion(enregistrements):
        enregistrements = data_inclusion.vers_standard(enregistrements)
    _verifier_standard(enregistrements, nom)
    return enregistrements, [note] if note else []


def _verifier_standard(enregistrements: list[tuple[int, object]], nom: str) -> None:
    """Refuse a file that is clearly not in the standard (no record has a `nom`)."""
    echantillon = [r for _l, r in enregistrements[:200] if isinstance(r, dict)]
    if enregistrements and not any("nom" in r for r in echantillon):
        cles = sorted({str(c) for r in echantillon for c in r})[:8]
        raise ErreurImport(
            f"{nom}:1: pas au standard des lieux de médiation numérique : aucun champ "
            f"« nom » (champs trouvés : {', '.join(cles) or 'aucun'})"
        )


def lire_fichier(chemin: Path) -> tuple[list[tuple[int, object]], list[str]]:
    """Read a CSV or JSON file in the standard (see lire_octets); raise ErreurImport."""
    try:
        if chemin.stat().st_size > TAILLE_MAX_FICHIER:
            raise ErreurImport(f"{chemin.name}: fichier trop gros (plus de 200 Mo)")
        donnees = chemin.read_bytes()
        services = data_inclusion.fichier_services(chemin)  # hook: services.json beside structures.json
        donnees = data_inclusion.joindre(donnees, services.read_bytes()) if services else donnees
    except OSError as exc:
        raise ErreurImport(f"{chemin}: lecture impossible : {exc.strerror}") from None
    format_ = chemin.suffix.lower().lstrip(".") if chemin.suffix.lower() in (".csv", ".json") else ""
    return lire_octets(donnees, chemin.name, format_)


# --- one record: raw values to v1.0 -------------------------------------------------------------


def _scalaire(valeur: object) -> str | None:
    """A JSON/CSV scalar as stripped text ("" for null); None for nested structures."""
    if valeur is None:
        return ""
    if isinstance(valeur, (bool, dict, list)):
        return None
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    return str(valeur).strip()


def decouper(texte: str) -> list[str]:
    """Split a multi-valued cell: on "|" when present (v1.0), else on ";" (older files)."""
    separateur = "|" if "|" in texte else ";"
    return [partie.strip() for partie in texte.split(separateur) if partie.strip()]


def _valeur_source(champ: str, valeur: object) -> object:
    """One raw value as text, or a list of texts for multi-valued fields; None when unusable."""
    if isinstance(valeur, list):
        textes = [_scalaire(v) for v in valeur]
        return None if any(t is None for t in textes) else [t for t in textes if t]
    texte = _scalaire(valeur)
    if texte is None or champ not in _MULTIPLES_SOURCE:
        return texte
    return decouper(texte)


def _normaliser_cles(brut: dict, conversion: Conversion) -> dict[str, object]:
    """Rename old field names, drop empty values, list unknown fields."""
    valeurs: dict[str, object] = {}
    for cle, valeur in brut.items():
        cle = "(cellules sans en-tête)" if cle is None else str(cle).strip()
        champ = RENOMMAGES.get(cle, cle)
        if champ not in CHAMPS_CONNUS and champ not in ANCIENS_CHAMPS:
            conversion.champs_inconnus.append(champ)
            continue
        texte = _valeur_source(champ, valeur)
        if texte is None:
            conversion.rejets.append(Rejet(champ, str(valeur)[:200], "valeur imbriquée illisible"))
        elif texte not in ("", []):
            valeurs[champ] = _fusion(valeurs.get(champ), texte)
    return valeurs


def _fusion(avant: object, apres: object) -> object:
    """Two values for the same field (old and new names): union of lists, else the first."""
    if avant is None:
        return apres
    if isinstance(avant, list) and isinstance(apres, list):
        return avant + [v for v in apres if v not in avant]
    return avant


def _ajouter(valeurs: dict[str, object], champ: str, nouvelles: Iterable[str]) -> None:
    """Add values to a multi-valued field without repeats."""
    liste = valeurs.setdefault(champ, [])
    for valeur in nouvelles:
        if valeur not in liste:
            liste.append(valeur)  # type: ignore[union-attr]


def _non_repris(conversion: Conversion, champ: str, valeurs: list[str]) -> None:
    """Record source values that have no v1.0 equivalent (reported, and kept as a comment)."""
    for valeur in valeurs:
        conversion.non_repris.append((champ, valeur))
        conversion.rejets.append(Rejet(champ, valeur, "sans équivalent dans le standard v1.0", False))


def _convertir_anciens(valeurs: dict[str, object], conversion: Conversion) -> None:
    """Old fields (conditions_acces, publics_accueillis, labels_nationaux) to v1.0 fields."""
    for ancien in ANCIENS_FRAIS:
        nouvelles, inconnues = anciens.convertir_par_tete(valeurs.pop(ancien, []), anciens.FRAIS_V0)
        _ajouter(valeurs, "frais_a_charge", nouvelles)
        _non_repris(conversion, ancien, inconnues)
    for ancien, fonction in (
        ("publics_accueillis", anciens.convertir_publics),
        ("labels_nationaux", anciens.convertir_labels),
    ):
        champs, inconnues = fonction(valeurs.pop(ancien, []))
        for champ, nouvelles in champs.items():
            _ajouter(valeurs, champ, nouvelles)
        _non_repris(conversion, ancien, inconnues)


_CONVERTISSEURS = {
    "services": anciens.convertir_services,
    "modalites_accompagnement": anciens.convertir_modalites_accompagnement,
    "frais_a_charge": lambda valeurs: anciens.convertir_par_tete(valeurs, anciens.FRAIS_V0),
}


def _convertir_enumerations(valeurs: dict[str, object], conversion: Conversion) -> None:
    """v1.0 closed lists: current values kept, old ones mapped, the rest reported."""
    for champ, possibles in ENUMERATIONS.items():
        liste = valeurs.pop(champ, [])
        if champ in _CONVERTISSEURS:
            gardees, inconnues = _CONVERTISSEURS[champ](liste)
        else:
            gardees = [v for v in liste if v in possibles]  # type: ignore[union-attr]
            inconnues = [v for v in liste if v not in possibles]  # type: ignore[union-attr]
        if gardees:
            valeurs[champ] = gardees
        _non_repris(conversion, champ, inconnues)


def _preparer_date(valeurs: dict[str, object], conversion: Conversion) -> None:
    """date_maj as "AAAA-MM-JJ": an ISO date-time keeps its date, "JJ/MM/AAAA" is turned around."""
    texte = str(valeurs.get("date_maj", ""))
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", texte):
        valeurs["date_maj"] = texte[:10]
    elif francaise := re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", texte):
        valeurs["date_maj"] = f"{francaise[3]}-{francaise[2]}-{francaise[1]}"
        conversion.corrections.append("date_maj JJ/MM/AAAA convertie")


# --- one record: cleaning values ----------------------------------------------------------------


def _rejeter(lieu: Lieu, conversion: Conversion, champ: str, valeur: object, raison: str) -> None:
    """Leave a bad value out, keep it in the report (and the entry's comments), flag the field."""
    conversion.rejets.append(Rejet(champ, str(valeur), raison))
    _a_verifier(conversion, champ)


def _a_verifier(conversion: Conversion, champ: str) -> None:
    """Flag a field as to be checked (`_nettoyer` sets the flags on the record)."""
    if champ not in conversion.a_verifier:
        conversion.a_verifier.append(champ)


def telephone_source(texte: str, code_postal: str = "") -> tuple[str | None, str]:
    """A source's phone in the standard's form, read in the region of its postcode; without one,
    overseas numbers written "0262…" are still recognised."""
    forme, raison = telephone_normalise(texte, code_postal)
    if forme is not None:
        return forme, ""
    for region in _REGIONS_OUTRE_MER:
        try:
            numero = phonenumbers.parse(texte, region)
        except phonenumbers.NumberParseException:
            break
        if phonenumbers.is_valid_number(numero):
            e164 = phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.E164)
            return telephone_normalise(e164)
    return None, raison


def _nettoyer_contacts(lieu: Lieu, conversion: Conversion) -> Lieu:
    """Phone in the standard's form; e-mails and URLs valid, or left out."""
    if lieu.telephone:
        forme, raison = telephone_source(lieu.telephone, lieu.code_postal)
        if forme is None:
            _rejeter(lieu, conversion, "telephone", lieu.telephone, raison)
        lieu = avec(lieu, telephone=forme or "")
    courriels = [c.removeprefix("mailto:").strip().rstrip(".") for c in lieu.courriels]
    lieu = avec(lieu, courriels=_garder(lieu, conversion, "courriels", courriels, courriel_valide))
    lieu = avec(
        lieu, site_web=_garder(lieu, conversion, "site_web", [_url(u) for u in lieu.site_web], url_valide)
    )
    for champ in ("fiche_acces_libre", "prise_rdv"):
        valeur = _url(getattr(lieu, champ))
        gardee = _garder(lieu, conversion, champ, [valeur] if valeur else [], url_valide)
        lieu = avec(lieu, **{champ: "".join(gardee)})
    return lieu


def _url(texte: str) -> str:
    """A web address; "www.exemple.fr" (no scheme) becomes "http://www.exemple.fr"."""
    texte = texte.strip()
    if texte and "://" not in texte and url_valide("http://" + texte):
        return "http://" + texte
    return texte


def _garder(lieu: Lieu, conversion: Conversion, champ: str, valeurs: list[str], valide) -> list[str]:
    """The values accepted by `valide`, the others rejected with a reason."""
    gardees = []
    for valeur in valeurs:
        if valide(valeur):
            gardees.append(valeur)
        else:
            _rejeter(lieu, conversion, champ, valeur, "valeur invalide")
    return gardees


def _nettoyer_codes(lieu: Lieu, conversion: Conversion) -> Lieu:
    """pivot, code_postal, code_insee in the standard's forms (placeholders emptied)."""
    pivot = re.sub(r"\s", "", lieu.pivot)
    lieu = avec(lieu, pivot="" if not pivot.strip("0") else pivot)
    if lieu.pivot and not MOTIFS["pivot"].match(lieu.pivot):
        _rejeter(lieu, conversion, "pivot", lieu.pivot, "ni SIRET ni RNA")
        lieu = avec(lieu, pivot="")
    lieu = avec(lieu, code_postal=_code(lieu.code_postal, conversion, "code_postal"))
    if lieu.code_insee.upper() in ("MISSING", "NULL", "NONE", "NA"):
        conversion.corrections.append("code_insee « MISSING » vidé")
        lieu = avec(lieu, code_insee="")
    lieu = avec(lieu, code_insee=_code(lieu.code_insee, conversion, "code_insee"))
    if lieu.code_insee and not MOTIFS["code_insee"].match(lieu.code_insee):
        _rejeter(lieu, conversion, "code_insee", lieu.code_insee, "code INSEE invalide")
        lieu = avec(lieu, code_insee="")
    return lieu


def _code(texte: str, conversion: Conversion, champ: str) -> str:
    """Postcode-like code: a 4-digit number lost its leading zero; "30252 Cedex" keeps "30252"."""
    texte = texte.strip()
    if re.fullmatch(r"\d{4}", texte):
        conversion.corrections.append(f"{champ} à 4 chiffres complété d'un zéro")
        return "0" + texte
    cedex = re.fullmatch(r"(\d{5})\s*cedex.*", texte, re.IGNORECASE)
    if cedex:
        conversion.corrections.append(f"{champ} « CEDEX » retiré")
        return cedex.group(1)
    return texte


def _nettoyer_coordonnees(lieu: Lieu, conversion: Conversion) -> Lieu:
    """Coordinates come in pairs and lie in France, or are both left out."""
    if lieu.latitude is None and lieu.longitude is None:
        return lieu
    if lieu.latitude is None or lieu.longitude is None:
        raison = "latitude et longitude vont ensemble"
    elif not zone_france(lieu.latitude, lieu.longitude):
        raison = "point hors de France"
    else:
        return lieu
    _rejeter(lieu, conversion, "latitude", f"{lieu.latitude}, {lieu.longitude}", raison)
    return avec(lieu, latitude=None, longitude=None)


def _retirer_balises(lieu: Lieu, conversion: Conversion) -> Lieu:
    """Sources sometimes hold HTML in plain-text fields: keep the text, drop the markup, say so."""
    for champ in CHAMPS_TEXTE_LIBRE:
        valeurs = getattr(lieu, champ)
        propres = [
            texte_brut(v) if contient_balise(v) else v
            for v in (valeurs if isinstance(valeurs, list) else [valeurs])
        ]
        if propres != (valeurs if isinstance(valeurs, list) else [valeurs]):
            lieu = avec(lieu, **{champ: propres if isinstance(valeurs, list) else propres[0]})
            conversion.corrections.append(f"{champ} : balises HTML retirées")
    return lieu


def _nettoyer_textes(lieu: Lieu, conversion: Conversion) -> Lieu:
    """A leading list bullet "- " would read as a spreadsheet formula: made a "•" bullet or removed."""
    lieu = _retirer_balises(lieu, conversion)
    if _PUCE.match(lieu.adresse):
        lieu = avec(lieu, adresse=_PUCE.sub("", lieu.adresse))
        conversion.corrections.append("adresse : tiret initial retiré")
    for champ in ("presentation_resume", "presentation_detail"):
        if _PUCE.match(getattr(lieu, champ)):
            lieu = avec(lieu, **{champ: _PUCE.sub("• ", getattr(lieu, champ))})
            conversion.corrections.append(f"{champ} : tiret initial remplacé par une puce")
    if len(lieu.presentation_resume) > 280:
        lieu = avec(
            lieu,
            presentation_detail=lieu.presentation_detail or lieu.presentation_resume,
            presentation_resume=lieu.presentation_resume[:279].rsplit(" ", 1)[0].rstrip(" ,;:") + "…",
        )
        conversion.corrections.append("presentation_resume coupé à 280 caractères")
    return lieu


def convertir_horaires_texte_libre(texte: str) -> tuple[str | None, list[str]]:
    """HOOK: turn free-text French hours ("Lundi : 9h-12h") into the OpenStreetMap syntax.

    To be wired to `horaires.convertir_texte_libre` (being written in parallel, it takes one text
    per weekday). Until then nothing is converted: invalid hours are reported and left out.
    """
    return None, ["pas au format OpenStreetMap (conversion du texte libre à venir)"]


def _nettoyer_horaires(lieu: Lieu, conversion: Conversion) -> Lieu:
    """Opening hours valid for OpenStreetMap, converted from free text, or left out (with a proposal)."""
    verdict = horaires_osm.verifier(lieu.horaires) if lieu.horaires else None
    if verdict is None or verdict.valide:
        return lieu
    if verdict.suggestion and ambiguite(lieu.horaires):  # hook: written as every parser reads it
        conversion.corrections.append("horaires réécrits pour être lus de la même façon partout")
        return avec(lieu, horaires=verdict.suggestion)
    forme, raisons = convertir_horaires_texte_libre(lieu.horaires)
    if forme is None:
        proposition = f" ; proposition : « {verdict.suggestion} »" if verdict.suggestion else ""
        _rejeter(lieu, conversion, "horaires", lieu.horaires, " ; ".join(raisons) + proposition)
    else:
        conversion.corrections.append("horaires convertis du texte libre")
    return avec(lieu, horaires=forme or "")


def _nettoyer_date(lieu: Lieu, conversion: Conversion) -> Lieu:
    """Epoch placeholders (1970-01-01) are kept but reported and flagged as to be checked."""
    if lieu.date_maj in DATES_FACTICES:
        conversion.date_factice = True
        _a_verifier(conversion, "date_maj")
    return lieu


def _signaler_horaires(lieu: Lieu, conversion: Conversion) -> Lieu:
    """Slots of no length or inverted (`Tu 18:00-18:00`) are the producer's mistake: left out of
    the week, their day marked « à vérifier », the field flagged, the original kept."""
    douteuses = anomalies.plages_douteuses(lieu.horaires)
    if not douteuses:
        return lieu
    conversion.erreurs_producteur.append("horaires : plage de durée nulle ou inversée")
    raison = f"plage {', '.join(douteuses)} de durée nulle ou inversée : jour marqué à vérifier"
    conversion.rejets.append(Rejet("horaires", lieu.horaires, raison, False))
    _a_verifier(conversion, "horaires")
    return dataclasses.replace(lieu, horaires=anomalies.marquer_plages(lieu.horaires))


def _signaler_pivot(lieu: Lieu, conversion: Conversion) -> Lieu:
    """A placeholder pivot (11111111111111, 12345678901234, a SIRET with a wrong checksum) is not
    published as the place's SIRET: emptied (the export writes the standard's placeholder), flagged.
    All zeros is the standard's own "unknown" (half of cnfs.json): counted, but no sheet says
    "à vérifier" for it."""
    raison = anomalies.pivot_factice(lieu.pivot)
    if not raison:
        return lieu
    conversion.erreurs_producteur.append(f"pivot : {raison}")
    if not lieu.pivot.strip("0 "):  # the standard's own "unknown": counted, not flagged on the sheet
        return dataclasses.replace(lieu, pivot="")
    conversion.rejets.append(Rejet("pivot", lieu.pivot, raison, False))
    _a_verifier(conversion, "pivot")
    return dataclasses.replace(lieu, pivot="")


def _signaler_erreurs_producteur(lieu: Lieu, conversion: Conversion) -> Lieu:
    """Producer mistakes (domain/anomalies.py) flagged "à vérifier" instead of shown as facts."""
    lieu = _signaler_pivot(_signaler_horaires(lieu, conversion), conversion)
    if anomalies.date_factice(lieu.date_maj):
        conversion.erreurs_producteur.append("date_maj : date factice (1970-01-01)")
    return lieu


def _proteger_vie_privee(lieu: Lieu, conversion: Conversion) -> Lieu:
    """Nominative e-mails and personal mobiles are not published unless the options allow them; the
    entry file says which field lost a value, never the value."""
    if conversion.options.contacts_personnels:
        return lieu
    lieu, retenue = confidentialite.retenir(lieu)
    for champ in retenue.champs:
        conversion.retenus += [champ] * getattr(retenue, champ)
        raison = "coordonnée personnelle (prénom.nom ou mobile) non publiée : vie privée"
        conversion.rejets.append(Rejet(champ, "valeur non recopiée", raison, False))
    return lieu


def _nettoyer_communes(lieu: Lieu, conversion: Conversion) -> Lieu:
    """Names, addresses and communes in French case, the commune from the referential (official
    name, INSEE code when missing); the original values stay as comments in the entry file."""
    if not conversion.referentiel:
        return lieu
    nouveau, originaux, resolution = remettre_en_forme(lieu, conversion.referentiel)
    for champ, valeur in originaux:
        raison = "valeur d'origine, remplacée par la forme officielle ou en casse normale"
        conversion.rejets.append(Rejet(champ, valeur, raison, invalide=False))
    if resolution.commune is None:
        conversion.communes.append("non trouvée")
    elif nouveau.commune != lieu.commune:
        conversion.communes.append("normalisée")
    if nouveau.code_insee != lieu.code_insee:
        conversion.communes.append("code INSEE complété")
    if resolution.incoherence:
        conversion.communes.append("incohérente")
    return nouveau


def _nettoyer(lieu: Lieu, conversion: Conversion) -> Lieu:
    """Every cleaning step of one record, each `(lieu, conversion) -> Lieu` (records are frozen: a
    step returns the cleaned record, a new one when it changed something); then the fields flagged
    as to be checked on the way (`_a_verifier`)."""
    for etape in (
        _signaler_erreurs_producteur,
        _nettoyer_contacts,
        _proteger_vie_privee,
        _nettoyer_codes,
        _nettoyer_coordonnees,
        _nettoyer_textes,
        _nettoyer_communes,
        _nettoyer_horaires,
        _nettoyer_date,
    ):
        lieu = etape(lieu, conversion)
    nouveaux = [champ for champ in conversion.a_verifier if champ not in lieu.a_verifier]
    return avec(lieu, a_verifier=[*lieu.a_verifier, *nouveaux]) if nouveaux else lieu


# --- one record: the whole conversion ------------------------------------------------------------


def _ecart(nom: str, ligne: int, champ: str, message: str) -> Probleme:
    """The reason a record is left out (a warning: the import goes on)."""
    return Probleme(nom, ligne, champ, message, AVERTISSEMENT)


def _manquant(lieu: Lieu) -> str:
    """The first required field missing or invalid, or ""."""
    for champ in ("nom", "adresse", "commune", "code_postal", "date_maj"):
        if getattr(lieu, champ) in (None, ""):
            return champ
    return "" if MOTIFS["code_postal"].match(lieu.code_postal) else "code_postal"


def _identifiant(brut: dict, numero: int) -> str:
    """The record's own id, or its number in the file when it has none (as the aggregator does)."""
    texte = _scalaire(brut.get("id"))
    return texte or str(numero)


def _verdict(lieu: Lieu, conversion: Conversion, contexte: Contexte, ligne: int) -> None:
    """Validate the cleaned record: any remaining error leaves it out with the first message."""
    problemes = valider_lieu(lieu, contexte)
    erreurs = [p for p in problemes if p.est_erreur]
    conversion.avertissements = len(problemes) - len(erreurs)
    if erreurs:
        premiere = erreurs[0]
        conversion.ecart = _ecart(lieu.chemin, ligne, premiere.champ, f"écarté : {premiere.message}")
        conversion.lieu = None


def _lieu_brut(brut: dict, nom: str, ligne: int, numero: int, conversion: Conversion) -> Lieu:
    """A raw record as a Lieu in v1.0 vocabularies; values of the wrong type are rejected."""
    valeurs = _normaliser_cles(brut, conversion)
    _convertir_anciens(valeurs, conversion)
    _convertir_enumerations(valeurs, conversion)
    _preparer_date(valeurs, conversion)
    valeurs["id"] = _identifiant(brut, numero)
    lieu, problemes = lieu_depuis_mapping(valeurs, dict.fromkeys(valeurs, ligne), nom)
    for probleme in problemes:
        _rejeter(lieu, conversion, probleme.champ, valeurs.get(probleme.champ, ""), probleme.message)
    return lieu


def convertir_enregistrement(
    brut: object,
    nom: str,
    ligne: int,
    numero: int,
    source: str,
    contexte: Contexte,
    options: OptionsImport = OPTIONS_PAR_DEFAUT,
) -> Conversion:
    """Convert one raw record of file `nom` (at `ligne`, `numero`-th) to a cleaned, valid Lieu.

    The Lieu keeps the source's own id; its provenance names `source`. A record outside digital
    mediation is left out (`hors_perimetre` says why) unless the options keep it. Never raises.
    """
    conversion = Conversion(options=options, referentiel=contexte.referentiel)
    if not isinstance(brut, dict):
        conversion.ecart = _ecart(nom, ligne, "", "enregistrement qui n'est pas un objet « {…} »")
        return conversion
    lieu = _nettoyer(_lieu_brut(brut, nom, ligne, numero, conversion), conversion)
    manquant = _manquant(lieu)
    if manquant:
        message = f"écarté : champ obligatoire « {manquant} » absent ou invalide"
        conversion.ecart = _ecart(nom, ligne, manquant, message)
        return conversion
    conversion.lieu = lieu = avec(lieu, provenances=[Provenance(source, lieu.id, lieu.date_maj)])
    _verdict(lieu, conversion, contexte, ligne)
    if conversion.lieu is not None and not options.hors_perimetre and (pourquoi := hors_perimetre(lieu)):
        conversion.hors_perimetre = pourquoi  # a valid record: counted in the report, not an error
        conversion.lieu = None
    return conversion


def source_par_defaut(brut: object, chemin: Path) -> str:
    """The source name of a record: its `source` field, else the file's name, as a slug."""
    texte = _scalaire(brut.get("source")) if isinstance(brut, dict) else ""
    return slugifier(texte or "") or slugifier(chemin.stem) or "import"


# --- a whole file ---------------------------------------------------------------------------------


def _progression(flux: TextIO | None, fait: int, total: int) -> None:
    """Progress on stderr every PROGRESSION_PAS records (long imports)."""
    if flux is not None and total > PROGRESSION_PAS and (fait % PROGRESSION_PAS == 0 or fait == total):
        print(f"… {fait}/{total} enregistrements lus", file=flux, flush=True)


def identifiant_unique(identifiant: str, numero: int, vus: set[str]) -> str:
    """An id not yet in `vus` (then added): a repeated id gets its record number, "12345-17"."""
    if identifiant in vus:
        identifiant = f"{identifiant}-{numero}"
    vus.add(identifiant)
    return identifiant


def _nommer(lieu: Lieu, source: str, chemin: Path, numero: int, vus: set[str]) -> Lieu:
    """An imported place with its namespaced id (SOURCE_ID), unique in the file, and its slug."""
    propre = identifiant_unique(lieu.id, numero, vus)
    return avec(
        lieu,
        id=identifiant_federe(source, propre),
        slug=slugifier(f"{source}-{propre}") or "lieu",
        references=[f"Importé de {chemin.name} ({source}, identifiant {propre})"],
    )


def importer_fichier(
    chemin: Path,
    source: str = "",
    aujourd_hui: dt.date | None = None,
    progression: TextIO | None = None,
    options: OptionsImport = OPTIONS_PAR_DEFAUT,
) -> tuple[list[Lieu], RapportImport]:
    """Import a file in the standard: (valid places with ids "SOURCE_ID", report). Raise ErreurImport.

    `source` names the source in ids and file names; by default each record's own `source` field
    (so that two vintages of a file give the same ids), else the file's name.
    """
    enregistrements, notes = lire_fichier(chemin)
    rapport = RapportImport(chemin.name)
    rapport.corrections.update(notes)
    contexte = Contexte(aujourd_hui=aujourd_hui or dt.date.today(), referentiel=charger_referentiel())
    lieux: list[Lieu] = []
    vus: set[str] = set()
    for numero, (ligne, brut) in enumerate(enregistrements, start=1):
        nom_source = slugifier(source) or source_par_defaut(brut, chemin)
        conversion = convertir_enregistrement(brut, chemin.name, ligne, numero, nom_source, contexte, options)
        rapport.ajouter(conversion)
        if conversion.lieu is not None:
            avant = conversion.lieu.id
            conversion.lieu = _nommer(conversion.lieu, nom_source, chemin, numero, vus)
            if not conversion.lieu.id.endswith(f"_{avant}"):
                rapport.corrections["identifiant en double dans la source : numéroté"] += 1
            rapport.rejets[conversion.lieu.id] = conversion.rejets
            lieux.append(conversion.lieu)
        _progression(progression, numero, len(enregistrements))
    rapport.importes = len(lieux)
    # Reported with the place's id (its file does not exist yet): "cnfs_123 : à 565 km…"
    rapport.loin_de_la_commune = [
        _ecart(lieu.id, 1, "latitude", f"« {lieu.nom} » à {km:.0f} km des autres lieux de {lieu.commune}")
        for lieu, km in eloignes(lieux, contexte.referentiel)
    ]
    return lieux, rapport


# --- entry files ----------------------------------------------------------------------------------


def commentaire_rejet(rejet: Rejet) -> str:
    """A YAML comment line keeping a value that was not imported (control characters removed)."""
    texte = f"{rejet.champ} : « {rejet.valeur} » ({rejet.raison})"
    texte = re.sub(r"[\x00-\x1f\x7f\u2028\u2029\x85]+", " ", texte)
    prefixe = "# non repris — " if rejet.invalide else "# d'origine — "
    return prefixe + (texte if len(texte) <= 300 else texte[:299] + "…")


def _donnees_fiche(lieu: Lieu) -> dict[str, object]:
    """The entry's fields in the standard's order, then our extensions; empty ones and defaults
    (statut: ouvert) left out."""
    donnees: dict[str, object] = {}
    for champ in CHAMPS_STANDARD + EXTENSIONS:
        valeur = getattr(lieu, champ)
        if valeur not in ("", [], None) and valeur != VIDES[champ]:
            donnees[champ] = list(valeur) if isinstance(valeur, list) else valeur
    return donnees


ENTETE_IMPORT = "# Fiche importée automatiquement (voir « references ») : relisez-la avant de la publier."


def texte_fiche(lieu: Lieu, rejets: list[Rejet], commentaires: Iterable[str] = ()) -> str:
    """The YAML text of an imported entry: the source values not kept as comments (then the other
    comment lines given, without repeats), then the fields."""
    entete = [ENTETE_IMPORT]
    for ligne in [*commentaires, *(commentaire_rejet(rejet) for rejet in rejets)]:
        if ligne not in entete:
            entete.append(ligne)
    corps = yaml.dump(_donnees_fiche(lieu), Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(entete) + "\n" + corps
