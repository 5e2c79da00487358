"""The analyst's queries over a large store: a page of events, a whole filtered table as pandas/Arrow, an export.

    python bench/bench_analyst.py [--events 1000000]

The store is synthetic (``bench_store.synthesize``: about 5 events per article, 1 in 5 on
USA–CHN, 30 countries, four years). Each query is run once cold, then 3 times; the best is
printed. Asserts nothing: the numbers are for the README.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def best(fn, repeat: int = 3) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn()
    cold = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return cold, min(times), out


def main(argv: list[str]) -> int:
    from bench_store import synthesize

    from communique.export import export
    from communique.store import Store

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=1_000_000)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "analyst.duckdb"
        with Store(path) as s:
            t0 = time.perf_counter()
            synthesize(s.connection, args.events)
            print(f"synthetic store: {s.stats()['events']:,} events (generated in {time.perf_counter() - t0:.1f}s)")
        with Store(path, read_only=True) as s:
            cases = [
                ("events(involving=USA, newest_first, limit=100)",
                 lambda: list(s.events(involving="USA", newest_first=True, limit=100))),
                ("events(actor=CHN, recipient=USA, type=ACCUSE)",
                 lambda: list(s.events(actor="CHN", recipient="USA", type="ACCUSE"))),
                ("events_df(involving=RUS)", lambda: s.events_df(involving="RUS")),
                ("events_arrow() (every event)", lambda: s.events_arrow()),
                ("export parquet (every event)", lambda: export(s.connection, "parquet", Path(tmp) / "pq")),
            ]  # fmt: skip
            for label, fn in cases:
                cold, fastest, out = best(fn)
                rows = getattr(out, "num_rows", None) or (len(out) if hasattr(out, "__len__") else out)
                print(f"{label:50} {rows!s:>10} rows   first {cold * 1000:8.0f} ms   "
                      f"best of 3 {fastest * 1000:8.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
