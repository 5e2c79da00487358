"""Factuality: whether an event happened, will happen, might happen, or did not, from the grammar.

``factuality`` reads negation, modals, control verbs and conditionals along the trigger's
chain of governing verbs; ``made`` and ``negation`` say what that makes of a saying and of a
negated act whose lexicon entry has a ``negated_type``; ``conditional`` and ``in_condition``
find conditions. What a condition, a promise or a threat makes of an act is in the rule
table (``rewrites``).
"""

from __future__ import annotations

from spacy.tokens import Token

from .matching import VERBAL_ACTS, Found
from .syntax import has_infinitive
from .words import WORDS

_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_SPEC_AUX = {"may", "might", "could", "can"}
_CONDITIONAL_MARKS = {"unless"}
_TIME_LIMITS = {"until", "till", "before", "once"}
#: a negated act of yielding with one of these is a refusal ("will not talk to", "won't sign")
_REFUSING_AUX = {"will", "would", "wo", "shall"}
#: acts one grants or yields: saying one will not do them refuses them
_YIELDING = frozenset({"AGREE", "CONCEDE", "RETREAT", "COOPERATE", "AID", "SUPPORT", "CONSULT"})


def habitual(f: Found) -> bool:
    """A present-tense statement of what usually happens ("gunmen often attack convoys on this road"), an
    adverb of habit on the trigger's verb: background, not an event."""
    v = f.verb if f.verb is not None else f.trigger
    if v.tag_ not in ("VBP", "VBZ") or any(c.dep_ in ("aux", "auxpass") for c in v.children):
        return False
    return any(c.dep_ == "advmod" and c.lower_ in WORDS.habitual for c in v.children)


def factuality(v: Token | None) -> str:
    """asserted, negated, planned, speculative or hypothetical, from the verb and what governs it."""
    if v is None:
        return "asserted"
    chain = [v]
    h = v
    while h.dep_ in ("conj", "xcomp", "ccomp", "advcl", "pcomp", "acomp") and h.head != h and len(chain) < 6:
        if h.dep_ == "conj" and (any(c.dep_ in ("aux", "auxpass", "neg", "nsubj", "nsubjpass") for c in h.children)
                                 or h.tag_ in ("VBD", "VBZ", "VBP")):
            break  # a conjunct with its own tense has its own factuality
        h = h.head
        chain.append(h)
    if v.dep_ == "pcomp" and v.head.lower_ == "without":
        return "negated"  # "agreed to step down without going home"
    result = "asserted"
    if v.dep_ == "acl" and v.head.lemma_.lower() in WORDS.intentions and has_infinitive(v):
        return "hypothetical" if v.head.lemma_.lower() in ("offer", "proposal") else "planned"
    for i, x in enumerate(chain):
        kids = list(x.children)
        lem = x.lemma_.lower()
        if i > 0 and lem in WORDS.neg_control:
            return "negated"
        if any(c.dep_ == "neg" for c in kids) or any(c.lower_ in ("never", "no") and c.dep_ in (
                "neg", "advmod", "det") for c in kids):
            # a conjunct shares the negation only when it shares the auxiliary: "did not confirm or
            # deny", not "did not want a war and called for talks"
            if i == 0 or (chain[i - 1].dep_ == "conj" and chain[i - 1].tag_ == "VB"):
                return "negated"
        if x.dep_ == "ccomp" and any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in kids):
            return "speculative"  # "did not say whether the envoy will come": an open question
        if any(c.dep_ == "mark" and c.lower_ == "if" for c in kids) or any(
                c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "if" for g in c.children)
                for c in kids if i == 0):
            return "hypothetical"
        auxes = {c.lower_ for c in kids if c.dep_ in ("aux", "auxpass")}
        if auxes & _SPEC_AUX or (i > 0 and lem in WORDS.spec_control) or any(
                c.lower_ in ("likely", "possibly", "perhaps", "reportedly") for c in kids):
            return "speculative"
        if auxes & {"would"} and i == 0:
            result = "planned"  # future in the past ("said the US would push"); conditionals caught above
        if auxes & _FUTURE_AUX or (i > 0 and lem in WORDS.plan_control) or (
                "going" in {c.lower_ for c in kids} and x.tag_ == "VB"):
            if result == "asserted":
                result = "planned"
        if x.dep_ not in ("conj", "xcomp"):
            break
    if result == "asserted" and v.tag_ == "VB" and any(c.lower_ == "to" for c in v.children) and \
            v.dep_ in ("xcomp",) and v.head.lemma_.lower() in {"be"}:
        result = "planned"
    return result


def conditional(f: Found) -> bool:
    """Whether the act is made on a condition: "will withdraw unless ..."."""
    v = f.verb if f.verb is not None else f.trigger
    return any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in _CONDITIONAL_MARKS for g in c.children)
               for c in v.children)


def in_condition(f: Found) -> bool:
    """Whether the trigger's clause is only a condition or a time limit of another act: "unless
    Baghdad accepted its conditions", "until their demands are met", "before they demobilize"."""
    v = f.verb if f.verb is not None else f.trigger
    for _ in range(4):
        if v.dep_ == "advcl":
            marks = {g.lower_ for g in v.children if g.dep_ in ("mark", "advmod")}
            if marks & {"unless", "if"}:
                return True
            if marks & _TIME_LIMITS and v.tag_ in ("VB", "VBP", "VBZ", "VBN") and not any(
                    g.dep_ in ("aux", "auxpass") and g.tag_ == "VBD" for g in v.children):
                return True  # a condition still to be met, not something that happened
        if v.dep_ in ("ROOT",) or v.head == v:
            return False
        v = v.head
    return False


def made(f: Found, fact: str) -> str:
    """A warning, demand or accusation about something hypothetical is made all the same."""
    e = f.entry
    if fact == "hypothetical" and e.type in VERBAL_ACTS | {"ACCUSE"} and f.verb is not None and not any(
            c.dep_ == "aux" and c.lower_ in ("would", "could", "might") for c in f.verb.children):
        return "asserted"  # "warned Pyongyang of consequences if it tests": the warning was made
    return fact


def negation(f: Found, fact: str) -> tuple[str, str | None, str]:
    """(type, mode, factuality) of a negated act whose lexicon entry names what its negation is
    (``negated_type``); any other act as it is."""
    if fact == "negated" and f.entry.negated_type:
        return f.entry.negated_type, None, "asserted"  # "will not accept X" rejects X
    v = f.verb if f.verb is not None else f.trigger
    if fact == "negated" and f.entry.type == "SUPPORT" and not any(
            c.dep_ == "aux" and c.lower_ in _SPEC_AUX for c in v.children):
        return "REJECT", None, "asserted"  # "does not recognise the zone", "did not endorse the plan": a stance against
    if fact == "negated" and f.entry.type in _YIELDING and any(
            c.dep_ == "aux" and c.lower_ in _REFUSING_AUX for c in v.children):
        # "would not negotiate with the rebels", "said it will not sign the accord", "would not step down",
        # "would not allow foreign troops in": a refusal, made when it is said
        return "REJECT", "meet" if f.entry.type == "CONSULT" else None, "asserted"
    return f.entry.type, f.mode, fact
