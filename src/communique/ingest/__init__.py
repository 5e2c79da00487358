"""Readers: files, directories, globs and standard input → ``Article``.

Inputs, by name:

- ``*.json``: one article object ``{"id", "url", "published", "title", "text", "source",
  "language"}`` or a list of them (several objects one per line are read as JSON Lines).
- ``*.jsonl`` / ``*.ndjson`` (also ``.gz``): one article object per line; blank lines are skipped.
- ``*.csv`` / ``*.tsv`` (also ``.gz``): a header row, then one article per row.
- ``*.parquet``: one article per row, read with DuckDB in batches.
- ``*.html`` / ``*.htm`` / ``*.xhtml``: a web page; trafilatura keeps the main text and
  reads the title, the date (htmldate) and the site name; nothing is fetched.
- ``*.xml`` / ``*.rss`` / ``*.atom``: an RSS or Atom feed (feedparser), one article per
  entry from its content or summary; an entry linking to a page on disk beside the
  feed is read from that page.
- ``*.warc`` / ``*.warc.gz``: a web archive (warcio; e.g. CC-NEWS), one article per
  HTML response, its url from ``WARC-Target-URI``, its date the page's or ``WARC-Date``.
- ``*.txt`` and any other name: plain text, unless its first bytes show a web page,
  a feed or a WARC file. If a line of three or more dashes follows a short block (at
  most three non-empty lines), that block is the title and the text follows the
  dashes; otherwise there is no title. The id is the file name without its suffix.
- a directory: every file below it with one of the names above, in path order
  (hidden files and folders skipped).
- a glob (``data/*.warc.gz``, ``corpus/**/*.jsonl``) that names no file itself: the
  files it matches, in path order.
- ``-``: standard input; a WARC file, page or feed when its first bytes say so, else
  JSON Lines if every non-empty line starts with ``{``, a JSON document if it parses
  as one, else one plain-text article.

Objects and rows may spell ``text`` as ``body``/``content``, ``title`` as ``headline``,
``published`` as ``date``/``publish_date``/``published_at``, ``url`` as ``link``, or be
read with a column mapping (``columns={"text": "story", "published": "day"}``, or
``parse_columns("text=story,published=day")``). Without an ``id`` the article is
identified by a hash of its url (else of its title and text). ``published`` takes
``YYYY-MM-DD``, ISO datetimes (``2023-10-24T08:00:00Z``), ``YYYY-MM-DD HH:MM``,
``YYYY/MM/DD`` and RFC 2822 feed dates; the ``published`` argument is the date of
plain-text inputs and of items without one.

Every article's language is identified (``detect_language``; it replaces the declared
one only when the model is sure). Articles in a language outside ``languages``
(English only, so far) are skipped with the reason "language 'fr' not supported yet".

Bad input never raises: each unreadable item becomes an ``InputError(item, reason)``,
logged as a warning on the ``communique.ingest`` logger and appended to ``errors``,
and reading goes on with the next item.
"""

from __future__ import annotations

import dataclasses
import glob
import logging
from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path

from communique.errors import InputError
from communique.ingest._feeds import FeedEntry, feed_entries
from communique.ingest._fields import FIELDS, parse_columns, parse_published
from communique.ingest._html import html_to_text
from communique.ingest._language import Guess, detect_language, normalise_language
from communique.ingest._readers import STDIN, read_path, read_stdin
from communique.records import Article

__all__ = [
    "FIELDS", "SUPPORTED_LANGUAGES", "FeedEntry", "Guess", "check_language", "detect_language", "feed_entries",
    "html_to_text", "parse_columns", "parse_published", "read_articles",
]

# The languages the coder handles; articles in others are skipped.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en",)

logger = logging.getLogger("communique.ingest")


def read_articles(
    paths: Iterable[str | Path] | str | Path,
    *,
    published: date | None = None,
    errors: list[InputError] | None = None,
    columns: Mapping[str, str] | str | None = None,
    languages: Collection[str] | None = SUPPORTED_LANGUAGES,
) -> Iterator[Article]:
    """Yield the articles in ``paths`` (files, directories, globs or ``-`` for stdin), lazily, in order.

    ``published`` is the publication date of inputs that carry none. ``columns`` maps
    Article fields to the columns (or JSON keys) of a corpus: a mapping or
    ``"text=body,title=headline"``. ``languages``: articles in other languages are
    skipped (``None`` keeps every language). Items that cannot be read are skipped:
    each is logged and, if ``errors`` is given, appended to it as an ``InputError``.

    Raises ``ValueError`` only for an invalid ``columns`` mapping, before reading anything."""
    mapping = parse_columns(columns)
    if isinstance(paths, str | Path):
        paths = [paths]
    wanted = frozenset(languages) if languages is not None else None
    for result in _results(paths, published, mapping):
        if isinstance(result, Article):
            result = check_language(result, wanted)
        if isinstance(result, InputError):
            logger.warning("skipped %s: %s", result.item, result.reason)
            if errors is not None:
                errors.append(result)
        else:
            yield result


def check_language(article: Article, languages: Collection[str] | None = SUPPORTED_LANGUAGES) -> Article | InputError:
    """The article with its language set (detected when the model is sure, else the declared
    one, else English), or an ``InputError`` when that language is not in ``languages``."""
    declared = normalise_language(article.language)
    guess = detect_language(article.text, article.title)
    language = guess.language if guess is not None and guess.sure else (declared or "en")
    if languages is not None and language not in languages:
        return InputError(article.url or article.id, f"language {language!r} not supported yet")
    return article if language == article.language else dataclasses.replace(article, language=language)


def _results(
    paths: Iterable[str | Path], published: date | None, columns: Mapping[str, str]
) -> Iterator[Article | InputError]:
    for path in paths:
        if str(path) == STDIN:
            yield from read_stdin(published, columns)
            continue
        p = Path(path)
        if not p.exists() and any(c in str(path) for c in "*?["):
            matches = sorted(glob.glob(str(path), recursive=True))
            if not matches:
                yield InputError(str(path), "no files match the pattern")
            for match in matches:
                yield from read_path(Path(match), match, published, columns)
        else:
            yield from read_path(p, str(path), published, columns)
