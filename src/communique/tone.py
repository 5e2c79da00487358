"""Tone per article and per event: how positive or negative the words are, with the words that made it.

The scale, like GDELT's tone, is a share of the words::

    tone = 100 * (sum of the valences of the sentiment words) / (4 * number of words)

Valences come from the VADER lexicon (−4 … +4; PyPI ``vaderSentiment==3.3.2``),
adapted to political news by ``tone.toml`` beside this module (topic words ignored,
news words added, negators, the tags never scored). So −100 would be a text of
nothing but maximally negative words and +100 the opposite; 0 is neutral or
balanced; 90% of news articles lie between −3 and +2, of single events between −7
and +3. The first sentiment word after a negator, within three words ("did not
welcome"), counts ×−0.74 (VADER's constant). Names are never scored ("Justice
Party", "Hope Hicks").

::

    scored = measure_tone(doc, sent_tokens, load_tone())   # spaCy stays in here
    scored.article                  # Tone(score=-1.2, evidence=('killed', 'attack', …), words=412)
    scored.of_sentences([0, 3])     # the tone of an event's evidence sentences

A data file that breaks the schema raises :class:`~communique.errors.DataFileError`
naming the file and entry.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from spacy.tokens import Doc

from ._data import read_toml
from .errors import DataFileError

__all__ = ["Tone", "ToneLexicon", "DocTone", "load_tone", "measure_tone"]

_DATA_FILE = "tone.toml"
_VADER_PACKAGE = "vaderSentiment"
_VADER_FILE = "vader_lexicon.txt"
_WORD = re.compile(r"[a-z][a-z'\-]*")
_KEYS = {"version", "window", "negation", "evidence_max", "negators", "skip_pos", "skip_entities", "ignore",
         "valence"}
_VALENCE_MAX = 4.0  # VADER's scale


@dataclass(frozen=True, slots=True)
class Tone:
    """A tone score on the scale above, the sentiment words that moved it (strongest first), and the word count.

    A negated word is given as "not WORD". ``score`` is None for a text without words."""

    score: float | None
    evidence: tuple[str, ...] = ()
    words: int = 0


@dataclass(frozen=True, slots=True)
class ToneLexicon:
    """Word → valence (−4 … +4), the negators, and the spaCy tags never scored."""

    version: str
    valence: Mapping[str, float]
    negators: frozenset[str]
    skip_pos: frozenset[str]
    skip_entities: frozenset[str]
    window: int = 3
    negation: float = -0.74
    evidence_max: int = 10

    def __len__(self) -> int:
        return len(self.valence)


# --------------------------------------------------------------------------- loading


def _fail(source: str, key: str, problem: str) -> DataFileError:
    return DataFileError(f"{source}: [{key}] {problem}; fix the entry or restore the bundled file")


def _strings(source: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, key, "must be a list of non-empty strings")
    return [v.strip() for v in value]


def _number(source: str, key: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise _fail(source, key, f"must be a number from {low} to {high}")
    return float(value)


def read_vader() -> dict[str, float]:
    """The VADER lexicon as shipped by the vaderSentiment package: word → mean valence (words only)."""
    try:
        text = resources.files(_VADER_PACKAGE).joinpath(_VADER_FILE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as e:
        raise DataFileError(f"{_VADER_PACKAGE}/{_VADER_FILE}: not found; install vaderSentiment==3.3.2") from e
    out: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and _WORD.fullmatch(parts[0]):
            try:
                out[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return out


def parse_tone(data: Mapping[str, Any], source: str, base: Mapping[str, float]) -> ToneLexicon:
    """Check a parsed tone file and merge it with the base lexicon (VADER's)."""
    if unknown := set(data) - _KEYS:
        raise _fail(source, ", ".join(sorted(unknown)), f"unknown key; known: {', '.join(sorted(_KEYS))}")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise _fail(source, "version", "must be a non-empty string")
    window = data.get("window", 3)
    if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= 10:
        raise _fail(source, "window", "must be a whole number from 0 to 10")
    evidence_max = data.get("evidence_max", 10)
    if isinstance(evidence_max, bool) or not isinstance(evidence_max, int) or not 0 <= evidence_max <= 1000:
        raise _fail(source, "evidence_max", "must be a whole number from 0 to 1000")
    negation = _number(source, "negation", data.get("negation", -0.74), -1.0, 1.0)
    ignore = {w.lower() for w in _strings(source, "ignore", data.get("ignore", []))}
    added = data.get("valence", {})
    if not isinstance(added, dict):
        raise _fail(source, "valence", "must be a table of word = number")
    valence = {w: v for w, v in base.items() if w not in ignore}
    for word, value in added.items():
        key = word.strip().lower()
        if not key or not all(p.isalpha() for p in re.split(r"['\-]", key) if p):
            raise _fail(source, f"valence.{word}", "must be one word")
        if key in ignore:
            raise _fail(source, f"valence.{word}", "is also listed in ignore; keep it in one place")
        valence[key] = _number(source, f"valence.{word}", value, -_VALENCE_MAX, _VALENCE_MAX)
    return ToneLexicon(
        version=version,
        valence=MappingProxyType(valence),
        negators=frozenset(w.lower() for w in _strings(source, "negators", data.get("negators", []))),
        skip_pos=frozenset(_strings(source, "skip_pos", data.get("skip_pos", []))),
        skip_entities=frozenset(_strings(source, "skip_entities", data.get("skip_entities", []))),
        window=window,
        negation=negation,
        evidence_max=evidence_max,
    )


def _load(path: Path | None) -> ToneLexicon:
    data, source = read_toml(path, _DATA_FILE, "tone")
    return parse_tone(data, source, read_vader())


@functools.lru_cache(maxsize=1)
def _default() -> ToneLexicon:
    return _load(None)


def load_tone(path: str | Path | None = None) -> ToneLexicon:
    """Load and check the tone lexicon: VADER's words adapted by the bundled ``tone.toml`` or a file like it."""
    return _default() if path is None else _load(Path(path))


# --------------------------------------------------------------------------- reading a document


@dataclass(frozen=True, slots=True)
class _Hit:
    word: str  # as shown in the evidence: the word lower-cased, "not " before it when negated
    valence: float


@dataclass(frozen=True, slots=True)
class DocTone:
    """Per sentence of one document: its word count and its sentiment words. A record, no spaCy objects."""

    words: tuple[int, ...]
    hits: tuple[tuple[_Hit, ...], ...]
    evidence_max: int = field(default=10, repr=False)

    def of_sentences(self, indices: Iterable[int]) -> Tone:
        """The tone of the given sentences taken together (an event's evidence)."""
        idx = sorted({i for i in indices if 0 <= i < len(self.words)})
        return _tone(sum(self.words[i] for i in idx), [h for i in idx for h in self.hits[i]], self.evidence_max)

    @property
    def article(self) -> Tone:
        return self.of_sentences(range(len(self.words)))


def _tone(n_words: int, hits: list[_Hit], limit: int) -> Tone:
    if n_words == 0:
        return Tone(None, (), 0)
    total = sum(h.valence for h in hits)
    score = round(100.0 * total / (_VALENCE_MAX * n_words), 2)
    pull: dict[str, float] = {}
    for h in hits:
        pull[h.word] = pull.get(h.word, 0.0) + abs(h.valence)
    evidence = sorted(pull, key=lambda w: -pull[w])[:limit]  # stable: ties keep text order
    return Tone(score + 0.0, tuple(evidence), n_words)


def measure_tone(doc: Doc, sent_tokens: Iterable[tuple[int, int]], lexicon: ToneLexicon) -> DocTone:
    """Count the words and find the sentiment words of every sentence of ``doc``, in one pass."""
    valence = lexicon.valence
    negators = lexicon.negators
    skip_pos, skip_ent = lexicon.skip_pos, lexicon.skip_entities
    window = lexicon.window
    words: list[int] = []
    hits: list[tuple[_Hit, ...]] = []
    for start, stop in sent_tokens:
        n = 0
        found: list[_Hit] = []
        negator = -1  # token index of the last negator not yet applied to a sentiment word
        for i in range(start, stop):
            tok = doc[i]
            lower = tok.lower_
            if lower in negators or tok.dep_ == "neg":
                negator = i
            if not tok.is_alpha:
                continue
            n += 1
            v = valence.get(lower)
            if v is None:
                v = valence.get(tok.lemma_.lower())
                if v is None:
                    continue
            if tok.pos_ in skip_pos or tok.ent_type_ in skip_ent:
                continue
            negated = start <= negator < i and i - negator <= window
            negator = -1  # a negation reaches the first sentiment word after it only
            if negated:
                found.append(_Hit(f"not {lower}", v * lexicon.negation))
            else:
                found.append(_Hit(lower, v))
        words.append(n)
        hits.append(tuple(found))
    return DocTone(tuple(words), tuple(hits), lexicon.evidence_max)
