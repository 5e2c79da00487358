"""Office holders with the dates of their tenure, so a person is coded by the office
they held on the event's date (a former president is not GOV).

File format (``data/officeholders.csv``, documented in ``officeholders.README.md``):
``name,aliases,country,role,sector,start,end,qid``; ``|`` separates aliases; dates are
``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; an empty ``end`` means still in office. The
bundled set is that file plus every ``data/officeholders.d/*.csv`` (one file per group of
offices: interior ministers, central bank governors, ...), which have a ninth column,
``source``, required there, so that every row of those files says where it can be checked.

An official of an international organisation has an empty ``country``; the organisation
is read from the first words of ``role`` matched against the codes, names and aliases of
``igos.csv`` (``un high commissioner for refugees`` -> UN, ``imf managing director`` ->
IMF); a row with neither a country nor such a role is an error.

Users extend or correct the bundled file with their own ``officeholders.csv`` in the
``registry`` folder (or the ``registry`` setting naming that file), read by
:func:`load_holders`. A user row replaces every bundled row of the same person (same
Wikidata QID, or the same name with case and accents ignored) in the same office (role,
country or organisation) whose term overlaps its own; the bundled rows' aliases are kept
as aliases of the user's row. Bundled terms of that person that do not overlap, or in
another office (a finance ministry before the premiership), stay.

When a person held two offices on one date, :meth:`OfficeHolders.find` gives the
most senior (:func:`seniority`): head of state > head of government > foreign or
defence minister > any other office; between equals, the one begun last.
"""

from __future__ import annotations

import calendar
import csv
import dataclasses
import functools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from ..errors import DataFileError

__all__ = [
    "COLUMNS", "DIR_COLUMNS", "DIR_NAME", "FILE_NAME", "Holder", "OfficeHolders", "default_holders",
    "load_holders", "seniority",
]  # fmt: skip

COLUMNS = ["name", "aliases", "country", "role", "sector", "start", "end", "qid"]
#: The columns of the files in ``data/officeholders.d/``: the main file's plus where the facts are recorded.
DIR_COLUMNS = [*COLUMNS, "source"]
FILE_NAME = "officeholders.csv"
DIR_NAME = "officeholders.d"

#: Role names by seniority: 0 head of state, 1 head of government, 2 foreign or defence
#: minister; any other role is 3. "acting" and "interim" in front are ignored.
_SENIORITY: dict[str, int] = {
    **dict.fromkeys(("head of state", "president", "king", "queen", "emir", "emperor", "empress", "monarch",
                     "sultan", "supreme leader", "grand duke", "prince", "co-prince", "captain regent"), 0),
    **dict.fromkeys(("head of government", "prime minister", "chancellor", "premier", "chief executive",
                     "state counsellor"), 1),
    **dict.fromkeys(("foreign minister", "defence minister", "defense minister", "secretary of state",
                     "secretary of defense", "foreign secretary", "defence secretary"), 2),
}  # fmt: skip


def seniority(role: str) -> int:
    """0 head of state, 1 head of government, 2 foreign or defence minister, 3 any other office."""
    r = " ".join(role.lower().split())
    for prefix in ("acting ", "interim "):
        r = r.removeprefix(prefix)
    return _SENIORITY.get(r, 3)


@dataclass(frozen=True, slots=True)
class Holder:
    name: str
    country: str | None
    igo: str | None
    role: str
    sector: str
    start: date
    end: date | None
    registry_id: str
    current: bool = True  # in office on the date asked for
    aliases: tuple[str, ...] = ()
    source: str | None = None  # where the fact is recorded (the officeholders.d files)

    def has_first_name(self, full_name: str) -> bool:
        """Whether the first word of a full name ("Ivonne Martinez") is a word of this holder's name
        or an alias of it: a shared surname alone does not make two people one."""
        first = _fold(full_name).split()[:1]
        return bool(first) and any(first[0] in _fold(n).split() for n in (self.name, *self.aliases))

    def overlaps(self, other: Holder) -> bool:
        """True when the two terms share at least one day (an open end runs forever)."""
        return self.start <= (other.end or date.max) and other.start <= (self.end or date.max)


@functools.lru_cache(maxsize=1 << 16)  # the loader folds each name several times; lookups repeat names
def _fold(name: str) -> str:
    s = unicodedata.normalize("NFKD", name.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().replace(".", "").replace("-", " ").split())  # "Abdel-Fattah" is "Abdel Fattah"


def _day(value: str, *, last: bool, where: str) -> date:
    v = value.strip()
    try:
        parts = [int(p) for p in v.split("-")]
        if len(parts) == 3:
            return date(*parts)
        if len(parts) == 2:
            y, m = parts
            return date(y, m, calendar.monthrange(y, m)[1] if last else 1)
        if len(parts) == 1:
            return date(parts[0], 12, 31) if last else date(parts[0], 1, 1)
    except ValueError:
        pass
    raise DataFileError(f"{where}: invalid date {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")


