"""The site plan: which pages exist, at which URL, with which template and data.

Plain Python (no Pelican): `plan_du_site` yields `PageARendre` items that the Pelican glue renders
with the theme's templates. Places are grouped once (by commune, service, network, letter) in
`Index`; no page ever lists every place of a large directory (lists are paginated).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from urllib.parse import quote, urlsplit

import phonenumbers

from annuaire.directory import Annuaire
from annuaire.domain import horaires as horaires_osm
from annuaire.domain import routes
from annuaire.domain.besoins import (
    VocabulaireBesoins,
    donnees_page,
    mots_du_lieu,
    nombre_de_mots,
    pour_l_index,
    texte_index,
)
from annuaire.domain.champs import (
    FICHE,
    REGISTRE,
    choix_formulaire,
    donnees_formulaire,
    libelle_valeur,
    libelles_facettes,
)
from annuaire.domain.communes import departement
from annuaire.domain.facettes import FACETTES, GENRES, ContexteFacettes, genre_lieu, valeurs_facettes
from annuaire.domain.formats import (
    courriel_valide,
    json_sur,
    slugifier,
    telephone_affiche,
    telephone_normalise,
    url_valide,
)
from annuaire.domain.model import Lieu, Reseau
from annuaire.domain.reglages import Reglages
from annuaire.domain.texte import RenduMarkdown, cle_tri, initiale
from annuaire.domain.vocabulaire import PRECISIONS, SERVICES, STATUTS, TYPOLOGIES
from annuaire.outputs.exports import RapportExport
from annuaire.site.agenda import AgendaSite, Noms, Prochains, pages_agenda, prochains
from annuaire.site.gabarits import a_verifier
from annuaire.site.mini_carte import ResumeCarte, resume_carte
from annuaire.validation.formulaire import regles_navigateur
from annuaire.validation.qualite import LIGNES_SUR_LA_PAGE, doublons_de, rapport_qualite

JOURS_AVANT_PERIME = 365
# Fields whose label does not read well in "Informations pas encore confirmées : …".
MOTS_A_CONFIRMER = {
    "latitude": "position sur la carte",
    "longitude": "position sur la carte",
    "services": "services",
}
COMMUNES_ACCUEIL = 12
LIEUX_SUR_LA_PAGE_AZ = 500  # up to this many places, the A–Z page lists them all
# The "Proposer un lieu" form: its checkbox groups (field, French legend, allowed values) and the
# data its script reads (written into the page as JSON), from the field registry.
FORMULAIRE = {"choix": choix_formulaire(), "formulaire": donnees_formulaire()}


def contexte_proposer(*versions: str) -> dict:
    """The /proposer/ page's data: the form's fields and the validator's rules for its script
    (validation/formulaire.py) as JSON that stays inert inside a <script type="application/json">.
    `versions`: those of phonenumbers and of Unicode, which the rules are read from; being the
    page's arguments, they are in its fingerprint (PageARendre.cle_empreinte)."""
    regles = json_sur(json.dumps(regles_navigateur(), ensure_ascii=False, separators=(",", ":")))
    return {**FORMULAIRE, "regles_json": regles, "versions_regles": versions}


@dataclass
class Groupe:
    """A named list of places with its own page: a commune, a service, a network, a letter."""

    slug: str
    nom: str
    url: str
    lieux: list[Lieu] = field(default_factory=list)
    extra: object = None

    @cached_property
    def carte(self) -> ResumeCarte | None:
        """The small map's summary (partials/mini_carte.html), computed once for all the group's pages."""
        return resume_carte(self.lieux)


@dataclass
class PageARendre:
    """One output file: its path under output/, its template, its data (or a function that makes
    it), its public URL."""

    chemin: str
    gabarit: str
    contexte: dict | Callable[[], dict]
    url: str = ""
    partage: str = ""  # pages with the same value share costly work (a sheet: its hours' text)
    date: dt.date | None = None  # when its data last changed (a sheet: its place's date_maj)

    def cle_empreinte(self) -> object:
        """What the page's data is made from, for its fingerprint: for data made by a function (a
        sheet's view), that function and every argument it is given, since the view is a pure
        function of them (cheaper than the view itself: 30,000 views cost seconds); else the data
        itself. Nothing is declared: an argument or field the view starts to read is in it."""
        if isinstance(self.contexte, partial):
            fonction = self.contexte.func
            return (fonction.__module__, fonction.__qualname__, self.contexte.args, self.contexte.keywords)
        return self.donnees()

    def donnees(self) -> dict:
        """The template's data. A sheet's is made only now, in the process that renders it: the
        views of 30,000 sheets are then computed in parallel, not one by one before rendering."""
        return self.contexte() if callable(self.contexte) else self.contexte


