"""communique serve: the queries, the JSON API over a real server on localhost, and the pages in a real browser.

The store is built by the real pipeline from the bundled samples plus one hostile article of
our own (script tags, an ``onerror`` attribute, a ``javascript:`` URL). The server is the real
``communique serve`` command in a subprocess; the browser is Debian's chromium driven by
Playwright. Screenshots of every page go to ``test-artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import duckdb
import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed: pip install -e '.[serve]'")
httpx = pytest.importorskip("httpx")

from communique.records import Article  # noqa: E402
from communique.store import Store  # noqa: E402
from communique.web import queries  # noqa: E402
from communique.web.app import CSP, safe_url, trigger_marked  # noqa: E402
from communique.web.queries import BadParameter, Codes, EventQuery, QueryTimeout, segments  # noqa: E402
from communique.web.worldmap import land_cells, world_outline  # noqa: E402

from .conftest import ROOT, SAMPLES  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

XSS_ID = "probe/xss #1"  # a slash, a space and a hash: ids are paths, quoted in links
XSS_SCRIPT = "<script>window.__xss = 1</script>"
XSS_IMG = '<img src="x" onerror="window.__xss = 2">'
XSS_TEXT = (
    "French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Tuesday, "
    f"and aides posted {XSS_SCRIPT} in a statement. Germany accused France of leaking the plan {XSS_IMG} "
    "to reporters on Wednesday.\n"
    '"We will not accept <b>this</b>," Scholz told reporters.'
)


def _xss_article() -> Article:
    return Article.create(XSS_TEXT, id=XSS_ID, title=f"Leaders meet {XSS_SCRIPT}", url="javascript:window.__xss=3",
                          source='<i onmouseover="window.__xss=4">Probe Wire</i>', published=date(2024, 3, 5))


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Path:
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    articles = [Article.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(SAMPLES.glob("*.json"))]
    articles.append(_xss_article())
    original = articles[2]  # a near-duplicate copy of one sample, from another outlet, a day later
    articles.append(Article.create(original.text + "\nThis report was updated.", id="copy-of-sample-03",
                                   title=original.title, source="Another Wire",
                                   published=date.fromordinal(original.published.toordinal() + 1)
                                   if original.published else None))
    with Store(path) as store:
        added, _ = store.add_many(pipeline.code(articles))
    assert added == len(articles)
    return path


_logs: dict[int, Any] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(db: Path, *args: str) -> tuple[subprocess.Popen[str], str, int]:
    """``communique serve`` in a subprocess on a free port; its stderr goes to a file beside the store
    (a pipe nobody reads would fill up and block the server)."""
    port = _free_port()
    cmd = [sys.executable, "-m", "communique.cli", "serve", "--db", str(db), "--port", str(port), *args]
    env = {k: v for k, v in os.environ.items() if k != "COMMUNIQUE_TOKEN"}
    log = open(db.parent / f"serve-{port}.log", "w+", encoding="utf-8")  # noqa: SIM115 - closed in _stop
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, text=True, env=env)
    _logs[proc.pid] = log
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited: {_stop(proc)}")
        try:
            httpx.get(base + "/api/codes", timeout=2)
            return proc, base, port
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("the server did not start within 120 s")


def _stop(proc: subprocess.Popen[str]) -> str:
    """Stop the server; its stderr."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log = _logs.pop(proc.pid)
    log.seek(0)
    err = log.read()
    log.close()
    return err


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[str]:
    proc, base, _ = _start(store_path)
    yield base
    _stop(proc)


@pytest.fixture(scope="module")
def con(store_path: Path, server: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """An independent read-only connection, to check the API's answers with our own SQL
    (it can open while the server runs only because the server holds the file read-only)."""
    c = duckdb.connect(str(store_path), read_only=True)
    yield c
    c.close()


def _get(base: str, path: str, **params: Any) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=30)


# --- pure parts ---------------------------------------------------------------------------------------------


