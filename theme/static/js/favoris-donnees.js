// "Mes lieux" without any DOM: the list of kept sheets, as stored in the browser (localStorage,
// nothing is sent anywhere). What is stored is enough to show and print the list offline: name,
// address of the sheet (relative to the site), postal address, phone, usual hours.
// Stored data is read as hostile (another script of the same site, a hand edit, an old format):
// every entry is checked and bounded, a bad one is dropped, never shown.

export const MAXIMUM = 200;
const LONGUEURS = { nom: 200, url: 300, adresse: 300, telephone: 40, tel: 40, horaires: 300 };
const URL_FICHE = /^lieux\/(?!\.\.?\/)[A-Za-z0-9._~%-]+\/$/; // site-relative, as the build writes them
const TEL = /^tel:\+?[0-9]{3,20}$/;

/** The storage key of one directory: two directories on the same site (sub-paths) stay apart. */
export function cle(base) {
  return `annuaire-favoris:${base}`;
}

/** A checked copy of one entry (strings only, bounded), or null when it is not a sheet's. */
export function nettoyer(entree) {
  if (!entree || typeof entree !== "object") return null;
  const propre = {};
  for (const [champ, longueur] of Object.entries(LONGUEURS)) {
    const valeur = entree[champ];
    propre[champ] = typeof valeur === "string" ? valeur.trim().slice(0, longueur) : "";
  }
  if (!propre.nom || !URL_FICHE.test(propre.url)) return null;
  if (!TEL.test(propre.tel)) propre.tel = "";
  return propre;
}

/** The kept entries from the stored text (an empty list for anything unreadable). */
export function lire(texte) {
  let valeur;
  try {
    valeur = JSON.parse(texte || "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(valeur)) return [];
  const vus = new Set();
  const liste = [];
  for (const entree of valeur.slice(0, MAXIMUM)) {
    const propre = nettoyer(entree);
    if (propre && !vus.has(propre.url)) {
      vus.add(propre.url);
      liste.push(propre);
    }
  }
  return liste;
}

/** The text to store. */
export function ecrire(liste) {
  return JSON.stringify(liste);
}

export function contient(liste, url) {
  return liste.some((e) => e.url === url);
}

/** The list with `entree` kept (its details refreshed if it was already there), or the same list
 *  when the entry is not valid or the list is full. */
export function ajouter(liste, entree) {
  const propre = nettoyer(entree);
  if (!propre) return liste;
  if (contient(liste, propre.url)) return liste.map((e) => (e.url === propre.url ? propre : e));
  return liste.length >= MAXIMUM ? liste : [...liste, propre];
}

export function retirer(liste, url) {
  return liste.filter((e) => e.url !== url);
}

/** The entries in the order of a printed list: by name, French collation. */
export function parNom(liste) {
  return [...liste].sort((a, b) => a.nom.localeCompare(b.nom, "fr", { sensitivity: "base" }));
}