def cle_commune(lieu: Lieu, slugs: dict[str, str] | None = None) -> str:
    """Slug of a place's commune, with the department so that homonyms stay apart. `slugs`: the
    communes' slugs worked out so far (a few thousand names for 30,000 places), filled in."""
    slug = slugs.get(lieu.commune) if slugs is not None else None
    if slug is None:
        slug = slugifier(lieu.commune)
        if slugs is not None:
            slugs[lieu.commune] = slug
    return f"{slug or 'commune-inconnue'}-{departement_lieu(lieu).lower() or 'xx'}"


def departement_lieu(lieu: Lieu) -> str:
    """The place's département: its INSEE code's (set from the referential when the directory is
    assembled), else its postcode's first two digits."""
    return departement(lieu.code_insee) if lieu.code_insee else lieu.code_postal[:2]


@dataclass
class Departement:
    """A département of the /communes/ page: its communes and how many places they have."""

    code: str
    nom: str
    communes: list[Groupe]

    @property
    def nombre(self) -> int:
        """The number of places in the département."""
        return sum(len(g.lieux) for g in self.communes)


def _ordre_departement(code: str) -> str:
    """01 … 19, 2A, 2B, 21 … 95, 971 …: Corsica where its old number 20 was."""
    return code.upper().replace("2A", "20A").replace("2B", "20B").zfill(3)


def par_departement(communes: list[Groupe], noms: Callable[[str], str]) -> list[Departement]:
    """The communes grouped by département (the suffix of their key), départements in order."""
    groupes: dict[str, list[Groupe]] = defaultdict(list)
    for groupe in communes:
        groupes[routes.departement_de_commune(groupe.slug)].append(groupe)
    codes = sorted(groupes, key=_ordre_departement)
    return [
        Departement(code, noms(code) if code != "XX" else "Département inconnu", groupes[code])
        for code in codes
    ]


def lettre(lieu: Lieu) -> str:
    """The A–Z letter a place is listed under ("#" for names starting with a digit or sign)."""
    return initiale(lieu.nom)


def _regrouper(lieux: list[Lieu], cles, url: Callable[[str], str], noms: dict[str, str]) -> list[Groupe]:
    """Group places by each key `cles(lieu)` yields (`url`: a group's URL from its key); groups
    sorted by name, places in the order of `lieux`."""
    groupes: dict[str, Groupe] = {}
    for lieu in lieux:
        for cle in cles(lieu):
            if cle not in groupes:
                groupes[cle] = Groupe(cle, noms.get(cle, cle), url(cle))
            groupes[cle].lieux.append(lieu)
    return sorted(groupes.values(), key=lambda g: cle_tri(g.nom))


def _noms_communes(lieux: list[Lieu], slugs: dict[str, str]) -> dict[str, str]:
    """The most frequent spelling of each commune ("Saint-Étienne" over "Saint Etienne")."""
    orthographes: dict[str, Counter] = defaultdict(Counter)
    for lieu in lieux:
        orthographes[cle_commune(lieu, slugs)][lieu.commune] += 1
    return {cle: c.most_common(1)[0][0] for cle, c in orthographes.items()}


