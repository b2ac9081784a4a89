"""Safe YAML loading with line numbers, built on libyaml's C parser.

`charger_yaml` returns plain Python data where every mapping is a `MappingAvecLignes`: a dict that also
knows the line of each of its keys, so that problems can name their line. Duplicate keys are an
error (PyYAML silently keeps the last one, which hides mistakes in hand-written entries).

Entries are hostile input, and YAML has three traps this module closes:
- aliases (`&a` / `*a`) let 600 bytes expand to gigabytes once a value is quoted: refused;
- YAML 1.1 reads `01000` as the octal number 512 and `0477…` as a number without its zero: with
  `textes`, top-level scalars are kept as written, except under the keys it names (numbers, dates);
- an impossible date (`2023-02-30`) or a huge number fails inside the constructor: it becomes a
  French message with its line and field, like PyYAML's own errors, which are translated.
"""

from __future__ import annotations

import re

import yaml

from annuaire.domain.texte import citer

try:  # libyaml's C loader is several times faster; fall back when PyYAML was built without it.
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the platform's wheel
    _Base = yaml.SafeLoader

_NUL = "tag:yaml.org,2002:null"
_ETIQUETTES_ORDINAIRES = frozenset(
    f"tag:yaml.org,2002:{nom}" for nom in ("str", "int", "float", "bool", "null", "timestamp")
)
_CLE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


class ErreurYaml(Exception):
    """A YAML document that cannot be read, with the 1-based line of the problem and its field."""

    def __init__(self, ligne: int, message: str, champ: str = ""):
        super().__init__(message)
        self.ligne, self.message, self.champ = ligne, message, champ


class MappingAvecLignes(dict):
    """A dict that remembers the 1-based line of each key."""

    lignes: dict[str, int]


ALIAS_REFUSE = "les alias YAML (« *nom ») sont refusés dans une fiche : écrivez la valeur"


def _refuser_alias(noeud, vus: set[int], ligne: int, champ: str = "") -> None:
    """Raise ErreurYaml when a node is reached twice: it came from an alias (`*nom`)."""
    if id(noeud) in vus:
        raise ErreurYaml(ligne, ALIAS_REFUSE, champ)
    vus.add(id(noeud))
    if isinstance(noeud, yaml.MappingNode):
        for cle, valeur in noeud.value:
            nom = champ or (cle.value if isinstance(cle, yaml.ScalarNode) else "")
            _refuser_alias(cle, vus, cle.start_mark.line + 1, champ)
            _refuser_alias(valeur, vus, cle.start_mark.line + 1, nom)
    elif isinstance(noeud, yaml.SequenceNode):
        for element in noeud.value:
            _refuser_alias(element, vus, ligne, champ)


def _scalaire_ordinaire(noeud) -> bool:
    """A scalar whose tag YAML guessed (or !!str): an explicit tag (`!foo`) is left to the
    constructor, which refuses it."""
    return isinstance(noeud, yaml.ScalarNode) and noeud.tag in _ETIQUETTES_ORDINAIRES


def _texte_tel_quel(noeud):
    """A scalar as written (None for an empty or null one); a list of scalars likewise."""
    if _scalaire_ordinaire(noeud):
        return None if noeud.tag == _NUL else noeud.value
    if isinstance(noeud, yaml.SequenceNode) and all(_scalaire_ordinaire(e) for e in noeud.value):
        return [_texte_tel_quel(e) for e in noeud.value]
    return _PAS_TEXTE


_PAS_TEXTE = object()


