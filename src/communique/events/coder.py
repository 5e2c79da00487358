"""The event coder: predicates from the lexicon, arguments from the dependency parse.

For every token whose lemma is in the lexicon the coder checks the entry's
conditions (particle, object, modifier, light verb), then finds

* the actor: the subject; the ``by`` agent of a passive; for a verb without a
  subject, the subject it shares (coordination, control, "accused X of doing" where
  X is the doer); for a nominal trigger, its light verb's subject or its possessor
  ("Wang's trip", "US sanctions");
* the recipients: the entry's slots in order (direct object, prepositional objects on
  the verb or the noun, datives), expanded over coordination ("Israel and Ukraine");
  for a passive, the subject;
* factuality from negation, modals, control verbs and conditionals;
* the clause's own date and locative.

Repeated mentions of one event in an article merge into one event with all its
mention sentences. spaCy objects stay in here; what leaves is ``Event`` records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from spacy.tokens import Doc, Token

from ..mentions import PLACE_NOUNS, SPORTS, Mentions
from ..ontology import Ontology
from ..records import Actor, Event, Place, Span, TimeSpan
from . import sides
from .lexicon import Entry, Lexicon
from .model import TriggerModel, doc_scores
from .sides import SideModel

_SUBJ = ("nsubj", "csubj")
# an asserted event whose own date ended this long before publication is background ("historical")
HISTORICAL_DAYS = 365
_PREP_DEPS = ("prep", "prt", "agent", "dative", "advmod", "acomp")
_NEG_CONTROL = {"refuse", "fail", "decline", "deny", "reject", "avoid", "cancel", "postpone", "halt", "stop"}
_PLAN_CONTROL = {"plan", "schedule", "set", "due", "intend", "aim", "prepare", "arrange", "agree",
                 "promise", "pledge", "vow", "seek", "want", "hope", "threaten", "offer",
                 "prepared", "ready", "poised", "willing", "determined"}
_SPEC_CONTROL = {"expect", "likely", "possible", "may", "might", "could", "consider", "mull", "weigh",
                 "unlikely", "rumor", "rumour", "speculate", "expectation"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_SPEC_AUX = {"may", "might", "could", "can"}
_LOCATIVE = {"in", "at", "near", "outside", "inside", "on"}
_NOUN_POS = {"NOUN", "PROPN"}
# types whose complement is what was said, asked, promised or refused, not an act of its own
_VERBAL_ACTS = {"AGREE", "REQUEST", "THREATEN", "REJECT"}
_RECIPIENT_PREPS = {"to", "with", "on", "against", "in", "into", "from", "at", "toward", "towards", "upon", "for"}
_CONDITIONAL_MARKS = {"unless"}
# cooperation announced for the future is a promise, which PLOVER codes as AGREE
_PROMISABLE = {"AID", "COOPERATE", "CONCEDE", "RETREAT", "SUPPORT"}
# types whose unnamed targets are taken to be local (PLOVER's domestic convention)
_DOMESTIC_TYPES = {"PROTEST", "COERCE", "ASSAULT"}
_VISIT_VERBS = {"visit", "travel", "arrive", "fly", "tour", "go", "come"}
# force announced for the future is a threat (PLOVER THREATEN: "will impose a curfew", "prepared to strike")
_THREATENABLE = {"ASSAULT", "COERCE", "SANCTION"}
# a promise to do one of these is a threat ("vowed to fight on", "swore to avenge")
_HOSTILE_COMPLEMENTS = {"fight", "attack", "kill", "retaliate", "avenge", "destroy", "crush", "punish", "strike",
                        "wage", "resist", "bomb", "invade", "eliminate", "annihilate", "wipe"}
# the state's own arms: when they block a road it is coercion, when others do it is a protest
_STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}
# words that make a subject armed forces ("the second rotation of EU peacekeeping soldiers")
_TROOP_WORDS = {"troops", "troop", "soldiers", "peacekeepers", "peacekeeping", "forces", "contingent",
                "battalion", "brigade", "marines", "warships", "paratroopers", "deployment"}
# "part of a stronghold": the object the verb acts on is what the partitive names
_PARTITIVES = {"part", "parts", "most", "much", "half", "rest", "control", "portion", "section", "some", "all",
               "state"}  # "a state of siege"
# nouns that are documents: "issued a declaration demanding X" — whoever issued it demands
_DOCUMENTS = {"declaration", "statement", "resolution", "letter", "communique", "communiqué", "report", "note",
              "message", "decree", "appeal", "petition", "memorandum", "document", "motion", "bill", "order"}
_PROPOSALS = _DOCUMENTS | {"plan", "proposal", "draft", "measure", "law", "policy", "initiative", "deal",
                           "agreement", "accord", "treaty", "program", "programme", "scheme", "legislation"}
# types that are said rather than done: a place inside their object is what they are about
_SPEECH_TYPES = _VERBAL_ACTS | {"ACCUSE", "SUPPORT", "CONSULT"}
_LOCAL_TYPES = _DOMESTIC_TYPES | {"THREATEN", "REQUEST", "REJECT", "CONCEDE", "MOBILIZE"}
_NEG_NOUNS = {"refusal", "failure", "reluctance", "unwillingness", "inability"}
_MODAL_NOUNS = {"right", "ability", "capacity", "capability", "permission", "freedom", "authority", "power",
                "willingness", "readiness", "option", "chance", "opportunity", "duty", "obligation"}
_AMOUNTS = {"million", "billion", "trillion", "dollar", "euro", "pound", "ton", "tonne", "tons", "tonnes"}
_MEASURES = {"day", "week", "month", "hour", "night", "round", "series", "wave", "spate", "string", "flurry",
             "volley", "barrage", "campaign"}
_BARE_STARTS = {"the", "police", "troops", "soldiers", "protesters", "demonstrators", "security", "authorities",
                "officials", "opposition", "rebels", "militants", "gunmen", "students", "workers", "residents"}
_FORCES_OF_NATURE = {"earthquake", "quake", "tsunami", "hurricane", "typhoon", "cyclone", "storm", "flood", "floods",
                     "flooding", "landslide", "mudslide", "wildfire", "wildfires", "drought", "heatwave", "avalanche",
                     "eruption", "tornado", "virus", "pandemic", "epidemic", "disease", "lightning", "blizzard",
                     "accident", "crash", "fire", "explosion", "blast"}
_RECEIVED = {"request", "letter", "message", "call", "invitation", "assurance", "assurances", "approval", "bail",
             "sentence", "award", "prize", "briefing", "shipment", "delivery", "funds", "payment", "vaccine",
             "vaccines", "weapon", "weapons", "news", "complaint", "offer", "proposal", "reply", "response"}
# nouns whose to-infinitive is what their owner will do ("the US decision to send tanks")
_INTENTIONS = {"decision", "plan", "move", "pledge", "promise", "bid", "intention", "commitment", "readiness",
               "determination", "resolve", "vow", "offer", "proposal", "threat"}
_HAZARDS = {"rain", "rains", "storm", "storms", "flood", "floods", "flooding", "heat", "heatwave", "snow", "drought",
            "shortage", "shortages", "recession", "inflation", "risk", "risks", "danger", "dangers", "famine",
            "outbreak", "epidemic", "wildfire", "wildfires", "slowdown", "downturn", "crisis", "collapse", "scam",
            "scams", "fraud", "disease", "virus", "weather", "wind", "winds", "cold"}
_PAIR_PHRASE = re.compile(r"(both|the two)( \w+)? (sides|countries|parties|governments|nations|leaders|neighbou?rs|"
                          r"states|capitals|delegations)")
_RESPONSES = {"REJECT", "AGREE", "SUPPORT"}
_TIME_LIMITS = {"until", "till", "before", "once"}
_GROUPS = {"group", "crowd", "band", "delegation", "coalition", "gathering", "mob", "throng"}
_REPORTING = {"say", "quote", "report", "add", "tell", "state", "claim"}
_SAYING = _REPORTING | {"describe", "note", "explain", "write", "comment", "remark", "reply", "respond"}
# participles that are adjectives after "be": their subject acts ("is opposed to", "is committed to")
_ADJECTIVAL = {"oppose", "commit", "determine", "prepare", "dedicate", "devote", "resolve", "concern", "worry",
               "alarm", "trouble", "dismay", "outrage", "anger", "disturb", "disappoint"}


#: Which learned parts the coder uses (the ``event_model`` setting): ``sides`` the side model only (triggers from
#: the lexicon), ``both`` the trigger model too, ``model`` the trigger model instead of the lexicon's matching,
#: ``rules`` none (the lexicon and the fixed side rule).
EVENT_MODELS = ("sides", "both", "model", "rules")
#: ``both``: a lexicon trigger the model gives P(no event) >= VETO is dropped ...
VETO = 0.9
#: ... and a word the model gives an event type with P >= ADD is added.
ADD = 0.6
_GENERIC_SLOTS = {
    "verb": ("dobj", "dative", "prep:against", "prep:on", "prep:with", "prep:to", "prep:at", "prep:from",
             "prep:into", "prep:over", "prep:for"),
    "noun": ("prep:against", "prep:on", "prep:with", "prep:of", "prep:to", "prep:between", "prep:at", "prep:from",
             "prep:into", "prep:over"),
}


def _generic(kind: str, lemma: str, etype: str) -> Entry:
    """A lexicon entry for a word the model found that the lexicon does not list with that type."""
    return Entry(kind=kind, lemmas=(lemma,), type=etype, recipient=_GENERIC_SLOTS[kind],
                 symmetric=etype in ("CONSULT", "COOPERATE"), possessive=kind == "noun")


@dataclass(slots=True)
class _Found:
    entry: Entry
    trigger: Token
    verb: Token | None  # the clause's verb (the light verb for a nominal trigger)
    mode: str | None
    light: bool = True  # False when ``verb`` is only the clause around a verbless nominal trigger


def _forms(t: Token) -> tuple[str, ...]:
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


class Coder:
    """Codes one parsed document into events."""

    def __init__(self, lexicon: Lexicon, ontology: Ontology, model: TriggerModel | None = None,
                 use: str = "both", veto: float = VETO, add: float = ADD, side_model: SideModel | None = None,
                 fill_sides: bool = True) -> None:
        if use not in EVENT_MODELS:
            raise ValueError(f"use must be one of {', '.join(EVENT_MODELS)}, not {use!r}")
        self.lexicon = lexicon
        self.ontology = ontology
        self.model = model if use in ("both", "model") else None
        self.use = use if self.model is not None else "rules"
        self.veto = veto
        self.add = add
        self.side_model = side_model
        self.fill_sides = fill_sides
        self.lex_types: dict[str, tuple[str, ...]] = {}
        for table in (lexicon.verbs, lexicon.nouns):
            for lemma, entries in table.items():
                for en in entries:
                    if en.type not in self.lex_types.get(lemma, ()):
                        self.lex_types[lemma] = (*self.lex_types.get(lemma, ()), en.type)
        self.refined: dict[int, TimeSpan] = {}
        self._home: str | None = None
        self.object_control = {lemma for es in lexicon.verbs.values() for e in es if e.control == "object"
                               for lemma in e.lemmas}

    # ------------------------------------------------------------------ matching

    def _match(self, t: Token) -> _Found | None:
        lemma = t.lemma_.lower()
        lex = self.lexicon
        as_noun = t.pos_ in _NOUN_POS or (t.pos_ == "VERB" and any(c.dep_ in ("poss", "det") for c in t.children))
        if (t.pos_ in ("VERB", "AUX") or (t.pos_ == "ADJ" and t.dep_ in ("acomp", "ROOT"))) and not as_noun:
            entries = lex.verbs.get(lemma, ())
            if not entries:
                entries = next((lex.verbs[f] for f in _forms(t) if f in lex.verbs), ())
            for e in entries:
                if self._verb_ok(e, t):
                    return _Found(e, t, t, self._mode(e, t))
        if as_noun:
            entries = lex.nouns.get(lemma, ()) or lex.nouns.get(t.lower_, ())
            for e in entries:
                f = self._noun_ok(e, t)
                if f is not None:
                    return f
        return None

    def _preps(self, t: Token) -> list[Token]:
        out = []
        for c in t.children:
            if c.dep_ in _PREP_DEPS:
                out.append(c)
                if c.dep_ == "advmod":  # "grow closer to"
                    out.extend(g for g in c.children if g.dep_ == "prep")
        return out

    def _objects(self, e: Entry, t: Token) -> list[Token]:
        objs = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")
                or (c.dep_ == "npadvmod" and c.pos_ == "NOUN")]  # "gave the junta a week to …"
        for p in self._preps(t):
            if not e.prep or p.lower_ in e.prep:
                objs.extend(c for c in p.children if c.dep_ in ("pobj", "pcomp"))
        for o in list(objs):  # "captured part of a stronghold"
            if o.lower_ in _PARTITIVES:
                objs.extend(g for p in o.children if p.dep_ == "prep" and p.lower_ == "of"
                            for g in p.children if g.dep_ == "pobj")
        return objs

    def _verb_ok(self, e: Entry, t: Token) -> bool:
        if e.type == "ASSAULT" and any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in t.children) \
                and not any(c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in ("at", "on", "against"))
                            for c in t.children):
            return False  # "hitting back after Washington raised duties": retaliation in words
        if e.type == "CONSULT" and any(c.dep_ == "oprd" for c in t.children):
            return False  # "called the raid a war crime" names, it does not phone
        if e.inverse and any(c.dep_ == "dobj" and c.pos_ == "NOUN" and (
                c.lemma_.lower() in self.lexicon.nouns or c.lemma_.lower() in _DOCUMENTS | _RECEIVED)
                for c in t.children):
            return False  # "received a request from Syria" is no visit; "hosted talks" is the talks' event
        if e.type in ("PROTEST", "ACCUSE") and any(c.dep_ == "dobj" and c.pos_ == "NOUN" and (
                t.lemma_.lower() == "demonstrate" or c.lemma_.lower() == "innocence") for c in t.children):
            return False  # "demonstrated a new phone", "protested his innocence": no demonstration
        if e.type == "THREATEN" and t.lemma_.lower() == "warn" and not any(c.dep_ == "dobj" for c in t.children) \
                and any(g.lemma_.lower() in _HAZARDS for p in t.children if p.dep_ == "prep" and p.lower_ in (
                    "of", "about", "against") for g in p.children if g.dep_ == "pobj"):
            return False  # "warned of heavy rain": a forecast, not a threat
        if e.type == "MOBILIZE" and t.lemma_.lower() == "order" and any(c.dep_ == "xcomp" for c in t.children):
            return False  # "ordered troops to withdraw" orders something else
        if e.type == "REQUEST" and not e.complement and t.lemma_.lower() == "seek" and any(
                c.dep_ == "xcomp" for c in t.children):
            return False  # "sought to ease tensions" is an attempt, not a request
        if e.modal and not any(c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in e.modal for a in c.children)
                               for c in t.children):
            return False
        if e.complement and not any(
                (c.dep_ == "xcomp" or (c.dep_ == "advcl" and (any(a.lower_ == "to" for a in c.children) or (
                    c.tag_ == "VBG" and e.type == "PROTEST"))))
                and c.lemma_.lower() in e.complement for c in t.children):
            return False
        if e.prep and not any(p.lower_ in e.prep and not _of_time(p) for p in self._preps(t)) and not any(
                p.dep_ == "prep" and p.lower_ in e.prep for o in t.children if o.dep_ == "dobj" for p in o.children):
            return False  # the preposition may hang on the object: "shared evidence with the US"
        if e.object:
            objs = self._objects(e, t)
            if not any(o.lemma_.lower() in e.object or o.lower_ in e.object for o in objs):
                return False
        if e.not_object and any(c.dep_ == "dobj" and (c.lemma_.lower() in e.not_object or c.lower_ in e.not_object)
                                for c in t.children):
            return False  # "fired his minister", "released a report", "will meet its targets"
        return True

    def _noun_ok(self, e: Entry, t: Token) -> _Found | None:
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
        elif t.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in _MEASURES and \
                head.head.dep_ == "dobj":  # "launched ten days of war games", "a series of raids"
            t_dep, head = "dobj", head.head.head
        elif t.dep_ == "pobj" and head.lower_ in ("in", "of") and head.head.dep_ == "dobj" and (
                head.head.ent_type_ == "MONEY" or head.head.lemma_.lower() in _AMOUNTS):
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
                v = v if vl in e.light or any(f in e.light for f in _forms(v)) else None
            elif vl in self.lexicon.blocking:
                v = None
            verb = v
        if verb is None:
            if not (e.possessive and self._possessor(t) is not None):
                if e.light is not None or not self._verbless_ok(t):
                    return None
            verb = self._clause_verb(t)
            return _Found(e, t, verb, self._mode(e, t, None), light=False)
        return _Found(e, t, verb, self._mode(e, t, verb))

    def _verbless_ok(self, t: Token) -> bool:
        """A nominal trigger without a light verb counts when it is the subject or a main argument
        ("phone calls were held", "talks with X took place")."""
        return t.dep_ in ("nsubj", "nsubjpass", "ROOT")

    def _mode(self, e: Entry, t: Token, verb: Token | None = None) -> str | None:
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

    # ------------------------------------------------------------------ arguments

    def _possessor(self, t: Token) -> Token | None:
        for c in t.children:
            if c.dep_ == "poss" or (c.dep_ in ("compound", "amod", "nmod", "nsubj") and c.ent_type_ in (
                    "GPE", "NORP", "ORG", "PERSON")):
                return c
        return None

    def _clause_verb(self, t: Token) -> Token | None:
        h = t
        for _ in range(8):
            if h.pos_ in ("VERB", "AUX") and h.dep_ not in ("amod", "compound"):
                return h
            if h.head == h:
                return None
            h = h.head
        return None

    def _subject(self, v: Token, depth: int = 0) -> list[Token]:
        if depth > 5:
            return []
        passive = False
        for c in v.children:
            if c.dep_ in _SUBJ:
                if c.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                    return [v.head]
                return [c]
            if c.dep_ in ("nsubjpass", "auxpass"):
                passive = True
        if passive and _forms(v)[0] in _ADJECTIVAL and any(c.dep_ in ("prep", "agent") for c in v.children):
            return [c for c in v.children if c.dep_ == "nsubjpass"]  # "Israel is opposed to X"
        if passive:
            for c in v.children:
                if c.dep_ == "agent":
                    return [g for g in c.children if g.dep_ == "pobj"]
            # "was hit with new sanctions by Canada": the agent hangs on the object
            for c in v.children:
                for o in c.children if c.dep_ == "prep" else ():
                    for p in o.children:
                        if p.dep_ in ("prep", "agent") and p.lower_ == "by":
                            return [g for g in p.children if g.dep_ == "pobj"]
            return []
        dep, head = v.dep_, v.head
        if head == v:
            return []
        if dep == "xcomp":
            passive_subj = [c for c in head.children if c.dep_ == "nsubjpass"]
            if passive_subj:  # "X is expected to arrive", "X was asked to leave": X does it
                return passive_subj
            if head.lemma_.lower() in self.object_control:
                objs = [c for c in head.children if c.dep_ == "dobj"]
                if objs:
                    return objs
            return self._subject(head, depth + 1)
        if dep == "pcomp" and head.dep_ == "prep":
            owner = head.head
            if owner.pos_ in _NOUN_POS | {"PRON"}:
                return [owner]
            if head.lower_ not in ("of", "for", "with"):
                # "expelled the diplomats after accusing Moscow": the main clause's subject
                return self._subject(owner, depth + 1)
            # "accused X of kidnapping", "X was accused of kidnapping": X did it
            objs = [c for c in owner.children if c.dep_ == "dobj"] or [
                c for c in owner.children if c.dep_ == "nsubjpass"]
            return objs or self._subject(owner, depth + 1)
        if dep == "conj" or (dep == "advcl" and v.tag_ == "VBG"):
            grammatical = [c for c in head.children if c.dep_ == "nsubjpass"]
            if dep == "conj" and grammatical:  # "X was indicted by the court and will resign": X resigns
                return grammatical
            return self._subject(head, depth + 1)
        if dep == "acl" and head.pos_ == "NOUN" and head.lemma_.lower() in _INTENTIONS and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            return [head]  # "the American decision to send tanks": whose decision it is
        if dep == "relcl":
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children) and any(
                    en.type in ("PROTEST", "CONSULT") for en in self.lexicon.nouns.get(head.lemma_.lower(), ())) \
                    and (cv := self._clause_verb(head)) is not None and cv != v:
                return self._subject(cv, depth + 1)  # "gathered for a march in Accra to oppose X"
            return [head]
        if dep == "acomp":  # "Tokyo was alarmed by …"
            return self._subject(head, depth + 1)
        if dep == "acl" and v.tag_ == "VBG":
            if head.dep_ in ("dobj", "pobj") and head.pos_ == "NOUN" and head.lemma_.lower() in _DOCUMENTS:
                # "issued a declaration demanding …": whoever issued it demands
                owner = head.head if head.dep_ == "dobj" else head.head.head
                if owner.pos_ in ("VERB", "AUX"):
                    return self._subject(owner, depth + 1)
            return [head]
        return []

    def _slot(self, slot: str, f: _Found, objects: list[Token]) -> list[Token]:
        t, v = f.trigger, f.verb
        hosts = [t] if t is v or v is None or not f.light else [t, v]
        if slot == "dobj":
            out = [c for h in hosts for c in h.children if c.dep_ in ("dobj",)]
            if v is not None and any(c.dep_ == "auxpass" for c in v.children):
                out += [c for c in v.children if c.dep_ == "nsubjpass"]
            return [o for o in out if o != t]
        if slot == "dative":
            out = []
            for h in hosts:
                for c in h.children:
                    if c.dep_ == "dative":
                        out.extend([g for g in c.children if g.dep_ == "pobj"] or [c])
                    elif c.dep_ == "prep" and c.lower_ == "to":
                        out.extend(g for g in c.children if g.dep_ == "pobj")
            return out
        if slot == "ccomp:subj":
            return [g for h in hosts for c in h.children if c.dep_ == "ccomp" and not (
                        c.i > h.i and c.lemma_.lower() in _REPORTING)
                    for g in c.children if g.dep_ in ("nsubj", "poss")]
        if slot.startswith("obj:prep:"):
            word = slot[len("obj:prep:"):]
            return [g for o in objects for c in o.children if c.dep_ == "prep" and c.lower_ == word
                    for g in c.children if g.dep_ == "pobj"]
        if slot.startswith("prep:"):
            word = slot[len("prep:"):]
            out = []
            for h in hosts:
                for c in self._preps(h):
                    if c.lower_ == word:
                        objs = [g for g in c.children if g.dep_ == "pobj"]
                        if not objs:  # "to five officers holed up in …": the parser made them a clause's subject
                            objs = [g for g in c.doc[c.i + 1:c.i + 6] if g.dep_ == "nsubj" and g.pos_ in _NOUN_POS
                                    and g.head.dep_ in ("advcl", "relcl", "ccomp")][:1]
                        out.extend(objs)
                    elif word == "against" and c.lower_ == "in":  # "in defiance of X", "in protest at X"
                        out.extend(x for g in c.children if g.dep_ == "pobj" and g.lemma_.lower() in (
                            "defiance", "protest", "opposition") for p in g.children if p.dep_ == "prep"
                            and p.lower_ in ("of", "at", "against", "to") for x in p.children if x.dep_ == "pobj")
                        if c.dep_ == "prt" and word == "down":  # "turned down X"
                            out.extend(g for g in h.children if g.dep_ == "dobj")
            return out
        return []

    def _nationality_actor(self, t: Token, m: Mentions) -> list[Actor]:
        for c in t.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod", "nsubj"):
                ent = m.entity_at(c.i)
                if ent is not None and (ent.country or ent.igo):
                    return m.actors(c, expand=False)
                if c.dep_ == "poss":
                    return m.actors(c, expand=False)
        return []

    # ------------------------------------------------------------------ factuality

    def factuality(self, v: Token | None) -> str:
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
        if v.dep_ == "acl" and v.head.lemma_.lower() in _INTENTIONS and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            return "hypothetical" if v.head.lemma_.lower() in ("offer", "proposal") else "planned"
        for i, x in enumerate(chain):
            kids = list(x.children)
            lem = x.lemma_.lower()
            if i > 0 and lem in _NEG_CONTROL:
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
            if auxes & _SPEC_AUX or (i > 0 and lem in _SPEC_CONTROL) or any(
                    c.lower_ in ("likely", "possibly", "perhaps", "reportedly") for c in kids):
                return "speculative"
            if auxes & {"would"} and i == 0:
                result = "planned"  # future in the past ("said the US would push"); conditionals caught above
            if auxes & _FUTURE_AUX or (i > 0 and lem in _PLAN_CONTROL) or (
                    "going" in {c.lower_ for c in kids} and x.tag_ == "VB"):
                if result == "asserted":
                    result = "planned"
            if x.dep_ not in ("conj", "xcomp"):
                break
        if result == "asserted" and v.tag_ == "VB" and any(c.lower_ == "to" for c in v.children) and \
                v.dep_ in ("xcomp",) and v.head.lemma_.lower() in {"be"}:
            result = "planned"
        return result

    # ------------------------------------------------------------------ driver

    def code(self, doc: Doc, m: Mentions, sent_of: Sequence[int], sentences: Sequence[Span],
             dates: Sequence[tuple[TimeSpan, int]], places: dict[int, Place],
             published: date | None) -> list[Event]:
        """Events of one document. ``dates`` pairs each TimeSpan with its head token index;
        ``places`` maps token index → Place."""
        found = [f for t in doc if (f := self._match(t)) is not None]
        if self.model is not None:
            found = self._with_model(doc, found)
        found = self._prune(found)
        self._home = m.home_country()
        clause_dates = self._dates_by_clause(doc, dates)
        events: list[Event] = []
        for f in found:
            new = list(self._events(f, doc, m, sent_of, sentences, clause_dates, places, published))
            if new and new[0].date_source == "published" and self._continues(f, doc):
                new = self._from_context(new, events)
            if new and f.entry.type in _RESPONSES | {"ACCUSE"} and all(e.recipient is None for e in new):
                new = self._answering(f, new, events)
            events.extend(new)
        if self.fill_sides:
            events = sides.fill(events, m.entity_records(), len(sentences), self.side_model)
        merged, self.refined = _merge(events)
        return merged

    def _with_model(self, doc: Doc, found: list[_Found]) -> list[_Found]:
        """The triggers the learned model keeps and adds. ``both``: a lexicon trigger stays unless the
        model is sure it reports no event (P(NONE) >= veto); a word the model gives an event type with
        P >= add becomes a trigger too. ``model``: the model alone decides which words are triggers and
        of which type; the lexicon still gives their argument slots and modes."""
        assert self.model is not None
        scores = doc_scores(self.model, doc, self.lex_types)
        labels = self.model.labels
        kept: list[_Found] = []
        for f in found:
            p = scores.get(f.trigger.i)
            if p is None:
                if self.use == "both":
                    kept.append(f)
                continue
            if self.use == "both" and p[0] < self.veto:
                kept.append(f)
            elif self.use == "model" and labels[int(p.argmax())] == f.entry.type and p.max() >= self.add:
                kept.append(f)
        taken = {f.trigger.i for f in found} | {f.verb.i for f in found if f.verb is not None}
        for i, p in sorted(scores.items()):
            if i in taken:
                continue
            k = int(p[1:].argmax()) + 1
            if p[k] < self.add or doc[i].lemma_.lower() in _SAYING:
                continue  # what was said is the lexicon's to code (its content, its addressee)
            g = self._model_found(doc[i], labels[k])
            if g is not None:
                kept.append(g)
        kept.sort(key=lambda f: f.trigger.i)
        return kept

    def _model_found(self, t: Token, etype: str) -> _Found | None:
        """A trigger the model found: the lexicon's entry of that type for the word when it has one
        (its slots and modes; its conditions are what the model replaces), else a generic entry."""
        kind = "noun" if t.pos_ in _NOUN_POS else "verb"
        table = self.lexicon.nouns if kind == "noun" else self.lexicon.verbs
        lemma = t.lemma_.lower()
        entries = [e for e in table.get(lemma, ()) if e.type == etype]
        entry = entries[0] if entries else _generic(kind, lemma, etype)
        if kind == "verb":
            return _Found(entry, t, t, self._mode(entry, t))
        return self._noun_ok(replace(entry, modal=frozenset(), modifier=frozenset(), light=None), t)

    def refine_dates(self, dates: Sequence[TimeSpan]) -> list[TimeSpan]:
        """The article's dates, with vague ones made precise by the article itself: when "later this
        week" names the same event as "from October 26-28", it means October 26-28."""
        out = []
        for d in dates:
            r = self.refined.get(d.span.start) if d.span is not None else None
            out.append(replace(d, start=r.start, end=r.end, granularity=r.granularity, value=r.value)
                       if r is not None else d)
        return out

    def _answering(self, f: _Found, new: list[Event], before: list[Event]) -> list[Event]:
        """Whom a reaction answers when its object names an earlier event of the article ("Aoun called
        the strikes a violation", "Kyiv welcomed the sanctions"): that event's actor."""
        v = f.verb if f.verb is not None else f.trigger
        for o in v.children:
            if o.dep_ != "dobj" or o.pos_ != "NOUN":
                continue
            types = {en.type for en in self.lexicon.nouns.get(o.lemma_.lower(), ())}
            if not types or not any(c.lower_ in ("the", "these", "those", "this", "that") for c in o.children):
                continue
            earlier = [e.actor for e in before if e.type in types and e.actor is not None and e.actor.coded]
            if earlier:
                src = earlier[-1]
                return [replace(e, recipient=src) for e in new if e.actor is None or e.actor.country != src.country
                        or e.actor.igo != src.igo] or new
        return new

    def _continues(self, f: _Found, doc: Doc) -> bool:
        """Whether the clause carries on the previous sentence's story: a pronoun subject ("He
        reiterated …") or an anaphoric time ("At that time, …")."""
        v = f.verb if f.verb is not None else f.trigger
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she", "they", "it"):
                return True
            if c.dep_ == "prep" and any(g.lower_ in ("time", "meeting", "talks", "summit") and any(
                    d.lower_ in ("that", "the") for d in g.children) for g in c.children):
                return True
        return False

    @staticmethod
    def _from_context(new: list[Event], before: list[Event]) -> list[Event]:
        """Date (and place, when the clause names none) from the previous sentence's events."""
        sent = new[0].trigger.sentence or 0
        prev = [e for e in before if e.trigger.sentence == sent - 1 and e.date_source in ("text", "sentence")]
        if not prev:
            return new
        src = prev[-1]
        return [replace(e, date=src.date, date_source="context", location=e.location or src.location,
                        factuality=src.factuality if e.factuality == "asserted" else e.factuality)
                for e in new]

    def _prune(self, found: list[_Found]) -> list[_Found]:
        """Drop nominal triggers that a verb trigger already codes ("targeted with sanctions",
        "imposed sanctions"), and actions that are only the content of an agreement, request,
        threat or refusal ("agreed to resume talks", "threatened to impose tariffs")."""
        by_token = {f.trigger.i: f for f in found}
        for f in found:  # a nominal trigger's light verb stands for it ("began a strike to demand …")
            if f.entry.kind == "noun" and f.light and f.verb is not None:
                by_token.setdefault(f.verb.i, f)
        # a verb that a nominal trigger names as its own light verb is that event ("called a general
        # strike" is a strike, not a phone call)
        lights = {f.verb.i for f in found if f.entry.kind == "noun" and f.light and f.verb is not None
                  and f.entry.light is not None and _forms(f.verb)[0] in f.entry.light
                  and not any(c.dep_ == "prt" for c in f.verb.children)}  # "called off a strike" is not "called"
        found = [f for f in found if not (f.entry.kind == "verb" and f.trigger.i in lights and any(
            g.entry.kind == "noun" and g.verb is not None and g.verb.i == f.trigger.i and g.entry.type != f.entry.type
            for g in found))]
        by_token = {f.trigger.i: f for f in found}
        for f in found:
            if f.entry.kind == "noun" and f.light and f.verb is not None:
                by_token.setdefault(f.verb.i, f)
        consumed: set[int] = set()
        for f in found:
            if f.entry.kind == "verb" and f.entry.object:
                consumed.update(o.i for o in self._objects(f.entry, f.trigger))
        out = []
        for f in found:
            if f.trigger.i in consumed and (f.entry.kind == "noun" or f.trigger.dep_ in ("dobj", "pobj")):
                continue  # also a noun the tagger took for a verb ("would not meet their demands")
            if f.entry.kind == "noun" and not f.light and f.trigger.dep_ == "dobj" and (
                    g := by_token.get(f.trigger.head.i)) is not None and g.entry.type in _RESPONSES:
                continue  # "rejected a UN appeal": the appeal is what is answered, reported before
            if f.entry.kind == "noun" and f.light and f.verb is not None and f.verb.i in by_token \
                    and by_token[f.verb.i].entry.kind == "verb" and not (
                        by_token[f.verb.i].entry.type == f.entry.type and by_token[f.verb.i].entry.requires_recipient):
                continue  # the verb itself is a trigger ("rejected the talks")
            if self._is_content(f, by_token):
                continue
            out.append(f)
        return out

    def _is_content(self, f: _Found, by_token: dict[int, _Found]) -> bool:
        v = f.verb if f.verb is not None else f.trigger
        h = v
        for _ in range(4):  # "a draft that seeks to widen the embargo": what the text proposes
            if h.dep_ == "relcl" and h.head.lemma_.lower() in _PROPOSALS and any(
                    c.dep_ in _SUBJ and c.tag_ in ("WDT", "WP") for c in h.children):
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
        if f.entry.type == "REQUEST" and v.dep_ == "advcl" and v.tag_ == "VBG" and (
                g := by_token.get(v.head.i)) is not None and g.entry.type == "PROTEST":
            return True  # "staged rallies against X, saying he must resign": the protest's own message
        if v.dep_ == "pcomp" and v.head.lower_ == "for" and (g := by_token.get(v.head.head.i)) is not None \
                and g.entry.type in _VERBAL_ACTS:
            return True  # "an appeal for deploying troops": what was asked for
        if v.dep_ == "acl" and v.head.lemma_.lower() in _NEG_NOUNS | _MODAL_NOUNS:
            return True  # "the government's refusal to accept X", "the right of troops to fire"
        if v.dep_ in ("acl", "ccomp") and v.head.pos_ == "NOUN" and any(
                c.dep_ == "mark" and c.lower_ == "that" for c in v.children):
            # "demanded an admission that X murdered Y": what was asked for, denied or agreed
            g = by_token.get(v.head.head.i)
            if g is not None and g.entry.type in _VERBAL_ACTS and v.head.dep_ in ("dobj", "pobj"):
                return True
        via_xcomp = False
        for _ in range(4):
            infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
            speech = v.dep_ == "ccomp" and v.head != v and (g0 := by_token.get(v.head.i)) is not None \
                and g0.entry.type in _VERBAL_ACTS | {"CONCEDE"}  # "demanded that X cooperate", "allow X to …"
            if v.head == v or not (v.dep_ in ("xcomp", "conj") or speech
                                   or (infinitive and v.dep_ in ("acl", "advcl"))):
                return False
            if v.dep_ == "conj" and any(c.dep_ in _SUBJ or c.dep_ == "nsubjpass" for c in v.children):
                return False  # a conjunct with its own subject is its own clause
            if v.dep_ == "conj" and v.tag_ in ("VBD", "VBZ", "VBP") and v.head.tag_ == "VB":
                return False  # "refused to recognise X and recalled Y": a finite verb is no infinitive's content
            via_xcomp = via_xcomp or v.dep_ != "conj"
            v = v.head
            if v.pos_ not in ("VERB", "AUX"):
                v = v.head  # "threatened on Monday to impose": the infinitive hangs on "Monday"
            g = by_token.get(v.i)
            if g is not None and g is not f and (g.entry.type in _VERBAL_ACTS | {"PROTEST", "CONCEDE"}
                                                 or g.entry.complement) and (
                    via_xcomp or any(c.dep_ == "xcomp" for c in v.children)):
                return True
        return False

    def _warns_of_others(self, f: _Found, m: Mentions, actors: list[Actor]) -> bool:
        """A warning is a threat when the warner is the one who would act; "warned that the truce
        was fragile" (another subject, no object) is not."""
        v = f.verb if f.verb is not None else f.trigger
        if any(c.dep_ in ("dobj", "xcomp") for c in v.children):
            return False
        for c in v.children:
            if c.dep_ == "ccomp":
                subj = [g for g in c.children if g.dep_ in _SUBJ or g.dep_ == "nsubjpass"]
                if not subj:
                    return False
                own = {a.country for a in actors} | {a.name for a in actors}
                said = m.actors(subj[0], expand=False)
                return not any(a.country in own or a.name in own for a in said)
        return False

    def _unnamed(self, t: Token, sent_of: Sequence[int]) -> Actor:
        """An actor for people the text describes but the registry cannot code ("Islamic
        fundamentalists", "a group of refugees"): no country until the event's place gives one."""
        left = t.left_edge.i
        doc = t.doc
        while left < t.i and (doc[left].pos_ in ("DET", "NUM", "PUNCT") or doc[left].lower_ in ("up", "to")):
            left += 1
        span = doc[left:t.i + 1]
        return Actor(name=span.text, sector="CVL", spans=(Span(span.start_char, span.end_char, span.text,
                                                               sent_of[t.i]),))

    @staticmethod
    def _conditional(f: _Found) -> bool:
        v = f.verb if f.verb is not None else f.trigger
        return any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in _CONDITIONAL_MARKS for g in c.children)
                   for c in v.children)

    @staticmethod
    def _domestic(etype: str, actors: list[Actor], recipients: list[Actor], where: Place | None,
                  lifts: bool = True) -> list[Actor]:
        """PLOVER's convention for unnamed domestic targets: a group with no country of its own
        ("demonstrators", "opposition candidates", "Parliament") belongs to where the event happens,
        else to its actor's country; a protest with no named target is against the government of
        the place it happens in, else of the protesters' own country."""
        own = next((a.country for a in actors if a.country), None)
        petition = etype == "REQUEST" and any(r.country and r.sector in _STATE_SECTORS for r in recipients)
        if (etype == "PROTEST" or petition) and own is None and actors and not any(a.coded for a in actors):
            # "elders demanded that the Nigerian Interior Ministry …": people petition their own government
            # unnamed protesters are people of the place, or of the government they protest to
            local = where.country if where is not None and where.country else next(
                (r.country for r in recipients if r.country), None)
            if local is not None:
                actors[:] = [replace(a, country=local) if not a.coded else a for a in actors]
                own = local
        if own is None and where is not None and where.country and etype in _LOCAL_TYPES and actors and not any(
                a.coded for a in actors) and all(a.kind == "PERSON" or a.role is not None for a in actors):
            # "the interim council declared a curfew in Niger": an uncoded office acting
            # on its own ground belongs to that ground
            actors[:] = [replace(a, country=where.country) for a in actors]
            own = where.country
        home = where.country if where is not None and where.country else own
        if home is None:
            return recipients
        if not recipients and etype == "CONCEDE" and lifts:
            # "ended the curfew in the northern province": the concession is to the place's people
            return [Actor(name=home, country=home, sector="CVL", kind="GPE")]
        if not any(r.coded for r in recipients) and etype in _DOMESTIC_TYPES:
            # "killed 23 people in Tel Aviv", "arrested 12 demonstrators": the unnamed target is local
            if etype == "ASSAULT" and (where is None or not where.country):
                return recipients  # violence with no place named: the target's side is unknown
            if recipients:
                return [replace(r, country=home) for r in recipients]
            sector = "GOV" if etype == "PROTEST" else "CVL"
            return [Actor(name=home, country=home, sector=sector, kind="GPE")]
        # a named but uncoded person or organisation ("President Mugabe", "Parliament") is local;
        # for violence and coercion so is an unnamed group ("demonstrators", "opposition candidates")
        return [replace(r, country=home) if not r.coded and (
            r.kind in ("PERSON", "ORG") or (etype in _DOMESTIC_TYPES and r.role is not None)) else r
            for r in recipients]

    def _content_recipients(self, f: _Found, m: Mentions, own: set[str] | None = None) -> list[Actor]:
        """The recipient of what was agreed, asked, threatened or refused: the recipient of the event
        in its complement ("pledged to keep sending arms to Chad"), else the first coded
        object or prepositional object in the complement ("threatened to halt gas supplies to X",
        "declined to station troops in Mali"), else whoever made the rejected or answered
        proposal ("rejected calls by the pope", "rejected an EU appeal", "an offer from Minsk")."""
        head = f.verb if f.verb is not None and f.light else f.trigger
        comps = [c for c in head.children if c.dep_ in ("xcomp", "ccomp")]
        if not comps:  # "threatened on Monday to impose …": the infinitive hangs lower
            comps = [c for c in head.subtree if c.pos_ == "VERB" and c != head and c.dep_ in ("acl", "advcl")
                     and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                     and self._clause_verb(c.head) == head][:1]
        # a group of the actor's own country is the recipient only when no foreign one is named
        # ("threatened to jail Kenyan opposition leaders" vs "in its border war with Eritrea")
        domestic: list[Actor] = []
        for c in comps:
            for t in c.subtree:
                found = self._match(t)
                if found is None or found.trigger == f.trigger:
                    continue
                objects = [o for o in found.trigger.children if o.dep_ in ("dobj", "nsubjpass")]
                for slot in found.entry.recipient:
                    toks = self._slot(slot, found, objects)
                    out = [a for tok in toks for a in m.actors(tok) if not (own and a.country in own)]
                    if out:
                        return out
                    domestic = domestic or [a for tok in toks if self._pronoun_free(tok) for a in m.actors(tok)
                                            if a.coded and a.kind != "GPE" and _agent(a)]
        for c in comps:
            for t in c.subtree:
                if t.dep_ in ("dobj", "pobj") and (t.dep_ == "dobj" or t.head.lower_ in _RECIPIENT_PREPS):
                    cands = [a for a in m.actors(t) if a.coded]
                    out = [a for a in cands if not (own and a.country in own)]
                    if out:
                        return out  # "in its border war with Eritrea": Eritrea, not Ethiopia
                    if self._pronoun_free(t) and (here := [a for a in cands if a.kind != "GPE" and (
                            _agent(a) or _of_people(t))]):
                        return here  # "a meeting of Palestinian factions": the nearer group
        return domestic or self._owner_of_object(f, m)

    @staticmethod
    def _pronoun_free(t: Token) -> bool:
        """Whether a noun phrase names its owner itself ("Ugandan candidates"), not by a pronoun
        ("its borders"), which would make the actor its own recipient."""
        return not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in t.children)

    def _owner_of_object(self, f: _Found, m: Mentions) -> list[Actor]:
        """Whose thing the object is: "welcomed Reagan's statement", "rejected a UN appeal",
        "bombed bases of the Kurdish militia", "an offer from Kabul"."""
        head = f.verb if f.verb is not None and f.light else f.trigger
        for o in head.children:
            if o.dep_ not in ("dobj", "nsubjpass", "attr") or o.pos_ not in _NOUN_POS or o == f.trigger:
                continue
            if o.dep_ == "nsubjpass" and not any(c.dep_ == "auxpass" for c in head.children):
                continue
            if o.lemma_.lower() in ("counterpart", "host", "guest", "visitor"):
                continue  # "met their counterparts": people, not things someone owns
            for c in o.children:
                if c.dep_ in ("poss", "compound", "nmod", "amod"):
                    out = [a for a in m.actors(c, expand=False) if a.coded]
                elif c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
                    out = [a for g in c.children if g.dep_ == "pobj" for a in m.actors(g) if a.coded]
                else:
                    continue
                if out:
                    return out
        if f.entry.type in ("AGREE", "SUPPORT", "REJECT", "THREATEN", "ACCUSE"):
            # what the agreement, refusal or warning is about: "approved a renewal of the mission's mandate
            # in Cyprus", "rejected a plan for Gaza", "warned of action against drills by Seoul"
            starts = ("to", "on", "for", "of", "against") if f.entry.type in ("THREATEN", "ACCUSE") else (
                "to", "on", "for")
            frontier = [o for o in head.children if o.dep_ in ("dobj", "attr") and o != f.trigger] + [
                g for p in head.children if p.dep_ == "prep" and p.lower_ in starts
                for g in p.children if g.dep_ == "pobj"]
            own = {a.country for s in self._subject(head) for a in m.actors(s) if a.country}
            for _ in range(3):
                nxt = []
                for o in frontier:
                    for p in o.children:
                        if p.dep_ not in ("prep", "agent") or p.lower_ not in ("of", "for", "in", "on", "to",
                                                                               "against", "by"):
                            continue
                        for g in p.children:
                            if g.dep_ != "pobj":
                                continue
                            found = [a for a in m.actors(g) if a.coded]
                            out = [a for a in found if a.country not in own or (
                                a.kind != "GPE" and self._pronoun_free(g))]
                            if out:
                                return out  # the nearest: "a meeting of Palestinian factions in Cairo"
                            nxt.append(g)
                frontier = nxt
        return []

    def _dates_by_clause(self, doc: Doc, dates: Sequence[tuple[TimeSpan, int]]) -> dict[int, TimeSpan]:
        out: dict[int, TimeSpan] = {}
        for ts, head_i in dates:
            if ts.start is None:
                continue
            h = doc[head_i]
            for _ in range(10):
                if h.pos_ in ("VERB", "AUX") or h.head == h:
                    break
                if h.pos_ == "NOUN" and h.i != head_i and h.lemma_.lower() in self.lexicon.nouns:
                    out.setdefault(h.i, ts)  # "his trip last week": the trip's date, and its clause's
                h = h.head
            out.setdefault(h.i, ts)
        return out

    def _date_for(self, f: _Found, sent: int, sent_of: Sequence[int], clause_dates: dict[int, TimeSpan],
                  published: date | None) -> tuple[TimeSpan | None, str | None]:
        own = (f.trigger, f.verb) if f.light else (f.trigger,)
        nouns = [o for o in self._objects(f.entry, f.trigger) if o.pos_ in _NOUN_POS]
        for tok in (*own, *nouns):
            if tok is not None and tok.i in clause_dates:
                return clause_dates[tok.i], "text"
        # a "since" clause on the trigger's own verb ("has grown closer since the war began in 2022")
        v = f.verb if f.light else None
        if v is not None:
            for c in v.children:
                if c.dep_ == "advcl" and c.i in clause_dates and any(
                        g.dep_ == "mark" and g.lower_ == "since" for g in c.children):
                    return clause_dates[c.i], "text"
        # a governing clause's date: coordinated, controlling or reporting verbs
        # ("will visit X from 26-28 October and meet Y"; "on Monday officials said X met Y")
        h = f.verb if f.verb is not None and f.light else f.trigger
        for _ in range(6):
            if h.head == h:
                break
            h = h.head
            if h.i in clause_dates:
                return clause_dates[h.i], "sentence"
        if published is not None:
            d = published.isoformat()
            return TimeSpan(d, d, "day", "DATE", d), "published"
        return None, None

    def _location(self, f: _Found, doc: Doc, places: dict[int, Place],
                  recipients: list[Actor]) -> Place | None:
        hosts = [f.trigger] + ([f.verb] if f.verb is not None and f.light else [])
        if f.verb is not None and f.light:  # "kidnapped advisers and exploded bombs in Kabul"
            hosts += [c for c in f.verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]
            # "killed nine people when the device went off in Mosul"
            hosts += [c for c in f.verb.children if c.dep_ == "advcl" and any(
                g.dep_ in ("mark", "advmod") and g.lower_ in ("when", "as", "while") for g in c.children)]
        v = f.verb
        while v is not None and v.dep_ == "conj" and v.head != v and len(hosts) < 5:
            v = v.head  # "will visit Washington ... and meet Blinken": the meeting is in Washington
            hosts.append(v)
            if _forms(v)[0] in _VISIT_VERBS:
                for c in v.children:
                    dest = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"] \
                        if c.dep_ == "prep" and c.lower_ in ("to", "in") else []
                    for d in dest:
                        if d.i in places:
                            return places[d.i]
        if f.entry.type not in _SPEECH_TYPES:  # "blocked roads in Lima", "shelled a village near Idlib"
            hosts += [c for h in hosts[:2] for c in h.children if c.dep_ == "dobj" and c != f.trigger]
        for host in hosts:
            frontier = [host]
            for _ in range(4):  # "met on the margins of the NATO summit in Vilnius"
                nxt = []
                for node in frontier:
                    for c in node.children:
                        if c.dep_ != "prep":
                            continue
                        for g in c.children:
                            if g.dep_ != "pobj":
                                continue
                            here = _place_of(g, places)
                            if c.lower_ in _LOCATIVE and here is not None and not (
                                    c.lower_ == "on" and here.precision == "country"):
                                return here  # "called on the US", "sanctions on Iran": not places
                            nxt.append(g)
                frontier = nxt
            if f.entry.mode == "visit":
                break
        if f.entry.mode == "visit":
            for r in recipients:
                for s in r.spans:
                    tok = doc.char_span(s.start, s.end, alignment_mode="expand")
                    if tok is not None and tok.root.i in places:
                        return places[tok.root.i]
        return None

    @staticmethod
    def _in_condition(f: _Found) -> bool:
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

    def _events(self, f: _Found, doc: Doc, m: Mentions, sent_of: Sequence[int], sentences: Sequence[Span],
                clause_dates: dict[int, TimeSpan], places: dict[int, Place],
                published: date | None) -> Iterable[Event]:
        e, t = f.entry, f.trigger
        if self._in_condition(f):
            return []
        if e.kind == "verb" and e.type == "ACCUSE" and _forms(t)[0] == "protest" and f.verb is not None and not any(
                _stately(a) for s in self._subject(f.verb) for a in m.actors(s)):
            # "farmers protested against EU policies" demonstrate; a state protesting objects (below)
            alt = next((x for x in self.lexicon.verbs.get("protest", ()) if x.type == "PROTEST" and not x.complement),
                       None)
            if alt is not None:
                f = replace(f, entry=alt, mode=self._mode(alt, t))
                e = alt
        # actor
        actors: list[Actor] = []
        if e.kind == "noun":
            poss = self._possessor(t)
            if poss is not None:
                actors = m.actors(poss)
        if not actors and f.verb is not None:
            subj = self._subject(f.verb)
            if any(s.lemma_.lower() in _FORCES_OF_NATURE for s in subj):
                return []  # "struck by an earthquake": no one did it
            if any(s.lemma_.lower() in SPORTS for s in subj):
                return []  # "the French team will meet Brazil": sport
            for s in subj:
                actors.extend(m.actors(s))
        objects = [c for c in ((f.verb or t).children) if c.dep_ in ("dobj", "nsubjpass")]
        if e.kind == "noun":
            objects = [t] + objects
        else:
            objects += [g for p in self._preps(t) for g in p.children if g.dep_ == "pobj"]
        if not actors:
            passive = f.verb is not None and any(c.dep_ == "auxpass" for c in f.verb.children)
            for o in objects:
                if passive and o.dep_ == "nsubjpass":
                    continue  # "Iraqi civilians were killed": the victims, not the attackers
                if o.pos_ != "NOUN" or (o != t and o.ent_type_):
                    continue  # "US sanctions", not "U.N. mediator Diego Cordovez" (a recipient)
                if o != t and not (e.object and o.lemma_.lower() in e.object):
                    continue  # "charged its neighbour with …": the neighbour is the target, not the doer
                actors = self._nationality_actor(o, m)
                if actors:
                    break
        if not actors and e.type in ("PROTEST", "REQUEST") and f.verb is not None:
            # "Islamist students continued their hunger strike": unnamed people, placed below
            actors = [self._unnamed(s, sent_of) for s in self._subject(f.verb) if s.pos_ == "NOUN" and (
                s.tag_ == "NNS" or s.lemma_.lower() in _GROUPS)][:1]
        # recipients
        recipients: list[Actor] = []
        for slot in e.recipient:
            for tok in self._slot(slot, f, objects):
                recipients.extend(m.actors(tok))
            if recipients:
                break
        recipients = [r for r in recipients if not any(_same(r, a) for a in actors)]
        if e.requires_recipient and not recipients:
            return []
        if e.type == "THREATEN" and not recipients and self._warns_of_others(f, m, actors):
            return []  # "warning that the lull was fragile": a statement, not a threat
        if not recipients and e.type in _VERBAL_ACTS | {"PROTEST"} and not (e.symmetric and len(actors) > 1) \
                and _forms(t)[0] not in ("deny", "dismiss"):  # "denies targeting civilians": no one is answered
            own = {a.country for a in actors if a.country}
            recipients = self._content_recipients(f, m, own)
        if not recipients and e.type in ("RETREAT", "CONCEDE"):
            # "opened the bridge to allow deliveries to Afghanistan": whom the purpose names
            recipients = self._content_recipients(f, m, {a.country for a in actors if a.country})
        if not recipients and "dobj" in e.recipient:
            recipients = self._owner_of_object(f, m)
        recipients = [r for r in recipients if not any(_same(r, a) for a in actors)]  # "evacuating its citizens"
        if e.type == "CONSULT" and e.symmetric and not recipients and len(actors) < 2:
            return []  # "to meet" with nobody to meet
        if e.symmetric and not actors and len(recipients) > 1:
            actors, recipients = recipients[:1], recipients[1:]  # "clashes between X and Y"
        if e.inverse:
            actors, recipients = recipients, actors  # "X hosted Y": Y is the visitor
        location = self._location(f, doc, places, recipients)
        if self._home is not None and not (location is not None and location.country):
            # "the army", "police" in a story about one country are its own (where the clause names no place)
            actors = [_homed(a, self._home) for a in actors]
            recipients = [_homed(r, self._home) for r in recipients]
        recipients = self._domestic(e.type, actors, recipients, location, lifts=e.negated_type is None)
        if self._home is not None:
            actors = [_homed(a, self._home) for a in actors]
            recipients = [_homed(r, self._home) for r in recipients]
        own = {a.country for a in actors if a.country}
        recipients = [r for r in recipients if not (r.country in own and r.spans and _PAIR_PHRASE.fullmatch(
            r.spans[0].text.lower()))]  # who urges "both sides" is not one of them
        pairs: list[tuple[Actor | None, Actor | None]]
        if e.symmetric and not recipients and len(actors) > 1:
            pairs = [(actors[0], r) for r in actors[1:]]
        else:
            pairs = [(a, r) for a in (actors or [None]) for r in (recipients or [None])]  # type: ignore[list-item]
        pairs = [(a, r) for a, r in pairs if (a is not None and a.coded) or (r is not None and r.coded)]
        if e.type == "CONSULT" and f.mode == "visit":
            # a visit needs someone or somewhere visited ("a trip to the Middle East" names no one); going
            # home, or to a hospital at home, is not a visit
            pairs = [(a, r) for a, r in pairs if r is not None]
            pairs = [(a, r) for a, r in pairs if not (a is not None and r is not None and a.country and (
                (r.kind in ("GPE", None) and r.country == a.country) or (r.kind is None and r.role is None)))]
        if not pairs:
            return []
        sent = sent_of[t.i]
        ts, date_source = self._date_for(f, sent, sent_of, clause_dates, published)
        fact = self.factuality(f.verb if f.verb is not None else t)
        if fact == "asserted" and ts is not None and published is not None and ts.start and date_source == "text":
            if ts.start > published.isoformat():
                fact = "planned"
            elif ts.end and date.fromisoformat(ts.end) < published - timedelta(days=HISTORICAL_DAYS) and \
                    not _since(doc, ts):
                fact = "historical"  # background: "was sanctioned in 2018", in a 2023 story
        etype, mode = e.type, f.mode
        if fact == "hypothetical" and e.type in _VERBAL_ACTS | {"ACCUSE"} and f.verb is not None and not any(
                c.dep_ == "aux" and c.lower_ in ("would", "could", "might") for c in f.verb.children):
            fact = "asserted"  # "warned Pyongyang of consequences if it tests": the warning was made
        if fact == "negated" and e.negated_type:
            etype, mode, fact = e.negated_type, None, "asserted"  # "will not accept X" rejects X
        elif fact in ("planned", "asserted", "hypothetical") and self._conditional(f):
            etype, mode, fact = "THREATEN", None, "asserted"  # "will withdraw unless ...": a threat
        elif fact == "planned" and etype in _PROMISABLE and date_source != "text" and mode != "resign":
            etype, mode, fact = "AGREE", None, "asserted"  # "Norway will give Malawi a loan": a promise
        elif fact == "planned" and etype in _THREATENABLE and date_source != "text":
            etype, mode, fact = "THREATEN", None, "asserted"  # "will extend the curfew": a threat
        if fact == "hypothetical" and etype in _PROMISABLE | {"CONSULT"}:
            etype, mode = "AGREE", None  # "would meet the mediator if he …": a conditional offer
        if etype == "COOPERATE" and mode == "military" and not recipients and len(actors) < 2:
            etype, mode = "MOBILIZE", "troops"  # one side's war games: a show of force
        if etype == "AGREE" and e.kind == "verb" and _forms(t)[0] in ("vow", "swear", "pledge", "promise") and any(
                c.dep_ == "xcomp" and set(_forms(c)) & _HOSTILE_COMPLEMENTS for c in t.children):
            etype, mode = "THREATEN", None  # "vowed to fight on": a threat, not an agreement
        if etype == "COERCE" and _forms(t)[0] in ("block", "blockade") and actors and not any(
                a.kind == "GPE" or a.igo or a.sector in _STATE_SECTORS for a in actors):
            etype, mode = "PROTEST", "obstruct"  # workers or rebels blocking a road protest by obstruction
        if etype == "PROTEST" and e.kind == "verb" and _forms(t)[0] == "protest" and actors and all(
                _stately(a) for a in actors):
            etype, mode = "ACCUSE", "disapprove"  # "the Philippines protested the presence of Chinese ships"
        if etype == "ASSAULT" and not any(r.coded for r in recipients) and (any(
                g.lemma_.lower() in ("sea", "ocean", "waters", "water") for p in self._preps(f.verb or t)
                for g in p.children if g.dep_ == "pobj") or any(c.lower_ == "test" for c in t.children)):
            etype, mode = "MOBILIZE", "weapons"  # "fired a missile into the sea": a show of force, not an attack
        if etype == "COERCE" and mode == "seize" and _forms(t)[0] == "raid" and actors and all(
                a.sector == "MIL" for a in actors):
            etype, mode = "ASSAULT", None  # an army's raid is an armed attack; a police raid is a search
        if etype == "AID" and mode == "military" and actors and all(a.sector in ("REB", "ISM") for a in actors):
            etype, mode = "RETREAT", "disarm"  # rebels handing over their weapons disarm
        if etype == "PROTEST" and mode == "riot" and _forms(t)[0] in ("loot", "pillage", "ransack") and actors and \
                all(a.sector in ("MIL", "REB", "COP") for a in actors):
            etype, mode = "ASSAULT", "destroy"  # fighters looting is violence, not a riot
        if etype == "AGREE" and e.kind == "verb" and any(
                c.dep_ == "xcomp" and any(g.dep_ == "neg" for g in c.children) for c in t.children):
            etype, mode = "REJECT", None  # "vowed never to hand back the islands": a refusal
        if etype == "CONSULT" and mode == "visit" and actors and (all(
                a.kind is None and a.sector == "MIL" for a in actors) or (f.verb is not None and any(
                w.lower_ in _TROOP_WORDS for s in self._subject(f.verb) for w in s.subtree))):
            # troops arriving are not a diplomatic visit: peacekeepers are aid, other forces a deployment
            peace = any("peacekeep" in a.name.lower() for a in actors) or (f.verb is not None and any(
                w.lower_.startswith("peacekeep") for s in self._subject(f.verb) for w in s.subtree))
            etype, mode = ("AID", "military") if peace else ("MOBILIZE", "troops")
        if ts is not None and ts.start and date_source in ("text", "context"):
            day = date.fromisoformat(ts.start)  # people are coded by the office they held then
            pairs = [(m.at_date(a, day) if a is not None else None, m.at_date(r, day) if r is not None else None)
                     for a, r in pairs]
        typ = self.ontology.types[etype]
        trig = Span(t.idx, t.idx + len(t.text), t.text, sent)
        out = []
        for a, r in pairs:
            out.append(Event(
                type=etype,
                mode=mode,
                actor=a,
                recipient=r,
                trigger=trig,
                factuality=fact,
                date=ts,
                date_source=date_source,
                location=location,
                quad_class=typ.quad_class,
                score=self.ontology.score(etype, mode),
                cameo_root=typ.cameo_root,
                goldstein=typ.goldstein,
                ontology_version=self.ontology.version,
                evidence=(sentences[sent],),
                mentions=(sent,),
            ))
        return out


