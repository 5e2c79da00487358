"""The read-only queries behind ``communique serve``: events, articles, clusters, series, map and network.

Every function here takes a DuckDB connection (a cursor of a store opened read-only) and
plain, already-validated values; the web app only parses requests and renders what these
return, so a Python user gets the same answers without the server::

    from communique.web.queries import Codes, EventQuery, open_read_only, list_events
    db = open_read_only("demo.duckdb")
    page = list_events(db.cursor(), EventQuery(actor="RUS", size=20))

Safety: every value goes in as a bound parameter (``?``); the only SQL text built from a
request is a column name or sort direction picked from a fixed table. A statement runs
under a time limit (``run``): past it DuckDB is interrupted and ``QueryTimeout`` raised.
Unknown codes are ``BadParameter`` errors that list the valid choices (and suggest the
code when a name was given: ``China`` → ``CHN``).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import duckdb

from communique.errors import InputError, StoreError
from communique.records import FACTUALITY, CodedArticle
from communique.series import PERIODS, Period, dyad_series

__all__ = [
    "MAX_PAGE_SIZE", "SORTS", "ArticleView", "BadParameter", "Codes", "EventPage", "EventQuery", "QueryTimeout",
    "Segment", "article_view", "cluster_view", "dyad_clusters", "event_columns", "events_csv", "facets", "list_events",
    "map_points", "network", "open_read_only", "run", "series",
]  # fmt: skip

logger = logging.getLogger("communique.web")

MAX_PAGE_SIZE = 1000
DEFAULT_TIMEOUT = 10.0  # seconds a statement may run before it is interrupted

QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


class BadParameter(InputError):
    """A request parameter has a value outside its choices; ``choices`` lists the valid ones."""

    def __init__(self, param: str, value: str, reason: str, choices: Sequence[str] = ()) -> None:
        super().__init__(param, reason)
        self.param = param
        self.value = value
        self.choices = tuple(choices)


class QueryTimeout(StoreError):
    """A statement ran past the time limit and was interrupted."""


def open_read_only(path: str) -> duckdb.DuckDBPyConnection:
    """The store at ``path`` opened read-only, with file and network access from SQL switched off.

    The schema is checked through ``Store`` (same errors as the CLI); the connection it
    returns can neither write the store nor read or write any other file."""
    from communique.store import Store

    return lock_down(Store(path, read_only=True))


def lock_down(store: Any) -> duckdb.DuckDBPyConnection:
    """The store's connection with SQL access to other files and the network switched off, for good.

    A second connection to the same file in this process shares its database, already locked down:
    that is checked, not set again."""
    con: duckdb.DuckDBPyConnection = store.connection
    try:
        [(external, locked)] = con.execute(
            "SELECT current_setting('enable_external_access'), current_setting('lock_configuration')").fetchall()
        if external:
            con.execute("SET enable_external_access = false")
        if not locked:
            con.execute("SET lock_configuration = true")
    except duckdb.Error as e:  # pragma: no cover - depends on the DuckDB build
        store.close()
        raise StoreError(f"cannot lock down the connection to {store.path}: {e}") from e
    return con


def run(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | dict[str, Any] = (),
    *, timeout: float = DEFAULT_TIMEOUT,
) -> list[tuple[Any, ...]]:
    """All rows of one parameterised statement, interrupted after ``timeout`` seconds (QueryTimeout)."""
    timer = threading.Timer(timeout, con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        return con.execute(sql, params).fetchall()
    except duckdb.InterruptException as e:
        raise QueryTimeout(f"the query took longer than {timeout:g} s and was stopped; narrow the filters") from e
    finally:
        timer.cancel()


# --- codes --------------------------------------------------------------------------------------------------


def _csv_rows(package: str, name: str) -> list[dict[str, str]]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True)
class Codes:
    """The valid values of each filter: the registry's countries and IGOs (plus any code the store holds),
    the ontology's types and modes, the factuality values and the quad classes."""

    countries: dict[str, str]  # code -> name
    igos: dict[str, str]
    types: tuple[str, ...]
    modes: tuple[str, ...]
    factualities: tuple[str, ...] = FACTUALITY
    names: dict[str, str] = field(default_factory=dict)  # lower-case name or alias -> code

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection | None = None) -> Codes:
        """The bundled codes, plus the codes found in the store behind ``con`` (a user registry may add some)."""
        countries, igos, names = _registry_codes()
        countries, igos = dict(countries), dict(igos)
        from communique.ontology import load_ontology

        onto = load_ontology()
        types = tuple(onto.types)
        modes = tuple(sorted({m for t in onto.types.values() for m in t.modes}))
        if con is not None:
            for column, into in (("source_country", countries), ("target_country", countries),
                                 ("location_country", countries), ("source_igo", igos), ("target_igo", igos)):
                for (code,) in run(con, f"SELECT DISTINCT {column} FROM events WHERE {column} IS NOT NULL"):
                    into.setdefault(code, code)
            types = (*types, *(t for (t,) in run(con, "SELECT DISTINCT type FROM events") if t not in types))
        return cls(countries, igos, types, modes, FACTUALITY, names)

    @property
    def actors(self) -> dict[str, str]:
        return {**self.countries, **self.igos}

    def actor(self, param: str, value: str | None) -> str | None:
        """A country or IGO code, upper-cased; BadParameter naming the code when a name was given."""
        if not value:
            return None
        code = value.strip().upper()
        if code in self.countries or code in self.igos:
            return code
        hint = self.names.get(value.strip().lower())
        reason = f"{value!r} is not a country (ISO 3166 alpha-3) or IGO code"
        reason += f"; did you mean {hint}?" if hint else "; see the choices"
        raise BadParameter(param, value, reason, sorted(self.actors))

    def country(self, param: str, value: str | None) -> str | None:
        if not value:
            return None
        code = value.strip().upper()
        if code in self.countries:
            return code
        hint = self.names.get(value.strip().lower())
        reason = f"{value!r} is not an ISO 3166 alpha-3 country code"
        reason += f"; did you mean {hint}?" if hint else "; see the choices"
        raise BadParameter(param, value, reason, sorted(self.countries))

    def pick(self, param: str, value: str | None, choices: Sequence[str], *, upper: bool = True) -> str | None:
        if not value:
            return None
        v = value.strip().upper() if upper else value.strip().lower()
        if v in choices:
            return v
        raise BadParameter(param, value, f"{value!r} is not a valid {param}", choices)


