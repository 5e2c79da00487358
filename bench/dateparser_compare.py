"""Date resolution: communique's own resolver against the PyPI library ``dateparser``, on TimeBank.

    python bench/dateparser_compare.py [--gold ../shared/eval/timebank] [--examples 8]

Measured with dateparser 1.5.0 (``.venv/bin/pip install dateparser==1.5.0``; it is not a dependency
of the project: without it, this script says so and exits 0).

Items: every gold TIMEX3 of type DATE with a calendar ``start`` (``*.gold.json``); the
document date is the article's ``published``. Each gold text is resolved by

- **ours (pipeline)**: ``extract_dates(doc, published)`` on the article parsed once with the
  pipeline's spaCy model (``communique.nlp.load``), taking the resolved TimeSpan whose span
  overlaps the gold span most: what ``communique code`` outputs, with the clause's tense and
  the dates found earlier in the document as context; a gold expression that no span overlaps
  counts as wrong ("not found");
- **ours (resolve)**: ``resolve(gold text, published, tense)`` with the tense of the gold span's
  clause (``clause_tense``): the same rules on the same input as dateparser, no document context;
- **dateparser**: ``dateparser.parse(gold text, languages=["en"], settings=...)`` with
  ``RELATIVE_BASE`` = published at midnight; ``PREFER_DATES_FROM`` "past" (news mostly reports
  what happened: a bare "Friday" or "March" is the last one); ``PREFER_DAY_OF_MONTH`` and
  ``PREFER_MONTH_OF_YEAR`` "first" (a month or a year stands for its first day, like
  ``TimeSpan.start``; the score only looks at the start); ``REQUIRE_PARTS`` left empty (every
  gold text is known to be a date, requiring a day would drop "1985" and "October 1984", and a
  None is scored wrong anyway); ``languages=["en"]`` skips language detection. Other choices of
  ``PREFER_DATES_FROM`` (incl. one taken from the clause tense) and the default "current"
  day/month are reported on one line each.

A resolution is right when its start day falls inside the gold [start, end] at the gold's
granularity (``communique.evaluate._date_ok``, the evaluator's rule). Items are split into
"absolute" forms (a 4-digit year, a month name with a day number, or an ISO/numeric date in the
text) and "relative" ones (everything else). Prints counts, accuracies, what each gets that the
other misses, the time per expression, the combination "dateparser for absolute forms, ours
otherwise", and a few disagreements. Not a test: numbers are printed, nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TIMEBANK = ROOT.parent / "shared" / "eval" / "timebank"

_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
        r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAYNUM = r"[0-3]?\d(?:st|nd|rd|th)?"
_ABSOLUTE = re.compile(
    r"(?<!\d)\d{4}(?!\d)"  # a 4-digit year ("1985", "fiscal 1989", "the 1980s")
    rf"|\b{_MON}\s+{_DAYNUM}\b|\b{_DAYNUM}\s+(?:of\s+)?{_MON}(?!\w)"  # "Oct. 31", "31 October"
    r"|\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b",  # "1989-10-31", "10/31/89"
    re.IGNORECASE)

# dateparser settings: name -> (PREFER_DATES_FROM or "tense", PREFER_DAY_OF_MONTH / PREFER_MONTH_OF_YEAR)
MAIN = "past"
VARIANTS: dict[str, tuple[str, str]] = {
    MAIN: ("past", "first"),
    "current_period": ("current_period", "first"),
    "future": ("future", "first"),
    "by clause tense": ("tense", "first"),
    "past, day/month 'current'": ("past", "current"),
}
_TENSE_PREFERENCE = {"future": "future", "present": "current_period"}  # past or none: "past"


@dataclass
class Item:
    doc: str
    text: str
    char_start: int
    char_end: int
    gold: dict[str, Any]
    published: date
    absolute: bool
    tense: str | None = None
    ours: str | None = None  # start day from extract_dates (None: not found or no start)
    found: bool = False
    ours_alone: str | None = None  # start day from resolve()
    dp: dict[str, str | None] = field(default_factory=dict)  # start day from dateparser, by variant
    t_ours_alone: float = 0.0
    t_dp: float = 0.0


def load_items(gold_dir: Path) -> tuple[list[Item], dict[str, dict[str, Any]]]:
    items: list[Item] = []
    articles: dict[str, dict[str, Any]] = {}
    for gf in sorted(gold_dir.glob("*.gold.json")):
        art = json.loads(gf.with_name(gf.name.replace(".gold.json", ".article.json")).read_text(encoding="utf-8"))
        gold = json.loads(gf.read_text(encoding="utf-8"))
        if not art.get("published"):
            continue
        pub = date.fromisoformat(art["published"][:10])
        doc_id = gf.name.removesuffix(".gold.json")
        articles[doc_id] = art
        for d in gold.get("dates") or []:
            if d.get("type") == "DATE" and d.get("start"):
                items.append(Item(doc_id, d["text"], d["char_start"], d["char_end"], d, pub,
                                  bool(_ABSOLUTE.search(d["text"]))))
    return items, articles


def run_ours(items: list[Item], articles: dict[str, dict[str, Any]]) -> tuple[float, int]:
    """Fill ``ours``, ``tense``, ``ours_alone``; return the time spent in extract_dates and the spans it gave."""
    from communique import nlp as _nlp
    from communique.settings import Settings
    from communique.time import clause_tense, extract_dates, resolve

    nlp = _nlp.load(Settings().model)
    by_doc: dict[str, list[Item]] = {}
    for it in items:
        by_doc.setdefault(it.doc, []).append(it)
    ids = list(by_doc)
    t_extract, n_spans = 0.0, 0
    docs = nlp.pipe((articles[i]["text"] for i in ids), batch_size=32)
    for doc_id, doc in zip(ids, docs, strict=True):
        pub = by_doc[doc_id][0].published
        t0 = time.perf_counter()
        spans = extract_dates(doc, pub)
        t_extract += time.perf_counter() - t0
        n_spans += len(spans)
        for it in by_doc[doc_id]:
            best, best_overlap = None, 0
            for ts in spans:
                if ts.span is None:
                    continue
                overlap = min(ts.span.end, it.char_end) - max(ts.span.start, it.char_start)
                if overlap > best_overlap:
                    best, best_overlap = ts, overlap
            it.found = best is not None
            it.ours = best.start if best is not None else None
            sp = doc.char_span(it.char_start, it.char_end, alignment_mode="expand")
            it.tense = clause_tense(sp.root) if sp is not None and len(sp) else None
            t0 = time.perf_counter()
            ts1 = resolve(it.text, it.published, it.tense)
            it.t_ours_alone = time.perf_counter() - t0
            it.ours_alone = ts1.start if ts1 is not None else None
    return t_extract, n_spans


def run_dateparser(items: list[Item], parse: Callable[..., datetime | None]) -> None:
    parse("March 3, 1990", languages=["en"])  # warm up: language data is loaded on the first call
    for name, (prefer, day_month) in VARIANTS.items():
        for it in items:
            pref = _TENSE_PREFERENCE.get(it.tense or "", "past") if prefer == "tense" else prefer
            settings = {"RELATIVE_BASE": datetime(it.published.year, it.published.month, it.published.day),
                        "PREFER_DATES_FROM": pref, "PREFER_DAY_OF_MONTH": day_month,
                        "PREFER_MONTH_OF_YEAR": day_month, "RETURN_AS_TIMEZONE_AWARE": False}
            t0 = time.perf_counter()
            try:
                dt = parse(it.text, languages=["en"], settings=settings)
            except Exception:  # noqa: BLE001 - a crash is a miss, as for any library call in the pipeline
                dt = None
            if name == MAIN:
                it.t_dp = time.perf_counter() - t0
            it.dp[name] = dt.date().isoformat() if dt is not None else None


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=TIMEBANK, help="folder of *.article.json + *.gold.json")
    ap.add_argument("--examples", type=int, default=8, help="disagreements shown each way (0: none)")
    args = ap.parse_args(argv)

    try:
        import dateparser
    except ImportError:
        print("dateparser is not installed: nothing to compare. Install it into the venv for the measurement "
              "only: .venv/bin/pip install dateparser==1.5.0")
        return 0
    if not args.gold.is_dir():
        print(f"no gold set at {args.gold}: nothing to compare")
        return 0
    from communique.evaluate import _date_ok

    items, articles = load_items(args.gold)
    t_extract, n_spans = run_ours(items, articles)
    run_dateparser(items, dateparser.parse)

    def ok(it: Item, start: str | None) -> bool:
        return bool(_date_ok(it.gold, {"start": start} if start else None))

    def acc(k: int, n: int) -> str:
        return f"{k / n:.3f}" if n else "-"

    groups = {"absolute": [it for it in items if it.absolute], "relative": [it for it in items if not it.absolute],
              "all": items}
    print(f"{len(items)} gold DATE expressions with a calendar start, {len(articles)} articles ({args.gold})")
    print(f"dateparser {dateparser.__version__}; main settings: PREFER_DATES_FROM={MAIN!r}, PREFER_DAY_OF_MONTH="
          "'first', PREFER_MONTH_OF_YEAR='first', languages=['en'], RELATIVE_BASE=published, no REQUIRE_PARTS")
    print()
    print(f"{'':10}{'n':>5}{'ours':>8}{'resolve':>9}{'dparser':>9}{'ours only':>11}{'dp only':>9}{'neither':>9}"
          f"{'combo':>8}{'combo+fb':>10}{'not found':>11}")
    for name, grp in groups.items():
        o = [ok(it, it.ours) for it in grp]
        r = [ok(it, it.ours_alone) for it in grp]
        d = [ok(it, it.dp[MAIN]) for it in grp]
        combo = [dd if it.absolute else oo for it, oo, dd in zip(grp, o, d, strict=True)]
        combo_fb = [(dd if it.dp[MAIN] else oo) if it.absolute else oo for it, oo, dd in zip(grp, o, d, strict=True)]
        n = len(grp)
        print(f"{name:10}{n:>5}{acc(sum(o), n):>8}{acc(sum(r), n):>9}{acc(sum(d), n):>9}"
              f"{sum(a and not b for a, b in zip(o, d, strict=True)):>11}"
              f"{sum(b and not a for a, b in zip(o, d, strict=True)):>9}"
              f"{sum(not a and not b for a, b in zip(o, d, strict=True)):>9}"
              f"{acc(sum(combo), n):>8}{acc(sum(combo_fb), n):>10}{sum(not it.found for it in grp):>11}")
    print("  ours = extract_dates in the parsed article (the pipeline); resolve = resolve(gold text, published,")
    print("  clause tense); ours only / dp only / neither: counts, ours (pipeline) against dateparser; combo =")
    print("  dateparser for absolute forms, ours otherwise; combo+fb = the same, ours where dateparser returns None;")
    print("  not found = no span of ours overlaps the gold span (counted wrong for ours)")
    print()
    print("dateparser returned None:", ", ".join(
        f"{name} {sum(it.dp[MAIN] is None for it in grp)}/{len(grp)}" for name, grp in groups.items()))
    print("dateparser settings compared (accuracy; combos over all items; dp only = absolute items dateparser")
    print("gets right and ours (pipeline) misses):")
    print(f"  {'PREFER_DATES_FROM':28}{'absolute':>9}{'relative':>9}{'all':>7}{'combo':>8}{'combo+fb':>10}"
          f"{'dp only':>9}")
    absolute = groups["absolute"]
    for var in VARIANTS:
        cells = "".join(f"{acc(sum(ok(it, it.dp[var]) for it in grp), len(grp)):>{w}}"
                        for grp, w in zip(groups.values(), (9, 9, 7), strict=True))
        n_combo = sum(ok(it, it.dp[var]) if it.absolute else ok(it, it.ours) for it in items)
        n_combo_fb = sum(ok(it, it.dp[var]) if it.absolute and it.dp[var] else ok(it, it.ours) for it in items)
        dp_only = sum(ok(it, it.dp[var]) and not ok(it, it.ours) for it in absolute)
        print(f"  {var:28}{cells}{acc(n_combo, len(items)):>8}{acc(n_combo_fb, len(items)):>10}{dp_only:>9}")
    print()
    print("time per expression (µs):")
    for name, grp in groups.items():
        n = len(grp) or 1
        print(f"  {name:10} ours resolve() {1e6 * sum(it.t_ours_alone for it in grp) / n:8.0f}"
              f"   dateparser.parse() {1e6 * sum(it.t_dp for it in grp) / n:8.0f}")
    print(f"  extract_dates (finding + resolving, parse excluded): {1e6 * t_extract / max(n_spans, 1):.0f} µs per "
          f"expression found ({n_spans} found, {t_extract:.2f} s in {len(articles)} articles)")

    if args.examples:
        for title, pick in (("dateparser right, ours wrong", lambda it: ok(it, it.dp[MAIN]) and not ok(it, it.ours)),
                            ("ours right, dateparser wrong", lambda it: ok(it, it.ours) and not ok(it, it.dp[MAIN]))):
            for kind in ("absolute", "relative"):
                sel = [it for it in groups[kind] if pick(it)]
                print(f"\n{title}, {kind} ({len(sel)}): text | published | gold | ours | dateparser")
                for it in sel[: args.examples]:
                    g = it.gold["start"] + (f"..{it.gold['end']}" if it.gold.get("end") else "")
                    print(f"  {it.text!r} | {it.published} | {g} | {it.ours if it.found else 'not found'}"
                          f" | {it.dp[MAIN]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
