"""When and where: the clause's own date and locative, and dates taken from the story around it.

An event's date is the date expression of its own clause ("text"), else of a governing
clause ("sentence"), else of the previous sentence's events when the clause carries their
story on ("context"), else the publication date ("published"). An asserted event dated after
publication is planned; one dated long before it is background ("historical").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Token

from ..mentions import PLACE_NOUNS
from ..records import Actor, Event, Place, Span, TimeSpan
from ..time import shift_days
from .lexicon import Lexicon
from .matching import VERBAL_ACTS, Found
from .syntax import NOUN_POS, SUBJ, forms, objects_of
from .words import WORDS

# an asserted event whose own date ended this long before publication is background ("historical")
HISTORICAL_DAYS = 365
_LOCATIVE = {"in", "at", "near", "outside", "inside", "on", "across", "throughout"}
# types that are said rather than done: a place inside their object is what they are about
_SPEECH_TYPES = VERBAL_ACTS | {"ACCUSE", "SUPPORT", "CONSULT"}


# ------------------------------------------------------------------ dates


#: words between two days that make them one stretch: "from Monday to Wednesday", "between 3 and 5 May"
_RANGE_WORDS = {"from": ("to", "until", "till", "through", "-", "–"), "between": ("and",)}


def _ranges(doc: Doc, dates: Sequence[tuple[TimeSpan, int]]) -> list[tuple[TimeSpan, int]]:
    """The dates, with two days that open and close one stretch ("shelled the town from Monday to
    Wednesday", "met between Monday and Wednesday") made one range: a multi-day event's dates. The
    date extractor keeps them apart (TIMEX3 marks each day), so the events stage joins them."""
    out: list[tuple[TimeSpan, int]] = []
    skip = False
    for k, (ts, head_i) in enumerate(dates):
        if skip:
            skip = False
            continue
        nxt = dates[k + 1][0] if k + 1 < len(dates) else None
        if nxt is not None and ts.span is not None and nxt.span is not None and ts.granularity == "day" and \
                nxt.granularity == "day" and ts.type == nxt.type == "DATE" and ts.start and nxt.start and \
                nxt.end and ts.start < nxt.start:
            before = doc.char_span(ts.span.start, ts.span.end, alignment_mode="expand")
            after = doc.char_span(nxt.span.start, nxt.span.end, alignment_mode="expand")
            if before is not None and after is not None and before.start > 0 and after.start == before.end + 1:
                opener, joint = doc[before.start - 1].lower_, doc[before.end].lower_
                if joint in _RANGE_WORDS.get(opener, ()):
                    whole = Span(ts.span.start, nxt.span.end, doc.text[ts.span.start:nxt.span.end], ts.span.sentence)
                    out.append((replace(ts, end=nxt.end, value=f"{ts.start}/{nxt.end}", span=whole), head_i))
                    skip = True
                    continue
        out.append((ts, head_i))
    return out


def _measure(h: Token) -> bool:
    """Whether a word is "since" measuring a noun against the past ("the biggest offensive since 1975")."""
    if not (h.dep_ == "prep" and h.lower_ == "since"):
        return False
    if h.head.pos_ in ("NOUN", "ADJ", "PROPN"):
        return True
    # the parser may hang it on the verb: "launched its biggest offensive since 1975", "the first visit since"
    return any(c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and any(
        m.tag_ in ("JJS", "RBS") or m.lower_ in ("first", "last") for m in c.children) for c in h.head.children)


def dates_by_clause(doc: Doc, dates: Sequence[tuple[TimeSpan, int]], lex: Lexicon) -> dict[int, TimeSpan]:
    """Each date by the token it dates: its clause's verb, and a trigger noun on the way ("his trip last week")."""
    out: dict[int, TimeSpan] = {}
    for ts, head_i in _ranges(doc, dates):
        if ts.start is None:
            continue
        h = doc[head_i]
        measured = False
        for _ in range(10):
            if h.pos_ in ("VERB", "AUX") or h.head == h:
                break
            if h.pos_ == "NOUN" and h.i != head_i and h.lemma_.lower() in lex.nouns:
                out.setdefault(h.i, ts)  # "his trip last week": the trip's date, and its clause's
            if measured := _measure(h):
                break  # "its biggest offensive since the 1975 invasion": a measure, not the offensive's date
            h = h.head
        if not (measured or _measure(h)):  # "has been detained since October" dates the detention
            out.setdefault(h.i, ts)
    return out


def date_for(f: Found, clause_dates: dict[int, TimeSpan],
             published: date | None) -> tuple[TimeSpan | None, str | None]:
    """The trigger's date and where it came from ("text", "sentence", "published")."""
    own = (f.trigger, f.verb) if f.light else (f.trigger,)
    nouns = [o for o in objects_of(f.entry, f.trigger) if o.pos_ in NOUN_POS]
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
        # a date closing two verbs of one subject is both verbs' ("resigned and fled the country on
        # Tuesday"): the parser hangs it on the last
        for c in v.children:
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and c.i in clause_dates and not any(
                    g.dep_ in SUBJ or g.dep_ == "nsubjpass" for g in c.children):
                return clause_dates[c.i], "text"
    # a governing clause's date: coordinated, controlling or reporting verbs
    # ("will visit X from 26-28 October and meet Y"; "on Monday officials said X met Y")
    h = f.verb if f.verb is not None and f.light else f.trigger
    for _ in range(6):
        if h.head == h:
            break
        h, below = h.head, h
        if h.i in clause_dates:
            return _apart(clause_dates[h.i], below), "sentence"
    if published is not None:
        d = published.isoformat()
        return TimeSpan(d, d, "day", "DATE", d), "published"
    return None, None


#: days in the units of "a day after", "a week before"
_UNIT_DAYS = {"day": 1, "week": 7}
#: how many: "a day after", "two days before", "a week after"
_HOW_MANY = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10}