@lru_cache(maxsize=1)
def _registry_codes() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    countries: dict[str, str] = {}
    igos: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in _csv_rows("communique.actors", "data/countries.csv"):
        countries[row["iso3"]] = row["name"]
        for n in [row["name"], *row["aliases"].split("|"), *row["adjectives"].split("|"), row["iso2"]]:
            if n:
                names.setdefault(n.lower(), row["iso3"])
    for row in _csv_rows("communique.actors", "data/igos.csv"):
        igos[row["code"]] = row["name"]
        for n in [row["name"], *row["aliases"].split("|")]:
            if n:
                names.setdefault(n.lower(), row["code"])
    return countries, igos, names


# --- events -------------------------------------------------------------------------------------------------

# API name -> SQL expression over the events table (e); one vocabulary: actor / recipient for the
# sides of an event, outlet for the news source.
_EVENT_SELECT: tuple[tuple[str, str], ...] = (
    ("event_id", "e.event_id"), ("article_id", "e.article_id"), ("published", "CAST(e.published AS VARCHAR)"),
    ("type", "e.type"), ("mode", "e.mode"), ("quad_class", "e.quad_class"), ("score", "e.score"),
    ("goldstein", "e.goldstein"), ("factuality", "e.factuality"),
    ("actor_name", "e.source_name"), ("actor_country", "e.source_country"), ("actor_igo", "e.source_igo"),
    ("actor_sector", "e.source_sector"),
    ("recipient_name", "e.target_name"), ("recipient_country", "e.target_country"),
    ("recipient_igo", "e.target_igo"), ("recipient_sector", "e.target_sector"),
    ("date_start", "CAST(e.date_start AS VARCHAR)"), ("date_end", "CAST(e.date_end AS VARCHAR)"),
    ("date_granularity", "e.date_granularity"),
    ("location_name", "e.location_name"), ("location_country", "e.location_country"),
    ("lat", "e.lat"), ("lon", "e.lon"), ("sentence_index", "e.sentence_index"), ("trigger", "e.trigger"),
    ("evidence", "e.evidence"), ("contexts", "array_to_string(e.contexts, ';')"), ("cameo_root", "e.cameo_root"),
    ("content_hash", "e.content_hash"), ("seq", "e.seq"),
)  # fmt: skip
_PAGE_EXTRA = ("cluster_id", "title", "outlet")