def test_segments_split_overlapping_marks_at_every_boundary() -> None:
    text = "Russia shelled Kherson."
    marks = [(0, 23, "evidence", "e0"), (0, 6, "actor", "e0"), (7, 14, "trigger", "e0"), (15, 22, "place", "e0"),
             (0, 14, "quote", "q0")]
    segs = segments(text, marks)
    assert [s.text for s in segs] == ["Russia", " ", "shelled", " ", "Kherson", "."]
    assert "".join(s.text for s in segs) == text
    assert [s.role for s in segs] == ["actor", "quote", "trigger", "evidence", "place", "evidence"]
    assert segs[0].data == "e0:actor e0:evidence q0:quote"


def test_segments_of_unmarked_text_is_one_plain_segment() -> None:
    [seg] = segments("no events here", [])
    assert seg.marks == () and seg.role is None


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/a", "https://example.org/a"),
    ("http://example.org", "http://example.org"),
    ("javascript:alert(1)", None),
    (" JavaScript:alert(1)", None),
    ("data:text/html,<script>", None),
    (None, None),
])
def test_safe_url_links_only_http(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_trigger_marked_escapes_evidence_and_trigger() -> None:
    html = str(trigger_marked("A <b>x</b> attacked B", "attacked"))
    assert html == 'A &lt;b&gt;x&lt;/b&gt; <b class="trig">attacked</b> B'
    assert str(trigger_marked("<script>", None)) == "&lt;script&gt;"


def test_codes_suggest_the_code_for_a_name() -> None:
    codes = Codes.load()
    assert codes.actor("actor", "chn") == "CHN"
    with pytest.raises(BadParameter) as e:
        codes.actor("actor", "China")
    assert "did you mean CHN?" in str(e.value) and "CHN" in e.value.choices and "UN" in e.value.choices
    with pytest.raises(BadParameter) as e:
        codes.pick("type", "BOMBARD", codes.types)
    assert len(e.value.choices) == 16 and "ASSAULT" in e.value.choices


@pytest.mark.parametrize("size", [0, 1001, 10**9])
def test_page_size_out_of_bounds_is_refused(size: int) -> None:
    with pytest.raises(BadParameter, match="between 1 and 1,000"):
        EventQuery(size=size).validate(Codes.load())


def test_world_outline_is_land_from_geonames_places() -> None:
    cells = land_cells()
    # 1-degree cells: (longitude + 180, 90 - latitude); Paris, Nairobi and Sydney are land, mid-Pacific is not
    assert (182, 41) in cells and (216, 91) in cells and (331, 123) in cells
    assert (30, 100) not in cells  # 150° W, 10° S: open Pacific
    outline = world_outline()
    assert outline.startswith("M") and outline.count("z") > 500


def test_read_only_connection_cannot_write_or_read_other_files(store_path: Path, tmp_path: Path) -> None:
    con = queries.open_read_only(str(store_path))
    try:
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM events")
        with pytest.raises(duckdb.Error):
            con.execute("SELECT * FROM read_csv('/etc/passwd')")
        with pytest.raises(duckdb.Error):
            con.execute(f"COPY (SELECT 1) TO '{tmp_path / 'leak.csv'}'")
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
        assert not (tmp_path / "leak.csv").exists()
    finally:
        con.close()


def test_statement_time_limit_interrupts_a_long_query(store_path: Path) -> None:
    con = queries.open_read_only(str(store_path))
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="longer than 0.2 s"):
            queries.run(con, "SELECT sum(hash(i)) FROM range(100000000000) t(i)", timeout=0.2)
        assert time.monotonic() - started < 30
        assert queries.run(con, "SELECT 1") == [(1,)]  # the connection still works
    finally:
        con.close()


# --- the JSON API on a real server --------------------------------------------------------------------------


def test_api_events_total_matches_the_store(server: str, con: duckdb.DuckDBPyConnection) -> None:
    r = _get(server, "/api/events", size=1000)
    assert r.status_code == 200
    body = r.json()
    [(n,)] = con.execute("SELECT count(*) FROM events").fetchall()
    assert body["total"] == n == len(body["events"]) and n > 40
    assert set(body["events"][0]) == set(queries.event_columns())


