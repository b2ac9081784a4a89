// Distances, shared by the search page and the map (pure functions, no DOM).

/** Distance in km between two {lat, lon} points (haversine). */
export function distanceKm(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(h));
}

/** "à 850 m", "à 3,2 km"; metres rounded to `pas` (10 on the map's list, 50 on result cards). */
export function texteDistance(km, pas = 10) {
  if (km < 1) return `à ${Math.round((km * 1000) / pas) * pas} m`;
  return `à ${km.toLocaleString("fr-FR", { maximumFractionDigits: km < 10 ? 1 : 0 })} km`;
}

/** The {lat, lon} point of a "lat,lon" text, or null when it is not one. */
export function pointDe(texte) {
  const morceaux = (texte || "").split(",").map(Number);
  if (morceaux.length !== 2 || morceaux.some(Number.isNaN)) return null;
  return { lat: morceaux[0], lon: morceaux[1] };
}
