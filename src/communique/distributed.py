"""Dask runner: code a corpus on the workers of a Dask cluster, store it with one writer.

``communique ingest FILES --dask tcp://scheduler:8786`` (or ``--workers N`` for a cluster
of N local processes) runs the same ``Pipeline.code`` as a local ingest, mapped over
partitions of the input:

1. *Plan* (client): the inputs become partitions: one per file, and a JSON Lines or Parquet
   file of more than ``partition_size`` articles becomes line or row ranges of that many.
2. *Hash* (workers, only when the store already holds articles): each partition is read
   and hashed, without spaCy; the client asks the store which hashes it holds.
3. *Code* (workers): each partition is read and its new articles coded by a pipeline
   loaded once per worker process (``_pipeline``); the result is an Arrow table (one row
   per coded article: ``content_hash``, ``article_id``, ``coded`` — the JSON of
   ``CodedArticle.to_json(text=True)``) plus what the worker's ``Report`` counted and the
   input errors it met.
4. *Store* (client): partitions are taken **in plan order** and fed to ``Store.add_many``,
   the one writer, so that storage order, near-duplicates and clusters are those of a
   local ingest of the same files.

Idempotency is the store's: an article already stored (same content hash) is skipped,
so a task retried after its worker died, a client killed and run again, or the same
file given twice stores nothing twice. A partition that keeps killing its workers
(Dask's ``allowed-failures``) or fails for another reason is logged, its articles are
counted as skipped, and the run goes on; running the command again codes what is
missing.

Workers need communique (``pip install 'communique[dask]'``) and the inputs at the same
paths as the client (a shared or copied folder); the database stays on the client.
"""

from __future__ import annotations

import glob
import json
import logging
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, InputError
from .records import Article, CodedArticle
from .report import Report
from .settings import Settings

if TYPE_CHECKING:
    import pyarrow as pa
    from distributed import Client

    from .pipeline import Pipeline

__all__ = ["PARTITION_SIZE", "Partition", "code_on_dask", "local_client", "plan_partitions"]

log = logging.getLogger("communique.distributed")

PARTITION_SIZE = 200  # articles per partition of a JSON Lines or Parquet file
_SPLITTABLE = (".jsonl", ".ndjson")  # uncompressed JSON Lines: cut into line ranges


def _require_dask() -> None:
    try:
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as e:
        raise ConfigError("--dask and --workers need the dask extra: pip install 'communique[dask]'") from e


@dataclass(frozen=True, slots=True)
class Partition:
    """One unit of work: a whole input (``start is None``), the lines ``first_line``… of a JSON
    Lines file held in bytes ``start``–``stop``, or the rows ``start``–``stop`` of a Parquet file."""

    path: str
    index: int
    start: int | None = None
    stop: int | None = None
    first_line: int = 1

    @property
    def parquet(self) -> bool:
        return self.path.lower().endswith(".parquet")

    @property
    def name(self) -> str:
        if self.start is None:
            return self.path
        return f"{self.path}[{self.start}]" if self.parquet else f"{self.path}:{self.first_line}"


# --- 1. plan ---------------------------------------------------------------------------------------------


def plan_partitions(paths: Iterable[str | Path], *, partition_size: int = PARTITION_SIZE) -> list[Partition]:
    """The partitions of ``paths`` (files, directories, globs), in the order a local ingest reads them.

    Directories and globs are expanded here so that each file is its own partition; what cannot be
    expanded (a missing file, an empty folder) stays one partition, for the reader to report."""
    from .ingest._readers import kind_of

    files: list[str] = []
    for raw in paths:
        path = str(raw)
        if path == "-":
            raise ConfigError("standard input cannot be split for Dask workers: give files instead")
        p = Path(path)
        if not p.exists() and any(c in path for c in "*?["):
            matches = sorted(glob.glob(path, recursive=True))
            files.extend(matches or [path])
        elif p.is_dir():
            try:
                found = sorted(f for f in p.rglob("*") if kind_of(f) is not None and f.is_file()
                               and not any(part.startswith(".") for part in f.relative_to(p).parts))
            except OSError:
                found = []
            files.extend([str(f) for f in found] or [path])
        else:
            files.append(path)
    out: list[Partition] = []
    for f in files:
        ranges: list[tuple[int, int, int]] | None = None
        if f.lower().endswith(_SPLITTABLE):
            ranges = _line_ranges(f, partition_size)
        elif f.lower().endswith(".parquet"):
            ranges = _row_ranges(f, partition_size)
        if ranges is None or len(ranges) < 2:
            out.append(Partition(f, len(out)))
        else:
            base = len(out)
            out.extend(Partition(f, base + i, start, stop, line) for i, (start, stop, line) in enumerate(ranges))
    return out


def _row_ranges(path: str, size: int) -> list[tuple[int, int, int]] | None:
    """Row ranges of ``size`` rows of a Parquet file (from its footer): (start, stop, 1)."""
    import duckdb

    try:
        with duckdb.connect(":memory:") as con:
            row = con.execute("SELECT sum(num_rows) FROM parquet_file_metadata(?)", [path]).fetchone()
    except duckdb.Error:
        return None  # the reader reports it
    n = int(row[0] or 0) if row else 0
    return [(start, min(start + size, n), 1) for start in range(0, n, size)] or None


