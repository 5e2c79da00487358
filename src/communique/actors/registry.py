"""The actor registry: names, aliases, demonyms, capitals, metonyms, IGOs, groups and roles.

The registry is data (``actors/data/*.csv``, described in ``data/README.md``); this
module reads it, checks it and answers two questions in O(1):

* :meth:`Registry.lookup` — what does a surface phrase ("Chinese", "the Kremlin",
  "APEC", "Hamas") refer to? An :class:`Entry` with country / IGO / sector codes.
* :meth:`Registry.role` — what does a title or descriptor ("foreign minister",
  "coastguard", "protesters") say about an actor? A :class:`Role` with a PLOVER sector.

Case rules for :meth:`Registry.lookup`:

1. the exact surface form wins ("US" is the United States);
2. otherwise a case-insensitive match, except that
   * an abbreviation — a surface form all in capitals ("US", "IS", "WHO", "NATO",
     "CARE") or one word mostly in capitals ("LeT", "BiH") — only ever matches
     exactly, so "us", "Us", "who", "care" and "Let" find nothing;
   * an all-lower-case query does not match a capitalised surface form: proper
     names are capitalised in English, so "turkey", "polish" and "china" are words,
     not countries; "CHINA" and "The Kremlin" still match;
3. a leading "the " is dropped and 1–2 are tried again ("the Kremlin").

Curly apostrophes and quotes are read as straight ones; spaces are collapsed.
Possessives ("Manila's") are the caller's job.

Users extend or override the bundled data with :func:`load_registry(extra)`: a
directory holding any of the five files, or one of them, in the same format. A
user row replaces the bundled row with the same key (ISO3, IGO code, group name,
first metonym phrase, role phrase), and a user surface form wins over a bundled one.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from communique.errors import DataFileError

__all__ = [
    "CLASS_CODES",
    "CountryInfo",
    "Entry",
    "IgoInfo",
    "KINDS",
    "Registry",
    "Role",
    "SECTORS",
    "load_registry",
]

DATA_DIR = Path(__file__).parent / "data"

#: PLOVER sector codes (manual, "Sector Codes"), plus IGO and NGO for descriptors
#: ("aid group", "secretary-general") that point at a transnational actor class.
#: PLOVER's media code is JRN; MED is health (CAMEO's MED/HLH were renamed).
SECTORS = frozenset(
    {
        "COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK",
        "AGR", "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP",
        "PRE", "REL", "SOC",
        "IGO", "NGO",
    }
)  # fmt: skip

#: PLOVER's generic transnational codes; usable in ``groups.csv``'s igo column.
CLASS_CODES = frozenset({"IGO", "NGO", "ISM", "IMG", "MNC"})

#: Entry kinds, in the order that wins when one phrase names two entries of one country.
KINDS = ("country", "capital", "demonym", "igo", "metonym", "group")

_IGO_KINDS = {"IGO": None, "NGO": "NGO", "MNC": "BUS"}  # igos.csv kind -> Entry.sector

_COLUMNS: dict[str, tuple[str, ...]] = {
    "countries.csv": (
        "iso3", "iso2", "name", "aliases", "adjectives", "people", "capitals",
        "lat", "lon", "capital_lat", "capital_lon",
    ),
    "igos.csv": ("code", "name", "aliases", "kind"),
    "metonyms.csv": ("phrase", "country", "sector"),
    "roles.csv": ("phrase", "sector", "role"),
    "groups.csv": ("name", "aliases", "country", "sector", "igo"),
}  # fmt: skip
FILES = tuple(_COLUMNS)
#: Columns a file may have but need not (older user files lack them).
_OPTIONAL: dict[str, tuple[str, ...]] = {"igos.csv": ("part_of",)}

_ISO3 = re.compile(r"[A-Z]{3}")
_ISO2 = re.compile(r"[A-Z]{2}")
_IGO_CODE = re.compile(r"[A-Z][A-Z0-9]{1,15}")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_TRANSLATE = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
     "\u2010": "-", "\u2011": "-", "\u00a0": " "}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing a phrase can refer to.

    ``sector`` is the PLOVER sector the phrase itself carries: GOV for a capital,
    the row's sector for a metonym or group, None for a country or demonym (the
    phrase says which country, not which part of it)."""

    name: str
    kind: str
    country: str | None
    igo: str | None
    sector: str | None
    registry_id: str


@dataclass(frozen=True, slots=True)
class Role:
    """A title or descriptor: ``phrase`` as written in roles.csv, its sector and normalised role."""

    phrase: str
    sector: str
    role: str


