"""French case for texts written in capitals ("LA POSTE SAINT ETIENNE" -> "La Poste Saint-Étienne").

Producers often export names, addresses and communes in capitals. Only a text with no lower-case
letter is rewritten (a text someone typed in mixed case is theirs). Acronyms stay in capitals (a
table, plus words without a vowel: "CPTS"), particles go lower case except at the start, "Saint X"
takes its hyphen, and a few frequent words get their accents back. Names of communes found in the
text take the referential's official spelling (accents, hyphens), when the caller passes the
referential.
"""

from __future__ import annotations

import dataclasses
import re

from annuaire.domain.communes import Referentiel, Resolution, appliquer_commune, cle_nom, resoudre

_ACRONYMES = """ADIL ADMR AFPA ALSH ANCT APF ASE BIJ CAF CARSAT CCAS CCI CDAD CFA CFAS CHRS CIAS
CIDFF CIO CLIC
CMA CMP CMS CNAM CNFS CPAM CRIJ CSAPA CSC EHPAD EPCI EPN ESAT ESS FJT GEM GRETA IME IUT LAEP
MDPH MDS MFS MJC MJD MSA MSAP PAEJ PIJ PIMMS PMI QPV RAM RPE RSA SAVS SNCF UDAF UFR UNA URSSAF
ZAC ZI II III IV VI VII VIII IX XI XII XIII XIV XV XVI XVII XVIII XIX XX"""
ACRONYMES = frozenset(_ACRONYMES.split())
_PARTICULES = """à au aux d de des du en et l la le les lès lez sous sur un une"""
PARTICULES = frozenset(_PARTICULES.split())
# Street types, lower case inside an address ("12 rue de la Paix").
_VOIES = """allée allées avenue boulevard chemin cité cours impasse passage place quai route rue square"""
VOIES = frozenset(_VOIES.split())
# Frequent words whose accents capitals lose (key without accents -> French spelling).
ACCENTS = {
    "allee": "allée",
    "allees": "allées",
    "bibliotheque": "bibliothèque",
    "cite": "cité",
    "college": "collège",
    "communaute": "communauté",
    "ecole": "école",
    "eglise": "église",
    "emploi": "emploi",
    "epicerie": "épicerie",
    "espace": "espace",
    "etage": "étage",
    "etienne": "étienne",
    "general": "général",
    "hotel": "hôtel",
    "lycee": "lycée",
    "marechal": "maréchal",
    "mediatheque": "médiathèque",
    "mediation": "médiation",
    "numerique": "numérique",
    "prefecture": "préfecture",
    "quartier": "quartier",
    "republique": "république",
    "solidarite": "solidarité",
    "sous-prefecture": "sous-préfecture",
    "theatre": "théâtre",
}
EXPRESSIONS = {"france services": "France Services", "pole emploi": "Pôle emploi"}
_MOT = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+|[^\w]+|_", re.UNICODE)
_SAINT = re.compile(r"\b(Saint|Sainte|Saints|Saintes) (?=[A-ZÀ-Ý])")
_ORDINAL = re.compile(r"\b(\d+)\s?(?:ème|eme|ième|ieme|e)\b", re.IGNORECASE)
LONGUEUR_MAX = 300  # names and addresses; a longer text (hostile or not a name) is left as it is
_ARTICLES = frozenset(("l", "la", "le", "les"))
FENETRE = 6  # longest commune name looked for, in words ("Saint-Rémy-en-Bouzemont-Saint-Genest-et-Isson")


def en_capitales(texte: str) -> bool:
    """True for a text with letters, all of them capitals (at least two)."""
    lettres = [c for c in texte if c.isalpha()]
    return len(lettres) >= 2 and not any(c.islower() for c in lettres)


