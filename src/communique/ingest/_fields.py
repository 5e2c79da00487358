"""Turning loose input values (a JSON object, a date string) into an ``Article``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from communique.records import Article

__all__ = ["FIELDS", "Columns", "Invalid", "article_from_object", "missing_columns", "parse_columns", "parse_published"]

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

FIELDS = tuple(FIELD_ALIASES)

# A column mapping: Article field → the name of the column (or JSON key) that holds it.
Columns = Mapping[str, str]

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


def parse_columns(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """A column mapping from ``text=body,title=headline,published=date`` (or a mapping).

    Keys are Article fields (``id``, ``text``, ``title``, ``published``, ``url``,
    ``source``, ``language``); values are column names of the corpus. Raises
    ``ValueError`` with what to fix."""
    if spec is None:
        return {}
    pairs: Iterable[tuple[str, str]]
    if isinstance(spec, str):
        pairs = []
        for part in spec.split(","):
            if not part.strip():
                continue
            field, sep, column = part.partition("=")
            if not sep or not field.strip() or not column.strip():
                raise ValueError(f"{part.strip()!r} is not FIELD=COLUMN (e.g. text=body,title=headline)")
            pairs.append((field, column))
    else:
        pairs = spec.items()
    columns: dict[str, str] = {}
    for field, column in pairs:
        field = field.strip().lower()
        if field not in FIELD_ALIASES:
            raise ValueError(f"unknown field {field!r} in the column mapping; fields are {', '.join(FIELDS)}")
        if field in columns:
            raise ValueError(f"field {field!r} is mapped twice in the column mapping")
        columns[field] = column.strip()
    return columns


def missing_columns(names: Iterable[str], columns: Columns) -> str | None:
    """The reason a corpus with these column names cannot be read with ``columns``, or None."""
    have = list(names)
    missing = [c for c in columns.values() if c not in have]
    if missing:
        listed = ", ".join(have) or "none"
        return (f"no column {', '.join(repr(c) for c in missing)} (the columns are: {listed}); "
                "fix the column mapping (--columns)")
    if "text" not in columns and not any(k in have for k in FIELD_ALIASES["text"]):
        listed = ", ".join(have) or "none"
        return (f"no text column (the columns are: {listed}); "
                "name it with a column mapping (--columns text=COLUMN)")
    return None


def _get(obj: dict[str, Any], name: str, columns: Columns | None = None) -> Any:
    if columns and name in columns:
        return obj.get(columns[name])
    for key in FIELD_ALIASES[name]:
        if obj.get(key) is not None:
            return obj[key]
    return None


def _opt_str(obj: dict[str, Any], name: str, columns: Columns | None = None) -> str | None:
    value = _get(obj, name, columns)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Invalid(f"'{name}' must be a string, not {type(value).__name__}")
    return str(value).strip() or None


def article_from_object(obj: Any, *, published: date | None = None, columns: Columns | None = None) -> Article:
    """An Article from one JSON object or corpus row; ``published`` is used when it has no date.

    ``columns`` maps Article fields to the keys that hold them; a field it does not
    map is looked up under its usual names (``FIELD_ALIASES``)."""
    if not isinstance(obj, dict):
        raise Invalid(f"expected a JSON object with 'text', got {type(obj).__name__}")
    text = _get(obj, "text", columns)
    if text is None:
        raise Invalid("no text")
    if not isinstance(text, str):
        raise Invalid(f"'text' must be a string, not {type(text).__name__}")
    if not text.strip():
        raise Invalid("no text")
    pub = parse_published(_get(obj, "published", columns))
    return Article.create(
        text,
        id=_opt_str(obj, "id", columns),
        title=_opt_str(obj, "title", columns),
        url=_opt_str(obj, "url", columns),
        source=_opt_str(obj, "source", columns),
        published=pub if pub is not None else published,
        language=_opt_str(obj, "language", columns) or "en",
    )
