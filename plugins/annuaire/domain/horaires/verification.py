"""Checking a value and suggesting a fix for the usual producer mistakes (`9h-12h30`, French day
names...), and reading French free text ("lundi au vendredi 9h-12h") into the syntax.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from annuaire.domain.horaires.ambigus import ambiguite
from annuaire.domain.horaires.analyse import (
    EXEMPLE,
    JOURS,
    JOURS_OSM,
    Verdict,
    _erreur_analyse,
    _sans_erreur,
    _valide,
)

# --- Checking and suggestions --------------------------------------------------------------------

# Messages, kept once: the /proposer/ form's script shows the same words (validation/formulaire.py).
PAS_AU_FORMAT = "« {} » n'est pas au format OpenStreetMap (ex. " + EXEMPLE + ")"
LU_DEUX_FACONS = "« {} » est lu de deux façons : {}"


def verifier(texte: str) -> Verdict:
    """Check an `horaires` value; never raises, whatever the input."""
    if not isinstance(texte, str) or not texte.strip():
        return Verdict(False, f"horaires vides : écrivez-les au format OpenStreetMap (ex. {EXEMPLE})")
    if _valide(texte):
        return _verdict_ambigu(texte)  # what the reference parser (opening_hours, npm) reads otherwise
    return Verdict(False, _message_erreur(texte), suggerer(texte))


def _verdict_ambigu(texte: str) -> Verdict:
    """A valid value refused all the same when the national map's parser reads it otherwise
    (ambigus.py), with the corrected value when it validates."""
    trouvee = ambiguite(texte)
    if trouvee is None:
        return Verdict(True)
    court = texte if len(texte) <= 80 else f"{texte[:79]}…"
    return Verdict(False, LU_DEUX_FACONS.format(court, trouvee[0]), _sans_ambiguite(texte))


def _sans_ambiguite(texte: str) -> str:
    """A valid value as both parsers read it the same way; "" when its correction does not validate."""
    trouvee = ambiguite(texte)
    if trouvee is None:
        return texte
    return trouvee[1] if _valide(trouvee[1]) and ambiguite(trouvee[1]) is None else ""


def _message_erreur(texte: str) -> str:
    """French message for an invalid value, pointing at the first character the parser refused."""
    court = texte if len(texte) <= 80 else f"{texte[:79]}…"
    base = PAS_AU_FORMAT.format(court)
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


_JOURS_FR_VERS_OSM = MappingProxyType(
    {
        "lundi": "Mo",
        "lun": "Mo",
        "lu": "Mo",
        "mardi": "Tu",
        "mar": "Tu",
        "ma": "Tu",
        "mercredi": "We",
        "mer": "We",
        "me": "We",
        "jeudi": "Th",
        "jeu": "Th",
        "je": "Th",
        "vendredi": "Fr",
        "ven": "Fr",
        "ve": "Fr",
        "samedi": "Sa",
        "sam": "Sa",
        "dimanche": "Su",
        "dim": "Su",
        "di": "Su",
    }
)
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


_MOTS_JOURS = MappingProxyType(
    {
        **{
            nom: i
            for i, nom in enumerate(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"))
        },
        **{nom: i for i, nom in enumerate(("lun", "mar", "mer", "jeu", "ven", "sam", "dim"))},
        **{nom: i for i, nom in enumerate(("lu", "ma", "me", "je", "ve", "sa", "di"))},
        **{nom.lower(): i for i, nom in enumerate(JOURS_OSM)},
        "jf": 7,
    }
)
_MOTS_FERME = frozenset(
    ("fermé", "fermée", "fermés", "fermées", "ferme", "fermeture", "closed", "off", "férmé", "férmée")
)
_MOTS_LIENS = frozenset(("au", "aux", "à", "a", "jusqu'à", "jusqu'au", "-", "–", "—", "/"))
_MOTS_VIDES = frozenset(
    (
        "de",
        "du",
        "des",
        "le",
        "la",
        "les",
        "l'",
        "et",
        "h",
        "heures",
        "ouvert",
        "ouverte",
        "ouverts",
        "horaires",
        "horaire",
        "d'ouverture",
        "ouverture",
        "open",
        "journée",
        "toute",
        "permanence",
        "permanences",
        "puis",
        "accueil",
    )
)
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
