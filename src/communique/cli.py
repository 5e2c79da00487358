"""The ``communique`` command: thin commands over the library.

Each command parses its arguments, calls one library function and renders the
result. Errors of the ``CommuniqueError`` tree become one line on stderr; bad input
items are logged (one line each), counted in the closing summary, and skipped.
Exit status: 0 when anything was coded or shown, 1 when nothing could be read,
2 for usage and configuration errors, 3 when an evaluation falls below its floors, 4 when an
output (export, plot) is refused or cannot be written.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from .errors import CommuniqueError, ConfigError, InputError, OutputError, StoreError
from .records import Article, CodedArticle
from .settings import SETTINGS_HELP, Settings, load_settings

log = logging.getLogger("communique")


class _BadSetup(click.ClickException):
    """A setting that cannot work (a database that cannot be opened or made): one line, exit 2."""

    exit_code = 2


class _CannotWrite(click.ClickException):
    """An output refused (it would replace what communique did not write) or not writable: one line, exit 4."""

    exit_code = 4


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        msg = record.getMessage()
        if record.exc_info and record.levelno >= logging.ERROR and log.isEnabledFor(logging.DEBUG):
            return f"{record.levelname.lower()}: {msg}\n{self.formatException(record.exc_info)}"
        return f"{record.levelname.lower()}: {msg}"


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else
                                         logging.INFO if verbose == 1 else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    root = logging.getLogger("communique")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    obj = ctx.find_root().obj or {}
    try:
        return load_settings(obj.get("config"), {**obj.get("overrides", {}), **overrides})
    except ConfigError as e:
        raise click.UsageError(str(e)) from e


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-v", "--verbose", count=True, help="More output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.option("--config", type=click.Path(dir_okay=False), help="Settings file (TOML); default ./communique.toml.")
@click.option("--model", help=SETTINGS_HELP["model"])
@click.option("--registry", "registry", type=click.Path(exists=True), help=SETTINGS_HELP["registry"])
@click.version_option(package_name="communique")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool, config: str | None, model: str | None,
         registry: str | None) -> None:
    """Turn news articles into political event data: who did what to whom, when and where,
    and who said what, with the evidence for each answer."""
    _setup_logging(verbose, quiet)
    ctx.obj = {"config": config, "overrides": {"model": model, "registry": registry}}


def _read(files: Iterable[str], published: date | None, errors: list[InputError],
          columns: dict[str, str] | None = None) -> Iterator[Article]:
    from .ingest import read_articles

    return read_articles(list(files), published=published, errors=errors, columns=columns)


def _columns(ctx: click.Context, param: click.Parameter, value: str | None) -> dict[str, str] | None:
    if value is None:
        return None
    from .ingest import parse_columns

    try:
        return parse_columns(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


PROGRESS_EVERY = 1000  # coded articles between two progress lines when stderr is not a terminal…
PROGRESS_SECONDS = 60.0  # …or seconds, whichever comes first


def _progress(items: Iterable[CodedArticle], report: Any, errors: list[InputError], *,
              every: int = PROGRESS_EVERY, seconds: float = PROGRESS_SECONDS,
              stream: Any = None, total: int | None = None,
              done: Callable[[], int] | None = None) -> Iterator[CodedArticle]:
    """Pass coded articles through, showing progress on stderr: on a terminal, a tqdm bar (articles
    done of ``total``, rate, ETA) redrawn at most five times a second; else a line every ``every``
    articles or ``seconds``, whichever comes first, with the ETA when the total is known; none
    under -q. ``done`` counts the inputs behind us (default: articles read by the pipeline plus
    unreadable items; an ingest adds those skipped as already stored)."""
    stream = stream or sys.stderr
    if not log.isEnabledFor(logging.WARNING):
        yield from items
        return
    position = done or (lambda: report.read + len(errors))
    if stream.isatty():
        from tqdm import tqdm

        with tqdm(total=total, file=stream, desc="communique", unit=" articles", mininterval=0.2, miniters=1,
                  dynamic_ncols=True, leave=False) as bar:
            for item in items:
                yield item
                bar.set_postfix_str(f"{report.coded:,} coded, {report.events:,} events", refresh=False)
                bar.update(position() - bar.n)  # redraws at most every mininterval
        return
    last = time.perf_counter()
    for n, item in enumerate(items, 1):
        yield item
        now = time.perf_counter()
        if n % every == 0 or now - last >= seconds:
            stream.write(f"communique: {_progress_line(report, errors, total, position())}\n")
            stream.flush()
            last = now


def _progress_line(report: Any, errors: list[InputError], total: int | None = None, done: int = 0) -> str:
    seconds = report.seconds
    skipped = sum(report.skipped.values()) + len(errors)
    rate = report.coded / seconds if seconds > 0 else 0.0
    line = (f"{report.read:,} read, {report.coded:,} coded, {report.events:,} events, {skipped:,} skipped; "
            f"{rate:.1f} articles/s, {seconds:.0f}s")
    if total:
        from tqdm import tqdm

        line += "; " + tqdm.format_meter(min(done, total), total, seconds,
                                         bar_format="{n_fmt} of {total_fmt} inputs, ETA {remaining}")
    return line


_FILES = click.argument("files", nargs=-1, required=True)
_PUBLISHED = click.option("--published", callback=_date, metavar="DATE",
                          help="Publication date (YYYY-MM-DD) for plain-text files and articles without one.")
_PROCESSES = click.option("--processes", type=int, help=SETTINGS_HELP["processes"])
_BATCH = click.option("--batch-size", type=int, help=SETTINGS_HELP["batch_size"])
_COLUMNS = click.option("--columns", callback=_columns, metavar="FIELD=COLUMN,...",
                        help="Column mapping for CSV, Parquet and JSON corpora, e.g. "
                             "text=body,title=headline,published=date,url=link,id=doc_id.")


def _table(rows: list[dict[str, Any]], columns: list[str], out: Any = None) -> None:
    out = out or sys.stdout
    if not rows:
        click.echo("(no events)", file=out)
        return
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [min(40, max(len(c), *(len(row[i]) for row in cells))) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(), file=out)
    click.echo("  ".join("-" * w for w in widths), file=out)
    for row in cells:
        click.echo("  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                             for v, w in zip(row, widths, strict=True)).rstrip(), file=out)


def _side(a: dict[str, Any] | None) -> str:
    if not a:
        return ""
    code = a.get("country") or a.get("igo") or "?"
    sector = f" {a['sector']}" if a.get("sector") else ""
    return f"{a.get('name')} [{code}{sector}]"


def event_rows(coded: CodedArticle) -> list[dict[str, Any]]:
    rows = []
    for e in coded.events:
        d = e.to_dict()
        rows.append({
            "article": coded.id, "sent": e.sentence_index, "type": e.type, "mode": e.mode or "",
            "actor": _side(d["source"]), "recipient": _side(d["target"]),
            "date": (e.date.value or e.date.start) if e.date else "", "fact": e.factuality,
            "where": e.location.name if e.location else "", "trigger": e.trigger.text,
        })
    return rows


_EVENT_COLUMNS = ["article", "sent", "type", "mode", "actor", "recipient", "date", "fact", "where", "trigger"]


def _finish(report: Any, errors: list[InputError]) -> None:
    for e in errors:
        report.skipped[e.reason.split(":")[0].split(" (")[0]] += 1
    click.echo(f"communique: {report.summary()}", err=True)
    if report.coded == 0 and report.already == 0:
        sys.exit(1)  # nothing could be read (or everything read was skipped)


@main.command()
@_FILES
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default="json", show_default=True,
              help="json: one object per article per line, in the evaluation format; "
                   "jsonl: the same with the article text, so it can be read back; table: events for reading.")
@_PUBLISHED
@_COLUMNS
@_PROCESSES
@_BATCH
@click.pass_context
def code(ctx: click.Context, files: tuple[str, ...], fmt: str, published: date | None,
         columns: dict[str, str] | None, processes: int | None, batch_size: int | None) -> None:
    """Code FILES (article JSON, JSONL, plain text, directories, - for stdin) and print the result."""
    from .pipeline import Pipeline
    from .report import Report

    settings = _settings(ctx, processes=processes, batch_size=batch_size)
    errors: list[InputError] = []
    report = Report()
    try:
        pipe = Pipeline(settings)
    except CommuniqueError as e:
        raise click.UsageError(str(e)) from e
    rows: list[dict[str, Any]] = []
    for coded in pipe.code(_read(files, published, errors, columns), report):
        if fmt == "table":
            rows.extend(event_rows(coded))
        else:
            click.echo(coded.to_json(text=fmt == "jsonl"))
    if fmt == "table":
        _table(rows, _EVENT_COLUMNS)
    _finish(report, errors)


@main.command()
@_FILES
@click.option("--db", type=click.Path(dir_okay=False), help=SETTINGS_HELP["db"])
@_PUBLISHED
@_COLUMNS
@_PROCESSES
@_BATCH
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Code on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); needs the dask extra.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Code on a Dask cluster of N local worker processes; needs the dask extra.")
@click.pass_context
def ingest(ctx: click.Context, files: tuple[str, ...], db: str | None, published: date | None,
           columns: dict[str, str] | None, processes: int | None, batch_size: int | None,
           dask_address: str | None, workers: int | None) -> None:
    """Code FILES and store them in the database. Articles already stored (same content hash)
    are skipped before parsing, so an interrupted run can simply be run again. With --dask or
    --workers the articles are coded on Dask workers and stored here, in input order."""
    from .progress import estimate_articles
    from .report import Report
    from .store import Store

    if dask_address and workers:
        raise click.UsageError("give --dask ADDRESS or --workers N, not both")
    if (dask_address or workers) and "-" in files:
        raise click.UsageError("Dask workers cannot read standard input: give files (on a path the workers see)")
    settings = _settings(ctx, processes=processes, batch_size=batch_size, db=db)
    errors: list[InputError] = []
    report = Report()
    try:
        store = Store(settings.db)
    except CommuniqueError as e:
        raise _BadSetup(str(e)) from e
    already = 0

    def coded(articles: Iterator[Article]) -> Iterator[CodedArticle]:
        """Load the model only when there is something new to code: a rerun over a stored corpus
        reads, hashes and skips without importing spaCy."""
        first = next(articles, None)
        if first is None:
            return
        from itertools import chain

        from .pipeline import Pipeline

        try:
            pipe = Pipeline(settings)
        except CommuniqueError as e:
            raise click.UsageError(str(e)) from e
        yield from pipe.code(chain([first], articles), report)

    def new_articles() -> Iterator[Article]:
        nonlocal already
        batch: list[Article] = []

        def flush() -> Iterator[Article]:
            nonlocal already
            known = store.known_hashes(a.content_hash for a in batch)
            for a in batch:
                if a.content_hash in known:
                    already += 1
                else:
                    yield a
            batch.clear()

        for a in _read(files, published, errors, columns):
            batch.append(a)
            if len(batch) >= 256:
                yield from flush()
        yield from flush()

    store_errors: list[StoreError] = []
    with store, _cluster(dask_address, workers) as client:
        if client is None:
            items = coded(new_articles())
        else:
            from .distributed import code_on_dask

            stored = store.counts()["articles"] > 0  # an empty store needs no look-up pass
            items = code_on_dask(client, files, settings, report=report, errors=errors, published=published,
                                 columns=columns, known=store.known_hashes if stored else None)
        total = estimate_articles(files) if log.isEnabledFor(logging.WARNING) else None
        added, skipped = store.add_many(_progress(items, report, errors, total=total,
                                                  done=lambda: report.read + already + len(errors)),
                                        batch_size=settings.batch_size, errors=store_errors)
        counts = store.counts()
        stats = store.stats()
    if store_errors:
        report.skipped["not stored"] += len(store_errors)
    report.already += already  # (a Dask run counts its own in the report)
    report.read += already  # the pipeline counted only what it was given
    click.echo(f"communique: stored {added} new article(s), {report.already + skipped} already in {settings.db}; "
               f"database holds {counts.get('articles', 0)} articles ({stats['duplicates']} near-duplicate copies), "
               f"{counts.get('events', 0)} events in {stats['clusters']} clusters",
               err=True)
    _finish(report, errors)


@contextmanager
def _cluster(address: str | None, workers: int | None) -> Iterator[Any]:
    """A Dask client for ``ingest --dask/--workers``, or None for a local ingest."""
    if not address and not workers:
        yield None
        return
    from .distributed import local_client, remote_client

    with ExitStack() as stack:
        try:
            client = stack.enter_context(remote_client(address) if address else local_client(workers or 1))
        except CommuniqueError as e:
            raise click.UsageError(str(e)) from e
        yield client


@main.command()
@click.option("--db", type=click.Path(dir_okay=False), help=SETTINGS_HELP["db"])
@click.option("--actor", metavar="CODE", help="Only events whose actor is this country (ISO-3) or IGO code.")
@click.option("--recipient", metavar="CODE", help="Only events whose recipient is this country or IGO code.")
@click.option("--involving", metavar="CODE", help="Only events with this country or IGO code on either side.")
@click.option("--type", "etype", metavar="TYPE", help="Only this PLOVER event type (e.g. CONSULT).")
@click.option("--mode", metavar="MODE", help="Only this PLOVER mode (e.g. meet).")
@click.option("--factuality", metavar="VALUE",
              help="Only events of this factuality (asserted, negated, planned, speculative, hypothetical, "
                   "historical).")
@click.option("--place-country", metavar="ISO3", help="Only events placed in this country.")
@click.option("--since", callback=_date, metavar="DATE", help="Only events dated on or after DATE.")
@click.option("--until", callback=_date, metavar="DATE", help="Only events dated on or before DATE.")
@click.option("--newest-first", is_flag=True, help="Latest events first.")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many events.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for reading; json: one event record per line; csv: the flat columns of Store.events() "
                   "(contexts joined by ';').")
@click.pass_context
def events(ctx: click.Context, db: str | None, actor: str | None, recipient: str | None, involving: str | None,
           etype: str | None, mode: str | None, factuality: str | None, place_country: str | None,
           since: date | None, until: date | None, newest_first: bool, limit: int | None, fmt: str) -> None:
    """List stored events, oldest first (by event date, else publication date), with filters.
    A code that names nothing (--actor China) is an error that names the code meant (CHN)."""
    from itertools import chain

    from .store import EVENT_COLUMNS, EventFilters, Store

    settings = _settings(ctx, db=db)
    if not Path(settings.db).exists():
        raise click.UsageError(f"no database at {settings.db}; run `communique ingest FILES --db {settings.db}` first")
    filters = EventFilters(actor=actor, recipient=recipient, involving=involving, type=etype, mode=mode,
                           factuality=factuality, place_country=place_country, since=since, until=until,
                           newest_first=newest_first, limit=limit)
    try:
        with Store(settings.db, read_only=True) as store:
            if fmt == "json":
                for rec in store.event_records(**filters):
                    click.echo(json.dumps(rec, ensure_ascii=False))
                return
            if fmt == "csv":
                found = store.events(**filters)
                first = next(found, None)  # the filters are checked before the header is written
                w = csv.writer(sys.stdout, lineterminator="\n")
                w.writerow(EVENT_COLUMNS)
                for r in chain([first] if first else [], found):
                    w.writerow(";".join(v) if k == "contexts" else ("" if v is None else v) for k, v in r.items())
                return
            rows = list(store.events(**filters))
    except InputError as e:
        raise click.UsageError(str(e)) from e
    except CommuniqueError as e:
        raise click.ClickException(str(e)) from e
    view = [{
        "article": r["article_id"], "type": r["type"], "mode": r.get("mode") or "",
        "actor": f"{r.get('actor_name') or ''} [{r.get('actor_country') or r.get('actor_igo') or '?'}]",
        "recipient": (f"{r.get('recipient_name')} [{r.get('recipient_country') or r.get('recipient_igo') or '?'}]"
                      if r.get("recipient_name") else ""),
        "date": r.get("date_start") or "", "fact": r.get("factuality"), "where": r.get("location_name") or "",
        "trigger": r.get("trigger") or "",
    } for r in rows]
    _table(view, ["article", "type", "mode", "actor", "recipient", "date", "fact", "where", "trigger"])
    click.echo(f"{len(rows)} event(s)", err=True)


@main.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--floors", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file of floors per gold set; exit 3 if a metric falls below its floor.")
@click.option("--set", "set_name", help="Name of the set in the floors file (default: the folder's name).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the coded articles (json format) to this file.")
@_PROCESSES
@click.pass_context
def evaluate(ctx: click.Context, gold_dir: Path, floors: Path | None, set_name: str | None, as_json: bool,
             predictions: Path | None, processes: int | None) -> None:
    """Code every *.article.json in GOLD_DIR and score it against the *.gold.json beside it."""
    from .evaluate import below_floors, load_floors, load_gold, score
    from .pipeline import Pipeline

    settings = _settings(ctx, processes=processes)
    try:
        gold = load_gold(gold_dir)
        coded = list(Pipeline(settings).code(g.article for g in gold))
    except CommuniqueError as e:
        raise click.UsageError(str(e)) from e
    if predictions:
        predictions.write_text("".join(c.to_json() + "\n" for c in coded), encoding="utf-8")
    res = score(gold, {c.id: c.to_dict() for c in coded})
    if as_json:
        click.echo(json.dumps(res, indent=1))
    else:
        for section, body in res.items():
            if not isinstance(body, dict):
                click.echo(f"{section:26} {body}")
                continue
            click.echo(f"{section}:")
            for k, v in body.items():
                if k == "per_type":
                    click.echo("  per type (matched/gold/pred): " + ", ".join(
                        f"{t} {x['matched']}/{x['gold']}/{x['pred']}" for t, x in v.items()))
                else:
                    click.echo(f"  {k:24} {v}")
    if floors:
        pinned = load_floors(floors).get(set_name or gold_dir.name, {})
        bad = below_floors(res, pinned)
        for line in bad:
            click.echo(f"below floor: {line}", err=True)
        if bad:
            sys.exit(3)


@main.command()
@click.argument("feed_urls", nargs=-1, required=True, metavar="FEED_URL...")
@click.option("--db", type=click.Path(dir_okay=False), help=SETTINGS_HELP["db"])
@click.option("--interval", type=click.FloatRange(min=1), default=300, show_default=True, metavar="SECONDS",
              help="Seconds between two polls of a feed.")
@click.option("--once", is_flag=True, help="Poll each feed once, then exit (for cron); feeds still waiting "
                                           "after errors are left for the next run.")
@click.option("--state", type=click.Path(dir_okay=False),
              help="JSON file of each feed's ETag, Last-Modified and seen entries, so a restart resumes "
                   "[default: beside the database, NAME.watch.json].")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30, show_default=True, metavar="SECONDS",
              help="Give up on a request (connection, redirects and the whole answer) after this long.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=10_000_000, show_default=True,
              help="Largest feed accepted, in bytes.")
@click.pass_context
def watch(ctx: click.Context, feed_urls: tuple[str, ...], db: str | None, interval: float, once: bool,
          state: str | None, timeout: float, max_bytes: int) -> None:
    """Poll RSS/Atom FEED_URLs; code and store the entries not seen before. Requests are
    conditional (ETag, Last-Modified); a failing feed is retried with exponential backoff.
    Runs until interrupted (Ctrl-C), or polls once with --once."""
    from .watch import PollResult, Watcher

    settings = _settings(ctx, db=db)
    try:
        watcher = Watcher(feed_urls, settings=settings, state=state, interval=interval, timeout=timeout,
                          max_bytes=max_bytes)
    except CommuniqueError as e:
        raise click.UsageError(str(e)) from e
    show = log.isEnabledFor(logging.WARNING)

    def shown(result: PollResult) -> None:
        if show and result.outcome != "error":  # errors are logged as warnings by the watcher
            click.echo(f"communique: {result.summary()}", err=True)

    try:
        with watcher:
            watcher.run(once=once, on_poll=shown)
    except KeyboardInterrupt:
        click.echo("communique: stopped", err=True)
    except CommuniqueError as e:
        raise click.UsageError(str(e)) from e
    click.echo(f"communique: {watcher.polls} poll(s), {watcher.errors} failed; stored {watcher.stored} new "
               f"article(s) in {watcher.db}; {watcher.report.summary()}", err=True)
    if watcher.state_errors:
        click.echo(f"communique: the state file {watcher.state.path} could not be saved "
                   f"({watcher.state_errors} time(s)); what was stored is kept", err=True)
    if (once and watcher.polls and watcher.errors == watcher.polls) or watcher.state_errors:
        sys.exit(1)


# --------------------------------------------------------------------------- clusters, series, exports


def _existing_db(ctx: click.Context, db: str | None) -> str:
    settings = _settings(ctx, db=db)
    if not Path(settings.db).exists():
        raise click.UsageError(f"no database at {settings.db}; run `communique ingest FILES --db {settings.db}` first")
    return settings.db


@main.command()
@click.option("--db", type=click.Path(dir_okay=False), help=SETTINGS_HELP["db"])
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for reading; json: one cluster object per line, with its representative event.")
@click.option("--min-articles", type=int, default=0, metavar="N",
              help="Only clusters reported by at least N distinct articles (near-duplicate copies not counted).")
@click.option("--limit", type=int, help="At most this many clusters.")
@click.pass_context
def clusters(ctx: click.Context, db: str | None, fmt: str, min_articles: int, limit: int | None) -> None:
    """List event clusters, oldest first: one real-world event each, with its article and source counts."""
    from .store import Store

    path = _existing_db(ctx, db)
    try:
        with Store(path, read_only=True) as store:
            found = store.clusters(min_articles=min_articles, limit=limit)
    except CommuniqueError as e:
        raise click.ClickException(str(e)) from e
    if fmt == "json":
        for c in found:
            click.echo(json.dumps(c.to_dict(), ensure_ascii=False))
        return
    if not found:
        click.echo("(no clusters)")
        return
    view = [{
        "cluster": c.cluster_id, "type": c.type, "mode": c.mode or "",
        "actor": f"{c.source_name or ''} [{c.source or '?'}]",
        "recipient": f"{c.target_name} [{c.target or '?'}]" if c.target_name else "",
        "date": c.date_start or "", "articles": c.n_articles, "outlets": c.n_sources, "copies": c.n_copies,
        "mentions": c.n_events, "first_seen": c.first_seen or "", "last_seen": c.last_seen or "",
        "fact": c.factuality, "where": c.location or "",
    } for c in found]
    _table(view, ["cluster", "type", "mode", "actor", "recipient", "date", "articles", "outlets", "copies",
                  "mentions", "first_seen", "last_seen", "fact", "where"])
    click.echo(f"{len(found)} cluster(s)", err=True)


@main.command()
@click.option("--db", type=click.Path(dir_okay=False), help=SETTINGS_HELP["db"])
@click.option("--dyad", required=True, metavar="A-B",
              help="Two ISO-3 country (or IGO) codes, e.g. USA-CHN; both directions unless --directed.")
@click.option("--by", type=click.Choice(["day", "week", "month"]), default="week", show_default=True,
              help="Period length (weeks start on Monday).")
@click.option("--directed", is_flag=True, help="Only events from the first code to the second.")
@click.option("--since", callback=_date, metavar="DATE", help="First period: the one holding DATE.")
@click.option("--until", callback=_date, metavar="DATE", help="Last period: the one holding DATE.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
              help="csv with a header line, or json: one period object per line.")
@click.option("--plot", type=click.Path(), metavar="FILE.png",
              help="Also draw the series: rates by quad class and the mean score, with 95% bands.")
@click.pass_context
def series(ctx: click.Context, db: str | None, dyad: str, by: str, directed: bool, since: date | None,
           until: date | None, fmt: str, plot: str | None) -> None:
    """Trend of a dyad per day, week or month, from event clusters normalised by article volume:
    counts by quad class, events per 1,000 articles and the mean conflict-cooperation score, with 95% intervals."""
    from .codes import check_actor_code
    from .series import FIELDS, dyad_series, parse_dyad, plot_series, require_plotting
    from .store import Store

    path = _existing_db(ctx, db)
    try:
        if plot:
            require_plotting()  # before any output: matplotlib is the optional extra `plot`
        a, b = parse_dyad(dyad)
        with Store(path, read_only=True) as store:
            known = store.actor_codes()
            a, b = check_actor_code(a, known, what="dyad"), check_actor_code(b, known, what="dyad")
            rows = dyad_series(store.connection, a, b, by=by, directed=directed, since=since, until=until)
    except InputError as e:
        raise click.BadParameter(str(e), param_hint="--dyad") from e
    except CommuniqueError as e:
        raise click.ClickException(str(e)) from e
    if not rows:
        click.echo(f"communique: no asserted events between {a} and {b} in {path}; give --since/--until for a "
                   "series of zeros", err=True)
    if plot:  # drawn first: a plot that cannot be written is an error before any output
        try:
            plot_series(rows, plot, dyad=f"{a}-{b}", by=by, directed=directed)
        except OutputError as e:
            raise _CannotWrite(str(e)) from e
        click.echo(f"communique: wrote {plot}", err=True)
    if fmt == "json":
        for r in rows:
            click.echo(json.dumps(r.to_dict()))
    else:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(FIELDS)
        w.writerows([("" if v is None else v) for v in r.to_dict().values()] for r in rows)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["plover-jsonl", "gdelt-tsv", "parquet", "quotes-jsonl"]),
              required=True,
              help="plover-jsonl: one PLOVER record per event mention; gdelt-tsv: one GDELT-style row per "
                   "event cluster; parquet: a folder of event files partitioned by date; quotes-jsonl: one "
                   "quotation per line with its speaker, cue and offsets.")
@click.option("--out", required=True, type=click.Path(), metavar="PATH", help="File (or folder, for parquet) to write.")
@click.option("--db", type=click.Path(dir_okay=False), help=SETTINGS_HELP["db"])
@click.option("--asserted-only", is_flag=True, help="Only asserted events (not negated, planned, speculative, ...).")
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, out: str, db: str | None, asserted_only: bool) -> None:
    """Export the stored events as PLOVER JSONL, a GDELT-style TSV or Parquet; the same database gives
    byte-identical files."""
    from .export import export
    from .store import Store

    path = _existing_db(ctx, db)
    try:
        with Store(path, read_only=True) as store:
            n = export(store.connection, fmt, out, asserted_only=asserted_only)
    except OutputError as e:
        raise _CannotWrite(str(e)) from e
    except CommuniqueError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"communique: wrote {n} row(s) to {out}", err=True)


@main.command("settings")
@click.pass_context
def settings_cmd(ctx: click.Context) -> None:
    """Show every setting with its value and where to set it."""
    s = _settings(ctx)
    for name, help_ in SETTINGS_HELP.items():
        click.echo(f"{name} = {getattr(s, name)!r}\n    {help_}\n    (env COMMUNIQUE_{name.upper()})")


# --------------------------------------------------------------------------- registry


@main.group("registry")
def registry_group() -> None:
    """Look up, check and build actor registries (the bundled one, or a user's folder of CSVs
    given by the registry setting)."""


def _registry_path(ctx: click.Context, path: Path | None) -> Path | None:
    settings = _settings(ctx, registry=str(path) if path else None)
    return Path(settings.registry) if settings.registry else None


def _iso3_list(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    if not value:
        return None
    codes = [c.strip().upper() for c in value.split(",") if c.strip()]
    bad = [c for c in codes if len(c) != 3 or not c.isalpha()]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: use ISO 3166 alpha-3 codes, comma-separated (USA,CHN)")
    return codes


@registry_group.command("build-wikidata")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("registry"),
              show_default=True, help="Folder to write officeholders.csv (and igos.csv) into.")
@click.option("--since", callback=_date, metavar="DATE", default="2000-01-01", show_default=True,
              help="Keep terms still running on or after DATE.")
@click.option("--countries", callback=_iso3_list, metavar="ISO3,...",
              help="Keep the offices of these countries only (default: every country).")
@click.option("--igos", is_flag=True, help="Also write igos.csv: international organisations, merged with the "
                                            "bundled codes.")
def registry_build_wikidata(dump: str, out: Path, since: date | None, countries: list[str] | None,
                            igos: bool) -> None:
    """Build a registry from a Wikidata JSON dump (latest-all.json.gz, .bz2, plain, or - for
    standard input), read once as a stream: dated heads of state and government, foreign and
    defence ministers. Point the registry setting at --out to use it."""
    from .actors.wikidata import build_registry

    source = sys.stdin.buffer if dump == "-" else Path(dump)
    try:
        stats = build_registry(source, out, since=since, countries=countries, igos=igos,
                               progress=lambda s: click.echo(f"wikidata: {s.progress()}", err=True))
    except CommuniqueError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"communique: {stats.summary()}; wrote {', '.join(map(str, stats.files))}", err=True)


@registry_group.command("show")
@click.argument("name")
@click.option("--date", "on", callback=_date, metavar="DATE", help="Resolve at this date (default: today).")
@click.option("--registry", "extra", type=click.Path(exists=True, path_type=Path), help=SETTINGS_HELP["registry"])
@click.pass_context
def registry_show(ctx: click.Context, name: str, on: date | None, extra: Path | None) -> None:
    """What NAME resolves to, as the pipeline would resolve it in an article of that date:
    an office holder at the date, else a registry phrase (country, capital, IGO, group, …), else a title."""
    from .actors import load_registry
    from .actors.officeholders import load_holders

    on = on or date.today()
    try:
        path = _registry_path(ctx, extra)
        holders, reg = load_holders(path), load_registry(path)
    except CommuniqueError as e:
        raise click.UsageError(str(e)) from e
    fields: list[tuple[str, object]]
    if (h := holders.find(name, on)) is not None:
        state = "in office" if h.current else "not in office then: the nearest term is shown, only the country is coded"
        fields = [("name", h.name), ("source", f"office holder on {on} ({state})"), ("country", h.country),
                  ("igo", h.igo), ("sector", h.sector if h.current else None),
                  ("role", h.role if h.current else None),
                  ("term", f"{h.role}, {h.start} to {h.end or 'today'}"), ("registry_id", h.registry_id),
                  ("aliases", "|".join(h.aliases)), ("recorded", h.source)]
    elif (entry := reg.lookup(name)) is not None:
        fields = [("name", entry.name), ("source", f"registry ({entry.kind})"), ("country", entry.country),
                  ("igo", entry.igo), ("sector", entry.sector), ("registry_id", entry.registry_id)]
    elif (title := reg.role(name)) is not None:
        fields = [("name", title.phrase), ("source", "registry (title or descriptor)"), ("sector", title.sector),
                  ("role", title.role)]
    else:
        click.echo(f"communique: {name!r} is neither an office holder nor in the registry", err=True)
        sys.exit(1)
    for k, v in fields:
        click.echo(f"{k:12} {'' if v is None else v}".rstrip())


def _data_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.lstrip().startswith("#")]
    return max(0, len(list(csv.reader(lines))) - 1)


@registry_group.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def registry_check(ctx: click.Context, path: Path | None) -> None:
    """Check a user registry file or folder (default: the registry setting, else the bundled
    registry) the way the pipeline loads it; print its counts, or the first error and exit 1."""
    from .actors import load_registry
    from .actors.officeholders import FILE_NAME, load_holders
    from .actors.registry import FILES

    path = _registry_path(ctx, path)
    try:
        reg, holders = load_registry(path), load_holders(path)
    except CommuniqueError as e:
        click.echo(f"communique: {e}", err=True)
        sys.exit(1)
    if path is not None:
        files = [path] if path.is_file() else [path / n for n in (*FILES, FILE_NAME) if (path / n).is_file()]
        for f in files:
            click.echo(f"{f}: {_data_rows(f)} rows")
    unknown = sorted({h.country for h in holders if h.country and reg.country(h.country) is None})
    if unknown:
        click.echo(f"warning: office holders of countries not in countries.csv: {', '.join(unknown)}", err=True)
    click.echo(f"registry: {len(reg)} phrases, {sum(1 for _ in reg.countries())} countries, "
               f"{sum(1 for _ in reg.role_phrases())} titles; {len(holders)} office-holder terms")



# --------------------------------------------------------------------------- serve


@main.command()
@click.option("--db", type=click.Path(dir_okay=False), help=SETTINGS_HELP["db"])
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but a loopback address exposes the store to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--token", envvar="COMMUNIQUE_TOKEN", metavar="TOKEN",
              help="Enable POST /api/ingest for requests with 'Authorization: Bearer TOKEN' (off by default; "
                   "also read from COMMUNIQUE_TOKEN). The store is then opened for writing.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10, show_default=True, metavar="SECONDS",
              help="Time limit of one database statement.")
@click.pass_context
def serve(ctx: click.Context, db: str | None, host: str, port: int, token: str | None, timeout: float) -> None:
    """Browse a store in a web browser and query it over HTTP (pages, JSON API, CSV), read-only.

    Needs the `serve` extra: pip install 'communique[serve]'."""
    try:
        from .web.app import is_local
        from .web.app import serve as run_server
    except ImportError as e:
        raise click.ClickException(
            f"{e.name} is missing: install the web extra with pip install 'communique[serve]'") from e
    path = _existing_db(ctx, db)
    token = token or None  # an empty COMMUNIQUE_TOKEN does not turn writing on
    if not is_local(host):
        click.echo(f"communique: warning: listening on {host}, not only on this machine: anyone who can reach "
                   f"port {port} can read {path}", err=True)
    mode = "read-only" if token is None else "with POST /api/ingest open to holders of the token"
    click.echo(f"communique: serving {path} {mode} on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    try:
        run_server(path, host=host, port=port, token=token, timeout=timeout,
                   log_level="warning" if ctx.find_root().params.get("quiet") else "info")
    except CommuniqueError as e:
        raise click.ClickException(str(e)) from e


if __name__ == "__main__":  # pragma: no cover
    main()
