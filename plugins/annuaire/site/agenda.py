"""What the site shows of the workshops: the agenda by day, each workshop's page, a place's,
network's and commune's next workshops, the feeds and the month's printed agenda.

Plain Python (no Pelican). The directory's `Agenda` (domain/ateliers.py) is read once into views
(`AgendaSite`): each workshop's checked links and plain words are worked out once, then shared by
every page that lists one of its occurrences. Titles, prices and registration come from files or
feeds: the templates escape them; the description is already sanitised HTML (nh3).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from annuaire.domain import routes
from annuaire.domain.ateliers import FUSEAU, Agenda, Atelier, Occurrence
from annuaire.domain.champs import libelle_valeur
from annuaire.domain.formats import (
    courriel_valide,
    json_sur,
    slugifier,
    telephone_affiche,
    telephone_normalise,
    url_valide,
)
from annuaire.domain.model import Lieu
from annuaire.domain.texte import MOIS, cle_tri, date_fr, texte_brut
from annuaire.outputs.agenda_ical import calendrier, en_json

JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
SUR_LA_FICHE = 5  # a sheet, a commune's or a network's page: its next workshops
SUR_L_AGENDA = 400  # /agenda/ and a commune's agenda: at most this many occurrences on the page
GROUPER_AU_DELA = 30  # communes with workshops: beyond, /agenda/ leads to départements first
SUR_LA_PAGE_ATELIER = 20  # a workshop's page: its next dates
DANS_LE_JSON_LD = 5  # a workshop's page: its next dates as schema.org Events (each repeats its place)
MOTS_ATELIERS = 30  # a sheet's search words: its first 30 workshops
JOURS_FLUX_ANNUAIRE = 31  # /agenda.ics: the next month
JOURS_IMPRIMES = 31  # the printed agenda: the month from the build's day
_PRIX = re.compile(r"\d+(?:[.,]\d{1,2})?")


def jour_fr(jour: dt.date, annee: bool = False) -> str:
    """ "samedi 12 décembre" ("mardi 1er décembre"; with `annee`, "… 2026")."""
    premier = "1er" if jour.day == 1 else str(jour.day)
    texte = f"{JOURS[jour.weekday()]} {premier} {MOIS[jour.month - 1]}"
    return f"{texte} {jour.year}" if annee else texte


def heure_fr(moment: dt.datetime) -> str:
    """ "14 h", "9 h 30" (Europe/Paris)."""
    local = moment.astimezone(FUSEAU)
    return f"{local.hour} h" if local.minute == 0 else f"{local.hour} h {local.minute:02d}"


def _libelles(champ: str, valeurs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(slug, plain words) of each value: the slug is what the filters and the URL carry."""
    return tuple((slugifier(v), libelle_valeur(champ, v)) for v in valeurs)


@dataclass(frozen=True)
class VueAtelier:
    """A workshop as the pages show it: only checked values become links."""

    atelier: Atelier
    url: str
    lieu: Lieu
    cle_commune: str
    themes: tuple[tuple[str, str], ...]
    publics: tuple[tuple[str, str], ...]
    telephone: tuple[str, str] | None  # ("tel:+33…", "04 77 …")
    courriel: str
    site: str  # the registration page
    page: str  # the workshop's own page elsewhere

    @property
    def prix(self) -> str:
        """ "Gratuit", or the price as written ("Payant" when none is)."""
        return "Gratuit" if self.atelier.gratuit else (self.atelier.prix or "Payant")

    @property
    def langues(self) -> list[str]:
        """The languages, in French words."""
        return [libelle_valeur("langues", langue) for langue in self.atelier.langues]

    @property
    def places(self) -> str:
        """ "12 places disponibles", "Complet", or nothing when unknown."""
        nombre = self.atelier.places_disponibles
        if nombre is None:
            return ""
        return (
            "Complet"
            if nombre <= 0
            else f"{nombre} place{'s' if nombre > 1 else ''} disponible{'s' if nombre > 1 else ''}"
        )

    @property
    def accessibilite(self) -> str:
        """Wheelchair access in plain words, or nothing when unknown."""
        if self.atelier.accessible_pmr is None:
            return ""
        return (
            "Accessible en fauteuil roulant"
            if self.atelier.accessible_pmr
            else "Pas accessible en fauteuil roulant"
        )

    @property
    def flux(self) -> str:
        """The workshop's own feed, beside its page: every date of this workshop."""
        return routes.flux(self.url)

    @property
    def lieu_texte(self) -> str:
        """The place's name and address, as a feed's LOCATION."""
        return ", ".join(filter(None, [self.lieu.nom, self.adresse]))

    @property
    def adresse(self) -> str:
        """The place's postal address on one line."""
        lieu = self.lieu
        return ", ".join(filter(None, [lieu.adresse, f"{lieu.code_postal} {lieu.commune}".strip()]))


