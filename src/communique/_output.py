"""Writing outputs (exports, plots) without harming what is already there.

The rule: an output replaces only what communique wrote itself. A file output may replace a
regular file (that is what ``--out`` asks for), never a folder, a device, a FIFO or a socket
(as root, replacing ``/dev/full`` by a regular file would be possible and wrong), and never the
database being read. A folder output (Parquet) goes into a new or empty folder, or over a
previous export of ours, which carries a manifest naming every file it wrote: a folder holding
anything else is refused, and only the files the manifest names are ever replaced or removed.

Every OSError becomes an ``OutputError`` naming the path and what to do, so the CLI prints one
line instead of a traceback.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import OutputError

MANIFEST = ".communique-export.json"
_MANIFEST_KIND = "communique export"
_TMP_PREFIX = ".communique-tmp-"


def _reason(e: OSError) -> str:
    return e.strerror or str(e)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _protect(path: Path, protect: Sequence[str | Path]) -> None:
    for p in protect:
        db = Path(p)
        for guarded in (db, db.with_name(db.name + ".wal")):
            if _same(path, guarded):
                raise OutputError(str(path), f"is the database ({db}); give the export another path")


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise OutputError(str(path), f"cannot be checked: {_reason(e)}") from e


def check_file(path: str | Path, *, protect: Sequence[str | Path] = ()) -> Path:
    """``path`` as a Path if a file output may be written there; else OutputError."""
    path = Path(path)
    st = _stat(path)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(str(path), "is a folder; give the path of a file to write")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OutputError(str(path), "is a special file (a device, FIFO or socket), not a regular file; "
                                     "give the path of a regular file")
    _protect(path, protect)
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def replacing(path: Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A file to write that becomes ``path`` when the block ends without error: it is written
    beside ``path`` under a fresh temporary name and moved into place, so a reader never sees half
    a file and a failure leaves ``path`` as it was (and no temporary behind)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(str(path), f"cannot write in {path.parent}: {_reason(e)}; "
                                     "choose a folder you can write to") from e
    done = False
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        f = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        with f:
            yield f
        os.replace(tmp, path)
        done = True
    except OSError as e:
        raise OutputError(str(path), f"cannot be written: {_reason(e)}") from e
    finally:
        if not done:
            Path(tmp).unlink(missing_ok=True)


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir())


def check_folder(path: str | Path, *, protect: Sequence[str | Path] = ()) -> list[str]:
    """Check a folder output: it may be missing, empty, or a previous export of ours holding only
    the files its manifest names. Returns those files (to be replaced); else OutputError."""
    path = Path(path)
    st = _stat(path)
    if st is None:
        _protect(path, protect)
        return []
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(str(path), "exists and is not a folder; a Parquet export is a folder of partitions: "
                                     "give the path of a new or empty folder")
    for p in protect:
        if _same(path, Path(p).parent):
            raise OutputError(str(path), f"holds the database ({p}); give a new or empty folder")
    try:
        present = _files(path)
    except OSError as e:
        raise OutputError(str(path), f"cannot be read: {_reason(e)}") from e
    if not present:
        return []
    if MANIFEST not in present:
        raise OutputError(str(path), f"is not empty and is not an export of communique (it has no {MANIFEST}); "
                                     "nothing in it is replaced: give a new or empty folder")
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        ours = set(manifest["files"]) if manifest.get("kind") == _MANIFEST_KIND else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        ours = None
    if ours is None:
        raise OutputError(str(path), f"has a {MANIFEST} that communique cannot read; nothing in it is replaced: "
                                     "give a new or empty folder")
    # the temporary folder of an export killed before it finished is ours by name: not counted,
    # and not removed either (it is left for the user to see)
    others = [f for f in present if f != MANIFEST and f not in ours and not f.startswith(_TMP_PREFIX)]
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise OutputError(str(path), f"is an earlier export but also holds files communique did not write "
                                     f"({shown}); nothing in it is replaced: move them or give another folder")
    return sorted(ours & set(present))


@contextmanager
def replacing_folder(path: Path, *, protect: Sequence[str | Path] = ()) -> Iterator[Path]:
    """A fresh empty folder to write an export into; when the block ends without error its files
    replace those of the previous export in ``path`` (only the files that export's manifest names),
    and a new manifest lists them. On failure ``path`` keeps the previous export and no temporary."""
    old = check_folder(path, protect=protect)
    created = not path.exists()
    try:
        path.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=path, prefix=_TMP_PREFIX))
    except OSError as e:
        raise OutputError(str(path), f"cannot write in it: {_reason(e)}; choose a folder you can write to") from e
    done = False
    try:
        yield tmp
        new = _files(tmp)
        for rel in new:
            (path / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, path / rel)
        for rel in set(old) - set(new) - {MANIFEST}:
            (path / rel).unlink(missing_ok=True)
            _prune(path, (path / rel).parent)
        with replacing(path / MANIFEST) as f:
            json.dump({"kind": _MANIFEST_KIND, "files": new}, f, indent=1)
            f.write("\n")
        done = True
    except OSError as e:
        raise OutputError(str(path), f"cannot be written: {_reason(e)}") from e
    finally:
        _remove_tree(tmp)
        if not done and created:
            _prune(path.parent, path)


def _prune(top: Path, folder: Path) -> None:
    """Remove ``folder`` and its parents up to (not including) ``top`` while they are empty."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _remove_tree(tmp: Path) -> None:
    """Remove our own temporary folder: files first, then the folders, deepest first; nothing else."""
    if not tmp.exists():
        return
    for p in sorted(tmp.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        try:
            p.rmdir() if p.is_dir() and not p.is_symlink() else p.unlink()
        except OSError:
            pass
    try:
        tmp.rmdir()
    except OSError:
        pass
