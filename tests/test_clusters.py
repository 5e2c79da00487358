"""Event clusters: the rules of ``match_score``, clusters in a real store, incremental = rebuilt, the CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from communique.cli import main
from communique.clusters import JOIN_SCORE, Mention, _words, cluster_id, match_score
from communique.records import Actor, Article, CodedArticle, Event, Place, Span, TimeSpan
from communique.store import Store

# --- building coded articles by hand ----------------------------------------------------------------------

SCORES = {"CONSULT": (1, 2.5), "AGREE": (1, 3.0), "ASSAULT": (4, -9.0), "ACCUSE": (3, -2.0), "AID": (2, 6.0),
          "THREATEN": (3, -4.0)}  # fmt: skip
CITIES = {"Addis Ababa": ("ETH", 9.025, 38.747), "Nairobi": ("KEN", -1.283, 36.817), "Mombasa": ("KEN", -4.05, 39.67),
          "Mandera": ("KEN", 3.94, 41.86), "Lamu": ("KEN", -2.27, 40.9)}  # fmt: skip


def ev(
    sentence: int,
    trigger: str,
    type: str,
    source: tuple[str, str | None] | None,
    target: tuple[str, str | None] | None = None,
    *,
    mode: str | None = None,
    day: str | None = None,
    place: str | None = None,
    factuality: str = "asserted",
) -> dict[str, Any]:
    """An event to put into ``article()``: its sentence, trigger word, type, (name, code) sides …"""
    return dict(sentence=sentence, trigger=trigger, type=type, source=source, target=target, mode=mode, day=day,
                place=place, factuality=factuality)  # fmt: skip


def _actor(side: tuple[str, str | None] | None) -> Actor | None:
    if side is None:
        return None
    name, code = side
    if code in ("UN", "AU", "EU", "NATO"):
        return Actor(name, igo=code, kind="ORG")
    return Actor(name, country=code, sector="GOV", kind="PERSON")


def article(
    id: str,
    sentences: list[str],
    events: list[dict[str, Any]],
    *,
    published: date = date(2024, 2, 5),
    source: str | None = "Wire",
) -> CodedArticle:
    """A coded article: ``sentences`` joined by spaces, the ``events`` placed in them."""
    text = " ".join(sentences)
    spans, start = [], 0
    for i, s in enumerate(sentences):
        spans.append(Span(start, start + len(s), s, i))
        start += len(s) + 1
    out = []
    for e in events:
        sent = spans[e["sentence"]]
        i = text.index(e["trigger"], sent.start)
        when = TimeSpan(e["day"], e["day"], "day", value=e["day"]) if e["day"] else None
        where = None
        if e["place"]:
            country, lat, lon = CITIES[e["place"]]
            where = Place(e["place"], country=country, lat=lat, lon=lon, precision="city")
        quad, score = SCORES[e["type"]]
        event = Event(
            type=e["type"], mode=e["mode"], actor=_actor(e["source"]), recipient=_actor(e["target"]),
            trigger=Span(i, i + len(e["trigger"]), e["trigger"], sent.sentence), factuality=e["factuality"],
            date=when, date_source="text" if when else "published", location=where, quad_class=quad, score=score,
            evidence=(sent,), mentions=(e["sentence"],), ontology_version="plover-test",
        )  # fmt: skip
        out.append(event.with_id(id))
    a = Article(id=id, text=text, title=id, url=f"https://news.example/{id}", source=source, published=published)
    return CodedArticle(article=a, events=tuple(out), sentences=tuple(spans), coder_version="test")


KEN_FM, ETH_FM = ("Kenya's foreign minister", "KEN"), ("his Ethiopian counterpart", "ETH")

VISIT_WIRE = article("visit-wire", [
    "Kenya's foreign minister arrived in Addis Ababa on Monday for talks with his Ethiopian counterpart on border "
    "security and trade.",
    "The two ministers discussed refugees crossing the shared frontier and a planned highway to Nairobi.",
], [ev(0, "arrived", "CONSULT", KEN_FM, ETH_FM, mode="visit", day="2024-02-05", place="Addis Ababa")])

VISIT_DAILY = article("visit-daily", [
    "Ethiopia hosted Kenya's foreign minister in Addis Ababa on Monday, where the two sides held talks on border "
    "security and cross-border trade.",
], [ev(0, "held talks", "CONSULT", ("Ethiopia", "ETH"), KEN_FM, mode="visit", day="2024-02-05")],
    published=date(2024, 2, 6), source="Horn Daily")

PHONE_CALL = article("phone-call", [
    "Kenyan President William Ruto spoke by phone with Ethiopian Prime Minister Abiy Ahmed on Monday about the "
    "drought and food prices.",
], [ev(0, "spoke", "CONSULT", ("Kenyan President William Ruto", "KEN"), ("Ethiopian Prime Minister Abiy Ahmed", "ETH"),
       mode="phone", day="2024-02-05")])

ATTACK_MANDERA = article("attack-mandera", [
    "Al-Shabaab militants attacked a police post in Mandera county on Tuesday, killing three officers.",
], [ev(0, "attacked", "ASSAULT", ("Al-Shabaab militants", "SOM"), ("Kenyan police", "KEN"), day="2024-02-06")],
    published=date(2024, 2, 7))

ATTACK_LAMU = article("attack-lamu", [
    "Al-Shabaab fighters ambushed an army convoy near Lamu on Tuesday and two soldiers were wounded by a roadside "
    "bomb.",
], [ev(0, "ambushed", "ASSAULT", ("Al-Shabaab fighters", "SOM"), ("Kenyan army", "KEN"), day="2024-02-06")],
    published=date(2024, 2, 7), source="Coast Times")

ATTACK_MANDERA_2 = article("attack-mandera-2", [
    "Three police officers were killed when Al-Shabaab militants stormed their post in Mandera on Tuesday night, "
    "officials said.",
], [ev(0, "stormed", "ASSAULT", ("Al-Shabaab militants", "SOM"), ("police officers", "KEN"), day="2024-02-06")],
    published=date(2024, 2, 8), source="Nairobi Star")

CORPUS = [VISIT_WIRE, VISIT_DAILY, PHONE_CALL, ATTACK_MANDERA, ATTACK_LAMU, ATTACK_MANDERA_2]


def membership(store: Store) -> dict[str, str]:
    """article id → cluster id of its first event."""
    return {r["article_id"]: r["cluster_id"] for r in store.event_records() if r["sentence_index"] == 0}


# --- the rules ---------------------------------------------------------------------------------------------


def mention(**kw: Any) -> Mention:
    base: dict[str, Any] = dict(
        content_hash="h1", seq=0, event_id="e", article_id="a1", type="CONSULT", mode=None, source_key="KEN",
        target_key="ETH", first_day=date(2024, 2, 5), last_day=date(2024, 2, 5), precise=True, place_country=None,
        lat=None, lon=None, place_precision=None, place_name=None, factuality="asserted",
        words=_words("talks on border security and trade"), names=frozenset(), published=date(2024, 2, 5),
        source="Wire", copy=False, order=1,
    )  # fmt: skip
    base.update(kw)
    return Mention(**base)


M = mention()


@pytest.mark.parametrize(
    ("other", "joins"),
    [
        (mention(content_hash="h2"), True),
        (mention(content_hash="h2", type="AGREE"), False),  # different type
        (mention(content_hash="h2", source_key="ETH", target_key="KEN"), True),  # CONSULT is symmetric
        (mention(content_hash="h2", source_key="UGA"), False),  # another country
        (mention(content_hash="h2", target_key=None), True),  # one side unknown: compatible, a penalty
        (mention(content_hash="h2", first_day=date(2024, 2, 9), last_day=date(2024, 2, 9), precise=False), False),
        (mention(content_hash="h2", first_day=date(2024, 2, 8), last_day=date(2024, 2, 8), precise=False), True),
        # no date in the text: the event happened on or up to four days before publication
        (mention(content_hash="h2", first_day=date(2024, 2, 10), last_day=date(2024, 2, 10), precise=False,
                 dated=False), True),
        (mention(content_hash="h2", first_day=date(2024, 2, 13), last_day=date(2024, 2, 13), precise=False,
                 dated=False), False),
        (mention(content_hash="h2", factuality="negated"), False),
        (mention(content_hash="h2", factuality="planned"), True),
        (mention(content_hash="h2", words=_words("drought and food prices")), False),  # dissimilar evidence
        (mention(content_hash="h2", place_country="ETH"), True),  # a place against none: compatible
    ],
)  # fmt: skip
def test_match_rules(other: Mention, joins: bool) -> None:
    s = match_score(other, M)
    assert (s is not None and s >= JOIN_SCORE) is joins
    assert match_score(M, other) == s  # symmetric


def test_asymmetric_types_keep_direction() -> None:
    a = mention(type="ACCUSE")
    assert match_score(mention(content_hash="h2", type="ACCUSE", source_key="ETH", target_key="KEN"), a) is None
    assert match_score(mention(content_hash="h2", type="ACCUSE"), a) is not None


def test_phone_is_not_a_visit_and_places_apart_are_not_one_event() -> None:
    visit = mention(mode="visit")
    assert match_score(mention(content_hash="h2", mode="phone"), visit) is None
    far = mention(content_hash="h2", place_country="KEN", lat=-1.28, lon=36.8, place_precision="city")
    near = replace(far, content_hash="h3", lat=-1.3, lon=36.9)
    other = replace(far, content_hash="h4", lat=-4.05, lon=39.67)  # Mombasa, 440 km away
    assert match_score(near, far) == pytest.approx(match_score(far, far) or 0)
    assert match_score(other, far) is None
    assert match_score(replace(far, place_country="UGA", lat=None, lon=None), far) is None  # another country


def test_names_are_not_evidence() -> None:
    """Two acts of one dyad share the actors' names and nothing else: apart."""
    names = _words("Blinken Wang")
    met = mention(words=_words("Blinken met Wang at the State Department"), names=names, precise=False)
    phoned = mention(content_hash="h2", words=_words("Blinken called Wang to discuss tariffs"), names=names,
                     precise=False)  # fmt: skip
    assert (match_score(phoned, met) or 0) < JOIN_SCORE


