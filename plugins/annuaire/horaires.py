"""Opening hours in the OpenStreetMap `opening_hours` syntax: check, suggest, render, evaluate.

The syntax is parsed and evaluated by `opening-hours-py` (a maintained parser that knows the French
public holidays for `PH`); this module only adds French on top of it:

- `verifier(texte)`: a verdict in French, with a suggestion for the usual producer mistakes
  (`9h-12h30`, `10h00-12h30`, French day names, a missing `;`...); a suggestion always validates;
- `convertir_texte_libre(jours)`: French free-text hours per weekday (Hinaura, France Services)
  converted to the syntax where possible, the rest reported;
- `semaine(texte)`: the week table in plain French, plus notes for what a week can't show;
- `donnees_badge(texte, debut)`, `etat_badge(donnees, instant)`, `etat(texte, instant)`:
  "ouvert maintenant", computed in Europe/Paris time;
- `vue_horaires(texte, debut)`: all a place sheet needs (see theme/templates/partials/horaires.html).

Why the browser badge uses data precomputed here rather than a JavaScript parser: the Python parser is
the one that validates the data, so evaluating with it once at build time is the only way the badge
can never disagree with the checker, and the browser needs no library at all. The data covers a window
(60 days by default), far longer than the time between two daily builds; after it the badge says
"Horaires à vérifier" instead of guessing. The window holds absolute instants (UTC epoch seconds and
minute offsets), so the browser compares them with its clock whatever its time zone; only the words
("mardi à 9 h") need Paris wall-clock time, which both sides take from the time-zone database.

Nothing here raises on odd input: an unreadable value gives a negative verdict or "inconnu".
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import opening_hours

from .horaires_ambigus import ambiguite

PARIS = ZoneInfo("Europe/Paris")
PAYS = "FR"  # the parser's calendar of public holidays (metropolitan France)
JOURS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
JOURS_OSM = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre")  # fmt: skip
MOIS_OSM = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
JOURS_BADGE = 60  # window of the precomputed badge data, in days
JOURS_BADGE_MAX = 400
A_VERIFIER = "Horaires à vérifier"
FERME = "Fermé"
INCONNU = ("inconnu", A_VERIFIER)
EXEMPLE = "Mo-Fr 09:00-12:00,14:00-18:00"

_T = TypeVar("_T")


# --- Results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """Result of checking one `horaires` value.

    `message` says what is wrong, in French; `suggestion` is a corrected value that validates, or "".
    """

    valide: bool
    message: str = ""
    suggestion: str = ""


class Jour(NamedTuple):
    """One row of the week table: the French day name and its hours ("9 h – 12 h" or "Fermé")."""

    nom: str
    texte: str


@dataclass(frozen=True)
class Semaine:
    """The week table of an `horaires` value, in plain French.

    - `jours`: seven `Jour` rows, Monday first, giving the usual hours of each weekday (the most
      frequent over the weeks evaluated, public holidays aside); empty when the value can't be read;
    - `notes`: French sentences for all a week table can't show (public holidays, rules by month, by
      week number or "1er mardi du mois", fallback rules, comments); no rule is ever dropped silently:
      one the notes can't put in words is quoted as it is;
    - `a_verifier`: True when the value can't be evaluated at all ("Horaires à vérifier").
    """

    jours: tuple[Jour, ...] = ()
    notes: tuple[str, ...] = ()
    a_verifier: bool = False


@dataclass(frozen=True)
class VueHoraires:
    """What the `horaires` macro of the theme renders for one place.

    `texte` is the raw OpenStreetMap value, `semaine` its `Semaine`, and `badge` the JSON-ready
    `donnees_badge` dict the browser turns into "Ouvert · ferme à 18 h".
    """

    texte: str
    semaine: Semaine
    badge: dict[str, Any] = field(compare=False)


# --- Safe access to the parser -------------------------------------------------------------------


def _sans_erreur(appel: Callable[[], _T], defaut: _T) -> _T:
    """Run a parser call; any failure, even a panic of the Rust code, gives `defaut`."""
    try:
        return appel()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - pyo3 panics derive from BaseException, not Exception
        return defaut


def _valide(texte: object) -> bool:
    """True when `texte` is a non-empty string the parser accepts."""
    if not isinstance(texte, str) or not texte.strip():
        return False
    return _sans_erreur(lambda: bool(opening_hours.validate(texte)), False)


def _analyser(texte: object) -> opening_hours.OpeningHours | None:
    """Parsed hours in Paris time with French public holidays, or None when unreadable."""
    if not _valide(texte):
        return None
    evaluable = _texte_evaluable(str(texte))
    return _sans_erreur(lambda: opening_hours.OpeningHours(evaluable, timezone=PARIS, country=PAYS), None)


def _erreur_analyse(texte: str) -> str:
    """The parser's own error text for `texte` ("" when none)."""
    try:
        opening_hours.OpeningHours(texte)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as erreur:  # noqa: BLE001 - see _sans_erreur
        return str(erreur)
    return ""


# --- Rules of an OSM value -----------------------------------------------------------------------


class _Morceau(NamedTuple):
    """One rule of an OSM value and the separator before it ("", ";", "||" or ",")."""

    separateur: str
    regle: str


_COUPURE = re.compile(r'"[^"]*"|\|\||;|,')
_COMMENTAIRE = re.compile(r'"([^"]*)"')
_MODIFICATEUR = re.compile(r"\b(open|closed|off|unknown)\b", re.IGNORECASE)
_HORAIRE_OSM = re.compile(r"\d{1,2}:\d{2}|sunrise|sunset|dawn|dusk|24/7", re.IGNORECASE)


def _virgule_de_regle(texte: str, position: int) -> bool:
    """A `,` that starts a new rule: after hours, a state or a comment, before a selector."""
    avant, apres = texte[:position].rstrip(), texte[position + 1 :].lstrip()
    fin_de_regle = re.search(r'(\d|\+|"|\b(?:off|closed|open|unknown))$', avant, re.IGNORECASE)
    return bool(fin_de_regle) and bool(re.match(r"[A-Za-z]", apres))


def _decouper(texte: str) -> list[_Morceau]:
    """Split an OSM value into its rules, keeping quoted comments whole."""
    morceaux, separateur, debut = [], "", 0
    for trouve in _COUPURE.finditer(texte):
        jeton = trouve.group()
        if jeton.startswith('"') or (jeton == "," and not _virgule_de_regle(texte, trouve.start())):
            continue
        morceaux.append(_Morceau(separateur, texte[debut : trouve.start()].strip()))
        separateur, debut = jeton, trouve.end()
    morceaux.append(_Morceau(separateur, texte[debut:].strip()))
    return [morceau for morceau in morceaux if morceau.regle]


def _commentaire_seul(regle: str) -> bool:
    """A rule with a comment but neither hours nor state, like `Sa "sur rendez-vous"`."""
    reste = _COMMENTAIRE.sub("", regle)
    return bool(_COMMENTAIRE.search(regle)) and not (
        _MODIFICATEUR.search(reste) or _HORAIRE_OSM.search(reste)
    )