def test_api_filters_agree_with_sql(server: str, con: duckdb.DuckDBPyConnection) -> None:
    body = _get(server, "/api/events", actor="rus", factuality="asserted", size=1000).json()
    [(n,)] = con.execute("SELECT count(*) FROM events WHERE 'RUS' IN (source_country, source_igo)"
                         " AND factuality = 'asserted'").fetchall()
    assert body["total"] == n > 0
    assert all(e["actor_country"] == "RUS" or e["actor_igo"] == "RUS" for e in body["events"])
    body = _get(server, "/api/events", quad_class=4, since="2023-09-01", until="2023-12-31").json()
    assert body["total"] > 0
    for e in body["events"]:
        assert e["quad_class"] == 4 and "2023-09-01" <= (e["date_start"] or e["published"]) <= "2023-12-31"
    body = _get(server, "/api/events", text="EXPELLED").json()
    assert body["total"] > 0 and all("expelled" in e["evidence"].lower() for e in body["events"])
    assert _get(server, "/api/events", text="%").json()["total"] == 0  # a wildcard is matched as typed
    n_under = sum(1 for e in _get(server, "/api/events", size=1000).json()["events"] if "_" in (e["evidence"] or ""))
    assert _get(server, "/api/events", text="_").json()["total"] == n_under
    body = _get(server, "/api/events", place_country="UKR", type="assault").json()
    assert body["total"] > 0 and all(e["location_country"] == "UKR" and e["type"] == "ASSAULT"
                                     for e in body["events"])


def test_api_facets_split_the_matching_events(server: str, con: duckdb.DuckDBPyConnection) -> None:
    f = _get(server, "/api/facets", actor="RUS").json()
    total = _get(server, "/api/events", actor="RUS").json()["total"]
    assert sum(f["type"].values()) == sum(f["factuality"].values()) == total > 0
    expected = dict(con.execute("SELECT CAST(quad_class AS VARCHAR), count(*) FROM events"
                                " WHERE 'RUS' IN (source_country, source_igo) GROUP BY ALL").fetchall())
    assert f["quad_class"] == expected


