"""Arguments: who acts (the actor) and who is acted on (the recipients) of one trigger.

* the actor: the subject; the ``by`` agent of a passive; for a verb without a
  subject, the subject it shares (coordination, control, "accused X of doing" where
  X is the doer); for a nominal trigger, its light verb's subject or its possessor
  ("Wang's trip", "US sanctions");
* the recipients: the entry's slots in order (direct object, prepositional objects on
  the verb or the noun, datives), expanded over coordination ("Israel and Ukraine");
  for a passive, the subject; for what was said, asked or refused, the recipient of its content;
* the countries of the unnamed: the story's home country, and PLOVER's convention for
  unnamed domestic targets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from spacy.tokens import Token

from ..mentions import SPORTS, Mentions
from ..records import Actor, Event, Place, Span
from .lexicon import Entry, Lexicon
from .matching import RESPONSES, VERBAL_ACTS, Found, match
from .sides import UNIDENTIFIED
from .syntax import NOUN_POS, SUBJ, clause_verb, forms, has_infinitive, of_people, possessor, preps_of, pronoun_free
from .words import WORDS

_BOUNDARIES = {"border", "frontier", "boundary"}
_RECIPIENT_PREPS = {"to", "with", "on", "against", "in", "into", "from", "at", "toward", "towards", "upon", "for"}
# types whose unnamed targets are taken to be local (PLOVER's domestic convention)
_DOMESTIC_TYPES = {"PROTEST", "COERCE", "ASSAULT"}
_LOCAL_TYPES = _DOMESTIC_TYPES | {"THREATEN", "REQUEST", "REJECT", "CONCEDE", "MOBILIZE"}
# the state's own arms: when they block a road it is coercion, when others do it is a protest
STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}
#: a score ("2-0", "28-24"): what a clause with one reports is a game, unless a month comes first ("May 5-6")
_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? ?$", re.I)
_SCORE = re.compile(r"(?<![\d,.-])\d{1,3} ?- ?\d{1,3}(?![\d,.%-])")  # not a date ("1996-11-20")
#: officials who serve abroad: where they are says nothing of whose they are
_ENVOYS = frozenset({"diplomat", "ambassador", "envoy", "consul", "attache", "delegation", "peacekeepers",
                     "peacekeeper", "inspector", "inspectors", "observer", "observers", "monitor", "monitors"})
_PAIR_PHRASE = re.compile(r"(both|the two)( \w+)? (sides|countries|parties|governments|nations|leaders|neighbou?rs|"
                          r"states|capitals|delegations)")

Pair = tuple[Actor | None, Actor | None]


# ------------------------------------------------------------------ syntax of arguments


def subject(v: Token, lex: Lexicon, depth: int = 0) -> list[Token]:
    """Who does what a verb says: its subject, a passive's agent, or the subject it shares."""
    if depth > 5:
        return []
    passive = False
    for c in v.children:
        if c.dep_ in SUBJ:
            if c.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                return [v.head]
            buried = _buried_first(c)
            return [buried, c] if buried is not None else [c]
        if c.dep_ in ("nsubjpass", "auxpass"):
            passive = True
    if passive and forms(v)[0] in WORDS.adjectival and any(c.dep_ in ("prep", "agent") for c in v.children):
        return [c for c in v.children if c.dep_ == "nsubjpass"]  # "Israel is opposed to X"
    if not passive and v.dep_ == "ROOT":
        # "Turkey massed troops …" parsed with "Turkey" as an adverbial noun: a name that opens the
        # sentence before its verb is its subject (not a date: "Monday, …")
        first = next(iter(v.lefts), None)
        if first is not None and first.dep_ == "npadvmod" and first.pos_ == "PROPN" and first.i == v.sent.start \
                and first.ent_type_ not in ("DATE", "TIME"):
            return [first]
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
        if head.lemma_.lower() in lex.object_control:
            objs = [c for c in head.children if c.dep_ == "dobj"]
            if objs:
                return objs
        return subject(head, lex, depth + 1)
    if dep == "pcomp" and head.dep_ == "prep":
        owner = head.head
        if owner.pos_ in NOUN_POS | {"PRON"}:
            return [owner]
        if head.lower_ not in ("of", "for", "with"):
            # "expelled the diplomats after accusing Moscow": the main clause's subject
            return subject(owner, lex, depth + 1)
        # "accused X of kidnapping", "X was accused of kidnapping": X did it
        objs = [c for c in owner.children if c.dep_ == "dobj"] or [
            c for c in owner.children if c.dep_ == "nsubjpass"]
        return objs or subject(owner, lex, depth + 1)
    if dep == "conj" or (dep == "advcl" and (v.tag_ == "VBG" or has_infinitive(v))):
        grammatical = [c for c in head.children if c.dep_ == "nsubjpass"]
        if dep == "conj" and grammatical:  # "X was indicted by the court and will resign": X resigns
            return grammatical
        return subject(head, lex, depth + 1)
    if dep in ("acl", "advcl") and v.tag_ == "VBN":
        # "the talks mediated by Kenya": a participle's agent; none when it names none
        return [g for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if dep == "acl" and head.pos_ == "NOUN" and head.lemma_.lower() in WORDS.intentions and has_infinitive(v):
        return [head]  # "the American decision to send tanks": whose decision it is
    if dep == "relcl":
        if has_infinitive(v) and any(
                en.type in ("PROTEST", "CONSULT") for en in lex.nouns.get(head.lemma_.lower(), ())) \
                and (cv := clause_verb(head)) is not None and cv != v:
            return subject(cv, lex, depth + 1)  # "gathered for a march in Accra to oppose X"
        return [head]
    if dep == "acomp":  # "Tokyo was alarmed by …"
        return subject(head, lex, depth + 1)
    if dep == "acl" and v.tag_ == "VBG":
        if head.dep_ in ("dobj", "pobj") and head.pos_ == "NOUN" and head.lemma_.lower() in WORDS.documents:
            # "issued a declaration demanding …": whoever issued it demands
            owner = head.head if head.dep_ == "dobj" else head.head.head
            if owner.pos_ in ("VERB", "AUX"):
                return subject(owner, lex, depth + 1)
        return [head]
    return []


_NAMES = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _buried_first(s: Token) -> Token | None:
    """The first of two named subjects the parser hung inside the second's noun phrase: in "President
    Mobutu Sese Seko and rebel leader Laurent Kabila met" it made "Seko" (with the "and") a modifier of
    "leader", so "Kabila" alone seemed to meet."""
    if s.ent_type_ not in _NAMES or any(c.dep_ == "conj" for c in s.children):
        return None
    for t in s.lefts:
        for x in t.subtree:
            if x.pos_ == "PROPN" and x.ent_type_ in _NAMES and x.dep_ != "conj" and any(
                    c.dep_ == "cc" and c.lower_ == "and" and not c.ent_type_ and c.i > x.i for c in x.children):
                return x
    return None


def _slot(name: str, f: Found, objects: list[Token]) -> list[Token]:
    """The words that fill one of an entry's recipient slots ("dobj", "dative", "prep:with", ...)."""
    t, v = f.trigger, f.verb
    hosts = [t] if t is v or v is None or not f.light else [t, v]
    if name == "dobj":
        out = [c for h in hosts for c in h.children if c.dep_ in ("dobj",)]
        if v is not None and any(c.dep_ == "auxpass" for c in v.children):
            out += [c for c in v.children if c.dep_ == "nsubjpass"]
        return [o for o in out if o != t]
    if name == "dative":
        out = []
        for h in hosts:
            for c in h.children:
                if c.dep_ == "dative":
                    out.extend([g for g in c.children if g.dep_ == "pobj"] or [c])
                elif c.dep_ == "prep" and c.lower_ == "to":
                    out.extend(g for g in c.children if g.dep_ == "pobj")
        return out
    if name == "ccomp:subj":
        return [g for h in hosts for c in h.children if c.dep_ == "ccomp" and not (
                    c.i > h.i and c.lemma_.lower() in WORDS.reporting)
                for g in c.children if g.dep_ in ("nsubj", "poss")]
    if name.startswith("obj:prep:"):
        word = name[len("obj:prep:"):]
        return [g for o in objects for c in o.children if c.dep_ == "prep" and c.lower_ == word
                for g in c.children if g.dep_ == "pobj"]
    if name.startswith("prep:"):
        word = name[len("prep:"):]
        out = []
        for h in hosts:
            for c in preps_of(h):
                if c.lower_ == word:
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    if not objs:  # "to five officers holed up in …": the parser made them a clause's subject
                        objs = [g for g in c.doc[c.i + 1:c.i + 6] if g.dep_ == "nsubj" and g.pos_ in NOUN_POS
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


def clause_objects(f: Found) -> list[Token]:
    """The words the trigger's clause acts on: objects, a passive's subject, prepositional objects
    (for a nominal trigger, the noun itself first)."""
    t = f.trigger
    objects = [c for c in ((f.verb or t).children) if c.dep_ in ("dobj", "nsubjpass")]
    v = f.verb or t
    if v.dep_ == "acl" and v.tag_ == "VBN" and v.head.pos_ in NOUN_POS:
        objects.append(v.head)  # "a truce between A and B brokered by Egypt": what the participle acts on
    if f.entry.kind == "noun":
        return [t] + objects
    return objects + [g for p in preps_of(t) for g in p.children if g.dep_ == "pobj"]


# ------------------------------------------------------------------ kinds of actors


def _same(a: Actor, b: Actor) -> bool:
    """One actor: the same name, or the same first mention."""
    if a.name == b.name:
        return True
    return bool(a.spans and b.spans and a.spans[0].start == b.spans[0].start)


def _shared_objects(v: Token) -> list[Token]:
    """The objects a verb without its own shares with the next verb it is joined to, when that verb has no
    subject of its own: its direct object, then what it is aimed "at", "on" or "against" (the first that
    names someone is taken: "fired water cannon at the boats")."""
    if any(c.dep_ in ("dobj", "nsubjpass", "auxpass") for c in v.children):
        return []
    for c in v.children:
        if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > v.i and not any(g.dep_ in SUBJ for g in c.children):
            return [g for g in c.children if g.dep_ == "dobj"] + [
                o for p in c.children if p.dep_ == "prep" and p.lower_ in ("at", "on", "against")
                for o in p.children if o.dep_ == "pobj"]
    return []


def _own_thing(r: Actor, actors: list[Actor]) -> bool:
    """A thing of the doer's own, no one acted on: "Iran reopened its embassy in Riyadh", "Georgia dropped its
    objections", "Poland sent troops to its eastern frontier" (no name, no office, no sector; "its" gave
    it the doer's country). The other side is then sought where the text names it."""
    return r.kind is None and r.role is None and r.sector is None and not r.igo and bool(r.country) and \
        any(a.country == r.country for a in actors) and r.name.lower().startswith(("its ", "their "))


def stately(a: Actor) -> bool:
    """A state, an international organisation or an organ of government."""
    return a.kind == "GPE" or a.igo is not None or a.sector in STATE_SECTORS


def _agent(a: Actor) -> bool:
    """A person, group or organisation, not a thing with a nationality ("Mexican soil", "US goods")."""
    return a.kind is not None or a.role is not None or a.name.split()[-1].lower().endswith("s")  # "factions"


def _homed(a: Actor, home: str) -> Actor:
    """In a story about one country, its unnamed organs and groups ("the army", "police", "the
    opposition", "protesters") and the organisations and titled people it names but the registry
    does not know ("the Election Commission", "BNP leader X") are that country's."""
    if a.coded or (a.role or "").startswith("former ") or a.sector in UNIDENTIFIED:
        return a
    if a.kind == "ORG" or (a.kind == "PERSON" and a.role is not None):
        return replace(a, country=home)
    words = a.name.split()
    if a.kind is not None or a.role is None or any(w[:1].isupper() for w in words[1:]) or (
            words[0][:1].isupper() and words[0].lower() not in WORDS.bare_starts):
        return a  # "European governments" names its own place
    return replace(a, country=home)


def _nationality_actor(t: Token, m: Mentions) -> list[Actor]:
    for c in t.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod", "nsubj"):
            ent = m.entity_at(c.i)
            if ent is not None and (ent.country or ent.igo):
                return m.actors(c, expand=False)
            if c.dep_ == "poss":
                return m.actors(c, expand=False)
    return []


def _unnamed(t: Token, sent_of: Sequence[int]) -> Actor:
    """An actor for people the text describes but the registry cannot code ("Islamic
    fundamentalists", "a group of refugees"): no country until the event's place gives one."""
    left = t.left_edge.i
    doc = t.doc
    while left < t.i and (doc[left].pos_ in ("DET", "NUM", "PUNCT") or doc[left].lower_ in ("up", "to")):
        left += 1
    span = doc[left:t.i + 1]
    return Actor(name=span.text, sector="CVL", spans=(Span(span.start_char, span.end_char, span.text,
                                                           sent_of[t.i]),))


# ------------------------------------------------------------------ the actor


def _scored(v: Token) -> bool:
    """Whether a clause gives a game's score ("beat Nigeria 2-1"), not a range of days ("on October 26-28")."""
    text = v.doc[v.left_edge.i:v.right_edge.i + 1].text  # the clause's own text: Doc.text joins the whole doc
    return any(not _MONTH_BEFORE.search(text[:m.start()]) for m in _SCORE.finditer(text))


def actors_of(f: Found, objects: list[Token], m: Mentions, sent_of: Sequence[int],
              lex: Lexicon) -> list[Actor] | None:
    """Who acts; None when no one does ("struck by an earthquake") or it is sport."""
    e, t = f.entry, f.trigger
    actors: list[Actor] = []
    if e.kind == "noun":
        poss = possessor(t)
        if poss is not None:
            actors = m.actors(poss)
    if not actors and f.verb is not None:
        subj = subject(f.verb, lex)
        if any(s.lemma_.lower() in WORDS.forces_of_nature for s in subj):
            return None  # "struck by an earthquake": no one did it
        if e.type == "ASSAULT" and f.verb.dep_ in ("advcl", "conj") and f.verb.head.lemma_.lower() in WORDS.mishaps:
            return None  # "the helicopter crashed, killing three officers": an accident
        if any(s.lemma_.lower() in SPORTS for s in subj) or (e.type in ("ASSAULT", "CONSULT") and _scored(f.verb)):
            return None  # "the French team will meet Brazil", "Japan beat Tunisia 2-0": sport
        if subj and all(s.i in m.dateline for s in subj):
            # "SEOUL 1996-05-14 - North Korea warned …": the parser made the dateline a subject too (where it
            # hangs the subject on the dateline instead, the mentions find it there)
            subj = [c for c in f.verb.children if c.dep_ in SUBJ and c.i not in m.dateline][:1] or [
                c for s in subj for c in s.children if c.dep_ == "appos" and c.i not in m.dateline][:1] or subj
        for s in subj:
            actors.extend(m.actors(s) or [a for d in _doers_of_act(s, lex) for a in m.actors(d)])
        if not actors and e.type in VERBAL_ACTS | {"ACCUSE"} and (said := _misattached(f.verb, lex)) is not None:
            # "Pyongyang said the submarine had drifted and demanded its return": the parser hung the
            # demand on what was said; a thing that is no one cannot demand, the one who spoke does
            for s in subject(said, lex):
                actors.extend(m.actors(s))
    if not actors:
        passive = f.verb is not None and any(c.dep_ == "auxpass" for c in f.verb.children)
        for o in objects:
            if passive and o.dep_ == "nsubjpass":
                continue  # "Iraqi civilians were killed": the victims, not the attackers
            if o.pos_ != "NOUN" or (o != t and o.ent_type_):
                continue  # "US sanctions", not "U.N. mediator Diego Cordovez" (a recipient)
            if o != t and not (e.object and o.lemma_.lower() in e.object):
                continue  # "charged its neighbour with …": the neighbour is the target, not the doer
            actors = _nationality_actor(o, m)
            if actors:
                break
    if not actors and e.type == "COERCE" and f.mode == "arrest" and f.verb is t and _agentless_passive(t):
        # "six people were arrested after the blast": by the police of the place, which ``placed`` gives
        actors = [Actor(name="police", sector="COP", role="police")]
    if not actors and e.type in ("PROTEST", "REQUEST") and f.verb is not None:
        # "Islamist students continued their hunger strike": unnamed people, placed below
        actors = [_unnamed(s, sent_of) for s in subject(f.verb, lex) if s.pos_ == "NOUN" and (
            s.tag_ == "NNS" or s.lemma_.lower() in WORDS.groups)][:1]
    return actors


def _doers_of_act(s: Token, lex: Lexicon) -> list[Token]:
    """Who did the act a subject names ("an attack by Tamil Tiger rebels killed 30 soldiers", "the
    army's shelling wounded five"): its "by" phrase or its possessor."""
    if s.pos_ != "NOUN" or s.lemma_.lower() not in lex.nouns:
        return []
    by = [g for p in s.children if p.dep_ == "prep" and p.lower_ == "by" for g in p.children if g.dep_ == "pobj"]
    if by:
        return by
    poss = possessor(s)
    return [poss] if poss is not None else []


def _misattached(v: Token, lex: Lexicon) -> Token | None:
    """The reporting verb ("said") whose reported clause a subjectless verb was joined to, when it was."""
    head = v.head
    if v.dep_ != "conj" or any(c.dep_ in SUBJ for c in v.children) or head.dep_ != "ccomp":
        return None
    return head.head if head.head.lemma_.lower() in WORDS.reporting else None


def _agentless_passive(v: Token) -> bool:
    """A passive verb that names no doer ("were detained", not "were detained by rebels")."""
    return any(c.dep_ == "auxpass" for c in v.children) and not any(c.dep_ == "agent" for c in v.children)


# ------------------------------------------------------------------ the recipients


def recipients_of(f: Found, objects: list[Token], actors: list[Actor], m: Mentions,
                  lex: Lexicon) -> list[Actor] | None:
    """Who is acted on; None when the event needs someone and no one is named."""
    e, t = f.entry, f.trigger
    recipients: list[Actor] = []
    for name in e.recipient:
        for tok in _slot(name, f, objects):
            if tok.lemma_.lower() in _BOUNDARIES:  # "massed troops on its border with Iraq": the neighbour
                tok = next((g for p in tok.children if p.dep_ == "prep" and p.lower_ == "with"
                            for g in p.children if g.dep_ == "pobj"), tok)
            recipients.extend(m.actors(tok))
        if recipients:
            break
    if not recipients and "dobj" in e.recipient and f.verb is t:
        # "detained and questioned three students", "rammed and fired water cannon at the boats": the parser
        # gives the shared object to the last verb only
        recipients = next((found for o in _shared_objects(t) if (found := m.actors(o))), [])
    recipients = [r for r in recipients if not any(_same(r, a) for a in actors) and not _own_thing(r, actors)]
    if not recipients and e.type == "COERCE" and f.mode == "arrest":
        # whoever is arrested is someone, named or not ("the suspect's brother was detained"): the place's
        recipients = [_unnamed(tok, m.sent) for tok in _slot(e.recipient[0], f, objects)
                      if tok.pos_ == "NOUN"][:1] if e.recipient else []
    if e.requires_recipient and not recipients:
        return None
    if e.type == "THREATEN" and not recipients:
        if _warns_of_others(f, m, actors):
            return None  # "warning that the lull was fragile": a statement, not a threat
        recipients = _warned_party(f, m)
    if not recipients and e.type in VERBAL_ACTS | {"PROTEST"} and not (e.symmetric and len(actors) > 1) \
            and forms(t)[0] not in ("deny", "dismiss"):  # "denies targeting civilians": no one is answered
        own = {a.country for a in actors if a.country}
        recipients = _content_recipients(f, m, lex, own)
    if not recipients and e.type in VERBAL_ACTS and e.symmetric and len(actors) > 1:
        # "Denmark, Norway and Sweden agreed to lend Iceland $2 billion": each lends to Iceland, not to the
        # others; a joint step against a third ("agreed on a plan to destroy Syria's weapons") stays an
        # agreement between the doers
        recipients = _content_recipients(f, m, lex, {a.country for a in actors if a.country}, _GIVING)
    if not recipients and e.type in ("RETREAT", "CONCEDE"):
        # "opened the bridge to allow deliveries to Afghanistan": whom the purpose names
        recipients = _content_recipients(f, m, lex, {a.country for a in actors if a.country})
    if not recipients and "dobj" in e.recipient:
        recipients = _owner_of_object(f, m, lex)
    recipients = [r for r in recipients if not any(_same(r, a) for a in actors)]  # "evacuating its citizens"
    if e.type == "CONSULT" and e.symmetric and not recipients and len(actors) < 2:
        return None  # "to meet" with nobody to meet
    return recipients


def meeting_parties(f: Found, m: Mentions, lex: Lexicon, named: list[Actor]) -> list[Actor]:
    """Who met at talks a participle describes ("agreed ... at talks hosted by Ethiopia", "signed the deal
    at a summit mediated by Qatar"): the doers of the clause the talks belong to, not the host or mediator."""
    t = f.trigger
    if f.verb is not t or t.dep_ != "acl" or t.tag_ != "VBN" or not any(
            en.type == "CONSULT" for en in lex.nouns.get(t.head.lemma_.lower(), ())):
        return []
    v = clause_verb(t.head)
    if v is None or v == t:
        return []
    return [a for s in subject(v, lex) for a in m.actors(s) if not any(_same(a, n) for n in named)]


def oriented(e: Entry, actors: list[Actor], recipients: list[Actor]) -> tuple[list[Actor], list[Actor]]:
    """Actors and recipients as a symmetric or inverse entry reads them."""
    if e.symmetric and not actors and len(recipients) > 1:
        actors, recipients = recipients[:1], recipients[1:]  # "clashes between X and Y"
    if e.inverse:
        actors, recipients = recipients, actors  # "X hosted Y": Y is the visitor
    return actors, recipients


def _warned_party(f: Found, m: Mentions) -> list[Actor]:
    """Who a warning says would suffer: the subject of the warned-that clause when its verb is one of the
    consequences ("warned that Hezbollah would pay a heavy price"), else no one."""
    v = f.verb if f.verb is not None else f.trigger
    for c in v.children:
        if c.dep_ == "ccomp" and c.lemma_.lower() in WORDS.consequences:
            return [a for g in c.children if g.dep_ in SUBJ or g.dep_ == "nsubjpass" for a in m.actors(g)]
    return []


def _warns_of_others(f: Found, m: Mentions, actors: list[Actor]) -> bool:
    """A warning is a threat when the warner is the one who would act; "warned that the truce
    was fragile" (another subject, no object) is not."""
    v = f.verb if f.verb is not None else f.trigger
    if any(c.dep_ in ("dobj", "xcomp") for c in v.children):
        return False
    warned_of = [g for p in v.children if p.dep_ == "prep" and p.lower_ in ("of", "about")
                 for g in p.children if g.dep_ == "pobj"]
    if warned_of and not any(g.lemma_.lower() in WORDS.threat_nouns for g in warned_of):
        return True  # "warned of larger write-offs": a forecast; "warned of retaliation" threatens
    for c in v.children:
        if c.dep_ == "ccomp":
            subj = [g for g in c.children if g.dep_ in SUBJ or g.dep_ == "nsubjpass"]
            if not subj:
                return False
            own = {a.country for a in actors} | {a.name for a in actors}
            said = m.actors(subj[0], expand=False)
            if any(a.country in own or a.name in own for a in said):
                return False
            # "warned that Vietnam would bear responsibility": what the other party would suffer threatens it
            return c.lemma_.lower() not in WORDS.consequences
    return False


_GIVING = frozenset({"AID", "CONCEDE", "RETREAT"})


def _content_recipients(f: Found, m: Mentions, lex: Lexicon, own: set[str] | None = None,
                        events_of: frozenset[str] | None = None) -> list[Actor]:
    """The recipient of what was agreed, asked, threatened or refused: the recipient of the event
    in its complement ("pledged to keep sending arms to Chad"), else the first coded
    object or prepositional object in the complement ("threatened to halt gas supplies to X",
    "declined to station troops in Mali"), else whoever made the rejected or answered
    proposal ("rejected calls by the pope", "rejected an EU appeal", "an offer from Minsk")."""
    head = f.verb if f.verb is not None and f.light else f.trigger
    comps = [c for c in head.children if c.dep_ in ("xcomp", "ccomp")]
    if not comps:  # "threatened on Monday to impose …": the infinitive hangs lower
        comps = [c for c in head.subtree if c.pos_ == "VERB" and c != head and c.dep_ in ("acl", "advcl")
                 and has_infinitive(c) and clause_verb(c.head) == head][:1]
    # a group of the actor's own country is the recipient only when no foreign one is named
    # ("threatened to jail Kenyan opposition leaders" vs "in its border war with Eritrea")
    domestic: list[Actor] = []
    for c in comps:
        for t in c.subtree:
            found = match(t, lex)
            if found is None or found.trigger == f.trigger or (events_of is not None and
                                                                found.entry.type not in events_of):
                continue
            objects = [o for o in found.trigger.children if o.dep_ in ("dobj", "nsubjpass")]
            for name in found.entry.recipient:
                toks = _slot(name, found, objects)
                out = [a for tok in toks for a in m.actors(tok) if not (own and a.country in own)]
                if out:
                    return out
                domestic = domestic or [a for tok in toks if pronoun_free(tok) for a in m.actors(tok)
                                        if a.coded and a.kind != "GPE" and _agent(a)]
    if events_of is not None:
        return []
    for c in comps:
        for t in c.subtree:
            if t.dep_ in ("dobj", "pobj") and (t.dep_ == "dobj" or t.head.lower_ in _RECIPIENT_PREPS or (
                    t.head.lower_ == "of" and t.head.head.dep_ == "dobj")):  # "to recognise the election of X"
                cands = [a for a in m.actors(t) if a.coded]
                out = [a for a in cands if not (own and a.country in own)]
                if out:
                    return out  # "in its border war with Eritrea": Eritrea, not Ethiopia
                if pronoun_free(t) and (here := [a for a in cands if a.kind != "GPE" and (
                        _agent(a) or of_people(t))]):
                    return here  # "a meeting of Palestinian factions": the nearer group
    return domestic or _owner_of_object(f, m, lex)


def _owner_of_object(f: Found, m: Mentions, lex: Lexicon) -> list[Actor]:
    """Whose thing the object is: "welcomed Reagan's statement", "rejected a UN appeal",
    "bombed bases of the Kurdish militia", "an offer from Kabul"."""
    head = f.verb if f.verb is not None and f.light else f.trigger
    for o in head.children:
        if o.dep_ not in ("dobj", "nsubjpass", "attr") or o.pos_ not in NOUN_POS or o == f.trigger:
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
        own = {a.country for s in subject(head, lex) for a in m.actors(s) if a.country}
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
                            a.kind != "GPE" and pronoun_free(g))]
                        if out:
                            return out  # the nearest: "a meeting of Palestinian factions in Cairo"
                        nxt.append(g)
            frontier = nxt
    return []