def test_cluster_id_is_stable() -> None:
    assert cluster_id("abc", 0) == cluster_id("abc", 0) != cluster_id("abc", 1)
    assert len(cluster_id("abc", 0)) == 16


# --- in the store -----------------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store(tmp_path / "c.duckdb") as s:
        yield s


def test_clusters_across_articles(store: Store) -> None:
    assert store.add_many(CORPUS) == (6, 0)
    m = membership(store)
    h = {c.id: c.article.content_hash for c in CORPUS}
    # the visit reported twice; the phone call the same day stays apart
    assert m["visit-wire"] == m["visit-daily"] == cluster_id(h["visit-wire"], 0)
    assert m["phone-call"] == cluster_id(h["phone-call"], 0)
    # two Mandera reports are one attack; Lamu, the same dyad and day, another
    assert m["attack-mandera"] == m["attack-mandera-2"] != m["attack-lamu"]
    assert len(set(m.values())) == 4
    clusters = {c.cluster_id: c for c in store.clusters()}
    visit = clusters[m["visit-wire"]]
    assert (visit.type, visit.source, visit.target, visit.n_articles, visit.n_sources, visit.n_events) == (
        "CONSULT", "KEN", "ETH", 2, 2, 2)
    assert (visit.first_seen, visit.last_seen, visit.date_start) == (date(2024, 2, 5), date(2024, 2, 6),
                                                                     date(2024, 2, 5))
    assert visit.articles == ("visit-daily", "visit-wire")
    # the representative: both actors coded, a date, a place: the wire's
    assert visit.representative["article_id"] == "visit-wire" and visit.location == "Addis Ababa"
    assert visit.representative["event_id"] == VISIT_WIRE.events[0].id
    attack = clusters[m["attack-mandera"]]
    assert (attack.n_articles, attack.n_sources, attack.first_seen, attack.last_seen) == (
        2, 2, date(2024, 2, 7), date(2024, 2, 8))
    assert [c.n_articles for c in store.clusters(min_articles=2)] == [2, 2]
    assert store.stats() == {"articles": 6, "duplicates": 0, "events": 6, "clustered_events": 6, "clusters": 4}


