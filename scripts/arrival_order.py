"""Whether saving the benchmark's reports in some order gives the picture of a rebuild.

    python scripts/arrival_order.py N SEED FOLDER

Saves reports 0 .. N - 1 of ``bench_scale.py`` one at a time into a new database in FOLDER, in
an order shuffled by SEED (their own order, mostly by publication, where SEED is negative), each
save updating the stored picture; copies it, rebuilds the copy from nothing (``sitroom rebuild
--restart``) and compares the two pictures table by table (``same_picture.py``). Exits 1 where
they differ. Back-filled reports (published before ones already stored) are where the update
decides stored events again.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scale

from sitroom.store import Store


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("seed", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    base = bench_scale.templates(bench_scale.DEFAULT_STORIES)
    order = list(range(args.n))
    if args.seed >= 0:
        random.Random(args.seed).shuffle(order)
    saved = args.folder / f"arrival-{args.n}-{args.seed}.db"
    rebuilt = args.folder / f"arrival-{args.n}-{args.seed}-rebuilt.db"
    for path in (saved, rebuilt):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    with Store.open(saved) as store:
        for k in order:
            store.save(bench_scale.variant(base, k))
    print(f"saved {args.n} reports in {time.perf_counter() - start:.1f} s", flush=True)
    shutil.copyfile(saved, rebuilt)
    with Store.open(rebuilt) as store:
        store.rebuild(restart=True)
    same = Path(__file__).with_name("same_picture.py")
    return subprocess.run([sys.executable, str(same), str(saved), str(rebuilt)]).returncode


if __name__ == "__main__":
    sys.exit(main())
