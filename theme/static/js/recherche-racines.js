// The stem Pagefind gives a French word, as plain data (no DOM): Pagefind (1.x) lowercases what is
// typed, drops punctuation and accents, then stems each word with Snowball's French stemmer
// (pagefind_web/src/search.rs, stems_from_term) and looks the stems up in its index, whose words
// are stemmed the same way. recherche-replis.js needs the stem of a typed word to tell which of
// the index's words answered it. Words reach this module without accents, so the stemmer's
// accented suffixes (ité, ière, é, è…) never match and are left out.

const VOYELLES = "aeiouy";

/** Pagefind's words for a text: lower case, no accents, no punctuation, split on spaces. */
export function motsPagefind(texte) {
  return (texte || "").toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
    .replace(/[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu, "").split(/\s+/).filter(Boolean);
}

/** Whether `c` is a vowel for the stemmer (the prelude's capitals are not). */
function voyelle(c) {
  return c !== undefined && VOYELLES.includes(c);
}

/** The prelude: u and i between vowels, y before or after a vowel and u after q are marked in
 *  capitals, so that the suffixes do not take them for vowels. Snowball tries each position from
 *  the left, again after each change (a letter it changes is no longer a vowel). */
function prelude(mot) {
  const l = [...mot];
  for (let p = 0; p < l.length;) {
    const [c, suivant, apres] = [l[p], l[p + 1], l[p + 2]];
    let marque = -1;
    if (voyelle(c) && (suivant === "u" || suivant === "i") && voyelle(apres)) marque = p + 1;
    else if (voyelle(c) && suivant === "y") marque = p + 1;
    else if (c === "y" && voyelle(suivant)) marque = p;
    else if (c === "q" && suivant === "u") marque = p + 1;
    if (marque < 0) p += 1;
    else l[marque] = l[marque].toUpperCase();
  }
  return l.join("");
}

/** The position after the first non-vowel that follows a vowel, from `debut` (or the end). */
function apresVoyelleConsonne(mot, debut) {
  for (let i = debut + 1; i < mot.length; i += 1) {
    if (voyelle(mot[i - 1]) && !voyelle(mot[i])) return i + 1;
  }
  return mot.length;
}

/** The regions {rv, r1, r2}: where each starts (see Snowball's French stemmer). */
function regions(mot) {
  let rv = mot.length;
  if ((voyelle(mot[0]) && voyelle(mot[1]) && mot.length > 2) || /^(par|col|tap)/.test(mot)) rv = 3;
  else if (mot.startsWith("ni") && voyelle(mot[2])) rv = 3;
  else {
    const i = [...mot].findIndex((c, n) => n > 0 && voyelle(c));
    if (i > 0) rv = i + 1;
  }
  const r1 = apresVoyelleConsonne(mot, 0);
  return { rv, r1, r2: apresVoyelleConsonne(mot, r1) };
}

/** The longest of `suffixes` that `mot` ends with, starting at or after `limite`; or null. */
function plusLong(mot, suffixes, limite = 0) {
  let trouve = null;
  for (const s of suffixes) {
    const dedans = mot.endsWith(s) && mot.length - s.length >= limite;
    if (dedans && (!trouve || s.length > trouve.length)) trouve = s;
  }
  return trouve;
}

/** `b` without its last `n` letters when they start in R2 (at or after `r2`), else `autrement`. */
function siR2(b, n, r2, autrement) {
  return b.length - n >= r2 ? b.slice(0, b.length - n) : autrement;
}

/** After "ement" was removed: what precedes it (iv, eus, abl, iqU). */
function apresEment(b, r) {
  const fin = plusLong(b, ["iv", "eus", "abl", "iqU"]);
  if (!fin || b.length - fin.length < (fin === "eus" ? r.r1 : r.r2)) return b;
  const c = b.slice(0, -fin.length);
  if (fin === "eus") return c.length >= r.r2 ? c : `${c}eux`;
  if (fin === "iv" && c.endsWith("at")) return siR2(c, 2, r.r2, c);
  return c;
}

/** After "if"/"ive" was removed: a preceding "at" (and "ic" before it). */
function apresIf(b, r) {
  if (!b.endsWith("at") || b.length - 2 < r.r2) return b;
  const c = b.slice(0, -2);
  return c.endsWith("ic") ? siR2(c, 2, r.r2, `${c.slice(0, -2)}iqU`) : c;
}

// Step 1's suffixes, by what becomes of them. Each action gets the word without the suffix and
// the regions, and returns {mot, suite} (suite: step 2 is still to be tried), or null when its
// condition fails. "ité" and "ière" never occur in words without accents.
const ETAPE1 = [
  [["ance", "iqUe", "isme", "able", "iste", "eux", "ances", "iqUes", "ismes", "ables", "istes"],
    (b, r) => (b.length >= r.r2 ? { mot: b } : null)],
  [["atrice", "ateur", "ation", "atrices", "ateurs", "ations"], (b, r) => {
    if (b.length < r.r2) return null;
    return { mot: b.endsWith("ic") ? siR2(b, 2, r.r2, `${b.slice(0, -2)}iqU`) : b };
  }],
  [["logie", "logies"], (b, r) => (b.length >= r.r2 ? { mot: `${b}log` } : null)],
  [["usion", "ution", "usions", "utions"], (b, r) => (b.length >= r.r2 ? { mot: `${b}u` } : null)],
  [["ence", "ences"], (b, r) => (b.length >= r.r2 ? { mot: `${b}ent` } : null)],
  [["ement", "ements"], (b, r) => (b.length >= r.rv ? { mot: apresEment(b, r) } : null)],
  [["if", "ive", "ifs", "ives"], (b, r) => (b.length >= r.r2 ? { mot: apresIf(b, r) } : null)],
  [["eaux"], (b) => ({ mot: `${b}eau` })],
  [["aux"], (b, r) => (b.length >= r.r1 ? { mot: `${b}al` } : null)],
  [["oux"], (b) => (b && "bhjlnp".includes(b.at(-1)) ? { mot: `${b}ou` } : null)],
  [["euse", "euses"], (b, r) => {
    if (b.length >= r.r2) return { mot: b };
    return b.length >= r.r1 ? { mot: `${b}eux` } : null;
  }],
  [["issement", "issements"], (b, r) => (b.length >= r.r1 && b && !voyelle(b.at(-1)) ? { mot: b } : null)],
  [["amment"], (b, r) => (b.length >= r.rv ? { mot: `${b}ant`, suite: true } : null)],
  [["emment"], (b, r) => (b.length >= r.rv ? { mot: `${b}ent`, suite: true } : null)],
  [["ment", "ments"], (b, r) => (voyelle(b.at(-1)) && b.length - 1 >= r.rv ? { mot: b, suite: true } : null)],
];
const SUFFIXES1 = ETAPE1.flatMap(([s]) => s);

/** Step 1: {mot, fait} — fait when step 1 changed the word and step 2 is to be skipped. */
function etape1(mot, r) {
  const suffixe = plusLong(mot, SUFFIXES1);
  if (!suffixe) return { mot, fait: false };
  const [, action] = ETAPE1.find(([s]) => s.includes(suffixe));
  const change = action(mot.slice(0, -suffixe.length), r);
  if (change === null) return { mot, fait: false };
  return { mot: change.mot, fait: !change.suite };
}

const VERBES_EN_I = ["ie", "ies", "ir", "ira", "irai", "iraIent", "irais", "irait", "iras", "irent", "irez",
  "iriez", "irions", "irons", "iront", "i", "is", "issaIent", "issais", "issait", "issant", "issante",
  "issantes", "issants", "isse", "issent", "isses", "issez", "issiez", "issions", "issons", "it"];
const VERBES_E = ["er", "era", "erai", "eraIent", "erais", "erait", "eras", "erez", "eriez", "erions",
  "erons", "eront", "ez", "iez", "eais"];
const VERBES_A = ["a", "ai", "aIent", "ait", "ant", "ante", "antes", "ants", "as", "asse", "assent",
  "asses", "assiez", "assions"];
const VERBES_AIS = ["ais", "aise", "aises"];

/** Step 2a: a verb ending in i, in RV, after a non-vowel (also in RV); null when none. */
function etape2a(mot, r) {
  const s = plusLong(mot, VERBES_EN_I, r.rv);
  const reste = s && mot.slice(0, -s.length);
  return reste && reste.length > r.rv && !voyelle(reste.at(-1)) ? reste : null;
}

/** Step 2b: another verb ending, in RV; null when none ("ais" stays in mauvais, balais…). */
function etape2b(mot, r) {
  const s = plusLong(mot, ["ions", ...VERBES_E, ...VERBES_A, ...VERBES_AIS], r.rv);
  if (!s) return null;
  const reste = mot.slice(0, -s.length);
  if (s === "ions") return reste.length >= r.r2 ? reste : null;
  if (VERBES_AIS.includes(s)) return /^.al$|auv$/.test(reste) ? null : reste;
  if (VERBES_A.includes(s) && reste.endsWith("e") && reste.length - 1 >= r.rv) return reste.slice(0, -1);
  return reste;
}

/** Step 4: a final s (not after a, i, o, u or s), then ion, ier or e in RV. */
function etape4(mot, r) {
  let m = mot;
  if (m.length > 1 && m.endsWith("s") && !"aious".includes(m.at(-2))) m = m.slice(0, -1);
  const s = plusLong(m, ["ion", "ier", "Ier", "e"], r.rv);
  if (!s) return m;
  const reste = m.slice(0, -s.length);
  if (s === "ion") return reste.length >= r.r2 && /[st]$/.test(reste) && reste.length - 1 >= r.rv ? reste : m;
  return s === "e" ? reste : `${reste}i`;
}

/** Pagefind's stem of one word already lowercased, without accents or punctuation. */
export function racine(mot) {
  let m = prelude(mot);
  const r = regions(m);
  const un = etape1(m, r);
  let change = un.fait;
  m = un.mot;
  if (!change) {
    const verbe = etape2a(m, r) ?? etape2b(m, r);
    if (verbe !== null) [m, change] = [verbe, true];
  }
  m = change ? m.replace(/Y$/, "i") : etape4(m, r);
  if (/(enn|onn|ett|ell|eill)$/.test(m)) m = m.slice(0, -1);
  return m.replace(/[IUY]/g, (c) => c.toLowerCase());
}
