"""Temporal expressions: found in a parsed document and resolved to calendar spans.

Three public functions::

    extract_dates(doc, published) -> list[TimeSpan]   every expression in a spaCy Doc, in text order
    resolve(text, published, tense) -> TimeSpan | None one expression's text, resolved
    clause_tense(token) -> "past" | "present" | "future" | None

Finding. Candidates come from spaCy's DATE and TIME entities and from the patterns in
``_FIND`` (spaCy misses "now", "recently", "later this week", day ranges, seasons, ...).
Overlapping or touching candidates are merged when the merged text still resolves. Spans
follow TIMEX3: a leading preposition ("on Monday", "in June", "since 2018", "for 10
years") is left out of the span; the resolver accepts it all the same.

Resolving. A ``TimeSpan`` gives the first and last day covered (``start``/``end``, full
ISO days), a ``granularity`` and a TIMEX3-like ``type``/``value``:

- days ``2023-10-26``; day ranges ``2023-10-26/2023-10-28`` (granularity day); weeks
  ``2023-W43`` (Monday..Sunday); weekends ``2023-W43-WE`` (Saturday..Sunday, granularity
  day); months ``2023-06``; quarters ``2023-Q2`` and halves ``2023-H1`` (granularity
  quarter); seasons ``2023-SU`` (granularity season, meteorological northern months:
  spring Mar-May, summer Jun-Aug, autumn Sep-Nov, winter Dec-Feb of the next year); years
  ``2018``; decades ``199`` (1990-1999); centuries ``19`` (1900-1999, "the 20th century").
- ``PRESENT_REF`` ("now", "currently"), ``PAST_REF`` ("recently"), ``FUTURE_REF``
  ("soon", "the future") have no start.
- DURATION ("two months" ``P2M``, "for 10 years" ``P10Y``, "the past 18 months", "a
  two-year term", vague "several weeks" ``PXW``) and SET ("every year" ``P1Y``,
  "annually", "each Thursday" ``XXXX-WXX-4``) have no start.
- TIME ("7:15 p.m. Friday", "this morning", "last night") is reduced to its day; the
  value keeps the clock time (``2023-10-20T19:15``) or the part of day (``TMO``, ``TNI``).

Relative expressions are resolved against the publication date and the tense of the
clause: a weekday or month without a year is the most recent one (publication day or
month included) in past tense or with no tense, the next one (publication day or month
included) in future tense, the nearest one in present tense. Quarters and halves without
a year are those of the publication year (a past-tense quarter that has not begun yet is
last year's). "later this week" is the day after publication to Sunday, "earlier this
week" Monday to the day before; other modifiers ("early", "late", "the end of") keep the
whole period, as TIMEX3 does. Inside a document, anaphoric expressions ("a year earlier",
"the year-ago quarter", "the quarter", "the following day", "that year") are resolved
against the dates already found. When ``published`` is None, relative expressions come
back with ``start``/``end``/``value`` None.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from communique.records import Span, TimeSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["clause_tense", "extract_dates", "resolve"]

TENSES = ("past", "present", "future")

# ----------------------------------------------------------------------------- lexicon

_MONTHS = {m.lower()[:3]: i for i, m in enumerate(calendar.month_name) if m}
_WEEKDAYS = {d.lower()[:3]: i for i, d in enumerate(calendar.day_name)}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # 14 = February next year
_PART_OF_DAY = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI", "tonight": "TNI",
                "overnight": "TNI", "noon": "T12:00", "midday": "T12:00", "midnight": "T24:00"}

_NUM_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
              "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_NUM_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
             "ninety": 90}
_NUM_WORDS = {w: i for i, w in enumerate(_NUM_UNITS)} | _NUM_TENS
_ORD_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_ORDINALS = {w: i + 1 for i, w in enumerate(_ORD_UNITS)} | {
    w: i + 10 for i, w in enumerate(["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
                                      "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"])
} | {f"twenty-{w}": 21 + i for i, w in enumerate(_ORD_UNITS)} | {"thirtieth": 30, "thirty-first": 31}
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}

# unit -> (granularity for "N units ago", TIMEX3 duration letter, multiplier)
_UNITS: dict[str, tuple[str | None, str, int]] = {
    "second": (None, "TS", 1), "minute": (None, "TM", 1), "hour": (None, "TH", 1),
    "day": ("day", "D", 1), "night": ("day", "D", 1), "week": ("week", "W", 1), "fortnight": ("week", "W", 2),
    "weekend": ("week", "WE", 1), "month": ("month", "M", 1), "quarter": ("quarter", "Q", 1),
    "year": ("year", "Y", 1), "decade": ("decade", "Y", 10), "century": ("century", "Y", 100),
}
_GRAN_ORDER = {g: i for i, g in enumerate(("day", "week", "month", "quarter", "season", "year", "decade",
                                            "century"))}

_REFS = {
    "PRESENT_REF": ("now", "right now", "just now", "for now", "currently", "current", "presently", "at present",
                    "nowadays", "these days", "at the moment", "the moment", "this moment", "the present",
                    "present", "to date", "so far"),
    "PAST_REF": ("recently", "recent", "more recently", "most recently", "lately", "formerly", "the past",
                 "past", "in the past", "once", "years ago", "months ago", "weeks ago", "long ago",
                 "some time ago", "a while ago", "a while back", "earlier", "previously", "before", "then"),
    "FUTURE_REF": ("soon", "shortly", "the future", "future", "the near future", "the foreseeable future",
                   "the distant future", "in the future", "the near term", "the short term",
                   "as soon as possible", "a later date", "later", "eventually", "someday", "one day",
                   "some day"),
}
_REF_OF = {w: ref for ref, words in _REFS.items() for w in words}

# ----------------------------------------------------------------------------- patterns (normalised text)

_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
        r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WD = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|\.)?"
_ORD_WORD = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_DAY = rf"(?:[0-3]?\d(?:st|nd|rd|th)?|{_ORD_WORD})"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)"
_SEP = r"\s*(?:-|to|through|thru|until|till|and)\s*"
_UNIT = r"(?:second|minute|hour|day|night|weekend|week|fortnight|month|quarter|year|decade|centur(?:y|ie))s?"
_NUM = r"(?:\d+(?:\.\d+)?|an?)"
_VAGUE = (r"(?:several|a few|few|some|many|a number of|numerous|dozens of|hundreds of|thousands of|recent|past|future"
          r"|coming|the coming|the next few|the last few|the past few|the next several|the past several"
          r"|the last several|the first few|the early|the first|the|those|these|the intervening|the ensuing)")
_QORD = r"(?:first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
_REL = (r"(?:this|last|next|past|previous|coming|following|current|this past|this coming|the current"
        r"|the previous|the following|the next|the past|the last|the coming|the same|that|the)")
_CLOCK = r"(?P<h>[012]?\d)(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap])\.?m\.?(?:\s+[a-z]{1,3}t)?"
_TOD = (r"(?:(?:early|late|mid)[\s-]?)?(?P<pod>morning|afternoon|evening|night|noon|midday|midnight|overnight)"
        rf"|(?:at\s+|around\s+|about\s+)?{_CLOCK}")

_PREFIX_WORDS = (
    "on", "in", "at", "since", "from", "by", "until", "till", "through", "throughout", "during", "before", "after",
    "for", "within", "of", "to", "between", "around", "about", "approximately", "roughly", "nearly", "almost", "some",
    "just", "only", "fully", "over", "under", "more than", "less than", "fewer than", "at least", "at most", "up to",
    "as many as", "as much as", "as early as", "as late as", "as long as", "no later than", "no more than",
    "no less than", "not until", "as of", "beginning", "starting", "effective", "circa", "well over", "barely",
    "a further", "another", "an additional", "the better part of", "much of", "most of", "all of", "part of",
    "each of", "the whole of", "both", "either", "sometime", "some time",
)
_PREFIX = re.compile(  # longest first, so that "at least" is not taken for "at"
    r"^(?:(?:" + "|".join(sorted(_PREFIX_WORDS, key=len, reverse=True)) + r")\s+)+")
_MODIFIER = re.compile(
    r"^(?P<mod>early|earlier|late|later|mid|the middle of|middle of|the end of|end of|the beginning of"
    r"|beginning of|the start of|start of|the rest of|the remainder of|the close of|the turn of|the first days of"
    r"|the last days of|the first part of|the latter part of|the early part of|the latter half of)(?:\s+|-)(?=\S)")
_NUMWORD_RE = re.compile(
    r"\b(?:" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True) + ["hundred", "thousand"]) + r")"
    r"(?:[\s-]+(?:and[\s-]+)?(?:" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True) + ["hundred", "thousand"])
    + r"))*\b(?!-(?:" + "|".join(_ORD_UNITS) + r")|\s(?:first|third|fourth|fifth|sixth|seventh|eighth|ninth)\b)")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# ----------------------------------------------------------------------------- calendar helpers

def _iso(d: date) -> str:
    return d.isoformat()


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def _ts(a: date, b: date, gran: str, value: str | None, type_: str = "DATE") -> TimeSpan:
    return TimeSpan(_iso(a), _iso(b), gran, type_, value)


def _day(d: date, value: str | None = None, type_: str = "DATE") -> TimeSpan:
    return _ts(d, d, "day", value or _iso(d), type_)


def _days(a: date, b: date) -> TimeSpan:
    return _day(a) if a == b else _ts(a, b, "day", f"{_iso(a)}/{_iso(b)}")


def _week(d: date) -> TimeSpan:
    mon = d - timedelta(days=d.weekday())
    iy, iw, _ = mon.isocalendar()
    return _ts(mon, mon + timedelta(days=6), "week", f"{iy}-W{iw:02d}")


def _weekend(d: date) -> TimeSpan:
    """The weekend of the Monday-Sunday week containing ``d``."""
    sat = d - timedelta(days=d.weekday()) + timedelta(days=5)
    iy, iw, _ = sat.isocalendar()
    return _ts(sat, sat + timedelta(days=1), "day", f"{iy}-W{iw:02d}-WE")


def _month(y: int, m: int) -> TimeSpan:
    return _ts(date(y, m, 1), _month_end(y, m), "month", f"{y:04d}-{m:02d}")


def _quarter(y: int, q: int) -> TimeSpan:
    return _ts(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter", f"{y:04d}-Q{q}")


def _half(y: int, h: int) -> TimeSpan:
    return _ts(date(y, 6 * h - 5, 1), _month_end(y, 6 * h), "quarter", f"{y:04d}-H{h}")


def _year(y: int) -> TimeSpan:
    return _ts(date(y, 1, 1), date(y, 12, 31), "year", f"{y:04d}")


def _years(a: int, b: int) -> TimeSpan:
    return _year(a) if a == b else _ts(date(a, 1, 1), date(b, 12, 31), "year", f"{a:04d}/{b:04d}")


def _decade(dec: int) -> TimeSpan:
    return _ts(date(dec * 10, 1, 1), date(dec * 10 + 9, 12, 31), "decade", f"{dec:03d}")


def _century(c: int) -> TimeSpan:
    return _ts(date(max(c * 100, 1), 1, 1), date(c * 100 + 99, 12, 31), "century", f"{c:02d}")


def _season(y: int, code: str) -> TimeSpan:
    a, b = _SEASON_MONTHS[code]
    by, bm = _add_months(y, a, b - a)
    return _ts(date(y, a, 1), _month_end(by, bm), "season", f"{y:04d}-{code}")


def _ref(value: str) -> TimeSpan:
    return TimeSpan(None, None, None, "DATE", value)


def _unresolved(gran: str | None, type_: str = "DATE") -> TimeSpan:
    return TimeSpan(None, None, gran, type_, None)


def _number(s: str) -> float | None:
    if s in ("a", "an"):
        return 1.0
    if s.endswith(" 1/2"):
        s, half = s[:-4], 0.5
    else:
        half = 0.0
    try:
        return float(s.replace(",", "")) + half
    except ValueError:
        return None


def _fmt(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _unit(u: str) -> str:
    u = u.lower()
    if u.startswith("centur"):
        return "century"
    return u[:-1] if u.endswith("s") else u


# a fractional quantity goes down one unit: 2.5 years -> P2Y6M, 1.5 days -> P1DT12H
_SUBUNIT = {"Y": ("M", 12), "W": ("D", 7), "D": ("TH", 24), "TH": ("TM", 60), "TM": ("TS", 60)}


def _duration_value(n: float | None, unit: str) -> str:
    _, letter, mult = _UNITS[unit]
    if n is None:
        parts = [(letter, "X")]
    else:
        n *= mult
        whole = int(n)
        parts = [(letter, _fmt(n))]
        if n != whole and letter in _SUBUNIT:
            sub, k = _SUBUNIT[letter]
            parts = ([(letter, str(whole))] if whole else []) + [(sub, _fmt(round((n - whole) * k, 3)))]
    date_part = "".join(q + u for u, q in parts if not u.startswith("T"))
    time_part = "".join(q + u[1:] for u, q in parts if u.startswith("T"))
    return "P" + date_part + ("T" + time_part if time_part else "")


def _ordinal(s: str) -> int | None:
    s = s.lower()
    if s in _ORDINALS:
        return _ORDINALS[s]
    m = re.match(r"(\d+)", s)
    return int(m.group(1)) if m else None


def _month_num(s: str) -> int:
    return _MONTHS[s[:3].lower()]


def _weekday_num(s: str) -> int:
    return _WEEKDAYS[s[:3].lower()]


_NEAR_FUTURE_DAYS = 60


def _pick(cands: list[TimeSpan], pub: date, tense: str | None, near_future: bool = False) -> TimeSpan:
    """One of ``cands`` (in calendar order): the latest begun by ``pub`` in past tense (and with no tense),
    the first not yet over in future tense, the one containing or nearest ``pub`` in present tense.
    With ``near_future``, one beginning within two months of ``pub`` is taken in past tense too."""
    p = _iso(pub)
    if tense == "future":
        return next((c for c in cands if (c.end or "") >= p), cands[-1])
    if tense == "present":
        def dist(c: TimeSpan) -> int:
            a, b = date.fromisoformat(c.start or p), date.fromisoformat(c.end or p)
            return 0 if a <= pub <= b else min(abs((a - pub).days), abs((b - pub).days))
        return min(cands, key=dist)
    past = [c for c in cands if (c.start or "") <= p]
    if near_future:
        # a date named without its year that comes in the next two months is this one, whatever the tense
        # ("the offer was extended to Nov. 16", "a dividend, payable Dec. 15"); further ahead, the last one
        ahead = [c for c in cands if (c.start or "") > p]
        if ahead and (date.fromisoformat(ahead[0].start or p) - pub).days <= _NEAR_FUTURE_DAYS:
            return ahead[0]
    return past[-1] if past else cands[0]


def _shift(ts: TimeSpan, n: int, unit: str) -> TimeSpan | None:
    """``ts`` moved by ``n`` units (negative: back), keeping its granularity where that makes sense."""
    if not ts.start or not ts.granularity:
        return None
    a = date.fromisoformat(ts.start)
    g = ts.granularity
    if unit in ("day", "night", "week", "fortnight"):
        days = n * {"week": 7, "fortnight": 14}.get(unit, 1)
        if g == "day":
            return _day(a + timedelta(days=days))
        if g == "week":
            return _week(a + timedelta(days=days))
        return None
    months = n * {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}.get(unit, 0)
    if not months:
        return None
    y, m = _add_months(a.year, a.month, months)
    if g == "day":
        return _day(date(y, m, min(a.day, calendar.monthrange(y, m)[1])))
    if g == "month":
        return _month(y, m)
    if g == "quarter" and ts.value and "-H" in ts.value:
        return _half(y, (m - 1) // 6 + 1)
    if g == "quarter":
        return _quarter(y, (m - 1) // 3 + 1)
    if g == "season" and ts.value:
        return _season(y, ts.value[-2:])
    if g == "year" and months % 12 == 0:
        return _year(y)
    return None


# ----------------------------------------------------------------------------- resolution context

@dataclass
class _Ctx:
    """What a resolution may look at: the publication date, the clause's tense and the dates found before."""

    pub: date | None
    tense: str | None = None
    sentence: int = 0
    history: list[tuple[int, TimeSpan]] = field(default_factory=list)
    used_anchor: bool = False

    def anchor(self, grans: tuple[str, ...], back: int | None = None) -> TimeSpan | None:
        """The latest date found so far (not itself resolved from an earlier one) with one of ``grans``, at
        most ``back`` sentences back."""
        self.used_anchor = True
        for sent, ts in reversed(self.history):
            if back is not None and sent < self.sentence - back:
                return None
            if ts.start and ts.granularity in grans and ts.type in ("DATE", "TIME"):
                return ts
        return None


