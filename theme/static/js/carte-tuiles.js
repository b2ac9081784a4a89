// Loading the map's files by area (donnees/carte/, see carte-donnees.js): each file once, kept
// for the page's life. A view loads its zoom's group files, or, from the detail zoom, the leaves
// it overlaps (with a margin: panning a little shows places already loaded).
import { chevauche, decoderFacette, decoderGroupes, decoderLieux, feuillesDans, fichiersGroupes, compte }
  from "./carte-donnees.js";
import { distanceKm } from "./partage-geo.js";

const MARGE = 0.5;            // loaded around the view: half a screen each side
const FEUILLES_LISTE = 6;     // below the detail zoom, leaves loaded for the list, nearest first
const FEUILLES_MAX = 40;      // at the detail zoom, at most this many leaves per view

/** Fetch a JSON file; throws on an HTTP error. */
export async function chargerJson(url) {
  const reponse = await fetch(url);
  if (!reponse.ok) throw new Error(`${url} : ${reponse.status}`);
  return reponse.json();
}

/** The file's promise, fetched once. */
function une(etat, chemin, decoder) {
  if (!etat.fichiers.has(chemin)) {
    etat.fichiers.set(chemin, chargerJson(`${etat.base}${chemin}`).then(decoder));
  }
  return etat.fichiers.get(chemin);
}

/** The facets' files (values and their places), for the given keys. */
export async function chargerFacettes(etat, cles) {
  await Promise.all(cles.map(async (cle) => {
    etat.facettes.set(cle, await une(etat, `facettes/${cle}.json`, decoderFacette));
  }));
}

/** A leaf's places, added to etat.lieux (Map number → place) once. */
async function chargerFeuille(etat, i) {
  const feuille = etat.donnees.feuilles[i];
  const lieux = await une(etat, `feuilles/${feuille.nom}.json`, (json) => decoderLieux(etat.donnees, feuille, json));
  for (const lieu of lieux) {
    if (!etat.lieux.has(lieu.i)) {
      etat.lieux.set(lieu.i, lieu);
      etat.version += 1;
    }
  }
}

/** Bounds {sud, nord, ouest, est} of a Leaflet LatLngBounds. */
export function bornes(b) {
  return { sud: b.getSouth(), nord: b.getNorth(), ouest: b.getWest(), est: b.getEast() };
}

/** Distance (km) from a point to the nearest point of a leaf's square. */
function distanceFeuille(origine, feuille) {
  const b = feuille.bornes;
  const lat = Math.min(Math.max(origine.lat, b.sud), b.nord);
  const lon = Math.min(Math.max(origine.lon, b.ouest), b.est);
  return distanceKm(origine, { lat, lon });
}

/** The leaves with matching places overlapping `zone`, nearest to `origine` first. */
function feuillesUtiles(etat, zone, origine) {
  return feuillesDans(etat.donnees, zone)
    .filter((i) => compte(etat.sommes, etat.donnees.feuilles[i].debut,
      etat.donnees.feuilles[i].debut + etat.donnees.feuilles[i].n) > 0)
    .map((i) => [distanceFeuille(origine, etat.donnees.feuilles[i]), i])
    .sort((a, b) => a[0] - b[0]);
}

/** Below the detail zoom: enough nearest leaves for the list (about `besoin` matching places). */
async function feuillesPourListe(etat, zone, origine, besoin) {
  let total = 0;
  const choisies = [];
  for (const [, i] of feuillesUtiles(etat, zone, origine)) {
    if (total >= besoin || choisies.length >= FEUILLES_LISTE) break;
    const f = etat.donnees.feuilles[i];
    total += compte(etat.sommes, f.debut, f.debut + f.n);
    choisies.push(i);
  }
  await Promise.all(choisies.map((i) => chargerFeuille(etat, i)));
}

/** Load what a view needs: groups of its zoom (and leaves for the list), or its leaves. */
export async function chargerVue(etat, zoom, vue, origine, besoin) {
  const large = { sud: vue.sud - (vue.nord - vue.sud) * MARGE, nord: vue.nord + (vue.nord - vue.sud) * MARGE,
                  ouest: vue.ouest - (vue.est - vue.ouest) * MARGE, est: vue.est + (vue.est - vue.ouest) * MARGE };
  if (zoom >= etat.donnees.zoomDetail) {
    const indexes = feuillesUtiles(etat, large, origine).slice(0, FEUILLES_MAX).map(([, i]) => i);
    await Promise.all(indexes.map((i) => chargerFeuille(etat, i)));
    return null;
  }
  const noms = fichiersGroupes(etat.donnees, zoom, large);
  const fichiers = noms.map((nom) => une(etat, `z/${zoom}/${nom}.json`, (json) => decoderGroupes(etat.donnees, zoom, json)));
  const [groupes] = await Promise.all([Promise.all(fichiers), feuillesPourListe(etat, vue, origine, besoin)]);
  return groupes.flat().filter((g) => chevauche({ sud: g.lat, nord: g.lat, ouest: g.lon, est: g.lon }, large));
}

/** Load the leaves holding matching places (at most `limite`): to fit the map to a filter. */
export async function chargerCorrespondants(etat, limite = 8) {
  const monde = { sud: -90, nord: 90, ouest: -180, est: 180 };
  const indexes = feuillesUtiles(etat, monde, { lat: 0, lon: 0 }).map(([, i]) => i);
  if (indexes.length > limite) return indexes.map((i) => etat.donnees.feuilles[i].bornes);
  await Promise.all(indexes.map((i) => chargerFeuille(etat, i)));
  return null;
}
