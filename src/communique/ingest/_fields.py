"""Turning loose input values (a JSON object, a date string) into an ``Article``."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from communique.records import Article

__all__ = ["Invalid", "article_from_object", "parse_published"]

# Other names for a field that common corpora use; the first present one wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "doc_id"),
    "text": ("text", "body", "content"),
    "title": ("title", "headline"),
    "published": ("published", "date", "publish_date", "published_at"),
    "url": ("url", "link"),
    "source": ("source", "source_name", "outlet"),
    "language": ("language", "lang"),
}

_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")


class Invalid(ValueError):
    """One input item cannot become an Article; ``str(exc)`` is the reason."""


def parse_published(value: Any) -> date | None:
    """A publication date from a string: ``YYYY-MM-DD``, an ISO datetime (``2023-10-24T08:00:00Z``),
    ``YYYY-MM-DD HH:MM``, ``YYYY/MM/DD`` or an RFC 2822 feed date. Empty means none.

    The date is the calendar day as written (no time-zone conversion)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise Invalid(f"invalid published date {value!r} (use YYYY-MM-DD)")
    s = value.strip()
    if not s:
        return None
    try:
        if len(s) == 10:
            return date.fromisoformat(s)
        return datetime.fromisoformat(s).date()
    except ValueError:
        pass
    m = _SLASHED.match(s)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    elif s[:1].isalpha():
        try:
            return parsedate_to_datetime(s).date()
        except (TypeError, ValueError, IndexError):
            pass
    raise Invalid(f"invalid published date {value!r} (use YYYY-MM-DD)")


def _get(obj: dict[str, Any], name: str) -> Any:
    for key in FIELD_ALIASES[name]:
        if obj.get(key) is not None:
            return obj[key]
    return None


def _opt_str(obj: dict[str, Any], name: str) -> str | None:
    value = _get(obj, name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Invalid(f"'{name}' must be a string, not {type(value).__name__}")
    return str(value).strip() or None


def article_from_object(obj: Any, *, published: date | None = None) -> Article:
    """An Article from one JSON object; ``published`` is used when the object has no date."""
    if not isinstance(obj, dict):
        raise Invalid(f"expected a JSON object with 'text', got {type(obj).__name__}")
    text = _get(obj, "text")
    if text is None:
        raise Invalid("no text")
    if not isinstance(text, str):
        raise Invalid(f"'text' must be a string, not {type(text).__name__}")
    if not text.strip():
        raise Invalid("no text")
    pub = parse_published(_get(obj, "published"))
    return Article.create(
        text,
        id=_opt_str(obj, "id"),
        title=_opt_str(obj, "title"),
        url=_opt_str(obj, "url"),
        source=_opt_str(obj, "source"),
        published=pub if pub is not None else published,
        language=_opt_str(obj, "language") or "en",
    )
