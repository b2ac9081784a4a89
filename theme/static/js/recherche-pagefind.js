// Pagefind, loaded from the site's own index (and its delta), and "Ouvert maintenant"'s data.
// Two Pagefind instances share the downloads and Pagefind's one web worker (Pagefind 1.5), so
// that neither the search nor the counts block the page (a phone's main thread stays free):
// `recherche` finds the results and loads only the filter lists of ticked facets (counting
// values over thousands of results is Pagefind's slowest step), `compteur` counts every facet's
// values. Pagefind falls back to the main thread by itself where a worker cannot start.
import { filtresPagefind } from "./recherche-etat.js";
import { sansRetires } from "./recherche-comptes.js";
import { profilsDepuis, rangsDepuis } from "./recherche-ordre.js";

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

/** Load Pagefind: {recherche, compteur, retires, rangs, profils}, the results instance ready. */
export async function chargerPagefind(base, routes) {
  const [module, etatIndex, { rangs, profils }] = await Promise.all([
    import(`${base}${routes.index}pagefind.js`), lireEtatIndex(base, routes), lireRangs(base, routes),
  ]);
  const options = { basePath: `${base}${routes.index}`, baseUrl: base, excerptLength: 24 };
  const index = {
    recherche: module.createInstance(options),
    compteur: module.createInstance(options),
    retires: new Map(Object.entries(etatIndex.retires || {})),
    rangs,
    profils,
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
