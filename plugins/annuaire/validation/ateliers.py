"""Validation of workshop files: raw mappings in, `Atelier` records and problems out.

Every problem is `file:line: field: message` (a `Probleme`), errors stop the build as an entry's
do, and nothing raises. The checks are the entries' own: the standard's services and publics with
their "vouliez-vous dire" (validation/regles.py), the phone, e-mail and URL checks of
domain/formats.py, free text without tags or invisible characters, and descriptions rendered from
Markdown and sanitised by nh3 (domain/texte.py).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annuaire.domain import vocabulaire as v
from annuaire.domain.ateliers import FUSEAU, Atelier, Inscription
from annuaire.domain.calcul import Appliquer, appliquer_simple
from annuaire.domain.champs import HORS_STANDARD
from annuaire.domain.formats import (
    COURRIEL_INVALIDE,
    caractere_invisible,
    contient_balise,
    courriel_valide,
    slugifier,
    telephone_normalise,
    url_erreur,
)
from annuaire.domain.model import AVERTISSEMENT, ERREUR, Lieu, Probleme
from annuaire.domain.recurrences import regle_refusee
from annuaire.domain.texte import RenduMarkdown, citer
from annuaire.loading.ateliers import mapping_atelier
from annuaire.loading.entrees import EntreeIlisible
from annuaire.validation.regles import BALISE, INVISIBLE, suggestion

REQUIS = ("titre", "lieu", "debut")
TITRE_MAX = 120
PRIX_MAX = 120
DESCRIPTION_MAX = 5000
PLACES_MAX = 10_000
EXCEPTIONS_MAX = 200
_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2})[:h](\d{2}))?$")
_HEURE = re.compile(r"^(\d{1,2})[:h](\d{2})$")
_OUI = {"oui": True, "true": True, "vrai": True, "non": False, "false": False, "faux": False}
_CHAMPS_INSCRIPTION = ("telephone", "courriel", "url")
FORMAT_MOMENT = "AAAA-MM-JJ HH:MM, heure de Paris (ex. 2026-12-12 14:00), ou AAAA-MM-JJ pour la journée"


class ValeurRefusee(ValueError):
    """A value that cannot be used: its French reason, and the line when not the field's own."""

    def __init__(self, message: str, ligne: int | None = None):
        super().__init__(message)
        self.ligne = ligne


@dataclass
class ContexteAteliers:
    """What the checks need besides the file: the directory's places by slug, and the day."""

    lieux: dict[str, Lieu] = field(default_factory=dict)
    aujourd_hui: dt.date = field(default_factory=dt.date.today)


# --- one value at a time -----------------------------------------------------------------------------


def _texte(valeur: object, maximum: int = 0) -> str:
    """A single plain text: no list, no tag, no invisible character, at most `maximum` characters."""
    if isinstance(valeur, (list, dict)):
        raise ValeurRefusee("attendu : une seule valeur texte, pas une liste")
    texte = "" if valeur is None else str(valeur).strip()
    if maximum and len(texte) > maximum:
        raise ValeurRefusee(f"{len(texte)} caractères, {maximum} au plus")
    if contient_balise(texte):
        raise ValeurRefusee(BALISE)
    if code := caractere_invisible(texte):
        raise ValeurRefusee(INVISIBLE.format(code))
    return texte


def _liste(valeur: object) -> list[str]:
    """A YAML list of texts (or one text) as a list of stripped texts."""
    valeurs = valeur if isinstance(valeur, list) else [] if valeur in (None, "") else [valeur]
    if any(isinstance(x, (list, dict)) for x in valeurs):
        raise ValeurRefusee("attendu : une liste de textes (une valeur par ligne « - … »)")
    return [str(x).strip() for x in valeurs if str(x).strip()]


def _dans(valeurs: list[str], possibles: tuple[str, ...], aussi: dict[str, str] | None = None) -> tuple:
    """The values, each one of `possibles`; a refused one names the closest (or the value whose
    everyday words, `aussi`, were written)."""
    for valeur in valeurs:
        if valeur not in possibles:
            proche = next(
                (k for k, mots in (aussi or {}).items() if mots.casefold() == valeur.casefold()), ""
            )
            proche = proche or suggestion(valeur, possibles)
            indice = f" ; vouliez-vous dire « {proche} » ?" if proche else ""
            raise ValeurRefusee(HORS_STANDARD.format(valeur=citer(valeur), indice=indice, possibles=""))
    return tuple(valeurs)


