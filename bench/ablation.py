"""Ablation of the event coder's learned parts: each `event_model` setting on each event gold set.

    python bench/ablation.py [--news-web DIR]

Runs `communique evaluate` on the seed (`dev`), `plover_gsr` and `news_dev`, the texts of `news_web`
when a folder of them is given (they are re-collected by the recipe in shared/eval/news_web/README.md,
outside the repo), and `../shared/eval/blind.py` (the sealed set: totals only), once per setting:

* rules  -- the lexicon finds triggers, a fixed rule fills a side the text leaves open
* sides  -- the lexicon finds triggers, the trained side model fills the open side
* add    -- the trained trigger model also adds the triggers the lexicon misses (the default)
* both   -- the trained trigger model also vetoes lexicon triggers
* model  -- the trained trigger model alone finds triggers (the lexicon still gives argument slots)

and prints one Markdown table of event F1 (precision / recall).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
CLI = Path(sys.executable).parent / "communique"
MODES = ("rules", "sides", "add", "both", "model")


def _events(res: dict) -> dict:
    return res.get("events", res)


def run(mode: str, sets: list[tuple[str, Path]]) -> dict[str, dict]:
    env = dict(os.environ, COMMUNIQUE_EVENT_MODEL=mode)
    out: dict[str, dict] = {}
    for name, folder in sets:
        if name == "blind":
            proc = subprocess.run([sys.executable, str(EVAL / "blind.py"), "--cli", str(CLI), "--json"],
                                  capture_output=True, text=True, env=env, check=True)
        else:
            proc = subprocess.run([str(CLI), "-q", "evaluate", str(folder), "--json"], capture_output=True, text=True,
                                  env=env, check=True)
        out[name] = _events(json.loads(proc.stdout))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--news-web", type=Path, help="folder of the re-collected news_web articles and gold")
    args = ap.parse_args(argv)
    if not EVAL.is_dir():
        print(f"no gold sets at {EVAL}", file=sys.stderr)
        return 2
    sets = [("dev", EVAL / "dev"), ("plover_gsr", EVAL / "plover_gsr"), ("news_dev", EVAL / "news_dev")]
    if args.news_web:
        sets.append(("news_web", args.news_web))
    sets.append(("blind", EVAL / "blind"))
    print("| event_model | " + " | ".join(n for n, _ in sets) + " |")
    print("|---|" + "---|" * len(sets))
    for mode in MODES:
        res = run(mode, sets)
        cells = [f"{r['f1']:.3f} ({r['precision']:.3f} / {r['recall']:.3f})" for r in (res[n] for n, _ in sets)]
        print(f"| `{mode}` | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
