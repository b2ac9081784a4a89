// "Partager" and the orientation sheet of a place sheet (theme/templates/partials/partage.html).
// Without this script the SMS and e-mail links, the address and the browser's print still work;
// with it: copy the link, show the QR code on screen, print the sheet or the orientation sheet.
// What is typed in the orientation box stays in the page: nothing is sent or stored.

/** Copy `texte` to the clipboard; true when the browser allowed it. */
async function copier(texte) {
  try {
    await navigator.clipboard.writeText(texte);
    return true;
  } catch {
    return false;
  }
}

/** Print the page; `mode` "orientation" prints the orientation box with the sheet. */
function imprimer(mode) {
  const orientation = document.querySelector(".orientation");
  document.body.classList.toggle("impression-orientation", mode === "orientation");
  if (orientation && mode === "orientation") orientation.open = true;
  window.print();
}

/** Show or hide the QR code of the sheet (print always shows it). */
function basculerQr(bouton) {
  const qr = document.getElementById(bouton.getAttribute("aria-controls"));
  if (!qr) return;
  qr.hidden = !qr.hidden;
  bouton.setAttribute("aria-expanded", String(!qr.hidden));
  if (!qr.hidden) qr.scrollIntoView({ block: "nearest" });
}

async function auClic(evenement) {
  const bouton = evenement.target.closest("button");
  if (!bouton) return;
  const statut = document.querySelector(".partage-statut");
  if (bouton.dataset.partager !== undefined) {
    // The phone's own share sheet (WhatsApp, Messenger…); a cancelled share is not an error.
    await navigator.share({ title: bouton.dataset.titre, url: bouton.dataset.partager }).catch(() => {});
  } else if (bouton.dataset.copier !== undefined) {
    const ok = await copier(bouton.dataset.copier);
    if (statut) statut.textContent = ok ? "Lien copié." : "Copiez l'adresse ci-dessous.";
  } else if (bouton.dataset.qr !== undefined) {
    basculerQr(bouton);
  } else if (bouton.dataset.imprimer !== undefined) {
    imprimer(bouton.dataset.imprimer);
  }
}

function demarrer() {
  const outils = document.querySelector(".fiche-outils");
  if (!outils) return;
  for (const element of outils.querySelectorAll("[data-avec-js]")) element.hidden = false;
  if (typeof navigator.share === "function") {
    for (const element of outils.querySelectorAll("[data-partage-natif]")) element.hidden = false;
  }
  outils.addEventListener("click", auClic);
  window.addEventListener("afterprint", () => document.body.classList.remove("impression-orientation"));
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", demarrer);
else demarrer();