class _ChargeurAvecLignes(_Base):
    """SafeLoader that records key lines, refuses duplicate keys and aliases, and keeps top-level
    scalars as written when `typees` (the keys whose values YAML may type) is set."""

    typees: frozenset[str] | None = None

    def construct_document(self, node):
        _refuser_alias(node, set(), 1)
        self.profondeur = 0
        return super().construct_document(node)

    def _valeur(self, cle: str, noeud):
        """The value under `cle`: as written at the top level (unless typed), else constructed."""
        if self.typees is not None and self.profondeur == 1 and cle not in self.typees:
            brute = _texte_tel_quel(noeud)
            if brute is not _PAS_TEXTE:
                return brute
        try:
            return self.construct_object(noeud, deep=True)
        except (ValueError, OverflowError, TypeError):
            raise ErreurYaml(noeud.start_mark.line + 1, _valeur_impossible(noeud), cle) from None

    def construct_mapping(self, node, deep=False):
        mapping = MappingAvecLignes()
        mapping.lignes = {}
        self.profondeur = getattr(self, "profondeur", 0) + 1
        for key_node, value_node in node.value:
            cle = self.construct_object(key_node, deep=True)
            if not isinstance(cle, (str, int, float, bool)) and cle is not None:
                raise ErreurYaml(key_node.start_mark.line + 1, "clé invalide")
            cle = str(cle)
            if cle in mapping:
                raise ErreurYaml(
                    key_node.start_mark.line + 1, f"la clé « {citer(cle)} » apparaît deux fois", cle
                )
            mapping[cle] = self._valeur(cle, value_node)
            mapping.lignes[cle] = key_node.start_mark.line + 1
        self.profondeur -= 1
        return mapping


_ChargeurAvecLignes.add_constructor("tag:yaml.org,2002:map", _ChargeurAvecLignes.construct_mapping)


def _valeur_impossible(noeud) -> str:
    """Why a scalar could not be built: an impossible date, or a number Python cannot hold."""
    valeur = citer(getattr(noeud, "value", ""))
    if noeud.tag == "tag:yaml.org,2002:timestamp":
        return f"« {valeur} » n'est pas une date qui existe (AAAA-MM-JJ)"
    return f"« {valeur} » : valeur illisible"


# PyYAML's messages (its `problem` text) in plain French, first match wins.
_TRADUCTIONS = (
    ("tab", "tabulation interdite pour l'indentation, utilisez des espaces"),
    (
        "mapping values are not allowed",
        "« : » inattendu : mettez la valeur entre guillemets si elle contient « : »",
    ),
    ("did not find expected key", "indentation incohérente : chaque champ commence au début de la ligne"),
    ("did not find expected ','", "liste ou dictionnaire entre crochets non refermé"),
    ("found unexpected end of stream", "guillemet non refermé"),
    ("undefined alias", ALIAS_REFUSE),
    ("duplicate anchor", "les ancres YAML (« &nom ») sont refusées dans une fiche"),
    ("cannot start any token", "caractère inattendu en début de valeur : mettez la valeur entre guillemets"),
    ("could not determine a constructor", "étiquette YAML (« ! ») refusée : écrivez la valeur simplement"),
    ("expected <document start>", "un seul document par fiche (une ligne « --- » de trop ?)"),
)


def _traduire(probleme: str) -> str:
    """PyYAML's English `probleme` in French (the original kept when no translation is known)."""
    for motif, francais in _TRADUCTIONS:
        if motif in probleme:
            return francais
    return f"erreur de syntaxe ({citer(probleme)})"


def champ_a_la_ligne(texte: str, ligne: int) -> str:
    """The top-level field whose value holds `ligne` (1-based), or ""."""
    for numero in range(min(ligne, len(lignes := texte.splitlines())), 0, -1):
        trouve = _CLE.match(lignes[numero - 1])
        if trouve:
            return trouve.group(1)
    return ""


def _message_yaml(exc: yaml.YAMLError, texte: str) -> ErreurYaml:
    """Turn a PyYAML error into an ErreurYaml (line, French message, field)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    ligne = mark.line + 1 if mark is not None else 1
    probleme = getattr(exc, "problem", None) or str(exc)
    return ErreurYaml(ligne, f"YAML invalide : {_traduire(probleme)}", champ_a_la_ligne(texte, ligne))


def charger_yaml(texte: str, typees: frozenset[str] | None = None):
    """Parse one YAML document safely; raise ErreurYaml with a line, a field and a French message.
    With `typees`, top-level values are kept as written except under those keys."""
    chargeur = _ChargeurAvecLignes(texte)
    chargeur.typees = typees
    try:
        return chargeur.get_single_data()
    except ErreurYaml:
        raise
    except yaml.YAMLError as exc:
        raise _message_yaml(exc, texte) from None
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:
        # Absurd nesting reaches the constructor as a Python error.
        raise ErreurYaml(1, f"YAML invalide : {citer(exc)}") from None
    finally:
        chargeur.dispose()
