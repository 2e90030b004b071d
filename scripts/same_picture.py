"""Whether two SQLite databases hold the same stored picture, table by table.

    python scripts/same_picture.py A.db B.db

Prints, for each ``picture_*`` table, its rows in each database and whether their contents are
the same (every column both have, rows in the order of all of them, hashed as they stream), and
exits 1 if any table differs. For a rebuild by one commit against another on copies of one
database (``sitroom rebuild``).
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
from collections.abc import Sequence

from sitroom.store.stored_picture import PICTURE_TABLES


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]


def _digest(conn: sqlite3.Connection, table: str, columns: Sequence[str]) -> tuple[int, str]:
    """(rows, a hash of every row in the order of all the columns)."""
    listed = ", ".join(f'"{c}"' for c in columns)
    found = conn.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}")
    digest = hashlib.sha256()
    count = 0
    for row in found:
        digest.update(repr(tuple(row)).encode("utf-8"))
        count += 1
    return count, digest.hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first")
    parser.add_argument("second")
    args = parser.parse_args(argv)
    one = sqlite3.connect(f"file:{args.first}?mode=ro", uri=True)
    two = sqlite3.connect(f"file:{args.second}?mode=ro", uri=True)
    same = True
    for table in PICTURE_TABLES:
        columns = [c for c in _columns(one, table) if c in set(_columns(two, table))]
        (rows_a, hash_a), (rows_b, hash_b) = (
            _digest(one, table, columns),
            _digest(two, table, columns),
        )
        verdict = "same" if hash_a == hash_b else "DIFFERENT"
        same = same and hash_a == hash_b
        print(f"{table}: {rows_a} / {rows_b} rows, {verdict}", flush=True)
    print("the same picture" if same else "the pictures differ")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
