"""Score sitroom on the public gold sets in ../shared/data and check the pinned quality floors.

    python scripts/evaluate.py [DATASET ...] [--path FILE] [--limit N]

DATASET is one of case2021, geoparsing, trnews, plover, wikievents, fnc1 (all by default). Prints
each set's table of per-label / per-field precision, recall and F1, its headline figures next
to the floors in quality_floors.toml, and typical errors. Exit status 1 when a floor is missed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitroom.api import resources_for
from sitroom.config import Config
from sitroom.evaluate.harness import DATASETS, check_floors, load_floors, render, run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", metavar="DATASET", help=", ".join(DATASETS))
    parser.add_argument("--path", type=Path, help="a gold file other than the default dev set")
    parser.add_argument(
        "--limit", type=int, help="score only the first N items (fnc1: N pairs of its sample)"
    )
    args = parser.parse_args()
    unknown = set(args.datasets) - set(DATASETS)
    if unknown:
        parser.error(f"unknown dataset(s) {sorted(unknown)}; choose from {', '.join(DATASETS)}")
    resources = resources_for(Config())
    floors = load_floors()
    failures: list[str] = []
    for dataset in args.datasets or DATASETS:
        report = run(dataset, args.path, resources=resources, limit=args.limit)
        print(render(report))
        if args.limit is None and args.path is None:
            failures += check_floors(report, floors)
    for failure in failures:
        print(f"BELOW FLOOR: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