def _same_office(a: Holder, b: Holder) -> bool:
    """Same role in the same country or organisation: a user's chancellor row does not remove the
    same person's finance-minister row that ended the day the chancellorship began."""
    return " ".join(a.role.lower().split()) == " ".join(b.role.lower().split()) and (a.country, a.igo) == (
        b.country, b.igo)


def _person_keys(h: Holder) -> set[str]:
    keys = {"name:" + _fold(h.name)}
    if h.registry_id.startswith("wikidata:"):
        keys.add(h.registry_id)
    return keys


def _distance(h: Holder, on: date) -> int:
    """Days between a term and a day outside it: to its start when it begins later, else from its end (a term
    still running that begins later is that far away, not a term of that day)."""
    if h.start > on:
        return (h.start - on).days
    return (on - h.end).days if h.end is not None else 0


class OfficeHolders:
    """Dated office holders, looked up by full name or alias (case and accents ignored)."""

    def __init__(self, rows: Iterable[Holder]) -> None:
        self._rows: list[Holder] = list(rows)
        self._by_name: dict[str, list[Holder]] = {}
        for h in self._rows:
            for key in dict.fromkeys(_fold(n) for n in (h.name, *h.aliases)):
                self._by_name.setdefault(key, []).append(h)
        for hs in self._by_name.values():
            hs.sort(key=lambda h: h.start)
        # surnames that belong to exactly one person ("Putin", "Zelenskyy"), for bare later mentions.
        # The people of the main file (heads, foreign and defence ministers) own a surname first: a
        # speaker or central banker of the officeholders.d files never takes "Abbas" from Mahmoud
        # Abbas. A surname only those files' people have names one of them only while in office, and
        # only if nobody else in the set has it ("Smith" names no speaker).
        owners: dict[str, set[str]] = {}
        core_owners: dict[str, set[str]] = {}
        for h in self._rows:
            for n in (h.name, *h.aliases):
                parts = _fold(n).split()
                if len(parts) > 1 and len(parts[-1]) > 3:
                    owners.setdefault(parts[-1], set()).add(h.registry_id)
                    if h.source is None:
                        core_owners.setdefault(parts[-1], set()).add(h.registry_id)
        self._by_surname: dict[str, list[Holder]] = {}
        self._shared_surname: dict[str, list[Holder]] = {}  # surnames looked up by who is in office that day
        for h in self._rows:
            parts = _fold(h.name).split()
            if len(parts) < 2 or parts[-1] in self._by_name:
                continue
            core = core_owners.get(parts[-1])
            if core:
                if h.registry_id in core:
                    index = self._by_surname if len(core) == 1 else self._shared_surname
                    index.setdefault(parts[-1], []).append(h)
            elif len(owners.get(parts[-1], ())) == 1:
                self._shared_surname.setdefault(parts[-1], []).append(h)
        for hs in self._by_surname.values():
            hs.sort(key=lambda h: h.start)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Holder]:
        return iter(self._rows)

    def find(self, name: str, on: date | None) -> Holder | None:
        """The office ``name`` held on ``on``: the most senior if several (see :func:`seniority`),
        the one begun last between equals. If none then, the nearest term, marked
        ``current=False`` (country known, office not). Without a date, the term begun last."""
        key = _fold(name)
        hs = self._by_name.get(key) or (self._by_surname.get(key) if " " not in key else None)
        if not hs and " " not in key and on is not None:
            # a shared surname ("Maduro") names the one of them in office that day, if only one is
            live = [h for h in self._shared_surname.get(key, ()) if h.start <= on and (h.end is None or on <= h.end)]
            if len({h.registry_id for h in live}) == 1:
                hs = live
        if not hs:
            return None
        if on is None:
            return hs[-1]
        live = [h for h in hs if h.start <= on and (h.end is None or on <= h.end)]
        if live:
            return min(live, key=lambda h: (seniority(h.role), -h.start.toordinal()))
        nearest = min(hs, key=lambda h: _distance(h, on))
        return dataclasses.replace(nearest, current=False)

    def extended(self, user: OfficeHolders) -> OfficeHolders:
        """These rows overlaid with ``user``'s: a user row replaces every row of the same person
        (same QID or same folded name) in the same office whose term overlaps its own, and takes
        over its aliases."""
        by_person: dict[str, list[int]] = {}
        for i, u in enumerate(user._rows):
            for k in _person_keys(u):
                by_person.setdefault(k, []).append(i)
        extra: list[dict[str, None]] = [{} for _ in user._rows]
        kept: list[Holder] = []
        for b in self._rows:
            hits = {i for k in _person_keys(b) for i in by_person.get(k, ())
                    if user._rows[i].overlaps(b) and _same_office(user._rows[i], b)}
            if not hits:
                kept.append(b)
            for i in hits:
                extra[i].update(dict.fromkeys((b.name, *b.aliases)))
        merged = []
        for u, more in zip(user._rows, extra, strict=True):
            own = {_fold(n) for n in (u.name, *u.aliases)}
            add = tuple(a for a in more if _fold(a) not in own)
            merged.append(dataclasses.replace(u, aliases=u.aliases + add) if add else u)
        return OfficeHolders([*kept, *merged])

    @classmethod
    def from_csv(cls, path: Path | None = None) -> OfficeHolders:
        """Read and check an office-holder file: 8 columns, or 9 with ``source`` (then required on
        every row). With ``path`` None, the bundled set: ``officeholders.csv`` and every
        ``officeholders.d/*.csv`` (9 columns), in name order.

        Raises :class:`DataFileError` naming the file and line of the first bad row."""
        if path is not None:
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as e:
                raise DataFileError(f"{path}: cannot read ({e}); office-holder files are UTF-8 CSV") from e
            return cls(_parse(text, str(path)))
        data = resources.files("communique.actors") / "data"
        rows: list[Holder] = []
        main = data / FILE_NAME
        if main.is_file():
            rows += _parse(main.read_text(encoding="utf-8"), FILE_NAME, columns=(COLUMNS,))
        folder = data / DIR_NAME
        if folder.is_dir():
            for f in sorted((f for f in folder.iterdir() if f.name.endswith(".csv")), key=lambda f: f.name):
                rows += _parse(f.read_text(encoding="utf-8"), f"{DIR_NAME}/{f.name}", columns=(DIR_COLUMNS,))
        return cls(rows)


