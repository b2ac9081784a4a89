// The offline "commune, postcode or address" lookup for every French commune, from the small
// files of donnees/communes/ (outputs/carte_communes.py): "sa.json" holds the communes whose name
// starts with "sa", "cp-42.json" those with a postcode starting with 42. Only the files of what
// was typed are fetched. No external geocoder.

/** Lower case, no accents, words separated by single spaces ("Bourg-en-Bresse" → "bourg en bresse"). */
export function normaliser(texte) {
  return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, " ").trim();
}

/** The file a name is looked up in: its first two letters, spaces left out (cle_fichier in Python). */
export function cleFichier(nom) {
  return normaliser(nom).replace(/ /g, "").slice(0, 2) || "_";
}

/** The files to fetch for what was typed: a postcode's département, else each word's letters. */
export function fichiersPour(saisie) {
  const chiffres = saisie.match(/\b(\d{2})\d{0,3}\b/);
  if (chiffres) return [`cp-${chiffres[1]}.json`];
  const mots = normaliser(saisie).split(" ").filter((mot) => /^[a-z]{2}/.test(mot));
  return [...new Set(mots.map((mot) => `${cleFichier(mot)}.json`))];
}

/** Decode one file into [{nom, cps, lat, lon, niveau, cle}] (lat/lon null: no place near it). */
export function decoderCommunes(json) {
  return json.communes.map(([nom, cps, lat = null, lon = null, niveau = ""]) =>
    ({ nom, cps: cps.split(" "), lat, lon, niveau, cle: normaliser(nom) }));
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
  const parCode = codePostal ? communes.filter((c) => c.cps.includes(codePostal[0])) : [];
  if (parCode.length) return parCode;
  const texte = normaliser(saisie.replace(/\b\d{5}\b/g, " "));
  if (!texte) return [];
  const exactes = communes.filter((c) => c.cle === texte);
  if (exactes.length) return exactes;
  const dansTexte = nomsDansLeTexte(communes, texte);
  return dansTexte.length ? dansTexte : communes.filter((c) => c.cle.startsWith(texte));
}

/** Up to `nombre` suggestions ("Bourg-en-Bresse (01000)") for the typed start of a name or
 * postcode: communes with places first, then the most populated (the files' order). */
export function suggestions(communes, saisie, nombre = 8) {
  const texte = normaliser(saisie);
  if (texte.length < 2) return [];
  const retenues = [];
  const avecLieux = communes.filter((c) => c.niveau === "c");
  for (const c of [...avecLieux, ...communes.filter((c) => c.niveau !== "c")]) {
    const cp = c.cle.startsWith(texte) ? c.cps[0] : c.cps.find((code) => code.startsWith(texte));
    if (cp) retenues.push(`${c.nom} (${cp})`);
    if (retenues.length === nombre) break;
  }
  return retenues;
}

/** What the map says once centred: on the commune's own places, or only near it. */
export function messageCentre(trouvees) {
  const noms = [...new Set(trouvees.map((c) => c.nom))].slice(0, 3).join(", ");
  const niveau = trouvees.some((c) => c.niveau === "c") ? "c" : trouvees[0].niveau;
  if (niveau === "c") return `Carte centrée sur ${noms}. La liste montre les lieux de cette zone.`;
  const ou = niveau === "p" ? "les lieux les plus proches (même code postal)" : "les lieux de son département";
  return `Aucun lieu de l'annuaire à ${noms} : la carte montre ${ou}.`;
}
