// Search page: Pagefind's JavaScript API, facets with counts, the state in the URL.
//
// The index (pagefind/ at the site's root, honouring SITEURL) is loaded with a dynamic import;
// the browser then downloads only the index chunks, filter lists and result fragments a query
// needs. Two Pagefind instances share the downloads: `recherche` finds the results on the main
// thread and loads only the filter lists of ticked facets (counting values over thousands of
// results is Pagefind's slowest step), `compteur` counts every facet's values in Pagefind's web
// worker, after the first results are on the page. The state lives in the URL
// (?q=…&services=…&commune=…): a search can be shared or bookmarked, and back/forward restore it.
// Within one facet the ticked values are alternatives (any of them); across facets they add up
// (all of them). "Ouvert maintenant" (?ouvert=maintenant) is not a Pagefind filter, since it depends
// on the instant: the results are narrowed in the browser with today's file of open places
// (ouvertures.js, imported only then). Without JavaScript the page keeps its links to the lists.

const PAR_PAGE = 10; // result cards loaded at a time
const ATTENTE_SAISIE = 50; // ms of quiet typing before searching (index chunks preload meanwhile)
const VALEURS_REPLIEES = 8; // facet values shown before "Afficher plus de choix"
const VALEURS_DEPLIEES = 150; // at most this many values of one facet on the page
const ECRAN_LARGE = "(min-width: 48rem)"; // facets open beside the results; folded above them on phones
const ATTENTE_COMPTES = 250; // ms without a new search before counting (counting can take seconds)

const racine = document.getElementById("recherche");
const champ = document.getElementById("q");
const compte = document.getElementById("compte");
const liste = document.getElementById("liste-resultats");
const boutonPlus = document.getElementById("plus-resultats");
const boutonEffacer = document.getElementById("effacer-filtres");
const fieldsets = [...document.querySelectorAll("fieldset[data-facette]")];
const cles = fieldsets.map((f) => f.dataset.facette);
const ouverture = document.querySelector("fieldset[data-ouverture]");
const caseOuvert = ouverture.querySelector("input");

const session = {
  recherche: null, compteur: null, totaux: null, comptes: {}, ordres: {}, deplies: new Set(),
  resultats: [], tous: [], affiches: 0,
  numero: 0, minuterie: 0, saisie: false, position: null, horaires: null, ouvertures: null, retires: new Map(),
};

// --- Small helpers ------------------------------------------------------------------------------

/** The site's base path ("/", "/sous-dossier/") from data-base (SITEURL, possibly absolute). */
function cheminBase() {
  return new URL(`${racine.dataset.base || ""}/`, window.location.href).pathname.replace(/\/+$/, "/");
}

/** An element with a class and a text. */
function element(nom, classe = "", texte = "") {
  const noeud = document.createElement(nom);
  if (classe) noeud.className = classe;
  if (texte) noeud.textContent = texte;
  return noeud;
}

/** "1 lieu", "3 lieux": a count with its French noun. */
function pluriel(nombre, un, plusieurs) {
  return `${nombre.toLocaleString("fr-FR")} ${nombre > 1 ? plusieurs : un}`;
}

// --- State and URL ------------------------------------------------------------------------------

/** The state {q, filtres: {key: [values]}} read from a query string. */
function etatDepuisUrl(recherche = window.location.search) {
  const params = new URLSearchParams(recherche);
  const filtres = {};
  for (const cle of cles) {
    const valeurs = params.getAll(cle).filter(Boolean);
    if (valeurs.length) filtres[cle] = [...new Set(valeurs)];
  }
  return { q: (params.get("q") || "").trim(), filtres, ouvert: params.get("ouvert") === "maintenant" };
}

/** The query string of a state, facets in the page's order. */
function urlDepuisEtat(etat) {
  const params = new URLSearchParams();
  if (etat.q) params.set("q", etat.q);
  if (etat.ouvert) params.set("ouvert", "maintenant");
  for (const cle of cles) for (const valeur of etat.filtres[cle] || []) params.append(cle, valeur);
  const texte = params.toString();
  return `${window.location.pathname}${texte ? `?${texte}` : ""}`;
}

/** The state shown on the page: the input's words and the ticked boxes. */
function etatDeLaPage() {
  const filtres = {};
  for (const boite of document.querySelectorAll("fieldset[data-facette] input:checked")) {
    (filtres[boite.name] ||= []).push(boite.value);
  }
  return { q: champ.value.trim(), filtres, ouvert: caseOuvert.checked };
}

