"""The PLOVER ontology: event types, modes, scores, contexts, sectors and the CAMEO crosswalk.

The facts live in ``plover.toml`` next to this module so that an analyst can
review and extend them without reading code; this module loads that file,
checks it and exposes it as frozen records::

    >>> onto = load_ontology()
    >>> onto.quad_class("ACCUSE"), onto.score("CONSULT", "visit")
    (3, 4.0)
    >>> onto.from_cameo("0411")
    ('CONSULT', 'phone', None)

A file that breaks the schema raises :class:`~communique.errors.DataFileError`
naming the file and the offending key.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from communique.errors import DataFileError

__all__ = [
    "PLOVER_TYPES",
    "QUAD_NAMES",
    "CameoMapping",
    "EventType",
    "Mode",
    "Ontology",
    "load_ontology",
    "ontology_version",
]

#: The 16 PLOVER event types, in the manual's order (cooperative to conflictual quads).
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",
    "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN",
    "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

#: Quad class number -> name.
QUAD_NAMES: Mapping[int, str] = MappingProxyType(
    {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
)

_DATA_FILE = "plover.toml"
_CAMEO_CODE = re.compile(r"\d{2,4}")
_SCORE_MIN, _SCORE_MAX = -10.0, 10.0


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Mode:
    """A PLOVER mode (the "how" of an event) with its conflict-cooperation score."""

    name: str
    score: float
    description: str


@dataclass(frozen=True, slots=True)
class EventType:
    """One of the 16 PLOVER event types."""

    name: str
    quad_class: int
    quad_name: str
    score: float
    requires_recipient: bool
    cameo_root: str
    cameo_roots: tuple[str, ...]
    goldstein: float
    description: str
    modes: Mapping[str, Mode]


@dataclass(frozen=True, slots=True)
class CameoMapping:
    """The PLOVER coding of one CAMEO event code."""

    type: str
    mode: str | None = None
    contexts: tuple[str, ...] = ()

    @property
    def context(self) -> str | None:
        """The first (primary) context, or None."""
        return self.contexts[0] if self.contexts else None


@dataclass(frozen=True, slots=True)
class Ontology:
    """The loaded ontology file: types, contexts, sectors, CAMEO crosswalk and Goldstein weights."""

    version: str
    types: Mapping[str, EventType]
    contexts: Mapping[str, str]
    sectors: Mapping[str, str]
    cameo: Mapping[str, CameoMapping]
    goldstein: Mapping[str, float]
    sector_aliases: Mapping[str, str] = field(default_factory=_empty)
    entities: Mapping[str, str] = field(default_factory=_empty)

    def is_type(self, name: str) -> bool:
        """True when ``name`` is one of the 16 PLOVER types (exact, upper case)."""
        return name in self.types

    def _type(self, name: str) -> EventType:
        try:
            return self.types[name]
        except KeyError:
            known = ", ".join(self.types)
            raise KeyError(f"{name!r} is not a PLOVER event type; use one of {known}") from None

    def quad_class(self, type: str) -> int:
        """The quad class (1..4) of a type; KeyError for an unknown type."""
        return self._type(type).quad_class

    def score(self, type: str, mode: str | None = None) -> float:
        """The mode's score when the type has that mode, otherwise the type's score."""
        et = self._type(type)
        found = et.modes.get(mode) if mode else None
        return found.score if found is not None else et.score

    def from_cameo(self, code: str) -> tuple[str, str | None, str | None] | None:
        """(type, mode, context) for a CAMEO event code, or None when PLOVER has no equivalent.

        An unlisted 3- or 4-digit code falls back to its longest listed prefix,
        down to the 2-digit root ("0411" -> "041"). Codes 01 and 02 give None.
        """
        found = self._cameo_entry(code)
        return (found.type, found.mode, found.context) if found is not None else None

    def _cameo_entry(self, code: str) -> CameoMapping | None:
        code = code.strip()
        if not code.isdigit():
            return None
        for end in range(len(code), 1, -1):
            found = self.cameo.get(code[:end])
            if found is not None:
                return found
        return None

    def goldstein_score(self, code: str) -> float | None:
        """The Goldstein weight of a CAMEO code, falling back to its longest listed prefix."""
        code = code.strip()
        if not code.isdigit():
            return None
        for end in range(len(code), 1, -1):
            value = self.goldstein.get(code[:end])
            if value is not None:
                return value
        return None

    def sector(self, code: str) -> str | None:
        """The PLOVER sector for a code (aliases such as CAMEO's HLH resolved), or None if unknown."""
        code = code.strip().upper()
        code = self.sector_aliases.get(code, code)
        return code if code in self.sectors else None


# --------------------------------------------------------------------------- loading


class _Checker:
    """Schema checks that raise DataFileError naming the file and the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> DataFileError:
        return DataFileError(f"{self.source}: [{key}] {problem}; fix the entry or restore the bundled file")

    def table(self, parent: Mapping[str, Any], name: str, key: str) -> Mapping[str, Any]:
        value = parent.get(name)
        if not isinstance(value, dict):
            raise self.fail(key, "is missing or not a table")
        return value

    def text(self, parent: Mapping[str, Any], name: str, key: str) -> str:
        value = parent.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key}.{name}" if key else name, "must be a non-empty string")
        return value

    def number(self, value: Any, key: str, low: float = _SCORE_MIN, high: float = _SCORE_MAX) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise self.fail(key, f"must be a number, not {value!r}")
        if not low <= value <= high:
            raise self.fail(key, f"{value} is outside {low:g}..{high:g}")
        return float(value)

    def strings(self, table: Mapping[str, Any], key: str) -> Mapping[str, str]:
        out: dict[str, str] = {}
        for name, value in table.items():
            if not isinstance(value, str) or not value.strip():
                raise self.fail(f"{key}.{name}", "must be a non-empty string")
            out[name] = value
        return MappingProxyType(out)


def _event_type(check: _Checker, name: str, raw: Any) -> EventType:
    key = f"types.{name}"
    if not isinstance(raw, dict):
        raise check.fail(key, "must be a table")
    quad = raw.get("quad_class")
    if isinstance(quad, bool) or not isinstance(quad, int) or quad not in QUAD_NAMES:
        raise check.fail(f"{key}.quad_class", f"must be 1, 2, 3 or 4, not {quad!r}")
    quad_name = check.text(raw, "quad_name", key)
    if quad_name != QUAD_NAMES[quad]:
        expected = QUAD_NAMES[quad]
        raise check.fail(f"{key}.quad_name", f"{quad_name!r} does not match quad_class {quad} ({expected!r})")
    score = check.number(raw.get("score"), f"{key}.score")
    recipient = raw.get("requires_recipient")
    if not isinstance(recipient, bool):
        raise check.fail(f"{key}.requires_recipient", "must be true or false")
    roots = raw.get("cameo_roots")
    if (
        not isinstance(roots, list)
        or not roots
        or not all(isinstance(r, str) and re.fullmatch(r"\d\d", r) for r in roots)
    ):
        raise check.fail(f"{key}.cameo_roots", 'must be a list of 2-digit strings such as ["03"]')
    root = check.text(raw, "cameo_root", key)
    if root not in roots:
        raise check.fail(f"{key}.cameo_root", f"{root!r} is not among cameo_roots {roots}")
    goldstein = check.number(raw.get("goldstein"), f"{key}.goldstein")
    description = check.text(raw, "description", key)
    modes: dict[str, Mode] = {}
    for mode_name, mode_raw in check.table(raw, "modes", f"{key}.modes").items():
        mode_key = f"{key}.modes.{mode_name}"
        if not isinstance(mode_raw, dict):
            raise check.fail(mode_key, 'must be a table such as { score = -2.0, description = "..." }')
        mode_score = check.number(mode_raw["score"], f"{mode_key}.score") if "score" in mode_raw else score
        modes[mode_name] = Mode(mode_name, mode_score, check.text(mode_raw, "description", mode_key))
    return EventType(
        name=name,
        quad_class=quad,
        quad_name=quad_name,
        score=score,
        requires_recipient=recipient,
        cameo_root=root,
        cameo_roots=tuple(roots),
        goldstein=goldstein,
        description=description,
        modes=MappingProxyType(modes),
    )


def _cameo_mapping(
    check: _Checker, code: str, raw: Any, types: Mapping[str, EventType], contexts: Mapping[str, str]
) -> CameoMapping:
    key = f"cameo.{code}"
    if not _CAMEO_CODE.fullmatch(code):
        raise check.fail(key, "is not a 2- to 4-digit CAMEO code")
    if not isinstance(raw, dict):
        raise check.fail(key, 'must be a table such as { type = "CONSULT", mode = "phone" }')
    type_name = raw.get("type")
    if not isinstance(type_name, str) or type_name not in types:
        raise check.fail(f"{key}.type", f"{type_name!r} is not one of the 16 PLOVER types")
    mode = raw.get("mode")
    if mode is not None and (not isinstance(mode, str) or mode not in types[type_name].modes):
        raise check.fail(f"{key}.mode", f"{mode!r} is not a mode of {type_name}")
    ctx = raw.get("context", [])
    names = [ctx] if isinstance(ctx, str) else ctx
    if not isinstance(names, list):
        raise check.fail(f"{key}.context", "must be a context name or a list of them")
    for name in names:
        if not isinstance(name, str) or name not in contexts:
            raise check.fail(f"{key}.context", f"{name!r} is not listed under [contexts]")
    return CameoMapping(type=type_name, mode=mode, contexts=tuple(names))


def _parse(text: str, source: str) -> Ontology:
    check = _Checker(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{source}: not valid TOML ({exc}); fix the syntax") from exc
    version = check.text(data, "version", "")

    raw_types = check.table(data, "types", "types")
    missing = [t for t in PLOVER_TYPES if t not in raw_types]
    if missing:
        raise check.fail(
            f"types.{missing[0]}",
            f"is missing; the file must define all 16 PLOVER types (missing: {', '.join(missing)})",
        )
    extra = [t for t in raw_types if t not in PLOVER_TYPES]
    if extra:
        raise check.fail(f"types.{extra[0]}", "is not a PLOVER type; define exactly the 16 types")
    types = MappingProxyType({name: _event_type(check, name, raw_types[name]) for name in PLOVER_TYPES})

    contexts = check.strings(check.table(data, "contexts", "contexts"), "contexts")
    sectors = check.strings(check.table(data, "sectors", "sectors"), "sectors")
    aliases = check.strings(data.get("sector_aliases", {}), "sector_aliases")
    for alias, target in aliases.items():
        if target not in sectors:
            raise check.fail(f"sector_aliases.{alias}", f"points to {target!r}, which is not under [sectors]")
    entities = check.strings(data.get("entities", {}), "entities")

    cameo = MappingProxyType(
        {
            code: _cameo_mapping(check, code, raw, types, contexts)
            for code, raw in check.table(data, "cameo", "cameo").items()
        }
    )
    goldstein: dict[str, float] = {}
    for code, value in check.table(data, "goldstein", "goldstein").items():
        if not _CAMEO_CODE.fullmatch(code):
            raise check.fail(f"goldstein.{code}", "is not a 2- to 4-digit CAMEO code")
        goldstein[code] = check.number(value, f"goldstein.{code}")

    return Ontology(
        version=version,
        types=types,
        contexts=contexts,
        sectors=sectors,
        cameo=cameo,
        goldstein=MappingProxyType(goldstein),
        sector_aliases=aliases,
        entities=entities,
    )


@functools.lru_cache(maxsize=1)
def _bundled() -> Ontology:
    resource = importlib.resources.files(__name__).joinpath(_DATA_FILE)
    return _parse(resource.read_text(encoding="utf-8"), f"communique/ontology/{_DATA_FILE}")


def load_ontology(path: Path | None = None) -> Ontology:
    """Load and check an ontology file; with no path, the bundled one (read once, then cached)."""
    if path is None:
        return _bundled()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({exc.strerror}); check the path") from exc
    return _parse(text, str(path))


def ontology_version() -> str:
    """The version string of the bundled ontology, stamped on every coded event."""
    return _bundled().version


def __getattr__(name: str) -> str:
    # ONTOLOGY_VERSION is read from the data file on first access, not at import.
    if name == "ONTOLOGY_VERSION":
        return ontology_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
