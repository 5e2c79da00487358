"""`communique events`: the analyst's filters, the CSV columns, and codes that name nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from communique.cli import main
from communique.store import EVENT_COLUMNS, Store

from .test_clusters import CORPUS


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("events") / "e.duckdb"
    with Store(path) as s:
        s.add_many(CORPUS)
    return path


def events(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["events", "--db", str(db), *args])


def csv_rows(db: Path, *args: str) -> list[dict[str, str]]:
    r = events(db, "--format", "csv", *args)
    assert r.exit_code == 0, r.output
    return list(csv.DictReader(io.StringIO(r.stdout)))


def test_csv_has_the_analysts_columns(db: Path) -> None:
    r = events(db, "--format", "csv")
    header = r.stdout.splitlines()[0].split(",")
    assert header == list(EVENT_COLUMNS)
    assert {"cluster_id", "goldstein", "tone", "contexts", "outlet", "actor_name", "recipient_country"} <= set(header)
    rows = csv_rows(db)
    assert len(rows) == 6
    by_article = {r["article_id"]: r for r in rows}
    visit = by_article["visit-wire"]
    assert (visit["actor_country"], visit["recipient_country"], visit["outlet"], visit["mode"]) == (
        "KEN", "ETH", "Wire", "visit")
    assert visit["location_country"] == "ETH" and visit["location_name"] == "Addis Ababa"
    # the two reports of the Mandera attack share a cluster; the Lamu ambush is another one
    clusters = {a: by_article[a]["cluster_id"] for a in ("attack-mandera", "attack-mandera-2", "attack-lamu")}
    assert clusters["attack-mandera"] == clusters["attack-mandera-2"] != clusters["attack-lamu"]
    assert all(len(c) == 16 for c in clusters.values())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--actor", "SOM"], ["attack-lamu", "attack-mandera", "attack-mandera-2"]),
        (["--recipient", "SOM"], []),
        (["--recipient", "ken", "--type", "assault"], ["attack-lamu", "attack-mandera", "attack-mandera-2"]),
        (["--involving", "ETH", "--mode", "phone"], ["phone-call"]),
        (["--actor", "ETH"], ["visit-daily"]),
        (["--place-country", "ETH"], ["visit-wire"]),
        (["--factuality", "negated"], []),
        (["--involving", "KEN", "--newest-first", "--limit", "2"], ["attack-mandera-2", "attack-mandera"]),
    ],
)  # fmt: skip
def test_filters(db: Path, args: list[str], expected: list[str]) -> None:
    assert [r["article_id"] for r in csv_rows(db, *args)] == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--actor", "China"], "China: not a country or IGO code for the actor; did you mean CHN (China)?"),
        (["--recipient", "Kenya"], "did you mean KEN (Kenya)?"),
        (["--place-country", "ETHIOPIA"], "did you mean ETH (Ethiopia)?"),
        (["--type", "ATACK"], "not a PLOVER event type"),
        (["--mode", "phonecall"], "did you mean phone?"),
        (["--factuality", "true"], "not a factuality value"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_unknown_codes_are_usage_errors(db: Path, args: list[str], message: str, fmt: str) -> None:
    r = events(db, "--format", fmt, *args)
    assert r.exit_code == 2
    assert message in r.stderr and "Traceback" not in r.output
    assert r.stdout == ""  # nothing printed before the error, not even a CSV header


def test_table_counts_and_a_real_code_without_events(db: Path) -> None:
    r = events(db, "--actor", "USA")
    assert r.exit_code == 0 and "(no events)" in r.stdout and "0 event(s)" in r.stderr
    r = events(db, "--involving", "SOM")
    assert r.exit_code == 0 and "3 event(s)" in r.stderr and "Al-Shabaab militants [SOM" in r.stdout
