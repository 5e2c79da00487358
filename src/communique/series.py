"""Dyad trends: how two countries (or IGOs) relate over time, from event clusters.

For a dyad A–B and a period length (day, week, month), each period gives:

- ``articles``: the volume of the corpus, the articles published in the period
  (near-duplicate copies not counted). It is the denominator: a period with twice the
  news is not twice the relationship.
- ``clusters``: the real-world events between A and B dated in the period (clusters, not
  mentions: an event reported by forty articles counts once), asserted ones only (a
  cluster is asserted when any of its original mentions is), in both directions unless
  ``directed``; and the same split by PLOVER quad class (``verbal_cooperation``,
  ``material_cooperation``, ``verbal_conflict``, ``material_conflict``).
- ``rate``: clusters per 1,000 articles, with ``rate_low``/``rate_high``, a 95% interval
  for a Poisson count (Byar's approximation, good to a few percent even for small
  counts; for 0 events the upper bound is 3.7), divided by the volume.
- ``mean_score``: the mean PLOVER conflict–cooperation score (−10 … +10) of those
  clusters, with ``score_low``/``score_high``, a normal 95% interval for the mean
  (mean ± 1.96 · sample sd / √n; none for fewer than two clusters).

Periods run over the dyad's own date range, from the period of its first counted event to
that of its last, every period listed, so that quiet periods show as zeros; ``since`` and
``until`` replace either end. Periods are never outside the corpus's (the first and last with
published articles); a dyad without events gives no periods unless ``since`` or ``until`` is
given. A cluster's date
is its representative event's first day (else the first publication date that mentions
it); weeks start on Monday. One SQL query does the aggregation.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ._output import check_file, replacing
from .errors import ConfigError, InputError, OutputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PERIODS", "Period", "dyad_series", "parse_dyad", "plot_series"]

PERIODS = ("day", "week", "month")
Z95 = 1.959964

_SQL = """
WITH vol AS (
    SELECT date_trunc($by, published)::DATE AS period, count(*) AS articles
    FROM articles
    WHERE duplicate_of IS NULL AND published IS NOT NULL
    GROUP BY ALL
),
dyad AS (
    SELECT date_trunc($by, coalesce(date_start, first_seen))::DATE AS period, quad_class, score
    FROM clusters
    WHERE factuality = 'asserted'
      AND ((source_key = $a AND target_key = $b) OR (NOT $directed AND source_key = $b AND target_key = $a))
),
bounds AS (  -- greatest/least skip nulls: an empty corpus must give no bounds, not year 1 to 9999
    SELECT greatest(v.lo, date_trunc($by, coalesce($since, d.lo))::DATE) AS lo,
           least(v.hi, date_trunc($by, coalesce($until, d.hi))::DATE) AS hi
    FROM (SELECT min(period) AS lo, max(period) AS hi FROM vol) v,
         (SELECT min(period) AS lo, max(period) AS hi FROM dyad) d
    WHERE v.lo IS NOT NULL AND (d.lo IS NOT NULL OR $since IS NOT NULL OR $until IS NOT NULL)
),
calendar AS (
    SELECT unnest(generate_series(lo::TIMESTAMP, hi::TIMESTAMP, ('1 ' || $by)::INTERVAL))::DATE AS period
    FROM bounds WHERE lo <= hi
),
agg AS (
    SELECT period, count(*) AS n,
           count(*) FILTER (WHERE quad_class = 1) AS q1, count(*) FILTER (WHERE quad_class = 2) AS q2,
           count(*) FILTER (WHERE quad_class = 3) AS q3, count(*) FILTER (WHERE quad_class = 4) AS q4,
           avg(score) AS mean_score, stddev_samp(score) AS sd, count(score) AS n_scored
    FROM dyad GROUP BY period
)
SELECT c.period, coalesce(v.articles, 0) AS articles, coalesce(g.n, 0) AS n,
       coalesce(g.q1, 0), coalesce(g.q2, 0), coalesce(g.q3, 0), coalesce(g.q4, 0),
       g.mean_score, g.sd, coalesce(g.n_scored, 0)
