// Small DOM helpers of the map modules: the kind-of-place shape, a place's address and sheet URL
// (elements and numbers come from partage-dom.js, shared with the search page).
import { el } from "./partage-dom.js";

export { el, nombre } from "./partage-dom.js";

const SVG = "http://www.w3.org/2000/svg";

/** The shape of a kind of place (a <use> of the page's SVG symbols), hidden from screen readers. */
export function forme(genre) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", `carte-forme carte-forme--${genre}`);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const use = document.createElementNS(SVG, "use");
  use.setAttribute("href", `#forme-${genre}`);
  svg.append(use);
  return svg;
}

/** "2 rue X, 01000 Bourg-en-Bresse". */
export function adresseDe(donnees, lieu) {
  const ville = [lieu.cp, lieu.commune].filter(Boolean).join(" ");
  return [lieu.adresse, ville].filter(Boolean).join(", ");
}

/** The sheet's URL, under the site's base (SITEURL may be a sub-path). */
export function urlFiche(etat, lieu) {
  return `${etat.site}/${lieu.url}`;
}

/** A link to a place's sheet. */
export function lienFiche(etat, lieu) {
  const lien = el("a", "", lieu.nom);
  lien.href = urlFiche(etat, lieu);
  return lien;
}

/** "Fermé temporairement" and the like, for places that are not open; "" otherwise. The labels
 * are the field registry's (champs.py), written by the build into the page's data-statuts. */
export function libelleStatut(etat, statut) {
  return JSON.parse(etat.page.dataset.statuts || "{}")[statut] || "";
}
