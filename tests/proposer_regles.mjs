// Runs the proposal form's checks (theme/static/js/proposer-regles.js) on a batch of values:
// reads {regles, cas: [[champ, valeur, code_postal], ...]} on stdin, writes one result per case
// ({messages, forme, suggestion}) as JSON on stdout. Used by tests/test_proposer_proprietes.py.
import * as R from "../theme/static/js/proposer-regles.js";

let entree = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (morceau) => { entree += morceau; });
process.stdin.on("end", () => {
  const { regles, cas } = JSON.parse(entree);
  const resultats = cas.map(([champ, valeur, codePostal]) => {
    const fiche = { code_postal: codePostal };
    const resultat = { messages: R.problemesChamp(champ, valeur, fiche, regles) };
    if (champ === "telephone") resultat.forme = R.verifierTelephone(valeur, codePostal, regles.telephone).forme || "";
    if (champ === "horaires") resultat.suggestion = R.verifierHoraires(valeur, regles.horaires).suggestion || "";
    return resultat;
  });
  process.stdout.write(JSON.stringify(resultats));
});
