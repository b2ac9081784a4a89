// The words sent to Pagefind and the order of the results, as plain data (no DOM): the same for a
// clean build's single index and for an incremental build's main index + delta
// (build/index_incremental.py).
//
// Pagefind ranks each index with its own statistics (BM25: the number of pages, the pages holding
// each word, the average page length; pagefind_web/src/search.rs), so the scores of the small
// delta and of the main index cannot be compared, and neither equals a clean build's. The page
// therefore orders results by what a sheet holds whichever index it is in, using each place's
// profile (donnees/ouvertures/profils.json, written by search/classement.py):
//   1. the place whose whole name was typed (its name's words are the sheet's first indexed words);
//   2. the places meeting most of the needs the words mean (a service, a public, a national
//      programme), by the everyday words of domain/besoins.yaml (given to the page as JSON);
//   3. when the words mean no need: the places whose name holds a typed word;
//   4. with a position, the nearest first (places without a position after): the centre of a
//      commune (or postcode) typed with other words, else the visitor's own, when given;
//   5. open, complete and fresh sheets first (the profile's `qualite`), then the most recent;
//   6. the number of places where the words are found in the sheet (Pagefind's `words`);
//   7. then the places' own order (donnees/ouvertures/pagefind.json), then the result id.

import { distanceKm } from "./partage-geo.js";

const LONGUEUR_MAX = 5; // words of the longest everyday phrase looked for

/** Lower case, without accents, words separated by one space (as domain/besoins.normaliser). */
export function normaliser(texte) {
  return texte.normalize("NFKD").toLowerCase().replace(/[\u0300-\u036f]/g, "")
    .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/[^0-9a-z]+/g, " ").trim();
}

/** The longest everyday phrase of `mots.expressions` starting at token `i`: [length, [services,
 *  publics]], or [0, null]. */
function expressionA(jetons, i, expressions) {
  for (let n = Math.min(LONGUEUR_MAX, jetons.length - i); n > 0; n -= 1) {
    const sens = expressions[jetons.slice(i, i + n).join(" ")];
    if (sens) return [n, sens];
  }
  return [0, null];
}

/** {normalised commune name or postcode: its centre {lat, lon}} from donnees/communes.json
 *  ({champs, communes: rows}; a name with several postcodes: the mean of their centres). */
export function indexCommunes(donnees) {
  const [nom, cp, lat, lon] = ["nom", "code_postal", "latitude", "longitude"].map((c) => donnees.champs.indexOf(c));
  const sommes = new Map();
  for (const ligne of donnees.communes || []) {
    for (const cle of new Set([normaliser(ligne[nom] || ""), ligne[cp] || ""])) {
      const somme = sommes.get(cle) || { lat: 0, lon: 0, n: 0 };
      sommes.set(cle, { lat: somme.lat + ligne[lat], lon: somme.lon + ligne[lon], n: somme.n + 1 });
    }
  }
  sommes.delete("");
  return new Map([...sommes].map(([cle, s]) => [cle, { lat: s.lat / s.n, lon: s.lon / s.n }]));
}

/** The longest commune (or postcode) of `communes` found in `jetons`: {debut, longueur, centre},
 *  or null. */
function communeDans(jetons, communes) {
  for (let n = Math.min(LONGUEUR_MAX, jetons.length); n > 0; n -= 1) {
    for (let i = 0; i + n <= jetons.length; i += 1) {
      const centre = communes.get(jetons.slice(i, i + n).join(" "));
      if (centre) return { debut: i, longueur: n, centre };
    }
  }
  return null;
}

/** The position of a commune typed among other words in `jetons` ([{mot, besoin}]: the besoin's
 *  number for an everyday phrase's word, -1 for another word): [the words without it, its centre],
 *  or [jetons, null]. The commune then orders results instead of being looked for in the text. */
function sansCommune(jetons, communes) {
  const autres = jetons.filter((j) => j.besoin < 0).map((j) => j.mot);
  const trouvee = communes?.size && jetons.length > 1 ? communeDans(autres, communes) : null;
  if (!trouvee) return [jetons, null];
  const noms = new Set(autres.slice(trouvee.debut, trouvee.debut + trouvee.longueur));
  const reste = jetons.filter((j) => j.besoin >= 0 || !noms.has(j.mot));
  return [reste.length ? reste : jetons, trouvee.centre];
}

/** The texts to search: one for the whole query, or with two needs or more ("scanner mes papiers")
 *  one per need, each with the other words, so that a place meeting one need is found too (the
 *  ordering puts first those meeting most). */
function groupesDe(jetons, besoins) {
  const texte = (garder) => jetons.filter(garder).map((j) => j.mot).join(" ");
  if (besoins < 2) return [texte(() => true)];
  return Array.from({ length: besoins }, (_, n) => texte((j) => j.besoin < 0 || j.besoin === n));
}

