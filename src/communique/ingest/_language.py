"""Language identification: which language an article is written in, offline.

py3langid's naive Bayes model ships inside its wheel (140 languages); it is loaded
once, on first use (about 0.6 s), and then takes a fraction of a millisecond per
article, because only the title and the first ``SAMPLE_CHARS`` characters are read.

Skipping an English article loses its events, while keeping a foreign one only
costs a parse, so a language other than the declared one (else English) is taken
only when the model is sure: at least ``MIN_LETTERS`` letters and a probability of
at least ``MIN_CONFIDENCE``. Short texts, lists of names and the like keep the
language the input declares.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

__all__ = ["MIN_CONFIDENCE", "MIN_LETTERS", "SAMPLE_CHARS", "Guess", "detect_language", "normalise_language"]

SAMPLE_CHARS = 2000
MIN_LETTERS = 20
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class Guess:
    """The model's best language (ISO 639 code) for a text and its probability (0…1)."""

    language: str
    confidence: float

    @property
    def sure(self) -> bool:
        return self.confidence >= MIN_CONFIDENCE


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, title: str | None = None) -> Guess | None:
    """The language of ``title`` and ``text`` (its first ``SAMPLE_CHARS`` characters),
    or None when there are fewer than ``MIN_LETTERS`` letters to judge by."""
    sample = f"{title}\n{text[:SAMPLE_CHARS]}" if title else text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(sample)
    return Guess(str(language), float(confidence))


def normalise_language(value: str | None) -> str | None:
    """A declared language as a lower-case primary subtag: ``en-GB`` and ``EN_us`` → ``en``."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary or None
