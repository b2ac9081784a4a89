// Pagefind, loaded from the site's own index (and its delta), and "Ouvert maintenant"'s data.
// Two Pagefind instances share the downloads: `recherche` finds the results on the main thread
// and loads only the filter lists of ticked facets (counting values over thousands of results is
// Pagefind's slowest step), `compteur` counts every facet's values in Pagefind's web worker.
import { filtresPagefind } from "./recherche-etat.js";
import { sansRetires } from "./recherche-comptes.js";
import { rangsDepuis } from "./recherche-ordre.js";

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

/** The rank of each result id in the places' order (recherche-ordre.js); empty when unknown. */
async function lireRangs(base, routes) {
  try {
    const reponse = await fetch(`${base}${routes.ouvertures}pagefind.json`);
    if (reponse.ok) return rangsDepuis((await reponse.json()).ids || []);
  } catch {
    // No list: results tied on their words keep the order of their ids.
  }
  return new Map();
}

/** Load Pagefind: {recherche, compteur, retires, rangs}, the results instance ready. */
export async function chargerPagefind(base, routes) {
  const [module, etatIndex, rangs] = await Promise.all([
    import(`${base}${routes.index}pagefind.js`), lireEtatIndex(base, routes), lireRangs(base, routes),
  ]);
  const options = { basePath: `${base}${routes.index}`, baseUrl: base, excerptLength: 24 };
  const index = {
    recherche: module.createInstance({ ...options, noWorker: true }),
    compteur: module.createInstance(options),
    retires: new Map(Object.entries(etatIndex.retires || {})),
    rangs,
  };
  if (etatIndex.delta) {
    await Promise.all([index.recherche, index.compteur].map((i) => i.mergeIndex(`${base}${routes.indexDelta}`)));
  }
  await index.recherche.init();
  return index;
}

/** A search with words (or none: filters only) and filters. */
export function chercherDans(instance, q, filtres) {
  return instance.search(q || null, { filters: filtres });
}

/** Counts per facet value for `etat` (a facet with ticked values ignores its own ticks); null
 *  when `estCourant()` says a newer search took over meanwhile. */
export async function compterFacettes(index, etat, estCourant) {
  const toutes = await chercherDans(index.compteur, etat.q, filtresPagefind(etat.filtres));
  const comptes = sansRetires(toutes.filters, index.retires, toutes.results);
  for (const cle of Object.keys(etat.filtres)) {
    if (!estCourant()) return null;
    const sans = await chercherDans(index.compteur, etat.q, filtresPagefind(etat.filtres, cle));
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