/** Record the state in the history: a new entry, or the current one while the user types. */
function memoriser(etat, remplacer) {
  const url = urlDepuisEtat(etat);
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (remplacer) window.history.replaceState(etat, "", url);
  else window.history.pushState(etat, "", url);
}

// --- Pagefind -----------------------------------------------------------------------------------

/** Pagefind's filter syntax: one value as is, several as alternatives. */
function filtresPagefind(filtres, sauf = "") {
  const resultat = {};
  for (const [cle, valeurs] of Object.entries(filtres)) {
    if (cle !== sauf && valeurs.length) resultat[cle] = valeurs.length === 1 ? valeurs[0] : { any: valeurs };
  }
  return resultat;
}

/** A search with words (or none: filters only) and filters. */
function chercherDans(instance, q, filtres) {
  return instance.search(q || null, { filters: filtres });
}

/** Counts per facet value for `etat` (a facet with ticked values ignores its own ticks); null when
 *  a newer search took over meanwhile. */
async function compter(etat, numero) {
  if (!etat.q && !Object.keys(etat.filtres).length) return session.totaux;
  const toutes = await chercherDans(session.compteur, etat.q, filtresPagefind(etat.filtres));
  const comptes = sansRetires(toutes.filters, toutes.results);
  for (const cle of Object.keys(etat.filtres)) {
    if (numero !== session.numero) return null;
    const sans = await chercherDans(session.compteur, etat.q, filtresPagefind(etat.filtres, cle));
    comptes[cle] = sansRetires(sans.filters, sans.results)[cle] || {};
  }
  return numero === session.numero ? comptes : null;
}

/** Redraw the facets with their counts for `etat`, once every facet's values are known. */
async function mettreAJourComptes(etat, numero) {
  if (!session.totaux) return;
  await new Promise((fin) => { window.setTimeout(fin, ATTENTE_COMPTES); });
  if (numero !== session.numero) return;
  const comptes = await compter(etat, numero);
  if (!comptes) return;
  dessinerFacettes(comptes, etat);
  await compterOuverts(etat, numero);
  racine.dataset.comptes = "";
}

// --- "Ouvert maintenant" ------------------------------------------------------------------------

/** The places open now ({ids, heure}), from today's file; null when the site has none for today
 *  (or its module cannot load). */
async function ouvertsMaintenant() {
  session.ouvertures ||= import(`${cheminBase()}theme/js/ouvertures.js`)
    .then((module) => module.creerOuvertures(`${cheminBase()}donnees/ouvertures/`, true))
    .catch(() => ({ maintenant: async () => null }));
  return (await session.ouvertures).maintenant();
}

/** Show the "Ouvert maintenant" box: ticked or not, its count (null: not known), and the time.
 *  `ouverts` undefined: not loaded yet (the box is shown, the data comes when it is first ticked). */
function dessinerOuverture(etat, ouverts, nombre) {
  caseOuvert.checked = etat.ouvert;
  ouverture.hidden = ouverts === null && !etat.ouvert;
  const compteOuvert = ouverture.querySelector(".facette-compte");
  compteOuvert.textContent = nombre === null ? "" : `(${nombre.toLocaleString("fr-FR")})`;
  const autres = " Les nombres des autres rubriques comptent aussi les lieux fermés en ce moment.";
  const notes = {
    undefined: "Selon les horaires publiés, à l'heure qu'il est.",
    null: "Les horaires du jour ne sont pas disponibles : ce filtre est sans effet.",
  };
  ouverture.querySelector(".recherche-aide").textContent = ouverts
    ? `À ${ouverts.heure}, d'après les horaires publiés.${etat.ouvert ? autres : ""}`
    : notes[ouverts];
}

/** Count the open places among the current search's results (all places when nothing is asked).
 *  The data (about 200 KB on a national directory) is loaded only once the box is first ticked. */
async function compterOuverts(etat, numero) {
  if (!etat.ouvert && !session.ouvertures) return dessinerOuverture(etat, undefined, null);
  const ouverts = await ouvertsMaintenant();
  if (numero !== session.numero) return;
  const vide = !etat.q && !Object.keys(etat.filtres).length;
  const nombre = !ouverts ? null : vide ? ouverts.ids.size : session.tous.filter((r) => ouverts.ids.has(r.id)).length;
  dessinerOuverture(etat, ouverts, nombre);
}

