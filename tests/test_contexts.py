"""PLOVER contexts: the bundled lexicon, sentence scores, event and article contexts, and schema errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.contexts import find_contexts, load_contexts
from communique.errors import DataFileError
from communique.ontology import load_ontology
from communique.records import Actor, Event, Span


def test_bundled_lexicon_covers_every_context() -> None:
    lex = load_contexts()
    assert lex.codes == tuple(load_ontology().contexts)
    assert len(lex.codes) == 37
    assert {t.context for ts in lex.first.values() for t in ts} == set(lex.codes)
    assert len(lex) > 1500


@pytest.fixture(scope="module")
def nlp(pipeline):  # type: ignore[no-untyped-def]
    return pipeline.nlp


def _scores(nlp, text: str) -> list[dict[str, float]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    return [dict(s) for s in find_contexts(doc, [(s.start, s.end) for s in doc.sents], load_contexts()).sentences]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    # a phrase is matched before its words: "human rights" is not also the weak "rights" of human_rights
    ("Human rights groups criticised the ban.", [{"human_rights": 1.0, "legal": 0.5, "rights_freedoms": 0.5}]),
    # "women's" is split like spaCy splits it; lemmas match ("activists" -> "activist")
    ("Women's rights activists marched.",
     [{"gender": 1.0, "human_rights": 1.0, "legal": 0.5, "rights_freedoms": 1.0}]),
    # a capitalised term matches its case only: the WHO, not "who"
    ("The WHO said the outbreak was over.", [{"health": 2.0}]),
    ("Officials who met the minister left.", [{"executive": 1.0, "diplomatic": 0.5}]),
    # words inside a person's name are skipped
    ("Bill Gates spoke about the bill.", [{"legislative": 0.5}]),
    # hyphens between letters are ignored
    ("The peace-keeping force left.", [{"peacekeeping": 1.0}]),
    ("They moved on Monday. Troops crossed the border.",
     [{}, {"military": 1.0, "territory": 1.0, "migration": 0.5}]),
    ("Nothing happened.", [{}]),
])
def test_sentence_scores(nlp, text: str, expected: list[dict[str, float]]) -> None:  # type: ignore[no-untyped-def]
    assert _scores(nlp, text) == expected


def _event(type: str, mode: str | None = None, *, sentence: int = 0, actor: Actor | None = None,
           recipient: Actor | None = None) -> Event:
    return Event(type, mode, actor, recipient, Span(0, 1, "x", sentence), mentions=(sentence,))


JPN = Actor("Japan", country="JPN", sector="GOV")
CHN = Actor("China", country="CHN", sector="GOV")
TOKYO = Actor("Tokyo", country="JPN", sector="GOV")
ARMY = Actor("the army", country="JPN", sector="MIL")


@pytest.mark.slow
@pytest.mark.parametrize("text,event,expected", [
    # the rules alone, in a sentence without terms
    ("They moved on Monday.", _event("MOBILIZE", "troops", actor=ARMY), ("military",)),
    ("They moved on Monday.", _event("CONSULT", "meet", actor=JPN, recipient=CHN), ("diplomatic",)),
    ("They moved on Monday.", _event("CONSULT", "meet", actor=JPN, recipient=TOKYO), ()),
    ("They moved on Monday.", _event("COERCE", "cyber"), ("cyber",)),
    # an event reads only the sentences that report it, best first, at most three
    ("Troops crossed the border. They moved on Monday.", _event("COERCE", sentence=1), ()),
    ("They moved on Monday. Troops crossed the border.", _event("COERCE", sentence=1), ("military", "territory")),
    ("The foreign minister held talks on trade, tariffs and investment with his counterpart.",
     _event("CONSULT", "meet", actor=JPN, recipient=CHN), ("diplomatic", "economic")),
    ("Soldiers fired missiles at the disputed islands after hackers broke into the ministry's computer systems.",
     _event("ASSAULT", "heavy-weapons", actor=ARMY), ("military", "territory", "cyber")),
])
def test_event_contexts(nlp, text: str, event: Event, expected: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    found = find_contexts(doc, [(s.start, s.end) for s in doc.sents], load_contexts())
    assert found.for_event(event) == expected


MILITARY = "Troops crossed the border on Monday.\n"


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    ("The army deployed troops to the border after rebels attacked a military base.",
     ("military", "territory", "terrorism")),
    ("Japan's foreign minister met his Chinese counterpart in Beijing for talks on trade and tariffs.",
     ("diplomatic", "economic")),
    ("A court in Ankara sentenced the journalist to five years in prison for insulting the president.",
     ("legal", "rights_freedoms")),
    ("The United Nations said famine threatens millions of refugees displaced by the floods.",
     ("migration", "human_security", "diplomatic")),
    ("Hope Hicks met members of the Justice Party in Washington.", ()),
    # a long article keeps what at least two sentences and half as many as the top context share
    (MILITARY * 5 + "The central bank raised interest rates.", ("military", "territory")),
    (MILITARY * 3 + "The central bank raised interest rates.\nInflation and unemployment rose.\nNothing more.",
     ("military", "territory", "economic")),
])
def test_article_contexts(code_text, text: str, expected: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert code_text(text).contexts == expected


@pytest.mark.slow
def test_events_carry_contexts(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("Japan's foreign minister met his Chinese counterpart in Beijing for talks on trade.")
    [event] = [e for e in coded.events if e.type == "CONSULT"]
    assert event.contexts == ("diplomatic", "economic")


# --------------------------------------------------------------------------- stories of plain crime

BURGLARY = ("Police in Dayton, Ohio, arrested a 34-year-old man on Tuesday after a string of burglaries on Elm Street. "
            "He was charged with three counts of burglary and one of theft, police said. "
            "A judge set his bail at $20,000 and he will appear in court next month.")
CRACKDOWN = ("Police in Minsk arrested dozens of opposition activists on Sunday as they marched against the "
             "government. The activists were charged with organising an unauthorised protest, a court said. "
             "Opposition leaders accused the president of crushing dissent before the election.")


@pytest.mark.slow
def test_crime_stories_code_setting_keeps_them(pipeline) -> None:  # type: ignore[no-untyped-def]
    from communique.pipeline import Pipeline
    from communique.records import Article
    from communique.settings import Settings

    coding = Pipeline(Settings(crime_stories="code"), nlp=pipeline.nlp)
    [coded] = list(coding.code([Article.create(BURGLARY, id="b")]))
    assert any(e.type == "COERCE" for e in coded.events)


DEAL = ("Harlow Dairy Inc. has agreed to pay $48 million in cash to acquire Fenwick Foods Co., a cheese maker "
        "based in Leeds, Ala. Harlow offered $12 a share last month. The company said the purchase would lift its "
        "sales and help it cut costs.")


@pytest.mark.slow
@pytest.mark.parametrize("text,contexts", [
    (BURGLARY, {"crime", "legal"}),  # a burglary and its arrest
    (DEAL, {"economic"}),  # a company buying another, although "agreed" is a political verb
])
def test_plain_crime_and_business_stories_hold_no_event(code_text, text: str,
                                                          contexts: set) -> None:  # type: ignore[no-untyped-def]
    coded = code_text(text)
    assert coded.contexts and set(coded.contexts) <= contexts
    assert coded.events == ()


POLICE = Actor("police", country="USA", sector="COP", role="police")
MAN = Actor("a 34-year-old man", country="USA", sector="CVL")


@pytest.mark.parametrize("recipient,crosses,plain", [
    (MAN, False, True),  # police arrest a man: plain crime
    (Actor("Jane Roe", country="USA", sector="OPP", kind="PERSON"), False, False),  # an opposition leader
    (Actor("a reporter", country="USA", sector="JRN"), False, False),  # a journalist
    (Actor("a Canadian tourist", country="CAN", sector="CVL"), True, False),  # across a border
    # someone the registry of office holders knows, out of office at the time (no sector): politics
    (Actor("John Doe", country="USA", kind="PERSON", role="former senator", registry_id="person:john_doe"), False,
     False),
    (Actor("John Doe", country="USA", kind="PERSON"), False, True),  # a name nobody holds office under
])
def test_plain_crime(nlp, recipient: Actor, crosses: bool, plain: bool) -> None:  # type: ignore[no-untyped-def]
    from communique.contexts import plain_crime

    doc = nlp("Police arrested him after a burglary. He was charged with theft and jailed by a judge.")
    found = find_contexts(doc, [(s.start, s.end) for s in doc.sents], load_contexts())
    assert set(found.for_article(())) <= {"crime", "legal"}
    assert (recipient.country != "USA") == crosses
    assert plain_crime(found, [_event("COERCE", "arrest", actor=POLICE, recipient=recipient)]) == plain
    assert plain_crime(found, []) is True


def test_political_text_is_never_plain_crime(nlp) -> None:  # type: ignore[no-untyped-def]
    from communique.contexts import plain_crime

    doc = nlp("Riot police fired tear gas at protesters and arrested dozens of them outside parliament.")
    found = find_contexts(doc, [(s.start, s.end) for s in doc.sents], load_contexts())
    assert not plain_crime(found, [_event("COERCE", "arrest", actor=POLICE, recipient=MAN)])


@pytest.mark.slow
@pytest.mark.parametrize("text,country", [
    (CRACKDOWN, "BLR"),
    # police and a protest make repression, not plain crime, even in one sentence
    ("Indonesian police arrested 20 students after a protest in Jakarta on Tuesday.", "IDN"),
])
def test_arrests_in_a_political_story_are_coded(code_text, text: str, country: str) -> None:  # type: ignore[no-untyped-def]
    coded = code_text(text)
    assert any(e.type == "COERCE" and e.actor is not None and e.actor.country == country for e in coded.events)


def test_bad_crime_stories_setting(pipeline) -> None:  # type: ignore[no-untyped-def]
    from communique.errors import ConfigError
    from communique.pipeline import Pipeline
    from communique.settings import Settings

    with pytest.raises(ConfigError, match="crime_stories"):
        Pipeline(Settings(crime_stories="drop"), nlp=pipeline.nlp)


# --------------------------------------------------------------------------- schema errors


def _file(tmp_path: Path, body: str = "", *, drop: str | None = None, extra: str = "") -> Path:
    """A minimal valid contexts file (one term per context), changed by ``body``/``drop``/``extra``."""
    lines = ['version = "test"', body]
    for code in load_ontology().contexts:
        if code != drop:
            lines.append(f'[contexts.{code}]\nterms = ["{code} word"]')
    lines.append(extra)
    path = tmp_path / "contexts.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_minimal_file_loads(tmp_path: Path) -> None:
    lex = load_contexts(_file(tmp_path))
    assert len(lex) == 37 and lex.version == "test"


@pytest.mark.parametrize("kwargs,entry", [
    ({"extra": '[contexts.weather]\nterms = ["rain"]'}, "[contexts.weather] is not a PLOVER context"),
    ({"drop": "cyber"}, "[contexts.cyber] is missing"),
    ({"drop": "cyber", "extra": "[contexts.cyber]\nweak = [\"x\"]"}, "[contexts.cyber.terms] is missing"),
    ({"drop": "cyber", "extra": '[contexts.cyber]\nterms = "hack"'}, "[contexts.cyber.terms] must be a list"),
    ({"drop": "cyber", "extra": '[contexts.cyber]\nterms = ["hack", "hack"]'}, "'hack' is listed twice"),
    ({"drop": "cyber", "extra": '[contexts.cyber]\nterms = ["hack"]\nwords = ["x"]'},
     "[contexts.cyber] unknown key(s) ['words']"),
    ({"drop": "cyber", "extra": '[contexts.cyber]\nterms = ["hack"]\nsectors = ["HACKERS"]'},
     "'HACKERS' is not a PLOVER sector"),
    ({"drop": "cyber", "extra": '[contexts.cyber]\nterms = ["hack"]\nevents = ["HACK:cyber"]'},
     "'HACK' is not a PLOVER event type"),
    ({"drop": "cyber", "extra": '[contexts.cyber]\nterms = ["hack"]\ninternational = ["MEET"]'},
     "[contexts.cyber.international] 'MEET' is not a PLOVER event type"),
    ({"body": "[event]\nmax = 2.5"}, "[event.max] must be a whole number"),
    ({"body": "[article]\nmin_share = 2"}, "[article.min_share] must be a number from 0.0 to 1.0"),
    ({"body": "[article]\nlimit = 2"}, "[article] unknown key(s) ['limit']"),
    ({"body": '[article]\nnot_political = ["burglary"]'}, "[article.not_political] 'burglary' is not a PLOVER context"),
    ({"body": '[article]\nnot_political = "crime"'}, "[article.not_political] must be a list"),
    ({"body": 'colour = "red"'}, "[colour] unknown top-level key"),
    ({"body": "version = ["}, "not valid TOML"),
])
def test_schema_errors_name_file_and_entry(tmp_path: Path, kwargs: dict[str, str], entry: str) -> None:
    path = _file(tmp_path, **kwargs)
    with pytest.raises(DataFileError) as err:
        load_contexts(path)
    assert str(path) in str(err.value)
    assert entry in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read the contexts file"):
        load_contexts(tmp_path / "nowhere.toml")
