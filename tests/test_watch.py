"""``watch``: polling feeds from a real HTTP server on 127.0.0.1 (``http.server`` in a thread).

Most tests code with a stand-in for the pipeline (no model: fast), storing into a real
DuckDB file; the tests marked slow run the real pipeline and the ``communique watch`` command."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from communique.errors import ConfigError
from communique.pipeline import Report
from communique.records import Article, CodedArticle
from communique.store import Store
from communique.watch import PollResult, Watcher, WatchState, default_state_path

from .conftest import ROOT

# --- a feed server ---------------------------------------------------------------------------------------


@dataclass
class Route:
    body: bytes
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0  # seconds between two bytes of the body
    trickle_head: float = 0.0  # seconds between two bytes of the status line and headers


@dataclass
class Hit:
    path: str
    if_none_match: str | None
    if_modified_since: str | None
    status: int


class FeedServer:
    """Serves ``routes`` (path → Route) and records every request in ``hits``."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                route = server.routes.get(self.path)
                inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
                if route is None:
                    status, body, headers = 404, b"not found", {"Content-Type": "text/plain"}
                elif route.status == 200 and ((route.etag and inm == route.etag)
                                              or (route.last_modified and ims == route.last_modified)):
                    status, body, headers = 304, b"", {}
                else:
                    status, body = route.status, route.body
                    headers = {"Content-Type": route.content_type, **route.headers}
                    if route.etag:
                        headers["ETag"] = route.etag
                    if route.last_modified:
                        headers["Last-Modified"] = route.last_modified
                server.hits.append(Hit(self.path, inm, ims, status))
                if route is not None and route.delay:
                    time.sleep(route.delay)
                if route is not None and (route.trickle or route.trickle_head):
                    self._trickle(route, status, headers, body)
                    return
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def _trickle(self, route: Route, status: int, headers: dict[str, str], body: bytes) -> None:
                head = f"HTTP/1.1 {status} OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                head += f"Content-Length: {len(body)}\r\n\r\n"
                try:
                    for data, pause in ((head.encode(), route.trickle_head), (body, route.trickle)):
                        for i in range(len(data)):
                            self.wfile.write(data[i:i + 1])
                            self.wfile.flush()
                            time.sleep(pause)
                except OSError:  # the client gave up: that is the point
                    pass
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer()
    yield s
    s.close()


ITEMS = [
    ("gw-1", "Kenya and Ethiopia sign water accord",
     "Kenya and Ethiopia signed an accord on Monday to share water from the Omo river.", "2024-02-05"),
    ("gw-2", "Sudan talks resume in Jeddah",
     "Delegations from the Sudanese army and the Rapid Support Forces resumed talks in Jeddah on Tuesday.",
     "2024-02-06"),
    ("gw-3", "Somalia recalls envoy",
     "Somalia recalled its ambassador to Ethiopia on Wednesday after a port agreement with Somaliland.",
     "2024-02-07"),
]  # fmt: skip
NEW_ITEM = ("gw-4", "Uganda hosts regional summit",
            "Uganda hosted a regional security summit in Kampala on Thursday, officials said.", "2024-02-08")
FRENCH_ITEM = ("gw-5", "Sommet à Dakar",
               "Le président sénégalais a reçu lundi à Dakar ses homologues de la région pour un sommet consacré "
               "à la sécurité au Sahel, selon un communiqué de la présidence.", "2024-02-09")


def rss(items: Iterable[tuple[str, str, str, str]], built: str = "Fri, 09 Feb 2024 08:00:00 GMT") -> bytes:
    entries = "".join(
        f"<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>"
        f"<link>https://gw.example/{guid}</link>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(day + 'T09:00:00+00:00'))}</pubDate>"
        f"<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>\n"
        for guid, title, text, day in items
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Great Lakes Wire</title>'
            f"<link>https://gw.example/</link><lastBuildDate>{built}</lastBuildDate>\n{entries}</channel></rss>\n"
            ).encode()


# --- a stand-in coder ------------------------------------------------------------------------------------


