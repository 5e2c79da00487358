"""The Wikidata builder, on a small dump written here in the dump's own format: a JSON array,
one entity per line, each line but the last ending with a comma."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from communique.actors import load_registry
from communique.actors.officeholders import COLUMNS, load_holders
from communique.actors.wikidata import build_registry
from communique.cli import main

GREGORIAN = "http://www.wikidata.org/entity/Q1985727"


# ------------------------------------------------------------------ dump-format builders


def _item(qid: str) -> dict[str, Any]:
    return {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}


def _time(text: str, precision: int = 11) -> dict[str, Any]:
    return {"time": text, "timezone": 0, "before": 0, "after": 0, "precision": precision, "calendarmodel": GREGORIAN}


def _snak(pid: str, value: Any, snaktype: str = "value") -> dict[str, Any]:
    if snaktype != "value":
        return {"snaktype": snaktype, "property": pid, "hash": "0" * 40}
    if isinstance(value, str) and value.startswith("Q") and value[1:].isdigit():
        dv, datatype = {"value": _item(value), "type": "wikibase-entityid"}, "wikibase-item"
    elif isinstance(value, str):
        dv, datatype = {"value": value, "type": "string"}, "external-id"
    elif "time" in value:
        dv, datatype = {"value": value, "type": "time"}, "time"
    else:
        dv, datatype = {"value": value, "type": "monolingualtext"}, "monolingualtext"
    return {"snaktype": "value", "property": pid, "hash": "0" * 40, "datavalue": dv, "datatype": datatype}


def _claim(subject: str, pid: str, value: Any, *, rank: str = "normal",
           qualifiers: dict[str, Any] | None = None, n: int = 0) -> dict[str, Any]:
    st: dict[str, Any] = {"mainsnak": _snak(pid, value), "type": "statement",
                          "id": f"{subject}${pid}-{n}", "rank": rank}
    if qualifiers:
        st["qualifiers"] = {p: [v if isinstance(v, dict) and "snaktype" in v else _snak(p, v)]
                            for p, v in qualifiers.items()}
        st["qualifiers-order"] = list(qualifiers)
    return st


def _entity(qid: str, label: str | None, *claims: tuple[Any, ...], aliases: tuple[str, ...] = (),
            **kw: Any) -> dict[str, Any]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for n, (pid, value, *rest) in enumerate(claims):
        opts = rest[0] if rest else {}
        grouped.setdefault(pid, []).append(_claim(qid, pid, value, n=n, **opts))
    e: dict[str, Any] = {
        "type": "item", "id": qid,
        "labels": {"en": {"language": "en", "value": label}, "de": {"language": "de", "value": label}} if label else {},
        "descriptions": {},
        "aliases": {"en": [{"language": "en", "value": a} for a in aliases]} if aliases else {},
        "claims": grouped, "sitelinks": {}, "lastrevid": 1, **kw,
    }
    return e


def _held(position: str, start: str | None, end: Any = None, *, sp: int = 11, ep: int = 11,
          rank: str = "normal") -> tuple[str, str, dict[str, Any]]:
    q: dict[str, Any] = {}
    if start:
        q["P580"] = _time(start, sp)
    if isinstance(end, str):
        q["P582"] = _time(end, ep)
    elif end == "somevalue":
        q["P582"] = _snak("P582", None, "somevalue")
    return ("P39", position, {"qualifiers": q, "rank": rank})


def _human(qid: str, label: str, *held: tuple[Any, ...], aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    return _entity(qid, label, ("P31", "Q5"), ("P21", "Q6581097"), *held, aliases=aliases)


def _position(qid: str, label: str, *claims: tuple[Any, ...]) -> dict[str, Any]:
    return _entity(qid, label, ("P31", "Q4164871"), *claims)


POTUS = "Q11696"
ENTITIES: list[dict[str, Any] | str] = [
    # countries and a state
    _entity("Q30", "United States", ("P31", "Q3624078"), ("P298", "USA"), ("P297", "US")),
    _entity("Q183", "Germany", ("P31", "Q3624078"), ("P298", "DEU")),
    _entity("Q142", "France", ("P31", "Q3624078"), ("P298", "FRA")),
    _entity("Q1439", "Texas", ("P31", "Q35657"), ("P17", "Q30")),
    # people come before some of their positions: the dump is read once
    _human("Q76", "Barack Obama",
           ("P39", "Q4416090", {"qualifiers": {"P580": _time("+2005-01-03T00:00:00Z")}}),  # not an office mapped
           _held(POTUS, "+2009-01-20T00:00:00Z", "+2017-01-20T00:00:00Z"),
           aliases=("Barack Hussein Obama", "Obama", "barack obama")),
    _human("Q22686", "Donald Trump",
           _held(POTUS, "+2017-01-20T00:00:00Z", "+2021-01-20T00:00:00Z"),
           _held(POTUS, "+2025-01-20T00:00:00Z"),
           aliases=("Donald J. Trump", "Donald John Trump")),
    _human("Q6279", "Joe Biden", _held(POTUS, "+2021-01-20T00:00:00Z", "+2025-01-20T00:00:00Z"),
           aliases=("Joseph Robinette Biden",)),
    _human("Q6294", "Hillary Clinton",
           _held("Q14213", "+2009-01-00T00:00:00Z", "+2013-02-01T00:00:00Z", sp=10)),
    _human("Q193173", "Dean Acheson", _held("Q14213", "+1949-01-21T00:00:00Z")),  # end missing in the data
    _human("Q207520", "Warren Christopher",
           _held("Q14213", "+1993-01-20T00:00:00Z", "+1997-01-17T00:00:00Z")),  # before --since, still closes
    _human("Q2530", "Helmut Kohl", _held("Q4970706", "+1982-10-01T00:00:00Z", "+1998-10-27T00:00:00Z")),
    _human("Q2568", "Gerhard Schröder", _held("Q4970706", "+1998-10-27T00:00:00Z"),
           aliases=("Gerhard Fritz Kurt Schröder",)),
    _human("Q567", "Angela Merkel",
           _held("Q4970706", "+2005-11-22T00:00:00Z", "+2021-12-08T00:00:00Z"),
           _held("Q4970706", "+2005-01-01T00:00:00Z", rank="deprecated"),
           aliases=("Angela Dorothea Merkel", "Merkel")),
    _human("Q61053", "Olaf Scholz", _held("Q4970706", "+2021-12-08T00:00:00Z")),
    _human("Q89240", "Friedrich Merz", _held("Q4970706", "+2025-05-06T00:00:00Z")),
    _human("Q2423", "Christine Lambrecht",
           _held("Q56022", "+2021-00-00T00:00:00Z", "+2023-01-19T00:00:00Z", sp=9)),
    _human("Q100929", "Boris Pistorius", _held("Q56022", "+2023-01-19T00:00:00Z", "somevalue")),
    _human("Q3052772", "Emmanuel Macron",
           _held("Q191954", "+2017-05-14T00:00:00Z", "+2022-05-13T00:00:00Z"),
           _held("Q191954", "+2022-05-14T00:00:00Z")),
    _human("Q5569", "Greg Abbott", _held("Q3122436", "+2015-01-20T00:00:00Z")),
    _human("Q12000", "Robert Habeck", _held("Q561", "+2021-12-08T00:00:00Z", "+2025-05-06T00:00:00Z")),
    _human("Q55555", "Someone Undated", _held("Q56022", None, "+2020-01-01T00:00:00Z")),
    _entity("Q77777", "A Committee", ("P31", "Q43229"), _held(POTUS, "+2020-01-01T00:00:00Z")),
    '{"type":"item","id":"Q88888","claims":{"P39":[{"mainsnak"',  # cut off: not JSON
    # positions
    _position("Q14213", "United States Secretary of State", ("P279", "Q7330070"), ("P17", "Q30"),
              ("P1001", "Q30")),
    _position("Q4970706", "Federal Chancellor of Germany", ("P279", "Q2285706"), ("P17", "Q183"),
              ("P1001", "Q183")),
    _position("Q56022", "Federal Minister of Defence", ("P279", "Q3409203"), ("P17", "Q183")),
    _position("Q248577", "president of the republic", ("P279", "Q48352")),
    _position("Q191954", "President of the French Republic", ("P279", "Q248577"), ("P1001", "Q142")),
    _position("Q3122436", "Governor of Texas", ("P279", "Q2285706"), ("P17", "Q30"), ("P1001", "Q1439")),
    _position("Q561", "Vice-Chancellor of Germany", ("P279", "Q2285706"), ("P1001", "Q183")),
    # organisations
    _entity("Q999", "Example Council", ("P31", "Q484652"), aliases=("EXC",)),
    _entity("Q1000", "Other Council", ("P31", "Q484652"), aliases=("EXC", "Other Council of States")),
    _entity("Q1065", "United Nations", ("P31", "Q484652"), ("P1813", {"text": "UN", "language": "en"}),
            aliases=("UN", "U.N.", "United Nations Organisation")),
    _entity("Q7184", "NATO", ("P31", "Q245065"), aliases=("North Atlantic Treaty Organization", "Washington")),
    _entity("Q1473093", "International Coffee Organization", ("P31", "Q245065"),
            ("P1813", {"text": "ICO", "language": "en"}), aliases=("ICO", "coffee organization")),
    # the president's office comes last
    _position(POTUS, "President of the United States", ("P279", "Q48352"), ("P279", "Q2285706"),
              ("P17", "Q30"), ("P1001", "Q30")),
]


def dump_text() -> str:
    lines = [e if isinstance(e, str) else json.dumps(e, ensure_ascii=False, separators=(",", ":"))
             for e in ENTITIES]
    return "[\n" + ",\n".join(lines) + "\n]\n"


EXPECTED = [
    ["Gerhard Schröder", "Gerhard Fritz Kurt Schröder", "DEU", "chancellor", "GOV", "1998-10-27", "2005-11-22",
     "Q2568"],
    ["Angela Merkel", "Angela Dorothea Merkel", "DEU", "chancellor", "GOV", "2005-11-22", "2021-12-08", "Q567"],
    ["Olaf Scholz", "", "DEU", "chancellor", "GOV", "2021-12-08", "2025-05-06", "Q61053"],
    ["Friedrich Merz", "", "DEU", "chancellor", "GOV", "2025-05-06", "", "Q89240"],
    ["Christine Lambrecht", "", "DEU", "defence minister", "MIL", "2021", "2023-01-19", "Q2423"],
    ["Emmanuel Macron", "", "FRA", "president", "GOV", "2017-05-14", "", "Q3052772"],
    ["Barack Obama", "Barack Hussein Obama", "USA", "president", "GOV", "2009-01-20", "2017-01-20", "Q76"],
    ["Donald Trump", "Donald J. Trump|Donald John Trump", "USA", "president", "GOV", "2017-01-20", "2021-01-20",
     "Q22686"],
    ["Joe Biden", "Joseph Robinette Biden", "USA", "president", "GOV", "2021-01-20", "2025-01-20", "Q6279"],
    ["Donald Trump", "Donald J. Trump|Donald John Trump", "USA", "president", "GOV", "2025-01-20", "", "Q22686"],
    ["Hillary Clinton", "", "USA", "foreign minister", "GOV", "2009-01", "2013-02-01", "Q6294"],
]


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@pytest.fixture(params=["plain", "gzip", "bzip2"])
def dump(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    data = dump_text().encode("utf-8")
    if request.param == "plain":
        path = tmp_path / "latest-all.json"
        path.write_bytes(data)
    elif request.param == "gzip":
        path = tmp_path / "latest-all.json.gz"
        path.write_bytes(gzip.compress(data))
    else:
        path = tmp_path / "latest-all.json.bz2"
        path.write_bytes(bz2.compress(data))
    return path


def test_build_writes_the_exact_rows(dump: Path, tmp_path: Path) -> None:
    seen = []
    stats = build_registry(dump, tmp_path / "reg", progress=lambda s: seen.append(s.entities), every=10)
    rows = _read(tmp_path / "reg" / "officeholders.csv")
    assert rows[0] == COLUMNS
    assert rows[1:] == EXPECTED
    assert seen == [10, 20, 30]
    assert (stats.entities, stats.bad_lines, stats.rows, stats.people, stats.countries) == (36, 1, 11, 10, 3)
    assert stats.offices == 5  # POTUS, Secretary of State, Chancellor, Defence, French president
    assert stats.files == [tmp_path / "reg" / "officeholders.csv"]


def test_the_output_is_a_registry_the_pipeline_reads(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "reg"
    build_registry(dump, out)
    holders = load_holders(out)
    h = holders.find("Gerhard Schroder", date(2003, 3, 20))
    assert h is not None and (h.name, h.country, h.role, h.registry_id, h.current) == (
        "Gerhard Schröder", "DEU", "chancellor", "wikidata:Q2568", True)
    h = holders.find("Donald John Trump", date(2025, 6, 1))
    assert h is not None and (h.role, h.start, h.end) == ("president", date(2025, 1, 20), None)
    h = holders.find("Joe Biden", date(2015, 6, 1))  # the bundled vice-president term does not overlap: kept
    assert h is not None and (h.role, h.current) == ("vice president", True)
    h = holders.find("Hillary Clinton", date(2009, 1, 5))  # "2009-01" starts on the first of the month
    assert h is not None and h.role == "foreign minister" and h.current
    assert load_registry(out).lookup("Germany") is not None  # a folder of office holders only is a registry


def test_filters_since_and_countries(tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text(dump_text(), encoding="utf-8")
    build_registry(path, tmp_path / "a", since=date(2021, 1, 1), countries=["usa", "FRA"])
    assert [(r[0], r[5]) for r in _read(tmp_path / "a" / "officeholders.csv")[1:]] == [
        ("Emmanuel Macron", "2017-05-14"), ("Donald Trump", "2017-01-20"), ("Joe Biden", "2021-01-20"),
        ("Donald Trump", "2025-01-20"),
    ]


def test_reads_standard_input_and_rejects_bad_country_codes(tmp_path: Path) -> None:
    stats = build_registry(io.BytesIO(gzip.compress(dump_text().encode())), tmp_path / "s", countries=["DEU"])
    assert stats.rows == 5
    from communique.errors import DataFileError

    with pytest.raises(DataFileError, match="US"):
        build_registry(io.BytesIO(b"[\n]\n"), tmp_path / "t", countries=["US"])


def test_igos(tmp_path: Path) -> None:
    path = tmp_path / "dump.json.gz"
    path.write_bytes(gzip.compress(dump_text().encode()))
    stats = build_registry(path, tmp_path / "reg", igos=True)
    assert _read(tmp_path / "reg" / "igos.csv") == [
        ["code", "name", "aliases", "kind", "part_of"],
        ["Q999", "Example Council", "", "IGO", ""],
        ["Q1000", "Other Council", "Other Council of States", "IGO", ""],
        ["UN", "United Nations", "UN|U.N.|United Nations Organization|United Nations Organisation", "IGO", ""],
        ["NATO", "North Atlantic Treaty Organization",
         "NATO|Nato|N.A.T.O.|North Atlantic Treaty Organisation|Atlantic alliance|North Atlantic alliance", "IGO", ""],
        ["ICO", "International Coffee Organization", "ICO", "IGO", ""],
    ]
    assert stats.igos == 5
    reg = load_registry(tmp_path / "reg")  # passes the registry's own check
    for phrase, code in [("ICO", "ICO"), ("United Nations Organisation", "UN"), ("Nato", "NATO"),
                         ("Other Council of States", "Q1000")]:
        e = reg.lookup(phrase)
        assert e is not None and (e.kind, e.igo) == ("igo", code), phrase
    assert reg.lookup("EXC") is None  # two organisations share it
    w = reg.lookup("Washington")
    assert w is not None and w.country == "USA"


def test_cli_build_show_check(tmp_path: Path) -> None:
    path = tmp_path / "latest-all.json.gz"
    path.write_bytes(gzip.compress(dump_text().encode()))
    out = tmp_path / "reg"
    runner = CliRunner()
    r = runner.invoke(main, ["registry", "build-wikidata", str(path), "--out", str(out), "--countries", "DEU,USA",
                             "--since", "2000-01-01"])
    assert r.exit_code == 0, r.output
    assert len(_read(out / "officeholders.csv")) == 1 + 10
    assert "10 terms of 9 people" in r.stderr
    r = runner.invoke(main, ["registry", "show", "Olaf Scholz", "--date", "2023-05-01", "--registry", str(out)])
    assert r.exit_code == 0, r.output
    assert "chancellor" in r.stdout and "DEU" in r.stdout and "wikidata:Q61053" in r.stdout
    r = runner.invoke(main, ["registry", "check", str(out)])
    assert r.exit_code == 0, r.output
    assert "officeholders.csv: 10 rows" in r.stdout
    r = runner.invoke(main, ["registry", "build-wikidata", str(path), "--out", str(out), "--countries", "DEUX"])
    assert r.exit_code == 2


def test_registry_commands_are_documented() -> None:
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = main.commands["registry"]
    assert isinstance(group, click.Group)
    for name, cmd in group.commands.items():
        assert f"communique registry {name}" in readme
        for p in cmd.params:
            for opt in getattr(p, "opts", ()):
                assert not opt.startswith("--") or opt in readme, f"registry {name} {opt}"
