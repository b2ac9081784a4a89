// "Proposer un lieu": turn the form into an entry file (YAML) and open the repository's
// "new file" page with it, so that a pull request is one click away. Without JavaScript the
// form leads to the contribution guide instead.
//
// Which fields the form has, single texts or lists, and which are required come from the field
// registry (plugins/annuaire/domain/champs.py): the build writes them into the form's data-champs
// attribute as {textes: [...], listes: [...], obligatoires: {field: "le nom", ...}}.

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

/** French messages for what is missing or malformed. */
export function erreurs(fiche, champs) {
  const liste = Object.entries(champs.obligatoires).filter(([c]) => !fiche[c]).map(([, nom]) => `Indiquez ${nom}.`);
  if (fiche.code_postal && !/^\d{5}$/.test(fiche.code_postal)) liste.push("Le code postal a 5 chiffres.");
  if (fiche.site_web.some((u) => !/^https?:\/\/[^\s/]+\.[^\s]+$/.test(u))) {
    liste.push("L'adresse du site commence par https:// ou http://.");
  }
  return liste;
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

function afficher(formulaire, fiche, champs) {
  const slug = slugifier(fiche.nom) || "lieu";
  const texte = yaml(fiche, champs);
  const resultat = document.getElementById("proposer-resultat");
  document.getElementById("proposer-fichier").textContent = `content/lieux/${slug}.yaml`;
  document.getElementById("proposer-yaml").value = texte;
  const envoi = document.getElementById("proposer-envoi");
  envoi.replaceChildren();
  const depot = formulaire.dataset.depot;
  if (depot) {
    const lien = document.createElement("a");
    lien.className = "bouton";
    const branche = formulaire.dataset.branche || "main";
    lien.href = `${depot}/new/${branche}/content/lieux?filename=${encodeURIComponent(slug + ".yaml")}`
      + `&value=${encodeURIComponent(texte)}`;
    lien.textContent = "Envoyer la fiche sur le dépôt (ouvre une nouvelle page)";
    lien.target = "_blank";
    lien.rel = "noopener";
    envoi.append(lien);
  } else {
    envoi.textContent = "Copiez ce texte et envoyez-le aux personnes qui tiennent l'annuaire.";
  }
  resultat.hidden = false;
  document.getElementById("titre-resultat").focus();
}

function demarrer() {
  const formulaire = document.getElementById("proposer");
  if (!formulaire) return;
  formulaire.addEventListener("submit", (evenement) => {
    evenement.preventDefault();
    const champs = champsDe(formulaire);
    const fiche = lireFormulaire(formulaire, champs);
    const liste = erreurs(fiche, champs);
    const zone = document.getElementById("proposer-erreurs");
    zone.replaceChildren(...liste.map((m) => Object.assign(document.createElement("p"), { textContent: m })));
    if (!liste.length) afficher(formulaire, fiche, champs);
  });
}

demarrer();
