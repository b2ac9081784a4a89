"""The layers of plugins/annuaire, read from every module's imports (ast, no import is run).

Imports go only downward, in the order of the flow: domain < loading < validation < outputs <
federation < directory < site < search < build, cli (build and cli side by side: cli may import
build only lazily, inside the function of the `build` command). Only build/ imports Pelican,
process pools or the caches. No import cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAQUET = Path(__file__).resolve().parents[1] / "plugins" / "annuaire"
COUCHES = ("domain", "loading", "validation", "outputs", "federation", "directory", "site", "search")
COTE_A_COTE = ("build", "cli")  # the top: neither imports the other (but the lazy exception)
COMMANDE_BUILD = "commande_construire"  # cli/main.py: the one function that may import build
# The one upward import left, being removed by another workstream of issue 18: the test expects
# it to fail on it alone until then, and passes once it is gone.
RESERVES_AU_BUILD = ("pelican", "multiprocessing", "annuaire.build.cache", "annuaire.build.parallele")


def nom_module(chemin: Path) -> str:
    """annuaire.x.y for plugins/annuaire/x/y.py (annuaire.x for a package's __init__)."""
    parties = chemin.relative_to(PAQUET.parent).with_suffix("").parts
    return ".".join(parties[:-1] if parties[-1] == "__init__" else parties)


def couche(module: str) -> str:
    """The layer of a module: its subpackage, `directory`, or `racine` (annuaire, __main__)."""
    parties = module.split(".")
    return parties[1] if len(parties) > 1 and parties[1] != "__main__" else "racine"


def rang(nom_couche: str) -> int:
    """The layer's height: domain 0 … search 7, build and cli 8, the package's root 9."""
    if nom_couche in COUCHES:
        return COUCHES.index(nom_couche)
    return len(COUCHES) if nom_couche in COTE_A_COTE else len(COUCHES) + 1


class Imports(ast.NodeVisitor):
    """Every import of a module: (imported module, enclosing function or "" at module level)."""

    def __init__(self, module: str):
        self.module, self.fonction, self.trouves = module, "", []

    def visit_FunctionDef(self, noeud) -> None:
        avant, self.fonction = self.fonction, self.fonction or noeud.name
        self.generic_visit(noeud)
        self.fonction = avant

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, noeud: ast.Import) -> None:
        self.trouves += [(alias.name, self.fonction) for alias in noeud.names]

    def visit_ImportFrom(self, noeud: ast.ImportFrom) -> None:
        base = noeud.module or ""
        if noeud.level:  # relative: resolved against this module's package
            paquet = self.module.split(".")[: -noeud.level] if noeud.level else []
            base = ".".join([*paquet, base] if base else paquet)
        self.trouves.append((base, self.fonction))
        # `from annuaire.build import cache` imports annuaire.build.cache
        self.trouves += [(f"{base}.{alias.name}", self.fonction) for alias in noeud.names]


def imports_du_paquet() -> dict[str, list[tuple[str, str]]]:
    """{module: [(imported name, enclosing function)]} for every module of the package."""
    resultat = {}
    for chemin in sorted(PAQUET.rglob("*.py")):
        if "__pycache__" in chemin.parts:
            continue
        module = nom_module(chemin)
        visiteur = Imports(module)
        visiteur.visit(ast.parse(chemin.read_text(encoding="utf-8"), str(chemin)))
        resultat[module] = visiteur.trouves
    return resultat


IMPORTS = imports_du_paquet()
MODULES = set(IMPORTS)


def internes(module: str, seulement_au_chargement: bool = False) -> set[str]:
    """The package's modules that `module` imports (at load time only, if asked)."""
    return {
        nom
        for nom, fonction in IMPORTS[module]
        if nom in MODULES and nom != module and not (seulement_au_chargement and fonction)
    }


def test_les_modules_sont_trouves():
    assert len(MODULES) > 30 and {"annuaire.domain.model", "annuaire.build.memo"} <= MODULES


def test_imports_vers_le_bas_seulement():
    fautes = []
    for module in sorted(MODULES):
        for nom, fonction in IMPORTS[module]:
            if nom not in MODULES or nom == module or nom == "annuaire":
                continue
            de, vers = couche(module), couche(nom)
            if de == "cli" and vers == "build" and fonction == COMMANDE_BUILD:
                continue  # the `build` command, imported lazily
            cote_a_cote = de in COTE_A_COTE and vers in COTE_A_COTE and de != vers
            if rang(vers) > rang(de) or cote_a_cote:
                fautes.append(f"{module} ({de}) importe {nom} ({vers})")
    assert fautes == []


def test_seul_le_build_importe_pelican_processus_et_caches():
    fautes = [
        f"{module} importe {nom}"
        for module in sorted(MODULES)
        if couche(module) not in ("build", "racine")
        for nom, _ in IMPORTS[module]
        if nom.startswith(RESERVES_AU_BUILD)
    ]
    assert fautes == []


def test_la_racine_du_paquet_charge_pelican_seulement_a_la_demande():
    # annuaire/__init__.py is imported by every module: Pelican's hook loads the glue lazily.
    assert all(fonction for nom, fonction in IMPORTS["annuaire"] if nom.startswith(("annuaire.", "pelican")))


def _cycle() -> list[str]:
    """An import cycle among load-time imports (depth-first search), or []."""
    etat: dict[str, int] = {}  # 1: being visited, 2: done
    pile: list[str] = []

    def visiter(module: str) -> list[str]:
        etat[module] = 1
        pile.append(module)
        for suivant in sorted(internes(module, seulement_au_chargement=True)):
            if etat.get(suivant) == 1:
                return pile[pile.index(suivant) :] + [suivant]
            if suivant not in etat and (trouve := visiter(suivant)):
                return trouve
        pile.pop()
        etat[module] = 2
        return []

    for module in sorted(MODULES):
        if module not in etat and (trouve := visiter(module)):
            return trouve
    return []


def test_aucun_cycle_d_imports():
    assert _cycle() == []


@pytest.mark.parametrize("module", ["annuaire.build.memo", "annuaire.cli.main"])
def test_le_test_voit_une_faute(module, monkeypatch):
    # The checks are not vacuous: a domain module importing the build, or the build importing the
    # command line at load time, is reported.
    faux = {**IMPORTS, "annuaire.domain.model": [*IMPORTS["annuaire.domain.model"], (module, "")]}
    monkeypatch.setitem(globals(), "IMPORTS", faux)
    with pytest.raises(AssertionError):
        test_imports_vers_le_bas_seulement()
