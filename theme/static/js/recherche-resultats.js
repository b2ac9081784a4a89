// The result cards of the search page (DOM): name (link), address, status, services, excerpt,
// fees. The excerpt is made from the sheet's text after its hidden paragraphs (text and <mark>
// only), or is Pagefind's own on an older index.
import { el } from "./partage-dom.js";
import { distanceKm, pointDe, texteDistance } from "./partage-geo.js";

/** Pagefind's excerpt as nodes: text and <mark> only. */
function extrait(html) {
  const modele = document.createElement("template");
  modele.innerHTML = html;
  for (const noeud of [...modele.content.querySelectorAll("*")]) {
    if (noeud.tagName !== "MARK") noeud.replaceWith(document.createTextNode(noeud.textContent));
  }
  return modele.content;
}

const LONGUEUR_EXTRAIT = 24; // words of an excerpt (Pagefind's excerptLength, recherche-pagefind.js)

/** The words [from, to) of an excerpt of a sheet of `nombre` words: around the first matched
 *  position (`positions`) at or after `debut` (the hidden paragraphs' words); null when the words
 *  were found in the hidden paragraphs only (the card's name and services already say it). */
export function fenetreExtrait(nombre, positions, debut, longueur = LONGUEUR_EXTRAIT) {
  const premiere = positions.filter((p) => p >= debut).sort((a, b) => a - b)[0];
  if (premiere === undefined) return null;
  const de = Math.max(debut, Math.min(premiere - Math.floor(longueur / 3), nombre - longueur));
  return [de, Math.min(nombre, de + longueur)];
}

/** The excerpt as nodes, made from the sheet's text after its hidden paragraphs (`debut` words:
 *  the name and the everyday words, which a card must not show), matched words in <mark>; null
 *  for none. */
function extraitApres(donnees, debut) {
  const mots = donnees.content.trim().split(/\s+/);
  const positions = donnees.locations || [];
  const fenetre = fenetreExtrait(mots.length, positions, debut);
  if (!fenetre) return null;
  const [de, a] = fenetre;
  const marques = new Set(positions);
  const fragment = document.createDocumentFragment();
  for (let i = de; i < a; i += 1) {
    if (i > de) fragment.append(" ");
    fragment.append(marques.has(i) ? el("mark", "", mots[i]) : mots[i]);
  }
  return fragment;
}

/** "à 850 m", "à 2,4 km" from the visitor's {lat, lon} (null: unknown), or "". */
function distanceDepuis(position, geo) {
  const point = pointDe(geo);
  return position && point ? texteDistance(distanceKm(position, point), 50) : "";
}

/** The status line: the opening-hours badge (filled by horaires.js) and the distance. */
function ligneEtat(meta, position) {
  const ligne = el("p", "resultat-etat");
  const badge = el("span", "badge-horaires");
  badge.dataset.etat = "inconnu";
  if (meta.horaires) badge.dataset.horaires = meta.horaires;
  else badge.hidden = true;
  const distance = el("span", "resultat-distance", distanceDepuis(position, meta.geo));
  if (meta.geo) distance.dataset.geo = meta.geo;
  ligne.append(badge, " ", distance);
  return ligne;
}

/** The services of a card, as a list, in plain words (`libelles`: {value: words}). */
function listeServices(services, libelles = {}) {
  const liste = el("ul", "carte-lieu-services");
  liste.setAttribute("aria-label", "Services");
  liste.append(...services.map((s) => el("li", "", libelles[s] || s)));
  return liste;
}

/** One result card (an <li>) from Pagefind's data of a result; `libelles`: the services' plain
 *  words ({value: words}). */
export function carteResultat(donnees, position, libelles = {}) {
  const { meta = {}, filters = {} } = donnees;
  const article = el("article", "carte-lieu resultat");
  const titre = el("h3", "carte-lieu-nom");
  titre.append(Object.assign(el("a", "", meta.nom || meta.title || donnees.url), { href: donnees.url }));
  const adresse = [meta.adresse, [meta.code_postal, meta.commune].filter(Boolean).join(" ")];
  article.append(titre, el("p", "carte-lieu-adresse", adresse.filter(Boolean).join(", ")));
  if (meta.statut) article.append(el("p", "etiquette etiquette--ferme", meta.statut));
  article.append(ligneEtat(meta, position));
  if (filters.services?.length) article.append(listeServices(filters.services, libelles));
  // "France Services", "Aidants Connect": names people know, and why a place with no "démarches"
  // service is found for "impôts" (domain/besoins.yaml).
  if (meta.dispositifs) article.append(el("p", "resultat-dispositifs", meta.dispositifs));
  const debut = Number.parseInt(meta.debut, 10);
  if (donnees.content && Number.isInteger(debut)) {
    const morceau = extraitApres(donnees, debut);
    if (morceau) article.append(el("p", "resultat-extrait"));
    if (morceau) article.lastChild.append(morceau);
  } else if (donnees.excerpt) {
    const texte = el("p", "resultat-extrait");
    texte.append(extrait(donnees.excerpt));
    article.append(texte);
  }
  if (filters.frais?.includes("Gratuit")) article.append(el("p", "etiquette etiquette--gratuit", "Gratuit"));
  const ligne = el("li");
  ligne.append(article);
  return ligne;
}

/** Write the distances of the cards shown, from a new position. */
export function majDistances(liste, position) {
  for (const span of liste.querySelectorAll(".resultat-distance[data-geo]")) {
    span.textContent = distanceDepuis(position, span.dataset.geo);
  }
}