@dataclass
class Index:
    """Places grouped once for every listing page."""

    communes: list[Groupe]
    departements: list[Departement]
    services: list[Groupe]
    reseaux: list[Groupe]
    lettres: list[Groupe]
    reseaux_par_slug: dict[str, Reseau]
    noms_reseaux: dict[str, str]

    @classmethod
    def construire(cls, annuaire: Annuaire) -> Index:
        """Group the directory's places by commune, service, network and letter; in every group
        the places are in French order of their names (one sort for all the groups)."""
        lieux = sorted(annuaire.lieux, key=lambda lieu: (cle_tri(lieu.nom), lieu.slug))
        services = {slugifier(s): s for s in SERVICES}
        slugs: dict[str, str] = {}  # the communes' slugs, each worked out once
        # A few dozen distinct texts, 150,000 uses: each slugified once.
        slugs_services = {s: slugifier(s) for s in {s for lieu in lieux for s in lieu.services}}
        reseaux = {r.slug: r for r in annuaire.reseaux}
        groupes_reseaux = _regrouper(
            lieux, lambda x: x.reseaux, routes.reseau, {s: r.nom for s, r in reseaux.items()}
        )
        for groupe in groupes_reseaux:
            groupe.extra = reseaux.get(groupe.slug)
        vides = [
            Groupe(r.slug, r.nom, routes.reseau(r.slug), [], r)
            for r in annuaire.reseaux
            if r.slug not in {g.slug for g in groupes_reseaux}
        ]
        communes = _regrouper(
            lieux, lambda x: [cle_commune(x, slugs)], routes.commune, _noms_communes(lieux, slugs)
        )
        index = cls(
            communes=communes,
            departements=par_departement(communes, annuaire.referentiel.nom_departement),
            services=_regrouper(
                lieux, lambda x: [slugs_services[s] for s in x.services], routes.service, services
            ),
            reseaux=sorted(groupes_reseaux + vides, key=lambda g: cle_tri(g.nom)),
            lettres=sorted(_regrouper(lieux, lambda x: [lettre(x)], routes.lettre, {}), key=lambda g: g.slug),
            reseaux_par_slug=reseaux,
            noms_reseaux={slug: r.nom for slug, r in reseaux.items()},
        )
        return index


@dataclass
class FicheLieu:
    """What a place sheet shows, derived from the record: only checked values become links."""

    lieu: Lieu
    url: str
    telephone: tuple[str, str] | None
    courriels: list[str]
    sites: list[str]
    fiche_acces_libre: str
    prise_rdv: str
    description_html: str
    horaires: object
    reseaux: list[Reseau]
    commune_url: str
    perime: bool
    statut: str
    precision: str
    details: list[tuple[str, list[str]]]  # the "Accueil" list: (French label, values' labels)
    typologies: list[str]
    facettes: dict[str, list[str]]
    genre: str
    mots_besoins: str = ""  # everyday words of its needs, as the word index gets them (besoins.texte_index)

    @property
    def a_confirmer(self) -> list[str]:
        """The unconfirmed fields (`a_verifier`) in plain words ("horaires", "réseaux"), for the sheet."""
        mots = [
            MOTS_A_CONFIRMER.get(nom) or _minuscule(REGISTRE[nom].libelle)
            for nom in self.lieu.a_verifier
            if nom in REGISTRE
        ]
        return list(dict.fromkeys(mots))  # latitude and longitude are one position

    @property
    def douteux(self) -> bool:
        """True for an "à vérifier" place (gabarits.a_verifier): no confident open/closed badge."""
        return a_verifier(self.lieu)

    @property
    def aides(self) -> list[tuple[str, str]]:
        """(value, French label) of each service offered: the label is the vocabulary's plain words
        (champs.libelle_valeur), the value names the service's page."""
        return [(service, libelle_valeur("services", service)) for service in self.lieu.services]

    @property
    def itineraire(self) -> tuple[str, str]:
        """(geo: link, OpenStreetMap link) to go to the place: a phone's map application opens the
        first; the second works everywhere (a phone without a geo: handler, a computer)."""
        lieu = self.lieu
        if lieu.a_coordonnees:
            point = f"{lieu.latitude:.5f},{lieu.longitude:.5f}"
            nom = quote(lieu.nom, safe="")
            return (
                f"geo:{point}?q={point}({nom})",
                f"https://www.openstreetmap.org/directions?route=%3B{quote(point)}",
            )
        adresse = quote(" ".join(filter(None, [lieu.adresse, lieu.code_postal, lieu.commune])), safe="")
        return f"geo:0,0?q={adresse}", f"https://www.openstreetmap.org/search?query={adresse}"

    @property
    def accueil(self) -> list[str]:
        """Every value of the "Accueil" list, in its order (for the word index)."""
        return [valeur for _, valeurs in self.details for valeur in valeurs]

    @property
    def texte_accueil(self) -> str:
        """The "Accueil" values as the word index gets them (besoins.pour_l_index)."""
        return " ".join(pour_l_index(self.accueil))

    @property
    def mots_caches(self) -> int:
        """How many word positions the sheet's hidden paragraphs take at the start of the index's
        text (name, everyday words, "Accueil" values: partials/facettes_fiche.html): result
        excerpts start after them, so that a card never shows the vocabulary's list."""
        return sum(nombre_de_mots(t) for t in (self.lieu.nom, self.mots_besoins, self.texte_accueil))


