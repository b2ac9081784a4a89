"""The proposal form refuses what `make validate` refuses, with the same words, and accepts only
what it accepts (property tests on generated values).

The browser's checks (theme/static/js/proposer-regles.js) run in node on a whole batch of values at
once (tests/proposer_regles.mjs), the validator (validation/regles.valider_lieu) on each value put
into an otherwise valid entry. Where the browser is stricter by design (hours outside the form's
subset of the syntax), the test says so: what it accepts must validate, what the validator refuses
it must refuse, with the validator's message.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess

import phonenumbers
import pytest
from annuaire.domain.formats import region_telephone
from annuaire.domain.horaires import verifier
from annuaire.domain.model import ERREUR, Lieu
from annuaire.validation.formulaire import INDICATIFS, regles_navigateur
from annuaire.validation.regles import Contexte, valider_lieu
from conftest import RACINE, absent
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

NODE = shutil.which("node")
JOUR = dt.date(2024, 1, 2)
BASE = Lieu(
    chemin="x.yaml",
    id="espace",
    nom="Espace",
    commune="Saint-Étienne",
    code_postal="42000",
    adresse="1 rue A",
    date_maj=dt.date(2024, 1, 1),
    source="le lieu",
)
# Batches of values: shrinking a batch would rerun node hundreds of times, and a failure lists
# every value the two sides disagree on anyway.
REGLAGES = settings(
    max_examples=6,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example, HealthCheck.data_too_large],
)
LOT = {"min_size": 150, "max_size": 150}


def navigateur(cas: list[tuple[str, str, str]]) -> list[dict]:
    """The browser's verdicts on every (field, value, postcode), in one node run."""
    if not NODE:
        absent("node absent (make install)", "REQUIRE_BROWSER")
    entree = json.dumps({"regles": regles_navigateur(), "cas": cas})
    sortie = subprocess.run(
        [NODE, str(RACINE / "tests" / "proposer_regles.mjs")],
        input=entree,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(sortie.stdout)


def validateur(champ: str, valeur, code_postal: str = "42000") -> list[str]:
    """The validator's error messages on `champ` for an entry that is valid but for it."""
    lieu = dataclasses.replace(BASE, code_postal=code_postal, **{champ: valeur})
    return [
        p.message
        for p in valider_lieu(lieu, Contexte(aujourd_hui=JOUR))
        if p.champ == champ and p.gravite == ERREUR
    ]


# --- Generated values -----------------------------------------------------------------------------

_chiffres = st.text("0123456789", min_size=0, max_size=12)
_separe = st.lists(st.sampled_from(["", " ", ".", "-", " ", "/"]), min_size=12, max_size=12)


@st.composite
def telephones(draw) -> str:
    """Phone-like text: a prefix people write (0, +33, 0033, +33 (0), an overseas code), digits,
    separators between them."""
    prefixe = draw(
        st.sampled_from(["0", "0", "", "+33 ", "0033 ", "+33 (0)", "+262 ", "+590 ", "+687 ", "33"])
    )
    debut = draw(st.sampled_from(["", "1", "2", "3", "4", "5", "6", "7", "8", "9", "26", "69", "59", "80"]))
    corps = debut + draw(_chiffres)
    separateurs = draw(_separe)
    texte = prefixe + "".join(c + s for c, s in zip(corps, separateurs + [""] * len(corps), strict=False))
    return texte.strip()


_local = st.text("abcdexyzAZ019._-+='", min_size=0, max_size=8)
_domaine = st.text("abcxyz09-", min_size=0, max_size=6)


@st.composite
def courriels(draw) -> str:
    """E-mail-like text: a local part, maybe an @, labels, maybe a dot and a top-level domain."""
    arobase = draw(st.sampled_from(["@", "@", "", "@@"]))
    fin = draw(st.sampled_from(["", ".fr", ".com", ".", ".f", "..fr"]))
    return draw(_local) + arobase + draw(_domaine) + fin


_hote = st.text("abcé-0.аοxz", min_size=0, max_size=10)  # Latin, Cyrillic а, Greek ο


@st.composite
def urls(draw) -> str:
    """URL-like text: a scheme or none, a host with letters of several alphabets, a path."""
    schema = draw(
        st.sampled_from(["https://", "http://", "", "ftp://", "https:/", "javascript:", "HTTPS://"])
    )
    autre = draw(st.sampled_from(["", "", ":8080", "@", " ", "\u200b", "[", "<", "user@"]))
    chemin = draw(st.sampled_from(["", "/", "/a b", "/page?x=1#y", '/"']))
    return schema + draw(_hote) + autre + draw(st.sampled_from(["", ".fr", ".org"])) + chemin


_MOTS_HORAIRES = [
    "Mo",
    "Tu",
    "We",
    "Fr",
    "Sa",
    "Su",
    "PH",
    "lundi",
    "mardi",
    "vendredi",
    "samedi",
    "Lu",
    "au",
    "et",
    "de",
    "à",
    "du",
    "9h",
    "9h30",
    "12h",
    "14h",
    "17h",
    "09:00",
    "12:00",
    "14:00",
    "17:30",
    "24:00",
    "9:00",
    "off",
    "fermé",
    "-",
    ",",
    ";",
    "; ",
    " ",
    " ",
    " ",
    "24/7",
    ":",
    "12:00-09:00",
]


@st.composite
def horaires_libres(draw) -> str:
    """Hours as people type them: OSM pieces, French words and times, separators, in any order."""
    return "".join(draw(st.lists(st.sampled_from(_MOTS_HORAIRES), min_size=1, max_size=9))).strip()


@st.composite
def horaires_du_formulaire(draw) -> str:
    """Values of the form's subset of the syntax ("Mo-Fr 09:00-12:00,14:00-17:00; Sa off")."""
    jours = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]

    def regle() -> str:
        debut = draw(st.sampled_from(jours))
        plage = draw(st.sampled_from(["", "-" + draw(st.sampled_from(jours))]))
        liste = draw(st.sampled_from(["", ",PH", ",Su"]))
        heures = sorted(draw(st.lists(st.integers(0, 48), min_size=2, max_size=4, unique=True)))
        if len(heures) % 2:
            heures = heures[:-1]
        plages = ",".join(
            f"{a // 2:02d}:{a % 2 * 30:02d}-{b // 2:02d}:{b % 2 * 30:02d}"
            for a, b in zip(heures[::2], heures[1::2], strict=True)
        )
        return f"{debut}{plage}{liste} " + draw(st.sampled_from([plages, plages, "off"]))

    return "; ".join(regle() for _ in range(draw(st.integers(1, 3))))


