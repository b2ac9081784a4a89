"""Federated sources: described as data in the settings, fetched by `sync`, read offline by the build.

A source is a dict of `ANNUAIRE_SOURCES` in pelicanconf.py:

    {"nom": "hinaura", "url": "https://…/lieux.json", "format": "json",
     "licence": "Licence Ouverte 2.0", "codes_postaux": ["42"], "requis": False}

Keys: `nom` (letters, digits, "-"), `url` (http/https) or `chemin` (a local file), `format` (csv or
json; guessed when absent), `licence`, and optional filters: `codes_postaux` and `codes_insee`
(prefixes), `zone` ([sud, ouest, nord, est] in degrees). A place is kept when it matches any of the
filters given. `requis`: a failure of this source makes `sync` exit with an error.

`synchroniser` downloads each source (timeout, size cap, conditional request with the ETag and
Last-Modified of the last download), checks every record, and writes a normalised snapshot
content/sources/NOM.json (the standard's keys, sorted by id) and NOM.meta.json. A failed download
keeps the last good snapshot and says so. The build only calls `lire_snapshots`: no network.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from annuaire.domain.champs import CHAMPS_STANDARD
from annuaire.domain.model import AVERTISSEMENT, Lieu, Probleme, Provenance, avec
from annuaire.federation.importer import (
    OPTIONS_PAR_DEFAUT,
    ErreurImport,
    OptionsImport,
    convertir_enregistrement,
    identifiant_unique,
    lire_octets,
)
from annuaire.federation.telechargement import ErreurTelechargement, obtenir
from annuaire.loading.liens import hors_du_depot
from annuaire.outputs import data_inclusion
from annuaire.outputs.ecriture import ecrire_atomique
from annuaire.validation.regles import Contexte

DELAI = 30.0  # seconds, for each network operation
BAISSE_MAX = 0.5  # a snapshot with less than half the last one's places is refused without the flag
BAISSE_MINIMUM = 20  # ...when the last one had at least this many
DUREE_TOTALE = 10  # the whole download, headers and redirects included, gets ten times as much
TAILLE_MAX = 50 * 1024 * 1024
AGENT = "annuaire-mediation-numerique-sync/1.0 (python urllib)"
_NOM = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_CLES = frozenset(
    {
        "nom",
        "url",
        "chemin",
        "format",
        "licence",
        "codes_postaux",
        "codes_insee",
        "zone",
        "requis",
        "services",
    }
)


class ErreurSource(Exception):
    """A source described wrongly in the settings (French message naming the entry and key)."""


@dataclass(frozen=True)
class Source:
    """One federated source, as described in the settings."""

    nom: str
    url: str = ""
    chemin: str = ""
    format: str = ""
    licence: str = ""
    codes_postaux: tuple[str, ...] = ()
    codes_insee: tuple[str, ...] = ()
    zone: tuple[float, float, float, float] | None = None
    requis: bool = False
    services: str = ""  # data·inclusion: URL or path of the services file beside the structures


# --- settings ------------------------------------------------------------------------------------


def _prefixes(valeur: object, ou: str) -> tuple[str, ...]:
    """A list of code prefixes (texts of digits)."""
    valide = isinstance(valeur, (list, tuple)) and all(re.fullmatch(r"[0-9AB]{1,5}", str(v)) for v in valeur)
    if not valide:
        raise ErreurSource(f'{ou} : attendu une liste de débuts de codes, ex. ["42", "69"]')
    return tuple(str(v) for v in valeur)


def _zone(valeur: object, ou: str) -> tuple[float, float, float, float] | None:
    """[south, west, north, east] in degrees, or None."""
    if valeur is None:
        return None
    try:
        sud, ouest, nord, est = (float(v) for v in valeur)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise ErreurSource(f"{ou} : attendu [sud, ouest, nord, est] en degrés") from None
    if not (sud < nord and ouest < est):
        raise ErreurSource(f"{ou} : sud doit être inférieur à nord et ouest à est")
    return (sud, ouest, nord, est)


def _verifier_entree(brute: object, ou: str) -> dict:
    """The basic shape of one source description."""
    if not isinstance(brute, dict):
        raise ErreurSource(f'{ou} : une source est un dictionnaire {{"nom": …, "url": …}}')
    inconnues = sorted(set(map(str, brute)) - _CLES)
    if inconnues:
        raise ErreurSource(f"{ou} : clé inconnue « {inconnues[0]} » (clés : {', '.join(sorted(_CLES))})")
    if not _NOM.match(str(brute.get("nom", ""))):
        raise ErreurSource(f"{ou} : « nom » manquant ou invalide (minuscules, chiffres et « - »)")
    if bool(brute.get("url")) == bool(brute.get("chemin")):
        raise ErreurSource(f"{ou} : indiquez soit « url », soit « chemin »")
    return brute


def source_depuis_reglage(brute: object, ou: str) -> Source:
    """Check and convert one source description; raise ErreurSource with a French message."""
    entree = _verifier_entree(brute, ou)
    url, format_ = str(entree.get("url", "")), str(entree.get("format", "")).lower()
    if url and not re.match(r"^https?://", url):
        raise ErreurSource(f"{ou} : « url » doit commencer par http:// ou https://")
    if format_ not in ("", "csv", "json", "data-inclusion"):
        raise ErreurSource(f"{ou} : « format » vaut csv ou json (ou data-inclusion), pas « {format_} »")
    return Source(
        nom=entree["nom"],
        url=url,
        chemin=str(entree.get("chemin", "")),
        format=format_,
        licence=str(entree.get("licence", "")),
        codes_postaux=_prefixes(entree.get("codes_postaux", []), f"{ou}, codes_postaux"),
        codes_insee=_prefixes(entree.get("codes_insee", []), f"{ou}, codes_insee"),
        zone=_zone(entree.get("zone"), f"{ou}, zone"),
        requis=bool(entree.get("requis", False)),
        services=str(entree.get("services", "")),
    )


def lire_sources(brutes: object, origine: str = "ANNUAIRE_SOURCES") -> list[Source]:
    """The sources of the settings; raise ErreurSource on the first mistake (names must be unique)."""
    if not isinstance(brutes, (list, tuple)):
        raise ErreurSource(f"{origine} : attendu une liste de sources")
    sources = [source_depuis_reglage(b, f"{origine}[{i}]") for i, b in enumerate(brutes)]
    noms = [s.nom for s in sources]
    doubles = sorted({n for n in noms if noms.count(n) > 1})
    if doubles:
        raise ErreurSource(f"{origine} : le nom « {doubles[0]} » est utilisé deux fois")
    return sources


# --- downloading ------------------------------------------------------------------------------------


@dataclass
class Telechargement:
    """What a download brought: the bytes (None when unchanged, HTTP 304) and its validators."""

    donnees: bytes | None
    etag: str = ""
    last_modified: str = ""


def _entetes(meta: dict) -> dict[str, str]:
    """Headers of a conditional request, from the last download's validators."""
    entetes = {"User-Agent": AGENT, "Accept": "application/json, text/csv;q=0.9, */*;q=0.1"}
    if meta.get("etag"):
        entetes["If-None-Match"] = meta["etag"]
    if meta.get("last_modified"):
        entetes["If-Modified-Since"] = meta["last_modified"]
    return entetes


