// Mini-maps of a sheet (centred on the place) and of a commune or network page (fitted to its
// places). The coordinates come from data attributes written by partials/mini_carte.html.

const ZOOM_MAX = 19;

/** "lat,lon;lat,lon" → [[lat, lon], …]. */
function lirePoints(texte) {
  return (texte || "").split(";").filter(Boolean).map((paire) => paire.split(",").map(Number));
}

/** Draw one mini-map in its (hidden until now) zone. */
function dessiner(zone) {
  const points = lirePoints(zone.dataset.points);
  const [sud, ouest, nord, est] = zone.dataset.limites.split(",").map(Number);
  zone.hidden = false;
  const carte = L.map(zone, { scrollWheelZoom: false, maxZoom: ZOOM_MAX, zoomControl: false });
  L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(carte);
  L.tileLayer(zone.dataset.tuiles, { attribution: zone.dataset.attribution, maxZoom: ZOOM_MAX }).addTo(carte);
  const icone = L.divIcon({ className: "mini-carte-point", iconSize: [16, 16] });
  for (const point of points) L.marker(point, { icon: icone, interactive: false, keyboard: false }).addTo(carte);
  if (sud === nord && ouest === est) carte.setView([sud, ouest], Number(zone.dataset.zoom) || 16);
  else carte.fitBounds([[sud, ouest], [nord, est]], { padding: [20, 20], maxZoom: 16 });
}

if (window.L) document.querySelectorAll("[data-mini-carte]").forEach(dessiner);