/** donnees/recherche.json: whether a small index of the sheets changed since the main one was
 *  made (pagefind-delta/) is to be merged, and the main index's outdated results with their filter
 *  values (plugins/annuaire/index_incremental.py). */
async function lireEtatIndex(base) {
  try {
    const reponse = await fetch(`${base}donnees/recherche.json`);
    if (reponse.ok) return await reponse.json();
  } catch {
    // An older site without the file: the main index alone.
  }
  return { delta: false, retires: {} };
}

/** Load Pagefind from the site's own pagefind/ folder (and its delta): the results instance is
 *  ready on return. */
async function chargerPagefind() {
  const base = cheminBase();
  const [module, etatIndex] = await Promise.all([import(`${base}pagefind/pagefind.js`), lireEtatIndex(base)]);
  const options = { basePath: `${base}pagefind/`, baseUrl: base, excerptLength: 24 };
  session.recherche = module.createInstance({ ...options, noWorker: true });
  session.compteur = module.createInstance(options);
  session.retires = new Map(Object.entries(etatIndex.retires || {}));
  if (etatIndex.delta) {
    await Promise.all([session.recherche, session.compteur].map((i) => i.mergeIndex(`${base}pagefind-delta/`)));
  }
  await session.recherche.init();
}

/** Facet counts without the outdated results of the main index (those among `resultats`, or all). */
function sansRetires(filtres, resultats = null) {
  if (!session.retires.size) return filtres;
  const comptes = Object.fromEntries(Object.entries(filtres).map(([cle, v]) => [cle, { ...v }]));
  const retires = resultats ? resultats.map((r) => session.retires.get(r.id)).filter(Boolean)
    : [...session.retires.values()];
  for (const valeursParFiltre of retires) {
    for (const [cle, valeurs] of Object.entries(valeursParFiltre)) {
      for (const v of valeurs) if (comptes[cle]?.[v]) comptes[cle][v] -= 1;
    }
  }
  return comptes;
}

/** A search's results without the main index's outdated ones. */
function actuels(resultats) {
  return session.retires.size ? resultats.filter((r) => !session.retires.has(r.id)) : resultats;
}

/** In the background: every facet's values and totals, then the counts of the current search. */
async function chargerComptes() {
  try {
    session.totaux = sansRetires(await session.compteur.filters());
  } catch (erreur) {
    console.warn("Filtres indisponibles :", erreur);
    return;
  }
  for (const fieldset of fieldsets) session.ordres[fieldset.dataset.facette] = ordreValeurs(fieldset);
  await mettreAJourComptes(etatDeLaPage(), session.numero);
}

// --- Facets -------------------------------------------------------------------------------------

/** A facet's values in display order: its fixed order first ("Gratuit" first), then by total count. */
function ordreValeurs(fieldset) {
  const cle = fieldset.dataset.facette;
  const totaux = session.totaux[cle] || {};
  const fixes = (fieldset.dataset.ordre || "").split("|").filter((v) => v in totaux);
  const autres = Object.keys(totaux).filter((v) => !fixes.includes(v));
  autres.sort((a, b) => totaux[b] - totaux[a] || a.localeCompare(b, "fr"));
  return [...fixes, ...autres];
}

/** One checkbox with its label and count (null: not counted yet). */
function caseAcocher(cle, valeur, nombre, cochee, numero) {
  const ligne = element("li");
  const boite = Object.assign(element("input"), { type: "checkbox", name: cle, value: valeur,
    checked: cochee, id: `f-${cle}-${numero}` });
  const etiquette = Object.assign(element("label", "", valeur), { htmlFor: boite.id });
  if (nombre !== null) {
    etiquette.append(" ", element("span", "facette-compte", `(${nombre.toLocaleString("fr-FR")})`));
  }
  ligne.append(boite, etiquette);
  return ligne;
}

/** The values of one facet to show: ticked ones (always), and those with results, up to the limit. */
function valeursVisibles(fieldset, comptes, coches) {
  const cle = fieldset.dataset.facette;
  const ordre = session.ordres[cle] || [];
  const inconnues = coches.filter((v) => !ordre.includes(v));
  const connues = ordre.filter((v) => coches.includes(v) || (comptes[v] || 0) > 0);
  const candidates = [...inconnues, ...connues];
  const limite = session.deplies.has(cle) ? VALEURS_DEPLIEES : VALEURS_REPLIEES;
  const visibles = candidates.filter((v, i) => i < limite || coches.includes(v));
  return { visibles, total: candidates.length };
}

