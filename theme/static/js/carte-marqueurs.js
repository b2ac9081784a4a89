// Markers of the map page: below the detail zoom, the groups precomputed by the build (with
// their filtered count); from it, supercluster groups the loaded filtered places. Leaflet draws the groups
// (with their count) and the places (with their kind's shape). Every marker is a focusable
// button (Tab); Enter opens it (Leaflet sends a "keypress" event). Only the markers that changed
// are redrawn, so an open popup stays open while the map moves.
import { compte } from "./carte-donnees.js";
import { adresseDe, el, forme, libelleStatut, lienFiche, nombre } from "./carte-dom.js";

export const ZOOM_MAX = 19;
const ZOOM_GROUPES = 16;  // beyond it every position shows alone: indexing 30,000 places stays fast

/** One point per distinct position, with the places found there (often several at one address). */
function positions(lieux) {
  const parPosition = new Map();
  for (const lieu of lieux) {
    const cle = `${lieu.lon},${lieu.lat}`;
    const point = parPosition.get(cle);
    if (point) point.properties.lieux.push(lieu.i);
    else parPosition.set(cle, { geometry: { coordinates: [lieu.lon, lieu.lat] }, properties: { lieux: [lieu.i] } });
  }
  return [...parPosition.values()];
}

/** A supercluster index of the filtered places; `n` counts places (not positions) in each group. */
export function indexer(etat) {
  const index = new window.Supercluster({ radius: 60, maxZoom: ZOOM_GROUPES,
    map: (p) => ({ n: p.lieux.length }), reduce: (total, p) => { total.n += p.n; } });
  return index.load(positions(etat.filtres));
}

/** Popup of a place: name (link to its sheet), address, kind, services. */
function popupLieu(etat, lieu) {
  const contenu = el("div", "carte-popup");
  const titre = el("h3");
  titre.append(lienFiche(etat, lieu));
  contenu.append(titre, el("p", "", adresseDe(etat.donnees, lieu)));
  contenu.append(el("p", "carte-popup-genre", etat.donnees.genres.get(lieu.genre) || ""));
  if (lieu.statut) contenu.append(el("p", "etiquette etiquette--ferme", libelleStatut(etat, lieu.statut)));
  const services = lieu.services;
  if (services.length) {
    const liste = el("ul", "carte-popup-services");
    liste.append(...services.map((s) => el("li", "", s)));
    contenu.append(el("p", "carte-popup-titre", "Services :"), liste);
  }
  return contenu;
}

/** Popup of the places at one position (zooming cannot split them). */
function popupMemeEndroit(etat, indexes) {
  const contenu = el("div", "carte-popup");
  contenu.append(el("h3", "", `${nombre(indexes.length)} lieux à cet endroit`));
  const liste = el("ul");
  for (const i of indexes) {
    const item = el("li");
    item.append(lienFiche(etat, etat.lieux.get(i)));
    liste.append(item);
  }
  contenu.append(liste);
  return contenu;
}

/** True for the Enter key of a Leaflet "keypress" event. */
function entree(e) {
  return e.originalEvent?.key === "Enter";
}

/** Move the focus into an open popup; bring it back to the marker when the popup closes. */
function focaliser(popup, marqueur) {
  popup.getElement()?.querySelector("a")?.focus();
  popup.once("remove", () => {
    const actif = document.activeElement;
    if (!actif || actif === document.body || !actif.isConnected) marqueur.getElement()?.focus();
  });
}

/** Label the marker's element for screen readers and tests once Leaflet has drawn it. */
function etiqueter(marqueur, libelle, donnees) {
  marqueur.on("add", () => {
    const element = marqueur.getElement();
    element.setAttribute("aria-label", libelle);
    Object.assign(element.dataset, donnees);
  });
}

/** A place's marker: its kind's shape, a popup. */
function marqueurLieu(etat, lieu) {
  const icone = L.divIcon({ className: `carte-repere carte-repere--${lieu.genre}`, iconSize: [26, 26],
                            html: forme(lieu.genre).outerHTML });
  const marqueur = L.marker([lieu.lat, lieu.lon], { icon: icone, title: lieu.nom, riseOnHover: true });
  marqueur.bindPopup(() => popupLieu(etat, lieu), { maxWidth: 300 });
  marqueur.on("keypress", (e) => entree(e) && marqueur.isPopupOpen() && focaliser(marqueur.getPopup(), marqueur));
  etiqueter(marqueur, `${lieu.nom} (${etat.donnees.genres.get(lieu.genre) || ""})`, { lieu: lieu.url });
  return marqueur;
}

