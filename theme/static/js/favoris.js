// "Garder cette fiche" on a sheet and the "Mes lieux" page (DOM; the data is favoris-donnees.js).
// Progressive: without JavaScript the button stays hidden and "Mes lieux" says it needs it. The
// list lives in this browser only (localStorage): nothing is sent.

import { ajouter, cle, contient, ecrire, lire, parNom, retirer } from "./favoris-donnees.js";

const BASE = new URL("../../", import.meta.url); // the site's root, honouring SITEURL
const CLE = cle(BASE.pathname);

/** localStorage, or null when the browser refuses it (some private modes, settings). */
function stockage() {
  try {
    const s = window.localStorage;
    s.getItem(CLE);
    return s;
  } catch {
    return null;
  }
}

function charger(s) {
  return lire(s.getItem(CLE));
}

/** Store the list; false when the browser refuses (storage full or forbidden). */
function sauver(s, liste) {
  try {
    s.setItem(CLE, ecrire(liste));
    return true;
  } catch {
    return false;
  }
}

function element(nom, classe, texte) {
  const e = document.createElement(nom);
  if (classe) e.className = classe;
  if (texte) e.textContent = texte;
  return e;
}

// --- a sheet --------------------------------------------------------------------------------

function lienMesLieux() {
  const lien = element("a", "", "Voir mes lieux");
  lien.href = new URL("mes-lieux/", BASE).href;
  return lien;
}

function brancherBouton(zone, s) {
  const bouton = zone.querySelector("button");
  const statut = zone.querySelector("[role=status]");
  const d = zone.dataset; // data-favori-* attributes (plain data-horaires is the badge's)
  const fiche = { nom: d.favoriNom, url: d.favoriUrl, adresse: d.favoriAdresse, telephone: d.favoriTelephone,
                  tel: d.favoriTel, horaires: d.favoriHoraires };
  const afficher = (message) => {
    const garde = contient(charger(s), fiche.url);
    bouton.textContent = garde ? "Retirer de mes lieux" : "Garder cette fiche";
    statut.replaceChildren();
    if (message) statut.append(`${message} `, lienMesLieux());
  };
  bouton.addEventListener("click", () => {
    const liste = charger(s);
    const garde = contient(liste, fiche.url);
    const ok = sauver(s, garde ? retirer(liste, fiche.url) : ajouter(liste, fiche));
    if (!ok) return afficher("Votre navigateur n'a pas pu garder la fiche (mémoire pleine ?).");
    afficher(garde ? "Fiche retirée de vos lieux." : "Fiche gardée sur cet appareil, même sans connexion.");
  });
  window.addEventListener("storage", (e) => e.key === CLE && afficher(""));
  afficher("");
  zone.hidden = false;
}

// --- the "Mes lieux" page -------------------------------------------------------------------

function carte(entree, auRetrait) {
  const article = element("article", "carte-lieu");
  const titre = element("h2", "carte-lieu-nom");
  const lien = element("a", "", entree.nom);
  lien.href = new URL(entree.url, BASE).href;
  titre.append(lien);
  article.append(titre);
  if (entree.adresse) article.append(element("p", "carte-lieu-adresse", entree.adresse));
  if (entree.telephone || entree.horaires) {
    const pratique = element("p", "carte-lieu-pratique");
    if (entree.telephone) {
      const tel = entree.tel ? element("a", "", entree.telephone) : document.createTextNode(entree.telephone);
      if (entree.tel) tel.href = entree.tel;
      pratique.append("Téléphone : ", tel);
      if (entree.horaires) pratique.append(document.createElement("br"));
    }
    if (entree.horaires) pratique.append(`Horaires : ${entree.horaires}`);
    article.append(pratique);
  }
  article.append(element("p", "impression-seule mes-lieux-adresse", `Fiche en ligne : ${lien.href}`));
  const bouton = element("button", "bouton-secondaire mes-lieux-retirer", "Retirer");
  bouton.type = "button";
  bouton.setAttribute("aria-label", `Retirer ${entree.nom} de mes lieux`);
  bouton.addEventListener("click", () => auRetrait(entree));
  article.append(bouton);
  return article;
}

function dessinerListe(page, s, message) {
  const liste = parNom(charger(s));
  const ul = page.querySelector("#mes-lieux-liste");
  const retrait = (entree) => {
    sauver(s, retirer(charger(s), entree.url));
    dessinerListe(page, s, `${entree.nom} a été retiré de vos lieux.`);
    page.querySelector("h1").focus();
  };
  ul.replaceChildren(...liste.map((e) => {
    const li = document.createElement("li");
    li.append(carte(e, retrait));
    return li;
  }));
  const compte = liste.length === 1 ? "1 lieu gardé sur cet appareil." : `${liste.length} lieux gardés sur cet appareil.`;
  page.querySelector("#mes-lieux-compte").textContent = [message, liste.length ? compte : ""].filter(Boolean).join(" ");
  page.querySelector("#mes-lieux-vide").hidden = liste.length > 0;
  page.querySelector("#mes-lieux-imprimer").hidden = liste.length === 0;
}

function brancherPage(page, s) {
  page.querySelector("[data-sans-js]").hidden = true;
  if (!s) {
    page.querySelector("[data-sans-js]").hidden = false;
    page.querySelector("[data-sans-js]").textContent =
      "Votre navigateur ne permet pas de garder des fiches (stockage désactivé).";
    return;
  }
  page.querySelector("[data-avec-js]").hidden = false;
  page.querySelector("#mes-lieux-imprimer").addEventListener("click", () => window.print());
  const date = page.querySelector("[data-date]");
  if (date) date.textContent = new Date().toLocaleDateString("fr-FR", { dateStyle: "long" });
  window.addEventListener("storage", (e) => e.key === CLE && dessinerListe(page, s, ""));
  dessinerListe(page, s, "");
  page.dataset.pret = "";
}

const s = stockage();
const zone = document.querySelector("[data-favori]");
if (zone && s) brancherBouton(zone, s);
const page = document.getElementById("mes-lieux");
if (page) brancherPage(page, s);
