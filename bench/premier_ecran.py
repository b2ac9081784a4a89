"""Where the "Appeler" / "Itinéraire" buttons of place sheets end on a 390 × 844 phone (issue 19).

    .venv/bin/python bench/premier_ecran.py output 300

Serves the built site OUTPUT on 127.0.0.1, opens N sheets drawn at random (seed 19) in headless
chromium without JavaScript (so without the open-now badge, about 50 px more with it) and prints the
median and the worst bottom of the buttons, and how many are inside the first screen (844 px).
"""

from __future__ import annotations

import functools
import http.server
import random
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ECRAN = {"width": 390, "height": 844}
ARGUMENTS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class _Silencieux(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the output to the figures
        pass


def servir(sortie: Path) -> str:
    """Serve `sortie` in a thread; its base URL."""
    serveur = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Silencieux, directory=str(sortie))
    )
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{serveur.server_address[1]}"


def bas_des_boutons(base: str, fiches: list[str]) -> list[tuple[float, str]]:
    """(bottom of the buttons in px, slug) of each sheet that has them, sorted."""
    mesures = []
    with sync_playwright() as pw:
        navigateur = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGUMENTS)
        contexte = navigateur.new_context(viewport=ECRAN, java_script_enabled=False)
        contexte.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        page = contexte.new_page()
        for slug in fiches:
            page.goto(f"{base}/lieux/{slug}/")
            boutons = page.locator(".fiche-boutons")
            if boutons.count():
                boite = boutons.bounding_box()
                mesures.append((boite["y"] + boite["height"], slug))
        navigateur.close()
    return sorted(mesures)


def main() -> None:
    """Measure and print."""
    sortie, nombre = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 300
    fiches = sorted(
        p.parent.name for p in (sortie / "lieux").glob("*/index.html") if p.parent.name != "lettre"
    )
    fiches = random.Random(19).sample(fiches, min(nombre, len(fiches)))
    mesures = bas_des_boutons(servir(sortie), fiches)
    dedans = sum(1 for bas, _ in mesures if bas <= ECRAN["height"])
    print(
        f"{len(mesures)} fiches ; médiane {mesures[len(mesures) // 2][0]:.0f} px ; "
        f"pire {mesures[-1][0]:.0f} px ({mesures[-1][1]}) ; dans le premier écran : {dedans}/{len(mesures)}"
    )


if __name__ == "__main__":
    main()
