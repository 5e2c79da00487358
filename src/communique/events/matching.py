"""Triggers: which words report an event, by which lexicon entry, in which mode.

A word is a trigger when its lemma is in the lexicon and the entry's conditions hold
(particle, object, modifier, light verb, complement, modal); ``prune`` then drops the
triggers that another trigger already codes or that are only the content of a saying
("agreed to resume talks"). The trained trigger model, when the coder uses it, vetoes
and adds triggers here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from .lexicon import Entry, Lexicon
from .model import TriggerModel, doc_scores
from .syntax import (
    NOUN_POS,
    SUBJ,
    clause_verb,
    forms,
    has_infinitive,
    objects_of,
    of_time,
    possessor,
    preps_of,
    verbless_ok,
)
from .words import WORDS

# types whose complement is what was said, asked, promised or refused, not an act of its own
VERBAL_ACTS = {"AGREE", "REQUEST", "THREATEN", "REJECT"}
RESPONSES = {"REJECT", "AGREE", "SUPPORT"}
_PROPOSALS = WORDS.documents | WORDS.proposals
_SAYING = WORDS.reporting | WORDS.saying
# prepositions that set an act in the circumstance of a meeting ("during a call with", "in talks with")
_CIRCUMSTANCE = ("in", "during", "at", "after", "following", "before")
# where a push moves something, not someone to act: "pushing the index up", "pushed forward into the town"
_MOTIONS = {"up", "down", "forward", "ahead", "back", "out", "into", "through", "on", "higher", "lower"}
_GENERIC_SLOTS = {
    "verb": ("dobj", "dative", "prep:against", "prep:on", "prep:with", "prep:to", "prep:at", "prep:from",
             "prep:into", "prep:over", "prep:for"),
    "noun": ("prep:against", "prep:on", "prep:with", "prep:of", "prep:to", "prep:between", "prep:at", "prep:from",
             "prep:into", "prep:over"),
}


@dataclass(frozen=True, slots=True)
class Found:
    entry: Entry
    trigger: Token
    verb: Token | None  # the clause's verb (the light verb for a nominal trigger)
    mode: str | None
    light: bool = True  # False when ``verb`` is only the clause around a verbless nominal trigger


#: parts of speech the verb path of ``match`` reads
_VERBAL_POS = frozenset({"VERB", "AUX", "ADJ"})


def match(t: Token, lex: Lexicon) -> Found | None:
    """The trigger a word is, by the first lexicon entry whose conditions hold, or None."""
    lemma = t.lemma_.lower()
    pos = t.pos_
    nouns = lex.nouns.get(lemma, ()) or lex.nouns.get(t.lower_, ())
    if not nouns and pos not in _VERBAL_POS:
        return None  # most words: no entry can hold (the verb path needs a verb, an auxiliary or an adjective)
    as_noun = pos in NOUN_POS or (pos == "VERB" and any(c.dep_ in ("poss", "det") for c in t.children))
    if (pos in ("VERB", "AUX") or (pos == "ADJ" and t.dep_ in ("acomp", "ROOT"))) and not as_noun:
        entries = lex.verbs.get(lemma, ())
        if not entries:
            entries = next((lex.verbs[f] for f in forms(t) if f in lex.verbs), ())
        for e in entries:
            if _verb_ok(e, t, lex):
                return Found(e, t, t, mode_of(e, t))
    if as_noun:
        first: Found | None = None
        for e in nouns:
            f = _noun_ok(e, t, lex)
            if f is None:
                continue
            if len(nouns) == 1 or _sense_named(e, t):
                return f
            first = first or f
        return first
    return None


def _sense_named(e: Entry, t: Token) -> bool:
    """Whether a noun's modifiers name one of an entry's modes: the sense of a noun with several ("a drone
    strike" is an attack, "a hunger strike" a protest; "a police raid" a search, "an air raid" an attack).
    Without such a modifier the lexicon's first entry that holds is taken."""
    words = {w for c in t.children if c.dep_ in ("amod", "compound", "nmod")
             for w in (c.lemma_.lower(), c.lower_)} - {t.lemma_.lower(), t.lower_}
    return any(words & lemmas for _mode, lemmas in e.modes)


def _mobilised(t: Token, lex: Lexicon) -> bool:
    """Whether a verb's object is what the verb's MOBILIZE entry sets moving ("called up reservists")."""
    return any(o.dep_ == "dobj" and o.lemma_.lower() in en.object for o in t.children
               for en in lex.verbs.get(t.lemma_.lower(), ()) if en.type == "MOBILIZE" and en.object)


def _verb_ok(e: Entry, t: Token, lex: Lexicon) -> bool:
    """Whether a verb entry's conditions hold for a word."""
    if e.type == "ASSAULT" and any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in t.children) \
            and not any(c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in ("at", "on", "against"))
                        for c in t.children):
        return False  # "hitting back after Washington raised duties": retaliation in words
    if e.mode == "visit" and t.lemma_.lower() in _TRAVEL and any(
            c.dep_ in ("auxpass", "nsubjpass") for c in t.children):
        return False  # "was flown to Miami", "were taken to hospital": carried, not visiting
    if e.mode == "visit" and any(c.dep_ == "nsubj" and (c.ent_type_ in _COUNTED or c.lemma_.lower() in _SHARES)
                                 for c in t.children):
        return False  # "80 percent of its exports go to the United States"
    if e.type == "CONSULT" and any(c.dep_ == "oprd" or (c.dep_ == "prt" and (c.lower_ in ("off", "out", "in") or (
            c.lower_ == "up" and _mobilised(t, lex)))) for c in t.children):
        # "called the raid a war crime" names, "called off its truce" ends, "called up reservists" mobilises
        # (what the lexicon's MOBILIZE entry for the verb takes): none of them phones; "called up Yeltsin" does
        return False
    if e.inverse and any(c.dep_ == "dobj" and (c.ent_type_ in _COUNTED or (c.pos_ == "NOUN" and (
            c.lemma_.lower() in lex.nouns or c.lemma_.lower() in _RECEIVED))) for c in t.children):
        return False  # "received a request from Syria" is no visit; "hosted talks" is the talks' event
    if e.type in ("PROTEST", "ACCUSE") and any(c.dep_ == "dobj" and c.pos_ == "NOUN" and (
            t.lemma_.lower() == "demonstrate" or c.lemma_.lower() == "innocence") for c in t.children):
        return False  # "demonstrated a new phone", "protested his innocence": no demonstration
    if e.type == "THREATEN" and t.lemma_.lower() == "warn" and not any(c.dep_ == "dobj" for c in t.children) \
            and any(g.lemma_.lower() in WORDS.hazards for p in t.children if p.dep_ == "prep" and p.lower_ in (
                "of", "about", "against") for g in p.children if g.dep_ == "pobj"):
        return False  # "warned of heavy rain": a forecast, not a threat
    if e.type == "MOBILIZE" and t.lemma_.lower() == "order" and any(c.dep_ == "xcomp" for c in t.children):
        return False  # "ordered troops to withdraw" orders something else
    if e.type == "REQUEST" and not e.complement and t.lemma_.lower() == "seek" and any(
            c.dep_ == "xcomp" for c in t.children):
        return False  # "sought to ease tensions" is an attempt, not a request
    if e.type == "AID" and t.lemma_.lower() in ("help", "assist") and any(
            c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX") for c in t.children):
        return False  # "helped draft the law", "helped organise the vote": a hand in something, not aid
    if e.type == "REQUEST" and not _requests(t):
        return False
    if e.type == "REJECT" and t.lemma_.lower() in WORDS.neg_control and any(
            c.dep_ == "xcomp" and c.lemma_.lower() in WORDS.withheld_words for c in t.children):
        return False  # "declined to comment", "refused to say where": silence, not a refusal of anyone
    if e.modal and not any(c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in e.modal for a in c.children)
                           for c in t.children):
        return False
    if e.complement and not any(
            (c.dep_ in ("xcomp", "oprd") or (c.dep_ == "advcl" and (any(a.lower_ == "to" for a in c.children) or (
                c.tag_ == "VBG" and e.type == "PROTEST") or c.pos_ == "ADJ")))  # "held Iran responsible"
            and c.lemma_.lower() in e.complement for c in t.children):
        return False
    if e.prep and not any(p.lower_ in e.prep and not of_time(p) for p in preps_of(t)) and not any(
            p.dep_ == "prep" and p.lower_ in e.prep for o in t.children if o.dep_ == "dobj" for p in o.children):
        return False  # the preposition may hang on the object: "shared evidence with the US"
    if e.object:
        objs = objects_of(e, t)
        if not any(o.lemma_.lower() in e.object or o.lower_ in e.object for o in objs):
            return False
    if e.not_object and any(c.dep_ == "dobj" and (c.lemma_.lower() in e.not_object or c.lower_ in e.not_object)
                            for c in t.children):
        return False  # "fired his minister", "released a report", "will meet its targets"
    return True