def _apart(ts: TimeSpan, clause: Token) -> TimeSpan:
    """A governing clause's day moved to a clause that says how far from it it lies: "suspended Nigeria on
    Saturday, a day after the government hanged nine activists" dates the hanging Friday."""
    if clause.dep_ != "advcl" or ts.granularity != "day" or not ts.start or ts.start != ts.end:
        return ts
    mark = next((g.lower_ for g in clause.children if g.dep_ == "mark"), None)
    if mark not in ("after", "before"):
        return ts
    for g in clause.children:
        unit = _UNIT_DAYS.get(g.lemma_.lower())
        if g.dep_ != "npadvmod" or unit is None:
            continue
        words = [c.lower_ for c in g.children if c.dep_ in ("det", "nummod")]
        n = next((_HOW_MANY.get(w) or (int(w) if w.isdigit() else None) for w in words), None)
        if n is None:
            return ts
        day = shift_days(date.fromisoformat(ts.start), -n * unit if mark == "after" else n * unit).isoformat()
        return replace(ts, start=day, end=day, value=day)
    return ts


def _since(doc: Doc, ts: TimeSpan) -> bool:
    """Whether a date opens an ongoing state ("since 2018", "since the war began in 2022")."""
    if ts.span is None:
        return False
    first = doc.char_span(ts.span.start, ts.span.end, alignment_mode="expand")
    if first is None:
        return False
    # the 60 characters before the date, read from the tokens before it (Doc.text joins the whole doc)
    before = doc[max(0, first.start - 30):first.start].text_with_ws[-60:].lower()
    return "since" in before.split()[-6:]


def dated(fact: str, ts: TimeSpan | None, date_source: str | None, doc: Doc, published: date | None) -> str:
    """The factuality an asserted event's own date gives it: planned when after publication,
    historical when it ended long before."""
    if fact == "asserted" and ts is not None and published is not None and ts.start and date_source == "text":
        if ts.start > published.isoformat():
            return "planned"
        if ts.end and date.fromisoformat(ts.end) < shift_days(published, -HISTORICAL_DAYS) and \
                not _since(doc, ts):
            return "historical"  # background: "was sanctioned in 2018", in a 2023 story
    return fact


