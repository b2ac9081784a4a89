"""Privacy: which contact details name a person (and so are not published by default).

A directory publishes how to reach a *place*: its switchboard, its generic address (contact@,
accueil@, mairie@, epn@, mediation.numerique@…). National files also carry the personal details of
the people who work there: `prenom.nom@…`, `p.nom@…`, `prenom-nom@…`, and their mobile numbers.
CONTRIBUTING forbids them on hand-written entries; imports and sources get the same rule:

- an e-mail is **nominative** when its local part (before the @) reads as a person's name: a first
  name (from a list, see below) or an initial, then a surname (`marie.dupont`, `m.dupont`,
  `jean-pierre.martin`, `mf.guichou`); a surname then a first name (`dupont.marie`); a first name
  alone (`julien@`); a first name glued to a surname (`alainhays@`). A local part holding a generic
  word (contact, accueil, mairie, epn, numerique, mediatheque, france, services…) is never
  nominative, whatever else it holds (`conseiller.numerique.damazan@` is the place's address);
- a phone number is **personal** when it is a mobile number (06 and 07 in metropolitan France,
  0690/0691 in Guadeloupe, 0692/0693 in La Réunion, 0694 in Guyane, 0696/0697 in Martinique, 0639
  in Mayotte…: phonenumbers' metadata for the number's own region, as formats.py reads it).

The first names are the ~11,000 names that Jörg Michael's dictionary (shipped by the PyPI package
`gender-guesser`, GNU FDL data) marks as used in France, Belgium, Switzerland, Luxembourg, Spain,
Portugal, Italy, Turkey, the Arab countries or elsewhere in the world, less a few that are also
common words (France, Marine, Aurore…). Misses remain (an initial glued to a surname, `gfleurot@`,
cannot be told from `cyberbases@`): the rule errs towards publishing what a place chose to publish.

Pure functions: no settings here. The importer (federation/importer.py) and the directory
(directory.py, for source snapshots) apply `retenir`; validation warns on local entries.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from importlib.resources import files

import phonenumbers


def _mots(texte: str) -> frozenset[str]:
    """The words of a text (the lists below read better as plain text)."""
    return frozenset(texte.split())


# Dictionary columns (one hexadecimal frequency per country, from column 30) worth reading here.
_COLONNES_PAYS = (3, 5, 6, 7, 8, 9, 14, 46, 47, 54)  # see gender_guesser.detector.Detector.COUNTRIES
_MOTS_COMMUNS = _mots(
    "france marine aurore rose fleur ange olive avenir esperance victoire liberte paix soleil "
    "etoile lumiere océane oceane alliance bonheur joie espoir horizon ambre azur perle iris "
    "violette capucine reine prince roi urban greta normandie "
    "bretagne provence savoie"
)
# Whole tokens that make an address generic (the place's, not a person's).
_MOTS_GENERIQUES = _mots(
    "contact contacts accueil mairie info infos information informations epn mediation numerique "
    "numeriques secretariat secretaire direction directeur directrice bibliotheque bibliotheques "
    "mediatheque mediatheques ccas cias franceservices france services service conseiller "
    "conseillers conseillere cnfs cyberbase cyberbases association asso centre centresocial social "
    "sociale admin administration bonjour hello courrier standard permanence relais atelier "
    "ateliers emploi jeunesse jeunes ville commune mission locale maison espace pole multimedia "
    "inclusion formation formations coordination communication reservation reservations msap mds "
    "mfs mjc pij bij caf cpam msa poste agence office tourisme culture lecture sport club famille "
    "familles solidarite insertion webmaster postmaster support aide equipe animation mediateur "
    "mediatrice referent benevoles projet departement region agglo metropole communaute quartier "
    "residence foyer logement sante seniors enfance accompagnement president presidence tresorier "
    "bureau siege ecole college lycee campus gestion evs cs mpt efs ml mef num greta competences "
    "collectif sur sous les lez saint sainte st ste eglise milo action insert"
)
# Word stems that make a one-token local part generic (`mairiedelafitte`, `franceservices`).
_RACINES_GENERIQUES = tuple(
    sorted(
        _mots(
            "contact accueil mairie infos numeri mediat secreta direct biblio servic conseil cyber asso "
            "centre "
            "social admin courrier standard perman relais atelier emploi jeune ville commune mission maison "
            "espace multimedia inclusion formation coordin communi reserv agence office tourism cultur "
            "lecture sport club famil solidar insertion webmaster support equipe animation referent projet "
            "departement region agglo metropole communaute quartier residence foyer logement sante senior "
            "enfance accompagn bureau ecole college lycee campus gestion digital fablab tiers"
        )
    )
)
_INITIALES_DOUBLES = _mots("jp jm jl jc jf jb jy jr mf mc ma mp mh mt ph pj ac am ap al ag ab")
_SEPARATEURS = re.compile(r"[._+\-]+")
_MOBILE_METROPOLE = re.compile(r"\+33(?:6\d{8}|7[3-9]\d{7})")  # 06, 07 (73-79); also
# 0639/069x wrongly written +33: overseas mobiles all the same, which phonenumbers calls invalid


@functools.cache
def prenoms() -> frozenset[str]:
    """The first names of the dictionary shipped by gender-guesser (lower case, no accents), read
    once per process."""
    texte = files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    noms = set()
    for ligne in texte.splitlines():
        if ligne[:1] in "#=" or len(ligne) < 31 or ligne[29] == "+":
            continue  # comments, equivalences, and the dictionary's second spelling of umlauts
        frequences = ligne[30:]
        if any(i < len(frequences) and frequences[i].strip() for i in _COLONNES_PAYS):
            noms.add(sans_accents(ligne[3:29].strip().lower()))
    return frozenset(n for n in noms if n.isalpha()) - _MOTS_COMMUNS


def sans_accents(texte: str) -> str:
    """The text without diacritics ("Hélène" -> "Helene")."""
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c))


def _jetons(local: str) -> list[str]:
    """The words of an e-mail's local part: lower case, no accents, no digits."""
    texte = re.sub(r"\d+", "", sans_accents(local.lower()))
    return [jeton for jeton in _SEPARATEURS.split(texte) if jeton]