#: entity labels of amounts: what one receives or what goes somewhere is no visitor
_COUNTED = frozenset({"MONEY", "CARDINAL", "PERCENT", "QUANTITY"})
#: parts of a whole: "80 percent of its exports", "half of the aid"
_SHARES = WORDS.partitives | {"percent", "%"}
#: what one receives: a document or a thing, not a visitor
_RECEIVED = WORDS.documents | WORDS.received
#: verbs of travel whose passive carries someone ("was flown to"); being visited is still a visit
_TRAVEL = WORDS.visit_verbs - {"visit", "tour"}


#: what an act invites that no one asks for
_PROVOKED = frozenset({"criticism", "reaction", "rebuke", "condemnation", "scrutiny", "ridicule", "comparison",
                       "backlash", "retaliation", "speculation", "controversy", "anger", "outrage", "protest"})


def _requests(t: Token) -> bool:
    """Whether a verb of asking asks someone for something: not a question ("asked whether the talks
    would resume", "asked about the message") or a push of prices or troops ("pushing the index up",
    "pushed forward into the town")."""
    lemma = t.lemma_.lower()
    if lemma == "ask" and any(
            (c.dep_ in ("ccomp", "advcl") and any(g.dep_ == "mark" and g.lower_ in ("whether", "if") or
                                                   g.tag_ in ("WRB", "WP", "WDT") for g in c.children))
            or (c.dep_ == "prep" and c.lower_ == "about") for c in t.children):
        return False
    if lemma == "invite" and any(c.dep_ == "dobj" and c.lemma_.lower() in _PROVOKED for c in t.children):
        return False  # "inviting sharp criticism": provoking it, not asking anyone
    if lemma in ("push", "press") and not any(
            c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "for") for c in t.children) and any(
            c.dep_ in ("prt", "advmod", "prep") and c.lower_ in _MOTIONS for c in t.children):
        return False
    return True


