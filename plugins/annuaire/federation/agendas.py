"""A place's own calendar: its iCalendar feed (the entry's `agenda` field), snapshotted by `sync`,
expanded offline by the build.

`sync` downloads each feed with the sources' download (federation/sources.py: timeouts, a total
deadline, a size cap, safe redirects, conditional requests with ETag and Last-Modified) and writes
a normalised snapshot, content/sources/agendas/SLUG.ics (and SLUG.meta.json): only the fields the
agenda uses, times in Europe/Paris, descriptions sanitised (nh3), past single events and refused
rules left out, at most EVENEMENTS_MAX series, sorted by UID, no DTSTAMP: a pull request shows only
what the place changed. A failed download or an unreadable feed keeps the last good snapshot.

The build reads the snapshots only (no network) and expands them with recurring-ical-events:
RRULE, EXDATE, RDATE and RECURRENCE-ID overrides. A cancelled occurrence (STATUS:CANCELLED on one
instance, or on a single event) stays in the agenda with `annulee` set, so that people who
planned to come see it is off; a cancelled whole series is left out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import icalendar
import recurring_ical_events

from annuaire.domain.ateliers import FUSEAU, HORIZON_JOURS, Agenda, Atelier, Occurrence, faire_agenda
from annuaire.domain.calcul import Appliquer, appliquer_simple
from annuaire.domain.formats import url_erreur
from annuaire.domain.model import AVERTISSEMENT, Lieu, Probleme
from annuaire.domain.recurrences import (
    DEBUT_MIN,
    OCCURRENCES_MAX,
    OCCURRENCES_TOTAL_MAX,
    occurrences_atelier,
    regle_refusee,
)
from annuaire.domain.texte import citer, nettoyer_html, texte_brut
from annuaire.federation.sources import OptionsSync, ResultatSync, lire_meta, telecharger
from annuaire.federation.telechargement import ErreurTelechargement
from annuaire.loading.ateliers import lire_ateliers
from annuaire.loading.liens import hors_du_depot
from annuaire.outputs.ecriture import ecrire_atomique
from annuaire.validation.ateliers import ContexteAteliers, valider_ateliers

DOSSIER = "agendas"  # under content/sources/
TAILLE_MAX = 5 * 1024 * 1024  # a place's calendar is a few hundred KB at most
EVENEMENTS_MAX = 200  # series (UIDs) kept per feed
INSTANCES_MAX = 20  # events (master and RECURRENCE-ID overrides) kept per series
EXCEPTIONS_MAX = 100
DATES_EN_PLUS_MAX = 100  # RDATE values kept per series (more would escape the per-series bound)
URL_MAX = 500
TITRE_MAX = 200
DESCRIPTION_MAX = 2000
INSTANTANE_MAX = 2 * 1024 * 1024  # a snapshot is at most 200 series of about 8 KB
DELAI_MAX = 10.0  # seconds per network operation for a feed (sources get --delai)
DUREE_SYNC_MAX = 600.0  # all feeds together: beyond, the others keep their snapshot
PRODID = "-//annuaire-mediation-numerique//agenda normalise//FR"


class FluxIllisible(Exception):
    """A feed or snapshot that cannot be read as iCalendar (French message)."""


# --- reading a feed ------------------------------------------------------------------------------------


def lire_calendrier(octets: bytes, taille_max: int = TAILLE_MAX) -> icalendar.Calendar:
    """Parse iCalendar bytes; raise FluxIllisible (never anything else) when they are not one."""
    if len(octets) > taille_max:
        raise FluxIllisible(f"agenda trop gros (maximum {taille_max // 1024} Ko)")
    try:
        calendrier = icalendar.Calendar.from_ical(octets)
    except Exception as exc:  # noqa: BLE001 - a hostile feed may break the parser in any way
        raise FluxIllisible(f"agenda illisible ({citer(exc)})") from None
    if not isinstance(calendrier, icalendar.Calendar):
        raise FluxIllisible("agenda illisible (pas de VCALENDAR)")
    return calendrier


def _moment(valeur: object) -> dt.datetime | dt.date | None:
    """A DTSTART-like value in Europe/Paris (a floating time is read as Paris time), a date as is."""
    moment = getattr(valeur, "dt", None)
    if isinstance(moment, dt.datetime):
        return moment.astimezone(FUSEAU) if moment.tzinfo else moment.replace(tzinfo=FUSEAU)
    return moment if isinstance(moment, dt.date) else None


def _fin(evenement, debut: dt.datetime | dt.date) -> dt.datetime | dt.date:
    """DTEND, or DTSTART + DURATION, or one day (all-day) / one hour."""
    fin = _moment(evenement.get("DTEND"))
    duree = getattr(evenement.get("DURATION"), "dt", None)
    if fin is None or type(fin) is not type(debut) or fin <= debut:
        defaut = dt.timedelta(days=1) if not isinstance(debut, dt.datetime) else dt.timedelta(hours=1)
        fin = debut + (duree if isinstance(duree, dt.timedelta) and duree > dt.timedelta(0) else defaut)
    return fin


def _regle(evenement) -> str:
    """The event's one RRULE as text ("" when none); raise ValueError when there are several."""
    regle = evenement.get("RRULE")
    if isinstance(regle, list):
        raise ValueError("plusieurs RRULE")
    return regle.to_ical().decode("ascii", "replace") if regle is not None else ""


