"""WARC files (``.warc``, ``.warc.gz``, e.g. CC-NEWS) → one Article per HTML page, with warcio.

Each ``response`` (or ``resource``) record whose payload is HTML and whose HTTP
status is 2xx is read as a web page (``_html.py``): the url is the record's
``WARC-Target-URI``, the date the page's own, else the record's ``WARC-Date``.
Other records (requests, metadata, redirects, images, scripts) are not articles:
they are passed over with a debug message, not counted as errors. A page without
article text is one skipped item; a broken archive stops at the broken record,
after the pages before it, and so does a truncated one (a record that ends before
its ``Content-Length``; its page is not read): either is one skipped item that
names how many records were whole.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from communique.errors import InputError
from communique.ingest._fields import Invalid, parse_published
from communique.ingest._html import MAX_PAGE_BYTES, article_from_html, looks_like_html
from communique.records import Article

__all__ = ["read_warc"]

logger = logging.getLogger("communique.ingest")

_RECORD_TYPES = ("response", "resource")


def read_warc(stream: IO[bytes], name: str, published: date | None) -> Iterator[Article | InputError]:
    """The articles in the HTML pages of one WARC stream (plain or gzip-compressed)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = records = 0
    size = _size(stream)
    archive = ArchiveIterator(stream)
    try:
        for record in archive:
            records += 1
            if record.format != "warc":  # warcio also reads the older ARC format, and takes much for it
                yield InputError(name, "not a WARC file (no WARC/1.0 or WARC/1.1 header at the start)")
                return
            result = _page(record, name, published) if record.rec_type in _RECORD_TYPES else None
            missing = _missing_bytes(record)
            if missing is None:  # a header cut short: Content-Length, which every WARC record has, is not in it
                yield InputError(name, f"truncated WARC file: record {records} has no valid Content-Length "
                                       f"({records - 1} whole record(s), {pages} page(s) before it)")
                return
            if missing:  # the file ends inside this record: its page, if any, is cut too
                yield InputError(name, f"truncated WARC file: record {records} ends {missing:,} byte(s) short of "
                                       f"its Content-Length ({records - 1} whole record(s), {pages} page(s) before it)")
                return
            if result is not None:
                pages += 1
                yield result
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as e:
        yield _broken(name, records, e)
        return
    except Exception as e:  # warcio trips on some cut headers (AttributeError, IndexError): the same break
        logger.debug("%s: warcio failed", name, exc_info=True)
        yield _broken(name, records, e)
        return
    end = getattr(archive, "offset", None)
    if records and size is not None and isinstance(end, int) and end < size:
        # warcio ends quietly at a record header cut short: the bytes after the last whole record say so
        yield InputError(name, f"truncated WARC file: {size - end:,} byte(s) after record {records} are not a whole "
                               f"record ({records} whole record(s), {pages} page(s) before them)")
        return
    if records == 0:
        yield InputError(name, "empty file")
    elif pages == 0:
        yield InputError(name, f"no HTML pages in the WARC file ({records} record(s))")
    else:
        logger.debug("%s: %d record(s), %d HTML page(s)", name, records, pages)


def _size(stream: IO[bytes]) -> int | None:
    """The stream's length in bytes, when it can say (a file, a buffer); None for a pipe."""
    try:
        if not stream.seekable():
            return None
        here = stream.tell()
        size = stream.seek(0, 2)
        stream.seek(here)
        return size
    except (OSError, ValueError):
        return None


def _broken(name: str, records: int, e: Exception) -> InputError:
    reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    if records == 0:
        return InputError(name, f"not a WARC file ({reason})")
    return InputError(name, f"broken WARC record after {records} record(s): {reason}")


def _missing_bytes(record: Any) -> int | None:
    """Read what is left of a record: the bytes its Content-Length promised that the file does not
    hold, or None when it has no Content-Length (warcio then reads it to the end of the file)."""
    declared = record.rec_headers.get_header("Content-Length")
    if declared is None or not declared.strip().isdigit():
        return None
    raw = record.raw_stream
    while raw.read(65_536):
        pass
    left = getattr(raw, "limit", 0)
    return left if isinstance(left, int) and left > 0 else 0


def _page(record: Any, name: str, published: date | None) -> Article | InputError | None:
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    item = f"{name}[{uri}]" if uri else f"{name}[{record.rec_headers.get_header('WARC-Record-ID')}]"
    http = record.http_headers
    content_type = ""
    if http is not None:
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            logger.debug("%s: HTTP status %s, not an article", item, status)
            return None
        content_type = (http.get_header("Content-Type") or "").lower()
    else:
        content_type = (record.rec_headers.get_header("Content-Type") or "").lower()
    if content_type and "html" not in content_type:
        logger.debug("%s: content type %s, not an article", item, content_type)
        return None
    payload = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if not content_type and not looks_like_html(payload[:1024].decode("latin-1")):
        logger.debug("%s: no content type and no HTML, not an article", item)
        return None
    if not payload.strip():
        return InputError(item, "empty page")
    try:
        warc_day = parse_published(record.rec_headers.get_header("WARC-Date"))
    except Invalid:
        warc_day = None
    return article_from_html(payload, item, url=uri, published=warc_day or published)