def _mot(mot: str, premier: bool, adresse: bool) -> str:
    """One word of a capitals text in French case."""
    if mot.upper() in ACRONYMES or (len(mot) > 1 and not re.search(r"[AEIOUYÀ-ÖØ-Ý]", mot.upper())):
        return mot.upper()
    bas = mot.lower()
    if "'" in bas or "’" in bas:  # d'annonay, l'ecole
        apostrophe = "'" if "'" in bas else "’"
        avant, apres = bas.split(apostrophe, 1)
        avant = avant.capitalize() if premier else avant
        return avant + apostrophe + _mot(apres, True, adresse)
    bas = ACCENTS.get(bas, bas)
    if not premier and (bas in PARTICULES or (adresse and bas in VOIES)):
        return bas
    return bas[:1].upper() + bas[1:]


def _officiels(texte: str, ref: Referentiel) -> str:
    """Hyphenated commune names inside the text (written with spaces or hyphens), in their
    official spelling: "Saint Genest Lerpt" -> "Saint-Genest-Lerpt". Only words that start some
    commune's name (or an article) start a look-up: a name is a handful of look-ups, not dozens."""
    mots = texte.split(" ")
    sortie, i = [], 0
    noms_officiels = ref.noms_officiels
    while i < len(mots):
        premier = cle_nom(mots[i].split("-")[0])
        plus_long = (
            min(FENETRE, len(mots) - i) if premier in ref.par_premier_mot or premier in _ARTICLES else 0
        )
        for n in range(plus_long, 0, -1):
            morceau = " ".join(mots[i : i + n])
            if n == 1 and "-" not in morceau:
                continue  # a single plain word is a word, not a commune ("Bourg", "École")
            officiel = noms_officiels.get(cle_nom(morceau))
            if officiel and "-" in officiel:
                sortie.append(officiel)
                i += n
                break
        else:
            sortie.append(mots[i])
            i += 1
    return " ".join(sortie)


def casse_francaise(texte: str, ref: Referentiel | None = None, adresse: bool = False) -> str:
    """`texte` in French case when it is written in capitals; unchanged otherwise."""
    if len(texte) > LONGUEUR_MAX or not en_capitales(texte):
        return texte
    texte = " ".join(texte.split())
    morceaux, premier = [], True
    for morceau in _MOT.findall(texte):
        if morceau[0].isalpha():
            morceaux.append(_mot(morceau, premier, adresse))
            premier = False
        else:
            morceaux.append(morceau)
            premier = premier and not (adresse and morceau.isdigit())  # "12 rue…", not "12 Rue…"
            # a new part starts after "(", "/" or a spaced dash; not inside "Aix-en-Provence"
            premier = (
                premier or morceau.strip() in ("(", "/", "–") or (morceau.strip() == "-" and morceau != "-")
            )
    resultat = _ORDINAL.sub(r"\1e", _SAINT.sub(r"\1-", "".join(morceaux)))
    for cle, forme in EXPRESSIONS.items():
        resultat = re.sub(rf"\b{cle}\b", forme, resultat, flags=re.IGNORECASE)
    return _officiels(resultat, ref) if ref else resultat


# The fields written in capitals by some producers, and whether they are addresses.
CHAMPS_CASSE = (("nom", False), ("adresse", True), ("complement_adresse", True), ("commune", False))


def remettre_en_forme(lieu, ref: Referentiel) -> tuple[object, list[tuple[str, str]], Resolution]:
    """A place's names in French case and its commune from the referential: (new record, [(field,
    original value)] for the values changed, the commune's resolution). Never mutates `lieu`."""
    changes = {}
    for champ, adresse in CHAMPS_CASSE:
        valeur = getattr(lieu, champ)
        forme = casse_francaise(valeur, ref, adresse=adresse)
        if forme != valeur:
            changes[champ] = forme
    resolution = resoudre(ref, changes.get("commune", lieu.commune), lieu.code_postal, lieu.code_insee)
    nouveau = appliquer_commune(dataclasses.replace(lieu, **changes) if changes else lieu, resolution)
    originaux = [
        (c, getattr(lieu, c))
        for c in ("nom", "adresse", "complement_adresse", "commune", "code_insee")
        if getattr(nouveau, c) != getattr(lieu, c)
    ]
    return nouveau, originaux, resolution
