"""Quotations on hand-written sentences: direct, mixed and indirect, with cue, speaker and actor."""

from __future__ import annotations

import re
from datetime import date

import pytest

from communique.errors import DataFileError
from communique.quotes.lexicon import inflections, load_cues, parse_cues
from communique.quotes.marks import find_marked

PUB = date(2024, 5, 14)


def quoted(text: str) -> list[str]:
    return [text[k.start:k.end] for k in find_marked(text)]


# ---------------------------------------------------------------------------- quotation marks (no model)

@pytest.mark.parametrize("text,expected", [
    ("He said “we will win the war,” and left.", ["“we will win the war,”"]),
    ('A "straight quote here" and Clinton’s dog.', ['"straight quote here"']),
    ("The so-called ‘crazy system’ is Democrats’ plan.", ["‘crazy system’"]),
    ("Caddell: \"The question: “As you know, it is.” Forty.\" Done.",
     ["\"The question: “As you know, it is.” Forty.\""]),
    ("”Wrong way round, but a quote.” ― Name", ["”Wrong way round, but a quote.”"]),
    ("They call it ''total political crap'' in Brussels.", ["''total political crap''"]),
    # a paragraph that ends inside a quotation continues when the next one opens with a mark
    ("“First paragraph goes on\n\n“second paragraph ends.” Done.",
     ["“First paragraph goes on\n\n“second paragraph ends.”"]),
    # … and ends with its paragraph otherwise
    ("Unclosed “quote here\n\nNext paragraph.", ["“quote here"]),
    # a new speaker's turn in a transcript is a new quotation
    ('"HOST: what next?\n\n"GUEST: more talks.', ['"HOST: what next?', '"GUEST: more talks.']),
    ("Apostrophes don't open quotes in Clinton’s text.", []),
])
def test_quotation_marks(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


# ---------------------------------------------------------------------------- the cue lexicon (no model)

def test_bundled_lexicon_loads() -> None:
    lex = load_cues()
    assert lex.find("say", "said").group == "saying"  # type: ignore[union-attr]
    assert lex.find("hop", "hopes").lemma == "hope"  # type: ignore[union-attr]  # a wrong lemma, found by form
    assert lex.nouns["claim"].frames == ("clause", "infinitive")
    assert ("according", "to") in lex.source_phrases


def test_inflections() -> None:
    assert inflections("announce") == {"announces", "announced", "announcing"}
    assert inflections("deny") == {"denies", "denied", "denying"}
    assert inflections("push") == {"pushes", "pushed", "pushing"}
    assert inflections("warn") == {"warns", "warned", "warning"}


@pytest.mark.parametrize("data,message", [
    ({"cue": [{"frames": ["clause"], "lemmas": ["say"]}]}, "version"),
    ({"version": "1", "cue": [{"frames": ["sideways"], "lemmas": ["say"]}]}, "unknown frame"),
    ({"version": "1", "cue": [{"name": "a", "frames": ["clause"], "lemmas": ["say"]},
                              {"name": "b", "frames": ["object"], "lemmas": ["say"]}]}, "in both"),
    ({"version": "1", "cue": [{"frames": ["clause"], "lemmas": []}]}, "lemmas"),
    ({"version": "1"}, "no [[cue]]"),
])
def test_lexicon_schema(data: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(DataFileError, match=re.escape(message)):
        parse_cues(data)


# ---------------------------------------------------------------------------- quotations in articles (model)

def one(coded):  # type: ignore[no-untyped-def]
    assert len(coded.quotes) == 1, [q.content.text for q in coded.quotes]
    return coded.quotes[0]


def summary(q):  # type: ignore[no-untyped-def]
    """content, cue, speaker span, speaker actor (name, country), direct"""
    return (q.content.text, q.cue.text if q.cue else None, q.speaker_span.text if q.speaker_span else None,
            (q.speaker.name, q.speaker.country) if q.speaker else None, q.direct)


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    # "…,” X said
    ("“We will not accept any deal that threatens our borders,” the Kenyan foreign minister said on Monday.",
     ("“We will not accept any deal that threatens our borders,”", "said", "the Kenyan foreign minister",
      ("Kenyan foreign minister", "KEN"), True)),
    # straight marks, "said X", an apposition
    ('"We are ready to negotiate without conditions," said Sergei Lavrov, Russia\'s foreign minister.',
     ('"We are ready to negotiate without conditions,"', "said", "Sergei Lavrov, Russia's foreign minister",
      ("Sergei Lavrov", "RUS"), True)),
    # X told reporters: “…”
    ("Ukrainian President Volodymyr Zelenskiy told reporters: “We need more air defence systems before winter.”",
     ("“We need more air defence systems before winter.”", "told", "Ukrainian President Volodymyr Zelenskiy",
      ("Volodymyr Zelenskiy", "UKR"), True)),
    # fragments around the cue make one quotation
    ("“The ceasefire is holding,” said the army spokesman. “Aid convoys reached the city this morning.”",
     ("“The ceasefire is holding,” said the army spokesman. “Aid convoys reached the city this morning.”",
      "said", "the army spokesman", ("army spokesman", None), True)),
    # mixed: the whole reported clause
    ("The French ambassador said Paris would “stand firmly behind its partners in the region” during the talks.",
     ("Paris would “stand firmly behind its partners in the region” during the talks", "said",
      "The French ambassador", ("French ambassador", "FRA"), True)),
    # a dash source after a quotation
    ("“We will rebuild every school in the region.” — Amina Mohammed",
     ("“We will rebuild every school in the region.”", "—", "Amina Mohammed", ("Amina Mohammed", None), True)),
])
def test_direct_quotations(code_text, text: str, expected: tuple) -> None:  # type: ignore[no-untyped-def,type-arg]
    assert summary(one(code_text(text, PUB))) == expected


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    # X said (that) CLAUSE
    ("Kenyan President William Ruto said that the country would send police officers to Haiti.",
     ("that the country would send police officers to Haiti", "said", "Kenyan President William Ruto",
      ("William Ruto", "KEN"), False)),
    # X told Y CLAUSE
    ("The Japanese defence minister told parliament the army had withdrawn from the border area.",
     ("the army had withdrawn from the border area", "told", "The Japanese defence minister",
      ("Japanese defence minister", "JPN"), False)),
    # CLAUSE, X said
    ("Talks will resume next week, the Egyptian foreign ministry said.",
     ("Talks will resume next week", "said", "the Egyptian foreign ministry",
      ("Egyptian foreign ministry", "EGY"), False)),
    # according to X, CLAUSE
    ("According to the United Nations, the convoy was attacked near the border.",
     ("the convoy was attacked near the border", "According to", "the United Nations",
      ("United Nations", None), False)),
    # CLAUSE, according to X
    ("The convoy was attacked near the border, according to Kenyan police.",
     ("The convoy was attacked near the border", "according to", "Kenyan police", ("Kenyan police", "KEN"), False)),
    # a verb of thinking with its complement; the source's country from "in Hanoi"
    ("Officials in Hanoi expect the talks to resume in March.",
     ("the talks to resume in March", "expect", "Officials in Hanoi", ("Officials", "VNM"), False)),
    # an agentless passive: no source, the whole claim
    ("Vietnam is expected to sign the agreement in March.",
     ("Vietnam is expected to sign the agreement in March", "expected", None, None, False)),
    # a parenthetical cue: the sentence around it
    ("The vote, the Chilean foreign minister said, would take place in June.",
     ("The vote, the Chilean foreign minister said, would take place in June", "said",
      "the Chilean foreign minister", ("Chilean foreign minister", "CHL"), False)),
    # verbs of urging and intending with their infinitive
    ("Nigeria urged Niger to release the detained president.",
     ("to release the detained president", "urged", "Nigeria", ("Nigeria", "NGA"), False)),
    # a noun of saying with its that-clause
    ("Brazil rejected Argentina's claim that the dam had flooded its farms.",
     ("that the dam had flooded its farms", "claim", "Argentina's", ("Argentina", "ARG"), False)),
])
def test_indirect_speech(code_text, text: str, expected: tuple) -> None:  # type: ignore[no-untyped-def,type-arg]
    quotes = code_text(text, PUB).quotes
    assert expected in [summary(q) for q in quotes]


