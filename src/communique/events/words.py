"""The open-class word lists of the event coder: which nouns are documents, hazards, troops, ...

The lists are data (``words.toml`` beside this module, each key documented there with an
example); this module loads them once and checks the file's schema: every key known, present,
and a non-empty list of strings. The closed sets of grammar words stay in the code that reads them.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DataFileError


@dataclass(frozen=True, slots=True)
class Words:
    """One frozenset of lowercase words per key of ``words.toml``."""

    forces_of_nature: frozenset[str]
    hazards: frozenset[str]
    received: frozenset[str]
    documents: frozenset[str]
    proposals: frozenset[str]
    intentions: frozenset[str]
    neg_nouns: frozenset[str]
    modal_nouns: frozenset[str]
    hostile_complements: frozenset[str]
    troop_words: frozenset[str]
    partitives: frozenset[str]
    measures: frozenset[str]
    amounts: frozenset[str]
    groups: frozenset[str]
    bare_starts: frozenset[str]
    visit_verbs: frozenset[str]
    adjectival: frozenset[str]
    reporting: frozenset[str]
    saying: frozenset[str]
    neg_control: frozenset[str]
    plan_control: frozenset[str]
    spec_control: frozenset[str]
    occurrences: frozenset[str]
    light_verbs: frozenset[str]
    withheld_words: frozenset[str]
    habitual: frozenset[str]
    mishaps: frozenset[str]
    threat_nouns: frozenset[str]
    consequences: frozenset[str]
    preventing: frozenset[str]


_KEYS = tuple(f.name for f in fields(Words))


def _words(v: Any, where: str, key: str) -> frozenset[str]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise DataFileError(f"{where}: {key!r} must be a list of strings")
    if not v:
        raise DataFileError(f"{where}: {key!r} must not be empty")
    return frozenset(v)


def parse_words(text: str, where: str = "words.toml") -> Words:
    """The word lists of a ``words.toml`` text, checked; ``where`` names the file in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DataFileError(f"{where}: not valid TOML ({e})") from e
    if unknown := set(data) - set(_KEYS):
        raise DataFileError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(_KEYS)}")
    if missing := [k for k in _KEYS if k not in data]:
        raise DataFileError(f"{where}: missing key(s) {missing}: every list is required")
    return Words(**{k: _words(data[k], where, k) for k in _KEYS})


@functools.lru_cache(maxsize=4)
def load_words(path: Path | None = None) -> Words:
    """The bundled word lists, or a user's file in the same format."""
    if path is None:
        text = (resources.files("communique.events") / "words.toml").read_text(encoding="utf-8")
        return parse_words(text, "words.toml")
    try:
        return parse_words(Path(path).read_text(encoding="utf-8"), str(path))
    except OSError as e:
        raise DataFileError(f"{path}: cannot read ({e})") from e


#: The bundled lists, loaded once when the coder is imported.
WORDS = load_words()