def event_columns() -> tuple[str, ...]:
    """The fields of one event in ``/api/events`` and its CSV, in order."""
    return (*(name for name, _ in _EVENT_SELECT), *_PAGE_EXTRA)


_DAY = "coalesce(e.date_start, e.published)"
SORTS: dict[str, str] = {
    "date": _DAY,
    "published": "e.published",
    "type": "e.type",
    "quad_class": "e.quad_class",
    "score": "e.score",
    "actor": "coalesce(e.source_country, e.source_igo)",
    "recipient": "coalesce(e.target_country, e.target_igo)",
    "place": "e.location_country",
    "factuality": "e.factuality",
}


@dataclass(frozen=True)
class EventQuery:
    """The filters, order and page of an event list (values already validated, see ``validate``)."""

    actor: str | None = None  # country or IGO code of the acting side
    recipient: str | None = None
    party: str | None = None  # either side
    type: str | None = None
    quad_class: int | None = None
    mode: str | None = None
    factuality: str | None = None
    since: date | None = None
    until: date | None = None
    place_country: str | None = None
    text: str | None = None  # words to find in the evidence (case-insensitive)
    sort: str = "date"
    order: str = "asc"
    page: int = 1
    size: int = 100

    def validate(self, codes: Codes) -> EventQuery:
        """The query with codes normalised; BadParameter for any value outside its choices."""
        if self.size < 1 or self.size > MAX_PAGE_SIZE:
            raise BadParameter("size", str(self.size), f"the page size must be between 1 and {MAX_PAGE_SIZE:,}")
        if self.page < 1:
            raise BadParameter("page", str(self.page), "pages are numbered from 1")
        if self.quad_class is not None and self.quad_class not in QUADS:
            raise BadParameter("quad_class", str(self.quad_class), "a quad class is 1, 2, 3 or 4",
                               [str(q) for q in QUADS])
        if self.sort not in SORTS:
            raise BadParameter("sort", self.sort, "unknown sort key", list(SORTS))
        if self.order not in ("asc", "desc"):
            raise BadParameter("order", self.order, "the order is asc or desc", ["asc", "desc"])
        if self.since and self.until and self.since > self.until:
            raise BadParameter("until", self.until.isoformat(), "the date range ends before it starts")
        return replace(
            self,
            actor=codes.actor("actor", self.actor),
            recipient=codes.actor("recipient", self.recipient),
            party=codes.actor("party", self.party),
            type=codes.pick("type", self.type, codes.types),
            mode=codes.pick("mode", self.mode, codes.modes, upper=False),
            factuality=codes.pick("factuality", self.factuality, codes.factualities, upper=False),
            place_country=codes.country("place_country", self.place_country),
            text=(self.text or "").strip() or None,
        )

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause (``TRUE`` when unfiltered) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor:
            clauses.append("(e.source_country = ? OR e.source_igo = ?)")
            params += [self.actor, self.actor]
        if self.recipient:
            clauses.append("(e.target_country = ? OR e.target_igo = ?)")
            params += [self.recipient, self.recipient]
        if self.party:
            clauses.append("? IN (e.source_country, e.target_country, e.source_igo, e.target_igo)")
            params.append(self.party)
        for column, value in (("type", self.type), ("quad_class", self.quad_class), ("mode", self.mode),
                              ("factuality", self.factuality), ("location_country", self.place_country)):
            if value is not None:
                clauses.append(f"e.{column} = ?")
                params.append(value)
        if self.since:
            clauses.append(f"{_DAY} >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"{_DAY} <= ?")
            params.append(self.until)
        if self.text:  # ILIKE with the pattern's own wildcards escaped: the words are matched as typed
            clauses.append("e.evidence ILIKE ? ESCAPE '\\'")
            escaped = self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        return (" AND ".join(clauses) or "TRUE"), params

    def order_by(self) -> str:
        direction = "DESC" if self.order == "desc" else "ASC"
        return f"{SORTS[self.sort]} {direction} NULLS LAST, e.published {direction}, e.article_id, e.seq"

    def params(self, **changes: Any) -> dict[str, str]:
        """The query as URL parameters (only those set), with ``changes`` applied: for links to other pages."""
        q = replace(self, **changes)
        out: dict[str, str] = {}
        defaults = EventQuery()
        for f in fields(q):
            v = getattr(q, f.name)
            if v is not None and v != getattr(defaults, f.name):
                out[f.name] = v.isoformat() if isinstance(v, date) else str(v)
        return out


@dataclass(frozen=True)
class EventPage:
    """One page of an event list and the number of events that match."""

    query: EventQuery
    total: int
    events: list[dict[str, Any]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.size))

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "page": self.query.page, "size": self.query.size, "pages": self.pages,
                "events": self.events}


