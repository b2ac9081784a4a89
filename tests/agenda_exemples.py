"""Agendas made by hand for the tests of the agenda's pages and feeds (the loader of workshop
files and feeds is tested on its own): workshops of the test site's places (tests/site/), around
its pinned build day (2024-01-15, a Monday), and the seam that puts one on the directory.

`avec_agenda(monkeypatch, agenda)` wraps the build's `construire_annuaire` so that the directory
it returns carries `agenda` (the field `Annuaire.agenda`, which the loader of content/ateliers
fills in the shipped build): the site is then built as people build it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from annuaire.domain.ateliers import FUSEAU, Agenda, Atelier, Inscription, Occurrence, faire_agenda

JOUR = dt.date(2024, 1, 15)  # conftest.construire_site_test's ANNUAIRE_DATE
HOSTILE = '</script><script>alert("titre")</script><!-- x'


def heure(jour: str, debut: str) -> dt.datetime:
    """An aware datetime in Europe/Paris ("2024-01-20", "14:00")."""
    return dt.datetime.fromisoformat(f"{jour}T{debut}").replace(tzinfo=FUSEAU)


SMARTPHONE = Atelier(
    identifiant="smartphone-espace-test",
    titre="Prendre en main son smartphone",
    lieu="espace-test",
    debut=heure("2024-01-13", "14:00"),
    fin=heure("2024-01-13", "16:00"),
    regle="FREQ=WEEKLY;BYDAY=SA",
    themes=("Maîtrise des outils numériques du quotidien",),
    publics=("Seniors",),
    inscription=Inscription(telephone="04 77 12 34 56", courriel="ateliers@exemple.fr"),
    places_disponibles=8,
    accessible_pmr=True,
    langues=("fr",),
    description="<p>Apprendre à <strong>téléphoner</strong>, envoyer des photos.</p>",
)
IMPOTS = Atelier(
    identifiant="impots-nancy",
    titre="Déclarer ses impôts en ligne",
    lieu="mediatheque-exemple",
    debut=heure("2024-01-16", "09:30"),
    fin=heure("2024-01-16", "11:30"),
    themes=("Aide aux démarches administratives",),
    gratuit=False,
    prix="5 €",
    inscription=Inscription(url="https://exemple.fr/inscription"),
    accessible_pmr=False,
)
PORTES_OUVERTES = Atelier(
    identifiant="portes-ouvertes",
    titre="Journée portes ouvertes",
    lieu="espace-test",
    debut=heure("2024-01-24", "00:00"),
    fin=heure("2024-01-25", "00:00"),
    journee_entiere=True,
)
PIEGE = Atelier(
    identifiant="piege",
    titre=HOSTILE,
    lieu="atelier-hostile",
    debut=heure("2024-01-17", "18:00"),
    fin=heure("2024-01-17", "19:00"),
    prix=HOSTILE,
    gratuit=False,
    inscription=Inscription(telephone="abc", courriel="x@y", url="javascript:alert(1)"),
    description="<p>Texte <em>assaini</em> &lt;script&gt;</p>",
)
INCONNU = dataclasses.replace(IMPOTS, identifiant="sans-lieu", lieu="lieu-qui-n-existe-pas")


def seances(atelier: Atelier, jours: list[str], annulees: tuple[str, ...] = ()) -> list[Occurrence]:
    """Occurrences of `atelier` on `jours`, at its hours (those of `annulees` cancelled)."""
    duree = atelier.fin - atelier.debut
    resultat = []
    for jour in jours:
        debut = heure(jour, f"{atelier.debut:%H:%M}")
        resultat.append(Occurrence(debut, debut + duree, atelier, jour in annulees))
    return resultat


def agenda_exemple() -> Agenda:
    """The test agenda: a weekly Saturday workshop (one past date, one cancelled), a paid one in
    Nancy, an all-day one, a hostile one, and one of an unknown place (never shown)."""
    occurrences = [
        *seances(
            SMARTPHONE,
            ["2024-01-13", "2024-01-20", "2024-01-27", "2024-02-03", "2024-02-10", "2024-02-17"],
            ("2024-02-03",),
        ),
        *seances(IMPOTS, ["2024-01-16"]),
        *seances(PORTES_OUVERTES, ["2024-01-24"]),
        *seances(PIEGE, ["2024-01-17"]),
        *seances(INCONNU, ["2024-01-18"]),
    ]
    ateliers = (SMARTPHONE, IMPOTS, PORTES_OUVERTES, PIEGE, INCONNU)
    return faire_agenda(ateliers, occurrences, dt.date(2024, 1, 13), JOUR + dt.timedelta(days=92))


def avec_agenda(monkeypatch, agenda: Agenda | None = None) -> None:
    """Builds in this process get `agenda` on their directory (the test seam: see the module's doc)."""
    from annuaire.build import pelican_glue

    agenda = agenda if agenda is not None else agenda_exemple()
    construire = pelican_glue.construire_annuaire

    def avec(*args, **kwargs):
        return dataclasses.replace(construire(*args, **kwargs), agenda=agenda)

    monkeypatch.setattr(pelican_glue, "construire_annuaire", avec)


def agenda_du_mois() -> Agenda:
    """The example agenda and a busy month in Saint-Étienne: six weekly workshops at the test
    site's Espace (about thirty dates from the build's day), for the printed month and the phone."""
    exemple = agenda_exemple()
    ateliers, occurrences = list(exemple.ateliers), list(exemple.occurrences)
    sujets = [
        "Envoyer un e-mail",
        "Faire ses démarches CAF",
        "Ranger ses photos",
        "Payer en ligne sans risque",
    ]
    sujets += ["Utiliser France Connect", "Découvrir la tablette"]
    for numero, sujet in enumerate(sujets):
        premier = JOUR + dt.timedelta(days=numero)
        debut = heure(premier.isoformat(), f"{9 + numero:02d}:00")
        atelier = dataclasses.replace(
            SMARTPHONE,
            identifiant=f"hebdo-{numero}",
            titre=sujet,
            debut=debut,
            fin=debut + dt.timedelta(hours=1, minutes=30),
            themes=("Aide aux démarches administratives",) if numero % 2 else SMARTPHONE.themes,
            publics=(),
            gratuit=numero != 3,
            prix="" if numero != 3 else "2 €",
        )
        jours = [(premier + dt.timedelta(weeks=semaine)).isoformat() for semaine in range(5)]
        ateliers.append(atelier)
        occurrences += seances(atelier, jours)
    return faire_agenda(tuple(ateliers), occurrences, exemple.debut, exemple.fin)
