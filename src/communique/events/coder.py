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

This module is the driver; the work is done by job in

* ``syntax``      token helpers over the parse (base forms, clause verb, owner, objects)
* ``matching``    triggers: lexicon entries and their conditions, pruning, the trigger model
* ``arguments``   actors, recipients, and the countries of the unnamed
* ``when_where``  the clause's date and place, dates from context, planned and historical
* ``factuality``  negation, modals, control verbs, conditionals, and what they make of the act
* ``rewrites``    the ordered table of named type rewrites, one example each
* ``merging``     repeated mentions merged into one event; vague dates the article pins down
* ``words``       the open-class word lists (``words.toml``) the others read
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from ..actors import Registry
from ..mentions import Mentions
from ..ontology import Ontology
from ..records import Actor, Event, Place, Span, TimeSpan
from . import sides
from .arguments import (
    actors_of,
    answered,
    clause_objects,
    groups_of,
    meeting_parties,
    oriented,
    pairs_of,
    placed,
    recipients_of,
    regrouped,
)
from .factuality import factuality, habitual, in_condition, made, negation
from .lexicon import Lexicon
from .matching import Found, ModelUse, lexicon_types, match, prune, with_model
from .merging import merge
from .model import TriggerModel
from .rewrites import Case, people_protesting, rewrite
from .sides import SideModel
from .when_where import (
    continues,
    date_for,
    dated,
    dates_by_clause,
    fallback_location,
    from_context,
    location_of,
    withdrawn_from,
)

#: Which learned parts the coder uses (the ``event_model`` setting), each with the side model: ``add`` the trigger
#: model adds the events the lexicon misses, ``both`` it also vetoes lexicon triggers, ``model`` it replaces the
#: lexicon's matching; ``sides`` the side model only (triggers from the lexicon); ``rules`` no learned part (the
#: lexicon and the fixed side rule).
EVENT_MODELS = ("add", "sides", "both", "model", "rules")
#: ``both``: a lexicon trigger the model gives P(no event) >= VETO is dropped ...
VETO = 0.9
#: ... and a word the model gives an event type with P >= ADD is added.
ADD = 0.6


@functools.lru_cache(maxsize=4)
def _centroids(registry: Registry) -> Mapping[str, Place]:
    """A country-level place for every country of the registry, at its centroid."""
    return {c.iso3: Place(name=c.name, country=c.iso3, lat=c.lat, lon=c.lon, precision="country")
            for c in registry.countries()}


def _placed(events: list[Event], places: Mapping[int, Place], centroids: Mapping[str, Place]) -> list[Event]:
    """Each event's place where its clause names none (``when_where.fallback_location``): the places of
    its sentence that name neither of its sides are offered first."""
    by_sentence: dict[int, list[Place]] = {}
    for p in dict.fromkeys(places.values()):
        if p.span is not None:
            by_sentence.setdefault(p.span.sentence or 0, []).append(p)
    out = []
    for e in events:
        if e.location is None:
            own = [s for a in (e.actor, e.recipient) if a is not None for s in a.spans]
            here = [p for p in by_sentence.get(e.trigger.sentence or 0, ()) if p.span is not None and not any(
                s.start < p.span.end and p.span.start < s.end for s in own)]
            e = fallback_location(e, here, centroids.get)
        out.append(e)
    return out


def unattributed(f: Found, lex: Lexicon) -> bool:
    """Whether a condemnation is of a deed whose doer the text does not name ("condemned the
    bombing", "the attack, condemned by the White House"): its target is unknown, not implied."""
    if f.entry.type != "ACCUSE" or f.verb is None:
        return False
    v = f.verb
    objs = [c for c in v.children if c.dep_ in ("dobj", "nsubjpass")]
    if v.dep_ == "acl" and v.tag_ == "VBN":
        objs.append(v.head)
    return any(any(e.type == "ASSAULT" for e in lex.nouns.get(o.lemma_.lower(), ())) or (
        o.lemma_.lower() == "act" and any(p.lower_ == "of" for p in o.children)) for o in objs)


@dataclass(frozen=True, slots=True)
class Coded:
    """What the coder found in one document: its events, and the vague date expressions that a more
    precise mention of the same event pins down, by their character offset (``merging.refine_dates``
    applies them to the article's dates)."""

    events: tuple[Event, ...]
    refined: Mapping[int, TimeSpan]


@dataclass(frozen=True, slots=True)
class _Story:
    """One document as the coder reads it: the parse, its mentions, sentences, dates by clause,
    places by token, publication date, and the country it is about (``Mentions.home_country``)."""

    doc: Doc
    m: Mentions
    sent_of: Sequence[int]
    sentences: Sequence[Span]
    clause_dates: dict[int, TimeSpan]
    places: dict[int, Place]
    published: date | None
    home: str | None