def _in_circumstance(e: Entry, t: Token) -> bool:
    """Whether a meeting or visit is named as the circumstance of its clause's act, and so is the
    subject's own: "during a phone call with the chancellor, the premier raised …", "in a meeting with
    the emir, the president asked …"; "the president is on a visit to Ukraine", "the minister, on a
    visit to Pakistan, said …", "during a visit to Beijing, the chancellor said …"."""
    p = t.head
    if t.dep_ != "pobj" or p.head.pos_ not in ("VERB", "AUX"):
        return False
    if e.symmetric and p.lower_ in _CIRCUMSTANCE:
        needed = "with"
    elif e.mode == "visit" and (p.lower_ == "on" or p.lower_ in _CIRCUMSTANCE):  # "during a visit to Cairo, …"
        needed = "to"
    else:
        return False
    return any(c.dep_ == "prep" and c.lower_ == needed for c in t.children)


def _noun_ok(e: Entry, t: Token, lex: Lexicon) -> Found | None:
    """The trigger a noun entry makes of a word (with its light verb, or the clause around it), or None."""
    if e.modal and not any(c.dep_ in ("acl", "ccomp", "relcl") and any(
            a.dep_ == "aux" and a.lower_ in e.modal for a in c.children) for c in t.children):
        return None  # "a reminder that Iraq must cooperate"
    if e.modifier and not any(c.lemma_.lower() in e.modifier or c.lower_ in e.modifier
                              for c in t.children if c.dep_ in ("compound", "amod", "nmod")):
        return None
    head = t.head
    verb: Token | None = None
    if t.dep_ == "conj":  # "launched artillery, mortar and rocket fire": the first conjunct's verb
        first = t
        while first.dep_ == "conj" and first.head != first:
            first = first.head
        if first.dep_ == "dobj" and first.head.pos_ in ("VERB", "AUX"):
            t_dep, head = "dobj", first.head
        else:
            t_dep = t.dep_
    elif t.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in WORDS.measures and \
            head.head.dep_ == "dobj":  # "launched ten days of war games", "a series of raids"
        t_dep, head = "dobj", head.head.head
    elif t.dep_ == "pobj" and head.lower_ in ("in", "of") and head.head.dep_ == "dobj" and (
            head.head.ent_type_ == "MONEY" or head.head.lemma_.lower() in WORDS.amounts):
        t_dep, head = "dobj", head.head.head  # "would provide $20 million in humanitarian assistance"
    else:
        t_dep = t.dep_
    if t_dep in ("dobj", "nsubjpass", "pobj") and head.pos_ in ("VERB", "AUX") or (
            t.dep_ == "pobj" and head.head.pos_ == "VERB" and head.lower_ == "with"):
        v: Token | None = head if head.pos_ in ("VERB", "AUX") else head.head
        assert v is not None
        vl = v.lemma_.lower()
        if t_dep == "pobj" and head.lower_ != "with":
            v = None
        elif any(c.dep_ == "oprd" for c in v.children):
            v = None  # "called the strikes a violation": naming them, not calling a strike
        elif e.light is not None:
            v = v if vl in e.light or any(f in e.light for f in forms(v)) else None
        elif vl in lex.blocking:
            v = None
        verb = v
    if verb is None and e.type in ("PROTEST", "ASSAULT") and t.dep_ == "nsubj" and head.pos_ == "VERB" and \
            head.lemma_.lower() in WORDS.occurrences:
        # "protests erupted", "clashes broke out between police and students": the verb of happening
        # carries the event's arguments
        return Found(e, t, head, mode_of(e, t, None))
    if verb is None and e.type == "CONSULT" and e.light is not None and t.dep_ == "nsubj" and \
            head.pos_ == "VERB" and (head.lemma_.lower() in e.light or head.lemma_.lower() in WORDS.occurrences) \
            and any(c.dep_ == "prep" and c.lower_ == "between" for c in t.children):
        # "talks between Israel and Syria resumed on Monday": the talks' own verb, its parties named in the noun
        return Found(e, t, head, mode_of(e, t, None))
    if verb is None and _in_circumstance(e, t):
        return Found(e, t, t.head.head, mode_of(e, t, None), light=False)
    if verb is None:
        if not (e.possessive and possessor(t) is not None):
            if e.light is not None or not verbless_ok(t):
                return None
        verb = clause_verb(t)
        return Found(e, t, verb, mode_of(e, t, None), light=False)
    return Found(e, t, verb, mode_of(e, t, verb))


