"""Event clusters: the mentions of one real-world event across articles become one cluster.

Every stored event (a *mention*) is compared with the clusters that could hold it and
joins the best one, or founds a new cluster. The rules, for a mention *m* and a cluster
*C* (each rule is checked against every member of *C*, so a cluster never drifts
through a chain of small steps):

=========================  ==================================================================
must hold (hard)           same PLOVER type; compatible actors: on each side the same
                           country or IGO code, or one of the two unknown (either direction
                           for the symmetric types CONSULT, COOPERATE and AGREE); event dates
                           at most ``WINDOW_DAYS`` apart (first to last day of each; when the
                           text gives no date, the publication date and the
                           ``PUBLISHED_SLACK_DAYS`` before it); places not in
                           different countries nor more than ``MAX_KM`` apart; not one
                           negated and the other not (or one hypothetical and the other
                           not); not one by phone and the other in person
score (soft), best member  evidence similarity: the overlap coefficient of the content words
                           of the two evidence sentences, less the words of the actors'
                           names and the words of dates (the dyad and the dates are
                           compared as such, so "Blinken met Wang on Monday" and "Blinken
                           phoned Wang on Monday" share nothing that tells them apart);
                           + 0.15 same mode, − 0.1 different modes; + 0.15 same place
                           (≤ ``MAX_KM``, city or finer), + 0.05 same country-level place;
                           + 0.15 the same day given by both texts, − 0.15 days two or more
                           apart given by both texts; − 0.1 for each side known in one and
                           unknown in the other
joins                      the cluster with the best score, if it is ≥ ``JOIN_SCORE``; an
                           article's mentions that fit an existing cluster join first, then
                           the others join those or found their own, in order
=========================  ==================================================================

Mentions of one sentence of one article have identical evidence, so the coder's several
readings of one clause ("arrived in Kyiv and met Zelenskiy") fall into one cluster;
distinct events on the same dyad and day stay apart when their types, places or modes
differ, or their evidence shares nothing but the actors' names.

A cluster's id is a hash of its first member's key (content hash and position of the
event in its article), so it never changes as members join. Its counts: ``n_events``
(mentions), ``n_articles`` (distinct articles, near-duplicate copies excluded),
``n_sources`` (distinct sources of those), ``n_copies`` (near-duplicate articles that
mention it); ``first_seen``/``last_seen`` are the first and last publication dates of
its mentions. The *representative* is the most complete mention (both actors coded,
a date from the text, a place, asserted, not a copy; then the earliest stored). Events
of a near-duplicate article (a *copy*) join the clusters of what they repeat (a cluster of
the original article's events that the hard rules allow is taken whatever the evidence
score: an edited lede still reports the same event) but never found one.

Clustering is incremental and runs in the store's write transaction, after each batch
(``update_clusters``); ``rebuild_clusters`` redoes it from scratch in storage order and
gives the same clusters.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from communique.time import shift_days

__all__ = [
    "JOIN_SCORE",
    "MAX_KM",
    "PUBLISHED_SLACK_DAYS",
    "SYMMETRIC_TYPES",
    "WINDOW_DAYS",
    "Cluster",
    "Mention",
    "cluster_id",
    "iter_clusters",
    "match_score",
    "rebuild_clusters",
    "update_clusters",
]

WINDOW_DAYS = 3
PUBLISHED_SLACK_DAYS = 4
MAX_KM = 100.0
JOIN_SCORE = 0.35
SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})

_REMOTE_MODES = frozenset({"phone"})
_IN_PERSON_MODES = frozenset({"visit", "host", "meet", "third-party", "multilateral"})
_FINE_PLACES = frozenset({"point", "city"})
_PRECISE_SOURCES = frozenset({"text", "sentence"})
_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    """a an the and or but nor of to in on at by for with from into onto over under about after before
    during since until than then that this these those there their they them his her its our your my we you
    he she it is are was were be been being has have had having do does did will would shall should can could
    may might must not no yes as also which who whom whose what when where while why how all any both each
    other some such only own same so too very just said says say told tell according reported report reports
    statement added mr mrs ms dr
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week month year
    january february march april june july august september october november december""".split()
)  # dates are compared as dates, not as words


def _words(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    out = set()
    for w in _WORD.findall(text.lower()):
        if w in _STOP or (len(w) < 3 and not w.isdigit()):
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return frozenset(out)


def cluster_id(content_hash: str, seq: int) -> str:
    """The stable id of the cluster founded by event ``seq`` of the article ``content_hash``."""
    return hashlib.sha1(f"{content_hash}\x1f{seq}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Mention:
    """One stored event, as the clustering sees it."""

    content_hash: str
    seq: int
    event_id: str
    article_id: str
    type: str
    mode: str | None
    source_key: str | None
    target_key: str | None
    first_day: date | None
    last_day: date | None
    precise: bool  # a day-granularity date taken from the text
    place_country: str | None
    lat: float | None
    lon: float | None
    place_precision: str | None
    place_name: str | None
    factuality: str
    words: frozenset[str]
    names: frozenset[str]
    published: date | None
    source: str | None
    copy: bool
    order: int  # storage order of the article
    source_name: str | None = None
    target_name: str | None = None
    quad_class: int | None = None
    score: float | None = None
    copy_of: str | None = None  # content hash of the article this one is a near-duplicate of
    dated: bool = True  # the date comes from the text (else it is the publication date)

    @property
    def key(self) -> tuple[str, int]:
        return (self.content_hash, self.seq)

    @property
    def completeness(self) -> int:
        return (
            (self.source_key is not None) + (self.target_key is not None) + self.precise
            + (self.place_country is not None or self.lat is not None) + (self.factuality == "asserted")
            + (not self.copy)
        )  # fmt: skip


def _sides(a: Mention, b: Mention) -> list[tuple[int, bool]]:
    """For each orientation of ``b`` that fits ``a``: (sides known in one and unknown in the other, ok)."""
    return _sides_of(a, b.source_key, b.target_key)


def _sides_of(a: Mention, source_key: str | None, target_key: str | None) -> list[tuple[int, bool]]:
    out = []
    pairs = [(source_key, target_key)]
    if a.type in SYMMETRIC_TYPES:
        pairs.append((target_key, source_key))
    for s, t in pairs:
        partial = 0
        ok = True
        for x, y in ((a.source_key, s), (a.target_key, t)):
            if x is None and y is None:
                continue
            if x is None or y is None:
                partial += 1
            elif x != y:
                ok = False
        if ok:
            out.append((partial, True))
    return out


def _earliest(m: Mention) -> date | None:
    """An undated mention's event happened on or some days before its publication date."""
    if m.first_day is None or m.dated:
        return m.first_day
    return shift_days(m.first_day, -PUBLISHED_SLACK_DAYS)


