"""The stored picture's alliance edges (``picture_alliances``, and which documents report each in
``picture_alliance_documents``): computed from every relation reporting an edge, or, for a
document new to the edges, the stored edge extended by its relations (``extend_edge``)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from sitroom.picture.alliances import alliance_graph, edge_key, extend_edge
from sitroom.picture.codec import decode, encode
from sitroom.picture.ledger import AllianceEdge
from sitroom.records import Relation
from sitroom.store import picture_queries as q
from sitroom.store.backend import Connection


def edges_of_before(conn: Connection, document_id: str) -> set[tuple[str, str, str]]:
    """The edges the stored picture holds the document in."""
    return {
        (r[0], r[1], r[2])
        for r in conn.execute(
            "SELECT subject, predicate, object FROM picture_alliance_documents "
            "WHERE document_id = ?",
            (document_id,),
        )
    }


def edges_of(conn: Connection, document_id: str) -> set[tuple[str, str, str]]:
    """The edges the document reports now or reported before."""
    edges = edges_of_before(conn, document_id)
    edges |= {edge_key(r) for _, r in q.relations_where(conn, "document_id = ?", (document_id,))}
    return edges


def report_alliances(conn: Connection, document_id: str) -> None:
    """Bring the edges a saved, replaced or deleted document reports (now or before) up to
    date. Every stored edge is that of every relation stored before the save (each save
    brings its edges up to date at once, a rebuild's batch writes the edges it reaches),
    so a document new to the edges only extends those stored (``extend_edge``): the work is
    the edges' records, not reading all of their relations again. A document that reported
    edges before has them computed again from all their relations."""
    before = edges_of_before(conn, document_id)
    now: dict[tuple[str, str, str], list[Relation]] = {}
    for _, relation in q.relations_where(conn, "document_id = ?", (document_id,)):
        now.setdefault(edge_key(relation), []).append(relation)
    if before:
        recompute(conn, before | set(now))
        return
    whole: set[tuple[str, str, str]] = set()
    for key, relations in sorted(now.items()):
        row = conn.execute(
            "SELECT record FROM picture_alliances "
            "WHERE subject = ? AND predicate = ? AND object = ?",
            key,
        ).fetchone()
        if row is None:
            whole.add(key)
            continue
        edge = extend_edge(decode(AllianceEdge, row[0]), relations)
        conn.execute(
            "DELETE FROM picture_alliances WHERE subject = ? AND predicate = ? AND object = ?",
            key,
        )
        write_alliances(conn, [(document_id, r) for r in relations], [edge])
    recompute(conn, whole)


def edge_stored(conn: Connection, edge: tuple[str, str, str]) -> bool:
    found = conn.execute(
        "SELECT 1 FROM picture_alliances WHERE subject = ? AND predicate = ? AND object = ?",
        edge,
    )
    return found.fetchone() is not None


def recompute(conn: Connection, edges: Collection[tuple[str, str, str]]) -> None:
    """Recompute the edges from every relation reporting them."""
    for subject, predicate, obj in sorted(edges):
        found = q.relations_where(
            conn,
            "predicate = ? AND ((subject = ? AND object = ?) OR (subject = ? AND object = ?))",
            (predicate, subject, obj, obj, subject),
        )
        mine = [(i, r) for i, r in found if edge_key(r) == (subject, predicate, obj)]
        conn.execute(
            "DELETE FROM picture_alliances WHERE subject = ? AND predicate = ? AND object = ?",
            (subject, predicate, obj),
        )
        conn.execute(
            "DELETE FROM picture_alliance_documents "
            "WHERE subject = ? AND predicate = ? AND object = ?",
            (subject, predicate, obj),
        )
        write_alliances(conn, mine, alliance_graph([r for _, r in mine]))


def write_alliances(
    conn: Connection, relations: Sequence[tuple[str, Relation]], edges: Iterable[AllianceEdge]
) -> None:
    """Store edges and which documents (id, relation) report each."""
    conn.executemany(
        "INSERT INTO picture_alliances (subject, predicate, object, record, listing, "
        "documents_total, evidence_total) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (e.subject, e.predicate, e.object, encode(e), encode(q.edge_listing(e)),
             len(e.document_ids), len(e.evidence))
            for e in edges
        ),
    )  # fmt: skip
    conn.executemany(
        "INSERT OR IGNORE INTO picture_alliance_documents (document_id, subject, predicate, "
        "object) VALUES (?, ?, ?, ?)",
        ((doc_id, *edge_key(r)) for doc_id, r in relations),
    )