def _est_initiale(jeton: str) -> bool:
    """One letter (`m.dupont`) or the initials of a compound first name (`jp.martin`)."""
    return len(jeton) == 1 or jeton in _INITIALES_DOUBLES


def _un_seul_mot(mot: str, connus: frozenset[str]) -> bool:
    """`julien`, or a first name glued to a surname (`alainhays`), and no generic stem inside."""
    if mot in _MOTS_COMMUNS or any(racine in mot for racine in _RACINES_GENERIQUES):
        return False
    if mot in connus:
        return len(mot) >= 3
    # Glued: a first name of five letters or more, then four or more (not `paulhaguet`, a commune).
    return any(mot[:n] in connus for n in range(5, len(mot) - 3))


def _plusieurs_mots(jetons: list[str], connus: frozenset[str]) -> bool:
    """`prenom.nom`, `p.nom` (a surname of three letters or more), `jean-pierre.martin`,
    `nom.prenom`."""
    premier, dernier = jetons[0], jetons[-1]
    if premier in connus:
        return True
    if _est_initiale(premier):
        return len(dernier) >= 3
    return dernier in connus and len(premier) >= 4 and len(jetons) == 2


def courriel_nominatif(adresse: str) -> bool:
    """True when an e-mail address reads as a person's (first name and surname, initial and
    surname…); generic addresses of a place (contact@, accueil@, epn@…) are not."""
    local = adresse.strip().rsplit("@", 1)[0]
    jetons = _jetons(local)
    if not jetons or any(j in _MOTS_GENERIQUES for j in jetons):
        return False
    connus = prenoms()
    if len(jetons) == 1:
        return _un_seul_mot(jetons[0], connus)
    return _plusieurs_mots(jetons, connus)


def mobile_personnel(telephone: str) -> bool:
    """True when a phone number in the standard's form (+33…, +262…) is a mobile: 06/07 in
    metropolitan France, the overseas mobile ranges in their own regions."""
    if telephone.startswith("+33"):  # metropolitan France, most numbers: phonenumbers' own pattern
        return bool(_MOBILE_METROPOLE.fullmatch(telephone))
    try:
        numero = phonenumbers.parse(telephone, "FR")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(numero) == phonenumbers.PhoneNumberType.MOBILE


@dataclasses.dataclass(frozen=True)
class Retenue:
    """What was withheld from one record: the fields and how many values (never the values)."""

    courriels: int = 0
    telephone: int = 0

    @property
    def champs(self) -> tuple[str, ...]:
        """The fields that lost a value."""
        return tuple(c for c in ("courriels", "telephone") if getattr(self, c))


def retenir(lieu):
    """(the place without nominative e-mails and personal mobiles, what was withheld). The place
    is a new record (dataclasses.replace); the withheld values are in neither."""
    courriels = [c for c in lieu.courriels if not courriel_nominatif(c)]
    mobile = bool(lieu.telephone) and mobile_personnel(lieu.telephone)
    retenue = Retenue(len(lieu.courriels) - len(courriels), int(mobile))
    if not retenue.champs:
        return lieu, retenue
    return dataclasses.replace(lieu, courriels=courriels, telephone="" if mobile else lieu.telephone), retenue