def _gap_days(a: Mention, b: Mention) -> int | None:
    a_first, b_first = _earliest(a), _earliest(b)
    if a_first is None or b_first is None or a.last_day is None or b.last_day is None:
        return None
    return max(0, (a_first - b.last_day).days, (b_first - a.last_day).days)


def _km(a: Mention, b: Mention) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return _distance(a.lat, a.lon, b.lat, b.lon)


def _distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _factuality_class(f: str) -> str:
    return f if f in ("negated", "hypothetical") else "real"


def match_score(a: Mention, b: Mention, *, window: int = WINDOW_DAYS) -> float | None:
    """How well mention ``a`` fits with mention ``b`` (higher is better), or None if they cannot be one event."""
    if a.type != b.type or _factuality_class(a.factuality) != _factuality_class(b.factuality):
        return None
    sides = _sides(a, b)
    if not sides:
        return None
    partial = min(p for p, _ in sides)
    gap = _gap_days(a, b)
    if gap is not None and gap > window:
        return None
    if a.mode and b.mode and (
        (a.mode in _REMOTE_MODES and b.mode in _IN_PERSON_MODES)
        or (b.mode in _REMOTE_MODES and a.mode in _IN_PERSON_MODES)
    ):
        return None
    score = 0.0
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return None
    fine = a.place_precision in _FINE_PLACES and b.place_precision in _FINE_PLACES
    km = _km(a, b) if fine else None
    if km is not None:
        if km > MAX_KM:
            return None
        score += 0.15
    elif a.place_country and a.place_country == b.place_country:
        score += 0.05
    names = a.names | b.names
    wa, wb = a.words - names, b.words - names
    if wa and wb:
        score += len(wa & wb) / max(min(len(wa), len(wb)), 3)
    elif a.content_hash == b.content_hash and a.words == b.words:
        score += 1.0  # same sentence, nothing but names in it
    if a.mode and b.mode:
        score += 0.15 if a.mode == b.mode else -0.1
    if a.precise and b.precise and a.first_day and b.first_day:
        days = abs((a.first_day - b.first_day).days)
        score += 0.15 if days == 0 else (-0.15 if days > 1 else 0.0)  # "overnight" may be either day
    score -= 0.1 * partial
    return score