def _of_time(p: Token) -> bool:
    """A preposition that only dates the clause ("on Sunday", "in June"), not one of the verb's own."""
    objs = [g for g in p.children if g.dep_ == "pobj"]
    return bool(objs) and all(g.ent_type_ in ("DATE", "TIME") for g in objs)


def _of_people(t: Token) -> bool:
    """A thing of people: "a meeting of Palestinian factions"."""
    return any(g.dep_ == "pobj" and g.tag_ in ("NNS", "NNPS") for p in t.children if p.dep_ == "prep"
               and p.lower_ == "of" for g in p.children)


def _place_of(g: Token, places: dict[int, Place]) -> Place | None:
    """The place a noun names itself or by its compound: "Kaduna state", "the Kherson region"."""
    if g.i in places:
        return places[g.i]
    if g.lemma_.lower() in PLACE_NOUNS:  # "Kaduna state", "the capital Kabul"
        return next((places[c.i] for c in g.children if c.dep_ in ("compound", "appos") and c.i in places), None)
    return None


def _stately(a: Actor) -> bool:
    """A state, an international organisation or an organ of government."""
    return a.kind == "GPE" or a.igo is not None or a.sector in _STATE_SECTORS


def _agent(a: Actor) -> bool:
    """A person, group or organisation, not a thing with a nationality ("Mexican soil", "US goods")."""
    return a.kind is not None or a.role is not None or a.name.split()[-1].lower().endswith("s")  # "factions"


