"""Keep only the reports a stopped rebuild brought into the stored picture (a benchmark tool).

    python scripts/trim_to_picture.py DB

``sitroom rebuild`` brings the stored reports into the picture by publication order, 200 a
transaction; stopped half-way, the database holds every report and the picture of the earliest
published ones, which readers refuse. This deletes the reports the picture lacks (their rows
cascade), computes every alliance edge again from the relations left (a rebuild's batch writes
an edge from every stored relation, the deleted reports' included), and marks the picture as
built by these rules: what is left is a database of the reports kept, with their picture, as a
rebuild of them gives (``scripts/same_picture.py`` against a copy rebuilt from scratch says so).
Prints the reports kept. For a benchmark run (``bench_scale.py``) that could not finish
rebuilding in the time it had; never for a database of real reports.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from sitroom.picture.alliances import edge_key
from sitroom.store import Store, stored_alliances, writing
from sitroom.store import picture_queries as q
from sitroom.store.backend import Connection


def _named(conn: Connection, actor_id: str) -> bool:
    found = conn.execute("SELECT 1 FROM document_actors WHERE actor_id = ? LIMIT 1", (actor_id,))
    return found.fetchone() is not None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="an SQLite database whose rebuild was stopped")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    with Store.open(args.db) as store, store.state(write=True) as conn:
        if q.rules_version(conn) != q.REBUILDING:
            raise SystemExit(f"{args.db}: no rebuild under way (picture rules: "
                             f"{q.rules_version(conn)!r})")  # fmt: skip
        conn.execute(
            "DELETE FROM documents WHERE id NOT IN (SELECT document_id FROM picture_sources)"
        )
        every = [r[0] for r in conn.execute("SELECT id FROM actors")]
        changed, _ = writing._refresh_actors(conn, every, added={})
        if changed - {a for a in every if not _named(conn, a)}:
            raise SystemExit("the reports left give other versions of some actors: rebuild instead")
        conn.execute("DELETE FROM picture_alliances")
        conn.execute("DELETE FROM picture_alliance_documents")
        stored_alliances.recompute(conn, {edge_key(r) for _, r in q.relations_where(conn, None)})
        q.set_rules(conn)
        q.next_generation(conn)
        kept = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    print(f"{kept} reports kept, in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
