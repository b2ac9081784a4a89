// The result cards of the search page (DOM): name (link), address, status, services, excerpt,
// fees; Pagefind's excerpt is kept as text and <mark> only.
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

/** The services of a card, as a list. */
function listeServices(services) {
  const liste = el("ul", "carte-lieu-services");
  liste.setAttribute("aria-label", "Services");
  liste.append(...services.map((s) => el("li", "", s)));
  return liste;
}

/** One result card (an <li>) from Pagefind's data of a result. */
export function carteResultat(donnees, position) {
  const { meta = {}, filters = {} } = donnees;
  const article = el("article", "carte-lieu resultat");
  const titre = el("h3", "carte-lieu-nom");
  titre.append(Object.assign(el("a", "", meta.nom || meta.title || donnees.url), { href: donnees.url }));
  const adresse = [meta.adresse, [meta.code_postal, meta.commune].filter(Boolean).join(" ")];
  article.append(titre, el("p", "carte-lieu-adresse", adresse.filter(Boolean).join(", ")));
  if (meta.statut) article.append(el("p", "etiquette etiquette--ferme", meta.statut));
  article.append(ligneEtat(meta, position));
  if (filters.services?.length) article.append(listeServices(filters.services));
  if (donnees.excerpt) {
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
