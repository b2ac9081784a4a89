"""Workshops in: the expansion of a workshop's recurrence within the agenda's horizon (bounded,
Europe/Paris wall-clock times across the change of time), workshop files and their checks."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from annuaire.domain.ateliers import FUSEAU, Atelier
from annuaire.domain.recurrences import (
    OCCURRENCES_MAX,
    occurrences_atelier,
    occurrences_ateliers,
    regle_refusee,
)

PARIS = FUSEAU


def heure(annee: int, mois: int, jour: int, h: int = 14, minute: int = 0) -> dt.datetime:
    """A Europe/Paris time."""
    return dt.datetime(annee, mois, jour, h, minute, tzinfo=PARIS)


def atelier(regle: str = "", debut: dt.datetime | None = None, **autres) -> Atelier:
    """A two-hour workshop (Tuesday 6 October 2026, 14:00, by default)."""
    debut = debut or heure(2026, 10, 6)
    fin = autres.pop("fin", debut + dt.timedelta(hours=2))
    return Atelier("smartphone", "Atelier smartphone", "epn-montreynaud", debut, fin, regle=regle, **autres)


def debuts(occurrences) -> list[str]:
    """The starts as ISO texts with their offset."""
    return [o.debut.isoformat() for o in occurrences]


def test_hebdomadaire_avec_exception_et_changement_d_heure():
    exception = heure(2026, 10, 20)
    trouvees = occurrences_atelier(
        atelier("FREQ=WEEKLY;BYDAY=TU", exceptions=(exception,)), dt.date(2026, 10, 10), dt.date(2026, 11, 5)
    )
    assert debuts(trouvees) == [
        "2026-10-13T14:00:00+02:00",
        "2026-10-27T14:00:00+01:00",  # after the change of time of 25 October: still 14:00
        "2026-11-03T14:00:00+01:00",
    ]
    assert all(o.fin - o.debut == dt.timedelta(hours=2) for o in trouvees)


def test_passage_a_l_heure_d_ete_garde_14_h():
    trouvees = occurrences_atelier(
        atelier("FREQ=WEEKLY;BYDAY=SA", heure(2027, 3, 20)), dt.date(2027, 3, 20), dt.date(2027, 4, 3)
    )
    assert debuts(trouvees) == [
        "2027-03-20T14:00:00+01:00",
        "2027-03-27T14:00:00+01:00",
        "2027-04-03T14:00:00+02:00",  # after 28 March 2027
    ]


def test_passees_absentes_et_seule_fois_dans_l_horizon():
    unique = atelier(debut=heure(2026, 12, 12))
    assert occurrences_atelier(unique, dt.date(2026, 12, 13), dt.date(2027, 3, 1)) == []
    assert debuts(occurrences_atelier(unique, dt.date(2026, 12, 12), dt.date(2026, 12, 12))) == [
        "2026-12-12T14:00:00+01:00"
    ]


def test_journee_entiere():
    debut = dt.datetime(2026, 12, 5, tzinfo=PARIS)
    journee = atelier("FREQ=MONTHLY;BYDAY=1SA", debut, fin=debut + dt.timedelta(days=1), journee_entiere=True)
    trouvees = occurrences_atelier(journee, dt.date(2026, 12, 6), dt.date(2027, 2, 28))
    assert [o.jour.isoformat() for o in trouvees] == ["2027-01-02", "2027-02-06"]
    assert all(o.debut.hour == 0 and o.fin - o.debut == dt.timedelta(days=1) for o in trouvees)


def test_fin_utc_de_la_regle():
    trouvees = occurrences_atelier(
        atelier("FREQ=WEEKLY;UNTIL=20261027T130000Z"), dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    )
    assert len(trouvees) == 4 and trouvees[-1].debut == heure(2026, 10, 27)


def test_fin_de_regle_en_jour_seul_incluse():
    trouvees = occurrences_atelier(
        atelier("FREQ=WEEKLY;UNTIL=20261027"), dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    )
    assert trouvees[-1].debut == heure(2026, 10, 27)


def test_bornes_par_atelier_et_au_total():
    quotidien = atelier("FREQ=DAILY", heure(2026, 1, 1))
    assert len(occurrences_atelier(quotidien, dt.date(2026, 1, 1), dt.date(2026, 12, 31))) == OCCURRENCES_MAX
    assert len(occurrences_atelier(quotidien, dt.date(2026, 1, 1), dt.date(2026, 12, 31), 5)) == 5
    assert len(occurrences_ateliers((quotidien,) * 10, dt.date(2026, 1, 1), dt.date(2026, 3, 1), 25)) == 25


@pytest.mark.parametrize(
    "regle",
    [
        "FREQ=SECONDLY",
        "FREQ=MINUTELY;COUNT=5",
        "FREQ=HOURLY",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # dateutil would search until the year 9999
        "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
        "FREQ=MONTHLY;INTERVAL=12;BYMONTH=3",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=9",
        "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=15",
        "FREQ=WEEKLY;BYHOUR=10",
        "FREQ=WEEKLY;BYDAY=XX",
        "pas une règle",
        "FREQ=WEEKLY;COUNT=abc",
    ],
)
def test_regles_refusees_et_jamais_developpees(regle):
    assert regle_refusee(regle)
    debut = time.monotonic()
    assert occurrences_atelier(atelier(regle), dt.date(2026, 10, 1), dt.date(2026, 12, 31)) == []
    assert time.monotonic() - debut < 1


@pytest.mark.parametrize(
    "regle",
    [
        "FREQ=WEEKLY;BYDAY=TU,TH",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=WEEKLY;INTERVAL=2",
        "RRULE:FREQ=DAILY;COUNT=3",
    ],
)
def test_regles_acceptees(regle):
    assert regle_refusee(regle) == ""


# --- workshop files ------------------------------------------------------------------------------------

from pathlib import Path  # noqa: E402

from annuaire.domain.model import Lieu  # noqa: E402
from annuaire.loading.ateliers import lire_ateliers  # noqa: E402
from annuaire.validation.ateliers import ContexteAteliers, valider_ateliers  # noqa: E402

RACINE = Path(__file__).resolve().parents[1]
LIEUX = {
    slug: Lieu(slug=slug, nom=slug, code_postal="42000")
    for slug in ("epn-montreynaud", "zoomacom", "mediatheque-tarentaize-atelier-numerique")
}
F = "content/ateliers/atelier.yaml:"  # the problems' prefix
BON = """titre: Bien utiliser son smartphone
lieu: epn-montreynaud
debut: 2026-11-05 10:00
fin: "11:30"
recurrence: FREQ=WEEKLY;BYDAY=TH
"""


def memoire():
    """An `appliquer` that keeps results by key as the build's does (here, for one test)."""
    gardes: dict = {}

    def appliquer(fonction, elements, *fixes):
        return [gardes.setdefault((fonction.__qualname__, e, fixes), fonction(e, *fixes)) for e in elements]

    return appliquer


