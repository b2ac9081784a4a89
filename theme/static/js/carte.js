// The map page (/carte/): Leaflet map, facet filters, list of the displayed places, "Autour de
// moi" and the offline commune lookup. The state (filters and view) lives in the URL, with the
// same parameter names as the search page. Without JavaScript the page only shows the lists' links.
import { decoderIndex, facettesDeUrl, masque, prefixe, selectionDepuisUrl, versUrl, vueDepuisUrl }
  from "./carte-donnees.js";
import { bornes, chargerCorrespondants, chargerFacettes, chargerJson, chargerVue } from "./carte-tuiles.js";
import { chercherCommunes, decoderCommunes, fichiersPour, messageCentre, suggestions } from "./carte-communes.js";
import { brancherFiltres, majComptes, majOuverture, resumeFiltres } from "./carte-filtres.js";
import { LIMITE, rendreListe } from "./carte-liste.js";
import { ZOOM_MAX, indexer, rendreMarqueurs, viderMarqueurs } from "./carte-marqueurs.js";
import { el } from "./carte-dom.js";

const ZOOM_COMMUNE = 13;
const ZOOM_DEPARTEMENT = 9;
const ZOOM_MOI = 14;
const $ = (id) => document.getElementById(id);

/** Say something in the status line (read out by screen readers). */
function annoncer(texte) {
  $("carte-message").textContent = texte;
}

/** The Leaflet map with its tiles (URL and attribution come from the site's settings). */
function creerCarte(page) {
  const carte = L.map($("carte"), { maxZoom: ZOOM_MAX, minZoom: 2, zoomControl: false });
  L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(carte);
  // The tiles' credit written at once: left to the tile layer, it would come with the first view
  // (set once the data arrives), widen the credit box and move it (a layout shift).
  carte.attributionControl.addAttribution(page.dataset.attribution);
  L.tileLayer(page.dataset.tuiles, { maxZoom: ZOOM_MAX }).addTo(carte);
  return carte;
}

/** The first view: the URL's, else the filtered places', else the territory's. */
async function vueInitiale(etat, params, page) {
  const vue = vueDepuisUrl(params);
  if (vue) return etat.carte.setView([vue.lat, vue.lon], vue.zoom);
  if (etat.selection.size) {
    const carres = await chargerCorrespondants(etat);
    const points = carres ? carres.flatMap((b) => [[b.sud, b.ouest], [b.nord, b.est]])
      : filtres(etat).map((l) => [l.lat, l.lon]);
    if (points.length) return etat.carte.fitBounds(points, { maxZoom: ZOOM_MOI, padding: [20, 20] });
  }
  const [lat, lon] = page.dataset.centre.split(",").map(Number);
  etat.carte.setView([lat, lon], Number(page.dataset.zoom));
}

/** The loaded places that match the filters. */
function filtres(etat) {
  return [...etat.lieux.values()].filter((lieu) => !etat.masque || etat.masque[lieu.i]);
}

/** The bitmap of the chosen filters and its prefix sums (null: every place). */
function calculerFiltre(etat) {
  etat.masque = masque(etat.donnees, etat.facettes, etat.selection, etat.ouverts);
  etat.sommes = prefixe(etat.masque);
  etat.versionFiltre += 1;
}

/** Write the filters and the view into the address bar (no new history entry). */
function ecrireUrl(etat) {
  const centre = etat.carte.getCenter();
  const vue = { lat: centre.lat, lon: centre.lng, zoom: etat.carte.getZoom() };
  const requete = versUrl(etat.facettes, etat.selection, vue, etat.ouvert);
  history.replaceState(null, "", `${location.pathname}${requete ? `?${requete}` : ""}${location.hash}`);
}

/** Load what the view needs, then redraw what depends on it: markers, list, URL. */
async function suivreVue(etat) {
  const jeton = ++etat.jeton;
  const zoom = Math.round(etat.carte.getZoom());
  const centre = etat.carte.getCenter();
  const origine = etat.moi || { lat: centre.lat, lon: centre.lng };
  const groupes = await chargerVue(etat, zoom, bornes(etat.carte.getBounds()), origine, LIMITE);
  if (jeton !== etat.jeton) return;  // the map moved meanwhile: the newer call draws
  etat.groupes = groupes;
  const version = `${etat.version}-${etat.versionFiltre}`;
  if (etat.versionIndex !== version) {
    etat.filtres = filtres(etat);
    if (!groupes) etat.index = indexer(etat);
    etat.versionIndex = groupes ? "" : version;
  }
  rendreMarqueurs(etat, zoom);
  rendreListe(etat, $("carte-liste"), $("carte-compte"));
  ecrireUrl(etat);
}

/** The places open now (etat.maintenant: {numeros, heure} or null), read again at each use. */
async function lireOuverts(etat) {
  etat.ouvertures ||= import("./ouvertures.js")  // on first use: its date formats cost time on a phone
    .then((module) => module.creerOuvertures(new URL("../ouvertures/", etat.base).href));
  etat.maintenant = await (await etat.ouvertures).maintenant();
  etat.ouverts = etat.ouvert && etat.maintenant ? etat.maintenant.numeros : null;
  majOuverture(etat, document.querySelector("fieldset[data-ouverture]"));
}

