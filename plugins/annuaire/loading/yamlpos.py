"""Safe YAML loading with line numbers, built on libyaml's C parser.

`charger_yaml` returns plain Python data where every mapping is a `MappingAvecLignes`: a dict that also
knows the line of each of its keys, so that problems can name their line. Duplicate keys are an
error (PyYAML silently keeps the last one, which hides mistakes in hand-written entries).
"""

from __future__ import annotations

import yaml

try:  # libyaml's C loader is several times faster; fall back when PyYAML was built without it.
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the platform's wheel
    _Base = yaml.SafeLoader


class ErreurYaml(Exception):
    """A YAML document that cannot be read, with the 1-based line of the problem."""

    def __init__(self, ligne: int, message: str):
        super().__init__(message)
        self.ligne = ligne
        self.message = message


class MappingAvecLignes(dict):
    """A dict that remembers the 1-based line of each key."""

    lignes: dict[str, int]


class _ChargeurAvecLignes(_Base):
    """SafeLoader that records key lines and refuses duplicate keys."""

    def construct_mapping(self, node, deep=False):
        mapping = MappingAvecLignes()
        mapping.lignes = {}
        for key_node, value_node in node.value:
            cle = self.construct_object(key_node, deep=True)
            if not isinstance(cle, (str, int, float, bool)) and cle is not None:
                raise ErreurYaml(key_node.start_mark.line + 1, "clé invalide")
            cle = str(cle)
            if cle in mapping:
                raise ErreurYaml(key_node.start_mark.line + 1, f"la clé « {cle} » apparaît deux fois")
            mapping[cle] = self.construct_object(value_node, deep=True)
            mapping.lignes[cle] = key_node.start_mark.line + 1
        return mapping


_ChargeurAvecLignes.add_constructor("tag:yaml.org,2002:map", _ChargeurAvecLignes.construct_mapping)


def _message_yaml(exc: yaml.YAMLError) -> tuple[int, str]:
    """Turn a PyYAML error into (line, French message)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    ligne = mark.line + 1 if mark is not None else 1
    probleme = getattr(exc, "problem", None) or str(exc)
    if "\\t" in probleme or "tab" in probleme:
        return ligne, "YAML invalide : tabulation interdite pour l'indentation, utilisez des espaces"
    return ligne, f"YAML invalide : {probleme}"


def charger_yaml(texte: str):
    """Parse one YAML document safely; raise ErreurYaml with a line and a French message."""
    try:
        return yaml.load(texte, Loader=_ChargeurAvecLignes)  # noqa: S506 - safe loader subclass
    except ErreurYaml:
        raise
    except yaml.YAMLError as exc:
        raise ErreurYaml(*_message_yaml(exc)) from None
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:
        # Dates like 2023-02-30 or absurd nesting reach the constructor as Python errors.
        raise ErreurYaml(1, f"YAML invalide : {exc}") from None
