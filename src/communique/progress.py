"""Progress of long runs: how many articles there are to read, so progress can show a total and an ETA.

``estimate_articles`` counts the articles of the inputs without parsing them: a line per
article in JSON Lines, a row in CSV/TSV (less the header), the row count in a Parquet
file's metadata, one article per page or text file. It is an estimate (a quoted CSV field
spanning lines counts twice, a line that is not an article counts once); the bar moves on
past it if it is low. Inputs whose count would cost a parse (feeds, WARC files, standard
input) make the total unknown: the progress then shows the rate, without an ETA.

The bar itself is tqdm's (``cli._progress``).
"""

from __future__ import annotations

import glob
import gzip
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["estimate_articles"]

_UNKNOWN = ("warc", "feed")


def estimate_articles(paths: Iterable[str | Path]) -> int | None:
    """The number of articles in ``paths`` (files, folders, globs), or None when it cannot be
    told cheaply (standard input, feeds, WARC files)."""
    from .ingest._readers import DIRECTORY_SUFFIXES, STDIN, kind_of

    total = 0
    for path in paths:
        if str(path) == STDIN:
            return None
        p = Path(path)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.name.lower().endswith(DIRECTORY_SUFFIXES)
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
        elif p.exists():
            files = [p]
        else:
            files = [Path(m) for m in sorted(glob.glob(str(path), recursive=True)) if os.path.isfile(m)]
        for f in files:
            n = _count(f, kind_of(f))
            if n is None:
                return None
            total += n
    return total


def _count(path: Path, kind: str | None) -> int | None:
    try:
        if kind in _UNKNOWN:
            return None
        if kind == "jsonl":
            return _lines(path, lambda line: bool(line.strip()))
        if kind in ("csv", "tsv"):
            return max(0, (_lines(path, lambda line: bool(line.strip())) or 0) - 1)
        if kind == "parquet":
            import duckdb

            with duckdb.connect() as con:
                [(n,)] = con.execute("SELECT sum(num_rows) FROM parquet_file_metadata(?)", [str(path)]).fetchall()
            return int(n or 0)
        if kind == "json":
            with path.open("rb") as f:
                head = f.read(1 << 16).lstrip()
            if head.startswith(b"["):
                if path.stat().st_size > 256 << 20:
                    return None  # a huge JSON array: not worth parsing twice
                data = json.loads(path.read_bytes())
                return len(data) if isinstance(data, list) else 1
            return max(1, _lines(path, lambda line: line.startswith(b"{")))  # one object, or one per line
        return 1  # a page or a text file
    except (OSError, ValueError, RecursionError):
        # unreadable, or hostile (JSON nested 100,000 deep): the reader will report it, and count it as skipped
        return 1


def _lines(path: Path, keep: Callable[[bytes], bool]) -> int:
    with (gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")) as f:
        return sum(1 for line in f if keep(line))