def _texte_evaluable(texte: str) -> str:
    """The value as evaluated: a comment-only rule means "unknown" (as opening_hours.js says),
    where the parser would read "open all day"."""
    morceaux = _decouper(texte)
    if not any(_commentaire_seul(morceau.regle) for morceau in morceaux):
        return texte
    regles = []
    for separateur, regle in morceaux:
        if _commentaire_seul(regle):
            guillemet = regle.index('"')
            regle = f"{regle[:guillemet].rstrip()} unknown {regle[guillemet:]}".strip()
        regles.append(f"{separateur} {regle}".strip())
    candidat = " ".join(regles)
    return candidat if _valide(candidat) else texte


# --- French words for times and dates ------------------------------------------------------------


def heure_fr(minutes: int) -> str:
    """Minutes since midnight in French: 540 → "9 h", 750 → "12 h 30", 1440 → "24 h"."""
    heures, reste = divmod(minutes, 60)
    return f"{heures} h {reste:02d}" if reste else f"{heures} h"


def _plage_fr(debut: int, fin: int) -> str:
    """A time range in French: "9 h – 12 h 30"."""
    return f"{heure_fr(debut)} – {heure_fr(fin)}"


def _date_fr(jour: date) -> str:
    """A day of the year in French: "1er septembre", "14 juillet"."""
    numero = "1er" if jour.day == 1 else str(jour.day)
    return f"{numero} {MOIS[jour.month - 1]}"


def _ordinal_fr(nombre: int) -> str:
    """1 → "1er", 2 → "2e", -1 → "dernier", -2 → "avant-dernier"."""
    if nombre < 0:
        return {-1: "dernier", -2: "avant-dernier"}.get(nombre, f"{-nombre}e avant la fin")
    return "1er" if nombre == 1 else f"{nombre}e"


def _enumerer(elements: list[str]) -> str:
    """["a", "b", "c"] → "a, b et c"."""
    if len(elements) < 2:
        return "".join(elements)
    return f"{', '.join(elements[:-1])} et {elements[-1]}"


def _majuscule(texte: str) -> str:
    """First letter in upper case, the rest untouched."""
    return texte[:1].upper() + texte[1:]


# --- Checking and suggestions --------------------------------------------------------------------


def verifier(texte: str) -> Verdict:
    """Check an `horaires` value; never raises, whatever the input."""
    if not isinstance(texte, str) or not texte.strip():
        return Verdict(False, f"horaires vides : écrivez-les au format OpenStreetMap (ex. {EXEMPLE})")
    if _valide(texte):
        return _verdict_ambigu(texte)  # hook: what the reference parser reads otherwise
    return Verdict(False, _message_erreur(texte), suggerer(texte))


def _verdict_ambigu(texte: str) -> Verdict:
    """A valid value refused all the same when the national map's parser reads it otherwise
    (horaires_ambigus.py), with the corrected value when it validates."""
    trouvee = ambiguite(texte)
    if trouvee is None:
        return Verdict(True)
    court = texte if len(texte) <= 80 else f"{texte[:79]}…"
    return Verdict(False, f"« {court} » est lu de deux façons : {trouvee[0]}", _sans_ambiguite(texte))


def _sans_ambiguite(texte: str) -> str:
    """A valid value as both parsers read it the same way; "" when its correction does not validate."""
    trouvee = ambiguite(texte)
    if trouvee is None:
        return texte
    return trouvee[1] if _valide(trouvee[1]) and ambiguite(trouvee[1]) is None else ""


def _message_erreur(texte: str) -> str:
    """French message for an invalid value, pointing at the first character the parser refused."""
    court = texte if len(texte) <= 80 else f"{texte[:79]}…"
    base = f"« {court} » n'est pas au format OpenStreetMap (ex. {EXEMPLE})"
    position = re.search(r"-->\s*\d+:(\d+)", _erreur_analyse(texte))
    if not position:
        return base
    colonne = int(position.group(1))
    extrait = texte[colonne - 1 : colonne + 11].strip()
    return f"{base} : erreur au caractère {colonne}, « {extrait} »" if extrait else base


def suggerer(texte: str) -> str:
    """A corrected value for an invalid one that validates, or "" when no safe guess exists."""
    if not isinstance(texte, str) or len(texte) > 2000:
        return ""
    corrections = (_retoucher, _reecrire_en_osm)
    if _JOUR_FR.search(texte):  # French text: its rules add up, so read it as French first
        corrections = corrections[::-1]
    for correction in corrections:
        candidat = _sans_erreur(lambda correction=correction: correction(texte), "")
        if candidat and candidat != texte and _valide(candidat):
            return _sans_ambiguite(candidat)
    return ""


_JOURS_FR_VERS_OSM = MappingProxyType({
    "lundi": "Mo", "lun": "Mo", "lu": "Mo", "mardi": "Tu", "mar": "Tu", "ma": "Tu",
    "mercredi": "We", "mer": "We", "me": "We", "jeudi": "Th", "jeu": "Th", "je": "Th",
    "vendredi": "Fr", "ven": "Fr", "ve": "Fr", "samedi": "Sa", "sam": "Sa",
    "dimanche": "Su", "dim": "Su", "di": "Su",
})  # fmt: skip
_JOUR_FR = re.compile(r"\b(" + "|".join(_JOURS_FR_VERS_OSM) + r")s?\b\.?", re.IGNORECASE)
_SELECTEUR = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)"
_RETOUCHES = (
    (r"\s+", " "),
    (r"\b24\s*h?\s*/\s*24\s*h?(?:\s*(?:,|et)?\s*7\s*j?\s*/\s*7\s*j?)?", "24/7"),
    (r"(\d{1,2})\s*[hH]\s*(\d{2})(?!\d)", r"\1:\2"),  # 9h30, 10h00, 9 h 30
    (r"(\d{1,2})\s*[hH](?![a-zA-Z])", r"\1:00"),  # 9h
    (r"(\d{1,2})\s*:\s*(\d{2})", r"\1:\2"),  # 08 :30
    (r"(?<![\d:])(\d):(\d{2})", r"0\1:\2"),  # 9:00 → 09:00
    (r"(\d{2}:\d{2})\s*(?:-|–|—|à|a)\s*(\d{2}:\d{2})", r"\1-\2"),  # 9:30 - 12:00
    (r"(\d{2}:\d{2}-\d{2}:\d{2})\s*(?:,|/|\bet\b|\s)\s*(?=\d{2}:\d{2})", r"\1,"),  # lists
    (rf"\b({_SELECTEUR})\s*(?:-|–|\bau\b|\bà\b)\s*({_SELECTEUR})\b", r"\1-\2"),  # Mo - Fr
    (rf"\b({_SELECTEUR})\s*(?:,|\bet\b)\s*(?={_SELECTEUR}\b)", r"\1,"),  # Mo, Tu
    (rf"\b({_SELECTEUR})\s*:\s*", r"\1 "),  # Mo-Fr: 09:00
    (r"\bferm[ée]e?s?\b", "off"),
    (rf"(\d{{2}}:\d{{2}}|\boff|\bclosed)\s+(?={_SELECTEUR}\b)", r"\1; "),  # missing ;
    (r";\s*(?=\d)", ","),  # "Tu 08:30-12:00; 13:30-17:30": a `;` for a `,`
    (r"\s*;[\s;]*", "; "),
    (r"^[\s;,]+|[\s;,]+$", ""),
)