def _lignes_de_dates(evenement, cle: str) -> list:
    """The lines of a list-of-dates property (EXDATE, RDATE): one or several, each with its values."""
    listes = evenement.get(cle, [])
    return listes if isinstance(listes, list) else [listes]


def _dates(evenement, cle: str) -> list[dt.datetime | dt.date]:
    """The values of a list-of-dates property (EXDATE, RDATE) in Europe/Paris, sorted, without
    duplicates; an RDATE period (start/end) counts by its start."""
    listes = _lignes_de_dates(evenement, cle)
    valeurs = (_moment(v) for liste in listes for v in getattr(liste, "dts", []))
    return sorted({v for v in valeurs if v is not None}, key=str)


def _exceptions(evenement) -> list[dt.datetime | dt.date]:
    """The EXDATE values, at most EXCEPTIONS_MAX."""
    return _dates(evenement, "EXDATE")[:EXCEPTIONS_MAX]


def _dates_en_plus(evenement, debut) -> list[dt.datetime | dt.date]:
    """The RDATE values of the same kind as DTSTART (dates for an all-day event, times otherwise):
    the extra sessions a place adds to a series, or the other days of a one-off workshop."""
    return [d for d in _dates(evenement, "RDATE") if type(d) is type(debut)]


def _statut(evenement) -> str:
    return str(evenement.get("STATUS", "")).upper()


@dataclass
class Releve:
    """What the normalisation of a feed kept and left out (for sync's report)."""

    lus: int = 0
    series: int = 0
    passes: int = 0
    ecartes: list[str] = field(default_factory=list)  # why events were left out (French)

    def resume(self) -> str:
        """One French line."""
        return (
            f"{self.series} ateliers retenus sur {self.lus} événements lus, {self.passes} passés, "
            f"{len(self.ecartes)} écartés"
        )


def _uid(evenement, debut: object) -> str:  # debut: the raw DTSTART, stable across syncs
    """The event's UID (at most 200 characters), or one made of its title and start when absent."""
    uid = str(evenement.get("UID", "")).strip()
    if uid:
        return uid[:200]
    graine = f"{evenement.get('SUMMARY', '')}\0".encode() + getattr(debut, "to_ical", bytes)()
    return "sans-uid-" + hashlib.blake2b(graine, digest_size=8).hexdigest()


def _refus(evenement, debut, regle: str) -> str:
    """Why an event is left out ("" when kept): its rule, a start too old, a cancelled series."""
    if debut is None:
        return "événement sans date de début (DTSTART)"
    if regle and (raison := regle_refusee(regle)):
        return f"récurrence refusée : {raison}"
    if regle and isinstance(debut, dt.datetime) and debut.replace(tzinfo=None) < DEBUT_MIN:
        return "récurrence commencée avant 2000"
    if (regle or "RDATE" in evenement) and _statut(evenement) == "CANCELLED":
        return "série annulée (STATUS:CANCELLED)"
    if _nombre_de_dates(evenement, "RDATE") > DATES_EN_PLUS_MAX:
        return f"plus de {DATES_EN_PLUS_MAX} dates en plus (RDATE)"
    return ""


def _nombre_de_dates(evenement, cle: str) -> int:
    """How many values a list-of-dates property holds, counted without converting them."""
    return sum(len(getattr(liste, "dts", [])) for liste in _lignes_de_dates(evenement, cle))


