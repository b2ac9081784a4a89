"""Communes from the official referential (INSEE's Code officiel géographique), pure functions.

The referential itself is read by loading/referentiel.py from the npm package
`@etalab/decoupage-administratif` (the national tools' copy of the COG, with La Poste's postcodes);
this module only resolves a record's (name, postcode, INSEE code) against it.

Paris, Lyon and Marseille are handled as the national library of the standard does
(@gouvfr-anct/lieux-de-mediation-numerique): a place belongs to the commune (75056, 69123, 13055)
and its arrondissement is only a detail read from the postcode. "Lyon 3", "Lyon 3eme" and
"Lyon 3e Arrondissement" are therefore the commune "Lyon", one page.

The referential ships no coordinates (no centroid, no outline): places far from their commune are
found against the other places resolved to the same INSEE code (validation/regles.py).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

# Arrondissement written in a commune name: "Lyon 3", "Lyon 3eme", "Paris 15e arrondissement".
_ARRONDISSEMENT = re.compile(r"\s+\d{1,2}\s*(?:e|er|eme|ème|ieme|ième)?(?:\s+arr(?:ondissement)?\.?)?$")
_CEDEX = re.compile(r"\b(?:cedex|cédex)\b.*$", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:le|la|les|l) ")
NOM_MAX = 150  # the longest commune name has 45 characters
PROCHE = 0.85  # similarity of two name keys taken for a typing slip (difflib's ratio)
_CHIFFRE = re.compile(r"\d")
_SEPARATEURS = str.maketrans({chr(i): " " for i in range(128) if not chr(i).isalnum()})
_ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


@dataclass(frozen=True)
class Commune:
    """One commune of the referential (a current commune; arrondissements point to theirs)."""

    code: str
    nom: str
    departement: str
    codes_postaux: tuple[str, ...] = ()
    commune: str = ""  # for a municipal arrondissement or a former commune: the current commune's code
    population: int = 0


class Referentiel:
    """The referential's tables, read once per command: communes by INSEE code (current ones,
    arrondissements and former codes), current communes by postcode and by name key, départements.

    A plain class, not a dataclass: the build's digests pickle it whole (cheap) instead of walking
    its 40,000 rows; `version` names the package's version it was read from."""

    __slots__ = (
        "version",
        "communes",
        "par_code_postal",
        "par_nom",
        "departements",
        "noms_officiels",
        "par_premier_mot",
        "cles",
    )

    def __init__(
        self,
        version: str = "",
        communes: Mapping[str, Commune] | None = None,
        departements: Mapping[str, str] | None = None,
    ):
        self.version = version
        self.communes = dict(communes or {})
        self.departements = dict(departements or {})
        postaux, noms, premiers = defaultdict(list), defaultdict(list), defaultdict(list)
        self.cles: dict[str, str] = {}  # INSEE code -> name key, worked out once
        self.noms_officiels: dict[str, str] = {}  # name key -> official spelling (for casse.py)
        for commune in self.communes.values():
            cle = self.cles[commune.code] = cle_nom(commune.nom)
            premiers[_ARTICLE.sub("", cle).split(" ")[0]].append(commune.code)
            if commune.commune:  # an arrondissement or a former commune: found by its name only
                continue
            for code_postal in commune.codes_postaux:
                postaux[code_postal].append(commune.code)
            noms[cle].append(commune.code)
            self.noms_officiels.setdefault(cle, commune.nom)
        self.par_code_postal = {cle: tuple(codes) for cle, codes in postaux.items()}
        self.par_nom = {cle: tuple(codes) for cle, codes in noms.items()}
        self.par_premier_mot = {cle: tuple(codes) for cle, codes in premiers.items()}  # first word -> codes

    def __bool__(self) -> bool:
        return bool(self.communes)

    def __getstate__(self):
        return {nom: getattr(self, nom) for nom in self.__slots__}

    def __setstate__(self, etat) -> None:
        for nom, valeur in etat.items():
            object.__setattr__(self, nom, valeur)

    def actuelle(self, code: str) -> Commune | None:
        """The current commune of an INSEE code (an arrondissement's or a former commune's own)."""
        commune = self.communes.get(code)
        while commune is not None and commune.commune:
            commune = self.communes.get(commune.commune)
        return commune

    def nom_departement(self, code: str) -> str:
        """ "Loire" for "42"; the code itself when unknown."""
        return self.departements.get(code, code)


@dataclass(frozen=True)
class Resolution:
    """What the referential says of a record's commune: the commune (or None), how it was found,
    and a French sentence when the postcode and the INSEE code disagree (with the likely fix)."""

    commune: Commune | None
    par: str = ""  # "code_insee", "code_postal", "nom" or ""
    incoherence: str = ""
    champ: str = ""  # the field the fix is about


def sans_accents(texte: str) -> str:
    """Lower case, accents removed."""
    decompose = unicodedata.normalize("NFKD", texte.casefold())
    return "".join(c for c in decompose if not unicodedata.combining(c))


def cle_nom(nom: str) -> str:
    """The comparison key of a commune name: "ST-ETIENNE CEDEX 2" and "Saint-Étienne" give
    "saint etienne"; "Lyon 3eme" gives "lyon"; a postcode written in the name is dropped.
    (Called for every commune when the referential is read: regular expressions only when needed.)"""
    texte = nom.casefold().replace("œ", "oe").replace("æ", "ae")
    texte = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")
    if "cedex" in texte:
        texte = _CEDEX.sub("", texte)
    chiffres = _CHIFFRE.search(texte) is not None
    if chiffres:  # "0NET" typed for "ONET"; "49350 GENNES"
        texte = re.sub(r"\b0(?=[a-z])", "o", re.sub(r"\b\d{5}\b", " ", texte))
    texte = " ".join(texte.translate(_SEPARATEURS).split())
    if chiffres:
        texte = _ARRONDISSEMENT.sub("", texte)
    return " ".join(_ABREVIATIONS.get(mot, mot) for mot in texte.split())