@pytest.mark.slow
def test_anonymous_source_keeps_its_description_and_takes_the_country_from_context(code_text) -> None:  # type: ignore[no-untyped-def]
    q = one(code_text("Indian officials met their Chinese counterparts on Tuesday. “The meeting went well and more "
                      "talks are planned,” one official, who spoke on condition of anonymity, told reporters.", PUB))
    assert q.speaker_span.text == "one official, who spoke on condition of anonymity"
    assert (q.speaker.name, q.speaker.country, q.speaker.sector, q.speaker.role) == ("one official", "IND", "GOV",
                                                                                      "official")
    assert q.cue.text == "told"


@pytest.mark.slow
def test_pronoun_speaker_resolved(code_text) -> None:  # type: ignore[no-untyped-def]
    q = one(code_text("German Chancellor Olaf Scholz arrived in Kyiv on Saturday. "
                      "He said Germany would deliver more tanks.", PUB))
    assert (q.speaker_span.text, q.speaker.name, q.speaker.country, q.content.text) == (
        "He", "Olaf Scholz", "DEU", "Germany would deliver more tanks")


@pytest.mark.slow
def test_quotation_standing_alone_takes_the_subject_before_it(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("Brazilian President Luiz Inácio Lula da Silva addressed the summit on Friday.\n\n"
                      "“The Amazon is not for sale and it never will be.”", PUB)
    q = one(coded)
    assert (q.content.text, q.cue, q.speaker.name, q.speaker.country) == (
        "“The Amazon is not for sale and it never will be.”", None, "Luiz Inácio Lula da Silva", "BRA")


@pytest.mark.slow
def test_quotation_over_several_paragraphs(code_text) -> None:  # type: ignore[no-untyped-def]
    text = ("The Ghanaian finance minister said:\n\n“The first part of the statement goes on here\n\n"
            "“and the second part of the same statement ends here.”\n\nThe session closed at noon.")
    q = one(code_text(text, PUB))
    assert q.content.text == ("“The first part of the statement goes on here\n\n"
                              "“and the second part of the same statement ends here.”")
    assert (q.cue.text, q.speaker.country, q.direct) == ("said", "GHA", True)


@pytest.mark.slow
def test_transcript_turns(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text('Partial transcript:\n\n"HOST: What happens to the talks next?\n\n'
                      '"MINISTER: We keep talking to both sides.', PUB)
    assert [(q.speaker_span.text, q.cue.text, q.content.text) for q in coded.quotes] == [
        ("HOST", ":", "What happens to the talks next?"), ("MINISTER", ":", "We keep talking to both sides")]


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "The coastguard “deliberately” rammed the fishing boat near the reef.",
    "The so-called “peace plan” collapsed on Monday.",
    "Delegates watched the film “Fire in the Valley” at the embassy.",
])
def test_scare_quotes_and_titles_are_not_quotations(code_text, text: str) -> None:  # type: ignore[no-untyped-def]
    assert code_text(text, PUB).quotes == ()


