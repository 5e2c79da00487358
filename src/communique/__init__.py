"""communique: offline political event data from news.

    >>> from communique import Article, code
    >>> for coded in code([Article.create(text, published=date(2024, 5, 1))]):
    ...     for event in coded.events:
    ...         print(event.type, event.actor, event.recipient)

The package never configures logging; the ``communique`` CLI does.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .errors import CommuniqueError, ConfigError, DataFileError, InputError, OutputError, StoreError
from .records import Actor, Article, CodedArticle, Event, Place, Quote, Span, TimeSpan

if TYPE_CHECKING:
    from .ingest import read_articles
    from .pipeline import Pipeline, Report, code
    from .store import Store

__all__ = [
    "Actor", "Article", "CodedArticle", "Event", "Place", "Quote", "Span", "TimeSpan",
    "code", "Pipeline", "Report", "read_articles", "Store", "open_store",
    "CommuniqueError", "ConfigError", "DataFileError", "InputError", "OutputError", "StoreError",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def open_store(path: str = "communique.duckdb", *, read_only: bool = False) -> Store:
    """Open (or create) the DuckDB store."""
    from .store import Store

    return Store(path, read_only=read_only)


def __getattr__(name: str) -> Any:
    # heavy modules (spaCy, DuckDB) load on first use, so `import communique` stays cheap
    if name == "Report":
        from .report import Report

        return Report
    if name in ("code", "Pipeline"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "read_articles":
        from .ingest import read_articles

        return read_articles
    if name == "Store":
        from .store import Store

        return Store
    raise AttributeError(f"module 'communique' has no attribute {name!r}")
