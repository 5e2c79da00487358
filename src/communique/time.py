"""Temporal expressions: found in a parsed document and resolved to calendar spans.

Three public functions::

    extract_dates(doc, published) -> list[TimeSpan]    every expression in a spaCy Doc, in text order
    resolve(text, published, tense) -> TimeSpan | None  one expression's text, resolved
    clause_tense(token) -> "past" | "present" | "future" | None

**Finding.** Candidates come from spaCy's DATE and TIME entities and from the patterns in
``_FIND`` (spaCy misses "now", "recently", day ranges, seasons, ... and mis-bounds others).
Overlapping candidates are merged when their union resolves, and so are neighbours separated by
a comma or "on"/"of"/"at" ("10 p.m. Wednesday", "Monday, Oct. 23"). Spans follow TIMEX3: a
leading preposition ("on Monday", "in June", "since 2018", "for 10 years") and the article of an
adjectival duration ("a two-year term") stay outside the span; ``resolve`` accepts them anyway.
An expression spaCy found that no rule understands is kept with null values.

**Resolving.** A ``TimeSpan`` gives the first and last day covered (full ISO days), a
granularity, a TIMEX3 type and a TIMEX3-like value:

- days ``2023-10-26``; day ranges ``2023-10-26/2023-10-28`` (granularity day); weeks ``2023-W43``
  (Monday..Sunday); weekends ``2023-W43-WE`` (Saturday..Sunday, granularity day); months
  ``2023-06``; quarters ``2023-Q2`` and halves ``2023-H1`` (granularity quarter); seasons
  ``2023-SU`` (granularity season, meteorological months of the northern hemisphere: spring
  March-May, summer June-August, autumn September-November, winter December to February of the
  next year); years ``2018``; year ranges ``2018/2020``; decades ``199`` (1990-1999); centuries
  ``19`` (1900-1999, "the 20th century").
- TIME ("7:15 p.m. Friday", "this morning", "last night") is reduced to its day; the value keeps
  the clock time (``2023-10-20T19:15``) or the part of day (``2023-10-24TMO``, ``TNI``).
- ``PRESENT_REF`` ("now", "currently"), ``PAST_REF`` ("recently"), ``FUTURE_REF`` ("soon", "the
  future"), DURATION ("two months" ``P2M``, "for 10 years" ``P10Y``, "a two-year term", vague
  "several weeks" ``PXW``) and SET ("every year" ``P1Y``, "annually", "each Thursday"
  ``XXXX-WXX-4``) have no start, end or granularity.

Relative expressions are resolved against the publication date and the tense of their clause
(``clause_tense``). A weekday named alone is the latest one up to the publication day in past
tense or with no tense, the next one from the publication day in future tense, the nearest one
in present tense. A season, a month or a month-day without a year is chosen the same way, except
that a month or month-day beginning within the next two months is taken whatever the tense ("the
offer was extended to Nov. 16": news names the current year's dates without a year). Quarters and halves
without a year are the publication year's (in past tense, last year's if not begun yet). "later
this week" runs from the day after publication to Sunday and "earlier this week" from Monday to
the day before; other modifiers ("early", "late", "the end of") keep the whole period, as TIMEX3
does. "the past week" and "the next two years" are durations; "last week" is a date.

Inside a document, anaphoric expressions are resolved against the dates found before them (but
never against a date that was itself resolved that way): "a year earlier" and "the year-ago
quarter" shift the quarter or date just talked about, "the quarter" and "the period" repeat it,
"the following day", "that year", "the previous Friday" follow it. Financial news names a
quarter and then compares it with "a year ago": a year offset prefers the quarter.

With ``published`` None, relative expressions come back with ``start``, ``end`` and ``value``
None (granularity kept); absolute ones resolve as usual.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from communique.nlp import sentence_bounds
from communique.records import Span, TimeSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = ["TENSES", "clause_tense", "extract_dates", "resolve", "shift_days"]

TENSES = ("past", "present", "future")

# ----------------------------------------------------------------------------- lexicon

_MONTHS = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
_WEEKDAYS = {d: i for i, d in enumerate("mon tue wed thu fri sat sun".split())}  # Monday is 0, as in date
_WEEKDAY_WORD = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*day|\b(mon|tues?|wed|thu|thurs|fri|sat|sun)\b", re.I)
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # 14: February of the next year
_PART_OF_DAY = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI", "overnight": "TNI",
                "noon": "T12:00", "midday": "T12:00", "midnight": "T24:00"}

_NUM_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
              "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_NUM_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
             "ninety": 90}
_NUM_WORDS = {w: i for i, w in enumerate(_NUM_UNITS)} | _NUM_TENS
_ORD_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_ORD_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
              "seventeenth", "eighteenth", "nineteenth", "twentieth"]
_ORDINALS = ({w: i + 1 for i, w in enumerate(_ORD_UNITS)} | {w: i + 10 for i, w in enumerate(_ORD_TEENS)}
             | {f"twenty-{w}": 21 + i for i, w in enumerate(_ORD_UNITS)} | {"thirtieth": 30, "thirty-first": 31})
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}

# unit -> (granularity of "N units ago", TIMEX3 duration letter, multiplier); "T" marks a time unit
_UNITS: dict[str, tuple[str | None, str, int]] = {
    "second": (None, "TS", 1), "minute": (None, "TM", 1), "hour": (None, "TH", 1),
    "day": ("day", "D", 1), "night": ("day", "D", 1), "week": ("week", "W", 1), "fortnight": ("week", "W", 2),
    "weekend": ("week", "WE", 1), "month": ("month", "M", 1), "quarter": ("quarter", "Q", 1),
    "year": ("year", "Y", 1), "decade": ("decade", "Y", 10), "century": ("century", "Y", 100),
}
# a fractional quantity goes one unit down: 2.5 years -> P2Y6M, 1.5 days -> P1DT12H
_SUBUNIT = {"Y": ("M", 12), "W": ("D", 7), "D": ("TH", 24), "TH": ("TM", 60), "TM": ("TS", 60)}
_GRAN_ORDER = {g: i for i, g in enumerate(("day", "week", "month", "quarter", "season", "year", "decade",
                                            "century"))}

_REFS = {
    "PRESENT_REF": ("now", "right now", "just now", "for now", "currently", "current", "presently",
                    "at present", "nowadays", "these days", "at the moment", "the moment", "this moment",
                    "the present", "present", "to date", "so far"),
    "PAST_REF": ("recently", "recent", "more recently", "most recently", "lately", "formerly", "the past",
                 "past", "in the past", "once", "years ago", "months ago", "weeks ago", "long ago",
                 "some time ago", "a while ago", "a while back", "earlier", "previously", "before", "then"),
    "FUTURE_REF": ("soon", "shortly", "the future", "future", "the near future", "the foreseeable future",
                   "the distant future", "in the future", "the near term", "the short term",
                   "as soon as possible", "a later date", "later", "eventually", "someday", "one day",
                   "some day"),
}
_REF_OF = {w: ref for ref, words in _REFS.items() for w in words}
_SET_ADVERBS = {"annually": "P1Y", "yearly": "P1Y", "annual": "P1Y", "biannually": "P6M",
                "semiannually": "P6M", "semi-annually": "P6M", "quarterly": "P3M", "monthly": "P1M",
                "bimonthly": "P2M", "weekly": "P1W", "biweekly": "P2W", "fortnightly": "P2W", "daily": "P1D",
                "nightly": "P1D", "hourly": "PT1H"}
_REL_YEARS = {"this year": 0, "last year": -1, "next year": 1, "the current year": 0, "the previous year": -1,
              "the following year": 1}
_STEPS = {"last": -1, "previous": -1, "the previous": -1, "this past": -1, "past": -1, "latest": -1,
          "most recent": -1, "just-ended": -1, "just-completed": -1, "recent": -1, "next": 1, "coming": 1,
          "following": 1, "the following": 1, "this coming": 1}

# ----------------------------------------------------------------------------- patterns on normalised text

_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
        r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WD = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|\.)?"
_ORD_WORD = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_DAY = rf"(?:[0-3]?\d(?:st|nd|rd|th)?|{_ORD_WORD})"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)"
_YEARWORD = rf"(?:{_YEAR}|'\d\d|{'|'.join(_REL_YEARS)})"
_SEP = r"\s*(?:-|to|through|thru|until|till|and)\s*"
_UNIT = r"(?:second|minute|hour|day|night|weekend|week|fortnight|month|quarter|year|decade|centur(?:y|ie))s?"
_NUM = r"(?:\d+(?:\.\d+)?|an?)"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_QORD = r"(?:first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
_VAGUE = (r"(?:several|a few|few|some|many|a number of|numerous|dozens of|hundreds of|thousands of|recent"
          r"|past|future|coming|the coming|the next few|the last few|the past few|the next several"
          r"|the past several|the last several|the first few|the early|the first|the|those|these"
          r"|the intervening|the ensuing)")
_CLOCK = r"(?P<h>[012]?\d)(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap])\.?m\.?(?:\s+[a-z]{1,3}t)?"
_TOD = (r"(?:(?:early|late|mid)[\s-]?)?(?P<pod>morning|afternoon|evening|night|noon|midday|midnight"
        rf"|overnight)|(?:at\s+|around\s+|about\s+)?{_CLOCK}")

_PREFIX_WORDS = (
    "on", "in", "at", "since", "from", "by", "until", "till", "through", "throughout", "during", "before",
    "after", "for", "within", "of", "to", "between", "around", "about", "approximately", "roughly", "nearly",
    "almost", "some", "just", "only", "fully", "over", "under", "more than", "less than", "fewer than",
    "at least", "at most", "up to", "as many as", "as much as", "as early as", "as late as", "as long as",
    "no later than", "no more than", "no less than", "not until", "as of", "beginning", "starting",
    "effective", "circa", "well over", "barely", "a further", "another", "an additional",
    "the better part of", "much of", "most of", "all of", "part of", "each of", "the whole of", "both",
    "either", "sometime", "some time",
)
_PREFIX = re.compile(  # longest first, so that "at least" is not taken for "at"
    r"^(?:(?:" + "|".join(sorted(_PREFIX_WORDS, key=len, reverse=True)) + r")\s+)+")
_MODIFIER = re.compile(
    r"^(?P<mod>early|earlier|late|later|mid|the middle of|middle of|the end of|end of|the beginning of"
    r"|beginning of|the start of|start of|the rest of|the remainder of|the close of|the turn of"
    r"|the first days of|the last days of|the first part of|the latter part of|the early part of"
    r"|the latter half of)(?:\s+|-)(?=\S)")
_NUMWORD = "|".join(sorted(_NUM_WORDS, key=len, reverse=True) + ["hundred", "thousand"])
_NUMWORD_RE = re.compile(  # runs of number words, but not the "twenty" of "twenty-first"
    rf"\b(?:{_NUMWORD})(?:[\s-]+(?:and[\s-]+)?(?:{_NUMWORD}))*\b"
    rf"(?!-(?:{'|'.join(_ORD_UNITS)})|\s(?:first|third|fourth|fifth|sixth|seventh|eighth|ninth)\b)")


# ----------------------------------------------------------------------------- calendar helpers

def _iso(d: date) -> str:
    return d.isoformat()


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def shift_days(d: date, days: int) -> date:
    """``d`` moved by ``days``, held at the calendar's ends (``date.min``, ``date.max``) instead of
    raising OverflowError: a placeholder date such as ``0001-01-01`` is a date, not a coding error."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return date.min if days < 0 else date.max


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
    """The Saturday and Sunday of the Monday-Sunday week containing ``d``."""
    sat = d - timedelta(days=d.weekday() - 5)
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
    return _ts(date(y, a, 1), _month_end(*_add_months(y, a, b - a)), "season", f"{y:04d}-{code}")