def _minuscule(libelle: str) -> str:
    """A label inside a sentence: its first letter in lower case ("Réseaux" → "réseaux")."""
    return libelle[:1].lower() + libelle[1:]


def details_fiche(lieu: Lieu) -> list[tuple[str, list[str]]]:
    """The sheet's generic list: (French label, values' labels) of the registry's rows shown there
    (champs.FICHE), empty ones left out."""
    details = []
    for libelle, champs in FICHE:
        valeurs = [libelle_valeur(champ, v) for champ in champs for v in _valeurs(lieu, champ)]
        if valeurs:
            details.append((libelle, valeurs))
    return details


def _valeurs(lieu: Lieu, champ: str) -> list:
    """A field's values as a list (a single value alone, none when empty)."""
    valeur = getattr(lieu, champ)
    return valeur if isinstance(valeur, list) else ([valeur] if valeur not in (None, "") else [])


def _telephone(lieu: Lieu) -> tuple[str, str] | None:
    """("tel:+33…", "04 77 …") for a valid number, else None."""
    forme, _ = telephone_normalise(lieu.telephone, lieu.code_postal) if lieu.telephone else (None, "")
    return (f"tel:{forme}", telephone_affiche(forme)) if forme else None


class Rendus:
    """Per-build renderers: one Markdown instance, and hours views memoised by their text.

    Many places share the same hours string (3,280 distinct strings for 11,614 in the national
    files), and computing a view (week table + 60 days of badge data) is the costly part of a sheet.
    """

    def etat(self) -> tuple:
        """What the views it makes depend on besides their arguments and the code: the day, the
        networks' names (its memos follow from them) and the everyday words. A page's fingerprint
        reads it."""
        return (self.jour, sorted(self.facettes.noms_reseaux.items()), self.besoins)

    def __init__(
        self,
        aujourd_hui: dt.date,
        noms_reseaux: dict[str, str],
        vues_horaires=None,
        besoins: VocabulaireBesoins | None = None,
    ):
        self.jour = aujourd_hui
        self.besoins = besoins or VocabulaireBesoins()
        self.markdown = RenduMarkdown()
        self.facettes = ContexteFacettes(noms_reseaux, self.semaine)
        self._horaires: dict[str, object] = {}
        self._vue = vues_horaires or (lambda texte: horaires_osm.vue_horaires(texte, self.jour))

    def semaine(self, texte: str):
        """The week of `texte` from its hours view (the "opening days" facet needs it too)."""
        vue = self.horaires(texte)
        return vue.semaine if vue is not None else horaires_osm.semaine(texte, self.jour)

    def horaires(self, texte: str):
        """The hours view of `texte` (None for no hours), computed once per distinct text (by
        `vues_horaires` when given: a cache kept between builds of the same day)."""
        if not texte:
            return None
        if texte not in self._horaires:
            self._horaires[texte] = self._vue(texte)
        return self._horaires[texte]


def _offres(lieu: Lieu) -> tuple[list[str], list[str], list[str]]:
    """What a place offers that needs are made of: services, publics, national programmes."""
    return lieu.services, lieu.publics_specifiquement_adresses, lieu.dispositif_programmes_nationaux


def url_fiche(lieu: Lieu) -> str:
    """A place sheet's URL, relative to the site."""
    return routes.fiche(lieu)