def _passe(debut, fin, regle: str, jour: dt.date, instance, en_plus: list) -> bool:
    """True for a single event (or one instance) over before `jour`, extra dates (RDATE) included."""
    if regle or any(_jour(d) >= jour for d in en_plus):
        return False
    fin_jour = fin.date() if isinstance(fin, dt.datetime) else fin - dt.timedelta(days=1)
    origine = _moment(instance) if instance is not None else None
    if origine is not None:
        origine = origine.date() if isinstance(origine, dt.datetime) else origine
        return fin_jour < jour and origine < jour
    return fin_jour < jour


def _jour(moment: dt.datetime | dt.date) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _texte_du_flux(evenement, cle: str, maximum: int) -> str:
    """A text property: plain text for the title, sanitised HTML (nh3) for the description."""
    brut = str(evenement.get(cle, ""))[: maximum * 4]
    propre = texte_brut(brut) if cle == "SUMMARY" else nettoyer_html(brut.replace("\n", "<br>"))
    return propre[:maximum]


def _textes(propre: icalendar.Event, evenement, maitre: bool) -> None:
    """Title, and for a series' master its description and URL (its overrides show the series')."""
    propre.add("summary", _texte_du_flux(evenement, "SUMMARY", TITRE_MAX) or "Atelier")
    if maitre and (description := _texte_du_flux(evenement, "DESCRIPTION", DESCRIPTION_MAX)):
        propre.add("description", description)
    url = str(evenement.get("URL", "")).strip()
    if maitre and url and len(url) <= URL_MAX and not url_erreur(url):
        propre.add("url", url)


def _normalise(evenement, uid: str, debut, fin, regle: str) -> icalendar.Event:
    """The event with only what the agenda uses, in a fixed order."""
    propre = icalendar.Event()
    propre.add("uid", uid)
    if (instance := _moment(evenement.get("RECURRENCE-ID"))) is not None:
        propre.add("recurrence-id", instance)
    propre.add("dtstart", debut)
    propre.add("dtend", fin)
    if regle:
        propre.add("rrule", icalendar.vRecur.from_ical(regle))
    if instance is None and (exceptions := _exceptions(evenement)):
        propre.add("exdate", exceptions)
    if instance is None and (en_plus := _dates_en_plus(evenement, debut)):
        propre.add("rdate", en_plus)
    if _statut(evenement) == "CANCELLED":
        propre.add("status", "CANCELLED")
    _textes(propre, evenement, instance is None)
    return propre


def _raison(evenement) -> str:
    """Why an event is left out ("" when kept), from its start and rule."""
    try:
        regle = _regle(evenement)
    except ValueError:
        return "plusieurs règles de récurrence (RRULE)"
    return _refus(evenement, _moment(evenement.get("DTSTART")), regle)


def _evenement(evenement, uid: str, jour: dt.date, releve: Releve) -> icalendar.Event | None:
    """One event normalised, or None when left out (the reason noted in `releve`)."""
    if raison := _raison(evenement):
        releve.ecartes.append(f"« {citer(evenement.get('SUMMARY', ''))} » : {raison}")
        return None
    debut, regle = _moment(evenement.get("DTSTART")), _regle(evenement)
    fin = _fin(evenement, debut)
    en_plus = _dates_en_plus(evenement, debut) if evenement.get("RECURRENCE-ID") is None else []
    if _passe(debut, fin, regle, jour, evenement.get("RECURRENCE-ID"), en_plus):
        releve.passes += 1
        return None
    return _normalise(evenement, uid, debut, fin, regle)


def _cle_instance(evenement) -> tuple[int, str]:
    """The master first, then its overrides by date."""
    instance = evenement.get("RECURRENCE-ID")
    return (0, "") if instance is None else (1, str(_moment(instance)))


def _serie(evenements: list, uid: str, jour: dt.date, releve: Releve) -> list:
    """One UID's events normalised, master first, at most INSTANCES_MAX; none when its master is
    left out (its overrides would otherwise show as workshops of their own)."""
    maitre = next((e for e in evenements if e.get("RECURRENCE-ID") is None), None)
    if maitre is not None and (raison := _raison(maitre)):
        releve.ecartes.append(f"« {citer(maitre.get('SUMMARY', ''))} » : {raison}")
        return []
    propres = (_evenement(e, uid, jour, releve) for e in sorted(evenements, key=_cle_instance))
    return [p for p in propres if p is not None][:INSTANCES_MAX]