def answered(f: Found, new: list[Event], before: list[Event], lex: Lexicon) -> list[Event]:
    """Whom a reaction answers when its object names an earlier event of the article ("Aoun called
    the strikes a violation", "Kyiv welcomed the sanctions"): that event's actor."""
    if not (f.entry.type in RESPONSES | {"ACCUSE"} and all(e.recipient is None for e in new)):
        return new
    v = f.verb if f.verb is not None else f.trigger
    for o in v.children:
        if o.dep_ != "dobj" or o.pos_ != "NOUN":
            continue
        types = {en.type for en in lex.nouns.get(o.lemma_.lower(), ())}
        if not types or not any(c.lower_ in ("the", "these", "those", "this", "that") for c in o.children):
            continue
        earlier = [e.actor for e in before if e.type in types and e.actor is not None and e.actor.coded]
        if earlier:
            src = earlier[-1]
            return [replace(e, recipient=src) for e in new if e.actor is None or e.actor.country != src.country
                    or e.actor.igo != src.igo] or new
    return new


# ------------------------------------------------------------------ countries of the unnamed


def _domestic(etype: str, actors: list[Actor], recipients: list[Actor], where: Place | None,
             lifts: bool = True) -> tuple[list[Actor], list[Actor]]:
    """PLOVER's convention for unnamed domestic targets: a group with no country of its own
    ("demonstrators", "opposition candidates", "Parliament") belongs to where the event happens,
    else to its actor's country; a protest with no named target is against the government of
    the place it happens in, else of the protesters' own country. Returns the actors (placed
    when they are unnamed people of the place) and the recipients."""
    own = next((a.country for a in actors if a.country), None)
    if etype == "PROTEST" and not actors and where is not None and where.country:
        # "protests erupted across Iran": the people of the place protest, to its government (below)
        actors = [Actor(name="protesters", country=where.country, sector="CVL", role="protesters")]
        own = where.country
    petition = etype == "REQUEST" and any(r.country and r.sector in STATE_SECTORS for r in recipients)
    if (etype == "PROTEST" or petition) and own is None and actors and not any(a.coded for a in actors):
        # "elders demanded that the Nigerian Interior Ministry …": people petition their own government
        # unnamed protesters are people of the place, or of the government they protest to
        local = where.country if where is not None and where.country else next(
            (r.country for r in recipients if r.country), None)
        if local is not None:
            actors = [replace(a, country=local) if not a.coded else a for a in actors]
            own = local
    if own is None and where is not None and where.country and etype in _LOCAL_TYPES and actors and not any(
            a.coded for a in actors) and all((a.kind == "PERSON" or a.role is not None) and a.sector not in UNIDENTIFIED
                                             for a in actors):
        # "the interim council declared a curfew in Niger": an uncoded office acting
        # on its own ground belongs to that ground
        actors = [replace(a, country=where.country) for a in actors]
        own = where.country
    home = where.country if where is not None and where.country else own
    if home is None:
        return actors, recipients
    if not recipients and etype == "CONCEDE" and lifts:
        # "ended the curfew in the northern province": the concession is to the place's people
        return actors, [Actor(name=home, country=home, sector="CVL", kind="GPE")]
    if not any(r.coded for r in recipients) and etype in _DOMESTIC_TYPES:
        # "killed 23 people in Tel Aviv", "arrested 12 demonstrators": the unnamed target is local
        if etype == "ASSAULT" and (where is None or not where.country):
            return actors, recipients  # violence with no place named: the target's side is unknown
        if recipients:
            return actors, [replace(r, country=home) for r in recipients]
        sector = "GOV" if etype == "PROTEST" else "CVL"
        return actors, [Actor(name=home, country=home, sector=sector, kind="GPE")]
    # a named but uncoded person or organisation ("President Mugabe", "Parliament") is local;
    # for violence and coercion so is an unnamed group ("demonstrators", "opposition candidates")
    return actors, [replace(r, country=home) if not r.coded and (
        r.kind in ("PERSON", "ORG") or (etype in _DOMESTIC_TYPES and r.role is not None) or (
            r.role is not None and r.sector in STATE_SECTORS and r.role not in _ENVOYS)) else r
        for r in recipients]  # "freed 12 policemen in eastern Sri Lanka": the state's men of the place


