// Which part of a two-part index (main + delta, build/index_incremental.py) may answer a word, as
// plain data (no DOM): the rule a clean build's single index follows.
//
// Pagefind looks each typed word's stem up among the words of an index that start with it; when
// none does, it falls back to the longest word of THAT index which is a beginning of the stem
// (find_word_extensions, pagefind_web/src/search.rs). A clean build has one vocabulary; the main
// index and the small delta each have their own, so for "enfantillage" the main index falls back
// to "enfant" and the delta, without "enfant", to "en", bringing back a sheet a clean build does
// not. And an index holding no word for a typed word at all leaves that word out of its search
// (search_term: a word without matches adds no condition), so the delta found "prendre rendez"
// sheets holding "rendez" alone. For each word, the page reads back from one result of each index
// the stem its matched words have (recherche-racines.js) and keeps, as a clean build would, only
// the indexes holding a word that starts with the stem, or when neither does, those whose
// fallback is the longest; an index without any word for it is left out when the other has one.
//
// Known limits: when the main index's only matches for a word are outdated sheets (the old
// version of a changed or removed sheet), what a clean build would do instead (fall back to a
// shorter beginning, or leave the word out) is never searched, so the main index's sheets it
// would find are missing; and on a site large enough for Pagefind to split its word list in
// chunks, each index falls back among the words of the chunks it loaded, which the clean build's
// chunks need not match.

import { motsPagefind, racine } from "./recherche-racines.js";

export const TOUS = Object.freeze({ principal: true, delta: true });
/** What an index did with a word it holds nothing for (nor any beginning of it). */
export const ABSENT = Object.freeze({ absent: true });
/** An index that found the word, when what it matched need not be read (the other is ABSENT). */
export const TROUVE = Object.freeze({ trouve: true });

/** The stems one word of a page's text may stand for in the index: the whole word without its
 *  punctuation, and each of its parts ("rendez-vous": rendezvous, rendez, vous). */
function racinesDe(texte) {
  const parties = motsPagefind(texte.replace(/[^\p{L}\p{N}]+/gu, " "));
  return [parties.join(""), ...parties].filter(Boolean).map(racine);
}

/** What an index did with a word of stem `s`, read from one of its results (its text `contenu`
 *  and the positions of the matched words, Pagefind's `locations`): {prolonge: true} when the
 *  index holds a word starting with `s`, {prolonge: false, repli: n} when it fell back to a
 *  beginning of `s` of n letters; null when the matched words say neither. */
export function lireCorrespondance(contenu, locations, s) {
  const mots = contenu.split(/[\r\n\s]+/g);
  let repli = 0;
  for (const position of locations) {
    for (const r of racinesDe(mots[position] || "")) {
      if (r.startsWith(s)) return { prolonge: true };
      if (s.startsWith(r)) repli = Math.max(repli, r.length);
    }
  }
  return repli ? { prolonge: false, repli } : null;
}

/** Which indexes keep their results for one word: {principal, delta}. `principal` and `delta`
 *  are lireCorrespondance's answers, or ABSENT, or null when what the index matched is unknown
 *  (both are then kept, as before this rule). */
export function gardesDuMot(principal, delta) {
  if (!principal || !delta || (principal.absent && delta.absent)) return TOUS;
  if (principal.absent || delta.absent) return { principal: !principal.absent, delta: !delta.absent };
  if (principal.prolonge || delta.prolonge) return { principal: principal.prolonge, delta: delta.prolonge };
  const plusLong = Math.max(principal.repli, delta.repli);
  return { principal: principal.repli === plusLong, delta: delta.repli === plusLong };
}

/** The indexes kept for every word of a text (a result must match each word). */
export function reunirGardes(parMot) {
  return {
    principal: parMot.every((g) => g.principal),
    delta: parMot.every((g) => g.delta),
  };
}

/** A merged search's answer {results, filters} with only the indexes of `gardes`; `duDelta`: the
 *  delta's own answer to the same search (its results' ids and filter counts). */
export function garderIndex(toutes, duDelta, gardes) {
  if (gardes.principal && gardes.delta) return toutes;
  const ids = new Set(duDelta.results.map((r) => r.id));
  const results = toutes.results.filter((r) => (ids.has(r.id) ? gardes.delta : gardes.principal));
  const filters = {};
  for (const [cle, valeurs] of Object.entries(toutes.filters || {})) {
    filters[cle] = {};
    for (const [valeur, n] of Object.entries(valeurs)) {
      const duD = duDelta.filters?.[cle]?.[valeur] || 0;
      filters[cle][valeur] = (gardes.principal ? n - duD : 0) + (gardes.delta ? duD : 0);
    }
  }
  return { ...toutes, results, filters };
}
