"""``pipeline.Pipeline``: stage isolation (a stage that raises costs the article only that stage's output),
an article spaCy cannot parse is kept, and what is stored says which stage failed.

A failing stage is made by replacing the stage's function in ``communique.pipeline`` with one that
raises (a real bug would raise the same way); everything else is the real pipeline and a real store."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import communique.pipeline as pipeline_module
from communique.records import Article, CodedArticle
from communique.report import Report
from communique.store import Store

pytestmark = pytest.mark.slow

TEXT = ("Kenya's foreign minister met his Ethiopian counterpart in Nairobi on Monday. "
        "Ethiopia later accused Somalia of violating its airspace, officials said. "
        '"We will not accept this," the Ethiopian prime minister said.')
PUBLISHED = date(2024, 2, 6)


def article(id: str = "iso-1", text: str = TEXT) -> Article:
    return Article.create(text, id=id, published=PUBLISHED, title="Ministers meet")


def broken(*_: Any, **__: Any) -> Any:
    raise RuntimeError("a bug in this stage")


@pytest.fixture(scope="module")
def whole(pipeline) -> CodedArticle:  # type: ignore[no-untyped-def]
    [coded] = list(pipeline.code([article()]))
    assert coded.failed_stages == ()
    assert coded.events and coded.places and coded.quotes and coded.dates and coded.entities
    assert coded.tone is not None and coded.contexts is not None
    return coded


def code_with(pipeline, monkeypatch: pytest.MonkeyPatch, target: str,  # type: ignore[no-untyped-def]
              caplog: pytest.LogCaptureFixture) -> tuple[CodedArticle, Report]:
    monkeypatch.setattr(pipeline_module, target, broken)
    report = Report()
    with caplog.at_level(logging.WARNING, logger="communique.pipeline"):
        [coded] = list(pipeline.code([article()], report))
    return coded, report


@pytest.mark.parametrize("target,stage", [
    ("find_places", "places"),
    ("find_quotes", "quotes"),
    ("extract_dates", "dates"),
    ("find_contexts", "contexts"),
    ("measure_tone", "tone"),
])
def test_a_failing_stage_costs_only_its_own_output(pipeline, whole: CodedArticle,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
                                                   target: str, stage: str) -> None:
    coded, report = code_with(pipeline, monkeypatch, target, caplog)
    assert coded.failed_stages == (stage,)
    assert report.coded == 1 and report.failed_stages == {stage: 1} and not report.skipped
    assert f"iso-1: stage '{stage}' failed: RuntimeError: a bug in this stage" in caplog.text
    assert coded.entities == whole.entities and coded.sentences == whole.sentences
    kept = {"places": coded.places, "quotes": coded.quotes, "dates": coded.dates}
    for name, value in kept.items():
        assert (value == ()) if name == stage else (value == getattr(whole, name)), name
    if stage == "tone":
        assert coded.tone is None and all(e.tone is None for e in coded.events)
    else:
        assert coded.tone == whole.tone
    if stage == "contexts":
        assert coded.contexts == ()
    if stage in ("tone", "contexts"):  # the events do not need these (they use the quotes: "we" is the speaker)
        assert [(e.type, e.trigger) for e in coded.events] == [(e.type, e.trigger) for e in whole.events]
    assert f"stage failures 1 ({stage}: 1)" in report.summary()


def test_failing_mentions_keep_the_rest(pipeline, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                        caplog: pytest.LogCaptureFixture, whole: CodedArticle) -> None:
    coded, _ = code_with(pipeline, monkeypatch, "Mentions", caplog)
    assert coded.failed_stages == ("mentions",)
    assert coded.entities == () and coded.events == () and coded.places == () and coded.quotes == ()
    assert coded.dates == whole.dates and coded.tone == whole.tone and coded.sentences == whole.sentences


def test_two_failing_stages_are_both_named_in_stage_order(pipeline,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline_module, "measure_tone", broken)
    monkeypatch.setattr(pipeline_module, "find_quotes", broken)
    [coded] = list(pipeline.code([article()]))
    assert coded.failed_stages == ("quotes", "tone")


def test_the_next_article_is_coded_whole(pipeline, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    real = pipeline_module.find_places
    calls = 0

    def first_fails(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RecursionError("maximum recursion depth exceeded")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline_module, "find_places", first_fails)
    one, two = pipeline.code([article("a"), article("b")])
    assert one.failed_stages == ("places",) and one.places == ()
    assert two.failed_stages == () and two.places


def test_an_article_spacy_cannot_parse_is_kept_and_the_batch_goes_on(pipeline,  # type: ignore[no-untyped-def]
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = pipeline.nlp
    real_call = type(nlp).__call__

    def pipe(items: Any, **kwargs: Any) -> Iterator[Any]:  # the batched parse fails on the poisoned text
        for text, context in items:
            if "POISON" in text:
                raise ValueError("the parser choked")
            yield real_call(nlp, text), context

    def call(self: Any, text: str, *args: Any, **kwargs: Any) -> Any:  # and so does the parse of that text alone
        if "POISON" in text:
            raise ValueError("the parser choked")
        return real_call(self, text, *args, **kwargs)

    monkeypatch.setattr(nlp, "pipe", lambda items, **kw: pipe(items, **kw))
    monkeypatch.setattr(type(nlp), "__call__", call)
    report = Report()
    items = [article("a"), article("p", "POISON " + TEXT), article("c"), article("d")]
    out = list(pipeline.code(items, report))
    assert [c.id for c in out] == ["a", "p", "c", "d"]
    assert [c.failed_stages for c in out] == [(), ("parse",), (), ()]
    assert out[1].events == () and out[1].article.text.startswith("POISON")
    assert [len(c.events) for c in out if c.id != "p"] == [len(out[0].events)] * 3
    assert report.coded == 4 and report.failed_stages == {"parse": 1}


def test_failed_stages_are_stored(pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(pipeline_module, "find_quotes", broken)
    with Store(tmp_path / "p.duckdb") as store:
        added, _ = store.add_many(pipeline.code([article()]))
        assert added == 1
        row = store.connection.execute("SELECT failed_stages FROM articles").fetchone()
        back = store.article("iso-1")
        events = store.counts()["events"]
    assert row == (["quotes"],)
    assert back is not None and back.failed_stages == ("quotes",) and events == len(back.events) > 0


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31)])
def test_dates_at_the_ends_of_the_calendar_code_and_store(pipeline, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          published: date) -> None:
    text = ("Kenya's foreign minister met his Ethiopian counterpart in Nairobi on Monday. "
            "Kenya will host talks next week, and Ethiopia accused Somalia of an attack two days ago.")
    a = Article.create(text, id="old", published=published)
    report = Report()
    with Store(tmp_path / "d.duckdb") as store:
        added, _ = store.add_many(pipeline.code([a], report))
        counts = store.counts()
    assert added == 1 and report.coded == 1 and not report.failed_stages and not report.skipped
    assert counts["events"] >= 2


def test_a_long_run_of_punctuation_is_parsed_as_spaces_and_kept(pipeline,  # type: ignore[no-untyped-def]
                                                                caplog: pytest.LogCaptureFixture) -> None:
    """spaCy's parse of thousands of brackets in a row takes minutes (bench/bench_hostile.py); the parse sees
    spaces instead, and everything else, the stored text and every offset, stays the article's own."""
    junk = "(" * 3000 + "[{" * 800
    text = f"Kenya's foreign minister met his Ethiopian counterpart on Monday. {junk} Ethiopia accused Somalia."
    with caplog.at_level(logging.WARNING, logger="communique.pipeline"):
        [coded] = list(pipeline.code([article("junk", text)]))
    assert coded.article.text == text and coded.failed_stages == ()
    assert "junk: 1 run(s) of 1000 or more punctuation marks parsed as spaces" in caplog.text
    assert all(text[s.start:s.end] == s.text for s in coded.sentences)
    assert {e.type for e in coded.events} >= {"CONSULT", "ACCUSE"}
    for e in coded.events:
        assert text[e.trigger.start:e.trigger.end] == e.trigger.text


@pytest.mark.parametrize("text,first", [
    # a line break ends a sentence, and a line's first word is no sentence of its own
    ("NAIROBI 1996-09-04\nArafat and Netanyahu met for two hours at the Erez crossing on Wednesday.",
     "Arafat and Netanyahu met for two hours at the Erez crossing on Wednesday."),
    ("LIMA 1996-09-04\nEcuador and Peru agreed to resume talks on their border dispute.",
     "Ecuador and Peru agreed to resume talks on their border dispute."),
    ("NAIROBI 1996-09-04\nU.S. envoy Peter Lang arrived in Kampala on Tuesday for talks with the Ugandan president.",
     "U.S. envoy Peter Lang arrived in Kampala on Tuesday for talks with the Ugandan president."),
])
def test_a_lines_first_word_opens_its_sentence(pipeline, text: str, first: str) -> None:  # type: ignore[no-untyped-def]
    sents = [s.text.strip() for s in pipeline.nlp(text).sents]
    assert sents[1] == first
