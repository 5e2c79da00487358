"""Clustering at scale: bounded candidate look-up gives the clusters of the all-members rules.

A seeded generator writes a realistic small corpus (a few dyads, overlapping dates, phone calls and
visits, places, negations, near-duplicate copies); the store's clusters are compared with a plain
reference clusterer written here from the documented rules (every mention against every member)."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from communique.clusters import JOIN_SCORE, Mention, _new_mentions, cluster_id, match_score
from communique.records import CodedArticle
from communique.store import Store
from tests.test_clusters import CITIES, article, ev

SIDES = [("Kenya's foreign minister", "KEN"), ("Ethiopia's prime minister", "ETH"), ("the African Union", "AU"),
         ("Somali officials", "SOM"), ("an unnamed delegation", None)]  # fmt: skip
TRIGGERS = {"CONSULT": ["met", "held talks with", "phoned"], "AGREE": ["agreed"], "ACCUSE": ["accused"],
            "AID": ["sent aid to"], "ASSAULT": ["attacked"]}  # fmt: skip
TOPICS = ("border security", "refugees", "the drought", "grain exports", "a new railway", "the dam", "fishing rights",
          "power lines", "election monitors", "cattle raids", "a highway", "visa rules")  # fmt: skip


def random_corpus(seed: int, n: int) -> list[CodedArticle]:
    rng = random.Random(seed)
    out: list[CodedArticle] = []
    start = date(2024, 2, 1)
    for i in range(n):
        if out and rng.random() < 0.08:  # a near-duplicate copy of an earlier story, lede edited
            base = rng.choice(out)
            text = base.article.text
            sentences = ["Update: " + text[: text.index(". ") + 1] if ". " in text else "Update: " + text]
            sentences += [s.text for s in base.sentences[1:]]
            events = [ev(0, "Update", base.events[0].type, ("Update", base.events[0].actor.country
                                                          if base.events[0].actor else None))] if base.events else []
            out.append(article(f"copy-{i}", sentences, events, published=base.article.published, source="Copier"))
            continue
        events, sentences = [], []
        for s in range(rng.choice((1, 1, 2, 3))):
            type_ = rng.choice(list(TRIGGERS))
            trigger = rng.choice(TRIGGERS[type_])
            a, b = rng.sample(SIDES, 2)
            mode = rng.choice((None, "visit", "meet")) if type_ == "CONSULT" else None
            mode = "phone" if trigger == "phoned" else mode
            day = start + timedelta(days=rng.randrange(12))
            place = rng.choice((None, None, *CITIES))
            topic = rng.sample(TOPICS, 2)
            text = f"{a[0].capitalize()} {trigger} {b[0]} about {topic[0]} and {topic[1]}"
            if place:
                text += f" in {place}"
            sentences.append(text + f" on {day:%A}, reporter {i} wrote.")
            dated = rng.random() < 0.8
            fact = rng.choice(("asserted",) * 8 + ("negated", "hypothetical"))
            events.append(ev(s, trigger, type_, a, b, mode=mode, day=day.isoformat() if dated else None, place=place,
                             factuality=fact))
        published = start + timedelta(days=rng.randrange(12) + 1)
        out.append(article(f"story-{i}", sentences, events, published=published, source=f"Outlet {rng.randrange(6)}"))
    return out


def reference(mentions: list[Mention], exemplars: int | None = None) -> dict[tuple[str, int], str]:
    """The documented rules, plainly: each article's mentions first join clusters already there (again
    until nothing moves), then the rest join or found, in order; a mention is compared with every member
    (with ``exemplars``: the score is the best over the founder and the latest ``exemplars - 1``)."""
    clusters: dict[str, list[Mention]] = {}
    where: dict[tuple[str, int], str] = {}

    def best(m: Mention) -> str | None:
        found: tuple[float, str] | None = None
        for cid, members in clusters.items():
            scores = [match_score(m, o) for o in members]
            if not scores or any(s is None for s in scores):
                continue
            if exemplars is not None and len(scores) > exemplars:
                scores = [scores[0], *scores[len(scores) - exemplars + 1 :]]
            s = max(s for s in scores if s is not None)
            if m.copy_of is not None and any(o.content_hash == m.copy_of for o in members):
                s += 1.0
            if s >= JOIN_SCORE and (found is None or s > found[0]):
                found = (s, cid)
        return found[1] if found else None

    for _, group in itertools.groupby(mentions, key=lambda m: m.content_hash):
        pending = list(group)
        moved = True
        while moved and pending:
            moved = False
            for m in list(pending):
                if (cid := best(m)) is not None:
                    clusters[cid].append(m)
                    where[m.key] = cid
                    pending.remove(m)
                    moved = True
        for m in pending:
            if (cid := best(m)) is not None:
                clusters[cid].append(m)
                where[m.key] = cid
            elif not m.copy:
                cid = cluster_id(m.content_hash, m.seq)
                clusters[cid] = [m]
                where[m.key] = cid
    return where


def stored(store: Store) -> dict[tuple[str, int], str]:
    rows = store._con.execute("SELECT content_hash, seq, cluster_id FROM event_clusters").fetchall()
    return {(h, int(s)): c for h, s, c in rows}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_clusters_as_every_member_rules(tmp_path: Path, seed: int) -> None:
    corpus = random_corpus(seed, 160)
    with Store(tmp_path / "c.duckdb") as store:
        store.add_many(corpus, batch_size=25)
        hashes = [r[0] for r in store._con.execute("SELECT content_hash FROM articles ORDER BY store_order").fetchall()]
        mentions = _new_mentions(store._con, hashes)
        got = stored(store)
        want = reference(mentions)
        assert got == want
        sizes = sorted(n for (n,) in store._con.execute("SELECT n_events FROM clusters").fetchall())
        assert sizes[-1] >= 4 and len(sizes) < len(mentions)  # real clusters formed, not one per mention
        rows = store._con.execute("SELECT * FROM clusters ORDER BY cluster_id").fetchall()
        assert store.rebuild_clusters() == len(rows)
        assert store._con.execute("SELECT * FROM clusters ORDER BY cluster_id").fetchall() == rows




@pytest.mark.parametrize("seed", [4, 5])
def test_large_clusters_keep_every_hard_rule(tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the evidence compared to only 2 members, the hard rules still hold between every two members."""
    import communique.clusters as clusters

    monkeypatch.setattr(clusters, "EXEMPLARS", 2)
    corpus = random_corpus(seed, 160)
    with Store(tmp_path / "c.duckdb") as store:
        store.add_many(corpus, batch_size=25)
        hashes = [r[0] for r in store._con.execute("SELECT content_hash FROM articles ORDER BY store_order").fetchall()]
        mentions = {m.key: m for m in _new_mentions(store._con, hashes)}
        members: dict[str, list[Mention]] = {}
        for key, cid in stored(store).items():
            members.setdefault(cid, []).append(mentions[key])
        assert stored(store) == reference(list(mentions.values()), exemplars=2)
    big = [ms for ms in members.values() if len(ms) > 2]
    assert big  # clusters larger than the exemplars formed
    for ms in big:
        for a, b in itertools.combinations(ms, 2):
            assert match_score(a, b) is not None and match_score(b, a) is not None, (a, b)
