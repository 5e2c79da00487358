"""Which rules earn their place: each rewrite rule of ``events/rewrites.py`` left out in turn, scored on
the team's corpus (945 passages, our own text, never used to write the rules).

    python bench/rule_ablation.py [--corpus corpus/passages] [--gold DIR]

The corpus is parsed once; then the coder runs with all rules and with each rule left out
(``event_model = rules``, so no learned part is involved), and each run is scored against the
corpus's own events (``python -m communique.training.corpus gold``). A rule whose removal does not
lower the corpus F1 changes no or few events on text nobody fitted it to; the table says how many
events each rule changes and what removing it does.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "passages")
    args = ap.parse_args(argv)

    from communique.evaluate import load_gold, score
    from communique.events import coder as coder_module
    from communique.events import rewrites
    from communique.pipeline import Pipeline
    from communique.settings import Settings
    from communique.training import corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus.write_gold(Path(tmp), [args.corpus])
        gold = load_gold(Path(tmp))
    pipe = Pipeline(Settings(event_model="rules"))
    articles = [replace(g.article, published=g.article.published or date(2000, 1, 1)) for g in gold]
    docs = list(pipe.nlp.pipe([a.text for a in articles], batch_size=64))
    original = coder_module.rewrite

    def run(rules: tuple) -> tuple[dict, list]:  # type: ignore[type-arg]
        coder_module.rewrite = functools.partial(original, rules=rules)  # type: ignore[assignment]
        try:
            coded = [pipe.code_doc(d, a) for d, a in zip(docs, articles, strict=True)]
        finally:
            coder_module.rewrite = original  # type: ignore[assignment]
        res = score(gold, {c.id: c.to_dict() for c in coded})["events"]
        keys = [(c.id, e.type, e.trigger.start) for c in coded for e in c.events]
        return res, keys

    full, full_keys = run(rewrites.RULES)
    print(f"all {len(rewrites.RULES)} rules: corpus F1 {full['f1']:.3f} (P {full['precision']:.3f}, "
          f"R {full['recall']:.3f}), {full['events_matched']} of {full['events_gold']} matched")
    print("| rule | events it changes | corpus F1 without it | change |")
    print("|---|---|---|---|")
    for k, rule in enumerate(rewrites.RULES):
        res, keys = run(rewrites.RULES[:k] + rewrites.RULES[k + 1:])
        changed = len(set(keys) ^ set(full_keys))
        print(f"| {rule.name} | {changed} | {res['f1']:.3f} | {res['f1'] - full['f1']:+.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
