"""Actors: the bundled registry (countries, IGOs, groups, metonyms, roles) and its loader."""

from __future__ import annotations

from .registry import Entry, Registry, Role, load_registry

__all__ = ["Entry", "Registry", "Role", "load_registry"]