@dataclass(frozen=True, slots=True)
class CountryInfo:
    """A full row of countries.csv. Capital coordinates are None where there is no capital."""

    iso3: str
    iso2: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    people: tuple[str, ...]
    capitals: tuple[str, ...]
    lat: float
    lon: float
    capital_lat: float | None
    capital_lon: float | None


@dataclass(frozen=True, slots=True)
class IgoInfo:
    """A row of igos.csv: ``kind`` is IGO, NGO or MNC. ``part_of`` is the code of the
    organisation this body is an organ of (UNSC -> UN), which is the code it is coded with."""

    code: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    part_of: str | None = None

    @property
    def org(self) -> str:
        """The code actors of this body carry: the parent organisation's, else its own."""
        return self.part_of or self.code


def normalize(phrase: str) -> str:
    """The form phrases are compared in: NFC, straight apostrophes, single spaces."""
    return " ".join(unicodedata.normalize("NFC", phrase).translate(_TRANSLATE).split())


def _is_abbreviation(surface: str) -> bool:
    """All capitals ("US", "G-20", "MI6"), or one word mostly in capitals ("BiH", "LeT", "AfDB")."""
    letters = [c for c in surface if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if not letters:
        return False
    return upper == len(letters) or (upper >= 2 and 2 * upper >= len(letters) and " " not in surface)


def _has_upper(s: str) -> bool:
    return any(c.isupper() for c in s)


def _slug(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", normalize(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p for p in (normalize(x) for x in cell.split("|")) if p)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class _Row:
    where: str  # "path:line"
    layer: int  # 0 bundled, 1 user
    cells: dict[str, str]


def _read(path: Path, layer: int) -> list[_Row]:
    """Rows of one CSV file with their line numbers; ``#`` lines and blank lines are skipped."""
    expected = _COLUMNS[path.name]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(f"{path}: cannot be read ({e}); registry files are UTF-8 CSV") from e
    lines = ["\n" if ln.lstrip().startswith("#") else ln for ln in text.splitlines(keepends=True)]
    reader = csv.reader(lines)
    header: list[str] | None = None
    rows: list[_Row] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        where = f"{path}:{reader.line_num}"
        if header is None:
            header = [c.strip() for c in cells]
            optional = _OPTIONAL.get(path.name, ())
            if sorted(h for h in header if h not in optional) != sorted(expected) or len(set(header)) < len(header):
                more = f" (optionally also {','.join(optional)})" if optional else ""
                raise DataFileError(
                    f"{where}: columns are {','.join(header)}; {path.name} needs exactly {','.join(expected)}{more}"
                )
            continue
        if len(cells) != len(header):
            raise DataFileError(
                f"{where}: {len(cells)} values for {len(header)} columns; quote cells that contain commas"
            )
        rows.append(_Row(where, layer, {k: v.strip() for k, v in zip(header, cells, strict=True)}))
    if header is None:
        raise DataFileError(f"{path}: empty file; the first row must name the columns {','.join(expected)}")
    return rows


def _sources(extra: Path | None) -> dict[str, list[_Row]]:
    """Rows per file name: the bundled rows, then the user's (layer 1)."""
    out: dict[str, list[_Row]] = {name: _read(DATA_DIR / name, 0) for name in FILES}
    if extra is None:
        return out
    extra = Path(extra)
    if extra.is_dir():
        found = [extra / name for name in FILES if (extra / name).is_file()]
        if not found and not (extra / "officeholders.csv").is_file():
            raise DataFileError(f"{extra}: no registry file in this directory; name them {', '.join(FILES)}"
                                " or officeholders.csv")
    elif extra.is_file():
        if extra.name == "officeholders.csv":  # read by actors/officeholders.py (load_holders)
            return out
        if extra.name not in _COLUMNS:
            raise DataFileError(f"{extra}: unknown registry file name; use one of {', '.join(FILES)}")
        found = [extra]
    else:
        raise DataFileError(f"{extra}: no such file or directory")
    for path in found:
        out[path.name] = out[path.name] + _read(path, 1)
    return out


def _overlay(rows: Iterable[_Row], key: Callable[[_Row], str], what: str) -> list[_Row]:
    """One row per key: a user row replaces the bundled one; two rows of one layer are an error."""
    chosen: dict[str, _Row] = {}
    for row in rows:
        k = key(row)
        old = chosen.get(k)
        if old is not None and old.layer == row.layer:
            raise DataFileError(
                f"{row.where}: duplicate {what} {k!r} (first at {old.where}); merge the two rows"
            )
        chosen[k] = row
    return list(chosen.values())


def _first_phrase(row: _Row) -> str:
    phrases = _split(row.cells["phrase"])
    if not phrases:
        raise DataFileError(f"{row.where}: phrase is empty")
    return _slug(phrases[0])


def _float(row: _Row, col: str, lo: float, hi: float) -> float:
    v = row.cells[col]
    try:
        x = float(v)
    except ValueError:
        raise DataFileError(f"{row.where}: {col} {v!r} is not a number") from None
    if not lo <= x <= hi:
        raise DataFileError(f"{row.where}: {col} {x} is outside [{lo}, {hi}]")
    return x


def _opt_float(row: _Row, col: str, lo: float, hi: float) -> float | None:
    return _float(row, col, lo, hi) if row.cells[col] else None


def _sector(row: _Row, col: str = "sector", default: str | None = None) -> str:
    v = row.cells[col] or default
    if v is None:
        raise DataFileError(f"{row.where}: {col} is empty; give a PLOVER sector code")
    if v not in SECTORS:
        raise DataFileError(f"{row.where}: unknown sector {v!r}; use one of {', '.join(sorted(SECTORS))}")
    return v


def _country_ref(row: _Row, countries: dict[str, CountryInfo], *, optional: bool = False) -> str | None:
    v = row.cells["country"]
    if not v and optional:
        return None
    if not _ISO3.fullmatch(v):
        raise DataFileError(f"{row.where}: country {v!r} is not an ISO 3166 alpha-3 code (three capitals)")
    if v not in countries:
        raise DataFileError(f"{row.where}: country {v!r} is not in countries.csv; add the country first")
    return v


def _need(row: _Row, col: str) -> str:
    v = normalize(row.cells[col])
    if not v:
        raise DataFileError(f"{row.where}: {col} is empty")
    return v


# --------------------------------------------------------------------------- building


class Registry:
    """Lookup tables built from the registry files; build one with :func:`load_registry`."""

    max_phrase_tokens: int

    def __init__(
        self,
        surfaces: Iterable[tuple[str, Entry, int, str]],
        roles: Iterable[Role],
        countries: dict[str, CountryInfo],
        igos: dict[str, IgoInfo],
    ) -> None:
        """``surfaces`` are (surface, entry, layer, where); a higher layer wins a clash."""
        exact: dict[str, tuple[Entry, int, str]] = {}
        for surface, entry, layer, where in surfaces:
            key = normalize(surface)
            old = exact.get(key)
            if old is None or layer > old[1]:
                exact[key] = (entry, layer, where)
            elif layer == old[1] and old[0] != entry:
                exact[key] = (self._resolve(key, old, (entry, layer, where)), layer, old[2])
        # case-insensitive index: (entry, query_needs_upper); abbreviations are exact-only
        folded: dict[str, tuple[Entry, bool, int, str, str]] = {}
        for key, (entry, layer, where) in exact.items():
            if _is_abbreviation(key):
                continue
            fkey = key.casefold()
            needs_upper = _has_upper(key)
            old_f = folded.get(fkey)
            if old_f is None or layer > old_f[2]:
                folded[fkey] = (entry, needs_upper, layer, where, key)
            elif old_f[0] == entry:
                folded[fkey] = (entry, old_f[1] and needs_upper, layer, old_f[3], old_f[4])
            elif layer == old_f[2]:
                raise DataFileError(
                    f"{where}: {key!r} and {old_f[4]!r} ({old_f[3]}) differ only in case but name "
                    f"{entry.registry_id} and {old_f[0].registry_id}; keep one"
                )
        self._exact: dict[str, Entry] = {k: v[0] for k, v in exact.items()}
        self._folded: dict[str, tuple[Entry, bool]] = {k: (v[0], v[1]) for k, v in folded.items()}
        self._roles: dict[str, Role] = {normalize(r.phrase).lower(): r for r in roles}
        self._countries = countries
        self._igos = igos
        self._igo_prefixes: dict[str, str] = {}  # lower-case code, name or alias of an IGO -> its org code
        for ig in igos.values():
            if ig.kind == "IGO":
                for s in (ig.code, ig.name, *ig.aliases):
                    self._igo_prefixes.setdefault(normalize(s).lower().replace(".", ""), ig.org)
        self.max_phrase_tokens = max(
            (len(_TOKEN.findall(p)) for p in [*self._exact, *self._roles]), default=0
        )

    @staticmethod
    def _resolve(key: str, a: tuple[Entry, int, str], b: tuple[Entry, int, str]) -> Entry:
        """Same surface, same layer: a country's own name beats its capital and demonym;
        anything else is ambiguous and must be fixed in the data."""
        ea, eb = a[0], b[0]
        own = ("country", "capital", "demonym")
        if ea.country and ea.country == eb.country and ea.kind in own and eb.kind in own:
            return ea if own.index(ea.kind) <= own.index(eb.kind) else eb
        raise DataFileError(
            f"{b[2]}: {key!r} names {eb.registry_id} here and {ea.registry_id} at {a[2]}; "
            "an alias must name one thing: drop it from one row"
        )

    # -------------------------------------------------------------- queries

    def lookup(self, phrase: str) -> Entry | None:
        """The entry a surface phrase names, or None (see the module docstring for case rules)."""
        entry = self._exact.get(phrase)  # the common case: already in normal form
        if entry is not None:
            return entry
        s = normalize(phrase)
        hit = self._find(s)
        if hit is None and s[:4].lower() == "the ":
            hit = self._find(s[4:])
        return hit

    def _find(self, s: str) -> Entry | None:
        entry = self._exact.get(s)
        if entry is not None:
            return entry
        hit = self._folded.get(s.casefold())
        if hit is not None and (not hit[1] or _has_upper(s)):
            return hit[0]
        return None

    def role(self, phrase: str) -> Role | None:
        """The role a title or descriptor gives ("Foreign Minister" -> GOV foreign minister)."""
        s = normalize(phrase).lower()
        r = self._roles.get(s)
        if r is None and s.startswith("the "):
            r = self._roles.get(s[4:])
        return r

    def phrases(self) -> Iterator[tuple[str, Entry]]:
        """Every (surface phrase, entry) pair, for building a phrase matcher.

        Surfaces with an apostrophe come twice, straight and curly (’). Case
        rules are the matcher's to apply: match abbreviations on exact text."""
        for surface, entry in self._exact.items():
            yield surface, entry
            if "'" in surface:
                yield surface.replace("'", "\u2019"), entry

    def role_phrases(self) -> Iterator[Role]:
        """Every role, one per phrase (lower case)."""
        yield from self._roles.values()

    def country(self, iso3: str) -> CountryInfo | None:
        """The full countries.csv row for an ISO 3166 alpha-3 code."""
        return self._countries.get(iso3)

    def countries(self) -> Iterator[CountryInfo]:
        """Every country row, in file order."""
        yield from self._countries.values()

    def igo(self, code: str) -> IgoInfo | None:
        """The igos.csv row for an IGO / NGO / MNC code."""
        return self._igos.get(code)

    def org(self, code: str) -> str:
        """The code an actor of the body ``code`` carries: its organisation's for an organ
        (UNSC -> UN), else ``code`` itself (also for a code not in igos.csv)."""
        info = self._igos.get(code)
        return info.org if info is not None else code

    def igo_of_role(self, role: str) -> str | None:
        """The organisation an official's role names by its first words ("un high commissioner
        for refugees" -> UN, "world bank president" -> WB, "unhcr chief" -> UNHCR): the longest
        prefix of up to four words that is an igos.csv code, name or alias of an IGO, as the
        code its actors carry (:attr:`IgoInfo.org`)."""
        words = normalize(role).lower().replace(".", "").split()
        for n in range(min(4, len(words)), 0, -1):
            code = self._igo_prefixes.get(" ".join(words[:n]))
            if code is not None:
                return code
        return None

    def is_abbreviation(self, surface: str) -> bool:
        """True where ``surface`` only matches exactly (an all-capitals abbreviation)."""
        return _is_abbreviation(normalize(surface))

    def __len__(self) -> int:
        return len(self._exact)


def _build(extra: Path | None) -> Registry:
    src = _sources(extra)
    surfaces: list[tuple[str, Entry, int, str]] = []

    # countries
    countries: dict[str, CountryInfo] = {}
    for row in _overlay(src["countries.csv"], lambda r: r.cells["iso3"], "iso3"):
        c = row.cells
        if not _ISO3.fullmatch(c["iso3"]):
            raise DataFileError(f"{row.where}: iso3 {c['iso3']!r} is not three capital letters")
        if not _ISO2.fullmatch(c["iso2"]):
            raise DataFileError(f"{row.where}: iso2 {c['iso2']!r} is not two capital letters")
        clat = _opt_float(row, "capital_lat", -90, 90)
        clon = _opt_float(row, "capital_lon", -180, 180)
        if (clat is None) != (clon is None):
            raise DataFileError(f"{row.where}: give both capital_lat and capital_lon, or neither")
        info = CountryInfo(
            iso3=c["iso3"], iso2=c["iso2"], name=_need(row, "name"), aliases=_split(c["aliases"]),
            adjectives=_split(c["adjectives"]), people=_split(c["people"]), capitals=_split(c["capitals"]),
            lat=_float(row, "lat", -90, 90), lon=_float(row, "lon", -180, 180),
            capital_lat=clat, capital_lon=clon,
        )  # fmt: skip
        countries[info.iso3] = info
        country = Entry(info.name, "country", info.iso3, None, None, f"country:{info.iso3}")
        for s in (info.name, *info.aliases):
            surfaces.append((s, country, row.layer, row.where))
        if info.capitals:
            cap = Entry(info.capitals[0], "capital", info.iso3, None, "GOV", f"capital:{info.iso3}")
            surfaces.extend((s, cap, row.layer, row.where) for s in info.capitals)
        dem = Entry(info.name, "demonym", info.iso3, None, None, f"demonym:{info.iso3}")
        surfaces.extend((s, dem, row.layer, row.where) for s in (*info.adjectives, *info.people))

    # IGOs, NGOs, MNCs
    igos: dict[str, IgoInfo] = {}
    igo_rows: dict[str, _Row] = {}
    for row in _overlay(src["igos.csv"], lambda r: r.cells["code"], "code"):
        c = row.cells
        if not _IGO_CODE.fullmatch(c["code"]):
            raise DataFileError(f"{row.where}: code {c['code']!r} must be 2-16 capital letters or digits")
        if c["code"] in countries or c["code"] in CLASS_CODES:
            raise DataFileError(f"{row.where}: code {c['code']!r} is a country or class code; pick another")
        if c["kind"] not in _IGO_KINDS:
            raise DataFileError(f"{row.where}: kind {c['kind']!r} must be one of {', '.join(_IGO_KINDS)}")
        ig = IgoInfo(c["code"], _need(row, "name"), _split(c["aliases"]), c["kind"], c.get("part_of") or None)
        igos[ig.code] = ig
        igo_rows[ig.code] = row
    for code, ig in igos.items():
        row = igo_rows[code]
        if ig.part_of is not None:
            parent = igos.get(ig.part_of)
            if parent is None or parent.part_of is not None:
                raise DataFileError(f"{row.where}: part_of {ig.part_of!r} must be the code of an igos.csv row "
                                    "that is itself part of nothing")
        entry = Entry(ig.name, "igo", None, ig.org, _IGO_KINDS[ig.kind], f"igo:{ig.code}")
        surfaces.extend((s, entry, row.layer, row.where) for s in (ig.name, *ig.aliases))

    # metonyms: first phrase of the cell is the canonical name
    for row in _overlay(src["metonyms.csv"], _first_phrase, "metonym"):
        phrases = _split(row.cells["phrase"])
        iso3 = _country_ref(row, countries)
        entry = Entry(phrases[0], "metonym", iso3, None, _sector(row, default="GOV"),
                      f"metonym:{_slug(phrases[0])}")
        surfaces.extend((s, entry, row.layer, row.where) for s in phrases)

    # groups
    for row in _overlay(src["groups.csv"], lambda r: _slug(r.cells["name"]), "group"):
        name = _need(row, "name")
        iso3 = _country_ref(row, countries, optional=True)
        igo = row.cells["igo"] or None
        if igo is not None and igo not in igos and igo not in CLASS_CODES:
            raise DataFileError(f"{row.where}: igo {igo!r} is neither in igos.csv nor one of "
                                f"{', '.join(sorted(CLASS_CODES))}")
        if iso3 is None and igo is None:
            raise DataFileError(f"{row.where}: {name!r} needs a country or an igo code")
        entry = Entry(name, "group", iso3, igo, _sector(row), f"group:{_slug(name)}")
        surfaces.extend((s, entry, row.layer, row.where) for s in (name, *_split(row.cells["aliases"])))

    # roles
    roles: list[Role] = []
    for row in _overlay(src["roles.csv"], lambda r: normalize(r.cells["phrase"]).lower(), "role phrase"):
        phrase = _need(row, "phrase")
        if phrase != phrase.lower():
            raise DataFileError(f"{row.where}: role phrase {phrase!r} must be lower case")
        roles.append(Role(phrase, _sector(row), normalize(row.cells["role"]) or phrase))

    return Registry(surfaces, roles, countries, igos)


@lru_cache(maxsize=1)
def _default() -> Registry:
    return _build(None)


def load_registry(extra: Path | None = None) -> Registry:
    """The bundled registry (built once and cached), or one extended by the user's
    files in ``extra`` (a directory or one CSV file, named as in :data:`FILES`).

    Raises :class:`~communique.errors.DataFileError`, naming the file and line, when
    a file has the wrong columns, a bad ISO3, country or sector code, or an alias that
    names two things."""
    if extra is None:
        return _default()
    return _build(Path(extra))