_Rule = Callable[[re.Match[str], _Ctx], TimeSpan | None]
_RULES: list[tuple[re.Pattern[str], _Rule]] = []


def _rule(pattern: str) -> Callable[[_Rule], _Rule]:
    def deco(fn: _Rule) -> _Rule:
        _RULES.append((_rx(pattern), fn))
        return fn
    return deco


def _need_pub(gran: str | None, type_: str = "DATE") -> TimeSpan:
    return _unresolved(gran, type_)


def _year_of(word: str | None, ctx: _Ctx) -> int | None:
    """An explicit year phrase ("2023", "this year", "last year's", "fiscal 1989", "'98") as a year."""
    if not word:
        return None
    w = word.strip().removesuffix("'s").removeprefix("of ").removeprefix("fiscal ").removeprefix("the year ")
    if re.fullmatch(r"\d{4}", w):
        return int(w)
    if m := re.fullmatch(r"'(\d\d)", w):
        if ctx.pub is None:
            return None
        y = ctx.pub.year // 100 * 100 + int(m.group(1))
        return y - 100 if y > ctx.pub.year + 10 else y
    if w in _REL_YEARS and ctx.pub is not None:
        return ctx.pub.year + _REL_YEARS[w]
    return None


_REL_YEARS = {"this year": 0, "last year": -1, "next year": 1, "the current year": 0, "the previous year": -1,
              "the following year": 1}
_YEARWORD = rf"(?:{_YEAR}|'\d\d|{'|'.join(_REL_YEARS)})"


# ----------------------------------------------------------------------------- rules: absolute dates