# A cluster is compared with a new mention through what its members have in common (the hard rules
# need only the distinct values of a few fields, over every member) and, for the evidence score, with
# at most ``EXEMPLARS`` of its members: the founder and the latest others. A cluster of up to that many
# members is thus compared with every member, as the rules say; a larger one (a story that hundreds of
# articles repeat) costs no more than that, so the time per event does not grow with the cluster.
EXEMPLARS = 48


@dataclass
class _Building:
    """A cluster while a batch is being assigned: its id, what all its members share (``_Summary``)
    and the members its evidence score is taken from."""

    id: str
    type: str = ""
    order: tuple[int, int] = (0, 0)  # the founder's storage order: on a tie, the older cluster wins
    pairs: set[tuple[str | None, str | None]] = field(default_factory=set)
    min_last: date | None = None  # over the members with both days
    max_earliest: date | None = None
    modes: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    points: set[tuple[float, float]] = field(default_factory=set)  # of the members placed at a city or finer
    founder: Mention | None = None
    latest: list[Mention] = field(default_factory=list)  # at most EXEMPLARS - 1, in storage order
    hashes: set[str] = field(default_factory=set)  # content hashes of members that a new copy repeats
    touched: bool = False

    def add(self, m: Mention) -> None:
        if self.founder is None:
            self.founder, self.type, self.order = m, m.type, (m.order, m.seq)
        else:
            self.latest.append(m)
            if len(self.latest) >= EXEMPLARS:
                del self.latest[0]
        self.pairs.add((m.source_key, m.target_key))
        if m.first_day is not None and m.last_day is not None:
            earliest = _earliest(m)
            assert earliest is not None
            self.min_last = m.last_day if self.min_last is None else min(self.min_last, m.last_day)
            self.max_earliest = earliest if self.max_earliest is None else max(self.max_earliest, earliest)
        if m.mode:
            self.modes.add(m.mode)
        if m.place_country:
            self.countries.add(m.place_country)
        if m.lat is not None and m.lon is not None and m.place_precision in _FINE_PLACES:
            self.points.add((m.lat, m.lon))
        self.hashes.add(m.content_hash)

    def excludes(self, m: Mention, window: int) -> bool:
        """Whether one of the members rules ``m`` out (``match_score`` None), from their shared values."""
        for s, t in self.pairs:
            if not _sides_of(m, s, t):
                return True
        m_first = _earliest(m)
        if m_first is not None and m.last_day is not None and self.min_last is not None:
            assert self.max_earliest is not None
            if (m_first - self.min_last).days > window or (self.max_earliest - m.last_day).days > window:
                return True
        if m.mode in _REMOTE_MODES and self.modes & _IN_PERSON_MODES:
            return True
        if m.mode in _IN_PERSON_MODES and self.modes & _REMOTE_MODES:
            return True
        if m.place_country and self.countries - {m.place_country}:
            return True
        if m.lat is not None and m.lon is not None and m.place_precision in _FINE_PLACES:
            return any(_distance(m.lat, m.lon, lat, lon) > MAX_KM for lat, lon in self.points)
        return False

    def fit(self, m: Mention, window: int) -> float | None:
        if m.type != self.type or self.founder is None or self.excludes(m, window):
            return None
        best: float | None = None
        for other in (self.founder, *self.latest):
            s = match_score(m, other, window=window)
            if s is None:
                return None  # cannot happen after ``excludes``; kept so the two never disagree silently
            best = s if best is None else max(best, s)
        return best