def lire_moment(valeur: object) -> tuple[dt.datetime, bool]:
    """(Europe/Paris time, all day?) of "2026-12-12 14:00" or "2026-12-12"; raise ValeurRefusee."""
    texte = str(valeur).strip() if not isinstance(valeur, (list, dict)) else ""
    trouve = _MOMENT.match(texte)
    try:
        jour = dt.date.fromisoformat(trouve.group(1)) if trouve else None
        heure = dt.time(int(trouve.group(2)), int(trouve.group(3))) if trouve and trouve.group(2) else None
    except ValueError:
        jour = None
    if jour is None:
        raise ValeurRefusee(f"« {citer(texte)} » n'est pas une date : {FORMAT_MOMENT}")
    return dt.datetime.combine(jour, heure or dt.time(), FUSEAU), heure is None


def _booleen(valeur: object) -> bool:
    """oui / non (or true / false)."""
    if isinstance(valeur, bool):
        return valeur
    texte = str(valeur).strip().casefold()
    if texte not in _OUI:
        raise ValeurRefusee(f"« {citer(valeur)} » : écrivez oui ou non")
    return _OUI[texte]


def _places(valeur: object) -> int:
    """A number of seats, 0 to PLACES_MAX."""
    texte = str(valeur).strip()
    if not texte.isdigit() or int(texte) > PLACES_MAX:
        raise ValeurRefusee(f"« {citer(texte)} » : un nombre de places entre 0 et {PLACES_MAX}")
    return int(texte)


def _regle(valeur: object) -> str:
    """An accepted RRULE text (domain/recurrences.py says which)."""
    regle = _texte(valeur, 300).removeprefix("RRULE:")
    if raison := regle_refusee(regle):
        raise ValeurRefusee(f"« {citer(regle)} » : {raison}")
    return regle


# --- registration ------------------------------------------------------------------------------------


def _proche(nom: str, possibles: tuple[str, ...]) -> str:
    """ " ; vouliez-vous dire « … » ?" for a misspelt field name, or ""."""
    proches = difflib.get_close_matches(nom, possibles, n=1, cutoff=0.6)
    return f" ; vouliez-vous dire « {proches[0]} » ?" if proches else ""


def _telephone(valeur: object, code_postal: str) -> str:
    """A phone number in the standard's form (a number YAML read as one must be quoted)."""
    if not isinstance(valeur, str):
        raise ValeurRefusee('écrivez le numéro entre guillemets (ex. "04 77 00 00 00")')
    forme, raison = telephone_normalise(valeur, code_postal)
    if forme is None:
        raise ValeurRefusee(raison)
    return forme


def _inscription(valeur: object, code_postal: str) -> Inscription:
    """{telephone, courriel, url}: each one checked as an entry's (raise ValeurRefusee with its line)."""
    if not isinstance(valeur, dict):
        raise ValeurRefusee("attendu : telephone, courriel et/ou url, une par ligne, en retrait")
    lignes = getattr(valeur, "lignes", {})
    parties = {}
    for cle, brute in valeur.items():
        ligne = lignes.get(cle)
        if cle not in _CHAMPS_INSCRIPTION:
            raise ValeurRefusee(f"« {citer(cle)} » inconnu{_proche(cle, _CHAMPS_INSCRIPTION)}", ligne)
        try:
            parties[cle] = _partie_inscription(cle, brute, code_postal)
        except ValeurRefusee as exc:
            raise ValeurRefusee(f"{cle} : {exc}", ligne) from None
    return Inscription(**parties)


def _partie_inscription(cle: str, brute: object, code_postal: str) -> str:
    """One part of the registration, checked."""
    if cle == "telephone":
        return _telephone(brute, code_postal)
    texte = _texte(brute, 300)
    if cle == "courriel" and not courriel_valide(texte):
        raise ValeurRefusee(COURRIEL_INVALIDE.format(citer(texte)))
    if cle == "url" and (erreur := url_erreur(texte)):
        raise ValeurRefusee(f"« {citer(texte)} » : {erreur}")
    return texte


