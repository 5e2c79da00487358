"""The other side of a one-sided event: who it was done to (or by) when the text names only one side.

News often names one side of an event and leaves the other to the story: "the ministry condemned
the raid", "three activists were detained overnight", "gunmen opened fire on a market". Analysts
(and the gold sets) code the side the story makes plain: the country the story is about, or its
other principal party. This stage chooses it among the countries the article names:

* candidates are every country the article's entities belong to, the named side's own country (a
  domestic event) and "nobody" (leave the side open);
* each candidate is described by sparse features: how many sentences name it and its rank, whether
  it is named in the event's sentence or the ones around it, whether it is the event's place, whether
  it is the named side's own country, crossed with the event's type and which side is open;
* a conditional logit trained on the team's corpus (``make train``; ``events/data/side_model.json``)
  scores the candidates and the best one is taken. Without a trained model a fixed rule is used: the
  most named other country, else the named side's own, each only when named in two sentences.

The chosen side keeps whatever the text said of it (a description such as "gunmen" keeps its words)
and is marked ``role="implied"``; a country chosen from the story points at its first mention. A name
the registry and the text leave without a country is not an open side: it is never given one here.
Functions of their inputs only; nothing is kept between articles.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from ..errors import DataFileError
from ..records import Actor, Event, Span

_DATA = "events/data/side_model.json"
#: the fixed rule's threshold: a country is one of the story's parties when this many sentences name it
PARTY_SENTENCES = 2
NOBODY = "-"
#: sectors of doers the text leaves unidentified on purpose ("gunmen", "a suicide bomber"): neither the
#: story's home country nor the event's place gives them a country (only this model may, from the story)
UNIDENTIFIED = frozenset({"UAF"})


@dataclass(frozen=True)
class Party:
    country: str
    sentences: frozenset[int]
    first: Span | None


def is_open(a: Actor | None) -> bool:
    """A side the text does not name: absent, or a description the registry cannot code ("gunmen")."""
    return a is None or (not a.coded and a.kind is None)


def parties(entities: Sequence[Actor]) -> list[Party]:
    """The countries of the article's entities, the most often named first (ties: first named first)."""
    sents: dict[str, set[int]] = {}
    first: dict[str, Span] = {}
    for e in entities:
        if not e.country:
            continue
        sents.setdefault(e.country, set()).update(s.sentence or 0 for s in e.spans)
        for s in e.spans:
            if e.country not in first or s.start < first[e.country].start:
                first[e.country] = s
    order = sorted(sents, key=lambda c: (-len(sents[c]), first[c].start if c in first else 0))
    return [Party(c, frozenset(sents[c]), first.get(c)) for c in order]


def _bucket(x: int, cap: int) -> str:
    return str(min(x, cap))


def candidates(e: Event, ps: Sequence[Party], n_sentences: int) -> list[tuple[str, list[str]]]:
    """(country or NOBODY, features) for every choice of the open side of a one-sided event."""
    open_actor = is_open(e.actor)
    known = e.recipient if open_actor else e.actor
    assert known is not None
    side = "actor" if open_actor else "recipient"
    t = e.type
    sent = e.trigger.sentence or 0
    own = known.country
    others = [p for p in ps if p.country != own]
    out: list[tuple[str, list[str]]] = []
    by_country = {p.country: p for p in ps}
    pool: list[str] = [p.country for p in ps]
    if own and own not in by_country:
        pool.append(own)
    rank_of = {p.country: k for k, p in enumerate(others)}
    for c in pool:
        p = by_country.get(c)
        n = len(p.sentences) if p else 0
        tags = []
        if c == own:
            tags.append("dom")
        else:
            tags.append("rank=" + _bucket(rank_of.get(c, 9), 3))
        tags.append("sents=" + _bucket(n, 4))
        share = n / max(1, n_sentences)
        tags.append("share=" + ("hi" if share >= 0.5 else "mid" if share >= 0.2 else "lo"))
        if p is not None:
            if sent in p.sentences:
                tags.append("in_sent")
            if sent - 1 in p.sentences:
                tags.append("prev")
            if sent + 1 in p.sentences:
                tags.append("next")
            if 0 in p.sentences:
                tags.append("lead")
        if e.location is not None and e.location.country == c:
            tags.append("loc")
        feats = list(tags)
        feats += [f"{t}|{x}" for x in tags]
        feats += [f"{side}|{x}" for x in tags]
        if known.sector:
            feats += [f"sec={known.sector}|{x}" for x in tags if x in ("dom", "rank=0", "in_sent", "loc")]
        if not known.coded:
            feats += [f"uncoded|{x}" for x in tags if x in ("dom", "rank=0")]
        out.append((c, feats))
    n_parties = sum(1 for p in ps if len(p.sentences) >= PARTY_SENTENCES)
    none = ["none", f"none|{t}", f"none|{side}", f"none|parties={_bucket(n_parties, 3)}",
            f"none|{t}|{side}", f"none|fact={e.factuality}"]
    if known.sector:
        none.append(f"none|sec={known.sector}")
    out.append((NOBODY, none))
    return out