def charger(tmp_path: Path, texte: str, nom: str = "atelier.yaml", jour=dt.date(2026, 12, 6)):
    """(workshops, problems as texts) of one workshop file written in a fresh content folder."""
    dossier = tmp_path / "content" / "ateliers"
    dossier.mkdir(parents=True, exist_ok=True)
    (dossier / nom).write_text(texte, encoding="utf-8")
    lus, problemes = lire_ateliers(dossier, tmp_path)
    ateliers, autres = valider_ateliers(lus, ContexteAteliers(LIEUX, jour))
    assert (ateliers, autres) == valider_ateliers(lus, ContexteAteliers(LIEUX, jour), memoire())
    return ateliers, [str(p) for p in problemes + autres]


def test_fichier_valide(tmp_path):
    texte = BON + 'inscription:\n  telephone: "04 77 94 15 57"\n  url: https://exemple.fr/inscription\n'
    texte += "description: |\n  **Apportez** votre téléphone <script>alert(1)</script>\n"
    (atelier_lu,), problemes = charger(tmp_path, texte)
    assert problemes == []
    assert atelier_lu.identifiant == "atelier" and atelier_lu.lieu == "epn-montreynaud"
    assert atelier_lu.debut == heure(2026, 11, 5, 10) and atelier_lu.fin == heure(2026, 11, 5, 11, 30)
    assert atelier_lu.inscription.telephone == "+33477941557"
    assert "<strong>Apportez</strong>" in atelier_lu.description and "<script" not in atelier_lu.description
    assert atelier_lu.ligne("recurrence") == 5 and atelier_lu.gratuit


