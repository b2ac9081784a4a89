// Filters panels (<details data-panneau>) of the search and map pages on a phone: the filters open
// over the results, and a "Voir N lieux" button, kept up to date with the page's count, closes
// the panel and brings the results into view. Without JavaScript there are no filters at all
// (both pages need it), so nothing here is needed for the plain page.
import { texteBouton } from "./panneau-donnees.js";

/** Wire one panel: the button follows the count element named by data-compte. */
function brancher(panneau) {
  const compte = document.getElementById(panneau.dataset.compte);
  const bouton = panneau.querySelector("[data-voir]");
  if (!compte || !bouton) return;
  const suivre = () => {
    bouton.textContent = texteBouton(compte.textContent);
  };
  new MutationObserver(suivre).observe(compte, { childList: true, characterData: true, subtree: true });
  suivre();
  bouton.addEventListener("click", () => {
    panneau.open = false;
    const cible = document.getElementById(bouton.dataset.voir);
    cible?.scrollIntoView({ block: "start" });
    cible?.focus({ preventScroll: true });
  });
}

function demarrer() {
  for (const panneau of document.querySelectorAll("details[data-panneau]")) brancher(panneau);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", demarrer);
else demarrer();