def test_incremental_equals_rebuilt(store: Store) -> None:
    for coded in CORPUS:  # one article per transaction
        store.add(coded)
    one_by_one = membership(store)
    rows = store.connection.execute("SELECT * FROM clusters ORDER BY cluster_id").fetchall()
    members = store.connection.execute("SELECT * FROM event_clusters ORDER BY content_hash, seq").fetchall()
    assert store.rebuild_clusters() == 4
    assert membership(store) == one_by_one
    assert store.connection.execute("SELECT * FROM clusters ORDER BY cluster_id").fetchall() == rows
    assert store.connection.execute("SELECT * FROM event_clusters ORDER BY content_hash, seq").fetchall() == members


def test_order_of_batches_does_not_matter_for_ids(tmp_path: Path) -> None:
    with Store(tmp_path / "a.duckdb") as a, Store(tmp_path / "b.duckdb") as b:
        a.add_many(CORPUS)
        b.add_many(CORPUS[:3])
        b.add_many(CORPUS[3:])
        assert membership(a) == membership(b)


def test_same_sentence_readings_are_one_event(store: Store) -> None:
    coded = article("one-sentence", [
        "Israel's air force struck southern Lebanon on Tuesday, hitting several villages near the border.",
    ], [ev(0, "struck", "ASSAULT", ("Israel's air force", "ISR"), ("southern Lebanon", "LBN"), day="2024-02-06"),
        ev(0, "hitting", "ASSAULT", ("Israel's air force", "ISR"), None, day="2024-02-06")])  # fmt: skip
    store.add(coded)
    assert store.stats()["clusters"] == 1
    [c] = store.clusters()
    assert (c.n_events, c.n_articles, c.target) == (2, 1, "LBN")  # the representative has both sides


