"""Where the streaming rebuild spends its time at a given size of the picture.

    python scripts/profile_rebuild.py DB AFTER COUNT

Empties the stored picture of DB (an SQLite database; use a copy: it is rebuilt), brings the
first AFTER reports in as ``sitroom rebuild`` does (200 a transaction), then COUNT more in one
transaction under cProfile, and prints the wall time of each part and the functions the COUNT
reports spent their time in, by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Sequence

from sitroom.store import REBUILD_BATCH, Store, backend, stored_picture


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("after", type=int)
    parser.add_argument("count", type=int)
    args = parser.parse_args(argv)
    profile = cProfile.Profile()
    with Store.open(args.db) as store, store.state(write=True) as conn:
        stored_picture.clear(conn)
    with Store.open(args.db) as store, backend.bulk_cache(store._conn):
        done, start = 0, time.perf_counter()
        after: tuple[str, str] | None = None
        while done < args.after:
            with store.state(write=True) as conn:
                step = stored_picture.rebuild_batch(
                    conn, min(REBUILD_BATCH, args.after - done), after
                )
            if not step.count:
                break
            done, after = done + step.count, step.last
        print(f"{done} reports in {time.perf_counter() - start:.1f} s", flush=True)
        start = time.perf_counter()
        with store.state(write=True) as conn:
            profile.enable()
            stored_picture.rebuild_batch(conn, args.count, after)
            profile.disable()
        print(f"{args.count} more under cProfile in {time.perf_counter() - start:.1f} s")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(50)
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
