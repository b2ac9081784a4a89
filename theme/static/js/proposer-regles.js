// The checks of `make validate` for the "Proposer un lieu" form, with the validator's own words.
// Pure functions, no DOM: node runs them in the tests (tests/proposer_regles.mjs) on the same
// generated values as the Python validator.
//
// Every pattern, message and table comes from the build (plugins/annuaire/validation/formulaire.py
// writes them into the page as JSON): phonenumbers' metadata for France and its overseas regions,
// the e-mail pattern, the hours' rewriting table. This file only ports the logic around them.
// Where a port would be too large (a full phone parser, the hours parser), the check is stricter
// than the validator, never looser: whatever it accepts, `make validate` accepts.

/** "« {} » …" with the values in order, as Python's str.format with empty braces. */
export function former(modele, ...valeurs) {
  let rang = 0;
  return modele.replace(/\{\}/g, () => String(valeurs[rang++]));
}

// Python's \b knows accented letters; JavaScript's does not, even with the u flag.
const MOT = "[\\p{L}\\p{N}_]";
const LIMITE = `(?:(?<=${MOT})(?!${MOT})|(?<!${MOT})(?=${MOT}))`;

/** A Python pattern as a JavaScript RegExp with Unicode word boundaries. */
export function motif(source, drapeaux = "") {
  return new RegExp(source.replace(/\\b/g, LIMITE), drapeaux.includes("u") ? drapeaux : drapeaux + "u");
}

const entier = (source) => motif(`^(?:${source})$`);

// --- Phones (the validator: phonenumbers, domain/formats.telephone_normalise) -------------------

const SEPARATEURS = /^[\d\s.\-/()]*$/u;

function regionPostale(codePostal, regles) {
  const code = String(codePostal || "").trim();
  const trouvee = regles.postaux.find(([prefixe]) => code.startsWith(prefixe));
  return trouvee ? trouvee[1] : "FR";
}

/** phonenumbers' length test of a national number against a region ("possible", "court"…). */
function longueur(numero, region) {
  const { longueurs, locales } = region.general;
  const n = numero.length;
  if (locales.includes(n)) return "locale";
  if (n === longueurs[0]) return "possible";
  if (n < longueurs[0]) return "court";
  if (n > longueurs[longueurs.length - 1]) return "long";
  return longueurs.includes(n) ? "possible" : "invalide";
}

const correspond = (numero, desc) => Boolean(desc)
  && (!desc.longueurs.length || desc.longueurs.includes(numero.length)) && entier(desc.motif).test(numero);

/** phonenumbers' national prefix ("0"), removed when what is left still looks like a number. */
function sansPrefixeNational(numero, region) {
  if (!numero || !region.prefixe_national) return numero;
  const trouve = motif(`^(?:${region.prefixe_national})`).exec(numero);
  if (!trouve) return numero;
  const reste = numero.slice(trouve[0].length);
  const viable = entier(region.general.motif).test(numero);
  return viable && !entier(region.general.motif).test(reste) ? numero : reste;
}

/** The country code at the start of `chiffres` (1 to 3 digits, as phonenumbers reads it). */
function indicatifEnTete(chiffres, regles) {
  if (chiffres.startsWith("0")) return null;
  for (let n = 1; n <= 3; n++) {
    if (regles.indicatifs_monde.includes(Number(chiffres.slice(0, n)))) return chiffres.slice(0, n);
  }
  return null;
}

/** (country code, national number) or a message key, as phonenumbers.parse would read it. */
function lireNumero(brut, regles, codeRegion) {
  const region = regles.regions[codeRegion];
  let chiffres = brut.replace(/\D/g, "");
  let international = brut.startsWith("+");
  const idd = region.prefixe_international;
  if (!international && idd && chiffres.startsWith(idd) && chiffres[idd.length] !== "0") {
    chiffres = chiffres.slice(idd.length);
    international = true;
  }
  if (international) {
    const cc = indicatifEnTete(chiffres, regles);
    if (!cc) return { erreur: "illisible" };
    return { cc: Number(cc), national: chiffres.slice(cc.length) };
  }
  return { cc: region.indicatif, national: chiffres, defaut: codeRegion };
}

/** phonenumbers' rule for a national number that starts with its own country code ("33 4 77…"). */
function sansIndicatifRepete(lu, region) {
  const cc = String(region.indicatif);
  if (!lu.defaut || !lu.national.startsWith(cc)) return lu.national;
  const reste = sansPrefixeNational(lu.national.slice(cc.length), region);
  const general = entier(region.general.motif);
  const mieux = !general.test(lu.national) && general.test(reste);
  return mieux || longueur(lu.national, region) === "long" ? reste : lu.national;
}