def _line_ranges(path: str, size: int) -> list[tuple[int, int, int]] | None:
    """Byte ranges of ``size`` non-blank lines each (the last one takes the rest): (start, stop, first line)."""
    ranges: list[tuple[int, int, int]] = []
    try:
        with open(path, "rb") as f:
            start = offset = 0
            first = lineno = 1
            count = 0
            for line in f:
                offset += len(line)
                lineno += 1
                if line.strip():
                    count += 1
                    if count == size:
                        ranges.append((start, offset, first))
                        start, first, count = offset, lineno, 0
            if count or not ranges:
                ranges.append((start, offset, first))
            else:  # blank lines after the last full range belong to it
                s, _, line1 = ranges[-1]
                ranges[-1] = (s, offset, line1)
    except OSError:
        return None  # the reader reports it
    return ranges


# --- 2. and 3. on the workers ----------------------------------------------------------------------------


def _read(part: Partition, published: date | None, columns: Mapping[str, str] | None,
          errors: list[InputError]) -> Iterator[Article]:
    """The articles of one partition, read as a local ingest reads them (same ids, same errors)."""
    from .ingest import parse_columns, read_articles
    from .ingest._readers import _read_jsonl_lines

    if part.start is None:
        yield from read_articles([part.path], published=published, errors=errors, columns=columns)
        return
    assert part.stop is not None
    if part.parquet:
        from .ingest._corpus import read_parquet

        results = read_parquet(Path(part.path), part.path, published, parse_columns(columns),
                               rows=(part.start, part.stop))
        yield from _checked(results, errors)
        return
    try:
        with open(part.path, "rb") as f:
            f.seek(part.start)
            data = f.read(part.stop - part.start)
    except OSError as e:
        errors.append(InputError(part.name, f"cannot read the file: {e.strerror or e}"))
        return

    def lines() -> Iterator[tuple[int, str | InputError]]:
        for i, raw in enumerate(data.splitlines(keepends=True), part.first_line):
            if i == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield i, raw.decode("utf-8")
            except UnicodeDecodeError as e:
                reason = f"not UTF-8 text (bad byte at offset {e.start}); convert the file to UTF-8"
                yield i, InputError(f"{part.path}:{i}", reason)

    yield from _checked(_read_jsonl_lines(lines(), part.path, published, parse_columns(columns)), errors)


def _checked(results: Iterable[Article | InputError], errors: list[InputError]) -> Iterator[Article]:
    """As ``read_articles`` does: the language checked, the errors collected."""
    from .ingest import check_language

    for result in results:
        if isinstance(result, Article):
            result = check_language(result)
        if isinstance(result, InputError):
            errors.append(result)
        else:
            yield result


