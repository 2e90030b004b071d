"""Throughput of `sitroom analyze --workers N` against one worker, on distinct real reports.

Writes the first COUNT FNC-1 article bodies of ../shared/data/fnc1 as text files into a
temporary folder (real news of many kinds, each its own text: no variant of another), then
times the command line `sitroom analyze FOLDER --db FRESH.db --no-report --workers N` for each
N asked (model and resource loading included, as a user pays it), and prints reports per
second, the ratio to one worker against the issue's target (2 workers >= 1.7 times one), the
load average before and after each run, and whether every run stored the same events (their
count and a hash of their ids). BLAS and thinc are held to one thread per process, so N
processes use N cores.

    python scripts/bench_workers.py [--count 400] [--workers 1,2]

On a machine whose cores others are using the ratio says little; the load averages printed
beside it tell how busy the machine was.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BODIES = ROOT.parent / "shared" / "data" / "fnc1" / "competition_test_bodies.csv"
TARGET = 1.7  # the issue's: 2 workers give at least 1.7 times one worker's throughput
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def write_reports(folder: Path, count: int) -> int:
    """The first ``count`` bodies as .txt files; their number."""
    with BODIES.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:count]
    for row in rows:
        (folder / f"fnc1-{row['Body ID']}.txt").write_text(row["articleBody"], encoding="utf-8")
    return len(rows)


def stored(db: Path) -> tuple[int, str]:
    """How many events the database holds, and a hash of their ids in order."""
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY id")]
    return len(ids), hashlib.sha1("\n".join(ids).encode()).hexdigest()[:12]


def run(folder: Path, db: Path, workers: int) -> float:
    """Wall seconds of one `sitroom analyze` over the folder."""
    sitroom = Path(sys.executable).parent / "sitroom"  # the command line the package installs
    command = [
        str(sitroom), "analyze", str(folder),
        "--db", str(db), "--no-report", "--workers", str(workers),
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, **ONE_THREAD}, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400, help="reports (FNC-1 bodies)")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        n = write_reports(folder, args.count)
        print(f"{n} reports (FNC-1 bodies), {os.cpu_count()} cores")
        rates: dict[int, float] = {}
        results = set()
        for workers in counts:
            db = Path(tmp) / f"w{workers}.db"
            load = os.getloadavg()[0]
            seconds = run(folder, db, workers)
            rates[workers] = n / seconds
            events, digest = stored(db)
            results.add((events, digest))
            print(
                f"  workers={workers}: {seconds:.1f} s, {rates[workers]:.2f} reports/s, "
                f"{events} events stored ({digest}), load {load:.2f} -> {os.getloadavg()[0]:.2f}"
            )
        print(f"same events stored by every run: {len(results) == 1}")
        if 1 in rates and 2 in rates:
            ratio = rates[2] / rates[1]
            mark = "meets" if ratio >= TARGET else "misses"
            print(f"2 workers / 1 worker: {ratio:.2f} ({mark} the target >= {TARGET})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
