// "Ouvert maintenant" for the search page and the map: the places open at an instant.
//
// The build writes one file per Paris day (donnees/ouvertures/AAAA-MM-JJ.json, see
// plugins/annuaire/ouvertures.py): groups of places sharing the same open ranges that day, in
// minutes from the day's midnight (an absolute UTC epoch, so the visitor's time zone doesn't
// matter). Only today's file is downloaded. The ranges come from the same precomputed data as
// the sheets' badges: a place is "open now" here exactly when its badge says "Ouvert".

const JOUR_PARIS = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
});
const HEURE_PARIS = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris", hour: "numeric", minute: "2-digit", hourCycle: "h23",
});

/** The Paris date of an instant, as "AAAA-MM-JJ" (the day file's name). */
export function jourParis(instant) {
  const p = Object.fromEntries(JOUR_PARIS.formatToParts(instant).map(({ type, value }) => [type, value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** "14 h 05": the Paris time of an instant, as the page says it. */
export function heureParis(instant) {
  const [heure, minute] = HEURE_PARIS.format(instant).split(":");
  return minute === "00" ? `${Number(heure)} h` : `${Number(heure)} h ${minute}`;
}

/** The numbers of the places open at `instant` according to one day file (a Set). */
export function ouvertsA(fichier, instant) {
  const ouverts = new Set();
  const minute = (instant.getTime() / 1000 - fichier.debut) / 60;
  for (const [plages, numeros] of fichier.groupes || []) {
    for (let i = 0; i + 1 < plages.length; i += 2) {
      if (plages[i] <= minute && minute < plages[i + 1]) {
        for (const n of numeros) ouverts.add(n);
        break;
      }
    }
  }
  return ouverts;
}

/** Fetch a JSON file; null when it is missing or unreadable. */
async function json(url) {
  try {
    const reponse = await fetch(url);
    return reponse.ok ? await reponse.json() : null;
  } catch {
    return null;
  }
}

/** The open places of a site, day file fetched once per Paris day. `dossier` (ending with "/") is
 *  the site's donnees/ouvertures/; with `avecIds`, Pagefind's result ids of the open places too
 *  (pagefind.json, for the search page). `maintenant()` gives {numeros: Set, ids: Set|null,
 *  heure: "14 h 05"}, or null when the site has no data for today (built over 60 days ago). */
export function creerOuvertures(dossier, avecIds = false) {
  let jour = "";
  let fichier = null;
  const jours = json(`${dossier}jours.json`);
  const correspondance = avecIds ? json(`${dossier}pagefind.json`) : Promise.resolve(null);
  return {
    async maintenant(instant = new Date()) {
      if (jourParis(instant) !== jour) {
        jour = jourParis(instant);
        const cle = jour;  // ask only for a day the site has: no 404 in the console
        fichier = jours.then((j) => (j?.jours?.includes(cle) ? json(`${dossier}${cle}.json`) : null));
      }
      const [donnees, pagefind] = await Promise.all([fichier, correspondance]);
      if (!donnees || !Number.isFinite(donnees.debut)) return null;
      if (avecIds && !Array.isArray(pagefind?.ids)) return null;
      const numeros = ouvertsA(donnees, instant);
      const ids = avecIds ? new Set([...numeros].map((n) => pagefind.ids[n]).filter(Boolean)) : null;
      return { numeros, ids, heure: heureParis(instant) };
    },
  };
}
