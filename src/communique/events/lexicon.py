"""The predicate lexicon: which verbs and nouns report which PLOVER events.

The lexicon is data (``lexicon.toml`` beside this module, documented at its top);
this module loads it, checks it against the ontology, and indexes it by lemma so the
coder does one dictionary lookup per token.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DataFileError

_SLOTS = ("dobj", "dative", "ccomp:subj")
_SLOT_PREFIXES = ("prep:", "obj:prep:")


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry; ``kind`` is "verb" or "noun"."""

    kind: str
    lemmas: tuple[str, ...]
    type: str
    mode: str | None = None
    prep: frozenset[str] = frozenset()
    object: frozenset[str] = frozenset()
    modifier: frozenset[str] = frozenset()
    light: frozenset[str] | None = None
    recipient: tuple[str, ...] = ()
    modes: tuple[tuple[str, frozenset[str]], ...] = ()
    control: str | None = None
    reported: bool = False
    symmetric: bool = False
    possessive: bool = False
    requires_recipient: bool = False
    complement: frozenset[str] = frozenset()
    inverse: bool = False
    negated_type: str | None = None
    modal: frozenset[str] = frozenset()
    not_object: frozenset[str] = frozenset()

    @property
    def specificity(self) -> int:
        conditions = (self.prep, self.object, self.modifier, self.complement, self.modal)
        return sum(bool(c) for c in conditions)


@dataclass(frozen=True, slots=True)
class Lexicon:
    version: str
    verbs: Mapping[str, tuple[Entry, ...]]
    nouns: Mapping[str, tuple[Entry, ...]]
    blocking: frozenset[str]
    #: verbs whose object does what their complement says ("asked X to leave": X leaves), from the entries
    object_control: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "object_control", frozenset(
            lemma for es in self.verbs.values() for e in es if e.control == "object" for lemma in e.lemmas))

    def __len__(self) -> int:
        return len({id(e) for es in (*self.verbs.values(), *self.nouns.values()) for e in es})


def _strs(v: Any, where: str, key: str) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return tuple(v)
    raise DataFileError(f"{where}: {key!r} must be a string or a list of strings")


def _entry(kind: str, raw: dict[str, Any], where: str, types: set[str] | None) -> Entry:
    known = {"lemma", "type", "mode", "prep", "object", "modifier", "light", "recipient", "modes", "control",
             "reported", "symmetric", "possessive", "requires_recipient", "complement", "inverse", "negated_type",
             "modal", "not_object"}
    if unknown := set(raw) - known:
        raise DataFileError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(known)}")
    lemmas = _strs(raw.get("lemma"), where, "lemma")
    if not lemmas:
        raise DataFileError(f"{where}: 'lemma' is required")
    etype = raw.get("type")
    if not isinstance(etype, str) or (types is not None and etype not in types):
        raise DataFileError(f"{where}: type {etype!r} is not a PLOVER event type")
    recipient = _strs(raw.get("recipient"), where, "recipient")
    for slot in recipient:
        if slot not in _SLOTS and not slot.startswith(_SLOT_PREFIXES):
            raise DataFileError(f"{where}: unknown recipient slot {slot!r}")
    modes_raw = raw.get("modes") or {}
    if not isinstance(modes_raw, dict):
        raise DataFileError(f"{where}: 'modes' must be a table of mode = [lemmas]")
    modes = tuple((m, frozenset(_strs(ls, where, f"modes.{m}"))) for m, ls in modes_raw.items())
    neg = raw.get("negated_type")
    if neg is not None and (not isinstance(neg, str) or (types is not None and neg not in types)):
        raise DataFileError(f"{where}: negated_type {neg!r} is not a PLOVER event type")
    light = raw.get("light")
    control = raw.get("control")
    if control not in (None, "object"):
        raise DataFileError(f"{where}: control must be \"object\" or omitted")
    return Entry(
        kind=kind,
        lemmas=lemmas,
        type=etype,
        mode=raw.get("mode"),
        prep=frozenset(_strs(raw.get("prep"), where, "prep")),
        object=frozenset(_strs(raw.get("object"), where, "object")),
        modifier=frozenset(_strs(raw.get("modifier"), where, "modifier")),
        light=frozenset(_strs(light, where, "light")) if light is not None else None,
        recipient=recipient,
        modes=modes,
        control=control,
        reported=bool(raw.get("reported", False)),
        symmetric=bool(raw.get("symmetric", False)),
        possessive=bool(raw.get("possessive", False)),
        requires_recipient=bool(raw.get("requires_recipient", False)),
        complement=frozenset(_strs(raw.get("complement"), where, "complement")),
        inverse=bool(raw.get("inverse", False)),
        negated_type=raw.get("negated_type"),
        modal=frozenset(_strs(raw.get("modal"), where, "modal")),
        not_object=frozenset(_strs(raw.get("not_object"), where, "not_object")),
    )


def parse_lexicon(text: str, where: str = "lexicon.toml", types: set[str] | None = None) -> Lexicon:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DataFileError(f"{where}: {e}") from e
    verbs: dict[str, list[Entry]] = {}
    nouns: dict[str, list[Entry]] = {}
    for kind, index in (("verb", verbs), ("noun", nouns)):
        for n, raw in enumerate(data.get(kind) or [], start=1):
            entry = _entry(kind, raw, f"{where}: [[{kind}]] #{n}", types)
            for lemma in entry.lemmas:
                index.setdefault(lemma.lower(), []).append(entry)

    def ordered(ix: dict[str, list[Entry]]) -> dict[str, tuple[Entry, ...]]:
        return {k: tuple(sorted(v, key=lambda e: -e.specificity)) for k, v in ix.items()}

    return Lexicon(
        version=str(data.get("version") or "unversioned"),
        verbs=ordered(verbs),
        nouns=ordered(nouns),
        blocking=frozenset(_strs(data.get("blocking"), where, "blocking")),
    )


@functools.lru_cache(maxsize=4)
def load_lexicon(path: Path | None = None) -> Lexicon:
    """The bundled lexicon, or a user's file in the same format, checked against the ontology."""
    from ..ontology import load_ontology

    types = set(load_ontology().types)
    if path is None:
        text = (resources.files("communique.events") / "lexicon.toml").read_text(encoding="utf-8")
        return parse_lexicon(text, "lexicon.toml", types)
    try:
        return parse_lexicon(Path(path).read_text(encoding="utf-8"), str(path), types)
    except OSError as e:
        raise DataFileError(f"{path}: cannot read ({e})") from e