@pytest.mark.parametrize(
    ("ajout", "attendu"),
    [
        (
            BON.replace("epn-montreynaud", "epn-montreinaud"),
            F + "2: lieu: lieu « epn-montreinaud » inconnu ; vouliez-vous dire « epn-montreynaud » ?",
        ),
        (
            BON.replace("2026-11-05 10:00", "2026-11-31 10:00"),
            F + "3: debut: « 2026-11-31 10:00 » n'est pas une date : AAAA-MM-JJ HH:MM",
        ),
        (
            BON.replace("BYDAY=TH", "BYDAY=JEUDI"),
            F + "5: recurrence: « FREQ=WEEKLY;BYDAY=JEUDI » : BYDAY attend des jours",
        ),
        (
            BON.replace("FREQ=WEEKLY;BYDAY=TH", "FREQ=SECONDLY"),
            F + "5: recurrence: « FREQ=SECONDLY » : FREQ vaut DAILY",
        ),
        (
            BON.replace('"11:30"', "2026-11-05 09:00"),
            F + "4: fin: la fin (2026-11-05 09:00) est avant le début (2026-11-05 10:00)",
        ),
        (
            BON + "themes:\n  - Aide aux demarches administrative\n",
            F + "6: themes: « Aide aux demarches administrative » n'est pas une valeur "
            "du standard ; vouliez-vous dire « Aide aux démarches administratives » ?",
        ),
        (
            BON + "themes:\n  - Faire ses démarches en ligne (impôts, CAF, santé…)\n",
            "vouliez-vous dire « Aide aux démarches administratives » ?",
        ),
        (
            BON + "titr: x\n",
            F + "6: titr: champ inconnu ; vouliez-vous dire « titre » ?",
        ),
        (
            BON + "inscription:\n  telephone: 0477123456\n",
            F + "7: inscription: telephone : écrivez le numéro entre guillemets",
        ),
        (
            BON + "inscription:\n  courriel: pas-une-adresse\n",
            F + "7: inscription: courriel : « pas-une-adresse » n'est pas une adresse",
        ),
        (
            BON + "inscription:\n  url: javascript:alert(1)\n",
            F + "7: inscription: url : texte simple attendu",
        ),
        (
            BON + "gratuit: oui\nprix: 5 €\n",
            F + "7: prix: un atelier gratuit n'a pas",
        ),
        (BON + "places_disponibles: beaucoup\n", "places_disponibles: « beaucoup » : un nombre de places"),
        (
            BON.replace("titre: Bien", "titre: <b>Bien"),
            F + "1: titre: texte simple attendu",
        ),
        ("lieu: zoomacom\n", F + "1: titre: champ obligatoire manquant"),
        (
            "titre: x\nlieu: zoomacom\ndebut: 2026-12-12 14:00\n",
            "atelier.yaml:3: debut: heure de fin manquante",
        ),
        ("a: &x [1]\nb: *x\n", F + "2: b: les alias YAML"),
        ("titre: [\n", F + "2: titre: YAML invalide"),
        ("", F + "1: fichier vide"),
        ("titre: " + "x" * 300_000, F + "1: fichier trop gros"),
        ("titre: x\x00", F + "1: fichier binaire"),
        ("titre: !!python/object:os.system x\n", "étiquette YAML"),
        (BON + "lieu: zoomacom\n", F + "6: lieu: la clé « lieu » apparaît deux fois"),
    ],
)
def test_fichiers_fautifs(tmp_path, ajout, attendu):
    ateliers, problemes = charger(tmp_path, ajout)
    assert ateliers == () and any(attendu in p for p in problemes), problemes


