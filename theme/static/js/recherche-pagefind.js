// Pagefind, loaded from the site's own index (and its delta), and "Ouvert maintenant"'s data.
// Two Pagefind instances share the downloads, each in a web worker, so that neither the search
// nor the counts block the page (a phone's main thread stays free): `recherche` finds the results
// and loads only the filter lists of ticked facets (counting values over thousands of results is
// Pagefind's slowest step), `compteur` counts every facet's values. Pagefind falls back to the
// main thread by itself where a worker cannot start. After an incremental build a third
// instance, `delta`, searches the delta alone: it tells which results come from it, and what
// each part of the index matched (recherche-replis.js).
//
// Each instance has a worker of its own (pagefind.js imported once per instance, `?compteur`,
// `?delta`: each module starts its own worker). Instances of one worker share the filter lists
// one of them loads (Pagefind 1.6, measured two visits in three): `recherche` then counted every
// facet over every result, and a word on 27,000 of 30,000 sheets took 9 to 10 s to answer
// instead of 0.3 s. The files are the same URLs: downloaded once, then from the browser's cache.
import { filtresPagefind } from "./recherche-etat.js";
import { sansRetires } from "./recherche-comptes.js";
import { profilsDepuis, rangsDepuis } from "./recherche-ordre.js";
import { motsPagefind, racine } from "./recherche-racines.js";
import { ABSENT, TOUS, TROUVE, gardesDuMot, garderIndex, lireCorrespondance, reunirGardes }
  from "./recherche-replis.js";

/** The index's state (routes.etatRecherche): whether a delta is to be merged, and the main index's
 *  outdated results with their filter values. */
async function lireEtatIndex(base, routes) {
  try {
    const reponse = await fetch(`${base}${routes.etatRecherche}`);
    if (reponse.ok) return await reponse.json();
  } catch {
    // An older site without the file: the main index alone.
  }
  return { delta: false, retires: {} };
}

/** A JSON file of the site, or `defaut` when it is missing or unreadable. */
export async function lireJson(url, defaut) {
  try {
    const reponse = await fetch(url);
    if (reponse.ok) return await reponse.json();
  } catch {
    // An older site without the file.
  }
  return defaut;
}

/** The rank and the profile of each result id in the places' order (recherche-ordre.js); empty
 *  when unknown (results tied on their words then keep the order of their ids). */
async function lireRangs(base, routes) {
  const [liste, colonnes] = await Promise.all([
    lireJson(`${base}${routes.ouvertures}pagefind.json`, {}),
    lireJson(`${base}${routes.ouvertures}profils.json`, {}),
  ]);
  const ids = liste.ids || [];
  return { rangs: rangsDepuis(ids), profils: profilsDepuis(ids, colonnes) };
}

/** The places' positions by number ({lat, lon} or null), loaded once a visitor gives a position. */
export async function chargerPositions(base, routes) {
  const { lat = [], lon = [] } = await lireJson(`${base}${routes.ouvertures}positions.json`, {});
  return (numero) => (lat[numero] == null || lon[numero] == null ? null
    : { lat: lat[numero] / 10000, lon: lon[numero] / 10000 });
}

/** Load Pagefind: {recherche, compteur, delta (null without a delta), retires, rangs, profils,
 *  gardes (each text's kept indexes, see gardesPour), listesDelta (the delta's filter lists, once
 *  loaded)}, the results instance ready. */
export async function chargerPagefind(base, routes) {
  const script = `${base}${routes.index}pagefind.js`;
  const [module, moduleCompteur, etatIndex, { rangs, profils }] = await Promise.all([
    import(script), import(`${script}?compteur`), lireEtatIndex(base, routes), lireRangs(base, routes),
  ]);
  const options = { basePath: `${base}${routes.index}`, baseUrl: base, excerptLength: 24 };
  const delta = `${base}${routes.indexDelta}`;
  const index = {
    recherche: module.createInstance(options),
    compteur: moduleCompteur.createInstance(options),
    delta: null,
    retires: new Map(Object.entries(etatIndex.retires || {})),
    rangs,
    profils,
    gardes: new Map(),
    listesDelta: null,
  };
  if (etatIndex.delta) {
    await Promise.all([index.recherche, index.compteur].map((i) => i.mergeIndex(delta)));
    const moduleDelta = await import(`${script}?delta`);
    index.delta = moduleDelta.createInstance({ ...options, basePath: delta });
  }
  await index.recherche.init();
  return index;
}

