"""Dask runner: partitions, and a real LocalCluster (processes) that loses a worker, or its client, mid-run
and still stores exactly what a plain ``ingest`` of the same files stores."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from communique.cli import main
from communique.distributed import Partition, _read, code_on_dask, plan_partitions
from communique.errors import InputError
from communique.report import Report
from communique.settings import Settings
from communique.store import Store

distributed = pytest.importorskip("distributed")

BATCH = "4"  # articles per store transaction: several commits in a small corpus

# Our own small news stories: six meetings, each reported by three outlets, on two days; each
# pair also trades an accusation that one outlet reports. Clusters form across the outlets.
PAIRS = [("France", "Germany", "Paris"), ("Kenya", "Ethiopia", "Nairobi"), ("Japan", "India", "Tokyo"),
         ("Brazil", "Argentina", "Brasilia"), ("Poland", "Ukraine", "Warsaw"), ("Egypt", "Sudan", "Cairo")]
FORMS = [
    "The foreign minister of {a} met the foreign minister of {b} in {city} on {day}, officials said. "
    "The two discussed trade and border security.",
    "The foreign ministers of {a} and {b} held talks in {city} on {day}. They agreed to meet again next month.",
    "Officials in {city} said the leaders of {a} and {b} met on {day} for talks on trade and energy.",
]
ACCUSE = "The government of {a} accused {b} of violating the trade agreement on {day}, a spokesman said."


def corpus() -> list[dict[str, Any]]:
    out = []
    for k, (a, b, city) in enumerate(PAIRS):
        for d, day in enumerate(("Monday", "Thursday")):
            published = f"2024-03-{5 + 7 * d + (k % 2):02d}"
            for f, form in enumerate(FORMS):
                text = form.format(a=a, b=b, city=city, day=day)
                out.append({"id": f"{k}-{d}-{f}", "source": ["Wire A", "Wire B", "Daily C"][f],
                            "published": published, "title": f"{a} and {b} hold talks",
                            "text": f"{text}\nFiled by desk {k}{d}{f}."})
            out.append({"id": f"{k}-{d}-x", "source": "Wire A", "published": published,
                        "title": f"{a} accuses {b}", "text": ACCUSE.format(a=a, b=b, day=day)})
    return out  # 48 articles


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything that must be equal between two stores (not the coding time)."""
    queries = {
        "articles": "SELECT content_hash, article_id, store_order, duplicate_of FROM articles ORDER BY store_order",
        "events": "SELECT content_hash, seq, event_id, type, mode, source_country, target_country, date_start,"
                  " location_name FROM events ORDER BY content_hash, seq",
        "event_clusters": "SELECT content_hash, seq, cluster_id, match_score FROM event_clusters"
                          " ORDER BY content_hash, seq",
        "clusters": "SELECT cluster_id, type, n_events, n_articles, n_sources, n_copies, content_hash, seq,"
                    " date_lo, date_hi FROM clusters ORDER BY cluster_id",
        "entities": "SELECT content_hash, seq, name, country FROM entities ORDER BY content_hash, seq",
    }
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {k: con.execute(q).fetchall() for k, q in queries.items()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The corpus as a JSONL file (split into line ranges), a Parquet file (row ranges) and a folder of
    JSON files (one partition each)."""
    tmp = tmp_path_factory.mktemp("corpus")
    rows = corpus()
    jsonl = write_jsonl(tmp / "news.jsonl", rows[:28])
    parquet = tmp / "wire.parquet"
    source = write_jsonl(tmp / "wire-source.json", rows[28:36])
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * FROM read_json_auto('{source}')) TO '{parquet}' (FORMAT parquet)")
    source.unlink()
    folder = tmp / "more"
    folder.mkdir()
    for r in rows[36:]:
        (folder / f"{r['id']}.json").write_text(json.dumps(r), encoding="utf-8")
    return jsonl, parquet, folder


@pytest.fixture(scope="module")
def plain(files: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Any, ...]]]:
    db = tmp_path_factory.mktemp("plain") / "plain.duckdb"
    r = CliRunner().invoke(main, ["ingest", *map(str, files), "--db", str(db), "--batch-size", BATCH])
    assert r.exit_code == 0, r.output
    snap = snapshot(db)
    assert len(snap["articles"]) == 48 and len(snap["events"]) >= 48
    assert len(snap["clusters"]) < len(snap["event_clusters"])  # some reports were clustered together
    return snap


# --- partitions -------------------------------------------------------------------------------------------


def test_partitions_cover_every_line_once(tmp_path: Path) -> None:
    rows = corpus()[:11]
    lines = [json.dumps(r) for r in rows]
    lines.insert(3, "")  # a blank line inside a range
    lines.insert(7, "{not json")  # a bad line: reported with its line number in the file
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n\n\n", encoding="utf-8")
    parts = plan_partitions([path], partition_size=4)
    assert [(p.index, p.first_line) for p in parts] == [(0, 1), (1, 6), (2, 10)]
    assert parts[-1].stop == path.stat().st_size and parts[0].start == 0
    assert all(a.stop == b.start for a, b in zip(parts, parts[1:], strict=False))
    errors: list[InputError] = []
    ids = [a.id for p in parts for a in _read(p, None, None, errors)]
    assert ids == [r["id"] for r in rows]
    assert [e.item for e in errors] == [f"{path}:8"]


def test_parquet_row_ranges_read_as_the_whole_file(tmp_path: Path) -> None:
    from communique.ingest import read_articles

    rows = corpus()[:10]
    rows[6] = {**rows[6], "text": ""}  # a row without text: the same error, with its row number
    jsonl = write_jsonl(tmp_path / "rows.jsonl", rows)
    path = tmp_path / "rows.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_json_auto('{jsonl}')) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 3)")
    con.close()
    parts = plan_partitions([path], partition_size=4)
    assert [(p.start, p.stop) for p in parts] == [(0, 4), (4, 8), (8, 10)]
    errors: list[InputError] = []
    got = [a for p in parts for a in _read(p, None, None, errors)]
    whole_errors: list[InputError] = []
    want = list(read_articles([path], errors=whole_errors))
    assert got == want and len(got) == 9
    assert [(e.item, e.reason) for e in errors] == [(e.item, e.reason) for e in whole_errors]
    assert [e.item for e in errors] == [f"{path}[6]"]


def test_small_files_folders_and_globs_are_whole_partitions(files: tuple[Path, Path, Path]) -> None:
    jsonl, _, folder = files
    parts = plan_partitions([folder, str(folder / "0-*.json")], partition_size=1000)
    names = [Path(p.path).name for p in parts]
    # the glob matches no file: it stays a partition, for the reader to report "no files match the pattern"
    assert names == [*sorted(p.name for p in folder.iterdir()), "0-*.json"]
    assert all(p.start is None for p in parts)
    whole = plan_partitions([jsonl], partition_size=1000)
    assert whole == [Partition(str(jsonl), 0)]


# --- a real cluster ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_worker_killed_mid_run_stores_the_same(files: tuple[Path, Path, Path], plain: dict[str, Any],
                                               tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    db = tmp_path / "dask.duckdb"
    killed: list[int] = []
    report = Report()
    errors: list[InputError] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client, Store(db) as store:

        def kill_one(done: int, total: int) -> None:
            if done == 1:  # the rest is in flight (or held in the workers' memory): kill -9 one worker
                pids = client.run(os.getpid)
                pid = sorted(pids.values())[0]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        items = code_on_dask(client, files, Settings(), report=report, errors=errors, partition_size=5,
                             on_partition=kill_one)
        added, skipped = store.add_many(items, batch_size=int(BATCH))
        after = set(client.run(os.getpid).values())
    assert killed and killed[0] not in after  # the worker died and the nanny started another
    assert (added, skipped) == (48, 0)
    assert report.coded == 48 and report.read == 48 and not errors and not report.skipped
    assert snapshot(db) == plain


@pytest.mark.slow
def test_client_killed_mid_run_then_rerun_stores_the_same(files: tuple[Path, Path, Path], plain: dict[str, Any],
                                                          tmp_path: Path) -> None:
    db = tmp_path / "dask.duckdb"
    command = [sys.executable, "-c", "from communique.cli import main; main()", "-v", "ingest", *map(str, files),
               "--db", str(db), "--batch-size", BATCH, "--workers", "2"]
    # A session of its own, so that the kill reaches the client and the cluster it started.
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stderr is not None
    committed = 0
    deadline = time.monotonic() + 300
    for line in proc.stderr:
        if "committed" in line:
            committed += 1
            if committed == 2:
                os.killpg(proc.pid, signal.SIGKILL)
                break
        assert time.monotonic() < deadline, "no commit seen"
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    half = snapshot(db)
    assert 0 < len(half["articles"]) < 48  # killed mid-run, after two commits
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"already in {db}" in done.stderr and "stored " in done.stderr
    assert snapshot(db) == plain
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert "stored 0 new article(s), 48 already" in again.stderr
    assert snapshot(db) == plain


@pytest.mark.slow
def test_ingest_dask_address_and_input_errors(files: tuple[Path, Path, Path], plain: dict[str, Any],
                                              tmp_path: Path) -> None:
    """``ingest --dask ADDRESS`` against a running scheduler; bad lines are reported as by a local ingest."""
    from distributed import LocalCluster

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": ""}\n{broken\n', encoding="utf-8")
    db = tmp_path / "dask.duckdb"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        args = ["ingest", *map(str, files), str(bad), "--db", str(db), "--batch-size", BATCH,
                "--dask", cluster.scheduler_address]
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 0, r.output
        again = CliRunner().invoke(main, args)
    assert snapshot(db) == plain
    for out in (r.output, again.output):
        assert f"{bad}:2: invalid JSON" in out
        assert "skipped 2 (" in out  # the line without text and the broken line, on both runs
    assert "stored 48 new article(s), 0 already" in r.output
    assert "stored 0 new article(s), 48 already" in again.output


def test_dask_and_workers_exclude_each_other(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["ingest", str(tmp_path), "--workers", "2", "--dask", "tcp://127.0.0.1:1"])
    assert r.exit_code == 2 and "not both" in r.output
    r = CliRunner().invoke(main, ["ingest", "-", "--workers", "1", "--db", str(tmp_path / "x.duckdb")], input="{}")
    assert r.exit_code == 2 and "standard input" in r.output
    assert not (tmp_path / "x.duckdb").exists()
