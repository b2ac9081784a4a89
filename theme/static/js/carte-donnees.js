// The map's data and filters, without any DOM: decoding donnees/carte.geojson, which places
// match the chosen facet values, how many places each value would give, and the URL state.
// Within a facet, values add up (services A or B); across facets, they narrow (A and Gratuit).
// `ouverts` (a Set of place indexes, or null) is "Ouvert maintenant": it narrows like a facet.

/** Decode the compact GeoJSON written by plugins/annuaire/carte.py. */
export function decoder(geojson) {
  const genres = geojson.genres.map(([cle]) => cle);
  const valeurs = geojson.valeurs.map(([facette, valeur]) => ({ facette, valeur }));
  const lieux = geojson.features.map((feature, i) => {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    return { i, lat, lon, nom: p.n, adresse: p.a || "", cp: p.cp || "", url: p.u,
             genre: genres[p.g] || "autre", f: p.f, statut: p.s || "" };
  });
  return { lieux, valeurs, facettes: geojson.facettes, genres: new Map(geojson.genres) };
}

/** Values of one facet for a place (e.g. its services), as text. */
export function valeursDe(donnees, lieu, facette) {
  return lieu.f.filter((i) => donnees.valeurs[i].facette === facette)
    .map((i) => donnees.valeurs[i].valeur);
}

/** Chosen values read from the URL: Map(facet key → Set of value indexes). */
export function selectionDepuisUrl(donnees, params) {
  const index = new Map(donnees.valeurs.map((v, i) => [`${v.facette}\u0000${v.valeur}`, i]));
  const selection = new Map();
  for (const [facette] of donnees.facettes) {
    const choisis = params.getAll(facette).map((v) => index.get(`${facette}\u0000${v}`))
      .filter((i) => i !== undefined);
    if (choisis.length) selection.set(facette, new Set(choisis));
  }
  return selection;
}

/** Facets a place fails, among those with chosen values. */
function facettesRatees(lieu, selection) {
  const ratees = [];
  for (const [facette, choisis] of selection) {
    if (choisis.size && !lieu.f.some((i) => choisis.has(i))) ratees.push(facette);
  }
  return ratees;
}

/** The places matching every facet with chosen values (and open, with `ouverts`). */
export function filtrer(donnees, selection, ouverts = null) {
  const lieux = ouverts ? donnees.lieux.filter((lieu) => ouverts.has(lieu.i)) : donnees.lieux;
  if (![...selection.values()].some((choisis) => choisis.size)) return lieux;
  return lieux.filter((lieu) => facettesRatees(lieu, selection).length === 0);
}

/** For each value, the number of places it would give with the other facets' choices kept. */
export function compter(donnees, selection, ouverts = null) {
  const comptes = new Uint32Array(donnees.valeurs.length);
  for (const lieu of donnees.lieux) {
    if (ouverts && !ouverts.has(lieu.i)) continue;
    const ratees = facettesRatees(lieu, selection);
    if (ratees.length > 1) continue;
    for (const i of lieu.f) {
      if (!ratees.length || donnees.valeurs[i].facette === ratees[0]) comptes[i] += 1;
    }
  }
  return comptes;
}

/** The view read from `vue=lat,lon,zoom`, or null when absent or invalid. */
export function vueDepuisUrl(params) {
  const morceaux = (params.get("vue") || "").split(",").map(Number);
  if (morceaux.length !== 3 || morceaux.some((n) => !Number.isFinite(n))) return null;
  const [lat, lon, zoom] = morceaux;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || zoom < 0 || zoom > 19) return null;
  return { lat, lon, zoom };
}

/** The query string of a state: chosen values (same names as the search page) and the view. */
export function versUrl(donnees, selection, vue, ouvert = false) {
  const params = new URLSearchParams();
  if (ouvert) params.set("ouvert", "maintenant");
  for (const [facette, choisis] of selection) {
    for (const i of [...choisis].sort((a, b) => a - b)) params.append(facette, donnees.valeurs[i].valeur);
  }
  if (vue) params.set("vue", `${vue.lat.toFixed(5)},${vue.lon.toFixed(5)},${vue.zoom}`);
  return params.toString();
}