def hash_partition(part: Partition, published: date | None = None,
                   columns: Mapping[str, str] | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """The content hashes of a partition's articles (no parsing: cheap), and its input errors."""
    errors: list[InputError] = []
    hashes = [a.content_hash for a in _read(part, published, columns, errors)]
    return hashes, [(e.item, e.reason) for e in errors]


_PIPELINES: dict[Settings, Pipeline] = {}


def _pipeline(settings: Settings) -> Pipeline:
    """The worker process's pipeline for these settings, loaded by its first task and kept."""
    pipe = _PIPELINES.get(settings)
    if pipe is None:
        from .pipeline import Pipeline

        pipe = _PIPELINES[settings] = Pipeline(settings)
    return pipe


@dataclass(frozen=True, slots=True)
class Shard:
    """What a worker sends back for one partition."""

    index: int
    table: pa.Table  # content_hash, article_id, coded (CodedArticle JSON with the text)
    read: int
    coded: int
    events: int
    already: int
    skipped: dict[str, int]
    errors: list[tuple[str, str]]  # input errors: (item, reason)


def _schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema([("content_hash", pa.string()), ("article_id", pa.string()), ("coded", pa.large_string())])


def code_partition(part: Partition, settings: Settings, published: date | None = None,
                   columns: Mapping[str, str] | None = None, skip: frozenset[str] = frozenset()) -> Shard:
    """Read and code one partition (articles whose hash is in ``skip`` are already stored)."""
    import pyarrow as pa

    errors: list[InputError] = []
    report = Report()
    already = 0

    def fresh() -> Iterator[Article]:
        nonlocal already
        for a in _read(part, published, columns, errors):
            if a.content_hash in skip:
                already += 1
            else:
                yield a

    articles = list(fresh())
    hashes: list[str] = []
    ids: list[str] = []
    docs: list[str] = []
    if articles:
        for c in _pipeline(settings).code(articles, report):
            hashes.append(c.article.content_hash)
            ids.append(c.article.id)
            docs.append(c.to_json(text=True))
    table = pa.Table.from_arrays([pa.array(hashes, pa.string()), pa.array(ids, pa.string()),
                                  pa.array(docs, pa.large_string())], schema=_schema())
    return Shard(part.index, table, report.read + already, report.coded, report.events, already,
                 dict(report.skipped), [(e.item, e.reason) for e in errors])


def _empty_table() -> pa.Table:
    return _schema().empty_table()


def shard_articles(table: pa.Table) -> Iterator[CodedArticle]:
    """The coded articles of a shard's table, in order."""
    for doc in table.column("coded").to_pylist():
        d = json.loads(doc)
        yield CodedArticle.from_dict(d)


# --- 4. on the client ------------------------------------------------------------------------------------


@contextmanager
def local_client(workers: int) -> Iterator[Client]:
    """A client of a new cluster of ``workers`` local processes (one thread each: spaCy holds the GIL)."""
    _require_dask()
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            yield client


@contextmanager
def remote_client(address: str) -> Iterator[Client]:
    """A client of the running cluster whose scheduler is at ``address`` (``tcp://host:8786``)."""
    _require_dask()
    from distributed import Client

    try:
        client = Client(address, timeout="30s")
    except OSError as e:
        raise ConfigError(f"cannot reach the Dask scheduler at {address}: {e}; is it running?") from e
    with client:
        yield client


def code_on_dask(
    client: Client,
    paths: Iterable[str | Path],
    settings: Settings,
    *,
    report: Report,
    errors: list[InputError],
    known: Callable[[list[str]], set[str]] | None = None,
    published: date | None = None,
    columns: Mapping[str, str] | None = None,
    partition_size: int = PARTITION_SIZE,
    on_partition: Callable[[int, int], None] | None = None,
) -> Iterator[CodedArticle]:
    """Code ``paths`` on the cluster of ``client``; yield the coded articles in input order.

    ``known(hashes)`` returns those already stored (None: nothing is stored yet, so the hashing
    pass is skipped). ``report`` and ``errors`` are filled as partitions come back, before their
    articles are yielded; ``on_partition(done, total)`` is called after each (the tests use it to
    kill a worker mid-run)."""
    from distributed import as_completed

    parts = plan_partitions(paths, partition_size=partition_size)
    log.info("%d partition(s) on %d worker(s)", len(parts), len(client.scheduler_info().get("workers", {})))
    worker_settings = replace(settings, processes=1)  # a worker is one process; the cluster is the parallelism
    cols = dict(columns) if columns else None
    window = max(4, 4 * sum(client.nthreads().values()))  # partitions in flight: bounds the client's memory
    pending: deque[tuple[Partition, Any]] = deque()
    waiting = iter(parts)

    def submit(part: Partition, skip: frozenset[str]) -> Any:
        return client.submit(code_partition, part, worker_settings, published, cols, skip, pure=False)

    def fill() -> None:
        batch: list[Partition] = []
        while len(pending) + len(batch) < window and (part := next(waiting, None)) is not None:
            batch.append(part)
        if not batch:
            return
        if known is None:
            pending.extend((p, submit(p, frozenset())) for p in batch)
            return
        hashed = {client.submit(hash_partition, p, published, cols, pure=False): p for p in batch}
        work: dict[int, Any] = {}
        for fut in as_completed(list(hashed)):
            part = hashed[fut]
            try:
                hashes, input_errors = fut.result()
            except Exception as e:  # noqa: BLE001 - a lost partition is reported, the run goes on
                work[part.index] = None
                log.warning("skipped %s: could not read it on a worker (%s: %s)", part.name, type(e).__name__, e)
                continue
            stored = frozenset(known(hashes)) if hashes else frozenset()
            if stored.issuperset(hashes):  # nothing new: no need to read it again
                work[part.index] = Shard(part.index, _empty_table(), len(hashes), 0, 0, len(hashes), {},
                                         input_errors)
            else:
                work[part.index] = submit(part, stored)
        pending.extend((part, work[part.index]) for part in batch)

    done = 0
    fill()
    while pending:
        part, fut = pending.popleft()
        shard = _result(part, fut, report)
        fill()
        done += 1
        if shard is not None:
            report.read += shard.read
            report.coded += shard.coded
            report.events += shard.events
            report.already += shard.already
            report.skipped.update(Counter(shard.skipped))
            for item, reason in shard.errors:
                log.warning("skipped %s: %s", item, reason)
                errors.append(InputError(item, reason))
            yield from shard_articles(shard.table)
        if on_partition is not None:
            on_partition(done, len(parts))


def _result(part: Partition, fut: Any, report: Report) -> Shard | None:
    if fut is None:
        report.skipped["partition lost"] += 1
        return None
    if isinstance(fut, Shard):
        return fut
    try:
        shard: Shard = fut.result()
    except Exception as e:  # noqa: BLE001 - KilledWorker or a bug: this partition is lost, not the run
        report.skipped["partition lost"] += 1
        log.warning("skipped %s: its task failed on the cluster (%s: %s); run the command again to code it",
                    part.name, type(e).__name__, e)
        return None
    finally:
        fut.release()
    return shard
