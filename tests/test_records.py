"""Records are frozen and survive a JSON round trip unchanged."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from communique.records import Actor, Article, CodedArticle, Event, Place, Quote, Span, TimeSpan

TEXT = "Kenya's president met Tanzania's leader in Arusha on Friday. \u201cWe agreed on trade,\u201d he said."


def _sample() -> CodedArticle:
    art = Article.create(TEXT, id="a1", title="Leaders meet", published=date(2024, 3, 4), url="https://x.test/a")
    s0 = Span(0, 60, TEXT[:60], 0)
    ken = Actor("Kenya", country="KEN", sector="GOV", role="president", kind="GPE", registry_id="country:KEN",
                aliases=("Kenya's president",), spans=(Span(0, 5, "Kenya", 0),))
    tza = Actor("Tanzania", country="TZA", kind="GPE", spans=(Span(22, 30, "Tanzania", 0),))
    when = TimeSpan("2024-03-01", "2024-03-01", "day", "DATE", "2024-03-01", Span(50, 59, "on Friday", 0))
    where = Place("Arusha", country="TZA", lat=-3.37, lon=36.68, precision="city", span=Span(43, 49, "Arusha", 0))
    ev = Event("CONSULT", "meet", ken, tza, Span(18, 21, "met", 0), "asserted", when, "text", where,
               contexts=("diplomatic",), quad_class=1, score=2.5, cameo_root="04", goldstein=1.0,
               ontology_version="v", evidence=(s0,), mentions=(0,)).with_id("a1")
    q = Quote(Span(62, 80, TEXT[62:80], 1), speaker=ken, speaker_span=Span(83, 85, "he", 1),
              cue=Span(86, 90, "said", 1))
    return CodedArticle(art, (ev,), (ken, tza), (when,), (where,), (q,), (s0,), "test")


def test_spans_point_at_text() -> None:
    c = _sample()
    for span in [c.events[0].trigger, c.dates[0].span, c.places[0].span, c.quotes[0].content, c.quotes[0].cue]:
        assert span is not None
        assert TEXT[span.start:span.end] == span.text


def test_round_trip_through_json() -> None:
    c = _sample()
    again = CodedArticle.from_dict(json.loads(c.to_json(text=True)))
    assert again == c


@pytest.mark.parametrize("record", [Span(0, 1, "K"), Article.create("x", id="i"), Actor("A"),
                                    TimeSpan(None, None, None, "DURATION", "P2M"), Place("P")])
def test_records_are_frozen(record: object) -> None:
    field = dataclasses.fields(record)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, field, None)


def test_event_id_is_a_content_hash() -> None:
    a, b = _sample().events[0], _sample().events[0]
    assert a.id == b.id and len(a.id) == 16
    assert dataclasses.replace(a, type="AGREE").with_id("a1").id != a.id


def test_article_ids_are_stable() -> None:
    assert Article.create("same text").id == Article.create("same text").id
    assert Article.create("t", url="https://a.test/1").id != Article.create("t", url="https://a.test/2").id
    assert Article.create("t", published=date(2024, 1, 1)).content_hash != Article.create("t").content_hash


def test_output_has_the_evaluation_shape() -> None:
    d = _sample().to_dict()
    assert set(d) >= {"id", "events", "entities", "dates", "places", "quotes"}
    ev = d["events"][0]
    assert ev["source"]["country"] == "KEN" and ev["target"]["country"] == "TZA"
    assert ev["sentence_index"] == 0 and ev["date"]["start"] == "2024-03-01"
    assert d["quotes"][0]["content_char_start"] == 62