_texte = st.lists(
    st.sampled_from(list("ab =@+-1<>/:\t\u202e\x07é") + ["javascript:", "<b>", "<!--"]), max_size=8
).map(lambda t: "".join(t).strip())  # the form trims what it reads


# --- Properties -----------------------------------------------------------------------------------


def etranger(valeur: str, code_postal: str) -> bool:
    """True for a number phonenumbers reads with a country code the standard does not take."""
    try:
        numero = phonenumbers.parse(valeur, region_telephone(code_postal))
    except phonenumbers.NumberParseException:
        return False
    return numero.country_code not in INDICATIFS


@REGLAGES
@given(st.lists(st.tuples(telephones(), st.sampled_from(["42000", "97400", "97133", "98800"])), **LOT))
def test_telephones_memes_verdicts_memes_mots(lot):
    resultats = navigateur([("telephone", v, cp) for v, cp in lot])
    for (valeur, cp), resultat in zip(lot, resultats, strict=True):
        attendu = validateur("telephone", valeur, cp)
        if etranger(valeur, cp):  # another country's rules are not in the page: both refuse
            assert attendu and resultat["messages"], (valeur, cp)
            continue
        assert resultat["messages"] == attendu, (valeur, cp)
        if not attendu:  # the browser writes the standard's form: it validates with no warning
            assert validateur("telephone", resultat["forme"], cp) == []


@REGLAGES
@given(st.lists(courriels().filter(bool), **LOT))  # the form leaves empty boxes out
def test_courriels_memes_verdicts_memes_mots(lot):
    for valeur, resultat in zip(lot, navigateur([("courriels", v, "") for v in lot]), strict=True):
        assert resultat["messages"] == validateur("courriels", [valeur]), valeur


@REGLAGES
@given(st.lists(urls(), **LOT))
def test_adresses_web_memes_verdicts_memes_mots(lot):
    for valeur, resultat in zip(lot, navigateur([("site_web", v, "") for v in lot]), strict=True):
        assert resultat["messages"] == validateur("site_web", [valeur]), valeur


