"""Outputs never delete or replace what communique did not write, and output errors are one line.

Every case of issue 14's list has a test here, on real files, real FIFOs and devices, and real
read-only folders. Tests run as root here, and root writes into a chmod 555 folder; so for root
a read-only folder is a read-only bind mount in a private mount namespace (``unshare -m``), in
which the command runs as a real process. Without root the folder is chmod 555. Where neither
is possible (root without the right to make a mount namespace) those tests are skipped with the
reason; every other test runs everywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from communique._output import MANIFEST
from communique.cli import main
from communique.store import Store

from .test_export import CORPUS


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("safety") / "events.duckdb"
    with Store(path) as s:
        s.add_many(CORPUS)
    return path


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def export(db: Path, fmt: str, out: str | Path, *extra: str) -> Result:
    return cli("export", "--db", str(db), "--format", fmt, "--out", str(out), *extra)


def one_line_error(r: Result, code: int, *words: str) -> None:
    """The command failed with ``code`` and said why in one line on stderr, without a traceback."""
    assert r.exit_code == code, (r.exit_code, r.output)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert all(w in lines[0] for w in words), lines[0]
    assert r.exception is None or isinstance(r.exception, SystemExit)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with a digest of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


# --- Parquet: a folder that is not ours is never emptied ----------------------------------------------


def test_parquet_refuses_a_folder_that_is_not_an_export(db: Path, tmp_path: Path) -> None:
    mine = tmp_path / "my-data"
    (mine / "notes").mkdir(parents=True)
    (mine / "thesis.tex").write_text("three years of work")
    (mine / "notes" / "ideas.txt").write_text("more work")
    before = snapshot(mine)
    one_line_error(export(db, "parquet", mine), 4, "not an export of communique", "nothing in it is replaced")
    assert snapshot(mine) == before
    assert [p.name for p in mine.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_parquet_refuses_the_folder_of_the_database(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    copy = folder / "x.duckdb"
    shutil.copy(db, copy)
    before = snapshot(folder)
    one_line_error(export(copy, "parquet", folder), 4, "holds the database")
    assert snapshot(folder) == before
    with Store(copy, read_only=True) as s:
        assert s.counts()["articles"] == len(CORPUS)


def test_parquet_out_dot_refused_in_a_folder_of_other_files(db: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "keep.txt").write_text("keep me")
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    one_line_error(export(db, "parquet", "."), 4, "not an export of communique")
    assert snapshot(tmp_path) == before


def test_parquet_into_an_empty_folder_and_over_its_own_export(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "pq"
    out.mkdir()
    assert export(db, "parquet", out).exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"]) == sorted(f for f in snapshot(out) if f != MANIFEST)
    everything = set(manifest["files"])
    # again with fewer partitions: the partitions no longer written are removed, being ours
    assert export(db, "parquet", out, "--asserted-only").exit_code == 0
    fewer = set(json.loads((out / MANIFEST).read_text())["files"])
    assert fewer < everything and set(snapshot(out)) == fewer | {MANIFEST}
    assert not [p for p in out.iterdir() if p.is_dir() and not any(p.iterdir())]  # no empty partition folders
    # a file of the user's put into the export: the folder is no longer only ours, nothing is touched
    (out / "README.txt").write_text("my notes on this export")
    before = snapshot(out)
    one_line_error(export(db, "parquet", out), 4, "holds files communique did not write", "README.txt")
    assert snapshot(out) == before


def test_parquet_manifest_cannot_name_files_outside_the_folder(db: Path, tmp_path: Path) -> None:
    out, outside = tmp_path / "pq", tmp_path / "precious.txt"
    outside.write_text("not the export's")
    assert export(db, "parquet", out).exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"].append("../precious.txt")
    (out / MANIFEST).write_text(json.dumps(manifest))
    assert export(db, "parquet", out, "--asserted-only").exit_code == 0
    assert outside.read_text() == "not the export's"


def test_parquet_over_an_export_killed_midway(db: Path, tmp_path: Path) -> None:
    """A run killed during COPY leaves its temporary folder inside the export: the next run still
    recognises the folder as ours, replaces the export, and leaves that temporary alone."""
    out = tmp_path / "pq"
    assert export(db, "parquet", out).exit_code == 0
    left = out / ".communique-tmp-abc123" / "date=2024-03-04"
    left.mkdir(parents=True)
    (left / "data_0.parquet").write_bytes(b"half")
    assert export(db, "parquet", out, "--asserted-only").exit_code == 0
    assert (left / "data_0.parquet").read_bytes() == b"half"


def test_parquet_leaves_a_users_dot_tmp_folder_alone(db: Path, tmp_path: Path) -> None:
    """The old code wrote to OUT's sibling ``.OUT.tmp`` and removed whatever was there first."""
    theirs = tmp_path / ".pq.tmp"
    theirs.mkdir()
    (theirs / "draft.txt").write_text("a draft")
    assert export(db, "parquet", tmp_path / "pq").exit_code == 0
    assert (theirs / "draft.txt").read_text() == "a draft"