/** Zoom into a group; for places at one position, list them in a popup. */
function ouvrirGroupe(etat, groupe, marqueur, auClavier) {
  if (groupe.properties.cluster) {
    const zoom = groupe.properties.zoom ?? etat.index.getClusterExpansionZoom(groupe.properties.cluster_id);
    etat.carte.setView(marqueur.getLatLng(), zoom);
    if (auClavier) etat.carte.getContainer().focus({ preventScroll: true });
    return;
  }
  const popup = L.popup({ maxWidth: 300 }).setLatLng(marqueur.getLatLng())
    .setContent(popupMemeEndroit(etat, groupe.properties.lieux)).openOn(etat.carte);
  if (auClavier) focaliser(popup, marqueur);
}

/** The number of places of a group or of a position. */
function nombreDe(element) {
  return element.properties.cluster ? element.properties.n : element.properties.lieux.length;
}

/** A group's marker: a disc with the number of places; activating it zooms in (or lists them). */
function marqueurGroupe(etat, groupe) {
  const n = nombreDe(groupe);
  const taille = n < 10 ? 34 : n < 100 ? 40 : n < 1000 ? 48 : 56;
  const icone = L.divIcon({ className: "carte-groupe", iconSize: [taille, taille],
                            html: `<span>${nombre(n)}</span>` });
  const [lon, lat] = groupe.geometry.coordinates;
  const action = groupe.properties.cluster ? "zoomer" : "voir la liste";
  const marqueur = L.marker([lat, lon], { icon: icone, title: `${nombre(n)} lieux : ${action}` });
  marqueur.on("click", () => ouvrirGroupe(etat, groupe, marqueur, false));
  marqueur.on("keypress", (e) => entree(e) && ouvrirGroupe(etat, groupe, marqueur, true));
  const libelle = groupe.properties.cluster ? `Groupe de ${nombre(n)} lieux` : `${nombre(n)} lieux à cet endroit`;
  etiqueter(marqueur, libelle, { nombre: n });
  return marqueur;
}

/** A stable key per marker, so that unchanged markers stay on the map. */
function cle(element) {
  const p = element.properties;
  return p.cluster ? `g${p.cle}-${p.n}` : `p${p.lieux.join("-")}`;
}

/** North to south, then west to east: the order Tab follows. */
function ordreLecture(a, b) {
  const [lonA, latA] = a.geometry.coordinates;
  const [lonB, latB] = b.geometry.coordinates;
  return latB - latA || lonA - lonB;
}

/** The one matching place of a run of numbers when it is loaded, else null. */
function seul(etat, debut, fin) {
  for (let i = debut; i < fin; i++) {
    if (!etat.masque || etat.masque[i]) return etat.lieux.get(i) ? i : null;
  }
  return null;
}

/** The precomputed groups of the view as supercluster's elements (a lone loaded place as a place). */
function groupesPrecalcules(etat, zoom) {
  const suivant = Math.min(zoom + 2, etat.donnees.zoomDetail);
  return etat.groupes.flatMap((g) => {
    const n = compte(etat.sommes, g.debut, g.fin);
    const i = n === 1 ? seul(etat, g.debut, g.fin) : null;
    if (!n) return [];
    const geometry = { coordinates: i === null ? [g.lon, g.lat] : [etat.lieux.get(i).lon, etat.lieux.get(i).lat] };
    return [{ geometry, properties: i === null ? { cluster: true, cle: `z${zoom}-${g.debut}`, zoom: suivant, n }
      : { lieux: [i] } }];
  });
}

/** Draw the groups and places of the current view, keeping the markers that did not change. */
export function rendreMarqueurs(etat, zoom) {
  const b = etat.carte.getBounds();
  const elements = etat.groupes ? groupesPrecalcules(etat, zoom)
    : etat.index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom)
      .map((e) => (e.properties.cluster ? { ...e, properties: { ...e.properties, cle: `${etat.versionIndex}-${e.properties.cluster_id}` } } : e));
  const nouveaux = new Map();
  for (const element of elements.sort(ordreLecture)) {
    const c = cle(element);
    nouveaux.set(c, etat.marqueurs.get(c) || (element.properties.cluster || nombreDe(element) > 1
      ? marqueurGroupe(etat, element) : marqueurLieu(etat, etat.lieux.get(element.properties.lieux[0]))));
  }
  for (const [c, marqueur] of etat.marqueurs) if (!nouveaux.has(c)) etat.calque.removeLayer(marqueur);
  for (const [c, marqueur] of nouveaux) if (!etat.marqueurs.has(c)) etat.calque.addLayer(marqueur);
  etat.marqueurs = nouveaux;
  ordonner(nouveaux);
}

/** Put the markers' elements in reading order (new ones were appended last), except the focused one. */
function ordonner(marqueurs) {
  for (const marqueur of marqueurs.values()) {
    const element = marqueur.getElement();
    if (element && !element.contains(document.activeElement)) element.parentNode.append(element);
  }
}

/** Forget every marker (after the filters changed: the groups are new). */
export function viderMarqueurs(etat) {
  etat.calque.clearLayers();
  etat.marqueurs = new Map();
}
