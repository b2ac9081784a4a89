// The map page (/carte/): Leaflet map, facet filters, list of the displayed places, "Autour de
// moi" and the offline commune lookup. The state (filters and view) lives in the URL, with the
// same parameter names as the search page. Without JavaScript the page only shows the lists' links.
import { decoder, filtrer, selectionDepuisUrl, versUrl, vueDepuisUrl } from "./carte-donnees.js";
import { chercherCommunes, decoderCommunes, suggestions } from "./carte-communes.js";
import { brancherFiltres, majComptes, majOuverture, resumeFiltres } from "./carte-filtres.js";
import { creerOuvertures } from "./ouvertures.js";
import { rendreListe } from "./carte-liste.js";
import { ZOOM_MAX, indexer, rendreMarqueurs, viderMarqueurs } from "./carte-marqueurs.js";
import { el } from "./carte-dom.js";

const ZOOM_COMMUNE = 13;
const ZOOM_MOI = 14;
const $ = (id) => document.getElementById(id);

/** Fetch a JSON file of the site; throws on an HTTP error. */
async function chargerJson(url) {
  const reponse = await fetch(url);
  if (!reponse.ok) throw new Error(`${url} : ${reponse.status}`);
  return reponse.json();
}

/** Say something in the status line (read out by screen readers). */
function annoncer(texte) {
  $("carte-message").textContent = texte;
}

/** The Leaflet map with its tiles (URL and attribution come from the site's settings). */
function creerCarte(page) {
  const carte = L.map($("carte"), { maxZoom: ZOOM_MAX, minZoom: 2, zoomControl: false });
  L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(carte);
  L.tileLayer(page.dataset.tuiles, { attribution: page.dataset.attribution, maxZoom: ZOOM_MAX }).addTo(carte);
  return carte;
}

/** The first view: the URL's, else the filtered places', else the territory's. */
function vueInitiale(etat, params, page) {
  const vue = vueDepuisUrl(params);
  if (vue) return etat.carte.setView([vue.lat, vue.lon], vue.zoom);
  if (etat.selection.size && etat.filtres.length) {
    return etat.carte.fitBounds(etat.filtres.map((l) => [l.lat, l.lon]), { maxZoom: ZOOM_MOI, padding: [20, 20] });
  }
  const [lat, lon] = page.dataset.centre.split(",").map(Number);
  etat.carte.setView([lat, lon], Number(page.dataset.zoom));
}

/** Write the filters and the view into the address bar (no new history entry). */
function ecrireUrl(etat) {
  const centre = etat.carte.getCenter();
  const vue = { lat: centre.lat, lon: centre.lng, zoom: etat.carte.getZoom() };
  const requete = versUrl(etat.donnees, etat.selection, vue, etat.ouvert);
  history.replaceState(null, "", `${location.pathname}${requete ? `?${requete}` : ""}${location.hash}`);
}

/** Redraw what depends on the view: markers, list, URL. */
function suivreVue(etat) {
  rendreMarqueurs(etat);
  rendreListe(etat, $("carte-liste"), $("carte-compte"));
  ecrireUrl(etat);
}

/** The places open now (etat.maintenant: {numeros, heure} or null), read again at each use. */
async function lireOuverts(etat) {
  etat.maintenant = await etat.ouvertures.maintenant();
  etat.ouverts = etat.ouvert && etat.maintenant ? etat.maintenant.numeros : null;
  majOuverture(etat, document.querySelector("fieldset[data-ouverture]"));
}

/** Apply the chosen filters: new groups, new counts, then redraw. */
async function appliquerFiltres(etat) {
  await lireOuverts(etat);
  etat.filtres = filtrer(etat.donnees, etat.selection, etat.ouverts);
  etat.index = indexer(etat);
  majComptes(etat);
  $("carte-filtres-actifs").textContent = resumeFiltres(etat);
  viderMarqueurs(etat);
  suivreVue(etat);
}

/** The commune list, loaded once, on first use. */
function communes(etat) {
  etat.communes ||= chargerJson(etat.page.dataset.communes).then(decoderCommunes);
  return etat.communes;
}