_MENTION_SQL = """
SELECT e.content_hash, e.seq, e.event_id, e.article_id, e.type, e.mode,
       coalesce(e.source_country, e.source_igo), coalesce(e.target_country, e.target_igo),
       coalesce(e.date_start, a.published), coalesce(e.date_end, e.date_start, a.published),
       e.date_granularity, e.date_source,
       e.location_country, e.lat, e.lon, json_extract_string(e.record, '$.location.precision'), e.location_name,
       e.factuality, e.evidence, e.source_name, e.target_name,
       a.published, a.source, a.duplicate_of, a.store_order, e.quad_class, e.score
FROM events e JOIN articles a USING (content_hash)
WHERE e.content_hash IN (SELECT unnest(?::VARCHAR[]))
ORDER BY a.store_order, e.seq
"""


def _new_mentions(con: duckdb.DuckDBPyConnection, content_hashes: Sequence[str]) -> list[Mention]:
    out = []
    for r in con.execute(_MENTION_SQL, [list(content_hashes)]).fetchall():
        (h, seq, event_id, article_id, type_, mode, skey, tkey, first, last, gran, dsrc, pcountry, lat, lon,
         precision, pname, fact, evidence, sname, tname, published, source, copy, order, quad, score) = r
        out.append(Mention(
            content_hash=h, seq=int(seq), event_id=event_id, article_id=article_id, type=type_, mode=mode,
            source_key=skey, target_key=tkey, first_day=first, last_day=last,
            precise=gran == "day" and dsrc in _PRECISE_SOURCES,
            place_country=pcountry, lat=lat, lon=lon, place_precision=precision, place_name=pname,
            factuality=fact or "asserted", words=_words(evidence), names=_words(sname) | _words(tname),
            published=published, source=source, copy=copy is not None, order=int(order), source_name=sname,
            target_name=tname, quad_class=quad, score=score, copy_of=copy,
            dated=dsrc not in (None, "published"),
        ))  # fmt: skip
    return out


# event_clusters holds, beside the event's key and its cluster, what the clustering needs of the
# event (``Mention``), so that the members of candidate clusters are read from this one table.
_MEMBER_COLUMNS = (
    "content_hash", "seq", "cluster_id", "match_score", "event_id", "article_id", "type", "mode",
    "source_key", "target_key", "first_day", "last_day", "precise", "place_country", "lat", "lon",
    "place_precision", "place_name", "factuality", "words", "names", "published", "source", "copy_of",
    "article_order", "source_name", "target_name", "quad_class", "score", "dated",
)  # fmt: skip


def _member_row(m: Mention, cid: str, score: float) -> tuple[Any, ...]:
    return (
        m.content_hash, m.seq, cid, score, m.event_id, m.article_id, m.type, m.mode, m.source_key, m.target_key,
        m.first_day, m.last_day, m.precise, m.place_country, m.lat, m.lon, m.place_precision, m.place_name,
        m.factuality, sorted(m.words), sorted(m.names), m.published, m.source, m.copy_of, m.order,
        m.source_name, m.target_name, m.quad_class, m.score, m.dated,
    )  # fmt: skip


def _mention(r: Sequence[Any]) -> tuple[str, Mention]:
    """A row of ``event_clusters`` (columns ``_MEMBER_COLUMNS``) as (cluster id, Mention)."""
    (h, seq, cid, _, event_id, article_id, type_, mode, skey, tkey, first, last, precise, pcountry, lat, lon,
     precision, pname, fact, words, names, published, source, copy_of, order, sname, tname, quad, score,
     dated) = r
    return cid, Mention(
        content_hash=h, seq=int(seq), event_id=event_id, article_id=article_id, type=type_, mode=mode,
        source_key=skey, target_key=tkey, first_day=first, last_day=last, precise=bool(precise),
        place_country=pcountry, lat=lat, lon=lon, place_precision=precision, place_name=pname,
        factuality=fact, words=frozenset(words or ()), names=frozenset(names or ()), published=published,
        source=source, copy=copy_of is not None, order=int(order), source_name=sname, target_name=tname,
        quad_class=quad, score=score, copy_of=copy_of, dated=bool(dated),
    )  # fmt: skip


