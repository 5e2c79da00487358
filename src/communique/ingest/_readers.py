"""One reader per input kind; each yields Articles and, for what it cannot read, InputErrors.

Readers never raise for bad input: the caller (``read_articles``) logs and collects
the errors and goes on with the next item."""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from communique.errors import InputError
from communique.ingest._fields import Invalid, article_from_object
from communique.ingest._text import split_title
from communique.records import Article

__all__ = ["DIRECTORY_SUFFIXES", "STDIN", "Result", "read_path", "read_stdin"]

Result = Article | InputError

STDIN = "-"
STDIN_NAME = "<stdin>"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
DIRECTORY_SUFFIXES = (".json", *JSONL_SUFFIXES, ".txt")


def read_path(path: Path, name: str, published: date | None) -> Iterator[Result]:
    """Articles from a file or a directory; ``name`` is how errors refer to it."""
    if path.is_dir():
        yield from _read_directory(path, published)
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl_file(path, name, published)
        return
    content = _read_text(path, name)
    if isinstance(content, InputError):
        yield content
    elif suffix == ".json":
        yield from _read_json(content, name, published)
    else:
        yield _text_article(content, name, published, id=path.stem)


def read_stdin(published: date | None) -> Iterator[Result]:
    """Articles from standard input: JSON Lines if every non-empty line starts with ``{``,
    a JSON document if it parses as one, else one plain-text article."""
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
    content = _decode(data, STDIN_NAME) if isinstance(data, bytes) else data
    if isinstance(content, InputError):
        yield content
        return
    if not content.strip():
        yield InputError(STDIN_NAME, "empty input")
        return
    lines = content.splitlines()
    if all(line.lstrip().startswith("{") for line in lines if line.strip()):
        yield from _read_jsonl_lines(enumerate(lines, 1), STDIN_NAME, published)
        return
    if content.lstrip()[:1] in ("[", "{"):
        try:
            document = json.loads(content)
        except json.JSONDecodeError:
            pass
        else:
            yield from _articles_from_document(document, STDIN_NAME, published)
            return
    yield _text_article(content, STDIN_NAME, published, id=None)


# --- files -----------------------------------------------------------------------------------------------


def _read_directory(path: Path, published: date | None) -> Iterator[Result]:
    try:
        files = sorted(
            p
            for p in path.rglob("*")
            if p.suffix.lower() in DIRECTORY_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and p.is_file()
        )
    except OSError as e:
        yield InputError(str(path), f"cannot list the directory: {e.strerror or e}")
        return
    if not files:
        kinds = ", ".join(DIRECTORY_SUFFIXES)
        yield InputError(str(path), f"no input files in the directory (looked for {kinds})")
    for file in files:
        yield from read_path(file, str(file), published)


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


def _read_text(path: Path, name: str) -> str | InputError:
    try:
        data = path.read_bytes()
    except OSError as e:
        return InputError(name, _read_error(e))
    content = _decode(data, name)
    if isinstance(content, str) and not content.strip():
        return InputError(name, "empty file")
    return content


def _text_article(content: str, name: str, published: date | None, *, id: str | None) -> Result:
    title, text = split_title(content)
    if not text.strip():
        return InputError(name, "no text")
    return Article.create(text, id=id, title=title, published=published)


# --- JSON ------------------------------------------------------------------------------------------------


def _read_json(content: str, name: str, published: date | None) -> Iterator[Result]:
    try:
        document = json.loads(content)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":
            # Several objects one after another: JSON Lines under a .json name.
            yield from _read_jsonl_lines(enumerate(content.splitlines(), 1), name, published)
        else:
            yield InputError(name, f"invalid JSON at line {e.lineno}: {e.msg}")
        return
    yield from _articles_from_document(document, name, published)


def _articles_from_document(document: Any, name: str, published: date | None) -> Iterator[Result]:
    if isinstance(document, dict):
        yield _article(document, name, published)
    elif isinstance(document, list):
        if not document:
            yield InputError(name, "no articles (the JSON list is empty)")
        for i, obj in enumerate(document):
            yield _article(obj, f"{name}[{i}]", published)
    else:
        yield InputError(name, "expected a JSON object or a list of objects")


def _article(obj: Any, name: str, published: date | None) -> Result:
    try:
        return article_from_object(obj, published=published)
    except Invalid as e:
        return InputError(name, str(e))


def _read_jsonl_file(path: Path, name: str, published: date | None) -> Iterator[Result]:
    try:
        f = path.open("rb")
    except OSError as e:
        yield InputError(name, _read_error(e))
        return
    with f:
        try:
            yield from _read_jsonl_lines(_decoded_lines(f, name), name, published)
        except OSError as e:
            yield InputError(name, _read_error(e))


def _decoded_lines(lines: Iterable[bytes], name: str) -> Iterator[tuple[int, str | InputError]]:
    for lineno, raw in enumerate(lines, 1):
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield lineno, raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield lineno, InputError(f"{name}:{lineno}", _not_utf8(e))


def _read_jsonl_lines(
    lines: Iterable[tuple[int, str | InputError]], name: str, published: date | None
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
        except json.JSONDecodeError as e:
            yield InputError(item, f"invalid JSON: {e.msg} (column {e.colno})")
            continue
        yield _article(obj, item, published)
    if not seen:
        yield InputError(name, "empty file")
