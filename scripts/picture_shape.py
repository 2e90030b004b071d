"""The shape of a stored picture that sets what adding a report costs: how large merged events
grow and how wide their dates spread, and how many relations the alliance edges gather.

    python scripts/picture_shape.py DB

For the merged events (``picture_members`` with their events' dates): the largest ones, and per
finest date precision among a group's dated members, how many groups there are and the widest
span of days their members' dates cover (each date taken as the span of days its precision
stands for, ``sitroom.picture.ledger.date_span``). The merge links a group completely (each
member matches every other), so no chain of members can stretch a group's span beyond its
coarsest member's span and the merge's window on either side; a span wider than that would be
a merge defect. For the alliance edges: relations per edge, and for the largest edge the time
to read its relations (what computing it again reads) against the time to decode its stored
record (what extending it reads). Reads only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Sequence

from sitroom.picture.codec import decode
from sitroom.picture.ledger import DEFAULT_RULES, AllianceEdge, date_span
from sitroom.records import DATE_PRECISIONS
from sitroom.store import Store
from sitroom.store import picture_queries as q


def _groups(conn: sqlite3.Connection) -> None:
    found = conn.execute(
        "SELECT m.merged_id, e.event_date, e.date_precision FROM picture_members m "
        "JOIN events e ON e.id = m.event_id ORDER BY m.merged_id"
    )
    sizes: Counter[int] = Counter()
    widest: dict[str, tuple[int, int, str]] = {}  # finest precision -> (days, members, id)
    groups: Counter[str] = Counter()
    largest: list[tuple[int, str]] = []
    # The most days a group spans beyond the bound complete linking sets: every two members'
    # spans lie within the window, so a group spans at most twice its widest member's span and
    # the window (adjacent months, or years, join); a positive figure would be a chain.
    over: list[tuple[int, int, str]] = []

    def close(merged_id: str, members: int, spans: list[tuple[str, dt.date, dt.date]]) -> None:
        sizes[members] += 1
        largest.append((members, merged_id))
        if len(spans) < 2:
            return
        finest = min((p for p, _, _ in spans), key=_rank)
        days = (max(s[2] for s in spans) - min(s[1] for s in spans)).days + 1
        groups[finest] += 1
        own = max((s[2] - s[1]).days + 1 for s in spans)
        beyond = days - (2 * own + DEFAULT_RULES.day_window)
        if not over or beyond > over[0][0]:
            over[:] = [(beyond, members, merged_id)]
        if days > widest.get(finest, (0, 0, ""))[0]:
            widest[finest] = (days, members, merged_id)

    current: str | None = None
    members = 0
    spans: list[tuple[str, dt.date, dt.date]] = []
    for merged_id, day, precision in found:
        if merged_id != current:
            if current is not None:
                close(current, members, spans)
            current, members, spans = merged_id, 0, []
        members += 1
        if day:
            first, last = date_span(dt.date.fromisoformat(day), precision)
            spans.append((precision, first, last))
    if current is not None:
        close(current, members, spans)
    total = sum(sizes.values())
    print(f"merged events: {total}, members: {sum(k * v for k, v in sizes.items())}")
    largest.sort(reverse=True)
    print("largest (members):", ", ".join(str(n) for n, _ in largest[:10]))
    for bound in (1, 2, 10, 50, 100, 200, 500):
        print(f"  with more than {bound} members: {sum(v for k, v in sizes.items() if k > bound)}")
    print(f"the merge's window: {DEFAULT_RULES.day_window} days")
    for beyond, n, merged_id in over:
        print(
            "  the most days a group spans beyond twice its widest member's span and the window: "
            f"{beyond} ({n} members, {merged_id}; positive would be a chain)"
        )
    for precision in sorted(groups, key=_rank):
        days, n, merged_id = widest[precision]
        print(
            f"  finest dated member {precision}: {groups[precision]} groups of 2+ dated members; "
            f"widest span {days} days ({n} members, {merged_id})"
        )


def _rank(precision: str) -> int:
    return DATE_PRECISIONS.index(precision) if precision in DATE_PRECISIONS else 9


def _edges(db: str) -> None:
    with Store.open(db, read_only=True) as store, store.state() as conn:
        counts = conn.execute(
            "SELECT subject, predicate, object, count(*) AS c FROM relations "
            "GROUP BY subject, predicate, object ORDER BY c DESC"
        ).fetchall()
        edges = conn.execute("SELECT count(*) FROM picture_alliances").fetchone()[0]
        total = sum(r[3] for r in counts)
        print(f"relations: {total}, stored alliance edges: {edges}")
        print("largest edges (relations, one direction):", ", ".join(str(r[3]) for r in counts[:6]))
        if not counts:
            return
        subject, predicate, obj, _ = counts[0]
        key = (subject, predicate, obj)
        row = conn.execute(
            "SELECT record FROM picture_alliances WHERE subject = ? AND predicate = ? AND "
            "object = ?",
            key,
        ).fetchone()
        for attempt in ("first", "again"):
            start = time.perf_counter()
            found = q.relations_where(
                conn,
                "predicate = ? AND ((subject = ? AND object = ?) OR (subject = ? AND object = ?))",
                (predicate, subject, obj, obj, subject),
            )
            read = time.perf_counter() - start
            said = f"  {attempt}: its {len(found)} relations read in {read:.3f} s"
            if row is not None:
                start = time.perf_counter()
                decode(AllianceEdge, row[0])
                said += (
                    f"; its record ({len(row[0]):,} bytes) decoded in "
                    f"{time.perf_counter() - start:.3f} s"
                )
            print(said)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="an SQLite database")
    args = parser.parse_args(argv)
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as conn:
        _groups(conn)
    _edges(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