def test_lien_symbolique_hors_du_depot_refuse(tmp_path):
    dehors = tmp_path / "dehors.yaml"
    dehors.write_text(BON, encoding="utf-8")
    (tmp_path / "projet" / "content" / "ateliers").mkdir(parents=True)
    (tmp_path / "projet" / "content" / "ateliers" / "lien.yaml").symlink_to(dehors)
    lus, problemes = lire_ateliers(tmp_path / "projet" / "content" / "ateliers", tmp_path / "projet")
    assert lus == [] and "lien.yaml:1:" in str(problemes[0])


def test_journee_entiere_et_exceptions(tmp_path):
    texte = BON.replace("2026-11-05 10:00", "2026-11-05").replace('fin: "11:30"\n', "")
    texte += "exceptions:\n  - 2026-12-24\n"
    (lu,), problemes = charger(tmp_path, texte)
    assert problemes == [] and lu.journee_entiere and lu.fin - lu.debut == dt.timedelta(days=1)
    assert lu.exceptions == (dt.datetime(2026, 12, 24, tzinfo=PARIS),)
    trouvees = occurrences_atelier(lu, dt.date(2026, 12, 17), dt.date(2026, 12, 31))
    assert [o.jour.isoformat() for o in trouvees] == ["2026-12-17", "2026-12-31"]


def test_seance_passee_un_avertissement(tmp_path):
    texte = "titre: x\nlieu: zoomacom\ndebut: 2026-11-05 10:00\nfin: '12:00'\n"
    (lu,), problemes = charger(tmp_path, texte)
    assert problemes == [
        F + "3: avertissement: debut: séance passée (le 2026-11-05) : le fichier peut être retiré"
    ]


def test_exemples_livres_valides():
    from annuaire.loading.entrees import charger_lieux

    lieux, _ = charger_lieux(RACINE / "content" / "lieux", RACINE)
    lus, problemes = lire_ateliers(RACINE / "content" / "ateliers", RACINE)
    ateliers, autres = valider_ateliers(
        lus, ContexteAteliers({x.slug: x for x in lieux}, dt.date(2026, 12, 6))
    )
    assert problemes + autres == [] and 4 <= len(ateliers) <= 6


# --- the directory's agenda, and the build that must not serve a stale one ----------------------------

import shutil  # noqa: E402

from annuaire.directory import Calculs, construire_annuaire  # noqa: E402


@pytest.fixture
def contenu(tmp_path) -> Path:
    """A copy of the project's places and workshop files."""
    for dossier in ("lieux", "reseaux", "ateliers"):
        shutil.copytree(RACINE / "content" / dossier, tmp_path / "content" / dossier)
    return tmp_path / "content"


def test_agenda_de_l_annuaire(contenu):
    annuaire = construire_annuaire(contenu, contenu.parent, dt.date(2026, 12, 6))
    agenda = annuaire.agenda
    assert agenda.debut == dt.date(2026, 12, 6) and agenda.fin == dt.date(2027, 3, 8)
    assert {a.identifiant for a in agenda.ateliers} >= {
        "epn-montreynaud-smartphone",
        "zoomacom-install-party",
    }
    assert agenda.occurrences[0].debut == heure(2026, 12, 10, 10)
    assert [o.jour.isoformat() for o in agenda.du_lieu("zoomacom")] == ["2027-01-30", "2027-02-27"]
    assert not [p for p in annuaire.problemes if p.chemin.startswith("content/ateliers")]


def test_l_agenda_commence_le_jour_de_la_construction(contenu):
    # The build's day (ANNUAIRE_DATE in tests) is the agenda's first day: past dates are gone.
    annuaire = construire_annuaire(contenu, contenu.parent, dt.date(2027, 1, 1))
    assert annuaire.agenda.debut == dt.date(2027, 1, 1)
    assert all(o.jour >= dt.date(2027, 1, 1) for o in annuaire.agenda.occurrences)


def test_erreur_d_atelier_arrete_la_construction(contenu):
    fichier = contenu / "ateliers" / "zoomacom-install-party.yaml"
    fichier.write_text(fichier.read_text(encoding="utf-8").replace("lieu: zoomacom", "lieu: zoomacon"))
    annuaire = construire_annuaire(contenu, contenu.parent, dt.date(2026, 12, 6))
    assert [str(p) for p in annuaire.erreurs] == [
        "content/ateliers/zoomacom-install-party.yaml:3: lieu: lieu « zoomacon » inconnu ; "
        "vouliez-vous dire « zoomacom » ?"
    ]


