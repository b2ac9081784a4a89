// The "Voir N lieux" button of a filters panel (pure: no DOM). The count comes from the page's own
// status sentence ("22 lieux trouvés pour « atelier »", "1 234 lieux dans cette zone de la carte"),
// so the search and the map keep one source for their numbers.

/** The first number of a French sentence (thousands separated by spaces), 0 for none. */
export function nombreDans(texte) {
  const trouve = /\d[\d\s\u00a0\u202f]*/.exec(texte || "");
  return trouve ? Number(trouve[0].replace(/\D/g, "")) : 0;
}

/** The button's words for `n` places: "Voir 1 lieu", "Voir 1 234 lieux", "Aucun lieu : retirer des filtres". */
export function texteVoir(n) {
  if (!n) return "Aucun lieu : changez les filtres";
  return `Voir ${n.toLocaleString("fr-FR")} ${n > 1 ? "lieux" : "lieu"}`;
}

/** The button's words for the page's count sentence: "Voir N lieux" when it gives a number, the
 *  "no place" words when it starts with "Aucun", else "Voir les lieux" (e.g. "Tapez un mot…"). */
export function texteBouton(phrase) {
  const texte = (phrase || "").trim();
  if (/^aucun/i.test(texte)) return texteVoir(0);
  return /\d/.test(texte) ? texteVoir(nombreDans(texte)) : "Voir les lieux";
}
