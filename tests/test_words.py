"""The coder's open-class word lists (events/words.toml) and their loader's schema check."""

from __future__ import annotations

import json
import tomllib
from dataclasses import fields
from importlib import resources
from pathlib import Path

import pytest

from communique.errors import DataFileError
from communique.events.words import WORDS, Words, load_words, parse_words

BUNDLED = (resources.files("communique.events") / "words.toml").read_text(encoding="utf-8")
KEYS = [f.name for f in fields(Words)]


def test_bundled_lists_load() -> None:
    assert load_words() is WORDS
    assert "earthquake" in WORDS.forces_of_nature
    assert "peacekeepers" in WORDS.troop_words
    assert all(getattr(WORDS, k) for k in KEYS)


def test_every_key_has_a_comment() -> None:
    lines = BUNDLED.splitlines()
    for key in KEYS:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
        assert lines[at - 1].startswith("# "), key


def _without(key: str) -> str:
    data = tomllib.loads(BUNDLED)
    del data[key]
    return "\n".join(f"{k} = {json.dumps(v)}" for k, v in data.items())


def _with(key: str, value: str) -> str:
    return BUNDLED + f"\n{key} = {value}\n"


@pytest.mark.parametrize("text,message", [
    (_with("weather_words", '["rain"]'), r"words\.toml: unknown key\(s\) \['weather_words'\]"),
    (_without("hazards"), r"words\.toml: missing key\(s\) \['hazards'\]"),
    (_without("hazards") + '\nhazards = "rain"', r"words\.toml: 'hazards' must be a list of strings"),
    (_without("hazards") + "\nhazards = [1, 2]", r"words\.toml: 'hazards' must be a list of strings"),
    (_without("hazards") + "\nhazards = []", r"words\.toml: 'hazards' must not be empty"),
    ("hazards = [", r"words\.toml: not valid TOML"),
])
def test_schema_errors_name_the_file_and_key(text: str, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        parse_words(text)


def test_a_user_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(_without("groups") + '\ngroups = ["posse"]', encoding="utf-8")
    assert load_words(path).groups == frozenset({"posse"})
    broken = tmp_path / "broken.toml"
    broken.write_text(_without("groups"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"broken\.toml: missing key\(s\) \['groups'\]"):
        load_words(broken)
    with pytest.raises(DataFileError, match="cannot read"):
        load_words(tmp_path / "nowhere.toml")
