"""Score coded articles against a gold folder (``shared/eval`` format) and check floors.

The matching rules are those of ``shared/eval/FORMAT.md`` and ``README.md``:

* events: greedy one-to-one on type (or a gold ``alt_types``) + actor and recipient
  country / IGO, either direction for CONSULT, COOPERATE, AGREE and gold events marked
  ``symmetric``; a gold event prefers a prediction in its own sentence. Date,
  factuality and location are scored on matched pairs.
* dates, places, quotes: spans matched one-to-one by largest character overlap.

This is the package's own implementation; a test checks it agrees with the shared
``score.py`` on the dev set.
"""

from __future__ import annotations

import calendar
import json
import math
import re
import statistics
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError
from .records import Article, CodedArticle

SYMMETRIC = {"CONSULT", "COOPERATE", "AGREE"}
GENERIC_IGO = {"IGO", "NGO", "IMG", "ISM", "MNC", "UIS", "NGM"}
SECTIONS = ("events", "dates", "places", "quotes")

Json = dict[str, Any]


@dataclass(frozen=True)
class GoldDoc:
    article: Article
    gold: Json


def load_gold(folder: Path) -> list[GoldDoc]:
    """Every ``NAME.article.json`` with its ``NAME.gold.json`` in ``folder``, sorted by name."""
    out = []
    for g in sorted(folder.glob("*.gold.json")):
        art = g.with_name(g.name[: -len(".gold.json")] + ".article.json")
        try:
            gold = json.loads(g.read_text(encoding="utf-8"))
            a = json.loads(art.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise InputError(str(g), f"cannot read gold pair: {e}") from e
        out.append(GoldDoc(Article.from_dict({**a, "id": str(a.get("id") or gold["id"])}), gold))
    if not out:
        raise InputError(str(folder), "no *.gold.json files here")
    return out


# ---------------------------------------------------------------------------- events

def _one(a: Any) -> Any:
    return (a[0] if a else None) if isinstance(a, list) else a


def _side(e: Json, a: str, b: str) -> Json | None:
    return _one(e.get(a) if e.get(a) is not None else e.get(b))


def _actor_key(a: Json | None) -> tuple[str, str] | None:
    if not a:
        return None
    if a.get("country"):
        return ("C", str(a["country"]).upper())
    if a.get("igo"):
        return ("I", _org(re.sub(r"[^A-Z0-9]", "", str(a["igo"]).upper())))
    return None


def _org(code: str) -> str:
    """One code per organisation: a gold file may code an organ by its own code (UNSC); it is
    scored as its organisation's (UN), the code the coder gives (``part_of`` in igos.csv)."""
    from .actors.registry import load_registry

    return load_registry().org(code)


def _actor_eq(g: Json | None, p: Json | None) -> bool:
    kg, kp = _actor_key(g), _actor_key(p)
    if kg == kp:
        return True
    return bool(kg and kp and kg[0] == kp[0] == "I" and (kg[1] in GENERIC_IGO or kp[1] in GENERIC_IGO))


def _pair_ok(g: Json, p: Json) -> bool:
    if p.get("type") not in {g["type"], *(g.get("alt_types") or [])}:
        return False
    gs, gt = _side(g, "source", "actor"), _side(g, "target", "recipient")
    ps, pt = _side(p, "source", "actor"), _side(p, "target", "recipient")
    if _actor_eq(gs, ps) and _actor_eq(gt, pt):
        return True
    return (g["type"] in SYMMETRIC or bool(g.get("symmetric"))) and _actor_eq(gs, pt) and _actor_eq(gt, ps)


def match_events(gold: list[Json], pred: list[Json]) -> list[tuple[int, int]]:
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        cands = [pi for pi, p in enumerate(pred) if pi not in used and _pair_ok(g, p)]
        if not cands:
            continue
        same = [pi for pi in cands if pred[pi].get("sentence_index") == g.get("sentence_index")]
        pi = (same or cands)[0]
        used.add(pi)
        pairs.append((gi, pi))
    return pairs


def _date_ok(gold: Json | None, pred: Json | None, tolerance: int = 0) -> bool | None:
    if not gold or not gold.get("start"):
        return None
    if not pred or not pred.get("start"):
        return False
    g0, g1 = gold["start"], gold.get("end") or gold["start"]
    if tolerance and len(g0) == 10 and len(g1) == 10:
        g0 = (date.fromisoformat(g0) - timedelta(days=tolerance)).isoformat()
        g1 = (date.fromisoformat(g1) + timedelta(days=tolerance)).isoformat()
    p = str(pred["start"])
    return g0 <= p[: len(g0)] and p[: len(g1)] <= g1


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


def score_events(docs: list[tuple[Json, Json]]) -> Json:
    t: Counter[str] = Counter()
    per_type: dict[str, list[int]] = {}
    for g, p in docs:
        gev, pev = g.get("events") or [], p.get("events") or []
        pairs = match_events(gev, pev)
        t["tp"] += len(pairs)
        t["npred"] += len(pev)
        t["ngold"] += len(gev)
        t["core"] += sum(1 for e in gev if e.get("core"))
        t["core_hit"] += sum(1 for gi, _ in pairs if gev[gi].get("core"))
        for e in gev:
            per_type.setdefault(e["type"], [0, 0, 0])[1] += 1
        for e in pev:
            per_type.setdefault(e.get("type", "?"), [0, 0, 0])[2] += 1
        for gi, pi in pairs:
            ge, pe = gev[gi], pev[pi]
            per_type[ge["type"]][0] += 1
            ok = _date_ok(ge.get("date"), pe.get("date"), ge.get("date_tolerance_days") or 0)
            if ok is not None:
                t["dates"] += 1
                t["dates_ok"] += bool(ok)
            if ge.get("factuality"):
                t["fact"] += 1
                t["fact_ok"] += ge["factuality"] == pe.get("factuality")
            if ge.get("location") and ge["location"].get("country"):
                t["loc"] += 1
                t["loc_ok"] += (pe.get("location") or {}).get("country") == ge["location"]["country"]
        names: dict[str, Json] = {}
        for e in p.get("entities") or []:
            for n in [e.get("name") or ""] + list(e.get("aliases") or []):
                names.setdefault(n.lower(), e)
        for e in g.get("entities") or []:
            if e.get("kind") not in ("PERSON", "ORG") or not e.get("country"):
                continue
            t["ent"] += 1
            hit = names.get(e["name"].lower())
            t["ent_ok"] += bool(hit and hit.get("country") == e["country"])
    p_, r_, f_ = _prf(t["tp"], t["npred"], t["ngold"])
    return {
        "events_gold": t["ngold"], "events_pred": t["npred"], "events_matched": t["tp"],
        "precision": p_, "recall": r_, "f1": f_,
        "core_recall": _ratio(t["core_hit"], t["core"]), "core_matched": t["core_hit"], "core_gold": t["core"],
        "date_accuracy": _ratio(t["dates_ok"], t["dates"]),
        "factuality_accuracy": _ratio(t["fact_ok"], t["fact"]),
        "location_accuracy": _ratio(t["loc_ok"], t["loc"]),
        "actor_country_accuracy": _ratio(t["ent_ok"], t["ent"]),
        "per_type": {k: dict(zip(("matched", "gold", "pred"), v, strict=True)) for k, v in sorted(per_type.items())},
    }


# ---------------------------------------------------------------------------- spans

Pair = tuple[int, int]


def _span(d: Json, ks: str = "char_start", ke: str = "char_end") -> Pair | None:
    s, e = d.get(ks), d.get(ke)
    if isinstance(s, int) and isinstance(e, int) and e > s:
        return s, e
    return None


def _locate(items: Iterable[Json], text: str, ks: str, ke: str, kt: str) -> list[Json]:
    out, pos = [], 0
    for d in items:
        needle = d.get(kt)
        if _span(d, ks, ke) is None and isinstance(needle, str) and needle and text:
            i = text.find(needle, pos)
            if i < 0:
                i = text.find(needle)
            if i >= 0:
                d = dict(d, **{ks: i, ke: i + len(needle)})
                pos = i + len(needle)
        out.append(d)
    return out


def _overlap(a: Pair | None, b: Pair | None) -> int:
    return min(a[1], b[1]) - max(a[0], b[0]) if a and b else 0


def match_spans(gs: list[Pair | None], ps: list[Pair | None]) -> dict[int, int]:
    cands = sorted(((_overlap(g, p), gi, pi) for gi, g in enumerate(gs) for pi, p in enumerate(ps)
                    if _overlap(g, p) > 0), key=lambda c: (-c[0], c[1], c[2]))
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in cands:
        if gi not in pairs and pi not in used:
            pairs[gi] = pi
            used.add(pi)
    return pairs


def _day_range(v: Any) -> tuple[date, date] | None:
    if v is None:
        return None
    v = str(v).strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?", v):
            d = date(*map(int, m.groups()))
            return d, d
        if m := re.fullmatch(r"(\d{4})-(\d{2})", v):
            y, mo = map(int, m.groups())
            return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
        if re.fullmatch(r"\d{4}", v):
            y = int(v)
            return date(y, 1, 1), date(y, 12, 31)
        if m := re.fullmatch(r"(\d{4})-W(\d{1,2})", v):
            mon = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return mon, mon + timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-([QH])([1-4])", v):
            y, n = int(m.group(1)), int(m.group(3))
            k = 3 if m.group(2) == "Q" else 6
            last = k * n
            return date(y, last - k + 1, 1), date(y, last, calendar.monthrange(y, last)[1])
    except ValueError:
        return None
    return None


def _interval(d: Json) -> tuple[date, date] | None:
    a = _day_range(d.get("start"))
    if not a:
        return None
    if d.get("end"):
        b = _day_range(d["end"])
        return (a[0], b[1]) if b else None
    return a


def _norm_date(d: Json) -> Json:
    if "start" not in d and d.get("value"):
        a, _, b = str(d["value"]).partition("/")
        if _day_range(a):
            d = dict(d, start=a, end=b or None)
    return d


def score_dates(docs: list[tuple[Json, Json, str]]) -> Json:
    t: Counter[str] = Counter()
    for g, pr, text in docs:
        gold = [d for d in _locate([_norm_date(d) for d in g.get("dates") or []], text, "char_start", "char_end",
                                   "text") if _span(d)]
        pred = _locate([_norm_date(d) for d in pr.get("dates") or []], text, "char_start", "char_end", "text")
        gs, ps = [_span(d) for d in gold], [_span(d) for d in pred]
        pairs = match_spans(gs, ps)
        t["gold"] += len(gs)
        t["pred"] += len(ps)
        t["matched"] += len(pairs)
        t["exact"] += sum((Counter(gs) & Counter(s for s in ps if s)).values())
        for gi, d in enumerate(gold):
            calendar_type = d.get("type") in (None, "DATE", "TIME")
            if calendar_type:
                t["gold_dt"] += 1
                t["matched_dt"] += gi in pairs
            gint = _interval(d)
            if calendar_type and gint:
                t["value_n"] += 1
                t["value_ok"] += any(_overlap(gs[gi], ps[pi]) > 0 and _interval(pred[pi]) == gint
                                     for pi in range(len(ps)))
            if gi in pairs:
                pd = pred[pairs[gi]]
                same = d.get("value") is not None and str(pd.get("value", "")).strip() == str(d["value"]).strip()
                t["value_tp"] += bool(same or (gint and _interval(pd) == gint))
    p, r, f1 = _prf(t["matched"], t["pred"], t["gold"])
    vp, vr, vf = _prf(t["value_tp"], t["pred"], t["gold"])
    return {"gold": t["gold"], "pred": t["pred"], "matched": t["matched"], "precision": p, "recall": r, "f1": f1,
            "strict_f1": _prf(t["exact"], t["pred"], t["gold"])[2],
            "recall_date_time": _ratio(t["matched_dt"], t["gold_dt"]),
            "value_accuracy": _ratio(t["value_ok"], t["value_n"]), "value_n": t["value_n"],
            "value_precision": vp, "value_recall": vr, "value_f1": vf}


def _coords(d: Json) -> tuple[float, float] | None:
    try:
        lat, lon = float(d.get("lat")), float(d.get("lon"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return (lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def score_places(docs: list[tuple[Json, Json, str]]) -> Json:
    t: Counter[str] = Counter()
    errors: list[float] = []
    for g, p, text in docs:
        gold_all = [d for d in _locate(list(g.get("places") or []), text, "char_start", "char_end", "text")
                    if _span(d)]
        gold = [d for d in gold_all if not d.get("optional")]
        optional = [_span(d) for d in gold_all if d.get("optional")]
        pred = _locate(list(p.get("places") or []), text, "char_start", "char_end", "text")
        gs, ps = [_span(d) for d in gold], [_span(d) for d in pred]
        pairs = match_spans(gs, ps)
        matched = set(pairs.values())
        t["ignored"] += sum(1 for pi, s in enumerate(ps) if pi not in matched and
                            any(_overlap(s, o) > 0 for o in optional))
        t["gold"] += len(gs)
        t["pred"] += len(ps)
        t["matched"] += len(pairs)
        for gi, d in enumerate(gold):
            gc = _coords(d)
            if not gc:
                continue
            t["geo_gold"] += 1
            dists = [_km(gc, pc) for pi, s in enumerate(ps) if _overlap(gs[gi], s) > 0
                     and (pc := _coords(pred[pi]))]
            if dists:
                errors.append(min(dists))
                t["acc_ok"] += min(dists) <= 161.0
    p_, r_, f_ = _prf(t["matched"], t["pred"] - t["ignored"], t["gold"])
    return {"gold": t["gold"], "pred": t["pred"], "matched": t["matched"], "precision": p_, "recall": r_, "f1": f_,
            "acc_161km": _ratio(t["acc_ok"], t["geo_gold"]), "resolved": len(errors),
            "median_error_km": round(statistics.median(errors), 1) if errors else None}


def _words(s: str | None) -> list[str]:
    return re.findall(r"\w+", (s or "").lower())


def _contains(hay: str, needle: str) -> bool:
    h, n = _words(hay), _words(needle)
    return bool(n) and any(h[i:i + len(n)] == n for i in range(len(h) - len(n) + 1))


def score_quotes(docs: list[tuple[Json, Json, str]]) -> Json:
    t: Counter[str] = Counter()
    for g, p, text in docs:
        gold = []
        for q in g.get("quotes") or []:
            q = dict(q)
            if _span(q, "content_char_start", "content_char_end") is None and q.get("starts_with"):
                i = text.find(q["starts_with"])
                if i >= 0:
                    q["content_char_start"], q["content_char_end"] = i, i + len(q["starts_with"])
            if not q.get("source_text") and q.get("speaker"):
                q["source_text"] = q["speaker"]
            if _span(q, "content_char_start", "content_char_end"):
                gold.append(q)
        pred = _locate(list(p.get("quotes") or []), text, "content_char_start", "content_char_end", "content")
        gs = [_span(q, "content_char_start", "content_char_end") for q in gold]
        ps = [_span(q, "content_char_start", "content_char_end") for q in pred]
        pairs = match_spans(gs, ps)
        t["gold"] += len(gs)
        t["pred"] += len(ps)
        t["matched"] += len(pairs)
        for gi, q in enumerate(gold):
            if q.get("direct"):
                t["direct"] += 1
                t["direct_hit"] += gi in pairs
            if gi in pairs and (q.get("source_text") or _span(q, "source_char_start", "source_char_end")):
                t["spk"] += 1
                pq = pred[pairs[gi]]
                gsp = _span(q, "source_char_start", "source_char_end")
                psp = _span(pq, "speaker_char_start", "speaker_char_end")
                name = pq.get("speaker") if isinstance(pq.get("speaker"), str) else None
                gname = q.get("source_text") or ""
                t["spk_ok"] += bool((gsp and psp and _overlap(gsp, psp) > 0) or
                                    (name and (_contains(gname, name) or _contains(name, gname))))
    p_, r_, f_ = _prf(t["matched"], t["pred"], t["gold"])
    return {"gold": t["gold"], "pred": t["pred"], "matched": t["matched"], "precision": p_, "recall": r_, "f1": f_,
            "recall_direct": _ratio(t["direct_hit"], t["direct"]),
            "speaker_accuracy": _ratio(t["spk_ok"], t["spk"])}


# ---------------------------------------------------------------------------- driver

def score(gold: list[GoldDoc], predictions: Mapping[str, Json]) -> Json:
    """Score prediction dicts (``CodedArticle.to_dict()`` shape, by article id) against gold."""
    res: Json = {"articles": len(gold), "missing": sum(1 for g in gold if g.article.id not in predictions)}
    for section in SECTIONS:
        docs = [(g.gold, dict(predictions.get(g.article.id) or {}), g.article.text) for g in gold
                if section in g.gold]
        if not docs:
            continue
        if section == "events":
            res["events"] = score_events([(a, b) for a, b, _ in docs])
        else:
            res[section] = {"dates": score_dates, "places": score_places, "quotes": score_quotes}[section](docs)
    return res


def evaluate(folder: Path, coded: Iterable[CodedArticle]) -> Json:
    gold = load_gold(folder)
    return score(gold, {c.id: c.to_dict() for c in coded})


def flatten(res: Json) -> dict[str, float]:
    """``{"events.f1": 0.8, "dates.value_accuracy": 0.9, ...}`` for floors and tables."""
    out: dict[str, float] = {}
    for section, body in res.items():
        if isinstance(body, dict):
            for k, v in body.items():
                if isinstance(v, int | float) and not isinstance(v, bool):
                    out[f"{section}.{k}"] = v
    return out


def load_floors(path: Path) -> dict[str, dict[str, float]]:
    """Floors per gold set: ``[dev] "events.core_recall" = 0.5``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"floors file {path}: {e}") from e
    return {k: {m: float(v) for m, v in body.items()} for k, body in data.items() if isinstance(body, dict)}


def below_floors(res: Json, floors: Mapping[str, float]) -> list[str]:
    """The floors a result falls under, as readable lines (empty when all hold)."""
    flat = flatten(res)
    bad = []
    for metric, floor in floors.items():
        got = flat.get(metric)
        if got is None or got < floor:
            bad.append(f"{metric} = {got} < floor {floor}")
    return bad
