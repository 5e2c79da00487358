"""Build a registry of dated office holders (and, optionally, IGOs) from a Wikidata JSON dump.

``communique registry build-wikidata latest-all.json.gz --out myreg`` writes
``myreg/officeholders.csv`` (the format of the bundled file, with ``qid``); point the
``registry`` setting at ``myreg`` and the pipeline reads it over the bundled data
(see :func:`communique.actors.officeholders.load_holders`).

The dump
--------
Wikidata's ``latest-all.json.gz`` / ``.bz2`` (or the uncompressed file, or standard
input): a JSON array with one entity per line, each line ending with a comma. It is
read once, line by line, never held in memory. A line is parsed as JSON only when two
regular expressions say it may matter (a ``"P39"`` or ``"P298"`` claim; an item value
``"id":"Q…"`` naming one of the QIDs below), so about 1% of lines are parsed and the
rest is decompression and scanning: about 300 MB of JSON a second from ``.gz`` on one
core in our synthetic benchmark. For ``.bz2`` a parallel decompressor piped into ``-``
(``lbzip2 -dc latest-all.json.bz2 | communique registry build-wikidata -``) is much
faster than Python's. A line that is not valid JSON is counted and skipped.

What is kept while streaming (everything else is dropped at once):

* **countries**: entities with ``P298`` (ISO 3166-1 alpha-3) → QID → ISO3 (a few hundred);
* **positions**: entities that are instances (``P31``) of position ``Q4164871`` or public
  office ``Q294414``, or whose ``P31``/``P279`` names one of :data:`OFFICE_CLASSES`; with
  their ``P31``/``P279`` parents, ``P17`` (country), ``P1001`` (applies to jurisdiction)
  and English label;
* **terms**: for every human (``P31`` = ``Q5``), each non-deprecated "position held"
  (``P39``) statement with a start time (qualifier ``P580``) whose end (``P582``) is
  missing or not before ``--since``, with the person's English label and aliases. These
  are held until the end because a position may come later in the dump than its
  holders; this is the part of memory that grows with the dump. Of the terms that end
  before ``--since`` only the two latest starts per position are kept (see 3.).

The mapping, applied when the stream ends
-----------------------------------------
1. **Office class.** A position maps to the class it reaches through ``P279``/``P31`` in
   the fewest steps (at most :data:`MAX_HOPS`, passing only through other kept positions,
   such as a generic "president of the republic"); at the same distance the most senior
   class wins, so a president who is head of state and of government is head of state:

   =============  ====================================  ========================  ======
   class          QID                                   role (default)            sector
   =============  ====================================  ========================  ======
   head of state  Q48352 head of state, Q116 monarch    ``head of state``         GOV
   head of gov.   Q2285706 head of government,          ``head of government``    GOV
                  Q14212 prime minister
   foreign        Q7330070 minister of foreign affairs  ``foreign minister``      GOV
   defence        Q3409203 minister of defence          ``defence minister``      MIL
   =============  ====================================  ========================  ======

   For heads of state and government the role is the position's English title when
   news uses it and it has that seniority ("President of Kenya" → ``president``,
   "Chancellor of Germany" → ``chancellor``, "Emir of Qatar" → ``emir``;
   "President of the Government of Spain" stays ``head of government``). Positions
   whose English label says ``deputy``, ``vice``, ``assistant``, ``shadow``, ``junior``
   or ``under-secretary`` are left out.
2. **Country.** The ISO3 (``P298``) of the position's jurisdiction (``P1001``) when it
   has one; a position whose jurisdiction is not a country (a state, province or
   city: governors, premiers of provinces, mayors) is left out. Without ``P1001``, the
   country (``P17``). A position with several countries is left out. ``--countries``
   keeps only the listed ISO3 codes.
3. **Dates.** Wikidata times (``+2021-01-20T00:00:00Z`` with precision 11 day, 10 month,
   9 year) become ``2021-01-20``, ``2021-01`` or ``2021``; coarser precisions, BCE dates
   and an end of "unknown value" drop the statement. An open term (no ``P582``) is
   closed on the start day of the next holder of the same position who began later
   (Wikidata often lacks the end), counting holders whose terms ended before ``--since``;
   terms that then end before ``--since`` are dropped. Terms of one person in one role
   and country that overlap or touch are merged into one row (re-elections).
4. **Names.** ``name`` is the English label (else the ``mul`` label); ``aliases`` are the
   English and ``mul`` aliases, without bare surnames, duplicates or ``|``.

With ``--igos``, ``igos.csv`` lists instances of international organisation
(``Q484652``) and intergovernmental organisation (``Q245065``): an organisation that
has the name or an alias of a bundled IGO takes its code and keeps its bundled name,
aliases and kind; others take their English short name (``P1813``) as code when it is
2–16 capitals or digits and free, else their QID. A name or alias that the bundled
registry gives to something else, that two organisations share, or that is all lower
case is dropped (an organisation whose own name is dropped is left out), so the file
always passes the registry's check.
"""

