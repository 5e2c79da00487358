"""Reading the package's TOML data files (or a user's copy) with one error shape."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import DataFileError


def read_toml(path: Path | None, bundled: str, what: str) -> tuple[dict[str, Any], str]:
    """The parsed file and its name for messages: the bundled ``communique/<bundled>`` when ``path`` is
    None, else the user's file. Unreadable or invalid files raise DataFileError saying what to do."""
    if path is None:
        source = f"communique/{bundled}"
        text = resources.files("communique").joinpath(bundled).read_text(encoding="utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise DataFileError(f"{source}: cannot read the {what} file ({e.strerror}); check the path") from e
    try:
        return tomllib.loads(text), source
    except tomllib.TOMLDecodeError as e:
        raise DataFileError(f"{source}: not valid TOML ({e}); fix the file or restore the bundled one") from e