def placed(e: Entry, actors: list[Actor], recipients: list[Actor], location: Place | None,
           home: str | None) -> tuple[list[Actor], list[Actor]]:
    """Actors and recipients with the countries the text leaves unnamed: the story's home country
    (``home``, when the clause names no place of its own) and PLOVER's domestic convention; the
    actors' own side drops out of the recipients ("urged both sides")."""
    if home is not None and not (location is not None and location.country):
        # "the army", "police" in a story about one country are its own (where the clause names no place)
        actors = [_homed(a, home) for a in actors]
        recipients = [_homed(r, home) for r in recipients]
    mutual = e.symmetric and not recipients and len(actors) > 1  # "X and Y fought": each other, not the place
    actors, recipients = _domestic(e.type, actors, recipients, location, lifts=e.negated_type is None)
    if mutual:
        recipients = []
    if home is not None and e.type == "ASSAULT" and not (location is not None and location.country) and \
            not any(r.coded for r in recipients) and any(a.country == home for a in actors):
        # "the Tigers sank two navy gunboats" in a story about Sri Lanka: its own fighters' unnamed target is local
        recipients = [replace(r, country=home) for r in recipients] or [
            Actor(name=home, country=home, sector="CVL", kind="GPE")]
    local = location.country if location is not None and location.country else home
    if local is not None:
        # unnamed people of an event are of where it happens ("rebels in Sierra Leone freed 30 hostages"
        # in a story filed from Washington), else of the story's country
        actors = [_homed(a, local) for a in actors]
        recipients = [_homed(r, local) for r in recipients]
    own = {a.country for a in actors if a.country}
    recipients = [r for r in recipients if not (r.country in own and r.spans and _PAIR_PHRASE.fullmatch(
        r.spans[0].text.lower()))]  # who urges "both sides" is not one of them
    return actors, recipients


