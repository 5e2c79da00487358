"""The typed, frozen records that stages pass to one another.

Every record serialises to a plain JSON-able dict with ``to_dict()`` and back with
``from_dict()``; ``CodedArticle.to_dict()`` is the per-article output format of
``shared/eval/FORMAT.md`` (id, events, entities, dates, places, quotes), with the
evidence spans of every field as character offsets into ``Article.text``.

Dates inside records are ISO strings (``YYYY-MM-DD``): a ``TimeSpan`` always gives
its first and last day, and ``granularity`` says how precise the expression was.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

__all__ = [
    "Actor",
    "Article",
    "CodedArticle",
    "Event",
    "Place",
    "Quote",
    "Span",
    "TimeSpan",
    "FACTUALITY",
    "GRANULARITY",
]

FACTUALITY = ("asserted", "negated", "planned", "speculative", "hypothetical", "historical")
GRANULARITY = ("day", "week", "month", "quarter", "season", "year", "decade", "century")
DATE_SOURCES = ("text", "sentence", "context", "published")


def _hash(*parts: str, n: int = 16) -> str:
    h = hashlib.sha1()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:n]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str
    sentence: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"char_start": self.start, "char_end": self.end, "text": self.text, "sentence_index": self.sentence}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Span:
        return cls(int(d["char_start"]), int(d["char_end"]), str(d["text"]), d.get("sentence_index"))


def _span_or_none(d: Any) -> Span | None:
    return Span.from_dict(d) if d else None


def _spans(items: Any) -> tuple[Span, ...]:
    return tuple(Span.from_dict(s) for s in items or ())


@dataclass(frozen=True, slots=True)
class Article:
    """One news article. ``id`` is stable: given, else a hash of the url, else of the text."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: date | None = None
    language: str = "en"

    @classmethod
    def create(
        cls,
        text: str,
        *,
        id: str | None = None,
        title: str | None = None,
        url: str | None = None,
        source: str | None = None,
        published: date | None = None,
        language: str = "en",
    ) -> Article:
        if not id:
            id = _hash(url) if url else _hash(title or "", text)
        return cls(id=id, text=text, title=title, url=url, source=source, published=published, language=language)

    @property
    def content_hash(self) -> str:
        """Hash of what is coded (title, text, publication date): the store's idempotency key."""
        return _hash(self.title or "", self.text, self.published.isoformat() if self.published else "", n=32)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "title": self.title,
            "text": self.text,
            "language": self.language,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        pub = d.get("published")
        return cls(
            id=str(d["id"]),
            text=d["text"],
            title=d.get("title"),
            url=d.get("url"),
            source=d.get("source"),
            published=date.fromisoformat(pub[:10]) if pub else None,
            language=d.get("language") or "en",
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """Who: a person, organisation or country, coded to country / IGO and PLOVER sector.

    ``kind`` is the entity kind (PERSON, ORG, GPE, NORP, LOC) when known; unknown
    actors keep their text with null codes rather than a guess."""

    name: str
    country: str | None = None
    igo: str | None = None
    sector: str | None = None
    role: str | None = None
    kind: str | None = None
    registry_id: str | None = None
    aliases: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()

    @property
    def coded(self) -> bool:
        return bool(self.country or self.igo)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "igo": self.igo,
            "sector": self.sector,
            "role": self.role,
            "kind": self.kind,
            "registry_id": self.registry_id,
            "aliases": list(self.aliases),
            "spans": [s.to_dict() for s in self.spans],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Actor:
        return cls(
            name=d["name"],
            country=d.get("country"),
            igo=d.get("igo"),
            sector=d.get("sector"),
            role=d.get("role"),
            kind=d.get("kind"),
            registry_id=d.get("registry_id"),
            aliases=tuple(d.get("aliases") or ()),
            spans=_spans(d.get("spans")),
        )


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """When: the first and last day an expression covers, and how precise it is.

    ``type`` follows TIMEX3: DATE, TIME, DURATION or SET. Durations and sets have
    no calendar ``start``. ``value`` is the TIMEX3-style value (``2023-06``,
    ``2023-W43``, ``P2M``) when one can be given."""

    start: str | None
    end: str | None
    granularity: str | None
    type: str = "DATE"
    value: str | None = None
    span: Span | None = None

    @property
    def first_day(self) -> date | None:
        return date.fromisoformat(self.start) if self.start else None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "granularity": self.granularity,
            "type": self.type,
            "value": self.value,
        }
        if self.span:
            d.update(text=self.span.text, char_start=self.span.start, char_end=self.span.end,
                     sentence_index=self.span.sentence)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TimeSpan:
        span = None
        if d.get("char_start") is not None:
            span = Span(d["char_start"], d["char_end"], d["text"], d.get("sentence_index"))
        return cls(d.get("start"), d.get("end"), d.get("granularity"), d.get("type") or "DATE", d.get("value"), span)


