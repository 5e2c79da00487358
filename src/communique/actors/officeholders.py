"""Office holders with the dates of their tenure, so a person is coded by the office
they held on the event's date (a former president is not GOV).

File format (``data/officeholders.csv``, documented in ``officeholders.README.md``):
``name,aliases,country,role,sector,start,end,qid``; ``|`` separates aliases; dates are
``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; an empty ``end`` means still in office.
"""

from __future__ import annotations

import calendar
import csv
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from ..errors import DataFileError

COLUMNS = ["name", "aliases", "country", "role", "sector", "start", "end", "qid"]
_IGO_ROLES = {"un": "UN", "nato": "NATO", "eu": "EU"}


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


def _fold(name: str) -> str:
    s = unicodedata.normalize("NFKD", name.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().replace(".", "").split())


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


class OfficeHolders:
    """Dated office holders, looked up by full name or alias (case and accents ignored)."""

    def __init__(self, rows: Iterable[Holder], aliases: dict[str, list[str]]) -> None:
        self._by_name: dict[str, list[Holder]] = {}
        for h in rows:
            for n in [h.name, *aliases.get(h.registry_id + h.start.isoformat(), [])]:
                self._by_name.setdefault(_fold(n), []).append(h)
        for hs in self._by_name.values():
            hs.sort(key=lambda h: h.start)

    def __len__(self) -> int:
        return len({id(h) for hs in self._by_name.values() for h in hs})

    def find(self, name: str, on: date | None) -> Holder | None:
        """The office ``name`` held on ``on`` (the most senior if several); if none then, the
        nearest term, marked ``current=False`` (country known, office not)."""
        hs = self._by_name.get(_fold(name))
        if not hs:
            return None
        if on is None:
            return hs[-1]
        live = [h for h in hs if h.start <= on and (h.end is None or on <= h.end)]
        if live:
            return live[0]
        nearest = min(hs, key=lambda h: min(abs((h.start - on).days), abs(((h.end or on) - on).days)))
        return Holder(nearest.name, nearest.country, nearest.igo, nearest.role, nearest.sector,
                      nearest.start, nearest.end, nearest.registry_id, current=False)

    @classmethod
    def from_csv(cls, path: Path | None = None) -> OfficeHolders:
        if path is None:
            src = resources.files("communique.actors") / "data" / "officeholders.csv"
            if not src.is_file():
                return cls([], {})
            text, where = src.read_text(encoding="utf-8"), "officeholders.csv"
        else:
            try:
                text, where = path.read_text(encoding="utf-8"), str(path)
            except OSError as e:
                raise DataFileError(f"{path}: cannot read ({e})") from e
        rows: list[Holder] = []
        aliases: dict[str, list[str]] = {}
        reader = csv.DictReader(text.splitlines())
        if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != COLUMNS:
            raise DataFileError(f"{where}: header must be {','.join(COLUMNS)}")
        for n, r in enumerate(reader, start=2):
            at = f"{where}:{n}"
            name = (r.get("name") or "").strip()
            country = (r.get("country") or "").strip() or None
            role = (r.get("role") or "").strip()
            if not name or not role or not (r.get("start") or "").strip():
                raise DataFileError(f"{at}: name, role and start are required")
            if country is not None and not (len(country) == 3 and country.isalpha() and country.isupper()):
                raise DataFileError(f"{at}: country {country!r} is not an ISO 3166 alpha-3 code")
            igo = None if country else _IGO_ROLES.get(role.split()[0].lower())
            start = _day(r["start"], last=False, where=at)
            end = _day(r["end"], last=True, where=at) if (r.get("end") or "").strip() else None
            if end is not None and end < start:
                raise DataFileError(f"{at}: end {end} is before start {start}")
            qid = (r.get("qid") or "").strip()
            rid = f"wikidata:{qid}" if qid else f"person:{_fold(name).replace(' ', '_')}"
            h = Holder(name, country, igo, role, (r.get("sector") or "GOV").strip() or "GOV", start, end, rid)
            rows.append(h)
            aliases[rid + start.isoformat()] = [a for a in (r.get("aliases") or "").split("|") if a.strip()]
        return cls(rows, aliases)


@functools.lru_cache(maxsize=1)
def default_holders() -> OfficeHolders:
    return OfficeHolders.from_csv()