def _parse(text: str, where: str, columns: tuple[list[str], ...] = (COLUMNS, DIR_COLUMNS)) -> list[Holder]:
    """The rows of one file; ``columns`` are the headers it may have."""
    from .registry import SECTORS, load_registry  # the IGO codes; imported here: the registry does not need us

    registry = load_registry()
    rows: list[Holder] = []
    reader = csv.DictReader(text.splitlines())
    header = [f.strip() for f in reader.fieldnames or ()]
    if header not in columns:
        raise DataFileError(f"{where}: header must be {' or '.join(','.join(c) for c in columns)}")
    with_source = "source" in header
    for r in reader:
        at = f"{where}:{reader.line_num}"
        if None in r or any(v is None for v in r.values()):
            raise DataFileError(f"{at}: {len(header)} values needed; quote cells that contain commas")
        name = (r.get("name") or "").strip()
        country = (r.get("country") or "").strip() or None
        role = (r.get("role") or "").strip()
        if not name or not role or not (r.get("start") or "").strip():
            raise DataFileError(f"{at}: name, role and start are required")
        if country is not None and not (len(country) == 3 and country.isalpha() and country.isupper()):
            raise DataFileError(f"{at}: country {country!r} is not an ISO 3166 alpha-3 code")
        igo = None if country else registry.igo_of_role(role)
        if country is None and igo is None:
            raise DataFileError(f"{at}: no country, and role {role!r} does not begin with the code or name of an "
                                "organisation in igos.csv (write e.g. 'un special envoy for syria')")
        source = (r.get("source") or "").strip() or None
        if with_source and source is None:
            raise DataFileError(f"{at}: source is empty; say where the fact is recorded "
                                "(e.g. 'Wikipedia: List of finance ministers of France')")
        start = _day(r["start"], last=False, where=at)
        end = _day(r["end"], last=True, where=at) if (r.get("end") or "").strip() else None
        if end is not None and end < start:
            raise DataFileError(f"{at}: end {end} is before start {start}")
        qid = (r.get("qid") or "").strip()
        rid = f"wikidata:{qid}" if qid else f"person:{_fold(name).replace(' ', '_')}"
        aliases = tuple(a.strip() for a in (r.get("aliases") or "").split("|") if a.strip())
        sector = (r.get("sector") or "GOV").strip() or "GOV"
        if sector not in SECTORS:
            raise DataFileError(f"{at}: unknown sector {sector!r}; use one of {', '.join(sorted(SECTORS))}")
        rows.append(Holder(name, country, igo, role, sector, start, end, rid, aliases=aliases, source=source))
    return rows


def user_file(extra: Path | None) -> Path | None:
    """The user's office-holder file in a ``registry`` setting: ``extra`` itself when it is
    named ``officeholders.csv``, or that file inside the folder ``extra``; else None."""
    if extra is None:
        return None
    extra = Path(extra)
    if extra.is_dir():
        return extra / FILE_NAME if (extra / FILE_NAME).is_file() else None
    if not extra.exists():
        raise DataFileError(f"{extra}: no such file or directory (the registry setting)")
    return extra if extra.name == FILE_NAME else None


@functools.lru_cache(maxsize=1)
def default_holders() -> OfficeHolders:
    """The bundled office holders, read once."""
    return OfficeHolders.from_csv()


def load_holders(extra: Path | None = None) -> OfficeHolders:
    """The bundled office holders, extended by the user's ``officeholders.csv`` when the
    ``registry`` setting ``extra`` names that file or a folder holding it (see the module
    docstring for how rows are overlaid). The bundled set alone is read once and cached."""
    path = user_file(extra)
    if path is None:
        return default_holders()
    return default_holders().extended(OfficeHolders.from_csv(path))