def test_events_json_has_cluster_id(tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    with Store(db) as s:
        s.add_many(CORPUS)
    r = CliRunner().invoke(main, ["events", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0, r.output
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(records) == 6
    assert all(list(rec)[:3] == ["event_id", "article_id", "cluster_id"] for rec in records)
    assert len({rec["cluster_id"] for rec in records}) == 4
    assert {rec["article_id"] for rec in records} == {c.id for c in CORPUS}


def test_clusters_command(tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    with Store(db) as s:
        s.add_many(CORPUS)
    r = CliRunner().invoke(main, ["clusters", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    # by event date (the two CONSULTs on the 5th, the two ASSAULTs on the 6th), then id
    assert [c["type"] for c in rows] == ["CONSULT", "CONSULT", "ASSAULT", "ASSAULT"]
    assert sorted(c["n_articles"] for c in rows) == [1, 1, 2, 2]
    assert all(c["representative"]["cluster_id"] == c["cluster_id"] for c in rows)
    assert set(rows[0]) >= {"cluster_id", "n_articles", "n_sources", "first_seen", "last_seen", "representative"}
    table = CliRunner().invoke(main, ["clusters", "--db", str(db), "--min-articles", "2"])
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["cluster", "type", "mode"] and len(lines) == 2 + 2
    missing = CliRunner().invoke(main, ["clusters", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2 and "ingest" in missing.output


# --- end to end, with the real pipeline ---------------------------------------------------------------------

REPORTS = [
    dict(id="wire-visit", source="East Africa Wire", published="2024-02-05",
         text="Kenya's foreign minister arrived in Addis Ababa on Monday for talks with his Ethiopian counterpart "
              "on border security and trade. The two ministers discussed the flow of refugees across the shared "
              "frontier and a planned highway linking Nairobi to the Ethiopian capital, officials said."),
    dict(id="daily-visit", source="Horn Daily", published="2024-02-06",
         text="Ethiopia hosted Kenya's foreign minister in Addis Ababa on Monday, where the two sides held talks "
              "on border security and cross-border trade. Diplomats said the ministers also reviewed the highway "
              "corridor between the two capitals."),
    dict(id="phone-call", source="East Africa Wire", published="2024-02-05",
         text="Kenyan President William Ruto spoke by phone with Ethiopian Prime Minister Abiy Ahmed on Monday "
              "about the drought in the region and food prices, the Kenyan presidency said."),
    dict(id="attack-mandera", source="East Africa Wire", published="2024-02-07",
         text="Al-Shabaab militants attacked a Kenyan police post in Mandera county on Tuesday, killing three "
              "officers, police said. The attackers fled across the border into Somalia."),
    dict(id="attack-lamu", source="Coast Times", published="2024-02-07",
         text="Al-Shabaab fighters ambushed a Kenyan army convoy near Lamu on Tuesday, the military said. "
              "Two soldiers were wounded in the roadside attack."),
]  # fmt: skip


@pytest.mark.slow
def test_real_reports_cluster(tmp_path: Path) -> None:
    src = tmp_path / "reports.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    db = tmp_path / "r.duckdb"
    r = CliRunner().invoke(main, ["ingest", str(src), "--db", str(db)])
    assert r.exit_code == 0, r.output
    with Store(db, read_only=True) as s:
        first = {}
        for rec in s.event_records():
            first.setdefault(rec["article_id"], rec)
        assert {a: e["type"] for a, e in first.items()} == {
            "wire-visit": "CONSULT", "daily-visit": "CONSULT", "phone-call": "CONSULT",
            "attack-mandera": "ASSAULT", "attack-lamu": "ASSAULT"}  # fmt: skip
        assert first["wire-visit"]["cluster_id"] == first["daily-visit"]["cluster_id"]
        assert first["phone-call"]["cluster_id"] != first["wire-visit"]["cluster_id"]
        assert first["attack-mandera"]["cluster_id"] != first["attack-lamu"]["cluster_id"]
