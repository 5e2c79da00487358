"""Corpus readers: web pages, RSS/Atom feeds, WARC files, CSV/TSV/Parquet/JSONL with a column
mapping, globs, stdin, language detection, and the ``--columns`` option and progress of the CLI.

Every input is a real file written here: pages and feeds by hand, WARC files with warcio's
own writer, Parquet files with DuckDB."""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from communique.errors import InputError
from communique.ingest import check_language, detect_language, html_to_text, parse_columns, read_articles
from communique.records import Article

from .conftest import ROOT

# --- inputs ----------------------------------------------------------------------------------------------

LEDGER_URL = "https://ledger.example/world/2024/03/11/harbour-talks"
LEDGER_TEXT = (
    "Maltese Foreign Minister Ian Borg hosted his Tunisian counterpart in Valletta on Monday for two days "
    "of talks on fishing rights and migrant rescues in the central Mediterranean.\n"
    "The two ministers agreed to set up a joint coastguard hotline, according to a statement released by "
    "the Maltese foreign ministry after the first session.\n"
    "Officials from both delegations said a broader maritime agreement could be signed before the summer, "
    "although several questions about patrol zones remain open."
)
# An article page with everything a news site puts around the story.
LEDGER_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbour talks open in Valletta | The Meridian Ledger</title>
<meta property="og:site_name" content="The Meridian Ledger">
<meta property="og:title" content="Harbour talks open in Valletta">
<meta property="article:published_time" content="2024-03-11T07:45:00+01:00">
<link rel="canonical" href="{LEDGER_URL}">
<script>window.trackingId = "ML-123";</script>
<style>body {{ font-family: serif; }}</style>
</head>
<body>
<header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a> |
<a href="/subscribe">Subscribe now</a></nav></header>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Local bakery wins award</a></li>
<li><a href="/b">Storm closes ferry routes</a></li></ul></aside>
<main>
<article>
<h1>Harbour talks open in Valletta</h1>
<p class="byline">By Ines Calleja, 11 March 2024</p>
{"".join(f"<p>{p}</p>" + chr(10) for p in LEDGER_TEXT.split(chr(10)))}</article>
</main>
<footer><p>Copyright 2024 The Meridian Ledger. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> · <a href="/cookies">Cookie settings</a></p></footer>
</body>
</html>
"""
LEDGER = Article(
    id=Article.create("", url=LEDGER_URL).id, text=LEDGER_TEXT, title="Harbour talks open in Valletta",
    url=LEDGER_URL, source="The Meridian Ledger", published=date(2024, 3, 11), language="en",
)  # fmt: skip

# A bare page: no date, no address, no site name.
BARE_TEXT = (
    "Delegations from Ghana and Togo met in Lome on Thursday to discuss a shared electricity grid and the "
    "cost of cross-border power lines, officials from both energy ministries said after the meeting."
)
BARE_PAGE = f"<html><body><div class='menu'>Menu</div><article><p>{BARE_TEXT}</p></article></body></html>"

FRENCH_TEXT = (
    "Le ministre des Affaires étrangères a reçu mardi son homologue allemand pour un dîner de travail "
    "consacré à la défense européenne. Les deux dirigeants ont promis de renforcer leur coopération "
    "militaire, selon un communiqué publié dans la soirée."
)
FRENCH_PAGE = f"""<!DOCTYPE html><html lang="fr"><head><title>Dîner de travail à Paris</title>
<link rel="canonical" href="https://journal.example/diner"></head>
<body><article><h1>Dîner de travail à Paris</h1><p>{FRENCH_TEXT}</p></article></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Harbour Wire</title>
<link>https://wire.example/</link>
<description>Maritime news</description>
<language>en-gb</language>
<item>
<title>Coastguards agree hotline</title>
<link>https://wire.example/2024/03/12/hotline</link>
<guid isPermaLink="false">hw-1001</guid>
<pubDate>Tue, 12 Mar 2024 23:30:00 -0500</pubDate>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>The Maltese and Tunisian coastguards agreed on Tuesday to open a direct
hotline.</p><p>Officials said the line would be tested <b>next week</b>.</p>
<script>track()</script>]]></content:encoded>
</item>
<item>
<title>Ferry strike ends</title>
<link>https://wire.example/2024/03/13/ferry</link>
<pubDate>Wed, 13 Mar 2024 18:00:00 GMT</pubDate>
<description>&lt;p&gt;Ferry workers in Gozo ended a three-day strike after the government
&lt;b&gt;raised&lt;/b&gt; wages &amp;amp; allowances.&lt;/p&gt;</description>
</item>
<item><title>Photo gallery</title><link>https://wire.example/gallery</link></item>
</channel>
</rss>
"""
RSS_ARTICLES = [
    Article(
        id=Article.create("", url="https://wire.example/2024/03/12/hotline").id,
        text="The Maltese and Tunisian coastguards agreed on Tuesday to open a direct hotline.\n"
        "Officials said the line would be tested next week.",
        title="Coastguards agree hotline", url="https://wire.example/2024/03/12/hotline", source="Harbour Wire",
        published=date(2024, 3, 12), language="en",
    ),
    Article(
        id=Article.create("", url="https://wire.example/2024/03/13/ferry").id,
        text="Ferry workers in Gozo ended a three-day strike after the government raised wages & allowances.",
        title="Ferry strike ends", url="https://wire.example/2024/03/13/ferry", source="Harbour Wire",
        published=date(2024, 3, 13), language="en",
    ),
]  # fmt: skip

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Lakeside Dispatch</title>
  <id>urn:uuid:6f1c1e7e-0000-4000-8000-000000000001</id>
  <updated>2024-04-02T10:00:00Z</updated>
  <entry>
    <title>Border crossing reopens</title>
    <link rel="alternate" href="https://dispatch.example/2024/04/02/border"/>
    <id>tag:dispatch.example,2024:border</id>
    <published>2024-04-02T00:15:00+02:00</published>
    <updated>2024-04-03T09:00:00Z</updated>
    <summary>Crossing reopens.</summary>
    <content type="html">&lt;p&gt;Uganda and Kenya reopened the Busia border crossing on Tuesday after a
week of repairs.&lt;/p&gt;&lt;p&gt;Traders welcomed the decision.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title type="text">Ministers meet in Kigali</title>
    <link href="https://dispatch.example/2024/04/01/kigali"/>
    <id>tag:dispatch.example,2024:kigali</id>
    <updated>2024-04-01T17:45:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Rwandan and Burundian
ministers met in Kigali on Monday.</p><p>They discussed refugee returns.</p></div></content>
  </entry>
  <entry>
    <title>Sommet à Kinshasa</title>
    <link href="https://dispatch.example/2024/03/30/kinshasa"/>
    <id>tag:dispatch.example,2024:kinshasa</id>
    <updated>2024-03-30T12:00:00Z</updated>
    <content type="text">{FRENCH_TEXT}</content>
  </entry>
</feed>
"""
ATOM_ARTICLES = [
    Article(
        id=Article.create("", url="https://dispatch.example/2024/04/02/border").id,
        text="Uganda and Kenya reopened the Busia border crossing on Tuesday after a week of repairs.\n"
        "Traders welcomed the decision.",
        title="Border crossing reopens", url="https://dispatch.example/2024/04/02/border",
        source="Lakeside Dispatch", published=date(2024, 4, 2), language="en",
    ),
    Article(
        id=Article.create("", url="https://dispatch.example/2024/04/01/kigali").id,
        text="Rwandan and Burundian ministers met in Kigali on Monday.\nThey discussed refugee returns.",
        title="Ministers meet in Kigali", url="https://dispatch.example/2024/04/01/kigali",
        source="Lakeside Dispatch", published=date(2024, 4, 1), language="en",
    ),
]  # fmt: skip
ATOM_FRENCH = ("https://dispatch.example/2024/03/30/kinshasa", "language 'fr' not supported yet")


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def read(paths: list[Path | str] | Path | str, **kwargs: object) -> tuple[list[Article], list[tuple[str, str]]]:
    errors: list[InputError] = []
    articles = list(read_articles(paths, errors=errors, **kwargs))  # type: ignore[arg-type]
    return articles, [(e.item, e.reason) for e in errors]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection or resolve a name fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# --- web pages -------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_network")
