"""The ASGI app of ``communique serve``: HTML pages and a JSON API over one store, read-only.

Each route parses its parameters, calls one function of ``communique.web.queries`` and renders
the answer: as a Jinja2 page (autoescaped) or as JSON. The pages and the API share the
filters, so any event list is also ``/api/events`` and ``/api/events.csv`` with the same query.

Safety, in one place:

- the store is opened read-only with SQL file access switched off (``queries.open_read_only``);
  statements run with a time limit; page sizes are capped at 1,000 (larger: 400);
- unknown codes are a 400 listing the valid choices (pages show the same as an error page);
- article text, titles and every stored string are escaped by Jinja2; links to an article's own
  URL are made only for http(s) URLs;
- every response carries a Content-Security-Policy that allows scripts, styles and images from
  this server only (no inline script, no inline style, no other host) and forbids framing;
- the Host header must name this server (a DNS-rebinding page cannot talk to it);
- the only writing endpoint, ``POST /api/ingest``, exists when a token is given and needs
  ``Authorization: Bearer <token>``; without a token it answers 403.
"""


import hmac
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import duckdb
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from communique.errors import CommuniqueError, InputError, StoreError
from communique.store import Store
from communique.web import charts, queries
from communique.web.queries import QUADS, BadParameter, Codes, EventQuery, QueryTimeout
from communique.web.worldmap import world_outline

__all__ = ["CSP", "create_app"]

logger = logging.getLogger("communique.web")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
       " font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]

_TEXT = "Words to find in the evidence sentence (case-insensitive)."
_CODE = "ISO 3166 alpha-3 country code or IGO code (e.g. RUS, UN); a name gives a 400 that suggests the code."


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("communique.web").joinpath(name)))


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a stored ``javascript:`` URL must never become a link."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _day(param: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadParameter(param, value, f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def _int(param: str, value: str | None, default: int | None) -> int | None:
    if value is None or not value.strip():
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise BadParameter(param, value, f"{value!r} is not a whole number") from None


def trigger_marked(evidence: str | None, trigger: str | None) -> Markup:
    """The evidence sentence, escaped, with the first occurrence of the trigger in bold."""
    ev, t = evidence or "", trigger or ""
    i = ev.find(t) if t else -1
    if i < 0:
        return escape(ev)
    return Markup('{}<b class="trig">{}</b>{}').format(ev[:i], t, ev[i + len(t):])


