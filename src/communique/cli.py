"""The ``communique`` command: thin commands over the library.

Each command parses its arguments, calls one library function and renders the
result. Errors of the ``CommuniqueError`` tree become one line on stderr; bad input
items are logged (one line each), counted in the closing summary, and skipped.
Exit status: 0 when anything was coded or shown, 1 when nothing could be read,
2 for usage and configuration errors, 3 when an evaluation falls below its floors.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click

from .errors import CommuniqueError, ConfigError, InputError, StoreError
from .records import Article, CodedArticle
from .settings import SETTINGS_HELP, Settings, load_settings

log = logging.getLogger("communique")


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
@click.version_option(package_name="communique")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool, config: str | None, model: str | None) -> None:
    """Turn news articles into political event data: who did what to whom, when and where,
    and who said what, with the evidence for each answer."""
    _setup_logging(verbose, quiet)
    ctx.obj = {"config": config, "overrides": {"model": model}}


def _read(files: Iterable[str], published: date | None, errors: list[InputError]) -> Iterator[Article]:
    from .ingest import read_articles

    return read_articles(list(files), published=published, errors=errors)


_FILES = click.argument("files", nargs=-1, required=True)
_PUBLISHED = click.option("--published", callback=_date, metavar="DATE",
                          help="Publication date (YYYY-MM-DD) for plain-text files and articles without one.")
_PROCESSES = click.option("--processes", type=int, help=SETTINGS_HELP["processes"])
_BATCH = click.option("--batch-size", type=int, help=SETTINGS_HELP["batch_size"])


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
    if report.coded == 0:
        sys.exit(1)


@main.command()
@_FILES
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default="json", show_default=True,
              help="json: one object per article per line, in the evaluation format; "
                   "jsonl: the same with the article text, so it can be read back; table: events for reading.")
@_PUBLISHED
@_PROCESSES
@_BATCH
@click.pass_context
def code(ctx: click.Context, files: tuple[str, ...], fmt: str, published: date | None, processes: int | None,
         batch_size: int | None) -> None:
    """Code FILES (article JSON, JSONL, plain text, directories, - for stdin) and print the result."""
    from .pipeline import Pipeline, Report

    settings = _settings(ctx, processes=processes, batch_size=batch_size)
    errors: list[InputError] = []
    report = Report()
    try:
        pipe = Pipeline(settings)
    except CommuniqueError as e:
        raise click.UsageError(str(e)) from e
    rows: list[dict[str, Any]] = []
    for coded in pipe.code(_read(files, published, errors), report):
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
@_PROCESSES
@_BATCH
@click.pass_context
def ingest(ctx: click.Context, files: tuple[str, ...], db: str | None, published: date | None,
           processes: int | None, batch_size: int | None) -> None:
    """Code FILES and store them in the database. Articles already stored (same content hash)
    are skipped before parsing, so an interrupted run can simply be run again."""
    from .pipeline import Pipeline, Report
    from .store import Store

    settings = _settings(ctx, processes=processes, batch_size=batch_size, db=db)
    errors: list[InputError] = []
    report = Report()
    try:
        pipe = Pipeline(settings)
        store = Store(settings.db)
    except CommuniqueError as e:
        raise click.UsageError(str(e)) from e
    already = 0

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

        for a in _read(files, published, errors):
            batch.append(a)
            if len(batch) >= 256:
                yield from flush()
        yield from flush()

    store_errors: list[StoreError] = []
    with store:
        added, skipped = store.add_many(pipe.code(new_articles(), report), errors=store_errors)
        counts = store.counts()
    report.skipped["not stored"] += len(store_errors)
    report.coded += already
    click.echo(f"communique: stored {added} new article(s), {already + skipped} already in {settings.db}; "
               f"database holds {counts.get('articles', 0)} articles, {counts.get('events', 0)} events",
               err=True)
    _finish(report, errors)


@main.command()
@click.option("--db", type=click.Path(dir_okay=False), help=SETTINGS_HELP["db"])
@click.option("--actor", metavar="ISO3", help="Only events with this country (or IGO code) on either side.")
@click.option("--type", "etype", metavar="TYPE", help="Only this PLOVER event type (e.g. CONSULT).")
@click.option("--since", callback=_date, metavar="DATE", help="Only events dated on or after DATE.")
@click.option("--until", callback=_date, metavar="DATE", help="Only events dated on or before DATE.")
@click.option("--limit", type=int, help="At most this many events.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for reading; json: one event object per line; csv: flat columns.")
@click.pass_context
def events(ctx: click.Context, db: str | None, actor: str | None, etype: str | None, since: date | None,
           until: date | None, limit: int | None, fmt: str) -> None:
    """List stored events, oldest first (by event date, else publication date), with filters."""
    from .store import Store

    settings = _settings(ctx, db=db)
    if not Path(settings.db).exists():
        raise click.UsageError(f"no database at {settings.db}; run `communique ingest FILES --db {settings.db}` first")
    filters: dict[str, Any] = dict(actor=actor.upper() if actor else None, type=etype.upper() if etype else None,
                                   since=since, until=until, limit=limit)
    try:
        with Store(settings.db, read_only=True) as store:
            if fmt == "json":
                for rec in store.event_records(**filters):
                    click.echo(json.dumps(rec, ensure_ascii=False))
                return
            rows = list(store.events(**filters))
    except CommuniqueError as e:
        raise click.ClickException(str(e)) from e
    if fmt == "csv":
        if rows:
            w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        return
    view = [{
        "article": r["article_id"], "type": r["type"], "mode": r.get("mode") or "",
        "actor": f"{r.get('source_name') or ''} [{r.get('source_country') or r.get('source_igo') or '?'}]",
        "recipient": (f"{r.get('target_name')} [{r.get('target_country') or r.get('target_igo') or '?'}]"
                      if r.get("target_name") else ""),
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


@main.command("settings")
@click.pass_context
def settings_cmd(ctx: click.Context) -> None:
    """Show every setting with its value and where to set it."""
    s = _settings(ctx)
    for name, help_ in SETTINGS_HELP.items():
        click.echo(f"{name} = {getattr(s, name)!r}\n    {help_}\n    (env COMMUNIQUE_{name.upper()})")


if __name__ == "__main__":  # pragma: no cover
    main()