class FakeCoder:
    """Codes each article into a CodedArticle without events, and remembers what it was given."""

    def __init__(self) -> None:
        self.coded: list[str] = []

    def code(self, articles: Iterable[Article], report: Report | None = None) -> Iterator[CodedArticle]:
        for a in articles:
            if report is not None:
                report.read += 1
                report.coded += 1
            self.coded.append(a.url or a.id)
            yield CodedArticle(article=a, coder_version="fake")


def stored_urls(db: Path) -> list[str]:
    with Store(db, read_only=True) as store:
        rows = store.connection.execute("SELECT url FROM articles ORDER BY url").fetchall()
    return [r[0] for r in rows]


@pytest.fixture
def make_watcher(tmp_path: Path, server: FeedServer) -> Iterator[object]:
    made: list[Watcher] = []

    def make(*paths: str, coder: FakeCoder | None = None, **options: object) -> Watcher:
        w = Watcher([server.url(p) for p in paths], db=tmp_path / "w.duckdb", state=tmp_path / "state.json",
                    pipeline=coder or FakeCoder(), **options)  # type: ignore[arg-type]
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()


def urls(*guids: str) -> list[str]:
    return [f"https://gw.example/{g}" for g in guids]


# --- polling ---------------------------------------------------------------------------------------------