@dataclass(frozen=True, order=True)
class VueOccurrence:
    """One dated session as a line of the agenda."""

    occurrence: Occurrence
    vue: VueAtelier = field(compare=False)

    @property
    def jour(self) -> dt.date:
        """Its day (Europe/Paris)."""
        return self.occurrence.jour

    @property
    def jour_texte(self) -> str:
        """ "samedi 12 décembre"."""
        return jour_fr(self.jour)

    @property
    def heure(self) -> str:
        """ "14 h – 16 h", or "Toute la journée"."""
        if self.vue.atelier.journee_entiere:
            return "Toute la journée"
        return f"{heure_fr(self.occurrence.debut)} – {heure_fr(self.occurrence.fin)}"


@dataclass
class Jour:
    """A day of the agenda and its occurrences."""

    jour: dt.date
    occurrences: list[VueOccurrence]

    @property
    def titre(self) -> str:
        """ "samedi 12 décembre"."""
        return jour_fr(self.jour)

    @property
    def titre_majuscule(self) -> str:
        """ "Samedi 12 décembre"."""
        titre = self.titre
        return titre[:1].upper() + titre[1:]

    @property
    def nombre(self) -> int:
        """How many occurrences that day."""
        return len(self.occurrences)


def par_jour(occurrences: tuple[VueOccurrence, ...] | list[VueOccurrence]) -> list[Jour]:
    """Occurrences (in order) grouped by day."""
    jours: list[Jour] = []
    for vue in occurrences:
        if not jours or jours[-1].jour != vue.jour:
            jours.append(Jour(vue.jour, []))
        jours[-1].occurrences.append(vue)
    return jours


@functools.lru_cache(maxsize=4096)
def _telephone(texte: str, code_postal: str) -> tuple[str, str] | None:
    """("tel:+33…", "04 77 …") for a valid number, else None (a place's workshops share their
    number: parsed once, not 4,600 times at 1 ms each)."""
    forme, _ = telephone_normalise(texte, code_postal) if texte else (None, "")
    return (f"tel:{forme}", telephone_affiche(forme)) if forme else None


def vue_atelier(atelier: Atelier, lieu: Lieu, cle_commune: str) -> VueAtelier:
    """A workshop's view: labels in plain words, registration links only from checked values."""
    inscription = atelier.inscription
    return VueAtelier(
        atelier=atelier,
        url=routes.atelier(atelier.identifiant),
        lieu=lieu,
        cle_commune=cle_commune,
        themes=_libelles("services", atelier.themes),
        publics=_libelles("publics_specifiquement_adresses", atelier.publics),
        telephone=_telephone(inscription.telephone, lieu.code_postal),
        courriel=inscription.courriel if courriel_valide(inscription.courriel) else "",
        site=inscription.url if url_valide(inscription.url) else "",
        page=atelier.url if url_valide(atelier.url) else "",
    )