def _ref(value: str) -> TimeSpan:
    return TimeSpan(None, None, None, "DATE", value)


def _dur(value: str) -> TimeSpan:
    return TimeSpan(None, None, None, "DURATION", value)


def _set(value: str) -> TimeSpan:
    return TimeSpan(None, None, None, "SET", value)


def _unresolved(gran: str | None, type_: str = "DATE") -> TimeSpan:
    """A relative expression that cannot be placed (no publication date)."""
    return TimeSpan(None, None, gran, type_, None)


def _number(s: str) -> float | None:
    if s in ("a", "an"):
        return 1.0
    half = 0.5 if s.endswith(" 1/2") else 0.0
    try:
        return float(s.removesuffix(" 1/2").replace(",", "")) + half
    except ValueError:
        return None


def _fmt(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _unit(u: str) -> str:
    return "century" if u.startswith("centur") else u.removesuffix("s")


def _duration_value(n: float | None, unit: str) -> str:
    _, letter, mult = _UNITS[unit]
    parts = [(letter, "X")]
    if n is not None:
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
    if s in _ORDINALS:
        return _ORDINALS[s]
    m = re.match(r"\d+", s)
    return int(m.group(0)) if m else None


def _month_num(s: str) -> int:
    return _MONTHS[s[:3]]


def _weekday_num(s: str) -> int:
    return _WEEKDAYS[s[:3]]


_NEAR_FUTURE_DAYS = 60


def _pick(cands: list[TimeSpan], pub: date, tense: str | None, near_future: bool = False) -> TimeSpan:
    """One of ``cands`` (in calendar order): the latest begun by ``pub`` in past tense or with no tense, the
    first not over by ``pub`` in future tense, the one containing or nearest ``pub`` in present tense. With
    ``near_future``, one beginning within the next two months is taken whatever the tense."""
    p = _iso(pub)
    if tense == "future":
        return next((c for c in cands if (c.end or "") >= p), cands[-1])
    if tense == "present":
        def distance(c: TimeSpan) -> int:
            a, b = date.fromisoformat(c.start or p), date.fromisoformat(c.end or p)
            return 0 if a <= pub <= b else min(abs((a - pub).days), abs((b - pub).days))
        return min(cands, key=distance)
    if near_future:
        ahead = [c for c in cands if (c.start or "") > p]
        if ahead and (date.fromisoformat(ahead[0].start or p) - pub).days <= _NEAR_FUTURE_DAYS:
            return ahead[0]
    past = [c for c in cands if (c.start or "") <= p]
    return past[-1] if past else cands[0]


def _shift(ts: TimeSpan, n: int, unit: str) -> TimeSpan | None:
    """``ts`` moved by ``n`` units (negative: back), keeping its granularity; None where that cannot be."""
    if not ts.start:
        return None
    a, g = date.fromisoformat(ts.start), ts.granularity
    if unit in ("day", "night", "week", "fortnight"):
        moved = a + timedelta(days=n * {"week": 7, "fortnight": 14}.get(unit, 1))
        return _day(moved) if g == "day" else _week(moved) if g == "week" else None
    months = n * {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}.get(unit, 0)
    if not months:
        return None
    y, m = _add_months(a.year, a.month, months)
    if g == "day":
        return _day(date(y, m, min(a.day, calendar.monthrange(y, m)[1])))
    if g == "month":
        return _month(y, m)
    if g == "quarter":
        return _half(y, (m - 1) // 6 + 1) if "-H" in (ts.value or "") else _quarter(y, (m - 1) // 3 + 1)
    if g == "season" and ts.value:
        return _season(y, ts.value[-2:])
    if g == "year" and months % 12 == 0:
        return _year(y)
    return None


def _offset(n: float, unit: str, base: date) -> TimeSpan:
    """The date ``n`` units before ``base`` (negative: after), at the unit's granularity."""
    k = int(round(n))
    if unit in ("second", "minute", "hour"):
        return _day(base)
    if unit in ("day", "night"):
        return _day(base - timedelta(days=k))
    if unit in ("week", "fortnight", "weekend"):
        return _week(base - timedelta(days=7 * k * (2 if unit == "fortnight" else 1)))
    if unit in ("month", "quarter"):
        y, mo = _add_months(base.year, base.month, -k * (3 if unit == "quarter" else 1))
        return _month(y, mo) if unit == "month" else _quarter(y, (mo - 1) // 3 + 1)
    if unit == "year":
        return _year(base.year - k)
    if unit == "decade":
        return _decade(base.year // 10 - k)
    return _century(base.year // 100 - k)


# ----------------------------------------------------------------------------- resolution context and rules

@dataclass
class _Ctx:
    """What a resolution may look at: the publication date, the clause's tense, the modifier stripped off
    ("later", "the end of") and the dates found before in the document."""

    pub: date | None
    tense: str | None = None
    sentence: int = 0
    mod: str = ""
    history: list[tuple[int, TimeSpan]] = field(default_factory=list)
    used_anchor: bool = False

    def anchor(self, grans: tuple[str, ...], back: int | None = None) -> TimeSpan | None:
        """The latest date found so far with one of ``grans``, at most ``back`` sentences back."""
        self.used_anchor = True
        for sent, ts in reversed(self.history):
            if back is not None and sent < self.sentence - back:
                return None
            if ts.granularity in grans:
                return ts
        return None


_Rule = Callable[[re.Match[str], _Ctx], TimeSpan | None]
_RULES: list[tuple[re.Pattern[str], _Rule]] = []


def _rule(pattern: str) -> Callable[[_Rule], _Rule]:
    """Register a rule: ``pattern`` must match the whole normalised expression; the rule may decline (None)."""
    def register(fn: _Rule) -> _Rule:
        _RULES.append((re.compile(pattern), fn))
        return fn
    return register


def _year_of(word: str | None, ctx: _Ctx) -> int | None:
    """An explicit year phrase ("2023", "this year", "'98") as a year."""
    if not word:
        return None
    if re.fullmatch(r"\d{4}", word):
        return int(word)
    if ctx.pub is None:
        return None
    if m := re.fullmatch(r"'(\d\d)", word):
        y = ctx.pub.year // 100 * 100 + int(m.group(1))
        return y - 100 if y > ctx.pub.year + 10 else y
    return ctx.pub.year + _REL_YEARS[word] if word in _REL_YEARS else None


# --- absolute dates

@_rule(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:t[\d:.]+z?)?")
def _r_iso(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    return _day(date(int(m["y"]), int(m["m"]), int(m["d"])))


@_rule(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})")
def _r_numeric(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if y < 100:
        y += 2000 if y < 50 else 1900
    mo, d = (a, b) if a <= 12 else (b, a)  # US order, unless the first number cannot be a month
    return _day(date(y, mo, d))


def _day_in_year(mo: int, d: int, y: int | None, ctx: _Ctx, weekday: int | None = None) -> date | None:
    """A month-day in its explicit year, or in the year that publication date, tense and weekday choose."""
    if y is not None:
        return date(y, mo, d)
    if ctx.pub is None:
        return None
    cands = [_day(date(yy, mo, d)) for yy in (ctx.pub.year - 1, ctx.pub.year, ctx.pub.year + 1)
             if d <= calendar.monthrange(yy, mo)[1]]
    if weekday is not None:
        cands = [c for c in cands if date.fromisoformat(c.start or "").weekday() == weekday] or cands
    return date.fromisoformat(_pick(cands, ctx.pub, ctx.tense, near_future=True).start or "")


def _day_range(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    m2 = _month_num(m["m2"] or m["m1"])
    m1 = _month_num(m["m1"] or m["m2"])
    d1, d2 = _ordinal(m["d1"]), _ordinal(m["d2"])
    y, y1 = _year_of(m["y"], ctx), _year_of(m["y1"], ctx)
    if not d1 or not d2:
        return None
    wraps = (m2, d2) < (m1, d1)  # "December 30 - January 2"
    first = _day_in_year(m1, d1, y1 if y1 is not None else y - wraps if y is not None else None, ctx)
    if first is None:
        return _unresolved("day")
    last = date(y if y is not None else first.year + wraps, m2, d2)
    return _days(first, last) if last >= first else None


_DAY_YEAR = rf"(?:,?\s+(?P<y1>{_YEAR}))?"  # "December 30, 2023 - January 2, 2024"
_r_md_range = _rule(rf"(?:{_WD},?\s+)?(?P<m1>{_MON})\s+(?P<d1>{_DAY}){_DAY_YEAR}{_SEP}(?:(?P<m2>{_MON})\s+)?"
                    rf"(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEARWORD}))?")(_day_range)
_r_dm_range = _rule(rf"(?:the\s+)?(?P<d1>{_DAY})(?:\s+(?:of\s+)?(?P<m1>{_MON}){_DAY_YEAR})?{_SEP}(?:the\s+)?"
                    rf"(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MON})(?:,?\s+(?P<y>{_YEARWORD}))?")(_day_range)


@_rule(rf"(?:(?P<wd>{_WD}),?\s+)?(?:(?P<m1>{_MON})\s+(?:the\s+)?(?P<d1>{_DAY})|(?:the\s+)?(?P<d2>{_DAY})\s+"
       rf"(?:of\s+)?(?P<m2>{_MON}))(?:,?\s+(?P<y>{_YEARWORD}))?")
def _r_month_day(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    d = _ordinal(m["d1"] or m["d2"])
    if not d:
        return None
    wd = _weekday_num(m["wd"]) if m["wd"] else None
    got = _day_in_year(_month_num(m["m1"] or m["m2"]), d, _year_of(m["y"], ctx), ctx, wd)
    return _day(got) if got else _unresolved("day")


@_rule(rf"(?P<mon>{_MON}),?\s+(?:of\s+)?(?P<y>{_YEARWORD})")
def _r_month_year(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    y = _year_of(m["y"], ctx)
    return _month(y, _month_num(m["mon"])) if y else _unresolved("month")


@_rule(rf"(?P<rel>this|last|next|this past|this coming|past|coming)?\s*(?P<mon>{_MON})")
def _r_month(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    if ctx.pub is None:
        return _unresolved("month")
    mo, pub, rel = _month_num(m["mon"]), ctx.pub, m["rel"] or ""
    cands = [_month(y, mo) for y in (pub.year - 1, pub.year, pub.year + 1)]
    this = _iso(pub)[:7]
    if rel in ("last", "this past", "past"):
        # said in March, "last February" is a year before: the month just gone would be "last month"
        prev = "{:04d}-{:02d}".format(*_add_months(pub.year, pub.month, -1))
        return [c for c in cands if (c.value or "") < this and (c.value != prev or rel != "last")][-1]
    if rel in ("next", "this coming", "coming"):
        return next(c for c in cands if (c.value or "") > this)
    return cands[1] if rel == "this" else _pick(cands, pub, ctx.tense, near_future=True)


@_rule(rf"(?:the\s+)?(?:year\s+|fiscal\s+(?:year\s+)?|calendar\s+(?:year\s+)?|fy\s*)?(?P<y>{_YEAR}|'\d\d)"
       r"(?:\s+or\s+(?:later|earlier|so|before|after)|\s+(?P<period>period|quarter)|\s+season)?")
def _r_year(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    y = _year_of(m["y"], ctx)
    if y is None:
        return _unresolved("year")
    if m["period"] and (q := ctx.anchor(("quarter",), back=3)) and q.start:
        return _shift(q, y - int(q.start[:4]), "year")  # "the 1988 period": the quarter talked about, in 1988
    return _year(y)


@_rule(rf"(?:the\s+years?\s+|between\s+)?(?P<a>{_YEAR})\s*(?:-|/|to|through|and|until|till)\s*(?P<b>{_YEAR}|\d\d)")
def _r_years(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    a, b = int(m["a"]), int(m["b"])
    if b < 100:
        b += a // 100 * 100
    return _years(a, b) if a < b <= a + 100 else None


@_rule(r"(?:the\s+)?(?:(?:early|mid|late|the\s+\w+\s+half\s+of\s+the)[\s-]+)?"
       r"(?:(?P<dec>\d{3})0'?s|'?(?P<short>\d)0'?s|(?P<word>twenties|thirties|forties|fifties|sixties|seventies"
       r"|eighties|nineties))")
def _r_decade(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    if m["dec"]:
        return _decade(int(m["dec"]))
    if ctx.pub is None:
        return _unresolved("decade")
    dec = ctx.pub.year // 100 * 10 + (int(m["short"]) if m["short"] else _DECADE_WORDS[m["word"]])
    return _decade(dec if dec * 10 <= ctx.pub.year else dec - 10)  # the latest such decade begun


@_rule(rf"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<n>\d{{1,2}}(?:st|nd|rd|th)|{_ORD_WORD})[\s-]+century")
def _r_century(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    n = _ordinal(m["n"])
    return _century(n - 1) if n else None


@_rule(r"(?P<rel>this|last|next|the past|the last|the previous|the next|the current|the)\s+"
       r"(?P<u>decade|century)")
def _r_rel_decade(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    rel, u = m["rel"], m["u"]
    if rel in ("the past", "the next"):
        return _dur(_duration_value(1, u))
    if ctx.pub is None:
        return _unresolved(u)
    step = {"last": -1, "the last": -1, "the previous": -1, "next": 1}.get(rel, 0)
    return _decade(ctx.pub.year // 10 + step) if u == "decade" else _century(ctx.pub.year // 100 + step)


# --- quarters, halves, seasons

def _in_year(make: Callable[[int], TimeSpan], y: int | None, ctx: _Ctx) -> TimeSpan:
    """A part of a year named without its year: the publication year's, or last year's when the clause is
    in past tense and that part has not begun yet."""
    if y is not None:
        return make(y)
    if ctx.pub is None:
        return _unresolved("quarter")
    ts = make(ctx.pub.year)
    return make(ctx.pub.year - 1) if ctx.tense == "past" and (ts.start or "") > _iso(ctx.pub) else ts


@_rule(rf"(?:the\s+|its\s+|their\s+|a\s+)?(?:(?P<y1>{_YEARWORD})(?:'s)?\s+)?(?:(?P<ago>year-ago|year-earlier"
       rf"|comparable|same|corresponding)\s+)*(?:(?:fiscal|calendar)[\s-]+)?(?P<n>{_QORD})[\s-]+(?:fiscal[\s-]+)?"
       rf"(?P<u>quarter|half)(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<y2>{_YEARWORD}))?")
def _r_quarter(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    top = 4 if m["u"] == "quarter" else 2
    n = top if m["n"] in ("final", "last") else _ordinal(m["n"])
    if not n or n > top:
        return None
    ts = _in_year(lambda y: _quarter(y, n) if top == 4 else _half(y, n), _year_of(m["y1"] or m["y2"], ctx), ctx)
    if m["ago"] and m["ago"].startswith("year-") and ts.start:
        return _shift(ts, -1, "year")
    return ts


@_rule(rf"(?:the\s+)?(?P<n>first|last|final|1st)\s+(?:2|two)\s+quarters\s+(?:of\s+)?(?P<y>{_YEARWORD})")
def _r_two_quarters(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    y = _year_of(m["y"], ctx)
    return _half(y, 1 if m["n"] in ("first", "1st") else 2) if y else _unresolved("quarter")


@_rule(rf"(?:q(?P<q1>[1-4])|(?P<q2>[1-4])q|h(?P<h1>[12]))\s*(?P<y>{_YEAR}|'?\d\d)?"
       rf"|(?P<y2>{_YEAR})\s*-?\s*(?:q(?P<q3>[1-4])|h(?P<h2>[12]))")
def _r_q_short(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    y = None
    if ys := (m["y"] or m["y2"] or "").lstrip("'"):
        y = int(ys) if len(ys) == 4 else int(ys) + (2000 if int(ys) < 50 else 1900)
    if q := m["q1"] or m["q2"] or m["q3"]:
        return _in_year(lambda yy: _quarter(yy, int(q)), y, ctx)
    return _in_year(lambda yy: _half(yy, int(m["h1"] or m["h2"])), y, ctx)


@_rule(r"(?:the\s+)?(?:(?P<y>this|last|next) year's\s+)?(?:comparable\s+)?(?P<rel>this|last|next|current|latest"
       r"|previous|past|most recent|coming|same|comparable|corresponding|year-ago|year-earlier|prior-year"
       r"|year-before|just-ended|just-completed|recent|fiscal)?\s*(?P<u>quarter|period)"
       r"(?P<ly>\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year))?")
def _r_rel_quarter(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    """"the quarter", "the latest period", "the year-ago quarter": the quarter talked about (shifted a year
    back for "year-ago"), else the publication's; "the period" needs a quarter talked about."""
    rel = m["rel"] or ""
    year_ago = bool(m["ly"]) or rel in ("year-ago", "year-earlier", "prior-year", "year-before")
    anchor = ctx.anchor(("quarter",))
    if m["y"] and anchor and anchor.start and ctx.pub:  # "last year's quarter": the quarter talked about
        return _shift(anchor, ctx.pub.year + _REL_YEARS[m["y"] + " year"] - int(anchor.start[:4]), "year")
    if m["u"] == "period" and not anchor:
        return None
    if anchor and (rel in ("", "same", "comparable", "corresponding", "fiscal") or year_ago):
        return _shift(anchor, -1, "year") if year_ago else anchor
    if ctx.pub is None:
        return _unresolved("quarter")
    step = -1 if rel == "" and ctx.tense == "past" else _STEPS.get(rel, 0)
    y, mo = _add_months(ctx.pub.year, ctx.pub.month, 3 * step)
    ts = _quarter(y, (mo - 1) // 3 + 1)
    return _shift(ts, -1, "year") if year_ago else ts


@_rule(rf"(?:the\s+)?(?P<rel>this|last|next|past|coming|this past|this coming|early|late|mid)?[\s-]*"
       rf"(?P<s>{_SEASON})(?:'s)?(?:\s+(?:of\s+)?(?P<y>{_YEARWORD}))?")
def _r_season(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    code, y = _SEASONS[m["s"]], _year_of(m["y"], ctx)
    if y is not None:
        return _season(y, code)
    if ctx.pub is None:
        return _unresolved("season")
    pub, p, rel = ctx.pub, _iso(ctx.pub), m["rel"] or ""
    cands = [_season(yy, code) for yy in range(pub.year - 2, pub.year + 2)]
    if rel in ("last", "past", "this past"):
        return [c for c in cands if (c.end or "") < p][-1]
    if rel in ("next", "coming", "this coming"):
        return next(c for c in cands if (c.start or "") > p)
    if rel == "this":
        return next((c for c in cands if (c.start or "") <= p <= (c.end or "")), _season(pub.year, code))
    return _pick(cands, pub, ctx.tense)


# --- relative periods

@_rule(r"(?P<rel>this|last|next|past|previous|coming|following|current|this past|this coming|the current"
       r"|the previous|the following|the next|the past|the last|the coming|that|the same|the)\s+"
       r"(?P<u>week|weekend|month|year|fiscal year|full year|day)")
def _r_rel_period(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    rel, u = m["rel"], m["u"].removeprefix("fiscal ")
    if rel == "the" and u == "full year":
        rel, u = "this", "year"
    if rel in ("the past", "the last", "the next", "the coming", "past") or (rel == "the" and not ctx.mod):
        if u != "weekend":  # "the past week" is a duration, "the past weekend" a date
            return _dur(_duration_value(1, u))
        rel = "last" if rel in ("the past", "the last", "past") else "next" if rel != "the" else rel
    if rel in ("that", "the same", "the following", "the previous") or (rel == "the" and u == "day"):
        grans = {"day": ("day",), "week": ("week", "day"), "weekend": ("day", "week"),
                 "month": ("month", "day", "week"), "year": ("year", "month", "day", "week", "quarter")}[u]
        a = ctx.anchor(grans, back=0 if rel == "the" else None)
        if a and a.start:
            return _period_from(date.fromisoformat(a.start), u, _STEPS.get(rel, 0))
        if rel in ("that", "the same"):
            return None
    if ctx.pub is None:
        return _unresolved("day" if u in ("day", "weekend") else u)
    pub, step = ctx.pub, _STEPS.get(rel, 0)
    if u == "week" and step == 0 and ctx.mod in ("later", "late") and pub.weekday() < 6:
        return _days(pub + timedelta(days=1), pub + timedelta(days=6 - pub.weekday()))
    if u == "week" and step == 0 and ctx.mod == "earlier" and pub.weekday() > 0:
        return _days(pub - timedelta(days=pub.weekday()), pub - timedelta(days=1))
    if u == "weekend":
        this, prev = _weekend(pub), _weekend(pub - timedelta(days=7))
        if step:
            return prev if step < 0 else this if pub.weekday() < 5 else _weekend(pub + timedelta(days=7))
        begun = this if pub.weekday() >= 5 else prev  # the latest weekend begun by publication
        return begun if ctx.tense == "past" or (rel == "the" and ctx.tense is None) else this
    return _period_from(pub, u, step)


def _period_from(d: date, unit: str, step: int) -> TimeSpan:
    """The day, week, weekend, month or year containing ``d``, moved by ``step`` such periods."""
    if unit == "day":
        return _day(d + timedelta(days=step))
    if unit in ("week", "weekend"):
        return (_week if unit == "week" else _weekend)(d + timedelta(days=7 * step))
    if unit == "month":
        return _month(*_add_months(d.year, d.month, step))
    return _year(d.year + step)


@_rule(r"(?:the\s+)?(?P<u>year|month|week|quarter)(?:'s)?[\s-]+end")
def _r_period_end(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    if ctx.pub is None:
        return _unresolved(m["u"])
    if m["u"] == "quarter":
        return _quarter(ctx.pub.year, (ctx.pub.month - 1) // 3 + 1)
    return _period_from(ctx.pub, m["u"], 0)


# --- days, weekdays, times of day

_DEICTIC = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
            "the day after tomorrow": 2}


@_rule(rf"(?P<w>{'|'.join(_DEICTIC)})")
def _r_deictic(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    night = m["w"] == "tonight"
    if ctx.pub is None:
        return _unresolved("day", "TIME" if night else "DATE")
    d = ctx.pub + timedelta(days=_DEICTIC[m["w"]])
    return _day(d, f"{_iso(d)}TNI", "TIME") if night else _day(d)


def _weekday(wd: int, rel: str, ctx: _Ctx) -> date | None:
    if ctx.pub is None:
        return None
    pub = ctx.pub
    back, ahead = (pub.weekday() - wd) % 7, (wd - pub.weekday()) % 7  # 0 if it is the publication day
    if rel in ("last", "this past", "past", "the previous"):
        return pub - timedelta(days=back or 7)
    if rel in ("next", "this coming", "coming", "the following", "the next"):
        return pub + timedelta(days=ahead or 7)
    if rel == "this":
        return pub + timedelta(days=wd - pub.weekday())
    if ctx.tense == "future" or (ctx.tense == "present" and ahead < back):
        return pub + timedelta(days=ahead)
    return pub - timedelta(days=back)


@_rule(rf"(?P<rel>last|next|this|this coming|this past|coming|past|early|late|earlier|later|the previous"
       rf"|the following|the next|that)?\s*(?P<wd>{_WD})")
def _r_weekday(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    rel, wd = m["rel"] or "", _weekday_num(m["wd"])
    if rel in ("the previous", "the following", "the next", "that"):
        # "the previous Friday": the one before the day just talked about
        if (a := ctx.anchor(("day",), back=2)) and a.start:
            d = date.fromisoformat(a.start)
            if rel == "the previous":
                return _day(d - timedelta(days=(d.weekday() - wd) % 7 or 7))
            if rel == "that":
                return _day(d + timedelta(days=wd - d.weekday()))
            return _day(d + timedelta(days=(wd - d.weekday()) % 7 or 7))
        if rel == "that":
            return None
    got = _weekday(wd, "" if rel in ("early", "late", "earlier", "later") else rel, ctx)
    return _day(got) if got else _unresolved("day")


@_rule(rf"(?:on\s+)?(?P<wd>{_WD})s(?:\s+(?P<pod>morning|afternoon|evening|night)s)?"
       rf"|(?:every|each)\s+(?P<wd2>{_WD})(?:\s+(?P<pod2>morning|afternoon|evening|night))?")
def _r_weekday_set(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    pod = m["pod"] or m["pod2"]
    return _set(f"XXXX-WXX-{_weekday_num(m['wd'] or m['wd2']) + 1}" + (_PART_OF_DAY[pod] if pod else ""))


_TOD_THE = re.compile(rf"(?P<rest>this|that|the|last|the next|the following|the previous)\s+(?:{_TOD})")
_TOD_FIRST = re.compile(rf"(?:{_TOD})(?:,?\s+(?:on\s+|of\s+)?(?P<rest>.+))?")
_TOD_LAST = re.compile(rf"(?P<rest>.+?),?\s+(?:at\s+|in\s+the\s+)?(?:{_TOD})")


def _r_time(s: str, ctx: _Ctx) -> TimeSpan | None:
    """A time of day on a day: "7:15 p.m. Friday", "yesterday morning", "this evening", "noon"."""
    for rx in (_TOD_THE, _TOD_FIRST, _TOD_LAST):
        if m := rx.fullmatch(s):
            break
    else:
        return None
    rest = (m["rest"] or "").strip()
    d: date | None
    if rest in ("", "that", "the", "the next", "the following", "the previous"):
        # the day talked about (in this sentence, for a bare time), else publication; "the next morning"
        a = ctx.anchor(("day",), back=0 if rest == "" else 2)
        d = date.fromisoformat(a.start) if a and a.start else ctx.pub
        if d and rest not in ("", "that", "the"):
            d += timedelta(days=-1 if rest == "the previous" else 1)
    elif rest == "this":
        d = ctx.pub
    elif rest == "last":
        d = ctx.pub - timedelta(days=1) if ctx.pub and m["pod"] == "night" else None
        if ctx.pub and m["pod"] != "night":
            return None
    else:
        ts = _resolve_core(rest, ctx)
        if ts is None or ts.granularity != "day" or ts.start != ts.end:
            return None
        d = date.fromisoformat(ts.start) if ts.start else None
    if d is None:
        return _unresolved("day", "TIME")
    if m["pod"]:
        return _day(d, f"{_iso(d)}{_PART_OF_DAY[m['pod']]}", "TIME")
    return _day(d, f"{_iso(d)}T{int(m['h']) % 12 + (12 if m['ap'] == 'p' else 0):02d}:{m['mi'] or '00'}", "TIME")


# --- offsets, durations, sets

def _period_anchor(ctx: _Ctx) -> TimeSpan | None:
    """The quarter a report is about: financial news names it, then compares it with "a year ago"."""
    return ctx.anchor(("quarter",))


@_rule(rf"(?:(?P<n>{_NUM})|several|a few|few|some|many|a number of|\d+ or \d+)\s*(?:[\s-]|\+\s)(?P<u>{_UNIT})"
       r"(?P<half>\s+and\s+a\s+half)?(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|before|after|from now|hence"
       r"|back|previously|since|on)")
def _r_ago(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    unit, direction = _unit(m["u"]), m["dir"]
    back = direction in ("ago", "earlier", "before", "back", "previously")
    n = _number(m["n"]) if m["n"] else None
    if n is None:
        return _ref("PAST_REF" if back else "FUTURE_REF")
    n += 0.5 if m["half"] else 0
    gran = _UNITS[unit][0]
    if direction in ("ago", "back", "from now", "hence"):
        if ctx.pub is None:
            return _unresolved(gran)
        if unit == "year" and back and (a := _period_anchor(ctx)):
            return _shift(a, -int(n), "year")
        return _offset(n if back else -n, unit, ctx.pub)
    # "a year earlier", "two days later": from the date just talked about, else from publication
    a = ctx.anchor(("quarter",), back=2) if unit == "year" else None
    a = a or ctx.anchor(("day", "week", "month", "quarter", "season", "year"), back=2)
    if unit == "year" and not a:
        a = _period_anchor(ctx)
    if a and _GRAN_ORDER.get(a.granularity or "", 9) <= _GRAN_ORDER.get(gran or "day", 0):
        if shifted := _shift(a, -int(n) if back else int(n), unit):
            return shifted
    if direction in ("before", "after", "since", "on"):  # "two days before the vote": a duration
        return _dur(_duration_value(n, unit))
    return _offset(n if back else -n, unit, ctx.pub) if ctx.pub else _unresolved(gran)


@_rule(r"(?:the\s+)?(?:comparable\s+|same\s+)?(?P<u>year|month|week|day)-(?:ago|earlier|before)"
       r"(?:\s+(?:level|levels|figure|figures|results|period|month|year|week|day|date|time))?")
def _r_year_ago_adj(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    a = ctx.anchor(("quarter",), back=2) or ctx.anchor(("day", "month", "season", "year"), back=1) \
        or _period_anchor(ctx)
    if a and (shifted := _shift(a, -1, m["u"])):
        return shifted
    return _offset(1, m["u"], ctx.pub) if ctx.pub else _unresolved(m["u"])


@_rule(r"(?:the\s+)?(?:same|corresponding|comparable|prior-year)\s+(?:period|quarter|month|week|day)"
       r"(?:\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year|the\s+previous\s+year"
       r"|the\s+year\s+before))?")
def _r_same_period(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    a = ctx.anchor(("quarter", "month", "day", "week", "season"))
    if not a:
        return None
    return _shift(a, -1, "year") if re.search(r"year|prior", m.group(0)) else a


@_rule(r"(?:(?:the|this|these|those|its|their|his|her|a|an)\s+)?(?:(?:past|last|next|first|final|coming"
       r"|previous|following|latest|entire|full|whole|remaining|ensuing|same|other|initial|preceding|succeeding"
       r"|subsequent|intervening|more|additional|further|extra|consecutive|straight|better part of)\s+)*"
       rf"(?P<n>{_NUM}(?:\s+1/2)?|\d+ or \d+|\d+ to \d+)\+?(?:\s+(?:more|additional|full|straight|consecutive"
       rf"|long))?(?:\s+|-)(?:(?:trading|business|working|calendar|school)\s+)?(?P<u>{_UNIT})"
       r"(?P<half>\s+and\s+a\s+half)?(?:[\s-]+(?:long|period|term|span|stint|spell|stretch|run|mark))?"
       r"(?:\s+(?:or\s+so|or\s+more|or\s+longer|in\s+a\s+row|running|straight))?")
def _r_duration(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    raw, unit = m["n"], _unit(m["u"])
    if unit == "quarter" and re.fullmatch(r"1\d{3}|20\d\d", raw):  # "the 1988 quarter" is a date
        return None
    n = _number(re.split(r" or | to ", raw)[-1])  # "two to three weeks": the upper bound
    if n is not None and m["half"]:
        n += 0.5
    if unit == "weekend":
        return _dur(f"P{_fmt(n or 1)}WE")
    return _dur(_duration_value(n, unit))


@_rule(rf"(?:a|an|1)\s+(?P<u>{_UNIT})\s+and\s+a\s+half|half\s+(?:a|an)\s+(?P<u2>{_UNIT})")
def _r_half_duration(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    return _dur(_duration_value(1.5 if m["u"] else 0.5, _unit(m["u"] or m["u2"])))


@_rule(rf"{_VAGUE}\s+(?P<u>{_UNIT})(?:\s+(?:ahead|to come|past))?|(?P<u2>{_UNIT})s(?:\s+(?:ahead|to come|past"
       rf"|on end))?|(?:the\s+)?(?:coming|next|past|last|recent|previous|following)\s+(?P<u3>{_UNIT})s\s+and\s+"
       rf"{_UNIT}")
def _r_vague_duration(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    u = m["u"] or m["u2"] or m["u3"]
    lead = m.group(0).split()[0]
    if m["u"] and not u.endswith("s"):  # "the week" is a unit of its own; "several week" is not English
        return _dur(_duration_value(1, _unit(u))) if lead in ("the", "those", "these") else None
    if lead in ("recent", "past"):
        return _ref("PAST_REF")
    if lead in ("coming", "future"):
        return _ref("FUTURE_REF")
    return _dur("PXWE" if _unit(u) == "weekend" else _duration_value(None, _unit(u)))


@_rule(rf"(?P<adv>{'|'.join(_SET_ADVERBS)})|(?:every|each|per)\s+(?P<other>other\s+)?(?P<n>{_NUM}\s+)?"
       rf"(?P<u>{_UNIT})|(?:once|twice|thrice|\d+\s+times)\s+(?:a|an|per|each|every)\s+(?P<u2>{_UNIT})"
       rf"|(?:a|an)\s+(?P<u3>{_UNIT})|(?:every|each)\s+(?P<mon>{_MON})|(?:every|each)\s+(?P<s>{_SEASON})"
       rf"|(?:the\s+)?(?:past|last|next)\s+(?:\d+\s+)?(?P<s2>{_SEASON})s")
def _r_set(m: re.Match[str], ctx: _Ctx) -> TimeSpan | None:
    if m["adv"]:
        return _set(_SET_ADVERBS[m["adv"]])
    if m["mon"]:
        return _set(f"XXXX-{_month_num(m['mon']):02d}")
    if m["s"] or m["s2"]:
        return _set(f"XXXX-{_SEASONS[m['s'] or m['s2']]}")
    if m["u3"]:  # "a year" alone is a duration (in "$5 a year" a set, which the text alone cannot tell)
        return _dur(_duration_value(1, _unit(m["u3"])))
    n = (_number(m["n"].strip()) or 1.0) if m["n"] else 1.0
    return _set(_duration_value(n * (2 if m["other"] else 1), _unit(m["u"] or m["u2"])))


# ----------------------------------------------------------------------------- normalising and resolving

def _words_to_number(text: str) -> str:
    """Digits for a run of number words: "twenty-four" 24, "two thousand and one" 2001, "nineteen ninety-six"
    1996; words that do not make one number ("one four") each on their own."""
    vals = [w for w in re.split(r"[\s-]+", text) if w != "and"]
    if (len(vals) >= 2 and 10 <= _NUM_WORDS.get(vals[0], 0) <= 20 and _NUM_WORDS.get(vals[1], 0) >= 10
            and "hundred" not in vals and "thousand" not in vals):
        return str(_NUM_WORDS[vals[0]] * 100 + sum(_NUM_WORDS[w] for w in vals[1:]))  # a spoken year
    total = cur = 0
    for w in vals:
        if w == "hundred":
            cur = max(cur, 1) * 100
        elif w == "thousand":
            total, cur = total + max(cur, 1) * 1000, 0
        elif (v := _NUM_WORDS[w]) < 10 and cur % 10 == 0 and not 10 <= cur % 100 < 20 \
                or v >= 10 and cur % 100 == 0:
            cur += v
        else:
            return " ".join(_words_to_number(v) for v in vals)
    return str(total + cur)


_CLEAN = [(re.compile(p), r) for p, r in (
    (r"[\u2018\u2019\u02bc`]", "'"),
    (r"[\u2010-\u2015]", "-"),
    (r"\s+", " "),
    (r"\ba (hundred|thousand)\b", r"one \1"),
    (r"\b(?:a )?couple(?: of)?\b", "2"),
    (r"\bhalf a dozen\b", "6"),
    (r"\ba dozen\b", "12"),
    (r"\bmid-? ", "mid-"),
)]
_AND_A_HALF = re.compile(r"\b(\d+) and a half (\w+)")
_TRAIL = re.compile(r"(?:'s|')$|[\s,;:.!?\"()]+$")


def _normalise(text: str) -> str:
    """Lower case, plain quotes and dashes, number words as digits ("twenty-four" -> 24, "nineteen
    ninety-six" -> 1996), no trailing punctuation or possessive."""
    s = text.lower().strip()
    for rx, rep in _CLEAN:
        s = rx.sub(rep, s)
    s = _NUMWORD_RE.sub(lambda m: _words_to_number(m.group(0)), s)
    s = _AND_A_HALF.sub(r"\1 1/2 \2", s)
    return _TRAIL.sub("", s.strip(" ,;:\"'()")).strip()


def _resolve_core(s: str, ctx: _Ctx) -> TimeSpan | None:
    """A normalised expression through the rules in turn; then as a time of day; then without a leading
    modifier ("early", "later", "the end of"), which ``ctx.mod`` remembers."""
    if not s:
        return None
    if s in _REF_OF:
        return _ref(_REF_OF[s])
    for rx, fn in _RULES:
        if m := rx.fullmatch(s):
            try:
                ts = fn(m, ctx)
            except (ValueError, KeyError, StopIteration, IndexError, OverflowError):
                ts = None  # a date that does not exist ("February 30"), a range out of order
            if ts is not None:
                return ts
    try:
        ts = _r_time(s, ctx)
    except (ValueError, OverflowError):  # "the previous night" before 0001-01-02
        ts = None
    if ts:
        return ts
    if (mm := _MODIFIER.match(s)) and not ctx.mod:
        rest = s[mm.end():]
        if p := _PREFIX.match(rest):  # "earlier in the year"
            rest = rest[p.end():]
        ctx.mod = mm["mod"]
        try:
            return _resolve_core(rest, ctx)
        finally:
            ctx.mod = ""
    return None


def _resolve(text: str, ctx: _Ctx) -> TimeSpan | None:
    s = _normalise(text)
    ts = _resolve_core(s, ctx)
    if ts is None and (p := _PREFIX.match(s)):
        ts = _resolve_core(s[p.end():], ctx)
    if ts is None and s.endswith((" or so", " or two")):
        ts = _resolve_core(s.rsplit(" or ", 1)[0], ctx)
    return ts


def resolve(text: str, published: date | None, tense: str | None = None) -> TimeSpan | None:
    """One temporal expression's text as a ``TimeSpan`` without a span, or None if it is not one.

    ``tense`` ("past", "present", "future" or None) chooses between the previous and the next occurrence
    of a weekday, month or season named without a year. With ``published`` None, relative expressions
    come back unresolved (``start``, ``end`` and ``value`` None)."""
    if tense not in (None, *TENSES):
        raise ValueError(f"tense must be one of {TENSES} or None, not {tense!r}")
    return _resolve(text, _Ctx(published, tense))


# ----------------------------------------------------------------------------- tense

_FUTURE_AUX = {"will", "shall", "'ll", "wo", "ll"}
_MODALS = {"may", "might", "should", "must", "ought", "would", "'d"}  # "could", "can": no time
_FUTURE_HEADS = {"plan", "set", "expect", "schedule", "intend", "aim", "hope", "prepare", "due", "likely",
                 "slate", "poise", "go", "seek", "propose", "agree", "promise", "pledge", "vow", "threaten",
                 "want", "decide"}


def clause_tense(token: Token) -> str | None:
    """The tense of the clause governing ``token`` (the verb its head chain reaches): "future" for
    will/shall, modals, "is to", "is going to", "is set to", "plans to"; "past" for past forms and
    perfects; "present" for present forms; None when there is no verb or no telling."""
    t = token
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass"):
            if t.tag_ == "VBG" and t.head != t and not any(c.dep_ in ("aux", "auxpass") for c in t.children):
                t = t.head  # a participle clause ("..., saying on Monday") has its main verb's tense
                continue
            return _verb_tense(t)
        if t.head == t:
            return None
        t = t.head
    return None


def _verb_tense(v: Token) -> str | None:
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    words = [a.lower_ for a in auxes]
    if any(w in _FUTURE_AUX for w in words):
        return "future"
    if "to" in words and v.dep_ in ("xcomp", "ccomp", "advcl", "acl", "relcl") and v.head != v:
        head = v.head
        if head.pos_ not in ("VERB", "AUX", "ADJ"):
            return "future"  # "rules to be issued in March"
        gov = head.head if head.pos_ == "ADJ" else head
        if any(c.lower_ == "had" for c in gov.children if c.dep_ in ("aux", "auxpass")):
            return "past"  # "had been due to end Monday"
        if head.lemma_ in _FUTURE_HEADS or (head.lemma_ == "be" and head.tag_ in ("VBZ", "VBP", "VBD")):
            return "future"  # "is set to visit", "plans to meet", "is to sign"
        return _verb_tense(head) if head.pos_ in ("VERB", "AUX") else None
    if any(w in _MODALS for w in words):
        return "past" if any(a.lemma_ == "have" for a in auxes) else "future"
    tags = [a.tag_ for a in auxes] + [v.tag_]
    if ("VBD" in tags or (v.tag_ == "VBN" and (not auxes or any(a.lemma_ == "have" for a in auxes)))):
        return "past"
    if "VBZ" in tags or "VBP" in tags:
        return "present"
    if v.dep_ in ("xcomp", "ccomp", "advcl", "conj") and v.head != v and v.head.pos_ in ("VERB", "AUX"):
        return _verb_tense(v.head)
    return None


# ----------------------------------------------------------------------------- finding expressions in a Doc

_MONC = (r"(?-i:Jan(?:uary|\.)|Feb(?:ruary|\.)|Mar(?:ch|\.)|Apr(?:il|\.)|May|June?\.?|July?\.?|Aug(?:ust|\.)"
         r"|Sep(?:t(?:ember)?)?\.|September|Oct(?:ober|\.)|Nov(?:ember|\.)|Dec(?:ember|\.))")
_MONC_SAFE = r"(?-i:January|February|April|June|July|August|September|October|November|December)"
_WDC = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAYN = rf"(?:[0-3]?\d(?:st|nd|rd|th)?(?!\d)|{_ORD_WORD})"
_DASH = r"\s*(?:-|–|—|to|through|until|till|and)\s*"
_NUMW = (r"(?:\d+(?:[.,]\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three"
         r"|four|five|six|seven|eight|nine))?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
         r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a hundred|one hundred|a couple of|a few"
         r"|several|many|a dozen|dozens of|hundreds of)")
_APPROX = (r"(?:(?:about|around|approximately|roughly|nearly|almost|some|just|only|over|under|more than"
           r"|less than|fewer than|at least|at most|up to|as many as|as much as|no more than|no less than"
           r"|well over|barely|fully|a further|another|an additional)\s+)*")
_UNIT_E = (r"(?:seconds|minutes?|hours?|days?|nights?|weeks?|weekends?|fortnights?|months?|quarters?|years?"
           r"|decades?|centur(?:y|ies))")
_YEAR_E = r"(?:1[5-9]\d\d|20\d\d)"
_YEARWORD_E = rf"(?:{_YEAR_E}(?![\d,.]?\d)|this year|last year|next year)"
_NOT_OF_NONYEAR = rf"(?!\s+of\s+(?!{_YEAR_E}\b))"  # "the fall of Kabul" is no season
_REL_E = r"(?:early|late|mid|the\s+(?:middle|end|beginning|start)\s+of|last|next|this|this\s+past|this\s+coming)"

@dataclass(frozen=True)
class _Pattern:
    """A pattern to find expressions: ``core`` is searched through the text; ``left``, if given, extends a
    match backwards over the words that may come before it (and must, with ``need_left``). Searching for
    the rare core and looking back is much faster than trying optional leading words at every position.
    ``low_core``/``low_left`` are the same patterns matched case-sensitively on the lower-cased text (about
    twice as fast as ignoring case); None for a pattern that asks for capitals somewhere."""

    core: re.Pattern[str]
    left: re.Pattern[str] | None = None
    need_left: bool = False
    low_core: re.Pattern[str] | None = None
    low_left: re.Pattern[str] | None = None


def _has_capitals(src: str) -> bool:
    """Whether a pattern asks for case anywhere: a case-sensitive group or a capital letter that is not an
    escape ("\\b", "\\Z")."""
    return "(?-i" in src or any(c.isupper() for c in re.sub(r"\\.", "", src))


def _p(core: str, left: str | None = None, need_left: bool = False) -> _Pattern:
    left_src = rf"(?<![\w'’])(?:{left})\Z" if left else None
    caseless = not _has_capitals(core) and not (left_src and _has_capitals(left_src))
    return _Pattern(re.compile(core, re.IGNORECASE),
                    re.compile(left_src, re.IGNORECASE) if left_src else None, need_left,
                    re.compile(core) if caseless else None,
                    re.compile(left_src) if caseless and left_src else None)


_MODS_E = (r"(?:about|around|approximately|roughly|nearly|almost|some|just|only|over|under|more\s+than"
           r"|less\s+than|fewer\s+than|at\s+least|at\s+most|up\s+to|as\s+many\s+as|as\s+much\s+as|no\s+more\s+than"
           r"|no\s+less\s+than|well\s+over|barely|fully|a\s+further|another|an\s+additional|the|this|these|those"
           r"|its|their|a|past|last|next|first|final|coming|previous|following|latest|entire|full|whole|remaining"
           r"|ensuing|same|initial|preceding|succeeding|subsequent|intervening|more|additional|further"
           r"|consecutive|straight)")
_QREL_E = (r"(?:this|last|next|current|latest|previous|past|most\s+recent|coming|same|comparable|corresponding"
           r"|year-ago|year-earlier|prior-year|just-ended|just-completed)")
_YEARS_OF_E = r"(?:this|last|next)\s+year['’]s\s+"

_FIND = [
    # absolute dates and day ranges
    _p(r"\b\d{4}-[01]\d-[0-3]\d\b"),
    _p(r"\b[01]?\d/[0-3]?\d/(?:\d{4}|\d{2})\b"),
    _p(rf"\b(?=(?-i:[A-Z\dfsten]))(?:{_MONC}\s+{_DAYN}(?:{_DASH}(?:{_MONC}\s+)?{_DAYN})?|{_DAYN}(?:{_DASH}"
       rf"(?:the\s+)?{_DAYN})?(?:\s+of)?\s+{_MONC}(?:{_DASH}{_DAYN}\s+(?:of\s+)?{_MONC})?)(?:,?\s+{_YEARWORD_E})?",
       rf"(?:{_WDC},?\s+)?the\s+|{_WDC},?\s+"),
    _p(rf"\b(?=(?-i:[JFMASOND])){_MONC},?\s+(?:of\s+)?{_YEARWORD_E}"),
    _p(rf"\b(?=(?-i:[JFASOND])){_MONC_SAFE}\b", rf"{_REL_E}[\s-]+"),
    _p(r"\b(?-i:May|March)\b", rf"(?:{_REL_E}|in|since|until|by|during|through|before|after)[\s-]+", True),
    # years, decades, centuries
    _p(rf"(?<![\w.]){_YEAR_E}(?:\s*(?:-|–|to|through|and)\s*(?:{_YEAR_E}|\d\d))?\b(?![-,.]?\d|\s*%)",
       r"(?:in|since|by|until|till|from|during|before|after|through|throughout|fiscal(?:\s+year)?|early|late"
       r"|the\s+year|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+turn\s+of"
       r"|between)\s+|mid-", True),
    _p(r"(?<![\w'’])(?:(?:1[5-9]|20)\d0['’]?s\b|['’]\d0s\b)", r"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?"),
    _p(r"\b(?:\d0s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
       r"the\s+(?:(?:early|mid|late)[\s-]+)?", True),
    _p(r"\b(?:century|decade)\b", rf"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?:\d{{1,2}}(?:st|nd|rd|th)|{_ORD_WORD})"
       r"[\s-]+|(?:this|last|next|the\s+past|the\s+last|the\s+previous|the\s+next)\s+", True),
    # quarters and halves
    _p(rf"\b(?=[1-4fstl]){_QORD}[\s-]+(?:fiscal[\s-]+)?(?:quarter|half)\b(?:\s+(?:of\s+)?(?:fiscal\s+)?"
       rf"{_YEARWORD_E})?",
       rf"(?:(?:the|this|last|next|its|their)\s+)?(?:{_YEARS_OF_E}|{_YEAR_E}(?:['’]s)?\s+)?(?:(?:year-ago"
       r"|year-earlier|comparable|same|corresponding)\s+)*(?:(?:fiscal|calendar)[\s-]+)?"),
    _p(rf"\b(?:first|last)\s+two\s+quarters\s+of\s+(?:{_YEAR_E}|this\s+year|last\s+year|next\s+year)", r"the\s+"),
    _p(r"(?-i:\b(?:Q[1-4]|[1-4]Q|H[12])(?:\s*(?:20\d\d|19\d\d|'\d\d))?\b|\b(?:19|20)\d\d\s*-?\s*(?:Q[1-4]|H[12])\b)"),
    _p(r"\bquarter\b(?!\s+of\b|-)(?:\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year))?",
       rf"(?:the\s+)?(?:{_YEARS_OF_E})?(?:{_QREL_E}\s+)+|the\s+|{_YEARS_OF_E}|the\s+{_YEAR_E}\s+", True),
    _p(r"\bperiod\b(?!\s+of\b)(?:\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year))?",
       rf"(?:the\s+)?(?:{_YEARS_OF_E})?(?:{_QREL_E}\s+)+|the\s+{_YEAR_E}\s+", True),
    # seasons
    _p(rf"\b{_SEASON}\b{_NOT_OF_NONYEAR}(?:\s+(?:of\s+)?{_YEARWORD_E})?",
       r"(?:(?:this|last|next|the|early|late|mid|this\s+past|this\s+coming)[\s-]+)+"
       r"|(?:in|during|since|until|by|over)\s+", True),
    _p(rf"\b{_SEASON}\s+(?:of\s+)?{_YEAR_E}\b"),
    # relative periods
    _p(r"\b(?:week|weekend|month|year)\b",
       r"(?:(?:earlier|later|early|late|mid|the\s+(?:end|beginning|start|middle|rest|remainder)\s+of)[\s-]+)?"
       r"(?:this|last|next|past|previous|coming|following|current|this\s+past|this\s+coming|the\s+(?:current"
       r"|previous|following|next|past|last|coming|same))\s+(?:fiscal\s+)?", True),
    _p(r"\bthe\s+(?:week|month|year|quarter|decade|century)\b",
       r"(?:(?:earlier|later|early|late)\s+in|(?:at\s+)?the\s+(?:end|beginning|start|middle|turn)\s+of)\s+", True),
    _p(r"\b(?:year|month|quarter)(?:['’]s)?[\s-]+end\b", r"the\s+"),
    _p(r"\bthe\s+weekend\b"),
    # days, weekdays, times of day
    _p(r"\b(?:today|tonight|yesterday|tomorrow)\b(?:\s+(?:morning|afternoon|evening|night))?",
       r"(?:early|late|earlier|later)\s+"),
    _p(r"\bthe\s+day\s+(?:before\s+yesterday|after\s+tomorrow)\b"),
    _p(r"\b(?:this|last)\s+(?:morning|afternoon|evening|night)\b"),
    _p(rf"\b(?=(?-i:[MTWFS])){_WDC}s?(?:\s+(?:morning|afternoon|evening|night)s?)?\b",
       r"(?:last|next|this|this\s+coming|this\s+past|coming|early|late|earlier|later|every|each|the\s+previous"
       r"|the\s+following)\s+"),
    _p(r"(?<![\w.:])(?:[01]?\d(?::[0-5]\d)?\s*[ap]\.?m\b\.?|noon\b|midnight\b)(?-i:\s+(?:[ECMP][SD]T|GMT|UTC)\b)?"),
    # the present, the past, the future
    _p(r"\bnow\b", r"right\s+"),
    _p(r"\b(?:currently|presently|nowadays|recently|lately|soon)\b", r"(?:more|most)\s+"),
    _p(r"\bcurrent\b(?!\s+(?:account|accounts|affairs|events|density|flow|flows))"),
    _p(r"\brecent\b"),
    _p(r"\bat\s+present\b|\bthese\s+days\b"),
    _p(r"\bfuture\b", r"the\s+(?:(?:near|distant|foreseeable)\s+)?", True),
    _p(r"\b(?:in|for)\s+the\s+(?:near|short)\s+term\b"),
    _p(r"\bthe\s+past\b(?!\s+(?:and|or)\b)", r"in\s+"),
    _p(r"\bas\s+soon\s+as\s+possible\b|\ba\s+later\s+date\b"),
    # offsets, durations, sets
    _p(rf"\b(?=[\dadefhmnost]){_NUMW}(?:\s+(?:more|additional|full|straight|consecutive))?(?:\s+|-)(?:(?:trading"
       rf"|business|working)\s+)?{_UNIT_E}\b(?:\s+and\s+a\s+half)?(?!-old|\s+old\b|-olds)(?:\s+(?:or\s+so\s+)?"
       r"(?:ago|earlier|later|from\s+now|hence|back)\b)?", rf"(?:{_MODS_E}\s+)+"),
    _p(r"\b(?:year|month)-(?:ago|earlier|before)\b(?:\s+(?:period|quarter))?",
       r"(?:the\s+)?(?:comparable\s+|same\s+)?"),
    _p(r"\b(?:period|quarter|month|week)\b(?:\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year"
       r"|the\s+previous\s+year))?", r"the\s+(?:same|corresponding|comparable|prior-year)\s+", True),
    _p(r"\b(?:years|months|weeks|days|hours|decades|centuries)\b(?:\s+(?:ago|earlier|later))?",
       r"(?:several|a\s+few|few|many|recent|coming|the\s+coming|the\s+next\s+few|the\s+last\s+few"
       r"|the\s+past\s+few|the\s+next\s+several|the\s+past\s+several|the\s+last\s+several)\s+", True),
    _p(r"\bthe\s+(?:years|months|weeks|days)\s+ahead\b"),
    _p(rf"\b(?:every|each)\s+(?:other\s+)?(?:{_NUMW}\s+)?(?:{_UNIT_E}|{_WDC}|{_MONC_SAFE}|{_SEASON})\b"),
    _p(r"\b(?:annually|yearly|biannually|semi-?annually|quarterly|monthly|bimonthly|weekly|biweekly|fortnightly"
       r"|daily|nightly|hourly)\b"),
    _p(r"\b(?:once|twice|thrice|times)\s+(?:a|an|per|each|every)\s+(?:year|month|week|day|hour|quarter)\b",
       rf"{_NUMW}\s+"),
]

_LEAD = re.compile(
    r"\s*(?:(?:on|in|at(?!\s+(?:least|most)\b)|since|from|by|until|till|through|throughout|during|before|after"
    r"|for|within|of|to|between|as\s+of|into|starting|beginning|both|either|over|under|its|their|his|her|our"
    r"|just|only|barely)\s+)+", re.IGNORECASE)
# TIMEX3 leaves the article out of an adjectival duration or period: "a two-year (term)", "the third-quarter"
_ADJ_DET = re.compile(
    r"(?:a|an|the)\s+(?=[\w.]+-(?:year|month|week|day|hour|minute|quarter|half)\b|(?:year|month)-(?:ago|earlier)$"
    r"|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty)\s+(?:year|month"
    r"|week|day|hour|minute)\b(?!s))",
    re.IGNORECASE)
_TAIL = re.compile(r"(?:['’]s|['’]|[\s,;:.!?\"()\[\]-])+$")
_ABBREV_END = re.compile(r"(?:\b[A-Z][a-z]{2,3}|\b[ap]\.m|\b[A-Z])$")
_KEYWORD = re.compile(
    r"\b(?:1[5-9]\d\d|20\d\d|\d0s|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|(?:mon|tues|wednes|thurs"
    r"|fri|satur|sun)days?|seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|months?|quarters?|years?"
    r"|decades?|centur(?:y|ies)|spring|summer|autumn|fall|winter|morning|afternoon|evening|today|tomorrow"
    r"|yesterday|now)\b", re.IGNORECASE)
_NOT_TIME = re.compile(r"\b(?:old|aged?|olds)\b|-old\b|%|\bpercent\b|\$|\blast-minute\b", re.IGNORECASE)
_AGE_AFTER = re.compile(r"[\s-]*(?:old|olds)\b", re.IGNORECASE)
_FRACTION = re.compile(r"\b(?:a|an|one|two|three)[\s-]quarters?$", re.IGNORECASE)  # "three-quarters of"
_ADJ_ONLY = {"annual", "quarterly", "daily", "weekly", "monthly", "yearly", "nightly", "hourly", "biweekly",
             "bimonthly", "future", "past", "fall", "spring", "morning", "afternoon", "evening", "night",
             "weekend", "overnight"}  # "quarterly earnings", "a morning show": modifiers, not times
_RATE = re.compile(r"(?:a|an|per)\s+(?:year|month|week|day|night|hour)", re.IGNORECASE)
_RATE_BEFORE = re.compile(r"(?:\d|%|percent|cents?|dollars?|times|once|twice)\s+$", re.IGNORECASE)
_GAP = re.compile(r"[\s,]*(?:(?:on|of|at|in)\s+)?")

_Cand = tuple[int, int, bool]  # start, end, found by spaCy


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Leading prepositions, the article of an adjectival duration and trailing punctuation off a span."""
    if m := _LEAD.match(text, start, end):
        start = m.end()
    if m := _ADJ_DET.match(text, start, end):
        start = m.end()
    if m := _TAIL.search(text, start, end):
        end = m.start()
        if text[end:end + 1] == "." and _ABBREV_END.search(text, start, end):
            end += 1  # the dot of "Oct." or "p.m."
    return start, end


def extract_dates(doc: Doc, published: date | None,
                  sentences: Sequence[tuple[int, int]] | None = None) -> list[TimeSpan]:
    """Every temporal expression in ``doc``, in text order and non-overlapping, resolved against
    ``published`` and the tense of its clause; each carries its ``span`` (character offsets into
    ``doc.text`` and the index of its sentence among ``sentences``, the story's sentences as token
    ranges: ``nlp.sentence_bounds(doc)`` when not given)."""
    text = doc.text
    cands: list[_Cand] = []
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            cands.append((*_trim(text, ent.start_char, ent.end_char), True))
    lowered = text.lower()
    # a letter whose lower case is longer ("İ") would shift the offsets: such a text is searched ignoring case
    low = lowered if len(lowered) == len(text) else None
    for p in _FIND:
        core, left, src = p.core, p.left, text
        if low is not None and p.low_core is not None:
            core, left, src = p.low_core, p.low_left, low
        for m in core.finditer(src):
            start = m.start()
            if left:
                if lm := left.search(src, max(0, start - 80), start):
                    start = lm.start()
                elif p.need_left:
                    continue
            cands.append((*_trim(text, start, m.end()), False))
    cands = sorted(c for c in cands if c[1] > c[0])
    try:
        sent_starts = [doc[a].idx for a, _ in (sentence_bounds(doc) if sentences is None else sentences)]
    except ValueError:  # no parser, no sentencizer: one sentence
        sent_starts = [0]
    finder = _Finder(doc, text, sent_starts, _Ctx(published))
    out: list[TimeSpan] = []
    i = 0
    while i < len(cands):
        i, group = _cluster(cands, i)
        chosen = finder.choose(group)
        # join the last one with the next expression when only a comma, "on", "of" or "at" separates them
        s, e, spacy_found = chosen[-1]
        if i < len(cands) and cands[i][0] > e and _GAP.fullmatch(text, e, cands[i][0]):
            k, following = _cluster(cands, i)
            ne = max(c[1] for c in following)
            if (joined := finder.resolve(s, ne)) is not None and joined.start:
                chosen[-1], i = (s, ne, spacy_found), k
        for s, e, spacy_found in chosen:
            ts = finder.resolve(s, e)
            if ts is None and spacy_found and _KEYWORD.search(text, s, e) and finder.plausible(s, e):
                ts = _unresolved(None)
            if ts is not None:
                out.append(finder.keep(ts, s, e))
    return out


def _cluster(cands: list[_Cand], i: int) -> tuple[int, list[_Cand]]:
    """The candidates overlapping ``cands[i]`` (transitively), and the index after them."""
    end, j = cands[i][1], i + 1
    while j < len(cands) and cands[j][0] < end:
        end = max(end, cands[j][1])
        j += 1
    return j, cands[i:j]


@dataclass
class _Finder:
    """Resolution of candidate spans in one document, with the dates kept so far as context."""

    doc: Doc
    text: str
    sent_starts: list[int]
    ctx: _Ctx

    def plausible(self, s: int, e: int) -> SpacySpan | None:
        """The tokens of ``text[s:e]``, unless the words around say it is no time: an age ("52 years old"),
        money or a share, a fraction ("three-quarters of"), a modifier ("quarterly earnings")."""
        seg, text = self.text[s:e], self.text
        if _NOT_TIME.search(seg) or _AGE_AFTER.match(text, e):
            return None
        if _FRACTION.search(seg) and re.match(r"\s+of\b", text[e:e + 4]):
            return None
        span = self.doc.char_span(s, e, alignment_mode="expand")
        if span is None or not len(span):
            return None
        if len(span) == 1 and span.root.lower_ in _ADJ_ONLY and span.root.dep_ in ("amod", "compound"):
            return None
        return span

    def resolve(self, s: int, e: int) -> TimeSpan | None:
        if (span := self.plausible(s, e)) is None:
            return None
        seg = self.text[s:e]
        if _RATE.fullmatch(seg) and _RATE_BEFORE.search(self.text, max(0, s - 12), s):
            return _set(_duration_value(1, _unit(seg.split()[-1].lower())))  # "$5 a year", "700 seats a week"
        root = span.root
        # a day naming a thing ("its Oct. 7 assault", "the March 3 election") is the nearest such day: the
        # clause around the noun ("would include those seized during ...") does not say when the thing is.
        # A weekday keeps the clause's tense ("will attend Monday's summit").
        named = root.dep_ in ("nmod", "compound", "amod", "poss") and root.head.pos_ in ("NOUN", "PROPN") and \
            root.head.i not in range(span.start, span.end) and not _WEEKDAY_WORD.search(seg)
        self.ctx.tense = "present" if named else clause_tense(root)
        self.ctx.sentence = bisect_right(self.sent_starts, s) - 1
        self.ctx.used_anchor = False
        return _resolve(seg, self.ctx)

    def choose(self, group: list[_Cand]) -> list[_Cand]:
        """From overlapping candidates: their union if it resolves, else the longest ones that do."""
        if len(group) == 1:
            return list(group)
        s, e = min(c[0] for c in group), max(c[1] for c in group)
        if self.resolve(s, e) is not None:
            return [(s, e, any(c[2] for c in group))]
        chosen: list[_Cand] = []
        for c in sorted(group, key=lambda c: c[0] - c[1]):
            if not any(c[0] < o[1] and o[0] < c[1] for o in chosen) and self.resolve(c[0], c[1]) is not None:
                chosen.append(c)
        if not chosen:
            return [max(group, key=lambda c: c[1] - c[0])]
        # what spaCy found beyond the chosen ones may hold another expression ("the last six weeks | of 2003")
        for c in group:
            if c[2]:
                for a, b in ((c[0], min(o[0] for o in chosen)), (max(o[1] for o in chosen), c[1])):
                    a, b = _trim(self.text, a, b)
                    if b > a and self.resolve(a, b) is not None:
                        chosen.append((a, b, True))
        return sorted(set(chosen))

    def keep(self, ts: TimeSpan, s: int, e: int) -> TimeSpan:
        """``ts`` with its span; a calendar date not resolved from an earlier one becomes context."""
        sent = bisect_right(self.sent_starts, s) - 1
        ts = TimeSpan(ts.start, ts.end, ts.granularity, ts.type, ts.value, Span(s, e, self.text[s:e], sent))
        if ts.start and not self.ctx.used_anchor:
            self.ctx.history.append((sent, ts))
        return ts
