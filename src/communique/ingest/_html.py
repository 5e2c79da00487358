"""Web pages → Article with trafilatura (main text, title, date, site name), and HTML fragments → text.

Nothing is fetched: trafilatura and htmldate only read the HTML they are given (a
``url`` is used as a string, for dates written in it and for the article id).
Boilerplate (navigation, sidebars, footers, comments) is left out; the headline is
the title, not the first line of the text.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from communique.errors import InputError
from communique.ingest._fields import Invalid, parse_published
from communique.ingest._language import normalise_language
from communique.records import Article

__all__ = ["MAX_PAGE_BYTES", "article_from_html", "html_to_text", "looks_like_html"]

logger = logging.getLogger("communique.ingest")

# Larger pages are not articles (trafilatura's own limit is 20 MB).
MAX_PAGE_BYTES = 20_000_000

# Elements that break the text into lines when an HTML fragment is flattened.
_BLOCKS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SPACE = re.compile(r"\s+")
_DROPPED = ("script", "style", "noscript", "template", "iframe", "object", "svg")


def looks_like_html(head: str) -> bool:
    """Whether the start of a document is HTML (a doctype or an ``<html>`` tag)."""
    start = head.lstrip().lower()
    return start.startswith(("<!doctype html", "<html")) or (start.startswith("<?xml") and "<html" in start[:500])


def article_from_html(
    html: str | bytes,
    name: str,
    *,
    url: str | None = None,
    id: str | None = None,
    published: date | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Article | InputError:
    """The article in one web page.

    The page's own metadata wins over the arguments for ``title``, ``source`` (the site
    name, else the host name) and ``published`` (htmldate); ``url`` wins over the
    page's canonical address, so that WARC and feed items keep the address they were
    fetched from. ``id`` is used only when there is no url at all."""
    if len(html) > MAX_PAGE_BYTES:
        return InputError(name, f"page too large ({len(html):,} bytes; the limit is {MAX_PAGE_BYTES:,})")
    from trafilatura import bare_extraction

    try:
        doc: Any = bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False, deduplicate=False
        )
    except Exception as e:  # a parser bug on one page must not stop a corpus
        logger.debug("trafilatura failed on %s", name, exc_info=True)
        return InputError(name, f"cannot parse the page: {type(e).__name__}: {e}")
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        return InputError(name, "no article text found in the page")
    page_title = (doc.title or "").strip() or title
    if page_title:
        first, _, rest = text.partition("\n")
        if first.strip() == page_title and rest.strip():
            text = rest.strip()
    try:
        page_date = parse_published(doc.date)
    except Invalid:
        page_date = None
    return Article.create(
        text,
        id=None if (url or doc.url) else id,
        title=page_title,
        url=url or doc.url,
        source=(doc.sitename or "").strip() or source or doc.hostname,
        published=page_date or published,
        language=normalise_language(_html_lang(html)) or "en",
    )


def _html_lang(html: str | bytes) -> str | None:
    """The ``lang`` attribute of the ``<html>`` tag, read from the first few kilobytes."""
    head = html[:4096]
    text = head.decode("ascii", "ignore") if isinstance(head, bytes) else head
    low = text.lower()
    i = low.find("<html")
    if i < 0:
        return None
    end = low.find(">", i)
    tag = low[i:end if end > 0 else None]
    for attr in (" lang=", " xml:lang="):
        j = tag.find(attr)
        if j >= 0:
            value = tag[j + len(attr):].lstrip()
            if value[:1] in "\"'":
                value = value[1:].split(value[0])[0]
            else:
                value = value.split()[0] if value.split() else ""
            return value or None
    return None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content): tags dropped, entities
    decoded, one line per paragraph or block, spaces collapsed."""
    if "<" not in fragment:
        import html

        lines = (" ".join(line.split()) for line in html.unescape(fragment).splitlines())
        return "\n".join(line for line in lines if line)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction, *_DROPPED)):
        el.drop_tree()  # keeps the tail
    # As a browser does: white space (line breaks included) inside text is one space; lines
    # come from block elements and <br> only.
    parts: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            if tag in _BLOCKS or tag == "br":
                parts.append("\n")
            if tag and el.text:
                parts.append(_SPACE.sub(" ", el.text))
        else:
            if tag in _BLOCKS:
                parts.append("\n")
            if el is not root and el.tail:
                parts.append(_SPACE.sub(" ", el.tail))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