class AgendaSite:
    """The directory's agenda read once for every page: views of its workshops, its occurrences
    from the build's day on, and the occurrences of each place, commune and network."""

    def __init__(self, agenda: Agenda, lieux: list[Lieu], aujourd_hui: dt.date, cle_commune: Callable):
        par_slug = {lieu.slug: lieu for lieu in lieux}
        slugs: dict[str, str] = {}
        self.vues = {
            a.identifiant: vue_atelier(a, par_slug[a.lieu], cle_commune(par_slug[a.lieu], slugs))
            for a in agenda.ateliers
            if a.lieu in par_slug  # a workshop of an unknown place is the loader's error, not shown
        }
        self.jour = aujourd_hui
        self.occurrences = tuple(
            VueOccurrence(o, self.vues[o.atelier.identifiant])
            for o in agenda.occurrences
            if o.atelier.identifiant in self.vues and o.jour >= aujourd_hui
        )
        self.par_lieu: dict[str, list[VueOccurrence]] = {}
        self.par_commune: dict[str, list[VueOccurrence]] = {}
        self.par_reseau: dict[str, list[VueOccurrence]] = {}
        self.par_atelier: dict[str, list[VueOccurrence]] = {}
        for vue in self.occurrences:
            self.par_lieu.setdefault(vue.vue.lieu.slug, []).append(vue)
            self.par_commune.setdefault(vue.vue.cle_commune, []).append(vue)
            self.par_atelier.setdefault(vue.vue.atelier.identifiant, []).append(vue)
            for reseau in vue.vue.lieu.reseaux:
                self.par_reseau.setdefault(reseau, []).append(vue)
        self.flux = self._flux_communs()

    def _flux_communs(self) -> dict[str, str]:
        """{a feed's own path: the path of the feed that holds the same dates}: a place with one
        workshop, a commune with one place, a network with one place… would write the same file
        twice (thousands of times at national scale); the place's feed is the one written."""
        sources = [(routes.flux(routes.fiche_de_slug(slug)), liste) for slug, liste in self.par_lieu.items()]
        sources += [(routes.flux(routes.atelier(i)), liste) for i, liste in self.par_atelier.items()]
        sources += [(routes.flux(routes.commune(cle)), liste) for cle, liste in self.par_commune.items()]
        sources += [(routes.flux(routes.reseau(slug)), liste) for slug, liste in self.par_reseau.items()]
        premiers: dict[tuple[int, ...], str] = {}  # the same view objects: identities say "same dates"
        return {chemin: premiers.setdefault(tuple(map(id, liste)), chemin) for chemin, liste in sources}

    def flux_de(self, chemin: str) -> str:
        """The feed file to link for a feed's own path (`_flux_communs`)."""
        return self.flux.get(chemin, chemin)

    def __bool__(self) -> bool:
        return bool(self.occurrences)


@dataclass(frozen=True)
class Prochains:
    """A page's next workshops: the first few, how many in all, where to see them all."""

    occurrences: tuple[VueOccurrence, ...]
    total: int
    tous: str  # the agenda that lists them all
    flux: str  # their iCalendar feed
    imprimer: str = ""  # their printed month
    mots: str = ""  # every workshop's title and week days, for the search index (mots_recherche)


def prochains(liste: list[VueOccurrence], tous: str, flux: str, imprimer: str = "") -> Prochains | None:
    """A sheet's, commune's or network's "Prochains ateliers" block, None when it has none."""
    if not liste:
        return None
    return Prochains(tuple(liste[:SUR_LA_FICHE]), len(liste), tous, flux, imprimer, mots_recherche(liste))


def mots_recherche(liste: list[VueOccurrence]) -> str:
    """ "atelier Prendre en main son smartphone samedi. atelier …": each workshop once (at most
    MOTS_ATELIERS) with the days of the week it falls on, so that "atelier smartphone samedi"
    finds the sheet even when the five dates it shows are not Saturdays."""
    jours: dict[str, set[int]] = {}
    for vue in liste:
        if not vue.occurrence.annulee:
            jours.setdefault(vue.vue.atelier.titre, set()).add(vue.jour.weekday())
    phrases = [
        f"atelier {titre} {' '.join(JOURS[j] for j in sorted(numeros))}."
        for titre, numeros in list(jours.items())[:MOTS_ATELIERS]
    ]
    return " ".join(phrases)


# --- Structured data: schema.org Event ------------------------------------------------------------


def evenement(vue: VueOccurrence, base: str) -> dict:
    """One occurrence as a schema.org Event (JSON-LD)."""
    atelier, lieu = vue.vue.atelier, vue.vue.lieu
    lieu_ld = {
        "@type": "Place",
        "name": lieu.nom,
        "url": f"{base}/{routes.fiche(lieu)}",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": lieu.adresse,
            "postalCode": lieu.code_postal,
            "addressLocality": lieu.commune,
            "addressCountry": "FR",
        },
    }
    annulee = vue.occurrence.annulee
    donnees = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": atelier.titre,
        "startDate": _date_ld(vue.occurrence.debut, atelier.journee_entiere),
        "endDate": _date_ld(vue.occurrence.fin, atelier.journee_entiere),
        "eventStatus": f"https://schema.org/{'EventCancelled' if annulee else 'EventScheduled'}",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": lieu_ld,
        "organizer": {"@type": "Organization", "name": lieu.nom, "url": lieu_ld["url"]},
        "isAccessibleForFree": atelier.gratuit,
        "url": f"{base}/{vue.vue.url}",
    }
    if atelier.description:
        donnees["description"] = texte_brut(atelier.description)[:300]
    if not atelier.gratuit:
        donnees["offers"] = _offre(atelier.prix)
    return donnees


