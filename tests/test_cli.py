"""The command line, run as a user runs it: a real process, real files, a real DuckDB file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLES

pytestmark = pytest.mark.slow

EXE = shutil.which("communique", path=str(Path(sys.executable).parent)) or "communique"

ARTICLE = {
    "id": "cli-1", "url": None, "published": "2024-02-06",
    "title": "Ministers meet",
    "text": "Kenya's foreign minister met his Ethiopian counterpart in Nairobi on Monday.\n"
            "Kenya also accused Somalia of violating its airspace.",
}


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, input=stdin, cwd=cwd, timeout=300)


def test_every_command_has_help() -> None:
    top = run("--help")
    assert top.returncode == 0
    for cmd in ("code", "ingest", "events", "evaluate", "settings"):
        assert cmd in top.stdout
        r = run(cmd, "--help")
        assert r.returncode == 0 and "Usage:" in r.stdout, cmd


def test_code_json_and_bad_input_in_one_batch(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(ARTICLE), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "notext.json").write_text(json.dumps({"id": "x", "text": "  "}), encoding="utf-8")
    (tmp_path / "baddate.json").write_text(json.dumps({**ARTICLE, "id": "d", "published": "2024-13-40"}),
                                           encoding="utf-8")
    r = run("code", str(good), str(tmp_path / "broken.json"), str(tmp_path / "empty.txt"),
            str(tmp_path / "notext.json"), str(tmp_path / "baddate.json"), str(tmp_path / "missing.json"))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["cli-1"]
    types = {(e["type"], e["source"]["country"], (e["target"] or {}).get("country")) for e in lines[0]["events"]}
    assert ("CONSULT", "KEN", "ETH") in types or ("CONSULT", "ETH", "KEN") in types
    assert ("ACCUSE", "KEN", "SOM") in types
    warnings = [x for x in r.stderr.splitlines() if x.startswith("warning:")]
    assert len(warnings) == 5, r.stderr
    assert "skipped 5" in r.stderr.splitlines()[-1]


def test_nothing_readable_exits_non_zero(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("[", encoding="utf-8")
    r = run("code", str(tmp_path / "bad.json"))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "bad.json" in r.stderr


def test_plain_text_with_title_and_published(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_text("Talks in Cairo\n-----\n\nEgypt hosted Sudanese officials in Cairo on Sunday.\n", encoding="utf-8")
    r = run("code", str(f), "--published", "2024-03-05", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["id"] == "story" and out["title"] == "Talks in Cairo" and out["published"] == "2024-03-05"
    assert out["text"].startswith("Egypt hosted")


def test_ingest_is_idempotent_and_events_filter(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    first = run("ingest", str(SAMPLES), "--db", str(db))
    assert first.returncode == 0, first.stderr
    second = run("ingest", str(SAMPLES), "--db", str(db))
    assert second.returncode == 0, second.stderr
    assert "stored 0 new" in second.stderr
    all_events = run("events", "--db", str(db), "--format", "json")
    recs = [json.loads(x) for x in all_events.stdout.splitlines()]
    assert recs and all({"event_id", "article_id", "type", "source"} <= set(r) for r in recs)
    rus = run("events", "--db", str(db), "--involving", "RUS", "--format", "csv")
    rows = rus.stdout.splitlines()
    assert len(rows) > 1 and all("RUS" in row for row in rows[1:])
    table = run("events", "--db", str(db), "--type", "ASSAULT")
    assert table.returncode == 0 and "ASSAULT" in table.stdout


def test_events_without_database_is_a_usage_error(tmp_path: Path) -> None:
    r = run("events", "--db", str(tmp_path / "none.duckdb"))
    assert r.returncode == 2 and "ingest" in r.stderr


def test_ingest_keeps_the_good_files_around_hostile_ones(tmp_path: Path) -> None:
    """A JSON file nested 100,000 levels deep, a WARC file cut short and a 0001-01-01 date: each is counted
    and named, and the good files before and after them are stored (issue 14)."""
    import duckdb

    (tmp_path / "a.json").write_text(json.dumps(ARTICLE), encoding="utf-8")
    (tmp_path / "b.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    warc = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/1\r\nContent-Length: 900\r\n\r\n"
    (tmp_path / "c.warc").write_bytes(warc + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Cut")
    (tmp_path / "d.json").write_text(json.dumps({**ARTICLE, "id": "cli-2", "published": "0001-01-01"}),
                                     encoding="utf-8")
    db = tmp_path / "h.duckdb"
    r = run("ingest", *(str(tmp_path / n) for n in ("a.json", "b.json", "c.warc", "d.json")), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    summary = r.stderr.strip().splitlines()[-1]
    assert "JSON nested too deeply" in r.stderr and "truncated WARC file" in r.stderr
    assert "skipped 2 (" in r.stderr and "coding error" not in r.stderr and "stage failures" not in r.stderr, summary
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT article_id, CAST(published AS VARCHAR), failed_stages FROM articles "
                       "ORDER BY article_id").fetchall()
    dated = con.execute("SELECT count(*) FROM events WHERE article_id = 'cli-2'").fetchone()
    con.close()
    assert rows == [("cli-1", "2024-02-06", []), ("cli-2", "0001-01-01", [])]
    assert dated is not None and dated[0] >= 2  # the old date codes like any other
