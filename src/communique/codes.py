"""Checking the codes a user types: countries, IGOs, event types, modes and factuality values.

A filter with a code that names nothing matches nothing, and an empty answer looks like a
fact ("no events between the USA and CHINA"). So a code that is neither in the bundled
registry and ontology nor among the codes of the store being queried is an error, and the
error says what was probably meant: a country's name (``China``) gives its ISO-3 code
(``CHN``), a near miss (``CONSULTS``) the closest codes.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import InputError
from .records import FACTUALITY

if TYPE_CHECKING:
    from .actors.registry import Registry

__all__ = ["check_actor_code", "check_factuality", "check_mode", "check_type"]


@lru_cache(maxsize=1)
def _registry() -> Registry:
    from .actors import load_registry

    return load_registry()


@lru_cache(maxsize=1)
def _actor_codes() -> dict[str, str]:
    """Every country (ISO-3) and IGO code of the bundled registry, with its name."""
    reg = _registry()
    codes = {c.iso3: c.name for c in reg.countries()}
    for _, entry in reg.phrases():
        if entry.igo and entry.igo not in codes:
            info = reg.igo(entry.igo)
            codes[entry.igo] = info.name if info else entry.name
    return codes


@lru_cache(maxsize=1)
def _ontology_codes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from .ontology import load_ontology

    o = load_ontology()
    return tuple(o.types), tuple(sorted({m for t in o.types.values() for m in t.modes}))


def _close(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)


def check_actor_code(code: str, known: Iterable[str] | Callable[[], Iterable[str]] = (), *,
                     what: str = "actor") -> str:
    """``code`` upper-cased if it is a country or IGO code (of the bundled registry, or one of
    ``known``: the codes found in a store coded with another registry, or a function giving them,
    called only for a code the registry does not know); else InputError naming the code meant
    (``China`` → ``CHN``, ``UNITED STATES`` → ``USA``)."""
    wanted = code.strip().upper()
    codes = _actor_codes()
    if wanted in codes or wanted in set(known() if callable(known) else known):
        return wanted
    reg = _registry()
    hints: list[str] = []
    for form in dict.fromkeys((code.strip(), code.strip().title(), code.strip().capitalize())):
        entry = reg.lookup(form)
        hint = entry.country or entry.igo if entry is not None else None
        if entry is not None and hint:
            hints.append(f"{hint} ({codes.get(hint, entry.name)})")
            break
    if not hints:
        hints = [f"{c} ({codes[c]})" for c in _close(wanted, codes)]
    suggestion = (f"; did you mean {' or '.join(hints)}?" if hints
                  else "; use an ISO-3 country code (USA, CHN) or an IGO code (UN, NATO)")
    raise InputError(code, f"not a country or IGO code for the {what}{suggestion}")


def _check_name(value: str, choices: tuple[str, ...], what: str, upper: bool) -> str:
    wanted = value.strip().upper() if upper else value.strip().lower()
    if wanted in choices:
        return wanted
    near = _close(wanted, choices)
    hint = f"did you mean {' or '.join(near)}? " if near else ""
    raise InputError(value, f"not a {what}; {hint}use one of {', '.join(choices)}")


def check_type(value: str) -> str:
    """A PLOVER event type, upper-cased; InputError with the closest types otherwise."""
    return _check_name(value, _ontology_codes()[0], "PLOVER event type", upper=True)


def check_mode(value: str) -> str:
    """A PLOVER mode (lower case, e.g. ``meet``); InputError with the closest modes otherwise."""
    return _check_name(value, _ontology_codes()[1], "PLOVER mode", upper=False)


def check_factuality(value: str) -> str:
    """One of ``records.FACTUALITY``; InputError otherwise."""
    return _check_name(value, FACTUALITY, "factuality value", upper=False)