class _App:
    """What the routes share: the read-only connection, the valid codes and the templates."""

    def __init__(self, db: str, token: str | None, timeout: float) -> None:
        self.db = db
        self.token = token
        self.timeout = timeout
        self.store: Store | None = None
        if token is None:
            self.con = queries.open_read_only(db)
        else:  # the one case the store is writable: POST /api/ingest, behind the token
            self.store = Store(db)
            self.con = queries.lock_down(self.store)
        self.pipeline: Any = None
        self.reload_codes()
        self.env = Environment(
            loader=FileSystemLoader(str(_package_dir("templates"))),
            autoescape=select_autoescape(["html"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["trigger"] = trigger_marked
        self.env.globals.update(quads=QUADS, quad_colours=charts.QUAD_COLOURS, safe_url=safe_url, urlencode=urlencode)
        self.ingest_lock = threading.Lock()

    def reload_codes(self) -> None:
        cur = self.con.cursor()
        try:
            self.codes = Codes.load(cur)
        finally:
            cur.close()

    def ingest(self, objects: list[Any]) -> dict[str, Any]:
        """Code and store posted article objects; a bad object is reported and skipped, the others stored."""
        from communique.ingest._fields import Invalid, article_from_object
        from communique.pipeline import Pipeline
        from communique.report import Report

        assert self.store is not None
        rejected: list[dict[str, Any]] = []
        articles = []
        for i, obj in enumerate(objects):
            try:
                articles.append(article_from_object(obj))
            except Invalid as e:
                rejected.append({"item": i, "reason": str(e)})
        with self.ingest_lock:
            if self.pipeline is None:
                self.pipeline = Pipeline()
            report = Report()
            stored: list[StoreError] = []
            added, skipped = self.store.add_many(self.pipeline.code(articles, report), errors=stored)
            rejected += [{"item": str(e), "reason": "cannot be stored"} for e in stored]
            rejected += [{"item": "coding", "reason": f"{why}: {n} article(s)"} for why, n in report.skipped.items()]
            self.reload_codes()
        logger.info("ingest: %d article(s) added, %d already stored, %d rejected", added, skipped, len(rejected))
        return {"added": added, "already_stored": skipped, "rejected": rejected,
                "ids": [a.id for a in articles]}

    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def page(self, request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(request=request, codes=self.codes, db=Path(self.db).name,
                                                  read_only=self.store is None, **context)
        return HTMLResponse(html, status_code=status_code)


def create_app(db: str, *, token: str | None = None, timeout: float = queries.DEFAULT_TIMEOUT,
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """The app over the store at ``db`` (opened read-only now; StoreError if it cannot be).

    ``token``: enables ``POST /api/ingest`` for requests that carry it. ``allowed_hosts``: the
    Host header values accepted (default: this machine's loopback names)."""
    state = _App(db, token, timeout)
    app = FastAPI(
        title="communique",
        summary="Political event data from news, with the evidence behind every code.",
        description="Read-only JSON API over one communique store. Every list of events takes the same filters "
                    "as the Events page; codes are validated (400 with the valid choices).",
        version="1",
        docs_url=None, redoc_url=None,  # their pages load scripts from a CDN; /docs is ours
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or _LOCAL_HOSTS)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        for k, v in _HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    app.mount("/static", StaticFiles(directory=str(_package_dir("static"))), name="static")
    Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(state.cursor)]

    # --- errors: one shape for the API, an error page for the pages ----------------------------------------

    def error(request: Request, status: int, kind: str, message: str, **extra: Any) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"error": kind, "message": message, **extra}, status_code=status)
        return state.page(request, "error.html", status, status=status, kind=kind, message=message, extra=extra)

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, e: BadParameter) -> Response:
        return error(request, 400, "bad_parameter", str(e), param=e.param, value=e.value, choices=list(e.choices))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError) -> Response:
        first = e.errors()[0] if e.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body"))
        return error(request, 400, "bad_parameter", f"{where}: {first.get('msg', 'invalid value')}", param=where)

    @app.exception_handler(QueryTimeout)
    async def timed_out(request: Request, e: QueryTimeout) -> Response:
        return error(request, 503, "timeout", str(e))

    @app.exception_handler(CommuniqueError)
    async def communique_error(request: Request, e: CommuniqueError) -> Response:
        logger.warning("%s %s: %s", request.method, request.url.path, e)
        status = 400 if isinstance(e, InputError) else 500
        return error(request, status, type(e).__name__, str(e))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> Response:
        return error(request, e.status_code, "http", str(e.detail))

    # --- the filters of every event list ------------------------------------------------------------------

    def event_query(
        actor: Annotated[str | None, Query(description="Acting side: " + _CODE)] = None,
        recipient: Annotated[str | None, Query(description="Receiving side: " + _CODE)] = None,
        party: Annotated[str | None, Query(description="Either side: " + _CODE)] = None,
        type: Annotated[str | None, Query(description="PLOVER event type (e.g. CONSULT).")] = None,
        quad_class: Annotated[str | None, Query(description="1 verbal cooperation, 2 material cooperation, "
                                                             "3 verbal conflict, 4 material conflict.")] = None,
        mode: Annotated[str | None, Query(description="PLOVER mode (e.g. visit, military).")] = None,
        factuality: Annotated[str | None, Query(description="asserted, negated, planned, speculative, "
                                                             "hypothetical or historical.")] = None,
        since: Annotated[str | None, Query(description="First day (YYYY-MM-DD) of the event, or of its "
                                                        "article when the event is undated.")] = None,
        until: Annotated[str | None, Query(description="Last day (YYYY-MM-DD), inclusive.")] = None,
        place_country: Annotated[str | None, Query(description="Country (ISO-3) of the event's place.")] = None,
        text: Annotated[str | None, Query(description=_TEXT)] = None,
        sort: Annotated[str, Query(description="One of " + ", ".join(queries.SORTS) + ".")] = "date",
        order: Annotated[str, Query(description="asc or desc.")] = "asc",
        page: Annotated[str | None, Query(description="Page number, from 1.")] = None,
        size: Annotated[str | None, Query(description="Events per page, 1 to 1,000 (more: 400).")] = None,
    ) -> EventQuery:
        q = EventQuery(actor=actor, recipient=recipient, party=party, type=type,
                       quad_class=_int("quad_class", quad_class, None), mode=mode, factuality=factuality,
                       since=_day("since", since), until=_day("until", until), place_country=place_country,
                       text=text, sort=sort, order=order, page=_int("page", page, 1) or 1,
                       size=_int("size", size, 100) or 0)
        return q.validate(state.codes)

    Filters = Annotated[EventQuery, Depends(event_query)]

    # --- pages ---------------------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/events", status_code=303)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(request: Request, q: Filters, cur: Cursor) -> HTMLResponse:
        split = queries.facets(cur, q, timeout=state.timeout)  # its counts add up to the total: no count query
        result = queries.list_events(cur, q, timeout=state.timeout, total=sum(split["type"].values()))
        return state.page(request, "events.html", q=q, result=result, sorts=list(queries.SORTS), facets=split)

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str, cur: Cursor) -> HTMLResponse:
        view = queries.article_view(cur, article_id, timeout=state.timeout)
        if view is None:
            raise StarletteHTTPException(404, f"no article with id {article_id!r} in this store")
        return state.page(request, "article.html", view=view, a=view.coded.article, coded=view.coded)

    @app.get("/clusters/{cluster_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def cluster_page(request: Request, cluster_id: str, cur: Cursor) -> HTMLResponse:
        cluster = queries.cluster_view(cur, cluster_id, timeout=state.timeout)
        if cluster is None:
            raise StarletteHTTPException(404, f"no cluster with id {cluster_id!r} in this store")
        return state.page(request, "cluster.html", c=cluster)

    @app.get("/dyad", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(request: Request, cur: Cursor, a: str | None = None, b: str | None = None, by: str = "week",
                  since: str | None = None, until: str | None = None, period: str | None = None) -> HTMLResponse:
        if not a or not b:
            top = queries.run(cur, """
                SELECT least(source_key, target_key), greatest(source_key, target_key), count(*) AS n FROM clusters
                WHERE source_key IS NOT NULL AND target_key IS NOT NULL AND source_key <> target_key
                GROUP BY ALL ORDER BY n DESC, 1, 2 LIMIT 1""", timeout=state.timeout)
            a, b = (a or (top[0][0] if top else "USA")), (b or (top[0][1] if top else "CHN"))
        ca, cb = state.codes.actor("a", a), state.codes.actor("b", b)
        assert ca is not None and cb is not None
        lo, hi, chosen = _day("since", since), _day("until", until), _day("period", period)
        rows = queries.series(cur, ca, cb, by=by, since=lo, until=hi)
        params = {k: v for k, v in (("a", ca), ("b", cb), ("by", by), ("since", since), ("until", until)) if v}

        def link(p: date) -> str:
            return "/dyad?" + urlencode({**params, "period": p.isoformat()}) + "#clusters"

        if chosen is None:  # the busiest period is listed until one is picked
            busiest = max(rows, key=lambda r: r.clusters, default=None)
            chosen = busiest.period if busiest and busiest.clusters else None
        listed = queries.dyad_clusters(cur, ca, cb, by=by, period=chosen) if chosen else []
        svg = charts.series_svg(rows, by=by, link=link, selected=chosen) if rows else ""
        return state.page(request, "dyad.html", a=ca, b=cb, by=by, since=since or "", until=until or "",
                          rows=rows, chart=Markup(svg), period=chosen, clusters=listed,
                          api="/api/series?" + urlencode(params))

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, q: Filters, cur: Cursor) -> HTMLResponse:
        points = queries.map_points(cur, q, timeout=state.timeout)

        def link(p: dict[str, Any]) -> str:
            extra = {"place_country": p["country"]} if p["country"] else {}
            return "/events?" + urlencode(q.params(page=1, **extra))

        svg = charts.map_svg(points, world_outline(), link=link)
        return state.page(request, "map.html", q=q, points=points, chart=Markup(svg),
                          located=sum(p["events"] for p in points))

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network_page(request: Request, q: Filters, cur: Cursor) -> HTMLResponse:
        net = queries.network(cur, q, timeout=state.timeout)

        def link(a: str, b: str | None) -> str:
            if b is None:
                return "/events?" + urlencode(q.params(page=1, party=a))
            return "/dyad?" + urlencode({"a": a, "b": b})

        svg = charts.network_svg(net, names=state.codes.actors, link=link)
        return state.page(request, "network.html", q=q, net=net, chart=Markup(svg))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        return state.page(request, "docs.html", spec=app.openapi())

    # --- JSON API -----------------------------------------------------------------------------------------

    @app.get("/api/events", tags=["events"], summary="A page of events matching the filters")
    def api_events(q: Filters, cur: Cursor) -> dict[str, Any]:
        """The events matching the filters, one page (size ≤ 1,000), with total and pages."""
        return queries.list_events(cur, q, timeout=state.timeout).to_dict()

    @app.get("/api/events.csv", tags=["events"], summary="Every event matching the filters, as CSV",
             response_class=StreamingResponse)
    def api_events_csv(q: Filters) -> StreamingResponse:
        """All matching events (every page, in the list's order) as CSV; the columns are those of /api/events."""
        body = queries.events_csv(state.con, q, timeout=state.timeout)
        return StreamingResponse(body, media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="events.csv"'})

    @app.get("/api/articles/{article_id:path}", tags=["articles"], summary="One coded article with its text")
    def api_article(article_id: str, cur: Cursor) -> dict[str, Any]:
        """The article (its latest coded version) with every event, entity, date, place and quote and their
        character offsets in text; each event has its cluster_id."""
        view = queries.article_view(cur, article_id, timeout=state.timeout)
        if view is None:
            raise StarletteHTTPException(404, f"no article with id {article_id!r} in this store")
        return view.to_dict()

    @app.get("/api/clusters/{cluster_id:path}", tags=["clusters"], summary="One real-world event and its mentions")
    def api_cluster(cluster_id: str, cur: Cursor) -> dict[str, Any]:
        """The cluster with all its mentions across articles and outlets, first and last seen, copies marked."""
        cluster = queries.cluster_view(cur, cluster_id, timeout=state.timeout)
        if cluster is None:
            raise StarletteHTTPException(404, f"no cluster with id {cluster_id!r} in this store")
        return cluster

    @app.get("/api/series", tags=["series"], summary="The trend of a dyad")
    def api_series(
        cur: Cursor,
        a: Annotated[str, Query(description="One side: " + _CODE)],
        b: Annotated[str, Query(description="The other side: " + _CODE)],
        by: Annotated[str, Query(description="day, week or month.")] = "week",
        since: Annotated[str | None, Query(description="First day (YYYY-MM-DD); default the dyad's first.")] = None,
        until: Annotated[str | None, Query(description="Last day; default the dyad's last.")] = None,
        directed: Annotated[bool, Query(description="Only a → b.")] = False,
    ) -> dict[str, Any]:
        """Per period: articles, clusters by quad class, rate per 1,000 articles with its 95% interval,
        mean score with its 95% interval (communique.series)."""
        ca, cb = state.codes.actor("a", a), state.codes.actor("b", b)
        assert ca is not None and cb is not None
        rows = queries.series(cur, ca, cb, by=by, since=_day("since", since), until=_day("until", until),
                              directed=directed)
        return {"a": ca, "b": cb, "by": by, "directed": directed, "periods": [r.to_dict() for r in rows]}

    @app.get("/api/facets", tags=["events"], summary="How the matching events split")
    def api_facets(q: Filters, cur: Cursor) -> dict[str, dict[str, int]]:
        """Counts of the events matching the filters by quad class, type and factuality."""
        return queries.facets(cur, q, timeout=state.timeout)

    @app.get("/api/map", tags=["events"], summary="Located events grouped by place")
    def api_map(q: Filters, cur: Cursor) -> dict[str, Any]:
        """Places with their event counts (all and by quad class) for the events matching the filters."""
        return {"places": queries.map_points(cur, q, timeout=state.timeout)}

    @app.get("/api/network", tags=["events"], summary="Actor network")
    def api_network(q: Filters, cur: Cursor) -> dict[str, Any]:
        """Countries and IGOs as nodes, event counts by quad class as edges, for the events matching the filters."""
        return queries.network(cur, q, timeout=state.timeout)

    @app.get("/api/codes", tags=["codes"], summary="The valid filter values")
    def api_codes() -> dict[str, Any]:
        """Countries and IGOs (code → name), PLOVER types and modes, factualities, quad classes, sort keys."""
        c = state.codes
        return {"countries": c.countries, "igos": c.igos, "types": list(c.types), "modes": list(c.modes),
                "factualities": list(c.factualities), "quad_classes": {str(k): v for k, v in QUADS.items()},
                "sorts": list(queries.SORTS), "max_page_size": queries.MAX_PAGE_SIZE}

    @app.post("/api/ingest", tags=["writing"], summary="Code and store articles (needs --token)")
    def api_ingest(request: Request, articles: list[dict[str, Any]]) -> dict[str, Any]:
        """Code the posted articles (objects as in *.json input: text required) and store them. Off
        unless the server was started with --token; the request must carry Authorization: Bearer TOKEN."""
        if state.token is None:
            raise StarletteHTTPException(403, "writing is off: start `communique serve` with --token to enable it")
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {state.token}".encode()):
            raise StarletteHTTPException(401, "missing or wrong token: send Authorization: Bearer TOKEN")
        if not isinstance(articles, list) or len(articles) > 1000:
            raise BadParameter("body", "…", "post a JSON list of at most 1,000 article objects")
        return state.ingest(articles)

    return app


def is_local(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine."""
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def serve(db: str, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          timeout: float = queries.DEFAULT_TIMEOUT, log_level: str = "info") -> None:
    """Run the server until interrupted (uvicorn). A non-local ``host`` accepts any Host header."""
    import uvicorn

    allowed = _LOCAL_HOSTS if is_local(host) else ["*"]
    app = create_app(db, token=token, timeout=timeout, allowed_hosts=allowed)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
