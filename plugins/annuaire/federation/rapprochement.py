"""`make import` into the directory: one entry file per real place, whatever was there before.

Every incoming record is matched against the entries of content/lieux (hand-written ones and earlier
imports), the snapshots of content/sources and the other records of the file, with the duplicate
rules of the build (doublons.regrouper) and the reviewed decisions of content/doublons.yaml. A record
of a place already in the directory is merged into that entry's file (doublons.fusionner_fiches: no
value lost, conflicts listed); the others get a new file. Everything is computed before anything is
written, so a file or a decision that cannot be read changes nothing.

A hand-written entry (one the import did not write) is edited in place, comments and layout kept
(ruamel.yaml's round trip): its single values win, its lists gain the new values. An entry the
import wrote is written again whole, its comments (values not kept, other values) kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ruamel.yaml import YAML

from annuaire.domain.champs import CHAMPS_STANDARD, EXTENSIONS
from annuaire.domain.formats import slugifier
from annuaire.domain.model import Lieu, Probleme
from annuaire.federation.decisions import Decisions, charger_decisions
from annuaire.federation.doublons import (
    SOURCE_LOCALE,
    Conflit,
    Membre,
    Paire,
    federe,
    forme_comparable,
    fusionner_fiches,
    identifiant_federe,
    regrouper,
)
from annuaire.federation.importer import ENTETE_IMPORT, RapportImport, Rejet, commentaire_rejet, texte_fiche
from annuaire.federation.sources import lire_snapshots
from annuaire.loading.entrees import charger_lieux

AUTRE_VALEUR = "# autre valeur — "
Chargeur = Callable[[Path, Path], tuple[list[Lieu], list[Probleme]]]


@dataclass(frozen=True)
class Existant:
    """An entry already in the directory: its record, file, text, and whether a person wrote it."""

    lieu: Lieu
    fichier: Path
    texte: str
    manuel: bool


@dataclass(frozen=True)
class Ecriture:
    """What the import does to one file: its new text (None: removed, merged into another)."""

    fichier: Path
    texte: str | None
    etat: str  # "nouveau", "mis à jour", "inchangé", "supprimé"


@dataclass
class Rapprochement:
    """The plan of an import and what the report says about it."""

    ecritures: list[Ecriture] = field(default_factory=list)
    conflits: list[Conflit] = field(default_factory=list)
    probables: list[Paire] = field(default_factory=list)
    fusionnes: int = 0
    separes: list[str] = field(default_factory=list)
    problemes: list[Probleme] = field(default_factory=list)

    def comptes(self) -> Counter:
        """How many files are new, updated, unchanged, removed."""
        return Counter(e.etat for e in self.ecritures)


# --- what is there ---------------------------------------------------------------------------------


def lire_existants(dossier: Path, charger: Chargeur = charger_lieux) -> list[Existant]:
    """The entries of `dossier` that can be read (the unreadable ones are `make validate`'s);
    `charger(dossier, racine)` loads them (the command line passes the build's cached loader)."""
    racine = dossier.parent.parent  # the project: paths read "content/lieux/…" as everywhere else
    lieux, _problemes = charger(dossier, racine)
    existants = []
    for lieu in lieux:
        fichier = racine / lieu.chemin
        texte = fichier.read_text(encoding="utf-8-sig")
        existants.append(Existant(lieu, fichier, texte, not texte.startswith(ENTETE_IMPORT)))
    return existants


def _source(lieu: Lieu) -> str:
    """The source an incoming record came from (its provenance)."""
    return lieu.provenances[0].source if lieu.provenances else "import"


# --- one group: the entry to write ---------------------------------------------------------------


def _commentaires(texte: str) -> list[str]:
    """The comment lines at the top of an entry the import wrote (values not kept, other values)."""
    lignes = []
    for ligne in texte.splitlines()[1:]:
        if not ligne.startswith("#"):
            break
        lignes.append(ligne)
    return lignes


def _commentaire_conflit(conflit: Conflit) -> str:
    """A comment line keeping a value that lost a conflict."""
    valeur = " ".join(conflit.autre.split())[:300]
    return f"{AUTRE_VALEUR}{conflit.champ} : « {valeur} » ({conflit.origine_autre})"


def _cle_commentaire(ligne: str) -> str:
    """What a comment line keeps, in comparable form: its field and value, case, accents and
    punctuation aside (the same sameness as the merge's), without the record it came from."""
    tete, _, valeur = ligne.rsplit(" (", 1)[0].partition(" : « ")
    return f"{tete} : {forme_comparable(valeur)}" if valeur else tete


def _sans_repetition(lignes: list[str], conflits: list[Conflit]) -> list[str]:
    """Comment lines, then the conflicts' lines whose field and value are not already kept.

    Compared as the merge compares values: "rue des jardins" is the "Rue des Jardins" already kept,
    so importing the same files again adds no line (a second import is a no-op)."""
    resultat = list(lignes)
    vues = {_cle_commentaire(x) for x in resultat}
    for conflit in conflits:
        ligne = _commentaire_conflit(conflit)
        if _cle_commentaire(ligne) not in vues:
            vues.add(_cle_commentaire(ligne))
            resultat.append(ligne)
    return resultat


def _ruamel() -> YAML:
    """A round-trip YAML that writes entries the way the shipped ones are written."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _separer(texte: str, markdown: bool) -> tuple[str, str, str]:
    """(before the YAML, the YAML, after it): a Markdown entry's front matter is between `---`."""
    if not markdown:
        return "", texte, ""
    lignes = texte.splitlines(keepends=True)
    fin = next(i for i, ligne in enumerate(lignes[1:], start=1) if ligne.strip() in ("---", "..."))
    return lignes[0], "".join(lignes[1:fin]), "".join(lignes[fin:])


def _valeur_yaml(valeur: object) -> object:
    """A record's value as ruamel writes it (lists as lists, dates and numbers as they are)."""
    return list(valeur) if isinstance(valeur, list) else valeur


def _modifier(donnees, champ: str, valeur: object) -> None:
    """Set one field of a round-trip mapping: a list keeps its items (and their comments) that stay,
    loses those taken out (a split), gains the new ones at its end; an emptied field goes."""
    liste = donnees.get(champ)
    if valeur in ([], "", None):
        donnees.pop(champ, None)
    elif isinstance(liste, list) and isinstance(valeur, list):
        for ancien in [v for v in liste if v not in valeur]:
            liste.remove(ancien)
        liste.extend(v for v in valeur if v not in liste)
    elif champ in donnees:
        donnees[champ] = _valeur_yaml(valeur)
    else:
        donnees.insert(_position(donnees, champ), champ, _valeur_yaml(valeur))


_ORDRE = {champ: rang for rang, champ in enumerate(CHAMPS_STANDARD + EXTENSIONS)}


def _position(donnees, champ: str) -> int:
    """Where a new field goes: after the last field written before it in the registry's order."""
    cles = list(donnees)
    avant = [i for i, cle in enumerate(cles) if _ORDRE.get(cle, -1) < _ORDRE[champ]]
    return avant[-1] + 1 if avant else 0


def texte_manuel(existant: Existant, apres: Lieu) -> str:
    """The hand-written entry's text with the merged values: only changed fields are touched, list
    values are added at their end, comments and layout stay."""
    avant = existant.lieu
    changes = [c for c in CHAMPS_STANDARD + EXTENSIONS if getattr(avant, c) != getattr(apres, c)]
    if not changes:
        return existant.texte
    debut, partie, fin = _separer(existant.texte, existant.fichier.suffix == ".md")
    yaml = _ruamel()
    donnees = yaml.load(partie)
    for champ in changes:
        _modifier(donnees, champ, getattr(apres, champ))
    sortie = io.StringIO()
    yaml.dump(donnees, sortie)
    return debut + sortie.getvalue() + fin


def _nouveau_fichier(dossier: Path, lieu: Lieu, pris: dict[str, str]) -> Path:
    """SLUG.yaml for a new entry; a slug taken by another entry gets a short hash of the id."""
    slug = lieu.slug or slugifier(lieu.id) or "lieu"
    if pris.get(slug, lieu.id) != lieu.id or (dossier / f"{slug}.md").exists():
        slug = f"{slug[:70]}-{hashlib.sha1(lieu.id.encode()).hexdigest()[:8]}"
    pris[slug] = lieu.id
    return dossier / f"{slug}.yaml"


def _etat(fichier: Path, ancien: str | None, texte: str) -> Ecriture:
    """The write of one file, with its state."""
    if ancien is None:
        return Ecriture(fichier, texte, "nouveau")
    return Ecriture(fichier, texte, "inchangé" if ancien == texte else "mis à jour")


# --- the whole import ------------------------------------------------------------------------------


@dataclass
class _Contexte:
    """What every group's plan reads."""

    dossier: Path
    existants: list[Existant]
    entrants: list[Lieu]
    rejets: dict[str, list[Rejet]]
    separes: dict[int, set[str]]  # existing entry's position -> ids of records that left it
    pris: dict[str, str]
    par_id: dict[str, Lieu] = field(default_factory=dict)  # incoming records by id


def _retirer(existant: Existant, ids: set[str], entrants: dict[str, Lieu]) -> Lieu:
    """The existing record without the records a decision moved out (ids and references)."""
    lignes = {r for i in ids for r in entrants[i].references}
    return replace(
        existant.lieu,
        identifiants_sources=[i for i in existant.lieu.identifiants_sources if i not in ids],
        references=[r for r in existant.lieu.references if r not in lignes],
    )


def _plan_groupe(groupe: list[int], ctx: _Contexte, plan: Rapprochement) -> None:
    """Add the writes of one group of records that are one place."""
    n = len(ctx.existants)
    existants = sorted((i for i in groupe if i < n), key=lambda i: not ctx.existants[i].manuel)
    entrants = [ctx.entrants[i - n] for i in groupe if n <= i < n + len(ctx.entrants)]
    if not entrants and not any(i in ctx.separes for i in existants) and len(existants) < 2:
        return
    cible = ctx.existants[existants[0]] if existants else None  # a hand-written entry first
    absorbes = [ctx.existants[i] for i in existants[1:] if not ctx.existants[i].manuel]
    membres = _membres(
        cible, ctx.separes.get(existants[0], set()) if cible else set(), absorbes, entrants, ctx
    )
    fichier = cible.fichier if cible else _nouveau_fichier(ctx.dossier, entrants[0], ctx.pris)
    lieu, conflits = fusionner_fiches(membres, fichier.relative_to(ctx.dossier.parent.parent).as_posix())
    plan.conflits += conflits
    plan.fusionnes += len(entrants) - (0 if cible else 1)
    texte = _texte(lieu, [e for e in (cible, *absorbes) if e], membres, conflits, ctx)
    plan.ecritures.append(_etat(fichier, cible.texte if cible else None, texte))
    plan.ecritures += [Ecriture(e.fichier, None, "supprimé") for e in absorbes]
    plan.separes += [f"{_nom(e)} : fusionnée dans {_nom(cible)} (décision « même lieu »)" for e in absorbes]
    plan.separes += [
        f"{_nom(ctx.existants[i])} et {_nom(cible)} : deux fiches écrites à la main pour un même lieu "
        "(décision « même lieu ») : la construction en fait une page ; réunissez-les à la main"
        for i in existants[1:]
        if ctx.existants[i].manuel
    ]


def _membres(
    cible: Existant | None, partis: set[str], absorbes: list[Existant], entrants: list[Lieu], ctx: _Contexte
) -> list[Membre]:
    """What one entry is merged from: the existing entry (without the records a decision took out),
    the imported entries a decision joins to it, the incoming records."""
    membres = [Membre(_retirer(cible, partis, ctx.par_id), _nom(cible), cible.manuel)] if cible else []
    membres += [Membre(e.lieu, _nom(e)) for e in absorbes]
    return membres + [Membre(lieu, lieu.id) for lieu in entrants]


def _nom(existant: Existant) -> str:
    """How the report names an existing entry: its file, from the content folder."""
    return existant.lieu.chemin


def _texte(lieu: Lieu, existants: list[Existant], membres: list[Membre], conflits, ctx: _Contexte) -> str:
    """The entry's new text: a hand-written one edited in place, an imported one written whole
    (the old comments, the values not kept of each record, the values that lost a conflict)."""
    if existants and existants[0].manuel:
        return texte_manuel(existants[0], lieu)
    anciens = [ligne for e in existants for ligne in _commentaires(e.texte)]
    rejets = [commentaire_rejet(r) for m in membres for r in ctx.rejets.get(m.origine, [])]
    return texte_fiche(lieu, [], _sans_repetition(anciens + rejets, conflits))


def _separes(
    groupes: list[list[int]], existants: list[Existant], entrants: list[Lieu]
) -> dict[int, set[str]]:
    """For each existing entry, the ids of incoming records it lists but that a decision put
    in another group (a wrong merge undone)."""
    n = len(existants)
    groupe_de = {i: g for g, groupe in enumerate(groupes) for i in groupe}
    position = {lieu.id: n + k for k, lieu in enumerate(entrants)}
    separes: dict[int, set[str]] = {}
    for i, existant in enumerate(existants):
        partis = {
            x
            for x in existant.lieu.identifiants_sources
            if x in position and groupe_de[position[x]] != groupe_de[i]
        }
        if partis:
            separes[i] = partis
    return separes


def _sans_contradiction(lieu: Lieu, differents: frozenset[frozenset[str]]) -> Lieu:
    """An existing entry as matching sees it: of two records it holds that a decision says are
    different places, the one that is not the entry's own id (else the later one) is left out, so
    that it can find its own place (and `_separes` takes it out of the entry)."""
    gardes: list[str] = []
    for identifiant in lieu.identifiants_sources:
        if not any(frozenset((identifiant, autre)) in differents for autre in (lieu.id, *gardes)):
            gardes.append(identifiant)
    if len(gardes) == len(lieu.identifiants_sources):
        return lieu
    return replace(lieu, identifiants_sources=gardes)


def rapprocher(
    entrants: list[Lieu],
    rapport: RapportImport,
    existants: list[Existant],
    decisions: Decisions,
    federes: dict[str, list[Lieu]],
    dossier: Path,
) -> Rapprochement:
    """Plan the import of `entrants` (records with ids SOURCE_ID) among the `existants` entries of
    `dossier`, the snapshots' places (`federes`, by source) and the decisions."""
    differents = decisions.differents()
    membres = [(_sans_contradiction(e.lieu, differents), SOURCE_LOCALE) for e in existants]
    membres += [(r, _source(r)) for r in entrants]
    membres += [(federe(lieu, nom), nom) for nom in sorted(federes) for lieu in federes[nom]]
    groupes, paires = regrouper(membres, decisions)
    plan = Rapprochement()
    separes = _separes(groupes, existants, entrants)
    for i, ids in sorted(separes.items()):
        plan.separes += [
            f"{_nom(existants[i])} : {x} en est retiré (« lieux différents »)" for x in sorted(ids)
        ]
    pris = {e.fichier.stem: e.lieu.id for e in existants}
    par_id = {lieu.id: lieu for lieu in entrants}
    ctx = _Contexte(dossier, existants, entrants, rapport.rejets, separes, pris, par_id)
    for groupe in groupes:
        _plan_groupe(groupe, ctx, plan)
    plan.probables = _probables(paires, {lieu.id for lieu in entrants})
    return plan


def _probables(paires: list[Paire], ids_entrants: set[str]) -> list[Paire]:
    """The likely duplicates that involve an incoming record, each pair of ids once (an entry and
    the record it was imported from share an id: the same pair is judged several times)."""
    vues: dict[frozenset[str], Paire] = {}
    for paire in paires:
        cle = frozenset((paire.id_a, paire.id_b))
        utile = not paire.fusionnee and cle & ids_entrants and len(cle) == 2
        if utile and (cle not in vues or paire.score > vues[cle].score):
            vues[cle] = paire
    return list(vues.values())


def ecrire(plan: Rapprochement) -> None:
    """Carry out the plan: each file written whole under a temporary name, then renamed."""
    for ecriture in plan.ecritures:
        if ecriture.etat == "supprimé":
            ecriture.fichier.unlink(missing_ok=True)
        elif ecriture.etat != "inchangé":
            ecriture.fichier.parent.mkdir(parents=True, exist_ok=True)
            temporaire = ecriture.fichier.with_name(f".{ecriture.fichier.name}.import")
            temporaire.write_text(ecriture.texte, encoding="utf-8")
            os.replace(temporaire, ecriture.fichier)


def importer_dans(
    entrants: list[Lieu],
    rapport: RapportImport,
    dossier: Path,
    aujourd_hui: dt.date | None = None,
    charger: Chargeur = charger_lieux,
) -> Rapprochement:
    """Plan the import into `dossier` (content/lieux), honouring content/doublons.yaml and matching
    content/sources' snapshots; nothing is written when the decisions file has errors."""
    contenu = dossier.parent
    decisions, problemes = charger_decisions(contenu, contenu.parent)
    if any(p.est_erreur for p in problemes):
        return Rapprochement(problemes=problemes)
    federes, _avertissements = lire_snapshots(contenu / "sources", contenu.parent, aujourd_hui)
    existants = lire_existants(dossier, charger)
    plan = rapprocher(entrants, rapport, existants, decisions, federes, dossier)
    connus = {i for e in existants for i in (e.lieu.id, *e.lieu.identifiants_sources)}
    connus |= {lieu.id for lieu in entrants}
    connus |= {identifiant_federe(nom, lieu.id) for nom, lieux in federes.items() for lieu in lieux}
    plan.problemes = problemes + decisions.inconnus(connus)
    return plan
