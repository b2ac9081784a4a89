"""The Pelican glue: one generator that renders the directory, connected through Pelican's signals.

Reads like the build's table of contents: build the directory (domain code), refuse an invalid
one, render every page of the site plan with the theme's templates, write only what changed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import gc
import hashlib
import sys
import time
from importlib import metadata
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator
from pelican.utils import memoized

from annuaire.build.cache import dossier_node_modules, version_rendu
from annuaire.build.entrees import EntreesEnCache
from annuaire.build.hors_ligne import ecrire_hors_ligne, pages_hors_ligne
from annuaire.build.memo import (
    EmpreintesLieux,
    MemoCalculs,
    MemoFichier,
    racine_cache,
    version_code,
    version_fonction,
)
from annuaire.build.origine import reglages_du_site
from annuaire.build.pages import adresses_en_conflit, assainir_page
from annuaire.build.parallele import (
    lancer,
    memoire_partagee,
    nombre_processus,
    repartir,
    sans_ramasse_miettes,
)
from annuaire.build.publication import Manifeste, SuiviRendu
from annuaire.directory import Annuaire, Calculs, construire_annuaire
from annuaire.domain import horaires as horaires_osm
from annuaire.domain import routes
from annuaire.domain.champs import libelle_valeur
from annuaire.domain.formats import slugifier
from annuaire.domain.model import Probleme
from annuaire.domain.reglages import css_territoire
from annuaire.domain.texte import date_fr, pluriel
from annuaire.federation.importer import options_import
from annuaire.loading.liens import liens_sortants
from annuaire.outputs.carte import communes_carte, copier_bibliotheques, en_json, fichiers_carte
from annuaire.outputs.carte_communes import fichiers_communes
from annuaire.outputs.ecriture import ecrire_pickle, ecrire_si_change
from annuaire.outputs.exports import RapportExport, ecrire_exports
from annuaire.outputs.ouvertures import ecrire_ouvertures, lieux_numerotes
from annuaire.search.classement import ecrire_profils
from annuaire.site import gabarits
from annuaire.site.gabarits import OutilsGabarits
from annuaire.site.plan import Groupe, plan_du_site, robots_txt, sitemap_xml

PROGRES_TOUS_LES = 2000  # print progress every N pages on large directories
LIEUX_DONNEES_EN_PARALLELE = 1000  # from this size, open data and map data are written by a child
GABARITS_APRES_DONNEES = ("donnees.html",)  # pages that show the open-data files' report
GABARIT_FICHE = "lieu.html"  # the pages the search index reads

# Sent (keyword `sortie`: the build's folder) once every place sheet of a build that renders them
# all is written, while its other pages are still being rendered: build.py starts the search
# index then, so that Pagefind's last, single-threaded stage runs beside the lists' rendering.
fiches_ecrites = signals.signal("annuaire_fiches_ecrites")


class AnnuaireInvalide(Exception):
    """The directory has errors: the build stops and publishes nothing."""

    def __init__(self, problemes: list[Probleme]):
        super().__init__(f"{len(problemes)} erreur(s) dans les fiches")
        self.problemes = problemes


def _libelle(valeur: str, champ: str) -> str:
    """The template filter `libelle`: the plain words of a field's value (champs.libelle_valeur)."""
    return libelle_valeur(champ, valeur)


def aujourd_hui(settings: dict) -> dt.date:
    """The build's date: ANNUAIRE_DATE (for reproducible builds and tests) or today."""
    fixe = settings.get("ANNUAIRE_DATE")
    return dt.date.fromisoformat(fixe) if fixe else dt.date.today()