from __future__ import annotations

import bz2
import contextlib
import csv
import functools
import gzip
import io
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any, cast

from ..errors import DataFileError, InputError
from .officeholders import COLUMNS, FILE_NAME, _day, seniority
from .registry import CLASS_CODES, load_registry, normalize

__all__ = ["MAX_HOPS", "OFFICE_CLASSES", "BuildStats", "build_registry"]

#: Wikidata class → (default role, sector). Seniority comes from the role (officeholders.seniority).
OFFICE_CLASSES: dict[str, tuple[str, str]] = {
    "Q48352": ("head of state", "GOV"),
    "Q116": ("head of state", "GOV"),  # monarch
    "Q2285706": ("head of government", "GOV"),
    "Q14212": ("head of government", "GOV"),  # prime minister
    "Q7330070": ("foreign minister", "GOV"),
    "Q3409203": ("defence minister", "MIL"),
}
#: At most this many P279/P31 steps from a position to an office class.
MAX_HOPS = 3

HUMAN = "Q5"
POSITION_TYPES = frozenset({"Q4164871", "Q294414"})  # position, public office
IGO_TYPES = frozenset({"Q484652", "Q245065"})  # international organization, intergovernmental organization
_LANGS = ("en", "mul")
_EXCLUDED_WORDS = re.compile(r"\b(deputy|vice|assistant|shadow|junior|under-?secretary)\b", re.I)
_TIME = re.compile(r"^\+(\d{1,9})-(\d\d)-(\d\d)T")
_ISO3 = re.compile(r"[A-Z]{3}")
_IGO_CODE = re.compile(r"[A-Z][A-Z0-9]{1,15}")

# Cheap tests run on every line before it is parsed (one regex scan each is several times
# faster than a substring test per QID): the claim keys, and the item values of interest.
_KEYS = re.compile(r'"(P39|P298)":')
_IDS = re.compile('"id":"(Q(?:' + "|".join(q[1:] for q in (*POSITION_TYPES, *OFFICE_CLASSES, *IGO_TYPES)) + '))"')
_POSITION_IDS = POSITION_TYPES | OFFICE_CLASSES.keys()


@dataclass
class BuildStats:
    """Counts of one build. While the dump streams (what the progress callback sees): entities
    read, unreadable lines, countries and candidate positions, people and their terms kept so
    far. At the end: the offices mapped, the people and rows written, the IGOs written."""

    entities: int = 0
    bad_lines: int = 0
    countries: int = 0
    positions: int = 0
    humans: int = 0
    terms: int = 0
    offices: int = 0
    people: int = 0
    rows: int = 0
    igos: int = 0
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)

    def progress(self) -> str:
        s = (f"{self.entities:,} entities: {self.countries:,} countries, {self.positions:,} positions, "
             f"{self.humans:,} people with {self.terms:,} terms")
        if self.bad_lines:
            s += f", {self.bad_lines:,} unreadable lines skipped"
        return s + f" ({self.seconds:.0f} s)"

    def summary(self) -> str:
        s = (f"{self.entities:,} entities read; {self.rows:,} terms of {self.people:,} people in "
             f"{self.offices:,} offices of {self.countries:,} countries")
        if self.igos:
            s += f"; {self.igos:,} organisations"
        if self.bad_lines:
            s += f"; {self.bad_lines:,} unreadable lines skipped"
        return s + f" ({self.seconds:.1f} s)"


# --------------------------------------------------------------------------- reading the dump


