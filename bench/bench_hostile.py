"""Hostile texts: seconds to parse and to code one article of each kind, against an ordinary article.

    python bench/bench_hostile.py [--scale 1.0] [--only NAME]

Each case is one generated article (our own words); the parse (spaCy) and the stages after it
(``Pipeline.code_doc``) are timed apart, so a slow case shows whose cost it is. Prints one line per
case; asserts nothing. ``--scale`` multiplies the sizes (0.25 for a quick look).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date

NEWS = ("Kenya's foreign minister met his Ethiopian counterpart in Nairobi on Monday. Ethiopia later accused "
        "Somalia of violating its airspace, officials said. ")


def cases(scale: float) -> dict[str, Callable[[], str]]:
    def n(x: int) -> int:
        return max(1, int(x * scale))

    return {
        "ordinary article (20 sentences)": lambda: NEWS * 10,
        f"{n(3000)} names in one list": lambda: ", ".join(
            ["Kenya", "Ethiopia", "President Ruto", "the United Nations"] * (n(3000) // 4)) + " met.",
        f"one token of {n(150_000):,} characters": lambda: "a" * n(150_000),
        f"one sentence of {n(3000)} clauses": lambda: ", and ".join(["Kenya met Ethiopia"] * n(3000)) + ".",
        f"quotes nested {n(5000)} deep": lambda: '"' * n(5000) + "Kenya attacked Ethiopia." + '"' * n(5000),
        f"brackets nested {n(20000)} deep": lambda: "(" * n(20000) + "Kenya met Ethiopia." + ")" * n(20000),
        f"a pronoun chain of {n(2000)}": lambda: "The minister said " + " that ".join(["he told them"] * n(2000)) + ".",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", default=None, help="run only the cases whose name contains this")
    args = parser.parse_args()

    from communique.pipeline import Pipeline, _defused
    from communique.records import Article

    pipe = Pipeline()
    pipe.nlp("Warm up the model.")
    print(f"{'case':<36} {'chars':>9} {'parse s':>8} {'stages s':>9} {'events':>6} failed")
    for name, make in cases(args.scale).items():
        if args.only and args.only not in name:
            continue
        text = make()[: pipe.settings.max_chars]
        started = time.perf_counter()
        doc = pipe.nlp(_defused(text)[0])  # what Pipeline.code parses
        parsed = time.perf_counter()
        coded = pipe.code_doc(doc, Article.create(text, id="bench", published=date(2024, 1, 1)))
        done = time.perf_counter()
        print(f"{name:<36} {len(text):>9,} {parsed - started:>8.2f} {done - parsed:>9.2f} {len(coded.events):>6} "
              f"{','.join(coded.failed_stages) or '-'}", flush=True)


if __name__ == "__main__":
    main()
