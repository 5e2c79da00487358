"""Tabular corpora → Article: CSV/TSV with the standard library, Parquet with DuckDB, streaming.

A row's fields come from the columns a column mapping names (``text=body,
title=headline``), else from the usual names (``text``/``body``/``content``,
``title``/``headline``, …: ``FIELD_ALIASES``). A mapped column missing from the
file is one error for the whole file; a bad row is one error, and the rest goes on.
Rows are read in batches (``PARQUET_BATCH`` for Parquet), never the whole file at once.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import IO

from communique.errors import InputError
from communique.ingest._fields import FIELD_ALIASES, Columns, Invalid, article_from_object, missing_columns
from communique.records import Article

__all__ = ["PARQUET_BATCH", "read_csv", "read_parquet"]

Result = Article | InputError

PARQUET_BATCH = 1000
# Article texts can be longer than the csv module's default field limit (128 KiB).
_CSV_FIELD_LIMIT = 64 * 1024 * 1024


def read_csv(
    binary: IO[bytes], name: str, published: date | None, columns: Columns | None, *, delimiter: str = ","
) -> Iterator[Result]:
    """One article per row of a CSV (``delimiter=","``) or TSV file with a header row."""
    stream = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, min(_CSV_FIELD_LIMIT, sys.maxsize)))
    try:
        yield from _csv_rows(stream, name, published, columns or {}, delimiter)
    except UnicodeDecodeError as e:
        yield InputError(name, f"not UTF-8 text (bad byte at offset {e.start}); convert the file to UTF-8")
    except csv.Error as e:
        yield InputError(name, f"invalid CSV: {e}")
    finally:
        csv.field_size_limit(previous)


def _csv_rows(
    stream: IO[str], name: str, published: date | None, columns: Columns, delimiter: str
) -> Iterator[Result]:
    reader = csv.reader(stream, delimiter=delimiter)
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        yield InputError(name, "empty file")
        return
    header = [h.strip() for h in header]
    problem = missing_columns(header, columns)
    if problem:
        yield InputError(name, problem)
        return
    start = reader.line_num + 1
    rows = 0
    for row in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        item = f"{name}:{line}"
        if len(row) > len(header):
            yield InputError(item, f"{len(row)} cells in a row under {len(header)} column names")
            continue
        obj = {k: (v if v.strip() else None) for k, v in zip(header, row, strict=False)}
        yield _article(obj, item, published, columns)
    if rows == 0:
        yield InputError(name, "no rows under the header")


def read_parquet(path: Path, name: str, published: date | None, columns: Columns | None,
                 rows: tuple[int, int] | None = None) -> Iterator[Result]:
    """One article per row of a Parquet file, ``PARQUET_BATCH`` rows at a time (DuckDB); ``rows``:
    only the rows ``start`` to ``stop - 1`` (a partition of the file for a Dask worker)."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        try:
            described = con.execute("SELECT * FROM read_parquet(?) LIMIT 0", [str(path)]).description
        except duckdb.Error as e:
            message = str(e).splitlines()[0]
            reason = "file not found" if not path.exists() else f"not a readable Parquet file ({message})"
            yield InputError(name, reason)
            return
        problem = missing_columns([d[0] for d in described or ()], columns or {})
        if problem:
            yield InputError(name, problem)
            return
        # Only the columns that make an Article are read (a corpus may also hold raw HTML, vectors, …).
        wanted = set((columns or {}).values()) | {k for keys in FIELD_ALIASES.values() for k in keys}
        names = [d[0] for d in described or () if d[0] in wanted]
        select = ", ".join('"' + n.replace('"', '""') + '"' for n in names)
        try:
            if rows is None:
                cursor = con.execute(f"SELECT {select} FROM read_parquet(?)", [str(path)])
            else:
                cursor = con.execute(f"SELECT {select} FROM read_parquet(?, file_row_number = true)"
                                     " WHERE file_row_number >= ? AND file_row_number < ? ORDER BY file_row_number",
                                     [str(path), *rows])
        except duckdb.Error as e:
            yield InputError(name, f"not a readable Parquet file ({str(e).splitlines()[0]})")
            return
        index = rows[0] if rows else 0
        while True:
            try:
                batch = cursor.fetchmany(PARQUET_BATCH)
            except duckdb.Error as e:
                yield InputError(name, f"cannot read row {index} on: {str(e).splitlines()[0]}")
                return
            if not batch:
                break
            for row in batch:
                yield _article(dict(zip(names, row, strict=True)), f"{name}[{index}]", published, columns)
                index += 1
        if index == 0 and rows is None:
            yield InputError(name, "no rows in the Parquet file")
    finally:
        con.close()


def _article(obj: Mapping[str, object], item: str, published: date | None, columns: Columns | None) -> Result:
    try:
        return article_from_object(obj, published=published, columns=columns)
    except Invalid as e:
        return InputError(item, str(e))