@pytest.mark.slow
def test_spans_point_at_the_text(code_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Indian officials met their counterparts on Tuesday.\n\n“The meeting went well,” one official said. "
            "“More talks are planned.”\n\nThe Nepalese prime minister said the border would reopen, according to "
            "state media. He called for calm.\n\n“We want peace,” he told reporters, adding that troops would "
            "stay.")
    coded = code_text(text, PUB)
    assert len(coded.quotes) >= 4
    for q in coded.quotes:
        for sp in (q.content, q.cue, q.speaker_span):
            if sp is not None:
                assert text[sp.start:sp.end] == sp.text
        assert q.content.sentence == next(s.sentence for s in coded.sentences if s.start <= q.content.start < s.end)


@pytest.mark.slow
@pytest.mark.parametrize("text,content,cue", [
    # a non-speech cue inside somebody's reported clause is part of what they said
    ("The Kenyan foreign minister noted that donors now demand stricter audits of the aid.",
     "that donors now demand stricter audits of the aid", "noted"),
    # … and so is a verb of saying in a relative clause
    ("The Peruvian president said he would spend the $4 million he says he raised on schools.",
     "he would spend the $4 million he says he raised on schools", "said"),
])
def test_report_inside_a_report_is_one_attribution(code_text, text: str, content: str,  # type: ignore[no-untyped-def]
                                                     cue: str) -> None:
    quotes = code_text(text, PUB).quotes
    assert [(q.content.text, q.cue.text if q.cue else None) for q in quotes] == [(content, cue)]