def _retoucher(texte: str) -> str:
    """Fix small slips while keeping the producer's rules: times, French days, separators."""
    propre = html.unescape(texte).replace("\xa0", " ").strip()
    propre = _JOUR_FR.sub(lambda trouve: _JOURS_FR_VERS_OSM[trouve.group(1).lower()], propre)
    propre = re.sub(rf"\b{_SELECTEUR}\b", _canonique, propre, flags=re.IGNORECASE)
    for motif, remplacement in _RETOUCHES:
        propre = re.sub(motif, remplacement, propre)
    return propre


def _canonique(trouve: re.Match[str]) -> str:
    """OSM spelling of a day or holiday token: `mo` → `Mo`, `ph` → `PH`."""
    jeton = trouve.group()
    return jeton.upper() if jeton.upper() in ("PH", "SH") else jeton.capitalize()


def _reecrire_en_osm(texte: str) -> str:
    """Read a French sentence ("Du lundi au vendredi : 9h-12h / 14h-17h") as OSM, or ""."""
    lecture = _lire_francais(texte)
    if lecture.regles is None or not lecture.regles or lecture.remarques:
        return ""
    style_osm = re.search(rf"\b{_SELECTEUR}\b", texte) and not _JOUR_FR.search(texte)
    return _ecrire_osm(_fusionner(lecture.regles, cumuler=not style_osm))


# --- Reading French free text ------------------------------------------------------------------


class _Regle(NamedTuple):
    """One rule read from French text: days (0-6, 7 for public holidays) and what happens."""

    jours: frozenset[int]
    plages: tuple[tuple[int, int], ...]
    etat: str  # "", "off" or "unknown"
    commentaire: str


class _Lecture(NamedTuple):
    """Rules read from French text (None when unreadable) and French remarks on what was not."""

    regles: list[_Regle] | None
    remarques: list[str]


_MOTS_JOURS = MappingProxyType({
    **{nom: i for i, nom in enumerate(("lundi", "mardi", "mercredi", "jeudi", "vendredi",
                                        "samedi", "dimanche"))},
    **{nom: i for i, nom in enumerate(("lun", "mar", "mer", "jeu", "ven", "sam", "dim"))},
    **{nom: i for i, nom in enumerate(("lu", "ma", "me", "je", "ve", "sa", "di"))},
    **{nom.lower(): i for i, nom in enumerate(JOURS_OSM)}, "jf": 7,
})  # fmt: skip
_MOTS_FERME = frozenset(("fermé", "fermée", "fermés", "fermées", "ferme", "fermeture", "closed",
                         "off", "férmé", "férmée"))  # fmt: skip
_MOTS_LIENS = frozenset(("au", "aux", "à", "a", "jusqu'à", "jusqu'au", "-", "–", "—", "/"))
_MOTS_VIDES = frozenset(("de", "du", "des", "le", "la", "les", "l'", "et", "h", "heures",
                         "ouvert", "ouverte", "ouverts", "horaires", "horaire", "d'ouverture",
                         "ouverture", "open", "journée", "toute", "permanence", "permanences", "puis",
                         "accueil"))  # fmt: skip
_EXPRESSIONS = (
    (r"<[^>]*>", " ; "),
    (r"\\n", " ; "),
    (r"tous\s+les\s+jours|7\s*j(?:ours)?\s*(?:/|sur)\s*7", " lundi-dimanche "),
    (r"week-?ends?", " samedi-dimanche "),
    (r"(?:les\s+)?jours?\s+f[ée]ri[ée]s|\bf[ée]ri[ée]s\b", " jf "),
    (r"(?:avec\s+ou\s+)?sans\s+(?:rendez\s*-?\s*vous|rdv)", " "),
    (r"non[-\s]?stop|en\s+continu|journ[ée]e\s+continue", " "),
    (r"(?:uniquement\s+)?sur\s+(?:rendez\s*-?\s*vous|rdv|r\.d\.v\.?)(?:\s+uniquement)?", " rdv "),
    (r"pas\s+d[’']accueil|pas\s+de\s+permanence|aucun\s+accueil", " fermé "),
    (r"\bmidi\b", " 12h "),
    (r"\bminuit\b", " 24h "),
)
_LEXEME_FR = re.compile(
    r"""
      (?P<heure>\d{1,2}\s*(?::|h(?:eures?)?)\s*(?:\d{2}(?![\dh]|\s+h))?)
    | (?P<ordinal>\d+\s*(?:er|ère|re|ème|eme|e|nd|nde)\b)
    | (?P<nombre>\d+)
    | (?P<lien>[-–—/])
    | (?P<mot>[^\W\d_](?:[^\W\d_]|['’])*)
    | (?P<blanc>[\s,;.:()!"|]+)
    | (?P<autre>.)
    """,
    re.VERBOSE,
)


class _Lexeme(NamedTuple):
    """A piece of French hours text: its kind, the value it stands for, and its text."""

    genre: str  # jour, heure, nombre, lien, ferme, rdv, sauf, vide, inconnu
    valeur: int
    texte: str


def _minutes_de(texte: str) -> int:
    """Minutes since midnight of "9h30", "09:00", "17 heures"; -1 when out of range."""
    heures, minutes = (re.findall(r"\d+", texte) + ["0"])[:2]
    total = int(heures) * 60 + int(minutes)
    return total if int(minutes) < 60 and total <= 24 * 60 else -1


def _classer_mot(mot: str) -> _Lexeme:
    """Kind of one French word: a day, a link ("au"), "fermé", "sauf", a filler or unknown."""
    mot = mot.replace("’", "'")
    mot_simple = mot[:-1] if mot.endswith("s") and mot[:-1] in _MOTS_JOURS else mot
    if mot_simple in _MOTS_JOURS:
        return _Lexeme("jour", _MOTS_JOURS[mot_simple], mot)
    for genre, mots in (("ferme", _MOTS_FERME), ("lien", _MOTS_LIENS), ("vide", _MOTS_VIDES)):
        if mot in mots:
            return _Lexeme(genre, 0, mot)
    genre = {"sauf": "sauf", "rdv": "rdv"}.get(mot, "inconnu")
    return _Lexeme(genre, 0, mot)


def _lexemes(texte: str) -> list[_Lexeme]:
    """French hours text cut into meaningful pieces (spaces and punctuation dropped)."""
    propre = html.unescape(texte).replace("\xa0", " ").lower()
    for motif, remplacement in _EXPRESSIONS:
        propre = re.sub(motif, remplacement, propre)
    lexemes = []
    for trouve in _LEXEME_FR.finditer(propre):
        genre, morceau = trouve.lastgroup or "autre", trouve.group().strip()
        if genre == "mot":
            lexemes.append(_classer_mot(morceau))
        elif genre == "heure":
            lexemes.append(_Lexeme("heure", _minutes_de(morceau), morceau))
        elif genre in ("nombre", "lien"):
            lexemes.append(_Lexeme(genre, int(morceau) if genre == "nombre" else 0, morceau))
        elif genre != "blanc":
            lexemes.append(_Lexeme("inconnu", 0, morceau))
    return _resoudre_nombres(lexemes)