def _offre(prix: str) -> dict:
    """schema.org Offer: the price as a number when the text has one ("5 €" → "5"), the text as
    its description always."""
    offre = {"@type": "Offer", "priceCurrency": "EUR", "description": prix or "Payant"}
    nombre = _PRIX.search(prix)
    if nombre:
        offre["price"] = nombre.group(0).replace(",", ".")
    return offre


def _date_ld(moment: dt.datetime, journee: bool) -> str:
    """ISO 8601 with its offset ("2026-12-12T14:00:00+01:00"), a date alone for a whole day."""
    local = moment.astimezone(FUSEAU)
    return local.date().isoformat() if journee else local.isoformat()


def json_ld(donnees: object) -> str:
    """JSON that stays inert inside <script type="application/ld+json">: <, > and & escaped
    (no "</script>", no "<!--" can close or confuse the element)."""
    return json_sur(json.dumps(donnees, ensure_ascii=False, separators=(",", ":")))


# --- Pages -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Noms:
    """The names the agenda's pages show for keys: communes, départements (by code), networks."""

    communes: dict[str, str]
    departements: dict[str, str]
    reseaux: dict[str, str]

    def commune(self, cle: str) -> str:
        """A commune's name (its key when unknown)."""
        return self.communes.get(cle, cle)

    def departement(self, code: str) -> tuple[str, str]:
        """(code, "Loire (42)") of a département."""
        nom = self.departements.get(code, "Département inconnu" if code == "XX" else code)
        return code, f"{nom} ({code})" if code != "XX" else nom


@dataclass(frozen=True)
class Choix:
    """A page's filters: communes (key, name, count: offered only when the page shows all its
    dates, since the filters work on what it shows), themes and publics (slug, words)."""

    communes: tuple[tuple[str, str, int], ...]
    themes: tuple[tuple[str, str], ...]
    publics: tuple[tuple[str, str], ...]


def choix(liste: list[VueOccurrence] | tuple[VueOccurrence, ...], noms: Noms, communes: bool) -> Choix:
    """The values a page's filters offer: those of its own occurrences (a page's data is only what
    it shows: a workshop elsewhere does not render it again)."""
    vues = {v.vue.atelier.identifiant: v.vue for v in liste}.values()
    themes = {t for vue in vues for t in vue.themes}
    publics = {p for vue in vues for p in vue.publics}
    ordre = lambda valeur: cle_tri(valeur[1])  # noqa: E731
    liste_communes = communes_de(liste, noms) if communes else ()
    return Choix(
        liste_communes if len(liste_communes) > 1 else (),  # a choice of one is none
        tuple(sorted(themes, key=ordre)),
        tuple(sorted(publics, key=ordre)),
    )


def communes_de(liste: list[VueOccurrence] | tuple[VueOccurrence, ...], noms: Noms) -> tuple:
    """The communes of a page's occurrences, for its "Par commune" links: (key, name, dates)."""
    comptes = Counter(v.vue.cle_commune for v in liste)
    return tuple(sorted(((c, noms.commune(c), n) for c, n in comptes.items()), key=lambda c: cle_tri(c[1])))


def departements_de(site: AgendaSite, noms: Noms) -> tuple[tuple[str, str, int, int], ...]:
    """The départements of the agenda, for /agenda/'s "Par département" links: (code, name,
    dates, communes), in the order of their codes."""
    dates: dict[str, int] = {}
    communes: dict[str, int] = {}
    for cle, liste in site.par_commune.items():
        code = routes.departement_de_commune(cle)
        dates[code] = dates.get(code, 0) + len(liste)
        communes[code] = communes.get(code, 0) + 1
    return tuple((code, noms.departement(code)[1], dates[code], communes[code]) for code in sorted(dates))


def periode_imprimee(aujourd_hui: dt.date) -> tuple[dt.date, dt.date]:
    """The printed month: the build's day and the 30 days after it."""
    return aujourd_hui, aujourd_hui + dt.timedelta(days=JOURS_IMPRIMES - 1)