def _homed(a: Actor, home: str) -> Actor:
    """In a story about one country, its unnamed organs and groups ("the army", "police", "the
    opposition", "protesters") and the organisations and titled people it names but the registry
    does not know ("the Election Commission", "BNP leader X") are that country's."""
    if a.coded or (a.role or "").startswith("former "):
        return a
    if a.kind == "ORG" or (a.kind == "PERSON" and a.role is not None):
        return replace(a, country=home)
    words = a.name.split()
    if a.kind is not None or a.role is None or any(w[:1].isupper() for w in words[1:]) or (
            words[0][:1].isupper() and words[0].lower() not in _BARE_STARTS):
        return a  # "European governments" names its own place
    return replace(a, country=home)


def _since(doc: Doc, ts: TimeSpan) -> bool:
    """Whether a date opens an ongoing state ("since 2018", "since the war began in 2022")."""
    if ts.span is None:
        return False
    before = doc.text[max(0, ts.span.start - 60):ts.span.start].lower()
    return "since" in before.split()[-6:]


def _same(a: Actor, b: Actor) -> bool:
    if a.name == b.name:
        return True
    return bool(a.spans and b.spans and a.spans[0].start == b.spans[0].start)


def _key(a: Actor | None) -> tuple[str | None, ...]:
    if a is None:
        return (None,)
    if a.kind == "PERSON":
        return (a.registry_id or a.name,)
    return (a.country, a.igo) if a.coded else (a.name,)


