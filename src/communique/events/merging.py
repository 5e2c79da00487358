"""Merging: repeated mentions of one event in an article become one event with all its mentions.

A mention that dates the event more precisely also pins down the vague date expression
("later this week") of the mention it merges into; ``refine_dates`` applies those to the
article's dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from ..records import Actor, Event, TimeSpan


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


def _level(a: Actor | None) -> tuple[str | None, ...] | None:
    """The level events are counted at: country, organisation and sector ("CAN", None, "GOV")."""
    return (a.country, a.igo, a.sector) if a is not None and a.coded else None


def _two_people(a: Actor | None, b: Actor | None) -> bool:
    return a is not None and b is not None and a.kind == b.kind == "PERSON" and _key(a) != _key(b)


def _same_level(a: Event, b: Event) -> bool:
    """Two mentions of one event at the level events are counted at: the same type, the same
    country-and-sector sides and the same dates, where no side is two different people ("Finance
    Minister Bill Morneau proposed …" and "the government put forward …" of the same day are one
    Canadian government proposal)."""
    if a.type != b.type or a.factuality != b.factuality or (a.mode and b.mode and a.mode != b.mode):
        return False
    if _two_people(a.actor, b.actor) or _two_people(a.recipient, b.recipient):
        return False  # meeting the secretary of state and the national security adviser: two meetings
    if a.date is None or b.date is None or (a.date.start, a.date.end) != (b.date.start, b.date.end):
        return False
    level = _level(a.actor)
    return level is not None and level == _level(b.actor) and _level(a.recipient) == _level(b.recipient) \
        and (a.recipient is None) == (b.recipient is None)


def merge(events: list[Event]) -> tuple[list[Event], dict[int, TimeSpan]]:
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
            hit = next((i for i, o in enumerate(out) if _same_level(o, ev)), None)
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


def refine_dates(dates: Sequence[TimeSpan], refined: Mapping[int, TimeSpan]) -> list[TimeSpan]:
    """The article's dates, with vague ones made precise by the article itself: when "later this
    week" names the same event as "from October 26-28", it means October 26-28. ``refined`` is what
    ``merge`` (and so ``Coder.code``) found, by the vague expression's character offset."""
    out = []
    for d in dates:
        r = refined.get(d.span.start) if d.span is not None else None
        out.append(replace(d, start=r.start, end=r.end, granularity=r.granularity, value=r.value)
                   if r is not None else d)
    return out