/** The main index's part of a merged answer's results (outdated ones included): not the delta's. */
function duPrincipal(toutes, duDelta) {
  const ids = new Set(duDelta.results.map((r) => r.id));
  return toutes.results.filter((r) => !ids.has(r.id));
}

/** An index's first current result among `resultats`: ABSENT when it has none, null when its
 *  only results are outdated (what a clean build would match instead is unknown). */
function premierActuel(index, resultats) {
  const actuel = resultats.find((r) => !index.retires.has(r.id));
  return actuel || (resultats.length ? null : ABSENT);
}

/** Whether premierActuel found a current result. */
function trouve(premier) {
  return Boolean(premier) && premier !== ABSENT;
}

/** What an index matched for a word of stem `s`, read from one of its results. */
async function lire(resultat, s) {
  const donnees = await resultat.data();
  return lireCorrespondance(donnees.content, donnees.locations, s);
}

/** The indexes a clean build's single index would answer `mot` from (recherche-replis.js). When
 *  both hold the word's stem itself (an exact search, no download of results), both do; when one
 *  finds nothing or only outdated sheets, the rule needs no reading; else one result of each
 *  tells what it matched. */
async function gardesDuMotDans(index, mot) {
  const exacts = await Promise.all([index.delta, index.recherche].map((i) => i.search(`"${mot}"`)));
  const exactPrincipal = premierActuel(index, duPrincipal(exacts[1], exacts[0]));
  if (exacts[0].results.length && trouve(exactPrincipal)) return TOUS;
  const [delta, toutes] = await Promise.all([index.delta, index.recherche].map((i) => i.search(mot)));
  const premiers = [duPrincipal(toutes, delta), delta.results].map((r) => premierActuel(index, r));
  if (!premiers.every(trouve)) return gardesDuMot(...premiers.map((r) => (trouve(r) ? TROUVE : r)));
  const s = racine(mot);
  return gardesDuMot(...(await Promise.all(premiers.map((r) => lire(r, s)))));
}

/** {principal, delta}: which parts of the index answer the text `q` (both without a delta or
 *  without words, or when a part cannot say what it matched), computed once per text. */
function gardesPour(index, q) {
  const mots = motsPagefind(q || "");
  if (!index.delta || !mots.length) return TOUS;
  const cle = mots.join(" ");
  if (!index.gardes.has(cle)) {
    const parMot = Promise.all(mots.map((mot) => gardesDuMotDans(index, mot)));
    index.gardes.set(cle, parMot.then(reunirGardes, () => TOUS));
  }
  return index.gardes.get(cle);
}

/** A search with words (or none: filters only) and filters, with the instance `nom` ("recherche"
 *  or "compteur"): the results and filter counts of the parts of the index a clean build's single
 *  index would answer from. */
export async function chercherDans(index, nom, q, filtres) {
  const [toutes, gardes] = await Promise.all([
    index[nom].search(q || null, { filters: filtres }), gardesPour(index, q),
  ]);
  if (gardes.principal && gardes.delta) return toutes;
  // Pagefind counts only the facets whose lists it has loaded (compteur loads them all): the
  // delta's are loaded too before counting its part.
  if (nom === "compteur") await (index.listesDelta ||= index.delta.filters());
  const duDelta = await index.delta.search(q || null, { filters: filtres });
  return garderIndex(toutes, duDelta, gardes);
}

/** Counts per facet value for `etat` (a facet with ticked values ignores its own ticks); null
 *  when `estCourant()` says a newer search took over meanwhile. */
export async function compterFacettes(index, etat, estCourant) {
  const toutes = await chercherDans(index, "compteur", etat.q, filtresPagefind(etat.filtres));
  const comptes = sansRetires(toutes.filters, index.retires, toutes.results);
  for (const cle of Object.keys(etat.filtres)) {
    if (!estCourant()) return null;
    const sans = await chercherDans(index, "compteur", etat.q, filtresPagefind(etat.filtres, cle));
    comptes[cle] = sansRetires(sans.filters, index.retires, sans.results)[cle] || {};
  }
  return estCourant() ? comptes : null;
}

/** The open places' loader: ouvertures.js imported on first use, then {ids, heure} of today's
 *  file, or null when the site has none for today (or the module cannot load). */
export function chargerOuvertures(base, routes) {
  return import(`${base}theme/js/ouvertures.js`)
    .then((module) => module.creerOuvertures(`${base}${routes.ouvertures}`, true))
    .catch(() => ({ maintenant: async () => null }));
}