def _lines(source: Path | IO[bytes]) -> Iterator[str]:
    """The lines of a plain, gzip or bzip2 dump (told apart by their first bytes), decoded as UTF-8."""
    with contextlib.ExitStack() as stack:
        if isinstance(source, Path):
            try:
                raw: IO[bytes] = stack.enter_context(open(source, "rb"))
            except OSError as e:
                raise InputError(str(source), f"cannot open ({e})") from e
        else:
            raw = source
        buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[type-var]
        head = buffered.peek(3)[:3]
        stream: IO[bytes] = buffered
        if head[:2] == b"\x1f\x8b":
            stream = cast(IO[bytes], stack.enter_context(gzip.GzipFile(fileobj=buffered)))  # leaves it open
        elif head == b"BZh":
            stream = cast(IO[bytes], stack.enter_context(bz2.BZ2File(buffered)))
        text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace")
        try:
            yield from text
        except (OSError, EOFError) as e:  # a truncated or corrupt archive
            raise InputError(str(source), f"cannot be read to the end ({e})") from e
        finally:
            text.detach()  # a caller's stream (standard input) stays open


def _value(snak: dict[str, Any]) -> Any:
    if snak.get("snaktype") != "value":
        return None
    return (snak.get("datavalue") or {}).get("value")


def _statements(claims: dict[str, Any], pid: str) -> list[dict[str, Any]]:
    return [st for st in claims.get(pid, ()) if st.get("rank") != "deprecated"]


def _truthy(claims: dict[str, Any], pid: str) -> list[dict[str, Any]]:
    """Preferred statements if there are any, else the normal ones (Wikidata's "truthy")."""
    sts = _statements(claims, pid)
    return [st for st in sts if st.get("rank") == "preferred"] or sts


def _item(v: Any) -> str | None:
    if not isinstance(v, dict):
        return None
    if isinstance(v.get("id"), str):
        return str(v["id"])
    return f"Q{v['numeric-id']}" if "numeric-id" in v else None


def _items(claims: dict[str, Any], pid: str) -> list[str]:
    return [q for st in _truthy(claims, pid) if (q := _item(_value(st.get("mainsnak", {})))) is not None]


def _label(entity: dict[str, Any]) -> str | None:
    labels = entity.get("labels") or {}
    for lang in _LANGS:
        v = (labels.get(lang) or {}).get("value")
        if isinstance(v, str) and v.strip():
            return normalize(v)
    return None


def _aliases(entity: dict[str, Any], name: str) -> tuple[str, ...]:
    """English and ``mul`` aliases, without the name, bare surnames, duplicates or ``|``."""
    seen = {_fold(name)}
    surname = _fold(name.split()[-1]) if len(name.split()) > 1 else None
    out: list[str] = []
    groups = entity.get("aliases") or {}
    for lang in _LANGS:
        for a in groups.get(lang) or ():
            v = normalize(str(a.get("value") or ""))
            f = _fold(v)
            if not v or "|" in v or len(v) > 100 or not any(c.isalpha() for c in v) or f in seen or f == surname:
                continue
            seen.add(f)
            out.append(v)
    return tuple(out)


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).casefold().replace(".", "").split())