class AnnuaireGenerator(Generator):
    """Builds the directory in generate_context, renders its pages in generate_output."""

    def generate_context(self) -> None:
        """Load and validate every entry; stop the build on any error."""
        self.reglages = reglages_du_site(self.settings)
        self.jour = aujourd_hui(self.settings)
        contenu = Path(self.path)
        self.cache = racine_cache(self.settings)
        self.empreintes = EmpreintesLieux()  # each place's digest, from its entry file's key
        memo = MemoCalculs(self.cache, self.empreintes)
        calculs = Calculs(EntreesEnCache(self.cache, self.empreintes), memo)
        with sans_ramasse_miettes():
            annuaire = construire_annuaire(
                contenu, contenu.parent, self.jour, calculs, options_import(self.reglages)
            )
        memo.enregistrer()
        theme = Path(self.settings["THEME"])
        publiees = [*self.context.get("pages", []), *self.context.get("hidden_pages", [])]
        erreurs = annuaire.erreurs + adresses_en_conflit(publiees, contenu.parent)
        erreurs += liens_sortants(theme, theme.parent)  # Pelican copies theme/static as it finds it
        if erreurs:
            raise AnnuaireInvalide(erreurs)
        self.annuaire: Annuaire = annuaire
        self.context["annuaire"] = annuaire
        self.context["reglages"] = self.reglages
        self.context["routes"] = routes  # every URL of the site, for the templates (domain/routes.py)
        self.context["outils"] = OutilsGabarits(self.reglages.tuiles_url, self.jour)  # CSP, QR, print
        # `libelle`: a value's plain words, e.g. {{ service|libelle("services") }} (champs.libelle_valeur).
        filtres = {"date_fr": date_fr, "pluriel": pluriel, "slug": slugifier, "libelle": _libelle}
        self.env.filters.update(filtres)
        self.env.bytecode_cache = FileSystemBytecodeCache(str(self.dossier_gabarits_compiles()))

    def dossier_gabarits_compiles(self) -> Path:
        """Where compiled templates are kept between builds (compiling took a third of a second in
        each process): Jinja keys them by name and source, the folder by what else changes the
        compiled code: Jinja's and Pelican's versions, the Jinja settings, and the filters and tests
        with the arguments each one takes (compiled in), this package's code among them."""
        # What @pass_context & co. set on a function, read by the compiler (jinja2.utils._PassArg).
        espaces = (self.env.filters, self.env.tests)
        outils = [
            (nom, repr(getattr(f, "jinja_pass_arg", None)))
            for espace in espaces
            for nom, f in sorted(espace.items())
        ]
        jinja = (
            f"{metadata.version('jinja2')} {metadata.version('pelican')} {version_code()} "
            f"{sorted(self.settings.get('JINJA_ENVIRONMENT', {}).items())} {outils}"
        )
        cle = hashlib.sha256(jinja.encode()).hexdigest()[:16]
        dossier = self.cache / "jinja" / cle
        dossier.mkdir(parents=True, exist_ok=True)
        return dossier

    def generate_output(self, writer) -> None:
        """Write the open-data files and the map's data (in two child processes on large sites,
        while the pages are rendered), render every page of the plan, then the sitemap."""
        with memoire_partagee():  # the children forked below share the directory loaded so far
            self._generer(Path(self.output_path))

    def _generer(self, sortie: Path) -> None:
        """`generate_output`'s work."""
        exports = RapportExport()  # filled in by `attendre`, before the open-data page is rendered
        en_fond = len(self.annuaire.lieux) >= LIEUX_DONNEES_EN_PARALLELE
        memos = [self.memo_qr(sortie), self.memo_horaires(sortie)]
        self.context["outils"].vues = memos[1]  # the lists' one-line hours reuse the sheets' weeks
        donnees = lancer(lambda: self.ecrire_donnees(sortie), en_fond)
        carte = lancer(lambda: self.ecrire_carte(sortie, memos[1]), en_fond)
        pages = list(plan_du_site(self.annuaire, self.reglages, self.jour, exports, memos[1]))
        pages += pages_hors_ligne()  # "Mes lieux" and the offline page (build/hors_ligne.py)
        dessiner_avant_fork(pages)

        def attendre() -> None:
            vars(exports).update(vars(donnees.resultat()))
            carte.resultat()

        self.rendre(pages, sortie, memos, attendre)
        ecrire_si_change(sortie / "theme" / "css" / "territoire.css", css_territoire(self.reglages))
        # Manifest, icons, service worker (its id covers every file written so far): hors_ligne.py.
        ecrire_hors_ligne(sortie, self.settings, self.suivi.pages, version_rendu(self.settings))

    def ecrire_donnees(self, sortie: Path) -> RapportExport:
        """The open-data files (donnees/); the exports' report. Each place's texts are kept
        between builds (in one process: this runs beside the rendering)."""
        memo = MemoCalculs(self.cache, self.empreintes, en_parallele=False)
        rapport = ecrire_exports(
            self.annuaire.lieux,
            sortie / routes.DONNEES,
            self.reglages.url_publique,
            self.settings.get("ANNUAIRE_PRODUCTEUR", ""),
            self.reglages.territoire,
            memo,
        )
        memo.enregistrer()
        return rapport

    def memo_qr(self, sortie: Path) -> MemoFichier:
        """The sheets' QR codes kept from one build to the next (.cache/annuaire/ beside the output):
        each one took about 3 ms with a pure-Python encoder, 0.6 ms now. Keyed by URL, under the
        code version (memo.version_fonction)."""
        version = version_fonction(gabarits.qr_svg)
        memo = MemoFichier(self.cache / "qr.pickle", version, gabarits.qr_svg)
        self.context["outils"].qr = memo
        return memo

    def memo_horaires(self, sortie: Path) -> MemoFichier:
        """The hours views (week table and 60 days of badge data, about 1 ms per distinct text)
        kept between builds of the same day: keyed by text, under the code version and the build
        date (memo.version_fonction)."""
        return MemoFichier(
            self.cache / "horaires.pickle",
            version_fonction(horaires_osm.vue_horaires, self.jour),
            lambda texte: horaires_osm.vue_horaires(texte, self.jour),
        )

    def precedentes(self, version: str) -> dict[str, str]:
        """{page path: fingerprint} of the published pages this build may keep as they are: those of
        ANNUAIRE_PUBLIE (the output folder build.py will publish into) when its manifest is valid
        and the global inputs (`version`) are unchanged; none otherwise."""
        publie = self.settings.get("ANNUAIRE_PUBLIE")
        if not publie:
            return {}
        manifeste = Manifeste.lire(self.cache, Path(publie))
        return manifeste.reutilisable(version, Path(publie))

    def rendre(self, pages: list, sortie: Path, memos: list[MemoFichier], attendre) -> None:
        """Render pages with the theme's templates, skipping those kept from the last publication;
        then the sitemap. Notes what it did for build.py (SuiviRendu, in self.suivi).

        Large sites render in several processes (ANNUAIRE_PROCESSUS, default: the cores), forked
        once the whole plan is in memory; the files are the same whichever process writes them.
        The open-data page waits for the open-data files (`attendre`), written meanwhile by a
        child: it is rendered last, so nothing else waits. The sheets come first: when none is
        kept from the last publication, `fiches_ecrites` is sent as soon as they are all written.
        """
        debut = time.monotonic()
        apres = [p for p in pages if p.gabarit in GABARITS_APRES_DONNEES]
        # Sheets first; sheets with the same hours side by side: a process computes a text's view once.
        pages = sorted(
            (p for p in pages if p.gabarit not in GABARITS_APRES_DONNEES),
            key=lambda p: (p.gabarit != GABARIT_FICHE, p.partage),
        )
        processus = nombre_processus(self.settings.get("ANNUAIRE_PROCESSUS"), len(pages))
        version = version_rendu(self.settings)
        precedentes = self.precedentes(version)
        self.suivi = suivi = SuiviRendu(self.cache, precedentes, self.empreintes)
        fin = lambda rang: [p.ecrire_part(rang) for p in (*memos, suivi)]  # noqa: E731
        fiches = sum(1 for p in pages if p.gabarit == GABARIT_FICHE)
        jalon = None if precedentes else (fiches, lambda: fiches_ecrites.send(self, sortie=sortie))
        rendre = lambda i: self.rendre_page(pages[i], sortie, i + 1)  # noqa: E731
        ecrits = repartir(rendre, len(pages), processus, fin, jalon)
        suivi.fusionner(processus)
        for memo in memos:  # pages kept as published did not use their keys: keep those too
            memo.fusionner(processus, elaguer=not suivi.gardes)
        attendre()
        ecrits += sum(self.rendre_page(page, sortie, 0) for page in apres)
        pages += apres
        numeros = [lieu.slug for lieu in lieux_numerotes(self.annuaire.lieux)]  # "open now"'s numbers
        ecrire_pickle(self.cache / "rendu.pickle", (suivi.pages, suivi.gardes, version, numeros))
        urls = {p.url: p.date for p in pages if p.url or p.chemin == "index.html"}
        urls.update(dict.fromkeys(p.url for p in self.context.get("pages", [])))
        ecrire_si_change(sortie / "sitemap.xml", sitemap_xml(urls, self.reglages.url_publique, self.jour))
        ecrire_si_change(sortie / "robots.txt", robots_txt(self.reglages.url_publique))
        duree = time.monotonic() - debut
        print(
            f"Annuaire : {len(urls)} pages ({ecrits} écrites, {len(suivi.gardes)} gardées, "
            f"{processus} processus) en {duree:.1f} s",
            file=sys.stderr,
        )

    def rendre_page(self, page, sortie: Path, numero: int) -> int:
        """Render one page of the plan; 1 when its file was written (0: kept or unchanged)."""
        empreinte = self.suivi.empreinte(page.gabarit, page.cle_empreinte())
        if self.suivi.garder(page.chemin, empreinte):
            return 0
        html = self.get_template(page.gabarit.removesuffix(".html")).render(
            {**self.context, **page.donnees(), "page_url": page.url}
        )
        self.suivi.noter(page.chemin, empreinte)
        if numero and numero % PROGRES_TOUS_LES == 0:
            print(f"  … {numero} pages rendues", file=sys.stderr)
        return int(ecrire_si_change(sortie / page.chemin, html))

    def ecrire_carte(self, sortie: Path, vues_horaires: MemoFichier) -> None:
        """The map's data (donnees/carte.geojson, donnees/carte/, donnees/communes.json), its
        libraries and the days' open places ("Ouvert maintenant", from the hours views kept by
        earlier builds)."""
        lieux, noms_reseaux = self.annuaire.lieux, {r.slug: r.nom for r in self.annuaire.reseaux}
        connus = vues_horaires.connus  # kept by an earlier build today; else only what is needed

        def semaine(texte: str):
            vue = connus.get(texte)
            return vue.semaine if vue is not None else horaires_osm.semaine(texte.strip(), self.jour)

        def badge(texte: str) -> dict:
            vue = connus.get(texte)
            return vue.badge if vue is not None else horaires_osm.donnees_badge(texte.strip(), self.jour)

        for chemin, texte in fichiers_carte(lieux, noms_reseaux, semaine).items():
            ecrire_si_change(sortie / chemin, texte)
        ecrire_si_change(sortie / routes.CARTE_COMMUNES, en_json(communes_carte(lieux)))
        for nom, donnees in fichiers_communes(lieux, self.annuaire.referentiel).items():
            ecrire_si_change(sortie / routes.COMMUNES_RECHERCHE / nom, en_json(donnees))
        copier_bibliotheques(dossier_node_modules(self.settings), sortie)
        ecrire_ouvertures(lieux, sortie, self.jour, badge)
        ecrire_profils(lieux, sortie, self.jour)  # what the search page orders results by