/** Centre the map on the commune or postcode typed (found in the site's own data). */
async function allerA(etat, saisie) {
  const trouvees = chercherCommunes(await communes(etat), saisie);
  if (!trouvees.length) {
    annoncer(`Aucune commune de l'annuaire ne correspond à « ${saisie} ». Essayez le code postal.`);
    return;
  }
  etat.carte.fitBounds(trouvees.map((c) => [c.lat, c.lon]), { maxZoom: ZOOM_COMMUNE, padding: [30, 30] });
  const noms = [...new Set(trouvees.map((c) => c.nom))].slice(0, 3).join(", ");
  annoncer(`Carte centrée sur ${noms}. La liste montre les lieux de cette zone.`);
}

/** Centre on the person's position, mark it, and sort the list from it. */
function placerMoi(etat, position) {
  etat.moi = { lat: position.coords.latitude, lon: position.coords.longitude };
  etat.repereMoi?.remove();
  etat.repereMoi = L.circleMarker([etat.moi.lat, etat.moi.lon],
    { radius: 9, className: "carte-moi", interactive: false }).addTo(etat.carte);
  etat.carte.setView([etat.moi.lat, etat.moi.lon], ZOOM_MOI);
  suivreVue(etat);
  annoncer("Carte centrée sur votre position. La liste commence par les lieux les plus proches de vous.");
}

/** "Autour de moi": ask the browser for the position (only now, on request). */
function autourDeMoi(etat) {
  const conseil = "Tapez votre commune ou votre code postal.";
  if (!navigator.geolocation) return annoncer(`Votre navigateur ne donne pas votre position. ${conseil}`);
  annoncer("Recherche de votre position…");
  navigator.geolocation.getCurrentPosition((position) => placerMoi(etat, position), (erreur) => annoncer(
    erreur.code === 1 ? `Vous n'avez pas autorisé la localisation. ${conseil}`
      : `Votre position n'a pas pu être trouvée. ${conseil}`), { timeout: 15000, maximumAge: 60000 });
}

/** Suggestions under the commune field, as the person types. */
async function proposer(etat, champ) {
  const liste = $("carte-suggestions");
  const noms = suggestions(await communes(etat), champ.value);
  liste.replaceChildren(...noms.map((nom) => Object.assign(el("option"), { value: nom })));
}

/** Connect the commune field, the "Autour de moi" button and the map's moves. */
function brancher(etat) {
  const champ = $("carte-saisie");
  $("carte-aller").addEventListener("submit", (e) => {
    e.preventDefault();
    if (champ.value.trim()) allerA(etat, champ.value.trim()).catch(() => annoncer("La liste des communes n'a pas pu être chargée."));
  });
  champ.addEventListener("input", () => proposer(etat, champ).catch(() => {}));
  $("carte-moi").addEventListener("click", () => autourDeMoi(etat));
  etat.carte.on("moveend", () => suivreVue(etat));
}

/** Apply the URL's filters and view, connect the controls, draw. */
async function preparer(etat) {
  const params = new URLSearchParams(location.search);
  etat.selection = selectionDepuisUrl(etat.donnees, params);
  etat.ouvert = params.get("ouvert") === "maintenant";
  etat.ouvertures = creerOuvertures(new URL("ouvertures/", new URL(etat.page.dataset.donnees, location.href)).href);
  if (etat.ouvert) await lireOuverts(etat);
  else lireOuverts(etat);  // in the background: the box's count
  brancherFiltres(etat, document.querySelector(".carte-filtres"), () => appliquerFiltres(etat));
  etat.filtres = filtrer(etat.donnees, etat.selection, etat.ouverts);
  etat.index = indexer(etat);
  $("carte-filtres-actifs").textContent = resumeFiltres(etat);
  vueInitiale(etat, params, etat.page);
  brancher(etat);
  suivreVue(etat);
}

/** Start the page: show the map, load the places, then apply the URL's state. */
async function demarrer() {
  const page = $("carte-page");
  if (!page || !window.L || !window.Supercluster) return;
  page.hidden = false;
  const etat = { page, site: page.dataset.site, carte: creerCarte(page), marqueurs: new Map(),
                 moi: null, communes: null, comptes: null, ouvert: false, ouverts: null, maintenant: null };
  etat.calque = L.layerGroup().addTo(etat.carte);
  try {
    etat.donnees = decoder(await chargerJson(page.dataset.donnees));
  } catch {
    annoncer("Les lieux n'ont pas pu être chargés. Utilisez les listes plus bas.");
    return;
  }
  await preparer(etat);
  page.dataset.etat = "prete";  // for tests and the benchmark: the map is usable
  performance.mark("carte-prete");
}

demarrer();
