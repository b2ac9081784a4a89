// The agenda's filters in the page (DOM part): shows the form, hides the items and the days that
// do not match, keeps the state in the query string (back and forward work). Without JavaScript
// the page lists everything, and each commune has its own page.
import { correspond, etatDepuisUrl, itemDepuisDonnees, requeteDepuisEtat } from "./agenda-filtres.js";

const choix = document.querySelector("[data-agenda-choix]");
const formulaire = document.querySelector("[data-agenda-filtres]");
const jours = [...document.querySelectorAll("[data-agenda-jour]")];
const aucun = document.querySelector("[data-agenda-aucun]");
const compte = document.querySelector("[data-agenda-compte]");
const items = [...document.querySelectorAll("[data-agenda-item]")].map((element) => ({
  element,
  item: itemDepuisDonnees(element.dataset),
}));

/** The form's fields set from a state. */
function remplir(etat) {
  for (const cle of ["commune", "theme", "public"]) {
    const champ = formulaire.elements[cle];
    if (champ) champ.value = [...champ.options].some((o) => o.value === etat[cle]) ? etat[cle] : "";
  }
  formulaire.elements.gratuit.checked = etat.gratuit;
}

/** The state of the form (the URL's lieu and reseau kept: they come from a sheet's link). */
function lire(avant) {
  const valeur = (cle) => (formulaire.elements[cle] ? formulaire.elements[cle].value : "");
  return {
    commune: valeur("commune"), theme: valeur("theme"), public: valeur("public"),
    gratuit: formulaire.elements.gratuit.checked, lieu: avant.lieu, reseau: avant.reseau,
  };
}

/** Hide what does not match; a day with nothing left is hidden too. */
function appliquer(etat) {
  let visibles = 0;
  for (const { element, item } of items) {
    const garde = correspond(item, etat);
    element.hidden = !garde;
    visibles += garde ? 1 : 0;
  }
  for (const jour of jours) jour.hidden = !jour.querySelector("[data-agenda-item]:not([hidden])");
  aucun.hidden = visibles > 0;
  const filtre = requeteDepuisEtat(etat) !== "";
  if (compte) compte.textContent = filtre ? `${visibles} atelier${visibles > 1 ? "s" : ""} affiché${visibles > 1 ? "s" : ""} sur ${items.length}` : compte.dataset.initial;
}

if (formulaire) {
  if (compte) compte.dataset.initial = compte.textContent;
  let etat = etatDepuisUrl(location.search);
  choix.hidden = false;
  choix.open = requeteDepuisEtat(etat) !== ""; // a link with filters shows them
  remplir(etat);
  appliquer(etat);
  const changer = (evenement) => {
    evenement.preventDefault();
    etat = lire(etat);
    history.pushState(null, "", `${location.pathname}${requeteDepuisEtat(etat)}`);
    appliquer(etat);
  };
  formulaire.addEventListener("submit", changer);
  formulaire.addEventListener("change", changer);
  formulaire.querySelector("[data-agenda-tout]").addEventListener("click", (evenement) => {
    evenement.preventDefault();
    etat = etatDepuisUrl("");
    remplir(etat);
    history.pushState(null, "", location.pathname);
    appliquer(etat);
  });
  window.addEventListener("popstate", () => {
    etat = etatDepuisUrl(location.search);
    remplir(etat);
    appliquer(etat);
  });
}