def mode_of(e: Entry, t: Token, verb: Token | None = None) -> str | None:
    """The entry's mode that the trigger's own words (modifiers, objects, light verb) name."""
    if not e.modes:
        return e.mode
    words = {t.lemma_.lower(), t.lower_}
    for c in t.children:
        if c.dep_ in ("amod", "compound", "nmod", "dobj", "pobj", "prep", "xcomp", "nsubjpass"):
            words.update((c.lemma_.lower(), c.lower_))
            for g in c.children:
                if g.dep_ in ("pobj", "amod", "compound", "dobj"):
                    words.update((g.lemma_.lower(), g.lower_))
    if verb is not None and verb != t:
        words.add(verb.lemma_.lower())
    for mode, lemmas in e.modes:
        if words & lemmas:
            return mode
    return e.mode


# ------------------------------------------------------------------ pruning


def _by_token(found: list[Found]) -> dict[int, Found]:
    """Triggers by token index; a nominal trigger's light verb stands for it ("began a strike to demand …")."""
    by_token = {f.trigger.i: f for f in found}
    for f in found:
        if f.entry.kind == "noun" and f.light and f.verb is not None:
            by_token.setdefault(f.verb.i, f)
    return by_token


def prune(found: list[Found]) -> list[Found]:
    """Drop nominal triggers that a verb trigger already codes ("targeted with sanctions",
    "imposed sanctions"), and actions that are only the content of an agreement, request,
    threat or refusal ("agreed to resume talks", "threatened to impose tariffs")."""
    # a verb that a nominal trigger names as its own light verb is that event ("called a general
    # strike" is a strike, not a phone call)
    lights = {f.verb.i for f in found if f.entry.kind == "noun" and f.light and f.verb is not None
              and f.entry.light is not None and forms(f.verb)[0] in f.entry.light
              and not any(c.dep_ == "prt" for c in f.verb.children)}  # "called off a strike" is not "called"
    found = [f for f in found if not (f.entry.kind == "verb" and f.trigger.i in lights and any(
        g.entry.kind == "noun" and g.verb is not None and g.verb.i == f.trigger.i and g.entry.type != f.entry.type
        for g in found))]
    by_token = _by_token(found)
    consumed: set[int] = set()
    for f in found:
        if f.entry.kind == "verb" and f.entry.object:
            consumed.update(o.i for o in objects_of(f.entry, f.trigger))
    out = []
    for f in found:
        if f.trigger.i in consumed and (f.entry.kind == "noun" or f.trigger.dep_ in ("dobj", "pobj")):
            continue  # also a noun the tagger took for a verb ("would not meet their demands")
        if f.entry.kind == "noun" and not f.light and f.trigger.dep_ == "dobj" and (
                g := by_token.get(f.trigger.head.i)) is not None and g.entry.type in RESPONSES:
            continue  # "rejected a UN appeal": the appeal is what is answered, reported before
        if f.entry.kind == "noun" and f.light and f.verb is not None and f.verb.i in by_token \
                and by_token[f.verb.i].entry.kind == "verb" and not (
                    by_token[f.verb.i].entry.type == f.entry.type and by_token[f.verb.i].entry.requires_recipient):
            continue  # the verb itself is a trigger ("rejected the talks")
        if _is_content(f, by_token):
            continue
        out.append(f)
    return out


