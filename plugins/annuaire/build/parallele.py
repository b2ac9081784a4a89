"""Rendering in several processes: the same work split over forked copies of the build.

Plain Python (no Pelican), on the standard library's `multiprocessing` fork context (as Sphinx's
sphinx/util/parallel.py), with a serial twin used when one process is enough.
`repartir(travail, nombre, processus)` runs `travail(i)` for every i in range(nombre): items i,
i + processus, i + 2 × processus… in each process. The children are forked once the whole plan is in
memory, so they share it (copy on write) and nothing is pickled but their results (one integer)
and, on failure, the error's text. `lancer(f, True)` runs f() in a forked child while the parent
goes on (the open-data files while the plan is computed). Outputs do not depend on which process
rendered them: each item is a pure function of the plan.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from annuaire.build.verrou import ERREURS_DISQUE

PAGES_PAR_PROCESSUS_MIN = 300  # below this, forking costs more than it saves
BLOC = 32  # consecutive items go to the same process: neighbours that share work compute it once
_ERREUR_DISQUE = "disque"  # a child's message when the disk refused a write
_JALON = "jalon"  # a child's first message when it has done its items below the milestone


class RenduEnfantImpossible(Exception):
    """A rendering process failed; the message carries its traceback."""


def _fork_possible() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def processus_disponibles() -> int:
    """The cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def nombre_processus(demande: int | None, nombre: int) -> int:
    """How many processes to use for `nombre` items: `demande` (0 or None: the cores), never more
    than the items allow, and 1 where fork does not exist."""
    if not _fork_possible():
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


def _executer(calcul: Callable[[Callable[[object], None]], object], envoi) -> None:
    """A forked child's body: run `calcul(envoyer)` and send ("ok", value) or ("erreur", its
    traceback) through the pipe; multiprocessing then ends the child. `envoyer` lets the
    calculation send earlier messages (the milestone)."""
    try:
        message = ("ok", calcul(envoi.send))
    except OSError as exc:  # a full or read-only disk: raised again as such in the parent
        message = _erreur_systeme(exc)
    except BaseException:  # everything is reported to the parent, which raises
        message = ("erreur", traceback.format_exc())
    try:
        envoi.send(message)
    except Exception:  # a value that cannot be pickled: its error, as text, instead
        envoi.send(("erreur", traceback.format_exc()))
    envoi.close()


def _erreur_systeme(exc: OSError) -> tuple:
    """The message for a child's OSError: a disk's (see verrou.ERREURS_DISQUE) as its errno,
    message and file, for the parent to raise it again and say it in French; any other with
    its traceback."""
    if exc.errno in ERREURS_DISQUE:
        return (_ERREUR_DISQUE, (exc.errno, exc.strerror, exc.filename))
    return ("erreur", traceback.format_exc())


class _Enfant:
    """A forked child process and the reading end of its pipe. The parent reads a child's messages
    before it waits for its end (a long traceback fills the pipe: reading first cannot deadlock)
    and its reading ends the moment the child ends, whatever happened to it."""

    def __init__(self, calcul: Callable[[Callable[[object], None]], object]):
        contexte = multiprocessing.get_context("fork")
        self.lecture, envoi = contexte.Pipe(duplex=False)
        self.processus = contexte.Process(target=_executer, args=(calcul, envoi))  # may fork its own
        with warnings.catch_warnings():  # Python 3.12+ warns on fork with threads (a test's server):
            warnings.simplefilter("ignore", DeprecationWarning)  # the children only render and write
            self.processus.start()
        envoi.close()  # this process's copy: the child's end alone keeps the pipe open
        self.premier = None

    def message(self):
        """The child's next message; ("erreur", …) when it ended without a word."""
        try:
            with sans_ramasse_miettes():
                return pickle.loads(self.lecture.recv_bytes())
        except EOFError:
            return ("erreur", "un processus de rendu s'est arrêté sans répondre")

    def attendre_jalon(self) -> bool:
        """Whether the child reached the milestone (its other message is kept for `resultat`)."""
        message = self.message()
        if message == _JALON:
            return True
        self.premier = message
        return False

    def resultat(self):
        """Wait for the child; its value, or RenduEnfantImpossible with its traceback."""
        try:
            etat, valeur = self.premier or self.message()
        finally:
            self.lecture.close()
            self.processus.join()
        if etat == _ERREUR_DISQUE:
            raise OSError(*valeur)
        if etat != "ok":
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
    the other pages are rendered); the children go on without waiting. One process: the serial
    twin, `_part` here and now."""
    if processus <= 1:
        return _part(travail, nombre, 0, 1, fin, jalon)
    enfants: list[_Enfant] = []
    try:
        for rang in range(1, processus):
            enfants.append(_Enfant(_part_enfant(travail, nombre, rang, processus, fin, jalon)))
        total = _part(travail, nombre, 0, processus, fin, _jalon_du_parent(jalon, enfants))
    finally:  # the children started are waited for, whatever failed here
        resultats = [_resultat_sans_lever(enfant) for enfant in enfants]
    for resultat in resultats:
        if isinstance(resultat, Exception):
            raise resultat
        total += resultat
    return total


def _part_enfant(travail, nombre: int, rang: int, processus: int, fin, jalon):
    """A child's calculation: its `_part`, the milestone signalled by a message to the parent."""

    def calcul(envoyer: Callable[[object], None]) -> int:
        signal = (jalon[0], lambda: envoyer(_JALON)) if jalon else None
        return _part(travail, nombre, rang, processus, fin, signal)

    return calcul


def _jalon_du_parent(jalon, enfants: list[_Enfant]):
    """The parent's (k, signaler): read every child's milestone message, then act if all came
    (a child that failed sends its error instead: no action, the error is raised at the end)."""
    if not jalon:
        return None
    limite, action = jalon

    def attendre_puis_agir() -> None:
        if all([enfant.attendre_jalon() for enfant in enfants]):  # a list: every child is read
            action()

    return limite, attendre_puis_agir


def _resultat_sans_lever(enfant: _Enfant) -> int | Exception:
    """A child's result, or its error returned instead of raised (so that every child is waited for)."""
    try:
        return enfant.resultat()
    except (RenduEnfantImpossible, OSError) as exc:
        return exc


class TacheDeFond:
    """A function run in a forked child while this process goes on; `resultat()` waits for it
    and returns its value (pickled back), or raises RenduEnfantImpossible with its traceback."""

    def __init__(self, fonction: Callable[[], object]):
        self.enfant = _Enfant(lambda envoyer: fonction())

    def resultat(self):
        """Wait for the child; its function's value."""
        return self.enfant.resultat()


class TacheImmediate:
    """TacheDeFond's serial twin: the same interface, run here and now (small sites, or no fork)."""

    def __init__(self, fonction: Callable[[], object]):
        self.valeur = fonction()

    def resultat(self):
        """The function's value."""
        return self.valeur


def lancer(fonction: Callable[[], object], en_fond: bool) -> TacheDeFond | TacheImmediate:
    """Start `fonction` in a child process when `en_fond` (and fork exists), else run it now."""
    return TacheDeFond(fonction) if en_fond and _fork_possible() else TacheImmediate(fonction)


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
