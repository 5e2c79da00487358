"""Exports: PLOVER JSONL, GDELT-style TSV and Parquet; byte-identical when run twice; asserted only."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from communique._output import MANIFEST
from communique.cli import main
from communique.errors import OutputError
from communique.export import GDELT_COLUMNS, export
from communique.store import Store

from .test_clusters import article, ev
from .test_series import CORPUS as SERIES_CORPUS

UN_ARTICLE = article(
    "un-appeal",
    ["The United Nations urged Sudan on Friday to open crossings for aid convoys into Darfur."],
    [ev(0, "urged", "ACCUSE", ("The United Nations", "UN"), ("Sudan", "SDN"), day="2024-03-08")],
    published=date(2024, 3, 8),
    source=None,
)
UN_ARTICLE = replace(UN_ARTICLE, events=tuple(replace(e, tone=-3.25) for e in UN_ARTICLE.events))
CORPUS = [*SERIES_CORPUS, UN_ARTICLE]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "x.duckdb"
    with Store(path) as s:
        s.add_many(CORPUS)
    return path


def run_export(db: Path, fmt: str, out: Path, **kw: bool) -> int:
    with Store(db, read_only=True) as s:
        return export(s.connection, fmt, out, **kw)


def digest(path: Path) -> dict[str, str]:
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return {str(p.relative_to(path.parent)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.parametrize(("fmt", "name"), [("plover-jsonl", "e.jsonl"), ("gdelt-tsv", "e.tsv"), ("parquet", "pq")])
def test_twice_byte_identical(db: Path, tmp_path: Path, fmt: str, name: str) -> None:
    first, second = tmp_path / "1" / name, tmp_path / "2" / name
    assert run_export(db, fmt, first) == run_export(db, fmt, second) > 0
    assert list(digest(first).values()) == list(digest(second).values())
    assert run_export(db, fmt, first) > 0  # over an earlier export: replaced, still the same
    assert digest(first) == {k.replace("/2/", "/1/"): v for k, v in digest(first).items()}
    assert list(digest(first).values()) == list(digest(second).values())


def test_plover_records(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "plover.jsonl"
    assert run_export(db, "plover-jsonl", out) == 9
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["date"] for r in records] == sorted(r["date"] for r in records)
    with Store(db, read_only=True) as s:
        clusters = {r["event_id"]: r["cluster_id"] for r in s.event_records()}
    talks = next(r for r in records if r["cite_info"]["citation"] == "talks-a")
    event_id = talks["id"]
    assert talks == {
        "id": event_id, "date": "2024-03-04", "enddate": "2024-03-04",
        "actor": [{"code": "USA", "sector": "GOV", "entity_text": "the United States"}],
        "recipient": [{"code": "CHN", "sector": "GOV", "entity_text": "China"}],
        "event": ["CONSULT"], "mode": [], "context": [], "quad_code": 1, "event_scale": 2.5,
        "link": clusters[event_id],
        "text_info": {"sequence": 0, "start": 0, "end": 79},
        "cite_info": {"citation": "talks-a", "url": "https://news.example/talks-a", "title": "talks-a",
                      "publication": "Wire", "language": "en", "coder": "test", "codebook": "plover-test"},
        "coder": "test", "coded_date": talks["coded_date"], "has_event": True,
        "factuality": "asserted", "date_granularity": "day", "date_source": "text", "cameo_root": None,
        "goldstein": None, "tone": None, "published": "2024-03-04", "duplicate_of": None,
    }  # fmt: skip
    talks_b = next(r for r in records if r["cite_info"]["citation"] == "talks-b")
    assert talks_b["link"] == talks["link"]  # one real-world event
    un = next(r for r in records if r["cite_info"]["citation"] == "un-appeal")
    assert un["actor"] == [{"code": "UNO", "sector": None, "entity_text": "The United Nations", "igo": "UN"}]
    assert "publication" not in un["cite_info"] and un["tone"] == -3.25
    copy = next(r for r in records if r["cite_info"]["citation"] == "aid-copy")
    assert copy["duplicate_of"] is not None
    assert all("text" not in r and "event_text" not in r for r in records)  # facts, not text


def test_asserted_only(db: Path, tmp_path: Path) -> None:
    assert run_export(db, "plover-jsonl", tmp_path / "a.jsonl", asserted_only=True) == 8
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(x)["factuality"] for x in lines} == {"asserted"}
    assert run_export(db, "gdelt-tsv", tmp_path / "a.tsv", asserted_only=True) == 6
    assert run_export(db, "parquet", tmp_path / "pq", asserted_only=True) == 8


def test_gdelt_rows(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    assert run_export(db, "gdelt-tsv", out) == 7  # one row per cluster
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(GDELT_COLUMNS) and len(GDELT_COLUMNS) == 61 + 5
    rows = [dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]
    talks = rows[0]
    assert {k: talks[k] for k in ("SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name",
                                  "Actor1CountryCode", "Actor2Code", "Actor2Type1Code", "IsRootEvent", "QuadClass",
                                  "NumMentions", "NumSources", "NumArticles", "AvgTone", "DATEADDED", "SOURCEURL",
                                  "PLOVEREvent", "PLOVERScore", "Factuality")} == {
        "SQLDATE": "20240304", "MonthYear": "202403", "Year": "2024", "FractionDate": "2024.1726",
        "Actor1Code": "USAGOV", "Actor1Name": "the United States", "Actor1CountryCode": "USA",
        "Actor2Code": "CHNGOV", "Actor2Type1Code": "GOV", "IsRootEvent": "1", "QuadClass": "1",
        "NumMentions": "2", "NumSources": "2", "NumArticles": "2", "AvgTone": "", "DATEADDED": "20240304000000",
        "SOURCEURL": "https://news.example/talks-a", "PLOVEREvent": "CONSULT", "PLOVERScore": "2.5",
        "Factuality": "asserted",
    }  # fmt: skip
    # GLOBALEVENTID: an integer that fits a signed 64-bit column, one per cluster; ClusterID the hex id
    ids = [r["GLOBALEVENTID"] for r in rows]
    assert all(i.isdigit() and 0 <= int(i) < 2**63 for i in ids) and len(set(ids)) == len(rows)
    assert all(int(r["GLOBALEVENTID"]) == int(r["ClusterID"], 16) >> 1 and len(r["ClusterID"]) == 16 for r in rows)
    un = next(r for r in rows if r["Actor1KnownGroupCode"] == "UN")
    assert (un["Actor1Code"], un["Actor1CountryCode"], un["Actor2CountryCode"]) == ("UN", "", "SDN")
    assert un["AvgTone"] == "-3.25"
    aid = next(r for r in rows if r["PLOVEREvent"] == "AID" and r["Actor1CountryCode"] == "USA")
    assert (aid["NumArticles"], aid["NumMentions"]) == ("1", "2")  # the copy is a mention, not an article


def test_parquet_partitions(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    assert run_export(db, "parquet", out) == 9
    parts = sorted(p.name for p in out.iterdir() if p.name != MANIFEST)
    assert parts[0] == "date=2024-03-04" and len(parts) == 7
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest == {"kind": "communique export", "files": [f"{p}/data_0.parquet" for p in parts]}
    assert all((out / p / "data_0.parquet").is_file() for p in parts)
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT date, article_id, cluster_id, type FROM read_parquet('{out}/*/*.parquet', hive_partitioning = true)"
        " ORDER BY date, article_id"
    ).fetchall()
    assert len(rows) == 9 and rows[0][:2] == (date(2024, 3, 4), "talks-a") and rows[0][3] == "CONSULT"
    assert rows[0][2] == rows[1][2]  # the same cluster
    with pytest.raises(OutputError, match="exists and is not a folder"):
        (tmp_path / "file").write_text("x")
        run_export(db, "parquet", tmp_path / "file")


def test_cli(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.jsonl"
    r = CliRunner().invoke(main, ["export", "--format", "plover-jsonl", "--out", str(out), "--db", str(db),
                                  "--asserted-only"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "wrote 8 row(s)" in r.stderr and len(out.read_text().splitlines()) == 8
    bad = CliRunner().invoke(main, ["export", "--format", "csv", "--out", str(out), "--db", str(db)])
    assert bad.exit_code == 2


def test_quotes_jsonl(tmp_path: Path) -> None:
    from communique.records import Actor, Quote, Span

    text = "\u201cWe will not back down,\u201d Kenyan Foreign Minister Musalia Mudavadi said."
    base = article("quote-1", [text], [], published=date(2024, 3, 8), source=None)
    speaker = Actor("Musalia Mudavadi", country="KEN", sector="GOV", kind="PERSON")
    c0, n0, s0 = text.index("We"), text.index("Musalia"), text.index("said")
    q = Quote(Span(c0, c0 + 22, text[c0:c0 + 22], 0), speaker=speaker,
              speaker_span=Span(n0, n0 + 16, text[n0:n0 + 16], 0), cue=Span(s0, s0 + 4, "said", 0))
    path = tmp_path / "q.duckdb"
    with Store(path) as s:
        s.add_many([replace(base, quotes=(q,))])
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    assert run_export(path, "quotes-jsonl", first) == run_export(path, "quotes-jsonl", second) == 1
    assert first.read_bytes() == second.read_bytes()
    rec = json.loads(first.read_text(encoding="utf-8"))
    assert (rec["speaker"], rec["speaker_country"], rec["cue"], rec["content"]) == (
        "Musalia Mudavadi", "KEN", "said", "We will not back down,")
    assert rec["content"] == text[c0:c0 + 22]
    assert text[rec["char_start"]:rec["char_end"]] == rec["content"]


def test_gdelt_cameo_codes_keep_their_leading_zero(tmp_path: Path) -> None:
    consult = replace(CORPUS[0], events=tuple(replace(e, cameo_root="04") for e in CORPUS[0].events))
    path = tmp_path / "cameo.duckdb"
    with Store(path) as s:
        s.add_many([consult])
    out = tmp_path / "cameo.tsv"
    assert run_export(path, "gdelt-tsv", out) == 1
    header, line = out.read_text(encoding="utf-8").splitlines()
    row = dict(zip(header.split("\t"), line.split("\t"), strict=True))
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("04", "04", "04")
    # read back as GDELT's loaders do (codes as text, the id as a BIGINT), the values survive
    con = duckdb.connect()
    got = con.execute(
        "SELECT GLOBALEVENTID, EventCode FROM read_csv(?, delim = '\t', header = true, quote = '',"
        " types = {'GLOBALEVENTID': 'BIGINT', 'EventCode': 'VARCHAR'})", [str(out)]
    ).fetchall()
    assert got == [(int(row["GLOBALEVENTID"]), "04")]