def test_html_page_main_text_title_date_site(tmp_path: Path) -> None:
    f = write(tmp_path / "harbour.html", LEDGER_PAGE)
    assert read(f) == ([LEDGER], [])


@pytest.mark.usefixtures("no_network")
def test_html_page_without_metadata_uses_file_name_and_published(tmp_path: Path) -> None:
    f = write(tmp_path / "lome-grid.htm", BARE_PAGE)
    assert read(f, published=date(2024, 6, 1)) == (
        [Article(id="lome-grid", text=BARE_TEXT, published=date(2024, 6, 1))],
        [],
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.html", "", "empty file"),
        ("blank.html", "  \n", "empty file"),
        ("shell.html", "<html><head><title>Nothing</title></head><body></body></html>",
         "no article text found in the page"),
        ("french.html", FRENCH_PAGE, "language 'fr' not supported yet"),
    ],
)  # fmt: skip
def test_html_pages_that_give_no_article(tmp_path: Path, name: str, content: str, reason: str) -> None:
    f = write(tmp_path / name, content)
    good = write(tmp_path / "good.html", LEDGER_PAGE)
    item = "https://journal.example/diner" if name == "french.html" else str(f)
    assert read([f, good]) == ([LEDGER], [(item, reason)])


def test_html_detected_by_content(tmp_path: Path) -> None:
    f = write(tmp_path / "saved-page", LEDGER_PAGE)
    assert read(f) == ([LEDGER], [])


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>One &amp; <b>two</b><!-- note --> three</p><p>Second<br>line</p>", "One & two three\nSecond\nline"),
        ("<div><script>var x = 1;</script><style>p {}</style>Kept <i>text</i></div>", "Kept text"),
        ("<ul><li>first</li><li>second</li></ul>tail", "first\nsecond\ntail"),
        ("Plain text &amp; entities\n\n  spaced   out  ", "Plain text & entities\nspaced out"),
        ("", ""),
    ],
)  # fmt: skip
def test_html_to_text(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


# --- feeds -----------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("name", ["wire.rss", "wire.xml", "wire-feed"])
def test_rss_feed(tmp_path: Path, name: str) -> None:
    f = write(tmp_path / name, RSS)
    assert read(f) == (RSS_ARTICLES, [(f"{f}[2]", "no text (the entry has neither content nor summary)")])


@pytest.mark.usefixtures("no_network")
def test_atom_feed(tmp_path: Path) -> None:
    f = write(tmp_path / "dispatch.atom", ATOM)
    assert read(f) == (ATOM_ARTICLES, [ATOM_FRENCH])


def test_feed_entry_linking_a_page_on_disk(tmp_path: Path) -> None:
    feed = RSS.replace("<link>https://wire.example/2024/03/13/ferry</link>", "<link>pages/harbour.html</link>")
    write(tmp_path / "pages" / "harbour.html", LEDGER_PAGE)
    f = write(tmp_path / "local.rss", feed)
    articles, errors = read(f)
    assert articles == [RSS_ARTICLES[0], LEDGER]
    assert errors == [(f"{f}[2]", "no text (the entry has neither content nor summary)")]


@pytest.mark.parametrize("link", ["../secret.html", "..%2Fsecret.html", "pages/../../secret.html", "{abs}",
                                  "{uri}", "pages/elsewhere.html"],
                         ids=["dotdot", "encoded-dotdot", "nested-dotdot", "absolute", "file-url", "symlink"])
def test_feed_links_out_of_the_feed_folder_are_not_read(tmp_path: Path, link: str,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    secret = write(tmp_path / "secret.html", LEDGER_PAGE)  # a page outside the feed's folder
    (tmp_path / "feeds" / "pages").mkdir(parents=True)
    (tmp_path / "feeds" / "pages" / "elsewhere.html").symlink_to(secret)
    link = link.format(abs=secret, uri=secret.as_uri())
    feed = RSS.replace("<link>https://wire.example/2024/03/13/ferry</link>", f"<link>{link}</link>")
    f = write(tmp_path / "feeds" / "local.rss", feed)
    with caplog.at_level(logging.WARNING, logger="communique.ingest"):
        articles, errors = read(f)
    assert [a.text for a in articles] == [a.text for a in RSS_ARTICLES]  # the entry's own text, not the page
    assert LEDGER_TEXT not in caplog.text and f"{f}[1]: link " in caplog.text and "not read" in caplog.text
    assert errors == [(f"{f}[2]", "no text (the entry has neither content nor summary)")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>',
         "not an RSS or Atom feed"),
        ('<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>',
         "no entries in the feed"),
    ],
    ids=["sitemap", "no-entries"],
)  # fmt: skip
def test_bad_feeds(tmp_path: Path, content: str, reason: str) -> None:
    f = write(tmp_path / "feed.xml", content)
    assert read(f) == ([], [(str(f), reason)])