@functools.lru_cache(maxsize=1 << 16)
def _bounds(text: str) -> tuple[date, date]:
    """The first and last day of ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    return _day(text, last=False, where="wikidata"), _day(text, last=True, where="wikidata")


def _time(v: Any) -> str | None:
    """A Wikidata time value at day, month or year precision as ``YYYY-MM-DD``, ``YYYY-MM``
    or ``YYYY``; None for coarser, BCE or invalid."""
    if not isinstance(v, dict):
        return None
    m = _TIME.match(str(v.get("time", "")))
    precision = v.get("precision")
    if m is None or not isinstance(precision, int) or precision < 9:
        return None
    y, mo, d = (int(x) for x in m.groups())
    if not 1 <= y <= 9999:
        return None
    if precision >= 11 and mo and d:
        text = f"{y:04d}-{mo:02d}-{d:02d}"
    elif precision >= 10 and mo:
        text = f"{y:04d}-{mo:02d}"
    else:
        text = f"{y:04d}"
    try:
        _bounds(text)
    except DataFileError:
        return None
    return text


@dataclass(frozen=True, slots=True)
class _Position:
    parents: tuple[str, ...]
    countries: tuple[str, ...]  # P17
    jurisdictions: tuple[str, ...]  # P1001
    label: str | None


@dataclass(slots=True)
class _Term:  # compact: millions of these may be held while the dump streams
    person: str
    position: str
    start: str  # YYYY-MM-DD, YYYY-MM or YYYY
    end: str | None


@dataclass(frozen=True, slots=True)
class _Igo:
    qid: str
    name: str
    aliases: tuple[str, ...]
    short: tuple[str, ...]


class _Collector:
    """The small maps kept while the dump streams."""

    def __init__(self, since: date | None, igos: bool) -> None:
        self.since = since
        self.want_igos = igos
        self.countries: dict[str, str] = {}
        self.positions: dict[str, _Position] = {}
        self.people: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.terms: list[_Term] = []
        self.igos: list[_Igo] = []
        # per position, the two latest starts (of different people) among terms ended before
        # ``since``: they are not kept, but they still close an older open term
        self.earlier: dict[str, list[tuple[date, str]]] = {}

    def line(self, s: str) -> bool:
        """Handle one dump line; False when it is not valid JSON."""
        keys, ids = _KEYS.findall(s), set(_IDS.findall(s))
        human, country = "P39" in keys, "P298" in keys
        position = not _POSITION_IDS.isdisjoint(ids)
        igo = self.want_igos and not IGO_TYPES.isdisjoint(ids)
        if not (human or country or position or igo):
            return True
        try:
            e = json.loads(s.rstrip().rstrip(","))
        except json.JSONDecodeError:
            return False
        if not isinstance(e, dict) or not isinstance(e.get("id"), str):
            return False
        claims = e.get("claims") or {}
        if not isinstance(claims, dict):
            return False
        qid: str = e["id"]
        types = _items(claims, "P31")
        if country:
            codes = [v for st in _truthy(claims, "P298") if isinstance(v := _value(st.get("mainsnak", {})), str)]
            if codes and _ISO3.fullmatch(codes[0]):
                self.countries[qid] = codes[0]
        if position:
            parents = tuple(dict.fromkeys([*types, *_items(claims, "P279")]))
            if POSITION_TYPES.intersection(types) or OFFICE_CLASSES.keys() & set(parents):
                self.positions[qid] = _Position(parents, tuple(_items(claims, "P17")),
                                                tuple(_items(claims, "P1001")), _label(e))
        if human and HUMAN in types:
            self._person(qid, e, claims)
        if igo and IGO_TYPES.intersection(types):
            name = _label(e)
            if name:
                short = tuple(normalize(str(v.get("text", ""))) for st in _truthy(claims, "P1813")
                              if isinstance(v := _value(st.get("mainsnak", {})), dict)
                              and v.get("language") in _LANGS)
                self.igos.append(_Igo(qid, name, _aliases(e, name), short))
        return True

    def _person(self, qid: str, e: dict[str, Any], claims: dict[str, Any]) -> None:
        found = []
        for st in _statements(claims, "P39"):
            pos = _item(_value(st.get("mainsnak", {})))
            quals = st.get("qualifiers") or {}
            starts = quals.get("P580", ())
            start = _time(_value(starts[0])) if starts else None
            if pos is None or start is None:
                continue
            end, ends = None, quals.get("P582", ())
            if ends:
                if ends[0].get("snaktype") == "somevalue":  # ended, date unknown
                    continue
                if ends[0].get("snaktype") == "value":
                    end = _time(_value(ends[0]))
                    if end is None or _bounds(end)[1] < _bounds(start)[0]:
                        continue
            pos = sys.intern(pos)
            if self.since is not None and end is not None and _bounds(end)[1] < self.since:
                self._earlier(pos, _bounds(start)[0], qid)
                continue
            found.append(_Term(qid, pos, start, end))
        if not found:
            return
        name = _label(e)
        if name is None:
            return
        self.people[qid] = (name, _aliases(e, name))
        self.terms.extend(found)

    def _earlier(self, position: str, start: date, person: str) -> None:
        latest = {who: d for d, who in self.earlier.get(position, ())}
        if start > latest.get(person, date.min):
            latest[person] = start
        self.earlier[position] = sorted(((d, who) for who, d in latest.items()), reverse=True)[:2]


# --------------------------------------------------------------------------- the mapping


def _office_class(qid: str, positions: dict[str, _Position]) -> str | None:
    """The most senior office class ``qid`` reaches in at most MAX_HOPS steps."""
    best: str | None = None
    frontier, seen = [qid], {qid}
    for _ in range(MAX_HOPS):
        nxt = []
        for q in frontier:
            pos = positions.get(q)
            for parent in pos.parents if pos else ():
                if parent in OFFICE_CLASSES:
                    if best is None or seniority(OFFICE_CLASSES[parent][0]) < seniority(OFFICE_CLASSES[best][0]):
                        best = parent
                elif parent not in seen:
                    seen.add(parent)
                    nxt.append(parent)
        if best is not None:  # the nearest classes win over ones reached further up
            return best
        frontier = nxt
    return best


def _role(cls: str, label: str | None) -> tuple[str, str]:
    role, sector = OFFICE_CLASSES[cls]
    if label and seniority(role) <= 1:
        title = label.lower().split(" of ")[0].removeprefix("federal ").strip()
        if seniority(title) == seniority(role):
            return title, sector
    return role, sector


@dataclass(frozen=True, slots=True)
class _Office:
    country: str
    role: str
    sector: str


def _offices(c: _Collector, keep: Collection[str] | None) -> dict[str, _Office]:
    out: dict[str, _Office] = {}
    for qid, pos in c.positions.items():
        if pos.label and _EXCLUDED_WORDS.search(pos.label):
            continue
        cls = _office_class(qid, c.positions)
        if cls is None:
            continue
        where = pos.jurisdictions or pos.countries
        isos = {c.countries[q] for q in where if q in c.countries}
        if len(isos) != 1:  # a state, province or city (or no country), or several countries
            continue
        iso = isos.pop()
        if keep is not None and iso not in keep:
            continue
        role, sector = _role(cls, pos.label)
        out[qid] = _Office(iso, role, sector)
    return out


def _close_open_terms(terms: list[_Term], earlier: dict[str, list[tuple[date, str]]]) -> None:
    """An open term ends on the start day of the next holder of the same position who began later
    (counting the holders whose terms ended before ``since``)."""
    by_position: dict[str, list[tuple[date, str]]] = {}
    for t in terms:
        by_position.setdefault(t.position, []).append((_bounds(t.start)[0], t.person))
    for t in terms:
        if t.end is not None:
            continue
        first = _bounds(t.start)[0]
        starts = [*by_position[t.position], *earlier.get(t.position, ())]
        later = [d for d, who in starts if who != t.person and d > first]
        if later:
            t.end = min(later).isoformat()


def _rows(c: _Collector, offices: dict[str, _Office]) -> list[list[str]]:
    terms = [t for t in c.terms if t.position in offices]
    _close_open_terms(terms, c.earlier)
    if c.since is not None:
        terms = [t for t in terms if t.end is None or _bounds(t.end)[1] >= c.since]
    groups: dict[tuple[str, str, str], list[_Term]] = {}
    for t in terms:
        o = offices[t.position]
        groups.setdefault((t.person, o.country, o.role), []).append(t)
    rows: list[tuple[tuple[Any, ...], list[str]]] = []
    for (person, country, role), ts in groups.items():
        ts.sort(key=lambda t: _bounds(t.start)[0])
        merged: list[list[str | None]] = []  # [start, end]: overlapping or touching terms joined
        for t in ts:
            if merged:
                end = merged[-1][1]
                if end is None or _bounds(t.start)[0] <= _bounds(end)[1] + timedelta(days=1):
                    if end is not None and (t.end is None or _bounds(t.end)[1] > _bounds(end)[1]):
                        merged[-1][1] = t.end
                    continue
            merged.append([t.start, t.end])
        name, aliases = c.people[person]
        sector = offices[ts[0].position].sector
        for start, end in merged:
            assert start is not None
            key = (country, seniority(role), role, _bounds(start)[0], name, person)
            rows.append((key, [name, "|".join(aliases), country, role, sector, start, end or "", person]))
    rows.sort(key=lambda r: r[0])
    return [r for _, r in rows]


def _igo_rows(c: _Collector) -> list[list[str]]:
    reg = load_registry()
    bundled: dict[str, str] = {}  # folded surface -> bundled IGO code
    for surface, entry in reg.phrases():
        if entry.kind == "igo" and entry.igo:  # the body's own code (UNSC), not the one it is coded with (UN)
            bundled.setdefault(_fold(surface), entry.registry_id.removeprefix("igo:"))
    igos = sorted(c.igos, key=lambda g: int(g.qid[1:]) if g.qid[1:].isdigit() else 0)
    used: set[str] = set()
    plan: list[tuple[_Igo, str, bool]] = []  # igo, code, takes over a bundled row
    for g in igos:
        code = next((bundled[f] for f in map(_fold, (g.name, *g.aliases)) if f in bundled), None)
        if code is not None and code not in used:
            plan.append((g, code, True))
        else:
            code = next((s for s in g.short if _IGO_CODE.fullmatch(s) and s not in used and s not in CLASS_CODES
                         and reg.country(s) is None and reg.igo(s) is None), g.qid)
            plan.append((g, code, False))
        used.add(code)
    owners: dict[str, set[str]] = {}
    for g, code, _ in plan:
        for s in (g.name, *g.aliases):
            owners.setdefault(_fold(s), set()).add(code)

    def ok(s: str, code: str) -> bool:
        if s == s.lower() or len(owners.get(_fold(s), ())) > 1:
            return False
        entry = reg.lookup(s)
        return entry is None or (entry.kind == "igo" and entry.registry_id == f"igo:{code}")

    rows = []
    for g, code, takes_over in plan:
        if takes_over:
            info = reg.igo(code)
            assert info is not None
            extra = [a for a in (g.name, *g.aliases) if ok(a, code)]
            aliases = list(dict.fromkeys([*info.aliases, *extra]))
            aliases = [a for a in aliases if _fold(a) != _fold(info.name)]
            rows.append([code, info.name, "|".join(aliases), info.kind, info.part_of or ""])
        elif ok(g.name, code):
            rows.append([code, g.name, "|".join(a for a in g.aliases if ok(a, code)), "IGO", ""])
    return rows


# --------------------------------------------------------------------------- the build


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    tmp.replace(path)


def build_registry(
    dump: Path | IO[bytes],
    out: Path,
    *,
    since: date | None = date(2000, 1, 1),
    countries: Collection[str] | None = None,
    igos: bool = False,
    progress: Callable[[BuildStats], None] | None = None,
    every: int = 1_000_000,
) -> BuildStats:
    """Stream a Wikidata JSON dump once and write ``out/officeholders.csv`` (and with ``igos``,
    ``out/igos.csv``): office holders whose term runs on or after ``since``, of the ISO3
    ``countries`` if given. ``progress`` is called with the running counts every ``every``
    entities. The mapping is described in the module docstring."""
    started = time.perf_counter()
    stats = BuildStats()
    keep = {c.upper() for c in countries} if countries else None
    if keep is not None and (bad := sorted(c for c in keep if not _ISO3.fullmatch(c))):
        raise DataFileError(f"not ISO 3166 alpha-3 codes: {', '.join(bad)}")
    c = _Collector(since, igos)

    def tick() -> None:
        stats.countries, stats.positions = len(c.countries), len(c.positions)
        stats.humans, stats.terms = len(c.people), len(c.terms)
        stats.seconds = time.perf_counter() - started

    for line in _lines(dump):
        if not line.lstrip().startswith("{"):
            continue
        stats.entities += 1
        if not c.line(line):
            stats.bad_lines += 1
        if progress is not None and stats.entities % every == 0:
            tick()
            progress(stats)
    tick()
    offices = _offices(c, keep)
    rows = _rows(c, offices)
    stats.offices = len(offices)
    stats.rows, stats.people = len(rows), len({r[-1] for r in rows})
    out.mkdir(parents=True, exist_ok=True)
    _write(out / FILE_NAME, COLUMNS, rows)
    stats.files.append(out / FILE_NAME)
    if igos:
        igo_rows = _igo_rows(c)
        stats.igos = len(igo_rows)
        _write(out / "igos.csv", ["code", "name", "aliases", "kind", "part_of"], igo_rows)
        stats.files.append(out / "igos.csv")
    stats.seconds = time.perf_counter() - started
    return stats
