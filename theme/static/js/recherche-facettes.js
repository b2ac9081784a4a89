// The search page's facets (DOM): checkboxes with counts, "Afficher plus de choix", the
// "Ouvert maintenant" box, and the state the page shows. `page` holds the page's elements,
// `session` the search's state (both made by recherche.js and passed in).
import { el, nombre } from "./partage-dom.js";
import { valeursVisibles } from "./recherche-comptes.js";

const VALEURS_REPLIEES = 8; // facet values shown before "Afficher plus de choix"
const VALEURS_DEPLIEES = 150; // at most this many values of one facet on the page

/** The state shown on the page: the input's words and the ticked boxes. */
export function etatDeLaPage(page) {
  const filtres = {};
  for (const boite of document.querySelectorAll("fieldset[data-facette] input:checked")) {
    (filtres[boite.name] ||= []).push(boite.value);
  }
  return { q: page.champ.value.trim(), filtres, ouvert: page.caseOuvert.checked };
}

/** One checkbox with its label (`libelle`: the value's plain words) and count (null: not counted
 *  yet); the box's value stays the standard's, as in the URL. */
function caseAcocher(cle, valeur, compte, cochee, rang, libelle) {
  const ligne = el("li");
  const boite = Object.assign(el("input"), { type: "checkbox", name: cle, value: valeur,
    checked: cochee, id: `f-${cle}-${rang}` });
  const etiquette = Object.assign(el("label", "", libelle || valeur), { htmlFor: boite.id });
  if (compte !== null) etiquette.append(" ", el("span", "facette-compte", `(${nombre(compte)})`));
  ligne.append(boite, etiquette);
  return ligne;
}

/** The "Afficher plus de choix" button of a facet. */
function dessinerBoutonPlus(bouton, total, deplie) {
  bouton.hidden = total <= VALEURS_REPLIEES;
  bouton.textContent = deplie ? "Afficher moins de choix" : `Afficher plus de choix (${total})`;
  bouton.setAttribute("aria-expanded", String(deplie));
}

/** Redraw one facet's checkboxes with counts, keeping the keyboard focus on the same value.
 *  `facette`: {cle, ordre, deplie, compte (false: not counted yet), libelles ({value: words})}. */
function dessinerFacette(fieldset, facette, comptes, coches) {
  const actif = fieldset.contains(document.activeElement) ? document.activeElement : null;
  const limite = facette.deplie ? VALEURS_DEPLIEES : VALEURS_REPLIEES;
  const { visibles, total } = valeursVisibles(facette.ordre, comptes, coches, limite);
  const ul = fieldset.querySelector("ul");
  const compte = (v) => (facette.compte ? comptes[v] || 0 : null);
  ul.replaceChildren(...visibles.map((v, i) => caseAcocher(facette.cle, v, compte(v), coches.includes(v), i,
    facette.libelles[v])));
  dessinerBoutonPlus(fieldset.querySelector(".facette-plus"), total, facette.deplie);
  fieldset.hidden = visibles.length === 0;
  if (actif?.type === "checkbox") ul.querySelector(`input[value="${CSS.escape(actif.value)}"]`)?.focus();
  else if (actif) actif.focus();
}

/** Redraw every facet with these counts and ticks (kept in the session for later redraws). */
export function dessinerFacettes(page, session, comptes, etat) {
  session.comptes = comptes;
  for (const fieldset of page.fieldsets) {
    const cle = fieldset.dataset.facette;
    const facette = { cle, ordre: session.ordres[cle] || [], deplie: session.deplies.has(cle),
      compte: Boolean(session.totaux), libelles: page.libelles[cle] || {} };
    dessinerFacette(fieldset, facette, comptes[cle] || {}, etat.filtres[cle] || []);
  }
  page.boutonEffacer.hidden = Object.keys(etat.filtres).length === 0 && !etat.ouvert;
}

/** Show the "Ouvert maintenant" box: ticked or not, its count (null: not known), and the time.
 *  `ouverts` undefined: not loaded yet (the box is shown, the data comes when it is first ticked). */
export function dessinerOuverture(page, etat, ouverts, compte) {
  const { ouverture, caseOuvert } = page;
  caseOuvert.checked = etat.ouvert;
  ouverture.hidden = ouverts === null && !etat.ouvert;
  ouverture.querySelector(".facette-compte").textContent = compte === null ? "" : `(${nombre(compte)})`;
  const autres = " Les nombres des autres rubriques comptent aussi les lieux fermés en ce moment.";
  const notes = {
    undefined: "Selon les horaires publiés, à l'heure qu'il est.",
    null: "Les horaires du jour ne sont pas disponibles : ce filtre est sans effet.",
  };
  ouverture.querySelector(".recherche-aide").textContent = ouverts
    ? `À ${ouverts.heure}, d'après les horaires publiés.${etat.ouvert ? autres : ""}`
    : notes[ouverts];
}