@dataclass(frozen=True)
class SideModel:
    """Weights of the conditional logit over a side's candidates."""

    weights: Mapping[str, float]
    version: str

    def choose(self, cands: Sequence[tuple[str, list[str]]]) -> str:
        best, best_score = NOBODY, -math.inf
        for c, feats in cands:
            s = sum(self.weights.get(f, 0.0) for f in feats)
            if s > best_score:
                best, best_score = c, s
        return best

    def save(self, path: Path) -> None:
        data = {"version": self.version, "weights": {k: round(v, 4) for k, v in sorted(self.weights.items())
                                                     if abs(v) >= 1e-4}}
        path.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def _parse(text: str, source: str) -> SideModel:
    try:
        data = json.loads(text)
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return SideModel(weights, str(data["version"]))
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise DataFileError(f"{source}: not a side model ({e}); rebuild it with `make train`") from e


def load_side_model(path: Path | None = None) -> SideModel | None:
    """The shipped model (or the one at ``path``); None when the package has none."""
    if path is not None:
        return _parse(Path(path).read_text(encoding="utf-8"), str(path))
    return _bundled()


@functools.cache
def _bundled() -> SideModel | None:
    ref = resources.files("communique").joinpath(_DATA)
    if not ref.is_file():
        return None
    return _parse(ref.read_text(encoding="utf-8"), f"communique/{_DATA}")


def rule_choice(e: Event, ps: Sequence[Party]) -> str:
    """The fixed rule: the most named other country, else the named side's own (each in two sentences)."""
    known = e.recipient if is_open(e.actor) else e.actor
    assert known is not None
    for p in ps:
        if p.country != known.country and len(p.sentences) >= PARTY_SENTENCES:
            return p.country
    for p in ps:
        if p.country == known.country and len(p.sentences) >= PARTY_SENTENCES:
            return p.country
    return NOBODY


def fill(events: Sequence[Event], entities: Sequence[Actor], n_sentences: int,
         model: SideModel | None = None, closed: Collection[int] = ()) -> list[Event]:
    """Every one-sided event with its open side chosen (by the model, else the fixed rule); the
    events in ``closed`` (by ``id``) keep their open side open: the text leaves it unknown."""
    ps = parties(entities)
    first = {p.country: p.first for p in ps}
    out = []
    for e in events:
        if is_open(e.actor) == is_open(e.recipient) or id(e) in closed:
            out.append(e)
            continue
        country = model.choose(candidates(e, ps, n_sentences)) if model is not None else rule_choice(e, ps)
        if country == NOBODY:
            out.append(e)
            continue
        gap = e.actor if is_open(e.actor) else e.recipient
        if gap is not None:
            side = replace(gap, country=country, role=gap.role or "implied")
        else:
            span = first.get(country)
            side = Actor(name=country, country=country, kind="GPE", role="implied", spans=(span,) if span else ())
        out.append(replace(e, actor=side) if is_open(e.actor) else replace(e, recipient=side))
    return out
