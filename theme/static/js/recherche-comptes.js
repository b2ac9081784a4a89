// Facet counting and ranking, as plain data (no DOM). `retires`: a Map of the main index's
// outdated results (result id → their filter values), which a delta index replaces
// (plugins/annuaire/build/index_incremental.py).

/** Facet counts {key: {value: n}} without the outdated results (those among `resultats`, or all). */
export function sansRetires(filtres, retires, resultats = null) {
  if (!retires.size) return filtres;
  const comptes = Object.fromEntries(Object.entries(filtres).map(([cle, v]) => [cle, { ...v }]));
  const enTrop = resultats ? resultats.map((r) => retires.get(r.id)).filter(Boolean) : [...retires.values()];
  for (const valeursParFiltre of enTrop) {
    for (const [cle, valeurs] of Object.entries(valeursParFiltre)) {
      for (const v of valeurs) if (comptes[cle]?.[v]) comptes[cle][v] -= 1;
    }
  }
  return comptes;
}

/** Counts per facet value of several searches whose results were put together: each value's
 *  largest count (a lower bound of the union's: a place found by two searches counts once). */
export function plusGrands(listes) {
  const comptes = {};
  for (const liste of listes) {
    for (const [cle, valeurs] of Object.entries(liste || {})) {
      comptes[cle] ||= {};
      for (const [v, n] of Object.entries(valeurs)) comptes[cle][v] = Math.max(comptes[cle][v] || 0, n);
    }
  }
  return comptes;
}

/** A search's results without the main index's outdated ones. */
export function actuels(resultats, retires) {
  return retires.size ? resultats.filter((r) => !retires.has(r.id)) : resultats;
}

/** A facet's values in display order: its fixed order first ("Gratuit" first), then by total
 *  count, then alphabetically. `totaux`: {value: n}. */
export function ordreValeurs(totaux, fixes) {
  const connus = fixes.filter((v) => v in totaux);
  const autres = Object.keys(totaux).filter((v) => !connus.includes(v));
  autres.sort((a, b) => totaux[b] - totaux[a] || a.localeCompare(b, "fr"));
  return [...connus, ...autres];
}

/** The values of one facet to show: ticked ones (always), and those with results, up to
 *  `limite`; {visibles, total} (total: how many could be shown). */
export function valeursVisibles(ordre, comptes, coches, limite) {
  const inconnues = coches.filter((v) => !ordre.includes(v));
  const connues = ordre.filter((v) => coches.includes(v) || (comptes[v] || 0) > 0);
  const candidates = [...inconnues, ...connues];
  const visibles = candidates.filter((v, i) => i < limite || coches.includes(v));
  return { visibles, total: candidates.length };
}