_CHARGES = frozenset({"charge", "claim", "accusation", "allegation", "report", "assertion", "suggestion"})


def _answered_clause(v: Token) -> bool:
    """"X accused Baghdad of ..., a charge Iraq denied": the clause the reply follows is the story's own
    statement (the parser hangs it on the reply); what is denied is the charge."""
    return v.i < v.head.i and any(c.dep_ in ("dobj", "npadvmod", "appos") and c.lemma_.lower() in _CHARGES
                                  for c in v.head.children)


def _is_content(f: Found, by_token: dict[int, Found]) -> bool:
    """Whether a trigger is only what another trigger says, proposes, asks or refuses."""
    v = f.verb if f.verb is not None else f.trigger
    h = v
    for _ in range(4):  # "a draft that seeks to widen the embargo": what the text proposes
        if h.dep_ == "relcl" and h.head.lemma_.lower() in _PROPOSALS and any(
                c.dep_ in SUBJ and c.tag_ in ("WDT", "WP") for c in h.children):
            return True
        if h.dep_ not in ("xcomp", "conj") or h.head == h:
            break
        h = h.head
    if f.entry.type in ("COERCE", "SANCTION") and v.tag_ == "VBG":
        top = v
        while top.dep_ == "conj" and top.head != top:
            top = top.head
        if top.dep_ == "advcl" and (g := by_token.get(top.head.i)) is not None and g.entry.type == "SANCTION" \
                and g is not f:
            return True  # "imposed sanctions, freezing assets and banning exports": one act
    if f.entry.type == "ASSAULT" and v.dep_ in ("advcl", "conj") and v.tag_ == "VBG" and (
            g := by_token.get(v.head.i)) is not None and g.entry.type == "ASSAULT" and g is not f:
        return True  # "shot down two planes, killing four men": the deaths are that attack's
    if f.entry.type == "REQUEST" and v.dep_ == "advcl" and v.tag_ == "VBG" and (
            g := by_token.get(v.head.i)) is not None and g.entry.type == "PROTEST":
        return True  # "staged rallies against X, saying he must resign": the protest's own message
    if v.dep_ == "pcomp" and v.head.lower_ == "for" and (g := by_token.get(v.head.head.i)) is not None \
            and g.entry.type in VERBAL_ACTS:
        return True  # "an appeal for deploying troops": what was asked for
    if v.dep_ == "pcomp" and v.head.lower_ == "from" and v.head.head.lemma_.lower() in WORDS.preventing:
        return True  # "to stop guerrillas from infiltrating": kept from happening
    a = v
    for _ in range(4):  # "accused Israel of killing a scientist", "of sending tanks to back X": what is alleged
        if a.dep_ == "pcomp" and a.head.lower_ in ("of", "for") and (
                g := by_token.get(a.head.head.i)) is not None and g.entry.type == "ACCUSE" and g is not f:
            return True
        if a.dep_ not in ("advcl", "xcomp", "conj") or a.head == a:
            break
        a = a.head
    if v.dep_ == "acl" and v.head.lemma_.lower() in WORDS.neg_nouns | WORDS.modal_nouns:
        return True  # "the government's refusal to accept X", "the right of troops to fire"
    if v.dep_ in ("acl", "ccomp") and v.head.pos_ == "NOUN" and any(
            c.dep_ == "mark" and c.lower_ == "that" for c in v.children):
        # "demanded an admission that X murdered Y": what was asked for, denied or agreed
        g = by_token.get(v.head.head.i)
        if g is not None and g.entry.type in VERBAL_ACTS and v.head.dep_ in ("dobj", "pobj"):
            return True
    if f.entry.type == "CONCEDE" and v.dep_ == "advcl" and has_infinitive(v) and (
            g := by_token.get(v.head.i)) is not None and g is not f:
        return True  # "reopened the crossing to allow deliveries": what an act is meant to allow is part of it
    via_xcomp = False
    for _ in range(4):
        infinitive = has_infinitive(v)
        speech = v.dep_ == "ccomp" and v.head != v and (g0 := by_token.get(v.head.i)) is not None \
            and g0.entry.type in VERBAL_ACTS | {"CONCEDE"} and not _answered_clause(v)  # "demanded that X …"
        if v.head == v or not (v.dep_ in ("xcomp", "conj") or speech
                               or (infinitive and v.dep_ in ("acl", "advcl", "relcl"))):
            return False
        if v.dep_ == "conj" and any(c.dep_ in SUBJ or c.dep_ == "nsubjpass" for c in v.children):
            return False  # a conjunct with its own subject is its own clause
        if v.dep_ == "conj" and v.tag_ in ("VBD", "VBZ", "VBP") and v.head.tag_ == "VB":
            return False  # "refused to recognise X and recalled Y": a finite verb is no infinitive's content
        via_xcomp = via_xcomp or v.dep_ != "conj"
        v = v.head
        if v.pos_ not in ("VERB", "AUX"):
            v = v.head  # "threatened on Monday to impose": the infinitive hangs on "Monday"
        g = by_token.get(v.i)
        if g is not None and g is not f and (g.entry.type in VERBAL_ACTS | {"PROTEST", "CONCEDE"}
                                             or g.entry.complement) and (
                via_xcomp or any(c.dep_ == "xcomp" for c in v.children)):
            return True
    return False