def telecharger(url: str, meta: dict, delai: float = DELAI, taille_max: int = TAILLE_MAX) -> Telechargement:
    """GET `url` with a conditional request, within DUREE_TOTALE x `delai` seconds in all; raise
    ErreurTelechargement with a French reason."""
    reponse = obtenir(url, _entetes(meta), delai, DUREE_TOTALE * delai, taille_max)
    if reponse.statut == 304:
        return Telechargement(None, meta.get("etag", ""), meta.get("last_modified", ""))
    if reponse.statut != 200:
        raise ErreurTelechargement(f"le serveur a répondu HTTP {reponse.statut}")
    entetes = reponse.entetes
    return Telechargement(reponse.corps, entetes.get("etag", ""), entetes.get("last-modified", ""))


def _obtenir(source: Source, meta: dict, racine: Path, delai: float, taille_max: int) -> Telechargement:
    """Download a URL source, or read a local-file source (relative to the project)."""
    if source.url:
        return telecharger(source.url, meta if meta.get("_instantane") else {}, delai, taille_max)
    chemin = racine / source.chemin
    try:
        if chemin.stat().st_size > taille_max:
            raise ErreurTelechargement(f"fichier trop gros (maximum {taille_max // 1024} Ko)")
        return Telechargement(chemin.read_bytes())
    except OSError as exc:
        raise ErreurTelechargement(f"lecture de {source.chemin} impossible : {exc.strerror}") from None


# --- checking and writing a snapshot -------------------------------------------------------------------