def series(calendrier: icalendar.Calendar, jour: dt.date) -> tuple[dict[str, list], Releve]:
    """{UID: [master, overrides…]} of the events kept (see the module's docstring), by UID, at most
    EVENEMENTS_MAX series (the first UIDs in order; only those are normalised); what was left out."""
    releve, brutes, groupes = Releve(), {}, {}
    for evenement in calendrier.walk("VEVENT"):
        releve.lus += 1
        brutes.setdefault(_uid(evenement, evenement.get("DTSTART")), []).append(evenement)
    for rang, uid in enumerate(sorted(brutes)):
        if len(groupes) == EVENEMENTS_MAX:
            releve.ecartes.append(f"{len(brutes) - rang} ateliers au-delà des {EVENEMENTS_MAX} premiers")
            break
        if serie := _serie(brutes[uid], uid, jour, releve):
            groupes[uid] = serie
    releve.series = len(groupes)
    return groupes, releve


def texte_instantane(groupes: dict[str, list]) -> str:
    """The snapshot's iCalendar text: the series in order, with the Europe/Paris time zone."""
    calendrier = icalendar.Calendar()
    calendrier.add("prodid", PRODID)
    calendrier.add("version", "2.0")
    for evenement in itertools.chain.from_iterable(groupes.values()):
        calendrier.add_component(evenement)
    calendrier.add_missing_timezones()
    return calendrier.to_ical().decode("utf-8")


# --- the build: snapshots into workshops and occurrences (offline) --------------------------------------


def _en_heure(moment: dt.datetime | dt.date) -> dt.datetime:
    """A DTSTART-like value as a Europe/Paris time (midnight for a date)."""
    if isinstance(moment, dt.datetime):
        return moment.astimezone(FUSEAU) if moment.tzinfo else moment.replace(tzinfo=FUSEAU)
    return dt.datetime.combine(moment, dt.time(), FUSEAU)


def atelier_du_flux(maitre, lieu: str, chemin: str) -> Atelier:
    """The workshop of a series (its master event, or its first instance): stable id made of the
    place's slug and the UID."""
    uid = str(maitre["UID"])
    debut = maitre["DTSTART"].dt
    fin = maitre["DTEND"].dt if maitre.get("DTEND") is not None else debut
    return Atelier(
        identifiant=f"{lieu}-{hashlib.blake2b(uid.encode(), digest_size=6).hexdigest()}",
        titre=texte_brut(str(maitre.get("SUMMARY", "")))[:TITRE_MAX] or "Atelier",
        lieu=lieu,
        debut=_en_heure(debut),
        fin=_en_heure(fin),
        journee_entiere=not isinstance(debut, dt.datetime),
        regle=_regle(maitre),
        exceptions=tuple(_en_heure(x) for x in _exceptions(maitre)),
        description=nettoyer_html(str(maitre.get("DESCRIPTION", "")))[:DESCRIPTION_MAX],
        url=str(maitre.get("URL", "")) if not url_erreur(str(maitre.get("URL", ""))) else "",
        chemin=chemin,
    )


@functools.lru_cache(maxsize=4096)
def _titre(brut: str) -> str:
    """A title as plain text (instances repeat their series' title: worked out once)."""
    return texte_brut(brut)[:TITRE_MAX]


def _occurrence(composant, atelier: Atelier) -> Occurrence:
    """One expanded instance: its own times, title and status (an override may change them)."""
    debut, fin = _en_heure(composant["DTSTART"].dt), composant.get("DTEND")
    titre = _titre(str(composant.get("SUMMARY", "")))
    if titre and titre != atelier.titre:
        atelier = dataclasses.replace(atelier, titre=titre)
    fin = _en_heure(fin.dt) if fin is not None else debut + (atelier.fin - atelier.debut)
    return Occurrence(debut, max(fin, debut), atelier, annulee=_statut(composant) == "CANCELLED")


