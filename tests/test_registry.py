"""The actor registry: lookups, roles, user files and the integrity of the bundled data."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from communique.actors import Entry, Registry, Role, load_registry
from communique.actors.registry import DATA_DIR, SECTORS
from communique.errors import DataFileError


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


# ------------------------------------------------------------------ lookups


@pytest.mark.parametrize(
    "phrase, kind, country, igo, sector, registry_id",
    [
        ("Chinese", "demonym", "CHN", None, None, "demonym:CHN"),
        ("Filipinos", "demonym", "PHL", None, None, "demonym:PHL"),
        ("Philippine", "demonym", "PHL", None, None, "demonym:PHL"),
        ("Washington", "capital", "USA", None, "GOV", "capital:USA"),
        ("Washington, D.C.", "capital", "USA", None, "GOV", "capital:USA"),
        ("Manila", "capital", "PHL", None, "GOV", "capital:PHL"),
        ("Jerusalem", "capital", "ISR", None, "GOV", "capital:ISR"),
        ("Ramallah", "capital", "PSE", None, "GOV", "capital:PSE"),
        ("the Kremlin", "metonym", "RUS", None, "GOV", "metonym:kremlin"),
        ("The Kremlin", "metonym", "RUS", None, "GOV", "metonym:kremlin"),
        ("Pentagon", "metonym", "USA", None, "MIL", "metonym:pentagon"),
        ("Capitol Hill", "metonym", "USA", None, "LEG", "metonym:capitol-hill"),
        ("Elysee", "metonym", "FRA", None, "GOV", "metonym:elysee"),
        ("APEC", "igo", None, "APEC", None, "igo:APEC"),
        ("Asia-Pacific Economic Cooperation", "igo", None, "APEC", None, "igo:APEC"),
        ("Group of 20", "igo", None, "G20", None, "igo:G20"),
        ("G-20", "igo", None, "G20", None, "igo:G20"),
        ("U.N.", "igo", None, "UN", None, "igo:UN"),
        ("Nato", "igo", None, "NATO", None, "igo:NATO"),
        ("Amnesty International", "igo", None, "AMNESTY", "NGO", "igo:AMNESTY"),
        ("US", "country", "USA", None, None, "country:USA"),
        ("U.S.", "country", "USA", None, None, "country:USA"),
        ("the United States", "country", "USA", None, None, "country:USA"),
        ("the States", "country", "USA", None, None, "country:USA"),
        ("UK", "country", "GBR", None, None, "country:GBR"),
        ("Britain", "country", "GBR", None, None, "country:GBR"),
        ("PRC", "country", "CHN", None, None, "country:CHN"),
        ("Burma", "country", "MMR", None, None, "country:MMR"),
        ("Holland", "country", "NLD", None, None, "country:NLD"),
        ("CHINA", "country", "CHN", None, None, "country:CHN"),
        ("Côte d\u2019Ivoire", "country", "CIV", None, None, "country:CIV"),
        ("DRC", "country", "COD", None, None, "country:COD"),
        ("Congolese", "demonym", "COD", None, None, "demonym:COD"),
        ("Congo-Brazzaville", "country", "COG", None, None, "country:COG"),
        ("Kuwait", "country", "KWT", None, None, "country:KWT"),
        ("Hamas", "group", "PSE", None, "REB", "group:hamas"),
        ("Ansar Allah", "group", "YEM", None, "REB", "group:houthis"),
        ("ISIL", "group", None, "IMG", "REB", "group:islamic-state"),
        ("Al-Qaeda", "group", None, "IMG", "REB", "group:al-qaeda"),
        ("Reuters", "group", "GBR", None, "JRN", "group:reuters"),
        ("Tanjug", "group", "SRB", None, "JRN", "group:tanjug"),  # the agencies wire stories cite
        ("MENA", "group", "EGY", None, "JRN", "group:middle-east-news-agency"),
        ("Bosnian Serbs", "demonym", "BIH", None, None, "demonym:BIH"),  # a community where it lives
        ("Taleban", "group", "AFG", None, "REB", "group:taliban"),  # the spelling wires used in the 1990s
        ("Itar-Tass", "group", "RUS", None, "JRN", "group:tass"),
        ("Khmer Rouge", "group", "KHM", None, "REB", "group:khmer-rouge"),
        ("SLORC", "group", "MMR", None, "GOV", "group:state-law-and-order-restoration-council"),
    ],
)
def test_lookup(
    reg: Registry, phrase: str, kind: str, country: str | None, igo: str | None, sector: str | None,
    registry_id: str,
) -> None:
    e = reg.lookup(phrase)
    assert e is not None
    assert (e.kind, e.country, e.igo, e.sector, e.registry_id) == (kind, country, igo, sector, registry_id)


@pytest.mark.parametrize(
    "phrase", ["us", "Us", "who", "is", "care", "Let", "china", "turkey", "polish", "States", "Tel Aviv", ""]
)
def test_lookup_misses(reg: Registry, phrase: str) -> None:
    assert reg.lookup(phrase) is None


def test_entry_names(reg: Registry) -> None:
    assert reg.lookup("America") == Entry("United States", "country", "USA", None, None, "country:USA")
    assert reg.lookup("Peking") == Entry("Beijing", "capital", "CHN", None, "GOV", "capital:CHN")


@pytest.mark.parametrize(
    "phrase, sector, role",
    [
        ("foreign minister", "GOV", "foreign minister"),
        ("Foreign Minister", "GOV", "foreign minister"),
        ("secretary of state", "GOV", "secretary of state"),
        ("defense minister", "MIL", "defence minister"),
        ("coastguard", "MIL", "coastguard"),
        ("coast guard", "MIL", "coastguard"),
        ("the police", "COP", "police"),
        ("lawmakers", "LEG", "lawmaker"),
        ("protesters", "CVL", "protesters"),
        ("news agency", "JRN", "news agency"),
        ("rebels", "REB", "rebels"),
    ],
)
def test_role(reg: Registry, phrase: str, sector: str, role: str) -> None:
    r = reg.role(phrase)
    assert r is not None
    assert (r.sector, r.role) == (sector, role)


def test_role_miss(reg: Registry) -> None:
    assert reg.role("banana") is None


def test_phrases_and_roles_iterate(reg: Registry) -> None:
    pairs = dict(reg.phrases())
    assert pairs["White House"].registry_id == "metonym:white-house"
    assert pairs["People\u2019s Republic of China"].country == "CHN"
    assert all(isinstance(r, Role) for r in reg.role_phrases())
    assert reg.max_phrase_tokens >= 5


def test_country_info(reg: Registry) -> None:
    usa = reg.country("USA")
    assert usa is not None
    assert (usa.iso2, usa.name, usa.capitals[0]) == ("US", "United States", "Washington")
    assert usa.capital_lat == pytest.approx(38.90, abs=0.05)
    assert usa.capital_lon == pytest.approx(-77.04, abs=0.05)
    assert reg.country("XXX") is None
    igo = reg.igo("ICRC")
    assert igo is not None and igo.kind == "NGO"


def test_default_is_cached() -> None:
    assert load_registry() is load_registry()


# ------------------------------------------------------------------ user files


def _write(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_user_file_extends_and_overrides(tmp_path: Path) -> None:
    _write(tmp_path / "groups.csv", "name,aliases,country,sector,igo",
           "Example Front,ExFront,PHL,REB,", "Hamas,,PSE,PTY,")
    _write(tmp_path / "metonyms.csv", "phrase,country,sector", "Malacañang Palace,PHL,GOV")
    _write(tmp_path / "roles.csv", "phrase,sector,role", "# a comment", "coastguard,COP,coastguard")
    reg = load_registry(tmp_path)
    ex = reg.lookup("ExFront")
    assert ex is not None and (ex.name, ex.country, ex.sector) == ("Example Front", "PHL", "REB")
    hamas = reg.lookup("Hamas")
    assert hamas is not None and hamas.sector == "PTY"
    assert reg.lookup("Islamic Resistance Movement") is None  # the replaced row's aliases are gone
    mal = reg.lookup("Malacañang Palace")
    assert mal is not None and mal.registry_id == "metonym:malacanang-palace"
    coast = reg.role("coastguard")
    assert coast is not None and coast.sector == "COP"
    assert reg.lookup("Chinese") == load_registry().lookup("Chinese")  # defaults kept
    assert load_registry().role("coastguard") == Role("coastguard", "MIL", "coastguard")


def test_user_alias_wins_over_bundled(tmp_path: Path) -> None:
    _write(tmp_path / "groups.csv", "name,aliases,country,sector,igo", "Congo Militia,Congo,COG,REB,")
    e = load_registry(tmp_path / "groups.csv").lookup("Congo")
    assert e is not None and e.country == "COG"


@pytest.mark.parametrize(
    "name, header, row, message",
    [
        ("groups.csv", "name,aliases,country,sector", "X,,USA,REB", "columns"),
        ("groups.csv", "name,aliases,country,sector,igo", "X,,usa,REB,", "ISO 3166"),
        ("groups.csv", "name,aliases,country,sector,igo", "X,,ZZZ,REB,", "not in countries.csv"),
        ("groups.csv", "name,aliases,country,sector,igo", "X,,USA,HLH,", "unknown sector"),
        ("groups.csv", "name,aliases,country,sector,igo", "X,,,REB,", "needs a country"),
        ("groups.csv", "name,aliases,country,sector,igo", "X,,USA,REB", "values for"),
        ("metonyms.csv", "phrase,country,sector", "Big House,RU,GOV", "ISO 3166"),
        ("roles.csv", "phrase,sector,role", "Field Marshal,MIL,marshal", "lower case"),
        ("igos.csv", "code,name,aliases,kind", "XO,Example Org,,CLUB", "kind"),
        ("countries.csv", "iso3,iso2,name,aliases,adjectives,people,capitals,lat,lon,capital_lat,capital_lon",
         "XXA,XA,Atlantis,,,,,95,0,,", "outside"),
        ("countries.csv", "iso3,iso2,name,aliases,adjectives,people,capitals,lat,lon,capital_lat,capital_lon",
         "XX1,XA,Atlantis,,,,,10,0,,", "iso3"),
    ],
)
def test_bad_user_file(tmp_path: Path, name: str, header: str, row: str, message: str) -> None:
    path = _write(tmp_path / name, header, row)
    with pytest.raises(DataFileError, match=message) as info:
        load_registry(path)
    assert f"{path}:" in str(info.value)


def test_conflicting_alias_in_user_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "groups.csv", "name,aliases,country,sector,igo",
                  "Alpha Front,The Front,USA,REB,", "Beta Front,The Front,GBR,REB,")
    with pytest.raises(DataFileError, match=r"groups\.csv:3: 'The Front' names group:beta-front"):
        load_registry(path)


def test_duplicate_key_in_user_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "roles.csv", "phrase,sector,role", "warlord,REB,warlord", "warlord,CRM,warlord")
    with pytest.raises(DataFileError, match="duplicate role phrase 'warlord'"):
        load_registry(path)


def test_bad_user_path(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no such file"):
        load_registry(tmp_path / "missing")
    with pytest.raises(DataFileError, match="unknown registry file name"):
        load_registry(_write(tmp_path / "people.csv", "a,b"))
    with pytest.raises(DataFileError, match="no registry file"):
        load_registry(tmp_path)


# ------------------------------------------------------------------ bundled data integrity


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_countries_are_complete_and_unique() -> None:
    rows = _rows("countries.csv")
    iso3 = [r["iso3"] for r in rows]
    iso2 = [r["iso2"] for r in rows]
    assert len(rows) >= 250
    assert len(set(iso3)) == len(iso3)
    assert len(set(iso2)) == len(iso2)
    assert {"PSE", "XKX", "TWN", "USA", "CHN", "RUS"} <= set(iso3)


def test_coordinates_in_range() -> None:
    for r in _rows("countries.csv"):
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r["iso3"]
        if r["capital_lat"]:
            assert -90 <= float(r["capital_lat"]) <= 90, r["iso3"]
            assert -180 <= float(r["capital_lon"]) <= 180, r["iso3"]
        assert bool(r["capital_lat"]) or not r["capitals"], f"{r['iso3']} lists a capital without coordinates"


def test_capitals_near_centroids() -> None:
    """Catches a swapped sign or lat/lon: a capital lies within 2,500 km of its
    country's centroid, except in the largest countries."""
    from math import asin, cos, radians, sin, sqrt

    def km(a: float, b: float, c: float, d: float) -> float:
        a, b, c, d = map(radians, (a, b, c, d))
        return 12742 * asin(sqrt(sin((c - a) / 2) ** 2 + cos(a) * cos(c) * sin((d - b) / 2) ** 2))

    far = {r["iso3"] for r in _rows("countries.csv") if r["capital_lat"]
           and km(float(r["lat"]), float(r["lon"]), float(r["capital_lat"]), float(r["capital_lon"])) > 2500}
    assert far == {"RUS"}


def test_no_alias_names_two_countries() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for r in _rows("countries.csv"):
        for col in ("name", "aliases", "adjectives", "people", "capitals"):
            for s in filter(None, r[col].split("|")):
                owners[s.strip().casefold()].add(r["iso3"])
    shared = {s: c for s, c in owners.items() if len(c) > 1}
    assert shared == {}


def test_sectors_are_known() -> None:
    for name in ("roles.csv", "groups.csv", "metonyms.csv"):
        for r in _rows(name):
            assert r["sector"] in SECTORS, (name, r)


def test_counts() -> None:
    assert len(_rows("igos.csv")) >= 80
    assert len(_rows("groups.csv")) >= 40
    assert len(_rows("roles.csv")) >= 150
    assert len(_rows("metonyms.csv")) >= 30