def update_clusters(con: duckdb.DuckDBPyConnection, content_hashes: Sequence[str], *,
                    window: int = WINDOW_DAYS) -> int:
    """Assign the events of the articles ``content_hashes`` (just stored) to clusters; returns how many
    clusters were founded. Runs in the caller's transaction."""
    if not content_hashes:
        return 0
    new = _new_mentions(con, content_hashes)
    if not new:
        return 0
    clusters, bounds = _candidates(con, new, window)
    by_type: dict[str, list[_Building]] = {}
    for c in clusters.values():
        by_type.setdefault(c.type, []).append(c)
    assigned: list[tuple[Any, ...]] = []
    founded = 0

    def best_fit(m: Mention) -> tuple[float, str] | None:
        best: tuple[float, str] | None = None
        for c in by_type.get(m.type, ()):
            s = c.fit(m, window)
            if s is None:
                continue
            if m.copy_of is not None and m.copy_of in c.hashes:
                s += 1.0  # a copy repeats its original: what the original reports, it reports
            if s >= JOIN_SCORE and (best is None or s > best[0]):
                best = (s, c.id)  # the best score; on a tie, the older cluster
        return best

    def join(m: Mention, best: tuple[float, str]) -> None:
        c = clusters[best[1]]
        c.add(m)
        c.touched = True
        assigned.append(_member_row(m, c.id, round(best[0], 4)))

    # Article by article: first every mention that fits a cluster already there joins it (again
    # until nothing moves, since a mention that joined may bring its sentence's other readings
    # along); then the rest, in order, join one founded by an earlier one or found their own.
    for _, group in itertools.groupby(new, key=lambda m: m.content_hash):
        pending = list(group)
        moved = True
        while moved and pending:
            moved = False
            for m in list(pending):
                if (best := best_fit(m)) is not None:
                    join(m, best)
                    pending.remove(m)
                    moved = True
        for m in pending:
            if (best := best_fit(m)) is not None:
                join(m, best)
            elif not m.copy:
                c = _Building(cluster_id(m.content_hash, m.seq), touched=True)
                c.add(m)
                clusters[c.id] = c
                by_type.setdefault(m.type, []).append(c)
                assigned.append(_member_row(m, c.id, 1.0))
                founded += 1
    with con.appender("event_clusters") as appender:
        appender.append_rows(assigned)
    touched = [c.id for c in clusters.values() if c.touched]
    if touched:
        days = [d for m in new for d in (m.first_day, m.last_day) if d is not None]
        lo = min([d for d in (bounds[0], *days) if d is not None], default=None)
        hi = max([d for d in (bounds[1], *days) if d is not None], default=None)
        con.execute("DELETE FROM clusters WHERE cluster_id IN (SELECT unnest(?::VARCHAR[]))", [touched])
        con.execute(_CLUSTER_ROWS_SQL.format(members=_MEMBERS_OF), [touched, lo, lo, hi, hi])
    return founded


# The members of the clusters ``?`` (a list of ids), read with their date bounds: every member's days
# lie within its cluster's date_lo…date_hi, so ``first_day >= lo AND last_day <= hi`` (taken over the
# clusters asked for) leaves none out, and lets DuckDB skip the row groups of other dates.
_MEMBERS_OF = """
SELECT * FROM event_clusters
WHERE cluster_id IN (SELECT unnest(?::VARCHAR[]))
  AND (first_day IS NULL OR ?::DATE IS NULL OR first_day >= ?::DATE)
  AND (last_day IS NULL OR ?::DATE IS NULL OR last_day <= ?::DATE)
"""