def test_api_sorting_and_paging(server: str) -> None:
    scores = [e["score"] for e in _get(server, "/api/events", sort="score", order="desc", size=1000).json()["events"]]
    known = [s for s in scores if s is not None]
    assert known == sorted(known, reverse=True) and len(set(known)) > 3
    everything = _get(server, "/api/events", size=30).json()
    page2 = _get(server, "/api/events", size=10, page=2).json()
    assert [e["event_id"] for e in page2["events"]] == [e["event_id"] for e in everything["events"][10:20]]
    assert page2["pages"] == -(-everything["total"] // 10)


@pytest.mark.parametrize(("params", "param", "needle"), [
    ({"size": 10**9}, "size", "between 1 and 1,000"),
    ({"actor": "China"}, "actor", "did you mean CHN?"),
    ({"recipient": "XYZ"}, "recipient", "not a country"),
    ({"type": "BOMBARD"}, "type", "not a valid type"),
    ({"mode": "catapult"}, "mode", "not a valid mode"),
    ({"factuality": "rumoured"}, "factuality", "not a valid factuality"),
    ({"quad_class": 7}, "quad_class", "1, 2, 3 or 4"),
    ({"since": "last week"}, "since", "YYYY-MM-DD"),
    ({"sort": "evidence; DROP TABLE events"}, "sort", "unknown sort key"),
])
def test_api_bad_parameters_are_400_with_choices(server: str, params: dict[str, Any], param: str,
                                                  needle: str) -> None:
    r = _get(server, "/api/events", **params)
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "bad_parameter" and body["param"] == param and needle in body["message"]
    if param in ("actor", "recipient"):
        assert "CHN" in body["choices"] and "NATO" in body["choices"]
    if param == "type":
        assert "CONSULT" in body["choices"]


def test_page_size_of_a_thousand_is_allowed(server: str) -> None:
    assert _get(server, "/api/events", size=1000).status_code == 200


def test_api_csv_has_every_matching_event(server: str) -> None:
    r = _get(server, "/api/events.csv", actor="RUS")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    total = _get(server, "/api/events", actor="RUS").json()["total"]
    assert len(rows) == total > 0
    assert list(rows[0]) == list(queries.event_columns())
    assert all(row["actor_country"] == "RUS" or row["actor_igo"] == "RUS" for row in rows)


def test_api_article_with_a_slash_in_its_id(server: str) -> None:
    r = _get(server, "/api/articles/" + quote(XSS_ID))
    assert r.status_code == 200 and r.json()["id"] == XSS_ID and r.json()["text"] == XSS_TEXT


def test_api_article_offsets_point_at_their_text(server: str) -> None:
    r = _get(server, "/api/articles/sample-01-ukraine-shelling-german-aid")
    assert r.status_code == 200
    a = r.json()
    text = a["text"]
    assert a["events"]
    for e in a["events"]:
        t = e["trigger"]
        assert text[t["char_start"]:t["char_end"]] == t["text"]
        assert e["cluster_id"]
    assert _get(server, "/api/articles/no-such-article").status_code == 404


def test_api_cluster_lists_its_mentions(server: str, con: duckdb.DuckDBPyConnection) -> None:
    [(cid, n)] = con.execute("SELECT cluster_id, n_events FROM clusters ORDER BY n_events DESC, cluster_id LIMIT 1"
                             ).fetchall()
    c = _get(server, f"/api/clusters/{cid}").json()
    assert c["cluster_id"] == cid and len(c["mentions"]) == n
    assert c["event_id"] in {m["event_id"] for m in c["mentions"]}
    assert _get(server, "/api/clusters/nope").status_code == 404


def test_cluster_marks_the_copies(server: str, con: duckdb.DuckDBPyConnection, page: tuple[Any, Guard]) -> None:
    rows = con.execute("SELECT cluster_id, n_copies FROM clusters WHERE n_copies > 0 ORDER BY cluster_id").fetchall()
    assert rows, "the near-duplicate copy should have joined the clusters of its original"
    cid, n_copies = rows[0]
    c = _get(server, f"/api/clusters/{cid}").json()
    assert sum(m["copy"] for m in c["mentions"]) == n_copies
    assert {m["article_id"] for m in c["mentions"] if m["copy"]} == {"copy-of-sample-03"}
    pg, guard = page
    pg.goto(f"{server}/clusters/{cid}")
    assert pg.locator("#mentions-table .copy-badge").count() == n_copies
    assert pg.locator("#mentions-table tr.copy").count() == n_copies
    guard.check()


def test_api_series_counts_the_dyads_clusters(server: str, con: duckdb.DuckDBPyConnection) -> None:
    body = _get(server, "/api/series", a="rus", b="ukr", by="month").json()
    [(n,)] = con.execute("SELECT count(*) FROM clusters WHERE factuality = 'asserted' AND"
                         " ((source_key = 'RUS' AND target_key = 'UKR') OR (source_key = 'UKR' AND target_key = 'RUS'))"
                         " AND coalesce(date_start, first_seen) >= DATE '2023-01-01'").fetchall()
    assert body["a"] == "RUS" and sum(p["clusters"] for p in body["periods"]) == n > 0
    assert _get(server, "/api/series", a="Russia", b="UKR").status_code == 400


def test_api_map_and_network(server: str) -> None:
    places = _get(server, "/api/map").json()["places"]
    assert places and all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in places)
    assert sum(p["events"] for p in places) == _get(server, "/api/events").json()["total"] - sum(
        1 for e in _get(server, "/api/events", size=1000).json()["events"] if e["lat"] is None)
    net = _get(server, "/api/network").json()
    codes = {n["code"] for n in net["nodes"]}
    assert {"RUS", "UKR"} <= codes
    assert all(e["actor"] in codes and e["recipient"] in codes and e["actor"] != e["recipient"] for e in net["edges"])


def test_openapi_documents_the_api(server: str) -> None:
    spec = _get(server, "/openapi.json").json()
    for path in ("/api/events", "/api/events.csv", "/api/articles/{article_id}", "/api/clusters/{cluster_id}",
                 "/api/series", "/api/ingest", "/api/facets"):
        assert path in spec["paths"], path
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "recipient", "type", "quad_class", "mode", "factuality", "since", "until", "place_country",
            "text", "sort", "page", "size"} <= names