class Coder:
    """Codes one parsed document into events. It keeps no state between documents."""

    def __init__(self, lexicon: Lexicon, ontology: Ontology, model: TriggerModel | None = None,
                 use: str = "both", veto: float = VETO, add: float = ADD, side_model: SideModel | None = None,
                 fill_sides: bool = True) -> None:
        if use not in EVENT_MODELS:
            raise ValueError(f"use must be one of {', '.join(EVENT_MODELS)}, not {use!r}")
        self.lexicon = lexicon
        self.ontology = ontology
        self.model = model if use in ("add", "both", "model") else None
        self.use = use if self.model is not None else "rules"
        self.veto = veto
        self.add = add
        self.side_model = side_model
        self.fill_sides = fill_sides
        self.lex_types = lexicon_types(lexicon)
        self._model_use = ModelUse(self.model, self.use, veto, add, self.lex_types) if self.model is not None \
            else None

    def code(self, doc: Doc, m: Mentions, sent_of: Sequence[int], sentences: Sequence[Span],
             dates: Sequence[tuple[TimeSpan, int]], places: dict[int, Place],
             published: date | None) -> Coded:
        """Events of one document. ``dates`` pairs each TimeSpan with its head token index;
        ``places`` maps token index → Place."""
        lex = self.lexicon
        found = [f for t in doc if (f := match(t, lex)) is not None]
        if self._model_use is not None:
            found = with_model(doc, found, self._model_use, lex)
        found = prune(found)
        story = _Story(doc, m, sent_of, sentences, dates_by_clause(doc, dates, lex), places, published,
                       m.home_country())
        events: list[Event] = []
        closed: set[int] = set()  # events whose open side the text leaves unknown on purpose
        groups: dict[str, Actor] = {}  # groups earlier events placed, by role ("rebels")
        for f in found:
            new = self._events(f, story, groups)
            if new and new[0].date_source == "published" and continues(f):
                new = from_context(new, events)
            if new:
                new = answered(f, new, events, lex)
            if unattributed(f, lex):
                closed.update(id(e) for e in new if e.recipient is None)
            events.extend(new)
            groups = groups_of(new, groups)
        if self.fill_sides:
            events = sides.fill(events, m.entity_records(story_only=True), len(sentences), self.side_model, closed)
        events = _placed(events, places, _centroids(m.registry))
        merged, refined = merge(events)
        return Coded(tuple(merged), refined)

    def _events(self, f: Found, story: _Story, groups: Mapping[str, Actor]) -> list[Event]:
        """The events one trigger reports: one per (actor, recipient) pair."""
        if in_condition(f) or habitual(f):
            return []
        lex, m = self.lexicon, story.m
        f = people_protesting(f, m, lex)
        e, t = f.entry, f.trigger
        objects = clause_objects(f)
        actors = actors_of(f, objects, m, story.sent_of, lex)
        if actors is None:
            return []
        recipients = recipients_of(f, objects, actors, m, lex)
        if recipients is None:
            return []
        actors, recipients = oriented(e, actors, recipients)
        if e.type == "CONSULT" and bool(actors) != bool(recipients):
            # "at talks hosted by Ethiopia": the host meets whoever the clause says held them
            parties = meeting_parties(f, m, lex, actors + recipients)
            if parties:
                actors, recipients = (actors, parties) if actors else (parties, recipients)
        if not recipients and e.type == "RETREAT" and f.mode == "withdraw":
            # withdrawing from another country's ground leaves that country; from one's own, no one
            recipients = [r for r in withdrawn_from(f, story.places) if all(
                a.country and a.country != r.country for a in actors)]
        location = location_of(f, story.doc, story.places, recipients)
        actors, recipients = placed(e, actors, recipients, location, story.home)
        actors, recipients = regrouped(actors, groups), regrouped(recipients, groups)
        pairs = pairs_of(f, actors, recipients)
        if not pairs:
            return []
        sent = story.sent_of[t.i]
        ts, date_source = date_for(f, story.clause_dates, story.published)
        stated = made(f, dated(factuality(f.verb if f.verb is not None else t), ts, date_source, story.doc,
                               story.published))
        etype, mode, fact = negation(f, stated)
        etype, mode, fact = rewrite(Case(etype, mode, fact, stated, f, date_source, actors, recipients, lex))
        if ts is not None and ts.start and date_source in ("text", "context"):
            day = date.fromisoformat(ts.start)  # people are coded by the office they held then
            pairs = [(m.at_date(a, day) if a is not None else None, m.at_date(r, day) if r is not None else None)
                     for a, r in pairs]
        typ = self.ontology.types[etype]
        trig = Span(t.idx, t.idx + len(t.text), t.text, sent)
        return [Event(type=etype, mode=mode, actor=a, recipient=r, trigger=trig, factuality=fact, date=ts,
                      date_source=date_source, location=location, quad_class=typ.quad_class,
                      score=self.ontology.score(etype, mode), cameo_root=typ.cameo_root, goldstein=typ.goldstein,
                      ontology_version=self.ontology.version, evidence=(story.sentences[sent],), mentions=(sent,))
                for a, r in pairs]
