"""RSS and Atom feeds → one Article per entry, with feedparser.

An entry's text is its longest content (``content:encoded``, Atom ``content``) or
else its summary, flattened from HTML to lines of text. Its link is the url (and so
the id), its title the title, the feed's title the source, and ``published``
(else ``updated``) the date. When a feed file on disk links an entry to a page
beside it (a relative path to a file in the feed's folder or below it), the page is
read instead, with the entry's title, link and date as fallbacks. Absolute paths,
``file:`` URLs and links that climb out of the folder (``../``, a symbolic link to
elsewhere) are not followed: a warning says so and the entry's own text is used, so a
feed downloaded from anywhere cannot make the reader open ``/etc/passwd``.

Each entry has a ``key`` (its guid, else its link, else a hash of its title and
text) by which a feed watcher knows the entries it has seen.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from communique.errors import InputError
from communique.ingest._fields import Invalid, parse_published
from communique.ingest._html import article_from_html, html_to_text
from communique.ingest._language import normalise_language
from communique.records import Article

__all__ = ["FeedEntry", "feed_entries", "looks_like_feed", "read_feed"]

_FEED_ROOTS = ("<rss", "<feed", "<rdf:rdf", "<rdf ")

logger = logging.getLogger("communique.ingest")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed: the key that identifies it and the Article (or why there is none)."""

    key: str
    article: Article | InputError


def looks_like_feed(head: str) -> bool:
    """Whether the start of a document is an RSS, RDF or Atom feed."""
    low = head[:2000].lstrip().lower()
    if low.startswith("<?xml") or low.startswith("<!--"):
        return any(root in low for root in _FEED_ROOTS)
    return low.startswith(_FEED_ROOTS)


def feed_entries(
    data: bytes,
    name: str,
    *,
    published: date | None = None,
    base_url: str | None = None,
    folder: Path | None = None,
) -> list[FeedEntry] | InputError:
    """The entries of a feed document, in feed order, or why it is not a feed.

    ``base_url`` resolves relative links (a feed fetched from the web); ``folder``,
    for a feed read from disk, is where linked pages are looked for."""
    import feedparser

    headers = {"content-location": base_url} if base_url else None
    try:
        parsed: Any = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=True)
    except Exception as e:  # feedparser is lenient; anything it raises is a broken document
        return InputError(name, f"cannot parse the feed: {type(e).__name__}: {e}")
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f" ({str(problem).splitlines()[0]})" if problem else ""
        return InputError(name, f"not an RSS or Atom feed{detail}")
    source = (parsed.feed.get("title") or "").strip() or None
    language = normalise_language(parsed.feed.get("language"))
    return [
        _entry(e, f"{name}[{i}]", source, language, published, folder) for i, e in enumerate(parsed.entries)
    ]


def read_feed(data: bytes, name: str, published: date | None, folder: Path | None = None) -> Iterator[
    Article | InputError
]:
    entries = feed_entries(data, name, published=published, folder=folder)
    if isinstance(entries, InputError):
        yield entries
        return
    if not entries:
        yield InputError(name, "no entries in the feed")
    for entry in entries:
        yield entry.article


def _entry_date(entry: Any) -> date | None:
    for field in ("published", "updated", "created"):
        value = entry.get(field)
        if not value:
            continue
        try:
            day = parse_published(value)
        except Invalid:
            parsed = entry.get(f"{field}_parsed")
            day = date(*parsed[:3]) if isinstance(parsed, time.struct_time) else None
        if day is not None:
            return day
    return None


def _entry_text(entry: Any) -> str:
    candidates = [c for c in entry.get("content") or () if c.get("value")]
    if entry.get("summary"):
        candidates.append(entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"})
    best = ""
    for c in candidates:
        value = c.get("value") or ""
        text = value.strip() if c.get("type") == "text/plain" else html_to_text(value)
        if len(text) > len(best):
            best = text
    return best


def _local_page(link: str | None, folder: Path | None, item: str) -> Path | None:
    """The page on disk a feed file's entry links to: a relative link to a file in the feed's folder
    or below it. Absolute paths, ``file:`` URLs and links that climb out of the folder (``../``, or a
    symbolic link pointing elsewhere) are not read: the entry's own text is used instead."""
    if not link or folder is None:
        return None
    parsed = urlparse(link)
    if parsed.scheme == "file" or (not parsed.scheme and not parsed.netloc):
        relative = unquote(parsed.path)
        if parsed.scheme == "file" or relative.startswith(("/", "\\")) or Path(relative).is_absolute():
            logger.warning("%s: link %s not read (only pages beside or below the feed are)", item, link)
            return None
        try:
            root = folder.resolve()
            path = (folder / relative).resolve()
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
            return None
        if not path.is_relative_to(root):
            logger.warning("%s: link %s not read (it leads out of the feed's folder)", item, link)
            return None
        return path if path.is_file() else None
    return None


def _entry(
    entry: Any, item: str, source: str | None, language: str | None, published: date | None, folder: Path | None
) -> FeedEntry:
    link = (entry.get("link") or "").strip() or None
    title = (entry.get("title") or "").strip() or None
    day = _entry_date(entry) or published
    page = _local_page(link, folder, item)
    article: Article | InputError
    if page is not None:
        try:
            html = page.read_bytes()
        except OSError as e:
            article = InputError(item, f"cannot read the linked page {page}: {e.strerror or e}")
        else:
            url = link if urlparse(link or "").scheme not in ("", "file") else None
            article = article_from_html(html, f"{item} ({page})", url=url, id=page.stem, published=day,
                                        title=title, source=source)
    else:
        text = _entry_text(entry)
        if not text:
            article = InputError(item, "no text (the entry has neither content nor summary)")
        else:
            article = Article.create(text, title=title, url=link, source=source, published=day,
                                     language=language or "en")
    key = (entry.get("id") or "").strip() or link
    if not key:
        body = article.text if isinstance(article, Article) else ""
        key = hashlib.sha1(f"{title or ''}\x1f{body}".encode()).hexdigest()[:16]
    return FeedEntry(key, article)