def continues(f: Found) -> bool:
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


def from_context(new: list[Event], before: list[Event]) -> list[Event]:
    """Date (and place, when the clause names none) from the previous sentence's events."""
    sent = new[0].trigger.sentence or 0
    prev = [e for e in before if e.trigger.sentence == sent - 1 and e.date_source in ("text", "sentence")]
    if not prev:
        return new
    src = prev[-1]
    return [replace(e, date=src.date, date_source="context", location=e.location or src.location,
                    factuality=src.factuality if e.factuality == "asserted" else e.factuality)
            for e in new]


# ------------------------------------------------------------------ places


def _place_of(g: Token, places: dict[int, Place]) -> Place | None:
    """The place a noun names itself or by its compound: "Kaduna state", "the Kherson region"."""
    if g.i in places:
        return places[g.i]
    if g.lemma_.lower() in PLACE_NOUNS:  # "Kaduna state", "the capital Kabul"
        return next((places[c.i] for c in g.children if c.dep_ in ("compound", "appos") and c.i in places), None)
    return None


def withdrawn_from(f: Found, places: dict[int, Place]) -> list[Actor]:
    """Whom a withdrawal leaves when it names only a place: the place's country ("pulled out of Grozny",
    "withdrew its troops from the city of Arbil")."""
    hosts = [f.trigger] + ([f.verb] if f.verb is not None and f.verb is not f.trigger else [])
    hosts += [c for h in hosts for c in h.children if c.dep_ == "xcomp"]  # "began pulling out of"
    for h in hosts:
        kids = list(h.children)
        for o in h.children:  # "withdrew its troops from", "pulled out of"
            if o.dep_ == "dobj" or (o.dep_ in ("prt", "prep", "advmod") and o.lower_ == "out"):
                kids.extend(o.children)
        for c in kids:
            if c.dep_ != "prep" or c.lower_ not in ("from", "of") or (c.lower_ == "of" and c.head.lower_ != "out"):
                continue
            for g in c.children:
                if g.dep_ != "pobj":
                    continue
                here = _place_of(g, places) or (next((
                    places[x.i] for p in g.children if p.dep_ == "prep" and p.lower_ == "of"
                    for x in p.children if x.dep_ == "pobj" and x.i in places), None)
                    if g.lemma_.lower() in PLACE_NOUNS else None)  # "the city of Arbil"
                if here is not None and here.country:
                    sent = here.span.sentence if here.span is not None else None
                    return [Actor(name=here.name, country=here.country, kind="GPE",
                                  spans=(Span(g.idx, g.idx + len(g.text), g.text, sent),))]
    return []


def location_of(f: Found, doc: Doc, places: dict[int, Place], recipients: list[Actor]) -> Place | None:
    """The place of the trigger's clause (its locatives, a governing visit's destination), or for a
    visit the place of whom it visits."""
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
        if forms(v)[0] in WORDS.visit_verbs:
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


#: acts that happen where their target is ("shelled the town", "arrested activists", "deployed troops
#: to the border"); statements, meetings and agreements are placed only by the text
_PLACED_BY_TARGET = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "AID", "RETREAT", "CONCEDE"})


def fallback_location(e: Event, sentence_places: Sequence[Place], centroid: Callable[[str], Place | None]) -> Event:
    """The place of an event whose clause names none: else a place its sentence names (not a seat of
    government standing for a government), else, for a domestic event, its country, else, for an act
    done where its target is, the target's country. A country-level place has the country's
    centroid."""
    if e.location is not None:
        return e
    here = next((p for p in sentence_places if p.country), None)
    if here is None:
        a, r = e.actor, e.recipient
        country = None
        if a is not None and r is not None and a.country and a.country == r.country:
            country = a.country
        elif e.type in _PLACED_BY_TARGET and r is not None and r.country:
            country = r.country
        here = centroid(country) if country else None
    return replace(e, location=here) if here is not None else e