def occurrences_series(
    groupes: dict[str, list], ateliers: dict[str, Atelier], debut: dt.date, fin: dt.date
) -> list[Occurrence]:
    """The occurrences of these series within [debut, fin] (recurring-ical-events: RRULE, EXDATE,
    RECURRENCE-ID), at most OCCURRENCES_MAX per series. Bounded: every rule is one of the
    accepted ones (at most one occurrence a day). One expansion for the whole calendar."""
    calendrier = icalendar.Calendar()
    for evenement in itertools.chain.from_iterable(groupes.values()):
        calendrier.add_component(evenement)
    bas = dt.datetime.combine(debut, dt.time(), FUSEAU)
    haut = dt.datetime.combine(fin + dt.timedelta(days=1), dt.time(), FUSEAU)
    par_serie: dict[str, list[Occurrence]] = {}
    for composant in recurring_ical_events.of(calendrier).between(bas, haut):
        occurrence = _occurrence(composant, ateliers[str(composant["UID"])])
        if debut <= occurrence.jour <= fin:
            par_serie.setdefault(str(composant["UID"]), []).append(occurrence)
    return [o for liste in par_serie.values() for o in sorted(liste)[:OCCURRENCES_MAX]]


# What a snapshot's event may hold (what `_normalise` writes): an event with anything else was not
# written by sync, and is left out (an EXRULE added by hand would escape the bounds; RDATE is
# bounded by _refus).
PROPRIETES = frozenset(
    {
        "UID",
        "RECURRENCE-ID",
        "DTSTART",
        "DTEND",
        "RRULE",
        "EXDATE",
        "RDATE",
        "STATUS",
        "SUMMARY",
        "DESCRIPTION",
        "URL",
        "DTSTAMP",
    }
)


def _conforme(evenement) -> bool:
    """True for an event as sync writes them: known properties, a start, an accepted rule."""
    return (
        set(evenement) <= PROPRIETES
        and "UID" in evenement
        and "DTEND" in evenement
        and not _raison(evenement)
    )


def _series_instantane(octets: bytes) -> dict[str, list]:
    """The series of a snapshot's bytes, checked again (not rebuilt: the build reads hundreds of
    them), bounded as sync bounds them; raise FluxIllisible."""
    groupes: dict[str, list] = {}
    for evenement in lire_calendrier(octets, INSTANTANE_MAX).walk("VEVENT"):
        if _conforme(evenement):
            groupes.setdefault(str(evenement["UID"]), []).append(evenement)
    gardes = sorted(groupes)[:EVENEMENTS_MAX]
    return {uid: sorted(groupes[uid], key=_cle_instance)[:INSTANCES_MAX] for uid in gardes}


@dataclass(frozen=True)
class Instantane:
    """One place's snapshot as read from its file: its bytes, the place's slug, the path shown."""

    octets: bytes
    lieu: str
    affiche: str


def _illisible(affiche: str, exc: Exception) -> tuple[tuple, tuple, tuple[Probleme, ...]]:
    """An unreadable snapshot: no workshop, a warning (never a crash)."""
    message = f"instantané illisible, ignoré : {exc}"
    return (), (), (Probleme(affiche, 1, "agenda", message, AVERTISSEMENT),)


def agenda_instantane(instantane: Instantane, debut: dt.date, fin: dt.date):
    """(workshops, occurrences, problems) of one place's snapshot within [debut, fin], as tuples.
    Pure (it reads nothing but its arguments): the build keeps its results between builds. Its
    events are checked again: a snapshot edited by hand gets the same bounds as a downloaded feed
    (texts are sanitised when read, in `atelier_du_flux`)."""
    try:
        groupes = _series_instantane(instantane.octets)
    except FluxIllisible as exc:
        return _illisible(instantane.affiche, exc)
    ateliers = {
        uid: atelier_du_flux(evenements[0], instantane.lieu, instantane.affiche)
        for uid, evenements in groupes.items()
    }
    return tuple(ateliers.values()), tuple(occurrences_series(groupes, ateliers, debut, fin)), ()


def fichier_instantane(chemin: Path, affiche: str, lieu: str) -> Instantane:
    """A snapshot file's bytes (bounded before they are read); raise FluxIllisible or OSError."""
    if chemin.stat().st_size > INSTANTANE_MAX:
        raise FluxIllisible(f"instantané trop gros (maximum {INSTANTANE_MAX // 1024} Ko)")
    return Instantane(chemin.read_bytes(), lieu, affiche)


def chemin_instantane(sources: Path, slug: str) -> Path:
    """Where a place's feed snapshot lives: content/sources/agendas/SLUG.ics."""
    return sources / DOSSIER / f"{slug}.ics"


