"""Docs that cannot go stale: every command, option and setting appears in the README."""

from __future__ import annotations

import click
import pytest

from communique.cli import main
from communique.settings import SETTINGS_HELP, Settings

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_documented(name: str) -> None:
    assert f"communique {name}" in README


@pytest.mark.parametrize("name,opt", sorted(
    (name, o) for name, cmd in main.commands.items() for p in cmd.params
    if isinstance(p, click.Option) for o in p.opts if o.startswith("--")))
def test_option_documented(name: str, opt: str) -> None:
    assert opt in README, f"{name} {opt}"


@pytest.mark.parametrize("name", sorted(SETTINGS_HELP))
def test_setting_documented(name: str) -> None:
    assert f"`{name}`" in README


def test_every_setting_has_help() -> None:
    assert set(SETTINGS_HELP) == set(Settings.__dataclass_fields__)


def test_readme_opens_with_the_two_commands() -> None:
    head = README[:600]
    assert "make demo" in head and "make test" in head