@REGLAGES
@given(st.lists(_texte.filter(bool), **LOT))  # an empty one is "Indiquez…" (required)
def test_textes_libres_memes_verdicts_memes_mots(lot):
    for valeur, resultat in zip(lot, navigateur([("adresse", v, "") for v in lot]), strict=True):
        assert resultat["messages"] == validateur("adresse", valeur), valeur


_POSITION = re.compile(r" : erreur au caractère \d+, « [^»]*»")


@REGLAGES
@given(st.lists(horaires_libres(), **LOT))
def test_horaires_refuses_par_validate_refuses_avec_les_memes_mots(lot):
    """What the validator refuses the form refuses, with its message (less the parser's column,
    which only the parser knows); what the form accepts validates; its suggestion validates."""
    for valeur, resultat in zip(lot, navigateur([("horaires", v, "") for v in lot]), strict=True):
        attendu = validateur("horaires", valeur)
        if not resultat["messages"]:
            assert attendu == [], valeur
            continue
        if resultat["suggestion"]:
            assert verifier(resultat["suggestion"]).valide, (valeur, resultat["suggestion"])
        if attendu and verifier(valeur).suggestion == resultat["suggestion"]:
            assert [_POSITION.sub("", m) for m in attendu] == resultat["messages"], valeur
        elif attendu:  # another (valid) suggestion than the validator's: the same refusal
            base = [m.split(" ; proposition")[0] for m in resultat["messages"]]
            assert [_POSITION.sub("", m).split(" ; proposition")[0] for m in attendu] == base, valeur


@st.composite
def horaires_ambigus(draw) -> str:
    """Form values made ambiguous as producers do (ambigus.py): "Mo, Tu", a rule with no day after
    a "; ", a zero-length range."""
    valeur = draw(horaires_du_formulaire())
    facon = draw(st.sampled_from(["virgule", "sans_jour", "nulle", "tout"]))
    if facon in ("virgule", "tout"):
        valeur = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su),", r"\1, ", valeur, count=1)
    if facon in ("sans_jour", "tout"):
        valeur += "; 18:00-19:00"
    if facon in ("nulle", "tout"):
        valeur = re.sub(r"(\d\d:\d\d)-\d\d:\d\d", r"\1-\1", valeur, count=1)
    return valeur


@REGLAGES
@given(st.lists(horaires_ambigus(), **LOT))
def test_horaires_ambigus_memes_mots(lot):
    for valeur, resultat in zip(lot, navigateur([("horaires", v, "") for v in lot]), strict=True):
        attendu = [_POSITION.sub("", m) for m in validateur("horaires", valeur)]
        if not attendu:  # valid after all ("off; 18:00-19:00"): the form may be stricter, never wrong
            assert not resultat["suggestion"] or verifier(resultat["suggestion"]).valide, valeur
            continue
        assert resultat["messages"] == attendu, valeur


@REGLAGES
@given(st.lists(horaires_du_formulaire(), **LOT))
def test_horaires_acceptes_par_le_formulaire_valides(lot):
    for valeur, resultat in zip(lot, navigateur([("horaires", v, "") for v in lot]), strict=True):
        assert resultat["messages"] == [], valeur
        assert validateur("horaires", valeur) == [], valeur


@pytest.mark.parametrize(
    ("champ", "valeur", "message"),
    [
        ("telephone", "04.77.12.34.5", "« 04.77.12.34.5 » n'est pas un numéro attribué"),
        ("courriels", "marie.dupont@gmail", "« marie.dupont@gmail » n'est pas une adresse e-mail valide"),
        ("horaires", "lundi 9h-12h", "; proposition : « Mo 09:00-12:00 »"),
    ],
)
def test_exemples_de_l_issue(champ, valeur, message):
    assert message in navigateur([(champ, valeur, "42000")])[0]["messages"][0]


def test_valeur_hors_vocabulaire_refusee_comme_par_validate():
    (resultat,) = navigateur([("services", "Aide aux impôts", "42000")])
    (attendu,) = validateur("services", ["Aide aux impôts"])
    assert resultat["messages"] == ["« Aide aux impôts » n'est pas une valeur du standard"]
    assert attendu.startswith(resultat["messages"][0])  # the validator adds the closest value