# --- WARC ------------------------------------------------------------------------------------------------

PAGE2_URL = "https://gazette.example/2024/05/06/grid"


def write_warc(path: Path, *, compress: bool) -> Path:
    """A small crawl: warcinfo, a request, two article pages, an image, a 404, an empty page, metadata."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=compress)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "communique tests"}))

        def response(uri: str, body: bytes, ctype: str = "text/html; charset=utf-8", status: str = "200 OK",
                     warc_date: str = "2024-05-07T06:00:00Z") -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                       protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                                warc_headers_dict={"WARC-Date": warc_date}))

        request = StatusAndHeaders("GET /world/2024/03/11/harbour-talks HTTP/1.1", [("Host", "ledger.example")],
                                   is_http_request=True)
        w.write_record(w.create_warc_record(LEDGER_URL, "request", http_headers=request))
        response(LEDGER_URL, LEDGER_PAGE.encode())
        response(PAGE2_URL, BARE_PAGE.encode(), warc_date="2024-05-06T21:10:00Z")
        response("https://gazette.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", ctype="image/png")
        response("https://gazette.example/missing", b"<html><body>Not found</body></html>", status="404 Not Found")
        response("https://gazette.example/blank", b"<html><body></body></html>")
        w.write_record(w.create_warc_record("https://gazette.example/", "metadata", payload=io.BytesIO(b"k: v\n"),
                                            warc_content_type="application/warc-fields"))
    return path
# fmt: skip


WARC_ARTICLES = [
    LEDGER,
    Article(id=Article.create("", url=PAGE2_URL).id, text=BARE_TEXT, url=PAGE2_URL, source="gazette.example",
            published=date(2024, 5, 6)),
]
WARC_ERRORS = [("[https://gazette.example/blank]", "no article text found in the page")]


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc(tmp_path: Path, name: str) -> None:
    f = write_warc(tmp_path / name, compress=name.endswith(".gz"))
    articles, errors = read(f)
    assert articles == WARC_ARTICLES
    assert errors == [(f"{f}{item}", reason) for item, reason in WARC_ERRORS]


def test_truncated_warc_keeps_the_pages_before_the_break(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc.gz", compress=True).read_bytes()
    f = write(tmp_path / "cut.warc.gz", whole[: len(whole) - 200])
    articles, errors = read(f)
    assert articles == WARC_ARTICLES
    assert [(item, reason.split(":")[0]) for item, reason in errors] == [
        (f"{f}[https://gazette.example/blank]", "no article text found in the page"),
        (str(f), "broken WARC record after 7 record(s)"),  # the last of 8 is cut
    ]


def _cut_warc(tmp_path: Path, where: bytes, offset: int = 0) -> tuple[Path, int]:
    """The test crawl, uncompressed, cut ``offset`` bytes after the first ``where``; and the records before."""
    whole = write_warc(tmp_path / "whole.warc", compress=False).read_bytes()
    at = whole.index(where) + offset
    return write(tmp_path / "cut.warc", whole[:at]), whole[:at].count(b"WARC/1.")


@pytest.mark.parametrize(("where", "offset", "reason"), [
    (b"Officials from both delegations", 10, "truncated WARC file: record 3 ends "),  # in the first page's body
    (f"WARC-Target-URI: {PAGE2_URL}".encode(), 5, "broken WARC record after 3 record(s)"),  # in a WARC header
    (b"Content-Length: 28", 15, "truncated WARC file: record 1 has no valid Content-Length"),
    (b"HTTP/1.1 200", 4, "truncated WARC file: record 3 ends "),  # in the first page's HTTP header
], ids=["body", "target-uri", "content-length", "http-header"])
def test_a_truncated_uncompressed_warc_is_reported(tmp_path: Path, where: bytes, offset: int, reason: str) -> None:
    f, started = _cut_warc(tmp_path, where, offset)
    articles, errors = read(f)
    assert all(a.text == LEDGER_TEXT for a in articles)  # only whole pages, never the one cut short
    assert len(articles) < 2 and errors and errors[-1][0] == str(f)
    assert errors[-1][1].startswith(reason), errors
    if "whole record" in errors[-1][1]:
        assert f"({started - 1} whole record(s), {len(articles)} page(s) before it)" in errors[-1][1]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"this is not an archive\n", "not a WARC file (no WARC/1.0 or WARC/1.1 header at the start)"),
    ],
    ids=["empty", "text"],
)  # fmt: skip
def test_bad_warc(tmp_path: Path, content: bytes, reason: str) -> None:
    f = write(tmp_path / "bad.warc", content)
    assert read(f) == ([], [(str(f), reason)])


# --- tabular corpora with a column mapping ---------------------------------------------------------------

COLUMNS = "id=doc_id,title=headline,text=story,published=day,url=address,source=outlet"

CSV_ROWS = [
    ["doc_id", "headline", "story", "day", "address", "outlet", "notes"],
    ["c1", "Pact signed", "Chile and Peru signed a fisheries pact on Friday.", "2024-02-02", "https://a.example/1",
     "Andes Post", "x"],
    ["c2", "Long read", "Argentina recalled its ambassador.\n\nThe move followed a border incident.",
     "2024-02-03T10:00:00Z", "https://a.example/2", "Andes Post", ""],
    ["c3", "Bad date", "Text here.", "02/31/2024", "", "", ""],
    ["c4", "No story", "", "2024-02-04", "", "", ""],
    ["c5", "Ailleurs", FRENCH_TEXT, "2024-02-05", "https://a.example/5", "Le Journal", ""],
    ["", "", "", "", "", "", ""],
    ["c6", "", "Bolivia and Paraguay agreed to hold talks.", "", "", "", ""],
]  # fmt: skip


def table(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


CSV = table(CSV_ROWS)
CSV_ARTICLES = [
    Article(id="c1", text="Chile and Peru signed a fisheries pact on Friday.", title="Pact signed",
            url="https://a.example/1", source="Andes Post", published=date(2024, 2, 2)),
    Article(id="c2", text="Argentina recalled its ambassador.\n\nThe move followed a border incident.",
            title="Long read", url="https://a.example/2", source="Andes Post", published=date(2024, 2, 3)),
    Article(id="c6", text="Bolivia and Paraguay agreed to hold talks.", published=date(2024, 1, 1)),
]  # fmt: skip


def csv_errors(f: Path) -> list[tuple[str, str]]:
    return [  # c2's story takes three lines
        (f"{f}:6", "invalid published date '02/31/2024' (use YYYY-MM-DD)"),
        (f"{f}:7", "no text"),
        ("https://a.example/5", "language 'fr' not supported yet"),
    ]


@pytest.mark.parametrize("name", ["corpus.csv", "corpus.csv.gz", "corpus.tsv"])
def test_csv_with_a_column_mapping(tmp_path: Path, name: str) -> None:
    data = table(CSV_ROWS, "\t" if ".tsv" in name else ",").encode()
    f = write(tmp_path / name, gzip.compress(data) if name.endswith(".gz") else data)
    assert read(f, columns=COLUMNS, published=date(2024, 1, 1)) == (CSV_ARTICLES, csv_errors(f))


def test_csv_with_the_usual_column_names_needs_no_mapping(tmp_path: Path) -> None:
    f = write(tmp_path / "plain.csv", "id,title,text,date\nk1,T,Kenya hosted talks.,2024-03-03\n")
    assert read(f) == ([Article(id="k1", text="Kenya hosted talks.", title="T", published=date(2024, 3, 3))], [])


@pytest.mark.parametrize(
    ("content", "columns", "reason"),
    [
        ("doc_id,story\n1,Text.\n", "text=body", "no column 'body' (the columns are: doc_id, story); "
                                                 "fix the column mapping (--columns)"),
        ("doc_id,story\n1,Text.\n", None, "no text column (the columns are: doc_id, story); "
                                          "name it with a column mapping (--columns text=COLUMN)"),
        ("", None, "empty file"),
        ("text\n\n", None, "no rows under the header"),
    ],
    ids=["mapped-column-missing", "no-text-column", "empty", "header-only"],
)  # fmt: skip
def test_bad_csv(tmp_path: Path, content: str, columns: str | None, reason: str) -> None:
    f = write(tmp_path / "bad.csv", content)
    assert read(f, columns=columns) == ([], [(str(f), reason)])


def test_csv_row_with_too_many_cells(tmp_path: Path) -> None:
    f = write(tmp_path / "wide.csv", "id,text\na,One.\nb,Two.,extra\nc,Three.\n")
    assert read(f) == (
        [Article(id="a", text="One."), Article(id="c", text="Three.")],
        [(f"{f}:3", "3 cells in a row under 2 column names")],
    )


def test_parquet_with_a_column_mapping_and_typed_columns(tmp_path: Path) -> None:
    f = tmp_path / "corpus.parquet"
    duckdb.sql(
        f"""COPY (SELECT * FROM (VALUES
            (10, 'Pact signed', 'Chile and Peru signed a fisheries pact on Friday.', DATE '2024-02-02',
             'https://a.example/1', 'Andes Post', 'raw html that is not read'),
            (11, NULL, 'Argentina recalled its ambassador.', NULL, NULL, NULL, NULL),
            (12, 'Ailleurs', '{FRENCH_TEXT.replace("'", "''")}', DATE '2024-02-05', 'https://a.example/5',
             NULL, NULL),
            (13, 'Empty', NULL, DATE '2024-02-06', NULL, NULL, NULL))
          t(doc_id, headline, story, day, address, outlet, html)) TO '{f}' (FORMAT parquet)"""
    )
    ts = tmp_path / "stamped.parquet"
    duckdb.sql(f"""COPY (SELECT 'p1' AS id, 'Uruguay joined the talks.' AS body,
                   TIMESTAMP '2024-02-07 23:59:00' AS published_at) TO '{ts}' (FORMAT parquet)""")
    assert read([f, ts], columns=COLUMNS) == (
        [
            Article(id="10", text="Chile and Peru signed a fisheries pact on Friday.", title="Pact signed",
                    url="https://a.example/1", source="Andes Post", published=date(2024, 2, 2)),
            Article(id="11", text="Argentina recalled its ambassador."),
        ],
        [
            ("https://a.example/5", "language 'fr' not supported yet"),
            (f"{f}[3]", "no text"),
            (str(ts), "no column 'doc_id', 'headline', 'story', 'day', 'address', 'outlet' (the columns are: id, "
                      "body, published_at); fix the column mapping (--columns)"),
        ],
    )  # fmt: skip
    assert read(ts) == ([Article(id="p1", text="Uruguay joined the talks.", published=date(2024, 2, 7))], [])


def test_parquet_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from communique.ingest import _corpus

    monkeypatch.setattr(_corpus, "PARQUET_BATCH", 7)
    f = tmp_path / "many.parquet"
    duckdb.sql(f"COPY (SELECT i AS id, 'Story number ' || i AS text FROM range(30) t(i)) TO '{f}' (FORMAT parquet)")
    articles, errors = read(f, languages=None)
    assert errors == []
    assert [a.id for a in articles] == [str(i) for i in range(30)]


def test_not_a_parquet_file(tmp_path: Path) -> None:
    f = write(tmp_path / "fake.parquet", "id,text\n1,x\n")
    articles, errors = read([f, tmp_path / "gone.parquet"])
    assert articles == []
    assert [(item, reason.split(" (")[0]) for item, reason in errors] == [
        (str(f), "not a readable Parquet file"),
        (str(tmp_path / "gone.parquet"), "file not found"),
    ]


def test_jsonl_with_a_column_mapping(tmp_path: Path) -> None:
    lines = [
        {"doc_id": "j1", "story": "Ecuador expelled two diplomats.", "day": "2024-02-08", "text": "not this"},
        {"doc_id": "j2", "headline": "H", "story": "Colombia sent aid.", "title": "not this title"},
    ]
    f = write(tmp_path / "mapped.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert read(f, columns={"id": "doc_id", "text": "story", "published": "day", "title": "headline"}) == (
        [
            Article(id="j1", text="Ecuador expelled two diplomats.", published=date(2024, 2, 8)),
            Article(id="j2", text="Colombia sent aid.", title="H"),
        ],
        [],
    )


def test_gzipped_json_lines(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"g{i}", "text": f"Story {i}."}) + "\n" for i in range(3)).encode()
    f = write(tmp_path / "day.jsonl.gz", gzip.compress(lines))
    cut = write(tmp_path / "cut.jsonl.gz", gzip.compress(lines)[:-12])
    fake = write(tmp_path / "fake.jsonl.gz", lines)
    articles, errors = read([f, cut, fake], languages=None)
    assert [a.id for a in articles] == ["g0", "g1", "g2", "g0", "g1"]  # the cut takes the last line
    assert errors == [(str(cut), "truncated gzip file"),
                      (str(fake), "cannot read the file: Not a gzipped file (b'{\"')")]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("text=body,summary=abstract", "unknown field 'summary' in the column mapping; fields are id, text, title, "
                                       "published, url, source, language"),
        ("text", "'text' is not FIELD=COLUMN (e.g. text=body,title=headline)"),
        ("text=a,text=b", "field 'text' is mapped twice in the column mapping"),
        ("text=", "'text=' is not FIELD=COLUMN (e.g. text=body,title=headline)"),
    ],
)  # fmt: skip
def test_parse_columns_errors(spec: str, message: str) -> None:
    with pytest.raises(ValueError) as e:
        parse_columns(spec)
    assert str(e.value) == message


def test_parse_columns() -> None:
    assert parse_columns(" Text = body , title=headline,") == {"text": "body", "title": "headline"}
    assert parse_columns(None) == {}


# --- directories, globs, stdin ---------------------------------------------------------------------------


def test_directory_reads_every_kind(tmp_path: Path) -> None:
    write(tmp_path / "a" / "page.html", LEDGER_PAGE)
    write(tmp_path / "b" / "wire.rss", RSS)
    write_warc(tmp_path / "c" / "crawl.warc.gz", compress=True)
    write(tmp_path / "d" / "rows.csv", "id,text\nr1,Peru and Chile met.\n")
    write(tmp_path / "e" / "notes.md", "Not read in a directory.")
    articles, errors = read(tmp_path)
    assert [a.id for a in articles] == [LEDGER.id, *(a.id for a in RSS_ARTICLES), *(a.id for a in WARC_ARTICLES),
                                        "r1"]
    assert [reason for _, reason in errors] == ["no text (the entry has neither content nor summary)",
                                                "no article text found in the page"]


def test_glob(tmp_path: Path) -> None:
    write(tmp_path / "x" / "b.csv", "id,text\nb,Second file.\n")
    write(tmp_path / "x" / "a.csv", "id,text\na,First file.\n")
    write(tmp_path / "x" / "c.txt", "Not matched.")
    write(tmp_path / "x" / "deep" / "d.csv", "id,text\nd,Deeper file.\n")
    assert read(str(tmp_path / "x" / "*.csv"), languages=None) == (
        [Article(id="a", text="First file."), Article(id="b", text="Second file.")], [])
    assert [a.id for a in read(str(tmp_path / "**" / "*.csv"), languages=None)[0]] == ["a", "b", "d"]
    pattern = str(tmp_path / "x" / "*.parquet")
    assert read(pattern) == ([], [(pattern, "no files match the pattern")])


@pytest.mark.parametrize(
    ("content", "expected"),
    [(LEDGER_PAGE.encode(), [LEDGER]), (RSS.encode(), RSS_ARTICLES)],
    ids=["html", "rss"],
)
def test_stdin_page_and_feed(monkeypatch: pytest.MonkeyPatch, content: bytes, expected: list[Article]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(content), encoding="utf-8"))
    assert read("-")[0] == expected


def test_stdin_warc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = write_warc(tmp_path / "in.warc.gz", compress=True).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert read("-") == (
        WARC_ARTICLES, [("<stdin>[https://gazette.example/blank]", "no article text found in the page")])


# --- language --------------------------------------------------------------------------------------------

GERMAN_TEXT = ("Die Bundesregierung hat am Mittwoch neue Sanktionen angekündigt. Der Außenminister erklärte in "
               "Berlin, man werde die Ukraine weiterhin unterstützen.")


@pytest.mark.parametrize(
    ("obj", "result"),
    [
        ({"id": "en", "text": LEDGER_TEXT}, "en"),
        ({"id": "fr", "text": FRENCH_TEXT}, ("fr", "language 'fr' not supported yet")),
        ({"id": "de", "text": GERMAN_TEXT, "url": "https://z.example/de"},
         ("https://z.example/de", "language 'de' not supported yet")),
        # the model is sure: the text's language wins over a wrong label
        ({"id": "labelled", "text": LEDGER_TEXT, "language": "fr"}, "en"),
        # too short to judge: the declared language stands
        ({"id": "short-fr", "text": "Oui.", "language": "fr-FR"}, ("short-fr", "language 'fr' not supported yet")),
        ({"id": "short", "text": "Talks resumed."}, "en"),
        # names only: the model is unsure, so the article is kept as English
        ({"id": "names", "text": "Nguyen Van Thanh and Le Duc Anh met Jean-Pierre Dupont in Hanoi."}, "en"),
    ],
    ids=["english", "french", "german", "mislabelled", "short-declared", "short", "names"],
)  # fmt: skip
def test_language(tmp_path: Path, caplog: pytest.LogCaptureFixture, obj: dict[str, str],
                  result: str | tuple[str, str]) -> None:
    f = write(tmp_path / "one.json", json.dumps(obj))
    with caplog.at_level(logging.WARNING, logger="communique.ingest"):
        articles, errors = read(f)
    if isinstance(result, str):
        assert [(a.id, a.language) for a in articles] == [(obj["id"], result)] and errors == []
    else:
        assert articles == [] and errors == [result]
        assert [r.getMessage() for r in caplog.records] == [f"skipped {result[0]}: {result[1]}"]


def test_languages_none_keeps_every_language_with_its_label(tmp_path: Path) -> None:
    f = write(tmp_path / "fr.json", json.dumps({"id": "fr", "text": FRENCH_TEXT}))
    assert [(a.id, a.language) for a in read(f, languages=None)[0]] == [("fr", "fr")]
    assert check_language(Article(id="g", text=GERMAN_TEXT), languages=("en", "de")) == Article(
        id="g", text=GERMAN_TEXT, language="de")


def test_language_detection_is_fast() -> None:
    detect_language(LEDGER_TEXT)  # loads the model once
    texts = [f"{LEDGER_TEXT} Article {i}. " * (1 + i % 8) for i in range(300)]
    start = time.perf_counter()
    for text in texts:
        assert detect_language(text).language == "en"  # type: ignore[union-attr]
    per_article = (time.perf_counter() - start) / len(texts)
    # 0.4 ms on an idle machine; the bound leaves room for a busy CI (parsing takes ~50 ms per article)
    assert per_article < 0.005, f"{per_article * 1000:.2f} ms per article"


# --- CLI -------------------------------------------------------------------------------------------------


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ROOT / ".venv" / "bin" / "communique"), *args], capture_output=True, text=True,
                          input=stdin, timeout=600)


def test_columns_option_is_checked_before_reading(tmp_path: Path) -> None:
    r = run_cli("code", "--columns", "summary=abstract", str(tmp_path))
    assert r.returncode == 2
    assert "unknown field 'summary' in the column mapping" in r.stderr


@pytest.mark.slow
def test_ingest_corpus_with_columns_counts_every_skip_reason(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus.csv", CSV)
    page = write(tmp_path / "page.html", LEDGER_PAGE)
    db = tmp_path / "c.duckdb"
    r = run_cli("ingest", "--db", str(db), "--columns", COLUMNS, "--published", "2024-01-01", str(corpus), str(page))
    assert r.returncode == 0, r.stderr
    last = r.stderr.splitlines()[-1]
    assert last.startswith("communique: read 4, coded 4, events ")
    assert ("skipped 3 (invalid published date '02/31/2024': 1, no text: 1, language 'fr' not supported yet: 1)"
            in last)
    assert "stored 4 new article(s)" in r.stderr
    assert "Traceback" not in r.stderr


def test_progress_lines_when_stderr_is_not_a_terminal() -> None:
    from communique.cli import _progress
    from communique.pipeline import Report

    report = Report()
    out = io.StringIO()
    items = []
    for n in range(5):
        report.read += 1
        report.coded += 1
        items.append(n)
    seen = list(_progress(iter(items), report, [InputError("x", "bad")], every=2, stream=out))  # type: ignore[arg-type]
    assert seen == items
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("communique: 5 read, 5 coded, 0 events, 1 skipped; ") for line in lines)
