"""Shared fixtures: the project root, ../shared, and Debian's chromium driven by Playwright.

A test that needs ../shared or a browser skips with a clear reason when it is missing, except when
REQUIRE_SHARED=1 / REQUIRE_BROWSER=1 (set by .ci/run): then the missing piece fails the test.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[1]
SHARED = RACINE.parent / "shared"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def exporte(lieux: list, nom: str) -> tuple[str, object]:
    """One open-data file's text as the build makes it (exports.fichiers_exports, which
    ecrire_exports writes), and the export's report."""
    from annuaire.outputs.exports import fichiers_exports

    fichiers, rapport = fichiers_exports(lieux, "https://exemple.org")
    return fichiers[nom], rapport


def absent(raison: str, variable: str) -> None:
    """Skip with `raison`, or fail when the environment variable `variable` is 1."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"{raison} ({variable}=1 : ce test ne doit pas être sauté)")
    pytest.skip(raison)


@pytest.fixture(scope="session")
def racine() -> Path:
    """The project folder."""
    return RACINE


@pytest.fixture(scope="session")
def dossier_shared() -> Path:
    """../shared (real data and the national schema), or a skip when it is absent."""
    if not (SHARED / "data").is_dir():
        absent("../shared est absent : données réelles indisponibles", "REQUIRE_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def navigateur():
    """A headless Debian chromium, driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        absent("chromium absent (apt-get install chromium)", "REQUIRE_BROWSER")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _Silencieux(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


def servir(dossier: Path):
    """Serve `dossier` on 127.0.0.1 (random port) in a thread; returns (base URL, server)."""
    handler = functools.partial(_Silencieux, directory=str(dossier))
    serveur = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{serveur.server_address[1]}", serveur


@contextlib.contextmanager
def en_service(dossier: Path):
    """`servir` as a context: the base URL, and the server stopped and closed afterwards."""
    base, serveur = servir(dossier)
    try:
        yield base
    finally:
        serveur.shutdown()
        serveur.server_close()


def construire_site_test(contenu: Path, sortie: Path, **reglages) -> int:
    """Build the site of `contenu` into `sortie` with the project's settings and theme.

    Keyword arguments override Pelican settings (e.g. SITEURL="/sous-dossier"); the build date is
    pinned so that outputs are reproducible. Returns the build's exit status.
    """
    from annuaire.build.construction import construire_site

    # No addresses derived from the checkout (CI's GITHUB_REPOSITORY): the tests expect localhost.
    surcharges = {"PATH": str(contenu), "ANNUAIRE_DATE": "2024-01-15", "ANNUAIRE_ADRESSES_AUTO": False}
    surcharges.update(reglages)
    return construire_site(RACINE / "pelicanconf.py", sortie, surcharges)


@pytest.fixture(scope="session")
def site_test(tmp_path_factory) -> Path:
    """The fixture site of tests/site/ built once per session (read-only for tests)."""
    sortie = tmp_path_factory.mktemp("site") / "output"
    assert construire_site_test(RACINE / "tests" / "site" / "content", sortie) == 0
    return sortie


@pytest.fixture(scope="session")
def url_site_test(site_test):
    """The fixture site of tests/site/ served on 127.0.0.1 for the whole session."""
    with en_service(site_test) as base:
        yield base


def ecrire_donnees(contenu: Path, sortie: Path) -> Path:
    """The open-data files of the directory in `contenu`, written by the build's own function."""
    from annuaire.directory import construire_annuaire
    from annuaire.outputs.exports import ecrire_exports

    annuaire = construire_annuaire(contenu)
    ecrire_exports(annuaire.lieux, sortie, "https://annuaire.exemple.org", "", "Saint-Étienne")
    return sortie


@pytest.fixture(scope="session")
def donnees_embarquees(tmp_path_factory) -> Path:
    """/donnees/ of the shipped directory (content/), written once per session."""
    return ecrire_donnees(RACINE / "content", tmp_path_factory.mktemp("embarque") / "donnees")


# The places of ../shared/data/cnfs.json (4,930 records) once `make import` has merged duplicates.
LIEUX_CNFS = 4716


@pytest.fixture(scope="session")
def donnees_cnfs(tmp_path_factory, dossier_shared) -> Path:
    """/donnees/ of a directory imported from ../shared/data/cnfs.json (4,930 records, 4,716 places
    once `make import` has merged its duplicates), once."""
    from annuaire.federation.importer import importer_fichier
    from annuaire.federation.rapprochement import ecrire, importer_dans

    contenu = tmp_path_factory.mktemp("cnfs")
    lieux, rapport = importer_fichier(dossier_shared / "data" / "cnfs.json")
    ecrire(importer_dans(lieux, rapport, contenu / "lieux"))  # as `make import` writes them
    return ecrire_donnees(contenu, contenu / "donnees")