def test_first_poll_stores_every_item_then_304_stores_nothing(tmp_path: Path, server: FeedServer,
                                                              make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(rss(ITEMS), etag='"v1"')
    coder = FakeCoder()
    w = make_watcher("/feed", coder=coder)
    first = w.poll(server.url("/feed"))
    assert (first.outcome, first.status, first.entries, first.new, first.stored, first.skipped) == (
        "new", 200, 3, 3, 3, 0)
    assert stored_urls(tmp_path / "w.duckdb") == urls("gw-1", "gw-2", "gw-3")
    second = w.poll(server.url("/feed"))
    assert (second.outcome, second.status, second.stored) == ("not-modified", 304, 0)
    assert [(h.if_none_match, h.status) for h in server.hits] == [(None, 200), ('"v1"', 304)]
    assert coder.coded == urls("gw-1", "gw-2", "gw-3")
    assert stored_urls(tmp_path / "w.duckdb") == urls("gw-1", "gw-2", "gw-3")
    assert second.summary() == f"{server.url('/feed')}: not modified (HTTP 304)"
    assert first.summary().startswith(f"{server.url('/feed')}: 3 entries, 3 new, 3 stored (")


def test_last_modified_is_sent_back(server: FeedServer, make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(rss(ITEMS), last_modified="Fri, 09 Feb 2024 08:00:00 GMT")
    w = make_watcher("/feed")
    assert w.poll(server.url("/feed")).outcome == "new"
    assert w.poll(server.url("/feed")).outcome == "not-modified"
    assert [h.if_modified_since for h in server.hits] == [None, "Fri, 09 Feb 2024 08:00:00 GMT"]


def test_only_the_new_item_is_coded_and_stored(tmp_path: Path, server: FeedServer,
                                               make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(rss(ITEMS), etag='"v1"')
    coder = FakeCoder()
    w = make_watcher("/feed", coder=coder)
    w.poll(server.url("/feed"))
    server.routes["/feed"] = Route(rss([NEW_ITEM, *ITEMS]), etag='"v2"')
    result = w.poll(server.url("/feed"))
    assert (result.outcome, result.entries, result.new, result.stored) == ("new", 4, 1, 1)
    assert coder.coded == urls("gw-1", "gw-2", "gw-3", "gw-4")
    assert stored_urls(tmp_path / "w.duckdb") == urls("gw-1", "gw-2", "gw-3", "gw-4")


def test_server_without_conditional_get(server: FeedServer, make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(rss(ITEMS))
    coder = FakeCoder()
    w = make_watcher("/feed", coder=coder)
    assert w.poll(server.url("/feed")).stored == 3
    assert w.poll(server.url("/feed")).outcome == "unchanged"  # the same bytes
    server.routes["/feed"] = Route(rss(ITEMS, built="Sat, 10 Feb 2024 08:00:00 GMT"))
    again = w.poll(server.url("/feed"))  # new bytes, same entries
    assert (again.outcome, again.entries, again.new, again.stored) == ("new", 3, 0, 0)
    assert len(coder.coded) == 3


def test_restart_resumes_from_the_state_file(tmp_path: Path, server: FeedServer,
                                             make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(rss(ITEMS), etag='"v1"')
    make_watcher("/feed").poll(server.url("/feed"))
    state = json.loads((tmp_path / "state.json").read_text())
    feed = state["feeds"][server.url("/feed")]
    assert (state["version"], feed["etag"], feed["seen"], feed["failures"]) == (1, '"v1"', ["gw-1", "gw-2", "gw-3"], 0)

    coder = FakeCoder()
    again = make_watcher("/feed", coder=coder)  # a new process, as after a restart
    assert again.poll(server.url("/feed")).outcome == "not-modified"
    server.routes["/feed"] = Route(rss([NEW_ITEM, *ITEMS]), etag='"v2"')
    assert again.poll(server.url("/feed")).stored == 1
    assert coder.coded == urls("gw-4")


def test_lost_state_file_still_stores_nothing_twice(tmp_path: Path, server: FeedServer,
                                                    make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(rss(ITEMS), etag='"v1"')
    make_watcher("/feed").poll(server.url("/feed"))
    (tmp_path / "state.json").unlink()
    coder = FakeCoder()
    result = make_watcher("/feed", coder=coder).poll(server.url("/feed"))
    assert (result.outcome, result.new, result.stored, result.already) == ("new", 3, 0, 3)
    assert coder.coded == []  # known by content hash: not even coded
    assert stored_urls(tmp_path / "w.duckdb") == urls("gw-1", "gw-2", "gw-3")


def test_non_english_entries_are_skipped_and_counted(server: FeedServer,
                                                     make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(rss([*ITEMS, FRENCH_ITEM]))
    w = make_watcher("/feed")
    result = w.poll(server.url("/feed"))
    assert (result.entries, result.new, result.stored, result.skipped) == (4, 4, 3, 1)
    assert dict(w.report.skipped) == {"language 'fr' not supported yet": 1}


# --- errors and backoff ----------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_server_error_backs_off_exponentially_then_recovers(server: FeedServer,
                                                            make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(b"oops", status=500, content_type="text/plain")
    clock = Clock()
    w = make_watcher("/feed", clock=clock, backoff=30, max_backoff=100)
    url = server.url("/feed")
    results = []
    for _ in range(4):
        results.append(w.poll(url))
        clock.now += 1
    assert [(r.outcome, r.error, r.retry_in) for r in results] == [
        ("error", "HTTP 500 Internal Server Error", 30), ("error", "HTTP 500 Internal Server Error", 60),
        ("error", "HTTP 500 Internal Server Error", 100), ("error", "HTTP 500 Internal Server Error", 100),
    ]
    fs = w.state.feed(url)
    assert (fs.failures, fs.last_error, fs.next_poll) == (4, "HTTP 500 Internal Server Error", clock.now - 1 + 100)
    assert w.errors == 4

    # still waiting: a run polls nothing
    seen: list[PollResult] = []
    w.run(once=True, on_poll=seen.append)
    assert [(r.outcome, r.retry_in) for r in seen] == [("backoff", 99.0)]
    assert len(server.hits) == 4

    # the wait is over and the server is back
    clock.now += 100
    server.routes["/feed"] = Route(rss(ITEMS))
    seen.clear()
    w.run(once=True, on_poll=seen.append)
    assert [(r.outcome, r.stored) for r in seen] == [("new", 3)]
    assert (fs.failures, fs.last_error, fs.next_poll) == (0, None, clock.now + 300)


def test_retry_after_is_honoured(server: FeedServer, make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(b"busy", status=503, content_type="text/plain", headers={"Retry-After": "120"})
    result = make_watcher("/feed", backoff=30).poll(server.url("/feed"))
    assert (result.error, result.retry_in) == ("HTTP 503 Service Unavailable", 120)
    assert result.summary() == f"{server.url('/feed')}: HTTP 503 Service Unavailable; next try in 120s"


@pytest.mark.parametrize(
    ("route", "options", "error"),
    [
        (Route(b"x" * 5000), {"max_bytes": 1000}, "response too large (5,000 bytes; the limit is 1,000)"),
        (Route(b"<html><body><p>A page, not a feed.</p></body></html>", content_type="text/html"), {},
         "not an RSS or Atom feed"),
        (Route(rss(ITEMS), delay=1.0), {"timeout": 0.2}, "timed out (ReadTimeout; the limit is 0.2s)"),
        (None, {}, "HTTP 404 Not Found"),
    ],
    ids=["too-large", "not-a-feed", "timeout", "not-found"],
)  # fmt: skip
def test_bad_answers_are_errors_not_crashes(server: FeedServer, make_watcher, route: Route | None,  # type: ignore[no-untyped-def]
                                            options: dict[str, object], error: str) -> None:
    if route is not None:
        server.routes["/feed"] = route
    w = make_watcher("/feed", **options)
    result = w.poll(server.url("/feed"))
    assert (result.outcome, result.error.split(" (")[0] if error.startswith("not an") else result.error) == (
        "error", error)
    assert w.state.feed(server.url("/feed")).failures == 1


def test_connection_refused(tmp_path: Path) -> None:
    s = FeedServer()
    url = s.url("/feed")
    s.close()  # nothing listens there any more
    with Watcher([url], db=tmp_path / "w.duckdb", state=tmp_path / "s.json", pipeline=FakeCoder()) as w:
        result = w.poll(url)
    assert result.outcome == "error"
    assert result.error is not None and result.error.startswith("ConnectError: ")


def test_redirects_are_followed(server: FeedServer, make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/old"] = Route(b"", status=301, headers={"Location": "/feed"}, content_type="text/plain")
    server.routes["/feed"] = Route(rss(ITEMS))
    assert make_watcher("/old").poll(server.url("/old")).stored == 3


# --- running -----------------------------------------------------------------------------------------------


def test_run_once_polls_every_feed_and_returns(server: FeedServer, make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/a"] = Route(rss(ITEMS[:1]))
    server.routes["/b"] = Route(rss(ITEMS[1:]))
    w = make_watcher("/a", "/b")
    seen: list[PollResult] = []
    w.run(once=True, on_poll=seen.append)
    assert [(r.url, r.stored) for r in seen] == [(server.url("/a"), 1), (server.url("/b"), 2)]
    assert (w.polls, w.errors, w.stored) == (2, 0, 3)


def test_run_polls_again_after_the_interval_until_stopped(server: FeedServer,
                                                          make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(rss(ITEMS), etag='"v1"')
    w = make_watcher("/feed", interval=0.2)
    stop = threading.Event()
    seen: list[PollResult] = []

    def on_poll(r: PollResult) -> None:
        seen.append(r)
        if len(seen) == 3:
            stop.set()

    t = threading.Thread(target=w.run, kwargs={"stop": stop, "on_poll": on_poll})
    t.start()
    t.join(timeout=10)
    assert not t.is_alive()
    assert [r.outcome for r in seen] == ["new", "not-modified", "not-modified"]


def test_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not an http"):
        Watcher(["ftp://x.example/feed"], db=tmp_path / "w.duckdb", pipeline=FakeCoder())
    with pytest.raises(ConfigError, match="no feed URL"):
        Watcher([], db=tmp_path / "w.duckdb")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    with pytest.raises(ConfigError, match="is not a communique watch state file"):
        WatchState.load(bad)


def test_default_state_path() -> None:
    assert default_state_path("data/news.duckdb") == Path("data/news.watch.json")
    assert default_state_path(":memory:") == Path("communique.watch.json")


# --- the real pipeline and the command -----------------------------------------------------------------


@pytest.mark.slow
def test_real_pipeline_codes_new_items(tmp_path: Path, server: FeedServer, pipeline) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = Route(rss(ITEMS), etag='"v1"')
    with Watcher([server.url("/feed")], db=tmp_path / "w.duckdb", state=tmp_path / "s.json",
                 pipeline=pipeline) as w:
        result = w.poll(server.url("/feed"))
    assert (result.stored, w.report.coded) == (3, 3)
    assert w.report.events > 0
    with Store(tmp_path / "w.duckdb", read_only=True) as store:
        assert store.counts()["articles"] == 3
        kenya = store.connection.execute(
            "SELECT published FROM articles WHERE url = 'https://gw.example/gw-1'").fetchone()
    assert kenya == (date(2024, 2, 5),)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ROOT / ".venv" / "bin" / "communique"), *args], capture_output=True, text=True,
                          timeout=600)


@pytest.mark.slow
def test_watch_command_once(tmp_path: Path, server: FeedServer) -> None:
    server.routes["/feed"] = Route(rss(ITEMS), etag='"v1"')
    db, state = tmp_path / "cli.duckdb", tmp_path / "cli.json"
    args = ("watch", server.url("/feed"), "--db", str(db), "--state", str(state), "--once", "--interval", "60")
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert f"communique: {server.url('/feed')}: 3 entries, 3 new, 3 stored (" in first.stderr
    assert first.stderr.splitlines()[-1].startswith(
        f"communique: 1 poll(s), 0 failed; stored 3 new article(s) in {db}; read 3, coded 3, events ")
    second = run_cli(*args)
    assert second.returncode == 0, second.stderr
    assert f"communique: {server.url('/feed')}: not modified (HTTP 304)" in second.stderr
    assert "stored 0 new article(s)" in second.stderr
    assert json.loads(state.read_text())["feeds"][server.url("/feed")]["etag"] == '"v1"'


@pytest.mark.slow
def test_watch_command_exits_1_when_every_poll_fails(tmp_path: Path, server: FeedServer) -> None:
    r = run_cli("watch", server.url("/missing"), "--db", str(tmp_path / "x.duckdb"), "--once")
    assert r.returncode == 1
    assert f"warning: {server.url('/missing')}: HTTP 404 Not Found; next try in 30s" in r.stderr
    assert "Traceback" not in r.stderr
    assert (tmp_path / "x.watch.json").exists()


def test_watch_command_rejects_a_bad_url(tmp_path: Path) -> None:
    r = run_cli("watch", "not-a-url", "--db", str(tmp_path / "x.duckdb"), "--once")
    assert r.returncode == 2
    assert "'not-a-url' is not an http(s) URL" in r.stderr


def test_state_save_is_atomic(tmp_path: Path) -> None:
    state = WatchState(tmp_path / "s.json")
    state.feed("http://127.0.0.1/feed").seen = ["a"]
    state.save()
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]
    assert WatchState.load(tmp_path / "s.json").feed("http://127.0.0.1/feed").seen == ["a"]


# --- hostile servers ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """128 MiB of zeros, gzipped twice: a few hundred bytes on the wire."""
    import gzip
    import zlib

    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    inner = b"".join([*(c.compress(bytes(1 << 24)) for _ in range(8)), c.flush()])
    return gzip.compress(inner, 9)


def test_a_doubly_gzipped_bomb_stops_at_the_limit(server: FeedServer, make_watcher,  # type: ignore[no-untyped-def]
                                                  gzip_bomb: bytes) -> None:
    import tracemalloc

    assert len(gzip_bomb) < 2000
    server.routes["/bomb"] = Route(gzip_bomb, headers={"Content-Encoding": "gzip, gzip"})
    w = make_watcher("/bomb", max_bytes=1_000_000)
    tracemalloc.start()
    try:
        result = w.poll(server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.outcome, result.error) == ("error", "response too large (over 1,000,000 bytes decompressed)")
    assert peak < 8_000_000  # decoded 64 KB at a time, not 128 MiB at once


@pytest.mark.parametrize("encoding", ["gzip", "gzip, gzip", "deflate", "raw-deflate", "x-gzip, identity",
                                      "gzip-members"])
def test_compressed_feeds_are_read(server: FeedServer, make_watcher, encoding: str) -> None:  # type: ignore[no-untyped-def]
    import gzip
    import zlib

    body = rss(ITEMS)
    if encoding == "gzip-members":  # two gzip members one after the other: one stream
        body, encoding = gzip.compress(body[:300]) + gzip.compress(body[300:]), "gzip"
    elif encoding == "raw-deflate":  # what some servers send as deflate
        c = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        body, encoding = c.compress(body) + c.flush(), "deflate"
    else:
        for e in [e.strip() for e in encoding.split(",")]:
            body = gzip.compress(body) if e.endswith("gzip") else zlib.compress(body) if e == "deflate" else body
    server.routes["/feed"] = Route(body, headers={"Content-Encoding": encoding})
    result = make_watcher("/feed").poll(server.url("/feed"))
    assert (result.outcome, result.stored) == ("new", 3)


@pytest.mark.parametrize("encoding,error", [
    ("br", "unsupported content encoding 'br'"),
    ("gzip, gzip, gzip, gzip", "too many content encodings (gzip, gzip, gzip, gzip)"),
])
def test_unknown_or_piled_up_encodings_are_errors(server: FeedServer, make_watcher,  # type: ignore[no-untyped-def]
                                                  encoding: str, error: str) -> None:
    server.routes["/feed"] = Route(rss(ITEMS), headers={"Content-Encoding": encoding})
    result = make_watcher("/feed").poll(server.url("/feed"))
    assert (result.outcome, result.error) == ("error", error)


def test_broken_gzip_is_an_error(server: FeedServer, make_watcher) -> None:  # type: ignore[no-untyped-def]
    import gzip

    server.routes["/feed"] = Route(gzip.compress(rss(ITEMS))[:-40] + b"not gzip at all" * 3,
                                   headers={"Content-Encoding": "gzip"})
    result = make_watcher("/feed").poll(server.url("/feed"))
    assert result.outcome == "error" and result.error is not None and result.error.startswith("broken gzip content")


@pytest.mark.parametrize("route", [Route(rss(ITEMS), trickle=0.25), Route(rss(ITEMS), trickle_head=0.25)],
                         ids=["body", "headers"])
def test_timeout_bounds_the_whole_request(server: FeedServer, make_watcher, route: Route) -> None:  # type: ignore[no-untyped-def]
    server.routes["/slow"] = route  # each byte comes well within the timeout; the whole answer does not
    server.routes["/feed"] = Route(rss(ITEMS))
    w = make_watcher("/slow", "/feed", timeout=1.5)
    results: list[PollResult] = []
    started = time.monotonic()
    w.run(once=True, on_poll=results.append)
    took = time.monotonic() - started
    slow, good = results
    assert (slow.outcome, slow.error) == ("error", "timed out (ReadTimeout; the limit is 1.5s)")
    assert 1.4 < slow.seconds < 2.5
    assert (good.outcome, good.stored) == ("new", 3)  # the other feed is not held up beyond the timeout
    assert took < 4.0
    assert w.state.feed(server.url("/slow")).failures == 1


@pytest.mark.parametrize("location", [
    "http://169.254.169.254/latest/meta-data/",  # link-local: the cloud's metadata service
    "http://10.0.0.1/feed",  # private
    "http://[fe80::1]/feed",
    "http://0.0.0.0/feed",
    "file:///etc/passwd",
])
def test_redirects_to_other_kinds_of_address_are_refused(server: FeedServer, make_watcher,  # type: ignore[no-untyped-def]
                                                        location: str) -> None:
    server.routes["/feed"] = Route(b"", status=302, headers={"Location": location}, content_type="text/plain")
    result = make_watcher("/feed", timeout=2.0).poll(server.url("/feed"))
    assert result.outcome == "error" and result.error is not None
    assert result.error.startswith("redirect to ") and " refused (" in result.error
    assert [h.path for h in server.hits] == ["/feed"]


def test_redirects_within_loopback_are_followed_but_not_forever(server: FeedServer, make_watcher) -> None:  # type: ignore[no-untyped-def]
    server.routes["/a"] = Route(b"", status=307, headers={"Location": f"http://localhost:{server.httpd.server_address[1]}/b"},
                                content_type="text/plain")
    server.routes["/b"] = Route(b"", status=308, headers={"Location": "/feed"}, content_type="text/plain")
    server.routes["/feed"] = Route(rss(ITEMS))
    assert make_watcher("/a").poll(server.url("/a")).stored == 3
    server.routes["/loop"] = Route(b"", status=302, headers={"Location": "/loop"}, content_type="text/plain")
    result = make_watcher("/loop").poll(server.url("/loop"))
    assert (result.outcome, result.error) == ("error", "too many redirects (more than 5)")


@pytest.mark.parametrize("origin,target,allowed", [
    ("https://news.example.org/rss", "http://127.0.0.1/rss", False),
    ("http://93.184.215.14/rss", "http://127.0.0.1:8080/rss", False),
    ("http://93.184.215.14/rss", "http://192.168.1.10/rss", False),
    ("http://93.184.215.14/rss", "http://[::ffff:127.0.0.1]/rss", False),
    ("http://93.184.215.14/rss", "http://100.64.0.1/rss", False),
    ("http://93.184.215.14/rss", "http://93.184.215.15/rss", True),
    ("http://192.168.1.10/rss", "http://10.1.2.3/rss", True),
    ("http://192.168.1.10/rss", "http://169.254.169.254/", False),
    ("http://127.0.0.1/rss", "http://[::1]/rss", True),
    ("http://169.254.10.10/rss", "http://169.254.169.254/rss", True),
])
def test_redirect_policy(origin: str, target: str, allowed: bool) -> None:
    from communique.watch import _address_kind, _check_redirect, _FetchFailed

    if origin.startswith("https://news.example.org"):
        origin_kind = "public"  # no name lookup in a test: the kind a public name would have
    else:
        origin_kind = _address_kind(origin)
    if allowed:
        _check_redirect(origin, origin_kind, target)
    else:
        with pytest.raises(_FetchFailed, match="refused"):
            _check_redirect(origin, origin_kind, target)


def test_an_unwritable_state_file_is_refused_before_polling(tmp_path: Path, server: FeedServer) -> None:
    server.routes["/feed"] = Route(rss(ITEMS))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for state, message in [(blocker / "state.json", "cannot write the watch state file"),
                           (tmp_path, "is not a regular file"), (Path("/dev/null"), "is not a regular file")]:
        with pytest.raises(ConfigError, match=message):
            Watcher([server.url("/feed")], db=tmp_path / "w.duckdb", state=state, pipeline=FakeCoder())
    assert server.hits == [] and not (tmp_path / "w.duckdb").exists()
    assert Path("/dev/null").is_char_device()  # never replaced by a regular file


def test_state_that_fails_to_save_later_keeps_what_was_stored(tmp_path: Path, server: FeedServer,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    server.routes["/feed"] = Route(rss(ITEMS))
    folder = tmp_path / "state"
    state = folder / "state.json"
    w = Watcher([server.url("/feed")], db=tmp_path / "w.duckdb", state=state, pipeline=FakeCoder())
    folder.rmdir()
    folder.write_text("the folder is now a file")  # saving can no longer work
    with w:
        result = w.poll(server.url("/feed"))
    assert (result.outcome, result.stored) == ("new", 3)
    assert w.state_errors == 1 and "cannot save the watch state file" in caplog.text
    assert stored_urls(tmp_path / "w.duckdb") == urls("gw-1", "gw-2", "gw-3")
    folder.unlink()
    with Watcher([server.url("/feed")], db=tmp_path / "w.duckdb", state=state, pipeline=FakeCoder()) as again:
        second = again.poll(server.url("/feed"))  # the state was lost: read again, stored nothing twice
    assert (second.stored, second.already) == (0, 3)