def fiche(lieu: Lieu, reseaux: list[Reseau | None], rendus: Rendus) -> FicheLieu:
    """Build the sheet view of one place (`reseaux`: its networks, None for an unknown one)."""
    aujourd_hui = rendus.jour
    description = lieu.corps_markdown or lieu.presentation_detail
    return FicheLieu(
        lieu=lieu,
        url=url_fiche(lieu),
        telephone=_telephone(lieu),
        courriels=[c for c in lieu.courriels if courriel_valide(c)],
        sites=[u for u in lieu.site_web if url_valide(u)],
        fiche_acces_libre=lieu.fiche_acces_libre if url_valide(lieu.fiche_acces_libre) else "",
        prise_rdv=lieu.prise_rdv if url_valide(lieu.prise_rdv) else "",
        description_html=rendus.markdown.html(description),
        horaires=rendus.horaires(lieu.horaires),
        reseaux=[reseau for reseau in reseaux if reseau is not None],
        commune_url=routes.commune(cle_commune(lieu)),
        perime=bool(lieu.date_maj and (aujourd_hui - lieu.date_maj).days > JOURS_AVANT_PERIME),
        statut=STATUTS.get(lieu.statut, ""),
        precision=PRECISIONS.get(lieu.precision_coordonnees, ""),
        details=details_fiche(lieu),
        typologies=[TYPOLOGIES.get(t, t) for t in lieu.typologie],
        facettes=valeurs_facettes(lieu, rendus.facettes),
        genre=genre_lieu(lieu),
        mots_besoins=texte_index(rendus.besoins, mots_du_lieu(rendus.besoins, *_offres(lieu))),
    )


@dataclass
class Pagination:
    """One page of a paginated list."""

    numero: int
    total: int
    elements: list
    base: str

    def url(self, numero: int) -> str:
        """URL of page `numero` of the same list."""
        return routes.page_de_liste(self.base, numero)


