// The offline page's data, without any DOM: which caches of the service worker (theme/hors-ligne/
// sw.js, written at the site's root) hold pages, and how to list those pages for a reader.

/** Whether a cache name is a pages cache of the directory whose scope is `portee` ("/annuaire/"):
 *  "annuaire:<scope>:<build>:pages", as sw.js names them. */
export function cacheDePages(nom, portee) {
  return nom.startsWith(`annuaire:${portee}:`) && nom.endsWith(":pages");
}

/** A page's title for the list: its <title> without the site's name after the last " – ". */
export function titreCourt(titre, secours) {
  const propre = (titre || "").replace(/\s+/g, " ").trim();
  const coupe = propre.lastIndexOf(" – ");
  return (coupe > 0 ? propre.slice(0, coupe) : propre) || secours;
}

/** The pages to list, from [{url, titre}] kept in the cache: not the offline page nor "Mes lieux", the home
 *  page first, then the place sheets, then the other pages, each group by title. */
export function pagesAListerHorsLigne(pages, portee) {
  const rang = (p) => {
    const chemin = new URL(p.url).pathname.slice(portee.length);
    if (chemin === "") return 0;
    return /^lieux\/(?!lettre\/)[^/]+\/$/.test(chemin) ? 1 : 2;
  };
  return pages
    .filter((p) => !/\/(hors-ligne|mes-lieux)\/$/.test(new URL(p.url).pathname)) // linked above
    .map((p) => ({ ...p, rang: rang(p) }))
    .sort((a, b) => a.rang - b.rang || a.titre.localeCompare(b.titre, "fr", { sensitivity: "base" }));
}