def _page(url: str, gabarit: str, contexte, **autres) -> PageAgenda:
    return PageAgenda(routes.fichier(url), gabarit, contexte, url, **autres)


@dataclass
class PageAgenda:
    """A page or a file of the agenda (the plan makes PageARendre of them: site/plan.py)."""

    chemin: str
    gabarit: str
    contexte: dict | partial
    url: str = ""


def contexte_flux(elements: tuple[tuple[Occurrence, str], ...], nom: str, base: str, jour: dt.date) -> dict:
    """An iCalendar feed's text (outputs/agenda_ical.py), for the raw template agenda_flux.html."""
    return {"texte": calendrier(elements, nom, base, jour)}


def contexte_json(ateliers: tuple[Atelier, ...], occurrences: tuple[Occurrence, ...], base: str) -> dict:
    """donnees/ateliers.json's text (outputs/agenda_ical.en_json)."""
    return {"texte": en_json(ateliers, occurrences, base)}


def _flux(chemin: str, occurrences: list[VueOccurrence], nom: str, base: str, jour: dt.date) -> PageAgenda:
    """A feed file (no URL: not in the sitemap). Its data is made in the process that writes it,
    from the occurrences and their places' addresses (its fingerprint: those arguments)."""
    elements = tuple((v.occurrence, v.vue.lieu_texte) for v in occurrences)
    return PageAgenda(chemin, "agenda_flux.html", partial(contexte_flux, elements, nom, base, jour))


def _flux_propres(site: AgendaSite, chemin: str, liste: list[VueOccurrence], nom: str, base: str) -> Iterator:
    """The feed of `chemin`, unless another feed holds the same dates (AgendaSite.flux_de)."""
    if site.flux_de(chemin) == chemin:
        yield _flux(chemin, liste, nom, base, site.jour)


def page_jours(url: str, liste: list[VueOccurrence] | tuple, noms: Noms, **lieu_page) -> PageAgenda:
    """An agenda page (agenda.html): the first SUR_L_AGENDA dates of `liste` by day, its filters
    (a commune filter only on a page that shows all its dates and more than one commune) and
    `lieu_page`: genre ("annuaire", "departement", "commune"), commune, departement, par_commune,
    par_departement, flux."""
    complete = len(liste) <= SUR_L_AGENDA
    contexte = {
        "genre": "annuaire",
        "commune": None,
        "departement": None,
        "par_commune": (),
        "par_departement": (),
        "flux": "",
        "adresse": url,
        "choix": choix(liste, noms, communes=complete and lieu_page.get("genre") != "commune"),
        "jours": par_jour(liste[:SUR_L_AGENDA]),
        "total": len(liste),
    }
    return _page(url, "agenda.html", contexte | lieu_page)


def _par_departement(site: AgendaSite) -> dict[str, list[VueOccurrence]]:
    """Each département's occurrences, in order."""
    listes: dict[str, list[VueOccurrence]] = {}
    for vue in site.occurrences:
        listes.setdefault(routes.departement_de_commune(vue.vue.cle_commune), []).append(vue)
    return listes


def pages_jours(site: AgendaSite, noms: Noms) -> Iterator[PageAgenda]:
    """/agenda/, each commune's agenda and, for a national agenda (more than GROUPER_AU_DELA
    communes), each département's: /agenda/ then leads to the départements, each département's
    page to its communes."""
    grouper = len(site.par_commune) > GROUPER_AU_DELA
    if grouper:
        par_departement = departements_de(site, noms)
        yield page_jours(
            routes.AGENDA, site.occurrences, noms, par_departement=par_departement, flux=routes.AGENDA_ICS
        )
        for code, liste in _par_departement(site).items():
            departement = noms.departement(code)
            yield page_jours(
                routes.agenda_departement(code),
                liste,
                noms,
                genre="departement",
                departement=departement,
                par_commune=communes_de(liste, noms),
            )
    else:
        par_commune = communes_de(site.occurrences, noms)
        yield page_jours(
            routes.AGENDA, site.occurrences, noms, par_commune=par_commune, flux=routes.AGENDA_ICS
        )
    for cle, liste in site.par_commune.items():
        departement = noms.departement(routes.departement_de_commune(cle)) if grouper else None
        yield page_jours(
            routes.agenda_commune(cle),
            liste,
            noms,
            genre="commune",
            commune=(cle, noms.commune(cle)),
            departement=departement,
            flux=site.flux_de(routes.flux(routes.commune(cle))),
        )