/** Redraw one facet's checkboxes with counts, keeping the keyboard focus on the same value. */
function dessinerFacette(fieldset, comptes, coches) {
  const cle = fieldset.dataset.facette;
  const actif = fieldset.contains(document.activeElement) ? document.activeElement : null;
  const { visibles, total } = valeursVisibles(fieldset, comptes, coches);
  const ul = fieldset.querySelector("ul");
  const nombre = (v) => (session.totaux ? comptes[v] || 0 : null);
  ul.replaceChildren(...visibles.map((v, i) => caseAcocher(cle, v, nombre(v), coches.includes(v), i)));
  const plus = fieldset.querySelector(".facette-plus");
  plus.hidden = total <= VALEURS_REPLIEES;
  plus.textContent = session.deplies.has(cle) ? "Afficher moins de choix" : `Afficher plus de choix (${total})`;
  plus.setAttribute("aria-expanded", String(session.deplies.has(cle)));
  fieldset.hidden = visibles.length === 0;
  if (actif?.type === "checkbox") ul.querySelector(`input[value="${CSS.escape(actif.value)}"]`)?.focus();
  else if (actif) actif.focus();
}

/** Redraw every facet with these counts and ticks. */
function dessinerFacettes(comptes, etat) {
  session.comptes = comptes;
  for (const fieldset of fieldsets) {
    const cle = fieldset.dataset.facette;
    dessinerFacette(fieldset, comptes[cle] || {}, etat.filtres[cle] || []);
  }
  boutonEffacer.hidden = Object.keys(etat.filtres).length === 0 && !etat.ouvert;
}

// --- Result cards -------------------------------------------------------------------------------

/** Pagefind's excerpt as nodes: text and <mark> only. */
function extrait(html) {
  const modele = document.createElement("template");
  modele.innerHTML = html;
  for (const noeud of [...modele.content.querySelectorAll("*")]) {
    if (noeud.tagName !== "MARK") noeud.replaceWith(document.createTextNode(noeud.textContent));
  }
  return modele.content;
}

/** Distance in km between two [lat, lon] points (haversine). */
function distanceKm([lat1, lon1], [lat2, lon2]) {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2
    + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(a));
}

/** "à 850 m", "à 2,4 km" from the visitor's position, or "" when unknown. */
function texteDistance(geo) {
  if (!session.position || !geo) return "";
  const point = geo.split(",").map(Number);
  if (point.length !== 2 || point.some(Number.isNaN)) return "";
  const km = distanceKm(session.position, point);
  if (km < 1) return `à ${Math.round(km * 20) * 50} m`;
  return `à ${km.toLocaleString("fr-FR", { maximumFractionDigits: km < 10 ? 1 : 0 })} km`;
}

/** The status line: the opening-hours badge (filled by horaires.js) and the distance. */
function ligneEtat(meta) {
  const ligne = element("p", "resultat-etat");
  const badge = element("span", "badge-horaires");
  badge.dataset.etat = "inconnu";
  if (meta.horaires) badge.dataset.horaires = meta.horaires;
  else badge.hidden = true;
  const distance = element("span", "resultat-distance", texteDistance(meta.geo));
  if (meta.geo) distance.dataset.geo = meta.geo;
  ligne.append(badge, " ", distance);
  return ligne;
}

/** One result card: name (link), address, status, services, excerpt, fees. */
function carte(donnees) {
  const { meta = {}, filters = {} } = donnees;
  const article = element("article", "carte-lieu resultat");
  const titre = element("h3", "carte-lieu-nom");
  titre.append(Object.assign(element("a", "", meta.nom || meta.title || donnees.url), { href: donnees.url }));
  const adresse = [meta.adresse, [meta.code_postal, meta.commune].filter(Boolean).join(" ")];
  article.append(titre, element("p", "carte-lieu-adresse", adresse.filter(Boolean).join(", ")));
  if (meta.statut) article.append(element("p", "etiquette etiquette--ferme", meta.statut));
  article.append(ligneEtat(meta));
  if (filters.services?.length) {
    const services = element("ul", "carte-lieu-services");
    services.setAttribute("aria-label", "Services");
    services.append(...filters.services.map((s) => element("li", "", s)));
    article.append(services);
  }
  if (donnees.excerpt) {
    const texte = element("p", "resultat-extrait");
    texte.append(extrait(donnees.excerpt));
    article.append(texte);
  }
  if (filters.frais?.includes("Gratuit")) article.append(element("p", "etiquette etiquette--gratuit", "Gratuit"));
  const ligne = element("li");
  ligne.append(article);
  return ligne;
}