def dessiner_avant_fork(pages: list) -> None:
    """Draw each group's small map now, before the rendering processes are forked: they share it;
    else each one would touch every place again to draw it (copy-on-write page faults: 2 s a
    process at 30,000 places, ten times the drawing itself)."""
    for page in pages:
        groupes = page.contexte.get("groupes", []) if isinstance(page.contexte, dict) else []
        groupe = page.contexte.get("groupe") if isinstance(page.contexte, dict) else None
        for g in (*groupes, groupe):
            if isinstance(g, Groupe):
                _ = g.carte


def liberer_pelican() -> None:
    """Let the directory go once Pelican has written everything, before the build waits for the
    search index. Pelican keeps every page it rendered in the caches of `Content.get_content` and
    `get_summary` (pelican.utils.memoized, class-level, never emptied), each page holds the shared
    context, and the context holds the directory: 30,000 places, their problems and the communes,
    about 0.5 GB at 30,000 places, counted beside Pagefind at the build's peak. The context's
    cycles need a collection (the one after gc.unfreeze would come late), then the C heap's free
    pages go back to the system (glibc's malloc_trim, where there is one)."""
    for attribut in vars(Content).values():
        if isinstance(attribut, memoized):
            attribut.cache.clear()
    gc.collect()
    libc = ctypes.util.find_library("c")
    rendre = getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None
    if rendre is not None:
        rendre(0)


def obtenir_generateurs(pelican_object):
    """Signal handler: add the directory's generator to Pelican's."""
    return AnnuaireGenerator


def connecter() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.get_generators.connect(obtenir_generateurs)
    signals.content_object_init.connect(assainir_page)
