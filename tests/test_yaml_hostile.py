"""Hostile YAML in entries (issue 17, class 7): bounded messages and conversions, no alias, codes
read as written, YAML's own errors in French with their line and field."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest
from annuaire.loading.entrees import charger_lieu
from annuaire.loading.yamlpos import champ_a_la_ligne
from conftest import RACINE
from test_loading import ecrire, un_probleme

BASE = "nom: Essai\nadresse: 1 rue A\ncommune: Bourg-en-Bresse\n"
BOMBE = (
    "nom: Bombe\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "services: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
)


def test_bombe_d_alias_refusee(tmp_path):
    """600 bytes that would expand to 9^8 strings: refused on the first alias, with its field."""
    assert len(BOMBE) < 700
    probleme = un_probleme(tmp_path, "bombe.yaml", BOMBE)
    assert probleme.ligne == 3 and probleme.champ == "b" and "alias" in probleme.message


def test_bombe_dans_un_processus_borne(tmp_path):
    """The whole validation of the bomb in a child limited to 512 MB of memory: a clear message."""
    (tmp_path / "content" / "lieux").mkdir(parents=True)
    (tmp_path / "content" / "lieux" / "bombe.yaml").write_text(BOMBE, encoding="utf-8")

    def limiter():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 29, 1 << 29))

    sortie = subprocess.run(
        [sys.executable, "-m", "annuaire", "validate", "--contenu", "content", "--racine", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limiter,
        env={"PYTHONPATH": str(RACINE / "plugins"), "PATH": "/usr/bin:/bin"},
    )
    assert sortie.returncode == 1 and "Traceback" not in sortie.stderr + sortie.stdout
    assert "content/lieux/bombe.yaml:3: b: les alias YAML" in sortie.stdout + sortie.stderr


def test_ancre_seule_sans_alias_acceptee(tmp_path):
    """An anchor used nowhere changes nothing: no node is reached twice."""
    lieu, problemes = charger_lieu(ecrire(tmp_path, "a.yaml", BASE + "code_postal: &cp '01000'\n"), tmp_path)
    assert lieu is not None and lieu.code_postal == "01000"


@pytest.mark.parametrize(
    ("ligne", "attendu"),
    [
        ("code_postal: 01000", "01000"),  # octal for YAML 1.1: 512
        ("code_postal: 09000", "09000"),  # not octal: 9000 without its zero
        ("code_insee: 01053", "01053"),
        ("telephone: 0477933226", "0477933226"),
        ("pivot: 00000000000000", "00000000000000"),
        ("nom: 1984", "1984"),
        ("nom: yes", "yes"),  # a boolean for YAML 1.1
    ],
)
def test_codes_lus_tels_qu_ecrits(tmp_path, ligne, attendu):
    champ = ligne.split(":")[0]
    texte = BASE.replace("nom: Essai\n", "") + ligne + "\n" + ("" if champ == "nom" else "nom: Essai\n")
    lieu, _ = charger_lieu(ecrire(tmp_path, "a.yaml", texte), tmp_path)
    assert getattr(lieu, champ) == attendu


def test_nombres_et_dates_restent_types(tmp_path):
    texte = BASE + "latitude: 46.2\nlongitude: 5.22\ndate_maj: 2024-01-31\n"
    lieu, _ = charger_lieu(ecrire(tmp_path, "a.yaml", texte), tmp_path)
    assert (lieu.latitude, lieu.longitude, lieu.date_maj.isoformat()) == (46.2, 5.22, "2024-01-31")


def test_entier_de_400_chiffres(tmp_path):
    """Too large for a float: a bounded French message on the field, never an OverflowError."""
    texte = BASE + f"latitude: {'9' * 400}\nlongitude: 4.3\n"
    lieu, problemes = charger_lieu(ecrire(tmp_path, "a.yaml", texte), tmp_path)
    probleme = next(p for p in problemes if p.champ == "latitude" and "nombre" in p.message)
    assert probleme.ligne == 4 and len(probleme.message) < 120 and "…" in probleme.message


def test_date_impossible_ligne_et_champ(tmp_path):
    probleme = un_probleme(tmp_path, "a.yaml", BASE + "date_maj: 2023-02-30\n")
    assert (probleme.ligne, probleme.champ) == (4, "date_maj")
    assert probleme.message == "« 2023-02-30 » n'est pas une date qui existe (AAAA-MM-JJ)"


@pytest.mark.parametrize(
    ("texte", "ligne", "champ", "attendu"),
    [
        (BASE + "horaires: Mo 09:00: fermé\n", 4, "horaires", "« : » inattendu"),
        (BASE + "services: [Aide aux démarches\n", 5, "services", "crochets non refermé"),
        (BASE + 'presentation_resume: "Texte\n', 5, "presentation_resume", "guillemet non refermé"),
        (BASE + "services: !!python/object:os.system x\n", 4, "services", "étiquette YAML"),
        (BASE + "telephone: @0477\n", 4, "telephone", "caractère inattendu"),
    ],
)
def test_erreurs_yaml_en_francais(tmp_path, texte, ligne, champ, attendu):
    probleme = un_probleme(tmp_path, "a.yaml", texte)
    assert attendu in probleme.message and probleme.champ == champ
    assert abs(probleme.ligne - ligne) <= 1


def test_champ_a_la_ligne():
    texte = "nom: A\nservices:\n  - x\n  - y\ncommune: B\n"
    assert [champ_a_la_ligne(texte, n) for n in (1, 2, 4, 5, 9)] == [
        "nom",
        "services",
        "services",
        "commune",
        "commune",
    ]


def test_messages_bornes(tmp_path):
    """A 200 KB value quoted by a rule still gives a message of at most 400 characters."""
    texte = BASE + f"telephone: '{'0' * 200_000}'\n"
    lieu, problemes = charger_lieu(ecrire(tmp_path, "a.yaml", texte), tmp_path)
    from annuaire.validation.regles import Contexte, valider_lieu

    trouves = problemes + valider_lieu(lieu, Contexte())
    assert trouves and max(len(p.message) for p in trouves) <= 400
