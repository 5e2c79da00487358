"""The DuckDB store: round trip, idempotency, event filters, schema, reopening, atomic writes."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

import communique.store as store_module
from communique.errors import InputError, StoreError
from communique.records import Actor, Article, CodedArticle, Event, Place, Quote, Span, TimeSpan
from communique.store import EVENT_COLUMNS, SCHEMA_VERSION, Store

TEXT = (
    "The Norwegian foreign minister met Kenyan officials in Nairobi on 3 March. "
    "The United Nations later criticised the delay. "
    '"The talks were useful," the minister said.'
)


def span(text: str, needle: str, sentence: int, start: int = 0) -> Span:
    i = text.index(needle, start)
    return Span(i, i + len(needle), needle, sentence)


def sentences(text: str) -> tuple[Span, ...]:
    out, start = [], 0
    for i, end in enumerate((text.index("March.") + 6, text.index("delay.") + 6, len(text))):
        while text[start] == " ":
            start += 1
        out.append(Span(start, end, text[start:end], i))
        start = end
    return tuple(out)


def make_coded(
    id: str = "art-1",
    *,
    published: date | None = date(2024, 3, 4),
    text: str = TEXT,
    geonames_id: int | None = 184745,
) -> CodedArticle:
    """A hand-built coded article: two events, three entities, one date, place and quote."""
    article = Article(id=id, text=text, title=f"Talks {id}", url=f"https://news.example/{id}",
                      source="Example Wire", published=published)  # fmt: skip
    norway = Actor(
        "Norwegian foreign minister",
        country="NOR",
        sector="GOV",
        role="foreign minister",
        kind="PERSON",
        aliases=("the minister",),
        spans=(span(text, "Norwegian foreign minister", 0), span(text, "the minister", 2)),
    )
    kenya = Actor(
        "Kenyan officials",
        country="KEN",
        sector="GOV",
        kind="NORP",
        spans=(span(text, "Kenyan officials", 0),),
    )
    un = Actor(
        "United Nations", igo="UN", kind="ORG", registry_id="Q1065", spans=(span(text, "United Nations", 1),)
    )
    when = TimeSpan("2024-03-03", "2024-03-03", "day", value="2024-03-03", span=span(text, "3 March", 0))
    nairobi = Place(
        "Nairobi",
        country="KEN",
        admin1="30",
        lat=-1.28333,
        lon=36.81667,
        geonames_id=geonames_id,
        precision="city",
        span=span(text, "Nairobi", 0),
    )
    sents = sentences(text)
    meet = Event(
        type="CONSULT", mode="visit", actor=norway, recipient=kenya, trigger=span(text, "met", 0),
        date=when, date_source="text", location=nairobi, contexts=("diplomacy",), quad_class=1, score=1.5,
        cameo_root="04", goldstein=1.0, tone=-0.75, ontology_version="plover-test-1", evidence=(sents[0],),
        mentions=(0,),
    ).with_id(id)  # fmt: skip
    criticise = Event(
        type="ACCUSE", mode="disapprove", actor=un, recipient=None, trigger=span(text, "criticised", 1),
        factuality="asserted", quad_class=3, score=-2.0, cameo_root="11", ontology_version="plover-test-1",
        mentions=(1,),
    ).with_id(id)  # fmt: skip
    quote = Quote(
        content=span(text, "The talks were useful,", 2), speaker=norway, speaker_span=norway.spans[0],
        cue=Span(text.index("said"), text.index("said") + 4, "said"), direct=True,
    )  # fmt: skip
    return CodedArticle(
        article=article,
        events=(meet, criticise),
        entities=(norway, kenya, un),
        dates=(when,),
        places=(nairobi,),
        quotes=(quote,),
        sentences=sents,
        coder_version="test-0",
    )


ONE_ARTICLE = {"articles": 1, "events": 2, "entities": 3, "places": 1, "quotes": 1, "dates": 1}
EMPTY = dict.fromkeys(ONE_ARTICLE, 0)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store(tmp_path / "test.duckdb") as s:
        yield s


# --- writing and reading back ----------------------------------------------------------------------------


def test_round_trip(store: Store) -> None:
    coded = make_coded()
    assert CodedArticle.from_dict(coded.to_dict(), coded.article) == coded  # the fixture itself round-trips
    assert store.add(coded) is True
    assert store.article("art-1") == coded
    assert store.article("nope") is None
    assert store.counts() == ONE_ARTICLE


def test_add_is_idempotent(store: Store) -> None:
    coded = make_coded()
    assert store.has(coded.article.content_hash) is False
    assert store.add(coded) is True
    assert store.add(coded) is False
    assert store.counts() == ONE_ARTICLE
    assert store.has(coded.article.content_hash) is True
    assert store.known_hashes([coded.article.content_hash, "0" * 32]) == {coded.article.content_hash}


def test_add_many_skips_stored_and_repeated(store: Store) -> None:
    a, b, c = make_coded("a"), make_coded("b"), make_coded("c")
    assert store.add(a) is True
    assert store.add_many([a, b, b, c], batch_size=2) == (2, 2)
    assert store.add_many([a, b, c]) == (0, 3)
    assert store.counts() == {k: 3 * v for k, v in ONE_ARTICLE.items()}
    assert [store.article(x) for x in "abc"] == [a, b, c]


def test_known_hashes_in_chunks(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("communique.store._HASH_CHUNK", 2)
    items = [make_coded(f"k{i}") for i in range(5)]
    store.add_many(items)
    hashes = [c.article.content_hash for c in items]
    assert store.known_hashes([*hashes, "x", hashes[0]]) == set(hashes)


def test_two_versions_of_an_article(store: Store) -> None:
    old = make_coded(published=date(2024, 3, 4))
    new = make_coded(published=date(2024, 3, 5))
    assert store.add(old) and store.add(new)
    assert store.counts()["articles"] == 2
    assert store.article("art-1") == new


def test_tables_hold_flat_columns(store: Store) -> None:
    coded = make_coded()
    store.add(coded)
    con = store.connection
    h = coded.article.content_hash
    columns = "article_id, content_hash, url, source, published, title, text, language, coder_version"
    assert con.execute(f"SELECT {columns} FROM articles").fetchall() == [
        ("art-1", h, "https://news.example/art-1", "Example Wire", date(2024, 3, 4), "Talks art-1",
         TEXT, "en", "test-0")
    ]  # fmt: skip
    assert con.execute("SELECT * FROM entities ORDER BY seq").fetchall() == [
        (
            "art-1",
            h,
            0,
            "Norwegian foreign minister",
            "PERSON",
            "NOR",
            None,
            "GOV",
            "foreign minister",
            None,
            2,
        ),
        ("art-1", h, 1, "Kenyan officials", "NORP", "KEN", None, "GOV", None, None, 1),
        ("art-1", h, 2, "United Nations", "ORG", None, "UN", None, None, "Q1065", 1),
    ]
    i = TEXT.index("Nairobi")
    assert con.execute("SELECT * FROM places").fetchall() == [
        ("art-1", h, 0, "Nairobi", "KEN", "30", -1.28333, 36.81667, 184745, "city", i, i + 7, 0)
    ]
    i = TEXT.index("3 March")
    assert con.execute("SELECT * FROM dates").fetchall() == [
        (
            "art-1",
            h,
            0,
            "3 March",
            date(2024, 3, 3),
            date(2024, 3, 3),
            "day",
            "DATE",
            "2024-03-03",
            i,
            i + 7,
            0,
        )
    ]
    i = TEXT.index("The talks")
    assert con.execute("SELECT * FROM quotes").fetchall() == [
        ("art-1", h, 0, "Norwegian foreign minister", "NOR", None, "GOV", "said", "The talks were useful,",
         i, i + 22, 2, True)
    ]  # fmt: skip


# --- events ----------------------------------------------------------------------------------------------


def test_events_flat_dict(store: Store) -> None:
    coded = make_coded()
    store.add(coded)
    meet, criticise = coded.events
    rows = list(store.events())
    assert [list(r) for r in rows] == [list(EVENT_COLUMNS)] * 2
    assert rows[0] == {
        "event_id": meet.id, "article_id": "art-1", "cluster_id": rows[0]["cluster_id"], "published": "2024-03-04",
        "outlet": "Example Wire", "type": "CONSULT", "mode": "visit", "quad_class": 1, "score": 1.5,
        "goldstein": 1.0, "tone": -0.75, "factuality": "asserted", "contexts": ["diplomacy"],
        "actor_name": "Norwegian foreign minister", "actor_country": "NOR", "actor_igo": None,
        "actor_sector": "GOV", "recipient_name": "Kenyan officials", "recipient_country": "KEN",
        "recipient_igo": None, "recipient_sector": "GOV", "date_start": "2024-03-03", "date_end": "2024-03-03",
        "date_granularity": "day", "date_source": "text", "location_name": "Nairobi",
        "location_country": "KEN", "lat": -1.28333, "lon": 36.81667, "sentence_index": 0, "trigger": "met",
        "evidence": coded.sentences[0].text, "ontology_version": "plover-test-1", "cameo_root": "04",
    }  # fmt: skip
    assert len({r["cluster_id"] for r in rows}) == 2 and all(len(r["cluster_id"]) == 16 for r in rows)
    # No evidence spans: the evidence is the trigger's sentence; no date: date columns are null.
    assert rows[1] == {
        "event_id": criticise.id, "article_id": "art-1", "cluster_id": rows[1]["cluster_id"],
        "published": "2024-03-04", "outlet": "Example Wire", "type": "ACCUSE", "mode": "disapprove",
        "quad_class": 3, "score": -2.0, "goldstein": None, "tone": None, "factuality": "asserted", "contexts": [],
        "actor_name": "United Nations", "actor_country": None, "actor_igo": "UN", "actor_sector": None,
        "recipient_name": None, "recipient_country": None, "recipient_igo": None, "recipient_sector": None,
        "date_start": None, "date_end": None, "date_granularity": None, "date_source": None,
        "location_name": None, "location_country": None, "lat": None, "lon": None, "sentence_index": 1,
        "trigger": "criticised", "evidence": "The United Nations later criticised the delay.",
        "ontology_version": "plover-test-1", "cameo_root": "11",
    }  # fmt: skip


def test_event_records(store: Store) -> None:
    coded = make_coded()
    store.add(coded)
    records = list(store.event_records())
    clusters = [r.pop("cluster_id") for r in records]
    assert records == [{"event_id": e.id, "article_id": "art-1", **e.to_dict()} for e in coded.events]
    assert [Event.from_dict(r) for r in store.event_records()] == list(coded.events)
    # each of the two (different) events founds its own cluster
    assert len(set(clusters)) == 2 and all(isinstance(c, str) and len(c) == 16 for c in clusters)


@pytest.fixture
def two_articles(store: Store) -> Store:
    # "early": meeting dated 2024-03-03, accusation undated (published 2024-03-04).
    # "late":  meeting dated 2024-03-03 too, accusation undated (published 2024-05-10).
    store.add_many(
        [make_coded("early", published=date(2024, 3, 4)), make_coded("late", published=date(2024, 5, 10))]
    )
    return store


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, [("early", "CONSULT"), ("late", "CONSULT"), ("early", "ACCUSE"), ("late", "ACCUSE")]),
        ({"actor": "NOR"}, [("early", "CONSULT"), ("late", "CONSULT")]),
        ({"actor": "ken"}, []),  # Kenya is the recipient, not the actor
        ({"recipient": "ken"}, [("early", "CONSULT"), ("late", "CONSULT")]),
        ({"involving": "KEN"}, [("early", "CONSULT"), ("late", "CONSULT")]),
        ({"involving": "NOR"}, [("early", "CONSULT"), ("late", "CONSULT")]),
        ({"recipient": "NOR"}, []),
        ({"actor": "UN"}, [("early", "ACCUSE"), ("late", "ACCUSE")]),
        ({"actor": "USA"}, []),  # a real code with no events: nothing, and no error
        ({"mode": "VISIT"}, [("early", "CONSULT"), ("late", "CONSULT")]),
        ({"factuality": "asserted", "type": "ACCUSE"}, [("early", "ACCUSE"), ("late", "ACCUSE")]),
        ({"factuality": "negated"}, []),
        ({"place_country": "KEN"}, [("early", "CONSULT"), ("late", "CONSULT")]),
        ({"place_country": "NOR"}, []),
        ({"newest_first": True}, [("late", "ACCUSE"), ("early", "ACCUSE"), ("late", "CONSULT"), ("early", "CONSULT")]),
        ({"newest_first": True, "limit": 1}, [("late", "ACCUSE")]),
        ({"type": "ACCUSE"}, [("early", "ACCUSE"), ("late", "ACCUSE")]),
        ({"type": "consult"}, [("early", "CONSULT"), ("late", "CONSULT")]),
        ({"since": date(2024, 3, 4)}, [("early", "ACCUSE"), ("late", "ACCUSE")]),
        ({"since": date(2024, 3, 5)}, [("late", "ACCUSE")]),
        ({"until": date(2024, 3, 3)}, [("early", "CONSULT"), ("late", "CONSULT")]),
        ({"since": date(2024, 3, 3), "until": date(2024, 3, 4)},
         [("early", "CONSULT"), ("late", "CONSULT"), ("early", "ACCUSE")]),
        ({"actor": "UN", "since": date(2024, 4, 1)}, [("late", "ACCUSE")]),
        ({"limit": 1}, [("early", "CONSULT")]),
        ({"type": "ACCUSE", "limit": 0}, []),
    ],
)  # fmt: skip
def test_event_filters(two_articles: Store, filters: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert [(r["article_id"], r["type"]) for r in two_articles.events(**filters)] == expected
    assert [(r["article_id"], r["type"]) for r in two_articles.event_records(**filters)] == expected


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"actor": "China"}, "China: not a country or IGO code for the actor; did you mean CHN (China)?"),
        ({"recipient": "KENYA"}, "KENYA: not a country or IGO code for the recipient; did you mean KEN (Kenya)?"),
        ({"involving": "united states"}, "did you mean USA (United States)?"),
        ({"place_country": "Norway"}, "did you mean NOR (Norway)?"),
        ({"actor": "XQZW"}, "use an ISO-3 country code (USA, CHN) or an IGO code (UN, NATO)"),
        ({"type": "consults"}, "consults: not a PLOVER event type; did you mean CONSULT?"),
        ({"mode": "meeting"}, "meeting: not a PLOVER mode; did you mean meet?"),
        ({"factuality": "denied"}, "denied: not a factuality value; use one of asserted, negated,"),
    ],
)  # fmt: skip
def test_unknown_codes_are_errors_that_name_the_code_meant(
    two_articles: Store, filters: dict[str, Any], message: str
) -> None:
    for query in (two_articles.events, two_articles.event_records):
        with pytest.raises(InputError) as e:
            list(query(**filters))
        assert message in str(e.value)


def test_codes_only_found_in_the_store_are_accepted(store: Store) -> None:
    """A store coded with a user registry may hold codes the bundled registry does not know."""
    coded = make_coded()
    odd = replace(coded.events[0], actor=replace(coded.events[0].actor, country="QQX"))  # type: ignore[type-var]
    store.add(replace(coded, events=(odd,)))
    assert [r["actor_country"] for r in store.events(actor="qqx")] == ["QQX"]


# --- schema and files ------------------------------------------------------------------------------------


def test_schema_version_and_tables(store: Store) -> None:
    assert SCHEMA_VERSION == 3
    assert store.schema_version == SCHEMA_VERSION
    tables = {
        r[0] for r in store.connection.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert tables == {"meta", "articles", "events", "entities", "places", "dates", "quotes",
                      "minhashes", "lsh_buckets", "event_clusters", "clusters"}
    assert store.counts() == EMPTY


def test_reopen_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "events.duckdb"
    coded = make_coded()
    with Store(path) as s:
        assert s.add(coded)
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.add(coded) is False
        assert s.counts() == ONE_ARTICLE
    with Store(path, read_only=True) as s:
        assert s.article("art-1") == coded
        with pytest.raises(
            StoreError, match="is open read-only; open it without read_only to store articles"
        ):
            s.add(make_coded("other"))


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="schema version 99, newer than this communique understands"):
        Store(path)


@pytest.mark.parametrize("read_only", [False, True])
def test_not_a_database(tmp_path: Path, read_only: bool) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("just some notes")
    with pytest.raises(StoreError, match="is not a DuckDB database"):
        Store(path, read_only=read_only)


def test_read_only_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database at .*; store some articles in it first"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_read_only_foreign_database(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(StoreError, match="is not a communique database"):
        Store(path, read_only=True)


def test_closed_store(tmp_path: Path) -> None:
    s = Store(tmp_path / "c.duckdb")
    s.close()
    with pytest.raises(StoreError, match="cannot count rows in"):
        s.counts()


def test_locked_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.read()",
         str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "ready\n"
        with pytest.raises(StoreError, match="is locked by another process"):
            Store(path)
    finally:
        holder.communicate("")


def corrupt_copy(tmp_path: Path, name: str, offset: int) -> Path:
    """A real communique database with 64 bytes overwritten at ``offset`` (a header or a data block)."""
    path = tmp_path / name
    with Store(path) as s:
        s.add_many([make_coded(f"art-{i}") for i in range(40)])
    with path.open("r+b") as f:
        f.seek(offset)
        f.write(b"\xff" * 64)
    return path


@pytest.mark.parametrize("offset", [100, 4096, 8192])
def test_corrupt_database_is_reported_as_corrupt_not_locked(tmp_path: Path, offset: int) -> None:
    """DuckDB's message for a bad block says "block", which holds "lock": the check must not take it
    for a file locked by another process."""
    path = corrupt_copy(tmp_path, f"corrupt{offset}.duckdb", offset)
    with pytest.raises(StoreError) as e:
        with Store(path, read_only=True) as s:  # some damage shows on opening, some on reading
            list(s.events())
            s.counts()
    assert "is corrupt" in str(e.value) and "locked" not in str(e.value)


def test_folder_of_a_new_database_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the folder of the database .*choose a folder"):
        Store(blocker / "sub" / "x.duckdb")
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("read_only", [False, True])
def test_connection_sql_on_a_fresh_store(tmp_path: Path, read_only: bool) -> None:
    """``store.connection.sql`` failed with ResourceInUseException: a ``fetchone()`` left a result open."""
    path = tmp_path / "fresh.duckdb"
    Store(path).close()
    with Store(path, read_only=read_only) as s:
        assert s.connection.sql("SELECT count(*) FROM articles").fetchall() == [(0,)]
        s.counts(), s.stats(), s.has("nope"), s.article("nope"), s.schema_version  # noqa: B018
        assert s.connection.sql("SELECT count(*) FROM events").fetchall() == [(0,)]


def test_events_as_dataframe_and_arrow(two_articles: Store) -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    rows = list(two_articles.events(involving="KEN"))
    df = two_articles.events_df(involving="KEN")
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(EVENT_COLUMNS) and len(df) == len(rows) == 2
    assert list(df["article_id"]) == [r["article_id"] for r in rows]
    assert list(df["actor_country"]) == ["NOR", "NOR"] and list(df["tone"]) == [-0.75, -0.75]
    assert [list(c) for c in df["contexts"]] == [["diplomacy"], ["diplomacy"]]
    assert [d.date().isoformat() for d in df["date_start"]] == ["2024-03-03", "2024-03-03"]
    table = two_articles.events_arrow(newest_first=True)
    assert isinstance(table, pa.Table) and table.column_names == list(EVENT_COLUMNS)
    assert table.column("article_id").to_pylist() == ["late", "early", "late", "early"]
    assert table.schema.field("published").type == pa.date32()
    assert table.schema.field("contexts").type == pa.list_(pa.string())
    with pytest.raises(InputError, match="did you mean CHN"):
        two_articles.events_df(actor="China")
    # the store's own connection is still free for SQL after the columnar fetches
    assert two_articles.connection.sql("SELECT count(*) FROM events").fetchall() == [(4,)]


def test_events_df_without_pandas_says_which_extra(two_articles: Store, tmp_path: Path) -> None:
    """Run in a fresh interpreter where pandas cannot be imported (a None entry in sys.modules)."""
    code = ("import sys; sys.modules['pandas'] = None; sys.modules['pyarrow'] = None\n"
            "from communique.store import Store\n"
            "from communique.errors import ConfigError\n"
            "s = Store(sys.argv[1])\n"
            "for f in (s.events_df, s.events_arrow):\n"
            "    try:\n        f()\n    except ConfigError as e:\n        print(e)\n")
    path = tmp_path / "plain.duckdb"
    Store(path).close()
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [
        "pandas is not installed; install the analysis extra: pip install 'communique[analysis]'",
        "pyarrow is not installed; install the analysis extra: pip install 'communique[analysis]'",
    ]


# --- atomic writes ---------------------------------------------------------------------------------------


def bad_coded(id: str = "bad") -> CodedArticle:
    """An article whose place cannot be stored (a geonames id beyond BIGINT): the insert fails
    after its articles, events and entities rows went in."""
    return make_coded(id, geonames_id=2**70)


def test_failed_article_leaves_nothing(store: Store) -> None:
    bad = bad_coded()
    with pytest.raises(StoreError, match="cannot store article 'bad' in .*out of range"):
        store.add(bad)
    assert store.counts() == EMPTY
    assert store.has(bad.article.content_hash) is False
    assert store.article("bad") is None
    # The store is still usable, and the same article fixed goes in.
    assert store.add(replace(bad, places=())) is True


def test_add_many_collects_failed_articles(store: Store) -> None:
    errors: list[StoreError] = []
    assert store.add_many([make_coded("a"), bad_coded(), make_coded("b")], errors=errors) == (2, 0)
    assert [str(e).split(" in ")[0] for e in errors] == ["cannot store article 'bad'"]
    assert store.counts() == {k: 2 * v for k, v in ONE_ARTICLE.items()}
    assert store.article("bad") is None


def test_add_many_raises_after_committing_earlier_articles(store: Store) -> None:
    with pytest.raises(StoreError, match="cannot store article 'bad'"):
        store.add_many([make_coded("a"), bad_coded(), make_coded("b")])
    assert store.counts() == ONE_ARTICLE
    assert store.article("a") is not None


# --- kill -9 during an ingest ----------------------------------------------------------------------------

_PAIRS = [("Kenya", "Ethiopia"), ("Germany", "France"), ("Japan", "South Korea"), ("Brazil", "Argentina"),
          ("India", "Nepal"), ("Egypt", "Jordan"), ("Canada", "Mexico"), ("Poland", "Ukraine"),
          ("Turkey", "Greece"), ("Nigeria", "Ghana")]  # fmt: skip
_ACTS = [
    "{a}'s foreign minister met his {b} counterpart in the capital on {day} to discuss trade and border security.",
    "The government of {a} accused {b} on {day} of violating a fishing agreement in disputed waters.",
    "{a} sent emergency food aid to {b} on {day} after floods destroyed crops in the north.",
    "{a} and {b} signed an agreement on {day} to build a railway line linking their two capitals.",
    "{a} expelled two diplomats from {b} on {day}, saying they had been spying on a military base.",
    "Police in {a} arrested three citizens of {b} on {day} on suspicion of smuggling weapons.",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def kill_corpus() -> list[dict[str, str]]:
    """60 short articles of our own: 54 distinct stories, 3 re-reports of one of them by other outlets,
    3 syndicated copies (the same text with a line added)."""
    out = []
    for i in range(54):
        a, b = _PAIRS[i % len(_PAIRS)]
        act = _ACTS[(i // len(_PAIRS)) % len(_ACTS)]
        day = _DAYS[i % len(_DAYS)]
        text = act.format(a=a, b=b, day=day) + f" Officials in {a} said more talks were planned for story {i}."
        out.append({"id": f"story-{i}", "source": f"Outlet {i % 4}", "published": f"2024-03-{1 + i % 20:02d}",
                    "title": f"Story {i}", "text": text})  # fmt: skip
    for j, text in enumerate([
        "Kenya's foreign minister held talks with his Ethiopian counterpart on Monday about trade and the "
        "security of their shared border.",
        "Ethiopia's foreign minister received his Kenyan counterpart on Monday; the two discussed border security.",
        "Border security and trade were on the agenda when the Kenyan and Ethiopian foreign ministers met on Monday.",
    ]):
        out.append({"id": f"re-report-{j}", "source": f"Other {j}", "published": "2024-03-01",
                    "title": f"Re-report {j}", "text": text})  # fmt: skip
    for j in range(3):
        copy = dict(out[j * 7])
        copy.update(id=f"copy-{j}", source="Syndicate", text=copy["text"] + " This story was syndicated.")
        out.append(copy)
    return out


def _corpus_state(path: Path) -> tuple[dict[str, int], dict[str, int], list[tuple[Any, ...]]]:
    with Store(path, read_only=True) as s:
        clusters = s.connection.execute(
            "SELECT cluster_id, n_events, n_articles, n_sources, n_copies FROM clusters ORDER BY cluster_id"
        ).fetchall()
        return s.counts(), s.stats(), clusters


@pytest.mark.slow
def test_kill_9_during_ingest_then_rerun(tmp_path: Path) -> None:
    import json
    import signal

    cli = str(Path(sys.executable).parent / "communique")
    src = tmp_path / "sixty.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in kill_corpus()), encoding="utf-8")

    def ingest(db: Path, *extra: str) -> list[str]:
        return [cli, *extra, "ingest", str(src), "--db", str(db), "--batch-size", "4"]

    clean = tmp_path / "clean.duckdb"
    subprocess.run(ingest(clean), check=True, capture_output=True, timeout=300)
    expected = _corpus_state(clean)
    assert expected[0]["articles"] == 60
    assert expected[1]["duplicates"] >= 3 and 0 < expected[1]["clusters"] < expected[0]["events"]

    killed = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(ingest(killed, "-v"), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert proc.stderr is not None
        for line in proc.stderr:  # the store logs each committed batch under -v
            if "committed" in line:
                break
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    partial = _corpus_state(killed)
    assert 0 < partial[0]["articles"] < 60  # killed after the first articles were stored, before the end
    rerun = subprocess.run(ingest(killed), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{partial[0]['articles']} already in" in rerun.stderr
    assert _corpus_state(killed) == expected, rerun.stderr  # nothing lost, nothing twice, the same clusters


# --- migration 3: failed stages ----------------------------------------------------------------------------


def test_failed_stages_round_trip_and_column(tmp_path: Path) -> None:
    coded = replace(make_coded("partial"), failed_stages=("quotes", "tone"))
    with Store(tmp_path / "f.duckdb") as s:
        assert s.add(coded)
        assert s.add(make_coded("whole"))
        rows = s.connection.execute("SELECT article_id, failed_stages FROM articles ORDER BY article_id").fetchall()
        assert rows == [("partial", ["quotes", "tone"]), ("whole", [])]
        back = s.article("partial")
    assert back is not None and back.failed_stages == ("quotes", "tone")
    assert back == coded


def test_a_schema_2_file_is_migrated_without_losing_anything(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.duckdb"
    with monkeypatch.context() as m:  # a file written by the communique before migration 3
        m.setattr(store_module, "_MIGRATIONS", store_module._MIGRATIONS[:2])
        m.setattr(store_module, "SCHEMA_VERSION", 2)
        m.setattr(CodedArticle, "to_dict", _to_dict_without_failed_stages)
        m.setattr(store_module._Rows, "add", _add_without_failed_stages)
        with Store(path) as s:
            assert s.add(make_coded("a")) and s.add(make_coded("b", text=TEXT + " More."))
            before = s.counts()
            columns = [r[0] for r in s.connection.execute("DESCRIBE articles").fetchall()]
            assert "failed_stages" not in columns
    with Store(path) as s:
        assert s.schema_version == 3
        assert s.counts() == before
        assert s.connection.execute("SELECT count(*) FROM articles WHERE failed_stages IS NULL").fetchone() == (2,)
        old = s.article("a")
        assert old is not None and old.failed_stages == () and len(old.events) == 2
        assert s.add(replace(make_coded("c", text=TEXT + " Again."), failed_stages=("events",)))
        assert s.connection.execute("SELECT failed_stages FROM articles WHERE article_id = 'c'").fetchone() == (
            ["events"],)


_ORIGINAL_TO_DICT = CodedArticle.to_dict


def _to_dict_without_failed_stages(self: CodedArticle) -> dict[str, Any]:
    d = _ORIGINAL_TO_DICT(self)
    d.pop("failed_stages")
    return d


def _add_without_failed_stages(self: Any, coded: CodedArticle, coded_at: Any, order: int | None = None,
                               duplicate: Any = None) -> None:
    _ORIGINAL_ADD(self, coded, coded_at, order, duplicate)
    self.articles[-1] = self.articles[-1][:-1]  # the articles row as schema 2 had it
    assert store_module.SCHEMA_VERSION == 2


_ORIGINAL_ADD = store_module._Rows.add
