// The map's facet filters: one fieldset per facet (rendered by carte.html), checkboxes built
// here from the facets' files (loaded on first opening), with the number of places each choice would give.
import { compte, compter, masque, prefixe } from "./carte-donnees.js";
import { chargerFacettes } from "./carte-tuiles.js";
import { el, nombre } from "./carte-dom.js";

const VISIBLES = 10;       // a long facet (communes, networks) first shows its most frequent values
const LONGUE_FACETTE = 15;

/** One checkbox with its label and count. */
function choix(etat, facette, i) {
  const valeur = etat.facettes.get(facette).valeurs[i];
  const label = el("label", "carte-choix-valeur");
  const case_ = el("input");
  Object.assign(case_, { type: "checkbox", name: facette, value: valeur });
  case_.dataset.i = i;
  case_.checked = etat.selection.get(facette)?.has(i) || false;
  // The facet value's plain words (champs.libelles_facettes); the URL keeps the standard's value.
  label.append(case_, ` ${etat.libelles?.[facette]?.[valeur] || valeur} `, el("span", "compte"));
  return label;
}

/** Show the checkboxes of `indexes` in a facet's fieldset. */
function remplir(etat, fieldset, indexes) {
  const conteneur = fieldset.querySelector(".carte-choix");
  conteneur.replaceChildren(...indexes.map((i) => choix(etat, fieldset.dataset.facette, i)));
  majComptes(etat, fieldset);
}

/** A button that shows every value of a long facet. */
function boutonTout(etat, fieldset, indexes) {
  const bouton = el("button", "bouton-lien", `Afficher les ${nombre(indexes.length)} choix`);
  bouton.type = "button";
  bouton.addEventListener("click", () => {
    remplir(etat, fieldset, indexes);
    bouton.remove();
    fieldset.querySelector("input")?.focus();
  });
  return bouton;
}

/** Build one facet's checkboxes: all of them, or the most frequent for a long facet. */
function preparerFacette(etat, fieldset, comptes) {
  const cle = fieldset.dataset.facette;
  const indexes = (etat.facettes.get(cle)?.valeurs || []).map((_, i) => i);
  const n = comptes.get(cle) || [];
  fieldset.hidden = indexes.length === 0;
  if (indexes.length <= LONGUE_FACETTE) return remplir(etat, fieldset, indexes);
  const choisis = etat.selection.get(cle) || new Set();
  const premiers = [...indexes].sort((a, b) => n[b] - n[a]).slice(0, VISIBLES);
  const montres = indexes.filter((i) => choisis.has(i) || premiers.includes(i));
  remplir(etat, fieldset, montres);
  fieldset.append(boutonTout(etat, fieldset, indexes));
}

/** Build every facet's checkboxes (once, when the filters are first opened: their files load then). */
async function construire(etat, formulaire) {
  if (etat.comptes || etat.construction) return;
  etat.construction = true;
  await chargerFacettes(etat, etat.donnees.facettes.map(([cle]) => cle));
  etat.comptes = compter(etat.donnees, etat.facettes, etat.selection, etat.ouverts);
  for (const fieldset of formulaire.querySelectorAll("fieldset[data-facette]")) {
    preparerFacette(etat, fieldset, etat.comptes);
  }
}

/** Connect the filters: built on first opening; `quandChange` runs after each choice. */
export function brancherFiltres(etat, details, quandChange) {
  const formulaire = details.querySelector("form");
  details.addEventListener("toggle", () => details.open && construire(etat, formulaire).catch(() => {
    etat.construction = false;
  }));
  formulaire.addEventListener("change", (evenement) => {
    const case_ = evenement.target;
    if (case_.name === "ouvert") {
      etat.ouvert = case_.checked;
      return quandChange();
    }
    const choisis = etat.selection.get(case_.name) || new Set();
    choisis[case_.checked ? "add" : "delete"](Number(case_.dataset.i));
    etat.selection.set(case_.name, choisis);
    quandChange();
  });
  formulaire.addEventListener("submit", (evenement) => evenement.preventDefault());
  formulaire.addEventListener("reset", () => {
    etat.selection.clear();
    etat.ouvert = false;
    quandChange();
  });
}

/** Recount and update the numbers beside the checkboxes (of one fieldset, or of all) once built. */
export function majComptes(etat, racine = document) {
  if (!etat.comptes) return;
  if (racine === document) etat.comptes = compter(etat.donnees, etat.facettes, etat.selection, etat.ouverts);
  for (const case_ of racine.querySelectorAll(".carte-choix input")) {
    const n = etat.comptes.get(case_.name)?.[Number(case_.dataset.i)] ?? 0;
    case_.parentElement.querySelector(".compte").textContent = `(${nombre(n)})`;
    case_.parentElement.classList.toggle("carte-choix-vide", n === 0);
  }
}

/** "(2 filtres actifs)" beside the filters' summary, or nothing. */
export function resumeFiltres(etat) {
  const n = [...etat.selection.values()].reduce((total, choisis) => total + choisis.size, 0)
    + (etat.ouvert ? 1 : 0);
  return n ? `(${n} filtre${n > 1 ? "s" : ""} actif${n > 1 ? "s" : ""})` : "";
}

/** The "Ouvert maintenant" box: ticked or not, how many places it would give, the time it is for;
 *  hidden when the site has no opening data for today (unless the URL asked for it). */
export function majOuverture(etat, fieldset) {
  const case_ = fieldset.querySelector("input");
  case_.checked = etat.ouvert;
  fieldset.hidden = !etat.maintenant && !etat.ouvert;
  const n = etat.maintenant
    ? compte(prefixe(masque(etat.donnees, etat.facettes, etat.selection, etat.maintenant.numeros)), 0, etat.donnees.n)
    : null;
  fieldset.querySelector(".compte").textContent = n === null ? "" : `(${nombre(n)})`;
  fieldset.querySelector(".carte-aide").textContent = etat.maintenant
    ? `À ${etat.maintenant.heure}, d'après les horaires publiés.`
    : "Les horaires du jour ne sont pas disponibles : ce filtre est sans effet.";
}
