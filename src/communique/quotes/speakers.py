"""Speakers: the source of a cue, found in the parse and resolved to an actor.

The subject of the reporting verb is the speaker; a relative clause ("officials, who
said …"), a participle ("a statement saying …"), an added verb ("…, adding that …")
or a conjoined one takes the subject of the noun or verb it hangs on; a passive gives
its agent. The speaker's head is resolved through ``Mentions``: a named entity to its
actor, a pronoun to its antecedent (or, failing that, to the speaker of the quotation
before), and a description ("one official, who briefed reporters …") to an actor named
by its words, with its role and, when the article codes the same kind of source
elsewhere ("US officials said …"), that country.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy
from spacy.attrs import LEMMA
from spacy.tokens import Doc, Token

from ..mentions import PERSON_PRONOUNS, PLURAL_PRONOUNS, Mentions
from ..records import Actor, Quote, Span

_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_TRIM = " \t\n\xa0,.;:—–-("
_FIRST_PERSON = frozenset({"i", "we", "me", "us", "you"})
_PREMODIFIERS = frozenset({"det", "amod", "compound", "nummod", "poss", "nmod"})


class Speakers:
    """Finds and resolves the speakers of one article's cues."""

    def __init__(self, doc: Doc, text: str, m: Mentions, sent_of: list[int], quoted: Callable[[int], bool],
                 is_cue: Callable[[Token], bool]) -> None:
        self.doc = doc
        self.text = text
        self.m = m
        self.sent_of = sent_of
        self.quoted = quoted  # whether token i stands between quotation marks
        self.is_cue = is_cue
        self._lemmas: numpy.ndarray | None = None
        self._coded: dict[int, Actor | None] = {}

    # ------------------------------------------------------------------ finding

    def subject(self, v: Token, depth: int = 0) -> Token | None:
        """The source of the reporting verb ``v``, or None."""
        quoted = self.quoted
        for c in v.children:
            if c.dep_ == "nsubj":
                if c.lower_ in _RELATIVE and v.dep_ == "relcl":
                    return v.head
                if c.lower_ in _RELATIVE or c.lower_ == "there" or quoted(c.i):
                    continue
                return c
            if c.dep_ == "agent":
                for o in c.children:
                    if o.dep_ == "pobj":
                        return o
        if any(c.dep_ == "nsubj" and quoted(c.i) for c in v.children):
            # "“… panic mode,” said Leslie Wimes": the parser took a quoted noun for the subject
            for c in v.rights:
                if c.pos_ in ("PROPN", "NOUN") and not quoted(c.i) and c.dep_ in (
                        "dobj", "attr", "dep", "npadvmod", "appos", "oprd", "nsubj"):
                    return c
        if v.dep_ in ("relcl", "acl") and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return v.head
        if v.pos_ != "VERB":  # a verb tagged as a noun: "Trump claims that …"
            for c in v.lefts:
                if c.dep_ == "compound":
                    return c
        if depth < 3:
            h = v.head
            if v.dep_ == "pcomp" and h.dep_ == "prep":  # "refuses to discuss …, aside from saying …"
                h = h.head
            if h is not v and h.pos_ in ("VERB", "AUX") and v.dep_ in ("conj", "advcl", "xcomp", "pcomp"):
                if v.dep_ == "advcl" and v.tag_ == "VBG":
                    # "analysts said factors have contributed …, citing …": the speaker of the cue above
                    a = h
                    while a.dep_ in ("ccomp", "conj", "xcomp", "advcl") and a.head != a:
                        a = a.head
                        if self.is_cue(a):
                            found = self.subject(a, depth + 1)
                            if found is not None:
                                return found
                return self.subject(h, depth + 1)
        if depth == 0 and v.i > 0 and self.m.entity_at(v.i - 1) is not None and not quoted(v.i - 1):
            return self.doc[v.i - 1]  # a name right before the verb the parser did not make its subject
        return None

    def alone(self, i: int, last: Quote | None) -> tuple[Actor | None, Span | None]:
        """A quotation without a cue: the speaker of the quotation before it, within the
        paragraph before; else the nearest person or official subject of the sentence before."""
        doc = self.doc
        text = self.text
        if last is not None and last.speaker is not None:
            between = text[last.content.end:doc[i].idx]
            if between.count("\n") <= 2 and len(between.split()) <= 60:
                return last.speaker, last.speaker_span
        s = self.sent_of[i]
        j = i - 1
        while j >= 0 and self.sent_of[j] == s:
            j -= 1
        best: Token | None = None
        while j >= 0 and self.sent_of[j] == s - 1:
            t = doc[j]
            if t.dep_ == "nsubj" and t.lower_ not in _FIRST_PERSON:
                actors = self.m.actors(t, expand=False)
                if actors and (actors[0].kind == "PERSON" or actors[0].role):
                    best = t
            j -= 1
        if best is None:
            return None, None
        return self.resolve(best, None, None)

    # ------------------------------------------------------------------ resolving

    def _np(self, h: Token, avoid: Span | None) -> tuple[int, int]:
        """Token range [a, b) of the speaker's noun phrase, appositions and relative clauses included,
        unless they run into the content."""
        a, b = h.left_edge.i, h.right_edge.i + 1
        doc = self.doc
        if avoid is not None and doc[a].idx < avoid.end and doc[b - 1].idx + len(doc[b - 1].text) > avoid.start:
            a, b = h.i, h.i + 1
            ent = self.m.entity_at(h.i)
            if ent is not None:
                while a - 1 >= 0 and self.m.entity_at(a - 1) is ent:
                    a -= 1
                while b < len(doc) and self.m.entity_at(b) is ent:
                    b += 1
            else:
                a = min((c.left_edge.i for c in h.lefts if c.dep_ in _PREMODIFIERS), default=h.i)
            for c in h.rights:  # "Mr. Kamin, who emphasized …": the relative pronoun stands for the speaker
                if c.dep_ == "relcl":
                    rel = next((x for x in c.lefts if x.dep_ == "nsubj" and x.lower_ in _RELATIVE), None)
                    if rel is not None and not (avoid.start <= rel.idx < avoid.end):
                        b = rel.i + 1
        while a < h.i and (doc[a].is_punct or doc[a].is_space):
            a += 1
        while b - 1 > h.i and (doc[b - 1].is_punct or doc[b - 1].is_space):
            b -= 1
        return a, b

    def span(self, a: int, b: int) -> Span:
        doc = self.doc
        c0, c1 = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
        text = self.text
        while c0 < c1 and (text[c1 - 1] in _TRIM or (text[c1 - 1] == ")" and "(" not in text[c0:c1])):
            c1 -= 1
        while c0 < c1 and text[c0] in _TRIM:
            c0 += 1
        return Span(c0, c1, text[c0:c1], self.sent_of[a])

    def resolve(self, h: Token, content: Span | None, last: Quote | None) -> tuple[Actor | None, Span | None]:
        """The actor and the text span of the speaker whose head is ``h``."""
        a, b = self._np(h, content)
        sp = self.span(a, b)
        low = h.lower_
        if low in PLURAL_PRONOUNS and last is not None and last.speaker is not None \
                and last.speaker.kind != "PERSON" and last.content.sentence is not None \
                and self.sent_of[h.i] - last.content.sentence <= 2:
            return _with_span(last.speaker, sp), sp  # "US officials said … nor did they say …"
        actors = self.m.actors(h, expand=False)
        if actors:
            actor = actors[0]
            if actor.kind is None and h.pos_ == "NOUN":  # a description: named by its own words
                actor = Actor(name=self._description(h), country=actor.country, igo=actor.igo,
                              sector=actor.sector, role=actor.role, spans=actor.spans)
                if not actor.coded:
                    actor = self._with_context(actor, h)
            return _with_span(actor, sp), sp
        if h.pos_ == "PRON" or low in PERSON_PRONOUNS | PLURAL_PRONOUNS:
            if last is not None and last.speaker is not None and low not in _FIRST_PERSON and (
                    (low in PERSON_PRONOUNS) == (last.speaker.kind == "PERSON")):
                return _with_span(last.speaker, sp), sp
            return Actor(name=h.text, spans=(sp,)), sp
        name = self._description(h)
        actor = Actor(name=name, kind=_kind(h), spans=(sp,))
        if h.pos_ == "NOUN":
            actor = self._with_context(actor, h)
        return actor, sp

    def by_text(self, c0: int, c1: int) -> tuple[Actor | None, Span | None]:
        """A speaker given as text (a transcript's "PENCE:", a dash's "― Sonya Herridge")."""
        doc = self.doc
        text = self.text
        sp = Span(c0, c1, text[c0:c1])
        span = doc.char_span(c0, c1, alignment_mode="expand")
        toks = list(span) if span is not None else []
        if toks:
            sp = Span(c0, c1, text[c0:c1], self.sent_of[toks[0].i])
            for t in toks:
                if self.m.entity_at(t.i) is not None:
                    actors = self.m.actors(t, expand=False)
                    if actors:
                        return _with_span(actors[0], sp), sp
            name = text[c0:c1]
            for e in self.m.entities:  # "PENCE" → Mike Pence
                if e.kind == "PERSON" and name.lower() in e.name.lower().split():
                    return Actor(name=e.name, country=e.country, igo=e.igo, sector=e.sector, role=e.role,
                                 kind=e.kind, registry_id=e.registry_id, spans=(sp,)), sp
        return Actor(name=text[c0:c1], spans=(sp,)), sp

    def _description(self, h: Token) -> str:
        """ "one official", "senior administration officials": premodifiers and head, no determiner."""
        doc = self.doc
        a = min((c.left_edge.i for c in h.lefts if c.dep_ in _PREMODIFIERS), default=h.i)
        while a < h.i and (doc[a].lower_ in _DETERMINERS or doc[a].is_punct or doc[a].is_space):
            a += 1
        return doc[a:h.i + 1].text

    def _with_context(self, actor: Actor, h: Token) -> Actor:
        """An unnamed source takes the country the article gives the same kind of source elsewhere."""
        if self._lemmas is None:
            self._lemmas = self.doc.to_array(LEMMA)
        cands = [i for i in numpy.flatnonzero(self._lemmas == h.lemma).tolist() if i != h.i]
        cands.sort(key=lambda i: (i > h.i, abs(i - h.i)))
        for i in cands:
            if i not in self._coded:
                self._coded[i] = next((o for o in self.m.actors(self.doc[i], expand=False) if o.coded), None)
            other = self._coded[i]
            if other is not None:
                return Actor(name=actor.name, country=other.country, igo=other.igo,
                             sector=actor.sector or other.sector, role=actor.role or other.role,
                             kind=actor.kind, spans=actor.spans)
        return actor


def _kind(h: Token) -> str | None:
    return "PERSON" if h.ent_type_ == "PERSON" else None


def _with_span(actor: Actor, sp: Span) -> Actor:
    return Actor(name=actor.name, country=actor.country, igo=actor.igo, sector=actor.sector, role=actor.role,
                 kind=actor.kind, registry_id=actor.registry_id, aliases=actor.aliases, spans=(sp,))
