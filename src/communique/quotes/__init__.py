"""Quotations: who said what, with the cue and the speaker resolved to an actor.

``find_quotes`` reads one parsed article and returns ``Quote`` records of three kinds:

* **direct**: text between quotation marks (``marks.py``: straight and curly, nested,
  continued over paragraphs) of at least ``MIN_WORDS`` words, attributed by its
  sentence's reporting verb ("…,” X said", "said X", "X told reporters: “…”"), by
  "X said:" ending the sentence or paragraph before it, by a dash after it ("… ” ― X"),
  by a speaker's turn in a transcript ("PENCE: …"), or, when it stands alone, to the
  speaker of the quotation before it or the nearest compatible subject of the sentence
  before it. Quoted fragments that follow an attribution in the same paragraph
  ("“A,” said X. “B.”") extend it: the content runs from the first to the last mark.
* **mixed**: a reported clause that holds quoted words ("said the US would “push …”"):
  the content is the whole clause.
* **indirect**: "X said (that) CLAUSE", "X told Y CLAUSE", "CLAUSE, X said", "according to
  X, CLAUSE", "X vowed to …", "X called for …": the reporting verbs and the frames in
  which they carry content are data (``cues.toml``, loaded by ``lexicon.py``).

Quoted words of fewer than ``MIN_WORDS`` words outside any reported clause are scare
quotes (“intentionally”), not quotations. ``Quote.direct`` is true when the content
holds quotation marks.

The content span is the reported clause or the quoted stretch, marks included,
without a trailing comma or period outside the marks. The speaker is the subject of
the cue (through relative clauses, "adding that …" and conjoined verbs to the subject
of the main verb; a passive's agent; the object of "according to"), resolved through
``Mentions`` (``speakers.py``): named people and organisations to their entity,
pronouns to their antecedent, and descriptions ("one official, who briefed reporters
on condition of anonymity") kept as described, with the country the article gives
that kind of source elsewhere ("US officials").
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..mentions import Mentions
from ..records import Quote
from .finder import Finder
from .frames import MIN_WORDS
from .lexicon import CueLexicon, load_cues

__all__ = ["MIN_WORDS", "find_quotes"]


def find_quotes(doc: Doc, m: Mentions, sent_of: list[int], sent_tokens: list[tuple[int, int]], *,
                lexicon: CueLexicon | None = None, text: str | None = None) -> list[Quote]:
    """Every quotation of one parsed article, in text order (see the module docstring).

    ``sent_of`` maps each token to its sentence and ``sent_tokens`` gives each sentence's token
    range; ``text`` is ``doc.text`` when the caller has it at hand (it saves joining the tokens)."""
    return Finder(doc, m, sent_of, sent_tokens, lexicon or load_cues(), text).run()