@pytest.mark.slow
def test_quotation_inside_a_report_keeps_its_own_attribution(code_text) -> None:  # type: ignore[no-untyped-def]
    text = "The Chilean minister warned that rebels who promised “a long and bloody war” were regrouping."
    quotes = code_text(text, PUB).quotes
    assert [(q.content.text, q.cue.text if q.cue else None) for q in quotes] == [
        ("that rebels who promised “a long and bloody war” were regrouping", "warned"),
        ("“a long and bloody war”", "promised")]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    # an agentless passive of a stance verb with its "of"/"for" complement: no source, the whole claim
    ("The Kenyan governor was accused of diverting flood relief funds to his own companies.",
     [("The Kenyan governor was accused of diverting flood relief funds to his own companies", "accused", None)]),
    ("Several envoys have been criticized for ignoring the fighting in the north.",
     [("Several envoys have been criticized for ignoring the fighting in the north", "criticized", None)]),
    # "seem"/"appear" with a complement: the writer's impression, no source
    ("The ceasefire seems to be holding along the border.",
     [("The ceasefire seems to be holding along the border", "seems", None)]),
    ("The Peruvian government appears unable to end the strike.",
     [("The Peruvian government appears unable to end the strike", "appears", None)]),
    # … but "appeared on television" reports nothing
    ("The Peruvian president appeared on national television on Monday.", []),
])
def test_sourceless_impressions(code_text, text: str, expected: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    quotes = code_text(text, PUB).quotes
    assert [(q.content.text, q.cue.text if q.cue else None, q.speaker.name if q.speaker else None)
            for q in quotes] == expected


@pytest.mark.slow
def test_quotation_ending_a_sentence_is_not_the_next_sentences(code_text) -> None:  # type: ignore[no-untyped-def]
    text = 'Japan branded Chile an "outlaw nation in the region." Peru insisted that Lima "stop its dangerous games."'
    quotes = code_text(text, PUB).quotes
    assert [(q.content.text, q.cue.text if q.cue else None) for q in quotes][1:] == [
        ('"outlaw nation in the region."', None), ('that Lima "stop its dangerous games."', "insisted")]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    # a stance verb's object takes the reason or charge after it
    ("The Kenyan minister blamed the army for the long delay in the north.",
     ("the army for the long delay in the north", "blamed", "Kenyan minister")),
    ("Peru accused Ecuador of closing the border.", ("Ecuador of closing the border", "accused", "Peru")),
])
def test_stance_object_with_its_charge(code_text, text: str, expected: tuple) -> None:  # type: ignore[no-untyped-def,type-arg]
    quotes = code_text(text, PUB).quotes
    assert [(q.content.text, q.cue.text if q.cue else None, q.speaker.name if q.speaker else None)
            for q in quotes] == [expected]
