"""Shared fixtures: the real spaCy model, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"
SAMPLES = ROOT / "src" / "communique" / "samples"


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    from communique.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def code_text(pipeline):  # type: ignore[no-untyped-def]
    """Code one text (published date optional) and return the CodedArticle."""
    from datetime import date

    from communique.records import Article

    def run(text: str, published: date | None = date(2024, 5, 14), id: str = "t"):  # type: ignore[no-untyped-def]
        [coded] = list(pipeline.code([Article.create(text, id=id, published=published)]))
        return coded

    return run
