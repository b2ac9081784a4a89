// The reference implementation of the OpenStreetMap opening_hours syntax (opening_hours, npm), in one
// batch: reads {"valeurs": [...], "instants": [epoch ms, ...], "debut": ms, "fin": ms} as JSON on
// stdin and writes, for each value, whether the library accepts it (its error otherwise, its
// warnings count) and its state at each instant: "o" open, "c" closed, "u" unknown.
// Run with TZ=Europe/Paris: the library evaluates in the process's local time.
// Usage: TZ=Europe/Paris node tests/horaires_reference.cjs < entree.json   (bench/horaires_reference.py)
'use strict';

const OpeningHours = require('opening_hours');

// French public holidays: a nominatim-like place in metropolitan France (Saint-Étienne).
const LIEU = { lat: 45.4397, lon: 4.3872, address: { country_code: 'fr', state: 'Auvergne-Rhône-Alpes' } };

// The state at each instant from the open intervals over the window (one iteration per value,
// much faster than one getState call per instant).
const etats = (oh, instants, debut, fin) => {
  const intervalles = oh.getOpenIntervals(new Date(debut), new Date(fin));
  return instants.map((instant) => {
    const dedans = intervalles.find(([a, b]) => a.getTime() <= instant && instant < b.getTime());
    if (dedans === undefined) return 'c';
    return dedans[2] ? 'u' : 'o';
  }).join('');
};

const verdict = (valeur, entree) => {
  let oh;
  try {
    oh = new OpeningHours(valeur, LIEU, { mode: 0, locale: 'fr' });
  } catch (erreur) {
    return { accepte: false, erreur: String(erreur).split('\n')[0].slice(0, 300) };
  }
  return { accepte: true, avertissements: oh.getWarnings().length, etats: etats(oh, entree.instants, entree.debut, entree.fin) };
};

let texte = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (morceau) => { texte += morceau; });
process.stdin.on('end', () => {
  const entree = JSON.parse(texte);
  process.stdout.write(JSON.stringify(entree.valeurs.map((valeur) => verdict(valeur, entree))));
});
