"""Validation: records in, problems out (file, line, field, French message, severity).

Each rule is a small function `regle_x(lieu, contexte) -> Iterable[Probleme]`; `REGLES` lists them
in the order their problems are printed. Directory-wide rules (duplicates, unknown networks) come last.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annuaire.domain import anomalies, confidentialite
from annuaire.domain import horaires as horaires_osm
from annuaire.domain.calcul import Appliquer, appliquer_simple
from annuaire.domain.casse import CHAMPS_CASSE, casse_francaise, en_capitales
from annuaire.domain.champs import (
    CHAMPS_CONNUS,
    CHAMPS_COURRIEL,
    CHAMPS_RECOMMANDES,
    CHAMPS_REQUIS,
    CHAMPS_TEXTE_LIBRE,
    CHAMPS_URL,
    MOTIFS,
    REGISTRE,
    Champ,
)
from annuaire.domain.communes import Referentiel, resoudre
from annuaire.domain.formats import (
    COURRIEL_INVALIDE,
    caractere_invisible,
    contient_balise,
    courriel_valide,
    ressemble_formule,
    telephone_normalise,
    url_erreur,
)
from annuaire.domain.model import AVERTISSEMENT, ERREUR, Lieu, Probleme, Reseau
from annuaire.domain.texte import citer, date_fr
from annuaire.domain.vocabulaire import PIVOT_REFERENCE

# Rough boxes (lat_min, lat_max, lon_min, lon_max) of metropolitan France and the overseas
# territories the standard's phone pattern covers. Enough to catch swapped or zero coordinates.
ZONES_FRANCE: dict[str, tuple[float, float, float, float]] = {
    "métropole et Corse": (41.2, 51.2, -5.3, 9.7),
    "Guadeloupe": (15.8, 16.6, -61.9, -60.9),
    "Martinique": (14.3, 14.9, -61.3, -60.7),
    "Guyane": (2.0, 6.0, -54.7, -51.5),
    "La Réunion": (-21.5, -20.8, 55.1, 55.9),
    "Mayotte": (-13.1, -12.5, 44.9, 45.4),
    "Saint-Martin": (18.0, 18.15, -63.2, -62.95),
    "Saint-Barthélemy": (17.85, 17.98, -62.96, -62.78),
    "Saint-Pierre-et-Miquelon": (46.7, 47.2, -56.5, -56.1),
    "Nouvelle-Calédonie": (-22.8, -19.5, 163.5, 168.2),
    "Polynésie française": (-28.0, -7.8, -155.0, -134.0),
    "Wallis-et-Futuna": (-14.4, -13.1, -178.3, -176.1),
}
# Plain-text fields (CHAMPS_TEXTE_LIBRE, from the registry). presentation_detail is rendered as
# Markdown (and sanitised) but exported as is in the national files, so it refuses HTML too; raw HTML
# belongs in the body of a .md entry.
DISTANCE_COMMUNE_KM = 25.0  # further than this from the commune's other places is suspicious
MOIS_AVANT_PERIME = 12


@dataclass
class Contexte:
    """What rules need besides the record: today's date and the directory's networks."""

    aujourd_hui: dt.date = field(default_factory=dt.date.today)
    reseaux: frozenset[str] = frozenset()
    referentiel: Referentiel = field(default_factory=Referentiel)  # empty: communes not checked


# Messages of the rules a proposal form can break, kept once: the /proposer/ form's script shows
# the same words (validation/formulaire.py writes them into the page).
HORS_FORMAT = "« {} » ne suit pas le format attendu ({})"
TROP_LONG = "{} caractères, {} au plus"
FORMULE = "commence comme une formule de tableur (=, @, +, -) : reformulez"
BALISE = "texte simple attendu : pas de balise HTML ni de lien javascript:"
INVISIBLE = "caractère invisible {} : retirez-le (retapez le texte)"
URL_FAUSSE = "« {} » : {}"
PROPOSITION = " ; proposition : « {} »"


def _p(lieu: Lieu, champ: str, message: str, gravite: str = ERREUR) -> Probleme:
    return Probleme(lieu.chemin, lieu.ligne(champ), champ, message, gravite)


def _sans_accents(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte.casefold())
    return "".join(c for c in decompose if not unicodedata.combining(c))


def suggestion(valeur: str, possibles: Iterable[str]) -> str:
    """The closest allowed value, compared without case or accents; "" when none is close."""
    possibles = list(possibles)
    index = {_sans_accents(p): p for p in possibles}
    proches = difflib.get_close_matches(_sans_accents(valeur), list(index), n=1, cutoff=0.6)
    return index[proches[0]] if proches else ""


def regle_requis(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """The standard's required fields are present; an unknown address may wait if flagged."""
    for champ in CHAMPS_REQUIS:
        if getattr(lieu, champ) not in (None, ""):
            continue
        if champ == "adresse" and "adresse" in lieu.a_verifier:
            yield _p(
                lieu, champ, "adresse inconnue : le lieu ne sera pas dans l'export national", AVERTISSEMENT
            )
        else:
            yield _p(lieu, champ, "champ obligatoire manquant")


