// The directory's service worker: the site keeps working without a network after one visit.
//
// Written at the root of the site by plugins/annuaire/hors_ligne.py, with the build's id in
// VERSION: each build is a new worker with its own caches. Its scope is the folder it is served
// from, so the site works the same under a sub-path (SITEURL = "/annuaire").
//  - Pages (HTML): network first (an online visit always shows the latest build), the copy kept
//    when the network fails or is too slow, and the offline page (hors-ligne/) for a page never
//    visited.
//  - The theme (CSS, JS, images, map library) and the search index's parts: cache first; their
//    content is fixed within a build, and the cache goes with the build.
//  - Other files (data, the index's entry file): network first, the kept copy otherwise.
// A new worker refetches what the last one kept (so that what was available offline still is, in
// its new version), then deletes the last build's caches. Other origins (map tiles) are left alone.
// A classic script, not a module: every browser that has service workers can run it.
"use strict";

const VERSION = "__VERSION_CONSTRUCTION__";
const PORTEE = new URL("./", self.location).pathname; // "/" or "/annuaire/"
// Cache names: "annuaire:<scope>:<build>:pages|fichiers" (hors-ligne-donnees.js reads them too).
const PREFIXE = `annuaire:${PORTEE}:`;
const PAGES = `${PREFIXE}${VERSION}:pages`;
const FICHIERS = `${PREFIXE}${VERSION}:fichiers`;
const HORS_LIGNE = `${PORTEE}hors-ligne/`;
const PAGES_D_AVANCE = ["", "hors-ligne/", "mes-lieux/"];
const FICHIERS_D_AVANCE = [
  "theme/css/annuaire.css", "theme/css/territoire.css", "theme/css/impression.css",
  "theme/js/hors-ligne.js", "theme/js/hors-ligne-donnees.js", "theme/js/favoris.js",
  "theme/js/favoris-donnees.js", "theme/images/favicon.svg", "theme/images/icone-192.png",
  "manifest.webmanifest",
];
const DELAI_RESEAU_MS = 4000; // on a bad network, a kept copy is shown after this long
const MAXIMUM = { pages: 300, fichiers: 3000 }; // entries kept per cache (oldest dropped)
const EN_PARALLELE = 6;

// --- pure helpers ---------------------------------------------------------------------------

/** The cache key of a URL: without its query (a search page is one page whatever its query;
 *  Pagefind asks for its entry file with a time stamp). */
function cle(url) {
  const adresse = new URL(url, self.location);
  return adresse.origin + adresse.pathname;
}

/** The path of a URL inside the scope ("lieux/x/"), or null outside it. */
function dansLaPortee(url) {
  const adresse = new URL(url, self.location);
  if (adresse.origin !== self.location.origin || !adresse.pathname.startsWith(PORTEE)) return null;
  return adresse.pathname.slice(PORTEE.length);
}

/** Files fixed within a build, served from the cache first: the theme (CSS, JS, images, the map
 *  library in theme/vendor/) and the search index's parts (but not its entry file). */
function fixePourLaConstruction(chemin) {
  if (chemin.startsWith("theme/")) return true;
  return /^pagefind(-delta)?\//.test(chemin) && !chemin.endsWith("/pagefind-entry.json");
}

function estPage(requete) {
  return requete.mode === "navigate";
}

function estHtml(reponse) {
  return (reponse.headers.get("content-type") || "").startsWith("text/html");
}

// --- caches ---------------------------------------------------------------------------------

/** Keep a response (a good, same-origin one; HTML for the pages) in `nom`, dropping the oldest
 *  entries past the maximum. A redirected response is kept, copied, at the address it ended at. */
async function garder(nom, url, reponse) {
  if (!reponse.ok || reponse.type !== "basic" || (nom === PAGES && !estHtml(reponse))) return;
  const copie = reponse.redirected
    ? new Response(await reponse.blob(), { status: reponse.status, headers: reponse.headers })
    : reponse;
  const cache = await caches.open(nom);
  await cache.put(cle(reponse.redirected ? reponse.url : url), copie);
  const cles = await cache.keys();
  const maximum = nom === PAGES ? MAXIMUM.pages : MAXIMUM.fichiers;
  await Promise.all(cles.slice(0, Math.max(0, cles.length - maximum)).map((c) => cache.delete(c)));
}

async function copieGardee(nom, url) {
  const cache = await caches.open(nom);
  return cache.match(cle(url));
}

/** The network's answer, kept in `nom`; or the kept copy when the network fails, or when it is
 *  slower than DELAI_RESEAU_MS and a copy exists (the network's answer is still kept then). */
