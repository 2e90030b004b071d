"""Writing one analysis's records: its rows and their evidence, the canonical actors it names,
and the stored picture's update, all in the caller's write transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sitroom.errors import StoreError
from sitroom.records import Actor, Analysis, Event, Evidence, Mention
from sitroom.store import rows, stored_picture
from sitroom.store.backend import Connection


def insert(conn: Connection, analysis: Analysis, *, also_refresh: Iterable[str] = ()) -> None:
    """Insert the analysis's records (its document not stored yet), refresh the canonical
    actors it names and bring the stored picture up to date, in the caller's transaction."""
    doc = analysis.document
    conn.execute(
        rows.insert_sql("documents", rows.DOCUMENT_COLUMNS),
        rows.document_row(doc, analysis.main_event),
    )
    conn.executemany(
        rows.insert_sql("mentions", rows.MENTION_COLUMNS),
        (rows.mention_row(m, seq) for seq, m in enumerate(analysis.mentions)),
    )
    # A report may list an actor twice; its last version wins, as an upsert would.
    conn.executemany(
        "INSERT INTO document_actors (document_id, actor_id, seq, name, aliases, kind, "
        "country, parent) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (document_id, actor_id) DO UPDATE SET seq = excluded.seq, "
        "name = excluded.name, aliases = excluded.aliases, kind = excluded.kind, "
        "country = excluded.country, parent = excluded.parent",
        ((doc.id, a.id, seq, *rows.actor_row(a)) for seq, a in enumerate(analysis.actors)),
    )
    for seq, event in enumerate(analysis.events):
        conn.execute(rows.insert_sql("events", rows.EVENT_COLUMNS), rows.event_row(event, seq))
        conn.executemany(
            "INSERT INTO event_actors (event_id, actor_id, role) VALUES (?, ?, ?)",
            sorted(rows.event_actor_rows(event)),
        )
        _insert_evidence(conn, "event_id", event.id, event.evidence)
    for seq, relation in enumerate(analysis.relations):
        cursor = conn.execute(
            rows.insert_sql("relations", rows.RELATION_COLUMNS),
            rows.relation_row(relation, doc.id, seq),
        )
        _insert_evidence(conn, "relation_id", cursor.lastrowid, relation.evidence)
    for seq, claim in enumerate(analysis.control):
        cursor = conn.execute(
            rows.insert_sql("control", rows.CONTROL_COLUMNS),
            rows.control_row(claim, doc.id, seq),
        )
        _insert_evidence(conn, "control_id", cursor.lastrowid, claim.evidence)
    latest = {a.id: a for a in analysis.actors}
    changed, appeared = _refresh_actors(conn, set(latest).union(also_refresh), added=latest)
    stored_picture.update(conn, doc.id, actors_changed=changed, actors_new=appeared)


def check_analysis(analysis: Analysis) -> None:
    """Refuse mentions or events that belong to another document than the analysis's."""
    doc_id = analysis.document.id
    items: Sequence[Mention | Event] = (*analysis.mentions, *analysis.events)
    stray = sorted({item.document_id for item in items if item.document_id != doc_id})
    if stray:
        raise StoreError(
            f"analysis of document {doc_id} holds mentions or events of other documents: "
            + ", ".join(stray)
        )


def _insert_evidence(
    conn: Connection, owner: str, owner_id: object, evidence: Sequence[Evidence]
) -> None:
    conn.executemany(
        f"INSERT INTO evidence ({owner}, {', '.join(rows.EVIDENCE_COLUMNS)}) "
        f"VALUES (?, {', '.join('?' for _ in rows.EVIDENCE_COLUMNS)})",
        ((owner_id, *rows.evidence_row(ev, seq)) for seq, ev in enumerate(evidence)),
    )


def _refresh_actors(
    conn: Connection, actor_ids: Iterable[str], *, added: dict[str, Actor]
) -> tuple[set[str], set[str]]:
    """Recompute the canonical row of each actor from the versions its documents hold; the ids
    whose name, kind or parent (what the merge reads of an actor) changed or went, and the ids
    that came (no row before).

    A version just ``added`` that equals the stored canonical actor cannot change it (it adds no
    alias and, if it sorts first, gives the same fields), so a knowledge-base actor named in
    thousands of reports costs one lookup per save, not a scan of all its versions.
    """
    changed: set[str] = set()
    appeared: set[str] = set()
    for actor_id in sorted(set(actor_ids)):
        row = conn.execute("SELECT * FROM actors WHERE id = ?", (actor_id,)).fetchone()
        before = None if row is None else rows.actor_from_row(row)
        if actor_id in added and before == added[actor_id]:
            continue
        versions = [
            rows.actor_from_row(r, actor_id=actor_id)
            for r in conn.execute(
                "SELECT * FROM document_actors WHERE actor_id = ? ORDER BY document_id",
                (actor_id,),
            )
        ]
        if not versions:
            conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
            if before is not None:
                changed.add(actor_id)
            continue
        after = rows.canonical_actor(versions)
        if before is None:
            appeared.add(actor_id)
        elif _merge_fields(before) != _merge_fields(after):
            changed.add(actor_id)
        conn.execute(
            "INSERT INTO actors (id, name, aliases, kind, country, parent) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
            "aliases = excluded.aliases, kind = excluded.kind, country = excluded.country, "
            "parent = excluded.parent",
            (actor_id, *rows.actor_row(after)),
        )
    return changed, appeared


def _merge_fields(actor: Actor) -> tuple[str, str, str | None]:
    """What the merge and reconcile rules read of an actor (sitroom.picture.ledger.related)."""
    return actor.name, actor.kind, actor.parent
