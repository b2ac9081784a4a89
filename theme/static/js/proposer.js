// "Proposer un lieu": turn the form into an entry file (YAML) that `make validate` accepts, then
// send it: by e-mail to the people who keep the directory (no account needed), or as a pull
// request on the repository. Without JavaScript the form leads to the contribution guide instead.
//
// Which fields the form has, single texts or lists, and which are required come from the field
// registry (plugins/annuaire/domain/champs.py): the build writes them into the form's data-champs
// attribute as {textes: [...], listes: [...], obligatoires: {field: "le nom", ...}}. The checks
// are the validator's (proposer-regles.js, with the rules the build writes into #regles-proposer).
import { problemesChamp, verifierHoraires, verifierTelephone } from "./proposer-regles.js";

/** The form's fields, as the build wrote them from the registry. */
export function champsDe(formulaire) {
  return JSON.parse(formulaire.dataset.champs);
}

/** Same rule as the Python slugifier: ASCII, lower case, words joined by "-". */
export function slugifier(texte) {
  return texte.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80).replace(/-+$/, "");
}

/** Today's date in Paris, as AAAA-MM-JJ. */
function aujourdhui() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());
}

/** A YAML scalar: JSON strings are valid YAML and escape everything that needs it. */
const scalaire = (valeur) => JSON.stringify(valeur);

/** Read the form into {field: text or list}. */
export function lireFormulaire(formulaire, champs = champsDe(formulaire)) {
  const donnees = new FormData(formulaire);
  const fiche = {};
  for (const champ of champs.textes) fiche[champ] = (donnees.get(champ) || "").trim();
  for (const champ of champs.listes) {
    fiche[champ] = donnees.getAll(champ).map((v) => v.trim()).filter(Boolean);
  }
  return fiche;
}

/** {field: [French messages]} for what is missing or what `make validate` would refuse. */
export function erreurs(fiche, champs, regles) {
  const parChamp = {};
  for (const [champ, nom] of Object.entries(champs.obligatoires)) {
    if (!fiche[champ]) parChamp[champ] = [`Indiquez ${nom}.`];
  }
  for (const champ of [...champs.textes, ...champs.listes]) {
    const valeurs = Array.isArray(fiche[champ]) ? fiche[champ] : [fiche[champ]];
    const messages = valeurs.flatMap((v) => problemesChamp(champ, v, fiche, regles));
    if (messages.length) parChamp[champ] = [...(parChamp[champ] || []), ...messages];
  }
  return parChamp;
}

/** The entry as the validator wants it: the phone in the standard's form (+33…). */
export function normaliser(fiche, regles) {
  const forme = fiche.telephone && verifierTelephone(fiche.telephone, fiche.code_postal, regles.telephone).forme;
  return forme ? { ...fiche, telephone: forme } : fiche;
}

/** The entry file's text. */
export function yaml(fiche, champs, date = aujourdhui()) {
  const lignes = ["# Fiche proposée depuis le formulaire « Proposer un lieu »."];
  for (const champ of champs.textes) {
    if (fiche[champ]) lignes.push(`${champ}: ${scalaire(fiche[champ])}`);
  }
  lignes.push(`date_maj: ${date}`);
  for (const champ of champs.listes) {
    if (fiche[champ].length) lignes.push(`${champ}:`, ...fiche[champ].map((v) => `  - ${scalaire(v)}`));
  }
  lignes.push("statut: a_verifier");
  return lignes.join("\n") + "\n";
}

/** The mailto: link that sends the entry to `courriel`, the file's text in the body. */
export function lienCourriel(courriel, nom, texte, fichier) {
  const sujet = `Proposition de lieu : ${nom}`;
  const corps = "Bonjour,\n\nVoici une fiche pour l'annuaire (fichier " + fichier
    + "). Elle a été préparée par le formulaire « Proposer un lieu ».\n\n" + texte;
  return `mailto:${courriel}?subject=${encodeURIComponent(sujet)}&body=${encodeURIComponent(corps)}`;
}

// --- Messages on the fields ----------------------------------------------------------------------

/** The field of `champ` in the form (a box, or the group of boxes). */
function elementDe(formulaire, champ) {
  return document.getElementById(`groupe-${champ}`) || formulaire.elements.namedItem(champ);
}

function zoneErreur(element) {
  const ids = (element?.getAttribute("aria-describedby") || "").split(" ");
  return document.getElementById(ids.find((id) => id.startsWith("erreur-")) || "");
}

/** Show `messages` on the field of `champ` (none: clear it); hours get a "use it" button. */
function marquer(formulaire, champ, messages, regles) {
  const element = elementDe(formulaire, champ);
  const zone = zoneErreur(element);
  if (!element || !zone) return;
  zone.replaceChildren(...messages.map((m) => Object.assign(document.createElement("span"), { textContent: m + " " })));
  if (messages.length) element.setAttribute("aria-invalid", "true");
  else element.removeAttribute("aria-invalid");
  const suggestion = champ === "horaires" && messages.length && verifierHoraires(element.value.trim(), regles.horaires).suggestion;
  if (suggestion) zone.append(boutonSuggestion(formulaire, element, suggestion, regles));
}

function boutonSuggestion(formulaire, element, suggestion, regles) {
  const bouton = Object.assign(document.createElement("button"), {
    type: "button", textContent: `Écrire « ${suggestion} »`,
  });
  bouton.addEventListener("click", () => {
    element.value = suggestion;
    verifierChamp(formulaire, element.name, regles);
    element.focus();
  });
  return bouton;
}