# One ``clusters`` row per cluster, from all its members: counts, date range, and the representative
# (the most complete member, then the earliest stored), as documented at the top of this module.
_CLUSTER_ROWS_SQL = """
INSERT INTO clusters
WITH m AS (
    SELECT *, (source_key IS NOT NULL)::INT + (target_key IS NOT NULL)::INT + precise::INT
              + (place_country IS NOT NULL OR lat IS NOT NULL)::INT + (factuality = 'asserted')::INT
              + (copy_of IS NULL)::INT AS completeness
    FROM ({members})
), rep AS (
    SELECT * FROM m
    QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY completeness DESC, article_order, seq) = 1
), agg AS (
    SELECT cluster_id, min(first_day) AS lo, max(last_day) AS hi, min(published) AS first_seen,
           max(published) AS last_seen, count(*) AS n_events,
           count(DISTINCT article_id) FILTER (WHERE copy_of IS NULL) AS n_articles,
           count(DISTINCT coalesce(nullif(source, ''), article_id)) FILTER (WHERE copy_of IS NULL) AS n_sources,
           count(DISTINCT content_hash) FILTER (WHERE copy_of IS NOT NULL) AS n_copies,
           bool_or(factuality = 'asserted' AND copy_of IS NULL) AS asserted
    FROM m GROUP BY cluster_id
)
SELECT r.cluster_id, r.type, r.mode, r.source_key, r.target_key, r.source_name, r.target_name,
       r.quad_class, r.score, CASE WHEN a.asserted THEN 'asserted' ELSE r.factuality END,
       r.first_day, r.last_day, a.lo, a.hi, r.place_name, r.place_country, r.lat, r.lon,
       a.first_seen, a.last_seen, a.n_events, a.n_articles, a.n_sources, a.n_copies,
       r.event_id, r.content_hash, r.seq, r.article_id
FROM rep r JOIN agg a USING (cluster_id)
"""

_CANDIDATES_SQL = """
SELECT DISTINCT c.cluster_id, c.date_lo, c.date_hi, c.n_events FROM clusters c
JOIN (SELECT unnest(?::VARCHAR[]) AS type, unnest(?::DATE[]) AS lo, unnest(?::DATE[]) AS hi,
             unnest(?::VARCHAR[]) AS s, unnest(?::VARCHAR[]) AS t, unnest(?::BOOLEAN[]) AS sym) p
  ON c.type = p.type
 AND (?::DATE IS NULL OR c.date_hi IS NULL OR c.date_hi >= ?::DATE)
 AND (?::DATE IS NULL OR c.date_lo IS NULL OR c.date_lo <= ?::DATE)
 AND (p.lo IS NULL OR c.date_hi IS NULL OR c.date_hi >= p.lo)
 AND (p.hi IS NULL OR c.date_lo IS NULL OR c.date_lo <= p.hi)
 AND (((p.s IS NULL OR c.source_key IS NULL OR c.source_key = p.s)
       AND (p.t IS NULL OR c.target_key IS NULL OR c.target_key = p.t))
      OR (p.sym AND (p.s IS NULL OR c.target_key IS NULL OR c.target_key = p.s)
                AND (p.t IS NULL OR c.source_key IS NULL OR c.source_key = p.t)))
"""

# Per candidate cluster: what all its members share (for ``_Building.excludes``), in one pass.
_SUMMARY_SQL = """
SELECT cluster_id,
       list(DISTINCT [source_key, target_key]),
       min(last_day) FILTER (WHERE first_day IS NOT NULL AND last_day IS NOT NULL),
       max(CASE WHEN dated THEN first_day ELSE first_day - {slack} END)
           FILTER (WHERE first_day IS NOT NULL AND last_day IS NOT NULL),
       list(DISTINCT mode) FILTER (WHERE mode IS NOT NULL),
       list(DISTINCT place_country) FILTER (WHERE place_country IS NOT NULL),
       list(DISTINCT [lat, lon]) FILTER (WHERE lat IS NOT NULL AND lon IS NOT NULL
                                         AND place_precision IN ('point', 'city'))
FROM ({members}) GROUP BY cluster_id
"""