def regle_recommandes(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """Recommended fields missing are warnings."""
    manquants = [c for c in CHAMPS_RECOMMANDES if getattr(lieu, c) in (None, "", [])]
    if manquants:
        yield _p(lieu, "", f"champs recommandés absents : {', '.join(manquants)}", AVERTISSEMENT)


def _hors_liste(lieu: Lieu, champ: Champ, valeur: str) -> Probleme:
    """The problem of a value outside a field's list: the row's message, with a suggestion."""
    proche = suggestion(valeur, champ.acceptees) if champ.suggerer else ""
    indice = f" ; vouliez-vous dire « {proche} » ?" if proche else ""
    message = champ.inconnu.format(valeur=valeur, indice=indice, possibles=", ".join(champ.valeurs))
    return _p(lieu, champ.nom, message, champ.inconnu_gravite)


# (row, name, multiple, accepted values) of every field with a list, worked out once for the hot loop.
_AVEC_LISTE: tuple[tuple[Champ, str, bool, frozenset[str]], ...] = tuple(
    (c, c.nom, c.multiple, frozenset(c.acceptees)) for c in REGISTRE if c.valeurs
)
_AVEC_MOTIF: tuple[Champ, ...] = tuple(c for c in REGISTRE if c.motif and c.format_attendu)
_AVEC_LONGUEUR: tuple[Champ, ...] = tuple(c for c in REGISTRE if c.longueur_max)


def regle_enumerations(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """Values of a field with a list are in it: the standard's exact strings (an error), data.inclusion's
    typologies (a warning: the schema has no pattern), our extensions' documented values."""
    for champ, nom, multiple, possibles in _AVEC_LISTE:
        valeurs = getattr(lieu, nom)
        for valeur in valeurs if multiple else ((valeurs,) if valeurs else ()):
            if valeur not in possibles:
                yield _hors_liste(lieu, champ, valeur)


def regle_motifs(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """Fields with a pattern of the standard (pivot, code_postal, code_insee) follow it."""
    for champ in _AVEC_MOTIF:
        valeur = getattr(lieu, champ.nom)
        if valeur and not champ.motif.match(valeur):
            yield _p(lieu, champ.nom, HORS_FORMAT.format(valeur, champ.format_attendu))


def verifier_pivot_absent(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """A missing SIRET or RNA is a warning: the export writes the standard's placeholder."""
    if not lieu.pivot:
        yield _p(lieu, "pivot", "SIRET ou RNA absent : l'export écrira 00000000000000", AVERTISSEMENT)
    elif raison := anomalies.pivot_factice(lieu.pivot):
        message = f"« {citer(lieu.pivot)} » : {raison} ; vérifiez le numéro ou retirez-le"
        yield _p(lieu, "pivot", message, AVERTISSEMENT)
    yield from pivot_hors_reference(lieu)  # RIDET and SIREN are no longer read nationally


def pivot_hors_reference(lieu: Lieu) -> Iterable[Probleme]:
    """A pivot the schema allows but the national map no longer reads (RIDET, SIREN): a warning."""
    valeur = re.sub(r"\s", "", lieu.pivot or "")
    if valeur and MOTIFS["pivot"].match(valeur) and not PIVOT_REFERENCE.match(valeur):
        message = (
            f"« {citer(lieu.pivot)} » n'est ni un SIRET (14 chiffres) ni un RNA (W suivi de 9 caractères) : "
            "la cartographie nationale ne lit plus les RIDET ni les SIREN ; l'export écrira 00000000000000"
        )
        yield _p(lieu, "pivot", message, AVERTISSEMENT)


def regle_telephone(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """A phone number is complete and French; say how it will be written."""
    if not lieu.telephone:
        return
    forme, raison = telephone_normalise(lieu.telephone, lieu.code_postal)
    if forme is None:
        yield _p(lieu, "telephone", raison)
    elif forme != lieu.telephone:
        yield _p(
            lieu, "telephone", f"« {lieu.telephone} » sera écrit « {forme} » dans l'export", AVERTISSEMENT
        )


def regle_contacts(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """E-mails are plain addresses; URLs are http(s) only."""
    for champ in CHAMPS_COURRIEL:
        for courriel in getattr(lieu, champ):
            if not courriel_valide(courriel):
                yield _p(lieu, champ, COURRIEL_INVALIDE.format(courriel))
    for champ in CHAMPS_URL:
        valeurs = getattr(lieu, champ)
        for url in valeurs if isinstance(valeurs, list) else [valeurs]:
            if url and (erreur := url_erreur(url)):
                yield _p(lieu, champ, URL_FAUSSE.format(citer(url), erreur))


def regle_date(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """date_maj is not in the future nor an epoch placeholder, and warns (once, with the date)
    when older than twelve months."""
    if lieu.date_maj is None:
        return
    # One day ahead is not the future: the contributor's day (Paris, Nouméa) may already be
    # tomorrow on the build machine's clock (UTC), as for a form filled in just after midnight.
    if lieu.date_maj > contexte.aujourd_hui + dt.timedelta(days=1):
        yield _p(lieu, "date_maj", f"{lieu.date_maj.isoformat()} est dans le futur")
        return
    if anomalies.date_factice(lieu.date_maj):
        message = (
            f"{lieu.date_maj.isoformat()} n'est pas une vraie date : écrivez celle de la dernière visite"
        )
        yield _p(lieu, "date_maj", message, AVERTISSEMENT)
        return
    mois = (contexte.aujourd_hui - lieu.date_maj).days // 30
    if mois > MOIS_AVANT_PERIME:
        message = f"informations du {date_fr(lieu.date_maj)} (il y a {mois} mois) : à vérifier"
        yield _p(lieu, "date_maj", message, AVERTISSEMENT)


def regle_vie_privee(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """A nominative e-mail or a mobile number is a person's: a warning naming the field, never the
    value (warnings are shown on /rapport/). Local entries only: imports and sources withhold them
    by default (confidentialite.py), or publish them because the settings say so."""
    if not lieu.est_local:
        return
    for rang, courriel in enumerate(lieu.courriels, start=1):
        if confidentialite.courriel_nominatif(courriel):
            message = (
                f"l'adresse n° {rang} semble celle d'une personne (prénom.nom) : publiez-la seulement avec "
                "son accord, sinon l'adresse générique du lieu (contact@, accueil@…)"
            )
            yield _p(lieu, "courriels", message, AVERTISSEMENT)
    if lieu.telephone and confidentialite.mobile_personnel(lieu.telephone):
        message = (
            "numéro de mobile : s'il est celui d'une personne, publiez-le seulement avec son accord, "
            "sinon le numéro du lieu"
        )
        yield _p(lieu, "telephone", message, AVERTISSEMENT)


def zone_france(latitude: float, longitude: float) -> str:
    """The name of the French zone containing the point, or "" when outside all of them."""
    for nom, (lat_min, lat_max, lon_min, lon_max) in ZONES_FRANCE.items():
        if lat_min <= latitude <= lat_max and lon_min <= longitude <= lon_max:
            return nom
    return ""


def regle_coordonnees(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """Latitude and longitude come together, in France, and say how precise they are."""
    if (lieu.latitude is None) != (lieu.longitude is None):
        champ = "longitude" if lieu.longitude is None else "latitude"
        yield _p(lieu, champ, "latitude et longitude vont ensemble : il manque celle-ci")
        return
    if not lieu.a_coordonnees:
        return
    if not zone_france(lieu.latitude, lieu.longitude):
        message = f"({lieu.latitude}, {lieu.longitude}) n'est pas en France ; latitude et "
        yield _p(lieu, "latitude", message + "longitude inversées ?")
    if not lieu.precision_coordonnees:
        yield _p(lieu, "precision_coordonnees", "précisez : adresse, rue ou commune", AVERTISSEMENT)


def regle_textes(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """Length of fields with a maximum (the summary), and free text a spreadsheet would run as a
    formula."""
    for champ in _AVEC_LONGUEUR:
        longueur = len(getattr(lieu, champ.nom))
        if longueur > champ.longueur_max:
            yield _p(lieu, champ.nom, TROP_LONG.format(longueur, champ.longueur_max))
    for champ in CHAMPS_TEXTE_LIBRE:
        valeurs = getattr(lieu, champ)
        for valeur in valeurs if isinstance(valeurs, list) else [valeurs]:
            if ressemble_formule(valeur):
                yield _p(lieu, champ, FORMULE)
            if contient_balise(valeur):
                yield _p(lieu, champ, BALISE)


def regle_casse(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """Names, addresses and communes are not written in capitals (the French case is proposed)."""
    for champ, adresse in CHAMPS_CASSE:
        valeur = getattr(lieu, champ)
        if en_capitales(valeur):
            forme = casse_francaise(valeur, contexte.referentiel, adresse=adresse)
            yield _p(lieu, champ, f"écrit en capitales : écrivez « {citer(forme)} »", AVERTISSEMENT)


def regle_commune(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """The commune is the referential's (official name; postcode and INSEE code that agree)."""
    if not contexte.referentiel or not lieu.commune:
        return
    resolution = resoudre(contexte.referentiel, lieu.commune, lieu.code_postal, lieu.code_insee)
    if resolution.incoherence:
        yield _p(lieu, resolution.champ, resolution.incoherence, AVERTISSEMENT)
    elif resolution.commune is None:
        message = (
            f"« {citer(lieu.commune)} » ({lieu.code_postal}) introuvable dans le référentiel des communes"
        )
        yield _p(lieu, "commune", message + " : vérifiez le nom et le code postal", AVERTISSEMENT)
    elif resolution.commune.nom != lieu.commune and not en_capitales(lieu.commune):
        yield _p(lieu, "commune", f"nom officiel de la commune : « {resolution.commune.nom} »", AVERTISSEMENT)


def regle_identifiant(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """An id is the first cell of a CSV row: it must not start like a spreadsheet formula."""
    if lieu.id[:1] in "=+-@\t\r":
        yield _p(lieu, "id", "l'identifiant commence comme une formule de tableur (=, +, -, @) : changez-le")


def regle_caracteres(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """No control or text-direction character in free text (they hide or reorder what people read)."""
    for champ in CHAMPS_TEXTE_LIBRE:
        valeurs = getattr(lieu, champ)
        for valeur in valeurs if isinstance(valeurs, list) else [valeurs]:
            code = caractere_invisible(valeur)
            if code:
                yield _p(lieu, champ, INVISIBLE.format(code))


def regle_horaires(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """Opening hours follow the OpenStreetMap syntax; common mistakes get a suggestion."""
    if not lieu.horaires:
        return
    verdict = horaires_osm.verifier(lieu.horaires)
    if verdict.valide:
        for plage in anomalies.plages_douteuses(lieu.horaires):
            message = f"plage « {plage} » inversée (la fin avant le début) : vérifiez l'heure de fermeture"
            yield _p(lieu, "horaires", message, AVERTISSEMENT)
        return
    indice = PROPOSITION.format(verdict.suggestion) if verdict.suggestion else ""
    yield _p(lieu, "horaires", f"{verdict.message}{indice}")


def verifier_noms_de_champs(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """`a_verifier` names fields of the registry."""
    for champ in lieu.a_verifier:
        if champ not in CHAMPS_CONNUS:
            yield _p(lieu, "a_verifier", f"« {champ} » n'est pas un champ")


def verifier_reseaux_connus(lieu: Lieu, contexte: Contexte) -> Iterable[Probleme]:
    """`reseaux` names networks of the directory (content/reseaux/)."""
    for slug in lieu.reseaux:
        if slug not in contexte.reseaux:
            proche = suggestion(slug, contexte.reseaux)
            indice = f" ; vouliez-vous dire « {proche} » ?" if proche else ""
            yield _p(lieu, "reseaux", f"réseau « {slug} » inconnu{indice}")


# The specialised checks a registry row may name in `verifications` (champs.py).
VERIFICATIONS: dict[str, Callable[[Lieu, Contexte], Iterable[Probleme]]] = {
    "pivot_absent": verifier_pivot_absent,
    "telephone": regle_telephone,
    "date": regle_date,
    "coordonnees": regle_coordonnees,
    "horaires": regle_horaires,
    "noms_de_champs": verifier_noms_de_champs,
    "reseaux_connus": verifier_reseaux_connus,
}
# Generic checks first, each over every field of its kind, then the registry's specialised checks
# in its order (a row naming an unknown check fails here, at import), the recommended fields last.
REGLES: tuple[Callable[[Lieu, Contexte], Iterable[Probleme]], ...] = (
    regle_requis,
    regle_motifs,
    regle_enumerations,
    regle_contacts,
    regle_vie_privee,
    regle_textes,
    regle_casse,
    regle_commune,
    regle_identifiant,
    regle_caracteres,
    *(VERIFICATIONS[nom] for champ in REGISTRE for nom in champ.verifications),
    regle_recommandes,
)


def valider_lieu(lieu: Lieu, contexte: Contexte) -> list[Probleme]:
    """Every problem of one record."""
    return [probleme for regle in REGLES for probleme in regle(lieu, contexte)]


def _doublons(lieux: list[Lieu], cle: str, libelle: str) -> Iterable[Probleme]:
    """Records sharing a value of `cle` (id or slug): each one after the first is an error."""
    vus: dict[str, Lieu] = {}
    for lieu in lieux:
        valeur = getattr(lieu, cle)
        if valeur in vus:
            premier = vus[valeur]
            message = f"{libelle} « {valeur} » déjà utilisé par {premier.chemin}"
            yield _p(lieu, cle, message)
        else:
            vus[valeur] = lieu


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Rough distance in km between two (lat, lon) points (equirectangular, fine under 100 km)."""
    from math import cos, radians, sqrt

    dx = radians(b[1] - a[1]) * cos(radians((a[0] + b[0]) / 2))
    dy = radians(b[0] - a[0])
    return 6371 * sqrt(dx * dx + dy * dy)


def cle_commune_lieu(lieu: Lieu, ref: Referentiel) -> str:
    """The INSEE code of the place's current commune in the referential, else its own fields."""
    commune = resoudre(ref, lieu.commune, lieu.code_postal, lieu.code_insee).commune if ref else None
    return commune.code if commune else lieu.code_insee or lieu.code_postal + lieu.commune


def loin_de_la_commune(lieux: list[Lieu], ref: Referentiel | None = None) -> Iterable[Probleme]:
    """A warning for each place far from its commune's other places (see `eloignes`)."""
    for lieu, distance in eloignes(lieux, ref):
        message = f"à {distance:.0f} km des autres lieux de {lieu.commune} : coordonnées à vérifier"
        yield _p(lieu, "latitude", message, AVERTISSEMENT)


def eloignes(lieux: list[Lieu], ref: Referentiel | None = None) -> Iterable[tuple[Lieu, float]]:
    """(place, km) for places far from the median point of their commune's places (3 or more).
    The referential has no coordinates, but it makes "Saint-Etienne" and "SAINT ETIENNE" one
    commune, so the group is the whole commune."""
    par_commune: dict[str, list[Lieu]] = defaultdict(list)
    for lieu in lieux:
        if lieu.a_coordonnees:
            par_commune[cle_commune_lieu(lieu, ref or Referentiel())].append(lieu)
    for groupe in par_commune.values():
        if len(groupe) < 3:
            continue
        centre = (
            statistics.median(x.latitude for x in groupe),
            statistics.median(x.longitude for x in groupe),
        )
        for lieu in groupe:
            distance = _km(centre, (lieu.latitude, lieu.longitude))
            if distance > DISTANCE_COMMUNE_KM:
                yield lieu, distance


def valider_lieux(
    lieux: list[Lieu], contexte: Contexte, appliquer: Appliquer = appliquer_simple
) -> list[Probleme]:
    """Every record's own problems (a record's problems depend on nothing but itself and
    `contexte`: `appliquer` may take them from an earlier build, see domain/calcul.py)."""
    return [p for problemes in appliquer(valider_lieu, lieux, contexte) for p in problemes]


def valider_annuaire(
    lieux: list[Lieu], reseaux: list[Reseau], contexte: Contexte, appliquer: Appliquer = appliquer_simple
) -> list[Probleme]:
    """Every problem of every record (`appliquer`: see `valider_lieux`), then the directory-wide ones."""
    contexte.reseaux = frozenset(r.slug for r in reseaux)
    problemes = valider_lieux(lieux, contexte, appliquer)
    problemes.extend(_doublons(lieux, "id", "identifiant"))
    problemes.extend(_doublons(lieux, "slug", "nom de fichier (adresse de la page)"))
    problemes.extend(loin_de_la_commune(lieux, contexte.referentiel))
    for reseau in reseaux:
        problemes.extend(_problemes_reseau(reseau))
    return problemes


def _problemes_reseau(reseau: Reseau) -> Iterable[Probleme]:
    """A network's own problems: its name, and its site through the one URL check."""
    if not reseau.nom:
        yield Probleme(reseau.chemin, 1, "nom", "champ obligatoire manquant")
    if reseau.site_web and (erreur := url_erreur(reseau.site_web)):
        ligne = reseau.lignes.get("site_web", 1)
        yield Probleme(reseau.chemin, ligne, "site_web", f"« {citer(reseau.site_web)} » : {erreur}")