def test_security_headers_and_host_check(server: str) -> None:
    for path in ("/events", "/api/events", "/static/app.js"):
        r = _get(server, path)
        assert r.headers["content-security-policy"] == CSP
        assert "unsafe-inline" not in CSP and "script-src 'self'" in CSP
        assert r.headers["x-content-type-options"] == "nosniff"
    r = httpx.get(server + "/api/events", headers={"Host": "attacker.example"}, timeout=10)
    assert r.status_code == 400  # a DNS-rebinding page cannot read the store


def test_writing_is_off_without_a_token(server: str, con: duckdb.DuckDBPyConnection) -> None:
    [(before,)] = con.execute("SELECT count(*) FROM articles").fetchall()
    r = httpx.post(server + "/api/ingest", json=[{"text": "Chile and Peru signed a trade accord on Monday."}],
                   timeout=30)
    assert r.status_code == 403 and "--token" in r.json()["message"]
    assert con.execute("SELECT count(*) FROM articles").fetchall() == [(before,)]


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.254.254.254", 9))  # no packet is sent: this only picks the outgoing interface
            ip = str(s.getsockname()[0])
        except OSError:
            return None
    return None if ip.startswith("127.") else ip


def test_default_bind_is_localhost_only(server: str) -> None:
    port = urlparse(server).port
    assert port is not None
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    ip = _non_loopback_address()
    if ip is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    with pytest.raises(OSError), socket.create_connection((ip, port), timeout=5):
        pass


def test_non_local_bind_only_when_asked_and_warned(store_path: Path) -> None:
    proc, base, port = _start(store_path, "--host", "0.0.0.0")
    try:
        ip = _non_loopback_address()
        if ip is not None:
            with socket.create_connection((ip, port), timeout=5):
                pass
    finally:
        err = _stop(proc)
    assert "warning: listening on 0.0.0.0, not only on this machine" in err


