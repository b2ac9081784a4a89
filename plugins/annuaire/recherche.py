"""The search index: Pagefind run over the built site, in French, before it is published.

Pagefind (PyPI `pagefind[bin]`) reads the place sheets: their `data-pagefind-body` article is the
indexed text, and the hidden block of partials/facettes_fiche.html gives the filters, the metadata of
the result cards and a sort key. The index is written to `pagefind/` inside the site; the browser
downloads only the pieces a query needs. Plain Python: no Pelican here.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

DOSSIER_INDEX = "pagefind"
INTERFACES_INUTILES = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*",
                       "pagefind-highlight.js")  # fmt: skip

# Parts of a sheet that repeat on every page (headings, labels, notes, opening hours, contacts): kept
# out of the word index so that it stays small and "horaires" or "adresse" does not match every page.
# `.fiche-details` is there because Pagefind glues its <dt>/<dd> texts into one word; its values are
# indexed from partials/facettes_fiche.html instead.
BOILERPLATE: tuple[str, ...] = (
    ".fiche h2", ".fiche .note", ".fiche .bandeau", ".fiche-horaires", ".fiche-contacts",
    ".fiche-details", ".fiche .mini-carte",
)  # fmt: skip


class IndexationImpossible(Exception):
    """Pagefind could not index the site; the message is French."""


@dataclass(frozen=True)
class Rapport:
    """What the indexing produced: sheets indexed, index files and bytes, duration in seconds."""

    pages: int
    fichiers: int
    octets: int
    duree: float

    def resume(self) -> str:
        """One French line for the build's output."""
        return (f"Recherche : {self.pages} pages indexées, {self.fichiers} fichiers "
                f"({self.octets / 1024 / 1024:.1f} Mo) en {self.duree:.1f} s")  # fmt: skip


def configuration(dossier: Path) -> IndexConfig:
    """Pagefind's settings: French stemming for every page, boilerplate left out, index in `dossier`."""
    return IndexConfig(force_language="fr", exclude_selectors=list(BOILERPLATE),
                       output_path=str(dossier / DOSSIER_INDEX))  # fmt: skip


async def _indexer(dossier: Path) -> None:
    """Index every HTML file of `dossier`; the index is written when the context closes."""
    async with PagefindIndex(configuration(dossier)) as index:
        await index.add_directory(str(dossier))


def executer(travail: Coroutine) -> None:
    """Run a coroutine to its end in a thread of its own, so that a caller's event loop (a test's
    browser driver, a notebook) never gets in the way of asyncio.run."""
    with ThreadPoolExecutor(max_workers=1) as fil:
        fil.submit(asyncio.run, travail).result()


def retirer_interfaces(dossier_index: Path) -> None:
    """Remove Pagefind's ready-made UI bundles: the search page uses only the JavaScript API."""
    for motif in INTERFACES_INUTILES:
        for chemin in dossier_index.glob(motif):
            chemin.unlink()


def taille(dossier: Path) -> tuple[int, int]:
    """(number of files, total bytes) under `dossier`."""
    fichiers = [p for p in dossier.rglob("*") if p.is_file()]
    return len(fichiers), sum(p.stat().st_size for p in fichiers)


def indexer(dossier_site: Path) -> Rapport:
    """Build the search index of the built site in `dossier_site`; raise IndexationImpossible on failure."""
    debut = time.monotonic()
    if not dossier_site.is_dir():
        raise IndexationImpossible(f"{dossier_site} introuvable : rien à indexer")
    print(f"Recherche : indexation de {dossier_site}/ …", file=sys.stderr)
    try:
        executer(_indexer(dossier_site.resolve()))
    except FileNotFoundError as exc:
        raise IndexationImpossible(f"Pagefind est introuvable ({exc}) : lancez « make install »") from exc
    except Exception as exc:  # the Pagefind service reports its errors as bare exceptions
        raise IndexationImpossible(f"l'index de recherche n'a pas pu être construit : {exc}") from exc
    retirer_interfaces(dossier_site / DOSSIER_INDEX)
    pages = sum(1 for _ in (dossier_site / DOSSIER_INDEX / "fragment").glob("*"))
    rapport = Rapport(pages, *taille(dossier_site / DOSSIER_INDEX), time.monotonic() - debut)
    print(rapport.resume(), file=sys.stderr)
    return rapport
