"""Quotations: direct quotes with their cue verb and speaker.

A direct quotation is text between quotation marks (straight or curly) of at least
four words: shorter quoted fragments are scare quotes ("intentionally"). The cue is
the reporting verb of the sentence that holds the quote; the speaker is that verb's
subject, resolved through the article's mentions (so "one official" keeps its
description, and "Blinken" links to Antony Blinken).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from .mentions import Mentions
from .records import Actor, Quote, Span

_QUOTE = re.compile(r"“([^”]{3,}?)”|\"([^\"\n]{3,}?)\"")
SPEECH_VERBS = frozenset({
    "say", "tell", "add", "state", "declare", "announce", "note", "write", "warn", "insist", "argue",
    "explain", "claim", "stress", "assert", "remark", "reply", "respond", "comment", "urge", "accuse",
    "acknowledge", "admit", "confirm", "deny", "describe", "predict", "promise", "pledge", "vow", "ask",
    "call", "suggest", "conclude", "emphasize", "emphasise", "recall", "report", "tweet", "post",
})
MIN_WORDS = 4


def _cue_near(doc: Doc, start: int, end: int, sent_bounds: tuple[int, int]) -> Token | None:
    """The reporting verb of the quote: outside the quote, in its sentence (or the next/previous one)."""
    s0, s1 = sent_bounds
    best: Token | None = None
    for t in doc[s0:s1]:
        if start <= t.idx < end or t.lemma_.lower() not in SPEECH_VERBS or t.pos_ not in ("VERB", "AUX"):
            continue
        if best is None or abs(t.idx - start) < abs(best.idx - start):
            best = t
    return best


def find_quotes(doc: Doc, m: Mentions, sent_of: list[int], sent_tokens: list[tuple[int, int]]) -> list[Quote]:
    text = doc.text
    out: list[Quote] = []
    for mt in _QUOTE.finditer(text):
        g = 1 if mt.group(1) is not None else 2
        c0, c1 = mt.start(g), mt.end(g)
        content = text[c0:c1]
        if len(content.split()) < MIN_WORDS:
            continue
        tok = doc.char_span(c0, c1, alignment_mode="expand")
        if tok is None:
            continue
        si = sent_of[tok.start]
        cue = _cue_near(doc, c0, c1, (sent_tokens[si][0], sent_tokens[sent_of[tok.end - 1]][1]))
        if cue is None and si + 1 < len(sent_tokens):
            cue = _cue_near(doc, c0, c1, sent_tokens[si + 1])
        speaker: Actor | None = None
        speaker_span: Span | None = None
        if cue is not None:
            for c in cue.children:
                if c.dep_ in ("nsubj", "nsubjpass") and not (c0 <= c.idx < c1):
                    actors = m.actors(c, expand=False)
                    left = c.left_edge
                    sp = doc[left.i:c.i + 1]
                    speaker_span = Span(sp.start_char, sp.end_char, sp.text, sent_of[c.i])
                    speaker = actors[0] if actors else Actor(name=sp.text, spans=(speaker_span,))
                    break
        out.append(Quote(
            content=Span(c0, c1, content, si),
            speaker=speaker,
            speaker_span=speaker_span,
            cue=Span(cue.idx, cue.idx + len(cue.text), cue.text, sent_of[cue.i]) if cue is not None else None,
            direct=True,
        ))
    return out