/** Check one field as soon as it is left: its message appears (or goes) on it. */
function verifierChamp(formulaire, champ, regles) {
  const champs = champsDe(formulaire);
  const fiche = lireFormulaire(formulaire, champs);
  const liste = erreurs(fiche, champs, regles);
  const dependants = champ === "code_postal" ? ["code_postal", "telephone"] : [champ];  // a phone's region
  for (const nom of dependants) {
    if (fiche[nom] && fiche[nom].length) marquer(formulaire, nom, liste[nom] || [], regles);
    else if (!liste[nom]) marquer(formulaire, nom, [], regles);
  }
}

/** Every message on its field, and a summary at the top that links to each field. */
function montrerErreurs(formulaire, liste, champs, regles) {
  for (const champ of [...champs.textes, ...champs.listes]) marquer(formulaire, champ, liste[champ] || [], regles);
  const resume = document.getElementById("proposer-erreurs");
  const position = (champ) => [...formulaire.elements].indexOf(formulaire.elements.namedItem(champ)?.[0]
    || formulaire.elements.namedItem(champ));
  const entrees = Object.entries(liste).sort(([a], [b]) => position(a) - position(b));  // the form's order
  if (!entrees.length) return resume.replaceChildren();
  const titre = Object.assign(document.createElement("p"), {
    textContent: entrees.length > 1 ? `${entrees.length} champs sont à corriger :` : "Un champ est à corriger :",
  });
  const ul = document.createElement("ul");
  for (const [champ, messages] of entrees) {
    const lien = Object.assign(document.createElement("a"), { textContent: messages[0] });
    lien.href = `#${elementDe(formulaire, champ)?.id || "proposer"}`;
    const item = document.createElement("li");
    item.append(lien);
    ul.append(item);
  }
  resume.replaceChildren(titre, ul);
  resume.focus();
}

// --- Sending -------------------------------------------------------------------------------------

function lienBouton(href, texte, nouvelleFenetre) {
  const lien = Object.assign(document.createElement("a"), { className: "bouton", href, textContent: texte });
  if (nouvelleFenetre) Object.assign(lien, { target: "_blank", rel: "noopener" });
  return lien;
}

const paragraphe = (texte) => Object.assign(document.createElement("p"), { textContent: texte });

/** The ways to send the entry the settings allow; never a dead end. */
function voiesEnvoi(formulaire, fiche, texte, fichier) {
  const { depot, branche, courriel } = formulaire.dataset;
  const voies = [];
  if (courriel) {
    voies.push(paragraphe("Sans compte : envoyez-la par e-mail. Votre messagerie s'ouvre avec la fiche dans le message."),
      lienBouton(lienCourriel(courriel, fiche.nom, texte, fichier), `Envoyer par e-mail à ${courriel}`, false),
      paragraphe(`Si le message s'ouvre vide, copiez le texte ci-dessus et collez-le dans un e-mail à ${courriel}.`));
  }
  if (depot) {
    const slug = fichier.split("/").pop();
    const href = `${depot}/new/${branche || "main"}/content/lieux?filename=${encodeURIComponent(slug)}`
      + `&value=${encodeURIComponent(texte)}`;
    voies.push(paragraphe(courriel ? "Avec un compte GitHub : proposez-la directement sur le dépôt."
      : "Avec un compte GitHub : proposez-la sur le dépôt de l'annuaire."),
    lienBouton(href, "Proposer la fiche sur le dépôt (ouvre une nouvelle page)", true));
  }
  if (!courriel) {
    voies.push(paragraphe("Sans compte" + (depot ? " GitHub" : "") + " : copiez le texte (bouton « Copier le texte ») "
      + "et donnez-le au médiateur numérique du lieu ou à la personne qui vous aide (par e-mail, ou imprimé) : "
      + "ils le transmettront à l'équipe de l'annuaire."));
  }
  return voies;
}

function afficher(formulaire, fiche, champs) {
  const slug = slugifier(fiche.nom) || "lieu";
  const texte = yaml(fiche, champs);
  const fichier = `content/lieux/${slug}.yaml`;
  document.getElementById("proposer-fichier").textContent = fichier;
  document.getElementById("proposer-yaml").value = texte;
  document.getElementById("proposer-envoi").replaceChildren(...voiesEnvoi(formulaire, fiche, texte, fichier));
  document.getElementById("proposer-resultat").hidden = false;
  document.getElementById("titre-resultat").focus();
}

async function copier() {
  const zone = document.getElementById("proposer-yaml");
  const statut = document.getElementById("proposer-statut");
  zone.select();
  try {
    await navigator.clipboard.writeText(zone.value);
    statut.textContent = "Texte copié.";
  } catch {
    statut.textContent = "Le texte est sélectionné : copiez-le (appui long, ou Ctrl+C).";
  }
}

function demarrer() {
  const formulaire = document.getElementById("proposer");
  const source = document.getElementById("regles-proposer");
  if (!formulaire || !source) return;
  const regles = JSON.parse(source.textContent);
  formulaire.addEventListener("change", (evenement) => {
    if (evenement.target.name && evenement.target.type !== "checkbox" && evenement.target.type !== "radio") {
      verifierChamp(formulaire, evenement.target.name, regles);
    }
  });
  formulaire.addEventListener("submit", (evenement) => {
    evenement.preventDefault();
    const champs = champsDe(formulaire);
    const fiche = lireFormulaire(formulaire, champs);
    const liste = erreurs(fiche, champs, regles);
    montrerErreurs(formulaire, liste, champs, regles);
    if (!Object.keys(liste).length) afficher(formulaire, normaliser(fiche, regles), champs);
  });
  document.getElementById("proposer-copier").addEventListener("click", copier);
}

demarrer();
