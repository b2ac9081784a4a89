// Search page: Pagefind's JavaScript API, facets with counts, the state in the URL.
//
// The index (routes.index at the site's root, honouring SITEURL) is loaded with a dynamic import;
// the browser then downloads only the index chunks, filter lists and result fragments a query
// needs (recherche-pagefind.js). The state lives in the URL (?q=…&services=…&commune=…,
// recherche-etat.js): a search can be shared or bookmarked, and back/forward restore it. Facet
// counts come after the first results are on the page (recherche-comptes.js for the data,
// recherche-facettes.js for the boxes). "Ouvert maintenant" (?ouvert=maintenant) is not a Pagefind
// filter, since it depends on the instant: the results are narrowed in the browser with today's
// file of open places (ouvertures.js, imported only then). Without JavaScript the page keeps its
// links to the lists. What is typed goes through recherche-ordre.js first: the everyday words of
// domain/besoins.yaml (written into the page as JSON) say which needs are meant, and the results
// are ordered by the places' profiles, not by Pagefind's scores.
//
// No module-level state: `demarrer` reads the page once (`page`: its elements, base path and URL
// scheme) and makes the search's state (`session`); both are passed to every function.
import { cheminBase, routesDe } from "./partage-dom.js";
import { etatDepuisUrl, filtresPagefind, phraseCompte, requeteDepuisEtat, rienDemande, sansRecherche }
  from "./recherche-etat.js";
import { actuels, ordreValeurs, plusGrands, sansRetires } from "./recherche-comptes.js";
import { analyserRequete, indexCommunes, ranger, reunir } from "./recherche-ordre.js";
import { chargerOuvertures, chargerPagefind, chargerPositions, chercherDans, compterFacettes, lireJson }
  from "./recherche-pagefind.js";
import { dessinerFacettes, dessinerOuverture, etatDeLaPage } from "./recherche-facettes.js";
import { carteResultat, majDistances } from "./recherche-resultats.js";

const PAR_PAGE = 10; // result cards loaded at a time
const ATTENTE_SAISIE = 50; // ms of quiet typing before searching (index chunks preload meanwhile)
const ECRAN_LARGE = "(min-width: 48rem)"; // facets open beside the results; folded above them on phones
const ATTENTE_COMPTES = 250; // ms without a new search before counting (counting can take seconds)

/** The JSON written into the page by its template (`id`), or `defaut`. */
function lireDonnees(id, defaut) {
  const script = document.getElementById(id);
  return script ? JSON.parse(script.textContent) : defaut;
}

/** The page's elements, its base path, the site's URL scheme, the everyday words
 *  (domain/besoins.yaml) and the facet values' plain words. */
function lirePage() {
  const racine = document.getElementById("recherche");
  const fieldsets = [...document.querySelectorAll("fieldset[data-facette]")];
  const ouverture = document.querySelector("fieldset[data-ouverture]");
  return {
    racine, fieldsets, ouverture,
    cles: fieldsets.map((f) => f.dataset.facette),
    champ: document.getElementById("q"),
    compte: document.getElementById("compte"),
    liste: document.getElementById("liste-resultats"),
    boutonPlus: document.getElementById("plus-resultats"),
    boutonEffacer: document.getElementById("effacer-filtres"),
    caseOuvert: ouverture.querySelector("input"),
    base: cheminBase(racine.dataset.base),
    routes: routesDe(racine),
    mots: lireDonnees("recherche-mots", { expressions: {}, vides: [] }),
    libelles: lireDonnees("recherche-libelles", {}),
    communes: racine.dataset.communes,
    // An embedded list (/integrer/liste/) shows every place before anyone types: a visitor of the
    // host site sees places, not an empty box.
    toutParDefaut: document.body.classList.contains("integre"),
  };
}

/** The words given to Pagefind for what was typed, the needs they mean and the commune typed
 *  (recherche-ordre.js; communes known once `communesPour` has loaded them). */
function sensDe(page, q, communes = null) {
  return analyserRequete(q, page.mots, communes);
}

/** The communes' centres, loaded (once: about 55 KB at 5,000 places) when a query holds at least
 *  two words besides the everyday ones, the only case a commune changes the search; null before. */
async function communesPour(page, session, q) {
  if (!session.communes && (sensDe(page, q).texte || "").split(" ").length > 1) {
    session.communes = lireJson(page.communes, { champs: [], communes: [] }).then(indexCommunes);
  }
  return session.communes;
}

