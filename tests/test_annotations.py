"""GitHub annotations cannot be forged by a file name or a message (issue 17, class 12)."""

from __future__ import annotations

import io

from annuaire.domain.model import Probleme
from annuaire.validation.affichage import afficher_problemes, annotation_github


def test_nom_de_fichier_hostile_echappe():
    chemin = "content/lieux/a,line=1::faux\n::error file=.github/workflows/x.yml,line=1::pirate.yaml"
    ligne = annotation_github(Probleme(chemin, 3, "nom", "champ obligatoire manquant"))
    assert "\n" not in ligne and "\r" not in ligne
    commande, _, message = ligne.partition("::")[2].partition("::")
    proprietes = dict(p.split("=", 1) for p in commande.removeprefix("error ").split(","))
    assert set(proprietes) == {"file", "line"} and proprietes["line"] == "3"
    assert "%0A" in proprietes["file"] and "%2C" in proprietes["file"] and "%3A" in proprietes["file"]
    assert message == "nom: champ obligatoire manquant"


def test_message_hostile_echappe():
    ligne = annotation_github(Probleme("a.yaml", 1, "", "100 % faux\r\n::error::pirate"))
    assert ligne == "::error file=a.yaml,line=1::100 %25 faux%0D%0A::error::pirate"


def test_une_ligne_par_probleme_dans_github(monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    flux = io.StringIO()
    afficher_problemes([Probleme("a\nb.yaml", 1, "", "x\ny"), Probleme("c.yaml", 2, "", "z")], flux)
    assert len(flux.getvalue().splitlines()) == 2
