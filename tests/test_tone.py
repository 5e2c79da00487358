"""Tone: the lexicon (VADER adapted by tone.toml), the scale, negation, evidence words, and schema errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.errors import DataFileError
from communique.records import Article, CodedArticle, Event, Span
from communique.tone import Tone, load_tone, measure_tone, read_vader


def test_lexicon_is_vader_adapted_for_news() -> None:
    lex = load_tone()
    assert len(read_vader()) > 7000 and len(lex) > 7000
    assert lex.valence["killed"] == -3.5  # VADER's own value
    assert lex.valence["ceasefire"] == 1.5  # tone.toml adds what VADER lacks
    assert "party" not in lex.valence and "security" not in lex.valence  # topic words, not sentiment
    assert {"not", "n't", "never"} <= lex.negators


@pytest.mark.slow
@pytest.mark.parametrize("text,tone,evidence", [
    # 100 * (1.4 + 2.2) / (4 * 5 words) = 18.0
    ("The ministers welcomed the agreement.", 18.0, ("agreement", "welcomed")),
    ("The ministers welcomed the agreement and praised the cooperation between the two countries.",
     14.62, ("agreement", "praised", "cooperation", "welcomed")),
    # a negation reaches the first sentiment word after it: 100 * (2.0 * -0.74 + 2.2) / (4 * 7) = 2.57
    ("The president did not welcome the agreement.", 2.57, ("agreement", "not welcome")),
    ("Rebels killed ten soldiers and wounded dozens in a bombing near the capital.",
     -17.88, ("killed", "bombing", "wounded", "rebels")),
    # names carry no tone: Hope, Justice, Party
    ("Hope Hicks met members of the Justice Party in Washington.", 0.0, ()),
    ("Troops crossed the border on Monday.", 0.0, ()),
])
def test_article_tone(code_text, text: str, tone: float, evidence: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    coded = code_text(text)
    assert (coded.tone, coded.tone_evidence) == (tone, evidence)


@pytest.mark.slow
def test_event_tone_is_the_tone_of_its_sentences(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("Rebels killed ten soldiers in the north.\n"
                      "Japan's foreign minister met his Chinese counterpart in Beijing and praised the talks.")
    [event] = [e for e in coded.events if e.type == "CONSULT"]
    assert event.mentions == (1,)
    # 100 * 2.2 / (4 * 13 words) = 4.23; the article adds "killed" (-3.5) and "rebels" (-0.8) over 20 words
    assert (event.tone, event.tone_evidence) == (4.23, ("praised",))
    assert (coded.tone, coded.tone_evidence) == (-2.62, ("killed", "praised", "rebels"))


@pytest.mark.slow
def test_doc_tone_per_sentence(pipeline) -> None:  # type: ignore[no-untyped-def]
    doc = pipeline.nlp("Nothing happened.\nThe talks failed.\nThe talks were never a failure.")
    scored = measure_tone(doc, [(s.start, s.end) for s in doc.sents], load_tone())
    assert scored.words == (2, 3, 6)
    assert scored.of_sentences([0]) == Tone(0.0, (), 2)
    assert scored.of_sentences([1]) == Tone(-19.17, ("failed",), 3)  # 100 * -2.3 / 12
    assert scored.of_sentences([2]) == Tone(7.09, ("not failure",), 6)  # 100 * -2.3 * -0.74 / 24
    assert scored.of_sentences([]) == Tone(None, (), 0)
    assert scored.article == scored.of_sentences([0, 1, 2])


def test_tone_survives_a_json_round_trip() -> None:
    text = "The talks failed."
    art = Article.create(text, id="a1")
    ev = Event("REJECT", None, None, None, Span(10, 16, "failed", 0), tone=-19.17, tone_evidence=("failed",),
               contexts=("diplomatic",), mentions=(0,)).with_id("a1")
    coded = CodedArticle(art, (ev,), sentences=(Span(0, 17, text, 0),), contexts=("diplomatic",), tone=-19.17,
                         tone_evidence=("failed",))
    d = json.loads(coded.to_json(text=True))
    assert (d["tone"], d["tone_evidence"], d["contexts"]) == (-19.17, ["failed"], ["diplomatic"])
    assert (d["events"][0]["tone"], d["events"][0]["tone_evidence"]) == (-19.17, ["failed"])
    assert CodedArticle.from_dict(d) == coded


# --------------------------------------------------------------------------- schema errors

VALID = 'version = "test"\nnegators = ["not"]\nignore = ["party"]\n[valence]\nceasefire = 1.5\n'


def test_minimal_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "tone.toml"
    path.write_text(VALID, encoding="utf-8")
    lex = load_tone(path)
    assert lex.valence["ceasefire"] == 1.5 and "party" not in lex.valence and lex.negators == {"not"}


@pytest.mark.parametrize("text,entry", [
    (VALID + "truce = 5\n", "[valence.truce] must be a number from -4.0 to 4.0"),
    (VALID + 'truce = "good"\n', "[valence.truce] must be a number"),
    (VALID + "party = 1.0\n", "[valence.party] is also listed in ignore"),
    (VALID + '"peace deal" = 2.0\n', "[valence.peace deal] must be one word"),
    (VALID.replace('version = "test"', 'version = ""'), "[version] must be a non-empty string"),
    ("colour = 1\n" + VALID, "[colour] unknown key"),
    ("window = 2.5\n" + VALID, "[window] must be a whole number"),
    ("negation = -3\n" + VALID, "[negation] must be a number from -1.0 to 1.0"),
    (VALID.replace('negators = ["not"]', 'negators = "not"'), "[negators] must be a list of non-empty strings"),
    (VALID.replace('ignore = ["party"]', 'ignore = ["party", 3]'), "[ignore] must be a list of non-empty strings"),
    (VALID + "[oops", "not valid TOML"),
])
def test_schema_errors_name_file_and_entry(tmp_path: Path, text: str, entry: str) -> None:
    path = tmp_path / "tone.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_tone(path)
    assert str(path) in str(err.value)
    assert entry in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read the tone file"):
        load_tone(tmp_path / "nowhere.toml")
