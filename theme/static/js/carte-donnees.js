// The map's data and filters, without any DOM: decoding donnees/carte/ (written by
// plugins/annuaire/outputs/carte_tuiles.py), which files a view needs, which places match the
// chosen facet values, how many places each value would give, and the URL state.
// Places are numbered along a Z-order curve: every square of the tile grid is a run of numbers.
// A filter is a bitmap of numbers (Uint8Array); a group's count is the bitmap's population over its run.
// Within a facet, values add up (services A or B); across facets, they narrow (A and Gratuit).
// `ouverts` (a Set of place numbers, or null) is "Ouvert maintenant": it narrows like a facet.

const LAT_MAX = 85.0511;

/** Z-order code of a square (bits interleaved, y above x), as carte_tuiles.morton. */
export function morton(x, y, z) {
  let code = 0;
  for (let bit = z - 1; bit >= 0; bit--) code = code * 4 + ((y >>> bit) & 1) * 2 + ((x >>> bit) & 1);
  return code;
}

/** The codes [first, end) of the finest squares inside a square. */
export function plage(x, y, z, niveau) {
  const taille = 4 ** (niveau - z);
  const debut = morton(x, y, z) * taille;
  return [debut, debut + taille];
}

/** The Web Mercator tile [x, y] of a point at a zoom (as carte_tuiles.tuile). */
export function tuile(lat, lon, z) {
  const r = (Math.max(-LAT_MAX, Math.min(LAT_MAX, lat)) * Math.PI) / 180;
  const cote = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * cote);
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * cote);
  return [Math.min(Math.max(x, 0), cote - 1), Math.min(Math.max(y, 0), cote - 1)];
}

/** The bounds {sud, nord, ouest, est} of a tile. */
export function bornesTuile(x, y, z) {
  const cote = 2 ** z;
  const lat = (n) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * n) / cote))) * 180) / Math.PI;
  return { nord: lat(y), sud: lat(y + 1), ouest: (x / cote) * 360 - 180, est: ((x + 1) / cote) * 360 - 180 };
}

/** Decode donnees/carte/index.json. */
export function decoderIndex(json) {
  const [zoomMin, zoomDetail, ecartGroupe, ecartFichier] = json.zooms;
  const feuilles = json.feuilles.map(([z, x, y, debut, n]) => {
    const [c0, c1] = plage(x, y, z, json.niveau);
    return { z, x, y, debut, n, c0, c1, bornes: bornesTuile(x, y, z), nom: `${z}-${x}-${y}` };
  });
  const fichiers = json.fichiers.map((ecarts) => {
    let code = 0;
    return new Set(ecarts.map((e) => (code += e)));
  });
  return { n: json.nombre, niveau: json.niveau, zoomMin, zoomDetail, ecartGroupe, ecartFichier, feuilles, fichiers,
           facettes: json.facettes, genres: new Map(json.genres), cles: json.genres.map(([cle]) => cle),
           services: json.services };
}

/** The places of a leaf file: numbered from the leaf's first number. */
export function decoderLieux(donnees, feuille, json) {
  return json.lieux.map(([lat, lon, nom, adresse, cp, commune, url, g, services, statut], k) => ({
    i: feuille.debut + k, lat, lon, nom, adresse: adresse || "", cp: cp || "", commune: commune || "", url,
    genre: donnees.cles[g] || "autre", services: services.map((s) => donnees.services[s]), statut: statut || "",
  }));
}

/** Index of the first leaf whose codes end after `code` (binary search). */
function premiereFeuille(feuilles, code) {
  let [bas, haut] = [0, feuilles.length];
  while (bas < haut) {
    const milieu = (bas + haut) >> 1;
    if (feuilles[milieu].c1 <= code) bas = milieu + 1;
    else haut = milieu;
  }
  return bas;
}

/** The leaves (indexes) overlapping the codes [c0, c1). */
function feuillesEntre(feuilles, c0, c1) {
  const indexes = [];
  for (let i = premiereFeuille(feuilles, c0); i < feuilles.length && feuilles[i].c0 < c1; i++) indexes.push(i);
  return indexes;
}

/** Decode a group file of a map zoom: [{lat, lon, n, debut, fin}], each with its run of numbers. */
export function decoderGroupes(donnees, zoom, json) {
  const niveau = zoom + donnees.ecartGroupe;
  return json.groupes.map(([lat, lon, n, x, y, decalage]) => {
    const [c0, c1] = plage(x, y, niveau, donnees.niveau);
    const dedans = feuillesEntre(donnees.feuilles, c0, c1).map((i) => donnees.feuilles[i]);
    const debut = decalage >= 0 ? dedans[0].debut + decalage : dedans[0].debut;
    return { lat, lon, n, debut, fin: debut + n };
  });
}

/** True when two bounds overlap. */
export function chevauche(a, b) {
  return a.sud <= b.nord && a.nord >= b.sud && a.ouest <= b.est && a.est >= b.ouest;
}

