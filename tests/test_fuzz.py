"""Hostile text through the real pipeline: no stage may fail on any text (Hypothesis).

Each example is a batch of 6 to 30 generated articles coded in one ``Pipeline.code`` call: odd
Unicode (controls, NUL, combining marks, right-to-left marks and text, emoji, characters outside
the Basic Multilingual Plane, any text Hypothesis draws), very long sentences and tokens, quotes
and brackets nested deep, pronoun chains, lists of hundreds of names, and empty or
whitespace-only parts. A stage that raises is caught by the pipeline (the article keeps what the
other stages found), so the test asserts what a user would see: every article comes back,
``failed_stages`` is empty, and every offset points into the text. The spaCy parse is the cost:
texts stay under 4,000 characters and the number of examples is bounded, so the test takes about
a minute (150 batches, about 1,400 articles; ``COMMUNIQUE_FUZZ_EXAMPLES`` raises it,
``COMMUNIQUE_FUZZ_RANDOM=1`` draws new examples instead of the fixed, reproducible ones)."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.records import Article, CodedArticle, Span
from communique.report import Report

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("COMMUNIQUE_FUZZ_EXAMPLES", "150"))
RANDOM = os.environ.get("COMMUNIQUE_FUZZ_RANDOM") == "1"

# Words of our own that the coder reacts to: names it knows, titles, verbs it codes, pronouns.
NAMES = ["Kenya", "Ethiopia", "the United Nations", "President Ruto", "Foreign Minister Lavrov", "Hamas",
         "the European Union", "Brazil", "Lula", "the police", "protesters", "NATO", "Tehran", "Kyiv",
         "the army", "rebels", "Germany", "Chancellor Scholz", "Mr Obi", "the Red Cross", "China", "Xi Jinping"]
VERBS = ["met", "accused", "attacked", "condemned", "signed a deal with", "threatened", "praised", "arrested",
         "urged", "imposed a curfew on", "expelled", "said it would sanction", "denied attacking", "visited"]
PRONOUNS = ["he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "we", "us", "I"]
ODD = ["\u200b", "\u200d", "\ufeff", "\u202e", "\u0301", "\u00ad", "\u2028", "\u2029", "\x0b", "\x0c", "\r",
       "\t", "\u00a0", "\u3000", "\U0001f600", "\U0001f1f0\U0001f1ea", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631",
       "\u4e2d\u56fd", "\ufffd", "\x00", "\x1b[31m", "\u0000\u0000", "\U000e0041", "\u180e"]
OPENERS = ['"', "'", "(", "[", "{", "\u201c", "\u2018", "\u00ab", "<", "\u300c"]
CLOSERS = ['"', "'", ")", "]", "}", "\u201d", "\u2019", "\u00bb", ">", "\u300d"]
DATES = ["on Monday", "last week", "on 0001-01-01", "on 31 February 2024", "in 9999", "on 1 January 1",
         "yesterday", "in March", "on 12/13/14", "two days ago", "in the year 10000", "on 29 February 2023",
         "from 5 to 3 May", "since 1066", "at 25:61", "in Q5 2024"]

name = st.sampled_from(NAMES)
clause = st.builds(lambda a, v, b, d: f"{a} {v} {b} {d}", name, st.sampled_from(VERBS), name,
                   st.sampled_from(DATES))
sentence = clause.map(lambda c: c[0].upper() + c[1:] + ".")
odd_unicode = st.lists(st.sampled_from(ODD) | st.text(min_size=1, max_size=20), min_size=1, max_size=20).map(
    "".join)
long_token = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "-", ".", "9", "\u00e9", "x1", "_"]),
                       st.integers(300, 2000))
long_sentence = st.lists(clause, min_size=15, max_size=40).map(lambda cs: ", and ".join(cs) + ".")
nesting = st.builds(
    lambda depth, pair, inner: "".join(OPENERS[pair] for _ in range(depth)) + inner
    + "".join(CLOSERS[pair] for _ in range(depth)),
    st.integers(1, 300), st.integers(0, len(OPENERS) - 1), sentence)
mixed_nesting = st.lists(st.sampled_from(OPENERS + CLOSERS), min_size=50, max_size=400).map(
    lambda cs: "The minister said " + "".join(cs) + " the talks failed.")
pronoun_chain = st.builds(
    lambda who, ps: f"{who} said " + " said that ".join(f"{p} told {q}" for p, q in zip(ps, ps[1:], strict=False))
    + " to leave.", name, st.lists(st.sampled_from(PRONOUNS), min_size=2, max_size=80))
name_list = st.builds(lambda ns, v: ", ".join(ns) + f" and Kenya {v} Ethiopia.",
                      st.lists(name, min_size=50, max_size=300), st.sampled_from(VERBS))
blank = st.sampled_from(["", " ", "\n\n\n", "\t \t", "\u00a0\u2003", "\r\n\r\n", ".", "...", "\u201c\u201d"])
quote = st.builds(lambda a, s: f'"{s}" {a} said. "{s}', name, sentence)

# The large parts cost the parse most: each is drawn about one time in eight.
large = st.one_of(long_token, long_sentence, nesting, mixed_nesting, name_list)
part = st.one_of(sentence, quote, odd_unicode, pronoun_chain, blank, sentence, quote, large)
separator = st.sampled_from([" ", "\n", "\n\n", "", " \u2029 ", "\r"])
text = st.builds(lambda parts, sep: sep.join(parts)[:4000], st.lists(part, min_size=1, max_size=3), separator)
published = st.one_of(st.none(), st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(2024, 2, 29)]),
                      st.dates())
articles = st.lists(st.builds(lambda t, p, title: (t, p, title), text, published,
                              st.one_of(st.none(), odd_unicode, sentence)), min_size=6, max_size=30)


CODED = [0]  # articles coded over the run, for -s: the test's reach


def _inside(span: Span | None, text: str) -> bool:
    return span is None or 0 <= span.start <= span.end <= len(text)


def _check(coded: CodedArticle) -> None:
    text = coded.article.text
    assert coded.failed_stages == (), f"stage(s) {coded.failed_stages} failed on {text[:300]!r}"
    for s in coded.sentences:
        assert _inside(s, text) and text[s.start:s.end] == s.text
    for e in coded.events:
        assert _inside(e.trigger, text) and all(_inside(s, text) for s in e.evidence)
    for q in coded.quotes:
        assert _inside(q.content, text)
    for p in coded.places:
        assert _inside(p.span, text)
    for t in coded.dates:
        assert _inside(t.span, text)
    for a in coded.entities:
        assert all(_inside(s, text) for s in a.spans)
    again = CodedArticle.from_dict(json.loads(coded.to_json(text=True)))  # what the store and exports write
    assert again.events == coded.events and again.failed_stages == ()


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(batch=articles)
def test_no_stage_fails_on_hostile_text(pipeline, batch: list[tuple[str, date | None, str | None]]) -> None:  # type: ignore[no-untyped-def]
    items = [Article.create(t, id=f"fuzz-{i}", published=p, title=title) for i, (t, p, title) in enumerate(batch)]
    report = Report()
    out = list(pipeline.code(items, report))
    CODED[0] += len(out)
    wanted = [a.id for a in items if a.text.strip()]
    assert [c.id for c in out] == wanted  # nothing lost, nothing added, in order
    assert report.coded == len(wanted) and not report.failed_stages
    for coded in out:
        _check(coded)



def teardown_module() -> None:
    print(f"\nfuzz: {CODED[0]} generated articles coded, none with a failed stage")