def list_events(con: duckdb.DuckDBPyConnection, query: EventQuery, *, timeout: float = DEFAULT_TIMEOUT,
                total: int | None = None) -> EventPage:
    """One page of events matching ``query`` (validated), with their cluster, article title and outlet.

    In two steps, so that a page costs about the same on a store of a million events as on a small one:
    the page's row ids are found by sorting only the sort keys, then those rows alone are read, and only
    their clusters and articles looked up (a top-N over every column of a million rows is ten times slower).
    ``total``: the number of matching events when the caller knows it already (from ``facets``)."""
    where, params = query.where()
    page = [*params, query.size, (query.page - 1) * query.size]
    if query.text and total is None:  # a text search is the costly filter: scan once for the page and the count
        found = run(con, f"SELECT e.rowid, count(*) OVER () FROM events e WHERE {where} ORDER BY {query.order_by()}"
                         " LIMIT ? OFFSET ?", page, timeout=timeout)
        ids = [r[0] for r in found]
        total = int(found[0][1]) if found else None
    else:
        ids = [r[0] for r in run(con, f"SELECT e.rowid FROM events e WHERE {where} ORDER BY {query.order_by()}"
                                      " LIMIT ? OFFSET ?", page, timeout=timeout)]
    if total is None:
        [(total,)] = run(con, f"SELECT count(*) FROM events e WHERE {where}", params, timeout=timeout)
    if not ids:
        return EventPage(query, int(total), [])
    select = ", ".join(f"{expr} AS {name}" for name, expr in _EVENT_SELECT)
    rows = {r[0]: r[1:] for r in run(con, f"SELECT e.rowid, {select} FROM events e WHERE e.rowid = ANY(?::BIGINT[])",
                                     [ids], timeout=timeout)}
    hashes = sorted({r[-2] for r in rows.values()})
    clusters = {(h, seq): cid for h, seq, cid in run(
        con, "SELECT content_hash, seq, cluster_id FROM event_clusters WHERE content_hash IN"
             " (SELECT unnest(?::VARCHAR[]))", [hashes], timeout=timeout)}
    articles = {h: (title, outlet) for h, title, outlet in run(
        con, "SELECT content_hash, title, source FROM articles WHERE content_hash IN (SELECT unnest(?::VARCHAR[]))",
        [hashes], timeout=timeout)}
    names = event_columns()
    events = []
    for rid in ids:
        row = rows[rid]
        h, seq = row[-2], row[-1]
        title, outlet = articles.get(h, (None, None))
        events.append(dict(zip(names, (*row, clusters.get((h, seq)), title, outlet), strict=True)))
    return EventPage(query, int(total), events)


