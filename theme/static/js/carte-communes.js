// The offline "commune, postcode or address" lookup, from donnees/communes.json (built from the
// places themselves: no external geocoder).

/** Lower case, no accents, words separated by single spaces ("Bourg-en-Bresse" → "bourg en bresse"). */
export function normaliser(texte) {
  return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, " ").trim();
}

/** Decode communes.json into [{nom, cp, lat, lon, cle}]. */
export function decoderCommunes(json) {
  return json.communes.map(([nom, cp, lat, lon]) => ({ nom, cp, lat, lon, cle: normaliser(nom) }));
}

/** The longest commune names found as whole words in the text (for typed addresses). */
function nomsDansLeTexte(communes, texte) {
  const entoure = ` ${texte} `;
  const trouvees = communes.filter((c) => c.cle && entoure.includes(` ${c.cle} `));
  const longueur = Math.max(0, ...trouvees.map((c) => c.cle.length));
  return trouvees.filter((c) => c.cle.length === longueur);
}

/** Communes matching what was typed: a postcode first, then an exact name, a name inside an address, a prefix. */
export function chercherCommunes(communes, saisie) {
  const codePostal = saisie.match(/\b\d{5}\b/);
  const parCode = codePostal ? communes.filter((c) => c.cp === codePostal[0]) : [];
  if (parCode.length) return parCode;
  const texte = normaliser(saisie);
  if (!texte) return [];
  const exactes = communes.filter((c) => c.cle === texte);
  if (exactes.length) return exactes;
  const dansTexte = nomsDansLeTexte(communes, texte);
  return dansTexte.length ? dansTexte : communes.filter((c) => c.cle.startsWith(texte));
}

/** Up to `nombre` suggestions ("Bourg-en-Bresse (01000)") for the typed start of a name or postcode. */
export function suggestions(communes, saisie, nombre = 8) {
  const texte = normaliser(saisie);
  if (texte.length < 2) return [];
  return communes.filter((c) => c.cle.startsWith(texte) || c.cp.startsWith(texte))
    .slice(0, nombre).map((c) => `${c.nom} (${c.cp})`);
}
