"""The rule table of type rewrites (events/rewrites.py): every row's example, coded by the rules."""

from __future__ import annotations

from datetime import date

import pytest

from communique.events import coder
from communique.events.rewrites import RULES, Rule, rewrite
from communique.records import Article

PUB = date(2024, 5, 14)


@pytest.fixture(scope="module")
def code_text(pipeline):  # type: ignore[no-untyped-def]
    """The rules alone (lexicon, arguments, factuality, the fixed side rule), as in test_events.py."""
    from communique.pipeline import Pipeline
    from communique.settings import Settings

    rules = Pipeline(Settings(event_model="rules"), nlp=pipeline.nlp)

    def run(text: str, published: date | None = PUB, id: str = "t"):  # type: ignore[no-untyped-def]
        [coded] = list(rules.code([Article.create(text, id=id, published=published)]))
        return coded

    return run


def test_every_rule_is_named_once_and_has_an_example() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert all(r.name.strip() and r.example.strip() for r in RULES)
    assert all(r.type.isupper() for r in RULES)


@pytest.mark.slow
@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_the_example_is_coded_as_the_rewrite(code_text, rule: Rule) -> None:  # type: ignore[no-untyped-def]
    coded = code_text(rule.example)
    assert (rule.type, rule.mode) in {(e.type, e.mode) for e in coded.events}


@pytest.mark.slow
@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_the_example_needs_its_rule(code_text, monkeypatch, rule: Rule) -> None:  # type: ignore[no-untyped-def]
    """Without its row, the example is not coded as the rewrite: it shows that rule, not another."""
    others = tuple(r for r in RULES if r is not rule)
    monkeypatch.setattr(coder, "rewrite", lambda case: rewrite(case, others))
    coded = code_text(rule.example)
    assert rule.type not in {e.type for e in coded.events}