@_rule(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:t[\d:.]+z?)?")
def _r_iso(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    return _day(date(int(m["y"]), int(m["m"]), int(m["d"])))


@_rule(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})")
def _r_numeric(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if y < 100:
        y += 2000 if y < 50 else 1900
    mo, d = (a, b) if a <= 12 else (b, a)  # US order unless the first number cannot be a month
    return _day(date(y, mo, d))


def _day_in_year(mo: int, d: int, y: int | None, ctx: _Ctx, weekday: int | None = None) -> date | TimeSpan:
    """A month-day, in its explicit year or in the year the publication date and tense choose."""
    if y is not None:
        return date(y, mo, d)
    if ctx.pub is None:
        return _need_pub("day")
    cands = []
    for yy in (ctx.pub.year - 1, ctx.pub.year, ctx.pub.year + 1):
        try:
            cands.append(_day(date(yy, mo, d)))
        except ValueError:
            continue
    if weekday is not None:
        same = [c for c in cands if date.fromisoformat(c.start or "").weekday() == weekday]
        cands = same or cands
    return date.fromisoformat(_pick(cands, ctx.pub, ctx.tense, near_future=True).start or "")


def _range(m1: int, d1: int, m2: int, d2: int, y: int | None, ctx: _Ctx) -> TimeSpan | None:
    first = _day_in_year(m1, d1, y, ctx)
    if isinstance(first, TimeSpan):
        return first
    ey = first.year + (1 if (m2, d2) < (m1, d1) else 0)
    if y is not None and (m2, d2) < (m1, d1):  # "December 30 - January 2, 2024": the year is the end's
        first, ey = first.replace(year=y - 1), y
    last = date(ey, m2, d2)
    return _days(first, last) if last >= first else None


@_rule(rf"(?:(?P<wd>{_WD}),?\s+)?(?P<m1>{_MON})\s+(?P<d1>{_DAY}){_SEP}(?:(?P<m2>{_MON})\s+)?(?P<d2>{_DAY})"
       rf"(?:,?\s+(?P<y>{_YEARWORD}))?")
def _r_md_range(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    m1 = _month_num(m["m1"])
    m2 = _month_num(m["m2"]) if m["m2"] else m1
    d1, d2 = _ordinal(m["d1"]), _ordinal(m["d2"])
    if not d1 or not d2:
        return None
    return _range(m1, d1, m2, d2, _year_of(m["y"], ctx), ctx)


@_rule(rf"(?:the\s+)?(?P<d1>{_DAY})(?:\s+(?:of\s+)?(?P<m1>{_MON}))?{_SEP}(?:the\s+)?(?P<d2>{_DAY})\s+(?:of\s+)?"
       rf"(?P<m2>{_MON})(?:,?\s+(?P<y>{_YEARWORD}))?")
def _r_dm_range(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    m2 = _month_num(m["m2"])
    m1 = _month_num(m["m1"]) if m["m1"] else m2
    d1, d2 = _ordinal(m["d1"]), _ordinal(m["d2"])
    if not d1 or not d2:
        return None
    return _range(m1, d1, m2, d2, _year_of(m["y"], ctx), ctx)


@_rule(rf"(?:(?P<wd>{_WD}),?\s+)?(?:(?P<m1>{_MON})\s+(?:the\s+)?(?P<d1>{_DAY})|(?:the\s+)?(?P<d2>{_DAY})\s+(?:of\s+)?"
       rf"(?P<m2>{_MON}))(?:,?\s+(?P<y>{_YEARWORD}))?")
def _r_month_day(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    mo = _month_num(m["m1"] or m["m2"])
    d = _ordinal(m["d1"] or m["d2"])
    if not d:
        return None
    wd = _weekday_num(m["wd"]) if m["wd"] else None
    got = _day_in_year(mo, d, _year_of(m["y"], ctx), ctx, wd)
    return got if isinstance(got, TimeSpan) else _day(got)


@_rule(rf"(?P<mon>{_MON}),?\s+(?:of\s+)?(?P<y>{_YEARWORD})")
def _r_month_year(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    y = _year_of(m["y"], ctx)
    return _month(y, _month_num(m["mon"])) if y else _need_pub("month")


@_rule(rf"(?P<rel>this|last|next|this past|this coming|past|coming)?\s*(?P<mon>{_MON})")
def _r_month(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    if ctx.pub is None:
        return _need_pub("month")
    mo, pub = _month_num(m["mon"]), ctx.pub
    cands = [_month(y, mo) for y in (pub.year - 1, pub.year, pub.year + 1)]
    rel = m["rel"] or ""
    this = _iso(pub)[:7]
    prev = _iso(date(*_add_months(pub.year, pub.month, -1), 1))[:7]
    if rel in ("last", "this past", "past"):
        # "last February" said in March is a year before: last month would be "last month"
        return [c for c in cands if (c.value or "") < this and (c.value != prev or rel != "last")][-1]
    if rel in ("next", "this coming", "coming"):
        return next(c for c in cands if (c.value or "") > this)
    if rel == "this":
        return cands[1]
    return _pick(cands, pub, ctx.tense, near_future=True)


@_rule(rf"(?:the\s+)?(?:year\s+|fiscal\s+(?:year\s+)?|calendar\s+(?:year\s+)?|fy\s*)?(?P<y>{_YEAR}|'\d\d)"
       r"(?:\s+or\s+(?:later|earlier|so|before|after)|\s+period|\s+quarter|\s+season)?")
def _r_year(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    y = _year_of(m["y"], ctx)
    if y is None:
        return _need_pub("year")
    if m.group(0).endswith(("period", "quarter")):  # "the 1988 period": the quarter talked about, in that year
        q = ctx.anchor(("quarter",), back=3)
        if q and q.value and q.start:
            return _shift(q, y - int(q.start[:4]), "year")
    return _year(y)


@_rule(rf"(?:the\s+years?\s+|between\s+)?(?P<a>{_YEAR})\s*(?:-|/|to|through|and|until|till)\s*(?P<b>{_YEAR}|\d\d)")
def _r_years(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    a, b = int(m["a"]), int(m["b"])
    if b < 100:
        b = a // 100 * 100 + b
    return _years(a, b) if a < b <= a + 100 else None


@_rule(r"(?:the\s+)?(?:(?P<mod>early|mid|late|the\s+\w+\s+half\s+of\s+the)[\s-]+)?"
       r"(?:(?P<dec>\d{3})0'?s|'?(?P<short>\d)0'?s|(?P<word>twenties|thirties|forties|fifties|sixties|seventies"
       r"|eighties|nineties))")
def _r_decade(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    if m["dec"]:
        return _decade(int(m["dec"]))
    n = int(m["short"]) if m["short"] else _DECADE_WORDS[m["word"]]
    if ctx.pub is None:
        return _need_pub("decade")
    dec = ctx.pub.year // 100 * 10 + n
    return _decade(dec if dec * 10 <= ctx.pub.year else dec - 10)


@_rule(rf"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<n>\d{{1,2}}(?:st|nd|rd|th)|{_ORD_WORD})[\s-]+century")
def _r_century(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    n = _ordinal(m["n"])
    return _century(n - 1) if n else None


@_rule(r"(?P<rel>this|last|next|the past|the last|the previous|the next|the current|the)\s+(?P<u>decade|century)")
def _r_rel_decade(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    rel = m["rel"]
    if rel in ("the past", "the next"):
        return TimeSpan(None, None, None, "DURATION", _duration_value(1, m["u"]))
    if ctx.pub is None:
        return _need_pub(m["u"])
    step = {"last": -1, "the last": -1, "the previous": -1, "next": 1}.get(rel, 0)
    if m["u"] == "decade":
        return _decade(ctx.pub.year // 10 + step)
    return _century(ctx.pub.year // 100 + step)


# ----------------------------------------------------------------------------- rules: quarters, halves, seasons

def _in_year(make: Callable[[int], TimeSpan], y: int | None, ctx: _Ctx, gran: str) -> TimeSpan:
    """A part of a year named without its year: the publication year's, or last year's when the clause is
    in past tense and that part has not begun yet."""
    if y is not None:
        return make(y)
    if ctx.pub is None:
        return _need_pub(gran)
    ts = make(ctx.pub.year)
    if ctx.tense == "past" and (ts.start or "") > _iso(ctx.pub):
        ts = make(ctx.pub.year - 1)
    return ts


@_rule(rf"(?:the\s+|its\s+|their\s+|a\s+)?(?:(?P<y1>{_YEARWORD})(?:'s)?\s+)?(?:(?P<ago>year-ago|year-earlier|"
       rf"comparable|same|corresponding)\s+)*(?:(?:fiscal|calendar)[\s-]+)?(?P<n>{_QORD})[\s-]+(?:fiscal[\s-]+)?"
       rf"(?P<u>quarter|half)(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<y2>{_YEARWORD}))?")
def _r_quarter(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    n = {"final": 4 if m["u"] == "quarter" else 2, "last": 4 if m["u"] == "quarter" else 2}.get(m["n"]) \
        or _ordinal(m["n"])
    top = 4 if m["u"] == "quarter" else 2
    if not n or n > top:
        return None
    make = (lambda y: _quarter(y, n)) if m["u"] == "quarter" else (lambda y: _half(y, n))
    y = _year_of(m["y1"] or m["y2"], ctx)
    if m["ago"] and m["ago"].startswith("year-"):
        base = _in_year(make, y, ctx, "quarter")
        return _shift(base, -1, "year") if base.start else base
    return _in_year(make, y, ctx, "quarter")


@_rule(rf"(?:the\s+)?(?P<n>first|last|final|1st)\s+(?:2|two)\s+quarters\s+(?:of\s+)?(?P<y>{_YEARWORD})")
def _r_two_quarters(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    y = _year_of(m["y"], ctx)
    return _half(y, 1 if m["n"] in ("first", "1st") else 2) if y else _need_pub("quarter")


@_rule(rf"(?:q(?P<q1>[1-4])|(?P<q2>[1-4])q|h(?P<h1>[12]))\s*(?P<y>{_YEAR}|'?\d\d)?|(?P<y2>{_YEAR})\s*-?\s*"
       r"(?:q(?P<q3>[1-4])|h(?P<h2>[12]))")
def _r_q_short(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    ys = m["y"] or m["y2"]
    y: int | None = None
    if ys:
        ys = ys.lstrip("'")
        y = int(ys) if len(ys) == 4 else 2000 + int(ys) if int(ys) < 50 else 1900 + int(ys)
    q = m["q1"] or m["q2"] or m["q3"]
    if q:
        return _in_year(lambda yy: _quarter(yy, int(q)), y, ctx, "quarter")
    h = int(m["h1"] or m["h2"])
    return _in_year(lambda yy: _half(yy, h), y, ctx, "quarter")


@_rule(r"(?:the\s+)?(?P<rel>this|last|next|current|latest|previous|past|most recent|coming|same|comparable|"
       r"corresponding|year-ago|year-earlier|prior-year|year-before|just-ended|just-completed|recent|fiscal)?"
       r"\s*(?P<u>quarter|period)(?P<ly>\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year))?")
def _r_rel_quarter(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    rel = m["rel"] or ""
    year_ago = bool(m["ly"]) or rel in ("year-ago", "year-earlier", "prior-year", "year-before")
    anchor = ctx.anchor(("quarter",))
    if m["u"] == "period" and not anchor:
        return None
    if ctx.pub is None and not anchor:
        return _need_pub("quarter")
    if rel in ("", "same", "comparable", "corresponding", "year-ago", "year-earlier", "prior-year",
               "year-before", "fiscal") and anchor:
        base = anchor
        if year_ago:
            # the anchor may itself be last year's quarter; the year-ago one is a year before this year's
            return _shift(base, -1, "year")
        return base
    if ctx.pub is None:
        return _need_pub("quarter")
    cur = (ctx.pub.month - 1) // 3 + 1
    step = {"last": -1, "previous": -1, "latest": -1, "most recent": -1, "past": -1, "just-ended": -1,
            "just-completed": -1, "recent": -1, "next": 1, "coming": 1}.get(rel, 0)
    if rel == "" and ctx.tense == "past":
        step = -1
    y, mo = _add_months(ctx.pub.year, 3 * cur - 2, 3 * step)
    base = _quarter(y, (mo - 1) // 3 + 1)
    return _shift(base, -1, "year") if year_ago else base


@_rule(rf"(?:the\s+)?(?P<rel>this|last|next|past|coming|this past|this coming|early|late|mid)?[\s-]*"
       rf"(?P<s>spring|summer|autumn|fall|winter)(?:'s)?(?:\s+(?:of\s+)?(?P<y>{_YEARWORD}))?")
def _r_season(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    code = _SEASONS[m["s"]]
    y = _year_of(m["y"], ctx)
    if y is not None:
        return _season(y, code)
    if ctx.pub is None:
        return _need_pub("season")
    pub, p = ctx.pub, _iso(ctx.pub)
    cands = [_season(yy, code) for yy in range(pub.year - 2, pub.year + 2)]
    rel = m["rel"] or ""
    if rel in ("last", "past", "this past"):
        return [c for c in cands if (c.end or "") < p][-1]
    if rel in ("next", "coming", "this coming"):
        return next(c for c in cands if (c.start or "") > p)
    if rel == "this":
        inside = [c for c in cands if (c.start or "") <= p <= (c.end or "")]
        return inside[0] if inside else _season(pub.year, code)
    return _pick(cands, pub, ctx.tense)


# ----------------------------------------------------------------------------- rules: relative periods

@_rule(r"(?P<rel>this|last|next|past|previous|coming|following|current|this past|this coming|the current|"
       r"the previous|the following|the next|the past|the last|the coming|that|the same|the)\s+"
       r"(?P<u>week|weekend|month|year|fiscal year|day)")
def _r_rel_period(m: re.Match[str], ctx: _Ctx, mod: str = "") -> TimeSpan | None:
    rel, u = m["rel"], m["u"].removeprefix("fiscal ")
    if rel in ("the past", "the last", "the next", "the coming", "past") or (rel == "the" and not mod and u != "weekend"):
        if u != "weekend":  # "the past week" is a duration; "the past weekend" a date
            return TimeSpan(None, None, None, "DURATION", _duration_value(1, u))
        rel = "last" if rel in ("the past", "the last", "past") else "next"
    if rel in ("that", "the same", "the following", "the previous"):
        grans = {"day": ("day",), "week": ("week", "day"), "weekend": ("day", "week"),
                 "month": ("month", "day", "week"), "year": ("year", "month", "day", "week", "quarter", "season")}[u]
        a = ctx.anchor(grans)
        if a and a.start:
            step = {"the following": 1, "the previous": -1}.get(rel, 0)
            d = date.fromisoformat(a.start)
            if u == "day":
                return _day(d + timedelta(days=step))
            if u == "week":
                return _week(d + timedelta(days=7 * step))
            if u == "weekend":
                return _weekend(d + timedelta(days=7 * step))
            if u == "month":
                y, mo = _add_months(d.year, d.month, step)
                return _month(y, mo)
            return _year(d.year + step)
        if rel in ("that", "the same"):
            return None
        rel = "next" if rel == "the following" else "last"
    if ctx.pub is None:
        return _need_pub("day" if u in ("day", "weekend") else u)
    pub = ctx.pub
    step = {"last": -1, "previous": -1, "the previous": -1, "this past": -1, "next": 1, "coming": 1, "following": 1,
            "the following": 1, "this coming": 1}.get(rel, 0)
    if u == "day":
        return _day(pub + timedelta(days=step))
    if u == "week":
        if step == 0 and mod in ("later", "late") and pub.weekday() < 6:
            return _days(pub + timedelta(days=1), pub + timedelta(days=6 - pub.weekday()))
        if step == 0 and mod in ("earlier",) and pub.weekday() > 0:
            return _days(pub - timedelta(days=pub.weekday()), pub - timedelta(days=1))
        return _week(pub + timedelta(days=7 * step))
    if u == "weekend":
        this, prev = _weekend(pub), _weekend(pub - timedelta(days=7))
        begun = this if pub.weekday() >= 5 else prev  # the latest weekend begun by publication
        if step:
            return prev if step < 0 else this if pub.weekday() < 5 else _weekend(pub + timedelta(days=7))
        return begun if ctx.tense == "past" or (rel == "the" and ctx.tense is None) else this
    if u == "month":
        y, mo = _add_months(pub.year, pub.month, step)
        return _month(y, mo)
    return _year(pub.year + step)


@_rule(r"(?:the\s+)?(?P<u>year|month|week|quarter)(?:'s)?[\s-]+end|(?:the\s+)?end[\s-]of[\s-](?:the[\s-])?(?P<u2>year|"
       r"month|week|quarter)")
def _r_period_end(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    u = m["u"] or m["u2"]
    if ctx.pub is None:
        return _need_pub(u)
    pub = ctx.pub
    if u == "year":
        return _year(pub.year)
    if u == "month":
        return _month(pub.year, pub.month)
    if u == "week":
        return _week(pub)
    return _quarter(pub.year, (pub.month - 1) // 3 + 1)


# ----------------------------------------------------------------------------- rules: days, weekdays, times

def _deictic_day(word: str, ctx: _Ctx) -> date | None:
    if ctx.pub is None:
        return None
    return ctx.pub + timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
                                     "the day before yesterday": -2, "the day after tomorrow": 2}[word])


_DEICTIC = r"(?:today|tonight|yesterday|tomorrow|the day before yesterday|the day after tomorrow)"


@_rule(rf"(?P<w>{_DEICTIC})")
def _r_deictic(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    d = _deictic_day(m["w"], ctx)
    if d is None:
        return _need_pub("day", "TIME" if m["w"] == "tonight" else "DATE")
    return _day(d, f"{_iso(d)}TNI", "TIME") if m["w"] == "tonight" else _day(d)


def _weekday(wd: int, rel: str, ctx: _Ctx) -> date | None:
    if ctx.pub is None:
        return None
    pub = ctx.pub
    back = (pub.weekday() - wd) % 7  # days since the latest such weekday, 0 if today
    ahead = (wd - pub.weekday()) % 7
    if rel in ("last", "this past", "past"):
        return pub - timedelta(days=back or 7)
    if rel in ("next", "this coming", "coming"):
        return pub + timedelta(days=ahead or 7)
    if rel == "this":
        return pub - timedelta(days=pub.weekday()) + timedelta(days=wd)
    if ctx.tense == "future":
        return pub + timedelta(days=ahead)
    if ctx.tense == "present":
        return pub + timedelta(days=ahead) if ahead < back else pub - timedelta(days=back)
    return pub - timedelta(days=back)


@_rule(rf"(?P<rel>last|next|this|this coming|this past|coming|past|early|late|earlier|later|the previous|the following"
       rf"|the next|that)?\s*(?P<wd>{_WD})")
def _r_weekday(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    rel = m["rel"] or ""
    if rel in ("the previous", "the following", "the next", "that"):
        a = ctx.anchor(("day",), back=2)
        if a is None or not a.start:
            return None if rel == "that" else _r_weekday_rel(m, ctx, rel)
        d, wd = date.fromisoformat(a.start), _weekday_num(m["wd"])
        if rel == "the previous":
            return _day(d - timedelta(days=(d.weekday() - wd) % 7 or 7))
        if rel == "that":
            return _day(d - timedelta(days=d.weekday()) + timedelta(days=wd))
        return _day(d + timedelta(days=(wd - d.weekday()) % 7 or 7))
    if rel in ("early", "late", "earlier", "later"):
        rel = ""
    d = _weekday(_weekday_num(m["wd"]), rel, ctx)
    return _day(d) if d else _need_pub("day")


def _r_weekday_rel(m: re.Match[str], ctx: _Ctx, rel: str) -> TimeSpan | None:
    d = _weekday(_weekday_num(m["wd"]), "last" if rel == "the previous" else "next", ctx)
    return _day(d) if d else _need_pub("day")


@_rule(rf"(?:on\s+)?(?P<wd>{_WD})s(?:\s+(?P<pod>mornings|afternoons|evenings|nights))?|(?:every|each)\s+(?P<wd2>{_WD})"
       r"(?:\s+(?P<pod2>morning|afternoon|evening|night))?")
def _r_weekday_set(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    wd = _weekday_num(m["wd"] or m["wd2"]) + 1
    pod = (m["pod"] or "").rstrip("s") or m["pod2"]
    return TimeSpan(None, None, None, "SET", f"XXXX-WXX-{wd}" + (_PART_OF_DAY[pod] if pod else ""))


def _time_value(d: date, m: re.Match[str]) -> str:
    if m["pod"]:
        return f"{_iso(d)}{_PART_OF_DAY[m['pod']]}"
    h = int(m["h"]) % 12 + (12 if m["ap"] == "p" else 0)
    return f"{_iso(d)}T{h:02d}:{m['mi'] or '00'}"


def _time_on(day_text: str, tod: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    if day_text in ("", "this", "the", "that"):
        if day_text == "that" or (day_text == "the" and ctx.history):
            anchor = ctx.anchor(("day",), back=2)
        else:
            anchor = ctx.anchor(("day",), back=0) if day_text == "" else None
        d = date.fromisoformat(anchor.start) if anchor and anchor.start else ctx.pub
    elif day_text == "last" and tod["pod"] == "night":
        d = ctx.pub - timedelta(days=1) if ctx.pub else None
    else:
        ts = _resolve_core(day_text, ctx)
        if ts is None or ts.granularity != "day" or ts.start != ts.end:
            return None
        d = date.fromisoformat(ts.start) if ts.start else None
    if d is None:
        return _need_pub("day", "TIME")
    return _day(d, _time_value(d, tod), "TIME")


_TOD_FIRST = _rx(rf"(?:{_TOD})(?:,?\s+(?:on\s+|of\s+)?(?P<rest>.+))?")
_TOD_LAST = _rx(rf"(?P<rest>.+?),?\s+(?:at\s+|in\s+the\s+)?(?:{_TOD})")
_TOD_THE = _rx(rf"(?P<rest>this|that|the|last)\s+(?:{_TOD})")


def _r_time(s: str, ctx: _Ctx) -> TimeSpan | None:
    for rx in (_TOD_THE, _TOD_FIRST, _TOD_LAST):
        if m := rx.fullmatch(s):
            return _time_on((m["rest"] or "").strip(), m, ctx)
    return None


# ----------------------------------------------------------------------------- rules: relative offsets, durations, sets

def _offset(n: float, unit: str, ctx: _Ctx, base: date) -> TimeSpan | None:
    """The date ``n`` units before ``base`` (negative ``n``: after), at the unit's granularity."""
    k = int(round(n))
    if unit in ("second", "minute", "hour"):
        return _day(base, type_="DATE")
    if unit in ("day", "night"):
        return _day(base - timedelta(days=k))
    if unit in ("week", "fortnight", "weekend"):
        return _week(base - timedelta(days=7 * k * (2 if unit == "fortnight" else 1)))
    if unit == "month":
        y, mo = _add_months(base.year, base.month, -k)
        return _month(y, mo)
    if unit == "quarter":
        y, mo = _add_months(base.year, base.month, -3 * k)
        return _quarter(y, (mo - 1) // 3 + 1)
    if unit == "year":
        return _year(base.year - k)
    if unit == "decade":
        return _decade(base.year // 10 - k)
    return _century(base.year // 100 - k)


def _period_anchor(ctx: _Ctx) -> TimeSpan | None:
    """The quarter (or half) a report is about: "a year ago" then means that period a year before. Financial
    news compares a quarter with "a year ago" / "the year-earlier period" sentences after naming it."""
    return ctx.anchor(("quarter",))


@_rule(rf"(?:(?P<n>{_NUM})|(?P<vague>several|a few|few|some|many|a number of|\d+ or \d+))\s*(?:[\s-]|\+\s)(?P<u>{_UNIT})"
       r"(?P<half>\s+and\s+a\s+half)?(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|before|after|from now|hence|back|"
       r"previously|since|on)")
def _r_ago(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    unit, direction = _unit(m["u"]), m["dir"]
    n = _number(m["n"]) if m["n"] else None
    back = direction in ("ago", "earlier", "before", "back", "previously")
    if n is None:
        return _ref("PAST_REF" if back else "FUTURE_REF")
    if m["half"]:
        n += 0.5
    if direction in ("ago", "back", "from now", "hence"):
        if ctx.pub is None:
            return _need_pub(_UNITS[unit][0])
        if unit == "year" and direction in ("ago", "back") and (a := _period_anchor(ctx)):
            return _shift(a, -int(n), "year")
        return _offset(n if back else -n, unit, ctx, ctx.pub)
    # "a year earlier", "two days later": from the date just talked about, else from publication
    a = ctx.anchor(("quarter",), back=2) if unit == "year" else None
    a = a or ctx.anchor(("day", "week", "month", "quarter", "season", "year"), back=2)
    if unit == "year" and not a:
        a = _period_anchor(ctx)
    if a and _GRAN_ORDER.get(a.granularity or "", 9) <= _GRAN_ORDER.get(_UNITS[unit][0] or "day", 0):
        shifted = _shift(a, -int(n) if back else int(n), unit)
        if shifted:
            return shifted
    if direction in ("before", "after", "since", "on"):
        return TimeSpan(None, None, None, "DURATION", _duration_value(n, unit))
    if ctx.pub is None:
        return _need_pub(_UNITS[unit][0])
    return _offset(n if back else -n, unit, ctx, ctx.pub)


@_rule(r"(?:the\s+)?(?:comparable\s+|same\s+)?(?P<u>year|month|week|day)-(?:ago|earlier|before)(?:\s+(?:level|levels|"
       r"figure|figures|results|period|month|year|week|day|date|time))?")
def _r_year_ago_adj(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    unit = m["u"]
    a = ctx.anchor(("quarter",), back=2) or ctx.anchor(("day", "month", "season", "year"), back=1) \
        or _period_anchor(ctx)
    if a:
        shifted = _shift(a, -1, unit)
        if shifted:
            return shifted
    if ctx.pub is None:
        return _need_pub(unit)
    return _offset(1, unit, ctx, ctx.pub)


@_rule(r"(?:the\s+)?(?:same|corresponding|comparable|prior-year)\s+(?:period|quarter|month|week|day)"
       r"(?:\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year|the\s+previous\s+year|the\s+year\s+before))?")
def _r_same_period(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    a = ctx.anchor(("quarter", "month", "day", "week", "season"))
    if not a:
        return None
    return _shift(a, -1, "year") if re.search(r"year|prior", m.group(0)) else a


_DUR_PRE = (r"(?:(?:the|this|these|those|its|their|his|her|a|an)\s+)?(?:(?:past|last|next|first|final|coming|previous|"
            r"following|latest|entire|full|whole|remaining|ensuing|same|other|initial|preceding|succeeding|"
            r"subsequent|intervening|more|additional|further|extra|consecutive|straight|better part of)\s+)*")


@_rule(rf"{_DUR_PRE}(?P<n>{_NUM}(?:\s+1/2)?|\d+ or \d+|\d+ to \d+)(?P<plus>\+)?(?:\s+(?:more|additional|full|"
       rf"straight|consecutive|long))?(?:\s+|-)(?:(?:trading|business|working|calendar|school)\s+)?(?P<u>{_UNIT})(?P<half>\s+and\s+a\s+half)?(?:[\s-]+(?:long|old|period|term|"
       r"span|stint|spell|stretch|run|mark))?(?:\s+(?:or\s+so|or\s+more|or\s+longer|in\s+a\s+row|running|straight))?")
def _r_duration(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    if m.group(0).endswith("old"):
        return None
    unit = _unit(m["u"])
    raw = m["n"]
    if re.fullmatch(r"1\d{3}|20\d\d", raw):  # "the 1988 quarter" is a date
        return None
    n = None if (" or " in raw or " to " in raw) else _number(raw)
    if " or " in raw or " to " in raw:
        n = _number(raw.split()[-1])
    if n is not None and m["half"]:
        n += 0.5
    if unit == "weekend":
        return TimeSpan(None, None, None, "DURATION", f"P{_fmt(n or 1)}WE")
    return TimeSpan(None, None, None, "DURATION", _duration_value(n, unit))


@_rule(rf"(?:a|an|one)\s+(?P<u>{_UNIT})\s+and\s+a\s+half|half\s+(?:a|an)\s+(?P<u2>{_UNIT})")
def _r_half_duration(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    unit = _unit(m["u"] or m["u2"])
    n = 1.5 if m["u"] else 0.5
    if unit in ("minute", "hour") and n == 1.5:
        sub = {"minute": "M30S", "hour": "H30M"}[unit]
        return TimeSpan(None, None, None, "DURATION", f"PT1{sub}")
    return TimeSpan(None, None, None, "DURATION", _duration_value(n, unit))


@_rule(rf"{_VAGUE}\s+(?P<u>{_UNIT})s?(?:\s+(?:ahead|to come|past))?|(?P<u2>{_UNIT})s(?:\s+(?:ahead|to come|past|on end))?"
       rf"|(?:the\s+)?(?:coming|next|past|last|recent|previous|following)\s+(?P<u3>{_UNIT})s\s+and\s+{_UNIT}s?")
def _r_vague_duration(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    u = m["u"] or m["u2"] or m["u3"]
    if m["u"] and not u.endswith("s") and not m.group(0).startswith(("the ", "those ", "these ")):
        return None
    unit = _unit(u)
    lead = m.group(0).split()[0]
    if lead in ("recent", "past") and u.endswith("s"):
        return _ref("PAST_REF")
    if lead in ("coming", "future") and u.endswith("s"):
        return _ref("FUTURE_REF")
    if unit == "weekend":
        return TimeSpan(None, None, None, "DURATION", "PXWE")
    return TimeSpan(None, None, None, "DURATION", _duration_value(None, unit))


_SET_ADVERBS = {"annually": "P1Y", "yearly": "P1Y", "annual": "P1Y", "biannually": "P6M", "semiannually": "P6M",
                "semi-annually": "P6M", "quarterly": "P3M", "monthly": "P1M", "bimonthly": "P2M", "weekly": "P1W",
                "biweekly": "P2W", "fortnightly": "P2W", "daily": "P1D", "nightly": "P1D", "hourly": "PT1H"}


@_rule(rf"(?P<adv>{'|'.join(_SET_ADVERBS)})|(?:every|each|per)\s+(?:other\s+)?(?P<n>{_NUM}\s+)?(?P<u>{_UNIT})"
       rf"|(?:once|twice|thrice|\d+\s+times)\s+(?:a|an|per|each|every)\s+(?P<u2>{_UNIT})|(?:a|an)\s+(?P<u3>{_UNIT})"
       rf"|(?:every|each)\s+(?P<mon>{_MON})|(?:every|each)\s+(?P<s>spring|summer|autumn|fall|winter)"
       rf"|(?:the\s+)?(?:past|last|next)\s+(?:\d+\s+)?(?P<s2>spring|summer|autumn|fall|winter)s")
def _r_set(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    if m["adv"]:
        return TimeSpan(None, None, None, "SET", _SET_ADVERBS[m["adv"]])
    if m["mon"]:
        return TimeSpan(None, None, None, "SET", f"XXXX-{_month_num(m['mon']):02d}")
    if m["s"] or m["s2"]:
        return TimeSpan(None, None, None, "SET", f"XXXX-{_SEASONS[m['s'] or m['s2']]}")
    if m["u3"]:  # "a year" alone: a duration (in "$5 a year" a set, which the text alone cannot tell)
        return TimeSpan(None, None, None, "DURATION", _duration_value(1, _unit(m["u3"])))
    n = _number(m["n"].strip()) if m["n"] else 1.0
    if "other" in m.group(0):
        n = (n or 1) * 2
    return TimeSpan(None, None, None, "SET", _duration_value(n, _unit(m["u"] or m["u2"])))


# ----------------------------------------------------------------------------- normalising and resolving

def _words_to_number(words: list[str]) -> int:
    vals = [w for w in words if w != "and"]
    teens_tens = set(_NUM_UNITS[10:]) | set(_NUM_TENS)
    if (len(vals) >= 2 and vals[0] in teens_tens and vals[1] in teens_tens and 10 <= _NUM_WORDS[vals[0]] <= 20
            and "hundred" not in vals and "thousand" not in vals):
        rest = sum(_NUM_WORDS[w] for w in vals[1:] if w in _NUM_WORDS)
        return _NUM_WORDS[vals[0]] * 100 + rest  # a spoken year: "nineteen ninety-six"
    total = cur = 0
    for w in vals:
        if w == "hundred":
            cur = max(cur, 1) * 100
        elif w == "thousand":
            total += max(cur, 1) * 1000
            cur = 0
        else:
            cur += _NUM_WORDS[w]
    return total + cur


_CLEAN = [
    (_rx(r"[\u2018\u2019\u02bc`]"), "'"),
    (_rx(r"[\u2010-\u2015]"), "-"),
    (_rx(r"\s+"), " "),
    (_rx(r"\ba (hundred|thousand)\b"), r"one \1"),
    (_rx(r"\b(?:a )?couple(?: of)?\b"), "2"),
    (_rx(r"\bhalf a dozen\b"), "6"),
    (_rx(r"\ba dozen\b"), "12"),
    (_rx(r"\bmid-? "), "mid-"),
]
_AND_A_HALF = _rx(r"\b(\d+) and a half (\w+)")
_TRAIL = _rx(r"(?:'s|')$|[\s,;:.!?\"()]+$")


def _normalise(text: str) -> str:
    s = text.lower().strip()
    for rx, rep in _CLEAN:
        s = rx.sub(rep, s)
    s = _NUMWORD_RE.sub(lambda m: str(_words_to_number(re.split(r"[\s-]+", m.group(0)))), s)
    s = _AND_A_HALF.sub(r"\1 1/2 \2", s)
    s = _TRAIL.sub("", s.strip(" ,;:\"'()"))
    return s.strip()


def _resolve_core(s: str, ctx: _Ctx) -> TimeSpan | None:
    """Resolve a normalised expression, trying each rule in turn; a leading modifier ("early", "later",
    "the end of") keeps the period it modifies, except "later/earlier this week"."""
    if not s:
        return None
    if s in _REF_OF:
        return _ref(_REF_OF[s])
    for rx, fn in _RULES:
        if m := rx.fullmatch(s):
            try:
                ts = fn(m, ctx)
            except (ValueError, KeyError, StopIteration, IndexError, OverflowError):
                ts = None
            if ts is not None:
                return ts
    if ts := _r_time(s, ctx):
        return ts
    if mm := _MODIFIER.match(s):
        rest = s[mm.end():]
        if p := _PREFIX.match(rest):
            rest = rest[p.end():]
        mod = mm["mod"]
        if rest in ("the day", "day"):  # "later in the day": the day just talked about, else publication
            a = ctx.anchor(("day",), back=0)
            return a if a else _day(ctx.pub) if ctx.pub else _need_pub("day")
        if m := _RULES_REL_PERIOD.fullmatch(rest):
            return _r_rel_period(m, ctx, mod)
        if rest in ("the year", "the month", "the week", "the quarter", "year", "month", "week"):
            return _resolve_core("this " + rest.removeprefix("the "), ctx)
        return _resolve_core(rest, ctx)
    return None


_RULES_REL_PERIOD = next(rx for rx, fn in _RULES if fn is _r_rel_period)


def _resolve(text: str, ctx: _Ctx) -> TimeSpan | None:
    s = _normalise(text)
    ts = _resolve_core(s, ctx)
    if ts is None and (p := _PREFIX.match(s)):
        ts = _resolve_core(s[p.end():], ctx)
    if ts is None and (s.endswith(" or so") or s.endswith(" or two")):
        ts = _resolve_core(s.rsplit(" or ", 1)[0], ctx)
    return ts


def resolve(text: str, published: date | None, tense: str | None = None) -> TimeSpan | None:
    """One temporal expression's text as a ``TimeSpan`` (without a span), or None if it is not one.

    ``tense`` ("past", "present", "future" or None) chooses between the previous and the next
    occurrence of a weekday, month or season named without a year. With ``published`` None, relative
    expressions come back unresolved (``start``, ``end`` and ``value`` None)."""
    if tense not in (None, *TENSES):
        raise ValueError(f"tense must be one of {TENSES} or None, not {tense!r}")
    return _resolve(text, _Ctx(published, tense))


# ----------------------------------------------------------------------------- tense

_FUTURE_AUX = {"will", "shall", "'ll", "wo", "ll"}
_MODALS = {"may", "might", "should", "must", "ought", "would", "'d"}  # "could"/"can" say little about time
_FUTURE_HEADS = {"plan", "set", "expect", "schedule", "intend", "aim", "hope", "prepare", "due", "likely", "slate",
                 "poise", "go", "seek", "propose", "agree", "promise", "pledge", "vow", "threaten", "want", "decide"}


def clause_tense(token: Token) -> str | None:
    """The tense of the clause governing ``token``: "future" for will/shall, modals, "be going to", "is set
    to", "plans to", "is to"; "past" for past forms and perfects; "present" for present forms; else None."""
    t = token
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass"):
            if t.tag_ == "VBG" and not any(c.dep_ in ("aux", "auxpass") for c in t.children) and t.head is not t:
                t = t.head  # a participle clause ("..., saying on Monday") takes its main verb's tense
                continue
            return _verb_tense(t)
        if t.head is t:
            return None
        t = t.head
    return None


def _verb_tense(v: Token) -> str | None:
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    words = [a.lower_ for a in auxes]
    if any(w in _FUTURE_AUX for w in words):
        return "future"
    if "to" in words and v.dep_ in ("xcomp", "ccomp", "advcl", "acl", "relcl") and v.head is not v:
        head = v.head
        if head.pos_ not in ("VERB", "AUX", "ADJ"):
            return "future"  # "guidelines to be published in November"
        gov = head.head if head.pos_ == "ADJ" else head
        if any(c.lower_ == "had" for c in gov.children if c.dep_ in ("aux", "auxpass")):
            return "past"  # "had been due to expire Friday"
        if head.lemma_ in _FUTURE_HEADS or head.lemma_ == "be" and head.tag_ in ("VBZ", "VBP", "VBD"):
            return "future"
        return _verb_tense(head) if head.pos_ in ("VERB", "AUX") else None
    if any(w in _MODALS for w in words):
        if any(a.lemma_ == "have" for a in auxes):
            return "past"
        return "future"
    tags = [a.tag_ for a in auxes] + [v.tag_]
    if any(a.lemma_ == "have" for a in auxes) and v.tag_ == "VBN":
        return "past"
    if "VBD" in tags:
        return "past"
    if any(t in ("VBZ", "VBP") for t in tags):
        return "present"
    if v.tag_ == "VBN" and not auxes:
        return "past"
    if v.tag_ == "VB" and v.dep_ in ("xcomp", "ccomp", "advcl", "conj") and v.head is not v:
        return _verb_tense(v.head) if v.head.pos_ in ("VERB", "AUX") else None
    if v.dep_ == "conj" and v.head is not v and v.head.pos_ in ("VERB", "AUX"):
        return _verb_tense(v.head)
    return None


# ----------------------------------------------------------------------------- finding expressions in a Doc

_MONC = (r"(?-i:Jan(?:uary|\.)|Feb(?:ruary|\.)|Mar(?:ch|\.)|Apr(?:il|\.)|May|June?\.?|July?\.?|Aug(?:ust|\.)"
         r"|Sep(?:t(?:ember)?)?\.|September|Oct(?:ober|\.)|Nov(?:ember|\.)|Dec(?:ember|\.))")
_MONC_SAFE = r"(?-i:January|February|April|June|July|August|September|October|November|December)"
_WDC = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAYN = rf"(?:[0-3]?\d(?:st|nd|rd|th)?(?!\d)|{_ORD_WORD})"
_NUMW = (r"(?:\d+(?:[.,]\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
         r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
         r"|a hundred|one hundred|a couple of|a few|several|many|a dozen|dozens of|hundreds of)"
         r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?")
_APPROX = (r"(?:(?:about|around|approximately|roughly|nearly|almost|some|just|only|over|under|more than|less than"
           r"|fewer than|at least|at most|up to|as many as|as much as|no more than|no less than|well over|barely"
           r"|fully|a further|another|an additional)\s+)*")
_UNIT_E = r"(?:seconds|minutes?|hours?|days?|nights?|weeks?|weekends?|fortnights?|months?|quarters?|years?|decades?" \
          r"|centur(?:y|ies))"
_SEASON_E = r"(?:spring|summer|autumn|fall|winter)"
_YEARWORD_E = r"(?:(?:1[5-9]\d\d|20\d\d)(?![\d,.]?\d)|this year|last year|next year)"

_FIND = [re.compile(p, re.IGNORECASE) for p in (
    # absolute dates and day ranges
    r"\b\d{4}-[01]\d-[0-3]\d\b",
    r"\b[01]?\d/[0-3]?\d/(?:\d{4}|\d{2})\b",
    rf"\b(?:{_WDC},?\s+)?(?:the\s+)?(?:{_MONC}\s+{_DAYN}(?:\s*(?:-|–|—|to|through|until|till|and)\s*(?:{_MONC}\s+)?"
    rf"{_DAYN})?|{_DAYN}(?:\s*(?:-|–|—|to|through|until|till|and)\s*(?:the\s+)?{_DAYN})?(?:\s+of)?\s+{_MONC}(?:\s*(?:-|–|—"
    rf"|to|through|until|till|and)\s*{_DAYN}\s+(?:of\s+)?{_MONC})?)(?:,?\s+{_YEARWORD_E})?",
    rf"\b{_MONC},?\s+(?:of\s+)?{_YEARWORD_E}",
    rf"\b(?:(?:early|late|mid|the\s+(?:middle|end|beginning|start)\s+of|last|next|this|this\s+past|this\s+coming)[\s-]+)?"
    rf"{_MONC_SAFE}\b",
    r"\b(?:(?:early|late|mid|the\s+(?:middle|end|beginning|start)\s+of|last|next|this|this\s+past|this\s+coming"
    r"|in|since|until|by|during|through|before|after)[\s-]+)(?-i:May|March)\b",
    # years, decades, centuries
    r"\b(?:(?:in|since|by|until|till|from|during|before|after|through|throughout|fiscal(?:\s+year)?|early|late|"
    r"the\s+year|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+turn\s+of|between)\s+"
    r"|mid-)(?:1[5-9]\d\d|20\d\d)(?:\s*(?:-|–|to|through|and)\s*(?:1[5-9]\d\d|20\d\d|\d\d))?\b(?![-,.]?\d|\s*%)",
    r"(?:\bthe\s+(?:(?:early|mid|late)[\s-]+)?|\b(?:early|mid|late)[\s-]+|(?<![\w'’]))(?:(?:1[5-9]|20)\d0['’]?s\b"
    r"|['’]\d0s\b)",
    r"\bthe\s+(?:(?:early|mid|late)[\s-]+)?(?:\d0s|twenties|thirties|forties|fifties|sixties|seventies|eighties"
    r"|nineties)\b",
    rf"\b(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?:\d{{1,2}}(?:st|nd|rd|th)|{_ORD_WORD})[\s-]+century\b",
    r"\b(?:this|last|next|the\s+past|the\s+last|the\s+previous|the\s+next)\s+(?:decade|century)\b",
    # quarters and halves
    rf"\b(?:(?:the|this|last|next|its|their)\s+)?(?:(?:this|last|next)\s+year['’]s\s+|(?:1[5-9]\d\d|20\d\d)(?:['’]s)?\s+)?"
    rf"(?:(?:year-ago|year-earlier|comparable|same|corresponding)\s+)*(?:(?:fiscal|calendar)[\s-]+)?{_QORD}[\s-]+"
    rf"(?:fiscal[\s-]+)?(?:quarter|half)\b(?:\s+(?:of\s+)?(?:fiscal\s+)?{_YEARWORD_E})?",
    r"\b(?:the\s+)?(?:first|last)\s+two\s+quarters\s+of\s+(?:1[5-9]\d\d|20\d\d|this\s+year|last\s+year|next\s+year)",
    r"(?-i:\b(?:Q[1-4]|[1-4]Q|H[12])(?:\s*(?:20\d\d|19\d\d|'\d\d))?\b|\b(?:19|20)\d\d\s*-?\s*(?:Q[1-4]|H[12])\b)",
    r"\b(?:the\s+)?(?:this|last|next|current|latest|previous|past|most\s+recent|coming|same|comparable|corresponding"
    r"|year-ago|year-earlier|prior-year|just-ended|just-completed)\s+(?:quarter|period)\b(?!\s+of\b)"
    r"(?:\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year))?",
    r"\bthe\s+quarter\b(?!\s+of\b|-)",
    r"\bthe\s+(?:1[5-9]\d\d|20\d\d)\s+(?:period|quarter)\b",
    # seasons
    rf"\b(?:(?:this|last|next|the|early|late|mid|this\s+past|this\s+coming)[\s-]+)+{_SEASON_E}\b"
    rf"(?!\s+of\s+(?!(?:1[5-9]\d\d|20\d\d)\b))(?:\s+(?:of\s+)?{_YEARWORD_E})?",
    rf"\b(?:in|during|since|until|by|over)\s+{_SEASON_E}\b(?!\s+of\s+(?!(?:1[5-9]\d\d|20\d\d)\b))",
    r"\b(?-i:Spring|Summer|Autumn|Fall|Winter|spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?:1[5-9]\d\d|20\d\d)\b",
    # relative periods
    r"\b(?:(?:earlier|later|early|late|mid|the\s+(?:end|beginning|start|middle|rest|remainder)\s+of)[\s-]+)?"
    r"(?:this|last|next|past|previous|coming|following|current|this\s+past|this\s+coming|the\s+(?:current|previous|"
    r"following|next|past|last|coming|same))\s+(?:week|weekend|month|year|fiscal\s+year)\b",
    r"\b(?:(?:earlier|later|early|late)\s+in|(?:at\s+)?the\s+(?:end|beginning|start|middle|turn)\s+of)\s+the\s+"
    r"(?:week|month|year|quarter|decade|century)\b",
    r"\b(?:the\s+)?(?:year|month|quarter)(?:['’]s)?[\s-]+end\b",
    r"\bthe\s+weekend\b",
    # days, weekdays, times of day
    r"\b(?:(?:early|late|earlier|later)\s+)?(?:today|tonight|yesterday|tomorrow)\b(?:\s+(?:morning|afternoon|evening|"
    r"night))?",
    r"\bthe\s+day\s+(?:before\s+yesterday|after\s+tomorrow)\b",
    r"\b(?:this|last)\s+(?:morning|afternoon|evening|night)\b",
    rf"\b(?:(?:last|next|this|this\s+coming|this\s+past|coming|early|late|earlier|later|every|each)\s+)?{_WDC}s?"
    rf"(?:\s+(?:morning|afternoon|evening|night)s?)?\b",
    r"(?<![\w.:])(?:[01]?\d(?::[0-5]\d)?\s*[ap]\.?m\b\.?|noon\b|midnight\b)(?-i:\s+(?:[ECMP][SD]T|GMT|UTC)\b)?",
    # references to the present, past and future
    r"\b(?:right\s+)?now\b",
    r"\b(?:currently|presently|nowadays|recently|lately|soon)\b",
    r"\bcurrent\b(?!\s+(?:account|accounts|affairs|events|density|flow|flows))",
    r"\brecent\b",
    r"\bat\s+present\b|\bthese\s+days\b|\b(?:more|most)\s+recently\b",
    r"\bthe\s+(?:(?:near|distant|foreseeable)\s+)?future\b",
    r"\b(?:in|for)\s+the\s+(?:near|short)\s+term\b",
    r"\bin\s+the\s+past\b|\bthe\s+past\b(?!\s+(?:and|or)\b)",
    r"\bas\s+soon\s+as\s+possible\b|\ba\s+later\s+date\b",
    # offsets, durations, sets
    rf"\b{_APPROX}(?:(?:the|this|these|those|its|their|a)\s+)?(?:(?:past|last|next|first|final|coming|previous|following|"
    rf"latest|entire|full|whole|remaining|ensuing|same|initial|preceding|succeeding|subsequent|intervening|"
    rf"more|additional|further|consecutive|straight)\s+)*{_APPROX}{_NUMW}(?:\s+(?:more|additional|full|straight|"
    rf"consecutive))?(?:\s+|-){_UNIT_E}\b(?:\s+and\s+a\s+half)?(?!-old|\s+old\b|-olds)(?:\s+(?:or\s+so\s+)?(?:ago|earlier|"
    r"later|from\s+now|hence|back)\b)?",
    r"\b(?:the\s+)?(?:comparable\s+|same\s+)?(?:year|month)-(?:ago|earlier|before)\b(?:\s+(?:period|quarter))?",
    r"\bthe\s+(?:same|corresponding|comparable|prior-year)\s+(?:period|quarter|month|week)\b(?:\s+(?:a\s+year\s+"
    r"(?:ago|earlier)|last\s+year|of\s+last\s+year|the\s+previous\s+year))?",
    r"\b(?:several|a\s+few|few|many|recent|coming|the\s+coming|the\s+next\s+few|the\s+last\s+few|the\s+past\s+few"
    r"|the\s+next\s+several|the\s+past\s+several|the\s+last\s+several)\s+(?:years|months|weeks|days|hours|decades"
    r"|centuries)\b(?:\s+(?:ago|earlier|later))?",
    r"\bthe\s+(?:years|months|weeks|days)\s+ahead\b",
    rf"\b(?:every|each)\s+(?:other\s+)?(?:{_NUMW}\s+)?(?:{_UNIT_E}|{_WDC}|{_MONC_SAFE}|{_SEASON_E})\b",
    r"\b(?:annually|yearly|biannually|semi-?annually|quarterly|monthly|bimonthly|weekly|biweekly|fortnightly|daily"
    r"|nightly|hourly)\b",
    rf"\b(?:once|twice|thrice|{_NUMW}\s+times)\s+(?:a|an|per|each|every)\s+(?:year|month|week|day|hour|quarter)\b",
)]

_LEAD = re.compile(
    r"^(?:(?:on|in|at(?!\s+(?:least|most)\b)|since|from|by|until|till|through|throughout|during|before|after|for"
    r"|within|of|to|between|as\s+of|into|starting|beginning|both|either|over|under|its|their|his|her|our|just|only"
    r"|barely)\s+)+", re.IGNORECASE)
# TIMEX3 leaves the article out of an adjectival duration or period: "a two-year (term)", "the third-quarter (loss)"
_ADJ_DET = re.compile(
    r"^(?:a|an|the)\s+(?=[\w.]+-(?:year|month|week|day|hour|minute|quarter|half)\b|(?:\d+|one|two|three|four|five|six"
    r"|seven|eight|nine|ten|twelve|fifteen|twenty|thirty)\s+(?:year|month|week|day|hour|minute)\b(?!s))",
    re.IGNORECASE)
_TAIL = re.compile(r"(?:['’]s|['’]|[\s,;:.!?\"()\[\]-])+$")
_KEYWORD = re.compile(
    r"\b(?:\d{4}|\d0s|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|(?:mon|tues|wednes|thurs|fri|satur|"
    r"sun)days?|seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|months?|quarters?|years?|decades?|centur(?:y|ies)|"
    r"spring|summer|autumn|fall|winter|morning|afternoon|evening|today|tomorrow|yesterday|now)\b", re.IGNORECASE)
_NOT_TIME = re.compile(r"\b(?:old|aged?|olds)\b|-old\b|%|\bpercent\b|\$", re.IGNORECASE)
_FRACTION = re.compile(r"\b(?:a|an|one|two|three)[\s-]quarters?$", re.IGNORECASE)
_AGE_AFTER = re.compile(r"[\s-]*(?:old|olds)\b", re.IGNORECASE)
_ADJ_SETS = {"annual", "quarterly", "daily", "weekly", "monthly", "yearly", "nightly", "hourly", "biweekly",
             "bimonthly", "future", "past", "fall", "spring", "morning", "afternoon", "evening", "night",
             "weekend", "overnight"}
_GAP = re.compile(r"^[\s,]*(?:(?:on|of|at|in)\s+)?$")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    seg = text[start:end]
    if m := _LEAD.match(seg):
        start += m.end()
    if m := _ADJ_DET.match(text, start, end):
        start = m.end()
    seg = text[start:end]
    if m := _TAIL.search(seg):
        keep = m.start()
        # keep the dot of an abbreviation ("Oct.", "p.m.")
        if seg[keep:keep + 1] == "." and re.search(r"(?:\b[A-Z][a-z]{2,3}|\b[ap]\.m|\b[A-Z])$", seg[:keep]):
            keep += 1
        end = start + keep
    return start, end


def extract_dates(doc: Doc, published: date | None) -> list[TimeSpan]:
    """Every temporal expression in ``doc`` in text order, non-overlapping, resolved against ``published``
    and its clause's tense; each carries its ``span`` (character offsets into ``doc.text`` and the index
    of its sentence in ``list(doc.sents)``)."""
    text = doc.text
    cands: list[tuple[int, int, bool]] = []  # start, end, from spaCy
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            s, e = _trim(text, ent.start_char, ent.end_char)
            if e > s:
                cands.append((s, e, True))
    for rx in _FIND:
        for m in rx.finditer(text):
            s, e = _trim(text, m.start(), m.end())
            if e > s:
                cands.append((s, e, False))
    if not cands:
        return []
    cands.sort(key=lambda c: (c[0], -c[1]))

    sent_starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    ctx = _Ctx(published)
    out: list[TimeSpan] = []
    i = 0
    while i < len(cands):
        # a cluster of overlapping candidates
        group = [cands[i]]
        end = cands[i][1]
        j = i + 1
        while j < len(cands) and cands[j][0] < end:
            group.append(cands[j])
            end = max(end, cands[j][1])
            j += 1
        i = j
        for s, e, spacy_found in _choose(group, text, ctx, doc, sent_starts):
            # merge with a following expression it touches ("10 p.m. Wednesday", "Monday, Oct. 23")
            if i < len(cands) and _GAP.match(text[e:cands[i][0]]) and cands[i][0] > e:
                ns, ne = cands[i][0], cands[i][1]
                merged = _resolve_at(text, s, ne, ctx, doc, sent_starts)
                if merged is not None and merged.start:
                    k = i
                    while k < len(cands) and cands[k][0] < ne:
                        ne = max(ne, cands[k][1])
                        k += 1
                    i = k
                    _add(out, ctx, merged, text, s, ne, sent_starts)
                    continue
            ts = _resolve_at(text, s, e, ctx, doc, sent_starts)
            if ts is None and spacy_found and _KEYWORD.search(text[s:e]) and not _NOT_TIME.search(text[s:e]) \
                    and not _AGE_AFTER.match(text, e):
                ts = _unresolved(None)
            if ts is not None:
                _add(out, ctx, ts, text, s, e, sent_starts)
    return out


def _add(out: list[TimeSpan], ctx: _Ctx, ts: TimeSpan, text: str, s: int, e: int, sent_starts: list[int]) -> None:
    sent = bisect_right(sent_starts, s) - 1
    ts = TimeSpan(ts.start, ts.end, ts.granularity, ts.type, ts.value, Span(s, e, text[s:e], sent))
    out.append(ts)
    if ts.start and ts.type in ("DATE", "TIME") and not ctx.used_anchor:
        ctx.history.append((sent, ts))


def _choose(group: list[tuple[int, int, bool]], text: str, ctx: _Ctx, doc: Doc,
            sent_starts: list[int]) -> list[tuple[int, int, bool]]:
    """From overlapping candidates: their union if it resolves, else the longest ones that do."""
    if len(group) == 1:
        return group
    s, e = min(g[0] for g in group), max(g[1] for g in group)
    spacy_found = any(g[2] for g in group)
    if _resolve_at(text, s, e, ctx, doc, sent_starts, probe=True) is not None:
        return [(s, e, spacy_found)]
    chosen: list[tuple[int, int, bool]] = []
    for g in sorted(group, key=lambda g: g[0] - g[1]):
        if any(g[0] < c[1] and c[0] < g[1] for c in chosen):
            continue
        if _resolve_at(text, g[0], g[1], ctx, doc, sent_starts, probe=True) is not None:
            chosen.append(g)
    if not chosen:
        longest = max(group, key=lambda g: g[1] - g[0])
        chosen = [longest]
    return sorted(chosen)


def _resolve_at(text: str, s: int, e: int, ctx: _Ctx, doc: Doc, sent_starts: list[int],
                probe: bool = False) -> TimeSpan | None:
    seg = text[s:e]
    if _NOT_TIME.search(seg) or _AGE_AFTER.match(text, e):
        return None
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    if len(span) == 1 and root.lower_ in _ADJ_SETS and root.dep_ in ("amod", "compound"):
        return None
    if _FRACTION.search(seg) and re.match(r"\s+of\b", text[e:e + 4]):
        return None  # "three-quarters of its food"
    ctx.tense = clause_tense(root)
    ctx.sentence = bisect_right(sent_starts, s) - 1
    ctx.used_anchor = False
    return _resolve(seg, ctx)
