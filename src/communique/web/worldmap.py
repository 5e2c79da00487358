"""An offline world outline for the map page, built from GeoNames data already installed.

No world outline (Natural Earth, shapefiles, GeoJSON) is installed with communique, but the
place resolver's own data file (``places/data/geonames.tsv.gz``) holds GeoNames' populated
places with latitude and longitude. Where
people live, there is land: each one-degree cell holding a place is land, and so is every
cell next to one (which fills the gaps of deserts and tundra with a few scattered
villages). The land cells, merged into runs along each row of latitude, make one SVG path
in an equirectangular 360 × 180 frame (x = longitude + 180, y = 90 − latitude). Empty
land (inner Antarctica, Greenland's ice, parts of the Sahara) stays blank; the outline is a
backdrop for locating events, not a cartographic product.

Built once per process (≈0.3 s) and cached.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

__all__ = ["land_cells", "world_outline"]

logger = logging.getLogger("communique.web")

_CELL = 1.0  # degrees


def land_cells(path: Path | None = None) -> set[tuple[int, int]]:
    """The (column, row) one-degree cells that are land: a GeoNames town in it or next to it (the towns of
    the gazetteer's own data file, ``places/data/geonames.tsv.gz``, or of the file ``path`` in its format)."""
    from ..errors import DataFileError
    from ..places.gazetteer import town_points

    try:
        points = town_points(path)
    except DataFileError as e:
        logger.warning("the map has no outline: %s", e)
        return set()
    seen: set[tuple[int, int]] = set()
    for lat, lon in points:
        col = min(int((lon + 180) // _CELL), int(360 / _CELL) - 1)
        line = min(int((90 - lat) // _CELL), int(180 / _CELL) - 1)
        seen.add((col, line))
    ncols, nrows = int(360 / _CELL), int(180 / _CELL)
    land = set(seen)
    for col, line in seen:
        for dc in (-1, 0, 1):
            for dr in (-1, 0, 1):
                r = line + dr
                if 0 <= r < nrows:
                    land.add(((col + dc) % ncols, r))
    return land


@lru_cache(maxsize=1)
def world_outline() -> str:
    """The land as an SVG path in the 360 × 180 degree frame (one rectangle per run of land cells in a row)."""
    cells = land_cells()
    rows: dict[int, list[int]] = {}
    for col, line in cells:
        rows.setdefault(line, []).append(col)
    parts: list[str] = []
    for line in sorted(rows):
        cols = sorted(rows[line])
        start = prev = cols[0]
        for c in [*cols[1:], None]:
            if c is not None and c == prev + 1:
                prev = c
                continue
            x, y, w = start * _CELL, line * _CELL, (prev - start + 1) * _CELL
            parts.append(f"M{x:g} {y:g}h{w:g}v{_CELL:g}h{-w:g}z")
            if c is not None:
                start = prev = c
    return "".join(parts)
