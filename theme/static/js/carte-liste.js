// The list beside the map: the places of the displayed area that match the filters, nearest
// first (to the person after "Autour de moi", else to the map's centre). It is the accessible
// alternative to the map.
import { distanceKm, texteDistance } from "./partage-geo.js";
import { adresseDe, el, forme, libelleStatut, lienFiche, nombre } from "./carte-dom.js";
import { compte as compteGroupe } from "./carte-donnees.js";

export const LIMITE = 50;

/** One list item, like the site's other lists of places. */
function element(etat, lieu, km) {
  const article = el("article", "carte-lieu");
  const titre = el("h3", "carte-lieu-nom");
  titre.append(lienFiche(etat, lieu));
  const genre = el("p", "carte-lieu-genre");
  genre.append(forme(lieu.genre), ` ${etat.donnees.genres.get(lieu.genre) || ""}`);
  article.append(titre, el("p", "carte-lieu-adresse", adresseDe(etat.donnees, lieu)), genre);
  if (lieu.statut) article.append(el("p", "etiquette etiquette--ferme", libelleStatut(etat, lieu.statut)));
  if (km !== null) article.append(el("p", "carte-lieu-distance", texteDistance(km)));
  const item = el("li");
  item.append(article);
  return item;
}

/** The sentence above the list. */
function compte(n, affiches, depuisMoi) {
  if (n === 0) return "Aucun lieu dans cette zone avec ces filtres. Dézoomez la carte ou retirez des filtres.";
  const lieux = `${nombre(n)} lieu${n > 1 ? "x" : ""} dans cette zone de la carte`;
  if (n <= affiches) return `${lieux}.`;
  const proches = depuisMoi ? "les plus proches de vous" : "les plus proches du centre de la carte";
  return `${lieux} : voici les ${affiches} ${proches}. Zoomez pour voir les autres.`;
}

/** The `n` nearest [distance, place] pairs, sorted (without sorting thousands of them). */
function plusProches(paires, n) {
  const ordre = (a, b) => a[0] - b[0] || a[1].nom.localeCompare(b[1].nom, "fr");
  if (paires.length <= n) return paires.sort(ordre);
  const seuil = Float64Array.from(paires, ([km]) => km).sort()[n - 1];
  return paires.filter(([km]) => km <= seuil).sort(ordre).slice(0, n);
}

/** Places of the filtered set inside the map's bounds. */
export function lieuxVisibles(etat) {
  const b = etat.carte.getBounds();
  const [sud, nord, ouest, est] = [b.getSouth(), b.getNorth(), b.getWest(), b.getEast()];
  return etat.filtres.filter((l) => l.lat >= sud && l.lat <= nord && l.lon >= ouest && l.lon <= est);
}

/** The number of matching places in view: from the precomputed groups below the detail zoom. */
function nombreVisibles(etat, visibles) {
  if (!etat.groupes) return visibles.length;
  const b = etat.carte.getBounds();
  const dedans = etat.groupes.filter((g) => b.contains([g.lat, g.lon]));
  return Math.max(visibles.length, dedans.reduce((n, g) => n + compteGroupe(etat.sommes, g.debut, g.fin), 0));
}

/** Redraw the list and its count from the map's view and the filters. */
export function rendreListe(etat, liste, paragraphe) {
  const centre = etat.carte.getCenter();
  const origine = etat.moi || { lat: centre.lat, lon: centre.lng };
  const visibles = lieuxVisibles(etat).map((lieu) => [distanceKm(origine, lieu), lieu]);
  const affiches = plusProches(visibles, LIMITE);
  const n = nombreVisibles(etat, visibles);
  liste.replaceChildren(...affiches.map(([km, lieu]) => element(etat, lieu, etat.moi ? km : null)));
  paragraphe.textContent = compte(n, affiches.length, Boolean(etat.moi));
  paragraphe.dataset.nombre = n;
}