def _url(valeur: object) -> str:
    """The workshop's own page: a safe http(s) URL."""
    texte = _texte(valeur, 2000)
    if texte and (erreur := url_erreur(texte)):
        raise ValeurRefusee(f"« {citer(texte)} » : {erreur}")
    return texte


# --- a whole file ------------------------------------------------------------------------------------


def _moments(valeur: object) -> list[tuple[dt.datetime, bool]]:
    """The exceptions: dates (that day's session) or times, at most EXCEPTIONS_MAX."""
    valeurs = _liste(valeur)
    if len(valeurs) > EXCEPTIONS_MAX:
        raise ValeurRefusee(f"{len(valeurs)} exceptions, {EXCEPTIONS_MAX} au plus")
    return [lire_moment(x) for x in valeurs]


# Each field's conversion: (raw value, code postal of the place) -> value.
_CONVERSIONS: dict[str, Callable[[object, str], object]] = {
    "titre": lambda x, cp: _texte(x, TITRE_MAX),
    "lieu": lambda x, cp: _texte(x, 200),
    "debut": lambda x, cp: lire_moment(x),
    "fin": lambda x, cp: str(x).strip() if not isinstance(x, (list, dict)) else _texte(x),
    "recurrence": lambda x, cp: _regle(x),
    "exceptions": lambda x, cp: _moments(x),
    "themes": lambda x, cp: _dans(_liste(x), v.SERVICES, v.LIBELLES_SERVICES),
    "publics": lambda x, cp: _dans(_liste(x), v.PUBLICS, v.LIBELLES_PUBLICS),
    "langues": lambda x, cp: _dans(_liste(x), tuple(v.LANGUES)),
    "gratuit": lambda x, cp: _booleen(x),
    "prix": lambda x, cp: _texte(x, PRIX_MAX),
    "inscription": lambda x, cp: _inscription(x, cp),
    "places_disponibles": lambda x, cp: _places(x),
    "accessible_pmr": lambda x, cp: _booleen(x),
    "description": lambda x, cp: _rendu().html(_texte_long(x)),
    "url": lambda x, cp: _url(x),
}
CHAMPS_ATELIER: tuple[str, ...] = tuple(_CONVERSIONS)


@functools.cache
def _rendu() -> RenduMarkdown:
    """One Markdown renderer per process (a Markdown instance is costly to make)."""
    return RenduMarkdown()


def _texte_long(valeur: object) -> str:
    """A description's Markdown source: one text, at most DESCRIPTION_MAX characters."""
    if isinstance(valeur, (list, dict)):
        raise ValeurRefusee("attendu : un texte (Markdown), pas une liste")
    texte = "" if valeur is None else str(valeur)
    if len(texte) > DESCRIPTION_MAX:
        raise ValeurRefusee(f"{len(texte)} caractères, {DESCRIPTION_MAX} au plus")
    return texte


def _p(nom: str, lignes: dict[str, int], champ: str, message: str, gravite: str = ERREUR) -> Probleme:
    return Probleme(nom, lignes.get(champ, 1), champ, message, gravite)


def _convertir(donnees: dict, nom: str, code_postal: str) -> tuple[dict, list[Probleme]]:
    """Every known field converted ({field: value}), and the problems of the others."""
    lignes = getattr(donnees, "lignes", {})
    valeurs, problemes = {}, []
    for champ, brute in donnees.items():
        if champ not in _CONVERSIONS:
            problemes.append(_p(nom, lignes, champ, f"champ inconnu{_proche(champ, CHAMPS_ATELIER)}"))
            continue
        try:
            valeurs[champ] = _CONVERSIONS[champ](brute, code_postal)
        except ValeurRefusee as exc:
            ligne = exc.ligne or lignes.get(champ, 1)
            problemes.append(Probleme(nom, ligne, champ, str(exc)))
    return valeurs, problemes


