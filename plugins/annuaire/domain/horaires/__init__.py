"""Opening hours in the OpenStreetMap `opening_hours` syntax: check, suggest, render, evaluate.

The syntax is parsed and evaluated by `opening-hours-py` (a maintained parser that knows the French
public holidays for `PH`); this module only adds French on top of it:

- `verifier(texte)`: a verdict in French, with a suggestion for the usual producer mistakes
  (`9h-12h30`, `10h00-12h30`, French day names, a missing `;`...); a suggestion always validates;
- `convertir_texte_libre(jours)`: French free-text hours per weekday (Hinaura, France Services)
  converted to the syntax where possible, the rest reported;
- `semaine(texte)`: the week table in plain French, plus notes for what a week can't show;
- `donnees_badge(texte, debut)`, `etat_badge(donnees, instant)`, `etat(texte, instant)`:
  "ouvert maintenant", computed in Europe/Paris time;
- `vue_horaires(texte, debut)`: all a place sheet needs (see theme/templates/partials/horaires.html).

Why the browser badge uses data precomputed here rather than a JavaScript parser: the Python parser is
the one that validates the data, so evaluating with it once at build time is the only way the badge
can never disagree with the checker, and the browser needs no library at all. The data covers a window
(60 days by default), far longer than the time between two daily builds; after it the badge says
"Horaires à vérifier" instead of guessing. The window holds absolute instants (UTC epoch seconds and
minute offsets), so the browser compares them with its clock whatever its time zone; only the words
("mardi à 9 h") need Paris wall-clock time, which both sides take from the time-zone database.

Nothing here raises on odd input: an unreadable value gives a negative verdict or "inconnu".
The package, by concern: `analyse` (the values, safe access to the parser, rules), `verification`
(checks, suggestions, French free text), `francais` (French words), `semaine` (the week table),
`ouverture` (the badge, open now), `vue` (a sheet's view). Callers import the package.
"""

from annuaire.domain.horaires.analyse import (
    A_VERIFIER,
    EXEMPLE,
    FERME,
    INCONNU,
    JOURS,
    JOURS_BADGE,
    JOURS_BADGE_MAX,
    JOURS_OSM,
    MOIS_OSM,
    PARIS,
    PAYS,
    Jour,
    Semaine,
    Verdict,
)
from annuaire.domain.horaires.francais import (
    decrire_regle,
    heure_fr,
)
from annuaire.domain.horaires.ouverture import (
    donnees_badge,
    etat,
    etat_badge,
    plages_inconnues,
    plages_ouvertes,
)
from annuaire.domain.horaires.semaine import (
    semaine,
)
from annuaire.domain.horaires.verification import (
    convertir_texte_libre,
    suggerer,
    verifier,
)
from annuaire.domain.horaires.vue import (
    VueHoraires,
    vue_horaires,
)
from annuaire.domain.texte import MOIS  # the French month names: one list for the whole site

__all__ = [
    "A_VERIFIER",
    "EXEMPLE",
    "FERME",
    "INCONNU",
    "JOURS",
    "JOURS_BADGE",
    "JOURS_BADGE_MAX",
    "JOURS_OSM",
    "Jour",
    "MOIS",
    "MOIS_OSM",
    "PARIS",
    "PAYS",
    "Semaine",
    "Verdict",
    "VueHoraires",
    "convertir_texte_libre",
    "decrire_regle",
    "donnees_badge",
    "etat",
    "etat_badge",
    "heure_fr",
    "plages_inconnues",
    "plages_ouvertes",
    "semaine",
    "suggerer",
    "verifier",
    "vue_horaires",
]