@dataclass(frozen=True, slots=True)
class Place:
    """Where: a toponym resolved to a gazetteer entry (or left unresolved, coordinates null)."""

    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    precision: str | None = None  # point, city, admin1, country, region
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "geonames_id": self.geonames_id,
            "precision": self.precision,
        }
        if self.span:
            d.update(text=self.span.text, char_start=self.span.start, char_end=self.span.end,
                     sentence_index=self.span.sentence)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        span = None
        if d.get("char_start") is not None:
            span = Span(d["char_start"], d["char_end"], d["text"], d.get("sentence_index"))
        return cls(
            name=d["name"],
            country=d.get("country"),
            admin1=d.get("admin1"),
            lat=d.get("lat"),
            lon=d.get("lon"),
            geonames_id=d.get("geonames_id"),
            precision=d.get("precision"),
            span=span,
        )


@dataclass(frozen=True, slots=True)
class Quote:
    """Who said what: the content span, the cue verb and the speaker (linked to an actor)."""

    content: Span
    speaker: Actor | None = None
    speaker_span: Span | None = None
    cue: Span | None = None
    direct: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker.name if self.speaker else None,
            "speaker_actor": self.speaker.to_dict() if self.speaker else None,
            "speaker_char_start": self.speaker_span.start if self.speaker_span else None,
            "speaker_char_end": self.speaker_span.end if self.speaker_span else None,
            "cue": self.cue.text if self.cue else None,
            "cue_char_start": self.cue.start if self.cue else None,
            "cue_char_end": self.cue.end if self.cue else None,
            "content": self.content.text,
            "content_char_start": self.content.start,
            "content_char_end": self.content.end,
            "sentence_index": self.content.sentence,
            "direct": self.direct,
            "speaker_span": self.speaker_span.to_dict() if self.speaker_span else None,
            "cue_span": self.cue.to_dict() if self.cue else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quote:
        content = Span(d["content_char_start"], d["content_char_end"], d["content"], d.get("sentence_index"))
        speaker = Actor.from_dict(d["speaker_actor"]) if d.get("speaker_actor") else None
        sp = _span_or_none(d.get("speaker_span"))
        if sp is None and d.get("speaker_char_start") is not None:
            sp = Span(d["speaker_char_start"], d["speaker_char_end"], d.get("speaker") or "")
        cue = _span_or_none(d.get("cue_span"))
        if cue is None and d.get("cue_char_start") is not None:
            cue = Span(d["cue_char_start"], d["cue_char_end"], d.get("cue") or "")
        return cls(content=content, speaker=speaker, speaker_span=sp, cue=cue, direct=bool(d.get("direct", True)))


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, when and where: one PLOVER event with its evidence.

    ``trigger`` is the predicate's span, ``evidence`` the spans of the sentence(s)
    that report it; ``mentions`` the indices of those sentences. Compound actors
    give one event per actor × recipient pair."""

    type: str
    mode: str | None
    actor: Actor | None
    recipient: Actor | None
    trigger: Span
    factuality: str = "asserted"
    date: TimeSpan | None = None
    date_source: str | None = None
    location: Place | None = None
    contexts: tuple[str, ...] = ()
    quad_class: int | None = None
    score: float | None = None
    cameo_root: str | None = None
    goldstein: float | None = None
    ontology_version: str | None = None
    evidence: tuple[Span, ...] = ()
    mentions: tuple[int, ...] = ()
    id: str = ""
    tone: float | None = None
    tone_evidence: tuple[str, ...] = ()

    @property
    def sentence_index(self) -> int | None:
        return self.trigger.sentence

    def with_id(self, article_id: str) -> Event:
        """The event with its content-hash id (same input, same id)."""
        key = json.dumps(
            [article_id, self.type, self.mode, self.trigger.start, self.trigger.end,
             self.actor.name if self.actor else None, self.actor.country if self.actor else None,
             self.recipient.name if self.recipient else None, self.recipient.country if self.recipient else None],
            ensure_ascii=False,
        )
        return replace(self, id=_hash(key))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "source": self.actor.to_dict() if self.actor else None,
            "target": self.recipient.to_dict() if self.recipient else None,
            "date": self.date.to_dict() if self.date else None,
            "date_source": self.date_source,
            "location": self.location.to_dict() if self.location else None,
            "factuality": self.factuality,
            "contexts": list(self.contexts),
            "quad_class": self.quad_class,
            "score": self.score,
            "cameo_root": self.cameo_root,
            "goldstein": self.goldstein,
            "ontology_version": self.ontology_version,
            "sentence_index": self.trigger.sentence,
            "trigger": self.trigger.to_dict(),
            "evidence": [s.to_dict() for s in self.evidence],
            "mentions": list(self.mentions),
            "tone": self.tone,
            "tone_evidence": list(self.tone_evidence),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        src = d.get("source") if "source" in d else d.get("actor")
        tgt = d.get("target") if "target" in d else d.get("recipient")
        return cls(
            type=d["type"],
            mode=d.get("mode"),
            actor=Actor.from_dict(src) if src else None,
            recipient=Actor.from_dict(tgt) if tgt else None,
            trigger=Span.from_dict(d["trigger"]),
            factuality=d.get("factuality") or "asserted",
            date=TimeSpan.from_dict(d["date"]) if d.get("date") else None,
            date_source=d.get("date_source"),
            location=Place.from_dict(d["location"]) if d.get("location") else None,
            contexts=tuple(d.get("contexts") or ()),
            quad_class=d.get("quad_class"),
            score=d.get("score"),
            cameo_root=d.get("cameo_root"),
            goldstein=d.get("goldstein"),
            ontology_version=d.get("ontology_version"),
            evidence=_spans(d.get("evidence")),
            mentions=tuple(d.get("mentions") or ()),
            id=d.get("id") or "",
            tone=d.get("tone"),
            tone_evidence=tuple(d.get("tone_evidence") or ()),
        )


@dataclass(frozen=True, slots=True)
class CodedArticle:
    """An article and everything coded from it."""

    article: Article
    events: tuple[Event, ...] = ()
    entities: tuple[Actor, ...] = ()
    dates: tuple[TimeSpan, ...] = ()
    places: tuple[Place, ...] = ()
    quotes: tuple[Quote, ...] = ()
    sentences: tuple[Span, ...] = field(default=(), repr=False)
    coder_version: str | None = None
    contexts: tuple[str, ...] = ()
    tone: float | None = None
    tone_evidence: tuple[str, ...] = ()
    # The stages that raised on this article (``pipeline.STAGES`` names, in stage order): their
    # output, and that of the stages that need it, is missing; the rest is what the other stages found.
    failed_stages: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.article.id

    def to_dict(self) -> dict[str, Any]:
        """The per-article output format (``shared/eval/FORMAT.md``) plus the article's metadata."""
        a = self.article
        return {
            "id": a.id,
            "url": a.url,
            "source": a.source,
            "published": a.published.isoformat() if a.published else None,
            "title": a.title,
            "language": a.language,
            "content_hash": a.content_hash,
            "coder_version": self.coder_version,
            "contexts": list(self.contexts),
            "tone": self.tone,
            "tone_evidence": list(self.tone_evidence),
            "failed_stages": list(self.failed_stages),
            "events": [e.to_dict() for e in self.events],
            "entities": [e.to_dict() for e in self.entities],
            "dates": [t.to_dict() for t in self.dates],
            "places": [p.to_dict() for p in self.places],
            "quotes": [q.to_dict() for q in self.quotes],
            "sentences": [[s.start, s.end] for s in self.sentences],
        }

    def to_json(self, *, text: bool = False) -> str:
        d = self.to_dict()
        if text:
            d["text"] = self.article.text
        return json.dumps(d, ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any], article: Article | None = None) -> CodedArticle:
        """Rebuild from ``to_dict()`` output. The text is not in the output: pass the
        article, or a dict that also carries ``text``."""
        if article is None:
            article = Article.from_dict(d)
        text = article.text
        return cls(
            article=article,
            events=tuple(Event.from_dict(e) for e in d.get("events") or ()),
            entities=tuple(Actor.from_dict(e) for e in d.get("entities") or ()),
            dates=tuple(TimeSpan.from_dict(t) for t in d.get("dates") or ()),
            places=tuple(Place.from_dict(p) for p in d.get("places") or ()),
            quotes=tuple(Quote.from_dict(q) for q in d.get("quotes") or ()),
            sentences=tuple(
                Span(s, e, text[s:e], i) for i, (s, e) in enumerate(d.get("sentences") or ())
            ),
            coder_version=d.get("coder_version"),
            contexts=tuple(d.get("contexts") or ()),
            tone=d.get("tone"),
            tone_evidence=tuple(d.get("tone_evidence") or ()),
            failed_stages=tuple(d.get("failed_stages") or ()),
        )