def _fin(texte: str, debut: dt.datetime, journee: bool) -> dt.datetime:
    """The end: a full time, or only "16:00" (the same day); a last day for an all-day workshop
    (its end is the next midnight). Default for an all-day one: the same day."""
    if not texte:
        if journee:
            return debut + dt.timedelta(days=1)
        raise ValeurRefusee("heure de fin manquante (ex. fin: 2026-12-12 16:00, ou fin: 16:00)")
    if heure := _HEURE.match(texte):
        try:
            return debut.replace(hour=int(heure.group(1)), minute=int(heure.group(2)))
        except ValueError:
            raise ValeurRefusee(f"« {citer(texte)} » n'est pas une heure (HH:MM)") from None
    moment, jour_seul = lire_moment(texte)
    return moment + dt.timedelta(days=1) if jour_seul else moment


def _exceptions(moments: list[tuple[dt.datetime, bool]], debut: dt.datetime) -> tuple[dt.datetime, ...]:
    """Exceptions as start times: a date alone means that day's session, at the workshop's time."""
    return tuple(m.replace(hour=debut.hour, minute=debut.minute) if seul else m for m, seul in moments)


def _temps(valeurs: dict, nom: str, lignes: dict[str, int]) -> tuple[dict, list[Probleme]]:
    """Start, end, all day, rule and exceptions as the record's fields, with their problems."""
    debut, journee = valeurs["debut"]
    try:
        fin = _fin(valeurs.get("fin", ""), debut, journee)
    except ValeurRefusee as exc:
        return {}, [_p(nom, lignes, "fin" if "fin" in lignes else "debut", str(exc))]
    if fin <= debut:
        message = f"la fin ({fin:%Y-%m-%d %H:%M}) est avant le début ({debut:%Y-%m-%d %H:%M})"
        return {}, [_p(nom, lignes, "fin", message)]
    problemes = []
    if valeurs.get("exceptions") and not valeurs.get("recurrence"):
        problemes.append(_p(nom, lignes, "exceptions", "des exceptions sans récurrence", AVERTISSEMENT))
    exceptions = _exceptions(valeurs.get("exceptions", []), debut)
    champs = {"debut": debut, "fin": fin, "journee_entiere": journee, "exceptions": exceptions}
    return {**champs, "regle": valeurs.get("recurrence", "")}, problemes


def _tarif(valeurs: dict, nom: str, lignes: dict[str, int]) -> tuple[dict, list[Probleme]]:
    """Free or not: a price means not free, unless `gratuit: oui` says otherwise (an error)."""
    prix = valeurs.get("prix", "")
    gratuit = valeurs.get("gratuit", not prix)
    if gratuit and prix:
        return {}, [_p(nom, lignes, "prix", "un atelier gratuit n'a pas de prix : retirez l'un des deux")]
    return {"gratuit": gratuit, "prix": prix}, []


_DIRECTS = ("titre", "lieu", "themes", "publics", "langues", "inscription", "places_disponibles")
_DIRECTS += ("accessible_pmr", "description", "url")


def atelier_depuis_mapping(
    donnees: dict, nom: str, code_postal: str = ""
) -> tuple[Atelier | None, list[Probleme]]:
    """A workshop from its file's mapping (`nom`: the file, relative to the project; phones read
    in the region of `code_postal`), or None when an error leaves it unusable; every problem
    found either way. The place's existence is checked by `valider_ateliers`."""
    lignes = dict(getattr(donnees, "lignes", {}))
    valeurs, problemes = _convertir(donnees, nom, code_postal)
    manquants = [c for c in REQUIS if c not in valeurs and c not in {p.champ for p in problemes}]
    problemes += [_p(nom, lignes, c, "champ obligatoire manquant") for c in manquants]
    if any(p.est_erreur for p in problemes):
        return None, problemes
    temps, trouves = _temps(valeurs, nom, lignes)
    tarif, trouves_tarif = _tarif(valeurs, nom, lignes)
    problemes += trouves + trouves_tarif
    if any(p.est_erreur for p in problemes):
        return None, problemes
    champs = {c: valeurs[c] for c in _DIRECTS if c in valeurs}
    identifiant = slugifier(Path(nom).stem) or "atelier"
    return Atelier(identifiant, **champs, **temps, **tarif, chemin=nom, lignes=lignes), problemes


