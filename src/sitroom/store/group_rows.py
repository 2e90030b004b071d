"""A merged event's rows in the stored picture: its record, summary and listing item beside the
indexed columns, its member, claim and actor rows, and its blocking keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sitroom.export.json_export import compact_json, listing_item
from sitroom.picture.blocking import BlockIndex
from sitroom.picture.codec import encode
from sitroom.picture.ledger import MergedEvent, overall_verdict
from sitroom.picture.merge import VisitKey
from sitroom.picture.summary import summarize
from sitroom.records import Actor, Event
from sitroom.store import picture_queries as q
from sitroom.store import rows
from sitroom.store.backend import Connection
from sitroom.store.merge_update import key_id


def write_group(
    conn: Connection,
    merged: MergedEvent,
    visits: Sequence[VisitKey],
    *,
    groups: Mapping[str, str],
    actors: Mapping[str, Actor],
) -> None:
    """Store one merged event: its record, summary, listing item, members (``visits``: their
    visiting positions, in order), claims and actors. The item reads the wire groups of its
    documents and the names of its actors: whatever changes those rewrites the event
    (``refresh_groups_of``; an actor's change re-decides every event naming it).

    Its member rows are brought to the members (``write_members``), not deleted and written
    again: a report joining a group of hundreds writes its own members' rows."""
    summary = summarize(merged)
    names = {a: actors[a].name for a in (summary.actor1, summary.actor2) if a and a in actors}
    for table in ("picture_claims", "picture_event_actors"):
        conn.execute(f"DELETE FROM {table} WHERE merged_id = ?", (merged.id,))
    first = visits[0]
    location = merged.location
    sources = len({m.document_id for m in merged.members})
    conn.execute(
        "INSERT INTO picture_events (id, first_published, first_document, first_start, "
        "first_event, status, event_date, event_type, sub_event_type, plover_type, country, "
        "latitude, longitude, sources, verdict, sort_key, first_member, record, summary, "
        "item) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET first_published = excluded.first_published, "
        "first_document = excluded.first_document, first_start = excluded.first_start, "
        "first_event = excluded.first_event, status = excluded.status, "
        "event_date = excluded.event_date, event_type = excluded.event_type, "
        "sub_event_type = excluded.sub_event_type, plover_type = excluded.plover_type, "
        "country = excluded.country, latitude = excluded.latitude, "
        "longitude = excluded.longitude, sources = excluded.sources, "
        "verdict = excluded.verdict, sort_key = excluded.sort_key, "
        "first_member = excluded.first_member, record = excluded.record, "
        "summary = excluded.summary, item = excluded.item",
        (
            merged.id, *q.visit_row(first), merged.status, rows.iso(merged.event_date),
            merged.event_type, merged.sub_event_type, merged.plover_type,
            location.country if location else None,
            location.latitude if location else None, location.longitude if location else None,
            sources, overall_verdict(merged), q.sort_key(merged),
            encode(merged.members[0]), encode(merged), encode(summary),
            compact_json(listing_item(summary, groups, names)),
        ),
    )  # fmt: skip
    write_members(conn, merged.id, visits)
    conn.executemany(
        "INSERT INTO picture_claims (merged_id, field, verdict) VALUES (?, ?, ?)",
        ((merged.id, c.field, c.verdict) for c in merged.claims),
    )
    named = {a for m in merged.members for _, a, _ in rows.event_actor_rows(m)}
    conn.executemany(
        "INSERT INTO picture_event_actors (merged_id, actor_id) VALUES (?, ?)",
        ((merged.id, a) for a in sorted(named)),
    )


def write_members(conn: Connection, merged_id: str, visits: Sequence[VisitKey]) -> None:
    """Bring a merged event's member rows to its members (their visiting positions): the rows
    of members that left go, those of members that came (or moved in the order) are written,
    the rest stay. Another group's row of a member that came is taken over (that group's own
    write, or its deletion, comes in the same transaction)."""
    wanted = {v[3]: (merged_id, *q.visit_row(v)[:3]) for v in visits}
    stored = {
        str(r[0]): (str(r[1]), str(r[2]), str(r[3]), int(r[4]))
        for r in conn.execute(
            "SELECT event_id, merged_id, published, document_id, start FROM picture_members "
            "WHERE merged_id = ?",
            (merged_id,),
        )
    }
    conn.executemany(
        "DELETE FROM picture_members WHERE event_id = ?",
        ((event_id,) for event_id in sorted(set(stored) - set(wanted))),
    )
    conn.executemany(
        "INSERT INTO picture_members (event_id, merged_id, published, document_id, start) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET "
        "merged_id = excluded.merged_id, published = excluded.published, "
        "document_id = excluded.document_id, start = excluded.start",
        ((event_id, *row) for event_id, row in wanted.items() if stored.get(event_id) != row),
    )


def write_blocks(conn: Connection, index: BlockIndex, merged_id: str, first: Event) -> None:
    """Register a merged event under its first member's blocking keys (as they are, where they
    are the stored ones already)."""
    keys = {key_id(k) for k in index.group_keys(first)}
    stored = {
        int(r[0])
        for r in conn.execute("SELECT key FROM picture_blocks WHERE merged_id = ?", (merged_id,))
    }
    if stored == keys:
        return
    conn.execute("DELETE FROM picture_blocks WHERE merged_id = ?", (merged_id,))
    conn.executemany(
        "INSERT INTO picture_blocks (key, merged_id) VALUES (?, ?)",
        ((k, merged_id) for k in sorted(keys)),
    )


def drop_group(conn: Connection, merged_id: str) -> None:
    """Delete a merged event's rows."""
    for table, column in (
        ("picture_events", "id"),
        ("picture_blocks", "merged_id"),
        ("picture_claims", "merged_id"),
        ("picture_event_actors", "merged_id"),
        ("picture_members", "merged_id"),
    ):
        conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (merged_id,))
