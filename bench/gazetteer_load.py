"""Cost of loading the gazetteer: the index built from ``places/data/geonames.tsv.gz`` and the curated files.

    python bench/gazetteer_load.py [--repeat 5]

Each process builds the index once (there is no cache); this prints the wall and CPU time of that build,
best of ``--repeat``, the number of keys and the process's peak memory. Asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from communique.places.gazetteer import GEONAMES_FILE, build_gazetteer

    wall, cpu, keys = [], [], 0
    for _ in range(max(1, args.repeat)):
        w, c = time.perf_counter(), time.process_time()
        keys = len(build_gazetteer())
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{GEONAMES_FILE.name}: {GEONAMES_FILE.stat().st_size / 1e6:.1f} MB; {keys:,} keys")
    print(f"index build, best of {len(wall)}: {min(wall):.2f} s wall, {min(cpu):.2f} s CPU; peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