def facets(con: duckdb.DuckDBPyConnection, query: EventQuery, *, timeout: float = DEFAULT_TIMEOUT
           ) -> dict[str, dict[str, int]]:
    """How the events matching ``query`` split by quad class, type and factuality (one scan), largest first."""
    where, params = query.where()
    rows = run(con, f"""
        SELECT CAST(e.quad_class AS VARCHAR), e.type, e.factuality, GROUPING(e.quad_class, e.type, e.factuality),
               count(*) AS n
        FROM events e WHERE {where}
        GROUP BY GROUPING SETS ((e.quad_class), (e.type), (e.factuality)) ORDER BY n DESC""", params, timeout=timeout)
    out: dict[str, dict[str, int]] = {"quad_class": {}, "type": {}, "factuality": {}}
    for quad, type_, fact, grouping, n in rows:
        # GROUPING sets a bit per column left out, the first column the highest: 3 = quad class kept, 5 = type, 6 = fact
        key, value = {3: ("quad_class", quad), 5: ("type", type_), 6: ("factuality", fact)}[grouping]
        if value is not None:
            out[key][value] = int(n)
    return out


def events_csv(con: duckdb.DuckDBPyConnection, query: EventQuery, *, limit: int | None = None,
               timeout: float = DEFAULT_TIMEOUT) -> Iterator[str]:
    """Every event matching ``query`` (all pages, or the first ``limit``) as CSV text in chunks.

    The query runs now, under the time limit, up to its first rows (QueryTimeout here, before any
    byte is sent); the rest streams at the pace the caller reads it, on a cursor of its own."""
    where, params = query.where()
    select = ", ".join(f"{expr} AS {name}" for name, expr in _EVENT_SELECT)
    sql = (f"SELECT {select}, ec.cluster_id, a.title, a.source AS outlet FROM events e"
           " LEFT JOIN event_clusters ec ON ec.content_hash = e.content_hash AND ec.seq = e.seq"
           " LEFT JOIN articles a ON a.content_hash = e.content_hash"
           f" WHERE {where} ORDER BY {query.order_by()}")
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, limit]
    cursor = con.cursor()
    timer = threading.Timer(timeout, cursor.interrupt)
    timer.daemon = True
    timer.start()
    try:
        cursor.execute(sql, params)
        first = cursor.fetchmany(2000)
    except duckdb.InterruptException as e:
        cursor.close()
        raise QueryTimeout(f"the query took longer than {timeout:g} s and was stopped; narrow the filters") from e
    except BaseException:
        cursor.close()
        raise
    finally:
        timer.cancel()
    return _csv_chunks(cursor, first)