def _nom_correspond(ref: Referentiel, nom: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """Among `codes`, the communes the record's name designates: the same name key, else one
    whose official name starts with it ("Sarlat" for Sarlat-la-Canéda), else one close to it
    (a typing slip: "Rambervilelrs")."""
    cle = cle_nom(nom)
    if not cle:
        return ()
    cles = {code: ref.cles.get(code) or cle_nom(ref.communes[code].nom) for code in codes}
    sans_article = _ARTICLE.sub("", cle)
    for garder in (
        lambda c: c == cle,
        lambda c: _ARTICLE.sub("", c) == sans_article,  # "Precheur" for Le Prêcheur
        lambda c: c.startswith(cle + " "),
    ):
        trouves = tuple(code for code, c in cles.items() if garder(c))
        if trouves:
            return trouves
    proches = difflib.get_close_matches(cle, list(cles.values()), n=2, cutoff=PROCHE)
    return tuple(code for code, c in cles.items() if c in proches[:1]) if len(proches) == 1 else ()


def _incoherence(ref: Referentiel, commune: Commune, nom: str, code_postal: str) -> Resolution:
    """A postcode that is not one of the commune's: the likely fix, as the national data has it."""
    candidates = ref.par_code_postal.get(code_postal, ())
    homonymes = _nom_correspond(ref, nom, candidates)
    if homonymes:
        autre = ref.communes[homonymes[0]]
        message = (
            f"le code INSEE {commune.code} est celui de {commune.nom}, pas de {autre.nom} ({code_postal}) : "
            f"code INSEE probablement « {autre.code} »"
        )
        # The name and the postcode agree against the code: the code is the likely mistake.
        return Resolution(autre, "code_postal", message, "code_insee")
    propose = " ou ".join(commune.codes_postaux[:3]) or "?"
    message = (
        f"le code postal {code_postal} n'est pas celui de {commune.nom} (code INSEE {commune.code}) : "
        f"code postal probablement « {propose} »"
    )
    return Resolution(commune, "code_insee", message, "code_postal")


def _du_departement(ref: Referentiel, nom: str, code_postal: str) -> tuple[str, ...]:
    """Communes of the postcode's département that may bear the record's name (a CEDEX postcode,
    or a wrong one): the département's communes whose name key shares its first word."""
    premier = _ARTICLE.sub("", cle_nom(nom)).split(" ")[:1]
    homonymes = ref.par_premier_mot.get(premier[0], ()) if premier else ()
    prefixe = code_postal[:3] if code_postal.startswith("97") else code_postal[:2]
    departements = ("2A", "2B") if prefixe == "20" else (prefixe,)  # Corsica: postcodes 20xxx
    return tuple(code for code in homonymes if not prefixe or ref.communes[code].departement in departements)


def resoudre(ref: Referentiel, nom: str, code_postal: str, code_insee: str) -> Resolution:
    """The commune of a record from its INSEE code, else its postcode (when one commune has it,
    or one of its communes has the record's name), else its name alone (when unique in France)."""
    nom = nom[:NOM_MAX]  # entries are hostile: fuzzy matching a megabyte "name" would take minutes
    commune = ref.actuelle(code_insee.strip().upper()[:10]) if code_insee else None
    code_postal = code_postal.strip()
    if commune is not None:
        postaux = set(commune.codes_postaux)
        if code_postal and re.fullmatch(r"\d{5}", code_postal) and postaux and code_postal not in postaux:
            return _incoherence(ref, commune, nom, code_postal)
        return Resolution(commune, "code_insee")
    candidates = ref.par_code_postal.get(code_postal, ())
    if len(candidates) == 1 or (candidates and not cle_nom(nom)):
        # one commune has this postcode; or the name is only a postcode: its main commune
        return Resolution(ref.communes[candidates[0]], "code_postal")
    parmi = _nom_correspond(ref, nom, candidates)
    if len(parmi) == 1:
        return Resolution(ref.communes[parmi[0]], "code_postal")
    parmi = _nom_correspond(ref, nom, _du_departement(ref, nom, code_postal))
    actuelles = {ref.actuelle(code) for code in parmi} - {None}  # a former commune: today's
    if len(actuelles) != 1:
        return Resolution(None)
    commune = actuelles.pop()
    if candidates:  # a real postcode, another commune's: the name wins, the postcode is flagged
        propose = " ou ".join(commune.codes_postaux[:3])
        message = (
            f"le code postal {code_postal} n'est pas celui de {commune.nom} : "
            f"code postal probablement « {propose} »"
        )
        return Resolution(commune, "nom", message, "code_postal")
    return Resolution(commune, "nom")


def appliquer_commune(lieu, resolution: Resolution):
    """The record with the official commune name and, when it had none, the commune's INSEE code
    (a new record: dataclasses.replace; the same one when nothing changes)."""
    commune = resolution.commune
    if commune is None:
        return lieu
    changes = {}
    if lieu.commune != commune.nom:
        changes["commune"] = commune.nom
    if (not lieu.code_insee or resolution.par != "code_insee") and lieu.code_insee != commune.code:
        changes["code_insee"] = commune.code
    return dataclasses.replace(lieu, **changes) if changes else lieu


def departement(code_insee: str) -> str:
    """The département of an INSEE code: "42" for 42218, "2A" for 2A004, "974" for 97411."""
    code = code_insee.strip().upper()
    return code[:3] if code.startswith("97") else code[:2]
