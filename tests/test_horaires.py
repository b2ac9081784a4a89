"""Opening hours: checks and suggestions, week table and notes, badge data and state at pinned
instants, free-text import, template rendering, and the real strings of ../shared."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import sys
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import opening_hours
import pytest
from annuaire.domain import horaires
from annuaire.domain.horaires import Jour, VueHoraires
from annuaire.domain.horaires.ouverture import _plages_de
from conftest import RACINE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
LUNDI = date(2025, 7, 7)  # a Monday; 14 July 2025 (PH) is the Monday after
BABET = "Mo-Th 09:00-12:00,14:00-18:00; Tu 14:00-18:00; Fr 09:00-12:00"
STANDARD = "Mo-Fr 09:00-12:00,14:00-18:00; PH off"
PROPRIETES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def paris(*morceaux: int) -> datetime:
    """An aware datetime, Paris time."""
    return datetime(*morceaux, tzinfo=PARIS)


# --- verifier and suggestions --------------------------------------------------------------------


def test_valeur_valide():
    assert horaires.verifier(BABET) == horaires.Verdict(True)


@pytest.mark.parametrize("texte", ["", "   ", None])
def test_valeur_vide(texte):
    verdict = horaires.verifier(texte)
    assert not verdict.valide
    assert "horaires vides" in verdict.message


@pytest.mark.parametrize(
    ("texte", "suggestion"),
    [
        ("9h-12h30", "09:00-12:30"),
        ("10h00-12h30", "10:00-12:30"),
        ("9h30 - 12h", "09:30-12:00"),
        ("Mo-Fr 9h-12h30,13h30-17h", "Mo-Fr 09:00-12:30,13:30-17:00"),
        ("Mo-Fr 09:00-12:00 Sa 10:00-12:00", "Mo-Fr 09:00-12:00; Sa 10:00-12:00"),
        ("Mo-Fr 09:00-12:00 14:00-18:00", "Mo-Fr 09:00-12:00,14:00-18:00"),
        ("Mo - Fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("Mo-Fr: 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("Lundi 9h-12h", "Mo 09:00-12:00"),
        ("Lu-Ve 9h-12h, 14h-17h", "Mo-Fr 09:00-12:00,14:00-17:00"),
        ("Mar 14h-18h", "Tu 14:00-18:00"),
        ("Du lundi au vendredi : 9h30-12h30 / 14h-17h", "Mo-Fr 09:30-12:30,14:00-17:00"),
        (
            "Lundi : 8h30-12h ; Mardi à Vendredi : 8h30-12h/14h-17h ; Samedi : 9h-11h",
            "Mo 08:30-12:00; Tu-Fr 08:30-12:00,14:00-17:00; Sa 09:00-11:00",
        ),
        ("Mo 13:30-17:00  Tu 8:30-12:00 ;  13:30-17:30", "Mo 13:30-17:00; Tu 08:30-12:00,13:30-17:30"),
        (
            "Du lundi au vendredi : 9h - 12h / 12h30 - 16h \\nfermé le mercredi",
            "Mo,Tu,Th,Fr 09:00-12:00,12:30-16:00",
        ),
        ("mardi-jeudi-vendredi 14h-17h", "Tu,Th,Fr 14:00-17:00"),
        (
            " Mardi, Jeudi : 9h-12h Vendredi : 16h-19h Le samedi sur rendez-vous ",
            'Tu,Th 09:00-12:00; Fr 16:00-19:00; Sa unknown "sur rendez-vous"',
        ),
        ("Lundi au vendredi 8h-12h ; lundi : 13h30-17h", "Mo 08:00-12:00,13:30-17:00; Tu-Fr 08:00-12:00"),
        ("24h/24", "24/7"),
    ],
)
def test_suggestions_pour_les_erreurs_courantes(texte, suggestion):
    verdict = horaires.verifier(texte)
    assert not verdict.valide
    assert "n'est pas au format OpenStreetMap" in verdict.message
    assert verdict.suggestion == suggestion
    assert horaires.verifier(verdict.suggestion).valide


@pytest.mark.parametrize(
    "texte", ["Fr 08:30-12:00-16:00", "Mo 09:00", "Très variables", "lundi au vendredi (17h)"]
)
def test_pas_de_suggestion_hasardeuse(texte):
    verdict = horaires.verifier(texte)
    assert not verdict.valide
    assert verdict.suggestion == ""


def test_message_pointe_l_erreur():
    message = horaires.verifier("Mo-Fr 09:00-12:00 14:00-18:00").message
    assert "caractère 19" in message
    assert "« 14:00-18:00 »" in message


# --- week table and notes ------------------------------------------------------------------------


def test_semaine_la_derniere_regle_gagne():
    vue = horaires.semaine(BABET, LUNDI)
    assert list(vue.jours) == [
        ("Lundi", "9 h – 12 h, 14 h – 18 h"),
        ("Mardi", "14 h – 18 h"),
        ("Mercredi", "9 h – 12 h, 14 h – 18 h"),
        ("Jeudi", "9 h – 12 h, 14 h – 18 h"),
        ("Vendredi", "9 h – 12 h"),
        ("Samedi", "Fermé"),
        ("Dimanche", "Fermé"),
    ]
    assert vue.notes == ()
    assert not vue.a_verifier
    assert isinstance(vue.jours[0], Jour)


def test_semaine_jours_feries():
    vue = horaires.semaine(STANDARD, LUNDI)
    assert vue.jours[0].texte == "9 h – 12 h, 14 h – 18 h"  # the 14 July week doesn't count
    assert vue.notes == ("Jours fériés : fermé",)


def test_semaine_commentaires():
    vue = horaires.semaine('Mo-Fr 09:00-12:00 "sur rendez-vous"; Sa "accueil libre"', LUNDI)
    assert vue.jours[0].texte == "9 h – 12 h (sur rendez-vous)"
    assert vue.jours[5].texte == "horaires non précisés (accueil libre)"
    assert vue.jours[6].texte == "Fermé"


def test_semaine_premier_mardi_du_mois():
    vue = horaires.semaine("Mo-Fr 09:00-12:00; Tu[1] 14:00-18:00", LUNDI)
    assert vue.jours[1].texte.startswith("9 h – 12 h (selon les semaines")
    assert vue.notes == ("Le 1er mardi du mois : 14 h – 18 h",)


def test_semaine_une_semaine_sur_deux():
    vue = horaires.semaine("week 1-53/2 Tu 09:00-12:30,13:30-15:30; PH off", LUNDI)
    assert vue.jours[1].texte.startswith("9 h – 12 h 30, 13 h 30 – 15 h 30 (selon les semaines")
    assert vue.notes == (
        "Une semaine sur deux (semaines impaires), mardi : 9 h – 12 h 30, 13 h 30 – 15 h 30",
        "Jours fériés : fermé",
    )


@pytest.mark.parametrize(
    ("texte", "note"),
    [
        ("Mo-Fr 09:00-12:00; Jul-Aug off", "De juillet à août : fermé"),
        ("Mo-Fr 09:00-12:00; Dec 24-26 off", "Du 24 au 26 décembre : fermé"),
        ("Su,PH off; Mo-Sa 09:00-18:00", "Dimanche et jours fériés : fermé"),
        ("Mo-Fr 09:00-12:00; Tu[1,3] 14:00-18:00", "Les 1er et 3e mardis du mois : 14 h – 18 h"),
        ("Mo-Fr 09:00-12:00; Fr[-1] off", "Le dernier vendredi du mois : fermé"),
        ('Mo 09:00-12:00; PH 10:00-11:00 "permanence"', "Jours fériés : 10 h – 11 h (permanence)"),
        ("Sa 09:00+", "Samedi : à partir de 9 h"),
        ("Mo-Fr 09:00-12:00; SH off", "Vacances scolaires : fermé"),
        ("2025 Dec 31 off; Mo-Fr 09:00-12:00", "En 2025, le 31 décembre : fermé"),
    ],
)
def test_notes_pour_ce_qu_une_semaine_ne_montre_pas(texte, note):
    assert note in horaires.semaine(texte, LUNDI).notes


def test_aucune_regle_n_est_perdue():
    texte = 'Mo-Fr 09:00-12:00; Tu[2] 14:00-16:00; week 2-52/2 Sa 10:00-12:00; PH off "fêtes"'
    notes = horaires.semaine(texte, LUNDI).notes
    assert len(notes) == 3
    assert any("2e mardi" in note for note in notes)
    assert any("semaines paires" in note for note in notes)
    assert "Jours fériés : fermé (fêtes)" in notes


def test_regle_non_traduite_citee_telle_quelle():
    notes = horaires.semaine("Mo-Fr 09:00-12:00; easter off", LUNDI).notes
    assert notes == ("Règle non traduite : « easter off »",)


def test_commentaire_ecrase_reste_visible():
    notes = horaires.semaine('Mo 09:00-12:00 "vestiaire"; Mo 14:00-15:00', LUNDI).notes
    assert notes == ("Précision : vestiaire",)


def test_semaine_repli_et_soleil_sans_tableau():
    repli = horaires.semaine('Mo-Fr 09:00-12:00 || "sur rendez-vous"', LUNDI)
    assert repli.jours == ()
    assert repli.notes == (
        "Du lundi au vendredi : 9 h – 12 h",
        "Sinon, tous les jours : horaires non précisés (sur rendez-vous)",
    )
    soleil = horaires.semaine("sunrise-sunset", LUNDI)
    assert soleil.jours == ()
    assert soleil.notes == ("Tous les jours : lever du soleil – coucher du soleil",)


def test_semaine_illisible():
    vue = horaires.semaine("9h-12h", LUNDI)
    assert vue.a_verifier
    assert vue.jours == ()
    assert vue.notes == ("Horaires à vérifier : « 9h-12h » n'a pas pu être lu.",)


# --- state at pinned instants --------------------------------------------------------------------


INSTANTS = [
    # (hours, instant in Paris, state, label)
    (STANDARD, paris(2025, 7, 7, 10, 0), "ouvert", "Ouvert · ferme à 12 h"),  # weekday morning
    (STANDARD, paris(2025, 7, 7, 12, 30), "ferme", "Fermé · ouvre à 14 h"),  # lunch break
    (STANDARD, paris(2025, 7, 6, 15, 0), "ferme", "Fermé · ouvre demain à 9 h"),  # a Sunday
    (STANDARD, paris(2025, 7, 14, 10, 0), "ferme", "Fermé · ouvre demain à 9 h"),  # 14 July
    (STANDARD, paris(2025, 12, 25, 10, 0), "ferme", "Fermé · ouvre demain à 9 h"),  # Christmas
    (STANDARD, paris(2025, 7, 7, 17, 59), "ouvert", "Ouvert · ferme à 18 h"),  # before closing
    (STANDARD, paris(2025, 7, 7, 18, 0), "ferme", "Fermé · ouvre demain à 9 h"),  # closing time
    (STANDARD, paris(2025, 7, 11, 18, 30), "ferme", "Fermé · ouvre mardi à 9 h"),  # Monday is PH
    (STANDARD, paris(2025, 12, 24, 18, 30), "ferme", "Fermé · ouvre vendredi à 9 h"),  # 25 Dec
    (BABET, paris(2025, 7, 8, 10, 0), "ferme", "Fermé · ouvre à 14 h"),  # last rule wins
    (BABET, paris(2025, 7, 8, 15, 0), "ouvert", "Ouvert · ferme à 18 h"),
    (BABET, paris(2025, 7, 11, 14, 0), "ferme", "Fermé · ouvre lundi à 9 h"),  # no PH rule
    (BABET, paris(2025, 7, 14, 10, 0), "ouvert", "Ouvert · ferme à 12 h"),
    ("Mo-Su 09:00-24:00", paris(2025, 7, 7, 23, 30), "ouvert", "Ouvert · ferme à minuit"),
    ("Mo-Fr 22:00-02:00", paris(2025, 7, 7, 23, 0), "ouvert", "Ouvert · ferme demain à 2 h"),
    ("24/7", paris(2025, 7, 7, 3, 0), "ouvert", "Ouvert"),
    ("off", paris(2025, 7, 7, 3, 0), "ferme", "Fermé"),
    (
        "Mo 09:00-12:00; Jul-Aug off",
        paris(2025, 7, 7, 10, 0),
        "ferme",
        "Fermé · ouvre le 1er septembre à 9 h",
    ),
    ("Mo-Fr 09:00-12:00; Tu[1] 14:00-18:00", paris(2025, 8, 5, 15, 0), "ouvert", "Ouvert · ferme à 18 h"),
    (
        "Mo-Fr 09:00-12:00; Tu[1] 14:00-18:00",
        paris(2025, 8, 12, 15, 0),
        "ferme",
        "Fermé · ouvre demain à 9 h",
    ),
    (
        "week 1-53/2 Tu 09:00-12:00",
        paris(2025, 7, 8, 10, 0),
        "ferme",
        "Fermé · ouvre le 15 juillet à 9 h",
    ),  # week 28: even
    ("week 1-53/2 Tu 09:00-12:00", paris(2025, 7, 15, 10, 0), "ouvert", "Ouvert · ferme à 12 h"),
    ('Mo-Fr 09:00-12:00; Sa "sur rendez-vous"', paris(2025, 7, 12, 10, 0), "inconnu", "Horaires à vérifier"),
    ('Mo-Fr 09:00-12:00; Sa "sur rendez-vous"', paris(2025, 7, 11, 13, 0), "ferme", "Fermé"),
    ("Mo-Fr 09:00-12:00; SH off", paris(2025, 7, 7, 10, 0), *horaires.INCONNU),
    ("9h-12h", paris(2025, 7, 7, 10, 0), *horaires.INCONNU),
]


@pytest.mark.parametrize(("texte", "instant", "etat", "libelle"), INSTANTS)
def test_etat_aux_instants_epingles(texte, instant, etat, libelle):
    assert horaires.etat(texte, instant) == (etat, libelle)


@pytest.mark.parametrize("fuseau", [UTC, NEW_YORK])
@pytest.mark.parametrize(("texte", "instant", "etat", "libelle"), INSTANTS[:9])
def test_etat_en_heure_de_paris_quel_que_soit_le_fuseau(texte, instant, etat, libelle, fuseau):
    assert horaires.etat(texte, instant.astimezone(fuseau)) == (etat, libelle)


def test_instant_naif_lu_en_heure_de_paris():
    assert horaires.etat(STANDARD, datetime(2025, 7, 7, 10, 0))[0] == "ouvert"


def test_passage_a_l_heure_d_hiver():
    # 26 October 2025: 03:00 summer time becomes 02:00; a Sunday, then Monday morning.
    assert horaires.etat(STANDARD, paris(2025, 10, 26, 12, 0)) == (
        "ferme",
        "Fermé · ouvre demain à 9 h",
    )
    donnees = horaires.donnees_badge("Mo-Su 01:00-05:00", date(2025, 10, 26), 1)
    assert donnees["minutes"] == 25 * 60
    assert _plages_de(donnees["ouvert"]) == [(60, 60 + 5 * 60)]


# --- badge data ----------------------------------------------------------------------------------


def test_donnees_badge_format():
    donnees = horaires.donnees_badge(STANDARD, LUNDI)
    assert set(donnees) == {"debut", "minutes", "ouvert", "inconnu"}
    assert donnees["debut"] == int(paris(2025, 7, 7).timestamp())
    assert donnees["minutes"] == 60 * 24 * 60
    assert donnees["ouvert"][:4] == [9 * 60, 3 * 60, 2 * 60, 4 * 60]  # 9-12, then 14-18
    assert json.loads(json.dumps(donnees)) == donnees


def test_donnees_badge_compactes():
    donnees = json.dumps(horaires.donnees_badge(BABET, LUNDI), separators=(",", ":"))
    assert len(donnees) < 1000
    assert len(gzip.compress(donnees.encode())) < 200


@pytest.mark.parametrize("texte", ["", "9h-12h", "sunrise-sunset", "Mo 09:00-12:00 || Tu"])
def test_donnees_badge_inconnues(texte):
    assert horaires.donnees_badge(texte, LUNDI) == {"etat": "inconnu"}


def test_fenetre_epuisee():
    donnees = horaires.donnees_badge(STANDARD, LUNDI, 7)
    assert horaires.etat_badge(donnees, paris(2025, 7, 11, 10, 0))[0] == "ouvert"
    assert horaires.etat_badge(donnees, paris(2025, 7, 14, 0, 0)) == horaires.INCONNU
    assert horaires.etat_badge(donnees, paris(2025, 7, 6, 23, 59)) == horaires.INCONNU


@pytest.mark.parametrize(
    "texte",
    [
        STANDARD,
        BABET,
        "Mo-Fr 22:00-02:00",
        "week 1-53/2 Tu 09:00-12:00; PH off",
        "Mo-Fr 09:00-12:00; Tu[1] 14:00-18:00",
        'Mo-Fr 09:00-12:00; Sa unknown "rdv"',
        "Mo-Su 01:30-02:30,08:00-12:00",
    ],
)
def test_badge_d_accord_avec_l_analyseur(texte):
    """Every 37 minutes over 60 days crossing the change to winter time."""
    debut = date(2025, 10, 1)
    donnees = horaires.donnees_badge(texte, debut)
    analyse = opening_hours.OpeningHours(texte, timezone=PARIS, country="FR")
    noms = {"open": "ouvert", "closed": "ferme", "unknown": "inconnu"}
    instant = paris(2025, 10, 1)
    while instant < paris(2025, 11, 29):
        attendu = noms[str(analyse.state(instant)[0])]
        assert horaires.etat_badge(donnees, instant)[0] == attendu, instant
        instant += timedelta(minutes=37)


@PROPRIETES
@given(st.dictionaries(st.text(max_size=10), st.one_of(st.integers(), st.lists(st.integers()))))
def test_etat_badge_ne_plante_jamais(donnees):
    assert horaires.etat_badge(donnees, paris(2025, 7, 7, 10))[0] in {"ouvert", "ferme", "inconnu"}


# --- view and template ---------------------------------------------------------------------------


def test_vue_horaires():
    vue = horaires.vue_horaires(f" {STANDARD} ", LUNDI)
    assert vue.texte == STANDARD
    assert vue.semaine == horaires.semaine(STANDARD, LUNDI)
    assert vue.badge == horaires.donnees_badge(STANDARD, LUNDI)
    assert horaires.vue_horaires("", LUNDI) is None


class _Attributs(HTMLParser):
    """Collects the attributes of every tag (for checking escaping)."""

    def __init__(self) -> None:
        super().__init__()
        self.balises: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.balises.append((tag, dict(attrs)))


def _rendre(vue) -> str:
    environnement = Environment(loader=FileSystemLoader(RACINE / "theme" / "templates"), autoescape=True)
    modele = '{% from "partials/horaires.html" import horaires %}{{ horaires(vue) }}'
    return environnement.from_string(modele).render(vue=vue)


def test_gabarit_horaires():
    texte = STANDARD + ' ; Sa 10:00-12:00 "l\'atelier <b>"'
    html = _rendre(horaires.vue_horaires(texte, LUNDI))
    assert "<caption>Horaires d'ouverture</caption>" in html
    assert html.count('<th scope="row">') == 7
    assert "<td>10 h – 12 h (l&#39;atelier &lt;b&gt;)</td>" in html
    assert "<li>Jours fériés : fermé</li>" in html
    assert "OpenStreetMap" not in html  # the raw syntax is not shown to the public (issue 19)
    lecteur = _Attributs()
    lecteur.feed(html)
    badge = next(attrs for tag, attrs in lecteur.balises if "data-horaires" in attrs)
    assert badge["data-etat"] == "inconnu"
    assert "hidden" in badge
    assert json.loads(badge["data-horaires"]) == horaires.donnees_badge(texte, LUNDI)


def test_gabarit_echappe_le_json():
    semaine = horaires.semaine("", LUNDI)
    vue = VueHoraires("x", semaine, {"piege": "a'b\"c<d>&e"})
    html = _rendre(vue)
    assert "<d>" not in html
    lecteur = _Attributs()
    lecteur.feed(html)
    badge = next(attrs for tag, attrs in lecteur.balises if "data-horaires" in attrs)
    assert json.loads(badge["data-horaires"]) == {"piege": "a'b\"c<d>&e"}
    assert "Horaires à vérifier" in html


def test_gabarit_sans_horaires():
    assert _rendre(None).strip() == ""


# --- free text import ----------------------------------------------------------------------------


def test_convertir_texte_libre_hinaura():
    jours = {
        "Lundi": "10h à 12h - 13 à 17h",
        "Mardi": "Fermé",
        "Mercredi": "10h à 12h - 13 à 17h",
        "Jeudi": "9h-12h / 14h-17h",
        "Vendredi": "8h30/12h30 - 13h30/17h",
        "Samedi": "",
        "Dimanche": "fermé",
    }
    texte, raisons = horaires.convertir_texte_libre(jours)
    assert texte == ("Mo,We 10:00-12:00,13:00-17:00; Th 09:00-12:00,14:00-17:00; Fr 08:30-12:30,13:30-17:00")
    assert raisons == []


def test_convertir_texte_libre_france_services():
    jours = {
        "h_lundi": "09:00 - 12:00 / 14:00 - 17:00",
        "h_mardi": "09:00 - 12:00 / 14:00 - 17:00",
        "h_mercredi": "09:00 - 12:00",
        "h_jeudi": "-",
        "h_vendredi": "08 :30-12:00",
        "h_samedi": "00:00 - 00:00 / 09:00 - 12:00",
    }
    texte, raisons = horaires.convertir_texte_libre(jours)
    assert texte == "Mo,Tu 09:00-12:00,14:00-17:00; We,Sa 09:00-12:00; Fr 08:30-12:00"
    assert raisons == ["samedi : « 00:00 - 00:00 / 09:00 - 12:00 » : plage vide ignorée"]


def test_convertir_texte_libre_ce_qui_ne_se_convertit_pas():
    jours = {
        "Lundi": "9h-12h",
        "Mardi": "Itinérance",
        "Mercredi": "14h-16h (sur rdv)",
        "Jeudi": "10h-12h une semaine sur deux",
        "Couleur": "bleu",
    }
    texte, raisons = horaires.convertir_texte_libre(jours)
    assert texte == (
        'Mo 09:00-12:00; Tu unknown "Itinérance"; We 14:00-16:00 "sur rendez-vous"; '
        'Th unknown "10h-12h une semaine sur deux"'
    )
    assert horaires.verifier(texte).valide
    assert raisons == [
        "mardi : « Itinérance » non converti (mots non compris : itinérance)",
        "jeudi : « 10h-12h une semaine sur deux » non converti (mots non compris : une, semaine, sur, deux)",
        "« Couleur » ne désigne pas un jour de la semaine",
    ]


def test_convertir_texte_libre_rien():
    assert horaires.convertir_texte_libre({"Lundi": "", "Mardi": "-"}) == (None, [])
    assert horaires.convertir_texte_libre({"Lundi": "Fermé"}) == ("off", [])


# --- nothing ever raises -------------------------------------------------------------------------

JETONS_OSM = [
    "Mo",
    "Tu-Fr",
    "Sa,Su",
    "PH",
    "SH",
    "off",
    "unknown",
    "09:00-12:00",
    "14:00-18:00",
    "22:00-02:00",
    ";",
    ",",
    "||",
    '"sur rdv"',
    "Tu[1]",
    "Fr[-1]",
    "week 1-53/2",
    "Jul-Aug",
    "Dec 25",
    "2025",
    "sunrise-sunset",
    "24/7",
    "10:00+",
    "9h",
    "lundi",
    "fermé",
    "à",
    "-",
    "/",
    "et",
]
TEXTES = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(JETONS_OSM), max_size=8).map(" ".join))


@PROPRIETES
@given(TEXTES)
def test_verifier_ne_plante_jamais(texte):
    verdict = horaires.verifier(texte)
    assert isinstance(verdict.message, str)
    if verdict.suggestion:
        assert horaires.verifier(verdict.suggestion).valide


@PROPRIETES
@given(TEXTES, st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_rendu_et_etat_ne_plantent_jamais(texte, instant):
    vue = horaires.vue_horaires(texte, instant.date())
    assert vue is None or len(vue.semaine.jours) in (0, 7)
    assert vue is None or vue.semaine.jours or vue.semaine.notes
    assert horaires.etat(texte, instant.replace(tzinfo=UTC))[0] in {"ouvert", "ferme", "inconnu"}


@PROPRIETES
@given(st.dictionaries(st.sampled_from(["Lundi", "h_mardi", "Samedi", "autre"]), TEXTES))
def test_convertir_texte_libre_ne_plante_jamais(jours):
    texte, raisons = horaires.convertir_texte_libre(jours)
    assert texte is None or horaires.verifier(texte).valide
    assert all(isinstance(raison, str) for raison in raisons)


# --- real data of ../shared ----------------------------------------------------------------------


def _banc():
    """bench/horaires.py as a module."""
    spec = importlib.util.spec_from_file_location("banc_horaires", RACINE / "bench" / "horaires.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["banc_horaires"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.shared
def test_chaines_reelles(dossier_shared):
    banc = _banc()
    lignes = banc.lire(dossier_shared / "data" / "derived_horaires_osm_values.tsv")
    assert len(lignes) == 3280 and len({texte for _, texte in lignes}) == 3280
    assert sum(nombre for nombre, _ in lignes) == 11614
    assert all(nombre > 0 for nombre, _ in lignes)
    mesure = banc.mesurer(lignes)
    assert mesure.plantages == []
    assert sum(mesure.distinctes.values()) == len(lignes)
    assert sum(mesure.occurrences.values()) == 11614
    assert mesure.distinctes["valide"] > 3000
    assert mesure.distinctes["corrigeable"] > 50
    assert max(mesure.tailles_gzip) < 400


@pytest.mark.shared
def test_texte_libre_reel(dossier_shared):
    with (dossier_shared / "data" / "hinaura.json").open(encoding="utf-8") as flux:
        lignes = [{j: ligne.get(j) or "" for j in horaires.JOURS} for ligne in json.load(flux)]
    with (dossier_shared / "data" / "liste-fs-20221201.csv").open(encoding="utf-8") as flux:
        lignes += [{k: v for k, v in ligne.items() if k.startswith("h_")} for ligne in csv.DictReader(flux)]
    convertis = 0
    for jours in lignes:
        texte, _ = horaires.convertir_texte_libre(jours)
        assert texte is None or horaires.verifier(texte).valide, jours
        convertis += texte is not None
    assert convertis > 0.8 * sum(1 for jours in lignes if any(jours.values()))
