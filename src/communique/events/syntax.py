"""Token helpers over the dependency parse: base forms, a word's clause, its owner, its objects.

Nothing here knows the lexicon's meaning of a word; the helpers only read the parse
(and, for ``objects_of``, an entry's prepositions).
"""

from __future__ import annotations

from spacy.tokens import Token

from .lexicon import Entry
from .words import WORDS

SUBJ = ("nsubj", "csubj")
PREP_DEPS = ("prep", "prt", "agent", "dative", "advmod", "acomp")
NOUN_POS = {"NOUN", "PROPN"}


def forms(t: Token) -> tuple[str, ...]:
    """The lemma and the base forms a surface could have, for the model's lemma slips ("staged" → "stag")."""
    low, lem = t.lower_, t.lemma_.lower()
    out = [lem, low]
    if low.endswith("ied"):
        out.append(low[:-3] + "y")
    if low.endswith("ed"):
        out += [low[:-1], low[:-2]]
        if len(low) > 4 and low[-3] == low[-4]:
            out.append(low[:-3])  # "planned" → "plan"
    elif low.endswith("ing"):
        out += [low[:-3], low[:-3] + "e"]
    elif low.endswith("es"):
        out += [low[:-1], low[:-2]]
    elif low.endswith("s"):
        out.append(low[:-1])
    return tuple(dict.fromkeys(out))


def of_time(p: Token) -> bool:
    """A preposition that only dates the clause ("on Sunday", "in June"), not one of the verb's own."""
    objs = [g for g in p.children if g.dep_ == "pobj"]
    return bool(objs) and all(g.ent_type_ in ("DATE", "TIME") for g in objs)


def of_people(t: Token) -> bool:
    """A thing of people: "a meeting of Palestinian factions"."""
    return any(g.dep_ == "pobj" and g.tag_ in ("NNS", "NNPS") for p in t.children if p.dep_ == "prep"
               and p.lower_ == "of" for g in p.children)


def preps_of(t: Token) -> list[Token]:
    """The prepositions (and particles, agents, datives) on a word."""
    out = []
    for c in t.children:
        if c.dep_ in PREP_DEPS:
            out.append(c)
            if c.dep_ == "advmod":  # "grow closer to"
                out.extend(g for g in c.children if g.dep_ == "prep")
    return out


#: prepositions of circumstance: what they introduce is never what a verb acts on ("ended the talks without
#: an agreement" does not end an agreement)
_CIRCUMSTANCES = frozenset({"without", "despite", "after", "before", "since", "until", "during", "amid", "following",
                            "ahead"})


def objects_of(e: Entry, t: Token) -> list[Token]:
    """What a verb acts on: its objects and the objects of the entry's prepositions."""
    objs = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")
            or (c.dep_ == "npadvmod" and c.pos_ == "NOUN")]  # "gave the junta a week to …"
    for p in preps_of(t):
        if (not e.prep and p.lower_ not in _CIRCUMSTANCES) or p.lower_ in e.prep:
            objs.extend(c for c in p.children if c.dep_ in ("pobj", "pcomp"))
    for o in list(objs):  # "captured part of a stronghold", "ended two days of talks"
        if o.lower_ in WORDS.partitives or o.lemma_.lower() in WORDS.measures:
            objs.extend(g for p in o.children if p.dep_ == "prep" and p.lower_ == "of"
                        for g in p.children if g.dep_ == "pobj")
    return objs


def possessor(t: Token) -> Token | None:
    """Whose a noun is: "Wang's trip", "US sanctions"."""
    for c in t.children:
        if c.dep_ == "poss" or (c.dep_ in ("compound", "amod", "nmod", "nsubj") and c.ent_type_ in (
                "GPE", "NORP", "ORG", "PERSON")):
            return c
    return None


def clause_verb(t: Token) -> Token | None:
    """The verb of the clause a word is in."""
    h = t
    for _ in range(8):
        if h.pos_ in ("VERB", "AUX") and h.dep_ not in ("amod", "compound"):
            return h
        if h.head == h:
            return None
        h = h.head
    return None


def verbless_ok(t: Token) -> bool:
    """A nominal trigger without a light verb counts when it is the subject or a main argument
    ("phone calls were held", "talks with X took place")."""
    return t.dep_ in ("nsubj", "nsubjpass", "ROOT")


def pronoun_free(t: Token) -> bool:
    """Whether a noun phrase names its owner itself ("Ugandan candidates"), not by a pronoun
    ("its borders"), which would make the actor its own recipient."""
    return not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in t.children)


def has_infinitive(v: Token) -> bool:
    """Whether a verb is a to-infinitive ("to send tanks")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
