"""Throughput benchmark: communique's ``code()`` against spaCy's ``nlp.pipe`` alone, in one run.

    python bench/bench.py [--n 200] [--processes 1] [--repeat 3]

Texts: the gold articles under ../shared/eval (dev, plover_gsr, timebank, trnews, lgl,
polnear) when present, else the bundled samples, repeated to at least N articles.
Both runs use the same texts, the same model and the same batch size; the best of
REPEAT runs is kept for each, alternating, so machine noise hits both alike. Prints
docs/s, sentences/s, the ratio end-to-end ÷ parse, the time per stage after the parse,
and peak RSS. Not a test: numbers are printed, nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"


def load_texts(n: int) -> tuple[list[dict], str]:
    arts: list[dict] = []
    source = ""
    if SHARED.is_dir():
        for sub in ("dev", "plover_gsr", "timebank", "trnews", "lgl", "polnear"):
            for f in sorted((SHARED / sub).glob("*.article.json")):
                arts.append(json.loads(f.read_text(encoding="utf-8")))
        source = f"{len(arts)} gold articles from {SHARED}"
    if not arts:
        for f in sorted((ROOT / "src" / "communique" / "samples").glob("*.json")):
            arts.append(json.loads(f.read_text(encoding="utf-8")))
        source = f"{len(arts)} bundled samples"
    base = list(arts)
    while len(arts) < n:
        arts.extend(base)
    return arts[: max(n, len(base))] if len(base) >= n else arts, source


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="at least this many articles")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="use at most this many articles (0: all)")
    args = ap.parse_args(argv)

    from communique import Article
    from communique.pipeline import Pipeline
    from communique.settings import Settings

    raw, source = load_texts(args.n)
    if args.limit:
        raw = raw[: args.limit]
    articles = [Article.from_dict({**a, "id": f"{i}-{a.get('id')}"}) for i, a in enumerate(raw)]
    texts = [a.text for a in articles]
    settings = Settings(processes=args.processes, batch_size=args.batch_size)
    pipe = Pipeline(settings)
    nlp = pipe.nlp
    list(nlp.pipe(texts[:5]))  # warm up

    # per-stage timing after the parse, in this process
    stage_time: dict[str, float] = defaultdict(float)

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        def wrap(*a, **k):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                stage_time[name] += time.perf_counter() - t0
        return wrap

    import communique.pipeline as P

    stages = ("Mentions", "extract_dates", "find_places", "find_quotes", "find_contexts", "measure_tone")
    originals = {name: getattr(P, name) for name in stages}
    for name, fn in originals.items():
        setattr(P, name, timed(name, fn))
    pipe.coder.code = timed("events", pipe.coder.code)  # type: ignore[method-assign]

    best_parse = best_full = float("inf")
    n_sents = n_events = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=args.batch_size, n_process=args.processes))
        best_parse = min(best_parse, time.perf_counter() - t0)
        n_sents = sum(1 for d in docs for _ in d.sents)
        del docs
        stage_time.clear()
        t0 = time.perf_counter()
        coded = list(pipe.code(articles))
        full = time.perf_counter() - t0
        if full < best_full:
            best_full = full
            best_stages = dict(stage_time)
        n_events = sum(len(c.events) for c in coded)
        del coded
    for name, fn in originals.items():
        setattr(P, name, fn)

    n = len(texts)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"texts: {n} articles ({source}), {n_sents} sentences, {sum(map(len, texts)):,} characters")
    print(f"model: {nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}; "
          f"processes {args.processes}; batch {args.batch_size}; best of {args.repeat}")
    print(f"{'':22}{'seconds':>9}{'docs/s':>10}{'sents/s':>10}")
    print(f"{'spaCy nlp.pipe alone':22}{best_parse:9.2f}{n / best_parse:10.1f}{n_sents / best_parse:10.1f}")
    print(f"{'communique code()':22}{best_full:9.2f}{n / best_full:10.1f}{n_sents / best_full:10.1f}")
    print(f"ratio end-to-end / parse: {best_full / best_parse:.3f}")
    after = sum(best_stages.values())
    print(f"stages after the parse: {after:.2f}s = {after / best_full:.1%} of end-to-end; "
          f"coding stage alone: {n_sents / max(after, 1e-9):,.0f} sentences/s")
    for name, secs in sorted(best_stages.items(), key=lambda x: -x[1]):
        print(f"  {name:16}{secs:8.3f}s  {secs / best_full:6.1%}")
    print(f"events: {n_events}")
    print(f"peak RSS: {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
