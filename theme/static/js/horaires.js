// "Ouvert maintenant" badge of a place sheet, computed at viewing time.
//
// The data (the `data-horaires` attribute) is precomputed at build time by
// annuaire.horaires.donnees_badge with the same parser that validates the hours, so this
// module needs no parser and agrees with Python: it is calculerEtat here and etat_badge in
// horaires.py, step for step. Instants are absolute (UTC epoch seconds and minutes), so
// the visitor's time zone doesn't matter; only the words ("mardi à 9 h") use Paris time,
// through Intl. Without JavaScript the badge stays hidden and the week table is enough.

const FUSEAU = "Europe/Paris";
const JOURS = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];
const MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
  "septembre", "octobre", "novembre", "décembre"];
const INCONNU = Object.freeze({ etat: "inconnu", libelle: "Horaires à vérifier" });
const FORMAT_PARIS = new Intl.DateTimeFormat("fr-FR", {
  timeZone: FUSEAU, year: "numeric", month: "numeric", day: "numeric",
  hour: "numeric", minute: "numeric", hourCycle: "h23",
});

// [gap, length, gap, length...] in minutes → [[start, end], ...] from the window start.
export function decoder(ecarts) {
  if (!Array.isArray(ecarts) || ecarts.length % 2 || !ecarts.every(Number.isInteger)) return [];
  const plages = [];
  let fin = 0;
  for (let i = 0; i < ecarts.length; i += 2) {
    const debut = fin + ecarts[i];
    fin = debut + ecarts[i + 1];
    plages.push([debut, fin]);
  }
  return plages;
}

// Paris wall-clock parts of an epoch millisecond: {jour (day number), semaine, mois, date, heure, minute}.
function enParis(ms) {
  const p = {};
  for (const { type, value } of FORMAT_PARIS.formatToParts(new Date(ms))) p[type] = Number(value);
  const utc = Date.UTC(p.year, p.month - 1, p.day);
  return { jour: utc / 86400000, semaine: new Date(utc).getUTCDay(), mois: p.month,
    date: p.day, heure: p.hour % 24, minute: p.minute };
}

function heureFr(heure, minute) {
  return minute ? `${heure} h ${String(minute).padStart(2, "0")}` : `${heure} h`;
}

// When an epoch second happens, seen from now: "à 18 h", "demain à 9 h", "mardi à 9 h",
// "le 2 septembre à 9 h"; closing at midnight is "à minuit" the same evening.
function quand(cible, maintenantMs, fermeture) {
  let moment = enParis(cible * 1000);
  let heure = heureFr(moment.heure, moment.minute);
  if (fermeture && moment.heure === 0 && moment.minute === 0) {
    moment = enParis(cible * 1000 - 60000);
    heure = "minuit";
  }
  const ecart = moment.jour - enParis(maintenantMs).jour;
  if (ecart <= 0) return `à ${heure}`;
  if (ecart === 1) return `demain à ${heure}`;
  if (ecart < 7) return `${JOURS[moment.semaine]} à ${heure}`;
  const numero = moment.date === 1 ? "1er" : String(moment.date);
  return `le ${numero} ${MOIS[moment.mois - 1]} à ${heure}`;
}

// State and French label at `maintenant` (a Date) from donnees_badge data.
export function calculerEtat(donnees, maintenant = new Date()) {
  if (!donnees || !Number.isInteger(donnees.debut)) return { ...INCONNU };
  const ms = maintenant.getTime();
  const minute = (ms / 1000 - donnees.debut) / 60;
  if (!(minute >= 0 && minute < (donnees.minutes || 0))) return { ...INCONNU };
  const ouverts = decoder(donnees.ouvert);
  const inconnus = decoder(donnees.inconnu || []);
  if (inconnus.some(([a, b]) => a <= minute && minute < b)) return { ...INCONNU };
  const instant = (m) => donnees.debut + m * 60;
  const plage = ouverts.find(([a, b]) => a <= minute && minute < b);
  if (plage) {
    const fin = plage[1];
    if (fin >= donnees.minutes || inconnus.some(([a]) => a === fin)) {
      return { etat: "ouvert", libelle: "Ouvert" };
    }
    return { etat: "ouvert", libelle: `Ouvert · ferme ${quand(instant(fin), ms, true)}` };
  }
  const prochain = Math.min(...ouverts.map(([a]) => a).filter((a) => a > minute));
  const bloque = Math.min(...inconnus.map(([a]) => a).filter((a) => a > minute));
  if (!Number.isFinite(prochain) || bloque < prochain) return { etat: "ferme", libelle: "Fermé" };
  return { etat: "ferme", libelle: `Fermé · ouvre ${quand(instant(prochain), ms, false)}` };
}

// The day of the week in Paris at `maintenant`, Monday 0 … Sunday 6 (the week table's row).
export function jourDeLaSemaine(maintenant = new Date()) {
  return (enParis(maintenant.getTime()).semaine + 6) % 7;
}

// Highlight today's row of every week table under `racine` (the table itself is server-rendered).
export function surlignerAujourdhui(racine = document, maintenant = new Date()) {
  const jour = jourDeLaSemaine(maintenant);
  for (const table of racine.querySelectorAll(".horaires-semaine")) {
    table.querySelectorAll("tbody tr").forEach((ligne, i) => {
      const oui = i === jour;
      ligne.classList.toggle("aujourdhui", oui);
      if (oui) ligne.setAttribute("aria-current", "date");
      else ligne.removeAttribute("aria-current");
      const mot = ligne.querySelector(".aujourdhui-mot");
      if (oui && !mot) ligne.querySelector("th")?.append(Object.assign(document.createElement("span"),
        { className: "aujourdhui-mot", textContent: " (aujourd'hui)" }));
      else if (!oui && mot) mot.remove();
    });
  }
}

// Fill every [data-horaires] badge under `racine`.
export function afficherBadges(racine = document, maintenant = new Date()) {
  for (const badge of racine.querySelectorAll("[data-horaires]")) {
    let donnees = null;
    try {
      donnees = JSON.parse(badge.dataset.horaires);
    } catch {
      donnees = null;
    }
    const { etat, libelle } = calculerEtat(donnees, maintenant);
    badge.dataset.etat = etat;
    badge.textContent = libelle;
    badge.hidden = false;
  }
}

function demarrer() {
  afficherBadges();
  surlignerAujourdhui();
  setInterval(() => {
    afficherBadges();
    surlignerAujourdhui();
  }, 60000);
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", demarrer);
  else demarrer();
}
