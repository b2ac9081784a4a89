"""Reviewed decisions on doubtful duplicates: `content/doublons.yaml`, read by import, sync and build.

The file is a YAML list; each item names two or more places and what a person decided about them:

    - lieux: [zoomacom, hinaura_225]
      decision: même lieu
      raison: vérifié sur place (Zoomacom, décembre 2026)
    - lieux: [conseiller-numerique_62592a1d05457b0790816e6c, dora_0154f912]
      decision: lieux différents

A place is named by its entry's `id`, or by one of the ids of the records merged into it (the
`identifiants_sources` of an imported entry, `SOURCE_ID` for a federated record). "même lieu" joins
the places even under the automatic threshold; "lieux différents" keeps every pair of them apart,
and undoes an automatic merge at the next import or build. Problems are `file:line: field: message`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annuaire.domain.model import AVERTISSEMENT, Probleme
from annuaire.domain.texte import citer
from annuaire.loading.yamlpos import ErreurYaml, MappingAvecLignes, charger_yaml

FICHIER = "doublons.yaml"
MEME_LIEU = "même lieu"
LIEUX_DIFFERENTS = "lieux différents"
_DECISIONS = {MEME_LIEU: MEME_LIEU, "meme lieu": MEME_LIEU, LIEUX_DIFFERENTS: LIEUX_DIFFERENTS}
_DECISIONS["lieux differents"] = LIEUX_DIFFERENTS
_CLES = frozenset({"lieux", "decision", "raison", "par", "date"})
TAILLE_MAX = 1024 * 1024


@dataclass(frozen=True)
class Decision:
    """One reviewed decision: the places' ids, "même lieu" or "lieux différents", where it is written."""

    lieux: tuple[str, ...]
    decision: str
    ligne: int
    raison: str = ""


@dataclass
class Decisions:
    """Every decision of the file, and the quick lookups the merge needs."""

    liste: list[Decision] = field(default_factory=list)
    chemin: str = f"content/{FICHIER}"

    @property
    def memes(self) -> list[Decision]:
        """The "même lieu" decisions."""
        return [d for d in self.liste if d.decision == MEME_LIEU]

    def differents(self) -> frozenset[frozenset[str]]:
        """Every pair of ids that must stay apart."""
        return frozenset(
            frozenset((a, b))
            for d in self.liste
            if d.decision == LIEUX_DIFFERENTS
            for i, a in enumerate(d.lieux)
            for b in d.lieux[i + 1 :]
        )

    def identifiants(self) -> set[str]:
        """Every id some decision names."""
        return {i for d in self.liste for i in d.lieux}

    def inconnus(self, connus: set[str]) -> list[Probleme]:
        """A warning for each id named by a decision but found nowhere in `connus`."""
        return [
            Probleme(self.chemin, d.ligne, "lieux", f"identifiant inconnu « {citer(i)} »", AVERTISSEMENT)
            for d in self.liste
            for i in d.lieux
            if i not in connus
        ]

    def encore_reunis(self, fiches: Iterable[tuple[str, frozenset[str]]]) -> list[Probleme]:
        """A warning for each entry file (path, ids it answers to) that still holds two places a
        "lieux différents" decision separates: an import wrote them together before the decision."""
        differentes = [d for d in self.liste if d.decision == LIEUX_DIFFERENTS]
        cibles = {i for d in differentes for i in d.lieux}
        problemes = []
        for chemin, ids in fiches if cibles else ():
            communs = ids & cibles
            for decision in differentes if len(communs) > 1 else ():
                ensemble = [i for i in decision.lieux if i in communs]
                if len(ensemble) > 1:
                    message = (
                        f"{' et '.join(ensemble)} sont encore réunis dans {chemin} : importez à nouveau "
                        "le fichier d'où vient l'un d'eux pour les séparer"
                    )
                    problemes.append(Probleme(self.chemin, decision.ligne, "lieux", message, AVERTISSEMENT))
        return problemes


def _texte(valeur: object) -> str:
    """A scalar as stripped text; "" for anything else."""
    return str(valeur).strip() if isinstance(valeur, (str, int, float)) else ""


def _lire_element(element: object, ligne: int, chemin: str) -> tuple[Decision | None, list[Probleme]]:
    """One item of the list: a Decision, or the problems that prevent it."""
    if not isinstance(element, MappingAvecLignes):
        return None, [Probleme(chemin, ligne, "", "attendu « - lieux: [...] » puis « decision: ... »")]
    lignes = element.lignes
    debut = min(lignes.values(), default=ligne)
    problemes = [
        Probleme(chemin, lignes[cle], cle, "champ inconnu (lieux, decision, raison, par, date)")
        for cle in element
        if cle not in _CLES
    ]
    lieux = element.get("lieux")
    ids = [_texte(v) for v in lieux] if isinstance(lieux, list) else []
    if len([i for i in ids if i]) < 2 or len(set(ids)) != len(ids):
        message = "attendu : au moins deux identifiants différents, « lieux: [id-a, id-b] »"
        problemes.append(Probleme(chemin, lignes.get("lieux", debut), "lieux", message))
    brute = _texte(element.get("decision")).lower()
    if brute not in _DECISIONS:
        message = f"« {citer(brute)} » : attendu « {MEME_LIEU} » ou « {LIEUX_DIFFERENTS} »"
        problemes.append(Probleme(chemin, lignes.get("decision", debut), "decision", message))
    if problemes:
        return None, problemes
    raison = _texte(element.get("raison"))
    return Decision(tuple(ids), _DECISIONS[brute], lignes.get("lieux", debut), raison), []


def _lignes_des_elements(texte: str) -> list[int]:
    """The line of each top-level "- " item (for items that are not mappings)."""
    return [n for n, ligne in enumerate(texte.splitlines(), start=1) if ligne.startswith("-")]


def lire_decisions(texte: str, chemin: str) -> tuple[Decisions, list[Probleme]]:
    """Parse the decisions file's text: (decisions, problems); never raises."""
    if len(texte) > TAILLE_MAX:
        return Decisions(chemin=chemin), [Probleme(chemin, 1, "", "fichier trop gros (plus de 1 Mo)")]
    try:
        donnees = charger_yaml(texte) if texte.strip() else []
    except ErreurYaml as exc:
        return Decisions(chemin=chemin), [Probleme(chemin, exc.ligne, exc.champ, exc.message)]
    if not isinstance(donnees, list):
        message = "le fichier est une liste de décisions, chacune commençant par « - lieux: »"
        return Decisions(chemin=chemin), [Probleme(chemin, 1, "", message)]
    decisions, problemes = Decisions(chemin=chemin), []
    lignes = _lignes_des_elements(texte)
    for rang, element in enumerate(donnees):
        decision, trouves = _lire_element(element, lignes[rang] if rang < len(lignes) else 1, chemin)
        problemes += trouves
        if decision is not None:
            decisions.liste.append(decision)
    return decisions, problemes


def charger_decisions(contenu: Path, racine: Path | None = None) -> tuple[Decisions, list[Probleme]]:
    """Read `contenu/doublons.yaml` (no file: no decisions); paths relative to `racine`."""
    fichier = contenu / FICHIER
    nom = fichier.relative_to(racine).as_posix() if racine else fichier.as_posix()
    if not fichier.is_file():
        return Decisions(chemin=nom), []
    try:
        texte = fichier.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return Decisions(chemin=nom), [Probleme(nom, 1, "", f"lecture impossible : {exc}")]
    return lire_decisions(texte, nom)
