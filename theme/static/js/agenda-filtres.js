// The agenda's filters as plain data (no DOM): the state read from and written to the query
// string, and whether an item matches it. An item is what its data attributes say:
// {commune, lieu, reseaux: [], themes: [], publics: [], gratuit: bool}.

export const CLES = ["commune", "theme", "public", "gratuit", "lieu", "reseau"];

/** The state of a query string: {commune, theme, public, lieu, reseau: "" or a value; gratuit: bool}. */
export function etatDepuisUrl(recherche) {
  const params = new URLSearchParams(recherche);
  const etat = {};
  for (const cle of CLES) etat[cle] = (params.get(cle) || "").trim();
  etat.gratuit = etat.gratuit === "oui";
  return etat;
}

/** The query string of a state ("" when nothing is chosen), keys in a fixed order. */
export function requeteDepuisEtat(etat) {
  const params = new URLSearchParams();
  for (const cle of CLES) {
    if (cle === "gratuit") {
      if (etat.gratuit) params.set("gratuit", "oui");
    } else if (etat[cle]) params.set(cle, etat[cle]);
  }
  const texte = params.toString();
  return texte ? `?${texte}` : "";
}

/** True when the item passes every chosen filter. */
export function correspond(item, etat) {
  if (etat.commune && item.commune !== etat.commune) return false;
  if (etat.lieu && item.lieu !== etat.lieu) return false;
  if (etat.reseau && !item.reseaux.includes(etat.reseau)) return false;
  if (etat.theme && !item.themes.includes(etat.theme)) return false;
  if (etat.public && !item.publics.includes(etat.public)) return false;
  return !(etat.gratuit && !item.gratuit);
}

/** An item from an element's data attributes (dataset). */
export function itemDepuisDonnees(donnees) {
  const liste = (texte) => (texte || "").split(" ").filter(Boolean);
  return {
    commune: donnees.commune || "",
    lieu: donnees.lieu || "",
    reseaux: liste(donnees.reseaux),
    themes: liste(donnees.themes),
    publics: liste(donnees.publics),
    gratuit: donnees.gratuit === "oui",
  };
}
