"""Near-duplicates: MinHash on word shingles, the LSH index in the store, copies linked and not double-counted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from communique.dedup import MIN_SHINGLES, NUM_PERM, is_near_duplicate, minhash, shingles
from communique.records import Article, CodedArticle
from communique.store import _MIGRATIONS, Store, _Rows

from .test_clusters import KEN_FM, article, ev

ORIGINAL = (
    "The foreign ministers of Kenya and Ethiopia met in Addis Ababa on Monday to discuss security along their "
    "shared border, where cattle raids and the movement of armed groups have displaced thousands of herders "
    "over the past year. The two ministers agreed to set up a joint commission that will meet every three months "
    "and report to both heads of state. They also discussed a planned highway between Nairobi and the Ethiopian "
    "capital, which officials say could double trade between the neighbours within five years. Kenya's foreign "
    "minister told reporters after the talks that the meeting had been frank and useful, and that both "
    "governments wanted to see the road finished before the end of the decade. Ethiopia's foreign ministry said "
    "in a statement that the two sides had also reviewed the situation of refugees in camps near the town of "
    "Moyale, where aid agencies have warned of shortages of food and clean water. The ministers will meet again "
    "in Nairobi in May, the statement said."
)
# A syndicated copy: a new first sentence, two words changed, the last sentence dropped, a line added.
EDITED = (
    "Kenya and Ethiopia's top diplomats held talks in the Ethiopian capital on Monday. "
    + ORIGINAL.replace("thousands of herders", "tens of thousands of herders")
    .replace("frank and useful", "frank and productive")
    .replace(" The ministers will meet again in Nairobi in May, the statement said.", "")
    + " Additional reporting by our Nairobi bureau."
)
UNRELATED = (
    "Heavy rains flooded parts of the Kenyan coast on Tuesday, cutting the main road between Mombasa and Malindi "
    "and forcing hundreds of families to leave their homes. The national meteorological service said more rain "
    "was expected through the weekend, and the Red Cross opened shelters in three schools. Local officials "
    "said crops on several thousand acres had been destroyed and that fishermen had been told to stay ashore "
    "until the storm passed. The government said it would send food and tents to the worst-hit villages."
)


def coded(id: str, text: str, *, source: str = "Wire", published: date = date(2024, 2, 5)) -> CodedArticle:
    """An article whose one event (a CONSULT between Kenya and Ethiopia) is in its first sentence."""
    first = text.split(". ")[0] + "."
    rest = text[len(first) + 1 :]
    trigger = next(w for w in ("met", "held talks", "flooded") if w in first)
    return article(id, [first, rest] if rest else [first],
                   [ev(0, trigger, "CONSULT", KEN_FM, ("Ethiopia", "ETH"), day="2024-02-05")],
                   published=published, source=source)  # fmt: skip


# --- MinHash ----------------------------------------------------------------------------------------------


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles("Kenya and Ethiopia met, on Monday.") == shingles("kenya AND ethiopia met on monday")
    assert len(shingles("one two three four five six")) == 3
    assert len(shingles("too short")) == 1 and shingles("") == set()


def test_signatures_are_deterministic() -> None:
    sig = minhash(ORIGINAL)
    assert sig.signature.shape == (NUM_PERM,) and sig.signature.dtype.name == "uint32"
    assert sig.n_shingles == len(shingles(ORIGINAL))
    # the same values in every process and every release (a fixed seed, CRC-32 shingle hashes)
    assert sig.signature[:4].tolist() == FIRST_VALUES
    assert len(sig.buckets) == 40 and sig.buckets == minhash(ORIGINAL).buckets


FIRST_VALUES = [26306969, 44507675, 32119896, 4497842]


def test_signatures_do_not_depend_on_the_process() -> None:
    import subprocess
    import sys

    code = "from communique.dedup import minhash; import sys; print(minhash(sys.argv[1]).signature[:4].tolist())"
    out = subprocess.run([sys.executable, "-c", code, ORIGINAL], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(FIRST_VALUES)


def test_edited_copy_is_near_duplicate() -> None:
    a, b, c = minhash(ORIGINAL), minhash(EDITED), minhash(UNRELATED)
    jaccard = len(shingles(ORIGINAL) & shingles(EDITED)) / len(shingles(ORIGINAL) | shingles(EDITED))
    assert 0.6 < jaccard < 0.9
    dup, sim = is_near_duplicate(b, a)
    assert dup and abs(sim - jaccard) < 0.15  # the estimate is close to the true Jaccard similarity
    assert is_near_duplicate(c, a) == (False, pytest.approx(0.0, abs=0.05))
    assert is_near_duplicate(a, a) == (True, 1.0)


def test_short_texts_must_be_identical() -> None:
    a = minhash("Germany and France signed a defence pact on Monday.")
    b = minhash("Germany and France signed a trade pact on Monday.")
    assert a.n_shingles < MIN_SHINGLES
    assert is_near_duplicate(b, a)[0] is False
    assert is_near_duplicate(minhash("Germany and France signed a defence pact on Monday!"), a)[0] is True


# --- in the store -----------------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store(tmp_path / "d.duckdb") as s:
        yield s


def duplicates(store: Store) -> dict[str, tuple[str | None, float | None]]:
    rows = store.connection.execute("SELECT article_id, duplicate_of, similarity FROM articles").fetchall()
    return {a: (d, s) for a, d, s in rows}


def test_copy_is_linked_and_not_double_counted(store: Store) -> None:
    original = coded("original", ORIGINAL)
    copy = coded("copy", EDITED, source="Other Paper", published=date(2024, 2, 6))
    other = coded("other", UNRELATED)
    assert store.add(original) and store.add(other)
    assert store.add(copy)
    dups = duplicates(store)
    assert dups["original"] == (None, None) and dups["other"] == (None, None)
    assert dups["copy"][0] == original.article.content_hash and 0.5 <= (dups["copy"][1] or 0) < 1
    assert store.stats()["duplicates"] == 1
    [visit] = [c for c in store.clusters() if "original" in c.articles]
    # the copy's event joins the cluster, as a copy: one article, one source, one copy
    assert (visit.n_articles, visit.n_sources, visit.n_copies, visit.n_events) == (1, 1, 1, 2)
    assert set(visit.articles) == {"original", "copy"}
    assert visit.representative["article_id"] == "original"


def test_copy_of_a_copy_points_at_the_original(store: Store) -> None:
    original = coded("original", ORIGINAL)
    copy = coded("copy", EDITED)
    copy2 = coded("copy2", EDITED + " Copyright the paper.")
    store.add_many([original, copy, copy2])  # in one batch: compared with each other too
    h = original.article.content_hash
    assert {a: d for a, (d, _) in duplicates(store).items()} == {"original": None, "copy": h, "copy2": h}


def test_index_is_persisted(tmp_path: Path) -> None:
    path = tmp_path / "p.duckdb"
    with Store(path) as s:
        s.add(coded("original", ORIGINAL))
        n_buckets = s.connection.execute("SELECT count(*) FROM lsh_buckets").fetchone()
    assert n_buckets == (40,)
    with Store(path) as s:
        s.add(coded("copy", EDITED))
        assert duplicates(s)["copy"][0] is not None


def test_a_copy_alone_founds_no_cluster(store: Store) -> None:
    original = coded("original", ORIGINAL)
    store.add(original)
    # the copy's event is of another type: it repeats nothing clustered, so it gets no cluster
    copy = replace(coded("copy", EDITED), events=tuple(replace(e, type="AGREE") for e in original.events))
    store.add(copy)
    records = {r["article_id"]: r["cluster_id"] for r in store.event_records()}
    assert records["copy"] is None and records["original"] is not None
    assert store.stats()["clusters"] == 1


def test_migration_from_version_1_signs_and_clusters(tmp_path: Path) -> None:
    """A file written by schema 1 is upgraded: its articles are signed, linked and clustered."""
    path = tmp_path / "v1.duckdb"
    items = [coded("original", ORIGINAL), coded("other", UNRELATED), coded("copy", EDITED)]
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    for statement in _MIGRATIONS[0]:
        con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    rows = _Rows()
    from datetime import datetime

    for c in items:
        rows.add(c, datetime(2024, 2, 7))
    # schema 1 has no duplicate_of, similarity, store_order (schema 2) nor failed_stages (schema 3)
    rows.articles = [r[:-4] for r in rows.articles]
    for table, table_rows in rows.tables():
        if table_rows:
            con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(table_rows[0]))})", table_rows)
    con.close()
    with Store(path) as s:
        assert s.schema_version == 3
        assert s.connection.execute("SELECT count(*) FROM articles WHERE failed_stages IS NULL").fetchone() == (3,)
        assert duplicates(s)["copy"][0] == items[0].article.content_hash
        upgraded = {r["article_id"]: r["cluster_id"] for r in s.event_records()}
    with Store(tmp_path / "fresh.duckdb") as fresh:
        fresh.add_many(items)
        assert {r["article_id"]: r["cluster_id"] for r in fresh.event_records()} == upgraded
    assert upgraded["copy"] == upgraded["original"] != upgraded["other"]


def test_texts_are_compared_not_titles(store: Store) -> None:
    a = coded("a", ORIGINAL)
    b = replace(a, article=Article(id="b", text=ORIGINAL, title="A different headline", source="X",
                                   published=date(2024, 2, 5)))  # fmt: skip
    store.add_many([a, b])
    assert duplicates(store)["b"] == (a.article.content_hash, 1.0)