# Per candidate cluster: its founder and its latest ``EXEMPLARS - 1`` members, in storage order.
_EXEMPLARS_SQL = """
SELECT {columns} FROM ({members})
WINDOW w AS (PARTITION BY cluster_id ORDER BY article_order DESC, seq DESC)
QUALIFY row_number() OVER w < {n} OR row_number() OVER w = count(*) OVER (PARTITION BY cluster_id)
ORDER BY article_order, seq
"""


def _candidates(con: duckdb.DuckDBPyConnection, new: list[Mention], window: int
                ) -> tuple[dict[str, _Building], tuple[date | None, date | None]]:
    """The stored clusters that one of the ``new`` mentions could join, each with its shared values and
    exemplars; and the date bounds of their members.

    A cluster is a candidate when its representative (one of its members, the most complete) has the
    type and actors compatible with the mention and its dates (``date_lo``…``date_hi``) come within the
    window, widened by the slack of an undated mention: necessary conditions for fitting every member.
    The look-up reads the ``clusters`` rows of those types and dates and the members of those clusters
    only, so its cost follows the events near the mention's dates, not all the events of the dyad."""
    reach = window + PUBLISHED_SLACK_DAYS  # days
    probes = sorted({
        (m.type, shift_days(m.first_day, -reach) if m.first_day else None,
         shift_days(m.last_day, reach) if m.last_day else None, m.source_key, m.target_key,
         m.type in SYMMETRIC_TYPES)
        for m in new
    }, key=lambda p: tuple(str(x) for x in p))  # fmt: skip
    columns: list[Any] = [[p[i] for p in probes] for i in range(6)]
    # the bounds over all probes, as constants, so that DuckDB skips the row groups of other dates
    lows, highs = columns[1], columns[2]
    lo = None if None in lows else min(lows)
    hi = None if None in highs else max(highs)
    found = con.execute(_CANDIDATES_SQL, [*columns, lo, lo, hi, hi]).fetchall()
    out: dict[str, _Building] = {}
    if not found:
        return out, (None, None)
    ids = sorted(r[0] for r in found)
    lows, highs = [r[1] for r in found if r[1] is not None], [r[2] for r in found if r[2] is not None]
    lo, hi = (min(lows) if lows else None), (max(highs) if highs else None)
    # A cluster of at most EXEMPLARS members comes whole: its shared values are taken from its members
    # here; those of a larger one are computed by DuckDB.
    large = sorted(r[0] for r in found if r[3] > EXEMPLARS)
    whole = {r[0] for r in found if r[3] <= EXEMPLARS}
    params = [ids, lo, lo, hi, hi]
    for cid, m in (_mention(r) for r in con.execute(
            _EXEMPLARS_SQL.format(columns=", ".join(_MEMBER_COLUMNS), members=_MEMBERS_OF, n=EXEMPLARS),
            params).fetchall()):
        c = out.setdefault(cid, _Building(cid))
        if cid in whole:
            c.add(m)
        elif c.founder is None:
            c.founder, c.type, c.order = m, m.type, (m.order, m.seq)
        else:
            c.latest.append(m)
    if not large:
        return dict(sorted(out.items(), key=lambda kv: kv[1].order)), (lo, hi)
    params = [large, lo, lo, hi, hi]
    sql = _SUMMARY_SQL.format(slack=PUBLISHED_SLACK_DAYS, members=_MEMBERS_OF)
    for cid, pairs, min_last, max_earliest, modes, countries, points in con.execute(sql, params).fetchall():
        c = out[cid]
        c.pairs = {(p[0], p[1]) for p in pairs}
        c.min_last, c.max_earliest = min_last, max_earliest
        c.modes, c.countries = set(modes or ()), set(countries or ())
        c.points = {(p[0], p[1]) for p in points or ()}
    copied = sorted({m.copy_of for m in new if m.copy_of is not None})
    if copied:  # the large clusters holding what a new copy repeats (the others hold all their hashes)
        for cid, h in con.execute(
                f"SELECT DISTINCT cluster_id, content_hash FROM ({_MEMBERS_OF})"
                " WHERE content_hash IN (SELECT unnest(?::VARCHAR[]))", [*params, copied]).fetchall():
            out[cid].hashes.add(h)
    # clusters oldest first (by founder), so a tie goes to the older
    return dict(sorted(out.items(), key=lambda kv: kv[1].order)), (lo, hi)