# ------------------------------------------------------------------ the trigger model


def lexicon_types(lex: Lexicon) -> dict[str, tuple[str, ...]]:
    """The event types the lexicon gives each lemma (a feature of the trigger model)."""
    out: dict[str, tuple[str, ...]] = {}
    for table in (lex.verbs, lex.nouns):
        for lemma, entries in table.items():
            for en in entries:
                if en.type not in out.get(lemma, ()):
                    out[lemma] = (*out.get(lemma, ()), en.type)
    return out


@dataclass(frozen=True, slots=True)
class ModelUse:
    """How the coder uses the trained trigger model: ``use`` is "add", "both" or "model" (see ``Coder``)."""

    model: TriggerModel
    use: str
    veto: float
    add: float
    lex_types: Mapping[str, tuple[str, ...]]


def with_model(doc: Doc, found: list[Found], how: ModelUse, lex: Lexicon) -> list[Found]:
    """The triggers the learned model keeps and adds. ``add``: every lexicon trigger stays, and a word
    the model gives an event type with P >= add becomes a trigger too. ``both``: as ``add``, but a
    lexicon trigger goes when the model is sure it reports no event (P(NONE) >= veto). ``model``: the
    model alone decides which words are triggers and of which type; the lexicon still gives their
    argument slots and modes."""
    scores = doc_scores(how.model, doc, how.lex_types)
    labels = how.model.labels
    kept: list[Found] = []
    for f in found:
        p = scores.get(f.trigger.i)
        if p is None or how.use == "add":
            if how.use in ("add", "both"):
                kept.append(f)
            continue
        if how.use == "both" and p[0] < how.veto:
            kept.append(f)
        elif how.use == "model" and labels[int(p.argmax())] == f.entry.type and p.max() >= how.add:
            kept.append(f)
    taken = {f.trigger.i for f in found} | {f.verb.i for f in found if f.verb is not None}
    for i, p in sorted(scores.items()):
        if i in taken:
            continue
        k = int(p[1:].argmax()) + 1
        if p[k] < how.add or doc[i].lemma_.lower() in _SAYING:
            continue  # what was said is the lexicon's to code (its content, its addressee)
        if doc[i].pos_ not in ("VERB", "NOUN", "PROPN") or doc[i].lemma_.lower() in WORDS.light_verbs:
            continue  # an adjective ("unable") or a light verb ("made") names no act by itself
        g = _model_found(doc[i], labels[k], lex)
        if g is not None:
            kept.append(g)
    kept.sort(key=lambda f: f.trigger.i)
    return kept


def _generic(kind: str, lemma: str, etype: str) -> Entry:
    """A lexicon entry for a word the model found that the lexicon does not list with that type."""
    return Entry(kind=kind, lemmas=(lemma,), type=etype, recipient=_GENERIC_SLOTS[kind],
                 symmetric=etype in ("CONSULT", "COOPERATE"), possessive=kind == "noun")


def _model_found(t: Token, etype: str, lex: Lexicon) -> Found | None:
    """A trigger the model found: the lexicon's entry of that type for the word when it has one
    (its slots and modes; its conditions are what the model replaces), else a generic entry."""
    kind = "noun" if t.pos_ in NOUN_POS else "verb"
    table = lex.nouns if kind == "noun" else lex.verbs
    lemma = t.lemma_.lower()
    entries = [e for e in table.get(lemma, ()) if e.type == etype]
    entry = entries[0] if entries else _generic(kind, lemma, etype)
    if kind == "verb":
        return Found(entry, t, t, mode_of(entry, t))
    return _noun_ok(replace(entry, modal=frozenset(), modifier=frozenset(), light=None), t, lex)