def dans_filtre(lieu: Lieu, source: Source) -> bool:
    """True when the place matches one of the source's filters (or the source has none)."""
    if not (source.codes_postaux or source.codes_insee or source.zone):
        return True
    if any(lieu.code_postal.startswith(p) for p in source.codes_postaux):
        return True
    if any(lieu.code_insee.startswith(p) for p in source.codes_insee):
        return True
    if source.zone and lieu.a_coordonnees:
        sud, ouest, nord, est = source.zone
        return sud <= lieu.latitude <= nord and ouest <= lieu.longitude <= est  # type: ignore[operator]
    return False


@dataclass
class Lecture:
    """A source's records after checking: kept places, and counts."""

    lieux: list[Lieu] = field(default_factory=list)
    lus: int = 0
    ecartes: list[Probleme] = field(default_factory=list)
    hors_filtre: int = 0
    hors_perimetre: int = 0  # valid records that offer no digital-mediation service


def lire_source(
    donnees: bytes,
    source: Source,
    chemin: str,
    contexte: Contexte,
    options: OptionsImport = OPTIONS_PAR_DEFAUT,
) -> Lecture:
    """Parse and check every record of a source's file; raise ErreurImport when unreadable. The
    import's rules apply (privacy, scope: `options`)."""
    enregistrements, _notes = lire_octets(donnees, chemin, source.format)
    lecture, vus = Lecture(lus=len(enregistrements)), set()
    for numero, (ligne, brut) in enumerate(enregistrements, start=1):
        conversion = convertir_enregistrement(brut, chemin, ligne, numero, source.nom, contexte, options)
        if conversion.hors_perimetre:
            lecture.hors_perimetre += 1
        elif conversion.lieu is None:
            lecture.ecartes.append(conversion.ecart)  # type: ignore[arg-type]
        elif dans_filtre(conversion.lieu, source):
            lecture.lieux.append(
                avec(conversion.lieu, id=identifiant_unique(conversion.lieu.id, numero, vus))
            )
        else:
            lecture.hors_filtre += 1
    return lecture


def enregistrement_instantane(lieu: Lieu) -> dict[str, object]:
    """A place as a snapshot record: the standard's keys in order, "|" between values, no empty field."""
    objet: dict[str, object] = {}
    for champ in CHAMPS_STANDARD:
        valeur = getattr(lieu, champ)
        if isinstance(valeur, dt.date):
            valeur = valeur.isoformat()
        if valeur not in ("", [], None):
            objet[champ] = "|".join(valeur) if isinstance(valeur, list) else valeur
    return objet


def texte_instantane(lieux: list[Lieu]) -> str:
    """The snapshot file's text: records sorted by id, one key per line (readable diffs in reviews)."""
    objets = [enregistrement_instantane(lieu) for lieu in sorted(lieux, key=lambda x: x.id)]
    return json.dumps(objets, ensure_ascii=False, indent=1) + "\n"


def _ecrire(chemin: Path, texte: str) -> None:
    """Write a file atomically (a failure never leaves half a snapshot), on disk before it counts."""
    ecrire_atomique(chemin, texte, fsync=True)


def lire_meta(chemin: Path) -> dict:
    """A snapshot's metadata, or {} when absent or unreadable."""
    try:
        meta = json.loads(chemin.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


# --- sync -----------------------------------------------------------------------------------------------


@dataclass
class ResultatSync:
    """The outcome of one source's sync."""

    source: str
    etat: str  # "mis à jour", "inchangé", "échec"
    message: str
    requis: bool = False
    lieux: int = 0
    ecartes: list[Probleme] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.source} : {self.message}"


@dataclass
class RapportSync:
    """The outcome of a whole sync."""

    resultats: list[ResultatSync] = field(default_factory=list)

    @property
    def echecs_requis(self) -> list[ResultatSync]:
        """Failed sources marked as required (the command then exits with an error)."""
        return [r for r in self.resultats if r.etat == "échec" and r.requis]

    def resume(self) -> str:
        """One French line."""
        compte = {e: sum(r.etat == e for r in self.resultats) for e in ("mis à jour", "inchangé", "échec")}
        return (
            f"sync : {len(self.resultats)} sources, {compte['mis à jour']} mises à jour, "
            f"{compte['inchangé']} inchangées, {compte['échec']} en échec"
        )


