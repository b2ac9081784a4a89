"""Rendering in several processes: the same work split over forked copies of the build.

Plain Python (no Pelican). `repartir(travail, nombre, processus)` runs `travail(i)` for every i in
range(nombre): items i, i + processus, i + 2 × processus… in each process. The children are
forked once the whole plan is in memory, so they share it (copy on write) and nothing is pickled
but their results (one integer) and, on failure, the error's text. `TacheDeFond(f)` runs f() in a
forked child while the parent goes on (the open-data files while the plan is computed). Outputs
do not depend on which process rendered them: each item is a pure function of the plan.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PAGES_PAR_PROCESSUS_MIN = 300  # below this, forking costs more than it saves
BLOC = 32  # consecutive items go to the same process: neighbours that share work compute it once


class RenduEnfantImpossible(Exception):
    """A rendering process failed; the message carries its traceback."""


def processus_disponibles() -> int:
    """The cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def nombre_processus(demande: int | None, nombre: int) -> int:
    """How many processes to use for `nombre` items: `demande` (0 or None: the cores), never more
    than the items allow, and 1 where fork does not exist."""
    if not hasattr(os, "fork"):
        return 1
    voulu = demande or processus_disponibles()
    return max(1, min(voulu, nombre // PAGES_PAR_PROCESSUS_MIN))


def _part(
    travail: Callable[[int], int],
    nombre: int,
    rang: int,
    processus: int,
    fin=None,
    jalon: tuple[int, Callable[[], object]] | None = None,
) -> int:
    """Run this process's share of the items (blocks of BLOC consecutive items, dealt in turn),
    then `fin(rang)` if given; the sum of their results. `jalon` (k, signaler): signaler() once
    this process has done its items below k."""
    limite, signaler = jalon or (0, None)
    total = 0
    for debut in range(rang * BLOC, nombre, processus * BLOC):
        if signaler is not None and debut >= limite:
            signaler()
            signaler = None
        total += sum(travail(i) for i in range(debut, min(debut + BLOC, nombre)))
    if signaler is not None:
        signaler()
    if fin is not None:
        fin(rang)
    return total


def _part_enfant(travail, nombre: int, rang: int, processus: int, fin, etape: _Jalon | None) -> int:
    """A child's `_part`; its end of the milestone's pipe closed whatever happens."""
    try:
        return _part(travail, nombre, rang, processus, fin, etape.dans_l_enfant() if etape else None)
    finally:
        if etape:
            etape.fermer()


class _Jalon:
    """Every process's items below `limite` done: `action()` runs in the parent, before it goes on
    with its other items (the children go on without waiting). Each child writes one byte to a
    pipe when it has done its part; the parent reads one per child (or the end of the pipe, when a
    child failed: its error is raised once every process has ended)."""

    def __init__(self, limite: int, action: Callable[[], object], enfants: int):
        self.limite, self.action, self.enfants = limite, action, enfants
        self.lecture, self.ecriture = os.pipe()

    def dans_l_enfant(self) -> tuple[int, Callable[[], object]]:
        """The child's (k, signaler): write its byte and close its end. A child that fails closes
        it too (`fermer`, before it reports): the parent reads the end of the pipe, not forever."""
        os.close(self.lecture)
        self.lecture = None
        return self.limite, self._signaler

    def _signaler(self) -> None:
        os.write(self.ecriture, b"j")
        self.fermer()

    def dans_le_parent(self) -> tuple[int, Callable[[], object]]:
        """The parent's (k, signaler), once the children are forked: wait for them, then act."""
        os.close(self.ecriture)
        self.ecriture = None
        return self.limite, self._attendre_puis_agir

    def _attendre_puis_agir(self) -> None:
        recus = 0
        while recus < self.enfants and (octets := os.read(self.lecture, self.enfants - recus)):
            recus += len(octets)
        self.fermer()
        if recus == self.enfants:
            self.action()

    def fermer(self) -> None:
        """Close this process's ends of the pipe (idempotent)."""
        for extremite in (self.lecture, self.ecriture):
            if extremite is not None:
                os.close(extremite)
        self.lecture = self.ecriture = None


def _enfant(calcul: Callable[[], object], ecriture: int) -> None:
    """In a forked child: run `calcul`, send (ok, result) through the pipe, never return."""
    code = 0
    try:
        message = (True, calcul())
    except BaseException:  # report everything to the parent, which raises
        message, code = (False, traceback.format_exc()), 1
    try:
        with os.fdopen(ecriture, "wb") as tuyau:
            pickle.dump(message, tuyau)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _recevoir(lecture: int, pid: int):
    """A child's result; raise RenduEnfantImpossible with its traceback when it failed."""
    with os.fdopen(lecture, "rb") as tuyau:
        donnees = tuyau.read()
    os.waitpid(pid, 0)
    if not donnees:
        raise RenduEnfantImpossible("un processus de rendu s'est arrêté sans répondre")
    with sans_ramasse_miettes():
        reussi, valeur = pickle.loads(donnees)
    if not reussi:
        raise RenduEnfantImpossible(f"erreur dans un processus de rendu :\n{valeur}")
    return valeur


@contextmanager
def memoire_partagee() -> Iterator[None]:
    """While forked children share this process's memory: the garbage collector leaves the objects
    made so far alone (gc.freeze), in this process and in the children. Otherwise a full collection
    walks every object of the directory again, in each process, writing to their headers (which
    copies the shared memory pages)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def sans_ramasse_miettes() -> Iterator[None]:
    """Loading: the cyclic garbage collector paused. Reading 30,000 entries makes millions of
    objects and no cyclic garbage, and each collection walks all of them again: unpickling the
    entries' cache took 1.2 s with it, 0.4 s without."""
    actif = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if actif:
            gc.enable()


def _fork() -> int:
    """os.fork. Python 3.12+ warns when the process has threads (a test's web server): the build
    forks before Pagefind or any thread of its own starts, and the children only render and write."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def repartir(
    travail: Callable[[int], int],
    nombre: int,
    processus: int = 1,
    fin: Callable[[int], None] | None = None,
    jalon: tuple[int, Callable[[], object]] | None = None,
) -> int:
    """Run travail(i) for i in range(nombre) over `processus` processes (this one included), then
    fin(rang) in each process (rang 0: this one); return the sum of the results. A child's failure
    is raised here once every child has ended. `jalon` (k, action): action() runs here as soon as
    every process has done its items below k (the search index starts on the written sheets while
    the other pages are rendered)."""
    if processus <= 1:
        return _part(travail, nombre, 0, 1, fin, jalon)
    sys.stdout.flush()
    sys.stderr.flush()
    etape = _Jalon(*jalon, processus - 1) if jalon else None
    enfants: list[tuple[int, int]] = []  # (the pipe its result comes through, pid)
    try:
        for rang in range(1, processus):
            part = lambda rang=rang: _part_enfant(travail, nombre, rang, processus, fin, etape)  # noqa: E731
            enfants.append(_forker(part))
        total = _part(travail, nombre, 0, processus, fin, etape.dans_le_parent() if etape else None)
    finally:  # the children started are waited for, whatever failed here
        if etape:
            etape.fermer()
        resultats = [_recevoir_sans_lever(lecture, pid) for lecture, pid in enfants]
    for resultat in resultats:
        if isinstance(resultat, Exception):
            raise resultat
        total += resultat
    return total


def _forker(calcul: Callable[[], object]) -> tuple[int, int]:
    """Fork a child that runs `calcul` and sends its result back; (the pipe to read it from, pid)."""
    lecture, ecriture = os.pipe()
    try:
        pid = _fork()
    except OSError:
        os.close(lecture)
        os.close(ecriture)
        raise
    if pid == 0:
        os.close(lecture)
        _enfant(calcul, ecriture)
    os.close(ecriture)
    return lecture, pid


def _recevoir_sans_lever(lecture: int, pid: int) -> int | Exception:
    """`_recevoir`, returning the error instead of raising it (so that every child is waited for)."""
    try:
        return _recevoir(lecture, pid)
    except RenduEnfantImpossible as exc:
        return exc


class TacheDeFond:
    """A function run in a forked child while this process goes on; `resultat()` waits for it
    and returns its value (pickled back), or raises RenduEnfantImpossible with its traceback."""

    def __init__(self, fonction: Callable[[], object]):
        sys.stdout.flush()
        sys.stderr.flush()
        self.lecture, self.pid = _forker(fonction)

    def resultat(self):
        """Wait for the child; its function's value."""
        return _recevoir(self.lecture, self.pid)


class TacheImmediate:
    """The same interface, run here and now (small sites, or no fork)."""

    def __init__(self, fonction: Callable[[], object]):
        self.valeur = fonction()

    def resultat(self):
        """The function's value."""
        return self.valeur


def lancer(fonction: Callable[[], object], en_fond: bool) -> TacheDeFond | TacheImmediate:
    """Start `fonction` in a child process when `en_fond` (and fork exists), else run it now."""
    return TacheDeFond(fonction) if en_fond and hasattr(os, "fork") else TacheImmediate(fonction)


def en_deux(fonction: Callable, elements: list, minimum: int) -> list:
    """[fonction(x) for x in elements], the first half in a forked child (its results come back
    pickled) when there are `minimum` elements or more and two cores: for per-entry work of a first
    build (parsing, checking 30,000 entries) before the rendering processes exist."""
    moitie = len(elements) // 2 if len(elements) >= minimum and processus_disponibles() > 1 else 0
    enfant = TacheDeFond(lambda: [fonction(x) for x in elements[:moitie]]) if moitie else None
    try:
        ici = [fonction(x) for x in elements[moitie:]]
    finally:  # the child is waited for even when this half fails
        la_bas = enfant.resultat() if enfant else []
    return la_bas + ici
