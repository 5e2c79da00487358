"""One reader per input kind; each yields Articles and, for what it cannot read, InputErrors.

Readers never raise for bad input: the caller (``read_articles``) logs and collects
the errors and goes on with the next item."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

from communique.errors import InputError
from communique.ingest._corpus import read_csv, read_parquet
from communique.ingest._feeds import looks_like_feed, read_feed
from communique.ingest._fields import Columns, Invalid, article_from_object
from communique.ingest._html import article_from_html, looks_like_html
from communique.ingest._text import split_title
from communique.ingest._warc import read_warc
from communique.records import Article

__all__ = ["DIRECTORY_SUFFIXES", "STDIN", "Result", "kind_of", "read_path", "read_stdin"]

Result = Article | InputError

STDIN = "-"
STDIN_NAME = "<stdin>"

# Name endings → kind of input, longest first. A file with another ending is plain text,
# unless its first bytes show a web page, a feed or a WARC file.
KINDS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"), (".warc", "warc"),
    (".jsonl.gz", "jsonl"), (".ndjson.gz", "jsonl"), (".jsonl", "jsonl"), (".ndjson", "jsonl"),
    (".csv.gz", "csv"), (".tsv.gz", "tsv"), (".csv", "csv"), (".tsv", "tsv"),
    (".parquet", "parquet"), (".json", "json"),
    (".html", "html"), (".htm", "html"), (".xhtml", "html"),
    (".rss", "feed"), (".atom", "feed"), (".xml", "feed"),
    (".txt", "text"),
)  # fmt: skip
DIRECTORY_SUFFIXES = tuple(ending for ending, _ in KINDS)
_LOOKED_FOR = (".json, .jsonl, .ndjson, .csv, .tsv, .parquet, .html, .htm, .xhtml, .rss, .atom, .xml, .warc, .txt; "
               ".gz too for JSON Lines, CSV, TSV and WARC")


def kind_of(path: Path) -> str | None:
    """The kind of input a file name says (``warc``, ``jsonl``, ``csv``, ``tsv``, ``parquet``,
    ``json``, ``html``, ``feed``, ``text``), or None: look at the content."""
    name = path.name.lower()
    for ending, kind in KINDS:
        if name.endswith(ending):
            return kind
    return None


def read_path(path: Path, name: str, published: date | None, columns: Columns | None = None) -> Iterator[Result]:
    """Articles from a file or a directory; ``name`` is how errors refer to it."""
    if path.is_dir():
        yield from _read_directory(path, published, columns)
        return
    kind = kind_of(path)
    if kind == "parquet":
        yield from read_parquet(path, name, published, columns)
        return
    if kind in ("jsonl", "csv", "tsv", "warc"):
        try:
            gz = path.name.lower().endswith(".gz") and kind != "warc"  # warcio decompresses by itself
            f = cast(IO[bytes], gzip.open(path, "rb") if gz else path.open("rb"))
        except OSError as e:
            yield InputError(name, _read_error(e))
            return
        with f:
            try:
                if kind == "jsonl":
                    yield from _read_jsonl_lines(_decoded_lines(f, name), name, published, columns)
                elif kind == "warc":
                    yield from read_warc(f, name, published)
                else:
                    yield from read_csv(f, name, published, columns, delimiter="\t" if kind == "tsv" else ",")
            except (OSError, EOFError) as e:
                yield InputError(name, _read_error(e) if isinstance(e, OSError) else "truncated gzip file")
        return
    try:
        data = path.read_bytes()
    except OSError as e:
        yield InputError(name, _read_error(e))
        return
    yield from _read_bytes(data, name, published, columns, kind, id=path.stem, folder=path.parent)


def read_stdin(published: date | None, columns: Columns | None = None) -> Iterator[Result]:
    """Articles from standard input: a WARC file, a web page or a feed when its first bytes say so;
    else JSON Lines if every non-empty line starts with ``{``, a JSON document if it parses as
    one, else one plain-text article."""
    stream = sys.stdin
    try:
        buffer = getattr(stream, "buffer", None)
        data: str | bytes = buffer.read() if buffer is not None else stream.read()
    except UnicodeDecodeError as e:
        yield InputError(STDIN_NAME, _not_utf8(e))
        return
    except OSError as e:
        yield InputError(STDIN_NAME, f"cannot read standard input: {e.strerror or e}")
        return
    if isinstance(data, str):
        data = data.encode("utf-8")
    yield from _read_bytes(data, STDIN_NAME, published, columns, None, id=None, folder=None)


def _read_bytes(
    data: bytes, name: str, published: date | None, columns: Columns | None, kind: str | None,
    *, id: str | None, folder: Path | None,
) -> Iterator[Result]:
    """One file's (or standard input's) content, by kind; ``kind=None``: by its first bytes."""
    if kind is None and (data.startswith(b"WARC/") or data.startswith(b"\x1f\x8b")):
        yield from read_warc(io.BytesIO(data), name, published)
        return
    if kind in ("html", "feed") or kind is None:
        if not data.strip():
            yield InputError(name, "empty input" if name == STDIN_NAME else "empty file")
            return
        head = data[:2048].decode("utf-8", "replace").lstrip("\ufeff")
        if kind == "html" or (kind is None and looks_like_html(head)):
            yield article_from_html(data, name, id=id, published=published)
            return
        if kind == "feed" or (kind is None and looks_like_feed(head)):
            yield from read_feed(data, name, published, folder=folder)
            return
    content = _decode(data, name)
    if isinstance(content, InputError):
        yield content
    elif not content.strip():
        yield InputError(name, "empty input" if name == STDIN_NAME else "empty file")
    elif kind == "json":
        yield from _read_json(content, name, published, columns)
    elif name == STDIN_NAME:
        yield from _read_stdin_text(content, published, columns)
    else:
        yield _text_article(content, name, published, id=id)


def _read_stdin_text(content: str, published: date | None, columns: Columns | None) -> Iterator[Result]:
    lines = content.splitlines()
    if all(line.lstrip().startswith("{") for line in lines if line.strip()):
        yield from _read_jsonl_lines(((i, line) for i, line in enumerate(lines, 1)), STDIN_NAME, published, columns)
        return
    if content.lstrip()[:1] in ("[", "{"):
        try:
            document = json.loads(content)
        except RecursionError:
            yield InputError(STDIN_NAME, _TOO_DEEP)
            return
        except json.JSONDecodeError:
            pass
        else:
            yield from _articles_from_document(document, STDIN_NAME, published, columns)
            return
    yield _text_article(content, STDIN_NAME, published, id=None)


# --- files -----------------------------------------------------------------------------------------------


def _read_directory(path: Path, published: date | None, columns: Columns | None) -> Iterator[Result]:
    try:
        files = sorted(
            p
            for p in path.rglob("*")
            if kind_of(p) is not None
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and p.is_file()
        )
    except OSError as e:
        yield InputError(str(path), f"cannot list the directory: {e.strerror or e}")
        return
    if not files:
        yield InputError(str(path), f"no input files in the directory (looked for {_LOOKED_FOR})")
    for file in files:
        yield from read_path(file, str(file), published, columns)


# Python's JSON parser recurses once per level of nesting: a document nested thousands of levels
# deep raises RecursionError (no article is nested so), which is this item's fault alone.
_TOO_DEEP = "JSON nested too deeply (thousands of levels: not an article)"


def _read_error(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "file not found"
    if isinstance(e, PermissionError):
        return "cannot read the file: permission denied"
    return f"cannot read the file: {e.strerror or e}"


def _not_utf8(e: UnicodeDecodeError) -> str:
    return f"not UTF-8 text (bad byte at offset {e.start}); convert the file to UTF-8"


def _decode(data: bytes, name: str) -> str | InputError:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            return InputError(
                name, f"invalid UTF-16 text (bad byte at offset {e.start}); convert the file to UTF-8"
            )
    if b"\x00" in data:
        return InputError(name, "not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return InputError(name, _not_utf8(e))


def _text_article(content: str, name: str, published: date | None, *, id: str | None) -> Result:
    title, text = split_title(content)
    if not text.strip():
        return InputError(name, "no text")
    return Article.create(text, id=id, title=title, published=published)


# --- JSON ------------------------------------------------------------------------------------------------


def _read_json(content: str, name: str, published: date | None, columns: Columns | None) -> Iterator[Result]:
    try:
        document = json.loads(content)
    except RecursionError:
        yield InputError(name, _TOO_DEEP)
        return
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":
            # Several objects one after another: JSON Lines under a .json name.
            yield from _read_jsonl_lines(enumerate(content.splitlines(), 1), name, published, columns)
        else:
            yield InputError(name, f"invalid JSON at line {e.lineno}: {e.msg}")
        return
    yield from _articles_from_document(document, name, published, columns)


def _articles_from_document(
    document: Any, name: str, published: date | None, columns: Columns | None
) -> Iterator[Result]:
    if isinstance(document, dict):
        yield _article(document, name, published, columns)
    elif isinstance(document, list):
        if not document:
            yield InputError(name, "no articles (the JSON list is empty)")
        for i, obj in enumerate(document):
            yield _article(obj, f"{name}[{i}]", published, columns)
    else:
        yield InputError(name, "expected a JSON object or a list of objects")


def _article(obj: Any, name: str, published: date | None, columns: Columns | None) -> Result:
    try:
        return article_from_object(obj, published=published, columns=columns)
    except Invalid as e:
        return InputError(name, str(e))


def _decoded_lines(lines: Iterable[bytes], name: str) -> Iterator[tuple[int, str | InputError]]:
    for lineno, raw in enumerate(lines, 1):
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield lineno, raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield lineno, InputError(f"{name}:{lineno}", _not_utf8(e))


def _read_jsonl_lines(
    lines: Iterable[tuple[int, str | InputError]], name: str, published: date | None, columns: Columns | None
) -> Iterator[Result]:
    seen = False
    for lineno, line in lines:
        if isinstance(line, InputError):
            seen = True
            yield line
            continue
        if not line.strip():
            continue
        seen = True
        item = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except RecursionError:
            yield InputError(item, _TOO_DEEP)
            continue
        except json.JSONDecodeError as e:
            yield InputError(item, f"invalid JSON: {e.msg} (column {e.colno})")
            continue
        yield _article(obj, item, published, columns)
    if not seen:
        yield InputError(name, "empty file")