/** What typed words mean: {texte: the words to give Pagefind (null for none), groupes: the texts
 *  to search (see groupesDe), services, publics and dispositifs: bit masks of the needs found,
 *  besoins: how many, lieu: the centre of a commune typed ({lat, lon} or null)}. `mots`:
 *  {expressions, vides}; `communes`: indexCommunes's map. */
export function analyserRequete(q, mots = { expressions: {}, vides: [] }, communes = null) {
  const jetons = normaliser(q || "").split(" ").filter(Boolean);
  const vides = new Set(mots.vides);
  const gardes = [];
  const sens = { services: 0, publics: 0, dispositifs: 0, besoins: 0 };
  for (let i = 0; i < jetons.length;) {
    const [longueur, valeurs] = expressionA(jetons, i, mots.expressions);
    const pris = jetons.slice(i, i + (longueur || 1));
    if (valeurs) {
      sens.services |= valeurs[0].reduce((m, n) => m | (1 << n), 0);
      sens.publics |= valeurs[1].reduce((m, n) => m | (1 << n), 0);
      sens.dispositifs |= (valeurs[2] || []).reduce((m, n) => m | (1 << n), 0);
    }
    const besoin = valeurs && pris.some((j) => !vides.has(j)) ? sens.besoins++ : -1;
    gardes.push(...pris.filter((j) => !vides.has(j)).map((mot) => ({ mot, besoin })));
    i += pris.length;
  }
  const [cherches, lieu] = sansCommune(gardes, communes);
  const brut = (q || "").trim() || null;
  const groupes = cherches.length ? groupesDe(cherches, sens.besoins) : [brut];
  return { texte: cherches.length ? cherches.map((j) => j.mot).join(" ") : brut, groupes, ...sens, lieu };
}

/** One list of results from the searches of several texts: each place once, with the most
 *  words found for it. */
export function reunir(listes) {
  const parId = new Map();
  for (const r of listes.flat()) {
    if ((parId.get(r.id)?.words?.length || -1) < (r.words?.length || 0)) parId.set(r.id, r);
  }
  return [...parId.values()];
}

/** How many bits of `n` are set. */
function bits(n) {
  let compte = 0;
  for (let x = n; x; x &= x - 1) compte += 1;
  return compte;
}

/** {result id: rank} from the ids in the places' order ("" for a place without a result). */
export function rangsDepuis(ids) {
  const rangs = new Map();
  ids.forEach((id, rang) => { if (id) rangs.set(id, rang); });
  return rangs;
}

/** {result id: profile} from the ids in the places' order and profils.json's columns. */
export function profilsDepuis(ids, colonnes) {
  const profils = new Map();
  if (!colonnes?.nom) return profils;
  ids.forEach((id, n) => {
    if (id) {
      profils.set(id, {
        numero: n, nom: colonnes.nom[n], services: colonnes.services[n], publics: colonnes.publics[n],
        dispositifs: colonnes.dispositifs?.[n] || 0, qualite: colonnes.qualite[n], age: colonnes.age[n],
      });
    }
  });
  return profils;
}

/** The sort key of one result (smaller first), see the module's comment. */
function cle(r, contexte) {
  const p = contexte.profils?.get(r.id);
  const mots = r.words || [];
  const surLeNom = p ? mots.filter((m) => m < p.nom).length : 0;
  const sens = contexte.sens || {};
  const services = p ? bits(p.services & sens.services) : 0;
  const offre = p ? services + bits(p.publics & sens.publics) + (!services && (p.dispositifs & sens.dispositifs) ? 1 : 0) : 0;
  const depuis = sens.lieu || contexte.position;
  const position = p && depuis && contexte.positions?.(p.numero);
  return [
    p && p.nom && surLeNom >= p.nom ? 0 : 1,
    -offre,
    sens.besoins || !surLeNom ? 1 : 0,
    !depuis ? 0 : (position ? distanceKm(depuis, position) : Number.MAX_VALUE),
    p ? -p.qualite : 0,
    p ? p.age : 0,
    -mots.length,
  ];
}

/** Compare two keys, element by element. */
function comparerCles(a, b) {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The results in the order of the module's comment. `rangs`: the places' order; `contexte`:
 *  {profils, sens (analyserRequete's), position (the visitor's {lat, lon}), positions(numero) ->
 *  {lat, lon} or null};
 *  without profiles, the most words found first. */
export function ranger(resultats, rangs, contexte = {}) {
  // Each result's key and rank computed once, beside it: a word found on 27,000 sheets sorts
  // 27,000 results, 400,000 comparisons, and a lookup in a Map for each made it a phone's longest
  // task on the search page.
  const entrees = resultats.map((r) => ({ r, cle: cle(r, contexte), rang: rangs.get(r.id) ?? Number.MAX_SAFE_INTEGER }));
  entrees.sort((a, b) => comparerCles(a.cle, b.cle) || a.rang - b.rang || (a.r.id < b.r.id ? -1 : Number(a.r.id > b.r.id)));
  return entrees.map((e) => e.r);
}
