"""Our own small SVG drawings for the pages: the dyad chart, the event map and the actor network.

No chart library and no script is needed to see them: the server writes the SVG, the page's
script (``static/app.js``) only adds tooltips from each shape's ``data-tip``. Every text that
comes from the store goes through ``html.escape``; numbers are formatted by us.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from html import escape
from typing import Any

from communique.series import Period

__all__ = ["QUAD_COLOURS", "map_svg", "network_svg", "series_svg"]

QUAD_COLOURS = {1: "#4c9be8", 2: "#1f5fa8", 3: "#f0a04b", 4: "#c0392b"}
_QUAD_FIELDS = (
    (1, "verbal_cooperation", "verbal cooperation"),
    (2, "material_cooperation", "material cooperation"),
    (3, "verbal_conflict", "verbal conflict"),
    (4, "material_conflict", "material conflict"),
)


def _a(value: Any) -> str:
    """An attribute value, escaped."""
    return escape(str(value), quote=True)


def _n(x: float) -> str:
    return f"{x:.1f}"


def series_svg(rows: Sequence[Period], *, by: str, link: Callable[[date], str], selected: date | None = None,
               width: int = 920) -> str:
    """Above: events per 1,000 articles stacked by quad class, the total's 95% interval as a whisker; below:
    the mean score with its 95% band, the line broken where a period has no event. Each period is a link
    (``link(period)``) that lists its clusters under the chart."""
    left, right, top_h, gap, bottom_h, pad_top = 56, 16, 220, 36, 140, 16
    height = pad_top + top_h + gap + bottom_h + 34
    plot_w = width - left - right
    n = max(len(rows), 1)
    step = plot_w / n
    bar_w = max(step * 0.72, 1.0)
    highs = [r.rate_high or 0.0 for r in rows] + [r.rate or 0.0 for r in rows]
    ymax = _nice(max(highs, default=0.0) or 1.0)

    def y_rate(v: float) -> float:
        return pad_top + top_h - top_h * v / ymax

    score_top = pad_top + top_h + gap

    def y_score(v: float) -> float:
        return score_top + bottom_h * (10 - v) / 20

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="series-chart" viewBox="0 0 {width} {height}"'
           f' width="{width}" height="{height}" role="img" aria-label="dyad series">']
    # axes and grid
    for i in range(5):
        v = ymax * i / 4
        y = y_rate(v)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{_n(y)}" y2="{_n(y)}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{left - 6}" y="{_n(y + 4)}" text-anchor="end" class="tick">{v:g}</text>')
    out.append(f'<text x="12" y="{pad_top + top_h / 2}" class="axis" transform="rotate(-90 12 {pad_top + top_h / 2})"'
               ' text-anchor="middle">per 1,000 articles</text>')
    for v in (-10, -5, 0, 5, 10):
        y = y_score(v)
        colour = "#999" if v == 0 else "#e3e3e3"
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{_n(y)}" y2="{_n(y)}" stroke="{colour}"/>')
        out.append(f'<text x="{left - 6}" y="{_n(y + 4)}" text-anchor="end" class="tick">{v:+d}</text>')
    out.append(f'<text x="12" y="{score_top + bottom_h / 2}" class="axis" text-anchor="middle"'
               f' transform="rotate(-90 12 {score_top + bottom_h / 2})">mean score</text>')
    # the score band and line, broken where there is no score
    runs: list[list[tuple[float, Period]]] = [[]]
    for i, r in enumerate(rows):
        x = left + step * (i + 0.5)
        if r.mean_score is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x, r))
    for run_ in runs:
        banded = [(x, r) for x, r in run_ if r.score_low is not None and r.score_high is not None]
        if len(banded) >= 2:
            upper = " ".join(f"{_n(x)},{_n(y_score(r.score_high))}" for x, r in banded)  # type: ignore[arg-type]
            lower = " ".join(f"{_n(x)},{_n(y_score(r.score_low))}" for x, r in reversed(banded))  # type: ignore[arg-type]
            out.append(f'<polygon class="band" points="{upper} {lower}" fill="#8e44ad" fill-opacity="0.18"/>')
        for x, r in banded if len(banded) < 2 else ():
            out.append(f'<line class="band" x1="{_n(x)}" x2="{_n(x)}" y1="{_n(y_score(r.score_high))}"'  # type: ignore[arg-type]
                       f' y2="{_n(y_score(r.score_low))}" stroke="#8e44ad" stroke-opacity="0.4" stroke-width="6"/>')  # type: ignore[arg-type]
        if len(run_) >= 2:
            pts = " ".join(f"{_n(x)},{_n(y_score(r.mean_score))}" for x, r in run_)  # type: ignore[arg-type]
            out.append(f'<polyline class="score-line" points="{pts}" fill="none" stroke="#8e44ad" stroke-width="1.8"/>')
        for x, r in run_:
            out.append(f'<circle cx="{_n(x)}" cy="{_n(y_score(r.mean_score))}" r="3" fill="#8e44ad"/>')  # type: ignore[arg-type]
    # bars, one link per period
    label_every = max(1, math.ceil(n / 12))
    for i, r in enumerate(rows):
        x0 = left + step * i + (step - bar_w) / 2
        tip = [f"{by} of {r.period.isoformat()}: {r.clusters} event(s) in {r.articles:,} article(s)"]
        if r.rate is not None:
            tip.append(f"rate {r.rate:g} per 1,000 (95%: {r.rate_low:g}–{r.rate_high:g})")
        for _, name, label in _QUAD_FIELDS:
            if getattr(r, name):
                tip.append(f"{label}: {getattr(r, name)}")
        if r.mean_score is not None:
            band = f" (95%: {r.score_low:g} to {r.score_high:g})" if r.score_low is not None else ""
            tip.append(f"mean score {r.mean_score:+g}{band}")
        cls = "period selected" if selected == r.period else "period"
        out.append(f'<a href="{_a(link(r.period))}" class="{cls}" data-period="{r.period.isoformat()}"'
                   f' data-tip="{_a(" · ".join(tip))}">')
        out.append(f'<rect x="{_n(left + step * i)}" y="{pad_top}" width="{_n(step)}" height="{top_h}"'
                   ' class="hit" fill="#000" fill-opacity="0"/>')
        base = 0.0
        for q, name, _ in _QUAD_FIELDS:
            count = getattr(r, name)
            if not count or not r.articles:
                continue
            h = 1000 * count / r.articles
            out.append(f'<rect class="bar q{q}" x="{_n(x0)}" width="{_n(bar_w)}" y="{_n(y_rate(base + h))}"'
                       f' height="{_n(y_rate(base) - y_rate(base + h))}" fill="{QUAD_COLOURS[q]}"/>')
            base += h
        if r.rate is not None and r.rate_low is not None and r.rate_high is not None and r.clusters:
            cx = x0 + bar_w / 2
            out.append(f'<line class="whisker" x1="{_n(cx)}" x2="{_n(cx)}" y1="{_n(y_rate(r.rate_low))}"'
                       f' y2="{_n(y_rate(r.rate_high))}" stroke="#333" stroke-width="1"/>')
        out.append("</a>")
        if i % label_every == 0:
            out.append(f'<text x="{_n(left + step * (i + 0.5))}" y="{height - 10}" text-anchor="middle"'
                       f' class="tick">{r.period.isoformat()}</text>')
    out.append("</svg>")
    return "".join(out)


def _nice(x: float) -> float:
    """A round axis maximum at or above ``x``."""
    exp = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if m * exp >= x:
            return m * exp
    return 10 * exp


# --- map ----------------------------------------------------------------------------------------------------


def _project(lat: float, lon: float, scale: float) -> tuple[float, float]:
    """Equirectangular: longitude and latitude as x and y."""
    return (lon + 180) * scale, (90 - lat) * scale


def map_svg(points: Sequence[dict[str, Any]], outline: str, *, scale: float = 2.5,
            link: Callable[[dict[str, Any]], str]) -> str:
    """The world (``outline``: an SVG path in the map's 360 × 180 degree frame) and one circle per place,
    its area proportional to its events, coloured by the quad class most of them have."""
    width, height = 360 * scale, 180 * scale
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="map" id="event-map" viewBox="0 0 {_n(width)}'
           f' {_n(height)}" width="{_n(width)}" height="{_n(height)}" role="img" aria-label="map of located events">',
           f'<rect width="{_n(width)}" height="{_n(height)}" fill="#eef4f8"/>',
           f'<g transform="scale({scale})"><path class="land" d="{_a(outline)}" fill="#cfd8cf"/></g>']
    biggest = max((p["events"] for p in points), default=1)
    for p in sorted(points, key=lambda p: -p["events"]):
        x, y = _project(p["lat"], p["lon"], scale)
        r = 2.5 + 14 * math.sqrt(p["events"] / biggest)
        quads = [p["q1"], p["q2"], p["q3"], p["q4"]]
        top = max(range(4), key=lambda i: quads[i]) + 1 if any(quads) else 0
        colour = QUAD_COLOURS.get(top, "#666")
        tip = f"{p['name']} ({p['country'] or '?'}): {p['events']} event(s)"
        tip += "".join(f" · {label} {quads[q - 1]}" for q, _, label in _QUAD_FIELDS if quads[q - 1])
        out.append(f'<a href="{_a(link(p))}" class="place" data-tip="{_a(tip)}"><circle cx="{_n(x)}" cy="{_n(y)}"'
                   f' r="{_n(r)}" fill="{colour}" fill-opacity="0.7" stroke="#fff" stroke-width="0.8"/></a>')
    out.append("</svg>")
    return "".join(out)


# --- network ------------------------------------------------------------------------------------------------


def network_svg(net: dict[str, Any], *, names: dict[str, str], link: Callable[[str, str | None], str],
                size: int = 720) -> str:
    """Nodes on a circle (busiest first, clockwise from the top), an edge per actor → recipient pair, its width
    by event count and its colour by the quad class most of its events have; a tooltip gives the counts."""
    nodes = net["nodes"]
    cx = cy = size / 2
    radius = size / 2 - 80
    pos: dict[str, tuple[float, float]] = {}
    for i, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(nodes), 1)
        pos[node["code"]] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="network" id="actor-network" viewBox="0 0 {size} {size}"'
           f' width="{size}" height="{size}" role="img" aria-label="actor network">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="5" markerHeight="5"'
           ' orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#777"/></marker></defs>']
    biggest = max((e["events"] for e in net["edges"]), default=1)
    for e in sorted(net["edges"], key=lambda e: e["events"]):
        (x1, y1), (x2, y2) = pos[e["actor"]], pos[e["recipient"]]
        quads = [e["q1"], e["q2"], e["q3"], e["q4"]]
        top = max(range(4), key=lambda i: quads[i]) + 1 if any(quads) else 0
        # bend each direction to its own side, so A→B and B→A do not overlap
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        bx, by = mx - dy / length * 18, my + dx / length * 18
        w = 1 + 6 * math.sqrt(e["events"] / biggest)
        tip = f"{e['actor']} → {e['recipient']}: {e['events']} event(s)"
        tip += "".join(f" · {label} {quads[q - 1]}" for q, _, label in _QUAD_FIELDS if quads[q - 1])
        out.append(f'<a href="{_a(link(e["actor"], e["recipient"]))}" class="edge" data-tip="{_a(tip)}">'
                   f'<path d="M{_n(x1)},{_n(y1)} Q{_n(bx)},{_n(by)} {_n(x2)},{_n(y2)}" fill="none"'
                   f' stroke="{QUAD_COLOURS.get(top, "#888")}" stroke-opacity="0.75" stroke-width="{_n(w)}"'
                   ' marker-end="url(#arrow)"/></a>')
    most = max((n["events"] for n in nodes), default=1)
    for node in nodes:
        x, y = pos[node["code"]]
        r = 6 + 14 * math.sqrt(node["events"] / most)
        name = names.get(node["code"], node["code"])
        tip = f"{name} ({node['code']}): {node['events']} event(s) with the others shown"
        lx, ly = cx + (radius + r + 22) * (x - cx) / radius, cy + (radius + r + 22) * (y - cy) / radius
        out.append(f'<a href="{_a(link(node["code"], None))}" class="node" data-tip="{_a(tip)}">'
                   f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="#34495e"/>'
                   f'<text x="{_n(lx)}" y="{_n(ly + 4)}" text-anchor="middle" class="label">{_a(node["code"])}</text>'
                   "</a>")
    out.append("</svg>")
    return "".join(out)
