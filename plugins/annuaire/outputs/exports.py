"""Exports: records in, open-data files out (national CSV and JSON, GeoJSON, Atom feed).

Pure functions: a list of `Lieu` gives text; `ecrire_exports` writes the files of the `/donnees/` page.
Every output is deterministic: records sorted by id, no timestamp but those of the data.

What the national CSV needs (schema v1.0.2, see ../shared/reference/schema-mednum/):
- all 32 columns in the standard's order, `|` between the values of a multi-valued field, UTF-8, commas;
- the 7 required fields filled (`pivot` defaults to fourteen zeros, as the standard's tools do);
- nothing that breaks a pattern: a value that would (phone, closed list, code INSEE) is left out and
  reported, never written wrong. A place lacking a required field is left out of the standard files.

Values are plain text: nothing here builds HTML. Text that a spreadsheet would run as a formula is
prefixed with an apostrophe in the CSV (the usual defence against "CSV injection").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import feedgenerator

from annuaire.domain import horaires as horaires_osm
from annuaire.domain import routes
from annuaire.domain.calcul import Appliquer, appliquer_simple
from annuaire.domain.champs import (
    CHAMPS_MULTIPLES,
    CHAMPS_REQUIS,
    CHAMPS_STANDARD,
    ENUMERATIONS,
    EXTENSIONS_EXPORTEES,
    MOTIFS,
)
from annuaire.domain.formats import (
    courriel_valide,
    json_sur,
    telephone_normalise,
    url_valide,
)
from annuaire.domain.model import AVERTISSEMENT, Lieu, Probleme
from annuaire.domain.typologies_reference import TYPOLOGIES_REMPLACEES
from annuaire.domain.vocabulaire import (
    ETAPES_SCHEMA,
    ETAPES_USUEL,
    PIVOT_REFERENCE,
    PRESENTATION_RESUME_MAX,
    TYPOLOGIES,
)
from annuaire.outputs import donnees_nationales
from annuaire.outputs.ecriture import ecrire_atomique

PIVOT_DEFAUT = "00000000000000"
PAS_DE_PUBLIC = "Ce lieu n'accueille pas de public"
# Fields about receiving people: dropped for a place that offers no service (business rule of the
# national reference library: no service means the place does not receive the public).
CHAMPS_ACCUEIL: tuple[str, ...] = (
    "horaires",
    "prise_rdv",
    "modalites_accompagnement",
    "frais_a_charge",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "fiche_acces_libre",
)
CHAMPS_REQUIS_EXPORT: tuple[str, ...] = CHAMPS_REQUIS
CHAMPS_TEXTE: tuple[str, ...] = (
    "nom",
    "commune",
    "adresse",
    "complement_adresse",
    "presentation_detail",
    "source",
    "structure_parente",
)

NOM_CSV = "lieux-de-mediation-numerique.csv"
NOM_JSON = "lieux-de-mediation-numerique.json"
NOM_GEOJSON = "lieux-de-mediation-numerique.geojson"
NOM_ATOM = "lieux-de-mediation-numerique.atom"
ENTREES_ATOM_MAX = 50
_HORS_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class RapportExport:
    """What an export wrote, which places it left out and which values it could not keep."""

    fichiers: list[str] = field(default_factory=list)
    ecartes: list[Probleme] = field(default_factory=list)
    corrections: list[Probleme] = field(default_factory=list)
    exportes: int = 0

    def resume(self) -> str:
        """One French line for the command line."""
        fichiers = ", ".join(self.fichiers)
        return (
            f"{self.exportes} lieux exportés, {len(self.ecartes)} écartés de l'export national, "
            f"{len(self.corrections)} valeurs non reprises ; fichiers : {fichiers}"
        )


# --- one record in the standard's form -------------------------------------------------------


def _signaler(lieu: Lieu, champ: str, message: str, sortie: list[Probleme]) -> None:
    """Record a value the export could not keep (a warning on the entry's line)."""
    sortie.append(Probleme(lieu.chemin, lieu.ligne(champ), champ, message, AVERTISSEMENT))


def _texte(valeur: str) -> str:
    """Plain text without control characters (line breaks and tabs kept), stripped."""
    return _CONTROLE.sub("", valeur or "").strip()


def _telephone(lieu: Lieu, sortie: list[Probleme]) -> str:
    """The phone in the standard's form, or "" (reported) when it cannot be written validly."""
    if not lieu.telephone:
        return ""
    forme, raison = telephone_normalise(lieu.telephone, lieu.code_postal)
    if forme is None:
        _signaler(lieu, "telephone", f"non exporté : {raison}", sortie)
        return ""
    return forme


def _valeurs_valides(lieu: Lieu, champ: str, valide, sortie: list[Probleme]) -> list[str]:
    """Keep the values of `champ` accepted by `valide`; report the others."""
    gardees = []
    for valeur in getattr(lieu, champ):
        if valide(valeur):
            gardees.append(valeur)
        else:
            _signaler(lieu, champ, f"« {valeur} » non exporté (valeur invalide)", sortie)
    return gardees


def _enumeration(lieu: Lieu, champ: str, sortie: list[Probleme]) -> list[str]:
    """Closed-list values, as the schema's pattern spells them; unknown values are reported."""
    possibles = ENUMERATIONS[champ]
    gardees: list[str] = []
    for valeur in getattr(lieu, champ):
        # v1.0.2's pattern spells "Étapes numériques(La Poste)" without the space that its own
        # description and the reference library use: we write the pattern's spelling, the only one
        # `frictionless validate` accepts. To revisit when the standard fixes its pattern.
        valeur = ETAPES_SCHEMA if valeur == ETAPES_USUEL else valeur
        if valeur not in possibles:
            _signaler(lieu, champ, f"« {valeur} » non exporté : pas une valeur du standard", sortie)
        elif valeur not in gardees:
            gardees.append(valeur)
    return gardees


def typologies_export(lieu: Lieu, sortie: list[Probleme]) -> list[str]:
    """Typologies the national map's reference library reads (old codes renamed, as data·inclusion
    does: PE -> FT); an unknown one is reported and left out (the library refuses the whole record)."""
    gardees: list[str] = []
    for valeur in (_texte(v) for v in lieu.typologie if _texte(v)):
        valeur = TYPOLOGIES_REMPLACEES.get(valeur, valeur)
        if valeur not in TYPOLOGIES:
            _signaler(lieu, "typologie", f"« {valeur} » non exporté : typologie inconnue", sortie)
        elif valeur not in gardees:
            gardees.append(valeur)
    return gardees


def _url_unique(lieu: Lieu, champ: str, sortie: list[Probleme]) -> str:
    """A single http(s) URL, or "" (reported) when invalid."""
    valeur = _texte(getattr(lieu, champ))
    if valeur and not url_valide(valeur):
        _signaler(lieu, champ, f"« {valeur} » non exporté : adresse web invalide", sortie)
        return ""
    return valeur


def _motif_optionnel(lieu: Lieu, champ: str, sortie: list[Probleme]) -> str:
    """A value that must follow the standard's pattern (code_insee), or "" (reported)."""
    valeur = _texte(getattr(lieu, champ))
    if valeur and not MOTIFS[champ].match(valeur):
        _signaler(lieu, champ, f"« {valeur} » non exporté : format invalide", sortie)
        return ""
    return valeur


def _pivot(lieu: Lieu) -> str:
    """SIRET/RNA without spaces; fourteen zeros when absent or malformed (never invalid)."""
    valeur = re.sub(r"\s", "", lieu.pivot or "")
    # The reference library reads only a SIRET or an RNA (RIDET dropped): anything else is zeros.
    return valeur if MOTIFS["pivot"].match(valeur) and PIVOT_REFERENCE.match(valeur) else PIVOT_DEFAUT


def _coordonnees(lieu: Lieu) -> tuple[float | None, float | None]:
    """Both coordinates when both are finite numbers, else neither."""
    lat, lon = lieu.latitude, lieu.longitude
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None, None
    return lat, lon


def _horaires(lieu: Lieu, sortie: list[Probleme]) -> str:
    """Opening hours when they follow the OpenStreetMap syntax; reported and left out otherwise."""
    valeur = _texte(lieu.horaires)
    if valeur and not horaires_osm.verifier(valeur).valide:
        _signaler(lieu, "horaires", f"« {valeur} » non exporté : pas au format OpenStreetMap", sortie)
        return ""
    return valeur


def _resume(lieu: Lieu, sortie: list[Probleme]) -> str:
    """presentation_resume within the standard's 280 characters (cut on a word, reported)."""
    valeur = _texte(lieu.presentation_resume)
    if len(valeur) <= PRESENTATION_RESUME_MAX:
        return valeur
    _signaler(lieu, "presentation_resume", f"coupé à {PRESENTATION_RESUME_MAX} caractères", sortie)
    coupe = valeur[: PRESENTATION_RESUME_MAX - 1].rsplit(" ", 1)[0]
    return coupe.rstrip(" ,;:") + "…"


def _valeurs_simples(lieu: Lieu, sortie: list[Probleme]) -> dict[str, object]:
    """The single-valued fields, cleaned."""
    latitude, longitude = _coordonnees(lieu)
    valeurs: dict[str, object] = {champ: _texte(getattr(lieu, champ)) for champ in CHAMPS_TEXTE}
    valeurs.update(
        id=_texte(lieu.id),
        pivot=_pivot(lieu),
        code_postal=_texte(lieu.code_postal),
        code_insee=_motif_optionnel(lieu, "code_insee", sortie),
        latitude=latitude,
        longitude=longitude,
        telephone=_telephone(lieu, sortie),
        horaires=_horaires(lieu, sortie),
        presentation_resume=_resume(lieu, sortie),
        date_maj=lieu.date_maj.isoformat() if lieu.date_maj else "",
        fiche_acces_libre=_url_unique(lieu, "fiche_acces_libre", sortie),
        prise_rdv=_url_unique(lieu, "prise_rdv", sortie),
    )
    return valeurs


def _valeurs_multiples(lieu: Lieu, sortie: list[Probleme]) -> dict[str, list[str]]:
    """The multi-valued fields, cleaned (closed lists checked, e-mails and URLs valid)."""
    valeurs: dict[str, list[str]] = {}
    for champ in CHAMPS_MULTIPLES:
        if champ in ENUMERATIONS:
            valeurs[champ] = _enumeration(lieu, champ, sortie)
        else:
            valeurs[champ] = [_texte(v) for v in getattr(lieu, champ) if _texte(v)]
    valeurs["typologie"] = typologies_export(lieu, sortie)  # hook: only what the reference library reads
    valeurs["courriels"] = _valeurs_valides(lieu, "courriels", courriel_valide, sortie)
    valeurs["site_web"] = _valeurs_valides(lieu, "site_web", url_valide, sortie)
    return valeurs


def _sans_public(valeurs: dict[str, object]) -> None:
    """Business rule: no service means the place does not receive the public."""
    if valeurs["services"]:
        return
    valeurs["modalites_acces"] = [PAS_DE_PUBLIC]
    for champ in CHAMPS_ACCUEIL:
        valeurs[champ] = [] if champ in CHAMPS_MULTIPLES else ""


def _raison_ecart(lieu: Lieu, valeurs: dict[str, object]) -> tuple[str, str]:
    """(field, French reason) when the place cannot be in the standard files, else ("", "")."""
    if lieu.statut == "ferme_definitivement":
        return "statut", "lieu fermé définitivement : absent des exports"
    if not valeurs["id"]:
        return "id", "identifiant absent : lieu absent de l'export national"
    for champ in CHAMPS_REQUIS_EXPORT:
        if not valeurs[champ]:
            return champ, "champ obligatoire du standard absent : lieu absent de l'export national"
    if not MOTIFS["code_postal"].match(str(valeurs["code_postal"])):
        return "code_postal", "code postal invalide : lieu absent de l'export national"
    return "", ""


def enregistrement_standard(lieu: Lieu) -> tuple[dict[str, object] | None, list[Probleme]]:
    """The 32 fields of a place, cleaned for the standard (lists stay lists, numbers stay numbers).

    Returns (None, [reason]) when the place cannot be in the standard files, and the values it had
    to leave out as warnings otherwise.
    """
    corrections: list[Probleme] = []
    valeurs = _valeurs_simples(lieu, corrections)
    valeurs.update(_valeurs_multiples(lieu, corrections))
    _sans_public(valeurs)
    champ, raison = _raison_ecart(lieu, valeurs)
    if raison:
        return None, [Probleme(lieu.chemin, lieu.ligne(champ), champ, raison, AVERTISSEMENT)]
    return {nom: valeurs[nom] for nom in CHAMPS_STANDARD}, corrections


def enregistrements_standard(
    lieux: list[Lieu], nettoyer: Callable[[Lieu], tuple] = enregistrement_standard
) -> tuple[list[tuple[Lieu, dict]], RapportExport]:
    """Every exportable place with its cleaned values (by `nettoyer`: `enregistrement_standard`,
    or a cache of it), sorted by id; ids kept unique."""
    rapport = RapportExport()
    retenus: dict[str, tuple[Lieu, dict]] = {}
    for lieu in sorted(lieux, key=lambda x: (x.id, x.chemin)):
        valeurs, problemes = nettoyer(lieu)
        if valeurs is None:
            rapport.ecartes.extend(problemes)
        elif valeurs["id"] in retenus:
            message = f"identifiant « {valeurs['id']} » déjà exporté : lieu écarté"
            rapport.ecartes.append(Probleme(lieu.chemin, lieu.ligne("id"), "id", message, AVERTISSEMENT))
        else:
            retenus[str(valeurs["id"])] = (lieu, valeurs)
            rapport.corrections.extend(problemes)
    rapport.exportes = len(retenus)
    return list(retenus.values()), rapport


# --- CSV ----------------------------------------------------------------------------------------


def _nombre(valeur: float | None) -> str:
    """A coordinate as the shortest exact decimal text ("45.4397"), "" when absent."""
    return "" if valeur is None else repr(float(valeur))


# A spreadsheet runs a cell starting with one of these as a formula (OWASP's list).
DEBUTS_FORMULE = frozenset("=+-@\t\r")


def _valeur_du_standard(champ: str, texte: str) -> bool:
    """A cell starting like a formula that the standard needs as it is: a coordinate (a number in
    a numeric column) or a phone in the standard's form ("+33…", digits only)."""
    if champ in ("latitude", "longitude"):
        return True  # written by _nombre: a float's repr, nothing else
    return champ == "telephone" and bool(MOTIFS["telephone"].match(texte))


def _cellule(champ: str, valeur: object) -> str:
    """One CSV cell: lists joined with "|", numbers as decimals; any other cell that starts like a
    formula (ids, e-mails, any text) gets a leading apostrophe, so a spreadsheet shows it as text."""
    if isinstance(valeur, list):
        texte = "|".join(valeur)
    elif champ in ("latitude", "longitude"):
        texte = _nombre(valeur)  # type: ignore[arg-type]
    else:
        texte = str(valeur)
    if texte[:1] in DEBUTS_FORMULE and not _valeur_du_standard(champ, texte):
        texte = "'" + texte
    return texte


def _ligne_csv(cellules: list[str]) -> str:
    """One CSV row, quoted only where needed, with its CRLF."""
    tampon = io.StringIO()
    csv.writer(tampon, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerow(cellules)
    return tampon.getvalue()


def ligne_csv(valeurs: dict) -> str:
    """A cleaned record's CSV row."""
    return _ligne_csv([_cellule(champ, valeurs[champ]) for champ in CHAMPS_STANDARD])


def _texte_csv(retenus: list[tuple[Lieu, dict]], lignes: Callable[[Lieu, dict], str] | None = None) -> str:
    """CSV text of cleaned records: header, then one row each (`lignes`: a place's row, when
    known already)."""
    lignes = lignes or (lambda _lieu, valeurs: ligne_csv(valeurs))
    return _ligne_csv(list(CHAMPS_STANDARD)) + "".join(lignes(lieu, valeurs) for lieu, valeurs in retenus)


def nom_fichier_national(date: dt.date, producteur: str = "", territoire: str = "") -> str:
    """The file name the standard recommends for its CSV.

    AAAAMMJJ_idProducteur_lieux-de-mediation-numerique_territoire.csv (standard's README, "nommage").

    `producteur` is the publisher's SIRET or RNA, `territoire` an unaccented name ("SaintEtienne");
    a part left empty is left out of the name.
    """
    producteur = re.sub(r"[^A-Za-z0-9]", "", producteur)
    ascii_ = unicodedata.normalize("NFKD", territoire).encode("ascii", "ignore").decode("ascii")
    territoire = "".join(mot[:1].upper() + mot[1:] for mot in re.split(r"[^A-Za-z0-9]+", ascii_))
    parties = [date.strftime("%Y%m%d"), producteur, "lieux-de-mediation-numerique", territoire]
    return "_".join(p for p in parties if p) + ".csv"


# --- JSON and GeoJSON ----------------------------------------------------------------------------


def _provenances(lieu: Lieu) -> list[dict[str, str]]:
    """Where the record came from, as plain data."""
    return [
        {
            "source": p.source,
            "identifiant": p.identifiant,
            "date_maj": p.date_maj.isoformat() if p.date_maj else "",
            "url": p.url,
        }
        for p in lieu.provenances
    ]


def extensions(lieu: Lieu) -> dict[str, object]:
    """Our extensions of a place (not in the standard, exported per the registry), empty ones left
    out."""
    valeurs: dict[str, object] = {champ: getattr(lieu, champ) for champ in EXTENSIONS_EXPORTEES}
    valeurs["provenances"] = _provenances(lieu)
    return {champ: valeur for champ, valeur in valeurs.items() if valeur not in ("", [], None)}


def _objet_json(lieu: Lieu, valeurs: dict[str, object]) -> dict[str, object]:
    """One record as the national JSON files write it, plus our extensions under "extensions"."""
    objet: dict[str, object] = {}
    for champ in CHAMPS_STANDARD:
        valeur = valeurs[champ]
        if valeur in ("", [], None):
            continue
        objet[champ] = "|".join(valeur) if isinstance(valeur, list) else valeur
    objet["extensions"] = extensions(lieu)
    return objet


def _compact(valeur: object) -> str:
    """Compact JSON text, safe to paste into HTML."""
    return json_sur(json.dumps(valeur, ensure_ascii=False, separators=(",", ":")))


def objet_json(lieu: Lieu, valeurs: dict[str, object]) -> str:
    """One record's JSON text (see `_objet_json`)."""
    return _compact(_objet_json(lieu, valeurs))


def _texte_json(retenus: list[tuple[Lieu, dict]], objets: Callable[[Lieu, dict], str] | None = None) -> str:
    """JSON text of cleaned records (compact, one array); `objets`: a record's text, when known."""
    objets = objets or objet_json
    return "[" + ",".join(objets(lieu, valeurs) for lieu, valeurs in retenus) + "]\n"


def _feature(lieu: Lieu) -> dict[str, object]:
    """One GeoJSON Point feature with compact properties."""
    proprietes = {
        "id": lieu.id,
        "nom": lieu.nom,
        "commune": lieu.commune,
        "code_postal": lieu.code_postal,
        "adresse": lieu.adresse,
        "services": list(lieu.services),
        "typologie": list(lieu.typologie),
        "url": routes.fiche(lieu),
        "extensions": extensions(lieu),
    }
    point = [round(float(lieu.longitude), 6), round(float(lieu.latitude), 6)]  # type: ignore[arg-type]
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": point}, "properties": proprietes}


def texte_feature(lieu: Lieu) -> str:
    """A place's GeoJSON feature as text, "" when it is not on the map (no coordinates, or closed)."""
    if _coordonnees(lieu) == (None, None) or lieu.statut == "ferme_definitivement":
        return ""
    return _compact(_feature(lieu))


def geojson(lieux: list[Lieu], features: Callable[[Lieu], str] | None = None) -> str:
    """A FeatureCollection of the places that have coordinates (closed places left out), by id;
    `features`: a place's feature text, when known."""
    textes = ((features or texte_feature)(lieu) for lieu in sorted(lieux, key=lambda x: (x.id, x.chemin)))
    return '{"type":"FeatureCollection","features":[' + ",".join(x for x in textes if x) + "]}\n"


def textes_lieu(lieu: Lieu) -> tuple:
    """Everything the open-data files take from one place, computed together so that a build keeps
    them for unchanged places: ({"id": its exported id} or None when left out, its problems, CSV
    row, JSON text, GeoJSON feature). Only the id of the cleaned record is kept: the files need
    its texts, and the whole record doubled the cache."""
    valeurs, problemes = enregistrement_standard(lieu)
    if valeurs is None:
        return None, problemes, "", "", texte_feature(lieu)
    return (
        {"id": valeurs["id"]},
        problemes,
        ligne_csv(valeurs),
        objet_json(lieu, valeurs),
        texte_feature(lieu),
    )


# --- Atom feed ------------------------------------------------------------------------------------


def _xml(texte: str) -> str:
    """Text safe for XML 1.0 (ElementTree escapes <, & and quotes, not forbidden characters)."""
    return _HORS_XML.sub("", texte or "")


def _horodatage(date: dt.date) -> dt.datetime:
    """An Atom date: midnight of the given day (naive: feedgenerator writes it in UTC, "…Z")."""
    return dt.datetime.combine(date, dt.time())


class _FluxAtom(feedgenerator.Atom1Feed):
    """feedgenerator's Atom feed with plain-text summaries (its own are type="html", which would
    make a reader render a place's text as markup) and a fixed date when there is no entry (its
    own is the current time: the build is deterministic)."""

    def add_item_elements(self, handler, item) -> None:
        """feedgenerator's entry, then the summary as plain text."""
        super().add_item_elements(handler, item)
        handler.addQuickElement("summary", item["resume"], {"type": "text"})

    def latest_post_date(self) -> dt.datetime:
        """The newest entry's date; 1970-01-01 without entries."""
        return super().latest_post_date() if self.items else _horodatage(dt.date(1970, 1, 1))


def _resume_atom(lieu: Lieu) -> str:
    """A short plain-text summary of a place for the feed."""
    adresse = ", ".join(p for p in (lieu.adresse, f"{lieu.code_postal} {lieu.commune}".strip()) if p)
    return " — ".join(p for p in (adresse, lieu.presentation_resume) if p)


def _entree_atom(flux: _FluxAtom, lieu: Lieu, site_url: str) -> None:
    """One entry for a place: title, link to its page, update date, text summary."""
    lien = _xml(f"{site_url}/{routes.fiche(lieu)}")
    flux.add_item(
        title=_xml(f"{lieu.nom} ({lieu.commune})" if lieu.commune else lieu.nom),
        link=lien,
        unique_id=lien,
        description=None,
        updateddate=_horodatage(lieu.date_maj),  # type: ignore[arg-type]
        resume=_xml(_resume_atom(lieu)),
    )


def flux_atom(
    lieux: list[Lieu],
    site_url: str,
    titre: str = "Lieux ajoutés ou mis à jour",
    maximum: int = ENTREES_ATOM_MAX,
    auteur: str = "Annuaire de la médiation numérique",
) -> str:
    """An Atom feed of the most recently updated places (newest `date_maj` first, at most `maximum`).

    `site_url` is the site's absolute address ("https://example.org"); links are built from it.
    """
    site_url = site_url.rstrip("/")
    dates = [x for x in lieux if x.date_maj is not None and x.statut != "ferme_definitivement"]
    recents = sorted(dates, key=lambda x: (-x.date_maj.toordinal(), x.id))[:maximum]
    adresse = _xml(f"{site_url}/{routes.donnees(NOM_ATOM)}")
    flux = _FluxAtom(
        title=_xml(titre),
        link=_xml(f"{site_url}/"),
        description="",
        language="fr",
        feed_url=adresse,
        feed_guid=adresse,
        author_name=_xml(auteur),
    )
    for lieu in recents:
        _entree_atom(flux, lieu, site_url)
    return flux.writeString("utf-8") + "\n"


# --- writing the files ----------------------------------------------------------------------------


def _ecrire(dossier: Path, nom: str, texte: str) -> None:
    """Write a UTF-8 file atomically (a reader never sees half a file)."""
    ecrire_atomique(dossier / nom, texte)


def date_des_donnees(lieux: list[Lieu]) -> dt.date:
    """The newest `date_maj` of the places: the date in the CSV's name (deterministic)."""
    dates = [lieu.date_maj for lieu in lieux if lieu.date_maj is not None]
    return max(dates) if dates else dt.date(1970, 1, 1)


def ecrire_exports(
    lieux: list[Lieu],
    dossier: Path,
    site_url: str,
    producteur: str = "",
    territoire: str = "",
    appliquer: Appliquer = appliquer_simple,
) -> RapportExport:
    """Write every open-data file into `dossier` (see `fichiers_exports`) and say what was written
    and left out; then the same records in the other standards (data·inclusion v1, Open Referral
    HSDS: donnees_nationales.py), each record's lines worked out by `appliquer` too."""
    dossier.mkdir(parents=True, exist_ok=True)
    fichiers, rapport, objets = _exports(lieux, site_url, producteur, territoire, appliquer)
    for nom, texte in fichiers.items():
        _ecrire(dossier, nom, texte)
    liens = {_texte(lieu.id): f"{site_url.rstrip('/')}/{routes.fiche(lieu)}" for lieu in lieux}
    records = [(texte, liens.get(identifiant)) for identifiant, texte in objets]
    rapport.fichiers = list(fichiers) + donnees_nationales.ecrire(dossier, records, territoire, appliquer)
    return rapport


def fichiers_exports(
    lieux: list[Lieu],
    site_url: str,
    producteur: str = "",
    territoire: str = "",
    appliquer: Appliquer = appliquer_simple,
) -> tuple[dict[str, str], RapportExport]:
    """Every open-data file's text by name, and what was left out: the national CSV under the
    standard's recommended name and under the stable alias `lieux-de-mediation-numerique.csv`,
    the JSON, the GeoJSON and the Atom feed. Each place's texts are worked out once, by
    `appliquer` (domain/calcul.py: the build keeps them between builds, most of the time on a
    large site).
    """
    fichiers, rapport, _objets = _exports(lieux, site_url, producteur, territoire, appliquer)
    return fichiers, rapport


def _exports(
    lieux: list[Lieu], site_url: str, producteur: str, territoire: str, appliquer: Appliquer
) -> tuple[dict[str, str], RapportExport, list[tuple[str, str]]]:
    """`fichiers_exports`, and each exported record's (id, national JSON text), by id."""
    par_lieu = dict(zip(map(id, lieux), appliquer(textes_lieu, lieux), strict=True))  # once per place

    def textes(lieu: Lieu) -> tuple:
        return par_lieu[id(lieu)]

    retenus, rapport = enregistrements_standard(lieux, lambda lieu: textes(lieu)[:2])
    texte_csv = _texte_csv(retenus, lambda lieu, _valeurs: textes(lieu)[2])
    nom_date = nom_fichier_national(date_des_donnees(lieux), producteur, territoire)
    objets = [(str(valeurs["id"]), textes(lieu)[3]) for lieu, valeurs in retenus]
    fichiers = {
        nom_date: texte_csv,
        NOM_CSV: texte_csv,
        NOM_JSON: _texte_json(retenus, lambda lieu, _valeurs: textes(lieu)[3]),
        NOM_GEOJSON: geojson(lieux, lambda lieu: textes(lieu)[4]),
        NOM_ATOM: flux_atom(lieux, site_url),
    }
    return fichiers, rapport, objets