def atelier_du_fichier(fichier: tuple[str, str, str]) -> tuple[Atelier | None, list[Probleme]]:
    """The workshop of one file (name, text, postcode of its place), and its own problems. Pure:
    the build keeps its result between builds (domain/calcul.py)."""
    nom, texte, code_postal = fichier
    try:
        donnees = mapping_atelier(nom, texte)
    except EntreeIlisible as exc:
        return None, [exc.probleme]
    return atelier_depuis_mapping(donnees, nom, code_postal)


_LIEU = re.compile(r"^lieu:[ \t]*(.*?)[ \t]*(?:[ \t]#.*)?$", re.MULTILINE)


def lieu_ecrit(texte: str) -> tuple[str, int]:
    """(the slug after « lieu: », its line) read from a file's text, ("", 1) when none: the
    place is needed before the file is converted (its postcode reads the phones)."""
    trouve = _LIEU.search(texte)
    if not trouve:
        return "", 1
    return trouve.group(1).strip("\"'"), texte.count("\n", 0, trouve.start()) + 1


def _lieu_inconnu(slug: str, nom: str, ligne: int, lieux: dict[str, Lieu]) -> list[Probleme]:
    """The place must be an entry of the directory (a close slug is proposed)."""
    if not slug or slug in lieux:
        return []
    proche = suggestion(slug, lieux)
    indice = (
        f" ; vouliez-vous dire « {proche} » ?"
        if proche
        else " (le nom du fichier de content/lieux, sans .md)"
    )
    return [Probleme(nom, ligne, "lieu", f"lieu « {citer(slug)} » inconnu{indice}")]


def _passe(atelier: Atelier, aujourd_hui: dt.date) -> list[Probleme]:
    """A single session already over: a warning (the file can go)."""
    if atelier.regle or atelier.fin.date() >= aujourd_hui:
        return []
    message = f"séance passée (le {atelier.debut:%Y-%m-%d}) : le fichier peut être retiré"
    return [Probleme(atelier.chemin, atelier.ligne("debut"), "debut", message, AVERTISSEMENT)]


def _dans_l_annuaire(
    fichier: tuple[str, str], resultat: tuple, contexte: ContexteAteliers
) -> tuple[Atelier | None, list[Probleme]]:
    """A file's workshop checked against the directory: its place exists, its session is to come."""
    (nom, texte), (atelier, problemes) = fichier, resultat
    slug, ligne = (atelier.lieu, atelier.ligne("lieu")) if atelier is not None else lieu_ecrit(texte)
    inconnu = _lieu_inconnu(slug, nom, ligne, contexte.lieux)
    if inconnu or atelier is None:
        return None, [*problemes, *inconnu]
    return atelier, [*problemes, *_passe(atelier, contexte.aujourd_hui)]


def _code_postal(texte: str, lieux: dict[str, Lieu]) -> str:
    lieu = lieux.get(lieu_ecrit(texte)[0])
    return lieu.code_postal if lieu is not None else ""


def valider_ateliers(
    lus: list[tuple[str, str]], contexte: ContexteAteliers, appliquer: Appliquer = appliquer_simple
) -> tuple[tuple[Atelier, ...], list[Probleme]]:
    """The workshops of the files read (name, text), in order, and every problem; two files with
    the same name (in two folders) are an error: the name is the workshop's address. Each file
    goes through `appliquer` (the build keeps the results: domain/calcul.py)."""
    fichiers = [(nom, texte, _code_postal(texte, contexte.lieux)) for nom, texte in lus]
    resultats = appliquer(atelier_du_fichier, fichiers)
    ateliers, problemes, vus = [], [], {}
    for fichier, resultat in zip(lus, resultats, strict=True):
        atelier, trouves = _dans_l_annuaire(fichier, resultat, contexte)
        problemes += trouves
        if atelier is not None and atelier.identifiant in vus:
            message = f"nom de fichier « {atelier.identifiant} » déjà utilisé par {vus[atelier.identifiant]}"
            problemes.append(Probleme(fichier[0], 1, "", message))
        elif atelier is not None:
            vus[atelier.identifiant] = fichier[0]
            ateliers.append(atelier)
    return tuple(ateliers), problemes