FROM calendar c LEFT JOIN vol v USING (period) LEFT JOIN agg g USING (period)
ORDER BY c.period
"""


@dataclass(frozen=True, slots=True)
class Period:
    """One period of a dyad's series (see the module docstring for each field)."""

    period: date
    articles: int
    clusters: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    rate: float | None
    rate_low: float | None
    rate_high: float | None
    mean_score: float | None
    score_low: float | None
    score_high: float | None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["period"] = self.period.isoformat()
        return d


FIELDS: tuple[str, ...] = tuple(Period.__dataclass_fields__)


def _poisson_interval(n: int) -> tuple[float, float]:
    """95% interval for the mean of a Poisson count ``n`` (Byar's approximation)."""
    low = 0.0 if n == 0 else n * (1 - 1 / (9 * n) - Z95 / (3 * n**0.5)) ** 3
    m = n + 1
    high = m * (1 - 1 / (9 * m) + Z95 / (3 * m**0.5)) ** 3
    return low, high


def _round(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(float(x), digits)


def parse_dyad(text: str) -> tuple[str, str]:
    """``"USA-CHN"`` → ``("USA", "CHN")``; codes are ISO-3 countries or IGO codes."""
    parts = [p.strip().upper() for p in text.replace("–", "-").split("-")]
    if len(parts) != 2 or not all(parts):
        raise InputError(text, "a dyad is two codes joined by a dash, e.g. USA-CHN")
    return parts[0], parts[1]


def dyad_series(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    *,
    by: str = "week",
    directed: bool = False,
    since: date | None = None,
    until: date | None = None,
) -> list[Period]:
    """The series of the dyad ``a``–``b`` per ``by`` period (day, week or month)."""
    if by not in PERIODS:
        raise InputError(by, f"the period must be one of {', '.join(PERIODS)}")
    params = {"by": by, "a": a.upper(), "b": b.upper(), "directed": directed, "since": since, "until": until}
    out = []
    for period, articles, n, q1, q2, q3, q4, mean, sd, n_scored in con.execute(_SQL, params).fetchall():
        rate = low = high = None
        if articles:
            lo, hi = _poisson_interval(n)
            rate, low, high = 1000 * n / articles, 1000 * lo / articles, 1000 * hi / articles
        s_low = s_high = None
        if n_scored >= 2 and sd is not None:
            half = Z95 * sd / n_scored**0.5
            s_low, s_high = mean - half, mean + half
        out.append(Period(period, int(articles), int(n), int(q1), int(q2), int(q3), int(q4),
                          _round(rate), _round(low), _round(high), _round(mean), _round(s_low), _round(s_high)))
    return out


_QUAD = (
    ("verbal_cooperation", "verbal cooperation", "#4c9be8"),
    ("material_cooperation", "material cooperation", "#1f5fa8"),
    ("verbal_conflict", "verbal conflict", "#f0a04b"),
    ("material_conflict", "material conflict", "#c0392b"),
)


PLOT_INSTALL = "pip install 'communique[plot]'"


def require_plotting() -> None:
    """Raise :class:`ConfigError` saying how to install matplotlib when it is missing: it is the optional extra
    ``plot`` (about 100 MB with what it needs), so that the runtime install stays lean."""
    if importlib.util.find_spec("matplotlib") is None:
        raise ConfigError(f"drawing a plot needs matplotlib, which is not installed: {PLOT_INSTALL} "
                          "(or pip install matplotlib)")


def plot_series(rows: Sequence[Period], path: str | Path, *, dyad: str, by: str, directed: bool = False) -> Path:
    """Draw the series (PNG, or any format matplotlib knows from the suffix): above, events per
    1,000 articles stacked by quad class, with the total's 95% interval as whiskers; below, the
    mean conflict–cooperation score with its 95% band, broken where a period has no event. Needs
    the ``plot`` extra (:func:`require_plotting`).

    The file is written beside ``path`` and moved into place; a folder, a special file or an
    unwritable folder is an OutputError."""
    require_plotting()
    import matplotlib.pyplot as plt

    path = check_file(path)
    fmt = path.suffix.lstrip(".").lower() or "png"
    fig = _figure(rows, dyad=dyad, by=by, directed=directed)
    try:
        with replacing(path, binary=True) as f:
            fig.savefig(f, format=fmt, dpi=120)
    except ValueError as e:  # a suffix matplotlib does not know
        raise OutputError(str(path), f"cannot be drawn: {e}") from e
    finally:
        plt.close(fig)
    return path


def _figure(rows: Sequence[Period], *, dyad: str, by: str, directed: bool = False) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    width = {"day": 0.8, "week": 6.0, "month": 26.0}.get(by, 0.8)
    x = [r.period for r in rows]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, height_ratios=(3, 2))
    a, _, b = dyad.partition("-")
    fig.suptitle(f"{a} {'→' if directed else '–'} {b}: events per {by}, from event clusters", fontsize=13)

    base = [0.0] * len(rows)
    for name, label, colour in _QUAD:
        heights = [1000 * getattr(r, name) / r.articles if r.articles else 0.0 for r in rows]
        top.bar(x, heights, width=width, bottom=base, align="edge", color=colour, label=label, linewidth=0)
        base = [h + y for h, y in zip(base, heights, strict=True)]
    with_rate = [r for r in rows if r.rate is not None and r.rate_low is not None and r.rate_high is not None]
    if with_rate:
        centre = [mdates.date2num(r.period) + width / 2 for r in with_rate]
        top.errorbar(centre, [r.rate for r in with_rate],
                     yerr=[[r.rate - r.rate_low for r in with_rate],  # type: ignore[operator]
                           [r.rate_high - r.rate for r in with_rate]],  # type: ignore[operator]
                     fmt="none", ecolor="0.25", elinewidth=0.9, capsize=2, label="all events: 95% interval (Poisson)")
    top.set_ylabel("events per 1,000 articles")
    top.set_ylim(bottom=0)
    top.grid(True, axis="y", alpha=0.3)
    # above the panel, never over the bars
    top.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=8, ncol=3, frameon=False, borderaxespad=0.2)

    # One point per period, NaN where the period has no event: the line breaks there instead of
    # drawing a trend through periods that have no data.
    nan = float("nan")
    mid = [mdates.date2num(r.period) + width / 2 for r in rows]
    bottom.axhline(0, color="0.5", linewidth=0.8)
    low = [nan if r.score_low is None else r.score_low for r in rows]
    high = [nan if r.score_high is None else r.score_high for r in rows]
    if any(v == v for v in low):
        bottom.fill_between(mid, low, high, color="#8e44ad", alpha=0.2, linewidth=0,
                            label="95% interval of the mean (normal)")
    bottom.plot(mid, [nan if r.mean_score is None else r.mean_score for r in rows], color="#8e44ad",
                linewidth=1.6, marker="o", markersize=3.5, label="mean score of the period's events")
    bottom.set_ylim(-10, 10)
    bottom.set_ylabel("conflict (−10) … cooperation (+10)")
    bottom.set_xlabel(f"{by} of the event" + (" (weeks start on Monday)" if by == "week" else ""))
    bottom.grid(True, alpha=0.3)
    bottom.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=8, ncol=2, frameon=False, borderaxespad=0.2)
    locator = mdates.AutoDateLocator()
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    n_articles = sum(r.articles for r in rows)
    n_events = sum(r.clusters for r in rows)
    fig.text(0.01, 0.005, f"{n_events} asserted events (clusters, not mentions) in {n_articles:,} articles; "
             "near-duplicate copies not counted. communique", fontsize=8, color="0.35")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig
