"""Installed size of the runtime: a fresh venv with ``pip install REPO`` (no extras), ``du`` of its site-packages.

    python bench/install_size.py [--repo .] [--extras plot] [--top 15] [--keep DIR]

Creates a new virtual environment in a temporary folder (or ``--keep DIR``), installs the package
from ``--repo`` (a plain, non-editable install: what a user gets), and prints the size of the
environment's ``site-packages`` in MB (as ``du -sm`` counts it) with the largest distributions.
``--extras plot,serve`` installs those extras too, to price them. Asserts nothing: the README's
"Install size" section records the numbers. Needs the package index (or a pip cache) to install.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import venv
from pathlib import Path


def du_mb(path: Path) -> int:
    """Size in MB as ``du -sm`` reports it (blocks on disk, not bytes of content)."""
    out = subprocess.run(["du", "-sm", str(path)], check=True, capture_output=True, text=True).stdout
    return int(out.split()[0])


def measure(repo: Path, env_dir: Path, extras: str, top: int) -> int:
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    target = f"{repo}[{extras}]" if extras else str(repo)
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", target], check=True)
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    total = du_mb(site)
    sizes = sorted(((du_mb(p), p.name) for p in site.iterdir() if p.is_dir() and not p.name.endswith("-info")),
                   reverse=True)
    print(f"site-packages of a fresh venv with `pip install {target}`: {total} MB ({site})")
    for mb, name in sizes[:top]:
        print(f"  {mb:6d} MB  {name}")
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--extras", default="", help="comma-separated extras to install with the package")
    ap.add_argument("--top", type=int, default=15, help="how many of the largest packages to list")
    ap.add_argument("--keep", type=Path, help="create the venv here and keep it (default: a temporary folder)")
    args = ap.parse_args()
    if args.keep:
        measure(args.repo.resolve(), args.keep, args.extras, args.top)
        return
    with tempfile.TemporaryDirectory(prefix="communique-size-") as tmp:
        measure(args.repo.resolve(), Path(tmp) / "venv", args.extras, args.top)


if __name__ == "__main__":
    sys.exit(main())