def paginer(elements: list, base: str, par_page: int) -> Iterator[Pagination]:
    """Split `elements` into pages of `par_page`; always at least one page."""
    total = max(1, -(-len(elements) // par_page))
    for numero in range(1, total + 1):
        debut = (numero - 1) * par_page
        yield Pagination(numero, total, elements[debut : debut + par_page], base)


def _pages_groupe(
    groupe: Groupe, gabarit: str, par_page: int, ateliers: Prochains | None = None, **contexte
) -> Iterator[PageARendre]:
    """The paginated pages of one commune, service or network; the first one shows the group's
    next workshops, if it has some (`ateliers`: in its data, so in its fingerprint)."""
    for page in paginer(groupe.lieux, groupe.url, par_page):
        url = page.url(page.numero)
        en_plus = {"ateliers": ateliers} if ateliers and page.numero == 1 else {}
        yield PageARendre(
            routes.fichier(url), gabarit, {"groupe": groupe, "page_liste": page, **contexte, **en_plus}, url
        )


def _pages_integration(outils: dict) -> Iterator[PageARendre]:
    """The embed builder (/integrer/) and the embeddable views: the search list and the map,
    without the site's header and footer, filters read from their URL (same parameters)."""
    yield PageARendre(routes.fichier(routes.INTEGRER), "integrer.html", outils, routes.INTEGRER)
    integre = {**outils, "integre": True}
    yield PageARendre(routes.fichier(routes.INTEGRER_LISTE), "recherche.html", integre)
    yield PageARendre(routes.fichier(routes.INTEGRER_CARTE), "carte.html", integre)


def _ateliers_commune(agenda: AgendaSite, cle: str) -> Prochains | None:
    """A commune page's "Prochains ateliers"."""
    liste = agenda.par_commune.get(cle, [])
    tous, imprimer = routes.agenda_commune(cle), routes.agenda_imprimer("commune", cle)
    return prochains(liste, tous, agenda.flux_de(routes.flux(routes.commune(cle))), imprimer)


def _ateliers_reseau(agenda: AgendaSite, slug: str) -> Prochains | None:
    """A network page's "Prochains ateliers" (the whole agenda, filtered by its network)."""
    liste = agenda.par_reseau.get(slug, [])
    tous, imprimer = f"{routes.AGENDA}?reseau={quote(slug)}", routes.agenda_imprimer("reseau", slug)
    return prochains(liste, tous, agenda.flux_de(routes.flux(routes.reseau(slug))), imprimer)


def _ateliers_lieu(agenda: AgendaSite, lieu: Lieu) -> Prochains | None:
    """A sheet's "Prochains ateliers" (its commune's agenda, filtered by the place)."""
    liste = agenda.par_lieu.get(lieu.slug, [])
    if not liste:
        return None
    tous = f"{routes.agenda_commune(liste[0].vue.cle_commune)}?lieu={quote(lieu.slug)}"
    return prochains(liste, tous, agenda.flux_de(routes.flux(url_fiche(lieu))))


def _pages_listes(index: Index, reglages: Reglages, agenda: AgendaSite) -> Iterator[PageARendre]:
    """Index pages (communes, services, networks, A–Z) and each group's own pages."""
    yield PageARendre(
        routes.fichier(routes.COMMUNES),
        "communes.html",
        {"groupes": index.communes, "departements": index.departements},
        routes.COMMUNES,
    )
    yield PageARendre(
        routes.fichier(routes.SERVICES), "services.html", {"groupes": index.services}, routes.SERVICES
    )
    yield PageARendre(
        routes.fichier(routes.RESEAUX), "reseaux.html", {"groupes": index.reseaux}, routes.RESEAUX
    )
    # Small directories list every place on the A–Z page (its data, so its fingerprint, has them).
    petit = sum(len(g.lieux) for g in index.lettres) <= LIEUX_SUR_LA_PAGE_AZ
    par_lettre = {g.slug: g.lieux for g in index.lettres} if petit else {}
    lettres = {"groupes": index.lettres, "lieux_par_lettre": par_lettre}
    yield PageARendre(routes.fichier(routes.LIEUX), "lieux.html", lettres, routes.LIEUX)
    for groupe in index.communes:
        yield from _pages_groupe(
            groupe, "commune.html", reglages.par_page, _ateliers_commune(agenda, groupe.slug)
        )
    for groupe in index.services:
        yield from _pages_groupe(groupe, "service.html", reglages.par_page)
    for groupe in index.reseaux:
        ateliers = _ateliers_reseau(agenda, groupe.slug)
        yield from _pages_groupe(groupe, "reseau.html", reglages.par_page, ateliers, reseau=groupe.extra)
    for groupe in index.lettres:
        yield from _pages_groupe(groupe, "lettre.html", reglages.par_page)


def plan_du_site(
    annuaire: Annuaire,
    reglages: Reglages,
    aujourd_hui: dt.date,
    exports: RapportExport | None = None,
    vues_horaires: Callable[[str], object] | None = None,
) -> Iterator[PageARendre]:
    """Every page the directory renders (Pelican renders content/pages/ itself). `vues_horaires`
    computes an hours view from its text for `aujourd_hui` (default: horaires.vue_horaires)."""
    index = Index.construire(annuaire)
    agenda = AgendaSite(annuaire.agenda, annuaire.lieux, aujourd_hui, cle_commune)
    donnees = {
        "exports": exports or RapportExport(),
        "fusion": annuaire.fusion,
        "nombre_lieux": len(annuaire.lieux),
    }
    yield PageARendre(routes.fichier(routes.DONNEES), "donnees.html", donnees, routes.DONNEES)
    qualite = rapport_qualite(
        annuaire.lieux,
        annuaire.reseaux,
        annuaire.problemes,
        doublons_de(annuaire.fusion.probables),
        aujourd_hui,
    )
    probables = sorted(annuaire.fusion.probables, key=lambda p: (-p.score, p.id_a, p.id_b))
    contexte_rapport = {
        "rapport": qualite,
        "probables": probables[:LIGNES_SUR_LA_PAGE],
        "nb_probables": len(probables),
    }
    yield PageARendre(routes.fichier(routes.RAPPORT), "rapport.html", contexte_rapport)
    principales = sorted(index.communes, key=lambda g: -len(g.lieux))[:COMMUNES_ACCUEIL]
    accueil = {
        "index": index,
        "nombre_lieux": len(annuaire.lieux),
        "communes_principales": sorted(principales, key=lambda g: cle_tri(g.nom)),
        "besoins": annuaire.besoins.raccourcis(),
        "agenda": bool(agenda),
    }
    yield PageARendre(routes.fichier(routes.ACCUEIL), "accueil.html", accueil, routes.ACCUEIL)
    yield PageARendre(routes.fichier(routes.PLAN), "plan.html", {"agenda": bool(agenda)}, routes.PLAN)
    outils = {
        "index": index,
        "facettes": FACETTES,
        "genres": GENRES,
        "statuts": STATUTS,
        "mots_page": donnees_page(annuaire.besoins),  # the search page's everyday words
        "libelles_page": libelles_facettes(),  # and its facet values' plain words
    }
    yield PageARendre(routes.fichier(routes.RECHERCHE), "recherche.html", outils, routes.RECHERCHE)
    yield PageARendre(routes.fichier(routes.CARTE), "carte.html", outils, routes.CARTE)
    formulaire = partial(contexte_proposer, phonenumbers.__version__, unicodedata.unidata_version)
    yield PageARendre(routes.fichier(routes.PROPOSER), "proposer.html", formulaire, routes.PROPOSER)
    yield from _pages_integration(outils)
    yield PageARendre(routes.PAGE_404, "404.html", {"index": index})
    yield from _pages_listes(index, reglages, agenda)
    if agenda:
        yield from _pages_de_l_agenda(agenda, index, reglages)
    rendus = Rendus(aujourd_hui, index.noms_reseaux, vues_horaires, annuaire.besoins)
    for lieu in annuaire.lieux:
        url = url_fiche(lieu)
        reseaux = [index.reseaux_par_slug.get(s) for s in lieu.reseaux]
        ateliers = _ateliers_lieu(agenda, lieu) if agenda else None
        # The sheet's next workshops are an argument of its view: they are in its fingerprint.
        contexte = partial(
            _contexte_fiche, lieu, reseaux, rendus, **({"ateliers": ateliers} if ateliers else {})
        )
        yield PageARendre(
            routes.fichier(url), "lieu.html", contexte, url, partage=lieu.horaires or "", date=lieu.date_maj
        )


def _contexte_fiche(
    lieu: Lieu, reseaux: list[Reseau | None], rendus: Rendus, ateliers: Prochains | None = None
) -> dict:
    """The data of lieu.html for one place (`ateliers`: its next workshops, if any)."""
    return {"fiche": fiche(lieu, reseaux, rendus), "ateliers": ateliers}


def noms_agenda(index: Index) -> Noms:
    """The names the agenda's pages show: the communes', the départements', the networks'."""
    communes = {g.slug: g.nom for g in index.communes}
    return Noms(communes, {d.code: d.nom for d in index.departements}, index.noms_reseaux)


def _pages_de_l_agenda(agenda: AgendaSite, index: Index, reglages: Reglages) -> Iterator[PageARendre]:
    """The agenda's pages and files (site/agenda.py), as pages of the plan."""
    pages = pages_agenda(agenda, noms_agenda(index), reglages.url_publique, reglages.nom)
    for page in pages:
        yield PageARendre(page.chemin, page.gabarit, page.contexte, page.url)


def robots_txt(base: str) -> str:
    """robots.txt: everything may be crawled but the quality report and the embedded views (pages
    for other sites), and the sitemap is named. Paths carry the site's sub-path, if any."""
    chemin = urlsplit(base).path.rstrip("/")
    refus = "".join(
        f"Disallow: {chemin}/{url}\n"
        for url in (routes.RAPPORT, routes.INTEGRER_LISTE, routes.INTEGRER_CARTE)
    )
    return f"User-agent: *\n{refus}Sitemap: {base}/sitemap.xml\n"


def sitemap_xml(urls: list[str] | dict[str, dt.date | None], base: str, jour: dt.date | None = None) -> str:
    """A sitemap of the given site-relative URLs, sorted, absolute from `base`; with `jour` (the
    build's date), each URL gets a `lastmod`: its own date when `urls` maps it to one, else `jour`."""
    from xml.sax.saxutils import escape

    dates = urls if isinstance(urls, dict) else dict.fromkeys(urls)
    lignes = []
    for url in sorted(dates):
        quand = dates[url] or jour
        lastmod = f"<lastmod>{quand.isoformat()}</lastmod>" if quand else ""
        lignes.append(f"  <url><loc>{escape(base + '/' + url)}</loc>{lastmod}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(lignes) + "\n</urlset>\n"
    )
