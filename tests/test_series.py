"""Dyad series: counts on clusters, normalised by article volume, intervals, periods, the CLI and the plot."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from communique.cli import main
from communique.errors import InputError
from communique.series import Period, _poisson_interval, dyad_series, parse_dyad
from communique.store import Store

from .test_clusters import article, ev

US, CN = ("the United States", "USA"), ("China", "CHN")
CORPUS = [
    # week of 4 March: one meeting reported twice, one accusation, one article on another dyad
    article("talks-a", ["US and Chinese officials met in Beijing on Monday to discuss fentanyl controls."],
            [ev(0, "met", "CONSULT", US, CN, day="2024-03-04")], published=date(2024, 3, 4)),
    article("talks-b",
            ["Chinese officials hosted a US delegation in Beijing on Monday for talks on fentanyl controls."],
            [ev(0, "hosted", "CONSULT", CN, US, day="2024-03-04")], published=date(2024, 3, 5), source="B"),
    article("accuse", ["China accused the United States of spreading lies about its trade policy."],
            [ev(0, "accused", "ACCUSE", CN, US, day="2024-03-06")], published=date(2024, 3, 6)),
    article("other-dyad", ["Kenya's foreign minister met his Ethiopian counterpart in Addis Ababa."],
            [ev(0, "met", "CONSULT", ("Kenya", "KEN"), ("Ethiopia", "ETH"), day="2024-03-07")],
            published=date(2024, 3, 7)),
    # week of 11 March: news, none of it on the dyad
    article("quiet", ["Kenya's president opened a new port terminal in Mombasa."],
            [ev(0, "opened", "AID", ("Kenya", "KEN"), None, day="2024-03-12")], published=date(2024, 3, 12)),
    # week of 18 March: aid; a denied threat (not asserted: not counted); a copy of the aid story (not counted)
    article("aid", ["The United States sent medical supplies to China after the earthquake in Sichuan province, "
                    "officials in Washington said on Tuesday, adding that two cargo planes had landed in Chengdu."],
            [ev(0, "sent", "AID", US, CN, day="2024-03-19")], published=date(2024, 3, 19)),
    article("aid-copy", ["The United States sent medical supplies to China after the earthquake in Sichuan province, "
                         "officials in Washington said on Tuesday, adding that two cargo planes had landed in Chengdu "
                         "on Monday."],
            [ev(0, "sent", "AID", US, CN, day="2024-03-19")], published=date(2024, 3, 20), source="C"),
    article("denied", ["China denied that it had threatened the United States over the Taiwan Strait."],
            [ev(0, "threatened", "THREATEN", CN, US, day="2024-03-21", factuality="negated")],
            published=date(2024, 3, 21)),
]  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("series") / "s.duckdb"
    with Store(path) as s:
        s.add_many(CORPUS)
        assert s.stats()["duplicates"] == 1
    return path


def series(db: Path, *args: Any, **kw: Any) -> list[Period]:
    with Store(db, read_only=True) as s:
        return dyad_series(s.connection, *args, **kw)


def rate(n: int, articles: int) -> tuple[float, float, float]:
    lo, hi = _poisson_interval(n)
    return (round(1000 * n / articles, 4), round(1000 * lo / articles, 4), round(1000 * hi / articles, 4))


def test_weekly_series(db: Path) -> None:
    rows = series(db, "USA", "CHN", by="week")
    assert [r.period for r in rows] == [date(2024, 3, 4), date(2024, 3, 11), date(2024, 3, 18)]
    w1, w2, w3 = rows
    # week 1: two clusters (the meeting, reported twice, counts once) in four articles
    assert (w1.articles, w1.clusters, w1.verbal_cooperation, w1.verbal_conflict) == (4, 2, 1, 1)
    assert (w1.rate, w1.rate_low, w1.rate_high) == rate(2, 4)
    sd = math.sqrt(((2.5 - 0.25) ** 2 + (-2.0 - 0.25) ** 2) / 1)
    half = 1.959964 * sd / math.sqrt(2)
    assert (w1.mean_score, w1.score_low, w1.score_high) == (0.25, round(0.25 - half, 4), round(0.25 + half, 4))
    # week 2: articles but no event: zeros, and an upper bound
    assert (w2.articles, w2.clusters, w2.rate, w2.rate_low, w2.mean_score) == (1, 0, 0.0, 0.0, None)
    assert w2.rate_high == rate(0, 1)[2] and w2.rate_high == pytest.approx(3689, rel=0.01)
    # week 3: the copy is neither an article of the volume nor a second event; the negated threat is out
    assert (w3.articles, w3.clusters, w3.material_cooperation, w3.mean_score) == (2, 1, 1, 6.0)
    assert (w3.score_low, w3.score_high) == (None, None)  # one event: no interval


def test_directed_and_reversed(db: Path) -> None:
    both = series(db, "CHN", "USA", by="week")
    assert [r.clusters for r in both] == [2, 0, 1]
    directed = series(db, "CHN", "USA", by="week", directed=True)
    assert [(r.period, r.clusters) for r in directed] == [(date(2024, 3, 4), 1)]  # the accusation (the meeting's
    # representative is USA→CHN); the directed dyad's own range is that one week


def test_days_months_and_bounds(db: Path) -> None:
    days = series(db, "USA", "CHN", by="day")
    assert len(days) == 16  # the dyad's own range, 4 to 19 March, every day listed (the 21st: only a negated one)
    assert [(r.period.day, r.clusters) for r in days if r.clusters] == [(4, 1), (6, 1), (19, 1)]
    assert next(r for r in days if r.period == date(2024, 3, 8)).rate is None  # no article that day
    [march] = series(db, "USA", "CHN", by="month")
    assert (march.period, march.articles, march.clusters) == (date(2024, 3, 1), 7, 3)
    bounded = series(db, "USA", "CHN", by="week", since=date(2024, 3, 13), until=date(2024, 3, 31))
    assert [r.period for r in bounded] == [date(2024, 3, 11), date(2024, 3, 18)]
    assert series(db, "USA", "RUS", by="week") == []  # no events: no range of its own


def test_trimmed_to_the_dyads_own_range_unless_bounds_are_given(db: Path) -> None:
    # Kenya–Ethiopia: one meeting on 7 March in a corpus running 4 to 21 March
    assert [(r.period, r.clusters) for r in series(db, "KEN", "ETH", by="day")] == [(date(2024, 3, 7), 1)]
    assert [r.period for r in series(db, "ETH", "KEN", by="week")] == [date(2024, 3, 4)]
    # either bound replaces its end of the range; neither goes beyond the corpus
    later = series(db, "KEN", "ETH", by="week", until=date(2024, 3, 20))
    assert [(r.period, r.clusters) for r in later] == [(date(2024, 3, 4), 1), (date(2024, 3, 11), 0),
                                                       (date(2024, 3, 18), 0)]
    earlier = series(db, "KEN", "ETH", by="day", since=date(2024, 1, 1))
    assert (earlier[0].period, earlier[-1].period) == (date(2024, 3, 4), date(2024, 3, 7))
    # a dyad without events, with bounds: zeros over the bounds asked for
    quiet = series(db, "USA", "RUS", by="week", since=date(2024, 3, 11))
    assert [(r.period, r.clusters) for r in quiet] == [(date(2024, 3, 11), 0), (date(2024, 3, 18), 0)]


def test_empty_store(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.duckdb") as s:
        assert dyad_series(s.connection, "USA", "CHN", by="day") == []
        assert dyad_series(s.connection, "USA", "CHN", by="week", since=date(2024, 1, 1)) == []


def test_bad_input() -> None:
    assert parse_dyad("usa-chn") == ("USA", "CHN")
    with pytest.raises(InputError, match="two codes joined by a dash"):
        parse_dyad("USA")
    with pytest.raises(InputError, match="one of day, week, month"):
        dyad_series(None, "USA", "CHN", by="year")  # type: ignore[arg-type]


def test_cli_csv_json_and_plot(db: Path, tmp_path: Path) -> None:
    png = tmp_path / "plots" / "usa-chn.png"
    r = CliRunner().invoke(main, ["series", "--db", str(db), "--dyad", "USA-CHN", "--by", "week", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("period,articles,clusters,verbal_cooperation,material_cooperation,verbal_conflict,")
    assert lines[1].startswith("2024-03-04,4,2,1,0,1,0,500.0,")
    assert len(lines) == 4
    j = CliRunner().invoke(main, ["series", "--db", str(db), "--dyad", "USA-CHN", "--by", "month", "--format", "json"])
    assert [json.loads(x)["clusters"] for x in j.stdout.splitlines()] == [3]
    # the plot: a real PNG a person can read (two panels, wide enough)
    import matplotlib.image

    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width = matplotlib.image.imread(png).shape[:2]
    assert (width, height) == (1200, 840)
    bad = CliRunner().invoke(main, ["series", "--db", str(db), "--dyad", "USA"])
    assert bad.exit_code == 2 and "dash" in bad.output


def test_plot_breaks_its_line_where_there_is_no_data_and_keeps_the_legend_off_the_bars(db: Path) -> None:
    import matplotlib.pyplot as plt

    from communique.series import _figure

    rows = series(db, "USA", "CHN", by="day")
    fig = _figure(rows, dyad="USA-CHN", by="day")
    try:
        top, bottom = fig.axes
        [line] = [ln for ln in bottom.get_lines() if ln.get_label() == "mean score of the period's events"]
        ys = list(line.get_ydata())
        assert len(ys) == len(rows)  # one point per period …
        assert [y == y for y in ys] == [r.mean_score is not None for r in rows]  # … NaN (a break) where no event
        assert sum(y != y for y in ys) == 13 and ys[0] == 2.5
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        for ax in (top, bottom):
            legend, box = ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)
            assert legend.y0 >= box.y1 - 1  # above its panel: over no bar, no point
        assert top.get_legend().get_window_extent(renderer).y1 <= fig.bbox.y1  # and inside the figure
    finally:
        plt.close(fig)


def test_plot_without_matplotlib_says_how_to_install(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # matplotlib is the optional extra `plot`: without it (an entry of None in sys.modules is how Python marks a
    # module that cannot be imported) --plot stops before any output and says what to install
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    png = tmp_path / "usa-chn.png"
    r = CliRunner().invoke(main, ["series", "--db", str(db), "--dyad", "USA-CHN", "--plot", str(png)])
    assert r.exit_code == 1
    assert "pip install 'communique[plot]'" in r.output
    assert "period,articles" not in r.stdout and not png.exists()
    # without --plot the series needs no matplotlib
    ok = CliRunner().invoke(main, ["series", "--db", str(db), "--dyad", "USA-CHN"])
    assert ok.exit_code == 0 and ok.stdout.startswith("period,articles")