function numeroNational(lu, regles) {
  const regions = regles.indicatifs[lu.cc];
  const region = regles.regions[lu.defaut || regions[0]];
  let national = sansIndicatifRepete(lu, region);
  if (national.length < 2) return null;
  const sans = sansPrefixeNational(national, region);
  if (!["court", "locale", "invalide"].includes(longueur(sans, region))) national = sans;
  return national.length < 2 || national.length > 17 ? null : national;
}

function valide(national, regions, regles) {
  return regions.some((code) => {
    const region = regles.regions[code];
    return correspond(national, region.general) && region.types.some((d) => correspond(national, d));
  });
}

/** phonenumbers' VALID_PHONE_NUMBER: exactly two digits, or three digits and more. */
function viable(brut) {
  const extrait = brut.replace(/[^\p{L}\p{N}#]+$/u, "");
  return /^\d{2}$/u.test(extrait) || brut.replace(/\D/g, "").length >= 3;
}

/** {forme: "+33477123456"} or {message} with the validator's words; `regles`: rules.telephone. */
export function verifierTelephone(texte, codePostal, regles) {
  const brut = texte.trim();
  const m = regles.messages;
  const plus = brut.startsWith("+") ? brut.slice(1) : brut;
  if (!SEPARATEURS.test(plus) || !viable(brut)) return { message: former(m.illisible, brut) };
  const lu = lireNumero(brut, regles, regionPostale(codePostal, regles));
  if (lu.erreur) return { message: former(m.illisible, brut) };
  const regions = regles.indicatifs[lu.cc];
  if (!regions) {  // another country's rules are not in the page: refused as foreign once parsed
    const lisible = lu.national.length >= 2 && lu.national.length <= 17;
    return { message: former(lisible ? m.etranger : m.illisible, brut) };
  }
  const national = numeroNational(lu, regles);
  if (national === null) return { message: former(m.illisible, brut) };
  if (!["possible", "locale"].includes(longueur(national, regles.regions[regions[0]]))) {
    return { message: former(m.incomplet, brut) };
  }
  if (!valide(national, regions, regles)) return { message: former(m.non_attribue, brut) };
  const forme = `+${lu.cc}${national}`;
  if (!motif(regles.motif_standard).test(forme)) return { message: former(m.etranger, brut) };
  return { forme };
}

// --- E-mails and URLs (domain/formats.courriel_valide, url_erreur) -----------------------------

/** The validator's message for an e-mail address, "" when it is a valid one. */
export function verifierCourriel(texte, regles) {
  const bon = texte.length <= regles.max && !regles.debuts_interdits.includes(texte[0] || "x")
    && motif(regles.motif).test(texte);
  return bon ? "" : former(regles.message, texte);
}

const imprimable = (c) => c === " " || !/[\p{C}\p{Z}]/u.test(c);
const hexa = (c) => "U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");

function caractereInterditUrl(texte, interdits) {
  for (const c of texte) {
    if (/\s/u.test(c) || /[\p{Cc}\p{Cf}]/u.test(c) || interdits.includes(c)) {
      return imprimable(c) ? `« ${c} »` : hexa(c);
    }
  }
  return "";
}

/** urllib's _checknetloc: a non-ASCII host that NFKC turns into one with a URL delimiter. */
function normalisationPiegee(netloc) {
  if (!/[^\x00-\x7f]/u.test(netloc)) return false;
  const sans = netloc.replace(/[@:#?]/gu, "");
  const normal = sans.normalize("NFKC");
  return sans !== normal && /[/?#@:]/u.test(normal);
}

/** Python's urlsplit, as far as url_erreur reads it: scheme, netloc, hostname; null when it raises. */
function decouper(texte) {
  const schema = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/su.exec(texte);
  const [scheme, reste] = schema ? [schema[1].toLowerCase(), schema[2]] : ["", texte];
  const netloc = reste.startsWith("//") ? reste.slice(2).split(/[/?#]/u)[0] : "";
  if (netloc.includes("[") !== netloc.includes("]")) return null;
  if (netloc.includes("[") || normalisationPiegee(netloc)) return null;  // bracketed hosts: stricter
  const hote = netloc.slice(netloc.lastIndexOf("@") + 1).split(":")[0].toLowerCase();
  return { scheme, netloc, hote };
}

/** The first word of each letter's Unicode name ("LATIN", "CYRILLIC"…), from the build's table. */
function alphabet(c, table) {
  const point = c.codePointAt(0);
  if (point < 0x80) return /[A-Za-z]/u.test(c) ? "LATIN" : null;
  let [bas, haut] = [0, table.debuts.length - 1];
  while (bas < haut) {
    const milieu = (bas + haut + 1) >> 1;
    if (table.debuts[milieu] <= point) bas = milieu; else haut = milieu - 1;
  }
  const rang = table.mots[bas];
  return point >= table.fin ? `?${point}` : rang < 0 ? null : table.noms[rang];
}

function melangeAlphabets(hote, table) {
  return hote.split(".").some((etiquette) => {
    const noms = new Set([...etiquette].map((c) => alphabet(c, table)).filter(Boolean));
    return noms.size > 1;
  });
}

/** The validator's reason for a URL, "" when it is a safe http(s) one; `regles`: rules.url. */
export function erreurUrl(texte, regles) {
  const m = regles.messages;
  if (texte.length > regles.max) return m.trop_longue;
  const interdit = caractereInterditUrl(texte, regles.interdits);
  if (interdit) return former(m.caractere, interdit);
  const parties = decouper(texte);
  if (!parties) return m.illisible;
  if (!["http", "https"].includes(parties.scheme) || !parties.hote || !parties.netloc.includes(".")) {
    return m.pas_http;
  }
  return melangeAlphabets(parties.hote, regles.alphabets) ? m.alphabets : "";
}

// --- Free text (validation/regles.py: formulas, tags, invisible characters) --------------------

const DIRECTIONS = (regles) => new Set(regles.texte.direction);

/** formats.ressemble_formule: =, @, or + and - not before a digit. */
function ressembleFormule(texte) {
  const [premier, second] = [...texte];
  if (!premier) return false;
  if ("=@\t\r".includes(premier)) return true;
  return "+-".includes(premier) && !(second && /\p{Nd}/u.test(second));
}

/** The validator's messages for a free-text value (formula, tag, invisible character). */
export function problemesTexte(texte, regles) {
  const messages = [];
  if (ressembleFormule(texte)) messages.push(regles.messages.formule);
  if (motif(regles.texte.balise, "i").test(texte)) messages.push(regles.messages.balise);
  const directions = DIRECTIONS(regles);
  for (const c of texte) {
    if ("\t\n\r".includes(c)) continue;
    if (/\p{Cc}/u.test(c) || directions.has(c)) {
      messages.push(former(regles.messages.invisible, hexa(c)));
      break;
    }
  }
  return messages;
}

// --- Hours (domain/horaires: verifier, suggerer) -------------------------------------------------

const HEURE = "(?:[01]\\d|2[0-3]):[0-5]\\d|24:00";

/** The strict subset of the syntax the form accepts: days (or none) then ranges ("Mo-Fr
 *  09:00-12:00,14:00-17:00") or "off", rules joined by "; ", or "24/7". Every such value the
 *  validator does not find ambiguous validates (property test). */
export function dansLeSousEnsemble(texte, regles) {
  if (texte === "24/7") return true;
  const jour = `(?:${regles.jours.join("|")})`;
  const jours = `(?:${jour}(?:-${jour})?|PH)(?:,(?:${jour}(?:-${jour})?|PH))*`;
  const plage = `(${HEURE})-(${HEURE})`;
  // A rule may have no days ("off", "18:00-19:00": every day), as the validator accepts it.
  const regle = new RegExp(`^(?:${jours} )?(?:off|${plage}(?:,${plage})*)$`, "u");
  return texte.split("; ").every((morceau) => regle.test(morceau) && plagesCroissantes(morceau));
}

function plagesCroissantes(regle) {
  const minutes = (h) => Number(h.slice(0, 2)) * 60 + Number(h.slice(3));
  return [...regle.matchAll(/(\d{2}:\d{2})-(\d{2}:\d{2})/gu)].every(([, a, b]) => minutes(a) < minutes(b));
}

/** suggerer's first rewriting (verification._retoucher), from the same table, then French filler
 *  words dropped ("du lundi au vendredi" → "Mo-Fr"). */
export function retoucher(texte, regles) {
  const jours = Object.keys(regles.jours_fr).join("|");
  let propre = texte.replace(/\u00a0/gu, " ").trim();
  propre = propre.replace(motif(`\\b(${jours})s?\\b\\.?`, "gi"), (_, j) => regles.jours_fr[j.toLowerCase()]);
  propre = propre.replace(motif(`\\b(?:${regles.jours.join("|")}|PH|SH)\\b`, "gi"), (j) => (
    ["PH", "SH"].includes(j.toUpperCase()) ? j.toUpperCase() : j[0].toUpperCase() + j.slice(1).toLowerCase()));
  const appliquer = (t) => regles.retouches.reduce((acc, [m, r]) => acc.replace(motif(m, "g"), r), t);
  propre = appliquer(propre);
  const vides = motif(`(?:^|\\s)(?:${regles.mots_vides.map(echapper).join("|")})(?=\\s|$)`, "gi");
  return appliquer(propre.replace(vides, " ").replace(vides, " "));
}

const echapper = (t) => t.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");

/** `corriger` applied outside the double-quoted comments of `texte` (ambigus._hors_commentaires). */
function horsCommentaires(texte, corriger) {
  return texte.split(/("[^"]*")/u).map((morceau, i) => (i % 2 ? morceau : corriger(morceau))).join("");
}

/** A list of ranges without its zero-length ones, "off" when none is left (ambigus.py). */
function sansPlagesNulles(liste) {
  const plages = liste.split(",").map((p) => p.trim());
  const gardees = plages.filter((p) => p.slice(0, 5) !== p.slice(6));
  if (gardees.length === plages.length) return liste;
  return gardees.length ? gardees.join(",") : "off";
}

/** ambigus.ambiguite: {message, corrige} for the first writing both parsers read otherwise. */
function ambiguite(texte, regles) {
  const correcteurs = regles.ambiguites.map(([message, source, remplacement]) => [message, (t) => (
    t.replace(motif(source, "g"), remplacement === null ? sansPlagesNulles : remplacement))]);
  const trouvees = correcteurs.filter(([, corriger]) => horsCommentaires(texte, corriger) !== texte);
  if (!trouvees.length) return null;
  const corrige = correcteurs.reduce((t, [, corriger]) => horsCommentaires(t, corriger), texte);
  return { message: trouvees[0][0], corrige };
}

/** {suggestion, message} for an hours value ({} when the form accepts it); `regles`: rules.horaires.
 *  A writing the form would accept once its ambiguity is fixed is valid syntax for the validator,
 *  which then refuses it as ambiguous: same words here. */
export function verifierHoraires(texte, regles) {
  const double = ambiguite(texte, regles);
  if (!double && dansLeSousEnsemble(texte, regles)) return {};
  const court = [...texte].length <= 80 ? texte : [...texte].slice(0, 79).join("") + "…";
  if (double && dansLeSousEnsemble(double.corrige, regles)) {
    const message = former(regles.ambigu, court, double.message) + former(regles.proposition, double.corrige);
    return { suggestion: double.corrige, message };
  }
  const candidat = retoucher(texte, regles);
  const suggestion = candidat !== texte && dansLeSousEnsemble(candidat, regles) ? candidat : "";
  const message = former(regles.message, court) + (suggestion ? former(regles.proposition, suggestion) : "");
  return { suggestion, message };
}

// --- A whole proposal ----------------------------------------------------------------------------

const citer = (texte, max) => ([...texte].length <= max ? texte : [...texte].slice(0, max - 1).join("") + "…");

/** The validator's messages for one field's value (the form's field names); [] when it passes.
 *  `fiche`: the whole proposal (the phone is read in its postcode's region). */
export function problemesChamp(champ, valeur, fiche, regles) {
  if (!valeur) return [];
  const regle = regles.champs[champ] || {};
  const messages = regles.textes_libres.includes(champ) ? problemesTexte(valeur, regles) : [];
  if (regle.motif && !motif(regle.motif).test(valeur)) messages.push(former(regles.messages.hors_format, valeur, regle.format));
  const longueur = [...valeur].length;  // Python counts code points
  if (regle.longueur_max && longueur > regle.longueur_max) {
    messages.push(former(regles.messages.trop_long, longueur, regle.longueur_max));
  }
  if (regle.valeurs && !regle.valeurs.includes(valeur)) messages.push(former(regle.inconnu, valeur));
  if (champ === "telephone") {
    const { message } = verifierTelephone(valeur, fiche.code_postal, regles.telephone);
    if (message) messages.push(message);
  }
  if (regles.courriels.includes(champ) && verifierCourriel(valeur, regles.courriel)) {
    messages.push(verifierCourriel(valeur, regles.courriel));
  }
  const url = regles.urls.includes(champ) ? erreurUrl(valeur, regles.url) : "";
  if (url) messages.push(former(regles.messages.url, citer(valeur, regles.citation_max), url));
  if (champ === "horaires" && verifierHoraires(valeur, regles.horaires).message) {
    messages.push(verifierHoraires(valeur, regles.horaires).message);
  }
  return messages.map((m) => citer(m, regles.message_max));  // model.Probleme bounds them too
}
