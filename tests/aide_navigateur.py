"""Browser helpers shared by the accessibility, security and print tests.

`Onglet` is a fresh browser context that serves a blank image for every map tile (the only
third-party origin the pages may use), refuses any other request off 127.0.0.1, and records
console errors, uncaught exceptions, Content-Security-Policy violations and dialogs (alert,
confirm, prompt). `violations_axe` runs axe-core (node_modules/axe-core, pinned in package.json).
"""

from __future__ import annotations

import base64
import re

import pytest
from conftest import RACINE

AXE = RACINE / "node_modules" / "axe-core" / "axe.min.js"
# A 1×1 transparent PNG: the answer to every tile request.
PNG_BLANC = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
TUILES = re.compile(r"^https://[a-z]\.tile\.openstreetmap\.fr/")  # the default tile server
EXTERNE = re.compile(r"^(?!http://127\.0\.0\.1[:/])[a-z]+://")
ECOUTE_CSP = """document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`CSP ${e.violatedDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));"""


class Onglet:
    """One browser context and page that records what went wrong (see the module's docstring)."""

    def __init__(self, navigateur, **options):
        self.contexte = navigateur.new_context(**options)
        self.contexte.add_init_script(ECOUTE_CSP)
        self.contexte.route(EXTERNE, self._hors_site)
        self.page = self.contexte.new_page()
        self.erreurs: list[str] = []
        self.dialogues: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.erreurs.append(f"exception : {exc}"))
        self.page.on("dialog", self._dialogue)

    def _hors_site(self, route):
        if TUILES.match(route.request.url):
            route.fulfill(status=200, body=PNG_BLANC, content_type="image/png")
        else:
            self.erreurs.append(f"requête externe : {route.request.url}")
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.erreurs.append(f"{message.text} ({message.location.get('url', '')})")

    def _dialogue(self, dialogue):
        self.dialogues.append(f"{dialogue.type} : {dialogue.message}")
        dialogue.dismiss()

    def fermer(self) -> None:
        """Close the context."""
        self.contexte.close()

    def ouvrir(self, url: str, chemin: str, viewport: dict | None = None):
        """Go to `url` + `chemin` with a clean record and wait until its scripts are ready."""
        self.erreurs.clear()
        self.dialogues.clear()
        self.page.set_viewport_size(viewport or {"width": 1280, "height": 800})
        self.page.emulate_media(media="screen")
        self.page.goto(url + chemin)
        attendre_page(self.page, chemin)
        return self.page


def onglet_partage(navigateur, **options):
    """Generator for a module-scoped fixture: one Onglet shared by a module's tests (a new context
    per test would double their time), closed at the end."""
    o = Onglet(navigateur, **options)
    yield o
    o.fermer()


def attendre_page(page, chemin: str) -> None:
    """Wait until the scripts of the search and map pages are ready (other pages: nothing)."""
    if chemin.startswith("/recherche/"):
        page.wait_for_selector("#recherche[data-pret]", state="attached")
        if "q=" in chemin:
            page.wait_for_selector("#liste-resultats li", state="attached")
    elif chemin.startswith("/carte/"):
        page.wait_for_selector("#carte-page[data-etat=prete]", state="attached")


def violations_axe(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts on the page, one line each (rule, element, why)."""
    if not AXE.is_file():
        pytest.fail("axe-core absent de node_modules : lancez « npm ci » (make test le fait)")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script> tag: the pages' CSP would refuse it
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}) : {' '.join(n['target'][0] for n in v['nodes'][:3])} – {v['help']}"
        for v in violations
        if v["impact"] in impacts
    ]
