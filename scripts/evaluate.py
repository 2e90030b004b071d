"""Score sitroom on the public gold sets in ../shared/data and check the pinned quality floors.

    python scripts/evaluate.py [DATASET ...] [--path FILE] [--limit N] [--half HALF]
                               [--errors {some,all}] [--mentions]

DATASET is one of case2021, geoparsing, trnews, plover, wikievents, fnc1, incidents (all by
default). Each set is split once into a tune and a check half by a hash of each item's id
(sitroom.evaluate.split; fnc1 by body, so a body's pairs stay together). For each set it prints
the headline figures of the whole set and of both halves side by side, then the per-label /
per-field table, notes and typical errors of one of them (``--half``): the tune half's by
default, so that nobody reads the check half's errors by accident (the check half is for figures
only); the whole file's where ``--path`` names another gold file. ``--errors all`` lists every
error instead of a few of each kind, unclipped.

``--mentions`` scores each event mention as an event of its own, without grouping mentions into
incidents (``incidents = false`` in sitroom.toml), for comparison with the default.

Every report (whole set, tune half, check half) is checked against quality_floors.toml, unless
``--path``, ``--limit`` or ``--mentions`` is given; exit status 1 when a figure is below its
floor or above its ``max_`` ceiling.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitroom.api import resources_for
from sitroom.config import Config
from sitroom.evaluate.harness import DATASETS, check_floors, load_floors, render, run_halves
from sitroom.evaluate.split import ALL, HALVES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", metavar="DATASET", help=", ".join(DATASETS))
    parser.add_argument("--path", type=Path, help="a gold file other than the default dev set")
    parser.add_argument(
        "--limit", type=int, help="score only the first N items (fnc1: N pairs of its sample)"
    )
    parser.add_argument(
        "--half",
        choices=(ALL, *HALVES),
        help="whose table, notes and errors to print (default: tune; all with --path)",
    )
    parser.add_argument(
        "--errors",
        choices=("some", "all"),
        default="some",
        help="a few errors of each kind (default), or every one, unclipped",
    )
    parser.add_argument(
        "--mentions",
        action="store_true",
        help="each mention an event, not grouped into incidents (floors are not checked)",
    )
    args = parser.parse_args()
    unknown = set(args.datasets) - set(DATASETS)
    if unknown:
        parser.error(f"unknown dataset(s) {sorted(unknown)}; choose from {', '.join(DATASETS)}")
    resources = resources_for(Config(incidents=not args.mentions))
    floors = load_floors()
    every = args.errors == "all"
    half = args.half or (ALL if args.path else "tune")
    failures: list[str] = []
    for dataset in args.datasets or DATASETS:
        reports = run_halves(
            dataset, args.path, resources=resources, limit=args.limit, all_errors=every
        )
        columns = [reports[ALL], *(reports[h] for h in HALVES)]
        print(render(reports[half], columns=columns, width=None if every else 120))
        if args.limit is None and args.path is None and not args.mentions:
            for report in columns:
                failures += check_floors(report, floors)
    for failure in failures:
        print(f"OUT OF BOUNDS: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
