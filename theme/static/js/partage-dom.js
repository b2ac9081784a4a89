// Small DOM helpers shared by the search page and the map: elements built with textContent
// (never HTML from the data), French numbers, the site's base path and its URL scheme.

/** An element with an optional class and text. */
export function el(balise, classe = "", texte = "") {
  const element = document.createElement(balise);
  if (classe) element.className = classe;
  if (texte) element.textContent = texte;
  return element;
}

const NOMBRES = new Intl.NumberFormat("fr-FR");  // made once: toLocaleString makes one per call

/** A French number ("30 000"). */
export function nombre(n) {
  return NOMBRES.format(n);
}

/** "1 lieu", "3 lieux": a count with its French noun. */
export function pluriel(n, un, plusieurs) {
  return `${nombre(n)} ${n > 1 ? plusieurs : un}`;
}

/** The site's base path ("/", "/sous-dossier/") from a data-base attribute (SITEURL, possibly
 *  absolute). */
export function cheminBase(base) {
  return new URL(`${base || ""}/`, window.location.href).pathname.replace(/\/+$/, "/");
}

/** The site's URL scheme (plugins/annuaire/domain/routes.py, written by the page in data-routes):
 *  relative URLs by name (ouvertures, etatRecherche, index, fiche with "{slug}"...). */
export function routesDe(element) {
  return Object.freeze(JSON.parse(element.dataset.routes || "{}"));
}
