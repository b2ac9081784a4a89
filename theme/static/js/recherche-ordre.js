// The order of the search results, as plain data (no DOM): the same for a clean build's single
// index and for an incremental build's main index + delta (build/index_incremental.py).
//
// Pagefind ranks each index with its own statistics (BM25: the number of pages, the pages holding
// each word, the average page length; pagefind_web/src/search.rs), so the scores of the small
// delta and of the main index cannot be compared, and neither equals a clean build's. The page
// therefore orders results by what a sheet holds whichever index it is in: the number of places
// where the words are found in it (Pagefind's `words`), then the places' own order (by sheet
// slug, mapped places first: donnees/ouvertures/pagefind.json lists the result ids in that order).

/** {result id: rank} from the ids in the places' order ("" for a place without a result). */
export function rangsDepuis(ids) {
  const rangs = new Map();
  ids.forEach((id, rang) => { if (id) rangs.set(id, rang); });
  return rangs;
}

/** The results most words found first, then in the places' order (`rangs`), then by id. */
export function ranger(resultats, rangs) {
  const rang = (r) => (rangs.has(r.id) ? rangs.get(r.id) : Number.MAX_SAFE_INTEGER);
  const parId = (a, b) => (a.id < b.id ? -1 : Number(a.id > b.id));
  return [...resultats].sort((a, b) => (b.words?.length || 0) - (a.words?.length || 0)
    || rang(a) - rang(b) || parId(a, b));
}