def _echec(source: Source, dossier: Path, raison: str) -> ResultatSync:
    """A failure: say why, and whether the last good snapshot is kept."""
    meta = lire_meta(dossier / f"{source.nom}.meta.json")
    if (dossier / f"{source.nom}.json").exists():
        garde = (
            f"l'instantané précédent est conservé ({meta.get('valides', '?')} lieux, "
            f"récupéré le {meta.get('recupere_le', '?')})"
        )
    else:
        garde = "aucun instantané précédent : la source reste absente du site"
    return ResultatSync(source.nom, "échec", f"échec : {raison} ; {garde}", source.requis)


def _meta(source: Source, telechargement: Telechargement, lecture: Lecture, maintenant: dt.datetime) -> dict:
    """The metadata written beside a snapshot."""
    return {
        "source": source.nom,
        "url": source.url or source.chemin,
        "licence": source.licence,
        "format": source.format,
        "etag": telechargement.etag,
        "last_modified": telechargement.last_modified,
        "recupere_le": maintenant.astimezone(dt.UTC).replace(microsecond=0).isoformat(),
        "sha256": hashlib.sha256(telechargement.donnees or b"").hexdigest(),
        "lus": lecture.lus,
        "valides": len(lecture.lieux),
        "ecartes": len(lecture.ecartes),
        "hors_filtre": lecture.hors_filtre,
    }


@dataclass
class OptionsSync:
    """How to sync: where files live, limits, and the clock (injectable for tests)."""

    dossier: Path
    racine: Path = Path(".")
    delai: float = DELAI
    taille_max: int = TAILLE_MAX
    aujourd_hui: dt.date | None = None
    maintenant: dt.datetime | None = None
    accepter_baisse: bool = False  # let a snapshot with far fewer places replace the last one
    importation: OptionsImport = OPTIONS_PAR_DEFAUT  # privacy and scope, from the settings


def _ecrire_instantane(
    source: Source, telechargement: Telechargement, lecture: Lecture, options: OptionsSync
) -> str:
    """Write the snapshot and its metadata; "inchangé" when the places did not change."""
    chemin = options.dossier / f"{source.nom}.json"
    texte = texte_instantane(lecture.lieux)
    ancien = chemin.read_text(encoding="utf-8") if chemin.exists() else None
    _ecrire(chemin, texte)
    maintenant = options.maintenant or dt.datetime.now(dt.UTC)
    meta = json.dumps(_meta(source, telechargement, lecture, maintenant), ensure_ascii=False, indent=1)
    _ecrire(options.dossier / f"{source.nom}.meta.json", meta + "\n")
    return "inchangé" if ancien == texte else "mis à jour"


def _baisse(lecture: Lecture, precedents: object) -> str:
    """Why a snapshot that lost most of the last one's places must not replace it ("" when it may)."""
    if not isinstance(precedents, int) or precedents < BAISSE_MINIMUM:
        return ""
    if len(lecture.lieux) >= precedents * (1 - BAISSE_MAX):
        return ""
    return (
        f"seulement {len(lecture.lieux)} lieux valides contre {precedents} dans l'instantané précédent "
        f"(baisse de plus de {BAISSE_MAX:.0%}) ; si c'est voulu, relancez avec --accepter-baisse"
    )


def _refus(lecture: Lecture, meta: dict, options: OptionsSync) -> str:
    """Why a download must not replace the last snapshot ("" when it may)."""
    if not lecture.lus:
        return "la réponse ne contient aucun enregistrement"
    if not lecture.lieux and not lecture.hors_filtre and not lecture.hors_perimetre:
        return f"aucun des {lecture.lus} enregistrements n'est valide"
    return "" if options.accepter_baisse else _baisse(lecture, meta.get("valides"))


def _enregistrer(source: Source, telechargement: Telechargement, options: OptionsSync) -> ResultatSync:
    """Check the downloaded records and write the snapshot, or fail keeping the last one."""
    contexte = Contexte(aujourd_hui=options.aujourd_hui or dt.date.today())
    try:
        lecture = lire_source(
            telechargement.donnees or b"", source, source.nom, contexte, options.importation
        )
    except ErreurImport as exc:
        return _echec(source, options.dossier, f"réponse illisible ({exc})")
    precedent = (options.dossier / f"{source.nom}.json").exists()
    meta = lire_meta(options.dossier / f"{source.nom}.meta.json") if precedent else {}
    if refus := _refus(lecture, meta, options):
        return _echec(source, options.dossier, refus)
    etat = _ecrire_instantane(source, telechargement, lecture, options)
    message = (
        f"{etat} : {len(lecture.lieux)} lieux retenus sur {lecture.lus} lus, "
        f"{len(lecture.ecartes)} écartés, {lecture.hors_filtre} hors filtre, "
        f"{lecture.hors_perimetre} hors périmètre"
    )
    return ResultatSync(source.nom, etat, message, source.requis, len(lecture.lieux), lecture.ecartes)