def _fichiers_instantanes(contenu: Path, racine: Path, lieux: list[Lieu]) -> list:
    """The snapshot of every place that has an `agenda`, in the places' order: an Instantane, or
    the result of an unreadable one (a snapshot left by a place that no longer has one is not read;
    one outside the repository, through a symbolic link, neither)."""
    lus = []
    for lieu in (lieu for lieu in lieux if lieu.agenda):
        chemin = chemin_instantane(contenu / "sources", lieu.slug)
        if not chemin.is_file() or hors_du_depot(chemin, racine):
            continue
        affiche = chemin.relative_to(racine).as_posix() if chemin.is_relative_to(racine) else chemin.name
        try:
            lus.append(fichier_instantane(chemin, affiche, lieu.slug))
        except (FluxIllisible, OSError) as exc:
            lus.append(_illisible(affiche, exc))
    return lus


def lire_instantanes(
    contenu: Path,
    racine: Path,
    lieux: list[Lieu],
    debut: dt.date,
    fin: dt.date,
    appliquer: Appliquer = appliquer_simple,
):
    """(workshops, occurrences, problems) of the snapshots of every place that has an `agenda`.
    The files are read here; `appliquer` turns each one's bytes into its workshops (the build
    keeps those results: they depend only on the bytes, the place and the horizon)."""
    lus = _fichiers_instantanes(contenu, racine, lieux)
    a_calculer = [lu for lu in lus if isinstance(lu, Instantane)]
    calcules = iter(appliquer(agenda_instantane, a_calculer, debut, fin))
    ateliers, occurrences, problemes = [], [], []
    for trouves in (next(calcules) if isinstance(lu, Instantane) else lu for lu in lus):
        ateliers += trouves[0]
        occurrences += trouves[1]
        problemes += trouves[2]
    return ateliers, occurrences, problemes


# --- sync: each place's feed into its snapshot ------------------------------------------------------------


def _echec(lieu: Lieu, dossier: Path, raison: str) -> ResultatSync:
    """A failed feed: say why, and that the last good snapshot (if any) is kept."""
    garde = (
        "l'instantané précédent est conservé"
        if (dossier / f"{lieu.slug}.ics").exists()
        else "aucun instantané précédent : ses ateliers restent absents du site"
    )
    return ResultatSync(f"agenda {lieu.slug}", "échec", f"échec : {raison} ; {garde}")


def _meta(lieu: Lieu, reponse, releve: Releve, maintenant: dt.datetime, texte: str) -> str:
    """The metadata written beside a snapshot (validators of the conditional request)."""
    meta = {
        "lieu": lieu.slug,
        "url": lieu.agenda,
        "etag": reponse.etag,
        "last_modified": reponse.last_modified,
        "recupere_le": maintenant.astimezone(dt.UTC).replace(microsecond=0).isoformat(),
        "sha256": hashlib.sha256(texte.encode()).hexdigest(),
        "lus": releve.lus,
        "ateliers": releve.series,
    }
    return json.dumps(meta, ensure_ascii=False, indent=1) + "\n"


def normaliser(octets: bytes, jour: dt.date) -> tuple[str, Releve]:
    """A feed's snapshot text (see the module's docstring) and what it kept; raise FluxIllisible
    when the feed is unreadable or its snapshot would be too large for the build to read."""
    groupes, releve = series(lire_calendrier(octets), jour)
    texte = texte_instantane(groupes)
    if len(texte.encode()) > INSTANTANE_MAX:
        raise FluxIllisible(f"agenda trop gros une fois normalisé (maximum {INSTANTANE_MAX // 1024} Ko)")
    return texte, releve


def _ecrire(lieu: Lieu, reponse, options: OptionsSync, dossier: Path) -> ResultatSync:
    """Normalise the downloaded feed and write its snapshot and metadata, or fail keeping the last."""
    try:
        texte, releve = normaliser(reponse.donnees or b"", options.aujourd_hui or dt.date.today())
    except FluxIllisible as exc:
        return _echec(lieu, dossier, str(exc))
    chemin = dossier / f"{lieu.slug}.ics"
    ancien = chemin.read_text(encoding="utf-8") if chemin.exists() else None
    ecrire_atomique(chemin, texte, fsync=True)
    meta = _meta(lieu, reponse, releve, options.maintenant or dt.datetime.now(dt.UTC), texte)
    ecrire_atomique(dossier / f"{lieu.slug}.meta.json", meta, fsync=True)
    etat = "inchangé" if ancien == texte else "mis à jour"
    ecartes = [
        Probleme(lieu.chemin, lieu.ligne("agenda"), "agenda", m, AVERTISSEMENT) for m in releve.ecartes
    ]
    return ResultatSync(
        f"agenda {lieu.slug}", etat, f"{etat} : {releve.resume()}", False, releve.series, ecartes
    )


