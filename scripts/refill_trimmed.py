"""Put back the reports a trimmed benchmark database lacks, for its rebuild to go on (a tool).

    python scripts/refill_trimmed.py FILLED DB

``scripts/trim_to_picture.py`` turns a stopped rebuild into a database of the reports its
picture holds, the earliest published ones. This copies into DB every report of FILLED (the
filled database the stopped rebuild started from: the same reports, ids and rows) that DB lacks,
with its mentions, actors' versions, events, relations, control claims and evidence, takes the
canonical actors of FILLED (those a rebuild of all of them reads throughout), computes every
alliance edge again from all the relations (a rebuild's batch writes an edge from every stored
relation, as ``trim_to_picture.py`` says) and marks the picture as being rebuilt by these rules.
``sitroom rebuild --db DB`` then resumes: it brings in the reports the picture lacks, which are
all published after the ones it holds (checked here). What it gives is the picture of a rebuild
of FILLED from nothing, without the hour of doing the first part again. For a benchmark run
(``bench_scale.py``); never for a database of real reports.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Sequence

from sitroom.picture.alliances import edge_key
from sitroom.store import Store, stored_alliances
from sitroom.store import picture_queries as q
from sitroom.store.stored_picture import PUBLICATION_ORDER

# The tables of one report's records, parents first, and which of their rows belong to the
# reports copied (``new``: their ids).
_OWNED = (
    ("documents", "id IN (SELECT id FROM new)"),
    ("mentions", "document_id IN (SELECT id FROM new)"),
    ("document_actors", "document_id IN (SELECT id FROM new)"),
    ("events", "document_id IN (SELECT id FROM new)"),
    (
        "event_actors",
        "event_id IN (SELECT id FROM f.events WHERE document_id IN (SELECT id FROM new))",
    ),
    ("relations", "document_id IN (SELECT id FROM new)"),
    ("control", "document_id IN (SELECT id FROM new)"),
    (
        "evidence",
        "event_id IN (SELECT id FROM f.events WHERE document_id IN (SELECT id FROM new)) "
        "OR relation_id IN (SELECT id FROM f.relations WHERE document_id IN (SELECT id FROM new)) "
        "OR control_id IN (SELECT id FROM f.control WHERE document_id IN (SELECT id FROM new))",
    ),
)


def _columns(conn: sqlite3.Connection, table: str) -> str:
    return ", ".join(f'"{r[1]}"' for r in conn.execute(f"PRAGMA main.table_info({table})"))


def _copy(db: str, filled: str) -> int:
    """Copy FILLED's reports that DB lacks into DB, in one transaction; how many."""
    conn = sqlite3.connect(f"file:{db}", uri=True, isolation_level=None)
    conn.execute("ATTACH DATABASE ? AS f", (f"file:{filled}?mode=ro",))
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "CREATE TEMP TABLE new AS SELECT id FROM f.documents "
        "WHERE id NOT IN (SELECT id FROM main.documents)"
    )
    added = conn.execute("SELECT count(*) FROM new").fetchone()[0]
    for table, owned in _OWNED:
        columns = _columns(conn, table)
        conn.execute(
            f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM f.{table} WHERE {owned}"
        )
    columns = _columns(conn, "actors")
    conn.execute(f"INSERT OR REPLACE INTO main.actors ({columns}) SELECT {columns} FROM f.actors")
    for table, _ in (*_OWNED, ("actors", "")):
        ours, theirs = (
            conn.execute(f"SELECT count(*) FROM {side}.{table}").fetchone()[0]
            for side in ("main", "f")
        )
        if ours != theirs:
            conn.execute("ROLLBACK")
            raise SystemExit(f"{table}: {ours} rows here, {theirs} in {filled}: not its trim")
    conn.execute("COMMIT")
    conn.close()
    return int(added)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("filled", help="the filled SQLite database the trimmed one came from")
    parser.add_argument("db", help="an SQLite database trimmed by scripts/trim_to_picture.py")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    with Store.open(args.db) as store, store.state() as conn:  # migrated to this schema
        if not q.is_current(conn):
            raise SystemExit(f"{args.db}: its picture is not whole (trim_to_picture.py first)")
    added = _copy(args.db, args.filled)
    with Store.open(args.db) as store, store.state(write=True) as conn:
        first_new, last_in = (
            conn.execute(
                f"SELECT {agg}({PUBLICATION_ORDER} || ' ' || id) FROM documents d WHERE "
                f"{neg}EXISTS (SELECT 1 FROM picture_sources s WHERE s.document_id = d.id)"
            ).fetchone()[0]
            for agg, neg in (("min", "NOT "), ("max", ""))
        )
        if first_new is not None and last_in is not None and first_new <= last_in:
            raise SystemExit(f"a report put back ({first_new}) precedes the picture's last")
        conn.execute("DELETE FROM picture_alliances")
        conn.execute("DELETE FROM picture_alliance_documents")
        stored_alliances.recompute(conn, {edge_key(r) for _, r in q.relations_where(conn, None)})
        q.set_rules(conn, q.REBUILDING)
        q.next_generation(conn)
    print(f"{added} reports put back, in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