def _resoudre_nombres(lexemes: list[_Lexeme]) -> list[_Lexeme]:
    """A bare number next to a range ("9-12h", "10 à 12h") is an hour; any other is unknown."""

    def genre(i: int) -> str:
        return lexemes[i].genre if 0 <= i < len(lexemes) else ""

    def lie(lien: int, autre: int) -> bool:
        return genre(lien) == "lien" and genre(autre) in ("heure", "nombre")

    resultat = []
    for i, lexeme in enumerate(lexemes):
        if lexeme.genre == "nombre":
            if lexeme.valeur <= 24 and (lie(i + 1, i + 2) or lie(i - 1, i - 2)):
                lexeme = _Lexeme("heure", lexeme.valeur * 60, lexeme.texte)
            else:
                lexeme = _Lexeme("inconnu", 0, lexeme.texte)
        resultat.append(lexeme)
    return resultat


class _Lecteur:
    """Builds rules from French lexemes, one rule at a time (a local helper, never shared)."""

    def __init__(self) -> None:
        self.regles: list[_Regle] = []
        self.remarques: list[str] = []
        self.illisible = False
        self._vider()

    def _vider(self) -> None:
        """Start a new rule."""
        self.jours: set[int] = set()
        self.exclus: set[int] = set()
        self.heures: list[int] = []
        self.ferme = self.rdv = self.sauf = self.jours_dabord = False
        self.dernier = ""
        self.chaine: list[int] = []  # days named in a row joined by links: "mardi-jeudi-vendredi"
        self.avant_chaine: set[int] = set()

    def _a_contenu(self) -> bool:
        """True when the current rule already says something about hours."""
        return bool(self.heures) or self.ferme or self.rdv

    def lire(self, lexemes: list[_Lexeme]) -> _Lecture:
        """Read all lexemes; unknown words make the whole text unreadable."""
        inconnus = [lexeme.texte for lexeme in lexemes if lexeme.genre == "inconnu"]
        if inconnus:
            return _Lecture(None, [f"mots non compris : {', '.join(inconnus[:5])}"])
        utiles = [lexeme for lexeme in lexemes if lexeme.genre != "vide"]
        for position, lexeme in enumerate(utiles):
            self._lexeme(lexeme, utiles[max(position - 2, 0) : position])
        self.finir()
        return _Lecture(None if self.illisible else self.regles, self.remarques)

    def _lexeme(self, lexeme: _Lexeme, precedents: list[_Lexeme]) -> None:
        """Dispatch one lexeme; `precedents` are the (up to) two before it."""
        genres = [precedent.genre for precedent in precedents]
        if lexeme.genre == "jour":
            debut = precedents[0].valeur if genres == ["jour", "lien"] else None
            self._jour(lexeme.valeur, debut)
        elif lexeme.genre in ("heure", "ferme", "rdv"):
            self._contenu(lexeme)
        elif lexeme.genre == "sauf":
            self.sauf = True
        self.dernier = lexeme.genre

    def _jour(self, jour: int, debut: int | None) -> None:
        """A day, or the end of a range from `debut`; starts a new rule after days then hours."""
        if not self.sauf and self.jours and self._a_contenu() and self.jours_dabord:
            self.finir()
        if not self._a_contenu():
            self.jours_dabord = True
        cible = self.exclus if self.sauf else self.jours
        if debut is None or not self.chaine:
            self.chaine, self.avant_chaine = [], set(cible)
        self.chaine.append(jour)
        if len(self.chaine) == 2:
            cible.update(_jours_entre(self.chaine[0], jour))
        else:  # one day, or a chain of three or more: a list ("mardi-jeudi-vendredi"), not ranges
            cible.intersection_update(self.avant_chaine)
            cible.update(self.chaine)

    def _contenu(self, lexeme: _Lexeme) -> None:
        """An hour, "fermé" or "sur rendez-vous"; may close the rule before it."""
        jours_en_fin = bool(self.jours) and not self.jours_dabord and self.dernier == "jour"
        if jours_en_fin or (lexeme.genre == "ferme" and self.heures):
            self.finir()
        if lexeme.genre == "heure":
            self.heures.append(lexeme.valeur)
        self.ferme = self.ferme or lexeme.genre == "ferme"
        self.rdv = self.rdv or lexeme.genre == "rdv"

    def finir(self) -> None:
        """Close the current rule, checking its hours pair up into ranges."""
        if not self._a_contenu():
            if self.jours:
                self.remarques.append("jours sans horaires")
                self.illisible = True
            self._vider()
            return
        plages = _apparier(self.heures, self.remarques)
        if plages is None:
            self.illisible, plages = True, ()
        elif not plages and not (self.ferme or self.rdv):  # only empty ranges: nothing said
            self._vider()
            return
        jours = frozenset((self.jours or set(range(7))) - self.exclus)
        etat = "off" if self.ferme else ("unknown" if self.rdv and not plages else "")
        commentaire = "sur rendez-vous" if self.rdv else ""
        self.regles.append(_Regle(jours, plages, etat, commentaire))
        self._vider()


def _jours_entre(premier: int, dernier: int) -> list[int]:
    """Days from `premier` to `dernier` included, through Sunday if needed (holidays: alone)."""
    if 7 in (premier, dernier):
        return [premier, dernier]
    return [(premier + i) % 7 for i in range((dernier - premier) % 7 + 1)]


def _apparier(heures: list[int], remarques: list[str]) -> tuple[tuple[int, int], ...] | None:
    """Pair hours into (start, end) ranges, or None (remarked) for odd counts and backwards
    ranges; empty ranges ("00:00 - 00:00") are left out, with a remark."""
    if len(heures) % 2 or -1 in heures:
        remarques.append("heures impossibles à apparier en plages « début-fin »")
        return None
    plages = list(zip(heures[::2], heures[1::2], strict=True))
    if any(debut > fin or debut >= 24 * 60 for debut, fin in plages):
        remarques.append("une plage finit avant de commencer")
        return None
    if any(debut == fin for debut, fin in plages):
        remarques.append("plage vide ignorée")
    return _normaliser_plages(plage for plage in plages if plage[0] < plage[1])