function reseauDAbord(evenement, nom, requete) {
  const reseau = fetch(requete);
  // Asked now, while the event is being dispatched: the answer may come after a kept copy was
  // served. This callback is attached first, so it copies the body before the page reads it.
  evenement.waitUntil(reseau.then((reponse) => garder(nom, requete.url, reponse.clone())).catch(() => {}));
  const lent = new Promise((resoudre) => setTimeout(resoudre, DELAI_RESEAU_MS))
    .then(() => copieGardee(nom, requete.url))
    .then((copie) => copie || reseau);
  return Promise.race([reseau, lent]).catch(async () => {
    const copie = await copieGardee(nom, requete.url);
    if (copie) return copie;
    throw new Error("hors connexion");
  });
}

/** A page: the network (revalidated, so that a new build shows at once), else the kept copy,
 *  else the offline page. A redirect (a folder without its slash) is followed by the browser. */
async function page(evenement) {
  const requete = new Request(evenement.request.url, { cache: "no-cache", credentials: "same-origin" });
  try {
    const reponse = await reseauDAbord(evenement, PAGES, requete);
    if (reponse.redirected && reponse.url) return Response.redirect(reponse.url, 301);
    return reponse;
  } catch {
    return (await copieGardee(PAGES, HORS_LIGNE)) || Response.error();
  }
}

async function fichierFixe(evenement) {
  const copie = await copieGardee(FICHIERS, evenement.request.url);
  if (copie) return copie;
  const reponse = await fetch(evenement.request);
  evenement.waitUntil(garder(FICHIERS, evenement.request.url, reponse.clone()).catch(() => {}));
  return reponse;
}

function fichier(evenement) {
  const requete = new Request(evenement.request, { cache: "no-cache" });
  return reseauDAbord(evenement, FICHIERS, requete);
}

// --- a new build --------------------------------------------------------------------------

/** Run `travail` on every item, EN_PARALLELE at a time. */
async function parLots(elements, travail) {
  const file = [...elements];
  const ouvrier = async () => {
    while (file.length) await travail(file.shift()).catch(() => {});
  };
  await Promise.all(Array.from({ length: EN_PARALLELE }, ouvrier));
}

/** What an older build's caches kept, fetched again from this build: a page removed since is
 *  dropped; one the network cannot give now keeps its old copy until the next online visit. */
async function reprendre(ancien) {
  const nom = ancien.endsWith(":pages") ? PAGES : FICHIERS;
  const cache = await caches.open(ancien);
  const deja = new Set((await (await caches.open(nom)).keys()).map((r) => r.url));
  const cles = (await cache.keys()).filter((r) => !deja.has(r.url));
  await parLots(cles, async (requete) => {
    let reponse;
    try {
      reponse = await fetch(requete.url, { cache: "no-cache", credentials: "same-origin" });
    } catch {
      reponse = await cache.match(requete);
    }
    if (reponse) await garder(nom, requete.url, reponse);
  });
}

async function anciens() {
  return (await caches.keys()).filter((n) => n.startsWith(PREFIXE) && !n.startsWith(`${PREFIXE}${VERSION}:`));
}

async function installer() {
  const options = { cache: "no-cache", credentials: "same-origin" };
  await (await caches.open(PAGES)).addAll(PAGES_D_AVANCE.map((c) => new Request(PORTEE + c, options)));
  await (await caches.open(FICHIERS)).addAll(FICHIERS_D_AVANCE.map((c) => new Request(PORTEE + c, options)));
  for (const nom of await anciens()) await reprendre(nom);
}

self.addEventListener("install", (evenement) => {
  evenement.waitUntil(installer().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (evenement) => {
  evenement.waitUntil((async () => {
    await Promise.all((await anciens()).map((nom) => caches.delete(nom)));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (evenement) => {
  const requete = evenement.request;
  const chemin = requete.method === "GET" ? dansLaPortee(requete.url) : null;
  if (chemin === null || chemin === "sw.js") return; // other sites (map tiles): the browser's way
  if (estPage(requete)) evenement.respondWith(page(evenement));
  else if (fixePourLaConstruction(chemin)) evenement.respondWith(fichierFixe(evenement));
  else evenement.respondWith(fichier(evenement));
});

// A page opened before the worker was there (the first visit) sends its address and the files it
// loaded: they are kept as if the worker had seen them.
self.addEventListener("message", (evenement) => {
  const donnees = evenement.data || {};
  if (donnees.type !== "garder" || !Array.isArray(donnees.urls)) return;
  const urls = donnees.urls.filter((u) => typeof u === "string" && dansLaPortee(u) !== null).slice(0, 200);
  evenement.waitUntil(parLots(urls, async (url) => {
    const chemin = dansLaPortee(url);
    if (chemin === "sw.js") return;
    const reponse = await fetch(url, { credentials: "same-origin" });
    await garder(url === donnees.page ? PAGES : FICHIERS, url, reponse);
  }));
});
