// Offline use (DOM): registers the service worker (sw.js at the site's root, so that its scope is
// the whole site, SITEURL's sub-path included), reveals the "Mes lieux" link, on the offline page
// lists the pages this browser keeps, and on the search page says when it searches offline. Without JavaScript or service workers, nothing changes.

import { cacheDePages, pagesAListerHorsLigne, titreCourt } from "./hors-ligne-donnees.js";

const BASE = new URL("../../", import.meta.url); // the site's root
const LISTE_MAXIMUM = 300;

/** Register the worker once the page has loaded (its own files come first). A page opened before
 *  the worker controlled it (the first visit) asks it to keep that page and the files it used. */
function enregistrer() {
  const deja = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.register(new URL("sw.js", BASE), { scope: BASE.pathname })
    .then(() => navigator.serviceWorker.ready)
    .then((inscription) => {
      if (deja || !inscription.active) return;
      const fichiers = performance.getEntriesByType("resource").map((r) => r.name);
      inscription.active.postMessage({ type: "garder", page: location.href, urls: [location.href, ...fichiers] });
    })
    .catch(() => {}); // no worker (a private window, a browser setting): the site works online
}

async function pagesGardees() {
  const noms = (await caches.keys()).filter((n) => cacheDePages(n, BASE.pathname));
  const pages = [];
  for (const nom of noms) {
    const cache = await caches.open(nom);
    for (const requete of (await cache.keys()).slice(0, LISTE_MAXIMUM)) {
      const texte = await (await cache.match(requete)).text();
      const document_ = new DOMParser().parseFromString(texte, "text/html");
      pages.push({ url: requete.url, titre: titreCourt(document_.title, new URL(requete.url).pathname) });
    }
  }
  return pagesAListerHorsLigne(pages, BASE.pathname);
}

async function listerPagesGardees(liste) {
  const pages = "caches" in window ? await pagesGardees().catch(() => []) : [];
  liste.replaceChildren(...pages.map((p) => {
    const li = document.createElement("li");
    const lien = document.createElement("a");
    lien.href = p.url;
    lien.textContent = p.titre;
    li.append(lien);
    return li;
  }));
  document.getElementById("pages-hors-ligne-vide").hidden = pages.length > 0;
  const reessayer = document.getElementById("reessayer");
  reessayer.hidden = false;
  reessayer.addEventListener("click", () => location.reload());
  liste.closest("[data-avec-js]").hidden = false;
  liste.dataset.pret = "";
}

/** On the search page, offline: say that only words already searched on this device are found
 *  (the index's other parts are not kept), instead of a bare "no place found". */
function noterRechercheHorsLigne(compte) {
  const note = document.createElement("p");
  note.className = "note recherche-hors-ligne";
  note.textContent = "Pas de connexion : la recherche ne trouve que les mots déjà cherchés sur cet appareil.";
  compte.before(note);
  const suivre = () => {
    note.hidden = navigator.onLine;
  };
  window.addEventListener("online", suivre);
  window.addEventListener("offline", suivre);
  suivre();
}

if ("serviceWorker" in navigator && window.isSecureContext) {
  if (document.readyState === "complete") enregistrer();
  else window.addEventListener("load", enregistrer, { once: true });
}
for (const lien of document.querySelectorAll("[data-mes-lieux]")) lien.hidden = false;
const compte = document.getElementById("compte");
if (compte) noterRechercheHorsLigne(compte);
const liste = document.getElementById("pages-hors-ligne");
if (liste) listerPagesGardees(liste);