/** A new search state: Pagefind's instances, counts, results shown, the latest search's number. */
function nouvelleSession() {
  return {
    index: null, totaux: null, comptes: {}, ordres: {}, deplies: new Set(),
    resultats: [], tous: [], affiches: 0,
    numero: 0, minuterie: 0, saisie: false, position: null, positions: null, communes: null, horaires: null,
    ouvertures: null,
  };
}

// --- State and URL ------------------------------------------------------------------------------

/** Record the state in the history: a new entry, or the current one while the user types. */
function memoriser(page, etat, remplacer) {
  const url = `${window.location.pathname}${requeteDepuisEtat(etat, page.cles)}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (remplacer) window.history.replaceState(etat, "", url);
  else window.history.pushState(etat, "", url);
}

// --- Counts -------------------------------------------------------------------------------------

/** Redraw the facets with their counts for `etat`, once every facet's values are known. */
async function mettreAJourComptes(page, session, etat, numero) {
  if (!session.totaux) return;
  await new Promise((fin) => { window.setTimeout(fin, ATTENTE_COMPTES); });
  if (numero !== session.numero) return;
  const { groupes } = sensDe(page, etat.q, await session.communes);
  const estCourant = () => numero === session.numero;
  const comptes = sansRecherche(etat) ? session.totaux : plusGrands(await Promise.all(
    groupes.map((q) => compterFacettes(session.index, { ...etat, q: q || "" }, estCourant))));
  if (!estCourant()) return;
  dessinerFacettes(page, session, comptes, etat);
  await compterOuverts(page, session, etat, numero);
  page.racine.dataset.comptes = "";
}

/** In the background: every facet's values and totals, then the counts of the current search. */
async function chargerComptes(page, session) {
  try {
    session.totaux = sansRetires(await session.index.compteur.filters(), session.index.retires);
  } catch (erreur) {
    console.warn("Filtres indisponibles :", erreur);
    return;
  }
  for (const fieldset of page.fieldsets) {
    const cle = fieldset.dataset.facette;
    session.ordres[cle] = ordreValeurs(session.totaux[cle] || {}, (fieldset.dataset.ordre || "").split("|"));
  }
  await mettreAJourComptes(page, session, etatDeLaPage(page), session.numero);
}

// --- "Ouvert maintenant" ------------------------------------------------------------------------

/** The places open now ({ids, heure}), from today's file; null when the site has none for today. */
async function ouvertsMaintenant(page, session) {
  session.ouvertures ||= chargerOuvertures(page.base, page.routes);
  return (await session.ouvertures).maintenant();
}

/** Count the open places among the current search's results (all places when nothing is asked).
 *  The data (about 200 KB on a national directory) is loaded only once the box is first ticked. */
async function compterOuverts(page, session, etat, numero) {
  if (!etat.ouvert && !session.ouvertures) return dessinerOuverture(page, etat, undefined, null);
  const ouverts = await ouvertsMaintenant(page, session);
  if (numero !== session.numero) return;
  const tous = sansRecherche(etat);
  const nombre = !ouverts ? null : tous ? ouverts.ids.size : session.tous.filter((r) => ouverts.ids.has(r.id)).length;
  dessinerOuverture(page, etat, ouverts, nombre);
}

// --- Result cards -------------------------------------------------------------------------------

/** The sheets' own opening-hours badge script (preloaded by the page), or null when it cannot
 *  load: the cards then simply show no opening status. */
async function scriptBadges(page, session) {
  session.horaires ||= import(`${page.base}theme/js/horaires.js`).catch(() => null);
  return session.horaires;
}

/** Load and show the next page of cards, each as soon as it (and those before it) arrived;
 *  returns false when a newer search took over. */
async function afficherSuite(page, session, numero, focaliser) {
  const tranche = session.resultats.slice(session.affiches, session.affiches + PAR_PAGE);
  session.affiches += tranche.length;
  const chargements = tranche.map((r) => r.data());
  // A card is shown with its badge already filled: filled later, the badge's line would push
  // everything below it down (a layout shift on a slow phone).
  const badges = await scriptBadges(page, session);
  for (const [rang, chargement] of chargements.entries()) {
    const donnees = await chargement;
    if (numero !== session.numero) return false;
    const nouvelle = carteResultat(donnees, session.position, page.libelles.services);
    badges?.afficherBadges(nouvelle);
    page.liste.append(nouvelle);
    if (focaliser && rang === 0) nouvelle.querySelector("a").focus();
  }
  page.boutonPlus.hidden = session.affiches >= session.resultats.length;
  return true;
}

// --- Running a search ---------------------------------------------------------------------------

/** Nothing asked yet: every facet with its totals, no results. */
function etatVide(page, session, etat) {
  session.resultats = [];
  session.tous = [];
  page.liste.replaceChildren();
  page.boutonPlus.hidden = true;
  dessinerFacettes(page, session, session.totaux || {}, etat);
  if (session.totaux) page.racine.dataset.comptes = "";
  compterOuverts(page, session, etat, session.numero);
  page.compte.textContent = "Tapez un mot ou cochez un filtre pour voir les lieux.";
}

/** The results of `etat` (narrowed to the open places when asked): shown from the first card. */
async function trouver(page, session, etat, numero) {
  const sens = sensDe(page, etat.q, await communesPour(page, session, etat.q));
  if (sens.lieu) session.positions ||= await chargerPositions(page.base, page.routes);
  if (numero !== session.numero) return false;
  const filtres = filtresPagefind(etat.filtres);
  const recherches = Promise.all(sens.groupes.map((q) => chercherDans(session.index, "recherche", q, filtres)));
  const ouverts = etat.ouvert ? await ouvertsMaintenant(page, session) : null;
  const principale = { results: reunir((await recherches).map((r) => r.results)) };
  if (numero !== session.numero) return false;
  const contexte = { profils: session.index.profils, sens, position: session.position, positions: session.positions };
  session.tous = ranger(actuels(principale.results, session.index.retires), session.index.rangs, contexte);
  session.resultats = ouverts ? session.tous.filter((r) => ouverts.ids.has(r.id)) : session.tous;
  if (etat.ouvert) dessinerOuverture(page, etat, ouverts, ouverts ? session.resultats.length : null);
  session.affiches = 0;
  page.liste.replaceChildren();
  return true;
}

/** Run the search of `etat` and show its count, facets and first cards. */
async function lancer(page, session, etat) {
  const numero = ++session.numero;
  delete page.racine.dataset.comptes;
  if (rienDemande(etat) && !page.toutParDefaut) return etatVide(page, session, etat);
  page.racine.setAttribute("aria-busy", "true");
  if (!(await trouver(page, session, etat, numero))) return;
  if (await afficherSuite(page, session, numero, false)) {
    page.compte.textContent = phraseCompte(session.resultats.length, etat);
    page.racine.removeAttribute("aria-busy");
    await mettreAJourComptes(page, session, etat, numero);
  }
}

/** Put a state on the page (input and boxes) and run it: page load and back/forward. */
function appliquer(page, session, etat) {
  page.champ.value = etat.q;
  const entete = document.getElementById("q-entete");
  if (entete) entete.value = etat.q;
  dessinerFacettes(page, session, session.comptes, etat);
  page.caseOuvert.checked = etat.ouvert;
  if (etat.ouvert) page.ouverture.hidden = false;
  return lancer(page, session, etat);
}

// --- Events -------------------------------------------------------------------------------------

/** Typing: preload the index chunks at once, search after a short pause, one history entry. */
function surSaisie(page, session) {
  const q = page.champ.value.trim();
  if (q) session.index.recherche.preload(sensDe(page, q).texte || q);
  window.clearTimeout(session.minuterie);
  session.minuterie = window.setTimeout(() => {
    const etat = etatDeLaPage(page);
    memoriser(page, etat, session.saisie);
    session.saisie = true;
    lancer(page, session, etat);
  }, ATTENTE_SAISIE);
}

/** A submitted form (this page's or the header's): search now, as a new history entry. */
function surEnvoi(page, session, evenement) {
  evenement.preventDefault();
  const saisi = evenement.target.querySelector("input[name=q]");
  if (saisi !== page.champ) page.champ.value = saisi.value;
  window.clearTimeout(session.minuterie);
  const etat = etatDeLaPage(page);
  memoriser(page, etat, session.saisie);
  session.saisie = false;
  lancer(page, session, etat);
}

/** A ticked or unticked box: a new history entry, then the search. */
function surFiltre(page, session, evenement) {
  if (evenement.target.type !== "checkbox") return;
  const etat = etatDeLaPage(page);
  session.saisie = false;
  memoriser(page, etat, false);
  lancer(page, session, etat);
}

/** "Afficher plus de choix" of one facet. */
function surPlusDeChoix(page, session, evenement) {
  const bouton = evenement.target.closest(".facette-plus");
  if (!bouton) return;
  const cle = bouton.closest("fieldset").dataset.facette;
  if (session.deplies.has(cle)) session.deplies.delete(cle);
  else session.deplies.add(cle);
  dessinerFacettes(page, session, session.comptes, etatDeLaPage(page));
}

/** "Effacer les filtres": untick every box, keep the words. */
function surEffacer(page, session, filtres) {
  const etat = { q: page.champ.value.trim(), filtres: {}, ouvert: false };
  for (const boite of filtres.querySelectorAll("input:checked")) boite.checked = false;
  memoriser(page, etat, false);
  lancer(page, session, etat);
}

/** "Afficher la distance": ask the browser for the position, then show the nearest places first
 *  (the places' positions are downloaded only now) with their distance. */
function surPosition(page, session, evenement) {
  const bouton = evenement.target;
  bouton.disabled = true;
  navigator.geolocation.getCurrentPosition(async (p) => {
    session.positions ||= await chargerPositions(page.base, page.routes);
    session.position = { lat: p.coords.latitude, lon: p.coords.longitude };
    majDistances(page.liste, session.position);
    bouton.textContent = "Lieux les plus proches en premier, distances depuis votre position";
    lancer(page, session, etatDeLaPage(page));
  }, () => {
    bouton.disabled = false;
    bouton.textContent = "Position non disponible : réessayer";
  }, { timeout: 10000, maximumAge: 600000 });
}

/** Wire the page's controls. */
function brancher(page, session) {
  const avec = (gestion) => (evenement) => gestion(page, session, evenement);
  page.champ.addEventListener("input", avec(surSaisie));
  page.champ.addEventListener("focus", () => { session.saisie = false; });
  document.getElementById("formulaire-recherche").addEventListener("submit", avec(surEnvoi));
  document.querySelector(".recherche-entete")?.addEventListener("submit", avec(surEnvoi));
  const filtres = document.getElementById("filtres");
  filtres.addEventListener("change", avec(surFiltre));
  filtres.addEventListener("click", avec(surPlusDeChoix));
  page.boutonEffacer.addEventListener("click", () => surEffacer(page, session, filtres));
  page.boutonPlus.addEventListener("click", () => afficherSuite(page, session, session.numero, true));
  const position = document.getElementById("position");
  position.hidden = !navigator.geolocation;
  position.addEventListener("click", avec(surPosition));
  window.addEventListener("popstate", () => {
    session.saisie = false;
    appliquer(page, session, etatDepuisUrl(window.location.search, page.cles));
  });
}

/** Pagefind could not load: say so, the lists' links stay. */
function indisponible(page, erreur) {
  page.compte.textContent = "";
  document.querySelector("[data-avec-js]").hidden = true;
  document.querySelector("[data-sans-js]").textContent =
    "La recherche n'est pas disponible pour le moment. Parcourez les listes :";
  console.warn("Recherche indisponible :", erreur);
}

/** Start: load Pagefind, show the JavaScript part of the page, apply the URL's state. */
async function demarrer() {
  const page = lirePage();
  const session = nouvelleSession();
  try {
    session.index = await chargerPagefind(page.base, page.routes);
  } catch (erreur) {
    return indisponible(page, erreur);
  }
  document.querySelector("[data-avec-js]").hidden = false;
  document.querySelector("[data-sans-js]").hidden = true;
  const repli = document.getElementById("repli-filtres");
  repli.open = window.matchMedia(ECRAN_LARGE).matches;
  brancher(page, session);
  await appliquer(page, session, etatDepuisUrl(window.location.search, page.cles));
  page.racine.dataset.pret = "";
  // The facet counts need every filter list (about 600 KB on a national directory): a phone, where
  // the filters start folded, downloads them only if its visitor opens them.
  if (repli.open) chargerComptes(page, session);
  else repli.addEventListener("toggle", () => chargerComptes(page, session), { once: true });
}

demarrer();