/** The group files ("X-Y") of a map zoom that exist and cover `bornes` (at most `limite`). */
export function fichiersGroupes(donnees, zoom, bornes, limite = 16) {
  const niveau = Math.max(zoom - donnees.ecartFichier, 0);
  const presents = donnees.fichiers[zoom - donnees.zoomMin] || new Set();
  const [x0, y0] = tuile(bornes.nord, bornes.ouest, niveau);
  const [x1, y1] = tuile(bornes.sud, bornes.est, niveau);
  const noms = [];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1 && noms.length < limite; x++) if (presents.has(morton(x, y, niveau))) noms.push(`${x}-${y}`);
  }
  return noms;
}

/** The leaves (indexes) whose square overlaps `bornes`. */
export function feuillesDans(donnees, bornes) {
  return donnees.feuilles.flatMap((f, i) => (chevauche(f.bornes, bornes) ? [i] : []));
}

/** Runs [a, b, a, b…] of numbers from a facet file's encoding (runs of [gap, length] or "b" + base 64 bitmap). */
function runs(membres) {
  const sortie = [];
  if (typeof membres === "string") {
    const octets = atob(membres.slice(1));
    for (let n = 0; n < octets.length * 8; n++) {
      if (!((octets.charCodeAt(n >> 3) >> (n & 7)) & 1)) continue;
      if (sortie.length && sortie[sortie.length - 1] === n) sortie[sortie.length - 1] = n + 1;
      else sortie.push(n, n + 1);
    }
  } else {
    let fin = 0;
    for (let k = 0; k < membres.length; k += 2) {
      sortie.push(fin + membres[k], fin + membres[k] + membres[k + 1]);
      fin += membres[k] + membres[k + 1];
    }
  }
  return Uint32Array.from(sortie);
}

/** Decode a facet file: {valeurs: [text], runs: [Uint32Array]}. */
export function decoderFacette(json) {
  return { valeurs: json.valeurs, runs: json.membres.map(runs) };
}

/** The bitmap of the places matching `selection` (Map facet → Set of value indexes) and
 *  `ouverts`, leaving out facet `sauf`; null when nothing narrows. */
export function masque(donnees, facettes, selection, ouverts = null, sauf = "") {
  let resultat = null;
  for (const [cle, choisis] of selection) {
    if (cle === sauf || !choisis.size || !facettes.has(cle)) continue;
    const bits = new Uint8Array(donnees.n);
    for (const v of choisis) {
      const r = facettes.get(cle).runs[v] || [];
      for (let k = 0; k < r.length; k += 2) bits.fill(1, r[k], r[k + 1]);
    }
    resultat = resultat ? resultat.map((b, i) => b & bits[i]) : bits;
  }
  if (ouverts) {
    const bits = new Uint8Array(donnees.n);
    for (const n of ouverts) if (n < donnees.n) bits[n] = 1;
    resultat = resultat ? resultat.map((b, i) => b & bits[i]) : bits;
  }
  return resultat;
}

/** Prefix sums of a bitmap (null stays null): a run's count in constant time. */
export function prefixe(bits) {
  if (!bits) return null;
  const sommes = new Uint32Array(bits.length + 1);
  for (let i = 0; i < bits.length; i++) sommes[i + 1] = sommes[i] + bits[i];
  return sommes;
}

/** The number of matching places among the numbers [debut, fin). */
export function compte(sommes, debut, fin) {
  return sommes ? sommes[fin] - sommes[debut] : fin - debut;
}

/** For each loaded facet, each value's number of places with the other facets' choices kept. */
export function compter(donnees, facettes, selection, ouverts = null) {
  const comptes = new Map();
  for (const [cle, facette] of facettes) {
    const sommes = prefixe(masque(donnees, facettes, selection, ouverts, cle));
    comptes.set(cle, Uint32Array.from(facette.runs, (r) => {
      let n = 0;
      for (let k = 0; k < r.length; k += 2) n += compte(sommes, r[k], r[k + 1]);
      return n;
    }));
  }
  return comptes;
}

/** The facet keys named in the URL (their files are needed before filtering). */
export function facettesDeUrl(donnees, params) {
  return donnees.facettes.map(([cle]) => cle).filter((cle) => params.has(cle));
}

/** Chosen values read from the URL: Map(facet key → Set of value indexes). */
export function selectionDepuisUrl(donnees, facettes, params) {
  const selection = new Map();
  for (const cle of facettesDeUrl(donnees, params)) {
    const valeurs = facettes.get(cle)?.valeurs || [];
    const choisis = params.getAll(cle).map((v) => valeurs.indexOf(v)).filter((i) => i >= 0);
    if (choisis.length) selection.set(cle, new Set(choisis));
  }
  return selection;
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
export function versUrl(facettes, selection, vue, ouvert = false) {
  const params = new URLSearchParams();
  if (ouvert) params.set("ouvert", "maintenant");
  for (const [cle, choisis] of selection) {
    for (const i of [...choisis].sort((a, b) => a - b)) params.append(cle, facettes.get(cle).valeurs[i]);
  }
  if (vue) params.set("vue", `${vue.lat.toFixed(5)},${vue.lon.toFixed(5)},${vue.zoom}`);
  return params.toString();
}
