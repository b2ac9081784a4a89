// The search page's state and its URL, as plain data (no DOM): {q, filtres: {key: [values]},
// ouvert}. Within one facet the ticked values are alternatives (any of them); across facets they
// add up (all of them).
import { pluriel } from "./partage-dom.js";

/** The state read from a query string (`cles`: the facets' keys, in the page's order). */
export function etatDepuisUrl(recherche, cles) {
  const params = new URLSearchParams(recherche);
  const filtres = {};
  for (const cle of cles) {
    const valeurs = params.getAll(cle).filter(Boolean);
    if (valeurs.length) filtres[cle] = [...new Set(valeurs)];
  }
  return { q: (params.get("q") || "").trim(), filtres, ouvert: params.get("ouvert") === "maintenant" };
}

/** The query string of a state ("" or "?q=…"), facets in the page's order. */
export function requeteDepuisEtat(etat, cles) {
  const params = new URLSearchParams();
  if (etat.q) params.set("q", etat.q);
  if (etat.ouvert) params.set("ouvert", "maintenant");
  for (const cle of cles) for (const valeur of etat.filtres[cle] || []) params.append(cle, valeur);
  const texte = params.toString();
  return texte ? `?${texte}` : "";
}

/** No words and no ticked facet ("Ouvert maintenant" aside). */
export function sansRecherche(etat) {
  return !etat.q && !Object.keys(etat.filtres).length;
}

/** Nothing asked at all: no words, no facet, not "Ouvert maintenant". */
export function rienDemande(etat) {
  return sansRecherche(etat) && !etat.ouvert;
}

/** Pagefind's filter syntax: one value as is, several as alternatives; `sauf`: a facet left out. */
export function filtresPagefind(filtres, sauf = "") {
  const resultat = {};
  for (const [cle, valeurs] of Object.entries(filtres)) {
    if (cle !== sauf && valeurs.length) resultat[cle] = valeurs.length === 1 ? valeurs[0] : { any: valeurs };
  }
  return resultat;
}

/** The French sentence of the result count. */
export function phraseCompte(nombre, etat) {
  const filtres = Object.values(etat.filtres).reduce((n, v) => n + v.length, 0) + (etat.ouvert ? 1 : 0);
  let phrase = nombre ? `${pluriel(nombre, "lieu trouvé", "lieux trouvés")}` : "Aucun lieu trouvé";
  if (etat.q) phrase += ` pour « ${etat.q} »`;
  if (filtres) phrase += ` avec ${pluriel(filtres, "filtre", "filtres")}`;
  if (!nombre) phrase += ". Essayez un autre mot ou retirez un filtre.";
  return phrase;
}