def pages_agenda(site: AgendaSite, noms: Noms, base: str, nom_site: str) -> Iterator[PageAgenda]:
    """Every page and file of the agenda: /agenda/, each département's and commune's agenda, each
    workshop's page, the feeds (whole directory, each place, commune, network; each occurrence),
    the JSON export, the printed months. Nothing when there are no workshops."""
    jour = site.jour
    tous = site.occurrences
    yield from pages_jours(site, noms)
    # The whole directory's feed: its next month only (a national agenda's three months would make
    # a file of some 30 MB); each place's, commune's, network's and workshop's feed has them all.
    mois = [v for v in tous if v.jour < jour + dt.timedelta(days=JOURS_FLUX_ANNUAIRE)]
    yield _flux(routes.AGENDA_ICS, mois, f"Ateliers – {nom_site}", base, jour)
    ateliers = tuple(vue.atelier for vue in site.vues.values())
    donnees = partial(contexte_json, ateliers, tuple(v.occurrence for v in tous), base)
    yield PageAgenda(routes.ATELIERS_JSON, "agenda_flux.html", donnees)
    for cle, liste in site.par_commune.items():
        nom = noms.commune(cle)
        yield from _flux_propres(site, routes.flux(routes.commune(cle)), liste, f"Ateliers à {nom}", base)
        yield _imprime(
            routes.agenda_imprimer("commune", cle), f"à {nom}", liste, jour, routes.agenda_commune(cle)
        )
    for slug, liste in site.par_lieu.items():
        nom = f"Ateliers – {liste[0].vue.lieu.nom}"
        yield from _flux_propres(site, routes.flux(routes.fiche_de_slug(slug)), liste, nom, base)
    for slug, liste in site.par_reseau.items():
        nom = noms.reseaux.get(slug, slug)
        yield from _flux_propres(site, routes.flux(routes.reseau(slug)), liste, f"Ateliers – {nom}", base)
        yield _imprime(
            routes.agenda_imprimer("reseau", slug), f"du réseau {nom}", liste, jour, routes.reseau(slug)
        )
    for identifiant, vue in site.vues.items():
        liste = site.par_atelier.get(identifiant, [])
        contexte = {**contexte_atelier(vue, tuple(liste), base), "flux": site.flux_de(vue.flux)}
        yield _page(vue.url, "atelier.html", contexte)
        yield from _flux_propres(site, vue.flux, liste, vue.atelier.titre, base)


def contexte_atelier(vue: VueAtelier, occurrences: tuple[VueOccurrence, ...], base: str) -> dict:
    """atelier.html's data: the workshop, its next dates, their schema.org Events."""
    prochaines = occurrences[:SUR_LA_PAGE_ATELIER]
    evenements = [evenement(o, base) for o in occurrences[:DANS_LE_JSON_LD]]
    return {"vue": vue, "prochaines": prochaines, "total": len(occurrences), "json_ld": json_ld(evenements)}


def lieux_imprimes(liste: list[VueOccurrence]) -> list[tuple[str, str, list[str]]]:
    """The printed month's places, once each: (name, address, registration phones), by name."""
    lieux: dict[str, tuple[str, str, list[str]]] = {}
    for vue in liste:
        nom, adresse, telephones = lieux.setdefault(
            vue.vue.lieu.slug, (vue.vue.lieu.nom, vue.vue.adresse, [])
        )
        if vue.vue.telephone and vue.vue.telephone[1] not in telephones:
            telephones.append(vue.vue.telephone[1])
    return sorted(lieux.values(), key=lambda lieu: cle_tri(lieu[0]))


def _imprime(url: str, titre: str, liste: list[VueOccurrence], jour: dt.date, retour: str) -> PageAgenda:
    """The month's printed agenda of a commune or a network (agenda_imprimer.html)."""
    debut, fin = periode_imprimee(jour)
    du_mois = [v for v in liste if debut <= v.jour <= fin]
    periode = f"du {date_fr(debut)} au {date_fr(fin)}"
    contexte = {
        "titre": f"Ateliers numériques {titre}",
        "periode": periode,
        "jours": par_jour(du_mois),
        "lieux": lieux_imprimes(du_mois),
        "retour": retour,
    }
    return _page(url, "agenda_imprimer.html", contexte)
