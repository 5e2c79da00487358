"""The training corpus, its validator, the trained event models and their training."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from communique.events import sides
from communique.events.model import NONE, TriggerModel, load_model
from communique.records import Actor, Event, Place, Span
from communique.training import corpus

from .conftest import ROOT

CORPUS = ROOT / "corpus" / "passages"


def _passage(**over):  # type: ignore[no-untyped-def]
    p = {"id": "t-001", "genre": "wire", "published": "2024-03-12", "title": "T",
         "sentences": ["Kenya's foreign minister met his Ethiopian counterpart in Nairobi on Monday.",
                       "The weather was mild."],
         "events": [{"sentence": 0, "trigger": "met", "type": "CONSULT", "mode": "meet",
                     "source": {"text": "Kenya's foreign minister", "country": "KEN", "sector": "GOV", "igo": None},
                     "target": {"text": "his Ethiopian counterpart", "country": "ETH", "sector": "GOV", "igo": None},
                     "factuality": "asserted", "date": {"start": "2024-03-11", "end": None},
                     "location": {"text": "Nairobi", "country": "KEN"}, "core": True}]}
    p.update(over)
    return p


def _write(tmp_path: Path, *passages: dict) -> Path:  # type: ignore[type-arg]
    f = tmp_path / "c.jsonl"
    f.write_text("".join(json.dumps(p) + "\n" for p in passages), encoding="utf-8")
    return f


def test_the_corpus_is_valid_and_as_large_as_issue_11_asks() -> None:
    rep = corpus.check([CORPUS], ROOT.parent / "shared" / "eval")
    assert rep.errors == []
    assert rep.passages >= 600 and rep.events >= 3000 and rep.empty_sentences >= 1500
    assert set(rep.types) == set(corpus.vocab().modes) and min(rep.types.values()) >= 100
    assert set(rep.genres) == set(corpus.GENRES)


def test_a_valid_passage_passes(tmp_path: Path) -> None:
    rep = corpus.check([_write(tmp_path, _passage())])
    assert rep.errors == [] and rep.passages == 1 and rep.events == 1 and rep.empty_sentences == 1


@pytest.mark.parametrize("change,message", [
    ({"genre": "blog"}, "genre"),
    ({"sentences": []}, "sentences"),
    ({"published": "2024-02-30"}, "calendar day"),
])
def test_bad_passages_are_refused(tmp_path: Path, change: dict, message: str) -> None:  # type: ignore[type-arg]
    rep = corpus.check([_write(tmp_path, _passage(**change))])
    assert rep.passages == 0 and any(message in e for e in rep.errors), rep.errors


@pytest.mark.parametrize("field,value,message", [
    ("trigger", "visited", "trigger"),
    ("type", "MEET", "PLOVER types"),
    ("mode", "phone-call", "not a mode of CONSULT"),
    ("factuality", "likely", "factuality"),
    ("source", {"text": "Kenya's foreign minister", "country": "KENYA"}, "ISO 3166"),
    ("target", {"text": "the Pope", "country": "VAT"}, "not in the event's sentence"),
    ("source", {"text": "Kenya's foreign minister", "country": "KEN", "igo": "AU"}, "exclusive"),
])
def test_bad_events_are_refused(tmp_path: Path, field: str, value, message: str) -> None:  # type: ignore[no-untyped-def]
    p = _passage()
    p["events"][0][field] = value
    rep = corpus.check([_write(tmp_path, p)])
    assert rep.passages == 0 and any(message in e for e in rep.errors), rep.errors


def test_repeated_ids_and_texts_are_refused(tmp_path: Path) -> None:
    other = _passage(sentences=["A different first sentence.", "The weather was mild."], events=[])
    rep = corpus.check([_write(tmp_path, _passage(), other)])
    assert any("repeats" in e for e in rep.errors)
    rep = corpus.check([_write(tmp_path, _passage(), _passage(id="t-002"))])
    assert any("same text" in e for e in rep.errors)


def test_text_copied_from_a_gold_set_is_refused(tmp_path: Path) -> None:
    gold = tmp_path / "eval" / "set"
    gold.mkdir(parents=True)
    text = "Our own words about a quiet harbour town where the ferries ran late all week."
    (gold / "a.article.json").write_text(json.dumps({"text": "Preface. " + text}), encoding="utf-8")
    p = _passage(sentences=["Officials said that " + text], events=[])
    rep = corpus.check([_write(tmp_path, p)], tmp_path / "eval")
    assert any("write your own" in e for e in rep.errors)


def test_gold_pairs_merge_repeated_mentions(tmp_path: Path) -> None:
    p = _passage(sentences=["Kenya's foreign minister met his Ethiopian counterpart in Nairobi on Monday.",
                            "The two met again on Tuesday."])
    again = dict(p["events"][0], sentence=1, trigger="met",
                 source={"text": None, "name": "Kenya", "country": "KEN", "sector": "GOV", "igo": None},
                 target={"text": None, "name": "Ethiopia", "country": "ETH", "sector": "GOV", "igo": None})
    p["events"].append(again)
    article, gold = corpus.to_gold(p)
    assert article["text"] == " ".join(p["sentences"])
    [e] = gold["events"]
    assert article["text"][e["trigger_char_start"]:e["trigger_char_end"]] == "met"
    assert corpus.write_gold(tmp_path / "g", [_write(tmp_path, p)]) == 1


# ---------------------------------------------------------------------------------------------- models

def test_the_shipped_models_load() -> None:
    m = load_model()
    assert m is not None and m.labels[0] == NONE and len(m.labels) == 17
    assert m.weights.shape == (len(m.index), 17) and m.dense_weights is not None
    s = sides.load_side_model()
    assert s is not None and s.weights


def test_a_trigger_model_round_trips(tmp_path: Path) -> None:
    m = TriggerModel(("NONE", "ASSAULT"), {"l=shell": 0, "b": 1}, np.array([[0.0, 3.0], [1.0, 0.0]], np.float32),
                     frozenset({"shell"}), "test")
    m.save(tmp_path / "m.npz")
    back = load_model(tmp_path / "m.npz")
    assert back is not None and back.labels == m.labels and back.lemmas == {"shell"}
    p = back.scores([["b", "l=shell"], ["b"]])
    assert p[0].argmax() == 1 and p[1].argmax() == 0


def test_scores_sum_each_candidate_s_known_features() -> None:
    """The batched sum (one gather, one reduce) gives each row its own features' weights, skipping
    unknown features and rows with none."""
    w = np.array([[0.0, 2.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 4.0]], np.float32)
    m = TriggerModel(("NONE", "ASSAULT", "AID"), {"a": 0, "b": 1, "c": 2}, w, frozenset(), "test")
    feats = [["a", "zz"], [], ["c", "b", "a"], ["zz"], ["b"]]
    p = m.scores(feats)
    ref = np.zeros((5, 3), np.float32)
    for k, fs in enumerate(feats):
        for x in fs:
            if x in m.index:
                ref[k] += w[m.index[x]]
    ref = np.exp(ref - ref.max(axis=1, keepdims=True))
    ref /= ref.sum(axis=1, keepdims=True)
    assert np.allclose(p, ref, atol=1e-6)
    assert p[0].argmax() == 1 and p[2].argmax() == 2 and np.allclose(p[1], 1 / 3)


def test_dense_rows_are_the_words_own_context_vectors(pipeline) -> None:  # type: ignore[no-untyped-def]
    from communique.events.model import dense, dense_rows

    doc = pipeline.nlp("Rebels shelled the northern town on Monday, and the army answered with air strikes.")
    toks = [t for t in doc if t.pos_ in ("VERB", "NOUN")]
    rows = dense_rows(doc, toks)
    assert rows.shape == (len(toks), 192) and rows.any()
    assert np.array_equal(rows, np.stack([dense(t) for t in toks]))


def test_a_broken_model_file_is_a_clear_error(tmp_path: Path) -> None:
    from communique.errors import DataFileError

    np.savez(tmp_path / "bad.npz", features=np.array(["a"]), weights=np.zeros((2, 3)), labels=np.array(["X"]),
             lemmas=np.array(["a"]), version=np.array(["v"]))
    with pytest.raises(DataFileError, match="make train"):
        load_model(tmp_path / "bad.npz")
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    with pytest.raises(DataFileError, match="make train"):
        sides.load_side_model(tmp_path / "bad.json")


def _event(actor: Actor | None, recipient: Actor | None, sentence: int = 2) -> Event:
    return Event(type="ACCUSE", mode=None, actor=actor, recipient=recipient,
                 trigger=Span(0, 9, "condemned", sentence), factuality="asserted")


def _entity(name: str, country: str, sentences: list[int]) -> Actor:
    return Actor(name=name, country=country, kind="GPE", spans=tuple(Span(10 * s, 10 * s + 5, name, s)
                                                                      for s in sentences))


def test_the_fixed_rule_takes_the_story_s_other_party() -> None:
    kenya = _entity("Kenya", "KEN", [0, 1, 2])
    ents = [kenya, _entity("Somalia", "SOM", [0, 3]), _entity("Uganda", "UGA", [4])]
    [e] = sides.fill([_event(kenya, None)], ents, 5)
    assert e.recipient is not None and e.recipient.country == "SOM" and e.recipient.role == "implied"
    assert e.recipient.spans[0].sentence == 0  # points at the country's first mention
    # one country only, named in two sentences: a domestic event
    [e] = sides.fill([_event(kenya, None)], [kenya], 5)
    assert e.recipient is not None and e.recipient.country == "KEN"
    # named once: no party to take, the side stays open
    [e] = sides.fill([_event(kenya, None)], [_entity("Kenya", "KEN", [2])], 5)
    assert e.recipient is None


def test_a_description_is_an_open_side_a_name_is_not() -> None:
    kenya = _entity("Kenya", "KEN", [0, 1, 2])
    ents = [kenya, _entity("Somalia", "SOM", [0, 3])]
    gunmen = Actor(name="gunmen", sector="UAF")
    [e] = sides.fill([_event(gunmen, kenya)], ents, 5)
    assert e.actor is not None and e.actor.country == "SOM" and e.actor.name == "gunmen"
    unknown = Actor(name="Amina Osman", kind="PERSON")  # a name nobody coded is never guessed
    [e] = sides.fill([_event(unknown, kenya)], ents, 5)
    assert e.actor == unknown


def test_the_side_model_chooses_by_its_weights() -> None:
    kenya = _entity("Kenya", "KEN", [0, 1, 2])
    ents = [kenya, _entity("Somalia", "SOM", [0, 3])]
    ev = _event(kenya, None)
    cands = sides.candidates(ev, sides.parties(ents), 5)
    assert [c for c, _ in cands] == ["KEN", "SOM", sides.NOBODY]
    domestic = sides.SideModel({"dom": 2.0}, "t")
    [e] = sides.fill([ev], ents, 5, domestic)
    assert e.recipient is not None and e.recipient.country == "KEN"
    nobody = sides.SideModel({"none": 5.0}, "t")
    [e] = sides.fill([ev], ents, 5, nobody)
    assert e.recipient is None
    placed = sides.SideModel({"loc": 3.0}, "t")
    here = Event(type="ASSAULT", mode=None, actor=Actor(name="gunmen"), recipient=kenya,
                 trigger=Span(0, 4, "shot", 2), factuality="asserted",
                 location=Place(name="Kismayo", country="SOM"))
    [e] = sides.fill([here], ents, 5, placed)
    assert e.actor is not None and e.actor.country == "SOM"


@pytest.mark.slow
def test_training_writes_models_that_load(tmp_path: Path) -> None:
    """`make train` on two files of the corpus: both models are written (fixed seed: twice the same)."""
    from communique.training import train

    files = sorted(CORPUS.glob("*.jsonl"))[:2]
    scores = train.train([str(f) for f in files], tmp_path / "trigger_model.npz")
    assert 0 < scores["f1"] <= 1 and scores["sides_examples"] > 10
    m = load_model(tmp_path / "trigger_model.npz")
    assert m is not None and m.dense_weights is not None and len(m.index) > 500
    s = sides.load_side_model(tmp_path / "side_model.json")
    assert s is not None and s.weights
    first = (tmp_path / "side_model.json").read_text(encoding="utf-8")
    train.train([str(f) for f in files], tmp_path / "trigger_model.npz")
    assert (tmp_path / "side_model.json").read_text(encoding="utf-8") == first


def test_the_setting_chooses_the_learned_parts(pipeline) -> None:  # type: ignore[no-untyped-def]
    from communique.errors import ConfigError
    from communique.pipeline import Pipeline
    from communique.settings import Settings

    # the default: the lexicon's triggers, the trigger model's additions and the side model
    assert pipeline.coder.side_model is not None and pipeline.coder.model is not None and pipeline.coder.use == "add"
    sides = Pipeline(Settings(event_model="sides"), nlp=pipeline.nlp)
    assert sides.coder.side_model is not None and sides.coder.model is None
    both = Pipeline(Settings(event_model="both"), nlp=pipeline.nlp)
    assert both.coder.model is not None and both.coder.use == "both"
    rules = Pipeline(Settings(event_model="rules"), nlp=pipeline.nlp)
    assert rules.coder.model is None and rules.coder.side_model is None
    with pytest.raises(ConfigError, match="event_model"):
        Pipeline(Settings(event_model="magic"), nlp=pipeline.nlp)


def test_the_trigger_model_vetoes_a_sport_sense(pipeline) -> None:  # type: ignore[no-untyped-def]
    """Our own sentence: the lexicon codes 'attacked' in a bike race; the model knows it is no event.
    (It also vetoes too many real attacks — see the README — which is why the default, ``add``, never
    lets it veto.)"""
    from communique.pipeline import Pipeline
    from communique.records import Article
    from communique.settings import Settings

    both = Pipeline(Settings(event_model="both"), nlp=pipeline.nlp)
    article = Article.create("The French champion attacked the Spanish rider on the final climb of the stage.",
                             id="t", published=date(2024, 5, 14))
    [by_rules] = list(pipeline.code([article]))
    [by_both] = list(both.code([article]))
    assert "ASSAULT" in {e.type for e in by_rules.events}  # the lexicon alone
    assert "ASSAULT" not in {e.type for e in by_both.events}


def test_the_trigger_model_adds_no_adjective_or_light_verb(pipeline) -> None:  # type: ignore[no-untyped-def]
    """Our own sentence: the model gives "unable" a SANCTION score above the bar; an adjective (or a
    light verb such as "made") names no act by itself, so the default coder adds no event for it."""
    from communique.records import Article

    article = Article.create("The Egyptian delegation was unable to attend the talks in Cairo, officials said.",
                             id="t", published=date(2016, 12, 10))
    [coded] = list(pipeline.code([article]))
    assert pipeline.coder.use == "add"
    assert "unable" not in {e.trigger.text for e in coded.events if e.trigger is not None}