def synchroniser_agenda(lieu: Lieu, options: OptionsSync, dossier: Path) -> ResultatSync:
    """Sync one place's feed; never raises: a failure keeps the last good snapshot and says so."""
    meta = lire_meta(dossier / f"{lieu.slug}.meta.json") if (dossier / f"{lieu.slug}.ics").exists() else {}
    if erreur := url_erreur(lieu.agenda):
        return _echec(lieu, dossier, f"adresse de l'agenda refusée ({erreur})")
    try:
        reponse = telecharger(
            lieu.agenda, meta, min(options.delai, DELAI_MAX), min(options.taille_max, TAILLE_MAX)
        )
    except ErreurTelechargement as exc:
        return _echec(lieu, dossier, str(exc))
    if reponse.donnees is None:
        return ResultatSync(f"agenda {lieu.slug}", "inchangé", "inchangé (HTTP 304, instantané conservé)")
    return _ecrire(lieu, reponse, options, dossier)


def synchroniser_agendas(lieux: list[Lieu], options: OptionsSync, duree_max: float = DUREE_SYNC_MAX):
    """Sync the feed of every place with an `agenda` into options.dossier/agendas/, one after the
    other, within `duree_max` seconds in all: the places not reached keep their snapshot."""
    dossier = options.dossier / DOSSIER
    avec_agenda = [lieu for lieu in lieux if lieu.agenda]
    if avec_agenda:
        dossier.mkdir(parents=True, exist_ok=True)
    echeance, resultats = time.monotonic() + duree_max, []
    for lieu in avec_agenda:
        if time.monotonic() > echeance:
            resultats.append(
                _echec(lieu, dossier, f"durée totale de la synchronisation dépassée ({duree_max:g} s)")
            )
            continue
        resultats.append(synchroniser_agenda(lieu, options, dossier))
    return resultats


# --- the directory's agenda ---------------------------------------------------------------------


def _borner(occurrences: list[Occurrence], chemin: str) -> tuple[list[Occurrence], list[Probleme]]:
    """At most OCCURRENCES_TOTAL_MAX occurrences, the earliest; a warning when some are dropped."""
    if len(occurrences) <= OCCURRENCES_TOTAL_MAX:
        return occurrences, []
    gardees = sorted(occurrences)[:OCCURRENCES_TOTAL_MAX]
    message = f"{len(occurrences)} séances : seules les {OCCURRENCES_TOTAL_MAX} premières sont publiées"
    return gardees, [Probleme(chemin, 1, "", message, AVERTISSEMENT)]


def agenda_du_contenu(
    contenu: Path, racine: Path, lieux: list[Lieu], jour: dt.date, appliquer: Appliquer = appliquer_simple
) -> tuple[Agenda, list[Probleme]]:
    """The agenda of [jour, jour + HORIZON_JOURS]: the workshop files of content/ateliers/ (checked:
    their errors stop the build like an entry's) and the feed snapshots of the places with an
    `agenda`; only the workshops with an occurrence in the horizon. Reads files, never the network.
    `appliquer` converts each workshop file and expands each workshop (the build keeps those
    results: a file's workshop depends only on its text, its occurrences on it and the horizon),
    and each feed snapshot (its workshops and occurrences depend only on its bytes, its place and
    the horizon: the files are read, and checked, at every build; their parsing is kept)."""
    fin = jour + dt.timedelta(days=HORIZON_JOURS)
    lus, problemes = lire_ateliers(contenu / "ateliers", racine)
    contexte = ContexteAteliers({lieu.slug: lieu for lieu in lieux}, jour)
    locaux, trouves = valider_ateliers(lus, contexte, appliquer)
    # One workshop's occurrences depend on it and the horizon only: kept between the day's builds.
    occurrences = [o for liste in appliquer(occurrences_atelier, locaux, jour, fin) for o in liste]
    du_flux, occurrences_flux, problemes_flux = lire_instantanes(contenu, racine, lieux, jour, fin, appliquer)
    occurrences, trop = _borner(occurrences + occurrences_flux, "content/ateliers")
    presents = {o.atelier.identifiant for o in occurrences}
    ateliers = tuple(a for a in (*locaux, *du_flux) if a.identifiant in presents)
    return faire_agenda(ateliers, occurrences, jour, fin), problemes + trouves + problemes_flux + trop