def pairs_of(f: Found, actors: list[Actor], recipients: list[Actor]) -> list[Pair]:
    """The (actor, recipient) pairs an event is coded for; at least one side of each is coded."""
    e = f.entry
    pairs: list[Pair]
    if e.symmetric and not recipients and len(actors) > 1:
        pairs = [(actors[0], r) for r in actors[1:]]
    else:
        pairs = [(a, r) for a in (actors or [None]) for r in (recipients or [None])]  # type: ignore[list-item]
    pairs = [(a, r) for a, r in pairs if (a is not None and a.coded) or (r is not None and r.coded)]
    if e.type == "CONSULT" and f.mode == "visit":
        # a visit needs someone or somewhere visited ("a trip to the Middle East" names no one), and a
        # host's receiving one needs the visitor named ("received an apology", "received the visiting
        # delegation" name none; who came to talks a country hosted the story may say); going home, or
        # to a hospital at home, is not a visit
        pairs = [(a, r) for a, r in pairs if r is not None and (
            a is not None or not (e.inverse and f.trigger.lemma_.lower() == "receive"))]
        pairs = [(a, r) for a, r in pairs if not (a is not None and r is not None and a.country and (
            (r.kind in ("GPE", None) and r.country == a.country) or (r.kind is None and r.role is None)))]
    return pairs


def regrouped(sides: list[Actor], groups: Mapping[str, Actor]) -> list[Actor]:
    """A group the text names again without its country ("leftist rebels holding hostages in Lima ... The
    rebels freed 38 of them") is the group an earlier event of the story placed: same role, that country."""
    out = []
    for a in sides:
        g = groups.get(a.role) if a.role and not a.coded and a.kind is None and a.sector in GROUP_SECTORS else None
        out.append(replace(a, country=g.country, igo=g.igo) if g is not None else a)
    return out


def groups_of(events: Sequence[Event], groups: Mapping[str, Actor]) -> dict[str, Actor]:
    """``groups`` and the groups these events placed, by role (the first placed of each role stays)."""
    out = dict(groups)
    for e in events:
        for a in (e.actor, e.recipient):
            if a is not None and a.coded and a.kind is None and a.role and a.sector in GROUP_SECTORS:
                out.setdefault(a.role, a)
    return out


#: groups a story names again by their role alone: rebels, militants, protesters
GROUP_SECTORS = frozenset({"REB", "UAF", "OPP", "CVL", "PRM"})