def test_parquet_out_is_a_file(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "events.parquet"
    f.write_text("someone's file")
    one_line_error(export(db, "parquet", f), 4, "exists and is not a folder")
    assert f.read_text() == "someone's file"


# --- files: not the database, not a folder, not a special file ------------------------------------------


@pytest.mark.parametrize("fmt", ["plover-jsonl", "gdelt-tsv", "quotes-jsonl"])
def test_out_naming_the_database_is_refused(db: Path, tmp_path: Path, fmt: str) -> None:
    copy = tmp_path / "x.duckdb"
    shutil.copy(db, copy)
    before = copy.read_bytes()
    one_line_error(export(copy, fmt, copy), 4, "is the database")
    # also by another name for the same file
    link = tmp_path / "link.jsonl"
    link.symlink_to(copy)
    one_line_error(export(copy, fmt, link), 4, "is the database")
    assert copy.read_bytes() == before


@pytest.mark.parametrize("fmt", ["plover-jsonl", "gdelt-tsv"])
def test_a_folder_as_the_out_of_a_file_export(db: Path, tmp_path: Path, fmt: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    one_line_error(export(db, fmt, folder), 4, "is a folder")
    monkeypatch.chdir(folder)
    one_line_error(export(db, fmt, "."), 4, "is a folder")
    assert snapshot(folder) == {"a.txt": hashlib.sha256(b"a").hexdigest()}


def test_a_fifo_is_refused_and_stays_a_fifo(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    one_line_error(export(db, "plover-jsonl", fifo), 4, "special file")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_device_is_refused(db: Path) -> None:
    """As root the old code replaced /dev/full by a regular file; the device must stay a device."""
    one_line_error(export(db, "gdelt-tsv", "/dev/full"), 4, "special file")
    one_line_error(cli("series", "--db", str(db), "--dyad", "USA-CHN", "--plot", "/dev/full"), 4, "special file")
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


def test_a_users_dot_tmp_file_is_left_alone(db: Path, tmp_path: Path) -> None:
    """The old code wrote ``.NAME.tmp`` beside the output and unlinked it whatever it was."""
    theirs = tmp_path / ".e.jsonl.tmp"
    theirs.write_text("not ours")
    assert export(db, "plover-jsonl", tmp_path / "e.jsonl").exit_code == 0
    assert theirs.read_text() == "not ours"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".e.jsonl.tmp", "e.jsonl"]


def test_plot_into_a_folder_or_a_special_file(db: Path, tmp_path: Path) -> None:
    r = cli("series", "--db", str(db), "--dyad", "USA-CHN", "--plot", str(tmp_path))
    one_line_error(r, 4, "is a folder")
    assert r.stdout == ""  # the plot is checked before the series is printed
    fifo = tmp_path / "plot-pipe"
    os.mkfifo(fifo)
    one_line_error(cli("series", "--db", str(db), "--dyad", "USA-CHN", "--plot", str(fifo)), 4, "special file")


def test_unknown_dyad_codes_are_errors_not_zeros(db: Path) -> None:
    r = cli("series", "--db", str(db), "--dyad", "USA-CHINA")
    assert r.exit_code == 2 and "did you mean CHN (China)?" in r.stderr and r.stdout == ""
    r = cli("series", "--db", str(db), "--dyad", "USA-RUS")  # a real code without events: no rows, a note
    assert r.exit_code == 0 and r.stdout.splitlines()[1:] == [] and "no asserted events between USA and RUS" in r.stderr


# --- read-only folders ---------------------------------------------------------------------------------


def _can_bind_read_only() -> bool:
    unshare = shutil.which("unshare")
    if not unshare:
        return False
    probe = subprocess.run([unshare, "-m", "sh", "-c", "mount --bind / / 2>/dev/null || exit 1; exit 0"],
                           capture_output=True)  # fmt: skip
    return probe.returncode == 0


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A read-only folder, and the prefix of the command line that runs a command with it read-only."""
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "existing.txt").write_text("already here")
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder, []
        folder.chmod(0o755)
    elif _can_bind_read_only():
        script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
        yield folder, [shutil.which("unshare") or "unshare", "-m", "sh", "-c", script, str(folder)]
    else:
        pytest.skip("running as root without the right to make a read-only bind mount (unshare -m)")


def run(prefix: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "communique.cli", *args], capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def one_line(r: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert r.returncode == code, (r.returncode, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert all(w in lines[0] for w in words), lines[0]


def test_read_only_folder_sanity(read_only: tuple[Path, list[str]]) -> None:
    """The folder really is read-only for the commands run in it (else the tests below prove nothing)."""
    folder, prefix = read_only
    r = subprocess.run([*prefix, sys.executable, "-c", "import sys; open(sys.argv[1], 'w')", str(folder / "x")],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode != 0 and ("Read-only file system" in r.stderr or "Permission denied" in r.stderr)


@pytest.mark.parametrize(("fmt", "name"), [("plover-jsonl", "e.jsonl"), ("gdelt-tsv", "e.tsv"), ("parquet", "pq"),
                                           ("parquet", "new/sub/pq")])
def test_export_into_a_read_only_folder(db: Path, read_only: tuple[Path, list[str]], fmt: str, name: str) -> None:
    folder, prefix = read_only
    r = run(prefix, "export", "--db", str(db), "--format", fmt, "--out", str(folder / name))
    one_line(r, 4, str(folder / name), "choose a folder you can write to")
    assert snapshot(folder) == {"existing.txt": hashlib.sha256(b"already here").hexdigest()}


def test_plot_into_a_read_only_folder(db: Path, read_only: tuple[Path, list[str]]) -> None:
    folder, prefix = read_only
    r = run(prefix, "series", "--db", str(db), "--dyad", "USA-CHN", "--plot", str(folder / "plot.png"))
    one_line(r, 4, "plot.png", "choose a folder you can write to")
    assert r.stdout == ""


def test_ingest_into_a_new_subfolder_of_a_read_only_folder(read_only: tuple[Path, list[str]], tmp_path: Path) -> None:
    folder, prefix = read_only
    article = tmp_path / "a.json"
    article.write_text(json.dumps({"id": "a", "published": "2024-03-04",
                                   "text": "Kenya's president met Ethiopia's prime minister in Nairobi on Monday."}))
    r = run(prefix, "ingest", str(article), "--db", str(folder / "new" / "sub" / "x.duckdb"))
    one_line(r, 2, "cannot create the folder of the database", "choose a folder you can write to")
    assert not (folder / "new").exists()


# --- a corrupt database ------------------------------------------------------------------------------------


def test_corrupt_database_is_named_corrupt_by_the_cli(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.duckdb"
    shutil.copy(db, bad)
    with bad.open("r+b") as f:
        f.seek(100)
        f.write(b"\xff" * 64)
    r = run([], "events", "--db", str(bad))
    assert r.returncode != 0 and "is corrupt" in r.stderr and "locked" not in r.stderr
    assert "Traceback" not in r.stderr