def test_avec_les_caches_du_build_l_agenda_n_est_jamais_perime(contenu, tmp_path, monkeypatch):
    """The build keeps each file's workshop and each workshop's occurrences between builds: a
    changed file, another day or a removed place are never served from the cache."""
    from annuaire.build.entrees import EntreesEnCache
    from annuaire.build.memo import EmpreintesLieux, MemoCalculs

    def construire(jour=dt.date(2026, 12, 6)):
        empreintes = EmpreintesLieux()
        memo = MemoCalculs(tmp_path / "cache", empreintes)
        annuaire = construire_annuaire(
            contenu, contenu.parent, jour, Calculs(EntreesEnCache(tmp_path / "cache", empreintes), memo)
        )
        memo.enregistrer()
        return annuaire

    def jours(annuaire) -> list[dt.date]:
        return [o.jour for o in annuaire.agenda.du_lieu("atelier-numerique-google-saint-etienne")]

    import annuaire.validation.ateliers as validation
    from annuaire.loading.ateliers import mapping_atelier

    lus = []

    def compter(nom: str, texte: str):
        lus.append(nom)
        return mapping_atelier(nom, texte)

    monkeypatch.setattr(validation, "mapping_atelier", compter)
    assert jours(construire()) == [dt.date(2026, 12, 15)] and len(lus) == 5
    assert jours(construire()) == [dt.date(2026, 12, 15)] and len(lus) == 5  # from the cache
    fichier = contenu / "ateliers" / "google-saint-etienne-securite.yaml"
    fichier.write_text(fichier.read_text(encoding="utf-8").replace("2026-12-15", "2026-12-16"))
    assert jours(construire()) == [dt.date(2026, 12, 16)] and lus[-1].endswith(
        "google-saint-etienne-securite.yaml"
    )
    assert jours(construire(dt.date(2026, 12, 17))) == []  # past the next day
    (contenu / "lieux" / "zoomacom.md").unlink()
    erreurs = [str(p) for p in construire().erreurs]
    assert any("zoomacom-install-party.yaml:3: lieu: lieu « zoomacom » inconnu" in e for e in erreurs)


def test_l_empreinte_du_build_voit_les_ateliers(contenu, tmp_path):
    """The "nothing changed" check of an incremental build hashes content/ (workshops and feed
    snapshots included) and the settings (ANNUAIRE_DATE included)."""
    from annuaire.build.cache import empreinte_construction, version_rendu

    reglages = {"PATH": str(contenu), "THEME": str(RACINE / "theme"), "ANNUAIRE_DATE": "2026-12-06"}
    empreinte = lambda: empreinte_construction(reglages, tmp_path / "absent.py", tmp_path / "cache")  # noqa: E731
    avant = empreinte()
    (contenu / "ateliers" / "nouveau.yaml").write_text(BON, encoding="utf-8")
    assert empreinte() != avant
    instantane = contenu / "sources" / "agendas" / "zoomacom.ics"
    instantane.parent.mkdir(parents=True)
    avec_atelier = empreinte()
    instantane.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    assert empreinte() != avec_atelier
    assert version_rendu({**reglages, "ANNUAIRE_DATE": "2027-01-01"}) != version_rendu(reglages)


def test_champ_agenda_extension_verifiee_hors_du_csv():
    from annuaire.domain.champs import CHAMPS_STANDARD, CHAMPS_URL, EXTENSIONS
    from annuaire.validation.regles import Contexte, valider_lieu

    assert "agenda" in EXTENSIONS and "agenda" in CHAMPS_URL and "agenda" not in CHAMPS_STANDARD
    lieu = Lieu(
        slug="x", nom="X", chemin="content/lieux/x.yaml", agenda="javascript:alert(1)", lignes={"agenda": 7}
    )
    problemes = [str(p) for p in valider_lieu(lieu, Contexte()) if p.champ == "agenda"]
    assert problemes and problemes[0].startswith("content/lieux/x.yaml:7: agenda: « javascript:alert(1) »")
