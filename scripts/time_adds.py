"""Where adding one report to a large stored picture spends its time.

    python scripts/time_adds.py DB [--first K] [--count 20] [--round R] [--rollback]
        [--profile DIR]

Saves the benchmark's reports K .. K + COUNT - 1 (``bench_scale.variant``; ``--round R`` dates
them as round R's, a back-fill amid the stored reports) into DB one at a time, as
``bench_scale.py`` times its adds, and prints for each its wall time, the parts of the stored
picture's update it spent it in (timed by wrapping them; they nest: ``merge`` holds ``decide``
and ``write``), how many events the merge decided (``decided``; its own and those decided
again), how many stored events a decision moved to another group (``moved``) and the
publication date of the last of them (how far on the change ran), how many merged events it
wrote (with their members), and the load average. ``--rollback`` rolls each save back instead
of committing it, so that every report is added to the same database (and a copy can be timed
again); the commit itself is then not timed. ``--profile DIR`` also writes each add's
cProfile statistics there (slower). Then the median and the slowest.

Use a copy of a large database: the adds (without ``--rollback``) stay in it.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scale

from sitroom.store import (
    Store,
    group_rows,
    stored_alliances,
    stored_picture,
    writing,
)
from sitroom.store import merge_update as mu

_SPENT: defaultdict[str, float] = defaultdict(float)
_COUNTS: defaultdict[str, int] = defaultdict(int)


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _SPENT[name] += time.perf_counter() - start
            _COUNTS[name] += 1

    return wrapper


def _instrument() -> None:
    updater = stored_picture._Updater
    for name, attr in (
        ("sources", "sources"),
        ("merge", "merge"),
        ("refresh", "refresh_groups_of"),
        ("control", "control"),
        ("write", "_write_work"),
    ):
        setattr(updater, attr, _timed(name, getattr(updater, attr)))
    stored_picture.link_levels = _timed("relink", stored_picture.link_levels)
    stored_alliances.report_alliances = _timed("edges", stored_alliances.report_alliances)
    stored_picture.alliances = stored_alliances
    stored_picture.drop_group = _timed("drop", group_rows.drop_group)
    stored_picture.write_blocks = _timed("blocks", group_rows.write_blocks)
    mu.MergeUpdate.run = _timed("decide", mu.MergeUpdate.run)
    mu.MergeUpdate._decide = _timed("decided", _watch_moves(mu.MergeUpdate._decide))


_MOVED: list[Any] = []  # visiting positions of the stored events a decision moved


def _watch_moves(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Note each stored event that a decision puts in another group than it was in."""

    @functools.wraps(fn)
    def wrapper(update: mu.MergeUpdate, key: Any, event_id: str, event: Any) -> Any:
        before = update._group_of(event_id)  # what the decision reads first anyway
        result = fn(update, key, event_id, event)
        if event_id not in update._fresh and update._of_event.get(event_id) != before:
            _MOVED.append(key)
        return result

    return wrapper


class _Rollback(Exception):
    pass


def _members_written() -> int:
    return _COUNTS.get("members", 0)


def _count_members(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(conn: Any, merged: Any, *args: Any, **kwargs: Any) -> Any:
        _COUNTS["members"] += len(merged.members)
        return fn(conn, merged, *args, **kwargs)

    return wrapper


@contextlib.contextmanager
def _maybe_profile(folder: Path | None, name: str) -> Iterator[None]:
    if folder is None:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        folder.mkdir(parents=True, exist_ok=True)
        profile.dump_stats(folder / f"{name}.prof")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--first", type=int, default=100000)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--round", type=int, dest="round_")
    parser.add_argument("--rollback", action="store_true")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args(argv)
    base = bench_scale.templates(bench_scale.DEFAULT_STORIES)
    _instrument()
    stored_picture.write_group = _count_members(group_rows.write_group)
    times = []
    with Store.open(args.db) as store:
        for k in range(args.first, args.first + args.count):
            analysis = bench_scale.variant(base, k, args.round_)
            _SPENT.clear()
            _COUNTS.clear()
            _MOVED.clear()
            with _maybe_profile(args.profile, f"add-{k}"):
                start = time.perf_counter()
                if args.rollback:
                    with contextlib.suppress(_Rollback), store._write() as conn:
                        writing.check_analysis(analysis)
                        writing.insert(conn, analysis)
                        elapsed = time.perf_counter() - start
                        raise _Rollback
                else:
                    store.save(analysis)
                    elapsed = time.perf_counter() - start
            times.append(elapsed)
            parts = "  ".join(f"{k}={v:.3f}" for k, v in sorted(_SPENT.items()))
            print(
                f"k={k} published={analysis.document.published} s={elapsed:.3f}  {parts}  "
                f"decided={_COUNTS['decided']} moved={len(_MOVED)} "
                f"last_moved={max(_MOVED)[0] if _MOVED else None} "
                f"groups_written={_COUNTS['write']} "
                f"members_written={_members_written()} load={os.getloadavg()[0]:.2f}",
                flush=True,
            )
    print(
        f"median_s={statistics.median(times):.3f} max_s={max(times):.3f} "
        f"load={os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