def rebuild_clusters(con: duckdb.DuckDBPyConnection, *, batch_size: int = 200, window: int = WINDOW_DAYS) -> int:
    """Drop every cluster and assign all stored events again, article by article in storage order
    (the order ``update_clusters`` saw them in). Returns the number of clusters."""
    con.execute("DELETE FROM event_clusters")
    con.execute("DELETE FROM clusters")
    hashes = [r[0] for r in con.execute("SELECT content_hash FROM articles ORDER BY store_order").fetchall()]
    for i in range(0, len(hashes), batch_size):
        update_clusters(con, hashes[i : i + batch_size], window=window)
    [(n,)] = con.execute("SELECT count(*) FROM clusters").fetchall()
    return int(n)


# --- reading --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cluster:
    """One real-world event: its counts, dates, and its representative mention."""

    cluster_id: str
    type: str
    mode: str | None
    source: str | None
    target: str | None
    source_name: str | None
    target_name: str | None
    quad_class: int | None
    score: float | None
    factuality: str
    date_start: date | None
    date_end: date | None
    location: str | None
    location_country: str | None
    first_seen: date | None
    last_seen: date | None
    n_events: int
    n_articles: int
    n_sources: int
    n_copies: int
    representative: dict[str, Any]
    articles: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "cluster_id": self.cluster_id, "type": self.type, "mode": self.mode,
            "source": self.source, "target": self.target,
            "source_name": self.source_name, "target_name": self.target_name,
            "quad_class": self.quad_class, "score": self.score, "factuality": self.factuality,
            "date_start": _iso(self.date_start), "date_end": _iso(self.date_end),
            "location": self.location, "location_country": self.location_country,
            "first_seen": _iso(self.first_seen), "last_seen": _iso(self.last_seen),
            "n_events": self.n_events, "n_articles": self.n_articles, "n_sources": self.n_sources,
            "n_copies": self.n_copies, "articles": list(self.articles), "representative": self.representative,
        }  # fmt: skip


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def iter_clusters(con: duckdb.DuckDBPyConnection, *, min_articles: int = 0, limit: int | None = None
                  ) -> Iterator[Cluster]:
    """The stored clusters, by event date then id, with their articles and representative event."""
    sql = """
        SELECT c.cluster_id, c.type, c.mode, c.source_key, c.target_key, c.source_name, c.target_name,
               c.quad_class, c.score, c.factuality, c.date_start, c.date_end, c.location_name, c.location_country,
               c.first_seen, c.last_seen, c.n_events, c.n_articles, c.n_sources, c.n_copies,
               c.event_id, c.article_id, e.record,
               (SELECT list(DISTINCT x.article_id ORDER BY x.article_id) FROM event_clusters ec
                  JOIN articles x ON x.content_hash = ec.content_hash WHERE ec.cluster_id = c.cluster_id)
        FROM clusters c JOIN events e ON e.content_hash = c.content_hash AND e.seq = c.seq
        WHERE c.n_articles >= ?
        ORDER BY coalesce(c.date_start, c.first_seen) NULLS LAST, c.cluster_id"""
    params: list[Any] = [min_articles]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for r in con.execute(sql, params).fetchall():
        rep = {"event_id": r[20], "article_id": r[21], "cluster_id": r[0], **json.loads(r[22])}
        (cid, type_, mode, source, target, sname, tname, quad, score, fact, start, end, place, pcountry,
         first, last, n_events, n_articles, n_sources, n_copies) = r[:20]
        yield Cluster(cid, type_, mode, source, target, sname, tname, quad, score, fact, start, end, place, pcountry,
                      first, last, n_events, n_articles, n_sources, n_copies, rep, tuple(r[23] or ()))
