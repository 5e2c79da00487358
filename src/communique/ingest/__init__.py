"""Readers: files, directories and standard input → ``Article``.

Inputs, by name:

- ``*.json``: one article object ``{"id", "url", "published", "title", "text", "source",
  "language"}`` or a list of them (several objects one per line are read as JSON Lines).
- ``*.jsonl`` / ``*.ndjson``: one article object per line; blank lines are skipped.
- anything else: plain text. If a line of three or more dashes follows a short block
  (at most three non-empty lines), that block is the title and the text follows the
  dashes; otherwise there is no title. The id is the file name without its suffix.
- a directory: every ``*.json``, ``*.jsonl``, ``*.ndjson`` and ``*.txt`` below it, in
  path order (hidden files and folders skipped).
- ``-``: standard input; JSON Lines if every non-empty line starts with ``{``, a JSON
  document if it parses as one, else one plain-text article.

Article objects may also spell ``text`` as ``body``/``content``, ``title`` as
``headline``, ``published`` as ``date``/``publish_date``/``published_at``, ``url`` as
``link``. Without an ``id`` the article is identified by a hash of its url (else of
its title and text). ``published`` takes ``YYYY-MM-DD``, ISO datetimes
(``2023-10-24T08:00:00Z``), ``YYYY-MM-DD HH:MM``, ``YYYY/MM/DD`` and RFC 2822 feed dates;
the ``published`` argument is the date of plain-text inputs and of objects without one.

Bad input never raises: each unreadable item becomes an ``InputError(item, reason)``,
logged as a warning on the ``communique.ingest`` logger and appended to ``errors``,
and reading goes on with the next item.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from communique.errors import InputError
from communique.ingest._fields import parse_published
from communique.ingest._readers import STDIN, read_path, read_stdin
from communique.records import Article

__all__ = ["read_articles", "parse_published"]

logger = logging.getLogger("communique.ingest")


def read_articles(
    paths: Iterable[str | Path] | str | Path,
    *,
    published: date | None = None,
    errors: list[InputError] | None = None,
) -> Iterator[Article]:
    """Yield the articles in ``paths`` (files, directories or ``-`` for stdin), lazily, in order.

    ``published`` is the publication date of plain-text inputs and of JSON articles
    that carry none. Items that cannot be read are skipped: each is logged and, if
    ``errors`` is given, appended to it as an ``InputError``."""
    if isinstance(paths, str | Path):
        paths = [paths]
    for path in paths:
        if str(path) == STDIN:
            results = read_stdin(published)
        else:
            results = read_path(Path(path), str(path), published)
        for result in results:
            if isinstance(result, InputError):
                logger.warning("skipped %s: %s", result.item, result.reason)
                if errors is not None:
                    errors.append(result)
            else:
                yield result
