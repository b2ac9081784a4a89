"""How the domain applies a per-item pure function: `appliquer(fonction, elements, *fixes)`.

Loading, validation, the exports and the duplicate search compute one result per entry, place or
block with a pure function. They take that loop as a parameter, by default `appliquer_simple`;
the build passes one that keeps results between builds (build/memo.py). The domain does not know
whether results come from a cache: a function given here must read nothing but its arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Appliquer = Callable[..., list]  # (fonction, elements, *fixes) -> [fonction(e, *fixes) for e in elements]


def appliquer_simple(fonction: Callable[..., Any], elements: Iterable, *fixes) -> list:
    """[fonction(e, *fixes) for e in elements]."""
    return [fonction(element, *fixes) for element in elements]
