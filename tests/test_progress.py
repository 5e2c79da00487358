"""Progress of long runs: the estimated total of the inputs, and the bar or lines with an ETA."""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from communique.cli import _progress
from communique.errors import InputError
from communique.progress import estimate_articles
from communique.report import Report


def corpus(folder: Path) -> Path:
    folder.mkdir()
    rows = [{"id": f"j{i}", "text": f"Article {i}."} for i in range(3)]
    (folder / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    with gzip.open(folder / "b.jsonl.gz", "wt") as f:
        f.write("\n".join(json.dumps(r) for r in rows[:2]) + "\n")
    (folder / "c.csv").write_text("id,text\nc1,One.\nc2,Two.\n")
    (folder / "d.json").write_text(json.dumps([rows[0], rows[1]]))
    (folder / "e.json").write_text(json.dumps(rows[0], indent=2))
    (folder / "f.txt").write_text("A plain story.")
    duckdb.connect().execute(
        f"COPY (SELECT 'p' || range AS id, 'Text.' AS text FROM range(4)) TO '{folder / 'g.parquet'}' (FORMAT PARQUET)"
    )
    (folder / ".hidden.jsonl").write_text(json.dumps(rows[0]) + "\n")  # skipped by the reader, so not counted
    return folder


def test_estimate_articles(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "c")
    assert estimate_articles([folder]) == 3 + 2 + 2 + 2 + 1 + 1 + 4
    assert estimate_articles([folder / "a.jsonl", folder / "c.csv"]) == 5
    assert estimate_articles([str(folder / "*.json")]) == 3  # a glob
    assert estimate_articles([folder / "missing.jsonl"]) == 0  # the reader reports it
    (folder / "h.warc").write_bytes(b"WARC/1.0\r\n")
    assert estimate_articles([folder]) is None  # counting WARC records would cost a parse
    assert estimate_articles(["-"]) is None


def feed(report: Report, n: int) -> list[int]:
    items = []
    for i in range(n):
        report.read += 1
        report.coded += 1
        items.append(i)
    return items


def test_lines_with_total_and_eta_when_not_a_terminal() -> None:
    report, out = Report(), io.StringIO()
    seen = list(_progress(iter(feed(report, 6)), report, [InputError("x", "bad")], every=3, stream=out,  # type: ignore[arg-type]
                          total=20))
    assert seen == list(range(6))
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert all(re.fullmatch(r"communique: 6 read, 6 coded, 0 events, 1 skipped; .* 7 of 20 inputs, ETA \S+", line)
               for line in lines), lines


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_on_a_terminal_shows_count_total_rate_and_eta() -> None:
    import time

    report, out = Report(), Terminal()

    def coded() -> Iterator[int]:
        for i in range(3):
            time.sleep(0.25)  # slower than the bar's redraw interval (0.2 s), so each article is drawn
            report.read += 1
            report.coded += 1
            yield i

    assert list(_progress(coded(), report, [], stream=out, total=8)) == [0, 1, 2]  # type: ignore[arg-type]
    frames = out.getvalue().split("\r")
    # tqdm's frame: "communique:  38%|###7      | 3/8 [00:00<00:01,  3.97 articles/s, 3 coded, 0 events]"
    assert any(re.search(r"communique: +38%\|.*\| 3/8 \[\d\d:\d\d<\d\d:\d\d, .* articles/s, 3 coded, 0 events\]", f)
               for f in frames), frames
    assert frames[-1] == "" and frames[-2].strip() == ""  # the bar is wiped at the end (the summary follows)


@pytest.mark.parametrize("total", [None, 3])
def test_quiet_shows_nothing(total: int | None) -> None:
    import logging

    logger = logging.getLogger("communique")
    old = logger.level
    logger.setLevel(logging.ERROR)
    try:
        report, out = Report(), io.StringIO()
        assert list(_progress(iter(feed(report, 3)), report, [], every=1, stream=out, total=total)) == [0, 1, 2]  # type: ignore[arg-type]
        assert out.getvalue() == ""
    finally:
        logger.setLevel(old)