def _csv_chunks(cursor: duckdb.DuckDBPyConnection, first: list[tuple[Any, ...]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(event_columns())
    chunk = first
    try:
        while chunk:
            writer.writerows(chunk)
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
            chunk = cursor.fetchmany(2000)
        if buf.getvalue():
            yield buf.getvalue()
    finally:
        cursor.close()


# --- article ------------------------------------------------------------------------------------------------

# The roles a highlight can have, strongest first: the first one a stretch of text has gives its colour.
ROLES = ("trigger", "actor", "recipient", "date", "place", "speaker", "cue", "quote", "reported", "evidence", "entity")


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of article text and the marks on it: ``(role, owner)`` with owner ``e3`` (event 3),
    ``q1`` (quote 1) or ``n2`` (entity 2). Unmarked stretches have no marks."""

    start: int
    end: int
    text: str
    marks: tuple[tuple[str, str], ...] = ()

    @property
    def role(self) -> str | None:
        """The strongest role, which colours the stretch."""
        roles = {r for r, _ in self.marks}
        return next((r for r in ROLES if r in roles), None)

    @property
    def roles(self) -> list[str]:
        return sorted({r for r, _ in self.marks}, key=ROLES.index)

    @property
    def owners(self) -> list[str]:
        return sorted({o for _, o in self.marks}, key=lambda o: (o[0], int(o[1:])))

    @property
    def data(self) -> str:
        """The marks as ``e3:trigger e3:evidence q1:quote`` (for the page's script and tests)."""
        return " ".join(f"{o}:{r}" for r, o in sorted(self.marks, key=lambda m: (m[1], ROLES.index(m[0]))))


@dataclass(frozen=True)
class ArticleView:
    """An article with its coded events, quotes and the text cut into highlighted segments."""

    coded: CodedArticle
    segments: list[Segment]
    clusters: dict[int, str]  # event index -> cluster id
    copy_of: str | None  # article id of the original when this is a near-duplicate copy
    skipped: int  # spans whose offsets do not match the text (not highlighted)

    def to_dict(self) -> dict[str, Any]:
        d = self.coded.to_dict()
        d["text"] = self.coded.article.text
        for i, e in enumerate(d["events"]):
            e["cluster_id"] = self.clusters.get(i)
        d["duplicate_of_article"] = self.copy_of
        return d


def _marks(coded: CodedArticle) -> tuple[list[tuple[int, int, str, str]], int]:
    """Every (start, end, role, owner) whose offsets hold the span's text; and how many did not."""
    text = coded.article.text
    out: list[tuple[int, int, str, str]] = []
    bad = 0

    def add(span: Any, role: str, owner: str) -> None:
        nonlocal bad
        if span is None:
            return
        start, end = span.start, span.end
        if not (0 <= start < end <= len(text)) or (span.text and text[start:end] != span.text):
            bad += 1
            return
        out.append((start, end, role, owner))

    for i, e in enumerate(coded.events):
        owner = f"e{i}"
        for s in e.evidence:
            add(s, "evidence", owner)
        add(e.trigger, "trigger", owner)
        for role, actor in (("actor", e.actor), ("recipient", e.recipient)):
            if actor is not None:
                # only the mentions inside this event's evidence: the actor's other mentions belong to other events
                for s in actor.spans:
                    if any(v.start <= s.start and s.end <= v.end for v in e.evidence):
                        add(s, role, owner)
        if e.date is not None:
            add(e.date.span, "date", owner)
        if e.location is not None:
            add(e.location.span, "place", owner)
    for k, actor in enumerate(coded.entities):  # every mention of every named actor, events or not
        for s in actor.spans:
            add(s, "entity", f"n{k}")
    for j, q in enumerate(coded.quotes):
        owner = f"q{j}"
        add(q.content, "quote" if q.direct else "reported", owner)
        add(q.speaker_span, "speaker", owner)
        add(q.cue, "cue", owner)
    return out, bad


def segments(text: str, marks: Sequence[tuple[int, int, str, str]]) -> list[Segment]:
    """The text cut at every mark boundary; each piece carries the marks covering it (overlaps allowed)."""
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    by_start: dict[int, list[tuple[int, int, str, str]]] = {}
    for m in marks:
        by_start.setdefault(m[0], []).append(m)
    out: list[Segment] = []
    open_marks: list[tuple[int, int, str, str]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        open_marks = [m for m in open_marks if m[1] > a] + by_start.get(a, [])
        out.append(Segment(a, b, text[a:b], tuple(dict.fromkeys((m[2], m[3]) for m in open_marks))))
    return out


def article_view(con: duckdb.DuckDBPyConnection, article_id: str, *, timeout: float = DEFAULT_TIMEOUT
                 ) -> ArticleView | None:
    """The article with this id (its latest coded version) ready to show, or None."""
    from communique.records import Article

    rows = run(con, "SELECT text, coded, content_hash, duplicate_of FROM articles WHERE article_id = ?"
               " ORDER BY coded_at DESC LIMIT 1", [article_id], timeout=timeout)
    if not rows:
        return None
    text, coded_json, content_hash, duplicate_of = rows[0]
    d = json.loads(coded_json)
    coded = CodedArticle.from_dict(d, Article.from_dict({**d, "text": text}))
    clusters = {seq: cid for seq, cid in run(
        con, "SELECT seq, cluster_id FROM event_clusters WHERE content_hash = ?", [content_hash], timeout=timeout)}
    copy_of = None
    if duplicate_of:
        found = run(con, "SELECT article_id FROM articles WHERE content_hash = ?", [duplicate_of], timeout=timeout)
        copy_of = found[0][0] if found else None
    marks, bad = _marks(coded)
    if bad:
        logger.warning("article %s: %d span(s) whose offsets do not match the text were not highlighted",
                       article_id, bad)
    return ArticleView(coded, segments(text, marks), clusters, copy_of, bad)


# --- clusters and series ------------------------------------------------------------------------------------

_CLUSTER_COLUMNS = (
    "cluster_id", "type", "mode", "source_key", "target_key", "source_name", "target_name", "quad_class", "score",
    "factuality", "date_start", "date_end", "location_name", "location_country", "lat", "lon", "first_seen",
    "last_seen", "n_events", "n_articles", "n_sources", "n_copies", "event_id", "article_id",
)  # fmt: skip
_CLUSTER_NAMES = tuple(
    {"source_key": "actor", "target_key": "recipient", "source_name": "actor_name",
     "target_name": "recipient_name"}.get(c, c) for c in _CLUSTER_COLUMNS
)  # fmt: skip


def _cluster_dict(row: Sequence[Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in zip(_CLUSTER_NAMES, row, strict=True)}


def cluster_view(con: duckdb.DuckDBPyConnection, cluster_id: str, *, timeout: float = DEFAULT_TIMEOUT
                 ) -> dict[str, Any] | None:
    """One cluster (a real-world event) and all its mentions across articles and outlets, oldest first;
    a mention whose article is a near-duplicate copy has ``copy: true``."""
    rows = run(con, f"SELECT {', '.join(_CLUSTER_COLUMNS)} FROM clusters WHERE cluster_id = ?", [cluster_id],
               timeout=timeout)
    if not rows:
        return None
    out = _cluster_dict(rows[0])
    mentions = run(con, """
        SELECT ec.event_id, ec.article_id, a.title, a.source, CAST(a.published AS VARCHAR), ec.type, ec.mode,
               ec.source_name, ec.target_name, ec.factuality, ec.place_name, ec.match_score,
               ec.copy_of IS NOT NULL OR a.duplicate_of IS NOT NULL, e.trigger, e.evidence, a.url
        FROM event_clusters ec JOIN articles a ON a.content_hash = ec.content_hash
        LEFT JOIN events e ON e.content_hash = ec.content_hash AND e.seq = ec.seq
        WHERE ec.cluster_id = ? ORDER BY a.published NULLS LAST, ec.article_order, ec.seq""", [cluster_id],
        timeout=timeout)
    names = ("event_id", "article_id", "title", "outlet", "published", "type", "mode", "actor_name",
             "recipient_name", "factuality", "place", "match_score", "copy", "trigger", "evidence", "url")
    out["mentions"] = [dict(zip(names, m, strict=True)) for m in mentions]
    return out


def series(con: duckdb.DuckDBPyConnection, a: str, b: str, *, by: str = "week", since: date | None = None,
           until: date | None = None, directed: bool = False) -> list[Period]:
    """The dyad's series (``communique.series.dyad_series``), trimmed to the periods from the dyad's first to
    its last event unless ``since``/``until`` are given, so a pair seen in one month is not a year of zeros."""
    if by not in PERIODS:
        raise BadParameter("by", by, "unknown period", PERIODS)
    if since is None or until is None:
        [(lo, hi)] = run(con, "SELECT min(coalesce(date_start, first_seen)), max(coalesce(date_start, first_seen))"
                         " FROM clusters WHERE (source_key = ? AND target_key = ?) OR (source_key = ? AND"
                         " target_key = ?)", [a, b, b, a])
        since = since or lo
        until = until or hi
    if since is None:  # the dyad has no events: no periods
        return []
    return dyad_series(con, a, b, by=by, directed=directed, since=since, until=until)


def dyad_clusters(con: duckdb.DuckDBPyConnection, a: str, b: str, *, by: str, period: date, limit: int = 200
                  ) -> list[dict[str, Any]]:
    """The clusters between ``a`` and ``b`` (either direction) whose date falls in the period starting ``period``."""
    if by not in PERIODS:
        raise BadParameter("by", by, "unknown period", PERIODS)
    rows = run(con, f"""
        SELECT {', '.join(_CLUSTER_COLUMNS)} FROM clusters
        WHERE ((source_key = ? AND target_key = ?) OR (source_key = ? AND target_key = ?))
          AND date_trunc(?, coalesce(date_start, first_seen))::DATE = ?
        ORDER BY coalesce(date_start, first_seen), cluster_id LIMIT ?""", [a, b, b, a, by, period, limit])
    return [_cluster_dict(r) for r in rows]


# --- map and network ----------------------------------------------------------------------------------------


def map_points(con: duckdb.DuckDBPyConnection, query: EventQuery, *, limit: int = 2000,
               timeout: float = DEFAULT_TIMEOUT) -> list[dict[str, Any]]:
    """Located events grouped by place: name, country, lat, lon, count and counts by quad class, busiest first."""
    where, params = query.where()
    rows = run(con, f"""
        SELECT e.location_name, e.location_country, round(e.lat, 3) AS lat, round(e.lon, 3) AS lon, count(*) AS n,
               count(*) FILTER (WHERE e.quad_class = 1), count(*) FILTER (WHERE e.quad_class = 2),
               count(*) FILTER (WHERE e.quad_class = 3), count(*) FILTER (WHERE e.quad_class = 4)
        FROM events e WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL AND {where}
        GROUP BY ALL ORDER BY n DESC, e.location_name LIMIT ?""", [*params, limit], timeout=timeout)
    names = ("name", "country", "lat", "lon", "events", "q1", "q2", "q3", "q4")
    return [dict(zip(names, r, strict=True)) for r in rows]


def network(con: duckdb.DuckDBPyConnection, query: EventQuery, *, max_nodes: int = 40,
            timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """Countries and IGOs as nodes, event counts by quad class as directed edges (actor → recipient), for the
    ``max_nodes`` busiest parties; self-directed events (a government and its own protesters) are left out."""
    where, params = query.where()
    rows = run(con, f"""
        SELECT coalesce(e.source_country, e.source_igo) AS a, coalesce(e.target_country, e.target_igo) AS b,
               count(*) FILTER (WHERE e.quad_class = 1), count(*) FILTER (WHERE e.quad_class = 2),
               count(*) FILTER (WHERE e.quad_class = 3), count(*) FILTER (WHERE e.quad_class = 4), count(*) AS n
        FROM events e WHERE {where}
          AND coalesce(e.source_country, e.source_igo) IS NOT NULL AND coalesce(e.target_country, e.target_igo)
              IS NOT NULL AND coalesce(e.source_country, e.source_igo) <> coalesce(e.target_country, e.target_igo)
        GROUP BY ALL ORDER BY n DESC, a, b""", params, timeout=timeout)
    degree: dict[str, int] = {}
    for a, b, *_, n in rows:
        degree[a] = degree.get(a, 0) + n
        degree[b] = degree.get(b, 0) + n
    keep = sorted(degree, key=lambda k: (-degree[k], k))[:max_nodes]
    kept = set(keep)
    edges = [{"actor": a, "recipient": b, "q1": q1, "q2": q2, "q3": q3, "q4": q4, "events": n}
             for a, b, q1, q2, q3, q4, n in rows if a in kept and b in kept]
    return {"nodes": [{"code": k, "events": degree[k]} for k in keep], "edges": edges}