/** Fill the opening-hours badges of new cards with the sheets' own script, when it loads. */
async function remplirBadges(conteneur) {
  try {
    session.horaires ||= import(`${cheminBase()}theme/js/horaires.js`);
    (await session.horaires).afficherBadges(conteneur);
  } catch {
    // Without the badge script the cards simply show no opening status.
  }
}

/** Load and show the next page of cards, each as soon as it (and those before it) arrived;
 *  returns false when a newer search took over. */
async function afficherSuite(numero, focaliser) {
  const tranche = session.resultats.slice(session.affiches, session.affiches + PAR_PAGE);
  session.affiches += tranche.length;
  const chargements = tranche.map((r) => r.data());
  for (const [rang, chargement] of chargements.entries()) {
    const donnees = await chargement;
    if (numero !== session.numero) return false;
    const nouvelle = carte(donnees);
    liste.append(nouvelle);
    if (focaliser && rang === 0) nouvelle.querySelector("a").focus();
  }
  boutonPlus.hidden = session.affiches >= session.resultats.length;
  remplirBadges(liste);
  return true;
}

// --- Running a search ---------------------------------------------------------------------------

/** The French sentence of the result count. */
function phraseCompte(nombre, etat) {
  const filtres = Object.values(etat.filtres).reduce((n, v) => n + v.length, 0) + (etat.ouvert ? 1 : 0);
  let phrase = nombre ? `${pluriel(nombre, "lieu trouvé", "lieux trouvés")}` : "Aucun lieu trouvé";
  if (etat.q) phrase += ` pour « ${etat.q} »`;
  if (filtres) phrase += ` avec ${pluriel(filtres, "filtre", "filtres")}`;
  if (!nombre) phrase += ". Essayez un autre mot ou retirez un filtre.";
  return phrase;
}

/** Nothing asked yet: every facet with its totals, no results. */
function etatVide(etat) {
  session.resultats = [];
  session.tous = [];
  liste.replaceChildren();
  boutonPlus.hidden = true;
  dessinerFacettes(session.totaux || {}, etat);
  if (session.totaux) racine.dataset.comptes = "";
  compterOuverts(etat, session.numero);
  compte.textContent = "Tapez un mot ou cochez un filtre pour voir les lieux.";
}

/** Run the search of `etat` and show its count, facets and first cards. */
async function lancer(etat) {
  const numero = ++session.numero;
  delete racine.dataset.comptes;
  if (!etat.q && !Object.keys(etat.filtres).length && !etat.ouvert) return etatVide(etat);
  racine.setAttribute("aria-busy", "true");
  const recherche = chercherDans(session.recherche, etat.q, filtresPagefind(etat.filtres));
  const ouverts = etat.ouvert ? await ouvertsMaintenant() : null;
  const principale = await recherche;
  if (numero !== session.numero) return;
  session.tous = actuels(principale.results);
  session.resultats = ouverts ? session.tous.filter((r) => ouverts.ids.has(r.id)) : session.tous;
  if (etat.ouvert) dessinerOuverture(etat, ouverts, ouverts ? session.resultats.length : null);
  session.affiches = 0;
  liste.replaceChildren();
  if (await afficherSuite(numero, false)) {
    compte.textContent = phraseCompte(session.resultats.length, etat);
    racine.removeAttribute("aria-busy");
    await mettreAJourComptes(etat, numero);
  }
}

/** Put a state on the page (input and boxes) and run it: page load and back/forward. */
function appliquer(etat) {
  champ.value = etat.q;
  const entete = document.getElementById("q-entete");
  if (entete) entete.value = etat.q;
  dessinerFacettes(session.comptes, etat);
  caseOuvert.checked = etat.ouvert;
  if (etat.ouvert) ouverture.hidden = false;
  return lancer(etat);
}

// --- Events -------------------------------------------------------------------------------------