def _normaliser_plages(plages: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Ranges sorted, overlapping ones merged (touching ones kept apart, as written)."""
    resultat: list[tuple[int, int]] = []
    for debut, fin in sorted(plages):
        if resultat and debut < resultat[-1][1]:
            resultat[-1] = (resultat[-1][0], max(fin, resultat[-1][1]))
        else:
            resultat.append((debut, fin))
    return tuple(resultat)


def _lire_francais(texte: str) -> _Lecture:
    """Rules of French free text such as "Du lundi au jeudi : 9h-12h / 14h-17h ; vendredi fermé"."""
    return _Lecteur().lire(_lexemes(texte))


class _Contenu(NamedTuple):
    """What happens on one day: sorted ranges, a state ("", "off", "unknown") and a comment."""

    plages: tuple[tuple[int, int], ...]
    etat: str
    commentaire: str


_CONTENU_FERME = _Contenu((), "off", "")


def _fusionner(regles: Iterable[_Regle], cumuler: bool = True) -> dict[int, _Contenu]:
    """Per-day content of rules. In French text hours add up ("lundi au vendredi 9h-12h, lundi
    14h-17h") and "fermé" overrides; with `cumuler` False, the last rule wins, as in OSM."""
    contenus: dict[int, _Contenu] = {}
    for regle in regles:
        for jour in regle.jours:
            avant = contenus.get(jour)
            if cumuler and regle.plages and avant and avant.plages:
                plages = _normaliser_plages([*avant.plages, *regle.plages])
                contenus[jour] = _Contenu(plages, "", regle.commentaire or avant.commentaire)
            else:
                contenus[jour] = _Contenu(regle.plages, regle.etat, regle.commentaire)
    return contenus


def _selecteur_osm(jours: list[int]) -> str:
    """OSM weekday selector: [0, 1, 2, 3, 4] → "Mo-Fr", [0, 2] → "Mo,We", [0, 1] → "Mo,Tu"."""
    series: list[list[int]] = []
    for jour in sorted(jours):
        if series and series[-1][-1] == jour - 1:
            series[-1].append(jour)
        else:
            series.append([jour])
    morceaux = []
    for serie in series:
        noms = [JOURS_OSM[jour] for jour in serie]
        morceaux.append(f"{noms[0]}-{noms[-1]}" if len(noms) > 2 else ",".join(noms))
    return ",".join(morceaux)


def _heure_osm(minutes: int) -> str:
    """Minutes since midnight as OSM "HH:MM"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _corps_osm(contenu: _Contenu) -> str:
    """The part of an OSM rule after the selector: hours, state, comment."""
    plages = ",".join(f"{_heure_osm(a)}-{_heure_osm(b)}" for a, b in contenu.plages)
    commentaire = contenu.commentaire.replace('"', "'").strip()
    morceaux = [plages, contenu.etat, f'"{commentaire}"' if commentaire else ""]
    return " ".join(morceau for morceau in morceaux if morceau)


def _ecrire_osm(contenus: Mapping[int, _Contenu]) -> str:
    """OSM value of per-day contents, days with the same hours grouped, closed days left out."""
    groupes: dict[_Contenu, list[int]] = {}
    for jour in range(7):
        if jour in contenus and contenus[jour] != _CONTENU_FERME:
            groupes.setdefault(contenus[jour], []).append(jour)
    regles = [f"{_selecteur_osm(jours)} {_corps_osm(contenu)}" for contenu, jours in groupes.items()]
    if 7 in contenus:
        regles.append(f"PH {_corps_osm(contenus[7])}")
    return "; ".join(regles) or "off"


# --- Importing French free text per weekday ------------------------------------------------------


_JOUR_DANS_CLE = re.compile(r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche", re.IGNORECASE)
_VALEURS_VIDES = frozenset(("", "-", "–", "/", "nc", "n/a", "?"))


def convertir_texte_libre(jours: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """Convert French free-text hours per weekday to an OSM value; never raises.

    `jours` maps a key naming a weekday ("Lundi", "h_mardi"...) to its free text ("9h à 12h -
    14h à 17h", "Fermé", "" when not stated). Returns the OSM value (None when there is nothing to
    convert) and French reasons for what could not be converted. A day whose text can't be read
    becomes `unknown` with its text as comment ("horaires non précisés"), never silently closed.
    """
    contenus: dict[int, _Contenu] = {}
    raisons: list[str] = []
    for cle, valeur in jours.items() if isinstance(jours, Mapping) else ():
        trouve = _JOUR_DANS_CLE.search(str(cle))
        if not trouve:
            raisons.append(f"« {cle} » ne désigne pas un jour de la semaine")
            continue
        index = _MOTS_JOURS[trouve.group().lower()]
        contenu, remarques = _convertir_journee(str(valeur or ""), index)
        raisons += [f"{JOURS[index].lower()} : {remarque}" for remarque in remarques]
        if contenu is not None:
            contenus[index] = contenu
    return _resultat_conversion(contenus, raisons)


def _resultat_conversion(contenus: dict[int, _Contenu], raisons: list[str]) -> tuple[str | None, list[str]]:
    """The OSM value of converted days, checked with the parser."""
    if not contenus:
        return None, raisons
    texte = _ecrire_osm(contenus)
    if _valide(texte):
        return texte, raisons
    sans_commentaires = {jour: c._replace(commentaire="") for jour, c in contenus.items()}
    texte = _ecrire_osm(sans_commentaires)
    return (texte, raisons) if _valide(texte) else (None, [*raisons, "résultat invalide"])


def _convertir_journee(valeur: str, jour: int) -> tuple[_Contenu | None, list[str]]:
    """Content of one day's free text; None when not stated."""
    if valeur.strip().lower() in _VALEURS_VIDES:
        return None, []
    lecture = _lire_francais(valeur)
    if lecture.regles == []:  # readable, but nothing left ("00:00 - 00:00")
        return None, [f"« {valeur.strip()} » : {r}" for r in lecture.remarques]
    regles = lecture.regles or []
    autres_jours = any(regle.jours - {jour} and regle.jours != frozenset(range(7)) for regle in regles)
    if lecture.regles and not autres_jours:
        contenu = _fusionner(regle._replace(jours=frozenset({jour})) for regle in regles)[jour]
        return contenu, [f"« {valeur.strip()} » : {r}" for r in lecture.remarques]
    pourquoi = ", ".join(lecture.remarques) or "d'autres jours sont cités"
    commentaire = re.sub(r"<[^>]*>|\s+", " ", html.unescape(valeur)).strip()[:120]
    return _Contenu((), "unknown", commentaire), [f"« {valeur.strip()} » non converti ({pourquoi})"]


# --- Describing rules in French ------------------------------------------------------------------


_MOIS_RE = "|".join(MOIS_OSM)
_JOUR_RE = "|".join(JOURS_OSM)
_SOLEIL = MappingProxyType({"sunrise": "lever du soleil", "sunset": "coucher du soleil",
                            "dawn": "aube", "dusk": "crépuscule"})  # fmt: skip
_INSTANT = r"(?:\d{1,2}:\d{2}|sunrise|sunset|dawn|dusk)"
_LEXEME_OSM = re.compile(
    rf"""
      (?P<commentaire>"[^"]*")
    | (?P<semaine>\bweek\s*\d{{1,2}}(?:-\d{{1,2}})?(?:/\d{{1,2}})?(?![\d:]))
    | (?P<plage>{_INSTANT}(?:-{_INSTANT})?\+?)
    | (?P<h24>24/7)
    | (?P<annee>\b\d{{4}}(?:-\d{{4}})?(?![\d:]))
    | (?P<jour>\b(?:{_JOUR_RE})(?:\[-?\d(?:,-?\d)*\])?(?:-(?:{_JOUR_RE}))?(?![A-Za-z]))
    | (?P<ferie>\b(?:PH|SH)\b)
    | (?P<mois>\b(?:{_MOIS_RE})(?:\s?\d{{1,2}}(?![\d:]))?
        (?:-(?:(?:{_MOIS_RE})\s?)?\d{{1,2}}(?![\d:])|-(?:{_MOIS_RE})\b)?(?![A-Za-z]))
    | (?P<etat>\b(?:open|closed|off|unknown)\b)
    | (?P<blanc>[\s,]+)
    | (?P<autre>.)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_SIMPLES = frozenset(("commentaire", "plage", "h24", "jour", "etat", "blanc"))


def _lexemes_osm(regle: str) -> list[tuple[str, str]]:
    """(kind, text) pieces of one OSM rule, blanks left out."""
    return [
        (trouve.lastgroup or "autre", trouve.group())
        for trouve in _LEXEME_OSM.finditer(regle)
        if trouve.lastgroup != "blanc"
    ]


def _regle_simple(morceau: _Morceau) -> bool:
    """True when the week table shows the rule fully: plain weekdays and clock hours only."""
    if morceau.separateur == "||":
        return False
    for genre, texte in _lexemes_osm(morceau.regle):
        if genre not in _SIMPLES or "[" in texte or "+" in texte:
            return False
        if genre == "plage" and re.search("[a-z]", texte, re.IGNORECASE):
            return False
    return True


def _jour_osm(texte: str) -> int:
    """Index of an OSM day: "Tu" → 1."""
    return [nom.lower() for nom in JOURS_OSM].index(texte.lower())


def _decrire_jour(texte: str) -> str | None:
    """French for a weekday selector: "Mo-Fr" → "du lundi au vendredi", "Tu[1]" → "le 1er mardi
    du mois"."""
    trouve = re.fullmatch(rf"({_JOUR_RE})(?:\[([-\d,]+)\])?(?:-({_JOUR_RE}))?", texte, re.I)
    if not trouve:
        return None
    premier, rangs, dernier = trouve.groups()
    nom = JOURS[_jour_osm(premier)].lower()
    if rangs and not dernier:
        numeros = [int(rang) for rang in rangs.split(",")]
        pluriel = "les" if len(numeros) > 1 else "le"
        nom_pluriel = f"{nom}s" if len(numeros) > 1 else nom
        return f"{pluriel} {_enumerer([_ordinal_fr(n) for n in numeros])} {nom_pluriel} du mois"
    if dernier and not rangs:
        return f"du {nom} au {JOURS[_jour_osm(dernier)].lower()}"
    return None if rangs else nom


def _decrire_semaine(texte: str) -> str:
    """French for a week selector: "week 1-53/2" → "une semaine sur deux (semaines impaires)"."""
    debut, fin, pas = re.fullmatch(r"week\s*(\d+)(?:-(\d+))?(?:/(\d+))?", texte, re.I).groups()  # type: ignore[union-attr]
    if pas == "2":
        parite = "impaires" if int(debut) % 2 else "paires"
        return f"une semaine sur deux (semaines {parite})"
    if pas:
        return f"une semaine sur {pas}, à partir de la semaine {int(debut)}"
    return f"semaines {int(debut)} à {int(fin)}" if fin else f"semaine {int(debut)}"


def _decrire_mois(texte: str) -> str:
    """French for a month or date selector: "Jul-Aug", "Dec 24", "Dec 24-26"."""
    morceaux = re.findall(rf"({_MOIS_RE})|(\d+)", texte, re.I)
    mois = [MOIS[[m.lower() for m in MOIS_OSM].index(m.lower())] for m, _ in morceaux if m]
    jours = [int(j) for _, j in morceaux if j]
    if not jours:
        return f"de {mois[0]} à {mois[-1]}" if len(mois) > 1 else f"en {mois[0]}"
    debut = f"{_ordinal_fr(jours[0]) if jours[0] == 1 else jours[0]} {mois[0]}"
    if len(jours) == 1:
        return f"le {debut}" if len(mois) == 1 else f"du {debut} à fin {mois[-1]}"
    if len(mois) == 1:
        return f"du {jours[0]} au {jours[-1]} {mois[0]}"
    return f"du {debut} au {jours[-1]} {mois[-1]}"


def _decrire_plage(texte: str) -> str:
    """French for a time range: "09:00-12:30" → "9 h – 12 h 30", "09:00+" → "à partir de 9 h"."""
    ouvert = texte.endswith("+")
    bornes = [_decrire_instant(borne) for borne in texte.rstrip("+").split("-")]
    if len(bornes) == 1:
        return f"à partir de {bornes[0]}" if ouvert else bornes[0]
    suite = " (fin non précisée)" if ouvert else ""
    return f"{bornes[0]} – {bornes[1]}{suite}"


def _decrire_instant(texte: str) -> str:
    """French for "09:00" (9 h), "26:00" (2 h le lendemain) or "sunset"."""
    if texte.lower() in _SOLEIL:
        return _SOLEIL[texte.lower()]
    heures, minutes = (int(n) for n in texte.split(":"))
    total = heures * 60 + minutes
    return heure_fr(total) if total <= 24 * 60 else f"{heure_fr(total - 24 * 60)} le lendemain"


def _decrire_selection(genre: str, texte: str) -> str | None:
    """French for one selector of a rule, None when not understood."""
    if genre == "jour":
        return _decrire_jour(texte)
    if genre == "ferie":
        return "jours fériés" if texte.upper() == "PH" else "vacances scolaires"
    if genre == "semaine":
        return _decrire_semaine(texte)
    if genre == "mois":
        return _decrire_mois(texte)
    if genre == "annee":
        return f"en {texte}" if "-" not in texte else "de {} à {}".format(*texte.split("-"))
    return None


def _decrire_effet(plages: list[str], etat: str, commentaire: str) -> str:
    """French for what a rule says happens: hours, "fermé", "horaires non précisés"..."""
    if etat in ("off", "closed"):
        effet = "fermé"
    elif etat == "unknown" or (commentaire and not plages and not etat):
        effet = "horaires non précisés"
    elif plages:
        effet = ", ".join(plages)
    else:
        effet = "ouvert toute la journée"
    return f"{effet} ({commentaire})" if commentaire else effet


def decrire_regle(regle: str) -> str | None:
    """One OSM rule in a French sentence ("Jours fériés : fermé"), or None when not understood."""
    periodes: list[str] = []
    jours: list[str] = []
    plages: list[str] = []
    etat = commentaire = ""
    for genre, texte in _lexemes_osm(regle):
        if genre == "autre":
            return None
        if genre == "commentaire":
            commentaire = texte.strip('"').strip()
        elif genre == "etat":
            etat = texte.lower()
        elif genre in ("plage", "h24"):
            plages.append(_decrire_plage(texte) if genre == "plage" else "24 h sur 24")
        elif (selection := _decrire_selection(genre, texte)) is None:
            return None
        else:
            (jours if genre in ("jour", "ferie") else periodes).append(selection)
    selections = [*periodes, _enumerer(jours)] if jours else periodes
    quand = _majuscule(", ".join(selections)) if selections else "Tous les jours"
    return f"{quand} : {_decrire_effet(plages, etat, commentaire)}"


def _note(morceau: _Morceau, toutes: bool = False) -> str | None:
    """Note for a rule the week table can't show fully (for any rule when `toutes`)."""
    if _regle_simple(morceau) and not toutes:
        return None
    phrase = decrire_regle(morceau.regle) or f"règle non traduite : « {morceau.regle} »"
    if morceau.separateur == "||":
        return f"Sinon, {phrase[:1].lower()}{phrase[1:]}"
    return _majuscule(phrase)


# --- The week table ------------------------------------------------------------------------------


class _Segment(NamedTuple):
    """A stretch of one day in local minutes, with its state and comment."""

    debut: int
    fin: int
    etat: str  # "open", "closed" or "unknown", as the parser says
    commentaire: str


def _aujourdhui() -> date:
    """Today in Paris."""
    return datetime.now(PARIS).date()


def _minuit(jour: date) -> datetime:
    """Midnight at the start of `jour`, Paris time."""
    return datetime.combine(jour, time(0), PARIS)


def _intervalles(oh: opening_hours.OpeningHours, debut: date, nb_jours: int) -> list | None:
    """The parser's intervals from midnight of `debut`, over `nb_jours` days; None on failure."""
    borne_debut, borne_fin = _minuit(debut), _minuit(debut + timedelta(days=nb_jours))
    return _sans_erreur(lambda: list(oh.intervals(borne_debut, borne_fin)), None)


def _segments_par_jour(intervalles: list) -> dict[date, list[_Segment]]:
    """Cut the parser's intervals at local midnights."""
    jours: dict[date, list[_Segment]] = {}
    for debut, fin, etat, commentaire in intervalles:
        debut, fin = debut.astimezone(PARIS), fin.astimezone(PARIS)
        while debut < fin:
            minuit = _minuit(debut.date() + timedelta(days=1))
            bout = min(fin, minuit)
            fin_minutes = 24 * 60 if bout == minuit else bout.hour * 60 + bout.minute
            segment = _Segment(debut.hour * 60 + debut.minute, fin_minutes, str(etat), commentaire)
            jours.setdefault(debut.date(), []).append(segment)
            debut = bout
    return jours


def _texte_journee(segments: list[_Segment]) -> str:
    """One day in French: "9 h – 12 h, 14 h – 18 h (sur rendez-vous)", "Fermé"."""
    utiles = [segment for segment in segments if segment.etat != "closed"]
    remarques = sorted({s.commentaire for s in segments if s.etat == "closed" and s.commentaire})
    if not utiles:
        return f"{FERME} ({', '.join(remarques)})" if remarques else FERME
    morceaux: list[str] = []
    groupes: list[list[_Segment]] = []
    for segment in utiles:
        if groupes and (groupes[-1][-1].etat, groupes[-1][-1].commentaire) == segment[2:]:
            groupes[-1].append(segment)
        else:
            groupes.append([segment])
    for groupe in groupes:
        morceaux.append(_texte_groupe(groupe))
    return ", ".join(morceaux)


def _texte_groupe(groupe: list[_Segment]) -> str:
    """Segments sharing a state and a comment, in French."""
    premier = groupe[0]
    if len(groupe) == 1 and (premier.debut, premier.fin) == (0, 24 * 60):
        heures = "24 h sur 24" if premier.etat == "open" else "horaires non précisés"
    else:
        heures = ", ".join(_plage_fr(segment.debut, segment.fin) for segment in groupe)
        heures += " (à confirmer)" if premier.etat == "unknown" else ""
    return f"{heures} ({premier.commentaire})" if premier.commentaire else heures


def _jours_feries(debut: date, nb_jours: int) -> set[date]:
    """French public holidays between `debut` and `nb_jours` later."""
    feries = _sans_erreur(lambda: opening_hours.OpeningHours("PH", timezone=PARIS, country=PAYS), None)
    intervalles = _intervalles(feries, debut, nb_jours) if feries else None
    par_jour = _segments_par_jour(intervalles or [])
    return {jour for jour, segments in par_jour.items() if any(s.etat == "open" for s in segments)}


def _texte_usuel(textes: list[str]) -> str:
    """The most frequent text of a weekday; an open one wins a tie; a varying day says so."""
    if not textes:
        return A_VERIFIER
    comptes = Counter(textes)
    choisi = max(comptes, key=lambda texte: (comptes[texte], texte != FERME))
    return choisi if len(comptes) == 1 else f"{choisi} (selon les semaines, voir les précisions)"


def _jours_usuels(oh: opening_hours.OpeningHours, lundi: date, nb_jours: int) -> tuple[Jour, ...] | None:
    """The usual hours of each weekday over `nb_jours` days from a Monday, holidays aside."""
    intervalles = _intervalles(oh, lundi, nb_jours)
    if intervalles is None:
        return None
    par_jour, feries = _segments_par_jour(intervalles), _jours_feries(lundi, nb_jours)
    textes: list[list[str]] = [[] for _ in range(7)]
    for jour, segments in sorted(par_jour.items()):
        if jour not in feries:
            textes[jour.weekday()].append(_texte_journee(segments))
    return tuple(Jour(JOURS[i], _texte_usuel(textes[i])) for i in range(7))


def _notes(texte: str, jours: tuple[Jour, ...]) -> tuple[str, ...]:
    """Notes for the rules a week can't show (every rule without a table), then any comment
    shown nowhere else."""
    notes = [note for morceau in _decouper(texte) if (note := _note(morceau, not jours))]
    visible = " ".join([*notes, *(jour.texte for jour in jours)])
    for commentaire in _COMMENTAIRE.findall(texte):
        if commentaire.strip() and commentaire.strip() not in visible:
            notes.append(f"Précision : {commentaire.strip()}")
    return tuple(dict.fromkeys(notes))


def semaine(texte: str, debut: date | None = None) -> Semaine:
    """The week table and notes of an `horaires` value, in French; never raises.

    Weekdays are evaluated from the Monday of `debut`'s week (default: today in Paris): three weeks
    for plain weekday rules, a whole year when some rule depends on the week, month or date.
    Sun times and fallback rules (`||`) get notes only, no table: the parser can't evaluate them
    reliably here (no coordinates; `intervals` and `state` disagree on fallback rules).
    """
    oh = _analyser(texte)
    if oh is None:
        return _semaine_a_verifier(texte)
    if _SANS_TABLEAU.search(_COMMENTAIRE.sub("", texte)):
        return Semaine((), _notes(texte, ()))
    lundi = (debut or _aujourdhui()) - timedelta(days=(debut or _aujourdhui()).weekday())
    complexe = not all(_regle_simple(morceau) for morceau in _decouper(texte))
    jours = _jours_usuels(oh, lundi, 7 * (53 if complexe else 3))
    if jours is None:
        return _semaine_a_verifier(texte)
    return Semaine(jours, _notes(texte, jours))


_SANS_TABLEAU = re.compile(r"sunrise|sunset|dawn|dusk|\|\|", re.IGNORECASE)


def _semaine_a_verifier(texte: object) -> Semaine:
    """The week of a value that can't be evaluated: no table, a note quoting it."""
    brut = str(texte).strip() if isinstance(texte, str) else ""
    note = f"{A_VERIFIER} : « {brut} » n'a pas pu être lu." if brut else f"{A_VERIFIER}."
    return Semaine((), (note,), a_verifier=True)


# --- Open now: badge data and state --------------------------------------------------------------


_NON_CALCULABLE = re.compile(r"\bSH\b|sunrise|sunset|dawn|dusk|\|\|", re.IGNORECASE)


def _calculable(texte: str) -> bool:
    """False for rules the parser can't evaluate here: school holidays (no calendar by zone), sun
    times (no coordinates) and fallback rules (`||`, where the parser's `intervals` and `state`
    disagree); the badge then says "Horaires à vérifier" rather than guess."""
    return not _NON_CALCULABLE.search(_COMMENTAIRE.sub("", texte))


def _plages_minutes(intervalles: list, origine: datetime, etat: str) -> list[tuple[int, int]]:
    """Intervals in a given state as (start, end) minutes from `origine`, touching ones merged."""
    plages: list[tuple[int, int]] = []
    for debut, fin, etat_intervalle, _ in intervalles:
        if str(etat_intervalle) != etat:
            continue
        a = round((debut.timestamp() - origine.timestamp()) / 60)
        b = round((fin.timestamp() - origine.timestamp()) / 60)
        if plages and plages[-1][1] == a:
            plages[-1] = (plages[-1][0], b)
        elif b > a:
            plages.append((a, b))
    return plages


def _ecarts(plages: list[tuple[int, int]]) -> list[int]:
    """Ranges as a flat list [gap, length, gap, length...], gaps from the previous end: small,
    repetitive numbers that gzip well."""
    ecarts, fin = [], 0
    for debut, nouvelle_fin in plages:
        ecarts += [debut - fin, nouvelle_fin - debut]
        fin = nouvelle_fin
    return ecarts


def _plages_de(ecarts: Iterable[Any]) -> list[tuple[int, int]]:
    """Inverse of `_ecarts`; anything malformed gives no range."""
    valeurs = list(ecarts) if isinstance(ecarts, list) else []
    if len(valeurs) % 2 or not all(isinstance(v, int) for v in valeurs):
        return []
    plages, fin = [], 0
    for ecart, longueur in zip(valeurs[::2], valeurs[1::2], strict=True):
        plages.append((fin + ecart, fin + ecart + longueur))
        fin += ecart + longueur
    return plages


def donnees_badge(texte: str, debut: date, jours: int = JOURS_BADGE) -> dict[str, Any]:
    """Precomputed "open now" data for the browser badge (theme/static/js/horaires.js).

    Either `{"etat": "inconnu"}` when the value can't be evaluated, or
    `{"debut": E, "minutes": N, "ouvert": [...], "inconnu": [...]}`: E is the UTC epoch second of
    midnight (Paris) starting `debut`, N the length of the window in minutes (`jours` days, DST
    included), and each list holds ranges from E as [gap, length, gap, length...] in minutes (see
    `_ecarts`). Absolute instants let the browser compare with its clock in any time zone.
    """
    oh = _analyser(texte)
    if oh is None or not _calculable(str(texte)) or not isinstance(jours, int) or jours < 1:
        return {"etat": "inconnu"}
    jours = min(jours, JOURS_BADGE_MAX)
    intervalles = _intervalles(oh, debut, jours)
    if intervalles is None:
        return {"etat": "inconnu"}
    origine, fin = _minuit(debut), _minuit(debut + timedelta(days=jours))
    return {
        "debut": int(origine.timestamp()),
        "minutes": round((fin.timestamp() - origine.timestamp()) / 60),
        "ouvert": _ecarts(_plages_minutes(intervalles, origine, "open")),
        "inconnu": _ecarts(_plages_minutes(intervalles, origine, "unknown")),
    }


def _moins(plages: list[tuple[int, int]], retraits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`plages` with every range of `retraits` cut out (both sorted, in minutes)."""
    for r_debut, r_fin in retraits:
        coupees = []
        for a, b in plages:
            coupees += [(a, min(b, r_debut))] if a < r_debut else []
            coupees += [(max(a, r_fin), b)] if b > r_fin else []
        plages = [(a, b) for a, b in coupees if b > a]
    return plages


def plages_ouvertes(badge: dict) -> list[tuple[int, int]]:
    """The ranges of a badge's data where it says "Ouvert", as epoch minutes."""
    if not isinstance(badge.get("debut"), int):
        return []
    origine = badge["debut"] // 60
    ouvert = _plages_de(badge.get("ouvert"))
    inconnu = _plages_de(badge.get("inconnu"))
    return [(origine + a, origine + b) for a, b in _moins(ouvert, inconnu)]


def plages_inconnues(badge: dict) -> list[tuple[int, int]]:
    """The ranges of a badge's data where it says "Horaires à vérifier", as epoch minutes."""
    if not isinstance(badge.get("debut"), int):
        return []
    origine = badge["debut"] // 60
    return [(origine + a, origine + b) for a, b in _plages_de(badge.get("inconnu"))]


def _en_paris(instant: datetime) -> datetime:
    """`instant` in Paris time; a naive datetime is taken as Paris wall-clock time."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=PARIS)
    return instant.astimezone(PARIS)


def _quand(cible: float, maintenant: datetime, fermeture: bool) -> str:
    """When an epoch second happens, seen from `maintenant`: "à 18 h", "demain à 9 h", "mardi à
    9 h", "le 2 septembre à 9 h"; closing at midnight is "à minuit" the same evening."""
    moment = datetime.fromtimestamp(cible, PARIS)
    heure = heure_fr(moment.hour * 60 + moment.minute)
    if fermeture and (moment.hour, moment.minute) == (0, 0):
        moment, heure = moment - timedelta(minutes=1), "minuit"
    ecart = (moment.date() - maintenant.date()).days
    if ecart <= 0:
        return f"à {heure}"
    if ecart == 1:
        return f"demain à {heure}"
    if ecart < 7:
        return f"{JOURS[moment.weekday()].lower()} à {heure}"
    return f"le {_date_fr(moment.date())} à {heure}"


def etat_badge(donnees: Mapping[str, Any], instant: datetime) -> tuple[str, str]:
    """State ("ouvert", "ferme" or "inconnu") and French label at `instant` from `donnees_badge`
    data; the same algorithm, step for step, as `calculerEtat` in horaires.js."""
    if not isinstance(donnees, Mapping) or not isinstance(donnees.get("debut"), int):
        return INCONNU
    maintenant = _en_paris(instant)
    minute = (maintenant.timestamp() - donnees["debut"]) / 60
    if not 0 <= minute < donnees.get("minutes", 0):
        return INCONNU
    ouverts, inconnus = _plages_de(donnees.get("ouvert")), _plages_de(donnees.get("inconnu"))
    if any(a <= minute < b for a, b in inconnus):
        return INCONNU
    instant_de = lambda m: donnees["debut"] + m * 60  # noqa: E731
    for a, b in ouverts:
        if a <= minute < b:
            if b >= donnees["minutes"] or any(a2 == b for a2, _ in inconnus):
                return ("ouvert", "Ouvert")
            return ("ouvert", f"Ouvert · ferme {_quand(instant_de(b), maintenant, True)}")
    prochain = min((a for a, _ in ouverts if a > minute), default=None)
    bloque = min((a for a, _ in inconnus if a > minute), default=None)
    if prochain is None or (bloque is not None and bloque < prochain):
        return ("ferme", FERME)
    return ("ferme", f"{FERME} · ouvre {_quand(instant_de(prochain), maintenant, False)}")


def etat(texte: str, instant: datetime) -> tuple[str, str]:
    """Whether a place is open at `instant` (aware; naive means Paris time), with its French label:
    ("ouvert", "Ouvert · ferme à 18 h"), ("ferme", "Fermé · ouvre mardi à 9 h") or
    ("inconnu", "Horaires à vérifier"). Paris time, French public holidays; never raises."""
    if not isinstance(instant, datetime):
        return INCONNU
    jour = _en_paris(instant).date() - timedelta(days=1)
    return etat_badge(donnees_badge(texte, jour, JOURS_BADGE + 1), instant)


# --- For the theme -------------------------------------------------------------------------------


def vue_horaires(texte: str, debut: date) -> VueHoraires | None:
    """All the `horaires` macro of the theme needs for one place, or None without hours.

    `debut` is the first day of the badge window: the build date (or the day before, to allow for
    visitors whose clock is behind).
    """
    if not isinstance(texte, str) or not texte.strip():
        return None
    texte = texte.strip()
    return VueHoraires(texte, semaine(texte, debut), donnees_badge(texte, debut))
