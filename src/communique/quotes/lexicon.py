"""The reporting-cue lexicon (``cues.toml`` beside this module): loader and schema check.

``load_cues()`` indexes the lexicon by lemma, so the quote finder does one
dictionary lookup per token.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy
from spacy.strings import get_string_id

from ..errors import DataFileError

FRAMES = ("clause", "quote", "addressee", "passive", "raising", "infinitive", "object")


@dataclass(frozen=True, slots=True)
class Cue:
    """How one reporting verb carries content: its frames, in the order they are tried."""

    lemma: str
    group: str
    frames: tuple[str, ...]
    speech: bool = False

    @property
    def preps(self) -> frozenset[str]:
        return frozenset(f[5:] for f in self.frames if f.startswith("prep:"))


@dataclass(frozen=True)
class CueLexicon:
    version: str
    cues: Mapping[str, Cue]
    source_phrases: tuple[tuple[str, ...], ...]
    forms: Mapping[str, Cue]
    nouns: Mapping[str, Cue]

    def __len__(self) -> int:
        return len(self.cues)

    @functools.cached_property
    def hashes(self) -> numpy.ndarray:
        """Sorted string ids of every lemma, form and phrase start: a cheap first filter over token arrays."""
        words = set(self.cues) | set(self.forms) | set(self.nouns) | {p[0] for p in self.source_phrases}
        return numpy.array(sorted(get_string_id(w) for w in words), dtype=numpy.uint64)

    def candidates(self, ids: numpy.ndarray) -> list[int]:
        """Rows of a token id array (columns: lemma, lower form) that may be cues."""
        h = self.hashes
        pos = numpy.minimum(numpy.searchsorted(h, ids), len(h) - 1)
        return numpy.flatnonzero((h[pos] == ids).any(axis=1)).tolist()

    def find(self, lemma: str, form: str) -> Cue | None:
        """The cue of a token by its lemma, else by its word form ("hopes" lemmatised as "hop")."""
        cue = self.cues.get(lemma)
        return cue if cue is not None else self.forms.get(form)


def inflections(lemma: str) -> set[str]:
    """Regular inflections of a verb: announce → announces, announced, announcing."""
    if lemma.endswith("e"):
        return {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    if len(lemma) > 2 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        return {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    out = {lemma + "ed", lemma + "ing"}
    out.add(lemma + "es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else lemma + "s")
    return out


def _fail(path: str, msg: str) -> DataFileError:
    return DataFileError(f"{path}: {msg}; fix the file (its header documents the schema)")


def parse_cues(data: Mapping[str, Any], path: str = "cues.toml") -> CueLexicon:
    """Check and index a parsed cue file."""
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise _fail(path, "missing string 'version'")
    groups = data.get("cue")
    if not isinstance(groups, list) or not groups:
        raise _fail(path, "no [[cue]] tables")
    cues = _groups(groups, "cue", path)
    nouns = _groups(data.get("noun") or [], "noun", path)
    phrases: list[tuple[str, ...]] = []
    for s in data.get("source") or []:
        for p in s.get("phrases") or []:
            words = tuple(p.lower().split())
            if len(words) < 1:
                raise _fail(path, "empty [[source]] phrase")
            phrases.append(words)
    forms: dict[str, Cue] = {}
    for lemma, cue in cues.items():
        for f in inflections(lemma):
            if f not in cues:
                forms.setdefault(f, cue)
    return CueLexicon(version, cues, tuple(phrases), forms, nouns)


def _groups(groups: Any, table: str, path: str) -> dict[str, Cue]:
    if not isinstance(groups, list):
        raise _fail(path, f"[[{table}]] must be an array of tables")
    cues: dict[str, Cue] = {}
    for n, g in enumerate(groups, 1):
        name = g.get("name") or f"{table} #{n}"
        frames = g.get("frames")
        lemmas = g.get("lemmas")
        if not isinstance(frames, list) or not frames:
            raise _fail(path, f"[[{table}]] {name!r} has no 'frames'")
        for f in frames:
            if not isinstance(f, str) or not (f in FRAMES or (f.startswith("prep:") and len(f) > 5)):
                raise _fail(path, f"[[{table}]] {name!r}: unknown frame {f!r} (one of {', '.join(FRAMES)}, prep:WORD)")
        if not isinstance(lemmas, list) or not lemmas or not all(isinstance(x, str) and x for x in lemmas):
            raise _fail(path, f"[[{table}]] {name!r} needs a list of 'lemmas'")
        for lemma in lemmas:
            key = lemma.lower()
            if key in cues:
                raise _fail(path, f"lemma {lemma!r} is in both {cues[key].group!r} and {name!r}")
            cues[key] = Cue(key, name, tuple(frames), bool(g.get("speech", False)))
    return cues


@functools.lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> CueLexicon:
    """The bundled lexicon, or the file at ``path``."""
    if path is None:
        text = resources.files(__package__).joinpath("cues.toml").read_text(encoding="utf-8")
        where = "quotes/cues.toml"
    else:
        text = Path(path).read_text(encoding="utf-8")
        where = path
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise _fail(where, f"not valid TOML ({e})") from e
    return parse_cues(data, where)