/** Typing: preload the index chunks at once, search after a short pause, one history entry. */
function surSaisie() {
  const q = champ.value.trim();
  if (q) session.recherche.preload(q);
  window.clearTimeout(session.minuterie);
  session.minuterie = window.setTimeout(() => {
    const etat = etatDeLaPage();
    memoriser(etat, session.saisie);
    session.saisie = true;
    lancer(etat);
  }, ATTENTE_SAISIE);
}

/** A submitted form (this page's or the header's): search now, as a new history entry. */
function surEnvoi(evenement) {
  evenement.preventDefault();
  const saisi = evenement.target.querySelector("input[name=q]");
  if (saisi !== champ) champ.value = saisi.value;
  window.clearTimeout(session.minuterie);
  const etat = etatDeLaPage();
  memoriser(etat, session.saisie);
  session.saisie = false;
  lancer(etat);
}

/** A ticked or unticked box: a new history entry, then the search. */
function surFiltre(evenement) {
  if (evenement.target.type !== "checkbox") return;
  const etat = etatDeLaPage();
  session.saisie = false;
  memoriser(etat, false);
  lancer(etat);
}

/** "Afficher plus de choix" of one facet. */
function surPlusDeChoix(evenement) {
  const bouton = evenement.target.closest(".facette-plus");
  if (!bouton) return;
  const cle = bouton.closest("fieldset").dataset.facette;
  if (session.deplies.has(cle)) session.deplies.delete(cle);
  else session.deplies.add(cle);
  dessinerFacettes(session.comptes, etatDeLaPage());
}

/** "Afficher la distance": ask the browser for the position, then update the cards shown. */
function surPosition(evenement) {
  const bouton = evenement.target;
  bouton.disabled = true;
  navigator.geolocation.getCurrentPosition((p) => {
    session.position = [p.coords.latitude, p.coords.longitude];
    for (const span of liste.querySelectorAll(".resultat-distance[data-geo]")) {
      span.textContent = texteDistance(span.dataset.geo);
    }
    bouton.textContent = "Distances affichées depuis votre position";
  }, () => {
    bouton.disabled = false;
    bouton.textContent = "Position non disponible : réessayer";
  }, { timeout: 10000, maximumAge: 600000 });
}

/** Wire the page's controls. */
function brancher() {
  champ.addEventListener("input", surSaisie);
  champ.addEventListener("focus", () => { session.saisie = false; });
  document.getElementById("formulaire-recherche").addEventListener("submit", surEnvoi);
  document.querySelector(".recherche-entete")?.addEventListener("submit", surEnvoi);
  const filtres = document.getElementById("filtres");
  filtres.addEventListener("change", surFiltre);
  filtres.addEventListener("click", surPlusDeChoix);
  boutonEffacer.addEventListener("click", () => {
    const etat = { q: champ.value.trim(), filtres: {}, ouvert: false };
    for (const boite of filtres.querySelectorAll("input:checked")) boite.checked = false;
    memoriser(etat, false);
    lancer(etat);
  });
  boutonPlus.addEventListener("click", () => afficherSuite(session.numero, true));
  const position = document.getElementById("position");
  position.hidden = !navigator.geolocation;
  position.addEventListener("click", surPosition);
  window.addEventListener("popstate", () => { session.saisie = false; appliquer(etatDepuisUrl()); });
}

/** Start: load Pagefind, show the JavaScript part of the page, apply the URL's state. */
async function demarrer() {
  try {
    await chargerPagefind();
  } catch (erreur) {
    compte.textContent = "";
    document.querySelector("[data-sans-js]").textContent =
      "La recherche n'est pas disponible pour le moment. Parcourez les listes :";
    console.warn("Recherche indisponible :", erreur);
    return;
  }
  document.querySelector("[data-avec-js]").hidden = false;
  document.querySelector("[data-sans-js]").hidden = true;
  const repli = document.getElementById("repli-filtres");
  repli.open = window.matchMedia(ECRAN_LARGE).matches;
  brancher();
  await appliquer(etatDepuisUrl());
  racine.dataset.pret = "";
  // The facet counts need every filter list (about 600 KB on a national directory): a phone, where
  // the filters start folded, downloads them only if its visitor opens them.
  if (repli.open) chargerComptes();
  else repli.addEventListener("toggle", () => chargerComptes(), { once: true });
}

demarrer();