def _avec_services(source: Source, telechargement: Telechargement, options: OptionsSync) -> Telechargement:
    """A data·inclusion source's structures with its services file joined (same kind: URL or path)."""
    url, chemin = (source.services, "") if source.url else ("", source.services)
    autre = Source(source.nom, url=url, chemin=chemin)
    services = _obtenir(autre, {}, options.racine, options.delai, options.taille_max)
    donnees = data_inclusion.joindre(telechargement.donnees or b"", services.donnees or b"")
    return dataclasses.replace(telechargement, donnees=donnees)


def synchroniser_source(source: Source, options: OptionsSync) -> ResultatSync:
    """Sync one source; never raises: a failure keeps the last good snapshot and says so."""
    meta = lire_meta(options.dossier / f"{source.nom}.meta.json")
    meta["_instantane"] = (options.dossier / f"{source.nom}.json").exists()
    try:
        telechargement = _obtenir(source, meta, options.racine, options.delai, options.taille_max)
        if source.services and telechargement.donnees is not None:  # hook: data·inclusion services
            telechargement = _avec_services(source, telechargement, options)
    except ErreurTelechargement as exc:
        return _echec(source, options.dossier, str(exc))
    if telechargement.donnees is None:
        message = "inchangé (HTTP 304, instantané conservé)"
        return ResultatSync(source.nom, "inchangé", message, source.requis, meta.get("valides", 0))
    return _enregistrer(source, telechargement, options)


def synchroniser(sources: list[Source], options: OptionsSync) -> RapportSync:
    """Sync every source into options.dossier (content/sources/) and report each outcome."""
    options.dossier.mkdir(parents=True, exist_ok=True)
    return RapportSync([synchroniser_source(source, options) for source in sources])


# --- reading snapshots (the build, offline) --------------------------------------------------------------


def _chemin_affiche(chemin: Path, racine: Path | None) -> str:
    """A snapshot's path as shown in problems: relative to the project when possible."""
    if racine is not None:
        try:
            return chemin.resolve().relative_to(racine.resolve()).as_posix()
        except ValueError:
            pass
    return f"content/sources/{chemin.name}"


def _lire_instantane(
    chemin: Path, affiche: str, contexte: Contexte, options: OptionsImport
) -> tuple[list[Lieu], list[Probleme]]:
    """The places of one snapshot; an unreadable snapshot is one warning, never a crash."""
    nom = chemin.stem
    meta = lire_meta(chemin.with_name(f"{nom}.meta.json"))
    try:
        lecture = lire_source(chemin.read_bytes(), Source(nom), affiche, contexte, options)
    except (ErreurImport, OSError) as exc:
        return [], [Probleme(affiche, 1, "", f"instantané illisible, source ignorée : {exc}", AVERTISSEMENT)]
    url = str(meta.get("url", ""))
    lieux = [avec(lieu, provenances=[Provenance(nom, lieu.id, lieu.date_maj, url)]) for lieu in lecture.lieux]
    return lieux, lecture.ecartes


def lire_snapshots(
    dossier: Path,
    racine: Path | None = None,
    aujourd_hui: dt.date | None = None,
    options: OptionsImport = OPTIONS_PAR_DEFAUT,
) -> tuple[dict[str, list[Lieu]], list[Probleme]]:
    """Every snapshot of `dossier` (NOM.json): {source name: places with their own ids}, and warnings.

    Invalid rows are reported (warnings) and skipped. The import's privacy and scope rules apply
    (`options`) to snapshots written before them, too: the directory is assembled with them.
    """
    contexte = Contexte(aujourd_hui=aujourd_hui or dt.date.today())
    sources: dict[str, list[Lieu]] = {}
    problemes: list[Probleme] = []
    fichiers = sorted(dossier.glob("*.json")) if dossier.is_dir() else []
    # A snapshot linked outside the repository is never read (construire_annuaire reports it).
    fichiers = [c for c in fichiers if racine is None or not hors_du_depot(c, racine)]
    for chemin in (c for c in fichiers if not c.name.endswith(".meta.json")):
        lieux, trouves = _lire_instantane(chemin, _chemin_affiche(chemin, racine), contexte, options)
        sources[chemin.stem] = lieux
        problemes.extend(trouves)
    return sources, problemes