/** Apply the chosen filters: new groups, new counts, then redraw. */
async function appliquerFiltres(etat) {
  await lireOuverts(etat);
  calculerFiltre(etat);
  majComptes(etat);
  $("carte-filtres-actifs").textContent = resumeFiltres(etat);
  viderMarqueurs(etat);
  await suivreVue(etat);
}

/** The communes of the files for what was typed, each file fetched once (a missing file: none). */
async function communes(etat, saisie) {
  const listes = fichiersPour(saisie).map((nom) => {
    if (!etat.communes.has(nom)) {
      etat.communes.set(nom, chargerJson(etat.page.dataset.communes + nom).then(decoderCommunes, () => []));
    }
    return etat.communes.get(nom);
  });
  return (await Promise.all(listes)).flat();
}

/** Centre the map on the commune or postcode typed (found in the site's own data). */
async function allerA(etat, saisie) {
  const trouvees = chercherCommunes(await communes(etat, saisie), saisie);
  if (!trouvees.length) {
    annoncer(`Aucune commune ne correspond à « ${saisie} ». Essayez le code postal.`);
    return;
  }
  const placees = trouvees.filter((c) => c.lat !== null);
  if (!placees.length) {
    annoncer(`Aucun lieu de l'annuaire à ${trouvees[0].nom} ni dans son département.`);
    return;
  }
  const zoom = placees.some((c) => c.niveau !== "d") ? ZOOM_COMMUNE : ZOOM_DEPARTEMENT;
  etat.carte.fitBounds(placees.map((c) => [c.lat, c.lon]), { maxZoom: zoom, padding: [30, 30] });
  annoncer(messageCentre(placees));
}

/** Centre on the person's position, mark it, and sort the list from it. */
function placerMoi(etat, position) {
  etat.moi = { lat: position.coords.latitude, lon: position.coords.longitude };
  etat.repereMoi?.remove();
  etat.repereMoi = L.circleMarker([etat.moi.lat, etat.moi.lon],
    { radius: 9, className: "carte-moi", interactive: false }).addTo(etat.carte);
  etat.carte.setView([etat.moi.lat, etat.moi.lon], ZOOM_MOI);
  suivreVue(etat).catch(() => {});
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
  const noms = suggestions(await communes(etat, champ.value), champ.value);
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
  etat.carte.on("moveend", () => suivreVue(etat).catch(() => annoncer("Les lieux de cette zone n'ont pas pu être chargés.")));
}

/** Apply the URL's filters and view, connect the controls, draw. */
async function preparer(etat) {
  const params = new URLSearchParams(location.search);
  await chargerFacettes(etat, facettesDeUrl(etat.donnees, params));
  etat.selection = selectionDepuisUrl(etat.donnees, etat.facettes, params);
  etat.ouvert = params.get("ouvert") === "maintenant";
  if (etat.ouvert) await lireOuverts(etat);
  const filtres = document.querySelector(".carte-filtres");
  filtres.addEventListener("toggle", () => lireOuverts(etat).catch(() => {}), { once: true });  // the box's count
  brancherFiltres(etat, filtres, () => appliquerFiltres(etat));
  calculerFiltre(etat);
  $("carte-filtres-actifs").textContent = resumeFiltres(etat);
  await vueInitiale(etat, params, etat.page);
  brancher(etat);
  await suivreVue(etat);
}

/** Start the page: show the map, load the places, then apply the URL's state. */
async function demarrer() {
  const page = $("carte-page");
  if (!page) return;
  if (!window.L || !window.Supercluster) {
    page.hidden = true;  // no map library: only the links to the lists
    return;
  }
  const etat = { page, site: page.dataset.site, carte: creerCarte(page), marqueurs: new Map(),
                 moi: null, communes: new Map(), comptes: null, ouvert: false, ouverts: null, maintenant: null,
                 base: new URL(page.dataset.donnees, location.href).href, fichiers: new Map(), facettes: new Map(),
                 lieux: new Map(), version: 0, versionFiltre: 0, versionIndex: "", jeton: 0, filtres: [],
                 selection: new Map(), masque: null, sommes: null, groupes: null, index: null,
                 libelles: JSON.parse($("carte-libelles")?.textContent || "{}") };
  etat.calque = L.layerGroup().addTo(etat.carte);
  try {
    etat.donnees = decoderIndex(await chargerJson(`${etat.base}index.json`));
  } catch {
    annoncer("Les lieux n'ont pas pu être chargés. Utilisez les listes plus bas.");
    return;
  }
  try {
    await preparer(etat);
  } catch (erreur) {
    console.warn("Carte :", erreur);
    annoncer("Les lieux n'ont pas pu être chargés. Utilisez les listes plus bas.");
    return;
  }
  page.dataset.etat = "prete";  // for tests and the benchmark: the map is usable
  performance.mark("carte-prete");
}

demarrer();
