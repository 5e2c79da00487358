"""`communique serve` speed on a store of 1 M events: a page of 100 events and an article view (target < 300 ms).

    python bench/bench_serve.py [--events 1000000] [--repeat 20]

1. A synthetic store: articles, events, event→cluster rows and clusters generated in DuckDB
   by SQL (``bench_store.synthesize``: 5 events an article, 30 countries, 10 types), every
   event given an evidence sentence, and 2,000 articles given a real text with ten coded
   events, entities, dates, places and quotes (built here by hand, not by the model).
2. The real app (``communique.web.app.create_app``, the store read-only) under uvicorn in a
   thread on a free localhost port; every timing is one HTTP request from httpx, the whole
   round trip (query, rendering, transfer), first (cold) and median of ``--repeat`` warm ones.

Prints the timings; asserts nothing.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TEXT = (
    "Ministers from Atlantis met their Borduria counterparts in Geneva on Monday. "
    "The Atlantis navy then seized two Borduria fishing boats near the coast, officials said. "
    "\"We will not accept this,\" the Borduria foreign minister told reporters. "
    "Borduria expelled three Atlantis diplomats on Tuesday and threatened further steps."
)


def coded_template():  # type: ignore[no-untyped-def]
    """A coded article with ten events over TEXT (the same span offsets for every copy)."""
    from communique.records import Actor, Article, CodedArticle, Event, Place, Quote, Span, TimeSpan

    def span(word: str, nth: int = 0) -> Span:
        start = -1
        for _ in range(nth + 1):
            start = TEXT.index(word, start + 1)
        return Span(start, start + len(word), word, 0)

    sentences = []
    start = 0
    for end in (77, 165, 239, len(TEXT)):
        sentences.append(Span(start, end, TEXT[start:end], len(sentences)))
        start = end + 1
    a = Actor("Atlantis", "USA", sector="GOV", spans=(span("Atlantis"), span("Atlantis", 1), span("Atlantis", 2)))
    b = Actor("Borduria", "CHN", sector="GOV", spans=(span("Borduria"), span("Borduria", 1), span("Borduria", 3)))
    events = []
    for i, (typ, trig, s, src, tgt) in enumerate([
        ("CONSULT", "met", 0, a, b), ("COERCE", "seized", 1, a, b), ("REJECT", "accept", 2, b, a),
        ("COERCE", "expelled", 3, b, a), ("THREATEN", "threatened", 3, b, a),
    ] * 2):
        events.append(Event(typ, None, src, tgt, span(trig), date=TimeSpan("2024-01-01", "2024-01-01", "day",
                            span=span("Monday")), location=Place("Geneva", "CHE", lat=46.2, lon=6.1, precision="city",
                            span=span("Geneva")), quad_class=3, score=-4.0, evidence=(sentences[s],),
                            id=f"ev{i}"))
    quote = Quote(Span(TEXT.index("We"), TEXT.index("this") + 4, "We will not accept this", 2),
                  speaker=b, speaker_span=span("foreign minister"), cue=span("told"))
    article = Article("x", TEXT, "Atlantis and Borduria", published=date(2024, 1, 1))
    return CodedArticle(article, tuple(events), (a, b), (), (), (quote,), tuple(sentences), "bench")


def build(path: Path, n_events: int) -> tuple[int, float]:
    from bench_store import synthesize

    from communique.store import Store

    t0 = time.perf_counter()
    with Store(path) as s:
        con = s.connection
        synthesize(con, n_events)
        con.execute("UPDATE events SET evidence = 'The ' || source_country || ' side ' || lower(type) || "
                    "' the ' || target_country || ' delegation, report ' || seq || ' of ' || article_id || '.',"
                    " trigger = lower(type), source_name = source_country, target_name = target_country")
        coded = coded_template().to_json()
        con.execute("UPDATE articles SET text = ?, coded = ?, title = 'Atlantis and Borduria ' || article_id"
                    " WHERE article_id IN (SELECT 'a' || i FROM range(2000) t(i))", [TEXT, coded])
        n = s.stats()["events"]
    return n, time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)

    import httpx
    import uvicorn

    from communique.web.app import create_app

    with tempfile.TemporaryDirectory(prefix="communique-bench-serve-") as d:
        path = Path(d) / "serve.duckdb"
        n, took = build(path, args.events)
        print(f"synthetic store: {n:,} events (built in {took:.1f} s)")
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(str(path)), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        cases = [
            ("events page, 100 events, no filter (HTML)", "/events?size=100"),
            ("events page, 100 events, no filter (JSON)", "/api/events?size=100"),
            ("events page 500 of 100, newest first (JSON)", "/api/events?size=100&page=500&order=desc"),
            ("events, actor USA + type COERCE (HTML)", "/events?actor=USA&type=COERCE&size=100"),
            ("events, evidence has 'CHN side' (JSON)", "/api/events?text=CHN%20side&size=100"),
            ("article view (HTML)", "/articles/a1234"),
            ("article view (JSON)", "/api/articles/a1234"),
        ]
        with httpx.Client(timeout=60) as client:
            for label, url in cases:
                times = []
                for _ in range(args.repeat + 1):
                    t0 = time.perf_counter()
                    r = client.get(base + url)
                    times.append(time.perf_counter() - t0)
                    r.raise_for_status()
                warm = statistics.median(times[1:])
                print(f"{label:48} first {times[0] * 1000:6.0f} ms, median {warm * 1000:6.0f} ms, "
                      f"max {max(times[1:]) * 1000:6.0f} ms   (target < 300 ms)")
        server.should_exit = True
        thread.join(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