def _width(ts: TimeSpan | None) -> int:
    if ts is None or not ts.start or not ts.end:
        return 1 << 30
    return (date.fromisoformat(ts.end) - date.fromisoformat(ts.start)).days


def _compatible(a: Event, b: Event) -> bool:
    weak = {None, "published", "context", "sentence"}
    if a.date_source in weak or b.date_source in weak or a.date is None or b.date is None:
        return True
    return bool(a.date.start and b.date.start and a.date.end and b.date.end and
                a.date.start <= b.date.end and b.date.start <= a.date.end)


def _merge(events: list[Event]) -> tuple[list[Event], dict[int, TimeSpan]]:
    """One event per real-world event: repeated mentions (same type and actors, compatible dates)
    merge into the first, which keeps every mention and the most precise date. Also returns the
    vague date expressions (a week, a month) that a more precise mention of the same event pins down,
    by their character offset."""
    out: list[Event] = []
    refined: dict[int, TimeSpan] = {}
    for ev in events:
        hit = None
        for i, o in enumerate(out):
            if o.type != ev.type or _key(o.actor) != _key(ev.actor) or not _compatible(o, ev):
                continue
            if o.mode and ev.mode and o.mode != ev.mode:
                continue  # arriving in Cairo and meeting officials there are two events
            if o.factuality != ev.factuality and not {o.factuality, ev.factuality} <= {"asserted", "planned"}:
                continue  # a meeting that might happen is not the one that did
            if {o.factuality, ev.factuality} == {"asserted", "planned"} and any(
                    x.factuality == "asserted" and x.date_source == "text" for x in (o, ev)):
                continue  # asked last week, and will push again: two acts
            if _key(o.recipient) == _key(ev.recipient) or (ev.recipient is None and (
                    o.mode == ev.mode or (ev.mode is None and o.mentions == ev.mentions))):
                hit = i
                break
            if o.recipient is None and (o.mode == ev.mode or ev.mode is None) and o.mentions == ev.mentions:
                hit = i  # "launched mortar and rocket fire against X": one attack, its target named once
                out[i] = replace(o, recipient=ev.recipient)
                break
        if hit is None:
            out.append(ev)
            continue
        o = out[hit]
        weak = (None, "published", "context")
        better_date = (o.date_source in weak and ev.date_source not in weak) or (
            o.date_source not in weak and ev.date_source not in weak and _width(ev.date) < _width(o.date))
        if better_date and o.date is not None and ev.date is not None and o.date.span is not None and \
                o.date.granularity in ("day", "week", "month") and o.date.start and o.date.end and \
                ev.date.start and ev.date.end and o.date.start <= ev.date.start and ev.date.end <= o.date.end \
                and _width(ev.date) < _width(o.date) <= 31:
            refined[o.date.span.start] = ev.date
        out[hit] = replace(
            o,
            mode=o.mode or ev.mode,
            date=ev.date if better_date else o.date,
            date_source=ev.date_source if better_date else o.date_source,
            location=o.location or ev.location,
            evidence=tuple(dict.fromkeys(o.evidence + ev.evidence)),
            mentions=tuple(dict.fromkeys(o.mentions + ev.mentions)),
        )
    return out, refined
