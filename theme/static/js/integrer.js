// The embed builder: turns the choices into an <iframe> snippet and refreshes the live preview.
import { routesDe } from "./partage-dom.js";

/** The embedded view's URL for the form's choices (same parameters as the search and the map);
 *  `routes`: the site's URL scheme (its integrerListe and integrerCarte). */
export function adresseIntegree(base, choix, routes) {
  const parametres = new URLSearchParams();
  for (const [cle, valeur] of choix) {
    if (valeur && !["vue", "hauteur"].includes(cle)) parametres.append(cle, valeur);
  }
  const vue = choix.find(([cle]) => cle === "vue")?.[1] === "carte" ? "carte" : "liste";
  const requete = parametres.toString();
  const chemin = vue === "carte" ? routes.integrerCarte : routes.integrerListe;
  return `${base}/${chemin}${requete ? "?" + requete : ""}`;
}

/** The snippet to paste; attribute values are escaped. */
export function codeIntegration(adresse, titre, hauteur) {
  const echapper = (t) => t.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<iframe src="${echapper(adresse)}" title="${echapper(titre)}" `
    + `height="${hauteur}" style="width:100%;border:0" loading="lazy"></iframe>`;
}

function mettreAJour(formulaire) {
  const choix = [...new FormData(formulaire).entries()].map(([c, v]) => [c, String(v)]);
  const hauteur = Math.min(2000, Math.max(300, parseInt(formulaire.elements.hauteur.value, 10) || 600));
  const routes = routesDe(formulaire);
  const publique = adresseIntegree(formulaire.dataset.base, choix, routes);
  const titre = document.querySelector(".marque-nom")?.textContent.trim() || "Annuaire";
  document.getElementById("integrer-code").value = codeIntegration(publique, titre, hauteur);
  const apercu = document.getElementById("integrer-apercu");
  apercu.src = adresseIntegree(formulaire.dataset.site, choix, routes);
  apercu.height = String(hauteur);
}

function demarrer() {
  const formulaire = document.getElementById("integrer");
  if (!formulaire) return;
  formulaire.addEventListener("change", () => mettreAJour(formulaire));
  formulaire.addEventListener("submit", (evenement) => {
    evenement.preventDefault();
    mettreAJour(formulaire);
  });
  const copier = document.getElementById("integrer-copier");
  copier.hidden = false;
  copier.addEventListener("click", async () => {
    const code = document.getElementById("integrer-code");
    code.select();
    try {
      await navigator.clipboard.writeText(code.value);
      document.getElementById("integrer-statut").textContent = "Code copié.";
    } catch {
      document.getElementById("integrer-statut").textContent = "Sélectionnez le code et copiez-le (Ctrl+C).";
    }
  });
  mettreAJour(formulaire);
}

demarrer();