@pytest.mark.slow
def test_ingest_with_a_token(store_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "writable.duckdb"
    shutil.copy(store_path, copy)
    proc, base, _ = _start(copy, "--token", "s3cret-token")
    try:
        article = {"id": "posted-1", "title": "Accord", "published": "2024-06-03",
                   "text": "Chile and Peru signed a fisheries agreement in Lima on Monday."}
        assert httpx.post(base + "/api/ingest", json=[article], timeout=30).status_code == 401
        r = httpx.post(base + "/api/ingest", json=[article], timeout=30, headers={"Authorization": "Bearer nope"})
        assert r.status_code == 401
        r = httpx.post(base + "/api/ingest", json=[article, {"title": "no text"}], timeout=300,
                       headers={"Authorization": "Bearer s3cret-token"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["added"] == 1 and body["rejected"][0]["reason"] == "no text"
        stored = _get(base, "/api/articles/posted-1").json()
        assert stored["title"] == "Accord" and stored["events"]
        r = httpx.post(base + "/api/ingest", json=[article], timeout=300,
                       headers={"Authorization": "Bearer s3cret-token"})
        assert r.json()["added"] == 0 and r.json()["already_stored"] == 1
    finally:
        _stop(proc)


# --- pages in a real browser --------------------------------------------------------------------------------


class Guard:
    """Collects console errors, page errors and any request that would leave localhost (aborted)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []

    def attach(self, page: Any) -> None:
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def route(self, route: Any) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def check(self) -> None:
        assert self.outside == [], f"requests leaving localhost: {self.outside}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); `make test` installs it as root")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Guard]]:
    guard = Guard()
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    context.route("**/*", guard.route)
    pg = context.new_page()
    guard.attach(pg)
    yield pg, guard
    context.close()


def _shot(pg: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.slow
def test_browser_events_page_filters_sorts_and_pages(server: str, page: tuple[Any, Guard]) -> None:
    pg, guard = page
    pg.goto(server + "/events")
    total = _get(server, "/api/events").json()["total"]
    assert pg.locator("#event-count strong").inner_text() == str(total)
    _shot(pg, "events")
    # the facets: clicking a quad class filters by it
    pg.locator("#facets a.facet.q4").click()
    pg.wait_for_url("**quad_class=4**")
    n4 = _get(server, "/api/events", quad_class=4).json()["total"]
    assert pg.locator("#event-count strong").inner_text() == str(n4)
    pg.goto(server + "/events")
    pg.fill("input[name=actor]", "RUS")
    pg.select_option("select[name=type]", "ASSAULT")
    pg.click("form.filters button[type=submit]")
    pg.wait_for_url("**/events?*actor=RUS*")
    expected = _get(server, "/api/events", actor="RUS", type="ASSAULT").json()
    rows = pg.locator("#events-table tbody tr.event")
    assert rows.count() == expected["total"] > 0
    assert pg.locator("#event-count strong").inner_text() == str(expected["total"])
    assert all(t == "ASSAULT" for t in pg.locator("#events-table tbody tr.event .type").all_inner_texts())
    _shot(pg, "events-filtered")
    pg.click("th a.sort:text('Date')")  # sorted by date ascending already: this flips to descending
    pg.wait_for_url("**order=desc**")
    ids = pg.eval_on_selector_all("#events-table tbody tr.event", "rows => rows.map(r => r.dataset.eventId)")
    api = _get(server, "/api/events", actor="RUS", type="ASSAULT", sort="date", order="desc").json()
    assert ids == [e["event_id"] for e in api["events"]]
    pg.goto(server + "/events?size=10&page=2")
    assert pg.locator("#events-table tbody tr.event").count() == 10
    pg.click("a[rel=next]")
    pg.wait_for_url("**page=3**")
    guard.check()


@pytest.mark.slow
def test_browser_bad_code_shows_the_choices(server: str, page: tuple[Any, Guard]) -> None:
    pg, guard = page
    response = pg.goto(server + "/events?actor=China")
    assert response.status == 400
    assert "did you mean CHN?" in pg.locator("h1").inner_text()
    assert pg.locator(".choices code:text-is('CHN')").count() == 1
    guard.errors = [e for e in guard.errors if "400" not in e]  # the page itself is a 400
    guard.check()


@pytest.mark.slow
def test_browser_article_highlights_are_the_evidence(server: str, page: tuple[Any, Guard]) -> None:
    pg, guard = page
    article_id = "sample-01-ukraine-shelling-german-aid"
    a = _get(server, f"/api/articles/{article_id}").json()
    pg.goto(f"{server}/articles/{article_id}")
    # the text shown is the article's text, whole
    assert pg.locator("#article-text").inner_text() == a["text"]
    marks = pg.eval_on_selector_all("#article-text mark.hl", "els => els.map(e => [e.dataset.marks, e.textContent])")
    for i, e in enumerate(a["events"]):
        def shown(role: str, i: int = i) -> str:
            return "".join(text for data, text in marks if f"e{i}:{role}" in data.split())
        assert shown("trigger") == e["trigger"]["text"]
        assert shown("evidence") == "".join(s["text"] for s in e["evidence"])
        if e["location"] and e["location"].get("char_start") is not None:
            assert shown("place") == e["location"]["text"]
        if e["date"] and e["date"].get("char_start") is not None:
            assert shown("date") == e["date"]["text"]
        actor_text = shown("actor")
        assert actor_text == "" or actor_text in "".join(s["text"] for s in e["source"]["spans"])
    assert pg.locator("#event-cards > li").count() == len(a["events"])
    for j, q in enumerate(a["quotes"]):
        role = "quote" if q["direct"] else "reported"
        assert "".join(t for d, t in marks if f"q{j}:{role}" in d.split()) == q["content"]
    # hovering a trigger shows the codes it supports and lights its event
    trigger = pg.locator("#article-text mark.hl.r-trigger").first
    trigger.hover()
    tip = pg.locator("#tip")
    assert tip.is_visible()
    data = trigger.get_attribute("data-marks") or ""
    first_owner = data.split()[0].split(":")[0]
    assert a["events"][int(first_owner[1:])]["type"] in tip.inner_text()
    assert "lit" in (pg.locator(f"#{first_owner}").get_attribute("class") or "")
    _shot(pg, "article-hover")
    # hovering an event card lights exactly that event's words
    pg.mouse.move(0, 0)
    pg.locator("#e2").hover()
    lit = pg.eval_on_selector_all("#article-text mark.hl.lit", "els => els.map(e => e.dataset.marks)")
    assert lit and all(any(m.startswith("e2:") for m in d.split()) for d in lit)
    pg.mouse.move(0, 0)
    # clicking an event scrolls its trigger into view and puts the event in the address
    pg.set_viewport_size({"width": 1400, "height": 400})
    last = len(a["events"]) - 1
    pg.locator(f"#e{last} .summary").click()
    pg.wait_for_function(f"location.hash === '#e{last}'")
    pg.wait_for_function(f"""() => {{
        const m = document.querySelector("#article-text mark.hl[data-marks~='e{last}:trigger']");
        const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }}""")
    pg.set_viewport_size({"width": 1400, "height": 950})
    pg.mouse.move(0, 0)
    # arriving at #e1 (the event list's link) lights event 1's words
    pg.goto(f"{server}/articles/{article_id}#e1")
    lit = pg.eval_on_selector_all("#article-text mark.hl.lit", "els => els.map(e => e.dataset.marks)")
    assert lit and all(any(m.startswith("e1:") for m in d.split()) for d in lit)
    marks = pg.eval_on_selector_all("#article-text mark.hl", "els => els.map(e => [e.dataset.marks, e.textContent])")
    # every named actor's mentions are marked, and hovering it in the list lights exactly them
    for k, n in enumerate(a["entities"]):
        assert "".join(t for d, t in marks if f"n{k}:entity" in d.split()) == "".join(s["text"] for s in n["spans"])
    pg.locator("#n0").hover()
    lit = pg.eval_on_selector_all("#article-text mark.hl.lit", "els => els.map(e => e.dataset.marks)")
    assert lit and all("n0:entity" in d.split() for d in lit)
    assert len(lit) == sum(1 for d, _ in marks if "n0:entity" in d.split())
    pg.mouse.move(0, 0)
    # hovering the legend's "place" lights exactly the stretches that are a place
    pg.locator(".legend .key[data-role=place]").hover()
    lit = pg.eval_on_selector_all("#article-text mark.hl.lit", "els => els.map(e => e.dataset.marks)")
    assert lit and all(any(m.endswith(":place") for m in d.split()) for d in lit)
    assert len(lit) == pg.locator("#article-text mark.hl.has-place").count()
    pg.mouse.move(0, 0)
    pg.set_viewport_size({"width": 1400, "height": 900})
    pg.evaluate("window.scrollTo(0, 0); document.querySelector('.side-panel').scrollTop = 0")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "article.png"))
    guard.check()


@pytest.mark.slow
def test_browser_xss_article_is_inert(server: str, page: tuple[Any, Guard]) -> None:
    pg, guard = page
    pg.goto(f"{server}/articles/{quote(XSS_ID)}")
    assert pg.evaluate("window.__xss") is None
    text = pg.locator("#article-text").inner_text()
    assert XSS_SCRIPT in text and XSS_IMG in text
    assert pg.locator("#article-title").inner_text() == f"Leaders meet {XSS_SCRIPT}"
    assert pg.locator("main img, main script, main b:text('this'), main i").count() == 0
    assert pg.locator("a[href^='javascript']").count() == 0
    assert "Probe Wire" in pg.locator(".meta").inner_text()
    pg.hover("#article-text mark.hl >> nth=0")
    _shot(pg, "xss-article")
    assert pg.evaluate("document.querySelector('#article').dataset.articleId") == XSS_ID
    pg.goto(f"{server}/events?text=onerror")
    assert pg.locator("#events-table tbody tr.event").count() >= 1
    pg.locator("#events-table a.article-link").first.click()  # the link of an id with a slash, space and hash
    pg.wait_for_url("**/articles/**")
    assert pg.locator("#article-title").inner_text() == f"Leaders meet {XSS_SCRIPT}"
    pg.goto(f"{server}/events?text=onerror")
    assert XSS_IMG in pg.locator("#events-table").inner_text()
    pg.goto(f"{server}/events?party=FRA")
    assert pg.evaluate("window.__xss") is None
    assert pg.locator("#events-table img, #events-table script").count() == 0
    guard.check()


@pytest.mark.slow
def test_browser_dyad_chart_and_its_clusters(server: str, page: tuple[Any, Guard]) -> None:
    pg, guard = page
    pg.goto(f"{server}/dyad?a=RUS&b=UKR&by=month")
    series = _get(server, "/api/series", a="RUS", b="UKR", by="month").json()["periods"]
    chart = pg.locator("#series-chart")
    assert chart.is_visible()
    assert pg.locator("#series-chart a.period").count() == len(series)
    assert pg.locator("#series-chart rect.bar").count() == sum(
        1 for p in series for q in ("verbal_cooperation", "material_cooperation", "verbal_conflict",
                                    "material_conflict") if p[q])
    busy = next(p for p in series if p["clusters"])
    bar = pg.locator(f"#series-chart a.period[data-period='{busy['period']}']")
    bar.hover()
    assert f"{busy['clusters']} event(s)" in pg.locator("#tip").inner_text()
    bar.click()
    pg.wait_for_url(f"**period={busy['period']}**")
    assert pg.locator("#dyad-clusters tbody tr").count() == busy["clusters"]
    _shot(pg, "dyad")
    pg.locator("#dyad-clusters a.cluster-link").first.click()
    pg.wait_for_url("**/clusters/**")
    cluster = _get(server, "/api/clusters/" + pg.url.rsplit("/", 1)[1]).json()
    assert pg.locator("#mentions-table tbody tr").count() == len(cluster["mentions"]) >= 1
    assert pg.locator("#mentions-table .copy-badge").count() == sum(m["copy"] for m in cluster["mentions"])
    _shot(pg, "cluster")
    guard.check()


@pytest.mark.slow
def test_browser_map_and_network_render(server: str, page: tuple[Any, Guard]) -> None:
    pg, guard = page
    pg.goto(f"{server}/map")
    places = _get(server, "/api/map").json()["places"]
    assert pg.locator("#event-map circle").count() == len(places) > 0
    box = pg.locator("#event-map path.land").bounding_box()
    assert box is not None and box["width"] > 600  # the outline spans the map
    pg.locator("#event-map a.place").last.hover()  # the smallest, drawn last, on top
    assert "event(s)" in pg.locator("#tip").inner_text()
    _shot(pg, "map")
    pg.goto(f"{server}/network?since=2023-01-01&until=2025-12-31")
    net = _get(server, "/api/network", since="2023-01-01", until="2025-12-31").json()
    assert pg.locator("#actor-network a.node").count() == len(net["nodes"]) > 0
    assert pg.locator("#actor-network a.edge").count() == len(net["edges"]) > 0
    _shot(pg, "network")
    pg.goto(f"{server}/docs")
    assert pg.locator("section.endpoint").count() >= 8
    _shot(pg, "docs")
    guard.check()


def test_every_api_route_is_documented_in_the_readme(store_path: Path) -> None:
    from communique.web.app import create_app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    app = create_app(str(store_path))
    paths = {r.path for r in app.routes if getattr(r, "path", "").startswith("/api/")}  # type: ignore[attr-defined]
    assert len(paths) >= 9
    for path in paths:
        documented = path.replace(":path", "").replace("{article_id}", "{id}").replace("{cluster_id}", "{id}")
        assert documented in readme, path
    for column in queries.event_columns():
        assert f"`{column}`" in readme or column.split("_")[0] in ("actor", "recipient"), column


def test_serve_without_a_store_is_a_clear_error(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "communique.cli", "serve", "--db", str(tmp_path / "none.duckdb")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "no database at" in r.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_csv_of_no_event_is_the_header(store_path: Path) -> None:
    con = queries.open_read_only(str(store_path))
    try:
        text = "".join(queries.events_csv(con, EventQuery(text="no such words anywhere")))
        assert text.strip() == ",".join(queries.event_columns())
    finally:
        con.close()
